"""Loopback HTTP test server (a pytest plugin; no internet needed).

Register with ``pytest_plugins = ["tests.conftest_http"]`` in tests/conftest.py.

Fixtures
--------
``http_server``
    A fresh threaded ``http.server`` on 127.0.0.1 (random port) per test.
    ``http_server.route(path, body=..., status=200, content_type=...,
    headers={...}, delay=0.0, send_length=True, trickle=None,
    trickle_every=1.0)`` serves a fixed response (``trickle="headers"`` or
    ``"body"`` sends that part one byte every ``trickle_every`` seconds);
    ``http_server.route_seq(path, [Reply(...), Reply(...)])`` serves
    replies in turn (the last one repeats); ``http_server.url(path)`` gives
    the absolute URL. Unrouted paths (including ``/robots.txt``) are 404.
    ``http_server.requests`` records every request as
    ``Hit(path, at=time.monotonic(), headers)`` (server side, on arrival);
    ``http_server.hits(path)`` filters them.
``http_settings``
    ``Settings`` for loopback tests: ``allow_private=True``, no politeness
    delay, tiny backoff, 2 s timeout, 2 retries.
``alias_transport``
    ``alias_transport({"news.example": http_server})`` -> an
    ``httpx.BaseTransport`` that sends requests for those host names to the
    loopback server (the Host header keeps the name), so a "public" host can
    be simulated; pair it with a fake resolver (``Fetcher(resolver=...)``).
``alias_backend``
    ``alias_backend({"93.184.216.34": http_server})`` -> an
    ``httpcore.NetworkBackend`` whose connections to those addresses (any
    port) go to the loopback server (``port`` attribute, so a TLS server
    works too), every other address as usual; ``backend.connects`` records
    each ``(host, port)`` asked for. The socket-level twin of
    ``alias_transport``, for ``Fetcher(network_backend=...)``: the fetcher's
    own address pinning and deadline stay in place.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import httpx
import pytest

from newsgraph.config import Settings


@dataclass
class Reply:
    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    send_length: bool = True  # False: no Content-Length, body ends when the connection closes
    trickle: str | None = None  # "headers" or "body": that part is sent one byte at a time
    trickle_every: float = 1.0  # seconds between two trickled bytes


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    headers: dict[str, str]


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Hit] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                at = time.monotonic()
                path = self.path
                with server._lock:
                    server.requests.append(Hit(path, at, dict(self.headers.items())))
                    seq = server.routes.get(path) or server.routes.get(path.split("?", 1)[0])
                    reply = (seq.pop(0) if len(seq) > 1 else seq[0]) if seq else Reply(b"not found", 404,
                                                                                         "text/plain")
                end = time.monotonic() + reply.delay
                while time.monotonic() < end and not server._stop.is_set():
                    time.sleep(0.01)
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                if reply.trickle is not None:
                    self._trickle(reply, body)
                    return
                try:
                    self.send_response(reply.status)
                    if reply.content_type:
                        self.send_header("Content-Type", reply.content_type)
                    if reply.send_length:
                        self.send_header("Content-Length", str(len(body)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    for i in range(0, len(body), 65536):
                        self.wfile.write(body[i : i + 65536])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size cap, timeout): fine

            def _trickle(self, reply: Reply, body: bytes) -> None:
                lines = [f"HTTP/1.0 {reply.status} {HTTPStatus(reply.status).phrase}"]
                if reply.content_type:
                    lines.append(f"Content-Type: {reply.content_type}")
                if reply.send_length:
                    lines.append(f"Content-Length: {len(body)}")
                lines += [f"{key}: {value}" for key, value in reply.headers.items()]
                head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                slow, fast = (head, b"") if reply.trickle == "headers" else (b"", head)
                try:
                    self.wfile.write(fast)
                    self.wfile.flush()
                    for i in range(len(slow)):
                        self.wfile.write(slow[i : i + 1])
                        self.wfile.flush()
                        if not server._pause(reply.trickle_every):
                            return
                    if reply.trickle == "headers":
                        self.wfile.write(body)
                        return
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        if not server._pause(reply.trickle_every):
                            return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: fine

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    # --------------------------------------------------------------------- API
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes | str = b"", status: int = 200,
              content_type: str | None = "text/html; charset=utf-8", **kw: object) -> str:
        self.route_seq(path, [Reply(body, status, content_type, **kw)])  # type: ignore[arg-type]
        return self.url(path)

    def route_seq(self, path: str, replies: list[Reply]) -> str:
        with self._lock:
            self.routes[path] = list(replies)
        return self.url(path)

    def _pause(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the server is stopping; False when it is."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self._stop.is_set():
            time.sleep(0.01)
        return not self._stop.is_set()

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.requests if h.path == path]

    def close(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


class AliasTransport(httpx.BaseTransport):
    """Send requests for aliased host names to loopback servers (keeps the Host header)."""

    def __init__(self, aliases: dict[str, LoopbackServer]) -> None:
        self._aliases = aliases
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = self._aliases.get(request.url.host)
        if target is not None:
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=target.port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AliasBackend(httpcore.NetworkBackend):
    """Connect to loopback servers for aliased addresses (socket level); record every connect."""

    def __init__(self, aliases: dict[str, object]) -> None:
        self._aliases = aliases
        self._inner = httpcore.SyncBackend()
        self.connects: list[tuple[str, int]] = []

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: object = None) -> httpcore.NetworkStream:
        self.connects.append((host, port))
        target = self._aliases.get(host)
        if target is not None:
            host, port = "127.0.0.1", target.port  # type: ignore[attr-defined]
        return self._inner.connect_tcp(host, port, timeout=timeout, local_address=local_address,
                                       socket_options=socket_options)  # type: ignore[arg-type]

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def http_settings() -> Settings:
    return Settings(allow_private=True, politeness_delay=0.0, backoff=0.01, timeout=2.0, retries=2)


@pytest.fixture
def alias_transport() -> Iterator[Callable[[dict[str, LoopbackServer]], AliasTransport]]:
    made: list[AliasTransport] = []

    def make(aliases: dict[str, LoopbackServer]) -> AliasTransport:
        transport = AliasTransport(aliases)
        made.append(transport)
        return transport

    yield make
    for transport in made:
        transport.close()


@pytest.fixture
def alias_backend() -> Callable[[dict[str, object]], AliasBackend]:
    return AliasBackend
