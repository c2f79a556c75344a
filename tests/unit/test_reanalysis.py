"""Articles stored without analysis get it later; re-analysis after an upgrade leaves no trace of the old one.

Item 10 of the hardening issue: files stored with ``--no-analyze`` were never
analysed afterwards, although the README promised it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest import ingest
from newsgraph.reanalysis import analyse_stored
from newsgraph.store import open_store
from newsgraph.store.sqlite import migrations
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.timeout(300)

#: Every table whose rows an article's analysis adds to (the aggregates included).
ANALYSIS_TABLES = {
    "attributions": "SELECT article_id, idx, kind, content_start, content_end, content_text, cue_text,"
                    " source_text, source_entity, via_entity, published, article_seq FROM attributions",
    # what the full-text index finds (as attributions), and how many index entries match (none stale)
    "attributions_fts": "SELECT t.article_id, t.idx FROM attributions_fts f JOIN attributions t ON t.seq = f.rowid"
                        " WHERE attributions_fts MATCH 'said OR says OR told OR the'",
    "attributions_fts_n": "SELECT COUNT(*) FROM attributions_fts WHERE attributions_fts MATCH 'said OR says OR the'",
    "article_entities": "SELECT article_id, entity_id, name, type, mentions, n_mentions, actor_key, published"
                        " FROM article_entities",
    "events": "SELECT article_id, idx, type, trigger_text, actor_entity, target_entity, modality, sort_date, week"
              " FROM events",
    "speaker_counts": "SELECT name, n FROM speaker_counts",
    "name_weeks": "SELECT name, week, articles, mentions, quotes FROM name_weeks"
                  " WHERE articles OR mentions OR quotes",
    "dyad_weeks": "SELECT * FROM dyad_weeks",
    "actors": "SELECT key, name, type, n_articles, n_mentions FROM actors",
    "actor_aliases": "SELECT actor_key, alias FROM actor_aliases",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with open_store(db) as store:
        return {name: sorted(store._conn.execute(sql).fetchall(), key=repr) for name, sql in ANALYSIS_TABLES.items()}


def test_no_analyze_then_analysing_ingest_fills_the_analysis(examples_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    with open_store(db) as store:
        first = ingest([str(EXAMPLES)], store, Settings(), workers=1, analyze=False)
        assert first.new == 14 and not store.quotes()
        second = ingest([str(EXAMPLES)], store, Settings(), workers=1, analyze=True)
        assert second.analysed == 14 and second.skipped == 0 and second.new == 0
        third = ingest([str(EXAMPLES)], store, Settings(), workers=1, analyze=True)
        assert third.skipped == 14 and third.analysed == 0  # analysed sources are skipped as before
    assert snapshot(db) == snapshot(examples_db)


def test_analyze_store_fills_what_no_analyze_left_out(examples_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with open_store(db) as store:
        ingest([str(EXAMPLES)], store, Settings(), workers=1, analyze=False)
        done = analyse_stored(store, Settings(), workers=1)
        assert done.as_dict() == {"todo": 14, "analysed": 14, "failed": 0}
        assert analyse_stored(store, Settings(), workers=1).todo == 0  # resumable: nothing left
        assert [r.status for r in store.runs()][:1] == ["finished"]
    assert snapshot(db) == snapshot(examples_db)


def test_reanalysis_of_every_version_replaces_rows_and_aggregates_exactly(examples_db_copy, examples_db: Path,
                                                                          ) -> None:
    db = examples_db_copy("reanalyse")
    before = snapshot(examples_db)
    with open_store(db) as store:
        store._conn.execute("UPDATE articles SET analysis = 'newsgraph 0.0.1+old/model 0'")
        assert analyse_stored(store, Settings(), workers=1).todo == 0  # without --all: only never analysed
        done = analyse_stored(store, Settings(), workers=2, all_versions=True)
        assert done.analysed == 14 and done.failed == 0
        assert analyse_stored(store, Settings(), workers=1, all_versions=True).todo == 0
    assert snapshot(db) == before


def test_reanalysis_drops_what_the_new_analysis_no_longer_finds(examples_db_copy) -> None:
    """Replacing an analysis that found something with one that found nothing empties every aggregate."""
    import dataclasses

    db = examples_db_copy("empty")
    with open_store(db) as store:
        ids = [r[0] for r in store._conn.execute("SELECT id FROM articles")]
        for aid in ids:
            bare = dataclasses.replace(store.get_article(aid).article, attributions=(), entities=(), events=())
            store.replace_analysis(bare, "nothing found")
    empty = snapshot(db)
    assert empty["attributions_fts_n"] == [(0,)]
    # no article names them any more, and no correction refers to them: the registry forgets them
    assert all(not rows for name, rows in empty.items() if name != "attributions_fts_n"), empty


def test_schema_8_migration_marks_old_runs_and_analysed_articles(examples_db_copy, tmp_path: Path) -> None:
    from tests.helpers import undo_schema_8

    db = examples_db_copy("schema7")
    with open_store(db) as store:
        conn = store._conn
        n_analysed = conn.execute("SELECT COUNT(*) FROM articles a WHERE EXISTS (SELECT 1 FROM article_entities e"
                                  " WHERE e.article_id = a.id)").fetchone()[0]
        # an article stored by --no-analyze before schema 8: no rows of analysis
        conn.execute("DELETE FROM article_entities WHERE article_id = (SELECT id FROM articles"
                     " WHERE language = 'de' LIMIT 1)")
        undo_schema_8(conn)
        conn.execute("INSERT INTO ingest_runs (started_at, argv) VALUES ('2026-01-01T00:00:00Z', '[]')")  # killed
    with open_store(db) as store:
        conn = store._conn
        assert store.schema_version == migrations()[-1][0]
        assert [r.status for r in store.runs()] == ["interrupted", "finished"]
        analysed = dict(conn.execute("SELECT COALESCE(analysis, 'none'), COUNT(*) FROM articles GROUP BY 1"))
        assert analysed.get("unversioned", 0) >= n_analysed - 1 and analysed.get("none", 0) >= 1
        assert sum(analysed.values()) == 14
        done = analyse_stored(store, Settings(), workers=1)
        assert done.todo == analysed["none"] and done.failed == 0
