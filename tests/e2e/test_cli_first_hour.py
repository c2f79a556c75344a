"""A new user's first hour with the command line (issue 16), on a store of the repo's ``examples/``.

Through the ``newsgraph`` command group (click's CliRunner, as ``newsgraph.cli.main`` runs it):
totals are the filtered totals; the ingest summary is plain lines that never wrap and lists this
run's failures only; ``show`` prints the byline, credits and the date with its evidence; read
commands refuse a missing store; the Parquet export is typed; every ``--help`` has an example.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsgraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]
ALL = ["--limit", "10000"]


def newsgraph(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="newsgraph", env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of ``examples/``, as ``make demo`` builds it."""
    db = str(tmp_path_factory.mktemp("demo") / "newsgraph.db")
    res = newsgraph("--db", db, "ingest", "--no-progress", "--workers", "1", str(ROOT / "examples"))
    assert res.exit_code == 0, res.output
    return db


def as_json(db: str, *args: str) -> dict:
    res = newsgraph("--db", db, *args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


# --------------------------------------------------------------------------- totals (item 2)


def test_articles_total_is_the_filtered_total(demo: str) -> None:
    everything = as_json(demo, "articles", *ALL)["articles"]
    german = [a for a in everything if a["language"] == "de"]
    assert 0 < len(german) < len(everything)
    got = as_json(demo, "articles", "--language", "de")
    assert got["total"] == len(got["articles"]) == len(german)
    res = newsgraph("--db", demo, "articles", "--language", "de")
    assert f"{len(german)} of {len(everything)} article" in res.stdout
    assert not res.stdout.startswith(f"{len(everything)} articles")  # the store's count, as before


@pytest.mark.parametrize(("command", "key", "filters"), [
    ("articles", "articles", ["--since", "2026-06-01", "--until", "2026-10-31"]),
    ("articles", "articles", ["--outlet", "Danube Wire"]),
    ("events", "events", ["--actor", "Ostrovia"]),
    ("events", "events", ["--type", "CONSULT"]),
    ("entities", "entities", ["--type", "PERSON"]),
    ("entities", "entities", ["--search", "mer"]),
    ("quotes", "quotes", ["--since", "2026-07-01"]),
    ("search", "hits", ["Altavera", "--language", "es"]),
])
def test_every_list_total_counts_what_its_filters_list(demo: str, command: str, key: str,
                                                       filters: list[str]) -> None:
    whole = as_json(demo, command, *filters, *ALL)
    assert whole["total"] == len(whole[key]) > 0, (command, filters)
    unfiltered = as_json(demo, command, *(filters[:1] if command == "search" else []), *ALL)
    assert unfiltered["total"] > whole["total"], "the filter must narrow the listing for this test to bite"
    page = as_json(demo, command, *filters, "--limit", "1")
    assert page["total"] == whole["total"] and len(page[key]) == 1


def test_human_listings_say_the_filtered_total_and_which_rows_a_page_shows(demo: str) -> None:
    n = as_json(demo, "events", "--type", "CONSULT")["total"]
    assert n > 2
    out = newsgraph("--db", demo, "events", "--type", "CONSULT", "--limit", "2", "--offset", "1").stdout
    assert out.splitlines()[0] == f"{n} events (2–3 shown; --offset 3 for the next)"
    n = as_json(demo, "entities", "--type", "PERSON")["total"]
    assert f"{n} actors in" in newsgraph("--db", demo, "entities", "--type", "PERSON", *ALL).stdout
