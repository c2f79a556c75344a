"""Newest-first reads (quotes by speaker, an actor's events, dyads) against a plain reference.

The store reads these from per-name indexes and merges them (schema 6); the
reference here sorts every stored row in Python. They must agree on every
page, for any mix of dates (undated articles last), speakers and page sizes,
and a store migrated from schema 5 must answer exactly like a fresh one.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.dyads import tally
from newsgraph.ids import article_id
from newsgraph.store import EventRow, QuoteRow, Store, open_store
from newsgraph.store.sqlite import migrations
from newsgraph.types import Article, Attribution, Entity, Event, TextSpan
from newsgraph.weeks import week_start
from tests.helpers import undo_schema_8

PEOPLE = ("Ann Lee", "Bo Chan", "Cy Dunn")
TOPICS = ("grain", "ports", "talks")
OUTLETS = ("Wire", "Ledger")
DATES = (None, "2026-01-05", "2026-01-05", "2026-02-10T08:00:00Z", "2026-03-01")


def _article(n: int, published: str | None, quotes: list[tuple[int | None, bool]],
             events: list[tuple[int, int, str | None, str]]) -> Article:
    """Article ``n``: one sentence per quote (speaker index or None = "officials"), then one per event."""
    parts: list[str] = [f"Report number {n}."]
    spans: list[tuple[int, int]] = []
    pos = len(parts[0]) + 1
    sentences = [f"{PEOPLE[s] if s is not None else 'Officials'} said that {TOPICS[(i + n) % 3]} {i} of {n} held."
                 for i, (s, _) in enumerate(quotes)]
    sentences += [f"{PEOPLE[a]} met {PEOPLE[b]} in case {i} of {n}." for i, (a, b, _, _) in enumerate(events)]
    for sent in sentences:
        spans.append((pos, pos + len(sent)))
        parts.append(sent)
        pos += len(sent) + 1
    text = " ".join(parts)
    attrs, mentions = [], {p: [] for p in PEOPLE}
    for (s, resolved), (start, _) in zip(quotes, spans, strict=False):
        name = PEOPLE[s] if s is not None else "Officials"
        src = TextSpan(start, start + len(name), name, name if (s is not None and resolved) else None)
        cue_at = start + len(name) + 1
        content_at = cue_at + len("said ")
        end = text.index(" held.", content_at) + len(" held")
        attrs.append(Attribution("indirect", TextSpan(content_at, end, text[content_at:end]),
                                 TextSpan(cue_at, cue_at + 4, "said"), src))
        if s is not None:
            mentions[name].append(TextSpan(start, start + len(name), name))
    evs = []
    for (a, b, date, etype), (start, _) in zip(events, spans[len(quotes):], strict=True):
        actor, target = PEOPLE[a], PEOPLE[b]
        t_at = start + len(actor) + 1
        g_at = t_at + len("met ")
        evs.append(Event(etype, TextSpan(t_at, t_at + 3, "met"), TextSpan(start, start + len(actor), actor, actor),
                         TextSpan(g_at, g_at + len(target), target, target), date=date))
        mentions[actor].append(TextSpan(start, start + len(actor), actor))
        mentions[target].append(TextSpan(g_at, g_at + len(target), target))
    ents = tuple(Entity("person:" + p.lower().replace(" ", "-"), p, "PERSON", tuple(m))
                 for p, m in mentions.items() if m)
    return Article(id=article_id(text), source=f"n{n}.txt", url=None, title=f"Report {n}", outlet=OUTLETS[n % 2],
                   authors=(), published=published, language="en", text=text, attributions=tuple(attrs),
                   entities=ents, events=tuple(evs))


articles_st = st.lists(
    st.tuples(st.sampled_from(DATES),
              st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 2)), st.booleans()), max_size=5),
              st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from((None, "2026-01-20")),
                                 st.sampled_from(("CONSULT", "THREATEN", "AID"))).filter(lambda e: e[0] != e[1]),
                       max_size=3)),
    min_size=1, max_size=12)


def _build(path: Path, spec: list) -> Store:
    store = open_store(path)
    for n, (published, quotes, events) in enumerate(spec):
        store.add_article(_article(n, published, quotes, events))
    return store


def _newest(rows: list[tuple[str | None, int, int, object]]) -> list[object]:
    """Sort (date, article seq, idx, row): dated first, newest date, newest article, then idx."""
    dated = sorted((r for r in rows if r[0]), key=lambda r: (r[0], r[1], -r[2]), reverse=True)
    undated = sorted((r for r in rows if not r[0]), key=lambda r: (r[1], -r[2]), reverse=True)
    return [r[3] for r in dated + undated]


def _reference_quotes(store: Store, speaker: str | None, *, as_written: bool = True, about: str | None = None,
                      outlet: str | None = None, since: str | None = None,
                      until: str | None = None) -> list[tuple[str, int]]:
    """Quotes whose resolved speaker is ``speaker`` (or, with ``as_written``, whose source text is)."""
    rows = []
    for seq, stored in enumerate(store.iter_articles(), start=1):
        a = stored.article
        if (outlet and a.outlet != outlet) or (since and (a.published or "") < since):
            continue
        if until and (not a.published or a.published[:10] > until):
            continue
        for idx, att in enumerate(a.attributions):
            src = att.source
            if about and about not in att.content.text.split():
                continue
            if speaker is None or src is not None and (
                    src.entity == speaker or (as_written and src.text.lower() == speaker.lower())):
                rows.append((a.published, seq, idx, (a.id, idx)))
    return _newest(rows)  # type: ignore[return-value]


def _reference_events(store: Store, actor: str, target: str | None = None) -> list[tuple[str, int]]:
    rows = []
    for seq, stored in enumerate(store.iter_articles(), start=1):
        a = stored.article
        for idx, ev in enumerate(a.events):
            if ev.actor and ev.actor.entity == actor and (target is None or (ev.target and ev.target.entity == target)):
                rows.append((ev.date or a.published, seq, idx, (a.id, ev.trigger.start)))
    return _newest(rows)  # type: ignore[return-value]


def _reference_timeline(store: Store, name: str) -> list[tuple[str, int, int, int]]:
    weeks: dict[str, list[int]] = {}
    for stored in store.iter_articles():
        a = stored.article
        w = week_start(a.published)
        if w is None:
            continue
        row = weeks.setdefault(w, [0, 0, 0])
        for e in a.entities:
            if e.name == name:
                row[0] += 1
                row[1] += len(e.mentions)
        row[2] += sum(1 for t in a.attributions if t.source is not None and t.source.entity == name)
    return [(w, *r) for w, r in sorted(weeks.items()) if any(r)]


def _q(rows: list[QuoteRow]) -> list[tuple[str, int]]:
    return [(r.article_id, r.idx) for r in rows]


def _e(rows: list[EventRow] | tuple[EventRow, ...]) -> list[tuple[str, int]]:
    return [(r.article_id, r.trigger_start) for r in rows]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=articles_st, page=st.integers(1, 4))
def test_newest_first_reads_agree_with_a_full_sort(tmp_path_factory, spec, page) -> None:
    path = tmp_path_factory.mktemp("newest") / "s.db"
    named = {PEOPLE[s] for _, quotes, _ in spec for s, _ in quotes if s is not None}
    named |= {PEOPLE[i] for _, _, events in spec for a, b, _, _ in events for i in (a, b)}
    with _build(path, spec) as store:
        for person in PEOPLE:
            want = _reference_quotes(store, person)
            got = _q(store.quotes(speaker=person, limit=1000))
            assert got == want
            pages = [_q(store.quotes(speaker=person, limit=page, offset=o)) for o in range(0, len(want) + 1, page)]
            assert [x for p in pages for x in p] == want
            for f in ({"about": "grain"}, {"outlet": "Ledger"}, {"since": "2026-02-01"}, {"until": "2026-02-10"},
                      {"about": "talks", "outlet": "Wire", "since": "2026-01-05", "until": "2026-01-05"}):
                assert _q(store.quotes(speaker=person, **f, limit=1000)) == _reference_quotes(store, person, **f)
                assert _q(store.quotes(**f, limit=1000)) == _reference_quotes(store, None, **f)
            if person not in named:
                continue  # never named in any article: not an actor
            detail = store.actor(person, limit=3)
            assert [(w.week_start, w.articles, w.mentions, w.quotes_by) for w in store.actor_timeline(person)] == \
                _reference_timeline(store, person)
            assert _q(list(detail.quotes_by)) == _reference_quotes(store, person, as_written=False)[:3]
            assert _e(detail.events_as_actor) == _reference_events(store, person)[:3]
            for other in PEOPLE:
                if other == person or other not in named:
                    continue
                _, _, ab, ba = store.dyad(person, other)
                _, _, tab, tba = store.dyad_tallies(person, other)
                assert _e(ab) == _reference_events(store, person, other)
                assert sorted(map(repr, tally(ab))) == sorted(map(repr, tab))
                assert sorted(map(repr, tally(ba))) == sorted(map(repr, tba))
                assert _e(store.dyad(person, other, limit=page)[2]) == _e(ab)[:page]


def test_quotes_by_registry_name_are_newest_first_across_aliases(tmp_path: Path) -> None:
    """Two names of one actor ("Ann Lee" and "Lee") are merged by date, not listed one after the other."""
    spec = [("2026-01-01", [(0, True)], []), ("2026-03-01", [(1, True)], []), ("2026-02-01", [(0, True)], [])]
    with _build(tmp_path / "s.db", spec) as store:
        store.merge_actors("Ann Lee", "Bo Chan")
        got = store.actor("Ann Lee").quotes_by
        assert [q.published for q in got] == ["2026-03-01", "2026-02-01", "2026-01-01"]
        assert [q.speaker for q in got] == ["Bo Chan", "Ann Lee", "Ann Lee"]


# SQLite-specific: migrates a store from an older SQLite schema (tests/helpers.undo_schema_*).
def test_schema_5_store_migrates_to_the_same_answers(tmp_path: Path) -> None:
    spec = [(d, [(i % 3, True), (None, False), ((i + 1) % 3, True)], [(i % 3, (i + 1) % 3, None, "CONSULT")])
            for i, d in enumerate(DATES * 3)]
    db = tmp_path / "old.db"
    with _build(db, spec) as store:
        before = {p: (_q(store.quotes(speaker=p)), _e(store.actor(p).events_as_actor)) for p in PEOPLE}
        tallies = store.dyad_tallies(PEOPLE[0], PEOPLE[1])
        speakers = store.top_speakers()
        timelines = [store.actor_timeline(p) for p in PEOPLE]
        conn = store._conn
        # Turn it back into a schema-5 store: no sort-key columns, the old indexes.
        for name in ("attributions_newest", "attributions_source_entity_newest", "attributions_source_text_newest",
                     "events_newest", "events_type_newest", "events_actor_newest", "events_target_newest",
                     "events_pair_newest", "actor_aliases_alias",
                     "article_entities_article_actor"):
            conn.execute(f"DROP INDEX {name}")
        for table, cols in (("attributions", ("published", "article_seq")), ("events", ("sort_date", "article_seq"))):
            for col in (*cols, "week") if table == "events" else cols:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
        conn.execute("CREATE INDEX attributions_source_entity_exact ON attributions (source_entity)")
        conn.execute("CREATE INDEX events_actor_exact ON events (actor_entity)")
        conn.execute("CREATE INDEX events_target_exact ON events (target_entity)")
        conn.execute("CREATE INDEX events_type ON events (type, date)")
        conn.execute("DROP TABLE dyad_weeks")
        conn.execute("DROP TABLE speaker_counts")
        conn.execute("DROP TABLE name_weeks")
        conn.execute("DROP TABLE story_bands")  # schema 7 goes too: it is applied again after 6
        conn.execute("DROP TABLE story_signatures")
        undo_schema_8(conn)
        conn.execute("DELETE FROM schema_migrations WHERE version >= 6")
        conn.execute("PRAGMA user_version = 5")
    with open_store(db) as store:
        assert store.schema_version == migrations()[-1][0] >= 12
        after = {p: (_q(store.quotes(speaker=p)), _e(store.actor(p).events_as_actor)) for p in PEOPLE}
        # The migration computes weeks in SQL, new rows get them from newsgraph.weeks: same answer.
        assert store.dyad_tallies(PEOPLE[0], PEOPLE[1]) == tallies and tallies[2]
        assert store.top_speakers() == speakers and speakers
        assert [store.actor_timeline(p) for p in PEOPLE] == timelines and all(timelines)
    assert after == before and all(q for q, _ in before.values())


def test_dyad_of_a_merged_actor_reads_every_name_pair_newest_first(tmp_path: Path) -> None:
    spec = [("2026-01-05", [], [(0, 2, None, "CONSULT")]), ("2026-03-01", [], [(1, 2, None, "THREATEN")]),
            ("2026-02-10", [], [(0, 2, None, "AID"), (2, 1, None, "REJECT")])]
    with _build(tmp_path / "s.db", spec) as store:
        store.merge_actors("Ann Lee", "Bo Chan")
        _, _, ab, ba = store.dyad("Ann Lee", "Cy Dunn")
        assert [(e.actor, e.type) for e in ab] == [("Bo Chan", "THREATEN"), ("Ann Lee", "AID"), ("Ann Lee", "CONSULT")]
        assert [(e.actor, e.target, e.type) for e in ba] == [("Cy Dunn", "Bo Chan", "REJECT")]
        assert [e.type for e in store.dyad("Ann Lee", "Cy Dunn", limit=2)[2]] == ["THREATEN", "AID"]
        _, _, tab, _ = store.dyad_tallies("Ann Lee", "Cy Dunn")
        assert sorted(map(repr, tab)) == sorted(map(repr, tally(ab)))


def test_top_speakers_count_every_quote_to_any_of_an_actors_names(tmp_path: Path) -> None:
    spec = [("2026-01-05", [(0, True), (0, True), (1, True), (None, False)], []),
            ("2026-02-05", [(1, True), (2, True), (0, False)], []),
            ("2026-03-05", [(2, True), (2, True), (2, True)], [])]
    with _build(tmp_path / "s.db", spec) as store:
        got = [(s.name, s.n_quotes) for s in store.top_speakers()]
        # "Officials" and the unresolved "Ann Lee" (no entity) are not counted.
        assert got == [("Cy Dunn", 4), ("Ann Lee", 2), ("Bo Chan", 2)]
        for s in store.top_speakers():
            assert s.n_quotes == len(store.actor(s.key, limit=1000).quotes_by)
        store.merge_actors("Ann Lee", "Bo Chan")
        assert [(s.name, s.n_quotes) for s in store.top_speakers()] == [("Ann Lee", 4), ("Cy Dunn", 4)]
        assert [(s.name, s.n_quotes) for s in store.top_speakers(limit=1)] == [("Ann Lee", 4)]


def test_date_ranges_include_both_days(tmp_path: Path) -> None:
    """until is a day: a timestamp later that day is in; the next day is out; undated rows never match a range."""
    spec = [("2026-01-05", [(0, True)], [(0, 1, None, "CONSULT")]),
            ("2026-02-10T08:00:00Z", [(0, True)], [(0, 1, None, "AID")]),
            ("2026-02-11", [(0, True)], [(0, 1, "2026-01-20", "THREATEN")]),
            (None, [(0, True)], [(0, 1, None, "REJECT")])]
    with _build(tmp_path / "s.db", spec) as store:
        def pub(rows):
            return [r.published for r in rows]

        assert pub(store.list_articles(until="2026-02-10")) == ["2026-02-10T08:00:00Z", "2026-01-05"]
        assert pub(store.list_articles(since="2026-02-10", until="2026-02-10")) == ["2026-02-10T08:00:00Z"]
        assert pub(store.quotes(since="2026-01-06", until="2026-02-11")) == ["2026-02-11", "2026-02-10T08:00:00Z"]
        # Events use their own date first: the THREATEN of an article published 11 Feb happened on 20 Jan.
        assert [e.type for e in store.events(until="2026-01-31")] == ["THREATEN", "CONSULT"]
        assert [e.type for e in store.events(since="2026-02-01")] == ["AID"]
        assert len(store.list_articles()) == 4 and len(store.events()) == 4
