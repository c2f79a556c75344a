"""Schema 15 (SQLite) / migration 3 (PostgreSQL): a store from before articles' headings and page
kind opens, migrates once and keeps its articles, with no headings and an unknown page kind (NULL);
articles added after keep theirs. Backend-specific (each backend's own way back)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.types import Article
from tests.helpers import undo_schema_15


def art(i: int, **kw: object) -> Article:
    text = f"Article number {i}, stored before sub-heads were kept.\n\nA sub-head\n\nMore text."
    return Article(article_id(text), f"old{i}.html", None, f"Old {i}", "Post", (), "2026-02-01", "en", text, **kw)


_START = art(0).text.index("A sub-head")
HEADS = ((_START, _START + 10),)


def test_a_schema_14_sqlite_store_migrates_to_15(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with open_store(db) as s:
        s.add_article(art(0, headings=HEADS, page_kind="article"))
        undo_schema_15(s._conn)  # type: ignore[attr-defined]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 14
    conn.close()
    with open_store(db) as s:
        assert s.schema_version >= 15
        old = s.get_article(art(0).id).article
        assert (old.headings, old.page_kind, old.text) == ((), None, art(0).text)
        s.add_article(art(1, headings=HEADS, page_kind="live_blog"))
    with open_store(db) as s:
        new = s.get_article(art(1).id).article
        assert (new.headings, new.page_kind) == (HEADS, "live_blog")
        versions = [v for (v,) in s._conn.execute("SELECT version FROM schema_migrations")]  # type: ignore[attr-defined]
        assert versions.count(15) == 1


def test_a_postgresql_store_at_migration_2_migrates_to_3(pg_database: Callable[[], str]) -> None:
    import psycopg

    from newsgraph.store.postgres_migrations import migrate

    url = pg_database()
    with psycopg.connect(url, autocommit=True) as conn:
        assert migrate(conn, "test", upto=2) == 2
        conn.execute("INSERT INTO articles (id, title, authors, text, n_chars, added_at) VALUES"
                     " (%s, 'Old 0', '[]', %s, %s, '2026-02-01T00:00:00Z')", (art(0).id, art(0).text, len(art(0).text)))
    with open_store(url) as s:
        assert s.schema_version >= 3
        old = s.get_article(art(0).id).article
        assert (old.headings, old.page_kind, old.text) == ((), None, art(0).text)
        s.add_article(art(1, headings=HEADS, page_kind="live_blog"))
    with open_store(url) as s:
        new = s.get_article(art(1).id).article
        assert (new.headings, new.page_kind) == (HEADS, "live_blog")
