"""What reaches the store: one bad item fails alone, corrections cannot be no-ops or break links.

Items 2 and 14 of the hardening issue: a string the store cannot hold used to stop
the whole run (and every resume stopped at the same item); ``merge A A`` said it
merged; after a split the name got an opaque key and earlier entity links broke.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.errors import StoreError
from newsgraph.ids import article_id
from newsgraph.ingest import STORE_FAILURE_LIMIT, Extracted, Summary, _Writer
from newsgraph.store import Store, open_store
from newsgraph.types import Article, Entity, TextSpan
from tests.helpers import article_text

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
pytestmark = pytest.mark.timeout(120)


def plain(i: int, **changes: object) -> Article:
    text = article_text(i)
    a = Article(id=article_id(text), source=f"doc-{i}.txt", url=None, title=f"Story {i}", outlet="Baltic Ledger",
                authors=(), published="2026-03-02", language="en", text=text)
    return dataclasses.replace(a, **changes)


def test_a_string_the_store_cannot_hold_fails_that_item_only(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        run = store.start_run(["test"])
        summary = Summary()
        writer = _Writer(store, run, summary, None)
        bad = [plain(1, title="a\ud800b"), plain(2, source="caf\udce9.txt"), plain(3, authors=("Ann \udcff",))]
        for article in [plain(0), *bad, plain(4)]:
            writer.write(Extracted(article))
        assert store.count_articles() == 2 and summary.new == 2
        assert summary.failed == {"store.invalid": 3}
        failures = store.failures(run_id=run)
        assert len(failures) == 3 and all(f.code == "store.invalid" for f in failures)
        # the failure log holds the undecodable name with an escape instead of failing itself
        assert {f.source for f in failures} == {"doc-1.txt", "caf\\udce9.txt", "doc-3.txt"}


def test_a_failing_store_still_stops_the_run(tmp_path: Path) -> None:
    """Item-level errors many times in a row mean the store, not the items, is failing."""
    with open_store(tmp_path / "s.db") as store:
        writer = _Writer(store, store.start_run(["test"]), Summary(), None)
        with pytest.raises(StoreError):
            for i in range(STORE_FAILURE_LIMIT + 1):
                writer.write(Extracted(plain(i, title="\ud800")))
        assert store.count_articles() == 0


def test_a_bad_jsonl_record_never_blocks_the_run_or_its_resume(tmp_path: Path) -> None:
    records = [{"url": f"https://example.org/{i}", "title": "a\ud800b" if i == 1 else f"Story {i}",
                "outlet": "Baltic \udce9Ledger" if i == 2 else "Baltic Ledger",
                "authors": ["Ann \ud83d"] if i == 3 else ["Ann Berg"], "text": article_text(i)} for i in range(6)]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    for _ in range(2):  # the run, then its resume
        done = subprocess.run([str(NEWSGRAPH), "--db", str(db), "ingest", "--no-analyze", "--no-progress", "--json",
                               str(tmp_path / "in.jsonl")], capture_output=True, text=True, timeout=60)
        assert "Traceback" not in done.stderr, done.stderr
    listed = json.loads(subprocess.run([str(NEWSGRAPH), "--db", str(db), "articles", "--json"], capture_output=True,
                                       text=True, timeout=60).stdout)
    assert listed["total"] == 6  # every record stored, the bad strings made storable
    titles = {a["title"] for a in listed["articles"]}
    assert "a\ufffdb" in titles


# --------------------------------------------------------------------------- corrections


def make(text: str, *names: tuple[str, str], source: str) -> Article:
    ents = []
    for name, etype in names:
        start = text.index(name)
        ents.append(Entity(f"{etype.lower()}:{name.lower().replace(' ', '-').replace('.', '')}", name, etype,
                           (TextSpan(start, start + len(name), name),)))
    return Article(id=article_id(text), source=source, url=None, title=None, outlet=None, authors=(),
                   published=None, language="en", text=text, entities=tuple(ents))


@pytest.fixture()
def registry(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "r.db")
    s.add_article(make("Hillary Clinton spoke in Iowa.", ("Hillary Clinton", "PERSON"), source="a"))
    s.add_article(make("Hillary Rodham Clinton spoke in Ohio.", ("Hillary Rodham Clinton", "PERSON"), source="b"))
    yield s
    s.close()


def test_merging_an_actor_with_itself_is_refused(registry: Store) -> None:
    key = registry.actor("Hillary Clinton").actor.key
    with pytest.raises(StoreError) as err:
        registry.merge_actors("Hillary Clinton", key)
    assert err.value.code == "store.bad_correction"
    assert registry._conn.execute("SELECT COUNT(*) FROM corrections").fetchone() == (0,)


def test_merge_a_a_on_the_command_line_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with open_store(db) as s:
        s.add_article(make("Sergei Lavrov spoke in Geneva.", ("Sergei Lavrov", "PERSON"), source="a"))
    done = subprocess.run([str(NEWSGRAPH), "--db", str(db), "merge", "Sergei Lavrov", "Sergei Lavrov"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "[store.bad_correction]" in done.stderr and "merged" not in done.stdout


def test_old_keys_keep_working_after_merge_and_split(registry: Store) -> None:
    full, other = registry.actor("Hillary Clinton").actor.key, registry.actor("Hillary Rodham Clinton").actor.key
    assert full != other and other == "person:hillary-rodham-clinton"
    merged = registry.merge_actors("Hillary Clinton", "Hillary Rodham Clinton")
    # a link to the merged-away key still finds the actor
    assert registry.actor(other).actor.key == merged == full
    assert registry.actor_timeline(other) == registry.actor_timeline(full)
    split = registry.split_actor(full, "Hillary Rodham Clinton")
    # the split-off name gets back the readable key its old links used, not an opaque digest
    assert split == other
    assert registry.actor(other).actor.aliases == ("Hillary Rodham Clinton",)
    assert registry.actor(full).actor.aliases == ("Hillary Clinton",)
    # and the redirect is gone, so the key means the split-off actor again
    assert registry._conn.execute("SELECT COUNT(*) FROM actor_redirects").fetchone() == (0,)


def test_a_split_name_whose_key_is_taken_gets_a_readable_one(registry: Store) -> None:
    full = registry.merge_actors("Hillary Clinton", "Hillary Rodham Clinton")
    # meanwhile an unrelated actor took the slug key (a correction put a same-named ORG apart)
    registry._conn.execute("INSERT INTO actors (key, name, type, created_at) VALUES"
                           " ('person:hillary-rodham-clinton', 'Someone Else', 'PERSON', 'now')")
    key = registry.split_actor(full, "Hillary Rodham Clinton")
    assert key == "person:hillary-rodham-clinton-2"


@pytest.mark.parametrize("n", [0, 1, 2, 9, 10, 11, 25])
def test_removed_pieces_are_encoded_in_slices_to_the_same_json(n: int) -> None:
    from newsgraph.store.sqlite import _removed_json
    from newsgraph.types import Removed

    removed = tuple(Removed("caption" if i % 2 else "navigation", f'line "{i}" — é\n') for i in range(n))
    expected = json.dumps([{"kind": r.kind, "text": r.text} for r in removed], ensure_ascii=False)
    for batch in (1, 2, 3, 10, 10_000):
        assert _removed_json(removed, batch) == expected
