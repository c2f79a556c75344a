"""The feeds a store follows (``newsgraph feeds``, ``newsgraph watch``): the list and its health.

A service over any backend, like ``store.base``'s: it reaches the rows through
``Backend.read`` / ``Backend.write`` and the feed methods of ``store.backend.Reader`` /
``Writer`` (SQL in ``store.feeds_sql``). What a poll does to a feed's state is the watcher's
(``newsgraph.watch``); this module keeps the list and says how each feed is doing:

* ``follow(store, urls)``: add feeds (an http(s) URL each, as given; one already followed is
  kept with its state); ``unfollow``; ``followed``.
* ``health(store)``: per feed, its state plus ``items_per_day`` (articles stored from it over
  the last ``HEALTH_DAYS`` days, per day, over at most the days it has been followed and at
  least one) and ``median_delay`` (seconds from an entry's own date to the storing of its
  article, the median over its newest ``HEALTH_ITEMS`` articles that have a date).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsgraph.errors import StoreError
from newsgraph.store.backend import FeedRecord
from newsgraph.store.values import now

#: Days over which ``items_per_day`` is counted.
HEALTH_DAYS = 7
#: A feed's newest stored articles ``median_delay`` is taken over.
HEALTH_ITEMS = 200


def parse_time(value: str | None) -> datetime | None:
    """A stored time (``store.values.now``'s form, or any ISO 8601) as an aware UTC datetime."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def format_time(when: datetime) -> str:
    """``when`` as the store writes times (UTC, microseconds, ``Z``): text order is time order."""
    return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """A followed feed as ``newsgraph feeds`` and the feeds page show it."""

    feed: FeedRecord
    items_per_day: float
    median_delay: float | None  # seconds; None: no stored article with a date yet

    @property
    def status(self) -> str:
        """``new`` (never polled), ``failing`` (its last poll failed) or ``ok``."""
        if self.feed.last_poll_at is None:
            return "new"
        return "failing" if self.feed.errors_in_a_row else "ok"

    def as_dict(self) -> dict[str, Any]:
        return self.feed._asdict() | {"status": self.status, "items_per_day": round(self.items_per_day, 2),
                                      "median_delay_s": None if self.median_delay is None
                                      else round(self.median_delay, 1)}


def _backend(store: Any) -> Any:
    backend = getattr(store, "backend", None)
    if backend is None:
        raise StoreError("this store cannot follow feeds", code="store.unsupported")
    return backend


def check_url(url: str) -> str:
    """``url`` stripped, if it is an absolute http(s) URL; else ``StoreError`` (``store.invalid``)."""
    import httpx

    url = url.strip()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise StoreError(f"not a feed URL: {url!r} ({exc})", code="store.invalid") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise StoreError(f"not an http(s) URL: {url!r}", code="store.invalid")
    return url


def follow(store: Any, feeds: list[tuple[str, str | None]]) -> list[tuple[str, bool]]:
    """Follow ``(url, title)`` pairs, in one transaction; ``(url, added)`` for each (False:
    followed already). A URL that is not http(s) fails the whole call before anything is written."""
    checked = [(check_url(url), title) for url, title in feeds]
    at = now()
    with _backend(store).write("cannot add feeds") as w:
        return [(url, w.add_feed(url, title, at)) for url, title in checked]


def unfollow(store: Any, url: str) -> bool:
    """Stop following ``url`` (what is known of its entries goes too; stored articles stay)."""
    with _backend(store).write(f"cannot remove feed {url}") as w:
        return bool(w.remove_feed(url.strip()))


def followed(store: Any) -> list[FeedRecord]:
    with _backend(store).read("cannot list feeds") as r:
        return list(r.feeds())


def health(store: Any, *, at: datetime | None = None) -> list[FeedHealth]:
    """Every followed feed with its health, by URL."""
    at = at or datetime.now(UTC)
    since = format_time(at - timedelta(days=HEALTH_DAYS))
    out: list[FeedHealth] = []
    with _backend(store).read("cannot read the feeds' health") as r:
        for feed in r.feeds():
            out.append(_health(feed, r.feed_ingests(feed.url, since, 100_000), at))
    return out


def _health(feed: FeedRecord, ingests: list[tuple[str, str | None]], at: datetime) -> FeedHealth:
    added = parse_time(feed.added_at) or at
    days = min(float(HEALTH_DAYS), max(1.0, (at - added).total_seconds() / 86400))
    delays = []
    for stored, dated in ingests[:HEALTH_ITEMS]:
        s, d = parse_time(stored), parse_time(dated)
        if s is not None and d is not None:
            delays.append(max(0.0, (s - d).total_seconds()))
    return FeedHealth(feed, len(ingests) / days, statistics.median(delays) if delays else None)
