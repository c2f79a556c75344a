"""Benchmark: title, authors, date and body on trafilatura's evaluation pages (``metadata-dev``).

Runs the shared scorer ``../shared/tools/metadata_eval.py`` once: ``newsgraph
extract --json`` over every page (one batch, no URL, as the pages are files)
and, in the same run, trafilatura with its evaluation settings
(``--trafilatura-python``: this interpreter, which has the trafilatura
newsgraph pins). Figures for all pages and for two fixed halves of the ids
(``sha256(id)`` third hex digit even = "tune", odd = "check"), recomputed from
the scorer's per-page diagnostics with its own ``aggregate``.

Skips (exit 0) when the shared benchmark is absent. ``NEWSGRAPH_SHARED``
overrides the location of ``shared/``. Writes the ``metadata`` section of
bench/RESULTS.md; ``--no-write`` leaves it alone. ``--diagnostics DIR`` keeps the
scorer's per-page facts (gold and predicted title, authors, date; one JSONL per
system, each page with its half) for reading the errors of one half.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _results import half as split_half  # noqa: E402
from _results import machine, revision, shared_dir, today, update_section  # noqa: E402


def half(doc_id: str) -> str:
    return split_half(doc_id, digit=2)  # dates-dev ids share their second digit


def newsgraph_cmd() -> str:
    exe = Path(sys.executable).with_name("newsgraph")
    return str(exe) if exe.exists() else "newsgraph"


def figures(agg: dict) -> dict[str, float]:
    return {"body F1": agg["body"]["f1"], "title exact": agg["title"]["exact"] or 0.0,
            "author F1": agg["authors"]["f1"] or 0.0, "author P": agg["authors"]["precision"] or 0.0,
            "author R": agg["authors"]["recall"] or 0.0, "date acc": agg["date"]["accuracy"] or 0.0}


def gaps(systems: dict[str, list[dict]]) -> list[str]:
    """One line per system: author F1 tune - check."""
    import metadata_eval as me

    out = []
    for name, pages in systems.items():
        f = {h: figures(me.aggregate([p for p in pages if half(p["id"]) == h]))["author F1"] for h in ("tune", "check")}
        out.append(f"- author F1 tune - check gap, {name}: **{f['tune'] - f['check']:+.3f}**")
    for name, pages in systems.items():
        f = {h: people_only([p for p in pages if half(p["id"]) == h]) for h in ("tune", "check")}
        out.append(f"- author F1 on the gold names that are people (organisations in the gold not counted"
                   f" as missed), {name}: tune {f['tune']:.3f}, check {f['check']:.3f}")
    return out


def people_only(pages: list[dict]) -> float:
    """Author F1 counting as missed only the gold names that are people by ``bylines.classify`` (an
    organisation or agency the gold names as author is never taken, by design: ``credits``)."""
    import metadata_eval as me

    from newsgraph.extract.bylines import classify

    tp = fp = fn = 0
    for page in pages:
        if "authors" not in page:
            continue
        gold = {me.norm_name(g) for g in page["authors"]["gold"]}
        people = {me.norm_name(g) for g in page["authors"]["gold"]
                  if (classify(g, handles=True, loose=True) or ("",))[0] == "person"}
        pred = {me.norm_name(a) for a in page["authors"]["pred"]}
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(people - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def write_diagnostics(folder: Path, systems: dict[str, list[dict]]) -> None:
    """One JSONL per system: the scorer's facts for each page (body snippets left out), with its half."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, pages in systems.items():
        with (folder / f"{name.replace(' ', '_')}.jsonl").open("w", encoding="utf-8") as out:
            for page in pages:
                facts = {k: v for k, v in page.items() if k not in ("missed_with", "found_without")}
                out.write(json.dumps({**facts, "half": half(page["id"])}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--diagnostics", type=Path, help="keep the per-page facts here (one JSONL per system)")
    ap.add_argument("--baseline-src", help="an earlier checkout's src/ (e.g. a git worktree): its CLI is run and "
                                           "scored in the same run")
    args = ap.parse_args(argv)
    shared = shared_dir()
    gold_dir, tool = shared / "benchmarks" / "metadata-dev", shared / "tools" / "metadata_eval.py"
    if not (gold_dir / "gold.jsonl").exists() or not tool.exists():
        print(f"metadata: skipped, benchmark not found under {shared}")
        return 0
    sys.path.insert(0, str(tool.parent))
    import metadata_eval as me

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run = subprocess.run([sys.executable, str(tool), "--gold", str(gold_dir), "--run", "--newsgraph",
                              newsgraph_cmd(), "--save-pred", str(work / "ng.jsonl"), "--trafilatura-python",
                              sys.executable, "--jobs", "1", "--traf-out", str(work), "--dump-dir",
                              str(work / "dump"), "--json", str(work / "all.json")],
                             capture_output=True, text=True, cwd=REPO)
        if run.returncode != 0:
            print(run.stdout[-2000:], run.stderr[-2000:])
            return 1
        summary = json.loads((work / "all.json").read_text())
        if args.baseline_src:  # the earlier checkout, same pages, same scorer, same run
            base_cmd = f"env PYTHONPATH={args.baseline_src} {sys.executable} -m newsgraph"
            base = subprocess.run([sys.executable, str(tool), "--gold", str(gold_dir), "--run", "--newsgraph",
                                   base_cmd, "--save-pred", str(work / "base.jsonl"), "--dump-dir",
                                   str(work / "base_dump")], capture_output=True, text=True, cwd=REPO)
            if base.returncode != 0:
                print(base.stdout[-2000:], base.stderr[-2000:])
                return 1
            (work / "base_dump" / "newsgraph.jsonl").rename(
                work / "dump" / f"newsgraph before ({revision(args.baseline_src)}).jsonl")
        systems: dict[str, list[dict]] = {}
        for dump in sorted((work / "dump").glob("*.jsonl")):
            name = dump.stem if dump.stem.startswith("newsgraph") else dump.stem.replace("_", " ")
            if "default" in name:
                continue  # trafilatura's library defaults: comments included, not its evaluation setting
            systems[name] = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    if args.diagnostics:
        write_diagnostics(args.diagnostics, systems)
    keys = list(figures(me.aggregate(next(iter(systems.values())))))
    lines = ["| split | system | pages | " + " | ".join(keys) + " |", "|---|---|---|" + "---|" * len(keys)]
    for split in ("all", "tune", "check"):
        for name, pages in systems.items():
            subset = [p for p in pages if split == "all" or half(p["id"]) == split]
            f = figures(me.aggregate(subset))
            lines.append(f"| {split} | {name} | {len(subset)} | " + " | ".join(f"{f[k]:.3f}" for k in keys) + " |")
    seconds = {k: v.get("seconds") for k, v in (summary.get("runs") or {}).items() if isinstance(v, dict)}
    body = "\n".join([
        "## metadata (metadata-dev: trafilatura's evaluation pages, development half)",
        "",
        f"{today()}, {machine()}. `bench/metadata.py`: `../shared/tools/metadata_eval.py` with newsgraph"
        " (`extract --json`, one batch) and trafilatura with its evaluation settings in the same run;"
        " title exact after NFKC/case/space folding, micro per-author F1, exact-day date accuracy on dated"
        " pages, body F1 by trafilatura's snippet method.",
        "",
        *lines,
        "",
        *gaps(systems),
        "",
        "The author rules (``extract/bylines.py``, ``author_votes.py``, ``html_meta``) were written from the tune"
        " half's errors; check-half misses were only sorted into kinds (organisations in the gold, names only in"
        " comments or sidebars, names in unmarked text, metadata names the page never shows), and a mechanism was"
        " kept only when the tune half agreed.",
        "",
        (f"Run times, s: {seconds}." if seconds else ""),
    ])
    print(body)
    if not args.no_write:
        update_section("metadata", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
