"""Page metadata for ``extract_html``: headline, people and credits, outlet, dates with evidence.

One read of the parsed page collects what it says about itself, then each
field is decided by the module named after it:

1. **markup facts**: ``<meta>`` tags through trafilatura's ``examine_meta``
   (title, description, section, canonical URL, site name, meta author),
   and from the page's ``PageView`` (one walk over the tree, shared with
   ``page_kinds``, ``html`` and ``dates``): the JSON-LD objects (``headline``,
   ``author`` entries *with their schema type*, ``publisher``),
   ``og:site_name``, ``application-name``, ``<title>``, the first
   ``<h1>``/``<h2>`` texts; and the page's byline elements (``_BYLINE_XPATH``:
   trafilatura's whole-page author search, run on the tree in place instead of
   on a copy: 8.8 ms a page -> under 1 ms);
2. **outlet** (``outlets.pick_outlet``): the domain table first, then
   ``og:site_name``, the JSON-LD publisher, ``application-name``, the host;
3. **headline** (``titles.headline``): the ``<h1>`` the markup titles confirm,
   else the markup title without its site affixes;
4. **people and credits** (``bylines``): JSON-LD authors (an ``Organization``
   is a credit), then ``<meta>`` authors, then the byline elements; the first
   source that names a person gives ``authors``, every source adds credits;
   wires and organisations never become authors;
5. **dates** (``dates.find_dates``): htmldate's cascade with the stage that
   answered, the extensive search when the fast one finds nothing or only a
   text-level date; ``modified`` apart.

Failures in any step leave that field empty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from newsgraph.extract.bylines import Byline, parse_byline, parse_names
from newsgraph.extract.dates import DateEvidence, find_dates
from newsgraph.extract.outlets import host_of, pick_outlet
from newsgraph.extract.page_view import PageView, element_text, view_of
from newsgraph.extract.titles import headline

LOGGER = logging.getLogger(__name__)

#: Byline elements (trafilatura's AUTHOR_XPATHS, condensed): a cheap XPath on the attribute axis
#: (``//@class[contains(., ...)]/..``: 0.8 ms a page, against 2.3 ms for the same test written as
#: ``//*[contains(@class, ...) or ...]`` and 4 ms with EXSLT regular expressions), then
#: ``_BYLINE_CLASS`` on the class or id; inside comments, sidebars and related-article lists they
#: are someone else's (``_OUTSIDE``).
_BYLINE_XPATH = etree.XPath(
    '//@class[contains(., "uthor") or contains(., "yline") or contains(., "journalist") or contains(., "-by")'
    ' or .="byl"]/..'
    '|//@id[contains(., "uthor") or contains(., "yline")]/..'
    '|//@rel[.="author"]/..|//@itemprop[.="author"]/..'
    '|//@data-component[contains(., "Byline")]/..|//@data-testid[contains(., "Author")]/..'
)
_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|author-?name|authorName|AuthorName|byline|byline__name|byl|article-author|post-author"
    r"|entry-author|journalist-name|submitted-by|posted-by)(?:$|[\s_-])|^(?:author|byline)", re.I)
_OUTSIDE = re.compile(r"(?:^|[\s_-])(?:comments?|sidebar|related|recommend\w*|footer|widget|newsletter|promo)(?:$|[\s_-])", re.I)
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dc:creator",
                "dcterms.creator", "byl", "citation_author", "og:article:author")
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Posting|Report|NewsArticle|Review|Blog", re.I)
_WS = re.compile(r"\s+")
#: At most this many byline elements are read, and their texts must be shorter than this.
MAX_BYLINE_ELEMENTS = 8
MAX_BYLINE_CHARS = 160


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    authors: tuple[str, ...] = ()
    credits: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    sitename: str | None = None
    dates: DateEvidence = field(default_factory=DateEvidence)
    description: str | None = None
    section: str | None = None

    @property
    def date(self) -> str | None:
        return self.dates.published


@dataclass(slots=True)
class _Facts:
    """What the page's markup says about itself (step 1)."""

    titles: list[str] = field(default_factory=list)  # JSON-LD headline, og:title, twitter:title, <title>
    h1s: list[str] = field(default_factory=list)
    h2s: list[str] = field(default_factory=list)
    site_name: str | None = None
    publisher: str | None = None
    app_name: str | None = None
    ld_authors: list[tuple[str, str | None]] = field(default_factory=list)
    meta_authors: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)


def _type(obj: Any) -> str:
    kind = obj.get("@type") if isinstance(obj, dict) else None
    return " ".join(kind) if isinstance(kind, list) else str(kind or "")


def _names(value: Any) -> list[tuple[str, str | None]]:
    """JSON-LD ``author`` (a string, an object or a list of either) -> ``(name, @type)``."""
    items = value if isinstance(value, list) else [value]
    out: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, str) and item.strip() and not item.lower().startswith("http"):
            out.append((item, None))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append((item["name"], _type(item) or None))
    return out


def _read_ld(view: PageView, facts: _Facts) -> None:
    for obj in view.ld_objects:
        kind = _type(obj)
        if _ARTICLE_TYPES.search(kind):
            if isinstance(obj.get("headline"), str) and not facts.titles:
                facts.titles.append(obj["headline"])
            if not facts.ld_authors:
                facts.ld_authors = _names(obj.get("author"))
            publisher = obj.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and not facts.publisher:
                facts.publisher = publisher["name"]
        elif "Organization" in kind and obj.get("name") and not facts.publisher and isinstance(obj["name"], str):
            facts.publisher = obj["name"]


def _bylines(tree: Any) -> list[str]:
    out: list[str] = []
    for el in _BYLINE_XPATH(tree):
        if len(out) >= MAX_BYLINE_ELEMENTS:
            break
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not (el.get("rel") == "author" or el.get("itemprop") == "author" or el.get("data-component")
                or el.get("data-testid") or _BYLINE_CLASS.search(marks)):
            continue
        if any(_OUTSIDE.search((a.get("class") or "") + " " + (a.get("id") or ""))
               for a in el.iterancestors() if a.tag not in ("body", "html")):
            continue
        text = element_text(el) if el.tag != "meta" else (el.get("content") or "").strip()
        if text and len(text) < MAX_BYLINE_CHARS and text not in out:
            out.append(text)
    return out


def _facts(view: PageView, doc: Any) -> _Facts:
    facts = _Facts()
    _read_ld(view, facts)
    facts.titles.extend(view.meta("og:title", "twitter:title"))
    facts.titles.extend(view.title_texts)
    if doc is not None and doc.title:
        facts.titles.append(doc.title)
    facts.h1s = list(view.h1_texts)
    facts.h2s = list(view.h2_texts)
    facts.site_name = next(iter(view.meta("og:site_name")), None)
    facts.app_name = next(iter(view.meta("application-name")), None)
    facts.meta_authors = [a for a in view.meta(*_AUTHOR_META) if not a.lower().startswith("http")]
    facts.bylines = _bylines(view.tree)
    return facts


def _people(facts: _Facts, outlets: tuple[str, ...]) -> Byline:
    """The first source naming a person gives the authors; every source adds credits."""
    sources = [parse_names(facts.ld_authors, outlets),
               *(parse_byline(a, outlets) for a in facts.meta_authors[:1]),
               *(parse_byline(b, outlets) for b in facts.bylines)]
    people = next((s.authors for s in sources if s.authors), ())
    credits: list[tuple[str, str]] = []
    for s in sources:
        credits.extend(c for c in s.credits if c not in credits)
    return Byline(people, tuple(credits))


def page_meta(tree: Any, url: str | None = None, *, fetched: str | None = None,
              outlets: Mapping[str, str] | None = None, extensive: str = "weak",
              view: PageView | None = None) -> PageMeta:
    """Metadata of a parsed page (an lxml HTML tree from ``load_html``).

    ``fetched`` (``YYYY-MM-DD``) bounds the dates; ``outlets`` extends the domain table;
    ``view``: the page's ``PageView`` when the caller has one."""
    from trafilatura import metadata as tm

    out = PageMeta()
    view = view_of(tree, view)
    try:
        doc = tm.examine_meta(tree)
        out.url = doc.url or tm.extract_url(tree, url)
        out.description = doc.description
        out.section = (doc.categories or [None])[0]
        facts = _facts(view, doc)
        page_url = url or out.url
        out.sitename = pick_outlet(site_name=facts.site_name, publisher=facts.publisher,
                                   app_name=facts.app_name, url=page_url, extra=outlets)
        host = host_of(page_url)
        out.title = headline(facts.titles, facts.h1s, facts.h2s, out.sitename, host)
        names = tuple(n for n in (out.sitename, facts.site_name, facts.publisher) if n)
        people = _people(facts, names)
        out.authors, out.credits = people.authors, people.credits
    except Exception as exc:  # metadata must never cost us the article
        LOGGER.debug("metadata extraction failed: %s", exc)
    try:
        out.dates = find_dates(tree, url or out.url, fetched=fetched, extensive=extensive, view=view)
    except Exception as exc:
        LOGGER.debug("date extraction failed: %s", exc)
    for name in ("title", "sitename", "description", "section"):
        value = getattr(out, name)
        if isinstance(value, str):
            value = _WS.sub(" ", value).strip()
            setattr(out, name, value or None)
    return out
