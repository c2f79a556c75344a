"""Resolution of the speaker analysis: one ordered pass that says what each span, pronoun and role noun names.

Stage 4 of :class:`~newsgraph.analyze.doc_analysis.DocAnalysis` (overview in
``analyze/speakers.py``, which describes the rules). A :class:`Resolution` is
one pass over a document's events in text order: name mentions (salience),
role nouns, sentence subjects that are pronouns, the spans asked for and,
with ``pronouns=True``, every other third-person and relative pronoun
("quietly": those add no salience and teach no gender). The pass learns as
it goes (a pronoun's gender, a holder's country from "the Russian
president") on its own copies of the clusters and holdings, so passes over
one analysis never change each other: asking twice gives the same answer.

Span rules (:meth:`Resolution.resolve_span`): an explicit non-possessive
person name inside the span, else the entity holding the head, else an
untagged acronym, else an untagged surname of a person of the article, else
the pronoun rules (:meth:`Resolution.pronoun`), else the role rules
(:meth:`Resolution.role`). First-person spans inside an attribution's content
take that attribution's source (:func:`first_person_sources`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from spacy.tokens import Doc

from newsgraph.analyze.attr_cues import STATEMENT_NOUNS
from newsgraph.analyze.speaker_lexicon import (
    FIRST_PERSON,
    GROUP_PRONOUNS,
    GROUP_TYPES,
    PERSON_PRONOUNS,
    POSSESSIVE_MARKS,
    RELATIVE_PRONOUNS,
    fold,
)
from newsgraph.analyze.speaker_roles import Holding, RolePhrase, add_holding

#: what a source can have written, said or filed: its possessor is the speaker ("her statement")
AUTHORED_NOUNS = (STATEMENT_NOUNS - {"release", "call", "conference"}) | {"book", "memoir", "lawsuit", "suit",
                                    "complaint", "affidavit", "submission", "account", "testimony", "blog"}

if TYPE_CHECKING:
    from newsgraph.analyze.doc_analysis import DocAnalysis
    from newsgraph.analyze.speaker_clusters import Cluster

__all__ = ["Referent", "Resolution", "first_person_sources", "quote_spans"]

PRONOUN_SENTENCES = 3     # how far back the previous speaker / subjects count
RECENT_PERSON_SENTENCES = 5
GROUP_SENTENCES = 10
RIVAL_UNKNOWN = False  # a person of unknown gender is a rival too
#: quotation mark token -> the tokens that close it
OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“”", "''": "''", "``": "''"}

# event kinds of the pass, in the order they sort at one token
_MENTION, _ROLE_NOUN, _SUBJECT, _SPAN, _EXTRA_PRONOUN = 0, 1, 2, 3, 4


class Referent(NamedTuple):
    """What a span names: an entity cluster of the article, or (``cid`` -1) a group name or untagged acronym."""

    name: str
    type: str
    cid: int


def quote_spans(lower: Sequence[str]) -> list[tuple[int, int]]:
    """(opening, closing) token of every quotation (curly, guillemets, or straight ones paired in order)."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for j, w in enumerate(lower):
        if open_at is None:
            if w in OPENERS:
                open_at, closer = j, OPENERS[w]
        elif w in closer:
            spans.append((open_at, j))
            open_at = None
    return spans


def _token_span(doc: Doc, cs: Any, ce: Any, text_len: int) -> tuple[int, int, int] | None:
    """(first token, end token, head) of char span ``cs..ce`` without edge punctuation, or None."""
    try:
        cs, ce = int(cs), int(ce)
        if not 0 <= cs < ce <= text_len:
            return None
        sp = doc.char_span(cs, ce, alignment_mode="expand")
        if sp is None or not len(sp):
            return None
        a, b = sp.start, sp.end
        while a < b and (doc[a].is_space or doc[a].is_punct):
            a += 1
        while b > a and (doc[b - 1].is_space or doc[b - 1].is_punct):
            b -= 1
        return (a, b, doc[a:b].root.i) if a < b else None
    except (TypeError, ValueError, IndexError):
        return None


class Resolution:
    """One resolution pass over a :class:`DocAnalysis` (run by the constructor).

    ``names``: the canonical name (or None) of each span asked for, in order.
    ``res_by_tok``: token -> :class:`Referent` (or None) of every head the pass
    resolved (name mentions, role nouns, pronouns, spans). ``clusters`` and
    ``holdings``: the analysis's, plus what this pass learned (genders from
    pronouns, countries of holders).
    """

    __slots__ = ("an", "attr_hist", "clusters", "counted", "holders", "holdings", "last_tok", "names", "org_hist",
                 "person_hist", "quiet", "res_by_tok", "sal")

    def __init__(self, an: DocAnalysis, spans: Sequence[tuple[int, int]], pronouns: bool = False) -> None:
        self.an = an
        self.clusters: list[Cluster] = [c.copy() for c in an.clusters]
        self.holdings: list[list[Holding]] = [list(h) for h in an.holdings]
        self.holders: dict[str, list[tuple[int, Holding]]] = defaultdict(
            list, {k: list(v) for k, v in an.holders.items()})
        self.res_by_tok: dict[int, Referent | None] = {}
        self.sal = [0] * len(an.clusters)  # salience: counted mentions so far
        self.last_tok = [-1] * len(an.clusters)
        self.person_hist: list[tuple[int, int, int]] = []  # (token, sentence, cluster) of person mentions
        self.attr_hist: list[tuple[int, int, Referent | None]] = []  # (head, sentence, referent) of spans
        self.org_hist: list[tuple[int, str, Referent]] = []  # (sentence, role, group) of group names
        self.counted: set[int] = set()
        self.quiet = False  # resolving extra pronouns: learn no gender from them
        self.names: list[str | None] = [None] * len(spans)
        self._run(spans, pronouns)

    def visible_clusters(self) -> list[Cluster]:
        """This pass's clusters, without organisations that only ever occur inside a person's title."""
        return [cl for cid, cl in enumerate(self.clusters) if cid in self.an.visible]

    # ------------------------------------------------------------------ pass
    def _events(self, spans: Sequence[tuple[int, int]], pronouns: bool) -> list[tuple[int, int, int, Any]]:
        """(token, order, kind, payload) of everything the pass visits."""
        an = self.an
        doc, lower = an.doc, an.lower
        n = len(doc)
        events: list[tuple[int, int, int, Any]] = [(m.start, 0, _MENTION, (m, cid)) for m, cid in an.mentions]
        heads = an.lex.heads
        for i, w in enumerate(lower):
            if not (w in heads or (w.endswith("s") and (w[:-1] in heads or w[:-3] + "y" in heads))) \
                    or an.tok_cluster[i] >= 0 or an.title_tok[i]:
                continue
            t = doc[i]
            if t.pos_ in ("NOUN", "PROPN"):
                k = an.sent_of(t.i)
                a = max(t.left_edge.i, an.sent_starts[k])
                b = t.i + 1
                if b < n and lower[b] == "of":
                    b = min(doc[b].right_edge.i + 1, t.i + 7, an.sent_ends[k])
                events.append((a, 1, _ROLE_NOUN, (a, b, t.i)))
        for s in an.subjects:
            if s is not None and (lower[s] in PERSON_PRONOUNS or lower[s] in GROUP_PRONOUNS):
                events.append((s, 1, _SUBJECT, (s, s + 1, s)))
        if pronouns:
            subj = set(an.subjects)
            for i, w in enumerate(lower):
                if i in subj:
                    continue
                if w in PERSON_PRONOUNS or w in GROUP_PRONOUNS or \
                        (w in RELATIVE_PRONOUNS and doc[i].head.dep_ == "relcl"):
                    events.append((i, 1, _EXTRA_PRONOUN, (i, i + 1, i)))
        text_len = doc[-1].idx + len(doc[-1].text_with_ws) if n else 0
        for q, (cs, ce) in enumerate(spans):
            tok = _token_span(doc, cs, ce, text_len)
            if tok is not None:
                events.append((tok[0], 2, _SPAN, (tok[0], tok[1], tok[2], q)))
        events.sort(key=lambda e: (e[0], e[1]))
        return events

    def _run(self, spans: Sequence[tuple[int, int]], pronouns: bool) -> None:
        title_tok = self.an.title_tok
        for _, _, kind, payload in self._events(spans, pronouns):
            if kind == _MENTION:
                m, cid = payload
                res = Referent(self.clusters[cid].name, self.clusters[cid].type, cid)
                for t in range(m.start, m.end):
                    self.res_by_tok[t] = res
                if not all(title_tok[t] for t in range(m.start, m.end)):
                    self._count(m.start, res)
                continue
            a, b, head = payload[0], payload[1], payload[2]
            if kind != _SPAN and head in self.res_by_tok:
                continue
            if kind == _EXTRA_PRONOUN:  # an extra pronoun (entities' mentions): resolved, but it teaches nothing
                self.quiet = True
                self.res_by_tok[head] = self.resolve_span(a, b, head)
                self.quiet = False
                continue
            res = self.resolve_span(a, b, head)
            self.res_by_tok.setdefault(head, res)
            if res is not None:
                self._count(head, res)
            if kind == _SPAN:
                self.attr_hist.append((head, self.an.sent_of(head), res))
                self.names[payload[3]] = res.name if res is not None else None

    def _count(self, tok: int, res: Referent) -> None:
        if res.cid < 0 or tok in self.counted:
            return
        self.counted.add(tok)
        self.sal[res.cid] += 1
        self.last_tok[res.cid] = tok
        if res.type == "PERSON":
            self.person_hist.append((tok, self.an.sent_of(tok), res.cid))

    def _cluster_ref(self, cid: int, typ: str | None = None) -> Referent:
        cl = self.clusters[cid]
        return Referent(cl.name, typ or cl.type, cid)

    # ----------------------------------------------------------------- spans
    def resolve_span(self, a: int, b: int, head: int) -> Referent | None:
        """What tokens ``a..b`` with head ``head`` name (see the module docstring for the order of rules)."""
        an = self.an
        found = self._named(a, b, head)
        if found is not None:
            return found
        w = an.lower[head]
        tok = an.doc[head]
        if w in PERSON_PRONOUNS:
            return self.pronoun(head, PERSON_PRONOUNS[w], False)
        if w in GROUP_PRONOUNS:
            if self.an.quoted(head):
                return None  # "They deceived us," Putin said: the quote's "they" is not a speaker we track
            return self.pronoun(head, None, True)
        if w in FIRST_PERSON:
            return None  # handled by the caller from the enclosing quote
        if tok.lemma_.lower() in AUTHORED_NOUNS:
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None:
                # "her statement", "Foster's book", "the team's lawsuit": who wrote or filed it
                return self.resolve_span(poss.left_edge.i, poss.i + 1, poss.i)
        if w in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and tok.head.head.i < head:
            # "the grid operator, which said ...", "Vaitkus, who chairs ...": the noun the clause is about
            ante = tok.head.head
            return self.resolve_span(ante.left_edge.i, ante.i + 1, ante.i)
        start = max(a, tok.left_edge.i)
        end = head + 1
        if end < b and an.lower[end] == "of":
            end = b
        np = an.phrases.parse_np(start, end)
        if np is None:
            return None
        return self.role(np, head)

    def _named(self, a: int, b: int, head: int) -> Referent | None:
        """A name in the span: a non-possessive person, the entity at the head, an acronym, a surname."""
        an = self.an
        doc, lw, tok_cluster = an.doc, an.lower, an.tok_cluster
        persons = []
        for t in range(a, b):
            cid = tok_cluster[t]
            if cid >= 0 and self.clusters[cid].type == "PERSON":
                nxt = lw[t + 1] if t + 1 < len(doc) else ""
                if nxt in POSSESSIVE_MARKS and tok_cluster[t + 1] != cid:
                    continue
                persons.append((t == head, t, cid))
        if persons:
            return self._cluster_ref(max(persons)[2], "PERSON")
        cid = tok_cluster[head]
        if cid >= 0:
            return self._cluster_ref(cid)
        w = lw[head]
        tok = doc[head]
        if tok.is_upper and tok.is_alpha and 2 <= len(w) <= 8 and tok.pos_ in ("PROPN", "NOUN") and b - a == 1:
            # an acronym NER missed: its expansion in the article, else itself ("ECOWAS said")
            cid = an.acronyms.get(tok.text, -1)
            return self._cluster_ref(cid) if cid >= 0 else Referent(tok.text, "ORG", -1)
        cands = an.person_words.get(fold(w))
        if cands and tok.pos_ in ("PROPN", "NOUN") and tok.is_title:
            # a surname NER did not tag ("Price said" after "Ned Price")
            return self._cluster_ref(max(cands, key=lambda c: self.last_tok[c]), "PERSON")
        return None

    # -------------------------------------------------------------- pronouns
    def _ok(self, res: Referent | None, gender: str | None, group: bool) -> bool:
        if res is None:
            return False
        if group:
            return res.type in GROUP_TYPES
        if res.type != "PERSON" or any(ch.isdigit() for ch in res.name):
            return False  # "Bill C-74" typed PERSON is a thing, never "he"
        g = self.clusters[res.cid].gender if res.cid >= 0 else None
        return gender is None or g is None or g == gender

    def pronoun(self, i: int, gender: str | None, group: bool) -> Referent | None:
        """The antecedent of the pronoun at token ``i`` (``gender`` "m"/"f"; ``group``: it/they)."""
        k = self.an.sent_of(i)
        if group and self.quiet:
            return self._bound_group(i, k)
        found = self._same_sentence_subject(i, k, gender, group)
        if found is None:
            found = self._previous_speaker(i, k, gender, group)
        weak_step = found is None  # found only as a previous sentence's subject or a recent mention
        strong = True
        if found is None:
            found = self._previous_subject(k, gender, group)
        if found is None and not group:
            strong = False
            found = self._recent_person(i, k, gender)
        if found is not None and not group and weak_step and self._rival(i, k, gender, found.cid):
            return None  # two people of that gender in the scene and no previous statement: unresolved
        if found is not None and strong and gender and found.cid >= 0 and self.clusters[found.cid].gender is None \
                and not self.quiet:
            self.clusters[found.cid].gender = gender
        return found

    def _same_sentence_subject(self, i: int, k: int, gender: str | None, group: bool) -> Referent | None:
        s = self.an.subjects[k]
        if s is not None and s < i and self._ok(self.res_by_tok.get(s), gender, group):
            return self.res_by_tok[s]
        return None

    def _previous_speaker(self, i: int, k: int, gender: str | None, group: bool) -> Referent | None:
        for tok, sk, res in reversed(self.attr_hist):
            if tok >= i:
                continue
            if k - sk > PRONOUN_SENTENCES:
                break
            if self._ok(res, gender, group):  # skips "Reuters reported" between two of Putin's
                return res
        return None

    def _previous_subject(self, k: int, gender: str | None, group: bool) -> Referent | None:
        for kk in range(k - 1, max(-1, k - 1 - PRONOUN_SENTENCES), -1):
            s = self.an.subjects[kk]
            if s is not None and self._ok(self.res_by_tok.get(s), gender, group):
                return self.res_by_tok[s]
        return None

    def _recent_person(self, i: int, k: int, gender: str | None) -> Referent | None:
        for tok, sk, cid in reversed(self.person_hist):
            if k - sk > RECENT_PERSON_SENTENCES:
                break
            if tok < i:
                res = Referent(self.clusters[cid].name, "PERSON", cid)
                if self._ok(res, gender, False):
                    return res
        return None

    def _bound_group(self, i: int, k: int) -> Referent | None:
        """An extra "it" / "its" / "they" (entity mentions only): the subject of its sentence before it,
        else of the previous sentence, when no other entity of that type was mentioned in between."""
        for kk in (k, k - 1):
            s = self.an.subjects[kk] if kk >= 0 else None
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

    # ----------------------------------------------------------------- roles
    def role(self, np: RolePhrase, i: int) -> Referent | None:
        """The holder (person roles) or organisation / group name (org roles) a role phrase at ``i`` names."""
        if np.kind == "person":
            return None if np.plural else self._person_role(np, i)
        return self._org_role(np, self.an.sent_of(i))

    def _person_role(self, np: RolePhrase, i: int) -> Referent | None:
        k = self.an.sent_of(i)
        # tier 0: same qualifier (or none asked); 1: holder's country unknown; known and different: out
        per: dict[int, list[Holding]] = defaultdict(list)
        for cid, h in self.holders.get(np.role, ()):
            if h.mods == np.mods:
                per[cid].append(h)
        tiers: dict[int, int] = {}
        for cid, hs in per.items():
            if not np.quals or any(h.quals & np.quals for h in hs):
                tiers[cid] = 0
            elif not any(h.quals for h in hs):
                tiers[cid] = 1
        if not tiers:
            return None
        top = min(tiers.values())

        def score(cid: int) -> tuple[bool, int, int]:
            recent = self.last_tok[cid] >= 0 and k - self.an.sent_of(self.last_tok[cid]) <= 2
            return (self.sal[cid] > 0, self.sal[cid] + (2 if recent else 0), self.last_tok[cid])

        cid = max((c for c, t in tiers.items() if t == top), key=score)
        if top == 1:
            # "the Russian president" -> the untitled-country president: now he is Russian
            add_holding(cid, Holding(per[cid][0].role, np.mods, np.quals), self.clusters, self.holdings,
                        self.an.lex, self.holders)
        return Referent(self.clusters[cid].name, "PERSON", cid)

    def _org_role(self, np: RolePhrase, k: int) -> Referent | None:
        an = self.an
        words = set(np.role.split())
        cands = []
        for cid in an.org_words.get(np.role.split()[-1], ()):
            cw = set(fold(self.clusters[cid].name).split())
            if not words <= cw:
                continue
            if np.quals:
                cq = {c for c in (an.lex.countries.get((w,)) for w in cw) if c}
                if cq and not (cq & np.quals):
                    continue
            cands.append(((self.last_tok[cid] >= 0, self.last_tok[cid]), cid))
        if cands:
            cid = max(cands)[1]
            return Referent(self.clusters[cid].name, "ORG", cid)
        if np.quals:
            q = sorted(np.quals)[0]
            res = Referent(f"{an.lex.adjective.get(q, q)} {np.text.lower()}", "ORG", -1)
            self.org_hist.append((k, np.role, res))
            return res
        for sk, role, res in reversed(self.org_hist):
            if k - sk > GROUP_SENTENCES:
                break
            if role == np.role:
                return res
        return None


def first_person_sources(doc: Doc, spans: Sequence[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """For first-person spans inside a quote: the span of that quote's speaker (by span index)."""
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
            contents = _contents(atts)
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


def _contents(atts: Sequence[dict[str, Any]]) -> list[tuple[int, int, tuple[int, int]]]:
    """(start, end, source span) of every content fragment of an attribution with a source, sorted."""
    contents = []
    for a in atts:
        src = a.get("source")
        if not src:
            continue
        for frag in a.get("content_spans") or [a.get("content") or (0, 0)]:
            contents.append((int(frag[0]), int(frag[1]), (int(src[0]), int(src[1]))))
    contents.sort()
    return contents
