"""Ingest into PostgreSQL with 1, 2 and 4 concurrent writer processes, against 1 writer and SQLite.

One synthetic corpus (``bench/synth.py``, ``--n`` pages, half HTML, half text) is split round robin
into as many shares as there are writers; each writer is a process

    newsgraph --db URL ingest --json --no-progress --workers 1 SHARE...

with analysis on (the default), all started together into a fresh database (created and migrated
before the clock starts); the figure is distinct articles stored / wall time until the last writer
exits. Configurations, alternated in a rotating order each round, medians of ``--repeats`` rounds:

* SQLite, 1 writer (the baseline: SQLite lets one writer in at a time);
* PostgreSQL, 1, 2 and 4 writers;
* PostgreSQL, 4 writers without the name locks (``postgres_writer.ACTOR_LOCKS = False``: the
  unique-key-and-retry alternative ``store.postgres`` weighs them against).

Each writer must exit 0. After each run: articles lost (distinct texts not stored), sources
stored twice, actors twice (same canonical name and type), names that are aliases of two
actors of one type, and store errors in the ingest log. Section ``ingest_pg`` of RESULTS.md.

The machine has 2 cores: past 2 writers the analysis itself (CPU-bound) has no core to go to,
so the 4-writer figure measures contention, not scaling.

    .venv/bin/python bench/ingest_pg.py [--n 80] [--repeats 3] [--pg-url URL] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import _results  # noqa: E402
import synth  # noqa: E402

#: (label, backend, writers, name locks)
CONFIGS = [("SQLite, 1 writer", "sqlite", 1, True), ("PostgreSQL, 1 writer", "pg", 1, True),
           ("PostgreSQL, 2 writers", "pg", 2, True), ("PostgreSQL, 4 writers", "pg", 4, True),
           ("PostgreSQL, 4 writers, no name locks", "pg", 4, False)]
NO_LOCKS = ("import sys, newsgraph.store.postgres_writer as w; w.ACTOR_LOCKS = False;"
            " from newsgraph.cli import main; sys.argv[0] = 'newsgraph'; main()")

CHECKS = {
    "stored": "SELECT COUNT(*) FROM articles",
    "sources twice": "SELECT COUNT(*) FROM (SELECT source FROM sources GROUP BY source HAVING COUNT(*) > 1) x",
    "actors twice": "SELECT COUNT(*) FROM (SELECT name, type FROM actors GROUP BY name, type"
                    " HAVING COUNT(*) > 1) x",
    "aliases twice": "SELECT COUNT(*) FROM (SELECT a.alias, c.type FROM actor_aliases a JOIN actors c"
                     " ON c.key = a.actor_key GROUP BY a.alias, c.type HAVING COUNT(DISTINCT a.actor_key) > 1) x",
    "store errors": "SELECT COUNT(*) FROM ingest_errors WHERE code LIKE 'store.%'",
    "actors": "SELECT COUNT(*) FROM actors",
}


def pg_base(url: str | None) -> tuple[str, object | None]:
    from tests import pg_server

    if url:
        return url, None
    bindir = pg_server.pg_bin()
    if bindir is None:
        raise SystemExit("no PostgreSQL binaries (apt-get install -y postgresql) and no --pg-url")
    server = pg_server.LocalServer(bindir)
    server.start()
    return server.url, server


def fresh_store(kind: str, base: str, tmp: Path, name: str) -> str:
    from newsgraph.store import open_store

    if kind == "sqlite":
        url = str(tmp / f"{name}.db")
    else:
        import psycopg
        from tests import pg_server

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        url = pg_server.database_url(base, name)
    open_store(url).close()  # created and migrated before the clock starts
    return url


def run(url: str, shares: list[list[str]], locks: bool) -> float:
    env = {**os.environ, "NEWSGRAPH_WORKERS": "1"}
    env.pop("NEWSGRAPH_DB", None)
    head = [sys.executable, "-m", "newsgraph"] if locks else [sys.executable, "-c", NO_LOCKS]
    t = time.perf_counter()
    procs = [subprocess.Popen([*head, "--db", url, "ingest", "--json", "--no-progress", "--workers", "1", *share],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for share in shares]
    outs = [p.communicate() for p in procs]
    seconds = time.perf_counter() - t
    for p, (_out, err) in zip(procs, outs, strict=True):
        if p.returncode != 0:
            raise SystemExit(f"a writer failed ({p.returncode}): {err.decode(errors='replace')[-1500:]}")
    return seconds


def checks(kind: str, url: str) -> dict[str, int]:
    if kind == "sqlite":
        with sqlite3.connect(url) as conn:
            return {**{k: int(conn.execute(sql).fetchone()[0]) for k, sql in CHECKS.items()}, "deadlocks": 0}
    import psycopg

    with psycopg.connect(url) as conn:
        got = {k: int(conn.execute(sql).fetchone()[0]) for k, sql in CHECKS.items()}
        # Deadlocks the server broke up (each one a transaction run again): stats reach it within a second.
        time.sleep(1.0)
        got["deadlocks"] = int(conn.execute("SELECT deadlocks FROM pg_stat_database"
                                            " WHERE datname = current_database()").fetchone()[0])
        return got


def table(results: dict[str, list[float]], found: dict[str, list[dict[str, int]]], unique: int, n: int,
          repeats: int, loads: list[float]) -> list[str]:
    """The section's lines: medians, ratios, each run's spread and the worst counts per configuration."""
    med = {k: statistics.median(v) for k, v in results.items()}
    rate = {k: unique / s for k, s in med.items()}
    sqlite_rate, pg1 = rate["SQLite, 1 writer"], rate["PostgreSQL, 1 writer"]
    lines = [f"{unique} synthetic pages (`bench/synth.py`, half HTML, half text), analysis on, split round robin "
             f"among the writers; each writer a `newsgraph ingest --workers 1` process, all into one fresh, migrated "
             f"store; wall time until the last exits; configurations alternated, medians of {repeats} rounds. "
             + (f"Load average during the runs {min(loads):.1f}-{max(loads):.1f} on **2 cores**." if loads
                else "Runs on **2 cores** shared with other work (load 5-8)."), "",
             "| configuration | articles/s | single runs | vs PostgreSQL 1 writer | vs SQLite | lost | sources twice "
             "| actors twice | aliases twice | store errors | deadlocks (retried) | actors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, *_ in CONFIGS:
        worst = {k: max(g[k] for g in found[label]) for k in [*CHECKS, "deadlocks"]}
        lost = unique - min(g["stored"] for g in found[label])
        note = " (2 cores: no core for the 3rd and 4th)" if "4 writers" in label else ""
        spread = f"{unique / max(results[label]):.2f}-{unique / min(results[label]):.2f}"
        lines.append(f"| {label}{note} | {rate[label]:.2f} | {spread} | {rate[label] / pg1:.2f}x | {rate[label] / sqlite_rate:.2f}x "
                     f"| {lost} | {worst['sources twice']} | {worst['actors twice']} | {worst['aliases twice']} "
                     f"| {worst['store errors']} | {worst['deadlocks']} | {worst['actors']} |")
    lines += ["", "Counts are the worst over the rounds. 'Actors twice': two actors with one canonical name and "
              "type; 'aliases twice': one name an alias of two actors of one type (the single writer's figure is "
              "what the registry itself does; more is what concurrency adds). Without the name locks writers meet "
              "in row locks (counters, actors) in any order: 'deadlocks' counts the transactions PostgreSQL broke up "
              "(each waited `deadlock_timeout`, 1 s, and was run again). The kill-and-rerun check is "
              "`tests/e2e/test_many_writers.py`. Rebuild: "
              f"`.venv/bin/python bench/ingest_pg.py --n {n} --repeats {repeats}`."]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=80, help="synthetic pages (default 80)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pg-url", help="a server whose role may CREATE DATABASE (default: a throwaway one)")
    ap.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    ap.add_argument("--from-log", type=Path, help="write the section from this script's printed rounds")
    args = ap.parse_args()
    if args.from_log:
        return write(table(*from_log(args.from_log, args.n), args.n, args.repeats, []), args.no_write)

    tmp = Path(tempfile.mkdtemp(prefix="ng-ingest-pg-"))
    stats = synth.write_corpus(tmp / "corpus", args.n, seed=11)
    files = sorted(str(p) for p in (tmp / "corpus").rglob("*") if p.is_file())
    base, server = pg_base(args.pg_url)
    results: dict[str, list[float]] = {c[0]: [] for c in CONFIGS}
    found: dict[str, list[dict[str, int]]] = {c[0]: [] for c in CONFIGS}
    loads: list[float] = []
    try:
        for rnd in range(args.repeats):
            order = CONFIGS[rnd % len(CONFIGS):] + CONFIGS[:rnd % len(CONFIGS)]
            for label, kind, writers, locks in order:
                name = f"ng_bench_ingest_{os.getpid()}_{rnd}_{CONFIGS.index((label, kind, writers, locks))}"
                url = fresh_store(kind, base, tmp, name)
                loads.append(os.getloadavg()[0])
                seconds = run(url, [files[i::writers] for i in range(writers)], locks)
                got = checks(kind, url)
                results[label].append(seconds)
                found[label].append(got)
                print(f"round {rnd + 1} {label}: {seconds:.1f} s, {stats.n_unique / seconds:.2f} articles/s, {got}",
                      flush=True)
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    return write(table(results, found, stats.n_unique, args.n, args.repeats, loads), args.no_write)


def from_log(path: Path, n: int) -> tuple[dict[str, list[float]], dict[str, list[dict[str, int]]], int]:
    """``results`` and ``found`` again from the lines a run printed (``round R LABEL: S s, ..., {counts}``)."""
    import ast
    import re

    results: dict[str, list[float]] = {c[0]: [] for c in CONFIGS}
    found: dict[str, list[dict[str, int]]] = {c[0]: [] for c in CONFIGS}
    for line in path.read_text().splitlines():
        m = re.match(r"round \d+ (.+?): ([\d.]+) s, [\d.]+ articles/s, (\{.*\})$", line)
        if m:
            results[m[1]].append(float(m[2]))
            found[m[1]].append(ast.literal_eval(m[3]))
    return results, found, n


def write(lines: list[str], no_write: bool) -> int:
    body = "\n".join(lines)
    print(body)
    if not no_write:
        _results.update_section("ingest_pg", f"## Ingest into PostgreSQL, 1-4 concurrent writers ({_results.today()}, "
                                f"{_results.machine()})\n\n{body}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
