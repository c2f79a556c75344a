"""Who did what to whom: events typed with the PLOVER ontology.

The ``newsgraph_events`` component (:class:`EventExtractor`) runs after
``newsgraph_entities`` and sets ``doc._.events``, a plain JSON-able list::

    {"type": "CONSULT",                      # one of the 16 PLOVER types
     "trigger": [s, e],                      # the word(s) that name the event
     "actor": [s, e] | None, "actor_entity": str | None,
     "target": [s, e] | None, "target_entity": str | None,
     "negated": bool,
     "modality": "asserted" | "planned" | "conditional" | "reported",
     "date": "YYYY-MM-DD" | None,            # explicit dates only (relative ones: to_events)
     "date_text": [s, e] | None,
     "location": [s, e] | None, "location_entity": str | None,
     "object": [s, e] | None,                # what it is about when a thing: "the proposal", "to withdraw"
     "same_as": int | None,                  # index of the earlier event this mention tells again
     "timing": "new" | "background" | "future",
     "attribution": int | None}              # index into doc._.attributions

(character offsets into ``doc.text``, end exclusive). :func:`to_events` turns
it into the output contract, resolving relative dates against ``published``.

Design
------
Rule-based over the dependency parse, with newsgraph's own lexicon
(``data/events_en.tsv``, written from the PLOVER definitions; loaded by
``event_lexicon.py``): a verb or noun lemma, or a multiword whose first word is
the head lemma and whose other words hang off it in the parse ("go to war",
"impose sanctions"), with its PLOVER type and where its *target* is found
(``dobj``, the object of a listed preposition, the subject of a "that"
clause) plus a few frame flags.

The stages live apart: this module finds triggers, names arguments and
assembles events; ``event_args.py`` reads actors and targets off the parse,
``event_clauses.py`` negation, modality and timing, ``event_dates.py`` dates.

1. **Triggers.** Tokens are pre-filtered on lemma / lower-case hashes
   (``doc.to_array``), so the Python work is per candidate only. A verb used
   as a modifier ("a written response") is no trigger. When a lemma has
   several entries the first whose target is found wins ("strike" with an
   object is ASSAULT, without one PROTEST). Motion verbs ("come", "travel",
   "fly") are CONSULT only with a purpose clause of consultation ("will come
   to Moscow soon to discuss ..." -> CONSULT Macron -> Moscow, the "discuss"
   clause is then not a second event).
2. **Actor / target of verbs.** Actor = ``nsubj``; passive ("was sanctioned
   by X"): actor = the ``agent`` object, target = ``nsubjpass``. A verb
   without a subject borrows its governor's (``xcomp`` / ``conj`` / to-infinitive
   ``advcl``: "Putin wants to meet X"). Target as the lexicon says; "that"
   clauses give their subject ("demand that NATO not ..." -> NATO).
   Accusation-by-content verbs (``speaker`` flag: "they deceived us", "lied")
   are events only inside an attribution: the actor is the attribution's
   speaker, the target the verb's subject (a claim of deceit is an
   accusation, not an established deceit).
3. **Nominal triggers** ("a meeting with Orban", "talks between X and Y",
   "Russia's demands", "the threat of war"). Actor: possessor, an entity
   compound / adjective ("US sanctions", "Russian demands"), an "of" entity
   ("demands of the Russians"; target instead for ``of=target`` nouns:
   "the invasion of Ukraine"), the first of "between X and Y", a group word
   ("a government offensive"), for violence a proper noun or weapon in front
   ("US Predator attacks", "a minefield explosion": text, no entity). A city in
   front of violence or protest is where, not who ("the London attack"; a
   country in front acts). Otherwise the subject of the verb that carries the
   noun out ("Putin held talks", "Russia launched an attack", "signed
   partnerships", the agent of "was carried out by ETA"); a verb that only
   speaks of it (``STANCE_VERBS``: "Macron called it an attack", "condemned
   the attack", "heard shots during the raids") gives no actor, and a noun in a
   prepositional phrase takes the clause's subject only for a meeting, a fight
   with someone or "in protest". A violent noun that is the subject of a verb
   of harm takes that verb's object as target and the verb is no second event
   ("the explosion killed five people and injured twelve"). Demands answered by a
   response ("a response from the United States and NATO to Russia's
   demands", "NATO responded to the demands") take the responders as targets.
4. **Entities.** Every actor / target / location is named with the canonical
   names of ``doc._.entities`` (the speaker resolver's clusters): the mention
   covering the phrase's head, else its appositive ("his Russian counterpart
   Sergei Lavrov"), else an entity inside the phrase ("Western leaders" ->
   Western). Pronouns are resolved by the document's analysis
   (``doc._.analysis``, :meth:`DocAnalysis.resolve_names`, as
   :func:`speakers.resolve_mentions`) in one batch per doc; a plural or group pronoun it leaves open (quoted "they")
   falls back to the latest plural / group subject of the same or the two
   previous sentences that names an entity (other than the speaker).
   Coordinated arguments give one event per pair ("the United States and
   NATO" -> two). An event needs at least one argument naming an entity, or
   one that describes a group or office that can act ("Rebels attacked",
   "police detained": ``GROUP_NOUNS``) or people harmed by violence ("killing
   130 people": ``VICTIM_NOUNS``), kept as a typed description without an
   entity, or, for violence and protest (``PLACED_TYPES``), a place or a date of
   its own ("an explosion in Kabul", "a Friday blast"); actor and target must
   differ. A target that is a thing, not a party ("rejected the proposal",
   "agreed to a ceasefire"), is the event's ``object`` (text, never an entity),
   as is the action an intent verb takes ("urged Russia to [withdraw]").
   **Mentions of one event**: a definite violent or protest noun with nothing
   of its own ("the explosion", "this attack") refers back to the latest
   earlier event of its type (``same_as``: one event told twice, not a second
   attack); with none before it, it is no event (a generic mention).
5. **Negation**: a ``neg`` / "never" on the trigger, on the light verb of a
   nominal trigger ("did not hold talks") or "no" as its determiner.
6. **Modality**, strongest first: ``conditional`` (the trigger's clause is
   an if / unless clause, or governs one), ``planned`` ("will", "shall",
   "going to", "plans / intends / is expected / is due / is set to",
   "planned / upcoming / proposed" meeting), ``reported`` (inside the content
   of an attribution), else ``asserted``. ``attribution`` is the index of the
   innermost attribution whose content holds the trigger (one with a resolved
   speaker preferred), whatever the modality: a threat reported by Putin is
   Putin's claim. A violent event (ASSAULT, COERCE, SANCTION, MOBILIZE) in a
   clause governing an if-clause is a **THREATEN** ("if Ukraine attacks
   Crimea, Russia will go to war against NATO" -> THREATEN Russia -> NATO,
   conditional); the condition itself keeps its type, modality conditional.
7. **Dates** (``event_dates.py``): a DATE entity attached to the trigger's
   clause; explicit dates are resolved here, relative ones ("today", "on
   Tuesday", "last week") by :func:`to_events` given ``published``.
   **Location**: a GPE / LOC / FAC entity in an "in / at / near" phrase of the
   trigger, directly or one phrase down ("at a training ground in Kadaga").

Conflict-cooperation scale (proposed for dyad scoring later, Goldstein-like
-10..+10; ``SCALE``): AID +7, COOPERATE +6, AGREE +5, CONCEDE +4, RETREAT +4,
SUPPORT +3, CONSULT +1, REQUEST -1, ACCUSE -2, REJECT -4, PROTEST -5,
THREATEN -6, MOBILIZE -6, SANCTION -7, COERCE -8, ASSAULT -10. A negated event
scores 0 (it did not happen), a planned or conditional one half its value,
and a reported one counts for its speaker's stance, not as a fact.

Cost: one ``doc.to_array`` (token offsets, sentence starts, lemma and
lower-case hashes) instead of any per-token Python loop or ``Token.sent`` /
``Span.ents`` call (each O(doc)), work per candidate trigger, and one
resolution pass over the document's shared analysis (``doc._.analysis``,
built by the speakers or entities component before) when pronoun arguments
occur. Measured against the spaCy parse of the same
text (examples + shared example, concatenated; best of 2, on the shared
2-core machine): 4.6 ms vs 98 ms (4.7%) at 2.9k characters; 21 ms vs 0.8 s
(2.6%) at 25k; 50 ms vs 1.9 s (2.7%) at 60k; 179 ms vs 5.2 s (3.5%) at 150k.

Known gaps: recall is that of a lexicon (verbs and nouns outside it are no
events; "propose", "want", "warn of" are not modelled); a month or year alone
gives no date; indefinite plurals ("a spate of attacks") and mentions of an
event in another article are not linked; an attack's actor named only in
another sentence ("ETA claimed the bombing") is not carried over; the small
model's NER misses places ("Lyon" as PERSON) and so places; coordinated
actors multiply events; the model's parse errors propagate.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.attrs import IDX, LEMMA, LOWER, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from newsgraph.analyze.doc_analysis import analysis_of
from newsgraph.analyze.entity_credits import in_spans
from newsgraph.analyze.event_args import (
    INSTRUMENT_NOUNS,
    NOT_ARGS,
    RESPOND_VERBS,
    STANCE_VERBS,
    SUBJ,
    conjuncts,
    find_target,
    governing_verb,
    group_description,
    is_pronoun,
    passive_target,
    prep_obj,
    responders,
    verb_actor,
    victim_description,
)
from newsgraph.analyze.event_clauses import BACKGROUND_DAYS, clause_info, coded_type, days_before, timing_of
from newsgraph.analyze.event_dates import (
    is_duration,
    names_a_day,
    names_a_point,
    parse_published,
    resolve_date,
    year_of,
)
from newsgraph.analyze.event_lexicon import SCALE, Trigger, load_event_lexicon

__all__ = ["SCALE", "EventExtractor", "extract_events", "register_event_extension", "to_events"]

VIOLENT = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"})
#: what a rejection refuses rather than presupposes ("rejected talks", but "rejected the demands" keeps the demands)
OFFERS = frozenset({"AGREE", "CONSULT", "COOPERATE", "AID", "CONCEDE"})
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
CONSULT_PURPOSE = frozenset({"discuss", "talk", "meet", "negotiate", "consult", "hold", "attend"})
#: prepositions whose object is where an event happened ("in Kabul", "across Paris"); "of" one
#: phrase down ("in the heart of London")
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "around"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "themselves", "it", "its", "itself", "we", "us", "our"})
def register_event_extension() -> None:
    if not Doc.has_extension("events"):
        Doc.set_extension("events", default=None)


class _Ctx:
    """Per-doc lookups: entity mention per token, attribution contents, pending pronouns."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tok_ent: dict[int, tuple[str, str, int, int]] = {}  # token -> (name, type, char s, char e)
        arr = doc.to_array([IDX, SENT_START, LEMMA, LOWER]) if len(doc) else None
        self.arr = arr
        starts = arr[:, 0].tolist() if arr is not None else []
        ents = doc._.entities if Doc.has_extension("entities") else None
        if ents is None:  # without newsgraph_entities: NER spans named as written
            ents = [{"name": e.text, "type": e.label_, "mentions": [[e.start_char, e.end_char]]}
                    for e in doc.ents if e.label_ in ACTOR_TYPES or e.label_ in PLACE_TYPES]
        for ent in ents:
            for s, e in ent.get("mentions") or ():
                a = bisect.bisect_right(starts, s) - 1
                b = bisect.bisect_left(starts, e)
                for i in range(max(a, 0), min(b, len(doc))):
                    if doc[i].idx < e and doc[i].idx + len(doc[i]) > s:
                        old = self.tok_ent.get(i)
                        if old is None or (old[3] - old[2]) > (e - s):  # innermost mention wins
                            self.tok_ent[i] = (ent["name"], ent.get("type", ""), s, e)
        self.text = doc.text
        # once, from arrays: Token.sent / doc.sents / Span.ents each cost O(doc) per call
        self.sent_starts = sorted({0} | set(np.flatnonzero(arr[:, 1] == 1).tolist())) if arr is not None else [0]
        # points in time only: "five years in prison" is a length; "Saturday night" (TIME) names a day
        self.dates = [(e.start, e.end, e.root.i, e.start_char, e.end_char) for e in doc.ents
                      if (e.label_ == "DATE" and not is_duration(e.text))
                      or (e.label_ == "TIME" and names_a_point(e.text))]
        self.contents: list[tuple[int, int, int]] = []  # (start, end, attribution index)
        atts = (doc._.attributions if Doc.has_extension("attributions") else None) or ()
        self.atts = atts
        for j, a in enumerate(atts):
            for frag in a.get("content_spans") or ([a["content"]] if a.get("content") else []):
                self.contents.append((int(frag[0]), int(frag[1]), j))
        self.contents.sort()

    def sent_bounds(self, i: int) -> tuple[int, int]:
        """(first token, end token) of the sentence holding token ``i``."""
        k = bisect.bisect_right(self.sent_starts, i) - 1
        end = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(self.doc)
        return self.sent_starts[max(k, 0)], end

    def attribution_at(self, char: int) -> int | None:
        best: tuple[int, int, int] | None = None
        x = bisect.bisect_right(self.contents, (char, 1 << 62))
        for s, e, j in self.contents[max(0, x - 60):x]:
            if s <= char < e:
                has = 0 if self.atts[j].get("source_entity") else 1
                key = (has, e - s, j)
                if best is None or key < best:
                    best = key
        return best[2] if best else None


#: types whose two coordinated subjects are each other's partner ("X and Y agreed")
RECIPROCAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "ASSAULT"})

#: types whose to-infinitive complement is their content, not an event of its own
INTENT_TYPES = frozenset({"REQUEST", "THREATEN", "REJECT", "AGREE"})

#: verbs whose subject event happens when and where they say ("talks resumed on 3 March", "fighting broke
#: out in Aleppo"); others speak of it ("the meeting was announced on Monday")
OCCURRENCE_VERBS = frozenset({"resume", "begin", "start", "end", "continue", "take", "happen", "occur", "open",
                              "close", "break", "conclude", "collapse", "erupt", "intensify", "escalate", "stall",
                              "last", "go", "hit", "strike", "kill", "injure", "wound", "leave", "rock", "target"})

#: types that act upon the place they happen in when no one else is named as their target
PLACE_TARGET_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "CONCEDE", "RETREAT", "AID", "CONSULT"})
#: prepositions that name who an intended action is done to
CONTENT_PREPS = frozenset({"to", "with", "on", "against", "for", "from", "into", "at"})

#: types an event may have with no actor or target named, when the text names where it happened
PLACED_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE"})


#: verbs that say what a violent event did, when the event noun is their subject ("the explosion
#: injured 13 people", "a blast which killed two"): the event's target is their object
EFFECT_VERBS = frozenset({"kill", "injure", "wound", "hurt", "hit", "target", "damage", "destroy", "rock",
                          "shatter", "claim", "leave", "maim"})
#: event types whose verb takes a stance on an event noun rather than carrying it out
STANCE_TYPES = frozenset({"ACCUSE", "REJECT", "SUPPORT", "PROTEST", "REQUEST", "THREATEN"})
MENTION_DETS = frozenset({"the", "this", "that", "these", "those", "a", "an", "each"})
#: weapons as the subject of a violent verb ("the bomb exploded"): a mention of an attack
WEAPON_NOUNS = frozenset({"bomb", "device", "explosive", "missile", "rocket", "shell", "mine", "grenade",
                          "charge", "ied"})


def _effect_verb(t: Token) -> Token | None:
    """The verb saying what the violent event ``t`` did: ``t`` its subject, or a relative clause
    on ``t`` ("a Friday blast which injured several people")."""
    v = None
    if t.dep_ == "nsubj" and t.head.pos_ == "VERB":
        v = t.head
    else:
        v = next((c for c in t.children if c.dep_ == "relcl" and c.pos_ == "VERB" and any(
            g.dep_ == "nsubj" and g.tag_ in ("WDT", "WP") for g in c.children)), None)
    return v if v is not None and v.lemma_.lower() in EFFECT_VERBS else None


def _support_actor(t: Token, typ: str, skip: set[int], verbs: dict[str, Any]) -> Token | None:
    """The actor of a nominal trigger from the verb that carries it out: the subject of a verb
    taking it as object ("launched an attack", "held talks", "cancelled a visit"), unless that verb
    only speaks of it ("called it an attack", "condemned the attack": ``STANCE_VERBS`` and other
    event verbs); the agent of "the attack was carried out by X" / "attacks carried out by X";
    the subject of the clause a meeting, a fight with someone or a protest is in ("said after a
    meeting with Orban", "retook the village after fighting with guerrillas", "in protest")."""
    x = t
    while x.dep_ == "conj" and x.head is not x:
        x = x.head
    v = governing_verb(t)
    actor = None
    if v is not None and v.lemma_ not in RESPOND_VERBS:
        if x.dep_ in ("dobj", "attr", "dative", "oprd"):
            # a verb of stance speaks of it ("condemned the attack", "demanded talks"); others carry
            # it out ("signed partnerships", "lifted a blockade")
            other = [e for e in verbs.get(v.lemma_.lower()) or () if e.type != typ and e.type in STANCE_TYPES]
            if v.lemma_.lower() not in STANCE_VERBS and not other:
                actor = verb_actor(v)
        elif typ == "CONSULT" or _partnered(t) or (x.head.lower_ == "in" and t.lemma_ == "protest"):
            actor = verb_actor(v)
    elif x.dep_ == "nsubjpass" and x.head.lemma_.lower() not in STANCE_VERBS:
        actor = verb_actor(x.head)  # "the attack was carried out by ETA": the agent
    if actor is None:
        for c in t.children:  # "attacks carried out by ETA", "the demonstration staged by students"
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() not in STANCE_VERBS:
                actor = next((g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"),
                             None)
    return None if actor is None or actor.i in skip else actor


def _partnered(t: Token) -> bool:
    """Whether a nominal trigger names the other side ("fighting with X", "talks between X and Y")."""
    return any(c.dep_ == "prep" and c.lower_ in ("with", "between", "against") for c in t.children)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """Canonical country names (the speaker lexicon's table): a country in a compound acts."""
    from newsgraph.analyze.speaker_lexicon import load_lexicon

    return frozenset(load_lexicon().countries.values())


def _may_refer_back(t: Token, nominal: bool) -> bool:
    """A mention of violence that may point back to the article's earlier event: a noun with a
    determiner or possessor ("the attack", "an explosion", "Saturday's bombing"; not a bare plural,
    "attacks are commonplace"), or a verb whose subject is a weapon ("the bomb exploded", "the
    devices were detonated")."""
    if nominal:
        return any((c.dep_ == "det" and c.lower_ in MENTION_DETS) or c.dep_ == "poss" for c in t.children)
    subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and any(x in WEAPON_NOUNS for x in (subj.lemma_.lower(), subj.lower_))


def _action_phrase(t: Token) -> list[int]:
    """The characters of a verb with what it takes, without its subject, auxiliaries or clauses
    of its own ("[withdraw its troops from Lebanon], after fifteen years")."""
    hi = t
    for c in t.children:
        if c.i > t.i and c.dep_ in ("dobj", "dative", "prt", "prep", "attr", "oprd", "acomp", "xcomp", "npadvmod"):
            last = max(c.subtree, key=lambda g: g.i)
            if last.i > hi.i:
                hi = last
    while hi.i > t.i and (hi.is_punct or hi.is_space):
        hi = t.doc[hi.i - 1]
    return [t.idx, hi.idx + len(hi)]


#: a speaker's "X must / should do Y" is a demand on X
DEMAND_MODALS = ("must", "should")
DEMAND = Trigger(("must",), "VERB", "REQUEST", (), False, False, False, False)
#: verbs that cut off a cooperative act ("cancelled the visit", "suspended talks", "called off the meeting")
BREAK_VERBS = frozenset({"cancel", "postpone", "halt", "end", "suspend", "freeze", "scrap", "abandon", "shelve",
                         "delay", "boycott"})
BREAK_PARTICLES = {"call": "off", "break": "off", "cut": "off", "pull": "out"}


def _breaks_off(v: Token) -> bool:
    lemma = v.lemma_.lower()
    if lemma in BREAK_VERBS:
        return True
    prt = BREAK_PARTICLES.get(lemma)
    return prt is not None and any(c.dep_ == "prt" and c.lower_ == prt for c in v.children)


def _acts_in_front(hit: tuple[str, str, int, int], tok: Token) -> bool:
    """Whether a name in front of a violent or protest noun is who did it: a people or a country
    ("Israeli strikes", "US attacks") or an armed group's acronym ("ETA bombings", "IS attacks"),
    not a venue or a person named after it ("the Rolando bombing", "the Trump rally")."""
    name, typ = hit[0], hit[1]
    if typ == "NORP" or (typ == "GPE" and name in _countries()):
        return True
    return typ == "ORG" and tok.text.isupper() and len(tok.text) >= 2


def _phrase(h: Token) -> list[int]:
    """The characters of the whole phrase ``h`` heads ("part of a military aid program for Bosnia")."""
    lo, hi = h.left_edge, h.right_edge
    while hi.i > h.i and (hi.is_punct or hi.is_space):
        hi = h.doc[hi.i - 1]
    while lo.i < h.i and (lo.is_punct or lo.is_space):
        lo = h.doc[lo.i + 1]
    return [lo.idx, hi.idx + len(hi)]


def _intent_clause(t: Token) -> Token | None:
    """The to-infinitive a REQUEST / THREATEN / REJECT / AGREE verb takes as its content."""
    for c in t.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB" and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            return c
    return None


# ------------------------------------------------------------- the component
class _Extractor:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lex = load_event_lexicon()
        self.ctx = _Ctx(doc)
        self.pending: dict[int, None | str] = {}
        self.raw: list[dict[str, Any]] = []
        self.consumed: set[int] = set()

    def _named(self, tok: Token) -> bool:
        return not is_pronoun(tok) and self._name(tok)[1] is not None

    def _party(self, tok: Token) -> bool:
        """Named, or a group or people described ("urged people to avoid the area")."""
        return self._named(tok) or group_description(tok) or victim_description(tok)

    def _absorb(self, t: Token, typ: str) -> None:
        """Trigger nouns that only restate a verb trigger are no events of their own.

        Same type as the verb ("agreed to a ceasefire"), what is requested
        ("called for talks"), an offer rejected, agreed to or suspended ("rejected the deal",
        "agreed to mediation", "suspended aid"), or the content of a threat ("threatened X with
        strikes", "the threat of war").
        """
        lex = self.lex.nouns
        for c in t.children:
            objs = [c] if c.dep_ in ("dobj", "attr") else \
                [g for g in c.children if g.dep_ == "pobj"] if c.dep_ in ("prep", "prt") else []
            for o in objs:
                for trig in lex.get(o.lemma_.lower()) or ():
                    if trig.type == typ or typ == "REQUEST" or (typ == "THREATEN" and trig.type in VIOLENT) \
                            or (typ in ("REJECT", "AGREE", "SANCTION") and trig.type in OFFERS):
                        self.consumed.add(o.i)
        if typ in INTENT_TYPES:
            # "urged Russia to withdraw", "threatened to attack", "refused to withdraw", "offered to
            # send aid": the action is what is requested, threatened, refused or offered, not a
            # second event that happened
            c = _intent_clause(t)
            if c is not None:
                self.consumed.update(g.i for g in c.subtree)  # the whole intended action

    # -- naming
    def _name(self, h: Token) -> tuple[tuple[int, int], str | None, str | None]:
        """(char span, entity name, entity type) of the phrase headed by ``h``."""
        te = self.ctx.tok_ent
        hit = te.get(h.i)
        if hit is None:
            for c in h.children:
                if c.dep_ == "appos" and c.i in te:
                    hit = te[c.i]
                    break
        if hit is not None:
            return (hit[2], hit[3]), hit[0], hit[1]
        a = max(h.left_edge.i, self.ctx.sent_bounds(h.i)[0])
        for k in range(h.i - 1, a - 1, -1):  # never across a line break ("Headline\n\nCoastal states")
            if "\n" in self.doc[k].text_with_ws:
                a = k + 1
                break
        while a < h.i and (self.doc[a].is_punct or self.doc[a].is_space):
            a += 1
        span = (self.doc[a].idx, h.idx + len(h))
        if is_pronoun(h):
            self.pending.setdefault(h.i, None)
            return span, None, "PRON"
        best = None
        inner = list(range(a, h.i))
        of = prep_obj(h, "of")
        if of is not None:
            inner.append(of.i)
        for i in inner:
            got = te.get(i) if not is_pronoun(self.doc[i]) else None  # "its labour market" is no one
            if got is not None and got[1] in ACTOR_TYPES:
                if best is None or (got[1] == "PERSON" and best[1] != "PERSON"):
                    best = got
        if best is not None:
            return span, best[0], best[1]
        return span, None, None

    def _date(self, t: Token) -> tuple[int, int] | None:
        lo, hi = self.ctx.sent_bounds(t.i)
        dates = self.ctx.dates
        k = bisect.bisect_left(dates, (lo,))
        while k < len(dates) and dates[k][0] < hi:
            _, _, root, sc, ec = dates[k]
            k += 1
            x = self.doc[root]
            for _ in range(6):
                if x.i == t.i:
                    return sc, ec
                if x.head is x or (x.pos_ in ("VERB", "AUX") and x.i != root):
                    break
                x = x.head
            if x.i == t.i:
                return sc, ec
        return None

    def _location(self, t: Token, exclude: set[int]) -> tuple[tuple[int, int], str | None] | None:
        te = self.ctx.tok_ent
        # the trigger's own phrases, and its object's ("killed 12 people in Kabul")
        frontier = [t, *(c for c in t.children if c.dep_ in ("dobj", "nsubjpass"))]
        for depth in range(2):
            nxt = []
            for x in frontier:
                for c in x.children:
                    if c.dep_ == "prep" and (c.lower_ in PLACE_PREPS or (depth and c.lower_ == "of")):
                        o = next((g for g in c.children if g.dep_ == "pobj"), None)
                        if o is None or o.i in exclude:
                            continue
                        hit = te.get(o.i)
                        if hit is not None and hit[1] in PLACE_TYPES:
                            return (hit[2], hit[3]), hit[0]
                        if hit is None and o.ent_type_ in PLACE_TYPES:
                            return (o.idx, o.idx + len(o)), None
                        nxt.append(o)
            frontier = nxt
        return None

    # -- triggers
    def _match(self, t: Token, trig: Trigger) -> list[int] | None:
        toks = [t.i]
        if len(trig.words) == 1:
            return toks
        doc = self.doc
        j = t.i + 1
        for w in trig.words[1:]:
            found = None
            while j < min(len(doc), t.i + 5):
                c = doc[j]
                j += 1
                if (c.lemma_.lower() == w or c.lower_ == w) and (c.head.i in toks or c.head.head.i in toks):
                    found = c.i
                    break
            if found is None:
                return None
            toks.append(found)
        return toks

    def run(self) -> list[dict[str, Any]]:
        doc = self.doc
        lex = self.lex
        if not len(doc):
            return []
        self._demands()
        keys = _trigger_keys()
        arr = self.ctx.arr
        cands = [i for i, (lem, low) in enumerate(arr[:, 2:4].tolist()) if lem in keys or low in keys]
        credits = analysis_of(doc).credits if cands else []  # photo credits, bylines: no events there
        for i in cands:
            if i in self.consumed or in_spans(credits, doc[i].idx, doc[i].idx + 1) or doc[i].ent_type_ in ("DATE", "TIME"):
                continue  # "the election planned for March" is no march
            t = doc[i]
            lemma = t.lemma_.lower()
            if t.pos_ == "VERB" and t.dep_ != "amod":
                self._verb(t, lex.verbs.get(lemma) or [])
            elif t.pos_ in ("NOUN", "PROPN"):
                entries = lex.nouns.get(lemma) or lex.nouns.get(t.lower_) or []
                self._noun(t, entries)
        self._resolve_pronouns()
        return self._finish()

    def _demands(self) -> None:
        """What a speaker says another must do is a REQUEST: "Russia said that Sudan must return the
        helicopter" -> REQUEST Russia -> Sudan, object "return the helicopter". The demanded action
        is its content, not an event of its own; a speaker's own duty ("we must act") is none."""
        doc = self.doc
        ids = [get_string_id(w) for w in DEMAND_MODALS]
        for i in np.flatnonzero(np.isin(self.ctx.arr[:, 3], ids)).tolist():
            m = doc[i]
            v = m.head
            if m.dep_ != "aux" or v.pos_ not in ("VERB", "AUX"):
                continue
            j = self.ctx.attribution_at(v.idx)
            source = self.ctx.atts[j].get("source") if j is not None else None
            subj = next((c for c in v.children if c.dep_ in SUBJ), None)
            if source is None or subj is None or is_pronoun(subj) \
                    or not (self._named(subj) or group_description(subj)):
                continue
            src_name = self.ctx.atts[j].get("source_entity")
            if src_name and self._name(subj)[1] == src_name:
                continue
            self.consumed.update(g.i for g in v.subtree)
            self._emit(DEMAND, [m.i, v.i], None, [subj], nominal=False,
                       actor_fixed=((int(source[0]), int(source[1])), src_name), obj=_action_phrase(v))

    def _verb(self, t: Token, entries: list[Trigger]) -> None:
        chosen = None
        for trig in entries:
            toks = self._match(t, trig)
            if toks is None:
                continue
            if trig.motion:
                purpose = next((c for c in t.children if c.dep_ in ("advcl", "xcomp") and c.lemma_ in CONSULT_PURPOSE
                                and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
                if purpose is None or (purpose.dep_ == "xcomp" and not any(prep_obj(t, a) for a in trig.targets)):
                    continue  # "is going to meet" is a future, not a journey
                self.consumed.add(purpose.i)
            skip = set(toks)
            if trig.speaker:
                chosen = (trig, toks, None, None)
                break
            target = passive_target(t) or find_target(t, trig, skip, self._party)
            if target is None and (trig.required or (not trig.targets and len(entries) > 1 and entries[-1] is not trig)):
                continue
            chosen = (trig, toks, verb_actor(t), target)
            if target is not None or trig is entries[-1] or not trig.targets:
                break
            # keep looking for an entry whose target is found, fall back to this one
            for other in entries[entries.index(trig) + 1:]:
                if other.motion or other.speaker:
                    continue
                otoks = self._match(t, other)
                if otoks is None:
                    continue
                ot = find_target(t, other, set(otoks), self._party)
                if ot is not None:
                    chosen = (other, otoks, verb_actor(t), ot)
                    break
            break
        if chosen is None:
            return
        trig, toks, actor, target = chosen
        self.consumed.update(toks)
        self._absorb(t, trig.type)
        if trig.speaker:
            j = self.ctx.attribution_at(t.idx)
            if j is None:
                return
            a = self.ctx.atts[j]
            if not a.get("source"):
                return
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None or not (is_pronoun(subj) or self._named(subj)):
                return  # "the village lies in the valley" accuses no one
            self._emit(trig, toks, None, [subj] if subj is not None else [], nominal=False,
                       actor_fixed=((int(a["source"][0]), int(a["source"][1])), a.get("source_entity")))
            return
        self._emit(trig, toks, actor, target, nominal=False)

    def _noun(self, t: Token, entries: list[Trigger]) -> None:
        for trig in entries:
            toks = self._match(t, trig)
            if toks is None:
                continue
            skip = set(toks)
            actor: Any = None
            targets: list[Token] = []
            betw = prep_obj(t, "between")
            if betw is not None:
                conj = conjuncts(betw)
                inner = prep_obj(betw, "of")
                if len(conj) == 1 and inner is not None and len(conjuncts(inner)) > 1:
                    conj = conjuncts(inner)  # "between the governments of X and Y"
                    betw = inner
                actor = betw
                targets = conj[1:]
            if actor is None:  # "Russia's attack", not "last month's invasion"
                actor = next((c for c in t.children if c.dep_ == "poss" and c.ent_type_ not in NOT_ARGS), None)
            place = None
            for c in self._premodifiers(t):
                if c.dep_ in ("compound", "amod", "nmod"):
                    hit = self.ctx.tok_ent.get(c.i)
                    if hit is not None and trig.type in PLACED_TYPES and c.dep_ == "compound" \
                            and hit[1] in PLACE_TYPES and hit[0] not in _countries():
                        place = c  # "the London attack", "the Boston Marathon bombing": where, not who
                        # (a country acts: "US Predator attacks")
                    elif actor is None and hit is not None and hit[1] in ACTOR_TYPES and (
                            trig.type not in PLACED_TYPES or _acts_in_front(hit, c)):
                        actor = c
            if actor is None:  # "a government offensive", "a police raid"
                actor = next((c for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i
                              and group_description(c)), None)
            if actor is None and trig.type in VIOLENT:  # "US Predator attacks", "a minefield explosion"
                actor = next((c for c in t.children if c.dep_ == "compound" and c.i < t.i
                              and (place is None or c.i != place.i) and c.i not in self.ctx.tok_ent
                              and c.ent_type_ not in NOT_ARGS and c.ent_type_ not in PLACE_TYPES
                              and (c.pos_ == "PROPN" or c.lower_ in INSTRUMENT_NOUNS)), None)
            if actor is None:  # "the threat from Russia", "aid from the EU"
                fr = prep_obj(t, "from")
                if fr is not None and self._named(fr):
                    actor = fr
            of = prep_obj(t, "of")
            if of is not None:
                hit = self.ctx.tok_ent.get(of.i)
                if trig.of_target:
                    targets = targets or [of]
                elif actor is None and hit is not None and hit[1] in ACTOR_TYPES:
                    actor = of
            if not targets:
                if trig.type == "REQUEST":
                    targets = responders(t)
                if not targets:
                    tg = find_target(t, trig, skip, self._party)
                    if tg is None and trig.type == "REQUEST":
                        for c in t.children:  # "demands that Ukraine ... could not join NATO"
                            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                                tg = next((g for g in c.children if g.dep_ in SUBJ), None)
                    if tg is not None:
                        targets = [tg]
            if not targets and trig.type in VIOLENT:
                effect = _effect_verb(t)  # "the explosion injured 13 people"
                if effect is not None:  # "killed two youths and wounded five others": one event
                    for v in [effect, *(c for c in effect.conjuncts if c.lemma_.lower() in EFFECT_VERBS)]:
                        self.consumed.add(v.i)
                        targets += [c for c in v.children if c.dep_ == "dobj"]
            if trig.required and not targets:
                continue
            if actor is None or is_pronoun(actor):
                # "Russia launched its invasion": a possessive in the object is bound by the subject
                doer = _support_actor(t, trig.type, skip, self.lex.verbs)
                if actor is None or (doer is not None and not is_pronoun(doer)
                                     and (self._named(doer) or group_description(doer))):
                    actor = doer
                if actor is not None and not (is_pronoun(actor) or self._named(actor)
                                              or group_description(actor)):
                    actor = None  # "a general strike that shut down the city in protest": no party
            self.consumed.update(toks)
            self._absorb(t, trig.type)
            v = governing_verb(t)
            if trig.type in OFFERS and v is not None and t.dep_ == "dobj" and _breaks_off(v):
                # "cancelled a planned visit to Haiti", "ended mediation efforts": relations cut
                self.consumed.add(v.i)
                self._emit(trig, sorted({v.i, *toks}), actor, targets, nominal=True, typ="SANCTION", head=v,
                           obj=[t.left_edge.idx, t.idx + len(t)])
                return
            self._emit(trig, toks, actor, targets, nominal=True, place=place)
            return

    # -- assembling
    def _emit(self, trig: Trigger, toks: list[int], actor: Token | None, target: Any, *, nominal: bool,
              actor_fixed: tuple[tuple[int, int], str | None] | None = None, place: Token | None = None,
              typ: str | None = None, head: Token | None = None, obj: list[int] | None = None) -> None:
        """One raw event per (actor, target) pair; ``typ`` overrides the trigger's type, ``head`` is
        the token whose clause counts when it is not the trigger's first ("cancelled a visit")."""
        doc = self.doc
        t = doc[toks[0]]
        last = doc[max(toks)]
        att = self.ctx.attribution_at(t.idx)
        clause = clause_info(head or t, nominal and head is None, reported=att is not None)
        base = typ or trig.type
        typ = coded_type(base, clause)
        stated = typ != base and not clause.apodosis  # a commitment, threat or refusal made now
        neg = clause.negated and typ != "REJECT"
        targets = target if isinstance(target, list) else conjuncts(target)
        tlist: list[Token | None] = []
        for tg in targets:
            tlist.extend(conjuncts(tg) if isinstance(target, list) else [tg])
        # "rejected Jordan's proposal", "dismissed an appeal by the president": the one whose thing it is
        owned = tlist
        tlist = [self._owner(tg) or tg if isinstance(tg, Token) else tg for tg in tlist]
        owned = [x for x, y in zip(owned, tlist, strict=True) if isinstance(x, Token) and isinstance(y, Token)
                 and x.i != y.i]  # things given way to their owner: still what the event is about
        actors: list[Any] = [actor_fixed] if actor_fixed else (conjuncts(actor) or [None])
        things = [tg for tg in tlist if isinstance(tg, Token) and self._thing(tg)]
        about = owned + things
        obj = plain_obj = obj or self._object(trig, t, nominal) or (_phrase(about[0]) if about else None)
        if stated and not nominal and typ != "REJECT":
            obj = _action_phrase(t)  # "is willing to [withdraw its troops from Lebanon]"
        if len(things) == len(tlist) and typ in RECIPROCAL and len(actors) == 2 and all(
                isinstance(a, Token) for a in actors):
            # "Hungary and Romania agreed to a ceasefire": each other's partner, the ceasefire the object
            actors, tlist = actors[:1], actors[1:]
        else:
            tlist = [tg for tg in tlist if tg not in things] or ([None] if things else tlist)
        if not any(tlist) and not nominal and (typ in INTENT_TYPES or stated):
            # "refused to meet Jordan's King", "threatened to ban opposition candidates": who the
            # intended action is done to
            action = t if stated else _intent_clause(t)
            tg = self._content_target(action) if action is not None else None
            if tg is not None:
                tlist = [tg]
        exclude = {x.i for x in tlist if x is not None}
        date = self._date(last if nominal else t)
        loc = self._place(place) if place is not None else self._location(t, exclude)
        if nominal and (date is None or loc is None):  # "will participate in a NATO maneuver ... in September"
            v = governing_verb(t)
            if v is None and t.dep_ in SUBJ and t.head.lemma_.lower() in OCCURRENCE_VERBS:
                v = t.head  # "Talks ... resumed in Istanbul on 3 March" (not "the meeting was announced on Monday")
            if v is not None:
                date = date or self._date(v)
                loc = loc or self._location(v, exclude | {t.i})
        for x in [actor, *tlist]:
            # pronouns, and groups described ("the government", "the authorities"): the document's
            # resolution names them when the article does ("Venezuela's government ... the government")
            if isinstance(x, Token) and (is_pronoun(x) or (group_description(x) and not self._named(x))):
                self.pending.setdefault(x.i, None)
        if not any(tlist) and typ in PLACE_TARGET_TYPES and loc is not None and loc[1]:
            # "suspended aid deliveries in Baghdad", "arrived in Amman on a visit": done to the place
            tlist = [loc]
        def how(planned: bool) -> tuple[str, str]:
            modality = "conditional" if clause.conditional else "planned" if planned else \
                "reported" if att is not None else "asserted"
            timing = "future" if planned else timing_of(t, governing_verb(t) if nominal else t,
                                                         self.ctx.text[date[0]:date[1]] if date else "")
            return modality, timing

        modality, timing = how(clause.planned and clause.commitment != "would" and not stated)
        # a plan stated by someone else is their claim, not the actor's commitment ("Russia will
        # invade, Biden said"): the act itself, planned (decided in _finish, once names are known)
        plain = None
        if stated and att is not None and not clause.negated:  # a refusal is one whoever reports it
            pm, pt = how(clause.planned and clause.commitment != "would")
            plain = {"type": base, "negated": clause.negated, "modality": pm, "timing": pt, "object": plain_obj}
        for a in actors:
            for tg in tlist or [None]:
                self.raw.append({
                    "type": typ, "trigger": [t.idx, last.idx + len(last)],
                    "actor": a, "target": tg, "negated": neg, "modality": modality,
                    "date_text": list(date) if date else None,
                    "location": list(loc[0]) if loc else None, "location_entity": loc[1] if loc else None,
                    "attribution": att, "timing": timing,
                    "bare_ok": _may_refer_back(t, nominal), "object": obj, "nominal": nominal, "plain": plain,
                })

    def _premodifiers(self, t: Token) -> list[Token]:
        """The words before a noun in its own phrase ("Recent US Predator [attacks]": US, Predator)."""
        return [self.doc[i] for i in range(t.left_edge.i, t.i)
                if self.doc[i].dep_ in ("compound", "amod", "nmod") and self.doc[i].head.i in
                {t.i, *(g.i for g in t.children if g.dep_ in ("compound", "amod", "nmod"))}]

    def _thing(self, tg: Token) -> bool:
        """Whether a target is a thing rather than a party: not named, not a pronoun, not a group or
        people described ("the proposal", "contracts", "a ceasefire"); kept as the event's object."""
        return not is_pronoun(tg) and not self._named(tg) and not group_description(tg) \
            and not victim_description(tg)

    def _place(self, tok: Token) -> tuple[tuple[int, int], str | None] | None:
        hit = self.ctx.tok_ent.get(tok.i)
        return ((hit[2], hit[3]), hit[0]) if hit is not None else None

    def _object(self, trig: Trigger, t: Token, nominal: bool) -> list[int] | None:
        """The intended action of an intent verb as characters ("urged Russia [to withdraw its
        troops]" -> "withdraw its troops"), else None."""
        if nominal or trig.type not in INTENT_TYPES:
            return None
        c = _intent_clause(t)
        if c is None:
            return None
        toks = [g for g in c.subtree if not (g.dep_ == "aux" and g.lower_ == "to" and g.head.i == c.i)]
        lo = min(toks, key=lambda g: g.i)
        hi = max(toks, key=lambda g: g.i)
        while hi.i > lo.i and hi.is_punct:
            hi = self.doc[hi.i - 1]
        return [lo.idx, hi.idx + len(hi)]

    def _content_target(self, v: Token) -> Token | None:
        """Who an intended action is done to: its object when that is a party, else the owner of
        its object, else a party in one of its phrases ("lift the curfew on Palestinians")."""
        obj = next((c for c in v.children if c.dep_ in ("dobj", "dative")), None)
        if obj is not None and not is_pronoun(obj):
            if self._named(obj) or group_description(obj):
                return obj
            owner = self._owner(obj)
            if owner is not None:
                return owner
        for host in (v, obj):
            if host is None:
                continue
            for c in host.children:
                if c.dep_ in ("prep", "dative") and c.lower_ in CONTENT_PREPS:
                    o = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if o is not None and not is_pronoun(o) and (self._named(o) or group_description(o)):
                        return o
        return None

    def _owner(self, tg: Token) -> Token | None:
        """A named owner of a target that is a thing ("Jordan's proposal", "an appeal by X", "the
        demands of X"), else the party it is for or against ("part of an aid program for Bosnia"),
        looking two phrases down; None for a named or group target, or a thing of no one's."""
        if is_pronoun(tg) or self._named(tg) or group_description(tg):
            return None
        for preps in (("of", "from", "by"), ("for", "to", "against", "on")):
            # whose it is first; else whom it is for or against ("part of an aid program for Bosnia")
            frontier = [tg]
            for _ in range(2):
                nxt = []
                for x in frontier:
                    for c in x.children:
                        if c.dep_ == "poss" and not is_pronoun(c) and self._named(c):
                            return c
                        if c.dep_ == "prep" and c.lower_ in (*preps, "of"):
                            for g in c.children:
                                if g.dep_ == "pobj" and c.lower_ in preps and self._party(g) and not is_pronoun(g):
                                    return g
                                if g.dep_ == "pobj":
                                    nxt.append(g)
                frontier = nxt
        return None

    def _resolve_pronouns(self) -> None:
        if not self.pending:
            return
        doc = self.doc
        idx = sorted(self.pending)
        names = analysis_of(doc).resolve_names([(doc[i].idx, doc[i].idx + len(doc[i])) for i in idx])
        for i, name in zip(idx, names, strict=True):
            if name is None and doc[i].lower_ in GROUP_PRONOUNS:
                name = self._group_fallback(doc[i])
            self.pending[i] = name

    def _group_fallback(self, p: Token) -> str | None:
        """Latest plural / group subject naming an entity, this or the two previous sentences."""
        doc = self.doc
        lo = self.ctx.sent_bounds(p.i)[0]
        for _ in range(2):
            if lo > 0:
                lo = self.ctx.sent_bounds(lo - 1)[0]
        speaker = None
        j = self.ctx.attribution_at(p.idx)
        if j is not None:
            speaker = self.ctx.atts[j].get("source_entity")
        if p.dep_ == "poss":  # "its security demands": the clause's subject
            v = governing_verb(p.head)
            s = verb_actor(v) if v is not None else None
            if s is not None and s.i < p.i and not is_pronoun(s):
                _, name, typ = self._name(s)
                if name and typ != "PERSON":
                    return name
        plural: str | None = None
        group: str | None = None
        for x in range(lo, p.i):
            tok = doc[x]
            if tok.dep_ not in SUBJ or is_pronoun(tok):
                continue
            _, name, typ = self._name(tok)
            if not name or name == speaker or typ == "PERSON":
                continue
            if tok.tag_ in ("NNS", "NNPS"):
                plural = name
            elif typ in ("ORG", "GPE", "NORP"):
                group = name
        return plural or group

    def _finish(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        keys: set[tuple[Any, ...]] = set()
        type_of: dict[tuple[int, int], str] = {}  # one trigger, one event type (the first found)
        for r in self.raw:
            if type_of.setdefault(tuple(r["trigger"]), r["type"]) != r["type"]:
                continue
            fields = self._fields(r)
            if r["plain"] is not None and not self._self_stated(r, fields):
                r = {**r, **r["plain"]}
            antecedent = None
            if not self._anchored(r, fields):
                antecedent = self._antecedent(r, out)
                if antecedent is None:
                    continue
            if fields["actor_entity"] and fields["actor_entity"] == fields["target_entity"]:
                continue
            if fields["actor"] is not None and fields["actor"] == fields["target"]:
                continue  # "a meeting between the two ministers": one phrase is not two sides
            if fields["actor_type"] in ("FAC", "LOC"):  # "the Rolando cafe which killed 13": a place never acts
                fields["actor"] = fields["actor_entity"] = None
            dt = r["date_text"]
            date = resolve_date(self.ctx.text[dt[0]:dt[1]]) if dt else None
            ev = {"type": r["type"], "trigger": r["trigger"],
                  "actor": fields["actor"], "actor_entity": fields["actor_entity"],
                  "target": fields["target"], "target_entity": fields["target_entity"],
                  "object": fields["object"], "same_as": antecedent,
                  "negated": r["negated"], "modality": r["modality"],
                  "date": date, "date_text": dt,
                  "location": r["location"], "location_entity": r["location_entity"],
                  "attribution": r["attribution"], "timing": r["timing"]}
            key = (ev["type"], tuple(ev["trigger"]), ev["actor_entity"] or tuple(ev["actor"] or ()),
                   ev["target_entity"] or tuple(ev["target"] or ()))
            if key in keys:
                continue
            keys.add(key)
            out.append(ev)
        out.sort(key=lambda e: (e["trigger"][0], e["trigger"][1]))
        index = {id(e): i for i, e in enumerate(out)}
        for e in out:  # the antecedent event as its index in the sorted list
            if e["same_as"] is not None:
                e["same_as"] = index[id(e["same_as"])]
        return out

    def _fields(self, r: dict[str, Any]) -> dict[str, Any]:
        """Actor and target as (span, entity name), and the event's object."""
        fields: dict[str, Any] = {"object": r["object"], "actor_type": None, "target_type": None}
        for role in ("actor", "target"):
            v = r[role]
            if v is None:
                fields[role], fields[role + "_entity"] = None, None
            elif isinstance(v, tuple):  # fixed (span, name)
                fields[role], fields[role + "_entity"] = list(v[0]), v[1]
            else:
                span, name, typ = self._name(v)
                fields[role + "_type"] = typ
                if typ == "PRON" or name is None:
                    name = self.pending.get(v.i)
                fields[role], fields[role + "_entity"] = list(span), name
        return fields

    def _self_stated(self, r: dict[str, Any], fields: dict[str, Any]) -> bool:
        """Whether the actor of a reported plan is its speaker ("Syria says it is willing to withdraw",
        "Palestinian leaders said they would boycott"): a pronoun subject, the speaker's entity, or
        a speaker with no entity of their own; not another named speaker ("Russia will invade, Biden
        said")."""
        a = r["actor"]
        if isinstance(a, Token) and is_pronoun(a):
            return True
        src = self.ctx.atts[r["attribution"]].get("source_entity")
        return not src or fields["actor_entity"] == src  # an unnamed speaker ("its minister") is taken as the actor's

    def _anchored(self, r: dict[str, Any], fields: dict[str, Any]) -> bool:
        """Whether an event says enough to stand on its own: a named actor or target, a group the
        text describes ("rebels", "police"), people harmed by violence ("killing 130 people"), or,
        for violence and protest, where or when it happened ("an explosion in Kabul", "a Friday
        blast")."""
        if fields["actor_entity"] or fields["target_entity"]:
            return True
        a, tg = r["actor"], r["target"]
        if isinstance(a, Token) and group_description(a):
            return True
        if isinstance(tg, Token) and fields["target"] is not None and (
                group_description(tg) or (r["type"] in VIOLENT and victim_description(tg))):
            return True
        return r["type"] in PLACED_TYPES and bool(r["location"] or r["date_text"])

    @staticmethod
    def _antecedent(r: dict[str, Any], out: list[dict[str, Any]]) -> dict[str, Any] | None:
        """For a violent or protest mention with nothing of its own that may refer back ("the
        explosion", "an attack", "the bomb exploded": ``_may_refer_back``): the latest earlier event
        of its type (event coreference)."""
        if r["type"] not in PLACED_TYPES or not r["bare_ok"]:
            return None
        start = r["trigger"][0]
        prior = [e for e in out if e["type"] == r["type"] and e["trigger"][0] < start and e["same_as"] is None]
        return max(prior, key=lambda e: e["trigger"][0]) if prior else None


@lru_cache(maxsize=1)
def _trigger_keys() -> frozenset[int]:
    """The ids of every trigger lemma and noun plural, as ``doc.to_array`` gives LEMMA / LOWER.

    Computed once from the lexicon (read-only afterwards); nothing is written to the
    vocabulary's string store, which every thread's docs share.
    """
    lex = load_event_lexicon()
    return frozenset(get_string_id(w) for w in lex.lemmas()) | frozenset(get_string_id(w + "s") for w in lex.nouns)


def extract_events(doc: Doc) -> list[dict[str, Any]]:
    """The events of ``doc`` as plain dicts (see module docstring); needs a parsed doc."""
    return _Extractor(doc).run()


class EventExtractor:
    """spaCy component: sets ``doc._.events``.

    Stateless and thread-safe: each call builds its own ``_Extractor`` (per-doc
    lookups, pending pronouns, raw events) and drops it; the instance holds only
    its name, and the lexicon and its trigger ids are read-only once loaded.
    """

    def __init__(self, *, name: str = "newsgraph_events", nlp: Any = None) -> None:
        register_event_extension()
        self.name = name
        _trigger_keys()  # loads the lexicon now, not in the first call

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = extract_events(doc)
        return doc


def _tspan(text: str, s: int, e: int, entity: Any = None, with_entity: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"start": s, "end": e, "text": text[s:e]}
    if with_entity:
        d["entity"] = entity
    return d


def to_events(doc: Any, offset: int = 0, text: str | None = None, published: Any = None) -> list[dict[str, Any]]:
    """``doc._.events`` in the output contract (char offsets into the article ``text``).

    ``offset`` shifts every span (for a doc made from a slice of ``text``);
    relative dates ("today", "on Tuesday", "last week") are resolved against
    ``published`` (ISO date string, date or datetime) when given.
    """
    own = doc.text
    full = text if text is not None else own
    out: list[dict[str, Any]] = []
    evs: Iterable[dict[str, Any]] = (doc._.events if Doc.has_extension("events") else None) or ()
    def span_of(ev: dict[str, Any], key: str, ent_key: str | None = None) -> dict[str, Any] | None:
        v = ev.get(key)
        if not v:
            return None
        return _tspan(full, v[0] + offset, v[1] + offset, ev.get(ent_key) if ent_key else None, ent_key is not None)

    for ev in evs:
        def sp(key: str, ent_key: str | None = None, ev: dict[str, Any] = ev) -> dict[str, Any] | None:
            return span_of(ev, key, ent_key)

        date = ev.get("date")
        date_from = "explicit" if date else None
        dt = ev.get("date_text")
        if published is not None and dt and not date:
            date = resolve_date(own[dt[0]:dt[1]], published, future=ev.get("modality") == "planned")
            # "on 1 March" names its day (the year is the article's): explicit; "on Tuesday": relative
            date_from = ("explicit" if names_a_day(own[dt[0]:dt[1]]) else "relative") if date else None
        timing = ev.get("timing") or "new"
        ref = parse_published(published) if published is not None else None
        if date and ref is not None and timing == "new" and days_before(date, ref) > BACKGROUND_DAYS:
            timing = "background"  # dated well before the article: recalled, not reported as new
        year = year_of(own[dt[0]:dt[1]]) if dt else None
        if not date and ref is not None and timing == "new" and year is not None and year < ref.year:
            timing = "background"  # "in March 1999": a month of an earlier year
        if date is None and timing == "new":
            date_from = "article"
        trig = sp("trigger")
        assert trig is not None
        out.append({
            "type": ev["type"], "trigger": trig,
            "actor": sp("actor", "actor_entity"), "target": sp("target", "target_entity"),
            "negated": bool(ev.get("negated")), "modality": ev.get("modality", "asserted"),
            "date": date, "location": sp("location", "location_entity"),
            "attribution": ev.get("attribution"), "timing": timing, "date_from": date_from,
            "object": sp("object"), "same_as": ev.get("same_as"),
        })
    return out
