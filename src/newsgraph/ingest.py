"""Batch ingest: sources -> extract -> store, one item at a time, never stopping.

The driver reads like the algorithm:

1. ``sources.iter_raw`` streams ``RawDocument`` items (or per-item
   ``Failure`` records) from files, folders, stdin, URLs, feeds and WARC
   files. Sources already in the store are skipped before anything is read or
   fetched (``store.has_source``), which makes a re-run after a crash cheap.
   With analysis on, a source counts as stored only once its article has been
   analysed: an article stored by ``--no-analyze`` is read again and gets its
   analysis (outcome ``analysed``).
2. Each document is extracted (and analysed). Extraction is CPU-bound, so past
   the first few items it runs in a small process pool with a bounded window of
   in-flight items (``newsgraph.workers.map_ordered``): memory stays flat however
   many inputs there are, results are consumed in input order, a worker that
   dies (a crash, the kernel's OOM killer) costs only the item that killed it,
   and an item that runs past ``Settings.item_timeout`` fails alone. Steps 1 and 2
   are the run's *engine* (``local_engine``); ``newsgraph.cluster`` provides one that
   reads and processes shards of the input on a Dask cluster (``ingest --cluster``),
   each item through ``process_item`` as here, the results coming back in input order.
3. Each article is written by ``store.add_article`` in one transaction. A
   process killed at any moment leaves whole articles only; the re-run skips
   what is there and writes the rest. Same text = same id, so nothing is
   duplicated either way.
4. Every failure is written to the store's ingest log with its code, including
   per-item store errors (a string the store cannot hold, a row too big): the
   item fails, the run goes on. Errors of the store itself (disk full, I/O,
   corruption, locked) stop the run, as do ``STORE_FAILURE_LIMIT`` item-level
   store errors in a row (then the store, not the items, is the problem).
5. The run is recorded as ``finished``, or ``interrupted`` when anything stops
   it (SIGTERM or Ctrl-C through ``interruptible()``, a fatal error); a run
   whose process was killed outright is marked ``interrupted`` by the next run.

Nothing is lost when analysis fails on one article: the clean article is
stored without analysis and the item's ``analyze.failed`` is logged, so a later
analysing ingest or ``newsgraph analyze --store`` can try again. Every stored
article carries its analysis status (``Article.analysis``): analysed, or not
analysed and why (no pipeline for its language, analysis failed, ``--no-analyze``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from newsgraph.config import Settings
from newsgraph.errors import ExtractionRejected, NewsgraphError, StoreError, is_item_error
from newsgraph.extract import extract
from newsgraph.extract.language import preload as preload_language_model
from newsgraph.sources.gate import one_line
from newsgraph.store import Store
from newsgraph.types import AnalysisStatus, Article, Failure, RawDocument
from newsgraph.workers import INLINE_ITEMS, WINDOW_PER_WORKER, WorkerPool, map_ordered, settings_workers

__all__ = ["INLINE_ITEMS", "WINDOW_PER_WORKER", "Engine", "Extracted", "Interrupted", "Stored", "Summary",
           "as_stored", "extract_stream", "ingest", "interruptible", "local_engine", "process_item", "process_stream",
           "settings_workers"]

#: Store codes that concern the item being written, not the store: that item fails, the run goes on.
STORE_ITEM_CODES = frozenset({"store.invalid", "store.integrity", "store.too_big", "store.error"})
#: Item-level store errors in a row after which the run stops (the store itself is failing).
STORE_FAILURE_LIMIT = 25
#: The analysis status of an article no analysis was asked for (``AnalysisStatus``'s default) ...
NOT_RUN = AnalysisStatus().code
#: ... and what the store records for it: ``ingest --no-analyze``, to be analysed later.
STORED_UNANALYSED = AnalysisStatus.skipped(
    "analyze.skipped", "stored without analysis (ingest --no-analyze); `newsgraph analyze --store` adds it")


@dataclass(slots=True)
class Summary:
    new: int = 0
    new_sources: int = 0
    duplicates: int = 0
    skipped: int = 0
    analysed: int = 0  # stored earlier without analysis, analysed now
    failed: Counter[str] = field(default_factory=Counter)

    @property
    def n_failed(self) -> int:
        return sum(self.failed.values())

    @property
    def seen(self) -> int:
        return self.new + self.new_sources + self.duplicates + self.skipped + self.analysed + self.n_failed

    def counts(self) -> dict[str, int]:
        """Flat integer counts (failures as ``failed.<code>``), for the run log."""
        flat = {k: v for k, v in self.as_dict().items() if isinstance(v, int)}
        return flat | {f"failed.{code}": n for code, n in sorted(self.failed.items())}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.new,
            "new_sources": self.new_sources,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "analysed": self.analysed,
            "failed": self.n_failed,
            "failed_by_code": dict(sorted(self.failed.items())),
        }


@dataclass(frozen=True, slots=True)
class Extracted:
    """One extracted article, the analysis that filled it (None: not analysed), and the
    item's analysis failure when analysis was asked for and failed (the article is kept)."""

    article: Article
    analysis: str | None = None
    problem: Failure | None = None


@dataclass(frozen=True, slots=True)
class Stored:
    """An item an engine's worker has stored itself (``newsgraph.cluster`` on a PostgreSQL store):
    its ``add_article`` outcome (``new``, ``new_source``, ``analysed``; ``skipped`` for a source the
    store held already), and the item's analysis failure to log, if any. The writer only counts it."""

    source: str
    article_id: str
    outcome: str
    problem: Failure | None = None


def as_stored(result: Extracted) -> Article:
    """The article as the store keeps it: one no analysis was asked for says so (``STORED_UNANALYSED``)."""
    article = result.article
    if result.analysis is None and article.analysis.code == NOT_RUN:
        article = dataclasses.replace(article, analysis=dataclasses.replace(STORED_UNANALYSED,
                                                                            language=article.language))
    return article


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error of the program
    """SIGTERM arrived (see ``interruptible``): stop now, record the run as interrupted."""


@contextlib.contextmanager
def interruptible(signals: tuple[int, ...] = (signal.SIGTERM,)) -> Iterator[None]:
    """Within this block SIGTERM (each of ``signals``: ``newsgraph watch`` adds SIGINT) raises
    ``Interrupted`` in the main thread, so ``finally`` clauses run: workers are stopped, the run
    is recorded as interrupted. A no-op off the main thread (signal handlers can only be set there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: Any) -> None:
        if _WRITING["depth"]:  # mid-write: stop right after it, so what is stored is counted
            _WRITING["pending"] = signum
            return
        raise Interrupted(f"signal {signum}")

    previous = {signum: signal.signal(signum, on_term) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


#: an article written to the store and counted is one step: SIGTERM waits for its end
_WRITING: dict[str, int] = {"depth": 0, "pending": 0}


@contextlib.contextmanager
def _one_write() -> Iterator[None]:
    """Within this block a SIGTERM is held until the block ends (``interruptible``), so a stored
    article is never left out of the run's counts."""
    _WRITING["depth"] += 1
    try:
        yield
    finally:
        _WRITING["depth"] -= 1
        signum = _WRITING["pending"]
        if signum and not _WRITING["depth"]:
            _WRITING["pending"] = 0
            raise Interrupted(f"signal {signum}")


def _extract_one(raw: RawDocument, settings: Settings, clean: bool, analyze: bool = False
                 ) -> Extracted | Failure:
    """Worker entry point: the item's ``Extracted``, or its ``Failure``; never raises for one
    bad document (only for errors of the pipeline itself, such as a missing model)."""
    try:
        article = extract(raw, settings, clean=clean)
    except ExtractionRejected as exc:  # not an article: its kind and metadata go to the log
        return Failure(raw.source, exc.code, one_line(exc.message), kind=exc.kind, title=exc.title,
                       url=exc.url, published=exc.published)
    except NewsgraphError as exc:
        if not is_item_error(exc):
            raise
        return Failure(raw.source, exc.code, one_line(exc.message))
    except Exception as exc:  # noqa: BLE001 - a library choked on this one document: report it, go on
        return Failure(raw.source, "extract.failed", one_line(f"{type(exc).__name__}: {exc}"))
    if not analyze:
        return Extracted(article)
    from newsgraph.analyze import analyze_article
    from newsgraph.analyze.version import analysis_version

    try:
        return Extracted(analyze_article(article, max_chars=settings.max_analyze_chars), analysis_version())
    except NewsgraphError as exc:
        if not is_item_error(exc):
            raise
        problem = Failure(raw.source, exc.code, one_line(exc.message))
    except Exception as exc:  # noqa: BLE001 - keep the clean article, report the analysis
        problem = Failure(raw.source, "analyze.failed", one_line(f"{type(exc).__name__}: {exc}"))
    status = AnalysisStatus.skipped(problem.code, f"analysis failed: {problem.message}", article.language)
    return Extracted(dataclasses.replace(article, analysis=status), None, problem)


def process_item(item: RawDocument | Failure, settings: Settings, *, analyze: bool = False,
                 clean: bool = True) -> Extracted | Failure:
    """One item as a worker processes it (a pool process here, a Dask worker in
    ``newsgraph.cluster``): a ``Failure`` read from the input passes through."""
    return item if isinstance(item, Failure) else _extract_one(item, settings, clean, analyze)


def _crashed(item: RawDocument, reason: str, kind: str) -> Failure:
    """``extract.crashed`` (the worker died on this item) or ``extract.timeout``."""
    return Failure(item.source, f"extract.{kind}", one_line(reason))


def process_stream(
    items: Iterable[RawDocument | Failure],
    settings: Settings,
    *,
    clean: bool = True,
    workers: int | None = None,
    analyze: bool = False,
    pool: WorkerPool | None = None,
) -> Iterator[Extracted | Failure]:
    """Extract (and analyse) a stream of raw documents, in order, with bounded memory.
    ``pool``: a ``workers.WorkerPool`` that outlives this stream (``newsgraph watch``)."""
    preload_language_model()  # loads on a thread while the first items are read and extracted
    yield from map_ordered(
        _extract_one, items, args=(settings, clean, analyze),
        workers=workers if workers is not None else settings_workers(),
        passthrough=_failure_of, crashed=_crashed, timeout=settings.item_timeout, pool=pool,
    )


def _failure_of(item: RawDocument | Failure) -> Failure | None:
    return item if isinstance(item, Failure) else None


def extract_stream(
    items: Iterable[RawDocument | Failure],
    settings: Settings,
    *,
    clean: bool = True,
    workers: int | None = None,
    analyze: bool = False,
) -> Iterator[Article | Failure]:
    """``process_stream`` as articles: an item whose analysis failed is its ``Failure``."""
    for result in process_stream(items, settings, clean=clean, workers=workers, analyze=analyze):
        if isinstance(result, Failure):
            yield result
        else:
            yield result.problem if result.problem is not None else result.article


#: Where items are read and processed: ``engine(specs, settings, skip=..., analyze=..., stdin=...,
#: transport=...)`` yields every item's result in input order, asking ``skip(source)`` before it reads
#: an item (True: already stored, not read). ``local_engine`` below; ``newsgraph.cluster`` runs on Dask
#: (its workers store the articles themselves on a PostgreSQL store: their results are ``Stored``).
Engine = Callable[..., Iterable[Extracted | Failure | Stored]]


def local_engine(workers: int | None = None) -> Engine:
    """Read the sources here, extract and analyse in this machine's process pool."""
    def run(specs: Iterable[str], settings: Settings, *, skip: Callable[[str], bool], analyze: bool,
            stdin: BinaryIO | None = None, transport: Any = None) -> Iterator[Extracted | Failure]:
        from newsgraph.sources import iter_raw

        raw_items = iter_raw(specs, settings, stdin=stdin, transport=transport, skip_source=skip)
        yield from process_stream(raw_items, settings, workers=workers, analyze=analyze)

    return run


def ingest(
    specs: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    argv: list[str] | None = None,
    stdin: BinaryIO | None = None,
    transport: Any = None,
    workers: int | None = None,
    analyze: bool = False,
    on_item: Callable[[Article | Failure, str], None] | None = None,
    engine: Engine | None = None,
) -> Summary:
    """Ingest every item of ``specs`` into ``store``; returns the counts.

    ``on_item(result, outcome)`` is called after each item (progress display);
    ``outcome`` is ``new``, ``new_source``, ``duplicate``, ``analysed``,
    ``skipped`` or a failure code. ``engine`` reads and processes the items
    (default: ``local_engine(workers)``); results are written here either way.
    """
    summary = Summary()
    run_id = store.start_run(list(argv if argv is not None else specs))
    skipped: list[str] = []

    def skip(source: str) -> bool:
        try:
            stored = store.has_source(source, analysed=analyze)
        except StoreError as exc:
            if exc.code not in STORE_ITEM_CODES:
                raise
            return False  # a source the store cannot even look up: read it, and its write fails alone
        if stored:
            skipped.append(source)
        return stored

    status = "interrupted"
    writer = _Writer(store, run_id, summary, on_item)
    try:
        run = engine if engine is not None else local_engine(workers)
        for result in run(specs, settings, skip=skip, analyze=analyze, stdin=stdin, transport=transport):
            summary.skipped += len(skipped)
            skipped.clear()
            writer.write(result)
        summary.skipped += len(skipped)
        status = "finished"
    finally:
        store.finish_run(run_id, summary.counts(), status=status)
    return summary


class _Writer:
    """Writes one result: the article (and its analysis problem, if any) or the failure."""

    def __init__(self, store: Store, run_id: int, summary: Summary,
                 on_item: Callable[[Article | Failure, str], None] | None) -> None:
        self.store, self.run_id, self.summary, self.on_item = store, run_id, summary, on_item
        self.store_failures_in_a_row = 0

    def write(self, result: Extracted | Failure | Stored) -> None:
        with _one_write():
            self._write(result)

    def _write(self, result: Extracted | Failure | Stored) -> None:
        if isinstance(result, Failure):
            if result.code in STORE_ITEM_CODES:  # a worker could not store this item (cluster.py)
                self._store_failed(StoreError(result.message, code=result.code, source=result.source))
            self._fail(result)
            self._done(result, result.code)
            return
        if isinstance(result, Stored):
            self._count(result)
            return
        try:
            outcome = self.store.add_article(as_stored(result), analysis=result.analysis)
        except StoreError as exc:
            self._store_failed(exc)
            failure = Failure(result.article.source, exc.code, one_line(exc.message))
            self._fail(failure)
            self._done(failure, failure.code)
            return
        self.store_failures_in_a_row = 0
        if outcome == "new":
            self.summary.new += 1
        elif outcome == "new_source":
            self.summary.new_sources += 1
        elif outcome == "analysed":
            self.summary.analysed += 1
        else:
            self.summary.duplicates += 1
        if result.problem is not None:
            self._fail(result.problem)
        self._done(result.article, outcome)

    def _store_failed(self, exc: StoreError) -> None:
        """One more item the store refused: raises ``exc`` if the store itself is failing."""
        self.store_failures_in_a_row += 1
        if exc.code not in STORE_ITEM_CODES or self.store_failures_in_a_row >= STORE_FAILURE_LIMIT:
            raise exc

    def _count(self, result: Stored) -> None:
        """An item a worker stored: counted (and its analysis failure logged), nothing written."""
        if result.outcome == "skipped":
            self.summary.skipped += 1
            return
        self.store_failures_in_a_row = 0
        counter = {"new": "new", "new_source": "new_sources", "analysed": "analysed"}.get(result.outcome, "duplicates")
        setattr(self.summary, counter, getattr(self.summary, counter) + 1)
        if result.problem is not None:
            self._fail(result.problem)
        self._done(result, result.outcome)  # type: ignore[arg-type]  # has .source, as an Article

    def _fail(self, failure: Failure) -> None:
        self.store.log_failure(self.run_id, failure)
        self.summary.failed[failure.code] += 1

    def _done(self, result: Article | Failure, outcome: str) -> None:
        if self.on_item is not None:
            self.on_item(result, outcome)
