"""The SQLite schema: bundled migrations, applied in order, one transaction each.

``migrations/NNNN_name.sql`` files are numbered 1..n; ``SQLiteBackend`` applies those above
the store's ``PRAGMA user_version`` and records each in ``schema_migrations``. A few
versions need Python right after their SQL, in the same transaction (``BACKFILL``: schema 7
signs the articles stored before it). A PostgreSQL backend keeps migrations of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from newsgraph.errors import StoreError
from newsgraph.store.migrations import bundled

#: Articles a backfill reads at a time.
BACKFILL_BATCH = 500


def migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every bundled migration, in order."""
    return bundled("newsgraph.store.migrations", "migrations")


def statements(sql: str) -> Iterator[str]:
    """Split a script into complete statements (trigger bodies stay whole)."""
    buf: list[str] = []
    for line in sql.splitlines(keepends=True):
        buf.append(line)
        chunk = "".join(buf)
        if sqlite3.complete_statement(chunk):
            if chunk.strip().strip(";").strip() and not _only_comments(chunk):
                yield chunk
            buf = []
    rest = "".join(buf)
    if rest.strip() and not _only_comments(rest):
        raise StoreError("migration ends with an incomplete statement", code="store.schema")


def _only_comments(chunk: str) -> bool:
    return all(not ln.strip() or ln.strip().startswith("--") or ln.strip() == ";" for ln in chunk.splitlines())


def _sign_all(conn: sqlite3.Connection) -> None:
    """Schema 7: sign the articles stored before it (batches of BACKFILL_BATCH, inside the migration)."""
    from newsgraph.store.sqlite import SQLiteWriter
    from newsgraph.store.stories import sign, store_signature

    writer, last = SQLiteWriter(conn), 0
    while True:
        rows = conn.execute("SELECT seq, text FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                            (last, BACKFILL_BATCH)).fetchall()
        if not rows:
            return
        for seq, text in rows:
            store_signature(writer, seq, sign(text))
        last = rows[-1][0]


#: Python steps run right after a migration's SQL, in its transaction.
BACKFILL: dict[int, Callable[[sqlite3.Connection], None]] = {7: _sign_all}
