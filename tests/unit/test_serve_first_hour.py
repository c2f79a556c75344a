"""A new user's first hour on the pages (issue 16): empty lists explain themselves, the dyad page
starts somewhere, speakers get colours apart, unknown names and long queries get help, and the
home page says what the store holds. In process (TestClient) over the examples store."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import lxml.html
import pytest

from tests.unit import serve_fixtures


@pytest.fixture(scope="module")
def db(examples_db: Path) -> Path:
    return examples_db


store = serve_fixtures.store
client = serve_fixtures.client


def html_of(client: Any, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    return lxml.html.fromstring(r.text)


def main_text(doc: Any) -> str:
    return " ".join(doc.xpath("//main")[0].text_content().split())


# ------------------------------------------------------------------ 1. empty states

EMPTY_PAGES = [
    "/search?q=qwertyuiopzxcv", "/search?q=zebra+crossing", "/search?q=ceasefire&outlet=Nowhere+Gazette",
    "/quotes?speaker=Nobody+Zzyzx", "/quotes?about=qwertyuiopzxcv", "/quotes?offset=5000",
    "/entities?search=zzzyx", "/entities?search=Daukante&type=ORG", "/events?type=NOSUCHTYPE",
    "/articles?language=xx", "/articles?outlet=Nowhere+Gazette&since=2026-01-01",
]


@pytest.mark.parametrize("url", EMPTY_PAGES)
def test_an_empty_list_is_not_numbered_and_says_why_and_what_to_try(client: Any, url: str) -> None:
    doc = html_of(client, url)
    assert not doc.xpath("//ol[not(li[not(contains(@class, 'empty'))])]"), "an ordered list with no rows"
    assert not doc.xpath("//li[contains(concat(' ', @class, ' '), ' empty ')]"), "a row saying 'none'"
    state = doc.xpath("//div[@class='empty-state']")
    assert len(state) == 1, url
    why = " ".join(state[0].xpath(".//p[@class='empty-why']")[0].text_content().split())
    assert why.startswith("No ") and len(why) > 20, why
    tries = state[0].xpath(".//a[@class='try']/@href")
    assert tries, "an empty list offers something to try"
    for href in tries:
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("url,list_xpath", [
    ("/search?q=ceasefire&outlet=Nowhere+Gazette", "//ol[@id='hits']/li"),
    ("/quotes?speaker=Nobody+Zzyzx", "//ol[@id='quotes']/li"),
    ("/quotes?offset=5000", "//ol[@id='quotes']/li"),
    ("/entities?search=Daukante&type=ORG", "//table[@id='entities']//tbody/tr"),
    ("/articles?language=xx", "//table[@id='articles']//tbody/tr"),
    ("/events?type=NOSUCHTYPE", "//table[@id='events']//tbody/tr"),
])
def test_the_first_thing_to_try_finds_rows(client: Any, url: str, list_xpath: str) -> None:
    """Removing the filter (or going back to the first page) is offered first, and it shows rows."""
    first = html_of(client, url).xpath("//div[@class='empty-state']//a[@class='try']/@href")[0]
    assert html_of(client, first).xpath(list_xpath), first


def test_search_without_any_hit_has_no_empty_facets(client: Any) -> None:
    doc = html_of(client, "/search?q=qwertyuiopzxcv")
    assert not doc.xpath("//aside[@id='facets']")
    tries = doc.xpath("//a[@class='try']/text()")
    assert any("actors named like" in t for t in tries) and any("browse all articles" in t for t in tries)


def test_entity_page_empty_lists_say_what_is_missing(client: Any, store: Any) -> None:
    """An actor without quotes by it: no "1. none" under "Quotes by"."""
    for row in store.actors(limit=200):
        d = store.actor(row.key)
        if not d.quotes_by:
            break
    else:
        pytest.skip("every actor is quoted")
    doc = html_of(client, "/entity/" + quote(row.key, safe=""))
    state = doc.xpath("//section[@id='quotes-by']//div[@class='empty-state']")
    assert state and d.actor.name in state[0].text_content()
    assert not doc.xpath("//li[contains(concat(' ', @class, ' '), ' empty ')]")
