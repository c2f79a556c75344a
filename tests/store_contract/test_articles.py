"""Contract: articles, sources and their analysis: what is stored is what is read back, in order."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from newsgraph.errors import NotFound, StoreError
from newsgraph.ids import article_id
from newsgraph.store import Store
from newsgraph.types import AnalysisStatus, Article, Removed
from tests.helpers import analysed_article


def plain(text: str, source: str = "a.html", **kw) -> Article:
    fields = dict(id=article_id(text), source=source, url=f"https://ex.example/{source}", title="A title",
                  outlet="Example Post", authors=("Ann Author",), published="2026-03-01", language="en", text=text,
                  removed=(Removed("boilerplate", "Subscribe now"),))
    fields.update(kw)
    return Article(**fields)


def test_every_method_of_the_protocol_is_there(store: Store) -> None:
    import inspect

    wanted = [n for n, _ in inspect.getmembers(Store, inspect.isfunction) if not n.startswith("_")]
    assert len(wanted) >= 30
    assert [n for n in wanted if not callable(getattr(store, n, None))] == []
    assert isinstance(store.files(), tuple) and all(isinstance(f, str) for f in store.files())


def test_adding_says_what_happened(store: Store) -> None:
    a = plain("The body of the first article.")
    assert store.add_article(a) == "new"
    assert store.add_article(a) == "duplicate"
    assert store.add_article(dataclasses.replace(a, source="b.html", url=None)) == "new_source"
    assert store.add_article(dataclasses.replace(a, source="b.html", url=None)) == "duplicate"
    assert store.count_articles() == 1
    assert [s.source for s in store.get_article(a.id).sources] == ["a.html", "b.html"]
    assert store.has_source("a.html") and store.has_source("b.html") and not store.has_source("c.html")
    with pytest.raises(StoreError) as ei:
        store.add_article(dataclasses.replace(a, id=""))
    assert ei.value.code == "store.invalid"


def test_an_article_stored_without_analysis_gets_it_later(store: Store) -> None:
    full = analysed_article(1, quotes=(("Ann Lee", "We will build the bridge"),))
    bare = dataclasses.replace(full, attributions=(), entities=(), events=(),
                               analysis=AnalysisStatus.skipped("analyze.skipped", "stored with --no-analyze", "en"))
    assert store.add_article(bare) == "new"
    assert not store.has_source(full.source, analysed=True)
    assert store.count_to_analyse() == 1
    assert [a.id for _, a in store.articles_to_analyse()] == [full.id]
    assert store.add_article(full, analysis="contract 1") == "analysed"
    assert store.has_source(full.source, analysed=True)
    assert store.count_to_analyse() == 0 and store.count_to_analyse(current="contract 2") == 1
    assert [q.content_text for q in store.quotes()] == ["We will build the bridge"]


def test_what_is_stored_is_read_back_exactly(store: Store) -> None:
    art = analysed_article(7, quotes=(("Ann Lee", "The port opens in May", "direct", 0.9),
                                      (None, "nobody knew", "indirect", 0.4, False, True)),
                           events=(("Russia", "ATTACK", "Ukraine", True, "reported"),),
                           names=(("Coastline Port Authority", "ORG"),))
    art = dataclasses.replace(art, removed=(Removed("nav", "Home | World"), Removed("caption", "Photo: X")),
                              published_source="json_ld", published_confidence=0.97, modified="2026-03-04",
                              credits=(("wire", "AP"), ("organisation", "Port Media Group")))
    store.add_article(art, analysis="contract 1")
    got = store.get_article(art.id)
    assert got.article == art
    assert [dataclasses.asdict(s) | {"added_at": None} for s in got.sources] == [
        {"source": art.source, "url": art.url, "added_at": None}]
    assert [s.article for s in store.iter_articles()] == [art]


def test_ids_and_prefixes(store: Store) -> None:
    # two articles whose ids share their first four hex digits
    by_prefix: dict[str, Article] = {}
    for i in itertools.count():
        a = plain(f"Body number {i} of a collision hunt.", source=f"{i}.html")
        if a.id[:4] in by_prefix:
            first, second = by_prefix[a.id[:4]], a
            break
        by_prefix[a.id[:4]] = a
    store.add_article(first)
    store.add_article(second)
    assert store.get_article(first.id).article.id == first.id
    assert store.get_article(second.id[:5] if second.id[4] != first.id[4] else second.id).article.id == second.id
    assert store.get_article(first.id.upper()).article.id == first.id
    with pytest.raises(StoreError) as ei:
        store.get_article(first.id[:4])
    assert ei.value.code == "store.ambiguous"
    for bad in ("abc", "not-hex!", ""):
        with pytest.raises(StoreError) as ei:
            store.get_article(bad)
        assert ei.value.code == "store.bad_id"
    with pytest.raises(NotFound):
        store.get_article("ffff" if not first.id.startswith("ffff") else "0000")


def test_newest_first_with_undated_last_and_pages_that_add_up(store: Store) -> None:
    dates = ["2026-03-02", None, "2026-03-05", "2026-03-02", "2025-12-31", None, "2026-03-05T10:00:00Z"]
    arts = [plain(f"Dated body {i}.", source=f"d{i}.html", published=d, outlet=("North Post", "South Post")[i % 2],
                  language=("en", "de")[i % 3 == 0]) for i, d in enumerate(dates)]
    for a in arts:
        store.add_article(a)
    rows = store.list_articles(limit=100)
    # newest date first; the same date: the one stored later first; undated last
    expect = sorted(range(len(arts)), key=lambda i: (dates[i] is not None, dates[i] or "", i), reverse=True)
    assert [r.id for r in rows] == [arts[i].id for i in expect]
    assert [r.n_sources for r in rows] == [1] * len(arts)
    pages = [r.id for off in range(0, len(arts), 3) for r in store.list_articles(limit=3, offset=off)]
    assert pages == [r.id for r in rows]
    assert store.list_articles(limit=0) == [] and store.list_articles(offset=100) == []
    assert {r.id for r in store.list_articles(outlet="North Post")} == {a.id for a in arts if a.outlet == "North Post"}
    assert {r.id for r in store.list_articles(language="de")} == {a.id for a in arts if a.language == "de"}
    # since / until: both days included (a timestamp counts as its day)
    got = {r.published for r in store.list_articles(since="2026-03-02", until="2026-03-05")}
    assert got == {"2026-03-02", "2026-03-05", "2026-03-05T10:00:00Z"}
    assert {r.published for r in store.list_articles(until="2026-01-01")} == {"2025-12-31"}
    with pytest.raises(StoreError) as ei:
        store.list_articles(since="last tuesday")
    assert ei.value.code == "store.bad_date"
    first = store.list_articles(limit=1)[0]
    assert (first.title, first.outlet, first.language, first.n_chars) == ("A title", arts[6].outlet,
                                                                         arts[6].language, len(arts[6].text))


def test_iter_articles_reads_everything_oldest_first(store: Store) -> None:
    arts = [plain(f"Iterated body {i}.", source=f"i{i}.html", published=f"2026-01-{28 - i:02d}") for i in range(12)]
    for a in arts:
        store.add_article(a)
    store.add_article(dataclasses.replace(arts[3], source="again.html"))
    seen = list(store.iter_articles())
    assert [s.article.id for s in seen] == [a.id for a in arts]
    assert [len(s.sources) for s in seen] == [1, 1, 1, 2] + [1] * 8


def test_replace_analysis_swaps_rows_and_refuses_another_text(store: Store) -> None:
    old = analysed_article(3, quotes=(("Ann Lee", "first words"),), events=(("Russia", "ATTACK", "Ukraine"),))
    store.add_article(old, analysis="contract 1")
    new = dataclasses.replace(old, attributions=old.attributions[:0], events=())
    store.replace_analysis(new, "contract 2")
    assert store.quotes() == [] and store.events() == []
    assert store.count_to_analyse(current="contract 2") == 0
    assert store.get_article(old.id).article.attributions == ()
    with pytest.raises(StoreError) as ei:
        store.replace_analysis(dataclasses.replace(new, text=new.text + " more"), "contract 3")
    assert ei.value.code == "store.invalid"
    with pytest.raises(NotFound):
        store.replace_analysis(plain("never stored"), "contract 3")


def test_analysis_counts_say_why_articles_were_not_analysed(store_url: str) -> None:
    from newsgraph.store import open_store
    from tests.helpers import flags_db

    flags_db(store_url)
    with open_store(store_url) as store:
        counts = store.analysis_counts()
    assert (counts.articles, counts.analysed, counts.not_analysed) == (5, 1, 4)
    assert [(r.code, r.language, r.n) for r in counts.reasons] == [  # most first, then by code and language
        ("analyze.failed", "en", 1), ("analyze.no_pipeline", "de", 1), ("analyze.no_pipeline", "ru", 1),
        ("analyze.skipped", "en", 1)]


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    bad = plain("A body whose title cannot be stored.", title="bad \udc80 surrogate")
    with pytest.raises(StoreError) as ei:
        store.add_article(bad)
    assert ei.value.code == "store.invalid"
    assert store.count_articles() == 0 and not store.has_source(bad.source)
    assert store.add_article(dataclasses.replace(bad, title="fine")) == "new"


def test_headings_and_page_kind_round_trip(store: Store) -> None:
    text = "Opening paragraph of the piece.\n\nA sub-head\n\nThe next paragraph.\n\nLast one"
    heads = ((text.index("A sub-head"), text.index("A sub-head") + 10), (text.index("Last one"), len(text)))
    a = plain(text, headings=heads, page_kind="live_blog")
    bare = plain("An article with no sub-heads and no recorded page kind.", source="b.html")
    store.add_article(a)
    store.add_article(bare)
    got = store.get_article(a.id).article
    assert (got.headings, got.page_kind) == (heads, "live_blog")
    assert [got.text[s:e] for s, e in got.headings] == ["A sub-head", "Last one"]
    assert (store.get_article(bare.id).article.headings, store.get_article(bare.id).article.page_kind) == ((), None)
    assert {s.article.id: (s.article.headings, s.article.page_kind) for s in store.iter_articles()} == {
        a.id: (heads, "live_blog"), bare.id: ((), None)}


def test_section_round_trips(store: Store) -> None:
    a = plain("An article the page filed under its outlet's politics section.", section="Politics")
    bare = plain("An article whose page names no section at all.", source="b.html")
    store.add_article(a)
    store.add_article(bare)
    assert (store.get_article(a.id).article.section, store.get_article(bare.id).article.section) == ("Politics", None)
    assert {s.article.id: s.article.section for s in store.iter_articles()} == {a.id: "Politics", bare.id: None}
