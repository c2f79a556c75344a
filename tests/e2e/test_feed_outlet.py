"""An article read from a feed is credited to the outlet its page declares, not to the feed's title.

``newsgraph watch`` and ``newsgraph ingest FEED`` on a loopback site (``tests/feed_server.py``):
a page with ``og:site_name`` "Baltic Ledger" listed by a feed titled "Ledger /a.xml" is "Baltic
Ledger"; a page naming no outlet falls back to the feed's title without its URL tail ("Ledger"),
never to the feed file or the bare loopback host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest import ingest
from newsgraph.store import feeds as feedlist
from newsgraph.store import open_store
from newsgraph.watch import Watcher
from tests.feed_server import FeedSite

SETTINGS = Settings(allow_private=True, politeness_delay=0.0, timeout=2.0, retries=0, backoff=0.01)


class UnnamedSite(FeedSite):
    """Pages that name no outlet (no og:site_name, no site suffix in the title or footer)."""

    def _page(self, i: int) -> str:
        return (super()._page(i).replace('<meta property="og:site_name" content="Baltic Ledger">', "")
                .replace(" | Baltic Ledger", "").replace("© 2026 Baltic Ledger", "© 2026"))


@pytest.fixture
def site() -> Iterator[FeedSite]:
    s = FeedSite()
    yield s
    s.close()


@pytest.fixture
def unnamed() -> Iterator[FeedSite]:
    s = UnnamedSite()
    yield s
    s.close()


def outlets(db: Path) -> list[str | None]:
    with open_store(db) as store:
        return [s.article.outlet for s in store.iter_articles()]


def test_watch_credits_the_page_s_site_name_not_the_feed_title(site: FeedSite, tmp_path: Path) -> None:
    site.add("/a.xml", 1, 2)
    db = tmp_path / "w.db"
    with open_store(db) as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
        Watcher(store, SETTINGS, interval=0.0, max_backoff=60.0, analyze=False, workers=1).run(once=True)
        assert feedlist.followed(store)[0].title == "Ledger /a.xml"
    assert outlets(db) == ["Baltic Ledger", "Baltic Ledger"]


def test_ingest_of_a_feed_credits_the_page_s_site_name(site: FeedSite, tmp_path: Path) -> None:
    site.add("/ledger.xml", 1)
    db = tmp_path / "i.db"
    with open_store(db) as store:
        assert ingest([site.url("/ledger.xml")], store, SETTINGS, workers=1).new == 1
    assert outlets(db) == ["Baltic Ledger"]


def test_a_page_naming_no_outlet_falls_back_to_the_cleaned_feed_title(unnamed: FeedSite, tmp_path: Path) -> None:
    unnamed.add("/ledger.xml", 1)
    db = tmp_path / "u.db"
    with open_store(db) as store:
        assert ingest([unnamed.url("/ledger.xml")], store, SETTINGS, workers=1).new == 1
    assert outlets(db) == ["Ledger"]  # the feed's "Ledger /ledger.xml", not "127.0.0.1"
