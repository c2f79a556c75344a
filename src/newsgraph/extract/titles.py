"""The headline of a page, not its browser-tab title.

A page states its headline several times: ``og:title``, ``twitter:title``,
the JSON-LD ``headline``, ``<title>`` (often with the site and a section
around it) and the visible ``<h1>`` (with the page's own typography: curly
quotes, dashes). ``headline`` picks:

1. the first ``<h1>`` (then ``<h2>``) that the markup titles *confirm*: equal
   to one of them, or one of its parts when the title is split at a spaced
   separator (``Headline | Site``), compared after folding quotes and dashes;
   the visible form is kept;
2. else the markup title (JSON-LD headline, ``og:title``, ``twitter:title``,
   ``<title>``, in that order) with site affixes cut (``strip_site``);
3. else the first ``<h1>``.

``strip_site`` cuts a leading or trailing part only when it names the
outlet (``outlets.same_outlet``) or is a trailing run of such parts
("Headline | DW | 23.05.2011" keeps "Headline"): a dash inside a quotation,
after a colon ("Støre: – Vi ...") or inside a name never splits a title,
because the separator must have spaces on both sides and the cut part must
be the outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

from newsgraph.extract.outlets import fold, same_outlet

#: Spaced separators between a headline and the site / section names.
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|›|·|•|~|/|«)\s+")
_QUOTES = str.maketrans({c: '"' for c in "„“”«»‚‘’‹›`´'"} | {c: "-" for c in "–—‐‑‒"})
_WS = re.compile(r"\s+")
_DANGLING = re.compile(r"\s+(?:\||-|–|—|::|»|›|·)\s*$")
_DATE_PART = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
#: Longest heading taken as a headline (characters).
MAX_HEADLINE_CHARS = 300


def _key(text: str) -> str:
    return _WS.sub(" ", text.translate(_QUOTES)).strip().casefold()


def _pieces(title: str) -> list[str]:
    """``"A | B - C"`` -> ``["A", " | ", "B", " - ", "C"]``: part k at 2k, separator k at 2k+1."""
    return re.split(f"({_SEPARATOR.pattern})", title)


def _spans(title: str) -> list[str]:
    """Every run of consecutive parts of a title split at its separators."""
    pieces = _pieces(title)
    n = len(pieces) // 2 + 1
    return ["".join(pieces[2 * i: 2 * j - 1]) for i in range(n) for j in range(i + 1, n + 1) if (i, j) != (0, n)]


def _confirmed(heading: str, titles: list[str]) -> bool:
    key = _key(heading)
    if not key or len(heading) > MAX_HEADLINE_CHARS:
        return False
    return any(_key(title) == key or any(_key(s) == key for s in _spans(title)) for title in titles)


def _site_part(part: str, outlet: str | None, host: str | None) -> bool:
    return same_outlet(part, outlet, host) or bool(_DATE_PART.match(part.strip()))


def strip_site(title: str, outlet: str | None, host: str | None) -> str:
    """``title`` without the parts that name the outlet: from the first such part after the
    headline to the end ("Headline - Site - Tagline"), or a leading one ("Site | Headline").
    With no part naming the outlet, a last part after a pipe is the site ("Headline | Site"):
    pipes, unlike dashes, do not occur inside headlines."""
    title = _DANGLING.sub("", title)
    pieces = _pieces(title)
    parts = pieces[0::2]
    if len(parts) < 2:
        return title.strip()
    lo, hi = 0, len(parts)
    cut = next((k for k in range(1, len(parts)) if _site_part(parts[k], outlet, host)), None)
    if cut is not None:
        hi = cut
    elif _site_part(parts[0], outlet, host):
        lo = 1
    elif pieces[-2].strip() == "|":
        hi = len(parts) - 1
    return "".join(pieces[2 * lo: 2 * hi - 1]).strip()


def headline(markup_titles: Iterable[str | None], h1s: Iterable[str], h2s: Iterable[str],
             outlet: str | None, host: str | None) -> str | None:
    """The page's headline (see the module docstring)."""
    titles = [" ".join(unescape(t).split()) for t in markup_titles if t and t.strip()]
    titles = [t for t in titles if not same_outlet(t, outlet, host)] or titles
    h1s = [h for h in h1s if not same_outlet(h, outlet, host)]
    h2s = [h for h in h2s if not same_outlet(h, outlet, host)]
    for headings in (h1s, h2s):
        for heading in headings:
            if _confirmed(heading, titles):
                return heading
    if titles:
        return strip_site(titles[0], outlet, host) or titles[0]
    return next(iter(h1s), None)


def same_headline(a: str | None, b: str | None) -> bool:
    """Equal after folding quotes, dashes, case and spacing."""
    return bool(a and b) and fold(a) == fold(b)
