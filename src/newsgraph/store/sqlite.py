"""The SQLite backend (``store.backend``) and ``SQLiteStore``, the ``Store`` over it.

* WAL journal, ``synchronous=NORMAL`` (a killed process loses nothing that was
  committed; a power cut may lose the last few commits, never consistency),
  foreign keys on, a busy timeout so concurrent writers wait instead of failing.
* Schema versioned with ``PRAGMA user_version`` (plus a ``schema_migrations``
  history table); numbered ``migrations/NNNN_*.sql`` files are applied in
  order, one transaction each (``store.sqlite_migrations``). A store newer than
  this code is refused (``store.too_new``).
* Every write is one explicit transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``);
  the connection runs in autocommit mode so Python never opens one implicitly.
* sqlite3 errors never escape: they are wrapped into ``StoreError`` (raised
  ``from`` the original) with a stable code.
* Reads stay flat as the store grows (``bench/serve.py``, 100,000 articles):
  attributions and events carry their own newest-first sort key (schema 6), so
  "the newest quotes of this speaker" reads one index range per name and stops
  after a page (``store.sqlite_newest``); aggregates a page needs whole are the
  running counters (``store.counters``), kept up to date as rows are written.
* Full-text search is FTS5 (``store.sqlite_fts``: query syntax, caps, fallback).

This module holds SQL only: ``SQLiteReader`` / ``SQLiteWriter`` implement the named
operations of ``store.backend`` over one connection, reading columns by name (row mappers
whose parameters name the columns, ``sqlite_columns.select``; ``sqlite3.Row`` on small
pages) and inserting named values (``_insert``). The domain logic (actor
linking, counters, story matching, runs) is the services' (``store.base``).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote

from newsgraph.errors import StoreError
from newsgraph.store.backend import (
    ActorNames,
    ActorRecord,
    ArticleRef,
    ArticleState,
    EntityLink,
    EventKey,
    RunRecord,
)
from newsgraph.store.base import BaseStore
from newsgraph.store.rows import (
    ActorArticle,
    ActorRow,
    ActorWeek,
    AnalysisCounts,
    ArticleRow,
    CoActor,
    EventRow,
    EventTally,
    FailureRow,
    NotAnalysedCount,
    QuoteCounts,
    QuoteRow,
    SearchHit,
    SourceRow,
    SpeakerRow,
    StoredArticle,
    failure_row,
)
from newsgraph.store.sqlite_bulk import SQLiteBulkReader, SQLiteBulkWriter  # whole-store copies (store.copy)
from newsgraph.store.sqlite_columns import select
from newsgraph.store.sqlite_feeds import SQLiteFeedReads, SQLiteFeedWrites  # followed feeds (newsgraph watch)
from newsgraph.store.sqlite_fts import (  # noqa: F401  (re-exported: the search caps)
    MAX_QUERY_PREFIXES,
    MAX_QUERY_TERMS,
    MIN_PREFIX_CHARS,
    _search_filters,
    _with_fts,
)
from newsgraph.store.sqlite_migrations import BACKFILL, migrations, statements
from newsgraph.store.sqlite_newest import (  # noqa: F401  (_kinds_cond re-exported for tests)
    _KIND_CONDS,
    CANDIDATES,
    _count_quotes,
    _event_rows,
    _Filter,
    _kinds_cond,
    _newest_seqs,
    _quote_rows,
)
from newsgraph.store.values import DayRange, now
from newsgraph.types import AnalysisStatus, Article, Attribution, Entity, Event, Failure, Removed, TextSpan

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
SNIPPET_TOKENS = 12
#: FTS5's ``rank`` as the store configures it (migration 0001: ``bm25(5.0, 1.0)``, the title 5x), as a call.
_BM25 = "bm25(articles_fts, 5.0, 1.0)"

_T = TypeVar("_T")

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


def _removed_json(removed: tuple[Removed, ...], batch: int = 10_000) -> str:
    """``json.dumps`` of an article's removed pieces, encoded ``batch`` at a time: the same text,
    but a page of two million boilerplate lines costs ~0.3x its size in memory here, not ~0.5x."""
    parts = [json.dumps([{"kind": r.kind, "text": r.text} for r in removed[i:i + batch]], ensure_ascii=False)[1:-1]
             for i in range(0, len(removed), batch)]
    return "[" + ", ".join(parts) + "]"


def _credits(value: str | None) -> tuple[tuple[str, str], ...]:
    """``credits`` read back: ``(kind, name)`` pairs; none for an article stored before schema 13."""
    return tuple((str(k), str(v)) for c in json.loads(value or "[]") for k, v in c.items())


def _headings(value: str | None) -> tuple[tuple[int, int], ...]:
    """``headings`` read back: ``(start, end)`` spans of the text; none for an article stored before schema 15."""
    return tuple((int(s), int(e)) for s, e in json.loads(value or "[]"))


def headings_json(article: Article) -> str:
    """``Article.headings`` as the ``headings`` column holds them (``[[start, end], ...]``)."""
    return json.dumps([[s, e] for s, e in article.headings])


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], tail: str = "") -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}){tail}"


def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any], tail: str = "") -> sqlite3.Cursor:
    """``INSERT INTO table`` of ``values`` by column name (``tail``: an ``ON CONFLICT`` clause)."""
    return conn.execute(_insert_sql(table, tuple(values), tail), values)


def _span(prefix: str, span: TextSpan | None, *, entity: bool) -> dict[str, Any]:
    """A span's columns (``<prefix>_start``, ``_end``, ``_text`` and, with ``entity``, ``_entity``)."""
    cols: dict[str, Any] = {f"{prefix}_start": None if span is None else span.start,
                            f"{prefix}_end": None if span is None else span.end,
                            f"{prefix}_text": None if span is None else span.text}
    if entity:
        cols[f"{prefix}_entity"] = None if span is None else span.entity
    return cols


def _status(status: AnalysisStatus) -> dict[str, Any]:
    return {"analysis_status": status.status, "analysis_language": status.language,
            "analysis_pipeline": status.pipeline, "analysis_code": status.code, "analysis_reason": status.reason}


class _Head(NamedTuple):
    """An ``articles`` row, its fields named as its columns (``select(_Head)``)."""

    seq: int
    id: str
    title: str | None
    outlet: str | None
    authors: str  # JSON
    published: str | None
    language: str | None
    text: str
    removed: str  # JSON
    added_at: str
    analysis_status: str
    analysis_language: str | None
    analysis_pipeline: str | None
    analysis_code: str | None
    analysis_reason: str | None
    published_source: str | None
    published_confidence: float | None
    modified: str | None
    credits: str | None  # JSON
    headings: str | None  # JSON
    page_kind: str | None
    section: str | None


def _stored(h: _Head, sources: list[SourceRow], attributions: list[Attribution] | None = None,
            entities: list[Entity] | None = None, events: list[Event] | None = None) -> StoredArticle:
    """The stored article of an ``articles`` row and its other rows (its first source is the article's)."""
    first = sources[0] if sources else SourceRow("", None, h.added_at)
    article = Article(
        id=h.id, source=first.source, url=first.url, title=h.title, outlet=h.outlet,
        authors=tuple(json.loads(h.authors)), published=h.published, language=h.language, text=h.text,
        removed=tuple(Removed(r["kind"], r["text"]) for r in json.loads(h.removed)),
        attributions=tuple(attributions or ()), entities=tuple(entities or ()), events=tuple(events or ()),
        analysis=AnalysisStatus(h.analysis_status, h.analysis_language, h.analysis_pipeline, h.analysis_code,
                                h.analysis_reason),
        published_source=h.published_source, published_confidence=h.published_confidence, modified=h.modified,
        credits=_credits(h.credits), headings=_headings(h.headings), page_kind=h.page_kind,
        section=h.section)
    return StoredArticle(article=article, sources=tuple(sources), added_at=h.added_at)


def _text_span(start: int | None, end: int | None, text: str | None, entity: str | None = None) -> TextSpan | None:
    return None if start is None else TextSpan(start, end, text, entity)  # type: ignore[arg-type]


def _attribution(article_id: str, idx: int, kind: str, content_start: int, content_end: int, content_text: str,
                 content_spans: str, cue_start: int | None, cue_end: int | None, cue_text: str | None,
                 source_start: int | None, source_end: int | None, source_text: str | None,
                 source_entity: str | None, via_start: int | None, via_end: int | None, via_text: str | None,
                 via_entity: str | None, confidence: float, statement: int, negated: int, frame: str | None,
                 category: str | None) -> tuple[str, Attribution]:
    return article_id, Attribution(
        kind=kind, content=TextSpan(content_start, content_end, content_text),
        cue=_text_span(cue_start, cue_end, cue_text), source=_text_span(source_start, source_end, source_text, source_entity),
        via=_text_span(via_start, via_end, via_text, via_entity),
        content_spans=tuple(tuple(x) for x in json.loads(content_spans)), confidence=float(confidence),
        statement=bool(statement), negated=bool(negated), frame=frame, category=category)


def _event(article_id: str, idx: int, type: str, trigger_start: int, trigger_end: int, trigger_text: str,
           actor_start: int | None, actor_end: int | None, actor_text: str | None, actor_entity: str | None,
           target_start: int | None, target_end: int | None, target_text: str | None, target_entity: str | None,
           negated: int, modality: str, date: str | None, location_start: int | None, location_end: int | None,
           location_text: str | None, location_entity: str | None, attribution: int | None, timing: str | None,
           date_from: str | None, object_start: int | None, object_end: int | None, object_text: str | None,
           same_as: int | None) -> tuple[str, Event]:
    return article_id, Event(
        type=type, trigger=TextSpan(trigger_start, trigger_end, trigger_text),
        actor=_text_span(actor_start, actor_end, actor_text, actor_entity),
        target=_text_span(target_start, target_end, target_text, target_entity), negated=bool(negated), modality=modality,
        date=date, location=_text_span(location_start, location_end, location_text, location_entity),
        attribution=attribution, timing=timing or "new", date_from=date_from,
        object=_text_span(object_start, object_end, object_text), same_as=same_as)


_ARTICLE_COLS = select(_Head)
_ARTICLE_ROW = select(ArticleRow, table="a",
                      exprs={"n_sources": "(SELECT COUNT(*) FROM sources s WHERE s.article_id = a.id)"})
_ATTR_COLS = select(_attribution)
_EVENT_COLS = select(_event)


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


class SQLiteReader(SQLiteBulkReader, SQLiteFeedReads):
    """The reads of ``store.backend.Reader`` over one SQLite connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Rows whose columns are read by name."""
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, tuple(params)).fetchall()

    def _column(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return [r[0] for r in self.conn.execute(sql, tuple(params))]

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self.conn.execute(sql, tuple(params)).fetchone()
        return None if row is None else row[0]

    # -- articles

    def has_source(self, source: str, *, analysed: bool) -> bool:
        sql = ("SELECT 1 FROM sources s JOIN articles a ON a.id = s.article_id WHERE s.source = ?"
               " AND a.analysis IS NOT NULL LIMIT 1") if analysed else "SELECT 1 FROM sources WHERE source = ? LIMIT 1"
        return self._one(sql, (source,)) is not None

    def count_articles(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM articles"))

    def articles_by_prefix(self, prefix: str, *, limit: int) -> list[str]:
        return self._column("SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                            (prefix, prefix + "g", limit))

    def _sources(self, article_id: str, limit: int | None = None) -> list[SourceRow]:
        return [SourceRow(source, url, added_at) for source, url, added_at in self.conn.execute(
            "SELECT source, url, added_at FROM sources WHERE article_id = ? ORDER BY seq"
            + (f" LIMIT {int(limit)}" if limit else ""), (article_id,))]

    def stored_article(self, article_id: str) -> StoredArticle:
        row = self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            from newsgraph.errors import NotFound

            raise NotFound(f"no article with id {article_id!r}")
        head = _Head(*row)
        attributions = self._attributions("article_id = ?", (article_id,)).get(article_id, [])
        entities = self._entities("article_id = ?", (article_id,), {article_id: head.text}).get(article_id, [])
        events = self._events("article_id = ?", (article_id,)).get(article_id, [])
        return _stored(head, self._sources(article_id), attributions, entities, events)

    def article_batch(self, after_seq: int, limit: int) -> list[tuple[int, StoredArticle]]:
        heads = [_Head(*r) for r in self.conn.execute(
            f"SELECT {_ARTICLE_COLS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (after_seq, limit))]
        if not heads:
            return []
        hi = heads[-1].seq
        by_id: dict[str, list[SourceRow]] = {}
        for article_id, source, url, added_at in self.conn.execute(
                "SELECT s.article_id, s.source, s.url, s.added_at FROM sources s"
                " JOIN articles a ON a.id = s.article_id WHERE a.seq > ? AND a.seq <= ? ORDER BY s.seq",
                (after_seq, hi)):
            by_id.setdefault(article_id, []).append(SourceRow(source, url, added_at))
        in_batch = "article_id IN (SELECT id FROM articles WHERE seq > ? AND seq <= ?)"
        attrs = self._attributions(in_batch, (after_seq, hi))
        ents = self._entities(in_batch, (after_seq, hi), {h.id: h.text for h in heads})
        evs = self._events(in_batch, (after_seq, hi))
        return [(h.seq, _stored(h, by_id.get(h.id, []), attrs.get(h.id, []), ents.get(h.id, []), evs.get(h.id, [])))
                for h in heads]

    def list_articles(self, *, limit: int, offset: int, outlet: str | None, language: str | None,
                      days: DayRange) -> list[ArticleRow]:
        where, params = self._article_conds(outlet, language, days)
        sql = (f"SELECT {_ARTICLE_ROW} FROM articles a" + where
               + " ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?")
        return [ArticleRow(*r) for r in self.conn.execute(sql, (*params, limit, offset))]

    def count_listed_articles(self, *, outlet: str | None, language: str | None, days: DayRange) -> int:
        where, params = self._article_conds(outlet, language, days)
        return int(self._one("SELECT COUNT(*) FROM articles a" + where, params))

    def _article_conds(self, outlet: str | None, language: str | None, days: DayRange) -> tuple[str, list[Any]]:
        """The WHERE clause (or "") of ``list_articles`` and ``count_listed_articles``."""
        where, params = self._day_conds("a.published", days)
        if outlet is not None:
            where.append("a.outlet = ?")
            params.append(outlet)
        if language is not None:
            where.append("a.language = ?")
            params.append(language)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    @staticmethod
    def _day_conds(column: str, days: DayRange) -> tuple[list[str], list[Any]]:
        conds, params = [], []
        if days.since is not None:
            conds.append(f"{column} >= ?")
            params.append(days.since)
        if days.before is not None:
            conds.append(f"{column} < ?")
            params.append(days.before)
        return conds, params

    def articles_to_analyse(self, *, after_seq: int, limit: int, current: str | None) -> list[tuple[int, Article]]:
        where = "analysis IS NULL" if current is None else "(analysis IS NULL OR analysis != ?)"
        params: tuple[Any, ...] = () if current is None else (current,)
        heads = [_Head(*r) for r in self.conn.execute(
            f"SELECT {_ARTICLE_COLS} FROM articles WHERE seq > ? AND {where} ORDER BY seq LIMIT ?",
            (after_seq, *params, limit))]
        return [(h.seq, _stored(h, self._sources(h.id, limit=1)).article) for h in heads]

    def count_to_analyse(self, *, current: str | None) -> int:
        where = "analysis IS NULL" if current is None else "(analysis IS NULL OR analysis != ?)"
        return int(self._one(f"SELECT COUNT(*) FROM articles WHERE {where}", () if current is None else (current,)))

    def analysis_counts(self) -> AnalysisCounts:
        """Read from the ``articles_analysis_status`` index alone."""
        rows = self._rows("SELECT analysis_status AS status, analysis_code AS code, analysis_language AS language,"
                          " COUNT(*) AS n FROM articles INDEXED BY articles_analysis_status GROUP BY 1, 2, 3")
        analysed = sum(r["n"] for r in rows if r["status"] == "analysed")
        reasons = sorted((NotAnalysedCount(r["code"] or "analyze.unknown", r["language"], r["n"]) for r in rows
                          if r["status"] != "analysed"), key=lambda x: (-x.n, x.code, x.language or ""))
        total = sum(r["n"] for r in rows)
        return AnalysisCounts(total, analysed, total - analysed, tuple(reasons))

    def _attributions(self, where: str, params: tuple[Any, ...]) -> dict[str, list[Attribution]]:
        out: dict[str, list[Attribution]] = {}
        for r in self.conn.execute(f"SELECT {_ATTR_COLS} FROM attributions WHERE {where} ORDER BY article_id, idx",
                                   params):
            article_id, attribution = _attribution(*r)
            out.setdefault(article_id, []).append(attribution)
        return out

    def _entities(self, where: str, params: tuple[Any, ...], texts: dict[str, str]) -> dict[str, list[Entity]]:
        """Entities per article; mention texts are cut from the article text (``texts``)."""
        out: dict[str, list[Entity]] = {}
        for article_id, entity_id, name, etype, mentions in self.conn.execute(
                f"SELECT article_id, entity_id, name, type, mentions FROM article_entities WHERE {where}"
                " ORDER BY article_id, seq", params):
            text = texts.get(article_id, "")
            spans = tuple(TextSpan(s, e, text[s:e]) for s, e in json.loads(mentions))
            out.setdefault(article_id, []).append(Entity(entity_id, name, etype, spans))
        return out

    def _events(self, where: str, params: tuple[Any, ...]) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        for r in self.conn.execute(f"SELECT {_EVENT_COLS} FROM events WHERE {where} ORDER BY article_id, idx", params):
            article_id, event = _event(*r)
            out.setdefault(article_id, []).append(event)
        return out

    # -- search

    def search(self, query: str, *, seqs: Any, limit: int, offset: int, sparse: bool = False) -> list[SearchHit]:
        """BM25 (the title weighing 5x) over the matches ``seqs``: a rowid range for FTS5, then the set.
        ``ORDER BY rank`` has FTS5 rank every match in the range before the set is applied: right when
        ``seqs`` are all of them, but a filtered search's few among many (``sparse``) are ranked by
        ``bm25()`` after the set instead (same order; 245 of 42,000 matches of the 100k bench store
        49 -> 8 ms, while for a dense 1,000 ``rank`` is 2-6 ms faster)."""
        rank = _BM25 if sparse else "articles_fts.rank"
        sql = ("SELECT a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published,"
               f" snippet(articles_fts, -1, '[', ']', '…', {SNIPPET_TOKENS}) AS snippet, {rank} AS rank,"
               " a.language AS language FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
               " WHERE articles_fts MATCH ? AND articles_fts.rowid BETWEEN ? AND ?"
               " AND +articles_fts.rowid IN (SELECT value FROM json_each(?))"  # a filter, not one lookup each
               f" ORDER BY {rank} LIMIT ? OFFSET ?")
        within = (int(seqs.min()), int(seqs.max()), json.dumps(seqs.tolist()))
        rows = _with_fts(query, lambda q: self._rows(sql, (q, *within, limit, offset)))
        return [SearchHit(id=r["id"], title=r["title"], outlet=r["outlet"], published=r["published"],
                          snippet=r["snippet"], language=r["language"], score=-float(r["rank"])) for r in rows]

    def search_seqs(self, query: str, *, limit: int | None = None, outlet: str | None = None,
                    language: str | None = None, month: str | None = None) -> Any:
        """Newest first from the FTS index; filters are checked on the covering index ``articles_facets``
        (no read of the article rows)."""
        import numpy as np

        cond, params = _search_filters(outlet, language, month)
        sql = ("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?" if not cond else
               "SELECT articles_fts.rowid FROM articles_fts JOIN articles a INDEXED BY articles_facets"
               f" ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?{cond} ORDER BY articles_fts.rowid DESC LIMIT ?")
        return _with_fts(query, lambda q: np.fromiter(
            (r[0] for r in self.conn.execute(sql, (q, *params, -1 if limit is None else limit))), dtype=np.int64))

    def seq_horizon(self) -> None:
        return None  # one writer at a time: articles become visible in seq order

    def facet_rows(self, after_seq: int) -> Iterable[tuple[int, str | None, str | None, str | None]]:
        return self.conn.execute("SELECT seq, outlet, language, published FROM articles INDEXED BY articles_facets"
                                 " WHERE seq > ? ORDER BY seq", (after_seq,))

    # -- quotes and events

    def _quote_filter(self, speaker: str | None, outlet: str | None, days: DayRange) -> _Filter:
        q = _Filter()
        if speaker:
            like = "%" + speaker.strip().replace("%", "").replace("_", "") + "%"
            # Names from the actor registry (a small table) let the indexes do the work;
            # a name no actor has falls back to scanning what sources were called.
            names = self._column("SELECT DISTINCT alias FROM actor_aliases WHERE alias LIKE ? LIMIT 500", (like,))
            if names:
                q.any_of("t.source_entity = ?", names)
                q.any_of("t.source_text = ? COLLATE NOCASE", [speaker.strip()])
            else:
                q.where("(t.source_entity LIKE ? OR t.source_text LIKE ?)", like, like)
        if outlet:
            q.join = " JOIN articles a ON a.seq = t.article_seq"
            q.where("a.outlet = ? COLLATE NOCASE", outlet)
        for cond, value in zip(*self._day_conds("t.published", days), strict=True):
            q.where(cond, value)
        return q

    @staticmethod
    def _kinds(kinds: tuple[str, ...] | None) -> str | None:
        return None if kinds is None else "(" + " OR ".join(_KIND_CONDS[k] for k in kinds) + ")"

    def quotes(self, *, speaker: str | None, about: str | None, outlet: str | None, days: DayRange,
               kinds: tuple[str, ...] | None, least: float | None, limit: int, offset: int) -> list[QuoteRow]:
        kind_cond = self._kinds(kinds)
        # Most records are statements clearing the threshold: walk the newest-first index and
        # keep those that pass ("+" keeps SQLite from reading the flags index and sorting every
        # match). Only negated records are rare enough for the flags index to drive the read.
        plus = "" if kinds == ("negated",) else "+"
        q = self._quote_filter(speaker, outlet, days)
        if kind_cond is not None:
            q.where(kind_cond.replace("t.", plus + "t."))
        if least is not None:
            q.where(f"{plus}t.confidence >= ?", least)
        if about:
            return _with_fts(about, lambda fts: _quote_rows(self.conn, q.matching(fts), limit, offset))
        return _quote_rows(self.conn, q, limit, offset)

    def quote_counts(self, *, speaker: str | None, about: str | None, outlet: str | None, days: DayRange,
                     kinds: tuple[str, ...] | None, least: float | None) -> QuoteCounts:
        kind_cond = self._kinds(kinds)
        if not (speaker or about or outlet or days.since or days.before):
            return _count_quotes(self.conn, _Filter(), kind_cond, least, table="attribution_tally")
        q = self._quote_filter(speaker, outlet, days)
        if about:
            return _with_fts(about, lambda fts: _count_quotes(self.conn, q.matching(fts), kind_cond, least))
        return _count_quotes(self.conn, q, kind_cond, least)

    def quotes_by(self, names: tuple[str, ...], limit: int) -> list[QuoteRow]:
        """Each name read newest first from its index."""
        return _quote_rows(self.conn, _Filter().any_of("t.source_entity = ?", names), limit, 0)

    def quotes_mentioning(self, names: tuple[str, ...], limit: int) -> list[QuoteRow]:
        """A heavily covered actor is named in tens of thousands of quotes: the newest are chosen
        among the ``CANDIDATES`` most recently stored, so the page's cost stays flat."""
        phrases = " OR ".join('"' + a.replace('"', '""') + '"' for a in names if any(c.isalnum() for c in a))
        if not phrases:
            return []
        return _quote_rows(self.conn, _Filter(fts_candidates=CANDIDATES).matching(phrases), limit, 0)

    def events(self, *, actor: str | None, target: str | None, type: str | None, days: DayRange,
               limit: int, offset: int) -> list[EventRow]:
        q = self._event_filter(actor, target, type, days)
        return _event_rows(self.conn, _newest_seqs(self.conn, q, limit, offset))

    def count_events(self, *, actor: str | None, target: str | None, type: str | None, days: DayRange) -> int:
        q = self._event_filter(actor, target, type, days)
        return int(self._one(f"SELECT COUNT(*) FROM events t WHERE {' AND '.join(q.conds)}", q.params))

    def _event_filter(self, actor: str | None, target: str | None, type: str | None, days: DayRange) -> _Filter:
        """What ``events`` and ``count_events`` select (conditions only, no branches)."""
        q = _Filter(table="events").where("t.same_as IS NULL")
        for role, like in (("actor", actor), ("target", target)):
            if like:
                q.where(f"(t.{role}_entity LIKE ? OR t.{role}_text LIKE ?)", like, like)
        if type:
            q.where("t.type = ?", type)
        for cond, value in zip(*self._day_conds("t.sort_date", days), strict=True):
            q.where(cond, value)
        return q

    def events_of(self, role: str, names: tuple[str, ...], limit: int) -> list[EventRow]:
        if role not in ("actor", "target"):
            raise ValueError(f"unknown event role {role!r}")
        if not names:
            return []
        seqs = _newest_seqs(self.conn, _Filter(table="events").any_of(f"t.{role}_entity = ?", names), limit, 0)
        return _event_rows(self.conn, seqs)

    def dyad_events(self, src: tuple[str, ...], dst: tuple[str, ...], limit: int | None) -> list[EventRow]:
        # One branch per (actor name, target name): each reads events_pair_newest in order.
        q = _Filter(table="events").any_of("t.actor_entity = ? AND t.target_entity = ?",
                                           [(s, d) for s in src for d in dst])
        n = limit if limit is not None else self._one(
            f"SELECT COUNT(*) FROM events WHERE actor_entity IN ({_marks(src)}) AND target_entity IN ({_marks(dst)})",
            (*src, *dst))
        return _event_rows(self.conn, _newest_seqs(self.conn, q, n, 0))

    def dyad_tallies(self, src: tuple[str, ...], dst: tuple[str, ...]) -> list[EventTally]:
        rows = self._rows(
            "SELECT week AS week_start, type, SUM(n) AS n, SUM(negated) AS negated, SUM(planned) AS planned,"
            " SUM(conditional) AS conditional, SUM(reported) AS reported"
            f" FROM dyad_weeks WHERE actor_entity IN ({_marks(src)}) AND target_entity IN ({_marks(dst)})"
            " GROUP BY week, type ORDER BY week, type", (*src, *dst))
        return [EventTally(**dict(r)) for r in rows]

    # -- runs and the ingest log

    def runs(self, limit: int) -> list[RunRecord]:
        rows = self._rows(
            "SELECT r.id, r.started_at, r.finished_at, r.status, r.argv, r.counts, r.host, r.pid, r.pid_start,"
            " (SELECT COUNT(*) FROM ingest_errors e WHERE e.run_id = r.id) AS n_failures"
            " FROM ingest_runs r ORDER BY r.id DESC LIMIT ?", (limit,))
        return [RunRecord(r["id"], r["started_at"], r["finished_at"], r["status"], tuple(json.loads(r["argv"] or "[]")),
                          json.loads(r["counts"]) if r["counts"] else {}, r["host"], r["pid"], r["pid_start"],
                          r["n_failures"]) for r in rows]

    def failures(self, *, limit: int, run_id: int | None) -> list[FailureRow]:
        sql = ("SELECT run_id, source, code, message AS reason, at, kind, title, url, published"
               " FROM ingest_errors")
        params: list[Any] = []
        if run_id is not None:
            sql += " WHERE run_id = ?"
            params.append(run_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [failure_row(**dict(r)) for r in self._rows(sql, params)]

    # -- the actor registry

    def corrections(self) -> list[dict[str, str]]:
        return [json.loads(op) for op in self._column("SELECT op FROM corrections ORDER BY seq")]

    def actor(self, key: str) -> ActorRecord | None:
        row = self.conn.execute("SELECT key, name, type, n_articles, n_mentions FROM actors WHERE key = ?",
                                (key,)).fetchone()
        return None if row is None else ActorRecord._make(row)  # the same columns, in ActorRecord's order

    def aliases(self, key: str) -> tuple[str, ...]:
        return tuple(self._column(
            "SELECT alias FROM actor_aliases WHERE actor_key = ? ORDER BY length(alias) DESC, alias", (key,)))

    def alias_of(self, key: str, alias: str) -> str | None:
        return self._one("SELECT alias FROM actor_aliases WHERE actor_key = ? AND alias = ? COLLATE NOCASE",
                         (key, alias))

    def key_taken(self, key: str) -> bool:
        return self._one("SELECT 1 FROM actors WHERE key = ? UNION ALL SELECT 1 FROM actor_redirects"
                         " WHERE old_key = ?", (key, key)) is not None

    def redirect_of(self, key: str) -> str | None:
        found = self._one("SELECT new_key FROM actor_redirects WHERE old_key = ?", (key,))
        return None if found is None else str(found)

    def keys_by_alias(self, alias: str) -> list[str]:
        return self._column("SELECT DISTINCT actor_key FROM actor_aliases WHERE alias = ? COLLATE NOCASE", (alias,))

    def keys_by_norm(self, norm: str) -> list[str]:
        return self._column("SELECT DISTINCT actor_key FROM actor_aliases WHERE norm = ?", (norm,))

    def keys_by_blocks(self, blocks: list[str]) -> list[str]:
        return self._column("SELECT DISTINCT k.actor_key FROM actor_keys k JOIN actors a ON a.key = k.actor_key"
                            f" WHERE k.block IN ({_marks(blocks)})", blocks)

    def actor_names(self, keys: list[str], limit: int) -> list[tuple[str, str]]:
        return [(r["key"], r["name"]) for r in self._rows(
            f"SELECT key, name FROM actors WHERE key IN ({_marks(keys)}) ORDER BY n_articles DESC, name LIMIT ?",
            (*keys, limit))]

    def alias_norms(self) -> Iterable[tuple[str, str]]:
        return self.conn.execute("SELECT actor_key, norm FROM actor_aliases")

    def candidate_actors(self, blocks: list[str]) -> list[ActorNames]:
        # On every entity an ingest links: plain tuples, unpacked beside their column list.
        rows = self.conn.execute(f"SELECT a.key, a.name, a.type FROM actors a WHERE a.key IN"
                                 f" (SELECT actor_key FROM actor_keys WHERE block IN ({_marks(blocks)}))",
                                 blocks).fetchall()
        return [ActorNames(key, name, etype, frozenset(r[0] for r in self.conn.execute(
            "SELECT alias FROM actor_aliases WHERE actor_key = ?", (key,)))) for key, name, etype in rows]

    def actor_context(self, key: str, articles: int) -> list[str]:
        return self._column(
            "SELECT DISTINCT o.name FROM article_entities o WHERE o.article_id IN"
            " (SELECT article_id FROM article_entities WHERE actor_key = ? ORDER BY published DESC LIMIT ?)"
            " AND o.actor_key IS NOT ?", (key, articles, key))

    def types_by_norm(self, norm: str) -> list[tuple[str, int]]:
        return self.conn.execute("SELECT a.type, a.n_articles FROM actors a WHERE a.key IN"
                                 " (SELECT actor_key FROM actor_aliases WHERE norm = ?)", (norm,)).fetchall()

    def actors(self, *, type: str | None, search: str | None, limit: int, offset: int) -> list[ActorRow]:
        where, params = self._actor_conds(type, search)
        sql = ("SELECT a.key, a.name, a.type, a.n_articles, a.n_mentions FROM actors a" + where
               + " ORDER BY a.n_articles DESC, a.n_mentions DESC, a.name LIMIT ? OFFSET ?")
        return [ActorRow(r["key"], r["name"], r["type"], self.aliases(r["key"]), r["n_articles"], r["n_mentions"])
                for r in self._rows(sql, (*params, limit, offset))]

    def count_actors(self, *, type: str | None, search: str | None) -> int:
        where, params = self._actor_conds(type, search)
        return int(self._one("SELECT COUNT(*) FROM actors a" + where, params))

    @staticmethod
    def _actor_conds(type: str | None, search: str | None) -> tuple[str, list[Any]]:
        """The WHERE clause (or "") of ``actors`` and ``count_actors``."""
        where, params = [], []
        if type:
            where.append("a.type = ? COLLATE NOCASE")
            params.append(type)
        if search:
            where.append("a.key IN (SELECT actor_key FROM actor_aliases WHERE alias LIKE ?)")
            params.append(search)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def actor_articles(self, key: str, limit: int) -> list[ActorArticle]:
        return [ActorArticle(**dict(r)) for r in self._rows(
            "SELECT x.id, x.title, x.outlet, x.published, e.name AS name_here, e.n_mentions FROM article_entities e"
            " JOIN articles x ON x.id = e.article_id WHERE e.actor_key = ?"
            " ORDER BY e.published DESC LIMIT ?", (key, limit))]

    def co_actors(self, key: str, articles: int, limit: int) -> list[CoActor]:
        return [CoActor(r["key"], r["name"], r["type"], r["n"]) for r in self._rows(
            "SELECT o.key, o.name, o.type, COUNT(DISTINCT e.article_id) AS n FROM article_entities e"
            " JOIN actors o ON o.key = e.actor_key"
            " WHERE e.article_id IN (SELECT article_id FROM article_entities WHERE actor_key = ?"
            "                        ORDER BY published DESC LIMIT ?) AND e.actor_key != ?"
            " GROUP BY o.key ORDER BY n DESC, o.n_articles DESC, o.name LIMIT ?",
            (key, articles, key, limit))]

    def name_weeks(self, names: tuple[str, ...]) -> list[ActorWeek]:
        return [ActorWeek(**dict(r)) for r in self._rows(
            "SELECT week AS week_start, SUM(articles) AS articles, SUM(mentions) AS mentions, SUM(quotes) AS quotes_by"
            f" FROM name_weeks WHERE name IN ({_marks(names)}) GROUP BY week ORDER BY week", names)]

    def top_speakers(self, limit: int) -> list[SpeakerRow]:
        return [SpeakerRow(r["key"], r["name"], r["type"], r["n"]) for r in self._rows(
            "SELECT a.key, a.name, a.type, SUM(s.n) AS n FROM speaker_counts s"
            " JOIN actor_aliases al ON al.alias = s.name JOIN actors a ON a.key = al.actor_key"
            " GROUP BY a.key ORDER BY n DESC, a.name LIMIT ?", (limit,))]

    # -- stories

    def story_signature(self, article_id: str) -> tuple[int, bytes] | None:
        rows = self._rows("SELECT s.article_seq, s.sig FROM story_signatures s JOIN articles a"
                          " ON a.seq = s.article_seq WHERE a.id = ?", (article_id,))
        return (rows[0]["article_seq"], rows[0]["sig"]) if rows else None

    def band_matches(self, keys: list[int]) -> set[int]:
        # One primary-key range per band (a row-value IN list made SQLite scan the table).
        return set(self._column(
            " UNION ALL ".join("SELECT article_seq FROM story_bands WHERE band = ? AND key = ?" for _ in keys),
            [x for b, k in enumerate(keys) for x in (b, k)]))

    def signatures(self, seqs: Iterable[int]) -> list[tuple[int, bytes]]:
        seqs = list(seqs)
        return self.conn.execute(f"SELECT article_seq, sig FROM story_signatures WHERE article_seq IN ({_marks(seqs)})",
                                 seqs).fetchall()

    def article_heads(self, seqs: Iterable[int]) -> list[tuple[int, str, str | None, str | None, str | None]]:
        seqs = list(seqs)
        return [(r["seq"], r["id"], r["title"], r["outlet"], r["published"]) for r in self._rows(
            f"SELECT seq, id, title, outlet, published FROM articles WHERE seq IN ({_marks(seqs)})", seqs)]


class SQLiteWriter(SQLiteReader, SQLiteBulkWriter, SQLiteFeedWrites):
    """The writes of ``store.backend.Writer``, inside the caller's transaction."""

    # -- articles

    def lock_names(self, blocks: list[str]) -> None:
        pass  # one writer at a time (the database lock)

    def article_state(self, article_id: str) -> ArticleState | None:
        row = self.conn.execute("SELECT seq, published, analysis, n_chars FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        return None if row is None else ArticleState._make(row)  # the same columns, in ArticleState's order

    def insert_article(self, article: Article, analysis: str | None, status: AnalysisStatus, at: str) -> int:
        credits = json.dumps([{kind: name} for kind, name in article.credits], ensure_ascii=False)
        cur = _insert(self.conn, "articles", {
            "id": article.id, "title": article.title, "outlet": article.outlet,
            "authors": json.dumps(list(article.authors), ensure_ascii=False), "published": article.published,
            "language": article.language, "text": article.text, "removed": _removed_json(article.removed),
            "n_chars": len(article.text), "added_at": at, "analysis": analysis, **_status(status),
            "published_source": article.published_source, "published_confidence": article.published_confidence,
            "modified": article.modified, "credits": credits,
            "headings": headings_json(article), "page_kind": article.page_kind, "section": article.section})
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def insert_source(self, article_id: str, source: str, url: str | None, at: str) -> bool:
        cur = _insert(self.conn, "sources", {"article_id": article_id, "source": source, "url": url, "added_at": at},
                      " ON CONFLICT (source, article_id) DO NOTHING")
        return cur.rowcount == 1

    def index_article(self, seq: int, title: str | None, text: str) -> None:
        self.conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (seq, title, text))

    def set_analysis(self, seq: int, analysis: str, status: AnalysisStatus) -> None:
        cols = _status(status)
        self.conn.execute(f"UPDATE articles SET analysis = :analysis, {', '.join(f'{c} = :{c}' for c in cols)}"
                          " WHERE seq = :seq", {"analysis": analysis, **cols, "seq": seq})

    def insert_signature(self, seq: int, packed: bytes, band_keys: list[int]) -> None:
        self.conn.execute("INSERT INTO story_signatures (article_seq, sig) VALUES (?, ?)", (seq, packed))
        self.conn.executemany("INSERT OR IGNORE INTO story_bands (band, key, article_seq) VALUES (?, ?, ?)",
                              [(b, k, seq) for b, k in enumerate(band_keys)])

    # -- analysis rows

    def insert_attribution(self, ref: ArticleRef, idx: int, a: Attribution) -> None:
        cur = _insert(self.conn, "attributions", {
            "idx": idx, "published": ref.published, "article_seq": ref.seq, "article_id": ref.id, "kind": a.kind,
            "content_start": a.content.start, "content_end": a.content.end, "content_text": a.content.text,
            "content_spans": json.dumps([list(x) for x in a.content_spans]),
            **_span("cue", a.cue, entity=False), **_span("source", a.source, entity=True),
            **_span("via", a.via, entity=True), "confidence": a.confidence, "statement": int(bool(a.statement)),
            "negated": int(bool(a.negated)), "frame": a.frame, "category": a.category})
        self.conn.execute("INSERT INTO attributions_fts (rowid, content_text) VALUES (?, ?)",
                          (cur.lastrowid, a.content.text))

    def delete_attributions(self, ref: ArticleRef) -> list[str | None]:
        rows = self._rows("SELECT seq, content_text, source_entity FROM attributions WHERE article_id = ?", (ref.id,))
        for r in rows:
            self.conn.execute("INSERT INTO attributions_fts (attributions_fts, rowid, content_text)"
                              " VALUES ('delete', ?, ?)", (r["seq"], r["content_text"]))
        self.conn.execute("DELETE FROM attributions WHERE article_id = ?", (ref.id,))
        return [r["source_entity"] for r in rows]

    def insert_entity(self, ref: ArticleRef, entity: Entity, actor_key: str) -> None:
        _insert(self.conn, "article_entities", {
            "article_id": ref.id, "entity_id": entity.id, "name": entity.name, "type": entity.type,
            "mentions": json.dumps([[m.start, m.end] for m in entity.mentions]), "n_mentions": len(entity.mentions),
            "actor_key": actor_key, "published": ref.published})

    def delete_entities(self, ref: ArticleRef) -> list[EntityLink]:
        rows = self._rows("SELECT name, n_mentions, actor_key FROM article_entities WHERE article_id = ?", (ref.id,))
        self.conn.execute("DELETE FROM article_entities WHERE article_id = ?", (ref.id,))
        return [EntityLink(**dict(r)) for r in rows]

    def insert_event(self, ref: ArticleRef, idx: int, ev: Event, week: str | None) -> None:
        _insert(self.conn, "events", {
            "idx": idx, "sort_date": ev.date or ref.published, "article_seq": ref.seq, "week": week,
            "article_id": ref.id, "type": ev.type, "trigger_start": ev.trigger.start, "trigger_end": ev.trigger.end,
            "trigger_text": ev.trigger.text, **_span("actor", ev.actor, entity=True),
            **_span("target", ev.target, entity=True), "negated": int(ev.negated), "modality": ev.modality,
            "date": ev.date, **_span("location", ev.location, entity=True), "attribution": ev.attribution,
            "timing": ev.timing, "date_from": ev.date_from, **_span("object", ev.object, entity=False),
            "same_as": ev.same_as})

    def delete_events(self, ref: ArticleRef) -> list[EventKey]:
        rows = self._rows("SELECT actor_entity AS actor, target_entity AS target, week, type, negated, modality"
                          " FROM events WHERE article_id = ?", (ref.id,))
        self.conn.execute("DELETE FROM events WHERE article_id = ?", (ref.id,))
        return [EventKey(r["actor"], r["target"], r["week"], r["type"], bool(r["negated"]), r["modality"])
                for r in rows]

    # -- counters

    def add_speaker(self, name: str, n: int) -> None:
        if n >= 0:
            self.conn.execute("INSERT INTO speaker_counts (name, n) VALUES (?, ?)"
                              " ON CONFLICT (name) DO UPDATE SET n = n + excluded.n", (name, n))
            return
        self.conn.execute("UPDATE speaker_counts SET n = n - ? WHERE name = ?", (-n, name))
        self.conn.execute("DELETE FROM speaker_counts WHERE name = ? AND n <= 0", (name,))

    def add_name_week(self, name: str, week: str, articles: int, mentions: int, quotes: int) -> None:
        self.conn.execute("INSERT INTO name_weeks (name, week, articles, mentions, quotes) VALUES (?, ?, ?, ?, ?)"
                          " ON CONFLICT (name, week) DO UPDATE SET articles = articles + excluded.articles,"
                          " mentions = mentions + excluded.mentions, quotes = quotes + excluded.quotes",
                          (name, week, articles, mentions, quotes))
        if min(articles, mentions, quotes) < 0:  # taken back out: a week left at nothing is no week
            self.conn.execute("DELETE FROM name_weeks WHERE name = ? AND week = ? AND articles <= 0"
                              " AND mentions <= 0 AND quotes <= 0", (name, week))

    def add_dyad_week(self, key: EventKey, n: int, negated: int, planned: int, conditional: int,
                      reported: int) -> None:
        values = {"actor_entity": key.actor, "target_entity": key.target, "week": key.week, "type": key.type, "n": n,
                  "negated": negated, "planned": planned, "conditional": conditional, "reported": reported}
        if n > 0:
            _insert(self.conn, "dyad_weeks", values,
                    " ON CONFLICT (actor_entity, target_entity, COALESCE(week, ''), type) DO UPDATE SET"
                    " n = n + excluded.n, negated = negated + excluded.negated, planned = planned + excluded.planned,"
                    " conditional = conditional + excluded.conditional, reported = reported + excluded.reported")
            return
        same = ("actor_entity = :actor_entity AND target_entity = :target_entity"
                " AND COALESCE(week, '') = COALESCE(:week, '') AND type = :type")
        self.conn.execute("UPDATE dyad_weeks SET n = n + :n, negated = negated + :negated,"
                          " planned = planned + :planned, conditional = conditional + :conditional,"
                          f" reported = reported + :reported WHERE {same}", values)
        self.conn.execute(f"DELETE FROM dyad_weeks WHERE {same} AND n <= 0", values)

    def add_actor_counts(self, key: str, articles: int, mentions: int) -> None:
        self.conn.execute("UPDATE actors SET n_articles = n_articles + ?, n_mentions = n_mentions + ? WHERE key = ?",
                          (articles, mentions, key))

    def recount_actor(self, key: str) -> None:
        self.conn.execute(
            "UPDATE actors SET n_articles = (SELECT COUNT(DISTINCT article_id) FROM article_entities"
            " WHERE actor_key = ?), n_mentions = (SELECT COALESCE(SUM(n_mentions), 0) FROM article_entities"
            " WHERE actor_key = ?) WHERE key = ?", (key, key, key))

    # -- the actor registry

    def insert_actor(self, key: str, name: str, type: str, at: str) -> None:
        _insert(self.conn, "actors", {"key": key, "name": name, "type": type, "created_at": at})

    def rename_actor(self, key: str, name: str) -> None:
        self.conn.execute("UPDATE actors SET name = ? WHERE key = ?", (name, key))

    def delete_actor(self, key: str) -> None:
        self.conn.execute("DELETE FROM actors WHERE key = ?", (key,))

    def add_alias(self, key: str, alias: str, norm: str, blocks: Iterable[str]) -> bool:
        added = self.conn.execute("INSERT INTO actor_aliases (actor_key, alias, norm) VALUES (?, ?, ?)"
                                  " ON CONFLICT (actor_key, alias) DO NOTHING", (key, alias, norm)).rowcount
        for block in blocks:
            added += self.conn.execute("INSERT INTO actor_keys (actor_key, block) VALUES (?, ?)"
                                       " ON CONFLICT (actor_key, block) DO NOTHING", (key, block)).rowcount
        return added > 0

    def delete_alias(self, key: str, alias: str) -> None:
        self.conn.execute("DELETE FROM actor_aliases WHERE actor_key = ? AND alias = ?", (key, alias))

    def delete_blocks(self, key: str) -> None:
        self.conn.execute("DELETE FROM actor_keys WHERE actor_key = ?", (key,))

    def copy_names(self, from_key: str, to_key: str) -> None:
        self.conn.execute("INSERT INTO actor_aliases (actor_key, alias, norm) SELECT ?, alias, norm"
                          " FROM actor_aliases WHERE actor_key = ? ON CONFLICT DO NOTHING", (to_key, from_key))
        self.conn.execute("INSERT INTO actor_keys (actor_key, block) SELECT ?, block FROM actor_keys"
                          " WHERE actor_key = ? ON CONFLICT DO NOTHING", (to_key, from_key))

    def relink_entities(self, from_key: str, to_key: str, *, name: str | None = None) -> None:
        if name is None:
            self.conn.execute("UPDATE article_entities SET actor_key = ? WHERE actor_key = ?", (to_key, from_key))
        else:
            self.conn.execute("UPDATE article_entities SET actor_key = ? WHERE actor_key = ? AND name = ?",
                              (to_key, from_key, name))

    def retarget_redirects(self, old_target: str, new_target: str) -> None:
        self.conn.execute("UPDATE actor_redirects SET new_key = ? WHERE new_key = ?", (new_target, old_target))

    def set_redirect(self, old_key: str, new_key: str, at: str) -> None:
        self.conn.execute("INSERT INTO actor_redirects (old_key, new_key, at) VALUES (?, ?, ?)"
                          " ON CONFLICT (old_key) DO UPDATE SET new_key = excluded.new_key, at = excluded.at",
                          (old_key, new_key, at))

    def delete_redirect(self, old_key: str, new_key: str) -> None:
        self.conn.execute("DELETE FROM actor_redirects WHERE old_key = ? AND new_key = ?", (old_key, new_key))

    def drop_loops(self) -> None:
        self.conn.execute("DELETE FROM actor_redirects WHERE old_key = new_key")

    def redirected_to(self, key: str) -> bool:
        return self._one("SELECT 1 FROM actor_redirects WHERE new_key = ? LIMIT 1", (key,)) is not None

    def named_in_corrections(self, key: str) -> bool:
        pattern = '%"' + key.replace("%", "").replace("_", "") + '"%'
        return self._one("SELECT 1 FROM corrections WHERE op LIKE ? LIMIT 1", (pattern,)) is not None

    def record_correction(self, op: dict[str, str], at: str) -> None:
        self.conn.execute("INSERT INTO corrections (op, at) VALUES (?, ?)", (json.dumps(op, sort_keys=True), at))

    # -- runs and the ingest log

    def insert_run(self, at: str, argv: list[str], host: str, pid: int, pid_start: str | None) -> int:
        cur = _insert(self.conn, "ingest_runs", {
            "started_at": at, "argv": json.dumps(argv, ensure_ascii=False), "status": "running", "host": host,
            "pid": pid, "pid_start": pid_start})
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, at: str, counts: dict[str, int], status: str) -> bool:
        cur = self.conn.execute("UPDATE ingest_runs SET finished_at = ?, counts = ?, status = ? WHERE id = ?",
                                (at, json.dumps(counts, ensure_ascii=False, sort_keys=True), status, run_id))
        return cur.rowcount > 0

    def running_runs(self) -> list[tuple[int, str | None, int | None, str | None]]:
        return [(r["id"], r["host"], r["pid"], r["pid_start"]) for r in self._rows(
            "SELECT id, host, pid, pid_start FROM ingest_runs WHERE status = 'running'")]

    def set_run_status(self, run_id: int, status: str) -> None:
        self.conn.execute("UPDATE ingest_runs SET status = ? WHERE id = ?", (status, run_id))

    def run_exists(self, run_id: int) -> bool:
        return self._one("SELECT 1 FROM ingest_runs WHERE id = ?", (run_id,)) is not None

    def insert_failure(self, run_id: int, failure: Failure, at: str) -> None:
        _insert(self.conn, "ingest_errors", {
            "run_id": run_id, "source": failure.source, "code": failure.code, "message": failure.message, "at": at,
            "kind": failure.kind, "title": failure.title, "url": failure.url, "published": failure.published})


class _Conn(sqlite3.Connection):
    """A connection whose statements stop (``SQLITE_INTERRUPT``) once ``deadline`` has passed."""

    deadline: float | None = None

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


class SQLiteBackend:
    """``store.backend.Backend`` over one SQLite file (or ``:memory:``).

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

    # -- schema -------------------------------------------------------------

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
                for stmt in statements(sql):
                    conn.execute(stmt)
                if version in BACKFILL:
                    BACKFILL[version](conn)
                conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (version, name, now()))
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

    # -- units of work ----------------------------------------------------------

    @contextmanager
    def read(self, what: str) -> Iterator[SQLiteReader]:
        with self._op(what) as conn:
            yield SQLiteReader(conn)

    @contextmanager
    def write(self, what: str) -> Iterator[SQLiteWriter]:
        with self._write(what) as conn:
            yield SQLiteWriter(conn)

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

    # -- lifecycle ----------------------------------------------------------------

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

    def files(self) -> tuple[str, ...]:
        return files_of(self.path)


def files_of(path: str) -> tuple[str, ...]:
    """The files that hold the SQLite store at ``path`` (the database and its ``-wal``, ``-shm``,
    ``-journal``, existing or not), without opening it; empty for ``:memory:``."""
    if path == ":memory:" or path.startswith("file::memory:"):
        return ()
    if path.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        path = unquote(urlsplit(path).path)
    return (path, *(path + suffix for suffix in ("-wal", "-shm", "-journal")))


def open_sqlite(path: str, *, read_only: bool = False, query_timeout: float | None = None) -> SQLiteStore:
    """``SQLiteStore(path)``; with ``read_only``, over ``file:PATH?mode=ro`` (a missing file is
    ``store.cant_open``; a store that cannot be opened read-only, e.g. one needing a migration
    or without its ``-shm`` yet, is opened read-write). ``:memory:`` and ``file:`` URIs as given."""
    timeout = QUERY_TIMEOUT if query_timeout is None else query_timeout
    if not read_only or path == ":memory:" or path.startswith("file:"):
        return SQLiteStore(path, query_timeout=timeout)
    if not os.path.exists(path):
        raise StoreError(f"no store at {path}; ingest something first", code="store.cant_open")
    try:
        return SQLiteStore("file:" + quote(os.path.abspath(path)) + "?mode=ro", query_timeout=timeout)
    except StoreError as exc:
        log.info("read-only open of %s failed (%s); opening read-write", path, exc)
        return SQLiteStore(path, query_timeout=timeout)


class SQLiteStore(BaseStore):
    """The ``Store`` protocol over one SQLite file (or ``:memory:``): ``BaseStore``'s services
    over a ``SQLiteBackend``. Open it with ``newsgraph.store.open_store``.

    ``_conn``, ``_op``, ``_write`` and ``_idle`` reach the backend's connections, for tests
    of SQLite itself (pragmas, migrations from old schemas, the read pool).
    """

    _backend: SQLiteBackend

    def __init__(self, path: str | Path, *, query_timeout: float | None = QUERY_TIMEOUT) -> None:
        super().__init__(SQLiteBackend(path, query_timeout=query_timeout))

    @property
    def path(self) -> str:
        return self._backend.path

    @property
    def query_timeout(self) -> float | None:
        return self._backend.query_timeout

    @query_timeout.setter
    def query_timeout(self, value: float | None) -> None:
        self._backend.query_timeout = value

    @property
    def _conn(self) -> _Conn | None:
        return self._backend._conn

    @property
    def _idle(self) -> list[_Conn]:
        return self._backend._idle

    def _op(self, what: str) -> Any:
        return self._backend._op(what)

    def _write(self, what: str) -> Any:
        return self._backend._write(what)

    def __enter__(self) -> SQLiteStore:
        return self

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    files_of = staticmethod(files_of)
