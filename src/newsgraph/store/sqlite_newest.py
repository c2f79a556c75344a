"""Newest-first reads of attributions and events on SQLite: one page, whatever the store's size.

Both tables carry their own sort key (``published``/``sort_date``, ``article_seq``, ``idx``,
schema 6), so "the newest quotes of this speaker" reads one index range per name and
stops after a page (``_Filter``, ``_newest_seqs``); the page's rows are then read by
seq with their article's metadata (``_quote_rows``, ``_event_rows``: named columns, ``sqlite_columns``).
``_count_quotes`` counts what a quote listing's filters select, from the rows or, over
the whole store, from the running tally (``attribution_tally``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.store.rows import EventRow, QuoteCounts, QuoteRow
from newsgraph.store.sqlite_columns import same_fields, select
from newsgraph.store.values import quote_kinds

#: An actor page picks its newest quotes and events among this many most recently stored rows.
CANDIDATES = 2_000

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
    """Rows of ``sql`` (its first column the seq; ending in ``IN ({marks})``) in ``seqs`` order."""
    if not seqs:
        return []
    rows = {r[0]: r for r in conn.execute(sql.format(marks=", ".join("?" * len(seqs))), seqs)}
    return [rows[s] for s in seqs if s in rows]


def _quote_row(seq: int, article_id: str, title: str | None, outlet: str | None, published: str | None, kind: str,
               speaker: str | None, source_text: str | None, cue_text: str | None, content_text: str,
               content_start: int, content_end: int, via: str | None, idx: int, confidence: float, statement: int,
               negated: int, frame: str | None, category: str | None) -> QuoteRow:
    return QuoteRow(article_id, title, outlet, published, kind, speaker, source_text, cue_text, content_text,
                    content_start, content_end, via, idx, float(confidence), bool(statement), bool(negated), frame,
                    category)  # QuoteRow's fields, in order (same_fields below)


same_fields(_quote_row, QuoteRow, skip=("seq",))
_QUOTE_SQL = ("SELECT " + select(_quote_row, table="t", exprs={
    "title": "a.title", "outlet": "a.outlet", "published": "a.published",
    "speaker": "COALESCE(t.source_entity, t.source_text)", "via": "COALESCE(t.via_entity, t.via_text)"})
    + " FROM attributions t JOIN articles a ON a.seq = t.article_seq WHERE t.seq IN ({marks})")


def _quote_rows(conn: sqlite3.Connection, q: _Filter, limit: int, offset: int) -> list[QuoteRow]:
    return [_quote_row(*r) for r in _by_seq(conn, _QUOTE_SQL, _newest_seqs(conn, q, limit, offset))]


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
    """The condition "one of ``kinds``" (None: every attribution); ``store.bad_query`` for an unknown kind
    (``store.values.quote_kinds``)."""
    checked = quote_kinds(tuple(kinds) if kinds is not None else None)
    if checked is None:
        return None
    return "(" + " OR ".join(_KIND_CONDS[k] for k in checked) + ")"


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


def _event_row(seq: int, article_id: str, title: str | None, outlet: str | None, published: str | None, type: str,
               trigger: str, actor: str | None, target: str | None, negated: int, modality: str, date: str | None,
               location: str | None, trigger_start: int, trigger_end: int, actor_linked: int, target_linked: int,
               timing: str | None, object: str | None) -> EventRow:
    return EventRow(article_id, title, outlet, published, type, trigger, actor, target, bool(negated), modality, date,
                    location, trigger_start, trigger_end, bool(actor_linked), bool(target_linked), timing or "new",
                    object)  # EventRow's fields, in order (same_fields below)


same_fields(_event_row, EventRow, skip=("seq",))
_EVENT_SQL = ("SELECT " + select(_event_row, table="v", exprs={
    "title": "a.title", "outlet": "a.outlet", "published": "a.published", "trigger": "v.trigger_text",
    "actor": "COALESCE(v.actor_entity, v.actor_text)", "target": "COALESCE(v.target_entity, v.target_text)",
    "location": "COALESCE(v.location_entity, v.location_text)", "actor_linked": "v.actor_entity IS NOT NULL",
    "target_linked": "v.target_entity IS NOT NULL", "object": "v.object_text"})
    + " FROM events v JOIN articles a ON a.seq = v.article_seq WHERE v.seq IN ({marks})")


def _event_rows(conn: sqlite3.Connection, seqs: list[int]) -> list[EventRow]:
    return [_event_row(*r) for r in _by_seq(conn, _EVENT_SQL, seqs)]
