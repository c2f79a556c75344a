"""HTTP fetching: one polite, careful ``httpx.Client`` per run.

``Fetcher.get(url)`` returns a ``Fetched`` (final URL, MIME type, charset,
body bytes, and the days of its ``Date`` and ``Last-Modified`` headers: the
fetch day and the server's modification day, evidence for
``newsgraph.extract.dates``) or raises ``FetchError`` with one of these codes:

=========================  ==================================================
``fetch.invalid_url``      not an absolute http(s) URL (also on redirects)
``fetch.private_address``  host resolves to a private/loopback/link-local/
                           reserved/multicast address (every address is
                           checked, on every redirect hop) and
                           ``Settings.allow_private`` is off
``fetch.robots``           robots.txt disallows the URL (``RobotsDisallowed``)
``fetch.unreachable``      DNS failure, connection refused/reset on connect
                           (to every checked address)
``fetch.timeout``          connect/read/write/pool timeout, or a request
                           attempt ran past its deadline (see below)
``fetch.network``          the connection broke mid-response, protocol error
``fetch.decoding``         broken Content-Encoding (gzip/deflate/br)
``fetch.too_large``        Content-Length or streamed body > ``max_bytes``
``fetch.content_type``     not HTML/XHTML/text/plain/RSS/Atom/XML
``fetch.too_many_redirects`` more than ``MAX_REDIRECTS`` hops
``fetch.http_<status>``    4xx/5xx (429 and 5xx only after the retries)
=========================  ==================================================

Behaviour:

* Deadline: each request attempt (one try of one redirect hop; robots.txt
  fetches too) has one wall-clock deadline, ``DEADLINE_FACTOR *
  Settings.timeout`` seconds (3 x timeout) from when it starts, after the
  politeness wait. Connecting (to every address tried), the TLS handshake,
  sending the request, the response headers and the whole body must all be
  done by then: every socket operation waits at most the smaller of
  ``Settings.timeout`` and the time left, so a server trickling headers or
  body a byte at a time is cut off at the deadline. An attempt that runs
  past its deadline fails with ``fetch.timeout`` at once, without retries
  (a trickling server would trickle again), so one such URL costs about one
  deadline and the batch goes on; a plain timeout (one operation idle for
  ``Settings.timeout``) is retried like other failures.
* Retries: timeouts, connection errors, broken connections, 429 and 5xx are
  retried ``Settings.retries`` times with exponential backoff
  (``backoff * 2**attempt``); a ``Retry-After`` of at most
  ``MAX_RETRY_AFTER`` seconds is honoured (the longer of the two waits),
  a longer one ends the retries at once.
* Politeness: two requests to one host (``host:port``) start at least
  ``Settings.politeness_delay`` seconds apart, measured from the *end* of the
  previous one; robots.txt fetches and retries count as requests.
* robots.txt: fetched once per host (same client, same politeness), parsed
  with ``urllib.robotparser``. 2xx -> rules; 4xx -> everything allowed; 429
  or 5xx after retries -> everything disallowed (RFC 9309); a timeout or
  connection failure is remembered for the host and reported for each of its
  URLs with that code.
* Redirects are followed by hand (at most ``MAX_REDIRECTS``), re-checking
  scheme, address and robots.txt for each hop.
* Addresses: with ``allow_private`` off, each hop's host name is resolved
  once (the ``resolver``), every address is checked, and the connection is
  made to those checked addresses only (the first that accepts; retries of
  the hop use the same ones): httpx never resolves the name again, so a DNS
  answer that changes after the check (DNS rebinding) cannot reach a
  private address. TLS (SNI, certificate) and the Host header keep the host
  name. With ``allow_private`` on, nothing is checked and names are resolved
  as httpx normally does; the deadline still applies. Pinning and deadline
  live in the network backend of the ``httpx`` transport the fetcher builds
  (``newsgraph.sources.net``); environment proxies are not used.
* The body is streamed and abandoned as soon as it passes ``max_bytes``
  (after Content-Encoding decoding, so a gzip bomb is cut off too); the MIME
  type is checked from the headers before any of the body is read.

An injected ``transport`` (tests: ``httpx.MockTransport``, an alias
transport) replaces that backend: addresses are still checked, but the
connection is the transport's own business (not pinned), and the deadline is
only checked between body chunks, not during a header or body read.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import ipaddress
import socket
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field

import httpcore
import httpx

from newsgraph.config import Settings
from newsgraph.errors import FetchError, RobotsDisallowed
from newsgraph.sources.net import Deadline, GuardedBackend, GuardedTransport, HostKey

MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 30.0  # seconds; a longer Retry-After is not waited for
DEADLINE_FACTOR = 3.0  # one request attempt's wall-clock deadline is this times Settings.timeout
ROBOTS_MAX_BYTES = 512 * 1024

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "text/rss+xml",
        "text/atom+xml",
    }
)
XML_TYPES = frozenset({"application/xml", "text/xml"})
ACCEPTED_TYPES = HTML_TYPES | TEXT_TYPES | FEED_TYPES | XML_TYPES

ACCEPT_HEADER = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8"
)

Resolver = Callable[[str, int], list[str]]
Pins = dict[HostKey, tuple[str, ...]]  # checked addresses per (host, port); {} when unchecked


def host_key(url: str) -> str | None:
    """The key politeness is kept per (``host:port``, as ``Fetcher`` keys its clock), or None when
    ``url`` is not an http(s) URL (``newsgraph.cluster`` groups feed entries by it)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return Fetcher._host_key(parsed)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: where it ended up and what it holds."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    mime: str  # lower-case type/subtype, "" when the server sent none
    charset: str | None
    body: bytes
    served: str | None = None  # YYYY-MM-DD (UTC) of the response's Date header: the fetch day
    last_modified: str | None = None  # YYYY-MM-DD (UTC) of its Last-Modified header (``http_day``)
    #: the response's headers (lower-case names); a conditional GET's 304 is a ``Fetched`` with
    #: status 304 and no body (``get(headers=...)``; ``newsgraph.watch`` reads ETag, Cache-Control)
    headers: dict[str, str] = field(default_factory=dict)


def resolve_addresses(host: str, port: int) -> list[str]:
    """Every IP address ``host`` resolves to (``socket.getaddrinfo``)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_forbidden_address(address: str) -> bool:
    """True for addresses a crawler must not reach without ``allow_private``."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``"text/html; charset=UTF-8"`` -> ``("text/html", "UTF-8")``."""
    if not value:
        return "", None
    parts = value.split(";")
    mime = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime, charset


def http_day(value: str | None) -> str | None:
    """``YYYY-MM-DD`` (UTC) of an HTTP date header (``Date``, ``Last-Modified``: RFC 9110's
    IMF-fixdate and its obsolete forms), else None."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC)
    return when.date().isoformat()


def acceptable_type(mime: str) -> bool:
    """The MIME types a document or feed may come with ('' = unknown, sniffed later)."""
    return mime == "" or mime in ACCEPTED_TYPES


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _conditional(headers: dict[str, str] | None) -> bool:
    return bool(headers) and any(k.lower() in ("if-none-match", "if-modified-since") for k in headers or ())


class _Redirect(Exception):  # internal control flow, never leaves this module
    def __init__(self, location: str) -> None:
        self.location = location


class Fetcher:
    """Fetch URLs with one ``httpx.Client``; see the module docstring.

    ``transport`` replaces the network (``httpx.MockTransport`` or a wrapper in
    tests; then connections are not pinned, see the module docstring);
    ``resolver`` (the one name lookup of the address check), ``sleep`` and
    ``clock`` (politeness) are injectable for the same reason, and so is
    ``network_backend``, the socket layer under the pinning and deadline
    (default ``httpcore.SyncBackend``; tests route a public address to a
    loopback server with it). Use as a context manager or call ``close()``.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        network_backend: httpcore.NetworkBackend | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._resolver = resolver or resolve_addresses
        self._sleep = sleep
        self._clock = clock
        self._backend: GuardedBackend | None = None
        if transport is None:
            self._backend = GuardedBackend(pinned_only=not settings.allow_private, inner=network_backend)
            transport = GuardedTransport(self._backend)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.timeout),
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT_HEADER},
            follow_redirects=False,
        )
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError] = {}

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public
    def get(self, url: str, *, allowed: Callable[[str], bool] = acceptable_type,
            headers: dict[str, str] | None = None) -> Fetched:
        """GET ``url`` following redirects; raise ``FetchError`` on any failure. ``headers`` go with
        the request (on every hop); with ``If-None-Match`` or ``If-Modified-Since`` among them, a 304
        is an answer (``Fetched.status`` 304, empty body), not an error."""
        return self._get(url, allowed=allowed, check_robots=self.settings.respect_robots,
                         max_bytes=self.settings.max_bytes, truncate=False, headers=headers)

    # ------------------------------------------------------------------ internals
    def _get(self, url: str, *, allowed: Callable[[str], bool], check_robots: bool,
             max_bytes: int, truncate: bool, headers: dict[str, str] | None = None) -> Fetched:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            target = self._parse_url(current, source=url)
            pins = self._check_address(target, source=url)
            if check_robots:
                self._check_robots(target, source=url)
            try:
                status, mime, charset, body, got = self._request(target, source=url, pins=pins, allowed=allowed,
                                                                  max_bytes=max_bytes, truncate=truncate,
                                                                  headers=headers)
            except _Redirect as redirect:
                current = redirect.location
                continue
            served = http_day(got.get("date")) or datetime.datetime.now(datetime.UTC).date().isoformat()
            return Fetched(url=url, final_url=str(target), status=status, mime=mime, charset=charset, body=body,
                           served=served, last_modified=http_day(got.get("last-modified")),
                           headers={k.lower(): v for k, v in got.items()})
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", source=url, code="fetch.too_many_redirects")

    @staticmethod
    def _parse_url(url: str, *, source: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchError(f"invalid URL {url!r}: {exc}", source=source, code="fetch.invalid_url") from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchError(f"not an http(s) URL: {url!r}", source=source, code="fetch.invalid_url")
        return parsed

    @staticmethod
    def _host_key(url: httpx.URL) -> str:
        port = url.port or (443 if url.scheme == "https" else 80)
        return f"{url.host}:{port}"

    def _check_address(self, url: httpx.URL, *, source: str) -> Pins:
        """Resolve ``url``'s host once and check every address; return them as the pins.

        With ``allow_private`` on nothing is resolved or checked (``{}``).
        """
        if self.settings.allow_private:
            return {}
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = self._resolver(url.raw_host.decode("ascii"), port)
            except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
                raise FetchError(f"cannot resolve {host!r}: {exc}", source=source,
                                 code="fetch.unreachable") from exc
        if not addresses:
            raise FetchError(f"{host!r} resolves to no address", source=source, code="fetch.unreachable")
        for address in addresses:
            try:
                forbidden = is_forbidden_address(address)
            except ValueError:
                forbidden = True
            if forbidden:
                raise FetchError(
                    f"{host} -> non-public address {address} (allow_private is off)",
                    source=source, code="fetch.private_address",
                )
        return {(url.raw_host.decode("ascii"), port): tuple(addresses)}

    def _wait_politely(self, key: str) -> None:
        last = self._last_request.get(key)
        if last is None:
            return
        wait = last + self.settings.politeness_delay - self._clock()
        if wait > 0:
            self._sleep(wait)

    # robots.txt --------------------------------------------------------------
    def _check_robots(self, url: httpx.URL, *, source: str) -> None:
        key = f"{url.scheme}://{self._host_key(url)}"
        rules = self._robots.get(key)
        if rules is None:
            rules = self._load_robots(url)
            self._robots[key] = rules
        if isinstance(rules, FetchError):
            raise FetchError(f"robots.txt unavailable: {rules.message}", source=source, code=rules.code)
        if not rules.can_fetch(self.settings.user_agent, str(url)):
            raise RobotsDisallowed(f"robots.txt disallows {url}", source=source, code="fetch.robots")

    def _load_robots(self, url: httpx.URL) -> urllib.robotparser.RobotFileParser | FetchError:
        robots_url = str(url.copy_with(path="/robots.txt", query=None, fragment=None))
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            fetched = self._get(robots_url, allowed=lambda _mime: True, check_robots=False,
                                max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except FetchError as exc:
            status = exc.code.removeprefix("fetch.http_")
            if status.isdigit() and 400 <= int(status) < 500 and int(status) != 429:
                parser.allow_all = True
            elif status.isdigit():
                parser.disallow_all = True
            else:
                return exc
            parser.modified()
            return parser
        text = fetched.body.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return parser

    # one request, with retries ---------------------------------------------
    def _attempt(self, deadline: Deadline, pins: Pins) -> contextlib.AbstractContextManager[None]:
        """The scope of one request attempt: its deadline and pinned addresses."""
        if self._backend is None:
            return contextlib.nullcontext()
        return self._backend.attempt(deadline, pins)

    def _request(self, url: httpx.URL, *, source: str, pins: Pins, allowed: Callable[[str], bool],
                 max_bytes: int, truncate: bool, headers: dict[str, str] | None = None
                 ) -> tuple[int, str, str | None, bytes, httpx.Headers]:
        key = self._host_key(url)
        attempts = max(0, self.settings.retries) + 1
        for attempt in range(attempts):
            last_try = attempt == attempts - 1
            delay = self.settings.backoff * (2**attempt)
            self._wait_politely(key)
            deadline = Deadline(DEADLINE_FACTOR * self.settings.timeout)
            try:
                with self._attempt(deadline, pins), self._client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                        location = response.headers["location"]
                        try:
                            resolved = str(url.join(location))
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise FetchError(f"bad redirect location {location!r}", source=source,
                                             code="fetch.invalid_url") from exc
                        raise _Redirect(resolved)
                    if status == 429 or status >= 500:
                        wait = _retry_after(response.headers.get("retry-after"))
                        if last_try or (wait is not None and wait > MAX_RETRY_AFTER):
                            extra = f" (Retry-After {wait:.0f}s)" if wait else ""
                            raise FetchError(f"HTTP {status} after {attempt + 1} attempt(s){extra}",
                                             source=source, code=f"fetch.http_{status}")
                        delay = max(delay, wait or 0.0)  # then retry, below
                    elif status == 304 and _conditional(headers):
                        return status, "", None, b"", response.headers
                    elif not 200 <= status < 300:
                        raise FetchError(f"HTTP {status} {response.reason_phrase}".strip(), source=source,
                                         code=f"fetch.http_{status}")
                    else:
                        mime, charset = parse_content_type(response.headers.get("content-type"))
                        if not allowed(mime):
                            raise FetchError(f"unsupported content type {mime!r}", source=source,
                                             code="fetch.content_type")
                        body = self._read_body(response, source=source, deadline=deadline,
                                               max_bytes=max_bytes, truncate=truncate)
                        return status, mime, charset, body, response.headers
            except httpx.TimeoutException as exc:
                if deadline.expired:
                    raise FetchError(f"no complete response within the {deadline.seconds:g}s deadline "
                                     f"({type(exc).__name__})", source=source, code="fetch.timeout") from exc
                if last_try:
                    raise FetchError(f"timed out: {type(exc).__name__}", source=source,
                                     code="fetch.timeout") from exc
            except httpx.ConnectError as exc:
                if last_try:
                    raise FetchError(f"cannot connect: {exc}", source=source, code="fetch.unreachable") from exc
            except httpx.DecodingError as exc:
                raise FetchError(f"bad content encoding: {exc}", source=source, code="fetch.decoding") from exc
            except httpx.UnsupportedProtocol as exc:
                raise FetchError(f"unsupported URL: {exc}", source=source, code="fetch.invalid_url") from exc
            except httpx.TooManyRedirects as exc:  # not raised with follow_redirects=False; mapped anyway
                raise FetchError(str(exc), source=source, code="fetch.too_many_redirects") from exc
            except (httpx.RemoteProtocolError, httpx.LocalProtocolError, httpx.ProxyError,
                    httpx.NetworkError, httpx.TransportError) as exc:
                if last_try:
                    raise FetchError(f"connection failed: {type(exc).__name__}: {exc}", source=source,
                                     code="fetch.network") from exc
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL: {exc}", source=source, code="fetch.invalid_url") from exc
            finally:
                self._last_request[key] = self._clock()
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _read_body(response: httpx.Response, *, source: str, deadline: Deadline, max_bytes: int,
                   truncate: bool) -> bytes:
        """The decoded body, cut at ``max_bytes``; the deadline is also checked between chunks."""
        length = response.headers.get("content-length")
        if not truncate and length and length.strip().isdigit() and int(length) > max_bytes:
            raise FetchError(f"Content-Length {int(length)} is over the {max_bytes}-byte limit",
                             source=source, code="fetch.too_large")
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                if truncate:
                    return b"".join(chunks)[:max_bytes]
                raise FetchError(f"body is over the {max_bytes}-byte limit", source=source,
                                 code="fetch.too_large")
            if deadline.expired:
                raise FetchError(f"no complete response within the {deadline.seconds:g}s deadline",
                                 source=source, code="fetch.timeout")
        return b"".join(chunks)
