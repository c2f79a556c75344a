"""Stage 3 of the attribution finder: contents (``find_contents``).

Reads the parse, ``doc.text``, the quotations of stage 1 and the cues of stage
2; writes, in place on each cue, ``cue.quotes`` (the quotations
``assign_quotes`` gives it), ``cue.content`` (character fragments) and
``cue.frame`` (the internal frame code), and may move ``cue.end`` or set
``cue.lead_via``. Verb and adjective cues find their content through the
frame table of ``attr_frames.py``; ``according to`` and noun cues here. Every
content is then cut (a trailing "..., according to ...", ", claiming ...",
"and added ...", a closing ", which ..."), kept in one paragraph, and grown to
cover the quotations it touches.

``cut_dash_quotes`` also lives here: between stages 2 and 3 it ends a
paragraph-initial dash quotation where its reporting clause starts.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span, Token

from newsgraph.analyze.attr_cues import CORE_SPEECH, LEAD_CONJUNCTIONS, CueMatch, is_speech_verb
from newsgraph.analyze.attr_frames import verb_content
from newsgraph.analyze.attr_quotes import DASHES, Quote, find_quotes
from newsgraph.analyze.attr_sources import verb_source
from newsgraph.analyze.attr_spans import (
    SUBJ_DEPS,
    chars,
    end_char,
    grow_to_quotes,
    merge,
    paragraph,
    split_at_quote_gaps,
    subtree_span,
    trim_chars,
    trim_tokens,
)
from newsgraph.analyze.lexicon import Lexicon

__all__ = ["assign_quotes", "cut_dash_quotes", "find_contents"]

#: "... and added that ...": a second speech verb joined to the cue starts another content
CHAIN_SPEECH = {"add", "say", "note", "explain", "insist", "argue", "continue", "warn", "stress",
                "claim", "suggest", "acknowledge", "admit", "predict"}
DASH_TOKENS = tuple(DASHES)  # "–", "—" as tokens


def cut_dash_quotes(doc: Doc, quotes: list[Quote], cues: list[CueMatch], *,
                    text: str | None = None) -> list[Quote]:
    """End a dash quote where its reporting clause starts ('– ..., said the president.')."""
    if text is None:
        text = doc.text if any(q.dash for q in quotes) else ""
    out = []
    for q in quotes:
        if q.dash:
            q = _cut_dash_quote(doc, text, q, cues)
        out.append(q)
    return out


def _cut_dash_quote(doc: Doc, text: str, q: Quote, cues: list[CueMatch]) -> Quote:
    for c in cues:
        if c.kind != "verb" or c.category != "speech":
            continue
        verb = doc[c.head]
        subj = next((k for k in verb.children if k.dep_ in SUBJ_DEPS and k.i < verb.i), None)
        lo = min(c.start, subj.left_edge.i) if subj is not None else c.start
        if not q.start < doc[lo].idx < q.end or lo == 0 or doc[lo - 1].text not in (",", *DASH_TOKENS):
            continue
        end = doc[lo - 1].idx
        while end > q.start and text[end - 1].isspace():
            end -= 1
        return Quote(q.start, end, double=False, dash=True)
    return q


# ----------------------------------------------------------------------------- the stage

def find_contents(doc: Doc, cues: list[CueMatch], quotes: list[Quote] | None = None, *, lexicon: Lexicon,
                  text: str | None = None, max_sentence_gap: int = 1, cut_trailing_participles: bool = True,
                  cut_final_nonrestrictive: bool = True) -> None:
    """Fill ``cue.content`` (character fragments), ``cue.frame`` and ``cue.quotes`` in place.

    ``max_sentence_gap``: see ``assign_quotes``. ``cut_trailing_participles``: a
    trailing participle clause (", putting them ahead") is not the content;
    ``cut_final_nonrestrictive``: nor a closing ", which ..." or appositive.
    """
    text = doc.text if text is None else text
    if quotes is None:
        quotes = find_quotes(text)
    owner = assign_quotes(doc, cues, quotes, lexicon=lexicon, text=text, max_sentence_gap=max_sentence_gap)
    for cue in cues:
        cue.quotes = []
    for k, q in enumerate(quotes):
        if k in owner:
            owner[k].quotes.append(q)
    for cue in cues:
        if cue.kind == "colon":
            cue.content = [f for f in (trim_chars(text, a, b, quotes) for a, b in cue.content) if f[1] > f[0]]
            continue
        _parse_content(doc, text, cue, lexicon)
        if cue.content and cue.kind == "verb":
            cue.content = _cut_leading_according(doc, cue)
        if cue.content and cue.kind != "according":
            cue.content = _cut_trailing(doc, cue, lexicon, cut_trailing_participles, cut_final_nonrestrictive)
        if cue.content and cue.kind != "colon":
            cue.content = _clip_paragraph(text, doc, cue)
        if cue.content:
            cue.content = _cover_quotes(doc, text, cue, quotes)


def _parse_content(doc: Doc, text: str, cue: CueMatch, lexicon: Lexicon) -> None:
    """The content the parse gives the cue, by its kind (light-verb and framing cues
    got theirs with the cue)."""
    if cue.frame in ("light", "framing"):
        return
    if cue.kind == "according":
        _according_content(doc, cue)
    elif cue.kind in ("verb", "adj"):
        _verb_content_in_paragraph(doc, text, cue, lexicon)
    elif cue.kind == "noun":
        _noun_content(doc, cue)


def _verb_content_in_paragraph(doc: Doc, text: str, cue: CueMatch, lexicon: Lexicon) -> None:
    """``verb_content``, refusing a parse-derived complement wholly in another paragraph."""
    verb_content(doc, text, cue, lexicon)
    if cue.content and cue.frame != "quote" and _off_paragraph(text, doc, cue):
        # the parse ran the sentence over a paragraph break ('... Clinton said.\n\n"I
        # will ..."'): that complement is not the cue's; try the other frames
        frames, skip = cue.frames, "c" if cue.frame == "paren" else cue.frame
        cue.content, cue.frame = [], ""
        cue.frames = tuple(f for f in frames if f != skip)
        verb_content(doc, text, cue, lexicon)
        cue.frames = frames
        if cue.content and _off_paragraph(text, doc, cue):
            cue.content, cue.frame = [], ""


def _cover_quotes(doc: Doc, text: str, cue: CueMatch, quotes: list[Quote]) -> list[tuple[int, int]]:
    """Grow each fragment over the quotations it touches (not one holding the cue), trim
    it, merge, and leave out the paragraph breaks of a quotation running over several."""
    frags = []
    cue_at = doc[cue.head].idx
    for s, e in cue.content:
        s, e = grow_to_quotes(text, s, e, quotes, cue_at)
        s, e = trim_chars(text, s, e, quotes)
        if e > s:
            frags.append((s, e))
    return split_at_quote_gaps(merge(frags), quotes)


# ----------------------------------------------------------------------------- quotations to cues

def assign_quotes(doc: Doc, cues: list[CueMatch], quotes: list[Quote], *, lexicon: Lexicon,
                  text: str | None = None, max_sentence_gap: int = 1) -> dict[int, CueMatch]:
    """Give each quotation to the most plausible speech cue near it (index -> cue).

    Candidates are speech verbs outside every quotation, in a sentence the
    quotation overlaps, in the sentence just before when that one ends with a
    colon, or in a short reporting sentence right after it in the same
    paragraph (the sentences before and after only when ``max_sentence_gap`` >= 1).
    The nearest wins; a verb without a subject, or that is not a plain
    reporting verb, is pushed back.
    """
    text = doc.text if text is None else text
    owner: dict[int, CueMatch] = {}
    cands = [c for c in cues if c.kind == "verb" and "q" in c.frames]
    if not cands or not quotes:
        return owner
    cands = _outside_quotes(doc, cands, quotes)
    for k, q in enumerate(quotes):
        best = _owner_of(doc, text, q, cands, lexicon, max_sentence_gap)
        if best is not None:
            owner[k] = best
    return owner


def _outside_quotes(doc: Doc, cands: list[CueMatch], quotes: list[Quote]) -> list[CueMatch]:
    """The cues whose head lies outside every quotation."""
    qstarts = [q.start for q in quotes]
    inside = set()
    for c in cands:
        ci = doc[c.head].idx
        k = bisect.bisect_right(qstarts, ci) - 1
        if k >= 0 and quotes[k].start <= ci < quotes[k].end:
            inside.add(id(c))
    return [c for c in cands if id(c) not in inside]


def _owner_of(doc: Doc, text: str, q: Quote, cands: list[CueMatch], lexicon: Lexicon,
              max_sentence_gap: int) -> CueMatch | None:
    """The nearest plausible candidate for one quotation, or None."""
    sq = doc.char_span(q.start, q.end, alignment_mode="expand")
    if sq is None or len(sq) == 0:
        return None
    s0, s1 = doc[sq.start].sent, doc[sq.end - 1].sent
    lo, hi = s0.start, s1.end
    pa, pb = paragraph(text, q.start, q.end)
    if s0.start > 0 and max_sentence_gap >= 1:
        prev = doc[s0.start - 1].sent
        between = text[prev.end_char:q.start]
        if text[prev.start_char:q.start].rstrip().endswith(":") \
                or ("\n" not in between and q.start - prev.start_char < 400
                    and any(c.head >= prev.end - 3 and prev.start <= c.head for c in cands)):
            lo = prev.start
    if s1.end < len(doc) and max_sentence_gap >= 1:
        nxt = doc[s1.end].sent
        if len(nxt) <= 10 and end_char(doc, nxt) <= pb:
            hi = nxt.end
    colon_intro = text[:q.start].rstrip().endswith(":")
    pa_prev = text.rfind("\n", 0, max(0, pa - 1)) + 1 if colon_intro else pa
    best = None
    for c in cands:
        if not lo <= c.head < hi:
            continue
        ci = doc[c.head].idx
        if not pa_prev <= ci < pb:
            continue  # another paragraph (unless it ends 'X said:')
        d = q.start - ci if ci < q.start else ci - q.end
        if d < 0:
            continue
        d += _owner_penalty(doc, c, lexicon)
        if best is None or d < best[0]:
            best = (d, c)
    return best[1] if best is not None else None


def _owner_penalty(doc: Doc, c: CueMatch, lexicon: Lexicon) -> int:
    """Characters added to a candidate's distance: no subject, not speech, not a plain
    reporting verb."""
    d = 0
    if verb_source(doc, doc[c.head], lexicon) is None:
        d += 200
    if c.category != "speech":
        d += 300
    if doc[c.head].lemma_.lower() not in CORE_SPEECH:
        d += 60
    return d


# ----------------------------------------------------------------------------- according to, nouns

def _according_content(doc: Doc, cue: CueMatch) -> None:
    """'According to X, Y' / 'Y, according to X': the sentence minus the phrase; the
    source is X."""
    to = doc[cue.start + 1] if cue.end - cue.start == 2 else doc[cue.start]
    sent = doc[cue.start].sent
    ss, se = sent.start, sent.end
    lead = all(doc[k].is_punct or doc[k].lower_ in LEAD_CONJUNCTIONS for k in range(ss, cue.start))
    comma = next((k for k in range(cue.end, se) if doc[k].text == ","), None) if lead else None
    if comma is not None and comma > cue.end:
        # "According to X, Y.": the phrase ends at the first comma (sturdier than the parse)
        ps, pe = cue.start, comma
        cue.source = trim_tokens(doc, cue.end, comma)
    else:
        pobj = next((c for c in to.children if c.dep_ in ("pobj", "pcomp")), None)
        if pobj is None:
            return
        ps, pe = cue.start, max(pobj.right_edge.i + 1, cue.end)
        cue.source = trim_tokens(doc, pobj.left_edge.i, pe)
    # content: the sentence minus the phrase (and the commas around it)
    before = trim_tokens(doc, ss, ps)
    after = trim_tokens(doc, pe, se)
    frags = [before, after]
    frags = [f for f in frags if f[1] > f[0]]
    if not frags:
        return
    cue.content = [chars(doc, s, e) for s, e in frags]
    cue.frame = "according"


def _noun_content(doc: Doc, cue: CueMatch) -> None:
    """A noun cue's that-clause ("his claim that Y"), to-infinitive ("a plan to Y") or
    object of one of its prepositions right after it ("support for Y")."""
    noun = doc[cue.head]
    for c in noun.children:
        if c.i < noun.i:
            continue
        if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that"
                                                       for m in c.children):
            if "c" in cue.frames:
                cue.content = [chars(doc, *subtree_span(c))]
                cue.frame = "noun"
                return
        if c.dep_ == "acl" and "x" in cue.frames and any(m.dep_ == "aux" and m.lower_ == "to"
                                                         for m in c.children):
            cue.content = [chars(doc, *subtree_span(c))]
            cue.frame = "noun"
            return
        if c.dep_ == "prep" and c.lower_ in cue.preps and c.i == noun.i + 1:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                cue.end = c.i + 1
                cue.content = [chars(doc, *subtree_span(pobj))]
                cue.frame = "noun"
                return


# ----------------------------------------------------------------------------- cutting and clipping

def _cut_leading_according(doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
    """"X said, according to Y, that ...": when the parse hung "according to Y" inside the
    reported clause, the content starts with it. Y is the channel (``lead_via``); the
    content starts after it."""
    s, e = cue.content[0]
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) < 4:
        return cue.content
    i = span.start
    while i < span.end and doc[i].is_punct:
        i += 1
    if not (i + 2 < span.end and doc[i].lower_ == "according" and doc[i + 1].lower_ == "to"
            and i - cue.end <= 1):
        return cue.content
    j = i + 2
    while j < span.end and doc[j].text not in (",", *DASH_TOKENS) and doc[j].lower_ != "that":
        j += 1
    if j == i + 2 or j >= span.end:
        return cue.content
    cue.lead_via = (i + 2, j)
    k = j + (1 if doc[j].text in (",", *DASH_TOKENS) else 0)
    if k >= span.end:
        return cue.content
    return [(doc[k].idx, e), *cue.content[1:]]


def _cut_trailing(doc: Doc, cue: CueMatch, lexicon: Lexicon, participles: bool,
                  nonrestrictive: bool) -> list[tuple[int, int]]:
    """Cut each fragment before another attribution or a tail that is not the content."""
    out = []
    for s, e in cue.content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            e = _trailing_cut(doc, cue, span, e, lexicon, participles, nonrestrictive)
        out.append((s, e))
    return out


def _trailing_cut(doc: Doc, cue: CueMatch, span: Span, e: int, lexicon: Lexicon, participles: bool,
                  nonrestrictive: bool) -> int:
    """The end of one fragment: before "... and added ...", a closing ", which ..." or
    appositive (``nonrestrictive``), ", as the Times reported", ", according to ...", or a
    trailing participle clause (a lexicon verb; with ``participles`` any adverbial one)."""
    for t in span[1:]:
        if t.i + 1 >= len(doc):
            continue
        nxt = doc[t.i + 1]
        if t.lower_ == "and" and nxt.dep_ == "conj" and nxt.pos_ == "VERB" \
                and nxt.head.i != cue.head and nxt.head.head.i == cue.head \
                and not any(c.dep_ in SUBJ_DEPS for c in nxt.children) \
                and (nxt.lemma_ in CHAIN_SPEECH or is_speech_verb(lexicon, nxt.lemma_)):
            return doc[t.i - 1].idx + len(doc[t.i - 1].text)  # "... and added that ..."
        if nonrestrictive and _closing_nonrestrictive(doc, t, span, e):
            return doc[t.left_edge.i - 1].idx  # "..., which passed the Senate" at the end
        if doc[t.i - 1].text != ",":
            continue
        if t.lower_ == "as" and t.dep_ == "mark" and t.head.dep_ == "advcl" and t.head.i > cue.head \
                and is_speech_verb(lexicon, t.head.lemma_) \
                and any(c.dep_ in SUBJ_DEPS for c in t.head.children) \
                and t.head.right_edge.idx + len(t.head.right_edge.text) >= e - 1:
            return doc[t.i - 1].idx  # "..., as the Times reported": another attribution
        if t.lower_ == "according" and doc[t.i + 1].lower_ == "to" or \
                t.tag_ == "VBG" and t.dep_ in ("advcl", "xcomp", "conj") and t.head.i < t.i \
                and t.i > cue.head and (lexicon.verb(t.lemma_) is not None
                                        or participles and t.dep_ == "advcl"):
            return doc[t.i - 1].idx
    return e


def _closing_nonrestrictive(doc: Doc, t: Token, span: Span, e: int) -> bool:
    """``t`` heads a ", which ..." / ", who ..." relative clause or an appositive set off by a
    comma or dash that runs to the end of the fragment."""
    return t.dep_ in ("relcl", "appos") \
        and doc[t.left_edge.i - 1].text in (",", *DASH_TOKENS, "--") and t.left_edge.i - 1 > span.start \
        and t.right_edge.idx + len(t.right_edge.text) >= e - 1 \
        and (t.dep_ == "appos" or doc[t.left_edge.i].lower_ in ("which", "who"))


def _off_paragraph(text: str, doc: Doc, cue: CueMatch) -> bool:
    """No fragment of the content touches the cue's paragraph."""
    pa, pb = paragraph(text, doc[cue.head].idx)
    return all(e <= pa or s >= pb for s, e in cue.content)


def _clip_paragraph(text: str, doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
    """A parse-derived content stays in one paragraph: the cue's, or the nearest one
    (the small model sometimes runs a sentence over a paragraph break)."""
    ci = doc[cue.head].idx
    out = []
    for s, e in cue.content:
        if "\n" not in text[s:e]:
            out.append((s, e))
            continue
        pieces, a = [], s
        for k in range(s, e):
            if text[k] == "\n":
                pieces.append((a, k))
                a = k + 1
        pieces.append((a, e))
        pieces = [(x, y) for x, y in pieces if text[x:y].strip()]
        if not pieces:
            continue
        best = min(pieces, key=lambda p: 0 if p[0] <= ci <= p[1] else min(abs(ci - p[0]), abs(ci - p[1])))
        out.append(best)
    return out
