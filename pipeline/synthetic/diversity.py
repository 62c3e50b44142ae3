"""Diversity measures for generated text: distinct-n ratios and a near-duplicate rate.

The near-duplicate estimator is self-contained (it does not use :mod:`pipeline.dedup`):
word 5-gram shingles, MinHash signatures (multiply-shift hashing, numpy) banded for LSH to
find candidate pairs, then the exact Jaccard similarity of the two shingle sets decides.
With 20 bands of 6 rows a pair at Jaccard 0.8 becomes a candidate with probability 0.998.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def distinct_n(docs: Iterable[Sequence[str]], n: int) -> float:
    """Distinct n-grams / all n-grams over a corpus of tokenised documents."""
    seen: set[tuple[str, ...]] = set()
    total = 0
    for toks in docs:
        for i in range(len(toks) - n + 1):
            seen.add(tuple(toks[i : i + n]))
            total += 1
    return len(seen) / total if total else 0.0


def shingles(toks: Sequence[str], k: int = 5) -> set[str]:
    if len(toks) < k:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass
class NearDupReport:
    docs: int
    candidates: int
    pairs: int  # verified pairs with Jaccard >= threshold
    docs_with_duplicate: int

    @property
    def rate(self) -> float:
        return self.docs_with_duplicate / self.docs if self.docs else 0.0


def _hash64(items: Iterable[str]) -> np.ndarray:
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
            for s in items
        ),
        dtype=np.uint64,
    )


def near_duplicates(
    texts: Sequence[str],
    threshold: float = 0.8,
    k: int = 5,
    bands: int = 20,
    rows: int = 6,
    seed: int = 1,
) -> NearDupReport:
    """How many documents have at least one other document with shingle Jaccard >=
    ``threshold`` (MinHash/LSH candidates, exact verification)."""
    rng = np.random.default_rng(seed)
    perms = bands * rows
    a = rng.integers(1, 2**63, size=perms, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=perms, dtype=np.uint64)
    sets = [shingles(words(t), k) for t in texts]
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, sh in enumerate(sets):
        if not sh:
            continue
        x = _hash64(sh)
        with np.errstate(over="ignore"):
            sig = ((a[:, None] * x[None, :] + b[:, None]) >> np.uint64(32)).min(axis=1)
        for band in range(bands):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(i)
    cand: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > 1:
            for x_i in range(len(members)):
                for y_i in range(x_i + 1, len(members)):
                    cand.add((members[x_i], members[y_i]))
    dup_docs: set[int] = set()
    pairs = 0
    for i, j in cand:
        if jaccard(sets[i], sets[j]) >= threshold:
            pairs += 1
            dup_docs.update((i, j))
    return NearDupReport(len(texts), len(cand), pairs, len(dup_docs))
