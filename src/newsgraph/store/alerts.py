"""Alerts: saved searches over what is stored from now on, each match recorded once.

An alert is a name and a set of filters (``AlertFilters``), the store's own: a full-text
``query`` (the store's search engine and syntax, as ``newsgraph search``), ``outlet``,
``language``; ``speaker``, ``about`` (words of the quote) and ``min_confidence`` for quotes;
``actor``, ``target`` (both: a dyad) and ``event_type`` for events; ``story`` (an article id) for
its story picked up by another outlet (``Store.same_story``: a new article of (nearly) the same
text from another outlet). What it matches follows from them: the story when one is set, else
events when an event filter is set, else attributions when a quote filter is set, else articles. Speaker, actor and target names go through the actor registry (an actor's aliases
match), as the views resolve them.

``check(store)`` looks at the articles stored since each alert last looked (its ``last_seq``,
in batches of ``BATCH``), and records a hit per matching article / attribution / event, with the
new ``last_seq``, in one transaction per batch; a hit's key (alert, kind, ref) is unique, so a
check repeated after a crash, or run by two processes, never records one twice. An alert starts
at the newest article stored when it is added: it is about what comes next. ``newsgraph watch``
runs ``check`` after every poll that stored something.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from newsgraph.errors import NotFound, StoreError
from newsgraph.store.backend import AlertHitRecord, AlertRecord
from newsgraph.store.rows import StoredArticle
from newsgraph.store.values import now
from newsgraph.types import Attribution, Event, TextSpan

#: Articles read at a time by ``check``.
BATCH = 200


@dataclass(frozen=True, slots=True)
class AlertFilters:
    query: str | None = None
    outlet: str | None = None
    language: str | None = None
    speaker: str | None = None
    about: str | None = None
    min_confidence: float | None = None
    actor: str | None = None
    target: str | None = None
    event_type: str | None = None
    story: str | None = None  # an article's id: its story stored by another outlet

    @property
    def kind(self) -> str:
        """What the alert matches: ``story``, ``event``, ``attribution`` or ``article``."""
        if self.story:
            return "story"
        if self.actor or self.target or self.event_type:
            return "event"
        if self.speaker or self.about or self.min_confidence is not None:
            return "attribution"
        return "article"

    def as_json(self) -> str:
        return json.dumps({k: v for k, v in dataclasses.asdict(self).items() if v is not None}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AlertFilters:
        data = json.loads(text or "{}")
        return cls(**{f.name: data.get(f.name) for f in dataclasses.fields(cls)})


def _backend(store: Any) -> Any:
    return store.backend


def add(store: Any, name: str, filters: AlertFilters, *, webhook: str | None = None,
        secret: str | None = None) -> bool:
    """Save an alert (False: the name is taken, nothing changed); it looks at what comes next.
    With a ``webhook`` (an http(s) URL) each hit is POSTed there (``newsgraph.alert_delivery``),
    signed with ``secret`` (HMAC-SHA256; a random one when not given: read it with ``alert``)."""
    import secrets

    from newsgraph.store.feeds import check_url

    name = name.strip()
    if not name or "/" in name:
        raise StoreError(f"bad alert name {name!r} (not empty, no '/')", code="store.invalid")
    if filters.min_confidence is not None and not 0 <= filters.min_confidence <= 1:
        raise StoreError("min_confidence is between 0 and 1", code="store.invalid")
    if filters.query:
        store.search(filters.query, limit=1)  # the store's own syntax check: store.bad_query
    if filters.story:  # an id or its first digits, as `newsgraph show` takes it
        filters = dataclasses.replace(filters, story=store.get_article(filters.story).article.id)
    if webhook is not None:
        webhook = check_url(webhook)
        secret = secret or secrets.token_hex(32)
    with _backend(store).write(f"cannot add alert {name!r}") as w:
        return bool(w.add_alert(AlertRecord(name, filters.as_json(), now(), w.last_article_seq(), webhook,
                                            secret if webhook else None)))


def alert(store: Any, name: str) -> AlertRecord:
    with _backend(store).read(f"cannot read alert {name!r}") as r:
        found = r.alert(name)
    if found is None:
        raise NotFound(f"no alert named {name!r}")
    return found


def remove(store: Any, name: str) -> bool:
    with _backend(store).write(f"cannot remove alert {name!r}") as w:
        return bool(w.remove_alert(name))


def listed(store: Any) -> list[AlertRecord]:
    with _backend(store).read("cannot list alerts") as r:
        return list(r.alerts())


def hits(store: Any, name: str, *, limit: int = 50) -> tuple[AlertRecord, list[AlertHitRecord]]:
    with _backend(store).read(f"cannot read alert {name!r}") as r:
        alert = r.alert(name)
        if alert is None:
            raise NotFound(f"no alert named {name!r}")
        return alert, list(r.alert_hits(name, limit))


def check(store: Any) -> int:
    """Record the hits of every alert among the articles stored since it last looked; how many."""
    total = 0
    for alert in listed(store):
        total += _check_one(store, alert)
    return total


def _check_one(store: Any, alert: AlertRecord) -> int:
    filters = AlertFilters.from_json(alert.filters)
    names = _Lookups(store)
    total, after = 0, alert.last_seq
    while True:
        with _backend(store).read(f"cannot read articles for alert {alert.name!r}") as r:
            batch = r.article_batch(after, BATCH)
            in_query = _query_seqs(r, filters.query, after, batch[-1][0]) if batch and filters.query else None
        if not batch:
            return total
        found = [hit for seq, stored in batch if in_query is None or seq in in_query
                 for hit in matches(filters, stored, names)]
        after = batch[-1][0]
        with _backend(store).write(f"cannot record the hits of alert {alert.name!r}") as w:
            total += w.add_alert_hits(alert.name, found, now(), after, "pending" if alert.webhook else None)


def _query_seqs(r: Any, query: str, lo: int, hi: int) -> set[int]:
    return {int(s) for s in r.search_seqs(query) if lo < int(s) <= hi}


class _Lookups:
    """What matching asks the store, once per check: a name's actor's aliases (casefolded), a
    story's outlet, the articles with a new article's text (``Store.same_story``)."""

    def __init__(self, store: Any) -> None:
        self.store, self.cache = store, {}  # type: ignore[var-annotated]
        self.outlets: dict[str, str | None] = {}

    def outlet_of(self, article_id: str) -> str | None:
        if article_id not in self.outlets:
            try:
                self.outlets[article_id] = self.store.get_article(article_id).article.outlet
            except NotFound:
                self.outlets[article_id] = None
        return self.outlets[article_id]

    def same_story(self, article_id: str) -> set[str]:
        return {row.id for row in self.store.same_story(article_id, limit=100)}

    def of(self, name: str) -> frozenset[str]:
        if name not in self.cache:
            names = {name}
            try:
                names |= set(self.store.actor(name, limit=1).actor.aliases)
            except (NotFound, StoreError):
                pass
            self.cache[name] = frozenset(n.casefold() for n in names)
        return self.cache[name]  # type: ignore[no-any-return]


def _named(span: TextSpan | None, names: frozenset[str]) -> bool:
    return span is not None and bool({(span.entity or "").casefold(), span.text.casefold()} & names)


def matches(f: AlertFilters, stored: StoredArticle, names: Any) -> list[tuple[str, str, str]]:
    """``(kind, ref, article_id)`` of what ``f`` matches in one stored article (its query checked)."""
    a = stored.article
    if f.outlet and (a.outlet or "").casefold() != f.outlet.casefold():
        return []
    if f.language and (a.language or "").casefold() != f.language.casefold():
        return []
    if f.kind == "story":
        original = names.outlet_of(f.story)
        other_outlet = (a.outlet or "").casefold() != (original or "").casefold()
        return [("story", a.id, a.id)] if a.id != f.story and other_outlet and f.story in names.same_story(a.id) \
            else []
    if f.kind == "event":
        return [("event", f"{a.id}#e{i}", a.id) for i, ev in enumerate(a.events)
                if ev.same_as is None and _event_ok(f, ev, names)]
    if f.kind == "attribution":
        return [("attribution", f"{a.id}#a{i}", a.id) for i, at in enumerate(a.attributions)
                if _quote_ok(f, at, names)]
    return [("article", a.id, a.id)]


def _event_ok(f: AlertFilters, ev: Event, names: Any) -> bool:
    return ((not f.event_type or ev.type.upper() == f.event_type.upper())
            and (not f.actor or _named(ev.actor, names.of(f.actor)))
            and (not f.target or _named(ev.target, names.of(f.target))))


def _quote_ok(f: AlertFilters, at: Attribution, names: Any) -> bool:
    if f.min_confidence is not None and at.confidence < f.min_confidence:
        return False
    if f.speaker and not _named(at.source, names.of(f.speaker)):
        return False
    if f.about:
        content = at.content.text.casefold()
        return all(word.casefold() in content for word in f.about.split())
    return True
