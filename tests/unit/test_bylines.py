"""Bylines: people go to authors; wires and organisations to credits, whatever their position."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.extract.bylines import ORG_WORDS, parse_byline, parse_names, wire_names, wire_of
from newsgraph.extract.html import extract_html

BODY = "<p>" + "The council met on Tuesday to discuss the budget for the coming year. " * 6 + "</p>"


def test_two_people_joined_by_and() -> None:
    assert parse_byline("By Jane Doe and John Roe").authors == ("Jane Doe", "John Roe")


def test_a_list_of_three_people() -> None:
    assert parse_byline("Anna Muster, Bernd Beispiel und Carla Probe").authors == (
        "Anna Muster", "Bernd Beispiel", "Carla Probe")


def test_a_wire_after_a_person_is_a_credit() -> None:
    byline = parse_byline("Jane Doe | Reuters")
    assert byline.authors == ("Jane Doe",)
    assert byline.credits == (("wire", "Reuters"),)


def test_a_wire_before_a_person_is_a_credit_too() -> None:
    byline = parse_byline("AFP / Jean Dupont")
    assert byline.authors == ("Jean Dupont",)
    assert byline.credits == (("wire", "AFP"),)


def test_cue_words_in_several_languages() -> None:
    assert parse_byline("Автор: Иван Петров").authors == ("Иван Петров",)
    assert parse_byline("Von Anna Muster, dpa").authors == ("Anna Muster",)
    assert parse_byline("Par Jean Dupont (AFP)").authors == ("Jean Dupont",)
    assert parse_byline("Por María López").authors == ("María López",)


def test_a_wire_or_an_organisation_alone_gives_no_author() -> None:
    assert parse_byline("PTI") .authors == ()
    assert parse_byline("PTI").credits == (("wire", "PTI"),)
    assert parse_byline("By The Associated Press").credits == (("wire", "AP"),)
    assert parse_byline("NJ Advance Media").authors == ()
    assert parse_byline("India Post News Weekly").authors == ()


def test_a_date_after_the_names_is_cut() -> None:
    assert parse_byline("VON MORITZ GATHMANN am 21. April 2020").authors == ("MORITZ GATHMANN",)


def test_json_ld_organization_is_a_credit_whatever_its_name() -> None:
    byline = parse_names([("Jane Doe", "Person"), ("Example Gazette Online", "Organization")])
    assert byline.authors == ("Jane Doe",)
    assert byline.credits == (("organisation", "Example Gazette Online"),)


@given(st.sampled_from(sorted(wire_names())), st.sampled_from(["By {}", "{}", "Jane Doe, {}", "{} | Jane Doe"]))
def test_no_wire_is_ever_an_author(form: str, pattern: str) -> None:
    authors = parse_byline(pattern.format(form)).authors
    assert all(a.casefold() != form.casefold() for a in authors)


def test_page_with_ap_byline_has_wire_credit_and_no_author() -> None:
    html = (f"<html><head><title>Storm hits coast</title><meta name='author' content='The Associated Press'>"
            f"</head><body><h1>Storm hits coast</h1>{BODY}</body></html>")
    cleaned = extract_html(html, url="https://hosted.example.com/storm")
    assert cleaned.authors == ()
    assert cleaned.credits == (("wire", "AP"),)


def test_page_byline_element_found_when_meta_has_none() -> None:
    html = (f"<html><head><title>Budget agreed</title></head><body><article><h1>Budget agreed</h1>"
            f"<p class='byline'>By Jane Doe and John Roe</p>{BODY}</article></body></html>")
    cleaned = extract_html(html)
    assert cleaned.authors == ("Jane Doe", "John Roe")


# --- people found where pages put them (issue 12: recall of authors who are people) ---------------

def _page(head: str = "", body: str = "", title: str = "Budget agreed") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"{body}{BODY}</article></body></html>")


def test_a_cue_inside_a_line_opens_the_names() -> None:
    assert parse_byline("Posted on September 21, 2020 by Jane Doe").authors == ("Jane Doe",)
    assert parse_byline("Veröffentlicht von Anna Muster").authors == ("Anna Muster",)
    assert parse_byline("About the Author - Jane Doe").authors == ("Jane Doe",)


def test_a_particle_is_part_of_the_name_not_a_cue() -> None:
    assert parse_byline("Walter von Aachen").authors == ("Walter von Aachen",)
    assert parse_byline("Großbritannien übernommen").authors == ()  # lower case, and no particle


def test_a_job_title_before_the_name_is_dropped() -> None:
    assert parse_byline("Autor: Rechtsanwalt Jan Beispiel").authors == ("Jan Beispiel",)
    assert parse_byline("Online-Experte Jan Beispiel").authors == ("Jan Beispiel",)


def test_a_dash_separates_a_name_from_what_follows() -> None:
    assert parse_byline("Jane Doe - January").authors == ("Jane Doe",)


def test_a_handle_counts_only_alone_and_only_where_the_source_names_an_author() -> None:
    assert parse_byline("Veröffentlicht von HansG", handles=True).authors == ("HansG",)
    assert parse_byline("von gizzmo · 22. Oktober 2019", handles=True).authors == ("gizzmo",)
    assert parse_byline("HansG").authors == ()  # no source said it is an author
    assert parse_byline("GIROMATCH, Frankfurt a. M., Germany", handles=True).authors == ()
    for default in ("admin", "Redaktion", "Gast", "zvg", "September"):
        assert parse_byline(default, handles=True).authors == (), default


def test_titles_of_things_and_organisations_are_never_people() -> None:
    for name in ("The Local", "La República", "Deutsches Rotes Kreuz", "TVT-Redaktion", "SeglerBlog",
                 "Feuerwehr Oldenburg", "Diakonie Deutschland"):
        assert parse_byline(name, handles=True).authors == (), name
    site = parse_byline("Deutsche Welle (www.dw.com)", handles=True)
    assert site.authors == () and ("organisation", "Deutsche Welle") in site.credits


@given(st.sampled_from(sorted(ORG_WORDS)), st.sampled_from(["Example", "Nordstadt", "Maria"]),
       st.sampled_from(["{} {}", "{1} {0}", "By {1} {0}", "Jane Doe, {1} {0}"]), st.booleans())
def test_no_organisation_is_ever_an_author(word: str, other: str, pattern: str, handles: bool) -> None:
    name = pattern.format(word.capitalize(), other)
    authors = parse_byline(name, handles=handles).authors
    assert all(word not in a.casefold().split() for a in authors), (name, authors)


@given(st.sampled_from(sorted(wire_names())), st.sampled_from(["By {}", "{}", "Jane Doe, {}", "{} | Jane Doe"]))
def test_no_wire_is_an_author_even_where_handles_count(form: str, pattern: str) -> None:
    authors = parse_byline(pattern.format(form), handles=True).authors
    assert all(wire_of(a) is None for a in authors)


def test_words_in_separate_elements_are_separate_words() -> None:
    html = _page(body="<div class='author'><b>Author</b><a href='/jane'>Jane Doe</a></div>")
    assert extract_html(html).authors == ("Jane Doe",)


def test_json_ld_author_given_by_reference_to_a_person_in_the_graph() -> None:
    ld = ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage", "@id": "p",'
          ' "author": {"@id": "#jane"}}, {"@type": "Person", "@id": "#jane", "name": "Jane Doe"}]}</script>')
    assert extract_html(_page(head=ld, body="<p>Jane Doe</p>")).authors == ("Jane Doe",)


def test_a_name_only_the_metadata_gives_and_the_page_never_shows_is_not_taken() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}</script>'
    meta = "<meta name='author' content='John Roe'>"
    assert extract_html(_page(head=ld + meta)).authors == ()
    assert extract_html(_page(head=ld + meta, body="<p class='x'>JANE DOE</p>")).authors == ("Jane Doe",)


def test_byline_in_the_visible_text_after_the_headline() -> None:
    html = _page(body="<div class='meta'><span>| By </span><span>Jane Doe</span> | <time>April 13</time></div>")
    assert extract_html(html).authors == ("Jane Doe",)


def test_author_label_line_in_the_body() -> None:
    assert extract_html(_page(body="<p>Autor: Jan Beispiel</p>")).authors == ("Jan Beispiel",)


def test_nitf_byline_element() -> None:
    cleaned = extract_html(_page(body="<byline>Von Jan Beispiel, dpa</byline>"))
    assert cleaned.authors == ("Jan Beispiel",)
    assert cleaned.credits == (("wire", "dpa"),)


def test_a_footer_of_the_article_holds_its_byline_but_the_page_footer_does_not() -> None:
    inside = _page(body="<div class='article-footer'><span class='author'>von Anna Muster</span></div>")
    assert extract_html(inside).authors == ("Anna Muster",)
    outside = _page().replace("</article>", "</article><div class='footer'><span class='author'>"
                                            "von Anna Muster</span></div>")
    assert extract_html(outside).authors == ()


# --- agreement between the places a page names its authors (author_votes) ----------------------

def test_the_byline_other_places_agree_on_wins_over_a_lone_json_ld_name() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Kim Lee"}}</script>'
    body = ("<p>Kim Lee</p><div class='byline'>By Jane Doe and John Roe</div>"
            "<a href='/author/jane-doe'>Jane Doe</a>")
    html = _page(head=ld + "<meta name='author' content='Jane Doe'>", body=body)
    assert extract_html(html).authors == ("Jane Doe", "John Roe")


def test_a_lone_json_ld_list_stands_when_one_of_its_names_is_seen_elsewhere() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", "name": '
          '"Jane Doe"}, {"@type": "Person", "name": "John Roe"}]}</script>')
    html = _page(head=ld, body="<p class='byline'>Jane Doe</p><p>John Roe reports.</p>")
    assert extract_html(html).authors == ("Jane Doe", "John Roe")


def test_author_links_name_people_only_when_the_path_ends_in_the_name() -> None:
    body = ("<div class='tags'><a href='/author/jane-doe'>Jane Doe</a> <a href='/author/team'>Read More</a>"
            " <a href='/topics/berlin'>Anna Muster</a></div>")
    assert extract_html(_page(body=body)).authors == ("Jane Doe",)


def test_written_by_pair_of_seo_meta_names_the_author() -> None:
    head = "<meta name='twitter:label1' content='Verfasst von'><meta name='twitter:data1' content='Anna Muster'>"
    assert extract_html(_page(head=head, body="<p>Anna Muster</p>")).authors == ("Anna Muster",)


def test_a_one_word_signature_becomes_the_full_name_another_place_gives() -> None:
    head = "<meta name='author' content='Nils'>"
    body = "<div class='author-bio'>Eine Kolumne von Nils Pickert</div>"
    assert extract_html(_page(head=head, body=body)).authors == ("Nils Pickert",)


def test_a_name_and_a_date_after_the_headline_sign_the_article() -> None:
    assert extract_html(_page(body="<div><span>Jane Doe | 27.01.2022 - 12:45</span></div>")).authors == ("Jane Doe",)
    assert extract_html(_page(body="<p class='muted'>11.12.2019 - Anna Muster</p>")).authors == ("Anna Muster",)


def test_shapes_that_are_no_names() -> None:
    assert parse_byline("Williams Perdomo @wperdomod").authors == ("Williams Perdomo",)
    assert parse_byline("Autor/in: Korinna Hennig").authors == ("Korinna Hennig",)
    assert parse_byline("Autor*in: Korinna Hennig").authors == ("Korinna Hennig",)
    for acronym in ("NDR", "GNB", "ERBOL"):
        assert parse_byline(acronym, handles=True).authors == (), acronym
    assert parse_byline("Mobasir hassan", handles=True, loose=True).authors == ("Mobasir hassan",)
    assert parse_byline("Frankfurt a. M.", handles=True, loose=True).authors == ()
    assert parse_byline("Großbritannien übernommen").authors == ()


def test_byline_classes_in_other_languages() -> None:
    html = _page(body="<div class='autor'><h6>Jacobo Betancur Peláez | Publicado hace 3 horas</h6></div>")
    assert extract_html(html).authors == ("Jacobo Betancur Peláez",)


def test_a_name_credited_for_pictures_in_a_byline_is_not_an_author() -> None:
    assert parse_byline("By R.C. Baker / Greg Cohen, Photographs").authors == ("R.C. Baker",)


def test_an_author_bio_gives_no_credit_made_of_a_sentence() -> None:
    html = _page(body="<div class='author-box'><p>Jane Doe covers shipping for Harbour Times. She is based in "
                      "Oslo.</p></div>")
    cleaned = extract_html(html)
    assert all(". " not in name for _, name in cleaned.credits), cleaned.credits


def test_credits_are_names_of_organisations_not_addresses_or_prose() -> None:
    assert parse_byline("Jane Doe, Phys.org", ("Phys.org",)).credits == (("organisation", "Phys.org"),)
    for junk in ("Mail: jane.doe@example-news.de", "jane.doe@example-times.com", "Fotos: EL HERALDO",
                 "sacarle provecho al asesoramiento de un contador La Tercera"):
        byline = parse_byline(f"Jane Doe, {junk}")
        assert byline.authors == ("Jane Doe",) and all(junk not in name for _, name in byline.credits), byline


# --------------------------------------------------------------------------- visible byline lines no markup marks


def _text_bylines(html: str) -> list[str]:
    from lxml import html as lxml_html

    from newsgraph.extract.html_meta import _text_bylines
    from newsgraph.extract.page_view import PageView

    return _text_bylines(PageView(lxml_html.fromstring(html)))


def test_a_visible_cue_line_after_the_headline_is_found_in_any_language() -> None:
    for line, names in (("Auteur : Jean Dupont", "Jean Dupont"), ("Autor:in: Anna Muster", "Anna Muster"),
                        ("  \n" + " " * 40 + "von Anna Muster   ", "Anna Muster"), ("— by Jane Doe", "Jane Doe"),
                        ("Автор: Иван Петров", "Иван Петров"), ("Door Jan de Vries", "Jan de Vries")):
        page = f"<html><body><h1>Headline</h1>{BODY}<div><span>{line}</span></div></body></html>"
        assert _text_bylines(page) == [names], line


def test_a_lone_cue_takes_the_names_from_the_next_text() -> None:
    page = "<html><body><h1>Headline</h1><p><span>By</span> <a href='/p/1'>Jane Doe</a> <span>|</span></p></body></html>"
    assert _text_bylines(page) == ["Jane Doe"]


def test_cue_lines_in_comments_sidebars_navigation_and_forms_are_not_bylines() -> None:
    for wrapper in ("<div class='comments'>{}</div>", "<aside class='sidebar'>{}</aside>", "<nav>{}</nav>",
                    "<ul id='recentcomments'><li>{}</li></ul>", "<form><label>{}</label></form>",
                    "<div class='related-posts'>{}</div>"):
        page = f"<html><body><h1>Headline</h1>{BODY}" + wrapper.format("<p>By Jane Doe</p>") + "</body></html>"
        assert _text_bylines(page) == [], wrapper


def test_a_sentence_that_opens_with_a_cue_word_names_no_one() -> None:
    page = (f"<html><body><h1>Headline</h1><p>Von Berlin nach Hamburg fahren die Züge wieder.</p>"
            f"<p>By the end of the year the council expects the pool to be open again for clubs.</p>{BODY}</body></html>")
    for text in _text_bylines(page):
        assert parse_byline(text).authors == ()


def test_the_byline_cue_table_is_well_formed() -> None:
    from importlib import resources

    table = resources.files("newsgraph.extract").joinpath("data/byline_cues.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines() if line.strip() and not line.startswith("#")]
    assert len(rows) > 30
    assert all(len(row) == 3 and row[2] in ("lead", "label") and row[0] == row[0].lower() for row in rows)


def test_an_editor_or_translator_is_not_an_author() -> None:
    assert parse_byline("Revised Edition. Edited by Adrian Beispiel").authors == ()
    assert parse_byline("Aus dem Englischen übersetzt von Anna Muster").authors == ()
    assert parse_byline("Written by Jane Doe").authors == ("Jane Doe",)


def test_a_public_body_is_an_organisation_not_a_person() -> None:
    byline = parse_byline("By Federal Aviation Administration")
    assert byline.authors == ()
    assert byline.credits == (("organisation", "Federal Aviation Administration"),)


_NAME_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéñ", min_size=3, max_size=9).map(str.capitalize)


@given(first=_NAME_WORD, last=_NAME_WORD, cue=st.sampled_from(["By", "Von", "Par", "Auteur :", "Autor:", "Door"]),
       wrapper=st.sampled_from(["<div class='comments'>{}</div>", "<ul id='recentcomments'><li>{}</li></ul>",
                                "<aside class='sidebar'>{}</aside>", "<div class='site-footer'>{}</div>"]))
def test_a_visible_byline_names_its_person_in_the_article_and_no_one_in_comments(first: str, last: str, cue: str,
                                                                                  wrapper: str) -> None:
    line = f"<p><span>{cue} {first} {last}</span></p>"
    head = "<html><body><article><h1>Headline of the story</h1>" + BODY * 2 + "<div class='info'>"
    assert _text_bylines(head + line + "</div></article></body></html>") == [f"{first} {last}"]
    assert _text_bylines(head + "</div></article>" + wrapper.format(line) + "</body></html>") == []


def test_a_visible_cue_before_one_word_names_a_signature_but_not_a_title_an_acronym_or_a_weekday() -> None:
    def authors(line: str) -> tuple[str, ...]:
        return extract_html(f"<html><body><article><h1>Headline</h1>{BODY}<p class='info'>{line}</p>"
                            "</article></body></html>").authors

    assert authors("Posted by gizzmo") == ("gizzmo",)
    assert authors("Von Rechtsanwalt") == ()
    assert authors("Von FINANZCHECK:") == ()
    assert authors("Von Mi") == ()
