"""The store's rows: what reads return and the vocabularies their filters take.

Plain frozen dataclasses, the same for every backend (``newsgraph.store.sqlite`` today,
PostgreSQL next): a backend maps its columns to these by name, services and views read
them, and nothing here knows SQL. ``newsgraph.store`` re-exports every name, so
``from newsgraph.store import ArticleRow`` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from newsgraph.types import Article, Failure

#: ``analysed``: the article was stored before without analysis, and its analysis was added now.
AddResult = Literal["new", "new_source", "duplicate", "analysed"]


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: str
    url: str | None
    added_at: str


@dataclass(frozen=True, slots=True)
class StoredArticle:
    article: Article
    sources: tuple[SourceRow, ...]
    added_at: str


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of ``newsgraph articles``: metadata, no body; the date with its evidence
    (``Article.published_source`` and ``published_confidence``; None when not recorded)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    n_chars: int
    n_sources: int
    added_at: str
    published_source: str | None = None
    published_confidence: float | None = None


#: How views name a date's evidence (``Article.published_source``; the keys of
#: ``newsgraph.extract.dates.SOURCE_CONFIDENCE``); an unknown key is shown as it is.
DATE_SOURCES = {
    "record": "the JSON record", "feed": "the feed entry", "url": "the URL", "json_ld": "JSON-LD",
    "meta": "meta tags", "abbr": "an <abbr> date", "markup": "date markup", "time": "a <time> element",
    "title": "the title", "timestamp": "a timestamp", "image_url": "an image URL",
    "text_pattern": "a date in the text", "text": "the text", "label": "a labelled date",
    "visible": "the page's shown dates", "feed_updated": "the feed entry's update",
    "http_header": "the Last-Modified header",
}


def describe_evidence(source: str | None, confidence: float | None) -> str:
    """``from JSON-LD, confidence 0.97``; empty when the evidence was not recorded."""
    if not source:
        return ""
    said = f"from {DATE_SOURCES.get(source, source)}"
    return said if confidence is None else f"{said}, confidence {confidence:.2f}"


def describe_published(published: str | None, source: str | None, confidence: float | None) -> str:
    """``2026-03-02 · from JSON-LD, confidence 0.97``: the date and what it rests on (only the date
    when its evidence was not recorded; empty without a date)."""
    if not published:
        return ""
    evidence = describe_evidence(source, confidence)
    return f"{published} · {evidence}" if evidence else published


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str  # matched terms wrapped in [ ] by default
    score: float  # BM25, higher is better
    language: str | None = None


#: The facet value of articles without an outlet or a language (``Store.search_facets``);
#: as a search filter, it selects them.
NO_VALUE = "(none)"
#: The month facet value of articles without a publication month; as a filter, it selects them.
UNDATED = "(undated)"


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str  # an outlet, a language or a month (YYYY-MM); NO_VALUE / UNDATED for articles without one
    n: int


@dataclass(frozen=True, slots=True)
class SearchFacets:
    """How the articles a search matches spread over outlets, languages and months (``Store.search_facets``).

    Counted over the matches a search looks at without its filters (its newest ``config.SEARCH_BOUND``),
    not over one page. Each facet counts those that pass the *other* facets' filters (with no filters,
    all three count them all); ``matching`` is read with the filters, so it reaches past them.
    """

    total: int  # articles the query matches (an estimate when ``about``)
    #: Matches that pass all the filters given, read with the filters (an estimate when ``matching_about``);
    #: the hits are the best of the newest ``min(matching, counted)`` of them.
    matching: int
    outlet: tuple[FacetCount, ...]  # most matches first
    language: tuple[FacetCount, ...]  # most matches first
    month: tuple[FacetCount, ...]  # newest first, UNDATED last
    #: The query matched more than a search looks at (``config.SEARCH_BOUND``): the facets are over the
    #: newest ``counted`` matches, and ``total`` is estimated from them.
    about: bool = False
    counted: int = 0  # matches the facets count: ``total`` unless ``about``
    #: More matches pass the filters than a search looks at: ``matching`` is estimated.
    matching_about: bool = False


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One attribution with its article's metadata (``newsgraph quotes``)."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    kind: str
    speaker: str | None  # the canonical entity, else the source text as written
    source_text: str | None
    cue_text: str | None
    content_text: str
    content_start: int
    content_end: int
    via: str | None
    idx: int  # its position in the article's attributions (the article page's ``#a-<idx>`` anchor)
    confidence: float = 1.0  # probability that source, cue and content are right
    statement: bool = True  # something a source stated (not a belief, intention, finding ...)
    negated: bool = False  # a negated cue: "declined to say"
    frame: str | None = None  # where the content was found (quote, clause, according ...)
    category: str | None = None  # the cue's lexicon category (speech, belief ...)


#: What sort of attributions a quote listing selects (``Store.quotes(kinds=...)``; several are OR-ed):
#:
#: * ``statement``: statements whose cue is not negated: what views show by default;
#: * ``direct``, ``indirect``, ``mixed``: such statements, of that quote kind only;
#: * ``negated``: records of something *not* said ("declined to say", "have not said");
#: * ``other``: not statements (beliefs, intentions, evaluations, findings), not negated;
#: * ``all``: every attribution.
#:
#: ``statement``, ``negated`` and ``other`` split all attributions in three.
QUOTE_KINDS = ("statement", "direct", "indirect", "mixed", "negated", "other", "all")
#: What views list unless told otherwise (with ``Settings.quote_threshold`` as the least confidence).
DEFAULT_QUOTE_KINDS = ("statement",)


@dataclass(frozen=True, slots=True)
class QuoteCounts:
    """How many attributions a quote listing's filters match (``Store.quote_counts``).

    ``shown`` pass every filter; of the others (which pass speaker, topic, outlet and date),
    ``below_confidence`` pass the kinds but not the least confidence, ``other_kinds`` are not
    of the kinds asked for. ``hidden`` is their sum.
    """

    shown: int
    below_confidence: int
    other_kinds: int

    @property
    def hidden(self) -> int:
        return self.below_confidence + self.other_kinds

    def as_dict(self) -> dict[str, int]:
        return {"total": self.shown, "hidden": self.hidden, "below_confidence": self.below_confidence,
                "other_kinds": self.other_kinds}


@dataclass(frozen=True, slots=True)
class NotAnalysedCount:
    code: str  # analyze.no_pipeline, analyze.skipped, analyze.failed ...
    language: str | None  # the article's language (for analyze.no_pipeline: the one without a pipeline)
    n: int


@dataclass(frozen=True, slots=True)
class AnalysisCounts:
    """How many stored articles were analysed, and why the others were not (``Store.analysis_counts``)."""

    articles: int
    analysed: int
    not_analysed: int
    reasons: tuple[NotAnalysedCount, ...]  # most first


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One actor of the cross-article registry (``newsgraph entities``)."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...]
    n_articles: int
    n_mentions: int


@dataclass(frozen=True, slots=True)
class ActorArticle:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    name_here: str  # what this article calls the actor
    n_mentions: int


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event with its article's metadata (``newsgraph events``)."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    type: str
    trigger: str
    actor: str | None  # canonical entity, else the text as written
    target: str | None
    negated: bool
    modality: str
    date: str | None  # the event's date, else None
    location: str | None
    trigger_start: int
    trigger_end: int
    actor_linked: bool = False  # the actor is an entity of the registry (has a page), not text as written
    target_linked: bool = False
    timing: str = "new"  # new | background | future (types.Event.timing)
    object: str | None = None  # what the event is about when a thing ("the proposal"), never an entity


@dataclass(frozen=True, slots=True)
class EventTally:
    """The events of one PLOVER type in one ISO week (a dyad's weekly table is built from these)."""

    week_start: str | None  # Monday (YYYY-MM-DD) of the week of the event's date, else its article's; None if unknown
    type: str
    n: int
    negated: int  # how many of the n were negated
    planned: int  # not negated, modality planned
    conditional: int  # not negated, modality conditional
    reported: int  # modality reported (inside someone's statement)


@dataclass(frozen=True, slots=True)
class ActorWeek:
    """One ISO week of an actor's timeline (``Store.actor_timeline``)."""

    week_start: str  # its Monday, YYYY-MM-DD
    articles: int
    mentions: int
    quotes_by: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """Another article with (nearly) the same text (``Store.same_story``)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    similarity: float  # estimated Jaccard of word 5-grams, 0.5 .. 1.0


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    """An actor and how many attributions name one of its names as the source (``Store.top_speakers``)."""

    key: str
    name: str
    type: str
    n_quotes: int


@dataclass(frozen=True, slots=True)
class CoActor:
    """An actor named in the same articles as another (``Store.co_actors``)."""

    key: str
    name: str
    type: str
    n_articles: int  # shared articles, among the ones read


@dataclass(frozen=True, slots=True)
class ActorDetail:
    """Everything about one actor (``newsgraph entity NAME``)."""

    actor: ActorRow
    articles: tuple[ActorArticle, ...]
    quotes_by: tuple[QuoteRow, ...]
    quotes_about: tuple[QuoteRow, ...]
    events_as_actor: tuple[EventRow, ...] = ()
    events_as_target: tuple[EventRow, ...] = ()


@dataclass(frozen=True, slots=True)
class RunRow:
    """One ingest run (``newsgraph runs``)."""

    id: int
    started_at: str
    finished_at: str | None
    status: str  # running | finished | interrupted
    argv: tuple[str, ...]
    counts: dict[str, int]
    n_failures: int


@dataclass(frozen=True, slots=True)
class FailureRow:
    """One line of the ingest log (``newsgraph failures``).

    ``reason`` is the failure's own one-line reason; ``message`` the whole log line, which adds
    what a refused page was (``Failure.described``). A page refused as not an article keeps its
    ``kind`` (``newsgraph.extract.page_kinds``: index, paywall, ...), ``title``, ``url`` and day
    (``published``); None for other failures and for rows logged before schema 13.
    """

    run_id: int
    source: str
    code: str
    message: str
    at: str
    reason: str
    kind: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None


def failure_row(run_id: int, source: str, code: str, reason: str, at: str, kind: str | None = None,
                title: str | None = None, url: str | None = None, published: str | None = None) -> FailureRow:
    """A ``FailureRow`` from a log line's columns: ``message`` is the whole line (``Failure.described``)."""
    message = Failure(source, code, reason, kind, title, url, published).described()
    return FailureRow(run_id, source, code, message, at, reason, kind, title, url, published)
