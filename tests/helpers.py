"""Small builders the tests share: realistic synthetic articles, written to disk."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_PEOPLE = ["Maria Lindqvist", "Tomas Berzins", "Anna Keller", "Jonas Petrauskas", "Elena Moroz",
           "Karel Novak", "Sofia Alves", "Henrik Dahl"]
_ROLES = ["the foreign minister", "the prime minister", "the defence minister", "the energy commissioner"]
_PLACES = ["Riga", "Vilnius", "Tallinn", "Warsaw", "Helsinki", "Gdansk", "Tartu", "Kaunas"]
_TOPICS = ["grid interconnection", "border security", "grain exports", "port tariffs",
           "gas storage", "rail freight", "fishing quotas", "cyber defence"]
_VERBS = ["said", "told reporters", "stressed", "warned", "insisted"]


def article_text(i: int, *, seed: int = 7) -> str:
    """A plain-text page with a title line, boilerplate and a unique body."""
    rng = random.Random(seed * 100_003 + i)
    person, place, topic = rng.choice(_PEOPLE), rng.choice(_PLACES), rng.choice(_TOPICS)
    paras = [
        f"{person}, {rng.choice(_ROLES)}, {rng.choice(_VERBS)} on day {i} in {place} that talks on "
        f"{topic} would resume after a pause of {rng.randint(2, 30)} weeks.",
        f"Officials from {rng.randint(3, 12)} countries attended the meeting, which lasted "
        f"{rng.randint(2, 9)} hours and ended with a joint statement on {topic}.",
        f"– We cannot wait another winter for a decision, {person.split()[1]} said of the plan, "
        f"which is expected to cost {rng.randint(10, 900)} million euros.",
        f"According to the ministry, a final text on {topic} could be signed in {place} "
        f"before the end of month {rng.randint(1, 12)}, case number {i}.",
    ]
    lines = [
        f"{topic.title()} talks resume in {place} – Baltic Ledger – Politics",
        "Home | World | Politics | Business | Sport",
        paras[0], paras[1],
        f"Delegates arrive for the talks in {place}.",
        "Photo: Ilze Kalnina / Baltic Ledger",
        paras[2], paras[3],
        "Read also: Ministers disagree on port fees",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ]
    return "\n\n".join(lines) + "\n"


def write_corpus(folder: Path, n: int, *, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"article-{i:05d}.txt"
        p.write_text(article_text(i, seed=seed), encoding="utf-8")
        paths.append(p)
    return paths


# --------------------------------------------------------------------------- a server process


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, proc: Any, exit_report: Callable[[], str], timeout: float = 60.0) -> None:
    """Until something accepts on 127.0.0.1:``port``; fails the test if ``proc`` exits first
    (with ``exit_report()``, e.g. the server's log) or nothing listens within ``timeout`` s."""
    import contextlib
    import socket
    import time

    import pytest

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited ({proc.returncode}):\n{exit_report()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"server did not listen within {timeout:.0f} s")
        time.sleep(0.1)


def stop(proc: Any, sig: int | None = None, timeout: float = 20.0) -> None:
    """Stop a server process (SIGTERM unless ``sig``), killing it if it does not exit in time."""
    import signal
    import subprocess

    if proc.poll() is None:
        proc.send_signal(sig if sig is not None else signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- old stores
# SQLite-specific: each undo_schema_N turns a SQLite store (its connection, ``store._conn``) back
# into what schema N-1 left, so tests can check that opening it migrates without losing anything.
# A PostgreSQL backend has migrations of its own and needs its own way back.


def undo_schema_16(conn: Any) -> None:
    """Take schema 16 out of a store (articles' section)."""
    conn.execute("ALTER TABLE articles DROP COLUMN section")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 16")
    conn.execute("PRAGMA user_version = 15")


def undo_schema_15(conn: Any) -> None:
    """Take schema 15 out of a store (articles' headings and page kind)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 16:
        undo_schema_16(conn)
    for col in ("headings", "page_kind"):
        conn.execute(f"ALTER TABLE articles DROP COLUMN {col}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 15")
    conn.execute("PRAGMA user_version = 14")


def undo_schema_14(conn: Any) -> None:
    """Take schema 14 out of a store (followed feeds, their entries, alerts and alert hits)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 15:
        undo_schema_15(conn)
    for table in ("alert_hits", "alerts", "feed_items", "feeds"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 14")
    conn.execute("PRAGMA user_version = 13")


def undo_schema_13(conn: Any) -> None:
    """Take schema 13 out of a store (articles' date evidence, modified and credits; the ingest log's
    page kind, title, url and day)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 14:
        undo_schema_14(conn)
    for table, cols in (("articles", ("published_source", "published_confidence", "modified", "credits")),
                        ("ingest_errors", ("kind", "title", "url", "published"))):
        for col in cols:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 13")
    conn.execute("PRAGMA user_version = 12")


def undo_schema_12(conn: Any) -> None:
    """Take schema 12 (and any later one) out of a store (events' object and same_as)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 13:
        undo_schema_13(conn)
    for col in ("object_start", "object_end", "object_text", "same_as"):
        conn.execute(f"ALTER TABLE events DROP COLUMN {col}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 12")
    conn.execute("PRAGMA user_version = 11")


def undo_schema_11(conn: Any) -> None:
    """Take schema 11 (and any later one) out of a store (events' timing and date_from)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 12:
        undo_schema_12(conn)
    for col in ("timing", "date_from"):
        conn.execute(f"ALTER TABLE events DROP COLUMN {col}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 11")
    conn.execute("PRAGMA user_version = 10")


def undo_schema_10(conn: Any) -> None:
    """Take schema 10 (and any later one) out of a store (the attribution tally and its triggers)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 11:
        undo_schema_11(conn)
    for trigger in ("attributions_tally_insert", "attributions_tally_delete", "attributions_tally_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE attribution_tally")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 10")
    conn.execute("PRAGMA user_version = 9")


def undo_schema_9(conn: Any) -> None:
    """Take schema 9 (and any later one) out of a store (its columns and indexes), so a test can
    build an older one."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 10:
        undo_schema_10(conn)
    for index in ("articles_analysis_status", "attributions_flags"):
        conn.execute(f"DROP INDEX {index}")
    for table, cols in (("articles", ("analysis_status", "analysis_language", "analysis_pipeline", "analysis_code",
                                      "analysis_reason")),
                        ("attributions", ("statement", "negated", "frame", "category"))):
        for col in cols:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 9")
    conn.execute("PRAGMA user_version = 8")


def undo_schema_8(conn: Any) -> None:
    """Take schema 8 (and any later one) out of a store (its columns, indexes and table), so a test
    can build an older one."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 9:
        undo_schema_9(conn)
    for index in ("ingest_runs_running", "articles_unanalysed", "articles_facets"):
        conn.execute(f"DROP INDEX {index}")
    for table, col in (("ingest_runs", "status"), ("ingest_runs", "host"), ("ingest_runs", "pid"),
                       ("ingest_runs", "pid_start"), ("articles", "analysis")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DROP TABLE actor_redirects")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 8")
    conn.execute("PRAGMA user_version = 7")


# --------------------------------------------------------------------------- unprivileged readers

#: The uid/gid that permission tests read as when the tests run as root (chmod 000 does not stop root).
NOBODY = 65534


def _drop_privileges() -> None:
    import os

    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _others_can_run(path: str) -> bool:
    import os

    real = Path(os.path.realpath(path))
    return all(p.stat().st_mode & 0o001 for p in [real, *real.parents])


def unprivileged(cmd: list[str]) -> tuple[list[str], Any]:
    """(command, preexec_fn) that run ``cmd`` as uid/gid 65534 when we are root, unchanged otherwise:
    setuid in ``preexec_fn``, or util-linux ``setpriv`` when the interpreter sits where 65534 cannot
    reach it (a root-only pyenv)."""
    import os
    import shutil
    import sys

    if os.geteuid() != 0:
        return cmd, None
    if _others_can_run(sys.executable) or not shutil.which("setpriv"):
        return cmd, _drop_privileges
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd], None


# --------------------------------------------------------------------------- a configured server


@contextlib.contextmanager
def serving(db: Path, tmp: Path, settings: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """The real ``newsgraph serve`` on a free port over ``db``, with ``settings`` in a config file:
    yields (base URL, port); stopped on exit."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    config = tmp / "newsgraph.toml"
    config.write_text("[newsgraph]\n" + "".join(f"{k} = {v!r}\n" for k, v in settings.items()), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "NEWSGRAPH_CONFIG": str(config),
           "PYTHONPATH": str(root / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    log = tmp / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "--db", str(db), "serve", "--port", str(port)],
                                env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_listening(port, proc, lambda: log.read_text(errors="replace"))
            yield f"http://127.0.0.1:{port}", port
        finally:
            import signal

            stop(proc, signal.SIGINT)


@contextlib.contextmanager
def world_dir() -> Iterator[Path]:
    """A fresh folder anyone may traverse (pytest's tmp_path is private to its owner), for readers that
    run as ``NOBODY``; removed afterwards, folders made unreadable inside it included."""
    import os
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="ng-world-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        for dirpath, dirnames, _ in os.walk(root):
            for name in dirnames:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(dirpath, name), 0o755, follow_symlinks=False)
        shutil.rmtree(root, ignore_errors=True)


def strings_in(*values: Any) -> Iterator[str]:
    """Every str inside ``values`` (dict keys and values, lists, tuples), recursively."""
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from strings_in(*value.keys(), *value.values())
        elif isinstance(value, (list, tuple)):
            yield from strings_in(*value)


# --------------------------------------------------------------------------- a store of flagged attributions

#: ``flags_db``'s attributions of its English article: (source, cue, content, kind, confidence, statement,
#: negated, frame, category).
FLAGGED = [
    ("Ann Lee", "said", "We will build the bridge.", "direct", 0.9, True, False, "quote", "speech"),
    ("Bo Chan", "claimed", "the money had run out", "indirect", 0.3, True, False, "clause", "speech"),
    ("Cy Dunn", "declined to say", "whether the bridge would open", "indirect", 0.9, True, True, "question",
     "speech"),
    ("Dee Fox", "believes", "the plan is sound", "indirect", 0.8, False, False, "clause", "belief"),
    ("Ann Lee", "added", "Work starts in May.", "mixed", 0.5, True, False, "quote", "speech"),
]


def flags_db(path: Any) -> Any:
    """A store with one analysed English article carrying ``FLAGGED`` (one attribution of each sort:
    shown, below 0.5, negated, not a statement, exactly 0.5), and four articles that were not
    analysed: ru and de (no pipeline), one stored with --no-analyze, one whose analysis failed."""
    from newsgraph.ids import article_id
    from newsgraph.store import open_store
    from newsgraph.types import AnalysisStatus, Article, Attribution, TextSpan

    atts = []
    text = " ".join(f"{source} {cue} {content}" for source, cue, content, *_ in FLAGGED)
    for source, cue, content, kind, conf, statement, negated, frame, category in FLAGGED:
        line = f"{source} {cue} {content}"
        at = text.index(line)

        def span(piece: str, start: int, entity: str | None = None) -> TextSpan:
            i = text.index(piece, start)
            return TextSpan(i, i + len(piece), piece, entity)

        atts.append(Attribution(kind=kind, content=span(content, at), cue=span(cue, at),
                                source=span(source, at, source), confidence=conf, statement=statement,
                                negated=negated, frame=frame, category=category))
    english = Article(article_id(text), "flags.txt", None, "Bridge plans", "Flag Post", (), "2026-03-01", "en", text,
                      attributions=tuple(atts),
                      analysis=AnalysisStatus.done("en", "test_pipeline 1.0"))

    def other(i: int, language: str | None, status: AnalysisStatus) -> Article:
        body = f"Other article number {i} in {language}."
        return Article(article_id(body), f"other{i}.txt", None, f"Other {i}", "Flag Post", (), "2026-02-0" + str(i),
                       language, body, analysis=status)

    with open_store(path) as s:
        s.add_article(english, analysis="test")
        s.add_article(other(1, "ru", AnalysisStatus.skipped("analyze.no_pipeline", "no pipeline for ru", "ru")),
                      analysis="test")
        s.add_article(other(2, "de", AnalysisStatus.skipped("analyze.no_pipeline", "no pipeline for de", "de")),
                      analysis="test")
        s.add_article(other(3, "en", AnalysisStatus.skipped("analyze.skipped", "stored with --no-analyze", "en")))
        s.add_article(other(4, "en", AnalysisStatus.skipped("analyze.failed", "analysis failed: boom", "en")))
    return english


# --------------------------------------------------------------------------- articles with entities

def entities_article(text: str, *names: tuple[str, str] | tuple[str, str, tuple[str, ...]], source: str) -> Any:
    """An article whose entities are (name, type[, other surface forms]), each mentioned where it first occurs."""
    from newsgraph.ids import article_id
    from newsgraph.types import Article, Entity, TextSpan

    ents = []
    for name, etype, *more in names:
        spans = []
        for surface in (name, *(more[0] if more else ())):
            start = text.index(surface)
            spans.append(TextSpan(start, start + len(surface), surface))
        slug = name.lower().replace(" ", "-")
        ents.append(Entity(f"{etype.lower()}:{slug}", name, etype, tuple(sorted(spans, key=lambda s: s.start))))
    return Article(id=article_id(text), source=source, url=None, title=None, outlet=None, authors=(),
                   published=None, language="en", text=text, entities=tuple(ents))


# --------------------------------------------------------------------------- dates with evidence, refused pages

#: ``evidence_db``'s refused page, as the ingest log keeps it.
REFUSED = {"source": "https://news.example/tag/energy", "code": "extract.no_article",
           "message": "not an article: index (24 headline links, main text block 31 words)",
           "kind": "index", "title": "Energy – all articles", "url": "https://news.example/tag/energy",
           "published": "2026-03-01"}


def evidence_db(path: Any) -> tuple[Any, Any]:
    """A store with an article whose date has its evidence (JSON-LD, 0.97), a modified day and two
    credits (AP as a wire, an organisation), and one whose date has none recorded (as an article
    stored before schema 13); its ingest log holds a refused index page (``REFUSED``) and a binary
    file. Returns (evidenced, bare)."""
    from newsgraph.ids import article_id
    from newsgraph.store import open_store
    from newsgraph.types import Article, Failure

    text = "The four container cranes at the northern quay were back at work on Monday."
    evidenced = Article(article_id(text), "cranes.html", "https://coastline.example/cranes",
                        "Harbour cranes return to service", "Coastline Gazette", ("Ines Halvorsen",), "2026-03-02",
                        "en", text, published_source="json_ld", published_confidence=0.97, modified="2026-03-04",
                        credits=(("wire", "AP"), ("organisation", "Port Media Group")))
    text = "Dock workers said the storm was the worst they had seen in twenty years."
    bare = Article(article_id(text), "dock.txt", None, "Dock workers count the cost", "Coastline Gazette", (),
                   "2026-03-01", "en", text)
    with open_store(path) as s:
        s.add_article(evidenced)
        s.add_article(bare)
        run = s.start_run(["ingest"])
        s.log_failure(run, Failure("bad/file.bin", "input.binary", "binary input"))
        s.log_failure(run, Failure(**REFUSED))
        s.finish_run(run, {"failed": 2})
    return evidenced, bare


# --------------------------------------------------------------------------- analysed articles, by spec

def analysed_article(n: int, *, published: str | None = "2026-03-02", outlet: str | None = "Coastline Gazette",
                     language: str | None = "en", title: str | None = None, source: str | None = None,
                     quotes: tuple[tuple[Any, ...], ...] = (), events: tuple[tuple[Any, ...], ...] = (),
                     names: tuple[tuple[str, str], ...] = (), body: str = "") -> Any:
    """An analysed article built from specs, every span valid and every name an entity of the article.

    ``quotes``: ``(speaker, content[, kind, confidence, statement, negated])`` (a speaker of None:
    unresolved); ``events``: ``(actor, TYPE, target[, negated, modality, same_as])`` (the trigger is
    the type's word); ``names``: more ``(name, type)`` entities. People are PERSON, other names GPE
    unless ``names`` types them. The text is unique to ``n``."""
    from newsgraph.ids import article_id
    from newsgraph.types import AnalysisStatus, Article, Attribution, Entity, Event, TextSpan

    parts: list[str] = [f"Report number {n} from the coast."]
    if body:
        parts.append(body)
    q_at, e_at = [], []
    for spec in quotes:
        speaker, content = spec[0], spec[1]
        parts.append(f"{speaker or 'Someone'} said: \"{content}\".")
        q_at.append(len(parts) - 1)
    for spec in events:
        parts.append(f"{spec[0]} {spec[1].lower()} {spec[2]}.")
        e_at.append(len(parts) - 1)
    for name, _ in names:
        parts.append(f"{name} was named too.")
    text = " ".join(parts)
    offsets, pos = [], 0
    for p in parts:
        offsets.append(pos)
        pos += len(p) + 1

    def span(piece: str, start: int, entity: str | None = None) -> Any:
        i = text.index(piece, start)
        return TextSpan(i, i + len(piece), piece, entity)

    atts = []
    for spec, i in zip(quotes, q_at, strict=True):
        speaker, content, kind, conf, statement, negated = (*spec, *("direct", 1.0, True, False)[len(spec) - 2:])
        at = offsets[i]
        atts.append(Attribution(kind, span(content, at), cue=span("said", at),
                                source=span(speaker, at, speaker) if speaker else None, confidence=conf,
                                statement=statement, negated=negated, frame="quote", category="speech"))
    evs = []
    for spec, i in zip(events, e_at, strict=True):
        actor, etype, target, negated, modality, same_as = (*spec, *(False, "asserted", None)[len(spec) - 3:])
        at = offsets[i]
        evs.append(Event(etype, span(etype.lower(), at), actor=span(actor, at, actor), target=span(target, at, target),
                         negated=negated, modality=modality, same_as=same_as))
    types = dict(names)
    entity_names = [*(s[0] for s in quotes if s[0]), *(x for s in events for x in (s[0], s[2])), *types]
    ents = []
    for name in dict.fromkeys(entity_names):
        etype = types.get(name, "PERSON" if " " in name else "GPE")
        mentions, start = [], 0
        while (i := text.find(name, start)) >= 0:
            mentions.append(TextSpan(i, i + len(name), name))
            start = i + len(name)
        ents.append(Entity(f"{etype.lower()}:{name.lower().replace(' ', '-')}", name, etype, tuple(mentions)))
    return Article(article_id(text), source or f"report-{n}.html", f"https://coastline.example/{n}",
                   title or f"Report {n}", outlet, ("Ines Halvorsen",), published, language, text,
                   attributions=tuple(atts), entities=tuple(ents), events=tuple(evs),
                   analysis=AnalysisStatus.done(language or "en", "contract 1"))
