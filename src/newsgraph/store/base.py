"""``BaseStore``: the ``Store`` protocol, once, over any backend (``store.backend``).

What a store does beyond reading and writing rows lives here and in the services it calls,
so every backend behaves the same:

* ``add_article``: one transaction (``Backend.write``) writes the article, its source, its
  search entry, its story signature (``store.stories``) and its analysis: attributions,
  entities linked to actors (``store.actors``), events, and the running counters
  (``store.counters``). The same text again is a no-op or a new source; the same text
  stored before without analysis gets this analysis (``"analysed"``). ``add_articles``
  does the same for many articles in one transaction, with a batch ``LinkCache``.
* A write that another writer got in the way of (``StoreError.retryable``: PostgreSQL's
  deadlocks, serialization failures, a unique key taken first) runs again whole, a bounded
  number of times (``_retrying``); the entities' registry names are claimed first
  (``_lock_names``), so concurrent writers link one name one after the other (``store.postgres``).
* ``replace_analysis``: the analysis rows go, and every counter takes them back out,
  before the new ones go in (``newsgraph analyze --store``).
* Runs: a run of this host whose process is gone is 'interrupted' (``processes``).
* Reads check their filter values (``store.values``) and resolve actor names through the
  registry, then ask the backend for the rows.

``SQLiteStore`` (``store.sqlite``) is a ``BaseStore`` over the SQLite backend; ``open_store``
picks the backend from the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from newsgraph.errors import NotFound, StoreError
from newsgraph.store import counters, stories
from newsgraph.store.actors import ActorRegistry, LinkCache
from newsgraph.store.backend import ArticleRef, Backend, EventKey, Reader, Writer
from newsgraph.store.rows import (
    ActorDetail,
    ActorRow,
    ActorWeek,
    AddResult,
    AnalysisCounts,
    ArticleRow,
    CoActor,
    EventRow,
    EventTally,
    FailureRow,
    QuoteCounts,
    QuoteRow,
    RunRow,
    SearchFacets,
    SearchHit,
    SpeakerRow,
    StoredArticle,
    StoryRow,
)
from newsgraph.store.values import (
    day_range,
    id_prefix,
    least_confidence,
    like_words,
    now,
    quote_kinds,
    valid_str,
)
from newsgraph.types import AnalysisStatus, Article, Failure

#: Articles ``iter_articles`` reads at a time (keyset pagination; no read is held in between).
ITER_BATCH = 500
#: Seconds (times the attempt) a write waits at most, at random, before trying again (``_retrying``).
RETRY_PAUSE = 0.05

T = TypeVar("T")


def analysis_status(article: Article, analysis: str | None) -> AnalysisStatus:
    """The ``AnalysisStatus`` stored with ``article``: its own; one that says "not run" on an
    article stored with analysis rows (an older caller) counts as analysed."""
    st = article.analysis
    if not st.analysed and st.code == AnalysisStatus().code and analysis is not None:
        st = AnalysisStatus.done(article.language or "en", None)
    return st


def _checked(article: Article, analysis: str | None) -> tuple[Article, str | None]:
    """``(article, analysis)`` as stored: an id is required; an article carrying analysis rows
    without a version counts as analysed ('unversioned')."""
    if not article.id:
        raise StoreError("article has no id", code="store.invalid", source=article.source)
    if analysis is None and (article.attributions or article.entities or article.events):
        analysis = "unversioned"
    return article, analysis


def run_alive(host: str | None, pid: int | None, start: str | None) -> bool:
    """Whether a 'running' run's process may still run (always True for another host's run)."""
    import socket

    from newsgraph.store.processes import is_alive

    if host is None or pid is None or host != socket.gethostname():
        return True
    return is_alive(int(pid), start)


class BaseStore:
    """The ``Store`` protocol over ``backend``; the actor registry's cache is this store's."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._registry = ActorRegistry()
        from newsgraph.store.facets import FacetColumns

        self._facets = FacetColumns()  # search facets: every article's outlet, language, month
        #: Write transactions this store ran again because another writer got in their way.
        self.write_retries = 0

    @property
    def backend(self) -> Backend:
        return self._backend

    @property
    def schema_version(self) -> int:
        return self._backend.schema_version

    # -- writes -------------------------------------------------------------

    def add_article(self, article: Article, *, analysis: str | None = None) -> AddResult:
        """Store ``article`` with its source, in one transaction.

        ``analysis`` names the analysis that filled its attributions, entities and
        events (``newsgraph.analyze.version.analysis_version()``); None means not
        analysed, except that an article carrying any of them counts as analysed
        ('unversioned'). The same text stored earlier without analysis gets this
        one's analysis now (``"analysed"``); otherwise a known text only adds its
        source (``"new_source"``) or nothing (``"duplicate"``).
        """
        item = _checked(article, analysis)
        sig = stories.sign(article.text)  # outside the write lock: ~1 ms of hashing

        def unit(w: Writer) -> AddResult:
            self._lock_names(w, [article])
            return self._add(w, *item, sig, now(), None)

        return self._retrying(f"cannot store article from {valid_str(article.source)}", unit)

    def add_articles(self, items: Iterable[Article | tuple[Article, str | None]]) -> list[AddResult]:
        """Store many articles in **one** transaction (all or none), each as ``add_article`` would
        and in order: the same rows, actors, aliases and counters as adding them one by one.

        ``items``: articles, or ``(article, analysis)`` pairs (``add_article``'s ``analysis``).
        Faster for a bulk load (a synthetic store, a copy): one commit instead of one per
        article, and the batch's ``LinkCache`` links a name already decided in this batch
        without looking it up again. Keep batches to a few hundred articles: the write lock is
        held for the whole batch.
        """
        checked = [_checked(*((it, None) if isinstance(it, Article) else it)) for it in items]
        if not checked:
            return []
        sigs = [stories.sign(a.text) for a, _ in checked]
        at = now()

        def unit(w: Writer) -> list[AddResult]:
            cache = LinkCache()  # a new one each attempt: a rolled-back attempt's actors are gone
            self._lock_names(w, [a for a, _ in checked])
            return [self._add(w, a, analysis, sig, at, cache) for (a, analysis), sig in zip(checked, sigs, strict=True)]

        return self._retrying(f"cannot store {len(checked)} articles from {valid_str(checked[0][0].source)} on", unit)

    def _retrying(self, what: str, unit: Callable[[Writer], T]) -> T:
        """``unit(w)`` in one write transaction, run again (a bounded number of times, after a short
        random pause) when the backend says another writer got in its way (``StoreError.retryable``:
        on PostgreSQL a deadlock, a serialization failure or a unique key another writer took first);
        the registry's cached state is dropped before each new attempt (the rolled-back one's is gone)."""
        import random
        import time

        retries = int(getattr(self._backend, "write_retries", 0))
        for attempt in range(retries + 1):
            try:
                with self._backend.write(what) as w:
                    return unit(w)
            except StoreError as exc:
                if attempt >= retries or not getattr(exc, "retryable", False):
                    raise
                self._registry.forget_corrections()
                self._registry.changes += 1
                self.write_retries += 1
                time.sleep(random.uniform(0, RETRY_PAUSE * (attempt + 1)))
        raise AssertionError("unreachable")

    @staticmethod
    def _lock_names(w: Writer, articles: list[Article]) -> None:
        """Claim the registry names of every entity of ``articles`` at once, in one order (``Writer.lock_names``),
        before any is linked: two writers meeting the same new name link it one after the other."""
        from newsgraph.store.actors import entity_blocks

        blocks: set[str] = set()
        for a in articles:
            for e in a.entities:
                blocks.update(entity_blocks(e))
        if blocks:
            w.lock_names(sorted(blocks))

    def _add(self, w: Writer, article: Article, analysis: str | None, sig: tuple[int, ...] | None, at: str,
             cache: LinkCache | None) -> AddResult:
        state = w.article_state(article.id)
        if state is None:
            seq = w.insert_article(article, analysis, analysis_status(article, analysis), at)
            if seq is not None:
                w.insert_source(article.id, article.source, article.url, at)
                w.index_article(seq, article.title, article.text)
                stories.store_signature(w, seq, sig)
                self._insert_analysis(w, ArticleRef(article.id, seq, article.published), article, cache)
                return "new"
            state = w.article_state(article.id)  # another writer stored the same text meanwhile
            assert state is not None
        added = w.insert_source(article.id, article.source, article.url, at)
        if analysis is not None and state.analysis is None:
            # Stored earlier without analysis (ingest --no-analyze): add this analysis now.
            ref = ArticleRef(article.id, state.seq, state.published)
            self._clear_analysis(w, ref)
            self._insert_analysis(w, ref, article, cache)
            w.set_analysis(ref.seq, analysis, analysis_status(article, analysis))
            return "analysed"
        return "new_source" if added else "duplicate"

    def replace_analysis(self, article: Article, analysis: str) -> None:
        """Replace the stored article's attributions, entities and events with ``article``'s
        (same id and text; ``newsgraph analyze --store``), aggregates and actor counts included,
        in one transaction."""
        with self._backend.write(f"cannot store the analysis of {article.id}") as w:
            state = w.article_state(article.id)
            if state is None:
                raise NotFound(f"no article with id {article.id!r}")
            if state.n_chars != len(article.text):
                raise StoreError(f"analysis of {article.id} is for another text", code="store.invalid")
            ref = ArticleRef(article.id, state.seq, state.published)
            self._clear_analysis(w, ref)
            self._insert_analysis(w, ref, article)
            w.set_analysis(ref.seq, analysis, analysis_status(article, analysis))

    def _insert_analysis(self, w: Writer, ref: ArticleRef, article: Article, cache: LinkCache | None = None) -> None:
        for idx, a in enumerate(article.attributions):
            w.insert_attribution(ref, idx, a)
        counters.speakers_added(w, ref, article.attributions)
        names = [e.name for e in article.entities]
        counted: set[str] = set()
        for e in article.entities:
            key = self._registry.link(w, e, [n for n in names if n != e.name], cache)
            w.insert_entity(ref, e, key)
            counters.entity_added(w, ref, e, key, first=key not in counted)
            counted.add(key)
        for idx, ev in enumerate(article.events):
            week = counters.event_week(ev, ref.published)
            counters.event_added(w, EventKey(ev.actor.entity if ev.actor else None,
                                             ev.target.entity if ev.target else None,
                                             week, ev.type, ev.negated, ev.modality))
            w.insert_event(ref, idx, ev, week)

    def _clear_analysis(self, w: Writer, ref: ArticleRef) -> None:
        """Remove an article's attributions, entities and events, and take them out of every
        counter they were counted in (the reverse of ``_insert_analysis``)."""
        counters.speakers_removed(w, ref, w.delete_attributions(ref))
        keys = counters.entities_removed(w, ref, w.delete_entities(ref))
        counters.events_removed(w, w.delete_events(ref))
        if keys:
            for key in keys:
                w.recount_actor(key)
            self._registry.prune(w, keys)

    # -- runs and the ingest log ----------------------------------------------

    def start_run(self, argv: list[str]) -> int:
        """A new ingest run, 'running' until ``finish_run``; runs of dead processes are marked first."""
        from newsgraph.store.processes import this_process

        host, pid, start = this_process()
        with self._backend.write("cannot start ingest run") as w:
            self._mark_dead_runs(w)
            return w.insert_run(now(), [valid_str(a) for a in argv], host, pid, start)

    def finish_run(self, run_id: int, counts: dict[str, int], *, status: str = "finished") -> None:
        """Record how run ``run_id`` ended: ``finished``, or ``interrupted`` (signal, Ctrl-C, a fatal error)."""
        if status not in ("finished", "interrupted"):
            raise ValueError(f"unknown run status {status!r}")
        with self._backend.write(f"cannot finish ingest run {run_id}") as w:
            if not w.finish_run(run_id, now(), dict(counts), status):
                raise NotFound(f"no ingest run {run_id}")

    def mark_dead_runs(self) -> int:
        """Mark 'running' runs whose process is gone (killed) as 'interrupted'; how many were."""
        with self._backend.write("cannot check ingest runs") as w:
            return self._mark_dead_runs(w)

    @staticmethod
    def _mark_dead_runs(w: Writer) -> int:
        dead = [rid for rid, host, pid, start in w.running_runs() if not run_alive(host, pid, start)]
        for rid in dead:
            w.set_run_status(rid, "interrupted")
        return len(dead)

    def runs(self, *, limit: int = 20) -> list[RunRow]:
        """Ingest runs, newest first, with how each ended (dead processes' runs show 'interrupted')."""
        with self._backend.read("cannot read ingest runs") as r:
            records = r.runs(max(0, int(limit)))
        out = []
        for rec in records:
            status = rec.status
            if status == "running" and not run_alive(rec.host, rec.pid, rec.pid_start):
                status = "interrupted"
            out.append(RunRow(rec.id, rec.started_at, rec.finished_at, status, rec.argv, rec.counts, rec.n_failures))
        return out

    def log_failure(self, run_id: int, failure: Failure) -> None:
        """Append ``failure`` to run ``run_id``'s log, a refused page's kind, title, url and day in
        columns of their own. Its strings are made storable first (lone surrogates from an
        undecodable file name become ``\\udcXX`` escapes), so logging never fails on them."""
        def text(value: str | None) -> str | None:
            return None if value is None else valid_str(value)

        clean = Failure(valid_str(failure.source), valid_str(failure.code), valid_str(failure.message),
                        text(failure.kind), text(failure.title), text(failure.url), text(failure.published))
        with self._backend.write(f"cannot log failure for {valid_str(failure.source)}") as w:
            if not w.run_exists(run_id):
                raise NotFound(f"no ingest run {run_id}")
            w.insert_failure(run_id, clean, now())

    def failures(self, *, limit: int = 100, run_id: int | None = None) -> list[FailureRow]:
        """Logged failures, newest first (``FailureRow``: a refused page with its kind and title)."""
        with self._backend.read("cannot read failures") as r:
            return r.failures(limit=max(0, int(limit)), run_id=run_id)

    # -- articles -------------------------------------------------------------

    def has_source(self, source: str, *, analysed: bool = False) -> bool:
        """True if ``source`` is stored (with ``analysed``: and its article has been analysed)."""
        with self._backend.read("cannot look up source") as r:
            return r.has_source(source, analysed=analysed)

    def count_articles(self, *, outlet: str | None = None, language: str | None = None, since: str | None = None,
                       until: str | None = None) -> int:
        """How many articles ``list_articles`` with these filters lists in all (none: every article)."""
        days = day_range(since, until)
        with self._backend.read("cannot count articles") as r:
            if outlet is None and language is None and days.since is None and days.before is None:
                return r.count_articles()
            return r.count_listed_articles(outlet=outlet, language=language, days=days)

    def get_article(self, id_or_prefix: str) -> StoredArticle:
        key = id_prefix(id_or_prefix)
        with self._backend.read(f"cannot read article {id_or_prefix}") as r:
            ids = r.articles_by_prefix(key, limit=2)
            if key in ids:
                ids = [key]
            if not ids:
                raise NotFound(f"no article with id {id_or_prefix!r}")
            if len(ids) > 1:
                raise StoreError(f"id prefix {id_or_prefix!r} matches several articles; give more digits",
                                 code="store.ambiguous")
            return r.stored_article(ids[0])

    def list_articles(self, *, limit: int = 50, offset: int = 0, outlet: str | None = None,
                      language: str | None = None, since: str | None = None,
                      until: str | None = None) -> list[ArticleRow]:
        """Articles, newest first; ``since``/``until`` bound the publication date (both days included)."""
        days = day_range(since, until)
        with self._backend.read("cannot list articles") as r:
            return r.list_articles(limit=max(0, int(limit)), offset=max(0, int(offset)), outlet=outlet,
                                   language=language, days=days)

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every article, oldest first, read in batches of ``ITER_BATCH`` (keyset pagination).

        No read transaction is held between batches, so writers are never blocked
        for long; articles added meanwhile may or may not be seen.
        """
        last = 0
        while True:
            with self._backend.read("cannot read articles") as r:
                batch = r.article_batch(last, ITER_BATCH)
            if not batch:
                return
            for _seq, stored in batch:
                yield stored
            last = batch[-1][0]

    def articles_to_analyse(self, *, after_seq: int = 0, limit: int = 100, current: str | None = None
                            ) -> list[tuple[int, Article]]:
        """``(seq, article)`` of stored articles without analysis, oldest first, after ``after_seq``
        (keyset pagination). With ``current``, also those analysed by any other analysis version."""
        with self._backend.read("cannot read articles to analyse") as r:
            return r.articles_to_analyse(after_seq=after_seq, limit=max(0, int(limit)), current=current)

    def count_to_analyse(self, *, current: str | None = None) -> int:
        """How many articles ``articles_to_analyse`` would give in all."""
        with self._backend.read("cannot count articles to analyse") as r:
            return r.count_to_analyse(current=current)

    def analysis_counts(self) -> AnalysisCounts:
        """How many articles were analysed, and how many were not, per reason and language."""
        with self._backend.read("cannot count analysed articles") as r:
            return r.analysis_counts()

    # -- search -----------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20, offset: int = 0, outlet: str | None = None,
               language: str | None = None, month: str | None = None, bound: int | None = None) -> list[SearchHit]:
        """Articles matching ``query``, best first (the backend's ranking: BM25 on SQLite, the title
        weighing 5x) among its newest ``bound`` matches (``search_page``). ``outlet``, ``language`` and
        ``month`` (``YYYY-MM``; ``NO_VALUE``/``UNDATED`` for articles without one) select among them."""
        return self.search_page(query, limit=limit, offset=offset, outlet=outlet, language=language,
                                month=month, bound=bound)[1]

    def search_facets(self, query: str, *, outlet: str | None = None, language: str | None = None,
                      month: str | None = None, bound: int | None = None) -> SearchFacets:
        """Outlet, language and month counts over the matches of ``query`` a search looks at
        (``search_page``); each facet counts the matches that pass the other facets' filters."""
        return self.search_page(query, limit=0, outlet=outlet, language=language, month=month, bound=bound)[0]

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0, outlet: str | None = None,
                    language: str | None = None, month: str | None = None,
                    bound: int | None = None) -> tuple[SearchFacets, list[SearchHit]]:
        """A search's facets and one page of its hits.

        The hits are the best of the newest ``bound`` (``config.SEARCH_BOUND``) articles ``query`` matches
        *that pass the filters* (the backend's bounded read applies them), so a filter reaches back past
        the unfiltered newest matches; ``SearchFacets.matching`` counts them (exact up to ``bound``, else
        an estimate and ``matching_about``). The facets (counts by outlet, language and month: the facet
        columns held in memory, ``newsgraph.store.facets``) count the newest ``bound`` matches of the
        query without filters: one more bounded read when a filter is set, the same read when none is.
        When the query matched more than ``bound``, ``SearchFacets.about`` is set and ``total`` is an
        estimate."""
        from newsgraph.config import SEARCH_BOUND
        from newsgraph.store.facets import facet_counts

        bound = SEARCH_BOUND if bound is None else max(1, int(bound))
        limit, offset = max(0, int(limit)), max(0, int(offset))
        filters = {"outlet": outlet, "language": language, "month": month}
        filtered = any(v is not None for v in filters.values())
        with self._backend.read("search failed") as r:
            seqs = r.search_seqs(query, limit=bound + 1)
            chosen = r.search_seqs(query, limit=bound + 1, **filters) if filtered else seqs
            if not (self._facets.knows(seqs) and self._facets.knows(chosen)):
                self._facets.catch_up(r)
            more, seqs = len(seqs) > bound, seqs[:bound]
            chosen_more, chosen = len(chosen) > bound, chosen[:bound]
            hits = (r.search(query, seqs=chosen, limit=limit, offset=offset, sparse=filtered)
                    if limit and len(chosen) > offset else [])
        estimate = self._facets.estimate(len(seqs), int(seqs[-1])) if more else None
        facets = facet_counts(self._facets.groups(seqs), outlet, language, month, estimate=estimate)
        matching = self._facets.estimate(len(chosen), int(chosen[-1]), **filters) if chosen_more else len(chosen)
        return replace(facets, matching=matching, matching_about=chosen_more), hits

    # -- quotes and events --------------------------------------------------------

    def quotes(self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 50,
               offset: int = 0, kinds: tuple[str, ...] | None = None,
               min_confidence: float | None = None) -> list[QuoteRow]:
        """Attributions, newest article first, filtered by speaker (a substring of the
        canonical name or of the source as written, case-insensitive), topic words
        (full-text search over what was said), outlet and publication date (``since``..``until``,
        days included), what sort of record they are (``kinds``, any of ``store.QUOTE_KINDS``;
        None: every one) and their least ``confidence`` (``min_confidence``, inclusive; None or 0: any)."""
        checked_kinds, least = quote_kinds(kinds), least_confidence(min_confidence)
        days = day_range(since, until)
        with self._backend.read("quote search failed") as r:
            return r.quotes(speaker=speaker or None, about=about or None, outlet=outlet or None, days=days,
                            kinds=checked_kinds, least=least, limit=max(0, int(limit)), offset=max(0, int(offset)))

    def quote_counts(self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
                     since: str | None = None, until: str | None = None, kinds: tuple[str, ...] | None = None,
                     min_confidence: float | None = None) -> QuoteCounts:
        """How many attributions ``quotes`` with these filters lists in all (over every page), and
        how many of those passing the other filters its ``kinds`` and ``min_confidence`` hide."""
        checked_kinds, least = quote_kinds(kinds), least_confidence(min_confidence)
        days = day_range(since, until)
        with self._backend.read("quote count failed") as r:
            return r.quote_counts(speaker=speaker or None, about=about or None, outlet=outlet or None, days=days,
                                  kinds=checked_kinds, least=least)

    def events(self, *, actor: str | None = None, target: str | None = None, type: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 50,
               offset: int = 0) -> list[EventRow]:
        """Events, newest first; actor/target match a part of the canonical name or of the text
        as written (case-insensitive); ``since``/``until`` (days included) compare the event's
        date, else its article's. A mention that repeats an earlier event of its article
        ("the explosion", ``same_as``) is not listed again."""
        days = day_range(since, until)
        with self._backend.read("event search failed") as r:
            return r.events(actor=like_words(actor) if actor else None, target=like_words(target) if target else None,
                            type=type.strip().upper() if type else None, days=days,
                            limit=max(0, int(limit)), offset=max(0, int(offset)))

    def count_events(self, *, actor: str | None = None, target: str | None = None, type: str | None = None,
                     since: str | None = None, until: str | None = None) -> int:
        """How many events ``events`` with these filters lists in all (over every page)."""
        days = day_range(since, until)
        with self._backend.read("event count failed") as r:
            return r.count_events(actor=like_words(actor) if actor else None,
                                  target=like_words(target) if target else None,
                                  type=type.strip().upper() if type else None, days=days)

    def _dyad_sides(self, r: Reader, a: str, b: str) -> list[tuple[str, tuple[str, ...]]]:
        sides = []
        for who in (a, b):
            key = self._registry.resolve(r, who)
            found = r.actor(key)
            assert found is not None
            sides.append((found.name, r.aliases(key)))
        return sides

    def dyad(self, a: str, b: str, *, limit: int | None = None) -> tuple[str, str, list[EventRow], list[EventRow]]:
        """Events from actor ``a`` to ``b`` and back, newest first: (name a, name b, a→b rows, b→a rows).

        Names resolve through the actor registry (any alias); each side matches
        the article-level canonical names linked to that actor. ``limit`` caps
        each direction's rows (all when None).
        """
        with self._backend.read(f"cannot read events between {a!r} and {b!r}") as r:
            (name_a, names_a), (name_b, names_b) = self._dyad_sides(r, a, b)
            ab = r.dyad_events(names_a, names_b, limit)
            ba = r.dyad_events(names_b, names_a, limit)
            return name_a, name_b, ab, ba

    def dyad_tallies(self, a: str, b: str) -> tuple[str, str, list[EventTally], list[EventTally]]:
        """How many events of each (ISO week, type) went from ``a`` to ``b`` and back, and how
        many of them were negated, planned, conditional or reported.

        The week is that of the event's date, else of its article's when the event is new,
        named by its Monday (None when neither applies: a background or future event without
        a date of its own is not placed). Read from the dyad counters (``store.counters``):
        the cost grows with weeks and types, not with events.
        """
        with self._backend.read(f"cannot read events between {a!r} and {b!r}") as r:
            (name_a, names_a), (name_b, names_b) = self._dyad_sides(r, a, b)
            return name_a, name_b, r.dyad_tallies(names_a, names_b), r.dyad_tallies(names_b, names_a)

    # -- actors -----------------------------------------------------------------

    def actors(self, *, type: str | None = None, search: str | None = None, limit: int = 50,
               offset: int = 0) -> list[ActorRow]:
        with self._backend.read("cannot list actors") as r:
            return r.actors(type=type or None, search=like_words(search) if search else None,
                            limit=max(0, int(limit)), offset=max(0, int(offset)))

    def count_actors(self, *, type: str | None = None, search: str | None = None) -> int:
        """How many actors ``actors`` with these filters lists in all (over every page)."""
        with self._backend.read("cannot count actors") as r:
            return r.count_actors(type=type or None, search=like_words(search) if search else None)

    def actor(self, name_or_key: str, *, limit: int = 50) -> ActorDetail:
        with self._backend.read(f"cannot read actor {name_or_key!r}") as r:
            key = self._registry.resolve(r, name_or_key)
            found = r.actor(key)
            assert found is not None
            aliases = r.aliases(key)
            actor = ActorRow(found.key, found.name, found.type, aliases, found.n_articles, found.n_mentions)
            articles = tuple(r.actor_articles(key, limit))
            # Quotes by: attributions whose resolved source is one of this actor's names.
            by = r.quotes_by(aliases, limit) if aliases else []
            # Quotes about: what was said mentions one of its names (not said by it).
            about: list[QuoteRow] = []
            if any(any(c.isalnum() for c in a) for a in aliases):
                about = [q for q in r.quotes_mentioning(aliases, limit * 2) if q.speaker not in aliases]
            as_actor, as_target = (tuple(r.events_of(role, aliases, limit)) if aliases else ()
                                   for role in ("actor", "target"))
            return ActorDetail(actor, articles, tuple(by), tuple(about[:limit]), as_actor, as_target)

    def co_actors(self, name_or_key: str, *, articles: int = 30, limit: int = 15) -> list[CoActor]:
        """Other actors named in this actor's newest ``articles`` articles, most shared first."""
        with self._backend.read(f"cannot read actors named with {name_or_key!r}") as r:
            key = self._registry.resolve(r, name_or_key)
            return r.co_actors(key, max(0, int(articles)), max(0, int(limit)))

    def actor_timeline(self, name_or_key: str) -> list[ActorWeek]:
        """Per ISO week, over the whole store: articles naming the actor, its mentions, and
        attributions to it (each summed over its names; undated articles are left out)."""
        with self._backend.read(f"cannot read the timeline of {name_or_key!r}") as r:
            aliases = r.aliases(self._registry.resolve(r, name_or_key))
            return r.name_weeks(aliases) if aliases else []

    def top_speakers(self, *, limit: int = 10) -> list[SpeakerRow]:
        """Actors with the most attributions to one of their names, over the whole store."""
        with self._backend.read("cannot count speakers") as r:
            return r.top_speakers(max(0, int(limit)))

    def same_story(self, article_id: str, *, limit: int = 20) -> list[StoryRow]:
        """Other stored articles with (nearly) the same text: the same wire story in other outlets,
        a re-publication, an updated version. Most similar first (``store.stories``)."""
        with self._backend.read(f"cannot read articles like {article_id}") as r:
            return stories.same_story(r, article_id, limit)

    def merge_actors(self, a: str, b: str) -> str:
        """The user says actor ``b`` is actor ``a``: one actor from now on, also for future articles."""
        try:
            with self._backend.write(f"cannot merge {a!r} and {b!r}") as w:
                return self._registry.merge(w, a, b)
        finally:
            self._registry.forget_corrections()

    def split_actor(self, actor: str, alias: str) -> str:
        """The user says ``alias`` is not ``actor``: it becomes an actor of its own (returned)."""
        try:
            with self._backend.write(f"cannot split {alias!r} from {actor!r}") as w:
                return self._registry.split(w, actor, alias)
        finally:
            self._registry.forget_corrections()

    # -- lifecycle ---------------------------------------------------------------

    def files(self) -> tuple[str, ...]:
        """The local files that hold this store (exports refuse to write over them); empty for
        ``:memory:`` or a database server."""
        return self._backend.files()

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
