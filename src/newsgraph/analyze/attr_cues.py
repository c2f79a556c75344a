"""Stage 2 of the attribution finder: cues (``find_cues``).

Reads the parse (``Doc``), ``doc.text``, the quotations of stage 1 and the cue
lexicon (``lexicon.py``); writes a list of :class:`CueMatch`, one per cue
candidate, in textual order. A few constructions carry their content (and
source) with the cue, because the cue alone decides them: hearsay adverbs,
framing prepositions, light verbs and the headline colon. For the rest,
``attr_contents.py`` and ``attr_sources.py`` fill the other fields later.

Also home of the word lists more than one stage uses (``MEDIUM_NOUNS``,
``WEEKDAYS``, ``CORE_SPEECH``, ``NO_SOURCE_WORDS``, ``LEAD_CONJUNCTIONS``): they say
what a cue and its extent are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.analyze.attr_quotes import QUOTE_CHARS, Quote
from newsgraph.analyze.attr_spans import chars, subtree_span, trim_tokens
from newsgraph.analyze.lexicon import Cue as LexCue
from newsgraph.analyze.lexicon import Lexicon
from newsgraph.vocab import WEEKDAYS as VOCAB_WEEKDAYS

__all__ = ["CueMatch", "find_cues", "is_speech_verb", "statement_participle"]


@dataclass
class CueMatch:
    """A cue found in the text (token offsets; ``end`` exclusive)."""

    start: int
    end: int
    head: int
    kind: str  # "verb" | "adj" | "noun" | "according" | "colon"
    category: str
    frames: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    # filled by find_contents / find_sources
    content: list[tuple[int, int]] = field(default_factory=list)  # char fragments
    frame: str = ""
    source: tuple[int, int] | None = None  # token span
    via: tuple[int, int] | None = None  # token span
    lead_via: tuple[int, int] | None = None  # "said, according to X, that ...": X, cut from the content
    quotes: list[Quote] = field(default_factory=list)  # the quotations assign_quotes gave this cue


# ----------------------------------------------------------------------------- vocabulary
# shared with the other stages
#: "said in a statement": the medium belongs to the cue, not to the content
MEDIUM_NOUNS = {"statement", "interview", "tweet", "post", "email", "letter", "speech", "release",
                "op-ed", "remark", "memo", "message", "call", "conference", "video", "column"}
#: "said Sunday", "said yesterday": the day belongs to the cue, not to the content
WEEKDAYS = {*VOCAB_WEEKDAYS, "yesterday", "today", "tonight"}
#: plain reporting verbs (preferred owners of a quotation; "said David Brock" inverted)
CORE_SPEECH = {"say", "tell", "add", "write", "tweet", "state", "declare", "explain", "continue",
               "ask", "reply", "respond", "answer", "note", "insist", "argue", "claim", "warn",
               "post", "exclaim", "joke", "quip", "recall", "observe"}
#: subjects that name nobody
NO_SOURCE_WORDS = {"it", "there", "this", "that", "which", "what"}
#: a sentence may open with these and still be led by a framing phrase ("But according to X, ...")
LEAD_CONJUNCTIONS = ("but", "and", "yet", "so")

# this stage's own
CUE_LEFT_DEPS = ("aux", "auxpass", "neg", "advmod")
WH_TAGS = ("WRB", "WDT", "WP")
MAX_HEADLINE_CHARS = 200
FINDING_NOUNS = {"poll", "survey", "study", "average", "analysis", "estimate", "data", "count", "tally",
                 "book", "memoir", "view", "opinion", "mind", "judgment", "estimation", "assessment"}
STATEMENT_NOUNS = MEDIUM_NOUNS | {"statement", "report", "memo", "note", "ad", "advertisement", "document", "filing"}
HEARSAY_ADVERBS = {"reportedly", "allegedly", "purportedly", "supposedly"}
LIGHT_VERBS = {"make", "take", "have", "express", "voice", "raise", "launch", "level", "lodge", "pose", "register"}
LIGHT_NOUNS = {"case", "statement", "comment", "remark", "argument", "shot", "swipe", "jab", "dig", "stance", "stand",
               "position", "claim", "accusation", "point", "pitch", "plea", "appeal", "attack", "concern", "doubt",
               "question", "objection", "complaint", "criticism", "praise", "reservation", "qualm", "view",
               "opinion", "feeling", "issue", "problem", "aim", "decision", "note", "allegation", "charge",
               "warning", "prediction", "promise", "pledge", "commitment", "interest", "offense", "offence",
               "exception", "umbrage", "suspicion", "worry", "fear", "frustration", "anger", "confidence"}
LIGHT_PREPS = {"for", "on", "about", "against", "at", "to", "of", "over", "with", "toward", "towards", "regarding"}
GENERIC_ADJ_PREPS = {"about", "of", "with", "over", "toward", "towards", "on", "at", "against", "by"}
GENERIC_ADJ_STOP = {"able", "likely", "unlikely", "full", "free", "close", "similar", "due", "capable", "guilty",
                    "responsible", "home", "part", "true", "typical", "available", "aware", "next", "prior",
                    "subject", "short", "ahead", "behind", "independent", "different"}
LEMMA_FIXES = {"hop": "hope", "retweete": "retweet"}  # the small model's lemmatiser slips
#: NER labels of a speaker named before a headline colon
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
GENERIC_ADJ_THAT = LexCue("", "adj", "belief", ("c",), (), "generic adjective + that-clause")
GENERIC_THAT = LexCue("", "verb", "belief", ("c",), (), "any verb with a subject and a that-clause")


def is_speech_verb(lexicon: Lexicon, lemma: str) -> bool:
    """A lexicon verb of the speech category ("say", "add"; not "believe")."""
    entry = lexicon.verb(lemma)
    return entry is not None and entry.category == "speech"


# ----------------------------------------------------------------------------- the stage

def find_cues(doc: Doc, quotes: list[Quote] | None = None, *, lexicon: Lexicon, text: str | None = None,
              generic_that: bool = True, generic_adjectives: bool = True) -> list[CueMatch]:
    """Every cue candidate, in textual order (content and source still empty, except
    for the constructions that carry them with the cue).

    With ``quotes``, a verb outside the lexicon also counts when it frames a
    quotation directly ('Rubio fired back: "..."', '"...," the crowd roared.').
    ``generic_that``/``generic_adjectives``: also take verbs with a that-clause and
    predicative adjectives with an attitude preposition that the lexicon lacks.
    """
    text = doc.text if text is None else text
    cues: list[CueMatch] = []
    for tok in doc:
        cue = _cue_at(doc, text, tok, lexicon, generic_that, generic_adjectives)
        if cue is not None:
            cues.append(cue)
    cues.extend(_headline_colons(doc, text))
    if quotes:
        have = {c.head for c in cues}
        cues.extend(c for c in _quote_framing_verbs(doc, text, quotes) if c.head not in have)
    cues.sort(key=lambda c: c.start)
    return cues


def _cue_at(doc: Doc, text: str, tok: Token, lexicon: Lexicon, generic_that: bool,
            generic_adjectives: bool) -> CueMatch | None:
    """The cue ``tok`` heads, if any (the first construction that claims the token decides)."""
    low = tok.lower_
    n = len(doc)
    if low == "according" and tok.i + 1 < n and doc[tok.i + 1].lower_ == "to":
        return CueMatch(tok.i, tok.i + 2, tok.i, "according", "speech")
    if low == "in" and tok.i == tok.sent.start and tok.dep_ == "prep":
        return _finding_intro(tok)
    if low in HEARSAY_ADVERBS and tok.dep_ == "advmod" and tok.head.pos_ in ("VERB", "AUX"):
        return _hearsay_cue(doc, text, tok)
    if low in ("in", "to") and tok.dep_ == "prep":
        return _framing_prep(doc, tok)
    if tok.pos_ == "VERB" and tok.lemma_ == "put" and tok.dep_ == "advcl" \
            and tok.i + 1 < n and doc[tok.i + 1].lower_ == "it" and doc[tok.i + 1].dep_ == "dobj":
        s, _ = _verb_cue_extent(doc, tok)  # "as Trump put it, ..."
        return CueMatch(s, tok.i + 2, tok.i, "verb", "speech", ("c",), ())
    if tok.pos_ == "VERB":
        return _verb_cue(doc, tok, lexicon, generic_that)
    if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "oprd"):
        return _adjective_cue(tok, lexicon, generic_adjectives)
    if tok.pos_ == "NOUN":
        entry = lexicon.noun(tok.lemma_)
        if entry is None:
            return None
        return CueMatch(tok.i, tok.i + 1, tok.i, "noun", entry.category, entry.frames, entry.preps)
    return None


def _finding_intro(tok: Token) -> CueMatch | None:
    """'In a new poll, 52 percent said ...': the poll is the source."""
    pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is not None and pobj.lemma_.lower() in FINDING_NOUNS:
        return CueMatch(tok.i, tok.i + 1, tok.i, "according", "finding")
    return None


def _hearsay_cue(doc: Doc, text: str, tok: Token) -> CueMatch | None:
    """'X has reportedly looked at Y': hearsay, nobody named; the content is the
    adverb's clause minus the adverb."""
    hs, he = subtree_span(tok.head)
    frags = [f for f in (trim_tokens(doc, hs, tok.i), trim_tokens(doc, tok.i + 1, he)) if f[1] > f[0]]
    if not frags or "\n" in text[doc[hs].idx:doc[he - 1].idx]:
        return None
    cue = CueMatch(tok.i, tok.i + 1, tok.i, "according", "speech")
    cue.content = [chars(doc, a, b) for a, b in frags]
    cue.frame = "framing"
    return cue


def _verb_cue(doc: Doc, tok: Token, lexicon: Lexicon, generic_that: bool) -> CueMatch | None:
    """A light-verb construction, a lexicon verb, or (``generic_that``) a verb with a
    subject and a that-clause; never an adjectival participle."""
    light = _light_verb_cue(doc, tok) if tok.lemma_ in LIGHT_VERBS else None
    if light is not None:
        return light
    entry = lexicon.verb(LEMMA_FIXES.get(tok.lemma_, tok.lemma_))
    if entry is None and generic_that:
        entry = _generic_that_cue(tok)
    if entry is None or tok.dep_ == "amod":
        return None
    s, e = _verb_cue_extent(doc, tok)
    if statement_participle(tok):
        s = _verb_cue_extent(doc, tok.head.head)[0]  # "released a statement saying"
    return CueMatch(s, e, tok.i, "verb", entry.category, entry.frames, entry.preps)


def _adjective_cue(tok: Token, lexicon: Lexicon, generic_adjectives: bool) -> CueMatch | None:
    """A predicative adjective of the lexicon (or, with ``generic_adjectives``, one with a
    named subject and an attitude preposition or that-clause); the cue takes "was" and
    the auxiliaries, negation and adverbs before it."""
    entry = lexicon.adjective(tok.lemma_)
    if entry is None and generic_adjectives:
        entry = _generic_adjective_cue(tok)
    if entry is None:
        return None
    head = tok.head if tok.dep_ != "ROOT" else tok
    s = head.i if head.lemma_ == "be" and head.i < tok.i else tok.i
    left = {c.i for c in head.children if c.dep_ in ("aux", "neg", "advmod") and c.i < s}
    while s - 1 in left:
        s -= 1
    return CueMatch(s, tok.i + 1, tok.i, "adj", entry.category, entry.frames, entry.preps)


def _generic_that_cue(tok: Token) -> LexCue | None:
    """A verb outside the lexicon that takes a 'that'-clause and has a named subject
    ("she figures that ...", "the memo recognized that ...")."""
    if not any(c.dep_ == "nsubj" and c.lower_ not in NO_SOURCE_WORDS for c in tok.children):
        return None
    for c in tok.children:
        if c.dep_ == "ccomp" and c.i > tok.i and any(m.dep_ == "mark" and m.lower_ in ("that", "whether")
                                                     for m in c.children):
            return GENERIC_THAT
    return None


def statement_participle(verb: Token) -> bool:
    """'X released a statement saying ...': the participle reports the statement's
    content; X (the subject of the governing verb) is the source."""
    head = verb.head
    return verb.dep_ == "acl" and verb.tag_ == "VBG" and head.i < verb.i <= head.i + 3 \
        and head.lemma_.lower() in STATEMENT_NOUNS and head.dep_ == "dobj" \
        and head.head.pos_ == "VERB" and head.head.i < head.i


def _framing_prep(doc: Doc, tok: Token) -> CueMatch | None:
    """'X leads in the polls' (source: the polls) and 'To Sexton, X' (source:
    Sexton): the clause the phrase modifies, minus the phrase, is the content."""
    pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    host = tok.head
    if pobj is None or host.pos_ not in ("VERB", "AUX") or host.i < tok.i and tok.lower_ == "to":
        return None
    ps, pe = subtree_span(tok)
    if tok.lower_ == "in":
        if pobj.lemma_.lower() not in ("poll", "survey") or tok.text != "in" or host.dep_ != "ROOT":
            return None
        category = "finding"
        while host.dep_ == "xcomp" and host.head.pos_ in ("VERB", "AUX"):
            host = host.head  # "continues to lead in the polls"
    else:
        lead = all(doc[k].is_punct or doc[k].lower_ in LEAD_CONJUNCTIONS for k in range(tok.sent.start, tok.i))
        if not lead or pobj.pos_ not in ("PROPN", "PRON") or pobj.lower_ in ("date", "it") \
                or pe >= len(doc) or doc[pe].text != ",":
            return None
        category = "belief"
    hs, he = subtree_span(host)
    for k in range(pe, he):  # stop at ", although ...", ", but ..."
        if doc[k].text in (",", ";") and doc[k].head.i == host.i \
                and k + 1 < he and doc[k + 1].dep_ in ("mark", "cc", "advmod"):
            he = k
            break
    frags = [f for f in (trim_tokens(doc, hs, ps), trim_tokens(doc, pe, he)) if f[1] > f[0]]
    if not frags:
        return None
    cue = CueMatch(tok.i, tok.i + 1, tok.i, "according", category)
    cue.content = [chars(doc, a, b) for a, b in frags]
    cue.source = trim_tokens(doc, *subtree_span(pobj))
    cue.frame = "framing"
    return cue


def _light_verb_cue(doc: Doc, tok: Token) -> CueMatch | None:
    """'made the case for X', 'took a shot at X', 'has expressed concern about X',
    'made (it) clear that X': a light verb with an attitude noun (or 'clear'); the
    cue runs from the verb to the preposition, the content is its object."""
    kids = list(tok.children)
    s, _ = _verb_cue_extent(doc, tok)
    if tok.lemma_ == "make":
        clear = _made_clear(doc, tok, kids, s)
        if clear is not None:
            return clear
    obj = next((c for c in kids if c.dep_ == "dobj" and c.i > tok.i), None)
    if obj is None or obj.pos_ != "NOUN" or obj.lemma_.lower() not in LIGHT_NOUNS:
        return None
    prep = next((c for c in obj.children if c.dep_ == "prep" and c.i > obj.i), None) \
        or next((c for c in kids if c.dep_ == "prep" and c.i > obj.i), None)
    if prep is None or prep.lower_ not in LIGHT_PREPS or prep.i > obj.right_edge.i + 1 \
            and prep.head.i == obj.i:
        return None
    if any(doc[k].is_punct for k in range(obj.i, prep.i)):
        return None
    pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return None
    cue = CueMatch(s, prep.i + 1, tok.i, "verb", "evaluation", (), ())
    cue.content = [chars(doc, *subtree_span(pobj))]
    cue.frame = "light"
    return cue


def _made_clear(doc: Doc, tok: Token, kids: list[Token], s: int) -> CueMatch | None:
    """'made (it) clear that X': the cue runs to 'clear', the content is the clause."""
    clear = next((c for c in kids if c.lower_ == "clear" and c.i > tok.i), None)
    comp = next((c for c in kids if c.dep_ == "ccomp" and clear is not None and c.i > clear.i), None) \
        or (clear is not None and next((c for c in clear.children if c.dep_ in ("ccomp", "advcl")
                                        and c.i > clear.i), None))
    if clear is None or comp is None or clear.i > tok.i + 2:
        return None
    cue = CueMatch(s, clear.i + 1, tok.i, "verb", "speech", (), ())
    cue.content = [chars(doc, *subtree_span(comp))]
    cue.frame = "light"
    return cue


def _generic_adjective_cue(tok: Token) -> LexCue | None:
    """'X is furious about Y', 'X was tepid about Y': a predicative adjective outside
    the lexicon with a named subject and an attitude preposition right after it."""
    if tok.dep_ != "acomp" or tok.head.lemma_ != "be" or tok.lemma_.lower() in GENERIC_ADJ_STOP:
        return None
    subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in NO_SOURCE_WORDS or subj.pos_ not in ("PRON", "PROPN", "NOUN"):
        return None
    if any(c.dep_ == "ccomp" and c.i > tok.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
           for c in tok.children):
        return GENERIC_ADJ_THAT  # "X is confident that ..."
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.i == tok.i + 1), None)
    if prep is None or prep.lower_ not in GENERIC_ADJ_PREPS \
            or not any(g.dep_ in ("pobj", "pcomp") for g in prep.children):
        return None
    return LexCue("", "adj", "evaluation", (), (prep.lower_,), "generic adjective + preposition")


def _quote_framing_verbs(doc: Doc, text: str, quotes: list[Quote]) -> list[CueMatch]:
    """Verbs with a subject that frame a double quotation directly: 'Rubio fired back: "..."'
    (the quotation follows the verb after a comma or colon) or '"...," the crowd roared.'
    (the quotation ends right before the subject and the verb closes the sentence)."""
    starts = {q.start for q in quotes if q.double}
    ends = {q.end for q in quotes if q.double}
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or not any(c.dep_ == "nsubj" for c in tok.children):
            continue
        cue = _quote_framing_verb(doc, text, tok, starts, ends)
        if cue is not None:
            out.append(cue)
    return out


def _quote_framing_verb(doc: Doc, text: str, tok: Token, starts: set[int], ends: set[int]) -> CueMatch | None:
    s, e = _verb_cue_extent(doc, tok)
    if any(doc[k].i > tok.i and doc[k].dep_ not in ("prt", "advmod") for k in range(tok.i + 1, e)):
        return None
    k = e
    while k < len(doc) and doc[k].dep_ in ("prt", "advmod") and doc[k].head.i == tok.i:
        k += 1
    after = doc[k - 1].idx + len(doc[k - 1].text)
    rest = text[after:after + 4]
    m = len(rest) - len(rest.lstrip(" ,:\u00a0"))
    prefix = after + m in starts and rest[:m].strip(" \u00a0") in (",", ":")
    subj = next(c for c in tok.children if c.dep_ == "nsubj")
    j = subj.left_edge.idx
    while j > 0 and text[j - 1] in " \u00a0":
        j -= 1
    suffix = subj.i < tok.i and j in ends \
        and (k >= len(doc) or doc[k].text in (".", "!") or doc[k].is_space or doc[k - 1].is_sent_end)
    if not (prefix or suffix):
        return None
    if prefix and k < len(doc) and doc[k].text == ":":
        k += 1
    return CueMatch(s, k, tok.i, "verb", "speech", ("q",), ())


def _verb_cue_extent(doc: Doc, tok: Token) -> tuple[int, int]:
    """Verb + its auxiliaries, negation and adjacent adverbs (not wh-words), a
    governing verb of a to-infinitive ("has refused to endorse"), particles, a
    medium phrase ("said in a statement") and a bare weekday ("said Sunday")."""
    s = tok.i
    left = {c.i for c in tok.children if c.dep_ in CUE_LEFT_DEPS and c.i < tok.i
            and c.tag_ not in WH_TAGS and c.lower_ not in ("as", "so", "then")}
    while s - 1 in left:
        s -= 1
    head = tok.head
    if tok.dep_ == "xcomp" and head.i < s and head.pos_ in ("VERB", "AUX") \
            and all(doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].head in (tok, head)
                    for k in range(head.i + 1, s)):
        hs = head.i
        hleft = {c.i for c in head.children if c.dep_ in CUE_LEFT_DEPS and c.i < head.i
                 and c.tag_ not in WH_TAGS}
        while hs - 1 in hleft:
            hs -= 1
        s = hs
    e = tok.i + 1
    for c in tok.children:
        if c.dep_ == "prt" and c.i == e:
            e += 1
    for c in tok.children:
        if c.i != e:
            continue
        if c.dep_ == "prep" and c.lower_ == "in":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in MEDIUM_NOUNS:
                e = pobj.i + 1
        elif c.dep_ == "npadvmod" and c.lower_ in WEEKDAYS:
            e += 1
    return s, e


# ----------------------------------------------------------------------------- headline colons

def _headline_colons(doc: Doc, text: str) -> list[CueMatch]:
    """'Name: statement' in a short line without final punctuation."""
    out: list[CueMatch] = []
    pos = 0
    for line in text.split("\n"):
        a, pos = pos, pos + len(line) + 1
        cue = _headline_colon(doc, text, a, line)
        if cue is not None:
            out.append(cue)
    return out


def _headline_colon(doc: Doc, text: str, a: int, line: str) -> CueMatch | None:
    """The colon cue of the line starting at character ``a``, if it reads 'Name: statement'
    (source: the name; content: the rest of the line)."""
    stripped = line.strip()
    if not stripped or ":" not in stripped:
        return None
    ci = line.find(":")
    label = line[:ci].strip()
    transcript = bool(label) and (label.isupper() and any(ch.isalpha() for ch in label)
                                  or label in ("Q", "A"))  # "TRUMP: ...", "Q: ..."
    if len(stripped) > MAX_HEADLINE_CHARS and line[ci + 1:].strip()[:1] not in QUOTE_CHARS \
            and not transcript:
        return None
    left = line[:ci].strip()
    right = line[ci + 1:].strip()
    if not left or not right or len(left.split()) > 7 or not left[0].isupper():
        return None
    if not (right[0].isupper() or right[0] in QUOTE_CHARS) or ci + 1 < len(line) and line[ci + 1] != " ":
        return None
    span = doc.char_span(a + ci, a + ci + 1)
    if span is None:
        return None
    lspan = doc.char_span(a + line.find(left), a + line.find(left) + len(left), alignment_mode="expand")
    if lspan is None or any(t.pos_ == "VERB" for t in lspan) and not transcript:
        return None
    words = [w for w in left.split() if w[:1].isalpha()]
    if not (any(t.pos_ == "PROPN" for t in lspan) or words and all(w[0].isupper() for w in words)):
        return None
    if not _speaker_label(doc, text, lspan, left, transcript):
        return None  # "WATCH:", "READ MORE:", "Best dressed:", "6. The problem:": not a speaker
    cue = CueMatch(span.start, span.end, span.start, "colon", "speech")
    r0 = a + ci + 1 + (len(line[ci + 1:]) - len(line[ci + 1:].lstrip()))
    cue.content = [(r0, a + len(line.rstrip()))]
    cue.frame = "colon"
    cue.source = (lspan.start, lspan.end)
    return cue


def _speaker_label(doc: Doc, text: str, lspan: Any, left: str, transcript: bool) -> bool:
    """Whether the text before a line's colon names who speaks: a person, organisation
    or country the NER finds there (covering most of it), or a transcript label
    ("TRUMP:", "Q:") whose name the article also writes in ordinary case. Section
    labels and furniture ("WATCH:", "READ MORE:", "Update:") name nobody."""
    if left in ("Q", "A"):
        return True
    if transcript:
        name = left.title()
        return name != left and any(m.group(0) == name for m in re.finditer(r"\b" + re.escape(name) + r"\b", text))
    ents = [e for e in lspan.ents if e.label_ in SPEAKER_LABELS] if hasattr(lspan, "ents") else []
    if not ents:
        ents = [e for e in doc.ents if e.start >= lspan.start and e.end <= lspan.end
                and e.label_ in SPEAKER_LABELS]
    covered = sum(len(e.text.split()) for e in ents)
    if covered > 0 and covered * 2 >= len(left.split()):
        return True
    k = lspan.start
    while k < lspan.end and k - lspan.start < 3 and doc[k].pos_ == "PROPN":
        k += 1
    if lspan.start < k < lspan.end and doc[k].lower_ == "on":
        return True  # "Obama on Climate Change: ...": who speaks (one to three proper nouns), then the topic
    words = [t for t in lspan if not t.is_punct]
    if words and words[-1].lemma_.lower() in FINDING_NOUNS and len(words) <= 3:
        return True  # "Poll: ...", "New survey: ...": a finding speaks for itself
    # a name the NER missed here: one to three proper nouns ("Merkel:"), or words of a
    # name the article gives elsewhere ("Merkel:" over "Chancellor Angela Merkel said")
    if not 0 < len(words) <= 3:
        return False
    if all(t.pos_ == "PROPN" for t in words):
        return True
    named = {t.lower_ for e in doc.ents if e.label_ in SPEAKER_LABELS for t in e}
    return all(t.lower_ in named for t in words)
