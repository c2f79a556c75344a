"""Export the store's articles as JSON Lines, CSV or Parquet, streaming.

Works on any ``Store`` (only ``iter_articles`` is used). Articles are written
as they are read, Parquet in row groups of ``BATCH`` rows, so memory stays
bounded whatever the number of articles.

Formats (all UTF-8; every file loads with pandas ``read_json(lines=True)``,
``read_csv`` and ``read_parquet``):

* ``jsonl`` -- one ``Article.as_dict()`` object per line plus ``"sources"``
  (``[{"source", "url", "added_at"}]``) and ``"added_at"``.
* ``csv`` -- header row, one article per row; ``authors`` joined by ``"; "``,
  ``credits``, ``removed``, ``sources`` and the analysis fields (``analysis``: its status) as JSON text.
* ``parquet`` -- typed columns: ``authors`` list<string>, ``published_confidence`` double,
  ``credits`` list<struct<kind, name>>, ``removed`` list<struct<kind, text>>, ``sources``
  list<struct<source, url, added_at>>, ``analysis`` struct<status, language, pipeline, code, reason>.

The date's evidence (``published_source``, ``published_confidence``), ``modified`` and ``credits``
are empty for articles stored before schema 13, which did not record them.

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
from pathlib import Path
from typing import IO, Any, Literal

from newsgraph.outputs import write_output
from newsgraph.store import Store, StoredArticle

ExportFormat = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
BATCH = 1000

CSV_COLUMNS = ("id", "source", "url", "title", "outlet", "authors", "published", "published_source",
               "published_confidence", "modified", "credits", "language", "text", "removed", "entities", "attributions", "events", "analysis", "sources", "added_at")


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
                a.id, a.source, a.url, a.title, a.outlet, "; ".join(a.authors), a.published, a.published_source,
                a.published_confidence, a.modified,
                json.dumps([{kind: name} for kind, name in a.credits], ensure_ascii=False), a.language, a.text,
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
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("outlet", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published", pa.string()),
        ("published_source", pa.string()),
        ("published_confidence", pa.float64()),
        ("modified", pa.string()),
        ("credits", pa.list_(pa.struct([("kind", pa.string()), ("name", pa.string())]))),
        ("language", pa.string()),
        ("text", pa.string()),
        ("removed", pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())]))),
        ("entities", pa.string()),  # JSON array, as in the jsonl export
        ("attributions", pa.string()),  # JSON array, as in the jsonl export
        ("events", pa.string()),  # JSON array, as in the jsonl export
        ("analysis", pa.struct([(k, pa.string()) for k in ("status", "language", "pipeline", "code", "reason")])),
        ("sources", pa.list_(pa.struct([("source", pa.string()), ("url", pa.string()),
                                        ("added_at", pa.string())]))),
        ("added_at", pa.string()),
    ])


def _write_parquet(articles: Iterator[StoredArticle], stream: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    names = schema.names
    n = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for stored in articles:
            rec = article_record(stored)
            rec["entities"] = json.dumps(rec["entities"], ensure_ascii=False)
            rec["attributions"] = json.dumps(rec["attributions"], ensure_ascii=False)
            rec["events"] = json.dumps(rec["events"], ensure_ascii=False)
            rec["credits"] = [{"kind": kind, "name": name} for kind, name in stored.article.credits]
            batch.append({k: rec[k] for k in names})
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema), row_group_size=BATCH)
                n += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema), row_group_size=BATCH)
            n += len(batch)
    return n
