"""Values the store's services hand to a backend, checked once, the same for every backend.

* ``now()``: the timestamp every row is stamped with (UTC, microseconds, ``Z``).
* ``valid_str``: a string any UTF-8 database stores (lone surrogates from an undecodable
  file name become ``\\udcXX`` escapes), so logging a failure never fails on its text.
* Filter values: ``day_range`` (``since``/``until`` as days, ``store.bad_date`` otherwise),
  ``quote_kinds`` (``store.QUOTE_KINDS``, ``store.bad_query`` for an unknown kind),
  ``least_confidence`` and ``id_prefix`` (``store.bad_id``). A backend receives them
  checked and normalised and only turns them into its own query language.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import NamedTuple

from newsgraph.errors import StoreError
from newsgraph.store.rows import QUOTE_KINDS

#: The least number of hex digits that name an article (``Store.get_article``).
MIN_PREFIX = 4
_HEX = re.compile(r"^[0-9a-f]+$")
#: The quote kinds a backend turns into conditions (``all`` is no condition: ``quote_kinds`` gives None).
KIND_NAMES = ("statement", "direct", "indirect", "mixed", "negated", "other")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def valid_str(value: str) -> str:
    """``value`` if it encodes as UTF-8; else with each lone surrogate written as a ``\\udcXX`` escape."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _day(value: str, name: str) -> str:
    """A ``since``/``until`` filter value as ``YYYY-MM-DD`` (``store.bad_date`` otherwise)."""
    from newsgraph.days import parse_day

    try:
        return parse_day(value, name)
    except ValueError as exc:
        raise StoreError(str(exc), code="store.bad_date") from None


class DayRange(NamedTuple):
    """Dates from ``since`` (included) to before ``before`` (excluded); None leaves that end open.
    Dates and timestamps are ISO strings, so a backend compares them as text."""

    since: str | None = None
    before: str | None = None


def day_range(since: str | None, until: str | None) -> DayRange:
    """``since``..``until``, both days included, as a ``DayRange`` (``until`` = 9999-12-31 leaves the end open)."""
    from newsgraph.days import day_after

    lo = _day(since, "since") if since else None
    hi = day_after(_day(until, "until")) if until else None
    return DayRange(lo, hi)


def quote_kinds(kinds: tuple[str, ...] | list[str] | None) -> tuple[str, ...] | None:
    """``Store.quotes(kinds=...)`` checked: lower-cased, in order, each once; None for every attribution
    (None, empty, or ``all`` among them); ``store.bad_query`` for an unknown kind."""
    if kinds is None:
        return None
    kinds = [k.strip().lower() for k in kinds]
    unknown = [k for k in kinds if k not in KIND_NAMES and k != "all"]
    if unknown:
        raise StoreError(f"unknown quote kind {unknown[0]!r}: use {', '.join(QUOTE_KINDS)}", code="store.bad_query")
    if not kinds or "all" in kinds:
        return None
    return tuple(dict.fromkeys(kinds))


def least_confidence(min_confidence: float | None) -> float | None:
    """The least confidence a quote listing asks for; None for any (None or <= 0)."""
    if min_confidence is None or min_confidence <= 0:
        return None
    if not 0 <= min_confidence <= 1:  # NaN too
        raise StoreError(f"least confidence {min_confidence!r} is not between 0 and 1", code="store.bad_query")
    return float(min_confidence)


def id_prefix(id_or_prefix: str) -> str:
    """An article id or a prefix of at least ``MIN_PREFIX`` hex digits, lower-cased (``store.bad_id``)."""
    key = id_or_prefix.strip().lower()
    if len(key) < MIN_PREFIX or not _HEX.match(key):
        raise StoreError(f"not an article id or prefix: {id_or_prefix!r} "
                         f"(give at least {MIN_PREFIX} hex digits)", code="store.bad_id")
    return key


def like_words(text: str) -> str:
    """``%text%`` for a case-insensitive substring match, without the user's own ``%`` and ``_``."""
    return "%" + text.strip().replace("%", "").replace("_", "") + "%"
