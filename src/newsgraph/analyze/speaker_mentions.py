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
    """Drop a leading determiner and trailing "'s" / punctuation."""
    lw, doc = reader.lower, reader.doc
    while s < e and lw[s] in DETERMINERS:
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


def find_mentions(reader: RoleReader, sents: Sentences, credits: Sequence[tuple[int, int]]) -> list[Mention]:
    """The article's PERSON / ORG / GPE / NORP mentions in text order, trimmed, typed and completed."""
    raw: list[Mention] = []
    for ent in reader.doc.ents:
        if ent.label_ not in ENTITY_TYPES:
            continue
        if any(cs <= ent.start_char and ent.end_char <= ce for cs, ce in credits):
            continue  # "Photo: John Smith / AP": a credit names no one in the story
        s, e = _trim(reader, ent.start, ent.end)
        if s >= e:
            continue
        m = _mention(reader, sents, s, e, ent.label_)
        if m is not None:
            raw.append(m)
    return fix_labels(untagged_names(reader, raw), reader.lex.names)


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
