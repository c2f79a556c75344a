"""Data for speaker resolution: the role lexicon and the country table.

Both are small TSV files in ``analyze/data/`` (documented in their headers),
read once per process and cached. Everything is keyed on lower-cased token
strings as spaCy's English tokenizer splits them ("secretary-general" ->
``("secretary", "-", "general")``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
ROLES_FILE = DATA / "roles_en.tsv"
COUNTRIES_FILE = DATA / "countries_en.tsv"

_WORD = re.compile(r"[\w.]+(?:'\w+)?|[^\w\s]")


def words(phrase: str) -> tuple[str, ...]:
    """Lower-cased word tuple of a phrase, split the way spaCy splits it (roughly)."""
    return tuple(_WORD.findall(phrase.lower()))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive key ("Orbán" == "orban")."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class Role:
    phrase: str
    kind: str  # person | org | honorific | modifier
    parent: str | None
    gender: str | None  # "m" | "f" | None


@dataclass(frozen=True, slots=True)
class Lexicon:
    roles: dict[tuple[str, ...], Role]
    heads: frozenset[str]  # head nouns of person/org roles ("minister", "secretary", "authorities")
    max_role_len: int
    honorifics: dict[str, str | None]  # lower word -> gender
    modifiers: frozenset[str]
    ancestors: dict[str, frozenset[str]]  # role phrase -> itself and every parent, transitively
    countries: dict[tuple[str, ...], str]  # folded word tuple (name or adjective) -> country
    names: dict[str, str]  # folded country name/alias -> country (GPE canonicalisation)
    adjective: dict[str, str]  # country -> adjective used to build group names
    max_country_len: int


def _head(ws: tuple[str, ...]) -> str:
    return ws[ws.index("of") - 1] if "of" in ws[1:] else ws[-1]


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=4)
def load_lexicon(roles_path: Path = ROLES_FILE, countries_path: Path = COUNTRIES_FILE) -> Lexicon:
    roles: dict[tuple[str, ...], Role] = {}
    honorifics: dict[str, str | None] = {}
    modifiers: set[str] = set()
    for row in _rows(roles_path):
        phrase, kind, parent, gender = (row + ["-"] * 4)[:4]
        role = Role(phrase, kind, None if parent == "-" else parent, None if gender == "-" else gender)
        if kind == "honorific":
            honorifics[phrase] = role.gender
        elif kind == "modifier":
            modifiers.add(phrase)
        else:
            roles[words(phrase)] = role
    by_phrase = {r.phrase: r for r in roles.values()}
    ancestors: dict[str, frozenset[str]] = {}
    for r in by_phrase.values():
        seen, cur = [], r
        while cur is not None and cur.phrase not in seen:
            seen.append(cur.phrase)
            cur = by_phrase.get(cur.parent) if cur.parent else None
        ancestors[r.phrase] = frozenset(seen)

    countries: dict[tuple[str, ...], str] = {}
    names: dict[str, str] = {}
    adjective: dict[str, str] = {}
    for row in _rows(countries_path):
        country, adj, aliases, others, capitals = (row + [""] * 5)[:5]
        adjective[country] = adj
        for n in [country, *aliases.split(",")]:
            n = n.strip()
            if n:
                names[fold(n)] = country
                names[fold(re.sub(r"^the\s+", "", n, flags=re.I))] = country
                countries[words(fold(re.sub(r"^the\s+", "", n, flags=re.I)))] = country
        for a in [adj, *others.split(","), *capitals.split(",")]:
            a = a.strip()
            if a:
                countries[words(fold(a))] = country
    return Lexicon(
        roles=roles,
        heads=frozenset(_head(ws) for ws in roles),
        max_role_len=max(len(ws) for ws in roles),
        honorifics=honorifics,
        modifiers=frozenset(modifiers),
        ancestors=ancestors,
        countries=countries,
        names=names,
        adjective=adjective,
        max_country_len=max(len(ws) for ws in countries),
    )
