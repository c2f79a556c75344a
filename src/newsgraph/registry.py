"""Matching actors across articles: the decision logic of the actor registry (no database).

Each article's entities (``types.Entity``: ``"<type>:<slug>"``, name, type) must
link to one registry of actors kept across articles. This module decides *which*
known actor a name is, storage-agnostic: the store keeps actors and aliases,
looks candidates up by :func:`name_keys`, and feeds them to a :class:`Matcher`.

API
---
* :class:`Actor` ``(key, name, type, aliases)``: one known actor.
* :func:`normalise_name` -> the comparison form of a name (a key, not for display).
* :func:`name_keys` ``(name, type)`` -> blocking keys; an actor is a candidate for
  a name when they share a key (the store indexes actors by these).
* :class:`Matcher` ``(actors, threshold=0.88)``: ``match(name, type, context)`` ->
  :class:`Decision` ``(actor_key | None, score, reason)``; ``add``, ``merge``,
  ``split``, ``link``, ``unlink``; ``same(a, b)`` for one pair.
* :class:`Corrections`: the user's "A is B" / "A is not B", replayed as a log,
  JSON round-trip (``to_json`` / ``from_json``), always winning over automatic
  decisions.

Normalisation (:func:`normalise_name`), in order, each with its reason
---------------------------------------------------------------------------
0. Datelines and credit labels in front of a name are not part of it
   (``analyze.entity_credits.strip_name_prefix``: "WASHINGTON (AP) — Donald
   Trump", "Photo: Jane Doe", "By Jane Doe"): an extraction slip must not make a
   second actor. (The PERSON-only first-word rule, "Hosting Cook" -> "Cook", needs
   the type: the store applies it before matching.)
1. Unicode: NFKD, combining marks dropped, casefold, letters NFKD cannot split
   mapped (ø->o, ł->l, ß->ss, æ->ae, đ->d, ı->i ...): "Orbán" and "Orban",
   "Erdoğan" and "Erdogan" are the same spelling once a keyboard lost accents.
2. Possessives ("Putin's", "Reuters'") dropped: a genitive names the same actor.
3. Dots and apostrophes deleted ("U.S." -> "us", "O'Brien" -> "obrien"), every
   other non-alphanumeric character is a space (hyphens split "Kim Jong-un" into
   three parts, so the syllables can be compared one by one).
4. Transliteration, per word, repeated to a fixed point so the result is
   idempotent (these are the variants Russian/Ukrainian/Arabic names take in
   English-language wires; all rules only ever make two spellings *equal*, they
   never produce a fuzzy score):
   * ``x`` -> ``ks`` inside a word (Alexei / Aleksei; "Xi" keeps its x);
   * ``kh`` -> ``h`` (Mikhail / Mihail, Khamenei / Hamenei);
   * ``tz`` -> ``ts`` (Kravtzov / Kravtsov);
   * a leading ``ye`` -> ``e`` (Yevgeny / Evgeny);
   * endings ``-iy -yy -ij -yi -ii`` -> ``-i``; ``y`` after a vowel and not
     before one -> ``i`` (Sergey / Sergei, Andrey, Shoygu / Shoigu); a final
     ``y`` after a consonant -> ``i`` (Zelensky / Zelenskyy / Zelenskiy -> zelenski,
     Yury / Yuri, Dmitry / Dmitri, Navalny / Navalnyy); ``-iya`` / consonant+``ya``
     -> ``-ia`` (Mariya / Maria);
   * doubled letters collapse (Zelenskyy, Muammar / Moamar, Hassan / Hasan), but
     not in words of three letters or fewer: "BBC" is not "BC", "Lee" is not "Le".
   Generation markers (jr, sr, ii, iii, iv ...; "Junior" -> jr) are exempt (the
   collapse would turn "II" into "i").
5. Leading "the" and titles / honorifics / offices dropped ("President", "Mr",
   "Dr", "Foreign Minister", "Sheikh", "Sen." ...), but never the last word
   ("the The" stays "the") and never ambiguous words that are also names or
   parts of organisation names ("General" Motors, "King", "Lord", "Judge",
   "Justice" Department, "Major" League): those stay.
6. Given-name variants (a small table: Mohammed / Mohammad / Muhammad /
   Mohamed ..., Anthony / Antony, Yusuf / Youssef, Hussein / Husain ...) are
   folded only in a word that is *not* the last of a multi-word name, i.e. only
   where a family name follows that must itself agree ("Anthony Blinken" ==
   "Antony Blinken", but the lone word "Anthony" stays "anthony").

Matching rules (:meth:`Matcher.match`), each with its reason
----------------------------------------------------------
* **Corrections first.** A user link / merge / unlink / split is applied before
  and after every automatic rule; nothing automatic can undo it. Reason: a
  person looked and knows better; re-analysis must not re-break it.
* **Types must agree.** PERSON never merges with ORG, etc.; GPE and LOC are one
  class ("place") because NER hesitates between them for the same place. Reason:
  "Georgia" (country) and "Georgia" (a person), "Jordan" and "Michael Jordan".
* **Exact normalised name or alias** of a known actor: score 1.0. Two *different*
  actors both matching exactly -> no decision (ambiguous), e.g. after a split.
* **Alias table** (``registry_data/aliases.tsv``): "US", "U.S.", "USA", "United
  States", "the United States of America", "America" are one place; UN / United
  Nations, EU, NATO / Nato, AFP / Agence France-Presse, WHO ... one org. The
  table only applies within its class (a PERSON "America" is not the country).
  Reason: acronyms and official forms share no letters a rule could use.
* **Acronyms** (ORG only): an all-capital single word (>= 2 letters) links to the
  ORG whose initials (ignoring of / the / and / for / de ...) spell it, only when
  the known name is in the query's own article (``context``) and exactly one
  known ORG does (score 0.9). Reason: "IAEA" after "International Atomic Energy
  Agency" in the same story is standard style; across articles two letters say
  nothing ("BC" is not "Broadhead Co."), so only the alias table or an alias the
  store recorded from an article that gave both (:func:`acronym_aliases`) links
  them. Several matches -> no decision.
* **No fuzzy merge for places and organisations.** Reason: Austria / Australia,
  Slovenia / Slovakia, Niger / Nigeria, Iran / Iraq differ by a letter or two;
  their variants are exonyms and renamings, which the alias table holds.
* **Surname alone** (PERSON): a name that is a proper suffix of a known person's
  name ("Lavrov", "Ocasio-Cortez", "bin Salman") links to that person only when
  exactly one known PERSON (after user merges) carries that suffix; otherwise no
  decision (score 0.93 or none). Symmetric: a full name links to a known
  surname-only actor under the same condition. A generation marker on the
  short side must agree and narrows the count ("Trump Jr." is Donald Trump Jr.
  even when Donald Trump is known; "Trump" is then ambiguous). Reason: "Biden" with only Joe
  Biden known is Joe Biden; with Joe and Hunter known nobody can tell.
  An actor's own bare surname alias (kept from an article that gave no more) does
  not speak for it once it has a full name (:func:`_fullest`): a bare "Trump" then
  goes through this rule (one holder, or no decision: a new actor stays apart), and
  "Ivanka Trump" is compared with "Donald Trump", not with the alias "Trump".
* **Full names** (PERSON, both >= 2 words): the last word is the family name,
  the first the given name, words between are middle names / particles.
  Guards, any of which forbids a merge whatever the score or context:
  - generation markers must be equal ("Martin Luther King Jr." vs "... King");
  - a middle *initial* on one side only forbids it ("George Bush" vs "George
    W. Bush", "George H. W. Bush" vs "George W. Bush": generations of one
    family are told apart by exactly that); middle names present on both sides
    must agree word by word (an initial agrees with a word it starts);
  - family names: equal, or first letters equal, both longer than 4 letters,
    Indel ratio >= 0.85 and Jaro-Winkler >= 0.85 (rapidfuzz);
  - given names: equal, or one is an initial of the other (score capped at
    0.92), or both longer than 4 letters with the same first letter, ratio >=
    0.85 and Jaro-Winkler >= 0.85;
  - short words (<= 4 letters) never fuzzy-match: "Paul" / "Saul", "Ivan" /
    "Iran", "Jon" / "John", and the last syllable of "Kim Jong-un" / "Kim
    Jong-il" ("un" vs "il": a differing final syllable of a multi-part name is a
    different person).
  Score = the lower of the given-name and family-name similarities (1.0 when
  equal). A full middle name on one side only ("Hillary Rodham Clinton" /
  "Hillary Clinton") scores 0.85: borderline, linked only with context.
* **Context** (co-mentioned names / roles) can raise a borderline score (within
  0.08 below the threshold) by 0.04 per item shared with what the actor was seen
  with (at most 0.08). It never applies to a candidate a guard rejected, and
  never to a type mismatch or an ambiguous surname. What the actor was seen with
  comes from :meth:`Matcher.observe` or, lazily, from ``context_of`` (the store
  reads the other names of the actor's newest articles, so the boost applies
  during ingest).
* **Threshold / ambiguity.** The best candidate wins if it reaches the threshold
  (0.88) and no other actor is within 0.05 of it; otherwise no decision.

Display names (:func:`fuller`, :func:`display_rank`): the store shows an actor
under the fullest form any linked article gave ("Donald Trump", not "Trump";
"United Nations", not "UN"); a name only ever grows.

Known limits: East Asian family-name-first names have no surname-alone rule
("Xi" does not link to "Xi Jinping"); nicknames ("Joe" / "Joseph"), exonyms of
people (Gaddafi / Qaddafi: first letters differ) and two places of one name
("Georgia") need a user correction; ORG names never fuzzy-merge.

Figures (2 shared cores, busy; rapidfuzz 3.14.6, CPython 3.11): a synthetic
registry of 22,000 actors (20k people, 2k orgs) builds in ~1 s; blocking yields
~5 candidates per query; ~20,000 matches/s with cold caches, ~32,000/s warm.
``test_speed`` checks > 1,000/s on a 2,000-actor registry built to collide (many
people per surname). Without rapidfuzz a pure-Python fallback computes the same
Indel ratio and Jaro-Winkler (slower, only for fuzzy candidates).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsgraph.analyze.entity_credits import strip_name_prefix
from newsgraph.vocab import HONORIFICS, RANK_ABBREVIATIONS


def _py_ratio(a: str, b: str) -> float:
    """Indel normalised similarity, 2 * LCS / (len a + len b) (= rapidfuzz ``fuzz.ratio`` / 100)."""
    if not a and not b:
        return 1.0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return 2 * prev[-1] / (len(a) + len(b))


def _py_jw(a: str, b: str) -> float:
    """Jaro-Winkler similarity (prefix weight 0.1, up to 4 letters), as rapidfuzz computes it."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    win = max(max(la, lb) // 2 - 1, 0)
    ma, mb = [False] * la, [False] * lb
    m = 0
    for i, ca in enumerate(a):
        for j in range(max(0, i - win), min(lb, i + win + 1)):
            if not mb[j] and b[j] == ca:
                ma[i] = mb[j] = True
                m += 1
                break
    if not m:
        return 0.0
    sa = [c for c, f in zip(a, ma, strict=True) if f]
    sb = [c for c, f in zip(b, mb, strict=True) if f]
    t = sum(x != y for x, y in zip(sa, sb, strict=True)) // 2  # as rapidfuzz: whole transpositions
    sim = (m / la + m / lb + (m - t) / m) / 3
    pre = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        pre += 1
    return sim + pre * 0.1 * (1 - sim) if sim > 0.7 else sim


try:  # rapidfuzz is the fast path; the pure-Python functions above give the same numbers
    from rapidfuzz.distance import Indel as _Indel
    from rapidfuzz.distance import JaroWinkler as _JW

    _ratio = _Indel.normalized_similarity
    _jw = _JW.normalized_similarity
except ImportError:  # pragma: no cover - exercised only without rapidfuzz
    _ratio, _jw = _py_ratio, _py_jw

__all__ = ["Actor", "Corrections", "Decision", "Matcher", "acronym_aliases", "alias_group", "display_rank",
           "fuller", "known_organisation", "name_keys", "normalise_name", "type_class"]

DATA_DIR = Path(__file__).parent / "registry_data"
ALIASES_FILE = DATA_DIR / "aliases.tsv"
ORGANISATIONS_FILE = DATA_DIR / "organisations.tsv"

DEFAULT_THRESHOLD = 0.88
AMBIGUITY_MARGIN = 0.05
CONTEXT_WINDOW = 0.08
CONTEXT_STEP = 0.04
SURNAME_SCORE = 0.93
INITIAL_CAP = 0.92
MIDDLE_ABSENT_SCORE = 0.85
ACRONYM_SCORE = 0.90
FAMILY_RATIO, FAMILY_JW = 0.85, 0.85
GIVEN_RATIO, GIVEN_JW = 0.85, 0.85
SHORT = 4  # words of at most this many letters never fuzzy-match

PLACE_TYPES = frozenset({"GPE", "LOC"})


def type_class(type_: str) -> str:
    """Compatibility class of an entity type: GPE and LOC -> ``place``; others their own name."""
    t = type_.upper()
    return "place" if t in PLACE_TYPES else t.lower()


# ---------------------------------------------------------------- normalisation
_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ħ": "h", "Ħ": "h",
    "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ß": "ss", "ŋ": "n",
    "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'",
})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_DEL = re.compile(r"['.]")
_NONWORD = re.compile(r"[\W_]+")
_VOWELS = "aeiou"
_ENDINGS = re.compile(r"(?:iy|yy|ij|yi|ii)$")
_Y_AFTER_VOWEL = re.compile(r"(?<=[aeiou])y(?![aeiouy])")
_FINAL_Y = re.compile(r"(?<=[b-df-hj-np-tv-z])y$")
_YA = re.compile(r"(?:iya|(?<=[b-df-hj-np-tv-z])ya)$")
_DOUBLE = re.compile(r"(.)\1+")

GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "iii": "iii",
               "iv": "iv", "vi": "vi", "vii": "vii", "viii": "viii", "2nd": "ii", "3rd": "iii"}

# Titles are matched on already-normalised words (see _word), longest first.
_TITLE_PHRASES_RAW = [
    *HONORIFICS, *RANK_ABBREVIATIONS,  # newsgraph.vocab: one vocabulary of honorifics and ranks
    "president", "vice president", "prime minister", "deputy prime minister", "minister", "foreign minister",
    "defence minister", "defense minister", "finance minister", "interior minister",
    "secretary", "secretary of state", "secretary general", "secretary-general", "chancellor",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "gov", "governor", "mayor",
    "ambassador", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman",
    "sheikh", "sheik", "emir", "ayatollah", "pope", "rev", "reverend", "rabbi", "imam", "archbishop",
    "crown prince", "prince", "princess", "speaker", "mp", "ceo", "the",
]


@lru_cache(maxsize=1 << 16)
def _word(w: str) -> str:
    """Transliteration rules on one casefolded, accent-free word, to a fixed point."""
    if w in GENERATIONS:
        return GENERATIONS[w]
    if not w.isalpha() or not w.isascii():
        return _DOUBLE.sub(r"\1", w) if w.isalpha() and len(w) > 3 else w
    for _ in range(6):
        old = w
        if len(w) > 1:
            w = w[0] + w[1:].replace("x", "ks")
        w = w.replace("kh", "h").replace("tz", "ts")
        if w.startswith("ye") and len(w) > 2:
            w = "e" + w[2:]
        w = _ENDINGS.sub("i", w)
        w = _YA.sub("ia", w)
        w = _Y_AFTER_VOWEL.sub("i", w)
        w = _FINAL_Y.sub("i", w)
        if len(w) > 3:
            w = _DOUBLE.sub(r"\1", w)
        if w == old:
            break
    return w


def _words(text: str) -> list[str]:
    return [_word(w) for w in text.split()]


TITLE_PHRASES = sorted({tuple(_words(_NONWORD.sub(" ", _DEL.sub("", t)))) for t in _TITLE_PHRASES_RAW},
                       key=len, reverse=True)

_GIVEN_VARIANTS_RAW = {
    "muhammad": ["mohammed", "mohammad", "muhammed", "mohamed", "mohamad", "muhamad", "muhammad",
                 "mohammod", "mohamud", "mehmet", "mehmed"],
    "antony": ["anthony", "antony"],
    "yusuf": ["yusuf", "yousef", "youssef", "yousuf", "yussuf", "yosef"],
    "husein": ["hussein", "husein", "husain", "hussain", "hossein", "husayn"],
    "abdul": ["abdul", "abdel", "abdol", "abd al", "abdal"],
    "osama": ["osama", "usama"],
    "omar": ["omar", "umar"],
    "ahmad": ["ahmad", "ahmed"],
    "mahmud": ["mahmoud", "mahmud", "mahmood"],
    "ali": ["ali", "aly"],
}
GIVEN_VARIANTS: dict[str, str] = {}
for _canon, _vs in _GIVEN_VARIANTS_RAW.items():
    for _v in _vs:
        if " " not in _v:
            GIVEN_VARIANTS[_word(_v)] = _word(_canon)


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """Comparison form of a name (see the module docstring, "Normalisation").

    >>> normalise_name("President Volodymyr Zelenskyy's")
    'volodymyr zelenski'
    >>> normalise_name("the U.S.")
    'us'
    """
    s = unicodedata.normalize("NFKD", strip_name_prefix(name).translate(_SPECIAL))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = unicodedata.normalize("NFKD", s.translate(_SPECIAL))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _POSSESSIVE.sub("", s)
    s = _NONWORD.sub(" ", _DEL.sub("", s))
    words = _words(s)
    # titles / "the" at the start, never the last word
    changed = True
    while changed and len(words) > 1:
        changed = False
        for t in TITLE_PHRASES:
            if len(words) > len(t) and tuple(words[: len(t)]) == t:
                words = words[len(t):]
                changed = True
                break
    if len(words) > 1:
        words = [GIVEN_VARIANTS.get(w, w) for w in words[:-1]] + [words[-1]]
    return " ".join(words)


# ---------------------------------------------------------------- alias table
@lru_cache(maxsize=1)
def _alias_table() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """(class, normalised name) -> group id; group id -> display name."""
    groups: dict[tuple[str, str], str] = {}
    display: dict[str, str] = {}
    for line in ALIASES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cls, canonical, *rest = line.split("\t")
        gid = f"{cls}:{normalise_name(canonical)}"
        display[gid] = canonical
        for n in [canonical, *(a.strip() for a in (rest[0] if rest else "").split(",") if a.strip())]:
            groups[(cls, normalise_name(n))] = gid
    return groups, display


def alias_group(name: str, type_: str) -> str | None:
    """The alias-table group of a name within its type class (``"place:united states"``), if any."""
    return _alias_table()[0].get((type_class(type_), normalise_name(name)))


@lru_cache(maxsize=1)
def _organisations() -> frozenset[str]:
    out = {n for (cls, n) in _alias_table()[0] if cls == "org"}
    for line in ORGANISATIONS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.add(normalise_name(line.strip()))
    return frozenset(out)


def known_organisation(name: str) -> bool:
    """Whether the registry knows ``name`` as an organisation (alias table ``org`` rows and
    ``registry_data/organisations.tsv``: platforms, studios, companies NER mistypes)."""
    n = normalise_name(name)
    return bool(n) and n in _organisations()


def display_rank(name: str, type_: str) -> tuple[int, int, int, int]:
    """How full a name form is, to choose an actor's display name (higher is fuller).

    The alias table's display form first ("United Nations" over "UN"), then more
    name words ("Donald Trump" over "Trump", an expansion over its acronym), then
    fewer initials ("Vladimir Putin" over "V. Putin"), then more letters.
    Titles, "the", possessives and generation-free spelling do not count (the
    comparison is on :func:`normalise_name`).
    """
    p = _parse(name, type_)
    canonical = int(bool(p.group) and normalise_name(_alias_table()[1].get(p.group, "")) == p.norm)
    words = [w for w in p.words if w]
    return (canonical, len(words), sum(len(w) > 1 for w in words), len(p.norm.replace(" ", "")))


def fuller(old: str, new: str, type_: str) -> bool:
    """Whether ``new`` (a name just linked to an actor called ``old``) should become its display name.

    Only a strictly fuller form (:func:`display_rank`) replaces the old one, so a
    canonical name only ever grows: "Trump" -> "Donald Trump", never back.
    """
    return display_rank(new, type_) > display_rank(old, type_) and normalise_name(new) != normalise_name(old)


def acronym_aliases(name: str, type_: str, surfaces: Iterable[str]) -> list[str]:
    """The surface forms of one article's entity that spell its name's acronym ("OPCW" for
    "Organisation for the Prohibition of Chemical Weapons"): the article itself says they are one
    organisation, so they are recorded as aliases (ORG only)."""
    p = _parse(name, type_)
    if p.cls != "org" or not p.acronym:
        return []
    out = []
    for s in surfaces:
        q = _parse(s.strip(), type_)
        if q.is_acronym and q.norm == p.acronym and s.strip() not in out:
            out.append(s.strip())
    return out


# ---------------------------------------------------------------- parsing names
_ACRO_STOP = frozenset({"of", "the", "and", "for", "de", "des", "du", "la", "le", "les", "et", "in", "on",
                        "a", "an", "y", "del", "der", "und", "fur"})


@dataclass(frozen=True, slots=True)
class _Name:
    raw: str
    norm: str
    words: tuple[str, ...]      # without generation markers
    gens: frozenset[str]
    cls: str
    group: str | None           # alias-table group
    acronym: str                # initials of a multi-word name ("nato"), "" otherwise
    is_acronym: bool            # written as an all-capital single word

    @property
    def family(self) -> str:
        return self.words[-1] if self.words else ""


@lru_cache(maxsize=1 << 16)
def _parse(name: str, type_: str) -> _Name:
    norm = normalise_name(name)
    words = norm.split()
    gens = frozenset(w for w in words[1:] if w in GENERATIONS.values())
    core = tuple(w for i, w in enumerate(words) if not (i and w in gens)) if gens else tuple(words)
    cls = type_class(type_)
    acronym = ""
    if len(core) >= 2:
        acronym = "".join(w[0] for w in core if w not in _ACRO_STOP)
    letters = re.sub(r"[\W_]", "", name)
    is_acro = len(core) == 1 and len(letters) >= 2 and letters.isupper() and letters.isalpha()
    group = _alias_table()[0].get((cls, norm))
    return _Name(name, norm, core, gens, cls, group, acronym, is_acro)


def name_keys(name: str, type_: str) -> set[str]:
    """Blocking keys of a name: an actor is a candidate for a name iff they share one.

    Keys are prefixed with the type class (``person|``, ``org|``, ``place|`` ...),
    so a lookup never crosses incompatible types:

    * ``n:<normalised name>`` always;
    * ``g:<alias group>`` when the alias table knows the name;
    * PERSON: ``s:<suffix>`` for every word suffix ("s:lavrov", "s:ocasio cortez"),
      and for full names ``p:<first 3 letters of the family name> <given initial>``
      (fuzzy variants of a family name agree on its first letters almost always,
      the first letter is a guard; given names must share their first letter);
    * ORG: ``a:<acronym>`` (initials of a multi-word name, or an all-capital word).
    """
    p = _parse(name, type_)
    if not p.norm:
        return set()
    c = p.cls + "|"
    keys = {c + "n:" + p.norm}
    if p.group:
        keys.add(c + "g:" + p.group)
    if p.cls == "person" and p.words:
        w = p.words
        keys.update(c + "s:" + " ".join(w[i:]) for i in range(len(w)))
        if len(w) >= 2:
            keys.add(c + "p:" + p.family[:3] + " " + w[0][0])
    elif p.cls == "org":
        if p.acronym:
            keys.add(c + "a:" + p.acronym)
        if p.is_acronym:
            keys.add(c + "a:" + p.norm)
    return keys


# ---------------------------------------------------------------- records
@dataclass(frozen=True, slots=True)
class Actor:
    """One known actor: a stable ``key``, a display ``name``, its ``type`` and other names."""

    key: str
    name: str
    type: str
    aliases: frozenset[str] = frozenset()

    def names(self) -> tuple[str, ...]:
        return (self.name, *sorted(a for a in self.aliases if a != self.name))

    def keys(self) -> set[str]:
        """Blocking keys of all its names: what the store indexes the actor under."""
        return set().union(*(name_keys(n, self.type) for n in self.names()))


@dataclass(frozen=True, slots=True)
class Decision:
    """``actor_key`` the name links to (None: no decision -> a new actor or a human), why, how sure."""

    actor_key: str | None
    score: float
    reason: str

    @property
    def linked(self) -> bool:
        return self.actor_key is not None


# ---------------------------------------------------------------- corrections
_OPS = ("merge", "split", "link", "unlink")


class Corrections:
    """User corrections, kept as an ordered log and replayed; the last word on a pair wins.

    * ``merge(a, b)``  "actor A is actor B": B (and all merged into it) resolves to A's group.
    * ``split(a, b)``  "actor A is not actor B": undoes a merge of the pair and refuses
      any later merge that would bring them into one group again (until ``merge(a, b)``).
    * ``link(name, type, key)``   "this name is that actor" (any spelling with the same
      normalised form, in the same type class).
    * ``unlink(name, type, key)`` "this name is not that actor": automatic matching
      never returns that actor's group for the name.

    Serialisable: ``to_json()`` / ``Corrections.from_json(text)`` (a list of ops), so it
    survives re-analysis.
    """

    def __init__(self, ops: Iterable[dict[str, str]] = ()) -> None:
        self.ops: list[dict[str, str]] = []
        for op in ops:
            self._append(dict(op))

    # -- recording
    def _append(self, op: dict[str, str]) -> None:
        if op.get("op") not in _OPS:
            raise ValueError(f"unknown correction op: {op!r}")
        self.ops.append(op)
        self._state = None

    def merge(self, a: str, b: str) -> None:
        self._append({"op": "merge", "a": a, "b": b})

    def split(self, a: str, b: str) -> None:
        self._append({"op": "split", "a": a, "b": b})

    def link(self, name: str, type_: str, key: str) -> None:
        self._append({"op": "link", "name": name, "type": type_, "key": key})

    def unlink(self, name: str, type_: str, key: str) -> None:
        self._append({"op": "unlink", "name": name, "type": type_, "key": key})

    # -- serialisation
    def to_dict(self) -> dict[str, Any]:
        return {"version": 1, "ops": [dict(o) for o in self.ops]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Corrections:
        return cls(d.get("ops") or ())

    @classmethod
    def from_json(cls, text: str) -> Corrections:
        return cls.from_dict(json.loads(text))

    def __len__(self) -> int:
        return len(self.ops)

    # -- replay
    _state: tuple[dict[str, str], dict[tuple[str, str], str], set[tuple[str, str, str]]] | None = None

    def _replay(self) -> tuple[dict[str, str], dict[tuple[str, str], str], set[tuple[str, str, str]]]:
        if self._state is not None:
            return self._state
        merges: dict[frozenset[str], tuple[str, str]] = {}
        order: list[frozenset[str]] = []
        splits: set[frozenset[str]] = set()
        links: dict[tuple[str, str], str] = {}
        unlinks: set[tuple[str, str, str]] = set()
        for op in self.ops:
            kind = op["op"]
            if kind in ("merge", "split"):
                pair = frozenset((op["a"], op["b"]))
                if len(pair) < 2:
                    continue
                if kind == "merge":
                    splits.discard(pair)
                    merges[pair] = (op["a"], op["b"])
                    if pair in order:
                        order.remove(pair)
                    order.append(pair)
                else:
                    merges.pop(pair, None)
                    if pair in order:
                        order.remove(pair)
                    splits.add(pair)
            else:
                k = (type_class(op["type"]), normalise_name(op["name"]))
                if kind == "link":
                    unlinks.discard((*k, op["key"]))
                    links[k] = op["key"]
                else:
                    if links.get(k) == op["key"]:
                        del links[k]
                    unlinks.add((*k, op["key"]))
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        for pair in order:
            a, b = merges[pair]
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            parent[rb] = ra
            if any(find(x) == find(y) for x, y in (tuple(s) for s in splits)):
                del parent[rb]  # would join a split pair: the split wins
        roots = {x: find(x) for x in parent}
        self._state = (roots, links, unlinks)
        return self._state

    def root(self, key: str) -> str:
        """The representative key of ``key``'s merged group (``key`` itself if never merged)."""
        return self._replay()[0].get(key, key)

    def linked(self, name: str, type_: str) -> str | None:
        k = self._replay()[1].get((type_class(type_), normalise_name(name)))
        return None if k is None else self.root(k)

    def blocked(self, name: str, type_: str) -> set[str]:
        cls, norm = type_class(type_), normalise_name(name)
        return {self.root(k) for c, n, k in self._replay()[2] if c == cls and n == norm}

    def split_pairs(self) -> set[frozenset[str]]:
        return {frozenset((o["a"], o["b"])) for o in self.ops if o["op"] == "split"}


# ---------------------------------------------------------------- scoring
def _initial_ok(a: str, b: str) -> bool:
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _word_sim(a: str, b: str, ratio_min: float, jw_min: float) -> tuple[float, str]:
    """(similarity, reason); similarity 0.0 means a guard refused."""
    if a == b:
        return 1.0, ""
    if len(a) <= SHORT or len(b) <= SHORT:
        return 0.0, f"short words differ ({a}/{b})"
    if a[0] != b[0]:
        return 0.0, f"first letters differ ({a}/{b})"
    r = _ratio(a, b)
    if r < ratio_min or _jw(a, b) < jw_min:
        return 0.0, f"too different ({a}/{b}: {r:.2f})"
    return r, "fuzzy"


def _person_score(q: _Name, c: _Name) -> tuple[float, str]:
    """Pairwise PERSON score of two multi-word names (0.0 with a reason = guard)."""
    if q.gens != c.gens:
        return 0.0, "generation differs"
    qw, cw = q.words, c.words
    fam, why = _word_sim(qw[-1], cw[-1], FAMILY_RATIO, FAMILY_JW)
    if not fam:
        return 0.0, "family name: " + why
    cap = 1.0
    if qw[0] == cw[0]:
        giv = 1.0
    elif _initial_ok(qw[0], cw[0]):
        giv, cap = 1.0, INITIAL_CAP
    else:
        giv, why = _word_sim(qw[0], cw[0], GIVEN_RATIO, GIVEN_JW)
        if not giv:
            return 0.0, "given name: " + why
    qm, cm = qw[1:-1], cw[1:-1]
    if qm != cm:
        if not qm or not cm:
            middles = qm or cm
            if any(len(m) == 1 for m in middles):
                return 0.0, "middle initial on one side only (George Bush / George W. Bush)"
            cap = min(cap, MIDDLE_ABSENT_SCORE)
        elif len(qm) != len(cm):
            return 0.0, "middle names differ"
        else:
            for a, b in zip(qm, cm, strict=True):
                if a != b and not _initial_ok(a, b):
                    return 0.0, f"middle names differ ({a}/{b})"
            cap = min(cap, INITIAL_CAP)
    score = min(fam, giv, cap)
    reason = "normalised full name" if score == 1.0 else (
        "fuzzy full name" if min(fam, giv) < 1.0 else ("initial" if cap == INITIAL_CAP else "middle name absent"))
    return score, reason


def _fullest(cand: list[_Name], q: _Name) -> list[_Name]:
    """The names of a PERSON actor that speak for it against query ``q``.

    An actor's bare surname ("Trump", kept as an alias from an article that gave no
    more) is a shorthand for its full names ("Donald Trump"): once it has one, the
    full names decide. So "Ivanka Trump" is not "Donald Trump" through the alias
    "Trump", and a bare "Trump" goes through the surname rule (one known holder of
    the surname, or no decision) instead of matching the alias exactly.
    """
    full_tails = {x.words[-1] for x in cand if len(x.words) >= 2}
    if not full_tails:
        return cand
    return [x for x in cand if not (len(x.words) == 1 and x.words[0] in full_tails)] or cand


# ---------------------------------------------------------------- matcher
class Matcher:
    """Known actors in memory, and the decision of which one a name is.

    ``actors``: the known actors (or candidates the store looked up by
    :func:`name_keys`). ``threshold``: the lowest score that links (default 0.88).
    ``corrections``: user corrections (a fresh :class:`Corrections` if omitted);
    :meth:`merge`, :meth:`split`, :meth:`link`, :meth:`unlink` record into it.
    ``context_of``: ``key -> names`` the actor was seen with, called lazily (once per
    actor) only when a borderline score needs context and :meth:`observe` gave none;
    the store passes a reader of the actor's co-mentioned names, so the context
    boost applies during ingest without loading context for every candidate.
    """

    def __init__(self, actors: Iterable[Actor] = (), *, threshold: float = DEFAULT_THRESHOLD,
                 corrections: Corrections | None = None,
                 context_of: Callable[[str], Iterable[str]] | None = None) -> None:
        self.threshold = threshold
        self.corrections = corrections if corrections is not None else Corrections()
        self.actors: dict[str, Actor] = {}
        self._names: dict[str, list[_Name]] = {}
        self._index: dict[str, set[str]] = {}
        self._context: dict[str, set[str]] = {}
        self._context_of = context_of
        for a in actors:
            self.add(a)

    # -- registry
    def add(self, actor: Actor, context: Iterable[str] = ()) -> None:
        """Add (or replace) an actor; ``context``: names / roles it was seen with."""
        if actor.key in self.actors:
            self._unindex(actor.key)
        self.actors[actor.key] = actor
        parsed = [_parse(n, actor.type) for n in actor.names() if normalise_name(n)]
        self._names[actor.key] = parsed
        for n in actor.names():
            for k in name_keys(n, actor.type):
                self._index.setdefault(k, set()).add(actor.key)
        if context:
            self.observe(actor.key, context)

    def _unindex(self, key: str) -> None:
        old = self.actors[key]
        for n in old.names():
            for k in name_keys(n, old.type):
                s = self._index.get(k)
                if s:
                    s.discard(key)

    def observe(self, key: str, context: Iterable[str]) -> None:
        """Remember co-mentioned names / roles of an actor (for borderline decisions)."""
        self._context.setdefault(key, set()).update(n for n in map(normalise_name, context) if n)

    def _seen_with(self, key: str) -> set[str]:
        seen = self._context.get(key)
        if seen is None:
            seen = set()
            if self._context_of is not None:
                seen.update(n for n in map(normalise_name, self._context_of(key)) if n)
            self._context[key] = seen
        return seen

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, key: object) -> bool:
        return key in self.actors

    # -- corrections
    def merge(self, a: str, b: str) -> None:
        """User: actor ``a`` is actor ``b`` (``b`` resolves to ``a``'s group)."""
        self.corrections.merge(a, b)

    def split(self, a: str, b: str) -> None:
        """User: actor ``a`` is not actor ``b`` (undoes a merge)."""
        self.corrections.split(a, b)

    def link(self, name: str, type_: str, key: str) -> None:
        self.corrections.link(name, type_, key)

    def unlink(self, name: str, type_: str, key: str) -> None:
        self.corrections.unlink(name, type_, key)

    def root(self, key: str) -> str:
        return self.corrections.root(key)

    # -- matching
    def candidates(self, name: str, type_: str) -> set[str]:
        out: set[str] = set()
        for k in name_keys(name, type_):
            out |= self._index.get(k, set())
        return out

    def _persons_with_suffix(self, suffix: str, gens: frozenset[str] = frozenset()) -> set[str]:
        """Known people (groups) with a name ending in ``suffix`` (and these generation markers)."""
        keys = self._index.get("person|s:" + suffix, ())
        if gens:
            n = len(suffix.split())
            keys = [k for k in keys if any(x.gens == gens and " ".join(x.words[-n:]) == suffix
                                           for x in self._names[k])]
        return {self.root(k) for k in keys}

    def _orgs_with_acronym(self, acro: str, *, written: bool) -> set[str]:
        """Known ORGs whose initials spell ``acro`` (``written=False``) or that are written so."""
        out = set()
        for k in self._index.get("org|a:" + acro, ()):
            if any((n.is_acronym and n.norm == acro) if written else n.acronym == acro for n in self._names[k]):
                out.add(self.root(k))
        return out

    def _pair(self, q: _Name, c: _Name, holders_cache: dict[str, int] | None = None,
              here: frozenset[str] = frozenset()) -> tuple[float, str]:
        """Score of query name ``q`` against one name ``c`` of a known actor (same class).

        ``here``: normalised names of the query's article (acronym <-> expansion needs ``c`` there).
        """
        if q.norm == c.norm:
            return 1.0, "exact" if q.raw == c.raw else "normalised name"
        if q.group and q.group == c.group:
            return 1.0, "alias table"
        if q.cls == "person":
            qw, cw = q.words, c.words
            if not qw or not cw:
                return 0.0, "empty"
            if len(qw) != len(cw) and (qw == cw[len(cw) - len(qw):] or cw == qw[len(qw) - len(cw):]):
                short = q if len(qw) < len(cw) else c
                if short.gens and short.gens != (c if short is q else q).gens:
                    return 0.0, "generation differs"
                suffix = " ".join(short.words)
                ckey = suffix + "|" + " ".join(sorted(short.gens))
                holders = holders_cache.get(ckey) if holders_cache is not None else None
                if holders is None:
                    holders = len(self._persons_with_suffix(suffix, short.gens))
                    if holders_cache is not None:
                        holders_cache[ckey] = holders
                if holders == 1:
                    return SURNAME_SCORE, "unique surname"
                return 0.0, f"surname shared by {holders} known people"
            if len(qw) >= 2 and len(cw) >= 2:
                qf, cf = qw[-1], cw[-1]
                if qf != cf and (qf[0] != cf[0] or len(qf) <= SHORT or len(cf) <= SHORT):
                    return 0.0, "family names differ"
                return _person_score(q, c)
            return 0.0, "different names"
        if q.cls == "org":
            for a, b in ((q, c), (c, q)):
                if a.is_acronym and b.acronym == a.norm:
                    if c.norm not in here:
                        return 0.0, "acronym and expansion not in one article"
                    holders = self._orgs_with_acronym(a.norm, written=a is c)
                    if len(holders) == 1:
                        return ACRONYM_SCORE, "acronym"
                    return 0.0, f"acronym shared by {len(holders)} known organisations"
        return 0.0, "different names"

    def match(self, name: str, type: str, context: Iterable[str] = ()) -> Decision:  # noqa: A002
        """Which known actor ``name`` (of entity type ``type``) is; see the module docstring."""
        q = _parse(name, type)
        if not q.norm:
            return Decision(None, 0.0, "empty name")
        forced = self.corrections.linked(name, type)
        if forced is not None:
            return Decision(forced, 1.0, "correction: linked by user")
        blocked = self.corrections.blocked(name, type)
        best: dict[str, tuple[float, str]] = {}
        refused: list[str] = []
        roots = self.corrections._replay()[0]
        holders_cache: dict[str, int] = {}
        names = self._names
        pair = self._pair
        here = frozenset(n for n in map(normalise_name, context) if n)
        for key in sorted(self.candidates(name, type)):
            cand = names[key]
            if not cand or cand[0].cls != q.cls:  # cannot happen through keys; kept as the guard
                continue
            root = roots.get(key, key)
            if root in blocked:
                refused.append("correction: unlinked by user")
                continue
            if q.cls == "person":
                cand = _fullest(cand, q)
            s, why = 0.0, ""
            for c in cand:
                cs, cwhy = pair(q, c, holders_cache, here)
                if cs > s:
                    s, why = cs, cwhy
                elif not s and cwhy:
                    why = cwhy
            if s <= 0.0:
                if why:
                    refused.append(why)
                continue
            if s < self.threshold and s >= self.threshold - CONTEXT_WINDOW and here:
                shared = self._seen_with(key) & here
                if shared:
                    s = min(s + CONTEXT_STEP * len(shared), s + CONTEXT_WINDOW, 0.999)
                    why += f" + context ({len(shared)} shared)"
            if s > best.get(root, (0.0, ""))[0]:
                best[root] = (s, why)
        if not best:
            return Decision(None, 0.0, refused[0] if refused else "no candidate")
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        top_key, (top, why) = ranked[0]
        if top < self.threshold:
            return Decision(None, top, f"below threshold: {why} ({top_key})")
        if len(ranked) > 1 and ranked[1][1][0] >= self.threshold and top - ranked[1][1][0] < AMBIGUITY_MARGIN:
            return Decision(None, top, f"ambiguous: {top_key} / {ranked[1][0]}")
        return Decision(top_key, top, why)

    def same(self, a: str, type_a: str, b: str, type_b: str, context: Iterable[str] = ()) -> Decision:
        """Pairwise: would ``b`` link to an actor known only by ``a``? (Used by the pair suite.)

        ``context``: names of ``b``'s article; the actor was seen with the same names.
        """
        context = tuple(context)
        m = Matcher([Actor("a", a, type_a)], threshold=self.threshold)
        m.observe("a", (n for n in context if normalise_name(n) != normalise_name(a)))
        return m.match(b, type_b, context)

