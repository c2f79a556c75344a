"""``newsgraph copy SRC DST``: the same store on the other side, resumable, verified.

The source is the examples store with what a real store gathers besides articles: a merge and
a split (corrections, a redirect), a logged failure, an article stored without analysis. The
promises checked: the copy exports the same JSON, lists the same actors and quotes and finds
the same search hits; an interrupted copy (an error inside a batch, or the process killed)
run again ends identical, nothing doubled; a destination holding something else is refused.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.store.copy import copy_store
from newsgraph.types import Article, Failure


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def source(examples_db_copy) -> Path:
    path = examples_db_copy("copy-source")
    with open_store(path) as store:
        people = [a for a in store.actors(type="PERSON", limit=200) if len(a.aliases) >= 1]
        store.merge_actors(people[0].key, people[1].key)  # a correction and a redirect
        merged = store.actor(people[0].key).actor
        if len(merged.aliases) >= 2:
            store.split_actor(merged.key, merged.aliases[-1])
        run_id = store.start_run(["test"])
        store.log_failure(run_id, Failure("bad.html", "extract.no_article", "not an article", kind="index"))
        store.finish_run(run_id, {"failed": 1})
        text = "An article stored without its analysis, to be copied as it is."
        store.add_article(Article(article_id(text), "plain.txt", None, "Plain", None, (), None, "en", text))
    return path


def _export(db: Path) -> str:
    code, out, _ = run("--db", str(db), "export", "--format", "jsonl")
    assert code == 0
    return out


def _views(db: Path) -> list[str]:
    return [run("--db", str(db), *args)[1] for args in (
        ("entities", "--json", "--limit", "500"), ("quotes", "--json", "--all", "--limit", "500"),
        ("events", "--json", "--limit", "500"), ("search", "Meridan", "--json"), ("failures", "--json"),
        ("runs", "--json"))]


def _tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                             " AND name NOT LIKE '%fts%' AND name NOT IN ('schema_migrations',"
                                             " 'sqlite_stat1')")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_a_copy_is_the_same_store(source: Path, tmp_path: Path) -> None:
    dst = tmp_path / "copy.db"
    code, out, err = run("copy", str(source), str(dst), "--json")
    assert code == 0, err
    res = json.loads(out)
    assert res["ok"] and res["mismatches"] == []
    assert res["src"]["counts"] == res["dst"]["counts"]
    assert res["src"]["checksum"] == res["dst"]["checksum"]
    assert res["src"]["counts"]["corrections"] >= 1 and res["src"]["counts"]["ingest_errors"] == 1
    assert res["copied"] == res["src"]["counts"]["articles"] == 15
    assert _export(dst) == _export(source)
    assert _views(dst) == _views(source)
    assert _tables(dst) == _tables(source)  # row for row: ids, keys, timestamps, counters, bands
    # run again: nothing to do, still identical
    code, out, _ = run("copy", str(source), str(dst), "--json")
    assert code == 0 and json.loads(out)["copied"] == 0


def _fts_ok(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        for table in ("articles_fts", "attributions_fts"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")  # raises when corrupt


def test_a_copy_stopped_inside_a_batch_resumes_without_duplicates(source: Path, tmp_path: Path) -> None:
    dst = tmp_path / "copy.db"
    batches = []

    def stop_at_third(hi: int) -> None:
        batches.append(hi)
        if len(batches) == 3:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        copy_store(str(source), str(dst), batch=2, on_batch=stop_at_third)
    with open_store(dst) as store:
        assert store.count_articles() == 4  # two whole batches, not the third
    res = copy_store(str(source), str(dst), batch=2)
    assert res.ok, res.mismatches
    assert res.resumed_after == batches[1] and res.copied == 15 - 4
    _fts_ok(dst)
    assert _export(dst) == _export(source)


def test_a_destination_with_something_else_is_refused(source: Path, tmp_path: Path) -> None:
    dst = tmp_path / "other.db"
    with open_store(dst) as store:
        store.add_article(Article(article_id("Another text."), "x", None, None, None, (), None, "en", "Another text."))
    code, _, err = run("copy", str(source), str(dst))
    assert code == 1 and "store.not_empty" in err
    with open_store(dst) as store:
        assert store.count_articles() == 1


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_a_killed_copy_resumes(source: Path, tmp_path: Path) -> None:
    dst = tmp_path / "copy.db"
    # the copy of `newsgraph copy`, each batch of one article waiting inside its transaction:
    # time to be killed mid-copy, most often with a transaction open
    script = ("import sys, time; from newsgraph.store.copy import copy_store; "
              "copy_store(sys.argv[1], sys.argv[2], batch=1, on_batch=lambda hi: time.sleep(0.2))")
    proc = subprocess.Popen([sys.executable, "-c", script, str(source), str(dst)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(dst) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _count(dst)
    assert 3 <= killed_at < 15
    res = copy_store(str(source), str(dst))
    assert res.ok, res.mismatches
    assert res.copied == 15 - killed_at
    _fts_ok(dst)
    assert _export(dst) == _export(source)


def test_sqlite_to_postgresql_and_back(source: Path, tmp_path: Path, pg_database) -> None:
    """Skips only without a PostgreSQL server (never under CI=true: tests/pg_server.py)."""
    pg = pg_database()
    there = copy_store(str(source), pg, batch=4)
    assert there.ok, there.mismatches
    assert there.dst.counts == there.src.counts and there.dst.checksum == there.src.checksum
    back = tmp_path / "back.db"
    res = copy_store(pg, str(back), batch=4)
    assert res.ok, res.mismatches
    assert res.src.checksum == there.src.checksum
    assert _export(back) == _export(source)
    assert _export(pg) == _export(source)  # and the PostgreSQL store itself answers the same
    with open_store(pg) as store:  # new rows after a copy get new ids
        text = "A new article written after the copy."
        assert store.add_article(Article(article_id(text), "new.txt", None, None, None, (), None, "en", text)) == "new"
        assert store.count_articles() == 16
