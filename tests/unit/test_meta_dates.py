"""Publication dates with their evidence; impossible dates rejected; modified kept apart."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura.utils import load_html

from newsgraph.extract import extract
from newsgraph.extract.dates import CONFIDENCE_DATA, SOURCE_CONFIDENCE, find_dates
from newsgraph.types import RawDocument

BODY = "<p>" + "The council met on Tuesday to discuss the budget for the coming year. " * 6 + "</p>"


def page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>Budget agreed</title>{head}</head><body><h1>Budget agreed</h1>{body}{BODY}</body></html>"


def test_meta_date_with_its_source_and_confidence() -> None:
    ev = find_dates(load_html(page('<meta property="article:published_time" content="2021-04-05T10:00:00Z">')))
    assert (ev.published, ev.source) == ("2021-04-05", "meta")
    assert SOURCE_CONFIDENCE["text"] < (ev.confidence or 0) < 1  # markup is trusted above a text guess


def test_offset_gives_the_local_calendar_day() -> None:
    head = '<meta property="article:published_time" content="2020-06-29T00:16:15+03:00">'
    assert find_dates(load_html(page(head))).published == "2020-06-29"


def test_a_dated_url_is_trusted_as_measured() -> None:
    head = '<meta property="article:published_time" content="2021-04-05T10:00:00Z">'
    ev = find_dates(load_html(page(head)), "https://example.org/2021/04/05/budget")
    assert (ev.published, ev.source, ev.confidence) == ("2021-04-05", "url", SOURCE_CONFIDENCE["url"])
    assert SOURCE_CONFIDENCE["text"] < SOURCE_CONFIDENCE["url"] < 1


def test_date_after_the_fetch_day_is_rejected() -> None:
    head = '<meta property="article:published_time" content="2031-01-01T10:00:00Z">'
    ev = find_dates(load_html(page(head)), fetched="2024-05-01")
    assert ev.published != "2031-01-01"


def test_date_before_the_web_is_rejected() -> None:
    head = '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
    assert find_dates(load_html(page(head))).published is None


def test_modified_is_kept_apart() -> None:
    head = ('<meta property="article:published_time" content="2021-04-05T10:00:00Z">'
            '<meta property="article:modified_time" content="2021-06-01T10:00:00Z">')
    ev = find_dates(load_html(page(head)))
    assert (ev.published, ev.modified) == ("2021-04-05", "2021-06-01")


def test_modified_alone_is_not_published() -> None:
    head = '<meta property="article:modified_time" content="2021-06-01T10:00:00Z">'
    assert find_dates(load_html(page(head)), extensive="never").published != "2021-06-01"


def test_text_date_found_by_extensive_search_with_a_weak_source() -> None:
    ev = find_dates(load_html(page(body="<div><span>Posted on 3 March 2019</span></div>")))
    assert ev.published == "2019-03-03"
    assert ev.confidence is not None and ev.confidence < SOURCE_CONFIDENCE["meta"]


def test_feed_date_wins_and_says_so() -> None:
    head = '<meta property="article:published_time" content="2021-04-05T10:00:00Z">'
    raw = RawDocument("https://example.org/a", "html", page(head), url="https://example.org/a",
                      meta={"feed": "feed.xml", "published": "2021-04-05"})
    article = extract(raw)
    assert (article.published, article.published_source) == ("2021-04-05", "feed")
    assert article.published_confidence and article.published_confidence > SOURCE_CONFIDENCE["feed"]
    assert article.as_dict()["published_source"] == "feed"


def test_every_date_comes_with_a_source() -> None:
    for head in ('<meta name="date" content="2019-02-03">', '<time datetime="2019-02-03">3 Feb</time>', ""):
        article = extract(RawDocument("x.html", "html", page(head)))
        assert (article.published is None) == (article.published_source is None)
        if article.published:
            assert dt.date.fromisoformat(article.published) <= dt.date.today()


# --------------------------------------------------------------------------- the page's own words and links


def test_a_labelled_publication_day_wins_over_the_first_date_like_element() -> None:
    body = ('<div class="date">2023-11-03</div><h2><a href="/x">Other story</a></h2>'
            "<p>Last change: 31.10.2023 - 14:49<br>Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023</p>")
    ev = find_dates(load_html(page(body=body)))
    assert (ev.published, ev.source) == ("2023-11-01", "label")
    written = find_dates(load_html(page(body='<p class="date">Written: 2023-11-07 15:03:30 / Updated: '
                                                  "2023-11-08 10:00:00</p>")))
    assert written.published == "2023-11-07"  # the "Updated" day is never read as the published one


def test_a_label_never_overrides_structured_markup() -> None:
    head = '<meta property="article:published_time" content="2021-04-05T10:00:00Z">'
    ev = find_dates(load_html(page(head, body="<p>Published: 3 March 2019</p>")))
    assert (ev.published, ev.source) == ("2021-04-05", "meta")


def test_a_numeric_meta_day_read_both_ways_follows_the_labelled_day() -> None:
    head = '<meta name="date" content="11/01/2023 12:43:42">'
    ev = find_dates(load_html(page(head, body="<p>Erstellt am: 01.11.2023</p>")))
    assert ev.published == "2023-11-01"
    plain = find_dates(load_html(page(head)))  # no label: htmldate's reading stands
    assert plain.published in ("2023-01-11", "2023-11-01") and plain.source == "meta"


def test_a_masthead_date_is_not_the_articles() -> None:
    body = ('<header class="site"><span class="date">Tuesday, 08 Dec 2020</span></header>'
            '<div class="meta"><span class="date">13 Oct 2020</span></div>')
    assert find_dates(load_html(page(body=body)), fetched="2020-12-08").published == "2020-10-13"


def test_compact_and_canonical_url_days() -> None:
    assert find_dates(load_html(page()), "https://example.org/news/20200316/rockland").published == "2020-03-16"
    assert find_dates(load_html(page()), "https://example.org/a-20200113-b").source == "url"
    head = '<link rel="canonical" href="https://origin.example/world/megablaze-20200113">'
    ev = find_dates(load_html(page(head)), "https://copy.example/news/263700449/megablaze")
    assert (ev.published, ev.source) == ("2020-01-13", "url")
    assert find_dates(load_html(page()), "https://example.org/item/20201399").published is None  # no 13th month


def test_a_year_alone_never_becomes_a_day() -> None:
    body = "<footer>© 2019 Example Media</footer><p>Archive 2018</p>"
    ev = find_dates(load_html(page(body=body)))
    assert ev.published is None and ev.source is None


def test_confidence_counts_cover_every_page_source() -> None:
    data = json.loads(resources.files("newsgraph.extract").joinpath(CONFIDENCE_DATA).read_text(encoding="utf-8"))
    assert set(data["stages"]) >= {"url", "meta", "json_ld", "abbr", "markup", "title", "time", "timestamp",
                                   "image_url", "text_pattern", "text", "label"}
    assert set(data["answers"]) <= set(data["stages"])
    assert all(0 <= right <= n for right, n in [*data["stages"].values(), *data["answers"].values()])
    assert all(0 < v < 1 for v in SOURCE_CONFIDENCE.values())


# --------------------------------------------------------------------------- the visible dates outvote the markup


def test_visible_dates_outvote_a_template_meta_day() -> None:
    # The CMS left a template's day in <meta>; the page prints another, and its last change agrees.
    head = ('<meta property="article:published_time" content="2022-01-15">'
            '<meta property="article:modified_time" content="2022-01-25T08:00:00+01:00">')
    body = '<div class="meta"><span class="date">25.01.2022</span></div>'
    ev = find_dates(load_html(page(head, body=body)))
    assert (ev.published, ev.source) == ("2022-01-25", "visible")
    assert ev.modified == "2022-01-25"
    assert ev.confidence == SOURCE_CONFIDENCE["visible"]


def test_a_printed_date_and_a_time_element_outvote_json_ld() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2005-07-26T16:22:26-07:00"}</script>')
    body = ('<div class="post-info"><span class="date">April 7, 2020</span></div>'
            '<p>Posted <time datetime="2020-04-07T10:00">7 April</time></p>')
    assert find_dates(load_html(page(head, body=body))).published == "2020-04-07"


def test_one_witness_alone_never_outvotes_the_markup() -> None:
    head = '<meta property="article:published_time" content="2022-01-15">'
    body = '<div class="meta"><span class="date">25.01.2022</span></div>'  # no modified day, no <time>
    assert find_dates(load_html(page(head, body=body))).published == "2022-01-15"


def test_the_markup_day_named_by_any_witness_stands() -> None:
    head = ('<meta property="article:published_time" content="2022-01-15">'
            '<meta property="article:modified_time" content="2022-01-25">')
    body = ('<div class="meta"><span class="date">15.01.2022</span></div>'
            '<p><time datetime="2022-01-25">25 Jan</time></p>')
    ev = find_dates(load_html(page(head, body=body)))
    assert (ev.published, ev.source) == ("2022-01-15", "meta")


def test_a_dated_url_is_never_outvoted() -> None:
    head = '<meta property="article:modified_time" content="2022-01-25">'
    body = '<div class="meta"><span class="date">25.01.2022</span></div>'
    ev = find_dates(load_html(page(head, body=body)), "https://example.org/2022/01/15/budget")
    assert (ev.published, ev.source) == ("2022-01-15", "url")


# --------------------------------------------------------------------------- labels after their date, "Datum:"


def test_a_verb_final_label_reads_the_date_before_it() -> None:
    body = ('<p class="postmetadata">Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:15 Uhr '
            'veröffentlicht und unter <a href="/tag/politik">Politik</a> abgelegt.</p>')
    ev = find_dates(load_html(page(body=body)))
    assert (ev.published, ev.source) == ("2011-12-03", "label")


def test_a_date_word_with_a_colon_labels_the_day() -> None:
    body = ('<div class="docData"><span class="label">Datum:</span> <span class="value">18.10.2021</span></div>'
            "<p>Im Bundesgesetzblatt vom 17. August 2021 wurde das Gesetz verkündet.</p>")
    assert find_dates(load_html(page(body=body))).published == "2021-10-18"


def test_an_updated_label_before_a_verb_final_one_is_not_read() -> None:
    body = "<p>Aktualisiert: 05.03.2022. Am 01.03.2022 veröffentlicht.</p>"
    assert find_dates(load_html(page(body=body))).published == "2022-03-01"


def test_a_labelled_day_dates_a_page_no_stage_dated() -> None:
    body = "<p><small>wurde am <nobr>19. Mai 2010</nobr> um <nobr>23:03</nobr> Uhr gepostet</small></p>"
    ev = find_dates(load_html(page(body=body)))
    assert (ev.published, ev.source) == ("2010-05-19", "label")


_DAYS = st.sampled_from(["2021-03-04", "2021-03-05", "2021-04-04", "2022-11-30"])


@settings(max_examples=40, deadline=None)
@given(meta=_DAYS, modified=st.one_of(st.none(), _DAYS), shown=st.one_of(st.none(), _DAYS),
       timed=st.one_of(st.none(), _DAYS))
def test_the_markup_day_yields_only_to_two_witnesses(meta: str, modified: str | None, shown: str | None,
                                                      timed: str | None) -> None:
    head = f'<meta property="article:published_time" content="{meta}">'
    if modified:
        head += f'<meta property="article:modified_time" content="{modified}">'
    body = ""
    if shown:
        y, m, d = shown.split("-")
        body += f'<div class="meta"><span class="date">{d}.{m}.{y}</span></div>'
    if timed:
        body += f'<p><time datetime="{timed}">then</time></p>'
    ev = find_dates(load_html(page(head, body=body)))
    witnesses = [w for w in (modified, shown, timed) if w]
    if meta in witnesses or not any(witnesses.count(w) >= 2 for w in witnesses):
        assert (ev.published, ev.source) == (meta, "meta")
    else:
        assert ev.source == "visible" and witnesses.count(ev.published) >= 2


def test_views_name_every_date_source_in_words() -> None:
    from newsgraph.store.rows import DATE_SOURCES, describe_published

    assert set(SOURCE_CONFIDENCE) <= set(DATE_SOURCES)
    assert describe_published("2022-01-25", "visible", 0.95) == "2022-01-25 · from the page's shown dates, confidence 0.95"


def test_the_label_start_lookahead_never_hides_a_label() -> None:
    # _DATE_LABEL skips every position whose character is not a label's first letter (speed); that
    # must not lose a label in any case spelling: on every code point, the lookahead's character
    # class says what the words' first letters say as case-insensitive literals
    import re
    import sys

    from newsgraph.extract import dates

    words = [w for ws in (*dates.DATE_LABELS.values(), dates.DATE_WORDS) for w in ws]
    assert all(re.match(r"\w", w) for w in words)  # the (?<!\w) before the class holds for each
    starts = re.compile(f"[{re.escape(dates._LABEL_STARTS)}]", re.I)
    firsts = [re.compile(re.escape(w[0]), re.I) for w in {w[0] for w in words}]
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert bool(starts.match(c)) == any(f.match(c) for f in firsts), hex(cp)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Published", "PUBLIÉ LE", "Veröffentlicht am", "Datum:", "Updated", " ", ": ",
                                 "12.03.2021", "x", "ÉDITÉ", "опубликовано", "\u212a"]) | st.text(max_size=3),
                max_size=12))
def test_date_labels_found_as_without_the_lookahead(parts: list[str]) -> None:
    import re

    from newsgraph.extract import dates

    text = " ".join(parts)
    inner = dates._DATE_LABEL.pattern.split(")(?:", 1)[1][:-1]  # the branches, without the lookahead
    plain = re.compile(inner, re.I)
    assert [(m.lastgroup, m.span()) for m in dates._DATE_LABEL.finditer(text)] == \
        [(m.lastgroup, m.span()) for m in plain.finditer(text)]
