"""bench/synth_store.py: the synthetic analysed store the web-app benchmark runs on."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from newsgraph.store import open_store

_PATH = Path(__file__).resolve().parents[2] / "bench" / "synth_store.py"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("newsgraph_bench_synth_store", _PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def articles(synth):
    return list(synth.generate(60, seed=3))


def _spans(article):
    for a in article.attributions:
        yield "content", a.content
        for name in ("cue", "source", "via"):
            if getattr(a, name) is not None:
                yield name, getattr(a, name)
    for e in article.entities:
        for m in e.mentions:
            yield "mention", m
    for ev in article.events:
        yield "trigger", ev.trigger
        for name in ("actor", "target", "location"):
            if getattr(ev, name) is not None:
                yield name, getattr(ev, name)


def test_deterministic(synth, articles):
    again = list(synth.generate(60, seed=3))
    assert [a.as_dict() for a in again] == [a.as_dict() for a in articles]
    assert [a.id for a in synth.generate(60, seed=4)] != [a.id for a in articles]
    # article i depends only on (seed, i): a prefix of a larger run is the smaller run
    assert synth.make_article(17, seed=3) == articles[17]


def test_every_span_is_valid(articles):
    n = 0
    for art in articles:
        for what, span in _spans(art):
            assert 0 <= span.start < span.end <= len(art.text), (art.id, what, span)
            assert art.text[span.start:span.end] == span.text, (art.id, what, span)
            n += 1
        for a in art.attributions:
            for lo, hi in a.content_spans:
                assert a.content.start <= lo < hi <= a.content.end
        for ev in art.events:
            assert ev.attribution is None or 0 <= ev.attribution < len(art.attributions)
    assert n > 60 * 20


def test_entities_name_the_spans(articles):
    for art in articles:
        names = {e.name for e in art.entities}
        assert len(names) == len(art.entities)
        for a in art.attributions:
            assert a.source is not None and a.source.entity in names
            assert a.via is None or a.via.entity in names
        for ev in art.events:
            assert ev.actor.entity in names and ev.target.entity in names
            assert ev.actor.entity != ev.target.entity


def test_realistic_shape(articles):
    assert len({a.id for a in articles}) == len(articles)
    assert all(3 <= len(a.attributions) <= 15 for a in articles)
    assert all(1 <= len(a.events) <= 4 for a in articles)
    assert {a.attributions[0].kind for a in articles} | {x.kind for a in articles for x in a.attributions} >= {
        "direct", "indirect", "mixed"}
    assert any(len(x.content_spans) == 2 for a in articles for x in a.attributions)
    assert len({a.outlet for a in articles}) > 5
    assert len({a.published for a in articles}) > 30
    assert all(a.published.startswith("2026-") for a in articles)
    # a few speakers recur a lot, most rarely (Zipf-like)
    speakers = Counter(x.source.entity for a in articles for x in a.attributions)
    top = speakers.most_common(1)[0][1]
    assert top >= 5 * sorted(speakers.values())[len(speakers) // 2]


def test_build_writes_through_the_store(synth, tmp_path):
    db = tmp_path / "s.db"
    res = synth.build(db, 25, seed=3)
    assert res["articles"] == 25 and res["added"] == 25
    with open_store(str(db)) as store:
        first = synth.make_article(0, seed=3)
        got = store.get_article(first.id).article
        assert got.text == first.text
        assert len(got.attributions) == len(first.attributions)
        assert len(got.events) == len(first.events)
        speaker = first.attributions[0].source.entity
        assert any(q.speaker == speaker for q in store.quotes(speaker=speaker, limit=500))
        assert store.search(first.title.split()[-2])
    # topping up an existing store adds only the missing articles
    res = synth.build(db, 30, seed=3)
    assert res["articles"] == 30 and res["added"] == 5
