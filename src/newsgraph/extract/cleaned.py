"""The record both cleaners (HTML and plain text) return."""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.extract.page_kinds import PageKind
from newsgraph.types import Removed


@dataclass(frozen=True, slots=True)
class Cleaned:
    """What a cleaner found on one page.

    ``body`` is the article text, paragraphs separated by one blank line
    (``"\\n\\n"``), no headline. ``removed`` lists every other piece of the
    input, in page order, with its kind (see ``newsgraph.types.REMOVED_KINDS``),
    so nothing is lost. Metadata fields are ``None``/empty when not found.
    """

    body: str
    headings: tuple[tuple[int, int], ...] = ()  # (start, end) in ``body`` of the kept lines that were headings
    removed: tuple[Removed, ...] = ()
    page: PageKind | None = None  # what the page is (HTML: ``page_kinds``), decided before extraction
    title: str | None = None
    outlet: str | None = None
    section: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    published_source: str | None = None  # where ``published`` was found (``dates.SOURCE_CONFIDENCE`` keys)
    published_confidence: float | None = None
    modified: str | None = None  # last-modified day, kept apart from ``published``
    credits: tuple[tuple[str, str], ...] = ()  # (kind, name): ("wire", "AP"), ("organisation", ...)
    url: str | None = None
    language: str | None = None  # a hint from the page (html lang), if any
