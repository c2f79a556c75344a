"""Outlets from markup or the domain table, never URL fragments; headlines without the site suffix."""

from __future__ import annotations

from newsgraph.config import Settings
from newsgraph.extract import extract
from newsgraph.extract.outlets import feed_outlet, host_of, pick_outlet
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


def test_a_feed_title_is_the_outlet_only_when_the_page_names_none() -> None:
    kw = {"publisher": None, "app_name": None, "url": "https://ledger.example/news/1", "feed_title": "Ledger /ledger.xml"}
    assert pick_outlet(site_name="Baltic Ledger", **kw) == "Baltic Ledger"
    assert pick_outlet(site_name=None, **kw | {"publisher": "Baltic Ledger Media"}) == "Baltic Ledger Media"
    assert pick_outlet(site_name=None, **kw) == "Ledger"  # above the bare host
    assert pick_outlet(site_name=None, **kw | {"feed_title": "RSS Feed"}) == "ledger.example"
    assert pick_outlet(site_name="Page Name", **kw | {"url": "https://www.deccanherald.com/x"}) == "Deccan Herald"


def test_a_feed_title_loses_url_tails_and_feed_words() -> None:
    assert [feed_outlet(t) for t in ("Ledger /ledger.xml", "Baltic Ledger - RSS", "Baltic Ledger: Latest News",
                                     "RSS Feed | Baltic Ledger", "Baltic Ledger RSS Feed", "BBC News - Home",
                                     "Reuters: Top News")] == [
        "Ledger", "Baltic Ledger", "Baltic Ledger", "Baltic Ledger", "Baltic Ledger", "BBC News", "Reuters"]
    assert [feed_outlet(t) for t in ("Latest news", "RSS", "https://ledger.example/rss.xml", "", None)] == [None] * 5


def test_of_several_pieces_the_one_naming_the_host_wins() -> None:
    assert feed_outlet("World - Tegernseer Stimme", "tegernseerstimme.de") == "Tegernseer Stimme"
    assert feed_outlet("World - Tegernseer Stimme") == "World"


def test_extract_prefers_the_page_over_the_feed_title_and_a_record_over_both() -> None:
    page = f'<html><head><meta property="og:site_name" content="Baltic Ledger"></head><body>{BODY}</body></html>'
    bare = f"<html><head></head><body>{BODY}</body></html>"
    url = "https://ledger.example/news/1"
    feed = {"feed_title": "Ledger /ledger.xml"}
    assert extract(RawDocument("a", "html", page, url=url, meta=feed)).outlet == "Baltic Ledger"
    assert extract(RawDocument("b", "html", bare, url=url, meta=feed)).outlet == "Ledger"
    assert extract(RawDocument("c", "text", BODY[3:-4], url=url, meta=feed)).outlet == "Ledger"
    assert extract(RawDocument("d", "html", page, url=url, meta={"outlet": "Ledger Weekly"})).outlet == "Ledger Weekly"
