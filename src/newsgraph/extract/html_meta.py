"""Page metadata for ``extract_html``: headline, people and credits, outlet, dates with evidence.

One read of the parsed page collects what it says about itself, then each
field is decided by the module named after it:

1. **markup facts**: ``<meta>`` tags by trafilatura's ``examine_meta`` rules
   (title, description, URL; ``_markup_meta``), the canonical URL,
   and from the page's ``PageView`` (one walk over the tree, shared with
   ``page_kinds``, ``html`` and ``dates``): the JSON-LD objects (``headline``,
   ``author`` entries *with their schema type*, ``publisher``),
   ``og:site_name``, ``application-name``, ``<title>``, the first
   ``<h1>``/``<h2>`` texts; and the page's byline elements (``page_view.BYLINE_SELECTOR``:
   trafilatura's whole-page author search, run on the tree in place instead of
   on a copy: 8.8 ms a page -> under 1 ms);
2. **outlet** (``outlets.pick_outlet``): the domain table first, then
   ``og:site_name``, the JSON-LD publisher, ``application-name``, the listing
   feed's title (cleaned: ``outlets.feed_outlet``), the host;
3. **headline** (``titles.headline``): the ``<h1>`` the markup titles confirm,
   else the markup title without its site affixes;
4. **people and credits** (``bylines`` parses, ``author_votes`` decides):
   the places a page names its authors are each a source: JSON-LD authors
   (an ``Organization`` is a credit; an ``{"@id": ...}`` reference is the
   ``@graph`` member it names; a ``WebPage``'s author when no article object
   has one), ``<meta>`` authors and the ``twitter:label``/``twitter:data``
   "Written by" pair, the byline elements (``<byline>``/``<author>``, then
   ``BYLINE_SELECTOR``; text nodes joined by spaces, so "<b>Author</b><a>Jane
   Doe</a>" is not "AuthorJane Doe"), the texts of links to author pages
   whose path ends in the name (``/author/jane-doe``), and the visible text
   just after the headline (a cue, or a name with a date:
   ``_headline_byline``), and, when none of these names anyone, a visible
   byline line no markup marks (``_text_bylines``: a short text among the
   400 text nodes after the ``<h1>`` opening with a cue of the multilingual
   table ``data/byline_cues.tsv``, "By", "Von", "Par", "Auteur :", "Автор:",
   outside comments, sidebars, footers, navigation and forms; about 0.5 ms
   on the pages that reach it; one token after the cue is a signature,
   "Posted by gizzmo", unless in capitals, a label or shorter than three
   letters: ``_signature``; on metadata-dev tune 4 right names, 0 wrong,
   check 5 right, 0 wrong). A byline element that is itself a commenter's
   name ("comment-author-link", a "recentcomments" widget) is never read; an
   author box (a byline element too long for a byline) gives the name it
   opens with only to complete a one-word signature ("Stefanus" ->
   "Stefanus Stahl": ``_completed``). A name JSON-LD or ``<meta>`` give that the page
   never shows is not taken (``_shown``). The source naming the person most
   places agree on gives ``authors``; every source adds credits; wires,
   organisations and labels never become authors (``html`` then tries the
   body's byline lines). trafilatura's whole-page author search
   (``metadata.extract_author``) as a last source was measured and left out:
   on the tune half of metadata-dev it added no right name and some wrong
   ones (author F1 0.781 -> 0.769) for 9.5 ms a call on the 60% of pages
   that reach it; so were byline elements in sidebars and page footers as a
   last resort (tune: 1 right name, 4 wrong);
5. **section**: ``article:section``, JSON-LD ``articleSection``, else the
   JSON-LD breadcrumb's last item above the article;
6. **dates** (``dates.find_dates``): htmldate's cascade with the stage that
   answered, the extensive search when the fast one finds nothing or only a
   text-level date; ``modified`` apart.

Failures in any step leave that field empty.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree

from newsgraph.extract.author_votes import AUTHOR_PATH, Source, choose, link_slug_names, same_person
from newsgraph.extract.bylines import Byline, fold, parse_byline, parse_names, person_shaped
from newsgraph.extract.dates import DateEvidence, find_dates
from newsgraph.extract.outlets import host_of, pick_outlet
from newsgraph.extract.page_view import PageView, element_text, is_byline_marked, view_of
from newsgraph.extract.titles import headline

LOGGER = logging.getLogger(__name__)

#: Byline elements: ``page_view.BYLINE_SELECTOR`` (trafilatura's AUTHOR_XPATHS, condensed, on the
#: attribute axis: under 1 ms a page, against 2.3 ms written as ``//*[contains(@class, ...) or ...]``
#: and 4 ms with EXSLT regular expressions; evaluated in the page view's one union), then
#: ``_BYLINE_CLASS`` on the class or id; inside comments, sidebars and related-article lists they
#: are someone else's (``_OUTSIDE``).
_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|author-?name|authorName|AuthorName|byline|byline__name|byl|article-author|post-author"
    r"|autor|autore|autores|autori|auteur|autorname|autor-name"
    r"|entry-author|journalist-name|submitted-by|posted-by|submitted)(?:$|[\s_-])|^(?:author|byline)", re.I)
_OUTSIDE = re.compile(r"(?:^|[\s_-]|recent|latest)(?<!with-)(?<!has-)(?<!no-)(?:comment(?:s|list)?|sidebar|related"
                      r"|recommend\w*|(?<!article-)(?<!entry-)(?<!post-)footer|widget|newsletter|promo)(?:$|[\s_-])", re.I)
# ("with-sidebar" is a layout, an article's or entry's footer holds its byline; "recentcomments" a widget)
#: A byline element that is itself a commenter's name ("comment-author", "comment-author-link").
_COMMENTER = re.compile(r"(?:^|[\s_-])comment(?:s|list)?(?:$|[\s_-])", re.I)
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dc:creator",
                "dcterms.creator", "byl", "citation_author", "og:article:author")
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Posting|Report|NewsArticle|Review|Blog", re.I)
_WS = re.compile(r"\s+")
#: At most this many byline elements are read, and their texts must be shorter than this.
MAX_BYLINE_ELEMENTS = 8
MAX_BYLINE_CHARS = 160
#: Text nodes after the headline searched for a byline.
HEADER_TEXT_NODES = 12
#: A section name longer than this is not one (a sentence, a list of keywords).
MAX_SECTION_CHARS = 60
#: A ``twitter:labelN`` saying its ``twitter:dataN`` is the author, in the common languages.
_AUTHOR_LABEL = re.compile(r"\b(?:written|verfasst|geschrieben|escrito|écrit|scritto|geschreven|author|autor"
                           r"|auteur|autore|автор)", re.I)
#: Text nodes of the body holding a word (``$w``); those inside ``_HIDDEN`` elements are not shown.
_BODY_TEXT_WITH = etree.XPath("//body//text()[contains(., $w) or contains(., $u) or contains(., $t)]")
_HIDDEN = frozenset(("script", "style", "noscript", "template", "head", "title"))
#: A numeric date (and a time after it) in a byline line; such lines have at most this many words.
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
_NUMERIC_DATE_TIME = re.compile(r"\s*[|·•–—-]?\s*\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?:\s*[,|·•–—-]?\s*\d{1,2}[:.]\d{2}"
                                r"(?:\s*(?:uhr|h|am|pm))?)?\s*[|·•–—-]?\s*", re.I)
MAX_DATED_BYLINE_WORDS = 8
#: The text nodes after an element, in page order, at most ``TEXT_BYLINE_NODES`` (``_text_bylines``).
TEXT_BYLINE_NODES = 400
#: A one-word signature after a visible cue has at least this many letters ("Mi" is a weekday).
MIN_SIGNATURE_LETTERS = 3
_AFTER = etree.XPath(f"following::text()[position() <= {TEXT_BYLINE_NODES}]")
_FIRST_TEXTS = etree.XPath(f"descendant::text()[position() <= {TEXT_BYLINE_NODES}]")
_CUE_EDGE = " |·•-–—:"


def _first_word(text: str) -> str:
    """The first word of a text, lower case, without the dashes, bars and colon around it ("—By" -> "by",
    "Autor:" -> "autor"): a set lookup on it skips almost every text node before the cue pattern runs."""
    words = text.lstrip().lstrip(_CUE_EDGE).lstrip()[:30].split(None, 1)
    return words[0].casefold().strip(_CUE_EDGE) if words else ""
#: A visible byline line has at most this many words; the names may be in the next few text nodes.
MAX_TEXT_BYLINE_WORDS = 12
TEXT_BYLINE_LOOKAHEAD = 3
_NOT_SHOWN = frozenset(("script", "style", "noscript", "template", "nav", "select", "option", "button", "label",
                        "textarea"))
_HEADER_CUE = re.compile(r"^[|·•\-–—\s]*(?:by|von|par|por|door|автор)\b\s*:?\s*(.*)$", re.I)


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
    outlet_names: tuple[str, ...] = ()  # the page's names for its outlet (an author is never one)

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
    boxes: list[str] = field(default_factory=list)  # names author boxes open with
    byline_elements: set[Any] = field(default_factory=set)  # the elements ``bylines`` came from


def _type(obj: Any) -> str:
    kind = obj.get("@type") if isinstance(obj, dict) else None
    return " ".join(kind) if isinstance(kind, list) else str(kind or "")


def _names(value: Any, by_id: Mapping[str, dict[str, Any]] | None = None) -> list[tuple[str, str | None]]:
    """JSON-LD ``author`` (a string, an object or a list of either) -> ``(name, @type)``; an object
    that is only a reference (``{"@id": ...}``) is the ``@graph`` member with that id."""
    items = value if isinstance(value, list) else [value]
    out: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, dict) and not isinstance(item.get("name"), str) and by_id:
            item = by_id.get(str(item.get("@id") or ""), item)
        if isinstance(item, str) and item.strip() and not item.lower().startswith("http"):
            out.append((item, None))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append((item["name"], _type(item) or None))
    return out


def _by_id(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str) and isinstance(obj.get("name"), str)}


def _read_ld(view: PageView, facts: _Facts) -> None:
    by_id: dict[str, dict[str, Any]] | None = None
    page_author: Any = None  # a WebPage's author: used when no article object names one
    for obj in view.ld_objects:
        kind = _type(obj)
        if _ARTICLE_TYPES.search(kind):
            if isinstance(obj.get("headline"), str) and not facts.titles:
                facts.titles.append(obj["headline"])
            if not facts.ld_authors and obj.get("author"):
                by_id = _by_id(view.ld_objects) if by_id is None else by_id
                facts.ld_authors = _names(obj.get("author"), by_id)
            publisher = obj.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and not facts.publisher:
                facts.publisher = publisher["name"]
        elif "Organization" in kind and obj.get("name") and not facts.publisher and isinstance(obj["name"], str):
            facts.publisher = obj["name"]
        elif "WebPage" in kind and page_author is None and obj.get("author"):
            page_author = obj["author"]
    if not facts.ld_authors and page_author is not None:
        facts.ld_authors = _names(page_author, _by_id(view.ld_objects) if by_id is None else by_id)


def _spaced_text(el: Any) -> str:
    """An element's text nodes joined by spaces: "<b>Author</b><a>Jane Doe</a>" is "Author Jane Doe",
    not "AuthorJane Doe" (``text_content``)."""
    try:
        return _WS.sub(" ", " ".join(el.xpath(".//text()"))).strip()
    except (ValueError, etree.LxmlError):
        return element_text(el)


def _bylines(view: PageView, seen: set[Any] | None = None, boxes: list[str] | None = None) -> list[str]:
    """Texts of the page's byline elements: ``<byline>``/``<author>`` (NITF-style markup), then the
    elements ``BYLINE_SELECTOR`` finds, in page order, outside comments, sidebars and footers
    (``seen`` collects the elements read; ``boxes`` the names author boxes, elements too long for a
    byline, open with: ``_box_name``)."""
    out: list[str] = []
    marked = [el for el in view.marked if is_byline_marked(el)]
    for el in [*view.elements("byline"), *view.elements("author"), *marked]:
        if len(out) >= MAX_BYLINE_ELEMENTS:
            break
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag not in ("byline", "author") and not (el.get("rel") == "author" or el.get("itemprop") == "author" or el.get("data-component")
                or el.get("data-testid") or _BYLINE_CLASS.search(marks)):
            continue
        if _COMMENTER.search(marks) or any(_OUTSIDE.search((a.get("class") or "") + " " + (a.get("id") or ""))
                                           for a in el.iterancestors() if a.tag not in ("body", "html")):
            continue
        text = _spaced_text(el) if el.tag != "meta" else (el.get("content") or "").strip()
        if text and len(text) < MAX_BYLINE_CHARS and text not in out:
            out.append(text)
            if seen is not None:
                seen.add(el)
        elif text and boxes is not None and (name := _box_name(el)) and name not in boxes:
            boxes.append(name)
    return out


#: Where an author box's opening name ends: "Jane Doe - reporter, ...", "Jane Doe, born in ...".
_BOX_NAME_END = re.compile(r"\s+[-–—|]\s+|,\s+|:\s+")


def _box_name(el: Any) -> str | None:
    """The name an author box (a byline element with a biography) opens with: its first text, or the
    part of it before a spaced dash, comma or colon ("Jane Doe - Reporterin seit 2002 ..."), when that
    has a person's shape."""
    try:
        first = next((t for t in (" ".join(x.split()) for x in el.xpath(".//text()")) if t), "")
    except (ValueError, etree.LxmlError):
        return None
    name = _BOX_NAME_END.split(first, maxsplit=1)[0]
    return name if person_shaped(name) else None


def _markup_meta(view: PageView) -> tuple[str | None, str | None, str | None]:
    """``(title, description, url)`` as trafilatura's ``metadata.examine_meta`` finds them (its
    OpenGraph pass, then its loop over the ``<meta>`` children of ``<head>``, the same rules in
    the same order), from the view's ``<meta>`` elements: no second and third walk over the tree
    (0.36 ms a page), and none of its other fields, which are not used here."""
    from trafilatura import metadata as tm
    from trafilatura.utils import HTML_STRIP_TAGS

    head = [el for el in view.elements("meta") if (parent := el.getparent()) is not None and parent.tag == "head"]
    og: dict[str, str | None] = {"title": None, "description": None, "url": None}
    for el in head:
        prop, content = el.get("property"), el.get("content")
        if prop is None or not prop.startswith("og:") or not content or content.isspace():
            continue
        if prop in ("og:title", "og:description"):
            og[prop[3:]] = content
        elif prop == "og:url" and tm.is_valid_url(content):
            og["url"] = content
    title, description, url = og["title"], og["description"], og["url"]
    for el in head:
        if el.get("content") is None or not (content := HTML_STRIP_TAGS.sub("", el.get("content", "")).strip()):
            continue
        if "property" in el.attrib:
            continue  # no title, description or URL from a property in trafilatura's loop
        if "name" in el.attrib:
            name = el.get("name", "").lower()
            if name in tm.METANAME_AUTHOR:
                continue
            if name in tm.METANAME_TITLE:
                title = title or content
            elif name in tm.METANAME_DESCRIPTION:
                description = description or content
            elif name in tm.METANAME_PUBLISHER or name in tm.METANAME_IMAGE or name in tm.TWITTER_ATTRS \
                    or "twitter:app:name" in name:
                continue
            elif name == "twitter:url" and not url and tm.is_valid_url(content):
                url = content
        elif "itemprop" in el.attrib:
            itemprop = el.get("itemprop", "").lower()
            if itemprop == "description":
                description = description or content
            elif itemprop == "headline":
                title = title or content
    return title, description, url


def _facts(view: PageView, doc_title: str | None) -> _Facts:
    facts = _Facts()
    _read_ld(view, facts)
    facts.titles.extend(view.meta("og:title", "twitter:title"))
    facts.titles.extend(view.title_texts)
    if doc_title:
        facts.titles.append(doc_title)
    facts.h1s = list(view.h1_texts)
    facts.h2s = list(view.h2_texts)
    facts.site_name = next(iter(view.meta("og:site_name")), None)
    facts.app_name = next(iter(view.meta("application-name")), None)
    facts.meta_authors = [a for a in view.meta(*_AUTHOR_META) if not a.lower().startswith("http")]
    facts.meta_authors.extend(_labelled_authors(view))
    facts.bylines = _bylines(view, facts.byline_elements, facts.boxes)
    return facts


def _labelled_authors(view: PageView) -> list[str]:
    """The ``twitter:dataN`` whose ``twitter:labelN`` says it names the author ("Written by",
    "Verfasst von", "Escrit par" ...: SEO plugins write these pairs for every post)."""
    pairs = dict(view.meta_pairs)
    return [pairs[f"twitter:data{n}"] for n in range(1, 5)
            if _AUTHOR_LABEL.search(pairs.get(f"twitter:label{n}", "")) and pairs.get(f"twitter:data{n}")]


def _author_links(view: PageView, bylines: set[Any]) -> list[str]:
    """Texts of links to author pages (``/author/jane-doe``) whose path ends in the text's name,
    outside comments, sidebars and footers and outside the byline elements already read (the same
    place is not a second witness); at most ``MAX_BYLINE_ELEMENTS``."""
    out: list[str] = []
    for a in view.elements("a"):
        href = a.get("href") or ""
        if "/" not in href or not AUTHOR_PATH.search(href):
            continue
        text = _WS.sub(" ", a.text_content() if a.text is None else a.text).strip()
        if not text or text in out or not link_slug_names(text, href):
            continue
        if a in bylines or any(p in bylines or _OUTSIDE.search((p.get("class") or "") + " " + (p.get("id") or ""))
                               for p in a.iterancestors() if p.tag not in ("body", "html")):
            continue
        out.append(text)
        if len(out) >= MAX_BYLINE_ELEMENTS:
            break
    return out


def _headline_byline(view: PageView) -> str | None:
    """A byline in the visible text just after the headline ("| By Jane Doe", "Von Jane Doe"): a
    text node that opens with a byline cue, within the first ``HEADER_TEXT_NODES`` text nodes
    after the first ``<h1>``: its following siblings, or its parent's when the headline stands
    alone in a header (never in comments, sidebars or footers); the names are the rest of that
    node, or the next node when the cue stands alone."""
    h1 = view.first("h1")
    if h1 is None:
        return None
    nodes = _following_text(h1)
    if not nodes and h1.getparent() is not None:
        nodes = _following_text(h1.getparent())
    for i, node in enumerate(nodes):
        if (m := _HEADER_CUE.match(node)):
            rest = m.group(1).strip() or (nodes[i + 1] if i + 1 < len(nodes) else "")
            return rest or None
    return next((name for node in nodes if (name := _dated_name(node))), None)


@lru_cache(maxsize=1)
def _text_cue() -> tuple[frozenset[str], re.Pattern[str]]:
    """The byline cues of ``data/byline_cues.tsv``: the first words of the cues (a cheap test before
    the pattern), and one pattern for a ``lead`` word ("By", "Von", "Par") or a ``label`` and a colon
    ("Autor:", "Auteur :") at the start of a text; group 1 is the rest."""
    table = resources.files("newsgraph.extract").joinpath("data/byline_cues.tsv").read_text(encoding="utf-8")
    kinds: dict[str, list[str]] = {"lead": [], "label": []}
    firsts: set[str] = set()
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            cue, _languages, kind = (part.strip() for part in line.split("\t"))
            kinds[kind].append(r"\s+".join(re.escape(w) for w in cue.split()))
            firsts.add(_first_word(cue))
    lead, label = ("|".join(sorted(kinds[k], key=len, reverse=True)) for k in ("lead", "label"))
    return frozenset(firsts), re.compile(rf"^[|·•\-–—\s]*(?:(?:{lead})\b\s*:?|(?:{label})\s*:)\s*(.*)$", re.I | re.S)


def _text_bylines(view: PageView) -> list[str]:
    """Visible byline lines that no markup marks: short texts among the ``TEXT_BYLINE_NODES`` text
    nodes after the headline (the article's header, its body and, on most pages, its end; without an
    ``<h1>``, the first of the body) that open
    with a cue of ``data/byline_cues.tsv`` ("By Jane Doe", "Von Jane Doe", "Auteur : Jean Dupont"; the
    names are the rest of the text, or the next text when the cue stands alone), in page order, never
    in comments, sidebars, footers, navigation or forms. About 0.5 ms a page (the nodes are read
    relative to the ``<h1>``; the whole body's would cost 2 ms)."""
    start = view.first("h1")
    if start is None:  # no headline element: from the start of the body
        start = view.first("body")
    if start is None:
        return []
    try:
        nodes = _AFTER(start) if start.tag == "h1" else _FIRST_TEXTS(start)
    except (etree.LxmlError, ValueError, TypeError):
        return []
    firsts, cue = _text_cue()
    out: list[str] = []
    for i, node in enumerate(nodes):
        if _first_word(node) not in firsts or len(node) > MAX_BYLINE_CHARS * 2 or not (m := cue.match(node)):
            continue
        text = " ".join(m.group(1).split())
        if not text:
            text = next((t for t in (" ".join(n.split()) for n in nodes[i + 1:i + 1 + TEXT_BYLINE_LOOKAHEAD])
                         if t.strip(" |·•-–—:")), "")
        if not text or len(text.split()) > MAX_TEXT_BYLINE_WORDS or not _visible_place(node):
            continue
        out.append(text)
    return out


def _visible_place(node: Any) -> bool:
    """Whether a text node stands where readers see the article's own text: not in a script, form or
    navigation, nor in comments, sidebars, footers or related-article lists (``_OUTSIDE``)."""
    el = node.getparent()
    if el is None:
        return False
    if node.is_tail:
        el = el.getparent()
    for a in (el, *el.iterancestors()) if el is not None else ():
        if a.tag in _NOT_SHOWN or (a.tag not in ("body", "html") and _OUTSIDE.search(
                f"{a.get('class') or ''} {a.get('id') or ''}")):
            return False
    return el is not None


def _dated_name(node: str) -> str | None:
    """A short line that is a name and a date ("Jane Doe | 27.01.2022", "11.12.2019 - Jane Doe"):
    the name, when it has a person's shape (the date-and-name line is how pages in every language
    sign an article)."""
    if len(node.split()) > MAX_DATED_BYLINE_WORDS or not _NUMERIC_DATE.search(node):
        return None
    parts = (part.strip(" |·•-–—,") for part in _NUMERIC_DATE_TIME.split(node))
    return next((part for part in parts if person_shaped(part)), None)


def _following_text(el: Any) -> list[str]:
    """The first ``HEADER_TEXT_NODES`` text nodes of the element's following siblings."""
    nodes: list[str] = []
    for sibling in el.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style") \
                or _OUTSIDE.search(f"{sibling.get('class') or ''} {sibling.get('id') or ''}"):
            continue
        nodes.extend(t for t in (" ".join(x.split()) for x in sibling.xpath(".//text()")) if t)
        if len(nodes) >= HEADER_TEXT_NODES:
            break
    return nodes[:HEADER_TEXT_NODES]


def _shown(tree: Any, name: str) -> bool:
    """Whether the page shows the name to its readers: its longest word (as written, in capitals or
    capitalised) in a text node of the body outside scripts and styles (one XPath evaluation)."""
    word = max(name.split(), key=len, default="")
    try:
        nodes = _BODY_TEXT_WITH(tree, w=word, u=word.upper(), t=word.capitalize())
    except (etree.LxmlError, ValueError, TypeError):
        return True
    return any(not any(a.tag in _HIDDEN for a in node.getparent().iterancestors()) and
               node.getparent().tag not in _HIDDEN for node in nodes if node.getparent() is not None)


def _shown_only(byline: Byline, view: PageView, visible: list[str], cache: dict[str, bool]) -> Byline:
    """The byline without the names the page never shows: a name a visible source also gives is
    shown, so is one a link or paragraph starts its text with; for the others the body's text is
    searched once per name (1 to 4 ms on a large page)."""
    def shown(name: str) -> bool:
        if any(same_person(name, other) for other in visible):
            return True
        if name not in cache:
            word = max(name.split(), key=len, default="")
            cache[name] = any(word in (el.text or "") for el in (*view.elements("a"), *view.elements("p"))) \
                or _shown(view.tree, name)
        return cache[name]

    return Byline(tuple(a for a in byline.authors if shown(a)), byline.credits)


def _people(facts: _Facts, outlets: tuple[str, ...], view: PageView) -> Byline:
    """People and credits from every place the page names them (``author_votes.choose``: the source
    whose people other places agree on gives the authors; every source adds credits). A name that
    JSON-LD or ``<meta>`` give but the page never shows is not taken (on the tune half of
    metadata-dev every such name was wrong, and every right one was shown)."""
    seen = [Source("markup", parse_byline(b, outlets, handles=True)) for b in facts.bylines]
    said = [Source("ld", parse_names(facts.ld_authors, outlets, handles=True)),
            *(Source("meta", parse_byline(a, outlets, handles=True, loose=True)) for a in facts.meta_authors[:2])]
    if _undecided([*said, *seen]):  # author links only change the vote when the others disagree or are silent
        links = _author_links(view, facts.byline_elements)
        seen.append(Source("link", parse_byline(" ; ".join(links), outlets)))
    if not any(s.byline.authors for s in (*seen, *said)):  # the text after the headline: only when needed
        seen.append(Source("header", parse_byline(_headline_byline(view), outlets)))
    visible = [a for s in seen for a in s.byline.authors]
    cache: dict[str, bool] = {}
    said = [Source(s.kind, _shown_only(s.byline, view, visible, cache)) for s in said]
    if not any(s.byline.authors for s in (*seen, *said)) and not any(s.kind == "header" for s in seen):
        seen.append(Source("header", parse_byline(_headline_byline(view), outlets)))
    if not any(s.byline.authors for s in (*seen, *said)):  # a visible byline line no markup marks
        found = next((b for b in (parse_byline(t, outlets, handles=_signature(t)) for t in _text_bylines(view))
                      if b.authors), None)
        if found is not None:
            seen.append(Source("text", found))
    return _completed(choose([*said, *seen]), facts.boxes)


def _signature(text: str) -> bool:
    """Whether the names after a visible cue are one signature ("Posted by gizzmo"): one token of at
    least ``MIN_SIGNATURE_LETTERS`` letters, not in capitals ("FINANZCHECK", an acronym: a site or a
    desk) and not a label ("Autor:")."""
    return len(text.split()) == 1 and not text.isupper() and not text.endswith(":") \
        and sum(c.isalpha() for c in text) >= MIN_SIGNATURE_LETTERS


def _completed(people: Byline, boxes: list[str]) -> Byline:
    """One-word signatures ("Stefanus") made the full name an author box opens with ("Stefanus Stahl -
    Maschinenbauer, ..."): the one box name whose first word the signature is."""
    if not boxes or all(len(a.split()) > 1 for a in people.authors):
        return people
    def full(name: str) -> str:
        longer = {b for b in boxes if len(name.split()) == 1 and fold(b.split()[0]) == fold(name)}
        return longer.pop() if len(longer) == 1 else name
    return Byline(tuple(full(a) for a in people.authors), people.credits)


def _undecided(sources: list[Source]) -> bool:
    """No source names a person, or two sources name different people."""
    named = [s.byline.authors for s in sources if s.byline.authors]
    return not named or any(not all(any(same_person(a, b) for b in other) for a in names)
                            for names in named for other in named)


def _section(view: PageView, title: str | None) -> str | None:
    """The page's section: ``<meta property=article:section>``, else JSON-LD ``articleSection`` (a
    string or the first of a list), else the JSON-LD breadcrumb's last item above the article (the
    first item, the home page, and an item naming the article itself are skipped)."""
    found = next(iter(view.meta("article:section")), None)
    for obj in view.ld_objects if not found else ():
        value = obj.get("articleSection")
        value = next((v for v in value if isinstance(v, str) and v.strip()), None) if isinstance(value, list) else value
        if isinstance(value, str) and value.strip():
            found = value
            break
    if not found:
        found = _breadcrumb_section(view, title)
    found = _WS.sub(" ", html.unescape(found or "")).strip()  # JSON-LD often holds "Body &amp; Fitness"
    return found if 0 < len(found) <= MAX_SECTION_CHARS else None


def _breadcrumb_section(view: PageView, title: str | None) -> str | None:
    crumbs = next((obj.get("itemListElement") for obj in view.ld_objects
                   if "BreadcrumbList" in _type(obj) and isinstance(obj.get("itemListElement"), list)), None)
    if not crumbs:
        return None
    items = sorted((c for c in crumbs if isinstance(c, dict)), key=lambda c: _position(c.get("position")))
    names = [n for n in (_crumb_name(c) for c in items) if n]
    key = _WS.sub(" ", (title or "").casefold()).strip()
    while names and (_WS.sub(" ", names[-1].casefold()).strip() == key or len(names[-1].split()) > 6):
        names.pop()  # the article itself
    return names[-1] if len(names) >= 2 else None


def _crumb_name(crumb: dict[str, Any]) -> str | None:
    name = crumb.get("name")
    item = crumb.get("item")
    if not isinstance(name, str) and isinstance(item, dict):
        name = item.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else None


def _position(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def page_meta(tree: Any, url: str | None = None, *, fetched: str | None = None,
              outlets: Mapping[str, str] | None = None, extensive: str = "weak",
              view: PageView | None = None, feed_title: str | None = None) -> PageMeta:
    """Metadata of a parsed page (an lxml HTML tree from ``load_html``).

    ``fetched`` (``YYYY-MM-DD``) bounds the dates; ``outlets`` extends the domain table;
    ``feed_title`` (the listing feed's) is the outlet only when the page names none;
    ``view``: the page's ``PageView`` when the caller has one."""
    from trafilatura import metadata as tm

    out = PageMeta()
    view = view_of(tree, view)
    try:
        doc_title, out.description, doc_url = _markup_meta(view)
        out.url = doc_url or tm.extract_url(tree, url)
        facts = _facts(view, doc_title)
        page_url = url or out.url
        out.sitename = pick_outlet(site_name=facts.site_name, publisher=facts.publisher,
                                   app_name=facts.app_name, url=page_url, extra=outlets,
                                   feed_title=feed_title)
        host = host_of(page_url)
        out.title = headline(facts.titles, facts.h1s, facts.h2s, out.sitename, host)
        names = tuple(n for n in (out.sitename, facts.site_name, facts.publisher) if n)
        people = _people(facts, names, view)
        out.outlet_names = names
        out.authors, out.credits = people.authors, people.credits
        out.section = _section(view, out.title)
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
