"""The cue lexicon: which words introduce an attribution, and where their content is.

The data lives in ``analyze/data/cues_<lang>.tsv`` (documented in its header):
one cue per line with its part of speech, category (speech, belief,
intention, evaluation, finding) and *frames*, the places the content may sit
(clause complement, quotation, to-infinitive, direct object, object of a
preposition that then joins the cue). ``load_lexicon("en")`` parses it once
per process; a path to another TSV in the same format works too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).with_name("data")
CATEGORIES = ("speech", "belief", "intention", "evaluation", "finding")
POS = ("verb", "noun", "adj", "multi", "punct")
FRAMES = ("c", "q", "x", "o", "s")


@dataclass(frozen=True)
class Cue:
    """One lexicon entry."""

    term: str
    pos: str
    category: str
    frames: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()  # from "p:PREP" frames
    note: str = ""


@dataclass(frozen=True)
class Lexicon:
    name: str
    verbs: dict[str, Cue] = field(default_factory=dict)
    nouns: dict[str, Cue] = field(default_factory=dict)
    adjectives: dict[str, Cue] = field(default_factory=dict)  # "X is eager to", "critical of"
    phrases: dict[str, Cue] = field(default_factory=dict)  # lower-cased multiword cues
    punct: dict[str, Cue] = field(default_factory=dict)

    def verb(self, lemma: str) -> Cue | None:
        return self.verbs.get(lemma.lower())

    def noun(self, lemma: str) -> Cue | None:
        return self.nouns.get(lemma.lower())

    def adjective(self, lemma: str) -> Cue | None:
        return self.adjectives.get(lemma.lower())

    def __len__(self) -> int:
        return len(self.verbs) + len(self.nouns) + len(self.adjectives) + len(self.phrases) + len(self.punct)


class LexiconError(ValueError):
    """A malformed lexicon file (carries the path and line number)."""


def parse_lexicon(text: str, name: str = "<string>") -> Lexicon:
    lex = Lexicon(name)
    tables = {"verb": lex.verbs, "noun": lex.nouns, "adj": lex.adjectives, "multi": lex.phrases,
              "punct": lex.punct}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise LexiconError(f"[lexicon.columns] {name}:{n}: expected term, pos, category")
        term, pos, category = (c.strip() for c in cols[:3])
        frames_col = cols[3].strip() if len(cols) > 3 else ""
        note = cols[4].strip() if len(cols) > 4 else ""
        if pos not in POS:
            raise LexiconError(f"[lexicon.pos] {name}:{n}: unknown pos {pos!r}")
        if category not in CATEGORIES:
            raise LexiconError(f"[lexicon.category] {name}:{n}: unknown category {category!r}")
        frames, preps = [], []
        for f in frames_col.replace(",", " ").split():
            if f.startswith("p:"):
                preps.append(f[2:].lower())
            elif f in FRAMES:
                frames.append(f)
            else:
                raise LexiconError(f"[lexicon.frame] {name}:{n}: unknown frame {f!r}")
        key = term.lower()
        if key not in tables[pos]:  # first entry wins
            tables[pos][key] = Cue(key, pos, category, tuple(frames), tuple(preps), note)
    return lex


ALIASES = {"en_reporting_verbs": "en"}


def load_lexicon(name: str = "en") -> Lexicon:
    """Load ``data/cues_<name>.tsv`` (``"en"``, alias ``"en_reporting_verbs"``) or a TSV path.

    Parsed once per process and name; the result is shared (treat it as read-only).
    """
    return _load(ALIASES.get(name, name))


@functools.lru_cache(maxsize=8)
def _load(name: str) -> Lexicon:
    path = Path(name)
    if not path.suffix:
        path = DATA / f"cues_{name}.tsv"
    if not path.is_file():
        raise LexiconError(f"[lexicon.missing] no cue lexicon {name!r} (looked for {path})")
    return parse_lexicon(path.read_text(encoding="utf-8"), str(path))
