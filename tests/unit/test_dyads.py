"""Dyad scoring and charts (no NLP: hand-made event rows)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.dyads import build_dyad, event_score, plot_dyad, scale, tally, tally_score, totals, week_of
from newsgraph.store import EventRow


def row(etype: str, *, date: str | None = "2026-03-03", published: str | None = "2026-03-04",
        negated: bool = False, modality: str = "asserted") -> EventRow:
    return EventRow("abc", "t", "o", published, etype, "trigger", "A", "B", negated, modality, date, None, 0, 7)


def test_scores_follow_the_documented_scale() -> None:
    assert event_score(row("ASSAULT")) == -10
    assert event_score(row("AID")) == 7
    assert event_score(row("CONSULT")) == 1
    assert event_score(row("THREATEN", negated=True)) == 0
    assert event_score(row("THREATEN", modality="conditional")) == -3
    assert event_score(row("AGREE", modality="planned")) == 2.5
    assert event_score(row("ACCUSE", modality="reported")) == -2


def test_weeks_use_the_event_date_then_the_article_date() -> None:
    assert week_of(row("AID", date="2026-03-03")) == "2026-W10"
    assert week_of(row("AID", date=None, published="2026-03-10T08:00:00Z")) == "2026-W11"
    assert week_of(row("AID", date=None, published=None)) is None


def test_build_dyad_groups_by_week_and_direction() -> None:
    ab = [row("CONSULT"), row("THREATEN", date="2026-03-10"), row("THREATEN", date="2026-03-11")]
    ba = [row("REJECT", date="2026-03-12", modality="reported"), row("AID", date=None, published=None)]
    d = build_dyad("A", "B", tally(ab), tally(ba))
    assert [w.week for w in d.weeks] == ["2026-W10", "2026-W11"]
    assert d.weeks[1].counts["ab"] == {"THREATEN": 2} and d.weeks[1].score["ab"] == -6  # the mean, on the scale
    assert d.weeks[1].counts["ba"] == {"REJECT": 1} and d.weeks[1].reported["ba"] == 1
    assert d.undated == 1
    assert totals(d) == {"CONSULT": 1, "REJECT": 1, "THREATEN": 2}
    assert d.as_dict()["weeks"][0]["a_to_b"] == {"CONSULT": 1}


def test_chart_files(tmp_path: Path) -> None:
    d = build_dyad("A", "B", tally([row("CONSULT"), row("ASSAULT", date="2026-04-01")]), tally([row("PROTEST")]))
    png = plot_dyad(d, tmp_path / "d.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plot_dyad(d, tmp_path / "d.svg")
    assert b"<svg" in svg.read_bytes()[:500]


def test_tallies_count_same_week_events_together() -> None:
    rows = [row("THREATEN", date="2026-03-10"), row("THREATEN", date="2026-03-10"),
            row("THREATEN", date="2026-03-10", negated=True), row("THREATEN", date="2026-03-12", modality="planned"),
            row("THREATEN", date="2026-03-12", modality="reported"),
            row("AID", date=None, published="2026-03-11T09:00:00Z")]
    got = {(t.week_start, t.type): (t.n, t.negated, t.planned, t.conditional, t.reported) for t in tally(rows)}
    # 2026-03-10 is a Tuesday, 2026-03-11 and -12 later that week: all in the week of Monday 2026-03-09.
    assert got == {("2026-03-09", "THREATEN"): (5, 1, 1, 0, 1), ("2026-03-09", "AID"): (1, 0, 0, 0, 0)}
    # Scores as per event: two threats -6 each, the negated one 0, the planned one -3, the reported one -6; aid +7.
    # the week's score is their mean over the five that happened (the negated one left out)
    assert build_dyad("A", "B", tally(rows), []).weeks[0].score["ab"] == round((-6 * 3 - 3 + 7) / 5, 3)
    assert sum(tally_score(t) for t in tally(rows)) == sum(event_score(r) for r in rows)


@given(st.lists(st.tuples(st.sampled_from(sorted(scale())), st.sampled_from(["asserted", "planned", "conditional",
                                                                              "reported"]),
                          st.booleans(), st.sampled_from(["2026-03-02", "2026-03-03", "2026-03-10"])),
                max_size=40))
def test_weekly_scores_stay_on_the_scale(events) -> None:
    """Issue 11: the dyad score stays inside its documented -10..+10 scale, for every type and modality,
    however many events a week holds."""
    rows = [row(typ, modality=mod, negated=neg, date=day) for typ, mod, neg, day in events]
    d = build_dyad("A", "B", tally(rows), tally(rows[::2]))
    assert all(-10 <= w.score[k] <= 10 for w in d.weeks for k in ("ab", "ba"))
    assert all(-10 <= event_score(r) <= 10 for r in rows)
