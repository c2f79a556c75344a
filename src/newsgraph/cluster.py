"""Ingest on a Dask cluster: the same pipeline, its shards run by many worker processes.

``newsgraph ingest --cluster ADDRESS`` (``tcp://scheduler:8786``, or ``local:N``
for a ``LocalCluster`` of N one-thread worker processes on this machine) runs
``ingest.ingest`` with a ``ClusterEngine`` in place of the local process pool
(``connect`` starts or joins the cluster with ``DASK_CONFIG``). Everything the store decides (resume, new / new source / duplicate, the
run log, the actor registry and story signatures) happens in ``ingest._Writer``
on the client, in input order, so a cluster run stores what a local run stores;
on a PostgreSQL store the workers store their shards themselves (see "Where
results go" for what that keeps and what it may order differently). The steps:

1. **Plan** (client, ``plan``): the input specs become a stream of *shards* in
   input order, each a small picklable description of work:

   * ``Files``: a few single-document files (HTML, text) found in a folder or
     named; the worker reads them (``sources.files.iter_file``);
   * ``Records``: a range of a WARC file's records (by byte offset) or of a
     JSONL file's lines; the client indexes the file (offsets and line numbers
     only, no body is decoded) and the worker reads its range with the
     ordinary reader (``iter_file``), which skips the records outside it;
   * ``Pages``: a feed's entries whose pages are on one host, fetched on the
     worker. The client fetches and parses the feed (a URL or a file; its
     entries asked about ``skip`` as locally); a host's shards run one after the
     other (each depends on the one before, and waits ``politeness_delay``
     before its first request), so per-host politeness holds across workers
     while different hosts are fetched side by side. A shard fetches on a
     thread while it analyses what it fetched (``_prefetched``); each worker
     process keeps one ``Fetcher`` (robots.txt once per host). With an injected
     ``transport`` (tests) the client fetches the pages itself (``Documents``);
   * ``Documents``: items the client read itself, with ``iter_raw``: stdin,
     URLs given as inputs (a page, or the feed whose entries become ``Pages``),
     JSON files, and any spec that is not a readable file or folder (its failure).

   Sources already in the store are left out while planning: the client asks
   the store (``skip``, as the local ingest does) before a worker reads anything,
   and a ``Records`` shard carries the set of its stored sources. Failures found
   while walking folders come out in place.
2. **Run** (workers, ``run_shard``): read the shard's items, then
   ``ingest.process_item`` on each (extract, analyse); the result is the list of
   ``Extracted`` / ``Failure`` the local pool would have produced for them
   (``store_shard`` on a PostgreSQL store: then stored, ``Stored`` / ``Failure``).
   ``PipelinePlugin`` loads the spaCy pipeline (and the language model) once per
   worker process, when the worker joins; ``get_nlp`` is a per-process cache.
3. **Collect** (client, ``ClusterEngine``): at most ``SHARDS_PER_THREAD`` shards
   per worker thread are in flight (memory stays flat however large the input:
   plans are lazy, results wait on the workers until their turn); results are
   taken in shard order (the store's outcomes depend on order: the first of two
   sources of one text is ``new``, the actor registry grows article by article),
   asked about once more (``_unless_stored``) and handed to the writer.

Faults. A worker that dies mid-shard (killed, out of memory, its machine gone)
loses only its running tasks: the scheduler runs them again elsewhere, and
since a shard's result is only written once it arrives whole, nothing is
written twice. A shard that has killed ``distributed.scheduler.allowed-failures``
+ 1 workers (``KilledWorker``) is split into one-item shards, so only the item
that kills workers again fails (``extract.crashed``), as in the local pool.
A client killed mid-run leaves whole articles only (one transaction each); the
re-run skips them while planning. Errors of the pipeline itself (no model on a
worker) stop the run, as they do locally.

Where results go. With the SQLite store the client is the single writer and
workers send back compact results (the ``Article`` objects, not the pages).
With a PostgreSQL store (``ClusterEngine(store_url=...)``, ``writes_directly``) the
workers write: each worker process opens the store once per run (``StorePlugin``,
registered when a run starts and unregistered when it ends; a run also removes
the plugins of clients that died without doing so), and a shard's task
(``store_shard``) stores its articles in one transaction (``write_results``:
``add_articles``, one by one only if an item is refused) and returns per-item
outcomes (``ingest.Stored``) and failures; the client's writer then only counts
them and logs the failures in the run's log. Cross-article steps (actor registry
linking, story signatures) run in the workers through the store's services, which
PostgreSQL keeps race-safe for many writers (``store.postgres``: advisory locks on
the registry's blocking keys, ``ON CONFLICT``, retried units of work).

What a directly-writing run guarantees, against a local ingest of the same input
(``tests/e2e/test_cluster_postgres.py`` tests each point):

* the same articles (ids are content hashes, every stored column the same),
  sources, attributions, entities, events, story signatures, failures logged,
  actors (names, types, counts, the mentions linked to each) and counters;
* the same ``Summary`` counts. Which of two sources of one text is ``new`` and which
  ``new_source`` is decided by whichever commits first, not by input order, but
  exactly one of them is ``new``, so the counts agree. (The article row is
  the first committed source's; sources that differ only in their name give
  the same row.) Not guaranteed: write order (``seq``), registry keys (made from
  the first mention linked), and a link the matcher decides from the context of
  actors seen so far (a borderline name score) can differ when articles arrive in
  another order, as between two local runs in different input orders; a fuller
  name renames an actor whichever came first;
* one exception to the counts: a worker that dies after its shard committed and
  before Dask heard of the result has its shard run again, which finds its sources
  stored and reports them ``skipped`` (as a re-run would), not ``new``. The store
  is the same; only those items' counts move from ``new``/``new_source`` to ``skipped``.

Cost of the one transaction: it holds the registry name locks of all its shard's articles
until it commits, so shards naming one person are written one after the other (their
analysis still runs side by side); ``bench/cluster.py --postgres`` measures 2 workers.

A retried or re-run shard adds nothing twice: a killed worker's open transaction is
rolled back by the server; a committed one makes the re-run's items ``duplicate``
at the store, reported as ``skipped`` (``write_results``). A client killed mid-run
leaves its running shards to finish and commit (a worker's thread cannot be stopped);
the re-run skips them while planning, or stores the same ids again as no-ops.

Timeouts. A shard still unfinished ``Settings.item_timeout`` x its items seconds
after its results were first waited for is cancelled, its worker restarted, and
it runs again one item a shard; an item past ``item_timeout`` alone fails as
``extract.timeout``.

Reading a range. A WARC shard seeks to its first record (``sources.warc.iter_warc``
with ``start``; the offsets come from ``sources.warc.record_offsets``, which stops at the
first damaged record as the reader does, so no shard starts past damage a local run stops
at) and stops after its range. A JSONL shard reads its file from the start (lines outside
its range are skipped undecoded) and stops after its range, so a large JSONL file gets larger
shards (``records_per_shard``: re-reading at most ``REREAD_SHARE`` of the work).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import stat
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import dask
from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin
from distributed.utils import CancelledError

from newsgraph.config import Settings
from newsgraph.errors import InputError, NewsgraphError, StoreError
from newsgraph.ingest import STORE_ITEM_CODES, Extracted, Stored, as_stored, process_item
from newsgraph.sources import gate
from newsgraph.sources._context import Context
from newsgraph.sources.fetch import host_key
from newsgraph.types import Failure, RawDocument

__all__ = ["FILES_PER_SHARD", "PAGES_PER_SHARD", "RECORDS_PER_SHARD", "SHARDS_PER_THREAD", "ClusterEngine",
           "Documents", "Files", "Pages", "PipelinePlugin", "Records", "StorePlugin", "connect", "parse_address", "plan", "records_per_shard",
           "run_shard", "store_shard", "write_results", "writes_directly"]

#: Single-document files per shard: a shard is a few seconds of analysis, so the scheduler's
#: per-task cost (milliseconds) is negligible and the last shards still spread over the workers.
FILES_PER_SHARD = 8
#: Records (WARC responses, JSONL lines) per shard; at least, for JSONL: more in a large file, since
#: a JSONL shard reads its file from the start up to its range (see ``records_per_shard``).
RECORDS_PER_SHARD = 8
#: Seconds to read one byte of a WARC.gz while skipping its records (measured: 41 ms for 1.46 MB here).
READ_SECONDS_PER_BYTE = 3e-8
#: Seconds of work per item on one core: analysed (extract + spaCy), extracted only.
ITEM_SECONDS = {True: 0.2, False: 0.04}
#: Share of a shard's work that re-reading its file up to the range may cost.
REREAD_SHARE = 0.02
#: Items the client read itself (URLs, JSON, stdin) per shard.
DOCUMENTS_PER_SHARD = 8
#: Feed entries of one host per shard (``Pages``), fetched on a worker: at the default politeness
#: delay (1 s) a shard spends ~8 s fetching, while it analyses what it fetched already.
PAGES_PER_SHARD = 8
#: Hosts whose last ``Pages`` shard the engine keeps track of before it forgets finished ones.
HOSTS_KEPT = 256
#: Shards in flight per worker thread: one running, the next ones queued on the worker.
SHARDS_PER_THREAD = 3
#: Dask settings while a run's LocalCluster starts and works. Measured on a one-worker LocalCluster
#: here: the worker's statistical profiler (a stack sample every 10 ms) cost 19% of a busy worker's
#: CPU, and the event-loop ticks and monitors 0.064 CPU-s per second idle; with these, 0.9% and 0.009.
#: Nannies start workers with one BLAS/OpenMP thread, as Dask does, but without Dask's
#: ``MALLOC_TRIM_THRESHOLD_=65536``: glibc then trimmed memory after every article (150 analysed
#: articles: 5.4 s of system time instead of 1.2 s, wall 38 s instead of 29 s).
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
}
#: Seconds to wait for a scheduler to answer, and for its first worker to join.
WORKER_WAIT = 30.0

Result = Extracted | Failure | Stored


# --------------------------------------------------------------------------- shards


@dataclass(frozen=True, slots=True)
class Documents:
    """Items the client read (stdin, URLs, feeds, JSON files) or failures of its specs."""

    items: tuple[RawDocument | Failure, ...]

    def read(self, settings: Settings) -> Iterator[RawDocument | Failure]:
        yield from self.items

    def __len__(self) -> int:
        return len(self.items)

    def split(self) -> list[Documents]:
        return [Documents((item,)) for item in self.items]

    def sources(self) -> list[str]:
        return [item.source for item in self.items]


@dataclass(frozen=True, slots=True)
class Files:
    """Single-document files (HTML, text), read on the worker as the folder walk reads them."""

    paths: tuple[str, ...]

    def read(self, settings: Settings) -> Iterator[RawDocument | Failure]:
        from newsgraph.sources._context import Context
        from newsgraph.sources.files import iter_file

        ctx = Context(settings)
        try:
            for path in self.paths:
                for item in ctx.guarded(path, iter_file(path, ctx)):
                    yield gate.clean_item(item)
        finally:
            ctx.close()

    def __len__(self) -> int:
        return len(self.paths)

    def split(self) -> list[Files]:
        return [Files((p,)) for p in self.paths]

    def sources(self) -> list[str]:
        return [gate.clean_name(p) for p in self.paths]


@dataclass(frozen=True, slots=True)
class Records:
    """The records of a WARC (``kind="warc"``, keys are byte offsets) or JSONL file (``"jsonl"``,
    keys are line numbers) from ``start`` up to ``end`` (exclusive; None: the end of the file).
    ``keys`` are the records the index found in the range (for splitting and progress);
    ``stored`` the sources already in the store, not read again. The file's own failures
    (missing, empty, damaged at the start) belong to the shard with ``start == 0``."""

    path: str
    kind: str
    start: int
    end: int | None
    keys: tuple[int, ...]
    stored: frozenset[str] = frozenset()

    def _key(self, source: str) -> int | None:
        """The record key in ``source`` (``path#offset`` / ``path:line``), None for the file itself."""
        sep = "#" if self.kind == "warc" else ":"
        prefix = gate.clean_name(self.path) + sep
        rest = source[len(prefix):] if source.startswith(prefix) else ""
        return int(rest) if rest.isdigit() else None

    def owns(self, source: str) -> bool:
        key = self._key(source)
        if key is None:
            return self.start == 0
        return self.start <= key and (self.end is None or key < self.end)

    def read(self, settings: Settings) -> Iterator[RawDocument | Failure]:
        """The reader's items that this shard owns; reading stops at the first record past the range."""
        from newsgraph.sources._context import Context
        from newsgraph.sources.files import iter_file

        ctx = Context(settings, skip_source=self._skip)
        if self.kind == "warc" and self.start:
            from newsgraph.sources.warc import iter_warc

            items = iter_warc(self.path, ctx, start=self.start)  # seek to the range
        else:
            items = iter_file(self.path, ctx)
        try:
            for item in ctx.guarded(self.path, items):
                item = gate.clean_item(item)
                if self.owns(item.source):
                    yield item
        except _PastRange:
            return
        finally:
            ctx.close()

    def _skip(self, source: str) -> bool:
        """The reader's resume filter: records of other shards and stored ones are not read."""
        key = self._key(source)
        if key is not None and self.end is not None and key >= self.end:
            raise _PastRange
        return source in self.stored or not self.owns(source)

    def __len__(self) -> int:
        return len(self.keys)

    def split(self) -> list[Records]:
        """One shard per record (the first keeps the file's own failures, the last the file's end)."""
        bounds = [self.start, *self.keys[1:]] if self.keys else [self.start]
        ends = [*bounds[1:], self.end]
        return [Records(self.path, self.kind, lo, hi, self.keys[i:i + 1], self.stored)
                for i, (lo, hi) in enumerate(zip(bounds, ends, strict=True))]

    def sources(self) -> list[str]:
        sep = "#" if self.kind == "warc" else ":"
        return [gate.clean_name(f"{self.path}{sep}{k}") for k in self.keys]


class _PastRange(BaseException):  # noqa: N818 - control flow, like StopIteration; no reader catches it
    """Raised by ``Records._skip`` at the first record after the shard's range: stop reading."""


@dataclass(frozen=True, slots=True)
class Pages:
    """Feed entries whose pages are all on one ``host`` (``sources.fetch.host_key``), fetched on the
    worker: ``entries`` are ``(link, entry meta)`` as ``sources.feeds.iter_feed`` fetches them. A
    host's shards run one after the other (``ClusterEngine`` makes each depend on the one before),
    and one that ``follows`` another waits ``politeness_delay`` before its first request, so two
    requests to one host are never closer than a local run makes them, whichever worker runs each."""

    host: str
    entries: tuple[tuple[str, dict[str, Any]], ...]
    follows: bool = False

    def read(self, settings: Settings) -> Iterator[RawDocument | Failure]:
        if self.follows:
            time.sleep(settings.politeness_delay)
        yield from _prefetched(self._fetch(settings))

    def _fetch(self, settings: Settings) -> Iterator[RawDocument | Failure]:
        ctx = Context(settings, fetcher=_worker_fetcher(settings))
        for link, meta in self.entries:
            for item in ctx.guarded(link, ctx.url_items(link, meta=dict(meta), allow_feed=False)):
                yield gate.clean_item(item)

    def __len__(self) -> int:
        return len(self.entries)

    def split(self) -> list[Pages]:
        return [Pages(self.host, (e,), True) for e in self.entries]

    def sources(self) -> list[str]:
        return [gate.clean_name(link) for link, _ in self.entries]


#: This worker process's fetcher, kept across shards: robots.txt once per host, one politeness clock.
_FETCHER: dict[str, Any] = {}


def _worker_fetcher(settings: Settings) -> Any:
    from newsgraph.sources.fetch import Fetcher

    key = repr(settings)  # (Settings holds a dict: not hashable)
    if key not in _FETCHER:
        for old in _FETCHER.values():
            old.close()
        _FETCHER.clear()
        _FETCHER[key] = Fetcher(settings)
    return _FETCHER[key]


def _prefetched(items: Iterator[RawDocument | Failure], ahead: int = PAGES_PER_SHARD
                ) -> Iterator[RawDocument | Failure]:
    """``items`` read on a thread up to ``ahead`` in advance, so a shard analyses page k while the
    fetcher waits out the politeness delay before page k+1 (the wait releases the GIL)."""
    import queue
    import threading

    box: queue.Queue[Any] = queue.Queue(maxsize=ahead)
    end, stop = object(), threading.Event()

    def pump() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                box.put(item)
            box.put(end)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the task's thread
            box.put(exc)

    thread = threading.Thread(target=pump, name="newsgraph-fetch", daemon=True)
    thread.start()
    try:
        while (got := box.get()) is not end:
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        while thread.is_alive():  # unblock a pump waiting on a full queue
            with contextlib.suppress(Exception):
                box.get_nowait()
            thread.join(0.05)


Shard = Documents | Files | Records | Pages


def records_per_shard(file_bytes: int, least: int = RECORDS_PER_SHARD, analyze: bool = True) -> int:
    """Records per shard of a file: ``least``, or more so that reading the file up to a shard
    (half the file on average) costs at most ``REREAD_SHARE`` of the shard's work."""
    reread = file_bytes / 2 * READ_SECONDS_PER_BYTE
    return max(least, math.ceil(reread / (REREAD_SHARE * ITEM_SECONDS[analyze])))


def run_shard(shard: Shard, settings: Settings, analyze: bool, after: Any = None) -> list[Result]:
    """The worker task: read the shard and process each item (``ingest.process_item``). ``after``:
    the result of the shard this one must follow (a ``Pages`` shard's host), unused."""
    return [process_item(item, settings, analyze=analyze) for item in shard.read(settings)]


# --------------------------------------------------------------------------- workers writing (PostgreSQL)


def writes_directly(store_url: str | None) -> bool:
    """Whether workers store their shards themselves: a PostgreSQL store (many writers); a
    SQLite file has one writer, the client."""
    from newsgraph.store import POSTGRES_SCHEMES

    return store_url is not None and str(store_url).startswith(POSTGRES_SCHEMES)


#: ``StorePlugin`` names start with this; they end with ``@`` and the client's id.
STORE_PLUGIN = "newsgraph-store-"
#: The stores this worker process has open, by ``StorePlugin`` name (one per run).
_STORES: dict[str, Any] = {}


class StorePlugin(WorkerPlugin):
    """Opens a run's store once per worker process (when it joins, or its nanny restarts it), and
    closes it when the run ends (``ClusterEngine`` unregisters the plugin)."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name

    def setup(self, worker: Any) -> None:
        _worker_store(self.url, self.name)

    def teardown(self, worker: Any) -> None:
        store = _STORES.pop(self.name, None)
        if store is not None:
            store.close()


def _worker_store(url: str, name: str) -> Any:
    store = _STORES.get(name)
    if store is None:
        from newsgraph.store import open_store

        store = _STORES[name] = open_store(url)
    return store


def store_shard(shard: Shard, settings: Settings, analyze: bool, url: str, plugin: str,
                after: Any = None) -> list[Stored | Failure]:
    """The worker task on a PostgreSQL store: ``run_shard``, then ``write_results`` to the store
    this worker opened for the run (``StorePlugin``)."""
    return write_results(_worker_store(url, plugin), run_shard(shard, settings, analyze), analyze)


def write_results(store: Any, results: list[Result], analyze: bool) -> list[Stored | Failure]:
    """Store a shard's articles in one transaction (``add_articles``: all or none, so a shard run
    again after its worker died mid-write starts from nothing), or one by one if an item is refused
    (a string the store cannot hold: that item fails alone); each item's outcome, in order.

    Outcomes are ``add_article``'s, except that an item whose source the store already held (its
    outcome ``duplicate``, and ``has_source`` true) is ``skipped``, as a local run that asks
    ``has_source`` just before reading counts it."""
    extracted = [r for r in results if isinstance(r, Extracted)]
    outcomes: list[str | Failure]
    try:
        outcomes = list(store.add_articles([(as_stored(r), r.analysis) for r in extracted]))
    except StoreError as exc:
        if exc.code not in STORE_ITEM_CODES:
            raise
        outcomes = [_add_one(store, r) for r in extracted]
    done = iter(zip(extracted, outcomes, strict=True))
    return [r if isinstance(r, Failure) else _stored(store, *next(done), analyze) for r in results]


def _add_one(store: Any, result: Extracted) -> str | Failure:
    try:
        return store.add_article(as_stored(result), analysis=result.analysis)
    except StoreError as exc:
        if exc.code not in STORE_ITEM_CODES:
            raise
        return Failure(result.article.source, exc.code, gate.one_line(exc.message))


def _stored(store: Any, result: Extracted, outcome: str | Failure, analyze: bool) -> Stored | Failure:
    if isinstance(outcome, Failure):
        return outcome
    source = result.article.source
    if outcome == "duplicate" and store.has_source(source, analysed=analyze):
        return Stored(source, result.article.id, "skipped")
    return Stored(source, result.article.id, outcome, result.problem)


# --------------------------------------------------------------------------- planning


@dataclass(slots=True)
class _Planner:
    settings: Settings
    skip: Callable[[str], bool]
    stdin: BinaryIO | None = None
    transport: Any = None
    records_per_shard: int = RECORDS_PER_SHARD
    analyze: bool = True
    pages_per_shard: int = PAGES_PER_SHARD
    _docs: list[RawDocument | Failure] = field(default_factory=list)
    _pages: list[tuple[str, tuple[str, dict[str, Any]]]] = field(default_factory=list)
    _ctx: Any = None

    def plan(self, specs: Iterable[str]) -> Iterator[Shard | Failure]:
        from newsgraph.sources._context import Context

        # An injected transport (tests) cannot travel to the workers: its feeds' pages are fetched here.
        kind = Context if self.transport is not None else _PlanningContext
        self._ctx = kind(self.settings, skip_source=self.skip, transport=self.transport)
        try:
            for spec in specs:
                for unit in self._spec(spec):
                    if not isinstance(unit, Documents):  # anything else: the client-read batch goes first
                        yield from self._flush_docs()
                    yield unit
            yield from self._flush_docs()
        finally:
            self._ctx.close()

    # -- one spec --------------------------------------------------------------

    def _spec(self, spec: str) -> Iterator[Shard | Failure]:
        from newsgraph.sources import is_url

        if spec == "-" or is_url(spec):
            yield from self._client_read(spec)
            return
        try:
            st = os.stat(spec)
        except (OSError, ValueError):
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            yield from self._folder(spec)
        elif st is not None and stat.S_ISREG(st.st_mode):
            yield from self._file(spec)
        else:  # missing, a FIFO, a device: the reader's own failure, read here
            yield from self._client_read(spec)

    def _folder(self, folder: str) -> Iterator[Shard | Failure]:
        from newsgraph.sources.files import walk

        found = False
        for entry in walk(folder):
            found = True
            if isinstance(entry, Failure):
                yield gate.clean_item(entry)  # type: ignore[misc]
            else:
                yield from self._file(entry)
        if not found:
            yield Failure(gate.clean_name(folder), "input.empty", "folder holds no supported files")

    def _file(self, path: str) -> Iterator[Shard | Failure]:
        from newsgraph.sources.files import file_format

        fmt = file_format(os.path.basename(path))
        kind = fmt[0] if fmt else None
        if kind in ("html", "text"):
            if not self.skip(gate.clean_name(path)):
                yield Files((path,))
        elif kind == "warc":
            yield from self._records(path, "warc", _warc_offsets(path))
        elif kind == "jsonl":
            yield from self._records(path, "jsonl", _jsonl_keys(path))
        else:  # JSON, feeds (their entries are fetched), unsupported names: read here
            yield from self._client_read(path)

    def _records(self, path: str, kind: str, keys: Iterable[int]) -> Iterator[Records]:
        """Shards of ``records_per_shard`` records not yet stored; the first and last always
        (the file's own failures: missing, empty, damaged at the end)."""
        sep = "#" if kind == "warc" else ":"
        per_shard = self.records_per_shard
        if kind == "jsonl":  # read from the start by each shard (a WARC shard seeks)
            with contextlib.suppress(OSError):
                per_shard = records_per_shard(os.stat(path).st_size, per_shard, self.analyze)
        start, todo, stored = 0, [], set()
        for key in keys:
            source = gate.clean_name(f"{path}{sep}{key}")
            if self.skip(source):
                stored.add(source)
                continue
            if len(todo) == per_shard:
                yield Records(path, kind, start, key, tuple(todo), frozenset(stored))
                start, todo, stored = key, [], set()
            todo.append(key)
        yield Records(path, kind, start, None, tuple(todo), frozenset(stored))

    def _client_read(self, spec: str) -> Iterator[Shard | Failure]:
        """What ``iter_raw`` yields for ``spec``, read here with the run's one context (one
        fetcher: one politeness clock per host for every feed and URL of the run), except that
        a feed's entries (``_Entry``, from ``_PlanningContext``) become ``Pages`` of one host each,
        fetched on the workers."""
        from newsgraph.sources import _iter_spec

        for item in self._ctx.guarded(spec, _iter_spec(spec, self._ctx, self.stdin)):
            if isinstance(item, _Entry):
                yield from self._flush_docs()
                if self._pages and (self._pages[0][0] != item.host or len(self._pages) >= self.pages_per_shard):
                    yield from self._flush_pages()
                self._pages.append((item.host, (item.link, item.meta)))
                continue
            yield from self._flush_pages()
            self._docs.append(gate.clean_item(item))
            if len(self._docs) >= DOCUMENTS_PER_SHARD:
                yield from self._flush_docs()
        yield from self._flush_pages()

    def _flush_pages(self) -> Iterator[Shard | Failure]:
        if self._pages:
            pages, self._pages = self._pages, []
            yield Pages(pages[0][0], tuple(entry for _, entry in pages))

    def _flush_docs(self) -> Iterator[Shard | Failure]:
        if self._docs:
            docs, self._docs = tuple(self._docs), []
            if all(isinstance(d, Failure) for d in docs):
                yield from docs  # type: ignore[misc]
            else:
                yield Documents(docs)


@dataclass(frozen=True, slots=True)
class _Entry:
    """A feed entry to be fetched on a worker (what ``_PlanningContext.url_items`` gives for it)."""

    link: str
    meta: dict[str, Any]
    host: str


class _PlanningContext(Context):
    """The planner's ``Context``: a feed is fetched and parsed here (``iter_feed`` asks the resume
    filter about each entry and drops links listed twice), but an entry's page is not fetched: it
    comes out as an ``_Entry`` for a ``Pages`` shard."""

    def url_items(self, url: str, *, source: str | None = None, meta: dict[str, Any] | None = None,
                  allow_feed: bool = True) -> Iterator[Any]:
        host = host_key(url)
        if allow_feed or source not in (None, url) or host is None:
            yield from super().url_items(url, source=source, meta=meta, allow_feed=allow_feed)
            return
        yield _Entry(url, dict(meta or {}), host)


def _merge_files(units: Iterator[Shard | Failure], per_shard: int) -> Iterator[Shard | Failure]:
    """Consecutive one-file shards joined into shards of ``per_shard`` files."""
    batch: list[str] = []
    for unit in units:
        if isinstance(unit, Files):
            batch.extend(unit.paths)
            if len(batch) >= per_shard:
                yield Files(tuple(batch))
                batch = []
            continue
        if batch:
            yield Files(tuple(batch))
            batch = []
        yield unit
    if batch:
        yield Files(tuple(batch))


def plan(specs: Iterable[str], settings: Settings, skip: Callable[[str], bool], *,
         stdin: BinaryIO | None = None, transport: Any = None, files_per_shard: int = FILES_PER_SHARD,
         records_per_shard: int = RECORDS_PER_SHARD, analyze: bool = True,
         pages_per_shard: int = PAGES_PER_SHARD) -> Iterator[Shard | Failure]:
    """Shards (and failures found while planning) for ``specs``, lazily, in input order.
    ``records_per_shard`` is the least per shard of a WARC or JSONL file (``records_per_shard()``)."""
    planner = _Planner(settings, skip, stdin, transport, records_per_shard, analyze, pages_per_shard)
    return _merge_files(planner.plan(specs), files_per_shard)


def _warc_offsets(path: str) -> Iterator[int]:
    from newsgraph.sources.warc import record_offsets

    return record_offsets(path)


def _jsonl_keys(path: str) -> Iterator[int]:
    """Line numbers (from 1) of a JSONL file's non-blank lines, read in bounded pieces."""
    try:
        fh = gate.open_input(path, source=path)
    except InputError:
        return
    try:
        lineno = 0
        while piece := fh.readline(1 << 16):
            lineno += 1
            blank = not piece.strip()
            while not piece.endswith(b"\n"):
                piece = fh.readline(1 << 16)
                if not piece:
                    break
                blank = blank and not piece.strip()
            if not blank:
                yield lineno
    except OSError:
        return
    finally:
        fh.close()


# --------------------------------------------------------------------------- the cluster


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline once per worker process, when the worker joins or restarts."""

    name = "newsgraph-pipeline"

    def __init__(self, analyze: bool) -> None:
        self.analyze = analyze

    def setup(self, worker: Any) -> None:
        """Load the pipeline; stop the worker's statistical profiler (``DASK_CONFIG``: workers
        started with ``dask worker`` have it on unless their own configuration says otherwise)."""
        from newsgraph.extract.language import preload

        for name in ("profile", "profile-cycle"):
            callback = getattr(worker, "periodic_callbacks", {}).pop(name, None)
            if callback is not None:
                callback.stop()

        preload()
        if self.analyze:
            from newsgraph.analyze import get_nlp

            get_nlp()


def parse_address(address: str) -> tuple[str, int | str]:
    """``("local", N)`` for ``local:N``, else ``("remote", address)``; ``ValueError`` if bad."""
    if address.startswith("local:"):
        n = address.removeprefix("local:")
        if not n.isdigit() or not 1 <= int(n) <= 256:
            raise ValueError(f"local:N needs a number of worker processes from 1 to 256, not {n!r}")
        return "local", int(n)
    if "://" not in address and ":" not in address:
        raise ValueError(f"a scheduler address is tcp://HOST:PORT or local:N, not {address!r}")
    return "remote", address


@contextlib.contextmanager
def connect(address: str, *, analyze: bool = True, timeout: float = WORKER_WAIT) -> Iterator[Any]:
    """A ``distributed.Client`` for ``address`` (starting a ``LocalCluster`` for ``local:N``),
    with ``PipelinePlugin`` registered; closed (and the local cluster stopped) on exit.
    A scheduler that does not answer, or has no worker, within ``timeout`` seconds:
    ``NewsgraphError`` ``cluster.unreachable``."""
    kind, target = parse_address(address)
    with dask.config.set(DASK_CONFIG):
        with _client(kind, target, address, analyze, timeout) as client:
            yield client


@contextlib.contextmanager
def _client(kind: str, target: int | str, address: str, analyze: bool, timeout: float) -> Iterator[Any]:
    cluster = None
    if kind == "local":
        cluster = LocalCluster(n_workers=int(target), threads_per_worker=1, processes=True,
                               dashboard_address=None, host="127.0.0.1", silence_logs=logging.CRITICAL)
        client = Client(cluster)
    else:
        try:
            client = Client(str(target), timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise NewsgraphError(f"no Dask scheduler answers at {target} ({type(exc).__name__}: {exc})",
                                 source=str(target), code="cluster.unreachable") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise NewsgraphError(f"the Dask scheduler at {address} has no worker (waited {timeout:g} s)",
                                 source=address, code="cluster.unreachable") from exc
        client.register_plugin(PipelinePlugin(analyze), name=PipelinePlugin.name)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def worker_threads(client: Any) -> int:
    """Threads across the cluster's workers (at least 1)."""
    return max(1, sum(client.nthreads().values()))


# --------------------------------------------------------------------------- the engine


@dataclass(slots=True)
class _Pending:
    shard: Shard | None
    future: Any = None
    ready: list[Result] | None = None


class ClusterEngine:
    """``ingest.Engine`` on a Dask client: plan here, run shards on the workers, results in order.

    ``planned`` (items planned so far) and ``planning_done`` feed the progress display."""

    def __init__(self, client: Any, *, files_per_shard: int = FILES_PER_SHARD,
                 records_per_shard: int = RECORDS_PER_SHARD, in_flight: int | None = None,
                 store_url: str | None = None, pages_per_shard: int = PAGES_PER_SHARD) -> None:
        self.client = client
        self.pages_per_shard = pages_per_shard
        self.files_per_shard, self.records_per_shard = files_per_shard, records_per_shard
        self.in_flight = in_flight
        #: The store's URL when the workers write to it themselves (``writes_directly``), else None.
        self.store_url = str(store_url) if writes_directly(store_url) else None
        self._plugin: str | None = None  # the StorePlugin of the call under way
        self._hosts: dict[str, Any] = {}  # host -> its last Pages shard's future (``_submit``)
        self.planned = 0
        self.planning_done = False
        self._run = uuid.uuid4().hex[:8]
        self._n = 0

    def __call__(self, specs: Iterable[str], settings: Settings, *, skip: Callable[[str], bool], analyze: bool,
                 stdin: BinaryIO | None = None, transport: Any = None) -> Iterator[Result]:
        units = plan(specs, settings, skip, stdin=stdin, transport=transport, files_per_shard=self.files_per_shard,
                     records_per_shard=self.records_per_shard, analyze=analyze, pages_per_shard=self.pages_per_shard)
        limit = self._limit()
        window: deque[_Pending] = deque()
        self._open_stores()
        try:
            for unit in units:
                if self._n % 16 == 15:  # workers may have joined or left
                    limit = self._limit()
                if isinstance(unit, Failure):
                    window.append(_Pending(None, ready=[unit]))
                    self.planned += 1
                else:
                    window.append(self._submit(unit, settings, analyze))
                    self.planned += len(unit)
                while window and (window[0].ready is not None
                                  or sum(p.future is not None for p in window) >= limit):
                    yield from _unless_stored(self._take(window, settings, analyze), skip)
            self.planning_done = True
            while window:
                yield from _unless_stored(self._take(window, settings, analyze), skip)
        finally:
            for p in window:
                if p.future is not None:
                    p.future.cancel()
            self._hosts.clear()
            self._close_stores()

    def _open_stores(self) -> None:
        """Workers writing directly: each opens the store once for this call (``StorePlugin``)."""
        if self.store_url is None:
            return
        for stale in self.client.run_on_scheduler(_orphaned_store_plugins):
            with contextlib.suppress(Exception):
                self.client.unregister_worker_plugin(stale)
        name = f"{STORE_PLUGIN}{uuid.uuid4().hex[:12]}@{self.client.id}"
        self.client.register_plugin(StorePlugin(self.store_url, name), name=name)  # a worker's store error: raised
        self._plugin = name

    def _close_stores(self) -> None:
        if self._plugin is not None:
            name, self._plugin = self._plugin, None
            with contextlib.suppress(Exception):  # a worker gone meanwhile closed its store with it
                self.client.unregister_worker_plugin(name)

    def _limit(self) -> int:
        return self.in_flight or worker_threads(self.client) * SHARDS_PER_THREAD

    def _submit(self, shard: Shard, settings: Settings, analyze: bool, *, chain: bool = True) -> _Pending:
        """Submit ``shard``; a ``Pages`` shard runs after its host's previous shard of this run (a
        dependency; ``chain=False``: not, when that one was lost) and waits the politeness delay first."""
        self._n += 1
        key = f"newsgraph-shard-{self._run}-{self._n}"
        after = None
        if isinstance(shard, Pages):
            prev = self._hosts.get(shard.host)
            if prev is not None:
                shard = dataclasses.replace(shard, follows=True)
                after = prev if chain and prev.status == "pending" else None
        if self._plugin is not None:
            future = self.client.submit(store_shard, shard, settings, analyze, self.store_url, self._plugin,
                                        after=after, key=key, pure=False)
        else:
            future = self.client.submit(run_shard, shard, settings, analyze, after=after, key=key, pure=False)
        if isinstance(shard, Pages):
            if len(self._hosts) >= HOSTS_KEPT:  # forget hosts whose last shard is done (its result goes)
                self._hosts = {h: f for h, f in self._hosts.items() if f.status == "pending"}
            self._hosts[shard.host] = future
        return _Pending(shard, future)

    def _take(self, window: deque[_Pending], settings: Settings, analyze: bool) -> Iterator[Result]:
        """The oldest shard's results (waiting for them). A shard that kept killing workers, or
        is unfinished ``item_timeout`` x its items seconds after it was first waited for (its
        worker is restarted: a thread cannot be stopped), is split into one-item shards; a
        one-item shard fails as ``extract.crashed`` or ``extract.timeout``, as in the local pool."""
        head = window[0]
        if head.ready is None:
            assert head.shard is not None
            limit = settings.item_timeout * max(1, len(head.shard))
            try:
                head.ready = head.future.result(timeout=limit)
            except KilledWorker as exc:
                if exc.task != head.future.key:  # the host's shard before this one (``Pages``) killed workers
                    window[0] = self._submit(head.shard, settings, analyze, chain=False)
                    return
                failed = ("crashed", f"the worker process died on this item ({type(exc).__name__})")
            except CancelledError:  # the host's shard before this one was stuck and cancelled (``_stop``)
                window[0] = self._submit(head.shard, settings, analyze, chain=False)
                return
            except TimeoutError:
                self._stop(head.future)
                failed = ("timeout", f"took longer than {settings.item_timeout:g} s")
            if head.ready is None:
                window.popleft()
                window.extendleft(reversed(self._retry(head.shard, settings, analyze, *failed)))
                return
        window.popleft()
        yield from head.ready

    def _retry(self, shard: Shard, settings: Settings, analyze: bool, kind: str, reason: str) -> list[_Pending]:
        if len(shard) <= 1:
            sources = shard.sources() or [gate.clean_name(getattr(shard, "path", "?"))]
            return [_Pending(None, ready=[Failure(sources[0], f"extract.{kind}", gate.one_line(reason))])]
        return [self._submit(part, settings, analyze) for part in shard.split()]

    def _stop(self, future: Any) -> None:
        """Cancel a stuck shard and restart the worker running it (its nanny starts a new one)."""
        try:
            address = self.client.run_on_scheduler(_processing_on, key=future.key)
        except Exception:  # noqa: BLE001 - the scheduler cannot say: the task is cancelled all the same
            address = None
        future.cancel()
        if address:
            try:
                self.client.restart_workers([address], timeout=WORKER_WAIT, raise_for_error=False)
            except Exception as exc:  # noqa: BLE001 - no nanny: that worker keeps its stuck thread
                logging.getLogger(__name__).warning("could not restart the stuck worker %s: %s", address, exc)

    def run_items(self, items: Iterable[RawDocument | Failure], settings: Settings, *,
                  analyze: bool) -> Iterator[Result]:
        """Items read elsewhere (``newsgraph watch`` fetches its feeds' pages itself), one ``Documents``
        shard each, run as ``__call__`` runs shards: results in order, at most ``in_flight`` shards
        out (items pulled lazily), the same faults handled (``_take``)."""
        limit = self._limit()
        window: deque[_Pending] = deque()
        try:
            for item in items:
                window.append(_Pending(None, ready=[item]) if isinstance(item, Failure)
                              else self._submit(Documents((item,)), settings, analyze))
                while window and (window[0].ready is not None or sum(p.future is not None for p in window) >= limit):
                    yield from self._take(window, settings, analyze)
            while window:
                yield from self._take(window, settings, analyze)
        finally:
            for p in window:
                if p.future is not None:
                    p.future.cancel()


def _orphaned_store_plugins(dask_scheduler: Any) -> list[str]:
    """(On the scheduler) the ``StorePlugin`` names of clients gone without unregistering them (killed):
    their workers still hold the store open; the next run closes it."""
    return [name for name in dask_scheduler.worker_plugins
            if name.startswith(STORE_PLUGIN) and name.rpartition("@")[2] not in dask_scheduler.clients]


def _processing_on(dask_scheduler: Any, key: str) -> str | None:
    """(On the scheduler) the address of the worker running task ``key``, if any."""
    task = dask_scheduler.tasks.get(key)
    worker = getattr(task, "processing_on", None)
    return worker.address if worker is not None else None


def _unless_stored(results: Iterable[Result], skip: Callable[[str], bool]) -> Iterator[Result]:
    """Results, less those whose source counts as stored by now: planning runs ahead of writing,
    so an item may have been planned before an earlier item of this run stored its article (a
    second source of an article this run has just analysed). Asked again at writing time, it is
    ``skipped`` as in a local ingest, which asks just before reading."""
    for result in results:
        if isinstance(result, Extracted) and skip(result.article.source):
            continue
        yield result
