"""The spaCy factories: usable in anyone's pipeline through the entry point."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import spacy
from thinc.api import ConfigValidationError

from newsgraph.analyze import MODEL_NAMES, build_nlp


def test_entry_point_lets_any_pipeline_add_the_components() -> None:
    # A fresh interpreter that never imports newsgraph itself: spaCy finds the
    # factories through the `spacy_factories` entry point.
    code = textwrap.dedent(f"""
        import sys
        import spacy
        for name in {MODEL_NAMES!r}:
            try:
                nlp = spacy.load(name); break
            except OSError:
                continue
        nlp.add_pipe("newsgraph_attributions")
        nlp.add_pipe("newsgraph_speakers")
        doc = nlp("Prime Minister Anna Keller said on Tuesday that the talks would resume in Geneva.")
        found = doc._.attributions
        assert found, found
        a = found[0]
        print(doc.text[a["source"][0]:a["source"][1]], "|", a["source_entity"])
        print("newsgraph.analyze.factories" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    source_line, loaded = out.stdout.strip().splitlines()
    assert source_line.endswith("| Anna Keller") and "Anna Keller" in source_line.split("|")[0]
    assert loaded == "True"  # the entry point imported the factories module


def test_bad_config_fails_when_the_pipeline_is_built() -> None:
    nlp = spacy.blank("en")
    import newsgraph.analyze.factories  # noqa: F401

    with pytest.raises(ConfigValidationError):
        nlp.add_pipe("newsgraph_attributions", config={"max_sentence_gap": "not a number"})


def test_attribution_switches_are_factory_config() -> None:
    nlp = spacy.blank("en")
    import newsgraph.analyze.factories  # noqa: F401

    default = nlp.add_pipe("newsgraph_attributions", name="default")
    assert (default.cut_trailing_participles, default.cut_final_nonrestrictive, default.continue_across_paragraphs,
            default.generic_that, default.generic_adjectives, default.debug) == (True, True, True, True, True, False)
    off = nlp.add_pipe("newsgraph_attributions", name="off",
                       config={"generic_that": False, "continue_across_paragraphs": False, "debug": True})
    assert (off.generic_that, off.continue_across_paragraphs, off.debug, off.generic_adjectives) == (False, False,
                                                                                                   True, True)
    with pytest.raises(ConfigValidationError):
        nlp.add_pipe("newsgraph_attributions", name="bad", config={"debug": "sometimes"})


def test_pipeline_order_and_analysis_is_consistent() -> None:
    nlp = build_nlp()
    assert nlp.pipe_names[-4:] == ["newsgraph_attributions", "newsgraph_speakers", "newsgraph_entities",
                                  "newsgraph_events"]
    problems = nlp.analyze_pipes()["problems"]
    assert not any(problems.values()), problems


def test_saved_pipeline_loads_with_the_components(tmp_path) -> None:
    nlp = build_nlp()
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    assert again.pipe_names == nlp.pipe_names
    text = "“We will not give up,” the minister said."
    assert again(text)._.attributions == nlp(text)._.attributions
