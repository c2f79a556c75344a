"""Pydantic response models: the OpenAPI description of every JSON endpoint.

Field names and shapes are exactly those of the store's row dataclasses
(``dataclasses.asdict``) and of ``Article.as_dict()``, i.e. what the CLI's
``--json`` prints, so one serialiser serves both.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    ok: bool = False
    error: str
    errors: list[Any]
    code: str
    status: int


#: What ``published_source`` is documented as, in every model that carries it.
_DATE_SOURCE = ("which evidence gave `published`: json_ld, meta, url, time, markup, text, feed, record ... "
                "(null: not recorded, as for articles stored before schema 13)")
_DATE_CONFIDENCE = "how far to trust that evidence, 0..1 (null: not recorded)"


class ArticleRowOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    n_chars: int
    n_sources: int
    added_at: str
    published_source: str | None = Field(None, description=_DATE_SOURCE)
    published_confidence: float | None = Field(None, description=_DATE_CONFIDENCE)


class ArticlesOut(BaseModel):
    total: int = Field(description="articles the filters match (over every page)")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page (relative), null on the last one")
    articles: list[ArticleRowOut]


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class EntitySpanOut(SpanOut):
    entity: str | None


class ContentOut(SpanOut):
    spans: list[list[int]] | None = Field(None, description="fragments of a discontinuous statement")


class AttributionOut(BaseModel):
    kind: str
    source: EntitySpanOut | None
    cue: SpanOut | None
    content: ContentOut
    via: EntitySpanOut | None
    confidence: float = Field(description="probability that source, cue and content are right")
    statement: bool = Field(True, description="something a source stated (not a belief, intention, finding ...)")
    negated: bool = Field(False, description="a negated cue: a record of something not said")
    frame: str | None = Field(None, description="where the content was found: quote, clause, according ...")
    category: str | None = Field(None, description="the cue's lexicon category: speech, belief ...")


class AnalysisStatusOut(BaseModel):
    status: str = Field(description="analysed | not_analysed")
    language: str | None = Field(description="the language analysed; for not_analysed, the article's")
    pipeline: str | None = Field(description="model name and version, when analysed")
    code: str | None = Field(description="why not analysed: analyze.no_pipeline, analyze.empty, analyze.failed, "
                                         "analyze.skipped (--no-analyze), analyze.not_run")
    reason: str | None = Field(description="why not analysed, one line (\"no pipeline for ru\")")


class EntityOut(BaseModel):
    id: str
    name: str
    type: str
    mentions: list[SpanOut]


class ArticleEventOut(BaseModel):
    type: str
    trigger: SpanOut
    actor: EntitySpanOut | None
    target: EntitySpanOut | None
    negated: bool
    modality: str
    date: str | None
    location: EntitySpanOut | None
    attribution: int | None
    timing: str = Field("new", description="new (reported as happening now), background (recalled) or future")
    date_from: str | None = Field(None, description="explicit | relative | article (the article's date applies) | "
                                                     "null (background or future, no date of its own)")
    object: SpanOut | None = Field(None, description="what the event is about when a thing, not a party "
                                                     "(the proposal rejected, the action requested); never an entity")
    same_as: int | None = Field(None, description="index of the earlier event of this article this mention "
                                                  "refers back to ('the explosion'): one event told twice")


class RemovedOut(BaseModel):
    kind: str
    text: str


class SourceOut(BaseModel):
    source: str
    url: str | None
    added_at: str


class StoryOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    similarity: float = Field(description="estimated Jaccard of word 5-grams (0.5 .. 1)")


class ArticleOut(BaseModel):
    source: str
    url: str | None
    id: str
    title: str | None
    outlet: str | None
    section: str | None = Field(None, description="the outlet's section the page declares (article:section, "
                                                  "JSON-LD articleSection, a breadcrumb); None: none found or not recorded")
    authors: list[str] = Field(description="people only; organisations and wire services are `credits`")
    published: str | None
    published_source: str | None = Field(None, description=_DATE_SOURCE)
    published_confidence: float | None = Field(None, description=_DATE_CONFIDENCE)
    modified: str | None = Field(None, description="the page's last-modified day, never used as `published`")
    credits: list[dict[str, str]] = Field(default_factory=list,
                                          description='organisations and wire services the byline names, one '
                                                      '{kind: name} each: [{"wire": "AP"}]')
    language: str | None
    page_kind: str | None = Field(None, description="what the page was: article or live_blog (None: not recorded)")
    text: str
    headings: list[dict[str, int]] = Field(default_factory=list,
                                           description='the sub-heads, as character spans of `text`: '
                                                       '[{"start": 120, "end": 141}]')
    removed: list[RemovedOut]
    entities: list[EntityOut]
    attributions: list[AttributionOut]
    events: list[ArticleEventOut]
    analysis: AnalysisStatusOut = Field(description="whether the analysis fields were filled, and if not, why")
    sources: list[SourceOut]
    added_at: str
    same_story: list[StoryOut] = Field(description="other articles with nearly the same text, most similar first")


class SearchHitOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str = Field(description="matched terms wrapped in [ ]")
    score: float = Field(description="BM25, higher is better")
    language: str | None = None


class FacetCountOut(BaseModel):
    value: str = Field(description="an outlet, a language or a month (YYYY-MM); (none) / (undated) when missing")
    n: int


class SearchFacetsOut(BaseModel):
    total: int = Field(description="articles the query matches")
    matching: int = Field(description="matches that pass the filters, read with them (the hits are the best of the"
                                      " newest `counted` of them; an estimate when matching_about)")
    outlet: list[FacetCountOut] = Field(description="matches per outlet (under the other filters), most first")
    language: list[FacetCountOut] = Field(description="matches per language (under the other filters), most first")
    month: list[FacetCountOut] = Field(description="matches per month (under the other filters), newest first")
    about: bool = Field(False, description="the query matched more than a search looks at: total is an estimate,"
                                           " the rest counts (and the hits) are over the newest `counted` matches")
    counted: int = Field(0, description="matches counted here: total, unless about")
    matching_about: bool = Field(False, description="more matches pass the filters than a search looks at:"
                                                    " matching is an estimate")


class SearchOut(BaseModel):
    query: str
    limit: int
    offset: int
    outlet: str | None = None
    language: str | None = None
    month: str | None = None
    facets: SearchFacetsOut | None = Field(None, description="with facets=true: counts over the newest 1,000 matches"
                                                           " without the filters (about: there are more), and how"
                                                           " many pass the filters (matching)")
    next: str | None = Field(description="URL of the next page (relative), null on the last one")
    hits: list[SearchHitOut]


class QuoteOut(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    kind: str
    speaker: str | None
    source_text: str | None
    cue_text: str | None
    content_text: str
    content_start: int
    content_end: int
    via: str | None
    idx: int = Field(description="position among the article's attributions (its page's #a-<idx> anchor)")
    confidence: float = Field(description="probability that source, cue and content are right")
    statement: bool
    negated: bool
    frame: str | None
    category: str | None


class QuotesOut(BaseModel):
    limit: int
    offset: int
    next: str | None
    total: int = Field(description="attributions all the filters match (over every page)")
    hidden: int = Field(description="attributions the other filters match that kind and min_confidence hide")
    below_confidence: int = Field(description="of the hidden, those of the kinds asked for, below min_confidence")
    other_kinds: int = Field(description="of the hidden, those of other kinds")
    kinds: list[str] = Field(description="the kinds listed")
    min_confidence: float = Field(description="the least confidence listed")
    quotes: list[QuoteOut]


class ActorOut(BaseModel):
    key: str
    name: str
    type: str
    aliases: list[str]
    n_articles: int
    n_mentions: int


class EntitiesOut(BaseModel):
    total: int = Field(description="actors the filters match (over every page)")
    limit: int
    offset: int
    next: str | None
    entities: list[ActorOut]


class ActorArticleOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    name_here: str
    n_mentions: int


class EventOut(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    type: str
    trigger: str
    actor: str | None
    target: str | None
    negated: bool
    modality: str
    date: str | None
    location: str | None
    trigger_start: int
    trigger_end: int
    actor_linked: bool = Field(False, description="the actor is a registry entity (has a page); else text as written")
    target_linked: bool = Field(False, description="the target is a registry entity (has a page); else text as written")
    timing: str = Field("new", description="new (reported as happening now), background (recalled) or future")
    object: str | None = Field(None, description="what the event is about when a thing, not a party; never an entity")


class EventsOut(BaseModel):
    total: int = Field(description="events the filters match (over every page)")
    limit: int
    offset: int
    next: str | None
    events: list[EventOut]


class CoActorOut(BaseModel):
    key: str
    name: str
    type: str
    n_articles: int = Field(description="articles shared, among the actor's newest ones read")


class ActorWeekOut(BaseModel):
    week_start: str = Field(description="Monday of the ISO week, YYYY-MM-DD")
    articles: int
    mentions: int
    quotes_by: int


class ActorDetailOut(BaseModel):
    actor: ActorOut
    articles: list[ActorArticleOut]
    quotes_by: list[QuoteOut]
    quotes_about: list[QuoteOut]
    events_as_actor: list[EventOut]
    events_as_target: list[EventOut]
    co_occurring: list[CoActorOut]
    timeline: list[ActorWeekOut] = Field(description="every dated week, over the whole store")


class DyadWeekOut(BaseModel):
    week: str
    a_to_b: dict[str, int]
    b_to_a: dict[str, int]
    score_a_to_b: float = Field(description="mean event score that week, -10..+10 (negated events left out)")
    score_b_to_a: float = Field(description="mean event score that week, -10..+10 (negated events left out)")
    reported_a_to_b: int
    reported_b_to_a: int


class DyadOut(BaseModel):
    a: str
    b: str
    undated: int
    weeks: list[DyadWeekOut]
    by_type: dict[str, int]
    n_a_to_b: int = Field(description="all events a → b (the weeks count them all)")
    n_b_to_a: int
    a_to_b: list[EventOut] = Field(description="the newest `limit` events a → b")
    b_to_a: list[EventOut]


class FailureOut(BaseModel):
    run_id: int
    source: str
    code: str
    message: str = Field(description="the whole log line: the reason, and what a refused page was")
    at: str
    reason: str = Field(description="the failure's own one-line reason")
    kind: str | None = Field(None, description="a page refused as not an article: what it was (index, paywall, "
                                               "consent_or_bot_wall, error_page, other ...)")
    title: str | None = Field(None, description="the refused page's title")
    url: str | None = Field(None, description="the refused page's URL")
    published: str | None = Field(None, description="the refused page's day, when it gave one")


class FailuresOut(BaseModel):
    failures: list[FailureOut]


class SpeakerOut(BaseModel):
    key: str
    name: str
    type: str
    n_quotes: int = Field(description="attributions whose resolved source is one of the actor's names")


class NotAnalysedOut(BaseModel):
    code: str
    language: str | None
    n: int


class AnalysisCountsOut(BaseModel):
    articles: int
    analysed: int
    not_analysed: int
    reasons: list[NotAnalysedOut] = Field(description="not analysed articles per reason code and language, most first")


class LanguageCountOut(BaseModel):
    language: str = Field(description="ISO 639-1 code, or unknown")
    n: int


class SummaryOut(BaseModel):
    articles: int
    analysis: AnalysisCountsOut
    statements: int = Field(description="attributions the quote views list by default (statements, not negated, "
                                        "confidence at least the server's quote_threshold)")
    attributions: int = Field(description="every attribution, of any kind and confidence")
    events: int
    actors: int = Field(description="people, organisations and places of the actor registry")
    languages: list[LanguageCountOut] = Field(description="articles per language, most first")
    first_published: str | None = Field(description="the earliest day an article was published (YYYY-MM-DD)")
    last_published: str | None
    undated: int = Field(description="articles without a publication date")
    recent: list[ArticleRowOut]
    top_speakers: list[SpeakerOut]
    top_actors: list[ActorOut]
    failures: list[FailureOut]


class IngestIn(BaseModel):
    sources: list[str] = Field(default_factory=list, description="http(s) URLs of pages or feeds")
    text: str | None = Field(None, description="one raw document (HTML or plain text)")
    analyze: bool = True


class IngestOut(BaseModel):
    ok: bool = True
    ingested: int
    new_sources: int
    duplicates: int
    skipped: int
    failed: int
    failed_by_code: dict[str, int]


# --------------------------------------------------------------------------- feeds and alerts (issue 15)


class FeedOut(BaseModel):
    url: str
    title: str | None
    added_at: str
    etag: str | None
    last_modified: str | None
    next_poll_at: str | None = Field(description="null: due now")
    last_poll_at: str | None
    last_success_at: str | None
    last_error_at: str | None
    last_error_code: str | None
    last_error: str | None = Field(description="the last error's reason")
    errors_in_a_row: int
    items_seen: int
    items_ingested: int
    status: str = Field(description="new (never polled), failing (its last poll failed) or ok")
    items_per_day: float = Field(description="articles stored from it per day over the last 7 days")
    median_delay_s: float | None = Field(description="median seconds from an entry's date to its storing")


class FeedsOut(BaseModel):
    total: int
    feeds: list[FeedOut]


class AlertHitOut(BaseModel):
    kind: str = Field(description="article, attribution, event or story")
    ref: str
    article_id: str
    created_at: str
    title: str
    article_title: str | None
    href: str = Field(description="the article page with the quote or event anchored")
    delivery: str | None = Field(description="its webhook POST: null (no webhook), pending, delivered, failed")
    attempts: int
    last_error: str | None


class AlertDeliveryOut(BaseModel):
    webhook: str = Field(description="scheme and host only: the path may hold a credential")
    of_newest: int
    delivered: int
    pending: int
    failed: int
    last_error: str | None
    last_error_ref: str | None


class AlertOut(BaseModel):
    name: str
    filters: dict[str, Any]
    matches: str = Field(description="what a hit is: article, attribution, event or story")
    created_at: str
    last_seq: int
    atom: str = Field(description="the alert's Atom feed")
    href: str
    delivery: AlertDeliveryOut | None
    hits: list[AlertHitOut]
    more_hits: bool


class AlertsOut(BaseModel):
    total: int
    alerts: list[AlertOut]
