"""Credit, byline and reporting-line spans: text whose names are not actors of the story.

``credit_spans(text)`` returns sorted, non-overlapping ``(start, end)``
character ranges of ``text`` that are credits, not content. The cleaner
(``newsgraph.extract``) removes most of them; these rules catch what is left,
on characters only (no parse), in one pass of a few regular expressions:

* a line (or a bracketed aside) opened by a credit label and ``:`` / ``by`` /
  ``©``: "Photo: Roman Koksarov / AP", "(Image by Jane Doe)", "Video credit: X";
* a short line (at most 12 words), or a bracketed aside, with a "Name / Agency"
  or "AGENCY/Name" credit: "Alex Brandon/AFP", "REUTERS/Kevin Lamarque",
  "(Alex Brandon/AFP via Getty Images)";
* ``©`` to the end of its line;
* reporting lines: "(Reporting by X; Editing by Y)", "Additional reporting by X";
* a byline: one of the first three non-blank lines reading "By Name[, Name and
  Name][, Outlet]" (only capitalised words and connectors, at most 12 words),
  and anywhere a line that is only "By" and two to four capitalised words.

Labels and agencies are the shared credit vocabulary (``newsgraph.vocab``:
``CREDIT_LABELS`` without "source", every level of ``AGENCIES``). A credit span runs to
the end of its line but never past 200 characters (then it stops at the first
sentence end), so a long body paragraph that happens to begin "Photo:" loses
at most its first sentence.

Names: :func:`strip_name_prefix` takes what is not a name off the front of an
entity name, to a fixed point, so that a dateline or a credit never becomes part
of an actor's name (the registry's ``normalise_name`` and the store's actor
linking apply it to every name; the analysis should apply it to the names it
builds):

* a dateline: one to four all-capital words (the place), optionally ", Region"
  and ", Month Day", optionally an agency in brackets, then a dash:
  "WASHINGTON (AP) — Donald Trump", "LONDON, June 3 (Reuters) - Keir Starmer",
  "KYIV, Ukraine — ..."; or a bracketed agency alone: "(AP) — ...";
* a credit label with ``:`` / ``©`` / "by" ("Photo: Jane Doe", "Image credit:
  X"), written with a capital (so the lower-case comparison form of a name is
  left alone and the function stays idempotent on it), and a byline "By ";
* a furniture label with ``:`` ("WATCH: ...", "Pictured: ...", "Read more: ...",
  kind ``prefix`` in the data file);
* for a PERSON only (``type_="PERSON"``): a leading word that is never the first
  word of a person's name: a capitalised gerund (-ing, six letters or more:
  "Hosting Cook", split from "Tim Cook" by a dateline artefact) unless it is a
  given name listed as ``given`` in the data file ("Irving", "Sterling") or
  spells pinyin syllables ("Xiaoming", "Jinping": romanised Chinese given names
  end in -ing), or a listed ``lead`` word ("Meanwhile", "Breaking"). Not for
  organisations and places: "Beijing Capital Airport", "Reading Festival".

A prefix is only taken off when a capitalised name remains; otherwise the name
is returned as it was.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from newsgraph.vocab import AGENCY_MARK, MONTHS, WEEKDAYS, agencies, alternation, credit_labels

__all__ = ["credit_spans", "in_spans", "strip_name_prefix"]

CREDITS_FILE = Path(__file__).parent / "data" / "entity_credits.tsv"
MAX_CREDIT_CHARS = 200
MAX_CREDIT_WORDS = 12
BYLINE_CONNECTORS = frozenset({
    "and", "&", "in", "for", "of", "at", "the", "with", "from", "staff", "correspondent", "correspondents",
    "reporter", "reporters", "writer", "writers", "editor", "editors", "senior", "chief", "political",
    "foreign", "news", "desk", "wire", "agency", "and/or", "|", "-", "–", "—", ",", "via",
})
NOT_A_NAME = frozenset({
    *WEEKDAYS, *MONTHS,
    "then", "now", "contrast", "comparison", "law", "far", "early", "late", "the", "a", "an", "this", "that",
    "then,", "doing", "using", "taking", "making",
})
_WORD = re.compile(r"[^\s,|]+|[,|]")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, list[str]]:
    """kind -> values of ``data/entity_credits.tsv``."""
    out: dict[str, list[str]] = {}
    for line in CREDITS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, value = line.partition("\t")
        value = value.strip()
        if value:
            out.setdefault(kind.strip(), []).append(value)
    return out


def _labels() -> list[str]:
    """Credit labels (``newsgraph.vocab``): picture, credit and media words, not "source"."""
    return credit_labels("picture", "credit", "media")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    label = alternation(_labels(), space=r"[ \t]+")
    agency = alternation(agencies(AGENCY_MARK, upper=True), space=" ")
    name = r"[A-ZÀ-Þ][\w.'’\-]*(?:[ \t]+[A-ZÀ-Þ][\w.'’\-]*){0,4}"
    opener = rf"{label}(?:[ \t]+(?:credits?|by))?[ \t]*(?::|©|\bby\b)"
    return (
        # 0: label credit at a line start
        re.compile(rf"(?im)^[ \t]*[(\[]?[ \t]*{opener}[^\n]*"),
        # 1: label credit in brackets inside a line
        re.compile(rf"(?i)[(\[][ \t]*{opener}[^)\]\n]{{0,{MAX_CREDIT_CHARS}}}[)\]]?"),
        # 2: "Name / Agency", "AGENCY/Name", "Name/AFP via Getty Images" (checked on short lines / asides)
        re.compile(rf"(?:{name}[ \t]*/[ \t]*{agency}\b|\b{agency}[ \t]*/[ \t]*{name}|\bvia[ \t]+{agency}\b)"),
        # 3: copyright sign to the end of the line
        # (not inside a word, combining marks included: "protegÃ©s" is mojibake, not a credit)
        re.compile(r"(?<![\w\u0300-\u036f])©[^\n]*"),
        # 4: reporting / editing lines and asides
        re.compile(r"(?im)^[ \t]*[(\[]?[ \t]*(?:additional |further )?(?:reporting|writing|editing|compiled|"
                   r"produced|translated|research|text|words)(?:[ \t]+(?:and|&)[ \t]+\w+)?[ \t]+by\b[^\n]*"),
        re.compile(r"(?i)[(\[][ \t]*(?:additional |further )?(?:reporting|writing|editing)[ \t]+by\b[^)\]\n]*[)\]]?"),
        # 6: a bracketed aside (for the slash rule)
        re.compile(r"[(\[][^()\[\]\n]{1,160}[)\]]"),
        # 7: a byline line
        re.compile(r"(?m)^[ \t]*(?:(?:written|words|text|story)[ \t]+)?(?:by|By|BY)[ \t]+(\S[^\n]*?)[ \t]*$"),
        # 8: a line that is only "By First Last"
        re.compile(r"(?m)^[ \t]*(?:by|By|BY)[ \t]+[A-ZÀ-Þ][\w.'’\-]+(?:[ \t]+[A-ZÀ-Þ][\w.'’\-]+){1,3}[ \t]*$"),
    )


def _cap(text: str, s: int, e: int) -> int:
    """End of a credit starting at ``s``: its line end, or its first sentence end if that is too far."""
    if e - s <= MAX_CREDIT_CHARS:
        return e
    m = re.compile(r"[.!?](?=\s)").search(text, s, s + MAX_CREDIT_CHARS)
    return m.end() if m else s + MAX_CREDIT_CHARS


def _byline_words_ok(rest: str) -> bool:
    ws = _WORD.findall(rest)
    if not ws or len(ws) > MAX_CREDIT_WORDS:
        return False
    first = ws[0].strip(".,").lower()
    if not ws[0][:1].isupper() or first in NOT_A_NAME:
        return False
    if rest.rstrip().endswith(("!", "?", ":", ";")):
        return False
    if rest.rstrip().endswith(".") and len(ws) > 6:
        return False
    named = 0
    for w in ws:
        lw = w.lower()
        if lw in BYLINE_CONNECTORS:
            continue
        if not w[:1].isupper():
            return False
        named += 1
    return named >= 1


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` ranges of credit / byline / reporting text in ``text``.

    Two stages of one analysis ask for the same text (the attribution linker, then the entity
    and event reader): the last few answers are kept, so the regular expressions run once."""
    return list(_credit_spans(text))


@lru_cache(maxsize=4)
def _credit_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_find_credit_spans(text))


def _find_credit_spans(text: str) -> list[tuple[int, int]]:
    if not text:
        return []
    (label_line, label_aside, slash, copyright_, reporting, reporting_aside, aside, byline, by_only) = _patterns()
    found: list[tuple[int, int]] = []
    for rx in (label_line, label_aside, copyright_, reporting, reporting_aside):
        for m in rx.finditer(text):
            s = m.start()
            while s < m.end() and text[s] in " \t":
                s += 1
            found.append((s, _cap(text, s, m.end())))
    if "/" in text or " via " in text:
        for m in slash.finditer(text):
            ls = text.rfind("\n", 0, m.start()) + 1
            le = text.find("\n", m.end())
            le = len(text) if le < 0 else le
            line = text[ls:le]
            for a in aside.finditer(text, max(ls, m.start() - 160), min(le, m.end() + 160)):
                if a.start() <= m.start() and m.end() <= a.end():
                    found.append((a.start(), a.end()))
                    break
            else:
                if len(line.split()) <= MAX_CREDIT_WORDS:
                    s = ls + (len(line) - len(line.lstrip()))
                    found.append((s, le - (len(line) - len(line.rstrip()))))
    # bylines: the first three non-blank lines, then "By First Last" lines anywhere
    pos, seen = 0, 0
    while seen < 3 and pos < len(text):
        le = text.find("\n", pos)
        le = len(text) if le < 0 else le
        line = text[pos:le]
        if line.strip():
            seen += 1
            m = byline.match(text, pos, le)
            if m and _byline_words_ok(m.group(1)):
                found.append((pos + len(line) - len(line.lstrip()), pos + len(line.rstrip())))
        pos = le + 1
    for m in by_only.finditer(text):
        rest = m.group(0).strip()[2:].strip()
        if _byline_words_ok(rest):
            found.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end()))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


@lru_cache(maxsize=1)
def _name_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str], frozenset[str]]:
    vocab = _vocabulary()
    agency = alternation(agencies(AGENCY_MARK, upper=True), space=" ")
    labels = sorted(_labels(), key=len, reverse=True)
    label = "(?:" + "|".join(re.escape(x[:1].upper() + x[1:]) + "|" + re.escape(x.upper()) for x in labels) + ")"
    caps = r"[A-ZÀ-Þ][A-ZÀ-Þ.'\-]+"
    cap = r"[A-ZÀ-Þ][\w.'\-]*"
    dateline = re.compile(
        rf"^[ \t]*(?:{caps}(?:[ \t]+{caps}){{0,3}}(?:,[ \t]*{cap}(?:[ \t]+{cap}){{0,2}})?"
        rf"(?:,?[ \t]+[A-Z][a-z]{{2,8}}\.?[ \t]+\d{{1,2}})?[ \t]*(?:\([ \t]*{agency}[ \t]*\))?[ \t]*[—–-]+"
        rf"|\([ \t]*{agency}[ \t]*\)[ \t]*[—–-]*)[ \t]*")
    prefixes = sorted(vocab.get("prefix", []), key=len, reverse=True)
    prefix = "|".join(re.escape(x) + "|" + re.escape(x.upper()) for x in prefixes) or "(?!)"
    credit = re.compile(rf"^[ \t]*(?:{label}(?:[ \t]+(?:[Cc]redits?|CREDITS?|[Bb]y|BY))?[ \t]*(?::|©)"
                        rf"|(?:{prefix})[ \t]*:|By|BY)[ \t]+")
    given = frozenset(w.casefold() for w in vocab.get("given", []))
    lead = frozenset(w.casefold() for w in vocab.get("lead", []))
    return dateline, credit, given, lead


_NAME_START = re.compile(r"[A-ZÀ-Þ]")
_PINYIN = re.compile(r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
                     r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
                     r"|ua|uo|ui|ue|er|a|o|e|i|u|v))+")


@lru_cache(maxsize=1 << 14)
def strip_name_prefix(name: str, type_: str = "") -> str:
    """``name`` without a dateline, credit label or non-name first word (see the module docstring).

    >>> strip_name_prefix("WASHINGTON (AP) — Donald Trump")
    'Donald Trump'
    >>> strip_name_prefix("Hosting Cook", "PERSON")
    'Cook'
    """
    dateline, credit, given, lead = _name_patterns()
    out = name
    for _ in range(4):
        before = out
        for rx in (dateline, credit):
            m = rx.match(out)
            # a hyphen inside one word is part of the name ("VSMPO-Avisma"), not a dateline dash
            if m and m.end() < len(out) and _NAME_START.match(out, m.end()) \
                    and any(ch in m.group(0) for ch in " \t(:"):
                out = out[m.end():]
        first, _, rest = out.partition(" ")
        rest = rest.lstrip()
        w = first.casefold()
        if type_ == "PERSON" and rest and _NAME_START.match(rest) and first[:1].isupper() and \
                first[1:2].islower() and (w in lead or (len(w) >= 6 and w.endswith("ing") and w.isalpha()
                                                        and w not in given and not _PINYIN.fullmatch(w))):
            out = rest
        if out == before:
            break
    return out


def in_spans(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``spans``."""
    import bisect

    i = bisect.bisect_right(spans, (start, 1 << 62)) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end
