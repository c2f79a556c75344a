"""Derived read queries for the pages: plain functions over the ``Store`` protocol.

No SQL here: every function only calls Store methods, so it works on any
implementation. (Search facets used to be counted here over the top hits; they are
``Store.search_facets`` now, over every match.)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsgraph.store import ActorWeek, EventRow
from newsgraph.weeks import iso_week

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


def active_pairs(events: Iterable[EventRow], limit: int) -> list[dict[str, Any]]:
    """The pairs of registry actors (both with a page) with the most events between them, either
    way, most first: ``{"a", "b", "n", "a_to_b", "b_to_a"}``, ``a`` the one that acts more often.
    An event from an actor to itself is not a pair."""
    directed: Counter[tuple[str, str]] = Counter()
    for e in events:
        if e.actor_linked and e.target_linked and e.actor and e.target and e.actor != e.target:
            directed[(e.actor, e.target)] += 1
    pairs: dict[frozenset[str], dict[str, Any]] = {}
    for (src, dst), n in directed.items():
        back = directed.get((dst, src), 0)
        key = frozenset((src, dst))
        if key not in pairs and n >= back:
            pairs[key] = {"a": src, "b": dst, "n": n + back, "a_to_b": n, "b_to_a": back}
    return sorted(pairs.values(), key=lambda p: (-p["n"], p["a"], p["b"]))[:limit]
