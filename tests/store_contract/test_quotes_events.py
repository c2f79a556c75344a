"""Contract: quotes and events, newest first, filtered, paged and counted; dyads by week."""

from __future__ import annotations

import dataclasses

import pytest

from newsgraph.errors import NotFound, StoreError
from newsgraph.store import QUOTE_KINDS, Store
from tests.helpers import analysed_article

#: (published, outlet, quotes, events) of the world's articles, in the order they are stored.
WORLD = [
    ("2026-03-02", "North Post", (("Ann Lee", "The bridge opens in May"), ("Bo Chan", "The money ran out", "indirect",
                                  0.3)),
     (("Russia", "ATTACK", "Ukraine"),)),
    ("2026-03-09", "South Post", (("Ann Lee", "Tolls will stay low", "mixed", 0.6),
                                  ("Cy Dunn", "whether the bridge opens", "indirect", 0.9, True, True)),
     (("Ukraine", "CONSULT", "Russia"), ("Russia", "ATTACK", "Ukraine", True))),
    ("2026-03-02", "South Post", (("Dee Fox", "the plan is sound", "indirect", 0.8, False),
                                  ("Dee Fox", "whether funds exist", "indirect", 0.8, False, True)),
     (("Russia", "THREATEN", "Ukraine", False, "planned"), ("Russia", "ATTACK", "Ukraine", False, "asserted", 0))),
    (None, "North Post", (("Ann Lee", "No date on this one"), (None, "an unnamed voice spoke")), ()),
]


@pytest.fixture
def world(store: Store) -> tuple[Store, list]:
    arts = [analysed_article(i, published=p, outlet=o, quotes=q, events=e) for i, (p, o, q, e) in enumerate(WORLD)]
    for a in arts:
        store.add_article(a, analysis="contract 1")
    return store, arts


def test_quotes_newest_first_then_later_stored_then_in_article_order(world) -> None:
    store, arts = world
    rows = store.quotes(kinds=("all",))  # undated last
    assert [(r.article_id, r.idx) for r in rows] == [
        (arts[1].id, 0), (arts[1].id, 1), (arts[2].id, 0), (arts[2].id, 1), (arts[0].id, 0), (arts[0].id, 1),
        (arts[3].id, 0), (arts[3].id, 1)]
    by_page = [(r.article_id, r.idx) for off in range(0, 8, 3) for r in store.quotes(kinds=("all",), limit=3,
                                                                                      offset=off)]
    assert by_page == [(r.article_id, r.idx) for r in rows]
    first = rows[0]
    assert (first.speaker, first.source_text, first.cue_text, first.kind, first.confidence) == (
        "Ann Lee", "Ann Lee", "said", "mixed", 0.6)
    assert (first.title, first.outlet, first.published) == (arts[1].title, "South Post", "2026-03-09")
    text = arts[1].text
    assert text[first.content_start:first.content_end] == first.content_text == "Tolls will stay low"


def test_quote_kinds_confidence_and_counts(world) -> None:
    store, _ = world
    contents = {k: [r.content_text for r in store.quotes(kinds=(k,))] for k in QUOTE_KINDS}
    assert contents["negated"] == ["whether the bridge opens", "whether funds exist"]  # a belief's too
    assert contents["other"] == ["the plan is sound"]
    assert contents["mixed"] == ["Tolls will stay low"] and contents["indirect"] == ["The money ran out"]
    assert len(contents["all"]) == 8
    assert sorted(contents["statement"] + contents["negated"] + contents["other"]) == sorted(contents["all"])
    shown = store.quotes(kinds=("statement",), min_confidence=0.5)
    assert [r.content_text for r in shown] == ["Tolls will stay low", "The bridge opens in May", "No date on this one",
                                               "an unnamed voice spoke"]
    counts = store.quote_counts(kinds=("statement",), min_confidence=0.5)
    assert (counts.shown, counts.below_confidence, counts.other_kinds, counts.hidden) == (4, 1, 3, 4)
    # counts over the whole store and over a filter agree with the rows they count
    for f in ({}, {"speaker": "ann"}, {"outlet": "South Post"}, {"since": "2026-03-05"}, {"about": "bridge"}):
        c = store.quote_counts(kinds=("statement",), min_confidence=0.5, **f)
        assert c.shown == len(store.quotes(kinds=("statement",), min_confidence=0.5, limit=100, **f)), f
        assert c.shown + c.hidden == len(store.quotes(kinds=("all",), limit=100, **f)), f
    for bad in ({"kinds": ("shouted",)}, {"min_confidence": 1.5}, {"since": "yesterday-ish"}):
        with pytest.raises(StoreError) as ei:
            store.quotes(**bad)
        assert ei.value.code in ("store.bad_query", "store.bad_date")


def test_quote_filters(world) -> None:
    store, arts = world
    assert {r.speaker for r in store.quotes(speaker="ann lee", kinds=("all",))} == {"Ann Lee"}
    assert len(store.quotes(speaker="Ann", kinds=("all",))) == 3
    assert [r.content_text for r in store.quotes(about="bridge", kinds=("all",))] == [
        "whether the bridge opens", "The bridge opens in May"]
    assert {r.outlet for r in store.quotes(outlet="north post", kinds=("all",))} == {"North Post"}
    assert {r.published for r in store.quotes(since="2026-03-03", kinds=("all",))} == {"2026-03-09"}
    assert {r.published for r in store.quotes(until="2026-03-02", kinds=("all",))} == {"2026-03-02"}
    assert store.quotes(speaker="Nobody At All") == []
    assert [r.speaker for r in store.quotes(kinds=("all",)) if r.article_id == arts[3].id] == ["Ann Lee", None]


def test_quotes_by_speaker_paged_once_each_newest_first(world) -> None:
    """A speaker's quotes match by registry name and by the name as written (often both at once):
    each quote listed once, newest first, pages (also past the first) slices of the whole list."""
    store, arts = world
    for speaker, kinds, least in (("ann lee", ("all",), None), ("Ann", ("statement",), 0.5), ("dee", ("all",), None)):
        rows = [(r.article_id, r.idx) for r in store.quotes(speaker=speaker, kinds=kinds, min_confidence=least)]
        assert len(rows) == len(set(rows)) > 0
        assert [(r.article_id, r.idx) for off in range(4) for r in store.quotes(
            speaker=speaker, kinds=kinds, min_confidence=least, limit=1, offset=off)] == rows, speaker
    assert [(r.article_id, r.idx) for r in store.quotes(speaker="ann lee", kinds=("all",))] == [
        (arts[1].id, 0), (arts[0].id, 0), (arts[3].id, 0)]


def test_events_newest_first_filtered_and_without_repeats(world) -> None:
    store, arts = world
    rows = store.events()
    assert [(r.article_id, r.type) for r in rows] == [
        (arts[1].id, "CONSULT"), (arts[1].id, "ATTACK"), (arts[2].id, "THREATEN"), (arts[0].id, "ATTACK")]
    assert len(store.get_article(arts[2].id).article.events) == 2  # the repeat is stored, not listed
    assert rows[1].negated and rows[2].modality == "planned" and rows[0].actor_linked and rows[0].target_linked
    assert [r.type for r in store.events(actor="russ")] == ["ATTACK", "THREATEN", "ATTACK"]
    assert [r.type for r in store.events(target="russia")] == ["CONSULT"]
    assert [r.type for r in store.events(type="attack")] == ["ATTACK", "ATTACK"]
    assert {r.published for r in store.events(since="2026-03-03")} == {"2026-03-09"}
    assert [r.type for r in store.events(limit=2, offset=1)] == ["ATTACK", "THREATEN"]


def test_dyads_both_ways_and_by_week(world) -> None:
    store, _ = world
    a, b, ab, ba = store.dyad("Russia", "ukraine")
    assert (a, b) == ("Russia", "Ukraine")
    assert [r.type for r in ab] == ["ATTACK", "THREATEN", "ATTACK", "ATTACK"]  # the repeat is one of its article's
    assert [r.type for r in ba] == ["CONSULT"]
    assert [r.type for r in store.dyad("Russia", "Ukraine", limit=1)[2]] == ["ATTACK"]
    _, _, t_ab, t_ba = store.dyad_tallies("Russia", "Ukraine")
    assert [(t.week_start, t.type, t.n, t.negated, t.planned) for t in t_ab] == [
        ("2026-03-02", "ATTACK", 2, 0, 0), ("2026-03-02", "THREATEN", 1, 0, 1), ("2026-03-09", "ATTACK", 1, 1, 0)]
    assert [(t.week_start, t.type, t.n) for t in t_ba] == [("2026-03-09", "CONSULT", 1)]
    with pytest.raises(NotFound):
        store.dyad("Russia", "Atlantis")


def test_counters_follow_re_analysis(world) -> None:
    store, arts = world
    before = (store.top_speakers(), store.actor_timeline("Ann Lee"), store.dyad_tallies("Russia", "Ukraine"))
    assert [(s.name, s.n_quotes) for s in before[0]] == [("Ann Lee", 3), ("Dee Fox", 2), ("Bo Chan", 1),
                                                         ("Cy Dunn", 1)]
    store.replace_analysis(dataclasses.replace(arts[1], attributions=(), entities=(), events=()), "contract 2")
    assert [(s.name, s.n_quotes) for s in store.top_speakers()] == [("Ann Lee", 2), ("Dee Fox", 2), ("Bo Chan", 1)]
    assert [(w.week_start, w.articles, w.quotes_by) for w in store.actor_timeline("Ann Lee")] == [
        ("2026-03-02", 1, 1)]  # no week left at zero
    assert [(t.type, t.n) for t in store.dyad_tallies("Russia", "Ukraine")[2]] == [("ATTACK", 2), ("THREATEN", 1)]
    store.replace_analysis(arts[1], "contract 3")
    assert (store.top_speakers(), store.actor_timeline("Ann Lee"), store.dyad_tallies("Russia", "Ukraine")) == before
