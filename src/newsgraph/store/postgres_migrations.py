"""The PostgreSQL schema: bundled migrations (``pg_migrations/NNNN_name.sql``), applied in order.

Each migration runs in one transaction (PostgreSQL's DDL is transactional: a failed migration
leaves the schema as it was) holding an advisory lock (``MIGRATION_LOCK``), so several
processes opening one new store apply each migration once: the others wait, then find it done.
``schema_migrations`` records each one; the store's version is the highest recorded. A store
newer than this code is refused (``store.too_new``), as on SQLite. The numbering is the
PostgreSQL store's own (0001 is SQLite's schema 13 whole: ``pg_migrations/0001_initial.sql``).
"""

from __future__ import annotations

from typing import Any

from newsgraph.errors import StoreError
from newsgraph.store.migrations import bundled
from newsgraph.store.values import now

#: ``pg_advisory_xact_lock`` key held while migrating ("newsgraph" as a 63-bit number).
MIGRATION_LOCK = 0x6E657773_67726170


def migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every bundled PostgreSQL migration, in order."""
    return bundled("newsgraph.store.pg_migrations", "PostgreSQL migrations")


def current_version(conn: Any) -> int:
    """The highest migration recorded (0: an empty database)."""
    if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
        return 0
    return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0])


def migrate(conn: Any, where: str, upto: int | None = None) -> int:
    """Apply the migrations above the store's version (up to ``upto``) on ``conn`` (autocommit);
    returns the version reached."""
    import psycopg

    known = migrations()
    latest = known[-1][0] if known else 0
    current = current_version(conn)
    if current > latest:
        raise StoreError(f"store {where} has schema version {current}, newer than this newsgraph understands"
                         f" ({latest}); upgrade newsgraph", code="store.too_new")
    for version, name, sql in known:
        if version <= current or (upto is not None and version > upto):
            continue
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                if current_version(conn) >= version:  # another process migrated while we waited
                    continue
                conn.execute(sql)  # no parameters: the whole script at once
                conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                             (version, name, now()))
        except psycopg.Error as exc:
            raise StoreError(f"migration {version:04d}_{name} of {where} failed: {exc}",
                             code="store.migration") from exc
        current = version
    return current_version(conn)
