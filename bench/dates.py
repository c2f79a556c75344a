"""Benchmark: publication dates on htmldate's evaluation pages (``dates-dev``).

Runs the shared scorer ``../shared/tools/date_eval.py`` once: ``newsgraph
extract --json`` over every page with its URL (one batch) and, in the same
run, htmldate itself in fast and extensive mode (``--htmldate-python``: this
interpreter, which has the htmldate newsgraph pins). Figures for all pages,
and for two fixed halves of the dev ids (``sha256(id)`` *third* hex digit
even = "tune", odd = "check": the second digit already split dev from test,
so every dev id has an even one). Also: how often each ``published_source``
was given and how often it was right (what ``published_confidence`` reads).
A page newsgraph refuses as not an article prints no record; it is scored by
the day newsgraph logged for it (``newsgraph ingest`` of those pages into a
scratch store, then ``newsgraph failures --json``: the pipeline's own path),
since no page may lose its date by being refused.

Also: a reliability table of `published_confidence` on the check half (bins of confidence against
the share of right days). `--sources`: only the per-source table (`bench/date_sources.py`).

Skips (exit 0) when the shared benchmark is absent. ``NEWSGRAPH_SHARED``
overrides the location of ``shared/``. Writes the ``dates`` section of
bench/RESULTS.md; ``--no-write`` leaves it alone.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _results import half as split_half  # noqa: E402
from _results import machine, shared_dir, today, update_section  # noqa: E402


def half(doc_id: str) -> str:
    return split_half(doc_id, digit=2)  # dates-dev ids share their second digit


def newsgraph_cmd() -> str:
    exe = Path(sys.executable).with_name("newsgraph")
    return str(exe) if exe.exists() else "newsgraph"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.startswith("{")]


def refused_days(work: Path, lines: list[int]) -> dict[int, tuple[str | None, str]]:
    """Page line -> (day, kind) newsgraph logged for each page it refused: those pages go through
    ``newsgraph ingest`` into a scratch store and the day is read back from ``newsgraph failures``,
    the pipeline's own log, so a refused page is scored by the day a user would find there."""
    if not lines:
        return {}
    pages = (work / "pages.jsonl").read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 in pages
    subset, db = work / "refused.jsonl", str(work / "refused.db")
    subset.write_text("".join(pages[n - 1] + "\n" for n in lines), encoding="utf-8")
    subprocess.run([newsgraph_cmd(), "--db", db, "ingest", "--no-analyze", "--no-progress", str(subset)],
                   capture_output=True, text=True, cwd=REPO)
    out = subprocess.run([newsgraph_cmd(), "--db", db, "failures", "--json", "--limit", "100000"],
                         capture_output=True, text=True, cwd=REPO, check=True)
    days = {}
    for row in json.loads(out.stdout)["failures"]:
        k = int(row["source"].rsplit(":", 1)[-1]) - 1
        days[lines[k]] = ((row.get("published") or "")[:10] or None, row.get("kind") or row["code"])
    return days


def predictions(work: Path, gold: list[dict]) -> dict[str, dict[str, str | None]]:
    """system -> id -> day, from the scorer's work folder (records are numbered in gold order);
    a page newsgraph refused is scored by the day its failure log line gives (``refused_days``)."""
    ours: dict[str, str | None] = {g["id"]: None for g in gold}
    sources: dict[str, str | None] = {}
    confidence: dict[str, float | None] = {}
    for rec in read_jsonl(work / "newsgraph_url.jsonl"):
        n = int(str(rec.get("source", "")).rsplit(":", 1)[-1]) - 1
        ours[gold[n]["id"]] = (rec.get("published") or "")[:10] or None
        sources[gold[n]["id"]] = rec.get("published_source")
        confidence[gold[n]["id"]] = rec.get("published_confidence")
    missing = [n for n, g in enumerate(gold, 1) if g["id"] not in sources]
    refused = {}
    for n, (day, kind) in refused_days(work, missing).items():
        gid = gold[n - 1]["id"]
        ours[gid] = day
        refused[gid] = kind
    out = {"newsgraph": ours, "_sources": sources, "_refused": refused, "_confidence": confidence}
    for rec in read_jsonl(work / "htmldate.jsonl"):
        gid = gold[rec["n"] - 1]["id"]
        out.setdefault("htmldate fast", {})[gid] = rec.get("fast_with_url")
        out.setdefault("htmldate extensive", {})[gid] = rec.get("with_url")
    return out


#: Lower edges of the reliability table's confidence bins.
BINS = (0.0, 0.7, 0.85, 0.9, 0.95)


def reliability(pred: dict[str, str | None], confidence: dict[str, float | None], gold: list[dict]) -> list[str]:
    """Markdown rows: per confidence bin, the dates given, their mean confidence and the share right."""
    rows = []
    for lo, hi in zip(BINS, (*BINS[1:], 1.01), strict=True):
        got = [g for g in gold if pred.get(g["id"]) and lo <= (confidence.get(g["id"]) or -1) < hi]
        if got:
            mean = sum(confidence[g["id"]] or 0 for g in got) / len(got)
            rows.append(f"| {lo:.2f}-{min(hi, 1):.2f} | {len(got)} | {mean:.3f} | {accuracy(pred, got):.3f} |")
    return rows


def accuracy(pred: dict[str, str | None], gold: list[dict]) -> float:
    return sum(pred.get(g["id"]) == g["date"] for g in gold) / max(1, len(gold))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--sources", action="store_true",
                    help="only the per-source table of the tune halves (bench/date_sources.py)")
    args = ap.parse_args(argv)
    if args.sources:
        import date_sources

        return date_sources.main([])
    shared = shared_dir()
    data, tool = shared / "benchmarks" / "dates-dev", shared / "tools" / "date_eval.py"
    if not (data / "gold.jsonl").exists() or not tool.exists():
        print(f"dates: skipped, benchmark not found under {shared}")
        return 0
    load_before = os.getloadavg()[0]
    gold = read_jsonl(data / "gold.jsonl")
    gold_day = {g["id"]: g["date"] for g in gold}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run = subprocess.run([sys.executable, str(tool), "--data", str(data), "--newsgraph", newsgraph_cmd(),
                              "--htmldate-python", sys.executable, "--work", str(work),
                              "--json", str(work / "figures.json")], capture_output=True, text=True, cwd=REPO)
        if run.returncode != 0:
            print(run.stdout[-2000:], run.stderr[-2000:])
            return 1
        figures = json.loads((work / "figures.json").read_text())
        preds = predictions(work, gold)
    sources = preds.pop("_sources")
    refused = preds.pop("_refused")
    confidence = preds.pop("_confidence")
    halves = {"all": gold, "tune": [g for g in gold if half(g["id"]) == "tune"],
              "check": [g for g in gold if half(g["id"]) == "check"]}
    rows = [f"| {name} | {len(gs)} | " + " | ".join(f"{accuracy(preds[s], gs):.3f}" for s in preds) + " |"
            for name, gs in halves.items()]
    by_source = collections.Counter()
    right = collections.Counter()
    for g in gold:
        src = sources.get(g["id"])
        if src:
            by_source[src] += 1
            right[src] += preds["newsgraph"].get(g["id"]) == g["date"]
    timings = figures.get("timings_s", {})
    ours, ext = accuracy(preds["newsgraph"], gold), accuracy(preds["htmldate extensive"], gold)
    body = "\n".join([
        "## dates (dates-dev: htmldate's evaluation pages, development half)",
        "",
        f"{today()}, {machine()}. `bench/dates.py`: `../shared/tools/date_eval.py` with newsgraph"
        " (`extract --json`, pages with their URL) and htmldate (this venv's pinned version, with the URL)"
        " in the same run. Exact-day accuracy (a page without a gold date is right when no date is given).",
        "",
        "| split | pages | " + " | ".join(preds) + " |",
        "|---|---|" + "---|" * len(preds),
        *rows,
        "",
        f"newsgraph / htmldate extensive (all): {ours / ext:.3f}x. Wall time, s: "
        + ", ".join(f"{k} {v}" for k, v in timings.items())
        + f" (machine shared: load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end).",
        "",
        "Gap tune - check: " + ", ".join(
            f"{s} {accuracy(preds[s], halves['tune']) - accuracy(preds[s], halves['check']):+.3f}" for s in preds) + ".",
        "",
        f"Refused as not articles (scored by the day in their failure log line): {len(refused)} pages, "
        f"{sum(preds['newsgraph'][gid] == gold_day[gid] for gid in refused)} with the right day: " + ", ".join(
            f"{gid} {kind} ({'right' if preds['newsgraph'][gid] == gold_day[gid] else 'wrong'})"
            for gid, kind in sorted(refused.items())) + ".",
        "",
        "published_source (all pages): " + ", ".join(
            f"{s} {n} ({right[s] / n:.2f} right)" for s, n in by_source.most_common()) + ".",
        "",
        "published_confidence on the check half (estimated from the tune halves' counts,"
        " src/newsgraph/extract/data/date_confidence.json; refused pages have none):",
        "",
        "| confidence | dates | mean confidence | right |",
        "|---|---|---|---|",
        *reliability(preds["newsgraph"], confidence, halves["check"]),
    ])
    print(body)
    if not args.no_write:
        update_section("dates", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
