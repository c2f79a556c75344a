"""Bylines -> people (``authors``) and organisations or wire services (``credits``).

A byline names people, and often an outlet, a desk or a wire with them:
"By Jane Doe and John Roe", "Jane Doe, John Roe and Ann Lee", "Jane Doe |
Reuters", "Von Anna Muster, dpa", "Par Jean Dupont (AFP)", "Автор: Иван
Петров", "PTI", "NJ Advance Media". ``parse_byline`` strips the cue word (at
the start, or the last one inside a line: "Posted on 21 May 2020 by Jane
Doe"; never a particle of a name: "Walter von Aachen"), cuts a date after the
names, splits the names at the separators of the common languages (spaced
dashes included) and decides for each piece, by what it is and never by where
it stands:

* a **wire** when it is a news agency of ``data/wires.tsv`` (any written
  form: "The Associated Press" -> ``AP``): ``("wire", "AP")``;
* an **organisation** when it names the outlet, carries an organisation word
  in one of the common languages (Media, News, Redaktion, Verein, Feuerwehr,
  Association, Fundación ...) or ends in one ("SeglerBlog", "TVT-Redaktion"),
  opens with an article ("The Local", "La República": titles of things, not
  names), or names the website whose address follows it in parentheses
  ("Deutsche Welle (www.dw.com)"): ``("organisation", name)``;
* a **person** when it has a name's shape: two to five words, each starting
  with a capital (lower case only for particles: von, de, da ...), no digits,
  no URL, no role word ("Staff Writer", "Correspondent") or date; a job title
  before the name is dropped ("Rechtsanwalt Jan Beispiel" -> "Jan Beispiel");
* with ``handles`` (for sources that say they name the author: JSON-LD,
  ``<meta name=author>``, byline elements) a **one-word signature** standing
  alone is a person too ("HansG", "von gizzmo"), unless it is a CMS default,
  a role, an organisation word or a month ("admin", "Redaktion", "zvg");
* a **label** made only of role, desk and placeholder words ("Staff Writer",
  "Editorial Team", "News Desk", "admin") is neither: dropped;
* a piece crediting a picture, an editor or a translator ("Foto: ...",
  "Edited by ...", "Übersetzt von ...") names no writer: dropped;
* anything else is dropped (a date, "Updated 3 hours ago", a place).

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
    r"^\s*(?:(?:written|posted|reported|reporting|compiled|text|story|words)\s+(?:by|von)\b[:\s]*"
    r"|(?:veröffentlicht|geschrieben|verfasst|erstellt|gepostet|publiziert|gespeichert|eingereicht)\s+von\b[:\s]*"
    r"|submitted\s+by\b[:\s]*"
    r"|ein(?:e)?\s+(?:beitrag|artikel|text|gastbeitrag|kommentar|analyse)\s+von\b[:\s]*"
    r"|(?:escrito|publicado|redactado|escrita)\s+por\b[:\s]*|(?:écrit|publié|rédigé)e?\s+par\b[:\s]*"
    r"|(?:scritto|pubblicato)\s+da\b[:\s]*|a\s+cura\s+di\b[:\s]*"
    r"|(?:about\s+the\s+author|über\s+(?:den\s+autor|die\s+autorin)|à\s+propos\s+de\s+l'auteur"
    r"|sobre\s+el\s+autor)\b[\s:\-–—]*"
    r"|by\b[:\s]*|von\b[:\s]*|par\b[:\s]*|por\b[:\s]*|door\b[:\s]*|di\b[:\s]*|da\b[:\s]*|av\b[:\s]*|af\b[:\s]*"
    r"|автор(?:ы)?\s*:?\s*|текст\s*:\s*|autor(?:[/*:_]?in(?:nen)?|en|es|a)?\b\s*:?\s*|auteur\s*:\s*"
    r"|author(?:s)?\b\s*:?\s*"
    r"|text\s*:\s*|texte\s*:\s*|redaktion\s*:\s*|interview\s*:\s*|from\s+|über\s+)",
    re.I,
)
#: A cue inside a line ("Posted on 21 September 2020 by Jane Doe"): the names follow the last one.
_INNER_CUE = re.compile(r"(?:^|\s)(?:by|von|par|por|door)\s+(?=[^\W\d_])", re.I)
#: ... unless what comes before it says the line credits a picture ("Foto von ...").
#: ... and so does one that credits an editor or a translator ("Edited by", "Übersetzt von"): not the writer.
_PICTURE = re.compile(r"\b(?:fotos?|photos?|photograph\w*|bild(?:er)?|images?|grafik|illustrat\w*|video|фото"
                      r"|edited|translated|übersetzt|herausgegeben|traduit|traducido|tradotto)\b", re.I)
#: Separators between names: commas, semicolons, ampersands, pipes, slashes, spaced dashes and "and" in
#: many languages.
_SPLIT = re.compile(r"\s*(?:[,;&|/•·]|(?<=\s)[–—-](?=\s)|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\bog\b|\boch\b"
                    r"|\ben\b|\bи\b|\bwith\b|\bmit\b|\bavec\b|\bcon\b|\bfor\b|\bfür\b|\bpour\b|\bpara\b)\s*", re.I)
_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{1,60})[)\]]\s*")
_DIGIT = re.compile(r"\d")
#: A site named by its domain ("Phys.org", "hessenschau.de"; not "www.", no e-mail).
_DOMAIN = re.compile(r"(?!www\.)[^\W_][\w-]*(?:\.[\w-]+)+", re.I)
#: A sentence ending inside a piece ("Nordic Review. She is based in Oslo"): prose, not a name.
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\w")
#: A social-media handle written after a name ("Jane Doe @janedoe"): not part of the name.
_AT_HANDLE = re.compile(r"(?<=\S)\s+@[\w.]+")
#: A date or time after the names ("VON A B am 21. April 2020", "Jane Doe | Updated 3 March"): cut.
_DATE_TAIL = re.compile(r"\s*(?:[|,·•–—-]\s*)?(?:\b[^\W\d]{1,4}\.?\s+)?(?<![^\W\d_])\d.*$")
_URLISH = re.compile(r"https?://|www\.|@|\.(?:com|org|net|de|fr|uk)\b|\w\.[a-z]{2,3}$", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.U)
#: A handle: one token of letters (digits, ``_``, ``.``, ``-`` inside), as blogs and forums sign.
_HANDLE = re.compile(r"[^\W\d_][\w.\-]{1,29}", re.U)
#: A name never opens with an article: "The Local", "La República", "Die Zeit" are titles of things.
ARTICLES = frozenset("the der die das la le les el los las il lo gli".split())
#: Words that make a piece an organisation, desk or team rather than a person.
ORG_WORDS = frozenset("""
media news newsroom service services agency agencies staff desk team redaktion redaktionen
editorial editors editor online zeitung zeitungen verlag press presse post times tribune herald
journal gazette daily weekly magazine magazin network networks radio tv television bureau
department ministry office group company inc ltd gmbh ag llc corp university institute foundation
stiftung association verband council committee partei party international digital rédaction
redacción redazione redactie redaksjonen редакция служба wire wires contributors correspondents
e.v verein club klub fc sv tsv vfb vfl feuerwehr polizei police abteilung amt behörde ministerium
kirche diakonie caritas bistum erzbistum gemeinde stadt landkreis kreuz cross gesellschaft institut
akademie academy schule school hochschule universität université universidad klinik klinikum hospital
gewerkschaft kammer fraktion bundesverband landesverband mairie ministère fédération federation
syndicat comité conseil collectif fondation fundación asociación federación ayuntamiento sindicato
associazione comune ufficio society union unions coalition alliance campaign initiative blog blogs
government administration authority authorities commission customs protection embassy consulate parliament
senate congress ministerio ministero gouvernement regierung bundesamt landesamt
""".split())
#: Endings that make a compound word an organisation's name.
ORG_SUFFIXES = ("redaktion", "blog", "news", "media", "verlag", "zeitung", "magazin", "presse", "verband",
                "verein", "stiftung", "team", "agentur", "online")
#: Words that make a piece a role or a label, not a name.
ROLE_WORDS = frozenset("""
writer reporter correspondent contributor columnist editor photographer author autor autorin
journalist journalistin senior chief special guest staff updated published posted comments
comment share follow more read minutes min uhr mehr veröffentlicht aktualisiert geschrieben publié
publicado pubblicato foto fotos photo photos фото bild bilder quelle source credit credits image
illustration grafik video artikel article articles beitrag beiträge kommentar kommentare antworten
reply profile profil interview
""".split())
#: Job titles written before a name ("Rechtsanwalt Jane Doe", "Online-Experte Jane Doe").
TITLE_ROLES = frozenset("""
experte expertin rechtsanwalt rechtsanwältin anwalt anwältin redakteur redakteurin korrespondent
korrespondentin reporterin chefredakteur chefredakteurin gastautor gastautorin fotograf fotografin
moderator moderatorin kolumnist kolumnistin
""".split())
#: One-word signatures that are no one's name: CMS defaults, labels, months.
GENERIC_HANDLES = frozenset("""
admin administrator administrador administrateur redaktion redaction rédaction redakteur editor editors
webmaster webredaktion guest gast invité invitado user nutzer benutzer team staff anonymous anonym anonyme
anonimo anónimo unknown unbekannt author autor auteur root support moderator system newsroom desk internet
online blog blogger home startseite news nachrichten kontakt contact impressum login register anmelden menu
menü suche search name nom nombre website redazione redacción zvg pd ho key red publisher
january february march april may june july august september october november december
januar februar märz juni juli oktober dezember janvier février mars avril mai juin juillet août
septembre octobre novembre décembre enero febrero marzo abril mayo junio julio agosto septiembre
octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
""".split())
#: Desk and team words that, with role words and placeholders only, make a byline a label.
LABEL_WORDS = frozenset("""
staff team editorial desk newsroom editors contributors contributor correspondents writers reporters report
reports service services wire web digital news the our und and de la le der die das redaktionsteam
""".split())
#: Lower-case words a name may hold ("Walter von Aachen", "Ana de la Cruz").
NAME_PARTICLES = frozenset("""
von van vom zu zum zur der den de da das do dos del della delle di du des la le lo ter ten bin ibn al el y e
""".split())
MAX_NAME_WORDS = 5
MAX_ORG_WORDS = 7
#: A one-word signature in capitals of at most this many letters is an acronym.
MAX_ACRONYM = 5
MAX_NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class Byline:
    """People and credits (``(kind, name)``, kind ``wire`` or ``organisation``) of one byline."""

    authors: tuple[str, ...] = ()
    credits: tuple[tuple[str, str], ...] = ()

    def merge(self, other: Byline) -> Byline:
        authors = list(self.authors)
        keys = {fold(a) for a in authors}
        for name in other.authors:
            if fold(name) not in keys:
                keys.add(fold(name))
                authors.append(name)
        credits = list(self.credits)
        credits.extend(c for c in other.credits if c not in credits)
        return Byline(tuple(authors), tuple(credits))


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Letters and digits only, case and accents folded: the key two spellings of a name share."""
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
                table.setdefault(fold(form), canonical)
    return table


def wire_of(piece: str) -> str | None:
    """The canonical wire name when ``piece`` is a news agency ("The Associated Press" -> "AP")."""
    return wire_names().get(fold(piece))


def _is_org(piece: str, outlets: Iterable[str]) -> bool:
    words = [w.casefold().strip(".'’") for w in _WORD.findall(piece)]
    if any(w in ORG_WORDS for w in words) or (len(words) >= 2 and words[0] in ARTICLES):
        return True
    if any(w.endswith(ORG_SUFFIXES) and w not in ORG_SUFFIXES for w in words):
        return True  # "SeglerBlog", "TVT-Redaktion", "Stadtzeitung"
    key = fold(piece)
    return any(key and len(key) >= 3 and (key == fold(o) or (len(fold(o)) >= 4 and fold(o) in key))
               for o in outlets if o)


def person_shaped(piece: str, *, loose: bool = False) -> bool:
    """Two to five words starting with a letter, no digits, no URL or handle, no role word; lower-case
    words only as particles, or (``loose``: a field that holds a name and nothing else, such as JSON-LD
    or ``<meta>``) after a capitalised first word of a name of two or three words ("Mobasir hassan")."""
    if not piece or len(piece) > MAX_NAME_CHARS or _DIGIT.search(piece) or _URLISH.search(piece):
        return False
    words = piece.split()
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return False
    if any(w.casefold().strip(".,:'’") in ROLE_WORDS for w in words):
        return False
    if not all(_WORD.fullmatch(w.strip(".,")) or w in ("-", "'") for w in words):
        return False
    lower = [w for w in words if w[:1].islower() and w.casefold() not in NAME_PARTICLES]
    if lower and not (loose and len(words) <= 3 and words[0][:1].isupper()
                      and all(len(w) >= 3 and w.isalpha() for w in lower)):
        return False  # "Großbritannien übernommen": a lower-case word in a name is a particle
    return words[0][:1].isupper() or not words[0][:1].islower()


def handle_shaped(piece: str) -> bool:
    """One token that may sign a post ("HansG", "gizzmo", "Herr_Rein"): letters first, at most 30
    characters, no URL, not a role or job title, organisation, month or CMS default ("admin", "Redaktion",
    "Rechtsanwalt")."""
    if not _HANDLE.fullmatch(piece) or _URLISH.search(piece):
        return False
    key = piece.casefold().strip(".-")
    if piece.isupper() and len(piece) <= MAX_ACRONYM:
        return False  # "NDR", "GNB": an acronym names an organisation, not someone signing
    return sum(c.isalpha() for c in piece) >= 2 and key not in GENERIC_HANDLES and key not in ROLE_WORDS \
        and key not in ORG_WORDS and key not in ARTICLES and key not in TITLE_ROLES


def _after_inner_cue(text: str) -> str:
    """The names after the last cue inside a line, when the line has no cue at its start and is no
    picture credit; else the line."""
    if _CUE.match(text):
        return text
    cues = list(_INNER_CUE.finditer(text))
    if not cues or _PICTURE.search(text[: cues[-1].start()]):
        return text  # no cue, or a picture credit
    after = text[cues[-1].end():]
    if person_shaped(_DATE_TAIL.sub("", text)) and not person_shaped(_DATE_TAIL.sub("", after)):
        return text  # a name with a particle ("Walter von Aachen"; "Eine Kolumne von Nils Pickert" is not)
    return after


def _once(piece: str) -> str:
    """A name written twice in a row by the markup ("Jane DoeJane Doe", "Jane Doe Jane Doe"): once."""
    words = piece.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    n = len(piece)
    if n >= 6 and n % 2 == 0 and piece[: n // 2] == piece[n // 2:]:
        return piece[: n // 2].strip()
    return piece


def _pieces(text: str) -> list[str]:
    text = _after_inner_cue(_AT_HANDLE.sub("", " ".join(text.split())))
    text = _DATE_TAIL.sub("", text)
    text = _CUE.sub("", text, count=1)
    extra = _PAREN.findall(text)  # "Jane Doe (AFP)": the parenthesis is a piece of its own
    text = _PAREN.sub(" , ", text)
    out = []
    for piece in [*_SPLIT.split(text), *extra]:
        piece = _CUE.sub("", piece.strip(" .:-–—"), count=1).strip(" .:-–—")
        if piece:
            out.append(_once(piece))
    return out


def _without_role(piece: str) -> str:
    """"Rechtsanwalt Sebastian Einbock", "FOCUS-Online-Experte Robin Tschöpe": the name after the role."""
    words = piece.split()
    k = 0
    while k < len(words) - 2 and _is_role(words[k]):
        k += 1
    return " ".join(words[k:]) if k else piece


def org_shaped(piece: str) -> bool:
    """An organisation's name as a byline writes it: at most ``MAX_ORG_WORDS`` words and
    ``MAX_NAME_CHARS`` characters, no digits, no label (":"), address or e-mail (a bare domain is a
    site's name), no sentence break
    ("Review. She is based in Oslo"), not a picture credit ("Fotos: ..."), and at most one lower-case
    word that is no particle ("sacarle provecho al asesoramiento ..." is prose)."""
    words = piece.split()
    if not words or len(words) > MAX_ORG_WORDS or len(piece) > MAX_NAME_CHARS or _DIGIT.search(piece):
        return False
    if _URLISH.search(piece) and not (len(words) == 1 and _DOMAIN.fullmatch(piece)):
        return False  # an address or e-mail; a site named by its domain ("Phys.org") is a name
    if ":" in piece or _SENTENCE_BREAK.search(piece) or _PICTURE.match(piece):
        return False
    lower = [w for w in words if w[:1].islower() and w.casefold() not in NAME_PARTICLES | ARTICLES]
    return len(lower) <= 1


def is_label(piece: str) -> bool:
    """A piece made only of role, desk and placeholder words ("Staff Writer", "Editorial Team",
    "News Desk", "Redaktion", "admin"): a CMS label that names neither a person nor an outlet."""
    words = [w.casefold().strip(".'’") for w in _WORD.findall(piece)]
    return bool(words) and all(w in ROLE_WORDS or w in GENERIC_HANDLES or w in LABEL_WORDS for w in words)


def _is_role(word: str) -> bool:
    key = word.casefold().strip(".,:'’")
    return key in ROLE_WORDS or key in TITLE_ROLES or key.rsplit("-", 1)[-1] in TITLE_ROLES | ROLE_WORDS


def classify(piece: str, outlets: Iterable[str] = (), *, handles: bool = False,
             loose: bool = False) -> tuple[str, str] | None:
    """``("person" | "wire" | "organisation", name)`` for one byline piece, or None to drop it.
    ``handles``: a one-word signature is a person too (where the source says it names an author);
    ``loose``: see ``person_shaped``."""
    if _PICTURE.match(piece):
        return None  # "Fotos: EL HERALDO": who took the pictures, not who wrote
    if wire := wire_of(piece):
        return ("wire", wire)
    if is_label(piece):
        return None  # "Staff Writer", "Editorial Team", "admin": no one, and no outlet either
    if _is_org(piece, outlets):
        return ("organisation", piece) if org_shaped(piece) else None
    if (name := _without_role(piece)) != piece and person_shaped(name):
        return ("person", name)
    if person_shaped(piece, loose=loose) or (handles and handle_shaped(piece)):
        return ("person", piece)
    return None


def parse_byline(text: str | None, outlets: Iterable[str] = (), *, handles: bool = False,
                 loose: bool = False) -> Byline:
    """People and credits of one byline string (see the module docstring); ``handles``: a one-word
    signature standing alone counts as a person (for sources that say they name the author);
    ``loose``: the string is a field that holds names only (``person_shaped``)."""
    if not text:
        return Byline()
    outlets = tuple(o for o in outlets if o)
    whole = " ".join(_CUE.sub("", " ".join(text.split()), count=1).split())
    if whole and (wire := wire_of(whole)):  # "Agence France-Presse", "The Associated Press"
        return Byline((), (("wire", wire),))
    authors: list[str] = []
    credits: list[tuple[str, str]] = []
    pieces = _pieces(text)
    site = any(_URLISH.search(p) for p in _PAREN.findall(text))  # "Example Post (www.example.com)"
    last: str | None = None  # the person of the piece before
    for piece in pieces:
        if site and not _URLISH.search(piece) and _WORD.search(piece):
            if ("organisation", piece) not in credits:
                credits.append(("organisation", piece))
            continue
        if last and _PICTURE.fullmatch(piece):  # "Greg Cohen, Photographs": the pictures' author
            authors.remove(last)
        kind = classify(piece, outlets, handles=handles and len(pieces) == 1,  # a handle signs alone
                        loose=loose)
        last = None
        if kind is None:
            continue
        if kind[0] == "person":
            if fold(kind[1]) not in {fold(a) for a in authors}:
                authors.append(kind[1])
                last = kind[1]
        elif kind not in credits:
            credits.append(kind)
    return Byline(tuple(authors), tuple(credits))


def parse_names(names: Iterable[tuple[str, str | None]], outlets: Iterable[str] = (), *,
                handles: bool = False) -> Byline:
    """Structured author entries (``(name, schema type or None)``, e.g. from JSON-LD): an
    ``Organization`` is a credit whatever its name; other entries are parsed as bylines (a
    ``Person`` named like the outlet stays a credit: on metadata-dev such names were personal
    sites' owners as often as outlets filed under ``Person``)."""
    out = Byline()
    for name, kind in names:
        types = set((kind or "").lower().split())
        if types & {"organization", "newsmediaorganization", "corporation"} and "person" not in types:
            clean = " ".join(name.split())
            credit = ("wire", wire) if (wire := wire_of(clean)) else ("organisation", clean)
            out = out.merge(Byline((), (credit,)))
        else:
            out = out.merge(parse_byline(name, outlets, handles=handles, loose=True))
    return out
