"""Span helpers shared by the attribution stages (``attributions.py``).

No stage of its own: small pure functions that every stage uses to turn token
spans into character spans, trim outer punctuation, grow a content over the
quotations it touches, merge fragments and tell direct from indirect speech.
They read a ``Doc``, ``doc.text`` and the ``Quote`` list and write nothing.
Token spans are ``(start, end)`` token offsets, character spans ``(start, end)``
offsets into ``doc.text``; ``end`` is exclusive in both.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.analyze.attr_quotes import QUOTE_CHARS, Quote

#: dependency labels of a clause's subject (the source of a verb cue)
SUBJ_DEPS = ("nsubj", "csubj")
_TRIM_LEFT = set(" \t\n\u00a0,;:–—-")
_TRIM_RIGHT = set(" \t\n\u00a0,;:–—-.")  # never "?" or "!": they belong to the content
_KIND_STRIP = " \t\n\u00a0,.;:!?"


def chars(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Character span of the token span [s, e)."""
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)


def subtree_span(tok: Token) -> tuple[int, int]:
    """Token span of ``tok``'s whole subtree."""
    return tok.left_edge.i, tok.right_edge.i + 1


def trim_tokens(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Drop punctuation and space tokens at both ends (quotation marks stay)."""
    while s < e and (doc[s].is_punct or doc[s].is_space) and doc[s].text not in QUOTE_CHARS:
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space) and doc[e - 1].text not in QUOTE_CHARS:
        e -= 1
    return s, e


def trim_chars(text: str, s: int, e: int, quotes: list[Quote]) -> tuple[int, int]:
    """Strip spaces and outer punctuation, but keep quotation marks and what they enclose."""
    dash_starts = {q.start for q in quotes if q.dash}
    while s < e and text[s] in _TRIM_LEFT and s not in dash_starts:
        s += 1
    while e > s and text[e - 1] in _TRIM_RIGHT:
        if text[e - 1] == "." and e - 2 >= s and text[e - 2].isupper() and (e - 3 < s or text[e - 3] == "."):
            break  # "U.S." keeps its period
        e -= 1
    return s, e


def quotes_at(quotes: list[Quote], s: int, e: int) -> list[Quote]:
    """The quotations overlapping the character span [s, e)."""
    return [q for q in quotes if q.start < e and s < q.end]


def grow_to_quotes(text: str, s: int, e: int, quotes: list[Quote], cue_at: int = -1) -> tuple[int, int]:
    """Extend [s, e) to cover every quotation it touches (marks included), except
    a quotation holding the cue itself (then the content is quoted speech's own)."""
    changed = True
    while changed:
        changed = False
        for q in quotes_at(quotes, s, e):
            if q.start <= cue_at < q.end:
                continue
            if q.start < s or q.end > e:
                s, e = min(s, q.start), max(e, q.end)
                changed = True
    # a quotation mark right before/after the span (tokeniser split) belongs to it
    if s > 0 and text[s - 1] in QUOTE_CHARS and any(q.start == s - 1 for q in quotes):
        s -= 1
    return s, e


def speech_kind(text: str, frags: list[tuple[int, int]], quotes: list[Quote]) -> str:
    """direct: every fragment is one whole quotation (outer punctuation aside);
    mixed: a quotation mark of some quotation lies inside; else indirect."""
    direct = bool(frags)
    marks = False
    for s, e in frags:
        while s < e and text[s] in _KIND_STRIP:
            s += 1
        while e > s and text[e - 1] in _KIND_STRIP:
            e -= 1
        if any(s <= q.start < e or not q.dash and s <= q.end - 1 < e for q in quotes):
            marks = True
        if not any(qs >= s - 1 and qs <= s + 1 and qe >= e - 1 and qe <= e + 1
                   for q in quotes for qs, qe in q.spans):
            direct = False
    if direct:
        return "direct"
    return "mixed" if marks else "indirect"


def merge(frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted fragments, overlapping or touching ones joined."""
    frags = sorted(frags)
    out: list[tuple[int, int]] = []
    for s, e in frags:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def split_at_quote_gaps(frags: list[tuple[int, int]], quotes: list[Quote]) -> list[tuple[int, int]]:
    """A quotation running over paragraphs leaves its paragraph breaks out of the content."""
    out = []
    for s, e in frags:
        cuts = [(a, b) for q in quotes if q.fragments and s <= q.start and q.end <= e
                for (_, a), (b, _) in zip(q.fragments, q.fragments[1:], strict=False)]
        for a, b in sorted(cuts):
            out.append((s, a))
            s = b
        out.append((s, e))
    return [(a, b) for a, b in out if b > a]


def end_char(doc: Doc, span: Any) -> int:
    """End of a sentence's last non-space token (a paragraph break hangs on the sentence
    before it)."""
    last = span.end - 1
    while last > span.start and doc[last].is_space:
        last -= 1
    return doc[last].idx + len(doc[last].text)


def paragraph(text: str, at: int, end: int | None = None) -> tuple[int, int]:
    """Bounds of the paragraph (newline to newline) holding ``at`` (or running from
    ``at`` to ``end``, when given): start after the previous newline, end at the next."""
    pa = text.rfind("\n", 0, at) + 1
    pb = text.find("\n", at if end is None else end)
    return pa, len(text) if pb < 0 else pb
