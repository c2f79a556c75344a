"""Named columns for the SQLite backend's hot reads, at no cost per row.

A row mapper is a function whose parameters are named after the columns it reads
(``def _attribution(article_id, idx, kind, content_start, ...)``); ``select(fn)`` builds the
SELECT list from those names, in order, so a row is passed as ``fn(*row)`` and every value
lands on the parameter of its name: no positional index, no hand-counted list, and no
per-row name lookup (``sqlite3.Row`` costs ~2x the mapping on a page of quotes, ~1.8x on
``iter_articles``). Columns that are expressions are named with ``AS``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any


def select(fn: Callable[..., Any], *, table: str | None = None, exprs: dict[str, str] | None = None) -> str:
    """The SELECT list of the rows ``fn`` maps: one column per parameter, in order. A plain column
    is ``table.name``; ``exprs`` gives the SQL of the others (``"speaker": "COALESCE(...)"``)."""
    names = list(inspect.signature(fn).parameters)
    exprs = exprs or {}
    unknown = sorted(set(exprs) - set(names))
    if unknown:
        raise TypeError(f"{fn.__name__} has no parameter for the columns {unknown}")
    prefix = f"{table}." if table else ""
    return ", ".join(f"{exprs[n]} AS {n}" if n in exprs else f"{prefix}{n}" for n in names)


def same_fields(fn: Callable[..., Any], cls: type, *, skip: tuple[str, ...] = ()) -> None:
    """Refuse (at import) a mapper whose parameters, ``skip`` aside, are not ``cls``'s fields in order:
    it may then build ``cls`` positionally, each value still under its own name."""
    params = [p for p in inspect.signature(fn).parameters if p not in skip]
    fields = list(inspect.signature(cls).parameters)
    if params != fields:
        raise TypeError(f"{fn.__name__}'s columns {params} are not the fields of {cls.__name__} {fields}")
