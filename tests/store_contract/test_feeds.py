"""Contract: the followed feeds (``store.feeds``, the feed rows of ``store.backend``), on each backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsgraph.errors import StoreError
from newsgraph.store import Store, open_store
from newsgraph.store import feeds as feedlist
from newsgraph.store.backend import FeedItemRecord
from newsgraph.store.feeds import format_time

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(minutes: float) -> str:
    return format_time(T0 + timedelta(minutes=minutes))


def test_feeds_are_followed_once_listed_by_url_and_removed_with_their_entries(store: Store) -> None:
    added = feedlist.follow(store, [("https://b.example/rss", "B"), ("https://a.example/atom", None),
                                    ("https://b.example/rss", "B again")])
    assert added == [("https://b.example/rss", True), ("https://a.example/atom", True),
                     ("https://b.example/rss", False)]
    feeds = feedlist.followed(store)
    assert [(f.url, f.title) for f in feeds] == [("https://a.example/atom", None), ("https://b.example/rss", "B")]
    assert all(f.next_poll_at is None and f.errors_in_a_row == 0 for f in feeds)
    with store.backend.write("entry") as w:
        w.put_feed_item("https://b.example/rss", FeedItemRecord("https://b.example/1", "fp", "new", 1, None,
                                                                at(0), at(0)))
    assert feedlist.unfollow(store, "https://b.example/rss") is True
    assert feedlist.unfollow(store, "https://b.example/rss") is False
    assert [f.url for f in feedlist.followed(store)] == ["https://a.example/atom"]
    feedlist.follow(store, [("https://b.example/rss", None)])  # followed again: nothing remembered
    with store.backend.read("entries") as r:
        assert r.feed_items("https://b.example/rss", ["https://b.example/1"]) == {}


@pytest.mark.parametrize("bad", ["ftp://x.example/feed", "not a url", "/local/path.xml", ""])
def test_only_http_urls_are_followed_and_a_bad_one_adds_nothing(store: Store, bad: str) -> None:
    with pytest.raises(StoreError) as ei:
        feedlist.follow(store, [("https://ok.example/rss", None), (bad, None)])
    assert ei.value.code == "store.invalid"
    assert feedlist.followed(store) == []


def test_poll_state_is_kept_and_due_feeds_come_longest_due_first(store: Store) -> None:
    feedlist.follow(store, [(f"https://f{i}.example/rss", None) for i in range(4)])
    added_at = feedlist.followed(store)[2].added_at
    with store.backend.read("due") as r:
        assert r.next_poll_at() == ""  # never polled: due now
    with store.backend.write("state") as w:
        for i, minutes in enumerate((10, -5, 30, -20)):
            feed = w.feed(f"https://f{i}.example/rss")
            assert feed is not None
            w.set_feed_state(feed._replace(etag=f'"e{i}"', last_modified="Sun, 01 Mar 2026 11:00:00 GMT",
                                           next_poll_at=at(minutes), last_poll_at=at(-1), errors_in_a_row=i,
                                           last_error_code="fetch.http_500" if i else None, items_seen=3 * i))
    with store.backend.read("due") as r:
        assert [f.url for f in r.due_feeds(at(0), 10)] == ["https://f3.example/rss", "https://f1.example/rss"]
        assert [f.url for f in r.due_feeds(at(0), 1)] == ["https://f3.example/rss"]
        assert r.next_poll_at() == at(-20)
        f2 = r.feed("https://f2.example/rss")
        assert r.feed("https://nope.example/rss") is None
    assert f2 is not None and (f2.etag, f2.errors_in_a_row, f2.items_seen, f2.last_error_code) == (
        '"e2"', 2, 6, "fetch.http_500")
    assert f2.added_at == added_at  # kept


def test_entries_are_upserted_by_link_and_pruned_by_last_sight(store: Store) -> None:
    url = "https://a.example/rss"
    feedlist.follow(store, [(url, None)])
    links = [f"https://a.example/{i}" for i in range(1200)]  # more than one batch of links
    with store.backend.write("entries") as w:
        for i, link in enumerate(links):
            w.put_feed_item(url, FeedItemRecord(link, "v1", "new", 1, at(-60), at(i % 3), at(0)))
        w.put_feed_item(url, FeedItemRecord(links[0], "v2", "fetch.http_404", 2, None, at(5), None))
    with store.backend.read("entries") as r:
        known = r.feed_items(url, links + ["https://a.example/unknown"])
        assert len(known) == 1200 and known[links[0]] == FeedItemRecord(links[0], "v2", "fetch.http_404", 2, None,
                                                                         at(5), None)
        assert r.feed_items("https://other.example/rss", links[:3]) == {}
    with store.backend.write("prune") as w:
        assert w.prune_feed_items(url, at(1)) == 399  # last seen at minute 0: i % 3 == 0, less links[0]
    with store.backend.read("entries") as r:
        assert len(r.feed_items(url, links)) == 801


def test_health_counts_items_per_day_and_the_median_delay(store_url: str) -> None:
    url = "https://a.example/rss"
    with open_store(store_url) as store:
        feedlist.follow(store, [(url, "A")])
        with store.backend.write("backdate") as w:  # followed for 30 days
            w.conn.execute("UPDATE feeds SET added_at = '2026-01-30T00:00:00.000000Z'")
        with store.backend.write("entries") as w:
            for i, delay in enumerate((60, 120, 600, None)):  # minutes from the entry's date to its storing
                stored = T0 - timedelta(days=i)
                dated = None if delay is None else format_time(stored - timedelta(minutes=delay))
                w.put_feed_item(url, FeedItemRecord(f"https://a.example/{i}", "f", "new", 1, dated,
                                                    format_time(stored), format_time(stored)))
            w.put_feed_item(url, FeedItemRecord("https://a.example/old", "f", "new", 1, None, at(0),
                                                format_time(T0 - timedelta(days=9))))  # past the window
            w.put_feed_item(url, FeedItemRecord("https://a.example/bad", "f", "fetch.http_404", 3, None, at(0),
                                                None))  # never stored
        (h,) = feedlist.health(store, at=T0)
    assert h.items_per_day == pytest.approx(4 / 7)
    assert h.median_delay == pytest.approx(120 * 60)
    assert h.status == "new" and h.as_dict()["title"] == "A"


def test_an_entry_of_a_feed_no_longer_followed_is_dropped_without_error(store: Store) -> None:
    # a watcher may finish an item of a feed that `feeds remove` took away meanwhile
    with store.backend.write("entry") as w:
        w.put_feed_item("https://gone.example/rss", FeedItemRecord("https://gone.example/1", "f", "new", 1, None,
                                                                   at(0), at(0)))
    feedlist.follow(store, [("https://gone.example/rss", None)])
    with store.backend.read("entries") as r:
        assert r.feed_items("https://gone.example/rss", ["https://gone.example/1"]) == {}
