"""Stage 3 of the attribution finder, verb and adjective cues: the frame table.

A cue's lexicon entry lists the *frames* its content may sit in, in order of
preference (``data/cues_en.tsv``; ``p`` is added last when the entry names
prepositions). ``verb_content`` tries them in that order through
``FRAME_HANDLERS``, a table from frame code to handler; the first handler that
finds its content wins.

A handler reads a :class:`FrameInput` (the parse, the text, the cue, its head
token and the head's children) and returns True when it filled ``cue.content``
(character fragments) and ``cue.frame`` (the internal frame code, which
``attr_statements.FRAMES`` maps to the public vocabulary); it may also move
``cue.end`` (a preposition or a colon joins the cue) or drop a quotation from
``cue.quotes``. False: try the next frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Doc, Token

from newsgraph.analyze.attr_cues import MEDIUM_NOUNS, NO_SOURCE_WORDS, WEEKDAYS, CueMatch, is_speech_verb
from newsgraph.analyze.attr_quotes import Quote
from newsgraph.analyze.attr_spans import SUBJ_DEPS, chars, subtree_span, trim_tokens
from newsgraph.analyze.lexicon import Lexicon

__all__ = ["FRAME_HANDLERS", "FrameInput", "verb_content"]

PERSONAL_OBJECTS = {"him", "her", "them", "me", "us", "you", "himself", "herself", "themselves", "itself"}
CONTENT_PRONOUNS = {"it", "this", "that", "what", "something", "nothing", "everything", "anything"}
AS_ONLY_VERBS = {"see", "regard"}
ASKING_VERBS = {"ask", "question", "wonder", "inquire", "query"}
OBJECT_PREPS = {"to", "with", "about", "against", "of", "into", "from", "toward", "towards", "over", "on", "for",
                "at", "in"}


class FrameInput(NamedTuple):
    """What a frame handler reads (built once per cue by ``verb_content``)."""

    doc: Doc
    text: str
    cue: CueMatch
    verb: Token  # the cue's head
    kids: list[Token]  # its children (for "adamant that": also the clause hung on "was")
    lexicon: Lexicon


def verb_content(doc: Doc, text: str, cue: CueMatch, lexicon: Lexicon) -> None:
    """Fill the content of a verb or adjective cue by the first of its frames that matches."""
    verb = doc[cue.head]
    kids = list(verb.children)
    if cue.kind == "adj" and verb.dep_ == "acomp":
        # "He was adamant that ...": the parser may hang the clause on "was"
        kids += [c for c in verb.head.children if c.i > verb.i and c.dep_ == "ccomp"
                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    f = FrameInput(doc, text, cue, verb, kids, lexicon)
    for frame in cue.frames + tuple("p" for _ in cue.preps[:1]):
        handler = FRAME_HANDLERS.get(frame)
        if handler is not None and handler(f):
            return


# ----------------------------------------------------------------------------- c: clause

def clause_frame(f: FrameInput) -> bool:
    """``c``: a clause complement ("said that Y", "asked him if Y", "which he said Y"),
    else for a speech or belief cue the host clause of a parenthetical ("X, he said, Y")
    or an as-clause ("as the Times reported")."""
    doc, cue = f.doc, f.cue
    comp = _clause_complement(f)
    if comp is not None:
        span = _clause_span(f, comp)
        if span is None:
            return False
        cue.content = [chars(doc, *span)]
        cue.frame = "c"
        _colon_into_cue(doc, cue)
        return True
    paren = _parenthetical(doc, cue) if cue.category == "speech" else []
    if not paren and cue.category in ("speech", "belief"):
        paren = _as_clause(doc, cue)
    if paren:
        cue.content = paren
        cue.frame = "paren"
        return True
    return False


def _clause_complement(f: FrameInput) -> Token | None:
    """A ccomp (after the verb first), or an adverbial clause opened by "whether" (or "if"
    after an asking verb: "asked him if he would run")."""
    verb, kids = f.verb, f.kids
    return next((c for c in kids if c.dep_ == "ccomp" and c.i > verb.i), None) \
        or next((c for c in kids if c.dep_ == "ccomp"), None) \
        or next((c for c in kids if c.dep_ == "advcl" and c.i > verb.i and any(
            m.dep_ == "mark" and m.i == c.left_edge.i and (
                m.lower_ == "whether" or m.lower_ == "if" and verb.lemma_ in ASKING_VERBS)
            for m in c.children)), None)


def _clause_span(f: FrameInput, comp: Token) -> tuple[int, int] | None:
    """Token span of the complement's content, or None when the cue lies inside it and
    it is not a relative clause's "which he said Y"."""
    doc, cue, verb = f.doc, f.cue, f.verb
    s, e = subtree_span(comp)
    if s <= cue.start < e:
        # "which he said the government should pay for": the relative
        # pronoun heads the complement; the content is what follows the cue
        if verb.dep_ != "relcl" or e <= cue.end:
            return None
        s = cue.end
    if s > cue.start:
        for c in sorted(f.kids, key=lambda t: t.i):  # "said he would go if asked"
            if c.left_edge.i == e and c.dep_ in ("advcl", "prep") and c.i > comp.i \
                    and c.lower_ not in ("according",) and not is_speech_verb(f.lexicon, c.lemma_):
                e = c.right_edge.i + 1
    if e < len(doc) and doc[e].text in ("?", "!") and doc[e].is_sent_end:
        e += 1  # the question mark belongs to the reported question
    return s, e


def _parenthetical(doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
    """'X, he said, Y' / 'X, said Y.': the host clause minus the reporting clause."""
    verb = doc[cue.head]
    if verb.dep_ not in ("parataxis", "ccomp") or verb.head.i == verb.i:
        return []
    if not any(c.dep_ in SUBJ_DEPS for c in verb.children):
        return []
    host = verb.head
    # the reporting clause must be set off by punctuation
    ls, le = verb.left_edge.i, verb.right_edge.i + 1
    if not ((ls > 0 and doc[ls - 1].is_punct) or doc[ls].is_punct):
        return []
    hs, he = subtree_span(host)
    frags = []
    if ls > hs:
        frags.append(trim_tokens(doc, hs, ls))
    if he > le and doc[le].text not in (".", "!", "?"):  # "..., he said. Next sentence"
        frags.append(trim_tokens(doc, le, he))
    return [chars(doc, s, e) for s, e in frags if e > s]


def _as_clause(doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
    """'As the Times reported, X' / 'X, as he has argued': the host clause minus
    the as-clause."""
    verb = doc[cue.head]
    if verb.dep_ != "advcl" or verb.head.i == verb.i or verb.head.pos_ not in ("VERB", "AUX"):
        return []
    ls, le = subtree_span(verb)
    if doc[ls].lower_ != "as" or not any(c.i == ls and c.dep_ == "mark" for c in verb.children):
        return []
    if not any(c.dep_ in SUBJ_DEPS for c in verb.children) \
            or any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i >= cue.end for c in verb.children):
        return []
    hs, he = subtree_span(verb.head)
    frags = []
    if ls > hs:
        frags.append(trim_tokens(doc, hs, ls))
    if he > le:
        frags.append(trim_tokens(doc, le, he))
    return [chars(doc, s, e) for s, e in frags if e > s]


def _colon_into_cue(doc: Doc, cue: CueMatch) -> None:
    """A colon right after the cue ("said:") belongs to the cue."""
    if cue.end < len(doc) and doc[cue.end].text == ":":
        cue.end += 1


# ----------------------------------------------------------------------------- q: quotation

def quote_frame(f: FrameInput) -> bool:
    """``q``: the nearest quotation ``assign_quotes`` gave the cue; but the whole object
    when the quotation is a fragment inside it ('warned of a "ferocious" battle'), and
    nothing (next frame) for a short detached fragment (a scare quote in some clause)."""
    doc, text, cue = f.doc, f.text, f.cue
    q = _adjacent_quote(doc, cue)
    if q is None:
        return False
    host = _quote_inside_complement(doc, f.verb, q)
    if host is not None:  # 'warned of a "ferocious" battle': the object is the content
        cue.content = [host]
        cue.frame = "o"
        return True
    if _detached_fragment(text, doc, cue, q):
        # a short quoted fragment with other words between it and the cue: a
        # scare quote inside some clause, not what this cue reports
        cue.quotes = [qq for qq in cue.quotes if qq is not q]
        return False
    cue.content = q.spans
    cue.frame = "quote"
    _colon_into_cue(doc, cue)
    return True


def _adjacent_quote(doc: Doc, cue: CueMatch) -> Quote | None:
    """The nearest quotation this cue owns (``cue.quotes``, see ``assign_quotes``)."""
    if not cue.quotes:
        return None
    ci = doc[cue.head].idx
    return min(cue.quotes, key=lambda q: min(abs(ci - q.end), abs(q.start - ci)))


def _quote_inside_complement(doc: Doc, verb: Token, q: Quote) -> tuple[int, int] | None:
    """The complement (characters) when the quotation is a fragment inside a larger
    object of the verb (for a preposition: its object)."""
    for c in verb.children:
        if c.i <= verb.i or c.dep_ not in ("dobj", "prep", "dative", "attr", "oprd"):
            continue
        if c.dep_ == "prep":
            c = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if c is None:
                continue
        s, e = chars(doc, *subtree_span(c))
        if s <= q.start and q.end <= e and (q.start - s) + (e - q.end) > 3:
            return s, e
    return None


def _detached_fragment(text: str, doc: Doc, cue: CueMatch, q: Quote) -> bool:
    """A quotation of fewer than four words with letters (other than the subject's)
    between it and the cue."""
    if len(text[q.start:q.end].split()) >= 4:
        return False
    cs, ce = chars(doc, cue.start, cue.end)
    a, b = (q.end, cs) if q.end <= cs else (ce, q.start)
    subj = next((c for c in doc[cue.head].children if c.dep_ in SUBJ_DEPS), None)
    if subj is not None:
        ss, se = chars(doc, *subtree_span(subj))
        gap = text[a:max(a, min(b, ss))] + text[max(a, min(b, se)):b]
    else:
        gap = text[a:b]
    return any(ch.isalpha() for ch in gap)


# ----------------------------------------------------------------------------- s, x: appearance, infinitive

def appearance_frame(f: FrameInput) -> bool:
    """``s``: "X seemed to Y", the writer's impression; content = subject + complement."""
    doc, verb, kids = f.doc, f.verb, f.kids
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    comp = next((c for c in kids if c.dep_ in ("xcomp", "oprd", "acomp", "attr") and c.i > verb.i), None)
    if subj is None or comp is None or subj.lower_ in NO_SOURCE_WORDS:
        return False
    f.cue.content = [chars(doc, *subtree_span(subj)), chars(doc, *subtree_span(comp))]
    f.cue.frame = "s"
    return True


def infinitive_frame(f: FrameInput) -> bool:
    """``x``: a to-infinitive complement after the verb ("threatened to leave")."""
    comp = next((c for c in f.kids if c.dep_ == "xcomp" and c.i > f.verb.i), None)
    if comp is None or not any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
        return False
    f.cue.content = [chars(f.doc, *subtree_span(comp))]
    f.cue.frame = "x"
    return True


# ----------------------------------------------------------------------------- o: object

def object_frame(f: FrameInput) -> bool:
    """``o``: the direct object with what completes it ("called Trump unhinged",
    "described himself as X", "accused X of Y"); "(when) asked about X": the topic;
    "said so/yes/no". Personal pronouns are not a content ("praised them"), content
    pronouns are ("denied it")."""
    doc, cue, verb, kids = f.doc, f.cue, f.verb, f.kids
    obj = _direct_object(f)
    if obj is None and verb.lemma_ in ASKING_VERBS:
        about = next((c for c in kids if c.dep_ == "prep" and c.i > verb.i
                      and c.lower_ in ("about", "regarding")), None)
        if about is not None:  # "(when) asked about the merger": the topic
            cue.content = [chars(doc, *subtree_span(about))]
            cue.frame = "o"
            return True
    if obj is None and cue.category == "speech":
        # "said so", "said yes", "said no"
        obj = next((c for c in kids if c.i == cue.end and c.lower_ in ("so", "yes", "no")
                    and c.dep_ in ("advmod", "intj", "dobj")), None)
    if obj is not None and verb.lemma_ in AS_ONLY_VERBS and not any(
            c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i
            for c in list(kids) + list(obj.children)):
        obj = None  # "sees Clinton as the favourite", not "saw the movie"
    if obj is None or not _content_object(obj, kids):
        return False
    s, e = subtree_span(obj)
    e = _extend_object(doc, verb, cue, _object_complements(doc, kids, e))
    # "criticized X for Y": the preposition may carry the real content
    cue.content = [chars(doc, s, e)]
    cue.frame = "o"
    prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in cue.preps and c.i == e), None)
    if prep is not None:  # "accused X of Y": content "X of Y", cue the verb
        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None:
            cue.content = [chars(doc, s, pobj.right_edge.i + 1)]
    return True


def _direct_object(f: FrameInput) -> Token | None:
    """The dobj after the verb, else a noun the parser made an object predicate or
    xcomp ("calling Trump a fascist")."""
    verb, kids = f.verb, f.kids
    obj = next((c for c in kids if c.dep_ in ("dobj",) and c.i > verb.i), None)
    if obj is None:  # "calling Trump a fascist" (parsed as xcomp/oprd)
        obj = next((c for c in kids if c.i > verb.i and (
            c.dep_ == "oprd" or c.dep_ == "xcomp" and c.pos_ in ("NOUN", "PROPN")
            and not any(g.dep_ == "aux" for g in c.children))), None)
    return obj


def _object_complements(doc: Doc, kids: list[Token], e: int) -> int:
    """The end of the object with the complements right after it: "called Trump unhinged",
    "invited Russia to dig", "defended X as Y"."""
    for c in kids:
        if c.i >= e and c.left_edge.i <= e + 1 and all(doc[k].is_punct for k in range(e, c.left_edge.i)) \
                and (c.dep_ in ("oprd", "ccomp", "xcomp", "dep") or c.dep_ == "prep" and c.lower_ == "as"):
            e = c.right_edge.i + 1
    return e


def _content_object(obj: Token, kids: list[Token]) -> bool:
    """"denied it" is an attribution (PolNeAR marks the pronoun); "praised them" too
    often names a person, not a content, unless a naming follows ("describes himself as X")."""
    naming = any(c.i > obj.i and (c.dep_ in ("oprd", "xcomp") or c.dep_ == "prep"
                                  and c.lower_ == "as" and c.i == obj.i + 1)
                 for c in kids)
    return obj.pos_ != "PRON" and obj.lower_ not in PERSONAL_OBJECTS or obj.lower_ in CONTENT_PRONOUNS \
        or obj.lower_ in ("so", "yes", "no") or naming


def _extend_object(doc: Doc, verb: Token, cue: CueMatch, e: int) -> int:
    """'challenged Trump to a debate', 'recalled her opposition to the plan': a
    preposition the parser hung on the verb right after the object still belongs to
    the content (not a time, place of speech or medium: 'on Monday', 'in a statement')."""
    for c in sorted(verb.children, key=lambda t: t.i):
        if c.i != e or c.dep_ != "prep" or c.lower_ not in OBJECT_PREPS or c.lower_ in cue.preps:
            continue
        pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is None or pobj.ent_type_ in ("DATE", "TIME") or pobj.lower_ in WEEKDAYS \
                or pobj.lemma_.lower() in MEDIUM_NOUNS:
            continue
        e = c.right_edge.i + 1
    return e


# ----------------------------------------------------------------------------- p: preposition

def preposition_frame(f: FrameInput) -> bool:
    """``p``: the object of one of the entry's prepositions right after the cue ("called
    for X", "called on Sanders to join her"), or an adverbial clause it opens ("calling
    for the US to act"); the preposition joins the cue."""
    doc, cue, verb, kids = f.doc, f.cue, f.verb, f.kids
    adv = next((c for c in kids if c.dep_ == "advcl" and c.i > verb.i
                and c.left_edge.lower_ in cue.preps and c.left_edge.i == cue.end), None)
    if adv is not None:  # "calling for the US to act"
        cue.end = adv.left_edge.i + 1
        cue.content = [chars(doc, adv.left_edge.i + 1, adv.right_edge.i + 1)]
        cue.frame = "p"
        return True
    prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in cue.preps and c.i > verb.i), None)
    if prep is None or not all(doc[k].dep_ in ("advmod", "prt") or k == prep.i for k in range(cue.end, prep.i)):
        return False
    pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return False
    cue.end = prep.i + 1
    ps, pe = subtree_span(pobj)
    xc = next((c for c in kids if c.dep_ in ("xcomp", "advcl") and c.left_edge.i == pe), None)
    if xc is not None:  # "called on Sanders to join her"
        pe = xc.right_edge.i + 1
    pe = _extend_object(doc, verb, cue, pe)
    cue.content = [chars(doc, ps, pe)]
    cue.frame = "p"
    return True


#: frame code (lexicon ``frames`` column; ``p`` for the entry's prepositions) -> handler
FRAME_HANDLERS: dict[str, Callable[[FrameInput], bool]] = {
    "c": clause_frame,
    "q": quote_frame,
    "s": appearance_frame,
    "x": infinitive_frame,
    "o": object_frame,
    "p": preposition_frame,
}
