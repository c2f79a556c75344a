"""The single input gate: bytes in, decoded ``str`` plus a kind out.

Every byte that enters newsgraph (a file, stdin, an HTTP body, a WARC record,
a JSON record's string) passes through here, so the rules live in one place:

1. Size: more than ``Settings.max_bytes`` -> ``input.too_large`` (callers
   check a file's size *before* reading it, see ``read_file``).
2. Empty or whitespace-only -> ``input.empty``.
3. Binary: a known magic number (PDF, PNG, JPEG, GIF, ZIP, gzip (files
   named ``.gz`` are decompressed before they get here), ELF, ...) or NUL bytes in the head without a UTF-16/32
   byte-order mark -> ``input.binary``.
4. Decoding, first that works (strictly): byte-order mark; the charset the
   HTTP header declared; the charset the document itself declares (``<meta
   charset>``, ``http-equiv``, ``<?xml encoding?>``); UTF-8; the
   charset-normalizer best guess, accepted only if the result looks like text
   (few control characters, few replacement characters). Otherwise
   ``input.undecodable``. ISO-8859-1 and US-ASCII declarations are read as
   windows-1252, as browsers do.
5. Sniffing: ``feed`` if the document starts (after BOM, whitespace, XML
   declaration, comments, doctype) with ``<rss``, ``<feed`` or ``<rdf:RDF``;
   ``html`` if it starts with ``<!doctype html``, ``<html``, ``<head``,
   ``<body`` or shows a density of block markup (``<p>``, ``<div>``, ...);
   otherwise ``text``.

Only ``InputError`` subclasses (``DecodeError``, ``UnsupportedFormat``) leave
this module for bad input. Gzip files (``.html.gz``) are opened with
``read_file(..., gz=True)``; a corrupt gzip stream is ``input.undecodable``.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import zlib
from dataclasses import dataclass
from typing import Literal

from newsgraph.errors import DecodeError, InputError, UnsupportedFormat

Kind = Literal["html", "text", "feed"]

HEAD = 8192  # bytes inspected for magic numbers, NULs and declared charsets

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MZ", "Windows executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O/class"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"RIFF", "RIFF (WebP/WAV/AVI)"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG: these labels mean windows-1252 on the web.
_WEB_ALIASES = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}

_SINGLE_BYTE = ("cp125", "iso8859", "koi8", "mac-", "mac_", "ascii", "latin")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._\-]{1,40})["']""", re.I)

_LEADING_JUNK = re.compile(
    r"""\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype(?!\s+html)[^>]*>)*""", re.I | re.S
)
_FEED_START = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>/]", re.I)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>/]", re.I)
_BLOCK_TAG = re.compile(
    r"<(?:p|div|br|article|section|h[1-6]|ul|ol|li|table|span|a\s+href|main|header|footer|nav)[\s>/]", re.I
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded input: the text, what it looks like, and the codec that worked."""

    text: str
    kind: Kind
    encoding: str


def one_line(message: str, limit: int = 300) -> str:
    """Collapse whitespace so a reason fits on one line."""
    flat = " ".join(str(message).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ----------------------------------------------------------------------------- files


def read_file(path: str | os.PathLike[str], max_bytes: int, *, source: str, gz: bool = False) -> bytes:
    """Read a file's bytes, refusing it before reading if it is too large.

    With ``gz=True`` the file is gunzipped, and the *decompressed* size is
    capped too (read in blocks, never more than ``max_bytes + 1``).
    """
    try:
        size = os.stat(path).st_size
        if not gz and size > max_bytes:
            raise DecodeError(
                f"file is {size} bytes, over the {max_bytes}-byte limit", source=source, code="input.too_large"
            )
        if not gz:
            with open(path, "rb") as fh:
                return fh.read(max_bytes + 1)
        with gzip.open(path, "rb") as gzfh:
            data = _read_capped(gzfh, max_bytes)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise DecodeError(f"corrupt gzip data: {exc}", source=source, code="input.undecodable") from exc
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}", source=source, code="input.not_found") from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source=source, code="input.unreadable") from exc
    if len(data) > max_bytes:
        raise DecodeError(
            f"decompressed data is over the {max_bytes}-byte limit", source=source, code="input.too_large"
        )
    return data


def _read_capped(fh, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        block = fh.read(min(1 << 20, max_bytes + 1 - total))
        if not block:
            break
        chunks.append(block)
        total += len(block)
    return b"".join(chunks)


# ----------------------------------------------------------------------------- checks


def check_size(n: int, max_bytes: int, *, source: str) -> None:
    if n > max_bytes:
        raise DecodeError(f"input is over the {max_bytes}-byte limit", source=source, code="input.too_large")


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks binary, or None."""
    head = data[:HEAD]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            if name == "Windows executable" and not _looks_like_mz_exe(head):
                continue
            if name == "RIFF" and len(head) >= 12 and not head[8:12].isalnum():
                continue
            if name in ("MP3", "ICO") and b"\x00" not in head[:64]:
                continue
            return f"binary data ({name})"
    if b"\x00" in head and _bom(head) is None:
        return "binary data (NUL bytes)"
    return None


def _looks_like_mz_exe(head: bytes) -> bool:
    return len(head) >= 64 and b"\x00" in head[:64]


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def _codec(label: str | bytes | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    if label in ("x-user-defined", "replacement"):
        return None
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return _WEB_ALIASES.get(name, name)


def declared_charset(data: bytes) -> str | None:
    """The charset the document declares in its head (meta tag or XML declaration)."""
    head = data[:HEAD]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _looks_like_text(text: str) -> bool:
    """Sanity check for a guessed decoding: few control and replacement characters."""
    if not text:
        return False
    sample = text[:65536]
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch in "\ufffd\x7f")
    bad += sum(1 for ch in sample if "\x80" <= ch <= "\x9f")  # C1 controls: a wrong 8-bit guess
    return bad <= max(2, len(sample) // 200)


def _guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 1 << 20]).best()
    except Exception:  # noqa: BLE001 - a library failure on hostile bytes is an input problem
        return None
    if best is None or best.encoding is None:
        return None
    text = _strict(data, best.encoding)
    if text is None or not _looks_like_text(text):
        return None
    return text, best.encoding


def decode_bytes(
    data: bytes,
    *,
    source: str,
    max_bytes: int,
    http_charset: str | None = None,
) -> tuple[str, str]:
    """Bytes -> (text, codec). Raises ``DecodeError``/``UnsupportedFormat``."""
    check_size(len(data), max_bytes, source=source)
    if not data.strip():
        raise DecodeError("input is empty", source=source, code="input.empty")
    reason = binary_reason(data)
    if reason:
        raise UnsupportedFormat(reason, source=source, code="input.binary")

    text: str | None = None
    codec = ""
    bom = _bom(data)
    if bom is not None:
        codec, n = bom
        text = _strict(data[n:], codec)
        if text is None:
            raise DecodeError(f"invalid {codec} after byte-order mark", source=source, code="input.undecodable")
    else:
        tried: list[str] = []
        meta = _codec(declared_charset(data))
        if meta and meta.startswith(("utf_16", "utf-16", "utf_32", "utf-32")):
            meta = "utf-8"  # WHATWG: a UTF-16 declaration in an ASCII-compatible byte stream means UTF-8
        labels = [http_charset, meta, "utf-8"]
        first = _codec(http_charset) or _codec(meta)
        if first and first.startswith(_SINGLE_BYTE):
            # valid UTF-8 with non-ASCII bytes is a far stronger signal than an
            # 8-bit declaration (the usual mislabel is UTF-8 served as latin-1)
            labels.insert(0, "utf-8")
        for label in labels:
            c = _codec(label)
            if c is None or c in tried:
                continue
            tried.append(c)
            text = _strict(data, c)
            if text is not None and (c == "utf-8" or _looks_like_text(text)):
                codec = c
                break
            text = None
        if text is None:
            guessed = _guess(data)
            if guessed is None:
                raise DecodeError(
                    "cannot decode: not valid UTF-8 and no reliable charset guess",
                    source=source, code="input.undecodable",
                )
            text, codec = guessed
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DecodeError("input is empty", source=source, code="input.empty")
    if "\x00" in text[:HEAD]:
        raise UnsupportedFormat("binary data (NUL characters)", source=source, code="input.binary")
    return _sanitize(text), codec


_SURROGATE = re.compile("[\ud800-\udfff]")


def _sanitize(text: str) -> str:
    """Drop stray NULs past the head and replace lone surrogates, so every str we hand on encodes as UTF-8."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def sniff(text: str) -> Kind:
    """``feed``, ``html`` or ``text`` from the start and the markup of a document."""
    head = text[:65536]
    m = _LEADING_JUNK.match(head)
    start = head[m.end() if m else 0 :][:512]
    if _FEED_START.match(start):
        return "feed"
    if _HTML_START.match(start):
        return "html"
    tags = _BLOCK_TAG.findall(head)
    if len(tags) >= 3 or (tags and re.search(r"</(?:p|div)>", head, re.I)):
        return "html"
    return "text"


def decode(
    data: bytes,
    *,
    source: str,
    max_bytes: int,
    http_charset: str | None = None,
) -> Decoded:
    """The gate: check, decode and sniff one input item."""
    text, codec = decode_bytes(data, source=source, max_bytes=max_bytes, http_charset=http_charset)
    return Decoded(text, sniff(text), codec)


def check_text(text: object, *, source: str, max_bytes: int, field: str = "text") -> str:
    """The gate for text that arrives already decoded (a JSON record's ``html``/``text``)."""
    if not isinstance(text, str):
        raise InputError(f"{field!r} is not a string", source=source, code="input.invalid")
    # a cheap upper bound first, exact size only when close
    if len(text) > max_bytes or (len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes):
        raise DecodeError(f"{field!r} is over the {max_bytes}-byte limit", source=source, code="input.too_large")
    if not text.strip():
        raise DecodeError(f"{field!r} is empty", source=source, code="input.empty")
    if "\x00" in text[:HEAD]:
        raise UnsupportedFormat(f"{field!r} contains NUL characters", source=source, code="input.binary")
    return _sanitize(text)
