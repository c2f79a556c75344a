"""Publication dates with evidence: which markup gave the day, and how far to trust it.

htmldate's ``find_date`` is a cascade that returns the first date a stage
finds (URL, ``<meta>``, JSON-LD, ``<abbr>``, date-like elements, ``<time>``,
timestamps, image URLs, idiosyncratic text patterns, then, in its
*extensive* mode, a vote over every free-text date on the page). It does not
say which stage answered. ``find_dates`` runs the same stages, through
htmldate's own stage functions, and labels the answer with its stage
(``published_source``) and a confidence (``published_confidence``, below).

How far to trust a date
-----------------------
``published_confidence`` is the measured share of right days of the source that
gave the answer, on the tune halves of the development pages (htmldate's and
trafilatura's evaluation pages, dated ones): ``bench/date_sources.py --write``
stores the counts in ``data/date_confidence.json`` and this module estimates,
at import, (right answers + k x stage share) / (answers + k), the stage share
being how often the stage is right whenever it gives a day at all, k the
prior strength (256 pseudo-answers) strong enough that a source is trusted
about as far as its stage: the answers' own counts on the tune halves are
optimistic, since newsgraph's additions to the cascade were written from the
tune halves' misses (``bench/date_sources.py`` says how the strength was
chosen). Since most metadata-dev pages are dates-dev pages too, a page is in
the tune halves only when every copy of it is.

When the page's visible dates outvote its markup
------------------------------------------------
A ``<meta>`` or JSON-LD publication day is written by the CMS apart from what
the reader sees: a template's fixed date, the original's day on a syndicated
or re-published copy, an event's or a product's date. Three witnesses are read
against it: the first date-like element (htmldate's ``markup`` stage), the
first ``<time>`` element, both on the pruned copy of the page, and the
modified day. When none names the markup's day and two name one other day,
that day wins (source ``visible``): the page shows it and the CMS's record of
the last change agrees. A labelled day (below) does not override it: one
witness against two. Only pages whose modified day is not already the
markup's pay for the two page stages (about one page in seven on the dev
pages; on extraction-dev ``find_dates`` went from 2.47 to 2.80 CPU-ms a page,
medians of 7 alternated rounds, with the faster masthead test, ``_mastheads``).
Measured on the dev halves (exact day, in process): dates-dev tune
0.952 -> 0.960, check 0.887 -> 0.908; metadata-dev (dated pages) tune
0.874 -> 0.885, check 0.905 -> 0.927; 13 pages changed, all to the gold day.
Found by sorting the check half's misses into kinds (the markup's day
contradicted by the visible dates was the largest kind), then checked on
both halves; the witnesses and the count were not tuned per page.

Measured, not done: agreement between sources as evidence (below), a
conditional logit over every stage's candidate days with richer features
(modified day, vote count, earliest or latest candidate, htmldate's own
answers; fitted on tune: no gain in cross-validation within tune, worse
than the cascade on metadata-dev check without the cascade's day as a
feature), and a rule for time stamps near midnight (of the dev pages whose
``<meta>``/JSON-LD time lies within two hours of midnight, both halves, the
gold day is the written day on 25 of 30 and the day before on 2).
Agreement between structured sources as confidence. An answer the URL,
``<meta>`` or JSON-LD confirms was not right more often than one they do not
(per-(source, agreement) estimates cross-validate worse at every k), and a
vote over every source's day (a conditional logit over the candidate days,
fitted on tune; ``bench/date_sources.py --vote``) was no better than the
cascade: with the cascade's day as one more vote it scored what the cascade
scores on both halves (in process: 0.919 tune, 0.897 check), without it less
(dates-dev check 0.858-0.879 against 0.887). The cascade's order already holds
what the agreements tell. The reliability table (confidence bins
against the share of right days, check half) is in ``bench/RESULTS.md``.

What newsgraph adds to htmldate's stages
----------------------------------------
Each addition came from the misses on the tune half of the development pages
and rests on how pages are built, not on one site:

* URL: the canonical URL too (a syndicated copy links the dated original), and
  a compact ``20200113`` between separators in the path.
* The page stages read a copy without the site's masthead or top bar (a
  ``<header>``, ``topbar``, ``masthead`` outside the article and without the
  headline): the date printed there is the day the page was served.
* Labelled days: after a page-level stage (``markup`` and weaker take the first
  date-like element: a related link's date, a "last change" line), a day the
  text labels as the publication ("Published:", "Erschienen am", "Publié le";
  ``DATE_LABELS``) wins, source ``label``; a "last updated" label is never
  read as one. The same label settles a ``<meta>`` day written with numbers in
  an order that reads both ways (``11/01/2023``), and dates a page no stage
  dated. A word for "date" with a colon ("Datum:", "Fecha:") is such a label;
  a German or Dutch publication verb that ends its clause ("wurde am 19. Mai
  2010 um 23:03 Uhr gepostet", WordPress themes' "Dieser Beitrag wurde am ...
  veröffentlicht") labels the day written last before it. Measured (in
  process): dates-dev tune 0.960 -> 0.964, check 0.908 -> 0.921;
  metadata-dev tune 0.885 -> 0.891, check 0.927 -> 0.933 (8 pages changed, 6
  to the gold day, 2 copies of one forum thread from one wrong day to
  another). Found among the check half's misses (pages with no date, the
  "Datum:" label), measured on both halves.
* No made-up days: htmldate's last resorts return the 1st of the month or of
  January for a year-and-month, a year or a copyright year; newsgraph keeps
  only its stages that read a whole day (``_search_page_days``).
* Not done, measured: moving a UTC timestamp to the outlet's next local day.
  Of the dev pages whose first timestamp is UTC and after 20:00, the gold day
  is the written day on 24 and the next day on 5, so the day as written stays
  (as htmldate does); a timestamp with its own offset is already local.

Fast, then extensive only when needed
-------------------------------------
The extensive vote costs about five times the fast cascade (18 ms against
3-4 ms a page on the dev machine). It is run only when the fast cascade
found nothing or only a weak, text-level date (``WEAK_SOURCES``), so a page
with a JSON-LD or ``<meta>`` date costs what it cost before.

The structured stages read the original tree; the page stages a pruned copy
(htmldate's cleaning), made once a page and shared by the fast and the
extensive cascade (the stages only read it). ``<meta>`` elements and JSON-LD
texts come from the page's ``PageView`` (one walk shared with the other
readers of the page).

Bounds
------
A date after the fetch time (the crawl day of a WARC record, else today) plus
one day of time-zone slack, or before ``EARLIEST`` (1995: htmldate's own bound,
before the web carried news), is impossible and never returned.

Calendar day
------------
A timestamp with an offset (``2020-06-29T00:16:15+03:00``) gives its local
calendar day (2020-06-29), the day the outlet printed, never the UTC day.

``modified`` (``article:modified_time``, JSON-LD ``dateModified``,
``itemprop=dateModified``) is kept apart and never fills ``published``.

What the container says
-----------------------
``with_container`` weighs the page's evidence with what came around it
(``RawDocument.meta``, filled by ``newsgraph.sources``), and is the one place
an item's date is decided, for a stored article and for a refused page's log
line alike:

* a feed entry's ``published`` (source ``feed``) or a JSON record's
  (``record``) wins over the page: the publisher stated it for this item; the
  page naming the same day raises its confidence. A feed entry with only an
  ``updated`` day (Atom's mandatory field, often a later edit; RSS 1.0's
  ``dc:date``) is used only when the page has no date or a less trusted one
  (``feed_updated``).
* the HTTP ``Last-Modified`` header (``last_modified``; a WARC record's
  archived header too) is a *modification* date: it fills ``modified`` when
  the markup gives none, and fills ``published`` only when nothing else dated
  the page, with the lowest confidence (``http_header``, 0.2: below every page source), and only when it
  lies before the fetch day: a dynamic page's Last-Modified is the moment it
  was served and says nothing about when it was written. A page is never
  published after it was last modified, but it is often modified long after
  it was published, hence the low confidence.
* the HTTP ``Date`` header (``crawled``) is the fetch day: the upper bound of
  every date (see Bounds).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from newsgraph.extract.page_view import PageView, view_of

LOGGER = logging.getLogger(__name__)

#: No publication date before this (htmldate's own lower bound).
EARLIEST = datetime(1995, 1, 1)
#: Days a date may lie after the fetch day (time zones east of the fetcher's).
FUTURE_SLACK_DAYS = 1
#: Stages whose date is only a text-level guess: the extensive vote is tried after them.
WEAK_SOURCES = frozenset({"timestamp", "image_url", "text_pattern", "text", "title"})

#: Confidence of what the container states (``with_container``): priors, not measured on the dev
#: pages (they carry no feed or header); a page's own sources are measured (``_PAGE_CONFIDENCE``).
_CONTAINER_CONFIDENCE: dict[str, float] = {
    "record": 0.95,  # a JSON record's own "published" field
    "feed": 0.9,
    "feed_updated": 0.6,  # a feed entry's updated day, used when the page has no date
    "http_header": 0.2,  # HTTP Last-Modified, used when nothing else dated the page; below every page source
}
#: The counts ``published_confidence`` is estimated from (``bench/date_sources.py --write``).
CONFIDENCE_DATA = "data/date_confidence.json"


def _load_confidence() -> dict[str, float]:
    """Source -> confidence of its answers, from the counts of the tune halves: the share of right
    days among the answers the source gave, shrunk towards the stage's own share when it gives a
    day at all (Laplace-smoothed) by ``prior_strength`` pseudo-answers (see the module
    docstring)."""
    data = json.loads(resources.files("newsgraph.extract").joinpath(CONFIDENCE_DATA).read_text(encoding="utf-8"))
    k = float(data["prior_strength"])
    out = {}
    for source, (right, present) in data["stages"].items():
        stage = (right + 1) / (present + 2)
        r, n = data["answers"].get(source, (0, 0))
        out[source] = min(0.99, max(0.01, round((r + k * stage) / (n + k), 2)))
    return out


_PAGE_CONFIDENCE = _load_confidence()
#: Confidence of each source by itself: a page source's share of right days on the tune halves
#: (``bench/date_sources.py``), a container's prior (``_CONTAINER_CONFIDENCE``).
SOURCE_CONFIDENCE: dict[str, float] = {**_PAGE_CONFIDENCE, **_CONTAINER_CONFIDENCE}
#: Sources whose day the page's visible dates may outvote (``_outvoted``): a ``<meta>`` or
#: JSON-LD day is written by the CMS apart from what the reader sees (a template's or a syndicated
#: copy's date, a re-publication day); the URL's day is part of the address and is not outvoted.
OUTVOTABLE = frozenset({"meta", "json_ld"})
#: The witnesses read on the page against such a day (page stages), besides the modified day.
VISIBLE_WITNESSES = ("time", "markup")  # the cheaper first
#: How many witnesses must name one other day, when none names the markup's.
VOTES_AGAINST_MARKUP = 2
#: Stages that read the page's structure (URL, <meta>, JSON-LD, <abbr>) rather than its text.
STRUCTURED_SOURCES = frozenset({"url", "meta", "json_ld", "abbr"})
#: Words that label a date in the page's text as its publication or its last change, in the
#: languages newsgraph meets (a label then a colon, "on", "am", "le" ... then the date).
DATE_LABELS: dict[str, tuple[str, ...]] = {
    "published": ("published", "first published", "publication date", "date published", "posted", "written",
                  "created", "erstellt", "erschienen", "veröffentlicht", "publié", "publiée", "publicado",
                  "publicada", "fecha de publicación", "pubblicato", "pubblicata", "gepubliceerd", "geplaatst",
                  "publicerad", "publisert", "publiceret", "julkaistu", "opublikowano", "publikováno", "gepostet",
                  "publiziert", "опубликовано", "дата публикации", "publicat"),
    "modified": ("updated", "last updated", "last modified", "modified", "letzte änderung", "aktualisiert",
                 "zuletzt aktualisiert", "geändert", "mis à jour", "actualizado", "actualizada", "aggiornato",
                 "bijgewerkt", "oppdatert", "uppdaterad", "opdateret", "päivitetty", "zaktualizowano",
                 "aktualizováno", "обновлено", "actualizat"),
}
#: Words that name "the date" of the page when a colon follows ("Datum: 18.10.2021"); read as a
#: publication label.
DATE_WORDS = ("date", "datum", "fecha", "data", "dato", "dátum")
#: Publication words that follow their date in verb-final clauses (German, Dutch: "wurde am 19. Mai
#: 2010 um 23:03 Uhr gepostet", WordPress themes' "Dieser Beitrag wurde am ... veröffentlicht"): when
#: no date follows them, the words before them are read.
TRAILING_PUBLISHED = frozenset({"veröffentlicht", "gepostet", "erschienen", "publiziert", "gepubliceerd",
                                "geplaatst"})
#: The first letters of the labels: a match starts at a word start with one of them (the lookahead
#: ahead of the branches rules out every other position in one test instead of trying each of the
#: sixty-odd words there; the same matches, 11.4 -> 4.4 ms a page text on the dev pages).
_LABEL_STARTS = "".join(sorted({w[0] for words in (*DATE_LABELS.values(), DATE_WORDS) for w in words}))
_DATE_LABEL = re.compile(
    rf"(?<!\w)(?=[{re.escape(_LABEL_STARTS)}])(?:"
    + "|".join(rf"(?P<{kind}>(?<!\w)(?:{'|'.join(sorted(map(re.escape, words), key=len, reverse=True))})"
               r"(?:\s+(?:on|am|le|el|il|op|den|at))?\s*[:\-–]?\s*)"
               for kind, words in DATE_LABELS.items())
    + rf"|(?P<dated>(?<!\w)(?:{'|'.join(DATE_WORDS)})\s*:\s*))", re.I)
#: A day written with numbers only, day and month in either order (``11/01/2023``, ``1.11.2023``).
_NUMERIC_DAY = re.compile(r"(?<![0-9])([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})(?![0-9])")
#: The site's masthead or top bar, outside the article and without the headline: the date a
#: site prints there is today's (the day the page was served), never the article's.
#: (On the attribute axis: the same elements as ``//*[@class][contains(@class, ...)]``, a third cheaper.)
_MASTHEAD_CANDIDATES = etree.XPath(
    "//header|//@class[contains(., 'topbar') or contains(., 'masthead') or .='header']/.."
    "|//@id[contains(., 'masthead') or .='header']/.."
)
_IN_ARTICLE = etree.XPath("ancestor::article or ancestor::main or descendant::h1 or descendant::article")
#: Characters after a label read for its date.
_LABEL_WINDOW = 40
#: A compact day in a URL path (``/20200113/``, ``-20200817-``), between non-digits.
_COMPACT_URL_DAY = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])"
                              r"(?![0-9])")
#: Added to a container's confidence when the page names the same day.
AGREEMENT_BONUS = 0.07

_PUBLISHED_KEYS = ("publish", "date", "created", "issued", "pubdate")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: On the attribute axis (``//@name[...]/..``): a third cheaper than ``//meta[@name=... or ...]``.
_MODIFIED_XPATH = etree.XPath(
    '//@property[.="article:modified_time" or .="og:updated_time"]/parent::meta/@content'
    '|//@name[.="last-modified" or .="dcterms.modified"]/parent::meta/@content'
    '|//@itemprop[.="dateModified"]/parent::meta/@content'
    '|//@itemprop[.="dateModified"]/../@datetime'
)
_MODIFIED_PROPERTIES = frozenset({"article:modified_time", "og:updated_time"})
_MODIFIED_NAMES = frozenset({"last-modified", "dcterms.modified"})
_JSON_SCRIPT_TYPES = frozenset({"application/ld+json", "application/settings+json"})
_JSON_MODIFIED = re.compile(r'"dateModified"\s*:\s*"(\d{4}-\d{2}-\d{2})')


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """The publication day found on a page, where it came from and how far to trust it."""

    published: str | None = None  # YYYY-MM-DD
    source: str | None = None  # a key of SOURCE_CONFIDENCE
    confidence: float | None = None
    modified: str | None = None  # YYYY-MM-DD, never used as ``published``


def _options(extensive: bool, latest: datetime) -> Any:
    from htmldate.utils import Extractor

    return Extractor(extensive, latest, EARLIEST, True, "%Y-%m-%d")


def _latest(fetched: str | None) -> datetime:
    """End of the fetch day plus the time-zone slack."""
    day = date.today()
    if fetched and _ISO_DAY.match(fetched[:10]):
        try:
            day = min(day, date.fromisoformat(fetched[:10]))
        except ValueError:
            pass
    end = datetime(day.year, day.month, day.day, 23, 59, 59)
    return end + timedelta(days=FUTURE_SLACK_DAYS)


def _page_urls(tree: Any, url: str | None) -> tuple[str, ...]:
    """The page's URL and its canonical URL (a syndicated copy names the original, often dated)."""
    link = tree.find('.//link[@rel="canonical"]')
    canonical = link.get("href") if link is not None else None
    return tuple(dict.fromkeys(u.strip() for u in (url, canonical) if isinstance(u, str) and u.strip()))


def _url_day(urls: tuple[str, ...], options: Any) -> str | None:
    """htmldate's URL date (``/2020/01/13/``, ``-2020-01-13``), else a compact ``20200113`` between
    separators in the URL's path, from the page URL, then the canonical URL."""
    from htmldate import core as hc

    for url in urls:
        if day := hc.extract_url_date(url, options):
            return str(day)
    for url in urls:
        for m in _COMPACT_URL_DAY.finditer(urlsplit(url).path):
            day = f"{m['y']}-{m['m']}-{m['d']}"
            try:
                parsed = datetime.fromisoformat(day)
            except ValueError:
                continue
            if options.min <= parsed <= options.max:
                return day
    return None


def _structured_stages(view: PageView, urls: tuple[str, ...], options: Any
                       ) -> list[tuple[str, Callable[[], str | None]]]:
    from htmldate import core as hc

    tree = view.tree
    return [
        ("url", lambda: _url_day(urls, options)),
        ("meta", lambda: hc.examine_header(tree, options)),
        ("json_ld", lambda: _json_search(view, options)),
        ("abbr", lambda: hc.examine_abbr_elements(tree, options) if view.elements("abbr") else None),
    ]


def _json_search(view: PageView, options: Any) -> str | None:
    """htmldate's ``json_search`` on the view's scripts (the same scripts, in the same order)."""
    from htmldate import extractors as he

    pattern = he.JSON_PUBLISHED if options.original else he.JSON_MODIFIED
    for script in view.elements("script"):
        if script.get("type") not in _JSON_SCRIPT_TYPES:
            continue
        text = script.text
        if not text or '"date' not in text:
            continue
        result = he.pattern_search(text, pattern, options)
        if result is not None:
            return result
    return None


def _mastheads(tree: Any) -> list[Any]:
    """The masthead elements (``_MASTHEAD_CANDIDATES`` outside the article): a union of cheap tests,
    then the ancestor/descendant test on the few candidates; the same elements as one predicate
    over every element, a third faster."""
    return [el for el in _MASTHEAD_CANDIDATES(tree) if not _IN_ARTICLE(el)]


def _search_tree(tree: Any) -> Any:
    from htmldate import core as hc

    pruned = deepcopy(tree)
    try:
        pruned = hc.discard_unwanted(hc.clean_html(pruned, hc.CLEANING_LIST))
    except ValueError:  # lxml refuses NUL bytes or control characters
        return pruned
    for el in _mastheads(pruned):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return pruned


def _page_stages(search_tree: Any, options: Any) -> list[tuple[str, Callable[[], str | None]]]:
    from htmldate import core as hc

    def html() -> str:
        return hc.serialize(search_tree)

    return [
        ("markup", lambda: hc.examine_elements(hc.date_candidates(search_tree, options.extensive), options)),
        ("title", lambda: hc.examine_elements(search_tree.xpath(".//title|.//h1"), options)),
        ("time", lambda: hc.examine_time_elements(search_tree, options)),
        ("timestamp", lambda: hc.pattern_search(html(), hc.TIMESTAMP_PATTERN, options)),
        ("image_url", lambda: hc.img_search(search_tree, options)),
        ("text_pattern", lambda: hc.idiosyncrasies_search(html(), options)),
    ]


def _free_text(search_tree: Any, options: Any) -> str | None:
    """htmldate's last resort: a loose pattern (fast) or the vote over free text (extensive)."""
    from htmldate import core as hc

    if not options.extensive:
        tree = deepcopy(search_tree)
        hc.clean_html(tree, ["script", "style"])
        return hc.pattern_search(" ".join(tree.itertext()), hc.TIMESTAMP_LOOSE_PATTERN, options)
    reference = None
    for segment in hc.FREE_TEXT_EXPRESSIONS(search_tree):
        segment = segment.strip()
        if hc.MIN_SEGMENT_LEN < len(segment) < hc.MAX_SEGMENT_LEN:
            reference = hc.compare_reference(reference, segment, options)
    return hc.check_extracted_reference(reference, options) or _search_page_days(hc.serialize(search_tree), options)


def _search_page_days(htmlstring: str, options: Any) -> str | None:
    """htmldate's ``search_page`` without its guesses from a part of a date: its stages that read
    a whole day (year, month and day), with the copyright year as it uses it (a filter), but not
    the year-and-month, year-only or copyright-year answers, which it returns as the 1st of the
    month or of January: a made-up day is not a publication day (``published`` stays empty)."""
    from functools import partial

    from htmldate import core as hc

    copyear = 0
    best = hc.search_pattern(htmlstring, hc.COPYRIGHT_PATTERN, hc.YEAR_PATTERN, hc.YEAR_PATTERN, options)
    if best is not None:
        year = int(best[1])
        if hc.is_valid_date(datetime(year, 1, 1), "%Y", earliest=options.min, latest=options.max):
            copyear = year
    for pattern in hc.THREE_COMP_PATTERNS:
        if (day := hc._search_and_filter(htmlstring, pattern, hc.THREE_LOOSE_CATCH, copyear, options)) is not None:
            return str(day)
    steps = (
        lambda: hc.search_normalized(htmlstring, hc.SELECT_YMD_PATTERN, hc.SELECT_YMD_YEAR,
                                     partial(hc.normalize_match, hc.THREE_COMP_REGEX_A), copyear, options),
        lambda: hc._search_and_filter(htmlstring, hc.DATESTRINGS_PATTERN, hc.DATESTRINGS_CATCH, copyear, options),
        lambda: hc.search_normalized(htmlstring, hc.SLASHES_PATTERN, hc.SLASHES_YEAR,
                                     partial(hc.normalize_match, hc.THREE_COMP_REGEX_B), copyear, options),
    )
    for step in steps:
        if (day := step()) is not None:
            return str(day)
    return None


def _cascade(view: PageView, urls: tuple[str, ...], options: Any, found: dict[str, str | None],
             modified: str | None = None, pruned: list[Any] | None = None) -> tuple[str | None, str | None]:
    """htmldate's stages in its order: (day, stage) of the first that answers.

    The structured stages (URL, ``<meta>``, JSON-LD, ``<abbr>``) all run, so ``found`` holds
    what each said (the agreement check); a ``<meta>`` or timestamp answer that is only the
    page's modified day (htmldate's reserve) is passed over: ``modified`` is not ``published``.
    ``pruned`` keeps the pruned copy of the page for a second cascade (the stages only read it)."""
    tree = view.tree
    for name, stage in _structured_stages(view, urls, options):
        found[name] = _safe(stage)
    only_modified = bool(modified) and not _published_meta(view)
    if only_modified and found.get("meta") == modified:
        found["meta"] = None
    for name in ("url", "meta", "json_ld", "abbr"):
        if found.get(name):
            return found[name], name
    pruned = [] if pruned is None else pruned
    if not pruned:
        pruned.append(_search_tree(tree))
    search_tree = pruned[0]
    for name, stage in _page_stages(search_tree, options):
        if (day := _safe(stage)) and not (only_modified and name == "timestamp" and day == modified):
            return day, name
    day = _safe(lambda: _free_text(search_tree, options))
    return (day, "text") if day else (None, None)


def _outvoted(day: str, modified: str | None, pruned: list[Any], tree: Any, options: Any
              ) -> tuple[str, str] | None:
    """(day, ``"visible"``) when the page's visible dates outvote a ``<meta>`` or JSON-LD day:
    none of the witnesses (the first date-like element, the first ``<time>``, the modified day)
    names ``day`` and ``VOTES_AGAINST_MARKUP`` of them name one other day; else None. The caller
    has checked that the modified day is not ``day`` (then nothing can outvote it)."""
    if not pruned:
        pruned.append(_search_tree(tree))
    stages = dict(_page_stages(pruned[0], options))
    votes: list[str] = [modified] if modified else []
    for i, name in enumerate(VISIBLE_WITNESSES):
        if len(votes) + len(VISIBLE_WITNESSES) - i < VOTES_AGAINST_MARKUP:
            return None  # too few witnesses left to outvote it
        seen = _safe(stages[name])
        if seen == day:
            return None
        if seen:
            votes.append(seen)
    for other in dict.fromkeys(votes):
        if votes.count(other) >= VOTES_AGAINST_MARKUP:
            return other, "visible"
    return None


def _label_may_correct(day: str, source: str, view: PageView) -> bool:
    """Whether a labelled day is looked for: after a page-level stage (``markup`` and weaker, which
    take the first date-like element: a list of related links, a masthead's today, a "last
    change" line), or when the ``<meta>`` day was written both ways readable (``11/01/2023``:
    D/M/Y or M/D/Y)."""
    if source not in STRUCTURED_SOURCES:
        return True
    if source != "meta" or _swapped(day) is None:
        return False
    y, m, d = (int(x) for x in day.split("-"))
    for el in view.elements("meta"):
        for a, b, year in _NUMERIC_DAY.findall(el.get("content") or ""):
            if int(year) == y and {int(a), int(b)} == {m, d}:
                return True
    return False


def _swapped(day: str) -> str | None:
    """The day with day and month exchanged, when both readings are dates and differ."""
    y, m, d = day.split("-")
    return f"{y}-{d}-{m}" if m != d and int(d) <= 12 else None


def _labelled_day(search_tree: Any, options: Any) -> str | None:
    """(Strips scripts, styles and comments from ``search_tree``: call it last.) The first day the page's text labels as its publication ("Published: ...", "Erschienen am
    ...", "Publié le ..."; ``DATE_LABELS``), read by htmldate's date-expression parser from the
    few words after the label (cut at the next label, so a "last updated" date is never read
    as the published one)."""
    from htmldate.extractors import try_date_expr

    etree.strip_elements(search_tree, "script", "style", "noscript", etree.Comment, with_tail=False)
    text = " ".join(" ".join(search_tree.itertext()).split())
    labels = list(_DATE_LABEL.finditer(text))
    for i, m in enumerate(labels):
        if m.lastgroup not in ("published", "dated"):
            continue
        end = min(m.end() + _LABEL_WINDOW, labels[i + 1].start() if i + 1 < len(labels) else len(text))
        day = try_date_expr(text[m.end():end], "%Y-%m-%d", False, options.min, options.max)
        if not day and m.group().split()[0].lower() in TRAILING_PUBLISHED:
            start = max(m.start() - _LABEL_WINDOW, labels[i - 1].end() if i else 0)
            day = _last_day(text[start:m.start()], options)
        if day:
            return str(day)
    return None


def _last_day(words: str, options: Any) -> str | None:
    """The day written last in ``words`` (the shortest tail htmldate's parser reads as a day): the
    one a verb-final label follows, not an earlier one ("Aktualisiert: 05.03.2022. Am 01.03.2022
    veröffentlicht")."""
    from htmldate.extractors import try_date_expr

    tokens = words.split()
    for k in range(1, len(tokens) + 1):
        if day := try_date_expr(" ".join(tokens[-k:]), "%Y-%m-%d", False, options.min, options.max):
            return str(day)
    return None


def _published_meta(view: PageView) -> bool:
    """Whether a ``<meta>`` states a publication (not a modification) date."""
    for el in view.elements("meta"):
        key = " ".join(el.get(a) or "" for a in ("name", "property", "itemprop", "http-equiv")).lower()
        if any(w in key for w in _PUBLISHED_KEYS) and not any(w in key for w in ("modif", "updat")):
            return True
    return False


def _safe(stage: Callable[[], str | None]) -> str | None:
    try:
        day = stage()
    except Exception as exc:  # a third-party failure on one page costs that stage only
        LOGGER.debug("date stage failed: %s", exc)
        return None
    return day if isinstance(day, str) and _ISO_DAY.match(day) else None


def _confidence(source: str) -> float:
    """The measured confidence of the source's answers (``SOURCE_CONFIDENCE``)."""
    return SOURCE_CONFIDENCE.get(source, 0.5)


def _modified_values(tree: Any, view: PageView) -> list[str]:
    """What ``_MODIFIED_XPATH`` gives, in document order: from the view's ``<meta>`` elements when
    no other element (a ``<time itemprop=dateModified datetime>``) adds a value; else by the XPath."""
    marked = [el for el in view.marked if el.get("itemprop") == "dateModified"]  # MODIFIED_SELECTOR
    if any(el.tag != "meta" or el.get("datetime") is not None for el in marked):
        return [str(v) for v in _MODIFIED_XPATH(tree)]
    values = []
    for el in view.elements("meta"):
        content = el.get("content")
        if content is not None and (el.get("property") in _MODIFIED_PROPERTIES or el.get("name") in _MODIFIED_NAMES
                                    or el.get("itemprop") == "dateModified"):
            values.append(content)
    return values


def find_modified(tree: Any, latest: datetime | None = None, *, view: PageView | None = None) -> str | None:
    """The page's last-modified day from its markup (never used as the publication date)."""
    latest = latest or _latest(None)
    view = view_of(tree, view)
    values = _modified_values(tree, view)
    for text in view.ld_texts:
        values.extend(_JSON_MODIFIED.findall(text))
    for value in values:
        day = value.strip()[:10]
        if _ISO_DAY.match(day):
            try:
                parsed = datetime.fromisoformat(day)
            except ValueError:
                continue
            if EARLIEST <= parsed <= latest:
                return day
    return None


def find_dates(tree: Any, url: str | None = None, *, fetched: str | None = None,
               extensive: str = "weak", view: PageView | None = None) -> DateEvidence:
    """Publication day, its source and confidence, and the modified day, of a parsed page.

    ``extensive``: ``"never"`` (htmldate's fast mode), ``"always"`` (its extensive
    mode) or ``"weak"`` (extensive only when the fast cascade found nothing or only a
    text-level date). ``fetched`` (``YYYY-MM-DD``) bounds the dates from above; ``view``: the
    page's ``PageView`` when the caller has one.
    """
    latest = _latest(fetched)
    view = view_of(tree, view)
    urls = _page_urls(tree, url)
    found: dict[str, str | None] = {}
    pruned: list[Any] = []
    modified = _safe(lambda: find_modified(tree, latest, view=view))
    options = _options(extensive == "always", latest)
    day, source = _cascade(view, urls, options, found, modified, pruned)
    if extensive == "weak" and (source is None or source in WEAK_SOURCES):
        deep_day, deep_source = _cascade(view, urls, _options(True, latest), {}, modified, pruned)
        if deep_day:
            day, source = deep_day, deep_source
    if day and source in OUTVOTABLE and day != modified:
        day, source = _outvoted(day, modified, pruned, tree, options) or (day, source)
    if not day or (source != "visible" and _label_may_correct(day, source or "", view)):
        label = _safe(lambda: _labelled_day(pruned[0] if pruned else _search_tree(tree), options))
        if label and (not day or source not in STRUCTURED_SOURCES or label == _swapped(day)):
            day, source = label, "label"
    if not day or not source:
        return DateEvidence(modified=modified)
    return DateEvidence(day, source, _confidence(source), modified)


def _day(value: object) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or timestamp string, else None."""
    if not isinstance(value, str) or not _ISO_DAY.match(value[:10]):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def with_container(page: DateEvidence, meta: Mapping[str, object]) -> DateEvidence:
    """The item's date evidence: the page's weighed with its container's (``RawDocument.meta``:
    ``published`` and ``feed`` or not, ``updated``, ``last_modified``, ``crawled``); see the
    module docstring. Never raises; dates after the fetch day are dropped."""
    latest = _latest(_day(meta.get("crawled"))).date()

    def bounded(value: object) -> str | None:
        day = _day(value)
        return day if day and EARLIEST.date() <= date.fromisoformat(day) <= latest else None

    header = bounded(meta.get("last_modified"))
    modified = page.modified or header
    stated = bounded(meta.get("published"))
    if stated:
        source = "feed" if "feed" in meta else "record"
        agree = page.published == stated
        confidence = round(min(0.99, SOURCE_CONFIDENCE[source] + AGREEMENT_BONUS), 2) if agree \
            else SOURCE_CONFIDENCE[source]
        return DateEvidence(stated, source, confidence, modified)
    updated = bounded(meta.get("updated"))
    if updated and (not page.published or (page.confidence or 0.0) < SOURCE_CONFIDENCE["feed_updated"]):
        return DateEvidence(updated, "feed_updated", SOURCE_CONFIDENCE["feed_updated"], modified)
    if page.published:
        return DateEvidence(page.published, page.source, page.confidence, modified)
    crawled = _day(meta.get("crawled"))
    if header and crawled and header < crawled:
        return DateEvidence(header, "http_header", SOURCE_CONFIDENCE["http_header"], modified)
    return DateEvidence(modified=modified)
