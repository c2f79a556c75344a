"""``ingest --cluster`` on a real Dask LocalCluster (2 worker processes): same store as a local run.

One input for every test: examples/, a synthetic WARC (a copy of one page under a
second URL, a damaged record at the end) and a folder of bad files, so that new
articles, new sources, failures and the run log are all compared. The local
ingest of that input (``workers=1``) is the reference; a cluster run must store
the same rows in every table (timestamps aside) and return the same ``Summary``:

* a plain cluster run, with small shards so the input spans many;
* a run during which one busy worker process is killed with SIGKILL (Dask runs
  its shard again elsewhere; nothing is lost or written twice);
* a CLI run whose client is killed with SIGKILL mid-run, then run again: the
  re-run skips what was stored and the store ends as the local one;
* an item that runs past ``item_timeout`` fails alone (``extract.timeout``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgraph.cluster import ClusterEngine, connect
from newsgraph.config import Settings
from newsgraph.ingest import Summary, ingest
from newsgraph.store import open_store
from tests.helpers import write_corpus

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: Columns that record when, not what.
CLOCK_COLUMNS = {"added_at", "created_at", "at", "run_id", "seq", "id"}


def _write_warc(path: Path, n: int) -> None:
    spec = importlib.util.spec_from_file_location("newsgraph_bench_cluster", ROOT / "bench" / "cluster.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    mod.write_warc(path, n)


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("cluster-input")
    warc = root / "crawl.warc.gz"
    _write_warc(warc, 10)
    with open(warc, "ab") as fh:  # a damaged record at the end: one warc.malformed
        fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\ncut short")
    bad = root / "bad"
    bad.mkdir()
    (bad / "empty.html").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\xff" * 200)
    text = (ROOT / "examples" / "sahel-monitor-election-postponed.txt").read_bytes()
    (bad / "copy-of-sahel.txt").write_bytes(text)  # same text, another source
    return [str(ROOT / "examples"), str(warc), str(bad)]


@pytest.fixture(scope="module")
def local(specs: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    db = tmp_path_factory.mktemp("local") / "store.db"
    with open_store(db) as store:
        summary = ingest(specs, store, Settings(), workers=1, analyze=True)
    assert summary.new >= 20 and summary.new_sources == 1 and summary.n_failed >= 3
    return db, summary


@pytest.fixture(scope="module")
def client():
    with connect("local:2", analyze=True) as c:
        yield c


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (timestamps and row ids aside), sorted."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%' "
            "and name not in ('ingest_runs', 'schema_migrations', 'sqlite_stat1')")]
        out = {}
        for t in tables:
            cols = [r[1] for r in conn.execute(f"pragma table_info({t})") if r[1] not in CLOCK_COLUMNS]
            out[t] = sorted(conn.execute(f"select {', '.join(cols)} from {t}"), key=repr)
    return out


def attribution_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select article_id, count(*) from attributions group by article_id"))


def test_cluster_run_stores_what_a_local_run_stores(client, specs, local, tmp_path: Path) -> None:
    local_db, local_summary = local
    db = tmp_path / "cluster.db"
    with open_store(db) as store:
        summary = ingest(specs, store, Settings(), analyze=True,
                         engine=ClusterEngine(client, files_per_shard=3, records_per_shard=3))
    assert summary.as_dict() == local_summary.as_dict()
    expected, got = dump(local_db), dump(db)
    assert expected["attributions"] and expected["events"] and expected["article_entities"]
    for table in expected:
        assert got[table] == expected[table], table


def test_cluster_run_without_analysis_then_with_it(client, specs, tmp_path: Path) -> None:
    """--no-analyze stores clean articles as locally; an analysing cluster run then analyses
    exactly those (outcome ``analysed``), as a local re-run does."""
    dbs = {}
    for mode in ("local", "cluster"):
        db = dbs[mode] = tmp_path / f"{mode}.db"
        engine = ClusterEngine(client, files_per_shard=4, records_per_shard=4) if mode == "cluster" else None
        with open_store(db) as store:
            first = ingest(specs, store, Settings(), workers=1, analyze=False, engine=engine)
            again = ingest(specs, store, Settings(), workers=1, analyze=True, engine=engine)
        assert first.new >= 20 and again.analysed == first.new and again.new == 0
        dbs[mode] = (db, first.as_dict(), again.as_dict())
    assert dbs["cluster"][1:] == dbs["local"][1:]
    assert dump(dbs["cluster"][0]) == dump(dbs["local"][0])


def test_worker_killed_mid_shard(client, specs, local, tmp_path: Path) -> None:
    local_db, local_summary = local
    killed: list[tuple[str, int, tuple]] = []

    def kill_a_busy_worker(result, outcome) -> None:
        if killed or len(seen) < 2:
            seen.append(outcome)
            return
        for address, keys in client.processing().items():
            if keys:
                pid = client.run(os.getpid, workers=[address])[address]
                os.kill(pid, signal.SIGKILL)
                killed.append((address, pid, tuple(keys)))
                return

    seen: list[str] = []
    db = tmp_path / "killed.db"
    with open_store(db) as store:
        summary = ingest(specs, store, Settings(), analyze=True, on_item=kill_a_busy_worker,
                         engine=ClusterEngine(client, files_per_shard=2, records_per_shard=2))
    assert killed, "no worker was busy to be killed"
    assert any(str(k).startswith("newsgraph-shard") for k in killed[0][2])
    assert summary.as_dict() == local_summary.as_dict()
    assert attribution_counts(db) == attribution_counts(local_db)
    assert dump(db) == dump(local_db)
    client.wait_for_workers(2, timeout=60)  # the nanny started a new worker process
    assert killed[0][1] not in client.run(os.getpid).values()


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_client_killed_mid_run_resumes(client, specs, local, tmp_path: Path) -> None:
    local_db, local_summary = local
    db = tmp_path / "resumed.db"
    address = client.scheduler.address
    cmd = [sys.executable, "-m", "newsgraph", "--db", str(db), "ingest", "--json", "--no-progress",
           "--cluster", address, *specs]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < 5:
        assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"
        assert time.monotonic() < deadline, "the cluster ingest made no progress"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _count(db)
    assert stored < local_summary.new, "killed too late to test a resume"

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 1, rerun.stderr  # 1: some inputs failed (the bad files), as locally
    second = json.loads(rerun.stdout)
    assert second["skipped"] >= stored
    assert second["ingested"] + second["new_sources"] + second["skipped"] == (
        local_summary.new + local_summary.new_sources)
    assert attribution_counts(db) == attribution_counts(local_db)
    got, expected = dump(db), dump(local_db)
    for table in expected:
        if table != "ingest_errors":  # the killed run logged some failures already
            assert got[table] == expected[table], table
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("select status from ingest_runs order by id")]
    assert statuses == ["interrupted", "finished"]


def _long_report(n: int) -> str:
    """One article of ``n`` distinct paragraphs (2,000: ~300 KB, about 25 s of analysis here)."""
    people = ["Maria Lindqvist", "Tomas Berzins", "Anna Keller", "Jonas Petrauskas", "Elena Moroz"]
    places = ["Riga", "Vilnius", "Tallinn", "Warsaw", "Helsinki", "Gdansk"]
    paras = [f"{people[i % 5]} said on day {i} in {places[i % 6]} that the talks on item {i} would resume "
             f"after a pause of {i % 17 + 2} weeks, and that {i * 7 % 13 + 3} delegations had agreed to attend."
             for i in range(n)]
    return "A long report on the Baltic talks – Baltic Ledger – Politics\n\n" + "\n\n".join(paras) + "\n"


def test_an_item_past_item_timeout_fails_alone(client, tmp_path: Path) -> None:
    folder = tmp_path / "timeout"
    write_corpus(folder, 2)  # two short pages: well under a second each
    slow = folder / "article-00000z.txt"  # between them: one shard holds a short page and this one
    slow.write_text(_long_report(2000), encoding="utf-8")
    with open_store(tmp_path / "store.db") as store:
        summary = ingest([str(folder)], store, Settings(item_timeout=6), analyze=True,
                         engine=ClusterEngine(client, files_per_shard=2))
        failures = store.failures()
    assert summary.new == 2 and dict(summary.failed) == {"extract.timeout": 1}
    assert [(f.source, f.code) for f in failures] == [(str(slow), "extract.timeout")]
    client.wait_for_workers(2, timeout=60)  # the stuck worker was replaced
