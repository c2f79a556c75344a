"""Files and folders.

A folder is walked recursively in sorted order (names compared as strings,
a sub-folder's files where its name sorts), so runs are deterministic. By
design, two kinds of entries inside a folder are skipped silently: names
with an extension newsgraph does not read (``notes.md``, ``logo.png``) and
dot-files and dot-folders. Every other skipped entry leaves a ``Failure``
with its reason, and the walk goes on:

* a sub-folder that cannot be listed -> ``input.unreadable`` (source: the
  folder); a folder named explicitly that cannot be listed, too (not
  ``input.empty``, which is for a readable folder with no supported file);
* a symlinked folder -> ``input.unsupported``: it is not entered (that
  keeps loops out); name it explicitly to read it;
* an entry with a supported extension that is a dangling symlink ->
  ``input.not_found``; a symlink loop -> ``input.unreadable`` ("symlink
  loop"); a FIFO, device or socket -> ``input.not_a_file``, refused before
  it is opened (a FIFO would block the run).

Named explicitly, a path is stat-ed first: missing or a dangling symlink ->
``input.not_found``; a symlink loop or no permission -> ``input.unreadable``;
a FIFO or device (``/dev/zero``) -> ``input.not_a_file`` whatever its name;
a regular file with an unknown extension -> ``input.unsupported``. Files
are always opened by their real path (``gate.open_input``); the ``source``
of a name with undecodable bytes renders them as ``\\xNN`` (see
``newsgraph.sources``). ``skip_source(path)`` is asked before a
single-document file is read.

=====================================  ==========================================
extension                              yields
=====================================  ==========================================
``.html .htm .xhtml`` (+ ``.gz``)       RawDocument(kind="html", source=path)
``.txt`` (+ ``.gz``)                    RawDocument(kind="text", source=path)
``.json``                               one record, or a list of records:
                                        source ``path`` / ``path[i]`` (0-based)
``.jsonl .ndjson``                      one record per line, source ``path:N``
                                        (N = line number from 1; blank lines
                                        ignored), streamed line by line
``.rss .atom .xml``                     the feed's entries, each link fetched
                                        (see ``feeds``)
``.warc .warc.gz``                      HTML responses (see ``warc``)
=====================================  ==========================================

A JSON record is an object with ``html`` or ``text`` (a string; ``html``
wins), optional ``url``, and optional ``title``, ``published``, ``authors``
(list or string), ``outlet`` that go to ``RawDocument.meta`` (``published``
normalised to ``YYYY-MM-DD`` when it is an ISO date, dropped if it is not a
date). Every string of a record is cleaned: a lone surrogate (a JSON
``\\ud800`` escape with no partner) becomes U+FFFD, so one bad title never
stops a run. Bad records (invalid JSON, not an object, no body) ->
``input.invalid`` for that record; the other records still come through.
Every body goes through the gate (``input.empty``, ``input.binary``,
``input.too_large``, ``input.undecodable``).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from newsgraph.errors import InputError
from newsgraph.sources import gate
from newsgraph.types import Failure, RawDocument

if TYPE_CHECKING:
    from newsgraph.sources._context import Context

HTML_EXT = (".html", ".htm", ".xhtml")
TEXT_EXT = (".txt",)
JSON_EXT = (".json",)
JSONL_EXT = (".jsonl", ".ndjson")
FEED_EXT = (".rss", ".atom", ".xml")
WARC_EXT = (".warc", ".warc.gz")


def file_format(name: str) -> tuple[str, bool] | None:
    """(format, gzipped) for a file name, or None if newsgraph does not read it."""
    low = name.lower()
    if low.endswith(WARC_EXT):
        return "warc", low.endswith(".gz")
    gz = low.endswith(".gz")
    base = low[:-3] if gz else low
    if base.endswith(HTML_EXT):
        return "html", gz
    if base.endswith(TEXT_EXT):
        return "text", gz
    if gz:
        return None
    if base.endswith(JSONL_EXT):
        return "jsonl", False
    if base.endswith(JSON_EXT):
        return "json", False
    if base.endswith(FEED_EXT):
        return "feed", False
    return None


def _listing(folder: str) -> Iterator[os.DirEntry[str] | Failure]:
    """A folder's entries in sorted order, or one ``input.unreadable`` failure if it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        yield Failure(folder, "input.unreadable", gate.one_line(f"cannot list folder: {reason}"))
        return
    yield from entries


def _symlinked_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def walk(folder: str) -> Iterator[str | Failure]:
    """Supported files under ``folder`` in sorted order, and a ``Failure`` for each entry that is skipped
    for a reason (see the module docstring). Iterative: any depth of nesting is fine."""
    stack = [_listing(folder)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if isinstance(entry, Failure):
            yield entry
            continue
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield Failure(entry.path, *_code_message(gate.path_error(exc, entry.path, source=entry.path)))
            continue
        if is_dir:
            stack.append(_listing(entry.path))
        elif _symlinked_folder(entry):
            yield Failure(entry.path, "input.unsupported",
                          "symlinked folder: not entered inside a folder (name it explicitly to read it)")
        elif file_format(entry.name) is not None:
            yield entry.path  # a dangling symlink, a loop or a FIFO fails when iter_file opens it


def _code_message(exc: InputError) -> tuple[str, str]:
    return exc.code, gate.one_line(exc.message)


def iter_path(spec: str, ctx: Context) -> Iterator[RawDocument | Failure]:
    """Everything one path spec (file or folder) holds."""
    try:
        st = gate.stat_path(spec, source=spec)
    except InputError as exc:
        yield ctx.failure(exc, spec)
        return
    if stat.S_ISDIR(st.st_mode):
        found = False
        for item in walk(spec):
            found = True
            if isinstance(item, Failure):
                yield item
            else:
                yield from ctx.guarded(item, iter_file(item, ctx))
        if not found:
            yield Failure(spec, "input.empty", "folder holds no supported files")
        return
    if not stat.S_ISREG(st.st_mode):
        yield ctx.failure(gate.not_a_file(st.st_mode, source=spec), spec)
        return
    if file_format(os.path.basename(spec)) is None:
        yield Failure(spec, "input.unsupported", f"unsupported file type: {os.path.basename(spec)}")
        return
    yield from iter_file(spec, ctx)


def iter_file(path: str, ctx: Context) -> Iterator[RawDocument | Failure]:
    fmt = file_format(os.path.basename(path))
    if fmt is None:
        yield Failure(path, "input.unsupported", f"unsupported file type: {os.path.basename(path)}")
        return
    kind, gz = fmt
    if kind == "warc":
        from newsgraph.sources.warc import iter_warc

        yield from iter_warc(path, ctx)
        return
    if kind == "jsonl":
        yield from _iter_jsonl(path, ctx)
        return
    max_bytes = ctx.settings.max_bytes
    if kind == "feed":
        try:
            data = gate.read_file(path, max_bytes, source=path)
            gate.decode_bytes(data, source=path, max_bytes=max_bytes)  # size/empty/binary/charset checks
        except InputError as exc:
            yield ctx.failure(exc, path)
            return
        from newsgraph.sources.feeds import iter_feed

        yield from iter_feed(data, ctx, source=path)
        return
    if kind == "json":
        yield from _iter_json(path, ctx)
        return
    if ctx.skip(path):
        return
    try:
        data = gate.read_file(path, max_bytes, source=path, gz=gz)
        text, _codec = gate.decode_bytes(data, source=path, max_bytes=max_bytes)
    except InputError as exc:
        yield ctx.failure(exc, path)
        return
    yield RawDocument(source=path, kind=kind, data=text)


# ----------------------------------------------------------------------------- JSON


def _norm_date(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


def record_item(record: Any, ctx: Context, *, source: str) -> RawDocument:
    """One JSON record -> RawDocument. Raises ``InputError``."""
    max_bytes = ctx.settings.max_bytes
    if not isinstance(record, dict):
        raise InputError(f"record is a JSON {type(record).__name__}, not an object", source=source,
                         code="input.invalid")
    if isinstance(record.get("html"), str):
        kind, body = "html", gate.check_text(record["html"], source=source, max_bytes=max_bytes, field="html")
    elif isinstance(record.get("text"), str):
        kind, body = "text", gate.check_text(record["text"], source=source, max_bytes=max_bytes, field="text")
    else:
        raise InputError("record has no 'html' or 'text' string", source=source, code="input.invalid")
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        raise InputError("'url' is not a string", source=source, code="input.invalid")
    meta: dict[str, Any] = {}
    for key in ("title", "outlet"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
    published = _norm_date(record.get("published"))
    if published:
        meta["published"] = published
    authors = record.get("authors", record.get("author"))
    if isinstance(authors, str):
        authors = [authors]
    if isinstance(authors, list):
        names = [a.strip() for a in authors if isinstance(a, str) and a.strip()]
        if names:
            meta["authors"] = names
    doc = RawDocument(source=source, kind=kind, data=body, url=(url or "").strip() or None, meta=meta)
    return gate.clean_item(doc)  # type: ignore[return-value]


def _iter_json(path: str, ctx: Context) -> Iterator[RawDocument | Failure]:
    max_bytes = ctx.settings.max_bytes
    try:
        data = gate.read_file(path, max_bytes, source=path)
        text, _ = gate.decode_bytes(data, source=path, max_bytes=max_bytes)
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise InputError(f"invalid JSON: {exc}", source=path, code="input.invalid") from exc
    except InputError as exc:
        yield ctx.failure(exc, path)
        return
    records = [(path, doc)] if not isinstance(doc, list) else [(f"{path}[{i}]", r) for i, r in enumerate(doc)]
    del doc
    for source, record in records:
        if ctx.skip(source):
            continue
        try:
            yield record_item(record, ctx, source=source)
        except InputError as exc:
            yield ctx.failure(exc, source)


def _iter_jsonl(path: str, ctx: Context) -> Iterator[RawDocument | Failure]:
    max_bytes = ctx.settings.max_bytes
    try:
        fh = gate.open_input(path, source=path)  # closed in finally
    except InputError as exc:
        yield ctx.failure(exc, path)
        return
    try:
        lineno = 0
        any_line = False
        while True:
            try:
                line = fh.readline(max_bytes + 2)
            except OSError as exc:
                yield Failure(f"{path}:{lineno + 1}", "input.unreadable", gate.one_line(str(exc)))
                return
            if not line:
                break
            lineno += 1
            source = f"{path}:{lineno}"
            if len(line.rstrip(b"\r\n")) > max_bytes:
                # skip the rest of the over-long line without keeping it
                while line and not line.endswith(b"\n"):
                    line = fh.readline(1 << 20)
                yield Failure(source, "input.too_large", f"line is over the {max_bytes}-byte limit")
                any_line = True
                continue
            if not line.strip():
                continue
            any_line = True
            if ctx.skip(source):
                continue
            try:
                if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                try:
                    record = json.loads(line.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    raise InputError(f"line is not UTF-8: {exc}", source=source, code="input.undecodable") from exc
                except (ValueError, RecursionError) as exc:
                    raise InputError(f"invalid JSON: {exc}", source=source, code="input.invalid") from exc
                yield record_item(record, ctx, source=source)
            except InputError as exc:
                yield ctx.failure(exc, source)
        if not any_line:
            yield Failure(path, "input.empty", "JSONL file has no records")
    finally:
        fh.close()


__all__ = ["file_format", "iter_file", "iter_path", "record_item", "walk"]
