"""A new user's first hour (issue 16), in Chromium, on the demo store: what ``make demo`` builds.

The store is made and served by the commands ``make demo`` runs (``newsgraph --db DB ingest
examples/``, ``newsgraph --db DB serve``). The walk: home -> search -> article -> the speaker's
quotes -> the speaker's actor page -> a dyad -> the quotes filter -> the export link. On every
screen: HTTP 200, no script error, no empty list where the step needs rows, and every total
equal to the rows shown. Each screen is saved to ``test-artifacts/first-hour/NN-name.png``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, ROOT, require_browser
from tests.helpers import free_port, stop, wait_listening

pytestmark = pytest.mark.slow

SHOTS = ROOT / "test-artifacts" / "first-hour"


def _newsgraph(*args: str) -> list[str]:
    """The ``newsgraph`` command of this environment (its script, else the same entry point)."""
    script = Path(sys.executable).parent / "newsgraph"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "import sys; from newsgraph.cli import cli; sys.exit(cli())", *args]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo store, built and served as ``make demo`` does (base URL, store path)."""
    require_browser()
    tmp = tmp_path_factory.mktemp("first-hour")
    db = tmp / "newsgraph.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(_newsgraph("--db", str(db), "ingest", str(ROOT / "examples")), env=env, cwd=tmp,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    port = free_port()
    log = (tmp / "serve.log").open("w")
    proc = subprocess.Popen(_newsgraph("--db", str(db), "serve", "--port", str(port)), env=env, cwd=tmp,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        def report() -> str:
            log.flush()
            return (tmp / "serve.log").read_text()

        wait_listening(port, proc, report)
        yield f"http://127.0.0.1:{port}", db
    finally:
        stop(proc, timeout=10)
        log.close()


@pytest.fixture(scope="module")
def store(demo: tuple[str, Path]) -> Iterator[object]:
    from newsgraph.store import open_store

    with open_store(str(demo[1]), read_only=True) as st:
        yield st


class Walk:
    """The browser tab of the walk: every screen checked the same way, and saved."""

    def __init__(self, page: object, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.n = 0
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def goto(self, path: str) -> None:
        resp = self.page.goto(self.base + path, wait_until="load")
        assert resp is not None and resp.status == 200, f"{path}: HTTP {resp.status if resp else None}"

    def follow(self, locator: object, url: str) -> None:
        """Click a link as a user would, and wait for the page it leads to."""
        with self.page.expect_navigation(wait_until="load") as nav:
            locator.click()
        resp = nav.value
        assert resp is not None and resp.status == 200, f"{self.page.url}: HTTP {resp.status if resp else None}"
        assert re.search(url, self.page.url), (url, self.page.url)

    def screen(self, name: str, *, rows: str | None = None) -> None:
        """Check this screen (``rows``: a selector that must find rows here) and save it."""
        page = self.page
        assert self.errors == [], self.errors
        assert page.locator("main").inner_text().strip(), "an empty page"
        numbered_none = page.eval_on_selector_all(
            "ol", "ols => ols.filter(ol => ol.querySelectorAll(':scope > li').length > 0 && "
                  "[...ol.querySelectorAll(':scope > li')].every(li => /^(none|no \\w+)/i.test(li.innerText.trim())))"
                  ".length")
        assert numbered_none == 0, "a numbered list of 'none'"
        if rows is not None:
            assert page.locator(rows).count() > 0, f"{name}: no rows ({rows})"
        self.n += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{self.n:02d}-{name}.png"), full_page=True)


def _int(text: str) -> int:
    return int(re.search(r"\d[\d,]*", text).group(0).replace(",", ""))


def test_first_hour(demo: tuple[str, Path], store) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _db = demo
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page = ctx.new_page()
            page.set_default_timeout(15_000)
            _walk(Walk(page, base), store, expect)
        finally:
            browser.close()


def _walk(w: Walk, store, expect) -> None:
    page = w.page

    # 1. home: what the store holds, and what to try first
    w.goto("/")
    assert _int(page.locator("#n-articles").inner_text()) == store.count_articles()
    assert _int(page.locator("#n-events").inner_text()) == store.count_events()
    expect(page.locator("#date-range")).to_be_visible()
    expect(page.locator("#languages [data-language]").first).to_be_visible()
    assert page.locator("#try-first a.try").count() >= 4
    n_statements = _int(page.locator("#n-statements").inner_text())
    w.screen("home", rows="#recent ol.articles li")

    # 2. search, from the header box, as the README does
    page.fill("#search-q", "sanctions OR ceasefire")
    w.follow(page.locator("#search-form button"), r"/search\?q=sanctions")
    total = _int(page.locator("p.summary").inner_text())
    hits = page.locator("#hits .hit")
    assert total == hits.count() == len(store.search("sanctions OR ceasefire", limit=100)), "the total is the rows"
    outlets = [_int(t) for t in page.locator("[data-facet=outlet] .n").all_inner_texts()]
    assert sum(outlets) == total, "the outlet facet counts every hit once"
    w.screen("search", rows="#hits .hit")

    # 3. the article of the first hit that quotes people
    title = None
    for i in range(hits.count()):
        art = store.get_article(page.locator("#hits .hit .article-link").nth(i).get_attribute("href").split("/")[-1])
        if len({x.source.entity for x in art.article.attributions if x.source and x.source.entity}) >= 3:
            title = art.article.title
            w.follow(page.locator("#hits .hit .article-link").nth(i), r"/article/[0-9a-f]+")
            break
    assert title, "a hit quotes three named speakers"
    expect(page.locator("h1.article-title")).to_have_text(title)
    items = page.locator("#attributions .attribution-item").count()
    legend = [_int(t) for t in page.locator("#speakers li[data-n] > .n").all_inner_texts()]
    assert sum(legend) == items == _int(page.locator("#attributions h2 .n").inner_text()), \
        "the legend counts the statements listed"
    assert legend == sorted(legend, reverse=True), "speakers by number of statements"
    assert len(set(page.locator("#speakers .speakers-coloured .swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)"))) == page.locator(
        "#speakers .speakers-coloured .swatch").count(), "one colour per coloured speaker"
    w.screen("article", rows="#attributions .attribution-item")

    # 4. the most quoted speaker of the article: its quotes
    top = page.locator("#speakers .speakers-coloured li").first
    speaker = top.get_attribute("data-speaker")
    w.follow(top.locator("a.speaker-link"), r"/quotes\?speaker=")
    shown = _int(page.locator("#quote-counts strong").inner_text())
    assert shown == page.locator("#quotes .quote").count(), "the count is the rows (one page)"
    assert all(speaker.lower() in s.lower() for s in page.locator("#quotes .quote .speaker-link").all_inner_texts())
    w.screen("speaker-quotes", rows="#quotes .quote")

    # 5. the speaker's actor page
    w.follow(page.locator("#speaker-actor a.entity-link"), r"/entity/")
    expect(page.locator("h1.entity-name")).to_contain_text(speaker)
    assert _int(page.locator("#quotes-by h2 .n").inner_text()) == page.locator("#quotes-by .quote").count()
    chart = page.locator("#timeline").bounding_box()
    assert chart and chart["width"] > 900, chart
    w.screen("entity", rows="#quotes-by .quote")

    # 6. a dyad: the landing page explains and offers pairs; the first one
    w.follow(page.locator("header.site nav a", has_text="dyad"), r"/dyad$")
    expect(page.locator("#dyad-intro")).to_contain_text("A dyad is")
    w.screen("dyad-start", rows="#active-pairs a.dyad-link")
    pair = page.locator("#active-pairs li").first
    n_pair = _int(pair.locator(".n").inner_text())
    w.follow(pair.locator("a.dyad-link"), r"/dyad\?a=")
    said = re.findall(r"(\d+) events? ", page.locator("main p.meta").first.inner_text())
    assert int(said[0]) + int(said[1]) == n_pair, "the pair's count is the dyad's"
    assert int(said[0]) == page.locator("#events-ab .event").count()
    assert page.locator("#dyad-chart").bounding_box()["width"] > 900
    w.screen("dyad", rows="#events-ab .event")

    # 7. the quotes, filtered by a word of what was said
    w.follow(page.locator("header.site nav a", has_text="quotes"), r"/quotes$")
    assert _int(page.locator("#quote-counts strong").inner_text()) == n_statements, "the home page's figure"
    page.fill("#f-about", "sanctions")
    w.follow(page.locator("#quotes-filter button[type=submit]"), r"about=sanctions")
    shown = _int(page.locator("#quote-counts strong").inner_text())
    rows = page.locator("#quotes .quote")
    assert 0 < shown == rows.count() == store.quote_counts(about="sanctions", kinds=("statement",),
                                                             min_confidence=0.5).shown
    w.screen("quotes-filtered", rows="#quotes .quote")

    # 8. the export link gives those same quotes
    link = page.locator("#export-csv")
    expect(link).to_contain_text(f"all {shown} as CSV")
    with page.expect_download() as dl:
        link.click()
    table = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert len(table) == shown
    assert table[0]["content_text"] == rows.first.locator("blockquote").inner_text().strip()
    w.screen("export", rows="#export a")
