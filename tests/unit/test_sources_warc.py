"""WARC input: HTML responses in, everything else skipped, damage reported once."""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.config import Settings
from newsgraph.sources import iter_raw
from newsgraph.types import Failure, RawDocument

PAGES = [
    ("http://news.example/one", "200 OK", "text/html; charset=utf-8", "<html><body><p>Riga grid talks resume. Ā ē ī</p></body></html>"),
    ("http://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\nxxxx"),
    ("http://news.example/missing", "404 Not Found", "text/html", "<html><body>gone</body></html>"),
    ("http://news.example/two", "200 OK", "application/xhtml+xml",
     "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>Port tariffs rise.</p></body></html>"),
    ("http://news.example/three", "200 OK", "text/html; charset=windows-1257",
     "<html><body><p>Šiauliai and Klaipėda news.</p></body></html>".encode("cp1257")),
]


def build_warc(path: Path, *, gz: bool, pages=PAGES) -> list[int]:
    """Write a WARC with a request record first and one response per page; return response offsets."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        req = writer.create_warc_record("http://news.example/one", "request",
                                        payload=io.BytesIO(b"GET /one HTTP/1.1\r\nHost: news.example\r\n\r\n"),
                                        warc_headers_dict={"Content-Type": "application/http; msgtype=request"})
        writer.write_record(req)
        for url, status, ctype, body in pages:
            data = body.encode("utf-8") if isinstance(body, str) else body
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(data), http_headers=headers)
            writer.write_record(rec)
    offsets = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            if record.rec_type == "response":
                offsets.append(it.get_record_offset())
    return offsets


@pytest.mark.parametrize("gz", [True, False])
def test_html_responses_only(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    offsets = build_warc(path, gz=gz)
    items = list(iter_raw([str(path)], Settings()))
    assert all(isinstance(i, RawDocument) for i in items)
    assert [i.url for i in items] == ["http://news.example/one", "http://news.example/two",
                                      "http://news.example/three"]
    assert [i.source for i in items] == [f"{path}#{offsets[k]}" for k in (0, 3, 4)]
    assert all(i.kind == "html" for i in items)
    assert "Ā ē ī" in items[0].data
    assert "Šiauliai and Klaipėda" in items[2].data  # HTTP charset honoured


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_yields_records_before_damage_then_one_failure(tmp_path, gz):
    full = tmp_path / ("full.warc.gz" if gz else "full.warc")
    offsets = build_warc(full, gz=gz)
    data = full.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: offsets[3] + 120])  # inside the record of page "two"
    items = list(iter_raw([str(cut), str(full)], Settings()))
    first = [i for i in items if i.source.startswith(str(cut))]
    assert [type(i).__name__ for i in first] == ["RawDocument", "Failure"]
    assert first[0].url == "http://news.example/one"
    assert first[1].code == "warc.malformed" and first[1].source == f"{cut}#{offsets[3]}"
    # the next spec still comes through in full
    assert len([i for i in items if i.source.startswith(str(full))]) == 3


def test_not_a_warc_empty_warc_and_oversized_record(tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a warc file\r\n\r\nat all\r\n")
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    big = tmp_path / "big.warc.gz"
    build_warc(big, gz=True, pages=[
        ("http://news.example/big", "200 OK", "text/html", "<p>" + "x" * 5000 + "</p>"),
        ("http://news.example/small", "200 OK", "text/html", "<p>small page</p>"),
    ])
    items = list(iter_raw([str(junk), str(empty), str(big)], Settings(max_bytes=1000)))
    codes = [(Path(i.source.split("#")[0]).name, getattr(i, "code", "ok")) for i in items]
    assert codes == [("junk.warc", "warc.malformed"), ("empty.warc.gz", "input.empty"),
                     ("big.warc.gz", "input.too_large"), ("big.warc.gz", "ok")]
    assert isinstance(items[0], Failure) and "\n" not in items[0].message


def test_skip_source_skips_warc_records(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    offsets = build_warc(path, gz=True)
    items = list(iter_raw([str(path)], Settings(), skip_source={f"{path}#{offsets[0]}"}.__contains__))
    assert [i.url for i in items] == ["http://news.example/two", "http://news.example/three"]


def test_bad_content_encoding_fails_one_record_only(tmp_path):
    path = tmp_path / "enc.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, enc in [("http://news.example/bad", b"\x1f\x8b\x08\x00garbage-not-deflate" * 3, "gzip"),
                               ("http://news.example/ok", b"<p>fine page</p>", None)]:
            hdrs = [("Content-Type", "text/html")] + ([("Content-Encoding", enc)] if enc else [])
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                            http_headers=StatusAndHeaders("200 OK", hdrs, protocol="HTTP/1.1"))
            writer.write_record(rec)
    items = list(iter_raw([str(path)], Settings()))
    assert [getattr(i, "code", "ok") for i in items] in (["input.undecodable", "ok"], ["input.binary", "ok"])
    assert items[1].url == "http://news.example/ok"


NOT_WARCS = [
    ("text-after-blank-lines.warc", b"\n\n\nThis is a plain news story.\nSecond line.\n", "warc.malformed"),
    ("version-line-only.warc", b"WARC/1.0\r\n\r\n", "warc.malformed"),
    ("gzipped-text.warc.gz", gzip.compress(b"just text, not a warc at all\n"), "warc.malformed"),
    ("whitespace.warc", b"   \n\r\n\t\n", "input.empty"),
    ("gzipped-whitespace.warc.gz", gzip.compress(b"  \n\n"), "input.empty"),
    ("plain-text.warc", b"hello, this is not an archive\n", "warc.malformed"),
    ("random-bytes.warc", random.Random(7).randbytes(4096), "warc.malformed"),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("name", "data", "code"), NOT_WARCS, ids=[n for n, _, _ in NOT_WARCS])
def test_a_file_named_warc_that_is_not_one_is_reported(tmp_path, name, data, code):
    """Text after a blank line, a bare version line, gzipped text or whitespace used to exit 0 with nothing
    logged: warcio parses them as header-less (or ARC) records that were then skipped as 'not a response'."""
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.warc.gz"
    build_warc(good, gz=True)
    items = list(iter_raw([str(bad), str(good)], Settings()))
    [failure] = [i for i in items if i.source.startswith(str(bad))]
    assert isinstance(failure, Failure) and failure.code == code, failure
    assert "\n" not in failure.message
    assert [i.url for i in items if i.source.startswith(str(good))] == [
        "http://news.example/one", "http://news.example/two", "http://news.example/three"]


@pytest.mark.timeout(60)
def test_a_fifo_named_warc_is_refused_without_blocking(tmp_path):
    import os
    import threading

    fifo = tmp_path / "crawl.warc"
    os.mkfifo(fifo)
    items: list = []
    worker = threading.Thread(target=lambda: items.extend(iter_raw([str(fifo)], Settings())), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))  # release the blocked reader
        pytest.fail("opening a FIFO named crawl.warc blocked the run")
    assert [(i.source, i.code) for i in items] == [(str(fifo), "input.not_a_file")]
