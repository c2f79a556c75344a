"""Article identity: the chunked hash equals the hash of the whole normalised text."""

from __future__ import annotations

import hashlib
import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph import ids

#: Characters where normalisation, whitespace and case folding interact.
TRICKY = ["a", "B", "ß", "ﬁ", "é", "e", "\u0301", "\u0327", " ", "  ", "\u00a0", "\u3000", "\u2007", "\n", "\t",
          "\u00ad", "\u200b", "\u00b4", "\u1100", "\u1161", "\u11a8", "가", "İ", "Σ", "ς", "x\u0307", "\u2126", "①",
          "\u0345", "\u1e9b\u0323", "\ufb01", "\u0f73", "\u0344", "\u2028", "\x1c", "\x85", "\x1f", "\x0b", "\x0c",
          "\r", "\u1680", "\u205f", "\u2029", "\u200a", " x ", "\u3000y\t"]


def whole(text: str) -> str:
    return hashlib.sha256(ids.normalise_for_id(text).encode("utf-8")).hexdigest()[:ids.ID_LENGTH]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=40),
       chunk=st.integers(min_value=1, max_value=9))
def test_chunked_id_equals_the_whole_text_id(parts: list[str], chunk: int) -> None:
    text = "".join(parts)
    saved = ids.CHUNK
    ids.CHUNK = chunk  # tiny pieces, so every cut and every pending space is exercised
    try:
        assert ids.article_id(text) == whole(text)
    finally:
        ids.CHUNK = saved


def test_pinned_ids_do_not_change() -> None:
    # stored articles are keyed by these (values from the one-piece implementation): an id
    # function that changed would store every article again
    assert ids.article_id("Putin says West ignores Russia’s demands for security.\n\nThe Kremlin said.") \
        == "b705f4eeb2fd63da"
    assert ids.article_id("  Putin  says\u00a0West\n") == "faf5068f775734b7" == ids.article_id("putin says west")


def test_a_long_text_hashes_in_bounded_memory() -> None:
    import tracemalloc

    text = " ".join(f"Sentence {i} of a very long report, with words." for i in range(200_000))  # ~10 MB
    tracemalloc.start()
    got = ids.article_id(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert got == whole(text)
    assert peak < 40 * 2**20, f"{peak / 2**20:.0f} MiB"


def test_split_whitespace_is_the_regex_whitespace_on_every_code_point() -> None:
    # article_id folds spaces with str.split, normalise_for_id (the definition) with \s+: the ids
    # stay the same only while the two sets agree and no character case-folds to or from a space
    space = re.compile(r"\s")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert (space.match(c) is not None) == c.isspace() == (len(f"a{c}a".split()) == 2), hex(cp)
        folded = c.casefold()
        assert not (folded[:1].isspace() or folded[-1:].isspace()) or c.isspace(), hex(cp)
