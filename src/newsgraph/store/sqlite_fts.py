"""SQLite full-text search (FTS5): what a user's query may ask for, and reading it safely.

* A query is FTS5 syntax (words, "phrases", ``word*`` prefixes, AND / OR / NOT / NEAR,
  ``title:`` columns). A syntax error is not an error for the user: the query is run
  again with each word as a phrase (``_fallback_query``); only a query with no words
  at all is ``store.bad_query``.
* Its cost is bounded before it runs (``_check_cost``: at most ``MAX_QUERY_TERMS`` words,
  ``MAX_QUERY_PREFIXES`` prefixes, each of at least ``MIN_PREFIX_CHARS`` letters); what
  passes is time-boxed by the connection (``sqlite.QUERY_TIMEOUT``).
* ``_search_filters``: a search's outlet / language / month filters as SQL over ``articles a``.

SQLite-specific: a PostgreSQL backend has its own query parser (``websearch_to_tsquery``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from newsgraph.errors import StoreError
from newsgraph.store.rows import NO_VALUE, UNDATED

_T = TypeVar("_T")

# What one search query may ask for (``_check_cost``). The caps bound the worst case; the
# time box (``QUERY_TIMEOUT``) stops whatever is still too slow. Costs on the 100,000-article
# bench store (``bench/synth_store.py``, 2 cores): the 32 commonest words OR-ed 1.7 s, 8 common
# two-letter prefixes OR-ed 2.0 s; the 83 one-letter prefixes OR-ed 40 s.

#: Words one search query may hold (each word of a phrase counts; AND, OR, NOT, NEAR and column
#: names do not): each word is one more list of articles to read and merge.
MAX_QUERY_TERMS = 32
#: Prefix terms (``word*``) one search query may hold: a prefix expands to every indexed word
#: that starts with it, and the lists of articles of all of them are read and merged.
MAX_QUERY_PREFIXES = 8
#: Letters a prefix needs before its ``*``. ``a*`` expands to a large share of the vocabulary
#: ("a", "and", "after", "about" ...) and so reads an entry for nearly every article: 1.6 s
#: for that one term on the bench store (a two-letter prefix: 0.6-0.8 s).
MIN_PREFIX_CHARS = 2

_FTS_PIECE = re.compile(r'"(?:[^"]|"")*"?|(?:[A-Za-z0-9_\x1a]|[^\x00-\x7f])+|\S')
_FTS_WORD = re.compile(r"[^\W_]+")
_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _fallback_query(query: str) -> str | None:
    """Each whitespace-separated word as an FTS5 phrase (``w*`` kept as a prefix)."""
    parts = []
    for word in query.split():
        prefix = word.endswith("*")
        core = word.rstrip("*") if prefix else word
        if not any(ch.isalnum() for ch in core):
            continue
        parts.append('"' + core.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts) or None


def _query_terms(query: str) -> tuple[int, list[str]]:
    """``(words, prefixes)`` of an FTS5 query as its tokenizer (unicode61) sees them: how many
    words it searches, and the word before each ``*``, lower-cased. Operators and column names
    (``title:``, ``{title text}:``) are not words; a ``*`` after a phrase applies to its last word.
    Syntax errors are read the same way (the fallback query has the same words)."""
    n, prefixes = 0, []
    last: str | None = None  # the last word of the bareword or phrase just read
    in_columns = False
    pieces = _FTS_PIECE.findall(query)
    for i, piece in enumerate(pieces):
        if piece == "*":
            if last is not None:
                prefixes.append(last)
            last = None
            continue
        last = None
        if piece in ("{", "}"):
            in_columns = piece == "{"
            continue
        if in_columns or piece in _FTS_OPERATORS or (i + 1 < len(pieces) and pieces[i + 1] == ":"):
            continue
        words = _FTS_WORD.findall(piece)
        n += len(words)
        if words:
            last = words[-1].lower()
    return n, prefixes


def _check_cost(query: str) -> None:
    """Refuse (``store.bad_query``, saying why) a query whose cost has no useful bound: more than
    ``MAX_QUERY_TERMS`` words or ``MAX_QUERY_PREFIXES`` prefix terms, or a prefix shorter than
    ``MIN_PREFIX_CHARS``. What passes is still time-boxed (``SQLiteStore.query_timeout``)."""
    n, prefixes = _query_terms(query)
    short = next((p for p in prefixes if len(p) < MIN_PREFIX_CHARS), None)
    if short is not None:
        raise StoreError(f"search query too expensive: the prefix {short}* matches most words of every article;"
                         f" give at least {MIN_PREFIX_CHARS} letters before a *", code="store.bad_query")
    if n > MAX_QUERY_TERMS:
        raise StoreError(f"search query too expensive: {n} words, at most {MAX_QUERY_TERMS} are searched at once",
                         code="store.bad_query")
    if len(prefixes) > MAX_QUERY_PREFIXES:
        raise StoreError(f"search query too expensive: {len(prefixes)} prefix terms (word*),"
                         f" at most {MAX_QUERY_PREFIXES} are searched at once", code="store.bad_query")


def _check_query(query: str) -> None:
    if not query or not query.strip():
        raise StoreError("empty search query", code="store.bad_query")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError("search query is not valid Unicode", code="store.bad_query") from exc
    if "\x00" in query:
        raise StoreError("search query contains a NUL character", code="store.bad_query")
    if not any(ch.isalnum() for ch in query):
        raise StoreError(f"search query {query!r} has no searchable words", code="store.bad_query")
    _check_cost(query)


def _fts_rows(conn: sqlite3.Connection, sql: str, query: str, params: tuple[Any, ...],
              params_before: tuple[Any, ...]) -> list[Any]:
    """Run an FTS5 ``MATCH ?`` query: the user's syntax first, else each word as a phrase."""
    return _with_fts(query, lambda q: conn.execute(sql, (*params_before, q, *params)).fetchall())


def _with_fts(query: str, run: Callable[[str], _T]) -> _T:
    """``run(q)`` with the user's FTS5 query; on a syntax error, with each word as a phrase.
    Both are checked first (``_check_query``, ``_check_cost``)."""
    _check_query(query)
    try:
        return run(query)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "SQLITE_ERROR") != "SQLITE_ERROR":
            raise
        fallback = _fallback_query(query)
        if fallback is None:
            raise StoreError(f"search query {query!r} has no searchable words",
                             code="store.bad_query") from exc
        _check_cost(fallback)
        try:
            return run(fallback)
        except sqlite3.OperationalError as exc2:
            if getattr(exc2, "sqlite_errorname", "SQLITE_ERROR") != "SQLITE_ERROR":
                raise
            raise StoreError(f"cannot understand search query {query!r}: {exc}",
                             code="store.bad_query") from exc2


def _search_filters(outlet: str | None, language: str | None, month: str | None) -> tuple[str, list[str]]:
    """``(" AND ...", params)`` restricting a search (alias ``a`` for articles) to one outlet,
    language and month; ``NO_VALUE``/``UNDATED`` select the articles without one."""
    conds: list[str] = []
    params: list[str] = []
    for column, value in (("a.outlet", outlet), ("a.language", language)):
        if value == NO_VALUE:
            conds.append(f"COALESCE({column}, '') = ''")
        elif value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    if month == UNDATED:
        conds.append("COALESCE(length(a.published), 0) < 7")
    elif month is not None:
        conds.append("length(a.published) >= 7 AND substr(a.published, 1, 7) = ?")
        params.append(month)
    return "".join(" AND " + c for c in conds), params
