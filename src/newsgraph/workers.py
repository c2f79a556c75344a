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

A ``WorkerPool`` outlives one stream: ``map_ordered(..., pool=pool)`` runs on its processes
instead of a pool of its own, so a caller with many short streams (``newsgraph watch``: one
stream per poll) pays the start-up (fork, the workers' model pages) once, not per stream:

* it starts at the first item given to it (lazily) and then takes every item from the
  first (no inline phase: its start-up is paid once). With ``workers <= 1`` everything
  runs inline and no process starts;
* its processes are *forked* from a warm parent where the platform has fork (spawned, a fresh
  interpreter, only where it does not): each time it starts processes it first calls ``warm()``
  in the parent (``newsgraph watch``: load the language models; a no-op once loaded) and
  forks under ``gc.freeze()`` (the collector would write to the pages), so the workers share
  the models' pages copy-on-write instead of loading their own;
* no fork happens while a lock a worker may need is held: a module whose lock guards a load
  that may run on a background thread (the language models) registers it with
  ``hold_across_fork``; every ``os.fork`` of the process then takes the lock first (it waits
  for a load in progress) and the child gets it free. A forked child inheriting a held lock
  would wait for ever;
* a dead worker or a timed-out item replaces its processes, as above, and later streams
  run on the new ones; a stream closed early or left by an exception replaces them too (its
  items still in flight would otherwise hold the workers);
* after ``RECYCLE_ITEMS`` items it is replaced between two streams, so what long-lived
  workers accumulate (spaCy's string store grows with every new word) stays bounded;
* ``close()`` (or leaving its ``with`` block) kills its processes; the guarantees above
  (bounded window, crash isolation, timeout, SIGINT ignored, PDEATHSIG) hold as for a
  stream's own pool.

``fn``, ``args`` and the items must pickle (the pool forks or spawns).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
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
#: Items a persistent ``WorkerPool`` runs before it is replaced between two streams.
RECYCLE_ITEMS = 2000
#: Seconds between a worker's checks that its parent is still the one that started it.
PARENT_CHECK = 1.0

I = TypeVar("I")  # noqa: E741 - an input item
R = TypeVar("R")


def fork_method() -> str:
    """``fork`` where the platform has it, else ``spawn``."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def hold_across_fork(lock: Any) -> None:
    """Take ``lock`` around every ``os.fork`` of this process: a fork waits until it is free,
    and the child starts with it free (never inheriting it held by a thread the child has not)."""
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(before=lock.acquire, after_in_parent=lock.release, after_in_child=lock.release)


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
    pool: WorkerPool | None = None,
) -> Iterator[R]:
    """``fn(item, *args)`` for each item, in order (see the module docstring). ``pool``: run on
    that persistent pool (its size, not ``workers``) instead of one started for this stream."""
    shared = pool is not None and pool.workers > 1
    own = pool if shared else WorkerPool(workers, start_method=multiprocessing.get_start_method())
    assert own is not None
    stream: _Stream[I, R] = _Stream(fn, args, own, crashed, timeout)
    inline_limit = 0 if shared else INLINE_ITEMS
    inline = 0
    finished = False
    try:
        for item in items:
            ready = passthrough(item)
            if not stream.started and ready is not None:
                yield ready
            elif not stream.started and (own.workers <= 1 or inline < inline_limit):
                inline += 1
                yield fn(item, *args)
            else:
                stream.put(item, ready)
                while stream.full():
                    yield stream.take()
        while stream.pending:
            yield stream.take()
        finished = True
    finally:
        if not shared:
            own.close()
        elif not finished and stream.pending:
            own.replace()  # items still in flight would hold the workers: new ones for the next stream
        else:
            own.end_stream()


class WorkerPool:
    """Worker processes for many streams of ``map_ordered`` (see the module docstring);
    started at the first item submitted, killed by ``close()``."""

    def __init__(self, workers: int, *, recycle_items: int | None = None, start_method: str | None = None,
                 warm: Callable[[], object] | None = None) -> None:
        self.workers = max(1, workers)
        self.context = multiprocessing.get_context(start_method or fork_method())
        self.recycle_items = RECYCLE_ITEMS if recycle_items is None else recycle_items
        self.warm = warm
        self._executor: ProcessPoolExecutor | None = None
        self._submitted = 0

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Whether its processes are up."""
        return self._executor is not None

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        self._submitted += 1
        if self._executor is not None:
            return self._executor.submit(fn, *args)
        self._executor = _new_executor(self.workers, self.context)
        with self._forking():
            return self._executor.submit(fn, *args)  # a fork context starts its processes here

    @contextlib.contextmanager
    def _forking(self) -> Iterator[None]:
        """Around the first submit: a warm parent whose objects the collector leaves alone
        (``gc.freeze``: it would write to every page the children share)."""
        if self.context.get_start_method() != "fork":
            yield
            return
        if self.warm is not None:
            self.warm()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()

    def pids(self) -> list[int]:
        """The worker processes' ids (none before the first item)."""
        if self._executor is None:
            return []
        return sorted((getattr(self._executor, "_processes", None) or {}).keys())

    def replace(self) -> None:
        """Kill the processes now; the next item starts new ones."""
        if self._executor is not None:
            _kill(self._executor)
            self._executor = None
        self._submitted = 0

    def end_stream(self) -> None:
        """Between two streams: replace the processes once they have run ``recycle_items`` items."""
        if self._submitted >= self.recycle_items > 0:
            self.replace()

    close = replace


@dataclass
class _Entry(Generic[I, R]):
    item: I
    future: Future[R] | None = None
    result: R | None = None
    done: bool = False


class _Stream(Generic[I, R]):
    """One stream's items in flight on a ``WorkerPool``, oldest first."""

    def __init__(self, fn: Callable[..., R], args: tuple[Any, ...], pool: WorkerPool,
                 crashed: Callable[[I, str, str], R], timeout: float | None) -> None:
        self.fn, self.args, self.pool, self.crashed, self.timeout = fn, args, pool, crashed, timeout
        self.workers = pool.workers
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

    # -- internals -----------------------------------------------------------

    def _submit(self, item: I) -> Future[R]:
        try:
            return self.pool.submit(self.fn, item, *self.args)
        except BrokenProcessPool as exc:  # a worker died since the last result: ``take`` recovers
            broken: Future[R] = Future()
            broken.set_exception(exc)
            return broken

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
        """New processes for the entries still running (the old ones had a stuck worker)."""
        todo = self._harvest()
        self.pool.replace()
        for e in todo:
            e.future = self._submit(e.item)

    def _recover(self) -> None:
        """A worker died: run each unfinished entry alone, so only the one that kills a worker fails."""
        todo = self._harvest()
        self.pool.replace()
        for e in todo:
            e.result, e.done = self._isolated(e.item), True

    def _isolated(self, item: I) -> R:
        executor = _new_executor(1, self.pool.context)
        try:
            return executor.submit(self.fn, item, *self.args).result(timeout=self.timeout)
        except BrokenProcessPool:
            return self.crashed(item, "the worker process died on this item", "crashed")
        except FutureTimeout:
            return self.crashed(item, f"took longer than {self.timeout:g} s", "timeout")
        finally:
            _kill(executor)


def _new_executor(workers: int, context: Any = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                               initargs=(os.getpid(),))


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
