"""Bylines found in several places of a page -> the people who wrote it, by agreement.

A page names its authors in up to six places, each parsed by ``bylines``:
JSON-LD ``author`` (``ld``), ``<meta>`` authors and the "Written by" pair of
``twitter:label1``/``twitter:data1`` (``meta``), byline elements (``markup``),
the text of links to author pages (``link``: ``rel=author`` or an
``/author/``-like path), the text just after the headline (``header``), a
visible cue line ("Auteur : Jean Dupont") further down (``text``). Each
place is a ``Source`` (its kind and the ``Byline`` it gave).

Which place to believe is decided by features that hold across sites and
languages, not by fixed precedence alone:

* **support**: a person counts once per *kind* of place naming them (their
  name, or a one-word signature that is the first or last word of their name),
  so "Jane Doe" in JSON-LD, an author link and the byline element has support
  3, a name only one widget shows has support 1;
* the source naming the best-supported person gives the authors (all of its
  people: a JSON-LD list of three stands when one of them is seen elsewhere);
  ties go to the earlier kind (``ld``, ``meta``, ``markup``, ``link``,
  ``header``, ``text``: the order of how explicitly a page says "author"), so a lone
  JSON-LD name stands, and a JSON-LD name that nothing else on the page
  repeats loses to the byline other places agree on (the best-supported
  person rather than a sum over the list, so a long list of weakly supported
  names, such as the author links of a related-articles block, never wins);
  at equal support a source naming someone in full ("Jane Doe") wins over one
  with only one-word signatures ("Atmosphären" may be a category); a byline
  naming all its people and more completes it (``<meta name=author>`` holds
  only the first of two bylined names);
* a **one-word** signature ("Nils") becomes the full name ("Nils Pickert") when
  another place names exactly one person with that first or last word;
* a link's text is a person only when the link's path ends in that name
  (``/author/jane-doe``), so "Read more" or a category link never is.

Credits (wires, organisations) are kept from every place, and a name one place
calls an organisation (a JSON-LD ``Organization``, an outlet's name, a wire)
is no one's name anywhere on that page. Nothing here runs a
model: the features are the places and the names' shapes, so the same rules
hold for pages in any language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsgraph.extract.bylines import Byline, fold

#: Kinds of places, most explicit first (the tie order).
KINDS = ("ld", "meta", "markup", "link", "header", "text")
#: Path segments of author pages in the common languages: the link's text names a person.
AUTHOR_PATH = re.compile(
    r"/(?:authors?|autor(?:en|in|es|a|i|e)?|auteurs?|reporters?|journalists?|journalisten|redakteur(?:e|in)?"
    r"|columnists?|writers?|contributors?)/([^/?#]+)", re.I)


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    byline: Byline


def _words(name: str) -> list[str]:
    return [fold(w) for w in name.split() if fold(w)]


def same_person(a: str, b: str) -> bool:
    """Two spellings of one person: equal when folded, or a one-word signature that is the first or
    last word of the other name ("Nils" / "Nils Pickert")."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return bool(fa)
    wa, wb = _words(a), _words(b)
    if len(wa) == 1 and len(wb) >= 2:
        return wa[0] in (wb[0], wb[-1])
    if len(wb) == 1 and len(wa) >= 2:
        return wb[0] in (wa[0], wa[-1])
    return False


def support(name: str, sources: Sequence[Source]) -> int:
    """How many kinds of places name this person."""
    return len({s.kind for s in sources if any(same_person(name, other) for other in s.byline.authors)})


def _rank(index: int, source: Source, sources: Sequence[Source]) -> tuple[int, bool, int]:
    best = max(support(a, sources) for a in source.byline.authors)
    full = any(len(_words(a)) >= 2 for a in source.byline.authors)
    return (best, full, -KINDS.index(source.kind) * 100 - index)


def _completer(best: Source, sources: Sequence[Source]) -> Source:
    """A byline that names everyone ``best`` names and more ("By Jane Doe and John Roe" where
    ``<meta>`` holds only "Jane Doe"); author-link lists are not bylines (related articles)."""
    for s in sources:
        if s.kind != "link" and len(s.byline.authors) > len(best.byline.authors) and all(
                any(same_person(a, b) for b in s.byline.authors) for a in best.byline.authors):
            return s
    return best


def _full(name: str, sources: Sequence[Source]) -> str:
    """A one-word signature -> the one longer name another place gives for it, else itself."""
    if len(_words(name)) != 1:
        return name
    longer = {fold(a): a for s in sources for a in s.byline.authors if len(_words(a)) >= 2 and same_person(name, a)}
    return next(iter(longer.values())) if len(longer) == 1 else name


def choose(sources: Iterable[Source]) -> Byline:
    """The people of the best-supported source (see the module docstring) and every source's credits."""
    sources = [s for s in sources if s.byline.authors or s.byline.credits]
    credits: list[tuple[str, str]] = []
    for s in sources:
        credits.extend(c for c in s.byline.credits if c not in credits)
    orgs = {fold(name) for _, name in credits}
    sources = [Source(s.kind, Byline(tuple(a for a in s.byline.authors if fold(a) not in orgs), s.byline.credits))
               for s in sources]
    naming = [(i, s) for i, s in enumerate(sources) if s.byline.authors]
    if not naming:
        return Byline((), tuple(credits))
    _, best = max(naming, key=lambda item: _rank(item[0], item[1], sources))
    best = _completer(best, [s for _, s in naming])
    people: list[str] = []
    for name in best.byline.authors:
        name = _full(name, sources)
        if fold(name) not in {fold(p) for p in people}:
            people.append(name)
    return Byline(tuple(people), tuple(credits))


def link_slug_names(text: str, href: str) -> bool:
    """Whether a link's text is the name its author-page path ends in ("Jane Doe" -> ``/author/jane-doe``;
    a signature "Jane" -> ``/author/jane``); the path's last segment is compared letters only."""
    m = AUTHOR_PATH.search(href or "")
    if not m:
        return False
    slug = fold(m.group(1).rsplit(".", 1)[0])
    words = _words(text)
    if not slug or not words or len(words) > 5:
        return False
    name = "".join(words)
    return slug == name or slug.startswith(name) or name.startswith(slug) or \
        (len(words) >= 2 and words[0] in slug and words[-1] in slug) or \
        (len(slug) >= 4 and (slug == words[0] or slug == words[-1]))
