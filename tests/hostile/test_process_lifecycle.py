"""A run killed or stopped mid-way: no worker outlives it, the run says what happened, a re-run resumes.

The real ``newsgraph ingest`` runs in a subprocess with analysis on (slow enough to
be stopped while its two extraction workers are busy); the signals are real.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgraph.store import open_store
from tests.helpers import write_corpus

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
pytestmark = [pytest.mark.timeout(240), pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")]

N = 120


def children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return {int(p) for p in fh.read().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def start_ingest(tmp_path: Path, db: Path) -> tuple[subprocess.Popen[str], set[int]]:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        write_corpus(corpus, N)
    proc = subprocess.Popen([str(NEWSGRAPH), "--db", str(db), "ingest", "--no-progress", "--workers", "2",
                             str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(children(proc.pid)) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the extraction workers never started"
        time.sleep(0.2)
    time.sleep(1.0)  # let them take some items
    return proc, children(proc.pid)


def wait_gone(pids: set[int], timeout: float = 10.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


def runs(db: Path) -> list[dict]:
    done = subprocess.run([str(NEWSGRAPH), "--db", str(db), "runs", "--json"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["runs"]


def resume_and_check(tmp_path: Path, db: Path) -> None:
    done = subprocess.run([str(NEWSGRAPH), "--db", str(db), "ingest", "--no-progress", "--json",
                           str(tmp_path / "corpus")], capture_output=True, text=True, timeout=200)
    assert done.returncode == 0, done.stderr
    with open_store(db) as store:
        assert store.count_articles() == N
        conn = store._conn
        assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == N  # no duplicates
        assert conn.execute("SELECT COUNT(*) FROM articles WHERE analysis IS NULL").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigkill_of_the_parent_takes_its_workers_down(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    proc, workers = start_ingest(tmp_path, db)
    assert workers and all(alive(w) for w in workers)
    proc.kill()
    proc.communicate(timeout=30)
    assert wait_gone(workers) == set(), "extraction workers outlived the killed ingest"
    # The killed run is marked interrupted when the store is next opened for a run (or listed).
    assert [r["status"] for r in runs(db)] == ["interrupted"]
    resume_and_check(tmp_path, db)
    assert [r["status"] for r in runs(db)] == ["finished", "interrupted"]


def test_sigterm_shuts_the_pool_down_and_records_the_run_as_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    proc, workers = start_ingest(tmp_path, db)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 143, err
    assert "Traceback" not in err and "interrupted" in err
    assert wait_gone(workers) == set()
    [run] = runs(db)
    assert run["status"] == "interrupted" and run["finished_at"]
    with open_store(db) as store:
        assert run["counts"]["ingested"] == store.count_articles() < N
    resume_and_check(tmp_path, db)


def test_a_dead_runs_process_is_noticed_even_when_its_pid_is_reused_or_gone(tmp_path: Path) -> None:
    with open_store(tmp_path / "r.db") as store:
        rid = store.start_run(["ingest", "x"])
        gone = subprocess.Popen(["true"])
        gone.wait()
        # Make the run look like another process's: one that has exited, then one whose pid
        # is alive but started at another time (a reused pid).
        store._conn.execute("UPDATE ingest_runs SET pid = ? WHERE id = ?", (gone.pid, rid))
        assert [r.status for r in store.runs()] == ["interrupted"]
        store._conn.execute("UPDATE ingest_runs SET pid = ?, pid_start = '1' WHERE id = ?", (os.getpid(), rid))
        assert [r.status for r in store.runs()] == ["interrupted"]
        assert store.mark_dead_runs() == 1  # now written down
        assert store._conn.execute("SELECT status FROM ingest_runs WHERE id = ?", (rid,)).fetchone() == (
            "interrupted",)
        live = store.start_run(["ingest", "y"])  # this process, alive: stays running
        assert {r.id: r.status for r in store.runs()}[live] == "running"
        assert store.mark_dead_runs() == 0
