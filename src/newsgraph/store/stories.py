"""Story matching over a backend: which stored articles carry (nearly) the same text.

The algorithm is ``newsgraph.stories`` (MinHash of word 5-grams, 21 LSH bands); this module
is what the store does with it: every new article's signature and band keys are stored
with it (``sign`` outside the write lock, ``store_signature`` inside the transaction), and
``same_story`` reads one article's signature, the articles sharing a band with it, their
signatures, and keeps those whose estimated Jaccard reaches ``stories.THRESHOLD``, most
similar first. A backend only stores and looks up signatures and band keys.
"""

from __future__ import annotations

from newsgraph.store.backend import Reader, Writer
from newsgraph.store.rows import StoryRow


def sign(text: str) -> tuple[int, ...] | None:
    """The text's signature (~1 ms of hashing: done before the write lock is taken); None when too short."""
    from newsgraph.stories import signature

    return signature(text)


def store_signature(w: Writer, seq: int, sig: tuple[int, ...] | None) -> None:
    from newsgraph.stories import bands, pack

    if sig is not None:
        w.insert_signature(seq, pack(sig), bands(sig))


def same_story(r: Reader, article_id: str, limit: int) -> list[StoryRow]:
    """Other stored articles with (nearly) the same text, most similar first, then oldest, then by id."""
    from newsgraph.stories import THRESHOLD, bands, similarities, unpack

    found = r.story_signature(article_id)
    if found is None:
        return []
    seq, sig = found
    candidates = r.band_matches(bands([int(v) for v in unpack(sig)]))
    candidates.discard(seq)
    if not candidates:
        return []
    cand = r.signatures(candidates)
    sims = similarities(sig, [c[1] for c in cand])
    keep = {c[0]: float(x) for c, x in zip(cand, sims, strict=True) if x >= THRESHOLD}
    if not keep:
        return []
    rows = [StoryRow(aid, title, outlet, published, keep[cseq])
            for cseq, aid, title, outlet, published in r.article_heads(keep)]
    rows.sort(key=lambda row: (-row.similarity, row.published or "", row.id))
    return rows[:max(0, int(limit))]
