#!/usr/bin/env python3
"""Extraction benchmark: newsgraph vs bare trafilatura on extraction-dev.

Runs, alternating the order each round (the machine is noisy):

* ``newsgraph extract --json FILE...``: ONE subprocess over all pages; wall
  clock, start-up, gunzip and JSON output included. A file that fails prints
  nothing on stdout and is scored as empty.
* newsgraph in-process: ``newsgraph.extract.extract`` over the same pages in a
  fresh process, timing the extraction loop only (pages decoded beforehand).
* bare ``trafilatura.extract(html)``, default settings, the same way (one
  fresh process, extraction loop timed; the process wall clock is kept too).

Each output is scored with ``../shared/tools/extraction_eval.py`` on all
pages and on two fixed halves of the dev ids (sha256(id) second hex digit
even = "tune", odd = "check"; the first digit already split dev from test).
Figures are medians over the rounds; the section ``extraction`` of
bench/RESULTS.md is rewritten through ``bench/_results.py``.

Paths: the shared directory is ``<repo>/../shared`` or ``$NEWSGRAPH_SHARED``;
when its benchmark is absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or REPO.parent / "shared")
BENCH = SHARED / "benchmarks" / "extraction-dev"
SCORER = SHARED / "tools" / "extraction_eval.py"
SYSTEMS = ("newsgraph-cli", "newsgraph-inproc", "trafilatura", "trafilatura-body")
sys.path.insert(0, str(REPO / "bench"))
from _results import half  # noqa: E402


def page_id(path: str | Path) -> str:
    name = Path(path).name
    return name[: -len(".html.gz")] if name.endswith(".html.gz") else Path(name).stem


# --------------------------------------------------------------------------- worker (child process)
def _timed(fn, pages: list[tuple[str, str]]) -> tuple[dict[str, str], float, float]:
    """Run ``fn(path, html) -> text`` over pages: (predictions, wall s, CPU s)."""
    fn(*pages[0])  # warm-up (lazy imports, caches), untimed
    pred: dict[str, str] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    for f, html in pages:
        pred[page_id(f)] = fn(f, html)
    return pred, time.perf_counter() - wall, time.process_time() - cpu


def _worker(system: str, out: str, files: list[str]) -> int:
    pages = [(f, gzip.decompress(Path(f).read_bytes()).decode("utf-8", "replace")) for f in files]
    result: dict[str, object] = {}
    if system == "trafilatura":
        import trafilatura

        pred, wall, cpu = _timed(lambda _f, html: trafilatura.extract(html) or "", pages)
        # the body alone (what the published 0.966 measures): comments off
        body_pred, b_wall, b_cpu = _timed(
            lambda _f, html: trafilatura.extract(html, include_comments=False) or "", pages)
        result |= {"body_seconds": b_wall, "body_cpu": b_cpu, "body_pred": body_pred}
    else:
        from newsgraph.errors import ExtractionRejected
        from newsgraph.extract import extract
        from newsgraph.extract.html import extract_html
        from newsgraph.types import RawDocument

        def run(f: str, html: str) -> str:
            try:
                return extract(RawDocument(source=f, kind="html", data=html)).text
            except ExtractionRejected:
                return ""

        _, h_wall, h_cpu = _timed(lambda _f, html: extract_html(html).body, pages)
        result |= {"html_seconds": h_wall, "html_cpu": h_cpu}
        pred, wall, cpu = _timed(run, pages)
    result |= {"seconds": wall, "cpu": cpu, "pred": pred}
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- parent
def _run_child(system: str, files: list[str], tmp: Path) -> tuple[dict[str, str], dict[str, float]]:
    """(predictions, timings: the worker's own plus the process wall clock)."""
    out = tmp / f"{system}.worker.json"
    start = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--worker", system, "--out", str(out), *files],
                   check=True, cwd=REPO, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    data = json.loads(out.read_text(encoding="utf-8"))
    pred = data.pop("pred")
    if "body_pred" in data:
        pred = {"": pred, "body": data.pop("body_pred")}  # type: ignore[dict-item]
    return pred, {**data, "process": wall}


def _run_cli(files: list[str], workers: int | None = 1) -> tuple[dict[str, str], float, int]:
    start = time.perf_counter()
    opts = ["--workers", str(workers)] if workers else []
    proc = subprocess.run([sys.executable, "-m", "newsgraph", "extract", "--json", *opts, *files],
                          capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    pred = {page_id(f): "" for f in files}
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and obj.get("source"):
            pred[page_id(obj["source"])] = obj.get("text") or ""
    failed = sum(1 for v in pred.values() if not v)
    return pred, wall, failed


def _score(pred: dict[str, str], tmp: Path, name: str, ids_files: dict[str, Path]) -> dict[str, dict[str, float]]:
    pred_file = tmp / f"{name}.pred.json"
    pred_file.write_text(json.dumps({k: {"articleBody": v} for k, v in pred.items()}), encoding="utf-8")
    out: dict[str, dict[str, float]] = {}
    for label, ids_file in ids_files.items():
        cmd = [sys.executable, str(SCORER), "--truth", str(BENCH / "ground-truth.json"),
               "--pred", str(pred_file), "--json", "--missing-as-empty"]
        if label != "all":
            cmd += ["--ids", str(ids_file)]
        res = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        out[label] = {k: res[k] for k in ("f1", "precision", "recall", "accuracy", "n")}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="alternating rounds (median reported)")
    ap.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    ap.add_argument("--worker", choices=("newsgraph", "trafilatura"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.out, args.files)

    if not (BENCH / "ground-truth.json").exists() or not SCORER.exists():
        print(f"extraction bench skipped: {BENCH} (or its scorer) not found; set NEWSGRAPH_SHARED")
        return 0
    files = sorted(str(p) for p in (BENCH / "html").glob("*.html.gz"))
    if not files:
        print(f"extraction bench skipped: no pages in {BENCH / 'html'}")
        return 0
    n = len(files)
    timings: dict[str, list[float]] = {k: [] for k in (
        "cli_wall", "cli2_wall", "ours_loop", "ours_cpu", "html_loop", "html_cpu", "ours_wall",
        "base_loop", "base_cpu", "base_wall", "body_loop")}
    scores: dict[str, list[dict[str, dict[str, float]]]] = {s: [] for s in SYSTEMS}
    cli_failed = 0
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ng-bench-") as tmpdir:
        tmp = Path(tmpdir)
        ids = [page_id(f) for f in files]
        ids_files = {"all": tmp / "all.ids"}
        for label in ("tune", "check"):
            ids_files[label] = tmp / f"{label}.ids"
            ids_files[label].write_text("\n".join(i for i in ids if half(i) == label) + "\n")
        for r in range(max(1, args.runs)):
            order = ["cli", "cli2", "ours", "base"] if r % 2 == 0 else ["base", "ours", "cli2", "cli"]
            for what in order:
                if what == "cli2":
                    _, wall, _ = _run_cli(files, workers=None)
                    timings["cli2_wall"].append(wall)
                elif what == "cli":
                    pred, wall, cli_failed = _run_cli(files)
                    timings["cli_wall"].append(wall)
                    scores["newsgraph-cli"].append(_score(pred, tmp, "cli", ids_files))
                elif what == "ours":
                    pred, t = _run_child("newsgraph", files, tmp)
                    timings["ours_loop"].append(t["seconds"])
                    timings["ours_cpu"].append(t["cpu"])
                    timings["html_loop"].append(t["html_seconds"])
                    timings["html_cpu"].append(t["html_cpu"])
                    timings["ours_wall"].append(t["process"])
                    scores["newsgraph-inproc"].append(_score(pred, tmp, "ours", ids_files))
                else:
                    preds, t = _run_child("trafilatura", files, tmp)
                    timings["base_loop"].append(t["seconds"])
                    timings["base_cpu"].append(t["cpu"])
                    timings["base_wall"].append(t["process"] - t["body_seconds"])  # default loop only
                    timings["body_loop"].append(t["body_seconds"])
                    scores["trafilatura"].append(_score(preds[""], tmp, "base", ids_files))
                    scores["trafilatura-body"].append(_score(preds["body"], tmp, "body", ids_files))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in timings.items()), flush=True)

    load_end = os.getloadavg()[0]
    med = {k: statistics.median(v) for k, v in timings.items()}
    pps = {k: n / v for k, v in med.items()}

    def mscore(system: str, label: str, key: str) -> float:
        return statistics.median(s[label][key] for s in scores[system])

    lines = [
        "## Extraction (HTML -> article body)",
        "",
        f"`bench/extraction.py`, {today()}, {machine()}.",
        f"{n} pages of `extraction-dev` (scrapinghub article-extraction-benchmark, dev half); "
        f"scorer `shared/tools/extraction_eval.py`; medians over {len(timings['cli_wall'])} alternating rounds. "
        "Halves: sha256(id) 2nd hex digit even = tune (44 pages), odd = check (35). The post-pass rules were "
        "written from the tune half's errors; on the check half only the lines the rules removed wrongly were "
        "looked at (twice), which led to three fixes (URL-text links, the duplicate rule, no 'Graphic:' credit), "
        "so check is mostly, not perfectly, unseen. No per-site rules. The standfirst (``html_lead``) is kept "
        "in the body, as trafilatura's own evaluation gold keeps leads; this benchmark's gold leaves short "
        "\"deks\" out (about -0.002 F1 on the check half).",
        f"Load average (1 min) at the start / end of the run: {load_start:.1f} / {load_end:.1f} "
        "(2 cores, shared machine).",
        "",
        "| system | F1 all | P | R | F1 tune | F1 check | pages/s |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [
        ("newsgraph `extract --json --workers 1` (1 subprocess, wall incl. start-up)", "newsgraph-cli",
         pps["cli_wall"]),
        ("newsgraph in-process (`extract()` loop)", "newsgraph-inproc", pps["ours_loop"]),
        ("trafilatura 2.3.1 `extract(html)` default (in-process loop) = **baseline**", "trafilatura",
         pps["base_loop"]),
        ("trafilatura 2.3.1 `extract(html, include_comments=False)` (body only)", "trafilatura-body",
         pps["body_loop"]),
    ]
    for label, system, speed in rows:
        lines.append(
            f"| {label} | {mscore(system, 'all', 'f1'):.4f} | {mscore(system, 'all', 'precision'):.4f} | "
            f"{mscore(system, 'all', 'recall'):.4f} | {mscore(system, 'tune', 'f1'):.4f} | "
            f"{mscore(system, 'check', 'f1'):.4f} | {speed:.1f} |"
        )
    def ms(key: str) -> str:
        return f"{1000 * med[key] / n:.1f}"

    lines += [
        "",
        "Throughput ratio newsgraph / trafilatura (same run; >= 0.80 is the goal):",
        "",
        f"- in-process, `extract()` (whole driver: HTML extraction + language id + id hash): "
        f"wall **{med['base_loop'] / med['ours_loop']:.2f}** ({ms('ours_loop')} vs {ms('base_loop')} ms/page), "
        f"CPU time **{med['base_cpu'] / med['ours_cpu']:.2f}** ({ms('ours_cpu')} vs {ms('base_cpu')} CPU-ms/page);",
        f"- in-process, `extract_html()` alone: wall **{med['base_loop'] / med['html_loop']:.2f}** "
        f"({ms('html_loop')} ms/page), CPU **{med['base_cpu'] / med['html_cpu']:.2f}** ({ms('html_cpu')} CPU-ms/page);",
        f"- whole processes (CLI wall {med['cli_wall']:.2f} s vs a trafilatura process over the same files "
        f"{med['base_wall']:.2f} s; both include interpreter start-up, imports and gunzip; the trafilatura process "
        f"also includes one untimed warm-up page): **{med['base_wall'] / med['cli_wall']:.2f}**.",
        f"- the CLI with its default of up to 2 extraction processes (same output, input order kept): "
        f"{med['cli2_wall']:.2f} s, **{med['base_wall'] / med['cli2_wall']:.2f}** × the trafilatura process.",
        f"- CLI pages with no output (scored empty): {cli_failed}.",
        f"- F1 gain over trafilatura in the same run: {mscore('newsgraph-cli', 'all', 'f1') - mscore('trafilatura', 'all', 'f1'):+.4f} "
        f"(tune {mscore('newsgraph-cli', 'tune', 'f1') - mscore('trafilatura', 'tune', 'f1'):+.4f}, "
        f"check {mscore('newsgraph-cli', 'check', 'f1') - mscore('trafilatura', 'check', 'f1'):+.4f}).",
        f"- F1 gain over trafilatura body-only: {mscore('newsgraph-cli', 'all', 'f1') - mscore('trafilatura-body', 'all', 'f1'):+.4f} "
        f"(tune {mscore('newsgraph-cli', 'tune', 'f1') - mscore('trafilatura-body', 'tune', 'f1'):+.4f}, "
        f"check {mscore('newsgraph-cli', 'check', 'f1') - mscore('trafilatura-body', 'check', 'f1'):+.4f}).",
        "- Published on these 79 pages: rs_trafilatura 0.974, Zyte 0.971, trafilatura 2.3.1 0.966 "
        "(body only, as in the last row; `extract()` with its default `include_comments=True` appends reader "
        "comments, hence the lower baseline row), readability-lxml 0.963.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _results import update_section

        update_section("extraction", text)
    return 0


def today() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _results import today as _today

    return _today()


def machine() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _results import machine as _machine

    return _machine()


if __name__ == "__main__":
    sys.exit(main())
