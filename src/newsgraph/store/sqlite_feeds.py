"""The followed feeds (and the alerts: ``store.alerts_sql``) on SQLite: ``store.feeds_sql``'s statements over a ``sqlite3`` connection.

The shared SQL uses psycopg's ``%(name)s`` parameters; SQLite takes the same ones as ``:name``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from newsgraph.store.alerts_sql import AlertReads, AlertWrites
from newsgraph.store.feeds_sql import FeedReads, FeedWrites

_PARAM = re.compile(r"%\((\w+)\)s")


@functools.lru_cache(maxsize=64)
def _sqlite_sql(sql: str) -> str:
    return _PARAM.sub(r":\1", sql)


class SQLiteFeedReads(FeedReads, AlertReads):
    conn: Any

    def _feed_exec(self, sql: str, params: dict[str, Any]) -> Any:
        return self.conn.execute(_sqlite_sql(sql), params)


class SQLiteFeedWrites(FeedWrites, AlertWrites):
    conn: Any

    def _feed_exec(self, sql: str, params: dict[str, Any]) -> Any:
        return self.conn.execute(_sqlite_sql(sql), params)
