"""Reliability: what newsgraph does with hostile input, kills, huge files and costly searches.

Four measurements, written to the ``reliability`` section of ``bench/RESULTS.md``:

1. **The hostile suite** (``tests/hostile/``): pytest runs it once with a JUnit
   report; cases tried, passed, failed, skipped, expected failures, wall time,
   per file.
2. **Kill and resume**: a synthetic corpus (``bench/synth.py``) is ingested with
   ``--no-analyze``; ``--kills`` times the run is stopped at a random moment
   (seeded; SIGKILL and SIGTERM alternately) and started again, then a last run
   completes it. After each stop: extraction workers still alive after 5 s,
   ``PRAGMA integrity_check``. At the end: articles, sources, duplicates, rows
   without their article, runs recorded as interrupted, and whether the store
   equals one ingested without interruption (same articles, texts, sources,
   full-text answers).
3. **The largest accepted input**: one plain text of unique sentences just under
   the 50 MiB input gate, ingested with ``--no-analyze``: wall time and peak RSS
   against the per-item budget, beside a one-article input in the same run
   (``bench/ingest.py --largest``'s text case, run once).
4. **The longest search the server will run**: adversarial full-text queries on
   a synthetic store (``bench/serve.py``'s 100k store when built, else
   ``--store-articles`` of ``bench/synth_store.py``), each through
   ``Store.search`` with the default caps and time box: the answer (hits, or
   the error code) and how long it took to come back, beside SQLite's own time
   for the same query without caps or time box (bounded at 120 s).

    .venv/bin/python bench/reliability.py [--kills 10] [--files 2000] [--store-articles 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _results  # noqa: E402
import ingest as ingest_bench  # noqa: E402
import synth  # noqa: E402

PY = Path(sys.executable)
NEWSGRAPH = PY.with_name("newsgraph")


# --------------------------------------------------------------------------- processes


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += ingest_bench._children(p)
    return seen


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@dataclass
class Measured:
    seconds: float
    rc: int
    tree_peak_mib: float
    stdout: str
    stderr: str


def run_measured(args: list[str], timeout: float = 3600) -> Measured:
    """Run a command, sampling the summed RSS of its process tree (``bench/ingest.py``'s sampler)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = ingest_bench.TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate(timeout=timeout)
    sampler.stop()
    return Measured(time.perf_counter() - t0, proc.returncode, sampler.peak_kb / 1024, out, err)


# --------------------------------------------------------------------------- 1. hostile suite


def hostile_suite(work: Path) -> dict:
    report = work / "hostile.xml"
    t0 = time.perf_counter()
    done = subprocess.run([str(PY), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/hostile",
                           f"--junitxml={report}"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    per_file: dict[str, Counter[str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        name = case.get("classname", "").rsplit(".", 1)[-1]
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped":
                outcome = "xfailed" if "xfail" in (child.get("type", "") + child.get("message", "")) else "skipped"
        per_file.setdefault(name, Counter())[outcome] += 1
    total: Counter[str] = sum(per_file.values(), Counter())
    return {"rc": done.returncode, "seconds": seconds, "total": total, "per_file": per_file,
            "tail": done.stdout.strip().splitlines()[-1:] if done.stdout else []}


# --------------------------------------------------------------------------- 2. kill and resume


@dataclass
class KillReport:
    kills: list[dict] = field(default_factory=list)
    final: dict = field(default_factory=dict)


def _ingest_cmd(db: Path, corpus: Path) -> list[str]:
    return [str(NEWSGRAPH), "--db", str(db), "ingest", "--no-analyze", "--no-progress", "--json", "--workers", "2",
            str(corpus)]


def _store_facts(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("SELECT COUNT(*) FROM articles"),
            "sources": q("SELECT COUNT(*) FROM sources"),
            "duplicate_sources": q("SELECT COUNT(*) - COUNT(DISTINCT source) FROM sources"),
            "orphan_sources": q("SELECT COUNT(*) FROM sources s WHERE NOT EXISTS"
                                " (SELECT 1 FROM articles a WHERE a.id = s.article_id)"),
            "unsigned_articles": q("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
                                   " (SELECT 1 FROM story_signatures g WHERE g.article_seq = a.seq)"),
            "orphan_signatures": q("SELECT COUNT(*) FROM story_signatures g WHERE NOT EXISTS"
                                   " (SELECT 1 FROM articles a WHERE a.seq = g.article_seq)"),
            "integrity": q("PRAGMA integrity_check"),
            "fts_integrity": _fts_ok(conn),
            "interrupted_runs": q("SELECT COUNT(*) FROM ingest_runs WHERE status = 'interrupted'"),
            "finished_runs": q("SELECT COUNT(*) FROM ingest_runs WHERE status = 'finished'"),
        }
    finally:
        conn.close()


def _fts_ok(conn: sqlite3.Connection) -> str:
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        return "ok"
    except sqlite3.Error as exc:
        return f"broken: {exc}"


def _content(db: Path) -> tuple:
    """What a reader sees: articles (id, title, text), sources (source -> id), answers to a few searches."""
    conn = sqlite3.connect(db)
    try:
        arts = sorted(conn.execute("SELECT id, title, outlet, published, text, removed FROM articles"))
        srcs = sorted(conn.execute("SELECT source, article_id, url FROM sources"))
        searches = tuple(tuple(r[0] for r in conn.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank, a.id LIMIT 50", (q,))) for q in ("minister", "port OR grid"))
        return arts, srcs, searches
    finally:
        conn.close()


def kill_and_resume(work: Path, n_files: int, kills: int, seed: int = 20261206) -> KillReport:
    corpus = work / "corpus"
    stats = synth.write_corpus(corpus, n_files, seed=3)
    reference = work / "reference.db"
    ref = run_measured(_ingest_cmd(reference, corpus))
    assert ref.rc == 0, ref.stderr
    full_seconds = ref.seconds
    # A run with nothing left to do (start-up, walking the folder, skipping what is stored):
    # each stop falls after it, at a random point of an even share of the remaining work.
    noop = run_measured(_ingest_cmd(reference, corpus)).seconds
    share = max(0.5, (full_seconds - noop) / (kills + 1))
    rng = random.Random(seed)
    db = work / "killed.db"
    report = KillReport()
    for k in range(kills):
        sig = signal.SIGKILL if k % 2 == 0 else signal.SIGTERM
        delay = noop + rng.uniform(0.3, 1.7) * share
        proc = subprocess.Popen(_ingest_cmd(db, corpus), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        workers = [p for p in _tree(proc.pid) if p != proc.pid]
        proc.send_signal(sig)
        proc.communicate(timeout=120)
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = [w for w in workers if _alive(w)]
        for w in survivors:  # leave the machine clean for the next round, but count them
            os.kill(w, signal.SIGKILL)
        facts = _store_facts(db) if db.exists() else {"articles": 0, "integrity": "ok"}
        report.kills.append({"signal": sig.name, "after_s": delay, "rc": proc.returncode, "workers": len(workers),
                             "survivors": len(survivors), "articles": facts.get("articles", 0),
                             "integrity": facts.get("integrity")})
    last = run_measured(_ingest_cmd(db, corpus))
    facts = _store_facts(db)
    summary = json.loads(last.stdout.strip().splitlines()[-1]) if last.stdout.strip() else {}
    report.final = facts | {"rc": last.rc, "unique": stats.n_unique, "files": stats.n_files,
                            "same_as_uninterrupted": _content(db) == _content(reference),
                            "last_run": summary, "full_run_s": full_seconds}
    return report


# --------------------------------------------------------------------------- 3. largest accepted input


def largest_input(work: Path, n_bytes: int) -> dict:
    """``bench/ingest.py --largest``'s text case, once: the largest text and a small one, same run."""
    exe = ingest_bench.newsgraph_exe()
    out = {}
    for name, size in (("small", 4800), ("big", n_bytes)):
        path = work / f"{name}.txt"
        ingest_bench.write_unique_text(path, size)
        r = ingest_bench.run_item(exe, name, path, work / f"{name}.db", work / f"{name}.log")
        out[name] = {"bytes": r.n_bytes, "seconds": r.seconds, "peak_mib": r.maxrss_mib, "rc": r.rc,
                     "stored": int(r.ok), "budget_mib": ingest_bench.budget_mib(r.n_bytes)}
    return out


# --------------------------------------------------------------------------- 4. costly searches


def _adversarial() -> dict[str, str]:
    import synth_store

    topics = list(synth_store.TOPICS)
    return {
        "the issue's query: 83 one-letter prefixes OR-ed (494 chars)":
            " OR ".join(f"{c}*" for c in (list("abcdefghijklmnopqrstuvwxyz") * 4)[:83]),
        "60 two-letter prefixes OR-ed": " OR ".join(f"{a}{b}*" for a in "stamp" for b in "aeioulrnhtcd"),
        "80 words OR-ed": " OR ".join((topics * 3)[:80]),
        "8 common two-letter prefixes OR-ed (the most the caps allow)":
            " OR ".join(["th*", "re*", "co*", "in*", "st*", "pr*", "de*", "ma*"]),
        "32 common words OR-ed (the most the caps allow)": " OR ".join((topics * 2)[:32]),
        "NEAR of two common words": f"NEAR({topics[0]} {topics[1]}, 50)",
        "a plain topic word": topics[0],
    }


def _raw_seconds(store_path: Path, query: str, limit: float = 120.0) -> float | None:
    """How long SQLite itself takes to rank every match (no caps, no time box); None past ``limit``."""
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    deadline = time.monotonic() + limit
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    t0 = time.perf_counter()
    try:
        conn.execute("SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                     " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT 20", (query,)).fetchall()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return time.perf_counter() - t0


def costly_searches(store_path: Path) -> list[dict]:
    from newsgraph.errors import StoreError
    from newsgraph.store.sqlite import SQLiteStore

    rows = []
    with SQLiteStore(store_path) as store:
        for label, query in _adversarial().items():
            t0 = time.perf_counter()
            try:
                hits = store.search(query, limit=20)
                outcome = f"{len(hits)} hits"
            except StoreError as exc:
                outcome = exc.code
            seconds = time.perf_counter() - t0
            rows.append({"query": label, "chars": len(query), "seconds": seconds, "outcome": outcome,
                         "raw": _raw_seconds(store_path, query)})
    return rows


def search_store(work: Path, n: int) -> Path:
    serve_store = ROOT / "bench" / "out" / "serve-100k.db"  # bench/serve.py's, when it has been built
    if serve_store.exists():
        return serve_store
    cached = ROOT / "bench" / "out" / f"reliability-{n}.db"
    if cached.exists():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([str(PY), str(HERE / "synth_store.py"), str(cached), str(n)], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"synth_store failed: {done.stderr[-2000:]}")
    return cached


# --------------------------------------------------------------------------- report


def write(h: dict, k: KillReport, big: dict, searches: list[dict], args: argparse.Namespace) -> str:
    t = h["total"]
    lines = ["## Reliability: hostile input, kills, the largest input, costly searches", "",
             f"`bench/reliability.py`, {_results.today()}, {_results.machine()}.", "",
             "### The hostile suite (`tests/hostile/`, part of `make test`)", "",
             f"{sum(t.values())} cases tried: **{t['passed']} passed**, {t['failed']} failed, {t['skipped']} skipped, "
             f"{t['xfailed']} expected failures; {h['seconds']:.0f} s wall time.", "",
             "| file | passed | failed | skipped |", "|---|---:|---:|---:|"]
    for name, c in sorted(h["per_file"].items()):
        lines.append(f"| {name} | {c['passed']} | {c['failed']} | {c['skipped']} |")
    f = k.final
    kills = k.kills
    lines += ["", "### Kill and resume", "",
              f"{f['files']} synthetic files ({f['unique']} distinct texts; `ingest --no-analyze --workers 2`, "
              f"{f['full_run_s']:.1f} s uninterrupted). {len(kills)} runs stopped at a random moment "
              "(seeded; past start-up, within an even share of the work), SIGKILL and SIGTERM alternately, each "
              "followed by the next run; then one run to the end.", "",
              "| # | signal | after | exit | workers | still alive after 5 s | articles stored | integrity |",
              "|---:|---|---:|---:|---:|---:|---:|---|"]
    for i, r in enumerate(kills, 1):
        lines.append(f"| {i} | {r['signal']} | {r['after_s']:.1f} s | {r['rc']} | {r['workers']} | {r['survivors']} | "
                     f"{r['articles']} | {r['integrity']} |")
    lines += ["", f"At the end: {f['articles']} articles (expected {f['unique']}), {f['sources']} sources "
              f"(expected {f['files']}), {f['duplicate_sources']} duplicate sources, {f['orphan_sources']} sources "
              f"without their article, {f['unsigned_articles']} articles without a story signature, "
              f"{f['orphan_signatures']} signatures without their article; `integrity_check` {f['integrity']}, "
              f"FTS `integrity-check` {f['fts_integrity']}; {f['interrupted_runs']} runs recorded as interrupted, "
              f"{f['finished_runs']} finished. Same articles, texts, sources and search answers as a store ingested "
              f"without interruption: **{'yes' if f['same_as_uninterrupted'] else 'NO'}**."]
    s, b = big["small"], big["big"]
    lines += ["", "### The largest accepted input", "",
              "One plain text of unique sentences just under the 50 MB input gate (`Settings.max_bytes`), "
              "`ingest --no-analyze`, beside a one-article text in the same run (the text case of "
              "`bench/ingest.py --largest`, which has the medians and the HTML case). Peak RSS of the largest "
              "process (`ru_maxrss`); budget 256 MiB + 16 x the input.", "",
              "| input | size | stored | wall time | peak RSS | budget | holds |", "|---|---:|---:|---:|---:|---:|---|"]
    for label, r in (("one article", s), ("largest accepted", b)):
        size = f"{r['bytes'] / 2**20:.1f} MiB" if r["bytes"] >= 2**20 else f"{r['bytes'] / 1024:.1f} KiB"
        lines.append(f"| {label} | {size} | {'yes' if r['stored'] else 'NO'} | "
                     f"{r['seconds']:.1f} s | {r['peak_mib']:.0f} MiB | {r['budget_mib']:.0f} MiB | "
                     f"{'yes' if r['peak_mib'] <= r['budget_mib'] else '**no**'} |")
    lines += ["", "### The longest search the store will run", "",
              f"Synthetic store of {args.n_search_articles:,} articles (`bench/synth_store.py`); each query through "
              "`Store.search` (the call behind `/api/search`, the search page and `newsgraph search`) with the "
              "default caps and time box, beside the time SQLite itself needs to rank the same query with "
              "neither (the baseline: what a server without them would spend; stopped at 120 s).", "",
              "| query | chars | newsgraph's answer | time to answer | SQLite alone, no caps or time box |",
              "|---|---:|---|---:|---:|"]
    for r in searches:
        raw = "over 120 s" if r["raw"] is None else f"{r['raw'] * 1000:,.0f} ms"
        lines.append(f"| {r['query']} | {r['chars']} | {r['outcome']} | {r['seconds'] * 1000:,.0f} ms | {raw} |")
    longest = max(searches, key=lambda r: r["seconds"])
    lines += ["", f"Longest: {longest['seconds'] * 1000:.0f} ms ({longest['query']}).", "",
              f"Reproduce: `.venv/bin/python bench/reliability.py --kills {args.kills} --files {args.files} "
              f"--store-articles {args.store_articles}` (this run: `--search-store` {args.n_search_articles:,} "
              "articles)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--big-mb", type=float, default=49.5, help="size of the largest input, MiB")
    ap.add_argument("--store-articles", type=int, default=20000)
    ap.add_argument("--search-store", type=Path, default=None,
                    help="store for the costly searches (default bench/out/serve-100k.db when built)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ng-reliability-") as tmp:
        work = Path(tmp)
        print("hostile suite ...", flush=True)
        h = hostile_suite(work)
        print(f"  {dict(h['total'])} in {h['seconds']:.0f} s", flush=True)
        print("kill and resume ...", flush=True)
        k = kill_and_resume(work, args.files, args.kills)
        print(f"  {k.final}", flush=True)
        print("largest input ...", flush=True)
        big = largest_input(work, int(args.big_mb * 2**20))
        print(f"  {big}", flush=True)
        print("costly searches ...", flush=True)
        path = args.search_store or search_store(work, args.store_articles)
        from newsgraph.store.sqlite import SQLiteStore

        with SQLiteStore(path) as st:
            args.n_search_articles = st.count_articles()
        searches = costly_searches(path)
        print(f"  {searches}", flush=True)
    _results.update_section("reliability", write(h, k, big, searches, args))
    print(f"wrote the reliability section of {_results.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
