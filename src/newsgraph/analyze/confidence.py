"""Calibrated confidence: the probability that an attribution's source, cue and content are right.

The speakers component, once it has resolved every source (``speakers.py``),
gives every record a ``confidence`` from a logistic model over features of the
record itself (``features``): its content frame and cue category, kind (direct
/ mixed / indirect), whether it is a statement or negated, the form of its
source (none, a pronoun, a name, a description), its length and whether it
resolved to an entity of the article, whether the cue is a plain reporting verb
("said", "told", "according to"), the content's length and number of fragments,
whether quotation marks are inside, and whether it is nested in another
record's content (speech quoted inside a quotation, the inner link of a chain).
Nothing here reads the parse: the same function computes the features at run
time and when fitting, from the records and the text. The attribution finder
alone (without the speakers component) leaves its fixed frame priors in
``confidence`` (``prior``).

The weights (``data/confidence_en.json``) are fitted by ``bench/calibrate.py``
on PolNeAR **train**: a record is *right* when the PolNeAR scorer's attribution
criterion pairs it with a gold attribution (content mutual coverage of at least
half, the source overlapping or both absent; greedy one to one). The same script
checks calibration on PolNeAR dev and on the GGT dev quotes with a reliability
table (bins of 0.1) and writes it to bench/RESULTS.md. Without the weights file
the fixed frame priors are kept (``prior``).
"""

from __future__ import annotations

import bisect
import functools
import json
import math
from pathlib import Path
from typing import Any

__all__ = ["FEATURES", "calibrate", "features", "load_model", "prior"]

MODEL_FILE = Path(__file__).with_name("data") / "confidence_en.json"
FRAME_NAMES = ("quote", "clause", "question", "according", "colon", "infinitive", "object", "preposition",
               "appearance", "noun", "light", "framing")
CATEGORIES = ("speech", "belief", "intention", "evaluation", "finding")
PLAIN_CUES = frozenset({"said", "says", "say", "told", "tells", "according", "added", "adds", "wrote", "writes",
                        "stated", "states", "explained", "noted", "asked", "tweeted"})
PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we", "you", "who", "which", "that", "one", "both"})
QUOTE_MARKS = "\"“”«»„"


def _feature_names() -> tuple[str, ...]:
    names = ["bias"]
    names += [f"frame={f}" for f in FRAME_NAMES]
    names += [f"category={c}" for c in CATEGORIES]
    names += ["kind=direct", "kind=mixed", "statement", "negated",
              "source=none", "source=pronoun", "source=name", "source_words", "via",
              "plain_cue", "content_words", "fragments", "quote_marks", "nested", "cue_after_content",
              "content_that", "cue_apart", "source_after_cue", "source_resolved"]
    return tuple(names)


FEATURES = _feature_names()


def _span_text(text: str, span: Any) -> str:
    return text[span[0]:span[1]] if span else ""


def _inside(span: Any, record: dict[str, Any]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in record.get("content_spans") or [record["content"]])


def _nested(i: int, records: list[dict[str, Any]]) -> bool:
    """Whether record ``i``'s cue lies inside another statement's content (speech quoted
    inside a quotation; a reporting chain's relay is not a statement). When each cue lies
    inside the other's content, the shorter content is the nested one."""
    a = records[i]
    anchor = a.get("cue") or a["content"]
    size = a["content"][1] - a["content"][0]
    for j, b in enumerate(records):
        if j == i or b["content"] == a["content"] or not b.get("statement", True) or not _inside(anchor, b):
            continue
        if _inside(b.get("cue") or b["content"], a) and size >= b["content"][1] - b["content"][0]:
            continue  # b is the nested one
        return True
    return False


def features(records: list[dict[str, Any]], text: str) -> list[list[float]]:
    """One feature vector (ordered as ``FEATURES``) per record of one text.

    ``records`` are the finder's dicts: ``kind``, ``cue``/``content``/``source``/``via``
    as ``[start, end]`` (or None), ``content_spans``, ``statement``, ``negated``,
    ``frame`` and ``category``.
    """
    out = []
    starts = sorted((r["content"][0], r["content"][1]) for r in records)
    for i, r in enumerate(records):
        x = dict.fromkeys(FEATURES, 0.0)
        x["bias"] = 1.0
        if r.get("frame") in FRAME_NAMES:
            x[f"frame={r['frame']}"] = 1.0
        if r.get("category") in CATEGORIES:
            x[f"category={r['category']}"] = 1.0
        if r.get("kind") in ("direct", "mixed"):
            x[f"kind={r['kind']}"] = 1.0
        x["statement"] = float(bool(r.get("statement", True)))
        x["negated"] = float(bool(r.get("negated", False)))
        src = _span_text(text, r.get("source")).strip()
        words = src.split()
        if not words:
            x["source=none"] = 1.0
        elif len(words) == 1 and words[0].lower() in PRONOUNS:
            x["source=pronoun"] = 1.0
        elif words[0][:1].isupper() and words[0].lower() not in ("the", "a", "an"):
            x["source=name"] = 1.0
        x["source_words"] = math.log1p(len(words))
        x["via"] = float(bool(r.get("via")))
        cue = _span_text(text, r.get("cue")).lower().split()
        x["plain_cue"] = float(any(w in PLAIN_CUES for w in cue))
        content = _span_text(text, r["content"])
        x["content_words"] = math.log1p(len(content.split()))
        x["fragments"] = float(len(r.get("content_spans") or ()) > 1)
        x["quote_marks"] = float(any(ch in QUOTE_MARKS for ch in content))
        x["nested"] = float(len(starts) > 1 and _nested(i, records))
        x["cue_after_content"] = float(bool(r.get("cue")) and r["cue"][0] >= r["content"][1])
        x["content_that"] = float(content[:5].lower() == "that ")
        if r.get("cue"):
            a, b = sorted((r["cue"][1], r["content"][0]))[0], max(r["cue"][0], r["content"][0])
            gap = text[min(r["cue"][1], r["content"][0]):max(r["cue"][0], r["content"][0])] if a < b else ""
            x["cue_apart"] = float("\n" in gap or ". " in gap)
        x["source_after_cue"] = float(bool(r.get("source")) and bool(r.get("cue")) and r["source"][0] > r["cue"][0])
        x["source_resolved"] = float(bool(r.get("source_entity")))
        out.append([x[name] for name in FEATURES])
    return out


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict[str, Any] | None:
    """The fitted weights (``{"features": [...], "weights": [...], "isotonic": [[x, y], ...]}``), or None."""
    p = Path(path) if path else MODEL_FILE
    if not p.exists():
        return None
    model = json.loads(p.read_text(encoding="utf-8"))
    if tuple(model["features"]) != FEATURES:
        return None  # fitted for another feature set: refit with bench/calibrate.py
    return model


def _isotonic(points: list[list[float]], p: float) -> float:
    """Piecewise-linear map of the logistic score through the fitted isotonic points."""
    xs = [a for a, _ in points]
    k = bisect.bisect_left(xs, p)
    if k <= 0:
        return points[0][1]
    if k >= len(points):
        return points[-1][1]
    (x0, y0), (x1, y1) = points[k - 1], points[k]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)


def score(x: list[float], model: dict[str, Any]) -> float:
    z = sum(w * v for w, v in zip(model["weights"], x, strict=True))
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    if model.get("isotonic"):
        p = _isotonic(model["isotonic"], p)
    return p


#: the finder's fixed priors by frame (before calibration; kept for the comparison in bench/calibrate.py)
PRIORS = {"quote": 0.9, "clause": 0.8, "question": 0.8, "according": 0.85, "colon": 0.7, "infinitive": 0.6,
          "object": 0.5, "preposition": 0.5, "noun": 0.55}


def prior(r: dict[str, Any]) -> float:
    """The fixed prior the finder gave before calibration: by frame, a quotation raising a
    clause to 0.9, minus 0.1 for a belief/intention/evaluation cue and minus 0.1 without a source."""
    p = PRIORS.get(r.get("frame") or "", 0.5)
    if r.get("frame") == "clause" and r.get("kind") != "indirect":
        p = max(p, PRIORS["quote"])
    if r.get("category") in ("belief", "intention", "evaluation") and r.get("frame") not in ("noun", "according"):
        p -= 0.1
    if not r.get("source"):
        p -= 0.1
    return round(max(0.05, min(1.0, p)), 2)


def calibrate(records: list[dict[str, Any]], text: str) -> None:
    """Replace each record's prior ``confidence`` by the calibrated probability (in place)."""
    model = load_model()
    if model is None or not records:
        return
    for r, x in zip(records, features(records, text), strict=True):
        r["confidence"] = round(score(x, model), 3)
