"""`newsgraph serve` as a user starts it: a real process on a loopback port, one or several workers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsgraph.serve.api import plain
from newsgraph.serve.app import CSP
from newsgraph.store import open_store
from tests.helpers import free_port, stop, wait_listening

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _serving(db: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "--db", str(db), "serve", "--port", str(port), *args],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc, lambda: proc.stdout.read().decode())
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc, signal.SIGINT)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_from_the_store(examples_db: Path, workers: str) -> None:
    with open_store(examples_db) as store:
        # what /api/quotes lists by default: statements, not negated, confidence >= quote_threshold
        want_quotes = [plain(q) for q in store.quotes(kinds=("statement",), min_confidence=0.5, limit=20)]
        assert want_quotes
        some = store.list_articles(limit=1)[0]
    with _serving(examples_db, "--workers", workers) as (base, proc):
        with httpx.Client(base_url=base, timeout=30) as c:
            # Several requests, so with two workers both answer some of them.
            for _ in range(6):
                assert c.get("/api/quotes", params={"limit": 20}).json()["quotes"] == want_quotes
            page = c.get(f"/article/{some.id}")
            assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
            assert c.get("/api/articles/ffffffffffffffff").status_code == 404
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0


def test_serve_refuses_a_store_it_cannot_open(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "store.db"
    out = subprocess.run([sys.executable, "-m", "newsgraph", "--db", str(missing), "serve", "--workers", "2",
                          "--port", str(free_port())], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode != 0 and "does not exist" in out.stderr
