"""Dyads: the events between two actors, week by week, on a conflict–cooperation scale.

The scale (``SCALE``, from ``newsgraph.analyze.event_lexicon``) puts each PLOVER type
on -10 (ASSAULT) .. +10, in the spirit of the Goldstein scale used for
CAMEO/GDELT: AID +7, COOPERATE +6, AGREE +5, CONCEDE +4, RETREAT +4, SUPPORT +3,
CONSULT +1, REQUEST -1, ACCUSE -2, REJECT -4, PROTEST -5, THREATEN -6,
MOBILIZE -6, SANCTION -7, COERCE -8, ASSAULT -10.

An event's score is its type's value, with three adjustments:

* negated ("did not agree") scores 0: nothing happened;
* planned or conditional events score half: intent, not yet action;
* reported events (inside someone's statement) keep their value but are
  counted apart (``reported``), since they are a speaker's claim.

A week's score in one direction is the **mean** score of that week's events in
that direction (negated events left out: they did not happen), so it stays on
the −10..+10 scale however many events there are; ``counts`` say how many
(a week of three assaults is −10, not −30; one "signed a cooperation agreement"
is one event, not +11).

A week is the ISO week of the event's own date, else of its article's
publication date when the event is new; events with neither, and background
or future events without a date of their own, are left out of the weekly
table (and counted in ``undated``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.store.rows import EventRow, EventTally
from newsgraph.weeks import iso_week, week_start


def scale() -> dict[str, float]:
    from newsgraph.analyze.event_lexicon import SCALE

    return dict(SCALE)


#: Modalities that score half: intent, not yet action.
HALF = ("planned", "conditional")


def event_score(row: EventRow, values: dict[str, float] | None = None) -> float:
    values = values or scale()
    if row.negated:
        return 0.0
    base = float(values.get(row.type, 0.0))
    return base / 2 if row.modality in HALF else base


def tally_score(t: EventTally, values: dict[str, float] | None = None) -> float:
    """The summed scores of a tally's events: the same as ``event_score`` over each of them."""
    values = values or scale()
    base = float(values.get(t.type, 0.0))
    half = t.planned + t.conditional
    return base * (t.n - t.negated - half) + base / 2 * half


def day_of(row: EventRow) -> str | None:
    """The event's own date; else its article's, only for a new event (a background or future
    event without a date of its own has no week: "when Russia launched its invasion")."""
    return row.date or (row.published if row.timing == "new" else None)


def week_of(row: EventRow) -> str | None:
    return iso_week(day_of(row))


@dataclass(slots=True)
class Week:
    week: str
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {"ab": {}, "ba": {}})
    score: dict[str, float] = field(default_factory=lambda: {"ab": 0.0, "ba": 0.0})
    reported: dict[str, int] = field(default_factory=lambda: {"ab": 0, "ba": 0})


@dataclass(slots=True)
class Dyad:
    a: str
    b: str
    weeks: list[Week]
    undated: int

    def as_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "undated": self.undated,
                "weeks": [{"week": w.week, "a_to_b": w.counts["ab"], "b_to_a": w.counts["ba"],
                           "score_a_to_b": w.score["ab"], "score_b_to_a": w.score["ba"],
                           "reported_a_to_b": w.reported["ab"], "reported_b_to_a": w.reported["ba"]}
                          for w in self.weeks]}


def tally(rows: Iterable[EventRow]) -> list[EventTally]:
    """Events counted by (week, type), as ``Store.dyad_tallies`` returns them."""
    counts: dict[tuple[str | None, str], list[int]] = {}
    for row in rows:
        c = counts.setdefault((week_start(day_of(row)), row.type), [0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += row.negated
        c[2] += not row.negated and row.modality == "planned"
        c[3] += not row.negated and row.modality == "conditional"
        c[4] += row.modality == "reported"
    return [EventTally(*k, *c) for k, c in sorted(counts.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))]


def build_dyad(a: str, b: str, a_to_b: Iterable[EventTally], b_to_a: Iterable[EventTally]) -> Dyad:
    """The weekly table from the tallies of each direction (``Store.dyad_tallies``); scores are means."""
    values = scale()
    weeks: dict[str, Week] = {}
    names: dict[str | None, str | None] = {}
    scored: dict[tuple[str, str], int] = defaultdict(int)  # (week, direction) -> events that happened
    undated = 0
    for direction, tallies in (("ab", a_to_b), ("ba", b_to_a)):
        for t in tallies:
            key = names.get(t.week_start) if t.week_start in names else names.setdefault(
                t.week_start, iso_week(t.week_start))
            if key is None:
                undated += t.n
                continue
            w = weeks.setdefault(key, Week(key))
            w.counts[direction][t.type] = w.counts[direction].get(t.type, 0) + t.n
            w.score[direction] += tally_score(t, values)
            w.reported[direction] += t.reported
            scored[(key, direction)] += t.n - t.negated
    for (key, direction), n in scored.items():
        w = weeks[key]
        w.score[direction] = round(w.score[direction] / n, 3) if n else 0.0
    return Dyad(a, b, [weeks[k] for k in sorted(weeks)], undated)


def format_counts(counts: dict[str, int]) -> str:
    """``"ACCUSE, THREATEN×2"``: a week's event types, alphabetical, with counts above one."""
    return ", ".join(f"{t}×{n}" if n > 1 else t for t, n in sorted(counts.items()))


#: Chart formats by file suffix.
CHART_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}


def chart_format(path: str | Path) -> str:
    """The chart format for a file name (``OutputError`` ``output.unsupported`` for other suffixes)."""
    from newsgraph.errors import OutputError

    fmt = CHART_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise OutputError(f"chart {path}: give a file ending in {', '.join(CHART_FORMATS)}",
                          code="output.unsupported")
    return fmt


def plot_dyad(dyad: Dyad, path: str | Path, *, protected: Iterable[str] = ()) -> Path:
    """Bar chart of the weekly scores in both directions (SVG, PNG or PDF by the file's suffix).

    Written through ``newsgraph.outputs.write_output`` (never over ``protected``, e.g. the
    store's files; atomically).
    """
    from newsgraph.outputs import write_output

    path = Path(path)
    fmt = chart_format(path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [w.week for w in dyad.weeks]
    xs = range(len(labels))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(labels) + 2), 4))
    ax.bar([x - 0.2 for x in xs], [w.score["ab"] for w in dyad.weeks], width=0.4,
           label=f"{dyad.a} → {dyad.b}", color="#1f77b4")
    ax.bar([x + 0.2 for x in xs], [w.score["ba"] for w in dyad.weeks], width=0.4,
           label=f"{dyad.b} → {dyad.a}", color="#ff7f0e")
    ax.axhline(0, color="#444", linewidth=0.8)
    top = max([abs(w.score[d]) for w in dyad.weeks for d in ("ab", "ba")] + [1.0])
    ax.set_ylim(-top * 1.15, top * 1.15)
    ax.set_xticks(list(xs), labels, rotation=45, ha="right")
    ax.set_ylabel("conflict (−) … cooperation (+)")
    ax.set_title(f"{dyad.a} and {dyad.b}: events by week")
    ax.legend()
    fig.tight_layout()
    try:
        write_output(path, lambda stream: fig.savefig(stream, format=fmt), protected)
    finally:
        plt.close(fig)
    return path


def totals(dyad: Dyad) -> dict[str, Any]:
    by_type: dict[str, int] = defaultdict(int)
    for w in dyad.weeks:
        for direction in ("ab", "ba"):
            for t, n in w.counts[direction].items():
                by_type[t] += n
    return dict(sorted(by_type.items()))
