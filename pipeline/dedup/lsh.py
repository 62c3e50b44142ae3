"""LSH banding: band parameters from a Jaccard threshold, band bucket keys, partitions, and
candidate pairs from bucket rows (the work of one ``dedup_pairs`` shard).

A bucket row is ``(key, kind, ref, ehash)``: ``kind`` is the band index (``0..bands-1``) or
:data:`EXACT` for the record's exact-hash row (``key`` = exact hash); ``ref`` identifies the
record (input shard index << 32 | row); ``ehash`` is its exact hash. Records that share a
bucket (same ``key`` and ``kind``) are candidates.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from pipeline.dedup.minhash import U32, U64, mix64, seeded_u64

EXACT = 255
MAX_BANDS = 254
# a bucket with at most this many distinct texts gives all its pairs; a bigger one (a huge
# cluster or a degenerate band) links each text to its next WINDOW neighbours in ehash
# order, so the pair count stays linear in the bucket size
ALL_PAIRS_MAX = 64
WINDOW = 8


def _collision(s: npt.NDArray[np.float64], bands: int, rows: int) -> npt.NDArray[np.float64]:
    return np.asarray(1.0 - (1.0 - s**rows) ** bands, dtype=np.float64)


@lru_cache(maxsize=64)
def lsh_params(
    threshold: float, num_perm: int, fp_weight: float = 0.1, fn_weight: float = 0.9
) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` minimising the weighted area of
    false positives (pairs below ``threshold`` that collide) plus false negatives (pairs
    above it that never collide) over similarities uniform in [0, 1].

    The weights favour recall: every candidate is verified by its signatures afterwards, so
    a false positive costs one comparison while a false negative is a missed duplicate.
    At threshold 0.8 and 128 values this gives 14 bands of 9 rows: a pair collides with
    probability 0.87 at Jaccard 0.8, 0.975 at 0.85, 0.999 at 0.9 and 0.03 at 0.5."""
    best: tuple[float, int, int] | None = None
    lo = np.linspace(0.0, threshold, 201)
    hi = np.linspace(threshold, 1.0, 201)
    for bands in range(1, min(num_perm, MAX_BANDS) + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = float(np.trapezoid(_collision(lo, bands, rows), lo))
            fn = float(np.trapezoid(1.0 - _collision(hi, bands, rows), hi))
            err = fp_weight * fp + fn_weight * fn
            if best is None or err < best[0] - 1e-12:
                best = (err, bands, rows)
    assert best is not None
    return best[1], best[2]


def band_keys(sig: U32, bands: int, rows: int, seed: str) -> U64:
    """``(n, bands)`` 64-bit bucket keys: band ``j`` hashes signature values
    ``j*rows .. (j+1)*rows - 1`` together with a per-band salt."""
    n = sig.shape[0]
    if bands * rows > sig.shape[1]:
        raise ValueError(f"bands*rows = {bands * rows} > num_perm = {sig.shape[1]}")
    v = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    salt = seeded_u64(seed, "band", bands)
    h = np.broadcast_to(salt, (n, bands)).copy()
    mult = np.uint64(0x9E3779B97F4A7C15)
    for t in range(rows):
        h = mix64((h ^ v[:, :, t]) * mult)
    return h


def partition_of(keys: U64, partitions: int) -> npt.NDArray[np.int64]:
    """The partition (``0..partitions-1``) of each key, from its high 32 bits."""
    return ((keys >> np.uint64(32)) * np.uint64(partitions) >> np.uint64(32)).astype(np.int64)


def _group_bounds(*cols: npt.NDArray[np.generic]) -> tuple[npt.NDArray[np.intp], ...]:
    """For rows already sorted by ``cols``: (start index, size) of every run of equal rows."""
    n = len(cols[0])
    new = np.ones(n, dtype=bool)
    if n:
        same = np.ones(n - 1, dtype=bool)
        for c in cols:
            same &= c[1:] == c[:-1]
        new[1:] = ~same
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    return starts, sizes


def _canonical_unique(a: U64, b: U64) -> tuple[U64, U64]:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    if len(lo) > 1:
        first = np.ones(len(lo), dtype=bool)
        first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        lo, hi = lo[first], hi[first]
    return lo, hi


def exact_pairs(key: U64, ref: U64) -> tuple[U64, U64]:
    """Rows of equal exact hash, each linked to the smallest ref of its hash (a star)."""
    order = np.lexsort((ref, key))
    k, r = key[order], ref[order]
    starts, sizes = _group_bounds(k)
    head = np.repeat(r[starts], sizes)
    mask = r != head
    return _canonical_unique(head[mask], r[mask])


def near_candidates(
    key: U64, kind: npt.NDArray[np.uint8], ref: U64, ehash: U64, collapse: bool
) -> tuple[U64, U64]:
    """Candidate pairs of records sharing a band bucket.

    With ``collapse`` (exact duplicates are linked anyway), a bucket keeps one row per
    exact hash, so 1,000 copies of a text cost nothing here. Members are ordered by exact
    hash, which makes the pairs independent of how the input was sharded.
    """
    order = np.lexsort((ref, ehash, kind, key))
    key, kind, ref, ehash = key[order], kind[order], ref[order], ehash[order]
    if collapse and len(key) > 1:
        first = np.ones(len(key), dtype=bool)
        first[1:] = (key[1:] != key[:-1]) | (kind[1:] != kind[:-1]) | (ehash[1:] != ehash[:-1])
        key, kind, ref = key[first], kind[first], ref[first]
    starts, sizes = _group_bounds(key, kind)
    out_a: list[U64] = []
    out_b: list[U64] = []
    for m in np.unique(sizes[sizes >= 2]).tolist():
        g = starts[sizes == m]
        if m <= ALL_PAIRS_MAX:
            i, j = np.triu_indices(m, k=1)
            out_a.append(ref[(g[:, None] + i[None, :]).ravel()])
            out_b.append(ref[(g[:, None] + j[None, :]).ravel()])
        else:
            for d in range(1, WINDOW + 1):
                idx = (g[:, None] + np.arange(m - d)[None, :]).ravel()
                out_a.append(ref[idx])
                out_b.append(ref[idx + d])
    if not out_a:
        empty = np.empty(0, dtype=np.uint64)
        return empty, empty.copy()
    return _canonical_unique(np.concatenate(out_a), np.concatenate(out_b))
