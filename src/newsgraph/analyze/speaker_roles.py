"""Roles of the speaker analysis: role phrases, who holds which role, and with what qualifiers.

Stage 3 of :class:`~newsgraph.analyze.doc_analysis.DocAnalysis` (overview in
``analyze/speakers.py``). :class:`RoleReader` reads the lexicon's phrases off
the lower-cased tokens of one Doc: roles ("foreign minister"), countries
("Russian", "the United States"), qualifiers (countries and, once clusters
exist, organisations of the article), modifiers ("deputy", "former") and
possessors; :meth:`RoleReader.parse_np` reads a whole "[det] [qualifiers] role
[of Country]" phrase as a :class:`RolePhrase`. :func:`attach_roles` records, for
every person mention, the role written before its name ("Hungarian Prime
Minister Viktor Orban") or in an appositive after it ("Viktor Orban, Hungary's
prime minister,") as a :class:`Holding`, learns gender from honorifics and
gendered roles, and gives "his Russian counterpart X" the possessor's roles
re-qualified. :func:`holder_index` maps every role and its lexicon parents to
its holders; :func:`name_genders` adds first-name genders.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from spacy.tokens import Doc

from newsgraph.analyze.speaker_lexicon import (
    DETERMINERS,
    GROUP_TYPES,
    IGNORABLE,
    POSSESSIVE_MARKS,
    POSSESSIVE_PRONOUNS,
    Lexicon,
    first_name_gender,
    fold,
)

if TYPE_CHECKING:
    from newsgraph.analyze.speaker_clusters import Cluster
    from newsgraph.analyze.speaker_mentions import Mention, Sentences

__all__ = ["Holding", "RolePhrase", "RoleReader", "add_holding", "attach_roles", "holder_index", "name_genders"]

#: how far before a name its title may start ("the Russian president, Vladimir Putin")
MAX_TITLE_TOKENS = 8


class Holding(NamedTuple):
    """A role a person of the article holds."""

    role: str              # lexicon phrase
    mods: tuple[str, ...]  # "deputy", "former"
    quals: frozenset[str]  # countries / organisations


class RolePhrase(NamedTuple):
    """A noun phrase read as a role: "the Russian president", "his counterpart", "US authorities"."""

    role: str
    kind: str  # person | org
    mods: tuple[str, ...]
    quals: frozenset[str]
    possessor: int | None  # token index of his/her/their
    plural: bool
    complete: bool  # every token of the phrase was understood
    text: str  # the role words as written ("authorities")


class RoleReader:
    """Role, country and qualifier phrases around token positions of one Doc.

    Built twice per analysis: without clusters while mentions are read (only
    countries qualify then), and with them afterwards (an organisation of the
    article qualifies too: "Kremlin spokesman").
    """

    __slots__ = ("cluster_country", "clusters", "doc", "lex", "lower", "tok_cluster")

    def __init__(self, doc: Doc, lower: list[str], lex: Lexicon, tok_cluster: Sequence[int] | None = None,
                 clusters: Sequence[Cluster] = (), cluster_country: Sequence[str | None] = ()) -> None:
        self.doc = doc
        self.lower = lower
        self.lex = lex
        self.tok_cluster = tok_cluster
        self.clusters = clusters
        self.cluster_country = cluster_country

    def role_ending_at(self, j: int, lo: int, kinds: tuple[str, ...] = ("person", "org")) -> tuple[Any, int] | None:
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

    def role_starting_at(self, i: int, hi: int, kinds: tuple[str, ...] = ("person",)) -> int:
        """Length of the longest lexicon role starting at token ``i`` (0 if none)."""
        lw, roles = self.lower, self.lex.roles
        for L in range(min(self.lex.max_role_len, hi - i), 0, -1):
            r = roles.get(tuple(lw[i:i + L]))
            if r is not None and r.kind in kinds:
                return L
        return 0

    def country_starting_at(self, i: int, hi: int) -> int:
        """Length of the longest capitalised country name or adjective starting at token ``i`` (0 if none)."""
        if not self.doc[i].text[:1].isupper():
            return 0
        for L in range(min(self.lex.max_country_len, hi - i), 0, -1):
            if tuple(fold(self.lower[k]) for k in range(i, i + L)) in self.lex.countries:
                return L
        return 0

    def country_ending_at(self, j: int, lo: int) -> tuple[str, int] | None:
        """The country of the longest country name or adjective ending right before token ``j``, and its start."""
        doc, countries = self.doc, self.lex.countries
        if j <= lo or not doc[j - 1].text[:1].isupper():
            return None
        for L in range(min(self.lex.max_country_len, j - lo), 0, -1):
            key = tuple(fold(self.lower[k]) for k in range(j - L, j))
            c = countries.get(key)
            if c is not None:
                return c, j - L
        return None

    def qualifier_ending_at(self, j: int, lo: int) -> tuple[str, int] | None:
        """A country, or an organisation / country entity of the article, ending right before token ``j``."""
        c = self.country_ending_at(j, lo)
        if c is not None:
            return c
        tc = self.tok_cluster
        cid = tc[j - 1] if tc is not None and j > lo else -1
        if cid >= 0 and self.clusters[cid].type in GROUP_TYPES:
            i = j - 1
            while i > lo and tc[i - 1] == cid:  # type: ignore[index]
                i -= 1
            return self.cluster_country[cid] or self.clusters[cid].name, i
        return None

    def left_mods(self, k: int, lo: int) -> tuple[set[str], list[str], int | None, int]:
        """Qualifiers, modifiers and possessor to the left of a role starting at ``k``, and where they start."""
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
            q = self.qualifier_ending_at(i, lo)
            if q is None:
                break
            quals.add(q[0])
            i = q[1]
        return quals, mods, poss, i

    def qualifiers_after_of(self, end: int, of_at: int) -> set[str]:
        """Qualifiers between "of" (token ``of_at``) and ``end``: "Minister of [Industry and Trade]"."""
        found: set[str] = set()
        i = end
        while i > of_at + 1:
            q = self.qualifier_ending_at(i, of_at + 1)
            if q is None:
                break
            found.add(q[0])
            i = q[1]
        return found

    def parse_np(self, a: int, b: int) -> RolePhrase | None:
        """Read tokens ``a..b`` as "[det] [qualifiers] role [of Country]"."""
        doc, lw = self.doc, self.lower
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        tail: set[str] = set()
        found = self.role_ending_at(b, a)
        end = b
        if found is None:
            for k in range(a + 1, b - 1):
                if lw[k] == "of":
                    found = self.role_ending_at(k, a)
                    if found is not None:
                        end = k
                        tail |= self.qualifiers_after_of(b, k)
                    break
        if found is None:
            return None
        role, rs = found
        quals, mods, poss, start = self.left_mods(rs, a)
        head = doc[end - 1]
        plural = head.tag_ in ("NNS", "NNPS") and role.kind == "person"
        return RolePhrase(role.phrase, role.kind, tuple(sorted(mods)), frozenset(quals | tail), poss, plural,
                          start == a, doc[rs:end].text)


# ------------------------------------------------------------------ holdings
def add_holding(cid: int, h: Holding, clusters: Sequence[Cluster], holdings: list[list[Holding]],
                lex: Lexicon, holders: dict[str, list[tuple[int, Holding]]] | None = None) -> None:
    """Record that cluster ``cid`` holds ``h`` (once); ``holders``: index it there too."""
    if h in holdings[cid]:
        return
    holdings[cid].append(h)
    q = sorted(h.quals)
    clusters[cid].roles.append((" ".join((*h.mods, h.role)), q[0] if q else None))
    if holders is not None:
        for anc in lex.ancestors.get(h.role, (h.role,)):
            holders[anc].append((cid, h))


def _honorific_start(reader: RoleReader, m: Mention, lo: int, cluster: Cluster) -> int:
    """Skip honorifics and ranks before the name ("Mr", "Colonel"), learning their gender; the new start."""
    lw, honorifics = reader.lower, reader.lex.honorifics
    j = m.name_start
    while j > lo and lw[j - 1] in honorifics:
        g = honorifics[lw[j - 1]]
        if g and cluster.gender is None:
            cluster.gender = g
        j -= 1
    return j


def _title_before(reader: RoleReader, m: Mention, j: int, lo: int, hi: int) -> tuple[RolePhrase, int, int] | None:
    """The role written before the name starting at ``j`` (inside or outside the entity)."""
    lw, doc = reader.lower, reader.doc
    jj = j
    if j - 1 > lo and lw[j - 1] == "," and (m.end >= hi or doc[m.end].is_punct):
        jj = j - 1  # "the Russian president, Vladimir Putin," (the apposition closes)
    r = reader.role_ending_at(jj, max(lo, jj - MAX_TITLE_TOKENS), ("person",))
    of_quals: set[str] = set()
    if r is None and jj < j:
        # "Vietnam's Minister of Industry and Trade, Tran Quoc Binh"
        for k in range(jj - 2, max(lo, jj - 8), -1):
            if lw[k] == "of":
                r = reader.role_ending_at(k, max(lo, k - 6), ("person",))
                if r is not None:
                    of_quals = reader.qualifiers_after_of(jj, k)
                break
    if r is None:
        return None
    role, rs = r
    quals, mods, poss, _ = reader.left_mods(rs, max(lo, rs - 6))
    return RolePhrase(role.phrase, "person", tuple(sorted(mods)), frozenset(quals | of_quals), poss,
                      False, True, ""), rs, jj


def _title_after(reader: RoleReader, m: Mention, hi: int) -> tuple[RolePhrase, int, int] | None:
    """An appositive role after the name: "Viktor Orban, Hungary's prime minister,"."""
    lw, doc = reader.lower, reader.doc
    if not (m.end < hi - 1 and lw[m.end] == ","):
        return None
    b = m.end + 1
    while b < hi and b < m.end + 9 and not doc[b].is_punct:
        b += 1
    # not "Alongside Macron, the German chancellor, Olaf Scholz, said": that title is Scholz's
    if b + 1 < hi and lw[b] == "," and doc[b + 1].pos_ == "PROPN" and doc[b + 1].is_title:
        return None
    np = reader.parse_np(m.end + 1, b)
    if np is not None and np.complete and np.kind == "person" and not np.plural:
        return np, m.end + 1, b
    return None


def attach_roles(reader: RoleReader, sents: Sentences, mentions: Sequence[tuple[Mention, int]],
                 clusters: Sequence[Cluster]) -> tuple[list[list[Holding]], bytearray]:
    """Holdings per cluster, and the tokens that are part of a person's title (1) or not (0)."""
    lex, tok_cluster = reader.lex, reader.tok_cluster
    assert tok_cluster is not None
    holdings: list[list[Holding]] = [[] for _ in clusters]
    title_tok = bytearray(len(reader.doc))
    starts = [m.start for m, _ in mentions]
    for m, cid in mentions:
        cl = clusters[cid]
        if cl.type != "PERSON":
            continue
        k = sents.sent_of(m.start)
        lo, hi = sents.starts[k], sents.ends[k]
        found = [f for f in (_title_before(reader, m, _honorific_start(reader, m, lo, cl), lo, hi),
                             _title_after(reader, m, hi)) if f is not None]
        for np, a, b in found:
            for t in range(a, b):
                if tok_cluster[t] < 0 or clusters[tok_cluster[t]].type != "PERSON":
                    title_tok[t] = 1
            add_holding(cid, Holding(np.role, np.mods, np.quals), clusters, holdings, lex)
            role = lex.roles.get(tuple(np.role.split()))
            if role is not None and role.gender and cl.gender is None:
                cl.gender = role.gender
            if np.role == "counterpart" and np.possessor is not None:
                _counterpart(cid, np, lo, starts, mentions, clusters, holdings, lex)
    return holdings, title_tok


def _counterpart(cid: int, np: RolePhrase, lo: int, starts: list[int], mentions: Sequence[tuple[Mention, int]],
                 clusters: Sequence[Cluster], holdings: list[list[Holding]], lex: Lexicon) -> None:
    """"his Russian counterpart X": X holds the possessor's roles, re-qualified."""
    assert np.possessor is not None
    x = bisect.bisect_left(starts, np.possessor) - 1
    while x >= 0 and starts[x] >= lo:
        cid2 = mentions[x][1]
        if cid2 != cid and clusters[cid2].type == "PERSON" and holdings[cid2]:
            for h in list(holdings[cid2]):
                if h.role != "counterpart":
                    add_holding(cid, Holding(h.role, h.mods, np.quals), clusters, holdings, lex)
            break
        x -= 1


def holder_index(holdings: Sequence[list[Holding]], lex: Lexicon) -> dict[str, list[tuple[int, Holding]]]:
    """Role phrase -> (cluster, holding) of every holder of it or of a more specific role."""
    holders: dict[str, list[tuple[int, Holding]]] = defaultdict(list)
    for cid, hs in enumerate(holdings):
        for h in hs:
            for anc in lex.ancestors.get(h.role, (h.role,)):
                holders[anc].append((cid, h))
    return holders


def name_genders(mentions: Sequence[tuple[Mention, int]], clusters: Sequence[Cluster]) -> None:
    """Gender from first names, for persons whose titles said nothing (see ``analyze/speakers.py``)."""
    forms: dict[int, set[str]] = defaultdict(set)
    for m, cid in mentions:
        cl = clusters[cid]
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
            clusters[cid].gender = genders.pop()
