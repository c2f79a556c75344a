"""Which attributions a reader is shown: one rule for every view that prints articles.

An article keeps every attribution the finder recorded (statements, but also
beliefs, intentions, objects of a cue, negated cues; see
``analyze/attr_statements.py``), each with a calibrated ``confidence``. A view
shows one of three selections:

* ``shown`` (the default): statements that are not negated and whose
  confidence is at least the threshold (``Settings.quote_threshold``);
* ``statements``: every statement that is not negated, whatever its confidence;
* ``all``: every record, with its ``statement`` / ``negated`` flags.

Events point at the attribution they were reported in by index; a selection
renumbers those indexes, and an event whose attribution is not shown keeps
``attribution`` as None (the event itself stays).
"""

from __future__ import annotations

import dataclasses

from newsgraph.types import Article, Attribution

__all__ = ["SELECTIONS", "is_shown", "select_attributions"]

SELECTIONS = ("shown", "statements", "all")


def is_shown(a: Attribution, selection: str = "shown", threshold: float = 0.5) -> bool:
    """Whether ``a`` belongs to ``selection`` (see the module docstring)."""
    if selection == "all":
        return True
    if not a.statement or a.negated:
        return False
    return selection == "statements" or a.confidence >= threshold


def select_attributions(article: Article, selection: str = "shown", threshold: float = 0.5) -> Article:
    """The article with only the selected attributions, event indexes renumbered."""
    if selection not in SELECTIONS:
        raise ValueError(f"unknown selection {selection!r} (one of {', '.join(SELECTIONS)})")
    if selection == "all":
        return article
    keep: dict[int, int] = {}
    kept: list[Attribution] = []
    for i, a in enumerate(article.attributions):
        if is_shown(a, selection, threshold):
            keep[i] = len(kept)
            kept.append(a)
    events = tuple(e if e.attribution is None else dataclasses.replace(e, attribution=keep.get(e.attribution))
                   for e in article.events)
    return dataclasses.replace(article, attributions=tuple(kept), events=events)
