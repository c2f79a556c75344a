"""Outlets from markup or the domain table, never URL fragments; headlines without the site suffix."""

from __future__ import annotations

from newsgraph.config import Settings
from newsgraph.extract import extract
from newsgraph.extract.outlets import host_of, pick_outlet
from newsgraph.extract.titles import headline, strip_site
from newsgraph.types import RawDocument

BODY = "<p>" + "The council met on Tuesday to discuss the budget for the coming year. " * 6 + "</p>"


def test_domain_table_names_the_outlet() -> None:
    assert pick_outlet(site_name=None, publisher=None, app_name=None,
                       url="https://www.deccanherald.com/national/x") == "Deccan Herald"


def test_user_table_overrides_and_extends() -> None:
    extra = {"example.org": "Example Times"}
    assert pick_outlet(site_name="EX", publisher=None, app_name=None, url="https://news.example.org/a",
                       extra=extra) == "Example Times"


def test_no_url_fragment_or_handle_as_outlet() -> None:
    outlet = pick_outlet(site_name="@Wday_", publisher=None, app_name="Hosted",
                         url="https://hosted.unknown-site.net/x")
    assert outlet == "hosted.unknown-site.net"
    assert host_of("https://www.nj.com/news/x") == "nj.com"


def test_site_suffix_cut_only_when_it_names_the_outlet() -> None:
    assert strip_site("Oil prices rise | Al Bawaba", "Al Bawaba", None) == "Oil prices rise"
    assert strip_site("Why we moved - The Paradigm", "The Paradigm", None) == "Why we moved"
    assert strip_site("Kim - the man and the myth", "Other Outlet", None) == "Kim - the man and the myth"


def test_a_dash_quote_never_splits_a_title() -> None:
    title = "Støre: – Vi må ha en plan for dette"
    assert strip_site(title, "NRK", "nrk.no") == title
    assert headline([title], [], [], "NRK", "nrk.no") == title


def test_the_confirmed_h1_keeps_its_typography() -> None:
    got = headline(['Atim: "The Woman King" | Rosa'], ["Atim: „The Woman King“"], [], "Rosa", None)
    assert got == "Atim: „The Woman King“"


def test_a_logo_h1_is_not_the_headline() -> None:
    got = headline(["Budget agreed | Bloghaus"], ["Bloghaus"], [], "Bloghaus", None)
    assert got == "Budget agreed"


def test_settings_outlets_reach_extraction() -> None:
    html = f"<html><head><title>Budget agreed</title></head><body><h1>Budget agreed</h1>{BODY}</body></html>"
    raw = RawDocument("x.html", "html", html, url="https://www.example.org/budget")
    article = extract(raw, Settings(outlets={"www.Example.org": "Example Times"}))
    assert article.outlet == "Example Times"
    assert article.title == "Budget agreed"
