"""newsgraph's shared word lists: one vocabulary per pattern kind.

Cleaning (``newsgraph.extract``) and analysis (``newsgraph.analyze``) recognise
the same kinds of words: photo credits and news agencies, month and weekday
names, personal titles, quotation marks. Each kind is written here once; every
site imports it and builds the regular expression *shape* it needs (a caption
line, a credit span, a date) from these words, so a word added here reaches
every site.

Some words are safe in fewer places than others ("Pool" closes "Jane Doe /
Pool" but a line ending in "Pool" is not a credit): such lists carry a level
that says where a word may stand, and each site takes the words of its level.

Everything is plain data (no I/O); :func:`alternation` turns a word list into
a regex alternative, longest first. The analysis version
(``newsgraph.analyze.version``) must cover this file: credit words change what
the entity component finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "AGENCIES", "AGENCY_END", "AGENCY_LINE", "AGENCY_MARK", "AGENCY_STOCK", "CLOSING_QUOTES", "CREDIT_LABELS",
    "DOUBLE_CLOSE", "DOUBLE_OPEN", "DOUBLE_QUOTE_CHARS", "HONORIFICS", "INLINE_CREDIT_LABELS", "MONTHS",
    "MONTH_NUMBERS", "OPENING_QUOTES", "QUOTE_CHARS", "RANKS", "RANK_ABBREVIATIONS", "SINGLE_CLOSE", "SINGLE_OPEN", "STRAIGHT_DOUBLE",
    "STRAIGHT_SINGLE", "WEEKDAYS", "agencies", "alternation", "credit_labels", "honorific_forms",
    "month_pattern",
]


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """``(?:w1|w2|...)`` of ``words`` (escaped, longest first, duplicates dropped).

    A space inside a word becomes ``space`` (default ``\\s+``), so the result also
    works inside a verbose (``re.X``) pattern. No words: a pattern that never matches.
    """
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [space.join(re.escape(p) for p in w.split(" ")) for w in uniq]
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


# --------------------------------------------------------------------------
# photo credits
# --------------------------------------------------------------------------
#: Words that open a credit ("Photo: X / AP", "Image by X", "Credit: X"), by kind:
#:   picture  the picture itself ("Photo:", "Bild:", "사진:")
#:   credit   the word "credit" and its translations
#:   media    other media a credit can name (a video, a graphic), and the photographer
#:   source   "Source:" (also opens data sources and quotations: only the plain-text
#:            cleaner's line rules take it)
#: ``INLINE_CREDIT_LABELS`` may open a credit after other words on the line ("... Photo: X");
#: the others only at a line start or in brackets ("Playoff picture: ..." is a heading).
CREDIT_LABELS: dict[str, str] = {
    "photo": "picture", "photos": "picture", "photograph": "picture", "photographs": "picture",
    "photography": "picture", "image": "picture", "images": "picture", "picture": "picture",
    "pictures": "picture", "pic": "picture", "foto": "picture", "fotos": "picture", "bild": "picture",
    "фото": "picture", "사진": "picture", "illustration": "picture",
    "credit": "credit", "credits": "credit", "photo credit": "credit", "image credit": "credit",
    "kilde": "credit",
    "video": "media", "footage": "media", "graphic": "media", "graphics": "media", "photographer": "media",
    "image source": "source", "source": "source",
}

INLINE_CREDIT_LABELS = ("photo", "image", "credit", "source")


def credit_labels(*kinds: str) -> list[str]:
    """The credit labels of ``kinds`` (all kinds when none is given)."""
    return [w for w, k in CREDIT_LABELS.items() if not kinds or k in kinds]


#: Where an agency name is a credit (each level includes the ones above it):
#:   AGENCY_STOCK a picture library: a credit even as the last word of a sentence
#:                ("A man walks home. Getty Images.")
#:   AGENCY_END   a credit when it ends a line with no full stop ("... Jane Doe, AFP"); a
#:                sentence may end in it ("... told AFP."), so not after a full stop
#:   AGENCY_LINE  as a whole line ("AP", "(Reuters)"), or at the end after "/" / "via" / "photo"
#:   AGENCY_MARK  only next to a credit mark: "Name / Agency", "AGENCY/Name", "via Agency",
#:                "(Agency)", "Agency photo"
AGENCY_STOCK, AGENCY_END, AGENCY_LINE, AGENCY_MARK = 0, 1, 2, 3

#: Photo / news agencies and picture desks, as they are written (sites add an upper-case form
#: where the credit is case-sensitive) -> the level where they are a credit.
AGENCIES: dict[str, int] = {
    "Getty Images": AGENCY_STOCK, "Shutterstock": AGENCY_STOCK, "iStock": AGENCY_STOCK,
    "iStockphoto": AGENCY_STOCK, "Getty": AGENCY_END, "AFP": AGENCY_END, "Reuters": AGENCY_END, "EPA": AGENCY_END,
    "Associated Press": AGENCY_END,
    "AP": AGENCY_LINE, "PA": AGENCY_LINE, "dpa": AGENCY_LINE, "ANI": AGENCY_LINE, "IANS": AGENCY_LINE,
    "Alamy": AGENCY_LINE, "Xinhua": AGENCY_LINE,
    "EPA-EFE": AGENCY_MARK, "EFE": AGENCY_MARK, "ANSA": AGENCY_MARK, "ANP": AGENCY_MARK, "NTB": AGENCY_MARK,
    "NTB Scanpix": AGENCY_MARK, "Scanpix": AGENCY_MARK, "NRK": AGENCY_MARK, "TT": AGENCY_MARK,
    "Ritzau": AGENCY_MARK, "Lehtikuva": AGENCY_MARK, "TASS": AGENCY_MARK, "Sputnik": AGENCY_MARK,
    "RIA Novosti": AGENCY_MARK, "Anadolu": AGENCY_MARK, "Anadolu Agency": AGENCY_MARK,
    "Bloomberg": AGENCY_MARK, "Imago": AGENCY_MARK, "SIPA": AGENCY_MARK, "Polaris": AGENCY_MARK,
    "ZUMA": AGENCY_MARK, "ZUMA Press": AGENCY_MARK, "NurPhoto": AGENCY_MARK, "Pool": AGENCY_MARK,
    "Handout": AGENCY_MARK, "Agence France-Presse": AGENCY_MARK, "PA Images": AGENCY_MARK,
    "PA Wire": AGENCY_MARK, "Kyodo": AGENCY_MARK, "Yonhap": AGENCY_MARK, "UPI": AGENCY_MARK,
    "Abaca": AGENCY_MARK, "Bloomberg via Getty Images": AGENCY_MARK,
}


def agencies(level: int = AGENCY_MARK, *, upper: bool = False, lower: bool = False) -> list[str]:
    """Agency names that are a credit at ``level`` (and the stricter levels), as written;
    ``upper`` / ``lower`` add the upper- / lower-case form of each."""
    out = [a for a, lv in AGENCIES.items() if lv <= level]
    if upper:
        out += [a.upper() for a in out]
    if lower:
        out += [a.lower() for a in out]
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------
# months and weekdays
# --------------------------------------------------------------------------
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
#: every written form (full name, three-letter abbreviation, "sept") -> month number
MONTH_NUMBERS: dict[str, int] = {
    **{m: i for i, m in enumerate(MONTHS, 1)},
    **{m[:3]: i for i, m in enumerate(MONTHS, 1)},
    "sept": 9,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def month_pattern(group: bool = False) -> str:
    """A month name or abbreviation with an optional dot (case as the caller's flags say):
    ``(?:jan(?:uary)?|...|sep(?:t(?:ember)?)?|...)\\.?``, one branch per month (fast to try);
    ``group`` makes the name a capturing group."""
    branches = []
    for number in range(1, 13):
        forms = sorted((f for f, n in MONTH_NUMBERS.items() if n == number), key=len)
        out, prev = "", ""
        for f in forms:  # each form extends the previous one: "sep" < "sept" < "september"
            assert f.startswith(prev), forms
            out += "(?:" + re.escape(f[len(prev):]) if prev else re.escape(f)
            prev = f
        branches.append(out + ")?" * (len(forms) - 1))
    return ("(" if group else "(?:") + "|".join(branches) + r")\.?"


# --------------------------------------------------------------------------
# personal titles
# --------------------------------------------------------------------------
#: Honorifics (lower case, no dot) -> the gender they give ("m" / "f"), None when neutral.
HONORIFICS: dict[str, str | None] = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": None, "sir": "m", "dame": "f",
    "madam": "f", "madame": "f", "monsieur": "m", "herr": "m", "frau": "f",
    "dr": None, "prof": None, "professor": None,
}
#: Military and police ranks, which stand before a name like honorifics ("Colonel Ibrahim Sanogo").
#: ("general" and "commander" are role nouns as well: the speaker lexicon lists them as roles.)
RANKS = ("colonel", "lieutenant", "major", "captain", "sergeant", "admiral", "brigadier", "marshal")
#: Abbreviated ranks (lower case, no dot) -> the rank or role they abbreviate.
RANK_ABBREVIATIONS: dict[str, str] = {
    "gen": "general", "lt": "lieutenant", "col": "colonel", "capt": "captain", "cmdr": "commander",
    "adm": "admiral", "sgt": "sergeant", "maj": "major", "brig": "brigadier",
}


def honorific_forms(dotted: bool = True) -> dict[str, str | None]:
    """Every written honorific (lower case) -> gender; ``dotted`` adds "mr." for each
    abbreviation ("mr", "mrs", "ms", "dr", "prof")."""
    out = dict(HONORIFICS)
    if dotted:
        for w, g in HONORIFICS.items():
            if len(w) <= 4 and w not in ("miss", "sir", "herr", "frau", "dame"):
                out[w + "."] = g
    return out


# --------------------------------------------------------------------------
# quotation marks
# --------------------------------------------------------------------------
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»“"  # “ closes a „ quote (German style)
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
#: every double quotation mark, straight or typographic
DOUBLE_QUOTE_CHARS = STRAIGHT_DOUBLE + "“”„«»"
#: every quotation mark (single straight "'" excluded: it is mostly an apostrophe)
QUOTE_CHARS = DOUBLE_QUOTE_CHARS + SINGLE_OPEN + SINGLE_CLOSE
#: marks that can open a quotation, straight single included (line-level tests)
OPENING_QUOTES = STRAIGHT_DOUBLE + STRAIGHT_SINGLE + DOUBLE_OPEN + SINGLE_OPEN
#: marks that can close a quotation, straight single included (line-level tests)
CLOSING_QUOTES = STRAIGHT_DOUBLE + STRAIGHT_SINGLE + DOUBLE_CLOSE + SINGLE_CLOSE
