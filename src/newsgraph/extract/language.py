"""Language of a body text: py3langid (ships its model; no download).

The packaged model is LZMA-compressed and takes about half a second to
load, which would dominate a short ``newsgraph extract`` run. So the first
load also writes the decompressed arrays to the user cache
(``$XDG_CACHE_HOME/newsgraph``, or ``$NEWSGRAPH_CACHE``), keyed by the model
file's size and mtime; later loads read that in well under 0.1 s. A cache
that cannot be written or read is ignored. Batch commands also call
``preload()``, which starts the load on a background thread.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from newsgraph.workers import hold_across_fork

#: Below this many letters the guess is noise: say nothing rather than guess.
MIN_LETTERS = 20
#: Only the head of long bodies is classified (enough for a stable guess; 1,000 rather than 1,500
#: characters: the same language on 585 of 586 dev bodies at half the cost, the one change a German
#: article whose long English quote took over the longer sample).
SAMPLE_CHARS = 1000
#: Below this normalised probability, say nothing.
MIN_PROBABILITY = 0.5

_lock = threading.Lock()
hold_across_fork(_lock)  # a worker forked while ``preload`` loads must not inherit the lock held
_model: Any = None


def _cache_dir() -> Path:
    base = os.environ.get("NEWSGRAPH_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "newsgraph" if base else Path.home() / ".cache" / "newsgraph"


def _load() -> Any:
    import numpy as np
    from py3langid import langid, modelio

    source = Path(langid.MODEL_FILE)
    if not source.is_absolute():
        source = langid.MODEL_DIR / source
    st = source.stat()
    cached = _cache_dir() / f"langid-{st.st_size}-{int(st.st_mtime)}.npz"
    try:
        with np.load(cached, allow_pickle=False) as d:
            ptc, pc, classes = d["ptc"], d["pc"], d["classes"].tolist()
            nextmove, row = modelio._to_array(d["nextmove"]), modelio._to_array(d["nextmove_row"])
            output = d["out_feat"].tolist()
    except (OSError, KeyError, ValueError):
        ptc, pc, classes, nextmove, row, output = modelio.load_model(source)
        _write_cache(cached, ptc=ptc, pc=pc, classes=np.array(classes), nextmove=np.asarray(nextmove),
                     nextmove_row=np.asarray(row), out_feat=np.asarray(output, dtype=np.int32))
    return langid.LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                                     norm_probs=True, tk_row=row)


def _write_cache(path: Path, **arrays: Any) -> None:
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home is fine: we just load the slow way next time


def _identifier() -> Any:
    global _model
    with _lock:
        if _model is None:
            _model = _load()
        return _model


def load() -> None:
    """Load the model now (waits for a load in progress)."""
    _identifier()


def preload() -> None:
    """Start loading the model in the background (idempotent, returns at once)."""
    if _model is None and not _lock.locked():
        threading.Thread(target=_identifier, name="langid-preload", daemon=True).start()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    if not _letters_at_least(sample, MIN_LETTERS):
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= MIN_PROBABILITY else None


def _letters_at_least(text: str, n: int) -> bool:
    """At least ``n`` letters in ``text`` (counting stops there: most bodies get there in a line)."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n <= 0:
                return True
    return n <= 0
