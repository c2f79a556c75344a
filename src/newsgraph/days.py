"""Calendar days users give as filters (``since``/``until``): one parser for the CLI, the API and the store.

Only ``YYYY-MM-DD`` is a day here (years 0001..9999): ``0``, ``20260101``,
``2026-W01-1`` or a timestamp are refused with one message, wherever they come
from, so a typo never silently becomes 1970-01-01 or another day.

Stored dates are ISO strings (a day or a longer timestamp), so "on or before
``until``" is ``date < day_after(until)``; the last representable day has no
day after it, and then the bound is open (``None``).
"""

from __future__ import annotations

import datetime as dt
import re

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: str, name: str = "date") -> str:
    """``value`` as a ``YYYY-MM-DD`` day; ``ValueError`` with a one-line reason otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    if not _DAY.fullmatch(text):
        raise ValueError(f"{name} must be a YYYY-MM-DD date, not {value!r}")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"{name} {value!r} is not a calendar day ({exc})") from None


def day_after(day: str) -> str | None:
    """The day after ``day`` (a ``parse_day`` result), None after 9999-12-31."""
    d = dt.date.fromisoformat(day)
    return None if d == dt.date.max else (d + dt.timedelta(days=1)).isoformat()
