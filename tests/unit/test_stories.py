"""The same story in several outlets: signatures, and the store's ``same_story``."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph import stories
from newsgraph.ids import article_id
from newsgraph.store import open_store
from newsgraph.store.sqlite import migrations
from newsgraph.stories import THRESHOLD, bands, pack, signature, similarity
from newsgraph.types import Article
from tests.helpers import undo_schema_8

WIRE = (
    "RIGA, March 3 (Baltic Wire) - Transport ministers of Latvia, Lithuania and Estonia agreed on Monday to "
    "pool money for a rail link that would carry grain from the port of Riga to the Polish border by 2029.\n\n"
    "The ministers signed a memorandum after four hours of talks in the Latvian capital, saying the line "
    "would cut the cost of moving a tonne of grain by a third compared with road haulage.\n\n"
    "\"We have talked about this railway for twenty years. Today we decided to pay for it,\" Latvian transport "
    "minister Inese Kalnina told reporters after the meeting.\n\n"
    "The European Commission is expected to cover up to 85 percent of the cost, estimated at 2.1 billion "
    "euros, from its connecting Europe fund, two officials familiar with the plan said.\n\n"
    "Construction of the first section, between Riga and the Lithuanian town of Panevezys, could start in "
    "the autumn of next year if the tender is not challenged in court, the memorandum says.\n\n"
    "Poland has not yet said whether it will extend the line beyond the border, a question the three "
    "ministers said they would raise with Warsaw at a meeting later this month."
)
# The same story as another outlet ran it: new headline line, one paragraph cut, a sentence added.
REWRITE = ("Baltic states agree to fund grain railway\n\n"
           + WIRE.replace("\n\nConstruction of the first section, between Riga and the Lithuanian town of Panevezys, "
                          "could start in the autumn of next year if the tender is not challenged in court, the "
                          "memorandum says.", "")
           + "\n\nReporting by Baltic Wire; editing by the Harbour Times desk.")
UNRELATED = (
    "Heavy snow closed three mountain passes in the Tatras on Sunday and avalanche warnings were raised to the "
    "second-highest level, the regional rescue service said.\n\nSki resorts on the Slovak side opened two weeks "
    "early after the coldest November in a decade, and hotel owners reported bookings well above last year's."
)


def _jaccard(x: str, y: str) -> float:
    def grams(t: str) -> set[tuple[str, ...]]:
        w = re.findall(r"\w+", t.lower())
        return {tuple(w[i:i + 5]) for i in range(len(w) - 4)}

    a, b = grams(x), grams(y)
    return len(a & b) / len(a | b)


def test_same_text_differently_edited_is_the_same_story() -> None:
    a, b, c = signature(WIRE), signature(REWRITE), signature(UNRELATED)
    assert a is not None and b is not None and c is not None
    assert similarity(pack(a), pack(a)) == 1.0
    # The estimate tracks the exact Jaccard of the 5-gram sets (0.73 here; ±0.06 is one standard deviation).
    exact = _jaccard(WIRE, REWRITE)
    assert 0.7 < exact < 0.75
    assert abs(similarity(pack(a), pack(b)) - exact) < 0.15 and similarity(pack(a), pack(b)) >= THRESHOLD
    assert similarity(pack(a), pack(c)) < 0.1
    # Near-identical texts share at least one LSH band, so the store finds them as candidates.
    assert set(enumerate(bands(a))) & set(enumerate(bands(b)))


def test_signature_ignores_case_and_punctuation_and_needs_words() -> None:
    assert signature(WIRE) == signature(WIRE.upper().replace(",", " ").replace(".", " ; "))
    assert signature("") is None and signature(" -- !! ") is None
    assert signature("Short.") is not None


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400), st.text(min_size=1, max_size=400))
def test_similarity_is_symmetric_and_a_fraction(x: str, y: str) -> None:
    sx, sy = signature(x), signature(y)
    if sx is None or sy is None:
        return
    s = similarity(pack(sx), pack(sy))
    assert 0.0 <= s <= 1.0 and s == similarity(pack(sy), pack(sx))
    assert similarity(pack(sx), pack(sx)) == 1.0


def _article(text: str, outlet: str, published: str) -> Article:
    return Article(id=article_id(text), source=f"{outlet}.txt", url=None, title=text.split("\n")[0][:60],
                   outlet=outlet, authors=(), published=published, language="en", text=text)


def test_store_finds_the_same_story_in_other_outlets(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        wire, rewrite, other = (_article(WIRE, "Baltic Wire", "2026-03-03"),
                                _article(REWRITE, "Harbour Times", "2026-03-03T18:00:00Z"),
                                _article(UNRELATED, "Mountain Post", "2026-03-03"))
        for a in (wire, rewrite, other):
            store.add_article(a)
        same = store.same_story(wire.id)
        assert [(r.id, r.outlet) for r in same] == [(rewrite.id, "Harbour Times")]
        assert same[0].similarity >= THRESHOLD
        assert [r.id for r in store.same_story(rewrite.id)] == [wire.id]
        assert store.same_story(other.id) == []
        assert store.same_story("0" * 16) == []


def test_articles_stored_before_schema_7_are_signed_by_the_migration(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with open_store(db) as store:
        wire, rewrite = _article(WIRE, "Baltic Wire", "2026-03-03"), _article(REWRITE, "Harbour Times", "2026-03-04")
        store.add_article(wire)
        store.add_article(rewrite)
        conn = store._conn
        undo_schema_8(conn)
        conn.execute("DROP TABLE story_bands")
        conn.execute("DROP TABLE story_signatures")
        conn.execute("DELETE FROM schema_migrations WHERE version = 7")
        conn.execute("PRAGMA user_version = 6")
    with open_store(db) as store:
        assert store.schema_version == migrations()[-1][0]
        assert [r.id for r in store.same_story(wire.id)] == [rewrite.id]


def test_signatures_are_stable_across_versions() -> None:
    """Signatures are stored: a change to hashing or permutations would silently stop old and new
    articles from matching. Changing them needs a migration that re-signs the store."""
    assert signature("Ministers agreed on Monday to pool money for a rail link.")[:4] == (
        141491022, 11878519, 140097569, 637962334)


def _unblocked_signature(text: str) -> tuple[int, ...]:
    """The signature as it was computed before blocks: every shingle hashed from the whole word list,
    the whole shingles x 64 matrix permuted at once."""
    words = re.findall(r"\w+", text.lower())
    w = np.array([zlib.crc32(x.encode()) for x in words], dtype=np.uint64)
    k = min(stories.SHINGLE, len(w))
    acc = w[: len(w) - k + 1].copy()
    for j in range(1, k):
        acc = (acc * np.uint64(0x01000193) + w[j: len(w) - k + 1 + j]) & np.uint64(0xFFFFFFFF)
    h = stories._fmix32(acc)
    permuted = (h[:, None] * stories._A[None, :] + stories._B[None, :]) & np.uint64(0xFFFFFFFF)
    return tuple(int(v) for v in permuted.min(axis=0))


def test_long_text_signature_in_blocks_equals_the_whole_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of shingles and chunks of words give the one-matrix values bit for bit: on a text of
    ~3.5 real blocks and two word-search chunks, and with tiny blocks and chunks, where every
    shingle and every cut matters (one shingle lost per block, or a word cut in two, changes them)."""
    words = (WIRE + " " + UNRELATED + " Ärzte İstanbul straße 東京 ǅemal").split()
    n = 3 * stories.BLOCK + stories.BLOCK // 2 + stories.SHINGLE
    text = " ".join(f"{words[i % len(words)]}{i % 977}" for i in range(n))
    assert len(text) > stories._CHUNK and n - stories.SHINGLE + 1 > 3 * stories.BLOCK
    assert signature(text) == _unblocked_signature(text)
    for cut in (stories.BLOCK + stories.SHINGLE - 1, stories.BLOCK + stories.SHINGLE, 2 * stories.BLOCK):
        part = " ".join(text.split()[:cut])
        assert signature(part) == _unblocked_signature(part), cut
    small = " ".join(f"{words[i % len(words)]}{i}" for i in range(60))
    reference = _unblocked_signature(small)
    monkeypatch.setattr(stories, "BLOCK", 7)
    monkeypatch.setattr(stories, "_CHUNK", 10)
    assert signature(small) == reference
    for t in (WIRE, "Short.", "Zwei Wörter", "İstanbul İzmir ǅemal"):
        assert signature(t) == _unblocked_signature(t), t


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from("grain port talks minister said monday deal rail ship cable".split()),
                min_size=6, max_size=120),
       st.lists(st.sampled_from("grain port talks minister said monday deal rail ship cable".split()),
                min_size=6, max_size=120))
def test_estimate_follows_the_exact_jaccard(x: list[str], y: list[str]) -> None:
    """64 permutations: the estimate is within 0.3 of the exact 5-gram Jaccard (about 5 standard deviations)."""
    a, b = " ".join(x), " ".join(y)
    assert abs(similarity(pack(signature(a)), pack(signature(b))) - _jaccard(a, b)) <= 0.3
