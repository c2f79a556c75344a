"""RawDocument -> Article.

The cascade, in order:

1. Route by kind: HTML goes to ``html.extract_html`` (trafilatura, then a
   post-pass for what trafilatura leaves: captions, credits, read-also
   lines); plain text goes to ``text.clean_text`` (newsgraph's line
   classifier). Both return a ``Cleaned`` record: body paragraphs, metadata
   found on the page, and every removed piece with its kind.
2. Merge metadata: what a container states explicitly (a feed entry's or a
   JSON record's title, date, authors; a JSON record's outlet) wins over what the cleaner
   guessed from the page; the page fills the gaps. A feed's title is no
   statement about one page: the page's own outlet (its ``og:site_name``,
   JSON-LD publisher, the domain table) beats it, and it beats only the bare
   host (``outlets``: the order, and how the title is cleaned). The date keeps its
   evidence (``published_source``: ``feed`` or ``record`` for a container's,
   else the page's stage; ``published_confidence``), ``modified`` and the
   byline's ``credits`` come from the page; ``dates.with_container`` decides
   (also for a refused page's log line, and with the HTTP headers' evidence).
3. Reject what is not an article (empty body, too short) with a reason.
4. Detect the language of the body (``language.detect``).
5. Id = hash of the normalised body (``newsgraph.ids``).

``clean=False`` keeps the decoded input unchanged as ``text`` (for checking
offsets against gold annotations of that file); metadata is still parsed.

Page kinds: before step 1 the page is classified (``page_kinds``: article,
live blog, index, paywall, consent or bot wall, error page, other). A kind in
``Settings.refused_page_kinds`` is not extracted and fails with
``extract.no_article`` ("not an article: paywall (...)"); every rejection
carries the page's kind, title, URL and date to the ingest log (``kind``
``article`` with no text: the extraction, not the page, came up empty). A kept
page's kind is ``Article.page_kind``, and the HTML cleaner's heading lines are
``Article.headings`` (spans of ``text``; plain text has none).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from newsgraph.config import Settings
from newsgraph.errors import ExtractionRejected
from newsgraph.extract.cleaned import Cleaned
from newsgraph.extract.dates import SOURCE_CONFIDENCE, DateEvidence, with_container
from newsgraph.extract.language import detect_language
from newsgraph.extract.outlets import feed_outlet
from newsgraph.ids import article_id
from newsgraph.types import Article, RawDocument

__all__ = ["Cleaned", "extract"]

_DEFAULT = Settings()


def _clean(raw: RawDocument, settings: Settings = _DEFAULT, refuse: Collection[str] = ()) -> Cleaned:
    if raw.kind == "html":
        from newsgraph.extract.html import extract_html

        crawled = raw.meta.get("crawled")
        feed_title = raw.meta.get("feed_title")
        return extract_html(raw.data, url=raw.url, fetched=crawled if isinstance(crawled, str) else None,
                            outlets=settings.outlets, refuse=refuse,
                            feed_title=feed_title if isinstance(feed_title, str) else None)
    from newsgraph.extract.page_kinds import classify_text
    from newsgraph.extract.text import clean_text

    page = classify_text(raw.data)
    cleaned = clean_text(raw.data)  # a refused text is short: its byline's date and title go to the log
    if cleaned.published:  # the day of a byline line ("By Jane Roe, March 3, 2026")
        cleaned = dataclasses.replace(cleaned, published_source="text_pattern",
                                      published_confidence=SOURCE_CONFIDENCE["text_pattern"])
    if page.kind in refuse:
        return Cleaned(body="", page=page, title=cleaned.title, published=cleaned.published,
                       published_source=cleaned.published_source, published_confidence=cleaned.published_confidence)
    return dataclasses.replace(cleaned, page=page)


def _dates(meta: dict[str, object], cleaned: Cleaned) -> DateEvidence:
    """The item's date evidence (``dates.with_container``): the page's, weighed with its container's."""
    page = DateEvidence(cleaned.published, cleaned.published_source, cleaned.published_confidence, cleaned.modified)
    return with_container(page, meta)


def extract(raw: RawDocument, settings: Settings = _DEFAULT, *, clean: bool = True) -> Article:
    """Turn one decoded input into an Article, or raise ``ExtractionRejected``."""
    cleaned = _clean(raw, settings, frozenset(settings.refused_page_kinds) if clean else ())
    meta = raw.meta
    text = cleaned.body if clean else raw.data
    dates = _dates(meta, cleaned)
    _reject(raw, cleaned, text, settings, clean, dates.published)
    authors = tuple(meta.get("authors") or ()) or cleaned.authors
    return Article(
        id=article_id(text),
        source=raw.source,
        url=raw.url or cleaned.url,
        title=meta.get("title") or cleaned.title or None,
        outlet=meta.get("outlet") or cleaned.outlet or feed_outlet(_str(meta.get("feed_title"))) or None,
        authors=tuple(authors),
        published=dates.published,
        published_source=dates.source,
        published_confidence=dates.confidence,
        modified=dates.modified,
        credits=cleaned.credits,
        language=detect_language(cleaned.body or text) or cleaned.language,
        text=text,
        headings=cleaned.headings if clean else (),
        page_kind=cleaned.page.kind if cleaned.page else None,
        section=cleaned.section,
        removed=cleaned.removed if clean else (),
    )


def _status(raw: RawDocument) -> int | None:
    status = raw.meta.get("http_status")
    return status if isinstance(status, int) and not isinstance(status, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _reject(raw: RawDocument, cleaned: Cleaned, text: str, settings: Settings, clean: bool,
            published: str | None) -> None:
    """Raise ``ExtractionRejected`` (with the page's kind and metadata: ``published`` is the day
    the article would have had) for what is not an article: a refused page kind (or an HTTP
    error status), an empty body, a body too short."""
    page, meta = cleaned.page, raw.meta
    status = _status(raw)
    kind = "error_page" if status is not None and status >= 400 else page.kind if page else None
    fields = {"kind": kind, "source": raw.source, "title": _str(meta.get("title")) or cleaned.title,
              "url": _str(raw.url) or cleaned.url, "published": published}
    if clean and kind in settings.refused_page_kinds:
        reason = f"HTTP status {status}" if kind == "error_page" and status and status >= 400 else page and page.reason
        raise ExtractionRejected(f"not an article: {kind} ({reason})", code="extract.no_article", **fields)
    if not text.strip():
        seen = f" (the page looks like: {page.kind}, {page.reason})" if page else ""
        raise ExtractionRejected(f"no article text found{seen}", code="extract.no_article", **fields)
    if clean and len(text) < settings.min_body_chars:
        raise ExtractionRejected(f"article body too short ({len(text)} characters < {settings.min_body_chars})",
                                 code="extract.too_short", **fields)
