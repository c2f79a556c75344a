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
   charset-normalizer guesses, accepted only if the result looks like text
   (few control characters, few replacement characters). Otherwise
   ``input.undecodable``. ISO-8859-1 and US-ASCII declarations are read as
   windows-1252, as browsers do. An undeclared 8-bit page is not simply
   charset-normalizer's best guess, which on short or quote-heavy text picks
   rare pages (Latin-1 French read as ISO-8859-14, Shift-JIS or ISO-8859-10,
   ``« »`` turning into ``ḋ Ṡ``): its candidates and windows-1252 are each
   scored by how well their non-ASCII letters fit one language's alphabet
   (French, Polish, Turkish, ... or one non-Latin script) inside words, and
   the best fit wins; on a tie windows-1252 (what WHATWG uses for Latin-1)
   comes first, then charset-normalizer's order. Cyrillic (windows-1251,
   KOI8-R), Greek, Central European (windows-1250, ISO-8859-2) and Turkish
   texts keep their own page because windows-1252 reads them as a soup of
   letters from no single language.
5. Sniffing: ``feed`` if the document starts (after BOM, whitespace, XML
   declaration, comments, doctype) with ``<rss``, ``<feed`` or ``<rdf:RDF``;
   ``html`` if it starts with ``<!doctype html``, ``<html``, ``<head``,
   ``<body`` or shows a density of block markup (``<p>``, ``<div>``, ...);
   otherwise ``text``.

Only ``InputError`` subclasses (``DecodeError``, ``UnsupportedFormat``) leave
this module for bad input. Gzip files (``.html.gz``) are opened with
``read_file(..., gz=True)``; a corrupt gzip stream is ``input.undecodable``.

Files are opened with ``open_input``: the path is ``os.stat``-ed first and
anything but a regular file (a FIFO, a device such as ``/dev/zero``, a
socket, a folder) is refused with ``input.not_a_file`` before it is opened,
so a FIFO cannot stall a run; the open itself is non-blocking and checked
again with ``fstat`` (a file swapped for a FIFO in between is refused too).
A missing path or a dangling symlink -> ``input.not_found``; a symlink loop,
a permission problem or any other ``OSError`` -> ``input.unreadable`` with
the reason.

Clean strings: everything the sources layer hands on must encode as UTF-8.
The one rule lives here and ``iter_raw`` applies it to every item it yields
(``clean_item``; ``Context.skip`` applies it to the source it asks about, so
the resume filter sees the same string the item is stored under):

* text (bodies, titles, authors, outlets, dates, URLs, feed entry fields,
  WARC target URIs; ``clean_text``): NULs dropped, lone surrogates (a JSON
  ``\\ud800`` escape has no bytes behind it) replaced with U+FFFD;
* names (sources, paths in messages; ``clean_name``): a file name's
  undecodable bytes (``os.fsdecode``/``sys.argv`` carry byte 0xNN as the
  surrogate U+DCNN) are written ``\\xNN``, the backslash escape Python
  prints for bytes, e.g. ``b"caf\\xe9.txt"`` -> source ``caf\\xe9.txt``.
  The rendering is deterministic, so a re-run asks ``skip_source`` about the
  same string; the file itself is still opened by its real path. Other lone
  surrogates become U+FFFD and NULs ``\\x00``. (A name that really contains a
  backslash followed by ``xNN`` reads the same as the escape.)
"""

from __future__ import annotations

import codecs
import errno
import functools
import gzip
import os
import re
import stat
import unicodedata
import zlib
from dataclasses import dataclass, replace
from typing import Any, BinaryIO, Literal

from newsgraph.errors import DecodeError, InputError, UnsupportedFormat
from newsgraph.types import Failure, RawDocument

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


def path_error(exc: OSError | ValueError, path: str | os.PathLike[str], *, source: str) -> InputError:
    """The ``InputError`` for a path that cannot be stat-ed or opened, with the reason."""
    if isinstance(exc, ValueError):  # an embedded NUL, or a str that no byte string can name
        return InputError("the name cannot name a file", source=source, code="input.not_found")
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOTDIR:
        if os.path.islink(path):
            return InputError("dangling symlink: its target does not exist", source=source, code="input.not_found")
        return InputError("no such file or folder", source=source, code="input.not_found")
    if exc.errno == errno.ELOOP:
        return InputError("symlink loop (too many levels of symbolic links)", source=source,
                          code="input.unreadable")
    return InputError(f"cannot read: {exc.strerror or exc}", source=source, code="input.unreadable")


def _kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def not_a_file(mode: int, *, source: str) -> InputError:
    """``input.not_a_file`` for a FIFO, device, socket or folder where a file was expected."""
    return InputError(f"not a regular file: {_kind_of(mode)}", source=source, code="input.not_a_file")


def stat_path(path: str | os.PathLike[str], *, source: str) -> os.stat_result:
    """``os.stat`` (symlinks followed); any failure as the ``InputError`` ``path_error`` gives."""
    try:
        return os.stat(path)
    except (OSError, ValueError) as exc:
        raise path_error(exc, path, source=source) from exc


def open_input(path: str | os.PathLike[str], *, source: str) -> BinaryIO:
    """Open a regular file for reading; refuse anything else before (and after) opening it.

    The path is stat-ed first: a FIFO, device, socket or folder ->
    ``input.not_a_file`` without opening it (opening a FIFO blocks until a
    writer comes, reading ``/dev/zero`` never ends). The open is
    non-blocking and the descriptor is checked with ``fstat`` again, so a
    file replaced by a FIFO in between is refused as well.
    """
    st = stat_path(path, source=source)
    if not stat.S_ISREG(st.st_mode):
        raise not_a_file(st.st_mode, source=source)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:
        raise path_error(exc, path, source=source) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise not_a_file(mode, source=source)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file(path: str | os.PathLike[str], max_bytes: int, *, source: str, gz: bool = False) -> bytes:
    """Read a regular file's bytes (``open_input``), refusing it before reading if it is too large.

    With ``gz=True`` the file is gunzipped, and the *decompressed* size is
    capped too (read in blocks, never more than ``max_bytes + 1``).
    """
    with open_input(path, source=source) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if not gz and size > max_bytes:
                raise DecodeError(
                    f"file is {size} bytes, over the {max_bytes}-byte limit", source=source, code="input.too_large"
                )
            if not gz:
                # the file's own size, not max_bytes: read(n) allocates n bytes up front
                data = fh.read(min(size, max_bytes) + 1)
                if len(data) > size:  # grown since, or a file that reports no size (/proc): read on, capped
                    data += read_capped(fh, max_bytes - len(data))
                return data
            with gzip.GzipFile(fileobj=fh, mode="rb") as gzfh:
                data = read_capped(gzfh, max_bytes)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise DecodeError(f"corrupt gzip data: {exc}", source=source, code="input.undecodable") from exc
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", source=source,
                             code="input.unreadable") from exc
    if len(data) > max_bytes:
        raise DecodeError(
            f"decompressed data is over the {max_bytes}-byte limit", source=source, code="input.too_large"
        )
    return data


def read_capped(fh, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a stream, read in blocks (never a ``max_bytes`` buffer at once)."""
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


# ----------------------------------------------------------------------------- guessing a code page

#: Non-ASCII letters of the languages written in Latin script on 8-bit code pages (lower case).
_ALPHABETS: tuple[str, ...] = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "áéèëïóöü",  # Dutch
    "æøåéó",  # Danish, Norwegian
    "åäöéšž",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "čćđšž",  # Croatian, Bosnian, Serbian (Latin), Slovene
    "âçğıîöşüû",  # Turkish
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äõöüšž",  # Estonian
    "ëç",  # Albanian
    "áéíóúḃċḋḟġṁṗṡṫ",  # Irish
    "âêîôûŵŷáéíóúàèìòùäëïöüÿ",  # Welsh
    "àċèġħìòùż",  # Maltese
    "àáâãèéêìíòóôõùúýăđĩũơư",  # Vietnamese (with combining tones)
)
_ALPHABET_SETS = tuple(frozenset(a) | {u for c in a if len(u := c.upper()) == 1} | ({"İ"} if "ı" in a else set())
                       for a in _ALPHABETS)
#: Non-ASCII letters that are words on their own (French à, Italian è, Portuguese é, Swedish å ...).
_ONE_LETTER_WORDS = frozenset("àáèéòóåäöøįÀÁÈÉÒÓÅÄÖØ")
#: Non-letters that may touch a letter: quotes, dashes, ellipsis, ¡ ¿, ™ ® ©, ° µ, apostrophes
#: (also ´ typed for one), Catalan middle dot, soft hyphen.
_TOUCH_OK = frozenset("«»‹›“”‘’„‚–—…¡¿™®©°µ\u02bc\u00b4\u00b7\u00ad\u2010\u2011")
#: Pages tried after charset-normalizer's own candidates (it does not always list them on short text).
_EXTRA_PAGES = ("cp1250", "iso8859_2", "iso8859_15", "cp1254", "cp1257")
#: Scripts written without spaces: a letter needs a neighbour of its own script.
_UNSPACED = frozenset({"CJK", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_FIT_CHARS = 32768  # characters of each candidate decoding that are scored
_GUESS_BYTES = 1 << 20  # bytes charset-normalizer looks at


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``, ``CJK`` ...), None for other characters."""
    if not ch.isalpha():
        return None
    words = unicodedata.name(ch, "").split()
    if words and words[0] in ("HALFWIDTH", "FULLWIDTH"):
        words = words[1:]
    if not words or words[0] in ("MICRO", "FEMININE", "MASCULINE"):  # µ ª º: signs, not letters of a script
        return None
    return "CJK" if words[0] in ("HIRAGANA", "KATAKANA") else words[0]


def _fit(text: str) -> float:
    """How well a decoding's non-ASCII characters look like one language: 1.0 = all of them fit.

    A non-ASCII letter fits when it sits in a word (an isolated one only if it
    is a one-letter word such as ``à``) and, for Latin letters, belongs to the
    alphabet that covers most of them; letters of another script fit when
    they share a word with their own script (or, for scripts written with
    spaces, stand alone). A symbol stuck to a word never fits (``mo¿e``,
    ``powiedzia³`` are Polish ``może``, ``powiedział`` read on the wrong page),
    except quotes, dashes, ``¡ ¿``, ``™``, ``°`` and the like, ``m²`` and ``nº``.
    No non-ASCII letters or symbols in words: 1.0.
    """
    latin: dict[str, int] = {}
    scripts: dict[str, int] = {}
    misfits = 0
    size = len(text)
    for m in _NON_ASCII.finditer(text):
        i, ch = m.start(), m.group()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < size else " "
        script = _script(ch)
        if script is None:
            if ((prev.isalpha() or nxt.isalpha()) and ch not in _TOUCH_OK and unicodedata.category(ch)[0] not in "MZ"
                    and not (ch in "²³" and prev in "mM") and not (ch in "ªº" and prev in "nN")):
                misfits += 1
            continue
        if script == "LATIN":
            if prev.isalpha() or nxt.isalpha() or ch in _ONE_LETTER_WORDS:
                latin[ch] = latin.get(ch, 0) + 1
            else:
                misfits += 1
            continue
        own = script in (_script(prev), _script(nxt))
        mixed = _script(prev) == "LATIN" or _script(nxt) == "LATIN"
        if own or (not mixed and script not in _UNSPACED):
            scripts[script] = scripts.get(script, 0) + 1
        else:
            misfits += 1
    total = sum(latin.values()) + sum(scripts.values()) + misfits
    if not total:
        return 1.0
    covered = max(sum(n for ch, n in latin.items() if ch in alphabet) for alphabet in _ALPHABET_SETS)
    return (covered + max(scripts.values(), default=0)) / total


def _head_decode(data: bytes, codec: str) -> str | None:
    """The first ``_FIT_CHARS`` characters of ``data`` decoded strictly (a cut sequence at the end is fine)."""
    try:
        decoder = codecs.getincrementaldecoder(codec)("strict")
        return decoder.decode(data[: _FIT_CHARS * 4], final=False)[:_FIT_CHARS]
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _guess_sample(data: bytes) -> bytes:
    """The first ``_GUESS_BYTES``, cut after a newline: a multi-byte character cut in two makes
    charset-normalizer give up (Shift-JIS, GBK, Big5 ... never use the newline byte inside a character)."""
    if len(data) <= _GUESS_BYTES:
        return data
    cut = data.rfind(b"\n", _GUESS_BYTES // 2, _GUESS_BYTES)
    return data[: cut + 1] if cut >= 0 else data[:_GUESS_BYTES]


def _guess(data: bytes) -> tuple[str, str] | None:
    """Decode undeclared non-UTF-8 bytes: the best-fitting of charset-normalizer's candidates and windows-1252."""
    try:
        from charset_normalizer import from_bytes

        matches = from_bytes(_guess_sample(data))
        best = matches.best()
        names = [m.encoding for m in matches]
    except Exception:  # noqa: BLE001 - a library failure on hostile bytes is an input problem
        return None
    if best is None or best.encoding is None:
        return None
    # the best fit wins; on a tie windows-1252 first, then charset-normalizer's order, then the extra pages
    order = dict.fromkeys(_WEB_ALIASES.get(n, n) for n in ["cp1252", best.encoding, *names, *_EXTRA_PAGES] if n)
    ranked: list[tuple[float, int, str]] = []
    for rank, codec in enumerate(order):
        head = _head_decode(data, codec)
        if head is None or not _looks_like_text(head):
            continue
        fit = round(_fit(head), 3)
        ranked.append((-fit, rank, codec))
        if fit == 1.0:
            break  # nothing later can beat it
    for _, _, codec in sorted(ranked):
        text = _strict(data, codec)
        if text is not None and _looks_like_text(text):
            return text, codec
    return None


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
    return clean_text(text), codec


# ----------------------------------------------------------------------------- clean strings

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNCLEAN = re.compile("[\x00\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text that encodes as UTF-8: NULs dropped, lone surrogates replaced with U+FFFD."""
    if not _UNCLEAN.search(text):
        return text
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0:
        return "\\x00"
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte 0xNN of a file name
        return f"\\x{code - 0xDC00:02x}"
    return "\ufffd"


def clean_name(name: str) -> str:
    """A source or path that encodes as UTF-8; undecodable file-name bytes become ``\\xNN``.

    Deterministic: the same name always gives the same string.
    """
    if not _UNCLEAN.search(name):
        return name
    return _UNCLEAN.sub(_escape, name)


def clean_value(value: Any) -> Any:
    """``clean_text`` applied to every str in a value, recursively (lists, tuples, dict keys and values)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_value(v) for v in value)
    return value


def clean_item(item: RawDocument | Failure) -> RawDocument | Failure:
    """An item whose every str encodes as UTF-8 (the rule above); unchanged items are returned as they are."""
    if isinstance(item, Failure):
        source, message = clean_name(item.source), clean_name(item.message)
        if source is item.source and message is item.message:
            return item
        return Failure(source, item.code, message)
    source, data = clean_name(item.source), clean_text(item.data)
    url = clean_text(item.url) if isinstance(item.url, str) else item.url
    meta = clean_value(item.meta)
    if source is item.source and data is item.data and url is item.url and meta == item.meta:
        return item
    return replace(item, source=source, data=data, url=url, meta=meta)


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
    return clean_text(text)
