"""The alerts' rows (``alerts``, ``alert_hits``): one SQL text for both backends, as
``store.feeds_sql`` (psycopg-style ``%(name)s`` parameters; counts from ``RETURNING``). Mixed into
each backend's reader and writer with the feed rows (``store.sqlite_feeds``, ``store.postgres_feeds``).
"""

from __future__ import annotations

from newsgraph.store.backend import AlertHitRecord, AlertRecord
from newsgraph.store.feeds_sql import Statements

_ALERT_COLS = ", ".join(AlertRecord._fields)
_HIT_COLS = ", ".join(AlertHitRecord._fields)


class AlertReads(Statements):
    """The alert reads."""

    def alerts(self) -> list[AlertRecord]:
        return [AlertRecord(*r) for r in self._feed_exec(f"SELECT {_ALERT_COLS} FROM alerts ORDER BY name",
                                                         {}).fetchall()]

    def alert(self, name: str) -> AlertRecord | None:
        row = self._feed_exec(f"SELECT {_ALERT_COLS} FROM alerts WHERE name = %(name)s", {"name": name}).fetchone()
        return None if row is None else AlertRecord(*row)

    def alert_hits(self, name: str, limit: int) -> list[AlertHitRecord]:
        return [AlertHitRecord(*r) for r in self._feed_exec(
            f"SELECT {_HIT_COLS} FROM alert_hits WHERE alert = %(name)s ORDER BY seq DESC LIMIT %(n)s",
            {"name": name, "n": limit}).fetchall()]

    def last_article_seq(self) -> int:
        return int(self._feed_exec("SELECT COALESCE(MAX(seq), 0) FROM articles", {}).fetchone()[0])

    def due_deliveries(self, at: str, limit: int) -> list[AlertHitRecord]:
        return [AlertHitRecord(*r) for r in self._feed_exec(
            f"SELECT {_HIT_COLS} FROM alert_hits WHERE delivery = 'pending' AND next_try_at <= %(at)s"
            " ORDER BY next_try_at, seq LIMIT %(n)s", {"at": at, "n": limit}).fetchall()]


class AlertWrites(Statements):
    """The alert writes, inside the backend's open transaction."""

    def add_alert(self, alert: AlertRecord) -> bool:
        values = ", ".join(f"%({c})s" for c in AlertRecord._fields)
        return self._feed_exec(f"INSERT INTO alerts ({_ALERT_COLS}) VALUES ({values}) ON CONFLICT (name) DO NOTHING"
                               " RETURNING name", alert._asdict()).fetchone() is not None

    def remove_alert(self, name: str) -> bool:
        self._feed_exec("DELETE FROM alert_hits WHERE alert = %(name)s", {"name": name})
        return self._feed_exec("DELETE FROM alerts WHERE name = %(name)s RETURNING name",
                               {"name": name}).fetchone() is not None

    def add_alert_hits(self, name: str, hits: list[tuple[str, str, str]], at: str, last_seq: int,
                       delivery: str | None) -> int:
        added = 0
        for kind, ref, article_id in hits:
            added += self._feed_exec(
                "INSERT INTO alert_hits (alert, kind, ref, article_id, created_at, delivery, next_try_at)"
                " VALUES (%(name)s, %(kind)s, %(ref)s, %(id)s, %(at)s, %(delivery)s, %(next)s)"
                " ON CONFLICT (alert, kind, ref) DO NOTHING RETURNING seq",
                {"name": name, "kind": kind, "ref": ref, "id": article_id, "at": at, "delivery": delivery,
                 "next": at if delivery else None}).fetchone() is not None
        self._feed_exec("UPDATE alerts SET last_seq = %(seq)s WHERE name = %(name)s AND last_seq < %(seq)s",
                        {"name": name, "seq": last_seq})
        return added

    def set_delivery(self, seq: int, delivery: str, attempts: int, next_try_at: str | None,
                     last_error: str | None) -> None:
        self._feed_exec("UPDATE alert_hits SET delivery = %(d)s, attempts = %(a)s, next_try_at = %(n)s,"
                        " last_error = %(e)s WHERE seq = %(seq)s",
                        {"d": delivery, "a": attempts, "n": next_try_at, "e": last_error, "seq": seq})
