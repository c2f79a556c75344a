"""Derived read queries for the pages: plain functions over the ``Store`` protocol.

No SQL here: every function only calls Store methods, so it works on any
implementation. Where a Store method would do the job better (noted below),
these are the stop-gap.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsgraph.store import ActorWeek, SearchHit
from newsgraph.weeks import iso_week


def languages(hits: Iterable[SearchHit]) -> dict[str, str | None]:
    """Each hit's article language (search rows carry it)."""
    return {h.id: h.language for h in hits}


def month_of(day: str | None) -> str | None:
    if not day or len(day) < 7:
        return None
    return day[:7]


def facets(hits: list[SearchHit], langs: dict[str, str | None]) -> dict[str, list[tuple[str, int]]]:
    """Outlet, language and month counts over the result rows, most frequent first."""
    return {
        "outlet": Counter(h.outlet or "(none)" for h in hits).most_common(),
        "language": Counter(langs.get(h.id) or "(none)" for h in hits).most_common(),
        "month": sorted(Counter(month_of(h.published) or "(undated)" for h in hits).items(), reverse=True),
    }


def filter_hits(hits: list[SearchHit], langs: dict[str, str | None], *, outlet: str | None,
                language: str | None, month: str | None) -> list[SearchHit]:
    out = []
    for h in hits:
        if outlet and (h.outlet or "(none)") != outlet:
            continue
        if language and (langs.get(h.id) or "(none)") != language:
            continue
        if month and (month_of(h.published) or "(undated)") != month:
            continue
        out.append(h)
    return out


MAX_FILLED_WEEKS = 260


def fill_weeks(weeks: list[str]) -> list[str]:
    """Every ISO week from the first to the last of ``weeks`` (sorted), so gaps show as gaps.

    Falls back to ``weeks`` itself when the span is longer than ``MAX_FILLED_WEEKS``.
    """
    if len(weeks) < 2:
        return list(weeks)
    try:
        first = dt.date.fromisocalendar(int(weeks[0][:4]), int(weeks[0][6:]), 1)
        last = dt.date.fromisocalendar(int(weeks[-1][:4]), int(weeks[-1][6:]), 1)
    except ValueError:
        return list(weeks)
    n = (last - first).days // 7 + 1
    if n > MAX_FILLED_WEEKS:
        return list(weeks)
    out = []
    for i in range(n):
        year, week, _ = (first + dt.timedelta(weeks=i)).isocalendar()
        out.append(f"{year}-W{week:02d}")
    return out


def entity_timeline(weeks: Iterable[ActorWeek]) -> list[dict[str, Any]]:
    """``Store.actor_timeline`` rows keyed by ISO week name (``2026-W10``), for the chart and table."""
    out = []
    for w in weeks:
        name = iso_week(w.week_start)
        if name is not None:
            out.append({"week": name, "articles": w.articles, "mentions": w.mentions, "quotes_by": w.quotes_by})
    return out
