"""Export the store's articles as JSON Lines, CSV or Parquet, streaming.

Works on any ``Store`` (only ``iter_articles`` is used). Articles are written
as they are read, Parquet in row groups of ``BATCH`` rows, so memory stays
bounded whatever the number of articles.

Formats (all UTF-8; every file loads with pandas ``read_json(lines=True)``,
``read_csv`` and ``read_parquet``):

* ``jsonl`` -- one ``Article.as_dict()`` object per line plus ``"sources"``
  (``[{"source", "url", "added_at"}]``) and ``"added_at"``.
* ``csv`` -- header row, one article per row; ``authors`` joined by ``"; "``,
  ``credits``, ``headings``, ``removed``, ``sources`` and the analysis fields (``analysis``: its status) as JSON text.
* ``parquet`` -- typed Arrow columns, so pandas, DuckDB and Polars read real types: ``published``
  and ``modified`` date32 (the day), ``added_at`` (also of each source) timestamp[us, tz=UTC],
  ``authors`` list<string>, ``published_confidence`` double, ``credits`` list<struct<kind, name>>,
  ``headings`` list<struct<start, end>> (int32 offsets into ``text``: the sub-heads), ``page_kind`` and
  ``section`` string,
  ``removed`` list<struct<kind, text>>, ``sources`` list<struct<source, url, added_at>>,
  ``analysis`` struct<status, language, pipeline, code, reason>, and the analysis as lists of
  structs with the fields of the JSON form: ``entities`` (id, name, type, mentions), ``attributions``
  (kind, source, cue, content with its ``spans``, via, confidence, statement, negated, frame,
  category) and ``events`` (type, trigger, actor, target, negated, modality, ``date`` date32,
  location, attribution, timing, date_from, object, same_as). A span is struct<start, end, text>
  (int32 offsets into ``text``), with ``entity`` where the JSON form has one. A stored date that
  is not a ``YYYY-MM-DD`` day (there should be none) is written as null, its text kept in the
  jsonl export.

The date's evidence (``published_source``, ``published_confidence``), ``modified`` and ``credits``
are empty for articles stored before schema 13, which did not record them; ``headings`` and
``page_kind`` for those stored before schema 15, ``section`` before schema 16.

``out`` is a path or a binary stream (left open). A path goes through
``newsgraph.outputs.write_output``: checked before anything is written (never
the store's own files, a folder, or a symbolic link over a file; one-line
``OutputError``), written to a temporary sibling and renamed into place.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from newsgraph.outputs import write_output
from newsgraph.store import Store, StoredArticle

ExportFormat = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
BATCH = 1000

CSV_COLUMNS = ("id", "source", "url", "title", "outlet", "section", "authors", "published", "published_source",
               "published_confidence", "modified", "credits", "language", "page_kind", "text", "headings", "removed", "entities", "attributions", "events", "analysis", "sources", "added_at")


def export_articles(store: Store, fmt: ExportFormat, out: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write every article of ``store`` to ``out`` in ``fmt``; return how many."""
    writers: dict[str, Callable[[Iterator[StoredArticle], IO[bytes]], int]] = {
        "jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet,
    }
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    write = writers[fmt]
    if isinstance(out, str | os.PathLike):
        files = getattr(store, "files", None)
        protected = files() if callable(files) else ()
        return write_output(Path(out), lambda stream: write(store.iter_articles(), stream), protected=protected)
    return write(store.iter_articles(), out)


def article_record(stored: StoredArticle) -> dict[str, Any]:
    """The JSON form of one stored article: ``Article.as_dict()`` + sources + added_at."""
    d = stored.article.as_dict()
    d["sources"] = [{"source": s.source, "url": s.url, "added_at": s.added_at} for s in stored.sources]
    d["added_at"] = stored.added_at
    return d


def _write_jsonl(articles: Iterator[StoredArticle], stream: IO[bytes]) -> int:
    n = 0
    for stored in articles:
        stream.write(json.dumps(article_record(stored), ensure_ascii=False).encode("utf-8") + b"\n")
        n += 1
    stream.flush()
    return n


def _write_csv(articles: Iterator[StoredArticle], stream: IO[bytes]) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        n = 0
        for stored in articles:
            a = stored.article
            writer.writerow((
                a.id, a.source, a.url, a.title, a.outlet, a.section, "; ".join(a.authors), a.published, a.published_source,
                a.published_confidence, a.modified,
                json.dumps([{kind: name} for kind, name in a.credits], ensure_ascii=False), a.language, a.page_kind, a.text,
                json.dumps([{"start": s, "end": e} for s, e in a.headings]),
                json.dumps([{"kind": r.kind, "text": r.text} for r in a.removed], ensure_ascii=False),
                json.dumps([x.as_dict() for x in a.entities], ensure_ascii=False),
                json.dumps([x.as_dict() for x in a.attributions], ensure_ascii=False),
                json.dumps([x.as_dict() for x in a.events], ensure_ascii=False),
                json.dumps(a.analysis.as_dict(), ensure_ascii=False),
                json.dumps([{"source": s.source, "url": s.url, "added_at": s.added_at}
                            for s in stored.sources], ensure_ascii=False),
                stored.added_at,
            ))
            n += 1
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
    return n


def parquet_schema() -> Any:
    """The Arrow schema of the Parquet export (see the module docstring)."""
    import pyarrow as pa

    text, day, at = pa.string(), pa.date32(), pa.timestamp("us", tz="UTC")
    span_fields = [("start", pa.int32()), ("end", pa.int32()), ("text", text)]
    span = pa.struct(span_fields)
    named = pa.struct([*span_fields, ("entity", text)])  # a span with the entity it names
    content = pa.struct([*span_fields, ("spans", pa.list_(pa.list_(pa.int32())))])
    entity = pa.struct([("id", text), ("name", text), ("type", text), ("mentions", pa.list_(span))])
    attribution = pa.struct([("kind", text), ("source", named), ("cue", span), ("content", content), ("via", named),
                             ("confidence", pa.float64()), ("statement", pa.bool_()), ("negated", pa.bool_()),
                             ("frame", text), ("category", text)])
    event = pa.struct([("type", text), ("trigger", span), ("actor", named), ("target", named),
                       ("negated", pa.bool_()), ("modality", text), ("date", day), ("location", named),
                       ("attribution", pa.int32()), ("timing", text), ("date_from", text), ("object", span),
                       ("same_as", pa.int32())])
    return pa.schema([
        ("id", text),
        ("source", text),
        ("url", text),
        ("title", text),
        ("outlet", text),
        ("section", text),
        ("authors", pa.list_(text)),
        ("published", day),
        ("published_source", text),
        ("published_confidence", pa.float64()),
        ("modified", day),
        ("credits", pa.list_(pa.struct([("kind", text), ("name", text)]))),
        ("language", text),
        ("page_kind", text),
        ("text", text),
        ("headings", pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32())]))),
        ("removed", pa.list_(pa.struct([("kind", text), ("text", text)]))),
        ("entities", pa.list_(entity)),
        ("attributions", pa.list_(attribution)),
        ("events", pa.list_(event)),
        ("analysis", pa.struct([(k, text) for k in ("status", "language", "pipeline", "code", "reason")])),
        ("sources", pa.list_(pa.struct([("source", text), ("url", text), ("added_at", at)]))),
        ("added_at", at),
    ])


def _day(value: str | None) -> date | None:
    """``2026-03-02`` (or the day of ``2026-03-02T10:00:00Z``) as a date; None for anything else."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _instant(value: str | None) -> datetime | None:
    """A stored ``2026-12-07T15:16:46.658121Z`` as an aware datetime (UTC); None if it is not one."""
    try:
        return datetime.fromisoformat(value).astimezone(UTC) if value else None
    except ValueError:
        return None


def parquet_record(stored: StoredArticle) -> dict[str, Any]:
    """``article_record`` with the values the Parquet schema types: days, instants, credits as structs."""
    rec = article_record(stored)
    rec["published"], rec["modified"] = _day(rec["published"]), _day(rec["modified"])
    rec["added_at"] = _instant(rec["added_at"])
    for s in rec["sources"]:
        s["added_at"] = _instant(s["added_at"])
    for ev in rec["events"]:
        ev["date"] = _day(ev["date"])
    rec["credits"] = [{"kind": kind, "name": name} for kind, name in stored.article.credits]
    return rec


def _write_parquet(articles: Iterator[StoredArticle], stream: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    names = schema.names
    n = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for stored in articles:
            rec = parquet_record(stored)
            batch.append({k: rec[k] for k in names})
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema), row_group_size=BATCH)
                n += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema), row_group_size=BATCH)
            n += len(batch)
    return n
