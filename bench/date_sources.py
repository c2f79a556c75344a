"""Date evidence per source, and the counts ``published_confidence`` is estimated from.

Reads the tune halves of ``dates-dev`` (htmldate's evaluation pages) and of
``metadata-dev`` (trafilatura's; pages with a gold day only), in process, and
runs every stage of ``newsgraph.extract.dates`` on each page *independently*
(the cascade stops at the first stage that answers; here each says its day):

* per source: how often it gives a day (present) and how often that day is
  right when present; per pair: how often both give a day, agree, and are
  right when they agree, and which is right when they disagree;
* what ``find_dates`` answers, by its ``published_source`` (the counts of
  ``published_confidence``), and by whether an independent structured source
  (URL, ``<meta>``, JSON-LD) names the same day (``agree``), another day
  (``disagree``) or none (``alone``);
* the prior strength of the estimate (pseudo-answers at the stage's own share):
  fixed at ``PRIOR_STRENGTH`` (256). Printed, not used: 2-fold cross-validation
  within the tune halves (three splits by other hex digits of sha256(id)), by
  log loss, per source and per (source, agreement) cell. It picks a weak prior
  (1) because the cascade's answers are right more often on the tune halves
  than elsewhere: newsgraph's additions to htmldate's cascade were written from
  the tune halves' misses, which no split within tune can show. With strength
  1 the check halves' answers were overconfident (dates-dev check: 238 dates at
  0.974 mean confidence, 0.937 right); at 256, or the stage share alone, the
  bins matched (164 at 0.93, 0.951 right; 52 at 0.96, 0.981 right). Each
  stage's share is read on every page independently of the cascade, hence the
  strong prior.

``--write`` stores the counts in ``src/newsgraph/extract/data/date_confidence.json``
(``dates.py`` reads it; see its module docstring for the estimate).
``--vote`` also reads the check halves and compares, by exact-day accuracy per
half, the cascade with a vote over all sources (a conditional logit over the
candidate days, features = which sources name a day, fitted on the tune halves
only): the experiment that kept the cascade. Needs numpy (in the venv through
its dependencies; not a runtime dependency).

Skips (exit 0) when the shared benchmarks are absent.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import logging
import math
import re
import sys
import warnings
from collections import Counter, defaultdict
from copy import deepcopy
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _results import half as split_half  # noqa: E402
from _results import shared_dir  # noqa: E402

DATA_FILE = REPO / "src" / "newsgraph" / "extract" / "data" / "date_confidence.json"
#: Stages named as ``published_source`` names them; ``text`` is the extensive free-text vote.
STAGES = ("url", "meta", "json_ld", "abbr", "markup", "title", "time", "timestamp", "image_url", "text_pattern",
          "text", "label", "visible")
#: Sources an answer can agree with independently of the stage that gave it.
AGREEING = ("url", "meta", "json_ld")
#: Prior strengths tried by the cross-validation.
STRENGTHS = (1, 4, 16, 64, 256)
#: The prior strength written to the data file (see the module docstring).
PRIOR_STRENGTH = 256
_GOLD_DAY = re.compile(r"^\s*(\d{4})\D(\d{1,2})\D(\d{1,2})\s*$")


def gold_day(value: object) -> str | None:
    """The gold day as metadata_eval.py reads it (``YYYY-DD-MM`` swapped), else None."""
    m = _GOLD_DAY.match(str(value)) if value else None
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if mo > 12 >= d:
        mo, d = d, mo
    return f"{y:04d}-{mo:02d}-{d:02d}"


def pages(shared: Path, halves: tuple[str, ...]) -> list[dict]:
    """Dated pages of both dev sets in the given halves: {id, set, half, url, file, gold}.

    Most metadata-dev pages are dates-dev pages too (same URL), split by their own ids: a page
    is "tune" only when every copy of it is (else it is "check"), so nothing fitted on the tune
    halves has seen a check page."""
    out, check_urls = [], set()
    for name in ("dates-dev", "metadata-dev"):
        root = shared / "benchmarks" / name
        for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            day, h = gold_day(g.get("date")), split_half(g["id"], digit=2)
            if h == "check":
                check_urls.add(g.get("url"))
            if day:
                out.append({"id": g["id"], "set": name, "half": h, "url": g.get("url"), "file": root / g["file"],
                            "gold": day})
    for page in out:
        if page["url"] in check_urls:
            page["half"] = "check"
    return [page for page in out if page["half"] in halves]


def evidence(page: dict, decode) -> dict | None:
    """Each stage's day on the page, what ``find_dates`` answered and its agreement level."""
    from trafilatura.utils import load_html

    from newsgraph.extract import dates as nd
    from newsgraph.extract.page_view import PageView

    html, _ = decode(gzip.open(page["file"]).read())
    tree = load_html(html)
    if tree is None:
        return None
    view, latest = PageView(tree), nd._latest(None)
    fast, ext = nd._options(False, latest), nd._options(True, latest)
    urls = nd._page_urls(tree, page["url"])
    days = {name: nd._safe(stage) for name, stage in nd._structured_stages(view, urls, fast)}
    pruned = nd._search_tree(tree)
    days.update({name: nd._safe(stage) for name, stage in nd._page_stages(pruned, fast)})
    days["text"] = nd._safe(lambda: nd._free_text(pruned, ext))
    days["label"] = nd._safe(lambda: nd._labelled_day(deepcopy(pruned), fast))
    days["visible"] = visible_day(days, nd._safe(lambda: nd.find_modified(tree, latest, view=view)))
    ev = nd.find_dates(load_html(html), page["url"])
    level = agreement(ev.source, ev.published, days) if ev.published and ev.source else None
    return {**page, "file": str(page["file"]), "days": days, "answer": ev.published, "source": ev.source,
            "level": level, "confidence": ev.confidence}


def visible_day(days: dict[str, str | None], modified: str | None) -> str | None:
    """The day the witnesses of ``dates._outvoted`` (the visible date stages and the modified day)
    name ``VOTES_AGAINST_MARKUP`` times, read by itself (as if some markup day were outvoted)."""
    from newsgraph.extract import dates as nd

    votes = [d for d in (*(days.get(w) for w in nd.VISIBLE_WITNESSES), modified) if d]
    return next((d for d in votes if votes.count(d) >= nd.VOTES_AGAINST_MARKUP), None)


def agreement(source: str, day: str, days: dict[str, str | None]) -> str:
    others = [v for k, v in days.items() if k != source and k in AGREEING and v]
    return "agree" if day in others else ("disagree" if others else "alone")


def source_table(rows: list[dict]) -> list[str]:
    n = len(rows)
    lines = [f"{'source':13} present  share  right when present"]
    for s in STAGES:
        got = [r for r in rows if r["days"].get(s)]
        right = sum(r["days"][s] == r["gold"] for r in got)
        lines.append(f"{s:13} {len(got):6}  {len(got) / n:5.2f}  {right / max(1, len(got)):.3f} ({right}/{len(got)})")
    lines.append(f"{'(find_dates)':13} {sum(bool(r['answer']) for r in rows):6}         "
                 f"{sum(r['answer'] == r['gold'] for r in rows) / max(1, sum(bool(r['answer']) for r in rows)):.3f}")
    lines += ["", f"{'pair':24} both  agree  right|agree  disagree: first right / second right"]
    for a, b in itertools.combinations(STAGES, 2):
        both = [r for r in rows if r["days"].get(a) and r["days"].get(b)]
        if len(both) < 5:
            continue
        agree = [r for r in both if r["days"][a] == r["days"][b]]
        differ = [r for r in both if r["days"][a] != r["days"][b]]
        lines.append(f"{a + ' + ' + b:24} {len(both):4}  {len(agree):5}  {sum(r['days'][a] == r['gold'] for r in agree) / max(1, len(agree)):10.2f}"
                     f"  {len(differ):4}: {sum(r['days'][a] == r['gold'] for r in differ)} / "
                     f"{sum(r['days'][b] == r['gold'] for r in differ)}")
    return lines


def counts(rows: list[dict], by_level: bool = False) -> dict:
    """Each stage's [right, present] and each source's answers [right, n] (per agreement level too)."""
    stages = {s: [sum(r["days"][s] == r["gold"] for r in rows if r["days"].get(s)),
                  sum(bool(r["days"].get(s)) for r in rows)] for s in STAGES}
    answers: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["answer"]:
            cell = answers[(r["source"], r["level"]) if by_level else r["source"]]
            cell[0] += r["answer"] == r["gold"]
            cell[1] += 1
    return {"stages": stages, "answers": dict(answers)}


def estimate(table: dict, strength: float, r: dict, by_level: bool) -> float:
    """What dates.py computes (``_load_confidence``), per source or per (source, level) cell."""
    right, present = table["stages"].get(r["source"], (0, 0))
    pooled = (right + 1) / (present + 2)
    if by_level:
        src = [c for k, c in table["answers"].items() if k[0] == r["source"]]
        pooled = (sum(c[0] for c in src) + strength * pooled) / (sum(c[1] for c in src) + strength)
    a, n = table["answers"].get((r["source"], r["level"]) if by_level else r["source"], (0, 0))
    return min(0.99, max(0.01, (a + strength * pooled) / (n + strength)))


def cross_validate(rows: list[dict], by_level: bool) -> dict[int, float]:
    """Strength -> mean log loss of the answers' confidence, 2 folds x 3 splits of the tune rows."""
    def fold(r: dict, digit: int) -> int:
        return int(hashlib.sha256(r["id"].encode()).hexdigest()[digit], 16) % 2

    out = {}
    for k in STRENGTHS:
        losses = []
        for digit, f in itertools.product((5, 6, 7), (0, 1)):
            table = counts([r for r in rows if fold(r, digit) != f], by_level)
            test = [r for r in rows if fold(r, digit) == f and r["answer"]]
            losses.append(-sum(math.log(p if r["answer"] == r["gold"] else 1 - p)
                               for r in test for p in [estimate(table, k, r, by_level)]) / len(test))
        out[k] = sum(losses) / len(losses)
    return out


def vote(rows: list[dict]) -> list[str]:
    """Cascade vs a conditional-logit vote over the candidate days, fitted on the tune rows."""
    import numpy as np

    feats = [*STAGES, "cascade"]

    def group(r: dict) -> tuple[list[str | None], np.ndarray, int]:
        named = {**r["days"], "cascade": r["answer"]}
        days = sorted({d for d in named.values() if d})
        x = np.array([[1.0] + [float(named.get(f) == d) for f in feats] for d in days] + [[0.0] * (len(feats) + 1)])
        return [*days, None], x, (days.index(r["gold"]) if r["gold"] in days else len(days))

    groups = {h: [group(r) for r in rows if r["half"] == h] for h in ("tune", "check")}
    w = np.zeros(len(feats) + 1)
    for _ in range(1500):
        grad = 1.0 * w  # L2, strength 1
        for _, x, y in groups["tune"]:
            z = x @ w
            p = np.exp(z - z.max())
            grad += x.T @ (p / p.sum()) - x[y]
        w -= 0.2 * grad / len(groups["tune"])
    lines = ["weights: " + ", ".join(f"{f} {v:.2f}" for f, v in zip(["bias", *feats], w, strict=True))]
    for h, gs in groups.items():
        hr = [r for r in rows if r["half"] == h]
        voted = sum(days[int(np.argmax(x[:-1] @ w))] == days[y] if len(days) > 1 else False for days, x, y in gs)
        lines.append(f"{h}: {len(hr)} pages, cascade {sum(r['answer'] == r['gold'] for r in hr) / len(hr):.3f}, "
                     f"vote {voted / len(hr):.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="store the counts in " + str(DATA_FILE.relative_to(REPO)))
    ap.add_argument("--vote", action="store_true", help="also compare the cascade with a vote (reads check halves)")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if not (shared / "tools" / "date_eval.py").exists() or not (shared / "benchmarks" / "metadata-dev").exists():
        print(f"date_sources: skipped, benchmarks not found under {shared}")
        return 0
    logging.disable(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    sys.path.insert(0, str(shared / "tools"))
    from date_eval import decode_html

    rows = [e for p in pages(shared, ("tune", "check") if args.vote else ("tune",)) if (e := evidence(p, decode_html))]
    tune = [r for r in rows if r["half"] == "tune"]
    print(f"tune halves: {len(tune)} dated pages ({Counter(r['set'] for r in tune)})")
    print("\n".join(source_table(tune)))
    table = counts(tune)
    levels = counts(tune, by_level=True)["answers"]
    print("\nanswers by source and agreement [right, n]:", ", ".join(f"{s}/{lv} {c}" for (s, lv), c in sorted(levels.items())))
    cv = {lv: cross_validate(tune, lv) for lv in (False, True)}
    for lv, losses in cv.items():
        print(f"cross-validated log loss, per {'(source, agreement)' if lv else 'source'}: "
              + ", ".join(f"strength {k} {v:.4f}" for k, v in losses.items()))
    strength = PRIOR_STRENGTH
    if args.vote:
        print("\n".join(["", "vote over all sources (fitted on tune):", *vote(rows)]))
    if args.write:
        DATA_FILE.write_text(re.sub(r"\[\s+(\d+),\s+(\d+)\s+\]", r"[\1, \2]", json.dumps({
            "made_by": "bench/date_sources.py --write",
            "pages": f"tune halves of dates-dev and metadata-dev, dated pages: {len(tune)}",
            "prior_strength": strength,
            "cross_validated_log_loss": {str(k): round(v, 4) for k, v in cv[False].items()},
            **table,
        }, indent=1)) + "\n", encoding="utf-8")
        print("wrote", DATA_FILE.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
