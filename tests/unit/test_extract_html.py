"""HTML -> Cleaned: trafilatura plus newsgraph's post-pass.

Fixtures in tests/fixtures/html/ are short hand-written pages, one per
difficulty. Assertions are trafilatura-style snippets ("with" must be in the
body, "without" must not), not whole-text equality.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import ExtractionRejected
from newsgraph.extract import extract
from newsgraph.extract.cleaned import Cleaned
from newsgraph.extract.html import extract_html
from newsgraph.extract.html_rules import PageFacts, label_lines, postpass
from newsgraph.types import REMOVED_KINDS, RawDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def load(name: str) -> Cleaned:
    return extract_html((FIXTURES / name).read_text(encoding="utf-8"))


def kinds(cleaned: Cleaned) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in cleaned.removed:
        out.setdefault(r.kind, []).append(r.text)
    return out


# --------------------------------------------------------------------------- a full news page
NEWS_WITH = [
    "The harbour council on Wednesday approved plans for a movable flood barrier",
    "Councillors voted 11 to 4 in favour of the scheme",
    '"We cannot keep filling sandbags every winter and hoping for the best," said deputy mayor Elif Kaya',
    "An environmental review ordered by the regional authority is due in June.",
    "which leaves a 60-metre channel open in all but the most severe storms.",
    "with the rest coming from a local bond issue approved last year.",
]
NEWS_WITHOUT = [
    "Harbour council approves new flood barrier",  # headline: title, not body
    "Sport", "Opinion", "Weather",  # navigation
    "Waves break over the harbour wall",  # figcaption
    "Photo: Jonas Berg",  # photo credit
    "Read also",  # related link
    "Storm damage in February cost the town",
    "is a reporter at The Coastal Ledger",  # author bio
    "Share this article",  # share prompt
    "Ferry timetable changes",  # related stories box
    "Leave a comment", "Post comment", "This should have been built ten years ago",  # comments
    "All rights reserved", "Privacy policy",  # footer
]


@pytest.fixture(scope="module")
def news() -> Cleaned:
    return load("news_article.html")


@pytest.mark.parametrize("snippet", NEWS_WITH)
def test_news_body_keeps_article_sentences(news: Cleaned, snippet: str) -> None:
    assert snippet in news.body


@pytest.mark.parametrize("snippet", NEWS_WITHOUT)
def test_news_body_drops_boilerplate(news: Cleaned, snippet: str) -> None:
    assert snippet not in news.body


def test_news_body_is_paragraphs_separated_by_blank_lines(news: Cleaned) -> None:
    paragraphs = news.body.split("\n\n")
    assert len(paragraphs) == 6
    assert all(p.strip() == p and p and "\n" not in p for p in paragraphs)


def test_news_metadata(news: Cleaned) -> None:
    assert news.title == "Harbour council approves new flood barrier"
    assert news.authors == ("Maria Lindqvist",)
    assert news.published == "2024-03-14"
    assert news.outlet == "The Coastal Ledger"
    assert news.url == "https://ledger.example.org/news/2024/03/harbour-flood-barrier"
    assert news.language == "en"


def test_news_removed_pieces_have_kinds(news: Cleaned) -> None:
    found = kinds(news)
    assert all(r.kind in REMOVED_KINDS for r in news.removed)
    assert any("Read also" in t for t in found["related_link"])
    assert any(t.startswith("Maria Lindqvist is a reporter") for t in found["author_box"])
    assert any(t.startswith("Share this article") for t in found["boilerplate"])
    # the figcaption is kept aside, not lost, split from its credit; nothing listed twice
    assert found["caption"] == ["Waves break over the harbour wall during the February storm."]
    assert found["photo_credit"] == ["Photo: Jonas Berg / Coastal Ledger"]
    assert len({(r.kind, r.text) for r in news.removed}) == len(news.removed)


def test_url_argument_is_a_fallback_only(news: Cleaned) -> None:
    html = (FIXTURES / "news_article.html").read_text(encoding="utf-8")
    cleaned = extract_html(html, url="https://mirror.example.net/copy")
    assert cleaned.url == "https://ledger.example.org/news/2024/03/harbour-flood-barrier"
    assert cleaned.body == news.body


# --------------------------------------------------------------------------- other pages
def test_page_without_article_gives_empty_body() -> None:
    cleaned = load("no_article.html")
    assert cleaned.body == ""
    assert cleaned.title == "Search results"
    # the driver turns that into extract.no_article
    raw = RawDocument(source="no_article.html", kind="html",
                      data=(FIXTURES / "no_article.html").read_text(encoding="utf-8"))
    with pytest.raises(ExtractionRejected) as err:
        extract(raw)
    assert err.value.code == "extract.no_article"


def test_malformed_html_still_gives_the_article() -> None:
    cleaned = load("malformed.html")
    assert "The mayor opened the new pedestrian bridge over the river on Saturday morning" in cleaned.body
    assert "Construction was delayed twice" in cleaned.body
    assert "Mayor opens the new bridge" not in cleaned.body  # the <h1> headline
    assert ("title", "Mayor opens the new bridge") in {(r.kind, r.text) for r in cleaned.removed}


def test_non_english_page() -> None:
    cleaned = load("article_de.html")
    assert "Der Stadtrat hat am Dienstagabend mit großer Mehrheit ein neues Radwegenetz" in cleaned.body
    assert "„Wir holen nach, was jahrzehntelang versäumt wurde“" in cleaned.body
    for snippet in ("Lesen Sie auch", "Von Jana Becker", "Radfahrer auf der Hauptstraße",
                    "Startseite", "Alle Rechte vorbehalten", "Stadtrat beschließt neues Radwegenetz"):
        assert snippet not in cleaned.body
    assert cleaned.title == "Stadtrat beschließt neues Radwegenetz"
    assert cleaned.authors == ("Jana Becker",)
    assert cleaned.published == "2023-09-05"
    assert cleaned.outlet == "Neue Rundschau"
    assert cleaned.language == "de"
    found = kinds(cleaned)
    assert found["byline"] == ["Von Jana Becker"]
    assert any(t.startswith("Lesen Sie auch") for t in found["related_link"])


def test_table_of_contents_does_not_turn_sections_into_teasers() -> None:
    sections = ["What the barrier will protect", "How much the barrier will cost", "Who will pay for the barrier"]
    toc = "".join(f'<li><a href="#s{i}">{t}</a></li>' for i, t in enumerate(sections))
    body = "".join(
        f'<p id="s{i}"><strong>{t}</strong></p><p>{f"Part {i} of the plan was explained to residents in detail. " * 4}</p>'
        for i, t in enumerate(sections))
    html = (f"<html><head><title>Flood barrier explained</title></head><body><nav><ul>{toc}</ul></nav>"
            f"<article><h1>Flood barrier explained</h1>{body}</article></body></html>")
    cleaned = extract_html(html)
    for i, title in enumerate(sections):
        assert title in cleaned.body
        assert f"Part {i} of the plan" in cleaned.body


def test_driver_gives_article_with_detected_language() -> None:
    raw = RawDocument(source="article_de.html", kind="html",
                      data=(FIXTURES / "article_de.html").read_text(encoding="utf-8"))
    article = extract(raw)
    assert article.language == "de"
    assert article.title == "Stadtrat beschließt neues Radwegenetz"
    assert article.removed


@pytest.mark.parametrize("data", ["", "   ", "\x00\x01", "<", "<html></html>", "<p>x</p>",
                                  "just some text, not markup", "<html><body>" + "<div>" * 3000 + "deep",
                                  "<?xml version='1.0' encoding='utf-8'?><html><body><p>é</p></body></html>"])
def test_degenerate_inputs_give_empty_body(data: str) -> None:
    cleaned = extract_html(data)
    assert isinstance(cleaned, Cleaned)
    assert cleaned.body == ""


# --------------------------------------------------------------------------- post-pass rules alone
FACTS = PageFacts(
    headlines=("Minister resigns over budget row",),
    captions=("The minister leaving parliament on Tuesday. (AP Photo/Jane Doe)",),
    anchors=frozenset({"five things to know about the budget"}),
)


@pytest.mark.parametrize(("line", "kind"), [
    ("Minister resigns over budget row", "title"),
    ("The minister leaving parliament on Tuesday. (AP Photo/Jane Doe)", "caption"),
    ("Photo: Jane Doe / Reuters", "photo_credit"),
    ("(Image: Getty)", "photo_credit"),
    ("Jane Doe/AP", "photo_credit"),
    ("Credit: Jane Doe", "photo_credit"),
    ("READ MORE: Budget talks collapse after all-night session", "related_link"),
    ("See also: how the budget is made", "related_link"),
    ("Related: Budget talks collapse", "related_link"),
    ("Five things to know about the budget", "related_link"),
    ("Five things to know about the budget [VIDEO]", "related_link"),
    ("Sign up for our daily politics newsletter", "boilerplate"),
    ("Share this article", "boilerplate"),
    ("Updated at 1:23 p.m.", "boilerplate"),
    ("(Reporting by Jane Doe; editing by John Roe)", "byline"),
    ("Home > News > Politics", "navigation"),
])
def test_rules_label_lines(line: str, kind: str) -> None:
    labelled = label_lines([("p", "The opposition called for a vote of no confidence on Wednesday evening."),
                            ("p", line),
                            ("p", "Parliament will debate the budget again next week, officials said.")]
                           if kind != "title" else [("head", line), ("p", "Body text follows here.")], FACTS)
    assert (kind, line) in labelled


@pytest.mark.parametrize("line", [
    "The minister said she would read more reports before deciding.",
    "Related talks will resume on Monday, the spokesman said.",
    "Photographs of the meeting were later published by the ministry, which said the talks had gone well.",
    "By the time the vote was called, most members had left the chamber.",
    "Subscribers to the service will not be affected, the company said.",
])
def test_rules_keep_prose(line: str) -> None:
    kept, removed = postpass(["First paragraph of the story, long enough to be prose.", line,
                              "Last paragraph of the story, also long enough to be prose."], FACTS)
    assert line in kept, removed


def test_linked_heading_is_not_a_teaser() -> None:
    # product round-ups link their section headings: those are content
    labelled = label_lines([("p", "Intro paragraph of the gift guide with enough words in it."),
                            ("head", "Five things to know about the budget"),
                            ("p", "Text under the heading.")], FACTS)
    assert (None, "Five things to know about the budget") in labelled


def test_heading_of_a_removed_section_goes_with_it() -> None:
    labelled = label_lines([("p", "The last paragraph of the story, with enough words in it."),
                            ("head", "Before you go"),
                            ("p", "Sign up for our weekly newsletter"),
                            ("head", "Background"),
                            ("p", "The budget row began in March, when two ministers resigned.")], FACTS)
    assert ("boilerplate", "Before you go") in labelled
    assert (None, "Background") in labelled


def test_repeated_long_paragraph_is_a_duplicate_but_a_refrain_is_not() -> None:
    long_par = " ".join(["The deal includes a free case and two games worth sixty dollars in total."] * 3)
    question = "What do you like to cook at home for your family?"
    lines = [question, "Pasta, mostly, and fish on Fridays.", long_par,
             question, "Soup in the winter, salads in the summer.", long_par]
    kept, removed = postpass(lines, PageFacts())
    assert kept.count(question) == 2
    assert kept.count(long_par) == 1
    assert [r.kind for r in removed] == ["duplicate"]


# --------------------------------------------------------------------------- never raises
markup = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
        st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<figure><figcaption>", "</figcaption>",
                         "<a href='/x'>", "</a>", "<h1>", "</h1>", "<html lang='xx-!!'>", "<body>",
                         "<script>", "</script>", "<!--", "-->", "<![CDATA[", "<table><tr><td>",
                         "&amp;", "&#0;", "&#xD800;", "<meta charset='klingon'>", "\x00", "<?xml ?>",
                         "<p>Photo: A / B</p>", "<p>Read also: something</p>"]),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup, st.one_of(st.none(), st.text(max_size=30)))
def test_extract_html_never_raises(parts: list[str], url: str | None) -> None:
    cleaned = extract_html("".join(parts), url=url)
    assert isinstance(cleaned, Cleaned)
    assert isinstance(cleaned.body, str)
    assert all(r.kind in REMOVED_KINDS for r in cleaned.removed)
    if cleaned.published is not None:
        assert len(cleaned.published) == 10


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_extract_html_never_raises_on_text(text: str) -> None:
    assert isinstance(extract_html(text), Cleaned)


# --------------------------------------------------------------------------- one read of the page
_ALL_PAGES = sorted(FIXTURES.glob("*.html")) + sorted((FIXTURES.parent / "page_kinds").glob("*/*.html"))


@pytest.mark.parametrize("path", _ALL_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shared_page_view_gives_what_each_reader_finds_alone(path: Path) -> None:
    """extract_html reads the page once (PageView) for page kinds, metadata and dates: each reader
    must find with the shared view exactly what it finds reading the tree itself."""
    from trafilatura.utils import load_html

    from newsgraph.extract.html_meta import page_meta
    from newsgraph.extract.page_kinds import classify_tree
    from newsgraph.extract.page_view import PageView

    html = path.read_text(encoding="utf-8")
    tree = load_html(html)
    view = PageView(tree)
    assert classify_tree(tree, html, view=view) == classify_tree(tree, html)
    assert page_meta(tree, fetched="2026-01-01", view=view) == page_meta(tree, fetched="2026-01-01")
    assert page_meta(tree, view=PageView(load_html(html))) == page_meta(tree)  # a view of another tree is not used


@pytest.mark.parametrize("path", _ALL_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_one_attribute_union_gives_each_reader_what_its_own_selector_finds(path: Path) -> None:
    from lxml import etree
    from trafilatura.utils import load_html

    from newsgraph.extract import page_view as pv

    tree = load_html(path.read_text(encoding="utf-8"))
    view = pv.PageView(tree)
    assert [el for el in view.marked if pv.is_byline_marked(el)] == etree.XPath(pv.BYLINE_SELECTOR)(tree)
    assert [el for el in view.marked if el.get("itemtype") is not None] == etree.XPath(pv.ITEMTYPE_SELECTOR)(tree)
    assert [el for el in view.marked if el.get("itemprop") == "dateModified"] == \
        etree.XPath(pv.MODIFIED_SELECTOR)(tree)


def test_byline_predicate_matches_the_selector_on_made_up_markup() -> None:
    from lxml import etree
    from trafilatura.utils import load_html

    from newsgraph.extract import page_view as pv

    attrs = ['class="author"', 'class="post-byline x"', 'class="byl"', 'class="byl x"', 'id="authorbox"',
             'rel="author"', 'itemprop="author"', 'itemprop="author name"', 'data-component="Byline"',
             'data-testid="AuthorCard"', 'class="submitted"', 'class="meta-by"', 'class="journalist"',
             'itemtype="https://schema.org/Person"', 'itemprop="dateModified"', 'class="Author"', 'class=""']
    html = "<html><body>" + "".join(f"<div {a}>x</div>" for a in attrs) + "</body></html>"
    tree = load_html(html)
    assert [el for el in pv.PageView(tree).marked if pv.is_byline_marked(el)] == \
        etree.XPath(pv.BYLINE_SELECTOR)(tree)


@pytest.mark.parametrize("path", _ALL_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_meta_title_description_url_as_trafilatura_reads_them(path: Path) -> None:
    """html_meta reads <meta> title, description and URL by trafilatura's examine_meta rules from
    the shared view; a trafilatura upgrade that changes those rules shows up here."""
    from trafilatura import metadata as tm
    from trafilatura.utils import load_html

    from newsgraph.extract.html_meta import _markup_meta
    from newsgraph.extract.page_view import PageView

    tree = load_html(path.read_text(encoding="utf-8"))
    doc = tm.examine_meta(tree)
    assert _markup_meta(PageView(tree)) == (doc.title, doc.description, doc.url)


def test_meta_rules_on_made_up_head() -> None:
    from trafilatura import metadata as tm
    from trafilatura.utils import load_html

    from newsgraph.extract.html_meta import _markup_meta
    from newsgraph.extract.page_view import PageView

    head = ('<meta property="og:title" content="First"><meta property="og:title" content="Second">'
            '<meta name="title" content="Named"><meta itemprop="headline" content="Item">'
            '<meta name="description" content="<b>Bold</b> words"><meta property="og:url" content="not a url">'
            '<meta name="twitter:url" content="https://example.org/a"><meta property="og:description" content="  ">')
    tree = load_html(f"<html><head>{head}</head><body><p>Text of the page here.</p></body></html>")
    doc = tm.examine_meta(tree)
    assert _markup_meta(PageView(tree)) == (doc.title, doc.description, doc.url) == (
        "Second", "Bold words", "https://example.org/a")


_CUE_PIECES = ["All rights reserved", "no part of this article", "click here", "sign up now", "affiliate links",
               "our weekly newsletter", "unseren Newsletter", "we may earn a commission", "share of the sale",
               "if you buy something", "(AP Photo/Jane Doe)", "(Image: Getty)", "Jane Doe/AP", "Getty Images",
               "iStock", "SIGN UP", "Sıgn up now", "ſign up today", "AFFİLİATE LINKS", "無斷轉載", " ", ".", ")",
               "/", "word", "Part", "sale"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_CUE_PIECES), st.text(max_size=8)), max_size=8))
def test_cue_prechecks_never_change_a_match(pieces: list[str]) -> None:
    """The keyword pre-checks that skip the costly anywhere-boilerplate and credit-tail searches
    say "no" only where the regex finds nothing (case variants included): same labels, faster."""
    from newsgraph.extract import html_rules as rules

    line = " ".join(pieces)
    assert rules._anywhere_boilerplate(line) == (rules._ANYWHERE_BOILERPLATE.search(line) is not None)
    assert rules._credit_tail(line) == (rules._CREDIT_TAIL.search(line) is not None)


_PIECES = ["<a href='x'>", "</a>", "<b>", "</b>", "<p>", "</p>", "<br>", "<!-- note -->", "<script>var a = '<b>';</script>",
           "<![CDATA[c]]>", "&amp;", "&nbsp;", "&#x1F600;", "\u00a0", "\u2028", " ", "\n", "\t", "Ünïcode", "x", "<?pi y?>",
           "<span>", "</span>", "<style>p{}</style>", "<textarea>t</textarea>", "<img alt='z'>"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=25))
def test_string_value_is_text_content_on_every_node(pieces: list[str]) -> None:
    # element texts are read with string_value (libxml2's text serialisation) instead of lxml.html's
    # text_content (an XPath evaluation) for speed: the two must agree on every node of any page
    import lxml.html

    from newsgraph.extract.page_view import string_value

    try:
        root = lxml.html.document_fromstring("<html><body><div>" + "".join(pieces) + "</div></body></html>")
    except ValueError:  # lxml refuses NUL bytes and some control characters
        return
    for node in root.iter():
        assert _outcome(string_value, node) == _outcome(lambda n: n.text_content(), node)


def _outcome(read, node):  # the text, or the kind of error (lxml refuses comments: ValueError)
    try:
        return read(node)
    except Exception as exc:  # noqa: BLE001 - the outcome compared
        return type(exc)
