"""``newsgraph articles``, ``show`` and ``failures`` show a date's evidence, the credits and what a refused
page was, as stored (schema 13); ``--json`` equals the store's rows."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.store import open_store
from tests.helpers import REFUSED, evidence_db


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_articles_list_the_dates_evidence(tmp_path: Path) -> None:
    db = tmp_path / "ev.db"
    evidenced, bare = evidence_db(db)
    out = run(db, "articles")
    line = next(x for x in out.splitlines() if evidenced.id[:10] in x)
    assert "2026-03-02" in line and "json_ld 0.97" in line
    old = next(x for x in out.splitlines() if bare.id[:10] in x)
    assert "2026-03-01" in old and "json_ld" not in old
    with open_store(db) as s:
        want = [asdict(r) for r in s.list_articles()]
    assert json.loads(run(db, "articles", "--json"))["articles"] == want


def test_show_gives_the_date_with_its_evidence_and_the_credits(tmp_path: Path) -> None:
    db = tmp_path / "ev.db"
    evidenced, bare = evidence_db(db)
    out = run(db, "show", evidenced.id[:8])
    assert "published 2026-03-02 · from JSON-LD, confidence 0.97" in out
    assert "modified 2026-03-04" in out
    assert "credit: AP (wire), Port Media Group (organisation)" in out
    body = json.loads(run(db, "show", evidenced.id, "--json"))
    assert body["credits"] == [{"wire": "AP"}, {"organisation": "Port Media Group"}]
    assert (body["published_source"], body["published_confidence"]) == ("json_ld", 0.97)
    old = run(db, "show", bare.id[:8])
    assert "published 2026-03-01" in old and "from" not in old.split("published 2026-03-01")[1].splitlines()[0]


def test_failures_show_a_refused_pages_kind_and_title(tmp_path: Path) -> None:
    db = tmp_path / "ev.db"
    evidence_db(db)
    out = run(db, "failures")
    assert f"index: '{REFUSED['title']}' · 2026-03-01" in out
    assert "binary input" in out
    with open_store(db) as s:
        want = [asdict(r) for r in s.failures()]
    rows = json.loads(run(db, "failures", "--json"))["failures"]
    assert rows == want and rows[0]["kind"] == "index" and rows[0]["title"] == REFUSED["title"]
