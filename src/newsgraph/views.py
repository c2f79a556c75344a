"""Which attributions a reader is shown: one rule for every view, in the store's vocabulary.

An article keeps every attribution the finder recorded (statements, but also
beliefs, intentions, objects of a cue, negated cues; see
``analyze/attr_statements.py``), each with a calibrated ``confidence``. Views
choose with the same two filters everywhere (``quotes``, ``/api/quotes``, the
pages, ``analyze --json``):

* ``kinds``, any of ``store.QUOTE_KINDS``: ``statement`` (statements whose cue
  is not negated: the default), ``direct`` / ``indirect`` / ``mixed`` (such
  statements of that quote kind), ``negated`` (records of something not said),
  ``other`` (not statements), ``all``;
* ``min_confidence``, inclusive (the default is ``Settings.quote_threshold``).

``is_shown`` is the Python twin of the store's SQL conditions (``_KIND_CONDS``
in ``store/sqlite.py``); a test checks that both select the same records.
Events point at the attribution they were reported in by index; a selection
renumbers those indexes, and an event whose attribution is not shown keeps
``attribution`` as None (the event itself stays).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from newsgraph.store import DEFAULT_QUOTE_KINDS, QUOTE_KINDS
from newsgraph.types import Article, Attribution

__all__ = ["is_shown", "select_attributions"]

_KINDS: dict[str, Callable[[Attribution], bool]] = {
    "statement": lambda a: a.statement and not a.negated,
    "direct": lambda a: a.statement and not a.negated and a.kind == "direct",
    "indirect": lambda a: a.statement and not a.negated and a.kind == "indirect",
    "mixed": lambda a: a.statement and not a.negated and a.kind == "mixed",
    "negated": lambda a: a.negated,
    "other": lambda a: not a.statement and not a.negated,
    "all": lambda a: True,
}
assert set(_KINDS) == set(QUOTE_KINDS)


def is_shown(a: Attribution, kinds: Iterable[str] = DEFAULT_QUOTE_KINDS, min_confidence: float = 0.0) -> bool:
    """Whether ``a`` is of one of ``kinds`` and has at least ``min_confidence``."""
    return a.confidence >= min_confidence and any(_KINDS[k](a) for k in kinds)


def select_attributions(article: Article, kinds: Iterable[str] = DEFAULT_QUOTE_KINDS,
                        min_confidence: float = 0.0) -> Article:
    """The article with only the selected attributions, event indexes renumbered."""
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in _KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r} (one of {', '.join(QUOTE_KINDS)})")
    if "all" in kinds and min_confidence <= 0:
        return article
    keep: dict[int, int] = {}
    kept: list[Attribution] = []
    for i, a in enumerate(article.attributions):
        if is_shown(a, kinds, min_confidence):
            keep[i] = len(kept)
            kept.append(a)
    events = tuple(e if e.attribution is None else dataclasses.replace(e, attribution=keep.get(e.attribution))
                   for e in article.events)
    return dataclasses.replace(article, attributions=tuple(kept), events=events)
