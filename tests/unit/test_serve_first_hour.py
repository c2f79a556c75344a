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


# ------------------------------------------------------------------ 2. the dyad page

def test_dyad_landing_explains_and_offers_the_most_active_pairs(client: Any, store: Any) -> None:
    import re

    doc = html_of(client, "/dyad")
    assert "A dyad is a pair of actors" in doc.xpath("//p[@id='dyad-intro']")[0].text_content()
    links = doc.xpath("//section[@id='active-pairs']//a[@class='dyad-link']")
    assert links, "the examples have events between named actors"
    counts = [int(re.match(r"(\d+) event", x.getnext().text_content()).group(1)) for x in links]
    assert counts == sorted(counts, reverse=True)
    for link, n in zip(links, counts, strict=True):
        page = main_text(html_of(client, link.get("href")))
        a_b = re.search(r"(\d+) events? .+? → .+?, (\d+) events? ", page)
        assert a_b and int(a_b[1]) + int(a_b[2]) == n, (link.get("href"), page[:200])


def test_pairs_count_both_directions_and_skip_text_only_actors() -> None:
    from newsgraph.serve.queries import active_pairs
    from newsgraph.store import EventRow

    def ev(a: str, b: str, linked: bool = True) -> EventRow:
        return EventRow("x", None, None, None, "ACCUSE", "t", a, b, False, "asserted", None, None, 0, 1,
                        actor_linked=linked, target_linked=True)

    rows = [ev("A", "B"), ev("A", "B"), ev("B", "A"), ev("C", "D"), ev("E", "E"), ev("they", "B", linked=False)]
    assert active_pairs(rows, 5) == [{"a": "A", "b": "B", "n": 3, "a_to_b": 2, "b_to_a": 1},
                                     {"a": "C", "b": "D", "n": 1, "a_to_b": 1, "b_to_a": 0}]


def test_a_chart_of_few_weeks_spans_the_page() -> None:
    from newsgraph.serve.render import CHART_WIDTH, bar_chart

    svg = lxml.html.fromstring(str(bar_chart(["2026-W01", "2026-W02", "2026-W03"], [("x", "s-ab", [1, 2, 3])],
                                             title="t")))
    assert int(svg.get("width")) >= CHART_WIDTH and "wide" not in svg.get("class")
    bars = svg.xpath("//rect[contains(@class, 'bar')]")[:3]
    xs = [float(b.get("x")) for b in bars]
    assert xs[2] - xs[0] > CHART_WIDTH / 2, "the weeks are spread over the width"
    many = lxml.html.fromstring(str(bar_chart([f"w{i}" for i in range(200)], [("x", "s-ab", [1] * 200)], title="t")))
    assert "wide" in many.get("class"), "too many weeks for the page: the chart scrolls"


# ------------------------------------------------------------------ 3. speaker colours

def _article_with_speakers(counts: list[int]) -> Any:
    """An article where speaker i (``S0``, ``S1`` ...) has ``counts[i]`` statements, first appearing in order."""
    from newsgraph.types import Article, Attribution, TextSpan

    parts: list[str] = []
    atts = []
    queue = [i for i, n in enumerate(counts) for _ in range(n)]
    for i in queue:
        start = sum(map(len, parts))
        who = f"S{i}"
        parts.append(f"{who} said that thing {len(atts)}. ")
        atts.append(Attribution("indirect", TextSpan(start + len(who) + 11, start + len(who) + 18, "thing"),
                                TextSpan(start + len(who) + 1, start + len(who) + 5, "said"),
                                TextSpan(start, start + len(who), who, who)))
    text = "".join(parts)
    return Article(id="f" * 16, source="t", url=None, title="t", outlet=None, authors=(), published=None,
                   language="en", text=text, attributions=tuple(atts))


def test_the_eight_most_quoted_speakers_get_a_colour_each_the_rest_one_neutral_style() -> None:
    from newsgraph.serve.render import N_COLOURS, OTHER_SPEAKERS, speaker_classes, speaker_counts

    counts = [1, 5, 2, 2, 7, 1, 1, 3, 1, 1, 4, 1]  # S4 most, then S1, S10, S7 ...
    art = _article_with_speakers(counts)
    ranked = list(speaker_counts(art))
    assert [speaker_counts(art)[w] for w in ranked] == sorted(counts, reverse=True)
    assert ranked[:4] == ["S4", "S1", "S10", "S7"]
    classes = speaker_classes(art)
    coloured = [w for w in ranked if classes[w] != OTHER_SPEAKERS]
    assert coloured == ranked[:N_COLOURS]
    assert len({classes[w] for w in coloured}) == N_COLOURS, "no two speakers share a colour"
    assert {classes[w] for w in ranked[N_COLOURS:]} == {OTHER_SPEAKERS}


def test_the_palette_has_eight_distinct_colours() -> None:
    import re

    from newsgraph.serve.app import HERE
    from newsgraph.serve.render import N_COLOURS

    css = (HERE / "static" / "style.css").read_text()
    colours = dict(re.findall(r"\.sp-(\d+) \{ color: (#[0-9a-f]{6}); \}", css))
    assert len(colours) == N_COLOURS and len(set(colours.values())) == N_COLOURS
    assert "#8a8f98" not in colours.values(), "the neutral grey is nobody's colour"


def test_article_legend_lists_speakers_by_number_of_statements(client: Any, store: Any) -> None:
    from newsgraph.serve.render import N_COLOURS

    best = max(store.list_articles(limit=100), key=lambda r: len(
        {(x.source.entity or x.source.text) if x.source else "" for x in store.get_article(r.id).article.attributions}))
    doc = html_of(client, f"/article/{best.id}")
    coloured = doc.xpath("//ul[@class='speakers-coloured']/li")
    others = doc.xpath("//details[@id='speakers-other']//li")
    assert 0 < len(coloured) <= N_COLOURS and others, "the examples have an article with more than 8 speakers"
    ns = [int(li.get("data-n")) for li in coloured + others]
    assert ns == sorted(ns, reverse=True)
    swatches = [li.xpath("./span[contains(@class, 'swatch')]/@class")[0] for li in coloured]
    assert len(set(swatches)) == len(swatches)
    # a grey speaker's statement carries its name (hover/focus) and can take the keyboard focus
    name = others[0].get("data-speaker")
    grey = doc.xpath("//div[@id='article-text']//span[contains(@class, 'sp-other')][@data-speaker=$n][@id]", n=name)
    assert grey and grey[0].get("tabindex") == "0" and f"speaker: {name}" in grey[0].get("title")


# ------------------------------------------------------------------ totals are the filtered totals

@pytest.mark.parametrize("path,rows_xpath", [
    ("/articles?language=de", "//table[@id='articles']/tbody/tr"),
    ("/articles?outlet=Baltic+Ledger", "//table[@id='articles']/tbody/tr"),
    ("/articles?since=2026-10-01", "//table[@id='articles']/tbody/tr"),
    ("/articles", "//table[@id='articles']/tbody/tr"),
    ("/events?type=ACCUSE", "//table[@id='events']/tbody/tr"),
    ("/events", "//table[@id='events']/tbody/tr"),
    ("/entities?type=PERSON", "//table[@id='entities']/tbody/tr"),
    ("/entities?search=an", "//table[@id='entities']/tbody/tr"),
])
def test_a_list_header_counts_the_rows_its_filters_give(client: Any, path: str, rows_xpath: str) -> None:
    sep = "&" if "?" in path else "?"
    doc = html_of(client, path + sep + "limit=500")
    total = int(doc.xpath("//h1/span[@id='total']")[0].text_content().split()[0])
    assert total == len(doc.xpath(rows_xpath)), path
    api = client.get("/api" + path + sep + "limit=500").json()
    assert api["total"] == total


# ------------------------------------------------------------------ 5. an unknown entity

@pytest.mark.parametrize("typo,meant", [("Rasa Daukant", "Rasa Daukante"), ("Virtanen Aino", "Aino Virtanen"),
                                        ("Owen Kirkla", "Owen Kirkland"), ("Marko Juric Jr", "Marko Jurić")])
def test_an_unknown_entity_is_a_404_that_offers_close_names(client: Any, store: Any, typo: str, meant: str) -> None:
    from newsgraph.errors import NotFound

    try:
        store.actor(typo)
        pytest.skip(f"{typo!r} resolves")  # the registry may learn to read it
    except NotFound:
        pass
    doc = html_of(client, "/entity/" + quote(typo, safe=""), status=404)
    offered = doc.xpath("//ul[@class='close-actors']//a[@class='entity-link']")
    assert meant in [a.text_content() for a in offered]
    assert client.get(offered[0].get("href")).status_code == 200
    assert doc.xpath("//form[@id='actor-search']//input[@name='search']/@value") == [typo]


def test_an_entity_with_no_close_name_still_offers_a_search(client: Any) -> None:
    doc = html_of(client, "/entity/Qqqxz%20Wwwvk", status=404)
    assert not doc.xpath("//ul[@class='close-actors']")
    assert doc.xpath("//form[@id='actor-search'][@action='/entities']")
    assert "No actor called" in main_text(doc)
    assert client.get("/api/entities/Qqqxz%20Wwwvk").json()["status"] == 404  # the API keeps its error shape


# ------------------------------------------------------------------ 6. a query over the limit

def test_a_long_query_says_the_limit_in_plain_words_and_stays_in_the_box(client: Any) -> None:
    q = " ".join(["ceasefire monitoring mission"] * 25)  # 724 characters
    assert len(q) > 500
    r = client.get("/search", params={"q": q})
    assert r.status_code == 400
    assert "String should have" not in r.text and "bad request" not in r.text
    doc = lxml.html.fromstring(r.text)
    said = " ".join(doc.xpath("//div[@id='too-long']/p")[0].text_content().split())
    assert said.startswith(f"Your search is {len(q):,} characters long; the limit is 500.")
    assert doc.xpath("//input[@id='search-q']/@value") == [q]
    assert doc.xpath("//input[@id='too-long-q']/@value") == [q]


def test_an_error_page_keeps_the_query_in_the_box(client: Any) -> None:
    doc = html_of(client, "/search?q=ceasefire&offset=-1", status=400)
    assert doc.xpath("//input[@id='search-q']/@value") == ["ceasefire"]
    doc = html_of(client, "/quotes?about=" + "x" * 600, status=400)
    assert "about is 600 characters long; the limit is 500" in main_text(doc)


# ------------------------------------------------------------------ 7. the home page

def test_home_says_what_the_store_holds(client: Any, store: Any) -> None:
    from collections import Counter

    doc = html_of(client, "/")
    rows = store.list_articles(limit=1000)
    assert int(doc.xpath("//*[@id='n-articles']/strong")[0].text) == len(rows) == store.count_articles()
    days = sorted(r.published[:10] for r in rows if r.published)
    assert doc.xpath("//span[@id='date-range']/time/text()") == [days[0], days[-1]]
    langs = Counter(r.language or "unknown" for r in rows)
    shown = [" ".join(a.text_content().split()) for a in doc.xpath("//span[@id='languages']/*")]
    assert shown == [f"{k} {n}" for k, n in sorted(langs.items(), key=lambda x: (-x[1], x[0]))]
    from newsgraph.store import DEFAULT_QUOTE_KINDS

    statements = store.quote_counts(kinds=DEFAULT_QUOTE_KINDS, min_confidence=0.5).shown
    assert int(doc.xpath("//*[@id='n-statements']")[0].text) == statements
    assert int(doc.xpath("//*[@id='n-events']")[0].text) == len(store.events(limit=10_000))
    assert int(doc.xpath("//*[@id='n-actors']")[0].text) == len(store.actors(limit=10_000))
    counts = store.analysis_counts()
    assert f"{counts.not_analysed} not analysed" in main_text(doc)
    # the quotes page it links to counts the same statements
    counted = html_of(client, "/quotes").xpath("//p[@id='quote-counts']/strong")[0].text
    assert counted == str(statements)


def test_home_says_what_to_try_first_and_each_try_shows_something(client: Any) -> None:
    doc = html_of(client, "/")
    tries = doc.xpath("//section[@id='try-first']//a[@class='try']/@href")
    assert len(tries) >= 4
    rows = {"/search": "//ol[@id='hits']/li", "/article/": "//ol[@class='attributions']/li",
            "/entity/": "//section[@id='quotes-by']//li[contains(@class, 'quote')]",
            "/quotes": "//ol[@id='quotes']/li", "/dyad": "//table[@id='events-ab']//tr[contains(@class, 'event')]"}
    for href in tries:
        xpath = next(x for prefix, x in rows.items() if href.startswith(prefix))
        assert html_of(client, href).xpath(xpath), href


def test_home_of_an_empty_store_says_how_to_fill_it(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.serve import create_app
    from newsgraph.store import open_store

    open_store(tmp_path / "empty.db").close()
    with TestClient(create_app(tmp_path / "empty.db")) as c:
        doc = html_of(c, "/")
    assert "ingest" in doc.xpath("//div[@id='store-empty']")[0].text_content()
    assert not doc.xpath("//ol[not(li)]") and not doc.xpath("//li[@class='empty']")


def test_holdings_count_only_the_new_articles_each_time(tmp_path: Path) -> None:
    from newsgraph.ids import article_id
    from newsgraph.serve.queries import Holdings
    from newsgraph.store import open_store
    from newsgraph.types import Article

    def art(i: int, lang: str | None, day: str | None) -> Article:
        text = f"Article number {i} about harbours."
        return Article(article_id(text), f"s{i}", None, f"T{i}", "O", (), day, lang, text)

    h = Holdings()
    with open_store(tmp_path / "h.db") as s:
        s.add_article(art(1, "en", "2026-03-02"))
        s.add_article(art(2, None, None))
        first = h.update(s)
        assert first == {"languages": [{"language": "en", "n": 1}, {"language": "unknown", "n": 1}],
                         "first_published": "2026-03-02", "last_published": "2026-03-02", "undated": 1}
        s.add_article(art(3, "de", "2025-12-31"))
        s.add_article(art(4, "de", "2026-05-01"))
        again = h.update(s)
    assert again["languages"][0] == {"language": "de", "n": 2}
    assert (again["first_published"], again["last_published"], again["undated"]) == ("2025-12-31", "2026-05-01", 1)
    assert h.max_seq == 4


# ------------------------------------------------------------------ 8. export from the quotes page

@pytest.mark.parametrize("query", ["", "speaker=Daukante", "about=sanctions&all=1", "kind=direct&outlet=Baltic+Ledger"])
def test_the_csv_export_has_the_quotes_the_page_counts(client: Any, query: str) -> None:
    import csv
    import io

    doc = html_of(client, "/quotes?" + query)
    href = doc.xpath("//a[@id='export-csv']/@href")[0]
    r = client.get(href)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == int(doc.xpath("//p[@id='quote-counts']/strong")[0].text)
    api = client.get("/api/quotes?" + query + "&limit=500").json()["quotes"]
    assert [(t["article_id"], int(t["idx"])) for t in table] == [(q["article_id"], q["idx"]) for q in api]


def test_a_speakers_quotes_link_to_its_actor_page(client: Any) -> None:
    doc = html_of(client, "/quotes?speaker=Rasa+Daukante")
    href = doc.xpath("//p[@id='speaker-actor']/a/@href")[0]
    assert "Rasa Daukante" in main_text(html_of(client, href))
    assert not html_of(client, "/quotes?speaker=Rasa").xpath("//p[@id='speaker-actor']"), "only an exact name"


@pytest.mark.parametrize("path,n", [("/articles", "total"), ("/events", "total"), ("/entities", "total"),
                                    ("/quotes", "quote-counts")])
def test_a_full_last_page_has_no_next_link(client: Any, path: str, n: str) -> None:
    """A list of exactly ``limit`` rows has no "next" page (it used to offer an empty one)."""
    first = html_of(client, path)
    total = int((first.xpath(f"//*[@id='{n}']/strong") or first.xpath(f"//*[@id='{n}']"))[0].text_content().split()[0])
    doc = html_of(client, f"{path}?limit={total}")
    assert not doc.xpath("//nav[@class='pager']//a[@rel='next']")
    if total > 1:
        assert html_of(client, f"{path}?limit={total - 1}").xpath("//nav[@class='pager']//a[@rel='next']")


def test_an_entity_list_cut_at_the_limit_says_so(client: Any, store: Any, monkeypatch: Any) -> None:
    """A list the entity page cut is 'newest N' with a link to all, not a count that looks like the total."""
    from newsgraph.serve import pages

    name = store.top_speakers(limit=1)[0].name
    n = len(store.actor(name, limit=1000).quotes_by)
    assert n >= 2
    doc = html_of(client, "/entity/" + quote(name, safe=""))
    assert doc.xpath("//section[@id='quotes-by']/h2/span[@class='n']")[0].text == str(n)
    monkeypatch.setattr(pages, "ENTITY_LIMIT", n - 1)
    doc = html_of(client, "/entity/" + quote(name, safe=""))
    assert doc.xpath("//section[@id='quotes-by']/h2/span")[0].text == f"newest {n - 1}"
    more = doc.xpath("//section[@id='quotes-by']/h2/a[@class='more']/@href")[0]
    assert len(html_of(client, more).xpath("//ol[@id='quotes']/li")) >= n
