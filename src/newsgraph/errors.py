"""The exception tree. Every error carries a stable dotted ``code``.

::

    NewsgraphError                 (code, message, source)
    ├── InputError                 bad input item; reported per item, batch goes on
    │   ├── UnsupportedFormat      input.unsupported, input.binary
    │   ├── DecodeError            input.undecodable, input.empty, input.too_large
    │   └── ExtractionRejected     extract.no_article, extract.too_short
    ├── FetchError                 fetch.* (wraps httpx errors; raised ``from`` them)
    │   └── RobotsDisallowed       fetch.robots
    ├── FeedError                  feed.malformed
    ├── WarcError                  warc.malformed
    ├── StoreError                 store.* (wraps sqlite3 errors)
    └── NotFound                   store.not_found

Input-side errors (``InputError``, ``FetchError``, ``FeedError``,
``WarcError``) are all "this item failed" errors: ``ingest`` records them in
the store's ingest log and goes on with the next item. ``is_item_error``
tells them apart from programming or storage failures, which stop a batch.
"""

from __future__ import annotations


class NewsgraphError(Exception):
    code = "newsgraph.error"

    def __init__(self, message: str, *, source: str | None = None, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.message = message
        self.source = source
        super().__init__(f"[{self.code}] {message}")


class InputError(NewsgraphError):
    code = "input.invalid"


class UnsupportedFormat(InputError):
    code = "input.unsupported"


class DecodeError(InputError):
    code = "input.undecodable"


class ExtractionRejected(InputError):
    code = "extract.no_article"


class FetchError(NewsgraphError):
    code = "fetch.error"


class RobotsDisallowed(FetchError):
    code = "fetch.robots"


class FeedError(NewsgraphError):
    code = "feed.malformed"


class WarcError(NewsgraphError):
    code = "warc.malformed"


class StoreError(NewsgraphError):
    code = "store.error"


class NotFound(NewsgraphError):
    code = "store.not_found"


ITEM_ERRORS = (InputError, FetchError, FeedError, WarcError)


def is_item_error(exc: BaseException) -> bool:
    """True for errors that concern one input item (logged, batch goes on)."""
    return isinstance(exc, ITEM_ERRORS)
