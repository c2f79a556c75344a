"""Fetching over loopback: address policy, robots.txt, politeness, retries, limits, feeds.

Uses the ``http_server`` / ``http_settings`` / ``alias_transport`` fixtures of
``tests/conftest_http.py``.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from newsgraph.config import Settings
from newsgraph.errors import FetchError
from newsgraph.sources import Fetcher, iter_raw
from newsgraph.sources import fetch as fetch_mod
from newsgraph.types import Failure, RawDocument
from tests.conftest_http import Reply

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
PAGE = "<html><head><title>Grid</title></head><body><article><p>Officials met in Riga.</p></article></body></html>"
PUBLIC_IP = "93.184.216.34"


def one(items):
    assert len(items) == 1, items
    return items[0]


def codes(items):
    return [getattr(i, "code", "ok") for i in items]


# ----------------------------------------------------------------------------- address policy


def test_loopback_refused_without_allow_private(http_server):
    url = http_server.route("/a", PAGE)
    fail = one(list(iter_raw([url], Settings(politeness_delay=0))))
    assert isinstance(fail, Failure)
    assert (fail.source, fail.code) == (url, "fetch.private_address")
    assert http_server.requests == []  # never contacted


def test_loopback_allowed_with_allow_private(http_server, http_settings):
    url = http_server.route("/a", PAGE)
    doc = one(list(iter_raw([url], http_settings)))
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.url, doc.kind, doc.data) == (url, url, "html", PAGE)
    assert http_server.hits("/a")[0].headers["User-Agent"] == http_settings.user_agent


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1",
                                     "fc00::1", "0.0.0.0", "240.0.0.1", "::ffff:127.0.0.1", "100.64.0.1"])
def test_forbidden_addresses(address):
    assert fetch_mod.is_forbidden_address(address)


def test_public_address_allowed():
    assert not fetch_mod.is_forbidden_address(PUBLIC_IP)


def test_every_resolved_address_is_checked(http_server, alias_transport):
    http_server.route("/a", PAGE)
    settings = Settings(politeness_delay=0, respect_robots=False)
    fetcher = Fetcher(settings, transport=alias_transport({"news.example": http_server}),
                      resolver=lambda host, port: [PUBLIC_IP, "10.0.0.7"])
    with fetcher, pytest.raises(FetchError) as info:
        fetcher.get("http://news.example/a")
    assert info.value.code == "fetch.private_address"
    assert http_server.requests == []


def test_redirect_to_private_address_is_refused(http_server, alias_transport):
    secret = http_server.route("/secret", "internal")
    http_server.route("/go", "", status=302, headers={"Location": secret})
    http_server.route("/moved", "", status=301, headers={"Location": "/a"})
    http_server.route("/a", PAGE)
    settings = Settings(politeness_delay=0, backoff=0.01)
    fetcher = Fetcher(settings, transport=alias_transport({"news.example": http_server}),
                      resolver=lambda host, port: [PUBLIC_IP])
    with fetcher:
        ok = fetcher.get("http://news.example/moved")  # a redirect within the public host is followed
        assert (ok.final_url, ok.body.decode()) == ("http://news.example/a", PAGE)
        with pytest.raises(FetchError) as info:
            fetcher.get("http://news.example/go")
    assert info.value.code == "fetch.private_address"
    assert http_server.hits("/go") and not http_server.hits("/secret")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("host", ["news.example", PUBLIC_IP])
def test_public_host_is_fetched_from_its_checked_address(http_server, alias_backend, host):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.route("/a", PAGE)
    lookups = []
    backend = alias_backend({PUBLIC_IP: http_server})  # the "public" address leads to the loopback server
    settings = Settings(politeness_delay=0, backoff=0.01)
    with Fetcher(settings, resolver=lambda name, port: lookups.append(name) or [PUBLIC_IP],
                 network_backend=backend) as fetcher:
        fetched = fetcher.get(f"http://{host}/a")
        with pytest.raises(FetchError) as info:
            fetcher.get(f"http://{host}/private/b")
    assert (fetched.final_url, fetched.body.decode()) == (f"http://{host}/a", PAGE)
    assert info.value.code == "fetch.robots"
    assert [h.path for h in http_server.requests] == ["/robots.txt", "/a"]  # robots.txt went the same way
    assert {h.headers["Host"] for h in http_server.requests} == {host}
    assert set(backend.connects) == {(PUBLIC_IP, 80)}  # never a lookup of its own
    assert lookups == ([] if host == PUBLIC_IP else ["news.example"] * 3)  # once per hop: robots, /a, /private/b


def test_unresolvable_host_is_unreachable():
    def resolver(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with Fetcher(Settings(), resolver=resolver) as fetcher, pytest.raises(FetchError) as info:
        fetcher.get("http://nowhere.invalid/")
    assert info.value.code == "fetch.unreachable"


# ----------------------------------------------------------------------------- robots & politeness


def test_robots_disallow_is_honoured_and_fetched_once(http_server, http_settings):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    ok = http_server.route("/news/1.html", PAGE)
    no = http_server.route("/private/2.html", PAGE)
    ok2 = http_server.route("/news/3.html", PAGE)
    items = list(iter_raw([ok, no, ok2], http_settings))
    assert codes(items) == ["ok", "fetch.robots", "ok"]
    assert len(http_server.hits("/robots.txt")) == 1
    assert http_server.hits("/private/2.html") == []
    # ignored when respect_robots is off
    assert codes(list(iter_raw([no], http_settings.replace(respect_robots=False)))) == ["ok"]


def test_robots_404_means_allowed_and_redirect_into_disallowed_path(http_server, http_settings):
    http_server.route("/a", PAGE)
    assert codes(list(iter_raw([http_server.url("/a")], http_settings))) == ["ok"]
    assert len(http_server.hits("/robots.txt")) == 1  # 404 (unrouted)


def test_redirect_into_robots_disallowed_path(http_server, http_settings):
    http_server.route("/robots.txt", "User-agent: newsgraph\nDisallow: /secret\n", content_type="text/plain")
    http_server.route("/go", "", status=302, headers={"Location": "/secret/page"})
    fail = one(list(iter_raw([http_server.url("/go")], http_settings)))
    assert fail.code == "fetch.robots"
    assert not http_server.hits("/secret/page")


def test_politeness_delay_between_requests_to_one_host(http_server, http_settings):
    delay = 0.25
    urls = [http_server.route(f"/p{i}", PAGE) for i in range(3)]
    items = list(iter_raw(urls, http_settings.replace(politeness_delay=delay)))
    assert codes(items) == ["ok", "ok", "ok"]
    stamps = [h.at for h in http_server.requests]
    assert [h.path for h in http_server.requests] == ["/robots.txt", "/p0", "/p1", "/p2"]
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert min(gaps) >= delay - 0.005, gaps


def test_politeness_counts_retries(http_server, http_settings):
    http_server.route_seq("/flaky", [Reply("busy", 503), Reply(PAGE)])
    items = list(iter_raw([http_server.url("/flaky")],
                          http_settings.replace(politeness_delay=0.2, respect_robots=False)))
    assert codes(items) == ["ok"]
    a, b = (h.at for h in http_server.hits("/flaky"))
    assert b - a >= 0.2 - 0.005


# ----------------------------------------------------------------------------- retries & errors


def test_503_then_200_is_retried(http_server, http_settings):
    http_server.route_seq("/flaky", [Reply("busy", 503), Reply("busy", 503), Reply(PAGE)])
    doc = one(list(iter_raw([http_server.url("/flaky")], http_settings)))
    assert isinstance(doc, RawDocument) and doc.data == PAGE
    assert len(http_server.hits("/flaky")) == 3


def test_small_retry_after_is_honoured_long_one_is_not(http_server, http_settings):
    http_server.route_seq("/ra", [Reply("slow down", 429, headers={"Retry-After": "1"}), Reply(PAGE)])
    http_server.route("/never", "gone for a while", status=503, headers={"Retry-After": "3600"})
    items = list(iter_raw([http_server.url("/ra"), http_server.url("/never")],
                          http_settings.replace(respect_robots=False)))
    assert codes(items) == ["ok", "fetch.http_503"]
    a, b = (h.at for h in http_server.hits("/ra"))
    assert b - a >= 0.95
    assert len(http_server.hits("/never")) == 1


def test_http_errors_after_retries(http_server, http_settings):
    http_server.route("/missing", "no", status=404)
    http_server.route("/broken", "no", status=500)
    items = list(iter_raw([http_server.url("/missing"), http_server.url("/broken")], http_settings))
    assert codes(items) == ["fetch.http_404", "fetch.http_500"]
    assert len(http_server.hits("/missing")) == 1  # 4xx: no retry
    assert len(http_server.hits("/broken")) == 1 + http_settings.retries


def test_slow_endpoint_times_out(http_server, http_settings):
    http_server.route("/slow", PAGE, delay=3.0)
    settings = http_settings.replace(timeout=0.3, retries=1, respect_robots=False)
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as info:
        fetcher.get(http_server.url("/slow"))
    assert info.value.code == "fetch.timeout"
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    assert len(http_server.hits("/slow")) == 2


def test_connection_refused_is_unreachable(http_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fail = one(list(iter_raw([f"http://127.0.0.1:{port}/x"], http_settings)))
    assert fail.code == "fetch.unreachable"


def test_size_cap_with_and_without_content_length(http_server, http_settings):
    big = "<p>" + "x" * 50_000 + "</p>"
    http_server.route("/big", big)
    http_server.route("/big-stream", big, send_length=False)
    http_server.route("/small", PAGE)
    settings = http_settings.replace(max_bytes=10_000)
    items = list(iter_raw([http_server.url(p) for p in ("/big", "/big-stream", "/small")], settings))
    assert codes(items) == ["fetch.too_large", "fetch.too_large", "ok"]


def test_content_types(http_server, http_settings):
    http_server.route("/img", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png")
    http_server.route("/plain", "A plain-text story.", content_type="text/plain; charset=utf-8")
    http_server.route("/xml", "<?xml version='1.0'?><catalog><book/></catalog>", content_type="application/xml")
    http_server.route("/none", PAGE, content_type=None)
    http_server.route("/lying", b"%PDF-1.4\n\x00\x00", content_type="text/html")
    http_server.route("/latin", '<meta charset="windows-1252"><p>caf\xe9</p>'.encode("latin-1"),
                      content_type="text/html")
    items = list(iter_raw([http_server.url(p) for p in ("/img", "/plain", "/xml", "/none", "/lying", "/latin")],
                          http_settings))
    assert codes(items) == ["fetch.content_type", "ok", "fetch.content_type", "ok", "input.binary", "ok"]
    assert items[1].kind == "text" and items[3].kind == "html"
    assert "café" in items[5].data


def test_fetch_errors_chain_the_httpx_exception():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    settings = Settings(allow_private=True, politeness_delay=0, backoff=0.001, respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher, \
            pytest.raises(FetchError) as info:
        fetcher.get("http://news.example/")
    assert info.value.code == "fetch.unreachable"
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (httpx.ReadTimeout, "fetch.timeout"),
        (httpx.ConnectTimeout, "fetch.timeout"),
        (httpx.RemoteProtocolError, "fetch.network"),
        (httpx.ReadError, "fetch.network"),
        (httpx.ProxyError, "fetch.network"),
        (httpx.UnsupportedProtocol, "fetch.invalid_url"),
    ],
)
def test_httpx_exception_mapping(exc, code):
    def handler(request):
        raise exc("boom", request=request)

    settings = Settings(allow_private=True, politeness_delay=0, backoff=0.001, respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher, \
            pytest.raises(FetchError) as info:
        fetcher.get("http://news.example/")
    assert info.value.code == code
    assert isinstance(info.value.__cause__, exc)


def test_non_http_url_and_bad_redirect():
    def handler(request):
        return httpx.Response(302, headers={"Location": "file:///etc/passwd"})

    settings = Settings(allow_private=True, politeness_delay=0, respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.get("http://news.example/")
        assert info.value.code == "fetch.invalid_url"
        with pytest.raises(FetchError) as info:
            fetcher.get("ftp://news.example/")
        assert info.value.code == "fetch.invalid_url"


def test_redirect_loop(http_server, http_settings):
    http_server.route("/loop", "", status=302, headers={"Location": "/loop"})
    fail = one(list(iter_raw([http_server.url("/loop")], http_settings)))
    assert fail.code == "fetch.too_many_redirects"


# ----------------------------------------------------------------------------- feeds


def _feed(server, items: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{server.url(p)}</link><pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate>"
        f"<author>Anna Keller</author></item>"
        for t, p in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loop News</title>{body}</channel></rss>'


def test_feed_url_items_are_fetched_with_entry_meta(http_server, http_settings):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.route("/a.html", PAGE)
    http_server.route("/private/b.html", PAGE)
    http_server.route("/inner.xml", _feed(http_server, [("x", "/a.html")]), content_type="application/rss+xml")
    http_server.route("/c.txt", "Plain story", content_type="text/plain")
    feed_url = http_server.route(
        "/feed.xml",
        _feed(http_server, [("First", "/a.html"), ("Members", "/private/b.html"), ("Nested", "/inner.xml"),
                            ("Third", "/c.txt"), ("Gone", "/nope.html")]),
        content_type="application/rss+xml; charset=utf-8",
    )
    items = list(iter_raw([feed_url], http_settings))
    assert codes(items) == ["ok", "fetch.robots", "fetch.content_type", "ok", "fetch.http_404"]
    first = items[0]
    assert (first.source, first.url, first.kind) == (http_server.url("/a.html"), http_server.url("/a.html"), "html")
    assert first.meta == {"feed": feed_url, "title": "First", "published": "2024-06-03",
                          "authors": ["Anna Keller"], "feed_title": "Loop News",
                          "crawled": first.meta["crawled"]}  # the response's Date header's day
    assert first.meta["crawled"] in _utc_days_around_now()
    assert items[3].kind == "text" and items[3].meta["title"] == "Third"
    assert [i.source for i in items][1:] == [http_server.url(p) for p in
                                             ("/private/b.html", "/inner.xml", "/c.txt", "/nope.html")]


def test_feed_served_as_html_is_sniffed(http_server, http_settings):
    http_server.route("/a.html", PAGE)
    url = http_server.route("/feed", _feed(http_server, [("First", "/a.html")]), content_type="text/html")
    assert codes(list(iter_raw([url], http_settings))) == ["ok"]


def test_feed_files_with_alias_host(http_server, http_settings, alias_transport):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.route("/articles/grid.html", PAGE)
    http_server.route("/articles/port.html", PAGE)
    http_server.route("/articles/fish.html", PAGE)
    http_server.route("/articles/rail.txt", "Rail freight grew.", content_type="text/plain")
    rss, atom = str(FIXTURES / "feed.rss"), str(FIXTURES / "feed.atom")
    items = list(iter_raw([rss, atom], http_settings, transport=alias_transport({"news.example": http_server})))
    got = [(i.source, getattr(i, "code", "ok")) for i in items]
    assert got == [
        ("http://news.example/articles/grid.html", "ok"),
        ("http://news.example/articles/port.html", "ok"),
        (f"{rss}#entry3", "feed.malformed"),
        ("http://news.example/private/members.html", "fetch.robots"),
        ("http://news.example/articles/fish.html", "ok"),
        ("http://news.example/articles/rail.txt", "ok"),  # relative link, resolved against the feed's <link>
    ]
    grid, port, _, _, fish, rail = items
    assert {k: v for k, v in grid.meta.items() if k != "crawled"} == {
        "feed": rss, "title": "Grid link talks resume in Riga", "published": "2024-05-01",
        "authors": ["Maria Lindqvist"], "feed_title": "The Baltic Courier"}
    assert port.meta["authors"] == ["Tomas Berzins"] and port.meta["published"] == "2024-05-02"
    assert fish.meta["authors"] == ["Anna Keller", "Jonas Petrauskas"] and fish.meta["feed_title"] == "Nordic Wire"
    # an Atom entry with only <updated>: kept apart from a published day (it may be a later edit)
    assert rail.kind == "text" and rail.meta["updated"] == "2024-06-04" and "published" not in rail.meta


def test_feed_items_skip_source_before_fetching(http_server, http_settings):
    http_server.route("/a.html", PAGE)
    http_server.route("/b.html", PAGE)
    feed_url = http_server.route("/feed.xml", _feed(http_server, [("A", "/a.html"), ("B", "/b.html")]),
                                 content_type="application/atom+xml")
    done = {http_server.url("/a.html")}
    items = list(iter_raw([feed_url], http_settings, skip_source=done.__contains__))
    assert [i.source for i in items] == [http_server.url("/b.html")]
    assert http_server.hits("/a.html") == []


def test_malformed_feeds(tmp_path, http_settings):
    (tmp_path / "broken.rss").write_text('<rss version="2.0"><channel><title>Broken</title')
    (tmp_path / "lenient.rss").write_text("<rss><channel><item><title>unclosed")  # feedparser recovers an entry
    (tmp_path / "zero.rss").write_text('<rss version="2.0"><channel><title>No items</title></channel></rss>')
    (tmp_path / "notafeed.xml").write_text("<?xml version='1.0'?><catalog><book>x</book></catalog>")
    (tmp_path / "empty.atom").write_text("")
    items = list(iter_raw([str(tmp_path)], http_settings))
    assert [(Path(i.source).name, i.code) for i in items] == [
        ("broken.rss", "feed.malformed"), ("empty.atom", "input.empty"), ("lenient.rss#entry1", "feed.malformed"),
        ("notafeed.xml", "feed.malformed")]


def test_stdin_feed(http_server, http_settings):
    import io

    http_server.route("/a.html", PAGE)
    data = _feed(http_server, [("From stdin", "/a.html")]).encode()
    doc = one(list(iter_raw(["-"], http_settings, stdin=io.BytesIO(data))))
    assert doc.meta["title"] == "From stdin" and doc.meta["feed"] == "-"


def test_fetcher_robots_5xx_disallows(http_server, http_settings):
    http_server.route("/robots.txt", "down", status=503)
    http_server.route("/a", PAGE)
    fail = one(list(iter_raw([http_server.url("/a")], http_settings)))
    assert fail.code == "fetch.robots"


def test_timing_sanity_of_politeness_sleep():
    slept = []
    now = [100.0]
    f = Fetcher(Settings(politeness_delay=1.0), sleep=slept.append, clock=lambda: now[0])
    f._last_request["h:80"] = 99.5
    f._wait_politely("h:80")
    f.close()
    assert slept == [pytest.approx(0.5)]
    assert time.monotonic() > 0


def _utc_days_around_now() -> set[str]:
    """Today's UTC day and its neighbours (a test run across midnight)."""
    import datetime

    now = datetime.datetime.now(datetime.UTC)
    return {(now + datetime.timedelta(days=d)).date().isoformat() for d in (-1, 0, 1)}
