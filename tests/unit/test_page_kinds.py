"""Page kinds: every hand-written fixture under tests/fixtures/page_kinds/<kind>/ gets its kind;
refused kinds fail with their kind and metadata instead of a bare "no article"."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.config import Settings
from newsgraph.errors import ExtractionRejected
from newsgraph.extract import extract
from newsgraph.extract.page_kinds import KINDS, classify_html, classify_text
from newsgraph.ingest import extract_stream
from newsgraph.store import open_store
from newsgraph.types import Article, Failure, RawDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "page_kinds"
PAGES = sorted(FIXTURES.glob("*/*.html"))


def _raw(path: Path) -> RawDocument:
    return RawDocument(source=str(path), kind="html", data=path.read_text(encoding="utf-8"),
                       url=f"https://news.example/{path.stem}")


def test_every_kind_has_fixtures() -> None:
    kinds = {p.parent.name for p in PAGES}
    assert kinds == set(KINDS)
    for kind in KINDS:
        assert len([p for p in PAGES if p.parent.name == kind]) >= 3, kind
    languages = {p.name.split("_")[0] for p in PAGES if p.parent.name == "article"}
    assert len(languages) >= 4  # articles in several languages


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_gets_its_kind(path: Path) -> None:
    page = classify_html(path.read_text(encoding="utf-8"))
    assert page.kind == path.parent.name, page.reason
    assert page.reason


@pytest.mark.parametrize("path", [p for p in PAGES if p.parent.name in Settings().refused_page_kinds],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_refused_page_fails_with_kind_and_metadata(path: Path) -> None:
    with pytest.raises(ExtractionRejected) as info:
        extract(_raw(path))
    exc = info.value
    assert exc.code == "extract.no_article"
    assert exc.kind == path.parent.name
    assert exc.title  # every fixture has a <title>
    assert exc.url == f"https://news.example/{path.stem}"
    assert exc.message.startswith(f"not an article: {path.parent.name} (")


def test_refused_page_reaches_the_log_with_its_kind() -> None:
    path = FIXTURES / "paywall" / "fr_reserve_abonnes.html"
    (result,) = list(extract_stream([_raw(path)], Settings(), workers=1))
    assert isinstance(result, Failure)
    assert (result.code, result.kind) == ("extract.no_article", "paywall")
    d = result.as_dict()
    assert d["title"] == "Enquête : comment les loyers ont flambé dans les villes moyennes"
    assert d["kind"] == "paywall"


def test_the_store_log_keeps_kind_and_metadata(tmp_path: Path) -> None:
    path = FIXTURES / "index" / "de_tag_list.html"
    (failure,) = list(extract_stream([_raw(path)], Settings(), workers=1))
    assert isinstance(failure, Failure)
    with open_store(tmp_path / "ng.db") as store:
        run = store.start_run(["ingest", str(path)])
        store.log_failure(run, failure)
        (row,) = store.failures(run_id=run)
    assert row.code == "extract.no_article"
    assert "not an article: index (" in row.message
    assert "'Thema: Energiewende – alle Artikel'" in row.message
    assert "https://news.example/de_tag_list" in row.message


@pytest.mark.parametrize("kind", ["article", "live_blog"])
def test_articles_and_live_blogs_are_stored(kind: str) -> None:
    for path in FIXTURES.glob(f"{kind}/*.html"):
        article = extract(_raw(path))
        assert isinstance(article, Article) and len(article.text) > 200, path.name


def test_refused_kinds_are_a_setting() -> None:
    path = FIXTURES / "index" / "en_section_cards.html"
    keep_all = Settings(refused_page_kinds=())
    try:
        article = extract(_raw(path), keep_all)
    except ExtractionRejected as exc:  # then extraction itself found nothing: still told what the page is
        assert exc.kind == "index" and "not an article" not in exc.message
    else:
        assert article.text
    live = FIXTURES / "live_blog" / "en_liveblogposting.html"
    with pytest.raises(ExtractionRejected) as info:
        extract(_raw(live), Settings(refused_page_kinds=("live_blog",)))
    assert info.value.kind == "live_blog"


def test_http_error_status_is_an_error_page() -> None:
    path = FIXTURES / "article" / "en_flight_404_title.html"
    raw = RawDocument(source="x", kind="html", data=path.read_text(encoding="utf-8"), meta={"http_status": 410})
    with pytest.raises(ExtractionRejected) as info:
        extract(raw)
    assert (info.value.code, info.value.kind) == ("extract.no_article", "error_page")


def test_empty_body_says_what_the_page_looked_like() -> None:
    html = ("<html><head><title>Quiet page</title><meta property='og:type' content='article'></head>"
            "<body><h1>Quiet page</h1><p>Short.</p></body></html>")
    with pytest.raises(ExtractionRejected) as info:
        extract(RawDocument(source="q", kind="html", data=html))
    assert info.value.code in ("extract.no_article", "extract.too_short")
    assert info.value.kind == "article" and info.value.title == "Quiet page"


def test_plain_text_kinds() -> None:
    assert classify_text("404 Not Found\n\nThe requested URL was not found on this server.").kind == "error_page"
    assert classify_text("Just a moment...\nChecking your browser before accessing the site.").kind \
        == "consent_or_bot_wall"
    body = "\n\n".join(["The council met on Tuesday and agreed the budget after a long debate."] * 40)
    assert classify_text("Council agrees budget\n\n" + body).kind == "article"


_HEADLINE = st.lists(st.sampled_from(["council", "votes", "new", "plan", "for", "city", "bridge", "after",
                                      "storm", "police", "say", "record", "year", "school"]), min_size=4, max_size=14)


@settings(max_examples=40, deadline=None)
@given(st.lists(_HEADLINE, min_size=0, max_size=60))
def test_more_related_links_never_refuse_an_article(headlines: list[list[str]]) -> None:
    """Precision over recall: teaser links around a real article never make it a non-article."""
    for name in ("en_newsarticle_related_links.html", "de_divs_no_markup.html", "es_short_brief_sidebar.html"):
        html = (FIXTURES / "article" / name).read_text(encoding="utf-8")
        links = "".join(f'<li><a href="/r/{i}">{" ".join(words)}</a></li>' for i, words in enumerate(headlines))
        page = classify_html(html.replace("</body>", f"<ul class='more'>{links}</ul></body>"))
        assert page.kind == "article", (name, page.reason)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_input_gets_a_known_kind(text: str) -> None:
    assert classify_html(text).kind in KINDS
    assert classify_html(f"<html><body><p>{text}</p></body></html>").kind in KINDS
    assert classify_text(text).kind in KINDS
