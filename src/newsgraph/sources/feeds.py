"""RSS/Atom/RDF feeds: entries -> the article each one links to.

``parse_feed`` parses feed bytes with feedparser (never given a ``str``, so
feedparser never fetches anything itself) and returns the feed's title and
its entries as ``FeedEntry(index, link, meta)``:

* ``link``: the entry's ``link`` (or ``feedburner:origLink``, or an
  http(s) ``id``/guid), resolved against the feed's URL (or, for a feed read from a file,
  the feed's own ``<link>``);
* ``meta``: ``title``, ``published`` (``YYYY-MM-DD`` in the publisher's
  own time zone, from the entry's published date) or else ``updated`` (its
  updated date: weaker evidence, see ``newsgraph.extract.dates.with_container``), ``authors`` (list of names), ``feed_title``
  (the feed's title as given: the outlet only when the page names none, ``extract.outlets.feed_outlet``) and ``feed`` (the feed's source, rendered as ``gate.clean_name``
  renders sources) -- fallbacks for extraction. Like every str leaving the
  sources layer, entry fields are cleaned on the way out (``iter_raw``): a
  lone surrogate becomes U+FFFD.

``iter_feed`` turns entries into items: each link is fetched through the
shared ``Fetcher`` (``skip_source(link)`` is asked first), and the page
becomes a ``RawDocument(source=link, url=<final URL>, meta=<entry meta>)``.
A feed found inside a feed is not followed (``fetch.content_type``).

Failures: unparseable XML with no entries, or not a feed at all ->
``feed.malformed`` for the feed; an entry without a usable link ->
``feed.malformed`` with source ``<feed source>#entry<N>`` (N from 1; an
entry cut in the middle has no link); fetch problems -> the
``fetch.*``/``input.*`` code for that entry. A feed cut off between two
entries (its XML ends before the closing tags, the last entry read is
whole) yields the entries read before the cut, then ``feed.malformed`` for
the feed itself, so what was lost is not silent.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from newsgraph.errors import FeedError
from newsgraph.sources import gate
from newsgraph.types import Failure, RawDocument

if TYPE_CHECKING:
    from newsgraph.sources._context import Context


@dataclass(frozen=True, slots=True)
class FeedEntry:
    index: int  # 1-based position in the feed
    link: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    dated_at: str | None = None  # its published (else updated) time, UTC ISO 8601: ``newsgraph.watch``'s order
    updated_at: str | None = None  # its updated time (UTC): a later one says the entry was edited


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    damage: str | None = None  # why the feed is cut off, when it is
    ttl: float | None = None  # seconds a reader may wait before asking again (RSS <ttl>, in minutes there)


#: expat's messages for a document that ends too early
_CUT_OFF = ("no element found", "unclosed token")


def _date(raw: Any, struct: Any) -> str | None:
    """``YYYY-MM-DD`` as the publisher wrote it (its own time zone), else feedparser's UTC date."""
    if isinstance(raw, str) and raw.strip():
        text = raw.strip()
        try:
            return email.utils.parsedate_to_datetime(text).date().isoformat()  # RFC 822 (RSS)
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(text).date().isoformat()  # RFC 3339 (Atom)
        except ValueError:
            pass
    try:
        return f"{struct.tm_year:04d}-{struct.tm_mon:02d}-{struct.tm_mday:02d}"
    except AttributeError:
        return None


def _utc_time(struct: Any) -> str | None:
    """feedparser's UTC ``time.struct_time`` as ISO 8601 (``...Z``), else None."""
    try:
        return (f"{struct.tm_year:04d}-{struct.tm_mon:02d}-{struct.tm_mday:02d}T"
                f"{struct.tm_hour:02d}:{struct.tm_min:02d}:{struct.tm_sec:02d}Z")
    except AttributeError:
        return None


def _ttl(value: Any) -> float | None:
    text = str(value or "").strip()
    return float(text) * 60 if text.isdigit() else None


def _link(entry: Any, base_url: str | None) -> str | None:
    candidates = [entry.get("feedburner_origlink"), entry.get("link")]
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate":
            candidates.append(link.get("href"))
    candidates.append(entry.get("id"))
    for cand in candidates:
        if not isinstance(cand, str) or not cand.strip():
            continue
        cand = cand.strip()
        if base_url:
            cand = urljoin(base_url, cand)
        if cand.lower().startswith(("http://", "https://")):
            return cand
    return None


_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^()]+)\)\s*$")  # RSS: "desk@x.com (Jane Roe)"
_NAME_EMAIL = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<\S+@\S+>\s*$")  # "Jane Roe <desk@x.com>"


def _rss_author(raw: str) -> str | None:
    m = _EMAIL_NAME.match(raw) or _NAME_EMAIL.match(raw)
    if m:
        return m.group("name").strip() or None
    if "@" in raw and " " not in raw.strip():
        return None  # a bare e-mail address is not a name
    return raw.strip() or None


def _authors(entry: Any, version: str) -> list[str]:
    names: list[str] = []
    raw = entry.get("author")
    if not version.startswith("atom") and isinstance(raw, str) and "@" in raw:
        # feedparser's own split of "email (Name)" is unreliable; RSS has one author per item
        name = _rss_author(raw)
        return [name] if name else []
    for author in entry.get("authors") or ():
        name = author.get("name") if hasattr(author, "get") else None
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    if not names and isinstance(entry.get("author"), str) and entry["author"].strip():
        names.append(entry["author"].strip())
    return names


def parse_feed(data: bytes, *, source: str, base_url: str | None = None,
               content_type: str | None = None) -> ParsedFeed:
    """Parse feed bytes. Raises ``FeedError`` (``feed.malformed``)."""
    import feedparser

    headers = {}
    if base_url:
        headers["content-location"] = base_url
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(bytes(data), response_headers=headers or None)
    except Exception as exc:  # noqa: BLE001 - feedparser failing on hostile XML is a bad item
        raise FeedError(f"cannot parse feed: {type(exc).__name__}: {exc}", source=source) from exc
    entries_raw = parsed.get("entries") or []
    if not entries_raw:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            raise FeedError(f"malformed feed: {reason}", source=source)
        if not parsed.get("version"):
            raise FeedError("not an RSS/Atom feed", source=source)
    title = parsed.get("feed", {}).get("title")
    if not base_url:  # a feed read from a file: resolve relative links against its own <link>
        home = parsed.get("feed", {}).get("link")
        if isinstance(home, str) and home.lower().startswith(("http://", "https://")):
            base_url = home
    title = title.strip() if isinstance(title, str) and title.strip() else None
    entries: list[FeedEntry] = []
    for i, entry in enumerate(entries_raw, start=1):
        meta: dict[str, Any] = {"feed": gate.clean_name(source)}
        etitle = entry.get("title")
        if isinstance(etitle, str) and etitle.strip():
            meta["title"] = " ".join(etitle.split())
        published = _date(entry.get("published"), entry.get("published_parsed"))
        if published:
            meta["published"] = published
        elif updated := _date(entry.get("updated"), entry.get("updated_parsed")):
            meta["updated"] = updated  # Atom's <updated>, RSS 1.0's dc:date: maybe a later edit
        authors = _authors(entry, str(parsed.get("version") or ""))
        if authors:
            meta["authors"] = authors
        if title:
            meta["feed_title"] = title
        dated_at = _utc_time(entry.get("published_parsed")) or _utc_time(entry.get("updated_parsed"))
        updated_at = _utc_time(dict.get(entry, "updated_parsed"))  # not feedparser's fallback to published
        entries.append(FeedEntry(i, _link(entry, base_url), meta, dated_at, updated_at))
    reason = parsed.get("bozo_exception")
    damage = None
    if entries and entries[-1].link and parsed.get("bozo") and any(m in str(reason) for m in _CUT_OFF):
        # (an entry cut in the middle has no link and fails on its own: the damage is not silent then)
        damage = f"feed is cut off ({reason}); {len(entries)} entries read before the damage"
    return ParsedFeed(title, entries, damage, _ttl(parsed.get("feed", {}).get("ttl")))


def iter_feed(data: bytes, ctx: Context, *, source: str, base_url: str | None = None,
              content_type: str | None = None) -> Iterator[RawDocument | Failure]:
    """Yield the article behind every entry of one feed (or the feed's failure)."""
    try:
        feed = parse_feed(data, source=source, base_url=base_url, content_type=content_type)
    except FeedError as exc:
        yield ctx.failure(exc, source)
        return
    seen: set[str] = set()
    for entry in feed.entries:
        if entry.link is None:
            yield Failure(f"{source}#entry{entry.index}", "feed.malformed", "feed entry has no http(s) link")
            continue
        if entry.link in seen or ctx.skip(entry.link):
            continue  # a link listed twice in one feed is fetched once
        seen.add(entry.link)
        yield from ctx.url_items(entry.link, meta=entry.meta, allow_feed=False)
    if feed.damage:
        yield Failure(source, "feed.malformed", gate.one_line(feed.damage))
