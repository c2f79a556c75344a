"""Files, folders, JSON/JSONL records and stdin through ``iter_raw``."""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

from newsgraph.config import Settings
from newsgraph.sources import iter_raw
from newsgraph.types import Failure, RawDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
PAGE = "<html><head><title>T</title></head><body><p>Officials met in Riga.</p></body></html>"


def run(specs, settings: Settings | None = None, **kw):
    return list(iter_raw([str(s) for s in specs], settings or Settings(), **kw))


def by_source(items):
    return {i.source: i for i in items}


def test_folder_walk_is_recursive_sorted_and_skips_unknown_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z.txt").write_text("zed news story")
    (tmp_path / "b" / "2.htm").write_text(PAGE)
    (tmp_path / "b" / "1.html").write_text(PAGE)
    (tmp_path / "a" / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "a" / "notes.md").write_text("# skipped silently")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / ".hidden" / "x.html").write_text(PAGE)
    (tmp_path / "m.txt.gz").write_bytes(gzip.compress(b"gzipped text"))
    items = run([tmp_path])
    assert all(isinstance(i, RawDocument) for i in items), items
    rel = [str(Path(i.source).relative_to(tmp_path)) for i in items]
    assert rel == ["a/page.html.gz", "b/1.html", "b/2.htm", "m.txt.gz", "z.txt"]
    docs = by_source(items)
    assert docs[str(tmp_path / "a/page.html.gz")].data == PAGE
    assert docs[str(tmp_path / "a/page.html.gz")].kind == "html"
    assert docs[str(tmp_path / "z.txt")].kind == "text"
    assert docs[str(tmp_path / "m.txt.gz")].data == "gzipped text"
    assert run([tmp_path]) == items  # deterministic


def test_bad_files_fail_alone_and_the_batch_goes_on(tmp_path):
    settings = Settings(max_bytes=200)
    (tmp_path / "01-ok.html").write_text(PAGE)
    (tmp_path / "02-binary.html").write_bytes(b"%PDF-1.5\n\x00\x01binary")
    (tmp_path / "03-empty.txt").write_text("  \n\n ")
    (tmp_path / "04-undecodable.txt").write_bytes(b"\xff\xfe\x00\x00" + b"\x00\xd8\x00\x00" * 3)
    (tmp_path / "05-big.html").write_text("<p>" + "x" * 300 + "</p>")
    (tmp_path / "06-corrupt.html.gz").write_bytes(gzip.compress(PAGE.encode() * 3)[:25])
    (tmp_path / "07-gzip-bomb.html.gz").write_bytes(gzip.compress(b" " * 100_000))
    (tmp_path / "08-ok.txt").write_text("Closing text item")
    codes = {Path(i.source).name: (i.code if isinstance(i, Failure) else "ok") for i in run([tmp_path], settings)}
    assert codes == {
        "01-ok.html": "ok",
        "02-binary.html": "input.binary",
        "03-empty.txt": "input.empty",
        "04-undecodable.txt": "input.undecodable",
        "05-big.html": "input.too_large",
        "06-corrupt.html.gz": "input.undecodable",
        "07-gzip-bomb.html.gz": "input.too_large",
        "08-ok.txt": "ok",
    }
    for item in run([tmp_path], settings):
        if isinstance(item, Failure):
            assert item.message and "\n" not in item.message


def test_explicit_unsupported_and_missing_files(tmp_path):
    (tmp_path / "doc.pdf").write_bytes(b"%PDF")
    items = run([tmp_path / "doc.pdf", tmp_path / "nope.html", tmp_path / "x"])
    assert [(Path(i.source).name, i.code) for i in items] == [
        ("doc.pdf", "input.unsupported"),
        ("nope.html", "input.not_found"),
        ("x", "input.not_found"),
    ]


def test_jsonl_records_meta_and_per_line_failures(tmp_path):
    path = tmp_path / "records.jsonl"
    shutil.copy(FIXTURES / "records.jsonl", path)
    items = by_source(run([path]))
    src = f"{path}:"
    a = items[src + "1"]
    assert isinstance(a, RawDocument) and a.kind == "html" and a.url == "https://news.example/a"
    assert a.meta == {"title": "Grid talks", "published": "2024-05-01",
                      "authors": ["Maria Lindqvist", "Tomas Berzins"], "outlet": "The Baltic Courier"}
    b = items[src + "2"]
    assert b.kind == "text" and b.meta == {"published": "2024-05-02", "authors": ["Elena Moroz"]}
    assert src + "3" not in items  # blank line
    assert (items[src + "4"].code, items[src + "5"].code, items[src + "6"].code) == (
        "input.invalid", "input.invalid", "input.invalid")
    assert items[src + "7"].code == "input.empty"
    f = items[src + "8"]
    assert isinstance(f, RawDocument) and "published" not in f.meta  # "last Tuesday" is not a date
    assert len(items) == 7


def test_jsonl_line_too_large_and_not_utf8(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"text": "' + b"y" * 500 + b'"}\n' + b'{"text": "caf\xe9"}\n' + b'{"text": "fine"}\n')
    items = run([path], Settings(max_bytes=100))
    assert [(i.source.rsplit(":", 1)[1], getattr(i, "code", "ok")) for i in items] == [
        ("1", "input.too_large"), ("2", "input.undecodable"), ("3", "ok")]


def test_json_list_and_single_record(tmp_path):
    shutil.copy(FIXTURES / "records.json", tmp_path / "list.json")
    (tmp_path / "one.json").write_text('{"url": "https://news.example/one", "text": "Only one record."}')
    (tmp_path / "bad.json").write_text("{not json")
    items = run([tmp_path])
    got = [(Path(i.source).name, getattr(i, "code", "ok")) for i in items]
    assert got == [("bad.json", "input.invalid"), ("list.json[0]", "ok"), ("list.json[1]", "input.invalid"),
                   ("list.json[2]", "ok"), ("one.json", "ok")]
    assert items[1].kind == "html" and items[1].meta == {"title": "J1"}
    assert items[3].meta == {"outlet": "Nordic Wire"}


def test_skip_source_means_not_read(tmp_path):
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.html").write_text(PAGE)
    (tmp_path / "r.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n')
    skip = {str(tmp_path / "a.html"), f"{tmp_path / 'r.jsonl'}:2"}
    seen = [i.source for i in run([tmp_path], skip_source=skip.__contains__)]
    assert seen == [str(tmp_path / "b.html"), f"{tmp_path / 'r.jsonl'}:1"]


def test_stdin_html_text_and_errors():
    [doc] = run(["-"], stdin=io.BytesIO(PAGE.encode()))
    assert (doc.source, doc.kind, doc.data) == ("-", "html", PAGE)
    [doc] = run(["-"], stdin=io.BytesIO("Plain story from a pipe. Ünïcödé.".encode()))
    assert doc.kind == "text" and "Ünïcödé" in doc.data
    [fail] = run(["-"], stdin=io.BytesIO(b""))
    assert (fail.source, fail.code) == ("-", "input.empty")
    [fail] = run(["-"], Settings(max_bytes=10), stdin=io.BytesIO(b"x" * 50))
    assert fail.code == "input.too_large"


def test_iter_raw_is_lazy(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"story {i}")
    gen = iter_raw([str(tmp_path)], Settings())
    first = next(gen)
    (tmp_path / "2.txt").unlink()  # read only when reached
    rest = list(gen)
    assert first.source.endswith("0.txt")
    assert [getattr(r, "code", "ok") for r in rest] == ["ok", "input.not_found"]


def test_stdin_is_never_skipped():
    [doc] = run(["-"], stdin=io.BytesIO(b"fresh story"), skip_source=lambda s: True)
    assert doc.data == "fresh story"
