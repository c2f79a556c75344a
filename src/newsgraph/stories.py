"""Story signatures: which stored articles carry the same text (a wire story run by several outlets).

An agency story reaches readers through many outlets, each trimming, retitling or
adding a paragraph; the texts differ, so the article ids (hashes of the text)
differ too. Two articles are *the same story* when their word 5-gram sets are
similar (Jaccard ≥ ``THRESHOLD``).

* ``signature(text)``: a MinHash of the text's word 5-grams (lower-cased,
  punctuation dropped), as 64 unsigned 32-bit integers: each shingle is hashed
  (its words' CRC32s combined polynomially, then the MurmurHash3 32-bit
  finalizer to spread the bits; all in numpy, ~0.15 ms for 500 words) and put
  through 64 fixed permutations ``a*h + b mod 2**32`` (``a`` odd, so each is a
  bijection; ``a`` and ``b`` derived from SHA-256, so signatures stored today
  compare with those computed by any later version); the signature keeps each
  permutation's minimum. This is datasketch's "affine32" scheme, written out
  here because importing datasketch pulls in SciPy and adds ~0.45 s to every
  ingest that stores an article. Shingles go through the permutations
  ``BLOCK`` at a time, keeping the running minimum: beyond one 32-bit hash
  per word, memory stays ~2 MB whatever the text's length (the whole
  shingles x 64 matrix of 64-bit values would be 1.1 GB for a 5 MB text,
  ~6 GB for one at the 50 MB input limit), and the values are the same.
* ``bands(sig)``: locality-sensitive hashing, 21 bands of 3 values each (63 of
  the 64); two articles sharing any band are candidates. The chance of
  becoming a candidate is 1 - (1 - J³)²¹: 0.02 at Jaccard 0.1, 0.43 at 0.3,
  0.94 at 0.5 (the threshold), 0.99 at 0.6 and > 0.999 from 0.7 up, where
  re-runs of one wire story usually are. Candidates are kept only if their
  estimated Jaccard (the share of equal values, ±0.06 at 0.5) reaches the
  threshold. (32 bands of 2 made ~1,400 candidates per article on the 100k
  synthetic store, whose template sentences give unrelated articles J ~0.03-0.1.)

The store keeps both per article (schema 7), so "the same story elsewhere" is
a few indexed lookups, whatever the store's size.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Iterator, Sequence

import numpy as np

NUM_PERM = 64
BANDS = 21
ROWS = 3
SHINGLE = 5
SEED = 20261129
#: Shingles permuted per step of ``signature`` (a 4,096 x 64 matrix of uint64: 2 MB).
BLOCK = 4096
#: Estimated Jaccard of word 5-grams from which two articles are the same story.
THRESHOLD = 0.5

_WORD = re.compile(r"\w+", re.UNICODE)
_NON_WORD = re.compile(r"\W", re.UNICODE)
_CHUNK = 1 << 16  # characters searched for words at a time
_PACK = struct.Struct(f"<{NUM_PERM}I")
_MASK = np.uint64(0xFFFFFFFF)
_P = np.uint64(0x01000193)  # FNV-1a's 32-bit prime, to combine a shingle's word hashes


def _params() -> tuple[np.ndarray, np.ndarray]:
    words = [int.from_bytes(hashlib.sha256(f"newsgraph-minhash-{SEED}-{i}".encode()).digest()[:8], "little")
             for i in range(NUM_PERM)]
    a = np.array([(w & 0xFFFFFFFF) | 1 for w in words], dtype=np.uint64)
    b = np.array([w >> 32 for w in words], dtype=np.uint64)
    return a, b


_A, _B = _params()


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (on uint64 holding 32-bit values)."""
    h = h ^ (h >> np.uint64(16))
    h = (h * np.uint64(0x85EBCA6B)) & _MASK
    h = h ^ (h >> np.uint64(13))
    h = (h * np.uint64(0xC2B2AE35)) & _MASK
    return h ^ (h >> np.uint64(16))


def _words(low: str) -> Iterator[str]:
    """The words of ``low``, found ``_CHUNK`` characters at a time (cut where no word is), so that a
    long text's words are never all held in one list."""
    start, n = 0, len(low)
    while start < n:
        cut = _NON_WORD.search(low, start + _CHUNK) if start + _CHUNK < n else None
        end = cut.start() if cut else n
        yield from _WORD.findall(low, start, end)
        start = end


def _word_hashes(text: str) -> np.ndarray:
    """CRC32 of each lower-cased word, as uint32 (4 bytes a word)."""
    return np.fromiter(map(zlib.crc32, map(str.encode, _words(text.lower()))), dtype=np.uint32)


def _shingles(w: np.ndarray, lo: int, hi: int, k: int) -> np.ndarray:
    """Hashes of shingles ``lo`` to ``hi - 1`` (shingle ``i`` = words ``i`` to ``i + k - 1``)."""
    acc = w[lo:hi].astype(np.uint64)
    for j in range(1, k):
        acc *= _P
        acc += w[lo + j: hi + j]
        acc &= _MASK
    return _fmix32(acc)


def shingle_hashes(text: str) -> np.ndarray:
    """One 32-bit hash per word ``SHINGLE``-gram (lower-cased words; a text of fewer words is one
    shingle): the n-gram's word hashes combined polynomially, then MurmurHash3-finalized."""
    w = _word_hashes(text)
    if len(w) == 0:
        return w.astype(np.uint64)
    k = min(SHINGLE, len(w))
    return _shingles(w, 0, len(w) - k + 1, k)


def signature(text: str) -> tuple[int, ...] | None:
    """The MinHash of the text's shingles; None when the text has no words.

    Shingles are permuted ``BLOCK`` at a time into one reused buffer, keeping each
    permutation's running minimum (the same values as permuting them all at once).
    """
    w = _word_hashes(text)
    if len(w) == 0:
        return None
    k = min(SHINGLE, len(w))
    count = len(w) - k + 1
    mins = np.full(NUM_PERM, _MASK, dtype=np.uint64)  # every permuted value is <= 2**32 - 1
    buf = np.empty((min(BLOCK, count), NUM_PERM), dtype=np.uint64)
    for lo in range(0, count, BLOCK):
        h = _shingles(w, lo, min(count, lo + BLOCK), k)
        permuted = buf[: len(h)]
        np.multiply(h[:, None], _A[None, :], out=permuted)
        permuted += _B[None, :]
        permuted &= _MASK
        np.minimum(mins, permuted.min(axis=0), out=mins)
    return tuple(int(v) for v in mins)


def pack(sig: Sequence[int]) -> bytes:
    return _PACK.pack(*sig)


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def bands(sig: Sequence[int]) -> list[int]:
    """One 32-bit key per band (CRC32 of the band's values; the band number is stored beside it)."""
    return [zlib.crc32(_PACK_ROWS.pack(*sig[b * ROWS:(b + 1) * ROWS])) for b in range(BANDS)]


_PACK_ROWS = struct.Struct(f"<{ROWS}I")


def similarities(sig: bytes, others: Sequence[bytes]) -> np.ndarray:
    """``similarity(sig, o)`` for each of ``others``, in one array operation."""
    if not others:
        return np.zeros(0)
    m = np.frombuffer(b"".join(others), dtype="<u4").reshape(len(others), NUM_PERM)
    return np.count_nonzero(m == unpack(sig), axis=1) / NUM_PERM


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard of two packed signatures: the share of equal values."""
    return float(similarities(a, [b])[0])
