"""Newest-first reads of attributions and events on SQLite: one page, whatever the store's size.

Both tables carry their own sort key (``published``/``sort_date``, ``article_seq``, ``idx``,
schema 6), so "the newest quotes of this speaker" reads one index range per name and
stops after a page (``_Filter``, ``_newest_seqs``); the page's rows are then read by
seq with their article's metadata (``_quote_rows``, ``_event_rows``, named columns).
``_count_quotes`` counts what a quote listing's filters select, from the rows or, over
the whole store, from the running tally (``attribution_tally``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.store.rows import EventRow, QuoteCounts, QuoteRow
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


def _by_seq(conn: sqlite3.Connection, sql: str, seqs: list[int]) -> list[sqlite3.Row]:
    """Rows of ``sql`` (named columns; one named ``seq``; ending in ``IN ({marks})``) in ``seqs`` order."""
    if not seqs:
        return []
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    rows = {r["seq"]: r for r in cur.execute(sql.format(marks=", ".join("?" * len(seqs))), seqs)}
    return [rows[s] for s in seqs if s in rows]


_QUOTE_SQL = ("SELECT t.seq AS seq, t.article_id AS article_id, a.title AS title, a.outlet AS outlet,"
              " a.published AS published, t.kind AS kind, COALESCE(t.source_entity, t.source_text) AS speaker,"
              " t.source_text AS source_text, t.cue_text AS cue_text, t.content_text AS content_text,"
              " t.content_start AS content_start, t.content_end AS content_end,"
              " COALESCE(t.via_entity, t.via_text) AS via, t.idx AS idx, t.confidence AS confidence,"
              " t.statement AS statement, t.negated AS negated, t.frame AS frame, t.category AS category"
              " FROM attributions t JOIN articles a ON a.seq = t.article_seq WHERE t.seq IN ({marks})")


def _quote_rows(conn: sqlite3.Connection, q: _Filter, limit: int, offset: int) -> list[QuoteRow]:
    return [QuoteRow(
        article_id=r["article_id"], title=r["title"], outlet=r["outlet"], published=r["published"], kind=r["kind"],
        speaker=r["speaker"], source_text=r["source_text"], cue_text=r["cue_text"], content_text=r["content_text"],
        content_start=r["content_start"], content_end=r["content_end"], via=r["via"], idx=r["idx"],
        confidence=float(r["confidence"]), statement=bool(r["statement"]), negated=bool(r["negated"]),
        frame=r["frame"], category=r["category"]) for r in _by_seq(conn, _QUOTE_SQL, _newest_seqs(conn, q, limit, offset))]


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


_EVENT_SQL = ("SELECT v.seq AS seq, v.article_id AS article_id, a.title AS title, a.outlet AS outlet,"
              " a.published AS published, v.type AS type, v.trigger_text AS trigger,"
              " COALESCE(v.actor_entity, v.actor_text) AS actor, COALESCE(v.target_entity, v.target_text) AS target,"
              " v.negated AS negated, v.modality AS modality, v.date AS date,"
              " COALESCE(v.location_entity, v.location_text) AS location, v.trigger_start AS trigger_start,"
              " v.trigger_end AS trigger_end, v.actor_entity IS NOT NULL AS actor_linked,"
              " v.target_entity IS NOT NULL AS target_linked, v.timing AS timing, v.object_text AS object"
              " FROM events v JOIN articles a ON a.seq = v.article_seq WHERE v.seq IN ({marks})")


def _event_rows(conn: sqlite3.Connection, seqs: list[int]) -> list[EventRow]:
    return [EventRow(
        article_id=r["article_id"], title=r["title"], outlet=r["outlet"], published=r["published"], type=r["type"],
        trigger=r["trigger"], actor=r["actor"], target=r["target"], negated=bool(r["negated"]),
        modality=r["modality"], date=r["date"], location=r["location"], trigger_start=r["trigger_start"],
        trigger_end=r["trigger_end"], actor_linked=bool(r["actor_linked"]), target_linked=bool(r["target_linked"]),
        timing=r["timing"] or "new", object=r["object"]) for r in _by_seq(conn, _EVENT_SQL, seqs)]
