"""Schema 10: the attribution tally behind the unfiltered quote counts stays exact.

``Store.quote_counts()`` without a speaker, topic, outlet or date filter reads the running tally
(one row per kind, statement, negated and confidence, kept by triggers) instead of every
attribution; these tests compare it with a count over the rows themselves after inserts,
re-analysis (rows deleted and inserted) and flag updates, and check the migration's backfill.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.ids import article_id
from newsgraph.store import Store, open_store
from newsgraph.store.sqlite import _count_quotes, _Filter, _kinds_cond, migrations
from newsgraph.types import AnalysisStatus, Article, Attribution, TextSpan
from tests.helpers import flags_db, undo_schema_10

SELECTIONS = [(("statement",), 0.5), (("direct",), 0.5), (("negated",), None), (("other",), 0.8), (("all",), None),
              (("indirect", "mixed"), 0.3), (None, None)]


def _scan(store: Store, kinds, least):
    return _count_quotes(store._conn, _Filter(), _kinds_cond(kinds), least)


def _assert_tally_exact(store: Store) -> None:
    for kinds, least in SELECTIONS:
        assert store.quote_counts(kinds=kinds, min_confidence=least) == _scan(store, kinds, least), (kinds, least)


def _article(i: int, flags: list[tuple[str, bool, bool, float]]) -> Article:
    text = " ".join(f"Speaker{i} said thing number {k}." for k in range(len(flags))) or f"Empty {i}."
    atts = []
    for k, (kind, statement, negated, conf) in enumerate(flags):
        piece = f"thing number {k}"
        at = text.index(piece)
        atts.append(Attribution(kind, TextSpan(at, at + len(piece), piece), confidence=conf, statement=statement,
                                negated=negated))
    return Article(article_id(text), f"a{i}.txt", None, f"A{i}", "Post", (), "2026-01-01", "en", text,
                   attributions=tuple(atts), analysis=AnalysisStatus.done("en", "test 1"))


FLAGS = st.lists(st.tuples(st.sampled_from(["direct", "indirect", "mixed"]), st.booleans(), st.booleans(),
                           st.sampled_from([0.05, 0.3, 0.5, 0.5, 0.8, 0.97])), max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(FLAGS, min_size=1, max_size=4), again=st.lists(FLAGS, max_size=4))
def test_the_tally_is_the_count_of_the_rows(tmp_path_factory, first, again) -> None:
    db = tmp_path_factory.mktemp("tally") / "s.db"
    with open_store(db) as store:
        arts = [_article(i, flags) for i, flags in enumerate(first)]
        for a in arts:
            store.add_article(a, analysis="test")
        _assert_tally_exact(store)
        for a, flags in zip(arts, again, strict=False):  # re-analysis: rows deleted and inserted
            redo = _article(int(a.source[1:-4]), flags)
            if redo.text == a.text:
                store.replace_analysis(redo, "test2")
        _assert_tally_exact(store)
        # SQLite-specific: the tally's triggers follow even a hand-made UPDATE of the flags.
        store._conn.execute("UPDATE attributions SET confidence = 0.99, statement = 1 - statement WHERE seq % 2 = 0")
        _assert_tally_exact(store)


# SQLite-specific: migrates a store from an older SQLite schema (tests/helpers.undo_schema_*).
def test_the_migration_fills_the_tally_from_the_rows(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    flags_db(db)
    with open_store(db) as store:
        undo_schema_10(store._conn)
        assert store.schema_version == 9
    with open_store(db) as store:
        assert store.schema_version == migrations()[-1][0] >= 12
        assert store._conn.execute("SELECT SUM(n) FROM attribution_tally").fetchone()[0] == 5
        _assert_tally_exact(store)


def test_filtered_counts_still_read_the_rows(tmp_path: Path) -> None:
    english = flags_db(tmp_path / "s.db")
    with open_store(tmp_path / "s.db") as store:
        whole = store.quote_counts(kinds=("statement",), min_confidence=0.5)
        by_outlet = store.quote_counts(kinds=("statement",), min_confidence=0.5, outlet="Flag Post")
        assert whole == by_outlet  # the one analysed article is the outlet's
        assert store.quote_counts(kinds=("statement",), min_confidence=0.5, outlet="Nobody").shown == 0
    assert dataclasses.is_dataclass(english)
