"""An alert's hits as an Atom 1.0 feed (RFC 4287), for any feed reader: ``alert_feed(store, name, base)``;
``hit_title`` and ``entry_link`` say what a hit is and where it points (the alerts page uses them too).

One ``<entry>`` per hit, newest first (at most ``limit``): its id is stable across restarts and
re-renders (``tag:newsgraph,2026:alert/NAME/REF``, the hit's unique key), ``updated`` is when the
hit was recorded, the title says what matched (the article's title; for a quote "Speaker: content",
for an event "TYPE: actor → target"), and the link goes to the article page of ``newsgraph serve``
with the match anchored (``/article/ID?all=1#a-N`` for a quote: ``all=1`` marks every attribution,
so the anchor exists whatever its confidence; ``#e-N`` for an event). Built with lxml, so every
text is escaped. A route such as ``/alerts/NAME.atom`` serves it (``newsgraph serve``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from newsgraph.store import alerts
from newsgraph.store.backend import AlertHitRecord

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in one rendering of an alert's feed.
LIMIT = 100


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def entry_link(base: str, hit: AlertHitRecord) -> str:
    """The article page, with the matched quote or event anchored."""
    page = f"{base.rstrip('/')}/article/{hit.article_id}"
    if "#" not in hit.ref:
        return page
    index = hit.ref.rsplit("#", 1)[1][1:]
    return f"{page}?all=1#a-{index}" if hit.kind == "attribution" else f"{page}#e-{index}"


def hit_title(store: Any, hit: AlertHitRecord) -> tuple[str, str | None]:
    """``(title, summary)`` of a hit, as its Atom entry and the alerts page show it: what matched
    ("Speaker: content", "TYPE: actor → target", or the article's title) and the article's title
    (or outlet); ``kind ref`` alone when the article is gone."""
    try:
        a = store.get_article(hit.article_id).article
    except Exception:  # noqa: BLE001 - a hit outlives a merged or deleted article
        return f"{hit.kind} {hit.ref}", None
    title = a.title or a.id
    index = int(hit.ref.rsplit("#", 1)[1][1:]) if "#" in hit.ref else None
    if index is not None and hit.kind == "attribution" and index < len(a.attributions):
        at = a.attributions[index]
        speaker = (at.source.entity or at.source.text) if at.source else "unattributed"
        return f"{speaker}: {at.content.text}", title
    if index is not None and hit.kind == "event" and index < len(a.events):
        ev = a.events[index]
        actor = (ev.actor.entity or ev.actor.text) if ev.actor else "?"
        target = (ev.target.entity or ev.target.text) if ev.target else "?"
        return f"{ev.type}: {actor} → {target}", title
    return title, a.outlet


def alert_feed(store: Any, name: str, base: str, *, limit: int = LIMIT) -> bytes:
    """The Atom document of alert ``name`` (``NotFound`` when there is none); ``base``: the
    server's root URL, for links."""
    from lxml import etree

    alert, hits = alerts.hits(store, name, limit=limit)
    base = base.rstrip("/")
    feed = etree.Element(_tag("feed"), nsmap={None: ATOM})
    etree.SubElement(feed, _tag("id")).text = f"tag:newsgraph,2026:alert/{quote(name, safe='')}"
    etree.SubElement(feed, _tag("title")).text = f"newsgraph alert: {name}"
    etree.SubElement(feed, _tag("subtitle")).text = alert.filters
    etree.SubElement(feed, _tag("updated")).text = hits[0].created_at if hits else alert.created_at
    etree.SubElement(feed, _tag("link"), rel="self", href=f"{base}/alerts/{quote(name, safe='')}.atom")
    author = etree.SubElement(feed, _tag("author"))
    etree.SubElement(author, _tag("name")).text = "newsgraph"
    for hit in hits:
        title, summary = hit_title(store, hit)
        entry = etree.SubElement(feed, _tag("entry"))
        etree.SubElement(entry, _tag("id")).text = (f"tag:newsgraph,2026:alert/{quote(name, safe='')}/"
                                                    f"{quote(hit.ref, safe='')}")
        etree.SubElement(entry, _tag("title")).text = title
        etree.SubElement(entry, _tag("updated")).text = hit.created_at
        etree.SubElement(entry, _tag("link"), rel="alternate", type="text/html", href=entry_link(base, hit))
        etree.SubElement(entry, _tag("category"), term=hit.kind)
        if summary:
            etree.SubElement(entry, _tag("summary")).text = summary
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))
