"""The SQLite side of a whole-store copy (``store.copy``): rows out, rows in, as they are.

``BulkReader.copy_rows`` reads a table's rows in its key order: those of the articles whose
``seq`` lies in ``(lo, hi]`` for the tables that belong to an article (``ARTICLE_LINK``: each
joined by the column that names its article), every row for the others. ``BulkWriter.load_rows``
inserts rows with their ids (``INSERT ... ON CONFLICT DO NOTHING``: a row already there is kept,
so a batch may be loaded twice) with ``executemany``, and the search entries of what it loaded
(FTS5 external-content rows: ``articles_fts`` for articles, ``attributions_fts`` for
attributions). ``attribution_tally`` is kept by the schema's triggers, as on any insert. A load
raises the connection's page cache (``LOAD_CACHE_KIB``).
Table and column names come from ``store.copy.TABLES`` (fixed names, checked against it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

#: How each per-article table names its article (None: ``articles`` itself, by ``seq``).
ARTICLE_LINK = {"articles": None, "sources": "article_id", "attributions": "article_id",
                "article_entities": "article_id", "events": "article_id", "story_signatures": "article_seq",
                "story_bands": "article_seq"}
#: The order rows are read in (a key of the table).
ORDER = {"articles": "seq", "sources": "seq", "attributions": "seq", "article_entities": "seq", "events": "seq",
         "story_signatures": "article_seq", "story_bands": "article_seq, band", "actors": "key",
         "actor_aliases": "actor_key, alias", "actor_keys": "actor_key, block", "actor_redirects": "old_key",
         "corrections": "seq", "speaker_counts": "name", "name_weeks": "name, week",
         "dyad_weeks": "actor_entity, target_entity, week, type", "ingest_runs": "id", "ingest_errors": "id",
         "attribution_tally": "kind, statement, negated, confidence"}
#: The full-text tables filled beside a table: (FTS table, its columns), keyed by rowid = seq.
_FTS = {"articles": ("articles_fts", ("title", "text")), "attributions": ("attributions_fts", ("content_text",))}
#: The write connection's page cache during a load (KiB; SQLite's default is 2 MiB): the indexes of
#: attributions and events take keys in no particular order, and a larger cache keeps their pages
#: (a 10,000-article copy: 29-42 s with the default, 21-24 s with this, alternating runs).
LOAD_CACHE_KIB = 256 * 1024
#: Rows read from the database at a time.
FETCH = 2000


def _checked(table: str, columns: Sequence[str]) -> str:
    if table not in ORDER or not all(c.isidentifier() for c in columns):
        raise ValueError(f"not a table of the copy: {table} {columns}")
    return ", ".join(columns)


class SQLiteBulkReader:
    conn: sqlite3.Connection

    def copy_rows(self, table: str, columns: Sequence[str], articles: tuple[int, int] | None
                  ) -> Iterator[tuple[Any, ...]]:
        cols = _checked(table, columns)
        sql, params = f"SELECT {cols} FROM {table}", ()
        if articles is not None:
            link = ARTICLE_LINK[table]
            params = articles
            if link is None:
                sql += " WHERE seq > ? AND seq <= ?"
            elif link == "article_seq":
                sql += " WHERE article_seq > ? AND article_seq <= ?"
            else:
                sql += " WHERE article_id IN (SELECT id FROM articles WHERE seq > ? AND seq <= ?)"
        cur = self.conn.execute(f"{sql} ORDER BY {ORDER[table]}", params)
        while rows := cur.fetchmany(FETCH):
            yield from rows

    def count_rows(self, table: str) -> int:
        _checked(table, ())
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def last_article(self) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT seq, id FROM articles ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), str(row[1]))


class SQLiteBulkWriter:
    conn: sqlite3.Connection

    def load_rows(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        cols = _checked(table, columns)
        if not rows:
            return
        self.conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")  # this connection's, for the load
        marks = ", ".join("?" * len(columns))
        fts = _FTS.get(table)
        if fts is not None:  # search entries for the rows that are new here only
            key = list(columns).index("seq")
            have = self._have(table, [r[key] for r in rows])
            new = [r for r in rows if r[key] not in have]
        self.conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)
        if fts is not None and new:
            fts_table, fts_cols = fts
            at = [list(columns).index(c) for c in ("seq", *fts_cols)]
            self.conn.executemany(f"INSERT INTO {fts_table} (rowid, {', '.join(fts_cols)})"
                                  f" VALUES ({', '.join('?' * len(at))})", [tuple(r[i] for i in at) for r in new])

    def _have(self, table: str, seqs: list[Any]) -> set[Any]:
        have: set[Any] = set()
        for i in range(0, len(seqs), 500):
            part = seqs[i:i + 500]
            have.update(r[0] for r in self.conn.execute(
                f"SELECT seq FROM {table} WHERE seq IN ({', '.join('?' * len(part))})", part))
        return have

    def end_load(self) -> None:
        """Nothing to move on: SQLite's next rowid is past the largest one loaded."""
        self.conn.execute("PRAGMA optimize")
