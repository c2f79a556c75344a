"""Schema 9: each article's analysis status, and the statement/negated/frame/category of each
attribution; quote listings filter by kind and confidence and say what they hide."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsgraph.errors import StoreError
from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.store.sqlite import migrations
from newsgraph.types import AnalysisStatus, Article
from tests.helpers import FLAGGED, flags_db, undo_schema_9


@pytest.fixture
def flagged(tmp_path: Path):
    english = flags_db(tmp_path / "s.db")
    with open_store(tmp_path / "s.db") as store:
        yield store, english


def _contents(rows) -> list[str]:
    return sorted(r.content_text for r in rows)


def _want(pred) -> list[str]:
    return sorted(f[2] for f in FLAGGED if pred(*f))


def test_flags_and_status_round_trip(flagged) -> None:
    store, english = flagged
    got = store.get_article(english.id).article
    assert got == english  # statement, negated, frame, category, confidence and the analysis status
    assert [(a.statement, a.negated, a.frame, a.category) for a in got.attributions] == \
        [(f[5], f[6], f[7], f[8]) for f in FLAGGED]
    assert got.analysis == AnalysisStatus.done("en", "test_pipeline 1.0")
    ru = next(s.article for s in store.iter_articles() if s.article.language == "ru")
    assert ru.analysis.as_dict() == {"status": "not_analysed", "language": "ru", "pipeline": None,
                                     "code": "analyze.no_pipeline", "reason": "no pipeline for ru"}


@pytest.mark.parametrize(("kinds", "pred"), [
    (None, lambda *f: True),
    (("all",), lambda *f: True),
    (("statement",), lambda s, c, t, k, conf, st, neg, *_: st and not neg),
    (("direct",), lambda s, c, t, k, conf, st, neg, *_: st and not neg and k == "direct"),
    (("indirect", "mixed"), lambda s, c, t, k, conf, st, neg, *_: st and not neg and k in ("indirect", "mixed")),
    (("negated",), lambda s, c, t, k, conf, st, neg, *_: neg),
    (("other",), lambda s, c, t, k, conf, st, neg, *_: not st and not neg),
    (("negated", "other"), lambda s, c, t, k, conf, st, neg, *_: neg or not st),
])
def test_quotes_by_kind(flagged, kinds, pred) -> None:
    store, _ = flagged
    assert _contents(store.quotes(kinds=kinds)) == _want(pred)
    counts = store.quote_counts(kinds=kinds)
    assert counts.shown == len(_want(pred)) and counts.below_confidence == 0
    assert counts.shown + counts.hidden == len(FLAGGED)


def test_min_confidence_is_inclusive_and_counted(flagged) -> None:
    store, _ = flagged
    rows = store.quotes(kinds=("statement",), min_confidence=0.5)
    assert _contents(rows) == ["We will build the bridge.", "Work starts in May."]  # 0.9 and exactly 0.5
    assert [(r.confidence, r.statement, r.negated) for r in rows] == [(0.9, True, False), (0.5, True, False)]
    counts = store.quote_counts(kinds=("statement",), min_confidence=0.5)
    assert (counts.shown, counts.below_confidence, counts.other_kinds, counts.hidden) == (2, 1, 2, 3)
    assert counts.as_dict() == {"total": 2, "hidden": 3, "below_confidence": 1, "other_kinds": 2}
    # with the other filters: only what they match is counted
    by_ann = store.quote_counts(speaker="Ann Lee", kinds=("statement",), min_confidence=0.95)
    assert (by_ann.shown, by_ann.below_confidence, by_ann.other_kinds) == (0, 2, 0)
    about = store.quote_counts(about="bridge", kinds=("statement",), min_confidence=0.5)
    assert (about.shown, about.below_confidence, about.other_kinds) == (1, 0, 1)
    assert _contents(store.quotes(about="bridge", kinds=("negated",))) == ["whether the bridge would open"]
    assert store.quote_counts(outlet="Nowhere", kinds=("statement",)).as_dict()["total"] == 0
    assert store.quote_counts(since="2026-03-02").hidden == 0


@pytest.mark.parametrize("bad", [{"kinds": ("quotes",)}, {"min_confidence": 1.5}, {"min_confidence": float("nan")}])
def test_bad_kind_or_confidence_is_a_bad_query(flagged, bad) -> None:
    store, _ = flagged
    for call in (store.quotes, store.quote_counts):
        with pytest.raises(StoreError) as ei:
            call(**bad)
        assert ei.value.code == "store.bad_query"


def test_analysis_counts(flagged) -> None:
    store, _ = flagged
    counts = store.analysis_counts()
    assert (counts.articles, counts.analysed, counts.not_analysed) == (5, 1, 4)
    assert sorted((r.code, r.language, r.n) for r in counts.reasons) == [
        ("analyze.failed", "en", 1), ("analyze.no_pipeline", "de", 1), ("analyze.no_pipeline", "ru", 1),
        ("analyze.skipped", "en", 1)]


def test_status_follows_a_later_analysis(tmp_path: Path) -> None:
    text = "Ann Lee said the bridge would open."
    bare = Article(article_id(text), "a.txt", None, None, None, (), None, "en", text,
                   analysis=AnalysisStatus.skipped("analyze.skipped", "stored with --no-analyze", "en"))
    done = dataclasses.replace(bare, source="b.txt", analysis=AnalysisStatus.done("en", "p 1"))
    with open_store(tmp_path / "s.db") as store:
        assert store.add_article(bare) == "new"
        assert store.get_article(bare.id).article.analysis.code == "analyze.skipped"
        assert store.add_article(done, analysis="v1") == "analysed"
        assert store.get_article(bare.id).article.analysis == AnalysisStatus.done("en", "p 1")
        failed = AnalysisStatus.skipped("analyze.no_pipeline", "no pipeline for xx", "xx")
        store.replace_analysis(dataclasses.replace(done, analysis=failed), "v2")
        assert store.get_article(bare.id).article.analysis == failed
        assert store.analysis_counts().not_analysed == 1
        # an older caller: analysis rows, no status -> analysed
        store.replace_analysis(dataclasses.replace(done, analysis=AnalysisStatus()), "v3")
        assert store.get_article(bare.id).article.analysis.analysed


# SQLite-specific: migrates a store from an older SQLite schema (tests/helpers.undo_schema_*).
def test_schema_9_migration_derives_statuses_and_keeps_old_attributions_as_statements(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    english = flags_db(db)
    with open_store(db) as store:
        conn = store._conn
        conn.execute("UPDATE articles SET analysis = NULL WHERE title = 'Other 4'")  # failed: no analysis
        conn.execute("UPDATE articles SET analysis = 'unversioned' WHERE id = ?", (english.id,))
        conn.execute("UPDATE articles SET analysis = 'newsgraph 0.1+abc/en_core_web_sm 3.8.0'"
                     " WHERE title = 'Other 3'")  # analysed by a named pipeline, nothing found
        undo_schema_9(conn)
        assert store.schema_version == 8
    with open_store(db) as store:
        assert store.schema_version == migrations()[-1][0] >= 12
        by_title = {s.article.title: s.article for s in store.iter_articles()}
        assert by_title["Other 1"].analysis == AnalysisStatus.skipped("analyze.no_pipeline", "no pipeline for ru",
                                                                      "ru")
        assert by_title["Other 2"].analysis.code == "analyze.no_pipeline"
        assert by_title["Other 3"].analysis == AnalysisStatus.done("en", "en_core_web_sm 3.8.0")
        assert by_title["Other 4"].analysis.code == "analyze.skipped" and not by_title["Other 4"].analysis.analysed
        assert by_title["Bridge plans"].analysis == AnalysisStatus.done("en", None)
        atts = by_title["Bridge plans"].attributions
        assert [(a.statement, a.negated, a.frame, a.category) for a in atts] == [(True, False, None, None)] * 5
        assert [a.confidence for a in atts] == [f[4] for f in FLAGGED]
        assert store.quote_counts(kinds=("statement",)).shown == 5
        assert store.analysis_counts().analysed == 2
