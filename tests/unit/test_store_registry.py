"""The cross-article actor registry in the store: linking, no false merges, corrections that last."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import NotFound, StoreError
from newsgraph.store import Store, open_store
from tests.helpers import entities_article

make = entities_article  # (name, type[, other surface forms]) -> an article with those entities


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "r.db")
    yield s
    s.close()


def actor_of(store: Store, name: str) -> str:
    return store.actor(name).actor.key


def test_transliteration_variants_across_articles_are_one_actor(store: Store) -> None:
    store.add_article(make("Sergei Lavrov met Antony Blinken in Geneva.", ("Sergei Lavrov", "PERSON"),
                           ("Antony Blinken", "PERSON"), ("Geneva", "GPE"), source="a"))
    store.add_article(make("Sergey Lavrov spoke to Anthony Blinken by phone from the USA.",
                           ("Sergey Lavrov", "PERSON"), ("Anthony Blinken", "PERSON"), ("USA", "GPE"), source="b"))
    store.add_article(make("The United States and Viktor Orbán disagreed.", ("United States", "GPE"),
                           ("Viktor Orbán", "PERSON"), source="c"))
    store.add_article(make("Viktor Orban travelled to Moscow.", ("Viktor Orban", "PERSON"), ("Moscow", "GPE"),
                           source="d"))
    assert actor_of(store, "Sergei Lavrov") == actor_of(store, "Sergey Lavrov")
    assert actor_of(store, "Antony Blinken") == actor_of(store, "Anthony Blinken")
    assert actor_of(store, "USA") == actor_of(store, "United States")
    assert actor_of(store, "Viktor Orban") == actor_of(store, "Viktor Orbán")
    lavrov = store.actor("Sergei Lavrov")
    assert lavrov.actor.n_articles == 2
    assert set(lavrov.actor.aliases) == {"Sergei Lavrov", "Sergey Lavrov"}
    people = store.actors(type="PERSON")
    assert len(people) == 3


def test_similar_names_do_not_merge(store: Store) -> None:
    store.add_article(make("Paul Kirov and Saul Kirov met Kim Jong-un.", ("Paul Kirov", "PERSON"),
                           ("Saul Kirov", "PERSON"), ("Kim Jong-un", "PERSON"), source="a"))
    store.add_article(make("Kim Jong-il was mentioned near Austria and Australia.", ("Kim Jong-il", "PERSON"),
                           ("Austria", "GPE"), ("Australia", "GPE"), source="b"))
    keys = {actor_of(store, n) for n in ("Paul Kirov", "Saul Kirov", "Kim Jong-un", "Kim Jong-il",
                                         "Austria", "Australia")}
    assert len(keys) == 6


def test_user_corrections_win_and_last(store: Store) -> None:
    store.add_article(make("Hillary Clinton spoke in Iowa.", ("Hillary Clinton", "PERSON"), ("Iowa", "GPE"),
                           source="a"))
    store.add_article(make("Hillary Rodham Clinton spoke in Ohio.", ("Hillary Rodham Clinton", "PERSON"),
                           ("Ohio", "GPE"), source="b"))
    assert actor_of(store, "Hillary Clinton") != actor_of(store, "Hillary Rodham Clinton")
    key = store.merge_actors("Hillary Clinton", "Hillary Rodham Clinton")
    assert actor_of(store, "Hillary Rodham Clinton") == key
    assert store.actor(key).actor.n_articles == 2
    # A later article that says "Hillary Rodham Clinton" links to the merged actor.
    store.add_article(make("Hillary Rodham Clinton visited Ohio again.", ("Hillary Rodham Clinton", "PERSON"),
                           source="c"))
    assert store.actor(key).actor.n_articles == 3

    # Split one name off again; future mentions of it stay apart.
    new = store.split_actor(key, "Hillary Rodham Clinton")
    assert new != key and actor_of(store, "Hillary Rodham Clinton") == new
    assert store.actor(new).actor.n_articles == 2
    store.add_article(make("Hillary Rodham Clinton, once more, in Ohio.", ("Hillary Rodham Clinton", "PERSON"),
                           source="d"))
    assert actor_of(store, "Hillary Rodham Clinton") == new
    assert store.actor(key).actor.n_articles == 1

    with pytest.raises(NotFound):
        store.merge_actors("Nobody Atall", key)
    with pytest.raises(StoreError):
        store.split_actor(key, "Not An Alias")


def test_corrections_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with open_store(path) as s:
        s.add_article(make("Jo Kirov met Joanna Kirov.", ("Jo Kirov", "PERSON"), ("Joanna Kirov", "PERSON"),
                           source="a"))
        s.merge_actors("Joanna Kirov", "Jo Kirov")
    with open_store(path) as s:
        s.add_article(make("Jo Kirov returned.", ("Jo Kirov", "PERSON"), source="b"))
        assert s.actor("Jo Kirov").actor.key == s.actor("Joanna Kirov").actor.key
        assert s.actor("Joanna Kirov").actor.n_articles == 2
