"""What only the PostgreSQL store does, or does differently; everything both do is the contract
suite's (``tests/store_contract``, run on both). Each test here says why it is PostgreSQL's own:

* its migrations (its own numbering, applied from an empty database, several processes opening
  one new store at once);
* search stemmed in each article's language (SQLite matches words as written);
* many connections at once (a pool in one process; several processes on one database);
* driver errors as the store's codes (a read-only store, a read past its time box, NUL in text);
* the CLI and the server on a ``postgresql://`` URL.

All run on the tests' own server (``tests/pg_server.py``), a new database each.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.errors import StoreError
from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.types import Article

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def art(i: int, body: str, *, title: str | None = None, language: str | None = "en",
        published: str | None = "2026-03-01") -> Article:
    text = f"{body} (item {i})"
    return Article(article_id(text), f"s{i}.html", None, title or f"Title {i}", "Post", (), published, language, text)


# -- migrations: PostgreSQL's own, from an empty database

def test_an_empty_database_gets_the_whole_schema_once(pg_database: Callable[[], str]) -> None:
    from newsgraph.store.postgres_migrations import migrations

    url = pg_database()
    with open_store(url) as s:
        assert s.schema_version == migrations()[-1][0]
        assert s.add_article(art(1, "A first article about harbours.")) == "new"
    with open_store(url) as s:  # reopening applies nothing again and keeps the rows
        assert s.schema_version == migrations()[-1][0] and s.count_articles() == 1
        with s.backend.read("count migrations") as r:
            assert r._one("SELECT COUNT(*) FROM schema_migrations") == len(migrations())


def test_a_store_newer_than_this_code_is_refused(pg_database: Callable[[], str]) -> None:
    url = pg_database()
    with open_store(url) as s, s.backend.write("pretend a newer newsgraph migrated") as w:
        w.conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    with pytest.raises(StoreError) as ei:
        open_store(url)
    assert ei.value.code == "store.too_new"


def _open_and_add(url: str, i: int) -> str:
    with open_store(url) as s:
        return s.add_article(art(i, f"Article number {i} from process {i}."))


def test_processes_opening_one_new_store_at_once_migrate_it_once(pg_database: Callable[[], str]) -> None:
    # Why PostgreSQL: a team's processes start against one new database; the advisory lock makes
    # each migration run once while the others wait (SQLite's BEGIN IMMEDIATE does the same for a file).
    url = pg_database()
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.starmap(_open_and_add, [(url, i) for i in range(4)]) == ["new"] * 4
    with open_store(url) as s:
        assert s.count_articles() == 4
        with s.backend.read("count migrations") as r:
            assert r._one("SELECT COUNT(*) FROM schema_migrations") == s.schema_version


# -- search in each article's language

def test_each_article_is_stemmed_in_its_own_language(pg_database: Callable[[], str], tmp_path: Path) -> None:
    # Why PostgreSQL: it has a stemmer per language; SQLite's unicode61 tokenizer matches words as written.
    de = art(1, "Die Wahlen in Bayern brachten der Regierung schwere Verluste.", title="Landtagswahl", language="de")
    en = art(2, "The elections in Ohio were decided by a few thousand votes.", title="Close count", language="en")
    xx = art(3, "Izbori su održani u nedjelju, a rezultati stižu sutra.", title="Izbori", language="hr")
    with open_store(pg_database()) as s:
        for a in (de, en, xx):
            s.add_article(a)
        assert [h.id for h in s.search("Wahl")] == [de.id]  # German: Wahlen -> wahl
        assert [h.id for h in s.search("Verlust")] == [de.id]
        assert [h.id for h in s.search("election")] == [en.id]  # English: elections -> elect
        assert [h.id for h in s.search("decide")] == [en.id]
        assert [h.id for h in s.search("izbori")] == [xx.id]  # no Croatian configuration: words as written
        assert s.search("izbor") == []
        assert {h.id for h in s.search("Wahl OR election", limit=10)} == {de.id, en.id}
        assert [h.id for h in s.search("Wahl", language="en")] == []
    with open_store(tmp_path / "s.db") as lite:  # the difference, shown on SQLite
        lite.add_article(de)
        assert lite.search("Wahl") == [] and [h.id for h in lite.search("Wahlen")] == [de.id]


def test_query_syntax_is_the_sqlite_stores(pg_database: Callable[[], str]) -> None:
    # Users type the same queries on both stores; PostgreSQL's own parser (websearch_to_tsquery)
    # has no prefixes, NOT or parentheses, so the query is read as SQLite's first (postgres_fts).
    with open_store(pg_database()) as s:
        s.add_article(art(1, "The volcano erupted near the harbour.", title="Eruption"))
        s.add_article(art(2, "The harbour reopened after repairs.", title="Harbour news"))
        s.add_article(art(3, "Volcanic ash closed the airport.", title="Ash cloud"))
        titles = lambda q: sorted(h.title for h in s.search(q, limit=10))  # noqa: E731
        assert titles("harbour NOT volcano") == ["Harbour news"]
        assert titles("(volcano OR ash) harbour") == ["Eruption"]
        assert titles("volcan*") == ["Ash cloud", "Eruption"]
        assert titles("title:harbour") == ["Harbour news"]
        assert titles('"harbour reopened"') == ["Harbour news"]
        assert s.search("harbour")[0].title == "Harbour news"  # the title weighs more


@pytest.mark.parametrize("window", [1, 2, 5, 1000])
def test_the_newest_matches_are_read_window_by_window_and_none_is_missed(
        pg_database: Callable[[], str], monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    # Why PostgreSQL: it reads a search's newest matches in windows of seq (postgres_fts.SEQ_WINDOW),
    # growing where matches are sparse; SQLite's FTS5 reads them newest first in one go.
    from newsgraph.store import postgres_fts

    monkeypatch.setattr(postgres_fts, "SEQ_WINDOW", window)
    with open_store(pg_database()) as s:
        arts = [art(i, ("ferry " if i % 3 == 0 or i > 20 else "") + f"harbour news number {i}.") for i in range(24)]
        for a in arts:
            s.add_article(a)
        ferries = [a.id for a in arts if "ferry" in a.text][::-1]  # newest first
        for bound in (1, 2, 4, 7, 11, 50):
            hits = s.search("ferry", limit=100, bound=bound)
            assert {h.id for h in hits} == set(ferries[:bound])
        assert s.search_facets("ferry", bound=50).total == len(ferries) == 10


def test_a_store_before_the_word_pairs_migrates_and_its_phrases_are_found_by_them(
        pg_database: Callable[[], str]) -> None:
    # Why PostgreSQL: migration 0007 (adjacent word pairs, a phrase's prefilter) is PostgreSQL's own.
    import psycopg

    from newsgraph.store.postgres_migrations import migrate, migrations

    (before,) = [v - 1 for v, name, _ in migrations() if name == "article_word_pairs"]
    url = pg_database()
    old = [art(0, "The harbour reopened at dawn."), art(1, "The harbour stayed shut; the market reopened.")]
    with psycopg.connect(url, autocommit=True) as conn:
        assert migrate(conn, "test", upto=before) == before
        for a in old:
            conn.execute("INSERT INTO articles (id, title, authors, text, n_chars, added_at, search_config, tsv)"
                         " VALUES (%s, %s, '[]', %s, %s, '2026-02-01T00:00:00Z', 'english', to_tsvector('english', %s))",
                         (a.id, a.title, a.text, len(a.text), a.text))
    with open_store(url) as s:
        assert s.schema_version > before
        new = art(2, "Harbour reopened, the port says.")
        s.add_article(new)
        assert {h.id for h in s.search('"harbour reopened"')} == {old[0].id, new.id}
        assert {h.id for h in s.search('"market reopened" OR "harbour stayed"')} == {old[1].id}
        assert s.search('"reopened harbour"') == []
    with psycopg.connect(url, autocommit=True) as conn:  # the index holds the pair, as the phrase's stems
        pairs = conn.execute("SELECT newsgraph_phrase_pairs('english', 'Harbours reopening')::text").fetchone()[0]
        assert pairs == "'harbour reopen'"
        assert conn.execute("SELECT newsgraph_phrase_pairs('english', 'the harbour')").fetchone()[0] is None


# -- many connections

def test_many_threads_read_and_write_one_store_at_once(pg_database: Callable[[], str]) -> None:
    # Why PostgreSQL: a pool of connections serves the server's threads; SQLite's read pool is
    # tested beside it (tests/unit/test_store_sqlite.py).
    errors: list[BaseException] = []
    with open_store(pg_database()) as s:
        def work(t: int) -> None:
            try:
                for i in range(10):
                    assert s.add_article(art(100 * t + i, f"Thread {t} writes article {i} about ferries.")) == "new"
                    assert s.search("ferries", limit=5)
                    s.list_articles(limit=5)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        assert s.count_articles() == 80
        assert len({a.id for a in s.list_articles(limit=100)}) == 80


# -- driver errors as the store's codes

def test_a_read_only_store_refuses_writes_and_reads_are_time_boxed(pg_database: Callable[[], str]) -> None:
    url = pg_database()
    with open_store(url) as s:
        s.add_article(art(1, "Some text to read."))
    with open_store(url, read_only=True, query_timeout=0.2) as ro:
        assert ro.count_articles() == 1
        with pytest.raises(StoreError) as ei:
            ro.add_article(art(2, "A write to a read-only store."))
        assert ei.value.code == "store.readonly"
        with pytest.raises(StoreError) as ei, ro.backend.read("a slow read") as r:
            r._one("SELECT pg_sleep(2)")
        assert ei.value.code == "store.too_expensive"
        assert ro.count_articles() == 1  # the pool's connection is fine afterwards


def test_text_postgresql_cannot_hold_is_a_clear_error_and_the_next_article_is_stored(
        pg_database: Callable[[], str]) -> None:
    # Why PostgreSQL: its text cannot hold NUL (SQLite's can).
    with open_store(pg_database()) as s:
        with pytest.raises(StoreError) as ei:
            s.add_article(art(1, "Before\x00after."))
        assert ei.value.code == "store.invalid" and "NUL" in str(ei.value)
        assert s.add_article(art(2, "A clean article.")) == "new" and s.count_articles() == 1


# -- the CLI and the server on a postgresql:// URL

def test_cli_and_server_work_on_a_postgresql_url(pg_database: Callable[[], str]) -> None:
    from fastapi.testclient import TestClient

    from newsgraph.cli import cli
    from newsgraph.serve.app import create_app

    url = pg_database()
    runner = CliRunner()
    done = runner.invoke(cli, ["ingest", "--no-analyze", str(EXAMPLES / "danube-wire-valdavia-runoff.txt"),
                               str(EXAMPLES / "gulf-dispatch-lng-contract.txt")], env={"NEWSGRAPH_DB": url})
    assert done.exit_code == 0, done.output
    listed = runner.invoke(cli, ["--db", url, "articles", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)["articles"]
    assert len(rows) == 2
    with open_store(url) as s:
        assert [r["id"] for r in rows] == [a.id for a in s.list_articles()]
    with TestClient(create_app(url)) as client:
        got = client.get("/api/articles")
        assert got.status_code == 200
        assert sorted(a["id"] for a in got.json()["articles"]) == sorted(r["id"] for r in rows)


def test_a_url_password_never_reaches_the_output(pg_database: Callable[[], str]) -> None:
    # trust authentication ignores the password, so the store opens; no line may show it
    from newsgraph.cli import cli

    url = pg_database().replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@", 1)
    assert "s3cret-pw" in url
    runner = CliRunner()
    outputs = [runner.invoke(cli, ["--db", url, *args])
               for args in (["ingest", "--no-analyze", str(EXAMPLES / "danube-wire-valdavia-runoff.txt")],
                            ["ingest", "--no-analyze", "--json", str(EXAMPLES / "gulf-dispatch-lng-contract.txt")],
                            ["articles"], ["entities"], ["failures"], ["runs"])]
    for done in outputs:
        assert done.exit_code == 0, done.output
        assert "s3cret-pw" not in done.output and "s3cret-pw" not in (done.stderr or "")
    assert "postgres:***@" in outputs[2].output.replace("\n", "")
    # a failure's hint names a command that runs as printed: no "***" as the password
    failed = runner.invoke(cli, ["--db", url, "ingest", "--no-analyze", str(EXAMPLES / "no-such-file.txt")])
    hint = " ".join(failed.stderr.split()).split("every reason:", 1)[1]
    assert "s3cret-pw" not in hint and "***" not in hint
    assert f"newsgraph --db {url.replace(':s3cret-pw@', '@', 1)} failures --run" in hint
    assert "PGPASSWORD" in hint
