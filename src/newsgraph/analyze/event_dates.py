"""Event dates: explicit and relative date expressions -> ``YYYY-MM-DD`` (own resolver).

Offline and deterministic (no dateparser / dateutil: their relative parsing
depends on the wall clock and locale settings). :func:`resolve_date` handles

* explicit dates: "3 March 2026", "March 3, 2026", "2026-03-03",
  "3 March" / "March 3" (year from the reference date, else unresolved);
* relative days against ``published``: "today", "tonight", "yesterday",
  "tomorrow", "on Tuesday" (the most recent Tuesday before the reference for
  past events, the next one for planned events), "last week" / "next week"
  (the reference +- 7 days, approximate by design), "N days ago".

A month or year alone ("in September", "in 2014") is not a day: None.
"""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.vocab import MONTH_NUMBERS, month_pattern
from newsgraph.vocab import WEEKDAYS as WEEKDAY_NAMES

__all__ = ["parse_published", "resolve_date"]

MONTHS = dict(MONTH_NUMBERS)  # "january", "jan", "sept" -> 9 (newsgraph.vocab: one vocabulary)
WEEKDAYS = {d: i for i, d in enumerate(WEEKDAY_NAMES)}
_M = month_pattern(group=True)
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _M + r"(?:,?\s+(\d{4}))?\b", re.I)
_MDY = re.compile(r"\b" + _M + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_AGO = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven)\s+days?\s+ago\b", re.I)
_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def parse_published(published: object) -> dt.date | None:
    """A reference date from ``Article.published`` (ISO string, date or datetime)."""
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(published))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _mk(y: int | None, m: int, d: int, ref: dt.date | None) -> dt.date | None:
    if y is None:
        if ref is None:
            return None
        y = ref.year
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def names_a_day(text: str) -> bool:
    """Whether the expression names its day itself ("3 March", "March 3, 2026", "2026-03-03"), so a
    date resolved from it is explicit even when its year comes from the article."""
    return bool(_ISO.search(text) or _DMY.search(text) or _MDY.search(text))


#: a length of time, not a point in it ("five years in prison", "for two weeks", "48 hours")
_DURATION = re.compile(r"^\s*(?:for\s+|the\s+(?:past|last|next)\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|"
                       r"nine|ten|several|many|a few|some)\s+(?:more\s+)?(?:days?|weeks?|months?|years?|decades?|"
                       r"hours?)\s*$", re.I)


def is_duration(text: str) -> bool:
    """Whether a DATE expression is a length of time rather than a date ("five years")."""
    return bool(_DURATION.match(text))


def names_a_point(text: str) -> bool:
    """Whether an expression names a day, absolute or relative ("Saturday night", "yesterday")."""
    return names_a_day(text) or resolve_date(text, dt.date(2000, 1, 3)) is not None


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def year_of(text: str) -> int | None:
    """The year an expression names ("in March 1999" -> 1999), else None."""
    m = _YEAR.search(text)
    return int(m[1]) if m else None


def resolve_date(text: str, published: object = None, *, future: bool = False) -> str | None:
    """``YYYY-MM-DD`` for a date expression, or None (see module docstring)."""
    ref = parse_published(published)
    low = text.lower()
    m = _ISO.search(text)
    if m:
        out = _mk(int(m[1]), int(m[2]), int(m[3]), ref)
        return out.isoformat() if out else None
    m = _DMY.search(text)
    if m:
        out = _mk(int(m[3]) if m[3] else None, MONTHS[m[2].lower()[:3]], int(m[1]), ref)
        return out.isoformat() if out else None
    m = _MDY.search(text)
    if m:
        out = _mk(int(m[3]) if m[3] else None, MONTHS[m[1].lower()[:3]], int(m[2]), ref)
        return out.isoformat() if out else None
    if ref is None:
        return None
    day: dt.date | None = None
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
        day = ref
    elif re.search(r"\byesterday\b", low):
        day = ref - dt.timedelta(days=1)
    elif re.search(r"\btomorrow\b", low):
        day = ref + dt.timedelta(days=1)
    elif re.search(r"\blast week\b", low):
        day = ref - dt.timedelta(days=7)
    elif re.search(r"\bnext week\b", low):
        day = ref + dt.timedelta(days=7)
    elif (m := _AGO.search(low)) is not None:
        n = _NUM.get(m[1]) or int(m[1])
        day = ref - dt.timedelta(days=n)
    else:
        for name, wd in WEEKDAYS.items():
            if re.search(r"\b" + name + r"\b", low):
                if "next" in low or future:
                    delta = (wd - ref.weekday()) % 7 or 7
                    day = ref + dt.timedelta(days=delta)
                else:
                    delta = (ref.weekday() - wd) % 7
                    day = ref - dt.timedelta(days=delta)
                break
    return day.isoformat() if day else None
