"""WARC / WARC.gz files: archived HTML responses, one record at a time.

``iter_warc(path, ctx)`` streams the file with warcio's ``ArchiveIterator``
(plain or per-record gzip) and yields, for every ``response`` record with a
2xx HTTP status and an HTML content type (``text/html``,
``application/xhtml+xml``)::

    RawDocument(kind="html", url=<WARC-Target-URI>, source=f"{path}#{offset}",
                meta={"crawled": <WARC-Date day>, "last_modified": <the archived
                      response's Last-Modified day, when it has one>})

where ``offset`` is the record's byte offset in the file (what
``ArchiveIterator.get_record_offset()`` reports). Other records (requests,
metadata, revisits, non-2xx, non-HTML) are skipped silently. A record body
is read up to ``max_bytes`` only; bigger -> ``input.too_large`` for that
record, and the rest of the record is skipped without keeping it. The body
goes through the gate (HTTP charset honoured): ``input.*`` failures are per
record.

Damage: warcio is lenient (a truncated record just ends early, plain text
after a blank line parses as a header-less "record", gzipped text as an ARC
record), so every record's header is checked (a ``WARC/<version>`` line and
a ``WARC-Type``; or an ARC header with a numeric date and length), every
record is drained and its Content-Length checked. A truncated, unparseable
or header-less record ends the file with one ``warc.malformed`` failure
(source ``path#offset`` of the damaged record); the records before it have
already been yielded. A file that is not a WARC at all (text, random bytes)
gives ``warc.malformed`` at offset 0; an empty or whitespace-only file, or
one without any record, gives ``input.empty``. Nothing is skipped without a
failure except, by design, the records listed above. The file is opened
with ``gate.open_input`` (a FIFO named ``x.warc`` -> ``input.not_a_file``).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from newsgraph.errors import InputError, WarcError
from newsgraph.sources import gate
from newsgraph.sources.fetch import HTML_TYPES, http_day, parse_content_type
from newsgraph.types import Failure, RawDocument

if TYPE_CHECKING:
    from newsgraph.sources._context import Context

_DRAIN = 1 << 16


def _drain(stream) -> None:
    while stream.read(_DRAIN):
        pass


def iter_warc(path: str, ctx: Context, *, source: str | None = None,
              start: int = 0) -> Iterator[RawDocument | Failure]:
    """The file's items; from the record at byte ``start`` on when given (an offset
    ``record_offsets`` reported: a cluster shard reads its own range only). The file's own
    failures (empty, no records) are reported by the reader that starts at 0."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    source = source or path
    max_bytes = ctx.settings.max_bytes
    # AttributeError/IndexError/TypeError: warcio trips over some garbled headers
    damage = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, OSError,
              ValueError, AttributeError, IndexError, TypeError)
    record_damage = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, OSError, ValueError)
    try:
        fh = gate.open_input(path, source=source)  # closed in finally below
    except InputError as exc:
        yield ctx.failure(exc, source)
        return
    try:
        if os.fstat(fh.fileno()).st_size == 0:
            if not start:
                yield Failure(source, "input.empty", "WARC file is empty")
            return
        fh.seek(start)  # warcio counts offsets from where the file stands: they stay absolute
        iterator = ArchiveIterator(fh)
        records = iter(iterator)
        seen = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                # warcio stops quietly at a partial record: anything left is damage
                end = iterator.offset
                fh.seek(end)
                if fh.read(1 << 16).strip():
                    yield Failure(f"{source}#{end}", "warc.malformed", "truncated or unreadable WARC record")
                elif not seen and not start:
                    yield Failure(source, "input.empty", "WARC file holds no records")
                return
            except damage as exc:
                yield Failure(f"{source}#{iterator.offset}", "warc.malformed",
                              gate.one_line(f"unreadable WARC record: {type(exc).__name__}: {exc}"))
                return
            offset = iterator.offset  # start of this record (== get_record_offset())
            item_source = f"{source}#{offset}"
            problem = _header_problem(record)
            if problem is not None:
                try:
                    blank = not seen and not start and _blank(record)
                except record_damage:
                    blank = False
                if blank:
                    yield Failure(source, "input.empty", "WARC file holds only whitespace")
                else:
                    yield Failure(item_source, "warc.malformed", gate.one_line(f"not a WARC record: {problem}"))
                return
            seen += 1
            try:
                item = _record_item(record, item_source, ctx, max_bytes)
                _drain(record.raw_stream)
                remaining = getattr(record.raw_stream, "limit", 0)
                if remaining:
                    raise WarcError(f"record truncated ({remaining} bytes missing)", source=item_source)
            except WarcError as exc:
                yield ctx.failure(exc, item_source)
                return
            except record_damage as exc:
                yield Failure(item_source, "warc.malformed",
                              gate.one_line(f"damaged WARC record: {type(exc).__name__}: {exc}"))
                return
            if item is not None:
                yield item
    finally:
        fh.close()


def record_offsets(path: str) -> Iterator[int]:
    """Byte offsets of the file's ``response`` records, headers only (bodies drained, not
    decoded), up to the first damaged record, where ``iter_warc`` stops too: an index for
    reading the file in ranges (``iter_warc(start=...)``). Stops quietly at damage or when the
    file cannot be opened; the reader of the last range reports it."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        fh = gate.open_input(path, source=path)  # a FIFO named x.warc is refused, not opened
    except InputError:
        return
    try:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            offset = iterator.get_record_offset()
            if _header_problem(record) is not None:
                return
            _drain(record.raw_stream)
            if getattr(record.raw_stream, "limit", 0):
                return  # truncated
            if record.rec_type == "response":
                yield offset
    except Exception:  # noqa: BLE001 - damage (warcio raises many kinds): the last range reports it
        return
    finally:
        fh.close()


def _header_problem(record) -> str | None:
    """Why a record warcio parsed is not a WARC (or ARC) record, or None if it is one."""
    headers = record.rec_headers
    if record.format == "warc":
        if not str(headers.protocol or "").startswith("WARC/"):
            line = headers.statusline or headers.protocol or ""
            return f"no 'WARC/<version>' line (got {line[:60]!r})"
        if not record.rec_type:
            return "no WARC-Type header"
        return None
    if record.format in ("arc", "arc2warc"):
        date, length = headers.get_header("archive-date") or "", headers.get_header("length") or ""
        return None if date.isdigit() and length.isdigit() else "neither a WARC nor an ARC header"
    return f"unknown record format {record.format!r}"


def _blank(record) -> bool:
    """True for the "record" warcio makes of blank lines: no header line, only whitespace after it."""
    headers = record.rec_headers
    if (headers.statusline or "").strip() or (headers.protocol or "").strip() or headers.headers:
        return False
    while chunk := record.raw_stream.read(_DRAIN):
        if chunk.strip():
            return False
    return True


def _record_item(record, source: str, ctx: Context, max_bytes: int) -> RawDocument | Failure | None:
    """The item for one record (None = skipped). Reads at most max_bytes + 1 of the body."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    if not (status and status.isdigit() and 200 <= int(status) < 300):
        return None
    mime, charset = parse_content_type(record.http_headers.get_header("content-type"))
    if mime not in HTML_TYPES:
        return None
    if ctx.skip(source):
        return None
    try:
        body = record.content_stream().read(max_bytes + 1)
    except (zlib.error, EOFError, OSError, ValueError) as exc:
        # a broken Content-Encoding/chunking inside one record: that record fails, the file goes on
        return Failure(source, "input.undecodable", gate.one_line(f"cannot decode record body: {exc}"))
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        decoded = gate.decode(body, source=source, max_bytes=max_bytes, http_charset=charset)
    except InputError as exc:
        return ctx.failure(exc, source)
    meta = {}
    date = record.rec_headers.get_header("WARC-Date") or ""
    if len(date) >= 10 and date[4] == "-" and date[7] == "-":
        meta["crawled"] = date[:10]
    last_modified = http_day(record.http_headers.get_header("last-modified"))
    if last_modified:  # the archived response's header: evidence for ``newsgraph.extract.dates``
        meta["last_modified"] = last_modified
    return RawDocument(source=source, kind="html", data=decoded.text, url=url or None, meta=meta)
