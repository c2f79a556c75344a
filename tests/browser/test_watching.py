"""The feeds and alerts pages in Chromium (issue 15), on a store that followed a loopback news
site (``tests/feed_server.py``) with one ``newsgraph watch`` pass (analysis on): one feed that
answered, one that failed; an alert on quotes with hits, one with a webhook, one that matched
nothing. Served by ``newsgraph serve``. Screens go to ``test-artifacts/watch/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest

from tests.browser.conftest import ROOT, require_browser
from tests.feed_server import FeedSite
from tests.helpers import free_port, stop, wait_listening

pytestmark = pytest.mark.slow

SHOTS = ROOT / "test-artifacts" / "watch"
HOOK = "http://127.0.0.1:9/hooks/PATHSECRET"
SECRET = "browser-test-signing-secret"


@dataclass
class Served:
    base: str
    db: Path
    feed_ok: str
    feed_bad: str


def _newsgraph(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "newsgraph"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "import sys; from newsgraph.cli import cli; sys.exit(cli())", *args]


def _build(db: Path, news: FeedSite) -> tuple[str, str]:
    from newsgraph.config import Settings
    from newsgraph.store import alerts, open_store
    from newsgraph.store import feeds as feedlist
    from newsgraph.store.alerts import AlertFilters
    from newsgraph.watch import Watcher

    news.add("/ledger.xml", 1, 2, 3, 4)
    news.fail("/broken.xml", 100)
    ok, bad = news.url("/ledger.xml"), news.url("/broken.xml")
    settings = Settings(allow_private=True, politeness_delay=0.0, timeout=5.0, retries=0, backoff=0.01)
    with open_store(str(db)) as store:
        feedlist.follow(store, [(ok, None), (bad, None)])
        alerts.add(store, "winter quotes", AlertFilters(about="winter"))
        alerts.add(store, "talks", AlertFilters(query="talks"), webhook=HOOK, secret=SECRET)
        alerts.add(store, "zeppelins", AlertFilters(query="zeppelin"))
        Watcher(store, settings, interval=60.0, max_backoff=600.0, analyze=True, workers=1).run(once=True)
        assert store.count_articles() == 4
        assert len(alerts.hits(store, "winter quotes")[1]) >= 3, "the feed's quotes were not found"
    return ok, bad


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()
    tmp = tmp_path_factory.mktemp("watch-pages")
    db = tmp / "watch.db"
    news = FeedSite()
    try:
        ok, bad = _build(db, news)
    finally:
        news.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    port = free_port()
    log = (tmp / "serve.log").open("w")
    proc = subprocess.Popen(_newsgraph("--db", str(db), "serve", "--port", str(port)), env=env, cwd=tmp,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc, lambda: (log.flush(), (tmp / "serve.log").read_text())[1])
        yield Served(f"http://127.0.0.1:{port}", db, ok, bad)
    finally:
        stop(proc, timeout=10)
        log.close()


@pytest.fixture
def page(served: Served, browser_session: object) -> Iterator[object]:
    ctx = browser_session.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
    yield pg
    ctx.close()
    assert errors == []


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_feeds_page_shows_the_health_of_each_feed(served: Served, page) -> None:
    page.goto(served.base + "/")
    page.click("header.site nav >> text=feeds")
    assert page.url == served.base + "/feeds"
    rows = page.locator("#feeds tbody tr")
    assert rows.count() == 2 and page.locator("#total").inner_text() == "2"
    good = page.locator(f'tr[data-url="{served.feed_ok}"]')
    bad = page.locator(f'tr[data-url="{served.feed_bad}"]')
    assert good.locator(".feed-status").inner_text() == "ok"
    assert "Ledger /ledger.xml" in good.locator(".feed-url").inner_text()  # the feed's own title
    assert good.locator(".errors-in-a-row").inner_text() == "0"
    assert good.locator(".items").inner_text() == "4 / 4"
    assert float(good.locator(".items-per-day").inner_text()) == 4.0
    assert re.search(r"\d+(\.\d)? days|\d+ h", good.locator(".median-delay").inner_text())  # dated 2026-03-01
    assert good.locator(".last-success time").count() == 1
    assert bad.locator(".feed-status").inner_text() == "failing"
    assert "fetch.http_500" in bad.locator(".last-error").inner_text()
    assert "HTTP 500" in bad.locator(".last-error .reason").inner_text()
    assert bad.locator(".errors-in-a-row").inner_text() == "1"
    assert bad.locator(".next-poll time").count() == 1 and bad.locator(".last-success").inner_text() == "never"
    api = page.request.get(served.base + "/api/feeds").json()
    assert {f["url"]: f["status"] for f in api["feeds"]} == {served.feed_ok: "ok", served.feed_bad: "failing"}
    shot(page, "feeds")


def test_alerts_page_hits_land_on_the_anchored_quote(served: Served, page) -> None:
    page.goto(served.base + "/feeds")
    page.click("header.site nav >> text=alerts")
    assert page.url == served.base + "/alerts"
    names = page.locator("section.alert").evaluate_all("els => els.map(e => e.dataset.name)")
    assert names == ["talks", "winter quotes", "zeppelins"]
    atoms = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert sorted(atoms.evaluate_all("ls => ls.map(l => l.getAttribute('href'))")) == [
        "/alerts/talks.atom", "/alerts/winter%20quotes.atom", "/alerts/zeppelins.atom"]
    talks = page.locator('section.alert[data-name="talks"]')
    assert "127.0.0.1:9/…" in talks.locator(".delivery").inner_text()
    body = page.content()
    assert SECRET not in body and "PATHSECRET" not in body
    quiet = page.locator('section.alert[data-name="zeppelins"]')
    assert quiet.locator(".empty-state").inner_text().startswith("No hits yet")
    assert quiet.locator("ol").count() == 0
    shot(page, "alerts")

    page.click('section.alert[data-name="winter quotes"] >> a.alert-link')
    assert page.url.endswith("/alerts/winter%20quotes")
    hits = page.locator("a.hit-link")
    assert hits.count() == len(page.request.get(served.base + "/api/alerts/winter%20quotes").json()["hits"]) >= 3
    assert "winter" in hits.first.inner_text()
    shot(page, "alert-winter-quotes")
    href = hits.first.get_attribute("href")
    hits.first.click()
    page.wait_for_load_state()
    anchor = href.split("#", 1)[1]
    assert page.url.endswith("#" + anchor) and re.fullmatch(r"a-\d+", anchor)
    target = page.locator(f"#{anchor}")
    assert target.count() == 1 and "winter" in target.inner_text()
    assert target.is_visible()
    shot(page, "alert-hit-article")


def test_atom_feed_is_discovered_and_read(served: Served, page) -> None:
    page.goto(served.base + "/alerts/winter%20quotes")
    href = page.locator('head link[type="application/atom+xml"]').get_attribute("href")
    r = page.request.get(served.base + href)
    assert r.status == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.body())
    assert not feed.bozo and len(feed.entries) >= 3
    for e in feed.entries:
        assert e.link.startswith(served.base + "/article/")
        page.goto(e.link)
        assert page.locator("#" + e.link.split("#", 1)[1]).count() == 1
    assert page.request.get(served.base + "/alerts/nobody.atom").status == 404
