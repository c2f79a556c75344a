"""HTML page -> ``Cleaned``: trafilatura for the article, then newsgraph's post-pass.

Design sketch (the cascade and why)
-----------------------------------

1. **Parse once.** ``trafilatura.utils.load_html`` decodes and repairs the
   markup into one lxml tree; every later step reads that tree (trafilatura
   copies it before pruning). Unparsable, empty or non-HTML input gives an
   empty ``Cleaned``; nothing here raises for bad markup (a third-party
   failure on one page is logged and also gives an empty body).
2. **Page facts** from the raw tree, one cheap pass per element type:
   ``<html lang>``, ``<h1>`` texts (headline candidates), ``<figcaption>``
   texts, hyperlink texts, and ``<p>`` that open with a "Read also"-type cue.
   Captions and read-also lines are reported in ``removed`` even when
   trafilatura already dropped them, so they are kept aside, not lost.
3. **trafilatura** ``bare_extraction`` with *comments off* (reader comments
   are never article text; skipping them is also faster) and otherwise its
   defaults: the balanced cascade (main extractor -> readability/justext
   comparison -> baseline rescue -> recall escalation for short outputs) is
   the part that generalises across sites. Measured on the dev pages with
   our post-pass on top: balanced 0.976 F1, ``favor_recall`` 0.971,
   ``favor_precision`` 0.967 (it loses whole paragraphs on unseen layouts),
   ``fast`` 0.972; ``include_links=True`` changes trafilatura's link-density
   decisions (0.907 without post-pass), which is why teaser links are found
   from the page's anchors (step 2) rather than from trafilatura's output.
   A page over ``FAST_ABOVE_CHARS`` (10 MB; the longest development page
   is 1.5 MB) skips the fallback comparison (``fast``): readability and
   justext work on yet another copy of the tree, which on a 45 MB page
   takes the extraction's peak from +893 MiB to +481 MiB (same body text).
4. **Post-pass** (``html_rules.label_lines``): each rendered line (paragraph,
   heading, list item, with the trafilatura tag it came from) is labelled by
   site-independent rules: the repeated headline (and a standfirst heading
   equal to the page description), captions, photo credits, "Read also" and
   standalone teaser links, share/subscribe/affiliate prompts, timestamps,
   bylines, author boxes at the end, navigation, repeated long paragraphs.
   Labelled lines leave the body and go to ``Cleaned.removed`` with their
   kind, in page order, captions split from their credits.
4b. **Standfirst** (``html_lead``): the page's summary paragraph (the
   lead under the headline, which trafilatura's main extractor often leaves
   out with the article header) is found by the page's own description
   meta and put on top of the body when it stands before the body's first
   line and is not there yet. On metadata-dev (trafilatura's evaluation
   pages, whose gold keeps leads) body F1 +0.011 on each half, no snippet
   lost; extraction-dev's gold leaves short "deks" out (-0.002 on its check
   half).
4c. **Recall retry**: when trafilatura finds nothing, or the post-pass
   leaves fewer than ``RETRY_BELOW_TOKENS`` words (its pick was furniture:
   a share bar, script errors), trafilatura's ``favor_recall`` mode is
   asked too and the result with more kept words wins. Rare, so it costs
   nothing measurable.
5. **No article**: fewer than ``MIN_ARTICLE_TOKENS`` words left means the
   page has no article: empty body (the driver rejects it with
   ``extract.no_article``), every line in ``removed``.
6. **Metadata** (``html_meta.page_meta``): trafilatura's own metadata steps
   (meta tags, JSON-LD, ``<title>``/``<h1>``, canonical link, site name,
   htmldate) minus the costly ones (whole-tree author search, categories,
   tags, licence), which would cost a quarter of the whole extraction time.
   Headline (``title``, falling back to the first ``<h1>``), people
   (``authors``) apart from wires and organisations (``credits``; when the
   markup names no one, the first byline line the post-pass took out of the
   body, or a short "Autor: Jane Doe" line anywhere in it), the
   publication day with its source and confidence and the modified day
   (``dates``), outlet (``outlets``), canonical URL (the ``url`` argument is
   only a fallback), section; the language hint is ``<html lang>``.

The body is the kept lines joined by one blank line (``"\\n\\n"``); the kept lines
trafilatura rendered from a ``head`` element are ``headings``, ``(start, end)`` spans of it.

After a page over ``RELEASE_ABOVE_CHARS`` (1 MB) the C heap's free pages go
back to the OS (``_release_heap``): lxml's freed nodes otherwise stay resident
as fragmented free space that the next large allocations (whole-text copies,
which get their own mappings) do not reuse. After a 45 MB page 640 MiB stayed
resident (240 MiB after the release), and the article id's copies of the text
then took the process to 1,069 MiB instead of 707 MiB.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from lxml import etree

from newsgraph.extract.bylines import parse_byline
from newsgraph.extract.cleaned import Cleaned
from newsgraph.extract.html_lead import find_lead
from newsgraph.extract.html_meta import page_meta
from newsgraph.extract.html_rules import (
    MIN_ANCHOR_TOKENS,
    PageFacts,
    is_related_cue,
    label_lines,
    norm,
    split_credit,
    tokens,
)
from newsgraph.extract.page_kinds import PageKind, classify_tree
from newsgraph.extract.page_view import PageView, element_text, string_value
from newsgraph.types import Removed

__all__ = ["extract_html"]

LOGGER = logging.getLogger(__name__)

#: trafilatura options: see the design sketch, step 3.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "favor_recall": False,
    "with_metadata": False,  # see html_meta: same steps, a quarter of the cost
    "output_format": "python",
}
#: The second try (step 4c): trafilatura's recall mode.
RECALL_OPTIONS: dict[str, Any] = {**TRAFILATURA_OPTIONS, "favor_recall": True}
#: Fewer body words than this after the post-pass: trafilatura's recall mode is tried too.
RETRY_BELOW_TOKENS = 15
#: Pages longer than this (characters) are extracted with trafilatura's ``fast`` option (step 3).
FAST_ABOVE_CHARS = 10_000_000
#: After a page longer than this (characters), free heap memory is returned to the OS.
RELEASE_ABOVE_CHARS = 1_000_000
#: Longest anchor text considered a teaser headline (characters).
MAX_ANCHOR_CHARS = 300

#: Fewer word tokens than this left in the body: the page has no article.
MIN_ARTICLE_TOKENS = 15
#: Only the first few <h1> of a page are headline candidates.
MAX_H1 = 3

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: What names a page's outlet besides the page: the user's domain table, and the listing feed's title.
_Outlets = tuple[Mapping[str, str] | None, str | None]
_NOT_TEASER_HREF = ("mailto:", "#", "javascript:", "tel:")
_URLISH = re.compile(r"^\s*(?:https?://|www\.)", re.I)
_AUTHOR_LABEL = re.compile(r"^\s*(?:autor(?:in)?|auteur|author|autore|autora|автор)\s*:\s*\S", re.I)
#: A line labelling its author ("Autor: Jane Doe") has at most this many words.
MAX_LABEL_WORDS = 8
_CONTRIBUTOR = re.compile(r"^[\s(\[]*(?:additional\s+)?(?:reporting|writing|editing|edited|compiled|produced|research)"
                          r"\s+by\b", re.I)


def _text(el: Any) -> str:
    return element_text(el)


class PagePieces(NamedTuple):
    captions: list[str]  # <figcaption> texts
    anchors: frozenset[str]  # normalised link texts (teaser candidates)
    lang: str | None  # <html lang> primary subtag
    h1s: list[str]  # <h1> texts (headline candidates)
    related: list[str]  # <p> starting with a "Read also"-type cue


def _page_facts(view: PageView) -> PagePieces:
    """What the post-pass needs from the raw page (its elements from the page's one walk)."""
    captions: list[str] = []
    seen: set[str] = set()
    for fig in view.elements("figcaption"):
        text = _text(fig)
        if text and text not in seen:
            seen.add(text)
            captions.append(text)
    anchors: set[str] = set()
    for a in view.elements("a"):
        if (a.get("href") or "").lstrip().startswith(_NOT_TEASER_HREF):
            continue  # e-mail links, in-page links (a table of contents repeats the headings)
        try:
            raw = string_value(a)
        except (ValueError, AttributeError, TypeError):
            continue
        # MIN_ANCHOR_TOKENS word tokens need at least one separator between each two
        if len(raw) < 2 * MIN_ANCHOR_TOKENS - 1:
            continue  # folding spaces only shortens it
        text = " ".join(raw.split())  # what a \s+ fold and strip() give (the same spaces), faster
        if 2 * MIN_ANCHOR_TOKENS - 1 <= len(text) <= MAX_ANCHOR_CHARS and not _URLISH.match(text):
            key = norm(text)
            if key.count(" ") + 1 >= MIN_ANCHOR_TOKENS:
                anchors.add(key)
    lang = None
    tree = view.tree
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    raw = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    if raw and _LANG.match(raw):
        lang = raw.split("-")[0].split("_")[0].lower()
    h1s = view.h1_texts[:MAX_H1]
    related: list[str] = []
    for p in view.elements("p"):
        head = (p.text or "").lstrip()
        if not head and len(p):
            head = (p[0].text or "").lstrip()
        if head and is_related_cue(head):
            text = _text(p)
            if len(text) <= MAX_ANCHOR_CHARS and text not in related:
                related.append(text)
    return PagePieces(captions, frozenset(anchors), lang, h1s, related)


def _lines(body: Any, render: Any) -> list[tuple[str, str]]:
    """(tag, text) for each rendered line of trafilatura's body, in order."""
    out: list[tuple[str, str]] = []
    if body is None:
        return out
    if body.text and body.text.strip():
        out.append(("p", body.text))
    for child in body:
        tag = child.tag if isinstance(child.tag, str) else "p"
        out.extend((tag, line) for line in render(child, False).split("\n"))
        if child.tail and child.tail.strip():
            out.append(("p", child.tail))
    return out


def _heading_spans(kept: list[str], heads: list[bool]) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` in ``"\\n\\n".join(kept)`` of each kept line that was a heading."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line, head in zip(kept, heads, strict=True):
        if head:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 2
    return tuple(spans)


def _post_pass(lines: list[tuple[str, str]], facts: PageFacts,
               view: PageView) -> tuple[list[tuple[str | None, str]], list[str]]:
    """Labelled lines (``html_rules``) with the standfirst put back when trafilatura left it out
    (``html_lead``), and the trafilatura tag of each."""
    norms: list[str] = []
    labelled = label_lines(lines, facts, norms)
    tags = [tag for tag, text in lines if text and text.strip()]  # label_lines keeps these, in order
    lead = _lead(view, facts.description, [line for _kind, line in labelled],
                 [line for kind, line in labelled if kind is None], norms)
    if lead:
        labelled.insert(0, (None, lead))
        tags.insert(0, "p")
    return labelled, tags


def _recall_lines(tree: Any, url: str | None, render: Any) -> list[tuple[str, str]]:
    """trafilatura's lines in its recall mode (``favor_recall``); [] when it fails or finds nothing."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(tree, url=url, **RECALL_OPTIONS)
        return _lines(doc.body, render) if doc is not None else []
    except Exception as exc:  # a third-party failure on one page must not stop a batch
        LOGGER.debug("trafilatura recall mode failed on %s: %s: %s", url, type(exc).__name__, exc)
        return []


def _word_count(lines: list[str]) -> int:
    return sum(len(tokens(line)) for line in lines)


def _fewer_words(lines: list[str], n: int) -> bool:
    """Fewer than ``n`` word tokens in the lines (counting stops at ``n``)."""
    count = 0
    for line in lines:
        count += len(tokens(line))
        if count >= n:
            return False
    return True


def _lead(view: PageView, description: str | None, lines: list[str], kept: list[str],
          lines_norm: list[str] | None = None) -> str | None:
    """The page's standfirst when the body misses it (``html_lead``); never raises for bad markup."""
    descriptions = [d for d in (description, *view.meta("description", "og:description", "twitter:description")) if d]
    if not descriptions:
        return None
    try:
        return find_lead(view.tree, descriptions, lines, kept, lines_norm)
    except (etree.LxmlError, ValueError, TypeError, RecursionError) as exc:  # pragma: no cover
        LOGGER.debug("standfirst search failed: %s", exc)
        return None


def _enough_words(lines: list[str]) -> bool:
    """At least ``MIN_ARTICLE_TOKENS`` word tokens in the lines (counting stops there)."""
    return not _fewer_words(lines, MIN_ARTICLE_TOKENS)


def _body_byline(labelled: list[tuple[str | None, str]], outlets: tuple[str, ...],
                 credits: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """People (and credits) of the first byline line of the body that names one: a line the post-pass
    took for a byline ("Von Jane Doe"), else a short line anywhere that labels its author
    ("Autor: Jane Doe", "Auteur : Jane Doe"); lines crediting work other than the writing
    ("Additional reporting by") are not bylines."""
    lines = [line for kind, line in labelled if kind == "byline" and not _CONTRIBUTOR.match(line)]
    lines += [line for kind, line in labelled
              if kind in (None, "byline", "author_box") and _AUTHOR_LABEL.match(line)
              and len(line.split()) <= MAX_LABEL_WORDS]
    for line in lines:
        found = parse_byline(line, outlets)
        if found.authors:
            return found.authors, credits + tuple(c for c in found.credits if c not in credits)
    return (), credits


def _caption_pieces(text: str) -> list[Removed]:
    caption, credit = split_credit(text)
    out = [Removed("caption", caption)]
    if credit:
        out.append(Removed("photo_credit", credit))
    return out


def _removed(labelled: list[tuple[str | None, str]], captions: list[str], related: list[str]) -> list[Removed]:
    """Removed pieces in page order; captions split from their credits; then the
    page's figcaptions and "Read also" paragraphs that trafilatura dropped
    before the post-pass saw them (kept aside, not lost)."""
    out: list[Removed] = []
    for kind, line in labelled:
        if kind == "caption":
            out.extend(_caption_pieces(line))
        elif kind is not None:
            out.append(Removed(kind, line))
    shown = {norm(r.text) for r in out if r.kind in ("caption", "photo_credit")}
    for text in captions:
        if norm(text) in shown:
            continue
        for piece in _caption_pieces(text):
            key = norm(piece.text)
            if key not in shown:
                shown.add(key)
                out.append(piece)
    seen = {norm(r.text) for r in out if r.kind == "related_link"}
    out.extend(Removed("related_link", t) for t in related if norm(t) not in seen)
    return out


def _empty(language: str | None = None) -> Cleaned:
    return Cleaned(body="", language=language)


_malloc_trim: Any = None


def _release_heap() -> None:
    """Hand the C heap's free pages back to the OS (glibc's ``malloc_trim``; a no-op elsewhere)."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


def extract_html(html: str, url: str | None = None, *, fetched: str | None = None,
                 outlets: Mapping[str, str] | None = None, refuse: Collection[str] = (),
                 feed_title: str | None = None) -> Cleaned:
    """Article body, metadata and removed boilerplate of one HTML page.

    ``fetched`` (``YYYY-MM-DD``, the crawl day) bounds the publication date;
    ``outlets`` (domain -> name) extends the shipped outlet table; ``feed_title`` (the title of
    the feed that listed the page) is the outlet when the page names none (``outlets.pick_outlet``).
    The page's kind (``page_kinds``) is decided first and kept in ``page``; a
    page of a kind in ``refuse`` is not extracted: empty body, its metadata only.
    Never raises for bad input: an unparsable page or a page without an
    article gives an empty body.
    """
    cleaned = _extract(html, url, fetched, (outlets, feed_title), refuse)
    if isinstance(html, str) and len(html) > RELEASE_ABOVE_CHARS:
        _release_heap()  # the page's trees are gone now
    return cleaned


def _extract(html: str, url: str | None, fetched: str | None = None,
             outlets: _Outlets = (None, None), refuse: Collection[str] = ()) -> Cleaned:
    import trafilatura
    from trafilatura.utils import load_html
    from trafilatura.xml import xmltotxt

    if not isinstance(html, str) or not html.strip():
        return _empty()
    # 1. parse once
    try:
        tree = load_html(html)
    except (etree.LxmlError, ValueError, TypeError, RecursionError) as exc:
        LOGGER.debug("unparsable HTML (%s): %s", url, exc)
        return _empty()
    if tree is None:
        return _empty()
    view = PageView(tree)  # the page's elements, found in one walk and shared by every reader
    page = classify_tree(tree, html, view=view)  # what the page is, before extraction (page_kinds)
    if page.kind in refuse:
        return _metadata_only(view, url, page, fetched, outlets)
    # 2. page facts
    try:
        captions, anchors, lang, h1s, related = _page_facts(view)
    except (etree.LxmlError, ValueError, TypeError, RecursionError) as exc:  # pragma: no cover
        LOGGER.debug("page facts failed (%s): %s", url, exc)
        captions, anchors, lang, h1s, related = [], frozenset(), None, [], []
    # 3. trafilatura (it copies the tree: ours stays intact)
    try:
        options = TRAFILATURA_OPTIONS if len(html) <= FAST_ABOVE_CHARS else {**TRAFILATURA_OPTIONS, "fast": True}
        doc = trafilatura.bare_extraction(tree, url=url, **options)
        lines = _lines(doc.body, xmltotxt) if doc is not None else []
        if doc is None and len(html) <= FAST_ABOVE_CHARS:  # 4c. nothing found: trafilatura's recall mode
            doc = trafilatura.bare_extraction(tree, url=url, **RECALL_OPTIONS)
            lines = _lines(doc.body, xmltotxt) if doc is not None else []
    except RecursionError as exc:
        LOGGER.debug("trafilatura recursion limit (%s): %s", url, exc)
        return _metadata_only(view, url, page, fetched, outlets, lang)
    except Exception as exc:  # a third-party failure on one page must not stop a batch
        LOGGER.warning("trafilatura failed on %s: %s: %s", url, type(exc).__name__, exc)
        return _metadata_only(view, url, page, fetched, outlets, lang)
    if doc is None:
        return _metadata_only(view, url, page, fetched, outlets, lang, tuple(_removed([], captions, related)))
    meta = page_meta(tree, url, fetched=fetched, outlets=outlets[0], feed_title=outlets[1], view=view)  # 6. metadata
    title = meta.title or (h1s[0] if h1s else None)
    # 4. post-pass, 5. no-article check
    headlines = [t for t in (title, *h1s) if t]
    facts = PageFacts(headlines=headlines, description=meta.description, captions=captions,
                      anchors=anchors, authors=frozenset(norm(a) for a in meta.authors))
    labelled, tags = _post_pass(lines, facts, view)
    kept = [line for kind, line in labelled if kind is None]
    if _fewer_words(kept, RETRY_BELOW_TOKENS) and len(html) <= FAST_ABOVE_CHARS:
        # 4c. the post-pass left (next to) nothing: trafilatura's recall mode may have found the article
        retry = _recall_lines(tree, url, xmltotxt)
        if retry:
            labelled2, tags2 = _post_pass(retry, facts, view)
            kept2 = [line for kind, line in labelled2 if kind is None]
            if _word_count(kept2) > _word_count(kept):
                labelled, tags, kept = labelled2, tags2, kept2
    kept_heads = [tag == "head" for tag, (kind, _line) in zip(tags, labelled, strict=True) if kind is None]
    if not _enough_words(kept):
        # a few words of furniture ("Home", "No results."): no article on this page
        labelled = [(kind or "boilerplate", line) for kind, line in labelled]
        kept, kept_heads = [], []
    removed = _removed(labelled, captions, related)
    # 6. metadata (read above, before the post-pass, which needs the headline)
    authors, credits = meta.authors, meta.credits
    if not authors:  # the markup named no one: a byline line the post-pass took out of the body
        authors, credits = _body_byline(labelled, meta.outlet_names, credits)
    dates = meta.dates
    published = dates.published if dates.published and _DATE.match(dates.published) else None
    return Cleaned(
        body="\n\n".join(kept),
        headings=_heading_spans(kept, kept_heads),
        removed=tuple(removed),
        title=title,
        outlet=meta.sitename,
        section=meta.section,
        authors=authors,
        credits=credits,
        published=published[:10] if published else None,
        published_source=dates.source if published else None,
        published_confidence=dates.confidence if published else None,
        modified=dates.modified,
        url=meta.url or url,
        language=lang,
        page=page,
    )


def _metadata_only(view: PageView, url: str | None, page: PageKind, fetched: str | None,
                   outlets: _Outlets, lang: str | None = None,
                   removed: tuple[Removed, ...] = ()) -> Cleaned:
    """No body: the page's kind and what its metadata says (kept in the ingest log of a refused page)."""
    try:
        meta = page_meta(view.tree, url, fetched=fetched, outlets=outlets[0], feed_title=outlets[1], view=view)
    except RecursionError:  # a page too deep for the metadata readers too: its kind alone
        return Cleaned(body="", removed=removed, url=url, language=lang, page=page)
    dates = meta.dates
    published = dates.published if dates.published and _DATE.match(dates.published) else None
    return Cleaned(body="", removed=removed, title=meta.title, outlet=meta.sitename,
                   published=published[:10] if published else None,
                   published_source=dates.source if published else None,
                   published_confidence=dates.confidence if published else None, modified=dates.modified,
                   url=meta.url or url, language=lang, page=page)
