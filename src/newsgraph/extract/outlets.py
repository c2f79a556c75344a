"""Outlet names: from the page's own markup, or a table of domains; never a URL fragment.

Order of trust:

1. the user's table (``Settings.outlets``, domain -> name), then the shipped
   one (``data/outlets.tsv``, well-known outlets written from general
   knowledge): a curated name beats whatever a page's markup says
   (a syndication partner's ``og:site_name``, a desk such as "DH News Service");
2. ``og:site_name``, then the JSON-LD ``publisher`` name, then
   ``application-name``: what the page calls its site;
3. the title of the feed that listed the page (``feed_outlet``: "Baltic
   Ledger - Latest news" -> "Baltic Ledger"): what the site calls itself
   elsewhere, so below the page's own declaration -- a feed is often titled
   after a section or the feed file ("Ledger /ledger.xml" -> "Ledger") --
   but above the bare host;
4. the page's host without ``www.`` (``nj.com``): the site's own address,
   never a piece of it ("nj", "Hosted") and never a social-media handle.

A JSON record's explicit ``outlet`` is no guess and beats all of these
(``newsgraph.extract``).

``same_outlet`` says whether a piece of a title names the outlet (the site
name, the host or its first label, compared without case, spaces and
punctuation): ``titles`` strips a title's suffix only then.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", re.I)
_NOT_ALNUM = re.compile(r"[\W_]+")
#: A site name this short or this generic is no outlet name.
_GENERIC = frozenset({"home", "homepage", "startseite", "news", "blog", "index", "website", "hosted", "article"})
#: Pieces of a feed title that name the feed, not the outlet ("RSS", "Latest news", "/ledger.xml").
_FEED_WORDS = re.compile(
    r"\b(?:rss|atom|xml|feeds?|news ?feed|channel|podcast|latest|newest|recent|top|all|breaking|"
    r"news|stories|articles|posts|headlines|updates|home(?:page)?|front ?page|nachrichten|"
    r"aktuell(?:e|es)?|actualités|noticias|últimas)\b", re.I)
_URLISH = re.compile(r"\S*(?:/|://|\.(?:xml|rss|atom|php|aspx?|html?)\b)\S*", re.I)
_EDGE_WORDS = r"\b(?:rss|atom|xml|feeds?|news ?feed|channel|(?:latest|top|breaking|all) (?:news|stories|headlines))\b"
_FEED_EDGES = re.compile(rf"^(?:{_EDGE_WORDS}[\s&,]*)+|(?:[\s&,]*{_EDGE_WORDS})+$", re.I)
_FEED_SEPARATORS = re.compile(r"\s+[|:–—·»›>-]\s+|\s*[|–—·»›>]\s*|:\s+")


def host_of(url: str | None) -> str | None:
    """``https://www.example.co.uk/x`` -> ``example.co.uk`` (lower case, no ``www.``)."""
    if not url or not (m := _HOST.match(url.strip())):
        return None
    host = m[1].lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=1)
def shipped_outlets() -> dict[str, str]:
    """``data/outlets.tsv``: registered domain -> outlet name."""
    text = resources.files("newsgraph.extract").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            domain, name = line.split("\t", 1)
            table[domain.strip().lower()] = name.strip()
    return table


def table_outlet(host: str | None, extra: Mapping[str, str] | None = None) -> str | None:
    """The outlet of a host from the user's table, then the shipped one (longest domain suffix wins)."""
    if not host:
        return None
    labels = host.split(".")
    for table in (extra or {}, shipped_outlets()):
        for i in range(len(labels) - 1):
            name = table.get(".".join(labels[i:]).lower())
            if name:
                return name
    return None


@lru_cache(maxsize=4096)
def fold(text: str | None) -> str:
    """Lower case, no accents, no spaces or punctuation: ``"DOMRADIO.DE"`` -> ``"domradiode"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", plain.casefold())


def plausible_name(name: str | None) -> str | None:
    """A site name as given, or None for a handle, a URL path or a generic word."""
    if not name:
        return None
    name = " ".join(name.split()).strip(" |-–—:·")
    if not name or name.startswith("@") or "/" in name or len(name) > 80:
        return None
    if fold(name) in _GENERIC or len(fold(name)) < 2:
        return None
    return name


def feed_outlet(title: str | None, host: str | None = None) -> str | None:
    """The outlet a feed's title names, or None: URL-ish pieces ("/ledger.xml") and feed words
    ("RSS", "Feed", "Latest news") dropped; of several pieces left, the one naming the host, else the first."""
    if not title:
        return None
    pieces = []
    for piece in _FEED_SEPARATORS.split(_URLISH.sub(" ", title)):
        if _FEED_WORDS.sub("", piece).strip(" &,.-–—:|()[]"):
            pieces.append(_FEED_EDGES.sub("", " ".join(piece.split())).strip(" &,.-–—:|()[]"))
    named = [p for p in pieces if host and same_outlet(p, None, host)]
    return plausible_name((named or pieces or [None])[0])


def pick_outlet(*, site_name: str | None, publisher: str | None, app_name: str | None,
                url: str | None, extra: Mapping[str, str] | None = None,
                feed_title: str | None = None) -> str | None:
    """The outlet name of a page (see the module docstring for the order)."""
    host = host_of(url)
    for name in (table_outlet(host, extra), site_name, publisher, app_name, feed_outlet(feed_title, host)):
        if (name := plausible_name(name)) is not None:
            return name
    return host


def same_outlet(piece: str, outlet: str | None, host: str | None) -> bool:
    """Whether ``piece`` (a part of a title) names the outlet."""
    key = fold(piece)
    if not key:
        return False
    names = {fold(outlet)} if outlet else set()
    if host:
        names.add(fold(host))
        names.add(fold(host.split(".")[0]))
        if len(host.split(".")) > 2:  # news.example.com: example
            names.add(fold(host.split(".")[-2]))
    names.discard("")
    for name in names:
        if key == name:
            return True
        if len(name) >= 4 and len(key) >= 4 and (key.startswith(name) or name.startswith(key)):
            return True  # "Tegernseerstimme" / "tegernseerstimme.de", "AOC media - Analyse ..." / "AOC"
    return False
