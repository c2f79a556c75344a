"""The SQLite backend (``store.sqlite``): pragmas, migrations, FTS5 syntax and caps, the read pool,
kill -9 and lock behaviour, ``open_store``'s SQLite URLs. SQLite-specific by design: what every
backend must do is in the contract suite (``tests/store_contract``)."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import NotFound, StoreError
from newsgraph.ids import article_id
from newsgraph.store import Store, open_store, sqlite_path, store_files
from newsgraph.store.sqlite import SQLiteStore, SQLiteWriter, migrations
from newsgraph.types import Article, Failure, Removed


def make(text: str, source: str = "a.html", **kw) -> Article:
    fields = dict(id=article_id(text), source=source, url=f"https://ex.com/{source}", title=None,
                  outlet="Example", authors=("Ann Author",), published="2024-05-01T10:00:00Z",
                  language="en", text=text, removed=())
    fields.update(kw)
    return Article(**fields)


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "ng.db")
    yield s
    s.close()


# -- opening, pragmas, migrations --------------------------------------------


def test_pragmas_and_version(tmp_path: Path):
    with open_store(tmp_path / "ng.db") as s:
        conn = s._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert s.schema_version == migrations()[-1][0]


def test_open_store_and_memory():
    s = open_store(":memory:")
    try:
        assert isinstance(s, SQLiteStore)
        assert s.add_article(make("in memory body text")) == "new"
        assert s.count_articles() == 1
    finally:
        s.close()


def test_a_postgres_url_opens_the_postgres_store_which_holds_no_local_file():
    # Nothing listens on port 1: the PostgreSQL backend is tried, and says it cannot connect
    # (its password kept out of the message). tests/store_contract runs it on a real server.
    with pytest.raises(StoreError) as ei:
        open_store("postgresql://ng:secret@127.0.0.1:1/ng")
    assert ei.value.code == "store.cant_open" and "secret" not in str(ei.value)
    assert store_files("postgresql://localhost/ng") == ()


@pytest.mark.parametrize(("url", "path"), [
    ("ng.db", "ng.db"), ("sqlite:///ng.db", "ng.db"), ("sqlite:////tmp/x/ng.db", "/tmp/x/ng.db"),
    ("sqlite://", ":memory:"), ("sqlite:///:memory:", ":memory:"), (":memory:", ":memory:"),
])
def test_sqlite_urls(url: str, path: str):
    assert sqlite_path(url) == path


def test_one_store_through_a_path_and_its_url(tmp_path: Path):
    db = tmp_path / "ng.db"
    with open_store(f"sqlite:///{db}") as s:  # sqlite:////abs/path
        s.add_article(make("stored through a URL"))
        assert s.files() == store_files(db) == store_files(f"sqlite:///{db}")
    with open_store(db) as s:
        assert s.count_articles() == 1
    for bad, code in (("sqlite:ng.db", "store.cant_open"), ("sqlite://ng.db", "store.cant_open"),
                      ("mysql://localhost/ng", "store.unsupported")):
        with pytest.raises(StoreError) as ei:
            open_store(bad)
        assert ei.value.code == code
    assert not list(Path.cwd().glob("*ng.db*"))  # none of them became a file


def test_read_only_never_creates_and_never_writes(tmp_path: Path):
    db = tmp_path / "ng.db"
    with pytest.raises(StoreError) as ei:
        open_store(db, read_only=True)
    assert ei.value.code == "store.cant_open" and not db.exists()
    with open_store(db) as s:
        s.add_article(make("written before"))
    with open_store(db, read_only=True) as s:
        assert s.count_articles() == 1
        with pytest.raises(StoreError) as ei:
            s.add_article(make("refused"))
        assert ei.value.code == "store.readonly"
    with open_store(db) as s:
        assert s.count_articles() == 1


def test_migrations_are_bundled_and_numbered():
    ms = migrations()
    assert [v for v, _, _ in ms] == list(range(1, len(ms) + 1))
    assert ms[0][1] == "initial"


def test_reopen_does_not_remigrate(tmp_path: Path):
    db = tmp_path / "ng.db"
    with open_store(db) as s:
        s.add_article(make("persisted body"))
    with open_store(db) as s:
        assert s.count_articles() == 1
        rows = s._conn.execute("SELECT version FROM schema_migrations").fetchall()
        assert rows == [(v,) for v, _, _ in migrations()]


def test_concurrent_first_open_migrates_once(tmp_path: Path):
    db = tmp_path / "ng.db"
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def opener() -> None:
        try:
            barrier.wait()
            open_store(db).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(db) as s:
        rows = s._conn.execute("SELECT version FROM schema_migrations").fetchall()
        assert rows == [(v,) for v, _, _ in migrations()]


def test_too_new_refused(tmp_path: Path):
    db = tmp_path / "ng.db"
    open_store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {migrations()[-1][0] + 1}")
    conn.close()
    with pytest.raises(StoreError) as ei:
        open_store(db)
    assert ei.value.code == "store.too_new"


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch):
    import newsgraph.store.sqlite as mod

    real = mod.migrations()
    monkeypatch.setattr(mod, "migrations", lambda: real + [(len(real) + 1, "broken",
                                                            "CREATE TABLE later (x);\nNOT SQL AT ALL;\n")])
    db = tmp_path / "ng.db"
    with pytest.raises(StoreError) as ei:
        open_store(db)
    assert ei.value.code == "store.migration"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(real)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'later'").fetchone() is None
    conn.close()
    monkeypatch.setattr(mod, "migrations", lambda: real)
    open_store(db).close()


def test_not_a_database(tmp_path: Path):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError) as ei:
        open_store(bad)
    assert ei.value.code == "store.corrupt"


def test_missing_directory(tmp_path: Path):
    with pytest.raises(StoreError) as ei:
        open_store(tmp_path / "nope" / "ng.db")
    assert ei.value.code == "store.cant_open"


def test_closed_store(tmp_path: Path):
    s = open_store(tmp_path / "ng.db")
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError) as ei:
        s.count_articles()
    assert ei.value.code == "store.closed"


# -- add / dedup ---------------------------------------------------------------


def test_add_new_source_duplicate(store: Store):
    a = make("Same body text seen twice.")
    assert store.add_article(a) == "new"
    assert store.add_article(a) == "duplicate"
    b = dataclasses.replace(a, source="b.html", url="https://other.org/b")
    assert store.add_article(b) == "new_source"
    assert store.add_article(b) == "duplicate"
    # whitespace/case variants normalise to the same id
    c = make("same  BODY text\nseen twice.", source="c.html")
    assert c.id == a.id
    assert store.add_article(c) == "new_source"
    assert store.count_articles() == 1
    got = store.get_article(a.id)
    assert [s.source for s in got.sources] == ["a.html", "b.html", "c.html"]
    assert got.article == a  # first source is the article's source; text kept from first add
    assert store.has_source("b.html") and not store.has_source("zzz")


def test_same_source_new_text_is_new_article(store: Store):
    assert store.add_article(make("version one of the page")) == "new"
    assert store.add_article(make("version two of the page")) == "new"
    assert store.count_articles() == 2


def test_all_or_nothing_when_index_write_fails(store: Store, monkeypatch):
    def boom(*a, **k):
        raise sqlite3.OperationalError("simulated crash in FTS insert")

    monkeypatch.setattr(SQLiteWriter, "index_article", boom)
    with pytest.raises(StoreError):
        store.add_article(make("doomed article body"))
    c = store._conn
    assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert c.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 0
    assert not c.in_transaction
    monkeypatch.undo()
    assert store.add_article(make("doomed article body")) == "new"
    assert store.search("doomed")[0].id == article_id("doomed article body")


def test_all_or_nothing_on_arbitrary_exception(store: Store, monkeypatch):
    monkeypatch.setattr(SQLiteWriter, "index_article", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.add_article(make("interrupted body"))
    assert store.count_articles() == 0
    assert not store.has_source("a.html")


KILL_WRITER = textwrap.dedent("""
    import sys
    from newsgraph.ids import article_id
    from newsgraph.store import open_store
    from newsgraph.types import Article
    s = open_store(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        text = f"article number {i} " + "lorem ipsum dolor " * 50
        s.add_article(Article(article_id(text), f"src-{i}", None, f"title {i}", None, (), None, "en", text))
        i += 1
""")


def test_kill_9_leaves_consistent_store(tmp_path: Path):
    db = tmp_path / "ng.db"
    open_store(db).close()
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", KILL_WRITER, str(db)], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with open_store(db) as s:
        c = s._conn
        n = s.count_articles()
        assert n > 0
        assert c.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == n
        assert c.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
                         " (SELECT 1 FROM sources s WHERE s.article_id = a.id)").fetchone()[0] == 0
        c.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(s.search("lorem", limit=n + 10, bound=n + 10)) == n  # every article in the index


def test_concurrent_writers_wait_for_lock(tmp_path: Path):
    db = tmp_path / "ng.db"
    open_store(db).close()
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            with open_store(db) as s:
                for i in range(100):
                    s.add_article(make(f"writer {k} article {i}", source=f"{k}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(db) as s:
        assert s.count_articles() == 400


# -- reads -------------------------------------------------------------------------


def test_get_article_prefix(store: Store):
    # generate texts until two ids share a 4-digit prefix (birthday bound: ~300 tries)
    texts, by_prefix, shared = [], {}, None
    i = 0
    while shared is None:
        t = f"prefix test article {i}"
        texts.append(t)
        p = article_id(t)[:4]
        if p in by_prefix:
            shared = p
        by_prefix[p] = t
        i += 1
    for t in texts:
        store.add_article(make(t, source=t))
    ids = {article_id(t) for t in texts}
    target = article_id(texts[0])
    assert store.get_article(target).article.text == texts[0]
    assert store.get_article(target[:10].upper()).article.id == target
    with pytest.raises(StoreError) as ei:
        store.get_article(shared)
    assert ei.value.code == "store.ambiguous"
    with pytest.raises(NotFound):
        store.get_article("ffffffffffffffff" if "ffffffffffffffff" not in ids else "0000000000000000")
    for bad in ("abc", "", "xyz123", "12 34"):
        with pytest.raises(StoreError) as ei:
            store.get_article(bad)
        assert ei.value.code == "store.bad_id"


def test_list_and_count(store: Store):
    store.add_article(make("old english", source="1", published="2020-01-01"))
    store.add_article(make("new english", source="2", published="2024-01-01"))
    store.add_article(make("undated german", source="3", published=None, language="de", outlet="Zeit"))
    store.add_article(make("mid french", source="4", published="2022-06-01", language="fr"))
    store.add_article(make("new english", source="5"))  # second source
    assert store.count_articles() == 4
    rows = store.list_articles()
    assert [r.published for r in rows] == ["2024-01-01", "2022-06-01", "2020-01-01", None]
    assert rows[0].n_sources == 2 and rows[0].n_chars == len("new english")
    assert [r.language for r in store.list_articles(language="de")] == ["de"]
    assert [r.outlet for r in store.list_articles(outlet="Zeit")] == ["Zeit"]
    assert store.list_articles(outlet="Example", language="fr")[0].published == "2022-06-01"
    assert len(store.list_articles(limit=2)) == 2
    assert [r.published for r in store.list_articles(limit=2, offset=2)] == ["2020-01-01", None]


def test_iter_articles_streams_in_batches(store: Store, monkeypatch):
    import newsgraph.store.base as mod

    monkeypatch.setattr(mod, "ITER_BATCH", 7)
    texts = [f"iter body {i}" for i in range(30)]
    for t in texts:
        store.add_article(make(t, source=t))
        store.add_article(make(t, source=t + "#2"))
    seen = list(store.iter_articles())
    assert [s.article.text for s in seen] == texts
    assert all(len(s.sources) == 2 for s in seen)
    # the statement count proves batching: ceil(30/7)=5 batches + 1 empty
    calls = []
    store._conn.set_trace_callback(calls.append)
    list(store.iter_articles())
    store._conn.set_trace_callback(None)
    assert sum(1 for c in calls if c.lstrip().startswith("SELECT seq")) == 6
    assert not any("fetchall" in c for c in calls)


def test_iter_articles_allows_writes_between_batches(store: Store, monkeypatch):
    import newsgraph.store.base as mod

    monkeypatch.setattr(mod, "ITER_BATCH", 2)
    for i in range(5):
        store.add_article(make(f"base {i}", source=str(i)))
    n = 0
    for _ in store.iter_articles():
        if n == 0:
            store.add_article(make("added while iterating", source="late"))
        n += 1
    assert n == 6


def test_failures_log(store: Store):
    r1 = store.start_run(["ingest", "a/"])
    store.log_failure(r1, Failure("a/x.bin", "input.binary", "binary file"))
    store.log_failure(r1, Failure("a/y.html", "extract.no_article", "no article found"))
    store.finish_run(r1, {"new": 3, "failed": 2})
    r2 = store.start_run(["ingest", "b/"])
    store.log_failure(r2, Failure("https://b/z", "fetch.timeout", "timed out after 20s"))
    assert r2 > r1
    allf = store.failures()
    assert [f.code for f in allf] == ["fetch.timeout", "extract.no_article", "input.binary"]
    assert [f.source for f in store.failures(run_id=r1)] == ["a/y.html", "a/x.bin"]
    assert len(store.failures(limit=1)) == 1
    assert allf[0].run_id == r2 and allf[0].message == "timed out after 20s" and allf[0].at
    row = store._conn.execute("SELECT finished_at, counts, argv FROM ingest_runs WHERE id = ?", (r1,)).fetchone()
    assert row[0] and '"failed": 2' in row[1] and '"a/"' in row[2]
    with pytest.raises(NotFound):
        store.finish_run(999, {})
    with pytest.raises(NotFound):
        store.log_failure(999, Failure("s", "c", "m"))


def test_sqlite_errors_are_wrapped(store: Store, monkeypatch):
    with pytest.raises(StoreError) as ei:
        store.add_article(make("fine body", title="bad \udc80 surrogate"))
    assert ei.value.code == "store.invalid"
    assert store.count_articles() == 0


def test_locked_database_maps_to_store_locked(tmp_path: Path, monkeypatch):
    import newsgraph.store.sqlite as mod

    db = tmp_path / "ng.db"
    open_store(db).close()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        s = open_store(db)
        s._conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(StoreError) as ei:
            s.add_article(make("blocked"))
        assert ei.value.code == "store.locked"
        assert isinstance(ei.value.__cause__, sqlite3.OperationalError)
        s.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    del mod


# -- search ----------------------------------------------------------------------


@pytest.fixture
def news(store: Store) -> Store:
    docs = [
        ("Volcano erupts in Iceland", "Lava flowed for hours near the town. Residents were evacuated."),
        ("Local election results", "The mayor spoke about the volcano only briefly in a long speech "
                                   "about budgets, schools, roads and the weather in general."),
        ("Markets rally", "Stocks rose sharply on Tuesday as investors cheered central bank news."),
        ("Security guarantees discussed", "Leaders met to discuss security guarantees for the region."),
        ("Football", "The security of the stadium was discussed; guarantees were not given."),
    ]
    for i, (title, body) in enumerate(docs):
        store.add_article(make(body, source=f"doc{i}", title=title))
    return store


def test_search_title_ranks_above_body(news: Store):
    hits = news.search("volcano")
    assert [h.title for h in hits] == ["Volcano erupts in Iceland", "Local election results"]
    assert hits[0].score > hits[1].score > 0


def test_search_snippet_highlights(news: Store):
    hits = news.search("investors")
    assert len(hits) == 1
    assert "[investors]" in hits[0].snippet
    long = news.search("budgets")[0].snippet
    assert "[budgets]" in long and "…" in long
    assert len(long.split()) <= 14


def test_search_phrase_and_prefix(news: Store):
    phrase = news.search('"security guarantees"')
    assert [h.title for h in phrase][0] == "Security guarantees discussed"
    assert all(h.title != "Football" for h in phrase)
    both = news.search("security guarantees")
    assert {h.title for h in both} == {"Security guarantees discussed", "Football"}
    assert {h.title for h in news.search("evacu*")} == {"Volcano erupts in Iceland"}
    assert [h.title for h in news.search("title:markets")] == ["Markets rally"]
    assert news.search("volcano", limit=1, offset=1)[0].title == "Local election results"
    assert news.search("nonexistentword") == []
    assert news.search("VOLCANO")[0].title == "Volcano erupts in Iceland"


@pytest.mark.parametrize("q", ['"unbalanced', "volcano AND", "AND", "OR", "NOT", "- volcano", "volcano:",
                               "(volcano", "volcano)", "a ^ b", "NEAR(", '"""', "foo:bar volcano",
                               "lava*flowed", "+volcano", "{title}: ", "volcano NOT"])
def test_search_bad_syntax_never_crashes(news: Store, q: str):
    try:
        hits = news.search(q)
    except StoreError as exc:
        assert exc.code == "store.bad_query"
    else:
        assert isinstance(hits, list)


def test_search_fallback_finds_words(news: Store):
    assert [h.title for h in news.search('"volcano iceland')][0] == "Volcano erupts in Iceland"
    # "AND" with nothing after it is not FTS syntax: every word becomes a term
    assert [h.title for h in news.search("volcano AND")] == ["Local election results"]


@pytest.mark.parametrize("q", ["", "   ", "-", ":", "*", "\x00", "\"\"", "()"])
def test_search_empty_or_wordless_is_bad_query(news: Store, q: str):
    with pytest.raises(StoreError) as ei:
        news.search(q)
    assert ei.value.code == "store.bad_query"
    assert ei.value.message


QUERY_ALPHABET = st.sampled_from(list('abc xyz"\'*-+:^(){}[],.;!?\\/') + ["AND", "OR", "NOT", "NEAR", "title",
                                                                         "text", "é", "ß", "\u200b", "\x00",
                                                                         "日本", "\U0001f600", "\t", "\n"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(st.text(max_size=40), st.lists(QUERY_ALPHABET, max_size=12).map("".join)))
def test_search_any_query_returns_or_bad_query(news: Store, q: str):
    try:
        hits = news.search(q)
    except StoreError as exc:
        assert exc.code == "store.bad_query", exc
    else:
        assert isinstance(hits, list)


# -- round trip ------------------------------------------------------------------


any_text = st.text(min_size=1, max_size=300)
articles = st.builds(
    lambda text, title, outlet, authors, published, language, removed, url: Article(
        id=article_id(text), source="s", url=url, title=title, outlet=outlet, authors=tuple(authors),
        published=published, language=language, text=text, removed=tuple(removed)),
    text=any_text,
    title=st.none() | st.text(max_size=50),
    outlet=st.none() | st.text(max_size=20),
    authors=st.lists(st.text(max_size=20), max_size=4),
    published=st.none() | st.text(max_size=25),
    language=st.none() | st.sampled_from(["en", "de", "zh", ""]),
    removed=st.lists(st.builds(Removed, st.sampled_from(["caption", "byline", "boilerplate"]),
                               st.text(max_size=60)), max_size=4),
    url=st.none() | st.text(max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(arts=st.lists(articles, min_size=1, max_size=5))
def test_roundtrip_exact(arts: list[Article]):
    s = open_store(":memory:")
    try:
        first: dict[str, Article] = {}
        for i, a in enumerate(arts):
            a = dataclasses.replace(a, source=f"src-{i}")
            s.add_article(a)
            first.setdefault(a.id, a)
        for aid, a in first.items():
            assert s.get_article(aid).article == a
        assert [x.article for x in s.iter_articles()] == list(first.values())
        assert s.count_articles() == len(first)
    finally:
        s.close()


# -- search: what a query may cost, filters and facets over every match ----------------------


@pytest.mark.parametrize(("q", "why"), [
    ("a*", "a*"), ("volcano OR b*", "b*"), ("title:c*", "c*"), ('"security g"*', "g*"), ("é*", "é*"),
    ('volcano a"*', "a*"),  # a syntax error: its fallback ("volcano" "a"*) still has the one-letter prefix
])
def test_one_letter_prefix_is_refused_with_the_reason(news: Store, q: str, why: str):
    with pytest.raises(StoreError) as ei:
        news.search(q)
    assert ei.value.code == "store.bad_query"
    assert why in ei.value.message and "too expensive" in ei.value.message and "2 letters" in ei.value.message
    with pytest.raises(StoreError):
        news.quotes(about=q)  # the quotes' topic search is the same FTS5 syntax, with the same caps


def test_query_caps(news: Store):
    from newsgraph.store.sqlite import MAX_QUERY_PREFIXES, MAX_QUERY_TERMS

    words = " OR ".join(f"w{i}" for i in range(MAX_QUERY_TERMS))
    assert news.search(words) == []
    assert news.search(" ".join(f'"{w}"' for w in words.split(" OR "))) == []  # phrases count their words
    for q in (words + " OR volcano", '"' + " ".join(f"w{i}" for i in range(MAX_QUERY_TERMS + 1)) + '"'):
        with pytest.raises(StoreError) as ei:
            news.search(q)
        assert ei.value.code == "store.bad_query" and f"at most {MAX_QUERY_TERMS}" in ei.value.message
    prefixes = [f"vo{chr(97 + i)}*" for i in range(MAX_QUERY_PREFIXES)]
    assert news.search(" OR ".join(prefixes)) == []
    with pytest.raises(StoreError) as ei:
        news.search(" OR ".join([*prefixes, "volc*"]))
    assert ei.value.code == "store.bad_query" and f"at most {MAX_QUERY_PREFIXES}" in ei.value.message
    # operators and column names are not words: 32 words here
    q = "title:volcano " + " ".join(["OR zz"] * (MAX_QUERY_TERMS - 1))
    assert [h.title for h in news.search(q)] == ["Volcano erupts in Iceland"]


def test_reads_on_other_threads_use_connections_of_their_own(store: Store):
    """The opening thread reads on the write connection; other threads on pooled read connections
    (read-only), kept for reuse and closed with the store."""
    store.add_article(make("the volcano article body"))
    seen: list[object] = []
    barrier = threading.Barrier(3)

    def read() -> None:
        with store._op("test") as conn:
            seen.append(conn)
            barrier.wait(10)  # all three hold a connection at once
            assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
            with pytest.raises(sqlite3.OperationalError):
                conn.execute("DELETE FROM articles")  # query_only

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len({id(c) for c in seen}) == 3 and store._conn not in seen
    with store._op("test") as conn:
        assert conn is store._conn
    idle = list(store._idle)
    assert len(idle) == 3
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        idle[0].execute("SELECT 1")


def _facet_store(tmp_path: Path) -> Store:
    """150 articles of "Big Wire" that rank first for "zeppelin" (in the title, often), then 30 of
    "Small Post" that mention it once at the end of a long body, some undated or without a language."""
    s = open_store(tmp_path / "facets.db")
    filler = " ".join(f"filler{i}" for i in range(300))
    for i in range(150):
        s.add_article(make(f"Zeppelin zeppelin zeppelin report {i}.", source=f"big{i}", title=f"Zeppelin {i}",
                           outlet="Big Wire", published=f"2026-0{1 + i % 3}-10", language="en"))
    for i in range(30):
        s.add_article(make(f"{filler} note {i} zeppelin.", source=f"small{i}", title=f"Note {i}", outlet="Small Post",
                           published=None if i % 5 == 0 else f"2026-0{1 + i % 2}-20",
                           language=None if i % 3 == 0 else "de"))
    return s


def test_search_filters_reach_every_match(tmp_path: Path):
    s = _facet_store(tmp_path)
    try:
        ranked = s.search("zeppelin", limit=1000)
        assert len(ranked) == 180 and all(h.outlet == "Big Wire" for h in ranked[:150])
        small = s.search("zeppelin", outlet="Small Post", limit=100)
        assert [h.id for h in small] == [h.id for h in ranked if h.outlet == "Small Post"]
        # exact and pageable
        pages = [h.id for off in range(0, 30, 7) for h in s.search("zeppelin", outlet="Small Post", limit=7,
                                                                    offset=off)]
        assert pages == [h.id for h in small]
        assert [h.id for h in s.search("zeppelin", outlet="Small Post", language="(none)", limit=100)] == [
            h.id for h in small if h.language is None]
        assert [h.id for h in s.search("zeppelin", month="(undated)", limit=100)] == [
            h.id for h in ranked if h.published is None]
        assert [h.id for h in s.search("zeppelin", month="2026-02", language="de", limit=100)] == [
            h.id for h in ranked if (h.published or "")[:7] == "2026-02" and h.language == "de"]
    finally:
        s.close()


def test_search_facets_count_every_match(tmp_path: Path):
    from collections import Counter

    s = _facet_store(tmp_path)
    try:
        hits = s.search("zeppelin", limit=1000)

        def key(h, facet: str) -> str:
            if facet == "month":
                return h.published[:7] if h.published and len(h.published) >= 7 else "(undated)"
            return getattr(h, facet) or "(none)"

        def python_counts(facet: str, **f: str) -> dict[str, int]:
            return dict(Counter(key(h, facet) for h in hits
                                if all(key(h, k) == v for k, v in f.items() if k != facet)))

        for f in ({}, {"outlet": "Small Post"}, {"outlet": "Small Post", "language": "de"},
                  {"month": "(undated)"}, {"language": "(none)", "month": "2026-01"}):
            facets = s.search_facets("zeppelin", **f)
            assert facets.total == 180
            assert facets.matching == sum(1 for h in hits if all(key(h, k) == v for k, v in f.items()))
            for name in ("outlet", "language", "month"):
                assert {c.value: c.n for c in getattr(facets, name)} == python_counts(name, **f), (f, name)
        plain = s.search_facets("zeppelin")
        assert [c.value for c in plain.outlet] == ["Big Wire", "Small Post"]
        assert [c.value for c in plain.month] == ["2026-03", "2026-02", "2026-01", "(undated)"]
    finally:
        s.close()
