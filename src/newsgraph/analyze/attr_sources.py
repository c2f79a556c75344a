"""Stage 4 of the attribution finder: sources (``find_sources``).

Reads the parse and the cues of stages 2-3 (their kind, head, extent and
internal frame); writes ``cue.source`` (the token span of the noun phrase as
written, or None) and ``cue.via`` (the relay of a reporting chain) in place.
The source of a verb cue is its subject, passing up through conjunctions,
participles and raising verbs, or the ``by`` agent of a passive; of an
adjective cue the subject of its copula; of a noun cue its possessor.
``according to`` and headline-colon cues got theirs in stages 2-3.
``verb_source`` is also what ``assign_quotes`` (stage 3) asks to prefer cues
that have a speaker.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsgraph.analyze.attr_cues import CORE_SPEECH, CueMatch, statement_participle
from newsgraph.analyze.attr_spans import SUBJ_DEPS, subtree_span, trim_tokens
from newsgraph.analyze.lexicon import Lexicon

__all__ = ["find_sources", "verb_source"]

MAX_SOURCE_TOKENS = 40


def find_sources(doc: Doc, cues: list[CueMatch], *, lexicon: Lexicon) -> None:
    """Fill ``cue.source`` (token span or None) and ``cue.via`` in place."""
    for cue in cues:
        if cue.kind in ("according", "colon"):
            continue
        cue.source = _fit_source(doc, cue, _cue_source(doc, cue, lexicon))
        if cue.kind == "verb":
            cue.via = _via(doc, doc[cue.head]) or cue.lead_via
    heads = {c.head for c in cues}
    for cue in cues:
        if cue.source is not None:
            cue.source = _cut_speaking_relcl(doc, cue.source, heads)


def _cue_source(doc: Doc, cue: CueMatch, lexicon: Lexicon) -> tuple[int, int] | None:
    """The source the parse gives a verb, adjective or noun cue (before fitting)."""
    if cue.frame == "s":
        return None  # an appearance: nobody but the writer
    if cue.kind == "adj":
        adj = doc[cue.head]
        host = adj.head if adj.dep_ != "ROOT" else adj
        if host.lemma_ == "it" or any(c.dep_ == "expl" or c.lower_ == "it" and c.dep_ == "nsubj"
                                      for c in host.children):
            return None  # "it is unclear whether ...": nobody
        return verb_source(doc, host, lexicon)
    if cue.kind == "noun":
        return _noun_source(doc, cue, lexicon)
    return verb_source(doc, doc[cue.head], lexicon)


def _fit_source(doc: Doc, cue: CueMatch, source: tuple[int, int] | None) -> tuple[int, int] | None:
    """Never overlap the cue; drop what lies before a line break (a dateline, the
    previous paragraph); keep the comma or parenthesis closing an appositive."""
    if source is not None:
        s, e = source
        if s < cue.end and cue.start < e:
            source = trim_tokens(doc, s, cue.start) if s < cue.start else None
    if source is not None:
        s0, e0 = source
        breaks = [k for k in range(s0, e0) if "\n" in doc[k].text]
        if breaks:  # a dateline or a previous paragraph is not part of the source
            source = trim_tokens(doc, breaks[-1] + 1, e0) if breaks[-1] + 1 < e0 else None
            if source is not None and source[1] <= source[0]:
                source = None
    if source is not None and source[1] <= cue.start:
        closed = _close_source(doc, source)
        if closed is not None and closed[1] <= cue.start:
            source = closed
    return source


def _close_source(doc: Doc, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """An NP set off by commas keeps its closing comma ("X, a pollster, said") and a
    parenthesis it opened ("McAuliffe (D)")."""
    if span is None:
        return None
    s, e = span
    if e < len(doc) and doc[e].text == ")" and any(doc[k].text == "(" for k in range(s, e)):
        e += 1
    if e < len(doc) and doc[e].text == "," and any(doc[k].text == "," for k in range(s, e)):
        e += 1
    return s, e


def _cut_speaking_relcl(doc: Doc, span: tuple[int, int], cue_heads: set[int]) -> tuple[int, int]:
    """"the grid operator, which said the link had carried ...": a relative clause set off by a
    comma that holds a cue of its own is another statement, not part of the source."""
    s, e = span
    for k in range(s + 1, e):
        t = doc[k]
        if t.dep_ == "relcl" and t.i in cue_heads and t.left_edge.i - 1 > s and doc[t.left_edge.i - 1].text == ",":
            return trim_tokens(doc, s, t.left_edge.i - 1)
    return span


def verb_source(doc: Doc, verb: Token, lexicon: Lexicon, depth: int = 0) -> tuple[int, int] | None:
    """The token span of who does ``verb``: the ``by`` agent, the subject, an inverted
    subject ('"...," said David Brock'), else the source of the verb it depends on."""
    if depth > 4:
        return None
    kids = list(verb.children)
    agent = next((c for c in kids if c.dep_ == "agent"), None)
    if agent is not None:
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            return trim_tokens(doc, *subtree_span(pobj))
    subj = _subject(verb, kids, depth)
    if subj is not None:
        if subj.lower_ == "there" or subj.lower_ == "it" and verb.lemma_ in ("seem", "appear", "be", "look"):
            return None  # "it seems", "there is": no one; but "it said" is an organisation
        s, e = subtree_span(subj)
        if e - s > MAX_SOURCE_TOKENS:
            return None
        return trim_tokens(doc, s, e)
    if any(c.dep_ in ("nsubjpass", "expl") for c in kids) and verb.dep_ != "xcomp":
        return None
    if verb.lemma_ in CORE_SPEECH and not depth:
        # inverted: '"...," said David Brock, a confidant of ...'
        inv = next((c for c in kids if c.i > verb.i and c.dep_ in ("dobj", "attr", "npadvmod", "nsubj")
                    and c.pos_ in ("PROPN", "NOUN") and any(k.dep_ == "ccomp" and k.i < verb.i for k in kids)),
                   None)
        if inv is not None:
            return trim_tokens(doc, *subtree_span(inv))
    return _governor_source(doc, verb, kids, lexicon, depth)


def _subject(verb: Token, kids: list[Token], depth: int) -> Token | None:
    """The subject; a passive one for "He's said" (has, not is) and, one level up, for
    "X is expected to say"."""
    subj = next((c for c in kids if c.dep_ in SUBJ_DEPS), None)
    if subj is None and any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in kids):
        subj = next((c for c in kids if c.dep_ == "nsubjpass"), None)  # "He's said" (has, not is)
    if subj is None and depth and verb.dep_ != "conj":
        subj = next((c for c in kids if c.dep_ == "nsubjpass"), None)  # "X is expected to say"
    return subj


def _governor_source(doc: Doc, verb: Token, kids: list[Token], lexicon: Lexicon,
                     depth: int) -> tuple[int, int] | None:
    """A verb without a subject of its own: the source of the verb it depends on."""
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX"):
        return verb_source(doc, head.head, lexicon, depth + 1)  # "X won by arguing that ..."
    if verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") \
            and not any(c.dep_ in ("aux", "auxpass") for c in kids):
        return None  # "(When) asked whether ...": the subject was asked, nobody asks
    if verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.pos_ == "VERB" \
            and lexicon.verb(verb.lemma_) is not None \
            and lexicon.verb(head.head.lemma_) is not None:
        # "X said Y and added Z", parsed with "added" inside the reported clause
        return verb_source(doc, head.head, lexicon, depth + 1)
    if verb.dep_ in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
        return verb_source(doc, head, lexicon, depth + 1)
    if statement_participle(verb):
        return verb_source(doc, head.head, lexicon, depth + 1)  # "X issued a statement saying ..."
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in ("NOUN", "PROPN", "PRON") \
            and head.i < verb.i:
        # "supporters backing Cruz": the noun the participle modifies
        return trim_tokens(doc, head.left_edge.i, head.i + 1)
    return None


def _noun_source(doc: Doc, cue: CueMatch, lexicon: Lexicon) -> tuple[int, int] | None:
    """The possessor of a noun cue ("his claim"), else the subject of the verb that
    takes the noun ("X issued a statement that ...", "X made the claim that ...")."""
    noun = doc[cue.head]
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        s, e = subtree_span(poss)
        if doc[e - 1].dep_ == "case":
            e -= 1
        return trim_tokens(doc, s, e) if e > s else None
    if noun.dep_ in ("dobj", "pobj") and noun.head.pos_ in ("VERB",):
        return verb_source(doc, noun.head, lexicon)
    return None


def _via(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """"X said, according to Y, ...": Y, the relay of the chain (when the parse hangs the
    phrase on the cue verb)."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            to = next((g for g in c.children if g.lower_ == "to"), None)
            if to is not None:
                pobj = next((g for g in to.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return trim_tokens(doc, *subtree_span(pobj))
    return None
