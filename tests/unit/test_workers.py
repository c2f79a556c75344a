"""newsgraph.workers.map_ordered: order, bounded work, and items that kill or hang their worker.

The failing items below really kill their worker process (``os._exit``) or really
hang (a long sleep): the pool has to cope with what happens, nothing is simulated.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from newsgraph.workers import (
    INLINE_ITEMS,
    WINDOW_PER_WORKER,
    WorkerPool,
    fork_method,
    hold_across_fork,
    map_ordered,
)

pytestmark = pytest.mark.timeout(120)

DIES, HANGS = 37, 41


def square_or_die(i: int, offset: int) -> tuple[int, int]:
    if i == DIES:
        os._exit(3)  # what a segfault in a C library or the OOM killer leaves behind
    if i == HANGS:
        time.sleep(3600)
    return i, i * i + offset


def crashed(i: int, reason: str, kind: str) -> tuple[int, str]:
    return i, f"{kind}: {reason}"


def test_results_in_order_and_only_the_killer_item_fails() -> None:
    items = [i for i in range(INLINE_ITEMS + 60) if i != HANGS]
    out = list(map_ordered(square_or_die, items, args=(1,), workers=2, crashed=crashed, timeout=30))
    assert [i for i, _ in out] == items
    for i, r in out:
        if i == DIES:
            assert r == "crashed: the worker process died on this item"
        else:
            assert r == i * i + 1


def test_an_item_that_hangs_times_out_alone() -> None:
    items = list(range(INLINE_ITEMS + 30))
    items.remove(DIES)
    t0 = time.monotonic()
    out = list(map_ordered(square_or_die, items, args=(0,), workers=2, crashed=crashed, timeout=2))
    assert time.monotonic() - t0 < 30
    assert [i for i, _ in out] == items
    assert dict(out)[HANGS] == "timeout: took longer than 2 s"
    assert all(r == i * i for i, r in out if i != HANGS)


def test_passthrough_values_keep_their_place() -> None:
    items = list(range(INLINE_ITEMS + 20))
    out = list(map_ordered(square_or_die, [i for i in items if i not in (DIES, HANGS)], args=(0,), workers=2,
                           crashed=crashed, passthrough=lambda i: (i, "given") if i % 7 == 0 else None))
    assert [i for i, _ in out] == [i for i in items if i not in (DIES, HANGS)]
    assert all(r == "given" for i, r in out if i % 7 == 0)


def _children() -> set[int]:
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as fh:
            return {int(p) for p in fh.read().split()}
    except OSError:
        pytest.skip("needs /proc/<pid>/task/<tid>/children")


def test_closing_the_stream_early_stops_its_workers() -> None:
    before = _children()
    stream = map_ordered(square_or_die, range(1000), args=(0,), workers=2, crashed=crashed)
    for _ in range(INLINE_ITEMS + 3):
        next(stream)
    started = _children() - before
    assert len(started) == 2
    stream.close()
    deadline = time.monotonic() + 10
    while _children() & started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not (_children() & started)


def test_input_is_pulled_lazily() -> None:
    pulled: list[int] = []

    def items():
        for i in range(10_000):
            pulled.append(i)
            yield i + 100  # never DIES nor HANGS

    stream = map_ordered(square_or_die, items(), args=(0,), workers=2, crashed=crashed)
    for _ in range(INLINE_ITEMS + 5):
        next(stream)
    assert len(pulled) <= INLINE_ITEMS + 5 + 2 * WINDOW_PER_WORKER + 1
    stream.close()


# --------------------------------------------------------------------------- a pool for many streams


def _pids_alive(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + 10
    while (alive := pids & _children()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def test_a_persistent_pool_serves_stream_after_stream_on_the_same_processes() -> None:
    with WorkerPool(2) as pool:
        first = list(map_ordered(square_or_die, range(100, 130), args=(0,), workers=2, crashed=crashed, pool=pool))
        pids = set(pool.pids())
        assert len(pids) == 2 and pids <= _children()
        second = list(map_ordered(square_or_die, range(200, 203), args=(1,), workers=2, crashed=crashed, pool=pool))
        assert set(pool.pids()) == pids  # no start-up paid for the second stream
    assert first == [(i, i * i) for i in range(100, 130)]
    assert second == [(i, i * i + 1) for i in range(200, 203)]
    assert not _pids_alive(pids)  # closing the pool kills its workers


def test_a_small_stream_runs_on_the_persistent_pool_not_inline() -> None:
    with WorkerPool(2) as pool:
        out = list(map_ordered(_pid_of, [1, 2], workers=2, crashed=crashed, pool=pool))
        assert [i for i, _ in out] == [1, 2]
        assert {pid for _, pid in out} <= set(pool.pids()) and os.getpid() not in {pid for _, pid in out}


def _pid_of(i: int) -> tuple[int, int]:
    return i, os.getpid()


_BUSY = threading.Lock()  # held by a thread of the parent while its pool starts (a model loading)
hold_across_fork(_BUSY)  # as the model loaders register theirs


def _free(*locks: threading.Lock) -> bool:
    """In a worker: whether each lock can be taken (a child that inherited one held never can)."""
    for lock in locks:
        if not lock.acquire(timeout=10):
            return False
        lock.release()
    return True


def _with_lock(i: int) -> tuple[int, bool]:
    return i, _free(_BUSY)


def _with_loader_locks(i: int) -> tuple[int, bool]:
    from newsgraph import analyze
    from newsgraph.extract import language

    return i, _free(language._lock, analyze._lock)


def _holding(locks: list[threading.Lock], seconds: float) -> threading.Thread:
    """A thread that holds ``locks`` for ``seconds`` (a model loading), started and holding on return."""
    held = threading.Event()

    def hold() -> None:
        for lock in locks:
            lock.acquire()
        held.set()
        time.sleep(seconds)
        for lock in reversed(locks):
            lock.release()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    held.wait()
    return thread


def _needs_fork() -> None:
    if fork_method() != "fork":
        pytest.skip("no fork on this platform: the pool spawns")


@pytest.mark.parametrize("fn", [_with_lock, _with_loader_locks])
def test_a_pool_forked_while_a_thread_holds_a_lock_does_not_inherit_it(fn) -> None:
    _needs_fork()
    from newsgraph import analyze
    from newsgraph.extract import language

    locks = [_BUSY] if fn is _with_lock else [language._lock, analyze._lock]
    holder = _holding(locks, 1.5)
    t0 = time.monotonic()
    with WorkerPool(2) as pool:
        assert pool.context.get_start_method() == "fork"
        out = list(map_ordered(fn, [1, 2], workers=2, crashed=crashed, timeout=30, pool=pool))
    holder.join()
    assert out == [(1, True), (2, True)]  # a worker forked with the lock held would never get it
    assert time.monotonic() - t0 >= 1.4  # the fork waited for the lock


_WARMED: list[int] = []  # what ``warm`` loads in the parent (the models)


def _warmed(i: int) -> tuple[int, int]:
    return i, len(_WARMED)


def test_a_forked_pool_starts_from_a_warm_parent_once() -> None:
    _needs_fork()
    _WARMED.clear()
    with WorkerPool(2, warm=lambda: _WARMED.append(os.getpid())) as pool:
        first = list(map_ordered(_warmed, [1, 2, 3], workers=2, crashed=crashed, pool=pool))
        second = list(map_ordered(_warmed, [4], workers=2, crashed=crashed, pool=pool))
    assert first == [(1, 1), (2, 1), (3, 1)] and second == [(4, 1)]  # the workers have what warm() loaded
    assert _WARMED == [os.getpid()]  # in the parent, once for the pool's processes


def test_a_spawned_pool_is_the_fallback_and_loads_nothing_in_the_parent() -> None:
    _WARMED.clear()
    with WorkerPool(2, start_method="spawn", warm=lambda: _WARMED.append(os.getpid())) as pool:
        out = list(map_ordered(_warmed, [1, 2], workers=2, crashed=crashed, pool=pool))
        assert all(pid != os.getpid() for pid in pool.pids())
    assert out == [(1, 0), (2, 0)] and _WARMED == []


def test_a_crash_in_one_stream_leaves_the_next_stream_working() -> None:
    with WorkerPool(2) as pool:
        list(map_ordered(square_or_die, range(100, 104), workers=2, args=(0,), crashed=crashed, pool=pool))
        before = set(pool.pids())
        out = list(map_ordered(square_or_die, [DIES - 1, DIES, DIES + 1], args=(0,), workers=2, crashed=crashed,
                               pool=pool))
        assert out == [(DIES - 1, (DIES - 1) ** 2), (DIES, "crashed: the worker process died on this item"),
                       (DIES + 1, (DIES + 1) ** 2)]
        after = list(map_ordered(square_or_die, range(300, 320), args=(0,), workers=2, crashed=crashed, pool=pool))
        assert after == [(i, i * i) for i in range(300, 320)]
        assert not (set(pool.pids()) & before)  # the broken processes were replaced
        assert not _pids_alive(before)


def test_a_timed_out_item_replaces_the_workers_and_the_next_stream_runs() -> None:
    with WorkerPool(2) as pool:
        list(map_ordered(square_or_die, [7, 8], args=(0,), workers=2, crashed=crashed, pool=pool))  # started
        stream = map_ordered(square_or_die, [1, HANGS, 2], args=(0,), workers=2, crashed=crashed, timeout=1,
                             pool=pool)
        out = [next(stream)]
        stuck = set(pool.pids())
        out += list(stream)
        assert out == [(1, 1), (HANGS, "timeout: took longer than 1 s"), (2, 4)]
        assert not _pids_alive(stuck)  # the stuck worker is gone
        assert list(map_ordered(square_or_die, [3], args=(0,), workers=2, crashed=crashed, timeout=30,
                                pool=pool)) == [(3, 9)]


def test_a_stream_closed_early_leaves_the_pool_usable_with_nothing_in_flight() -> None:
    with WorkerPool(2) as pool:
        stream = map_ordered(square_or_die, [HANGS, *range(1, 20)], args=(0,), workers=2, crashed=crashed,
                             pool=pool)
        started = time.monotonic()
        stream.close()  # before the first result: nothing was submitted
        stream = map_ordered(square_or_die, [1, HANGS, *range(2, 20)], args=(0,), workers=2, crashed=crashed,
                             pool=pool)
        assert next(stream) == (1, 1)
        held = set(pool.pids())
        stream.close()  # HANGS is running on a worker: those processes go
        assert not _pids_alive(held)
        assert list(map_ordered(square_or_die, [5, 6], args=(0,), workers=2, crashed=crashed,
                                pool=pool)) == [(5, 25), (6, 36)]
        assert time.monotonic() - started < 20


def test_the_pool_is_replaced_between_streams_after_recycle_items() -> None:
    with WorkerPool(2, recycle_items=5) as pool:
        list(map_ordered(square_or_die, range(100, 104), args=(0,), workers=2, crashed=crashed, pool=pool))
        first = set(pool.pids())
        list(map_ordered(square_or_die, range(104, 106), args=(0,), workers=2, crashed=crashed, pool=pool))
        assert not pool.running and not _pids_alive(first)  # 6 items run: replaced at the stream's end
        list(map_ordered(square_or_die, [1], args=(0,), workers=2, crashed=crashed, pool=pool))
        assert pool.running and not (set(pool.pids()) & first)


def test_workers_of_a_persistent_pool_ignore_sigint() -> None:
    import signal

    with WorkerPool(2) as pool:
        list(map_ordered(square_or_die, [1, 2], args=(0,), workers=2, crashed=crashed, pool=pool))
        pids = set(pool.pids())
        for pid in pids:
            os.kill(pid, signal.SIGINT)
        time.sleep(0.3)
        assert list(map_ordered(square_or_die, [3, 4], args=(0,), workers=2, crashed=crashed,
                                pool=pool)) == [(3, 9), (4, 16)]
        assert set(pool.pids()) == pids
