"""Hostile: one process-wide pipeline analysing many articles from many threads at once.

``POST /api/ingest`` runs in the server's thread pool, and every request uses the
one ``newsgraph.analyze.get_nlp()`` pipeline, so its components must give each
article exactly the analysis it gets alone. Each test analyses the articles once,
sequentially (the reference), then the same articles again, several times each
in shuffled order, from 8 threads sharing the pipeline, and asserts every result
equals its reference exactly.

The articles are the project's English examples plus three written here, dense
in what the attribution finder has to pair up: ``X said: "..."``, quotations
continued after the reporting clause and across paragraphs, dash quotes,
"according to", indirect speech, pronoun and title speakers, and events.

A race needs a thread switch inside the few milliseconds a component spends on
one doc; with Python's default switch interval (5 ms) that is rare (no wrong
result in 120 concurrent analyses of the examples), so the concurrent phase runs
with a much shorter one (restored afterwards). While the attribution finder kept
the quotation owners of a call on itself, ``test_analyze_article_from_8_threads``
and ``test_newsgraph_components_from_8_threads`` failed in 8 runs out of 8 (wrong
attributions and events, or an IndexError from another doc's cue);
``test_spacy_components_from_8_threads`` checks, rather than assumes, that
spaCy's own components are safe to share. The three take about 30 s together on
a shared 2-core machine.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

from newsgraph.config import Settings
from newsgraph.extract import extract
from newsgraph.sources import iter_raw
from newsgraph.types import Article, Failure, RawDocument

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
THREADS = 8
SWITCH_INTERVAL = 1e-5  # seconds (Python's default is 5e-3)
OURS = ("newsgraph_attributions", "newsgraph_speakers", "newsgraph_entities", "newsgraph_events")

T = TypeVar("T")

OWN_TEXTS = {
    "harbour-strike.txt": """Dock workers walk out as port talks collapse – Coastal Gazette – Business

The union representing dock workers at the port of Varna called a 48-hour strike on Monday after talks with the port authority collapsed late on Sunday night.

Its chairman, Petar Ivanov, told reporters outside the union's headquarters: "We gave them three months and they gave us nothing. Our members will not load a single ship until the authority puts a real offer on the table."

"This is not about money alone," he said. "It is about safety. Two of our colleagues were injured in January and nobody has answered for it."

The port authority said in a statement that it regretted the decision and remained ready to meet the union at any time. According to the authority, the strike will delay at least 40 vessels and cost the port about 2 million euros a day.

Transport Minister Elena Dimova urged both sides to return to the table. She said the government would not intervene in the dispute "for now", but warned that it could not allow the country's largest port to stand still for long.

– We will not let a few people hold the whole economy hostage, the minister said on national radio.

Shipping companies have already begun to divert cargo to Constanta, according to the Bulgarian Chamber of Shipping. Its director, Nikolai Georgiev, said that some customers might never come back.

"Once a shipper finds another route, he has no reason to return," Georgiev said. "We have seen it before, in 2019.

"The damage lasts much longer than the strike."

Ivanov accused the authority of deceiving the workers about the state of the cranes. He said the union had asked for an independent inspection twice and had been refused both times.
""",
    "summit-statement.txt": """Leaders pledge grid link at Tallinn summit – Northern Dispatch – Politics

The prime ministers of Estonia, Latvia and Finland agreed on Thursday to build a new undersea power cable by 2030, after a summit in Tallinn that was overshadowed by a dispute over its cost.

Estonian Prime Minister Kristen Michal said the cable would make the region "less vulnerable to blackmail". He told a news conference that the three governments would ask the European Commission to cover half of the 1.2 billion euro bill.

"Nobody in this room believes that energy is just a business any more," Michal said. "It is security."

His Latvian counterpart, Evika Silina, was more cautious. Speaking to journalists after the meeting, she said: "We support the project, but we will not sign a blank cheque. The numbers have to be checked."

According to two officials involved in the talks, Finland had pushed for a faster timetable but dropped the demand on Wednesday evening.

The Finnish prime minister, Petteri Orpo, said his government would present a detailed plan to parliament in the spring. Asked whether Finland would pay more than its share, he replied that "everyone pays what they use".

Russia's foreign ministry criticised the plan. Its spokeswoman, Maria Zakharova, said in a statement that the cable was "another step towards the militarisation of the Baltic Sea" and threatened unspecified countermeasures.

– These threats change nothing, Michal said when asked about the statement. – We will build it.

The leaders will meet again in Riga in June, the Latvian government said.
""",
    "election-dispute.txt": """Opposition rejects result as court weighs recount – Valley Herald – World

The opposition alliance in Moldavia said on Saturday that it would not recognise the result of last week's presidential election and demanded a full recount of the votes.

"We will not accept a result that was written before a single ballot was cast," the alliance's candidate, Ana Rusu, told thousands of supporters in the capital. "We will go to the courts, and if the courts fail us, we will go to the streets."

The electoral commission declared the incumbent, Victor Lungu, the winner with 52 percent. Its chairman said the vote had been "free and fair" and that complaints would be examined "with the greatest care".

Lungu, who has governed since 2018, dismissed the protests. He told state television that the opposition was "trying to win in the streets what it lost at the ballot box" and accused foreign organisations of funding it.

Observers from the OSCE said that the vote was competitive but that the campaign had been marred by the misuse of state resources. According to their preliminary report, several polling stations had refused to admit them.

The European Union called on the authorities to respect the right to protest. In a statement, its foreign policy chief said the bloc was "following the situation closely" and expected the complaints to be investigated.

Rusu said she had spoken to the EU ambassador on Friday. "They know what happened," she said. "Now they have to say it."

The constitutional court is expected to rule on the recount request next week, according to the court's press office.
""",
}


@contextmanager
def _short_switch_interval() -> Iterator[None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _from_threads(fn: Callable[[int], T], n_items: int, reps: int, seed: int) -> list[tuple[int, T]]:
    """``fn(i)`` for every item ``reps`` times, shuffled, from THREADS threads at once."""
    jobs = [i for i in range(n_items) for _ in range(reps)]
    random.Random(seed).shuffle(jobs)
    with _short_switch_interval(), ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(zip(jobs, pool.map(fn, jobs), strict=True))


def _mismatches(results: list[tuple[int, Any]], reference: list[Any], names: list[str]) -> list[str]:
    return [f"{names[i]} (job {k})" for k, (i, got) in enumerate(results) if got != reference[i]]


@pytest.fixture(scope="module")
def nlp() -> Any:
    from newsgraph.analyze import get_nlp
    from newsgraph.errors import PipelineError

    try:
        return get_nlp()
    except PipelineError as exc:  # pragma: no cover - the model is a pinned dependency
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """The English examples and the texts above, extracted as ``newsgraph analyze`` does."""
    out = []
    for raw in iter_raw([str(EXAMPLES)], Settings()):
        if isinstance(raw, Failure):
            continue  # examples/README.md
        out.append(extract(raw))
    out += [extract(RawDocument(source=name, kind="text", data=text)) for name, text in OWN_TEXTS.items()]
    out = [a for a in out if a.language in (None, "en")]
    assert len(out) >= 12
    return out


def test_analyze_article_from_8_threads(nlp: Any, articles: list[Article]) -> None:
    """The path of ``POST /api/ingest``: ``analyze_article`` with the shared pipeline."""
    from newsgraph.analyze import analyze_article

    reference = [analyze_article(a, nlp) for a in articles]
    for a in reference:  # the comparison below is only worth something if there is something to compare
        assert a.attributions and a.entities
    assert sum(len(a.events) for a in reference) >= 10

    results = _from_threads(lambda i: analyze_article(articles[i], nlp), len(articles), reps=3, seed=15)
    bad = _mismatches(results, reference, [a.source for a in articles])
    assert not bad, f"{len(bad)} of {len(results)} concurrent analyses differ from the sequential one: {bad}"


def _spacy_part(nlp: Any, text: str) -> Any:
    """``text`` through spaCy's own components only (the shared pipeline, ours left out)."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name not in OURS:
            doc = proc(doc)
    return doc


def _spacy_annotations(doc: Any) -> tuple[Any, ...]:
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    arr = doc.to_array([TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE])
    return tuple(t.text_with_ws for t in doc), arr.tolist()


def test_spacy_components_from_8_threads(nlp: Any, articles: list[Article]) -> None:
    """spaCy's own tagger, parser, lemmatizer and NER give each doc the same annotations from threads."""
    texts = [a.text for a in articles]
    reference = [_spacy_annotations(_spacy_part(nlp, t)) for t in texts]
    results = _from_threads(lambda i: _spacy_annotations(_spacy_part(nlp, texts[i])), len(texts), reps=2, seed=16)
    bad = _mismatches(results, reference, [a.source for a in articles])
    assert not bad, f"{len(bad)} of {len(results)} concurrent parses differ from the sequential one: {bad}"


def test_newsgraph_components_from_8_threads(nlp: Any, articles: list[Article]) -> None:
    """newsgraph's four components, many times over on copies of docs parsed once (the race's window
    is the components' own time, so most of the run is spent there)."""
    parsed = [_spacy_part(nlp, a.text) for a in articles]
    procs = [nlp.get_pipe(name) for name in OURS]

    def analyse(i: int) -> str:
        doc = parsed[i].copy()
        for proc in procs:
            doc = proc(doc)
        return json.dumps([doc._.attributions, doc._.entities, doc._.events], sort_keys=True)

    reference = [analyse(i) for i in range(len(parsed))]
    results = _from_threads(analyse, len(parsed), reps=12, seed=17)
    bad = _mismatches(results, reference, [a.source for a in articles])
    assert not bad, f"{len(bad)} of {len(results)} concurrent analyses differ from the sequential one: {bad}"
