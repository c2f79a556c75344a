"""Schema 16 (SQLite) / migration 5 (PostgreSQL): a store from before articles' section opens,
migrates once and keeps its articles with no section (NULL: not recorded); articles added after
keep theirs. Backend-specific (each backend's own way back)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.types import Article
from tests.helpers import undo_schema_16


def art(i: int, **kw: object) -> Article:
    text = f"Article number {i}, stored before sections were kept.\n\nMore text on the harbour plan."
    return Article(article_id(text), f"old{i}.html", None, f"Old {i}", "Post", (), "2026-02-01", "en", text, **kw)


def test_a_schema_15_sqlite_store_migrates_to_16(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with open_store(db) as s:
        s.add_article(art(0, section="Politics"))
        undo_schema_16(s._conn)  # type: ignore[attr-defined]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 15
    conn.close()
    with open_store(db) as s:
        assert s.schema_version == 16
        old = s.get_article(art(0).id).article
        assert (old.section, old.title, old.text) == (None, "Old 0", art(0).text)
        s.add_article(art(1, section="Business"))
    with open_store(db) as s:
        assert s.get_article(art(1).id).article.section == "Business"
        versions = [v for (v,) in s._conn.execute("SELECT version FROM schema_migrations")]  # type: ignore[attr-defined]
        assert versions.count(16) == 1


def test_a_postgresql_store_before_the_section_migrates(pg_database: Callable[[], str]) -> None:
    import psycopg

    from newsgraph.store.postgres_migrations import migrate, migrations

    (before,) = [v - 1 for v, name, _ in migrations() if name == "article_section"]
    url = pg_database()
    with psycopg.connect(url, autocommit=True) as conn:
        assert migrate(conn, "test", upto=before) == before
        conn.execute("INSERT INTO articles (id, title, authors, text, n_chars, added_at) VALUES"
                     " (%s, 'Old 0', '[]', %s, %s, '2026-02-01T00:00:00Z')", (art(0).id, art(0).text, len(art(0).text)))
    with open_store(url) as s:
        assert s.schema_version >= before + 1
        assert s.get_article(art(0).id).article.section is None
        s.add_article(art(1, section="Business"))
    with open_store(url) as s:
        assert s.get_article(art(1).id).article.section == "Business"
