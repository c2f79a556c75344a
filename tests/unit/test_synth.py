"""bench/synth.py: the synthetic corpus the ingest benchmark runs on."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "bench" / "synth.py"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("newsgraph_bench_synth", _PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_same_seed_same_corpus(synth):
    a = [x.content for x in synth.generate(40, seed=7)]
    b = [x.content for x in synth.generate(40, seed=7)]
    assert a == b


def test_other_seed_other_corpus(synth):
    a = [x.body for x in synth.generate(10, seed=1)]
    b = [x.body for x in synth.generate(10, seed=2)]
    assert all(x != y for x, y in zip(a, b, strict=True))


def test_prefix_of_larger_corpus_is_identical(synth):
    small = [x.content for x in synth.generate(30, seed=3)]
    large = [x.content for x in synth.generate(60, seed=3)][:30]
    assert small == large


def test_bodies_unique_and_sized(synth):
    arts = list(synth.generate(500, seed=0))
    assert len({a.body for a in arts}) == 500
    words = [len(a.body.split()) for a in arts]
    assert min(words) >= synth.MIN_WORDS
    assert max(words) <= synth.MAX_WORDS
    # every body sits verbatim (paragraph by paragraph) in its text file
    for a in arts:
        if a.kind == "text":
            for para in a.body.split("\n\n"):
                assert para in a.content


def test_half_html_half_text_with_boilerplate(synth):
    arts = list(synth.generate(100, seed=0))
    kinds = Counter(a.kind for a in arts)
    assert kinds == {"html": 50, "text": 50}
    html = next(a for a in arts if a.kind == "html").content
    for marker in ('<meta property="og:site_name"', "article:published_time", "<nav", "<h1>",
                   "Leave a Reply", "All rights reserved"):
        assert marker in html
    texts = [a.content for a in arts if a.kind == "text"]
    for marker in ("Home | ", "See also  ", "Your email address will not be published"):
        assert all(marker in t for t in texts)
    assert any("Photo: " in t for t in texts)
    assert any("\nthe: " in t or "\nRead also: " in t for t in texts)
    first = texts[0].splitlines()[0]
    assert first.count(" – ") == 2  # "Title – Outlet – Section"


@pytest.mark.parametrize(("n", "share", "expected"), [(100, 0.1, 10), (1000, 0.05, 50), (7, 0.0, 0), (33, 0.2, 7)])
def test_duplicate_injection_count(synth, n, share, expected):
    arts = list(synth.generate(n, seed=5, dup_share=share))
    copies = [a for a in arts if a.duplicate_of is not None]
    assert len(copies) == expected
    assert len({a.body for a in arts}) == n - expected
    by_index = {a.index: a for a in arts}
    for c in copies:
        orig = by_index[c.duplicate_of]
        assert orig.duplicate_of is None
        assert orig.index < c.index
        assert c.content == orig.content and c.kind == orig.kind
        assert c.relpath != orig.relpath


def test_bad_share_rejected(synth):
    with pytest.raises(ValueError):
        synth.duplicate_plan(10, dup_share=1.0)


def test_write_corpus_layout(synth, tmp_path):
    stats = synth.write_corpus(tmp_path, 2500, seed=11, dup_share=0.02)
    assert (stats.n_files, stats.n_duplicates, stats.n_unique) == (2500, 50, 2450)
    subdirs = sorted(p.name for p in tmp_path.iterdir())
    assert subdirs == ["0000", "0001", "0002"]
    counts = [len(list((tmp_path / d).iterdir())) for d in subdirs]
    assert counts == [1000, 1000, 500]
    files = sorted(tmp_path.rglob("*.*"))
    assert Counter(p.suffix for p in files) == {".html": 1250, ".txt": 1250}
    assert (tmp_path / "0000" / "000000.html").is_file()
    assert (tmp_path / "0002" / "002499.txt").is_file()
    assert stats.n_bytes == sum(p.stat().st_size for p in files)
    # the files are what the generator yields
    again = synth.make_article(1234, seed=11)
    if 1234 not in synth.duplicate_plan(2500, seed=11, dup_share=0.02):
        assert (tmp_path / again.relpath).read_text(encoding="utf-8") == again.content
