"""Is an attribution a *statement*? Negated? Which content frame? (the finder's last stage)

The finder (``attributions.py``) records every attribution relation the text
holds, in PolNeAR's broad sense: what was said, but also what was believed,
intended, found, or done to an object ("criticized the plan"). A reader who
wants "who said what" needs the subset that is a **statement**: something a
source put forward as true, in words. ``classify`` decides it from the parse
and the cue lexicon's category and content slot (the *frame* the content was
found in), never from lists of example sentences:

* **frame** (public vocabulary, stored on ``Attribution.frame``): ``quote``
  (a quotation next to the cue), ``clause`` (a clause complement, or the host
  clause of a parenthetical cue: "X, he said, Y"), ``question`` (a clause
  complement that is an embedded question: "asked whether ...", "explained how
  ..."), ``according``, ``colon`` ("Name: statement"), ``infinitive`` ("urged
  X to ...", "threatened to ..."), ``object`` ("denied the report", "called X
  a liar"), ``preposition`` ("called for X"), ``appearance`` ("X seemed to
  ..."), ``noun`` ("his claim that ..."), ``light`` ("made the case that ..."),
  ``framing`` ("To X, Y"; "reportedly").
* **statement** when the content is a proposition put forward by speech:
  a whole quotation of at least ``MIN_QUOTE_WORDS`` words, or a ``clause`` /
  ``according`` / ``colon`` content, or a ``noun`` / ``light`` content that is a
  clause (it has a verb), introduced by a *speech* cue. Not statements: noun-phrase
  objects, to-infinitives, prepositional objects and embedded questions that
  are not quoted; beliefs, intentions, evaluations and findings; a one- or
  two-word quotation (a term or scare quote: said "rumblings"); a hypothetical
  cue (a modal: "might argue", "could say"; an infinitive cue under a verb that
  does not assert it: "wants to say", "is expected to announce"), but "went on
  to say" / "continued to say" assert.
* **negated**: the cue carries a negation ("have not said", "never claimed",
  "didn't tell") or is the infinitive of a refusal ("declined to say",
  "refused to confirm", "failed to mention"), or the source names nobody
  ("Nobody in that room said", "No official has claimed"): the record says
  something was *not* stated. A negated record is never a statement.

Views (CLI ``quotes``, the JSON API, pages, ``analyze --json``) show statements
that are not negated by default; the rest stays in the store, flagged.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

__all__ = ["FRAMES", "classify"]

#: the finder's internal frame codes -> the public vocabulary
FRAMES = {"quote": "quote", "c": "clause", "paren": "clause", "according": "according", "colon": "colon",
          "x": "infinitive", "o": "object", "p": "preposition", "s": "appearance", "noun": "noun",
          "light": "light", "framing": "framing"}
PROPOSITION_FRAMES = frozenset({"clause", "according", "colon"})
CLAUSE_IF_VERB_FRAMES = frozenset({"noun", "light"})
QUESTION_WORDS = frozenset({"whether", "if", "how", "what", "why", "when", "where", "who", "whom", "which"})
#: verbs under which an infinitive cue is still asserted ("went on to say")
ASSERTING_GOVERNORS = frozenset({"go", "continue", "proceed", "begin", "start", "use", "hasten", "rush"})
#: verbs under which an infinitive cue says the thing was not stated ("declined to say")
REFUSING_GOVERNORS = frozenset({"decline", "refuse", "fail", "neglect", "omit", "avoid"})
HYPOTHETICAL_MODALS = frozenset({"might", "could", "may", "should", "must", "can", "ca", "would've"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "nt"})
MIN_QUOTE_WORDS = 3
NEGATIVE_SOURCES = frozenset({"nobody", "none", "noone", "neither"})


def _words(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _infinitive_governor(doc: Doc, head: Token) -> Token | None:
    """The verb an infinitive cue depends on ("declined to say" -> declined), else None."""
    if head.dep_ in ("xcomp", "advcl", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        return head.head
    return None


def _negated(doc: Doc, start: int, end: int, head: Token) -> bool:
    if any(doc[k].lower_ in NEGATIONS and doc[k].dep_ in ("neg", "advmod", "det") for k in range(start, end)):
        return True
    if any(c.dep_ == "neg" for c in head.children):
        return True
    gov = _infinitive_governor(doc, head)
    if gov is not None and (gov.lemma_.lower() in REFUSING_GOVERNORS
                            or gov.lemma_.lower() not in ASSERTING_GOVERNORS
                            and any(c.dep_ == "neg" for c in gov.children)):
        return True
    # "without saying"
    return head.tag_ == "VBG" and head.dep_ == "pcomp" and head.head.lower_ == "without"


def _negative_source(doc: Doc, source: tuple[int, int] | None) -> bool:
    """A source that names nobody: "Nobody in that room said", "No official has claimed", "None of them said"."""
    if not source:
        return False
    span = doc.char_span(source[0], source[1], alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.lower_ in NEGATIVE_SOURCES or any(c.dep_ == "det" and c.lower_ == "no" for c in root.children)


def _hypothetical(doc: Doc, start: int, end: int, head: Token) -> bool:
    if any(doc[k].tag_ == "MD" and doc[k].lower_ in HYPOTHETICAL_MODALS for k in range(start, end)):
        return True
    if any(c.tag_ == "MD" and c.lower_ in HYPOTHETICAL_MODALS for c in head.children):
        return True
    gov = _infinitive_governor(doc, head)
    return gov is not None and gov.lemma_.lower() not in ASSERTING_GOVERNORS


def _has_verb(doc: Doc, s: int, e: int) -> bool:
    span = doc.char_span(s, e, alignment_mode="expand")
    return span is not None and any(t.pos_ in ("VERB", "AUX") and t.dep_ != "amod" for t in span)


def classify(doc: Doc, text: str, *, internal_frame: str, cue_kind: str, category: str,
             cue_tokens: tuple[int, int], head: int, frags: list[tuple[int, int]],
             kind: str, source: tuple[int, int] | None = None) -> tuple[str, bool, bool]:
    """``(frame, statement, negated)`` of one attribution (see the module docstring).

    ``cue_tokens`` is the cue's token span, ``head`` its head token, ``frags``
    the content's character fragments, ``kind`` direct | indirect | mixed,
    ``source`` the source's character span (a negative source, "Nobody in the
    room said", negates the record).
    """
    frame = FRAMES.get(internal_frame, internal_frame or "other")
    content = " ".join(text[s:e] for s, e in frags)
    if internal_frame == "c" and kind == "indirect":
        first = re.split(r"[\s,’']", content.lstrip(), maxsplit=1)[0].lower()
        if first in QUESTION_WORDS:
            frame = "question"
    tok = doc[head]
    negated = cue_kind in ("verb", "adj", "noun") and _negated(doc, cue_tokens[0], cue_tokens[1], tok) \
        or _negative_source(doc, source)
    if negated:
        return frame, False, True
    if cue_kind == "verb" and _hypothetical(doc, cue_tokens[0], cue_tokens[1], tok):
        return frame, False, False
    speech = category == "speech" or cue_kind in ("according", "colon")
    if kind == "direct":
        # a whole quotation: a statement unless it is a term ('said "rumblings"')
        return frame, _words(content) >= MIN_QUOTE_WORDS and (speech or frame == "quote"), False
    if not speech:
        return frame, False, False
    if frame in PROPOSITION_FRAMES or frame in CLAUSE_IF_VERB_FRAMES:
        # a proposition has a verb: not "Story continues below advertisement", "according to GroupM"
        return frame, kind != "indirect" or any(_has_verb(doc, s, e) for s, e in frags), False
    if frame == "object":
        # "called X a liar", "described the attempt as a carjacking": the naming is a predication
        return frame, _predicative(doc, frags, tok), False
    if frame == "infinitive":
        # "urged voters to send a message": a directive to someone named, in the active voice
        return frame, _directive(tok), False
    return frame, False, False


def _predicative(doc: Doc, frags: list[tuple[int, int]], verb: Token) -> bool:
    """The object content holds a secondary predicate: an object predicate ("called it a
    mistake", 'called the allegation "false"') or an "as" complement ("described X as Y")."""
    for s, e in frags:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            if t.dep_ in ("oprd", "ccomp") or t.dep_ == "xcomp" and t.pos_ in ("NOUN", "PROPN", "ADJ") \
                    or t.dep_ == "prep" and t.lower_ == "as" and t.head.i in (verb.i, *(c.i for c in verb.children)):
                return True
    return False


def _directive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return False  # "was ordered to step down", "are encouraged to keep a log"
    return any(c.dep_ == "dobj" for c in verb.children) or any(
        c.dep_ in ("xcomp", "ccomp") and any(g.dep_ == "nsubj" for g in c.children) for c in verb.children)
