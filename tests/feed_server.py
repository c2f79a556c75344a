"""A loopback news site whose feeds change between polls (tests of ``newsgraph watch``).

``FeedSite`` serves RSS feeds and article pages from 127.0.0.1 (random port) out of state the
test changes while a watcher runs: ``add(feed, i)`` publishes article ``i`` (its page and a feed
entry, dated ``i`` minutes after a fixed time), ``edit(i)`` changes an article's text and its
entry's title and ``<atom:updated>``, ``fail(feed, n)`` answers the feed's next ``n`` requests with
500, ``slow`` delays answers per path. Each feed has an ETag and a Last-Modified that change
when its entries do, and answers 304 to a request carrying the current ones. Every request is
recorded with its headers (``hits(path)``).
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.helpers import article_text

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

PAGE = """<!doctype html><html lang="en"><head><title>{title} | Baltic Ledger</title>
<meta property="og:site_name" content="Baltic Ledger">
<meta property="article:published_time" content="{when}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{paras}</article>
<footer>© 2026 Baltic Ledger</footer></body></html>"""


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class _Feed:
    items: list[int] = field(default_factory=list)
    version: int = 0
    failures_left: int = 0


class FeedSite:
    def __init__(self) -> None:
        self.feeds: dict[str, _Feed] = {}
        self.edits: dict[int, int] = {}
        self.slow: dict[str, float] = {}
        self.requests: list[Hit] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                with site.lock:
                    site.requests.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()},
                                             time.monotonic()))
                    delay = site.slow.get(self.path, 0.0)
                time.sleep(delay)
                status, headers, body = site.answer(self.path, {k.lower(): v for k, v in self.headers.items()})
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- what the test changes

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, feed: str, *items: int) -> None:
        with self.lock:
            f = self.feeds.setdefault(feed, _Feed())
            f.items.extend(items)
            f.version += 1

    def edit(self, feed: str, i: int) -> None:
        with self.lock:
            self.edits[i] = self.edits.get(i, 0) + 1
            self.feeds[feed].version += 1

    def fail(self, feed: str, n: int) -> None:
        with self.lock:
            self.feeds.setdefault(feed, _Feed()).failures_left = n

    def hits(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.requests if h.path == path]

    def page_path(self, i: int) -> str:
        return f"/news/{i}"

    # -- answers

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            if path in self.feeds:
                return self._feed(path, headers)
            if path.startswith("/news/") and path[6:].isdigit():
                return 200, {"Content-Type": "text/html; charset=utf-8"}, self._page(int(path[6:])).encode()
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def _feed(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        f = self.feeds[path]
        if f.failures_left:
            f.failures_left -= 1
            return 500, {"Content-Type": "text/plain"}, b"the feed generator fell over"
        etag = f'"{path.strip("/")}-v{f.version}"'
        modified = email.utils.format_datetime(T0 + timedelta(hours=f.version), usegmt=True)
        if headers.get("if-none-match") == etag or (
                "if-none-match" not in headers and headers.get("if-modified-since") == modified):
            return 304, {"ETag": etag, "Last-Modified": modified}, b""
        entries = "".join(self._entry(i) for i in reversed(f.items))
        body = (f'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
                f"<title>Ledger {path}</title><link>{self.base}/</link>{entries}</channel></rss>")
        return 200, {"Content-Type": "application/rss+xml", "ETag": etag, "Last-Modified": modified}, body.encode()

    def _when(self, i: int) -> datetime:
        return T0 + timedelta(minutes=i)

    def _entry(self, i: int) -> str:
        edits = self.edits.get(i, 0)
        title = f"Talks resume, day {i}" + (f" (updated {edits})" if edits else "")
        updated = (f"<atom:updated>{(self._when(i) + timedelta(hours=edits)).isoformat()}</atom:updated>"
                   if edits else "")
        return (f"<item><title>{title}</title><link>{self.url(self.page_path(i))}</link>"
                f"<pubDate>{email.utils.format_datetime(self._when(i), usegmt=True)}</pubDate>{updated}</item>")

    def _page(self, i: int) -> str:
        body = article_text(i).split("\n\n")
        paras = "".join(f"<p>{p}</p>" for p in (body[2], body[3], body[6], body[7]))
        edits = self.edits.get(i, 0)
        if edits:
            paras += f"<p>Update {edits}: the ministry later confirmed the date of the next round of talks.</p>"
        return PAGE.format(title=f"Talks resume, day {i}", when=self._when(i).isoformat(), paras=paras)
