"""Ingest throughput and memory: does ``newsgraph ingest`` stay flat as inputs grow?

For each size (default 1,000 and 10,000) a synthetic corpus is written once
with ``bench/synth.py`` (half HTML pages, half scraped text, sub-folders of
1,000). The runs then alternate between sizes (1k, 10k, 1k, 10k, ...) so that
background load hits all sizes alike; each run is

    .venv/bin/newsgraph --db <tmp>/<size>-<run>.db ingest --json --no-progress --no-analyze <corpus>

into a fresh store, timed by wall clock. Memory is taken two ways:

* ``ru_maxrss`` of that one child, from ``os.wait4(pid)`` (only this child and
  the processes it waited for; the largest single process, not a sum);
* the sum of RSS over the child's whole process tree (it may start extraction
  workers), sampled every 50 ms from ``/proc``; the peak of that sum is the
  figure that tells whether memory grows with the number of inputs.

Each run must exit 0 and leave exactly N rows in ``articles``; otherwise the
script exits 1 and does not touch RESULTS.md. Medians per size go to the
``ingest`` section of ``bench/RESULTS.md``.

``--largest`` measures instead one item at the size the input gate accepts
(``Settings.max_bytes``, 50 MiB): a plain text of unique sentences just under
the limit (``--text-mb``, default 52 MB = 49.6 MiB) and one HTML page of ``<p>`` paragraphs
(``--html-mb``, default 45 MB), each beside a small input of the same kind
(5 KB) as the baseline, runs alternating between the four. Every run must exit
0 and store one article. The peak RSS is checked against the per-item budget
``BUDGET_BASE_MIB`` + ``BUDGET_PER_INPUT`` x input size (the budget
``tests/hostile/test_memory.py`` asserts on an 8 MB text), and medians go to the
``ingest_largest`` section.

    .venv/bin/python bench/ingest.py [--sizes 1000,10000] [--repeats 2] [--keep]
    .venv/bin/python bench/ingest.py --largest [--repeats 2] [--text-mb 52] [--html-mb 45]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _results  # noqa: E402
import synth  # noqa: E402

PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024
SAMPLE_EVERY = 0.05  # seconds
MIB = 1024 * 1024
#: Peak RSS budget of one ingest process: this much, plus BUDGET_PER_INPUT bytes per input byte.
BUDGET_BASE_MIB = 256
BUDGET_PER_INPUT = 16
SMALL_BYTES = 5_000


@dataclass
class Run:
    size: int
    repeat: int
    seconds: float
    rc: int
    maxrss_mib: float  # ru_maxrss of the child (largest single process)
    tree_peak_mib: float  # sampled peak of the summed RSS of the child's process tree
    stored: int
    summary: dict
    load: float = 0.0  # 1-minute load average when the run started

    @property
    def ok(self) -> bool:
        return self.rc == 0 and self.stored == self.size

    @property
    def rate(self) -> float:
        return self.size / self.seconds


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(int(f.read().split()[1]) * PAGE_KB)
    except (OSError, ValueError, IndexError):
        return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            total, todo, seen = 0, [self.pid], set()
            while todo:
                p = todo.pop()
                if p in seen:
                    continue
                seen.add(p)
                total += _rss_kb(p)
                todo += _children(p)
            self.peak_kb = max(self.peak_kb, total)
            self._done.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._done.set()
        self.join()


def newsgraph_exe() -> str:
    exe = ROOT / ".venv" / "bin" / "newsgraph"
    if exe.exists():
        return str(exe)
    found = shutil.which("newsgraph")
    if not found:
        sys.exit("newsgraph not found: run `make test` (or pip install -e .) first")
    return found


def count_articles(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("select count(*) from articles").fetchone()[0]
    finally:
        con.close()


def run_once(exe: str, corpus: Path, db: Path, size: int, repeat: int, log: Path) -> Run:
    cmd = [exe, "--db", str(db), "ingest", "--json", "--no-progress", "--no-analyze", str(corpus)]
    load = os.getloadavg()[0]
    with open(log, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=ROOT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        out = proc.stdout.read()  # the JSON summary is small; reading avoids a full pipe
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child only
        seconds = time.perf_counter() - t0
        sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    try:
        summary = json.loads(out.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):
        summary = {"raw": out.decode("utf-8", "replace")[-500:]}
    stored = count_articles(db) if db.exists() else -1
    return Run(size, repeat, seconds, proc.returncode, usage.ru_maxrss / 1024, sampler.peak_kb / 1024, stored,
               summary, load)


def _fmt_int(x: float) -> str:
    return f"{x:,.0f}"


def render(runs: list[Run], gen: dict[int, synth.CorpusStats], sizes: list[int]) -> str:
    by = {s: [r for r in runs if r.size == s] for s in sizes}
    med = {s: {
        "rate": statistics.median(r.rate for r in by[s]),
        "sec": statistics.median(r.seconds for r in by[s]),
        "maxrss": statistics.median(r.maxrss_mib for r in by[s]),
        "tree": statistics.median(r.tree_peak_mib for r in by[s]),
    } for s in sizes}
    lines = [
        "## Ingest: throughput and peak memory",
        "",
        f"Date: {_results.today()}. Machine: {_results.machine()}.",
        "",
        "`newsgraph --db <fresh>.db ingest --json --no-progress --no-analyze <folder>` on a synthetic corpus from "
        "`bench/synth.py` (seed 0, half HTML pages and half scraped text with boilerplate, 300–800 words each, "
        "sub-folders of 1,000 files, no duplicates). Runs alternate between sizes and the table gives medians. "
        "Every run exited 0 and stored exactly N articles.",
        "",
        "| Files (N) | Corpus | Runs | Wall time | Articles/s | Peak RSS, whole process tree | Peak RSS, largest process |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        m = med[s]
        lines.append(
            f"| {_fmt_int(s)} | {gen[s].n_bytes / 1e6:.1f} MB | {len(by[s])} | {m['sec']:.1f} s | "
            f"{m['rate']:.1f} | {m['tree']:.0f} MiB | {m['maxrss']:.0f} MiB |")
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        rt = med[hi]["tree"] / med[lo]["tree"] if med[lo]["tree"] else float("nan")
        rm = med[hi]["maxrss"] / med[lo]["maxrss"] if med[lo]["maxrss"] else float("nan")
        rr = med[hi]["rate"] / med[lo]["rate"]
        lines += [
            "",
            f"Peak memory ratio {_fmt_int(hi)} / {_fmt_int(lo)} files: **{rt:.2f}** for the whole tree and "
            f"{rm:.2f} for the largest process. About 1 means memory does not grow with the number of inputs. "
            f"Throughput ratio: {rr:.2f}.",
        ]
    lines += ["", "All runs, in the order they ran:", "",
              "| # | N | Wall time | Articles/s | Tree peak | Largest process | Load avg at start |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    for i, r in enumerate(runs, 1):
        lines.append(f"| {i} | {_fmt_int(r.size)} | {r.seconds:.1f} s | {r.rate:.1f} | "
                     f"{r.tree_peak_mib:.0f} MiB | {r.maxrss_mib:.0f} MiB | {r.load:.1f} |")
    lines += [
        "",
        "The whole-tree peak is the sum of RSS over `newsgraph` and its extraction workers, sampled every 50 ms "
        "from `/proc`. Pages that forked workers share are counted once per process, so this sum is an upper bound. "
        "The largest-process figure is `ru_maxrss` from `os.wait4` on that one child. "
        "Each run includes the command's start-up (imports, opening the store; about a second), which weighs "
        "more on the small corpus. "
        "Load average is the machine's 1-minute figure at the start of each run. Other jobs share these "
        f"{os.cpu_count()} cores, so throughput varies between runs more than memory does. "
        "Corpus generation is not timed in the runs: "
        + ", ".join(f"{_fmt_int(s)} files took {gen[s].seconds:.1f} s" for s in sizes) + ".",
        "",
        "Reproduce: `.venv/bin/python bench/ingest.py` (options: `--sizes 1000,10000`, `--repeats 2`, `--keep`).",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- the largest accepted input

_WORDS = ("minister council grain port railway talks agreed border cable ship energy tender court budget "
          "officials commission fund capital freight tonne cost haulage memorandum section autumn warsaw "
          "riga vilnius tallinn harbour pipeline treaty summit delegation sanctions election parliament").split()


def _paragraphs(seed: int = 0):
    """Endless paragraphs of 3 to 6 unique sentences (each holds its own number ``itemN``)."""
    rng = random.Random(seed)
    i = 0
    while True:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 20))]
            words.insert(rng.randrange(len(words)), f"item{i}")
            i += 1
            s = " ".join(words)
            sentences.append(s[0].upper() + s[1:] + ".")
        yield " ".join(sentences)


def write_unique_text(path: Path, n_bytes: int) -> int:
    """Plain text of unique sentences, paragraphs separated by a blank line, just under ``n_bytes``."""
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for p in _paragraphs():
            if size + len(p) + 2 > n_bytes:
                break
            f.write(p + "\n\n")
            size += len(p) + 2
    return path.stat().st_size


def write_unique_html(path: Path, n_bytes: int) -> int:
    """An HTML page whose article is ``<p>`` paragraphs of unique sentences, just under ``n_bytes``."""
    head = ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Grain railway talks - "
            "Baltic Ledger</title></head>\n<body><article><h1>Grain railway talks</h1>\n")
    tail = "</article></body></html>\n"
    size = len(head) + len(tail)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head)
        for p in _paragraphs(seed=1):
            line = f"<p>{p}</p>\n"
            if size + len(line) > n_bytes:
                break
            f.write(line)
            size += len(line)
        f.write(tail)
    return path.stat().st_size


@dataclass
class ItemRun:
    name: str
    n_bytes: int
    seconds: float
    rc: int
    maxrss_mib: float
    tree_peak_mib: float
    stored_chars: int  # n_chars of the one stored article (-1: none)
    load: float

    @property
    def ok(self) -> bool:
        return self.rc == 0 and self.stored_chars > 0


def budget_mib(n_bytes: int) -> float:
    return BUDGET_BASE_MIB + BUDGET_PER_INPUT * n_bytes / MIB


def run_item(exe: str, name: str, path: Path, db: Path, log: Path, src: str | None = None) -> ItemRun:
    """One ingest of ``path``; ``src``: a ``src`` folder to import newsgraph from instead (``PYTHONPATH``)."""
    cmd = [exe, "--db", str(db), "ingest", "--no-progress", "--no-analyze", str(path)]
    env = dict(os.environ, PYTHONPATH=src) if src else None
    load = os.getloadavg()[0]
    with open(log, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        sampler.stop()
    rc = os.waitstatus_to_exitcode(status)
    stored = -1
    if db.exists():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = con.execute("select n_chars from articles").fetchall()
        finally:
            con.close()
        stored = rows[0][0] if len(rows) == 1 else -1
    return ItemRun(name, path.stat().st_size, seconds, rc, usage.ru_maxrss / 1024, sampler.peak_kb / 1024, stored,
                   load)


def render_largest(runs: list[ItemRun], names: list[str], labels: dict[str, str], compare: str | None = None) -> str:
    by = {n: [r for r in runs if r.name == n] for n in names}
    lines = [
        "## Ingest: the largest accepted input (`bench/ingest.py --largest`)",
        "",
        f"Date: {_results.today()}. Machine: {_results.machine()}.",
        "",
        "`newsgraph --db <fresh>.db ingest --no-progress --no-analyze <file>` on one file at the size the input "
        "gate accepts (`Settings.max_bytes` = 50 MiB), beside a small file of the same kind as the baseline, "
        "in the same run. The texts are paragraphs of 3–6 sentences of 11–21 words, every sentence unique (the "
        "worst case for the story signature: every word 5-gram distinct); the HTML page holds the same kind of "
        "paragraphs as `<p>` elements. Runs alternate between the four inputs; the table gives medians. Every "
        "run exited 0 and stored the article whole.",
        "",
        f"Budget per item: peak RSS (largest process) at most **{BUDGET_BASE_MIB} MiB + {BUDGET_PER_INPUT} x the "
        f"input's size** (the interpreter and its libraries, plus 16 bytes per input byte: "
        f"{budget_mib(50 * MIB) / 1024:.2f} GiB at the 50 MiB limit).",
        "",
        "| Input | Size | Runs | Wall time | Peak RSS, largest process | Above the baseline | "
        "Above the baseline / input size | Peak RSS, whole tree | Budget | Holds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    med = {n: statistics.median(r.maxrss_mib for r in by[n]) for n in names}
    for n in names:
        rs = by[n]
        size = rs[0].n_bytes
        sec = statistics.median(r.seconds for r in rs)
        tree = statistics.median(r.tree_peak_mib for r in rs)
        worst = max(r.maxrss_mib for r in rs)
        b = budget_mib(size)
        base = n.replace("-large", "-small").removesuffix("-before")
        if base != n and base in med:
            above = f"+{med[n] - med[base]:.0f} MiB"
            per = f"{(med[n] - med[base]) / (size / MIB):.1f} x"
        else:
            above = per = "–"
        size_txt = f"{size / MIB:.1f} MiB" if size >= MIB else f"{size / 1024:.1f} KiB"
        lines.append(f"| {labels[n]} | {size_txt} | {len(rs)} | {sec:.1f} s | {med[n]:.0f} MiB | {above} | {per} | "
                     f"{tree:.0f} MiB | {b:.0f} MiB | {'yes' if worst <= b else '**no**'} |")
    lines += ["", "All runs, in the order they ran:", "",
              "| # | Input | Wall time | Largest process | Tree peak | Load avg at start |",
              "|---:|---|---:|---:|---:|---:|"]
    for i, r in enumerate(runs, 1):
        lines.append(f"| {i} | {labels[r.name]} | {r.seconds:.1f} s | {r.maxrss_mib:.0f} MiB | "
                     f"{r.tree_peak_mib:.0f} MiB | {r.load:.1f} |")
    if compare:
        lines += ["", f"The rows \"…, {compare}\" ran the same large files once each, after the others, with "
                  "newsgraph imported from an earlier source tree (`--compare-src`), for comparison."]
    lines += [
        "",
        "\"Holds\" compares the worst run with the budget. The largest-process figure is `ru_maxrss` from "
        "`os.wait4` on the command (it includes any children it waited for); the whole-tree figure is the summed "
        "RSS of the process tree sampled every 50 ms from `/proc` (it can miss a peak shorter than that). The "
        "small inputs show the fixed cost of the command (imports, the store, the language model).",
        "",
        "Reproduce: `.venv/bin/python bench/ingest.py --largest` (options: `--repeats 2`, `--text-mb 52`, "
        "`--html-mb 45`, `--keep`).",
    ]
    return "\n".join(lines)


def main_largest(args: argparse.Namespace) -> int:
    exe = newsgraph_exe()
    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-bench-largest-"))
    labels = {"text-small": "small text (baseline)", "text-large": "largest text",
              "html-small": "small HTML page (baseline)", "html-large": "large HTML page"}
    try:
        files = {
            "text-small": (tmp / "small.txt", write_unique_text(tmp / "small.txt", SMALL_BYTES)),
            "text-large": (tmp / "large.txt", write_unique_text(tmp / "large.txt", int(args.text_mb * 1e6))),
            "html-small": (tmp / "small.html", write_unique_html(tmp / "small.html", SMALL_BYTES)),
            "html-large": (tmp / "large.html", write_unique_html(tmp / "large.html", int(args.html_mb * 1e6))),
        }
        for n, (_path, size) in files.items():
            print(f"{n}: {size / MIB:.2f} MiB", flush=True)
        names = list(files)
        schedule = [(n, rep) for rep in range(args.repeats) for n in names]
        if args.compare_src:
            # the same large inputs through an earlier version of the code, once each, after the rest
            labels |= {f"{n}-before": f"{labels[n]}, {args.compare_label}" for n in ("text-large", "html-large")}
            files |= {f"{n}-before": files[n] for n in ("text-large", "html-large")}
            schedule += [("text-large-before", 0), ("html-large-before", 0)]
            names += ["text-large-before", "html-large-before"]
        runs: list[ItemRun] = []
        for n, rep in schedule:
            db = tmp / f"{n}-{rep}.db"
            src = args.compare_src if n.endswith("-before") else None
            run = run_item(exe, n, files[n][0], db, tmp / f"{n}-{rep}.stderr", src)
            runs.append(run)
            print(f"{n:>10} run {rep}: rc={run.rc} {run.seconds:6.1f} s largest process {run.maxrss_mib:6.0f} MiB"
                  f" tree {run.tree_peak_mib:6.0f} MiB stored {run.stored_chars} chars", flush=True)
            if not run.ok:
                log = (tmp / f"{n}-{rep}.stderr").read_text(errors="replace")[-2000:]
                print(f"FAILED: exit {run.rc}, stored {run.stored_chars}\n{log}", file=sys.stderr)
                return 1
            if not args.keep:
                for extra in ("", "-wal", "-shm"):
                    Path(str(db) + extra).unlink(missing_ok=True)
        md = render_largest(runs, names, labels, args.compare_label if args.compare_src else None)
        if args.no_write:
            print(md)
        else:
            _results.update_section("ingest_largest", md)
            print(f"wrote the ingest_largest section of {_results.RESULTS}")
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark `newsgraph ingest` on synthetic corpora.")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    ap.add_argument("--repeats", type=int, default=2, help="runs per size, alternating (default 2)")
    ap.add_argument("--extra-small", type=int, default=1,
                    help="extra runs of the smallest size at the end (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (corpora, stores, logs)")
    ap.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    ap.add_argument("--largest", action="store_true",
                    help="measure one item at the input limit (text and HTML) instead of corpora")
    ap.add_argument("--text-mb", type=float, default=52.0, help="size of the large text, MB (default 52: 49.6 MiB)")
    ap.add_argument("--html-mb", type=float, default=45.0, help="size of the large HTML page, MB (default 45)")
    ap.add_argument("--compare-src", help="with --largest: also run the large inputs once with newsgraph "
                    "imported from this src folder (an earlier version, e.g. from `git archive`)")
    ap.add_argument("--compare-label", default="before", help="how the --compare-src rows are labelled")
    args = ap.parse_args(argv)
    if args.largest:
        return main_largest(args)
    sizes = sorted({int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()})
    exe = newsgraph_exe()

    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-bench-ingest-"))
    runs: list[Run] = []
    failed = False
    try:
        gen: dict[int, synth.CorpusStats] = {}
        for s in sizes:
            gen[s] = synth.write_corpus(tmp / f"corpus-{s}", s, seed=args.seed)
            print(f"corpus {s}: {gen[s].n_bytes / 1e6:.1f} MB in {gen[s].seconds:.1f} s", flush=True)
        schedule = [(s, r) for r in range(args.repeats) for s in sizes]
        schedule += [(sizes[0], args.repeats + i) for i in range(args.extra_small)]
        for s, r in schedule:
            db = tmp / f"{s}-{r}.db"
            run = run_once(exe, tmp / f"corpus-{s}", db, s, r, tmp / f"{s}-{r}.stderr")
            runs.append(run)
            print(f"N={s:>6} run {r}: rc={run.rc} {run.seconds:7.1f} s {run.rate:7.1f} articles/s "
                  f"tree peak {run.tree_peak_mib:6.0f} MiB, largest process {run.maxrss_mib:6.0f} MiB, "
                  f"stored {run.stored}", flush=True)
            if not run.ok:
                failed = True
                log = (tmp / f"{s}-{r}.stderr").read_text(errors="replace")[-2000:]
                print(f"FAILED: exit {run.rc}, {run.stored} stored of {s}\n{json.dumps(run.summary)[:1000]}\n{log}",
                      file=sys.stderr)
                break
            if not args.keep:  # keep disk use flat; the corpus stays for the next run
                for extra in ("", "-wal", "-shm"):
                    Path(str(db) + extra).unlink(missing_ok=True)
        if failed:
            return 1
        md = render(runs, gen, sizes)
        if args.no_write:
            print(md)
        else:
            _results.update_section("ingest", md)
            print(f"wrote the ingest section of {_results.RESULTS}")
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
