"""`newsgraph ingest` on URLs and feeds served from loopback (no internet)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsgraph.cli import cli
from tests.helpers import article_text

PAGE = """<!doctype html><html lang="en"><head><title>{title} | Baltic Ledger</title>
<meta property="og:site_name" content="Baltic Ledger">
<meta property="article:published_time" content="2026-03-0{day}T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{paras}</article>
<footer>© 2026 Baltic Ledger</footer></body></html>"""


def _page(i: int) -> str:
    body = article_text(i).split("\n\n")
    paras = "".join(f"<p>{p}</p>" for p in (body[2], body[3], body[6], body[7]))
    return PAGE.format(title=f"Talks resume, day {i}", day=i, paras=paras)


def _feed(server) -> str:
    items = "".join(
        f"<item><title>Feed title {i}</title><link>{server.url(f'/news/{i}')}</link>"
        f"<pubDate>Mon, 0{i} Mar 2026 08:00:00 +0000</pubDate></item>" for i in (1, 2, 3))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>'
            f"<link>{server.base}</link>{items}</channel></rss>")


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_feed_url_items_are_fetched_and_stored(tmp_path: Path, http_server) -> None:
    for i in (1, 2, 3):
        http_server.route(f"/news/{i}", _page(i))
    http_server.route("/news/3", "<html><body>" + "x" * 10 + "</body></html>")  # not an article
    http_server.route("/feed.xml", _feed(http_server), content_type="application/rss+xml")
    db = str(tmp_path / "s.db")

    result = _invoke("--db", db, "ingest", "--json", "--no-progress", "--allow-private", "--delay", "0",
                     http_server.url("/feed.xml"))
    summary = json.loads(result.stdout)
    assert result.exit_code == 1  # one item failed
    assert summary["ingested"] == 2 and summary["failed"] == 1
    assert list(summary["failed_by_code"]) == ["extract.no_article"]

    listing = json.loads(_invoke("--db", db, "articles", "--json").stdout)["articles"]
    # The feed entry's own title and date win over the page's.
    assert sorted(a["title"] for a in listing) == ["Feed title 1", "Feed title 2"]
    assert sorted(a["published"] for a in listing) == ["2026-03-01", "2026-03-02"]

    # Re-running fetches nothing already stored.
    before = len(http_server.hits("/news/1"))
    again = json.loads(_invoke("--db", db, "ingest", "--json", "--no-progress", "--allow-private",
                               "--delay", "0", http_server.url("/feed.xml")).stdout)
    assert again["ingested"] == 0 and again["skipped"] == 2
    assert len(http_server.hits("/news/1")) == before


def test_loopback_is_refused_without_allow_private(tmp_path: Path, http_server) -> None:
    http_server.route("/news/1", _page(1))
    db = str(tmp_path / "s.db")
    result = _invoke("--db", db, "ingest", "--json", "--no-progress", http_server.url("/news/1"))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failed_by_code"] == {"fetch.private_address": 1}
    assert http_server.hits("/news/1") == []
    failures = json.loads(_invoke("--db", db, "failures", "--json").stdout)["failures"]
    assert failures[0]["code"] == "fetch.private_address"
