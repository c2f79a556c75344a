"""SQLite implementation of the ``Store`` protocol.

* WAL journal, ``synchronous=NORMAL`` (a killed process loses nothing that was
  committed; a power cut may lose the last few commits, never consistency),
  foreign keys on, a busy timeout so concurrent writers wait instead of failing.
* Schema versioned with ``PRAGMA user_version`` (plus a ``schema_migrations``
  history table); numbered ``migrations/NNNN_*.sql`` files are applied in
  order, one transaction each. A store newer than this code is refused
  (``store.too_new``).
* Every write is one explicit transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``);
  the connection runs in autocommit mode so Python never opens one implicitly.
* sqlite3 errors never escape: they are wrapped into ``StoreError`` (raised
  ``from`` the original) with a stable code.
* Reads stay flat as the store grows (``bench/serve.py``, 100,000 articles):
  attributions and events carry their own newest-first sort key (schema 6), so
  "the newest quotes of this speaker" reads one index range per name and stops
  after a page (``_Filter``, ``_newest_seqs``); aggregates a page needs whole
  (an actor's article and mention counts, a dyad's weekly table, quotes per
  speaker name) are kept up to date as rows are written.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from newsgraph.errors import NotFound, StoreError
from newsgraph.store.rows import (
    NO_VALUE,
    QUOTE_KINDS,
    UNDATED,
    ActorArticle,
    ActorDetail,
    ActorRow,
    ActorWeek,
    AddResult,
    AnalysisCounts,
    ArticleRow,
    CoActor,
    EventRow,
    EventTally,
    FacetCount,
    FailureRow,
    NotAnalysedCount,
    QuoteCounts,
    QuoteRow,
    RunRow,
    SearchFacets,
    SearchHit,
    SourceRow,
    SpeakerRow,
    StoredArticle,
    StoryRow,
)
from newsgraph.types import AnalysisStatus, Article, Attribution, Entity, Event, Failure, Removed, TextSpan
from newsgraph.weeks import week_start

BUSY_TIMEOUT_MS = 10_000
#: An actor page picks its newest quotes and events among this many most recently stored rows.
CANDIDATES = 2_000
ITER_BATCH = 500
MIN_PREFIX = 4
SNIPPET_TOKENS = 12


_T = TypeVar("_T")


class _Stored(NamedTuple):
    """The stored article a row belongs to: its id, rowid and date (copied onto the row as its sort key)."""

    id: str
    seq: int
    published: str | None


_MIGRATION_NAME = re.compile(r"^(\d{4})_([A-Za-z0-9_]+)\.sql$")
_HEX = re.compile(r"^[0-9a-f]+$")

_ERROR_CODES = {
    "SQLITE_BUSY": "store.locked",
    "SQLITE_LOCKED": "store.locked",
    "SQLITE_CORRUPT": "store.corrupt",
    "SQLITE_NOTADB": "store.corrupt",
    "SQLITE_FULL": "store.full",
    "SQLITE_READONLY": "store.readonly",
    "SQLITE_CANTOPEN": "store.cant_open",
    "SQLITE_IOERR": "store.io",
    "SQLITE_PERM": "store.readonly",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _store_error(exc: BaseException, what: str) -> StoreError:
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_CONSTRAINT") or isinstance(exc, sqlite3.IntegrityError):
            code = "store.integrity"
        else:
            code = next((c for key, c in _ERROR_CODES.items() if name == key or name.startswith(key + "_")),
                        "store.error")
        return StoreError(f"{what}: {exc}", code=code)
    if isinstance(exc, UnicodeEncodeError):
        return StoreError(f"{what}: text is not valid Unicode ({exc.reason})", code="store.invalid")
    return StoreError(f"{what}: {exc}")


def _day(value: str, name: str) -> str:
    """A ``since``/``until`` filter value as ``YYYY-MM-DD`` (``store.bad_date`` otherwise)."""
    from newsgraph.days import parse_day

    try:
        return parse_day(value, name)
    except ValueError as exc:
        raise StoreError(str(exc), code="store.bad_date") from None


def _date_range(column: str, since: str | None, until: str | None) -> list[tuple[str, str]]:
    """``(condition, parameter)`` pairs for "``column`` from ``since`` to ``until``, both days included"
    (dates and timestamps are ISO strings; ``until`` = 9999-12-31 leaves the end open)."""
    from newsgraph.days import day_after

    conds = []
    if since:
        conds.append((f"{column} >= ?", _day(since, "since")))
    if until:
        bound = day_after(_day(until, "until"))
        if bound is not None:
            conds.append((f"{column} < ?", bound))
    return conds


def _retry_locked(fn: Callable[[], _T], timeout: float = BUSY_TIMEOUT_MS / 1000) -> _T:
    """``fn()``, tried again (briefly sleeping) while SQLite answers "database is locked"."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return fn()
        except (sqlite3.OperationalError, StoreError) as exc:
            cause = exc if isinstance(exc, sqlite3.OperationalError) else exc.__cause__
            locked = isinstance(cause, sqlite3.OperationalError) and getattr(
                cause, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED")
            if not locked or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _valid_str(value: str) -> str:
    """``value`` if it encodes as UTF-8; else with each lone surrogate written as a ``\\udcXX`` escape."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _removed_json(removed: tuple[Removed, ...], batch: int = 10_000) -> str:
    """``json.dumps`` of an article's removed pieces, encoded ``batch`` at a time: the same text,
    but a page of two million boilerplate lines costs ~0.3x its size in memory here, not ~0.5x."""
    parts = [json.dumps([{"kind": r.kind, "text": r.text} for r in removed[i:i + batch]], ensure_ascii=False)[1:-1]
             for i in range(0, len(removed), batch)]
    return "[" + ", ".join(parts) + "]"


def _run_alive(host: str | None, pid: int | None, start: str | None) -> bool:
    """Whether a 'running' run's process may still run (always True for another host's run)."""
    import socket

    from newsgraph.store.processes import is_alive

    if host is None or pid is None or host != socket.gethostname():
        return True
    return is_alive(int(pid), start)


def _mark_dead_runs(conn: sqlite3.Connection) -> int:
    """'running' runs of this host whose process is gone become 'interrupted' (in the caller's transaction)."""
    dead = [rid for rid, host, pid, start in conn.execute(
        "SELECT id, host, pid, pid_start FROM ingest_runs WHERE status = 'running'").fetchall()
        if not _run_alive(host, pid, start)]
    for rid in dead:
        conn.execute("UPDATE ingest_runs SET status = 'interrupted' WHERE id = ?", (rid,))
    return len(dead)


def migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every bundled migration, in order."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("newsgraph.store.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"bundled migrations are not numbered 1..n: {versions}", code="store.schema")
    return found


def _statements(sql: str) -> Iterator[str]:
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


# What one search query may ask for (``_check_cost``). The caps bound the worst case; the
# time box (``QUERY_TIMEOUT``) stops whatever is still too slow. Costs on the 100,000-article
# bench store (``bench/synth_store.py``, 2 cores): the 32 commonest words OR-ed 1.7 s, 8 common
# two-letter prefixes OR-ed 2.0 s; the issue's 83 one-letter prefixes OR-ed 40 s.

#: Words one search query may hold (each word of a phrase counts; AND, OR, NOT, NEAR and column
#: names do not): each word is one more list of articles to read and merge.
MAX_QUERY_TERMS = 32
#: Prefix terms (``word*``) one search query may hold: a prefix expands to every indexed word
#: that starts with it, and the lists of articles of all of them are read and merged.
MAX_QUERY_PREFIXES = 8
#: Letters a prefix needs before its ``*``. ``a*`` expands to a large share of the vocabulary
#: ("a", "and", "after", "about" ...) and so reads an entry for nearly every article: 1.6 s
#: for that one term on the bench store (a two-letter prefix: 0.6-0.8 s).
MIN_PREFIX_CHARS = 2

_FTS_PIECE = re.compile(r'"(?:[^"]|"")*"?|(?:[A-Za-z0-9_\x1a]|[^\x00-\x7f])+|\S')
_FTS_WORD = re.compile(r"[^\W_]+")
_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _fallback_query(query: str) -> str | None:
    """Each whitespace-separated word as an FTS5 phrase (``w*`` kept as a prefix)."""
    parts = []
    for word in query.split():
        prefix = word.endswith("*")
        core = word.rstrip("*") if prefix else word
        if not any(ch.isalnum() for ch in core):
            continue
        parts.append('"' + core.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts) or None


def _query_terms(query: str) -> tuple[int, list[str]]:
    """``(words, prefixes)`` of an FTS5 query as its tokenizer (unicode61) sees them: how many
    words it searches, and the word before each ``*``, lower-cased. Operators and column names
    (``title:``, ``{title text}:``) are not words; a ``*`` after a phrase applies to its last word.
    Syntax errors are read the same way (the fallback query has the same words)."""
    n, prefixes = 0, []
    last: str | None = None  # the last word of the bareword or phrase just read
    in_columns = False
    pieces = _FTS_PIECE.findall(query)
    for i, piece in enumerate(pieces):
        if piece == "*":
            if last is not None:
                prefixes.append(last)
            last = None
            continue
        last = None
        if piece in ("{", "}"):
            in_columns = piece == "{"
            continue
        if in_columns or piece in _FTS_OPERATORS or (i + 1 < len(pieces) and pieces[i + 1] == ":"):
            continue
        words = _FTS_WORD.findall(piece)
        n += len(words)
        if words:
            last = words[-1].lower()
    return n, prefixes


def _check_cost(query: str) -> None:
    """Refuse (``store.bad_query``, saying why) a query whose cost has no useful bound: more than
    ``MAX_QUERY_TERMS`` words or ``MAX_QUERY_PREFIXES`` prefix terms, or a prefix shorter than
    ``MIN_PREFIX_CHARS``. What passes is still time-boxed (``SQLiteStore.query_timeout``)."""
    n, prefixes = _query_terms(query)
    short = next((p for p in prefixes if len(p) < MIN_PREFIX_CHARS), None)
    if short is not None:
        raise StoreError(f"search query too expensive: the prefix {short}* matches most words of every article;"
                         f" give at least {MIN_PREFIX_CHARS} letters before a *", code="store.bad_query")
    if n > MAX_QUERY_TERMS:
        raise StoreError(f"search query too expensive: {n} words, at most {MAX_QUERY_TERMS} are searched at once",
                         code="store.bad_query")
    if len(prefixes) > MAX_QUERY_PREFIXES:
        raise StoreError(f"search query too expensive: {len(prefixes)} prefix terms (word*),"
                         f" at most {MAX_QUERY_PREFIXES} are searched at once", code="store.bad_query")


def _check_query(query: str) -> None:
    if not query or not query.strip():
        raise StoreError("empty search query", code="store.bad_query")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError("search query is not valid Unicode", code="store.bad_query") from exc
    if "\x00" in query:
        raise StoreError("search query contains a NUL character", code="store.bad_query")
    if not any(ch.isalnum() for ch in query):
        raise StoreError(f"search query {query!r} has no searchable words", code="store.bad_query")
    _check_cost(query)


def _fts_rows(conn: sqlite3.Connection, sql: str, query: str, params: tuple[Any, ...],
              params_before: tuple[Any, ...]) -> list[Any]:
    """Run an FTS5 ``MATCH ?`` query: the user's syntax first, else each word as a phrase."""
    return _with_fts(query, lambda q: conn.execute(sql, (*params_before, q, *params)).fetchall())


def _with_fts(query: str, run: Callable[[str], _T]) -> _T:
    """``run(q)`` with the user's FTS5 query; on a syntax error, with each word as a phrase.
    Both are checked first (``_check_query``, ``_check_cost``)."""
    _check_query(query)
    try:
        return run(query)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "SQLITE_ERROR") != "SQLITE_ERROR":
            raise
        fallback = _fallback_query(query)
        if fallback is None:
            raise StoreError(f"search query {query!r} has no searchable words",
                             code="store.bad_query") from exc
        _check_cost(fallback)
        try:
            return run(fallback)
        except sqlite3.OperationalError as exc2:
            if getattr(exc2, "sqlite_errorname", "SQLITE_ERROR") != "SQLITE_ERROR":
                raise
            raise StoreError(f"cannot understand search query {query!r}: {exc}",
                             code="store.bad_query") from exc2


def _search_filters(outlet: str | None, language: str | None, month: str | None) -> tuple[str, list[str]]:
    """``(" AND ...", params)`` restricting a search (alias ``a`` for articles) to one outlet,
    language and month; ``NO_VALUE``/``UNDATED`` select the articles without one."""
    conds: list[str] = []
    params: list[str] = []
    for column, value in (("a.outlet", outlet), ("a.language", language)):
        if value == NO_VALUE:
            conds.append(f"COALESCE({column}, '') = ''")
        elif value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    if month == UNDATED:
        conds.append("COALESCE(length(a.published), 0) < 7")
    elif month is not None:
        conds.append("length(a.published) >= 7 AND substr(a.published, 1, 7) = ?")
        params.append(month)
    return "".join(" AND " + c for c in conds), params


#: Seconds one read may run by default (``Settings.query_timeout``); past it the read stops
#: with ``store.too_expensive``. Ordinary reads take milliseconds (p95 < 100 ms per page on the
#: bench store); the worst queries the caps allow take about 2 s there when run alone.
QUERY_TIMEOUT = 3.0
#: SQLite VM steps between two looks at a read's deadline (the progress handler): a few ms of
#: work on an FTS query, so a read stops within a fraction of a second of its deadline. Each look
#: takes the GIL: at 1,000 steps, four concurrent searches spent their time handing it over
#: (93 -> 140 searches/s at 5,000 on the 100k bench store, 4 clients).
PROGRESS_STEPS = 5_000
#: Read connections map the database file (shared OS pages instead of a private page cache each).
READ_MMAP_BYTES = 1 << 30
#: Idle read connections kept for reuse (more are opened while more threads read at once).
READ_POOL = 8


class _Conn(sqlite3.Connection):
    """A connection whose statements stop (``SQLITE_INTERRUPT``) once ``deadline`` has passed."""

    deadline: float | None = None

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


class SQLiteStore:
    """The ``Store`` protocol over one SQLite file (or ``:memory:``).

    Connections: writes go through one connection, behind a lock, as do the reads of the thread
    that opened the store (the CLI, a script: one connection in all). Reads from any other thread
    (the server's request threads) each take a read connection of their own from a small pool
    (``READ_POOL``, opened on demand, ``query_only``), so one slow read never holds up another
    read or a write (WAL lets readers and the writer run side by side). An in-memory store is
    one database per connection, so it keeps everything on its one connection.

    Every read is time-boxed: a progress handler stops it once ``query_timeout`` seconds have
    passed (``store.too_expensive``); writes are never stopped.
    """

    def __init__(self, path: str | Path, *, query_timeout: float | None = QUERY_TIMEOUT) -> None:
        self.path = str(path)
        #: Seconds one read may run (None or 0: no limit).
        self.query_timeout = query_timeout
        self._lock = threading.RLock()
        self._conn: _Conn | None = None
        self._corr: Any = None  # newsgraph.registry.Corrections, loaded on first use
        from newsgraph.store.facets import FacetColumns

        self._facets = FacetColumns()  # search facets: every article's outlet, language, month
        self._owner = threading.get_ident()  # reads on this thread share the write connection
        self._shared = True  # an in-memory database: everything on one connection (set below)
        self._pool_lock = threading.Lock()
        self._idle: list[_Conn] = []  # read connections not in use
        self._closed = False
        try:
            if self.path != ":memory:" and not self.path.startswith("file:"):
                parent = Path(self.path).parent
                if not parent.is_dir():
                    raise StoreError(f"cannot open store {self.path}: directory {parent} does not exist",
                                     code="store.cant_open")
            conn = self._connect()
        except sqlite3.Error as exc:
            raise _store_error(exc, f"cannot open store {self.path}") from exc
        self._conn = conn
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            # Switching a new file to WAL, or upgrading a read lock, can answer "locked" at once
            # instead of waiting (SQLite's deadlock avoidance): several processes opening one
            # new store retry here until the busy timeout.
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")
            _retry_locked(self._migrate)
            self._shared = not conn.execute("PRAGMA database_list").fetchone()[2]  # no file: in memory
        except BaseException as exc:
            conn.close()
            self._conn = None
            if isinstance(exc, StoreError):
                raise
            if isinstance(exc, sqlite3.Error):
                raise _store_error(exc, f"cannot open store {self.path}") from exc
            raise

    def _connect(self, *, read_only: bool = False) -> _Conn:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False, uri=self.path.startswith("file:"), factory=_Conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if read_only:
                conn.execute("PRAGMA query_only = ON")
                conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
            conn.set_progress_handler(conn.past_deadline, PROGRESS_STEPS)
        except BaseException:
            conn.close()
            raise
        return conn

    # -- plumbing ---------------------------------------------------------

    @property
    def schema_version(self) -> int:
        with self._op("read schema version") as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        conn = self._conn
        assert conn is not None
        known = migrations()
        latest = known[-1][0] if known else 0
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if current > latest:
            raise StoreError(
                f"store {self.path} has schema version {current}, newer than this newsgraph "
                f"understands ({latest}); upgrade newsgraph", code="store.too_new")
        for version, name, sql in known:
            if version <= current:
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                now_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if now_version >= version:
                    conn.execute("ROLLBACK")
                    current = now_version
                    continue
                for stmt in _statements(sql):
                    conn.execute(stmt)
                if version in _BACKFILL:
                    _BACKFILL[version](conn)
                conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (version, name, _now()))
                conn.execute(f"PRAGMA user_version = {int(version)}")
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"migration {version:04d}_{name} failed: {exc}",
                                     code="store.migration") from exc
                raise
            current = version

    @contextmanager
    def _op(self, what: str) -> Iterator[sqlite3.Connection]:
        """One read: on the write connection (this store's opening thread, or in memory), else on
        a pooled read connection; time-boxed; sqlite3 errors become ``StoreError``."""
        if self._shared or threading.get_ident() == self._owner:
            with self._locked(what, self.query_timeout) as conn:
                yield conn
            return
        conn = self._take_reader(what)
        try:
            with self._timed(conn, what, self.query_timeout):
                yield conn
        finally:
            self._give_back(conn)

    @contextmanager
    def _locked(self, what: str, timeout: float | None) -> Iterator[_Conn]:
        """The write connection, behind its lock."""
        with self._lock:
            if self._conn is None:
                raise StoreError("the store is closed", code="store.closed")
            with self._timed(self._conn, what, timeout) as conn:
                yield conn

    @contextmanager
    def _timed(self, conn: _Conn, what: str, timeout: float | None) -> Iterator[_Conn]:
        """``conn`` with a deadline ``timeout`` s from now (none when None or 0): a statement
        still running then stops, as ``store.too_expensive``. Other sqlite3 errors become
        ``StoreError`` too."""
        before = conn.deadline
        if timeout:
            conn.deadline = time.monotonic() + timeout
        try:
            yield conn
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT" and conn.past_deadline():
                limit = f"after {timeout:g} s" if timeout else "at its deadline"
                raise StoreError(f"{what}: query too expensive: stopped {limit}",
                                 code="store.too_expensive") from exc
            raise _store_error(exc, what) from exc
        finally:
            conn.deadline = before

    def _take_reader(self, what: str) -> _Conn:
        with self._pool_lock:
            if self._closed:
                raise StoreError("the store is closed", code="store.closed")
            if self._idle:
                return self._idle.pop()
        try:
            return self._connect(read_only=True)
        except sqlite3.Error as exc:
            raise _store_error(exc, what) from exc

    def _give_back(self, conn: _Conn) -> None:
        with self._pool_lock:
            if not self._closed and len(self._idle) < READ_POOL:
                self._idle.append(conn)
                return
        try:
            conn.close()
        except sqlite3.Error:
            pass

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` ... ``COMMIT`` on the write connection (never time-boxed);
        rolled back on any exception."""
        with self._locked(what, None) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise

    def _index_article(self, conn: sqlite3.Connection, seq: int, title: str | None, text: str) -> None:
        conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (seq, title, text))

    # -- writes -----------------------------------------------------------

    def add_article(self, article: Article, *, analysis: str | None = None) -> AddResult:
        """Store ``article`` with its source, in one transaction.

        ``analysis`` names the analysis that filled its attributions, entities and
        events (``newsgraph.analyze.version.analysis_version()``); None means not
        analysed, except that an article carrying any of them counts as analysed
        ('unversioned'). The same text stored earlier without analysis gets this
        one's analysis now (``"analysed"``); otherwise a known text only adds its
        source (``"new_source"``) or nothing (``"duplicate"``).
        """
        if not article.id:
            raise StoreError("article has no id", code="store.invalid", source=article.source)
        if analysis is None and (article.attributions or article.entities or article.events):
            analysis = "unversioned"
        now = _now()
        authors = json.dumps(list(article.authors), ensure_ascii=False)
        removed = _removed_json(article.removed)
        from newsgraph.stories import signature

        sig = signature(article.text)  # outside the write lock: ~1 ms of hashing
        with self._write(f"cannot store article from {_valid_str(article.source)}") as conn:
            row = conn.execute("SELECT seq, published, analysis FROM articles WHERE id = ?",
                               (article.id,)).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO articles (id, title, outlet, authors, published, language, text, removed,"
                    f" n_chars, added_at, analysis, {_STATUS_COLS}, {_EVIDENCE_COLS}) VALUES ({', '.join('?' * 20)})",
                    (article.id, article.title, article.outlet, authors, article.published,
                     article.language, article.text, removed, len(article.text), now, analysis,
                     *_status_cols(article, analysis), *_evidence_cols(article)))
                seq = cur.lastrowid
                assert seq is not None
                conn.execute("INSERT INTO sources (article_id, source, url, added_at) VALUES (?, ?, ?, ?)",
                             (article.id, article.source, article.url, now))
                self._index_article(conn, seq, article.title, article.text)
                _insert_signature(conn, seq, sig)
                self._insert_analysis(conn, _Stored(article.id, seq, article.published), article)
                return "new"
            cur = conn.execute(
                "INSERT INTO sources (article_id, source, url, added_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (source, article_id) DO NOTHING",
                (article.id, article.source, article.url, now))
            if analysis is not None and row[2] is None:
                # Stored earlier without analysis (ingest --no-analyze): add this analysis now.
                stored = _Stored(article.id, row[0], row[1])
                self._clear_analysis(conn, stored)
                self._insert_analysis(conn, stored, article)
                _set_analysis(conn, stored.seq, article, analysis)
                return "analysed"
            return "new_source" if cur.rowcount == 1 else "duplicate"

    def replace_analysis(self, article: Article, analysis: str) -> None:
        """Replace the stored article's attributions, entities and events with ``article``'s
        (same id and text; ``newsgraph analyze --store``), aggregates and actor counts included,
        in one transaction."""
        with self._write(f"cannot store the analysis of {article.id}") as conn:
            row = conn.execute("SELECT seq, published, n_chars FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is None:
                raise NotFound(f"no article with id {article.id!r}")
            if row[2] != len(article.text):
                raise StoreError(f"analysis of {article.id} is for another text", code="store.invalid")
            stored = _Stored(article.id, row[0], row[1])
            self._clear_analysis(conn, stored)
            self._insert_analysis(conn, stored, article)
            _set_analysis(conn, stored.seq, article, analysis)

    def articles_to_analyse(self, *, after_seq: int = 0, limit: int = 100, current: str | None = None
                            ) -> list[tuple[int, Article]]:
        """``(seq, article)`` of stored articles without analysis, oldest first, after ``after_seq``
        (keyset pagination). With ``current``, also those analysed by any other analysis version."""
        where = "analysis IS NULL" if current is None else "(analysis IS NULL OR analysis != ?)"
        params: tuple[Any, ...] = () if current is None else (current,)
        with self._op("cannot read articles to analyse") as conn:
            rows = conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE seq > ? AND {where}"
                                " ORDER BY seq LIMIT ?", (after_seq, *params, max(0, int(limit)))).fetchall()
            out = []
            for row in rows:
                sources = [SourceRow(*r) for r in conn.execute(
                    "SELECT source, url, added_at FROM sources WHERE article_id = ? ORDER BY seq LIMIT 1", (row[1],))]
                out.append((row[0], _stored(row, sources).article))
        return out

    def count_to_analyse(self, *, current: str | None = None) -> int:
        """How many articles ``articles_to_analyse`` would give in all."""
        where = "analysis IS NULL" if current is None else "(analysis IS NULL OR analysis != ?)"
        with self._op("cannot count articles to analyse") as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM articles WHERE {where}",
                                    () if current is None else (current,)).fetchone()[0])

    def _insert_analysis(self, conn: sqlite3.Connection, stored: _Stored, article: Article) -> None:
        _insert_attributions(conn, stored, article.attributions)
        self._insert_entities(conn, stored, article.entities)
        _insert_events(conn, stored, article.events)

    def _clear_analysis(self, conn: sqlite3.Connection, stored: _Stored) -> None:
        """Remove an article's attributions, entities and events, and take them out of every
        aggregate they were counted in (the reverse of ``_insert_analysis``)."""
        _delete_attributions(conn, stored)
        keys = _delete_entities(conn, stored)
        _delete_events(conn, stored)
        if keys:
            self._recount(conn, *keys)
            _prune_actors(conn, keys)

    def _insert_entities(self, conn: sqlite3.Connection, stored: _Stored, entities: tuple[Entity, ...]) -> None:
        names = [e.name for e in entities]
        article_id, published = stored.id, stored.published
        counted: set[str] = set()
        for e in entities:
            mentions = json.dumps([[m.start, m.end] for m in e.mentions])
            context = [n for n in names if n != e.name]
            key = self._link_actor(conn, e, context)
            conn.execute(
                "INSERT INTO article_entities (article_id, entity_id, name, type, mentions, n_mentions, actor_key,"
                " published) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, e.id, e.name, e.type, mentions, len(e.mentions), key, published))
            conn.execute("UPDATE actors SET n_articles = n_articles + ?, n_mentions = n_mentions + ? WHERE key = ?",
                         (int(key not in counted), len(e.mentions), key))
            _count_week(conn, e.name, published, articles=1, mentions=len(e.mentions))
            counted.add(key)

    def _recount(self, conn: sqlite3.Connection, *keys: str) -> None:
        for key in keys:
            conn.execute(
                "UPDATE actors SET n_articles = (SELECT COUNT(DISTINCT article_id) FROM article_entities"
                " WHERE actor_key = ?), n_mentions = (SELECT COALESCE(SUM(n_mentions), 0) FROM article_entities"
                " WHERE actor_key = ?) WHERE key = ?", (key, key, key))

    def start_run(self, argv: list[str]) -> int:
        """A new ingest run, 'running' until ``finish_run``; runs of dead processes are marked first."""
        from newsgraph.store.processes import this_process

        host, pid, start = this_process()
        with self._write("cannot start ingest run") as conn:
            _mark_dead_runs(conn)
            cur = conn.execute("INSERT INTO ingest_runs (started_at, argv, status, host, pid, pid_start)"
                               " VALUES (?, ?, 'running', ?, ?, ?)",
                               (_now(), json.dumps([_valid_str(a) for a in argv], ensure_ascii=False), host, pid,
                                start))
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, int], *, status: str = "finished") -> None:
        """Record how run ``run_id`` ended: ``finished``, or ``interrupted`` (signal, Ctrl-C, a fatal error)."""
        if status not in ("finished", "interrupted"):
            raise ValueError(f"unknown run status {status!r}")
        with self._write(f"cannot finish ingest run {run_id}") as conn:
            cur = conn.execute("UPDATE ingest_runs SET finished_at = ?, counts = ?, status = ? WHERE id = ?",
                               (_now(), json.dumps(dict(counts), ensure_ascii=False, sort_keys=True), status,
                                run_id))
            if cur.rowcount == 0:
                raise NotFound(f"no ingest run {run_id}")

    def mark_dead_runs(self) -> int:
        """Mark 'running' runs whose process is gone (killed) as 'interrupted'; how many were."""
        with self._write("cannot check ingest runs") as conn:
            return _mark_dead_runs(conn)

    def runs(self, *, limit: int = 20) -> list[RunRow]:
        """Ingest runs, newest first, with how each ended (dead processes' runs show 'interrupted')."""
        with self._op("cannot read ingest runs") as conn:
            rows = conn.execute(
                "SELECT r.id, r.started_at, r.finished_at, r.status, r.argv, r.counts, r.host, r.pid, r.pid_start,"
                " (SELECT COUNT(*) FROM ingest_errors e WHERE e.run_id = r.id)"
                " FROM ingest_runs r ORDER BY r.id DESC LIMIT ?", (max(0, int(limit)),)).fetchall()
        out = []
        for rid, started, finished, status, argv, counts, host, pid, start, n_failures in rows:
            if status == "running" and not _run_alive(host, pid, start):
                status = "interrupted"
            out.append(RunRow(rid, started, finished, status, tuple(json.loads(argv or "[]")),
                              json.loads(counts) if counts else {}, n_failures))
        return out

    def log_failure(self, run_id: int, failure: Failure) -> None:
        """Append ``failure`` to run ``run_id``'s log, a refused page's kind, title, url and day in
        columns of their own. Its strings are made storable first (lone surrogates from an
        undecodable file name become ``\\udcXX`` escapes), so logging never fails on them."""
        def text(value: str | None) -> str | None:
            return None if value is None else _valid_str(value)

        with self._write(f"cannot log failure for {_valid_str(failure.source)}") as conn:
            if conn.execute("SELECT 1 FROM ingest_runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise NotFound(f"no ingest run {run_id}")
            conn.execute("INSERT INTO ingest_errors (run_id, source, code, message, at, kind, title, url, published)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (run_id, _valid_str(failure.source), _valid_str(failure.code),
                          _valid_str(failure.message), _now(), text(failure.kind), text(failure.title),
                          text(failure.url), text(failure.published)))

    # -- reads ------------------------------------------------------------

    def has_source(self, source: str, *, analysed: bool = False) -> bool:
        """True if ``source`` is stored (with ``analysed``: and its article has been analysed)."""
        sql = ("SELECT 1 FROM sources s JOIN articles a ON a.id = s.article_id WHERE s.source = ?"
               " AND a.analysis IS NOT NULL LIMIT 1") if analysed else "SELECT 1 FROM sources WHERE source = ? LIMIT 1"
        with self._op("cannot look up source") as conn:
            return conn.execute(sql, (source,)).fetchone() is not None

    def count_articles(self) -> int:
        with self._op("cannot count articles") as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def get_article(self, id_or_prefix: str) -> StoredArticle:
        key = id_or_prefix.strip().lower()
        if len(key) < MIN_PREFIX or not _HEX.match(key):
            raise StoreError(f"not an article id or prefix: {id_or_prefix!r} "
                             f"(give at least {MIN_PREFIX} hex digits)", code="store.bad_id")
        with self._op(f"cannot read article {id_or_prefix}") as conn:
            rows = conn.execute(
                f"SELECT {_ARTICLE_COLS} FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (key, key + "g")).fetchall()
            exact = [r for r in rows if r[1] == key]
            if exact:
                rows = exact
            if not rows:
                raise NotFound(f"no article with id {id_or_prefix!r}")
            if len(rows) > 1:
                raise StoreError(f"id prefix {id_or_prefix!r} matches several articles; give more digits",
                                 code="store.ambiguous")
            row = rows[0]
            sources = conn.execute("SELECT source, url, added_at FROM sources WHERE article_id = ? ORDER BY seq",
                                   (row[1],)).fetchall()
            attributions = _read_attributions(conn, "article_id = ?", (row[1],)).get(row[1], [])
            entities = _read_entities(conn, "article_id = ?", (row[1],), {row[1]: row[7]}).get(row[1], [])
            events = _read_events(conn, "article_id = ?", (row[1],)).get(row[1], [])
            return _stored(row, [SourceRow(*s) for s in sources], attributions, entities, events)

    def list_articles(self, *, limit: int = 50, offset: int = 0, outlet: str | None = None,
                      language: str | None = None, since: str | None = None,
                      until: str | None = None) -> list[ArticleRow]:
        """Articles, newest first; ``since``/``until`` bound the publication date (both days included)."""
        where: list[str] = []
        params: list[Any] = []
        for cond, value in _date_range("a.published", since, until):
            where.append(cond)
            params.append(value)
        if outlet is not None:
            where.append("a.outlet = ?")
            params.append(outlet)
        if language is not None:
            where.append("a.language = ?")
            params.append(language)
        sql = ("SELECT a.id, a.title, a.outlet, a.published, a.language, a.n_chars,"
               " (SELECT COUNT(*) FROM sources s WHERE s.article_id = a.id), a.added_at,"
               " a.published_source, a.published_confidence FROM articles a"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?")
        with self._op("cannot list articles") as conn:
            rows = conn.execute(sql, (*params, max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [ArticleRow(*r) for r in rows]

    def search(self, query: str, *, limit: int = 20, offset: int = 0, outlet: str | None = None,
               language: str | None = None, month: str | None = None) -> list[SearchHit]:
        """Articles matching ``query`` (FTS5 syntax), best first (BM25, the title weighing 5x).

        ``outlet``, ``language`` and ``month`` (``YYYY-MM``; ``NO_VALUE``/``UNDATED`` for articles
        without one) are part of the query, so a filtered page is exact and pages on.
        """
        cond, fparams = _search_filters(outlet, language, month)
        sql = ("SELECT a.id, a.title, a.outlet, a.published,"
               f" snippet(articles_fts, -1, '[', ']', '…', {SNIPPET_TOKENS}), articles_fts.rank, a.language"
               " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
               f" WHERE articles_fts MATCH ?{cond} ORDER BY articles_fts.rank LIMIT ? OFFSET ?")
        params = (*fparams, max(0, int(limit)), max(0, int(offset)))
        with self._op("search failed") as conn:
            rows = _fts_rows(conn, sql, query, params, params_before=())
        return [SearchHit(id=r[0], title=r[1], outlet=r[2], published=r[3], snippet=r[4], language=r[6],
                          score=-float(r[5])) for r in rows]

    def search_facets(self, query: str, *, outlet: str | None = None, language: str | None = None,
                      month: str | None = None) -> SearchFacets:
        """Outlet, language and month counts over every article ``query`` matches (the FTS match's
        row ids, time-boxed like every read, counted against the facet columns held in memory:
        ``newsgraph.store.facets``); each facet counts the matches that pass the other facets'
        filters (``SearchFacets``)."""
        import numpy as np

        with self._op("search failed") as conn:
            seqs = _with_fts(query, lambda q: np.fromiter(
                (r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (q,))),
                dtype=np.int64))
            if len(seqs) and int(seqs.max()) > self._facets.max_seq:
                self._facets.extend(conn.execute(
                    "SELECT seq, outlet, language, published FROM articles INDEXED BY articles_facets"
                    " WHERE seq > ? ORDER BY seq", (self._facets.max_seq,)))
        groups = self._facets.groups(seqs)
        want = (outlet, language, month)

        def passes(group: tuple[Any, ...], skip: int | None = None) -> bool:
            return all(w is None or i == skip or group[i] == w for i, w in enumerate(want))

        def counts(i: int) -> Counter[str]:
            c: Counter[str] = Counter()
            for g in groups:
                if passes(g, skip=i):
                    c[g[i]] += g[3]
            return c

        def most_first(c: Counter[str]) -> tuple[FacetCount, ...]:
            return tuple(FacetCount(v, n) for v, n in sorted(c.items(), key=lambda x: (-x[1], x[0])))

        months = sorted(counts(2).items(), key=lambda x: (x[0] != UNDATED, x[0]), reverse=True)
        return SearchFacets(total=sum(g[3] for g in groups), matching=sum(g[3] for g in groups if passes(g)),
                            outlet=most_first(counts(0)), language=most_first(counts(1)),
                            month=tuple(FacetCount(v, n) for v, n in months))

    def quotes(self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 50,
               offset: int = 0, kinds: tuple[str, ...] | None = None,
               min_confidence: float | None = None) -> list[QuoteRow]:
        """Attributions, newest article first, filtered by speaker (a substring of the
        canonical name or of the source as written, case-insensitive), topic words
        (FTS5 over what was said), outlet and publication date (``since``..``until``, days included),
        what sort of record they are (``kinds``, any of ``store.QUOTE_KINDS``; None: every one)
        and their least ``confidence`` (``min_confidence``, inclusive; None or 0: any)."""
        kind_cond, least = _kinds_cond(kinds), _confidence(min_confidence)
        # Most records are statements clearing the threshold: walk the newest-first index and
        # keep those that pass ("+" keeps SQLite from reading the flags index and sorting every
        # match). Only negated records are rare enough for the flags index to drive the read.
        plus = "" if kinds is not None and {k.strip().lower() for k in kinds} == {"negated"} else "+"
        with self._op("quote search failed") as conn:
            q = self._quote_filter(conn, speaker, outlet, since, until)
            if kind_cond is not None:
                q.where(kind_cond.replace("t.", plus + "t."))
            if least is not None:
                q.where(f"{plus}t.confidence >= ?", least)
            if about:
                return _with_fts(about, lambda fts: _quote_rows(conn, q.matching(fts), limit, offset))
            return _quote_rows(conn, q, limit, offset)

    def quote_counts(self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
                     since: str | None = None, until: str | None = None, kinds: tuple[str, ...] | None = None,
                     min_confidence: float | None = None) -> QuoteCounts:
        """How many attributions ``quotes`` with these filters lists in all (over every page), and
        how many of those passing the other filters its ``kinds`` and ``min_confidence`` hide."""
        kind_cond, least = _kinds_cond(kinds), _confidence(min_confidence)
        with self._op("quote count failed") as conn:
            if not (speaker or about or outlet or since or until):
                return _count_quotes(conn, _Filter(), kind_cond, least, table="attribution_tally")
            q = self._quote_filter(conn, speaker, outlet, since, until)
            if about:
                return _with_fts(about, lambda fts: _count_quotes(conn, q.matching(fts), kind_cond, least))
            return _count_quotes(conn, q, kind_cond, least)

    def _quote_filter(self, conn: sqlite3.Connection, speaker: str | None, outlet: str | None,
                      since: str | None, until: str | None) -> _Filter:
        q = _Filter()
        if speaker:
            like = "%" + speaker.strip().replace("%", "").replace("_", "") + "%"
            # Names from the actor registry (a small table) let the indexes do the work;
            # a name no actor has falls back to scanning what sources were called.
            names = [r[0] for r in conn.execute(
                "SELECT DISTINCT alias FROM actor_aliases WHERE alias LIKE ? LIMIT 500", (like,))]
            if names:
                q.any_of("t.source_entity = ?", names)
                q.any_of("t.source_text = ? COLLATE NOCASE", [speaker.strip()])
            else:
                q.where("(t.source_entity LIKE ? OR t.source_text LIKE ?)", like, like)
        if outlet:
            q.join = " JOIN articles a ON a.seq = t.article_seq"
            q.where("a.outlet = ? COLLATE NOCASE", outlet)
        for cond, value in _date_range("t.published", since, until):
            q.where(cond, value)
        return q

    def analysis_counts(self) -> AnalysisCounts:
        """How many articles were analysed, and how many were not, per reason and language
        (read from the ``articles_analysis_status`` index alone)."""
        with self._op("cannot count analysed articles") as conn:
            rows = conn.execute("SELECT analysis_status, analysis_code, analysis_language, COUNT(*) FROM articles"
                                " INDEXED BY articles_analysis_status GROUP BY 1, 2, 3").fetchall()
        analysed = sum(n for st, _, _, n in rows if st == "analysed")
        reasons = sorted((NotAnalysedCount(code or "analyze.unknown", lang, n) for st, code, lang, n in rows
                          if st != "analysed"), key=lambda r: (-r.n, r.code, r.language or ""))
        total = sum(r[3] for r in rows)
        return AnalysisCounts(total, analysed, total - analysed, tuple(reasons))

    # -- actor registry ----------------------------------------------------

    def _corrections(self, conn: sqlite3.Connection) -> Any:
        from newsgraph.registry import Corrections

        if self._corr is None:
            self._corr = Corrections(json.loads(r[0]) for r in conn.execute("SELECT op FROM corrections ORDER BY seq"))
        return self._corr

    #: How many of a candidate actor's newest articles give its context (names it was seen with).
    CONTEXT_ARTICLES = 30

    def _candidate_actors(self, conn: sqlite3.Connection, blocks: list[str]) -> list[Any]:
        from newsgraph.registry import Actor

        if not blocks:
            return []
        marks = ", ".join("?" * len(blocks))
        rows = conn.execute(
            f"SELECT a.key, a.name, a.type FROM actors a WHERE a.key IN"
            f" (SELECT actor_key FROM actor_keys WHERE block IN ({marks}))", blocks).fetchall()
        out = []
        for key, name, etype in rows:
            aliases = frozenset(r[0] for r in conn.execute(
                "SELECT alias FROM actor_aliases WHERE actor_key = ?", (key,)))
            out.append(Actor(key, name, etype, aliases))
        return out

    def _actor_context(self, conn: sqlite3.Connection, key: str) -> list[str]:
        """Names the actor was seen with: the other entities of its newest ``CONTEXT_ARTICLES``
        articles (the registry's context for borderline decisions)."""
        return [r[0] for r in conn.execute(
            "SELECT DISTINCT o.name FROM article_entities o WHERE o.article_id IN"
            " (SELECT article_id FROM article_entities WHERE actor_key = ? ORDER BY published DESC LIMIT ?)"
            " AND o.actor_key IS NOT ?", (key, self.CONTEXT_ARTICLES, key))]

    def _registry_type(self, conn: sqlite3.Connection, name: str, etype: str) -> str:
        """``entity_types.registry_type`` fed with the store's actors of exactly this name."""
        from newsgraph.analyze.entity_types import registry_type
        from newsgraph.registry import normalise_name, type_class

        if etype.upper() not in ("GPE", "LOC", "PERSON"):
            return etype
        seen: dict[str, int] = {}
        for t, n in conn.execute(
                "SELECT a.type, a.n_articles FROM actors a WHERE a.key IN"
                " (SELECT actor_key FROM actor_aliases WHERE norm = ?)", (normalise_name(name),)):
            seen[type_class(t)] = seen.get(type_class(t), 0) + int(n or 0)
        return registry_type(name, etype, seen)

    def _link_actor(self, conn: sqlite3.Connection, entity: Entity, context: list[str]) -> str:
        """The registry actor this entity is: an existing one, or a new one.

        * The name is cleaned first (``entity_credits.strip_name_prefix``: no dateline, credit
          label or non-name first word of a person: "Hosting Cook" is "Cook").
        * Its type is the registry's (``entity_types.registry_type``: a known organisation
          typed GPE or PERSON links as an ORG).
        * ``context`` (the other names of the article) goes to the matcher with the
          acronyms the article spells for this entity ("OPCW" among its mentions): acronym
          <-> expansion links need both in one article; the candidates' own context (names
          they were seen with, read lazily) lets a borderline score reach the threshold.
        * Linked to an existing actor with a fuller name form ("Donald Trump" for an actor
          called "Trump"), the actor takes that name; the acronyms become aliases.
        """
        from newsgraph.analyze.entity_credits import strip_name_prefix
        from newsgraph.registry import Matcher, acronym_aliases, fuller, name_keys

        name = strip_name_prefix(entity.name, entity.type) or entity.name
        etype = self._registry_type(conn, name, entity.type)
        acronyms = acronym_aliases(name, etype, {m.text for m in entity.mentions if m.text})
        blocks = sorted(name_keys(name, etype))
        matcher = Matcher(self._candidate_actors(conn, blocks), corrections=self._corrections(conn),
                          context_of=lambda k: self._actor_context(conn, k))
        decision = matcher.match(name, etype, [*context, *acronyms])
        key = matcher.root(decision.actor_key) if decision.actor_key else None
        row = conn.execute("SELECT name, type FROM actors WHERE key = ?", (key,)).fetchone() if key else None
        if row is None:  # no decision, or a correction names an actor that no longer exists
            key = self._new_actor(conn, entity.id if etype == entity.type else f"{etype.lower()}:"
                                  + entity.id.partition(":")[2], name, etype)
        elif fuller(row[0], name, row[1]):
            conn.execute("UPDATE actors SET name = ? WHERE key = ?", (name, key))
        for alias in dict.fromkeys([name, entity.name, *acronyms]):
            self._add_alias(conn, key, alias, etype)
        return key

    def _new_actor(self, conn: sqlite3.Connection, base: str, name: str, etype: str) -> str:
        key, n = base, 1
        while conn.execute("SELECT 1 FROM actors WHERE key = ? UNION ALL SELECT 1 FROM actor_redirects"
                           " WHERE old_key = ?", (key, key)).fetchone() is not None:
            n += 1
            key = f"{base}-{n}"
        conn.execute("INSERT INTO actors (key, name, type, created_at) VALUES (?, ?, ?, ?)",
                     (key, name, etype, _now()))
        return key

    def _add_alias(self, conn: sqlite3.Connection, key: str, alias: str, etype: str) -> None:
        from newsgraph.registry import name_keys, normalise_name

        conn.execute("INSERT INTO actor_aliases (actor_key, alias, norm) VALUES (?, ?, ?)"
                     " ON CONFLICT (actor_key, alias) DO NOTHING", (key, alias, normalise_name(alias)))
        for block in name_keys(alias, etype):
            conn.execute("INSERT INTO actor_keys (actor_key, block) VALUES (?, ?)"
                         " ON CONFLICT (actor_key, block) DO NOTHING", (key, block))

    #: How many close names a failed actor lookup suggests.
    SUGGESTIONS = 5

    def _actor_key(self, conn: sqlite3.Connection, name_or_key: str) -> str:
        """The actor a user means by ``name_or_key`` (``entity NAME``, the entity page, merge / split).

        In order: its key; an old key a merge redirected; any alias exactly (ASCII case
        ignored); any alias in comparison form (``registry.normalise_name``: case, accents,
        titles, transliteration do not matter: "Daukante" finds "Daukantė"); then the
        registry's blocking keys of the name (a surname finds the one person carrying it:
        "daukante" finds "Jurgita Daukantė"; an alias-table form finds its group). Several
        actors -> ``store.ambiguous`` naming them; none -> ``NotFound`` suggesting close names.
        """
        from newsgraph.registry import name_keys, normalise_name

        want = name_or_key.strip()
        if conn.execute("SELECT 1 FROM actors WHERE key = ?", (want,)).fetchone():
            return want
        moved = conn.execute("SELECT new_key FROM actor_redirects WHERE old_key = ?", (want,)).fetchone()
        if moved is not None and conn.execute("SELECT 1 FROM actors WHERE key = ?", (moved[0],)).fetchone():
            return str(moved[0])  # a merged actor's old key: its links keep working
        norm = normalise_name(want)
        blocks = sorted({b for t in ("PERSON", "ORG", "GPE", "NORP", "FAC", "EVENT", "LAW")
                         for b in name_keys(want, t)
                         if b.split("|", 1)[1] in ("n:" + norm, "s:" + norm) or b.split("|", 1)[1][:2] == "g:"})
        for sql, args in (
                ("SELECT DISTINCT actor_key FROM actor_aliases WHERE alias = ? COLLATE NOCASE", (want,)),
                ("SELECT DISTINCT actor_key FROM actor_aliases WHERE norm = ?", (norm,)),
                ("SELECT DISTINCT k.actor_key FROM actor_keys k JOIN actors a ON a.key = k.actor_key"
                 f" WHERE k.block IN ({', '.join('?' * len(blocks))})", tuple(blocks))):
            if not args or not all(args):
                continue
            keys = [r[0] for r in conn.execute(sql, args)]
            if len(keys) == 1:
                return keys[0]
            if len(keys) > 1:
                named = ", ".join(f"{n} ({k})" for k, n in conn.execute(
                    f"SELECT key, name FROM actors WHERE key IN ({', '.join('?' * len(keys))})"
                    " ORDER BY n_articles DESC, name LIMIT 10", keys))
                raise StoreError(f"{name_or_key!r} names several actors: {named}; use a key",
                                 code="store.ambiguous")
        close = self._close_names(conn, norm)
        err = NotFound(f"no actor called {name_or_key!r}"
                       + (f"; did you mean: {', '.join(close)}?" if close else ""))
        err.suggestions = close  # type: ignore[attr-defined]
        raise err

    def _close_names(self, conn: sqlite3.Connection, norm: str) -> list[str]:
        """Actor names closest to a comparison-form query (Indel similarity >= 70 of any alias)."""
        if not norm:
            return []
        from rapidfuzz import fuzz, process

        aliases: dict[str, str] = {}
        for key, alias_norm in conn.execute("SELECT actor_key, norm FROM actor_aliases"):
            if alias_norm:
                aliases.setdefault(alias_norm, key)
        found = process.extract(norm, list(aliases), scorer=fuzz.WRatio, limit=self.SUGGESTIONS * 3,
                                score_cutoff=70)
        out: list[str] = []
        for alias_norm, _score, _ in found:
            row = conn.execute("SELECT name FROM actors WHERE key = ?", (aliases[alias_norm],)).fetchone()
            if row is not None and row[0] not in out:
                out.append(row[0])
            if len(out) >= self.SUGGESTIONS:
                break
        return out

    def _record(self, conn: sqlite3.Connection, op: dict[str, str]) -> None:
        conn.execute("INSERT INTO corrections (op, at) VALUES (?, ?)", (json.dumps(op, sort_keys=True), _now()))

    def merge_actors(self, a: str, b: str) -> str:
        """The user says actor ``b`` is actor ``a``: one actor from now on, also for future articles."""
        try:
            with self._write(f"cannot merge {a!r} and {b!r}") as conn:
                ka, kb = self._actor_key(conn, a), self._actor_key(conn, b)
                if ka == kb:
                    raise StoreError(f"{a!r} and {b!r} are already one actor ({ka}); nothing to merge",
                                     code="store.bad_correction")
                self._record(conn, {"op": "merge", "a": ka, "b": kb})
                _redirect(conn, kb, ka)
                conn.execute("UPDATE article_entities SET actor_key = ? WHERE actor_key = ?", (ka, kb))
                conn.execute("INSERT INTO actor_aliases (actor_key, alias, norm) SELECT ?, alias, norm"
                             " FROM actor_aliases WHERE actor_key = ? ON CONFLICT DO NOTHING", (ka, kb))
                conn.execute("INSERT INTO actor_keys (actor_key, block) SELECT ?, block FROM actor_keys"
                             " WHERE actor_key = ? ON CONFLICT DO NOTHING", (ka, kb))
                conn.execute("DELETE FROM actors WHERE key = ?", (kb,))
                self._recount(conn, ka)
                return ka
        finally:
            self._corr = None

    def split_actor(self, actor: str, alias: str) -> str:
        """The user says ``alias`` is not ``actor``: it becomes an actor of its own (returned)."""
        try:
            with self._write(f"cannot split {alias!r} from {actor!r}") as conn:
                ka = self._actor_key(conn, actor)
                row = conn.execute("SELECT alias FROM actor_aliases WHERE actor_key = ? AND alias = ? COLLATE NOCASE",
                                   (ka, alias.strip())).fetchone()
                if row is None:
                    raise StoreError(f"{actor!r} has no alias {alias!r}", code="store.bad_correction")
                name = row[0]
                etype = conn.execute("SELECT type FROM actors WHERE key = ?", (ka,)).fetchone()[0]
                if conn.execute("SELECT COUNT(*) FROM actor_aliases WHERE actor_key = ?", (ka,)).fetchone()[0] < 2:
                    raise StoreError(f"{name!r} is the only name of {ka}; nothing to split",
                                     code="store.bad_correction")
                from newsgraph.analyze.entity_types import slug

                # The key this name would have had as an actor of its own (often the key it had
                # before a merge): a redirect from it is taken back, so its old links work again.
                base = f"{etype.lower()}:{slug(name)}"
                conn.execute("DELETE FROM actor_redirects WHERE old_key = ? AND new_key = ?", (base, ka))
                kb = self._new_actor(conn, base, name, etype)
                conn.execute("DELETE FROM actor_aliases WHERE actor_key = ? AND alias = ?", (ka, name))
                self._add_alias(conn, kb, name, etype)
                conn.execute("UPDATE article_entities SET actor_key = ? WHERE actor_key = ? AND name = ?",
                             (kb, ka, name))
                # The old actor keeps the blocking keys of its remaining names only.
                conn.execute("DELETE FROM actor_keys WHERE actor_key = ?", (ka,))
                for (other,) in conn.execute("SELECT alias FROM actor_aliases WHERE actor_key = ?", (ka,)).fetchall():
                    self._add_alias(conn, ka, other, etype)
                self._recount(conn, ka, kb)
                self._record(conn, {"op": "split", "a": ka, "b": kb})
                self._record(conn, {"op": "unlink", "name": name, "type": etype, "key": ka})
                return kb
        finally:
            self._corr = None

    def events(self, *, actor: str | None = None, target: str | None = None, type: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 50,
               offset: int = 0) -> list[EventRow]:
        """Events, newest first; actor/target match a part of the canonical name or of the text
        as written (case-insensitive); ``since``/``until`` (days included) compare the event's
        date, else its article's. A mention that repeats an earlier event of its article
        ("the explosion", ``same_as``) is not listed again."""
        q = _Filter(table="events").where("t.same_as IS NULL")
        for role, name in (("actor", actor), ("target", target)):
            if name:
                like = "%" + name.strip().replace("%", "").replace("_", "") + "%"
                q.where(f"(t.{role}_entity LIKE ? OR t.{role}_text LIKE ?)", like, like)
        if type:
            q.where("t.type = ?", type.strip().upper())
        for cond, value in _date_range("t.sort_date", since, until):
            q.where(cond, value)
        with self._op("event search failed") as conn:
            return _event_rows(conn, _newest_seqs(conn, q, limit, offset))

    def _dyad_sides(self, conn: sqlite3.Connection, a: str, b: str) -> list[tuple[str, tuple[str, ...]]]:
        sides = []
        for who in (a, b):
            key = self._actor_key(conn, who)
            name = conn.execute("SELECT name FROM actors WHERE key = ?", (key,)).fetchone()[0]
            sides.append((name, self._aliases(conn, key)))
        return sides

    def dyad(self, a: str, b: str, *, limit: int | None = None) -> tuple[str, str, list[EventRow], list[EventRow]]:
        """Events from actor ``a`` to ``b`` and back, newest first: (name a, name b, a→b rows, b→a rows).

        Names resolve through the actor registry (any alias); each side matches
        the article-level canonical names linked to that actor. ``limit`` caps
        each direction's rows (all when None).
        """
        with self._op(f"cannot read events between {a!r} and {b!r}") as conn:
            (name_a, names_a), (name_b, names_b) = self._dyad_sides(conn, a, b)
            out = []
            for src, dst in ((names_a, names_b), (names_b, names_a)):
                # One branch per (actor name, target name): each reads events_pair_newest in order.
                q = _Filter(table="events").any_of("t.actor_entity = ? AND t.target_entity = ?",
                                                   [(s, d) for s in src for d in dst])
                n = limit if limit is not None else conn.execute(
                    f"SELECT COUNT(*) FROM events WHERE actor_entity IN ({', '.join('?' * len(src))})"
                    f" AND target_entity IN ({', '.join('?' * len(dst))})", (*src, *dst)).fetchone()[0]
                out.append(_event_rows(conn, _newest_seqs(conn, q, n, 0)))
            return name_a, name_b, out[0], out[1]

    def dyad_tallies(self, a: str, b: str) -> tuple[str, str, list[EventTally], list[EventTally]]:
        """How many events of each (ISO week, type) went from ``a`` to ``b`` and back, and how
        many of them were negated, planned, conditional or reported.

        The week is that of the event's date, else of its article's when the event is new,
        named by its Monday (None when neither applies: a background or future event without
        a date of its own is not placed). Read from ``dyad_weeks``, kept
        as events are stored: the cost grows with weeks and types, not with events.
        """
        with self._op(f"cannot read events between {a!r} and {b!r}") as conn:
            (name_a, names_a), (name_b, names_b) = self._dyad_sides(conn, a, b)
            out = []
            for src, dst in ((names_a, names_b), (names_b, names_a)):
                rows = conn.execute(
                    "SELECT week, type, SUM(n), SUM(negated), SUM(planned), SUM(conditional), SUM(reported)"
                    f" FROM dyad_weeks WHERE actor_entity IN ({', '.join('?' * len(src))})"
                    f" AND target_entity IN ({', '.join('?' * len(dst))})"
                    " GROUP BY week, type ORDER BY week, type", (*src, *dst)).fetchall()
                out.append([EventTally(*r) for r in rows])
            return name_a, name_b, out[0], out[1]

    def actors(self, *, type: str | None = None, search: str | None = None, limit: int = 50,
               offset: int = 0) -> list[ActorRow]:
        where, params = [], []
        if type:
            where.append("a.type = ? COLLATE NOCASE")
            params.append(type)
        if search:
            where.append("a.key IN (SELECT actor_key FROM actor_aliases WHERE alias LIKE ?)")
            params.append("%" + search.strip().replace("%", "").replace("_", "") + "%")
        sql = ("SELECT a.key, a.name, a.type, a.n_articles, a.n_mentions FROM actors a"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY a.n_articles DESC, a.n_mentions DESC, a.name LIMIT ? OFFSET ?")
        with self._op("cannot list actors") as conn:
            rows = conn.execute(sql, (*params, max(0, int(limit)), max(0, int(offset)))).fetchall()
            return [ActorRow(k, n, t, self._aliases(conn, k), na, nm) for k, n, t, na, nm in rows]

    def actor_timeline(self, name_or_key: str) -> list[ActorWeek]:
        """Per ISO week, over the whole store: articles naming the actor, its mentions, and
        attributions to it (each summed over its names; undated articles are left out)."""
        with self._op(f"cannot read the timeline of {name_or_key!r}") as conn:
            aliases = self._aliases(conn, self._actor_key(conn, name_or_key))
            if not aliases:
                return []
            rows = conn.execute(
                "SELECT week, SUM(articles), SUM(mentions), SUM(quotes) FROM name_weeks"
                f" WHERE name IN ({', '.join('?' * len(aliases))}) GROUP BY week ORDER BY week", aliases).fetchall()
        return [ActorWeek(*r) for r in rows]

    def same_story(self, article_id: str, *, limit: int = 20) -> list[StoryRow]:
        """Other stored articles with (nearly) the same text: the same wire story in other outlets,
        a re-publication, an updated version. Most similar first (``newsgraph.stories``)."""
        from newsgraph.stories import THRESHOLD, bands, similarities, unpack

        with self._op(f"cannot read articles like {article_id}") as conn:
            row = conn.execute("SELECT s.article_seq, s.sig FROM story_signatures s JOIN articles a"
                               " ON a.seq = s.article_seq WHERE a.id = ?", (article_id,)).fetchone()
            if row is None:
                return []
            seq, sig = row
            keys = bands([int(v) for v in unpack(sig)])
            # One primary-key range per band (a row-value IN list made SQLite scan the table).
            candidates = {r[0] for r in conn.execute(
                " UNION ALL ".join("SELECT article_seq FROM story_bands WHERE band = ? AND key = ?" for _ in keys),
                [x for b, k in enumerate(keys) for x in (b, k)])}
            candidates.discard(seq)
            if not candidates:
                return []
            marks = ", ".join("?" * len(candidates))
            cand = conn.execute(f"SELECT article_seq, sig FROM story_signatures WHERE article_seq IN ({marks})",
                                list(candidates)).fetchall()
            sims = similarities(sig, [c[1] for c in cand])
            keep = {c[0]: float(x) for c, x in zip(cand, sims, strict=True) if x >= THRESHOLD}
            if not keep:
                return []
            found = [StoryRow(aid, title, outlet, published, keep[cseq]) for cseq, aid, title, outlet, published
                     in conn.execute("SELECT seq, id, title, outlet, published FROM articles WHERE seq IN"
                                     f" ({', '.join('?' * len(keep))})", list(keep))]
        found.sort(key=lambda r: (-r.similarity, r.published or "", r.id))
        return found[:max(0, int(limit))]

    def top_speakers(self, *, limit: int = 10) -> list[SpeakerRow]:
        """Actors with the most attributions to one of their names, over the whole store."""
        with self._op("cannot count speakers") as conn:
            rows = conn.execute(
                "SELECT a.key, a.name, a.type, SUM(s.n) AS n FROM speaker_counts s"
                " JOIN actor_aliases al ON al.alias = s.name JOIN actors a ON a.key = al.actor_key"
                " GROUP BY a.key ORDER BY n DESC, a.name LIMIT ?", (max(0, int(limit)),)).fetchall()
        return [SpeakerRow(*r) for r in rows]

    def _aliases(self, conn: sqlite3.Connection, key: str) -> tuple[str, ...]:
        return tuple(r[0] for r in conn.execute(
            "SELECT alias FROM actor_aliases WHERE actor_key = ? ORDER BY length(alias) DESC, alias", (key,)))

    def actor(self, name_or_key: str, *, limit: int = 50) -> ActorDetail:
        with self._op(f"cannot read actor {name_or_key!r}") as conn:
            key = self._actor_key(conn, name_or_key)
            row = conn.execute("SELECT key, name, type, n_articles, n_mentions FROM actors WHERE key = ?",
                               (key,)).fetchone()
            aliases = self._aliases(conn, key)
            actor = ActorRow(row[0], row[1], row[2], aliases, row[3], row[4])
            articles = tuple(ActorArticle(*r) for r in conn.execute(
                "SELECT x.id, x.title, x.outlet, x.published, e.name, e.n_mentions FROM article_entities e"
                " JOIN articles x ON x.id = e.article_id WHERE e.actor_key = ?"
                " ORDER BY e.published DESC LIMIT ?", (key, limit)))
            # Quotes by: attributions whose resolved source is one of this actor's names,
            # each name read newest first from its index.
            by = _quote_rows(conn, _Filter().any_of("t.source_entity = ?", aliases), limit, 0) if aliases else []
            # Quotes about: what was said mentions one of its names. A heavily covered actor
            # is named in tens of thousands of quotes: the newest are chosen among the
            # CANDIDATES most recently stored, so the page's cost stays flat.
            about: list[QuoteRow] = []
            phrases = " OR ".join('"' + a.replace('"', '""') + '"' for a in aliases if any(c.isalnum() for c in a))
            if phrases:
                found = _quote_rows(conn, _Filter(fts_candidates=CANDIDATES).matching(phrases), limit * 2, 0)
                about = [q for q in found if q.speaker not in aliases]
            as_actor, as_target = (self._events_for(conn, role, aliases, limit) for role in ("actor", "target"))
            return ActorDetail(actor, articles, tuple(by), tuple(about[:limit]), as_actor, as_target)

    def _events_for(self, conn: sqlite3.Connection, role: str, names: tuple[str, ...],
                    limit: int) -> tuple[EventRow, ...]:
        if not names:
            return ()
        seqs = _newest_seqs(conn, _Filter(table="events").any_of(f"t.{role}_entity = ?", names), limit, 0)
        return tuple(_event_rows(conn, seqs))

    def co_actors(self, name_or_key: str, *, articles: int = 30, limit: int = 15) -> list[CoActor]:
        """Other actors named in this actor's newest ``articles`` articles, most shared first."""
        with self._op(f"cannot read actors named with {name_or_key!r}") as conn:
            key = self._actor_key(conn, name_or_key)
            rows = conn.execute(
                "SELECT o.key, o.name, o.type, COUNT(DISTINCT e.article_id) AS n FROM article_entities e"
                " JOIN actors o ON o.key = e.actor_key"
                " WHERE e.article_id IN (SELECT article_id FROM article_entities WHERE actor_key = ?"
                "                        ORDER BY published DESC LIMIT ?) AND e.actor_key != ?"
                " GROUP BY o.key ORDER BY n DESC, o.n_articles DESC, o.name LIMIT ?",
                (key, max(0, int(articles)), key, max(0, int(limit)))).fetchall()
        return [CoActor(*r) for r in rows]

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every article, oldest first, read in batches of ``ITER_BATCH`` (keyset pagination).

        No read transaction is held between batches, so writers are never blocked
        for long; articles added meanwhile may or may not be seen.
        """
        last = 0
        while True:
            with self._op("cannot read articles") as conn:
                rows = conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                                    (last, ITER_BATCH)).fetchall()
                if not rows:
                    return
                hi = rows[-1][0]
                by_id: dict[str, list[SourceRow]] = {}
                for aid, source, url, added in conn.execute(
                        "SELECT s.article_id, s.source, s.url, s.added_at FROM sources s"
                        " JOIN articles a ON a.id = s.article_id WHERE a.seq > ? AND a.seq <= ?"
                        " ORDER BY s.seq", (last, hi)):
                    by_id.setdefault(aid, []).append(SourceRow(source, url, added))
                in_batch = "article_id IN (SELECT id FROM articles WHERE seq > ? AND seq <= ?)"
                attrs = _read_attributions(conn, in_batch, (last, hi))
                ents = _read_entities(conn, in_batch, (last, hi), {r[1]: r[7] for r in rows})
                evs = _read_events(conn, in_batch, (last, hi))
            for row in rows:
                yield _stored(row, by_id.get(row[1], []), attrs.get(row[1], []), ents.get(row[1], []),
                              evs.get(row[1], []))
            last = hi

    def failures(self, *, limit: int = 100, run_id: int | None = None) -> list[FailureRow]:
        """Logged failures, newest first (``FailureRow``: a refused page with its kind and title)."""
        sql = "SELECT run_id, source, code, message, at, kind, title, url, published FROM ingest_errors"
        params: list[Any] = []
        if run_id is not None:
            sql += " WHERE run_id = ?"
            params.append(run_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(max(0, int(limit)))
        with self._op("cannot read failures") as conn:
            return [_failure_row(*r) for r in conn.execute(sql, params).fetchall()]

    # -- lifecycle ----------------------------------------------------------

    def close(self) -> None:
        with self._pool_lock:
            self._closed = True  # read connections in use are closed as they come back
            idle, self._idle = self._idle, []
        for reader in idle:
            try:
                reader.close()
            except sqlite3.Error:
                pass
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            try:
                conn.close()
            except sqlite3.Error as exc:
                raise _store_error(exc, "cannot close store") from exc

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def files(self) -> tuple[str, ...]:
        """The files that hold this store (the database and its ``-wal``, ``-shm``, ``-journal``,
        existing or not); empty for ``:memory:``. Exports refuse to write over them."""
        return self.files_of(self.path)

    @staticmethod
    def files_of(path: str) -> tuple[str, ...]:
        """``files()`` of the store at ``path``, without opening it."""
        if path == ":memory:" or path.startswith("file::memory:"):
            return ()
        if path.startswith("file:"):
            from urllib.parse import unquote, urlsplit

            path = unquote(urlsplit(path).path)
        return (path, *(path + suffix for suffix in ("-wal", "-shm", "-journal")))


_ARTICLE_COLS = ("seq, id, title, outlet, authors, published, language, text, removed, added_at,"
                 " analysis_status, analysis_language, analysis_pipeline, analysis_code, analysis_reason,"
                 " published_source, published_confidence, modified, credits")
#: What a stored date rests on, the page's modified day and the byline's credits (schema 13; NULL before).
_EVIDENCE_COLS = "published_source, published_confidence, modified, credits"


def _evidence_cols(article: Article) -> tuple[Any, ...]:
    """The ``articles`` values of ``_EVIDENCE_COLS``: credits as JSON text (``[{"wire": "AP"}]``)."""
    credits = json.dumps([{kind: name} for kind, name in article.credits], ensure_ascii=False)
    return (article.published_source, article.published_confidence, article.modified, credits)


def _credits(value: str | None) -> tuple[tuple[str, str], ...]:
    """``credits`` read back: ``(kind, name)`` pairs; none for an article stored before schema 13."""
    return tuple((str(k), str(v)) for c in json.loads(value or "[]") for k, v in c.items())


def _failure_row(run_id: int, source: str, code: str, reason: str, at: str, kind: str | None,
                 title: str | None, url: str | None, published: str | None) -> FailureRow:
    message = Failure(source, code, reason, kind, title, url, published).described()
    return FailureRow(run_id, source, code, message, at, reason, kind, title, url, published)


def _stored(row: tuple[Any, ...], sources: list[SourceRow],
            attributions: list[Attribution] | None = None, entities: list[Entity] | None = None,
            events: list[Event] | None = None) -> StoredArticle:
    _seq, aid, title, outlet, authors, published, language, text, removed, added_at = row[:10]
    first = sources[0] if sources else SourceRow("", None, added_at)
    article = Article(
        id=aid, source=first.source, url=first.url, title=title, outlet=outlet,
        authors=tuple(json.loads(authors)), published=published, language=language, text=text,
        removed=tuple(Removed(r["kind"], r["text"]) for r in json.loads(removed)),
        attributions=tuple(attributions or ()),
        entities=tuple(entities or ()),
        events=tuple(events or ()),
        analysis=AnalysisStatus(*row[10:15]),
        published_source=row[15],
        published_confidence=row[16],
        modified=row[17],
        credits=_credits(row[18]),
    )
    return StoredArticle(article=article, sources=tuple(sources), added_at=added_at)


_ATTR_COLS = ("article_id, kind, content_start, content_end, content_text, content_spans,"
              " cue_start, cue_end, cue_text, source_start, source_end, source_text, source_entity,"
              " via_start, via_end, via_text, via_entity, confidence, statement, negated, frame, category")


_STATUS_COLS = "analysis_status, analysis_language, analysis_pipeline, analysis_code, analysis_reason"


def _status_cols(article: Article, analysis: str | None) -> tuple[Any, ...]:
    """The ``articles.analysis_*`` values of ``article``: its ``AnalysisStatus``; an article stored
    with analysis rows but a status that says "not run" (an older caller) counts as analysed."""
    st = article.analysis
    if not st.analysed and st.code == AnalysisStatus().code and analysis is not None:
        st = AnalysisStatus.done(article.language or "en", None)
    return (st.status, st.language, st.pipeline, st.code, st.reason)


def _set_analysis(conn: sqlite3.Connection, seq: int, article: Article, analysis: str) -> None:
    conn.execute(f"UPDATE articles SET analysis = ?, ({_STATUS_COLS}) = (?, ?, ?, ?, ?) WHERE seq = ?",
                 (analysis, *_status_cols(article, analysis), seq))


def _span_cols(span: TextSpan | None, with_entity: bool) -> tuple[Any, ...]:
    if span is None:
        return (None, None, None, None) if with_entity else (None, None, None)
    cols: tuple[Any, ...] = (span.start, span.end, span.text)
    return cols + (span.entity,) if with_entity else cols


def _insert_signature(conn: sqlite3.Connection, seq: int, sig: tuple[int, ...] | None) -> None:
    from newsgraph.stories import bands, pack

    if sig is None:
        return
    conn.execute("INSERT INTO story_signatures (article_seq, sig) VALUES (?, ?)", (seq, pack(sig)))
    conn.executemany("INSERT OR IGNORE INTO story_bands (band, key, article_seq) VALUES (?, ?, ?)",
                     [(b, k, seq) for b, k in enumerate(bands(sig))])


def _sign_all(conn: sqlite3.Connection) -> None:
    """Schema 7: sign the articles stored before it (batches of ITER_BATCH, inside the migration)."""
    from newsgraph.stories import signature

    last = 0
    while True:
        rows = conn.execute("SELECT seq, text FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                            (last, ITER_BATCH)).fetchall()
        if not rows:
            return
        for seq, text in rows:
            _insert_signature(conn, seq, signature(text))
        last = rows[-1][0]


#: Python steps run right after a migration's SQL, in its transaction.
_BACKFILL: dict[int, Callable[[sqlite3.Connection], None]] = {7: _sign_all}


def _count_week(conn: sqlite3.Connection, name: str, published: str | None, *, articles: int = 0,
                mentions: int = 0, quotes: int = 0) -> None:
    week = week_start(published)
    if week is not None:
        conn.execute("INSERT INTO name_weeks (name, week, articles, mentions, quotes) VALUES (?, ?, ?, ?, ?)"
                     " ON CONFLICT (name, week) DO UPDATE SET articles = articles + excluded.articles,"
                     " mentions = mentions + excluded.mentions, quotes = quotes + excluded.quotes",
                     (name, week, articles, mentions, quotes))


def _insert_attributions(conn: sqlite3.Connection, stored: _Stored,
                         attributions: tuple[Attribution, ...]) -> None:
    for idx, a in enumerate(attributions):
        cur = conn.execute(
            f"INSERT INTO attributions (idx, published, article_seq, {_ATTR_COLS}) VALUES ({', '.join('?' * 25)})",
            (idx, stored.published, stored.seq, stored.id, a.kind, a.content.start, a.content.end, a.content.text,
             json.dumps([list(x) for x in a.content_spans]),
             *_span_cols(a.cue, False), *_span_cols(a.source, True), *_span_cols(a.via, True), a.confidence,
             int(bool(a.statement)), int(bool(a.negated)), a.frame, a.category))
        conn.execute("INSERT INTO attributions_fts (rowid, content_text) VALUES (?, ?)",
                     (cur.lastrowid, a.content.text))
    # The counters once per speaker name, not once per attribution.
    speakers = Counter(a.source.entity for a in attributions if a.source is not None and a.source.entity)
    for name, n in speakers.items():
        conn.execute("INSERT INTO speaker_counts (name, n) VALUES (?, ?)"
                     " ON CONFLICT (name) DO UPDATE SET n = n + excluded.n", (name, n))
        _count_week(conn, name, stored.published, quotes=n)


def _redirect(conn: sqlite3.Connection, old_key: str, new_key: str) -> None:
    """``old_key`` (about to disappear) now means ``new_key``; redirects to it follow along (no chains)."""
    conn.execute("UPDATE actor_redirects SET new_key = ? WHERE new_key = ?", (new_key, old_key))
    conn.execute("INSERT INTO actor_redirects (old_key, new_key, at) VALUES (?, ?, ?)"
                 " ON CONFLICT (old_key) DO UPDATE SET new_key = excluded.new_key, at = excluded.at",
                 (old_key, new_key, _now()))
    conn.execute("DELETE FROM actor_redirects WHERE old_key = new_key")


def _delete_attributions(conn: sqlite3.Connection, stored: _Stored) -> None:
    rows = conn.execute("SELECT seq, content_text, source_entity FROM attributions WHERE article_id = ?",
                        (stored.id,)).fetchall()
    for seq, content, _ in rows:
        conn.execute("INSERT INTO attributions_fts (attributions_fts, rowid, content_text) VALUES ('delete', ?, ?)",
                     (seq, content))
    for name, n in Counter(r[2] for r in rows if r[2]).items():
        conn.execute("UPDATE speaker_counts SET n = n - ? WHERE name = ?", (n, name))
        conn.execute("DELETE FROM speaker_counts WHERE name = ? AND n <= 0", (name,))
        _count_week(conn, name, stored.published, quotes=-n)
    conn.execute("DELETE FROM attributions WHERE article_id = ?", (stored.id,))


def _delete_entities(conn: sqlite3.Connection, stored: _Stored) -> set[str]:
    """Delete an article's entities; returns the actor keys they were linked to."""
    rows = conn.execute("SELECT name, n_mentions, actor_key FROM article_entities WHERE article_id = ?",
                        (stored.id,)).fetchall()
    for name, n_mentions, _ in rows:
        _count_week(conn, name, stored.published, articles=-1, mentions=-n_mentions)
    conn.execute("DELETE FROM article_entities WHERE article_id = ?", (stored.id,))
    return {key for _, _, key in rows if key is not None}


def _delete_events(conn: sqlite3.Connection, stored: _Stored) -> None:
    for actor, target, week, etype, negated, modality in conn.execute(
            "SELECT actor_entity, target_entity, week, type, negated, modality FROM events"
            " WHERE article_id = ? AND actor_entity IS NOT NULL AND target_entity IS NOT NULL",
            (stored.id,)).fetchall():
        conn.execute(
            "UPDATE dyad_weeks SET n = n - 1, negated = negated - ?, planned = planned - ?,"
            " conditional = conditional - ?, reported = reported - ?"
            " WHERE actor_entity = ? AND target_entity = ? AND COALESCE(week, '') = COALESCE(?, '') AND type = ?",
            (int(bool(negated)), int(not negated and modality == "planned"),
             int(not negated and modality == "conditional"), int(modality == "reported"),
             actor, target, week, etype))
        conn.execute("DELETE FROM dyad_weeks WHERE actor_entity = ? AND target_entity = ?"
                     " AND COALESCE(week, '') = COALESCE(?, '') AND type = ? AND n <= 0", (actor, target, week, etype))
    conn.execute("DELETE FROM events WHERE article_id = ?", (stored.id,))


def _prune_actors(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    """Drop actors no article names any more, unless a correction or a redirect refers to them."""
    for key in keys:
        if conn.execute("SELECT n_articles FROM actors WHERE key = ?", (key,)).fetchone() != (0,):
            continue
        pattern = '%"' + key.replace("%", "").replace("_", "") + '"%'
        if conn.execute("SELECT 1 FROM corrections WHERE op LIKE ? LIMIT 1", (pattern,)).fetchone() or \
                conn.execute("SELECT 1 FROM actor_redirects WHERE new_key = ? LIMIT 1", (key,)).fetchone():
            continue
        conn.execute("DELETE FROM actors WHERE key = ?", (key,))


def _attribution(r: tuple[Any, ...]) -> Attribution:
    def span(i: int, with_entity: bool) -> TextSpan | None:
        if r[i] is None:
            return None
        return TextSpan(r[i], r[i + 1], r[i + 2], r[i + 3] if with_entity else None)

    content = TextSpan(r[2], r[3], r[4])
    return Attribution(kind=r[1], content=content, cue=span(6, False), source=span(9, True),
                       via=span(13, True), content_spans=tuple(tuple(x) for x in json.loads(r[5])),
                       confidence=float(r[17]), statement=bool(r[18]), negated=bool(r[19]), frame=r[20],
                       category=r[21])


def _read_attributions(conn: sqlite3.Connection, where: str,
                       params: tuple[Any, ...]) -> dict[str, list[Attribution]]:
    out: dict[str, list[Attribution]] = {}
    for r in conn.execute(f"SELECT {_ATTR_COLS} FROM attributions WHERE {where} ORDER BY article_id, idx",
                          params):
        out.setdefault(r[0], []).append(_attribution(r))
    return out


def _read_entities(conn: sqlite3.Connection, where: str, params: tuple[Any, ...],
                   texts: dict[str, str]) -> dict[str, list[Entity]]:
    """Entities per article; mention texts are cut from the article text (``texts``)."""
    out: dict[str, list[Entity]] = {}
    for aid, eid, name, etype, mentions in conn.execute(
            f"SELECT article_id, entity_id, name, type, mentions FROM article_entities WHERE {where}"
            " ORDER BY article_id, seq", params):
        text = texts.get(aid, "")
        spans = tuple(TextSpan(s, e, text[s:e]) for s, e in json.loads(mentions))
        out.setdefault(aid, []).append(Entity(eid, name, etype, spans))
    return out


#: Above this many names, a filter reads all their rows and sorts them; below, each name's
#: index range is read newest first and stops after one page (SQLite allows 500 terms
#: in a compound SELECT).
MAX_BRANCHES = 100
#: An FTS filter with at least this many matches is "dense": read in date order, not sorted.
FTS_DENSE = 2_000


@dataclass
class _Filter:
    """A newest-first read of ``attributions`` or ``events`` (alias ``t``).

    ``where`` conditions all hold; of the ``branches`` (``column = ?`` on an indexed
    column, typically one per name of an actor) at least one holds. Both tables
    carry their own sort key (``published``/``sort_date``, ``article_seq``, ``idx``,
    schema 6), so each branch reads an index in order.
    """

    table: str = "attributions"
    conds: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    branches: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    join: str = ""
    #: With an FTS filter, only this many most recently stored matches are considered.
    fts_candidates: int | None = None
    #: An FTS5 query over what was said (attributions only).
    fts: str | None = None

    @property
    def date(self) -> str:
        return "published" if self.table == "attributions" else "sort_date"

    def where(self, cond: str, *params: Any) -> _Filter:
        self.conds.append(cond)
        self.params.extend(params)
        return self

    def any_of(self, cond: str, values: Iterable[Any]) -> _Filter:
        """At least one of ``cond`` with each value (a tuple when ``cond`` has several ``?``)."""
        self.branches.extend((cond, v if isinstance(v, tuple) else (v,)) for v in values)
        return self

    def matching(self, fts_query: str) -> _Filter:
        """A copy that also requires the row's text to match ``fts_query`` (attributions only)."""
        return _Filter(self.table, list(self.conds), list(self.params), list(self.branches), self.join,
                       self.fts_candidates, fts_query)


def _newest_seqs(conn: sqlite3.Connection, q: _Filter, limit: int, offset: int) -> list[int]:
    """Row ids (``seq``) of the rows ``q`` selects, newest first, one page."""
    limit, offset = max(0, int(limit)), max(0, int(offset))
    conds, cond_params = list(q.conds), list(q.params)
    if q.fts is not None:
        bound = f" ORDER BY rowid DESC LIMIT {int(q.fts_candidates)}" if q.fts_candidates else ""
        # Few matches: read them and sort. Many (a common word): walk the newest-first
        # index and keep the rows that match, which stops after one page ("+" keeps
        # SQLite from looking each match up by rowid instead). With a speaker too, the
        # planner picks (both drive the read better than a walk of every row).
        dense = not q.fts_candidates and not q.branches and conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM attributions_fts WHERE attributions_fts MATCH ? LIMIT ?)",
            (q.fts, FTS_DENSE)).fetchone()[0] >= FTS_DENSE
        conds.append(f"{'+' if dense else ''}t.seq IN"
                     f" (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?{bound})")
        cond_params.append(q.fts)
    order = f"{q.date} DESC, article_seq DESC, idx"
    cond = " AND ".join(conds) or "1"
    if q.branches and len(q.branches) <= MAX_BRANCHES and q.fts is None:
        cols = f"t.seq AS seq, t.{q.date} AS {q.date}, t.article_seq AS article_seq, t.idx AS idx"
        parts, params = [], []
        for bcond, value in q.branches:
            parts.append(f"SELECT * FROM (SELECT {cols} FROM {q.table} t{q.join} WHERE {bcond} AND {cond}"
                         f" ORDER BY t.{q.date} DESC, t.article_seq DESC, t.idx LIMIT {limit + offset})")
            params += [*value, *cond_params]
        sql = f"SELECT seq FROM ({' UNION '.join(parts)}) ORDER BY {order} LIMIT ? OFFSET ?"
    else:
        # One pass, the branches OR-ed; one-column equalities become one IN list.
        groups: dict[str, list[tuple[Any, ...]]] = {}
        for bcond, value in q.branches:
            groups.setdefault(bcond, []).append(value)
        alts, params = [], list(cond_params)
        for bcond, vs in groups.items():
            if len(vs) > 1 and bcond.count("?") == 1:
                alts.append(f"({bcond.replace('= ?', 'IN (' + ', '.join('?' * len(vs)) + ')', 1)})")
                params += [v[0] for v in vs]
            else:
                alts += [f"({bcond})"] * len(vs)
                params += [x for v in vs for x in v]
        sql = (f"SELECT t.seq FROM {q.table} t{q.join} WHERE {cond}" + (f" AND ({' OR '.join(alts)})" if alts else "")
               + f" ORDER BY t.{q.date} DESC, t.article_seq DESC, t.idx LIMIT ? OFFSET ?")
    return [r[0] for r in conn.execute(sql, (*params, limit, offset))]


def _by_seq(conn: sqlite3.Connection, sql: str, seqs: list[int]) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (whose first column is the seq and which ends in ``IN ({marks})``) in ``seqs`` order."""
    if not seqs:
        return []
    rows = {r[0]: r[1:] for r in conn.execute(sql.format(marks=", ".join("?" * len(seqs))), seqs)}
    return [rows[s] for s in seqs if s in rows]


def _quote_rows(conn: sqlite3.Connection, q: _Filter, limit: int, offset: int) -> list[QuoteRow]:
    seqs = _newest_seqs(conn, q, limit, offset)
    rows = _by_seq(conn, "SELECT t.seq, t.article_id, a.title, a.outlet, a.published, t.kind,"
                         " COALESCE(t.source_entity, t.source_text), t.source_text, t.cue_text, t.content_text,"
                         " t.content_start, t.content_end, COALESCE(t.via_entity, t.via_text), t.idx,"
                         " t.confidence, t.statement, t.negated, t.frame, t.category"
                         " FROM attributions t JOIN articles a ON a.seq = t.article_seq WHERE t.seq IN ({marks})",
                   seqs)
    return [QuoteRow(*r[:13], float(r[13]), bool(r[14]), bool(r[15]), *r[16:]) for r in rows]


#: ``Store.quotes(kinds=...)`` as SQL over ``attributions t`` (the vocabulary: ``store.QUOTE_KINDS``).
_KIND_CONDS = {
    "statement": "(t.statement = 1 AND t.negated = 0)",
    "direct": "(t.statement = 1 AND t.negated = 0 AND t.kind = 'direct')",
    "indirect": "(t.statement = 1 AND t.negated = 0 AND t.kind = 'indirect')",
    "mixed": "(t.statement = 1 AND t.negated = 0 AND t.kind = 'mixed')",
    "negated": "(t.statement IN (0, 1) AND t.negated = 1)",  # statement IN (0, 1): the flags index can seek
    "other": "(t.statement = 0 AND t.negated = 0)",
}


def _kinds_cond(kinds: Iterable[str] | None) -> str | None:
    """The condition "one of ``kinds``" (None: every attribution); ``store.bad_query`` for an unknown kind."""
    if kinds is None:
        return None
    kinds = [k.strip().lower() for k in kinds]
    unknown = [k for k in kinds if k not in _KIND_CONDS and k != "all"]
    if unknown:
        raise StoreError(f"unknown quote kind {unknown[0]!r}: use {', '.join(QUOTE_KINDS)}", code="store.bad_query")
    if not kinds or "all" in kinds:
        return None
    return "(" + " OR ".join(_KIND_CONDS[k] for k in dict.fromkeys(kinds)) + ")"


def _confidence(min_confidence: float | None) -> float | None:
    if min_confidence is None or min_confidence <= 0:
        return None
    if not 0 <= min_confidence <= 1:  # NaN too
        raise StoreError(f"least confidence {min_confidence!r} is not between 0 and 1", code="store.bad_query")
    return float(min_confidence)


def _count_quotes(conn: sqlite3.Connection, q: _Filter, kinds: str | None, least: float | None,
                  table: str = "attributions") -> QuoteCounts:
    """``QuoteCounts`` of the rows ``q`` selects (its kind and confidence conditions left out), in one pass.

    ``table="attribution_tally"`` counts the whole store from the running tally (schema 10: one
    row per kind, statement, negated and confidence, with its count ``n``); ``q`` must be empty."""
    conds, params = list(q.conds), list(q.params)
    if q.fts is not None:
        bound = f" ORDER BY rowid DESC LIMIT {int(q.fts_candidates)}" if q.fts_candidates else ""
        conds.append(f"t.seq IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?{bound})")
        params.append(q.fts)
    if q.branches:
        conds.append("(" + " OR ".join(f"({c})" for c, _ in q.branches) + ")")
        params += [x for _, v in q.branches for x in v]
    tally = table == "attribution_tally"
    n = "n" if tally else "1"  # a tally row stands for n attributions
    source = "attribution_tally t" if tally else f"attributions t{q.join}"
    kind_ok = kinds or "1"
    conf_ok = "t.confidence >= ?" if least is not None else "1"
    conf_params = [least] if least is not None else []
    row = conn.execute(
        f"SELECT COALESCE(SUM({n}), 0), COALESCE(SUM(CASE WHEN {kind_ok} AND {conf_ok} THEN {n} END), 0),"
        f" COALESCE(SUM(CASE WHEN {kind_ok} AND NOT ({conf_ok}) THEN {n} END), 0)"
        f" FROM {source} WHERE {' AND '.join(conds) or '1'}",
        (*conf_params, *conf_params, *params)).fetchone()
    total, shown, below = (int(x) for x in row)
    return QuoteCounts(shown=shown, below_confidence=below, other_kinds=total - shown - below)


def _event_rows(conn: sqlite3.Connection, seqs: list[int]) -> list[EventRow]:
    rows = _by_seq(conn, "SELECT v.seq, v.article_id, a.title, a.outlet, a.published, v.type, v.trigger_text,"
                         " COALESCE(v.actor_entity, v.actor_text), COALESCE(v.target_entity, v.target_text),"
                         " v.negated, v.modality, v.date, COALESCE(v.location_entity, v.location_text),"
                         " v.trigger_start, v.trigger_end, v.actor_entity IS NOT NULL, v.target_entity IS NOT NULL,"
                         " v.timing, v.object_text"
                         " FROM events v JOIN articles a ON a.seq = v.article_seq WHERE v.seq IN ({marks})", seqs)
    return [EventRow(*r[:8], bool(r[8]), *r[9:14], bool(r[14]), bool(r[15]), r[16] or "new", r[17]) for r in rows]


_EVENT_COLS = ("article_id, type, trigger_start, trigger_end, trigger_text, actor_start, actor_end, actor_text,"
               " actor_entity, target_start, target_end, target_text, target_entity, negated, modality, date,"
               " location_start, location_end, location_text, location_entity, attribution, timing, date_from,"
               " object_start, object_end, object_text, same_as")


def _event_day(ev: Event, published: str | None) -> str | None:
    """The day that places an event in a week: its own date; else its article's, only when it is
    new (a background or future event without a date of its own is not placed)."""
    return ev.date or (published if ev.timing == "new" else None)


def _insert_events(conn: sqlite3.Connection, stored: _Stored, events: tuple[Event, ...]) -> None:
    for idx, ev in enumerate(events):
        t = ev.trigger
        actor, target = (ev.actor.entity if ev.actor else None), (ev.target.entity if ev.target else None)
        if actor is not None and target is not None:
            planned = not ev.negated and ev.modality == "planned"
            conditional = not ev.negated and ev.modality == "conditional"
            conn.execute(
                "INSERT INTO dyad_weeks VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)"
                " ON CONFLICT (actor_entity, target_entity, COALESCE(week, ''), type) DO UPDATE SET"
                " n = n + 1, negated = negated + excluded.negated, planned = planned + excluded.planned,"
                " conditional = conditional + excluded.conditional, reported = reported + excluded.reported",
                (actor, target, week_start(_event_day(ev, stored.published)), ev.type, int(ev.negated), int(planned),
                 int(conditional), int(ev.modality == "reported")))
        conn.execute(
            f"INSERT INTO events (idx, sort_date, article_seq, week, {_EVENT_COLS}) VALUES ({', '.join('?' * 31)})",
            (idx, ev.date or stored.published, stored.seq, week_start(_event_day(ev, stored.published)), stored.id,
             ev.type, t.start, t.end, t.text, *_span_cols(ev.actor, True),
             *_span_cols(ev.target, True), int(ev.negated), ev.modality, ev.date,
             *_span_cols(ev.location, True), ev.attribution, ev.timing, ev.date_from,
             *_span_cols(ev.object, False), ev.same_as))


def _read_events(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}

    def span(r: tuple[Any, ...], i: int) -> TextSpan | None:
        return None if r[i] is None else TextSpan(r[i], r[i + 1], r[i + 2], r[i + 3])

    for r in conn.execute(f"SELECT {_EVENT_COLS} FROM events WHERE {where} ORDER BY article_id, idx", params):
        out.setdefault(r[0], []).append(Event(
            type=r[1], trigger=TextSpan(r[2], r[3], r[4]), actor=span(r, 5), target=span(r, 9),
            negated=bool(r[13]), modality=r[14], date=r[15], location=span(r, 16), attribution=r[20],
            timing=r[21] or "new", date_from=r[22], object=None if r[23] is None else TextSpan(r[23], r[24], r[25]),
            same_as=r[26]))
    return out
