"""A search that matched more than it looks at (``config.SEARCH_BOUND``) says so in the same words
on the search page, in the API and in the CLI: "about N results", the newest ones ranked and counted;
a filtered search says how many pass the filters (read with them), not how many of the newest matches.
(The store's side, on both backends, is the contract suite's: tests/store_contract/test_search.py.)"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about its httpx backend on import
    from fastapi.testclient import TestClient

from newsgraph import config
from newsgraph.cli import cli
from newsgraph.ids import article_id
from newsgraph.serve import create_app
from newsgraph.store import open_store
from newsgraph.types import Article


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = str(tmp_path / "bound.db")
    with open_store(path) as s:
        for i in range(30):
            text = f"The ferry to the island sailed at dawn, trip number {i}."
            s.add_article(Article(article_id(text), f"f{i}.html", None, f"Ferry {i}",
                                  "Old Gazette" if i < 4 else "Island Post", (),
                                  f"2026-03-{1 + i % 28:02d}", "en", text))
    monkeypatch.setattr(config, "SEARCH_BOUND", 6)
    return path


def test_the_page_and_the_api_say_about_and_how_many_were_ranked(db: str) -> None:
    with TestClient(create_app(db)) as c:
        page = c.get("/search", params={"q": "ferry"}).text
        assert "about 30 results for <q>ferry</q>, the newest 6 ranked and counted" in page
        assert page.count('class="hit"') == 6
        body = c.get("/api/search", params={"q": "ferry", "facets": "true", "limit": 50}).json()
        assert body["facets"]["about"] is True and body["facets"]["total"] == 30
        assert body["facets"]["counted"] == len(body["hits"]) == 6
        assert (body["facets"]["matching"], body["facets"]["matching_about"]) == (30, True)
        exact = c.get("/search", params={"q": "island trip number 3"}).text  # one match: no "about"
        assert "about" not in exact.split('class="summary"')[1].split("</p>")[0]


def test_the_cli_says_about_too(db: str) -> None:
    out = CliRunner().invoke(cli, ["--db", db, "search", "ferry"], catch_exceptions=False).output
    assert "about 30 articles match, the newest 6 ranked and counted" in out
    doc = json.loads(CliRunner().invoke(cli, ["--db", db, "search", "ferry", "--json"]).output)
    assert doc["about"] is True and doc["total"] == 30 and len(doc["hits"]) == 6
    old = CliRunner().invoke(cli, ["--db", db, "search", "ferry", "--outlet", "Old Gazette"]).output
    assert "4 articles match the filters (about 30 without them)" in old
    doc = json.loads(CliRunner().invoke(cli, ["--db", db, "search", "ferry", "--outlet", "Old Gazette", "--json"]).output)
    assert (doc["about"], doc["total"], len(doc["hits"])) == (False, 4, 4)
    many = CliRunner().invoke(cli, ["--db", db, "search", "ferry", "--outlet", "Island Post"]).output
    assert "about 26 articles match the filters, the newest 6 ranked (about 30 without them)" in many


def test_a_filter_reaches_past_the_newest_matches_and_the_page_says_so(db: str) -> None:
    """The 4 "Old Gazette" articles are the oldest: none among the newest 6 matches, all found."""
    with TestClient(create_app(db)) as c:
        page = c.get("/search", params={"q": "ferry", "outlet": "Old Gazette"}).text
        summary = page.split('class="summary"')[1].split("</p>")[0]
        assert "about 30 results for <q>ferry</q>, the newest 6 counted by outlet, language and month; 4 after" \
            " filters" in summary and "ranked and counted" not in summary
        assert page.count('class="hit"') == 4
        page = c.get("/search", params={"q": "ferry", "outlet": "Island Post"}).text
        assert "about 26 after filters, the newest 6 ranked" in page and page.count('class="hit"') == 6
        body = c.get("/api/search", params={"q": "ferry", "outlet": "Old Gazette", "facets": "true"}).json()
        assert (body["facets"]["matching"], body["facets"]["matching_about"], len(body["hits"])) == (4, False, 4)
        assert [f["value"] for f in body["facets"]["outlet"]] == ["Island Post"]  # the newest 6, unfiltered
