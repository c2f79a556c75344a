"""The store: articles, their sources, the ingest log, full-text search.

One interface (``Store``) and one way in: ``open_store(url)``, used by the CLI, the server,
scripts and tests, so callers (ingest, CLI, query, serve) never see SQL or a backend's class.

Layout: ``rows.py`` (what reads return), ``base.py`` (``BaseStore``: the protocol once, over
the services ``actors.py``, ``counters.py``, ``stories.py``), ``backend.py`` (the interface a
database implements), ``sqlite.py`` (+ ``sqlite_*.py``: the SQLite backend and its SQL),
``postgres.py`` (+ ``postgres_*.py``: the PostgreSQL backend, for a team's shared store).

Guarantees every implementation keeps:

* ``add_article`` writes an article, its source row and its search-index row
  in **one transaction**: a process killed at any moment leaves either all of
  it or none of it.
* An article's id is ``newsgraph.ids.article_id(text)``: adding the same text
  again is a no-op (``"duplicate"``); the same text from a new source adds only
  the source (``"new_source"``).
* Failures are appended to the ingest log with their stable code (a page refused as
  not an article with its kind, title, url and day).
* An article keeps its date's evidence (``published_source``, ``published_confidence``),
  ``modified`` and byline ``credits``; articles stored before these were recorded have none,
  and views show none (``describe_published``), never a guess.
* An article keeps its sub-heads (``headings``: spans of its text) and its page's kind
  (``page_kind``) from schema 15, and its outlet's section (``section``) from schema 16;
  older articles have none of these.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Protocol

from newsgraph.store.rows import (
    DATE_SOURCES,
    DEFAULT_QUOTE_KINDS,
    NO_VALUE,
    QUOTE_KINDS,
    UNDATED,
    ActorArticle,
    ActorDetail,
    ActorRow,
    ActorWeek,
    AddResult,
    AnalysisCounts,
    ArticleRow,
    CoActor,
    EventRow,
    EventTally,
    FacetCount,
    FailureRow,
    NotAnalysedCount,
    QuoteCounts,
    QuoteRow,
    RunRow,
    SearchFacets,
    SearchHit,
    SourceRow,
    SpeakerRow,
    StoredArticle,
    StoryRow,
    describe_evidence,
    describe_published,
)
from newsgraph.types import Article, Failure


class Store(Protocol):
    def add_article(self, article: Article, *, analysis: str | None = None) -> AddResult: ...
    def add_articles(self, items: Iterable[Article | tuple[Article, str | None]]) -> list[AddResult]: ...
    def replace_analysis(self, article: Article, analysis: str) -> None: ...
    def articles_to_analyse(self, *, after_seq: int = 0, limit: int = 100, current: str | None = None
                            ) -> list[tuple[int, Article]]: ...
    def count_to_analyse(self, *, current: str | None = None) -> int: ...
    def has_source(self, source: str, *, analysed: bool = False) -> bool: ...
    def start_run(self, argv: list[str]) -> int: ...
    def finish_run(self, run_id: int, counts: dict[str, int], *, status: str = "finished") -> None: ...
    def mark_dead_runs(self) -> int: ...
    def runs(self, *, limit: int = 20) -> list[RunRow]: ...
    def log_failure(self, run_id: int, failure: Failure) -> None: ...
    def get_article(self, id_or_prefix: str) -> StoredArticle: ...
    def count_articles(self, *, outlet: str | None = None, language: str | None = None, since: str | None = None,
                       until: str | None = None) -> int: ...
    def list_articles(
        self, *, limit: int = 50, offset: int = 0, outlet: str | None = None,
        language: str | None = None, since: str | None = None, until: str | None = None,
    ) -> list[ArticleRow]: ...
    def search(self, query: str, *, limit: int = 20, offset: int = 0, outlet: str | None = None,
               language: str | None = None, month: str | None = None, bound: int | None = None
               ) -> list[SearchHit]: ...
    def search_facets(self, query: str, *, outlet: str | None = None, language: str | None = None,
                      month: str | None = None, bound: int | None = None) -> SearchFacets: ...
    def search_page(self, query: str, *, limit: int = 20, offset: int = 0, outlet: str | None = None,
                    language: str | None = None, month: str | None = None, bound: int | None = None
                    ) -> tuple[SearchFacets, list[SearchHit]]: ...
    def iter_articles(self) -> Iterator[StoredArticle]: ...
    def quotes(
        self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
        since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0,
        kinds: tuple[str, ...] | None = None, min_confidence: float | None = None,
    ) -> list[QuoteRow]: ...
    def quote_counts(
        self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
        since: str | None = None, until: str | None = None, kinds: tuple[str, ...] | None = None,
        min_confidence: float | None = None,
    ) -> QuoteCounts: ...
    def analysis_counts(self) -> AnalysisCounts: ...
    def failures(self, *, limit: int = 100, run_id: int | None = None) -> list[FailureRow]: ...
    def events(self, *, actor: str | None = None, target: str | None = None, type: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 50,
               offset: int = 0) -> list[EventRow]: ...
    def count_events(self, *, actor: str | None = None, target: str | None = None, type: str | None = None,
                     since: str | None = None, until: str | None = None) -> int: ...
    def dyad(self, a: str, b: str, *, limit: int | None = None
             ) -> tuple[str, str, list[EventRow], list[EventRow]]: ...
    def dyad_tallies(self, a: str, b: str) -> tuple[str, str, list[EventTally], list[EventTally]]: ...
    def co_actors(self, name_or_key: str, *, articles: int = 30, limit: int = 15) -> list[CoActor]: ...
    def top_speakers(self, *, limit: int = 10) -> list[SpeakerRow]: ...
    def actor_timeline(self, name_or_key: str) -> list[ActorWeek]: ...
    def same_story(self, article_id: str, *, limit: int = 20) -> list[StoryRow]: ...
    def actors(self, *, type: str | None = None, search: str | None = None, limit: int = 50,
               offset: int = 0) -> list[ActorRow]: ...
    def count_actors(self, *, type: str | None = None, search: str | None = None) -> int: ...
    def actor(self, name_or_key: str, *, limit: int = 50) -> ActorDetail: ...
    def merge_actors(self, a: str, b: str) -> str: ...
    def split_actor(self, actor: str, alias: str) -> str: ...
    def files(self) -> tuple[str, ...]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc_info: object) -> None: ...


#: URL schemes ``open_store`` knows: SQLite and PostgreSQL.
SQLITE_SCHEME = "sqlite://"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def sqlite_path(url: str | os.PathLike[str]) -> str | None:
    """The SQLite path ``url`` names (``sqlite:///rel.db``, ``sqlite:////abs.db``, ``sqlite://`` for
    ``:memory:``, a bare path, ``:memory:``, a ``file:`` URI); None for a PostgreSQL URL."""
    from newsgraph.errors import StoreError

    url = os.fspath(url)
    if url.startswith(POSTGRES_SCHEMES):
        return None
    if url.startswith("sqlite:"):
        rest = url[len(SQLITE_SCHEME):] if url.startswith(SQLITE_SCHEME) else None
        if rest in ("", "/", "/:memory:"):
            return ":memory:"
        if rest is None or not rest.startswith("/"):
            raise StoreError(f"not a SQLite URL: {url!r} (sqlite:///relative/path.db or sqlite:////absolute/path.db)",
                             code="store.cant_open")
        return rest[1:]
    scheme = url.partition("://")[0]
    if "://" in url and scheme.isalnum() and scheme != "file":  # file: URIs are SQLite's own
        raise StoreError(f"unknown kind of store: {scheme}:// (use a SQLite path, sqlite:///PATH or postgresql://)",
                         code="store.unsupported")
    return url


def open_store(url: str | os.PathLike[str], *, read_only: bool = False,
               query_timeout: float | None = None) -> Store:
    """Open (creating and migrating if needed) the store at ``url``.

    ``url``: a SQLite path, ``sqlite:///path`` (``sqlite:////abs/path`` for an absolute one),
    ``:memory:``, or ``postgresql://user@host:port/db`` (``store.postgres``: a database the user
    may create tables in; the schema is made on first use). The CLI's ``--db`` (or
    ``$NEWSGRAPH_DB``) is passed here as it is.

    ``read_only``: never create a store (a missing one is ``store.cant_open``) and read
    through a read-only connection (SQLite ``mode=ro``); a store that must be migrated first
    is opened read-write once for that. ``query_timeout``: seconds one read may run
    (``Settings.query_timeout``; the store's default when None).
    """
    path = sqlite_path(url)
    if path is None:
        from newsgraph.store.postgres import open_postgres

        return open_postgres(os.fspath(url), read_only=read_only, query_timeout=query_timeout)
    from newsgraph.store.sqlite import open_sqlite

    return open_sqlite(path, read_only=read_only, query_timeout=query_timeout)


def redacted(url: str | os.PathLike[str]) -> str:
    """``url`` as messages may show it: a ``postgresql://user:password@host/db`` without its password."""
    from urllib.parse import urlsplit, urlunsplit

    text = os.fspath(url)
    if not text.startswith(POSTGRES_SCHEMES):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    user, host = parts.netloc.rsplit("@", 1)
    return urlunsplit((parts.scheme, user.split(":")[0] + ":***@" + host, parts.path, parts.query, parts.fragment))


def store_files(url: str | os.PathLike[str]) -> tuple[str, ...]:
    """The local files that hold the store at ``url`` (what no output may overwrite), without
    opening it; empty for ``:memory:`` and a database server."""
    path = sqlite_path(url)
    if path is None:
        return ()
    from newsgraph.store.sqlite import files_of

    return files_of(path)


__all__ = [
    "DATE_SOURCES", "DEFAULT_QUOTE_KINDS", "NO_VALUE", "QUOTE_KINDS", "UNDATED", "ActorArticle", "ActorDetail",
    "ActorRow", "ActorWeek", "AddResult", "AnalysisCounts", "ArticleRow", "CoActor", "EventRow", "EventTally",
    "FacetCount", "FailureRow", "NotAnalysedCount", "QuoteCounts", "QuoteRow", "RunRow", "SearchFacets",
    "SearchHit", "SourceRow", "SpeakerRow", "Store", "StoredArticle", "StoryRow", "describe_evidence",
    "describe_published", "open_store", "sqlite_path", "store_files",
]
