"""Several writers on one PostgreSQL store at the same moment: what only PostgreSQL needs, since
SQLite lets one writer in at a time (``store.postgres``'s "Several writers").

Each test holds one writer's transaction open at the point of the race (``backend.write`` with
the store's own ``_add``), lets a second store (its own connections, as another process would
have) write meanwhile, then commits the first: the outcome must be the one a single writer gives.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from newsgraph.ids import article_id
from newsgraph.store import open_store, stories
from newsgraph.store.values import now
from newsgraph.types import Article
from tests.helpers import entities_article


def art(i: int, body: str, *, source: str | None = None, outlet: str = "Post",
        published: str = "2026-03-01") -> Article:
    text = f"{body} (item {i})"
    return Article(article_id(text), source or f"s{i}.html", None, f"Title {i}", outlet, (), published, "en", text)


class _Held:
    """A write transaction of ``store`` that has added ``article`` and is not committed yet."""

    def __init__(self, store: Any, article: Article, analysis: str | None) -> None:
        self._cm = store.backend.write("held")
        w = self._cm.__enter__()
        self.done = False
        _open.append(self)
        store._lock_names(w, [article])
        assert store._add(w, article, analysis, stories.sign(article.text), now(), None) == "new"

    def commit(self) -> None:
        self.done = True
        self._cm.__exit__(None, None, None)

    def rollback(self) -> None:
        if not self.done:
            self.done = True
            self._cm.__exit__(RuntimeError, RuntimeError("rolled back"), None)


_open: list[_Held] = []


@pytest.fixture(autouse=True)
def _roll_back_held() -> Iterator[None]:
    """A failed test leaves no transaction open (its store could not close, nor the process end)."""
    yield
    while _open:
        _open.pop().rollback()


def _held(store: Any, article: Article, analysis: str | None = None) -> _Held:
    return _Held(store, article, analysis)


def _in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn())
        except Exception as exc:  # the test asserts on it
            out.append(exc)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.5)  # long enough for the second writer to reach the row or lock the first holds
    return t, out


def test_the_same_text_from_two_writers_at_once_is_one_article_with_two_sources(pg_database) -> None:
    url = pg_database(migrated=True)
    with open_store(url) as a, open_store(url) as b:
        first = art(1, "Harbour fees rise in spring", source="wire.html")
        held = _held(a, first)
        t, out = _in_thread(lambda: b.add_article(dataclasses.replace(first, source="copy.html")))
        assert t.is_alive(), out  # waits for the first writer's row
        held.commit()
        t.join(10)
        assert out == ["new_source"]
        assert a.count_articles() == 1
        with a.backend.read("sources") as r:
            assert sorted(x[0] for x in r.conn.execute("SELECT source FROM sources").fetchall()) == [
                "copy.html", "wire.html"]


def test_a_new_name_met_by_two_writers_at_once_is_one_actor(pg_database) -> None:
    """The second writer, given only the surname, waits for the first's new actor and links to it,
    as one writer would; without the name locks it saw no candidate and made a second actor."""
    url = pg_database(migrated=True)
    with open_store(url) as a, open_store(url) as b:
        full = entities_article("Jurgita Daukantė met the board in Vilnius on Monday.",
                                ("Jurgita Daukantė", "PERSON"), ("Vilnius", "GPE"), source="a")
        short = entities_article("Daukantė said the plan would go ahead.", ("Daukantė", "PERSON"), source="b")
        assert b.add_article(art(0, "Fishing quotas")) == "new"  # English is a known search config now
        held = _held(a, full, "v")
        t, out = _in_thread(lambda: b.add_article(short, analysis="v"))
        assert t.is_alive(), out  # waits for the first writer's names
        held.commit()
        t.join(10)
        assert out == ["new"]
        actors = {(x.name, x.type, x.n_articles) for x in a.actors()}
        assert actors == {("Jurgita Daukantė", "PERSON", 2), ("Vilnius", "GPE", 1)}


def test_search_facets_count_an_article_committed_after_a_later_one(pg_database) -> None:
    """Writer A takes seq 1 and commits last; the facets read in between saw seq 2 only and
    must still count seq 1 once A commits (they used to read only above the highest seq seen)."""
    url = pg_database(migrated=True)
    with open_store(url) as a, open_store(url) as b, open_store(url) as reader:
        assert b.add_article(art(0, "Fishing quotas")) == "new"  # English is a known search config now
        held = _held(a, art(1, "Grain exports from the port", outlet="Early"))
        assert b.add_article(art(2, "Grain exports from the port", outlet="Late")) == "new"
        assert reader.search_facets("grain").total == 1
        held.commit()
        facets = reader.search_facets("grain")
        assert facets.total == 2
        assert {f.value: f.n for f in facets.outlet} == {"Early": 1, "Late": 1}
        assert b.add_article(art(3, "Grain exports from the port", outlet="Late")) == "new"
        assert reader.search_facets("grain").total == 3


def test_a_rolled_back_article_leaves_a_gap_the_facets_read_past(pg_database) -> None:
    url = pg_database(migrated=True)
    with open_store(url) as a, open_store(url) as b:
        assert b.add_article(art(0, "Fishing quotas")) == "new"
        held = _held(a, art(1, "Gas storage levels"))
        held.rollback()
        for i in range(2, 5):
            assert b.add_article(art(i, "Gas storage levels")) == "new"
            assert b.search_facets("gas").total == i - 1
        assert b._facets._new.settled >= 5  # the gap at seq 1 does not keep rows above it re-read


def test_a_batch_with_more_names_than_the_lock_limit_takes_every_name_at_once(pg_database, monkeypatch) -> None:
    """Past ``NAME_LOCKS_MAX`` keys a batch holds the one all-names lock (the server's lock table is
    finite): another writer linking any name waits for it, then links as usual."""
    from newsgraph.store import postgres_writer

    monkeypatch.setattr(postgres_writer, "NAME_LOCKS_MAX", 3)
    url = pg_database(migrated=True)
    with open_store(url) as a, open_store(url) as b:
        assert b.add_article(art(0, "Fishing quotas")) == "new"
        held = _held(a, entities_article("Jurgita Daukantė met the board in Vilnius on Monday.",
                                         ("Jurgita Daukantė", "PERSON"), ("Vilnius", "GPE"), source="a"), "v")
        other = entities_article("Oslo hosted the talks.", ("Oslo", "GPE"), source="b")
        t, out = _in_thread(lambda: b.add_article(other, analysis="v"))
        assert t.is_alive(), out
        held.commit()
        t.join(10)
        assert out == ["new"]
        assert {x.name for x in a.actors()} == {"Jurgita Daukantė", "Vilnius", "Oslo"}
