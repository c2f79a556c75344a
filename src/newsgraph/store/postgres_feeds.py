"""The followed feeds (and the alerts: ``store.alerts_sql``) on PostgreSQL: ``store.feeds_sql``'s statements over a psycopg connection
(the shared SQL is written with psycopg's own ``%(name)s`` parameters)."""

from __future__ import annotations

from typing import Any

from newsgraph.store.alerts_sql import AlertReads, AlertWrites
from newsgraph.store.feeds_sql import FeedReads, FeedWrites


class PGFeedReads(FeedReads, AlertReads):
    conn: Any

    def _feed_exec(self, sql: str, params: dict[str, Any]) -> Any:
        return self.conn.execute(sql, params)


class PGFeedWrites(FeedWrites, AlertWrites):
    conn: Any

    def _feed_exec(self, sql: str, params: dict[str, Any]) -> Any:
        return self.conn.execute(sql, params)
