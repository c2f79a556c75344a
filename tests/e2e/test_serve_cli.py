"""`newsgraph serve` as a user starts it: a real process on a loopback port, one or several workers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsgraph.serve.api import plain
from newsgraph.serve.app import CSP
from newsgraph.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serving(db: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "--db", str(db), "serve", "--port", str(port), *args],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited ({proc.returncode}): {proc.stdout.read().decode()[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            assert time.monotonic() < deadline, "server did not listen within 60 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_from_the_store(examples_db: Path, workers: str) -> None:
    with SQLiteStore(examples_db) as store:
        want_quotes = [plain(q) for q in store.quotes(limit=20)]
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
                          "--port", str(_free_port())], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode != 0 and "does not exist" in out.stderr
