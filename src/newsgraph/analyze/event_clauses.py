"""The clause around an event trigger: negation, modality and timing (stages 5-7 of ``events.py``).

``clause_info`` walks from the trigger (or the light verb of a nominal
trigger) up to its clause head for negation, if / unless conditions, "will" /
"plans to" futures; ``timing_of`` tells an event the article recalls
(``background``: past perfect, "when X launched", a year as its only date)
from one it reports as ``new``; ``days_before`` backs the rule that an event
dated well before its article is background.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from spacy.tokens import Token

from newsgraph.analyze.event_args import governing_verb

LIGHT_VERBS = frozenset({"hold", "have", "make", "issue", "launch", "conduct", "impose", "stage", "give", "send",
                         "voice", "express", "level", "lodge", "deliver", "carry", "begin", "start", "continue",
                         "resume", "announce", "order", "agree", "seek", "reach", "sign", "offer", "pose"})
PLAN_HEADS = frozenset({"plan", "intend", "expect", "aim", "prepare", "schedule", "due", "set", "slate", "poise",
                        "hope", "want", "wish", "try", "attempt"})
PLAN_MODS = frozenset({"planned", "upcoming", "proposed", "expected", "scheduled", "forthcoming", "future"})
COND_MARKS = frozenset({"if", "unless"})


class Clause(NamedTuple):
    """What the clause around a trigger says of it."""

    conditional: bool  # in an if / unless clause, or governing one
    apodosis: bool     # governing an if / unless clause ("will go to war if ...")
    planned: bool      # will / shall / plans to / is willing to / a planned ...
    negated: bool      # not / never / no ..., or "failed to"
    commitment: str | None  # how: "will", "would" (reported), "plan", "prepare", "willing", "forecast"


#: adjectives of readiness whose to-infinitive is a commitment ("is willing to withdraw")
WILLING_HEADS = frozenset({"willing", "ready", "prepared", "eager", "determined", "committed"})
#: verbs whose to-infinitive did not happen ("failed to reach agreement")
FAIL_HEADS = frozenset({"fail"})
#: plan heads that forecast or wish rather than state an intention ("Germany is expected to send tanks",
#: "hoped to announce a deal")
FORECAST_HEADS = frozenset({"expect", "schedule", "due", "set", "slate", "poise", "hope", "want", "wish", "try",
                            "attempt"})
TIME_MARKS = frozenset({"after", "before", "when", "once", "until", "as"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "’ll", "wo"})


def clause_info(t: Token, nominal: bool, reported: bool = False) -> Clause:
    """The clause facts for trigger ``t`` (a noun's are its light verb's); ``reported`` (inside
    an attribution's content) makes "would" a future ("said they would boycott")."""
    cond = apod = planned = neg = light = False
    how: str | None = None
    x = t
    if nominal:
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
                neg = True
            if c.dep_ == "amod" and c.lower_ in PLAN_MODS:
                planned, how = True, "plan"
        v = governing_verb(t)
        if v is None:
            return Clause(cond, apod, planned, neg, how)
        light = v.lemma_ in LIGHT_VERBS and any(c.i == t.i for c in v.children)
        if light:
            neg = neg or any(c.dep_ == "neg" or c.lower_ == "never" for c in v.children)
        x = v
    else:
        neg = any(c.dep_ == "neg" or c.lower_ == "never" for c in t.children)
    future = FUTURE_AUX | ({"would", "'d"} if reported else set())
    for _ in range(8):
        kids = list(x.children)
        if any(c.dep_ == "mark" and c.lower_ in COND_MARKS for c in kids):
            cond = True
        if any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in COND_MARKS for g in c.children) for c in kids):
            cond = apod = True
        for c in kids:
            if c.dep_ == "aux" and c.lower_ in future:
                planned, how = True, how or ("will" if c.lower_ in FUTURE_AUX else "would")
        h = x.head
        if x.dep_ == "xcomp":
            if h.lemma_ in PLAN_HEADS or (h.lemma_ == "go" and h.tag_ == "VBG"):
                planned = True  # "is expected / due / set to" is others' forecast, not the actor's plan
                how = "prepare" if h.lemma_ == "prepare" else "forecast" if h.lemma_ in FORECAST_HEADS else "plan"
            elif h.lower_ in WILLING_HEADS:
                planned, how = True, "willing"
            elif h.lemma_ in FAIL_HEADS and (not nominal or light):
                neg = True  # "failed to reach agreement"; not "failed to prevent fighting"
        if h.i == x.i or x.dep_ in ("ROOT", "ccomp", "parataxis", "relcl", "acl", "csubj", "pcomp"):
            break
        if x.dep_ == "advcl" and any(c.dep_ == "mark" for c in kids):
            # "will take place after Kenya and Somalia sign": a time clause of a future is future
            if any(c.dep_ == "mark" and c.lower_ in TIME_MARKS for c in kids) and any(
                    c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in h.children):
                planned, how = True, how or "when"
            break
        x = h
    return Clause(cond, apod, planned, neg, how)


#: how PLOVER codes a stated plan, a condition or a refusal instead of the act itself
COMMIT_TYPES = frozenset({"SUPPORT", "AID", "RETREAT", "CONCEDE", "COOPERATE"})
THREAT_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION"})


def coded_type(typ: str, clause: Clause) -> str:
    """The PLOVER type of an event as its clause states it: a violent act or a withdrawal made
    the price of a condition is a THREATEN ("will withdraw its force unless ..."), a stated plan
    of force or sanctions too ("plans to impose restrictions"; an attack being prepared is MOBILIZE),
    a stated plan or readiness to give, yield or help is an AGREE ("is willing to withdraw", "will
    provide aid"), an agreement that is refused or fails is a REJECT ("will not accept",
    "failed to reach agreement")."""
    if clause.apodosis and (typ in THREAT_TYPES or typ in ("MOBILIZE", "RETREAT")):
        return "THREATEN"
    if clause.negated:
        return "REJECT" if typ == "AGREE" else typ
    if clause.planned and not clause.conditional and clause.commitment not in ("forecast", "when"):
        if typ in THREAT_TYPES:
            return "MOBILIZE" if clause.commitment == "prepare" and typ == "ASSAULT" else "THREATEN"
        if typ in COMMIT_TYPES:
            return "AGREE"
    return typ


#: clause marks that recall an earlier event ("when Russia launched its invasion", "since X annexed Y")
BACKGROUND_MARKS = frozenset({"when", "since", "after", "once"})
_OLD_DATE = re.compile(r"^\s*(?:in\s+|since\s+)?(?:1[89]\d\d|20\d\d)s?\s*$|\bago\b|\blast year\b|\byears\b|\bdecades?\b",
                       re.I)


def timing_of(t: Token, verb: Token | None, date_text: str) -> str:
    """``background`` for an earlier event the article recalls, else ``new`` (``future`` is decided by
    the caller from the modality): a past-perfect trigger ("had seized"), a past-tense clause opened
    by "when" / "since" / "after" ("when Russia launched its full-scale invasion"), a year or
    "years ago" as its only date ("in 1967"), a nominal trigger dated by a year ("the 2014
    annexation")."""
    if _OLD_DATE.search(date_text or ""):
        return "background"
    if any(c.dep_ in ("nummod", "compound", "amod") and re.fullmatch(r"(?:1[89]|20)\d\d", c.text)
           for c in t.children):
        return "background"
    for v in {x for x in (t, verb) if x is not None}:
        if v.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in v.children) and v.tag_ == "VBN":
            return "background"
        if v.tag_ in ("VBD", "VBN") and v.dep_ in ("advcl", "relcl") and any(
                c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in v.children):
            return "background"
        if v.tag_ in ("VBD", "VBN") and v.dep_ in ("advcl", "relcl") and any(
                c.dep_ == "advmod" and c.lower_ == "when" for c in v.children):
            return "background"
    return "new"


#: an event dated more than this many days before its article is recalled, not news
BACKGROUND_DAYS = 45


def days_before(date: str, ref: Any) -> int:
    import datetime as dt

    try:
        return (ref - dt.date.fromisoformat(date)).days
    except (TypeError, ValueError):
        return 0
