"""Benchmark: plain-text cleaning (``newsgraph extract --json`` on page text).

Runs the real CLI once over every ``text/*.txt`` of the shared
``text-cleaning-dev`` benchmark, maps each output line back to its page id
(by ``source``), scores the bodies with the benchmark's own scorer
(``shared/tools/extraction_eval.py``, token 4-shingle P/R/F1) and does the
same for the identity baseline (the whole text as the body) in the same run.

The dev ids are split by a fixed rule so that part of dev stays unseen by
tuning: ``sha256(id)`` second hex digit even = "tune", odd = "check". The
"check" figure is the honest one. A page the CLI rejects prints nothing on
stdout; it is scored as an empty body and counted.

Skips (exit 0) when the shared benchmarks are absent. ``NEWSGRAPH_SHARED``
overrides the location of ``shared/``. Writes ``bench/RESULTS.md`` section
``text_cleaning``; ``--no-write`` leaves it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _results import half, machine, revision, shared_dir, today, update_section  # noqa: E402


def newsgraph_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("newsgraph")
    if found:
        return [found]
    return [sys.executable, "-m", "newsgraph"]


def run_cli(files: list[Path], src: str | None = None) -> tuple[dict[str, str], float, str, int]:
    """One CLI call over all files -> (id -> body, seconds, stderr, exit code).

    ``src``: run an earlier checkout's ``src/`` instead (the baseline), first on ``PYTHONPATH``.
    """
    cmd = [*(newsgraph_cmd() if src is None else [sys.executable, "-m", "newsgraph"]), "extract", "--json",
           *map(str, files)]
    env = None if src is None else dict(os.environ, PYTHONPATH=src)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=REPO, env=env)
    elapsed = time.perf_counter() - t0
    by_path = {str(f.resolve()): f.stem for f in files}
    by_name = {f.name: f.stem for f in files}
    out: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        rec = json.loads(line)
        src = str(rec.get("source") or "")
        doc_id = by_path.get(str(Path(src).resolve())) if src else None
        doc_id = doc_id or by_name.get(Path(src).name)
        if doc_id:
            out[doc_id] = rec.get("text") or ""
    return out, elapsed, proc.stderr, proc.returncode


def time_cleaner(texts: list[str]) -> float | None:
    """The line classifier alone, in process: ms per page (best of 3 passes)."""
    try:
        from newsgraph.extract.text import clean_text
    except ImportError:
        return None
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t in texts:
            clean_text(t)
        best = min(best, time.perf_counter() - t0)
    return best * 1000 / max(1, len(texts))


def score(ev, truth: dict, pred: dict, ids: list[str], bootstrap: int = 0) -> dict:
    r = ev.score_texts(truth, pred, ids=ids, bootstrap=bootstrap, seed=0)
    return {k: r.get(k, 0.0) for k in ("f1", "precision", "recall", "f1_std")}


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    ap.add_argument("--baseline-src", help="an earlier checkout's src/ (e.g. a git worktree): its CLI is run and "
                                           "scored in the same run, tune, check and gap alike")
    ap.add_argument("--sensitivity", action="store_true", help="also move each named weight x0.5 and x1.5 "
                                                                   "(in process, about a minute)")
    ap.add_argument("--no-perturb", action="store_true", help="skip the perturbation check (4 more CLI runs)")
    return ap.parse_args(argv)


def halves_of(ids: list[str]) -> dict[str, list[str]]:
    return {"all": ids, "tune": [i for i in ids if half(i) == "tune"], "check": [i for i in ids if half(i) == "check"]}


def table_rows(ev, truth: dict, pred: dict, identity: dict, ids: list[str]) -> list[tuple[str, int, dict, dict]]:
    rows = []
    for name, subset in halves_of(ids).items():
        rows.append((name, len(subset), score(ev, truth, pred, subset, bootstrap=500), score(ev, truth, identity, subset)))
    return rows


def gap(rows: list[tuple[str, int, dict, dict]]) -> float:
    by = {name: o["f1"] for name, _, o, _ in rows}
    return by["tune"] - by["check"]


def gap_without_lowest(ev, truth: dict, pred: dict, ids: list[str]) -> float:
    """The tune - check gap with each half's lowest-scoring page left out: how much one page moves it
    (35 and 44 pages a half)."""
    by = {}
    for name, subset in halves_of(ids).items():
        if name == "all":
            continue
        worst = min(subset, key=lambda i: score(ev, truth, pred, [i])["f1"])
        by[name] = score(ev, truth, pred, [i for i in subset if i != worst])["f1"]
    return by["tune"] - by["check"]


_TOKEN = re.compile(r"\w+")


def _article_line(line: str, truth_tokens: str, truth_shingles: set) -> bool:
    """The benchmark README's oracle: a line with >= 50% of its token 4-shingles in the truth (a line of
    fewer than 4 tokens: its tokens appear in the truth in a row)."""
    toks = _TOKEN.findall(line.lower())
    if len(toks) < 4:
        return bool(toks) and f" {' '.join(toks)} " in truth_tokens
    sh = {tuple(toks[j:j + 4]) for j in range(len(toks) - 3)}
    return len(sh & truth_shingles) * 2 >= len(sh)


def perturb(text: str, truth: str, kind: str) -> str:
    """``text`` changed the way another scraper or site would write the same page; a cleaner that decides
    from the page's structure keeps its score.

    ``no_blank``: no blank line between blocks. ``chrome_upper`` / ``chrome_lower``: every line that is
    not article text (by the oracle above) in upper / lower case. ``rewrap``: lines over 80 characters
    hard-wrapped at 72 (a plain-text mail or a terminal dump: one paragraph on several lines). ``no_title``:
    the first line (the browser-tab title, the headline's anchor) left out. ``article_only``: the reference
    body alone (a user pasting a clean article: all of it should stay). ``mid_box``: up to ``MID_BOX`` of the
    page's own short non-article lines moved into the middle of the article (a gallery or related box inside
    it)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if kind == "article_only":
        return truth
    if kind == "no_title":
        return "\n\n".join(lines[1:]) + "\n"
    if kind == "no_blank":
        return "\n".join(lines) + "\n"
    if kind == "rewrap":
        return "\n\n".join("\n".join(textwrap.wrap(ln, 72)) if len(ln) > 80 else ln for ln in lines) + "\n"
    ttoks = _TOKEN.findall(truth.lower())
    tstr = f" {' '.join(ttoks)} "
    tsh = {tuple(ttoks[j:j + 4]) for j in range(len(ttoks) - 3)}
    if kind == "mid_box":
        article = [i for i, ln in enumerate(lines) if _article_line(ln, tstr, tsh)]
        box = [ln for ln in lines if not _article_line(ln, tstr, tsh) and len(ln.split()) <= 6][:MID_BOX]
        if len(article) < 4:
            return text
        mid = article[len(article) // 2]
        return "\n\n".join(lines[:mid] + box + lines[mid:]) + "\n"
    case = str.upper if kind == "chrome_upper" else str.lower
    return "\n\n".join(ln if _article_line(ln, tstr, tsh) else case(ln) for ln in lines) + "\n"


PERTURBATIONS = ("no_blank", "chrome_upper", "chrome_lower", "rewrap", "no_title", "article_only", "mid_box")
MID_BOX = 15


def perturbation_rows(ev, truth: dict, files: list[Path], ids: list[str], baseline_src: str | None) -> list:
    """(perturbation, {half: F1}, {half: baseline F1} or None) for each perturbation, through the CLI."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in PERTURBATIONS:
            out = Path(tmp) / kind
            out.mkdir()
            pfiles = []
            for f in files:
                pf = out / f.name
                pf.write_text(perturb(f.read_text(encoding="utf-8"), truth[f.stem], kind), encoding="utf-8")
                pfiles.append(pf)
            by_half = {}
            for src in (None, baseline_src) if baseline_src else (None,):
                pred = run_cli(pfiles, src=src)[0]
                for i in ids:
                    pred.setdefault(i, "")
                by_half[src] = {name: score(ev, truth, pred, sub)["f1"] for name, sub in halves_of(ids).items()}
            rows.append((kind, by_half[None], by_half.get(baseline_src) if baseline_src else None))
    return rows


def _weights() -> list[tuple[object, str]]:
    """The classifier's named numeric settings: (module, name), every upper-case int/float constant."""
    from newsgraph.extract import text, text_classify, text_lines

    return [(m, name) for m in (text_lines, text_classify, text) for name, v in sorted(vars(m).items())
            if name.lstrip("_").isupper() and type(v) in (int, float)]


def sensitivity_rows(ev, truth: dict, texts: dict[str, str], ids: list[str]) -> list:
    """Each named weight at x0.5 and x1.5, in process: (name, value, {factor: {half: F1 - F1 as set}}).

    A threshold fitted to the tune pages shows as tune losing on both sides while check gains on one."""
    from newsgraph.extract.text import clean_text

    def f1s() -> dict[str, float]:
        pred = {i: clean_text(texts[i]).body for i in ids}
        return {name: score(ev, truth, pred, sub)["f1"] for name, sub in halves_of(ids).items() if name != "all"}

    base = f1s()
    rows = []
    for mod, name in _weights():
        value = getattr(mod, name)
        moved = {}
        for factor in (0.5, 1.5):
            new = value * factor if isinstance(value, float) else max(1, round(value * factor))
            if isinstance(value, float) and 0 < value <= 1:
                new = min(1.0, new)
            setattr(mod, name, new)
            try:
                got = f1s()
            finally:
                setattr(mod, name, value)
            moved[factor] = {h: got[h] - base[h] for h in got}
        rows.append((name, value, moved))
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    shared = shared_dir()
    bench = shared / "benchmarks" / "text-cleaning-dev"
    scorer = shared / "tools" / "extraction_eval.py"
    if not (bench / "ground-truth.json").exists() or not scorer.exists():
        print(f"text_cleaning: skipped, benchmark not found under {shared}")
        return 0
    sys.path.insert(0, str(scorer.parent))
    import extraction_eval as ev

    truth_full = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    truth = {k: v["articleBody"] for k, v in truth_full.items()}
    files = sorted((bench / "text").glob("*.txt"))
    ids = [f.stem for f in files if f.stem in truth]
    files = [f for f in files if f.stem in truth]

    pred, elapsed, stderr, rc = run_cli(files)
    failed = [i for i in ids if i not in pred]
    for i in failed:
        pred[i] = ""  # a file the CLI rejected scores as an empty body
    identity = {f.stem: f.read_text(encoding="utf-8") for f in files}
    cleaner_ms = time_cleaner(list(identity.values()))
    base_rows, base_label = None, ""
    if args.baseline_src:
        bpred, _, _, _ = run_cli(files, src=args.baseline_src)
        for i in ids:
            bpred.setdefault(i, "")
        base_rows = table_rows(ev, truth, bpred, identity, ids)
        base_label = revision(args.baseline_src)

    with tempfile.TemporaryDirectory() as tmp:  # score through the scorer's own CLI too
        pred_path = Path(tmp) / "pred.json"
        pred_path.write_text(json.dumps({k: {"articleBody": v} for k, v in pred.items()}), encoding="utf-8")
        cli_score = subprocess.run(
            [sys.executable, str(scorer), "--truth", str(bench / "ground-truth.json"), "--pred", str(pred_path)],
            capture_output=True, text=True,
        )

    rows = table_rows(ev, truth, pred, identity, ids)
    ms = elapsed * 1000 / max(1, len(files))
    print(f"text_cleaning: {len(files)} pages, CLI exit {rc}, {len(failed)} without output, "
          f"{ms:.1f} ms/page wall (one batch call, includes start-up)"
          + (f"; clean_text alone {cleaner_ms:.1f} ms/page" if cleaner_ms is not None else ""))
    print(f"{'split':6} {'n':>3}  {'F1':>6} {'±sd':>5} {'P':>6} {'R':>6}   identity F1   ratio"
          + ("   baseline F1" if base_rows else ""))
    for k, (name, n, o, b) in enumerate(rows):
        print(f"{name:6} {n:3d}  {o['f1']:.3f} {o['f1_std']:.3f} {o['precision']:.3f} {o['recall']:.3f}   "
              f"{b['f1']:.3f}         {o['f1'] / b['f1']:.2f}x"
              + (f"   {base_rows[k][2]['f1']:.3f}" if base_rows else ""))
    print(f"tune - check gap: {gap(rows):+.3f}" + (f" (baseline {base_label}: {gap(base_rows):+.3f})"
                                                   if base_rows else ""))
    print("scorer CLI (all):", cli_score.stdout.strip().splitlines()[0] if cli_score.stdout.strip() else
          cli_score.stderr.strip()[:200])
    if failed:
        print("rejected:", ", ".join(i[:12] for i in failed))
        print(stderr.strip()[:2000])

    loo = gap_without_lowest(ev, truth, pred, ids)
    print(f"tune - check gap with each half's lowest page left out: {loo:+.3f}")
    prows = [] if args.no_perturb else perturbation_rows(ev, truth, files, ids, args.baseline_src)
    for kind, o, b in prows:
        print(f"perturbed {kind:12} all {o['all']:.3f} tune {o['tune']:.3f} check {o['check']:.3f}"
              + (f"   baseline all {b['all']:.3f} tune {b['tune']:.3f} check {b['check']:.3f}" if b else ""))
    srows = sensitivity_rows(ev, truth, identity, ids) if args.sensitivity else []
    for line in _sensitivity_lines(srows):
        print(line)
    if not args.no_write:
        update_section("text_cleaning", render(rows, base_rows, base_label, len(files), len(failed), ms,
                                               cleaner_ms, loo, prows, srows))
    return 0


def render(rows: list, base_rows: list | None, base_label: str, n_files: int, n_failed: int, ms: float,
           cleaner_ms: float | None, loo: float | None = None, prows: list | None = None,
           srows: list | None = None) -> str:
    lines = [
        "## Text cleaning (`bench/text_cleaning.py`)",
        "",
        f"`newsgraph extract --json` over the {n_files} pages of `text-cleaning-dev` (plain page text in, "
        "article body out), scored with `shared/tools/extraction_eval.py` (token 4-shingle F1 from mean P "
        "and mean R). Dev is split by `sha256(id)[1]` even = tune, odd = check; the tune - check gap measures "
        "how much the classifier fits the pages it was tuned on (goal: under 0.02). Goal on unseen pages: "
        "F1 >= 0.930 (the held-out figure of the earlier classifier was 0.907, its check figure 0.946). "
        "Check is not fully unseen: both classifiers' authors looked at some check-page errors, and two "
        "mechanisms of 2026-12-07 (lists of cards after a lead-in; the density span going on through a box "
        "the next paragraph pays back) were found on check pages, each also tested on pages written for the "
        "unit tests: the check figure overstates unseen pages more than before. "
        "For scale (README of the benchmark, all 79 dev pages): trafilatura on the wrapped text 0.673, "
        "jusText 0.752, a 40-line heuristic tuned on these pages 0.918, oracle line selection 0.981.",
        "",
        "| split | pages | F1 | ±sd (bootstrap over pages) | P | R | identity F1 | ratio |"
        + (" baseline F1 | baseline P | baseline R |" if base_rows else ""),
        "|---|---|---|---|---|---|---|---|" + ("---|---|---|" if base_rows else ""),
    ]
    for k, (name, n, o, b) in enumerate(rows):
        row = (f"| {name} | {n} | **{o['f1']:.3f}** | {o['f1_std']:.3f} | {o['precision']:.3f} | {o['recall']:.3f} | "
               f"{b['f1']:.3f} | {o['f1'] / b['f1']:.2f}x |")
        if base_rows:
            bo = base_rows[k][2]
            row += f" {bo['f1']:.3f} | {bo['precision']:.3f} | {bo['recall']:.3f} |"
        lines.append(row)
    lines += [
        "",
        f"- tune - check gap: **{gap(rows):+.3f}**"
        + (f"; baseline (earlier classifier, `{base_label}`, run in the same run through `--baseline-src`): "
           f"{gap(base_rows):+.3f}" if base_rows else ""),
        *([f"- the same gap with each half's lowest-scoring page left out: {loo:+.3f} (one page moves a half's"
           " figure by up to 0.02: 35 and 44 pages)"] if loo is not None else []),
        f"- pages without output (scored empty): {n_failed}",
        f"- speed: {ms:.1f} ms/page wall clock for one CLI batch call (start-up, language detection and "
        "JSON included)" + (f"; the line classifier alone (`clean_text`) {cleaner_ms:.1f} ms/page"
                            if cleaner_ms is not None else ""),
        f"- date: {today()}; machine: {machine()}",
        *_perturbation_lines(prows or [], base_label),
        *_sensitivity_lines(srows or []),
        "",
        "Reproduce: `git worktree add /tmp/base_text <commit>` then "
        "`.venv/bin/python bench/text_cleaning.py --baseline-src /tmp/base_text/src`.",
    ]
    return "\n".join(lines)


def _perturbation_lines(prows: list, base_label: str) -> list[str]:
    if not prows:
        return []
    has_base = prows[0][2] is not None
    lines = ["", "Perturbation check (the same pages changed as another scraper or site would write them, same "
             "truth, same run; `perturb()` says how): a cleaner that decides from structure keeps its score.", "",
             "| input | all | tune | check |" + (f" baseline `{base_label}` all | tune | check |" if has_base else ""),
             "|---|---|---|---|" + ("---|---|---|" if has_base else "")]
    for kind, o, b in prows:
        row = f"| {kind} | {o['all']:.3f} | {o['tune']:.3f} | {o['check']:.3f} |"
        if b:
            row += f" {b['all']:.3f} | {b['tune']:.3f} | {b['check']:.3f} |"
        lines.append(row)
    lines += ["", "`mid_box` is the known weak spot: the part of the article after a box inside it is lost on many "
              "pages. Growing the span past such a box (two or more prose lines within 20-40 lines, worth 15-25% of "
              "the span) was tried on 2026-12-07 and dropped: no dev page gained, and from a reach of 30 lines a "
              "tune page took the donation appeal after its article."]
    return lines


#: a weight whose move changes a half by less than this is left out of the table
SENSITIVITY_SHOWN = 0.002


def _sensitivity_lines(srows: list) -> list[str]:
    if not srows:
        return []
    shown = [r for r in srows if max(abs(d) for m in r[2].values() for d in m.values()) >= SENSITIVITY_SHOWN]
    fitted = [name for name, _, m in shown
              if all(m[f]["tune"] <= 0 for f in m) and any(m[f]["check"] > SENSITIVITY_SHOWN for f in m)]
    lines = ["", f"Weight sensitivity (in process, `--sensitivity`): each of the {len(srows)} named weights of the "
             "classifier at x0.5 and x1.5, F1 change per half; weights moving neither half by "
             f"{SENSITIVITY_SHOWN} or more are left out. Fitted to tune (tune at its best, check better elsewhere): "
             + (", ".join(f"`{n}`" for n in fitted) or "none") + ".", "",
             "| weight | value | tune x0.5 | tune x1.5 | check x0.5 | check x1.5 |", "|---|---|---|---|---|---|"]
    for name, value, m in shown:
        lines.append(f"| `{name}` | {value:g} | {m[0.5]['tune']:+.4f} | {m[1.5]['tune']:+.4f} | "
                     f"{m[0.5]['check']:+.4f} | {m[1.5]['check']:+.4f} |")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
