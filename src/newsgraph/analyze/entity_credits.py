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

Labels and agencies live in ``data/entity_credits.tsv``. A credit span runs to
the end of its line but never past 200 characters (then it stops at the first
sentence end), so a long body paragraph that happens to begin "Photo:" loses
at most its first sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["credit_spans", "in_spans"]

CREDITS_FILE = Path(__file__).parent / "data" / "entity_credits.tsv"
MAX_CREDIT_CHARS = 200
MAX_CREDIT_WORDS = 12
BYLINE_CONNECTORS = frozenset({
    "and", "&", "in", "for", "of", "at", "the", "with", "from", "staff", "correspondent", "correspondents",
    "reporter", "reporters", "writer", "writers", "editor", "editors", "senior", "chief", "political",
    "foreign", "news", "desk", "wire", "agency", "and/or", "|", "-", "–", "—", ",", "via",
})
NOT_A_NAME = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "then", "now", "contrast", "comparison", "law", "far", "early", "late", "the", "a", "an", "this", "that",
    "then,", "doing", "using", "taking", "making",
})
_WORD = re.compile(r"[^\s,|]+|[,|]")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    labels: list[str] = []
    agencies: list[str] = []
    for line in CREDITS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, value = line.partition("\t")
        value = value.strip()
        if kind == "label" and value:
            labels.append(value)
        elif kind == "agency" and value:
            agencies.append(value)
    label = "(?:" + "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True)) + ")"
    forms = {a for a in agencies} | {a.upper() for a in agencies}
    agency = "(?:" + "|".join(re.escape(x) for x in sorted(forms, key=len, reverse=True)) + ")"
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
        re.compile(r"©[^\n]*"),
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
    """Sorted, merged ``(start, end)`` ranges of credit / byline / reporting text in ``text``."""
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


def in_spans(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``spans``."""
    import bisect

    i = bisect.bisect_right(spans, (start, 1 << 62)) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end
