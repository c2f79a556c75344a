"""Authors are people: on our own byline pages (tests/fixtures/bylines: wire bylines, "A and B",
"Автор:", "Von", "Par", "Por", JSON-LD author arrays, <meta name=author>, organisation bylines such
as "PTI" and "NJ Advance Media", CMS labels) and on the shared example, no organisation, wire
service or label is ever in ``authors``, and the people named are found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.extract.bylines import LABEL_WORDS, ORG_WORDS, fold, wire_of
from newsgraph.extract.html import extract_html

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "bylines"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "putin-security-demands.txt"


def _no_organisation(authors: tuple[str, ...], outlet_names: tuple[str, ...]) -> None:
    for name in authors:
        assert wire_of(name) is None, name
        words = {w.casefold() for w in name.split()}
        assert not words & ORG_WORDS, name
        assert not words <= LABEL_WORDS, name
        assert fold(name) not in {fold(o) for o in outlet_names if o}, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page_people_and_credits(name: str) -> None:
    cleaned = extract_html((PAGES / f"{name}.html").read_text(encoding="utf-8"))
    want = EXPECTED[name]
    assert list(cleaned.authors) == want["authors"]
    if "credits" in want:
        assert [list(c) for c in cleaned.credits] == want["credits"]
    _no_organisation(cleaned.authors, tuple(c[1] for c in cleaned.credits) + (cleaned.outlet or "",))


def test_every_credit_on_the_fixture_pages_is_kept_out_of_authors() -> None:
    for name in EXPECTED:
        cleaned = extract_html((PAGES / f"{name}.html").read_text(encoding="utf-8"))
        assert not {fold(c[1]) for c in cleaned.credits} & {fold(a) for a in cleaned.authors}, name


@pytest.mark.skipif(not SHARED_EXAMPLE.exists(), reason="shared example absent")
def test_shared_example_has_no_organisation_among_its_authors() -> None:
    from newsgraph.extract.text import clean_text

    cleaned = clean_text(SHARED_EXAMPLE.read_text(encoding="utf-8"))
    _no_organisation(tuple(cleaned.authors), ("NRK", "NRK Urix", "Reuters", "Sputnik"))
