"""`newsgraph analyze --json` end to end: attributions with offsets a user can check.

The shared example (a scraped, machine-translated article) is read from
../shared when present; the examples/ articles are the project's own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SHARED_EXAMPLE = ROOT.parent / "shared" / "examples" / "putin-security-demands.txt"


def analyze(*paths: Path) -> list[dict]:
    result = CliRunner().invoke(cli, ["analyze", "--json", "--workers", "1", *map(str, paths)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def check_offsets(obj: dict) -> None:
    text = obj["text"]
    for a in obj["attributions"]:
        assert a["kind"] in {"direct", "indirect", "mixed"}
        for role in ("source", "cue", "content", "via"):
            span = a[role]
            if span is None:
                assert role != "content"
                continue
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]:span["end"]] == span["text"], role
        for s, e in a["content"].get("spans", []):
            assert a["content"]["start"] <= s < e <= a["content"]["end"]
    ids = [e["id"] for e in obj["entities"]]
    assert len(ids) == len(set(ids))
    for ent in obj["entities"]:
        for m in ent["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def by_content(obj: dict, piece: str) -> list[dict]:
    return [a for a in obj["attributions"] if piece in a["content"]["text"]]


@pytest.fixture(scope="module")
def putin() -> dict:
    if not SHARED_EXAMPLE.exists():
        pytest.skip("shared example not available")
    (obj,) = analyze(SHARED_EXAMPLE)
    return obj


def test_putin_offsets_are_checkable(putin: dict) -> None:
    check_offsets(putin)
    assert len(putin["attributions"]) >= 10


@pytest.mark.parametrize("piece", [
    "Western countries are ignoring our three most important demands",   # "The Russian President stressed"
    "they deceived us",                                                   # “…,” Putin claimed.
    "NATO has American missile systems",                                  # He stressed that …
    "the Ukrainian authorities want to restore Crimea",                   # Putin also claimed that …
    "I hope the dialogue will continue",                                  # – …, said the president.
])
def test_putin_statements_resolve_to_vladimir_putin(putin: dict, piece: str) -> None:
    found = by_content(putin, piece)
    assert found, f"no attribution with content containing {piece!r}"
    assert any(a["source"] and a["source"]["entity"] == "Vladimir Putin" for a in found), found


def test_one_entity_per_actor_and_names_agree_with_speakers(putin: dict) -> None:
    names = [e["name"] for e in putin["entities"]]
    for actor in ("Vladimir Putin", "Sergei Lavrov", "Anthony Blinken", "Viktor Orban", "Emmanuel Macron",
                  "NATO", "United States", "Ukraine", "Crimea", "Agence France-Presse"):
        assert names.count(actor) == 1, actor
    assert {e["type"] for e in putin["entities"] if e["name"] == "Crimea"} <= {"GPE", "LOC"}
    for a in putin["attributions"]:
        for role in ("source", "via"):
            if a[role] and a[role]["entity"]:
                assert a[role]["entity"] in names, a[role]


def test_reporting_chain_keeps_via(putin: dict) -> None:
    found = by_content(putin, "the United States was ready to discuss")
    assert any(a["source"] and a["source"]["text"] == "Lavrov" and a["source"]["entity"] == "Sergei Lavrov"
               and a["via"] and a["via"]["text"] == "Agence France-Presse" for a in found), found


@pytest.mark.parametrize(("piece", "source"), [
    ("the Russian authorities are still working on an official response", "Reuters"),
    ("no date has been set for a new meeting", "US authorities"),
])
def test_organisations_as_sources(putin: dict, piece: str, source: str) -> None:
    found = by_content(putin, piece)
    assert any(a["source"] and a["source"]["text"] == source for a in found), found


def test_examples_have_checkable_attributions() -> None:
    objs = analyze(ROOT / "examples")
    assert len(objs) >= 10
    for obj in objs:
        check_offsets(obj)
    english = [o for o in objs if o["language"] == "en"]
    assert all(o["attributions"] for o in english)
    assert all(not o["attributions"] for o in objs if o["language"] not in ("en", None))


def test_ingest_stores_attributions_and_quotes_point_back(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", db, "ingest", "--json", "--no-progress", "--workers", "1",
                              str(ROOT / "examples")], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    rows = json.loads(runner.invoke(cli, ["--db", db, "quotes", "--json", "--limit", "500"]).stdout)["quotes"]
    assert len(rows) >= 20
    speakers = {r["speaker"] for r in rows if r["speaker"]}
    assert len(speakers) >= 10
    # Every quote points at the exact characters of its stored article.
    texts: dict[str, str] = {}
    for r in rows[:40]:
        if r["article_id"] not in texts:
            shown = runner.invoke(cli, ["--db", db, "show", "--json", r["article_id"]]).stdout
            texts[r["article_id"]] = json.loads(shown)["text"]
        assert texts[r["article_id"]][r["content_start"]:r["content_end"]] == r["content_text"]
    # Filters narrow the list.
    one = next(iter(sorted(speakers)))
    narrowed = json.loads(runner.invoke(cli, ["--db", db, "quotes", "--json", "--speaker", one]).stdout)["quotes"]
    assert narrowed and all(one.lower() in (q["speaker"] or "").lower() or one.lower() in
                            (q["source_text"] or "").lower() for q in narrowed)
    bad = runner.invoke(cli, ["--db", db, "quotes", "--since", "last week"])
    assert bad.exit_code == 2


def test_entity_registry_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()

    def run(*args: str) -> dict:
        res = runner.invoke(cli, ["--db", db, *args], catch_exceptions=False)
        assert res.exit_code == 0, res.stderr
        return json.loads(res.stdout) if "--json" in args else {}

    run("ingest", "--json", "--no-progress", "--workers", "1", str(ROOT / "examples"))
    actors = run("entities", "--json", "--limit", "500")["entities"]
    assert len(actors) >= 20
    keys = [a["key"] for a in actors]
    assert len(keys) == len(set(keys))
    people = run("entities", "--json", "--type", "PERSON", "--limit", "500")["entities"]
    assert people and all(a["type"] == "PERSON" for a in people)
    top = people[0]
    detail = run("entity", "--json", top["name"])
    assert detail["actor"]["key"] == top["key"]
    assert detail["articles"] and all(a["n_mentions"] >= 1 for a in detail["articles"])
    for q in detail["quotes_by"]:
        assert q["speaker"] in detail["actor"]["aliases"]
    for e in detail["events_as_actor"]:
        assert e["actor"] in detail["actor"]["aliases"]
    missing = runner.invoke(cli, ["--db", db, "entity", "Nobody Whatsoever"])
    assert missing.exit_code == 1 and "no actor" in missing.stderr


def test_putin_events(putin: dict) -> None:
    def has(etype: str, actor: str, target: str | None, **extra: object) -> bool:
        for e in putin["events"]:
            if e["type"] != etype or not e["actor"] or e["actor"]["entity"] != actor:
                continue
            if target is not None and (not e["target"] or e["target"]["entity"] != target):
                continue
            if all(e.get(k) == v for k, v in extra.items()):
                return True
        return False

    text = putin["text"]
    for e in putin["events"]:
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
    assert has("CONSULT", "Vladimir Putin", "Viktor Orban")
    assert has("CONSULT", "Anthony Blinken", "Sergei Lavrov")
    assert has("THREATEN", "Russia", "NATO", modality="conditional")
    assert has("REQUEST", "Russia", "NATO")
    assert has("CONSULT", "Emmanuel Macron", "Moscow", modality="planned")
    assert any(e["type"] == "ACCUSE" and e["actor"] and e["actor"]["entity"] == "Vladimir Putin"
               for e in putin["events"])


def test_events_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "ingest", "--no-progress", "--workers", "1", str(ROOT / "examples")],
                  catch_exceptions=False)
    rows = json.loads(runner.invoke(cli, ["--db", db, "events", "--json", "--limit", "500"]).stdout)["events"]
    assert len(rows) >= 10
    types = {r["type"] for r in rows}
    assert len(types) >= 4
    one = sorted(types)[0]
    only = json.loads(runner.invoke(cli, ["--db", db, "events", "--json", "--type", one]).stdout)["events"]
    assert only and {r["type"] for r in only} == {one}
    assert runner.invoke(cli, ["--db", db, "events", "--since", "soon"]).exit_code == 2


def test_dyad_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "ingest", "--no-progress", "--workers", "1", str(ROOT / "examples")],
                  catch_exceptions=False)
    rows = json.loads(runner.invoke(cli, ["--db", db, "events", "--json", "--limit", "500"]).stdout)["events"]
    names = {e["name"] for e in json.loads(runner.invoke(
        cli, ["--db", db, "entities", "--json", "--limit", "1000"]).stdout)["entities"]}
    # a pair whose event is charted (a recalled, undated one is listed apart: issue 11)
    pair = next(r for r in rows if r["actor"] in names and r["target"] in names and r["timing"] == "new")
    chart = tmp_path / "d.svg"
    res = runner.invoke(cli, ["--db", db, "dyad", "--json", "--chart", str(chart), pair["actor"], pair["target"]],
                        catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    n = sum(sum(w["a_to_b"].values()) + sum(w["b_to_a"].values()) for w in out["weeks"]) + out["undated"]
    assert n >= 1 and out["by_type"].get(pair["type"], 0) >= 1
    assert chart.exists() and b"<svg" in chart.read_bytes()[:500]
    table = runner.invoke(cli, ["--db", db, "dyad", "--no-chart", pair["actor"], pair["target"]])
    assert table.exit_code == 0 and pair["type"] in table.stdout
