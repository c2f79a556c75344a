"""The API and pages filter attributions by kind and confidence, show the threshold's switch, and
say which articles were not analysed (and why)."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from newsgraph.config import Settings
from newsgraph.serve import create_app
from newsgraph.serve import models as m
from tests.helpers import FLAGGED, flags_db


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("flags") / "s.db"
    english = flags_db(db)
    with TestClient(create_app(db)) as client:
        yield client, english, db


def api(client: Any, url: str, model: Any = None) -> Any:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text)
    if model is not None:
        model.model_validate(r.json())
    return r.json()


def contents(body: dict[str, Any]) -> list[str]:
    return sorted(q["content_text"] for q in body["quotes"])


def test_api_quotes_default_is_statements_clearing_the_threshold(world) -> None:
    client, _, _ = world
    body = api(client, "/api/quotes", m.QuotesOut)
    assert contents(body) == ["We will build the bridge.", "Work starts in May."]
    assert (body["total"], body["hidden"], body["below_confidence"], body["other_kinds"]) == (2, 3, 1, 2)
    assert body["kinds"] == ["statement"] and body["min_confidence"] == 0.5
    assert {"confidence", "statement", "negated", "frame", "category"} <= set(body["quotes"][0])


@pytest.mark.parametrize(("query", "want", "total", "hidden"), [
    ("all=true", [f[2] for f in FLAGGED], 5, 0),
    ("min_confidence=0", ["We will build the bridge.", "Work starts in May.", "the money had run out"], 3, 2),
    ("kind=negated", ["whether the bridge would open"], 1, 4),
    ("kind=negated&kind=other&min_confidence=0.85", ["whether the bridge would open"], 1, 4),
    ("kind=direct&min_confidence=0.9", ["We will build the bridge."], 1, 4),
    ("kind=all&min_confidence=0.8", ["We will build the bridge.", "the plan is sound",
                                     "whether the bridge would open"], 3, 2),
    ("speaker=Ann+Lee&min_confidence=0.6", ["We will build the bridge."], 1, 1),
])
def test_api_quotes_filters_and_totals(world, query: str, want: list[str], total: int, hidden: int) -> None:
    client, _, _ = world
    body = api(client, f"/api/quotes?{query}", m.QuotesOut)
    assert contents(body) == sorted(want)
    assert (body["total"], body["hidden"]) == (total, hidden)
    assert body["below_confidence"] + body["other_kinds"] == hidden
    page = api(client, f"/api/quotes?{query}&limit=1")
    assert len(page["quotes"]) == min(1, total) and page["total"] == total  # totals count every page


@pytest.mark.parametrize("query", ["kind=quotes", "min_confidence=1.5", "min_confidence=-1", "min_confidence=nan",
                                   "min_confidence=x", "all=maybe"])
def test_api_bad_filters_are_400(world, query: str) -> None:
    client, _, _ = world
    r = client.get(f"/api/quotes?{query}")
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "serve.bad_param"


def test_threshold_comes_from_settings(world) -> None:
    _, _, db = world
    with TestClient(create_app(db, settings=Settings(quote_threshold=0.85))) as client:
        body = api(client, "/api/quotes")
        assert contents(body) == ["We will build the bridge."] and body["min_confidence"] == 0.85
        assert "confidence ≥ 0.85" in client.get("/quotes").text


def test_api_says_what_was_not_analysed(world) -> None:
    client, english, _ = world
    summary = api(client, "/api/summary", m.SummaryOut)["analysis"]
    assert (summary["articles"], summary["analysed"], summary["not_analysed"]) == (5, 1, 4)
    assert {(r["code"], r["language"], r["n"]) for r in summary["reasons"]} == {
        ("analyze.failed", "en", 1), ("analyze.no_pipeline", "de", 1), ("analyze.no_pipeline", "ru", 1),
        ("analyze.skipped", "en", 1)}
    art = api(client, f"/api/articles/{english.id}", m.ArticleOut)
    assert art["analysis"] == {"status": "analysed", "language": "en", "pipeline": "test_pipeline 1.0",
                               "code": None, "reason": None}
    assert [a["negated"] for a in art["attributions"]] == [f[6] for f in FLAGGED]  # the record is whole
    ru = next(a for a in api(client, "/api/articles")["articles"] if a["language"] == "ru")
    assert api(client, f"/api/articles/{ru['id']}")["analysis"]["reason"] == "no pipeline for ru"


# --------------------------------------------------------------------------- pages


def test_home_counts_analysed_and_not(world) -> None:
    client, _, _ = world
    text = client.get("/").text
    counts = re.search(r'<p class="counts" id="counts">(.*?)</p>', text, re.S).group(1)
    plain = re.sub(r"<[^>]+>", "", counts)
    assert plain.startswith("5 articles stored, 1 analysed, 4 not analysed: ")
    assert all(x in plain for x in ("de 1", "ru 1", "analysis failed 1", "stored with --no-analyze 1"))


def test_quotes_page_shows_what_clears_the_threshold_and_a_switch(world) -> None:
    client, _, _ = world
    text = client.get("/quotes").text
    assert text.count('<li class="quote') == 2
    switch = re.search(r'<a class="show-all" id="show-all" href="([^"]+)">show all \((\d+) hidden\)</a>', text)
    assert switch and switch.group(2) == "3"
    assert "confidence ≥ 0.5" in text and 'id="show-default"' not in text
    everything = client.get(switch.group(1).replace("&amp;", "&")).text
    assert everything.count('<li class="quote') == 5 and 'id="show-all"' not in everything
    assert 'id="show-default"' in everything
    flagged = re.findall(r'<li class="quote([^"]*)"', everything)
    assert sorted(flagged) == sorted(["", " low-confidence", " negated", " not-statement", ""])
    assert client.get("/quotes?kind=negated").text.count('<li class="quote') == 1


def test_article_page_marks_low_confidence_and_hides_it_by_default(world) -> None:
    client, english, _ = world
    text = client.get(f"/article/{english.id}").text
    assert re.search(r'<dd class="analysis-status analysed" id="analysis-status">'
                     r'analysed \(en, test_pipeline 1.0\)</dd>', text)
    marked = set(re.findall(r'data-idx="(\d+)"', text))
    assert marked == {"0", "4"}
    assert 'href="/article/' + english.id + '?all=1">show all (3 hidden)</a>' in text
    everything = client.get(f"/article/{english.id}?all=1").text
    assert set(re.findall(r'data-idx="(\d+)"', everything)) == {"0", "1", "2", "3", "4"}
    low = re.search(r'<span class="attribution sp-\d+ low-confidence" data-speaker="Bo Chan" data-idx="1"'
                    r' title="([^"]+)" id="a-1">', everything)
    assert low and "confidence 0.30 (low: below 0.5)" in low.group(1)
    assert "not-statement" in everything and "negated" in everything
    assert 'class="legend-low low-confidence attribution"' in everything  # the legend
    assert 'id="show-default"' in everything


def test_article_page_says_why_it_was_not_analysed(world) -> None:
    client, _, _ = world
    ru = next(a for a in client.get("/api/articles").json()["articles"] if a["language"] == "ru")
    text = client.get(f"/article/{ru['id']}").text
    assert 'data-code="analyze.no_pipeline">not analysed: no pipeline for ru</dd>' in text
    assert 'id="not-analysed"' in text and "No attributions, entities or events were looked for" in text
