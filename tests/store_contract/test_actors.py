"""Contract: the actor registry across articles: linking, lookups, pages, and corrections that last."""

from __future__ import annotations

import dataclasses

import pytest

from newsgraph.errors import NotFound, StoreError
from newsgraph.store import Store, open_store
from tests.helpers import analysed_article, entities_article


def _add(store: Store, *articles) -> None:
    for a in articles:
        store.add_article(a, analysis="contract 1")


@pytest.fixture
def registry(store: Store) -> Store:
    _add(store,
         analysed_article(1, published="2026-03-02", quotes=(("Jurgita Daukantė", "The talks resume on Monday"),),
                          events=(("Lithuania", "CONSULT", "Latvia"),),
                          names=(("European Commission", "ORG"), ("Lithuania", "GPE"))),
         analysed_article(2, published="2026-03-10", quotes=(("Daukantė", "We expect an answer"),),
                          names=(("Daukantė", "PERSON"), ("Lithuania", "GPE"), ("Latvia", "GPE"))),
         analysed_article(3, published="2026-03-11", names=(("Lithuania", "GPE"), ("Estonia", "GPE")),
                          events=(("Estonia", "ATTACK", "Lithuania"),)))
    return store


def key_of(store: Store, name: str) -> str:
    return store.actor(name).actor.key


def test_one_actor_across_articles_and_name_forms(registry: Store) -> None:
    d = registry.actor("Jurgita Daukantė")
    assert d.actor.name == "Jurgita Daukantė" and set(d.actor.aliases) >= {"Jurgita Daukantė", "Daukantė"}
    assert (d.actor.n_articles, d.actor.type) == (2, "PERSON")
    assert [a.published for a in d.articles] == ["2026-03-10", "2026-03-02"]  # newest first
    assert [q.content_text for q in d.quotes_by] == ["We expect an answer", "The talks resume on Monday"]
    # lookups: key, any alias, case and accents ignored, a surname alone
    key = d.actor.key
    for name in (key, "daukantė", "DAUKANTE", "jurgita daukante"):
        assert key_of(registry, name) == key, name


def test_actor_list_order_filters_and_pages(registry: Store) -> None:
    rows = registry.actors(limit=100)
    assert rows == sorted(rows, key=lambda r: (-r.n_articles, -r.n_mentions, r.name))
    assert rows[0].name == "Lithuania" and rows[0].n_articles == 3
    assert [r.key for off in range(0, len(rows), 2) for r in registry.actors(limit=2, offset=off)] == [
        r.key for r in rows]
    assert {r.type for r in registry.actors(type="gpe")} == {"GPE"}
    assert [r.name for r in registry.actors(search="daukan")] == ["Jurgita Daukantė"]


def test_actor_pages_events_co_actors_timeline_speakers(registry: Store) -> None:
    d = registry.actor("Lithuania")
    assert [e.type for e in d.events_as_actor] == ["CONSULT"] and [e.type for e in d.events_as_target] == ["ATTACK"]
    co = registry.co_actors("Lithuania")
    assert co == sorted(co, key=lambda c: -c.n_articles) and {c.name for c in co} >= {"Latvia", "Estonia"}
    assert [(c.name, c.n_articles) for c in co if c.name == "Latvia"] == [("Latvia", 2)]
    assert [(w.week_start, w.articles) for w in registry.actor_timeline("Lithuania")] == [
        ("2026-03-02", 1), ("2026-03-09", 2)]
    assert [(s.name, s.n_quotes) for s in registry.top_speakers()] == [("Jurgita Daukantė", 2)]
    assert registry.actor("Jurgita Daukantė").quotes_about == ()
    _add(registry, analysed_article(8, published="2026-03-12", quotes=(("Ann Lee", "Latvia will answer soon"),
                                                                       ("Latvia", "Latvia will decide"))))
    about = registry.actor("Latvia").quotes_about  # what others said of it, not what it said
    assert [(q.speaker, q.content_text) for q in about] == [("Ann Lee", "Latvia will answer soon")]


def test_unknown_and_ambiguous_names(registry: Store) -> None:
    _add(registry, analysed_article(4, names=(("Tomas Daukantas", "PERSON"),)),
         analysed_article(5, names=(("Ona Daukantas", "PERSON"),)))
    with pytest.raises(StoreError) as ei:
        registry.actor("Daukantas")
    assert ei.value.code == "store.ambiguous" and "Tomas Daukantas" in str(ei.value)
    with pytest.raises(NotFound) as nf:
        registry.actor("Lithuanai")
    assert "Lithuania" in nf.value.suggestions  # type: ignore[attr-defined]


def test_merge_lasts_across_re_analysis_new_articles_and_reopening(registry: Store, store_url: str) -> None:
    _add(registry, analysed_article(4, names=(("Brussels Executive Office", "ORG"),)))
    ec = key_of(registry, "European Commission")
    beo = key_of(registry, "Brussels Executive Office")
    assert registry.merge_actors("European Commission", "Brussels Executive Office") == ec
    assert key_of(registry, beo) == ec  # the old key redirects
    assert "Brussels Executive Office" in registry.actor(ec).actor.aliases
    assert registry.actor(ec).actor.n_articles == 2
    with pytest.raises(StoreError) as ei:
        registry.merge_actors("European Commission", "Brussels Executive Office")
    assert ei.value.code == "store.bad_correction"
    _add(registry, analysed_article(5, names=(("Brussels Executive Office", "ORG"),)))
    assert registry.actor(ec).actor.n_articles == 3
    registry.close()
    with open_store(store_url) as again:
        fourth = again.get_article(analysed_article(4, names=(("Brussels Executive Office", "ORG"),)).id).article
        again.replace_analysis(fourth, "contract 2")
        assert key_of(again, "Brussels Executive Office") == ec
        assert again.actor(ec).actor.n_articles == 3


def test_split_lasts_and_refuses_the_only_name(registry: Store) -> None:
    person = key_of(registry, "Daukantė")
    new = registry.split_actor("Jurgita Daukantė", "Daukantė")
    assert new != person and key_of(registry, new) == new
    assert "Daukantė" not in registry.actor(person).actor.aliases
    assert registry.actor(person).actor.n_articles == 1 and registry.actor(new).actor.n_articles == 1
    second = registry.get_article(registry.actor(new).articles[0].id).article
    registry.replace_analysis(second, "contract 2")
    assert [q.speaker for q in registry.actor(new).quotes_by] == ["Daukantė"]
    assert registry.actor(person).actor.n_articles == 1
    with pytest.raises(StoreError) as ei:
        registry.split_actor(new, "Daukantė")
    assert ei.value.code == "store.bad_correction"
    with pytest.raises(StoreError) as ei:
        registry.split_actor(person, "Nobody")
    assert ei.value.code == "store.bad_correction"


def test_an_actor_no_article_names_goes_unless_a_correction_names_it(store: Store) -> None:
    one = entities_article("Valdavia Port Authority said the Estonia route reopens.",
                           ("Valdavia Port Authority", "ORG"), ("Estonia", "GPE"), source="one.txt")
    _add(store, one)
    assert {r.name for r in store.actors()} == {"Valdavia Port Authority", "Estonia"}
    store.replace_analysis(dataclasses.replace(one, entities=one.entities[1:]), "contract 2")
    assert {r.name for r in store.actors()} == {"Estonia"}
