"""``newsgraph watch``: follow the store's feeds, each on its own schedule, for as long as it runs.

The loop (``Watcher.run``) asks the store for the feeds that are due (``next_poll_at`` unset or
past, the longest due first), polls each (``Watcher.poll``), and sleeps until the next one is due
(at most ``IDLE_STEP`` seconds at a time, so feeds added meanwhile by ``newsgraph feeds add`` are
seen). Everything it knows lives in the store, so any number of restarts resume where it stopped.

One poll of one feed:

1. A conditional GET through the ingest's ``Fetcher`` (one for the watcher's life, rebuilt every
   ``FETCHER_LIFETIME`` so robots.txt is read again): ``If-None-Match`` / ``If-Modified-Since``
   from the feed's last 200; per-host politeness, robots.txt, private-address refusal, retries
   and deadlines as ``ingest`` has them. A 304 means nothing new.
2. The feed is parsed (``sources.feeds.parse_feed``) and its entries are taken newest first (by
   the entry's date; undated ones after, in feed order). An entry is read when it is new to this
   feed and its link is not in the store already (``has_source``, as ingest skips), when it was
   edited (another fingerprint: title, dates, link, metadata), or when its last reading failed
   fewer than ``MAX_ITEM_ATTEMPTS`` times. Nothing else is fetched.
3. The entries to read go through ingest's own machinery: each page fetched by
   ``Context.url_items``, extracted and analysed by ``ingest.process_stream`` on the watcher's
   ``workers.WorkerPool`` (started at the first item, kept for the watcher's life, so a poll
   does not pay a pool's start-up; with one worker, inline; forked from this process once it
   has loaded the language models, ``Watcher._warm``, so the workers share their pages), or on a Dask cluster
   (``cluster=``, ``newsgraph watch --cluster``: ``ClusterEngine.run_items``, one shard a page,
   the cluster joined once for the watcher's life), written here by ingest's ``_Writer`` (the
   article, its failure in the ingest log, the run's counts) either way. After each item the
   entry's outcome is stored (``feed_items``). Fetching, extracting and storing one item is one
   SIGTERM-deferring block (``ingest._one_write``), so a stop lands between items; the pages
   already fetched (the pool's or the cluster's window) are finished and stored first, no new
   page is fetched, so none is fetched again after the restart.
4. When it stored articles, the alerts look at them (``store.alerts.check``: a hit per match,
   once); they look once more when the watcher starts, for what a killed watcher stored.
5. The feed's state is saved: validators, ``next_poll_at``, last success or error, counts.

Schedule: after a success (200 or 304) ``next_poll_at = now + max(interval, hint)``, where
``hint`` is what the feed itself asks for: ``Cache-Control: max-age``, an ``Expires`` header, or
RSS ``<ttl>``, the longest of them, never more than ``MAX_HINT`` (a feed cannot ask to be
forgotten). After a failure (a fetch error, a feed that does not parse) it is
``now + min(max_backoff, interval * 2**errors_in_a_row)``: 2x, 4x, 8x ... the interval, capped;
the error's code and one-line reason are stored, and the first success resets the count.

Restarts: a poll stopped in the middle (SIGTERM, SIGINT, SIGKILL) saves no new validators and
leaves the feed due, so the next run fetches the whole feed again; entries read before the stop
are skipped (their outcome is stored, or their link is in the store), the rest are read. Nothing
is fetched twice, nothing still in the feed is missed. SIGTERM and SIGINT stop the loop between
items (``ingest.interruptible``); the run is recorded as interrupted, like an ingest's.

Memory: one feed's entries at a time (a feed is at most ``Settings.max_bytes``), the worker
pool's bounded window; no queue grows with time. The workers share the models this process
loaded before forking them (PSS of the watcher with 2 workers ~390 MiB, ~620 MiB spawned:
bench/RESULTS.md, watch_pool). The pool's processes are replaced after
``workers.RECYCLE_ITEMS`` items. ``feed_items`` rows of entries gone from a feed
for ``FORGET_AFTER`` are deleted.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from newsgraph.config import Settings
from newsgraph.errors import FeedError, FetchError, StoreError
from newsgraph.ingest import STORE_ITEM_CODES, Interrupted, Summary, _one_write, _Writer, interruptible
from newsgraph.ingest import process_stream as _process_stream
from newsgraph.sources import gate
from newsgraph.sources._context import Context
from newsgraph.sources.feeds import FeedEntry, ParsedFeed, parse_feed
from newsgraph.sources.gate import one_line
from newsgraph.store.backend import FeedItemRecord, FeedRecord
from newsgraph.store.feeds import format_time, parse_time
from newsgraph.types import Article, Failure, RawDocument
from newsgraph.workers import WorkerPool, settings_workers

#: The longest a feed's own hint (Cache-Control, Expires, <ttl>) may put off its next poll.
MAX_HINT = 6 * 3600.0
#: Times an entry whose reading failed is tried again (on later polls) before it is left alone.
MAX_ITEM_ATTEMPTS = 3
#: Entries gone from a feed this long are forgotten (their articles stay in the store).
FORGET_AFTER = timedelta(days=30)
#: The longest sleep between two looks at the store for due feeds.
IDLE_STEP = 5.0
#: Due feeds read from the store at a time.
DUE_BATCH = 50
#: Seconds one Fetcher serves before it is replaced (robots.txt is read again).
FETCHER_LIFETIME = 6 * 3600.0
#: Outcomes of an entry whose article is in the store: it is not read again unless edited.
STORED = frozenset({"new", "new_source", "analysed", "duplicate", "stored"})
#: ... and those that stored an article from it now (what a feed's health counts).
INGESTED = frozenset({"new", "new_source", "analysed"})
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(slots=True)
class WatchSummary:
    """What a watcher did: polls, 304s, failed polls, and the ingest counts of what it read."""

    polls: int = 0
    not_modified: int = 0
    failed_polls: int = 0
    alert_hits: int = 0
    delivered: int = 0  # webhook POSTs answered 2xx
    items: Summary = field(default_factory=Summary)

    def as_dict(self) -> dict[str, Any]:
        return {"polls": self.polls, "not_modified": self.not_modified, "failed_polls": self.failed_polls,
                "alert_hits": self.alert_hits, "delivered": self.delivered, **self.items.as_dict()}


# --------------------------------------------------------------------------- schedule


def feed_hint(headers: dict[str, str], ttl: float | None, at: datetime) -> float:
    """Seconds the feed asks readers to wait: the longest of Cache-Control max-age, Expires and
    RSS <ttl>, at most ``MAX_HINT`` (0: it asks nothing). ``no-cache`` / ``no-store`` ask nothing."""
    hints = [ttl or 0.0]
    control = headers.get("cache-control", "")
    if (m := _MAX_AGE.search(control)) and "no-store" not in control.lower():
        hints.append(float(m.group(1)))
    if expires := headers.get("expires"):
        try:
            when = email.utils.parsedate_to_datetime(expires)
            hints.append((when.astimezone(UTC) - at).total_seconds())
        except (TypeError, ValueError, IndexError):
            pass
    return min(MAX_HINT, max(0.0, *hints))


def next_success(at: datetime, interval: float, hint: float) -> datetime:
    return at + timedelta(seconds=max(interval, hint))


def next_failure(at: datetime, interval: float, errors_in_a_row: int, max_backoff: float) -> datetime:
    """``interval * 2**errors_in_a_row`` seconds after ``at`` (errors_in_a_row >= 1), at most ``max_backoff``."""
    wait = min(max_backoff, max(interval, 0.001) * 2.0 ** min(errors_in_a_row, 30))
    return at + timedelta(seconds=wait)


# --------------------------------------------------------------------------- entries


def newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Entries with a date, newest first, then those without, in feed order."""
    dated = sorted((e for e in entries if e.dated_at), key=lambda e: (e.dated_at or "", -e.index), reverse=True)
    return dated + [e for e in entries if not e.dated_at]


def fingerprint(entry: FeedEntry) -> str:
    """What an edit of the entry changes: its title, dates, link and metadata."""
    raw = json.dumps([entry.link, entry.dated_at, entry.updated_at, entry.meta], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def needs_reading(known: FeedItemRecord | None, fp: str) -> bool:
    """Whether an entry already met in this feed is read again (``known`` None: asked elsewhere)."""
    if known is None:
        return True
    if known.fingerprint != fp:
        return True
    return known.outcome not in STORED and known.attempts < MAX_ITEM_ATTEMPTS


# --------------------------------------------------------------------------- the watcher


class Watcher:
    """Polls the feeds of ``store`` (see the module docstring).

    ``interval``: the shortest time between two polls of one feed, seconds; ``max_backoff``: the
    longest wait after errors. ``transport`` replaces the network (tests), ``now`` and ``sleep``
    the clock. ``on_item(result, outcome)`` is called after each item as ``ingest`` calls it;
    ``on_poll(feed)`` after each poll with the feed's new state. ``cluster``: a
    ``cluster.ClusterEngine`` whose workers extract and analyse the pages (``workers`` is then unused).
    """

    def __init__(self, store: Any, settings: Settings, *, interval: float, max_backoff: float,
                 analyze: bool = True, workers: int | None = None, transport: Any = None,
                 argv: list[str] | None = None, now: Callable[[], datetime] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 on_item: Callable[[Article | Failure, str], None] | None = None,
                 on_poll: Callable[[FeedRecord], None] | None = None, cluster: Any = None) -> None:
        self.store, self.settings = store, settings
        self.interval, self.max_backoff = interval, max_backoff
        self.analyze, self.transport, self.cluster = analyze, transport, cluster
        self.workers = workers if workers is not None else settings_workers()
        self.pool: WorkerPool | None = None  # the watcher's worker processes, for ``run``'s life
        self.argv = argv if argv is not None else ["watch"]
        self._now = now or (lambda: datetime.now(UTC))
        self._sleep = sleep
        self.on_item, self.on_poll = on_item, on_poll
        self.summary = WatchSummary()
        self._ctx: Context | None = None
        self._ctx_born = 0.0
        self._writer: _Writer | None = None
        self._outcome = ""
        self._deliverer: Any = None
        self._stopping = False  # a signal came: fetch no more pages, finish those fetched

    # -- the loop

    def run(self, *, once: bool = False, stop: Callable[[], bool] | None = None) -> WatchSummary:
        """Poll due feeds until stopped (SIGTERM, SIGINT, ``stop()`` true); ``once``: poll each
        feed due now once, then return."""
        run_id = self.store.start_run(self.argv)
        self._writer = _Writer(self.store, run_id, self.summary.items, self._item_done)
        self.pool = WorkerPool(self.workers, warm=self._warm) if self.cluster is None else None
        self._stopping = False
        status = "interrupted"
        polled: set[str] = set()
        try:
            with interruptible((signal.SIGTERM, signal.SIGINT)):
                self.check_alerts()  # what a watcher killed before its check stored
                while not (stop and stop()):
                    due = [f for f in self._due(DUE_BATCH + len(polled)) if f.url not in polled]
                    if once and not due:
                        break
                    if not due:
                        self._idle()
                        continue
                    for feed in due:
                        self.poll(feed)
                        if once:
                            polled.add(feed.url)
                        if stop and stop():
                            break
            status = "finished"
        except Interrupted:
            pass
        finally:
            self._close_context()
            if self.pool is not None:
                self.pool.close()
                self.pool = None
            self.store.finish_run(run_id, self.summary.items.counts()
                                  | {"polls": self.summary.polls, "not_modified": self.summary.not_modified,
                                     "failed_polls": self.summary.failed_polls}, status=status)
        return self.summary

    def _warm(self) -> None:
        """Before the pool forks: the models its workers use, loaded here, so they share them."""
        from newsgraph.extract.language import load

        load()
        if self.analyze:
            from newsgraph.analyze import PipelineError, get_nlp

            try:
                get_nlp()
            except PipelineError:  # no model installed: each item's analysis says so, as in ingest
                pass

    def _item_done(self, result: Article | Failure, outcome: str) -> None:
        self._outcome = outcome  # what ``_Writer`` made of the item: 'new' ... or a failure code
        if self.on_item is not None:
            self.on_item(result, outcome)

    def check_alerts(self) -> None:
        """Record the alerts' hits among the articles stored since they last looked (``store.alerts``),
        then POST those due to their webhooks (``alert_delivery``)."""
        from newsgraph.store import alerts

        self.summary.alert_hits += alerts.check(self.store)
        self.deliver()

    def deliver(self) -> None:
        """Send the webhook POSTs that are due (new hits, retries whose wait is over)."""
        from newsgraph.alert_delivery import Deliverer

        if self._deliverer is None:
            self._deliverer = Deliverer(self.store, self.settings, now=self._now)
        done = self._deliverer.deliver_due()
        self.summary.delivered += done.delivered

    def _due(self, limit: int) -> list[FeedRecord]:
        with self.store.backend.read("cannot read the due feeds") as r:
            return list(r.due_feeds(format_time(self._now()), limit))

    def _idle(self) -> None:
        self.deliver()  # retries come due while no feed is
        with self.store.backend.read("cannot read the feeds' schedule") as r:
            first = r.next_poll_at()
        wait = IDLE_STEP
        if first is not None:
            when = parse_time(first)
            wait = 0.0 if when is None else (when - self._now()).total_seconds()
        self._sleep(min(IDLE_STEP, max(0.01, wait)))

    @property
    def context(self) -> Context:
        if self._ctx is not None and time.monotonic() - self._ctx_born > FETCHER_LIFETIME:
            self._close_context()
        if self._ctx is None:
            self._ctx, self._ctx_born = Context(self.settings, transport=self.transport), time.monotonic()
        return self._ctx

    def _close_context(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None
        if self._deliverer is not None:
            self._deliverer.close()
            self._deliverer = None

    # -- one poll

    def poll(self, feed: FeedRecord) -> FeedRecord:
        """Poll one feed, read what is new in it, save its state; returns that state."""
        self.summary.polls += 1
        started = self._now()
        headers = {k: v for k, v in (("If-None-Match", feed.etag), ("If-Modified-Since", feed.last_modified)) if v}
        try:
            fetched = self.context.fetcher.get(feed.url, headers=headers)
            if fetched.status == 304:
                self.summary.not_modified += 1
                return self._save(feed._replace(last_poll_at=format_time(started)), started,
                                  ok=fetched.headers, ttl=None)
            parsed = parse_feed(fetched.body, source=feed.url, base_url=fetched.final_url,
                                content_type=fetched.headers.get("content-type"))
        except (FetchError, FeedError) as exc:
            self.summary.failed_polls += 1
            return self._save(feed._replace(last_poll_at=format_time(started), last_error_at=format_time(started),
                                            last_error_code=exc.code, last_error=one_line(exc.message),
                                            errors_in_a_row=feed.errors_in_a_row + 1), started, ok=None, ttl=None)
        seen, ingested = self._read_entries(feed, parsed)
        if parsed.damage:
            self._writer_or_fail().write(Failure(feed.url, "feed.malformed", one_line(parsed.damage)))
        if ingested:
            self.check_alerts()
        state = feed._replace(
            title=feed.title or parsed.title, etag=fetched.headers.get("etag"),
            last_modified=fetched.headers.get("last-modified"), last_poll_at=format_time(started),
            items_seen=feed.items_seen + seen, items_ingested=feed.items_ingested + ingested)
        return self._save(state, started, ok=fetched.headers, ttl=parsed.ttl)

    def _save(self, feed: FeedRecord, started: datetime, *, ok: dict[str, str] | None,
              ttl: float | None) -> FeedRecord:
        at = self._now()
        if ok is not None:
            feed = feed._replace(last_success_at=format_time(at), errors_in_a_row=0, next_poll_at=format_time(
                next_success(at, self.interval, feed_hint(ok, ttl, at))))
        else:
            feed = feed._replace(next_poll_at=format_time(
                next_failure(at, self.interval, feed.errors_in_a_row, self.max_backoff)))
        with self.store.backend.write(f"cannot save the state of feed {feed.url}") as w:
            w.set_feed_state(feed)
            w.prune_feed_items(feed.url, format_time(at - FORGET_AFTER))
        if self.on_poll is not None:
            self.on_poll(feed)
        return feed

    def _writer_or_fail(self) -> _Writer:
        if self._writer is None:
            raise RuntimeError("Watcher.poll outside Watcher.run")
        return self._writer

    def _read_entries(self, feed: FeedRecord, parsed: ParsedFeed) -> tuple[int, int]:
        """Read the entries that need it, newest first; ``(entries new to the feed, articles stored)``."""
        entries = [e for e in newest_first(parsed.entries) if e.link]
        links = list(dict.fromkeys(e.link for e in entries if e.link))
        with self.store.backend.read(f"cannot read the entries of feed {feed.url}") as r:
            known = r.feed_items(feed.url, links)
        at = format_time(self._now())
        todo: dict[str, tuple[FeedEntry, str, int]] = {}
        marks: list[FeedItemRecord] = []
        for entry in entries:
            link, fp = entry.link or "", fingerprint(entry)
            if link in todo:
                continue
            item = known.get(link)
            if item is None and self._stored(link):
                marks.append(FeedItemRecord(link, fp, "stored", 0, entry.dated_at, at, None))
            elif needs_reading(item, fp):
                attempts = item.attempts if item is not None and item.fingerprint == fp else 0
                todo[gate.clean_name(link)] = (entry, fp, attempts)
            elif item is not None:
                marks.append(item._replace(seen_at=at))
        with self.store.backend.write(f"cannot record the entries of feed {feed.url}") as w:
            for mark in marks:
                w.put_feed_item(feed.url, mark)
        new_to_feed = sum(1 for link in links if link not in known)
        return new_to_feed, self._ingest(feed, todo)

    def _stored(self, link: str) -> bool:
        try:
            return bool(self.store.has_source(gate.clean_name(link), analysed=self.analyze))
        except StoreError as exc:
            if exc.code not in STORE_ITEM_CODES:
                raise
            return False

    def _ingest(self, feed: FeedRecord, todo: dict[str, tuple[FeedEntry, str, int]]) -> int:
        """Fetch, extract, analyse and store the entries of ``todo`` (by cleaned link), in order."""
        if not todo:
            return 0
        writer = self._writer_or_fail()
        results: Iterator[Any]
        if self.cluster is not None:
            results = self.cluster.run_items(self._pages(todo), self.settings, analyze=self.analyze)
        else:
            results = _process_stream(self._pages(todo), self.settings, workers=self.workers, analyze=self.analyze,
                                      pool=self.pool)
        try:
            ingested = self._write_all(feed, todo, results, writer)
        finally:
            results.close()  # left by an error: what is in flight is dropped now, not when the generator is collected
        return ingested

    def _write_all(self, feed: FeedRecord, todo: dict[str, tuple[FeedEntry, str, int]], results: Iterator[Any],
                   writer: _Writer) -> int:
        """Write each result, in order; the number of articles stored. A stop (``Interrupted``, raised
        between items) ends the fetching of pages (``_pages``); the pages already fetched are written,
        then it is raised again. A second signal meanwhile stops at once."""
        ingested = [0]
        stop: Interrupted | None = None
        while True:
            try:
                with _one_write():  # fetching, extracting and storing one item, then a pending SIGTERM
                    result = next(results, None)
                    if result is not None:
                        self._write_one(feed, todo, result, writer, ingested)
                if result is None:
                    break
            except Interrupted as exc:
                if stop is not None:
                    raise
                stop, self._stopping = exc, True
        if stop is not None:
            raise stop
        return ingested[0]

    def _write_one(self, feed: FeedRecord, todo: dict[str, tuple[FeedEntry, str, int]], result: Any,
                   writer: _Writer, ingested: list[int]) -> None:
        source = result.source if isinstance(result, Failure) else result.article.source
        self._outcome = "store.failed"
        writer.write(result)
        outcome = self._outcome
        if source in todo:
            entry, fp, attempts = todo[source]
            stored_now = outcome in INGESTED
            ingested[0] += stored_now
            at = format_time(self._now())
            with self.store.backend.write(f"cannot record an entry of feed {feed.url}") as w:
                w.put_feed_item(feed.url, FeedItemRecord(entry.link or source, fp, outcome, attempts + 1,
                                                         entry.dated_at, at, at if stored_now else None))

    def _pages(self, todo: dict[str, tuple[FeedEntry, str, int]]) -> Iterator[RawDocument | Failure]:
        ctx = self.context
        for source, (entry, _fp, _attempts) in todo.items():
            if self._stopping:
                return
            link = entry.link or source
            for item in ctx.guarded(link, ctx.url_items(link, meta=entry.meta, allow_feed=False)):
                yield gate.clean_item(item)

