"""``ingest --cluster`` on a PostgreSQL store: the workers write their articles themselves.

A real Dask ``LocalCluster`` (2 worker processes) and a real PostgreSQL server (``tests/pg_server.py``;
under ``CI=true`` a missing server fails). One input for every test, as in ``test_cluster.py``:
examples/, a synthetic WARC (one page under two URLs, a damaged record at the end) and a folder of
bad files with a copy of an example's text. The reference is a local ingest (``workers=1``) of
that input into a fresh database. What a cluster run writing directly must give (the guarantee
``newsgraph.cluster``'s docstring states):

* the same articles (ids and every stored column), sources, attributions, entities (name, type,
  mentions), events, story signatures, failures logged, analysis statuses and tally;
* the same actors, each with the same linked mentions (the registry's partition of names), and
  counters equal to a recount from the rows;
* the same ``Summary`` counts (a worker killed after its shard committed would turn that shard's
  ``new`` into ``skipped``; the kill test allows exactly that shift and nothing else).

Tests: a plain run with small shards; --no-analyze then an analysing run (outcome ``analysed``, a
second source of an analysed text ``skipped``); a run during which a busy worker is SIGKILLed; a CLI
run whose client is SIGKILLed, then run again; ``write_results`` on a shard written twice and on an
item the store refuses.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.cluster import ClusterEngine, connect
from newsgraph.config import Settings
from newsgraph.ingest import Summary, ingest
from newsgraph.store import open_store
from tests.e2e.test_cluster import specs  # noqa: F401  (the shared input, a module fixture)
from tests.e2e.test_many_writers import _counters_recounted, _twins
from tests.pg_server import _admin, _create, database_url

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

#: Columns that say when or in which order a row was written, not what it holds.
ORDER_COLUMNS = {"seq", "article_seq", "added_at", "created_at", "at", "run_id", "id", "tsv", "content_tsv"}


@pytest.fixture(scope="module")
def new_db(pg_server: str, pg_template: str) -> Iterator[Callable[[], str]]:
    """A fresh migrated database per call, dropped at the module's end."""
    made: list[str] = []

    def new() -> str:
        name = f"ng_cluster_{os.getpid()}_{len(made)}_{int(time.time() * 1000) % 100000}"
        _create(pg_server, name, pg_template)
        made.append(name)
        return database_url(pg_server, name)

    yield new
    for name in made:
        try:
            _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001
            pass


@pytest.fixture(scope="module")
def local(specs: list[str], new_db: Callable[[], str]) -> tuple[str, Summary]:  # noqa: F811
    url = new_db()
    with open_store(url) as store:
        summary = ingest(specs, store, Settings(), workers=1, analyze=True)
    assert summary.new >= 20 and summary.new_sources == 1 and summary.n_failed >= 3
    return url, summary


@pytest.fixture(scope="module")
def client():
    with connect("local:2", analyze=True) as c:
        yield c


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def _columns(url: str, table: str) -> list[str]:
    return [c for (c,) in _rows(url, "SELECT column_name FROM information_schema.columns WHERE table_name = "
                                     f"'{table}' ORDER BY ordinal_position") if c not in ORDER_COLUMNS]


#: Each table's rows as content: a row naming an article by seq names it by id instead.
CONTENT = {
    "articles": None, "sources": None, "attributions": None, "events": None, "ingest_errors": None,
    "speaker_counts": None, "name_weeks": None, "dyad_weeks": None, "attribution_tally": None,
    "story_signatures": "SELECT a.id, s.sig FROM story_signatures s JOIN articles a ON a.seq = s.article_seq",
    "story_bands": "SELECT b.band, b.key, a.id FROM story_bands b JOIN articles a ON a.seq = b.article_seq",
}


def content(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table that holds what was ingested, without write order (seq) or clock."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table, sql in CONTENT.items():
        if sql is None:
            cols = [c for c in _columns(url, table) if c != "actor_key"]
            sql = f"SELECT {', '.join(cols)} FROM {table}"
        out[table] = sorted(_rows(url, sql), key=repr)
    out["article_entities"] = sorted(_rows(url, "SELECT article_id, entity_id, name, type, mentions::text,"
                                                " n_mentions, published FROM article_entities"), key=repr)
    out["actors"] = actors(url)
    return out


def actors(url: str) -> list[tuple[Any, ...]]:
    """Each actor as its name, type, counts and the mentions linked to it (keys are made in write order)."""
    linked: dict[str, list[tuple[str, str]]] = {}
    for key, article, name in _rows(url, "SELECT actor_key, article_id, name FROM article_entities"):
        linked.setdefault(key, []).append((article, name))
    rows = _rows(url, "SELECT key, name, type, n_articles, n_mentions FROM actors")
    return sorted(((name, type_, n_a, n_m, tuple(sorted(linked.get(key, ()))))
                   for key, name, type_, n_a, n_m in rows), key=repr)


def assert_same_store(got: str, want: str, *, skip: tuple[str, ...] = ()) -> None:
    a, b = content(got), content(want)
    assert b["articles"] and b["attributions"] and b["events"] and b["article_entities"] and b["actors"]
    differing = [t for t in b if t not in skip and a[t] != b[t]]
    assert differing == [], {t: (Counter(map(repr, a[t])) - Counter(map(repr, b[t])),
                                 Counter(map(repr, b[t])) - Counter(map(repr, a[t]))) for t in differing}
    assert len({s for s, in _rows(got, "SELECT source FROM sources")}) == len(_rows(got, "SELECT source FROM sources"))
    assert _twins(got) == set()
    _counters_recounted(got)


def test_workers_writing_directly_store_what_a_local_run_stores(client, specs, local, new_db) -> None:  # noqa: F811
    want, local_summary = local
    url = new_db()
    engine = ClusterEngine(client, files_per_shard=3, records_per_shard=3, store_url=url)
    kinds: Counter[str] = Counter()
    with open_store(url) as store:
        summary = ingest(specs, store, Settings(), analyze=True, engine=engine,
                         on_item=lambda result, outcome: kinds.update([type(result).__name__]))
    assert summary.as_dict() == local_summary.as_dict()
    assert_same_store(url, want)
    # The workers stored every article: the client received outcomes, not articles.
    assert kinds["Stored"] == summary.new + summary.new_sources and "Article" not in kinds


def test_workers_writing_without_analysis_then_with_it(client, specs, new_db) -> None:  # noqa: F811
    """--no-analyze, then an analysing run over the same input, both with the workers writing: the
    second analyses exactly the articles the first stored (outcome ``analysed``), and both runs count
    and store what the same two runs give locally."""
    stores, summaries = {}, {}
    for mode in ("local", "cluster"):
        url = stores[mode] = new_db()
        engine = ClusterEngine(client, files_per_shard=4, records_per_shard=4, store_url=url) if mode == "cluster" \
            else None
        with open_store(url) as store:
            first = ingest(specs, store, Settings(), workers=1, analyze=False, engine=engine)
            again = ingest(specs, store, Settings(), workers=1, analyze=True, engine=engine)
        assert first.new >= 20 and again.analysed == first.new and again.new == 0
        summaries[mode] = (first.as_dict(), again.as_dict())
    assert summaries["cluster"] == summaries["local"]
    assert_same_store(stores["cluster"], stores["local"])


def _kill_a_busy_worker(client: Any, killed: list[int]) -> Callable[[Any, str], None]:
    """An ``on_item`` that SIGKILLs the process of a worker running a shard, once, after 2 items."""
    seen: list[str] = []

    def on_item(result: Any, outcome: str) -> None:
        seen.append(outcome)
        if killed or len(seen) < 2:
            return
        for address, keys in client.processing().items():
            if any(str(k).startswith("newsgraph-shard") for k in keys):
                pid = client.run(os.getpid, workers=[address])[address]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return

    return on_item


def test_worker_killed_mid_run_on_postgres(client, specs, local, new_db) -> None:  # noqa: F811
    """A worker SIGKILLed while it runs (or writes) a shard: its transaction is rolled back by the server,
    Dask runs the shard again elsewhere, and the store ends with exactly the local run's rows."""
    want, local_summary = local
    url = new_db()
    killed: list[int] = []
    with open_store(url) as store:
        summary = ingest(specs, store, Settings(), analyze=True, on_item=_kill_a_busy_worker(client, killed),
                         engine=ClusterEngine(client, files_per_shard=2, records_per_shard=2, store_url=url))
    assert killed, "no worker was busy to be killed"
    assert_same_store(url, want)
    got, ref = summary.as_dict(), local_summary.as_dict()
    shifted = ref["ingested"] - got["ingested"]  # a shard committed just before its worker died: 'skipped'
    assert 0 <= shifted <= 2 and got["skipped"] == ref["skipped"] + shifted
    assert {**got, "ingested": 0, "skipped": 0} == {**ref, "ingested": 0, "skipped": 0}
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in client.run(os.getpid).values()


def _count(url: str) -> int:
    return int(_rows(url, "SELECT COUNT(*) FROM articles")[0][0])


def test_client_killed_mid_run_resumes_on_postgres(client, specs, local, new_db) -> None:  # noqa: F811
    """``newsgraph ingest --cluster`` SIGKILLed mid-run, then run again: nothing twice, nothing missing.
    Shards already running when the client died may still commit afterwards (a worker's thread is
    not stopped); the re-run counts those as skipped, or races them harmlessly (same ids)."""
    want, local_summary = local
    url = new_db()
    env = {k: v for k, v in os.environ.items() if k != "NEWSGRAPH_DB"}
    cmd = [sys.executable, "-m", "newsgraph", "--db", url, "ingest", "--json", "--no-progress",
           "--cluster", client.scheduler.address, *specs]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while _count(url) < 5:
        assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"
        assert time.monotonic() < deadline, "the cluster ingest made no progress"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _count(url)
    assert stored < local_summary.new, "killed too late to test a resume"

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env)
    assert rerun.returncode == 1, rerun.stderr  # 1: some inputs failed (the bad files), as locally
    second = json.loads(rerun.stdout)
    assert second["skipped"] >= stored
    assert second["ingested"] + second["new_sources"] + second["skipped"] == (
        local_summary.new + local_summary.new_sources)
    assert_same_store(url, want, skip=("ingest_errors",))  # the killed run logged some failures already
    assert _rows(url, "SELECT status FROM ingest_runs ORDER BY id") == [("interrupted",), ("finished",)]
    assert not [n for n in client.run(_open_stores).values() if n], "a worker kept the run's store open"


def _open_stores() -> int:
    from newsgraph import cluster

    return len(cluster._STORES)


def test_a_shard_written_twice_adds_nothing_and_a_refused_item_fails_alone(pg_database) -> None:
    """``write_results`` as a retried shard meets it: the second write of the same results adds no row
    and reports every item ``skipped``; an item the store refuses fails alone, the others are stored."""
    import dataclasses

    from newsgraph.cluster import Files, write_results
    from newsgraph.ingest import Extracted, Stored, process_item
    from newsgraph.types import Failure

    examples = sorted(str(p) for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))[:3]
    settings = Settings()
    results = [process_item(item, settings) for item in Files(tuple(examples)).read(settings)]
    assert all(isinstance(r, Extracted) for r in results) and len(results) == 3
    bad = Extracted(dataclasses.replace(results[1].article, id="", source="refused.txt"))
    url = pg_database(migrated=True)
    with open_store(url) as store:
        first = write_results(store, [results[0], bad, results[2]], False)
        assert [type(r) for r in first] == [Stored, Failure, Stored]
        assert [r.outcome for r in first if isinstance(r, Stored)] == ["new", "new"]
        assert first[1].source == "refused.txt" and first[1].code == "store.invalid"
        again = write_results(store, [results[0], results[2]], False)
    assert [(r.outcome, r.article_id) for r in again] == [("skipped", r.article_id) for r in first[::2]]
    assert _count(url) == 2 and len(_rows(url, "SELECT source FROM sources")) == 2
