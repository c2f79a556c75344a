"""Entities of one article: every person, organisation and place, with all its mentions.

The ``newsgraph_entities`` component (:class:`EntityBuilder`) runs after
spaCy's ``ner`` and sets ``doc._.entities``, a plain JSON-able list::

    [{"id": "person:vladimir-putin", "name": "Vladimir Putin", "type": "PERSON",
      "mentions": [[29, 43], [175, 180], [403, 424], ...]}, ...]

(character offsets into ``doc.text``, end exclusive); :func:`to_entities`
turns it into :class:`newsgraph.types.Entity` records. Types: PERSON, ORG,
GPE, NORP, LOC, FAC, EVENT, LAW (DATE, TIME, MONEY, PERCENT, QUANTITY,
ORDINAL, CARDINAL, PRODUCT, WORK_OF_ART, LANGUAGE are not entities).

Design
------
Resolution is **the speaker resolver's** (``analyze/speakers.py``), so entity
names are exactly the ``source_entity`` / ``via_entity`` names of the
attributions: the document's analysis (``doc._.analysis``, a
:class:`~newsgraph.analyze.doc_analysis.DocAnalysis` shared with the speakers
and events components, built here if none ran before) gives the clusters of PERSON / ORG / GPE / NORP mentions
(full name <-> surname, titles stripped, acronym <-> expansion, "US" / "USA" /
"the United States" -> "United States", NER slips such as "Lavrov" typed ORG)
and, from its resolution pass, what every role noun refers to. On top of that,
in one linear pass each:

1. **Name mentions.** Every mention of a visible cluster (organisations that
   only ever occur inside a person's title, "Secretary of *State*", are not
   entities; nor is a mention lying wholly inside a title). Person mentions
   start at the name ("President Vladimir Putin" -> "Vladimir Putin"); other
   mentions keep the "the" NER included ("the United States").
2. **Untagged names.** An all-capitals word NER missed that is the acronym
   of an organisation of the article is a mention of it ("OSCE"). A
   capitalised word outside any NER entity that is the first or last word of a
   multi-word person of the article ("Price said" after "Ned Price") is a
   mention of that person (the nearest holder before it, else the first one
   after it), as the speaker resolver does for sources; a sentence-initial
   common noun counts only as a bare subject ("Price said", not "Price
   increases").
3. **Role mentions.** A role noun the resolver maps to an entity ("The
   Russian President", "the president", "his Russian counterpart", "the
   ministry") is a mention of that entity; the span is the noun phrase from
   its determiner / possessor / qualifiers to the role noun (plus an "of"
   phrase: "the minister of foreign affairs"), never starting inside another
   entity. A role noun resolved to a *group name* ("US authorities", "the
   Russian authorities" -> "Russian authorities") makes an ORG entity of that
   name, as attributions name it. Plural roles ("the foreign ministers", "the
   governments") are not mentions.
3b. **Pronoun mentions.** Every third-person or relative pronoun the
   document's resolution (``DocAnalysis.resolve_attributions``: the speakers'
   pass, which also resolves every pronoun; see speakers.py) maps to an
   entity is a one-token mention of it ("She", "its", "which"), except a
   possessive whose noun is a role or a person noun ("his spokesman", "their
   leaders": part of another actor's mention). First-person pronouns inside an
   attribution's content whose source resolved to an entity: I/me/my of a
   person speaker; we/us/our of an organisation speaker, or of a person
   whose titles name exactly one organisation ("Acme spokesman John Smith"),
   else whose source description does ("Ralph Crosby, EADS's North America CEO").
   Pronoun mentions have the lowest priority of all.
4. **Other types.** NER entities of type LOC, FAC, EVENT and LAW (which the
   speaker resolver ignores) are grouped by folded name (leading "the"
   dropped), typed by majority; a LOC / FAC mention whose name equals an
   entity above joins that entity (one entity per actor).
5. **Types** (``entity_types.py``, ``data/entity_places.tsv``). Start from the
   cluster's type, then: a country or alias of the country table is GPE; a
   listed place the model mistypes (Crimea, Donbas, Gaza, the Black Sea...)
   takes its listed type unless NER already said GPE / LOC; an ORG (or an
   untitled one-word PERSON) whose mentions' contexts add up to place evidence
   >= 2 ("Russia annexed Crimea" = 2, "an attack on Crimea" = 1) becomes GPE,
   unless its name looks like an organisation (acronym, digits, "Ministry",
   "Party"...); a GPE or ORG that is really a demonym ("Ukrainian",
   "Lithuanian") becomes NORP. NER calling a mention GPE / LOC / FAC counts
   as 1 point of place evidence for an ORG or PERSON cluster.
   A person is never retyped when it holds a role or has a gender.
   Entities that end with the same type and name are merged.
6. **Credits.** Mentions inside credit, byline and reporting text
   (``entity_credits.py``: "Photo: Roman Koksarov / AP", "Alex Brandon/AFP",
   "By Jane Doe", "(Reporting by X; Editing by Y)", "© X") are dropped, and
   entities left without mentions disappear. The canonical name is still the
   cluster's (so it agrees with attributions) even if its longest form was in
   a credit.
7. **Output.** Within an article a span belongs to one entity only (name
   mentions first, then untagged names, then role mentions), and mentions
   nest ("the Russian president" holds "Russian") or are disjoint, never
   cross (the lower-priority one is dropped); mentions are sorted and unique; entities are ordered by first mention; ids are
   ``"<type lower>:<slug of name>"`` and unique (entities with the same id are
   merged, keeping the name with most mentions).

Cost: one resolution pass over the shared analysis (plus the analysis itself
when this component is the first to need it) and linear passes
over tokens (filtered on ``doc.to_array`` first), mentions and a few regexes
over the text. Measured against the spaCy parse of the same text: 2.9 ms vs
88 ms (3.3%) for a 2.9k-character article; 42 ms vs 2.2 s (1.9%) at 60k
characters; 98 ms vs 5.7 s (1.7%) at 150k.

Coupling: this module reads the analysis through its public attributes
(``mentions``, ``title_tok``, ``tok_cluster``, ``acronyms``, ``person_words``,
``visible``, ``credits``) and its pass's (``Resolution.res_by_tok``,
``clusters``, ``holdings``); the tests pin the agreement (every attribution
name is an entity name).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from typing import Any

from spacy.attrs import ENT_IOB, IS_ALPHA, IS_TITLE, IS_UPPER, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc

from newsgraph.analyze.doc_analysis import DocAnalysis, analysis_of
from newsgraph.analyze.entity_credits import in_spans
from newsgraph.analyze.entity_types import (
    final_type,
    name_key,
    not_a_name,
    org_evidence,
    place_evidence,
    slug,
)
from newsgraph.analyze.speaker_lexicon import (
    FIRST_PERSON,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    RELATIVE_PRONOUNS,
    fold,
)
from newsgraph.analyze.speaker_resolution import Resolution
from newsgraph.types import Entity, TextSpan

__all__ = ["ENTITY_TYPES", "EntityBuilder", "build_entities", "merge_entities", "register_entity_extension",
           "to_entities"]

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW")
EXTRA_TYPES = frozenset({"LOC", "FAC", "EVENT", "LAW"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
PRONOUNS = frozenset(PERSON_PRONOUNS) | GROUP_PRONOUNS | FIRST_PERSON
RESOLVED_PRONOUNS = frozenset(PERSON_PRONOUNS) | GROUP_PRONOUNS | RELATIVE_PRONOUNS
SINGULAR_FIRST = frozenset({"i", "me", "my", "myself", "mine"})
PLURAL_FIRST = frozenset({"we", "us", "our", "ours", "ourselves"})
#: nouns for people that are no role of the lexicon, after which a possessive pronoun is not a mention
PERSON_NOUNS = frozenset({"client", "wife", "husband", "son", "daughter", "father", "mother", "brother",
                          "sister", "family", "friend", "colleague", "boss", "parent", "child", "children",
                          "partner", "ally", "rival", "supporter", "member", "staff", "employee", "team"})
MAX_ROLE_TOKENS = 8  # tokens before a role noun that may belong to its mention
MAX_OF_TOKENS = 6    # tokens of an "of" phrase after it
_TRIM = frozenset({"'s", "’s", "'", "’"})
_STOP_POS = frozenset({"VERB", "AUX", "ADP", "CCONJ", "SCONJ", "PUNCT", "SPACE", "SYM", "X", "NUM"})
_DETS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_NOUN_POS = frozenset({int(NOUN), int(PROPN)})
_IOB_O = 2  # Token.ent_iob: 0 unset, 1 inside, 2 outside, 3 begin


def register_entity_extension() -> None:
    """Register ``doc._.entities`` (default None); idempotent."""
    if not Doc.has_extension("entities"):
        Doc.set_extension("entities", default=None)


class _Ent:
    """An entity being built."""

    __slots__ = ("cluster", "labels", "mentions", "name", "org", "place", "protected", "texts", "type")

    def __init__(self, name: str, typ: str, cluster: Any = None) -> None:
        self.name = name
        self.type = typ
        self.cluster = cluster  # the speakers Cluster, None for group names and LOC/FAC/EVENT/LAW
        self.mentions: dict[tuple[int, int], int] = {}  # span -> priority (0 name, 1 surname, 2 role)
        self.labels: Counter[str] = Counter()  # NER labels of the name mentions
        self.texts: Counter[str] = Counter()  # surface forms of the name mentions (for the extra types)
        self.place = 0  # place evidence from contexts
        self.org = 0  # organisation evidence from contexts ("posted on X", "X subscribers")
        self.protected = False  # a person with a role / gender: never retyped

    def add(self, span: tuple[int, int], prio: int) -> None:
        old = self.mentions.get(span)
        if old is None or prio < old:
            self.mentions[span] = prio


def _chars(doc: Doc, s: int, e: int) -> tuple[int, int]:
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)


def _role_span(doc: Doc, an: DocAnalysis, res: Resolution, t: int) -> tuple[int, int] | None:
    """Token span of the noun phrase whose head is the role noun at ``t``."""
    k = an.sent_of(t)
    lo, hi = an.sent_starts[k], an.sent_ends[k]
    tok = doc[t]
    a = max(tok.left_edge.i, lo, t - MAX_ROLE_TOKENS)
    n = len(doc)
    for i in range(t - 1, a - 1, -1):
        w = doc[i]
        if w.pos_ in _STOP_POS and w.lower_ not in _TRIM or w.is_punct or w.is_space:
            a = i + 1
            break
        cid = an.tok_cluster[i]
        if cid < 0:
            if i in res.res_by_tok and an.lower[i] not in PRONOUNS and w.dep_ != "compound":
                a = i + 1  # another role noun: "the president's spokesman" -> "spokesman" (but "the
                break      # government spokesman" stays whole)
            continue
        if an.clusters[cid].type == "PERSON":
            j = i
            while j + 1 < n and an.tok_cluster[j + 1] == cid:
                j += 1
            if j + 1 >= n or an.lower[j + 1] not in _TRIM:
                a = i + 1  # a person's name is only part of a role phrase as a possessor ("Putin's spokesman")
                break
    while a < t and doc[a].ent_iob_ == "I":  # never start inside another entity
        a += 1
    b = t + 1
    if b < hi and an.lower[b] == "of":
        e = min(doc[b].right_edge.i + 1, hi)
        while e > b + 1 and (doc[e - 1].is_punct or doc[e - 1].is_space):
            e -= 1
        if b + 1 < e <= t + 1 + MAX_OF_TOKENS and not (e < len(doc) and doc[e].ent_iob_ == "I"):
            b = e
    return a, b


def _first_person_mentions(doc: Doc, an: DocAnalysis, res: Resolution, cluster_ent: Any) -> None:
    """First-person pronouns inside an attribution's content whose source resolved to an entity."""
    if not Doc.has_extension("attributions") or not doc._.attributions:
        return
    by_name: dict[str, int] = {}
    for cid, cl in enumerate(an.clusters):
        by_name.setdefault(cl.name, cid)
    for a in doc._.attributions:
        name = a.get("source_entity")
        cid = by_name.get(name, -1) if name else -1
        if cid < 0:
            continue
        targets: dict[str, int] = {}  # first-person word set -> entity
        if an.clusters[cid].type == "PERSON":
            targets["i"] = cid
            # "Acme spokesman John Smith": his "we" is Acme (the one organisation his titles name)
            orgs = {by_name[q] for h in res.holdings[cid] for q in h.quals
                    if q in by_name and an.clusters[by_name[q]].type == "ORG"}
            if not orgs and a.get("source"):
                # "Ralph Crosby, EADS's North America CEO": the one organisation his description names
                src = doc.char_span(a["source"][0], a["source"][1], alignment_mode="expand")
                orgs = {an.tok_cluster[t] for t in range(src.start, src.end) if an.tok_cluster[t] >= 0
                        and an.clusters[an.tok_cluster[t]].type == "ORG"} if src is not None else set()
            if len(orgs) == 1:
                targets["we"] = orgs.pop()
        else:
            targets["we"] = cid
        if not targets:
            continue
        for frag in a.get("content_spans") or [a.get("content") or (0, 0)]:
            try:
                span = doc.char_span(int(frag[0]), int(frag[1]), alignment_mode="expand")
            except (TypeError, ValueError, IndexError):
                continue
            if span is None:
                continue
            for tok in span:
                w = an.lower[tok.i]
                key = "i" if w in SINGULAR_FIRST else "we" if w in PLURAL_FIRST and tok.text != "US" else ""
                if key in targets:
                    ent = cluster_ent(targets[key])
                    if ent is not None:
                        ent.add(_chars(doc, tok.i, tok.i + 1), 3)


def _nearest(starts: list[int], at: int) -> tuple[int, int]:
    k = bisect.bisect_left(starts, at)
    return (1, starts[k - 1]) if k else (0, -starts[0]) if starts else (0, 0)


def build_entities(doc: Doc) -> list[dict[str, Any]]:
    """The entity dicts of ``doc`` (see the module docstring)."""
    n = len(doc)
    if n == 0:
        return []
    an = analysis_of(doc)
    res = an.resolve_attributions()[1]  # the speakers' pass: "he" is a mention of whom the attribution names
    lower = an.lower
    text = an.text

    by_cid: dict[int, _Ent] = {}

    def cluster_ent(cid: int) -> _Ent | None:
        if cid not in an.visible:
            return None
        cl = res.clusters[cid]  # with what the pass learned (genders from pronouns, countries of holders)
        ent = by_cid.get(cid)
        if ent is None:
            ent = by_cid[cid] = _Ent(cl.name, cl.type, cl)
            ent.protected = cl.type == "PERSON" and (bool(cl.roles) or cl.gender is not None)
        return ent

    # 1. name mentions of the clusters
    person_starts: dict[int, list[int]] = {}
    for m, cid in an.mentions:
        if all(an.title_tok[t] for t in range(m.start, m.end)):
            continue
        ent = cluster_ent(cid)
        if ent is None:
            continue
        if ent.type == "PERSON":
            s = m.name_start
        else:
            s = m.start
            if s > 0 and lower[s - 1] == "the" and doc[s - 1].ent_iob_ != "O" and doc[s].ent_iob_ == "I":
                s -= 1
        if s >= m.end:
            continue
        ent.add(_chars(doc, s, m.end), 0)
        ent.labels[m.label] += 1
        if ent.type != "PERSON" or (not ent.protected and m.end - m.name_start == 1):
            ent.place += place_evidence(doc[m.start:m.end].root)
            ent.org += org_evidence(doc[m.start:m.end].root)
            if ent.type in ("PERSON", "ORG") and doc[m.end - 1].ent_type_ in PLACE_TYPES:
                ent.place += 1  # NER itself called this mention a place
        if ent.type == "PERSON":
            person_starts.setdefault(cid, []).append(m.start)

    # 2. untagged acronyms of an expansion in the article ("the Organization for Security and Co-operation
    #    in Europe ... OSCE" with "OSCE" untagged), untagged surnames
    acronyms = an.acronyms
    if acronyms or an.person_words:
        # cheap filter on arrays first: alphabetic, capitalised or all-caps, outside NER entities, noun
        arr = doc.to_array([POS, ENT_IOB, IS_ALPHA, IS_TITLE, IS_UPPER]).tolist()
        for t, (pos, iob, alpha, title, upper) in enumerate(arr):
            if not alpha or iob != _IOB_O or pos not in _NOUN_POS or an.tok_cluster[t] >= 0 or an.title_tok[t]:
                continue
            if upper:
                if acronyms and 2 <= len(lower[t]) <= 8:
                    cid = acronyms.get(doc[t].text, -1)
                    ent = cluster_ent(cid) if cid >= 0 else None
                    if ent is not None and ent.type != "PERSON":
                        ent.add(_chars(doc, t, t + 1), 1)
                continue
            if not title or len(lower[t]) < 3:
                continue
            cands = an.person_words.get(fold(lower[t]))
            if not cands:
                continue
            tok = doc[t]
            if pos == NOUN and tok.is_sent_start and not (tok.dep_ == "nsubj" and not any(tok.children)):
                continue  # "Price increases ..." is a noun; "Price said" (bare subject) is the surname
            if (t > 0 and arr[t - 1][0] == PROPN and arr[t - 1][3]) or \
                    (t + 1 < n and arr[t + 1][0] == PROPN and arr[t + 1][3]):
                continue  # part of a longer name NER missed
            live = [c for c in cands if c in person_starts]
            if not live:
                continue
            cid = max(live, key=lambda c: _nearest(person_starts[c], t))
            ent = cluster_ent(cid)
            if ent is not None:
                ent.add(_chars(doc, t, t + 1), 1)

    # 3. role mentions (what the resolver's pass made of every role noun)
    groups: dict[str, _Ent] = {}
    for t, ref in res.res_by_tok.items():
        if ref is None or an.tok_cluster[t] >= 0 or an.title_tok[t] or lower[t] in PRONOUNS:
            continue
        if doc[t].pos_ not in ("NOUN", "PROPN"):
            continue
        if lower[t] not in an.lex.heads:
            continue  # a plural role ("senior diplomats", "the governments") is never one entity
        if ref.cid >= 0:
            ent = cluster_ent(ref.cid)
        else:
            ent = groups.get(ref.name)
            if ent is None:
                ent = groups[ref.name] = _Ent(ref.name, ref.type or "ORG")
        if ent is None:
            continue
        span = _role_span(doc, an, res, t)
        if span is not None:
            ent.add(_chars(doc, *span), 2)

    # 3b. pronoun mentions: third-person and relative pronouns the pass resolved to an entity, first-person
    #     pronouns inside a quote whose speaker is an entity ("I" of a person, "we" / "our" of an organisation)
    for t, ref in res.res_by_tok.items():
        if ref is None or ref.cid < 0 or an.tok_cluster[t] >= 0 or lower[t] not in RESOLVED_PRONOUNS:
            continue
        tok = doc[t]
        if tok.dep_ == "poss" and (tok.head.lower_ in an.lex.heads or tok.head.lemma_.lower() in an.lex.heads
                                   or tok.head.lemma_.lower() in PERSON_NOUNS):
            continue  # "his spokesman", "their leaders": the possessor is part of another actor's mention
        ent = cluster_ent(ref.cid)
        if ent is not None:
            ent.add(_chars(doc, t, t + 1), 3)
    _first_person_mentions(doc, an, res, cluster_ent)

    ents: list[_Ent] = list(by_cid.values()) + list(groups.values())

    # 4. LOC / FAC / EVENT / LAW, joined to a same-name entity when they are places
    by_key: dict[str, _Ent] = {}
    for ent in ents:
        by_key.setdefault(name_key(ent.name), ent)
        for (s, e), prio in ent.mentions.items():
            if prio == 0:
                by_key.setdefault(name_key(text[s:e]), ent)
    extra: dict[str, _Ent] = {}
    for span in doc.ents:
        if span.label_ not in EXTRA_TYPES:
            continue
        s, e = span.start, span.end
        while e > s and (lower[e - 1] in _TRIM or doc[e - 1].is_punct or doc[e - 1].is_space):
            e -= 1
        while s < e and (doc[s].is_punct or doc[s].is_space):
            s += 1
        if s >= e:
            continue
        ks = s + 1 if lower[s] in _DETS and e - s > 1 else s
        surface = doc[ks:e].text
        if not any(ch.isalpha() for ch in surface):
            continue
        key = name_key(surface)
        target = by_key.get(key) if span.label_ in ("LOC", "FAC") else None
        if target is None or target.type == "PERSON":
            target = extra.get(key)
            if target is None:
                target = extra[key] = _Ent(surface, span.label_)
        target.add(_chars(doc, s if lower[s] == "the" else ks, e), 0)
        target.labels[span.label_] += 1
        target.texts[surface] += 1
        if span.label_ in ("LOC", "FAC") and target.type not in PLACE_TYPES:
            target.place += 1
    for ent in extra.values():
        ent.type = max(ent.labels.items(), key=lambda kv: (kv[1], kv[0] in PLACE_TYPES))[0]
        ent.name = max(ent.texts.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    ents.extend(extra.values())

    # 5. types (entity_types.final_type: registry, context evidence, place table)
    for ent in ents:
        if ent.cluster is None and ent.type not in PLACE_TYPES | {"ORG", "NORP"}:
            continue
        ent.type = final_type(ent.name, ent.type, place=ent.place, org=ent.org, protected=ent.protected,
                              clustered=ent.cluster is not None)
    # a one-word "name" that the article also writes as a common word ("Televised", "Module")
    ents = [e for e in ents if e.protected or e.type not in ("PERSON", "GPE") or not not_a_name(e.name, text)]

    # 6. credits, 7. output
    credits = an.credits
    merged: dict[str, _Ent] = {}
    order: list[str] = []
    for ent in ents:
        if credits:
            ent.mentions = {sp: p for sp, p in ent.mentions.items() if not in_spans(credits, *sp)}
        if not ent.mentions:
            continue
        eid = f"{ent.type.lower()}:{slug(ent.name)}"
        other = merged.get(eid)
        if other is None:
            merged[eid] = ent
            order.append(eid)
            continue
        keep, gone = (other, ent) if len(other.mentions) >= len(ent.mentions) else (ent, other)
        for sp, p in gone.mentions.items():
            keep.add(sp, p)
        merged[eid] = keep
    owner: dict[tuple[int, int], tuple[int, str]] = {}
    for eid in order:
        for sp, p in merged[eid].mentions.items():
            cur = owner.get(sp)
            if cur is None or (p, eid) < cur:
                owner[sp] = (p, eid)
    owner = _laminar(owner)
    out: list[dict[str, Any]] = []
    for eid in order:
        ent = merged[eid]
        spans = sorted(sp for sp in ent.mentions if sp in owner and owner[sp][1] == eid)
        if not spans:
            continue
        out.append({"id": eid, "name": ent.name, "type": ent.type, "mentions": [list(sp) for sp in spans]})
    out.sort(key=lambda d: (d["mentions"][0][0], d["id"]))
    return out


def _laminar(owner: dict[tuple[int, int], tuple[int, str]]) -> dict[tuple[int, int], tuple[int, str]]:
    """Keep mentions that nest or are disjoint: by priority (names first), drop one that crosses a kept one."""
    kept: list[tuple[int, int]] = []  # sorted
    longest = 0
    out: dict[tuple[int, int], tuple[int, str]] = {}
    for sp, val in sorted(owner.items(), key=lambda kv: (kv[1][0], kv[0])):
        s, e = sp
        k = bisect.bisect_left(kept, (s, -1))
        crosses = False
        for j in range(k, len(kept)):  # kept mentions starting inside (s, e)
            if kept[j][0] >= e:
                break
            if kept[j][0] > s and kept[j][1] > e:
                crosses = True
                break
        j = k - 1
        while not crosses and j >= 0 and kept[j][0] >= s - longest:  # kept mentions starting before s
            if kept[j][0] < s < kept[j][1] < e:
                crosses = True
            j -= 1
        if crosses:
            continue
        bisect.insort(kept, sp)
        longest = max(longest, e - s)
        out[sp] = val
    return out


class EntityBuilder:
    """spaCy component: sets ``doc._.entities`` (see the module docstring).

    Stateless and thread-safe: the analysis lives on the Doc (``doc._.analysis``)
    and each call builds its own entity tables; the instance holds only its name, and the
    lexicons, the place list and the credit patterns are read-only once loaded.
    """

    def __init__(self, *, name: str = "newsgraph_entities", nlp: Any = None) -> None:
        register_entity_extension()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.entities = build_entities(doc)
        return doc


def to_entities(doc: Any, offset: int = 0, text: str | None = None) -> list[Entity]:
    """Convert ``doc._.entities`` into :class:`Entity` records.

    ``offset`` shifts every mention (for a doc made from a slice of ``text``);
    mention texts are read from ``text`` (default ``doc.text``).
    """
    full = text if text is not None else doc.text
    out: list[Entity] = []
    for d in (doc._.entities if Doc.has_extension("entities") else None) or ():
        mentions = []
        for s, e in d.get("mentions") or ():
            s, e = int(s) + offset, int(e) + offset
            if 0 <= s < e <= len(full):
                mentions.append(TextSpan(s, e, full[s:e]))
        if mentions:
            out.append(Entity(d["id"], d["name"], d["type"], tuple(mentions)))
    return out


def merge_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Merge entities with the same id (one article analysed in several slices), mentions sorted."""
    by_id: dict[str, tuple[Entity, dict[tuple[int, int], TextSpan]]] = {}
    for e in entities:
        if e.id not in by_id:
            by_id[e.id] = (e, {})
        spans = by_id[e.id][1]
        for m in e.mentions:
            spans.setdefault((m.start, m.end), m)
    out = [Entity(first.id, first.name, first.type, tuple(spans[k] for k in sorted(spans)))
           for first, spans in by_id.values()]
    out.sort(key=lambda e: (e.mentions[0].start if e.mentions else 0, e.id))
    return out
