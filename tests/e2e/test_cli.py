"""The command line, end to end on hand-written inputs (click's CliRunner, no subprocess)."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from tests.helpers import article_text, write_corpus

CONTRACT_KEYS = {"source", "url", "id", "title", "outlet", "authors", "published", "language",
                 "text", "removed", "entities", "attributions", "events", "analysis",
                 "published_source", "published_confidence", "modified", "credits", "headings", "page_kind", "section"}


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "corpus", 6)
    return tmp_path / "corpus"


def test_extract_json_follows_the_contract(corpus: Path) -> None:
    code, out, err = run("extract", "--json", str(corpus))
    assert code == 0, err
    objs = json_lines(out)
    assert len(objs) == 6
    for obj in objs:
        assert set(obj) == CONTRACT_KEYS
        assert obj["entities"] == obj["attributions"] == obj["events"] == []
        assert obj["title"].endswith("talks resume in " + obj["title"].split(" in ")[-1])
        assert obj["outlet"] == "Baltic Ledger"
        assert "Home | World" not in obj["text"]
        assert "Leave a Reply" not in obj["text"]
        kinds = {r["kind"] for r in obj["removed"]}
        assert {"photo_credit", "comment_form"} <= kinds
        # Paragraphs separated by blank lines.
        assert "\n\n" in obj["text"]
        assert obj["language"] == "en"


def test_extract_no_clean_keeps_input_verbatim(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    raw = article_text(3)
    p.write_text(raw, encoding="utf-8")
    code, out, _ = run("extract", "--json", "--no-clean", str(p))
    assert code == 0
    (obj,) = json_lines(out)
    assert obj["text"] == raw
    assert obj["title"] is not None


def test_bad_items_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(article_text(1), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "latin.txt").write_bytes("Ces négociations reprendront à Genève.".encode("utf-16-le")[:-1])
    code, out, err = run("extract", "--json", str(tmp_path))
    assert code == 1
    objs = json_lines(out)
    assert [Path(o["source"]).name for o in objs] == ["good.txt"]
    assert "empty.txt" in err and "input.empty" in err
    assert "binary.html" in err and "input.binary" in err


def test_usage_error_exits_2() -> None:
    code, _, _ = run("extract", "--json")
    assert code == 2
    code, _, _ = run("export", "--format", "xml")
    assert code == 2


def test_stdin_dash(tmp_path: Path) -> None:
    code, out, err = run("extract", "--json", "-", input=article_text(5).encode())
    assert code == 0, err
    (obj,) = json_lines(out)
    assert obj["source"] == "-"
    assert "case number 5" in obj["text"]


def test_ingest_store_search_show_export(tmp_path: Path, corpus: Path) -> None:
    db = str(tmp_path / "s.db")
    code, out, err = run("--db", db, "ingest", "--json", "--no-progress", str(corpus))
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ingested"] == 6 and summary["failed"] == 0

    # Re-ingesting is a no-op.
    code, out, _ = run("--db", db, "ingest", "--json", "--no-progress", str(corpus))
    assert code == 0
    again = json.loads(out)
    assert again["ingested"] == 0 and again["skipped"] + again["duplicates"] == 6

    # The same text from a second place is one article with two sources.
    copy = tmp_path / "copy.txt"
    copy.write_text((corpus / "article-00002.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("--db", db, "ingest", "--json", "--no-progress", str(copy))
    assert json.loads(out)["new_sources"] == 1

    code, out, _ = run("--db", db, "articles", "--json")
    listing = json.loads(out)
    assert listing["total"] == 6
    ids = {a["id"] for a in listing["articles"]}

    code, out, _ = run("--db", db, "search", "--json", '"case number 4"')
    hits = json.loads(out)["hits"]
    assert len(hits) == 1
    assert "[case] [number] [4]" in hits[0]["snippet"] or "[case number 4]" in hits[0]["snippet"]

    # An FTS syntax error is not a crash.
    code, out, err = run("--db", db, "search", "--json", '"unbalanced AND (')
    assert code in (0, 1)

    target = next(i for i in ids)
    code, out, _ = run("--db", db, "show", "--json", target[:8])
    shown = json.loads(out)
    assert shown["id"] == target
    code, _, err = run("--db", db, "show", "ffffffffffffffff")
    assert code == 1 and "not" in err.lower()

    dup_id = next(a for a in json_lines(run("extract", "--json", str(copy))[1]))["id"]
    code, out, _ = run("--db", db, "show", "--json", dup_id)
    assert len(json.loads(out)["sources"]) == 2

    for fmt in ("jsonl", "csv", "parquet"):
        out_path = tmp_path / f"export.{fmt}"
        code, _, err = run("--db", db, "export", "--format", fmt, "-o", str(out_path))
        assert code == 0, err
        if fmt == "jsonl":
            rows = [json.loads(x) for x in out_path.read_text(encoding="utf-8").splitlines()]
            assert {r["id"] for r in rows} == ids
        elif fmt == "csv":
            with out_path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
            assert {r["id"] for r in rows} == ids
        else:
            table = pq.read_table(out_path)
            assert set(table.column("id").to_pylist()) == ids


def test_failures_are_logged_in_the_store(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text(article_text(9), encoding="utf-8")
    with gzip.open(tmp_path / "in" / "broken.html.gz", "wb") as fh:
        fh.write(b"<html><body><p>cut")
    (tmp_path / "in" / "broken.html.gz").write_bytes((tmp_path / "in" / "broken.html.gz").read_bytes()[:12])
    (tmp_path / "in" / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>")
    code, out, err = run("--db", db, "ingest", "--json", "--no-progress", str(tmp_path / "in"))
    assert code == 1
    summary = json.loads(out)
    assert summary["ingested"] == 1 and summary["failed"] == 2
    code, out, _ = run("--db", db, "failures", "--json")
    logged = {Path(f["source"]).name: f["code"] for f in json.loads(out)["failures"]}
    assert set(logged) == {"broken.html.gz", "nothing.html"}
    assert logged["nothing.html"].startswith("extract.")


def test_export_to_stdout_jsonl(tmp_path: Path, corpus: Path) -> None:
    db = str(tmp_path / "s.db")
    run("--db", db, "ingest", "--no-progress", str(corpus))
    code, out, _ = run("--db", db, "export", "--format", "jsonl")
    assert code == 0
    rows = [json.loads(x) for x in io.StringIO(out) if x.strip()]
    assert len(rows) == 6 and all(set(r) >= CONTRACT_KEYS for r in rows)


def test_date_range_options(examples_db: Path) -> None:
    db = str(examples_db)
    code, out, _ = run("--db", db, "articles", "--json", "--limit", "1000")
    dated = sorted(a["published"][:10] for a in json.loads(out)["articles"] if a["published"])
    assert len(set(dated)) >= 3
    lo, hi = dated[1], dated[-2]
    code, out, err = run("--db", db, "articles", "--json", "--since", lo, "--until", hi, "--limit", "1000")
    assert code == 0, err
    got = sorted(a["published"][:10] for a in json.loads(out)["articles"])
    assert got == [d for d in dated if lo <= d <= hi]
    for cmd in ("articles", "quotes", "events"):
        code, out, err = run("--db", db, cmd, "--until", "2026-02-30")
        assert code == 2 and "--until" in err and "2026-02-30" in err
    code, out, err = run("--db", db, "quotes", "--json", "--until", hi)
    assert code == 0 and all(q["published"][:10] <= hi for q in json.loads(out)["quotes"])


def test_search_filters_and_facets_count_every_match(tmp_path: Path, corpus: Path) -> None:
    db = str(tmp_path / "s.db")
    assert run("--db", db, "ingest", "--no-analyze", "--no-progress", str(corpus))[0] == 0
    code, out, err = run("--db", db, "search", "talks", "--facets", "--json", "--limit", "2")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["hits"]) == 2 and doc["facets"]["total"] == doc["facets"]["matching"] == 6
    assert doc["facets"]["outlet"] == [{"value": "Baltic Ledger", "n": 6}]
    code, out, _ = run("--db", db, "search", "talks", "--outlet", "Nowhere Times", "--json")
    assert code == 0 and json.loads(out)["hits"] == []
    code, _, err = run("--db", db, "search", "t*")
    assert code == 1 and "[store.bad_query]" in err


# --------------------------------------------------------------------------- kinds, confidence, analysis status


def test_quotes_filter_by_kind_and_confidence_and_say_what_is_hidden(tmp_path: Path) -> None:
    from tests.helpers import FLAGGED, flags_db

    db = str(tmp_path / "s.db")
    flags_db(tmp_path / "s.db")

    def listed(*args: str) -> dict:
        code, out, err = run("--db", db, "quotes", "--json", *args)
        assert code == 0, err
        return json.loads(out)

    default = listed()
    assert sorted(q["content_text"] for q in default["quotes"]) == ["We will build the bridge.", "Work starts in May."]
    assert (default["total"], default["hidden"], default["below_confidence"], default["other_kinds"]) == (2, 3, 1, 2)
    assert default["kinds"] == ["statement"] and default["min_confidence"] == 0.5
    assert listed("--all")["total"] == len(FLAGGED) and listed("--all")["hidden"] == 0
    assert [q["content_text"] for q in listed("--kind", "negated")["quotes"]] == ["whether the bridge would open"]
    both = listed("--kind", "negated", "--kind", "other", "--min-confidence", "0.85")
    assert [q["content_text"] for q in both["quotes"]] == ["whether the bridge would open"]
    assert listed("--min-confidence", "0")["total"] == 3
    assert listed("--kind", "direct")["total"] == 1

    code, out, err = run("--db", db, "quotes")
    assert code == 0 and "We will build the bridge." in out and "the money had run out" not in out
    assert "confidence 0.90" in out
    assert "3 hidden (1 below confidence 0.5, 2 not statements or negated): --all to show" in err
    code, out, err = run("--db", db, "quotes", "--all")
    assert code == 0 and "the money had run out" in out and "negated" in out and "not a statement" in out
    assert "hidden" not in err

    for bad in (["--all", "--kind", "direct"], ["--kind", "quotes"], ["--min-confidence", "2"]):
        code, _, err = run("--db", db, "quotes", *bad)
        assert code == 2, (bad, err)

    config = tmp_path / "ng.toml"
    config.write_text("[newsgraph]\nquote_threshold = 0.95\n", encoding="utf-8")
    code, out, err = run("--config", str(config), "--db", db, "quotes", "--json")
    assert json.loads(out)["total"] == 0 and json.loads(out)["min_confidence"] == 0.95
    config.write_text("[newsgraph]\nquote_threshold = 5\n", encoding="utf-8")
    code, _, err = run("--config", str(config), "--db", db, "quotes")
    assert code == 2 and "quote_threshold" in err


def test_show_says_whether_and_how_an_article_was_analysed(tmp_path: Path) -> None:
    from tests.helpers import flags_db

    db = str(tmp_path / "s.db")
    english = flags_db(tmp_path / "s.db")
    code, out, _ = run("--db", db, "show", english.id)
    assert code == 0 and "analysed (en, test_pipeline 1.0)" in out and "5 attributions" in out
    rows = json.loads(run("--db", db, "articles", "--json")[1])["articles"]
    ru = next(r["id"] for r in rows if r["language"] == "ru")
    code, out, _ = run("--db", db, "show", ru)
    assert code == 0 and "not analysed: no pipeline for ru" in out
    shown = json.loads(run("--db", db, "show", "--json", ru)[1])
    assert shown["analysis"] == {"status": "not_analysed", "language": "ru", "pipeline": None,
                                 "code": "analyze.no_pipeline", "reason": "no pipeline for ru"}


GERMAN = ("Die Bauarbeiten an der neuen Wasserstoffleitung in die Niederlande verzögern sich um zwei Jahre, "
          "teilte der Netzbetreiber am Mittwoch mit. Grund seien fehlende Genehmigungen und höhere Kosten "
          "für den Stahl, sagte eine Sprecherin des Unternehmens in Düsseldorf.\n\n"
          "Die Landesregierung will nun prüfen, ob sich das Verfahren beschleunigen lässt, und hat dafür "
          "eine Arbeitsgruppe mit Vertretern der Kommunen und der Industrie eingesetzt.\n")


def test_analysis_status_through_ingest_and_analyze(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "en.txt").write_text(article_text(3), encoding="utf-8")
    (tmp_path / "in" / "de.txt").write_text(GERMAN, encoding="utf-8")
    code, out, err = run("analyze", "--json", str(tmp_path / "in" / "de.txt"))
    assert code == 0, err
    de = json_lines(out)[0]
    assert de["language"] == "de" and de["attributions"] == []
    assert de["analysis"]["status"] == "not_analysed" and de["analysis"]["reason"] == "no pipeline for de"
    code, out, err = run("extract", "--json", str(tmp_path / "in" / "en.txt"))
    assert json_lines(out)[0]["analysis"]["code"] == "analyze.not_run"

    code, _, err = run("--db", db, "ingest", "--no-analyze", "--no-progress", str(tmp_path / "in"))
    assert code == 0, err
    rows = json.loads(run("--db", db, "articles", "--json")[1])["articles"]
    status = {r["language"]: json.loads(run("--db", db, "show", "--json", r["id"])[1])["analysis"] for r in rows}
    assert status["en"]["code"] == status["de"]["code"] == "analyze.skipped"
    code, _, err = run("--db", db, "analyze", "--store", "--workers", "1")
    assert code == 0, err
    status = {r["language"]: json.loads(run("--db", db, "show", "--json", r["id"])[1])["analysis"] for r in rows}
    assert status["en"]["status"] == "analysed" and status["en"]["language"] == "en" and status["en"]["pipeline"]
    assert status["de"]["code"] == "analyze.no_pipeline"
