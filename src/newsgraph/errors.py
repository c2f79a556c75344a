"""The exception tree. Every error carries a stable dotted ``code``.

::

    NewsgraphError                 (code, message, source)
    ├── InputError                 bad input item; reported per item, batch goes on
    │   │                          input.empty, input.too_large, input.binary,
    │   │                          input.undecodable, input.invalid (bad JSON record),
    │   │                          input.not_found, input.unreadable,
    │   │                          input.not_a_file (a FIFO or device: refused unopened),
    │   │                          (input.failed: a library's unforeseen exception on one input)
    │   ├── UnsupportedFormat      input.unsupported
    │   ├── DecodeError            input.undecodable
    │   └── ExtractionRejected     extract.no_article, extract.too_short
    │                              (with the page's kind: index, paywall, wall, error page ...
    │                              and its title, url, date, for the ingest log)
    │                              (extract.failed: a library crashed on one document;
    │                              extract.crashed: its worker process died on it;
    │                              extract.timeout: it ran past Settings.item_timeout;
    │                              analyze.failed: its analysis failed, the article is kept)
    ├── FetchError                 fetch.private_address, fetch.unreachable, fetch.timeout,
    │   │                          fetch.network, fetch.http_<status>, fetch.too_large,
    │   │                          fetch.content_type, fetch.decoding, fetch.invalid_url,
    │   │                          fetch.too_many_redirects (wraps httpx; raised ``from`` it)
    │   └── RobotsDisallowed       fetch.robots
    ├── FeedError                  feed.malformed
    ├── WarcError                  warc.malformed
    ├── PipelineError              pipeline.missing_model, pipeline.error
    ├── OutputError                output.is_store, output.is_folder, output.no_folder,
    │                              output.symlink, output.unsupported, output.unwritable
    │                              (files a user names: export -o, dyad --chart; newsgraph.outputs)
    ├── StoreError                 store.bad_query, store.too_expensive, store.bad_date, store.ambiguous,
    │                              store.bad_id, store.bad_correction, store.too_new,
    │                              store.migration, store.cant_open, store.corrupt, store.locked,
    │                              store.readonly, store.full, store.io, store.integrity,
    │                              store.invalid, store.closed, store.unsupported, store.error
    │                              (wraps sqlite3 errors)
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
    """No article in this input. ``kind`` is what the page was taken for (``page_kinds``) and
    ``title``/``url``/``published`` what was found on it, so the ingest log keeps them."""

    code = "extract.no_article"

    def __init__(self, message: str, *, source: str | None = None, code: str | None = None,
                 kind: str | None = None, title: str | None = None, url: str | None = None,
                 published: str | None = None) -> None:
        super().__init__(message, source=source, code=code)
        self.kind, self.title, self.url, self.published = kind, title, url, published


class FetchError(NewsgraphError):
    code = "fetch.error"


class RobotsDisallowed(FetchError):
    code = "fetch.robots"


class FeedError(NewsgraphError):
    code = "feed.malformed"


class WarcError(NewsgraphError):
    code = "warc.malformed"


class PipelineError(NewsgraphError):
    """The NLP pipeline cannot run (missing model, broken component)."""

    code = "pipeline.error"


class OutputError(NewsgraphError):
    """A file newsgraph was asked to write cannot (or must not) be written."""

    code = "output.unwritable"


class StoreError(NewsgraphError):
    code = "store.error"


class NotFound(NewsgraphError):
    code = "store.not_found"


ITEM_ERRORS = (InputError, FetchError, FeedError, WarcError)


def is_item_error(exc: BaseException) -> bool:
    """True for errors that concern one input item (logged, batch goes on)."""
    return isinstance(exc, ITEM_ERRORS)
