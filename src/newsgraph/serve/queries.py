"""Derived read queries for the pages: plain functions over the ``Store`` protocol.

No SQL here: every function only calls Store methods, so it works on any
implementation (``Holdings`` reads the facet rows every backend's reader gives, through
``Store.backend``). (Search facets used to be counted here over the top hits; they are
``Store.search_facets`` now, over every match.)
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsgraph.store import ActorRow, ActorWeek, EventRow, Store
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


#: How close (``difflib`` ratio, 0..1) an actor's name must be to an unknown one to be offered.
CLOSE_NAME_RATIO = 0.6


def close_actors(store: Store, name: str, limit: int = 8) -> list[ActorRow]:
    """Actors with names close to ``name`` (which no actor has): those with a name containing one
    of its words or its first four letters (a typo further on), ranked by the best ``difflib`` ratio
    of any of their names (a shared word counts as close), most covered first among equals."""
    from difflib import SequenceMatcher

    words = [w for w in name.replace(":", " ").replace("-", " ").split() if len(w) >= 3]
    probes = dict.fromkeys([*words, *(w[:4] for w in words if len(w) > 4)])
    found: dict[str, ActorRow] = {}
    for probe in probes:
        for row in store.actors(search=probe, limit=50):
            found.setdefault(row.key, row)
    wanted = name.casefold()
    lower_words = {w.casefold() for w in words}

    def closeness(row: ActorRow) -> float:
        best = 0.0
        for alias in (row.name, *row.aliases):
            a = alias.casefold()
            shared = 1.0 if lower_words & set(a.split()) else 0.0
            best = max(best, shared * 0.9, SequenceMatcher(None, wanted, a).ratio())
        return best

    scored = [(closeness(r), r) for r in found.values()]
    scored = [(c, r) for c, r in scored if c >= CLOSE_NAME_RATIO]
    scored.sort(key=lambda x: (-round(x[0], 2), -x[1].n_articles, x[1].name))
    return [r for _, r in scored[:limit]]


class Holdings:
    """What the store holds by language and date, for the home page: the languages (most articles
    first), the first and last day published, and how many articles have no date.

    Articles never change their language or date once stored and are only ever added, so the
    counts are kept here and extended with the articles added since the last call
    (``store.facets.NewArticles``: each once, even when concurrent writers commit out of ``seq``
    order): a call costs the new articles, not the store.
    """

    def __init__(self) -> None:
        from newsgraph.store.facets import NewArticles

        self._lock = threading.Lock()
        self._new = NewArticles()  # each article once, whatever order writers commit in
        self.max_seq = 0
        self.languages: Counter[str] = Counter()
        self.first: str | None = None
        self.last: str | None = None
        self.undated = 0

    def update(self, store: Store) -> dict[str, Any]:
        backend = getattr(store, "backend", None)
        with self._lock:
            if backend is not None:
                with backend.read("cannot read what the store holds") as r:
                    for seq, _outlet, language, published in self._new.read(r):
                        self._add(language, published)
                        self.max_seq = max(self.max_seq, int(seq))
            return {"languages": [{"language": k, "n": n} for k, n in
                                  sorted(self.languages.items(), key=lambda x: (-x[1], x[0]))],
                    "first_published": self.first, "last_published": self.last, "undated": self.undated}

    def _add(self, language: str | None, published: str | None) -> None:
        self.languages[language or "unknown"] += 1
        day = (published or "")[:10]
        if len(day) < 10:
            self.undated += 1
            return
        self.first = day if self.first is None or day < self.first else self.first
        self.last = day if self.last is None or day > self.last else self.last
