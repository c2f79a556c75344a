"""Dates with evidence from around the page: the HTTP headers (``Date``, ``Last-Modified``, also
archived in WARC records), feed entries, JSON records; and no page loses its day by being refused,
whatever it came from (HTML file, text file, URL, feed entry, WARC record)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.config import Settings
from newsgraph.extract.dates import EARLIEST, SOURCE_CONFIDENCE, DateEvidence, with_container
from newsgraph.ingest import ingest
from newsgraph.sources.fetch import http_day
from newsgraph.store import open_store

# A paywalled teaser (refused as ``paywall``) whose markup dates it 2024-03-05.
PAYWALL = """<html lang="en"><head><title>Inside the fusion race</title>
<meta property="og:type" content="article">{head}</head><body>
<article><h1>Inside the fusion race</h1><p class="byline">By Daniel Okafor</p>
<p>A dozen private companies say they will put electricity from fusion on the grid within a decade.</p></article>
<div class="paywall-prompt"><h2>Subscribe to continue reading</h2>
<p>Get unlimited access for 1 dollar a week.</p><a href="/subscribe">Subscribe now</a></div>
</body></html>"""
DATED = '<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">'
# A plain-text paywall teaser with a dated byline.
TEXT_WALL = ("Inside the fusion race\nBy Daniel Okafor, March 5, 2024\n"
             "A dozen private companies say they will put fusion power on the grid.\n"
             "Subscribe to continue reading.\n")
# An article with no date anywhere in its markup or URL.
UNDATED = ("<html><head><title>Harbour cranes replaced</title></head><body><h1>Harbour cranes replaced</h1>"
           + "<p>" + "The port authority replaced four cranes on the north quay this winter. " * 8 + "</p>"
           + "</body></html>")


def _failures(tmp_path: Path, specs: list[str], settings: Settings, transport: object = None) -> list:
    with open_store(tmp_path / "ng.db") as store:
        ingest(specs, store, settings, transport=transport)
        return store.failures()


def _articles(tmp_path: Path, specs: list[str], settings: Settings) -> list[dict]:
    with open_store(tmp_path / "ng.db") as store:
        summary = ingest(specs, store, settings)
        assert summary.counts().get("failed", 0) == 0, store.failures()
    from newsgraph.extract import extract
    from newsgraph.sources import iter_raw

    return [extract(raw).as_dict() for raw in iter_raw(specs, settings)]


def _warc(path: Path, url: str, html: str, *, last_modified: str | None, warc_date: str) -> Path:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if last_modified:
            headers.append(("Last-Modified", last_modified))
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                                        warc_headers_dict={"WARC-Date": warc_date})
        writer.write_record(rec)
    return path


def _feed(items: list[tuple[str, str, str]]) -> str:
    """RSS with (title, link, pubDate) items."""
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>"
                      for t, link, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loop News</title>{entries}</channel></rss>'


# --------------------------------------------------------------------------- refused pages keep their day


def test_refused_html_and_text_files_keep_their_day_in_the_log(tmp_path: Path) -> None:
    (tmp_path / "wall.html").write_text(PAYWALL.format(head=DATED), encoding="utf-8")
    (tmp_path / "wall.txt").write_text(TEXT_WALL, encoding="utf-8")
    rows = _failures(tmp_path, [str(tmp_path / "wall.html"), str(tmp_path / "wall.txt")], Settings())
    got = {Path(r.source).name: (r.kind, r.published) for r in rows}
    assert got == {"wall.html": ("paywall", "2024-03-05"), "wall.txt": ("paywall", "2024-03-05")}


def test_refused_url_feed_entry_and_warc_record_keep_their_day(tmp_path: Path, http_server, http_settings) -> None:
    dated = http_server.route("/wall.html", PAYWALL.format(head=DATED))
    undated = http_server.route("/undated-wall.html", PAYWALL.format(head=""))
    feed = http_server.route("/feed.xml", _feed([("Wall", undated, "Tue, 02 Apr 2024 23:30:00 -0500")]),
                             content_type="application/rss+xml")
    warc = _warc(tmp_path / "crawl.warc.gz", "https://news.example/wall", PAYWALL.format(head=DATED),
                 last_modified=None, warc_date="2024-06-01T00:00:00Z")
    rows = _failures(tmp_path, [dated, feed, str(warc)], http_settings)
    got = {r.source.split("#")[0]: (r.code, r.kind, r.published) for r in rows}
    assert got == {
        dated: ("extract.no_article", "paywall", "2024-03-05"),
        undated: ("extract.no_article", "paywall", "2024-04-02"),  # the feed's day, in the publisher's zone
        str(warc): ("extract.no_article", "paywall", "2024-03-05"),
    }


# --------------------------------------------------------------------------- HTTP headers


def test_last_modified_is_the_modified_day_never_published_when_the_page_has_one(http_server, http_settings,
                                                                                tmp_path: Path) -> None:
    body = UNDATED.replace("<head>", f"<head>{DATED}")
    url = http_server.route("/dated.html", body, headers={"Last-Modified": "Mon, 10 Jun 2024 08:00:00 GMT"})
    (article,) = _articles(tmp_path, [url], http_settings)
    assert (article["published"], article["published_source"]) == ("2024-03-05", "meta")
    assert article["modified"] == "2024-06-10"


def test_last_modified_dates_an_undated_page_with_low_confidence(http_server, http_settings, tmp_path: Path) -> None:
    url = http_server.route("/undated.html", UNDATED, headers={"Last-Modified": "Mon, 10 Jun 2024 08:00:00 GMT"})
    (article,) = _articles(tmp_path, [url], http_settings)
    assert (article["published"], article["published_source"]) == ("2024-06-10", "http_header")
    assert article["published_confidence"] == SOURCE_CONFIDENCE["http_header"] < min(
        v for k, v in SOURCE_CONFIDENCE.items() if k != "http_header")


def test_a_last_modified_of_the_fetch_day_says_nothing(http_server, http_settings, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    url = http_server.route("/dynamic.html", UNDATED, headers={"Last-Modified": now})
    (article,) = _articles(tmp_path, [url], http_settings)
    assert article["published"] is None and article["published_source"] is None


def test_warc_record_headers_are_evidence(tmp_path: Path) -> None:
    warc = _warc(tmp_path / "c.warc.gz", "https://news.example/cranes", UNDATED,
                 last_modified="Sun, 12 May 2024 10:00:00 GMT", warc_date="2024-06-01T10:00:00Z")
    (article,) = _articles(tmp_path, [str(warc)], Settings())
    assert (article["published"], article["published_source"], article["modified"]) == (
        "2024-05-12", "http_header", "2024-05-12")


def test_a_date_after_the_warc_crawl_is_impossible(tmp_path: Path) -> None:
    future = UNDATED.replace("<head>", '<head><meta property="article:published_time" content="2024-09-01">')
    warc = _warc(tmp_path / "c.warc.gz", "https://news.example/cranes", future,
                 last_modified=None, warc_date="2024-06-01T10:00:00Z")
    (article,) = _articles(tmp_path, [str(warc)], Settings())
    assert article["published"] is None  # nor the 1st of January of its year, htmldate's guess



def test_http_day() -> None:
    assert http_day("Mon, 10 Jun 2024 23:30:00 GMT") == "2024-06-10"
    assert http_day("Monday, 10-Jun-24 23:30:00 GMT") == "2024-06-10"  # RFC 850, obsolete but allowed
    assert http_day("Tue, 11 Jun 2024 01:30:00 +0200") == "2024-06-10"  # UTC day
    assert http_day("yesterday") is None and http_day("") is None and http_day(None) is None


# --------------------------------------------------------------------------- feed entries


def test_feed_entry_published_wins_and_agreement_raises_it(http_server, http_settings, tmp_path: Path) -> None:
    page = http_server.route("/a.html", UNDATED.replace("<head>", f"<head>{DATED}"))
    other = http_server.route("/b.html", UNDATED.replace("cranes", "tugs").replace("<head>", f"<head>{DATED}"))
    feed = http_server.route("/feed.xml", _feed([("A", page, "Tue, 05 Mar 2024 09:00:00 +0100"),
                                                 ("B", other, "Wed, 06 Mar 2024 09:00:00 +0100")]),
                             content_type="application/rss+xml")
    a, b = _articles(tmp_path, [feed], http_settings)
    assert (a["published"], a["published_source"]) == ("2024-03-05", "feed")
    assert a["published_confidence"] > SOURCE_CONFIDENCE["feed"]  # the page says the same day
    assert (b["published"], b["published_source"], b["published_confidence"]) == (
        "2024-03-06", "feed", SOURCE_CONFIDENCE["feed"])


def test_feed_updated_only_defers_to_a_trusted_page_date() -> None:
    page = DateEvidence("2024-03-05", "meta", 0.9)
    assert with_container(page, {"feed": "f", "updated": "2024-04-01"}).published == "2024-03-05"
    weak = DateEvidence("2019-01-01", "text", 0.5)
    assert with_container(weak, {"feed": "f", "updated": "2024-04-01"}).source == "feed_updated"
    assert with_container(DateEvidence(), {"feed": "f", "updated": "2024-04-01"}).published == "2024-04-01"


def test_a_json_record_states_its_day(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"url": "https://news.example/c", "html": UNDATED, "published": "2024-02-29"}) + "\n")
    (article,) = _articles(tmp_path, [str(path)], Settings())
    assert (article["published"], article["published_source"]) == ("2024-02-29", "record")


# --------------------------------------------------------------------------- invariants

_days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)).map(dt.date.isoformat)
_meta = st.fixed_dictionaries({}, optional={"published": _days, "updated": _days, "last_modified": _days,
                                            "crawled": _days, "feed": st.just("f")})


@given(_days | st.none(), _days | st.none(), _meta)
def test_evidence_is_always_possible_and_sourced(published, modified, meta) -> None:
    page = DateEvidence(published, "meta" if published else None, 0.9 if published else None, modified)
    ev = with_container(page, meta)
    if ev.published is None:
        assert ev.source is None and ev.confidence is None
        return
    assert ev.source in SOURCE_CONFIDENCE and 0 < (ev.confidence or 0) < 1
    latest = dt.date.fromisoformat(meta.get("crawled", dt.date.today().isoformat())) + dt.timedelta(days=1)

    def possible(day: str) -> bool:
        return EARLIEST.date() <= dt.date.fromisoformat(day) <= min(latest, dt.date.today() + dt.timedelta(days=1))

    if ev.source != "meta":  # the container's days are bounded by the fetch day and EARLIEST
        assert possible(ev.published)
    if "published" in meta and possible(meta["published"]):  # a stated day wins
        assert (ev.published, ev.source) == (meta["published"], "feed" if "feed" in meta else "record")
    if ev.source == "http_header":  # Last-Modified dates a page only when nothing else did
        assert published is None and ev.published == meta["last_modified"] < meta["crawled"]
