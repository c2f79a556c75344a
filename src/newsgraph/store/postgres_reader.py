"""The reads of ``store.backend.Reader`` on PostgreSQL, over one connection of the pool.

Rows are read by name: a row mapper whose parameters name the columns (the SQLite backend's,
``store.sqlite``, shared so both build the same rows) is the cursor's row factory
(``psycopg.rows.kwargs_row``); small reads take ``dict_row``. Parameters are named
(``%(name)s``) or built alongside their SQL (``postgres_fts.render``); lists are one array
parameter (``= ANY(%(names)s::ctext[])``), never a counted list of placeholders.

Semantics are SQLite's (the contract suite, ``tests/store_contract``, checks both): text
compares by code point (``ctext``, COLLATE "C"); SQLite's NOCASE and LIKE become ``lower()``
and ``ILIKE`` (ASCII folding under "C"), with ``ESCAPE ''`` (SQLite's LIKE has no escape
character); newest first puts undated rows last (``DESC NULLS LAST``), oldest first puts them
first (``ASC NULLS FIRST``), as SQLite orders NULLs. Quotes and events newest first are
``postgres_newest``; full-text search is ``postgres_fts``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from psycopg.rows import dict_row, kwargs_row

from newsgraph.errors import NotFound, StoreError
from newsgraph.store import postgres_fts as fts
from newsgraph.store.backend import ActorNames, ActorRecord, RunRecord
from newsgraph.store.copy_pg import PGBulkReader  # whole-store copies (store.copy)
from newsgraph.store.postgres_feeds import PGFeedReads  # followed feeds (newsgraph watch)
from newsgraph.store.postgres_newest import Newest
from newsgraph.store.rows import (
    ActorArticle,
    ActorRow,
    ActorWeek,
    AnalysisCounts,
    ArticleRow,
    CoActor,
    EventTally,
    FailureRow,
    NotAnalysedCount,
    SearchHit,
    SourceRow,
    SpeakerRow,
    StoredArticle,
    failure_row,
)
from newsgraph.store.sqlite import _attribution, _event, _Head, _stored
from newsgraph.store.sqlite_columns import select
from newsgraph.store.sqlite_fts import _check_query
from newsgraph.store.values import DayRange
from newsgraph.types import Article, Attribution, Entity, Event, TextSpan

_T = TypeVar("_T")

_ARTICLE_COLS = select(_Head)
_ARTICLE_ROW = select(ArticleRow, table="a",
                      exprs={"n_sources": "(SELECT COUNT(*) FROM sources s WHERE s.article_id = a.id)"})
_ATTR_COLS = select(_attribution)
_EVENT_COLS = select(_event)


def day_conds(column: str, days: DayRange, params: dict[str, Any]) -> list[str]:
    """``days`` as conditions on ``column`` (ISO text compares as dates do)."""
    conds = []
    if days.since is not None:
        conds.append(f"{column} >= %(since)s")
        params["since"] = days.since
    if days.before is not None:
        conds.append(f"{column} < %(before)s")
        params["before"] = days.before
    return conds


def _where(conds: list[str]) -> str:
    return " WHERE " + " AND ".join(conds) if conds else ""


class PGReader(Newest, PGFeedReads, PGBulkReader):
    """The reads of ``store.backend.Reader`` over one psycopg connection."""

    def __init__(self, conn: Any, configs: frozenset[str]) -> None:
        self.conn = conn
        #: Text search configurations this server has (``postgres_fts.search_config``).
        self.configs = configs

    # -- helpers

    def _rows(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(sql, params).fetchall()

    def _mapped(self, fn: Callable[..., _T], sql: str, params: Any = None) -> list[_T]:
        """Rows of ``sql`` as ``fn(**columns)``."""
        with self.conn.cursor(row_factory=kwargs_row(fn)) as cur:
            return cur.execute(sql, params).fetchall()

    def _column(self, sql: str, params: Any = None) -> list[Any]:
        return [r[0] for r in self.conn.execute(sql, params).fetchall()]

    def _one(self, sql: str, params: Any = None) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- articles

    def has_source(self, source: str, *, analysed: bool) -> bool:
        sql = ("SELECT 1 FROM sources s JOIN articles a ON a.id = s.article_id WHERE s.source = %(source)s"
               " AND a.analysis IS NOT NULL LIMIT 1") if analysed else \
            "SELECT 1 FROM sources WHERE source = %(source)s LIMIT 1"
        return self._one(sql, {"source": source}) is not None

    def count_articles(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM articles"))

    def articles_by_prefix(self, prefix: str, *, limit: int) -> list[str]:
        return self._column("SELECT id FROM articles WHERE id >= %(lo)s AND id < %(hi)s ORDER BY id LIMIT %(n)s",
                            {"lo": prefix, "hi": prefix + "g", "n": limit})

    def _sources(self, article_id: str, limit: int | None = None) -> list[SourceRow]:
        return self._mapped(SourceRow, "SELECT source, url, added_at FROM sources WHERE article_id = %(id)s"
                            " ORDER BY seq LIMIT %(n)s", {"id": article_id, "n": limit})

    def stored_article(self, article_id: str) -> StoredArticle:
        heads = self._mapped(_Head, f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = %(id)s", {"id": article_id})
        if not heads:
            raise NotFound(f"no article with id {article_id!r}")
        head, where = heads[0], "article_id = %(id)s"
        params = {"id": article_id}
        return _stored(head, self._sources(article_id), self._attributions(where, params).get(article_id, []),
                       self._entities(where, params, {article_id: head.text}).get(article_id, []),
                       self._events(where, params).get(article_id, []))

    def article_batch(self, after_seq: int, limit: int) -> list[tuple[int, StoredArticle]]:
        heads = self._mapped(_Head, f"SELECT {_ARTICLE_COLS} FROM articles WHERE seq > %(after)s ORDER BY seq"
                             " LIMIT %(n)s", {"after": after_seq, "n": limit})
        if not heads:
            return []
        params = {"ids": [h.id for h in heads]}
        by_id: dict[str, list[SourceRow]] = {}
        for r in self._rows("SELECT article_id, source, url, added_at FROM sources WHERE article_id = ANY(%(ids)s::ctext[])"
                            " ORDER BY seq", params):
            by_id.setdefault(r["article_id"], []).append(SourceRow(r["source"], r["url"], r["added_at"]))
        where = "article_id = ANY(%(ids)s::ctext[])"
        attrs = self._attributions(where, params)
        ents = self._entities(where, params, {h.id: h.text for h in heads})
        evs = self._events(where, params)
        return [(h.seq, _stored(h, by_id.get(h.id, []), attrs.get(h.id, []), ents.get(h.id, []), evs.get(h.id, [])))
                for h in heads]

    def _article_conds(self, outlet: str | None, language: str | None, days: DayRange) -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {}
        conds = day_conds("a.published", days, params)
        if outlet is not None:
            conds.append("a.outlet = %(outlet)s")
            params["outlet"] = outlet
        if language is not None:
            conds.append("a.language = %(language)s")
            params["language"] = language
        return _where(conds), params

    def list_articles(self, *, limit: int, offset: int, outlet: str | None, language: str | None,
                      days: DayRange) -> list[ArticleRow]:
        where, params = self._article_conds(outlet, language, days)
        return self._mapped(ArticleRow, f"SELECT {_ARTICLE_ROW} FROM articles a{where}"
                            " ORDER BY a.published DESC NULLS LAST, a.seq DESC LIMIT %(limit)s OFFSET %(offset)s",
                            {**params, "limit": limit, "offset": offset})

    def count_listed_articles(self, *, outlet: str | None, language: str | None, days: DayRange) -> int:
        where, params = self._article_conds(outlet, language, days)
        return int(self._one(f"SELECT COUNT(*) FROM articles a{where}", params))

    def articles_to_analyse(self, *, after_seq: int, limit: int, current: str | None) -> list[tuple[int, Article]]:
        where = "analysis IS NULL" if current is None else "(analysis IS NULL OR analysis != %(current)s)"
        heads = self._mapped(_Head, f"SELECT {_ARTICLE_COLS} FROM articles WHERE seq > %(after)s AND {where}"
                             " ORDER BY seq LIMIT %(n)s", {"after": after_seq, "current": current, "n": limit})
        return [(h.seq, _stored(h, self._sources(h.id, limit=1)).article) for h in heads]

    def count_to_analyse(self, *, current: str | None) -> int:
        where = "analysis IS NULL" if current is None else "(analysis IS NULL OR analysis != %(current)s)"
        return int(self._one(f"SELECT COUNT(*) FROM articles WHERE {where}", {"current": current}))

    def analysis_counts(self) -> AnalysisCounts:
        rows = self._rows("SELECT analysis_status AS status, analysis_code AS code, analysis_language AS language,"
                          " COUNT(*) AS n FROM articles GROUP BY 1, 2, 3")
        analysed = sum(r["n"] for r in rows if r["status"] == "analysed")
        reasons = sorted((NotAnalysedCount(r["code"] or "analyze.unknown", r["language"], r["n"]) for r in rows
                          if r["status"] != "analysed"), key=lambda x: (-x.n, x.code, x.language or ""))
        total = sum(r["n"] for r in rows)
        return AnalysisCounts(total, analysed, total - analysed, tuple(reasons))

    def _attributions(self, where: str, params: Any) -> dict[str, list[Attribution]]:
        out: dict[str, list[Attribution]] = {}
        for article_id, a in self._mapped(_attribution, f"SELECT {_ATTR_COLS} FROM attributions WHERE {where}"
                                          " ORDER BY article_id, idx", params):
            out.setdefault(article_id, []).append(a)
        return out

    def _entities(self, where: str, params: Any, texts: dict[str, str]) -> dict[str, list[Entity]]:
        """Entities per article; mention texts are cut from the article text (``texts``)."""
        out: dict[str, list[Entity]] = {}
        for r in self._rows("SELECT article_id, entity_id, name, type, mentions FROM article_entities"
                            f" WHERE {where} ORDER BY article_id, seq", params):
            text = texts.get(r["article_id"], "")
            spans = tuple(TextSpan(s, e, text[s:e]) for s, e in json.loads(r["mentions"]))
            out.setdefault(r["article_id"], []).append(Entity(r["entity_id"], r["name"], r["type"], spans))
        return out

    def _events(self, where: str, params: Any) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        for article_id, ev in self._mapped(_event, f"SELECT {_EVENT_COLS} FROM events WHERE {where}"
                                           " ORDER BY article_id, idx", params):
            out.setdefault(article_id, []).append(ev)
        return out

    # -- search

    def _match(self, query: str) -> tuple[str, list[Any]]:
        """``FROM`` and ``WHERE`` of the articles matching ``query``, each parsed in its own
        configuration (``q.query``), and their parameters (``postgres_fts``). ``OFFSET 0`` keeps the
        planner from inlining ``q``, which parsed the query again for every row it ranked or checked
        (1,000 ranked: 25 -> 21 ms median)."""
        _check_query(query)
        tree = fts.parse(query)
        if tree is None:
            raise StoreError(f"search query {query!r} has no searchable words", code="store.bad_query")
        params: list[Any] = []
        expr = fts.render(tree, "c.config", params)
        pairs = fts.render_pairs(tree, "c.config", params)
        if pairs is not None and self._one(f"SELECT bool_and({pairs} IS NOT NULL) FROM search_configs c",
                                           params[len(params) - _count(pairs):]):
            # A phrase: the index of adjacent word pairs finds the candidates (postgres_fts, migration 0007),
            # each then checked against its tsvector; "IS TRUE" keeps the planner from ANDing the tsv
            # index in too, which made it recheck every candidate before the seq window (2.4 s, not 21 ms).
            return (f" FROM (SELECT c.config, {expr} AS query, {pairs} AS pairs FROM search_configs c OFFSET 0) q"
                    " JOIN articles a ON a.search_config = q.config AND a.pairs @@ q.pairs"
                    " AND (a.tsv @@ q.query) IS TRUE"), params
        del params[len(params) - _count(pairs or ""):]
        return (f" FROM (SELECT c.config, {expr} AS query FROM search_configs c OFFSET 0) q"
                " JOIN articles a ON a.search_config = q.config AND a.tsv @@ q.query"), params

    def search(self, query: str, *, seqs: Any, limit: int, offset: int, sparse: bool = False) -> list[SearchHit]:
        """The matches ``seqs`` ranked (``ts_rank_cd``, the title weighing 5x; ``postgres_fts``): each
        article's ``tsvector`` read once, by its primary key (``sparse`` or not)."""
        tree = fts.parse(query)
        params: list[Any] = []
        expr = fts.render(tree, "c.config", params)
        page = self._rows(
            f"SELECT a.seq, q.config, q.query, ts_rank_cd('{fts.RANK_WEIGHTS}', a.tsv, q.query, 1) AS rank"
            f" FROM (SELECT c.config, {expr} AS query FROM search_configs c OFFSET 0) q"
            " JOIN articles a ON a.search_config = q.config WHERE a.seq = ANY(%s)"
            " ORDER BY rank DESC, a.seq DESC LIMIT %s OFFSET %s", [*params, seqs.tolist(), limit, offset])
        if not page:
            return []
        heads = {r["seq"]: r for r in self._rows(
            "SELECT seq, id, title, outlet, published, language FROM articles WHERE seq = ANY(%(seqs)s)",
            {"seqs": [p["seq"] for p in page]})}
        # ts_headline parses all the text it is given (~1 ms per 3 KB): it gets the title and
        # SNIPPET_SPAN characters around the first place the query's first word is written.
        snippets = self._column(
            "SELECT ts_headline(p.config, COALESCE(a.title, '') || E'\\n' || substr(a.text,"
            " greatest(1, strpos(lower(a.text), %(anchor)s) - %(before)s), %(span)s), p.query, %(opts)s)"
            " FROM unnest(%(seqs)s::bigint[], %(configs)s::regconfig[], %(queries)s::tsquery[])"
            " WITH ORDINALITY AS p(seq, config, query, n) JOIN articles a ON a.seq = p.seq ORDER BY p.n",
            {"anchor": fts.first_word(tree).lower(), "before": fts.SNIPPET_SPAN // 3, "span": fts.SNIPPET_SPAN,
             "opts": fts.HEADLINE, "seqs": [p["seq"] for p in page],
             "configs": [p["config"] for p in page], "queries": [p["query"] for p in page]})
        return [SearchHit(id=h["id"], title=h["title"], outlet=h["outlet"], published=h["published"], snippet=snip,
                          score=float(p["rank"]), language=h["language"])
                for p, snip in zip(page, snippets, strict=True) for h in (heads[p["seq"]],)]

    def search_seqs(self, query: str, *, limit: int | None = None, outlet: str | None = None,
                    language: str | None = None, month: str | None = None) -> Any:
        """The newest ``limit`` matches passing the filters, read window by window of ``seq``
        (``postgres_fts.newest_seqs``; the filters are in each window's WHERE)."""
        import numpy as np

        source, params = self._match(query)
        cond, fparams = fts.search_filters(outlet, language, month)
        params = [*params, *fparams]
        if limit is None:
            return np.fromiter((r[0] for r in self.conn.execute(
                f"SELECT a.seq{source} WHERE TRUE{cond} ORDER BY a.seq DESC", params)), dtype=np.int64)
        found = fts.newest_seqs(self.conn, f"SELECT a.seq{source} WHERE TRUE{cond}", params, table="articles",
                                column="a.seq", limit=limit)
        return np.array(found, dtype=np.int64)

    def seq_horizon(self) -> tuple[int, int, int]:
        """Writers take their transaction id before their first ``seq`` (``PostgresBackend.write``), so
        every ``seq`` up to ``last_seq`` belongs to a transaction below ``xmax``."""
        row = self.conn.execute(
            "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint,"
            " COALESCE(pg_sequence_last_value(pg_get_serial_sequence('articles', 'seq')::regclass), 0)"
            " FROM pg_current_snapshot() AS s").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def facet_rows(self, after_seq: int) -> Iterable[tuple[int, str | None, str | None, str | None]]:
        return self.conn.execute("SELECT seq, outlet, language, published FROM articles WHERE seq > %(after)s"
                                 " ORDER BY seq", {"after": after_seq}).fetchall()

    # -- events (counts and tallies; the newest-first pages are postgres_newest's)

    def dyad_tallies(self, src: tuple[str, ...], dst: tuple[str, ...]) -> list[EventTally]:
        return self._mapped(EventTally, (
            "SELECT week AS week_start, type, SUM(n) AS n, SUM(negated) AS negated, SUM(planned) AS planned,"
            " SUM(conditional) AS conditional, SUM(reported) AS reported FROM dyad_weeks"
            " WHERE actor_entity = ANY(%(src)s::ctext[]) AND target_entity = ANY(%(dst)s::ctext[])"
            " GROUP BY week, type ORDER BY week NULLS FIRST, type"), {"src": list(src), "dst": list(dst)})

    # -- runs and the ingest log

    def runs(self, limit: int) -> list[RunRecord]:
        rows = self._rows(
            "SELECT r.id, r.started_at, r.finished_at, r.status, r.argv, r.counts, r.host, r.pid, r.pid_start,"
            " (SELECT COUNT(*) FROM ingest_errors e WHERE e.run_id = r.id) AS n_failures"
            " FROM ingest_runs r ORDER BY r.id DESC LIMIT %(n)s", {"n": limit})
        return [RunRecord(r["id"], r["started_at"], r["finished_at"], r["status"], tuple(json.loads(r["argv"] or "[]")),
                          json.loads(r["counts"]) if r["counts"] else {}, r["host"], r["pid"], r["pid_start"],
                          r["n_failures"]) for r in rows]

    def failures(self, *, limit: int, run_id: int | None) -> list[FailureRow]:
        where = " WHERE run_id = %(run)s" if run_id is not None else ""
        return self._mapped(failure_row, "SELECT run_id, source, code, message AS reason, at, kind, title, url,"
                            f" published FROM ingest_errors{where} ORDER BY id DESC LIMIT %(n)s",
                            {"run": run_id, "n": limit})

    # -- the actor registry

    def corrections(self) -> list[dict[str, str]]:
        return [json.loads(op) for op in self._column("SELECT op FROM corrections ORDER BY seq")]

    def actor(self, key: str) -> ActorRecord | None:
        found = self._mapped(ActorRecord, "SELECT key, name, type, n_articles, n_mentions FROM actors"
                             " WHERE key = %(key)s", {"key": key})
        return found[0] if found else None

    def aliases(self, key: str) -> tuple[str, ...]:
        return tuple(self._column("SELECT alias FROM actor_aliases WHERE actor_key = %(key)s"
                                  " ORDER BY length(alias) DESC, alias", {"key": key}))

    def alias_of(self, key: str, alias: str) -> str | None:
        return self._one("SELECT alias FROM actor_aliases WHERE actor_key = %(key)s AND lower(alias) = lower(%(a)s)"
                         " LIMIT 1", {"key": key, "a": alias})

    def key_taken(self, key: str) -> bool:
        return self._one("SELECT 1 FROM actors WHERE key = %(key)s UNION ALL SELECT 1 FROM actor_redirects"
                         " WHERE old_key = %(key)s", {"key": key}) is not None

    def redirect_of(self, key: str) -> str | None:
        found = self._one("SELECT new_key FROM actor_redirects WHERE old_key = %(key)s", {"key": key})
        return None if found is None else str(found)

    def keys_by_alias(self, alias: str) -> list[str]:
        return self._column("SELECT DISTINCT actor_key FROM actor_aliases WHERE lower(alias) = lower(%(a)s)",
                            {"a": alias})

    def keys_by_norm(self, norm: str) -> list[str]:
        return self._column("SELECT DISTINCT actor_key FROM actor_aliases WHERE norm = %(norm)s", {"norm": norm})

    def keys_by_blocks(self, blocks: list[str]) -> list[str]:
        return self._column("SELECT DISTINCT k.actor_key FROM actor_keys k JOIN actors a ON a.key = k.actor_key"
                            " WHERE k.block = ANY(%(blocks)s::ctext[])", {"blocks": list(blocks)})

    def actor_names(self, keys: list[str], limit: int) -> list[tuple[str, str]]:
        return [(r["key"], r["name"]) for r in self._rows(
            "SELECT key, name FROM actors WHERE key = ANY(%(keys)s::ctext[]) ORDER BY n_articles DESC, name LIMIT %(n)s",
            {"keys": list(keys), "n": limit})]

    def alias_norms(self) -> Iterable[tuple[str, str]]:
        return [tuple(r) for r in self.conn.execute("SELECT actor_key, norm FROM actor_aliases").fetchall()]

    def candidate_actors(self, blocks: list[str]) -> list[ActorNames]:
        rows = self._rows(
            "SELECT a.key, a.name, a.type, ARRAY(SELECT alias::text FROM actor_aliases l WHERE l.actor_key = a.key)"
            " AS aliases FROM actors a WHERE a.key IN (SELECT actor_key FROM actor_keys WHERE block = ANY(%(b)s::ctext[]))",
            {"b": list(blocks)})
        return [ActorNames(r["key"], r["name"], r["type"], frozenset(r["aliases"])) for r in rows]

    def actor_context(self, key: str, articles: int) -> list[str]:
        return self._column(
            "SELECT DISTINCT o.name FROM article_entities o WHERE o.article_id IN"
            " (SELECT article_id FROM article_entities WHERE actor_key = %(key)s"
            "  ORDER BY published DESC NULLS LAST LIMIT %(n)s) AND o.actor_key IS DISTINCT FROM %(key)s",
            {"key": key, "n": articles})

    def types_by_norm(self, norm: str) -> list[tuple[str, int]]:
        return [(r["type"], r["n_articles"]) for r in self._rows(
            "SELECT a.type, a.n_articles FROM actors a WHERE a.key IN"
            " (SELECT actor_key FROM actor_aliases WHERE norm = %(norm)s)", {"norm": norm})]

    @staticmethod
    def _actor_conds(type: str | None, search: str | None) -> tuple[str, dict[str, Any]]:
        conds, params = [], {}
        if type:
            conds.append("lower(a.type) = lower(%(type)s)")
            params["type"] = type
        if search:
            conds.append("a.key IN (SELECT actor_key FROM actor_aliases WHERE alias ILIKE %(search)s ESCAPE '')")
            params["search"] = search
        return _where(conds), params

    def actors(self, *, type: str | None, search: str | None, limit: int, offset: int) -> list[ActorRow]:
        where, params = self._actor_conds(type, search)
        rows = self._rows(
            "SELECT a.key, a.name, a.type, a.n_articles, a.n_mentions, ARRAY(SELECT alias::text FROM actor_aliases l"
            " WHERE l.actor_key = a.key ORDER BY length(alias) DESC, alias) AS aliases"
            f" FROM actors a{where} ORDER BY a.n_articles DESC, a.n_mentions DESC, a.name"
            " LIMIT %(limit)s OFFSET %(offset)s", {**params, "limit": limit, "offset": offset})
        return [ActorRow(r["key"], r["name"], r["type"], tuple(r["aliases"]), r["n_articles"], r["n_mentions"])
                for r in rows]

    def count_actors(self, *, type: str | None, search: str | None) -> int:
        where, params = self._actor_conds(type, search)
        return int(self._one(f"SELECT COUNT(*) FROM actors a{where}", params))

    def actor_articles(self, key: str, limit: int) -> list[ActorArticle]:
        return self._mapped(ActorArticle, (
            "SELECT x.id, x.title, x.outlet, x.published, e.name AS name_here, e.n_mentions FROM article_entities e"
            " JOIN articles x ON x.id = e.article_id WHERE e.actor_key = %(key)s"
            " ORDER BY e.published DESC NULLS LAST LIMIT %(n)s"), {"key": key, "n": limit})

    def co_actors(self, key: str, articles: int, limit: int) -> list[CoActor]:
        return self._mapped(CoActor, (
            "SELECT o.key, o.name, o.type, COUNT(DISTINCT e.article_id) AS n_articles FROM article_entities e"
            " JOIN actors o ON o.key = e.actor_key"
            " WHERE e.article_id IN (SELECT article_id FROM article_entities WHERE actor_key = %(key)s"
            "                        ORDER BY published DESC NULLS LAST LIMIT %(articles)s) AND e.actor_key != %(key)s"
            " GROUP BY o.key ORDER BY n_articles DESC, o.n_articles DESC, o.name LIMIT %(n)s"),
            {"key": key, "articles": articles, "n": limit})

    def name_weeks(self, names: tuple[str, ...]) -> list[ActorWeek]:
        return self._mapped(ActorWeek, (
            "SELECT week AS week_start, SUM(articles) AS articles, SUM(mentions) AS mentions, SUM(quotes) AS quotes_by"
            " FROM name_weeks WHERE name = ANY(%(names)s::ctext[]) GROUP BY week ORDER BY week"), {"names": list(names)})

    def top_speakers(self, limit: int) -> list[SpeakerRow]:
        return self._mapped(SpeakerRow, (
            "SELECT a.key, a.name, a.type, SUM(s.n) AS n_quotes FROM speaker_counts s"
            " JOIN actor_aliases al ON al.alias = s.name JOIN actors a ON a.key = al.actor_key"
            " GROUP BY a.key ORDER BY n_quotes DESC, a.name LIMIT %(n)s"), {"n": limit})

    # -- stories

    def story_signature(self, article_id: str) -> tuple[int, bytes] | None:
        rows = self._rows("SELECT s.article_seq, s.sig FROM story_signatures s JOIN articles a"
                          " ON a.seq = s.article_seq WHERE a.id = %(id)s", {"id": article_id})
        return (rows[0]["article_seq"], bytes(rows[0]["sig"])) if rows else None

    def band_matches(self, keys: list[int]) -> set[int]:
        return set(self._column(
            "SELECT b.article_seq FROM unnest(%(bands)s::integer[], %(keys)s::bigint[]) AS k(band, key)"
            " JOIN story_bands b ON b.band = k.band AND b.key = k.key",
            {"bands": list(range(len(keys))), "keys": list(keys)}))

    def signatures(self, seqs: Iterable[int]) -> list[tuple[int, bytes]]:
        return [(r["article_seq"], bytes(r["sig"])) for r in self._rows(
            "SELECT article_seq, sig FROM story_signatures WHERE article_seq = ANY(%(seqs)s)", {"seqs": list(seqs)})]

    def article_heads(self, seqs: Iterable[int]) -> list[tuple[int, str, str | None, str | None, str | None]]:
        return [(r["seq"], r["id"], r["title"], r["outlet"], r["published"]) for r in self._rows(
            "SELECT seq, id, title, outlet, published FROM articles WHERE seq = ANY(%(seqs)s)", {"seqs": list(seqs)})]


def _count(sql: str) -> int:
    """How many parameters (``%s``) ``sql`` takes."""
    return sql.count("%s")
