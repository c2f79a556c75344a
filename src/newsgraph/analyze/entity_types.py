"""Entity types from names and context: gazetteer, country table, "a place annexed is a place".

Used by ``analyze/entities.py``. Everything here is a pure function of a name
or of one mention's syntactic context; the caller adds up the evidence.

* :func:`slug` makes the id part of a name (``"Vladimir Putin"`` ->
  ``"vladimir-putin"``; accents folded, any run of non-word characters -> ``-``).
* :func:`known_place` looks a name up in ``data/entity_places.tsv`` (places the
  small model mistypes) and the country table (``data/countries_en.tsv``,
  every country and alias is a GPE).
* :func:`is_demonym` tells adjectives and demonyms ("Ukrainian", "Russians")
  from place names, so a GPE slip like "the Ukrainian authorities" -> NORP.
* :func:`place_evidence` scores one mention's context: 2 for a strong cue
  (object of annex / invade / occupy / liberate / recapture, passive subject
  of those, "the annexation / invasion / occupation of X", "the city / region
  of X", "X peninsula / region / province"), 1 for a weak one (object of
  attack / bomb / shell / seize / capture, "an attack / strike / offensive on
  / against X", "troops into X"); conjuncts share their first conjunct's
  context ("annexed Crimea and Donbas").
* :func:`looks_like_org` protects names that must stay organisations whatever
  their context: acronyms ("an attack on NATO"), names with digits, names with
  an organisation word ("Ministry", "Party", "Bank", "Council" ...).
* :func:`org_evidence` scores one mention's context for "organisation": 2 for
  a platform or company context ("posted on X", "streaming on Netflix", "said
  in a statement on Telegram", "Twitter users", "Netflix subscribers", "Twitter's
  algorithm / app / shareholders"), 1 for the subject of a posting verb ("Twitter
  posted", "the platform tweeted": people post too, so this alone never retypes).
* :func:`not_a_name` tells a capitalised common word NER took for a name
  ("Televised" GPE at a sentence start, "Module" PERSON in a heading): a single
  word the article also writes in lower case, or a verb form (-ised, -ized,
  -ated, -ified) that no gazetteer knows.
* :func:`final_type` is the type decision for one entity of an article, given
  the evidence the caller added up (step 5 of ``entities.py``, plus the
  registry): a known organisation (``registry.known_organisation``: the alias
  table's organisations and ``registry_data/organisations.tsv``) is never a
  GPE or a PERSON; an unprotected one-word PERSON or an unlisted GPE with
  organisation evidence >= 2 is an ORG; then countries, listed places, place
  evidence and demonyms as before.
* :func:`registry_type` is the type decision at ingest, from the registry and
  the store: a known organisation typed GPE / LOC / PERSON is an ORG; a one-word
  PERSON or unlisted place whose exact name the store knows as an organisation
  in at least 2 articles, 3 times as many as under its own type, is an ORG.

Precedence (what wins when evidence conflicts): a protected person (a role or
a gender) > a known place (country table, places list) > a known organisation
> organisation evidence >= 2 > place evidence >= 2 > NER.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from newsgraph.analyze.speaker_lexicon import COUNTRIES_FILE, fold, load_lexicon

__all__ = ["final_type", "is_demonym", "known_place", "looks_like_org", "name_key", "not_a_name", "org_evidence",
           "place_evidence", "registry_type", "slug"]

PLACES_FILE = Path(__file__).parent / "data" / "entity_places.tsv"

STRONG_VERBS = frozenset({"annex", "reannex", "invade", "occupy", "reoccupy", "liberate", "recapture", "retake",
                          "partition", "colonize", "colonise", "govern", "evacuate", "blockade"})
WEAK_VERBS = frozenset({"attack", "bomb", "shell", "seize", "capture", "strike", "raid", "storm", "encircle",
                        "besiege", "surround", "enter", "visit", "tour", "leave", "flee", "reach"})
STRONG_OF_NOUNS = frozenset({"annexation", "invasion", "occupation", "liberation", "partition", "recapture",
                             "city", "town", "village", "region", "province", "capital", "outskirts",
                             "territory", "coast", "port", "peninsula", "state", "republic", "island",
                             "islands", "district", "county", "oblast", "suburbs", "centre", "center",
                             "residents", "inhabitants", "people", "streets", "border", "borders"})
ATTACK_NOUNS = frozenset({"attack", "attacks", "assault", "strike", "strikes", "offensive", "invasion",
                          "incursion", "raid", "raids", "bombing", "bombardment", "shelling", "war", "march",
                          "advance", "push", "counteroffensive", "counter-offensive", "troops", "forces"})
MOVE_VERBS = frozenset({"move", "march", "push", "advance", "send", "deploy", "cross", "enter", "pour",
                        "roll", "invade", "drive", "return", "travel", "fly", "arrive"})
PLACE_TYPES_ = frozenset({"GPE", "LOC", "FAC"})
PLACE_HEADS = frozenset({"peninsula", "region", "province", "oblast", "city", "town", "village", "border",
                         "coast", "island", "islands", "district", "county", "territory", "republic"})
ORG_WORDS = frozenset({
    "ministry", "agency", "company", "council", "party", "bank", "inc", "inc.", "ltd", "ltd.", "corp", "corp.",
    "corporation", "group", "university", "association", "union", "committee", "commission", "department",
    "office", "court", "parliament", "assembly", "army", "forces", "force", "navy", "guard", "police", "news",
    "times", "post", "press", "institute", "foundation", "fund", "organisation", "organization", "alliance",
    "league", "club", "airlines", "airways", "service", "services", "front", "movement", "network", "media",
    "tv", "radio", "television", "agence", "ag", "plc", "llc", "gmbh", "sa", "holdings", "international",
    "federal", "bureau", "authority", "board", "cabinet", "senate", "congress", "duma", "house", "fc",
})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_THE = re.compile(r"^the\s+", re.IGNORECASE)


def slug(name: str) -> str:
    """``"Agence France-Presse"`` -> ``"agence-france-presse"`` (accent-folded, lower case)."""
    s = _NON_WORD.sub("-", fold(name)).strip("-")
    return s or "x"


def name_key(name: str) -> str:
    """Case/accent-folded name without a leading "the" and with single spaces."""
    return " ".join(fold(_THE.sub("", name.strip())).split())


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, typ = line.partition("\t")
        typ = typ.strip() or "GPE"
        out[name_key(name)] = typ
    return out


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    """Adjectives and demonyms of the country table (never capitals, never names)."""
    lex = load_lexicon()
    out: set[str] = set()
    for line in COUNTRIES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 5)[:5]
        for form in [cols[1], *cols[3].split(",")]:
            k = name_key(form)
            if k and k not in lex.names:
                out.add(k)
    return frozenset(out)


def known_place(name: str) -> str | None:
    """``"GPE"`` / ``"LOC"`` for a country (or alias) or a listed place, else None."""
    k = name_key(name)
    if k in load_lexicon().names:
        return "GPE"
    return _places().get(k)


def is_demonym(name: str) -> bool:
    """``"Ukrainian"``, ``"Russians"``, ``"American"``: an adjective / people, not a place."""
    return name_key(name) in _demonyms()


def looks_like_org(name: str) -> bool:
    """A name that context must never turn into a place ("NATO", "Foreign Ministry", "G7")."""
    letters = name.replace(".", "").replace("-", "").replace(" ", "")
    if letters.isupper() and len(letters) >= 2:
        return True
    if any(ch.isdigit() for ch in name):
        return True
    return any(w in ORG_WORDS for w in name_key(name).split())


def place_evidence(root) -> int:  # noqa: ANN001  (a spaCy Token: the mention's syntactic root)
    """How strongly one mention's context says "place": 0, 1 (weak) or 2 (strong)."""
    tok = root
    hops = 0
    while tok.dep_ == "conj" and tok.head is not tok and hops < 5:
        tok = tok.head
        hops += 1
    dep = tok.dep_
    head = tok.head
    lemma = head.lemma_.lower()
    if dep in ("dobj", "nsubjpass", "obj"):
        if lemma in STRONG_VERBS:
            return 2
        if lemma in WEAK_VERBS:
            return 1
        return 0
    if dep == "pobj":
        prep = head.lower_
        gov = head.head
        glemma = gov.lemma_.lower()
        glower = gov.lower_
        if prep == "of" and (glower in STRONG_OF_NOUNS or glemma in STRONG_OF_NOUNS):
            return 2
        if prep in ("on", "against", "into", "in") and (glower in ATTACK_NOUNS or glemma in ATTACK_NOUNS):
            return 1 if prep != "in" else 0
        if prep == "into" and glemma in MOVE_VERBS:
            return 1
        return 0
    if dep == "compound" and head.lower_ in PLACE_HEADS:
        return 2
    return 0


# ---------------------------------------------------------------- organisations
POST_WORDS = frozenset({"post", "tweet", "retweet", "share", "stream", "publish", "upload", "write", "say", "announce",
                        "air", "broadcast", "premiere", "release", "available", "video", "statement", "message",
                        "account", "page", "channel", "platform", "series", "show", "film", "livestream", "comment"})
ORG_NOUNS = frozenset({"user", "users", "subscriber", "subscribers", "app", "platform", "algorithm", "shareholder",
                       "shareholders", "shares", "stock", "headquarters", "employees", "account", "accounts", "feed",
                       "post", "posts", "streaming", "service", "moderators", "moderation", "servers", "website",
                       "subscription", "subscriptions", "catalogue", "catalog", "studio", "studios"})
POSTING_VERBS = frozenset({"tweet", "post", "retweet", "stream", "upload", "livestream"})
_VERB_FORM = re.compile(r"(?:is|iz|at|ifi)ed$|(?:is|iz)ing$")


def org_evidence(root) -> int:  # noqa: ANN001  (a spaCy Token: the mention's syntactic root)
    """How strongly one mention's context says "organisation": 0, 1 (weak) or 2 (strong)."""
    tok = root
    dep = tok.dep_
    head = tok.head
    if dep == "pobj" and head.lower_ in ("on", "via") and head.head is not head:
        gov = head.head
        if gov.lemma_.lower() in POST_WORDS or gov.lower_ in POST_WORDS:
            return 2
        return 0
    if dep in ("compound", "poss") and head is not tok and head.lower_ in ORG_NOUNS:
        return 2
    if dep == "nsubj" and head.lemma_.lower() in POSTING_VERBS:
        return 1
    return 0


def not_a_name(name: str, text: str = "") -> bool:
    """A one-word "name" that is a capitalised common word ("Televised", "Module")."""
    words = name.split()
    if len(words) != 1:
        return False
    w = words[0]
    if not w[:1].isupper() or not w[1:].islower() or not w.isalpha():
        return False  # acronyms and odd casing are names
    if known_place(w) or _known_org(w):
        return False
    if _VERB_FORM.search(w.lower()) and len(w) >= 6:
        return True
    if text:
        return re.search(rf"(?:^|(?<=\s)){re.escape(w.lower())}(?=[\s.,;:!?)]|$)", text) is not None
    return False


def _known_org(name: str) -> bool:
    from newsgraph.registry import known_organisation

    return known_organisation(name)


def final_type(name: str, type_: str, *, place: int = 0, org: int = 0, protected: bool = False,
               clustered: bool = True) -> str:
    """The type of one entity of an article (see the module docstring: precedence).

    ``place`` / ``org``: the evidence the caller added up over the entity's mentions
    (:func:`place_evidence`, :func:`org_evidence`); ``protected``: a person with a
    role or a gender; ``clustered``: the entity comes from a name cluster (not a
    group name or a LOC / FAC / EVENT / LAW span).
    """
    single = len(name.split()) == 1
    if type_ == "PERSON" and (protected or not single):
        return type_
    if type_ in PLACE_TYPES_ and type_ != "GPE":
        return type_
    if type_ in ("GPE", "ORG") and is_demonym(name):
        return "NORP"
    listed = known_place(name)
    if type_ in ("GPE", "PERSON") and listed is None and (_known_org(name) or org >= 2):
        return "ORG"
    if type_ == "GPE":
        return type_
    if type_ not in ("ORG", "PERSON"):
        return type_
    if listed is not None:
        return listed
    if place >= 2 and not looks_like_org(name) and clustered and not _known_org(name):
        return "GPE"
    return type_


def registry_type(name: str, type_: str, seen: dict[str, int] | None = None) -> str:
    """The type an entity is linked under at ingest (see the module docstring).

    ``seen``: type class (``"org"``, ``"place"``, ``"person"`` ...) -> articles in
    which the store's actors of exactly this (normalised) name appear.
    """
    t = type_.upper()
    if t not in ("GPE", "LOC", "PERSON"):
        return type_
    if known_place(name) is not None:
        return type_
    if _known_org(name):
        return "ORG"
    if not seen or (t == "PERSON" and len(name.split()) != 1):
        return type_
    own = seen.get("place" if t in ("GPE", "LOC") else "person", 0)
    n_org = seen.get("org", 0)
    if n_org >= 2 and n_org >= 3 * own:
        return "ORG"
    return type_
