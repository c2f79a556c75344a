"""Files, folders, JSON/JSONL records and stdin through ``iter_raw``."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.config import Settings
from newsgraph.sources import iter_raw
from newsgraph.types import Failure, RawDocument
from tests.helpers import strings_in, unprivileged, world_dir

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


# ----------------------------------------------------------------------------- helpers for hostile files


def collect(specs, settings: Settings | None = None, limit: float = 10.0, **kw):
    """``run`` in a thread: fails (instead of hanging) if reading stalls for ``limit`` seconds."""
    out: list = []
    errors: list[BaseException] = []

    def work():
        try:
            out.extend(run(specs, settings, **kw))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        for spec in specs:  # release a reader blocked on a FIFO
            with contextlib.suppress(OSError):
                if Path(spec).is_fifo():
                    os.close(os.open(spec, os.O_RDWR | os.O_NONBLOCK))
        pytest.fail(f"reading {specs} stalled for {limit} s")
    if errors:
        raise errors[0]
    return out


def codes(items, root: Path) -> dict[str, str]:
    return {os.path.relpath(i.source, root): getattr(i, "code", "ok") for i in items}




def assert_utf8(item):
    for s in strings_in(item.source, getattr(item, "data", ""), getattr(item, "url", None),
                     getattr(item, "meta", {}), getattr(item, "message", "")):
        s.encode("utf-8")


READER = """
import json, sys
from newsgraph.config import Settings
from newsgraph.sources import iter_raw
for item in iter_raw(sys.argv[1:], Settings()):
    print(json.dumps([item.source, getattr(item, "code", "ok"), getattr(item, "message", "")]))
"""


def read_unprivileged(specs) -> list[tuple[str, str, str]]:
    """``iter_raw`` in a process that permissions apply to (``unprivileged``)."""
    cmd, preexec = unprivileged([sys.executable, "-c", READER, *map(str, specs)])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, preexec_fn=preexec, cwd="/",
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return [tuple(json.loads(line)) for line in proc.stdout.splitlines()]


# ----------------------------------------------------------------------------- strings that cannot be stored


def test_lone_surrogates_in_record_fields_become_replacement_characters(tmp_path):
    """A JSON "\\ud800" escape in a title, URL, outlet or author used to reach the store and stop the run."""
    record = {"text": "Officials met in Riga on Monday.", "title": "a\ud800b", "url": "https://news.example/\udc80",
              "outlet": "Baltic\udfff Ledger", "authors": ["Anna \ud83d Keller", "Tomas Berzins"]}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n", encoding="ascii")
    (tmp_path / "l.json").write_text(json.dumps([record]), encoding="ascii")
    items = run([tmp_path])
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument"]
    for doc in items:
        assert doc.meta == {"title": "a\ufffdb", "outlet": "Baltic\ufffd Ledger",
                            "authors": ["Anna \ufffd Keller", "Tomas Berzins"]}
        assert doc.url == "https://news.example/\ufffd"
        assert_utf8(doc)


_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # lone surrogates included


@pytest.mark.timeout(60)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_ANY_TEXT, url=_ANY_TEXT, outlet=_ANY_TEXT, published=_ANY_TEXT,
       authors=st.one_of(_ANY_TEXT, st.lists(_ANY_TEXT, max_size=3)),
       body=_ANY_TEXT.filter(lambda t: t.strip() and "\x00" not in t))
def test_every_string_of_a_record_encodes_as_utf8(title, url, outlet, published, authors, body):
    record = {"text": body, "title": title, "url": url, "outlet": outlet, "published": published,
              "authors": authors}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="ascii")
        [item] = run([path])
    assert isinstance(item, RawDocument), item
    assert_utf8(item)


def test_non_utf8_file_names_are_read_and_get_escaped_sources(tmp_path):
    """b"caf\\xe9.txt" is read by its real path; its source renders the byte as \\xNN, the same string
    whether the file is named or found in a folder, so a re-run's resume filter recognises it."""
    root = os.fsencode(tmp_path)
    (tmp_path / "ok.txt").write_text("An ordinary story")
    with open(root + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"Story in a Latin-1 named file")
    with open(root + b"/\xff\xfe-page.html", "wb") as fh:
        fh.write(PAGE.encode())
    items = run([tmp_path])
    assert {os.path.basename(i.source): i.data for i in items} == {
        "caf\\xe9.txt": "Story in a Latin-1 named file", "\\xff\\xfe-page.html": PAGE, "ok.txt": "An ordinary story"}
    for item in items:
        assert_utf8(item)
    named = run([os.fsdecode(root + b"/caf\xe9.txt")])
    assert [i.source for i in named] == [str(tmp_path / "caf\\xe9.txt")]
    asked: list[str] = []
    stored = {i.source for i in items}
    again = run([tmp_path], skip_source=lambda s: asked.append(s) or s in stored)
    assert again == [] and set(asked) == stored


_NAME_BYTES = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b"\\" not in b and not b.startswith(b"."))


@pytest.mark.timeout(60)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=4, unique=True))
def test_any_file_name_gives_a_utf8_source_that_is_stable(names):
    with tempfile.TemporaryDirectory() as folder:
        root = os.fsencode(folder)
        for i, name in enumerate(names):
            with open(root + b"/" + name + b".txt", "wb") as fh:
                fh.write(f"story number {i}".encode())
        first, second = run([folder]), run([folder])
    assert first == second  # deterministic: the same names give the same sources
    assert sorted(i.data for i in first) == sorted(f"story number {i}" for i in range(len(names)))
    assert len({i.source for i in first}) == len(names)  # distinct names stay distinct
    for item in first:
        assert_utf8(item)


# ----------------------------------------------------------------------------- FIFOs, devices, symlinks


@pytest.mark.timeout(60)
def test_fifos_and_devices_are_refused_without_blocking(tmp_path):
    """A FIFO named on the command line used to block open() forever; a device never ends."""
    os.mkfifo(tmp_path / "pipe.html")
    os.mkfifo(tmp_path / "pipe")
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "feed.xml")
    os.mkfifo(folder / "notes.md")  # unsupported extension: skipped silently, by design
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "ok.txt").write_text("A good story")
    items = collect([tmp_path / "pipe.html", tmp_path / "pipe", "/dev/zero", folder])
    assert codes(items, tmp_path) == {
        "pipe.html": "input.not_a_file", "pipe": "input.not_a_file",
        os.path.relpath("/dev/zero", tmp_path): "input.not_a_file",
        "folder/feed.xml": "input.not_a_file", "folder/ok.txt": "ok", "folder/zero.txt": "input.not_a_file"}
    assert "FIFO" in items[0].message and "device" in items[2].message


@pytest.mark.timeout(60)
def test_dangling_symlinks_loops_and_symlinked_folders_leave_failures(tmp_path):
    folder = tmp_path / "folder"
    (folder / "real").mkdir(parents=True)
    (folder / "a-ok.txt").write_text("A good story")
    (folder / "dangling.html").symlink_to("nowhere.html")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "dangling.md").symlink_to("nowhere.md")  # unsupported extension: skipped silently, by design
    (folder / "linked").symlink_to("real")
    (folder / "real" / "inside.txt").write_text("Inside story")
    items = collect([folder, folder / "dangling.html", folder / "loop.txt"])
    got = [(os.path.relpath(i.source, tmp_path), getattr(i, "code", "ok")) for i in items]
    assert got == [("folder/a-ok.txt", "ok"), ("folder/dangling.html", "input.not_found"),
                   ("folder/linked", "input.unsupported"), ("folder/loop.txt", "input.unreadable"),
                   ("folder/real/inside.txt", "ok"),
                   ("folder/dangling.html", "input.not_found"), ("folder/loop.txt", "input.unreadable")]
    messages = {(i.source, i.message) for i in items if isinstance(i, Failure)}
    assert all("dangling symlink" in m for s, m in messages if s.endswith("dangling.html"))
    assert all("symlink loop" in m for s, m in messages if s.endswith("loop.txt"))


@pytest.mark.timeout(60)
def test_unreadable_folders_and_files_leave_failures_with_their_reason():
    """Unreadable sub-folders used to vanish silently, and an unreadable folder named explicitly was
    reported as input.empty."""
    with world_dir() as root:
        folder = root / "corpus"
        (folder / "b-locked").mkdir(parents=True)
        (folder / "b-locked" / "hidden.txt").write_text("Never read")
        (folder / "a-ok.txt").write_text("A good story")
        (folder / "c-secret.txt").write_text("Never read either")
        (root / "locked").mkdir()
        (root / "locked" / "x.txt").write_text("Never read")
        for path in (folder / "b-locked", root / "locked"):
            path.chmod(0o000)
        (folder / "c-secret.txt").chmod(0o000)
        rows = read_unprivileged([folder, root / "locked"])
        got = [(os.path.relpath(s, root), code) for s, code, _ in rows]
        assert got == [("corpus/a-ok.txt", "ok"), ("corpus/b-locked", "input.unreadable"),
                       ("corpus/c-secret.txt", "input.unreadable"), ("locked", "input.unreadable")]
        assert all("Permission denied" in message for _, code, message in rows if code != "ok")


@contextlib.contextmanager
def nested_folders(root: Path, depth: int):
    """``root/d/d/.../d`` (``depth`` levels), removed level by level afterwards: shutil.rmtree, and so
    pytest's own clean-up of old tmp folders, recurses and cannot delete it."""
    here = os.getcwd()
    made = 0
    try:
        os.chdir(root)
        for made in range(1, depth + 1):  # noqa: B007 - counted for the clean-up
            os.mkdir("d")
            os.chdir("d")
        os.chdir(here)
        yield root.joinpath(*["d"] * depth)
    finally:
        os.chdir(root.joinpath(*["d"] * made) if made else root)
        for entry in os.scandir("."):
            os.unlink(entry.name)
        for _ in range(made):
            os.chdir("..")
            os.rmdir("d")
        os.chdir(here)


@pytest.mark.timeout(60)
def test_deeply_nested_folders_are_walked(tmp_path):
    """1,500 nested folders used to end the whole run with a RecursionError."""
    with nested_folders(tmp_path, 1500) as deepest:
        (deepest / "deep.txt").write_text("The deepest story")
        [doc] = collect([tmp_path])
    assert doc.data == "The deepest story" and doc.source.endswith("/d/deep.txt")
    assert list(tmp_path.iterdir()) == []


def test_an_unforeseen_exception_ends_one_input_not_the_run():
    """A library tripping over hostile bytes (any exception) costs that input only: ``input.failed``;
    a store error behind the resume filter still stops the run."""
    from newsgraph.config import Settings
    from newsgraph.errors import StoreError
    from newsgraph.sources._context import Context

    def tripping():
        yield RawDocument(source="a.html", kind="html", data="<p>fine</p>")
        raise IndexError("list index out of range")

    out = list(Context(Settings()).guarded("feed.xml", tripping()))
    assert out[0].source == "a.html"
    assert out[1] == Failure("feed.xml", "input.failed", "IndexError: list index out of range")

    def store_fails():
        raise StoreError("disk I/O error", code="store.io")
        yield  # pragma: no cover

    with pytest.raises(StoreError):
        list(Context(Settings()).guarded("x", store_fails()))
