"""Cross-article actor matching (newsgraph/registry.py): pair suite, rules, corrections, properties, speed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.registry import (
    Actor,
    Corrections,
    Decision,
    Matcher,
    name_keys,
    normalise_name,
    type_class,
)

PAIRS_FILE = Path(__file__).parent.parent / "fixtures" / "registry_pairs.tsv"


def _pairs() -> list[tuple[str, str, str, str, str, str, str]]:
    rows = []
    for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, ta, b, tb, expected, note, *rest = line.split("\t")
        assert expected in ("merge", "separate") and len(rest) <= 1, line
        rows.append((a, ta, b, tb, expected, note, rest[0] if rest else ""))
    return rows


PAIRS = _pairs()


def test_pair_suite_is_big_enough() -> None:
    kinds = [p[4] for p in PAIRS]
    assert len(PAIRS) >= 40
    assert kinds.count("merge") >= 20 and kinds.count("separate") >= 20


def _context(spec: str, known: str) -> list[str]:
    """The pair file's context column: names of the query's article ("*": the known name too)."""
    names = [n.strip() for n in spec.split(";") if n.strip()]
    return [known if n == "*" else n for n in names]


@pytest.mark.parametrize(("a", "ta", "b", "tb", "expected", "note", "context"), PAIRS,
                         ids=[f"{p[0]}~{p[2]}" + (f"[{p[6]}]" if p[6] else "") for p in PAIRS])
def test_pair(a: str, ta: str, b: str, tb: str, expected: str, note: str, context: str) -> None:
    m = Matcher()
    for x, tx, y, ty in ((a, ta, b, tb), (b, tb, a, ta)):
        d = m.same(x, tx, y, ty, _context(context, x))
        assert d.linked == (expected == "merge"), f"{x!r} ({tx}) vs {y!r} ({ty}): {d} -- {note}"


# ---------------------------------------------------------------- normalisation
@pytest.mark.parametrize(("raw", "norm"), [
    ("Viktor Orbán", "viktor orban"),
    ("the U.S.", "us"),
    ("President Volodymyr Zelenskyy's", "volodymyr zelenski"),
    ("Sergey Lavrov", "sergei lavrov"),
    ("Alexei Navalny", "aleksei navalni"),
    ("Kim Jong-un", "kim jong un"),
    ("Dr. Anthony Fauci", "antoni fauci"),
    ("George W. Bush", "george w bush"),
    ("Martin Luther King Jr.", "martin luther king jr"),
    ("Henry VIII", "henri viii"),
    ("General Motors", "general motors"),
    ("Xi Jinping", "xi jinping"),
    ("Lech Wałęsa", "lech walesa"),
    ("Mr", "mr"),
    ("", ""),
    ("  ", ""),
])
def test_normalise_name(raw: str, norm: str) -> None:
    assert normalise_name(raw) == norm


def test_given_name_variants_only_before_a_family_name() -> None:
    assert normalise_name("Anthony Blinken") == normalise_name("Antony Blinken")
    assert normalise_name("Anthony") != normalise_name("Antony")
    assert normalise_name("Mohammed") != normalise_name("Muhammad")


def test_name_keys_are_typed_and_block_candidates() -> None:
    assert "person|s:lavrov" in name_keys("Sergei Lavrov", "PERSON")
    assert name_keys("Lavrov", "PERSON") & name_keys("Sergey Lavrov", "PERSON")
    assert name_keys("America", "GPE") & name_keys("U.S.", "LOC")
    assert name_keys("NATO", "ORG") & name_keys("North Atlantic Treaty Organization", "ORG")
    assert not name_keys("Georgia", "GPE") & name_keys("Georgia", "PERSON")
    assert name_keys("", "PERSON") == set()
    assert type_class("LOC") == type_class("GPE") == "place"


# ---------------------------------------------------------------- registry behaviour
def _registry() -> Matcher:
    return Matcher([
        Actor("person:joe-biden", "Joe Biden", "PERSON"),
        Actor("person:hunter-biden", "Hunter Biden", "PERSON"),
        Actor("person:sergei-lavrov", "Sergei Lavrov", "PERSON", frozenset({"Sergey Viktorovich Lavrov"})),
        Actor("person:george-w-bush", "George W. Bush", "PERSON"),
        Actor("person:george-h-w-bush", "George H. W. Bush", "PERSON"),
        Actor("gpe:united-states", "United States", "GPE"),
        Actor("gpe:georgia", "Georgia", "GPE"),
        Actor("person:georgia-meloni", "Giorgia Meloni", "PERSON"),
        Actor("org:opcw", "Organisation for the Prohibition of Chemical Weapons", "ORG"),
        Actor("org:un", "United Nations", "ORG"),
        Actor("person:ali-khamenei", "Ali Khamenei", "PERSON"),
    ])


def test_surname_alone_needs_exactly_one_known_person() -> None:
    m = _registry()
    assert m.match("Lavrov", "PERSON").actor_key == "person:sergei-lavrov"
    d = m.match("Biden", "PERSON")
    assert d.actor_key is None and "2 known people" in d.reason
    assert m.match("Bush", "PERSON").actor_key is None
    m.merge("person:joe-biden", "person:hunter-biden")  # a (wrong) user merge makes them one
    assert m.match("Biden", "PERSON").actor_key == "person:joe-biden"


def test_alias_and_types() -> None:
    m = _registry()
    for n in ("US", "U.S.", "USA", "the United States of America", "America"):
        assert m.match(n, "GPE").actor_key == "gpe:united-states", n
    assert m.match("the US", "LOC").actor_key == "gpe:united-states"
    assert m.match("America", "PERSON").actor_key is None
    assert m.match("Georgia", "PERSON").actor_key is None
    assert m.match("Georgia", "GPE").actor_key == "gpe:georgia"
    assert m.match("Sergey Viktorovich Lavrov", "PERSON").reason == "exact"
    assert m.match("U.N.", "ORG").actor_key == "org:un"
    assert m.match("OPCW", "ORG").actor_key is None  # the expansion is in another article
    opcw = "Organisation for the Prohibition of Chemical Weapons"
    assert m.match("OPCW", "ORG", [opcw]).actor_key == "org:opcw"  # both in this one
    assert m.match("OPCW", "GPE").actor_key is None


def test_generations_never_merge() -> None:
    m = _registry()
    assert m.match("George W. Bush", "PERSON").actor_key == "person:george-w-bush"
    assert m.match("George Bush", "PERSON").actor_key is None
    assert m.match("George Walker Bush", "PERSON").actor_key == "person:george-w-bush"  # W. agrees with Walker


def test_ambiguous_exact_names_give_no_decision() -> None:
    m = Matcher([Actor("gpe:georgia", "Georgia", "GPE"), Actor("gpe:georgia-us", "Georgia", "GPE")])
    d = m.match("Georgia", "GPE")
    assert d.actor_key is None and d.reason.startswith("ambiguous")


def test_context_raises_a_borderline_score_only() -> None:
    actor = Actor("person:ali-khamenei", "Ali Khamenei", "PERSON")
    m = Matcher([actor])
    m.observe(actor.key, ["Iran", "supreme leader", "Tehran"])
    d = m.match("Ali Khamanei", "PERSON")  # family ratio 0.857: borderline
    assert d.actor_key is None and d.score == pytest.approx(0.857, abs=1e-3)
    d = m.match("Ali Khamanei", "PERSON", context=["Tehran", "supreme leader"])
    assert d.actor_key == actor.key and "context" in d.reason
    # a guard is never overridden by context
    assert m.match("Ali Khan", "PERSON", context=["Iran", "Tehran", "supreme leader"]).actor_key is None
    m2 = Matcher([Actor("person:hillary-clinton", "Hillary Rodham Clinton", "PERSON")], )
    m2.observe("person:hillary-clinton", ["Bill Clinton"])
    assert m2.match("Hillary Clinton", "PERSON").actor_key is None
    assert m2.match("Hillary Clinton", "PERSON", ["Bill Clinton"]).actor_key == "person:hillary-clinton"
    assert m2.match("Hillary Clinton", "ORG", ["Bill Clinton"]).actor_key is None


def test_add_replaces_an_actor() -> None:
    m = Matcher([Actor("person:x", "Sergei Lavrov", "PERSON")])
    m.add(Actor("person:x", "Maria Zakharova", "PERSON"))
    assert m.match("Sergey Lavrov", "PERSON").actor_key is None
    assert m.match("Mariya Zakharova", "PERSON").actor_key == "person:x"
    assert len(m) == 1 and "person:x" in m


# ---------------------------------------------------------------- corrections
def test_corrections_win_and_round_trip() -> None:
    m = _registry()
    # "A is B": merged actors resolve to A
    m.merge("person:joe-biden", "person:hunter-biden")
    assert m.match("Hunter Biden", "PERSON").actor_key == "person:joe-biden"
    # "A is not B" undoes it
    m.split("person:joe-biden", "person:hunter-biden")
    assert m.match("Hunter Biden", "PERSON").actor_key == "person:hunter-biden"
    # a transitive merge that would join a split pair is refused
    m.merge("person:joe-biden", "person:george-w-bush")
    m.merge("person:george-w-bush", "person:hunter-biden")
    assert m.root("person:hunter-biden") == "person:hunter-biden"
    # name-level: unlink beats an exact match, link beats everything
    m.unlink("Sergey Lavrov", "PERSON", "person:sergei-lavrov")
    assert m.match("Sergei Lavrov", "PERSON").actor_key is None
    assert m.match("Lavrov", "PERSON").actor_key == "person:sergei-lavrov"
    m.link("Giorgia", "PERSON", "person:georgia-meloni")
    assert m.match("Giorgia", "PERSON") == Decision("person:georgia-meloni", 1.0, "correction: linked by user")
    text = m.corrections.to_json()
    again = Corrections.from_json(text)
    assert again.to_dict() == json.loads(text) and len(again) == len(m.corrections)
    m2 = Matcher(m.actors.values(), corrections=again)
    for name, typ in [("Hunter Biden", "PERSON"), ("Sergei Lavrov", "PERSON"), ("Giorgia", "PERSON"),
                      ("Lavrov", "PERSON"), ("Joe Biden", "PERSON")]:
        assert m2.match(name, typ) == m.match(name, typ)
    with pytest.raises(ValueError):
        Corrections([{"op": "explode"}])


# ---------------------------------------------------------------- properties
_LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúüöçñłøßİıšžčćğ'-. "
_name_text = st.text(alphabet=_LETTERS + _LETTERS.upper(), max_size=30)
_word = st.sampled_from(["sergei", "sergey", "lavrov", "Zelensky", "Zelenskyy", "Volodymyr", "Orbán", "Orban",
                         "Kim", "Jong-un", "Jong-il", "Paul", "Saul", "Ivan", "Iran", "Joe", "Biden", "Hunter",
                         "George", "W.", "H.", "Bush", "Jr.", "Ali", "Khamenei", "Khamanei", "Khan", "Mr",
                         "Boris", "Johnson", "Johnston", "Mohammed", "Muhammad", "bin", "Salman", "Smith", "Smyth",
                         "John", "Jon", "Antony", "Anthony", "Blinken", "US", "USA", "United", "States", "NATO"])
_names = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_types = st.sampled_from(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"])
_fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(_name_text)
def test_normalise_is_idempotent(s: str) -> None:
    n = normalise_name(s)
    assert normalise_name(n) == n


@_fast
@given(_names)
def test_normalise_is_idempotent_on_names(s: str) -> None:
    n = normalise_name(s)
    assert normalise_name(n) == n


@_fast
@given(_names, _names, _types)
def test_pair_decision_is_symmetric(a: str, b: str, t: str) -> None:
    m = Matcher()
    assert m.same(a, t, b, t).linked == m.same(b, t, a, t).linked


@_fast
@given(st.lists(st.tuples(_names, _types), min_size=1, max_size=6), _names, _types)
def test_no_automatic_decision_crosses_types(known: list[tuple[str, str]], q: str, t: str) -> None:
    m = Matcher(Actor(f"k{i}", n, typ) for i, (n, typ) in enumerate(known))
    d = m.match(q, t)
    if d.actor_key is not None:
        assert type_class(m.actors[d.actor_key].type) == type_class(t)


@_fast
@given(st.lists(st.tuples(_names, _types), min_size=2, max_size=6), _names, _types, st.data())
def test_corrections_always_win(known: list[tuple[str, str]], q: str, t: str, data: st.DataObject) -> None:
    m = Matcher(Actor(f"k{i}", n, typ) for i, (n, typ) in enumerate(known))
    if not normalise_name(q):
        return
    target = data.draw(st.sampled_from(sorted(m.actors)))
    m.unlink(q, t, target)
    assert m.match(q, t).actor_key != target
    m.link(q, t, target)
    assert m.match(q, t).actor_key == target
    other = data.draw(st.sampled_from(sorted(m.actors)))
    if other != target:
        m.merge(other, target)
        assert m.match(q, t).actor_key == other


# ---------------------------------------------------------------- speed
def test_speed() -> None:
    """Thousands of matches per second against a registry of 2,000 actors (prints the figure)."""
    given_names = ["Sergei", "Anna", "Mohammed", "Olga", "Jean", "Maria", "Yuri", "Peter", "Fatima", "Li"]
    family = ["Lavrov", "Petrova", "Salman", "Dubois", "Kowalski", "Nakamura", "Okafor", "Schmidt", "Haddad",
              "Silva", "Ivanov", "Garcia", "Novak", "Rossi", "Kim", "Chen", "Smith", "Jones", "Müller", "Sato"]
    actors = [Actor(f"person:{i}", f"{g} {f}{i // 200 or ''}", "PERSON")
              for i, (g, f) in enumerate((g, f) for f in family for g in given_names for _ in range(10))]
    m = Matcher(actors)
    queries = [f"{g} {f}" for f in family for g in given_names] + [f for f in family] + \
              ["Sergey Lavrov", "Fatima Haddad", "US", "Kim Jong-un"]
    queries = [q + s for s in ("", "a", "'s") for q in queries]
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < 0.5:
        for q in queries:
            m.match(q, "PERSON")
        n += len(queries)
    rate = n / (time.perf_counter() - t0)
    print(f"\nregistry: {rate:,.0f} matches/s ({len(m)} actors, {len(queries)} distinct queries)")
    assert rate > 1000


def test_pure_python_fallback_agrees_with_rapidfuzz() -> None:
    import random

    from newsgraph import registry

    rf = pytest.importorskip("rapidfuzz.distance")
    rng = random.Random(5)
    alphabet = "abdeiklmnorstuy"
    for _ in range(3000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        b = list(a)
        for _ in range(rng.randint(0, 4)):
            i = rng.randrange(len(b) + 1)
            if rng.random() < 0.5:
                b.insert(i, rng.choice(alphabet))
            elif b:
                b[min(i, len(b) - 1)] = rng.choice(alphabet)
        b = "".join(b)
        assert registry._py_ratio(a, b) == pytest.approx(rf.Indel.normalized_similarity(a, b), abs=1e-9)
        assert registry._py_jw(a, b) == pytest.approx(rf.JaroWinkler.normalized_similarity(a, b), abs=1e-9)
