"""Hostile servers and names: trickling responses, DNS rebinding (all on loopback).

* A server that sends its headers or body one byte a second never trips a
  per-read timeout; each request attempt has one wall-clock deadline
  (``DEADLINE_FACTOR * Settings.timeout``) and the rest of the batch goes on.
* A name that answers a public address to the address check and 127.0.0.1
  afterwards (DNS rebinding) must not reach loopback: the connection goes to
  the address that was checked, with TLS and the Host header on the name.

Uses the ``http_server`` / ``http_settings`` / ``alias_backend`` fixtures of
``tests/conftest_http.py``.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.config import Settings
from newsgraph.errors import FetchError
from newsgraph.sources import Fetcher, iter_raw
from newsgraph.sources import fetch as fetch_mod
from newsgraph.types import Failure, RawDocument
from tests.conftest_http import LoopbackServer, Reply

PAGE = "<html><head><title>Grid</title></head><body><article><p>Officials met in Riga.</p></article></body></html>"
PUBLIC_IP = "93.184.216.34"
TIMEOUT = 1.0
DEADLINE = 3 * TIMEOUT  # the documented rule: one attempt has 3 x Settings.timeout of wall-clock time
SLACK = 1.5  # scheduling, thread start-up, a slow shared machine
TRICKLE = 0.5  # seconds per byte: well inside TIMEOUT, so no single read ever times out

pytestmark = pytest.mark.timeout(30)


def codes(items):
    return [getattr(i, "code", "ok") for i in items]


def timed(fn):
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


class RebindingResolver:
    """Answers ``first`` to the first lookup and ``later`` to every other one."""

    def __init__(self, first: list[str], later: list[str]) -> None:
        self.first, self.later = first, later
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.first if len(self.calls) == 1 else self.later


# ----------------------------------------------------------------------------- trickling servers


@pytest.mark.parametrize("part", ["headers", "body"])
def test_trickling_response_times_out_at_the_deadline_and_the_batch_goes_on(http_server, http_settings, part):
    slow = http_server.route("/slow", PAGE, trickle=part, trickle_every=TRICKLE)
    good = http_server.route("/good", PAGE)
    settings = http_settings.replace(timeout=TIMEOUT, respect_robots=False)
    items, elapsed = timed(lambda: list(iter_raw([slow, good], settings)))
    assert codes(items) == ["fetch.timeout", "ok"]
    assert isinstance(items[0], Failure) and items[0].source == slow
    assert f"{DEADLINE:g}s deadline" in items[0].message
    assert isinstance(items[1], RawDocument) and items[1].data == PAGE
    assert elapsed < DEADLINE + SLACK, elapsed
    assert len(http_server.hits("/slow")) == 1  # a deadline is not retried: it would trickle again


def test_trickling_response_on_a_pinned_public_host_times_out_too(http_server, alias_backend):
    http_server.route("/slow", PAGE, trickle="headers", trickle_every=TRICKLE)
    settings = Settings(politeness_delay=0, backoff=0.01, timeout=TIMEOUT, respect_robots=False)
    fetcher = Fetcher(settings, resolver=lambda host, port: [PUBLIC_IP],
                      network_backend=alias_backend({PUBLIC_IP: http_server}))
    start = time.monotonic()
    with fetcher, pytest.raises(FetchError) as info:
        fetcher.get("http://news.example/slow")
    elapsed = time.monotonic() - start
    assert info.value.code == "fetch.timeout"
    assert elapsed < DEADLINE + SLACK, elapsed
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    assert len(http_server.hits("/slow")) == 1


def test_trickling_robots_txt_does_not_stall_the_run(http_server, http_settings):
    http_server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain", trickle="headers",
                      trickle_every=TRICKLE)
    a = http_server.route("/a", PAGE)
    b = http_server.route("/b", PAGE)
    other = LoopbackServer()  # another host: its own robots.txt (404), its own politeness
    try:
        other.route("/c", PAGE)
        c = f"http://localhost:{other.port}/c"
        items, elapsed = timed(lambda: list(iter_raw([a, b, c], http_settings.replace(timeout=TIMEOUT))))
    finally:
        other.close()
    assert codes(items) == ["fetch.timeout", "fetch.timeout", "ok"]
    assert elapsed < DEADLINE + SLACK, elapsed  # robots.txt tried once for the host, remembered
    assert len(http_server.hits("/robots.txt")) == 1
    assert http_server.hits("/a") == [] and http_server.hits("/b") == []


def test_cli_ingest_with_a_trickling_url_ends_at_the_deadline(tmp_path: Path, http_server):
    slow = http_server.route("/slow", PAGE, trickle="headers", trickle_every=TRICKLE)
    good = http_server.route("/good", PAGE.replace("Officials met in Riga.", "Officials met in Riga. " * 8))
    args = ["--db", str(tmp_path / "s.db"), "ingest", "--json", "--no-progress", "--no-analyze", "--workers", "1",
            "--allow-private", "--ignore-robots", "--delay", "0", "--timeout", f"{TIMEOUT:g}", slow, good]
    result, elapsed = timed(lambda: CliRunner().invoke(cli, args, catch_exceptions=False))
    summary = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (summary["ingested"], summary["failed_by_code"]) == (1, {"fetch.timeout": 1})
    assert elapsed < DEADLINE + SLACK + 1.0, elapsed  # + the CLI's own start-up


# ----------------------------------------------------------------------------- DNS rebinding


def test_rebinding_name_never_reaches_loopback(http_server):
    """The check sees a public address; the system (and later lookups) say 127.0.0.1."""
    http_server.route("/a", PAGE)
    port = http_server.port
    if "127.0.0.1" not in fetch_mod.resolve_addresses("localhost", port):
        pytest.skip("'localhost' does not resolve to 127.0.0.1 here")
    resolver = RebindingResolver([PUBLIC_IP], ["127.0.0.1"])
    settings = Settings(politeness_delay=0, backoff=0.01, retries=1, timeout=TIMEOUT, respect_robots=False)
    with Fetcher(settings, resolver=resolver) as fetcher, pytest.raises(FetchError) as info:
        fetcher.get(f"http://localhost:{port}/a")
    assert http_server.requests == []  # loopback was never contacted
    # the connection went to the checked address (unreachable from here): a clear fetch failure naming it
    assert info.value.code in ("fetch.unreachable", "fetch.timeout")
    assert PUBLIC_IP in str(info.value.__cause__)
    assert resolver.calls == [("localhost", port)]  # resolved once, retries included


def test_rebinding_name_is_served_by_the_checked_address_across_retries(http_server, alias_backend):
    http_server.route_seq("/a", [Reply("busy", 503), Reply(PAGE)])
    resolver = RebindingResolver([PUBLIC_IP], ["127.0.0.1"])
    backend = alias_backend({PUBLIC_IP: http_server})
    settings = Settings(politeness_delay=0, backoff=0.01, timeout=TIMEOUT, respect_robots=False)
    with Fetcher(settings, resolver=resolver, network_backend=backend) as fetcher:
        fetched = fetcher.get("http://news.example/a")
    assert fetched.body.decode() == PAGE
    assert backend.connects == [(PUBLIC_IP, 80), (PUBLIC_IP, 80)]  # never the rebound 127.0.0.1
    assert resolver.calls == [("news.example", 80)]
    assert [h.headers["Host"] for h in http_server.hits("/a")] == ["news.example", "news.example"]


def test_redirect_to_a_rebinding_name_is_checked_and_pinned_per_hop(http_server, alias_backend):
    second_ip = "93.184.216.35"
    http_server.route("/go", "", status=302, headers={"Location": "http://cdn.example/a"})
    http_server.route("/a", PAGE)
    answers = {"news.example": RebindingResolver([PUBLIC_IP], ["127.0.0.1"]),
               "cdn.example": RebindingResolver([second_ip], ["127.0.0.1"])}
    backend = alias_backend({PUBLIC_IP: http_server, second_ip: http_server})
    settings = Settings(politeness_delay=0, backoff=0.01, timeout=TIMEOUT, respect_robots=False)
    with Fetcher(settings, resolver=lambda host, port: answers[host](host, port),
                 network_backend=backend) as fetcher:
        fetched = fetcher.get("http://news.example/go")
    assert (fetched.final_url, fetched.body.decode()) == ("http://cdn.example/a", PAGE)
    assert backend.connects == [(PUBLIC_IP, 80), (second_ip, 80)]
    assert [h.headers["Host"] for h in http_server.requests] == ["news.example", "cdn.example"]


# ----------------------------------------------------------------------------- TLS keeps the name

# A throwaway self-signed certificate for news.example only (test use; valid 2000-2100).
NEWS_CERT = """-----BEGIN CERTIFICATE-----
MIIBjzCCATWgAwIBAgIBATAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxuZXdzLmV4
YW1wbGUwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBcxFTATBgNV
BAMMDG5ld3MuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNb2K7Fc
9tYjWCuj42/Cc2r3OjO3UVkwgjeM21WYxTSi88ZaK00fJB2CbbDsNS6W54nXgZUq
JcwdQZtJ03q+3MKjcDBuMBcGA1UdEQQQMA6CDG5ld3MuZXhhbXBsZTAPBgNVHRMB
Af8EBTADAQH/MA4GA1UdDwEB/wQEAwIChDATBgNVHSUEDDAKBggrBgEFBQcDATAd
BgNVHQ4EFgQUyXQjOXXk8dby+g51I0Jb63tw+4YwCgYIKoZIzj0EAwIDSAAwRQIh
ANxf3AqF7S54HaEJ5wWyKB9KRbWRRWaDYgXL0pJShw5aAiBdo2rfaheSzyribrdv
kZjfizpRvBfVzIXNPyo8eX1Q6w==
-----END CERTIFICATE-----
"""
NEWS_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCBSdXOkz3dwUUgs+
NSonld1VvZnohv9BGompa2g+iEWhRANCAATW9iuxXPbWI1gro+NvwnNq9zozt1FZ
MII3jNtVmMU0ovPGWitNHyQdgm2w7DUulueJ14GVKiXMHUGbSdN6vtzC
-----END PRIVATE KEY-----
"""


class TLSServer:
    """HTTPS on 127.0.0.1 with the news.example certificate; records SNI names and Host headers."""

    def __init__(self, tmp: Path) -> None:
        (tmp / "cert.pem").write_text(NEWS_CERT)
        (tmp / "key.pem").write_text(NEWS_KEY)
        self.server_names: list[str | None] = []
        self.hosts: list[str | None] = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
        context.sni_callback = lambda _sock, name, _ctx: self.server_names.append(name)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                outer.hosts.append(self.headers.get("Host"))
                body = PAGE.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TLSServer]:
    server = TLSServer(tmp_path)
    try:
        yield server
    finally:
        server.close()


def test_pinned_https_keeps_sni_certificate_check_and_host_on_the_name(tls_server, tmp_path, monkeypatch,
                                                                         alias_backend):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))  # trust the test certificate only
    backend = alias_backend({PUBLIC_IP: tls_server})
    settings = Settings(politeness_delay=0, backoff=0.01, retries=0, timeout=TIMEOUT, respect_robots=False)
    with Fetcher(settings, resolver=RebindingResolver([PUBLIC_IP], ["127.0.0.1"]),
                 network_backend=backend) as fetcher:
        fetched = fetcher.get("https://news.example/a")
    assert fetched.body.decode() == PAGE  # the certificate was verified for news.example
    assert backend.connects == [(PUBLIC_IP, 443)]
    assert tls_server.server_names == ["news.example"]
    assert tls_server.hosts == ["news.example"]


def test_connect_refused_on_every_checked_address_is_unreachable(alias_backend):
    with socket.socket() as s:  # a loopback port nobody listens on, standing in for a dead public host
        s.bind(("127.0.0.1", 0))
        closed = type("Closed", (), {"port": s.getsockname()[1]})()
    backend = alias_backend({PUBLIC_IP: closed, "93.184.216.35": closed})
    settings = Settings(politeness_delay=0, backoff=0.01, retries=0, timeout=TIMEOUT, respect_robots=False)
    with Fetcher(settings, resolver=lambda host, port: [PUBLIC_IP, "93.184.216.35"],
                 network_backend=backend) as fetcher, pytest.raises(FetchError) as info:
        fetcher.get("http://news.example/a")
    assert info.value.code == "fetch.unreachable"
    assert backend.connects == [(PUBLIC_IP, 80), ("93.184.216.35", 80)]  # each checked address, in order
