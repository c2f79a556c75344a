"""Numbered SQL migrations for the SQLite store (``NNNN_name.sql``), applied in order.

Package data: loaded with ``importlib.resources``; hatchling ships these files in the wheel.
"""

from __future__ import annotations

import re
from importlib import resources

from newsgraph.errors import StoreError

_MIGRATION_NAME = re.compile(r"^(\d{4})_([A-Za-z0-9_]+)\.sql$")


def bundled(package: str, what: str = "migrations") -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every ``NNNN_name.sql`` in ``package``, in order; numbered 1..n
    or ``StoreError`` (``store.schema``). Each backend's migrations are read this way."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files(package).iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"bundled {what} are not numbered 1..n: {versions}", code="store.schema")
    return found

