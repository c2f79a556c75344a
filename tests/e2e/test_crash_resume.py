"""Kill an ingest with SIGKILL mid-batch, re-run it, and check the store.

The promise: an interrupted ingest resumes without duplicates or partial
rows. Every article row must have its source row and its search-index row;
after the re-run every input is stored exactly once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import write_corpus

N_ARTICLES = 240


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _check_consistent(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        n_articles = conn.execute("select count(*) from articles").fetchone()[0]
        orphans = conn.execute(
            "select count(*) from articles a where not exists "
            "(select 1 from sources s where s.article_id = a.id)"
        ).fetchone()[0]
        dangling = conn.execute(
            "select count(*) from sources s where not exists "
            "(select 1 from articles a where a.id = s.article_id)"
        ).fetchone()[0]
        dup_sources = conn.execute(
            "select count(*) from (select source from sources group by source having count(*) > 1)"
        ).fetchone()[0]
        assert orphans == 0, "an article was stored without its source row"
        assert dangling == 0, "a source row points at a missing article"
        assert dup_sources == 0, "a source was stored twice"
        # Every article is findable: the full-text index holds one row per article.
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    return n_articles


def _ingest_cmd(db: Path, corpus: Path, analyze: bool) -> list[str]:
    return [sys.executable, "-m", "newsgraph", "--db", str(db), "ingest", "--no-progress",
            "--workers", "1", "--analyze" if analyze else "--no-analyze", str(corpus)]


def _attribution_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select article_id, count(*) from attributions group by article_id"))


@pytest.mark.slow
@pytest.mark.parametrize(("kill_after", "analyze"), [(15, True), (120, False)])
def test_sigkill_mid_ingest_then_resume(tmp_path: Path, kill_after: int, analyze: bool) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, N_ARTICLES)
    db = tmp_path / "store.db"

    proc = subprocess.Popen(_ingest_cmd(db, corpus, analyze), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < kill_after:
        assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    partial = _check_consistent(db)
    assert kill_after <= partial < N_ARTICLES

    done = subprocess.run(_ingest_cmd(db, corpus, analyze), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _check_consistent(db) == N_ARTICLES

    # A third run is a no-op.
    again = subprocess.run(_ingest_cmd(db, corpus, analyze) + ["--json"], capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    assert '"ingested": 0' in again.stdout
    assert _check_consistent(db) == N_ARTICLES

    if analyze:
        # Every article's attributions are whole: the same as an uninterrupted run stores.
        clean_db = tmp_path / "clean.db"
        subprocess.run(_ingest_cmd(clean_db, corpus, analyze), capture_output=True, timeout=600, check=True)
        counts = _attribution_counts(db)
        assert counts == _attribution_counts(clean_db)
        assert sum(counts.values()) >= N_ARTICLES  # each synthetic article carries attributions
