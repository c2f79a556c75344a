#!/usr/bin/env python3
"""Fit and check the attribution confidence model (``newsgraph/analyze/confidence.py``).

1. Predictions: ``newsgraph analyze --json --no-clean --kind all --min-confidence 0`` over
   PolNeAR train, PolNeAR dev and the GGT dev texts (one CLI call each, or
   ``--keep DIR`` to reuse earlier outputs there).
2. Labels: a record of PolNeAR is *right* when the PolNeAR scorer's attribution
   criterion (``shared/tools/attribution_eval.py``: content mutual coverage of at
   least half, source overlapping or both absent) pairs it with a gold
   attribution, greedy one to one by Jaccard; nested records are scored like any
   other, except a reporting chain's inner record (source X, via Y), which is right
   when its outer relay record is (PolNeAR annotates the outermost link only). A record of GGT dev (statements only, as shown) is right when one of its
   fragments is matched to a gold quote the way ``shared/tools/ggt_eval.py`` does
   (overlap > 0.3, mapping ``ggt``) **and** its speaker span matches.
3. Fit (``--fit``, train only): L2 logistic regression (Newton) on the features
   of ``confidence.features``, then an isotonic map fitted on 5-fold out-of-fold
   scores of train (so the map corrects what the logistic shape cannot, without
   seeing its own fit); writes ``src/newsgraph/analyze/data/confidence_en.json``.
4. Check: reliability tables (bins of 0.1: n, stated mean confidence, observed
   precision, gap) on PolNeAR dev (all records) and GGT dev (statements), with
   the fixed frame priors of the session-start finder (``--baseline-priors``
   reads them from the same records' prior confidence, i.e. the output of a
   finder without the weights file) side by side when given; writes the
   ``calibration`` section of bench/RESULTS.md.

The goal (issue 10): in every bin with at least 30 records the observed precision
is within 0.07 of the stated confidence; records at confidence >= 0.8 are right
at least 90% of the time. Skips cleanly when the benchmarks are absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
from newsgraph.analyze import confidence as conf  # noqa: E402

SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or REPO.parent / "shared")
POLNEAR = SHARED / "benchmarks" / "attribution-polnear"
GGT = SHARED / "benchmarks" / "attribution-ggt-dev"
TOOLS = SHARED / "tools"
MIN_BIN = 30
TOLERANCE = 0.07


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_newsgraph(texts: list[Path], out: Path) -> None:
    if out.exists() and out.stat().st_size:
        return
    cmd = [str(REPO / ".venv" / "bin" / "newsgraph"), "analyze", "--json", "--no-clean", "--kind", "all", "--min-confidence", "0",
           *map(str, texts)]
    with open(out, "w", encoding="utf-8") as fh:
        subprocess.run(cmd, stdout=fh, check=False)


def read_jsonl(path: Path) -> dict[str, dict]:
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            out[Path(d["source"].split(":")[0]).name[:-4]] = d
    return out


def records(doc: dict) -> list[dict]:
    """The JSON attributions back in the finder's dict form (what ``confidence.features`` reads)."""
    out = []
    for a in doc["attributions"]:
        c = a["content"]
        span = lambda s: [s["start"], s["end"]] if s else None  # noqa: E731
        out.append({"kind": a["kind"], "cue": span(a.get("cue")), "content": [c["start"], c["end"]],
                    "content_spans": c.get("spans") or [[c["start"], c["end"]]], "source": span(a.get("source")),
                    "via": span(a.get("via")), "statement": a.get("statement", True),
                    "negated": a.get("negated", False), "frame": a.get("frame"), "category": a.get("category"),
                    "confidence": a.get("confidence"), "source_entity": (a.get("source") or {}).get("entity")})
    return out


# --------------------------------------------------------------------------- labels
def polnear_labels(split: Path, preds: dict[str, dict]) -> tuple[list[list[float]], list[int], list[dict]]:
    ev = _tool("attribution_eval")
    names = sorted(preds)
    gold = ev.load_gold(str(split), names)
    X, y, prior = [], [], []
    for name in names:
        doc, g = preds[name], gold[name]
        recs = records(doc)
        if not recs:
            continue
        toks = ev.Tokens(g["text"])
        G = []
        for a in g["attributions"]:
            gc = toks.of(a["content"])
            gap = (toks.of([(a["content"][0][0], max(e for _, e in a["content"]))]) - gc) \
                if len(a["content"]) > 1 else frozenset()
            G.append({"content": gc, "gap": gap, "source": toks.of(a["source"]), "null_source": a["source"] is None})
        P = [{"content": toks.of(r["content_spans"]), "source": toks.of([r["source"]] if r["source"] else None)}
             for r in recs]
        cands = []
        for i, p in enumerate(P):
            for j, gg in enumerate(G):
                inter = len(p["content"] & gg["content"])
                if not inter or inter < 0.5 * len(p["content"] - gg["gap"]) or inter < 0.5 * len(gg["content"]):
                    continue
                if (not p["source"]) != gg["null_source"]:
                    continue
                if p["source"] and not (p["source"] & gg["source"]):
                    continue
                cands.append((-inter / len(p["content"] | gg["content"]), i, j))
        used_p, used_g = set(), set()
        for _, i, j in sorted(cands):
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
        X.extend(conf.features(recs, doc["text"]))
        y.extend(int(i in used_p or _relay_right(i, recs, used_p)) for i in range(len(recs)))
        prior.extend(recs)
    return X, y, prior


def _relay_right(i: int, recs: list[dict], right: set[int]) -> bool:
    """A chain's inner record (source X, via Y) is right when its relay record (source Y,
    content holding the inner cue) is: PolNeAR annotates only the outermost attribution
    of a chain, newsgraph shows the chain as the inner record with its via."""
    r = recs[i]
    if not r["via"] or not r["cue"]:
        return False
    return any(k in right and o["source"] == r["via"] and o["content"][0] <= r["cue"][0]
               and r["cue"][1] <= o["content"][1] for k, o in enumerate(recs) if k != i)


def ggt_labels(preds: dict[str, dict]) -> tuple[list[list[float]], list[int], list[dict]]:
    """Features, labels and records of the GGT dev statements (as shown)."""
    ge = _tool("ggt_eval")
    gold = ge.load_gold(str(GGT))
    X, y, prior = [], [], []
    for doc_id, g in gold.items():
        doc = preds.get(doc_id)
        if doc is None:
            continue
        keep = [a for a in doc["attributions"] if a.get("statement", True) and not a.get("negated")]
        sub = dict(doc, attributions=keep)
        conv = ge.convert(sub, "ggt")
        res = ge.compare_res(g["quotes"], conv, 0.3)
        right = {(p["quote_index"], p["speaker_index"]) for _, p, st in res["pairs"] if st["speaker_match"]}
        recs = records(sub)
        feats = conf.features(recs, doc["text"])
        nested = ge.nested_ids(keep)
        for i, (a, r, x) in enumerate(zip(keep, recs, feats, strict=True)):
            head = ge.cue_head((a.get("cue") or {}).get("text"))
            if i in nested or a.get("kind") != "direct" and head in ge.NON_SPEECH:
                continue  # not a GGT quote under its own mapping: not scored there
            src = a.get("source")
            sidx = f"({src['start']},{src['end']})" if src else ""
            frs = ge.fragments(a["content"])
            ok = any((f"({s},{e})", sidx) in right for s, e in frs)
            X.append(x)
            y.append(int(ok))
            prior.append(r)
    return X, y, prior


# --------------------------------------------------------------------------- fitting
def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 0.0  # no penalty on the bias
    for _ in range(iters):
        z = np.clip(X @ w, -30, 30)
        p = 1 / (1 + np.exp(-z))
        grad = X.T @ (p - y) + reg * w
        h = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg) + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_isotonic(p: np.ndarray, y: np.ndarray, max_points: int = 40) -> list[list[float]]:
    """Pool-adjacent-violators on (score, label); returns at most ``max_points`` knots."""
    order = np.argsort(p)
    ps, ys = p[order], y[order].astype(float)
    blocks: list[list[float]] = []  # [sum_y, n, mean_x]
    for xv, yv in zip(ps, ys, strict=True):
        blocks.append([yv, 1.0, xv])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, n, x = blocks.pop()
            s0, n0, x0 = blocks.pop()
            blocks.append([s0 + s, n0 + n, (x0 * n0 + x * n) / (n0 + n)])
    pts = [[round(b[2], 5), round(b[0] / b[1], 5)] for b in blocks]
    if len(pts) > max_points:
        idx = np.linspace(0, len(pts) - 1, max_points).round().astype(int)
        pts = [pts[i] for i in sorted(set(idx))]
    return pts


def fit(X: list[list[float]], y: list[int]) -> dict:
    Xa, ya = np.array(X), np.array(y, dtype=float)
    rng = np.random.default_rng(7)
    fold = rng.integers(0, 5, len(ya))
    oof = np.zeros(len(ya))
    for k in range(5):
        w = fit_logistic(Xa[fold != k], ya[fold != k])
        oof[fold == k] = 1 / (1 + np.exp(-np.clip(Xa[fold == k] @ w, -30, 30)))
    w = fit_logistic(Xa, ya)
    return {"features": list(conf.FEATURES), "weights": [round(float(v), 6) for v in w],
            "isotonic": fit_isotonic(oof, ya),
            "fitted_on": "PolNeAR train (bench/calibrate.py)", "n": int(len(ya)), "positive": int(ya.sum())}


def predict(X: list[list[float]], model: dict) -> list[float]:
    return [conf.score(x, model) for x in X]


# --------------------------------------------------------------------------- reliability
def reliability(p: list[float], y: list[int]) -> list[dict]:
    rows = []
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        idx = [i for i, v in enumerate(p) if lo <= v < hi or b == 9 and v == 1.0]
        if not idx:
            continue
        stated = sum(p[i] for i in idx) / len(idx)
        observed = sum(y[i] for i in idx) / len(idx)
        rows.append({"bin": f"{lo:.1f}–{hi:.1f}", "n": len(idx), "stated": stated, "observed": observed,
                     "ok": len(idx) < MIN_BIN or abs(observed - stated) <= TOLERANCE})
    return rows


def at_least(p: list[float], y: list[int], t: float) -> tuple[int, float | None]:
    idx = [i for i, v in enumerate(p) if v >= t]
    return len(idx), (sum(y[i] for i in idx) / len(idx) if idx else None)


def ece(p: list[float], y: list[int]) -> float:
    rows = reliability(p, y)
    n = sum(r["n"] for r in rows)
    return sum(r["n"] * abs(r["observed"] - r["stated"]) for r in rows) / max(1, n)


def table(name: str, p: list[float], y: list[int]) -> list[str]:
    out = [f"**{name}** ({len(p)} records, {sum(y)} right; ECE {ece(p, y):.3f})", "",
           "| confidence | records | stated (mean) | observed precision | gap | within ±0.07 (bins ≥ 30) |",
           "|---|---|---|---|---|---|"]
    for r in reliability(p, y):
        mark = "—" if r["n"] < MIN_BIN else ("yes" if r["ok"] else "**no**")
        out.append(f"| {r['bin']} | {r['n']} | {r['stated']:.3f} | {r['observed']:.3f} | "
                   f"{r['observed'] - r['stated']:+.3f} | {mark} |")
    n8, p8 = at_least(p, y, 0.8)
    out += ["", f"Records with confidence ≥ 0.8: {n8}, right {p8:.3f}" if p8 is not None else
            "Records with confidence ≥ 0.8: none", ""]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fit", action="store_true", help="fit on PolNeAR train and write the weights file")
    ap.add_argument("--keep", help="folder for the prediction files (reused when present)")
    ap.add_argument("--no-results", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args()
    if not (POLNEAR / "train").is_dir() or not GGT.is_dir():
        print(f"benchmarks absent under {SHARED / 'benchmarks'}: nothing to do")
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="ng-calib-"))
    work.mkdir(parents=True, exist_ok=True)
    sets = {"train": sorted((POLNEAR / "train" / "text").glob("*.txt")),
            "dev": sorted((POLNEAR / "dev" / "text").glob("*.txt")),
            "ggt": sorted((GGT / "text").glob("*.txt"))}
    if args.fit:
        # features and priors do not depend on the weights: predictions of any finder build do
        run_newsgraph(sets["train"], work / "train.jsonl")
        X, y, _ = polnear_labels(POLNEAR / "train", read_jsonl(work / "train.jsonl"))
        model = fit(X, y)
        conf.MODEL_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        conf.load_model.cache_clear()
        print(f"fitted on {model['n']} PolNeAR train records ({model['positive']} right) -> {conf.MODEL_FILE}")
    model = conf.load_model()
    if model is None:
        print("no fitted model: run with --fit first")
        return 1
    run_newsgraph(sets["dev"], work / "dev.jsonl")
    run_newsgraph(sets["ggt"], work / "ggt.jsonl")
    Xd, yd, recs_d = polnear_labels(POLNEAR / "dev", read_jsonl(work / "dev.jsonl"))
    Xg, yg, recs_g = ggt_labels(read_jsonl(work / "ggt.jsonl"))
    pd_, pg = predict(Xd, model), predict(Xg, model)
    lines = table("PolNeAR dev, every record, calibrated", pd_, yd)
    lines += table("GGT dev, statements (the records GGT scores), calibrated", pg, yg)
    # the baseline: the fixed frame priors of the session-start finder, on the same records
    lines += table("PolNeAR dev, every record, fixed frame priors (baseline)", [conf.prior(r) for r in recs_d], yd)
    lines += table("GGT dev, statements, fixed frame priors (baseline)", [conf.prior(r) for r in recs_g], yg)
    print("\n".join(lines))
    if not args.no_results:
        sys.path.insert(0, str(REPO / "bench"))
        from _results import machine, today, update_section  # type: ignore[import-not-found]

        head = ["## Attribution confidence: calibration (`bench/calibrate.py`)", "",
                f"{today()}, {machine()}. Model: logistic regression on the record's "
                f"features + isotonic map, fitted on PolNeAR **train** ({model['n']} records); "
                "checked on PolNeAR dev (right = the PolNeAR scorer's attribution match) and GGT dev "
                "(right = GGT's quote match at 0.3 with the speaker matched). Goal: every bin with ≥ 30 "
                "records within ±0.07; confidence ≥ 0.8 right ≥ 90%.", ""]
        update_section("calibration", "\n".join(head + lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
