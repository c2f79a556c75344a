"""Attributions in the store: written with the article, read back exactly, queryable."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsgraph.ids import article_id
from newsgraph.store import Store, open_store
from newsgraph.types import Article, Attribution, TextSpan

TEXT_A = ("Maria Lindqvist said on Monday that the pipeline would reopen in March.\n\n"
          "“We will not wait another winter,” she told reporters in Riga.")
TEXT_B = ("The ministry said, according to Baltic Wire, that grain exports had doubled.\n\n"
          "Tomas Berzins warned that port fees were too high.")


def span(text: str, piece: str, entity: str | None = None) -> TextSpan:
    start = text.index(piece)
    return TextSpan(start, start + len(piece), piece, entity)


def article(text: str, attrs: tuple[Attribution, ...], *, outlet: str, published: str, source: str) -> Article:
    return Article(id=article_id(text), source=source, url=None, title=text[:20], outlet=outlet,
                   authors=(), published=published, language="en", text=text, attributions=attrs)


def attrs_a() -> tuple[Attribution, ...]:
    t = TEXT_A
    return (
        Attribution("indirect", span(t, "that the pipeline would reopen in March"), span(t, "said"),
                    span(t, "Maria Lindqvist", "Maria Lindqvist")),
        Attribution("direct", span(t, "“We will not wait another winter,”"), span(t, "told"),
                    span(t, "she", "Maria Lindqvist"), content_spans=((74, 80), (81, 90)), confidence=0.8),
    )


def attrs_b() -> tuple[Attribution, ...]:
    t = TEXT_B
    return (
        Attribution("indirect", span(t, "that grain exports had doubled"), span(t, "said"),
                    span(t, "The ministry"), via=span(t, "Baltic Wire", "Baltic Wire")),
        Attribution("indirect", span(t, "that port fees were too high"), span(t, "warned"),
                    span(t, "Tomas Berzins", "Tomas Berzins")),
    )


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "q.db")
    s.add_article(article(TEXT_A, attrs_a(), outlet="Baltic Ledger", published="2026-03-02", source="a.txt"))
    s.add_article(article(TEXT_B, attrs_b(), outlet="Danube Wire", published="2026-01-15", source="b.txt"))
    yield s
    s.close()


def test_attributions_round_trip_exactly(store: Store) -> None:
    got = store.get_article(article_id(TEXT_A)).article.attributions
    assert got == attrs_a()
    for a in got:  # every stored span still points at its characters
        for s in (a.content, a.cue, a.source):
            assert TEXT_A[s.start:s.end] == s.text
    exported = {s.article.id: s.article.attributions for s in store.iter_articles()}
    assert exported[article_id(TEXT_B)] == attrs_b()


def test_quotes_by_speaker_canonical_or_as_written(store: Store) -> None:
    rows = store.quotes(speaker="lindqvist")
    assert [r.kind for r in rows] == ["indirect", "direct"]
    assert {r.speaker for r in rows} == {"Maria Lindqvist"}
    assert rows[1].source_text == "she"
    assert [r.speaker for r in store.quotes(speaker="ministry")] == ["The ministry"]
    assert store.quotes(speaker="nobody") == []


def test_quotes_about_outlet_since_and_via(store: Store) -> None:
    assert [r.content_text for r in store.quotes(about="winter")] == ["“We will not wait another winter,”"]
    assert [r.via for r in store.quotes(about="grain")] == ["Baltic Wire"]
    assert {r.outlet for r in store.quotes(outlet="danube wire")} == {"Danube Wire"}
    assert {r.article_id for r in store.quotes(since="2026-02-01")} == {article_id(TEXT_A)}
    # Newest article first, then in text order.
    assert [r.outlet for r in store.quotes()] == ["Baltic Ledger"] * 2 + ["Danube Wire"] * 2
    # A broken topic query falls back to plain words instead of failing.
    assert store.quotes(about='"port fees (')[0].speaker == "Tomas Berzins"


def test_reingest_with_analysis_fills_attributions_once(tmp_path: Path) -> None:
    s = open_store(tmp_path / "r.db")
    plain = article(TEXT_A, (), outlet="Baltic Ledger", published="2026-03-02", source="a.txt")
    assert s.add_article(plain) == "new"
    assert s.get_article(plain.id).article.attributions == ()
    analysed = dataclasses.replace(plain, attributions=attrs_a())
    assert s.add_article(analysed) == "analysed"
    assert s.get_article(plain.id).article.attributions == attrs_a()
    assert s.add_article(analysed) == "duplicate"
    assert len(s.quotes()) == 2
    s.close()


def test_entities_round_trip_with_their_mentions(tmp_path: Path) -> None:
    from newsgraph.types import Entity

    t = TEXT_A
    ents = (Entity("person:maria-lindqvist", "Maria Lindqvist", "PERSON",
                   (span(t, "Maria Lindqvist"), span(t, "she"))),
            Entity("gpe:riga", "Riga", "GPE", (span(t, "Riga"),)))
    s = open_store(tmp_path / "e.db")
    a = dataclasses.replace(article(TEXT_A, attrs_a(), outlet="Baltic Ledger", published="2026-03-02",
                                    source="a.txt"), entities=ents)
    s.add_article(a)
    got = s.get_article(a.id).article
    assert got.entities == ents
    assert [e.entities for e in (st.article for st in s.iter_articles())] == [ents]
    s.close()


def test_events_round_trip_and_filters(tmp_path: Path) -> None:
    from newsgraph.types import Event

    t = TEXT_B
    evs = (Event("ACCUSE", span(t, "warned"), actor=span(t, "Tomas Berzins", "Tomas Berzins"),
                 target=None, modality="asserted", date="2026-01-14"),
           Event("REQUEST", span(t, "said"), actor=span(t, "The ministry", "Baltic ministry"),
                 target=span(t, "Baltic Wire", "Baltic Wire"), negated=True, modality="reported", attribution=0))
    s = open_store(tmp_path / "v.db")
    a = dataclasses.replace(article(TEXT_B, attrs_b(), outlet="Danube Wire", published="2026-01-15",
                                    source="b.txt"), events=evs)
    s.add_article(a)
    assert s.get_article(a.id).article.events == evs
    assert [r.type for r in s.events(actor="berzins")] == ["ACCUSE"]
    assert [r.type for r in s.events(target="wire")] == ["REQUEST"]
    assert [r.negated for r in s.events(type="request")] == [True]
    # `since` uses the event's own date when it has one, else the article's.
    assert [r.type for r in s.events(since="2026-01-15")] == ["REQUEST"]
    assert len(s.events(since="2026-01-14")) == 2
    row = s.events(actor="berzins")[0]
    assert TEXT_B[row.trigger_start:row.trigger_end] == row.trigger == "warned"
    s.close()


def test_an_events_object_and_a_repeated_mention_are_kept_and_not_listed_twice(tmp_path: Path) -> None:
    """Schema 12: what an event is about (a thing, never an entity) is stored with it, and a mention
    that refers back to an earlier event of its article (``same_as``) is kept on the article but not
    listed as a second event."""
    from newsgraph.types import Event

    t = TEXT_B
    evs = (Event("ACCUSE", span(t, "warned"), actor=span(t, "Tomas Berzins", "Tomas Berzins"),
                 object=span(t, "Baltic Wire")),
           Event("ACCUSE", span(t, "said"), same_as=0))
    s = open_store(tmp_path / "o.db")
    a = dataclasses.replace(article(TEXT_B, attrs_b(), outlet="Danube Wire", published="2026-01-15",
                                    source="b.txt"), events=evs)
    s.add_article(a)
    assert s.get_article(a.id).article.events == evs
    rows = s.events(type="ACCUSE")
    assert [(r.trigger, r.object) for r in rows] == [("warned", "Baltic Wire")]
    s.close()


# SQLite-specific: migrates a store from an older SQLite schema (tests/helpers.undo_schema_*).
def test_a_store_from_before_schema_12_keeps_its_events(tmp_path: Path) -> None:
    from newsgraph.store.sqlite import migrations
    from newsgraph.types import Event
    from tests.helpers import undo_schema_12

    t = TEXT_B
    ev = Event("ACCUSE", span(t, "warned"), actor=span(t, "Tomas Berzins", "Tomas Berzins"))
    db = tmp_path / "old.db"
    a = dataclasses.replace(article(TEXT_B, attrs_b(), outlet="Danube Wire", published="2026-01-15", source="b.txt"),
                            events=(ev,))
    with open_store(db) as s:
        s.add_article(a)
        undo_schema_12(s._conn)
        assert s.schema_version == 11
    with open_store(db) as s:
        assert s.schema_version == migrations()[-1][0] >= 12
        assert s.get_article(a.id).article.events == (ev,)
        assert [r.object for r in s.events()] == [None]
