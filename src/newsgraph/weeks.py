"""ISO weeks of the dates newsgraph stores (``YYYY-MM-DD``, or a longer ISO 8601 string).

Only the first ten characters are read: a timestamp counts on the day it was
written with, never converted to another time zone.
"""

from __future__ import annotations

import datetime as dt


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def iso_week(day: str | None) -> str | None:
    """``YYYY-Www`` of an ISO date (or datetime string), None when missing or unreadable."""
    d = _day(day)
    if d is None:
        return None
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: str | None) -> str | None:
    """The Monday (``YYYY-MM-DD``) of the ISO week of a date, None when missing or unreadable."""
    d = _day(day)
    return None if d is None else (d - dt.timedelta(days=d.weekday())).isoformat()
