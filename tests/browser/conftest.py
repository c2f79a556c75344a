"""Browser tests: the web app served by uvicorn, driven by Playwright + Debian Chromium.

* The store is built once per session from ``examples/`` (the real pipeline,
  with analysis) plus hostile articles (XSS payloads in the title, body, quotes
  and speaker names): one ingested as plain text, one written straight through
  the store interface so the payloads surely reach every page.
* The app runs in a second process (``uvicorn`` on a free 127.0.0.1 port).
* No browser (``/usr/bin/chromium`` or the ``playwright`` package missing):
  the tests skip with the reason, except under ``CI=true``, where that is a
  failure (CI must install it: ``scripts/ensure_chromium.sh``).
* Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import free_port, stop, wait_listening

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# The hostile strings: if any of them runs, window.__xss becomes 1 (or a dialog opens).
XSS_SCRIPT = "<script>window.__xss=1;alert(1)</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1;alert(2)">'
XSS_SVG = '"><svg onload=window.__xss=1>'
XSS_WORD = "zanzibarquux"  # a word only the hostile articles contain (to search for them)


def _missing_browser() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright==1.65.2)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM} (run scripts/ensure_chromium.sh as root, "
                "or apt-get install --no-install-recommends chromium)")
    return None


def require_browser() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@dataclass(frozen=True)
class Site:
    base: str
    db: Path
    xss_id: str          # the hand-built hostile article
    xss_speaker: str     # its speaker's canonical name (carries a payload)

    def url(self, path: str) -> str:
        return self.base + path


def _xss_article():
    from newsgraph.ids import article_id
    from newsgraph.types import Article, Attribution, Entity, TextSpan

    speaker = f"Mallory {XSS_SVG} Quux"
    parts: list[str] = []

    def add(s: str) -> TextSpan:
        start = sum(map(len, parts))
        parts.append(s)
        return TextSpan(start, start + len(s), s)

    add(f"The {XSS_WORD} inquiry opened on Monday. ")
    src = add(speaker)
    add(" ")
    cue = add("said")
    add(" that ")
    content = add(f"the page showed {XSS_SCRIPT} and {XSS_IMG} to every reader")
    add(". Officials declined to comment on the hostile markup.")
    text = "".join(parts)
    src = TextSpan(src.start, src.end, src.text, speaker)
    return Article(
        id=article_id(text), source="test:xss", url="https://example.invalid/xss",
        title=f"Hostile {XSS_WORD} title {XSS_SVG} {XSS_SCRIPT}", outlet=f"Evil {XSS_IMG} Outlet",
        authors=(f"Eve {XSS_SCRIPT}",), published="2026-03-01", language="en", text=text,
        attributions=(Attribution("indirect", content, cue, src),),
        entities=(Entity("person:mallory-quux", speaker, "PERSON", (TextSpan(src.start, src.end, src.text),)),),
    ), speaker


_XSS_TXT = f"""Hostile {XSS_WORD} dispatch {XSS_SVG} – Evil Gazette – World

By Eve Example

Published 2 March 2026

Anna Keller, the foreign minister of Valdavia, said on Tuesday that the {XSS_WORD} report contained {XSS_SCRIPT} in its summary.

“We found {XSS_IMG} inside the {XSS_WORD} file,” Keller told reporters in the capital.

According to the ministry, the {XSS_WORD} investigation will continue next week, with officials from three countries taking part.
"""


_SERVER = """
import sys, uvicorn
from newsgraph.serve.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app over examples/ + hostile articles, served on a free loopback port."""
    require_browser()
    from newsgraph.config import Settings
    from newsgraph.ingest import ingest
    from newsgraph.store import open_store

    tmp = tmp_path_factory.mktemp("browser")
    hostile = tmp / "hostile"
    hostile.mkdir()
    (hostile / "evil-gazette-hostile.txt").write_text(_XSS_TXT, encoding="utf-8")
    db = tmp / "site.db"
    article, speaker = _xss_article()
    with open_store(str(db)) as store:
        ingest([str(ROOT / "examples"), str(hostile)], store, Settings(), workers=1, analyze=True)
        store.add_article(article)
        assert store.count_articles() >= 10
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(db), str(port)], env=env, cwd=str(tmp),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        def report() -> str:
            log.flush()
            return (tmp / "server.log").read_text()

        wait_listening(port, proc, report)
        yield Site(f"http://127.0.0.1:{port}", db, article.id, speaker)
    finally:
        stop(proc, timeout=10)
        log.close()


@pytest.fixture(scope="session")
def store(site: Site):
    """A read-only view of the site's store, for the expected values."""
    from newsgraph.store import open_store

    with open_store(str(site.db)) as st:
        yield st


@pytest.fixture(scope="session")
def browser_session() -> Iterator[object]:
    """One Chromium for the session: Playwright's sync API runs one instance at a time."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def chromium(site: Site, browser_session: object) -> object:
    return browser_session


@dataclass
class Watched:
    """A page plus what it did that it should not have: dialogs and page errors."""

    page: object
    dialogs: list[str]
    errors: list[str]


@pytest.fixture
def web(chromium, request: pytest.FixtureRequest) -> Iterator[Watched]:
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    w = Watched(page, [], [])

    def on_dialog(d) -> None:
        w.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    try:
        yield w
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        ctx.close()

