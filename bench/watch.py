"""``newsgraph watch`` following many synthetic feeds on loopback, against repeated ``ingest`` runs.

The site (``tests/feed_server.FeedSite``, 127.0.0.1): ``--feeds`` feeds (default 100), each
publishing one new article every ``--period`` seconds (default 60, staggered, so 100 feeds make
~1.7 articles/s), a feed listing its newest ``FEED_LEN`` entries with ETag / Last-Modified (304
when unchanged). Every article is a distinct synthetic page (``tests.helpers.article_text``).

Two runs of ``--minutes`` each (default 4; the issue's goal is 10), on a fresh SQLite store
each, with analysis on, the same site and load:

1. **watch**: ``newsgraph watch --interval INTERVAL`` (default 10 s) as one process, with an
   alert that matches every article (``alerts add all --language en``), so item-to-alert delay is
   measured too.
2. **baseline, the same run**: what newsgraph offered before: ``newsgraph ingest`` of every feed
   URL, started again every ``INTERVAL`` seconds after the last one ended (cron-like), then
   ``newsgraph alerts check`` (the hits of what it stored).

Figures: articles stored per second and the backlog at the end (published, not yet stored);
delay from an article's publication (when the site added it) to its storing and to its alert
hit, p50 / p95; feed requests and their bytes (304s are cheap); per-feed poll gap p50 / p95
(time between two requests of one feed); the watcher's resident memory (``VmRSS`` with its
children, sampled every 5 s: after the first minute and at the end, and the slope in MiB per
minute). The machine is shared (2 cores): the 1-minute load average is recorded.

    .venv/bin/python bench/watch.py [--feeds 100] [--period 60] [--minutes 4] [--interval 10] [--no-write]

``--poll-latency`` measures one thing instead (section ``watch_pool``): the watcher's persistent
``WorkerPool`` (2 workers, analysis on) with its processes forked from a warm parent (the models
loaded before the fork, shared copy-on-write: what the watcher does) against the same pool
spawned (each worker loading its own models: the fallback where fork is unavailable, and what
the watcher did before), alternated ``--blocks`` times, each block a fresh process on a fresh
store: the latency of a poll that finds ``--items`` new articles (default 10 and 24), the first
``--warmup`` polls of a block (start-up, model loading) left out, medians; and the memory of the
block's process with its workers at its last poll, PSS (``/proc/PID/smaps_rollup``: a page shared
by n processes counts 1/n in each, so the sum is what they take together) and RSS (shared pages
counted in every process). ``--modes`` adds ``per-stream``, the pool per stream of before.

    .venv/bin/python bench/watch.py --poll-latency [--items 10,24] [--rounds 4] [--warmup 2] [--blocks 2]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from tests.feed_server import FeedSite  # noqa: E402

from _results import machine, today, update_section  # noqa: E402

FEED_LEN = 20


class Publisher:
    """Adds one article per feed every ``period`` seconds (staggered), trimming each feed to ``FEED_LEN``."""

    def __init__(self, site: FeedSite, feeds: int, period: float) -> None:
        self.site, self.feeds, self.period = site, feeds, period
        self.published: dict[str, float] = {}  # page URL -> wall time it appeared in its feed
        self._stop = threading.Event()
        self._next = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        for f in range(self.feeds):  # every feed starts with one article
            self._publish(f)
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()

    def _publish(self, f: int) -> None:
        i = 1_000_000 + self._next
        self._next += 1
        path = f"/f{f}.xml"
        self.site.add(path, i)
        with self.site.lock:
            feed = self.site.feeds[path]
            feed.items = feed.items[-FEED_LEN:]
        self.published[self.site.url(self.site.page_path(i))] = time.time()

    def _run(self) -> None:
        step = self.period / self.feeds
        f = 0
        while not self._stop.wait(step):
            self._publish(f)
            f = (f + 1) % self.feeds


def rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its children, MiB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def pss_mib(pid: int) -> float:
    """Proportional set size of ``pid`` and its children, MiB (shared pages split between them)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        out = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(c) for c in out]
    return kids + [g for k in kids for g in _children(k)]


def newsgraph(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsgraph", "--db", str(db), *args]


#: The source tree the watch and ingest processes run (``--src``: another checkout's, for a before/after).
SRC = [REPO / "src"]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(SRC[0]))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).timestamp()


def measure(db: Path, pub: Publisher, site: FeedSite, started: float, ended: float) -> dict[str, float]:
    conn = sqlite3.connect(db)
    stored = {src: _ts(at) for src, at in conn.execute("SELECT source, added_at FROM sources")}
    hits = {}
    for article_id, at in conn.execute("SELECT article_id, created_at FROM alert_hits"):
        hits[article_id] = _ts(at)
    src_of = dict(conn.execute("SELECT article_id, source FROM sources"))
    conn.close()
    in_window = {u: t for u, t in pub.published.items() if started <= t <= ended}
    store_delay = [stored[u] - t for u, t in in_window.items() if u in stored]
    alert_delay = [hits[a] - pub.published[s] for a, s in src_of.items() if a in hits and s in in_window]
    feeds = [h for h in site.requests if h.path.endswith(".xml") and started <= h.at + _mono_to_wall() <= ended]
    gaps: list[float] = []
    by_feed: dict[str, list[float]] = {}
    for h in feeds:
        by_feed.setdefault(h.path, []).append(h.at)
    for times in by_feed.values():
        gaps += [b - a for a, b in zip(times, times[1:], strict=False)]
    minutes = (ended - started) / 60
    return {
        "published": len(in_window), "stored": len(store_delay), "rate": len(store_delay) / (ended - started),
        "backlog": len(in_window) - len(store_delay),
        "store_p50": pct(store_delay, 0.5), "store_p95": pct(store_delay, 0.95),
        "alert_p50": pct(alert_delay, 0.5), "alert_p95": pct(alert_delay, 0.95), "alerts": len(alert_delay),
        "feed_requests_per_min": len(feeds) / minutes, "gap_p50": pct(gaps, 0.5), "gap_p95": pct(gaps, 0.95),
    }


_OFFSET = time.time() - time.monotonic()


def _mono_to_wall() -> float:
    return _OFFSET


def run_watch(db: Path, site: FeedSite, args: argparse.Namespace, pub: Publisher) -> tuple[dict[str, float], list[float]]:
    proc = subprocess.Popen(newsgraph(db, "watch", "--interval", str(args.interval), "--allow-private",
                                      "--delay", "0"), env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    started, rss = time.time(), []
    try:
        while time.time() - started < args.minutes * 60:
            time.sleep(5)
            rss.append(rss_mib(proc.pid))
    finally:
        ended = time.time()
        proc.send_signal(signal.SIGTERM)
        proc.wait(120)
    return measure(db, pub, site, started, ended), rss


def run_baseline(db: Path, site: FeedSite, args: argparse.Namespace, pub: Publisher) -> dict[str, float]:
    urls = [site.url(f"/f{f}.xml") for f in range(args.feeds)]
    started = time.time()
    while time.time() - started < args.minutes * 60:
        t0 = time.time()
        subprocess.run(newsgraph(db, "ingest", "--no-progress", "--allow-private", "--delay", "0", *urls),
                       env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(newsgraph(db, "alerts", "check"), env=_env(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        time.sleep(max(0.0, args.interval - (time.time() - t0)))
    return measure(db, pub, site, started, time.time())


def _latency_block(mode: str, db: Path, items: int, rounds: int, first: int, warmup: int) -> dict[str, Any]:
    """Seconds per poll finding ``items`` new articles, ``rounds`` polls after ``warmup`` ones, and
    this process's memory with its workers (PSS, RSS, MiB) at the last poll."""
    from contextlib import nullcontext
    from unittest import mock

    from newsgraph import watch as watch_module
    from newsgraph.config import Settings
    from newsgraph.store import feeds as feedlist
    from newsgraph.store import open_store
    from newsgraph.workers import WorkerPool

    settings = Settings(allow_private=True, politeness_delay=0.0, timeout=30.0)
    site = FeedSite()
    site.add("/f.xml", *range(first, first + items))
    times: list[float] = []
    memory: dict[str, float] = {}
    state = {"t0": time.monotonic(), "published": 0, "next": first + items}

    def on_poll(feed: object) -> None:
        times.append(time.monotonic() - state["t0"])
        if len(times) == rounds + warmup:  # the pool is still up
            memory.update(pss=pss_mib(os.getpid()), rss=rss_mib(os.getpid()), workers=len(_children(os.getpid())))

    def stop() -> bool:
        if len(times) >= rounds + warmup:
            return True
        if len(times) > state["published"]:  # a poll ended: publish the next round, due at once
            state["published"] = len(times)
            site.add("/f.xml", *range(state["next"], state["next"] + items))
            state["next"] += items
            state["t0"] = time.monotonic()
        return False

    pools = {"per-stream": mock.patch.object(watch_module, "WorkerPool", lambda n, **kw: None),
             "spawn": mock.patch.object(watch_module, "WorkerPool",
                                        lambda n, **kw: WorkerPool(n, start_method="spawn", **kw)),
             "fork": nullcontext()}
    try:
        with open_store(db) as store, pools[mode]:
            feedlist.follow(store, [(site.url("/f.xml"), None)])
            w = watch_module.Watcher(store, settings, interval=0.0, max_backoff=60.0, analyze=True, workers=2,
                                     on_poll=on_poll)
            w.run(stop=stop)
            assert store.count_articles() == items * (rounds + warmup), store.count_articles()
    finally:
        site.close()
    return {"times": times[warmup:], **memory}


def _block_in_a_process(mode: str, db: Path, items: int, rounds: int, first: int, warmup: int) -> dict[str, Any]:
    """``_latency_block`` in a fresh interpreter (what one mode loads must not stay for the next)."""
    block = json.dumps([mode, str(db), items, rounds, first, warmup])
    out = subprocess.run([sys.executable, __file__, "--one-block", block], check=True, capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
    return json.loads(out.stdout.strip().splitlines()[-1])


MODE_NAMES = {"fork": "forked from a warm parent", "spawn": "spawned (fallback; before)",
              "per-stream": "pool per stream (older)"}


def poll_latency(args: argparse.Namespace) -> str:
    from statistics import median

    sizes = [int(n) for n in args.items.split(",")]
    modes = args.modes.split(",")
    got: dict[tuple[str, int], list[float]] = {}
    mem: dict[str, list[tuple[float, float, int]]] = {}
    loads = [os.getloadavg()[0]]
    first = 2_000_000
    with tempfile.TemporaryDirectory() as tmp:
        for block in range(args.blocks):
            for items in sizes:
                for mode in modes if block % 2 == 0 else modes[::-1]:
                    db = Path(tmp) / f"{block}-{items}-{mode}.db"
                    r = _block_in_a_process(mode, db, items, args.rounds, first, args.warmup)
                    first += items * (args.rounds + args.warmup)
                    got.setdefault((mode, items), []).extend(r["times"])
                    mem.setdefault(mode, []).append((r["pss"], r["rss"], r["workers"]))
                    print(block, items, mode, [round(t, 2) for t in r["times"]], f"pss {r['pss']:.0f} rss "
                          f"{r['rss']:.0f} MiB, {r['workers']} children", flush=True)
                loads.append(os.getloadavg()[0])
    base = modes[-1]

    def mid(mode: str, k: int) -> float:
        return median(m[k] for m in mem[mode])

    md = ["### watch: the persistent worker pool forked from a warm parent vs spawned: memory and poll latency", "",
          f"`bench/watch.py --poll-latency --items {args.items} --rounds {args.rounds} --warmup {args.warmup} "
          f"--blocks {args.blocks} --modes {args.modes}`, "
          f"{today()}, {machine()}; 1-minute load average {min(loads):.1f}-{max(loads):.1f} (shared machine, "
          "other engineers' work running).",
          "One loopback feed, analysis on, 2 workers; each block a fresh process (the watcher, the loopback site, "
          "its workers) on a fresh store, modes alternated (order reversed every other block); each poll finds that "
          f"many new articles. Baseline (same run): {MODE_NAMES[base]}. Latency: medians of "
          f"{args.rounds * args.blocks} polls, the first {args.warmup} polls of each block (start-up, model loading) "
          "left out. Memory: the block's process and its workers at its last poll, medians over "
          f"{args.blocks * len(sizes)} blocks; PSS splits a shared page between the processes sharing it (their "
          "sum is what they take together), RSS counts it in each; a spawning pool also starts multiprocessing's "
          "resource tracker (one more child).", "",
          "| pool | " + " | ".join(f"{n} new articles, poll (s)" for n in sizes)
          + " | PSS (MiB) | RSS (MiB) | child processes |", "|---|" + "---:|" * (len(sizes) + 3)]
    for mode in modes:
        lat = " | ".join(f"{median(got[(mode, n)]):.2f}" for n in sizes)
        md.append(f"| {MODE_NAMES[mode]} | {lat} | {mid(mode, 0):.0f} | {mid(mode, 1):.0f} | {mid(mode, 2):.0f} |")
    for mode in modes[:-1]:
        ratios = ", ".join(f"{n}: {median(got[(mode, n)]) / median(got[(base, n)]):.2f}x" for n in sizes)
        md += ["", f"{MODE_NAMES[mode]} / {MODE_NAMES[base]}: poll latency {ratios}; PSS "
                   f"{mid(mode, 0) / mid(base, 0):.2f}x, RSS {mid(mode, 1) / mid(base, 1):.2f}x."]
    return "\n".join(md)


def _inline_items() -> int:
    from newsgraph.workers import INLINE_ITEMS

    return INLINE_ITEMS


def prepare(db: Path, site: FeedSite, feeds: int) -> None:
    subprocess.run(newsgraph(db, "feeds", "add", *[site.url(f"/f{f}.xml") for f in range(feeds)]), env=_env(),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(newsgraph(db, "alerts", "add", "all", "--language", "en"), env=_env(), check=True,
                   stdout=subprocess.DEVNULL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--period", type=float, default=60.0)
    ap.add_argument("--minutes", type=float, default=4.0)
    ap.add_argument("--interval", type=float, default=10.0)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--src", type=Path, default=None, help="run newsgraph from this src/ (a before/after)")
    ap.add_argument("--watch-only", action="store_true", help="no baseline run (a before/after of the watcher)")
    ap.add_argument("--poll-latency", action="store_true", help="poll latency and memory of the watcher pool, forked vs spawned")
    ap.add_argument("--items", default="10,24")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--blocks", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2, help="polls of each block left out")
    ap.add_argument("--modes", default="fork,spawn", help="pools compared, the last the baseline (fork, spawn, "
                                                           "per-stream)")
    ap.add_argument("--one-block", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_block is not None:  # a block of --poll-latency, in its own process
        mode, db, items, rounds, first, warmup = json.loads(args.one_block)
        print(json.dumps(_latency_block(mode, Path(db), items, rounds, first, warmup)))
        return 0
    if args.src is not None:
        SRC[0] = args.src.resolve()
    if args.poll_latency:
        sys.path.insert(0, str(REPO / "src"))
        text = poll_latency(args)
        print(text)
        if not args.no_write:
            update_section("watch_pool", text)
        return 0
    results: dict[str, dict[str, float]] = {}
    rss: list[float] = []
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("watch",) if args.watch_only else ("watch", "baseline"):
            site = FeedSite()
            pub = Publisher(site, args.feeds, args.period)
            db = Path(tmp) / f"{mode}.db"
            prepare(db, site, args.feeds)
            pub.start()
            try:
                if mode == "watch":
                    results[mode], rss = run_watch(db, site, args, pub)
                else:
                    results[mode] = run_baseline(db, site, args, pub)
            finally:
                pub.stop()
                site.close()
            loads.append(os.getloadavg()[0])
            print(mode, {k: round(v, 2) for k, v in results[mode].items()}, flush=True)
    if args.watch_only:
        w = results["watch"]
        print(f"watch only, src {SRC[0]}: {json.dumps({k: round(v, 2) for k, v in w.items()})}; rss "
              f"{[round(r) for r in rss]}; load {loads}")
        return 0
    w, b = results["watch"], results["baseline"]
    warm = rss[min(len(rss) - 1, 12)] if rss else float("nan")  # after the first minute
    slope = (rss[-1] - warm) / max(1e-9, (len(rss) - 13) * 5 / 60) if len(rss) > 13 else float("nan")
    offered = args.feeds / args.period
    rows = [("articles published per second (offered)", f"{offered:.2f}", f"{offered:.2f}"),
            ("articles stored per second", f"{w['rate']:.2f}", f"{b['rate']:.2f}"),
            ("backlog at the end (published, not stored)", f"{w['backlog']:.0f}", f"{b['backlog']:.0f}"),
            ("publication → stored, p50 / p95 (s)", f"{w['store_p50']:.1f} / {w['store_p95']:.1f}",
             f"{b['store_p50']:.1f} / {b['store_p95']:.1f}"),
            ("publication → alert hit, p50 / p95 (s)", f"{w['alert_p50']:.1f} / {w['alert_p95']:.1f}",
             f"{b['alert_p50']:.1f} / {b['alert_p95']:.1f}"),
            ("feed requests per minute", f"{w['feed_requests_per_min']:.0f}", f"{b['feed_requests_per_min']:.0f}"),
            ("gap between two polls of a feed, p50 / p95 (s)", f"{w['gap_p50']:.1f} / {w['gap_p95']:.1f}",
             f"{b['gap_p50']:.1f} / {b['gap_p95']:.1f}")]
    md = [f"## watch: {args.feeds} feeds on loopback, 1 article per feed per {args.period:g} s, analysis on",
          "",
          f"`bench/watch.py --feeds {args.feeds} --period {args.period:g} --minutes {args.minutes:g} "
          f"--interval {args.interval:g}`, {today()}, {machine()}; load average after each run "
          f"{loads[0]:.1f} / {loads[1]:.1f} (shared machine).",
          f"Baseline (same run, same site and load): `newsgraph ingest` of every feed URL, started again "
          f"{args.interval:g} s after the last ended, then `alerts check`.",
          "", "| | watch | baseline: repeated ingest |", "|---|---:|---:|"]
    md += [f"| {name} | {a} | {c} |" for name, a, c in rows]
    md += ["", f"Watcher memory (RSS with children): {warm:.0f} MiB after the first minute, {rss[-1] if rss else 0:.0f} "
               f"MiB at the end, slope {slope:+.1f} MiB/min over {args.minutes:g} min."]
    text = "\n".join(md)
    print(text)
    if not args.no_write:
        update_section("watch", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
