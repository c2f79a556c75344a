"""Clusters of the speaker analysis: which mentions name the same entity, and its canonical name.

Stage 2 of :class:`~newsgraph.analyze.doc_analysis.DocAnalysis` (overview in
``analyze/speakers.py``). :func:`build_clusters` groups the fixed mentions of
``speaker_mentions``:

- persons, multi-word names first, merge when one name is a word-suffix of
  the other or they share first and last word ("Putin", "Vladimir V. Putin"
  -> "Vladimir Putin"); a one-word name goes to the holder of that surname
  (or, for surname-first names, first word: "Xi" of "Xi Jinping") mentioned
  most recently before it, else the first one after it;
- organisations, countries and groups by folded name (countries through the
  alias table: "US", "the United States" -> "United States"), then
  acronym <-> expansion ("AFP" <-> "Agence France-Presse") and
  country-prefixed forms ("Foreign Ministry" <-> "Russian Foreign Ministry").

Canonical name (:func:`canonical_name`) = the longest name without titles
(persons: most words, then most characters; others: most characters), minus
dateline / credit prefixes. Matching is case- and accent-insensitive.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsgraph.analyze.entity_credits import strip_name_prefix
from newsgraph.analyze.speaker_lexicon import ACRONYM_STOP, Lexicon, fold
from newsgraph.analyze.speaker_mentions import Mention

__all__ = ["Cluster", "ClusterTable", "build_clusters", "canonical_name"]


@dataclass(slots=True)
class Cluster:
    """One entity of the article.

    ``mentions`` are ``(start, end)`` character offsets of every mention as
    NER found it, minus leading "the", trailing "'s" and (persons) titles.
    ``roles`` are ``(role, qualifier)`` pairs from titles and appositives
    ("prime minister", "Hungary"); ``gender`` is "m"/"f" only when an
    honorific, a gendered title, a first name or a resolved pronoun said so.
    """

    name: str
    type: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    roles: list[tuple[str, str | None]] = field(default_factory=list)
    gender: str | None = None

    def copy(self) -> Cluster:
        """A copy whose roles and gender can change on their own (mentions are shared, never changed)."""
        return Cluster(self.name, self.type, self.mentions, list(self.roles), self.gender)


@dataclass(slots=True)
class ClusterTable:
    """The result of :func:`build_clusters` (see ``DocAnalysis`` for each field)."""

    clusters: list[Cluster]
    cluster_country: list[str | None]
    mentions: list[tuple[Mention, int]]
    tok_cluster: list[int]
    acronyms: dict[str, int]
    org_words: dict[str, list[int]]
    person_words: dict[str, list[int]]


class _Groups:
    """Provisional clusters (texts and type per group) with a union-find over them."""

    def __init__(self) -> None:
        self.names: list[list[str]] = []
        self.types: list[str] = []
        self.parent: list[int] = []

    def new(self, label: str) -> int:
        self.names.append([])
        self.types.append(label)
        self.parent.append(len(self.parent))
        return len(self.names) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _group_full_names(fixed: Sequence[Mention], assign: list[int], groups: _Groups
                      ) -> tuple[list[list[tuple[str, ...]]], list[list[int]], dict[str, list[int]],
                                 dict[str, list[int]], dict[int, int]]:
    """Multi-word person names: merge on a shared last word and a shared first word or word-suffix."""
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
            cl_of_person[target] = groups.new("PERSON")
            by_last[ws[-1]].append(target)
        if ws not in person_words[target]:
            person_words[target].append(ws)
            if target not in by_first[ws[0]]:
                by_first[ws[0]].append(target)
        positions[target].append(m.start)
        assign[idx] = cl_of_person[target]
    return person_words, positions, by_last, by_first, cl_of_person


def _group_persons(fixed: Sequence[Mention], assign: list[int], groups: _Groups) -> None:
    """Persons: full names first, then one-word names to the nearest holder (before it, else the first after)."""
    person_words, positions, by_last, by_first, cl_of_person = _group_full_names(fixed, assign, groups)
    singles: dict[str, int] = {}
    for idx, m in enumerate(fixed):
        if m.label != "PERSON" or assign[idx] >= 0:
            continue
        ws = tuple(fold(m.text).split())
        cands = [pc for pc in by_last.get(ws[-1], ()) if any(o[-len(ws):] == ws for o in person_words[pc])]
        if not cands and len(ws) == 1:
            # surname-first names: "Wang" of "Wang Wenbin", "Xi" of "Xi Jinping"
            cands = list(by_first.get(ws[0], ()))
        if cands:
            def rank(pc: int, at: int = m.start) -> tuple[int, int]:
                k = bisect.bisect_left(positions[pc], at)  # positions are in text order
                return (1, positions[pc][k - 1]) if k else (0, -positions[pc][0])
            assign[idx] = cl_of_person[max(cands, key=rank)]
        else:
            key = " ".join(ws)
            if key not in singles:
                singles[key] = groups.new("PERSON")
            assign[idx] = singles[key]


def _group_others(fixed: Sequence[Mention], assign: list[int], groups: _Groups, lex: Lexicon
                  ) -> dict[tuple[str, str], int]:
    """Organisations, countries and groups by label and folded name (countries by the alias table)."""
    keyed: dict[tuple[str, str], int] = {}
    for idx, m in enumerate(fixed):
        if m.label == "PERSON":
            continue
        key = fold(m.text)
        if m.label == "GPE":
            key = fold(lex.names.get(key, m.text))
        if (m.label, key) not in keyed:
            keyed[(m.label, key)] = groups.new(m.label)
        assign[idx] = keyed[(m.label, key)]
    return keyed


def _merge_orgs(fixed: Sequence[Mention], assign: list[int], groups: _Groups, keyed: dict[tuple[str, str], int],
                lex: Lexicon) -> dict[str, int]:
    """Acronym <-> expansion and country-prefixed forms; returns the initials of every organisation."""
    orgs = {key: cid for (label, key), cid in keyed.items() if label == "ORG"}
    org_text: dict[int, str] = {}
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
            groups.union(cid, initials[letters])
    for group in by_last_org.values():
        for ws, cid in group:
            for ws2, cid2 in group:
                if len(ws2) > len(ws) and ws2[-len(ws):] == ws and tuple(ws2[:-len(ws)]) in lex.countries:
                    groups.union(cid, cid2)
    return initials


def canonical_name(texts: Sequence[str], typ: str, lex: Lexicon) -> str:
    """The cluster's name from its mention texts (in text order; see the module docstring)."""
    first: dict[str, int] = {}
    for t in texts:
        first.setdefault(t, len(first))
    if typ == "PERSON":
        name = max(first, key=lambda t: (len(t.split()), len(t), -first[t]))
    elif typ == "GPE" and fold(texts[0]) in lex.names:
        name = lex.names[fold(texts[0])]
    else:
        name = max(first, key=lambda t: (len(t), -first[t]))
    return strip_name_prefix(name, typ)  # "WASHINGTON (AP) — X", "Hosting Cook"


def _country_of(cl: Cluster, lex: Lexicon) -> str | None:
    if cl.type == "GPE":
        return lex.names.get(fold(cl.name))
    if cl.type == "NORP":
        return lex.countries.get(tuple(fold(cl.name).split()))
    return None


def _word_index(clusters: Sequence[Cluster], typ: str, pick: Callable[[list[str]], set[str]]
                ) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for cid, cl in enumerate(clusters):
        if cl.type == typ:
            for w in pick(fold(cl.name).split()):
                out[w].append(cid)
    return out


def build_clusters(doc: Doc, fixed: list[Mention], lex: Lexicon) -> ClusterTable:
    """Cluster the ``fixed`` mentions of ``doc`` (see the module docstring)."""
    assign = [-1] * len(fixed)
    groups = _Groups()
    _group_persons(fixed, assign, groups)
    keyed = _group_others(fixed, assign, groups, lex)
    initials = _merge_orgs(fixed, assign, groups, keyed, lex)

    clusters: list[Cluster] = []
    mentions: list[tuple[Mention, int]] = []
    tok_cluster = [-1] * len(doc)
    final: dict[int, int] = {}
    for idx, m in enumerate(fixed):
        root = groups.find(assign[idx])
        if root not in final:
            final[root] = len(clusters)
            clusters.append(Cluster(name="", type=groups.types[root]))
        cid = final[root]
        last = doc[m.end - 1]
        clusters[cid].mentions.append((doc[m.name_start].idx, last.idx + len(last.text)))
        groups.names[root].append(m.text)
        for t in range(m.start, m.end):
            tok_cluster[t] = cid
        mentions.append((m, cid))
    acronyms = {letters: final[groups.find(c)] for letters, c in initials.items() if groups.find(c) in final}
    for root, cid in final.items():
        clusters[cid].name = canonical_name(groups.names[root], clusters[cid].type, lex)
    return ClusterTable(
        clusters=clusters,
        cluster_country=[_country_of(cl, lex) for cl in clusters],
        mentions=mentions,
        tok_cluster=tok_cluster,
        acronyms=acronyms,
        org_words=_word_index(clusters, "ORG", set),
        person_words=_word_index(clusters, "PERSON", lambda ws: {ws[0], ws[-1]} if len(ws) > 1 else set()),
    )
