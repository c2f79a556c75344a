"""The event trigger lexicon (``data/events_en.tsv``): lemma / multiword -> PLOVER type and argument frame."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import NamedTuple

#: Conflict (−) … cooperation (+) value of each PLOVER type (``newsgraph.dyads``). Kept here,
#: away from spaCy, so reading dyads never loads the NLP stack.
SCALE: dict[str, float] = {
    "AID": 7, "COOPERATE": 6, "AGREE": 5, "CONCEDE": 4, "RETREAT": 4, "SUPPORT": 3, "CONSULT": 1,
    "REQUEST": -1, "ACCUSE": -2, "REJECT": -4, "PROTEST": -5, "THREATEN": -6, "MOBILIZE": -6,
    "SANCTION": -7, "COERCE": -8, "ASSAULT": -10,
}

__all__ = ["PLOVER_TYPES", "EventLexicon", "Trigger", "load_event_lexicon"]

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


class Trigger(NamedTuple):
    words: tuple[str, ...]      # ("go", "to", "war"); words[0] is the head lemma
    pos: str                    # VERB | NOUN
    type: str                   # PLOVER type
    targets: tuple[str, ...]    # dobj | ccomp | <preposition>, in order of preference
    required: bool              # a target must be found ("call with" -> "with!")
    speaker: bool               # actor = the enclosing attribution's speaker, target = subject
    of_target: bool             # an "of" phrase is the target (else an "of" entity is the actor)
    motion: bool                # CONSULT only with a consultation purpose clause


class EventLexicon(NamedTuple):
    verbs: dict[str, list[Trigger]]
    nouns: dict[str, list[Trigger]]

    def lemmas(self) -> set[str]:
        return set(self.verbs) | set(self.nouns)


def parse_lexicon(text: str) -> EventLexicon:
    verbs: dict[str, list[Trigger]] = {}
    nouns: dict[str, list[Trigger]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            raise ValueError(f"events lexicon line {n}: expected 4+ tab-separated columns")
        words = tuple(cols[0].strip().lower().split())
        pos, typ = cols[1].strip(), cols[2].strip()
        if typ not in PLOVER_TYPES or pos not in ("VERB", "NOUN") or not words:
            raise ValueError(f"events lexicon line {n}: bad POS {pos!r} or type {typ!r}")
        args = [a.strip() for a in cols[3].split(",") if a.strip() and a.strip() != "-"]
        flags = {a for a in args if a in ("speaker", "of=target", "motion")}
        targets = tuple(a.rstrip("!") for a in args if a not in flags)
        trig = Trigger(words, pos, typ, targets, any(a.endswith("!") for a in args),
                       "speaker" in flags, "of=target" in flags, "motion" in flags)
        (verbs if pos == "VERB" else nouns).setdefault(words[0], []).append(trig)
    for table in (verbs, nouns):  # multiwords first: "go to war" before "go"
        for lst in table.values():
            lst.sort(key=lambda t: -len(t.words))
    return EventLexicon(verbs, nouns)


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    text = resources.files("newsgraph.analyze").joinpath("data/events_en.tsv").read_text(encoding="utf-8")
    return parse_lexicon(text)
