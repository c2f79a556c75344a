#!/usr/bin/env python3
"""Events ("who did what to whom", PLOVER types) on ``events-dev``, with the keyword baseline in the same run.

1. ``newsgraph analyze --json --no-clean`` over every text of both subsets
   (``plover-gsr``: single sentences; ``wikievents-dev``: whole articles), one call.
2. The keyword baseline of the shared tools (``event_baselines.py``: a cue-word
   lexicon + capitalised runs as actors) over the same texts, and the same
   baseline with newsgraph's own entity mentions as its actors
   (``--ner newsgraph=...``).
3. ``event_eval.py --by-type`` on each subset and on both together; the scorer's
   tables go into the ``events`` section of bench/RESULTS.md as printed.

Headline figures (the scorer's docstring defines them): item-level type F1 and
type + actor + target F1, newsgraph next to the baseline; on WikiEvents also the
mention level (type + trigger overlap). Skips cleanly when the benchmark is
absent. Reproduce: ``.venv/bin/python bench/events.py [--keep DIR] [--no-write]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or REPO.parent / "shared")
GOLD = SHARED / "benchmarks" / "events-dev"
TOOLS = SHARED / "tools"
SUBSETS = ("plover-gsr", "wikievents-dev")


def run(cmd: list[str], out: Path | None = None) -> str:
    if out is None:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    with open(out, "w", encoding="utf-8") as fh:
        subprocess.run(cmd, stdout=fh, check=True)
    return ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", help="folder for the predictions")
    ap.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = ap.parse_args()
    if not GOLD.is_dir() or not (TOOLS / "event_eval.py").exists():
        print(f"{GOLD} absent: nothing to do")
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="ng-events-"))
    work.mkdir(parents=True, exist_ok=True)
    texts = sorted(str(p) for s in SUBSETS for p in (GOLD / s / "text").glob("*.txt"))
    ng, kw, kw_ng = work / "newsgraph.jsonl", work / "kw-caps.jsonl", work / "kw-newsgraph.jsonl"
    run([sys.executable, "-m", "newsgraph", "analyze", "--json", "--no-clean", *texts], ng)
    dirs = [str(GOLD / s / "text") for s in SUBSETS]
    run([sys.executable, str(TOOLS / "event_baselines.py"), "--out", str(kw), *dirs])
    run([sys.executable, str(TOOLS / "event_baselines.py"), "--out", str(kw_ng), "--ner", f"newsgraph={ng}", *dirs])
    preds = ["--pred", f"newsgraph={ng}", "--pred", f"kw+caps={kw}", "--pred", f"kw+newsgraph-ner={kw_ng}"]
    tables = []
    for name, gold in (("both subsets", GOLD), *((s, GOLD / s) for s in SUBSETS)):
        out = run([sys.executable, str(TOOLS / "event_eval.py"), "--gold", str(gold), *preds, "--by-type"])
        tables.append(f"**{name}**\n\n```\n{out.rstrip()}\n```\n")
    sys.path.insert(0, str(REPO / "bench"))
    from _results import machine, today, update_section

    body = "\n".join([
        "## Events: who did what to whom (`bench/events.py`)", "",
        f"{today()}, {machine()}. `events-dev` ({len(texts)} texts: PLOVER GSR sentences and WikiEvents dev "
        "articles), scored by `shared/tools/event_eval.py --by-type`; `kw+caps` is the shared keyword "
        "baseline run in the same call, `kw+newsgraph-ner` the same baseline with newsgraph's entity "
        "mentions as its actors. Goals (issue 11, held-out halves): type F1 ≥ 0.70, type + actor + "
        "target F1 ≥ 0.55, WikiEvents mention-level type F1 ≥ 0.50.", "",
        *tables,
        "Reproduce: `.venv/bin/python bench/events.py`."])
    print(body)
    if not args.no_write:
        update_section("events", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
