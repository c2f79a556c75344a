"""One error shape for the whole app, and the mapping from newsgraph errors to HTTP statuses.

JSON (``/api/...``)::

    {"ok": false, "error": "message", "errors": [...], "code": "store.not_found", "status": 404}

HTML pages render ``error.html`` with the same fields and the same status.
"""

from __future__ import annotations

from typing import Any

from newsgraph.errors import InputError, NewsgraphError, NotFound, StoreError

#: Store error codes caused by the request, not by the server.
_CLIENT_CODES = {
    "store.bad_query": 400,
    "store.bad_date": 400,
    "store.too_expensive": 400,  # the read ran past query_timeout: a narrower query will do
    "store.ambiguous": 400,
    "store.bad_correction": 400,
    "store.bad_id": 404,  # no article can have that id
}


class HTTPError(Exception):
    """An error raised by the serve layer itself (bad parameter, forbidden ...)."""

    def __init__(self, status: int, message: str, *, code: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.errors = errors or []


def status_of(exc: BaseException) -> int:
    if isinstance(exc, HTTPError):
        return exc.status
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, StoreError):
        if exc.code in _CLIENT_CODES:
            return _CLIENT_CODES[exc.code]
        if exc.code == "store.locked":
            return 503
        return 500
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, NewsgraphError):
        return 500
    return 500


def error_body(status: int, message: str, code: str, errors: list[Any] | None = None) -> dict[str, Any]:
    return {"ok": False, "error": message, "errors": list(errors or [message]), "code": code, "status": status}


def body_of(exc: BaseException) -> dict[str, Any]:
    status = status_of(exc)
    if isinstance(exc, HTTPError):
        return error_body(status, exc.message, exc.code, exc.errors)
    if isinstance(exc, NewsgraphError):
        return error_body(status, exc.message, exc.code)
    return error_body(500, "internal error", "serve.internal")
