"""A function mapped over a stream in worker processes: in order, bounded, and surviving bad items.

``map_ordered(fn, items, args=..., workers=N, passthrough=..., crashed=...)``
yields ``fn(item, *args)`` for every item, in input order:

* The first ``INLINE_ITEMS`` items run in this process (a small batch never
  pays for a pool's start-up), and so does everything when ``workers <= 1``.
* Then a ``ProcessPoolExecutor`` of ``workers`` processes takes over, with at
  most ``workers * WINDOW_PER_WORKER`` items in flight: the input is pulled
  lazily and memory stays flat however long the stream is.
* An item for which ``passthrough(item)`` returns a value is not computed;
  that value comes out in its place (a ``Failure`` read from the input).
* A worker that dies (a crash in a C library, the kernel's OOM killer,
  ``os._exit``) breaks the pool. The items that were in flight run again, one
  at a time, each in a fresh one-process pool, so only an item that kills a
  worker again fails, as ``crashed(item, reason, "crashed")``; a new pool then
  goes on with the rest.
* An item still unfinished ``timeout`` seconds after its result was first
  waited for (it is the oldest in flight) fails as ``crashed(item, reason,
  "timeout")``; its pool is replaced and the other items in flight are
  submitted again. Inline items have no timeout.
* Workers ignore SIGINT (the parent decides what Ctrl-C means), die with the
  parent (``PR_SET_PDEATHSIG`` on Linux, plus a thread that notices a changed
  parent pid anywhere), and are killed when the stream ends, is closed early
  or is abandoned by an exception (SIGTERM through ``ingest.interruptible``).

``fn``, ``args`` and the items must pickle (the pool forks or spawns).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

#: Items run in-process before a worker pool is worth starting.
INLINE_ITEMS = 16
#: In-flight items per worker: bounds memory, keeps workers busy.
WINDOW_PER_WORKER = 8
#: Seconds between a worker's checks that its parent is still the one that started it.
PARENT_CHECK = 1.0

I = TypeVar("I")  # noqa: E741 - an input item
R = TypeVar("R")


def settings_workers() -> int:
    """Worker processes for a batch: ``$NEWSGRAPH_WORKERS``, else up to 2 (one per core)."""
    env = os.environ.get("NEWSGRAPH_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


def map_ordered(
    fn: Callable[..., R],
    items: Iterable[I],
    *,
    args: tuple[Any, ...] = (),
    workers: int,
    passthrough: Callable[[I], R | None] = lambda item: None,
    crashed: Callable[[I, str, str], R],
    timeout: float | None = None,
) -> Iterator[R]:
    """``fn(item, *args)`` for each item, in order (see the module docstring)."""
    pool: _Pool[I, R] = _Pool(fn, args, workers, crashed, timeout)
    inline = 0
    try:
        for item in items:
            ready = passthrough(item)
            if not pool.started and ready is not None:
                yield ready
            elif not pool.started and (workers <= 1 or inline < INLINE_ITEMS):
                inline += 1
                yield fn(item, *args)
            else:
                pool.put(item, ready)
                while pool.full():
                    yield pool.take()
        while pool.pending:
            yield pool.take()
    finally:
        pool.close()


@dataclass
class _Entry(Generic[I, R]):
    item: I
    future: Future[R] | None = None
    result: R | None = None
    done: bool = False


class _Pool(Generic[I, R]):
    def __init__(self, fn: Callable[..., R], args: tuple[Any, ...], workers: int,
                 crashed: Callable[[I, str, str], R], timeout: float | None) -> None:
        self.fn, self.args, self.workers, self.crashed, self.timeout = fn, args, max(1, workers), crashed, timeout
        self.executor: ProcessPoolExecutor | None = None
        self.started = False
        self.pending: deque[_Entry[I, R]] = deque()

    def full(self) -> bool:
        return len(self.pending) >= self.workers * WINDOW_PER_WORKER

    def put(self, item: I, ready: R | None) -> None:
        self.started = True
        if ready is not None:
            self.pending.append(_Entry(item, result=ready, done=True))
        else:
            self.pending.append(_Entry(item, self._submit(item)))

    def take(self) -> R:
        entry = self.pending[0]
        if not entry.done:
            assert entry.future is not None
            try:
                entry.result, entry.done = entry.future.result(timeout=self.timeout), True
            except BrokenProcessPool:
                self._recover()
            except FutureTimeout:
                entry.result, entry.done = self.crashed(entry.item, f"took longer than {self.timeout:g} s",
                                                        "timeout"), True
                self._replace()
        self.pending.popleft()
        return entry.result  # type: ignore[return-value]

    def close(self) -> None:
        if self.executor is not None:
            _kill(self.executor)
            self.executor = None

    # -- internals -----------------------------------------------------------

    def _submit(self, item: I) -> Future[R]:
        if self.executor is None:
            self.executor = _new_executor(self.workers)
        return self.executor.submit(self.fn, item, *self.args)

    def _harvest(self) -> list[_Entry[I, R]]:
        """Keep the results that are in; return the entries still to run."""
        todo = []
        for e in self.pending:
            if e.done or e.future is None:
                continue
            if e.future.done() and not e.future.cancelled() and e.future.exception() is None:
                e.result, e.done = e.future.result(), True
            else:
                todo.append(e)
        return todo

    def _replace(self) -> None:
        """A new pool for the entries still running (the old one had a stuck worker)."""
        todo = self._harvest()
        self.close()
        for e in todo:
            e.future = self._submit(e.item)

    def _recover(self) -> None:
        """A worker died: run each unfinished entry alone, so only the one that kills a worker fails."""
        todo = self._harvest()
        self.close()
        for e in todo:
            e.result, e.done = self._isolated(e.item), True

    def _isolated(self, item: I) -> R:
        executor = _new_executor(1)
        try:
            return executor.submit(self.fn, item, *self.args).result(timeout=self.timeout)
        except BrokenProcessPool:
            return self.crashed(item, "the worker process died on this item", "crashed")
        except FutureTimeout:
            return self.crashed(item, f"took longer than {self.timeout:g} s", "timeout")
        finally:
            _kill(executor)


def _new_executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))


def _kill(executor: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued work is cancelled and its processes are killed and reaped."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass
    for p in processes:
        try:
            p.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


def _worker_init(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, die on SIGTERM, and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="newsgraph-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK)
        if os.getppid() != parent:
            os._exit(1)
