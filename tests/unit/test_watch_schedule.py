"""The watcher's schedule and order (``newsgraph.watch``): invariants over any input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.sources.feeds import FeedEntry
from newsgraph.store.backend import FeedItemRecord
from newsgraph.watch import (
    MAX_HINT,
    MAX_ITEM_ATTEMPTS,
    feed_hint,
    fingerprint,
    needs_reading,
    newest_first,
    next_failure,
    next_success,
)

AT = datetime(2026, 12, 1, tzinfo=UTC)
times = st.one_of(st.none(), st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1))
                  .map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")))


@given(st.lists(times, max_size=30))
def test_newest_first_keeps_every_entry_dated_ones_newest_first_then_the_rest_in_feed_order(dates) -> None:
    entries = [FeedEntry(i + 1, f"https://x.example/{i}", {}, d) for i, d in enumerate(dates)]
    out = newest_first(entries)
    assert sorted(e.index for e in out) == [e.index for e in entries]
    dated = [e.dated_at for e in out if e.dated_at]
    assert dated == sorted(dated, reverse=True)
    undated = [e.index for e in out if not e.dated_at]
    assert undated == sorted(undated) and out[len(dated):] == [e for e in entries if not e.dated_at]


@given(st.floats(0, 7200), st.integers(1, 200), st.floats(1, 86400))
def test_backoff_doubles_from_twice_the_interval_and_never_passes_the_cap(interval, errors, cap) -> None:
    wait = (next_failure(AT, interval, errors, cap) - AT).total_seconds()
    assert 0 < wait <= cap + 1e-6
    assert wait <= (next_failure(AT, interval, errors + 1, cap) - AT).total_seconds() + 1e-6
    if errors == 1 and interval >= 0.001 and 2 * interval <= cap:  # (a shorter interval counts as 1 ms)
        assert abs(wait - 2 * interval) < 1e-3


@given(st.floats(0, 10**6), st.one_of(st.none(), st.floats(0, 10**7)), st.integers(0, 10**9))
def test_a_feed_is_never_polled_sooner_than_the_interval_nor_put_off_past_the_hint_cap(interval, ttl, max_age) -> None:
    hint = feed_hint({"cache-control": f"max-age={max_age}"}, ttl, AT)
    assert 0 <= hint <= MAX_HINT
    wait = (next_success(AT, interval, hint) - AT).total_seconds()
    assert wait >= interval - 1e-6 and wait <= max(interval, MAX_HINT) + 1e-6


def test_an_entry_is_read_again_only_when_edited_or_failed_few_times() -> None:
    e = FeedEntry(1, "https://x.example/1", {"title": "T"}, "2026-12-01T00:00:00Z")
    fp = fingerprint(e)
    seen = FeedItemRecord(e.link or "", fp, "new", 1, e.dated_at, "now", "now")
    assert not needs_reading(seen, fp)
    assert needs_reading(seen, fingerprint(FeedEntry(1, e.link, {"title": "T (updated)"}, e.dated_at)))
    assert fingerprint(FeedEntry(1, e.link, {}, e.dated_at, "2026-12-02T00:00:00Z")) != fingerprint(
        FeedEntry(1, e.link, {}, e.dated_at))  # a later <updated> is an edit
    assert needs_reading(seen._replace(outcome="fetch.http_500"), fp)
    assert not needs_reading(seen._replace(outcome="fetch.http_500", attempts=MAX_ITEM_ATTEMPTS), fp)
    assert needs_reading(None, fp)
    assert (next_failure(AT, 10, 1, 100) - AT) == timedelta(seconds=20)
