"""Quotation finder for the attribution component: character-level, parse-free.

``find_quotes(text)`` returns every quotation in ``text`` as a :class:`Quote`
(outer character offsets *including* the quotation marks, and its fragments
when it runs over a paragraph break). Rules:

* Double marks: curly ``“ … ”``, low ``„ … “/”``, guillemets ``« … »`` and
  straight ``" … "``. A straight mark opens only at a word boundary (after
  start of paragraph, a space or opening punctuation) and closes the open quote.
* Single curly marks ``‘ … ’`` are quotes only when ``‘`` opens at a word
  boundary and a matching ``’`` follows that is *not* between two letters
  (``Russia’s``, ``don’t``) and is not the plural possessive ``Russians’ ``
  when another closing candidate exists later in the paragraph. ``’`` never
  opens a quote, so ``’90s`` cannot start one; ``‘90s``/``‘em``/``‘til`` (a
  mis-typed apostrophe) do not open one either. Straight single marks are
  ignored altogether (too ambiguous).
* Quotes are tracked per paragraph (split on newlines). A paragraph that opens
  a double quote without closing it continues into the next paragraph *if*
  that paragraph starts with an opening mark (the journalistic convention for
  multi-paragraph quotes); the quote then has one fragment per paragraph.
  Otherwise an unclosed quote is dropped.
* A paragraph that starts with a dash (``–``/``—``) followed by a space is a
  dash-quote (European typography): it runs to the end of the paragraph, or to
  a closing `` – `` dash. Its ``dash`` flag is set so the caller can cut it at
  the reporting clause ("– I hope so, said the president.").
Only the outermost quotation is returned (nested quotes are part of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsgraph.vocab import (
    DOUBLE_CLOSE,
    DOUBLE_OPEN,
    DOUBLE_QUOTE_CHARS,
    QUOTE_CHARS,
    SINGLE_CLOSE,
    SINGLE_OPEN,
    STRAIGHT_DOUBLE,
)

__all__ = ["DASHES", "DOUBLE_CLOSE", "DOUBLE_OPEN", "DOUBLE_QUOTE_CHARS", "QUOTE_CHARS", "SINGLE_CLOSE",
           "SINGLE_OPEN", "STRAIGHT", "Quote", "find_quotes"]

# the quotation marks (newsgraph.vocab, one vocabulary for every site); “ closes a „
# quote (German style), handled by the pairing below. QUOTE_CHARS and DOUBLE_QUOTE_CHARS
# are what the finder's later stages test characters and tokens against.
STRAIGHT = STRAIGHT_DOUBLE
DASHES = "–—"
_OPENING_CONTEXT = set(" \t\u00a0([{—–-/:;,") | {"\n"}
_APOSTROPHE_WORDS = re.compile(r"(?:\d0s|\d\d\b|em\b|til\b|cause\b|n\b|tis\b)", re.I)


@dataclass(frozen=True)
class Quote:
    start: int
    end: int  # exclusive; includes the closing mark
    fragments: tuple[tuple[int, int], ...] = field(default=())
    double: bool = True
    dash: bool = False

    @property
    def spans(self) -> list[tuple[int, int]]:
        return list(self.fragments) if self.fragments else [(self.start, self.end)]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _single_quotes(text: str, a: int, b: int, taken: list[tuple[int, int]]) -> list[Quote]:
    """‘…’ quotes inside [a, b) that lie outside the double quotes in ``taken``."""
    out: list[Quote] = []
    i = a
    while i < b:
        if text[i] != SINGLE_OPEN or any(s <= i < e for s, e in taken):
            i += 1
            continue
        prev = text[i - 1] if i > a else " "
        if _is_word(prev) or i + 1 >= b or text[i + 1].isspace() \
                or _APOSTROPHE_WORDS.match(text, i + 1):
            i += 1
            continue
        closers = []
        for j in range(i + 2, b):
            if text[j] == SINGLE_OPEN:
                break
            if text[j] != SINGLE_CLOSE:
                continue
            nxt = text[j + 1] if j + 1 < b else " "
            if _is_word(nxt) or text[j - 1].isspace():
                continue  # apostrophe inside a word (Russia’s, don’t) or ’90s
            closers.append(j)
        if not closers:
            i += 1
            continue
        # "Russians’ plans’": skip a plural-possessive candidate when a later one exists
        j = closers[0]
        for k, c in enumerate(closers):
            if text[c - 1] in "sS" and k + 1 < len(closers) and c + 1 < b and text[c + 1] == " " \
                    and _is_word(text[c + 2] if c + 2 < b else " "):
                continue
            j = c
            break
        out.append(Quote(i, j + 1, double=False))
        i = j + 1
    return out


def find_quotes(text: str) -> list[Quote]:
    """All outermost quotations in ``text``, in textual order."""
    quotes: list[Quote] = []
    pending: list[tuple[int, int]] | None = None  # fragments of a quote still open at a paragraph end
    paras = _paragraphs(text)
    for pi, (a, b) in enumerate(paras):
        line = text[a:b]
        lead = len(line) - len(line.lstrip())
        first = a + lead
        doubles: list[tuple[int, int]] = []
        open_at: int | None = None
        i = first
        if pending is not None:
            if first < b and (text[first] in DOUBLE_OPEN or text[first] == STRAIGHT):
                open_at = first  # the quote goes on; this paragraph's fragment starts here
                i = first + 1
            else:
                pending = None
        nested = 0
        while i < b:
            ch = text[i]
            width = 1
            if ch == "'" and i + 1 < b and text[i + 1] == "'":
                ch, width = STRAIGHT, 2  # '' as a double quotation mark (NYT style)
            elif ch == "`" and i + 1 < b and text[i + 1] == "`":
                ch, width = "“", 2
            elif ch == "'":
                i += 1
                continue
            prev = text[i - 1] if i > a else " "
            nxt = text[i + width] if i + width < b else " "
            straight_opens = ch == STRAIGHT and (prev in _OPENING_CONTEXT or i == a) \
                and not nxt.isspace()
            if open_at is None:
                if ch in DOUBLE_OPEN or straight_opens:
                    open_at = i
            else:
                opener = ch in "“«" and not (ch == "“" and text[open_at] == "„") or straight_opens
                closer = ch in "”»" or (ch == STRAIGHT and not straight_opens) \
                    or (ch == "“" and text[open_at] == "„")
                if opener and not closer:
                    nested += 1
                elif closer:
                    if nested:
                        nested -= 1
                    else:
                        frags = (pending or []) + [(open_at, i + width)]
                        doubles.append((open_at, i + width))
                        quotes.append(Quote(frags[0][0], i + width,
                                            tuple(frags) if len(frags) > 1 else ()))
                        pending = None
                        open_at = None
            i += width
        if open_at is not None:
            end = b
            while end > open_at and text[end - 1].isspace():
                end -= 1
            pending = (pending or []) + [(open_at, end)]
            doubles.append((open_at, end))
            if pi + 1 == len(paras):
                pending = None
        else:
            pending = None
        # single quotes outside the double ones
        quotes.extend(_single_quotes(text, a, b, doubles))
        # dash-quote: a paragraph that starts with "– " or "— "
        if pending is None and first + 1 < b and text[first] in DASHES and text[first + 1] == " " \
                and not any(s <= first < e for s, e in doubles):
            m = re.compile(r"\s[–—](?:\s|$)").search(text, first + 2, b)
            end = m.start() + 2 if m else b
            while end > first and text[end - 1].isspace():
                end -= 1
            quotes.append(Quote(first, end, double=False, dash=True))
    quotes.sort(key=lambda q: q.start)
    # keep outermost only
    out: list[Quote] = []
    for q in quotes:
        if out and q.start < out[-1].end:
            continue
        out.append(q)
    return out
