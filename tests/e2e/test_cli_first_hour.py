"""A new user's first hour with the command line (issue 16), on a store of the repo's ``examples/``.

Through the ``newsgraph`` command group (click's CliRunner, as ``newsgraph.cli.main`` runs it):
totals are the filtered totals; the ingest summary is plain lines that never wrap and lists this
run's failures only; ``show`` prints the byline, credits and the date with its evidence; read
commands refuse a missing store; the Parquet export is typed; every ``--help`` has an example.
"""

from __future__ import annotations

import json
import re
import shlex
from datetime import date, datetime
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


# --------------------------------------------------------------------------- CLI output (item 3)


def test_the_ingest_summary_lists_this_runs_failures_unwrapped_and_points_to_the_rest(tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, good, bad in ((first, "danube-wire-valdavia-runoff.txt", "broken-one.html"),
                              (second, "gulf-dispatch-lng-contract.txt", "broken-two.html")):
        folder.mkdir()
        (folder / good).write_bytes((ROOT / "examples" / good).read_bytes())
        (folder / bad).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    wide = {"COLUMNS": "40"}
    res = newsgraph("--db", db, "ingest", "--no-progress", "--no-analyze", str(first), env=wide)
    assert res.exit_code == 1 and "broken-one.html" in res.stderr
    res = newsgraph("--db", db, "ingest", "--no-progress", "--no-analyze", str(second), env=wide)
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert re.match(r"1 ingested, .* 1 failed  → .*runs\.db$", lines[0]), lines  # one line, at 40 columns
    assert "broken-two.html" in res.stderr and "broken-one.html" not in res.stderr  # this run's only
    failure = next(x for x in lines if "broken-two.html" in x)
    assert "[input.binary]" in failure and "[dim]" not in res.stderr and "[/]" not in res.stderr
    assert f"newsgraph --db {db} failures --run 2" in res.stderr  # where this run's reasons are
    assert res.stderr.rstrip().endswith(f"earlier runs' failures: newsgraph --db {db} failures")
    assert as_json(db, "failures")["failures"][0]["run_id"] == 2
    summary = json.loads(newsgraph("--db", db, "ingest", "--json", "--no-progress", "--no-analyze",
                                   str(second)).stdout)
    assert summary["run"] == 3 and summary["failed"] == 1


def test_show_prints_the_byline_and_the_date_with_its_evidence(demo: str) -> None:
    stored = as_json(demo, "articles", *ALL)["articles"]
    caspian = next(a for a in stored if a["outlet"] == "The Caspian Herald")
    out = newsgraph("--db", demo, "show", caspian["id"]).stdout
    assert "by Nigar Aliyeva, Sergei Danilov" in out
    assert re.search(r"^published 2026-07-28 · from [\w -]+, confidence 0\.\d\d", out, re.M), out[:600]
    unsigned = next(a for a in stored if a["outlet"] == "Sahel Monitor")
    assert "no author found" in newsgraph("--db", demo, "show", unsigned["id"]).stdout


@pytest.mark.parametrize("command", [["articles"], ["show", "abcd"], ["search", "talks"], ["quotes"], ["events"],
                                     ["entities"], ["entity", "Meridan"], ["dyad", "A", "B"], ["failures"],
                                     ["runs"], ["export", "--format", "jsonl"], ["merge", "A", "B"],
                                     ["split", "A", "B"], ["analyze", "--store"]])
def test_commands_other_than_ingest_refuse_a_missing_store(tmp_path: Path, command: list[str]) -> None:
    for db in (str(tmp_path / "mistyped.db"), f"sqlite:///{tmp_path / 'mistyped.db'}"):
        res = newsgraph("--db", db, *command)
        assert res.exit_code == 1, res.output
        assert res.stderr.startswith("Error: [store.cant_open] no store at ") and "--db" in res.stderr
        assert list(tmp_path.iterdir()) == []  # nothing was created


# --------------------------------------------------------------------------- typed Parquet (item 4)


def same_as_json(typed: object, js: object, where: str = "") -> None:
    """A value read back from Parquet equals its JSON export: days and instants as their text,
    struct fields the JSON form leaves out (a span's ``spans``) null."""
    if isinstance(js, dict):
        assert isinstance(typed, dict) and set(js) <= set(typed), where
        assert all(typed[k] is None for k in set(typed) - set(js)), where
        for k, v in js.items():
            same_as_json(typed[k], v, f"{where}.{k}")
    elif isinstance(js, list):
        assert isinstance(typed, list) and len(typed) == len(js), where
        for i, (t, j) in enumerate(zip(typed, js, strict=True)):
            same_as_json(t, j, f"{where}[{i}]")
    elif isinstance(typed, datetime):
        assert typed == datetime.fromisoformat(str(js)) and typed.utcoffset() is not None, where
    elif isinstance(typed, date):
        assert typed.isoformat() == str(js)[:10], where
    else:
        assert typed == js, where


def test_parquet_export_is_typed_and_says_what_it_holds(demo: str, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    for fmt in ("parquet", "jsonl"):
        res = newsgraph("--db", demo, "export", "--format", fmt, "-o", str(tmp_path / f"all.{fmt}"))
        assert res.exit_code == 0, res.output
    schema = pq.read_schema(tmp_path / "all.parquet")
    assert schema.field("published").type == pa.date32() and schema.field("modified").type == pa.date32()
    assert schema.field("added_at").type == pa.timestamp("us", tz="UTC")
    for column in ("entities", "attributions", "events", "credits", "sources", "removed"):
        assert pa.types.is_list(schema.field(column).type), column
        assert pa.types.is_struct(schema.field(column).type.value_type), column
    event = schema.field("events").type.value_type
    assert event.field("date").type == pa.date32() and event.field("trigger").type.field("start").type == pa.int32()
    attribution = schema.field("attributions").type.value_type
    assert attribution.field("confidence").type == pa.float64() and attribution.field("negated").type == pa.bool_()
    typed = pq.read_table(tmp_path / "all.parquet").to_pylist()
    exported = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in typed] == [r["id"] for r in exported]
    assert sum(len(r["events"]) for r in typed) > 20 and sum(len(r["attributions"]) for r in typed) > 100
    for row, js in zip(typed, exported, strict=True):
        same_as_json(row, js, row["id"])
    help_text = newsgraph("export", "--help").stdout
    for tool in ("pip install pandas", "pip install duckdb", "pip install polars", "pyarrow"):
        assert tool in help_text


# --------------------------------------------------------------------------- help texts (item 6)

EXAMPLE = re.compile(r"^\s*Example: (newsgraph .+)$", re.M)
HEADINGS = ["Ingest and analyse", "Explore", "Corrections", "Export", "Serve"]
#: Commands whose example reads the store: run on the demo store, they give results (``show``'s
#: id is left out: it changes whenever the cleaning of its example's text does).
READS = {"articles", "search", "quotes", "events", "dyad", "entities", "entity", "runs", "export"}


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_commands_help_has_one_example_of_itself(name: str) -> None:
    res = newsgraph(name, "--help")
    assert res.exit_code == 0, res.output
    examples = EXAMPLE.findall(res.stdout)
    assert len(examples) == 1 and shlex.split(examples[0])[1] == name, res.stdout[-400:]


def test_the_command_list_is_grouped_under_headings() -> None:
    out = newsgraph("--help").stdout
    sections = re.findall(r"^(\w[\w ]*):\n((?:  .*\n)+)", out, re.M)
    listed = {title: [line.split()[0] for line in body.splitlines()] for title, body in sections}
    assert [t for t in listed if t in HEADINGS] == HEADINGS, list(listed)
    assert "ingest" in listed["Ingest and analyse"] and "quotes" in listed["Explore"]
    assert listed["Corrections"] == ["merge", "split"] and "export" in listed["Export"]
    everything = [n for t, names in listed.items() if t != "Options" for n in names]
    assert sorted(everything) == sorted(cli.commands)  # each command once
    assert EXAMPLE.search(out)


@pytest.mark.parametrize("name", sorted(READS))
def test_the_help_examples_of_the_read_commands_work_on_the_demo_store(name: str, demo: str,
                                                                      tmp_path: Path) -> None:
    (example,) = EXAMPLE.findall(newsgraph(name, "--help").stdout)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)  # a chart or an export is written here
        res = newsgraph("--db", demo, *shlex.split(example)[1:])
    assert res.exit_code == 0, (example, res.output)
    assert res.output.strip() and not re.search(r"^no \w+( \w+)? match", res.output, re.M), (example, res.output)
