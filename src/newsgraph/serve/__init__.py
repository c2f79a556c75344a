"""``newsgraph serve``: a FastAPI app with a JSON API (``/api/...``) and server-rendered pages.

Every route reads through the one query layer, the ``Store`` protocol (plus the
plain helper functions of ``serve.queries``, which only call Store methods).
"""

from newsgraph.serve.app import create_app

__all__ = ["create_app"]
