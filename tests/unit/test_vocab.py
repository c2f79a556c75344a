"""The shared vocabulary (newsgraph/vocab.py): each list loads, and every site's regex takes its words."""

from __future__ import annotations

import re

import pytest

from newsgraph import vocab
from newsgraph.analyze import entity_credits
from newsgraph.extract import html_rules, text, text_lines
from newsgraph.vocab import (
    AGENCIES,
    AGENCY_END,
    AGENCY_LINE,
    AGENCY_MARK,
    AGENCY_STOCK,
    CREDIT_LABELS,
    agencies,
    credit_labels,
)


# ------------------------------------------------------------------ the lists themselves
def test_every_vocabulary_loads_and_is_unique():
    assert len(CREDIT_LABELS) >= 20 and set(CREDIT_LABELS.values()) == {"picture", "credit", "media", "source"}
    assert set(AGENCIES.values()) == {AGENCY_STOCK, AGENCY_END, AGENCY_LINE, AGENCY_MARK}
    assert len({a.casefold() for a in AGENCIES}) == len(AGENCIES)
    assert set(vocab.INLINE_CREDIT_LABELS) <= set(CREDIT_LABELS)
    assert len(vocab.MONTHS) == 12 and len(vocab.WEEKDAYS) == 7
    assert set(vocab.HONORIFICS) and all(g in ("m", "f", None) for g in vocab.HONORIFICS.values())
    assert vocab.RANK_ABBREVIATIONS["col"] == "colonel" and "colonel" in vocab.RANKS
    assert set(vocab.RANK_ABBREVIATIONS.values()) - set(vocab.RANKS) == {"general", "commander"}


def test_agency_levels_nest():
    stock, end, line, mark = (set(agencies(lv)) for lv in (AGENCY_STOCK, AGENCY_END, AGENCY_LINE, AGENCY_MARK))
    assert stock < end < line < mark == set(AGENCIES)
    assert "Getty Images" in stock and "Reuters" in end - stock and "AP" in line - end and "Pool" in mark - line
    assert "REUTERS" in agencies(upper=True) and "ntb scanpix" in agencies(lower=True)


def test_credit_labels_by_kind():
    assert "photo" in credit_labels("picture") and "source" not in credit_labels("picture", "credit", "media")
    assert credit_labels() == list(CREDIT_LABELS)


def test_month_numbers_and_pattern():
    assert vocab.MONTH_NUMBERS["sept"] == vocab.MONTH_NUMBERS["sep"] == vocab.MONTH_NUMBERS["september"] == 9
    assert all(vocab.MONTH_NUMBERS[m[:3]] == i for i, m in enumerate(vocab.MONTHS, 1))
    rx = re.compile(r"^" + vocab.month_pattern() + r"$", re.I)
    for form in vocab.MONTH_NUMBERS:
        assert rx.match(form) and rx.match(form.title() + ".")
    assert not rx.match("ju") and not rx.match("mayday")
    m = re.match(vocab.month_pattern(group=True) + r"\s+(\d+)", "Sept. 14", re.I)
    assert m and m[1] == "Sept" and m[2] == "14"


def test_honorific_forms():
    forms = vocab.honorific_forms()
    assert forms["mr."] == "m" and forms["mrs"] == "f" and forms["dr."] is None
    assert "miss." not in forms and "sir." not in forms
    assert "mr." not in vocab.honorific_forms(dotted=False)


def test_quote_characters():
    assert vocab.QUOTE_CHARS == "\"“”„«»‘’"
    assert vocab.DOUBLE_QUOTE_CHARS == "\"“”„«»"
    assert set(vocab.DOUBLE_OPEN) | set(vocab.DOUBLE_CLOSE) | {'"'} == set(vocab.DOUBLE_QUOTE_CHARS)
    assert set(vocab.OPENING_QUOTES) >= set(vocab.DOUBLE_OPEN) and "'" in vocab.CLOSING_QUOTES


def test_alternation_longest_first_and_spaces():
    alt = vocab.alternation(["AP", "AP Photo", "a.b"])
    assert alt == r"(?:AP\s+Photo|a\.b|AP)"
    assert re.fullmatch(alt, "AP  Photo") and not re.fullmatch(alt, "axb")
    assert vocab.alternation([]) == "(?!)"


# ------------------------------------------------------------------ every site takes the words
@pytest.mark.parametrize("label", credit_labels("picture", "credit"))
def test_html_credit_line_takes_every_label(label):
    line = f"{label.capitalize()}: Jane Doe / Agency"
    assert html_rules.classify(line, html_rules.tokens(line), 5, 20, html_rules.PageFacts(), []) == "photo_credit"
    caption, credit = html_rules.split_credit(f"A man walks past the ruins. {label.capitalize()}: Jane Doe")
    assert caption == "A man walks past the ruins." and credit == f"{label.capitalize()}: Jane Doe"


@pytest.mark.parametrize("agency", agencies(AGENCY_LINE))
def test_html_agency_alone_is_a_credit(agency):
    for line in (agency, f"({agency})", f"{agency} / Jane Doe"):
        assert html_rules.classify(line, html_rules.tokens(line), 5, 20, html_rules.PageFacts(), []) == "photo_credit"


@pytest.mark.parametrize("agency", agencies(AGENCY_MARK))
def test_html_slash_credit_takes_every_agency(agency):
    line = f"Jane Doe/{agency}"
    assert html_rules._CREDIT_TAIL.search(line)
    # a sentence ending in the name is prose, unless the name is a picture library
    prose = f"The figures were confirmed to {agency}."
    stock = any(agency.endswith(a) for a in agencies(AGENCY_STOCK))  # "Bloomberg via Getty Images"
    assert bool(html_rules._CREDIT_TAIL.search(prose)) == stock


@pytest.mark.parametrize("label", credit_labels())
def test_text_credit_line_takes_every_label(label):
    assert text_lines._CREDIT.match(f"{label}: Jane Doe / Agency")
    line = f"A man walks past the ruins of his house ({label}: Jane Doe)"
    assert text_lines._credit_hint(line.lower()) and text_lines._CREDIT_TAIL.search(line)


@pytest.mark.parametrize("agency", agencies(AGENCY_MARK))
def test_text_credit_tail_takes_every_agency(agency):
    for line in (f"A man walks home. Jane Doe/{agency}", f"A man walks home ({agency})",
                 f"A man walks home. {agency} photo by Jane Doe"):
        assert text_lines._credit_hint(line[-120:].lower()), line
        assert text_lines._CREDIT_TAIL.search(line), line
    end = f"A man walks home, Jane Doe, {agency}"
    assert bool(text_lines._CREDIT_TAIL.search(end)) == any(agency.endswith(a) for a in agencies(AGENCY_END))


def test_text_inline_labels_only():
    assert text_lines._CREDIT_TAIL.search("A man walks home. Photo: Jane Doe")
    assert not text_lines._CREDIT_TAIL.search("Playoff picture: Raiders in pursuit")


@pytest.mark.parametrize("label", credit_labels("picture", "credit", "media"))
def test_entity_credit_spans_take_every_label(label):
    text_ = f"Body line one.\n{label.capitalize()}: Jane Doe / Agency\nBody line two."
    spans = entity_credits.credit_spans(text_)
    assert [text_[s:e] for s, e in spans] == [f"{label.capitalize()}: Jane Doe / Agency"]
    assert entity_credits.strip_name_prefix(f"{label.upper()}: Jane Doe") == "Jane Doe"


@pytest.mark.parametrize("agency", agencies(AGENCY_MARK))
def test_entity_credit_spans_take_every_agency(agency):
    for line in (f"Jane Doe/{agency}", f"{agency.upper()}/Jane Doe"):
        text_ = f"Body line one.\n{line}\nBody line two."
        assert [text_[s:e] for s, e in entity_credits.credit_spans(text_)] == [line]
    assert entity_credits.strip_name_prefix(f"LONDON ({agency}) — Jane Doe") == "Jane Doe"


def test_source_is_not_an_entity_credit_label():
    assert entity_credits.credit_spans("Source: the ministry said it would.") == []


def test_months_and_weekdays_reach_the_sites():
    for i, month in enumerate(vocab.MONTHS, 1):
        assert text._iso_date(f"By Jane Doe, {month.title()} 3, 2024") == f"2024-{i:02d}-03"
        assert text._iso_date(f"3 {month[:3].title()}. 2024") == f"2024-{i:02d}-03"
        assert text_lines._DATE.search(f"Updated {month.title()} 3, 2024")
        assert month in entity_credits.NOT_A_NAME
    assert set(vocab.WEEKDAYS) <= entity_credits.NOT_A_NAME


def test_quote_marks_reach_the_text_cleaner():
    assert set(vocab.OPENING_QUOTES) <= set(text_lines._LEAD)
    assert set(vocab.CLOSING_QUOTES) <= set(text_lines.TRAIL)
