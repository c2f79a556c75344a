"""Sockets for ``fetch``: connect only to checked addresses, and within one deadline.

``GuardedBackend`` is the ``httpcore`` network backend (the layer that opens
sockets) of the ``httpx`` transport a ``Fetcher`` builds (``GuardedTransport``).
Each request attempt runs inside ``backend.attempt(deadline, pins)``:

* ``pins`` maps ``(host, port)`` to the addresses the fetcher resolved and
  checked for that host. ``connect_tcp`` connects to those addresses, in
  order, the first that accepts, and never resolves the name again: a DNS
  answer that changes between the check and the connection (DNS rebinding)
  cannot move the connection elsewhere. Only the socket's address is pinned:
  the TLS server name (SNI), certificate check and Host header stay the
  original host name. A host without a pin is refused
  (``httpcore.ConnectError``) when the backend is ``pinned_only``; otherwise
  its name is resolved as usual.
* ``deadline`` (a ``Deadline``) bounds the attempt in wall-clock time: every
  connect, TLS handshake, read and write waits at most the smaller of its own
  timeout and the time left, and once none is left raises the matching
  httpcore timeout (``ConnectTimeout``, ``ReadTimeout``, ``WriteTimeout``),
  so a server trickling bytes cannot keep an attempt alive past its deadline.
  Streams look up the *current* attempt at each operation, so a kept-alive
  connection reused by a later attempt obeys that attempt's deadline.

Outside any attempt there are no pins and no deadline.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpcore
import httpx

HostKey = tuple[str, int]  # (ASCII host as httpcore sees it: IDNA, no brackets; port)
_WRITE_PIECE = 64 * 1024  # bytes per write, so a slow reader meets the deadline too


class Deadline:
    """``seconds`` of wall-clock time (``time.monotonic``) from its creation."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds
        self._tripped = False

    def left(self) -> float:
        """Seconds left (negative once passed)."""
        return self._at - time.monotonic()

    @property
    def expired(self) -> bool:
        """True once the deadline has passed or an operation was cut short by it."""
        return self._tripped or self.left() <= 0

    def cap(self, timeout: float | None, timeout_error: type[Exception]) -> tuple[float, bool]:
        """``(timeout to use, capped?)``; raise ``timeout_error`` when no time is left."""
        left = self.left()
        if left <= 0:
            self._tripped = True
            raise timeout_error(f"deadline of {self.seconds:g}s passed")
        if timeout is None or left < timeout:
            return left, True
        return timeout, False

    def trip(self) -> None:
        """Record that an operation timed out because of this deadline."""
        self._tripped = True


@dataclass(frozen=True, slots=True)
class _Attempt:
    deadline: Deadline | None
    pins: Mapping[HostKey, tuple[str, ...]] = field(default_factory=dict)


class GuardedBackend(httpcore.NetworkBackend):
    """A ``httpcore.SyncBackend`` that connects to pinned addresses, within deadlines."""

    def __init__(self, *, pinned_only: bool, inner: httpcore.NetworkBackend | None = None) -> None:
        self.pinned_only = pinned_only
        self._inner = inner or httpcore.SyncBackend()
        self._local = threading.local()

    @contextmanager
    def attempt(self, deadline: Deadline | None,
                pins: Mapping[HostKey, Iterable[str]] | None = None) -> Iterator[None]:
        """Run one request attempt (in this thread) with ``deadline`` and ``pins``."""
        previous = getattr(self._local, "attempt", None)
        frozen = {key: tuple(addresses) for key, addresses in (pins or {}).items()}
        self._local.attempt = _Attempt(deadline, frozen)
        try:
            yield
        finally:
            self._local.attempt = previous

    def current_deadline(self) -> Deadline | None:
        attempt = getattr(self._local, "attempt", None)
        return attempt.deadline if attempt is not None else None

    def _addresses(self, host: str, port: int) -> tuple[str, ...]:
        attempt = getattr(self._local, "attempt", None)
        pinned = attempt.pins.get((host, port)) if attempt is not None else None
        if pinned:
            return pinned
        if self.pinned_only:
            raise httpcore.ConnectError(f"refusing to connect to {host}:{port}: its address was not checked")
        return (host,)  # resolved by the inner backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        """Connect to the first pinned address of ``host`` that accepts (or ``host`` itself)."""
        addresses = self._addresses(host, port)
        failure: Exception | None = None
        for address in addresses:
            deadline = self.current_deadline()
            wait, capped = (timeout, False) if deadline is None else deadline.cap(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(address, port, timeout=wait, local_address=local_address,
                                                 socket_options=socket_options)
            except httpcore.ConnectTimeout as exc:
                if capped and deadline is not None:
                    deadline.trip()
                    raise
                failure = exc
            except httpcore.ConnectError as exc:
                failure = exc
            else:
                return _DeadlineStream(stream, self)
        where = host if addresses == (host,) else f"{host} ({', '.join(addresses)})"
        kind = type(failure) if failure is not None else httpcore.ConnectError
        raise kind(f"cannot connect to {where} port {port}: {failure}") from failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Unix sockets are not used for fetching")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation is cut off at the current attempt's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, backend: GuardedBackend) -> None:
        self._inner = inner
        self._backend = backend

    def _cap(self, timeout: float | None, timeout_error: type[Exception]) -> tuple[float | None, Deadline | None]:
        deadline = self._backend.current_deadline()
        if deadline is None:
            return timeout, None
        capped_timeout, capped = deadline.cap(timeout, timeout_error)
        return capped_timeout, deadline if capped else None

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout, cutting = self._cap(timeout, httpcore.ReadTimeout)
        try:
            return self._inner.read(max_bytes, timeout=timeout)
        except httpcore.ReadTimeout:
            if cutting is not None:
                cutting.trip()
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), _WRITE_PIECE):
            piece_timeout, cutting = self._cap(timeout, httpcore.WriteTimeout)
            try:
                self._inner.write(buffer[start : start + _WRITE_PIECE], timeout=piece_timeout)
            except httpcore.WriteTimeout:
                if cutting is not None:
                    cutting.trip()
                raise

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        timeout, cutting = self._cap(timeout, httpcore.ConnectTimeout)
        try:
            tls = self._inner.start_tls(ssl_context, server_hostname=server_hostname, timeout=timeout)
        except httpcore.ConnectTimeout:
            if cutting is not None:
                cutting.trip()
            raise
        return _DeadlineStream(tls, self._backend)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class GuardedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` (default TLS and limits) whose sockets come from ``backend``.

    httpx 0.28 takes no network backend, so the transport's connection pool
    (its ``_pool``) is replaced by one built with ``backend``; environment
    proxies are not used (a proxy would resolve host names itself).
    """

    def __init__(self, backend: GuardedBackend) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):  # pragma: no cover
            raise RuntimeError("this httpx version keeps no httpcore pool in HTTPTransport._pool")
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=backend,
        )
