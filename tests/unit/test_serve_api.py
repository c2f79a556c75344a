"""The JSON API (``newsgraph.serve``): every endpoint against the store it reads (one query layer)."""

from __future__ import annotations

import shutil
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about its httpx backend on import
    from fastapi.testclient import TestClient

from newsgraph.dyads import build_dyad, tally, totals
from newsgraph.serve import create_app
from newsgraph.serve import models as m
from newsgraph.serve.app import CSP
from newsgraph.store import open_store
from newsgraph.types import Failure
from tests.unit import serve_fixtures
from tests.unit.serve_fixtures import outlets_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def db(examples_db_copy: Any) -> Path:
    path = examples_db_copy("serve_api")
    with open_store(path) as store:
        run = store.start_run(["test"])
        store.log_failure(run, Failure("bad/file.bin", "input.binary", "binary input"))
        store.finish_run(run, {"failed": 1})
    return path


store = serve_fixtures.store
client = serve_fixtures.client


def ser(rows: Any) -> list[dict[str, Any]]:
    """What the API must return for these rows: ``dataclasses.asdict``, through JSON."""
    import json

    return json.loads(json.dumps([asdict(r) for r in rows]))


def ok(client: Any, url: str, model: Any = None) -> Any:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    if model is not None:
        model.model_validate(body)  # the documented response model describes what is sent
    return body


# --------------------------------------------------------------------------- articles


def test_articles_list_equals_store(client: Any, store: Any) -> None:
    body = ok(client, "/api/articles", m.ArticlesOut)
    assert body["total"] == store.count_articles() >= 13
    assert body["articles"] == ser(store.list_articles(limit=50))


def test_articles_pagination(client: Any, store: Any) -> None:
    first = ok(client, "/api/articles?limit=5&offset=0")
    second = ok(client, "/api/articles?limit=5&offset=5")
    assert first["articles"] == ser(store.list_articles(limit=5, offset=0))
    assert second["articles"] == ser(store.list_articles(limit=5, offset=5))
    assert not {a["id"] for a in first["articles"]} & {a["id"] for a in second["articles"]}
    assert first["next"] and "offset=5" in first["next"]
    n = store.count_articles()
    last_offset = (n - 1) // 5 * 5
    last = ok(client, f"/api/articles?limit=5&offset={last_offset}")
    assert len(last["articles"]) == n - last_offset and last["next"] is None


def test_articles_filters(client: Any, store: Any) -> None:
    outlet = store.list_articles(limit=1)[0].outlet
    body = ok(client, "/api/articles", None)
    assert body
    by_outlet = ok(client, f"/api/articles?outlet={outlet}")
    assert by_outlet["articles"] == ser(store.list_articles(outlet=outlet))
    assert by_outlet["articles"] and all(a["outlet"] == outlet for a in by_outlet["articles"])
    de = ok(client, "/api/articles?language=de")
    assert de["articles"] == ser(store.list_articles(language="de"))
    assert de["articles"] and all(a["language"] == "de" for a in de["articles"])


def test_article_by_id_and_prefix(client: Any, store: Any) -> None:
    aid = store.list_articles(limit=1)[0].id
    body = ok(client, f"/api/articles/{aid}", m.ArticleOut)
    stored = store.get_article(aid)
    assert body["id"] == aid and body["text"] == stored.article.text
    expected = stored.article.as_dict() | {"sources": ser(stored.sources), "added_at": stored.added_at,
                                           "same_story": ser(store.same_story(aid))}
    assert body == expected
    assert ok(client, f"/api/articles/{aid[:6]}")["id"] == aid


@pytest.mark.parametrize("bad", ["ffffffffffffffff", "zzzz", "ab"])
def test_unknown_article_404(client: Any, bad: str) -> None:
    r = client.get(f"/api/articles/{bad}")
    assert r.status_code == 404
    assert r.json()["ok"] is False and r.json()["status"] == 404


# --------------------------------------------------------------------------- search


def test_search_equals_store(client: Any, store: Any) -> None:
    body = ok(client, "/api/search?q=sanctions OR ceasefire", m.SearchOut)
    assert body["hits"] == ser(store.search("sanctions OR ceasefire"))
    assert body["hits"] and "[" in body["hits"][0]["snippet"]


def test_search_pagination(client: Any, store: Any) -> None:
    body = ok(client, "/api/search?q=the&limit=2&offset=2")
    assert body["hits"] == ser(store.search("the", limit=2, offset=2))


@pytest.mark.parametrize("q", ["AND (", '"unclosed', "NEAR(", "a AND", "*"])
def test_search_syntax_errors_never_500(client: Any, q: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        assert r.json()["code"] in ("store.bad_query", "serve.bad_param")


@pytest.mark.parametrize("q", ["", "((( )))", "   "])
def test_search_without_words_is_400(client: Any, q: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400
    assert r.json()["ok"] is False


# --------------------------------------------------------------------------- quotes

#: What quote listings show by default: statements whose cue is not negated, confidence >= 0.5.
SHOWN = {"kinds": ("statement",), "min_confidence": 0.5}


def test_quotes_equal_store(client: Any, store: Any) -> None:
    assert ok(client, "/api/quotes", m.QuotesOut)["quotes"] == ser(store.quotes(**SHOWN))
    speaker = next(q.speaker for q in store.quotes(**SHOWN, limit=200) if q.speaker and len(q.speaker) > 4)
    body = ok(client, "/api/quotes", None) and client.get("/api/quotes", params={"speaker": speaker}).json()
    assert body["quotes"] == ser(store.quotes(**SHOWN, speaker=speaker))
    assert body["quotes"]


def test_quotes_filters(client: Any, store: Any) -> None:
    q0 = store.quotes(**SHOWN, limit=1)[0]
    outlet = q0.outlet
    assert client.get("/api/quotes", params={"outlet": outlet}).json()["quotes"] == ser(store.quotes(**SHOWN, outlet=outlet))
    assert ok(client, "/api/quotes?since=2026-10-01")["quotes"] == ser(store.quotes(**SHOWN, since="2026-10-01"))
    ranged = ok(client, "/api/quotes?since=2026-01-01&until=2026-10-01")["quotes"]
    assert ranged == ser(store.quotes(**SHOWN, since="2026-01-01", until="2026-10-01"))
    assert ranged and all("2026-01-01" <= q["published"][:10] <= "2026-10-01" for q in ranged)
    assert ok(client, "/api/articles?until=2026-10-01")["articles"] == ser(store.list_articles(until="2026-10-01"))
    assert ok(client, "/api/quotes?about=sanctions")["quotes"] == ser(store.quotes(**SHOWN, about="sanctions"))
    page2 = ok(client, "/api/quotes?limit=3&offset=3")
    assert page2["quotes"] == ser(store.quotes(**SHOWN, limit=3, offset=3))


@pytest.mark.parametrize("url", ["/api/quotes?since=notadate", "/api/quotes?since=2026-13-45", "/api/quotes?limit=-1",
                                 "/api/quotes?limit=0", "/api/quotes?offset=-3", "/api/quotes?limit=abc",
                                 "/api/events?since=yesterday", "/api/articles?limit=100000",
                                 "/api/quotes?until=soon", "/api/events?until=2026-02-30", "/api/articles?since=x",
                                 "/api/articles?until=0", "/api/quotes?since=20260101", "/api/events?since=2026-W01-1",
                                 "/api/entities?limit=-1", "/api/failures?limit=x", "/api/dyad?a=Russia",
                                 "/api/search", "/api/quotes?about=((("])
def test_bad_params_are_400(client: Any, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, (url, r.text)


@pytest.mark.parametrize("path", ["/api/articles", "/api/quotes", "/api/events", "/articles", "/quotes", "/events"])
def test_the_last_day_there_is_is_an_open_end_not_a_500(client: Any, store: Any, path: str) -> None:
    """``until=9999-12-31`` used to overflow (HTTP 500 on these six routes)."""
    for query in ("until=9999-12-31", "since=0001-01-01&until=9999-12-31"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == 200, (path, query, r.text[:300])
    if path == "/api/quotes":
        assert client.get(f"{path}?until=9999-12-31").json()["quotes"] == ser(store.quotes(**SHOWN))


# --------------------------------------------------------------------------- entities, events, dyads


def test_entities_equal_store(client: Any, store: Any) -> None:
    assert ok(client, "/api/entities", m.EntitiesOut)["entities"] == ser(store.actors())
    assert ok(client, "/api/entities?type=PERSON")["entities"] == ser(store.actors(type="PERSON"))
    assert ok(client, "/api/entities?search=Russ")["entities"] == ser(store.actors(search="Russ"))


def test_entity_by_name(client: Any, store: Any) -> None:
    body = ok(client, "/api/entities/Russia", m.ActorDetailOut)
    key = store.actor("Russia").actor.key
    assert body == ser([store.actor("Russia")])[0] | {"co_occurring": ser(store.co_actors(key)),
                                                      "timeline": ser(store.actor_timeline(key))}
    assert body["timeline"]
    assert body["co_occurring"] and key not in {c["key"] for c in body["co_occurring"]}
    assert ok(client, f"/api/entities/{key}")["actor"]["key"] == key


def test_unknown_entity_404(client: Any) -> None:
    r = client.get("/api/entities/Nobody%20At%20All")
    assert r.status_code == 404 and r.json()["code"] == "store.not_found"


def test_events_equal_store(client: Any, store: Any) -> None:
    assert ok(client, "/api/events", m.EventsOut)["events"] == ser(store.events())
    assert ok(client, "/api/events?type=agree")["events"] == ser(store.events(type="agree"))
    assert ok(client, "/api/events?actor=United")["events"] == ser(store.events(actor="United"))
    assert ok(client, "/api/events?target=Altavera&since=2026-01-01")["events"] == ser(
        store.events(target="Altavera", since="2026-01-01"))


def test_dyad(client: Any, store: Any) -> None:
    body = ok(client, "/api/dyad?a=United States&b=Altavera", m.DyadOut)
    a, b, ab, ba = store.dyad("United States", "Altavera")
    result = build_dyad(a, b, tally(ab), tally(ba))
    assert body == result.as_dict() | {"by_type": totals(result), "n_a_to_b": len(ab), "n_b_to_a": len(ba),
                                       "a_to_b": ser(ab), "b_to_a": ser(ba)}
    # "signed ... partnerships with Altavera last year" (one AGREE, the partnerships its object):
    # recalled, no date of its own, so not placed in the article's week (issue 11)
    assert body["weeks"] == [] and body["undated"] == 1 and {e["timing"] for e in body["a_to_b"]} == {"background"}
    capped = ok(client, "/api/dyad?a=United States&b=Altavera&limit=1")
    assert capped["a_to_b"] == ser(ab[:1]) and capped["weeks"] == body["weeks"]
    assert client.get("/api/dyad?a=United States&b=Nobody At All").status_code == 404


def test_failures(client: Any, store: Any) -> None:
    body = ok(client, "/api/failures", m.FailuresOut)
    assert body["failures"] == ser(store.failures())
    assert body["failures"][0]["code"] == "input.binary"


def test_summary(client: Any, store: Any) -> None:
    body = ok(client, "/api/summary", m.SummaryOut)
    assert body["articles"] == store.count_articles()
    assert body["top_actors"] == ser(store.actors(limit=10))
    assert body["top_speakers"] and body["top_speakers"] == ser(store.top_speakers(limit=10))


# --------------------------------------------------------------------------- errors, headers, OpenAPI

ERROR_URLS = ["/api/articles/ffffffffffff", "/api/quotes?since=notadate", "/api/articles?limit=-1",
              "/api/entities/Nobody%20At%20All", "/api/nope", "/api/search?q=((("]


@pytest.mark.parametrize("url", ERROR_URLS)
def test_error_shape(client: Any, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500
    body = r.json()
    assert set(body) == {"ok", "error", "errors", "code", "status"}
    assert body["ok"] is False
    assert body["status"] == r.status_code
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list) and body["errors"]
    assert isinstance(body["code"], str) and "." in body["code"]


def test_method_not_allowed_has_error_shape(client: Any) -> None:
    r = client.delete("/api/articles")
    assert r.status_code == 405
    assert r.json()["status"] == 405


def test_security_headers_on_api(client: Any) -> None:
    r = client.get("/api/articles")
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_openapi_is_precise(client: Any) -> None:
    spec = ok(client, "/openapi.json")
    paths = spec["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/search", "/api/quotes", "/api/entities",
                 "/api/entities/{name}", "/api/events", "/api/dyad", "/api/failures", "/api/ingest"):
        assert path in paths, path
    for path, ops in paths.items():
        assert path.startswith("/api/"), f"HTML page {path} leaked into the API spec"
        for op in ops.values():
            schema = op["responses"]["200"]["content"]["application/json"]["schema"]
            assert "$ref" in schema, (path, schema)
    params = {p["name"]: p for p in paths["/api/quotes"]["get"]["parameters"]}
    assert params["limit"]["schema"]["type"] == "integer" and params["limit"]["schema"]["minimum"] == 1
    assert params["since"]["schema"]["anyOf"][0]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"


# --------------------------------------------------------------------------- ingest


def test_ingest_refused_when_read_only(client: Any) -> None:
    r = client.post("/api/ingest", json={"text": "hello"}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 403
    assert r.json()["code"] == "serve.read_only"


def test_allow_ingest_needs_a_token(db: Path) -> None:
    with pytest.raises(ValueError):
        create_app(db, allow_ingest=True)


ARTICLE = ("Harbour authorities in the fictional port of Velmora said on Monday that a new ferry line will "
           "connect the island to the mainland from next spring. \n\n\"This is the link we have waited for,\" "
           "said the mayor, Ana Kovic, adding that tickets would cost less than the current service. The "
           "operator expects about 400 passengers a day in the first year, according to its business plan.")


@pytest.fixture()
def writable(db: Path, tmp_path: Path) -> Any:
    copy = tmp_path / "w.db"
    shutil.copy(db, copy)
    with TestClient(create_app(copy, allow_ingest=True, token="s3cret")) as c:
        yield c


def test_ingest_wrong_or_missing_token(writable: Any) -> None:
    assert writable.post("/api/ingest", json={"text": ARTICLE}).status_code == 403
    r = writable.post("/api/ingest", json={"text": ARTICLE}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["code"] == "serve.forbidden"


def test_ingest_with_token(writable: Any) -> None:
    before = writable.get("/api/articles").json()["total"]
    r = writable.post("/api/ingest", json={"text": ARTICLE, "analyze": False},
                      headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200, r.text
    assert r.json()["ok"] is True and r.json()["ingested"] == 1
    assert writable.get("/api/articles").json()["total"] == before + 1
    hits = writable.get("/api/search?q=Velmora").json()["hits"]
    assert len(hits) == 1


def test_ingest_refuses_local_paths(writable: Any) -> None:
    r = writable.post("/api/ingest", json={"sources": ["/etc/passwd"]}, headers={"X-Newsgraph-Token": "s3cret"})
    assert r.status_code == 400 and r.json()["code"] == "serve.bad_source"
    r = writable.post("/api/ingest", json={}, headers={"X-Newsgraph-Token": "s3cret"})
    assert r.status_code == 400


def test_ingest_bad_body_is_400(writable: Any) -> None:
    r = writable.post("/api/ingest", content=b"not json", headers={"Authorization": "Bearer s3cret",
                                                                   "content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["ok"] is False


def test_unexpected_error_is_500_with_shape_and_headers(db: Path) -> None:
    app = create_app(db)

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    app.state.store.count_articles = boom  # type: ignore[method-assign]
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/articles")
        assert r.status_code == 500
        assert r.json() == {"ok": False, "error": "internal error", "errors": ["internal error"],
                            "code": "serve.internal", "status": 500}
        assert r.headers["content-security-policy"] == CSP
        page = c.get("/")
        assert page.status_code == 500 and 'data-status="500"' in page.text
        assert "boom" not in page.text  # no internals leak
        assert page.headers["content-security-policy"] == CSP


def test_no_cdn_docs(client: Any) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


_NO_NLP = """
import sys, warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
from newsgraph.serve import create_app
with TestClient(create_app(sys.argv[1])) as c:
    for url in sys.argv[2:]:
        assert c.get(url).status_code == 200, url
print(sorted(m for m in ("spacy", "thinc", "torch") if m in sys.modules))
"""


def test_reading_pages_never_loads_the_nlp_stack(db: Path, tmp_path: Path) -> None:
    """Serving reads the store only: no page or endpoint pays spaCy's import (~0.4 s, ~100 MB),
    the feeds and alerts pages and an alert's Atom feed included (with hits on quotes and events)."""
    import subprocess
    import sys

    from newsgraph.store import alerts
    from newsgraph.store import feeds as feedlist
    from newsgraph.store.alerts import AlertFilters

    watched = tmp_path / "watched.db"
    with open_store(watched) as w, open_store(db, read_only=True) as examples:
        feedlist.follow(w, [("https://example.org/feed.xml", None)])
        alerts.add(w, "quotes", AlertFilters(min_confidence=0.0))
        alerts.add(w, "english", AlertFilters(language="en"))
        for stored in examples.iter_articles():  # stored after the alerts: hits
            w.add_article(stored.article, analysis="test")
        assert alerts.check(w) > 0 and alerts.hits(w, "quotes")[1]
    urls = ["/", "/articles", "/search?q=Russia", "/quotes", "/events", "/entities", "/entity/Russia",
            "/dyad?a=United+States&b=Altavera", "/api/dyad?a=United+States&b=Altavera", "/api/entities/Russia",
            "/failures", "/openapi.json"]
    watching = ["/feeds", "/api/feeds", "/alerts", "/api/alerts", "/alerts/quotes", "/alerts/quotes.atom",
                "/api/alerts/quotes", "/alerts/english"]
    for store, paths in ((db, urls), (watched, watching)):
        out = subprocess.run([sys.executable, "-c", _NO_NLP, str(store), *paths], capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- search filters, facets, costs


def test_search_filters_reach_every_match(tmp_path: Path) -> None:
    db = outlets_db(tmp_path / "outlets.db")
    with open_store(db) as s, TestClient(create_app(db)) as c:
        want = s.search("zeppelin", outlet="Small Post", limit=100)
        assert len(want) == 30 and len(s.search("zeppelin", limit=1000)) == 180
        body = ok(c, "/api/search?q=zeppelin&outlet=Small%20Post&limit=100&facets=true", m.SearchOut)
        assert body["hits"] == ser(want) and body["outlet"] == "Small Post"
        assert body["facets"] == ser([s.search_facets("zeppelin", outlet="Small Post")])[0]
        assert body["facets"]["total"] == 180 and body["facets"]["matching"] == 30
        # paged through ``next``: the same 30, in order
        got, url = [], "/api/search?q=zeppelin&outlet=Small%20Post&limit=8"
        while url:
            page = ok(c, url)
            got += page["hits"]
            url = page["next"]
        assert got == ser(want)
        no_lang = ok(c, "/api/search?q=zeppelin&language=(none)&month=(undated)&limit=100")["hits"]
        assert no_lang == ser(s.search("zeppelin", language="(none)", month="(undated)", limit=100)) and no_lang
        assert "facets" not in ok(c, "/api/search?q=zeppelin")


def test_a_read_past_the_time_box_is_400(tmp_path: Path) -> None:
    from newsgraph.config import Settings
    from newsgraph.ids import article_id
    from newsgraph.types import Article

    db = outlets_db(tmp_path / "outlets.db")
    with open_store(db) as s:  # enough matches that a search takes more than a few thousand VM steps
        for i in range(1500):
            text = f"Zeppelin sighted over district {i} again, zeppelin watchers said."
            s.add_article(Article(article_id(text), f"more{i}", None, None, "Big Wire", (), None, "en", text))
    with TestClient(create_app(db, settings=Settings(query_timeout=1e-6))) as c:
        for url in ("/api/search?q=zeppelin", "/api/search?q=zeppelin&facets=true", "/search?q=zeppelin"):
            r = c.get(url)
            assert r.status_code == 400, (url, r.text[:300])
            if url.startswith("/api/"):
                assert r.json()["code"] == "store.too_expensive" and "too expensive" in r.json()["error"]
            else:
                assert "too expensive" in r.text


def test_refused_prefix_is_400_with_the_reason(client: Any) -> None:
    r = client.get("/api/search", params={"q": " OR ".join("abcdefghijklmnopqrstuvwxyz0123456789"[i % 36] + "*"
                                                           for i in range(83))})
    assert r.status_code == 400
    assert r.json()["code"] == "store.bad_query" and "at least 2 letters" in r.json()["error"]


# --------------------------------------------------------------------------- HTTP hygiene


def test_api_routes_answer_head(client: Any) -> None:
    for url in ("/api/articles", "/api/search?q=sanctions", "/api/summary", "/api/entities/Russia"):
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"" and head.headers["content-length"] == str(len(get.content))
        assert head.headers["content-type"] == "application/json"


def test_405_has_allow(client: Any) -> None:
    r = client.delete("/api/articles")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    r = client.get("/api/ingest")
    assert r.status_code == 405 and r.headers["allow"] == "POST"


def test_links_never_carry_the_host_header(client: Any) -> None:
    for url in ("/api/articles?limit=1", "/api/quotes?limit=1", "/api/search?q=the&limit=1",
                "/api/events?limit=1", "/api/entities?limit=1"):
        r = client.get(url, headers={"host": "evil.example"})
        assert r.status_code == 200 and "evil.example" not in r.text, url
        assert r.json()["next"].startswith(url.split("?")[0] + "?"), r.json()["next"]
    r = client.get("/api/articles/", headers={"host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/api/articles"


# --------------------------------------------------------------------------- dates with evidence, credits, refused pages


def test_an_article_shows_its_dates_evidence_and_credits(tmp_path: Path) -> None:
    from tests.helpers import evidence_db

    evidenced, bare = evidence_db(tmp_path / "ev.db")
    with open_store(tmp_path / "ev.db") as s, TestClient(create_app(tmp_path / "ev.db")) as c:
        body = ok(c, f"/api/articles/{evidenced.id}", m.ArticleOut)
        assert (body["published"], body["published_source"], body["published_confidence"], body["modified"]) == (
            "2026-03-02", "json_ld", 0.97, "2026-03-04")
        assert body["credits"] == [{"wire": "AP"}, {"organisation": "Port Media Group"}]
        assert body["authors"] == ["Ines Halvorsen"]  # credits are not authors
        # no evidence recorded (an article stored before schema 13): nulls, not a guess
        old = ok(c, f"/api/articles/{bare.id}", m.ArticleOut)
        assert (old["published"], old["published_source"], old["published_confidence"], old["modified"],
                old["credits"]) == ("2026-03-01", None, None, None, [])
        listed = ok(c, "/api/articles", m.ArticlesOut)["articles"]
        assert listed == ser(s.list_articles(limit=50))
        assert [(r["published_source"], r["published_confidence"]) for r in listed] == [("json_ld", 0.97),
                                                                                         (None, None)]


def test_failures_say_what_a_refused_page_was(tmp_path: Path) -> None:
    from tests.helpers import REFUSED, evidence_db

    evidence_db(tmp_path / "ev.db")
    with open_store(tmp_path / "ev.db") as s, TestClient(create_app(tmp_path / "ev.db")) as c:
        body = ok(c, "/api/failures", m.FailuresOut)
        assert body["failures"] == ser(s.failures())
        refused, binary = body["failures"]
        assert {k: refused[k] for k in ("kind", "title", "url", "published")} == {
            k: REFUSED[k] for k in ("kind", "title", "url", "published")}
        assert refused["reason"] == REFUSED["message"]
        assert (binary["kind"], binary["title"], binary["reason"]) == (None, None, "binary input")
        summary = ok(c, "/api/summary", m.SummaryOut)
        assert summary["failures"][0]["kind"] == "index"
