"""The web side of issue 15 in process: ``/alerts/NAME.atom`` (read by feedparser, its links
answer and their anchors exist), ``/feeds``, ``/alerts``, ``/alerts/NAME`` and their JSON twins
(the webhook's secret and path never shown), the empty states."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest

from newsgraph.ids import article_id
from newsgraph.serve import create_app
from newsgraph.serve import models as m
from newsgraph.store import alerts, open_store
from newsgraph.store import feeds as feedlist
from newsgraph.store.alerts import AlertFilters
from newsgraph.types import Article, Attribution, Event, TextSpan

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HOOK = "https://hooks.example.org/services/T0SECRETPATH/B1?token=querysecret"
SECRET = "s3cr3t-signing-key-0123456789"


def _span(text: str, needle: str, entity: str | None = None) -> TextSpan:
    start = text.index(needle)
    return TextSpan(start, start + len(needle), needle, entity)


def _article(i: int) -> Article:
    text = (f"Report {i}. Anna Keller said that the ceasefire <b>must</b> hold & talks go on, day {i}. "
            f"Ostrovia threatened Valdavia with sanctions on day {i}. Later, markets were calm.")
    att = Attribution("indirect", _span(text, f"the ceasefire <b>must</b> hold & talks go on, day {i}"),
                      _span(text, "said"), _span(text, "Anna Keller", "Anna Keller"))
    ev = Event("THREATEN", _span(text, "threatened"), _span(text, "Ostrovia", "Ostrovia"),
               _span(text, "Valdavia", "Valdavia"))
    return Article(id=article_id(text), source=f"test:{i}", url=f"https://example.org/{i}",
                   title=f"Ceasefire <i>talks</i> {i}", outlet="Baltic Ledger", authors=(), published="2026-03-01",
                   language="en", text=text, attributions=(att,), events=(ev,))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("watching") / "w.db"
    with open_store(str(path)) as s:
        s.add_article(_article(0))  # before the alerts: never a hit
        alerts.add(s, "keller", AlertFilters(speaker="Anna Keller"))
        alerts.add(s, "threats & more", AlertFilters(event_type="THREATEN", actor="Ostrovia"),
                   webhook=HOOK, secret=SECRET)
        alerts.add(s, "quiet", AlertFilters(query="zeppelin"))
        alerts.add(s, "odd.atom", AlertFilters(query="zeppelin"))
        for i in (1, 2, 3):
            s.add_article(_article(i))
        assert alerts.check(s) == 6
        newest = alerts.hits(s, "threats & more")[1][0]
        with s.backend.write("a failed delivery") as w:  # as alert_delivery records one; the message quotes the URL
            w.set_delivery(newest.seq, "failed", 5, None, f"[fetch.network] RemoteProtocolError: {HOOK} closed")
        feedlist.follow(s, [("https://news.example.org/rss.xml", None)])
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Any:
    with TestClient(create_app(db), base_url="http://newsgraph.test:8123") as c:
        yield c


@pytest.mark.parametrize("name,kind,anchor", [("keller", "attribution", "a"), ("threats & more", "event", "e")])
def test_atom_feed_reads_in_a_feed_reader_and_its_links_land_on_the_match(client: Any, name: str, kind: str,
                                                                           anchor: str) -> None:
    r = client.get(f"/alerts/{name.replace(' ', '%20').replace('&', '%26')}.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == f"newsgraph alert: {name}"
    assert len(feed.entries) == 3
    assert [e.tags[0].term for e in feed.entries] == [kind] * 3
    assert feed.entries[0].title.endswith(", day 3" if kind == "attribution" else "Ostrovia → Valdavia")
    for e in feed.entries:
        url = urlsplit(e.link)
        assert (url.scheme, url.netloc) == ("http", "newsgraph.test:8123")  # absolute, from the request
        page = client.get(url.path + ("?" + url.query if url.query else ""))
        assert page.status_code == 200
        assert re.fullmatch(rf"{anchor}-\d+", url.fragment)
        assert f'id="{url.fragment}"' in page.text, e.link


def test_atom_feed_of_an_unknown_alert_is_404(client: Any) -> None:
    assert client.get("/alerts/nobody.atom").status_code == 404
    assert client.get("/alerts/nobody").status_code == 404
    assert client.get("/api/alerts/nobody").json()["code"] == "store.not_found"
    odd = client.get("/alerts/odd.atom")  # an alert whose name ends in .atom still has its page
    assert odd.status_code == 200 and "Alert “odd.atom”" in odd.text
    assert 'href="/alerts/odd.atom.atom"' in odd.text and client.get("/alerts/odd.atom.atom").status_code == 200


def test_alerts_page_lists_filters_hits_feed_links_and_never_the_webhook_secret(client: Any) -> None:
    r = client.get("/alerts")
    assert r.status_code == 200
    html = r.text
    for href in ("/alerts/keller.atom", "/alerts/threats%20%26%20more.atom", "/alerts/quiet.atom"):
        assert '<link rel="alternate" type="application/atom+xml" title=' in html
        assert f'href="{href}"' in html
        assert f"<{href}>" in r.headers["link"]
    assert 'href="/article/' in html and "?all=1#a-" in html and "#e-" in html
    assert "<b>must</b>" not in html and "&lt;b&gt;must&lt;/b&gt;" in html  # escaped
    assert "https://hooks.example.org/…" in html and "2 pending, 1 failed" in html
    assert "RemoteProtocolError: https://hooks.example.org/… closed" in html
    for secret in (SECRET, "T0SECRETPATH", "querysecret"):
        assert secret not in html
    assert 'id="hits-empty-1"' in html and "No hits yet" in html  # "quiet": why, not a numbered none
    body = client.get("/api/alerts").json()
    m.AlertsOut.model_validate(body)
    assert [a["name"] for a in body["alerts"]] == ["keller", "odd.atom", "quiet", "threats & more"]
    assert SECRET not in r.text + str(body) and "querysecret" not in str(body)
    threats = body["alerts"][3]
    assert (threats["delivery"]["pending"], threats["delivery"]["failed"]) == (2, 1) and threats["filters"] == {"actor": "Ostrovia", "event_type": "THREATEN"}


def test_one_alert_page_and_its_json(client: Any) -> None:
    r = client.get("/alerts/keller?limit=2")
    assert r.status_code == 200 and 'type="application/atom+xml"' in r.text
    assert r.text.count('class="hit-link"') == 2
    body = client.get("/api/alerts/keller?limit=2").json()
    m.AlertOut.model_validate(body)
    assert body["more_hits"] is True and [h["kind"] for h in body["hits"]] == ["attribution"] * 2
    assert body["hits"][0]["href"].startswith("/article/") and body["delivery"] is None


def test_feeds_page_shows_each_feed_and_its_health(client: Any) -> None:
    r = client.get("/feeds")
    assert r.status_code == 200
    assert 'data-url="https://news.example.org/rss.xml"' in r.text and "due now" in r.text
    body = client.get("/api/feeds").json()
    m.FeedsOut.model_validate(body)
    assert body["total"] == 1 and body["feeds"][0]["status"] == "new"


def test_empty_store_pages_say_how_to_start(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    open_store(str(path)).close()
    with TestClient(create_app(path)) as c:
        feeds_html, alerts_html = c.get("/feeds").text, c.get("/alerts").text
        assert 'id="feeds-empty"' in feeds_html and "newsgraph feeds add URL" in feeds_html
        assert 'id="alerts-empty"' in alerts_html and "newsgraph alerts add NAME" in alerts_html
        for html in (feeds_html, alerts_html):
            assert "<ol" not in html and "<table" not in html
            assert 'href="/feeds"' in html and 'href="/alerts"' in html  # in the navigation
        assert c.get("/api/feeds").json() == {"total": 0, "feeds": []}
