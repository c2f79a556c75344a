"""Article identity: a hash of the normalised body text.

Two inputs whose bodies differ only in Unicode normalisation form, case of
whitespace runs or line breaks get the same id, so re-ingesting is a no-op
and the same text from two URLs is one article with two sources.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

_WS = re.compile(r"\s+")
ID_LENGTH = 16  # hex digits: 64 bits, ample for a personal or team corpus


def normalise_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "")
    return _WS.sub(" ", text).strip().casefold()


#: Characters normalised and hashed at a time by ``article_id`` (memory stays a small multiple of this).
CHUNK = 1 << 20
_SPACE_AT = re.compile(r"\s")


def _chunks(text: str) -> Iterator[str]:
    """Pieces of ``text`` of about ``CHUNK`` characters, each cut just before a whitespace
    character: a starter that no Unicode composition crosses, so normalising the pieces
    one by one gives what normalising the whole would."""
    start, n = 0, len(text)
    while start < n:
        m = _SPACE_AT.search(text, start + CHUNK) if start + CHUNK < n else None
        end = m.start() if m else n
        yield text[start:end]
        start = end


def article_id(text: str) -> str:
    """SHA-256 of ``normalise_for_id(text)`` (its first ``ID_LENGTH`` hex digits), computed piece
    by piece: a 45 MB text costs a few MB here, not ten times its size."""
    h = hashlib.sha256()
    started = space = False  # content written yet; a whitespace run pending since the last content
    for chunk in _chunks(text):
        raw = unicodedata.normalize("NFKC", chunk).replace("\u00ad", "").replace("\u200b", "")
        # str.split's whitespace is \s's (the same 29 characters; tests check every code point), and no
        # character case-folds to or from one: the pieces of ``normalise_for_id``, without the regex pass
        words = raw.split()
        if raw[:1].isspace():
            space = True
        if not words:
            continue
        s = " ".join(words).casefold()
        trailing = raw[-1:].isspace()
        if started and space:
            h.update(b" ")
        h.update(s.encode("utf-8"))
        started, space = True, trailing
    return h.hexdigest()[:ID_LENGTH]
