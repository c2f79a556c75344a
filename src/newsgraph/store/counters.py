"""The running counters: aggregates a page needs whole, kept up to date as rows are written.

Reads stay flat as the store grows because these are never computed from the rows at read
time; each write of an article's analysis adds to them and each removal (re-analysis)
takes its share back out, in the same transaction:

* ``speaker_counts``: attributions per speaker name (the resolved source entity), once
  per name and article, not once per attribution (``Store.top_speakers``);
* ``name_weeks``: per name and ISO week of the article's date, the articles naming it,
  its mentions and the attributions to it (``Store.actor_timeline``; undated articles
  are not counted);
* ``dyad_weeks``: per (actor, target, week, PLOVER type), the events and how many were
  negated, planned, conditional or reported (``Store.dyad_tallies``); the week is the
  event's own date's, else its article's when the event is new (``event_week``);
* ``actors.n_articles`` / ``n_mentions``: added as entities link to an actor, recounted
  from the links after a correction or a removal (``Writer.recount_actor``).

What is counted, and when, is decided here; a backend only adds the deltas it is given
(``Writer.add_speaker``, ``add_name_week``, ``add_dyad_week``, ``add_actor_counts``).
The attribution tally (``attribution_tally``, schema 10) is kept by the schema itself
(triggers: exact after any insert, delete or update of the flags, even by hand).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsgraph.store.backend import ArticleRef, EntityLink, EventKey, Writer
from newsgraph.types import Attribution, Entity, Event
from newsgraph.weeks import week_start


def event_day(ev: Event, published: str | None) -> str | None:
    """The day that places an event in a week: its own date; else its article's, only when it is
    new (a background or future event without a date of its own is not placed)."""
    return ev.date or (published if ev.timing == "new" else None)


def event_week(ev: Event, published: str | None) -> str | None:
    """The Monday of the week an event is counted in (None when it is not placed)."""
    return week_start(event_day(ev, published))


def _name_week(w: Writer, name: str, published: str | None, *, articles: int = 0, mentions: int = 0,
               quotes: int = 0) -> None:
    week = week_start(published)
    if week is not None:
        w.add_name_week(name, week, articles, mentions, quotes)


def speakers_added(w: Writer, ref: ArticleRef, attributions: Iterable[Attribution]) -> None:
    """An article's attributions were stored: count them once per speaker name."""
    speakers = Counter(a.source.entity for a in attributions if a.source is not None and a.source.entity)
    for name, n in speakers.items():
        w.add_speaker(name, n)
        _name_week(w, name, ref.published, quotes=n)


def speakers_removed(w: Writer, ref: ArticleRef, speakers: Iterable[str | None]) -> None:
    """An article's attributions were deleted (``speakers``: their source entities): take them back out."""
    for name, n in Counter(s for s in speakers if s).items():
        w.add_speaker(name, -n)
        _name_week(w, name, ref.published, quotes=-n)


def entity_added(w: Writer, ref: ArticleRef, entity: Entity, key: str, *, first: bool) -> None:
    """An entity of the article was linked to actor ``key`` (``first``: the article's first link to it)."""
    w.add_actor_counts(key, int(first), len(entity.mentions))
    _name_week(w, entity.name, ref.published, articles=1, mentions=len(entity.mentions))


def entities_removed(w: Writer, ref: ArticleRef, links: Iterable[EntityLink]) -> set[str]:
    """An article's entities were deleted: their weeks go back down; returns the actors they were linked to
    (their counts are recounted by the caller once the article's links are gone)."""
    links = list(links)
    for link in links:
        _name_week(w, link.name, ref.published, articles=-1, mentions=-link.n_mentions)
    return {link.actor_key for link in links if link.actor_key is not None}


def _dyad_delta(key: EventKey, sign: int) -> None | tuple[int, int, int, int, int]:
    if key.actor is None or key.target is None:
        return None
    negated = bool(key.negated)
    return (sign, sign * int(negated), sign * int(not negated and key.modality == "planned"),
            sign * int(not negated and key.modality == "conditional"), sign * int(key.modality == "reported"))


def event_added(w: Writer, key: EventKey) -> None:
    """An event was stored: counted in its dyad's week when both its actor and target are entities."""
    delta = _dyad_delta(key, 1)
    if delta is not None:
        w.add_dyad_week(key, *delta)


def events_removed(w: Writer, keys: Iterable[EventKey]) -> None:
    """An article's events were deleted: each is taken out of its dyad's week."""
    for key in keys:
        delta = _dyad_delta(key, -1)
        if delta is not None:
            w.add_dyad_week(key, *delta)
