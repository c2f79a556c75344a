"""What ``newsgraph watch`` follows and finds, on the web: the feeds page, the alerts pages, an
alert's Atom feed, and their JSON twins (issue 15).

* ``/feeds`` (``/api/feeds``): each followed feed with its health (``store.feeds.health``: last
  success, last error and its reason, errors in a row, next poll, items per day, median delay
  from an entry's date to its storing).
* ``/alerts`` (``/api/alerts``), ``/alerts/NAME`` (``/api/alerts/NAME``): each alert with its
  filters, its newest hits (linking to the article page with the quote or event anchored, as
  ``alert_atom.entry_link``), the state of its webhook deliveries, and its Atom feed, which the
  page also names in a ``<link rel="alternate" type="application/atom+xml">`` for feed readers.
  A webhook is shown as its scheme and host only: a hook URL often carries its own credential in
  the path or query (Slack's do), and the signing secret is never shown.
* ``/alerts/NAME.atom``: ``alert_atom.alert_feed``. Its links are absolute, built from the
  request's base URL (feed readers need absolute links). That is the one place the app takes
  its host from the request (``serve.app`` builds no other link from it): a client that sends a
  forged ``Host`` only misleads itself, since nothing here is cached. An alert whose own name
  ends in ``.atom`` keeps its page there when no alert has the name without it.

Read-only: feeds and alerts are added and removed with ``newsgraph feeds`` / ``newsgraph alerts``
(``serve`` has no authenticated write path but ``POST /api/ingest``).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from newsgraph.alert_atom import alert_feed, entry_link, hit_title
from newsgraph.errors import NotFound
from newsgraph.serve import models as m
from newsgraph.serve.api import get_store
from newsgraph.store import alerts as saved
from newsgraph.store import feeds as followed
from newsgraph.store.alerts import AlertFilters
from newsgraph.store.backend import AlertHitRecord, AlertRecord

#: Hits listed per alert on ``/alerts`` (``/alerts/NAME`` lists up to ``limit``).
LIST_HITS = 5
#: Hits listed by default on ``/alerts/NAME``.
PAGE_HITS = 50
#: The newest hits whose webhook deliveries are counted.
DELIVERY_WINDOW = 200
ATOM_TYPE = "application/atom+xml"

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

Name = Annotated[str, Path(min_length=1, max_length=200)]
HitLimit = Annotated[int, Query(ge=1, le=500)]


def duration(seconds: float) -> str:
    """``95`` -> ``1 min 35 s``; ``7200`` -> ``2 h 0 min``; days past two days."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    if s < 2 * 86400:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s / 86400:.1f} days"


def when(value: str | None) -> str:
    """A stored time (``2026-12-07T16:35:40.500273Z``) as read: ``2026-12-07 16:35:40 UTC``."""
    if not value:
        return ""
    t = followed.parse_time(value)
    return t.strftime("%Y-%m-%d %H:%M:%S UTC") if t else value


def atom_href(name: str) -> str:
    return f"/alerts/{quote(name, safe='')}.atom"


def page_href(name: str) -> str:
    return f"/alerts/{quote(name, safe='')}"


def webhook_shown(url: str | None) -> str | None:
    """A webhook URL as shown: scheme, host and port (the path and query may hold a credential)."""
    if not url:
        return None
    import httpx

    try:
        u = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return "(a webhook URL)"
    port = f":{u.port}" if u.port else ""
    rest = "/…" if (u.path not in ("", "/") or u.query) else "/"
    return f"{u.scheme}://{u.host}{port}{rest}"


def scrub(text: str | None, alert: AlertRecord) -> str | None:
    """A delivery error as shown: the webhook URL, its path or its query in it (an HTTP library's
    message may quote them) replaced by the shown form."""
    if not text or not alert.webhook:
        return text
    import httpx

    shown = webhook_shown(alert.webhook) or ""
    secrets = [alert.webhook]
    try:
        u = httpx.URL(alert.webhook)
        secrets += [p for p in (u.raw_path.decode("ascii", "replace"), u.path, u.query.decode("ascii", "replace"))
                    if len(p) > 1]
    except (httpx.InvalidURL, TypeError, ValueError):
        pass
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, shown if secret == alert.webhook else "…")
    if alert.secret:
        text = text.replace(alert.secret, "…")
    return text


def delivery_json(alert: AlertRecord, hits: list[AlertHitRecord]) -> dict[str, Any] | None:
    """The webhook's state over the newest hits: counts by delivery state, the newest failure."""
    if not alert.webhook:
        return None
    counts = Counter(h.delivery or "none" for h in hits)
    failed = next((h for h in hits if h.last_error), None)
    return {"webhook": webhook_shown(alert.webhook), "of_newest": len(hits),
            "delivered": counts["delivered"], "pending": counts["pending"], "failed": counts["failed"],
            "last_error": scrub(failed.last_error, alert) if failed else None,
            "last_error_ref": failed.ref if failed else None}


def hit_json(store: Any, alert: AlertRecord, hit: AlertHitRecord) -> dict[str, Any]:
    title, summary = hit_title(store, hit)
    return {"kind": hit.kind, "ref": hit.ref, "article_id": hit.article_id, "created_at": hit.created_at,
            "title": title, "article_title": summary, "href": entry_link("", hit),
            "delivery": hit.delivery, "attempts": hit.attempts, "last_error": scrub(hit.last_error, alert)}


def alert_json(store: Any, alert: AlertRecord, n_hits: int) -> dict[str, Any]:
    """An alert as the pages and the API show it: never its secret, its webhook cut to the host."""
    filters = AlertFilters.from_json(alert.filters)
    _, hits = saved.hits(store, alert.name, limit=max(n_hits + 1, DELIVERY_WINDOW if alert.webhook else 0))
    return {"name": alert.name, "filters": {k: v for k, v in _filters(filters).items() if v is not None},
            "matches": filters.kind, "created_at": alert.created_at, "last_seq": alert.last_seq,
            "atom": atom_href(alert.name), "href": page_href(alert.name),
            "delivery": delivery_json(alert, hits),
            "hits": [hit_json(store, alert, h) for h in hits[:n_hits]], "more_hits": len(hits) > n_hits}


def _filters(f: AlertFilters) -> dict[str, Any]:
    return {name: getattr(f, name) for name in f.__dataclass_fields__}


def feeds_json(store: Any) -> dict[str, Any]:
    rows = [h.as_dict() for h in followed.health(store)]
    return {"total": len(rows), "feeds": rows}


def alerts_json(store: Any) -> dict[str, Any]:
    rows = [alert_json(store, a, LIST_HITS) for a in saved.listed(store)]
    return {"total": len(rows), "alerts": rows}


# --------------------------------------------------------------------------- JSON


@api.get("/feeds", response_model=m.FeedsOut, summary="Followed feeds and their health")
def api_feeds(request: Request) -> JSONResponse:
    return JSONResponse(feeds_json(get_store(request)))


@api.get("/alerts", response_model=m.AlertsOut, summary="Alerts, each with its newest hits")
def api_alerts(request: Request) -> JSONResponse:
    return JSONResponse(alerts_json(get_store(request)))


@api.get("/alerts/{name}", response_model=m.AlertOut, summary="One alert and its hits, newest first",
         responses={404: {"model": m.ErrorOut}})
def api_alert(request: Request, name: Name, limit: HitLimit = PAGE_HITS) -> JSONResponse:
    store = get_store(request)
    return JSONResponse(alert_json(store, saved.alert(store, name), limit))


# --------------------------------------------------------------------------- Atom and HTML


def _register() -> None:
    from newsgraph.serve.pages import _env

    _env.globals.update(duration=duration, when=when)


_register()


@pages.api_route("/alerts/{name}.atom", methods=["GET", "HEAD"], response_class=Response)
def alert_atom(request: Request, name: Name) -> Response:
    """The feed of alert NAME; the page of an alert named ``NAME.atom`` when there is no NAME."""
    store = get_store(request)
    try:
        body = alert_feed(store, name, str(request.base_url))
    except NotFound:
        if not any(a.name == f"{name}.atom" for a in saved.listed(store)):
            raise
        return alert_page(request, f"{name}.atom", PAGE_HITS)
    return Response(body, media_type=f"{ATOM_TYPE}; charset=utf-8")


def _page(request: Request, name: str, ctx: dict[str, Any], json_url: str,
          atoms: list[dict[str, Any]] = ()) -> Response:  # type: ignore[assignment]
    """A page, with each alert's Atom feed named in the head and the ``Link`` header too."""
    from newsgraph.serve.pages import page

    resp = page(request, name, {"atoms": [(f"alert {a['name']}", a["atom"]) for a in atoms], **ctx},
                json_url=json_url)
    for a in atoms:
        resp.headers["link"] += f', <{a["atom"]}>; rel="alternate"; type="{ATOM_TYPE}"'
    return resp


@pages.api_route("/feeds", methods=["GET", "HEAD"], response_class=HTMLResponse)
def feeds_page(request: Request) -> Response:
    rows = followed.health(get_store(request))
    return _page(request, "feeds.html", {"title": "feeds", "rows": rows}, "/api/feeds")


@pages.api_route("/alerts", methods=["GET", "HEAD"], response_class=HTMLResponse)
def alerts_page(request: Request) -> Response:
    data = alerts_json(get_store(request))
    return _page(request, "alerts.html", {"title": "alerts", "alerts": data["alerts"], "one": False},
                 "/api/alerts", data["alerts"])


@pages.api_route("/alerts/{name}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def alert_page(request: Request, name: Name, limit: HitLimit = PAGE_HITS) -> Response:
    store = get_store(request)
    data = alert_json(store, saved.alert(store, name), limit)
    return _page(request, "alerts.html", {"title": f"alert {name}", "alerts": [data], "one": True},
                 f"/api/alerts/{quote(name, safe='')}" + (f"?limit={limit}" if limit != PAGE_HITS else ""),
                 [data])


__all__ = ["alert_json", "api", "feeds_json", "pages"]
