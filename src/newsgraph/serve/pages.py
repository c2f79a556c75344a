"""Server-rendered HTML pages (Jinja2, autoescaped; no JavaScript needed).

Each page computes its data with the same Store calls as its ``/api/``
twin and links that JSON alternate (``<link rel="alternate">`` and a
``Link`` header).

For a first-time user (issue 16): a list's header and pager come from its filtered total;
an empty list is never a numbered "none" but says why it is empty and what to try
(``_empty``: a link per filter that drops it, the first page ...); an unknown actor's
404 offers close names; a query over the limit stays in the box; the home page says
what the store holds and what to try first.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newsgraph.config import QUOTE_THRESHOLD
from newsgraph.dyads import format_counts
from newsgraph.errors import NotFound, StoreError
from newsgraph.serve import queries, render
from newsgraph.serve.api import (
    COOCCUR_ARTICLES,
    DYAD_EVENTS,
    MAX_CSV_ROWS,
    MAX_LIMIT,
    MAX_SEARCH_OFFSET,
    SUMMARY_TTL,
    Kinds,
    MinConfidence,
    ShowAll,
    _text,
    day,
    dyad_json,
    get_store,
    quote_selection,
    quotes_csv,
    relative_url,
    search_filters,
    summary_json,
    too_long,
)
from newsgraph.serve.app import HERE
from newsgraph.serve.errors import HTTPError
from newsgraph.store import DEFAULT_QUOTE_KINDS, describe_evidence

router = APIRouter(include_in_schema=False)

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
templates = Jinja2Templates(env=_env)


def _qs(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


_env.globals.update(
    qs=_qs,
    entity_href=render.entity_href,
    article_href=render.article_href,
    mark=render.mark_snippet,
    max_limit=MAX_LIMIT,
    format_counts=format_counts,
    not_analysed=render.not_analysed,
    describe_evidence=describe_evidence,
)


def page(request: Request, name: str, context: dict[str, Any], *, json_url: str | None = None,
         status: int = 200) -> HTMLResponse:
    ctx = {"request": request, "json_url": json_url, "title": context.get("title", "newsgraph"), **context}
    resp = templates.TemplateResponse(request, name, ctx, status_code=status)
    if json_url:
        resp.headers["link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return resp


def render_error(request: Request, body: dict[str, Any]) -> Response:
    """The error page; the header's search box keeps the request's query (``q``), if any."""
    return page(request, "error.html", {"title": f"{body['status']} error", "err": body,
                                        "q": request.query_params.get("q", "")}, status=body["status"])


def _limit(value: int | None, default: int) -> int:
    return default if value is None else value


Lim = Query(50, ge=1, le=MAX_LIMIT)
Off = Query(0, ge=0, le=10_000_000)


#: How a filter is named in "without ..." links of an empty list.
FILTER_NAMES = {"q": "query", "month": "month", "type": "type", "search": "name"}


def _without(request: Request, f: dict[str, Any]) -> list[tuple[str, str]]:
    """One link per filter in use that drops it (and the offset): what to try on an empty list."""
    return [(f"without {FILTER_NAMES.get(k, k)} “{v}”", relative_url(request, **{k: None, "offset": None}))
            for k, v in f.items() if v not in (None, "")]


def _empty(request: Request, offset: int, why: str, tries: list[tuple[str, str]]) -> dict[str, Any]:
    """An empty list's ``why`` and ``tries`` (past the last page: the first page, whatever the filters)."""
    if offset > 0:
        return {"why": "No rows on this page: the list ends before it.",
                "tries": [("the first page", relative_url(request, offset=None))]}
    return {"why": why, "tries": tries}


def _pager(request: Request, n: int, limit: int, offset: int, *, more: bool | None = None) -> dict[str, str | None]:
    """Relative links to the previous and next page (``more``: whether there is one; by default,
    when this page is full)."""
    prev = relative_url(request, offset=max(0, offset - limit)) if offset > 0 else None
    nxt = relative_url(request, offset=offset + limit) if (n >= limit if more is None else more) else None
    return {"prev": prev, "next": nxt}


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request) -> Response:
    data = summary_json(request)
    return page(request, "home.html", {"title": "newsgraph", "s": data, "threshold": _threshold(request),
                                       "try_first": _try_first(request, data)}, json_url="/api/summary")


def _try_first(request: Request, s: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What a new user can try first on this store: (label, link, what it shows); only what has rows."""
    out = []
    if s["top_actors"]:
        name = s["top_actors"][0]["name"]
        out.append((f"search for “{name}”", "/search?" + _qs(q=f'"{name}"'),
                    "full-text search; then filter by outlet, language or month"))
    if s["recent"]:
        r = s["recent"][0]
        out.append((f"read “{r['title'] or '(untitled)'}”", render.article_href(r["id"]),
                    "an article with who said what underlined, speaker by speaker"))
    if s["top_speakers"]:
        sp = s["top_speakers"][0]
        out.append((f"what {sp['name']} said", render.entity_href(sp["key"]) + "#quotes-by",
                    "an actor's page: quotes by and about, events, timeline"))
    if s["statements"]:
        out.append(("the newest quotes", "/quotes", "filter by speaker, topic words, outlet or dates"))
    pairs = _dyad_start(request)["pairs"] if s["events"] else []
    if pairs:
        p = pairs[0]
        out.append((f"{p['a']} ↔ {p['b']}", "/dyad?" + _qs(a=p["a"], b=p["b"]),
                    "a dyad: the events between two actors, week by week"))
    return out


@router.api_route("/articles", methods=["GET", "HEAD"], response_class=HTMLResponse)
def articles(request: Request, outlet: str | None = None, language: str | None = None, since: str | None = None,
             until: str | None = None, limit: int = Lim, offset: int = Off) -> Response:
    store = get_store(request)
    f = {"outlet": _text(outlet, "outlet"), "language": _text(language, "language", 20),
         "since": day(since, "since"), "until": day(until, "until")}
    found = store.list_articles(**f, limit=limit, offset=offset)
    total = store.count_articles(**f)  # the filtered total
    stored = store.count_articles() if any(f.values()) else total
    empty = _empty(request, offset, "No article matches these filters." if stored else
                   "Nothing is stored yet: add articles with newsgraph --db STORE ingest FILES-OR-URLS.",
                   _without(request, f))
    return page(request, "articles.html",
                {"title": "articles", "rows": found, "total": total, "stored": stored, "f": f, "empty": empty,
                 "pager": _pager(request, len(found), limit, offset, more=total > offset + limit), "offset": offset},
                json_url="/api/articles?" + _qs(**f, limit=limit, offset=offset))


#: The longest search query, in characters (as ``/api/search``).
MAX_QUERY = 500

#: Rows per list on an entity page (articles, quotes by/about, events); also what the timeline counts.
ENTITY_LIMIT = 100


@router.api_route("/search", methods=["GET", "HEAD"], response_class=HTMLResponse)
def search(request: Request, q: str | None = None, outlet: str | None = None,
           language: str | None = None, month: str | None = None, limit: int = Query(20, ge=1, le=100),
           offset: int = Query(0, ge=0, le=MAX_SEARCH_OFFSET)) -> Response:
    """The hits are the best of the newest ``config.SEARCH_BOUND`` matches that pass the filters
    ("about N after filters" when more pass them); the facets count the newest ``config.SEARCH_BOUND``
    matches without the filters ("about N results" when there are more), so they show what else
    one could pick (``Store.search_page``)."""
    store = get_store(request)
    f = search_filters(outlet, language, month)
    ctx: dict[str, Any] = {"title": "search", "q": (q or "").strip(), "hits": [], "facets": None, **f,
                           "pager": None, "offset": offset, "n_total": 0, "n_filtered": 0, "too_long": None}
    if len(ctx["q"]) > MAX_QUERY:  # said in plain words, and the query stays in the box to shorten
        ctx["too_long"] = too_long("Your search", len(ctx["q"]), MAX_QUERY).replace(
            "Shorten it and try again.", "Shorten it (a few distinctive words are enough) and search again.")
        return page(request, "search.html", ctx, status=400)
    q = _text(q, "q")
    ctx["title"] = f"search: {q}" if q else "search"
    if q:
        counts, ctx["hits"] = store.search_page(q, **f, limit=limit, offset=offset)
        ctx["facets"] = {name: [(c.value, c.n) for c in getattr(counts, name)]
                         for name in ("outlet", "language", "month")}
        ctx["n_total"], ctx["n_filtered"] = counts.total, counts.matching
        ctx["about"], ctx["n_counted"], ctx["filtered_about"] = counts.about, counts.counted, counts.matching_about
        ctx["pager"] = _pager(request, len(ctx["hits"]), limit, offset,
                              more=min(counts.matching, counts.counted) > offset + limit)
        ctx["empty"] = _empty(request, offset, *_search_empty(request, q, f, counts.total))
    return page(request, "search.html", ctx,
                json_url="/api/search?" + _qs(q=q, **f, limit=limit, offset=offset) if q else None)


def _search_empty(request: Request, q: str, f: dict[str, str | None], n_total: int
                  ) -> tuple[str, list[tuple[str, str]]]:
    """Why a search found nothing, and what to try: without the filters; any of the words;
    word beginnings; the actors with such a name."""
    if n_total:
        each = _without(request, f)
        return (f"No article matches “{q}” with these filters ({n_total} without them).",
                each if len(each) == 1 else [("without the filters", "/search?" + _qs(q=q)), *each])
    words = q.split()
    plain = all(w.isalnum() for w in words)
    tries = []
    if plain and len(words) > 1:
        tries.append((f"any of the words: {' OR '.join(words)}", "/search?" + _qs(q=" OR ".join(words))))
    if plain and not q.endswith("*"):
        stems = " ".join(w[:max(4, len(w) - 2)] + "*" for w in words)
        tries.append((f"word beginnings: {stems}", "/search?" + _qs(q=stems)))
    tries += [(f"actors named like “{q}”", "/entities?" + _qs(search=q)), ("browse all articles", "/articles")]
    return f"No article matches “{q}”.", tries


def _threshold(request: Request) -> float:
    return float(getattr(request.app.state, "quote_threshold", QUOTE_THRESHOLD))


def _switch(request: Request, show_all: bool, n_hidden: int, *, default: bool | None = None) -> dict[str, Any]:
    """The links of a filtered view: "show all (n hidden)" (``all_href``, unless it shows all) and
    back to what it shows by default (``default_href``, unless it does)."""
    default = not show_all if default is None else default
    return {"all": show_all, "hidden": n_hidden, "threshold": _threshold(request),
            "all_href": None if show_all else relative_url(request, all=1, kind=None, min_confidence=None,
                                                           offset=None),
            "default_href": None if default else relative_url(request, all=None, kind=None, min_confidence=None,
                                                              offset=None)}


@router.api_route("/article/{article_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def article(request: Request, article_id: str, show_all: bool = Query(False, alias="all")) -> Response:
    """By default the attributions views list (statements, not negated, at least ``quote_threshold``
    confident) are marked and listed; ``all=1`` marks every one, those below the threshold as
    low-confidence."""
    if len(article_id) > 64:
        raise HTTPError(404, "no such article", code="store.bad_id")
    store = get_store(request)
    stored = store.get_article(article_id)
    a = stored.article
    threshold = _threshold(request)
    shown = {i for i, att in enumerate(a.attributions) if show_all or render.shown_by_default(att, threshold)}
    colours = render.speaker_classes(a, shown)
    speakers = render.speaker_counts(a, shown)
    others = {who: n for who, n in speakers.items() if colours[who] == render.OTHER_SPEAKERS}
    n_default = sum(render.shown_by_default(att, threshold) for att in a.attributions)
    return page(request, "article.html",
                {"title": a.title or "(untitled)", "a": a, "stored": stored,
                 "body": render.highlight_article(a, shown=shown, threshold=threshold),
                 "colours": colours, "speakers": speakers, "others": others, "speaker_of": render.speaker_of, "shown": shown,
                 "flags": lambda att: render.attribution_flags(att, threshold),
                 "switch": _switch(request, show_all, len(a.attributions) - n_default),
                 "same": store.same_story(a.id)},
                json_url=f"/api/articles/{a.id}")


@router.api_route("/entities", methods=["GET", "HEAD"], response_class=HTMLResponse)
def entities(request: Request, type: str | None = Query(None, max_length=20), search: str | None = None,
             limit: int = Lim, offset: int = Off) -> Response:
    type_, search = _text(type, "type", 20), _text(search, "search")
    store = get_store(request)
    found = store.actors(type=type_, search=search, limit=limit, offset=offset)
    total = store.count_actors(type=type_, search=search)
    why = (f"No actor has a name containing “{search}”" if search else "No actors") + \
        (f" of type {type_}." if type_ else ".")
    tries = _without(request, {"type": type_, "search": search})
    if search:
        tries.append((f"search the articles for “{search}”", "/search?" + _qs(q=search)))
    return page(request, "entities.html",
                {"title": "entities", "rows": found, "type": type_, "search": search, "offset": offset,
                 "total": total, "empty": _empty(request, offset, why, tries),
                 "pager": _pager(request, len(found), limit, offset, more=total > offset + limit)},
                json_url="/api/entities?" + _qs(type=type_, search=search, limit=limit, offset=offset))


@router.api_route("/entity/{name:path}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def entity(request: Request, name: str) -> Response:
    store = get_store(request)
    name = _text(name, "name") or ""
    if not name:
        raise HTTPError(404, "no actor given", code="store.not_found")
    try:
        detail = store.actor(name, limit=ENTITY_LIMIT)
    except NotFound:
        return page(request, "entity_missing.html",
                    {"title": f"no actor “{name}”", "name": name, "close": queries.close_actors(store, name)},
                    status=404)
    timeline = queries.entity_timeline(store.actor_timeline(detail.actor.key))
    by_week = {w["week"]: w for w in timeline}
    weeks = queries.fill_weeks([w["week"] for w in timeline])
    chart = render.bar_chart(
        weeks,
        [(label, css, [by_week.get(w, {}).get(key, 0) for w in weeks])
         for label, css, key in (("articles", "s-articles", "articles"), ("mentions", "s-mentions", "mentions"),
                                 ("quotes by", "s-by", "quotes_by"))],
        title=f"{detail.actor.name}: mentions and quotes by week", y_label="per week", chart_id="timeline")
    return page(request, "entity.html",
                {"title": detail.actor.name, "d": detail, "timeline": timeline, "chart": chart, "limit": ENTITY_LIMIT,
                 "co": store.co_actors(detail.actor.key, articles=COOCCUR_ARTICLES)},
                json_url="/api/entities/" + render.entity_href(detail.actor.key).split("/entity/", 1)[1])


@router.api_route("/quotes", methods=["GET", "HEAD"], response_class=HTMLResponse)
def quotes(request: Request, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
           since: str | None = None, until: str | None = None, kind: Kinds = None,
           min_confidence: MinConfidence = None, show_all: ShowAll = False, limit: int = Lim,
           offset: int = Off) -> Response:
    """Like ``/api/quotes``: by default statements that are not negated and clear ``quote_threshold``,
    with a "show all (n hidden)" switch."""
    store = get_store(request)
    f = {"speaker": _text(speaker, "speaker"), "about": _text(about, "about"), "outlet": _text(outlet, "outlet"),
         "since": day(since, "since"), "until": day(until, "until")}
    kinds, least = quote_selection(request, kind, min_confidence, show_all)
    found = store.quotes(**f, kinds=kinds, min_confidence=least, limit=limit, offset=offset)
    counts = store.quote_counts(**f, kinds=kinds, min_confidence=least)
    threshold = _threshold(request)
    api_sel = {"all": 1} if show_all else {"min_confidence": min_confidence}
    switch = _switch(request, show_all, counts.hidden, default=not (show_all or kind or min_confidence is not None))
    what = "statement" if kinds == DEFAULT_QUOTE_KINDS else "attribution"
    tries = _without(request, f)
    if counts.hidden and switch["all_href"]:
        tries.append((f"show all ({counts.hidden} hidden by kind or confidence)", switch["all_href"]))
    why = f"No {what} matches these filters." if any(f.values()) else f"No {what} listed: none was found" + (
        f" with confidence ≥ {least:g}." if least > 0 else ".")
    speaker_actor = _actor_named(store, f["speaker"]) if f["speaker"] else None
    selection = urlencode([*((k, v) for k, v in f.items() if v), *(("kind", k) for k in (kind or ())),
                           *((k, v) for k, v in api_sel.items() if v is not None)])
    return page(request, "quotes.html",
                {"title": "quotes", "rows": found, "f": f, "offset": offset, "counts": counts, "kinds": kinds,
                 "speaker_actor": speaker_actor,
                 "csv_url": "/quotes.csv" + ("?" + selection if selection else ""), "max_csv": MAX_CSV_ROWS,
                 "least": least, "switch": switch, "empty": _empty(request, offset, why, tries),
                 "flags": lambda q: render.attribution_flags(q, threshold),
                 "pager": _pager(request, len(found), limit, offset, more=counts.shown > offset + limit)},
                json_url="/api/quotes?" + urlencode([*((k, v) for k, v in f.items() if v),
                                                     *(("kind", k) for k in (kind or ())),
                                                     *((k, v) for k, v in api_sel.items() if v is not None),
                                                     ("limit", limit), ("offset", offset)]))


def _actor_named(store: Any, name: str) -> Any:
    """The one actor with ``name`` as its name or an alias (case aside), else None: the quotes
    page of a speaker links to its actor page."""
    wanted = name.casefold()
    found = [r for r in store.actors(search=name, limit=20)
             if any(x.casefold() == wanted for x in (r.name, *r.aliases))]
    return found[0] if len(found) == 1 else None


router.add_api_route("/quotes.csv", quotes_csv, methods=["GET", "HEAD"], response_class=Response)


@router.api_route("/events", methods=["GET", "HEAD"], response_class=HTMLResponse)
def events(request: Request, actor: str | None = None, target: str | None = None,
           type: str | None = Query(None, max_length=30), since: str | None = None, until: str | None = None,
           limit: int = Lim, offset: int = Off) -> Response:
    f = {"actor": _text(actor, "actor"), "target": _text(target, "target"), "type": _text(type, "type", 30),
         "since": day(since, "since"), "until": day(until, "until")}
    store = get_store(request)
    found = store.events(**f, limit=limit, offset=offset)
    total = store.count_events(**f)
    why = "No event matches these filters." if any(f.values()) else \
        "No events: none was found in the analysed articles (events are actions such as a threat, an agreement, aid)."
    return page(request, "events.html",
                {"title": "events", "rows": found, "f": f, "offset": offset, "total": total,
                 "empty": _empty(request, offset, why, _without(request, f)),
                 "pager": _pager(request, len(found), limit, offset, more=total > offset + limit)},
                json_url="/api/events?" + _qs(**f, limit=limit, offset=offset))


#: How many of the newest events the dyad page reads for the most active pairs it offers.
PAIR_EVENTS = 2000
#: How many pairs it offers.
N_PAIRS = 12


def _dyad_start(request: Request) -> dict[str, Any]:
    """The dyad page before a pair is given: the most active pairs (cached like the home page's
    aggregates: they read the newest ``PAIR_EVENTS`` events)."""
    state = request.app.state
    now = time.monotonic()
    cached = getattr(state, "pairs_cache", None)
    if cached is None or now - cached[0] >= SUMMARY_TTL:
        events = get_store(request).events(limit=PAIR_EVENTS)
        cached = state.pairs_cache = (now, {"pairs": queries.active_pairs(events, N_PAIRS),
                                            "pairs_capped": len(events) >= PAIR_EVENTS})
    return cached[1]


@router.api_route("/dyad", methods=["GET", "HEAD"], response_class=HTMLResponse)
def dyad(request: Request, a: str | None = Query(None, max_length=300),
         b: str | None = Query(None, max_length=300),
         limit: int = Query(DYAD_EVENTS, ge=0, le=MAX_LIMIT)) -> Response:
    a, b = _text(a, "a"), _text(b, "b")
    ctx: dict[str, Any] = {"title": "dyad", "a": a or "", "b": b or "", "d": None, "chart": None, "pairs": [],
                           "pairs_capped": False, "pair_events": PAIR_EVENTS}
    if a and b:
        d = dyad_json(get_store(request), a, b, limit)
        by_week = {w["week"]: w for w in d["weeks"]}
        weeks = queries.fill_weeks([w["week"] for w in d["weeks"]])
        ctx.update(title=f"{d['a']} ↔ {d['b']}", d=d, chart=render.bar_chart(
            weeks,
            [(f"{d['a']} → {d['b']}", "s-ab", [by_week.get(w, {}).get("score_a_to_b", 0.0) for w in weeks]),
             (f"{d['b']} → {d['a']}", "s-ba", [by_week.get(w, {}).get("score_b_to_a", 0.0) for w in weeks])],
            title=f"{d['a']} and {d['b']}: conflict (−) … cooperation (+) by week", signed=True,
            y_label="score", chart_id="dyad-chart"))
    elif a or b:
        raise HTTPError(400, "give both actors, a and b", code="serve.bad_param")
    else:
        ctx.update(_dyad_start(request))
    return page(request, "dyad.html", ctx, json_url="/api/dyad?" + _qs(a=a, b=b, limit=limit) if a and b else None)


@router.api_route("/failures", methods=["GET", "HEAD"], response_class=HTMLResponse)
def failures(request: Request, limit: int = Query(100, ge=1, le=1000)) -> Response:
    rows = get_store(request).failures(limit=limit)
    return page(request, "failures.html", {"title": "ingest failures", "rows": rows},
                json_url=f"/api/failures?limit={limit}")


__all__ = ["StoreError", "render_error", "router"]
