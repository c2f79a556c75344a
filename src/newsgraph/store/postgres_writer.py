"""The writes of ``store.backend.Writer`` on PostgreSQL, inside the caller's transaction.

Rows are inserted by column name (``_insert``: the values' keys are the columns, each value a
named parameter). Inserts that may meet a row already there say what happens then
(``ON CONFLICT ... DO NOTHING`` / ``DO UPDATE``), as on SQLite. The attribution tally is kept by
a trigger (``pg_migrations/0001_initial.sql``); the other counters by the deltas the services
decide (``store.counters``). An article's search entry is built from its own row
(``index_article``: its ``search_config`` and text), so its language picks the stemming.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from newsgraph.store import postgres_fts as fts
from newsgraph.store.backend import ArticleRef, ArticleState, EntityLink, EventKey
from newsgraph.store.copy_pg import PGBulkWriter  # whole-store copies (store.copy)
from newsgraph.store.postgres_feeds import PGFeedWrites  # followed feeds (newsgraph watch)
from newsgraph.store.postgres_reader import PGReader
from newsgraph.store.sqlite import _removed_json, _span, _status, headings_json
from newsgraph.types import AnalysisStatus, Article, Attribution, Entity, Event, Failure


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], tail: str) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(f'%({c})s' for c in columns)})"
            + tail)


#: Writers claim the names they link (``lock_names``); off only to measure what it buys (bench/ingest_pg.py).
ACTOR_LOCKS = True
#: Name locks one transaction takes at most; a batch needing more takes ``_ALL_NAMES`` alone instead
#: (the server's lock table holds ``max_locks_per_transaction`` x ``max_connections``, 6,400 by default).
NAME_LOCKS_MAX = 1000
#: The lock every name lock is taken under (shared), and a bulk batch takes (exclusive).
_ALL_NAMES = -0x6E67_6E61_6D65  # "ngname"


def _lock_key(block: str) -> int:
    """A blocking key as a signed 64-bit advisory lock key."""
    return int.from_bytes(hashlib.blake2b(block.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "big", signed=True)


class PGWriter(PGReader, PGBulkWriter, PGFeedWrites):
    """The writes of ``store.backend.Writer`` over one connection, in its open transaction."""

    def __init__(self, conn: Any, configs: frozenset[str]) -> None:
        super().__init__(conn, configs)
        self._held: set[int] = set()  # advisory lock keys this transaction holds (lock_names)
        self._all_names = False  # holds _ALL_NAMES exclusively

    def _insert(self, table: str, values: dict[str, Any], tail: str = "") -> Any:
        """``INSERT INTO table`` of ``values`` by column name (``tail``: ``ON CONFLICT``, ``RETURNING``)."""
        return self.conn.execute(_insert_sql(table, tuple(values), tail), values)

    # -- articles

    def article_state(self, article_id: str) -> ArticleState | None:
        """``FOR UPDATE``: a writer adding this article's analysis holds it; another waits, then sees it."""
        found = self._mapped(ArticleState, "SELECT seq, published, analysis, n_chars FROM articles WHERE id = %(id)s"
                             " FOR UPDATE", {"id": article_id})
        return found[0] if found else None

    def lock_names(self, blocks: list[str]) -> None:
        """A transaction-scoped advisory lock per blocking key (a 64-bit hash of it), taken in the
        order given (sorted by the caller: no two writers wait on each other in a circle), under
        ``_ALL_NAMES`` shared; more than ``NAME_LOCKS_MAX`` (a bulk batch): ``_ALL_NAMES`` exclusive."""
        if not ACTOR_LOCKS or self._all_names:
            return
        keys = [k for k in dict.fromkeys(_lock_key(b) for b in blocks) if k not in self._held]
        if not keys:
            return
        if len(self._held) + len(keys) > NAME_LOCKS_MAX:
            # A bulk batch: every name at once (the server's lock table is shared and finite).
            self.conn.execute("SELECT pg_advisory_xact_lock(%(all)s)", {"all": _ALL_NAMES})
            self._all_names = True
            return
        self.conn.execute("SELECT pg_advisory_xact_lock_shared(%(all)s), pg_advisory_xact_lock(k)"
                          " FROM unnest(%(keys)s::bigint[]) AS k", {"all": _ALL_NAMES, "keys": keys})
        self._held.update(keys)

    def insert_article(self, article: Article, analysis: str | None, status: AnalysisStatus,
                       at: str) -> int | None:
        config = fts.search_config(article.language, self.configs)
        credits = json.dumps([{kind: name} for kind, name in article.credits], ensure_ascii=False)
        cur = self._insert("articles", {
            "id": article.id, "title": article.title, "outlet": article.outlet,
            "authors": json.dumps(list(article.authors), ensure_ascii=False), "published": article.published,
            "language": article.language, "text": article.text, "removed": _removed_json(article.removed),
            "n_chars": len(article.text), "added_at": at, "analysis": analysis, **_status(status),
            "published_source": article.published_source, "published_confidence": article.published_confidence,
            "modified": article.modified, "credits": credits, "search_config": config,
            "headings": headings_json(article), "page_kind": article.page_kind, "section": article.section},
            " ON CONFLICT (id) DO NOTHING RETURNING seq")  # another writer's same text: waits for it, then None
        row = cur.fetchone()
        if row is None:
            return None
        self.conn.execute("INSERT INTO search_configs (config) VALUES (%(config)s) ON CONFLICT DO NOTHING",
                          {"config": config})
        return int(row[0])

    def insert_source(self, article_id: str, source: str, url: str | None, at: str) -> bool:
        cur = self._insert("sources", {"article_id": article_id, "source": source, "url": url, "added_at": at},
                           " ON CONFLICT (source, article_id) DO NOTHING RETURNING seq")
        return cur.fetchone() is not None

    def index_article(self, seq: int, title: str | None, text: str) -> None:
        # The row holds the title and text already; its search_config picks the stemming.
        self.conn.execute(
            "UPDATE articles SET tsv = setweight(to_tsvector(search_config, COALESCE(title, '')), 'A')"
            " || setweight(to_tsvector(search_config, left(text, %(chars)s)), 'B') WHERE seq = %(seq)s",
            {"seq": seq, "chars": fts.MAX_INDEXED_CHARS})

    def set_analysis(self, seq: int, analysis: str, status: AnalysisStatus) -> None:
        cols = _status(status)
        self.conn.execute(f"UPDATE articles SET analysis = %(analysis)s, {', '.join(f'{c} = %({c})s' for c in cols)}"
                          " WHERE seq = %(seq)s", {"analysis": analysis, **cols, "seq": seq})

    def insert_signature(self, seq: int, packed: bytes, band_keys: list[int]) -> None:
        self._insert("story_signatures", {"article_seq": seq, "sig": packed})
        self.conn.execute("INSERT INTO story_bands (band, key, article_seq)"
                          " SELECT k.band, k.key, %(seq)s FROM unnest(%(bands)s::integer[], %(keys)s::bigint[])"
                          " AS k(band, key) ON CONFLICT DO NOTHING",
                          {"seq": seq, "bands": list(range(len(band_keys))), "keys": list(band_keys)})

    # -- analysis rows

    def insert_attribution(self, ref: ArticleRef, idx: int, a: Attribution) -> None:
        values = {
            "idx": idx, "published": ref.published, "article_seq": ref.seq, "article_id": ref.id, "kind": a.kind,
            "content_start": a.content.start, "content_end": a.content.end, "content_text": a.content.text,
            "content_spans": json.dumps([list(x) for x in a.content_spans]),
            **_span("cue", a.cue, entity=False), **_span("source", a.source, entity=True),
            **_span("via", a.via, entity=True), "confidence": a.confidence, "statement": int(bool(a.statement)),
            "negated": int(bool(a.negated)), "frame": a.frame, "category": a.category}
        columns = tuple(values)
        self.conn.execute(
            f"INSERT INTO attributions ({', '.join(columns)}, content_tsv) VALUES"
            f" ({', '.join(f'%({c})s' for c in columns)}, to_tsvector('simple', %(indexed)s))",
            {**values, "indexed": a.content.text})  # its own parameter: $n has one type (ctext above, text here)

    def delete_attributions(self, ref: ArticleRef) -> list[str | None]:
        return self._column("DELETE FROM attributions WHERE article_id = %(id)s RETURNING source_entity",
                            {"id": ref.id})

    def insert_entity(self, ref: ArticleRef, entity: Entity, actor_key: str) -> None:
        self._insert("article_entities", {
            "article_id": ref.id, "entity_id": entity.id, "name": entity.name, "type": entity.type,
            "mentions": json.dumps([[m.start, m.end] for m in entity.mentions]), "n_mentions": len(entity.mentions),
            "actor_key": actor_key, "published": ref.published})

    def delete_entities(self, ref: ArticleRef) -> list[EntityLink]:
        return self._mapped(EntityLink, "DELETE FROM article_entities WHERE article_id = %(id)s"
                            " RETURNING name, n_mentions, actor_key", {"id": ref.id})

    def insert_event(self, ref: ArticleRef, idx: int, ev: Event, week: str | None) -> None:
        self._insert("events", {
            "idx": idx, "sort_date": ev.date or ref.published, "article_seq": ref.seq, "week": week,
            "article_id": ref.id, "type": ev.type, "trigger_start": ev.trigger.start, "trigger_end": ev.trigger.end,
            "trigger_text": ev.trigger.text, **_span("actor", ev.actor, entity=True),
            **_span("target", ev.target, entity=True), "negated": int(ev.negated), "modality": ev.modality,
            "date": ev.date, **_span("location", ev.location, entity=True), "attribution": ev.attribution,
            "timing": ev.timing, "date_from": ev.date_from, **_span("object", ev.object, entity=False),
            "same_as": ev.same_as})

    def delete_events(self, ref: ArticleRef) -> list[EventKey]:
        rows = self._rows("DELETE FROM events WHERE article_id = %(id)s RETURNING actor_entity AS actor,"
                          " target_entity AS target, week, type, negated, modality", {"id": ref.id})
        return [EventKey(r["actor"], r["target"], r["week"], r["type"], bool(r["negated"]), r["modality"])
                for r in rows]

    # -- counters

    def add_speaker(self, name: str, n: int) -> None:
        if n >= 0:
            self.conn.execute("INSERT INTO speaker_counts (name, n) VALUES (%(name)s, %(n)s)"
                              " ON CONFLICT (name) DO UPDATE SET n = speaker_counts.n + excluded.n",
                              {"name": name, "n": n})
            return
        self.conn.execute("UPDATE speaker_counts SET n = n + %(n)s WHERE name = %(name)s", {"name": name, "n": n})
        self.conn.execute("DELETE FROM speaker_counts WHERE name = %(name)s AND n <= 0", {"name": name})

    def add_name_week(self, name: str, week: str, articles: int, mentions: int, quotes: int) -> None:
        self._insert("name_weeks", {"name": name, "week": week, "articles": articles, "mentions": mentions,
                                    "quotes": quotes},
                     " ON CONFLICT (name, week) DO UPDATE SET articles = name_weeks.articles + excluded.articles,"
                     " mentions = name_weeks.mentions + excluded.mentions, quotes = name_weeks.quotes + excluded.quotes")
        if min(articles, mentions, quotes) < 0:  # taken back out: a week left at nothing is no week
            self.conn.execute("DELETE FROM name_weeks WHERE name = %(name)s AND week = %(week)s AND articles <= 0"
                              " AND mentions <= 0 AND quotes <= 0", {"name": name, "week": week})

    def add_dyad_week(self, key: EventKey, n: int, negated: int, planned: int, conditional: int,
                      reported: int) -> None:
        values = {"actor_entity": key.actor, "target_entity": key.target, "week": key.week, "type": key.type, "n": n,
                  "negated": negated, "planned": planned, "conditional": conditional, "reported": reported}
        if n > 0:
            self._insert("dyad_weeks", values,
                         " ON CONFLICT (actor_entity, target_entity, COALESCE(week, ''), type) DO UPDATE SET"
                         " n = dyad_weeks.n + excluded.n, negated = dyad_weeks.negated + excluded.negated,"
                         " planned = dyad_weeks.planned + excluded.planned,"
                         " conditional = dyad_weeks.conditional + excluded.conditional,"
                         " reported = dyad_weeks.reported + excluded.reported")
            return
        same = ("actor_entity = %(actor_entity)s AND target_entity = %(target_entity)s"
                " AND COALESCE(week, '') = COALESCE(%(week)s, '') AND type = %(type)s")
        self.conn.execute("UPDATE dyad_weeks SET n = n + %(n)s, negated = negated + %(negated)s,"
                          " planned = planned + %(planned)s, conditional = conditional + %(conditional)s,"
                          f" reported = reported + %(reported)s WHERE {same}", values)
        self.conn.execute(f"DELETE FROM dyad_weeks WHERE {same} AND n <= 0", values)

    def add_actor_counts(self, key: str, articles: int, mentions: int) -> None:
        self.conn.execute("UPDATE actors SET n_articles = n_articles + %(a)s, n_mentions = n_mentions + %(m)s"
                          " WHERE key = %(key)s", {"a": articles, "m": mentions, "key": key})

    def recount_actor(self, key: str) -> None:
        self.conn.execute(
            "UPDATE actors SET n_articles = (SELECT COUNT(DISTINCT article_id) FROM article_entities"
            " WHERE actor_key = %(key)s), n_mentions = (SELECT COALESCE(SUM(n_mentions), 0) FROM article_entities"
            " WHERE actor_key = %(key)s) WHERE key = %(key)s", {"key": key})

    # -- the actor registry

    def insert_actor(self, key: str, name: str, type: str, at: str) -> None:
        self._insert("actors", {"key": key, "name": name, "type": type, "created_at": at})

    def rename_actor(self, key: str, name: str) -> None:
        self.conn.execute("UPDATE actors SET name = %(name)s WHERE key = %(key)s", {"name": name, "key": key})

    def delete_actor(self, key: str) -> None:
        self.conn.execute("DELETE FROM actors WHERE key = %(key)s", {"key": key})

    def add_alias(self, key: str, alias: str, norm: str, blocks: Iterable[str]) -> bool | None:
        """One statement (a round trip matters: this runs for every name of every entity stored)."""
        return bool(self._one(
            "WITH a AS (INSERT INTO actor_aliases (actor_key, alias, norm) VALUES (%(key)s, %(alias)s, %(norm)s)"
            " ON CONFLICT (actor_key, alias) DO NOTHING RETURNING 1),"
            " k AS (INSERT INTO actor_keys (actor_key, block) SELECT %(key)s, b FROM unnest(%(blocks)s::text[]) AS b"
            " ON CONFLICT (actor_key, block) DO NOTHING RETURNING 1)"
            " SELECT (SELECT COUNT(*) FROM a) + (SELECT COUNT(*) FROM k) > 0",
            {"key": key, "alias": alias, "norm": norm, "blocks": list(blocks)}))

    def delete_alias(self, key: str, alias: str) -> None:
        self.conn.execute("DELETE FROM actor_aliases WHERE actor_key = %(key)s AND alias = %(alias)s",
                          {"key": key, "alias": alias})

    def delete_blocks(self, key: str) -> None:
        self.conn.execute("DELETE FROM actor_keys WHERE actor_key = %(key)s", {"key": key})

    def copy_names(self, from_key: str, to_key: str) -> None:
        params = {"to": to_key, "from": from_key}
        self.conn.execute("INSERT INTO actor_aliases (actor_key, alias, norm) SELECT %(to)s, alias, norm"
                          " FROM actor_aliases WHERE actor_key = %(from)s ON CONFLICT DO NOTHING", params)
        self.conn.execute("INSERT INTO actor_keys (actor_key, block) SELECT %(to)s, block FROM actor_keys"
                          " WHERE actor_key = %(from)s ON CONFLICT DO NOTHING", params)

    def relink_entities(self, from_key: str, to_key: str, *, name: str | None = None) -> None:
        self.conn.execute("UPDATE article_entities SET actor_key = %(to)s WHERE actor_key = %(from)s"
                          + (" AND name = %(name)s" if name is not None else ""),
                          {"to": to_key, "from": from_key, "name": name})

    def retarget_redirects(self, old_target: str, new_target: str) -> None:
        self.conn.execute("UPDATE actor_redirects SET new_key = %(new)s WHERE new_key = %(old)s",
                          {"new": new_target, "old": old_target})

    def set_redirect(self, old_key: str, new_key: str, at: str) -> None:
        self._insert("actor_redirects", {"old_key": old_key, "new_key": new_key, "at": at},
                     " ON CONFLICT (old_key) DO UPDATE SET new_key = excluded.new_key, at = excluded.at")

    def delete_redirect(self, old_key: str, new_key: str) -> None:
        self.conn.execute("DELETE FROM actor_redirects WHERE old_key = %(old)s AND new_key = %(new)s",
                          {"old": old_key, "new": new_key})

    def drop_loops(self) -> None:
        self.conn.execute("DELETE FROM actor_redirects WHERE old_key = new_key")

    def redirected_to(self, key: str) -> bool:
        return self._one("SELECT 1 FROM actor_redirects WHERE new_key = %(key)s LIMIT 1", {"key": key}) is not None

    def named_in_corrections(self, key: str) -> bool:
        pattern = '%"' + key.replace("%", "").replace("_", "") + '"%'
        return self._one("SELECT 1 FROM corrections WHERE op ILIKE %(p)s ESCAPE '' LIMIT 1", {"p": pattern}) is not None

    def record_correction(self, op: dict[str, str], at: str) -> None:
        self._insert("corrections", {"op": json.dumps(op, sort_keys=True), "at": at})

    # -- runs and the ingest log

    def insert_run(self, at: str, argv: list[str], host: str, pid: int, pid_start: str | None) -> int:
        cur = self._insert("ingest_runs", {
            "started_at": at, "argv": json.dumps(argv, ensure_ascii=False), "status": "running", "host": host,
            "pid": pid, "pid_start": pid_start}, " RETURNING id")
        return int(cur.fetchone()[0])

    def finish_run(self, run_id: int, at: str, counts: dict[str, int], status: str) -> bool:
        cur = self.conn.execute("UPDATE ingest_runs SET finished_at = %(at)s, counts = %(counts)s, status = %(status)s"
                                " WHERE id = %(id)s RETURNING id", {"at": at, "status": status, "id": run_id,
                                                       "counts": json.dumps(counts, ensure_ascii=False, sort_keys=True)})
        return cur.fetchone() is not None

    def running_runs(self) -> list[tuple[int, str | None, int | None, str | None]]:
        return [(r["id"], r["host"], r["pid"], r["pid_start"]) for r in self._rows(
            "SELECT id, host, pid, pid_start FROM ingest_runs WHERE status = 'running'")]

    def set_run_status(self, run_id: int, status: str) -> None:
        self.conn.execute("UPDATE ingest_runs SET status = %(status)s WHERE id = %(id)s", {"status": status, "id": run_id})

    def run_exists(self, run_id: int) -> bool:
        return self._one("SELECT 1 FROM ingest_runs WHERE id = %(id)s", {"id": run_id}) is not None

    def insert_failure(self, run_id: int, failure: Failure, at: str) -> None:
        self._insert("ingest_errors", {
            "run_id": run_id, "source": failure.source, "code": failure.code, "message": failure.message, "at": at,
            "kind": failure.kind, "title": failure.title, "url": failure.url, "published": failure.published})
