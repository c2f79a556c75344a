"""Every page of the web app in a real browser: content visible, links followed, forms used, no XSS."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser.conftest import XSS_WORD, Site, Watched

pytestmark = pytest.mark.slow


def _expect():
    from playwright.sync_api import expect

    return expect


def goto(w: Watched, url: str, status: int = 200):
    resp = w.page.goto(url, wait_until="load")
    assert resp is not None and resp.status == status, f"{url}: HTTP {resp.status if resp else None}"
    return resp


def _no_script_ran(w: Watched) -> None:
    assert w.page.evaluate("typeof window.__xss") == "undefined", "injected markup ran"
    assert w.dialogs == [], f"dialogs opened: {w.dialogs}"
    assert w.errors == [], f"page errors: {w.errors}"


#: What pages list by default: statements whose cue is not negated, confidence >= quote_threshold.
SHOWN = {"kinds": ("statement",), "min_confidence": 0.5}

@pytest.fixture(scope="session")
def top_speaker(store) -> str:
    """The canonical name quoted most often in the examples (a person with an entity page)."""
    counts = Counter(q.speaker for q in store.quotes(**SHOWN, limit=2000)
                     if q.speaker and "<" not in q.speaker)
    for name, _ in counts.most_common():
        try:
            store.actor(name)
        except Exception:  # noqa: BLE001 - not a registry actor (a pronoun, a title): try the next
            continue
        return name
    pytest.fail("no quoted speaker in the examples is a registry actor")


@pytest.fixture(scope="session")
def quoted_article(store, top_speaker):
    """An English example article with several attributions by the top speaker."""
    best = max((q.article_id for q in store.quotes(**SHOWN, limit=2000) if q.speaker == top_speaker),
               key=lambda aid: len(store.get_article(aid).article.attributions))
    return store.get_article(best).article


def test_home(web: Watched, site: Site, store) -> None:
    expect = _expect()
    goto(web, site.url("/"))
    expect(web.page.locator("h1")).to_contain_text("newsgraph")
    expect(web.page.locator("#counts")).to_contain_text(str(store.count_articles()))
    newest = store.list_articles(limit=1)[0]
    expect(web.page.locator("#recent .article-link").first).to_be_visible()
    expect(web.page.locator("#recent")).to_contain_text(newest.title)
    expect(web.page.locator("#top-speakers .speaker-link").first).to_be_visible()
    expect(web.page.locator("#top-actors .entity-link").first).to_be_visible()
    _no_script_ran(web)


def test_search_with_a_query(web: Watched, site: Site, store) -> None:
    expect = _expect()
    hits = store.search("ceasefire", limit=5)
    assert hits, "the examples mention a ceasefire"
    goto(web, site.url("/search?q=ceasefire"))
    expect(web.page.locator("#hits .hit").first).to_be_visible()
    expect(web.page.locator("#hits")).to_contain_text(hits[0].title)
    expect(web.page.locator("#hits .snippet").first).to_contain_text(re.compile("ceasefire", re.I))
    # the header search box works too
    web.page.fill("#search-q", "sanctions")
    web.page.locator("#search-form button").click()
    web.page.wait_for_url(re.compile(r"/search\?q=sanctions"))
    expect(web.page.locator("#hits")).to_contain_text(store.search("sanctions", limit=1)[0].title)
    # clicking a hit opens the article
    web.page.locator("#hits .article-link").first.click()
    web.page.wait_for_url(re.compile(r"/article/[0-9a-f]+"))
    expect(web.page.locator("h1.article-title")).to_be_visible()
    _no_script_ran(web)


def test_search_no_results(web: Watched, site: Site) -> None:
    goto(web, site.url("/search?q=qwertyuiopzxcv"))
    state = web.page.locator("#hits-empty")
    _expect()(state).to_contain_text("No article matches")
    _expect()(state.locator("a.try").first).to_be_visible()
    assert web.page.locator("#hits li").count() == 0


def test_article(web: Watched, site: Site, quoted_article) -> None:
    expect = _expect()
    a = quoted_article
    goto(web, site.url(f"/article/{a.id}"))
    expect(web.page.locator("h1.article-title")).to_have_text(a.title)
    expect(web.page.locator("#article-meta")).to_contain_text(a.outlet)
    expect(web.page.locator("#article-text")).to_be_visible()
    first_words = " ".join(a.text.split()[:6])
    expect(web.page.locator("#article-text")).to_contain_text(first_words)
    shown = [x for x in a.attributions if x.statement and not x.negated and x.confidence >= SHOWN["min_confidence"]]
    items = web.page.locator("#attributions .attribution-item")
    expect(items).to_have_count(len(shown))
    expect(web.page.locator("#attributions")).to_contain_text(shown[0].content.text[:40])
    expect(web.page.locator("#analysis-status")).to_contain_text("analysed (en")
    if len(shown) < len(a.attributions):  # the switch shows the rest, marked
        web.page.locator("#show-all").click()
        web.page.wait_for_url(re.compile(r"all=1"))
        expect(web.page.locator("#attributions .attribution-item")).to_have_count(len(a.attributions))
        expect(web.page.locator("#show-default")).to_be_visible()
    _no_script_ran(web)


def test_article_sub_heads_are_headings_on_their_own_lines(web: Watched, site: Site, store) -> None:
    expect = _expect()
    a = next(s.article for s in store.iter_articles() if len(s.article.headings) >= 2)
    goto(web, site.url(f"/article/{a.id}"))
    heads = web.page.locator("#article-text h2.subhead")
    expect(heads).to_have_count(len(a.headings))
    expect(heads.first).to_have_text(a.text[a.headings[0][0]:a.headings[0][1]])
    body = web.page.locator("#article-text").bounding_box()
    for i in range(len(a.headings)):
        box = heads.nth(i).bounding_box()
        assert abs(box["x"] - body["x"]) < 2  # each starts a line of its own, at the text's left edge
    size = heads.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size > web.page.locator("#article-text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    _no_script_ran(web)


def test_article_unknown_id_is_404(web: Watched, site: Site) -> None:
    goto(web, site.url("/article/ffffffffffffffff"), status=404)
    _expect()(web.page.locator("main")).to_be_visible()


def test_speaker_link_from_article(web: Watched, site: Site, quoted_article, top_speaker) -> None:
    """Article -> the speaker's quotes (``.speaker-link``) -> the speaker's entity page."""
    expect = _expect()
    goto(web, site.url(f"/article/{quoted_article.id}"))
    link = web.page.locator(f"#attributions .speaker-link:text-is({top_speaker!r})").first
    expect(link).to_be_visible()
    link.click()
    web.page.wait_for_url(re.compile(r"/quotes\?"))
    assert parse_qs(urlparse(web.page.url).query)["speaker"] == [top_speaker]
    speakers = web.page.locator("#quotes .quote .speaker-link").all_inner_texts()
    assert speakers and all(top_speaker.lower() in s.lower() for s in speakers), speakers
    # ... and from the article's "Named here" list to the entity page
    goto(web, site.url(f"/article/{quoted_article.id}"))
    web.page.locator(f"#article-entities .entity-link:text-is({top_speaker!r})").first.click()
    web.page.wait_for_url(re.compile(r"/entity/"))
    expect(web.page.locator("h1.entity-name")).to_contain_text(top_speaker)
    expect(web.page.locator("#quotes-by .quote").first).to_be_visible()
    _no_script_ran(web)


def test_same_story_link_between_two_outlets(web: Watched, site: Site, store) -> None:
    """Baltic Ledger's cable story and Harbour Times' rerun of it point at each other."""
    expect = _expect()
    ids = {a.outlet: a.id for a in store.list_articles(limit=1000)}
    goto(web, site.url(f"/article/{ids['Baltic Ledger']}"))
    panel = web.page.locator("#same-story")
    expect(panel).to_contain_text("Harbour Times")
    expect(panel).to_contain_text("% shared text")
    panel.locator("a.article-link").first.click()
    web.page.wait_for_url(re.compile(ids["Harbour Times"]))
    expect(web.page.locator("#same-story")).to_contain_text("Baltic Ledger")
    _no_script_ran(web)


def test_entity(web: Watched, site: Site, store, top_speaker) -> None:
    expect = _expect()
    d = store.actor(top_speaker)
    goto(web, site.url("/entity/" + quote(top_speaker, safe="")))
    expect(web.page.locator("h1.entity-name")).to_contain_text(d.actor.name)
    expect(web.page.locator("#quotes-by .quote")).to_have_count(len(d.quotes_by))
    expect(web.page.locator("#entity-articles")).to_contain_text(d.articles[0].title)
    expect(web.page.locator("#timeline-section")).to_be_visible()
    assert_chart_fills_page(web, "#timeline")
    _no_script_ran(web)


def test_entity_unknown_is_404(web: Watched, site: Site) -> None:
    """Not a bare 404: close names, and a search of the actors that works."""
    expect = _expect()
    goto(web, site.url("/entity/Rasa%20Daukant"), status=404)
    expect(web.page.locator("#close-actors a.entity-link", has_text="Rasa Daukante")).to_be_visible()
    goto(web, site.url("/entity/Nobody%20Atall%20Zzyzx"), status=404)
    expect(web.page.locator("h1")).to_contain_text("No actor called")
    web.page.fill("#actor-search-q", "Virtanen")
    web.page.locator("#actor-search button").click()
    web.page.wait_for_url(re.compile(r"/entities\?search=Virtanen"))
    expect(web.page.locator("#entities .entity-link").first).to_contain_text("Virtanen")


def test_quotes_and_filter_form(web: Watched, site: Site, store, top_speaker) -> None:
    expect = _expect()
    goto(web, site.url("/quotes"))
    first = store.quotes(**SHOWN, limit=1)[0]
    expect(web.page.locator("#quotes .quote").first).to_be_visible()
    expect(web.page.locator("#quotes .quote").first).to_contain_text(first.content_text[:40])
    # filter by speaker through the form
    surname = top_speaker.split()[-1]
    web.page.fill("#quotes-filter #f-speaker", surname)
    web.page.locator("#quotes-filter button[type=submit]").click()
    web.page.wait_for_url(re.compile(r"/quotes\?.*speaker="))
    want = store.quotes(**SHOWN, speaker=surname, limit=50)
    expect(web.page.locator("#quotes .quote")).to_have_count(len(want))
    for q in web.page.locator("#quotes .quote .speaker-link").all_inner_texts():
        assert surname.lower() in q.lower()
    expect(web.page.locator("#f-speaker")).to_have_value(surname)
    # an "about" filter that matches nothing says so
    web.page.fill("#quotes-filter #f-about", "qwertyuiopzxcv")
    web.page.locator("#quotes-filter button[type=submit]").click()
    web.page.wait_for_url(re.compile(r"about=qwertyuiopzxcv"))
    expect(web.page.locator("#quotes-empty")).to_contain_text("No statement matches these filters")
    expect(web.page.locator("#quotes-empty a.try", has_text="without about")).to_be_visible()
    _no_script_ran(web)


def assert_chart_fills_page(w: Watched, selector: str) -> None:
    """The chart is as wide as the page's content column (not a 300 px strip)."""
    chart = w.page.locator(selector).bounding_box()
    column = w.page.evaluate("(() => { const m = document.querySelector('main'); const s = getComputedStyle(m);"
                             " return m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); })()")
    assert chart is not None and chart["width"] >= 0.9 * column, (chart, column)


def test_dyad(web: Watched, site: Site, store) -> None:
    expect = _expect()
    pairs = Counter()
    for e in store.events(limit=2000):
        if e.actor and e.target and e.actor != e.target:
            pairs[(e.actor, e.target)] += 1
    for (a, b), _ in pairs.most_common():
        try:
            name_a, name_b, ab, _ba = store.dyad(a, b)
        except Exception:  # noqa: BLE001 - not both registry actors
            continue
        if ab:
            break
    else:
        pytest.fail("no actor pair with events in the examples")
    goto(web, site.url("/dyad?" + f"a={quote(a)}&b={quote(b)}"))
    expect(web.page.locator("h1")).to_contain_text(name_a)
    expect(web.page.locator("h1")).to_contain_text(name_b)
    expect(web.page.locator("#events-ab .event")).to_have_count(len(ab))
    expect(web.page.locator("#dyad-table")).to_be_visible()
    assert_chart_fills_page(web, "#dyad-chart")
    # the landing page explains, offers pairs; its form with the names gives the same page
    goto(web, site.url("/dyad"))
    expect(web.page.locator("#dyad-intro")).to_contain_text("A dyad is")
    expect(web.page.locator("#active-pairs a.dyad-link").first).to_be_visible()
    expect(web.page.locator("#dyad-form")).to_be_visible()
    web.page.fill("#dyad-form input[name=a]", a)
    web.page.fill("#dyad-form input[name=b]", b)
    web.page.locator("#dyad-form button[type=submit]").click()
    web.page.wait_for_url(re.compile(r"/dyad\?a="))
    expect(web.page.locator("#events-ab .event")).to_have_count(len(ab))
    _no_script_ran(web)


# ------------------------------------------------------------------ XSS

def test_xss_article_page(web: Watched, site: Site) -> None:
    expect = _expect()
    goto(web, site.url(f"/article/{site.xss_id}"))
    title = web.page.locator("h1.article-title")
    expect(title).to_contain_text("<script>")          # shown as text ...
    expect(title).to_contain_text('"><svg onload=')
    assert web.page.locator("svg[onload], img[onerror], script:not([src])").count() == 0  # ... never as markup
    expect(web.page.locator("#article-text")).to_contain_text("<img src=x onerror=")
    expect(web.page.locator("#attributions")).to_contain_text("<script>window.__xss=1")
    web.page.wait_for_timeout(300)  # give an onerror / onload time to fire
    _no_script_ran(web)


def test_xss_ingested_text_article(web: Watched, site: Site, store) -> None:
    hits = [h for h in store.search(XSS_WORD, limit=10) if h.id != site.xss_id]
    assert hits, "the hostile plain-text article was ingested"
    goto(web, site.url(f"/article/{hits[0].id}"))
    _expect()(web.page.locator("#article-text")).to_contain_text("<script>")
    assert web.page.locator("svg[onload], img[onerror], script:not([src])").count() == 0
    web.page.wait_for_timeout(300)
    _no_script_ran(web)


@pytest.mark.parametrize("path", [
    f"/search?q={XSS_WORD}",
    f"/quotes?about={XSS_WORD}",
    "/quotes?speaker=Mallory",
    "/",
    "/articles",
    "/entities?search=Mallory",
    "/search?q=" + quote('"><svg onload=window.__xss=1> ' + XSS_WORD),
    "/quotes?speaker=" + quote('"><svg onload=window.__xss=1>'),
    "/dyad?a=" + quote("<script>window.__xss=1</script>") + "&b=x",
])
def test_xss_listing_pages(web: Watched, site: Site, path: str) -> None:
    resp = web.page.goto(site.url(path), wait_until="load")
    assert resp is not None and resp.status < 500, f"{path}: HTTP {resp.status if resp else None}"
    assert web.page.locator("svg[onload], img[onerror], script:not([src])").count() == 0
    web.page.wait_for_timeout(200)
    _no_script_ran(web)


def test_xss_search_shows_hostile_titles_as_text(web: Watched, site: Site) -> None:
    goto(web, site.url(f"/search?q={XSS_WORD}"))
    _expect()(web.page.locator("#hits")).to_contain_text("<script>")
    _no_script_ran(web)


def test_xss_entity_page_of_hostile_speaker(web: Watched, site: Site) -> None:
    goto(web, site.url("/entity/" + quote(site.xss_speaker, safe="")))
    _expect()(web.page.locator("h1.entity-name")).to_contain_text("<svg onload=")
    assert web.page.locator("svg[onload], img[onerror], script:not([src])").count() == 0
    web.page.wait_for_timeout(200)
    _no_script_ran(web)


def test_xss_detector_works(web: Watched) -> None:
    """The XSS assertions above would notice a payload that runs (about:blank has no CSP)."""
    web.page.set_content('<img src=x onerror="window.__xss=1">')
    web.page.wait_for_function("window.__xss === 1")
    with pytest.raises(AssertionError):
        _no_script_ran(web)


def test_missing_browser_skips_locally_and_fails_under_ci(monkeypatch) -> None:
    from tests.browser import conftest

    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        conftest.require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        conftest.require_browser()


def test_speaker_colours_are_distinct_and_grey_speakers_show_their_name(web: Watched, site: Site, store) -> None:
    """On the article with the most speakers: the coloured speakers' underlines differ pairwise
    in the browser, and a grey speaker's statement shows its name when it takes the focus."""
    expect = _expect()
    best = max(store.list_articles(limit=100), key=lambda r: len(
        {(x.source.entity or x.source.text) if x.source else "" for x in store.get_article(r.id).article.attributions}))
    goto(web, site.url(f"/article/{best.id}"))
    colours = web.page.eval_on_selector_all(
        "#speakers .speakers-coloured li", "lis => lis.map(li => { const s = document.querySelector("
        "`#article-text .attribution[data-speaker=\"${CSS.escape(li.dataset.speaker)}\"]`);"
        " return s ? getComputedStyle(s).borderBottomColor : null; })")
    colours = [c for c in colours if c]
    assert len(colours) >= 2 and len(set(colours)) == len(colours), colours
    grey = web.page.locator("#article-text .attribution.sp-other[tabindex='0']").first
    expect(grey).to_be_visible()
    grey.focus()
    shown = grey.evaluate("el => getComputedStyle(el, '::after').content")
    assert shown.strip('"') == grey.get_attribute("data-speaker"), shown
    expect(web.page.locator("#speakers-other")).to_be_visible()
    _no_script_ran(web)


def test_a_query_over_the_limit_stays_in_the_box(web: Watched, site: Site) -> None:
    expect = _expect()
    goto(web, site.url("/"))
    q = " ".join(["ceasefire monitoring mission"] * 25)
    web.page.fill("#search-q", q)
    web.page.locator("#search-form button").click()
    web.page.wait_for_url(re.compile(r"/search\?q="))
    expect(web.page.locator("#too-long")).to_contain_text("the limit is 500")
    expect(web.page.locator("#search-q")).to_have_value(q)
    expect(web.page.locator("#too-long-q")).to_have_value(q)
    # shortened in place, it searches
    web.page.fill("#too-long-q", "ceasefire monitoring")
    web.page.locator("#too-long button").click()
    web.page.wait_for_url(re.compile(r"q=ceasefire\+monitoring"))
    expect(web.page.locator("#hits .hit").first).to_be_visible()
    _no_script_ran(web)
