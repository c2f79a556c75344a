"""Contract: alerts (``store.alerts``): saved filters, each match recorded once, on each backend."""

from __future__ import annotations

import pytest

from newsgraph.errors import NotFound, StoreError
from newsgraph.ids import article_id
from newsgraph.store import Store, alerts
from newsgraph.store.alerts import AlertFilters
from newsgraph.types import Article, Attribution, Event, TextSpan


def span(text: str, body: str, entity: str | None = None) -> TextSpan:
    start = body.index(text)
    return TextSpan(start, start + len(text), text, entity)


def art(i: int, *, speaker: str = "Rasa Daukante", words: str = "the pipeline will open", ev: str = "THREATEN",
        actor: str = "Ostrovia", target: str = "Meridan", outlet: str = "Ledger") -> Article:
    body = (f"{speaker} said that {words} soon, in report {i}. {actor} threatened {target} over the "
            f"border on day {i}, officials said.")
    quote = Attribution("indirect", span(words, body), span("said", body), span(speaker, body, speaker),
                        confidence=0.9)
    event = Event(ev, span("threatened", body), span(actor, body), span(target, body))
    return Article(article_id(body), f"s{i}.html", None, f"Report {i}", outlet, (), "2026-03-01", "en", body,
                   attributions=(quote,), events=(event,))


def test_an_alert_sees_what_comes_after_it_each_match_once(store: Store) -> None:
    store.add_article(art(0))  # before the alert: not a hit
    assert alerts.add(store, "lavrov", AlertFilters(speaker="Rasa Daukante", about="pipeline")) is True
    assert alerts.add(store, "lavrov", AlertFilters()) is False
    alerts.add(store, "threats", AlertFilters(event_type="threaten", actor="Ostrovia", target="Meridan"))
    alerts.add(store, "ledger", AlertFilters(outlet="Ledger", query="border"))
    store.add_article(art(1))
    store.add_article(art(2, speaker="Someone Else", actor="Valdavia", outlet="Wire"))
    assert alerts.check(store) == 3  # lavrov, threats, ledger: art 1 each (art 2: another speaker, actor, outlet)
    assert alerts.check(store) == 0  # checked again: nothing twice
    _, lav = alerts.hits(store, "lavrov")
    _, thr = alerts.hits(store, "threats")
    _, led = alerts.hits(store, "ledger")
    a1 = art(1).id
    assert [(h.kind, h.ref) for h in lav] == [("attribution", f"{a1}#a0")]
    assert [(h.kind, h.ref) for h in thr] == [("event", f"{a1}#e0")]
    assert [(h.kind, h.ref) for h in led] == [("article", a1)]
    store.add_article(art(3))
    assert alerts.check(store) == 3
    assert [h.ref for h in alerts.hits(store, "threats")[1]] == [f"{art(3).id}#e0", f"{a1}#e0"]  # newest first
    assert [a.name for a in alerts.listed(store)] == ["lavrov", "ledger", "threats"]
    assert alerts.remove(store, "lavrov") and not alerts.remove(store, "lavrov")
    with pytest.raises(NotFound):
        alerts.hits(store, "lavrov")


def test_an_alert_matches_one_of_its_filters_each(store: Store) -> None:
    alerts.add(store, "confident", AlertFilters(min_confidence=0.95))
    alerts.add(store, "german", AlertFilters(language="de"))
    store.add_article(art(1))
    assert alerts.check(store) == 0


@pytest.mark.parametrize("name, filters", [("", AlertFilters()), ("a/b", AlertFilters()),
                                           ("x", AlertFilters(min_confidence=2.0))])
def test_bad_alerts_are_refused(store: Store, name: str, filters: AlertFilters) -> None:
    with pytest.raises(StoreError) as ei:
        alerts.add(store, name, filters)
    assert ei.value.code == "store.invalid"
    assert alerts.listed(store) == []


def test_an_alerts_atom_feed_reads_in_a_feed_library_with_anchored_links(store: Store) -> None:
    import feedparser

    from newsgraph.alert_atom import alert_feed

    alerts.add(store, "threats", AlertFilters(event_type="THREATEN"))
    alerts.add(store, "quotes <&>", AlertFilters(speaker="Rasa Daukante"))
    for i in (1, 2):
        store.add_article(art(i))
    alerts.check(store)
    parsed = feedparser.parse(alert_feed(store, "threats", "http://news.example:8000/"))
    assert parsed.bozo == 0 and parsed.feed.title == "newsgraph alert: threats"
    assert [e.title for e in parsed.entries] == ["THREATEN: Ostrovia → Meridan"] * 2
    assert [e.link for e in parsed.entries] == [f"http://news.example:8000/article/{art(i).id}#e-0" for i in (2, 1)]
    assert len({e.id for e in parsed.entries}) == 2
    again = feedparser.parse(alert_feed(store, "threats", "http://news.example:8000"))
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries]  # stable ids
    quotes = feedparser.parse(alert_feed(store, "quotes <&>", "http://x.example"))
    assert quotes.bozo == 0 and quotes.entries[0].title == "Rasa Daukante: the pipeline will open"
    assert quotes.entries[0].link.endswith("?all=1#a-0")
    with pytest.raises(NotFound):
        alert_feed(store, "nope", "http://x.example")


def test_a_story_picked_up_by_another_outlet_is_one_hit_per_article(store: Store) -> None:
    from tests.store_contract.test_stories_runs import WIRE, story

    original = story(WIRE, "wire.html", "Wire", "2026-03-01")
    store.add_article(original)
    assert alerts.add(store, "ferries", AlertFilters(story=original.id[:10]))  # a prefix, as `show` takes
    assert alerts.listed(store)[0].filters == f'{{"story": "{original.id}"}}'
    elsewhere = story(WIRE.rsplit(" Passenger", 1)[0] + " (Reporting by the desk)", "a.html", "Harbour Times",
                      "2026-03-02")
    same_outlet = story("UPDATE: " + WIRE, "w2.html", "Wire", "2026-03-02")
    unrelated = art(7, outlet="Harbour Times")
    for a in (elsewhere, same_outlet, unrelated):
        store.add_article(a)
    assert alerts.check(store) == 1 and alerts.check(store) == 0
    (hit,) = alerts.hits(store, "ferries")[1]
    assert (hit.kind, hit.ref) == ("story", elsewhere.id)
