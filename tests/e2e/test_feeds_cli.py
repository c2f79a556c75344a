"""`newsgraph feeds`: add, list with health, remove, import OPML or TOML, export OPML 2.0."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from click.testing import CliRunner
from lxml import etree

from newsgraph.cli import cli

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My reader</title></head><body>
  <outline text="News">
    <outline type="rss" text="Ledger" title="Baltic Ledger" xmlUrl="https://ledger.example/rss.xml"/>
    <outline type="rss" text="Wire" xmlUrl="https://wire.example/atom"/>
  </outline>
  <outline type="rss" text="Ledger again" xmlUrl="https://ledger.example/rss.xml"/>
  <outline text="" xmlUrl="https://evil.example/feed"/>
  <outline text="a folder without a feed"/>
</body></opml>"""


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_feeds_are_added_listed_removed_and_a_missing_store_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    res = run("--db", db, "feeds", "--json")
    assert res.exit_code == 1 and not Path(db).exists()  # listing creates nothing
    res = run("--db", db, "feeds", "add", "https://a.example/rss", "https://b.example/feed")
    assert res.exit_code == 0 and "following https://a.example/rss" in res.stdout
    assert "already following" in run("--db", db, "feeds", "add", "https://a.example/rss").stdout
    bad = run("--db", db, "feeds", "add", "file:///etc/passwd")
    assert bad.exit_code == 1 and "store.invalid" in bad.stderr
    listing = json.loads(run("--db", db, "feeds", "--json").stdout)
    assert listing["total"] == 2 and [f["status"] for f in listing["feeds"]] == ["new", "new"]
    assert {"items_per_day", "median_delay_s", "last_error", "last_success_at"} <= set(listing["feeds"][0])
    assert "2 feeds" in run("--db", db, "feeds").stdout
    res = run("--db", db, "feeds", "remove", "https://a.example/rss", "https://nope.example/rss")
    assert res.exit_code == 1 and "removed https://a.example/rss" in res.stdout and "not followed" in res.stdout
    assert [f["url"] for f in json.loads(run("--db", db, "feeds", "--json").stdout)["feeds"]] == [
        "https://b.example/feed"]


def test_opml_import_export_round_trip_and_an_external_entity_is_refused_unread(tmp_path: Path) -> None:
    db, opml, out = str(tmp_path / "f.db"), tmp_path / "in.opml", tmp_path / "out.opml"
    opml.write_bytes(OPML)
    res = run("--db", db, "feeds", "import", str(opml))
    assert res.exit_code == 0 and "3 feeds" in res.stdout
    assert run("--db", db, "feeds", "export", "-o", str(out)).exit_code == 0
    root = etree.fromstring(out.read_bytes())
    assert root.get("version") == "2.0" and root.find("head/title") is not None
    outlines = [(o.get("xmlUrl"), o.get("title"), o.get("type")) for o in root.iter("outline")]
    assert outlines == [("https://evil.example/feed", "https://evil.example/feed", "rss"),
                        ("https://ledger.example/rss.xml", "Baltic Ledger", "rss"),
                        ("https://wire.example/atom", "Wire", "rss")]
    hostile = tmp_path / "hostile.opml"
    hostile.write_bytes(OPML.replace(b"<opml", b'<!DOCTYPE opml [<!ENTITY s SYSTEM "file:///etc/passwd">]>\n<opml', 1)
                        .replace(b'text="Wire"', b'text="&s;"'))
    res = run("--db", db, "feeds", "import", str(hostile))
    assert res.exit_code == 1 and "input.invalid" in res.stderr and "root:" not in res.output  # never read
    db2 = str(tmp_path / "g.db")  # another store takes the export as it is
    assert "3 feeds" in run("--db", db2, "feeds", "import", str(out)).stdout
    assert json.loads(run("--db", db2, "feeds", "--json").stdout)["total"] == 3


def test_a_toml_list_is_imported_and_a_bad_list_is_a_clear_error(tmp_path: Path) -> None:
    db, toml = str(tmp_path / "f.db"), tmp_path / "feeds.toml"
    toml.write_text('feeds = ["https://a.example/rss"]\n\n[[feed]]\nurl = "https://b.example/atom"\n'
                    'title = "B"\n', encoding="utf-8")
    assert "2 feeds in" in run("--db", db, "feeds", "import", str(toml)).stdout
    feeds = json.loads(run("--db", db, "feeds", "--json").stdout)["feeds"]
    assert [(f["url"], f["title"]) for f in feeds] == [("https://a.example/rss", None), ("https://b.example/atom", "B")]
    junk = tmp_path / "junk.opml"
    junk.write_bytes(b"<html><body>not a list</body></html>")
    res = run("--db", db, "feeds", "import", str(junk))
    assert res.exit_code == 1 and "input.invalid" in res.stderr and "not OPML" in res.stderr


def test_the_export_is_readable_as_opml_by_a_feed_library(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    run("--db", db, "feeds", "add", "https://a.example/rss?x=1&y=2")
    data = run("--db", db, "feeds", "export").stdout_bytes  # type: ignore[attr-defined]
    assert etree.fromstring(data).find("body/outline").get("xmlUrl") == "https://a.example/rss?x=1&y=2"
    assert feedparser.parse(data).bozo == 0


def test_alerts_are_added_listed_shown_checked_and_removed(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    examples = Path(__file__).resolve().parents[2] / "examples"
    run("--db", db, "feeds", "add", "https://a.example/rss")  # makes the store
    res = run("--db", db, "alerts", "add", "daukante", "--speaker", "Rasa Daukante", "--min-confidence", "0")
    assert res.exit_code == 0
    assert run("--db", db, "alerts", "add", "daukante").exit_code == 2  # the name is taken
    run("--db", db, "ingest", "--no-progress", str(examples))
    assert "new hits" in run("--db", db, "alerts", "check").stdout
    shown = json.loads(run("--db", db, "alerts", "show", "daukante", "--json").stdout)
    assert shown["alert"]["filters"] == {"speaker": "Rasa Daukante", "min_confidence": 0.0}
    assert shown["hits"] and {h["kind"] for h in shown["hits"]} == {"attribution"}
    assert run("--db", db, "alerts", "check").stdout.startswith("0 new hits")
    assert [a["name"] for a in json.loads(run("--db", db, "alerts", "--json").stdout)["alerts"]] == ["daukante"]
    assert run("--db", db, "alerts", "remove", "daukante").exit_code == 0
    assert run("--db", db, "alerts", "show", "daukante").exit_code == 1


def test_an_alert_with_a_webhook_prints_its_secret_and_refuses_a_bad_url(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    run("--db", db, "feeds", "add", "https://a.example/rss")
    res = run("--db", db, "alerts", "add", "hook", "--webhook", "https://hooks.example/in", "--secret", "k")
    assert res.exit_code == 0 and "signing secret k" in res.stdout
    bad = run("--db", db, "alerts", "add", "bad", "--webhook", "file:///etc/passwd")
    assert bad.exit_code == 1 and "store.invalid" in bad.stderr
    shown = json.loads(run("--db", db, "alerts", "show", "hook", "--json").stdout)
    assert shown["alert"]["webhook"] == "https://hooks.example/in" and shown["hits"] == []


def test_watch_without_feeds_says_what_to_do(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    run("--db", db, "feeds", "add", "https://a.example/rss")
    run("--db", db, "feeds", "remove", "https://a.example/rss")
    res = run("--db", db, "watch", "--once")
    assert res.exit_code == 2 and "newsgraph feeds add URL" in res.stderr
