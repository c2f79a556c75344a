from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsgraph.ids import article_id
from newsgraph.store import Store, open_store
from newsgraph.store.export import BATCH, CSV_COLUMNS, article_record, export_articles
from newsgraph.types import Article, Removed

TRICKY = [
    "Plain body text.",
    'Quotes " and commas, and\nnewlines\r\nand tabs\t and "embedded ""quotes""".',
    "Unicode: Ünïcödé — 日本語 — emoji 😀 — RTL עברית — zero\u200bwidth",
    "Semicolons; in; text; and a very long line " + "x" * 5000,
]


def fill(store: Store, n_extra: int = 0) -> list[dict]:
    for i, text in enumerate(TRICKY):
        store.add_article(Article(
            id=article_id(text), source=f"src/{i}.html", url=f"https://ex.com/{i}" if i % 2 else None,
            title=f"Title {i}" if i != 1 else None, outlet="Example" if i else None,
            authors=("Ann A.", "Bob, B.") if i == 2 else (), published=f"2024-01-0{i + 1}T00:00:00Z",
            language="en", text=text,
            removed=(Removed("caption", "a caption; with \"quotes\""), Removed("byline", "By Ann")) if i else (),
        ))
    text0 = TRICKY[0]
    store.add_article(Article(article_id(text0), "mirror.html", "https://mirror/0", None, None, (), None,
                              None, text0))
    for i in range(n_extra):
        text = f"bulk article {i} " + "lorem ipsum " * 20
        store.add_article(Article(article_id(text), f"bulk-{i}", None, f"Bulk {i}", "Bulk", ("X",),
                                  None, "en", text))
    return [article_record(s) for s in store.iter_articles()]


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "ng.db")
    yield s
    s.close()


def test_jsonl_roundtrip(store: Store, tmp_path: Path):
    expected = fill(store)
    out = tmp_path / "a.jsonl"
    assert export_articles(store, "jsonl", out) == len(expected) == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    got = [json.loads(line) for line in lines]
    assert got == expected
    assert got[0]["sources"][1]["source"] == "mirror.html"
    assert Article.from_dict(got[2]) == store.get_article(got[2]["id"]).article
    for key in ("entities", "attributions", "events", "removed", "authors"):
        assert key in got[0]


def test_csv_roundtrip(store: Store, tmp_path: Path):
    expected = fill(store)
    out = tmp_path / "a.csv"
    assert export_articles(store, "csv", out) == 4
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(expected)
    for row, exp in zip(rows, expected, strict=True):
        assert row["id"] == exp["id"]
        assert row["text"] == exp["text"]
        assert row["title"] == (exp["title"] or "")
        assert row["authors"] == "; ".join(exp["authors"])
        assert json.loads(row["removed"]) == exp["removed"]
        assert json.loads(row["sources"]) == exp["sources"]
        assert row["source"] == exp["source"]


def test_parquet_roundtrip(store: Store, tmp_path: Path):
    expected = fill(store, n_extra=BATCH + 10)
    out = tmp_path / "a.parquet"
    assert export_articles(store, "parquet", out) == len(expected)
    pf = pq.ParquetFile(out)
    assert pf.metadata.num_rows == len(expected)
    assert pf.metadata.num_row_groups == 2  # streamed in BATCH-row groups
    got = pq.read_table(out).to_pylist()
    for row, exp in zip(got, expected, strict=True):  # typed values: days, instants; the rest as in JSON
        day = exp.pop("published")
        assert row.pop("published") == (date.fromisoformat(day[:10]) if day else None)
        assert row.pop("added_at") == datetime.fromisoformat(exp.pop("added_at"))
        for s, e in zip(row["sources"], exp["sources"], strict=True):
            assert s.pop("added_at") == datetime.fromisoformat(e.pop("added_at"))
    assert [{k: r[k] for k in got[0]} for r in expected] == got
    assert pf.schema_arrow.field("authors").type.value_type == "string"


def test_export_to_binary_stream_and_empty(store: Store):
    for fmt in ("jsonl", "csv", "parquet"):
        buf = io.BytesIO()
        assert export_articles(store, fmt, buf) == 0
        assert not buf.closed
    buf = io.BytesIO()
    assert export_articles(store, "parquet", buf) == 0
    assert pq.read_table(io.BytesIO(buf.getvalue())).num_rows == 0
    fill(store)
    for fmt in ("jsonl", "csv", "parquet"):
        buf = io.BytesIO()
        assert export_articles(store, fmt, buf) == 4
        assert not buf.closed and buf.getvalue()


def test_unknown_format(store: Store, tmp_path: Path):
    with pytest.raises(ValueError):
        export_articles(store, "xml", tmp_path / "x")  # type: ignore[arg-type]
    assert not list(tmp_path.glob("*x*"))


def test_failed_export_leaves_no_file(store: Store, tmp_path: Path, monkeypatch):
    fill(store)
    out = tmp_path / "a.jsonl"

    def broken():
        yield from []
        raise RuntimeError("disk gone")

    monkeypatch.setattr(store, "iter_articles", broken)
    with pytest.raises(RuntimeError):
        export_articles(store, "jsonl", out)
    assert not out.exists() and not list(tmp_path.glob(".a.jsonl*"))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_memory_does_not_grow_with_articles(tmp_path: Path, fmt: str):
    """Peak Python allocations for 2000 vs 6000 articles stay within the same bound."""
    peaks = []
    for n in (2000, 6000):
        db = tmp_path / f"{n}.db"
        with open_store(db) as s:
            for i in range(n):
                text = f"memory article {i} " + "word " * 200
                s.add_article(Article(article_id(text), f"m{i}", None, f"T{i}", None, (), None, "en", text))
            tracemalloc.start()
            export_articles(s, fmt, tmp_path / f"{n}.{fmt}")
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    print(fmt, peaks)
    assert peaks[1] < peaks[0] * 1.5, peaks


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_loads_in_pandas(store: Store, tmp_path: Path, fmt: str):
    pd = pytest.importorskip("pandas")
    expected = fill(store)
    out = tmp_path / f"a.{fmt}"
    export_articles(store, fmt, out)
    if fmt == "jsonl":
        df = pd.read_json(out, lines=True, dtype=False)
    elif fmt == "csv":
        df = pd.read_csv(out, keep_default_na=False, dtype=str)
    else:
        df = pd.read_parquet(out)
    assert len(df) == len(expected)
    assert list(df["id"]) == [e["id"] for e in expected]
    assert list(df["text"]) == [e["text"] for e in expected]
