"""The followed feeds' rows (``feeds``, ``feed_items``): one SQL text for both backends.

The feed methods of ``store.backend.Reader`` / ``Writer`` are plain SQL that SQLite and
PostgreSQL read alike (``ON CONFLICT ... DO UPDATE``, ``NULLS FIRST``, ``LIMIT``), written once
here with named parameters (counts come from ``RETURNING``: PostgreSQL writes in pipeline mode,
where a cursor's ``rowcount`` is not known yet) in psycopg's style (``%(name)s``). ``FeedReads`` / ``FeedWrites`` are
mixed into each backend's reader and writer (``store.sqlite_feeds``, ``store.postgres_feeds``),
which only say how a statement runs on their connection (``_feed_exec``: SQLite turns the
parameters into ``:name``). Times are UTC ISO 8601 text (``store.values.now``), so text order is
time order on both.
"""

from __future__ import annotations

from typing import Any

from newsgraph.store.backend import FeedItemRecord, FeedRecord

#: Links asked about at a time (``feed_items``): under SQLite's and psycopg's parameter limits.
LINK_BATCH = 500

_FEED_COLS = ", ".join(FeedRecord._fields)
_ITEM_COLS = ", ".join(FeedItemRecord._fields)


class Statements:
    """What every mixin here needs from its backend, and nothing else: ``_feed_exec(sql, params)``
    runs one statement (``%(name)s`` parameters) on the backend's connection and returns a cursor.
    Each backend's feed classes (``sqlite_feeds``, ``postgres_feeds``) define it."""

    def _feed_exec(self, sql: str, params: dict[str, Any]) -> Any:  # pragma: no cover - defined by each backend
        raise NotImplementedError(f"{type(self).__name__} must define _feed_exec")


class FeedReads(Statements):
    """The feed reads."""


    def _feed_records(self, sql: str, params: dict[str, Any]) -> list[FeedRecord]:
        return [FeedRecord(*row) for row in self._feed_exec(sql, params).fetchall()]

    def feeds(self) -> list[FeedRecord]:
        return self._feed_records(f"SELECT {_FEED_COLS} FROM feeds ORDER BY url", {})

    def feed(self, url: str) -> FeedRecord | None:
        found = self._feed_records(f"SELECT {_FEED_COLS} FROM feeds WHERE url = %(url)s", {"url": url})
        return found[0] if found else None

    def due_feeds(self, at: str, limit: int) -> list[FeedRecord]:
        return self._feed_records(
            f"SELECT {_FEED_COLS} FROM feeds WHERE next_poll_at IS NULL OR next_poll_at <= %(at)s"
            " ORDER BY next_poll_at NULLS FIRST, url LIMIT %(n)s", {"at": at, "n": limit})

    def next_poll_at(self) -> str | None:
        row = self._feed_exec("SELECT COUNT(*), COUNT(next_poll_at), MIN(next_poll_at) FROM feeds", {}).fetchone()
        n, n_set, first = row
        if not n:
            return None
        return "" if n_set < n else str(first)

    def feed_items(self, url: str, links: list[str]) -> dict[str, FeedItemRecord]:
        found: dict[str, FeedItemRecord] = {}
        for i in range(0, len(links), LINK_BATCH):
            batch = links[i:i + LINK_BATCH]
            marks = ", ".join(f"%(l{j})s" for j in range(len(batch)))
            params: dict[str, Any] = {"url": url} | {f"l{j}": link for j, link in enumerate(batch)}
            for row in self._feed_exec(f"SELECT {_ITEM_COLS} FROM feed_items WHERE feed_url = %(url)s"
                                       f" AND link IN ({marks})", params).fetchall():
                item = FeedItemRecord(*row)
                found[item.link] = item
        return found

    def feed_ingests(self, url: str, since: str, limit: int) -> list[tuple[str, str | None]]:
        rows = self._feed_exec("SELECT ingested_at, dated_at FROM feed_items WHERE feed_url = %(url)s"
                               " AND ingested_at >= %(since)s ORDER BY ingested_at DESC LIMIT %(n)s",
                               {"url": url, "since": since, "n": limit}).fetchall()
        return [(str(a), b) for a, b in rows]


class FeedWrites(Statements):
    """The feed writes, inside the backend's open transaction."""


    def add_feed(self, url: str, title: str | None, at: str) -> bool:
        cur = self._feed_exec("INSERT INTO feeds (url, title, added_at) VALUES (%(url)s, %(title)s, %(at)s)"
                              " ON CONFLICT (url) DO NOTHING RETURNING url", {"url": url, "title": title, "at": at})
        return cur.fetchone() is not None

    def remove_feed(self, url: str) -> bool:
        self._feed_exec("DELETE FROM feed_items WHERE feed_url = %(url)s", {"url": url})
        return self._feed_exec("DELETE FROM feeds WHERE url = %(url)s RETURNING url", {"url": url}).fetchone() is not None

    def set_feed_state(self, feed: FeedRecord) -> None:
        cols = [c for c in FeedRecord._fields if c not in ("url", "added_at")]
        sets = ", ".join(f"{c} = %({c})s" for c in cols)
        self._feed_exec(f"UPDATE feeds SET {sets} WHERE url = %(url)s", feed._asdict())

    def put_feed_item(self, url: str, item: FeedItemRecord) -> None:
        cols = FeedItemRecord._fields
        values = ", ".join(f"%({c})s" for c in cols)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "link")
        # a feed removed meanwhile (``feeds remove`` while a watcher polls it) gets no entry, and no
        # foreign-key error either
        if self._feed_exec("SELECT 1 FROM feeds WHERE url = %(url)s", {"url": url}).fetchone() is None:
            return
        self._feed_exec(f"INSERT INTO feed_items (feed_url, {_ITEM_COLS}) VALUES (%(feed_url)s, {values})"
                        f" ON CONFLICT (feed_url, link) DO UPDATE SET {updates}",
                        {"feed_url": url} | item._asdict())

    def prune_feed_items(self, url: str, seen_before: str) -> int:
        return len(self._feed_exec("DELETE FROM feed_items WHERE feed_url = %(url)s AND seen_at < %(at)s"
                                   " RETURNING link", {"url": url, "at": seen_before}).fetchall())
