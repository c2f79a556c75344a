"""Files a user names on the command line: an export or a chart can never destroy the store.

Each case runs the real command (``.venv/bin/newsgraph``) in a subprocess, so what
is checked is what a user sees: the exit code, one line on stderr (no traceback),
and the store still opening with every article after the attempt.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_corpus

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
pytestmark = pytest.mark.timeout(120)


def ng(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NEWSGRAPH), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def n_articles(db: Path) -> int:
    done = ng("--db", str(db), "articles", "--json", "--limit", "1")
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["total"])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("outputs")
    write_corpus(root / "corpus", 5)
    db = root / "s.db"
    done = ng("--db", str(db), "ingest", "--no-analyze", "--no-progress", str(root / "corpus"))
    assert done.returncode == 0, done.stderr
    return db


def assert_one_line_refusal(done: subprocess.CompletedProcess[str], code: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"[{code}]" in lines[0], done.stderr


@pytest.mark.parametrize("target", ["s.db", "s.db-wal", "s.db-shm", "./s.db", "s.db-journal"])
def test_export_refuses_the_store_and_its_side_files(store: Path, target: str) -> None:
    before = store.read_bytes()
    done = ng("--db", str(store), "export", "--format", "jsonl", "-o", target, cwd=store.parent)
    assert_one_line_refusal(done, "output.is_store")
    assert store.read_bytes() == before
    assert n_articles(store) == 5


def test_export_refuses_a_symlink_or_a_hard_link_to_the_store(store: Path) -> None:
    soft, hard = store.parent / "soft.jsonl", store.parent / "hard.jsonl"
    for link in (soft, hard):
        link.unlink(missing_ok=True)
    soft.symlink_to(store)
    os.link(store, hard)
    for link in (soft, hard):
        done = ng("--db", str(store), "export", "--format", "csv", "-o", str(link))
        assert_one_line_refusal(done, "output.is_store")
    assert n_articles(store) == 5
    hard.unlink()
    soft.unlink()


def test_export_never_writes_through_a_symlink_over_a_file(store: Path, tmp_path: Path) -> None:
    victim = tmp_path / "notes.txt"
    victim.write_text("mine\n")
    link = tmp_path / "export.jsonl"
    link.symlink_to(victim)
    assert_one_line_refusal(ng("--db", str(store), "export", "--format", "jsonl", "-o", str(link)), "output.symlink")
    assert victim.read_text() == "mine\n"


@pytest.mark.parametrize(("make", "code"), [
    (lambda tmp: tmp / "no-such-folder" / "out.jsonl", "output.no_folder"),
    (lambda tmp: tmp, "output.is_folder"),
])
def test_export_to_a_missing_folder_or_a_folder_is_one_line(store: Path, tmp_path: Path, make, code: str) -> None:
    assert_one_line_refusal(ng("--db", str(store), "export", "--format", "jsonl", "-o", str(make(tmp_path))), code)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_export_keeps_the_existing_files_mode_and_replaces_it_whole(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    done = ng("--db", str(store), "export", "--format", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(json.loads(line)["id"] for line in lines)
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]


def test_export_to_a_device_is_written_in_place(store: Path) -> None:
    done = ng("--db", str(store), "export", "--format", "jsonl", "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 5


def test_dyad_chart_cannot_overwrite_the_store(store: Path) -> None:
    done = ng("--db", str(store), "dyad", "Riga", "Vilnius", "--chart", str(store))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert n_articles(store) == 5


@pytest.mark.parametrize("args", [
    ("show", "zzzz"),  # not hex: store.bad_id
    ("entity", "Nobody At All"),  # store.not_found
    ("merge", "Nobody", "Somebody"),
    ("quotes", "--about", "\"unbalanced (", "--speaker", "x"),
])
def test_store_errors_are_one_line_never_a_traceback(store: Path, args: tuple[str, ...]) -> None:
    done = ng("--db", str(store), *args)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr


def test_a_corrupt_store_is_one_line_for_every_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    for args in (("articles",), ("export", "--format", "jsonl"), ("failures",), ("entities",), ("runs",),
                 ("events",), ("quotes",), ("search", "x")):
        done = ng("--db", str(bad), *args)
        assert done.returncode == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr and "[store.corrupt]" in done.stderr, (args, done.stderr)


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01"])
def test_extreme_but_valid_dates_work(store: Path, until: str) -> None:
    for cmd in ("articles", "quotes", "events"):
        done = ng("--db", str(store), cmd, "--until", until, "--json")
        assert done.returncode == 0, (cmd, done.stderr)
    done = ng("--db", str(store), "articles", "--until", "9999-12-31", "--json")
    assert len(json.loads(done.stdout)["articles"]) == 5


@pytest.mark.parametrize("value", ["0", "20260101", "2026-02-30", "2026-W01-1", "2026-01-01T00:00", "-1"])
def test_malformed_dates_are_usage_errors(store: Path, value: str) -> None:
    for cmd in ("articles", "quotes", "events"):
        done = ng("--db", str(store), cmd, "--since", value)
        assert done.returncode == 2 and "Traceback" not in done.stderr, (cmd, value, done.stderr)
        assert "YYYY-MM-DD" in done.stderr or "calendar day" in done.stderr
