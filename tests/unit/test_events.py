"""Who did what to whom (analyze/events.py): PLOVER-typed events over the full pipeline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

spacy = pytest.importorskip("spacy")

from spacy.language import Language  # noqa: E402

from newsgraph.analyze.event_dates import parse_published, resolve_date  # noqa: E402
from newsgraph.analyze.event_lexicon import PLOVER_TYPES, load_event_lexicon, parse_lexicon  # noqa: E402
from newsgraph.analyze.events import SCALE, EventExtractor, to_events  # noqa: E402

SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "putin-security-demands.txt"
MODALITIES = {"asserted", "planned", "conditional", "reported"}


import newsgraph.analyze.factories  # noqa: E402, F401  (once it registers newsgraph_events, that one is used)

if not Language.has_factory("newsgraph_events"):
    @Language.factory("newsgraph_events", requires=["doc.ents", "doc._.attributions", "doc._.entities"],
                      assigns=["doc._.events"], default_config={})
    def _make_events(nlp: Language, name: str) -> EventExtractor:
        return EventExtractor(name=name, nlp=nlp)


@pytest.fixture(scope="module")
def nlp():
    from newsgraph.analyze import build_nlp
    from newsgraph.errors import PipelineError

    try:
        nlp = build_nlp()
    except PipelineError:
        pytest.skip("English spaCy pipeline not installed")
    assert nlp.pipe_names[-1] == "newsgraph_events"
    return nlp


def events(nlp, text: str, published: str | None = "2026-03-05") -> list[tuple]:
    """(type, trigger, actor entity, target entity, negated, modality, date, location entity) per event."""
    doc = nlp(text)
    out = to_events(doc, published=published)
    check_contract(text, doc, out)
    return [(e["type"], e["trigger"]["text"], e["actor"] and e["actor"]["entity"],
             e["target"] and e["target"]["entity"], e["negated"], e["modality"], e["date"],
             e["location"] and e["location"]["entity"]) for e in out]


def check_contract(text: str, doc, out: list[dict]) -> None:
    json.dumps(doc._.events)
    json.dumps(out)
    n_att = len(doc._.attributions or ())
    for e in out:
        assert e["type"] in PLOVER_TYPES
        assert e["modality"] in MODALITIES
        assert isinstance(e["negated"], bool)
        assert e["attribution"] is None or 0 <= e["attribution"] < n_att
        assert e["date"] is None or dt.date.fromisoformat(e["date"])
        for key in ("trigger", "actor", "target", "location", "object"):
            sp = e[key]
            if sp is None:
                continue
            assert 0 <= sp["start"] < sp["end"] <= len(text)
            assert text[sp["start"]:sp["end"]] == sp["text"]
        if e["object"] is not None:
            assert "entity" not in e["object"]  # a thing is never linked as an entity
        # an event names a party, or is violence / protest placed, dated, or told again
        assert e["actor"] or e["target"] or e["type"] in ("ASSAULT", "PROTEST", "COERCE")
    for i, e in enumerate(out):
        if e["same_as"] is not None:
            first = out[e["same_as"]]
            assert e["same_as"] < i and first["type"] == e["type"] and first["same_as"] is None


def find(evs: list[tuple], typ: str, actor: str | None = None, target: str | None = None) -> tuple:
    hits = [e for e in evs if e[0] == typ and (actor is None or e[2] == actor) and (target is None or e[3] == target)]
    assert hits, (typ, actor, target, evs)
    return hits[0]


# ------------------------------------------------------------------ lexicon
def test_lexicon_covers_all_plover_types_and_parses():
    lex = load_event_lexicon()
    types = {t.type for lst in (*lex.verbs.values(), *lex.nouns.values()) for t in lst}
    assert types == set(PLOVER_TYPES)
    assert set(SCALE) == set(PLOVER_TYPES)
    assert SCALE["ASSAULT"] == -10 and all(-10 <= v <= 10 for v in SCALE.values())
    go = lex.verbs["go"]
    assert go[0].words == ("go", "to", "war") and go[-1].motion  # multiwords first
    with pytest.raises(ValueError):
        parse_lexicon("meet\tVERB\tMEETING\tdobj\tnot a PLOVER type\n")


# --------------------------------------------------------- one per PLOVER type
@pytest.mark.parametrize("text,typ,actor,target", [
    ("Russia and Ukraine signed an agreement with Turkey on grain exports.", "AGREE", "Russia", "Turkey"),
    ("German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin.", "CONSULT",
     "Olaf Scholz", "Emmanuel Macron"),
    ("The European Union praised Kenya for its efforts.", "SUPPORT", "European Union", "Kenya"),
    ("Germany cooperates with France on energy.", "COOPERATE", "Germany", "France"),
    ("The United States sent aid to Ukraine.", "AID", "United States", "Ukraine"),
    ("Russia withdrew troops from Kherson.", "RETREAT", "Russia", "Kherson"),
    ("Germany urged Russia to withdraw its troops.", "REQUEST", "Germany", "Russia"),
    ("China accused the United States of interference.", "ACCUSE", "China", "United States"),
    ("North Korea threatened South Korea with nuclear strikes.", "THREATEN", "North Korea", "South Korea"),
    ("The European Union imposed sanctions on Russia.", "SANCTION", "European Union", "Russia"),
    ("Police arrested the opposition leader Alexei Navalny.", "COERCE", None, "Alexei Navalny"),
    ("Russia invaded Ukraine in 2022.", "ASSAULT", "Russia", "Ukraine"),
])
def test_each_type_with_actor_and_target(nlp, text, typ, actor, target):
    find(events(nlp, text), typ, actor, target)


def test_protest_mobilize_and_concede(nlp):
    evs = events(nlp, "Thousands of protesters demonstrated against the government of Serbia in Belgrade.")
    assert find(evs, "PROTEST")[7] == "Belgrade"
    find(events(nlp, "Russia is amassing large military forces close to the border with Ukraine."), "MOBILIZE", "Russia")
    find(events(nlp, "Hungary lifted the sanctions on Serbia."), "CONCEDE", "Hungary")


def test_threat_content_is_not_a_second_event(nlp):
    evs = events(nlp, "North Korea threatened South Korea with nuclear strikes.")
    assert [e[0] for e in evs] == ["THREATEN"]
    evs = events(nlp, "Russia and Ukraine agreed to a ceasefire on Monday.")
    assert {e[1] for e in evs} == {"agreed"}


# ------------------------------------------------------------- constructions
def test_passive_agent_is_the_actor(nlp):
    e = find(events(nlp, "Russia was sanctioned by the United States."), "SANCTION")
    assert e[2:4] == ("United States", "Russia")


def test_nominal_triggers(nlp):
    e = find(events(nlp, "Talks between Russia and Ukraine resumed in Istanbul on 3 March 2026."), "CONSULT")
    assert e[2:4] == ("Russia", "Ukraine") and e[6] == "2026-03-03" and e[7] == "Istanbul"
    e = find(events(nlp, "Prime Minister Narendra Modi held a meeting with Japanese Prime Minister Fumio Kishida in Tokyo."),
             "CONSULT")
    assert e[1:4] == ("meeting", "Narendra Modi", "Fumio Kishida") and e[7] == "Tokyo"
    e = find(events(nlp, "The threat of war from Russia worries Poland."), "THREATEN")
    assert e[2] == "Russia"


def test_sentence_actor_for_a_nominal_trigger(nlp):
    text = "The plan was announced by President Joe Biden after a meeting with Chancellor Olaf Scholz."
    e = find(events(nlp, text), "CONSULT")
    assert e[2:4] == ("Joe Biden", "Olaf Scholz")


def test_demands(nlp):
    find(events(nlp, "The Russian authorities demand that NATO withdraw its forces."), "REQUEST",
         "Russian authorities", "NATO")
    evs = events(nlp, "The United States and NATO responded in writing to Russia's demands for security guarantees.")
    find(evs, "REQUEST", "Russia", "United States")
    find(evs, "REQUEST", "Russia", "NATO")


def test_demand_with_a_that_clause(nlp):
    find(events(nlp, "He referred to the Russians' demands that Ukraine could not join NATO."), "REQUEST",
         "Russians", "Ukraine")


def test_no_event_without_a_fitting_argument(nlp):
    assert not [e for e in events(nlp, "Goran Belic struck a defiant tone in Zagreb.") if e[0] == "ASSAULT"]
    assert not [e for e in events(nlp, "“The village lies in the valley,” Putin said.") if e[0] == "ACCUSE"]
    assert not events(nlp, "The talks lasted 30 minutes.")  # no entity, no event
    e = find(events(nlp, "Headline about risk\n\nCoastal states warned Russia of the damage."), "THREATEN")
    assert e[3] == "Russia"


def test_accusation_by_content_needs_a_speaker(nlp):
    e = find(events(nlp, "Putin said that NATO had deceived Russia."), "ACCUSE")
    assert e[2:4] == ("Putin", "NATO") and e[5] == "reported"
    assert not [e for e in events(nlp, "The magician deceived the audience in Paris.") if e[0] == "ACCUSE"]


def test_planned_visit(nlp):
    e = find(events(nlp, "Japan's foreign minister will travel to Seoul next week to meet South Korean officials."),
             "CONSULT")
    assert e[1] == "travel" and e[3] == "Seoul" and e[5] == "planned" and e[6] == "2026-03-12"
    assert len([x for x in events(nlp, "Macron will come to Moscow soon to discuss the war.") if x[0] == "CONSULT"]) == 1
    assert not events(nlp, "Macron will come to Moscow soon.")  # no purpose clause: no consultation


# ------------------------------------------------------ negation and modality
def test_negation(nlp):
    e = find(events(nlp, "Russia did not attack Ukraine."), "ASSAULT")
    assert e[4] is True
    assert find(events(nlp, "Hungary agreed to the plan of the European Union."), "AGREE")[4] is False


@pytest.mark.parametrize("text", ["Hungary did not agree to the plan of the European Union.",
                                  "Syria says it will not accept any more refugees.",
                                  "Palestinians and Israelis failed to reach agreement on Sunday."])
def test_an_agreement_refused_is_a_rejection(nlp, text):
    """Issue 11: "would not accept" gave no REJECT; PLOVER codes a refused agreement as REJECT."""
    evs = events(nlp, text)
    e = find(evs, "REJECT")
    assert e[4] is False and not [x for x in evs if x[0] == "AGREE"], evs


@pytest.mark.parametrize("text, typ, actor, obj", [
    ("Syria says it is willing to withdraw its troops from Lebanon.", "AGREE", "Syria",
     "withdraw its troops from Lebanon"),
    ("Norway will send aid to Sudan, its foreign minister said.", "AGREE", "Norway", "send aid to Sudan"),
    ("Greece plans to impose restrictions on its labour market.", "THREATEN", "Greece",
     "impose restrictions on its labour market"),
    ("The army prepared to resume shelling rebel positions in Aleppo.", "MOBILIZE", None, None),
])
def test_a_stated_plan_is_a_commitment_or_a_threat(nlp, text, typ, actor, obj):
    """Issue 11: intentions and offers are their own types (AGREE, THREATEN) with the intended
    action as content; a stated plan is made now (not planned)."""
    out = full(nlp, text)
    ev = next((e for e in out if e["type"] == typ), None)
    assert ev is not None, out
    assert actor is None or (ev["actor"] and ev["actor"]["entity"]) == actor, ev
    assert obj is None or (ev["object"] and ev["object"]["text"]) == obj, ev
    assert ev["modality"] in ("asserted", "reported") and ev["timing"] == "new", ev


def test_someone_elses_forecast_is_no_commitment(nlp):
    """"Russia will invade, Biden said" is Biden's claim, not a threat Russia made: the act, planned."""
    e = find(events(nlp, "Russia will invade Ukraine, Biden said."), "ASSAULT", "Russia", "Ukraine")
    assert e[5] == "planned"


@pytest.mark.parametrize("text,modality", [
    ("Russian troops attacked Kharkiv.", "asserted"),
    ("Macron is expected to visit Beijing.", "planned"),
    ("China plans to hold talks with India.", "planned"),
    ("Germany is going to meet France.", "planned"),
    ("Russia will invade Ukraine, Biden said.", "planned"),
    ("Russia invaded Ukraine, Biden said.", "reported"),
])
def test_modality(nlp, text, modality):
    evs = [e for e in events(nlp, text) if e[0] in ("ASSAULT", "CONSULT")]
    assert evs and evs[0][5] == modality, evs


def test_conditional_violence_is_a_threat(nlp):
    evs = events(nlp, "If Iran enriches uranium, Israel will attack Iran.")
    e = find(evs, "THREATEN", "Israel", "Iran")
    assert e[5] == "conditional"
    evs = events(nlp, "If Ukraine attacks Crimea, Russia will go to war against NATO.")
    assert find(evs, "THREATEN", "Russia", "NATO")[1] == "go to war"
    assert find(evs, "ASSAULT", "Ukraine", "Crimea")[5] == "conditional"  # the condition keeps its type


def test_reported_event_points_at_its_attribution(nlp):
    doc = nlp("Putin said that Russia would never attack Ukraine.")
    out = to_events(doc)
    e = [x for x in out if x["type"] == "ASSAULT"][0]
    att = doc._.attributions[e["attribution"]]
    assert att["source_entity"] == "Putin"
    assert e["negated"] is True and e["modality"] == "reported"


# ------------------------------------------------------------------- dates
def test_dates_against_published(nlp):
    text = "Russian troops attacked Kharkiv on Sunday."
    assert find(events(nlp, text), "ASSAULT")[6] == "2026-03-01"
    assert find(events(nlp, text, published=None), "ASSAULT")[6] is None
    assert find(events(nlp, "The United States sent aid to Ukraine yesterday."), "AID")[6] == "2026-03-04"


def test_date_resolver():
    assert resolve_date("on 3 March 2026") == "2026-03-03"
    assert resolve_date("March 3, 2026") == "2026-03-03"
    assert resolve_date("3 March", "2026-05-01") == "2026-03-03"
    assert resolve_date("3 March") is None
    assert resolve_date("in September", "2026-01-01") is None  # a month is not a day
    assert resolve_date("today", "2026-02-02T10:00:00Z") == "2026-02-02"
    assert resolve_date("on Tuesday", "2026-02-05") == "2026-02-03"
    assert resolve_date("on Tuesday", "2026-02-05", future=True) == "2026-02-10"
    assert resolve_date("last week", "2026-02-05") == "2026-01-29"
    assert resolve_date("two days ago", "2026-02-05") == "2026-02-03"
    assert resolve_date("31 February 2026") is None
    assert parse_published("garbage") is None
    assert parse_published(dt.datetime(2026, 1, 2, 3, 4)) == dt.date(2026, 1, 2)


# --------------------------------------------------------------- component
def test_component_and_offsets(nlp):
    doc = nlp("Russia invaded Ukraine.")
    assert isinstance(doc._.events, list) and doc._.events
    text = "Intro paragraph.\n\n" + doc.text
    out = to_events(doc, offset=18, text=text)
    for e in out:
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"] == "invaded"
    assert EventExtractor()(spacy.blank("en")("")) is not None
    assert EventExtractor()(spacy.blank("en")("Russia invaded Ukraine."))._.events == []  # no parse, no events


def test_without_the_entities_component_ner_names_are_used(nlp):
    with nlp.select_pipes(disable=["newsgraph_entities", "newsgraph_events"]):
        doc = nlp("Russia invaded Ukraine.")
    doc._.entities = None
    e = to_events(EventExtractor()(doc))[0]
    assert (e["type"], e["actor"]["entity"], e["target"]["entity"]) == ("ASSAULT", "Russia", "Ukraine")


def test_the_component_writes_nothing_to_the_shared_vocabulary(nlp):
    """Every thread's docs share ``nlp.vocab``: finding triggers only reads it (the trigger
    ids are computed once; "talks" + "s" was once added to the string store on every call)."""
    doc = nlp("Russia and Ukraine held talks on sanctions in Istanbul.")
    assert [e["type"] for e in doc._.events]
    assert "talkss" not in nlp.vocab.strings and "sanctionss" not in nlp.vocab.strings


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([
    "Russia invaded Ukraine", "Putin met Orban in Moscow on Tuesday", "They deceived us, Putin said",
    "NATO will not attack", "if Iran attacks, Israel will respond", "talks between China and India",
    "the threat of war", "“We demand that NATO leave,” he said", "sanctions on Iran", "Macron", "é ü",
    "\n\n", ",", "–", "  ",
]), min_size=1, max_size=6), st.sampled_from([". ", " ", "\n", "; "]))
def test_spans_are_inside_the_text_and_match(nlp, parts, sep):
    text = sep.join(parts)
    doc = nlp(text)
    check_contract(text, doc, to_events(doc, published="2026-01-15"))


# ------------------------------------------------------------------- shared
@pytest.fixture(scope="module")
def putin(nlp):
    if not SHARED_EXAMPLE.exists():
        pytest.skip("shared example not available")
    from newsgraph.extract import extract
    from newsgraph.types import RawDocument

    text = extract(RawDocument(source=str(SHARED_EXAMPLE), kind="text",
                               data=SHARED_EXAMPLE.read_text(encoding="utf-8"))).text
    doc = nlp(text)
    out = to_events(doc)
    check_contract(text, doc, out)
    return text, doc, out


def _has(out, typ, actor, target, modality=None):
    return any(e["type"] == typ and e["actor"] and e["actor"]["entity"] == actor
               and e["target"] and e["target"]["entity"] in target
               and (modality is None or e["modality"] == modality) for e in out)


def test_shared_example_events(putin):
    text, doc, out = putin
    assert _has(out, "CONSULT", "Vladimir Putin", {"Viktor Orban"})
    assert _has(out, "CONSULT", "Anthony Blinken", {"Sergei Lavrov"})
    assert _has(out, "THREATEN", "Russia", {"NATO"}, "conditional")
    assert _has(out, "REQUEST", "Russia", {"NATO"})
    assert _has(out, "ACCUSE", "Vladimir Putin", {"Western", "West", "Western countries", "Western leaders"})
    assert _has(out, "CONSULT", "Emmanuel Macron", {"Moscow"}, "planned")


def test_shared_example_names_are_entities(putin):
    text, doc, out = putin
    names = {e["name"] for e in doc._.entities}
    for e in out:
        for key in ("actor", "target", "location"):
            if e[key] and e[key]["entity"]:
                assert e[key]["entity"] in names, (key, e)


def test_a_group_the_text_describes_can_act(nlp):
    """Issue 11: no event without a named actor lost "Rebels attacked ..."; a group noun is a typed
    description (no entity), a thing is not an actor."""
    text = "Rebels attacked the village on Monday. Police detained dozens of protesters."
    doc = nlp(text)
    out = to_events(doc, published="2026-03-05")
    check_contract(text, doc, out)
    got = {(e["type"], e["actor"] and e["actor"]["text"]) for e in out}
    assert ("ASSAULT", "Rebels") in got and ("COERCE", "Police") in got, got
    assert all(e["actor"]["entity"] is None for e in out if e["actor"] and e["actor"]["text"] in ("Rebels", "Police"))
    assert not [e for e in events(nlp, "The storm hit the coast on Monday.") if e[2] is None and e[3] is None]


@pytest.mark.parametrize("text, typ", [
    ("Police arrested and jailed the activist Maria Lund on Friday.", "COERCE"),
    ("Gunmen kidnapped the Italian engineer Paolo Ricci near the border.", "COERCE"),
    ("Prosecutors charged Jonas Berg with fraud on Monday.", "ACCUSE"),
    ("The court sentenced Jonas Berg to five years in prison.", "SANCTION"),
    ("Troops clashed with the Karen National Union near the river.", "ASSAULT"),
    ("The bombing of Aleppo killed twelve people.", "ASSAULT"),
    ("Finance Minister Lena Ek resigned on Tuesday.", "RETREAT"),
    ("Norway offered Ukraine two more air defence systems.", "AGREE"),
])
def test_families_of_triggers(nlp, text, typ):
    """Issue 11: whole families were missing (detaining, kidnapping, charging, sentencing, fighting,
    bombing, resigning, offers); sentences written for this test."""
    assert typ in {e[0] for e in events(nlp, text)}, (text, events(nlp, text))


def test_one_trigger_one_type(nlp):
    """Issue 11: one phrase gave AGREE and COOPERATE (+11 on a -10..+10 scale)."""
    for text in ("Norway and Sweden signed a cooperation agreement in Oslo on Monday.",
                 "Rebels attacked and occupied the town of Kadu.", "Police arrested and charged Jonas Berg."):
        by_trigger: dict = {}
        for e in to_events(nlp(text)):
            by_trigger.setdefault((e["trigger"]["start"], e["trigger"]["end"]), set()).add(e["type"])
        assert all(len(types) == 1 for types in by_trigger.values()), (text, by_trigger)


@pytest.mark.parametrize("text, timing, date, date_from", [
    ("Russia attacked Kyiv on Tuesday.", "new", "2026-03-03", "relative"),
    ("Russia attacked Kyiv.", "new", None, "article"),
    ("The war began when Russia launched its full-scale invasion of Ukraine.", "background", None, None),
    ("Israel seized control of the Golan Heights in 1967.", "background", None, None),
    ("Russia had annexed Crimea long before.", "background", None, None),
    ("Russia attacked Kyiv on 3 January 2025.", "background", "2025-01-03", "explicit"),
    ("Putin will meet Orban next week.", "future", "2026-03-12", "relative"),
])
def test_timing_and_where_the_date_came_from(nlp, text, timing, date, date_from):
    """Issue 11: background mentions were dated to the article's week ("when Russia launched its
    full-scale invasion" plotted as an assault this week)."""
    out = to_events(nlp(text), published="2026-03-05")
    assert out, text
    e = out[0]
    assert (e["timing"], e["date"], e["date_from"]) == (timing, date, date_from), (text, e)


def test_background_events_without_a_date_stay_off_the_weeks(tmp_path):
    from newsgraph.dyads import build_dyad
    from newsgraph.ids import article_id
    from newsgraph.store import open_store
    from newsgraph.types import Article, Entity, Event, TextSpan

    text = "Russia attacked Ukraine on Monday. Russia invaded Ukraine when the war began."

    def span(needle: str, start: int = 0, entity: str | None = None) -> TextSpan:
        i = text.index(needle, start)
        return TextSpan(i, i + len(needle), needle, entity)

    new = Event("ASSAULT", span("attacked"), actor=span("Russia", 0, "Russia"), target=span("Ukraine", 0, "Ukraine"))
    old = Event("ASSAULT", span("invaded"), actor=span("Russia", 30, "Russia"), target=span("Ukraine", 40, "Ukraine"),
                timing="background")
    ents = tuple(Entity(f"gpe:{n.lower()}", n, "GPE", tuple(span(n, i) for i in (0, 30))) for n in ("Russia", "Ukraine"))
    art = Article(article_id(text), "w.txt", None, "War", "Post", (), "2026-03-05", "en", text, entities=ents,
                  events=(new, old))
    with open_store(tmp_path / "s.db") as s:
        s.add_article(art, analysis="test")
        a, b, ab, ba = s.dyad("Russia", "Ukraine")
        _, _, t_ab, t_ba = s.dyad_tallies("Russia", "Ukraine")
        assert {r.timing for r in ab} == {"new", "background"}
    d = build_dyad("Russia", "Ukraine", t_ab, t_ba)
    assert [w.week for w in d.weeks] == ["2026-W10"] and d.weeks[0].counts["ab"] == {"ASSAULT": 1}
    assert d.undated == 1


def test_violence_with_a_named_place_and_no_named_actor(nlp):
    """WikiEvents counts "an explosion in Kabul" as an attack; with no actor or target named, only
    a named place keeps such an event (generic mentions stay out)."""
    evs = events(nlp, "An explosion in Kabul on Tuesday killed three people.")
    assert any(e[0] == "ASSAULT" and e[7] == "Kabul" for e in evs), evs
    assert not events(nlp, "Explosions are loud.")


@pytest.mark.parametrize("text, typ, not_typ", [
    ("The European Union urged Russia to withdraw its troops from Moldova.", "REQUEST", "RETREAT"),
    ("Moscow threatened to attack Kyiv within days.", "THREATEN", "ASSAULT"),
    ("Serbia refused to recognize Kosovo.", "REJECT", "COOPERATE"),
    ("Norway offered to send aid to Sudan.", "AGREE", "AID"),
])
def test_the_intended_action_is_content_not_a_second_event(nlp, text, typ, not_typ):
    """Issue 11: an offer to give aid became AID, "urged X to withdraw" a RETREAT."""
    types = {e[0] for e in events(nlp, text)}
    assert typ in types and not_typ not in types, (text, types)


def test_the_target_is_who_owns_the_thing_and_partners_pair_up(nlp):
    """Issue 11: the thing agreed or rejected (a proposal, a pact) was taken as the target."""
    evs = events(nlp, "Serbia rejected Croatia's proposal on Monday.")
    assert find(evs, "REJECT", "Serbia", "Croatia")
    evs = events(nlp, "Hungary and Romania agreed to reopen the border crossing.")
    assert find(evs, "AGREE", "Hungary", "Romania")


def test_the_place_of_the_object_places_the_event(nlp):
    evs = events(nlp, "The attack killed 12 people in Kabul.")
    assert any(e[0] == "ASSAULT" and e[7] == "Kabul" for e in evs), evs


# ------------------------------------------------ nominal events, objects, mentions of one event
def full(nlp, text: str, published: str | None = "2026-03-05") -> list[dict]:
    doc = nlp(text)
    out = to_events(doc, published=published)
    check_contract(text, doc, out)
    return out


def test_an_attack_told_again_is_one_event_not_two(nlp):
    """WikiEvents: "a blast ... the explosion" are two mentions of one attack; the second refers back
    to the first (``same_as``) instead of being a second attack in the record."""
    out = full(nlp, "A bomb blast in Kabul on Friday wounded 13 people. Police said the explosion was caused "
                    "by a parcel bomb. The explosion shattered shop windows.")
    assault = [e for e in out if e["type"] == "ASSAULT"]
    assert len(assault) >= 2, out
    first = assault[0]
    assert first["same_as"] is None and first["location"]["entity"] == "Kabul"
    again = [e for e in assault if e["trigger"]["text"] == "explosion"]
    assert again and all(e["same_as"] == out.index(first) for e in again), out


def test_a_generic_mention_is_no_event(nlp):
    """Issue 11: generic mentions became events; with nothing to anchor it and nothing to refer
    back to, "the attack" is no event."""
    assert not [e for e in full(nlp, "Experts say the attack is the hardest thing to predict.")
                if e["type"] == "ASSAULT"]


def test_people_harmed_are_the_target_of_the_event_that_harmed_them(nlp):
    out = full(nlp, "The explosion killed five people and injured twelve others near the station.")
    ev = [e for e in out if e["type"] == "ASSAULT"]
    assert len(ev) == 1 and ev[0]["trigger"]["text"] == "explosion", out  # killed / injured: the same event
    assert ev[0]["target"]["text"] == "five people" and ev[0]["target"]["entity"] is None


@pytest.mark.parametrize("text, typ, obj", [
    ("Serbia rejected the proposal on Monday.", "REJECT", "the proposal"),
    ("The European Union urged Russia to withdraw its troops from Moldova.", "REQUEST",
     "withdraw its troops from Moldova"),
])
def test_what_an_event_is_about_is_its_object_not_a_target(nlp, text, typ, obj):
    """Issue 11: a target that is not an actor (a proposal, contracts) is kept as object text."""
    ev = next(e for e in full(nlp, text) if e["type"] == typ)
    assert ev["object"]["text"] == obj, ev
    assert ev["target"] is None or ev["target"]["entity"], ev


@pytest.mark.parametrize("text, typ, actor", [
    ("French President Emmanuel Macron called the explosion in Kabul an attack.", "ASSAULT", None),
    ("The United States condemned the attack on the embassy in Kabul.", "ASSAULT", None),
    ("Russia launched a massive attack on Kharkiv on Sunday.", "ASSAULT", "Russia"),
    ("The bombing was carried out by ETA, police said.", "ASSAULT", "ETA"),
])
def test_who_speaks_of_an_attack_is_not_its_attacker(nlp, text, typ, actor):
    """Issue 11: in long articles a commenting official became the attacker."""
    evs = [e for e in full(nlp, text) if e["type"] == typ]
    assert evs, text
    assert all((e["actor"] and e["actor"]["entity"]) == actor for e in evs), (text, evs)


def test_a_city_in_front_of_an_attack_is_where_a_country_is_who(nlp):
    out = full(nlp, "The London attack shocked Britain. Weeks later, US drone strikes on Yemen resumed.")
    london = next(e for e in out if e["trigger"]["text"] == "attack")
    assert london["actor"] is None and london["location"]["entity"] == "London", london


def test_what_a_speaker_says_another_must_do_is_a_demand(nlp):
    """PLOVER: "Russia said that Sudan must return the helicopter" is a REQUEST by Russia of Sudan;
    the demanded action is its content, not an event of its own."""
    out = full(nlp, "Russia said on Tuesday that Sudan must return the helicopter it seized.")
    req = [e for e in out if e["type"] == "REQUEST"]
    assert len(req) == 1, out
    assert req[0]["actor"]["entity"] == "Russia" and req[0]["target"]["entity"] == "Sudan", req
    assert req[0]["object"]["text"].startswith("return the helicopter"), req
    assert not [e for e in out if e["type"] in ("CONCEDE", "RETREAT", "COERCE")], out
    assert not [e for e in full(nlp, "We must act now, Merkel said.") if e["type"] == "REQUEST"]


def test_a_cancelled_visit_is_a_sanction_and_agreed_talks_one_agreement(nlp):
    out = full(nlp, "A French minister has cancelled a planned visit to Haiti.")
    e = next(e for e in out if e["type"] == "SANCTION")
    assert e["target"]["entity"] == "Haiti" and e["trigger"]["text"].startswith("cancelled"), out
    assert not [x for x in out if x["type"] == "CONSULT"], out
    out = full(nlp, "Israel agreed to US mediation on Sunday.")
    assert [e["type"] for e in out] == ["AGREE"], out


@pytest.mark.parametrize("text, typ, actor, target", [
    ("Israeli President Moshe Katsav has refused to meet Jordan's King Abdullah.", "REJECT", "Moshe Katsav",
     "Abdullah"),
    ("President Yoweri Museveni has threatened to ban opposition candidates.", "THREATEN", "Yoweri Museveni",
     None),
    ("The Israeli government is refusing to lift the curfew on Palestinians.", "REJECT", None, "Palestinians"),
])
def test_an_intent_is_aimed_at_whom_its_action_is_done_to(nlp, text, typ, actor, target):
    """Issue 11: a third of matched events had no target; the one an intended action is done to is
    the target of the refusal, threat or offer (a group described, like "opposition candidates",
    is kept as text)."""
    ev = next(e for e in full(nlp, text) if e["type"] == typ)
    assert ev["target"] is not None, ev
    assert actor is None or ev["actor"]["entity"] == actor, ev
    assert target is None or target in (ev["target"]["entity"] or ev["target"]["text"]), ev


def test_an_act_upon_a_place_with_no_one_named_targets_the_place(nlp):
    ev = next(e for e in full(nlp, "Red Cross officials suspended aid deliveries in Baghdad on Wednesday.")
              if e["type"] == "SANCTION")
    assert ev["target"]["entity"] == "Baghdad" == ev["location"]["entity"], ev


def test_a_bomb_that_went_off_is_the_attack_already_told(nlp):
    out = full(nlp, "A bombing in Kabul killed nine people on Monday. The bomb exploded near a school.")
    first = next(e for e in out if e["type"] == "ASSAULT" and e["same_as"] is None)
    again = [e for e in out if e["trigger"]["text"] == "exploded"]
    assert again and again[0]["same_as"] == out.index(first), out


def test_urging_people_is_a_request_of_them(nlp):
    ev = next(e for e in full(nlp, "Police have urged residents to avoid the area.") if e["type"] == "REQUEST")
    assert ev["actor"]["text"] == "Police" and ev["target"]["text"] == "residents", ev


def test_a_group_described_is_the_named_actor_when_the_article_names_it(nlp):
    """Issue 11: common-noun actors resolve to the named actor when the article names one, and stay
    a typed description (no entity) when it does not."""
    out = full(nlp, "Venezuela's government announced new measures on Monday. "
                    "The government arrested 20 opposition activists in Caracas. Police detained two students.")
    arrest = next(e for e in out if e["trigger"]["text"] == "arrested")
    assert arrest["actor"]["entity"] == "Venezuelan government", arrest
    police = next(e for e in out if e["trigger"]["text"] == "detained")
    assert police["actor"]["text"] == "Police" and police["actor"]["entity"] is None, police


def test_timing_and_dates_of_the_teams_sentences(nlp):
    """Issue 11: background mentions were dated to the article's week. Each sentence of
    tests/fixtures/events/timing.jsonl names one event with its timing, date and how the date was found
    (published 2026-03-05): a duration is no date ("five years in prison"), "on 1 March" is explicit,
    "in March 1999" is background, the day a meeting was announced is not the meeting's, a time clause
    of a future is future. The one event the lexicon lacks ("blocked the aid package") is the only miss."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "timing.jsonl"
    items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    wrong, missing = [], []
    for item in items:
        out = full(nlp, item["text"], published="2026-03-05")
        ev = next((e for e in out if item["trigger"] in e["trigger"]["text"]), None)
        if ev is None:
            missing.append(item["text"])
        elif (ev["timing"], ev["date"], ev["date_from"]) != (item["timing"], item["date"], item["date_from"]):
            wrong.append((item["text"], ev["timing"], ev["date"], ev["date_from"]))
    assert not wrong, wrong
    assert len(missing) <= 1, missing


def test_the_us_is_a_country_not_a_pronoun(nlp):
    """"US" lower-cases to the pronoun "us": a capitalised name is never taken for it."""
    ev = next(e for e in full(nlp, "Arafat rejected a US offer to host a summit.") if e["type"] == "REJECT")
    assert ev["target"]["entity"] == "United States", ev
    ev = next(e for e in full(nlp, "US forces attacked Houthi positions in Yemen.") if e["type"] == "ASSAULT")
    assert ev["actor"]["entity"] == "United States", ev


@pytest.mark.parametrize("text, typ, target", [
    ("A member of parliament started a hunger strike to protest President Assad's failure to act.", "PROTEST",
     "Assad"),
    ("The United States suspended part of a military aid program for Bosnia.", "SANCTION", "Bosnia"),
])
def test_a_things_owner_or_beneficiary_is_the_target(nlp, text, typ, target):
    ev = next(e for e in full(nlp, text) if e["type"] == typ)
    assert ev["target"] and target in (ev["target"]["entity"] or ""), ev
    assert typ != "SANCTION" or ev["object"]["text"].startswith("part of a military aid program"), ev


def test_a_venue_in_front_of_an_attack_is_not_its_attacker(nlp):
    """Issue 11: in long articles a place became the attacker."""
    out = full(nlp, "The Cafeteria Rolando bombing in Madrid killed 13 people. Israeli strikes on Gaza continued.")
    rolando = next(e for e in out if e["trigger"]["text"] == "bombing")
    assert rolando["actor"] is None or rolando["actor"]["entity"] is None, rolando
    strikes = next(e for e in out if e["trigger"]["text"] == "strikes")
    assert strikes["actor"]["entity"] == "Israeli" and strikes["target"]["entity"] == "Gaza", strikes


def test_what_the_examples_audit_found(nlp):
    """A hand audit of the events on the examples (issue 11: about 58% were plausible to a new user)
    found these; each is general, not a page's."""
    # a refusal reported by someone else is still a refusal
    out = full(nlp, "Lavrov said that Moscow remained interested but would not accept political conditions.")
    assert [e["type"] for e in out if e["trigger"]["text"] == "accept"] == ["REJECT"], out
    # a month is no march; a share of votes no cooperation; hosting an exercise no consultation
    assert not full(nlp, "The election planned for March was postponed, the junta said.")
    assert not full(nlp, "Five other candidates shared the remainder.")
    assert not [e for e in full(nlp, "The exercise, which Croatia is hosting for the first time, began on Monday.")
                if e["type"] == "CONSULT"]
    # each conjunct's own agent
    out = full(nlp, "The decree was welcomed by trade unions but criticised by the mining industry.")
    crit = [e for e in out if e["trigger"]["text"] == "criticised"]  # an industry is no group that acts: none
    assert all(e["actor"]["text"] == "the mining industry" for e in crit), crit
    # a hope is no deal
    out = full(nlp, "The company hoped to announce at least one more deal with Vietnam before the summer.")
    assert all(e["modality"] != "asserted" for e in out if e["type"] == "AGREE"), out


def test_failing_to_prevent_fighting_is_no_denial_of_it(nlp):
    out = full(nlp, "Foreign monitors had failed to prevent fighting in the valley, Qaziyev said.")
    assert all(not e["negated"] for e in out if e["type"] == "ASSAULT"), out
    out = full(nlp, "Palestinians and Israelis failed to reach agreement on Sunday.")
    assert [e["type"] for e in out] and all(e["type"] == "REJECT" for e in out), out
