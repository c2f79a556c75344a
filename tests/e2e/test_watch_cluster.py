"""`newsgraph watch --cluster local:1`: a real one-worker Dask LocalCluster extracts and analyses
each poll's pages, the watcher fetches and stores them. Against the loopback site of
``tests/feed_server.py``: the same articles, feed outcomes and alert hits as a watcher without a
cluster, a restart that fetches nothing twice, and SIGTERM between items closing the cluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.config import Settings
from newsgraph.store import Store, alerts, open_store
from newsgraph.store import feeds as feedlist
from newsgraph.store.alerts import AlertFilters
from newsgraph.watch import Watcher
from tests.feed_server import FeedSite

pytest.importorskip("distributed")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(allow_private=True, politeness_delay=0.0, timeout=5.0, retries=0, backoff=0.01)
FEEDS = ("/a.xml", "/b.xml")


@pytest.fixture
def sites() -> Iterator[tuple[FeedSite, FeedSite]]:
    """Two sites with the same feeds and pages (one per watcher: requests counted apart)."""
    pair = (FeedSite(), FeedSite())
    yield pair
    for s in pair:
        s.close()


def _publish(site: FeedSite, a: tuple[int, ...], b: tuple[int, ...]) -> None:
    site.add("/a.xml", *a)
    site.add("/b.xml", *b)


def _prepare(db: Path, site: FeedSite) -> None:
    with open_store(db) as store:
        feedlist.follow(store, [(site.url(f), None) for f in FEEDS])
        alerts.add(store, "quotes", AlertFilters(min_confidence=0.0))  # every attribution
        alerts.add(store, "english", AlertFilters(language="en"))  # every article


def _cli_watch(db: Path, *args: str) -> dict[str, int]:
    res = CliRunner().invoke(cli, ["--db", str(db), "watch", "--once", "--interval", "0", "--allow-private",
                                   "--delay", "0", "--timeout", "5", "--json", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _state(store: Store, site: FeedSite) -> dict[str, object]:
    """What the watch stored, without the site's address: articles, feed outcomes, alert hits."""
    base = site.url("")
    ids = sorted(a.article.id for a in store.iter_articles())
    outcomes = {}
    for feed in FEEDS:
        links = [site.url(f"/news/{i}") for i in range(1, 40)]
        with store.backend.read("entries") as r:
            known = r.feed_items(site.url(feed), links)
        outcomes[feed] = sorted((link.removeprefix(base), item.outcome) for link, item in known.items())
    hits = {name: sorted((h.kind, h.ref) for h in alerts.hits(store, name, limit=1000)[1])
            for name in ("quotes", "english")}
    analysed = sorted((a.article.id, len(a.article.attributions), len(a.article.entities))
                      for a in store.iter_articles())
    return {"ids": ids, "outcomes": outcomes, "hits": hits, "analysed": analysed}


def _pages(site: FeedSite) -> Counter[str]:
    return Counter(h.path for h in site.requests if h.path.startswith("/news/"))


def test_watch_on_a_cluster_stores_what_a_local_watch_stores_and_resumes_fetching_nothing_twice(
        sites: tuple[FeedSite, FeedSite], tmp_path: Path) -> None:
    local_site, cluster_site = sites
    local_db, cluster_db = tmp_path / "local.db", tmp_path / "cluster.db"
    for site, db in ((local_site, local_db), (cluster_site, cluster_db)):
        _publish(site, (1, 2, 3, 4), (11, 12))
        _prepare(db, site)

    with open_store(local_db) as store:  # the reference: the watcher's own worker, no cluster
        Watcher(store, SETTINGS, interval=0.0, max_backoff=60.0, analyze=True, workers=1).run(once=True)
    first = _cli_watch(cluster_db, "--cluster", "local:1")
    assert first["ingested"] == 6 and first["failed"] == 0 and first["alert_hits"] > 6

    for site in sites:  # published while no watcher ran; then a restart of each
        _publish(site, (5, 6), (13,))
    with open_store(local_db) as store:
        Watcher(store, SETTINGS, interval=0.0, max_backoff=60.0, analyze=True, workers=1).run(once=True)
    second = _cli_watch(cluster_db, "--cluster", "local:1")
    assert second["ingested"] == 3

    with open_store(local_db) as a, open_store(cluster_db) as b:
        want, got = _state(a, local_site), _state(b, cluster_site)
        assert b.runs(limit=1)[0].status == "finished"
    assert len(got["ids"]) == 9 and all(n_attr > 0 for _, n_attr, _ in got["analysed"])  # type: ignore[arg-type]
    assert got == want  # same articles, analyses, feed outcomes and alert hits
    assert _pages(cluster_site) == {f"/news/{i}": 1 for i in (1, 2, 3, 4, 5, 6, 11, 12, 13)}


def _descendants(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):  # a child belongs to the thread that started it
        try:
            kids |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return kids.union(*(_descendants(k) for k in kids))


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _count(db: Path) -> int:
    try:
        with open_store(db, read_only=True) as s:
            return s.count_articles()
    except Exception:  # noqa: BLE001 - not created yet, or being migrated
        return 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_cluster_watch_between_items_and_closes_the_cluster(
        sites: tuple[FeedSite, FeedSite], tmp_path: Path, signum: int) -> None:
    site = sites[0]
    db = tmp_path / "w.db"
    site.add("/a.xml", *range(1, 9))
    for i in range(1, 9):
        site.slow[f"/news/{i}"] = 0.4
    with open_store(db) as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "--db", str(db), "watch", "--interval", "0.2",
                             "--allow-private", "--delay", "0", "--no-analyze", "--json", "--cluster", "local:1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + 120
        while _count(db) < 2 and time.monotonic() < end and proc.poll() is None:
            time.sleep(0.05)
        assert _count(db) >= 2, proc.stderr.read().decode()[-3000:] if proc.poll() is not None else "too slow"
        cluster = _descendants(proc.pid)
        assert cluster  # the LocalCluster's nanny and worker
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()[-3000:]
    summary = json.loads(out)
    deadline = time.monotonic() + 15
    while _alive(cluster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(cluster)  # the cluster was closed with the watcher
    with open_store(db) as store:
        n = store.count_articles()
        with store.backend.read("entries") as r:
            items = r.feed_items(site.url("/a.xml"), [site.url(f"/news/{i}") for i in range(1, 9)])
        assert store.runs(limit=1)[0].status == "interrupted"
    assert 2 <= n < 8 and summary["ingested"] == n
    assert len(items) == n and all(i.outcome == "new" for i in items.values())  # every page fetched was stored
    fetched = _pages(site)
    assert sum(fetched.values()) == n  # none fetched and dropped at the stop
    assert _cli_watch(db, "--no-analyze", "--cluster", "local:1")["ingested"] == 8 - n
    assert _pages(site) == {f"/news/{i}": 1 for i in range(1, 9)}  # the restart fetched only the rest


def test_cluster_options_are_checked_before_anything_starts(sites: tuple[FeedSite, FeedSite], tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    _prepare(db, sites[0])
    both = CliRunner().invoke(cli, ["--db", str(db), "watch", "--once", "--workers", "2", "--cluster", "local:1"])
    assert both.exit_code == 2 and "--workers is for local workers" in both.output
    bad = CliRunner().invoke(cli, ["--db", str(db), "watch", "--once", "--cluster", "local:zero"])
    assert bad.exit_code == 2 and "--cluster" in bad.output and "local:N" in bad.output
    assert not sites[0].requests  # no feed polled
