"""Web app latency on a 100,000-article store: p50 / p95 / max per endpoint.

1. Builds the synthetic analysed store (``bench/synth_store.py``; 100k articles,
   a few minutes) at ``bench/out/serve-100k.db``, or tops up / reuses the one
   given with ``--store PATH``.
2. Starts ``uvicorn`` serving ``newsgraph.serve.app.create_app(store)`` on
   127.0.0.1 (a free port) in a second process.
3. From this process, drives each endpoint with varied URLs (different search
   terms, article ids, actor names, speakers) using ``wrk`` and a Lua script
   (``apt-get install wrk``), or ``httpx`` from a thread pool when wrk is missing
   (or with ``--tool httpx``). Every run is bounded in time (``--seconds``) and,
   for httpx, in count (``--requests``). Loopback only.
4. Writes the ``serve`` section of ``bench/RESULTS.md``.

Run ``python bench/serve.py [--store PATH] [--n 100000] [--seconds 8] [--concurrency 1,4]``;
``--baseline-src OLD/src --baseline-store OLD.db`` also serves an earlier version (a git
worktree's ``src``, with a copy of the store at its schema) and measures both side by side.
``--postgres`` copies the store into PostgreSQL (``newsgraph copy``; a throwaway server started as
the tests start theirs, ``tests/pg_server.py``, with ``shared_buffers`` ``PG_SHARED_BUFFERS``; or ``--pg-url``) and measures the SQLite and the
PostgreSQL store side by side, run after run (section ``serve_postgres`` of RESULTS.md).
Goal: p95 < 100 ms per endpoint on a 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _results  # noqa: E402
import synth_store  # noqa: E402
from newsgraph.config import SEARCH_BOUND  # noqa: E402

DEFAULT_STORE = HERE / "out" / "serve-100k.db"
THIS, BASELINE, POSTGRES = "this tree", "baseline", "postgresql"
GOAL_P95_MS = 100.0
#: ``shared_buffers`` of the throwaway PostgreSQL server (the 100k store's tables and indexes: ~1.3 GB).
PG_SHARED_BUFFERS = "1GB"
URLS_PER_ENDPOINT = 400

_LUA = r"""
local paths = {}
for line in io.lines(os.getenv("NEWSGRAPH_WRK_PATHS")) do paths[#paths + 1] = line end
local counter = 0
local threads = {}
function setup(thread)
  thread:set("start", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  counter = start or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'NEWSGRAPH_RESULT {"requests": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f, "duration_us": %d, "non2xx": %d, "errors": %d}\n',
    summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
end
"""

_SERVER = """
import sys
from newsgraph.serve.app import run
run(sys.argv[1], port=int(sys.argv[2]), workers=int(sys.argv[3]), access_log=False, log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"server did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


@contextlib.contextmanager
def serve(store: Path | str, workers: int = 1, src: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """``newsgraph.serve.app.run`` (what ``newsgraph serve --workers N`` calls) in a second process,
    importing newsgraph from ``src`` (default: this tree's); yields (base URL, process)."""
    port = free_port()
    src = str(src or HERE.parent / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(store), str(port), str(workers)], env=env,
                            stdin=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        return "?"


def sample_urls(store_path: Path, seed: int = 11) -> dict[str, list[str]]:
    """Varied paths per endpoint, taken from the store itself (ids, actor names, speakers)."""
    from newsgraph.store import open_store

    rnd = random.Random(seed)
    with open_store(str(store_path)) as store:
        total = store.count_articles()
        ids: list[str] = []
        for off in sorted(rnd.sample(range(max(total - 20, 1)), min(40, max(total - 20, 1)))):
            ids += [r.id for r in store.list_articles(limit=10, offset=off)]
        people = [a.name for a in store.actors(type="PERSON", limit=300)]
        actors = [a.name for a in store.actors(limit=400)]
        countries = [a.name for a in store.actors(type="GPE", limit=30)]
    rnd.shuffle(ids)
    words = list(synth_store.TOPICS)
    surnames = sorted({p.split()[-1] for p in people})
    queries: list[str] = []
    for _ in range(URLS_PER_ENDPOINT):
        r = rnd.random()
        if r < 0.4:
            queries.append(rnd.choice(words))
        elif r < 0.6:
            queries.append(f"{rnd.choice(words)} {rnd.choice(words)}")
        elif r < 0.75:
            queries.append(f"{rnd.choice(words)} OR {rnd.choice(surnames)}")
        elif r < 0.9:
            queries.append(rnd.choice(surnames))
        else:
            queries.append(f'"{rnd.choice(countries)} {rnd.choice(["rejected", "approved", "welcomed"])}"')

    def pick(pool: list[str]) -> list[str]:
        return [rnd.choice(pool) for _ in range(URLS_PER_ENDPOINT)]

    q = lambda s: quote(s, safe="")  # noqa: E731
    speakers = pick(surnames + people)
    dyads = [(rnd.choice(countries), rnd.choice(countries)) for _ in range(URLS_PER_ENDPOINT)]
    dyads = [(a, b) for a, b in dyads if a != b]
    return {
        "search (API)": [f"/api/search?q={q(x)}" for x in queries],
        "search (HTML)": [f"/search?q={q(x)}" for x in queries],
        "article (API)": [f"/api/articles/{i}" for i in ids],
        "article (HTML)": [f"/article/{i}" for i in ids],
        "entity (API)": [f"/api/entities/{q(x)}" for x in pick(actors)],
        "entity (HTML)": [f"/entity/{q(x)}" for x in pick(actors)],
        "quotes by speaker (API)": [f"/api/quotes?speaker={q(x)}" for x in speakers],
        "quotes by speaker (HTML)": [f"/quotes?speaker={q(x)}" for x in speakers],
        "quotes by topic (API)": [f"/api/quotes?about={q(x)}" for x in pick(words + surnames)],
        "dyad (API)": [f"/api/dyad?a={q(a)}&b={q(b)}" for a, b in dyads],
        "dyad (HTML)": [f"/dyad?a={q(a)}&b={q(b)}" for a, b in dyads],
        "home (HTML)": ["/"],
    }


def check(base: str, paths: list[str]) -> tuple[int, int | None, float]:
    """(status of the first path, first non-200 status among a few, ms of the first request).

    The first request is also the cold-cache figure (the app caches some summaries)."""
    import httpx

    def status(c: httpx.Client, path: str) -> int:
        for attempt in range(3):
            try:
                return c.get(path).status_code
            except httpx.HTTPError:
                if attempt == 2:
                    raise
                time.sleep(1)
        raise AssertionError("unreachable")

    with httpx.Client(base_url=base, timeout=120) as c:
        t0 = time.perf_counter()
        first = status(c, paths[0])
        first_ms = (time.perf_counter() - t0) * 1000
        bad = next((s for s in (status(c, p) for p in paths[1:6]) if s != 200), None)
    return first, bad, first_ms


def run_wrk(base: str, paths: list[str], *, seconds: float, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp, "urls.lua")
        lua.write_text(_LUA)
        plist = Path(tmp, "paths.txt")
        plist.write_text("\n".join(paths) + "\n")
        out = subprocess.run(
            ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", str(lua), base], capture_output=True, text=True, timeout=seconds + 60,
            env={**os.environ, "NEWSGRAPH_WRK_PATHS": str(plist)})
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("NEWSGRAPH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    r = json.loads(line.split(" ", 1)[1])
    return {"requests": r["requests"], "p50": r["p50_us"] / 1000, "p95": r["p95_us"] / 1000,
            "max": r["max_us"] / 1000, "rps": r["requests"] / (r["duration_us"] / 1e6),
            "bad": r["non2xx"] + r["errors"]}


def run_httpx(base: str, paths: list[str], *, seconds: float, concurrency: int, max_requests: int) -> dict:
    import httpx

    lat: list[float] = []
    bad = 0
    deadline = time.monotonic() + seconds
    t0 = time.perf_counter()

    def worker(k: int) -> None:
        nonlocal bad
        with httpx.Client(base_url=base, timeout=10) as c:
            i = k * 7919
            while time.monotonic() < deadline and len(lat) < max_requests:
                i += 1
                s = time.perf_counter()
                r = c.get(paths[i % len(paths)])
                lat.append((time.perf_counter() - s) * 1000)
                bad += r.status_code >= 400

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    el = time.perf_counter() - t0
    lat.sort()
    return {"requests": len(lat), "p50": statistics.median(lat), "p95": lat[int(0.95 * (len(lat) - 1))],
            "max": lat[-1], "rps": len(lat) / el, "bad": bad}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None,
                    help=f"store to serve (built or topped up to --n articles; default {DEFAULT_STORE})")
    ap.add_argument("--n", type=int, default=synth_store.DEFAULT_N, help="articles in the synthetic store")
    ap.add_argument("--no-build", action="store_true", help="serve --store as it is")
    ap.add_argument("--seconds", type=float, default=8.0, help="duration of each run (bounded)")
    ap.add_argument("--requests", type=int, default=5000, help="max requests per run (httpx tool)")
    ap.add_argument("--concurrency", default="1,4", help="comma-separated client connection counts")
    ap.add_argument("--workers", default="1,2",
                    help="comma-separated server process counts; runs beyond the first use the highest concurrency only")
    ap.add_argument("--tool", choices=("auto", "wrk", "httpx"), default="auto")
    ap.add_argument("--only", default="", help="comma-separated substrings of endpoint names to run")
    ap.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    ap.add_argument("--baseline-src", type=Path, default=None,
                    help="also serve an earlier newsgraph (its src folder, e.g. a git worktree's) side by side")
    ap.add_argument("--baseline-store", type=Path, default=None,
                    help="the store the baseline serves (a copy of --store at the schema that code reads)")
    ap.add_argument("--postgres", action="store_true",
                    help="also serve a PostgreSQL copy of the store side by side (section serve_postgres)")
    ap.add_argument("--pg-url", default=None,
                    help="with --postgres: a database to copy into, empty or holding this store's copy (a copy"
                         " resumes, so a finished one is only checked); default: a throwaway local server")
    args = ap.parse_args(argv)
    if bool(args.baseline_src) != bool(args.baseline_store):
        ap.error("--baseline-src and --baseline-store go together")

    store = args.store or DEFAULT_STORE
    store.parent.mkdir(parents=True, exist_ok=True)
    build_note = "reused"
    if not args.no_build:
        res = synth_store.build(store, args.n, progress=True)
        if res["added"]:
            build_note = (f"built: {res['added']:,} articles added in {res['seconds']:.0f} s "
                          f"({res['added'] / max(res['seconds'], 1e-9):,.0f}/s)")
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "httpx"
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    urls = sample_urls(store)
    from newsgraph.store import open_store

    with open_store(str(store)) as st:
        n_articles = st.count_articles()
    size_mib = sum(p.stat().st_size for p in store.parent.glob(store.name + "*")) / 2**20
    print(f"store {store}: {n_articles:,} articles, {size_mib:,.0f} MiB ({build_note}); tool {tool}",
          file=sys.stderr)

    load = _loadavg()
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    #: (label, store, src): this tree, and the baseline when asked; runs alternate between them.
    variants = [(THIS, store, None)] + ([(BASELINE, args.baseline_store, args.baseline_src)]
                                        if args.baseline_src else [])
    pg_note = ""
    with contextlib.ExitStack() as pg:
        if args.postgres:
            pg_url, pg_note = pg.enter_context(postgres_copy(store, args.pg_url))
            variants.append((POSTGRES, pg_url, None))
        t0 = time.perf_counter()
        results, skipped, rss = measure(args, urls, variants, worker_counts, levels, tool)
    wall = time.perf_counter() - t0
    load_after = _loadavg()
    write_section(args, results, skipped, rss, urls, tool, load, load_after, wall, n_articles, size_mib,
                  build_note, pg_note)
    return 0


@contextlib.contextmanager
def postgres_copy(store: Path, url: str | None) -> Iterator[tuple[str, str]]:
    """The URL of a PostgreSQL copy of ``store`` (``newsgraph copy``, checked by counts and checksum),
    on ``url`` or on a throwaway server (``tests/pg_server.LocalServer``), and how it was made."""
    sys.path.insert(0, str(HERE.parent))
    from tests.pg_server import LocalServer, database_url, pg_bin

    from newsgraph.store.copy import copy_store

    server = None
    if url is None:
        bindir = pg_bin()
        if bindir is None:
            raise SystemExit("--postgres: no PostgreSQL binaries (apt-get install -y postgresql) and no --pg-url")
        import tests.pg_server as pg_server

        # A served store's working set should sit in PostgreSQL's own cache, as on a team server
        # (PostgreSQL's docs: ~25% of RAM); the tests' 64 MB made every scan re-read pages from the OS.
        pg_server.SERVER_OPTIONS += f" -c shared_buffers={PG_SHARED_BUFFERS}"
        server = LocalServer(bindir)
        server.start()
        import psycopg

        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE newsgraph_bench TEMPLATE template0")
        url = database_url(server.url, "newsgraph_bench")
    try:
        res = copy_store(str(store), url)
        if res.mismatches:
            raise SystemExit(f"--postgres: the copy differs from the store: {res.mismatches}")
        version = "?"
        import psycopg

        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            buffers = conn.execute("SHOW shared_buffers").fetchone()[0]
        made = (f"copied by `newsgraph copy` in {res.seconds:.0f} s" if res.copied else
                f"copied there earlier by `newsgraph copy` (nothing left to copy; checked in {res.seconds:.0f} s)")
        note = (f"PostgreSQL {version} ({'a throwaway local server, fsync off' if server else 'the given server'},"
                f" shared_buffers {buffers}),"
                f" the same store {made} (counts and checksum equal)")
        print(f"postgres copy: {note}", file=sys.stderr)
        yield url, note
    finally:
        if server is not None:
            server.stop()


def measure(args: argparse.Namespace, urls: dict[str, list[str]], variants: list[tuple[str, Any, Any]],
            worker_counts: list[int], levels: list[int], tool: str) -> tuple[list, list[str], float | None]:
    """Each endpoint at each level on each variant, one after the other, every server up throughout."""
    results: list[tuple[str, int, int, dict]] = []
    skipped: list[str] = []
    rss = None
    for wi, workers in enumerate(worker_counts):
        with contextlib.ExitStack() as servers:
            bases = {label: servers.enter_context(serve(st, workers, src)) for label, st, src in variants}
            for name, paths in urls.items():
                if args.only and not any(s.strip() and s.strip() in name for s in args.only.split(",")):
                    continue
                firsts = {}
                for label, (base, _proc) in bases.items():
                    first, bad, first_ms = check(base, paths)
                    if first != 200 or bad:
                        print(f"  warning: {label}: {name}: status {first}/{bad} on warm-up", file=sys.stderr)
                    firsts[label] = (first, first_ms)
                if firsts[THIS][0] == 404 and not paths[0].startswith("/api/"):
                    skipped.append(f"{name}: {paths[0].split('?')[0]} answered 404 (page missing)")
                    continue
                for c in (levels if wi == 0 else levels[-1:]):
                    for label, (base, _proc) in bases.items():
                        if tool == "wrk":
                            r = run_wrk(base, paths, seconds=args.seconds, concurrency=c)
                        else:
                            r = run_httpx(base, paths, seconds=args.seconds, concurrency=c,
                                          max_requests=args.requests)
                        r["first"], r["code"] = firsts[label][1], label
                        results.append((name, workers, c, r))
                        print(f"  {name:26} {label:9} w={workers} c={c}: {r['requests']:6,} req  p50 "
                              f"{r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  max {r['max']:7.1f} ms  "
                              f"{r['rps']:6.0f} req/s  non-2xx {r['bad']}", file=sys.stderr)
            if wi == 0:
                rss = rss_mib(bases[THIS][1].pid)
    return results, skipped, rss


def write_section(args: argparse.Namespace, results: list, skipped: list[str], rss: float | None,
                  urls: dict[str, list[str]], tool: str, load: str, load_after: str, wall: float, n_articles: int,
                  size_mib: float, build_note: str, pg_note: str) -> None:
    lines = [
        "## Web app latency, SQLite and PostgreSQL (`bench/serve.py --postgres`)" if args.postgres else
        "## Web app latency (`bench/serve.py`)",
        "",
        f"{_results.today()} · {_results.machine()} · 1-min load average {load} before the runs, "
        f"{load_after} after (other jobs on the machine count too)",
        "",
        f"Store: {n_articles:,} synthetic analysed articles (`bench/synth_store.py`: 3–15 attributions, "
        f"1–4 events, ~12 entities each; 600 recurring people drawn Zipf-like, 40 organisations, 24 countries), {size_mib:,.0f} MiB "
        f"with WAL ({build_note}). Server: `newsgraph.serve.app.run` as `newsgraph serve` starts it, "
        f"access log off, on 127.0.0.1, with w = 1 process (the default) or w = 2 (`--workers 2`); client: {'`wrk -t1` with a Lua script cycling through' if tool == 'wrk' else 'httpx from a thread pool over'} "
        f"{URLS_PER_ENDPOINT} varied URLs per endpoint (search terms, article ids, actor names, speakers taken "
        f"from the store), {args.seconds:g} s per run, c = client connections. Client and server share the 2 cores. "
        f"With w = 2 the kernel gives each of wrk's persistent connections to whichever process accepts it, "
        f"so a run may load one process more than the other. A search, on either backend, ranks and counts the "
        f"newest {SEARCH_BOUND:,} matches of its query (`config.SEARCH_BOUND`; past them the page says \"about N "
        f"results\").",
        "",
        "| endpoint | code | w | c | requests | p50 ms | p95 ms | max ms | req/s | non-2xx | first (cold) ms "
        "| p95 < 100 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    results.sort(key=lambda x: (list(urls).index(x[0]), x[1], x[2], x[3]["code"] != THIS))
    for name, w, c, r in results:
        code = r["code"]
        if not r["requests"]:
            lines.append(f"| {name} | {code} | {w} | {c} | 0 | – | – | – | 0 | {r['bad']} | {r['first']:,.0f} | "
                         f"**no** (nothing answered within {args.seconds:g} s) |")
            continue
        ok = "yes" if r["p95"] < GOAL_P95_MS else "**no**"
        lines.append(f"| {name} | {code} | {w} | {c} | {r['requests']:,} | {r['p50']:.1f} | {r['p95']:.1f} | "
                     f"{r['max']:.1f} | {r['rps']:.0f} | {r['bad']} | {r['first']:,.0f} | {ok} |")
    lines.append("")
    if args.baseline_src:
        lines.append(f"`{BASELINE}`: the code in `{args.baseline_src}` serving `{args.baseline_store.name}` (the "
                     "same articles at that code's schema), in the same run: each endpoint and level ran on this "
                     "tree, then on the baseline, one after the other, both servers up throughout.")
        lines.append("")
    if args.postgres:
        lines.append(f"`{POSTGRES}`: this tree serving {pg_note}; `{THIS}`: the SQLite store it was copied from. "
                     "Each endpoint and level ran on SQLite, then on PostgreSQL, both servers up throughout.")
        lines.append("")
    if rss is not None:
        lines.append(f"Server RSS after the w = 1 runs: {rss:,.0f} MiB; total measuring time {wall:.0f} s.")
    for s in skipped:
        lines.append(f"Skipped: {s}.")
    misses = [f"{n} (w={w}, c={c}{', ' + r['code'] if args.postgres else ''})" for n, w, c, r in results
              if r["code"] in (THIS, POSTGRES) and (not r["requests"] or r["p95"] >= GOAL_P95_MS)]
    lines.append("")
    lines.append("Goal p95 < 100 ms: " + ("met by every endpoint." if not misses else
                                          "missed by " + ", ".join(misses) + "."))
    md = "\n".join(lines)
    print(md)
    if not args.no_write:
        _results.update_section("serve_postgres" if args.postgres else "serve", md)


if __name__ == "__main__":
    raise SystemExit(main())
