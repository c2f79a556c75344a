"""Hostile clients against the real ``newsgraph serve`` process: HTTP hygiene and slowloris.

* A 405 names the allowed methods (``Allow``); every GET route answers HEAD
  with the GET's status and headers and no body.
* The ``Host`` header is the client's to choose: nothing the server sends back
  (pager and ``next`` links, redirects, error pages) may carry it.
* Slowloris: a connection that sends nothing, or its headers one byte a second,
  is closed once ``header_timeout`` has passed since its request began (2 s
  here, from a config file); ordinary requests keep answering meanwhile.

The server runs over a copy of the examples store, configured through
``$NEWSGRAPH_CONFIG`` the way a user would.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import free_port, serving

ROOT = Path(__file__).resolve().parents[2]
HEADER_TIMEOUT = 2.0
EVIL_HOST = "evil.example"


@pytest.fixture(scope="module")
def server(examples_db_copy: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    db = examples_db_copy("server_hostile")
    tmp = tmp_path_factory.mktemp("server_hostile")
    with serving(db, tmp, {"header_timeout": HEADER_TIMEOUT, "keep_alive": 5}) as (base, port):
        yield base, port


@pytest.fixture(scope="module")
def client(server: tuple[str, int]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=30) as c:
        yield c


# --------------------------------------------------------------------------- 405, HEAD


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("DELETE", "/api/articles", "GET, HEAD"),
    ("POST", "/api/search?q=x", "GET, HEAD"),
    ("PUT", "/search", "GET, HEAD"),
    ("POST", "/", "GET, HEAD"),
    ("GET", "/api/ingest", "POST"),
])
def test_405_names_the_allowed_methods(client: httpx.Client, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    if path.startswith("/api/"):
        assert r.json()["code"] == "serve.method_not_allowed" and allow in r.json()["error"]


@pytest.mark.parametrize("path", ["/api/articles", "/api/search?q=sanctions", "/api/quotes", "/api/entities",
                                  "/api/events", "/api/summary", "/api/failures", "/api/articles/ffffffffffffffff"])
def test_get_routes_answer_head_without_a_body(client: httpx.Client, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code and head.status_code in (200, 404)
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]


# --------------------------------------------------------------------------- Host


#: Pages and API calls with pager or ``next`` links, redirects (a trailing slash) and error pages.
HOST_PATHS = ["/articles?limit=1", "/articles?limit=1&offset=1", "/api/articles?limit=1", "/quotes?limit=1",
              "/api/quotes?limit=1&offset=1", "/events?limit=1", "/api/events?limit=1", "/entities?limit=1",
              "/api/entities?limit=1", "/search?q=the&limit=1", "/search?q=the&limit=1&offset=1",
              "/api/search?q=the&limit=1", "/api/articles/", "/articles/", "/static", "/nope", "/api/nope",
              "/entity/Nobody%20At%20All", "/", "/api/summary"]


def test_a_hostile_host_header_is_never_echoed(client: httpx.Client, server: tuple[str, int]) -> None:
    base, port = server
    seen_next = 0
    for path in HOST_PATHS:
        for host in (EVIL_HOST, f"{EVIL_HOST}:{port}"):
            r = client.get(path, headers={"host": host}, follow_redirects=False)
            assert r.status_code < 500, (path, r.status_code)
            assert EVIL_HOST not in r.text, (path, host)
            for name, value in r.headers.items():
                assert EVIL_HOST not in value, (path, name, value)
            if r.headers.get("content-type", "").startswith("application/json") and r.json().get("next"):
                seen_next += 1
                assert r.json()["next"].startswith("/"), r.json()["next"]
            if r.status_code in (301, 302, 307, 308):
                location = r.headers["location"]
                assert location.startswith("/") and not location.startswith("//"), location
    assert seen_next >= 3  # the pager links were there to be checked


def test_links_still_lead_to_the_next_page(client: httpx.Client) -> None:
    first = client.get("/api/articles", params={"limit": 2}).json()
    second = client.get(first["next"]).json()
    assert second["offset"] == 2 and second["limit"] == 2
    assert {a["id"] for a in first["articles"]}.isdisjoint(a["id"] for a in second["articles"])
    r = client.get("/api/articles/", follow_redirects=False)
    assert r.status_code in (307, 308) and r.headers["location"] == "/api/articles"


# --------------------------------------------------------------------------- slowloris


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float | None:
    """Seconds until the server closed ``sock`` (None if it was still open after ``seconds``),
    sending ``trickle`` one byte a second meanwhile."""
    t0 = time.monotonic()
    sock.settimeout(0.2)
    i = 0
    next_byte = t0
    while time.monotonic() - t0 < seconds:
        if trickle and time.monotonic() >= next_byte:
            try:
                sock.sendall(trickle[i % len(trickle):i % len(trickle) + 1])
            except OSError:
                return time.monotonic() - t0
            i += 1
            next_byte += 1.0
        try:
            data = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - t0
        if not data:
            return time.monotonic() - t0
    return None


SLOW_REQUEST = b"GET /api/articles HTTP/1.1\r\nHost: localhost\r\n" + b"X-Slow: " + b"a" * 200


def test_a_connection_sending_headers_a_byte_a_second_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(("127.0.0.1", server[1])) as sock:
        took = _closed_within(sock, HEADER_TIMEOUT + 6, trickle=SLOW_REQUEST)
    assert took is not None, "a header byte a second kept the connection open"
    assert HEADER_TIMEOUT - 0.5 <= took <= HEADER_TIMEOUT + 2


def test_a_connection_sending_nothing_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(("127.0.0.1", server[1])) as sock:
        took = _closed_within(sock, HEADER_TIMEOUT + 6)
    assert took is not None and took <= HEADER_TIMEOUT + 2


def test_an_idle_keep_alive_connection_gets_a_fresh_deadline_per_request(server: tuple[str, int]) -> None:
    """After a full request and response, a second request trickled on the same connection
    has its own deadline (the first request's does not carry over, nor is it forgotten)."""
    with socket.create_connection(("127.0.0.1", server[1])) as sock:
        sock.sendall(b"GET /api/summary HTTP/1.1\r\nHost: localhost\r\n\r\n")
        sock.settimeout(10)
        head = sock.recv(65536)
        assert head.startswith(b"HTTP/1.1 200")
        took = _closed_within(sock, HEADER_TIMEOUT + 6, trickle=SLOW_REQUEST)
    assert took is not None and took <= HEADER_TIMEOUT + 2


def test_requests_keep_answering_while_slow_connections_are_open(server: tuple[str, int]) -> None:
    base, port = server
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
    try:
        for s in socks[:3]:
            s.sendall(SLOW_REQUEST[:10])  # started a request, never finishes it
        with httpx.Client(base_url=base, timeout=10) as c:
            for _ in range(10):
                r = c.get("/api/articles", params={"limit": 1})
                assert r.status_code == 200 and r.elapsed.total_seconds() < 1.0
        time.sleep(HEADER_TIMEOUT + 1.5)
        for s in socks:  # all of them closed by the server by now
            s.settimeout(2)
            try:
                data = s.recv(4096)
            except (TimeoutError, OSError) as exc:
                pytest.fail(f"a slow connection was still open: {exc!r}")
            assert data == b"" or data.startswith(b"HTTP/1.1 408")
    finally:
        for s in socks:
            s.close()


def test_oversized_headers_are_refused(server: tuple[str, int]) -> None:
    """httptools has no limit of its own: 200 KB of headers used to be read and kept, and the
    connection left waiting for more."""
    refused = False
    with socket.create_connection(("127.0.0.1", server[1])) as sock:
        sock.settimeout(10)
        data = b""
        try:
            sock.sendall(b"GET /api/articles HTTP/1.1\r\nHost: localhost\r\n" + b"X-Big: " + b"a" * 200_000 + b"\r\n")
            data = sock.recv(4096)
        except (ConnectionResetError, BrokenPipeError):
            refused = True  # closed while we were still sending: refused before reading it all
    assert refused or data.startswith(b"HTTP/1.1 431"), data[:200]


def test_the_h11_twin_has_the_same_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without httptools, uvicorn parses with h11: its guarded protocol closes slow connections too
    (a uvicorn server in a thread of this process, over an empty in-memory store)."""
    import threading

    import uvicorn

    from newsgraph.serve import create_app
    from newsgraph.serve.http import ENV_HEADER_TIMEOUT, GuardedH11Protocol

    monkeypatch.setenv(ENV_HEADER_TIMEOUT, "1.0")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(":memory:"), host="127.0.0.1", port=port, http=GuardedH11Protocol,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            assert c.get("/api/articles").status_code == 200
        for trickle in (b"", SLOW_REQUEST):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                took = _closed_within(sock, 6, trickle=trickle)
            assert took is not None and took <= 1.0 + 2, trickle[:10]
    finally:
        server.should_exit = True
        thread.join(30)
