"""newsgraph.workers.map_ordered: order, bounded work, and items that kill or hang their worker.

The failing items below really kill their worker process (``os._exit``) or really
hang (a long sleep): the pool has to cope with what happens, nothing is simulated.
"""

from __future__ import annotations

import os
import time

import pytest

from newsgraph.workers import INLINE_ITEMS, WINDOW_PER_WORKER, map_ordered

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
