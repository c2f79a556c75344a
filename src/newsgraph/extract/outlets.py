"""Outlet names: from the page's own markup, or a table of domains; never a URL fragment.

Order of trust:

1. the user's table (``Settings.outlets``, domain -> name), then the shipped
   one (``data/outlets.tsv``, well-known outlets written from general
   knowledge): a curated name beats whatever a page's markup says
   (a syndication partner's ``og:site_name``, a desk such as "DH News Service");
2. ``og:site_name``, then the JSON-LD ``publisher`` name, then
   ``application-name``: what the page calls its site;
3. the page's host without ``www.`` (``nj.com``): the site's own address,
   never a piece of it ("nj", "Hosted") and never a social-media handle.

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


def pick_outlet(*, site_name: str | None, publisher: str | None, app_name: str | None,
                url: str | None, extra: Mapping[str, str] | None = None) -> str | None:
    """The outlet name of a page (see the module docstring for the order)."""
    host = host_of(url)
    for name in (table_outlet(host, extra), site_name, publisher, app_name):
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
