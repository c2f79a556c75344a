"""Facet columns of every stored article, held in memory: each article's outlet, language and month.

A search page counts its matches by outlet, language and month over *every* match
(not one page of them). Looking each match up in the articles table costs a random
read into a table of full texts (about 4 µs each: 140 ms for a common word with
25,000 matches on a 100,000-article store), which is most of a search page's time.

Articles never change their outlet, language or date once stored, and they are
only ever added (their ``seq`` grows), so the three values are kept here as numpy
arrays of small codes indexed by ``seq``, extended with the articles added since
the last call (one read of a covering index, ``articles_facets``). Counting a
search's facets is then the FTS match's row ids plus one array gather:

    columns.extend(rows)            # (seq, outlet, language, published) of new articles
    columns.groups(seqs)            # [(outlet, language, month, n), ...] over those articles

Articles are only ever added, but with several writers (PostgreSQL) not in ``seq`` order: a
writer's transaction takes its ``seq`` when it inserts and shows it when it commits, so a higher
``seq`` may be seen first. ``NewArticles`` gives each article's row once, whatever the order:
it re-reads above a *settled* ``seq`` (every article at or below it is visible or never will be)
and skips the rows it gave already. The settled mark moves to the last ``seq`` handed out at an
earlier read once every transaction running then has ended (``Reader.seq_horizon``: writers take
their transaction id before their first ``seq``, so those are the transactions below that read's
``xmax``); where articles become visible in ``seq`` order (SQLite) it is the highest ``seq`` read.
A gap (a rolled-back insert) is re-read past until the mark moves over it, a read or two later.

A search looks at its newest ``config.SEARCH_BOUND`` matches only (``BaseStore.search_page``):
``groups`` counts those of the query without its filters (the facets), and when the query matched
more, ``estimate`` says about how many in all, from the share of the store's articles those newest
matches reach back over (the rest are assumed to match as often). The hits come from a second
bounded read with the filters in it (the backend's), estimated the same way over the articles that
pass the filters when more than the bound pass them.

Values are as the search page shows them: ``NO_VALUE`` for an article without an
outlet or language, ``UNDATED`` without a month, the month as ``YYYY-MM``.
Memory: 6 bytes per stored article (6 MB for a million). Thread-safe.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from newsgraph.store.rows import NO_VALUE, UNDATED, FacetCount, SearchFacets


class _Vocabulary:
    """Distinct values of one column, each with a small integer code."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.codes: dict[str, int] = {}

    def code(self, value: str) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code


class NewArticles:
    """``(seq, outlet, language, published)`` of the articles not given yet, each once (see the
    module docstring). Not thread-safe: its caller holds a lock."""

    def __init__(self) -> None:
        self.settled = 0  # every article at or below it was given, or never will be
        self._given: set[int] = set()  # articles above ``settled`` given already
        self._pending: tuple[int, int] | None = None  # (xmax, last seq) of a read waiting to settle

    def read(self, r: Any) -> list[tuple[int, Any, Any, Any]]:
        horizon = r.seq_horizon()
        rows = [row for row in r.facet_rows(self.settled) if row[0] not in self._given]
        self._given.update(row[0] for row in rows)
        if horizon is None:
            top = max((row[0] for row in rows), default=self.settled)
            self._settle(max(top, max(self._given, default=0)))
            return rows
        xmin, xmax, last = horizon
        if self._pending is not None and xmin >= self._pending[0]:
            self._settle(self._pending[1])
            self._pending = None
        if self._pending is None:
            if xmin >= xmax:  # no writer was running: everything handed out is visible to this read
                self._settle(last)
            else:
                self._pending = (xmax, last)
        return rows

    def _settle(self, seq: int) -> None:
        if seq > self.settled:
            self.settled = seq
            self._given = {s for s in self._given if s > seq}


class FacetColumns:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.max_seq = 0
        self._new = NewArticles()
        self._known = np.zeros(1024, dtype=bool)
        self._vocab = (_Vocabulary(), _Vocabulary(), _Vocabulary())
        self._cols = np.zeros((3, 1024), dtype=np.int32)  # rows: outlet, language, month; columns: seq

    def knows(self, seqs: np.ndarray) -> bool:
        """Whether every article of ``seqs`` is in the columns."""
        with self._lock:
            return bool(len(seqs) == 0 or (int(seqs.max()) < len(self._known) and self._known[seqs].all()))

    def catch_up(self, r: Any) -> None:
        """Add the articles reader ``r`` sees that the columns lack (``NewArticles``)."""
        with self._lock:
            self._add(self._new.read(r))

    def extend(self, rows: Iterable[tuple[int, Any, Any, Any]]) -> None:
        """Add ``(seq, outlet, language, published)`` rows of articles not in the columns yet."""
        with self._lock:
            self._add(rows)

    def _add(self, rows: Iterable[tuple[int, Any, Any, Any]]) -> None:
        for seq, outlet, language, published in rows:
            if seq < len(self._known) and self._known[seq]:
                continue
            if seq >= self._cols.shape[1]:
                size = max(seq + 1, 2 * self._cols.shape[1])
                grown = np.zeros((3, size), dtype=np.int32)
                grown[:, :self._cols.shape[1]] = self._cols
                self._cols = grown
                known = np.zeros(size, dtype=bool)
                known[:len(self._known)] = self._known
                self._known = known
            month = published[:7] if isinstance(published, str) and len(published) >= 7 else UNDATED
            for i, value in enumerate((outlet or NO_VALUE, language or NO_VALUE, month)):
                self._cols[i, seq] = self._vocab[i].code(value)
            self._known[seq] = True
            self.max_seq = max(self.max_seq, seq)

    def _passing(self, known: np.ndarray, outlet: str | None, language: str | None,
                 month: str | None) -> np.ndarray:
        """``known`` (a mask over ``seq``) narrowed to the articles with this outlet, language and month
        (None: any; ``NO_VALUE``/``UNDATED``: without one), as the search filters select them in SQL.
        The caller holds the lock."""
        for i, want in enumerate((outlet, language, month)):
            if want is not None:
                code = self._vocab[i].codes.get(want)
                known = known & (self._cols[i, :len(known)] == code) if code is not None else known & False
        return known

    def estimate(self, counted: int, oldest: int, *, outlet: str | None = None, language: str | None = None,
                 month: str | None = None) -> int:
        """All matches of a search whose newest ``counted`` matches (those passing the filters, when
        given) go back to article ``oldest``, assuming the older articles passing them match as often
        (two significant digits: "about 48,000")."""
        with self._lock:
            mask = self._known
            if outlet is not None or language is not None or month is not None:
                mask = self._passing(mask, outlet, language, month)
            since = int(mask[oldest:].sum())
            every = int(mask.sum())
        guess = max(counted + 1, round(counted * every / max(since, 1)))
        return max(counted + 1, int(float(f"{guess:.2g}")))

    def groups(self, seqs: np.ndarray) -> list[tuple[str, str, str, int]]:
        """How many of the articles ``seqs`` have each (outlet, language, month); an article not in the
        columns (committed after they were read) is left out."""
        with self._lock:
            seqs = seqs[seqs < len(self._known)]
            seqs = seqs[self._known[seqs]]
            if len(seqs) == 0:
                return []
            cols = self._cols[:, seqs]
            sizes = [max(1, len(v.values)) for v in self._vocab]
            keys = (cols[0].astype(np.int64) * sizes[1] + cols[1]) * sizes[2] + cols[2]
            found, counts = np.unique(keys, return_counts=True)
            out = []
            for key, n in zip(found.tolist(), counts.tolist(), strict=True):
                key, m = divmod(key, sizes[2])
                o, lang = divmod(key, sizes[1])
                out.append((self._vocab[0].values[o], self._vocab[1].values[lang], self._vocab[2].values[m], n))
            return out


def facet_counts(groups: list[tuple[str, str, str, int]], outlet: str | None, language: str | None,
                 month: str | None, *, estimate: int | None = None) -> SearchFacets:
    """``SearchFacets`` of a search's matches (``FacetColumns.groups``): each facet counts the matches
    that pass the *other* facets' filters; outlets and languages most matches first, months newest
    first with ``UNDATED`` last. ``estimate``: the groups are the newest matches only (the search's
    bound), and this is about how many there are in all (``FacetColumns.estimate``)."""
    want = (outlet, language, month)

    def passes(group: tuple[Any, ...], skip: int | None = None) -> bool:
        return all(w is None or i == skip or group[i] == w for i, w in enumerate(want))

    def counts(i: int) -> Counter[str]:
        c: Counter[str] = Counter()
        for g in groups:
            if passes(g, skip=i):
                c[g[i]] += g[3]
        return c

    def most_first(c: Counter[str]) -> tuple[FacetCount, ...]:
        return tuple(FacetCount(v, n) for v, n in sorted(c.items(), key=lambda x: (-x[1], x[0])))

    months = sorted(counts(2).items(), key=lambda x: (x[0] != UNDATED, x[0]), reverse=True)
    counted = sum(g[3] for g in groups)
    return SearchFacets(total=counted if estimate is None else estimate,
                        matching=sum(g[3] for g in groups if passes(g)),
                        outlet=most_first(counts(0)), language=most_first(counts(1)),
                        month=tuple(FacetCount(v, n) for v, n in months), about=estimate is not None, counted=counted)
