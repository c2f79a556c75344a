"""The seam between the store's services and a database: what a backend implements.

``BaseStore`` (``store/base.py``) implements the ``Store`` protocol once, for every backend:
it owns the domain logic (actor linking with the registry and corrections replay,
``store/actors.py``; the running counters, ``store/counters.py``; story matching,
``store/stories.py``; ingest runs; the checking of filter values, ``store/values.py``).
It reaches the database only through the three protocols below, which speak in rows and
named operations, never in SQL:

* ``Backend``: connection(s), schema migrations, and one context manager per unit of work:
  ``read(what)`` gives a ``Reader``, ``write(what)`` a ``Writer`` inside **one transaction**
  (committed when the block ends, rolled back on any exception). ``what`` begins the message
  of the ``StoreError`` any driver error becomes (``"cannot list articles: ..."``).
* ``Reader``: every read, from the whole pages views show (``list_articles``, ``search``,
  ``quotes``, ``events`` ... newest first, paginated, filtered as ``store.Store`` documents) to
  the small named lookups the services need (``actor``, ``keys_by_norm``, ``candidate_actors``,
  ``story_signature`` ...).
* ``Writer`` (a ``Reader`` too): inserts and deletes of rows, and adding the deltas the
  counters decide (``add_speaker`` ...).

Filter values arrive checked and normalised (``store.values``: ``DayRange``, quote kinds,
least confidence); a backend only turns them into its own query language, maps its
columns to the rows of ``store.rows`` by name, and wraps its driver's errors into
``StoreError`` with the stable codes (``store.locked``, ``store.integrity``, ``store.bad_query``,
``store.too_expensive`` ...). Full-text search is the backend's own (SQLite: FTS5 with BM25;
its query syntax, caps and time box are documented in ``store.sqlite_fts``).

The SQLite backend is ``store/sqlite.py``; a PostgreSQL backend implements the same three
protocols (its SQL, its migrations, ``tsvector`` search) and gets every service for free.
The contract suite (``tests/store_contract/``) runs the same tests against each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, NamedTuple, Protocol

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
    QuoteCounts,
    QuoteRow,
    SearchHit,
    SpeakerRow,
    StoredArticle,
)
from newsgraph.store.values import DayRange
from newsgraph.types import AnalysisStatus, Article, Attribution, Entity, Event, Failure


class ArticleRef(NamedTuple):
    """A stored article as its analysis rows refer to it: id, ``seq`` (its insertion order, the
    key of every per-article row and the newest-first tie-break) and date (copied onto rows as
    their sort key)."""

    id: str
    seq: int
    published: str | None


class ArticleState(NamedTuple):
    """What ``add_article`` / ``replace_analysis`` need to know of an article already stored."""

    seq: int
    published: str | None
    analysis: str | None  # the analysis version that filled its rows; None: not analysed
    n_chars: int


class ActorRecord(NamedTuple):
    key: str
    name: str
    type: str
    n_articles: int
    n_mentions: int


class ActorNames(NamedTuple):
    """A candidate of the registry's matcher: an actor and all its names."""

    key: str
    name: str
    type: str
    aliases: frozenset[str]


class EntityLink(NamedTuple):
    """An article's entity as deleted: what the counters take back."""

    name: str
    n_mentions: int
    actor_key: str | None


class EventKey(NamedTuple):
    """An event as the dyad counters see it (``dyad_weeks``' key and flags)."""

    actor: str | None  # the actor's entity (canonical name); None: text only
    target: str | None
    week: str | None
    type: str
    negated: bool
    modality: str


class RunRecord(NamedTuple):
    id: int
    started_at: str
    finished_at: str | None
    status: str
    argv: tuple[str, ...]
    counts: dict[str, int]
    host: str | None
    pid: int | None
    pid_start: str | None
    n_failures: int


class FeedRecord(NamedTuple):
    """A followed feed and its poll state (``feeds`` table; ``store.feeds`` reads it as health)."""

    url: str
    title: str | None
    added_at: str
    etag: str | None = None  # validators of its last 200 response, sent back on the next poll
    last_modified: str | None = None
    next_poll_at: str | None = None  # None: due now
    last_poll_at: str | None = None
    last_success_at: str | None = None
    last_error_at: str | None = None
    last_error_code: str | None = None
    last_error: str | None = None
    errors_in_a_row: int = 0
    items_seen: int = 0
    items_ingested: int = 0


class FeedItemRecord(NamedTuple):
    """What the watcher knows of one entry of a feed (``feed_items``)."""

    link: str
    fingerprint: str  # of the entry as the feed gave it: another one means the entry was edited
    outcome: str  # of its last reading: an ingest outcome ('new' ...), 'stored', or a failure code
    attempts: int
    dated_at: str | None  # the entry's own date (UTC ISO 8601)
    seen_at: str  # the last poll that found it in the feed
    ingested_at: str | None  # when its article was stored


class AlertRecord(NamedTuple):
    """A saved search (``alerts``): its filters as JSON text, and how far through the articles
    (their ``seq``) it has looked for hits."""

    name: str
    filters: str
    created_at: str
    last_seq: int = 0
    webhook: str | None = None  # each hit is POSTed here (``newsgraph.alert_delivery``)
    secret: str | None = None  # the key of its HMAC-SHA256 signature


class AlertHitRecord(NamedTuple):
    """One thing an alert matched, once: ``kind`` article / attribution / event, ``ref`` its key
    (``ARTICLE_ID``, ``ARTICLE_ID#aN``, ``ARTICLE_ID#eN``)."""

    seq: int
    alert: str
    kind: str
    ref: str
    article_id: str
    created_at: str
    delivery: str | None = None  # its webhook POST: None (no webhook), pending, delivered, failed
    attempts: int = 0
    next_try_at: str | None = None
    last_error: str | None = None


class Reader(Protocol):
    """Reads, inside one read of the backend (``Backend.read``)."""

    # -- articles
    def has_source(self, source: str, *, analysed: bool) -> bool: ...
    def count_articles(self) -> int: ...
    def articles_by_prefix(self, prefix: str, *, limit: int) -> list[str]:
        """Ids starting with ``prefix`` (lower-case hex), in id order, at most ``limit``."""
        ...
    def stored_article(self, article_id: str) -> StoredArticle:
        """The article, all its sources (oldest first), attributions, entities and events."""
        ...
    def article_batch(self, after_seq: int, limit: int) -> list[tuple[int, StoredArticle]]:
        """``(seq, article)`` of the next ``limit`` articles after ``after_seq``, oldest first, whole."""
        ...
    def list_articles(self, *, limit: int, offset: int, outlet: str | None, language: str | None,
                      days: DayRange) -> list[ArticleRow]:
        """Newest published first, then newest stored; ``days`` bound ``published``."""
        ...
    def count_listed_articles(self, *, outlet: str | None, language: str | None, days: DayRange) -> int:
        """How many articles ``list_articles`` with these filters gives over all its pages."""
        ...
    def articles_to_analyse(self, *, after_seq: int, limit: int, current: str | None) -> list[tuple[int, Article]]: ...
    def count_to_analyse(self, *, current: str | None) -> int: ...
    def analysis_counts(self) -> AnalysisCounts: ...

    # -- search (the backend's full-text engine)
    def search(self, query: str, *, seqs: Any, limit: int, offset: int, sparse: bool = False) -> list[SearchHit]:
        """One page of the articles ``seqs`` (a numpy int64 array of articles ``query`` matches),
        best match first. ``sparse``: ``seqs`` may be a few of the matches between their lowest and
        highest (a filtered search's), not all of them."""
        ...
    def search_seqs(self, query: str, *, limit: int | None = None, outlet: str | None = None,
                    language: str | None = None, month: str | None = None) -> Any:
        """The ``seq`` of the newest ``limit`` (None: all) articles ``query`` matches that have this outlet,
        language and month (None: any; ``NO_VALUE``/``UNDATED``: without one), newest first (numpy int64)."""
        ...
    def facet_rows(self, after_seq: int) -> Iterable[tuple[int, str | None, str | None, str | None]]:
        """``(seq, outlet, language, published)`` of the articles after ``after_seq``, in seq order."""
        ...
    def seq_horizon(self) -> tuple[int, int, int] | None:
        """Where writers may commit articles out of ``seq`` order: ``(xmin, xmax, last_seq)`` of now
        (the oldest running writer, the next writer to start, the last ``seq`` handed out:
        ``store.facets.NewArticles``); None where articles become visible in ``seq`` order."""
        ...

    # -- quotes and events (newest first: the date, then the article's seq, then position)
    def quotes(self, *, speaker: str | None, about: str | None, outlet: str | None, days: DayRange,
               kinds: tuple[str, ...] | None, least: float | None, limit: int, offset: int) -> list[QuoteRow]: ...
    def quote_counts(self, *, speaker: str | None, about: str | None, outlet: str | None, days: DayRange,
                     kinds: tuple[str, ...] | None, least: float | None) -> QuoteCounts: ...
    def quotes_by(self, names: tuple[str, ...], limit: int) -> list[QuoteRow]:
        """Attributions whose resolved source is one of ``names``, newest first."""
        ...
    def quotes_mentioning(self, names: tuple[str, ...], limit: int) -> list[QuoteRow]:
        """Attributions whose content mentions one of ``names`` (as phrases), newest first, chosen
        among the most recently stored matches (a bounded read whatever the actor's coverage)."""
        ...
    def events(self, *, actor: str | None, target: str | None, type: str | None, days: DayRange,
               limit: int, offset: int) -> list[EventRow]:
        """Events that do not repeat an earlier one of their article (``same_as``)."""
        ...
    def count_events(self, *, actor: str | None, target: str | None, type: str | None, days: DayRange) -> int:
        """How many events ``events`` with these filters gives over all its pages."""
        ...
    def events_of(self, role: str, names: tuple[str, ...], limit: int) -> list[EventRow]:
        """Events whose ``role`` (actor or target) entity is one of ``names``, newest first."""
        ...
    def dyad_events(self, src: tuple[str, ...], dst: tuple[str, ...], limit: int | None) -> list[EventRow]: ...
    def dyad_tallies(self, src: tuple[str, ...], dst: tuple[str, ...]) -> list[EventTally]: ...

    # -- runs and the ingest log
    def runs(self, limit: int) -> list[RunRecord]: ...
    def failures(self, *, limit: int, run_id: int | None) -> list[FailureRow]: ...

    # -- the actor registry
    def corrections(self) -> list[dict[str, str]]:
        """Every correction (merge, split, unlink ...) in the order it was made."""
        ...
    def actor(self, key: str) -> ActorRecord | None: ...
    def aliases(self, key: str) -> tuple[str, ...]:
        """The actor's names, longest first, then in code-point order."""
        ...
    def alias_of(self, key: str, alias: str) -> str | None:
        """The actor's alias equal to ``alias`` with ASCII case ignored, as stored."""
        ...
    def key_taken(self, key: str) -> bool:
        """An actor has ``key``, or a merge redirects it."""
        ...
    def redirect_of(self, key: str) -> str | None: ...
    def keys_by_alias(self, alias: str) -> list[str]:
        """Actors with the alias ``alias`` (ASCII case ignored)."""
        ...
    def keys_by_norm(self, norm: str) -> list[str]:
        """Actors with an alias of comparison form ``norm`` (``registry.normalise_name``)."""
        ...
    def keys_by_blocks(self, blocks: list[str]) -> list[str]:
        """Existing actors with one of the registry's blocking keys ``blocks``."""
        ...
    def actor_names(self, keys: list[str], limit: int) -> list[tuple[str, str]]:
        """``(key, name)`` of ``keys``, most articles first, then by name."""
        ...
    def alias_norms(self) -> Iterable[tuple[str, str]]:
        """``(actor key, comparison form)`` of every alias."""
        ...
    def candidate_actors(self, blocks: list[str]) -> list[ActorNames]: ...
    def actor_context(self, key: str, articles: int) -> list[str]:
        """Names of the other entities of the actor's newest ``articles`` articles."""
        ...
    def types_by_norm(self, norm: str) -> list[tuple[str, int]]:
        """``(type, n_articles)`` of the actors with an alias of comparison form ``norm``."""
        ...
    def actors(self, *, type: str | None, search: str | None, limit: int, offset: int) -> list[ActorRow]:
        """Most articles first, then most mentions, then by name; ``search``: a LIKE pattern over aliases."""
        ...
    def count_actors(self, *, type: str | None, search: str | None) -> int:
        """How many actors ``actors`` with these filters gives over all its pages."""
        ...
    def actor_articles(self, key: str, limit: int) -> list[ActorArticle]: ...
    def co_actors(self, key: str, articles: int, limit: int) -> list[CoActor]: ...
    def name_weeks(self, names: tuple[str, ...]) -> list[ActorWeek]:
        """Per ISO week, the articles, mentions and quotes counted for ``names``, summed; oldest first."""
        ...
    def top_speakers(self, limit: int) -> list[SpeakerRow]: ...

    # -- stories
    def story_signature(self, article_id: str) -> tuple[int, bytes] | None:
        """``(seq, packed signature)`` of an article (None: unknown, or too short to sign)."""
        ...
    def band_matches(self, keys: list[int]) -> set[int]:
        """The seq of every article sharing band ``b``'s key ``keys[b]`` for some ``b``."""
        ...
    def signatures(self, seqs: Iterable[int]) -> list[tuple[int, bytes]]: ...
    def article_heads(self, seqs: Iterable[int]) -> list[tuple[int, str, str | None, str | None, str | None]]:
        """``(seq, id, title, outlet, published)`` of articles."""
        ...

    # -- followed feeds (``store.feeds``; the backends share their SQL: ``store.feeds_sql``)
    def feeds(self) -> list[FeedRecord]:
        """Every followed feed, by URL."""
        ...
    def feed(self, url: str) -> FeedRecord | None: ...
    def due_feeds(self, at: str, limit: int) -> list[FeedRecord]:
        """Feeds due at ``at`` (``next_poll_at`` unset or not after it), the longest due first."""
        ...
    def next_poll_at(self) -> str | None:
        """The earliest ``next_poll_at`` of all feeds ('' when one is due now; None: no feed)."""
        ...
    def feed_items(self, url: str, links: list[str]) -> dict[str, FeedItemRecord]:
        """What is known of these entries of the feed, by link."""
        ...
    def feed_ingests(self, url: str, since: str, limit: int) -> list[tuple[str, str | None]]:
        """``(ingested_at, dated_at)`` of the feed's articles stored since ``since``, newest first."""
        ...

    # -- alerts (``store.alerts``; SQL in ``store.alerts_sql``)
    def alerts(self) -> list[AlertRecord]:
        """Every alert, by name."""
        ...
    def alert(self, name: str) -> AlertRecord | None: ...
    def alert_hits(self, name: str, limit: int) -> list[AlertHitRecord]:
        """The alert's hits, newest first."""
        ...
    def last_article_seq(self) -> int:
        """The largest article ``seq`` (0: no article)."""
        ...
    def due_deliveries(self, at: str, limit: int) -> list[AlertHitRecord]:
        """Hits whose webhook POST is pending and due at ``at``, the longest due first."""
        ...


class Writer(Reader, Protocol):
    """Writes (and reads) inside one transaction (``Backend.write``)."""

    # -- articles
    def article_state(self, article_id: str) -> ArticleState | None:
        """The stored article's state (held until the transaction ends where writers run side by side)."""
        ...
    def insert_article(self, article: Article, analysis: str | None, status: AnalysisStatus,
                       at: str) -> int | None:
        """The article row (no source, no search row); returns its ``seq``, or None when another
        writer committed the same id since ``article_state`` looked (concurrent writers only)."""
        ...
    def lock_names(self, blocks: list[str]) -> None:
        """Hold the registry blocking keys ``blocks`` (sorted) until the transaction ends, so no other
        writer links a name sharing one meanwhile (a no-op where one writer runs at a time)."""
        ...
    def insert_source(self, article_id: str, source: str, url: str | None, at: str) -> bool:
        """The article's ``source``; False when it was known already."""
        ...
    def index_article(self, seq: int, title: str | None, text: str) -> None:
        """The article's full-text search entry."""
        ...
    def set_analysis(self, seq: int, analysis: str, status: AnalysisStatus) -> None: ...
    def insert_signature(self, seq: int, packed: bytes, band_keys: list[int]) -> None: ...

    # -- analysis rows
    def insert_attribution(self, ref: ArticleRef, idx: int, attribution: Attribution) -> None:
        """The attribution with its full-text entry (``quotes(about=...)``)."""
        ...
    def delete_attributions(self, ref: ArticleRef) -> list[str | None]:
        """Delete the article's attributions and their full-text entries; their source entities."""
        ...
    def insert_entity(self, ref: ArticleRef, entity: Entity, actor_key: str) -> None: ...
    def delete_entities(self, ref: ArticleRef) -> list[EntityLink]: ...
    def insert_event(self, ref: ArticleRef, idx: int, event: Event, week: str | None) -> None: ...
    def delete_events(self, ref: ArticleRef) -> list[EventKey]: ...

    # -- counters (deltas decided by ``store.counters``)
    def add_speaker(self, name: str, n: int) -> None:
        """Add ``n`` (may be negative) to the name's quote count; a count down to 0 disappears."""
        ...
    def add_name_week(self, name: str, week: str, articles: int, mentions: int, quotes: int) -> None: ...
    def add_dyad_week(self, key: EventKey, n: int, negated: int, planned: int, conditional: int,
                      reported: int) -> None:
        """Add to the (actor, target, week, type) row; a row down to 0 events disappears."""
        ...
    def add_actor_counts(self, key: str, articles: int, mentions: int) -> None: ...
    def recount_actor(self, key: str) -> None:
        """Set the actor's article and mention counts from its entity links."""
        ...

    # -- the actor registry
    def insert_actor(self, key: str, name: str, type: str, at: str) -> None: ...
    def rename_actor(self, key: str, name: str) -> None: ...
    def delete_actor(self, key: str) -> None: ...
    def add_alias(self, key: str, alias: str, norm: str, blocks: Iterable[str]) -> bool | None:
        """The alias (with its comparison form) and its blocking keys; known ones are kept as they are.
        True when a row was added (False: nothing changed; None: cannot tell, taken as True)."""
        ...
    def delete_alias(self, key: str, alias: str) -> None: ...
    def delete_blocks(self, key: str) -> None: ...
    def copy_names(self, from_key: str, to_key: str) -> None:
        """Every alias and blocking key of ``from_key`` also for ``to_key``."""
        ...
    def relink_entities(self, from_key: str, to_key: str, *, name: str | None = None) -> None:
        """Entities linked to ``from_key`` (only those called ``name``, if given) now link to ``to_key``."""
        ...
    def retarget_redirects(self, old_target: str, new_target: str) -> None: ...
    def set_redirect(self, old_key: str, new_key: str, at: str) -> None: ...
    def delete_redirect(self, old_key: str, new_key: str) -> None:
        """The redirect from ``old_key`` to ``new_key``, if there is one."""
        ...
    def drop_loops(self) -> None:
        """Delete redirects of a key to itself."""
        ...
    def redirected_to(self, key: str) -> bool: ...
    def named_in_corrections(self, key: str) -> bool: ...
    def record_correction(self, op: dict[str, str], at: str) -> None: ...

    # -- runs and the ingest log
    def insert_run(self, at: str, argv: list[str], host: str, pid: int, pid_start: str | None) -> int: ...
    def finish_run(self, run_id: int, at: str, counts: dict[str, int], status: str) -> bool:
        """False when there is no such run."""
        ...
    def running_runs(self) -> list[tuple[int, str | None, int | None, str | None]]:
        """``(id, host, pid, pid_start)`` of the runs still 'running'."""
        ...
    def set_run_status(self, run_id: int, status: str) -> None: ...
    def run_exists(self, run_id: int) -> bool: ...
    def insert_failure(self, run_id: int, failure: Failure, at: str) -> None: ...

    # -- followed feeds
    def add_feed(self, url: str, title: str | None, at: str) -> bool:
        """False when the feed was followed already (it is kept as it is)."""
        ...
    def remove_feed(self, url: str) -> bool:
        """The feed and what is known of its entries; False when it was not followed."""
        ...
    def set_feed_state(self, feed: FeedRecord) -> None:
        """Every column of the feed's row but ``url`` and ``added_at`` from ``feed``."""
        ...
    def put_feed_item(self, url: str, item: FeedItemRecord) -> None:
        """Insert or replace what is known of the entry ``item.link`` of the feed."""
        ...
    def prune_feed_items(self, url: str, seen_before: str) -> int:
        """Forget the feed's entries last seen before ``seen_before``; how many."""
        ...

    # -- alerts
    def add_alert(self, alert: AlertRecord) -> bool:
        """False when an alert has that name already (it is kept as it is)."""
        ...
    def remove_alert(self, name: str) -> bool:
        """The alert and its hits; False when there is no such alert."""
        ...
    def add_alert_hits(self, name: str, hits: list[tuple[str, str, str]], at: str, last_seq: int,
                       delivery: str | None) -> int:
        """``(kind, ref, article_id)`` hits of the alert, each once (one known already is skipped), with
        ``delivery`` (``pending``: due at ``at``); the alert has looked up to ``last_seq``; how many were new."""
        ...
    def set_delivery(self, seq: int, delivery: str, attempts: int, next_try_at: str | None,
                     last_error: str | None) -> None: ...


class BulkReader(Protocol):
    """A ``Reader`` that can give its tables' rows as they are, for a whole-store copy (``store.copy``).

    Table and column names are those of ``store.copy.TABLES`` (the SQLite schema's, which the
    other backends mirror); values are plain Python values (str, int, float, bytes, None).
    """

    def copy_rows(self, table: str, columns: Sequence[str], articles: tuple[int, int] | None
                  ) -> Iterable[tuple[Any, ...]]:
        """``columns`` of ``table``'s rows in its key order: with ``articles=(lo, hi)``, only the rows
        of the articles whose ``seq`` is in ``(lo, hi]`` (a per-article table); else every row."""
        ...
    def count_rows(self, table: str) -> int: ...
    def last_article(self) -> tuple[int, str] | None:
        """``(seq, id)`` of the article with the largest ``seq``; None: no article."""
        ...


class BulkWriter(Protocol):
    """A ``Writer`` that can take rows as they are (the hook a backend implements for ``store.copy``).

    ``load_rows`` inserts rows keeping every id and key; a row whose key is there already is
    skipped (a batch loaded twice adds nothing). It also makes what the backend derives from
    them: search entries (SQLite: the FTS5 rows; PostgreSQL: ``tsv`` / ``content_tsv``) and
    trigger-kept tallies. Plain ``INSERT ... ON CONFLICT DO NOTHING`` with ``executemany`` is the
    fallback (``store.sqlite_bulk``); a server backend may use its bulk path (PostgreSQL:
    ``COPY`` into a temporary table, then ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``).
    ``end_load`` runs once at the end: identity sequences moved past the loaded ids, statistics.
    """

    def load_rows(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None: ...
    def end_load(self) -> None: ...


class Backend(Protocol):
    """One database: its connections, schema and units of work."""

    @property
    def schema_version(self) -> int: ...
    def read(self, what: str) -> AbstractContextManager[Reader]: ...
    def write(self, what: str) -> AbstractContextManager[Writer]: ...
    def files(self) -> tuple[str, ...]:
        """Local files that hold the store (no output may overwrite them); empty for a server."""
        ...
    def close(self) -> None: ...


__all__ = ["ActorNames", "ActorRecord", "AlertHitRecord", "AlertRecord", "ArticleRef", "ArticleState", "Backend",
           "BulkReader", "BulkWriter", "EntityLink", "EventKey", "FeedItemRecord", "FeedRecord", "Reader", "RunRecord",
           "Writer"]
