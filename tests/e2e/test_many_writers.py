"""Four ``newsgraph ingest`` processes writing one PostgreSQL store at once (issue 13, "many writers").

The inputs are the repository's examples and synthetic pages written here (some of them the same
text under two names); each input goes to two or three of the four processes, so the same source
and the same text arrive from several writers at once, and the same people and places are linked
by all of them. One process is killed with SIGKILL mid-run and run again. Then the store must be
what one process ingesting the union into a fresh database makes: the same article ids, each
source once, the same attributions per article, no actor twice (same canonical name and type),
no name an alias of two actors of one type, no store error logged, and every running counter
equal to a recount from the rows.

PostgreSQL only: SQLite lets one writer in at a time. Never skips under ``CI=true``
(``tests/pg_server.py``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import write_corpus

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WRITERS = 4
SYNTHETIC = 20
#: Sources stored (by anyone) before the victim is killed.
KILL_AFTER = 8

pytestmark = pytest.mark.timeout(240)


def _inputs(tmp: Path) -> list[Path]:
    pages = write_corpus(tmp / "pages", SYNTHETIC, seed=13)
    copies = tmp / "copies"
    copies.mkdir()
    for p in pages[:4]:  # the same texts under other names: one article, two sources
        shutil.copy(p, copies / ("copy-" + p.name))
    examples = sorted(p for p in EXAMPLES.iterdir() if p.name != "README.md")
    return [*examples, *pages, *sorted(copies.iterdir())]


def _shares(inputs: list[Path]) -> list[list[str]]:
    """Each input to two writers, every third to a third one."""
    shares: list[list[str]] = [[] for _ in range(WRITERS)]
    for k, path in enumerate(inputs):
        for w in {k % WRITERS, (k + 1) % WRITERS} | ({(k + 2) % WRITERS} if k % 3 == 0 else set()):
            shares[w].append(str(path))
    for share in shares:  # one shuffled order for all: writers sharing an input reach it at about one time
        share.sort(key=lambda s: zlib.crc32(s.encode()))
    return shares


def _ingest(url: str, paths: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEWSGRAPH_WORKERS": "1"}
    env.pop("NEWSGRAPH_DB", None)
    return subprocess.Popen([sys.executable, "-m", "newsgraph", "--db", url, "ingest", "--json", "--no-progress",
                             "--workers", "1", *paths], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen[bytes], timeout: float = 150) -> None:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, (out + err).decode(errors="replace")[-2000:]  # the JSON summary, the error


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def _state(url: str) -> dict[str, Any]:
    """What a clean run must agree on, whatever the order the writers went in."""
    return {
        "articles": sorted(_rows(url, "SELECT id FROM articles")),
        "sources": sorted(_rows(url, "SELECT source, article_id FROM sources")),
        "attributions": sorted(_rows(url, "SELECT article_id, COUNT(*) FROM attributions GROUP BY article_id")),
        "entities": sorted(_rows(url, "SELECT article_id, COUNT(*) FROM article_entities GROUP BY article_id")),
        "tally": sorted(_rows(url, "SELECT kind, statement, negated, confidence, n FROM attribution_tally"
                                   " WHERE n > 0")),
        "analysed": sorted(_rows(url, "SELECT id, analysis_status FROM articles")),
    }


def _twins(url: str) -> set[tuple[Any, ...]]:
    """Actors sharing a canonical name and type, and names that are an alias of two actors of one type."""
    names = _rows(url, "SELECT name, type FROM actors GROUP BY name, type HAVING COUNT(*) > 1")
    aliases = _rows(url, "SELECT a.alias, c.type FROM actor_aliases a JOIN actors c ON c.key = a.actor_key"
                         " GROUP BY a.alias, c.type HAVING COUNT(DISTINCT a.actor_key) > 1")
    return {("actor", *r) for r in names} | {("alias", *r) for r in aliases}


def _counters_recounted(url: str) -> None:
    from newsgraph.weeks import week_start

    speakers = Counter(dict(_rows(url, "SELECT source_entity, COUNT(*) FROM attributions"
                                       " WHERE source_entity IS NOT NULL AND source_entity <> '' GROUP BY 1")))
    assert Counter(dict(_rows(url, "SELECT name, n FROM speaker_counts WHERE n <> 0"))) == speakers

    weeks: Counter[tuple[str, str, str]] = Counter()
    for name, n_mentions, published in _rows(url, "SELECT name, n_mentions, published FROM article_entities"):
        week = week_start(published)
        if week is not None:
            weeks[(name, week, "articles")] += 1
            weeks[(name, week, "mentions")] += n_mentions
    for name, published in _rows(url, "SELECT source_entity, published FROM attributions"
                                      " WHERE source_entity IS NOT NULL AND source_entity <> ''"):
        week = week_start(published)
        if week is not None:
            weeks[(name, week, "quotes")] += 1
    stored: Counter[tuple[str, str, str]] = Counter()
    for name, week, articles, mentions, quotes in _rows(url, "SELECT name, week, articles, mentions, quotes"
                                                             " FROM name_weeks"):
        stored.update({(name, week, "articles"): articles, (name, week, "mentions"): mentions,
                       (name, week, "quotes"): quotes})
    assert +stored == +weeks

    dyads = sorted(_rows(url, (
        "SELECT actor_entity, target_entity, week, type, COUNT(*)::int,"
        " SUM(negated)::int, SUM(CASE WHEN negated = 0 AND modality = 'planned' THEN 1 ELSE 0 END)::int,"
        " SUM(CASE WHEN negated = 0 AND modality = 'conditional' THEN 1 ELSE 0 END)::int,"
        " SUM(CASE WHEN modality = 'reported' THEN 1 ELSE 0 END)::int FROM events"
        " WHERE actor_entity IS NOT NULL AND target_entity IS NOT NULL GROUP BY 1, 2, 3, 4")), key=repr)
    assert sorted(_rows(url, "SELECT actor_entity, target_entity, week, type, n, negated, planned, conditional,"
                             " reported FROM dyad_weeks WHERE n <> 0"), key=repr) == dyads

    actors = _rows(url, "SELECT a.key, a.n_articles, a.n_mentions, COUNT(DISTINCT e.article_id),"
                        " COALESCE(SUM(e.n_mentions), 0) FROM actors a LEFT JOIN article_entities e"
                        " ON e.actor_key = a.key GROUP BY a.key, a.n_articles, a.n_mentions")
    assert [r for r in actors if (r[1], r[2]) != (r[3], r[4])] == []

    tally = _rows(url, "SELECT kind, statement, negated, confidence, COUNT(*)::int FROM attributions GROUP BY 1, 2, 3, 4")
    assert sorted(_rows(url, "SELECT kind, statement, negated, confidence, n FROM attribution_tally"
                             " WHERE n <> 0")) == sorted(tally)


def _wait_for_sources(url: str, n: int, procs: list[subprocess.Popen[bytes]], timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if _rows(url, "SELECT COUNT(*) FROM sources")[0][0] >= n:
            return
        if all(p.poll() is not None for p in procs):
            break
        time.sleep(0.2)
    pytest.fail(f"fewer than {n} sources stored")


def test_four_writers_one_killed_and_rerun_give_what_one_writer_gives(pg_database, tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    shares = _shares(inputs)
    shared = pg_database(migrated=True)
    single = pg_database(migrated=True)

    procs = [_ingest(shared, share) for share in shares]
    _wait_for_sources(shared, KILL_AFTER, procs)
    victim = procs[0]
    assert victim.poll() is None, "the victim finished before it could be killed; raise KILL_AFTER's margin"
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    baseline = _ingest(single, [str(p) for p in inputs])  # meanwhile: one writer, the union
    for proc in procs[1:]:
        _finish(proc)
    _finish(_ingest(shared, shares[0]))  # the killed one, run again
    _finish(baseline)

    got, want = _state(shared), _state(single)
    assert len(want["articles"]) == len(inputs) + 1 - 4  # wire-records.jsonl holds 2; 4 copies share a text
    for key in want:
        assert got[key] == want[key], key
    assert len({s for s, _ in got["sources"]}) == len(got["sources"])  # each source once
    assert _twins(shared) <= _twins(single) == set()
    assert _rows(shared, "SELECT source, code FROM ingest_errors WHERE code LIKE 'store.%'") == []
    assert _rows(shared, "SELECT status, COUNT(*) FROM ingest_runs GROUP BY status ORDER BY status") == [
        ("finished", WRITERS), ("interrupted", 1)]
    _counters_recounted(shared)
    _counters_recounted(single)
