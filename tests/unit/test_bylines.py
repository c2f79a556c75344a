"""Bylines: people go to authors; wires and organisations to credits, whatever their position."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.extract.bylines import parse_byline, parse_names, wire_names
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
