"""The input zoo: hostile inputs fed to the real sources next to good ones, then to the real CLI.

Every case asserts that the bad item leaves its own per-item failure with a stable code (or comes
through as an article when that is the right outcome), that the good items of the same run still
come through, that nothing stalls (a time bound) and, for the bombs, that memory stays bounded
(tracemalloc peak below a stated budget). Every str an item carries must encode as UTF-8 (the store
refuses anything else). Cases built with ``chmod 000`` are read by a process running as uid 65534
when the tests run as root, since root reads through any permission bits.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newsgraph.config import Settings
from newsgraph.errors import NewsgraphError, is_item_error
from newsgraph.sources import iter_raw
from newsgraph.types import Article, RawDocument
from tests.helpers import NOBODY, article_text, strings_in, unprivileged, world_dir

MB = 1 << 20
SECONDS = 10.0  # every case, good items included, well under this
STALL = 20.0  # a run still going after this long is a stall
CLI = str(Path(sys.executable).with_name("newsgraph"))


# ----------------------------------------------------------------------------- builders


def write(folder: Path, name: str | bytes, data: str | bytes) -> Path:
    """A file by name; a bytes name may hold bytes that are not UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = os.fsencode(folder) + b"/" + (name if isinstance(name, bytes) else os.fsencode(name))
    with open(raw, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(os.fsdecode(raw))


def page(i: int) -> str:
    """A realistic HTML article with a unique body."""
    title, _nav, *paras = [p for p in article_text(i).split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paras[:2] + paras[4:6])
    return f"<!doctype html><html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


def warc_bytes(pages: list[tuple[str, str]]) -> tuple[bytes, list[int]]:
    """A gzipped WARC of HTML responses, and each record's offset."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    data = buf.getvalue()
    it = ArchiveIterator(io.BytesIO(data))
    offsets = [it.get_record_offset() for _ in it]
    return data, offsets


@dataclass
class Case:
    """One hostile input. ``build(folder, server)`` makes it inside ``folder`` and returns the items
    expected from it, in order: (source relative to the zoo root, or a URL; code, or "ok")."""

    name: str
    build: Callable[[Path, Any], list[tuple[str, str]]]
    explicit: bool = False  # the bad file itself is named as a spec, not found in its folder
    settings: dict[str, Any] = field(default_factory=dict)
    unprivileged: bool = False  # chmod 000 inside: read as uid 65534 when we are root
    memory: int = 16 * MB  # tracemalloc peak budget for the whole run
    on_item: Callable[[Any, Path], None] | None = None  # called with each item as it arrives
    in_cli: bool = True  # also part of the CLI zoo
    cli: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source -> outcomes the CLI may give


def _empty(folder, _):
    write(folder, "empty.txt", b"")
    return [("empty.txt", "input.empty")]


def _whitespace(folder, _):
    write(folder, "blank.html", b" \n\t\r\n   \n")
    return [("blank.html", "input.empty")]


def _png(folder, _):
    write(folder, "image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(3).randbytes(2000))
    return [("image.html", "input.binary")]


def _noise(folder, _):
    data = random.Random(11).randbytes(4096)
    assert b"\x00" in data
    write(folder, "noise.txt", data)
    return [("noise.txt", "input.binary")]


def _nuls(folder, _):
    write(folder, "nuls.txt", b"\x00" * 4096)
    return [("nuls.txt", "input.binary")]


def _undecodable(folder, _):
    write(folder, "legacy.txt", codecs.BOM_UTF32_LE + b"\x00\xd8\x00\x00" * 64)  # surrogate code units
    return [("legacy.txt", "input.undecodable")]


def _gzip_bomb(folder, _):
    write(folder, "bomb.html.gz", gzip.compress(bytes(10_000_000), 9))  # 10 MB of zeros in ~10 KB
    return [("bomb.html.gz", "input.too_large")]


def _nested_html(folder, _):
    n = 100_000
    write(folder, "nested.html", "<html><head><title>Deep</title></head><body>" + "<div>" * n
          + page(40).split("<article>")[1].split("</article>")[0] + "</div>" * n + "</body></html>")
    return [("nested.html", "ok")]


def _truncated_warc(folder, _):
    data, offsets = warc_bytes([("http://news.example/one", page(41)), ("http://news.example/two", page(42))])
    write(folder, "cut.warc.gz", data[: (offsets[1] + len(data)) // 2])  # inside the second record
    return [(f"cut.warc.gz#{offsets[0]}", "ok"), (f"cut.warc.gz#{offsets[1]}", "warc.malformed")]


def _not_a_warc(folder, _):
    write(folder, "crawl.warc", "This plain news story was saved with the wrong name.\nIt has two lines.\n")
    return [("crawl.warc#0", "warc.malformed")]


def _feed(server, prefix: str) -> str:
    items = []
    for k, slug in enumerate(["a", "b", "c"]):
        server.route(f"/{prefix}/{slug}", body=page(43 + k + (27 if prefix == "cut" else 0)))
        items.append(f"<item><title>Story {slug}</title><link>{server.url(f'/{prefix}/{slug}')}</link>"
                     f"<pubDate>Mon, 02 Feb 2026 10:00:00 +0000</pubDate></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Zoo Wire</title>'
            + "\n".join(items) + "</channel></rss>")


def _feed_cut_in_an_entry(folder, server):
    feed = _feed(server, "zoo")
    write(folder, "feed.xml", feed[: feed.index("/zoo/c") - 3])  # inside the third entry's link
    return [(server.url("/zoo/a"), "ok"), (server.url("/zoo/b"), "ok"), ("feed.xml#entry3", "feed.malformed")]


def _feed_cut_between_entries(folder, server):
    feed = _feed(server, "cut")
    write(folder, "feed.xml", feed[: feed.index("<item><title>Story c")])  # the third entry is lost whole
    return [(server.url("/cut/a"), "ok"), (server.url("/cut/b"), "ok"), ("feed.xml", "feed.malformed")]


def _truncated_jsonl(folder, _):
    lines = [json.dumps({"url": f"https://news.example/r{k}", "text": article_text(46 + k)}) for k in range(3)]
    write(folder, "records.jsonl", "\n".join(lines)[:-40])  # the last line is cut
    return [("records.jsonl:1", "ok"), ("records.jsonl:2", "ok"), ("records.jsonl:3", "input.invalid")]


def _surrogates(folder, _):
    record = {"url": "https://news.example/s\udc80", "title": "Grid talks \ud800", "outlet": "Wire\udfff",
              "authors": ["Anna \ud83d Keller"], "text": article_text(49)}
    write(folder, "records.json", json.dumps([record]))
    return [("records.json[0]", "ok")]


def _symlink_loop(folder, _):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loop.html").symlink_to("loop.html")
    return [("loop.html", "input.unreadable")]


def _dangling(folder, _):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dangling.txt").symlink_to("gone.txt")
    return [("dangling.txt", "input.not_found")]


def _fifo(folder, _):
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.html")
    return [("pipe.html", "input.not_a_file")]


def _vanishing(folder, _):
    write(folder, "a-first.txt", article_text(50))
    write(folder, "b-vanish.txt", article_text(51))
    return [("a-first.txt", "ok"), ("b-vanish.txt", "input.not_found")]


def _vanish_after_first(item, folder):
    if item.source.endswith("a-first.txt"):
        (folder / "b-vanish.txt").unlink()


ODD_NAMES = [b"line\nbreak.txt", b"-rf.txt", b"  spaced  name .txt", b"x" * 251 + b".txt", b"caf\xe9.txt",
             b"tab\there.txt"]


def _odd_names(folder, _):
    for k, name in enumerate(ODD_NAMES):
        write(folder, name, article_text(52 + k))
    return sorted((os.fsdecode(n).replace("\udce9", "\\xe9"), "ok") for n in ODD_NAMES)


def _unreadable_file(folder, _):
    write(folder, "secret.txt", article_text(60)).chmod(0o000)
    return [("secret.txt", "input.unreadable")]


def _unreadable_folder(folder, _):
    write(folder / "locked", "inside.txt", article_text(61))
    (folder / "locked").chmod(0o000)
    return [("locked", "input.unreadable")]


CASES = [
    Case("empty", _empty),
    Case("whitespace", _whitespace),
    Case("png-header", _png),
    Case("random-bytes", _noise),
    Case("nuls", _nuls),
    Case("undecodable", _undecodable),
    Case("gzip-bomb", _gzip_bomb, settings={"max_bytes": MB}, memory=8 * MB),
    Case("nested-html", _nested_html, cli={"nested.html": ("stored", "extract.no_article")}),
    Case("truncated-warc-gz", _truncated_warc),
    Case("not-a-warc", _not_a_warc),
    Case("feed-cut-in-an-entry", _feed_cut_in_an_entry),
    Case("feed-cut-between-entries", _feed_cut_between_entries),
    Case("truncated-jsonl", _truncated_jsonl),
    Case("lone-surrogates", _surrogates),
    Case("symlink-loop", _symlink_loop),
    Case("symlink-loop-named", _symlink_loop, explicit=True, in_cli=False),
    Case("dangling-symlink", _dangling),
    Case("fifo", _fifo),
    Case("fifo-named", _fifo, explicit=True, in_cli=False),
    Case("vanishing-file", _vanishing, on_item=_vanish_after_first, in_cli=False),
    Case("odd-names", _odd_names),
    Case("unreadable-file", _unreadable_file, unprivileged=True),
    Case("unreadable-folder", _unreadable_folder, unprivileged=True),
    Case("unreadable-folder-named", _unreadable_folder, unprivileged=True, explicit=True, in_cli=False),
]


# ----------------------------------------------------------------------------- running


def release_fifos(root: Path) -> None:
    """Give a reader blocked on a FIFO under ``root`` its end of file."""
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with contextlib.suppress(OSError):
                if Path(path).is_fifo():
                    os.close(os.open(path, os.O_RDWR | os.O_NONBLOCK))


def read_in_process(specs: list[str], settings: Settings, root: Path, case: Case, folder: Path):
    """iter_raw on a thread: (items, seconds, tracemalloc peak); fails if it stalls."""
    items: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for item in iter_raw(specs, settings):
                items.append(item)
                if case.on_item:
                    case.on_item(item, folder)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test
            errors.append(exc)

    tracemalloc.start()
    try:
        t0 = time.monotonic()
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(STALL)
        seconds = time.monotonic() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    if worker.is_alive():
        release_fifos(root)
        pytest.fail(f"{case.name}: the run stalled for {STALL:.0f} s")
    if errors:
        raise errors[0]
    return [(i.source, getattr(i, "code", "ok"), getattr(i, "message", ""), i) for i in items], seconds, peak


READER = """
import json, sys
from newsgraph.config import Settings
from newsgraph.sources import iter_raw
for item in iter_raw(sys.argv[2:], Settings(**json.loads(sys.argv[1]))):
    print(json.dumps([item.source, getattr(item, "code", "ok"), getattr(item, "message", "")]), flush=True)
"""


def read_unprivileged(specs: list[str], settings: dict[str, Any]):
    cmd, preexec = unprivileged([sys.executable, "-c", READER, json.dumps(settings), *specs])
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=STALL, preexec_fn=preexec, cwd="/",
                          check=False)
    seconds = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    return [(*json.loads(line), None) for line in proc.stdout.splitlines()], seconds, 0




def rel(source: str, root: Path) -> str:
    return source if source.startswith("http") else os.path.relpath(source, root)


def good_folder(root: Path, name: str, numbers: range) -> list[tuple[str, str]]:
    for i in numbers:
        write(root / name, f"article-{i:02d}.txt", article_text(i))
    return [(f"{name}/article-{i:02d}.txt", "ok") for i in numbers]


# ----------------------------------------------------------------------------- the zoo through iter_raw


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_fails_alone_and_the_run_goes_on(case: Case, http_server, http_settings):
    with world_dir() as root:
        before = good_folder(root, "good-a", range(2))
        folder = root / "case"
        expected_bad = case.build(folder, http_server)
        after = good_folder(root, "good-z", range(2, 3))
        if case.explicit:
            bad_specs = [str(folder / src.split("#")[0]) for src, _ in expected_bad]
        else:
            bad_specs = [str(folder)]
        specs = [str(root / "good-a"), *bad_specs, str(root / "good-z")]
        overrides = {"allow_private": True, "politeness_delay": 0.0, "timeout": 5.0, "retries": 0} | case.settings
        if case.unprivileged:
            rows, seconds, peak = read_unprivileged(specs, overrides)
        else:
            rows, seconds, peak = read_in_process(specs, http_settings.replace(**overrides), root, case, folder)
        expected = before + [(s if s.startswith("http") else f"case/{s}", c) for s, c in expected_bad] + after
        assert [(rel(s, root), code) for s, code, _, _ in rows] == expected
        for source, code, message, item in rows:
            extra = (item.url, item.meta, item.data) if isinstance(item, RawDocument) else ()
            for s in strings_in(source, message, *extra):
                s.encode("utf-8")  # what the store can keep
            if code != "ok":
                assert message and "\n" not in message
        assert seconds < SECONDS, f"{case.name} took {seconds:.1f} s"
        assert peak < case.memory, f"{case.name}: peak {peak / MB:.1f} MB over {case.memory / MB:.0f} MB"


@pytest.mark.timeout(60)
def test_deeply_nested_html_gives_an_article_or_a_failure_not_a_crash(tmp_path):
    """100,000 nested <div>s through the gate and the real extractor: an Article or an item error."""
    from newsgraph.extract import extract

    _nested_html(tmp_path, None)
    [raw] = list(iter_raw([str(tmp_path / "nested.html")], Settings()))
    assert isinstance(raw, RawDocument)
    t0 = time.monotonic()
    try:
        result: Article | NewsgraphError = extract(raw, Settings())
    except NewsgraphError as exc:
        result = exc
    assert time.monotonic() - t0 < SECONDS
    assert isinstance(result, Article) or is_item_error(result), result


# ----------------------------------------------------------------------------- the zoo through the CLI


def _cli(args: list[str], *, as_nobody: bool = False, timeout: float = 120.0) -> subprocess.CompletedProcess:
    cmd, preexec = unprivileged([CLI, *args]) if as_nobody else ([CLI, *args], None)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec, cwd="/",
                          check=False, env=os.environ | {"NEWSGRAPH_WORKERS": "1"})


@pytest.mark.timeout(180)
def test_cli_ingest_of_the_zoo_stores_every_good_article_and_logs_every_bad_item(http_server):
    with world_dir() as root:
        zoo = root / "zoo"
        expected: list[tuple[str, str]] = good_folder(zoo, "good", range(3))
        expected = [(f"zoo/{s}", c) for s, c in expected]
        allowed: dict[str, tuple[str, ...]] = {}
        for case in CASES:
            if not case.in_cli:
                continue
            for source, code in case.build(zoo / case.name, http_server):
                key = source if source.startswith("http") else f"zoo/{case.name}/{source}"
                expected.append((key, code))
                if source in case.cli:
                    allowed[key] = case.cli[source]
        db_dir = root / "db"
        db_dir.mkdir()
        if os.geteuid() == 0:
            os.chown(db_dir, NOBODY, NOBODY)
        db = str(db_dir / "s.db")
        config = root / "newsgraph.toml"
        config.write_text("[newsgraph]\nmax_bytes = 2_000_000\n")  # the gzip bomb inflates to 10 MB
        t0 = time.monotonic()
        run = _cli(["--db", db, "--config", str(config), "ingest", "--no-analyze", "--no-progress", "--json", "--allow-private",
                    "--delay", "0", "--timeout", "5", str(zoo)], as_nobody=True)
        seconds = time.monotonic() - t0
        assert run.returncode == 1 and run.stdout.lstrip().startswith("{"), run.stderr[-3000:]  # ran to the end
        summary = json.loads(run.stdout)
        stored = json.loads(_cli(["--db", db, "articles", "--json", "--limit", "1000"]).stdout)
        exported = _cli(["--db", db, "export", "--format", "jsonl", "-o", "-"]).stdout.splitlines()
        logged = json.loads(_cli(["--db", db, "failures", "--json", "--limit", "1000"]).stdout)["failures"]

    stored_sources = {rel(s["source"], root) for line in exported for s in json.loads(line)["sources"]}
    failed = {(rel(f["source"], root), f["code"]) for f in logged}
    for source, code in expected:
        outcomes = allowed.get(source, ("stored",) if code == "ok" else (code,))
        got = [o for o in outcomes if (o == "stored" and source in stored_sources) or (source, o) in failed]
        assert got, f"{source}: expected {' or '.join(outcomes)}; stored={source in stored_sources}, " \
                    f"logged={[c for s, c in failed if s == source]}"
    n_ok = sum(1 for s, c in expected if c == "ok" and s in stored_sources)
    assert stored["total"] == n_ok == summary["ingested"]
    assert len(failed) == len(expected) - n_ok == summary["failed"]
    assert seconds < 90, f"the CLI took {seconds:.0f} s"
