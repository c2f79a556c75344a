"""Contract: full-text search, its filters, pages and facets; no query ever crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import StoreError
from newsgraph.ids import article_id
from newsgraph.store import NO_VALUE, UNDATED, Store
from newsgraph.types import Article


def art(i: int, title: str, body: str, *, outlet: str | None = "Post", language: str | None = "en",
        published: str | None = "2026-03-01") -> Article:
    text = f"{body} (item {i})"
    return Article(article_id(text), f"s{i}.html", None, title, outlet, (), published, language, text)


@pytest.fixture
def news(store: Store) -> Store:
    store.add_article(art(1, "Volcano erupts in Iceland", "Lava flows reached the sea near the town.",
                          outlet="North Post", published="2026-02-10"))
    store.add_article(art(2, "Markets calm", "Traders shrugged off the volcano news and bought bonds.",
                          outlet="South Post", language="de", published="2026-03-01"))
    store.add_article(art(3, "Harbour repairs", "The harbour crane was repaired after the storm.",
                          outlet=None, language=None, published=None))
    for i in range(4, 16):
        store.add_article(art(i, f"Ferry timetable {i}", "The ferry sails at dawn; the volcano ash did not stop it.",
                              outlet="North Post", published=f"2026-03-{i:02d}"))
    return store


def test_best_match_first_with_the_title_weighing_more(news: Store) -> None:
    hits = news.search("volcano")
    assert hits[0].title == "Volcano erupts in Iceland"
    assert len(hits) == 14 and all(h.score >= hits[-1].score for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert "[" in hits[0].snippet and "]" in hits[0].snippet
    assert (hits[0].outlet, hits[0].language, hits[0].published) == ("North Post", "en", "2026-02-10")


def test_pages_add_up_and_filters_are_exact(news: Store) -> None:
    whole = [h.id for h in news.search("volcano", limit=100)]
    assert [h.id for off in range(0, 14, 4) for h in news.search("volcano", limit=4, offset=off)] == whole
    assert {h.outlet for h in news.search("volcano", outlet="South Post")} == {"South Post"}
    assert [h.language for h in news.search("volcano", language="de")] == ["de"]
    assert {h.published[:7] for h in news.search("volcano", month="2026-03", limit=100)} == {"2026-03"}
    assert [h.title for h in news.search("harbour", outlet=NO_VALUE, language=NO_VALUE, month=UNDATED)] == [
        "Harbour repairs"]
    assert news.search("volcano", outlet="Nobody") == []
    # A filtered search ranks its hits as the unfiltered one does (best first, the title weighing more).
    north = [(h.id, h.score) for h in news.search("volcano", limit=100) if h.outlet == "North Post"]
    assert [(h.id, h.score) for h in news.search("volcano", outlet="North Post", limit=100)] == north


def test_facets_count_every_match_not_one_page(news: Store) -> None:
    f = news.search_facets("volcano")
    assert (f.total, f.matching) == (14, 14)
    assert [(c.value, c.n) for c in f.outlet] == [("North Post", 13), ("South Post", 1)]
    assert [(c.value, c.n) for c in f.language] == [("en", 13), ("de", 1)]
    assert [(c.value, c.n) for c in f.month] == [("2026-03", 13), ("2026-02", 1)]
    f = news.search_facets("volcano", outlet="South Post")
    assert f.matching == 1 and [(c.value, c.n) for c in f.language] == [("de", 1)]
    assert [(c.value, c.n) for c in f.outlet] == [("North Post", 13), ("South Post", 1)]  # its own filter left out
    f = news.search_facets("harbour")
    assert [c.value for c in f.outlet] == [NO_VALUE] and [c.value for c in f.month] == [UNDATED]


def test_words_phrases_and_prefixes(news: Store) -> None:
    assert [h.title for h in news.search('"crane was repaired"')] == ["Harbour repairs"]
    assert {h.title for h in news.search("harb*")} == {"Harbour repairs"}
    assert len(news.search("volcano OR harbour", limit=100)) == 15
    assert len(news.search('"ferry sails" "volcano ash"', limit=100)) == 12  # two phrases, both required


@pytest.mark.parametrize("q", ["", "   ", "!!!", "***"])
def test_a_query_without_words_is_a_bad_query(news: Store, q: str) -> None:
    with pytest.raises(StoreError) as ei:
        news.search(q)
    assert ei.value.code == "store.bad_query"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(alphabet=st.sampled_from(list('volcan harbour"*():-^{}+ANDORNT ')), max_size=30))
def test_any_query_gives_hits_or_a_bad_query(news: Store, q: str) -> None:
    try:
        hits = news.search(q)
    except StoreError as exc:
        assert exc.code == "store.bad_query", exc
    else:
        assert all(h.id for h in hits)


# -- a search looks at its newest matches only (config.SEARCH_BOUND; ``bound`` here)

@pytest.fixture
def harbour(store: Store) -> tuple[Store, list[str], list[str]]:
    """40 articles, stored oldest first: every 2nd says "harbour reopened" (the phrase), the others
    have both words apart; the newest 10 are by "East Post", the rest by "West Post"."""
    phrase, apart = [], []
    for i in range(40):
        body = "The harbour reopened at dawn." if i % 2 == 0 else "The harbour stayed shut; the market reopened."
        a = art(100 + i, f"Port report {i}", body, outlet="East Post" if i >= 30 else "West Post",
                published=f"2026-{1 + i // 10:02d}-{1 + i % 10:02d}")
        store.add_article(a)
        (phrase if i % 2 == 0 else apart).append(a.id)
    return store, phrase[::-1], apart[::-1]  # newest first


def test_a_bounded_search_ranks_and_counts_the_newest_matches_and_says_about(harbour) -> None:
    store, phrase, apart = harbour
    every = [x for pair in zip(apart, phrase, strict=True) for x in pair]  # newest first
    facets, hits = store.search_page("harbour", limit=100, bound=8)
    assert {h.id for h in hits} == set(every[:8])
    assert (facets.about, facets.counted, facets.matching, facets.matching_about) == (True, 8, 40, True)
    assert facets.total == 40  # 8 matches among the newest 8 articles of 40: about 40
    assert [(c.value, c.n) for c in facets.outlet] == [("East Post", 8)]
    assert [(c.value, c.n) for c in facets.month] == [("2026-04", 8)]
    # Unbounded (the default bound is larger): exact, not "about".
    whole = store.search_facets("harbour")
    assert (whole.about, whole.total, whole.counted) == (False, 40, 40)


def test_a_filtered_search_reaches_past_the_unfiltered_bound_and_counts_exactly_below_it(harbour, monkeypatch) -> None:
    from newsgraph import config

    store, phrase, apart = harbour
    monkeypatch.setattr(config, "SEARCH_BOUND", 14)  # the newest 14 matches: articles 26-39, 2026-03 and 2026-04
    plain = store.search_facets("harbour")
    january = [a for a in (phrase + apart) if a in {x for x in phrase[-5:] + apart[-5:]}]  # articles 0-9
    facets, hits = store.search_page("harbour", month="2026-01", limit=100)
    assert {h.id for h in hits} == set(january) and {h.published[:7] for h in hits} == {"2026-01"}
    assert (facets.matching, facets.matching_about) == (10, False)  # exact: fewer than the bound pass
    # The facets are the unfiltered search's (its newest 14 matches); the month facet leaves its own filter out.
    assert (facets.total, facets.about, facets.counted, facets.month) == (plain.total, True, 14, plain.month)
    assert [(c.value, c.n) for c in facets.month] == [("2026-04", 10), ("2026-03", 4)]
    # Pages of a filtered search add up to its hits.
    pages = [h.id for off in range(0, 10, 3) for h in store.search("harbour", month="2026-01", limit=3, offset=off)]
    assert sorted(pages) == sorted(january)


def test_a_filtered_search_past_the_bound_ranks_the_newest_that_pass_and_says_about(harbour, monkeypatch) -> None:
    from newsgraph import config

    store, phrase, apart = harbour
    monkeypatch.setattr(config, "SEARCH_BOUND", 14)
    facets, hits = store.search_page("harbour", outlet="West Post", limit=100)
    west = [x for pair in zip(apart, phrase, strict=True) for x in pair][10:]  # newest first: articles 29 .. 0
    assert {h.id for h in hits} == set(west[:14]) and {h.outlet for h in hits} == {"West Post"}
    assert facets.matching_about and facets.matching == 30  # 14 West matches since article 16 of 30 West articles
    assert [(c.value, c.n) for c in facets.outlet] == [("East Post", 10), ("West Post", 4)]  # unfiltered facets
    narrow = store.search_page("harbour", outlet="West Post", month="2026-02", limit=100)
    assert (narrow[0].matching, narrow[0].matching_about, len(narrow[1])) == (10, False, 10)
    assert store.search("harbour", outlet="Nobody") == [] and store.search_facets("harbour", outlet="Nobody").matching == 0


def test_phrases_are_exact_when_bounded(harbour) -> None:
    store, phrase, apart = harbour
    facets, hits = store.search_page('"harbour reopened"', limit=100, bound=5)
    assert {h.id for h in hits} == set(phrase[:5])  # never an article with the two words apart
    assert facets.about and facets.counted == 5 and facets.total == 20
    exact = store.search_facets('"harbour reopened"')
    assert (exact.about, exact.total) == (False, 20)
    assert {h.id for h in store.search('"market reopened"', limit=100, bound=3)} == set(apart[:3])
