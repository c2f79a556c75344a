"""``ingest --cluster`` of feeds: the entries' pages are fetched on the workers, one host at a time.

Two loopback news sites (``tests/feed_server.FeedSite``: two ports, so two hosts as politeness
counts them), each with one RSS feed of ``N`` entries, ingested with a real Dask ``LocalCluster``
(2 worker processes) and, as the reference, locally. The cluster run must:

* store what the local run stores (every table but the clock), with the same ``Summary``;
* fetch each page exactly once, and never start two requests to one host closer than
  ``politeness_delay`` (the host's shards run one after the other, whichever worker runs them);
* fetch the two hosts side by side (their page requests overlap in time), which a local run,
  whose one fetcher reads the feeds one after the other, does not: the pages are fetched on the
  workers, not by the command.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.cluster import ClusterEngine, Pages, connect, plan
from newsgraph.config import Settings
from newsgraph.ingest import ingest
from newsgraph.store import open_store
from tests.e2e.test_cluster import dump
from tests.feed_server import FeedSite

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

N = 6
DELAY = 0.4
SETTINGS = Settings(allow_private=True, politeness_delay=DELAY)


@pytest.fixture
def sites():
    made = [FeedSite(), FeedSite()]
    for k, site in enumerate(made):
        site.add("/feed.xml", *range(100 * k + 1, 100 * k + 1 + N))
    yield made
    for site in made:
        site.close()


def _pages(site: FeedSite, since: int) -> list[float]:
    """Start times of the site's page requests after the first ``since`` requests."""
    with site.lock:
        return [h.at for h in site.requests[since:] if h.path.startswith("/news/")]


def test_feed_pages_are_fetched_on_the_workers_host_by_host(sites: list[FeedSite], tmp_path: Path) -> None:
    feeds = [site.url("/feed.xml") for site in sites]
    with open_store(tmp_path / "local.db") as store:
        want = ingest(feeds, store, SETTINGS, workers=1)
    assert want.new == 2 * N and want.n_failed == 0
    local = [_pages(site, 0) for site in sites]
    assert max(local[0]) < min(local[1])  # locally: one feed's pages, then the other's

    shards = [u for u in plan(feeds, SETTINGS, lambda s: False, pages_per_shard=2) if isinstance(u, Pages)]
    assert [(s.host, len(s)) for s in shards] == [(sites[0].base.removeprefix("http://"), 2)] * 3 + [
        (sites[1].base.removeprefix("http://"), 2)] * 3

    marks = [len(site.requests) for site in sites]
    with connect("local:2", analyze=False) as client:
        engine = ClusterEngine(client, pages_per_shard=2)
        with open_store(tmp_path / "cluster.db") as store:
            got = ingest(feeds, store, SETTINGS, engine=engine)
    assert got.as_dict() == want.as_dict()
    assert dump(tmp_path / "cluster.db") == dump(tmp_path / "local.db")

    fetched = [_pages(site, mark) for site, mark in zip(sites, marks, strict=True)]
    for site, mark, times in zip(sites, marks, fetched, strict=True):
        paths = [h.path for h in site.requests[mark:] if h.path.startswith("/news/")]
        assert sorted(paths) == sorted(set(paths)) and len(paths) == N  # each page once
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= DELAY * 0.95, gaps  # politeness per host, across shards and workers
    assert max(fetched[0][0], fetched[1][0]) < min(fetched[0][-1], fetched[1][-1])  # hosts side by side
