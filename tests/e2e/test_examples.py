"""Every article in examples/ through load -> extract, compared with its expected snippets.

``tests/fixtures/expected/<file>.json`` holds, for each example, the title,
an outlet substring, the language, sentences that must be in the clean body
("with"), boilerplate that must not ("without"), and removed kinds that must
be listed. For ``.jsonl`` examples the expected file is ``<file>.<lineno>.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest import extract_stream
from newsgraph.sources import iter_raw
from newsgraph.types import Article, Failure

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"


def _expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.json"))


def _extract_all() -> dict[str, Article | Failure]:
    out: dict[str, Article | Failure] = {}
    for result in extract_stream(iter_raw([str(EXAMPLES)], Settings()), Settings(), workers=1):
        key = Path(result.source).name.replace(".jsonl:", ".jsonl.")
        out[key] = result
    return out


@pytest.fixture(scope="module")
def extracted() -> dict[str, Article | Failure]:
    return _extract_all()


def test_there_are_enough_examples() -> None:
    files = [p for p in EXAMPLES.iterdir() if p.is_file() and p.name != "README.md"]
    assert len(files) >= 8
    assert len(_expected_files()) >= 8


@pytest.mark.parametrize("expected_path", _expected_files(), ids=lambda p: p.stem)
def test_example_matches_expected(expected_path: Path, extracted: dict[str, Article | Failure]) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    key = expected_path.name[: -len(".json")]
    assert key in extracted, f"{key} produced no result"
    article = extracted[key]
    assert isinstance(article, Article), f"{key} failed: {article}"
    if "title" in expected:
        assert article.title == expected["title"]
    if "outlet" in expected:
        assert article.outlet and expected["outlet"].lower() in article.outlet.lower()
    if "language" in expected:
        assert article.language == expected["language"]
    for sentence in expected.get("with", []):
        assert sentence in article.text, f"missing from body: {sentence!r}"
    for junk in expected.get("without", []):
        assert junk not in article.text, f"boilerplate left in body: {junk!r}"
    kinds = {r.kind for r in article.removed}
    for kind in expected.get("removed_kinds", []):
        assert kind in kinds, f"no removed piece of kind {kind!r} (got {sorted(kinds)})"


def test_the_same_wire_story_in_two_outlets_is_linked(examples_db: Path) -> None:
    """examples/harbour-times-baltic-power-link.txt reruns Baltic Ledger's cable story, edited."""
    from newsgraph.store import open_store

    with open_store(examples_db) as store:
        by_outlet = {a.outlet: a.id for a in store.list_articles(limit=1000)}
        ledger, harbour = by_outlet["Baltic Ledger"], by_outlet["Harbour Times"]
        assert [(r.id, r.outlet) for r in store.same_story(ledger)] == [(harbour, "Harbour Times")]
        assert [r.id for r in store.same_story(harbour)] == [ledger]
        assert 0.5 <= store.same_story(ledger)[0].similarity < 1.0
        # No other example is the same story as anything.
        assert all(store.same_story(i) == [] for o, i in by_outlet.items() if o not in ("Baltic Ledger", "Harbour Times"))
