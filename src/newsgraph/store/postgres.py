"""The PostgreSQL backend (``store.backend``) and ``PostgresStore``, the ``Store`` over it.

``open_store("postgresql://user@host:5432/db")`` (or ``--db``/``$NEWSGRAPH_DB``) opens it: a team's
shared store, written by several ingest processes and read by many readers at once.

* Connections come from a ``psycopg_pool.ConnectionPool`` (``POOL_MIN``..``POOL_MAX``, opened on
  demand): each unit of work takes one for its duration. ``read(what)``'s statements stop after
  ``query_timeout`` seconds (``statement_timeout``; ``store.too_expensive``), each its own
  transaction as on SQLite; ``write(what)`` is **one transaction**, committed when the block ends
  and rolled back on any exception. Writes of one process go one at a time (a lock, as on SQLite),
  so the actor registry's cache sees them in order; processes write side by side.
* Schema: its own numbered migrations (``store.postgres_migrations``, ``pg_migrations/``).
* Errors never escape as psycopg's: they become ``StoreError`` with the stable codes (``_CODES``
  by SQLSTATE class: a unique violation is ``store.integrity``, a deadlock, serialization failure
  or lock timeout ``store.locked``, a cancelled statement ``store.too_expensive``, a server that
  cannot be reached or a database that does not exist ``store.cant_open``).
* ``read_only``: every transaction is READ ONLY (a write is ``store.readonly``); a store that
  needs migrating is migrated once first, as a SQLite store opened read-only is.
* What differs from SQLite, and why, is said where it is done: full-text search stems each
  article in its language (``store.postgres_fts``); text compares by code point and NULLs sort
  as on SQLite (``store.postgres_reader``); quotes and events newest first are plain ordered
  queries (``store.postgres_newest``).

Several writers (ingest processes on one or several machines) write one store at once, with the
outcome one writer gives:

* The same text from two writers: ``insert_article`` is ``ON CONFLICT (id) DO NOTHING``; the
  second waits for the first's row and then adds only its source ("new_source"/"duplicate"), as
  for a text stored earlier. ``article_state`` reads ``FOR UPDATE``, so two writers adding the
  analysis of one stored article take turns (the second finds it analysed).
* Actors: a writer holds a transaction-scoped advisory lock (``pg_advisory_xact_lock``) on every
  registry blocking key of the names it is about to link (``Writer.lock_names``, all of an
  article's or a batch's at once, sorted), so a writer meeting a name another is linking waits
  and then finds that writer's actor among its candidates. A unique key with a retry was the
  alternative: it catches two writers creating the same *key*, but not the same person created
  under two names at once ("Jurgita Daukantė" by one writer, "Daukantė" by another: no key
  collides, each sees no candidate, two actors where one writer makes one;
  ``tests/unit/test_store_pg_writers.py``). Measured (``bench/ingest_pg.py``: 4 writers, 60 analysed
  pages, 2 loaded cores, medians of 3): with the locks 1.42 articles/s and 0 deadlocks; without,
  1.50/s (inside the runs' spread, 1.0-1.9/s) and 5-14 deadlocks a run, each a 1 s wait
  (``deadlock_timeout``) and a retry, since writers then meet in counter and actor rows in any
  order; the locks, sorted, order them. Aliases and blocks are ``ON CONFLICT DO NOTHING``.
  A batch needing more than ``postgres_writer.NAME_LOCKS_MAX`` locks takes one all-names lock.
* Counters are additive upserts (``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``),
  never read-modify-write; the attribution tally is a trigger doing the same.
* A deadlock, serialization failure or unique key taken first (``_RETRYABLE``) runs the whole
  unit of work again, up to ``WRITE_RETRIES`` times (``BaseStore._retrying``).
* Facets: each write transaction takes its id before its first article ``seq`` (``write``), which
  lets ``store.facets.NewArticles`` tell when every ``seq`` handed out has been committed or
  rolled back, so in-memory facet columns count articles committed out of ``seq`` order.

This module holds connections and transactions only; the SQL is ``postgres_reader`` and
``postgres_writer``; the domain logic is the services' (``store.base``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsgraph.errors import StoreError
from newsgraph.store import redacted as redact
from newsgraph.store.base import BaseStore
from newsgraph.store.postgres_reader import PGReader
from newsgraph.store.postgres_writer import PGWriter

#: Seconds one read may run by default (the SQLite store's default, ``sqlite.QUERY_TIMEOUT``).
QUERY_TIMEOUT = 3.0
#: Connections the pool keeps open, and at most opens (the server's request threads, ingest).
POOL_MIN = 1
POOL_MAX = 10
#: Writes in pipeline mode: an analysed article is ~100 statements (entities, registry lookups,
#: counters), and most are inserts and updates whose answer nobody reads.
PIPELINE = True
#: Seconds to wait for a connection of the pool, or for the server to answer at all.
CONNECT_TIMEOUT = 10.0

#: SQLSTATE (its two-letter class, or the whole code) -> ``StoreError`` code.
_CODES = {
    "23": "store.integrity",        # integrity constraint violation
    "40001": "store.locked",        # serialization failure
    "40P01": "store.locked",        # deadlock detected
    "55P03": "store.locked",        # lock not available
    "57014": "store.too_expensive",  # query cancelled (statement_timeout)
    "25006": "store.readonly",      # read-only transaction
    "42501": "store.readonly",      # insufficient privilege
    "53100": "store.full",          # disk full
    "53": "store.io",               # insufficient resources
    "58": "store.io",               # system error
    "XX001": "store.corrupt",       # data corrupted
    "XX002": "store.corrupt",       # index corrupted
    "08": "store.cant_open",        # connection exception
    "28": "store.cant_open",        # invalid authorisation
    "3D000": "store.cant_open",     # no such database
    "22": "store.invalid",          # data exception (a value the column cannot hold)
}

#: SQLSTATEs after which a write transaction is run again whole (``BaseStore._retrying``): another
#: writer got in the way (a deadlock, a serialization failure, a unique key it took first).
_RETRYABLE = frozenset({"40001", "40P01", "23505"})
#: How many times a write transaction is run again after such an error.
WRITE_RETRIES = 5


def store_error(exc: BaseException, what: str) -> StoreError:
    """``exc`` (psycopg's, the pool's, or an encoding error) as a ``StoreError`` with a stable code."""
    import psycopg
    import psycopg_pool

    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, psycopg_pool.PoolTimeout):
        return StoreError(f"{what}: no database connection free within {CONNECT_TIMEOUT:g} s", code="store.locked")
    if isinstance(exc, UnicodeEncodeError):
        return StoreError(f"{what}: text is not valid Unicode ({exc.reason})", code="store.invalid")
    if isinstance(exc, psycopg.DataError) and "NUL" in str(exc):
        return StoreError(f"{what}: text contains a NUL character, which PostgreSQL cannot store",
                          code="store.invalid")
    state = getattr(exc, "sqlstate", None) or ""
    code = _CODES.get(state) or _CODES.get(state[:2])
    if code is None:
        code = "store.cant_open" if isinstance(exc, psycopg.OperationalError) and not state else "store.error"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    err = StoreError(f"{what}: {message}", code=code)
    err.retryable = state in _RETRYABLE  # type: ignore[attr-defined]
    return err


class PostgresBackend:
    """``store.backend.Backend`` over one PostgreSQL database (see the module docstring)."""

    def __init__(self, url: str, *, read_only: bool = False, query_timeout: float | None = QUERY_TIMEOUT,
                 pool_max: int = POOL_MAX) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as exc:
            raise StoreError(f"the PostgreSQL store needs psycopg: pip install 'newsgraph[postgres]' ({exc})",
                             code="store.unsupported") from exc
        self.url = url
        self.read_only = read_only
        #: Seconds one read may run (None or 0: no limit).
        self.query_timeout = query_timeout
        self._write_lock = threading.Lock()
        #: Times ``BaseStore._retrying`` runs a write transaction again (``_RETRYABLE``).
        self.write_retries = WRITE_RETRIES
        #: The ``statement_timeout`` (ms) each pooled connection has now.
        self._timeouts: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        where = f"cannot open store {redact(url)}"
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=int(CONNECT_TIMEOUT)) as conn:
                from newsgraph.store.postgres_migrations import migrate

                self._version = migrate(conn, redact(url))
                self.configs = frozenset(r[0] for r in conn.execute("SELECT cfgname FROM pg_ts_config").fetchall())
        except (psycopg.Error, UnicodeEncodeError) as exc:
            raise store_error(exc, where) from exc
        options = "-c default_transaction_read_only=on" if read_only else ""
        self._pool = ConnectionPool(url, min_size=POOL_MIN, max_size=pool_max, open=False, timeout=CONNECT_TIMEOUT,
                                    kwargs={"autocommit": True, "options": options,
                                            "connect_timeout": int(CONNECT_TIMEOUT)},
                                    name="newsgraph")
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except Exception as exc:
            self._pool.close()
            raise store_error(exc, where) from exc

    @property
    def schema_version(self) -> int:
        with self.read("read schema version") as r:
            return int(r._one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))

    @contextmanager
    def _connection(self, what: str, timeout: float | None, *, transaction: bool) -> Iterator[Any]:
        """A pooled connection whose statements stop after ``timeout`` seconds (none: 0 or None),
        inside one transaction (committed at the end, rolled back on an exception) when asked;
        psycopg's errors become ``StoreError``.

        The time box is the connection's ``statement_timeout``, set only when it changes (a read
        costs no round trip for it; a writer's ``SET`` is pipelined)."""
        if self._pool.closed:
            raise StoreError("the store is closed", code="store.closed")
        ms = int((timeout or 0) * 1000)
        try:
            with self._pool.connection() as conn:
                if self._timeouts.get(conn) != ms:
                    conn.execute(f"SET statement_timeout = {ms}")
                    self._timeouts[conn] = ms
                if not transaction:
                    yield conn
                    return
                with conn.transaction():
                    yield conn
        except StoreError:
            raise
        except Exception as exc:
            import psycopg
            import psycopg_pool

            if isinstance(exc, (psycopg.Error, psycopg_pool.PoolTimeout, UnicodeEncodeError)):
                raise store_error(exc, what) from exc
            raise

    @contextmanager
    def read(self, what: str) -> Iterator[PGReader]:
        """Each statement its own transaction (autocommit), as SQLite's reads: no ``BEGIN`` and
        ``COMMIT`` round trips for the many small reads a page makes."""
        with self._connection(what, self.query_timeout, transaction=False) as conn:
            yield PGReader(conn, self.configs)

    @contextmanager
    def write(self, what: str) -> Iterator[PGWriter]:
        """One transaction, pipelined (``conn.pipeline()``): statements whose results nobody reads
        are sent without waiting for each answer; a read waits for everything before it (``PIPELINE``)."""
        with self._write_lock, self._connection(what, None, transaction=True) as conn:
            # A transaction id before the first article seq: store.facets.NewArticles relies on it.
            conn.execute("SELECT pg_current_xact_id()")
            if not PIPELINE:
                yield PGWriter(conn, self.configs)
                return
            with conn.pipeline():
                yield PGWriter(conn, self.configs)

    def files(self) -> tuple[str, ...]:
        return ()

    def close(self) -> None:
        self._pool.close()


class PostgresStore(BaseStore):
    """The ``Store`` protocol over one PostgreSQL database: ``BaseStore``'s services over a
    ``PostgresBackend``. Open it with ``newsgraph.store.open_store``."""

    _backend: PostgresBackend

    def __init__(self, url: str, *, read_only: bool = False, query_timeout: float | None = QUERY_TIMEOUT) -> None:
        super().__init__(PostgresBackend(url, read_only=read_only, query_timeout=query_timeout))

    @property
    def url(self) -> str:
        return self._backend.url

    @property
    def query_timeout(self) -> float | None:
        return self._backend.query_timeout

    @query_timeout.setter
    def query_timeout(self, value: float | None) -> None:
        self._backend.query_timeout = value

    def __enter__(self) -> PostgresStore:
        return self

    def __repr__(self) -> str:
        return f"PostgresStore({redact(self.url)!r})"


def open_postgres(url: str, *, read_only: bool = False, query_timeout: float | None = None) -> PostgresStore:
    """``PostgresStore(url)``; ``postgres://`` is read as ``postgresql://``."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return PostgresStore(url, read_only=read_only, query_timeout=QUERY_TIMEOUT if query_timeout is None
                         else query_timeout)
