"""Per-run state shared by every source: settings, the resume filter, one Fetcher.

A fetched page's ``RawDocument.meta`` carries the response's date evidence (``crawled``: the
``Date`` header's day; ``last_modified``: the ``Last-Modified`` header's), which
``newsgraph.extract.dates.with_container`` weighs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx

from newsgraph.config import Settings
from newsgraph.errors import FetchError, InputError, NewsgraphError, is_item_error
from newsgraph.sources import gate
from newsgraph.sources.fetch import FEED_TYPES, HTML_TYPES, TEXT_TYPES, XML_TYPES, Fetched, Fetcher
from newsgraph.types import Failure, RawDocument


class Context:
    def __init__(
        self,
        settings: Settings,
        *,
        skip_source: Callable[[str], bool] | None = None,
        transport: httpx.BaseTransport | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.settings = settings
        self._skip = skip_source
        self._transport = transport
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None

    # ------------------------------------------------------------------ helpers
    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings, transport=self._transport)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None and self._own_fetcher:
            self._fetcher.close()
            self._fetcher = None

    def skip(self, source: str) -> bool:
        """Ask the resume filter about ``source`` as it will be stored (``gate.clean_name``)."""
        return bool(self._skip and self._skip(gate.clean_name(source)))

    @staticmethod
    def failure(exc: NewsgraphError, source: str) -> Failure:
        return Failure(source, exc.code, gate.one_line(exc.message))

    def guarded(self, source: str, items: Iterator[RawDocument | Failure]) -> Iterator[RawDocument | Failure]:
        """``items``, except that an exception nobody foresaw (a library tripping over hostile
        input) ends them with one ``input.failed`` for ``source`` instead of ending the run.
        Errors of the store or the pipeline behind ``skip_source`` still propagate."""
        try:
            yield from items
        except NewsgraphError as exc:
            if not is_item_error(exc):
                raise
            yield self.failure(exc, source)
        except Exception as exc:  # noqa: BLE001 - one input's problem, reported as such
            yield Failure(source, "input.failed", gate.one_line(f"{type(exc).__name__}: {exc}"))

    # ------------------------------------------------------------------ URLs
    def url_items(self, url: str, *, source: str | None = None, meta: dict[str, Any] | None = None,
                  allow_feed: bool = True) -> Iterator[RawDocument | Failure]:
        """Fetch one URL: a page -> one RawDocument; a feed -> its entries' pages."""
        source = source or url
        try:
            fetched = self.fetcher.get(url)
            decoded = gate.decode(fetched.body, source=source, max_bytes=self.settings.max_bytes,
                                  http_charset=fetched.charset)
            mime = fetched.mime
            is_feed = mime in FEED_TYPES or decoded.kind == "feed"
            if mime in XML_TYPES and not is_feed and decoded.kind != "html":
                raise FetchError(f"XML document ({mime}) is neither a feed nor XHTML", source=source,
                                 code="fetch.content_type")
            if is_feed:
                if not allow_feed:
                    raise FetchError("a feed linked from a feed is not followed", source=source,
                                     code="fetch.content_type")
                content_type = f"{mime}; charset={fetched.charset}" if fetched.charset else (mime or None)
                from newsgraph.sources.feeds import iter_feed

                yield from iter_feed(fetched.body, self, source=source, base_url=fetched.final_url,
                                     content_type=content_type)
                return
            if mime in HTML_TYPES or mime in XML_TYPES:
                kind = "html"
            elif mime in TEXT_TYPES:
                kind = "text"
            else:  # no Content-Type: trust the sniffer
                kind = "html" if decoded.kind == "html" else "text"
        except (InputError, FetchError) as exc:
            yield self.failure(exc, source)
            return
        yield RawDocument(source=source, kind=kind, data=decoded.text, url=fetched.final_url,
                          meta=_with_headers(dict(meta or {}), fetched))


def _with_headers(meta: dict[str, Any], fetched: Fetched) -> dict[str, Any]:
    """The response's date evidence for ``newsgraph.extract.dates``: ``crawled`` (the Date header's day:
    no date on the page can be later) and ``last_modified`` (the Last-Modified header's day)."""
    if fetched.served:
        meta["crawled"] = fetched.served
    if fetched.last_modified:
        meta["last_modified"] = fetched.last_modified
    return meta
