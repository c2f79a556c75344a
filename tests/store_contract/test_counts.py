"""Contract: a listing's total is the filtered total (issue 16).

``count_articles``, ``count_events`` and ``count_actors`` with a listing's filters say how many
rows ``list_articles``, ``events`` and ``actors`` give over all their pages: every combination of
the filters below is checked against the listing read whole.
"""

from __future__ import annotations

import itertools

from newsgraph.ids import article_id
from newsgraph.store import Store
from newsgraph.types import Article
from tests.helpers import analysed_article
from tests.store_contract.test_quotes_events import WORLD

ALL = 10_000  # a page larger than any listing here


def _combinations(**choices: tuple) -> list[dict]:
    names = list(choices)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*choices.values())]


def test_article_count_is_the_filtered_listing(store: Store) -> None:
    dates = ["2026-03-02", None, "2026-03-05", "2026-03-02", "2025-12-31", "2026-03-05T10:00:00Z"]
    for i, d in enumerate(dates):
        text = f"Counted body {i}."
        store.add_article(Article(id=article_id(text), source=f"c{i}.html", url=None, title="T",
                                  outlet=("North Post", "South Post")[i % 2], authors=(), published=d,
                                  language=("en", "de")[i % 3 == 0], text=text, removed=()))
    assert store.count_articles() == len(dates)
    combos = _combinations(outlet=(None, "North Post", "Nowhere"), language=(None, "de", "en"),
                           since=(None, "2026-03-02"), until=(None, "2026-03-04"))
    for f in combos:
        assert store.count_articles(**f) == len(store.list_articles(limit=ALL, **f)), f
    assert store.count_articles(language="de") == 2  # not the store's 6


def test_event_count_is_the_filtered_listing_without_repeats(store: Store) -> None:
    for i, (p, o, q, e) in enumerate(WORLD):
        store.add_article(analysed_article(i, published=p, outlet=o, quotes=q, events=e), analysis="contract 1")
    combos = _combinations(actor=(None, "russ", "nobody"), target=(None, "ukraine"), type=(None, "attack"),
                           since=(None, "2026-03-03"), until=(None, "2026-03-08"))
    for f in combos:
        assert store.count_events(**f) == len(store.events(limit=ALL, **f)), f
    assert store.count_events() == 4  # the repeat (same_as) stored in the third article is not counted
    assert store.count_events(actor="russ", type="attack") == 2


def test_actor_count_is_the_filtered_listing(store: Store) -> None:
    store.add_article(analysed_article(1, names=(("European Commission", "ORG"), ("Lithuania", "GPE"))),
                      analysis="contract 1")
    store.add_article(analysed_article(2, names=(("Rasa Daukantė", "PERSON"), ("Latvia", "GPE"))),
                      analysis="contract 1")
    for f in _combinations(type=(None, "gpe", "PERSON", "LOC"), search=(None, "daukan", "lat", "zzz")):
        assert store.count_actors(**f) == len(store.actors(limit=ALL, **f)), f
    assert store.count_actors(type="GPE") == 2
