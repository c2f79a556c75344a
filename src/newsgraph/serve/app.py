"""The FastAPI application: ``create_app(db_path)`` -> JSON API under ``/api/`` + HTML pages.

* One store per app (``open_store``), opened read-only unless ingest is allowed;
  each request thread reads on a connection of its own, every read
  time-boxed (``Settings.query_timeout``: past it, a 400 ``store.too_expensive``).
* Strict security headers on every response (CSP without inline script or
  style, nosniff, no referrer, no framing).
* HTTP hygiene: every GET route answers HEAD (headers, no body); a 405 names
  the allowed methods (``Allow``); no link or redirect is built from the
  request's ``Host`` header (pager and ``next`` links are relative, a
  ``Location`` keeps only its path); ``run`` closes connections whose request
  headers are not in within ``Settings.header_timeout`` (``serve.http``).
* One error shape: ``/api/...`` answers ``{"ok": false, "error", "errors",
  "code", "status"}``; pages render ``error.html`` with the same status.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph.config import Settings, load_settings
from newsgraph.errors import NewsgraphError
from newsgraph.serve.errors import HTTPError, body_of, error_body, status_of
from newsgraph.store import Store

log = logging.getLogger(__name__)

HERE = Path(__file__).parent

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Pure ASGI middleware: adds the security headers to every HTTP response.

    It also turns an unexpected exception (before the response started) into
    the app's 500 error response, so even that one carries the headers and
    the error shape (Starlette's own last-resort handler would not); and it
    cuts a ``Location`` header down to its path and query, since Starlette
    builds redirects (``/api/articles/`` -> ``/api/articles``) from the
    client's ``Host`` header.
    """

    def __init__(self, app: ASGIApp, on_error: Any = None) -> None:
        self.app = app
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, _relative_location(v) if k.lower() == b"location" else v)
                           for k, v in message.get("headers", [])]
                names = {k.lower() for k, _ in headers}
                message["headers"] = headers + [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started or self.on_error is None:
                raise
            log.exception("unexpected error on %s", scope.get("path"))
            response = self.on_error(Request(scope))
            await response(scope, receive, send_with_headers)


def _relative_location(value: bytes) -> bytes:
    """``http://any.host/path?q`` -> ``/path?q``: this app only ever redirects to itself."""
    parts = urlsplit(value.decode("latin-1"))
    if not (parts.scheme or parts.netloc):
        return value
    path = "/" + parts.path.lstrip("/")  # never "//host": that is another site
    return (path + ("?" + parts.query if parts.query else "")).encode("latin-1")


class HeadAsGet:
    """Pure ASGI middleware: a HEAD request is answered as its GET would be, without the body
    (every GET route answers HEAD, with the GET's status and headers, content-length included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_no_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_no_body)


def open_read_store(db_path: str, *, writable: bool, query_timeout: float | None = None) -> Store:
    """The app's store (``open_store``: a path or URL): read-only unless ``writable``; a missing
    file is an error. Each read stops after ``query_timeout`` seconds (``Settings.query_timeout``
    by default)."""
    from newsgraph.store import open_store

    timeout = Settings().query_timeout if query_timeout is None else query_timeout
    return open_store(db_path, read_only=not writable, query_timeout=timeout)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def create_app(db_path: str | os.PathLike[str] | Store, *, allow_ingest: bool = False,
               token: str | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app over the store at ``db_path`` (a path, ``:memory:``, or an open ``Store``).

    ``allow_ingest`` enables ``POST /api/ingest``, which then requires
    ``token`` (``Authorization: Bearer <token>``). ``settings`` gives the
    read time box (``query_timeout``) of a store opened here, and the least
    confidence of what views list by default (``quote_threshold``).
    """
    if allow_ingest and not token:
        raise ValueError("allow_ingest needs a token")
    if isinstance(db_path, (str, os.PathLike)):
        store: Store = open_read_store(os.fspath(db_path), writable=allow_ingest,
                                       query_timeout=settings.query_timeout if settings else None)
        owned = True
    else:
        store, owned = db_path, False

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            store.close()

    app = FastAPI(
        title="newsgraph",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not offline, not CSP-safe
        redoc_url=None,
        version="0.1.0",
        description="Clean articles, who said what (attributions), actors and PLOVER events, read from a "
                    "newsgraph store. Errors: `{ok: false, error, errors, code, status}`.",
        lifespan=lifespan,
        responses={400: {"description": "Bad parameter or query", "model": _error_model()},
                   404: {"description": "Not found", "model": _error_model()}},
    )
    app.state.store = store
    app.state.allow_ingest = allow_ingest
    app.state.token = token
    #: The least confidence quotes are listed with by default (``Settings.quote_threshold``).
    app.state.quote_threshold = (settings or Settings()).quote_threshold

    from newsgraph.serve.api import router as api_router
    from newsgraph.serve.pages import render_error
    from newsgraph.serve.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    from newsgraph.serve import watching  # feeds and alerts (issue 15)

    app.include_router(watching.api)
    app.include_router(watching.pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def respond(request: Request, status: int, body: dict[str, Any]) -> Response:
        if wants_json(request):
            return JSONResponse(body, status_code=status)
        return render_error(request, body)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        msg = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:]) or e['loc']}: {e['msg']}" for e in errors)
        return respond(request, 400, error_body(400, f"bad request: {msg}", "serve.bad_param", errors))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "serve.not_found", 405: "serve.method_not_allowed"}.get(exc.status_code, "serve.http")
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no page at {request.url.path}"
        headers = dict(exc.headers or {})
        if "Allow" in headers:  # a 405: the route's methods, in order, HEAD wherever GET is
            allowed = {m.strip().upper() for m in headers["Allow"].split(",") if m.strip()}
            if "GET" in allowed:
                allowed.add("HEAD")
            headers["Allow"] = ", ".join(sorted(allowed))
            detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
        response = respond(request, exc.status_code, error_body(exc.status_code, detail, code))
        response.headers.update(headers)
        return response

    @app.exception_handler(HTTPError)
    async def on_serve_error(request: Request, exc: HTTPError) -> Response:
        return respond(request, exc.status, body_of(exc))

    @app.exception_handler(NewsgraphError)
    async def on_newsgraph(request: Request, exc: NewsgraphError) -> Response:
        if status_of(exc) >= 500:
            log.error("request %s failed: %s", request.url.path, exc)
        return respond(request, status_of(exc), body_of(exc))

    def on_unexpected(request: Request) -> Response:
        return respond(request, 500, error_body(500, "internal error", "serve.internal"))

    app.add_middleware(SecurityHeaders, on_error=on_unexpected)
    app.add_middleware(HeadAsGet)
    return app


def _error_model() -> Any:
    from newsgraph.serve.models import ErrorOut

    return ErrorOut


#: Environment through which ``run(workers=N)`` hands its settings to each worker process.
_ENV_DB, _ENV_INGEST, _ENV_TOKEN = "NEWSGRAPH_SERVE_DB", "NEWSGRAPH_SERVE_ALLOW_INGEST", "NEWSGRAPH_SERVE_TOKEN"
_ENV_QUERY_TIMEOUT = "NEWSGRAPH_SERVE_QUERY_TIMEOUT"
_ENV_QUOTE_THRESHOLD = "NEWSGRAPH_SERVE_QUOTE_THRESHOLD"
#: The HTTP/1.1 protocol ``run`` serves with: uvicorn's, with a deadline on request headers.
HTTP_PROTOCOL = "newsgraph.serve.http:GuardedHttpProtocol"


def app_from_env() -> FastAPI:
    """The app of one worker process started by ``run(workers=N)`` (a uvicorn factory)."""
    db = os.environ.get(_ENV_DB)
    if not db:
        raise RuntimeError(f"{_ENV_DB} is not set: start workers with newsgraph serve --workers N")
    timeout, threshold = os.environ.get(_ENV_QUERY_TIMEOUT), os.environ.get(_ENV_QUOTE_THRESHOLD)
    settings = Settings().replace(query_timeout=float(timeout) if timeout else None,
                                  quote_threshold=float(threshold) if threshold else None)
    return create_app(db, allow_ingest=os.environ.get(_ENV_INGEST) == "1",
                      token=os.environ.get(_ENV_TOKEN) or None, settings=settings)


def run(db: str, *, host: str = "127.0.0.1", port: int = 8000, allow_ingest: bool = False,
        token: str | None = None, workers: int = 1, access_log: bool = True, log_level: str = "info",
        settings: Settings | None = None) -> None:
    """Serve with uvicorn (what ``newsgraph serve`` calls).

    ``workers`` > 1 starts that many processes on one socket, each with its own
    read connections to the store (SQLite's WAL lets readers run side by side):
    on a machine with several cores, concurrent requests no longer queue
    behind one Python interpreter.

    From ``settings`` (default: ``load_settings()``, i.e. ``$NEWSGRAPH_CONFIG``):
    ``query_timeout`` bounds each store read, ``header_timeout`` the time a
    client has to send a request's headers (``serve.http``), ``keep_alive``
    how long an idle connection stays open between requests.
    """
    import uvicorn

    from newsgraph.serve.http import ENV_HEADER_TIMEOUT

    settings = settings or load_settings()
    os.environ[ENV_HEADER_TIMEOUT] = str(settings.header_timeout)  # read by each connection's protocol
    options: dict[str, Any] = {
        "host": host, "port": port, "log_level": log_level, "access_log": access_log, "proxy_headers": False,
        "server_header": False, "http": HTTP_PROTOCOL, "timeout_keep_alive": settings.keep_alive}
    if workers <= 1:
        uvicorn.run(create_app(db, allow_ingest=allow_ingest, token=token, settings=settings), **options)
        return
    from newsgraph.store import open_store

    open_store(str(db)).close()  # fail here, once, if the store cannot be opened (and migrate it once)
    os.environ[_ENV_DB] = str(db)
    os.environ[_ENV_INGEST] = "1" if allow_ingest else "0"
    os.environ[_ENV_TOKEN] = token or ""
    os.environ[_ENV_QUERY_TIMEOUT] = str(settings.query_timeout)
    os.environ[_ENV_QUOTE_THRESHOLD] = str(settings.quote_threshold)
    uvicorn.run("newsgraph.serve.app:app_from_env", factory=True, workers=workers, **options)


__all__ = ["CSP", "HTTPError", "app_from_env", "create_app", "run"]
