"""``newsgraph copy SRC DST``: a whole store into another, between any two backends, verified.

**Row for row.** Every table is copied as it is: articles keep their ``seq``, attributions,
entities and events their ids, actors their keys, the counters (``speaker_counts``,
``name_weeks``, ``dyad_weeks``, ``actors.n_*``) their values, runs and failures their ids. The
alternative, adding the articles again through ``add_articles`` and letting the services
re-derive actors and counters, was rejected: actor linking depends on the order articles came
in and on the user's corrections, so a re-derived registry could differ (other keys, a merge
that no longer applies, links a user fixed by hand undone), and every URL and citation that
names an actor key or an article would break. A copy must be the same store, not a similar
one; it is also faster (no matching, no counter arithmetic). What a backend derives from the
rows it makes itself as it loads them (search entries; the attribution tally, by trigger).

**Phases.** (1) the registry (actors, aliases, blocking keys, redirects, corrections) in one
transaction; (2) the articles in ``seq`` order, ``batch`` at a time, each batch with all its rows
(sources, attributions, entities, events, story signatures and bands: the bands, a function of
the signature, are computed from it rather than read) in one transaction;
(3) the counters, runs and the ingest log in one transaction; then the backend's ``end_load``
(identity sequences past the copied ids). Rows go through the bulk hooks of ``store.backend``
(``BulkReader.copy_rows``, ``BulkWriter.load_rows``: plain batched inserts on SQLite, the
backend's own bulk path where it has one).

**Resumable.** Each step is one transaction, so an interrupted copy leaves DST at a step's
end: empty, the registry and a prefix of the articles, or whole. Run again, the copy reads
where DST stands and goes on after its last article (the checkpoint is DST's own largest
``seq``; loads skip rows already there, so nothing is ever doubled). A DST that is not empty
and not such a prefix of SRC (another store, or SRC changed since) is refused
(``store.not_empty``), never mixed. SRC must not be written to while it is copied.

**Verified.** At the end both sides are counted table by table and the articles checksummed:
sha256 over every article in id order of ``id``, a tab, the sha256 of its text, a newline
(``checksum``); the copy fails (``store.copy_mismatch``) unless all of it agrees.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from newsgraph.errors import StoreError
from newsgraph.store import Store, open_store

#: The copied tables and their columns (schema 16; every backend has them under these names).
TABLES: dict[str, tuple[str, ...]] = {
    "actors": ("key", "name", "type", "created_at", "n_articles", "n_mentions"),
    "actor_aliases": ("actor_key", "alias", "norm"),
    "actor_keys": ("actor_key", "block"),
    "actor_redirects": ("old_key", "new_key", "at"),
    "corrections": ("seq", "op", "at"),
    "articles": ("seq", "id", "title", "outlet", "authors", "published", "language", "text", "removed", "n_chars",
                 "added_at", "analysis", "analysis_status", "analysis_language", "analysis_pipeline", "analysis_code",
                 "analysis_reason", "published_source", "published_confidence", "modified", "credits",
                 "headings", "page_kind", "section"),
    "sources": ("seq", "article_id", "source", "url", "added_at"),
    "attributions": ("seq", "article_id", "idx", "kind", "content_start", "content_end", "content_text",
                     "content_spans", "cue_start", "cue_end", "cue_text", "source_start", "source_end", "source_text",
                     "source_entity", "via_start", "via_end", "via_text", "via_entity", "confidence", "published",
                     "article_seq", "statement", "negated", "frame", "category"),
    "article_entities": ("seq", "article_id", "entity_id", "name", "type", "mentions", "n_mentions", "actor_key",
                         "published"),
    "events": ("seq", "article_id", "idx", "type", "trigger_start", "trigger_end", "trigger_text", "actor_start",
               "actor_end", "actor_text", "actor_entity", "target_start", "target_end", "target_text",
               "target_entity", "negated", "modality", "date", "location_start", "location_end", "location_text",
               "location_entity", "attribution", "sort_date", "article_seq", "week", "timing", "date_from",
               "object_start", "object_end", "object_text", "same_as"),
    "story_signatures": ("article_seq", "sig"),
    "story_bands": ("band", "key", "article_seq"),
    "speaker_counts": ("name", "n"),
    "name_weeks": ("name", "week", "articles", "mentions", "quotes"),
    "dyad_weeks": ("actor_entity", "target_entity", "week", "type", "n", "negated", "planned", "conditional",
                   "reported"),
    "ingest_runs": ("id", "started_at", "finished_at", "argv", "counts", "status", "host", "pid", "pid_start"),
    "ingest_errors": ("id", "run_id", "source", "code", "message", "at", "kind", "title", "url", "published"),
}
REGISTRY = ("actors", "actor_aliases", "actor_keys", "actor_redirects", "corrections")
ARTICLE_TABLES = ("articles", "sources", "attributions", "article_entities", "events", "story_signatures",
                  "story_bands")
TAIL = ("speaker_counts", "name_weeks", "dyad_weeks", "ingest_runs", "ingest_errors")
#: Kept by the backend itself (triggers): not copied, compared (its rows with n > 0).
TALLY = ("attribution_tally", ("kind", "statement", "negated", "confidence", "n"))
#: Articles per transaction, and rows per ``load_rows`` call for the whole tables.
BATCH = 500
CHUNK = 5000


@dataclass
class Side:
    """One store as the verification saw it."""

    url: str
    counts: dict[str, int]
    checksum: str


@dataclass
class CopyResult:
    src: Side
    dst: Side
    copied: int = 0  # articles copied by this run
    resumed_after: int | None = None  # the last article seq DST already had (None: a fresh copy)
    seconds: float = 0.0  # in all
    copy_seconds: float = 0.0  # of which copying (the rest: counting and checksumming both sides)
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


@contextmanager
def _reading(backend: Any, what: str) -> Iterator[Any]:
    """``backend.read(what)`` as a ``BulkReader``."""
    with backend.read(what) as r:
        yield _bulk_side(r, "copy_rows")


@contextmanager
def _writing(backend: Any, what: str) -> Iterator[Any]:
    """``backend.write(what)`` as a ``BulkWriter``."""
    with backend.write(what) as w:
        yield _bulk_side(w, "load_rows")


def _bulk_side(side: Any, method: str) -> Any:
    """``side``, which has the bulk hooks (``store.sqlite_bulk``, ``store.copy_pg``)."""
    if hasattr(side, method):
        return side
    raise StoreError(f"this kind of store cannot take part in a copy yet (no {method})", code="store.unsupported")


def _bulk(store: Store) -> Any:
    backend = getattr(store, "backend", None)
    if backend is None:
        raise StoreError("this store cannot be copied (no backend)", code="store.unsupported")
    return backend


def counts(backend: Any) -> dict[str, int]:
    """Rows per copied table, and the attribution tally's total (the sum of its ``n``)."""
    with _reading(backend, "cannot count rows") as r:
        out = {t: r.count_rows(t) for t in TABLES}
        out["attribution_tally (sum n)"] = sum(int(row[-1]) for row in r.copy_rows(TALLY[0], TALLY[1], None))
    return out


def checksum(backend: Any) -> str:
    """sha256 over the articles in id order: ``id``, tab, sha256 of the text, newline."""
    with _reading(backend, "cannot checksum articles") as r:
        pairs = sorted((aid, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
                       for aid, text in r.copy_rows("articles", ("id", "text"), None))
    h = hashlib.sha256()
    for aid, digest in pairs:
        h.update(f"{aid}\t{digest}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _tally(backend: Any) -> list[tuple[Any, ...]]:
    with _reading(backend, "cannot read the attribution tally") as r:
        return sorted(tuple(row) for row in r.copy_rows(TALLY[0], TALLY[1], None) if int(row[-1]) > 0)


def _where_dst_stands(src: Any, dst: Any, src_counts: dict[str, int], dst_counts: dict[str, int]) -> int | None:
    """The last article seq DST holds of SRC (0: empty; None: the copy is complete); refuses a
    DST that is not a resumable copy of SRC."""
    if not any(dst_counts.values()):
        return 0
    with _reading(dst, "cannot read the last article") as r:
        last = r.last_article()
    same_registry = all(dst_counts[t] == src_counts[t] for t in REGISTRY)
    prefix = last is None
    if last is not None:
        seq, aid = last
        with _reading(src, "cannot read articles") as r:
            here = [row[0] for row in r.copy_rows("articles", ("id",), (seq - 1, seq))]
            before = sum(1 for _ in r.copy_rows("articles", ("seq",), (0, seq)))
        prefix = here == [aid] and before == dst_counts["articles"]
    tail_empty = not any(dst_counts[t] for t in TAIL)
    if same_registry and prefix and tail_empty:
        return 0 if last is None else last[0]
    if same_registry and prefix and all(dst_counts[t] == src_counts[t] for t in (*ARTICLE_TABLES, *TAIL)):
        return None
    n = dst_counts["articles"]
    raise StoreError(f"the destination is not empty ({n:,} articles, {dst_counts['actors']:,} actors) and is not"
                     " an interrupted copy of the source; copy into a new, empty store", code="store.not_empty")


def _chunks(rows: Iterable[tuple[Any, ...]], n: int) -> Iterable[list[tuple[Any, ...]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def _copy_tables(src: Any, dst: Any, tables: tuple[str, ...], what: str) -> None:
    """Whole tables, in one DST transaction (rows streamed from SRC in chunks)."""
    with _reading(src, f"cannot read {what}") as r, _writing(dst, f"cannot copy {what}") as w:
        for t in tables:
            for chunk in _chunks(r.copy_rows(t, TABLES[t], None), CHUNK):
                w.load_rows(t, TABLES[t], chunk)


def _next_window(src: Any, after: int, batch: int, last: int) -> tuple[int, int] | None:
    """``(after, hi]``: a window of SRC seqs holding the next articles (jumping over a gap)."""
    with _reading(src, "cannot read articles") as r:
        rows = r.copy_rows("articles", ("seq",), (after, last))
        try:
            nxt = next(iter(rows), None)
        finally:
            getattr(rows, "close", lambda: None)()  # a server-side cursor closes inside its transaction
    if nxt is None:
        return None
    return after, max(int(nxt[0]) - 1 + batch, int(nxt[0]))


def _band_rows(signatures: list[tuple[Any, ...]]) -> list[tuple[int, int, int]]:
    """``story_bands`` rows of copied signatures: a function of the signature (``store.stories``), so
    made here rather than read (no backend indexes bands by article: reading them per batch would
    scan the table every time)."""
    from newsgraph.stories import bands, unpack

    return [(b, key, int(seq)) for seq, sig in signatures
            for b, key in enumerate(bands([int(v) for v in unpack(bytes(sig))]))]


def _copy_articles(src: Any, dst: Any, after: int, batch: int, last: int,
                   progress: Callable[[int], None] | None, on_batch: Callable[[int], None] | None) -> int:
    copied = 0
    while after < last:
        window = _next_window(src, after, batch, last)
        if window is None:
            break
        lo, hi = window[0], min(window[1], last)
        with _reading(src, f"cannot read articles {lo + 1}..{hi}") as r:
            rows = {t: list(r.copy_rows(t, TABLES[t], (lo, hi))) for t in ARTICLE_TABLES if t != "story_bands"}
        rows["story_bands"] = _band_rows(rows["story_signatures"])
        with _writing(dst, f"cannot copy articles {lo + 1}..{hi}") as w:
            for t in ARTICLE_TABLES:
                w.load_rows(t, TABLES[t], rows[t])
            if on_batch is not None:
                on_batch(hi)  # inside the transaction (tests interrupt a copy here)
        copied += len(rows["articles"])
        after = hi
        if progress is not None:
            progress(copied)
    return copied


def copy_store(src_url: str, dst_url: str, *, batch: int = BATCH, progress: Callable[[int], None] | None = None,
               on_batch: Callable[[int], None] | None = None) -> CopyResult:
    """Copy the store at ``src_url`` into ``dst_url`` (empty, or an interrupted copy of it: resumed),
    then count and checksum both; ``CopyResult.ok`` when every figure agrees."""
    t0 = time.perf_counter()
    with open_store(src_url, read_only=True, query_timeout=0) as s, open_store(dst_url, query_timeout=0) as d:
        src, dst = _bulk(s), _bulk(d)
        with _writing(dst, "cannot check the destination"):
            pass  # refuses a backend without the bulk hooks before anything is read
        src_counts, dst_counts = counts(src), counts(dst)
        after = _where_dst_stands(src, dst, src_counts, dst_counts)
        result = CopyResult(Side(src_url, src_counts, ""), Side(dst_url, {}, ""))
        if after is not None:
            result.resumed_after = after or None
            if after == 0:
                _copy_tables(src, dst, REGISTRY, "the actor registry")
            with _reading(src, "cannot read the last article") as r:
                last = r.last_article()
            if last is not None:
                result.copied = _copy_articles(src, dst, after, max(1, batch), last[0], progress, on_batch)
            _copy_tables(src, dst, TAIL, "counters, runs and failures")
        with _writing(dst, "cannot finish the copy") as w:
            w.end_load()  # also when an earlier run stopped just before it: it is idempotent
        result.copy_seconds = time.perf_counter() - t0
        result.dst.counts = counts(dst)
        result.src.checksum, result.dst.checksum = checksum(src), checksum(dst)
        result.mismatches = [f"{t}: {n:,} in the source, {result.dst.counts.get(t, 0):,} in the destination"
                             for t, n in src_counts.items() if result.dst.counts.get(t) != n]
        if result.src.checksum != result.dst.checksum:
            result.mismatches.append("article checksums differ")
        if _tally(src) != _tally(dst):
            result.mismatches.append("attribution tallies differ")
    result.seconds = time.perf_counter() - t0
    return result


__all__ = ["ARTICLE_TABLES", "BATCH", "REGISTRY", "TABLES", "TAIL", "CopyResult", "Side", "checksum",
           "copy_store", "counts"]
