"""Batch ingest: sources -> extract -> store, one item at a time, never stopping.

The driver reads like the algorithm:

1. ``sources.iter_raw`` streams ``RawDocument`` items (or per-item
   ``Failure`` records) from files, folders, stdin, URLs, feeds and WARC
   files. Sources already in the store are skipped before anything is read or
   fetched (``store.has_source``), which makes a re-run after a crash cheap.
2. Each document is extracted. Extraction is CPU-bound, so past the first few
   items it runs in a small process pool with a bounded window of in-flight
   items: memory stays flat however many inputs there are, and results are
   consumed in input order.
3. Each article is written by ``store.add_article`` in one transaction. A
   process killed at any moment leaves whole articles only; the re-run skips
   what is there and writes the rest. Same text = same id, so nothing is
   duplicated either way.
4. Every failure is written to the store's ingest log with its code; the
   run's counts are recorded when it ends.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from newsgraph.config import Settings
from newsgraph.errors import NewsgraphError, is_item_error
from newsgraph.extract import extract
from newsgraph.extract.language import preload as preload_language_model
from newsgraph.store import Store
from newsgraph.types import Article, Failure, RawDocument

#: Items extracted in-process before a worker pool is worth starting.
INLINE_ITEMS = 16
#: In-flight items per worker: bounds memory, keeps workers busy.
WINDOW_PER_WORKER = 8


@dataclass(slots=True)
class Summary:
    new: int = 0
    new_sources: int = 0
    duplicates: int = 0
    skipped: int = 0
    failed: Counter[str] = field(default_factory=Counter)

    @property
    def n_failed(self) -> int:
        return sum(self.failed.values())

    @property
    def seen(self) -> int:
        return self.new + self.new_sources + self.duplicates + self.skipped + self.n_failed

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
            "failed": self.n_failed,
            "failed_by_code": dict(sorted(self.failed.items())),
        }


def _extract_one(raw: RawDocument, settings: Settings, clean: bool, analyze: bool = False) -> Article | Failure:
    """Worker entry point: an Article, or the item's Failure (never raises item errors).

    With ``analyze``, the article also goes through the NLP pipeline (loaded
    once per process; forked workers inherit the parent's copy).
    """
    try:
        article = extract(raw, settings, clean=clean)
        if analyze:
            from newsgraph.analyze import analyze_article

            article = analyze_article(article)
        return article
    except NewsgraphError as exc:
        if not is_item_error(exc):
            raise
        return Failure(raw.source, exc.code, exc.message)
    except (ValueError, TypeError, UnicodeError, RecursionError) as exc:
        # A library choked on this one document: report it, keep the batch going.
        return Failure(raw.source, "extract.failed", f"{type(exc).__name__}: {exc}".splitlines()[0])


def extract_stream(
    items: Iterable[RawDocument | Failure],
    settings: Settings,
    *,
    clean: bool = True,
    workers: int | None = None,
    analyze: bool = False,
) -> Iterator[Article | Failure]:
    """Extract a stream of raw documents, in order, with bounded memory."""
    n_workers = workers if workers is not None else settings_workers()
    preload_language_model()  # loads on a thread while the first items are read and extracted
    it = iter(items)
    inline = 0
    pool: ProcessPoolExecutor | None = None
    pending: deque[Future[Article | Failure] | Failure] = deque()
    try:
        for item in it:
            if isinstance(item, Failure):
                if pool is None:
                    yield item
                else:
                    pending.append(item)
            elif pool is None and (n_workers <= 1 or inline < INLINE_ITEMS):
                inline += 1
                yield _extract_one(item, settings, clean, analyze)
            else:
                if pool is None:
                    pool = ProcessPoolExecutor(max_workers=n_workers)
                pending.append(pool.submit(_extract_one, item, settings, clean, analyze))
            while len(pending) >= n_workers * WINDOW_PER_WORKER:
                yield _resolve(pending.popleft())
        while pending:
            yield _resolve(pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _resolve(entry: Future[Article | Failure] | Failure) -> Article | Failure:
    return entry if isinstance(entry, Failure) else entry.result()


def settings_workers() -> int:
    env = os.environ.get("NEWSGRAPH_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


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
) -> Summary:
    """Ingest every item of ``specs`` into ``store``; returns the counts.

    ``on_item(result, outcome)`` is called after each item (progress display);
    ``outcome`` is ``new``, ``new_source``, ``duplicate``, ``skipped`` or a
    failure code.
    """
    from newsgraph.sources import iter_raw

    summary = Summary()
    run_id = store.start_run(list(argv if argv is not None else specs))
    skipped: list[str] = []

    def skip(source: str) -> bool:
        if store.has_source(source):
            skipped.append(source)
            return True
        return False

    raw_items = iter_raw(specs, settings, stdin=stdin, transport=transport, skip_source=skip)
    try:
        for result in extract_stream(raw_items, settings, workers=workers, analyze=analyze):
            while skipped:
                summary.skipped += 1
                skipped.pop()
            if isinstance(result, Failure):
                store.log_failure(run_id, result)
                summary.failed[result.code] += 1
                outcome = result.code
            else:
                outcome = store.add_article(result)
                if outcome == "new":
                    summary.new += 1
                elif outcome == "new_source":
                    summary.new_sources += 1
                else:
                    summary.duplicates += 1
            if on_item is not None:
                on_item(result, outcome)
        summary.skipped += len(skipped)
    finally:
        store.finish_run(run_id, summary.counts())
    return summary
