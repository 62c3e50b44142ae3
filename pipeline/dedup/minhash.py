"""MinHash signatures of word n-gram shingles, vectorised with numpy over a batch of texts.

Shingles are the ``ngram`` consecutive words of a text's normal form (a text with fewer
words is one shingle). Each shingle is hashed straight from the bytes of the batch: a
polynomial hash mod 2^64 of the shingle's byte span, computed for every shingle at once
from prefix sums, then finalised with splitmix64. Signature value ``j`` of a text is the
minimum over its shingles ``x`` of ``(a_j * x + b_j) mod 2^64``, keeping the high 32 bits
(multiply-add-shift hashing; ``a_j`` odd). The fraction of equal values in two signatures
estimates the Jaccard similarity of their shingle sets.

All constants derive from ``seed`` through sha256, so signatures are identical on every
machine, process and numpy version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

_M = np.uint64(0x100000001B3)  # odd polynomial base (FNV prime), invertible mod 2^64
_M_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_LEN_MIX = np.uint64(0x9E3779B97F4A7C15)
# shingle rows per block of the (shingles x num_perm) work matrix: ~4 MB at 128 perms
BLOCK_SHINGLES = 4096
# characters of text hashed at once (the byte-level arrays are ~50 bytes per character)
BATCH_CHARS = 1 << 20


def mix64(z: U64) -> U64:
    """splitmix64 finaliser, elementwise (wrapping uint64 arithmetic)."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def seeded_u64(seed: str, label: str, n: int) -> U64:
    """``n`` reproducible 64-bit constants for ``(seed, label)``."""
    out = np.empty(n, dtype=np.uint64)
    for i in range(n):
        d = hashlib.sha256(f"{seed}\0{label}\0{i}".encode()).digest()
        out[i] = int.from_bytes(d[:8], "little")
    return out


_POWERS: dict[int, U64] = {}


def _powers(base: np.uint64, n: int) -> U64:
    """``base**0 .. base**(n-1)`` mod 2^64 (cached per process, grown on demand)."""
    have = _POWERS.get(int(base))
    if have is None or len(have) < n:
        p = np.full(max(n, 1 << 16), base, dtype=np.uint64)
        p[0] = 1
        have = _POWERS[int(base)] = np.cumprod(p, dtype=np.uint64)
    return have[:n]


def shingle_hashes(texts: Sequence[str], ngram: int) -> tuple[U64, npt.NDArray[np.int64]]:
    """64-bit hashes of every shingle of every (non-empty, normalised) text.

    Returns ``(hashes, counts)``: the hashes of text ``i`` are the next ``counts[i]``
    entries (every text has at least one shingle). Texts must be in normal form: words
    separated by single spaces, no newlines, not empty.
    """
    n = len(texts)
    if n == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    buf = "\n".join(texts).encode("utf-8", "surrogatepass")
    b = np.frombuffer(buf, dtype=np.uint8)
    length = len(b)
    sep = (b == 32) | (b == 10)
    word = ~sep
    # word starts / ends (end exclusive) in byte offsets
    starts = np.flatnonzero(word & np.concatenate(([True], sep[:-1])))
    ends = np.flatnonzero(word & np.concatenate((sep[1:], [True]))) + 1
    doc_of_word = np.cumsum(b == 10)[starts]  # newlines before the word = its text index
    words_per_doc = np.bincount(doc_of_word, minlength=n)
    if (words_per_doc == 0).any():
        raise ValueError("shingle_hashes needs non-empty normalised texts")
    first_word = np.concatenate(([0], np.cumsum(words_per_doc)[:-1]))
    last_word = first_word + words_per_doc - 1
    counts = np.maximum(words_per_doc - (ngram - 1), 1).astype(np.int64)
    total = int(counts.sum())
    sh_doc = np.repeat(np.arange(n), counts)
    offset = np.concatenate(([0], np.cumsum(counts)[:-1]))
    j = np.arange(total) - offset[sh_doc]
    w0 = first_word[sh_doc] + j
    w1 = np.minimum(w0 + (ngram - 1), last_word[sh_doc])
    s, e = starts[w0], ends[w1]
    # polynomial prefix sums: P[k] = sum_{i<k} b[i] * M^i; span hash = (P[e]-P[s]) * M^-s
    pw = _powers(_M, length)
    prefix = np.zeros(length + 1, dtype=np.uint64)
    np.cumsum(b.astype(np.uint64) * pw, dtype=np.uint64, out=prefix[1:])
    inv = _powers(_M_INV, length)
    h = (prefix[e] - prefix[s]) * inv[s]
    h = mix64(h ^ ((e - s).astype(np.uint64) * _LEN_MIX))
    return h, counts


class MinHasher:
    """MinHash signatures with ``num_perm`` values per text (see the module docstring)."""

    def __init__(self, num_perm: int = 128, ngram: int = 5, seed: str = "uadp-dedup-v1") -> None:
        if num_perm < 1 or ngram < 1:
            raise ValueError("num_perm and ngram must be >= 1")
        self.num_perm = num_perm
        self.ngram = ngram
        self.a = seeded_u64(seed, "minhash-a", num_perm) | np.uint64(1)
        self.b = seeded_u64(seed, "minhash-b", num_perm)

    def signatures(self, texts: Sequence[str]) -> U32:
        """``(len(texts), num_perm)`` uint32 signatures of normalised, non-empty texts.

        Work memory is bounded whatever the texts: they are hashed in groups of at most
        :data:`BATCH_CHARS` characters (one longer text alone), and the shingle x value
        matrix is built :data:`BLOCK_SHINGLES` rows at a time with a running minimum.
        """
        n = len(texts)
        out = np.empty((n, self.num_perm), dtype=np.uint32)
        start = 0
        while start < n:
            stop, size = start, 0
            while stop < n and (stop == start or size + len(texts[stop]) <= BATCH_CHARS):
                size += len(texts[stop]) + 1
                stop += 1
            out[start:stop] = self._signatures(texts[start:stop])
            start = stop
        return out

    def _signatures(self, texts: Sequence[str]) -> U32:
        hashes, counts = shingle_hashes(texts, self.ngram)
        n = len(texts)
        ends = np.cumsum(counts)
        starts = ends - counts
        total = int(ends[-1]) if n else 0
        mins = np.full((n, self.num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
        work = np.empty((min(BLOCK_SHINGLES, total), self.num_perm), dtype=np.uint64)
        for b0 in range(0, total, BLOCK_SHINGLES):
            b1 = min(b0 + BLOCK_SHINGLES, total)
            buf = work[: b1 - b0]
            np.multiply(hashes[b0:b1, None], self.a[None, :], out=buf)
            buf += self.b[None, :]
            # the texts with shingles in this block, and where each one's shingles begin
            d0 = int(np.searchsorted(ends, b0, side="right"))
            d1 = int(np.searchsorted(ends, b1 - 1, side="right")) + 1
            seg = (np.maximum(starts[d0:d1], b0) - b0).astype(np.intp)
            part = np.minimum.reduceat(buf, seg, axis=0)
            np.minimum(mins[d0:d1], part, out=mins[d0:d1])
        return (mins >> np.uint64(32)).astype(np.uint32)


def estimated_jaccard(sig_a: U32, sig_b: U32) -> npt.NDArray[np.float64]:
    """Row-wise fraction of equal signature values (the MinHash Jaccard estimate)."""
    return np.asarray((sig_a == sig_b).mean(axis=-1), dtype=np.float64)
