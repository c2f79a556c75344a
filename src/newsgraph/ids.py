"""Article identity: a hash of the normalised body text.

Two inputs whose bodies differ only in Unicode normalisation form, case of
whitespace runs or line breaks get the same id, so re-ingesting is a no-op
and the same text from two URLs is one article with two sources.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")
ID_LENGTH = 16  # hex digits: 64 bits, ample for a personal or team corpus


def normalise_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "")
    return _WS.sub(" ", text).strip().casefold()


def article_id(text: str) -> str:
    digest = hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()
    return digest[:ID_LENGTH]
