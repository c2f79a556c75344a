"""`newsgraph watch` against a loopback news site whose feeds change between polls
(``tests/feed_server.py``): new items, an edited item, 304s, a failing feed that recovers, a slow
host, a watcher killed with SIGKILL and restarted, SIGTERM between items. Short intervals, every
wait bounded; the first test runs on both store backends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.config import Settings
from newsgraph.store import Store, alerts, open_store
from newsgraph.store import feeds as feedlist
from newsgraph.store.alerts import AlertFilters
from newsgraph.store.feeds import format_time, parse_time
from newsgraph.watch import Watcher, feed_hint
from tests.feed_server import FeedSite

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(allow_private=True, politeness_delay=0.0, timeout=2.0, retries=0, backoff=0.01)


@pytest.fixture
def site() -> Iterator[FeedSite]:
    s = FeedSite()
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "watch.db")
    return str(request.getfixturevalue("pg_database")())


def once(store: Store, **kw: object) -> Watcher:
    w = Watcher(store, kw.pop("settings", SETTINGS), interval=kw.pop("interval", 0.0),  # type: ignore[arg-type]
                max_backoff=kw.pop("max_backoff", 60.0), analyze=kw.pop("analyze", False),  # type: ignore[arg-type]
                workers=1, **kw)  # type: ignore[arg-type]
    w.run(once=True)
    return w


def page_hits(site: FeedSite) -> list[str]:
    return [h.path for h in site.requests if h.path.startswith("/news/")]


def sources(store: Store) -> Counter[str]:
    return Counter(s.source for a in store.iter_articles() for s in a.sources)


def test_new_edited_and_unchanged_items_newest_first_with_conditional_requests(site: FeedSite,
                                                                                  any_store_url: str) -> None:
    site.add("/a.xml", 1, 2, 3)
    feed = site.url("/a.xml")
    with open_store(any_store_url) as store:
        feedlist.follow(store, [(feed, None)])
        once(store)
        assert page_hits(site) == ["/news/3", "/news/2", "/news/1"]  # newest first
        assert store.count_articles() == 3
        (state,) = feedlist.followed(store)
        assert state.etag == '"a.xml-v1"' and state.last_modified and state.title == "Ledger /a.xml"
        assert (state.items_seen, state.items_ingested, state.errors_in_a_row) == (3, 3, 0)

        once(store)  # nothing changed: a 304, no page fetched
        last = site.hits("/a.xml")[-1].headers
        assert last["if-none-match"] == '"a.xml-v1"' and last["if-modified-since"] == state.last_modified
        assert len(page_hits(site)) == 3

        site.add("/a.xml", 4, 5)
        site.edit("/a.xml", 2)
        once(store)  # the two new ones newest first, and the edited one: its new text is a new article
        assert page_hits(site)[3:] == ["/news/5", "/news/4", "/news/2"]
        assert store.count_articles() == 6
        counts = sources(store)
        assert counts[site.url("/news/2")] == 2 and sum(counts.values()) == 6  # each article once

        once(store)
        once(store)  # unchanged again: 304s, nothing fetched twice
        assert Counter(page_hits(site)) == {f"/news/{i}": 1 for i in (1, 3, 4, 5)} | {"/news/2": 2}
        (h,) = feedlist.health(store)
        assert h.status == "ok" and h.feed.items_ingested == 6  # articles stored from it
        assert h.items_per_day == 5.0  # entries stored from it (within a day of following it: over one day)
        assert h.median_delay is not None and h.median_delay > 0


def test_a_failing_feed_backs_off_keeps_its_reason_and_recovers(site: FeedSite, tmp_path: Path) -> None:
    site.add("/a.xml", 1)
    site.fail("/a.xml", 3)
    clock = [datetime(2026, 12, 1, tzinfo=UTC)]
    with open_store(tmp_path / "w.db") as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
        waits = []
        for _ in range(3):
            once(store, interval=10.0, max_backoff=50.0, now=lambda: clock[0])
            (f,) = feedlist.followed(store)
            waits.append((parse_time(f.next_poll_at) - clock[0]).total_seconds())  # type: ignore[operator]
            assert (f.last_error_code, f.last_error) == ("fetch.http_500", "HTTP 500 after 1 attempt(s)")
            (h,) = feedlist.health(store)
            assert h.status == "failing"
            once(store, interval=10.0, max_backoff=50.0, now=lambda: clock[0])  # not due yet: not polled
            clock[0] = parse_time(f.next_poll_at)  # type: ignore[assignment]
        assert waits == [20.0, 40.0, 50.0]  # 2x, 4x the interval, then the cap
        assert len(site.hits("/a.xml")) == 3
        once(store, interval=10.0, max_backoff=50.0, now=lambda: clock[0])
        (f,) = feedlist.followed(store)
        assert f.errors_in_a_row == 0 and f.last_success_at and store.count_articles() == 1
        assert parse_time(f.next_poll_at) == parse_time(f.last_success_at) + timedelta(seconds=10)  # type: ignore[operator]
        assert f.last_error_code == "fetch.http_500"  # the last error is kept for the record


def test_a_slow_host_times_out_alone_and_a_merely_slow_one_is_waited_for(site: FeedSite, tmp_path: Path) -> None:
    for name, item in (("/stuck.xml", 1), ("/slow.xml", 2), ("/quick.xml", 3)):
        site.add(name, item)
    site.slow["/stuck.xml"] = 4.0  # past the 3 x 0.5 s deadline
    site.slow["/slow.xml"] = 0.3
    settings = SETTINGS.replace(timeout=0.5)
    with open_store(tmp_path / "w.db") as store:
        feedlist.follow(store, [(site.url(p), None) for p in ("/stuck.xml", "/slow.xml", "/quick.xml")])
        started = time.monotonic()
        once(store, settings=settings)
        assert time.monotonic() - started < 4.0
        state = {f.url.rsplit("/", 1)[1]: f for f in feedlist.followed(store)}
    assert state["stuck.xml"].last_error_code == "fetch.timeout"
    assert state["slow.xml"].errors_in_a_row == 0 and state["quick.xml"].errors_in_a_row == 0
    assert sorted(page_hits(site)) == ["/news/2", "/news/3"]


def test_the_feed_asks_for_longer_and_is_heard_within_limits() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    assert feed_hint({"cache-control": "public, max-age=1200"}, None, at) == 1200
    assert feed_hint({"cache-control": "no-store, max-age=1200"}, None, at) == 0
    assert feed_hint({}, 60 * 60.0, at) == 3600
    assert feed_hint({"expires": "Tue, 01 Dec 2026 00:10:00 GMT"}, None, at) == 600
    assert feed_hint({"cache-control": "max-age=99999999"}, None, at) == 6 * 3600  # capped


# --------------------------------------------------------------------------- the process


def _watch(db: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NEWSGRAPH_WORKERS="1", PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-m", "newsgraph", "--db", str(db), "watch", "--interval", "0.2",
                             "--allow-private", "--delay", "0", "--no-analyze", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(cond: Callable[[], bool], seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


def _count(db: Path) -> int:
    try:
        with open_store(db, read_only=True) as s:
            return s.count_articles()
    except Exception:  # noqa: BLE001 - not created yet, or being migrated
        return 0


def test_a_watcher_killed_with_sigkill_and_restarted_stores_each_item_once_and_misses_none(
        site: FeedSite, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    site.add("/a.xml", *range(1, 9))
    site.add("/b.xml", *range(11, 15))
    for i in (*range(1, 9), *range(11, 15)):
        site.slow[f"/news/{i}"] = 0.25
    with open_store(db) as store:
        feedlist.follow(store, [(site.url("/a.xml"), None), (site.url("/b.xml"), None)])
        alerts.add(store, "english", AlertFilters(language="en"))  # every article: one hit each
    proc = _watch(db)
    try:
        _wait_for(lambda: _count(db) >= 3, 60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        site.add("/a.xml", 9)  # published while no watcher ran
        proc = _watch(db)
        _wait_for(lambda: _count(db) == 13, 60)
        time.sleep(0.6)  # a few more polls: 304s
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    with open_store(db) as store:
        counts = sources(store)
        assert store.count_articles() == 13 and set(counts.values()) == {1} and len(counts) == 13
        runs = store.runs(limit=5)
        assert [r.status for r in runs][:2] == ["interrupted", "interrupted"]  # killed; then stopped
        _, found = alerts.hits(store, "english", limit=100)
        ids = {a.article.id for a in store.iter_articles()}
        assert len(found) == 13 and {h.ref for h in found} == ids  # no hit twice, none missed
    hits = Counter(page_hits(site))
    assert set(hits) == {f"/news/{i}" for i in (*range(1, 10), *range(11, 15))}
    assert sum(n - 1 for n in hits.values()) <= 1  # at most the page in flight at the kill, again


def test_sigterm_stops_the_watcher_between_items_and_a_restart_reads_the_rest(site: FeedSite,
                                                                                tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    site.add("/a.xml", *range(1, 7))
    for i in range(1, 7):
        site.slow[f"/news/{i}"] = 0.4
    with open_store(db) as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
    proc = _watch(db, "--json")
    _wait_for(lambda: _count(db) >= 2, 60)
    proc.send_signal(signal.SIGTERM)
    out, _err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    summary = json.loads(out)
    with open_store(db) as store:
        n = store.count_articles()
        with store.backend.read("entries") as r:
            items = r.feed_items(site.url("/a.xml"), [site.url(f"/news/{i}") for i in range(1, 7)])
        (f,) = feedlist.followed(store)
        assert store.runs(limit=1)[0].status == "interrupted"
    assert 2 <= n < 6 and summary["ingested"] == n
    assert len(items) == n and all(i.outcome == "new" for i in items.values())  # each stored item recorded
    assert f.etag is None  # the poll was cut short: no validators, so the restart reads the whole feed
    res = CliRunner().invoke(cli, ["--db", str(db), "watch", "--once", "--allow-private", "--delay", "0",
                                   "--no-analyze", "--json"], catch_exceptions=False)
    assert json.loads(res.stdout)["ingested"] == 6 - n
    assert Counter(page_hits(site)) == {f"/news/{i}": 1 for i in range(1, 7)}  # the item in hand was finished


def test_new_items_are_analysed_as_ingest_analyses_them_and_alerts_see_them(site: FeedSite,
                                                                           tmp_path: Path) -> None:
    site.add("/a.xml", 1)
    with open_store(tmp_path / "w.db") as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
        alerts.add(store, "quotes", AlertFilters(min_confidence=0.0))
        w = once(store, analyze=True)
        (stored,) = list(store.iter_articles())
        assert stored.article.analysis.analysed and stored.article.entities
        assert store.has_source(site.url("/news/1"), analysed=True)
        _, found = alerts.hits(store, "quotes")
        assert w.summary.alert_hits == len(found) == len(stored.article.attributions) > 0
        assert {h.ref for h in found} == {f"{stored.article.id}#a{i}" for i in range(len(found))}
        assert format_time(datetime.now(UTC)) > feedlist.followed(store)[0].last_success_at  # type: ignore[operator]


def test_five_sigkill_restarts_lose_no_article_and_no_alert_hit_and_repeat_none(site: FeedSite,
                                                                                 tmp_path: Path) -> None:
    import random

    rng = random.Random(15)
    db = tmp_path / "w.db"
    site.add("/a.xml", *range(1, 5))
    with open_store(db) as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
        alerts.add(store, "english", AlertFilters(language="en"))
    published = 4
    for _cycle in range(5):
        for i in range(1, published + 1):
            site.slow[f"/news/{i}"] = 0.2
        before = _count(db)
        proc = _watch(db)
        try:
            _wait_for(lambda before=before: _count(db) > before, 60)
            time.sleep(rng.uniform(0.0, 0.5))  # anywhere in the next item: fetching, extracting, storing
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        site.add("/a.xml", *range(published + 1, published + 4))  # published while no watcher ran
        published += 3
    proc = _watch(db)
    try:
        _wait_for(lambda: _count(db) == published, 90)
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    with open_store(db) as store:
        counts = sources(store)
        ids = {a.article.id for a in store.iter_articles()}
        _, found = alerts.hits(store, "english", limit=1000)
    assert len(counts) == published and set(counts.values()) == {1}  # every article, each once
    assert len(found) == published and {h.ref for h in found} == ids  # every hit, none twice
    hits = Counter(page_hits(site))
    assert sum(n - 1 for n in hits.values()) <= 5  # at most the item in hand at each kill, fetched again


def test_the_watchers_worker_processes_serve_every_poll_and_end_with_it(site: FeedSite, tmp_path: Path) -> None:
    site.add("/a.xml", 1, 2, 3)
    pids: list[set[int]] = []
    watcher: list[Watcher] = []

    def on_poll(feed: object) -> None:
        pool = watcher[0].pool
        pids.append(set(pool.pids()) if pool is not None else set())
        if len(pids) == 1:
            site.add("/a.xml", 4, 5)  # the next poll finds two more

    with open_store(tmp_path / "w.db") as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
        w = Watcher(store, SETTINGS, interval=0.0, max_backoff=60.0, analyze=False, workers=2, on_poll=on_poll)
        watcher.append(w)
        w.run(stop=lambda: len(pids) >= 2)
        assert store.count_articles() == 5 and w.pool is None
    assert len(pids[0]) == 2 and pids[1] == pids[0]  # the second poll paid no start-up
    alive = {p for p in pids[0] if Path(f"/proc/{p}").exists()
             and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"}
    assert not alive  # stopping the watcher killed its workers


def test_the_watchers_workers_are_forked_once_it_has_loaded_the_models(
        site: FeedSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph import analyze
    from newsgraph.extract import language
    from newsgraph.workers import fork_method

    if fork_method() != "fork":
        pytest.skip("no fork on this platform: the pool spawns its workers")
    monkeypatch.setattr(analyze, "_nlp", None)  # as in a watcher just started: nothing loaded yet
    monkeypatch.setattr(language, "_model", None)
    site.add("/a.xml", 1, 2)
    seen: list[tuple[str, bool, bool, set[int]]] = []
    watcher: list[Watcher] = []

    def on_poll(feed: object) -> None:
        pool = watcher[0].pool
        assert pool is not None
        seen.append((pool.context.get_start_method(), analyze._nlp is not None, language._model is not None,
                     set(pool.pids())))

    with open_store(tmp_path / "w.db") as store:
        feedlist.follow(store, [(site.url("/a.xml"), None)])
        w = Watcher(store, SETTINGS, interval=0.0, max_backoff=60.0, analyze=True, workers=2, on_poll=on_poll)
        watcher.append(w)
        w.run(once=True)
        assert {a.article.analysis.status for a in store.iter_articles()} == {"analysed"}
    (method, nlp_here, langid_here, pids), = seen
    assert method == "fork" and nlp_here and langid_here and len(pids) == 2  # the workers share those pages
