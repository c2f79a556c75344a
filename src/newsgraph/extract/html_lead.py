"""The standfirst trafilatura left out: the page's own summary paragraph, put back at the top of the body.

Design sketch
-------------
News and press pages set their standfirst (lead, teaser, abstract, "dek")
apart from the article text: in the article header, under the headline, in an
element of its own. trafilatura's main extractor often takes only the article
container below it, so the body starts with the second paragraph. The page
says which paragraph is its summary in a site-independent way: its
``<meta name="description">`` (or ``og:``/``twitter:description``) repeats it,
whole or cut short.

``find_lead`` looks for the description's opening words in the page's text
nodes (one XPath ``contains`` in C, no Python walk), climbs from each hit to
the nearest block element and keeps that block's text when

* it opens with the description (or the description opens with it: a lead
  longer or shorter than the summary), at least ``MIN_LEAD_TOKENS`` words and
  at most ``MAX_LEAD_TOKENS``;
* no ancestor is a link, navigation, footer, aside, form or non-text element
  (a teaser of *another* page quoting its own summary is a link);
* it stands before the body's first line in the page (a summary repeated in a
  footer or a "share" widget comes after it);
* the body (or what the post-pass removed from it) does not hold it already.

Nothing is added when the description is generic (shorter than
``MIN_LEAD_TOKENS`` words) or found in no visible block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

from newsgraph.extract.html_rules import norm

__all__ = ["find_lead"]

#: A description shorter than this (word tokens) is too generic to find a paragraph by.
MIN_LEAD_TOKENS = 8
#: A block longer than this is not a standfirst (a whole article container).
MAX_LEAD_TOKENS = 150
#: Elements a standfirst is a block of.
_BLOCKS = frozenset({"p", "div", "section", "header", "h2", "h3", "h4", "li", "blockquote", "summary", "td",
                     "dd", "article", "main", "span"})
#: Ancestors that make a text something else than the article's standfirst.
_NOT_LEAD = frozenset({"a", "nav", "footer", "aside", "form", "button", "script", "style", "noscript", "template",
                       "textarea", "select", "option", "label", "title", "head", "figcaption", "iframe"})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
_WS = re.compile(r"\s+")
_FIND = etree.XPath("//text()[contains(., $a) and contains(., $b)]")
_PROBE_WORD = re.compile(r"[^\W\d_]{4,}")
#: The probe words are the longest among this many opening words.
PROBE_WORDS = 10


def _find(tree: Any, text: str) -> list[Any]:
    """Text nodes holding the two longest of ``text``'s opening words (whitespace- and entity-proof:
    the candidates are checked word by word afterwards)."""
    words = sorted(dict.fromkeys(_PROBE_WORD.findall(text)[:PROBE_WORDS]), key=len, reverse=True)
    if not words:
        return []
    try:
        return list(_FIND(tree, a=words[0], b=words[1] if len(words) > 1 else words[0]))
    except (etree.LxmlError, ValueError):
        return []


def _block_of(node: Any) -> Any:
    """The nearest block element around a text node, or None when it sits in a link, a footer ..."""
    el = node.getparent()
    if el is None:
        return None
    if node.is_tail:
        el = el.getparent()
    block = None
    while el is not None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _NOT_LEAD:
            return None
        if block is None and tag in _BLOCKS:
            block = el
        el = el.getparent()
    return block


def _matches(block_norm: str, desc_norm: str) -> bool:
    return block_norm.startswith(desc_norm) or desc_norm.startswith(block_norm)


def _present(text_norm: str, lines_norm: Iterable[str]) -> bool:
    """The body holds the paragraph already (its opening words in one line, or a line in it)."""
    head = " ".join(text_norm.split()[:MIN_LEAD_TOKENS])
    return any(head in line or (len(line.split()) >= MIN_LEAD_TOKENS and line in text_norm) for line in lines_norm)


def _visible(node: Any) -> Any:
    """The element a text node belongs to, or None when it sits in a script, the head ..."""
    el = node.getparent()
    if el is not None and node.is_tail:
        el = el.getparent()
    owner = el
    while el is not None:
        if el.tag in ("script", "style", "noscript", "template", "head", "title", "textarea"):
            return None
        el = el.getparent()
    return owner


def find_lead(tree: Any, descriptions: Sequence[str], lines: Sequence[str], kept: Sequence[str],
              lines_norm: Sequence[str] | None = None) -> str | None:
    """The page's standfirst when trafilatura's body ``lines`` (every line it rendered, kept or not)
    miss it, else None; ``kept`` are the lines the post-pass kept (where the body starts);
    ``lines_norm``: ``norm`` of each of ``lines`` when the caller has them (else computed here, only
    when a description is long enough to look for)."""
    for description in dict.fromkeys(d for d in descriptions if d):
        description = _ELLIPSIS.sub("", html.unescape(description))
        desc_norm = norm(description)
        if len(desc_norm.split()) < MIN_LEAD_TOKENS:
            continue
        if lines_norm is None:
            lines_norm = [norm(line) for line in lines]
        if _present(desc_norm, lines_norm):
            continue
        for node in _find(tree, description):
            block = _block_of(node)
            if block is None:
                continue
            text = _WS.sub(" ", block.text_content()).strip()
            text_norm = norm(text)
            n = len(text_norm.split())
            if n < MIN_LEAD_TOKENS or n > MAX_LEAD_TOKENS or not _matches(text_norm, desc_norm):
                continue
            if _present(text_norm, lines_norm):
                return None
            if not _before_body(tree, block, kept):
                continue
            return text
    return None


def _before_body(tree: Any, block: Any, lines: Sequence[str]) -> bool:
    """The block comes before the element holding the body's first line (or that line is not found)."""
    first = next((line for line in lines if len(norm(line).split()) >= MIN_LEAD_TOKENS), None)
    if first is None:
        return True
    first_norm = norm(first)
    target = next((el for el in (_visible(h) for h in _find(tree, first)) if el is not None
                   and first_norm[:60] in norm(el.text_content())), None)
    if target is None:
        return True
    for el in tree.iter():
        if el is block:
            return True
        if el is target:
            return False
    return True
