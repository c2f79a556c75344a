"""Stage 5 of the attribution finder: linking (``link``), then stages 6-7.

Reads the parse, ``doc.text``, the quotations and the cues of stages 2-4
(content, frame, source, via, and the quotations ``assign_quotes`` gave each
cue); returns the attribution records as plain dicts (the format of
``extensions.py``). It keeps the cues that found a content, drops an outer
verb absorbed into an inner cue, attaches the quotations no cue claimed
(``_host_for_quote``), reports identical (cue, content) pairs once, refuses
sources across a line break and sources or contents on credit, byline and
furniture lines; then each record is classified (``attr_statements.classify``,
stage 6) and reporting chains are collapsed; the prior confidence set here
becomes a calibrated probability in the speakers component, once sources are
resolved (``confidence.calibrate``, stage 7).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from newsgraph.analyze.attr_cues import CueMatch
from newsgraph.analyze.attr_quotes import DOUBLE_QUOTE_CHARS, Quote
from newsgraph.analyze.attr_spans import chars, end_char, merge, paragraph, speech_kind, trim_chars
from newsgraph.analyze.attr_statements import classify
from newsgraph.analyze.entity_credits import credit_spans, in_spans

__all__ = ["link"]

#: prior confidence by internal frame (calibrate() maps the record's features to a probability)
CONF = {"quote": 0.9, "c": 0.8, "according": 0.85, "colon": 0.7, "x": 0.6, "o": 0.5, "p": 0.5,
        "paren": 0.75, "noun": 0.55}
_LABEL_LINE = re.compile(r"^[ \t]*([A-Z][A-Z'’ &-]{1,40}):[ \t]+(\S[^\n]*)$", re.M)


def link(doc: Doc, cues: list[CueMatch], quotes: list[Quote], *, text: str | None = None,
         continue_across_paragraphs: bool = True, debug: bool = False) -> list[dict[str, Any]]:
    """Pair cues with contents and sources; attach unclaimed quotations; build the dicts.

    Uses the quotations ``find_contents`` gave each cue (``CueMatch.quotes``).
    ``continue_across_paragraphs``: a quotation opening the paragraph after a
    speaker's quotation continues it ('"X," he said.\\n\\n"Y."'). ``debug``: each
    record also gets ``debug_frame`` (kind:category:internal frame).
    """
    text = doc.text if text is None else text
    kept = [c for c in cues if c.content]
    # "has refused to endorse X": the inner cue absorbed the outer verb; drop the outer
    kept = [c for c in kept if not any(o is not c and o.start <= c.head < o.end and o.head != c.head
                                       for o in kept)]
    _attach_unclaimed(doc, text, cues, quotes, kept, continue_across_paragraphs)
    kept.sort(key=lambda c: c.start)
    out = _records(doc, text, kept, quotes, debug)
    _collapse_relays(out)
    return out


# ----------------------------------------------------------------------------- unclaimed quotations

def _attach_unclaimed(doc: Doc, text: str, cues: list[CueMatch], quotes: list[Quote], kept: list[CueMatch],
                      continue_across_paragraphs: bool) -> None:
    """Give each double or dash quotation no kept content covers to its host cue (which
    joins ``kept`` if it had no content yet)."""
    owner = {id(q): c for c in cues for q in c.quotes}
    # a speech cue may claim a quotation next to it even when the parse missed it
    claimed = _claimed(kept, quotes)
    speech = [c for c in cues if c.kind == "verb" and c.category == "speech"]
    for q in quotes:
        if id(q) in claimed or q.dash is False and not q.double:
            continue
        host = _host_for_quote(doc, text, q, quotes, owner, kept, speech, continue_across_paragraphs)
        if host is None:
            continue
        if host.content:
            host.content = merge(host.content + q.spans)
        else:
            host.content = list(q.spans)
            host.frame = "quote"
            kept.append(host)
        claimed.add(id(q))


def _claimed(cues: list[CueMatch], quotes: list[Quote]) -> set[int]:
    """``id`` of every quotation lying inside some cue's content fragment."""
    claimed = set()
    for q in quotes:
        for c in cues:
            if any(s <= q.start and q.end <= e for s, e in c.content):
                claimed.add(id(q))
                break
    return claimed


def _host_for_quote(doc: Doc, text: str, q: Quote, quotes: list[Quote], owner: dict[int, CueMatch],
                    kept: list[CueMatch], speech: list[CueMatch],
                    continue_across_paragraphs: bool = True) -> CueMatch | None:
    """The cue an unclaimed quotation belongs to, or None (scare quote, title).

    ``owner``: the cue ``assign_quotes`` gave each quotation, by ``id`` of the quotation.
    """
    sq = doc.char_span(q.start, q.end, alignment_mode="expand")
    if sq is None:
        return None
    # 1. the speech cue assign_quotes gave it
    if id(q) in owner:
        return owner[id(q)]
    if len(text[q.start:q.end].split()) < 4:
        return None  # short fragments without a cue: scare quotes, titles
    return _colon_intro_host(doc, text, q, sq.start, speech) \
        or _continued_quote_host(doc, text, q, quotes, kept, continue_across_paragraphs) \
        or _reporting_after_host(doc, text, q, sq.end, speech)


def _colon_intro_host(doc: Doc, text: str, q: Quote, qstart: int, speech: list[CueMatch]) -> CueMatch | None:
    """2. 'X said:' / 'X added:' in the sentence just before (``qstart``: the quotation's
    first token)."""
    first_sent = doc[qstart].sent
    prev_end = first_sent.start
    if prev_end > 0:
        prev = doc[prev_end - 1].sent
        ptxt = text[prev.start_char:q.start].rstrip()
        if ptxt.endswith(":"):
            for c in speech:
                if prev.start <= c.head < prev.end and c.head < qstart:
                    return c
    return None


def _continued_quote_host(doc: Doc, text: str, q: Quote, quotes: list[Quote], kept: list[CueMatch],
                          continue_across_paragraphs: bool) -> CueMatch | None:
    """3. a quote continuing the previous quotation of the same speaker ('"X," he said. "Y."')
    inside the same paragraph, or opening the next one ('"X," he said.\\n\\n"Y."')."""
    para_start, _ = paragraph(text, q.start, q.end)
    prev_hosts = [c for c in kept if c.content and c.content[-1][1] <= q.start
                  and not any(qq.start <= doc[c.head].idx < qq.end for qq in quotes)]
    if not prev_hosts:
        return None
    c = max(prev_hosts, key=lambda c: c.content[-1][1])
    gap = text[c.content[-1][1]:q.start]
    same_para = c.content[-1][1] >= para_start and "\n" not in gap
    next_para = q.start == para_start and gap.count("\n") <= 2 and continue_across_paragraphs
    if (same_para or next_para) and len(gap.strip()) < 120 \
            and any(text[s:e].lstrip()[:1] in DOUBLE_QUOTE_CHARS for s, e in c.content):
        return c
    return None


def _reporting_after_host(doc: Doc, text: str, q: Quote, qend: int, speech: list[CueMatch]) -> CueMatch | None:
    """4. the next sentence is a bare reporting clause ('"..." She said so.'); ``qend``: the
    token after the quotation."""
    last_sent = doc[qend - 1].sent
    _, para_end = paragraph(text, q.start, q.end)
    if last_sent.end < len(doc):
        nxt = doc[last_sent.end].sent
        for c in speech:
            if nxt.start <= c.head < nxt.end and not c.content and end_char(doc, nxt) <= para_end \
                    and len(nxt) <= 8:
                return c
    return None


# ----------------------------------------------------------------------------- records

def _records(doc: Doc, text: str, kept: list[CueMatch], quotes: list[Quote], debug: bool) -> list[dict[str, Any]]:
    """One dict per kept cue, identical (cue, content) pairs once."""
    credits = merge(credit_spans(text) + _furniture_lines(text))
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int, int]] = set()
    for c in kept:
        if c.kind == "noun" and c.source is None:
            continue  # "support for X" with nobody named: too often not an attribution
        frags = [(s, e) for s, e in c.content if e > s]
        if not frags:
            continue
        cue_chars = chars(doc, c.start, c.end)
        frags = _outside_cue(text, cue_chars, frags, quotes)
        if not frags:
            continue
        key = (cue_chars[0], frags[0][0], frags[-1][1])
        if key in seen:
            continue
        seen.add(key)
        record = _record(doc, text, c, cue_chars, frags, quotes, credits)
        if record is None:
            continue
        if debug:
            record["debug_frame"] = f"{c.kind}:{c.category}:{c.frame}"
        out.append(record)
    return out


def _outside_cue(text: str, cue_chars: tuple[int, int], frags: list[tuple[int, int]],
                 quotes: list[Quote]) -> list[tuple[int, int]]:
    """A single content fragment whose hull holds the cue (but not wholly) is cut to the
    side of the cue it starts on."""
    cs, ce = cue_chars
    cstart, cend = frags[0][0], frags[-1][1]
    if cstart < ce and cs < cend and not any(s <= cs and ce <= e for s, e in frags) and len(frags) == 1:
        frags = [(cstart, cs)] if cs > cstart else [(ce, cend)]
        frags = [trim_chars(text, s, e, quotes) for s, e in frags]
        frags = [f for f in frags if f[1] > f[0]]
    return frags


def _record(doc: Doc, text: str, c: CueMatch, cue_chars: tuple[int, int], frags: list[tuple[int, int]],
            quotes: list[Quote], credits: list[tuple[int, int]]) -> dict[str, Any] | None:
    """The record of one cue, or None when its content lies on a credit or furniture line."""
    cs, ce = cue_chars
    cstart, cend = frags[0][0], frags[-1][1]
    src = chars(doc, *c.source) if c.source and c.source[1] > c.source[0] else None
    if src and cstart <= src[0] and src[1] <= cend and len(frags) == 1:
        src = None
    via = chars(doc, *c.via) if c.via and c.via[1] > c.via[0] else None
    kind = speech_kind(text, frags, quotes)
    if src and "\n" in text[min(src[1], cs):max(src[0], ce)]:
        src = None  # a heading or the line before: never the source of this cue
    if src and in_spans(credits, src[0], src[1]):
        src = None  # a byline, credit or reporting line is not a speaker
    if in_spans(credits, cstart, cstart + 1) or in_spans(credits, cs, ce):
        return None  # a credit or furniture line is not a statement
    frame, statement, negated = classify(doc, text, internal_frame=c.frame, cue_kind=c.kind,
                                         category=c.category, cue_tokens=(c.start, c.end),
                                         head=c.head, frags=frags, kind=kind, source=src)
    return {
        "kind": kind,
        "cue": [cs, ce],
        "content": [cstart, cend],
        "content_spans": [[s, e] for s, e in frags],
        "source": list(src) if src else None,
        "via": list(via) if via else None,
        "confidence": _prior_confidence(c, kind, src is not None),
        "source_entity": None,
        "via_entity": None,
        "statement": statement,
        "negated": negated,
        "frame": frame,
        "category": c.category or None,
    }


def _prior_confidence(c: CueMatch, kind: str, has_source: bool) -> float:
    """The rule-based prior by frame (``CONF``), before calibration."""
    conf = CONF.get(c.frame, 0.5)
    if c.frame in ("c", "paren") and kind != "indirect":
        conf = max(conf, CONF["quote"])
    if c.category in ("belief", "intention", "evaluation") and c.kind == "verb":
        conf -= 0.1
    if not has_source:
        conf -= 0.1
    return round(max(0.05, min(1.0, conf)), 2)


def _collapse_relays(out: list[dict[str, Any]]) -> None:
    """A reporting chain is one statement: "Lavrov said, according to AFP, that ..." is
    recorded on the inner attribution (source Lavrov, via AFP); the outer relay record
    (source AFP, "according to", content holding the inner cue) stays for the broad
    PolNeAR-style scope but is not a statement of its own."""
    for inner in out:
        if not inner["via"] or not inner["cue"]:
            continue
        cs, ce = inner["cue"]
        for o in out:
            if o is not inner and o["statement"] and o["source"] == inner["via"] \
                    and o["content"][0] <= cs and ce <= o["content"][1]:
                o["statement"] = False


def _furniture_lines(text: str) -> list[tuple[int, int]]:
    """Lines opened by an upper-case label that names nobody and ending without sentence
    punctuation: links and section furniture ("READ MORE: Budget won't balance, says PBO",
    "WATCH: ..."). A transcript label is a name the article also writes in ordinary case
    ("TRUMP: We will win." has "Trump" elsewhere) and is kept."""
    out = []
    for m in _LABEL_LINE.finditer(text):
        label, rest = m.group(1).strip(), m.group(2).rstrip()
        if len(label) < 2 or rest[-1:] in ".!?\"”’":
            continue
        name = label.title()
        if re.search(r"\b" + re.escape(name) + r"\b", text):
            continue
        out.append((m.start(), m.end()))
    return out
