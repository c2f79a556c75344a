"""The PostgreSQL side of a whole-store copy (``store.copy``): the bulk hooks of ``store.backend``
(``BulkReader``, ``BulkWriter``) as mixins of the backend's reader and writer (``PGBulkReader`` in
``postgres_reader.PGReader``, ``PGBulkWriter`` in ``postgres_writer.PGWriter``), over their
connection, in its open transaction (as ``store.sqlite_bulk`` is for SQLite).

* ``copy_rows`` streams through a server-side cursor (``FETCH`` rows at a time), so neither a
  100,000-article checksum nor two million story bands are held in memory at once.
* ``load_rows`` is one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` per call (a row already
  there is skipped, as on SQLite) from the rows sent as one value: a JSON array of arrays, each
  field cast to its column's type, while the writer's connection is in pipeline mode (the
  backend's writes always are, and ``COPY`` cannot run there); else ``COPY`` into a temporary
  table (``LIKE`` the target, dropped at commit). Row-by-row ``executemany``, even pipelined,
  took 11 s for the 210,000 story bands of 10,000 articles; a JSON array of objects through
  ``json_populate_recordset`` took as long (10,000 articles: 56-77 s either way in alternating runs
  at load 7.5-9), with more bytes to encode. What PostgreSQL derives is made on the way: an article's
  ``search_config`` (its language's, ``postgres_fts.search_config``) and ``tsv`` (title weight A,
  text weight B, as ``index_article`` makes it), an attribution's ``content_tsv`` ('simple'); the
  attribution tally is its trigger's.
* ``end_load`` moves every identity sequence past the largest id copied (the next article
  written gets a new ``seq``, not a taken one) and runs ``ANALYZE``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from typing import Any

#: Rows fetched from the server at a time.
FETCH = 2000
#: How each per-article table names its article (None: ``articles`` itself, by ``seq``).
ARTICLE_LINK = {"articles": None, "sources": "article_id", "attributions": "article_id",
                "article_entities": "article_id", "events": "article_id", "story_signatures": "article_seq",
                "story_bands": "article_seq"}
ORDER = {"articles": "seq", "sources": "seq", "attributions": "seq", "article_entities": "seq", "events": "seq",
         "story_signatures": "article_seq", "story_bands": "article_seq, band", "actors": "key",
         "actor_aliases": "actor_key, alias", "actor_keys": "actor_key, block", "actor_redirects": "old_key",
         "corrections": "seq", "speaker_counts": "name", "name_weeks": "name, week",
         "dyad_weeks": "actor_entity, target_entity, week, type", "ingest_runs": "id", "ingest_errors": "id",
         "attribution_tally": "kind, statement, negated, confidence"}
#: Identity columns (their sequences are moved past the copied ids).
IDENTITY = (("articles", "seq"), ("sources", "seq"), ("attributions", "seq"), ("article_entities", "seq"),
            ("events", "seq"), ("corrections", "seq"), ("ingest_runs", "id"), ("ingest_errors", "id"))
_names = itertools.count()
_TYPES: dict[str, dict[str, str]] = {}  # the schema is the same in every database of one version


def _json_rows(rows: Sequence[tuple[Any, ...]], binary: list[int]) -> str:
    """Rows as a JSON array of arrays (the ``binary`` columns' bytes as bytea hex input)."""
    if binary:
        rows = [tuple("\\x" + bytes(v).hex() if i in binary and v is not None else v for i, v in enumerate(row))
                for row in rows]
    return json.dumps(rows, ensure_ascii=False)


def _checked(table: str, columns: Sequence[str]) -> str:
    if table not in ORDER or not all(c.isidentifier() for c in columns):
        raise ValueError(f"not a table of the copy: {table} {columns}")
    return ", ".join(columns)


class PGBulkReader:
    """``BulkReader``, mixed into ``PGReader`` (which gives ``conn``)."""

    conn: Any

    def copy_rows(self, table: str, columns: Sequence[str], articles: tuple[int, int] | None
                  ) -> Iterator[tuple[Any, ...]]:
        cols = _checked(table, columns)
        sql, params = f"SELECT {cols} FROM {table}", {}
        if articles is not None:
            link = ARTICLE_LINK[table]
            params = {"lo": articles[0], "hi": articles[1]}
            if link is None:
                sql += " WHERE seq > %(lo)s AND seq <= %(hi)s"
            elif link == "article_seq":
                sql += " WHERE article_seq > %(lo)s AND article_seq <= %(hi)s"
            else:
                sql += " WHERE article_id IN (SELECT id FROM articles WHERE seq > %(lo)s AND seq <= %(hi)s)"
        from psycopg import pq

        idle = self.conn.info.transaction_status == pq.TransactionStatus.IDLE  # an autocommit read
        with self.conn.transaction() if idle else nullcontext(), \
                self.conn.cursor(name=f"ng_copy_{next(_names)}") as cur:  # a cursor lives in a transaction
            cur.itersize = FETCH
            cur.execute(f"{sql} ORDER BY {ORDER[table]}", params)
            for row in cur:
                yield tuple(row)

    def count_rows(self, table: str) -> int:
        _checked(table, ())
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def last_article(self) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT seq, id FROM articles ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), str(row[1]))



class PGBulkWriter:
    """``BulkWriter``, mixed into ``PGWriter`` (which gives ``conn`` and ``configs``)."""

    conn: Any
    configs: frozenset[str]

    def load_rows(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        cols = _checked(table, columns)
        if not rows:
            return
        columns, rows = list(columns), list(rows)
        if table == "articles":  # the configuration each article is indexed with
            from newsgraph.store.postgres_fts import search_config

            lang = columns.index("language")
            rows = [(*r, search_config(r[lang], self.configs)) for r in rows]
            columns = [*columns, "search_config"]
            cols = ", ".join(columns)
        derived, values = self._derived(table)
        if self.conn.pgconn.pipeline_status:  # COPY cannot run in pipeline mode: the rows as one JSON value
            types = self._types(table)
            fields = ", ".join(f"(r->>{i})::{types[c]} AS {c}" for i, c in enumerate(columns))
            self.conn.execute(f"INSERT INTO {table} ({cols}{derived}) SELECT {cols}{values} FROM"
                              f" (SELECT {fields} FROM jsonb_array_elements(%s::jsonb) AS r) AS x ON CONFLICT DO NOTHING",
                              (_json_rows(rows, [i for i, c in enumerate(columns) if types[c] == "bytea"]),))
        else:
            tmp = f"ng_load_{table}"
            self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {tmp} (LIKE {table} INCLUDING DEFAULTS)"
                              " ON COMMIT DROP")
            self.conn.execute(f"TRUNCATE {tmp}")
            with self.conn.cursor() as cur, cur.copy(f"COPY {tmp} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            self.conn.execute(f"INSERT INTO {table} ({cols}{derived}) SELECT {cols}{values} FROM {tmp}"
                              " ON CONFLICT DO NOTHING")
        if table == "articles":
            for config in sorted({r[-1] for r in rows}):
                self.conn.execute("INSERT INTO search_configs (config) VALUES (%s) ON CONFLICT DO NOTHING", (config,))

    def _types(self, table: str) -> dict[str, str]:
        """Column -> its SQL type, as a cast names it (read once per table)."""
        found = _TYPES.get(table)
        if found is None:
            found = _TYPES[table] = dict(self.conn.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", (table,)).fetchall())
        return found

    @staticmethod
    def _derived(table: str) -> tuple[str, str]:
        """The columns PostgreSQL derives from a loaded row, and their values from the temporary table."""
        if table == "articles":
            from newsgraph.store.postgres_fts import MAX_INDEXED_CHARS

            return (", tsv", ", setweight(to_tsvector(search_config, COALESCE(title, '')), 'A')"
                    f" || setweight(to_tsvector(search_config, left(text, {int(MAX_INDEXED_CHARS)})), 'B')")
        if table == "attributions":
            return ", content_tsv", ", to_tsvector('simple', content_text)"
        return "", ""

    def end_load(self) -> None:
        for table, col in IDENTITY:
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'),"
                              f" COALESCE((SELECT max({col}) FROM {table}), 1),"
                              f" (SELECT max({col}) FROM {table}) IS NOT NULL)")
        self.conn.execute("ANALYZE")
