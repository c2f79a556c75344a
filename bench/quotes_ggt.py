#!/usr/bin/env python3
"""Quotes the way the Gender Gap Tracker scores its own extractor, on ``attribution-ggt-dev``.

Runs ``newsgraph analyze --json --no-clean`` over the dev texts once per
selection (``shown``: what a reader sees by default, statements not negated with
confidence >= quote_threshold; ``statements``: ``--min-confidence 0``; ``all``:
``--kind all --min-confidence 0``), scores each with
``shared/tools/ggt_eval.py`` (mapping ``ggt``, overlap > 0.3 and > 0.8), and
prints GGT's published figures beside them (measured by that project on its own
copy of the whole set: context, not a same-gold comparison). With
``--baseline-src DIR`` (a checkout's ``src``, e.g. a worktree of an earlier
commit) the same texts are analysed by that code in the same run (its default
output) and scored the same way. Writes the ``ggt`` section of
bench/RESULTS.md. Skips cleanly when the benchmark is absent.

Reproduce: ``.venv/bin/python bench/quotes_ggt.py [--baseline-src /tmp/base/src]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or REPO.parent / "shared")
GOLD = SHARED / "benchmarks" / "attribution-ggt-dev"
SCORER = SHARED / "tools" / "ggt_eval.py"
PY = REPO / ".venv" / "bin" / "python"
SELECTIONS = {"shown": [], "statements": ["--min-confidence", "0"], "all": ["--kind", "all", "--min-confidence", "0"]}


def analyse(out: Path, selection: str | None, src: str | None = None) -> None:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    cmd = [str(PY), "-m", "newsgraph", "analyze", "--json", "--no-clean"]
    cmd += SELECTIONS.get(selection or "", [])
    cmd += sorted(map(str, (GOLD / "text").glob("*.txt")))
    with open(out, "w", encoding="utf-8") as fh:
        subprocess.run(cmd, stdout=fh, env=env, check=False)


def score(pred: Path) -> dict:
    js = pred.with_suffix(".scores.json")
    subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred), "--json", str(js)],
                   capture_output=True, check=True)
    res = json.loads(js.read_text())
    return next(r for r in res["results"] if r["mapping"] == "ggt") | {"_published": res["ggt_published"]}


def row(name: str, r: dict) -> str:
    t3, t8 = r["thresholds"]["0.3"], r["thresholds"]["0.8"]
    ent = t3.get("entity_match")
    ent_s = f"{ent:.1f}" if isinstance(ent, (int, float)) else "–"
    return (f"| {name} | {t3['precision']:.1f} | {t3['recall']:.1f} | **{t3['f1']:.1f}** | "
            f"{t3['speaker_match']:.1f} | {ent_s} | {t8['precision']:.1f} / {t8['recall']:.1f} / {t8['f1']:.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline-src", help="an earlier checkout's src/ to analyse the same texts side by side")
    ap.add_argument("--keep", help="folder for predictions and scores")
    ap.add_argument("--no-results", action="store_true")
    args = ap.parse_args()
    if not GOLD.is_dir() or not SCORER.exists():
        print(f"{GOLD} absent: nothing to do")
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="ng-ggt-"))
    work.mkdir(parents=True, exist_ok=True)
    rows, scores = [], {}
    for sel in ("shown", "statements", "all"):
        analyse(work / f"{sel}.jsonl", sel)
        scores[sel] = score(work / f"{sel}.jsonl")
    if args.baseline_src:
        analyse(work / "baseline.jsonl", None, args.baseline_src)
        scores["baseline"] = score(work / "baseline.jsonl")
    for name, pub in scores["shown"]["_published"].items():
        p3, p8 = pub["0.3"], pub["0.8"]
        rows.append(f"| {name} (published, own copy of all 98 articles) | {p3['precision']:.1f} | {p3['recall']:.1f} | "
                    f"{p3['f1']:.1f} | {p3['speaker_match']:.1f} | – | {p8['precision']:.1f} / {p8['recall']:.1f} / "
                    f"{p8['f1']:.1f} |")
    rows.append(row("**newsgraph, shown** (default: statements, not negated, confidence ≥ 0.5)", scores["shown"]))
    rows.append(row("newsgraph, every statement (`--min-confidence 0`)", scores["statements"]))
    rows.append(row("newsgraph, every record (`--kind all --min-confidence 0`)", scores["all"]))
    if "baseline" in scores:
        from _results import revision

        rev = revision(args.baseline_src)
        rows.append(row(f"earlier code (`{rev}`, its default output), same run", scores["baseline"]))
    sys.path.insert(0, str(REPO / "bench"))
    from _results import machine, today, update_section

    body = ["## Quotes, scored as the Gender Gap Tracker scores its own (`bench/quotes_ggt.py`)", "",
            f"{today()}, {machine()}. `attribution-ggt-dev` (44 articles, 642 gold quotes), "
            "`shared/tools/ggt_eval.py`, mapping `ggt`. Columns at overlap > 0.3 unless said; speaker = "
            "speaker span match over matched quotes; entity = resolved `source.entity` equals the gold "
            "full name.", "",
            "| system | P | R | F1 | speaker | entity | P / R / F1 at 0.8 |", "|---|---|---|---|---|---|---|",
            *rows, "",
            "Goals (held-out half): P ≥ 0.87, F1 ≥ 0.86, speaker ≥ 0.93, entity ≥ 0.85.",
            "", "Reproduce: `.venv/bin/python bench/quotes_ggt.py --baseline-src <worktree>/src`."]
    print("\n".join(body))
    if not args.no_results:
        update_section("ggt", "\n".join(body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
