"""Language of a body text: py3langid (ships its model; no download)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Below this many letters the guess is noise: say nothing rather than guess.
MIN_LETTERS = 20
#: Only the head of long bodies is classified (enough for a stable guess).
SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.5 else None
