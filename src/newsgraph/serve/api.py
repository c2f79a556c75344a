"""JSON API under ``/api/``. Each endpoint calls one Store method (or a ``serve.queries``
function) and serialises the rows as ``dataclasses.asdict`` would (``plain``): the same shape the CLI's
``--json`` prints. Response models (``serve.models``) describe it in ``/openapi.json``.
"""

from __future__ import annotations

import functools
import hmac
import io
import time
from dataclasses import fields, is_dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from newsgraph.config import QUOTE_THRESHOLD
from newsgraph.serve import models as m
from newsgraph.serve.errors import HTTPError
from newsgraph.store import DEFAULT_QUOTE_KINDS, QUOTE_KINDS, Store

router = APIRouter(prefix="/api", tags=["api"])

MAX_LIMIT = 500
#: Seconds the home-page aggregates are reused (``/`` and ``/api/summary``).
SUMMARY_TTL = 15.0


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
#: Dates are YYYY-MM-DD and nothing else (``newsgraph.days``): ``0`` is not 1970-01-01, and
#: 9999-12-31 is a valid (open) end.
Since = Annotated[str | None, Query(description="YYYY-MM-DD, inclusive", max_length=10,
                                    pattern=r"^\d{4}-\d{2}-\d{2}$")]
Until = Annotated[str | None, Query(description="YYYY-MM-DD, inclusive", max_length=10,
                                    pattern=r"^\d{4}-\d{2}-\d{2}$")]


def _text(value: str | None, name: str, max_len: int = 500) -> str | None:
    """Strip; empty means absent; refuse NUL and absurd lengths (400, not a store error)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if "\x00" in value:
        raise HTTPError(400, f"bad value for {name}: it contains a NUL character", code="serve.bad_param")
    if len(value) > max_len:
        raise HTTPError(400, too_long(name, len(value), max_len), code="serve.bad_param")
    return value


def too_long(name: str, n: int, max_len: int) -> str:
    """A value over its length limit, in plain words."""
    return f"{name} is {n:,} characters long; the limit is {max_len:,}. Shorten it and try again."


def relative_url(request: Request, **changes: Any) -> str:
    """This request's path and query with ``changes`` applied (None drops a parameter), as a
    relative URL: links never take a scheme or host from the request (its ``Host`` header is
    whatever the client sent)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    query += [(k, str(v)) for k, v in changes.items() if v is not None]
    path = "/" + quote(request.scope.get("root_path", "") + request.scope["path"]).lstrip("/")
    return path + ("?" + urlencode(query) if query else "")


def next_url(request: Request, n_rows: int, limit: int, offset: int) -> str | None:
    if n_rows < limit:
        return None
    return relative_url(request, offset=offset + limit)


def day(value: str | None, name: str) -> str | None:
    """A ``since``/``until`` value checked at the edge (``newsgraph.days.parse_day``): 400 otherwise."""
    from newsgraph.days import parse_day

    value = _text(value, name, 20)
    if value is None:
        return None
    try:
        return parse_day(value, name)
    except ValueError as exc:
        raise HTTPError(400, str(exc), code="serve.bad_param") from None


def plain(obj: Any) -> Any:
    """``dataclasses.asdict`` for the store's rows (scalars, tuples, nested rows), without
    its deep copies: a 400-row dyad took ~20 ms in ``asdict`` alone."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f: plain(getattr(obj, f)) for f in _field_names(type(obj))}
    if isinstance(obj, (list, tuple)):
        return [plain(x) for x in obj]
    return obj


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def rows(items: Any) -> list[dict[str, Any]]:
    return [plain(r) for r in items]


def article_json(stored: Any) -> dict[str, Any]:
    d = stored.article.as_dict()
    d["sources"] = rows(stored.sources)
    d["added_at"] = stored.added_at
    return d


@router.get("/articles", response_model=m.ArticlesOut, summary="List articles, newest first")
def api_articles(request: Request, store: StoreDep, limit: Limit = 50, offset: Offset = 0,
                 outlet: str | None = None, language: str | None = None, since: Since = None,
                 until: Until = None) -> JSONResponse:
    f = {"outlet": _text(outlet, "outlet"), "language": _text(language, "language", 20),
         "since": day(since, "since"), "until": day(until, "until")}
    found = store.list_articles(limit=limit, offset=offset, **f)
    return JSONResponse({"total": store.count_articles(**f), "limit": limit, "offset": offset,
                         "next": next_url(request, len(found), limit, offset), "articles": rows(found)})


@router.get("/articles/{article_id}", response_model=m.ArticleOut,
            summary="One article (full id or a unique prefix of 4+ hex digits), with the same story elsewhere")
def api_article(store: StoreDep, article_id: Annotated[str, Path(max_length=64)]) -> JSONResponse:
    stored = store.get_article(article_id)
    return JSONResponse(article_json(stored) | {"same_story": rows(store.same_story(stored.article.id))})


#: Deepest page of a search: a search ranks its newest config.SEARCH_BOUND matches, so pages
#: past them are empty; nobody reads past this anyway.
MAX_SEARCH_OFFSET = 10_000
Month = Annotated[str | None, Query(max_length=20, description="YYYY-MM, or (undated)")]


def search_filters(outlet: str | None, language: str | None, month: str | None) -> dict[str, str | None]:
    """The search filters as the store takes them (``(none)``/``(undated)`` select articles without one)."""
    return {"outlet": _text(outlet, "outlet"), "language": _text(language, "language", 20),
            "month": _text(month, "month", 20)}


@router.get("/search", response_model=m.SearchOut,
            summary="Full-text search (BM25, FTS5 syntax), optionally within one outlet, language, month")
def api_search(request: Request, store: StoreDep,
               q: Annotated[str, Query(min_length=1, max_length=500, description="FTS5 query; plain words work")],
               limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
               offset: Annotated[int, Query(ge=0, le=MAX_SEARCH_OFFSET, description="rows to skip")] = 0,
               outlet: Annotated[str | None, Query(description="only this outlet; (none): articles without one")]
               = None,
               language: Annotated[str | None, Query(description="only this language; (none): without one")]
               = None,
               month: Month = None,
               facets: Annotated[bool, Query(description="also count the matches by outlet, language, month"
                                                  " (the newest config.SEARCH_BOUND without the filters; about:"
                                                  " there are more) and those passing the filters (matching)")]
               = False) -> JSONResponse:
    f = search_filters(outlet, language, month)
    body: dict[str, Any] = {"query": q, "limit": limit, "offset": offset, **f}
    counts, hits = store.search_page(q, limit=limit, offset=offset, **f)
    if facets:
        body["facets"] = plain(counts)
    return JSONResponse(body | {"next": next_url(request, len(hits), limit, offset), "hits": rows(hits)})


QuoteKind = Literal["statement", "direct", "indirect", "mixed", "negated", "other", "all"]
Kinds = Annotated[list[QuoteKind] | None, Query(
    max_length=len(QUOTE_KINDS),
    description="what to list (repeat to combine): statement = statements whose cue is not negated (the "
                "default); direct, indirect, mixed = such statements of that quote kind; negated = records of "
                "something not said (\"declined to say\"); other = not statements (beliefs, intentions, "
                "findings); all = every attribution")]
MinConfidence = Annotated[float | None, Query(
    ge=0, le=1, description="least confidence (probability that source, cue and content are right), "
                            "inclusive; default: the server's quote_threshold (0.5)")]
ShowAll = Annotated[bool, Query(alias="all", description="every attribution: kind=all, min_confidence=0")]


def quote_selection(request: Request, kind: list[str] | None, min_confidence: float | None,
                    show_all: bool) -> tuple[tuple[str, ...], float]:
    """``(kinds, least confidence)`` a quote listing uses: the ones asked for, else statements that are
    not negated and clear the server's ``quote_threshold``; ``all`` lists everything."""
    if show_all:
        return ("all",), 0.0
    threshold = getattr(request.app.state, "quote_threshold", QUOTE_THRESHOLD)
    return tuple(kind or DEFAULT_QUOTE_KINDS), threshold if min_confidence is None else float(min_confidence)


@router.get("/quotes", response_model=m.QuotesOut, summary="Attributions (who said what), newest first")
def api_quotes(request: Request, store: StoreDep,
               speaker: Annotated[str | None, Query(description="part of the speaker's name")] = None,
               about: Annotated[str | None, Query(description="words in what was said (FTS5)")] = None,
               outlet: str | None = None, since: Since = None, until: Until = None, kind: Kinds = None,
               min_confidence: MinConfidence = None, show_all: ShowAll = False, limit: Limit = 50,
               offset: Offset = 0) -> JSONResponse:
    kinds, least = quote_selection(request, kind, min_confidence, show_all)
    f = {"speaker": _text(speaker, "speaker"), "about": _text(about, "about"), "outlet": _text(outlet, "outlet"),
         "since": day(since, "since"), "until": day(until, "until"), "kinds": kinds, "min_confidence": least}
    found = store.quotes(**f, limit=limit, offset=offset)
    counts = store.quote_counts(**f)
    return JSONResponse({"limit": limit, "offset": offset, "next": next_url(request, len(found), limit, offset),
                         **counts.as_dict(), "kinds": list(kinds), "min_confidence": least, "quotes": rows(found)})


#: The most rows one CSV download of quotes gives (past it: ``newsgraph export``, or page with offset).
MAX_CSV_ROWS = 10_000
#: The CSV's columns: a quote's fields, then the link to it (``url``: the article page's anchor).
CSV_COLUMNS = ("published", "outlet", "title", "speaker", "source_text", "cue_text", "content_text", "kind",
               "confidence", "statement", "negated", "via", "article_id", "idx")


def quotes_csv(request: Request, store: StoreDep,
                   speaker: Annotated[str | None, Query(description="part of the speaker's name")] = None,
                   about: Annotated[str | None, Query(description="words in what was said (FTS5)")] = None,
                   outlet: str | None = None, since: Since = None, until: Until = None, kind: Kinds = None,
                   min_confidence: MinConfidence = None, show_all: ShowAll = False,
                   limit: Annotated[int, Query(ge=1, le=MAX_CSV_ROWS)] = MAX_CSV_ROWS,
                   offset: Offset = 0) -> Response:
    """``/quotes.csv`` (a page route: the API's spec describes JSON only): the attributions
    ``/api/quotes`` lists with the same parameters, as CSV for a spreadsheet (``CSV_COLUMNS``), up
    to ``MAX_CSV_ROWS``."""
    import csv

    kinds, least = quote_selection(request, kind, min_confidence, show_all)
    found = store.quotes(speaker=_text(speaker, "speaker"), about=_text(about, "about"), outlet=_text(outlet, "outlet"),
                         since=day(since, "since"), until=day(until, "until"), kinds=kinds, min_confidence=least,
                         limit=limit, offset=offset)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in found:
        writer.writerow(["" if (v := getattr(q, c)) is None else v for c in CSV_COLUMNS])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="quotes.csv"'})


@router.get("/entities", response_model=m.EntitiesOut, summary="The actor registry, most covered first")
def api_entities(request: Request, store: StoreDep,
                 type: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, GPE ...")] = None,
                 search: Annotated[str | None, Query(description="part of any of the actor's names")] = None,
                 limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    f = {"type": _text(type, "type", 20), "search": _text(search, "search")}
    found = store.actors(**f, limit=limit, offset=offset)
    return JSONResponse({"total": store.count_actors(**f), "limit": limit, "offset": offset, "next": next_url(request, len(found), limit, offset),
                         "entities": rows(found)})


#: How many of each direction's newest events a dyad lists by default (the weekly table counts all).
DYAD_EVENTS = 50
#: How many of an actor's newest articles are read to find co-occurring actors.
COOCCUR_ARTICLES = 30


@router.get("/entities/{name:path}", response_model=m.ActorDetailOut,
            summary="One actor (any alias or its key): articles, quotes by/about, events, co-occurring actors,"
                    " weekly timeline")
def api_entity(store: StoreDep, name: str,
               limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50) -> JSONResponse:
    name = _text(name, "name") or ""
    if not name:
        raise HTTPError(400, "empty actor name", code="serve.bad_param")
    detail = store.actor(name, limit=limit)
    co = store.co_actors(detail.actor.key, articles=COOCCUR_ARTICLES)
    return JSONResponse(plain(detail) | {"co_occurring": rows(co), "timeline": rows(store.actor_timeline(detail.actor.key))})


@router.get("/events", response_model=m.EventsOut, summary="Events (PLOVER), newest first")
def api_events(request: Request, store: StoreDep,
               actor: Annotated[str | None, Query(description="part of the actor's name")] = None,
               target: Annotated[str | None, Query(description="part of the target's name")] = None,
               type: Annotated[str | None, Query(max_length=30, description="PLOVER type, e.g. THREATEN")] = None,
               since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    f = {"actor": _text(actor, "actor"), "target": _text(target, "target"), "type": _text(type, "type", 30),
         "since": day(since, "since"), "until": day(until, "until")}
    found = store.events(**f, limit=limit, offset=offset)
    return JSONResponse({"total": store.count_events(**f), "limit": limit, "offset": offset, "next": next_url(request, len(found), limit, offset),
                         "events": rows(found)})


def dyad_json(store: Store, a: str, b: str, limit: int = DYAD_EVENTS) -> dict[str, Any]:
    """The weekly dyad over all events, plus the newest ``limit`` events of each direction."""
    from newsgraph.dyads import build_dyad, totals

    name_a, name_b, ab_tallies, ba_tallies = store.dyad_tallies(a, b)
    result = build_dyad(name_a, name_b, ab_tallies, ba_tallies)
    _, _, ab, ba = store.dyad(a, b, limit=limit)
    return result.as_dict() | {"by_type": totals(result), "n_a_to_b": sum(t.n for t in ab_tallies),
                               "n_b_to_a": sum(t.n for t in ba_tallies), "a_to_b": rows(ab), "b_to_a": rows(ba)}


@router.get("/dyad", response_model=m.DyadOut,
            summary="Events between two actors by ISO week, with the conflict–cooperation score")
def api_dyad(store: StoreDep, a: Annotated[str, Query(min_length=1, max_length=300)],
             b: Annotated[str, Query(min_length=1, max_length=300)],
             limit: Annotated[int, Query(ge=0, le=10_000, description="events listed per direction, newest first")]
             = DYAD_EVENTS) -> JSONResponse:
    return JSONResponse(dyad_json(store, a, b, limit))


@router.get("/failures", response_model=m.FailuresOut, summary="The ingest log, newest first")
def api_failures(store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 run: Annotated[int | None, Query(ge=0, le=2**53)] = None) -> JSONResponse:
    return JSONResponse({"failures": rows(store.failures(limit=limit, run_id=run))})


@router.get("/summary", response_model=m.SummaryOut,
            summary=f"What the home page shows (cached up to {SUMMARY_TTL:g} s)")
def api_summary(request: Request) -> JSONResponse:
    return JSONResponse(summary_json(request))


def summary_json(request: Request) -> dict[str, Any]:
    """The home page's aggregates; cached for ``SUMMARY_TTL`` seconds (they scan the whole store)."""
    state = request.app.state
    now = time.monotonic()
    cached = getattr(state, "summary_cache", None)
    if cached is not None and now - cached[0] < SUMMARY_TTL:
        return cached[1]  # type: ignore[no-any-return]
    from newsgraph.serve.queries import Holdings

    if getattr(state, "holdings", None) is None:
        state.holdings = Holdings()
    threshold = getattr(state, "quote_threshold", QUOTE_THRESHOLD)
    data = _summary(get_store(request), state.holdings, threshold)
    state.summary_cache = (now, data)
    return data


def _summary(store: Store, holdings: Any, threshold: float) -> dict[str, Any]:
    return {"articles": store.count_articles(), "analysis": plain(store.analysis_counts()),
            "statements": store.quote_counts(kinds=DEFAULT_QUOTE_KINDS, min_confidence=threshold).shown,
            "attributions": store.quote_counts(kinds=("all",), min_confidence=0).shown,
            "events": store.count_events(), "actors": store.count_actors(), **holdings.update(store),
            "recent": rows(store.list_articles(limit=10)),
            "top_speakers": rows(store.top_speakers(limit=10)),
            "top_actors": rows(store.actors(limit=10)), "failures": rows(store.failures(limit=10))}


def _check_token(request: Request, authorization: str | None, x_token: str | None) -> None:
    state = request.app.state
    if not state.allow_ingest:
        raise HTTPError(403, "this server is read-only (start it with --allow-ingest --token T)",
                        code="serve.read_only")
    given = x_token or ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not given or not hmac.compare_digest(given.encode(), str(state.token).encode()):
        raise HTTPError(403, "missing or wrong token", code="serve.forbidden")


@router.post("/ingest", response_model=m.IngestOut, responses={403: {"model": m.ErrorOut}},
             summary="Ingest URLs or one raw document (needs --allow-ingest and the token)")
def api_ingest(request: Request, store: StoreDep, body: Annotated[m.IngestIn, Body()],
               authorization: Annotated[str | None, Header()] = None,
               x_newsgraph_token: Annotated[str | None, Header()] = None) -> JSONResponse:
    _check_token(request, authorization, x_newsgraph_token)
    from newsgraph.config import Settings
    from newsgraph.ingest import ingest
    from newsgraph.sources import is_url

    bad = [s for s in body.sources if not is_url(s)]
    if bad:
        raise HTTPError(400, "sources must be http(s) URLs (the server does not read its own files)",
                        code="serve.bad_source", errors=bad)
    if not body.sources and not body.text:
        raise HTTPError(400, "give sources (URLs) or text", code="serve.bad_param")
    specs = list(body.sources) + (["-"] if body.text else [])
    stdin = io.BytesIO(body.text.encode("utf-8")) if body.text else None
    summary = ingest(specs, store, Settings(), argv=["serve:ingest", *body.sources], stdin=stdin,
                     workers=1, analyze=body.analyze)
    request.app.state.summary_cache = None
    return JSONResponse({"ok": True, **summary.as_dict()})
