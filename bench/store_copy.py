"""``newsgraph copy`` on the synthetic store, and the batched writes that build that store.

(Named ``store_copy.py``, not ``copy.py``: a bench script's folder is first on ``sys.path``, and a
``copy.py`` there would stand in for the standard library's ``copy`` that ``dataclasses`` imports.)

1. **Source.** The synthetic analysed store of ``bench/synth_store.py`` (``--n``, default
   10,000 articles), built once through ``Store.add_articles`` and kept (``--store``).
2. **Build rate, batched against one by one (same run).** ``--build-n`` articles (default 1,000),
   generated beforehand (not timed), written either with ``add_article`` one at a time (the
   baseline: how the store was built before) or ``add_articles`` in batches of
   ``synth_store.BATCH``, into (a) an empty store ("cold": every name is new, the registry grows
   fast) and (b) a copy of the source store, the next articles after its last ("warm": the state
   of most of a 100k build). Modes alternate over ``--rounds``; medians of wall and CPU time.
3. **Copy.** ``copy_store`` SQLite -> SQLite into a fresh file, against SQLite's own online
   backup of the same file (``sqlite3.Connection.backup``, a page copy: the floor for this pair,
   not an alternative across backends). With a PostgreSQL server (``$NEWSGRAPH_TEST_PG_URL``, or
   one started from Debian's binaries by ``tests/pg_server.py``), also SQLite -> PostgreSQL and
   PostgreSQL -> SQLite. Every copy must verify (counts per table, attribution tally, sha256
   over article ids and texts equal on both sides) or the script exits 1 and RESULTS.md is
   left alone.

The machine is shared (2 cores): the 1-minute load average is recorded beside the figures.

    .venv/bin/python bench/store_copy.py [--n 10000] [--build-n 1000] [--rounds 2] [--store PATH] [--no-pg] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synth_store  # noqa: E402
from newsgraph.store import open_store  # noqa: E402
from newsgraph.store.copy import copy_store  # noqa: E402


def _load() -> float:
    return os.getloadavg()[0]


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def source_store(path: Path, n: int) -> tuple[Path, float | None]:
    """The synthetic store of ``n`` articles at ``path`` (built, or topped up, if needed)."""
    have = 0
    if path.exists():
        with open_store(path, read_only=True) as s:
            have = s.count_articles()
    if have == n:
        return path, None
    if have > n:
        _fresh(path)
    res = synth_store.build(path, n, progress=True)
    return path, res["added"] / res["seconds"]


def _write(db: Path, articles: list, batched: bool) -> tuple[float, float]:
    with open_store(db) as s:
        t, c = time.perf_counter(), time.process_time()
        if batched:
            for i in range(0, len(articles), synth_store.BATCH):
                s.add_articles(articles[i:i + synth_store.BATCH])
        else:
            for a in articles:
                s.add_article(a)
        return time.perf_counter() - t, time.process_time() - c


def build_rates(src: Path, n: int, k: int, rounds: int, tmp: Path) -> dict:
    """Wall and CPU seconds of writing ``k`` articles one by one and batched, cold and warm."""
    cold = list(synth_store.generate(k))
    warm = list(synth_store.generate(n + k, start=n))
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in range(rounds):
        modes = [("cold", False), ("cold", True), ("warm", False), ("warm", True)]
        for phase, batched in (modes if r % 2 == 0 else modes[::-1]):
            db = _fresh(tmp / f"build-{phase}-{int(batched)}.db")
            if phase == "warm":
                with sqlite3.connect(src) as a, sqlite3.connect(db) as b:
                    a.backup(b)
            wall, cpu = _write(db, cold if phase == "cold" else warm, batched)
            runs.setdefault((phase, "batched" if batched else "one by one"), []).append((wall, cpu))
            print(f"  build {phase} {'batched' if batched else 'one by one'}: {k / wall:,.0f} articles/s"
                  f" (cpu {k / cpu:,.0f}/s), load {_load():.1f}", file=sys.stderr)
    return {key: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for key, v in runs.items()}


def _copy(src: str, dst: str, label: str) -> dict:
    load = _load()
    res = copy_store(src, dst)
    if not res.ok:
        raise SystemExit(f"{label}: the copy does not verify: {res.mismatches}")
    print(f"  {label}: {res.copied:,} articles in {res.copy_seconds:.1f} s ({res.copied / res.copy_seconds:,.0f}/s),"
          f" verified in {res.seconds - res.copy_seconds:.1f} s, checksum {res.src.checksum[:16]} ="
          f" {res.dst.checksum[:16]}", file=sys.stderr)
    return {"label": label, "seconds": res.copy_seconds, "verify": res.seconds - res.copy_seconds,
            "articles": res.copied, "counts": res.src.counts,
            "src_sum": res.src.checksum, "dst_sum": res.dst.checksum, "load": load}


def _backup(src: Path, dst: Path) -> float:
    t = time.perf_counter()
    with sqlite3.connect(src) as a, sqlite3.connect(_fresh(dst)) as b:
        a.backup(b)
    return time.perf_counter() - t


def _pg_url(no_pg: bool) -> tuple[str | None, object | None, str]:
    """A database URL on a PostgreSQL server (and the server to stop), or why there is none."""
    if no_pg:
        return None, None, "--no-pg"
    try:
        import psycopg
    except ImportError:
        return None, None, "psycopg not installed"
    from tests import pg_server

    server, base = None, os.environ.get(pg_server.ENV_URL)
    if not base:
        bindir = pg_server.pg_bin()
        if bindir is None:
            return None, None, "no PostgreSQL binaries"
        server = pg_server.LocalServer(bindir)
        server.start()
        base = server.url
    name = f"ng_bench_copy_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    return pg_server.database_url(base, name), server, ""


def rate_lines(k: int, rounds: int, rates: dict) -> list[str]:
    lines = [
        "", f"### Writing articles: `add_articles` (batches of {synth_store.BATCH}) against `add_article` one by one",
        "", f"{k:,} articles generated beforehand, written into an empty store (cold: the registry grows with almost "
        f"every article) and after the source's last article (warm: the state of most of a large build); "
        f"modes alternated, medians of {rounds} rounds. Both give the same rows (`tests/unit/test_store_batch.py`).",
        "", "| store | one by one | batched | ratio (wall) | one by one, CPU | batched, CPU | ratio (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|"]
    for phase in ("cold", "warm"):
        (w1, c1), (wb, cb) = rates[(phase, "one by one")], rates[(phase, "batched")]
        lines.append(f"| {phase} | {k / w1:,.0f}/s | {k / wb:,.0f}/s | **{w1 / wb:.2f}x** | {k / c1:,.0f}/s "
                     f"| {k / cb:,.0f}/s | {c1 / cb:.2f}x |")
    return lines


def report(n: int, k: int, rounds: int, rates: dict, copies: list[dict], backup_s: float, pg_note: str,
           build_rate: float | None, section: str = "copy") -> str:
    import _results

    counts = copies[0]["counts"]
    lines = [
        f"## Copy (`newsgraph copy`){' and batched writes' if rates else ''}, {n:,} articles (`bench/store_copy.py`)",
        "",
        f"{_results.today()} · {_results.machine()} · shared machine (1-minute load average in the tables).", "",
        f"Source: the synthetic analysed store of `bench/synth_store.py`, {n:,} articles "
        f"({counts['attributions']:,} attributions, {counts['article_entities']:,} entity links, "
        f"{counts['events']:,} events, {counts['actors']:,} actors, {counts['story_bands']:,} story bands)."]
    if rates:
        lines += rate_lines(k, rounds, rates)
    if build_rate:
        lines += ["", f"The source itself was built batched at {build_rate:,.0f} articles/s (generation in a helper "
                  "process included)."]
    lines += ["", "### Copy", "",
              "Every copy verified: the same row count in every table, the same attribution tally and the same "
              "sha256 over article ids and texts on both sides. \"copy\" is `copy_store` up to the end of the load "
              "(with its first look at both sides); \"verification\" the counting and checksumming after it.", "",
              "| copy | copy, s | articles/s | verification, s | checksum (both sides) | load |",
              "|---|---:|---:|---:|---|---:|"]
    for c in copies:
        lines.append(f"| {c['label']} | {c['seconds']:.1f} | {c['articles'] / c['seconds']:,.0f} | {c['verify']:.1f} "
                     f"| `{c['src_sum'][:16]}…` = `{c['dst_sum'][:16]}…` | {c['load']:.1f} |")
    sq = copies[0]
    lines += ["", f"Baseline in the same run: SQLite's online backup of the same file (a page copy, SQLite to SQLite "
              f"only) took {backup_s:.1f} s; `newsgraph copy` SQLite -> SQLite is {sq['seconds'] / backup_s:.1f}x "
              "that, for a copy that works across backends, resumes and verifies itself."]
    if pg_note:
        lines += ["", f"PostgreSQL: not measured ({pg_note})."]
    lines += ["", "Row counts (source = destination for every copy above):", "",
              "| table | rows |", "|---|---:|"] + [f"| {t} | {v:,} |" for t, v in counts.items()]
    cmd = f".venv/bin/python bench/store_copy.py --n {n} --build-n {k} --rounds {rounds}"
    lines += ["", f"Reproduce: `{cmd}{f' --section {section}' if section != 'copy' else ''}`."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles in the source store")
    ap.add_argument("--build-n", type=int, default=1000, help="articles written per build-rate run (0: none)")
    ap.add_argument("--section", default="copy", help="the RESULTS.md section written")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--store", type=Path, default=None, help="the source store (kept; default in the temp dir)")
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    src_path = args.store or Path(tempfile.gettempdir()) / f"newsgraph-bench-copy-{args.n}.db"
    print(f"source {src_path} ({args.n:,} articles)", file=sys.stderr)
    src, build_rate = source_store(src_path, args.n)
    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-bench-copy-"))
    server = None
    try:
        rates = build_rates(src, args.n, args.build_n, args.rounds, tmp) if args.build_n else {}
        backup_s = _backup(src, tmp / "backup.db")
        copies = [_copy(str(src), str(_fresh(tmp / "copy.db")), "SQLite -> SQLite")]
        pg, server, pg_note = _pg_url(args.no_pg)
        if pg:
            copies.append(_copy(str(src), pg, "SQLite -> PostgreSQL"))
            copies.append(_copy(pg, str(_fresh(tmp / "back.db")), "PostgreSQL -> SQLite"))
        if len({c["src_sum"] for c in copies} | {c["dst_sum"] for c in copies}) != 1:
            raise SystemExit("checksums differ between the copies")
        md = report(args.n, args.build_n, args.rounds, rates, copies, backup_s, pg_note, build_rate, args.section)
        print(md)
        if not args.no_write:
            import _results

            _results.update_section(args.section, md)
            print(f"wrote the {args.section} section of {_results.RESULTS}", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
