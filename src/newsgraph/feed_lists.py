"""Feed lists in and out: OPML 2.0 (what feed readers import and export) and a TOML list.

``read_feed_list(data, name)`` -> ``[(url, title), ...]`` in document order, each URL once:

* OPML (any version): every ``<outline>`` with an ``xmlUrl``, at any depth (folders are
  outlines too); its title is ``title``, else ``text``. Parsed with lxml, no DTD, no entities
  resolved, no network: a hostile file cannot read files or fetch anything.
* TOML (a name ending in ``.toml``): ``feeds = ["https://...", ...]`` and/or ``[[feed]]`` tables
  with ``url`` and an optional ``title``.

A file that is neither raises ``InputError`` (``input.invalid``) with the reason; the URLs are
checked when they are followed (``store.feeds.follow``).

``write_opml(feeds)`` -> OPML 2.0 bytes: one ``<outline type="rss" text= title= xmlUrl=>`` per feed.
"""

from __future__ import annotations

import email.utils
import tomllib
from collections.abc import Iterable
from typing import Any

from newsgraph.errors import InputError


def read_feed_list(data: bytes, name: str) -> list[tuple[str, str | None]]:
    """The feeds a list names, in order, each URL once (see the module docstring)."""
    found = _read_toml(data, name) if name.lower().endswith(".toml") else _read_opml(data, name)
    seen: dict[str, str | None] = {}
    for url, title in found:
        url = url.strip()
        if url and url not in seen:
            seen[url] = title.strip() if isinstance(title, str) and title.strip() else None
    return list(seen.items())


def _read_opml(data: bytes, name: str) -> list[tuple[str, str | None]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: not OPML: {exc}", source=name, code="input.invalid") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise InputError(f"{name}: not OPML (its root is not <opml>)", source=name, code="input.invalid")
    out: list[tuple[str, str | None]] = []
    for outline in root.iter("{*}outline", "outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url:
            out.append((url, outline.get("title") or outline.get("text")))
    return out


def _read_toml(data: bytes, name: str) -> list[tuple[str, str | None]]:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{name}: not a TOML feed list: {exc}", source=name, code="input.invalid") from exc
    out: list[tuple[str, str | None]] = []
    for url in doc.get("feeds", []):
        if not isinstance(url, str):
            raise InputError(f"{name}: feeds = [...] holds URLs, not {url!r}", source=name, code="input.invalid")
        out.append((url, None))
    for table in doc.get("feed", []):
        if not isinstance(table, dict) or not isinstance(table.get("url"), str):
            raise InputError(f"{name}: each [[feed]] needs a url", source=name, code="input.invalid")
        out.append((table["url"], _str_or_none(table.get("title"))))
    return out


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def write_opml(feeds: Iterable[tuple[str, str | None]], *, title: str = "newsgraph feeds") -> bytes:
    """OPML 2.0 listing ``(url, title)`` pairs."""
    from lxml import etree

    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = email.utils.formatdate(usegmt=True)
    body = etree.SubElement(root, "body")
    for url, name in feeds:
        text = name or url
        etree.SubElement(body, "outline", type="rss", text=text, title=text, xmlUrl=url)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
