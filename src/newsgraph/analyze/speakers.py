"""Speaker resolution within one article: "He", "the president", "Putin" -> "Vladimir Putin".

The ``newsgraph_speakers`` component runs after ``newsgraph_attributions`` and
fills ``source_entity`` / ``via_entity`` of every dict in ``doc._.attributions``
with the canonical name of the entity the ``source`` / ``via`` span refers to,
or None. The same machinery is exposed as :func:`resolve_mentions` (char spans
-> canonical names) and :func:`entity_clusters` (the article's entities).

Design (everything is article-local, rule-based and linear in the number of
mentions; data lives in ``analyze/data/roles_en.tsv`` and ``countries_en.tsv``):

1. **Clusters** from ``doc.ents`` of type PERSON, ORG, GPE, NORP.
   Mention text is trimmed (leading "the", trailing "'s"/punctuation) and, for
   persons, title-stripped ("President Vladimir Putin" -> "Vladimir Putin").
   NER slips are fixed by majority vote over identical strings; a one-word
   ORG/NORP/GPE mention equal to the surname of a multi-word PERSON becomes that
   PERSON ("Lavrov" typed ORG next to "Sergei Lavrov"; never a country name);
   an ORG that is a titled name becomes a PERSON ("Chancellor Olaf Scholz",
   "the German chancellor, Olaf Scholz,"); an ORG that is only a title is
   dropped ("Minister of Industry and Trade"); 2-4 capitalised proper nouns
   right after a person role are a PERSON even when NER missed them
   ("Political scientist Vesna Kral"). Persons merge when one
   name is a word-suffix of the other or they share first and last word
   ("Putin", "Vladimir V. Putin" -> "Vladimir Putin"); an ambiguous surname
   goes to the holder mentioned most recently before it. Organisations merge
   acronym <-> expansion ("AFP" <-> "Agence France-Presse") and
   country-prefixed forms ("Foreign Ministry" <-> "Russian Foreign Ministry").
   Countries merge through the alias table ("US", "the United States" ->
   "United States"). Canonical = the longest name without titles (persons:
   most words, then most characters; others: most characters).
   Matching is case- and accent-insensitive.
2. **Roles.** A person-role phrase (lexicon) right before a name, or in an
   appositive after it, is recorded as a holding of that person together with
   its qualifiers: countries ("Hungarian Prime Minister Viktor Orban",
   "US Secretary of State Anthony Blinken", "Russia's", "of France"),
   organisations ("Kremlin spokesman Dmitry Peskov") and modifiers that change
   the role ("deputy", "former"). "his Russian counterpart Sergei Lavrov" gives
   Lavrov "counterpart" and the possessor's roles re-qualified as Russian.
   A role mention ("the president", "The Russian President", "the minister")
   resolves to a holder of that role or of a more specific one (lexicon
   parents: "foreign minister" is a "minister"). Qualifiers must agree:
   holders with the same qualifier first, then holders with no known
   qualifier ("President Vladimir Putin" answers "the Russian president");
   holders qualified otherwise never. Among equals: mentioned before the
   span, then salience (mentions so far, +2 if mentioned in the last two
   sentences), then recency. A qualified mention resolved to an unqualified
   holder teaches the holder's country ("the Russian president" -> Putin, so
   "the German president" is then not Putin). Honorifics and military ranks
   (Mr, Mrs, Dr, Colonel...) are skipped between title and name. Plural roles
   ("foreign ministers") and roles nobody holds in the article stay None.
   Organisation nouns ("the ministry", "the authorities", "US authorities"):
   an ORG entity of the article whose name contains the noun (most recent);
   else, with a country qualifier, the group name "<adjective> <noun>" built
   from the country table's adjective, so "US authorities", "U.S. authorities"
   and "American authorities" are all **"US authorities"** and "the Russian
   authorities" / "Russia's authorities" are "Russian authorities"; else an
   unqualified noun reuses the most recent qualified group with the same noun
   within 10 sentences ("the authorities" after "Russian authorities"); else None.
3. **Pronouns** (agreement in gender, number and animacy). he/him/his/himself,
   she/her/hers/herself -> a PERSON, tried in order: the subject of the same
   sentence when it precedes the pronoun; the previous resolved span (= the
   previous statement's speaker) within 3 sentences; the subjects of the 3
   previous sentences; the most recent person mention within 5 sentences.
   Gender evidence: honorifics and gendered role nouns (king, spokeswoman),
   pronouns already resolved to the person, and then (``_name_genders``) the
   first word of a multi-word name looked up in the World Gender Name
   Dictionary (``speaker_lexicon.first_name_gender``: "m"/"f" only when >= 90%
   of its bearers have that gender; ambiguous or unknown names, a lone word
   that may be a surname, and forms that disagree give no evidence). A known
   gender must agree, so "she" never goes to a known man, and he/she never to
   an organisation, a country or a person-typed name with digits ("Bill C-74").
   **Same-gender scene:** when the antecedent was found only as an earlier
   sentence's subject or a recent mention (no statement of theirs in the last
   3 sentences) and another person whose gender fits (known and equal) was
   mentioned in those sentences, the pronoun stays unresolved (None): an
   honest "unresolved" beats a wrong name. they/them/their/it/its -> an
   organisation, country or group (never a person), from the subject of the
   same sentence, the previous speaker or the previous sentences' subjects,
   and never inside quotation marks (a quoted "they" is rarely a tracked
   speaker). I/me/my/we/us/our resolve to the speaker of the attribution whose
   content contains them (when ``doc._.attributions`` is set), else None.
   ``resolve(..., pronouns=True)`` (used by entities.py) also resolves every
   other third-person and relative pronoun, "quietly": those add no salience
   and teach no gender, and an extra it/its/they counts only when bound by the
   subject of its own or the previous sentence with no other entity of that
   type mentioned in between (``_bound_group``).
4. Bylines and credits are not special-cased: the cleaned text no longer has
   them, so their names never enter the clusters.

A span resolves by its syntactic head: a PERSON entity inside the span that is
not a possessive ("Kremlin spokesman Dmitry Peskov" -> Peskov, but
"Putin's spokesman" is not Putin) wins; else the entity containing the head;
else an untagged one-word acronym (its expansion in the article, else itself:
"ECOWAS said"); else an untagged capitalised word that is the first or last
name of a person of the article ("Price said" after "Ned Price"); else
pronoun, then role rules; anything else is None.

Cost: one pass over the tokens (lower-cased forms via ``doc.to_array``) plus
work per entity / role / pronoun mention; about 1.5-2.5% of the spaCy parse
time of the same text (measured on the examples, 2.6k to 175k characters).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spacy.tokens import Doc

from newsgraph.analyze.entity_credits import strip_name_prefix
from newsgraph.analyze.extensions import register_extensions
from newsgraph.analyze.speaker_lexicon import Lexicon, first_name_gender, fold, load_lexicon

__all__ = ["Cluster", "SpeakerResolver", "entity_clusters", "resolve_mentions"]

ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
GROUP_TYPES = frozenset({"ORG", "GPE", "NORP"})
PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
GROUP_PRONOUNS = frozenset({"they", "them", "their", "themselves", "it", "its", "itself"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whose"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
#: words that may stand before a role without changing who holds it
IGNORABLE = frozenset({"special", "chief", "top", "senior", "new", "current", "longtime", "long-time", "veteran",
                       "then", "now", "also", "as", "serving", "acting", "outgoing", "incumbent", "interim"})
POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
ACRONYM_STOP = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "et", "für", "und", "&"})
PRONOUN_SENTENCES = 3     # how far back the previous speaker / subjects count
RECENT_PERSON_SENTENCES = 5
GROUP_SENTENCES = 10
RIVAL_UNKNOWN = False  # a person of unknown gender is a rival too

_SPACE = re.compile(r"\s+")
#: quotation mark token -> the tokens that close it
_OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“”", "''": "''", "``": "''"}


@dataclass(slots=True)
class Cluster:
    """One entity of the article.

    ``mentions`` are ``(start, end)`` character offsets of every mention as
    NER found it, minus leading "the", trailing "'s" and (persons) titles.
    ``roles`` are ``(role, qualifier)`` pairs from titles and appositives
    ("prime minister", "Hungary"); ``gender`` is "m"/"f" only when an
    honorific, a gendered title or a resolved pronoun said so.
    """

    name: str
    type: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    roles: list[tuple[str, str | None]] = field(default_factory=list)
    gender: str | None = None


class _Holding(NamedTuple):
    role: str             # lexicon phrase
    mods: tuple[str, ...]  # "deputy", "former"
    quals: frozenset[str]  # countries / organisations


class _NP(NamedTuple):
    role: str
    kind: str  # person | org
    mods: tuple[str, ...]
    quals: frozenset[str]
    possessor: int | None  # token index of his/her/their
    plural: bool
    complete: bool  # every token of the phrase was understood
    text: str  # the role words as written ("authorities")


class _Res(NamedTuple):
    name: str
    type: str
    cid: int  # -1 for a group name that is no entity cluster


class _Mention(NamedTuple):
    start: int   # token span of the trimmed entity mention (title included)
    end: int
    name_start: int  # first token of the name proper
    label: str
    text: str


class _Analysis:
    """Clusters and roles of one Doc, then one ordered pass over its mentions."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        n = len(doc)
        strings = doc.vocab.strings
        self.lower = [strings[h] for h in doc.to_array("LOWER").tolist()] if n else []
        self.tok_cluster = [-1] * n
        self.title_tok = bytearray(n)
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sents = list(doc.sents)
        else:
            sents = [doc[:]]
        self.sent_starts = [s.start for s in sents]
        self.sent_ends = [s.end for s in sents]
        self.subjects: list[int | None] = []
        has_dep = doc.has_annotation("DEP")
        for s in sents:
            subj = None
            if has_dep and len(s):
                for c in s.root.children:
                    if c.dep_ in SUBJECT_DEPS:
                        subj = c.i
                        break
            self.subjects.append(subj)
        self._quotes: list[tuple[int, int]] | None = None
        self._quiet = False  # resolving extra pronouns: learn no gender from them
        self.clusters: list[Cluster] = []
        self.cluster_country: list[str | None] = []
        self.mentions: list[tuple[_Mention, int]] = []
        self.holdings: list[list[_Holding]] = []
        self._build_clusters()
        self._attach_roles()
        self._name_genders()

    # ----------------------------------------------------------------- helpers
    def sent_of(self, i: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, i) - 1)

    def _role_ending_at(self, j: int, lo: int, kinds: tuple[str, ...] = ("person", "org")) -> tuple[Any, int] | None:
        """The longest lexicon role whose words end right before token ``j`` (not before ``lo``)."""
        lw, roles = self.lower, self.lex.roles
        if j <= lo:
            return None
        last = lw[j - 1]
        variants = [last]
        if last.endswith("ies"):
            variants.append(last[:-3] + "y")
        elif last.endswith("s") and len(last) > 3 and last != "authorities":
            variants.append(last[:-1])
        for L in range(min(self.lex.max_role_len, j - lo), 0, -1):
            prefix = tuple(lw[j - L:j - 1])
            for v in variants:
                r = roles.get((*prefix, v))
                if r is not None and r.kind in kinds:
                    return r, j - L
        return None

    def _role_starting_at(self, i: int, hi: int, kinds: tuple[str, ...] = ("person",)) -> int:
        """Length of the longest lexicon role starting at token ``i`` (0 if none)."""
        lw, roles = self.lower, self.lex.roles
        for L in range(min(self.lex.max_role_len, hi - i), 0, -1):
            r = roles.get(tuple(lw[i:i + L]))
            if r is not None and r.kind in kinds:
                return L
        return 0

    def _country_ending_at(self, j: int, lo: int) -> tuple[str, int] | None:
        doc, countries = self.doc, self.lex.countries
        if j <= lo or not doc[j - 1].text[:1].isupper():
            return None
        for L in range(min(self.lex.max_country_len, j - lo), 0, -1):
            key = tuple(fold(self.lower[k]) for k in range(j - L, j))
            c = countries.get(key)
            if c is not None:
                return c, j - L
        return None

    def _qualifier_ending_at(self, j: int, lo: int) -> tuple[str, int] | None:
        c = self._country_ending_at(j, lo)
        if c is not None:
            return c
        cid = self.tok_cluster[j - 1] if j > lo else -1
        if cid >= 0 and self.clusters[cid].type in GROUP_TYPES:
            i = j - 1
            while i > lo and self.tok_cluster[i - 1] == cid:
                i -= 1
            return self.cluster_country[cid] or self.clusters[cid].name, i
        return None

    def _left_mods(self, k: int, lo: int) -> tuple[set[str], list[str], int | None, int]:
        """Qualifiers, modifiers and possessor to the left of a role starting at ``k``."""
        quals: set[str] = set()
        mods: list[str] = []
        poss = None
        i = k
        lw = self.lower
        while i > lo:
            w = lw[i - 1]
            if w in POSSESSIVE_MARKS:
                i -= 1
                continue
            if w in self.lex.modifiers:
                mods.append(w)
                i -= 1
                continue
            if w in POSSESSIVE_PRONOUNS:
                poss = i - 1
                i -= 1
                break
            if w in DETERMINERS:
                i -= 1
                break
            if w in IGNORABLE:
                i -= 1
                continue
            q = self._qualifier_ending_at(i, lo)
            if q is None:
                break
            quals.add(q[0])
            i = q[1]
        return quals, mods, poss, i

    def _qualifiers_after_of(self, end: int, of_at: int) -> set[str]:
        """Qualifiers between "of" (token ``of_at``) and ``end``: "Minister of [Industry and Trade]"."""
        found: set[str] = set()
        i = end
        while i > of_at + 1:
            q = self._qualifier_ending_at(i, of_at + 1)
            if q is None:
                break
            found.add(q[0])
            i = q[1]
        return found

    def parse_np(self, a: int, b: int) -> _NP | None:
        """Read tokens ``a..b`` as "[det] [qualifiers] role [of Country]"."""
        doc, lw = self.doc, self.lower
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        tail: set[str] = set()
        found = self._role_ending_at(b, a)
        end = b
        if found is None:
            for k in range(a + 1, b - 1):
                if lw[k] == "of":
                    found = self._role_ending_at(k, a)
                    if found is not None:
                        end = k
                        tail |= self._qualifiers_after_of(b, k)
                    break
        if found is None:
            return None
        role, rs = found
        quals, mods, poss, start = self._left_mods(rs, a)
        head = doc[end - 1]
        plural = head.tag_ in ("NNS", "NNPS") and role.kind == "person"
        return _NP(role.phrase, role.kind, tuple(sorted(mods)), frozenset(quals | tail), poss, plural,
                   start == a, doc[rs:end].text)

    # ---------------------------------------------------------------- clusters
    def _strip_title(self, s: int, e: int) -> int:
        """First token of the name proper inside a PERSON entity ("President Vladimir Putin")."""
        lw, lex = self.lower, self.lex
        i, keep = s, s
        while i < e - 1:
            w = lw[i]
            if w in lex.honorifics:
                i += 1
                keep = i
                continue
            if w in lex.modifiers or w in DETERMINERS or w in POSSESSIVE_MARKS:
                i += 1
                continue
            best = 0
            for L in range(min(lex.max_role_len, e - 1 - i), 0, -1):
                r = lex.roles.get(tuple(lw[i:i + L]))
                if r is not None and r.kind == "person":
                    best = L
                    break
            if best:
                i += best
                keep = i
                continue
            c = None
            if self.doc[i].text[:1].isupper():
                for L in range(min(lex.max_country_len, e - 1 - i), 0, -1):
                    if tuple(fold(self.lower[k]) for k in range(i, i + L)) in lex.countries:
                        c = L
                        break
            if c:
                i += c
                continue
            break
        return keep

    def _untagged_names(self, raw: list[_Mention]) -> list[_Mention]:
        """Add names NER missed right after a person role: "Political scientist Vesna Kral"."""
        doc, lw, heads = self.doc, self.lower, self.lex.heads
        n = len(doc)
        in_person = bytearray(n)
        in_ent = [-1] * n
        for idx, m in enumerate(raw):
            for t in range(m.start, m.end):
                in_ent[t] = idx
                if m.label == "PERSON":
                    in_person[t] = 1
        extra: list[_Mention] = []
        drop: set[int] = set()
        for i, w in enumerate(lw):
            if w not in heads or i + 2 >= n or in_person[i + 1] or in_ent[i] >= 0:
                continue
            if self._role_ending_at(i + 1, max(0, i - 3), ("person",)) is None:
                continue
            j = i + 1
            while j < n and j < i + 5 and doc[j].pos_ == "PROPN" and doc[j].is_alpha and doc[j].is_title \
                    and not in_person[j]:
                j += 1
            if not 2 <= j - i - 1 <= 4 or (j < n and doc[j].pos_ == "PROPN"):
                continue
            hit = {in_ent[k] for k in range(i + 1, j) if in_ent[k] >= 0}
            if any(raw[h].label in ("GPE", "NORP") for h in hit):
                continue
            drop |= hit
            extra.append(_Mention(i + 1, j, i + 1, "PERSON", _SPACE.sub(" ", doc[i + 1:j].text)))
        if not extra:
            return raw
        kept = [m for idx, m in enumerate(raw) if idx not in drop]
        return sorted(kept + extra, key=lambda m: m.start)

    def _titled_person(self, s: int, e: int) -> bool:
        """An ORG mention that is really a titled name: "Chancellor Olaf Scholz" typed ORG."""
        doc = self.doc
        ns = self._strip_title(s, e)
        name = doc[ns:e]
        if not 1 <= len(name) <= 4 or not all(t.is_alpha and t.is_title for t in name):
            return False
        if ns > s:
            return True
        if len(name) < 2:
            return False
        lo = max(0, s - 6)
        if s > 0 and self.lower[s - 1] in self.lex.honorifics:
            return True
        if self._role_ending_at(s, lo, ("person",)) is not None:
            return True
        # "the German chancellor, Olaf Scholz," typed ORG
        closed = e >= len(doc) or doc[e].is_punct
        return closed and s > 1 and self.lower[s - 1] == "," and \
            self._role_ending_at(s - 1, max(0, s - 7), ("person",)) is not None

    def _build_clusters(self) -> None:
        from newsgraph.analyze.entity_credits import credit_spans

        doc, lex = self.doc, self.lex
        raw: list[_Mention] = []
        credits = credit_spans(doc.text)
        for ent in doc.ents:
            if ent.label_ not in ENTITY_TYPES:
                continue
            if any(cs <= ent.start_char and ent.end_char <= ce for cs, ce in credits):
                continue  # "Photo: John Smith / AP": a credit names no one in the story
            s, e = ent.start, ent.end
            while s < e and self.lower[s] in DETERMINERS:
                s += 1
            while e > s and (self.lower[e - 1] in POSSESSIVE_MARKS or doc[e - 1].is_punct or doc[e - 1].is_space):
                e -= 1
            if s >= e:
                continue
            label = ent.label_
            ns = self._strip_title(s, e) if label == "PERSON" else s
            if label == "ORG":
                if self._titled_person(s, e):
                    label, ns = "PERSON", self._strip_title(s, e)
                else:
                    L = self._role_starting_at(s, e)
                    if L and (s + L == e or self.lower[s + L] == "of"):
                        continue  # a title, not an organisation: "Minister of Industry and Trade"
            text = _SPACE.sub(" ", doc[ns:e].text).strip()
            if not text or not any(ch.isalpha() for ch in text):
                continue
            if label == "ORG" and text == text.lower():
                # "Russia's defence ministry" -> "Russian defence ministry"
                k = self.sent_of(s)
                quals = self._left_mods(s, max(self.sent_starts[k], s - 4))[0]
                if len(quals) == 1:
                    q = next(iter(quals))
                    text = f"{lex.adjective.get(q, q)} {text}"
            raw.append(_Mention(s, e, ns, label, text))
        raw = self._untagged_names(raw)

        # NER slips: majority label per string, then surname-typed-ORG -> PERSON
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for m in raw:
            votes[fold(m.text)][m.label] += 1
        surnames = set()  # last words, and first words for surname-first names ("Wang" of "Wang Wenbin")
        for m in raw:
            ws = fold(m.text).split()
            if m.label == "PERSON" and len(ws) > 1:
                surnames.update((ws[0], ws[-1]))
        lex = self.lex
        fixed: list[_Mention] = []
        for m in raw:
            key = fold(m.text)
            c = votes[key]
            label = m.label
            if len(c) > 1:
                label = max(c.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0]
            if label in ("ORG", "NORP", "GPE") and " " not in key and key in surnames and key not in lex.names:
                label = "PERSON"
            fixed.append(m._replace(label=label))

        assign: list[int] = [-1] * len(fixed)
        names: list[list[str]] = []  # per cluster: texts
        types: list[str] = []

        def new(label: str) -> int:
            names.append([])
            types.append(label)
            return len(names) - 1

        # persons, multi-word names first
        person_words: list[list[tuple[str, ...]]] = []
        positions: list[list[int]] = []
        by_last: dict[str, list[int]] = defaultdict(list)
        by_first: dict[str, list[int]] = defaultdict(list)
        cl_of_person: dict[int, int] = {}
        for idx, m in enumerate(fixed):
            if m.label != "PERSON":
                continue
            ws = tuple(fold(m.text).split())
            if len(ws) < 2:
                continue
            target = -1
            for pc in by_last.get(ws[-1], ()):
                for other in person_words[pc]:
                    if (other[0] == ws[0] or other[-len(ws):] == ws or ws[-len(other):] == other):
                        target = pc
                        break
                if target >= 0:
                    break
            if target < 0:
                target = len(person_words)
                person_words.append([])
                positions.append([])
                cl_of_person[target] = new("PERSON")
                by_last[ws[-1]].append(target)
            if ws not in person_words[target]:
                person_words[target].append(ws)
                if target not in by_first[ws[0]]:
                    by_first[ws[0]].append(target)
            positions[target].append(m.start)
            assign[idx] = cl_of_person[target]
        singles: dict[str, int] = {}
        for idx, m in enumerate(fixed):
            if m.label != "PERSON" or assign[idx] >= 0:
                continue
            ws = tuple(fold(m.text).split())
            cands = [pc for pc in by_last.get(ws[-1], ()) if any(o[-len(ws):] == ws for o in person_words[pc])]
            if not cands and len(ws) == 1:
                # surname-first names: "Wang" of "Wang Wenbin", "Xi" of "Xi Jinping"
                cands = [pc for pc in by_first.get(ws[0], ())]
            if cands:
                def rank(pc: int, at: int = m.start) -> tuple[int, int]:
                    k = bisect.bisect_left(positions[pc], at)  # positions are in text order
                    return (1, positions[pc][k - 1]) if k else (0, -positions[pc][0])
                assign[idx] = cl_of_person[max(cands, key=rank)]
            else:
                key = " ".join(ws)
                if key not in singles:
                    singles[key] = new("PERSON")
                assign[idx] = singles[key]

        # organisations, countries, groups: by key, then acronyms / country prefixes
        keyed: dict[tuple[str, str], int] = {}
        for idx, m in enumerate(fixed):
            if m.label == "PERSON":
                continue
            key = fold(m.text)
            if m.label == "GPE":
                key = fold(lex.names.get(key, m.text))
            if (m.label, key) not in keyed:
                keyed[(m.label, key)] = new(m.label)
            assign[idx] = keyed[(m.label, key)]
        parent = list(range(len(names)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        orgs = {key: cid for (label, key), cid in keyed.items() if label == "ORG"}
        org_text = {}
        for idx, m in enumerate(fixed):
            if m.label == "ORG":
                org_text.setdefault(assign[idx], m.text)
        initials: dict[str, int] = {}
        by_last_org: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for key, cid in orgs.items():
            words = [p for p in re.split(r"[\s\-]+", org_text[cid]) if p]
            if words and fold(words[0]) == "the":
                words = words[1:]
            for parts in ([p for p in words if fold(p) not in ACRONYM_STOP], words):  # "ECOWAS" keeps "of"
                if len(parts) >= 2 and all(p[:1].isalpha() for p in parts):
                    initials.setdefault("".join(p[0] for p in parts).upper(), cid)
            ws = tuple(key.split())
            by_last_org[ws[-1]].append((ws, cid))
        for cid in orgs.values():
            letters = org_text[cid].replace(".", "")
            if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper() and letters in initials:
                parent[find(cid)] = find(initials[letters])
        for group in by_last_org.values():
            for ws, cid in group:
                for ws2, cid2 in group:
                    if len(ws2) > len(ws) and ws2[-len(ws):] == ws and \
                            tuple(ws2[:-len(ws)]) in lex.countries:
                        parent[find(cid)] = find(cid2)

        # materialise
        final: dict[int, int] = {}
        for idx, m in enumerate(fixed):
            root = find(assign[idx])
            if root not in final:
                final[root] = len(self.clusters)
                self.clusters.append(Cluster(name="", type=types[root]))
            cid = final[root]
            cl = self.clusters[cid]
            cl.mentions.append((doc[m.name_start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)))
            names_of = names[root]
            names_of.append(m.text)
            for t in range(m.start, m.end):
                self.tok_cluster[t] = cid
            self.mentions.append((m, cid))
        self.acronyms = {letters: final[find(c)] for letters, c in initials.items() if find(c) in final}
        for root, cid in final.items():
            cl = self.clusters[cid]
            texts = names[root]
            first = {}
            for t in texts:
                first.setdefault(t, len(first))
            if cl.type == "PERSON":
                cl.name = max(first, key=lambda t: (len(t.split()), len(t), -first[t]))
            elif cl.type == "GPE" and fold(texts[0]) in lex.names:
                cl.name = lex.names[fold(texts[0])]
            else:
                cl.name = max(first, key=lambda t: (len(t), -first[t]))
            cl.name = strip_name_prefix(cl.name, cl.type)  # "WASHINGTON (AP) — X", "Hosting Cook"
            country = lex.names.get(fold(cl.name)) if cl.type == "GPE" else None
            if cl.type == "NORP":
                country = lex.countries.get(tuple(fold(cl.name).split()))
            self.cluster_country.append(None)
            self.cluster_country[cid] = country
        self.holdings = [[] for _ in self.clusters]
        self.org_words: dict[str, list[int]] = defaultdict(list)
        self.person_words: dict[str, list[int]] = defaultdict(list)
        for cid, cl in enumerate(self.clusters):
            if cl.type == "ORG":
                for w in set(fold(cl.name).split()):
                    self.org_words[w].append(cid)
            elif cl.type == "PERSON":
                ws = fold(cl.name).split()
                if len(ws) > 1:
                    for w in {ws[0], ws[-1]}:
                        self.person_words[w].append(cid)

    # ------------------------------------------------------------------- roles
    def _attach_roles(self) -> None:
        doc, lex = self.doc, self.lex
        starts = [m.start for m, _ in self.mentions]
        for m, cid in self.mentions:
            if self.clusters[cid].type != "PERSON":
                continue
            k = self.sent_of(m.start)
            lo, hi = self.sent_starts[k], self.sent_ends[k]
            found: list[tuple[_NP, int, int]] = []  # np, first token, end token
            # title before the name (inside or outside the entity)
            j = m.name_start
            while j > lo and self.lower[j - 1] in lex.honorifics:
                g = lex.honorifics[self.lower[j - 1]]
                if g and self.clusters[cid].gender is None:
                    self.clusters[cid].gender = g
                j -= 1
            jj = j
            if j - 1 > lo and self.lower[j - 1] == "," and (m.end >= hi or doc[m.end].is_punct):
                jj = j - 1  # "the Russian president, Vladimir Putin," (the apposition closes)
            r = self._role_ending_at(jj, max(lo, jj - 8), ("person",))
            of_quals: set[str] = set()
            if r is None and jj < j:
                # "Vietnam's Minister of Industry and Trade, Tran Quoc Binh"
                for k in range(jj - 2, max(lo, jj - 8), -1):
                    if self.lower[k] == "of":
                        r = self._role_ending_at(k, max(lo, k - 6), ("person",))
                        if r is not None:
                            of_quals = self._qualifiers_after_of(jj, k)
                        break
            if r is not None:
                role, rs = r
                quals, mods, poss, start = self._left_mods(rs, max(lo, rs - 6))
                found.append((_NP(role.phrase, "person", tuple(sorted(mods)), frozenset(quals | of_quals), poss,
                                  False, True, ""), rs, jj))
            # appositive after: "Viktor Orban, Hungary's prime minister,"
            if m.end < hi - 1 and self.lower[m.end] == ",":
                b = m.end + 1
                while b < hi and b < m.end + 9 and not doc[b].is_punct:
                    b += 1
                # not "Alongside Macron, the German chancellor, Olaf Scholz, said": that title is Scholz's
                next_name = b + 1 < hi and self.lower[b] == "," and doc[b + 1].pos_ == "PROPN" \
                    and doc[b + 1].is_title
                np = self.parse_np(m.end + 1, b) if not next_name else None
                if np is not None and np.complete and np.kind == "person" and not np.plural:
                    found.append((np, m.end + 1, b))
            for np, a, b in found:
                for t in range(a, b):
                    if self.tok_cluster[t] < 0 or self.clusters[self.tok_cluster[t]].type != "PERSON":
                        self.title_tok[t] = 1
                self._add_holding(cid, _Holding(np.role, np.mods, np.quals))
                role = lex.roles.get(tuple(np.role.split()))
                if role is not None and role.gender and self.clusters[cid].gender is None:
                    self.clusters[cid].gender = role.gender
                if np.role == "counterpart" and np.possessor is not None:
                    # "his Russian counterpart X": X holds the possessor's roles, re-qualified
                    x = bisect.bisect_left(starts, np.possessor) - 1
                    while x >= 0 and starts[x] >= lo:
                        cid2 = self.mentions[x][1]
                        if cid2 != cid and self.clusters[cid2].type == "PERSON" and self.holdings[cid2]:
                            for h in list(self.holdings[cid2]):
                                if h.role != "counterpart":
                                    self._add_holding(cid, _Holding(h.role, h.mods, np.quals))
                            break
                        x -= 1
        self.holders: dict[str, list[tuple[int, _Holding]]] = defaultdict(list)
        for cid, hs in enumerate(self.holdings):
            for h in hs:
                for anc in lex.ancestors.get(h.role, (h.role,)):
                    self.holders[anc].append((cid, h))

    def _name_genders(self) -> None:
        """Gender from first names, for persons whose titles said nothing (see the module docstring)."""
        forms: dict[int, set[str]] = defaultdict(set)
        for m, cid in self.mentions:
            cl = self.clusters[cid]
            if cl.type != "PERSON" or cl.gender is not None or any(ch.isdigit() for ch in cl.name):
                continue
            ws = m.text.split()
            if len(ws) < 2:
                continue  # a lone word may be a surname ("Taylor said")
            first = ws[0]
            if first.isalpha() and first[:1].isupper() and len(first) >= 2 and not first.isupper():
                forms[cid].add(first)
        for cid, firsts in forms.items():
            genders = {first_name_gender(f) for f in firsts}
            if len(genders) == 1 and None not in genders:
                self.clusters[cid].gender = genders.pop()

    def _add_holding(self, cid: int, h: _Holding, index: bool = False) -> None:
        if h not in self.holdings[cid]:
            self.holdings[cid].append(h)
            q = sorted(h.quals)
            self.clusters[cid].roles.append((" ".join((*h.mods, h.role)), q[0] if q else None))
            if index:
                for anc in self.lex.ancestors.get(h.role, (h.role,)):
                    self.holders[anc].append((cid, h))

    def visible_clusters(self) -> list[Cluster]:
        """Clusters, without organisations that only ever occur inside a person's title."""
        keep = []
        used: set[int] = set()
        for m, cid in self.mentions:
            if not all(self.title_tok[t] for t in range(m.start, m.end)):
                used.add(cid)
        for cid, cl in enumerate(self.clusters):
            if cid in used:
                keep.append(cl)
        return keep

    # -------------------------------------------------------------------- pass
    def resolve(self, spans: Sequence[tuple[int, int]], pronouns: bool = False) -> list[str | None]:
        """Resolve ``spans`` (char offsets) in text order; ``pronouns``: also every third-person pronoun."""
        doc, lex = self.doc, self.lex
        n = len(doc)
        events: list[tuple[int, int, int, Any]] = []  # (token, order, kind, payload)
        for m, cid in self.mentions:
            events.append((m.start, 0, 0, (m, cid)))
        heads = lex.heads
        for i, w in enumerate(self.lower):
            if not (w in heads or (w.endswith("s") and (w[:-1] in heads or w[:-3] + "y" in heads))) \
                    or self.tok_cluster[i] >= 0 or self.title_tok[i]:
                continue
            t = doc[i]
            if t.pos_ in ("NOUN", "PROPN"):
                k = self.sent_of(t.i)
                a = max(t.left_edge.i, self.sent_starts[k])
                b = t.i + 1
                if b < n and self.lower[b] == "of":
                    b = min(doc[b].right_edge.i + 1, t.i + 7, self.sent_ends[k])
                events.append((a, 1, 1, (a, b, t.i)))
        for s in self.subjects:
            if s is not None and (self.lower[s] in PERSON_PRONOUNS or self.lower[s] in GROUP_PRONOUNS):
                events.append((s, 1, 2, (s, s + 1, s)))
        if pronouns:
            subj = set(self.subjects)
            for i, w in enumerate(self.lower):
                if i in subj:
                    continue
                if w in PERSON_PRONOUNS or w in GROUP_PRONOUNS or \
                        (w in RELATIVE_PRONOUNS and doc[i].head.dep_ == "relcl"):
                    events.append((i, 1, 4, (i, i + 1, i)))
        wanted: list[tuple[int, int, int] | None] = []
        text_len = doc[-1].idx + len(doc[-1].text_with_ws) if n else 0
        for q, (cs, ce) in enumerate(spans):
            tok = None
            try:
                cs, ce = int(cs), int(ce)
                if 0 <= cs < ce <= text_len:
                    sp = doc.char_span(cs, ce, alignment_mode="expand")
                    if sp is not None and len(sp):
                        a, b = sp.start, sp.end
                        while a < b and (doc[a].is_space or doc[a].is_punct):
                            a += 1
                        while b > a and (doc[b - 1].is_space or doc[b - 1].is_punct):
                            b -= 1
                        if a < b:
                            tok = (a, b, doc[a:b].root.i)
            except (TypeError, ValueError, IndexError):
                tok = None
            wanted.append(tok)
            if tok is not None:
                events.append((tok[0], 2, 3, (tok[0], tok[1], tok[2], q)))
        events.sort(key=lambda e: (e[0], e[1]))

        self.res_by_tok: dict[int, _Res | None] = {}
        self.sal = [0] * len(self.clusters)
        self.last_tok = [-1] * len(self.clusters)
        self.person_hist: list[tuple[int, int, int]] = []
        self.attr_hist: list[tuple[int, int, _Res | None]] = []
        self.org_hist: list[tuple[int, str, _Res]] = []
        self.counted: set[int] = set()
        out: list[str | None] = [None] * len(spans)
        for _, _, kind, payload in events:
            if kind == 0:
                m, cid = payload
                res = _Res(self.clusters[cid].name, self.clusters[cid].type, cid)
                for t in range(m.start, m.end):
                    self.res_by_tok[t] = res
                if not all(self.title_tok[t] for t in range(m.start, m.end)):
                    self._count(m.start, res)
                continue
            a, b, head = payload[0], payload[1], payload[2]
            if kind in (1, 2, 4) and head in self.res_by_tok:
                continue
            if kind == 4:  # an extra pronoun (entities' mentions): resolved, but it teaches nothing
                self._quiet = True
                self.res_by_tok[head] = self._resolve_span(a, b, head)
                self._quiet = False
                continue
            res = self._resolve_span(a, b, head)
            self.res_by_tok.setdefault(head, res)
            if res is not None:
                self._count(head, res)
            if kind == 3:
                self.attr_hist.append((head, self.sent_of(head), res))
                out[payload[3]] = res.name if res is not None else None
        return out

    def _count(self, tok: int, res: _Res) -> None:
        if res.cid < 0 or tok in self.counted:
            return
        self.counted.add(tok)
        self.sal[res.cid] += 1
        self.last_tok[res.cid] = tok
        if res.type == "PERSON":
            self.person_hist.append((tok, self.sent_of(tok), res.cid))

    def _resolve_span(self, a: int, b: int, head: int) -> _Res | None:
        doc, lw = self.doc, self.lower
        # an explicit, non-possessive person name inside the span
        persons = []
        for t in range(a, b):
            cid = self.tok_cluster[t]
            if cid >= 0 and self.clusters[cid].type == "PERSON":
                nxt = lw[t + 1] if t + 1 < len(doc) else ""
                if nxt in POSSESSIVE_MARKS and self.tok_cluster[t + 1] != cid:
                    continue
                persons.append((t == head, t, cid))
        if persons:
            cid = max(persons)[2]
            return _Res(self.clusters[cid].name, "PERSON", cid)
        cid = self.tok_cluster[head]
        if cid >= 0:
            return _Res(self.clusters[cid].name, self.clusters[cid].type, cid)
        w = lw[head]
        tok = doc[head]
        if tok.is_upper and tok.is_alpha and 2 <= len(w) <= 8 and tok.pos_ in ("PROPN", "NOUN") and b - a == 1:
            # an acronym NER missed: its expansion in the article, else itself ("ECOWAS said")
            cid = self.acronyms.get(tok.text, -1)
            if cid >= 0:
                return _Res(self.clusters[cid].name, self.clusters[cid].type, cid)
            return _Res(tok.text, "ORG", -1)
        cands = self.person_words.get(fold(w))
        if cands and doc[head].pos_ in ("PROPN", "NOUN") and doc[head].is_title:
            # a surname NER did not tag ("Price said" after "Ned Price")
            cid = max(cands, key=lambda c: self.last_tok[c])
            return _Res(self.clusters[cid].name, "PERSON", cid)
        if w in PERSON_PRONOUNS:
            return self._pronoun(head, PERSON_PRONOUNS[w], False)
        if w in GROUP_PRONOUNS:
            if self._quoted(head):
                return None  # "They deceived us," Putin said: the quote's "they" is not a speaker we track
            return self._pronoun(head, None, True)
        if w in FIRST_PERSON:
            return None  # handled by the caller from the enclosing quote
        if w in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and tok.head.head.i < head:
            # "the grid operator, which said ...", "Vaitkus, who chairs ...": the noun the clause is about
            ante = tok.head.head
            return self._resolve_span(ante.left_edge.i, ante.i + 1, ante.i)
        start = max(a, doc[head].left_edge.i)
        end = head + 1
        if end < b and lw[end] == "of":
            end = b
        np = self.parse_np(start, end)
        if np is None:
            return None
        return self._role(np, head)

    def _quoted(self, i: int) -> bool:
        """Whether token ``i`` lies inside quotation marks (curly, guillemets, or straight ones paired in order)."""
        if self._quotes is None:
            spans: list[tuple[int, int]] = []
            open_at: int | None = None
            closer = ""
            for j, w in enumerate(self.lower):
                if open_at is None:
                    if w in _OPENERS:
                        open_at, closer = j, _OPENERS[w]
                elif w in closer:
                    spans.append((open_at, j))
                    open_at = None
            self._quotes = spans
        x = bisect.bisect_right(self._quotes, (i, 1 << 62)) - 1
        return x >= 0 and self._quotes[x][0] < i < self._quotes[x][1]

    def _ok(self, res: _Res | None, gender: str | None, group: bool) -> bool:
        if res is None:
            return False
        if group:
            return res.type in GROUP_TYPES
        if res.type != "PERSON" or any(ch.isdigit() for ch in res.name):
            return False  # "Bill C-74" typed PERSON is a thing, never "he"
        g = self.clusters[res.cid].gender if res.cid >= 0 else None
        return gender is None or g is None or g == gender

    def _pronoun(self, i: int, gender: str | None, group: bool) -> _Res | None:
        k = self.sent_of(i)
        if group and self._quiet:
            return self._bound_group(i, k)
        found: _Res | None = None
        strong = True
        weak_step = False  # found only as a previous sentence's subject or a recent mention
        s = self.subjects[k]
        if s is not None and s < i and self._ok(self.res_by_tok.get(s), gender, group):
            found = self.res_by_tok[s]
        if found is None:
            for tok, sk, res in reversed(self.attr_hist):
                if tok >= i:
                    continue
                if k - sk > PRONOUN_SENTENCES:
                    break
                if self._ok(res, gender, group):  # skips "Reuters reported" between two of Putin's
                    found = res
                    break
        if found is None:
            weak_step = True
            for kk in range(k - 1, max(-1, k - 1 - PRONOUN_SENTENCES), -1):
                s = self.subjects[kk]
                if s is not None and self._ok(self.res_by_tok.get(s), gender, group):
                    found = self.res_by_tok[s]
                    break
        if found is None and not group:
            strong = False
            for tok, sk, cid in reversed(self.person_hist):
                if k - sk > RECENT_PERSON_SENTENCES:
                    break
                if tok < i:
                    res = _Res(self.clusters[cid].name, "PERSON", cid)
                    if self._ok(res, gender, group):
                        found = res
                        break
        if found is not None and not group and weak_step and self._rival(i, k, gender, found.cid):
            return None  # two people of that gender in the scene and no previous statement: unresolved
        if found is not None and strong and gender and found.cid >= 0 and self.clusters[found.cid].gender is None \
                and not self._quiet:
            self.clusters[found.cid].gender = gender
        return found

    def _bound_group(self, i: int, k: int) -> _Res | None:
        """An extra "it" / "its" / "they" (entity mentions only): the subject of its sentence before it,
        else of the previous sentence, when no other entity of that type was mentioned in between."""
        for kk in (k, k - 1):
            s = self.subjects[kk] if kk >= 0 else None
            if s is None or s >= i:
                continue
            res = self.res_by_tok.get(s)
            if not self._ok(res, None, True) or res is None or res.cid < 0:
                continue
            for cid, cl in enumerate(self.clusters):
                if cid != res.cid and cl.type == res.type and s < self.last_tok[cid] < i:
                    return None
            return res
        return None

    def _rival(self, i: int, k: int, gender: str | None, cid: int) -> bool:
        """Whether another person that ``gender`` fits was mentioned in the pronoun's scene."""
        for tok, sk, other in reversed(self.person_hist):
            if k - sk > PRONOUN_SENTENCES:
                break
            if tok >= i or other == cid:
                continue
            g = self.clusters[other].gender
            if any(ch.isdigit() for ch in self.clusters[other].name):
                continue
            if gender is None or g == gender or (RIVAL_UNKNOWN and g is None):
                return True
        return False

    def _role(self, np: _NP, i: int) -> _Res | None:
        k = self.sent_of(i)
        if np.kind == "person":
            if np.plural:
                return None
            # tier 0: same qualifier (or none asked); 1: holder's country unknown; known and different: out
            per: dict[int, list[_Holding]] = defaultdict(list)
            for cid, h in self.holders.get(np.role, ()):
                if h.mods == np.mods:
                    per[cid].append(h)
            tiers: dict[int, int] = {}
            for cid, hs in per.items():
                if not np.quals or any(h.quals & np.quals for h in hs):
                    tiers[cid] = 0
                elif not any(h.quals for h in hs):
                    tiers[cid] = 1
            held = {cid: hs[0] for cid, hs in per.items()}
            best = tiers
            if not best:
                return None
            top = min(best.values())

            def score(cid: int) -> tuple[bool, int, int]:
                recent = self.last_tok[cid] >= 0 and k - self.sent_of(self.last_tok[cid]) <= 2
                return (self.sal[cid] > 0, self.sal[cid] + (2 if recent else 0), self.last_tok[cid])

            cid = max((c for c, t in best.items() if t == top), key=score)
            if top == 1:
                # "the Russian president" -> the untitled-country president: now he is Russian
                self._add_holding(cid, _Holding(held[cid].role, np.mods, np.quals), index=True)
            return _Res(self.clusters[cid].name, "PERSON", cid)
        # organisations
        words = set(np.role.split())
        cands = []
        for cid in self.org_words.get(np.role.split()[-1], ()):
            cw = set(fold(self.clusters[cid].name).split())
            if not words <= cw:
                continue
            if np.quals:
                cq = {c for c in (self.lex.countries.get((w,)) for w in cw) if c}
                if cq and not (cq & np.quals):
                    continue
            cands.append(((self.last_tok[cid] >= 0, self.last_tok[cid]), cid))
        if cands:
            cid = max(cands)[1]
            return _Res(self.clusters[cid].name, "ORG", cid)
        if np.quals:
            q = sorted(np.quals)[0]
            res = _Res(f"{self.lex.adjective.get(q, q)} {np.text.lower()}", "ORG", -1)
            self.org_hist.append((k, np.role, res))
            return res
        for sk, role, res in reversed(self.org_hist):
            if k - sk > GROUP_SENTENCES:
                break
            if role == np.role:
                return res
        return None


def _lexicon() -> Lexicon:
    return load_lexicon()


def entity_clusters(doc: Doc) -> list[Cluster]:
    """The article's PERSON / ORG / GPE / NORP entities, merged (see module docstring)."""
    an = _Analysis(doc, _lexicon())
    an.resolve([])  # the pass learns genders from pronouns
    return an.visible_clusters()


def _first_person_sources(doc: Doc, spans: Sequence[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """For first-person spans inside a quote: the span of that quote's speaker."""
    if not Doc.has_extension("attributions"):
        return {}
    atts = doc._.attributions or ()
    contents: list[tuple[int, int, tuple[int, int]]] = []  # (start, end, speaker span), sorted by start
    out: dict[int, tuple[int, int]] = {}
    for q, sp in enumerate(spans):
        try:
            s, e = int(sp[0]), int(sp[1])
        except (TypeError, ValueError, IndexError):
            continue
        if not 0 <= s < e or e - s > 8:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or span.text.strip().lower() not in FIRST_PERSON:
            continue
        if not contents:
            for a in atts:
                src = a.get("source")
                if not src:
                    continue
                for frag in a.get("content_spans") or [a.get("content") or (0, 0)]:
                    contents.append((int(frag[0]), int(frag[1]), (int(src[0]), int(src[1]))))
            contents.sort()
            if not contents:
                return out
        best = None
        x = bisect.bisect_right(contents, (s, 1 << 62)) - 1
        for cs, ce, src in contents[max(0, x - 50):x + 1][::-1]:  # contents are local: look a little way back
            if cs <= s and e <= ce and not (src[0] <= s and e <= src[1]) and (best is None or ce - cs < best[0]):
                best = (ce - cs, src)
        if best is not None:
            out[q] = best[1]
    return out


def resolve_mentions(doc: Doc, spans: Iterable[tuple[int, int]]) -> list[str | None]:
    """Canonical entity names for character spans of ``doc`` (None when unresolved).

    One value per span, in order. Spans are resolved together, in text order,
    so a pronoun can lean on the span before it (the previous speaker).
    """
    spans = [tuple(sp) if isinstance(sp, (list, tuple)) else (None, None) for sp in spans]
    if not spans:
        return []
    extra = _first_person_sources(doc, spans)  # type: ignore[arg-type]
    all_spans = list(spans) + list(extra.values())
    out = _Analysis(doc, _lexicon()).resolve(all_spans)  # type: ignore[arg-type]
    for j, q in enumerate(extra):
        if out[q] is None:
            out[q] = out[len(spans) + j]
    return out[: len(spans)]


class SpeakerResolver:
    """spaCy component: fills ``source_entity`` / ``via_entity`` in ``doc._.attributions``.

    Stateless and thread-safe: each call builds its own ``_Analysis`` of the doc
    (clusters, roles, the resolution pass) and drops it; the instance holds only
    its name, and the role lexicon and country table are read-only once loaded.
    """

    def __init__(self, *, name: str = "newsgraph_speakers", nlp: Any = None) -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        atts = doc._.attributions
        if not atts:
            return doc
        spans: list[tuple[int, int]] = []
        slots: list[tuple[int, str]] = []
        for j, a in enumerate(atts):
            for key in ("source", "via"):
                sp = a.get(key)
                if sp:
                    spans.append((sp[0], sp[1]))
                    slots.append((j, f"{key}_entity"))
                else:
                    a[f"{key}_entity"] = None
        if spans:
            for (j, slot), name in zip(slots, resolve_mentions(doc, spans), strict=True):
                atts[j][slot] = name
        return doc
