"""Who and what an event trigger takes, read off the dependency parse (stage 2-3 of ``events.py``).

Pure functions of spaCy tokens, no per-doc state: the actor of a verb
(``nsubj``; the ``agent`` of a passive; a governor's subject for ``xcomp`` /
``conj`` / to-infinitive clauses; the object of an object-control verb), its
target by the lexicon's order of preference (``dobj``, a listed preposition's
object, the subject of a "that" clause), the verb a nominal trigger is the
object of, responders to a demand, coordinated conjuncts, and whether a common
noun describes a group or office that can act (``GROUP_NOUNS``).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from newsgraph.analyze.event_lexicon import Trigger

RESPONSE_NOUNS = frozenset({"response", "reply", "answer", "reaction"})
RESPOND_VERBS = frozenset({"respond", "reply", "react", "answer"})
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "we", "us", "our",
                      "i", "me", "my", "himself", "herself", "themselves", "itself"})
SUBJ = ("nsubj", "nsubjpass")


def is_pronoun(t: Token) -> bool:
    """A personal pronoun, not a capitalised name spelt like one ("US", "IT" are names; "I" is not)."""
    return t.lower_ in PRONOUNS and not (len(t.text) > 1 and t.text.isupper())
NOT_ARGS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
MAX_CONJ = 3




def verb_actor(v: Token, depth: int = 0) -> Token | None:
    passive = False
    subj = agent = None
    for c in v.children:
        if c.dep_ == "nsubj":
            subj = c
        elif c.dep_ in ("nsubjpass", "auxpass"):
            passive = True
        elif c.dep_ == "agent":
            agent = next((g for g in c.children if g.dep_ == "pobj"), None)
    if not passive and subj is None and agent is not None:
        passive = True  # "welcomed by unions but criticised by the industry": the conjunct's own agent
    if passive:
        if agent is None and depth > 0:  # "Macron is expected to visit": the raised subject
            return next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        return agent
    if subj is not None:
        if subj.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
            return v.head  # "the country that attacked X"
        return subj
    if depth < 3 and v.dep_ == "acomp" and v.head.pos_ in ("VERB", "AUX"):
        return verb_actor(v.head, depth + 1)  # "it is willing to withdraw": the subject of "is"
    if depth < 3 and v.head is not v and v.head.pos_ in ("VERB", "AUX", "ADJ"):
        if v.dep_ == "xcomp":  # object control: "urged Russia to withdraw" -> Russia
            obj = next((c for c in v.head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                return obj
        if v.dep_ in ("xcomp", "conj") or (v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)):
            return verb_actor(v.head, depth + 1)
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
            return v.head
    return None


def passive_target(v: Token) -> Token | None:
    if any(c.dep_ == "auxpass" for c in v.children):
        return next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    return None


def prep_obj(t: Token, word: str) -> Token | None:
    for c in t.children:
        if c.dep_ in ("prep", "prt", "agent", "dative") and c.lower_ == word:
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def clause_subject(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in ("ccomp", "acl", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children) \
                or (c.dep_ == "ccomp"):
            s = next((g for g in c.children if g.dep_ in SUBJ), None)
            if s is not None:
                return s
    return None


def find_target(t: Token, trig: Trigger, skip: set[int], named: Any = None) -> Token | None:
    """The target by the lexicon's order of preference; with ``named``, one naming an entity first."""
    first = None
    for a in trig.targets:
        if a == "dobj":
            got = next((c for c in t.children if c.dep_ in ("dobj", "dative") and c.i not in skip), None)
        elif a == "ccomp":
            got = clause_subject(t)
        elif a == "-":
            got = None
        else:
            got = prep_obj(t, a)
            if got is None:  # "impose sanctions on X", "signed an agreement with X": off the object noun
                hosts = [t.doc[i] for i in sorted(skip) if i != t.i]
                hosts += [c for c in t.children if c.dep_ == "dobj"]
                for h in hosts:
                    got = got or prep_obj(h, a)
        if got is not None and got.ent_type_ in NOT_ARGS:
            got = None  # "agreed on Tuesday"
        if got is not None and got.tag_ in ("WDT", "WP") and t.dep_ == "relcl":
            got = t.head  # "the drill, which Croatia is hosting"
        if got is not None and got.i not in skip:
            if named is None or named(got):
                return got
            first = first or got
    return None if trig.required and named is not None else first


def governing_verb(n: Token) -> Token | None:
    """The verb a nominal trigger is the object of, directly or through one preposition.

    "held talks", "after a meeting with" -> the verb; a subject, or a noun
    inside another noun phrase ("a member of the alliance"), has none.
    """
    x = n
    while x.dep_ == "conj" and x.head is not x:
        x = x.head
    if x.dep_ in ("dobj", "attr", "dative", "oprd"):
        v = x.head
    elif x.dep_ == "pobj" and x.head.dep_ in ("prep", "agent"):
        v = x.head.head
    else:
        return None
    return v if v.pos_ in ("VERB", "AUX") else None


def responders(n: Token) -> list[Token]:
    """"a response from X to <n>" / "X responded to <n>": the responders."""
    if n.dep_ != "pobj" or n.head.lower_ != "to":
        return []
    p = n.head.head
    if p.pos_ in ("NOUN", "PROPN") and p.lemma_ not in RESPONSE_NOUNS and p.dep_ == "pobj":
        p = p.head.head  # "responded in writing to the demands"
    resp = None
    if p.lemma_ in RESPONSE_NOUNS:
        resp = p
    elif p.pos_ == "VERB":
        if p.lemma_ in RESPOND_VERBS:
            a = verb_actor(p)
            return [a] if a is not None else []
        resp = next((c for c in p.children if c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.lemma_ in RESPONSE_NOUNS), None)
    if resp is not None:
        f = prep_obj(resp, "from")
        return [f] if f is not None else []
    return []


#: common nouns naming a group that acts ("Rebels attacked", "police detained"): an event with such an
#: actor or target and no named one is kept, the group as a typed description (no entity)
GROUP_NOUNS = frozenset({
    "police", "policeman", "officer", "rebel", "insurgent", "militant", "fighter", "militia", "guerrilla",
    "protester", "protestor", "demonstrator", "activist", "striker", "student", "worker", "union", "soldier",
    "troop", "force", "army", "military", "navy", "gunman", "attacker", "assailant", "terrorist", "extremist",
    "separatist", "government", "authority", "official", "minister", "opposition", "party", "regime", "junta",
    "court", "judge", "prosecutor", "investigator", "parliament", "lawmaker", "legislator", "mob", "crowd",
    "villager", "resident", "refugee", "civilian", "prisoner", "hostage", "detainee", "leader", "president",
    "group", "organisation", "organization", "agency", "coalition", "alliance", "movement", "committee",
    "council", "association", "federation", "administration", "cabinet", "ministry", "embassy",
    "peacekeeper", "observer", "monitor", "inspector", "delegation", "delegate", "envoy", "diplomat",
    "negotiator", "mediator", "commander", "candidate", "settler", "guard"})


#: common nouns naming the people violence or coercion is done to ("killing 130 people", "five
#: passengers were hurt"): a described *target* of a violent event, never an actor
VICTIM_NOUNS = frozenset({
    "people", "person", "man", "woman", "child", "boy", "girl", "civilian", "passenger", "pedestrian",
    "bystander", "tourist", "shopper", "worshipper", "patient", "journalist", "reporter", "family", "member",
    "citizen", "migrant", "victim", "student", "worker", "villager", "resident", "soldier", "officer",
    "policeman", "guard", "dozen", "hundred", "thousand", "score"})

#: verbs that speak of an event without doing it: their subject is no actor of an event noun they
#: take ("Macron called it an attack", "witnesses heard the explosion", "police prevented the march")
STANCE_VERBS = frozenset({
    "say", "call", "describe", "label", "term", "dub", "name", "hear", "see", "witness", "watch", "report",
    "claim", "remember", "recall", "commemorate", "mark", "mourn", "fear", "survive", "escape", "flee", "suffer",
    "welcome", "oppose", "discuss", "mention", "cite", "film", "photograph", "document", "cover", "study",
    "predict", "expect", "prevent", "stop", "block", "investigate", "probe", "review", "regret", "deplore",
    "follow", "avoid", "blame", "deny", "link", "attribute", "condemn", "denounce", "praise", "criticize",
    "criticise", "question", "dispute", "confirm", "verify", "know", "believe", "consider", "cause",
    "trigger", "spark", "prompt", "provoke", "fuel"})


#: weapons named in front of a violent event noun ("a minefield explosion", "drone strikes"): they say
#: what did it, kept as the actor's text (never an entity)
INSTRUMENT_NOUNS = frozenset({"bomb", "car", "truck", "mine", "minefield", "drone", "rocket", "missile", "mortar",
                              "artillery", "grenade", "knife", "gun", "suicide", "parcel", "letter", "roadside"})


def _singular_forms(t: Token) -> tuple[str, ...]:
    w = t.lower_  # sentence-initial "Rebels" is tagged PROPN with itself as lemma: singularise by hand
    return (t.lemma_.lower(), w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w)


def group_description(t: Token) -> bool:
    """Whether ``t`` heads a description of a group or office that can act ("rebels", "the police",
    "government forces"), not a pronoun or a thing."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    return any(x in GROUP_NOUNS for x in _singular_forms(t))


def victim_description(t: Token) -> bool:
    """Whether ``t`` heads a description of people harmed ("130 people", "scores of civilians")."""
    if t.pos_ not in ("NOUN", "PROPN", "NUM"):
        return False
    if any(x in VICTIM_NOUNS for x in _singular_forms(t)):
        return True
    of = prep_obj(t, "of")  # "scores of civilians", "dozens of people"
    return of is not None and any(x in VICTIM_NOUNS for x in _singular_forms(of))


def conjuncts(t: Token | None) -> list[Token]:
    if t is None:
        return []
    out = [t]
    for c in t.conjuncts:
        if c.i > t.i and len(out) <= MAX_CONJ:
            out.append(c)
    return out
