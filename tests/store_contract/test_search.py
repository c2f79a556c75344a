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
