"""Mentions of the speaker analysis: sentences, then the article's name mentions as NER found them, fixed.

Stage 1 of :class:`~newsgraph.analyze.doc_analysis.DocAnalysis` (overview in
``analyze/speakers.py``). :class:`Sentences` holds sentence bounds and each
sentence's subject. :func:`find_mentions` turns ``doc.ents`` of type PERSON,
ORG, GPE, NORP into :class:`Mention` records:

- mentions inside a credit ("Photo: John Smith / AP") are skipped;
- the text is trimmed (leading "the", trailing "'s" / punctuation) and, for
  persons, title-stripped (:func:`strip_title`: "President Vladimir Putin" ->
  name from "Vladimir");
- an ORG that is a titled name is a PERSON ("Chancellor Olaf Scholz", "the
  German chancellor, Olaf Scholz,"); an ORG that is only a title is dropped
  ("Minister of Industry and Trade"); a lower-case ORG takes its one country
  qualifier ("Russia's defence ministry" -> "Russian defence ministry");
- 2-4 capitalised proper nouns right after a person role are a PERSON even
  when NER missed them (:func:`untagged_names`: "Political scientist Vesna Kral");
- NER slips are fixed by majority vote over identical strings, and a one-word
  ORG / NORP / GPE equal to a surname (or first word) of a multi-word PERSON
  becomes a PERSON ("Lavrov" typed ORG next to "Sergei Lavrov"; never a
  country name) (:func:`fix_labels`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from spacy.tokens import Doc

from newsgraph.analyze.speaker_lexicon import DETERMINERS, ENTITY_TYPES, POSSESSIVE_MARKS, SUBJECT_DEPS, fold
from newsgraph.analyze.speaker_roles import RoleReader

__all__ = ["Mention", "Sentences", "find_mentions", "fix_labels", "strip_title", "untagged_names"]

_SPACE = re.compile(r"\s+")


class Mention(NamedTuple):
    """One name mention: a token span of the trimmed entity (title included) and its name proper."""

    start: int
    end: int
    name_start: int  # first token of the name proper
    label: str
    text: str


class Sentences:
    """Sentence bounds (token offsets) of one Doc and each sentence's subject token (None when it has none)."""

    __slots__ = ("ends", "starts", "subjects")

    def __init__(self, doc: Doc) -> None:
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sents = list(doc.sents)
        else:
            sents = [doc[:]]
        self.starts = [s.start for s in sents]
        self.ends = [s.end for s in sents]
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

    def sent_of(self, i: int) -> int:
        """Index of the sentence holding token ``i``."""
        return max(0, bisect.bisect_right(self.starts, i) - 1)


def strip_title(reader: RoleReader, s: int, e: int) -> int:
    """First token of the name proper inside a PERSON entity ("President Vladimir Putin")."""
    lw, lex = reader.lower, reader.lex
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
        L = reader.role_starting_at(i, e - 1)
        if L:
            i += L
            keep = i
            continue
        L = reader.country_starting_at(i, e - 1)
        if not L:
            break
        i += L
    return keep


def titled_person(reader: RoleReader, s: int, e: int) -> bool:
    """An ORG mention that is really a titled name: "Chancellor Olaf Scholz" typed ORG."""
    doc, lw = reader.doc, reader.lower
    ns = strip_title(reader, s, e)
    name = doc[ns:e]
    if not 1 <= len(name) <= 4 or not all(t.is_alpha and t.is_title for t in name):
        return False
    if ns > s:
        return True
    if len(name) < 2:
        return False
    if s > 0 and lw[s - 1] in reader.lex.honorifics:
        return True
    if reader.role_ending_at(s, max(0, s - 6), ("person",)) is not None:
        return True
    # "the German chancellor, Olaf Scholz," typed ORG
    closed = e >= len(doc) or doc[e].is_punct
    return closed and s > 1 and lw[s - 1] == "," and \
        reader.role_ending_at(s - 1, max(0, s - 7), ("person",)) is not None


def _trim(reader: RoleReader, s: int, e: int) -> tuple[int, int]:
    """Drop a leading determiner or possessive mark ("demonstrate’s Trudeau": NER took "’s Trudeau")
    and trailing "'s" / punctuation."""
    lw, doc = reader.lower, reader.doc
    while s < e and (lw[s] in DETERMINERS or lw[s] in POSSESSIVE_MARKS or doc[s].is_punct or doc[s].is_space):
        s += 1
    while e > s and (lw[e - 1] in POSSESSIVE_MARKS or doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


def _mention(reader: RoleReader, sents: Sentences, s: int, e: int, label: str) -> Mention | None:
    """The mention of the trimmed entity ``s..e`` NER labelled ``label`` (None: a title, no name)."""
    lw, doc = reader.lower, reader.doc
    ns = strip_title(reader, s, e) if label == "PERSON" else s
    if label == "ORG":
        if titled_person(reader, s, e):
            label, ns = "PERSON", strip_title(reader, s, e)
        else:
            L = reader.role_starting_at(s, e)
            if L and (s + L == e or lw[s + L] == "of"):
                return None  # a title, not an organisation: "Minister of Industry and Trade"
    text = _SPACE.sub(" ", doc[ns:e].text).strip()
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if label == "ORG" and text == text.lower():
        # "Russia's defence ministry" -> "Russian defence ministry"
        k = sents.sent_of(s)
        quals = reader.left_mods(s, max(sents.starts[k], s - 4))[0]
        if len(quals) == 1:
            q = next(iter(quals))
            text = f"{reader.lex.adjective.get(q, q)} {text}"
    return Mention(s, e, ns, label, text)


def _lines(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    """An entity span cut at line breaks: NER runs names over a paragraph break ("Justin
    Trudeau\n\nTrudeau urged", "Getty Images\n\nDudi Dwiriadi, a commander")."""
    out, a = [], s
    for k in range(s, e):
        if "\n" in doc[k].text or "\n" in doc[k].whitespace_:
            if k > a:
                out.append((a, k + (0 if doc[k].is_space else 1)))
            a = k + 1
    if e > a:
        out.append((a, e))
    return out


def find_mentions(reader: RoleReader, sents: Sentences, credits: Sequence[tuple[int, int]],
                  sources: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """The article's PERSON / ORG / GPE / NORP mentions in text order, trimmed, typed and completed.

    ``sources``: character spans of the attributions' sources, whose names NER missed
    (:func:`source_names`)."""
    raw: list[Mention] = []
    doc = reader.doc
    for ent in doc.ents:
        if ent.label_ not in ENTITY_TYPES:
            continue
        for a, b in _lines(doc, ent.start, ent.end):
            start_char, end_char = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            if any(cs <= start_char and end_char <= ce for cs, ce in credits):
                continue  # "Photo: John Smith / AP": a credit names no one in the story
            s, e = _trim(reader, a, b)
            if s >= e:
                continue
            m = _mention(reader, sents, s, e, ent.label_)
            if m is not None:
                raw.append(m)
    raw = source_names(reader, untagged_names(reader, raw), sources, credits)
    return fix_labels(raw, reader.lex.names)


def source_names(reader: RoleReader, raw: list[Mention], sources: Sequence[tuple[int, int]],
                 credits: Sequence[tuple[int, int]]) -> list[Mention]:
    """Names NER missed (or typed as a place) where the text names a speaker: the proper-noun run
    around the head of an attribution's source ("Tatiana Stanovaya, an independent expert," said;
    "Nunes said"). A speaker is a person or an organisation: a run that looks like an
    organisation's name (initials, a digit, an organisation word) or is one elsewhere in the
    article is an ORG, else a PERSON. Runs inside a credit, titles and role words are not names."""
    from newsgraph.analyze.entity_types import looks_like_org

    doc = reader.doc
    taken = bytearray(len(doc))
    org_words: set[str] = set()
    for m in raw:
        for t in range(m.start, m.end):
            taken[t] = 1
        if m.label == "ORG":
            org_words.update(fold(m.text).split())
    extra: list[Mention] = []
    drop: set[int] = set()
    for cs, ce in sources:
        span = doc.char_span(cs, ce, alignment_mode="expand")
        if span is None or any(a <= cs and ce <= b for a, b in credits):
            continue
        run = _proper_run(reader, span.root.i, span.start, span.end)
        if run is None:
            continue
        s, e = run
        text = _SPACE.sub(" ", doc[s:e].text).strip()
        if any(taken[t] for t in range(s, e)):
            over = [m for m in raw if m.start < e and s < m.end]
            if any(m.label == "PERSON" or m.start < s or m.end > e for m in over) or looks_like_org(text):
                continue
            if e - s > 1:
                # "Ilona Staniszewska, an expert," with only "Staniszewska" tagged GPE: the run is the person
                extra.append(Mention(s, e, s, "PERSON", text))
                drop.update(id(m) for m in over)
            elif len(over) == 1:
                # a lone surname typed a place or an organisation ("Nunes" GPE) while the article
                # gives the full name: both are the person
                full = _full_name(reader, text, raw, taken)
                if full is not None:
                    extra += [full, over[0]._replace(label="PERSON")]
            continue
        org = looks_like_org(text)
        if e - s == 1 and not org:
            # a lone word names a person when the article gives the full name ("Nunes" after
            # "Amanda Nunes", which NER may have typed ORG: both become PERSON mentions), an
            # organisation when it is a word of one's name ("Facebook said"), else nobody known
            full = _full_name(reader, text, raw, taken)
            if full is None and fold(text) not in org_words:
                continue
            org = full is None
            if full is not None:
                extra.append(full)
                for t in range(full.start, full.end):
                    taken[t] = 1
        extra.append(Mention(s, e, s, "ORG" if org else "PERSON", text))
        for t in range(s, e):
            taken[t] = 1
    if not extra:
        return raw
    starts = {m.start for m in extra}
    kept = [m for m in raw if m.start not in starts and id(m) not in drop]
    return sorted(kept + extra, key=lambda m: m.start)


def _full_name(reader: RoleReader, surname: str, raw: list[Mention], taken: bytearray) -> Mention | None:
    """A two- or three-word proper-noun run of the article ending in ``surname`` that is not an
    organisation's name, as a PERSON mention (an ORG mention of exactly those words is retyped)."""
    from newsgraph.analyze.entity_types import looks_like_org

    doc = reader.doc
    for m in raw:
        ws = m.text.split()
        if m.label in ("ORG", "PERSON") and 2 <= len(ws) <= 3 and ws[-1] == surname and not looks_like_org(m.text):
            return m._replace(label="PERSON")
    for k, tok in enumerate(doc):
        if tok.text != surname or k < 1 or taken[k]:
            continue
        s = k
        while s - 1 >= 0 and k - s < 2 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].is_title and not taken[s - 1] \
                and reader.lower[s - 1] not in reader.lex.heads:
            s -= 1
        if s < k:
            text = _SPACE.sub(" ", doc[s:k + 1].text).strip()
            if not looks_like_org(text):
                return Mention(s, k + 1, s, "PERSON", text)
    return None


def _proper_run(reader: RoleReader, head: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The run of 1-4 capitalised proper nouns holding ``head`` inside ``lo..hi`` (None: the head is
    not one, or the run is a role word, a country or a demonym)."""
    doc, lw = reader.doc, reader.lower

    def proper(t: int) -> bool:
        tok = doc[t]
        return tok.pos_ == "PROPN" and tok.text[:1].isupper() and any(ch.isalpha() for ch in tok.text) \
            and lw[t] not in reader.lex.heads and lw[t] not in POSSESSIVE_MARKS

    if not proper(head):
        return None
    s = head
    while s - 1 >= lo and proper(s - 1):
        s -= 1
    e = head + 1
    while e < hi and proper(e):
        e += 1
    if e - s > 4:
        return None
    key = fold(doc[s:e].text)
    if key in reader.lex.names or tuple(key.split()) in reader.lex.countries:
        return None
    return s, e


def untagged_names(reader: RoleReader, raw: list[Mention]) -> list[Mention]:
    """Add names NER missed right after a person role: "Political scientist Vesna Kral"."""
    doc, lw, heads = reader.doc, reader.lower, reader.lex.heads
    n = len(doc)
    in_person = bytearray(n)
    in_ent = [-1] * n
    for idx, m in enumerate(raw):
        for t in range(m.start, m.end):
            in_ent[t] = idx
            if m.label == "PERSON":
                in_person[t] = 1
    extra: list[Mention] = []
    drop: set[int] = set()
    for i, w in enumerate(lw):
        if w not in heads or i + 2 >= n or in_person[i + 1] or in_ent[i] >= 0:
            continue
        if reader.role_ending_at(i + 1, max(0, i - 3), ("person",)) is None:
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
        extra.append(Mention(i + 1, j, i + 1, "PERSON", _SPACE.sub(" ", doc[i + 1:j].text)))
    if not extra:
        return raw
    kept = [m for idx, m in enumerate(raw) if idx not in drop]
    return sorted(kept + extra, key=lambda m: m.start)


def fix_labels(raw: list[Mention], country_names: dict[str, str]) -> list[Mention]:
    """NER slips: the majority label per string, then a surname typed ORG / NORP / GPE -> PERSON."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in raw:
        votes[fold(m.text)][m.label] += 1
    surnames = set()  # last words, and first words for surname-first names ("Wang" of "Wang Wenbin")
    for m in raw:
        ws = fold(m.text).split()
        if m.label == "PERSON" and len(ws) > 1:
            surnames.update((ws[0], ws[-1]))
    fixed: list[Mention] = []
    for m in raw:
        key = fold(m.text)
        c = votes[key]
        label = m.label
        if len(c) > 1:
            label = max(c.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0]
        if label in ("ORG", "NORP", "GPE") and " " not in key and key in surnames and key not in country_names:
            label = "PERSON"
        fixed.append(m._replace(label=label))
    return fixed
