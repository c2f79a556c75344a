"""Bylines -> people (``authors``) and organisations or wire services (``credits``).

A byline names people, and often an outlet, a desk or a wire with them:
"By Jane Doe and John Roe", "Jane Doe, John Roe and Ann Lee", "Jane Doe |
Reuters", "Von Anna Muster, dpa", "Par Jean Dupont (AFP)", "Автор: Иван
Петров", "PTI", "NJ Advance Media". ``parse_byline`` strips the cue word,
splits the names at the separators of the common languages and decides for
each piece, by what it is and never by where it stands:

* a **wire** when it is a news agency of ``data/wires.tsv`` (any written
  form: "The Associated Press" -> ``AP``): ``("wire", "AP")``;
* an **organisation** when it names the outlet, or carries an organisation
  word (Media, News, Service, Redaktion, Staff, Desk, Team, Agency ...):
  ``("organisation", name)``;
* a **person** when it has a name's shape: two to five words, each starting
  with a letter, no digits, no URL, not a role ("Staff Writer",
  "Correspondent") or a date;
* anything else is dropped (a date, "Updated 3 hours ago", a handle).

``Byline.merge`` joins what several sources said (JSON-LD, ``<meta>``, the
page's byline elements), keeping the first spelling of each person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Cue words that open a byline, in the common languages (matched case-insensitively, at the start).
_CUE = re.compile(
    r"^\s*(?:(?:written|posted|reported|reporting|compiled|edited|text|story|words)\s+(?:by|von)\b[:\s]*"
    r"|by\b[:\s]*|von\b[:\s]*|par\b[:\s]*|por\b[:\s]*|door\b[:\s]*|di\b[:\s]*|da\b[:\s]*|av\b[:\s]*|af\b[:\s]*"
    r"|автор(?:ы)?\s*:?\s*|текст\s*:\s*|autor(?:in|en|es|a)?\s*:\s*|auteur\s*:\s*|author(?:s)?\s*:\s*"
    r"|text\s*:\s*|texte\s*:\s*|redaktion\s*:\s*|from\s+)",
    re.I,
)
#: Separators between names: commas, semicolons, ampersands, pipes, slashes and "and" in many languages.
_SPLIT = re.compile(r"\s*(?:[,;&|/•·]|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\bog\b|\boch\b|\ben\b|\bи\b"
                    r"|\bwith\b|\bmit\b|\bavec\b|\bcon\b)\s*", re.I)
_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{1,60})[)\]]\s*")
_DIGIT = re.compile(r"\d")
#: A date or time after the names ("VON A B am 21. April 2020", "Jane Doe | Updated 3 March"): cut.
_DATE_TAIL = re.compile(r"\s*(?:[|,·•–—-]\s*)?(?:\b[^\W\d]{1,4}\.?\s+)?\d.*$")
_URLISH = re.compile(r"https?://|www\.|@|\.(?:com|org|net|de|fr|uk)\b", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.U)
#: Words that make a piece an organisation, desk or team rather than a person.
ORG_WORDS = frozenset("""
media news newsroom service services agency agencies staff desk team redaktion redaktionen
editorial editors editor online zeitung zeitungen verlag press presse post times tribune herald
journal gazette daily weekly magazine magazin network networks radio tv television bureau
department ministry office group company inc ltd gmbh ag llc corp university institute foundation
stiftung association verband council committee partei party international digital rédaction
redacción redazione redactie redaksjonen редакция служба wire wires contributors correspondents
""".split())
#: Words that make a piece a role or a label, not a name.
ROLE_WORDS = frozenset("""
writer reporter correspondent contributor columnist editor photographer author autor autorin
journalist journalistin senior chief special guest staff updated published posted comments
comment share follow more read minutes min uhr mehr
""".split())
MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class Byline:
    """People and credits (``(kind, name)``, kind ``wire`` or ``organisation``) of one byline."""

    authors: tuple[str, ...] = ()
    credits: tuple[tuple[str, str], ...] = ()

    def merge(self, other: Byline) -> Byline:
        authors = list(self.authors)
        keys = {_fold(a) for a in authors}
        for name in other.authors:
            if _fold(name) not in keys:
                keys.add(_fold(name))
                authors.append(name)
        credits = list(self.credits)
        credits.extend(c for c in other.credits if c not in credits)
        return Byline(tuple(authors), tuple(credits))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


@lru_cache(maxsize=1)
def wire_names() -> dict[str, str]:
    """Folded written form -> canonical wire name, from ``data/wires.tsv``."""
    text = resources.files("newsgraph.extract").joinpath("data/wires.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, _, others = line.partition("\t")
        canonical = canonical.strip()
        for form in (canonical, *others.split("|")):
            if form.strip():
                table.setdefault(_fold(form), canonical)
    return table


def wire_of(piece: str) -> str | None:
    """The canonical wire name when ``piece`` is a news agency ("The Associated Press" -> "AP")."""
    return wire_names().get(_fold(piece))


def _is_org(piece: str, outlets: Iterable[str]) -> bool:
    words = [w.casefold().strip(".'’") for w in _WORD.findall(piece)]
    if any(w in ORG_WORDS for w in words):
        return True
    key = _fold(piece)
    return any(key and len(key) >= 3 and (key == _fold(o) or (len(_fold(o)) >= 4 and _fold(o) in key))
               for o in outlets if o)


def person_shaped(piece: str) -> bool:
    """Two to five words starting with a letter, no digits, no URL or handle, no role word."""
    if not piece or len(piece) > MAX_NAME_CHARS or _DIGIT.search(piece) or _URLISH.search(piece):
        return False
    words = piece.split()
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return False
    if any(w.casefold().strip(".,:'’") in ROLE_WORDS for w in words):
        return False
    if not all(_WORD.fullmatch(w.strip(".,")) or w in ("-", "'") for w in words):
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha() or not w[:1].islower())
    return capitals >= len(words) - 1 and (words[0][:1].isupper() or not words[0][:1].islower())


def _pieces(text: str) -> list[str]:
    text = _DATE_TAIL.sub("", " ".join(text.split()))
    text = _CUE.sub("", text, count=1)
    extra = _PAREN.findall(text)  # "Jane Doe (AFP)": the parenthesis is a piece of its own
    text = _PAREN.sub(" , ", text)
    out = []
    for piece in [*_SPLIT.split(text), *extra]:
        piece = _CUE.sub("", piece.strip(" .:-–—"), count=1).strip(" .:-–—")
        if piece:
            out.append(piece)
    return out


def classify(piece: str, outlets: Iterable[str] = ()) -> tuple[str, str] | None:
    """``("person" | "wire" | "organisation", name)`` for one byline piece, or None to drop it."""
    if wire := wire_of(piece):
        return ("wire", wire)
    if _is_org(piece, outlets):
        return ("organisation", piece) if len(piece) <= MAX_NAME_CHARS and not _DIGIT.search(piece) else None
    return ("person", piece) if person_shaped(piece) else None


def parse_byline(text: str | None, outlets: Iterable[str] = ()) -> Byline:
    """People and credits of one byline string (see the module docstring)."""
    if not text:
        return Byline()
    outlets = tuple(o for o in outlets if o)
    whole = " ".join(_CUE.sub("", " ".join(text.split()), count=1).split())
    if whole and (wire := wire_of(whole)):  # "Agence France-Presse", "The Associated Press"
        return Byline((), (("wire", wire),))
    authors: list[str] = []
    credits: list[tuple[str, str]] = []
    for piece in _pieces(text):
        kind = classify(piece, outlets)
        if kind is None:
            continue
        if kind[0] == "person":
            if _fold(kind[1]) not in {_fold(a) for a in authors}:
                authors.append(kind[1])
        elif kind not in credits:
            credits.append(kind)
    return Byline(tuple(authors), tuple(credits))


def parse_names(names: Iterable[tuple[str, str | None]], outlets: Iterable[str] = ()) -> Byline:
    """Structured author entries (``(name, schema type or None)``, e.g. from JSON-LD): an
    ``Organization`` is a credit whatever its name; other entries are parsed as bylines."""
    out = Byline()
    for name, kind in names:
        if kind and kind.lower() in ("organization", "newsmediaorganization", "corporation"):
            clean = " ".join(name.split())
            credit = ("wire", wire) if (wire := wire_of(clean)) else ("organisation", clean)
            out = out.merge(Byline((), (credit,)))
        else:
            out = out.merge(parse_byline(name, outlets))
    return out
