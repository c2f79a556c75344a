"""The server-rendered pages: content from the store, stable hooks, safety (escaping, CSP), errors."""

from __future__ import annotations

import html
import random
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")

from newsgraph.ids import article_id
from newsgraph.serve.app import CSP
from newsgraph.serve.render import highlight_article, mark_snippet
from newsgraph.store import open_store
from newsgraph.types import Article, Attribution, Entity, Event, Removed, TextSpan
from tests.unit import serve_fixtures
from tests.unit.serve_fixtures import outlets_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

EVIL_TITLE = '"><svg onload=alert(1)>'
EVIL_TEXT = ("Officials in Zorvania said <script>alert(1)</script> the border would reopen. "
             "A spokesman, <img src=x onerror=alert(1)>, said: \"We xsstoken </textarea><iframe src=javascript:alert(2)>"
             " will not wait.\" Critics call it [marked] & <b>bold</b>.")


def _span(text: str, needle: str, entity: str | None = None) -> TextSpan:
    start = text.index(needle)
    return TextSpan(start, start + len(needle), needle, entity)


def evil_article() -> Article:
    t = EVIL_TEXT
    speaker = '<img src=x onerror=alert(3)>'
    attributions = (
        Attribution(kind="indirect", content=_span(t, "<script>alert(1)</script> the border would reopen"),
                    cue=_span(t, "said"), source=_span(t, "Officials in Zorvania", speaker)),
        Attribution(kind="direct", content=_span(t, "We xsstoken </textarea><iframe src=javascript:alert(2)> will not wait."),
                    cue=_span(t, "said:"), source=_span(t, "<img src=x onerror=alert(1)>", '"><svg onload=alert(4)>'),
                    via=_span(t, "A spokesman", "<script>via()</script>")),
    )
    entities = (Entity("gpe:zorvania", "Zorvania <script>e()</script>", "GPE", (_span(t, "Zorvania"),)),)
    events = (Event(type="THREATEN", trigger=_span(t, "reopen"), actor=_span(t, "Officials in Zorvania", "Zorvania"),
                    target=None),)
    return Article(id=article_id(t), source="evil<script>src()</script>.html", url="javascript:alert(5)",
                   title=EVIL_TITLE, outlet="<script>outlet()</script>", authors=("<b>Mallory</b>",),
                   published="2026-11-20", language="en", text=t,
                   removed=(Removed("caption", "<script>removed()</script> caption"),),
                   attributions=attributions, entities=entities, events=events)


@pytest.fixture(scope="module")
def db(examples_db_copy: Any) -> Path:
    path = examples_db_copy("serve_html")
    with open_store(path) as store:
        assert store.add_article(evil_article()) == "new"
    return path


store = serve_fixtures.store
client = serve_fixtures.client


class Tags(HTMLParser):
    """Collects every start tag with its attributes; checks that the tags balance."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "rect", "line"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a" and "a" in self.stack:
            self.errors.append("nested <a>")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def parse(text: str) -> Tags:
    p = Tags()
    p.feed(text)
    p.close()
    return p


def get_page(client: Any, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert_safe(r.text, url)
    return r.text


def assert_safe(text: str, where: str) -> None:
    """No script, no event handler, no inline style, no javascript: link; tags balance."""
    p = parse(text)
    for tag, attrs in p.tags:
        assert tag not in ("script", "iframe", "img", "object", "embed", "textarea", "style"), (where, tag)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            assert name != "style", (where, tag)
            if name in ("href", "src", "action"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (where, value)
        if tag == "svg":
            assert attrs.get("class") == "chart", (where, attrs)
    assert not p.errors, (where, p.errors[:5])
    assert "<script" not in text.lower()


PAGES = ["/", "/articles", "/articles?language=de", "/search", "/search?q=sanctions", "/quotes",
         "/quotes?speaker=Reuters", "/entities", "/entities?type=PERSON", "/events", "/dyad",
         "/dyad?a=United+States&b=Altavera", "/failures", "/entity/Russia"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_safely(client: Any, url: str) -> None:
    text = get_page(client, url)
    assert 'id="search-form"' in text
    assert '<link rel="stylesheet" href="/static/style.css">' in text


def test_static_css_served(client: Any) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and ".sp-0" in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_home(client: Any, store: Any) -> None:
    text = get_page(client, "/")
    assert f"<strong>{store.count_articles()}</strong> articles" in text
    for a in store.actors(limit=3):
        assert html.escape(a.name, quote=False) in text
    for r in store.list_articles(limit=3):
        assert f'href="/article/{r.id}"' in text
    assert 'class="speaker-link"' in text
    assert 'rel="alternate" type="application/json" href="/api/summary"' in text


def test_search_page_marks_and_facets(client: Any, store: Any) -> None:
    text = get_page(client, "/search?q=sanctions")
    hits = store.search("sanctions", limit=100)
    assert text.count('class="hit"') == len(hits)
    assert "<mark>sanctions</mark>" in text.lower() or "<mark>Sanctions</mark>" in text
    assert 'data-facet="outlet"' in text and 'data-facet="language"' in text and 'data-facet="month"' in text
    outlet = hits[0].outlet
    filtered = get_page(client, "/search?" + "&".join(["q=sanctions", "outlet=" + quote(outlet)]))
    assert filtered.count('class="hit"') == sum(h.outlet == outlet for h in hits)


def test_search_bad_syntax_is_not_500(client: Any) -> None:
    for q in ["AND (", '"unclosed', "NEAR("]:
        r = client.get("/search", params={"q": q})
        assert r.status_code in (200, 400)
    r = client.get("/search", params={"q": "((("})
    assert r.status_code == 400 and 'data-status="400"' in r.text
    assert r.headers["content-security-policy"] == CSP


def test_article_page(client: Any, store: Any) -> None:
    row = store.search("ceasefire", limit=1)[0]
    a = store.get_article(row.id).article
    text = get_page(client, f"/article/{a.id}")
    shown = [i for i, att in enumerate(a.attributions) if att.statement and not att.negated and att.confidence >= 0.5]
    assert text.count('class="attribution ') >= len(shown) >= 1
    for i in range(len(a.attributions)):
        assert (f'id="a-{i}"' in text) == (i in shown)
    everything = get_page(client, f"/article/{a.id}?all=1")
    for i in range(len(a.attributions)):
        assert f'id="a-{i}"' in everything
    assert re.search(r'<span class="attribution sp-\d+" data-speaker="[^"]+"', text)
    for e in a.entities[:3]:
        assert f'href="/entity/{quote(e.name, safe="")}"' in text
    if a.removed:
        assert '<details class="removed" id="removed">' in text
    for s in store.get_article(a.id).sources:
        assert html.escape(s.source, quote=False) in text
    if a.events:
        assert 'id="article-events"' in text


def test_quotes_page_links_to_attribution_anchor(client: Any, store: Any) -> None:
    text = get_page(client, "/quotes?limit=20")
    rows = store.quotes(kinds=("statement",), min_confidence=0.5, limit=20)
    assert text.count('<li class="quote"') == len(rows)
    links = re.findall(r'class="quote-anchor" href="/article/([0-9a-f]+)#a-(\d+)"', text)
    assert len(links) == len(rows)
    for (aid, idx), q in zip(links, rows, strict=True):
        att = store.get_article(aid).article.attributions[int(idx)]
        assert aid == q.article_id and att.content.start == q.content_start and att.content.end == q.content_end
    assert 'id="quotes-filter"' in text


def test_quotes_filter_form(client: Any, store: Any) -> None:
    text = get_page(client, "/quotes?speaker=Reuters&since=2026-01-01")
    assert text.count('<li class="quote') == len(store.quotes(speaker="Reuters", since="2026-01-01",
                                                              kinds=("statement",), min_confidence=0.5))
    assert 'value="Reuters"' in text and 'value="2026-01-01"' in text


def test_entity_page(client: Any, store: Any) -> None:
    detail = store.actor("European Union", limit=200)
    text = get_page(client, "/entity/European%20Union")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="timeline"' in text
    assert 'id="quotes-by"' in text and 'id="quotes-about"' in text
    assert 'id="events-as-actor"' in text and 'id="co-occurring"' in text
    assert text.count('<li class="quote"') == len(detail.quotes_by) + len(detail.quotes_about)


def test_dyad_page(client: Any, store: Any) -> None:
    # a pair whose events happened in the article's week: charted
    charted = get_page(client, "/dyad?a=Ostrovia&b=Republic+of+Meridan")
    assert 'id="dyad-chart"' in charted and 'id="dyad-table"' in charted
    # a pair whose events were recalled ("signed ... last year"): listed, not charted (issue 11)
    text = get_page(client, "/dyad?a=United+States&b=Altavera")
    assert 'id="dyad-chart"' not in text and "not charted" in text
    a, b, ab, ba = store.dyad("United States", "Altavera")
    assert text.count('<tr class="event') == min(len(ab), 50) + min(len(ba), 50)
    # The newest `limit` of each direction are listed; the weekly table still counts them all.
    a, b, ab, ba = store.dyad("Hungary", "Slovakia")
    one = get_page(client, "/dyad?a=Hungary&b=Slovakia&limit=1")
    assert one.count('<tr class="event') == min(len(ab), 1) + min(len(ba), 1)
    assert max(len(ab), len(ba)) > 1 and 'class="more"' in one
    assert f"{len(ab)} events" in one


@pytest.mark.parametrize("url,status", [("/article/ffffffffffffffff", 404), ("/article/nothex", 404),
                                        ("/entity/Nobody%20At%20All", 404), ("/no/such/page", 404),
                                        ("/quotes?since=notadate", 400), ("/quotes?limit=-1", 400),
                                        ("/quotes?until=notadate", 400), ("/articles?until=2026-13-01", 400),
                                        ("/events?since=x", 400), ("/dyad?a=Russia", 400),
                                        ("/dyad?a=Russia&b=Nobody%20At%20All", 404)])
def test_error_pages(client: Any, url: str, status: int) -> None:
    text = get_page(client, url, status)
    assert f'data-status="{status}"' in text


# --------------------------------------------------------------------------- hostile input


def test_xss_article_page(client: Any) -> None:
    a = evil_article()
    text = get_page(client, f"/article/{a.id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in text or "&quot;&gt;&lt;svg onload=alert(1)&gt;" in text
    assert "<svg onload" not in text and "<img" not in text and "<iframe" not in text
    assert 'href="javascript:' not in text
    assert "&lt;script&gt;removed()&lt;/script&gt;" in text  # boilerplate panel escaped too


def test_xss_search_quotes_entity_pages(client: Any) -> None:
    for url in ["/search?q=xsstoken", "/search?q=Zorvania", "/quotes?speaker=onerror", "/quotes?about=xsstoken",
                "/", "/articles", "/events?target=", "/entities?search=Zorvania",
                "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "/quotes?speaker=%3Cscript%3E"]:
        text = get_page(client, url)
        assert "<svg onload" not in text
    text = get_page(client, "/search?q=xsstoken")
    assert "<mark>xsstoken</mark>" in text
    text = get_page(client, "/quotes?speaker=svg")
    assert "&lt;svg onload=alert(4)&gt;" in text
    r = client.get("/entity/" + quote("Zorvania <script>e()</script>", safe=""))
    assert r.status_code in (200, 404)
    assert_safe(r.text, "entity")


def test_xss_in_query_parameters_is_escaped(client: Any) -> None:
    text = get_page(client, '/quotes?speaker="><script>alert(9)</script>')
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in text
    text = get_page(client, "/nope/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404)
    assert "<script>alert" not in text


def test_mark_snippet_escapes_first() -> None:
    assert str(mark_snippet("<b>[x]</b> & [y]")) == "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; <mark>y</mark>"
    assert str(mark_snippet("[<script>]")) == "<mark>&lt;script&gt;</mark>"


# --------------------------------------------------------------------------- highlighting


def _strip(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_highlight_keeps_text_and_nests() -> None:
    a = evil_article()
    out = str(highlight_article(a))
    assert _strip(out) == a.text
    assert not parse(out).errors and not parse(out).stack


def test_highlight_random_overlaps_always_nest() -> None:
    rng = random.Random(7)
    text = "".join(rng.choice("ab <>&\"'\n") for _ in range(300))
    for _ in range(60):
        def span() -> TextSpan:
            s = rng.randrange(-5, 310)
            e = s + rng.randrange(-3, 60)
            return TextSpan(s, e, "x", rng.choice([None, "Who <x>"]))

        atts = tuple(Attribution(kind="direct", content=span(), cue=span(), source=span(),
                                 via=rng.choice([None, span()]),
                                 content_spans=rng.choice([(), ((1, 20), (30, 50)), ((40, 90), (60, 120))]))
                     for _ in range(rng.randrange(0, 5)))
        ents = tuple(Entity(f"x:{i}", f"E{i}", "ORG", tuple(span() for _ in range(3))) for i in range(3))
        evs = tuple(Event(type="AGREE", trigger=span()) for _ in range(3))
        art = Article(id="x", source="s", url=None, title=None, outlet=None, authors=(), published=None,
                      language="en", text=text, attributions=atts, entities=ents, events=evs)
        out = str(highlight_article(art))
        assert _strip(out) == text
        p = parse(out)
        assert not p.errors and not p.stack
        ids = re.findall(r'id="(a-\d+)"', out)
        assert len(ids) == len(set(ids))


ODD = ["%00", "%ED%A0%80", "%FF%FE", "%E2%80%AE", "a" * 600, "\"'<>", "%2F..%2F..%2Fetc%2Fpasswd", "NEAR(a b",
       "-1", "9" * 30, "2026-02-30", "((("]
ODD_PAGES = ["/search?q={}", "/quotes?speaker={}", "/quotes?about={}", "/quotes?since={}", "/quotes?limit={}",
             "/events?type={}", "/events?since={}", "/entities?type={}", "/entities?search={}", "/entity/{}",
             "/article/{}", "/dyad?a={}&b=Russia", "/articles?outlet={}", "/articles?offset={}",
             "/search?q=a&offset={}", "/failures?limit={}"]


@pytest.mark.parametrize("url", ODD_PAGES)
def test_odd_input_never_5xx(client: Any, url: str) -> None:
    for value in ODD:
        r = client.get(url.format(value))
        assert r.status_code < 500, (url, value, r.text[:300])
        assert r.headers["content-security-policy"] == CSP
        if r.headers["content-type"].startswith("text/html"):
            assert_safe(r.text, url)


def test_head_requests(client: Any) -> None:
    assert client.head("/").status_code == 200
    assert client.head("/quotes").status_code == 200


def test_bar_chart_escapes_and_balances() -> None:
    from newsgraph.serve.render import bar_chart

    svg = str(bar_chart(["2026-W01", "<w2>"], [("<script>a</script>", "s-ab", [3, -2]), ('"x" & y', "s-ba", [0, 5])],
                        title="</svg><script>t()</script>", signed=True))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    p = parse(svg)
    assert not p.errors and not p.stack
    assert all(not k.startswith("on") for _, attrs in p.tags for k in attrs)
    assert "no dated data" in str(bar_chart([], [], title="t"))


def test_fill_weeks() -> None:
    from newsgraph.serve.queries import fill_weeks

    assert fill_weeks(["2026-W52", "2027-W02"]) == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert fill_weeks(["2026-W05"]) == ["2026-W05"]
    assert fill_weeks(["2000-W01", "2026-W01"]) == ["2000-W01", "2026-W01"]  # too long a span: left as is


# --------------------------------------------------------------------------- search facets over every match


def _facets_on(page: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, body in re.findall(r'data-facet="(\w+)">(.*?)</section>', page, re.S):
        out[name] = {html.unescape(v): int(n) for v, n in
                     re.findall(r'<a href="[^"]*">([^<]*)</a> <span class="n">(\d+)</span>', body)}
    return out


def test_search_page_filters_and_facets_cover_every_match(tmp_path: Path) -> None:
    from collections import Counter

    from newsgraph.serve import create_app
    from tests.unit.serve_fixtures import TestClient

    db = outlets_db(tmp_path / "outlets.db")
    with open_store(db) as s, TestClient(create_app(db)) as c:
        every = s.search("zeppelin", limit=1000)
        small = [h.id for h in every if h.outlet == "Small Post"]
        assert len(every) == 180 and len(small) == 30 and every[99].outlet == "Big Wire"
        # the facets count all 180 matches (the other filters applied), not the best 100
        page = get_page(c, "/search?q=zeppelin")
        assert "180 results" in page
        assert _facets_on(page) == {
            "outlet": dict(Counter(h.outlet for h in every)),
            "language": dict(Counter(h.language or "(none)" for h in every)),
            "month": dict(Counter(h.published[:7] if h.published else "(undated)" for h in every))}
        # the outlet filter finds every Small Post match, page after page (relative links)
        found, url = [], "/search?q=zeppelin&outlet=Small%20Post&limit=8"
        while url:
            page = get_page(c, url)
            assert "30 after filters" in page
            found += re.findall(r'<a class="article-link" href="/article/([0-9a-f]+)"', page)
            nxt = re.search(r'<a class="next" rel="next" href="([^"]+)"', page)
            url = html.unescape(nxt.group(1)) if nxt else None
            assert url is None or url.startswith("/search?")
        assert found == small
        filtered = _facets_on(get_page(c, "/search?q=zeppelin&outlet=Small%20Post"))
        assert filtered["outlet"] == {"Big Wire": 150, "Small Post": 30}
        assert filtered["language"] == dict(Counter(h.language or "(none)" for h in every if h.outlet == "Small Post"))


def test_pager_links_never_carry_the_host_header(client: Any) -> None:
    for url in ("/articles?limit=1", "/articles?limit=1&offset=1", "/quotes?limit=1", "/events?limit=1",
                "/entities?limit=1", "/search?q=the&limit=1", "/search?q=the&limit=1&offset=1"):
        r = client.get(url, headers={"host": "evil.example"})
        assert r.status_code == 200 and "evil.example" not in r.text, url
        assert re.search(r'rel="(next|prev)" href="/', r.text), url


def test_every_entity_link_resolves(examples_db: Path) -> None:
    """Issue 11: event targets such as "the proposal" (and group actors such as "Rebels") were linked
    as entity pages that answer 404. Crawl the example store's home, events, quotes and entities pages
    and every article page, and fetch every /entity/ link they hold."""
    from fastapi.testclient import TestClient

    from newsgraph.serve import create_app

    with open_store(examples_db) as st:
        ids = [a.id for a in st.list_articles(limit=100)]
    with TestClient(create_app(examples_db)) as c:
        links: set[str] = set()
        for url in ["/", "/events", "/quotes", "/entities"] + [f"/article/{i}" for i in ids]:
            r = c.get(url)
            assert r.status_code == 200, url
            links.update(h for h in re.findall(r'href="([^"]+)"', r.text) if h.startswith(("/entity/", "entity/")))
        assert links, "no entity link found: the crawl tests nothing"
        for h in sorted(links):
            h = html.unescape(h)
            assert c.get(h if h.startswith("/") else "/" + h).status_code == 200, h


def test_an_event_target_that_is_not_an_entity_is_not_linked(tmp_path: Path) -> None:
    text = "Rebels attacked the village of Kadu on Monday, officials said."
    art = Article(article_id(text), "ev.txt", None, "Raid", "Post", (), "2026-03-02", "en", text,
                  events=(Event("ASSAULT", _span(text, "attacked"), actor=_span(text, "Rebels"),
                                target=_span(text, "the village")),))
    with open_store(tmp_path / "s.db") as s:
        s.add_article(art, analysis="test")
        (row,) = s.events(limit=5)
    assert (row.actor, row.actor_linked, row.target, row.target_linked) == ("Rebels", False, "the village", False)


def test_article_page_shows_the_dates_evidence_credits_and_modified_day(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.serve import create_app
    from tests.helpers import evidence_db

    evidenced, bare = evidence_db(tmp_path / "ev.db")
    with TestClient(create_app(tmp_path / "ev.db")) as c:
        text = get_page(c, f"/article/{evidenced.id}")
        published = re.search(r'<dd id="published">(.*?)</dd>', text, re.S)
        assert published and re.sub(r"<[^>]+>", "", published.group(1)) == \
            "2026-03-02 · from JSON-LD, confidence 0.97"
        credits = re.search(r'<dd id="credits">(.*?)</dd>', text, re.S)
        assert credits and 'data-kind="wire">AP <span class="meta">wire</span>' in credits.group(1)
        assert "Port Media Group" in credits.group(1)
        by = re.search(r"<dt>by</dt><dd>(.*?)</dd>", text)
        assert by and by.group(1) == "Ines Halvorsen"  # people only; AP is a credit
        assert '<dd id="modified"><time>2026-03-04</time></dd>' in text
        # a date whose evidence was never recorded is shown alone: nothing is guessed
        old = get_page(c, f"/article/{bare.id}")
        assert '<dd id="published"><time>2026-03-01</time></dd>' in old
        assert 'id="credits"' not in old and 'id="modified"' not in old
        listing = get_page(c, "/articles")
        assert 'title="from JSON-LD, confidence 0.97">json_ld</span>' in listing


def test_failures_page_shows_a_refused_pages_kind_and_title(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.serve import create_app
    from tests.helpers import REFUSED, evidence_db

    evidence_db(tmp_path / "ev.db")
    with TestClient(create_app(tmp_path / "ev.db")) as c:
        text = get_page(c, "/failures")
        assert '<span class="page-kind" data-kind="index">index</span>' in text
        assert f'<span class="page-title">{html.escape(REFUSED["title"])}</span>' in text
        assert f"<td>{html.escape(REFUSED['message'])}</td>" in text  # the reason, once
        assert text.count("Energy – all articles") == 1
        home = get_page(c, "/")
        assert 'data-kind="index"' in home and "Energy – all articles" in home
