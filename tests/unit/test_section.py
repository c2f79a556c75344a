"""The page's section (issue 12): from its own markup (article:section, JSON-LD articleSection,
the JSON-LD breadcrumb), never guessed."""

from __future__ import annotations


def _section_page(head: str) -> str:
    body = "<p>" + "The council met on Tuesday to discuss the budget for the coming year. " * 6 + "</p>"
    return f"<html><head><title>Budget agreed</title>{head}</head><body><article><h1>Budget agreed</h1>{body}</article></body></html>"


def test_section_from_article_section_meta_then_json_ld_then_breadcrumb() -> None:
    from newsgraph.extract.html import extract_html

    meta = "<meta property='article:section' content='Politics'>"
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "articleSection": ["Local", "Money"]}'
          '</script>')
    crumbs = ('<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": ['
              '{"@type": "ListItem", "position": 3, "name": "Budget agreed"},'
              '{"@type": "ListItem", "position": 1, "name": "Home"},'
              '{"@type": "ListItem", "position": 2, "item": {"@id": "/city", "name": "City Hall"}}]}</script>')
    assert extract_html(_section_page(meta + ld)).section == "Politics"
    assert extract_html(_section_page(ld + crumbs)).section == "Local"
    assert extract_html(_section_page(crumbs)).section == "City Hall"
    assert extract_html(_section_page("")).section is None
    escaped = '<script type="application/ld+json">{"@type": "NewsArticle", "articleSection": "Body &amp; Fitness"}</script>'
    assert extract_html(_section_page(escaped)).section == "Body & Fitness"
    only_home = crumbs.replace('"City Hall"', '"Budget agreed"')
    assert extract_html(_section_page(only_home)).section is None
