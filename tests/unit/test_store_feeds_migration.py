"""Schema 14 (SQLite) / migration 2 (PostgreSQL): a store from before the followed feeds opens,
migrates once, keeps every article and can follow feeds at once. Backend-specific by nature (each
backend's own way back to its older schema), so not in the contract suite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from newsgraph.ids import article_id
from newsgraph.store import feeds as feedlist
from newsgraph.store import open_store
from newsgraph.types import Article
from tests.helpers import undo_schema_14


def art(i: int) -> Article:
    text = f"An article written before feeds were followed, number {i}."
    return Article(article_id(text), f"old{i}.html", None, f"Old {i}", "Post", (), "2026-02-01", "en", text)


def test_a_schema_13_sqlite_store_migrates_to_14_and_keeps_its_articles(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with open_store(db) as s:
        for i in range(3):
            s.add_article(art(i))
        undo_schema_14(s._conn)  # type: ignore[attr-defined]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 13
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'feeds'").fetchone() is None
    conn.close()
    with open_store(db) as s:
        assert s.schema_version >= 14 and s.count_articles() == 3
        assert feedlist.follow(s, [("https://a.example/rss", "A")]) == [("https://a.example/rss", True)]
    with open_store(db) as s:  # once: reopening migrates nothing again
        assert [f.url for f in feedlist.followed(s)] == ["https://a.example/rss"]
        versions = [v for (v,) in s._conn.execute("SELECT version FROM schema_migrations")]  # type: ignore[attr-defined]
        assert versions.count(14) == 1


def test_a_postgresql_store_at_migration_1_migrates_to_2(pg_database: Callable[[], str]) -> None:
    import psycopg

    from newsgraph.store.postgres_migrations import migrate

    url = pg_database()
    with psycopg.connect(url, autocommit=True) as conn:
        assert migrate(conn, "test", upto=1) == 1
    with open_store(url) as s:
        assert s.schema_version >= 2
        s.add_article(art(1))
        feedlist.follow(s, [("https://a.example/rss", None)])
    with open_store(url) as s:
        assert s.count_articles() == 1 and [f.url for f in feedlist.followed(s)] == ["https://a.example/rss"]
