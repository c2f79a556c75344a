"""The cue lexicon file and its loader."""

from __future__ import annotations

import pytest

from newsgraph.analyze.lexicon import CATEGORIES, DATA, LexiconError, load_lexicon, parse_lexicon


def test_packaged_english_lexicon_loads():
    lex = load_lexicon("en")
    assert len(lex) > 150
    for lemma in ("say", "tell", "claim", "stress", "warn", "believe", "want", "hope", "show", "criticize"):
        assert lex.verb(lemma) is not None, lemma
    assert lex.verb("say").category == "speech" and "c" in lex.verb("say").frames
    assert lex.verb("want").category == "intention" and "x" in lex.verb("want").frames
    assert "according to" in lex.phrases and ":" in lex.punct
    assert lex.noun("statement") is not None and lex.noun("claim") is not None


def test_every_row_is_documented():
    lines = (DATA / "cues_en.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and any("Provenance" in ln for ln in lines if ln.startswith("#"))
    rows = [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]
    seen = set()
    for cols in rows:
        assert len(cols) == 5 and cols[4].strip(), cols  # a note on every row
        assert cols[2] in CATEGORIES
        assert (cols[0], cols[1]) not in seen, f"duplicate entry {cols[:2]}"
        seen.add((cols[0], cols[1]))


def test_alias_and_path():
    assert load_lexicon("en_reporting_verbs") is load_lexicon("en")
    assert len(load_lexicon(str(DATA / "cues_en.tsv"))) == len(load_lexicon("en"))


def test_missing_lexicon():
    with pytest.raises(LexiconError, match="lexicon.missing"):
        load_lexicon("xx-none")


@pytest.mark.parametrize("bad, code", [
    ("say\tverb", "lexicon.columns"),
    ("say\tadverb\tspeech\tc\tn", "lexicon.pos"),
    ("say\tverb\tgossip\tc\tn", "lexicon.category"),
    ("say\tverb\tspeech\tz\tn", "lexicon.frame"),
])
def test_malformed_rows(bad, code):
    with pytest.raises(LexiconError, match=code):
        parse_lexicon(bad)


def test_parse_frames_and_prepositions():
    lex = parse_lexicon("# comment\ncall\tverb\tspeech\tx,o,p:for p:on\tnote\n")
    cue = lex.verb("call")
    assert cue.frames == ("x", "o") and cue.preps == ("for", "on")
