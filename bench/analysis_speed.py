#!/usr/bin/env python3
"""What newsgraph's analysis components cost next to the spaCy parse they run on.

For each text the spaCy pipeline (tok2vec, tagger, parser, attribute_ruler,
lemmatizer, ner) runs first, timed; then each newsgraph component runs on the
parsed docs in pipeline order, each timed on its own:

    newsgraph_attributions, newsgraph_speakers, newsgraph_entities, newsgraph_events

Texts: the PolNeAR dev articles (../shared/benchmarks/attribution-polnear/dev/text,
84 US political news articles, ~1,000 tokens each) when present, else the
project's own examples/ (cleaned). Rounds alternate the order of the parse and
the components; figures are medians over the rounds. Goals (issues): the
attribution step adds at most 15% to the parse time; entities and events
together at most 15%.

Writes the ``analysis_speed`` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED") or REPO.parent / "shared")
POLNEAR_DEV = SHARED / "benchmarks" / "attribution-polnear" / "dev" / "text"
COMPONENTS = ("newsgraph_attributions", "newsgraph_speakers", "newsgraph_entities", "newsgraph_events")

sys.path.insert(0, str(REPO / "bench"))
import _results  # noqa: E402


def load_texts() -> tuple[str, list[str]]:
    files = sorted(POLNEAR_DEV.glob("*.txt")) if POLNEAR_DEV.is_dir() else []
    if files:
        return f"PolNeAR dev ({len(files)} articles)", [f.read_text(encoding="utf-8") for f in files]
    from newsgraph.config import Settings
    from newsgraph.ingest import extract_stream
    from newsgraph.sources import iter_raw
    from newsgraph.types import Article

    arts = [a for a in extract_stream(iter_raw([str(REPO / "examples")], Settings()), Settings(), workers=1)
            if isinstance(a, Article) and a.language == "en"]
    return f"examples/ ({len(arts)} English articles)", [a.text for a in arts]


def one_round(nlp, texts: list[str]) -> dict[str, float]:
    base = [name for name in nlp.pipe_names if name not in COMPONENTS]
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with nlp.select_pipes(enable=base):
        docs = list(nlp.pipe(texts, batch_size=16))
    times["parse"] = time.perf_counter() - t0
    for name in COMPONENTS:
        comp = nlp.get_pipe(name)
        t0 = time.perf_counter()
        for doc in docs:
            comp(doc)
        times[name] = time.perf_counter() - t0
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    from newsgraph.analyze import build_nlp

    label, texts = load_texts()
    nlp = build_nlp()
    one_round(nlp, texts[:3])  # warm-up: lazy lexicons, caches
    rounds = [one_round(nlp, texts) for _ in range(max(1, args.runs))]
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    n_tokens = sum(len(t.split()) for t in texts)
    parse = med["parse"]
    lines = [
        "## Analysis cost next to the spaCy parse (`bench/analysis_speed.py`)",
        "",
        f"{_results.today()}, {_results.machine()}. Texts: {label}, {n_tokens:,} whitespace tokens. "
        f"spaCy pipeline `{nlp.meta.get('name', '?')}` {nlp.meta.get('version', '')}; medians of {len(rounds)} rounds, "
        "each component timed alone on the already parsed docs.",
        "",
        "| step | seconds | per article | share of the parse |",
        "|---|---|---|---|",
        f"| spaCy parse (baseline) | {parse:.2f} | {1000 * parse / len(texts):.1f} ms | 100% |",
    ]
    for name in COMPONENTS:
        lines.append(f"| {name} | {med[name]:.3f} | {1000 * med[name] / len(texts):.1f} ms | "
                     f"{100 * med[name] / parse:.1f}% |")
    attr = med["newsgraph_attributions"] + med["newsgraph_speakers"]
    ee = med["newsgraph_entities"] + med["newsgraph_events"]
    lines += [
        "",
        f"- attributions incl. speaker resolution: **{100 * attr / parse:.1f}%** of the parse (goal ≤ 15%).",
        f"- entities and events together: **{100 * ee / parse:.1f}%** of the parse (goal ≤ 15%).",
        f"- whole analysis: {len(texts) / (parse + attr + ee):.2f} articles/s on one process.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        _results.update_section("analysis_speed", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
