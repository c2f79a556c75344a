"""Ingest on a Dask cluster against the local process pool, same input, same machine.

The input is one synthetic WARC (``write_warc``): ``--n`` (default 500) HTML
articles from ``bench/synth.py`` (300-800 words each, realistic boilerplate), each
response record preceded by its request record, as a crawler writes them. Four
ways of running the same analysing ingest, each a fresh store and one CLI process
(start-up, model loading and writing included, as a user runs it):

    newsgraph --db <tmp>/<mode>-<round>.db ingest --json --no-progress --workers N  <warc>   (local N)
    newsgraph --db <tmp>/<mode>-<round>.db ingest --json --no-progress --cluster local:N <warc>  (cluster N)

for N = 1 and 2, alternated in rounds (local 1, cluster 1, local 2, cluster 2, then the
next round in reverse order) so background load hits every mode alike; figures are
medians over rounds. Every run must exit 0 and store the same article ids as the
first local run, else the script exits 1 and RESULTS.md is left alone.

Reported: seconds and articles/s per mode, the cluster's speed-up from 1 to 2
workers (goal >= 1.7x on 2 cores), the cluster path's overhead per article against
the local pool with the same number of processes (goal <= 10%), the 1-minute load
average around each run (the machine is shared: other load costs the 2-process
modes most), and, from the measured per-core rate, a capacity plan on paper.

    .venv/bin/python bench/cluster.py [--n 500] [--rounds 2] [--keep] [--no-write]

``--postgres`` (section ``cluster_postgres``) compares three ways of an analysing ingest of the
same WARC into a fresh PostgreSQL database (a throwaway server from ``tests/pg_server.py``, or
``--pg-url``), each one process run as the CLI runs it (``--run-one``), alternated, medians:

* ``local pool``: ``ingest --workers 2`` (the command extracts, analyses in 2 processes, writes);
* ``cluster, client writes``: ``--cluster local:2`` with the command the single writer;
* ``cluster, workers write``: ``--cluster local:2``, each worker storing its shards itself.

Besides wall clock and the run's process-tree CPU, it reads the server's CPU (the postmaster's
own and its ended and live backends', from /proc) around each run, and times ``add_article`` on
PostgreSQL in one process (the store's cost per analysed article, for the capacity plan).

    .venv/bin/python bench/cluster.py --postgres [--n 200] [--rounds 2] [--pg-url URL] [--no-write]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

#: Assumption for the capacity plan (not a measurement): English articles a month at CC-NEWS
#: scale. CC-NEWS publishes WARC files of about 1 GB; we assume ~3 million English news
#: articles a month reach it (order of magnitude of the "millions a month" of issue 14).
MONTHLY_ARTICLES = 3_000_000
#: A backfill of this many months is planned to finish in BACKFILL_DAYS days.
BACKFILL_MONTHS, BACKFILL_DAYS = 12, 7
#: Share of a worker's time spent analysing (the rest: scheduling, stragglers, restarts).
UTILISATION = 0.8

MODES = (("local", 1), ("cluster", 1), ("local", 2), ("cluster", 2))


def write_warc(path: Path, n: int, *, seed: int = 0) -> int:
    """A gzipped WARC of ``n`` synthetic HTML articles (a request record before each
    response, as crawls have); returns the bytes written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n):
            article = synth.make_article(2 * i, seed=seed)  # even indices are HTML pages
            request = writer.create_warc_record(
                article.url, "request", payload=io.BytesIO(f"GET {article.url} HTTP/1.1\r\n\r\n".encode()),
                warc_headers_dict={"Content-Type": "application/http; msgtype=request"})
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            response = writer.create_warc_record(article.url, "response",
                                                 payload=io.BytesIO(article.content.encode("utf-8")),
                                                 http_headers=headers)
            writer.write_record(response)
    return path.stat().st_size


@dataclass
class Run:
    mode: str
    n: int
    round: int
    seconds: float
    cpu: float  # user + system seconds of the run's whole process tree (RUSAGE_CHILDREN)
    load_before: float
    load_after: float
    ids: frozenset[str]
    summary: dict


def _ids(db: Path) -> frozenset[str]:
    with sqlite3.connect(db) as conn:
        return frozenset(r[0] for r in conn.execute("select id from articles"))


def run_once(exe: str, tmp: Path, warc: Path, mode: str, n: int, rnd: int) -> Run:
    db = tmp / f"{mode}{n}-{rnd}.db"
    flag = ["--workers", str(n)] if mode == "local" else ["--cluster", f"local:{n}"]
    cmd = [exe, "--db", str(db), "ingest", "--json", "--no-progress", *flag, str(warc)]
    load0 = os.getloadavg()[0]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():  # 1: some items failed, shown below
        raise SystemExit(f"{mode} {n}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    run = Run(mode, n, rnd, seconds, cpu, load0, os.getloadavg()[0], _ids(db), json.loads(proc.stdout))
    if run.summary.get("failed"):
        with sqlite3.connect(db) as conn:
            rows = conn.execute("select source, code, message from ingest_errors limit 5").fetchall()
        print(f"  {mode} {n} round {rnd}: {run.summary['failed_by_code']} {rows}", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"  {mode} {n} round {rnd}: {seconds:.1f} s, {cpu:.1f} CPU-s, {len(run.ids)} articles, "
          f"load {load0:.2f} -> {run.load_after:.2f}", flush=True)
    return run


def cluster_startup(n: int) -> float:
    """Seconds to start a LocalCluster of n workers with the pipeline loaded (median of 2)."""
    from newsgraph.cluster import connect

    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        with connect(f"local:{n}", analyze=True):
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def writer_cost(tmp: Path, n: int = 100, url: str | None = None) -> float:
    """Seconds the client spends storing one analysed article (``store.add_article``: the article,
    its attributions, entities, events, actor registry and story signature), over ``n`` articles,
    into a fresh SQLite store (or the empty store at ``url``)."""
    from newsgraph.config import Settings
    from newsgraph.ingest import ingest
    from newsgraph.store import open_store

    warc = tmp / f"writer-{n}.warc.gz"
    write_warc(warc, n, seed=1)
    spent = 0.0

    class Timed:
        def __init__(self, store: Any) -> None:
            self.store = store

        def __getattr__(self, name: str):
            return getattr(self.store, name)

        def add_article(self, *args, **kwargs):
            nonlocal spent
            t0 = time.perf_counter()
            try:
                return self.store.add_article(*args, **kwargs)
            finally:
                spent += time.perf_counter() - t0

    db = tmp / f"writer-{n}.db"
    with open_store(url or db) as store:
        ingest([str(warc)], Timed(store), Settings(), workers=1, analyze=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return spent / n


def report(runs: list[Run], n_articles: int, warc_mb: float, startup: dict[int, float], write_s: float) -> str:
    import _results

    def median(mode: str, k: int, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs if (r.mode, r.n) == (mode, k))

    wall = {(m, k): median(m, k, "seconds") for m, k in MODES}
    cpu = {(m, k): median(m, k, "cpu") for m, k in MODES}
    speedup = wall[("cluster", 1)] / wall[("cluster", 2)]
    local_speedup = wall[("local", 1)] / wall[("local", 2)]
    over = {k: wall[("cluster", k)] / wall[("local", k)] - 1 for k in (1, 2)}
    over_cpu = {k: cpu[("cluster", k)] / cpu[("local", k)] - 1 for k in (1, 2)}
    loads = [r.load_before for r in runs] + [r.load_after for r in runs]
    rounds = max(r.round for r in runs) + 1
    per_core = n_articles / cpu[("cluster", 1)]  # articles per CPU-second, client and scheduler included
    month_s = 30 * 86400
    steady = MONTHLY_ARTICLES / (per_core * month_s * UTILISATION)
    backfill = BACKFILL_MONTHS * MONTHLY_ARTICLES / (per_core * BACKFILL_DAYS * 86400 * UTILISATION)
    write_rate = MONTHLY_ARTICLES * BACKFILL_MONTHS / (BACKFILL_DAYS * 86400)
    steady_rate = MONTHLY_ARTICLES / month_s
    machines = max(1, math.ceil(backfill / 16))
    writer_cap = 1 / write_s
    lines = [
        "## Ingest on a Dask cluster (`bench/cluster.py`)",
        "",
        f"{_results.today()} · {_results.machine()} · shared machine: 1-minute load average "
        f"{min(loads):.2f}–{max(loads):.2f} around the runs (ours included; other engineers' jobs took "
        "part of the 2 cores throughout).",
        "",
        f"Input: one synthetic WARC.gz ({warc_mb:.1f} MB) of {n_articles} HTML articles from `bench/synth.py` "
        "(300–800 words, boilerplate, a request record before each response). Analysing ingest into a fresh "
        f"SQLite store, one CLI process per run (start-up, model loading and writing included); {rounds} rounds, "
        "modes alternated, medians. CPU-s: user + system time of the run's whole process tree "
        "(client, scheduler, nannies, workers), which other load does not inflate.",
        "",
        "| mode | seconds (median) | articles/s | CPU-s (median) | CPU-ms / article | runs (s) |",
        "|---|---|---|---|---|---|",
    ]
    for m, k in MODES:
        label = f"local pool, `--workers {k}`" if m == "local" else f"cluster, `--cluster local:{k}`"
        each = ", ".join(f"{r.seconds:.1f}" for r in runs if (r.mode, r.n) == (m, k))
        lines.append(f"| {label} | {wall[(m, k)]:.1f} | {n_articles / wall[(m, k)]:.2f} | {cpu[(m, k)]:.1f} | "
                     f"{cpu[(m, k)] / n_articles * 1000:.0f} | {each} |")
    lines += [
        "",
        f"* **Speed-up, cluster `local:1` -> `local:2`: {speedup:.2f}x** (goal >= 1.7x); the local pool "
        f"1 -> 2 workers in the same runs: {local_speedup:.2f}x. Two workers share the 2 cores with the client, "
        "the scheduler and the other engineers' jobs, so the load average above bounds what 2 processes can get.",
        f"* **Cluster overhead against the local pool with as many processes, wall clock: "
        f"{over[1] * 100:+.1f}% with 1, {over[2] * 100:+.1f}% with 2; CPU: {over_cpu[1] * 100:+.1f}% / "
        f"{over_cpu[2] * 100:+.1f}%** (goal <= 10%). Included: starting the LocalCluster (spawned processes "
        "import newsgraph and load the pipeline each; the local pool forks from a warm parent), measured "
        f"alone at {startup[1]:.1f} s (1 worker) and {startup[2]:.1f} s (2 workers), the client's index "
        "pass over the WARC, and each shard reading its WARC up to its range.",
        "* Same output: every run stored the same article ids as the first local run.",
        "",
        "### Capacity plan (on paper, from the rate above)",
        "",
        f"* Measured: {per_core:.2f} articles per CPU-second (cluster `local:1`, whole process tree: "
        "extraction, analysis, writing, scheduling); long articles are slower.",
        f"* **Assumption** (not measured): {MONTHLY_ARTICLES / 1e6:.0f} million English articles a month at "
        f"CC-NEWS scale; workers busy analysing {UTILISATION:.0%} of the time.",
        f"* Keeping up with a month's intake: {MONTHLY_ARTICLES:,} / ({per_core:.2f} x 30 days x "
        f"{UTILISATION:.0%}) = **{steady:.1f} worker cores** running all month.",
        f"* Backfilling {BACKFILL_MONTHS} months in {BACKFILL_DAYS} days: **{backfill:.0f} worker cores** "
        f"({machines} machine{'s' if machines > 1 else ''} of 16 cores).",
        f"* What the store must absorb: {steady_rate:.1f} articles/s for the monthly intake, **{write_rate:.0f} "
        f"articles/s** for the backfill, each with its attributions, entities, events, actor links and story "
        f"signature. Measured: the SQLite store takes {write_s * 1000:.0f} ms per analysed article in the "
        f"client (`add_article`, 100 articles), so one writer stores at most ~{writer_cap:.0f} articles/s, "
        f"the output of ~{writer_cap / per_core:.0f} busy worker cores: "
        + ("enough for the monthly intake and for this backfill; a faster backfill or a larger cluster needs "
           if writer_cap >= write_rate else "enough for the monthly intake, not for this backfill, which needs ")
        + "the PostgreSQL store with workers writing their own shards (section `cluster_postgres`: "
        "`bench/cluster.py --postgres` measures it).",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- PostgreSQL (--postgres)

PG_MODES = ("local pool", "cluster, client writes", "cluster, workers write")


def run_one(mode: str, url: str, warc: str) -> None:
    """(A child process) one analysing ingest of ``warc`` into ``url`` as the CLI runs it; the
    summary as JSON on stdout."""
    from newsgraph.config import Settings
    from newsgraph.ingest import ingest
    from newsgraph.store import open_store

    with open_store(url) as store:
        if mode == "local pool":
            summary = ingest([warc], store, Settings(), workers=2, analyze=True)
        else:
            from newsgraph.cluster import ClusterEngine, connect

            with connect("local:2", analyze=True) as client:
                engine = ClusterEngine(client, store_url=url if mode == "cluster, workers write" else None)
                summary = ingest([warc], store, Settings(), analyze=True, engine=engine)
    print(json.dumps(summary.as_dict()))


def server_cpu(data_dir: Path | None) -> float:
    """CPU seconds the PostgreSQL server has used so far: its postmaster's own and ended children's
    (backends are its children), plus its live children's; 0 without a local server."""
    if data_dir is None:
        return 0.0
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def fields(p: int | str) -> list[str]:
        return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

    total = sum(int(x) for x in fields(pid)[11:15])  # utime stime cutime cstime
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                f = fields(entry.name)
            except OSError:
                continue
            if f[1] == str(pid):
                total += int(f[11]) + int(f[12])
    return total / tick


@dataclass
class PGRun:
    mode: str
    round: int
    seconds: float
    cpu: float  # the run's process tree
    server: float  # the PostgreSQL server's
    load_before: float
    load_after: float
    ids: frozenset[str]
    summary: dict


def pg_run(tmp: Path, warc: Path, mode: str, rnd: int, base: str, data_dir: Path | None) -> PGRun:
    import psycopg

    sys.path.insert(0, str(HERE.parent))
    from tests import pg_server

    from newsgraph.store import open_store

    name = f"ngbench_cluster_{rnd}_{PG_MODES.index(mode)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    url = pg_server.database_url(base, name)
    open_store(url).close()  # migrated before the clock starts
    cmd = [sys.executable, str(Path(__file__).resolve()), "--run-one", mode, url, str(warc)]
    load0, srv0 = os.getloadavg()[0], server_cpu(data_dir)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"{mode}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    with psycopg.connect(url) as conn:
        ids = frozenset(r[0] for r in conn.execute("SELECT id FROM articles"))
        twice = conn.execute("SELECT COUNT(*) FROM (SELECT name, type FROM actors GROUP BY name, type"
                             " HAVING COUNT(*) > 1) x").fetchone()[0]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run = PGRun(mode, rnd, seconds, (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime),
                server_cpu(data_dir) - srv0, load0, os.getloadavg()[0], ids,
                json.loads(proc.stdout.strip().splitlines()[-1]) | {"actors twice": twice})
    print(f"  {mode} round {rnd}: {seconds:.1f} s, {run.cpu:.1f} CPU-s + server {run.server:.1f}, "
          f"{len(ids)} articles, load {load0:.2f} -> {run.load_after:.2f}", flush=True)
    return run


def pg_writer_cost(tmp: Path, base: str, n: int = 60) -> float:
    """``writer_cost`` on a fresh PostgreSQL database: seconds of ``add_article`` per analysed article."""
    import psycopg
    from tests import pg_server

    name = "ngbench_cluster_writer"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        return writer_cost(tmp, n, url=pg_server.database_url(base, name))
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_report(runs: list[PGRun], n: int, warc_mb: float, write_s: float, sqlite_write_s: float,
              external: bool) -> str:
    import _results

    def med(mode: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs if r.mode == mode)

    wall = {m: med(m, "seconds") for m in PG_MODES}
    cpu = {m: med(m, "cpu") for m in PG_MODES}
    srv = {m: med(m, "server") for m in PG_MODES}
    loads = [r.load_before for r in runs] + [r.load_after for r in runs]
    rounds = max(r.round for r in runs) + 1
    direct, client, pool = PG_MODES[2], PG_MODES[1], PG_MODES[0]
    server_ms = srv[direct] / n * 1000
    backfill = BACKFILL_MONTHS * MONTHLY_ARTICLES / (BACKFILL_DAYS * 86400)
    lines = [
        "## Ingest on a Dask cluster into PostgreSQL (`bench/cluster.py --postgres`)",
        "",
        f"{_results.today()} · {_results.machine()} · shared machine: 1-minute load average "
        f"{min(loads):.2f}–{max(loads):.2f} around the runs (ours included; other engineers' test suites and "
        "benchmarks ran throughout, so the 2-process modes got less than 2 cores).",
        "",
        f"Input: one synthetic WARC.gz ({warc_mb:.1f} MB) of {n} HTML articles from `bench/synth.py`. Analysing "
        "ingest into a fresh PostgreSQL database "
        + ("(the server given by `--pg-url`)" if external else
           "(a throwaway server on this machine, `tests/pg_server.py`: fsync off, shared_buffers 64 MB)")
        + f"; each mode one process run as the CLI runs it; {rounds} rounds, modes alternated, medians. "
        "CPU-s: the run's process tree (client, scheduler, workers); server: the PostgreSQL server's CPU "
        "during the run (postmaster and backends, from /proc), on the same 2 cores.",
        "",
        "| mode | seconds (median) | articles/s | CPU-s | server CPU-s | server CPU-ms / article | runs (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in PG_MODES:
        each = ", ".join(f"{r.seconds:.1f}" for r in runs if r.mode == m)
        label = {pool: "local pool, `--workers 2`", client: "cluster `local:2`, the command writes",
                 direct: "cluster `local:2`, **workers write**"}[m]
        lines.append(f"| {label} | {wall[m]:.1f} | {n / wall[m]:.2f} | {cpu[m]:.1f} | {srv[m]:.1f} | "
                     f"{srv[m] / n * 1000:.0f} | {each} |")
    spans = {m: (min(r.seconds for r in runs if r.mode == m), max(r.seconds for r in runs if r.mode == m))
             for m in PG_MODES}
    overlap = spans[direct][0] <= spans[client][1] and spans[client][0] <= spans[direct][1]
    lines += [
        "",
        f"* Workers writing against the command writing, same cluster: wall {wall[direct] / wall[client]:.2f}x "
        f"({(wall[client] - wall[direct]) / n * 1000:+.0f} ms per article saved), against the local pool "
        f"{wall[direct] / wall[pool]:.2f}x"
        + ("; inside the runs' spread (the load moved between runs): no difference shown at this size." if overlap
           else "."),
        "* Same output: every run stored the same article ids, no actor twice (name and type).",
        f"* The store's cost in one writer (`add_article`, analysed articles, 60, fresh database): PostgreSQL "
        f"{write_s * 1000:.0f} ms per article, SQLite {sqlite_write_s * 1000:.0f} ms, same run.",
        "",
        "### Capacity plan: the store (from these figures)",
        "",
        f"* The backfill of the cluster section ({BACKFILL_MONTHS} months in {BACKFILL_DAYS} days) must store "
        f"**{backfill:.0f} articles/s**. A single writer on PostgreSQL takes {write_s * 1000:.0f} ms per article "
        f"(~{1 / write_s:.0f}/s), so the command as the one writer cannot; with the workers writing, each "
        f"worker adds its own writer, and the server did {server_ms:.0f} CPU-ms of work per article here: "
        f"{backfill * server_ms / 1000:.1f} server cores busy for the backfill (x 1.5 headroom: "
        f"**{math.ceil(backfill * server_ms / 1000 * 1.5)} cores**), "
        f"{MONTHLY_ARTICLES / (30 * 86400) * server_ms / 1000:.2f} for the monthly intake.",
        "* Not measured here, and the likely limit: writers linking the same registry names take turns "
        "(advisory locks, `store.postgres`), and a shard is one transaction, so a worker holds the names of its "
        f"shard's articles until it commits. Articles that all name one person are written one after the other, "
        f"at most ~{1 / write_s:.0f}/s at this write cost, however many workers; spread names (a month of news) "
        "let writers overlap. Only 2 writers ran here (`bench/ingest_pg.py`: 2 and 4 writers, no lost items, "
        "no deadlocks); a backfill cluster should measure its own write rate before sizing the server.",
    ]
    return "\n".join(lines)


def main_postgres(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE.parent))
    from tests import pg_server

    server = None
    base = args.pg_url
    if not base:
        bindir = pg_server.pg_bin()
        if bindir is None:
            print("no PostgreSQL binaries (apt-get install -y postgresql) and no --pg-url: skipped")
            return 0
        server = pg_server.LocalServer(bindir)
        server.start()
        base = server.url
    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-cluster-pg-bench-"))
    try:
        warc = tmp / "synth.warc.gz"
        size = write_warc(warc, args.n, seed=args.seed)
        print(f"wrote {warc} ({size / 1e6:.1f} MB, {args.n} articles)", flush=True)
        write_s = pg_writer_cost(tmp, base)
        sqlite_write_s = writer_cost(tmp, 60)
        print(f"add_article: PostgreSQL {write_s * 1000:.1f} ms, SQLite {sqlite_write_s * 1000:.1f} ms", flush=True)
        runs = []
        for rnd in range(args.rounds):
            for mode in (PG_MODES if rnd % 2 == 0 else tuple(reversed(PG_MODES))):
                runs.append(pg_run(tmp, warc, mode, rnd, base, server.data if server else None))
        bad = [r for r in runs if r.ids != runs[0].ids or len(r.ids) != args.n or r.summary["actors twice"]]
        if bad:
            for r in bad:
                print(f"FAILED: {r.mode} round {r.round}: {len(r.ids)} articles, {r.summary}", file=sys.stderr)
            return 1
        md = pg_report(runs, args.n, size / 1e6, write_s, sqlite_write_s, external=server is None)
        print(md)
        if not args.no_write:
            import _results

            _results.update_section("cluster_postgres", md)
            print(f"wrote the cluster_postgres section of {_results.RESULTS}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if server is not None:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark ingest on a Dask LocalCluster against the local pool.")
    ap.add_argument("--n", type=int, default=None, help="articles in the synthetic WARC (default 500; --postgres 200)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of the four modes (default 2)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    ap.add_argument("--postgres", action="store_true",
                    help="into PostgreSQL: local pool vs cluster with the command or the workers writing")
    ap.add_argument("--pg-url", help="with --postgres: a server whose role may CREATE DATABASE (default: a "
                    "throwaway one)")
    ap.add_argument("--run-one", nargs=3, metavar=("MODE", "URL", "WARC"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run_one:
        run_one(*args.run_one)
        return 0
    args.n = args.n or (200 if args.postgres else 500)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))  # clean up the runs and the folder
    if args.postgres:
        return main_postgres(args)
    exe = str(Path(sys.executable).with_name("newsgraph"))
    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-cluster-bench-"))
    try:
        warc = tmp / "synth.warc.gz"
        size = write_warc(warc, args.n, seed=args.seed)
        print(f"wrote {warc} ({size / 1e6:.1f} MB, {args.n} articles)", flush=True)
        startup = {k: cluster_startup(k) for k in (1, 2)}
        print(f"cluster start-up with the pipeline loaded: {startup}", flush=True)
        write_s = writer_cost(tmp)
        print(f"store: {write_s * 1000:.1f} ms per analysed article", flush=True)
        runs: list[Run] = []
        for rnd in range(args.rounds):
            for mode, k in (MODES if rnd % 2 == 0 else tuple(reversed(MODES))):
                runs.append(run_once(exe, tmp, warc, mode, k, rnd))
        expected = runs[0].ids
        bad = [r for r in runs if r.ids != expected or len(r.ids) != args.n]
        if bad:
            for r in bad:
                print(f"FAILED: {r.mode} {r.n} round {r.round} stored {len(r.ids)} articles "
                      f"({len(r.ids & expected)} of the first local run's): {r.summary}", file=sys.stderr)
            return 1
        md = report(runs, args.n, size / 1e6, startup, write_s)
        if args.no_write:
            print(md)
        else:
            import _results

            _results.update_section("cluster", md)
            print(md)
            print(f"wrote the cluster section of {_results.RESULTS}")
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
