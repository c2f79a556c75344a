"""uvicorn's HTTP/1.1 protocols with a header deadline: the slowloris guard of ``newsgraph serve``.

uvicorn (0.54) closes a keep-alive connection that stays idle after a response
(``timeout_keep_alive``), but it sets no timer while a request's headers are
still arriving, nor on a connection that never sends anything: a client that
opens connections and sends a header byte now and then keeps each of them open
for ever (slowloris). The protocols here add one deadline per request:

* it starts when the connection opens, and again when the first byte of each
  later request arrives (a request after an idle keep-alive, or pipelined);
* it is the time from that moment to the end of the request's headers, not an
  idle time between bytes, so trickling bytes does not extend it;
* when it passes, the server answers ``408`` (if part of a request arrived) and
  closes the connection.

With httptools (uvicorn's default when installed), which has no limit on the
size of the headers, more than ``MAX_HEADER_BYTES`` of them answer ``431``; h11
has its own limit (``h11_max_incomplete_event_size``, 16 KiB by default).
Request bodies are not covered (every read endpoint is a GET; ``POST
/api/ingest`` needs a token).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

#: Default seconds a client has to send a request's headers (``Settings.header_timeout``).
HEADER_TIMEOUT = 10.0
#: The environment through which ``serve.app.run`` hands the deadline to its worker processes.
ENV_HEADER_TIMEOUT = "NEWSGRAPH_SERVE_HEADER_TIMEOUT"
#: Bytes of request line and headers accepted (httptools; h11 has its own limit).
MAX_HEADER_BYTES = 64 * 1024


def header_timeout() -> float:
    value = os.environ.get(ENV_HEADER_TIMEOUT)
    return float(value) if value else HEADER_TIMEOUT


def _response(status: bytes, message: str) -> bytes:
    body = message.encode()
    return (b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


class _HeaderDeadline:
    """The deadline both protocols share (mixed in before uvicorn's protocol class): armed when a
    connection opens and disarmed when it closes; a subclass arms and disarms it around each request."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._header_timeout = header_timeout()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        if self._header_timer is None and self._header_timeout > 0:
            self._header_bytes = 0
            self._header_timer = self.loop.call_later(self._header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        self._refuse(b"408 Request Timeout", "request headers not received in time", answer=self._header_bytes > 0)

    def _count_header_bytes(self, n: int) -> None:
        if self._header_timer is not None:
            self._header_bytes += n
            if self._header_bytes > MAX_HEADER_BYTES:
                self._disarm()
                self._refuse(b"431 Request Header Fields Too Large", "request headers too large", answer=True)

    def _refuse(self, status: bytes, message: str, *, answer: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        if answer:
            self.transport.write(_response(status, message))
        self.transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools not installed: uvicorn uses h11
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


class GuardedH11Protocol(_HeaderDeadline, H11Protocol):
    """``H11Protocol`` with the header deadline (``h11``: the pure-Python parser)."""

    def data_received(self, data: bytes) -> None:
        import h11

        if self.conn.their_state is h11.IDLE:  # waiting for a request line: the next request starts
            self._arm()
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # its headers were read (or the connection failed)
            self._disarm()


if HttpToolsProtocol is not None:

    class GuardedHttpToolsProtocol(_HeaderDeadline, HttpToolsProtocol):
        """``HttpToolsProtocol`` with the header deadline and a header size limit."""

        def data_received(self, data: bytes) -> None:
            if self.cycle is None or self.cycle.response_complete:  # between requests: the next one starts
                self._arm()
            super().data_received(data)
            self._count_header_bytes(len(data))

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()  # a pipelined request's headers get their own deadline

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

    #: What ``newsgraph serve`` uses: the guarded twin of the protocol uvicorn's "auto" picks.
    GuardedHttpProtocol: type[asyncio.Protocol] = GuardedHttpToolsProtocol
else:  # pragma: no cover
    GuardedHttpProtocol = GuardedH11Protocol


__all__ = ["HEADER_TIMEOUT", "MAX_HEADER_BYTES", "GuardedH11Protocol", "GuardedHttpProtocol", "header_timeout"]
