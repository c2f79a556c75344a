"""``Store.add_articles`` stores exactly what ``add_article`` one by one stores.

The batch path links names through a ``LinkCache``; these tests build one store article by
article and another in random batches from the same articles and compare every row of every
table (actors, aliases, blocking keys, entity links, counters, story bands ...), timestamps
aside. The names are chosen to reach the registry's hard cases: shared surnames (ambiguous,
then unique), a middle name (a borderline score, where context decides), acronyms spelled in
the article and alone, a place that is also an organisation's name, a credit prefix, a
generation marker; texts repeat (duplicates, new sources) and some articles come first
without analysis and get it later ("analysed").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.types import Article, Attribution, Entity, Event, TextSpan

NAMES = (
    ("Hillary Clinton", "PERSON"), ("Hillary Rodham Clinton", "PERSON"), ("Clinton", "PERSON"),
    ("Bill Clinton", "PERSON"), ("Donald Trump", "PERSON"), ("Donald Trump Jr.", "PERSON"), ("Trump", "PERSON"),
    ("Sergei Lavrov", "PERSON"), ("Sergey Lavrov", "PERSON"), ("Lavrov", "PERSON"),
    ("International Atomic Energy Agency", "ORG"), ("IAEA", "ORG"), ("Ministry of Finance", "ORG"),
    ("Ministry of Fisheries", "ORG"), ("MF", "ORG"), ("Georgia", "GPE"), ("Georgia", "ORG"), ("Georgia", "PERSON"),
    ("Jordan", "GPE"), ("Michael Jordan", "PERSON"), ("United States", "GPE"), ("US", "GPE"),
    ("Meridan", "GPE"), ("Republic of Meridan", "GPE"), ("Photo: Jane Doe", "PERSON"), ("Jane Doe", "PERSON"),
    ("Reuters", "ORG"), ("Kim Jong-un", "PERSON"), ("Kim Jong-il", "PERSON"),
)
SPEECH = ("said", "told reporters", "warned")


def _article(i: int, picks: list[int], analysed: bool, text_no: int) -> Article:
    """An article naming ``NAMES[p]`` for each pick, with an attribution and an event per pair."""
    parts, entities, attributions, events = [], {}, [], []
    pos = 0

    def put(s: str) -> TextSpan:
        nonlocal pos
        parts.append(s)
        span = TextSpan(pos, pos + len(s), s)
        pos += len(s)
        return span

    put(f"Report {text_no}. ")
    spans = []
    for p in picks:
        name, etype = NAMES[p]
        span = put(name)
        mentions = [span]
        if name == "International Atomic Energy Agency" and p % 2 == 0:
            put(" (")
            mentions.append(put("IAEA"))
            put(")")
        put(f" {SPEECH[p % 3]} something about {p}. ")
        key = (name, etype)
        ent = entities.get(key)
        eid = f"{etype.lower()}:{name.lower().replace(' ', '-')}"
        entities[key] = Entity(eid, name, etype, (*(ent.mentions if ent else ()), *mentions))
        spans.append(TextSpan(span.start, span.end, span.text, name))
    for k, sp in enumerate(spans):
        content = TextSpan(sp.end + 1, sp.end + 5, "".join(parts)[sp.end + 1:sp.end + 5])
        attributions.append(Attribution("indirect", content, None, sp, confidence=0.5 + (k % 5) / 10))
        if k:
            events.append(Event("CONSULT", content, spans[k - 1], sp, negated=k % 4 == 0,
                                modality=("asserted", "planned", "reported")[k % 3], date=None))
    text = "".join(parts)
    day = f"2026-0{1 + i % 3}-1{i % 9}"
    if not analysed:
        return Article(article_id(text), f"src:{i}", None, f"T{text_no}", "Outlet", (), day, "en", text)
    return Article(article_id(text), f"src:{i}", None, f"T{text_no}", "Outlet", (), day, "en", text,
                   attributions=tuple(attributions), entities=tuple(entities.values()), events=tuple(events))


def _dump(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
                                     " AND name NOT IN ('schema_migrations', 'sqlite_stat1')"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in ("added_at", "created_at", "at")]
            out[table] = sorted(map(repr, conn.execute(f"SELECT {', '.join(cols)} FROM {table}")))
        out["search"] = sorted(map(repr, conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'report'")))
        return out
    finally:
        conn.close()


articles_st = st.lists(
    st.tuples(st.lists(st.integers(0, len(NAMES) - 1), min_size=1, max_size=6), st.booleans(),
              st.integers(0, 12)),
    min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=articles_st, cuts=st.lists(st.integers(1, 8), min_size=1, max_size=10))
def test_batches_store_the_same_rows_as_one_by_one(tmp_path_factory, specs, cuts) -> None:
    tmp = tmp_path_factory.mktemp("batch")
    # the same text (text_no) may come with other names: its id decides, as in a real ingest
    by_text: dict[int, Article] = {}
    arts = []
    for i, (picks, analysed, text_no) in enumerate(specs):
        art = by_text.setdefault(text_no, _article(i, picks, True, text_no))
        if not analysed:
            art = Article(art.id, f"src:{i}", None, art.title, art.outlet, (), art.published, "en", art.text)
        else:
            art = Article(art.id, f"src:{i}", None, art.title, art.outlet, (), art.published, "en", art.text,
                          attributions=art.attributions, entities=art.entities, events=art.events)
        arts.append((art, "v1" if analysed else None))
    one, many = tmp / "one.db", tmp / "many.db"
    with open_store(one) as s:
        expected = [s.add_article(a, analysis=v) for a, v in arts]
    got = []
    with open_store(many) as s:
        i, k = 0, 0
        while i < len(arts):
            n = cuts[k % len(cuts)]
            got += s.add_articles(arts[i:i + n])
            i, k = i + n, k + 1
    assert got == expected
    assert _dump(many) == _dump(one)


def test_a_failing_batch_stores_nothing(tmp_path) -> None:
    good = _article(0, [0, 4], True, 1)
    bad = Article(article_id("bad"), "src:bad", None, None, None, (), None, None, "bad \ud800 text")
    with open_store(tmp_path / "s.db") as s:
        try:
            s.add_articles([good, bad])
        except Exception as exc:  # noqa: BLE001 - the store's own error, checked below
            assert getattr(exc, "code", None) == "store.invalid"
        else:
            raise AssertionError("a batch with a text the store cannot hold was stored")
        assert s.count_articles() == 0 and s.actors() == []
        assert s.add_articles([good, (good, "v1")]) == ["new", "duplicate"]
        assert s.count_articles() == 1


def _same_either_way(tmp: Path, arts: list[tuple[Article, str | None]]) -> None:
    with open_store(tmp / "one.db") as s:
        expected = [s.add_article(a, analysis=v) for a, v in arts]
    with open_store(tmp / "many.db") as s:
        assert s.add_articles(arts) == expected
    assert _dump(tmp / "many.db") == _dump(tmp / "one.db")


def test_a_decision_is_not_reused_once_the_registry_changed(tmp_path) -> None:
    """"Clinton" is Hillary Clinton while she is the only Clinton known; once Bill Clinton is,
    a later "Clinton" is nobody can tell who (a new actor), in a batch as one by one."""
    hc, clinton, bc, trump = 0, 2, 3, 4
    order = [[hc, trump], [clinton, trump], [clinton, trump], [bc, trump], [clinton, trump]]
    _same_either_way(tmp_path, [(_article(i, p, True, i), "v1") for i, p in enumerate(order)])
