"""One parsed page, read once for every reader: ``page_kinds``, ``html``, ``html_meta``, ``dates``.

Each of those modules used to walk the whole tree for the few elements it needs
(``tree.iter("meta")`` four times, ``//script[...]`` three times, ``<title>``,
``<h1>``, ``<h2>``, ``<a>``, ``<p>``, ``<figcaption>`` ...). A walk costs about as
much as the next one (0.15 ms on a 770-element page), whatever it keeps, so about
twenty of them added up to several milliseconds a page, a sixth of trafilatura's own
extraction. ``PageView`` makes **one** walk (``tree.iter`` with every tag wanted:
the tag test runs in C, only the matching elements become Python objects) and sorts
the elements by tag; what several readers derive from them (the ``<meta>`` pairs,
the JSON-LD texts and objects, the heading texts) is computed on first use and
kept. The elements readers look for by attribute (byline markup for ``html_meta``,
microdata types for ``page_kinds``, ``itemprop=dateModified`` for ``dates``) come
from **one** XPath union on the attribute axis (``marked``): one traversal of
the attributes costs about as much as three (0.93 ms against 1.29 ms on the
extraction-dev pages); each reader then keeps its own with a Python test that
says what its selector says (``is_byline_marked``, tests check the two agree).

The view never changes the tree and assumes nobody else does while it is in use
(trafilatura works on its own copy).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from lxml import etree

__all__ = ["BYLINE_SELECTOR", "ITEMTYPE_SELECTOR", "MODIFIED_SELECTOR", "PageView", "element_text",
           "is_byline_marked", "string_value", "view_of"]

#: The elements some reader needs, found in the one walk.
TAGS = ("body", "meta", "script", "title", "h1", "h2", "figcaption", "a", "p", "abbr", "byline", "author")
#: Only the first few <h1>/<h2> texts are read (headline candidates).
MAX_HEADINGS = 3
LD_JSON = "application/ld+json"

#: Byline markup (trafilatura's AUTHOR_XPATHS, condensed): classes and ids naming an author or a
#: byline (and classes in the Romance and German spelling: autor, autore, auteur), rel/itemprop author, data-component/data-testid of byline components.
#: The class tests are grouped under the letter each pattern holds ("u": uthor, journalist, submitted,
#: autor, auteur; "y": yline, -by, byl): a class with neither costs two ``contains`` instead of seven
#: (the same elements; ``marked`` 1.1 -> 0.86 ms a page on extraction-dev).
BYLINE_SELECTOR = (
    '//@class[contains(., "u") and (contains(., "uthor") or contains(., "journalist") or contains(., "submitted")'
    ' or contains(., "autor") or contains(., "auteur"))'
    ' or contains(., "y") and (contains(., "yline") or contains(., "-by") or .="byl")]/..'
    '|//@id[contains(., "uthor") or contains(., "yline")]/..'
    '|//@rel[.="author"]/..|//@itemprop[.="author"]/..'
    '|//@data-component[contains(., "Byline")]/..|//@data-testid[contains(., "Author")]/..'
)
#: Microdata types (``page_kinds``) and the modified day's markup (``dates``).
ITEMTYPE_SELECTOR = "//@itemtype/.."
MODIFIED_SELECTOR = '//@itemprop[.="dateModified"]/..'
_MARKED = etree.XPath("|".join((BYLINE_SELECTOR, ITEMTYPE_SELECTOR, MODIFIED_SELECTOR)))



def string_value(el: Any) -> str:
    """What ``el.text_content()`` gives (every descendant text, no tail), serialised by libxml2
    without an XPath evaluation: half the cost (0.21 -> 0.12 ms a page over the links of the dev
    pages, the same strings on every element there; tests compare the two). Comments and processing
    instructions (whose text_content is their own text) go the XPath way."""
    if not isinstance(el.tag, str):
        return el.text_content()
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def element_text(el: Any) -> str:
    """An element's text, spaces folded (``""`` for what lxml cannot give a text); ``str.split``
    folds the same whitespace as ``\\s+`` and ``strip``."""
    try:
        return " ".join(string_value(el).split())
    except (ValueError, AttributeError, TypeError):
        return ""


class PageView:
    """The elements of one parsed page by tag, in document order, and what is derived from them."""

    def __init__(self, tree: Any) -> None:
        self.tree = tree
        self._tags: dict[str, list[Any]] = {tag: [] for tag in TAGS}
        try:
            for el in tree.iter(*TAGS):
                self._tags[el.tag].append(el)
        except (ValueError, TypeError, AttributeError):  # not an lxml tree: every list stays empty
            pass

    def elements(self, tag: str) -> list[Any]:
        """Every ``<tag>`` of the page (one of ``TAGS``), in document order."""
        return self._tags[tag]

    def first(self, tag: str) -> Any:
        found = self._tags[tag]
        return found[0] if found else None

    @cached_property
    def marked(self) -> list[Any]:
        """The elements any selector above finds, in document order (one XPath evaluation)."""
        try:
            return list(_MARKED(self.tree))
        except (etree.LxmlError, ValueError, TypeError):
            return []

    @cached_property
    def meta_pairs(self) -> list[tuple[str, str]]:
        """``(property or name, content)`` of every ``<meta>`` with content; key lower case."""
        out = []
        for el in self._tags["meta"]:
            key = (el.get("property") or el.get("name") or "").strip().lower()
            value = (el.get("content") or "").strip()
            if key and value:
                out.append((key, value))
        return out

    def meta(self, *names: str) -> list[str]:
        """The contents of the ``<meta>`` named (``property`` or ``name``) any of ``names``."""
        return [value for key, value in self.meta_pairs if key in names]

    @cached_property
    def ld_texts(self) -> list[str]:
        """The texts of ``<script type="application/ld+json">`` (the type exactly so)."""
        return [s.text or "" for s in self._tags["script"] if s.get("type") == LD_JSON]

    @cached_property
    def ld_objects(self) -> list[dict[str, Any]]:
        """Every JSON object of the page's JSON-LD, ``@graph`` members included, in order."""
        return list(_ld_objects(self.ld_texts))

    @cached_property
    def h1_texts(self) -> list[str]:
        return _first_texts(self._tags["h1"])

    @cached_property
    def h2_texts(self) -> list[str]:
        return _first_texts(self._tags["h2"])

    @cached_property
    def title_texts(self) -> list[str]:
        return [t for t in (element_text(el) for el in self._tags["title"]) if t]


def is_byline_marked(el: Any) -> bool:
    """What ``BYLINE_SELECTOR`` says of one element."""
    cls, ident = el.get("class"), el.get("id")
    return (cls is not None and ("uthor" in cls or "yline" in cls or "journalist" in cls or "-by" in cls
                                 or cls == "byl" or "submitted" in cls or "autor" in cls or "auteur" in cls)) \
        or (ident is not None and ("uthor" in ident or "yline" in ident)) \
        or el.get("rel") == "author" or el.get("itemprop") == "author" \
        or "Byline" in (el.get("data-component") or "") or "Author" in (el.get("data-testid") or "")


def _first_texts(elements: list[Any]) -> list[str]:
    out: list[str] = []
    for el in elements:
        if (text := element_text(el)):
            out.append(text)
            if len(out) >= MAX_HEADINGS:
                break
    return out


def _ld_objects(texts: list[str]) -> Iterator[dict[str, Any]]:
    for text in texts:
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def view_of(tree: Any, view: PageView | None = None) -> PageView:
    """``view`` when it is a view of ``tree``, else a new one."""
    return view if view is not None and view.tree is tree else PageView(tree)
