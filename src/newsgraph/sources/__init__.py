"""The input side: anything in, ``RawDocument`` (or a per-item ``Failure``) out.

``iter_raw(specs, settings)`` is a generator over input specs:

* a file or folder path (``files``): HTML, text, JSON/JSONL records, feeds,
  WARC files; folders recursively in sorted order;
* ``-``: stdin bytes, sniffed as HTML, text or a feed (source ``-``);
* an ``http://``/``https://`` URL (``fetch``): a page, or a feed whose
  entries' links are fetched in turn (``feeds``).

It streams: files are opened one at a time, JSONL and WARC files are read
record by record, and a feed's entries are fetched one after the other. Every
per-item problem becomes a ``Failure(source, code, message)`` with a stable
code and a one-line message, and the run goes on; only programming errors
propagate. ``skip_source(source)`` -> True means "already stored": that item
is neither read nor fetched (asked for files, JSON(L) records, WARC records,
URLs and feed entries, with the same ``source`` string the item would get;
never for stdin itself, whose bytes are new every time).

Sources: a path as given (``dir/a.html``), ``path:N`` (JSONL line),
``path[i]`` (JSON list item), ``path#offset`` (WARC record), the URL as
requested (``RawDocument.url`` is the URL after redirects), the entry's link
for feed items, ``-`` for stdin.

Every str that leaves this layer encodes as UTF-8: each item goes through
``gate.clean_item`` on its way out (bodies, metadata, URLs: lone surrogates
-> U+FFFD; sources and messages: a file name's undecodable bytes -> ``\\xNN``,
so ``b"caf\\xe9.txt"`` is the source ``caf\\xe9.txt``), and ``skip_source`` is
asked about the cleaned source, the string the item is stored under.

Error codes: ``input.empty``, ``input.too_large``, ``input.binary``,
``input.undecodable``, ``input.unsupported``, ``input.invalid`` (bad JSON
record), ``input.not_found`` (also a dangling symlink), ``input.unreadable``
(also a symlink loop, an unreadable folder), ``input.not_a_file`` (a FIFO,
device or socket: refused before it is opened); ``feed.malformed``;
``warc.malformed``; ``fetch.*`` (see ``newsgraph.sources.fetch``);
``input.failed``: anything else that went wrong reading one input (a
library's unforeseen exception on hostile bytes) ends that spec, or that file
of a folder, with this code and the exception's name; the run goes on.
The single decode/sniff gate is ``newsgraph.sources.gate``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import httpx

from newsgraph.config import Settings
from newsgraph.errors import InputError
from newsgraph.sources import gate
from newsgraph.sources._context import Context
from newsgraph.sources.fetch import Fetched, Fetcher
from newsgraph.types import Failure, RawDocument

__all__ = ["Fetched", "Fetcher", "is_url", "iter_raw"]


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def iter_raw(
    specs: Iterable[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    transport: httpx.BaseTransport | None = None,
    skip_source: Callable[[str], bool] | None = None,
) -> Iterator[RawDocument | Failure]:
    """Yield one ``RawDocument`` or ``Failure`` per input item, in spec order; every str in it UTF-8-safe."""
    ctx = Context(settings, skip_source=skip_source, transport=transport)
    try:
        for item in _iter_specs(specs, ctx, stdin):
            yield gate.clean_item(item)
    finally:
        ctx.close()


def _iter_specs(specs: Iterable[str], ctx: Context, stdin: BinaryIO | None) -> Iterator[RawDocument | Failure]:
    for spec in specs:
        yield from ctx.guarded(spec, _iter_spec(spec, ctx, stdin))


def _iter_spec(spec: str, ctx: Context, stdin: BinaryIO | None) -> Iterator[RawDocument | Failure]:
    if spec == "-":
        yield from _iter_stdin(stdin, ctx)
    elif is_url(spec):
        if not ctx.skip(spec):
            yield from ctx.url_items(spec)
    else:
        from newsgraph.sources.files import iter_path

        yield from iter_path(spec, ctx)


def _iter_stdin(stdin: BinaryIO | None, ctx: Context) -> Iterator[RawDocument | Failure]:
    source = "-"  # never skipped: stdin holds new bytes every time
    stream = stdin if stdin is not None else sys.stdin.buffer
    max_bytes = ctx.settings.max_bytes
    try:
        data = gate.read_capped(stream, max_bytes)
        decoded = gate.decode(data, source=source, max_bytes=max_bytes)
    except InputError as exc:
        yield ctx.failure(exc, source)
        return
    except OSError as exc:
        yield Failure(source, "input.unreadable", gate.one_line(f"cannot read stdin: {exc}"))
        return
    if decoded.kind == "feed":
        from newsgraph.sources.feeds import iter_feed

        yield from iter_feed(data, ctx, source=source)
        return
    yield RawDocument(source=source, kind=decoded.kind, data=decoded.text)
