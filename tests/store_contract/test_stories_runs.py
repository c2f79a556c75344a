"""Contract: story links, ingest runs and the failure log, and a writer killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from newsgraph.errors import NotFound
from newsgraph.ids import article_id
from newsgraph.store import Store, open_store
from newsgraph.types import Article, Failure
from tests.helpers import REFUSED, article_text, evidence_db

WIRE = ("The ferry operator said on Tuesday that crossings between the two ports would resume next week "
        "after engineers replaced a damaged ramp, ending a three-week suspension that had stranded freight "
        "and forced hauliers onto a long detour through the southern border crossing. Passenger bookings "
        "reopen on Friday, and the company expects the first sailings to be full, a spokeswoman added.")


def story(text: str, source: str, outlet: str, published: str) -> Article:
    return Article(article_id(text), source, None, f"Ferries resume ({outlet})", outlet, (), published, "en", text)


def test_the_same_story_elsewhere_most_similar_first(store: Store) -> None:
    original = story(WIRE, "wire.html", "Wire", "2026-03-01")
    trimmed = story(WIRE.rsplit(" Passenger", 1)[0] + " (Reporting by the desk)", "a.html", "Harbour Times",
                    "2026-03-02")
    retitled = story("UPDATE: " + WIRE + " More to follow.", "b.html", "Coast Daily", "2026-03-02")
    other = story(article_text(5), "c.html", "Coast Daily", "2026-03-02")
    short = story("Too short to sign.", "d.html", "Coast Daily", "2026-03-02")
    for a in (original, trimmed, retitled, other, short):
        store.add_article(a)
    found = store.same_story(original.id)
    assert [r.id for r in found] == [retitled.id, trimmed.id]
    assert found[0].similarity >= found[1].similarity >= 0.5 and found[0].outlet == "Coast Daily"
    assert [r.id for r in store.same_story(trimmed.id)][:1] in ([original.id], [retitled.id])
    assert store.same_story(other.id) == [] and store.same_story(short.id) == []
    assert store.same_story("0" * 16) == []
    assert len(store.same_story(original.id, limit=1)) == 1


def test_runs_and_the_failure_log_newest_first(store_url: str) -> None:
    evidence_db(store_url)
    with open_store(store_url) as store:
        first = store.runs()[0]
        assert (first.status, first.counts, first.n_failures, first.argv) == ("finished", {"failed": 2}, 2, ("ingest",))
        r2 = store.start_run(["ingest", "more/", "caf\udce9.txt"])
        store.log_failure(r2, Failure("caf\udce9.txt", "input.binary", "binary input"))
        assert [r.id for r in store.runs()] == [r2, first.id] and store.runs(limit=1)[0].status == "running"
        store.finish_run(r2, {"failed": 1, "ingested": 0}, status="interrupted")
        assert store.runs()[0].status == "interrupted" and store.runs()[0].argv[-1] == "caf\\udce9.txt"
        fails = store.failures()
        assert [f.code for f in fails] == ["input.binary", "extract.no_article", "input.binary"]
        assert fails[0].source == "caf\\udce9.txt" and fails[0].run_id == r2
        refused = fails[1]
        assert (refused.kind, refused.title, refused.url, refused.published) == (
            REFUSED["kind"], REFUSED["title"], REFUSED["url"], REFUSED["published"])
        assert refused.reason == REFUSED["message"] and refused.message.startswith(REFUSED["message"])
        assert [f.run_id for f in store.failures(run_id=first.id)] == [first.id, first.id]
        assert len(store.failures(limit=1)) == 1
        with pytest.raises(NotFound):
            store.finish_run(999, {})
        with pytest.raises(NotFound):
            store.log_failure(999, Failure("s", "c", "m"))
        with pytest.raises(ValueError):
            store.finish_run(r2, {}, status="exploded")


KILLED_WRITER = textwrap.dedent("""
    import sys
    from newsgraph.ids import article_id
    from newsgraph.store import open_store
    from newsgraph.types import Article
    from tests.helpers import analysed_article
    store = open_store(sys.argv[1])
    store.start_run(["ingest", "forever"])
    i = 0
    while True:
        store.add_article(analysed_article(i, quotes=(("Ann Lee", f"words number {i}"),),
                                           events=(("Russia", "ATTACK", "Ukraine"),)), analysis="contract 1")
        i += 1
        if i == 5:
            print("writing", flush=True)
""")


def test_a_writer_killed_mid_run_leaves_a_whole_store_and_an_interrupted_run(store_url: str) -> None:
    open_store(store_url).close()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, store_url], stdout=subprocess.PIPE, cwd=root,
                            env={**os.environ, "PYTHONPATH": root})
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"writing"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    with open_store(store_url) as store:
        n = store.count_articles()
        assert n >= 5
        stored = list(store.iter_articles())
        assert len(stored) == n and all(len(s.sources) == 1 and len(s.article.attributions) == 1 for s in stored)
        # every article's rows and counters are whole: one quote, one event, one dyad count per article
        assert store.quote_counts(kinds=("all",)).shown == len(store.quotes(kinds=("all",), limit=10**6)) == n
        assert len(store.events(limit=10**6)) == n
        assert sum(t.n for t in store.dyad_tallies("Russia", "Ukraine")[2]) == n
        assert [(s.name, s.n_quotes) for s in store.top_speakers()] == [("Ann Lee", n)]
        assert store.runs()[0].status == "interrupted"
        assert store.mark_dead_runs() == 1 and store.runs()[0].status == "interrupted"
        # resuming: what was stored is a duplicate, the rest goes in
        from tests.helpers import analysed_article

        results = [store.add_article(analysed_article(i, quotes=(("Ann Lee", f"words number {i}"),),
                                                      events=(("Russia", "ATTACK", "Ukraine"),)), analysis="contract 1")
                   for i in range(n + 3)]
        assert results == ["duplicate"] * n + ["new"] * 3
        assert store.top_speakers()[0].n_quotes == n + 3
