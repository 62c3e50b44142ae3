"""From duplicate links to decisions: who survives, why the others go, and split clusters.

Input: the records that have at least one duplicate link (exact, or near and verified),
with their id, content hash, group and exact hash, and the links between them.

* Duplicate clusters are the connected components of the links. Each keeps exactly one
  record: the smallest ``(id, content_hash)``. Every other member is removed as
  ``exact_duplicate`` when a record with the same normal form has a smaller key, else as
  ``near_duplicate``.
* Split clusters (the ``cluster`` column) are the connected components of records linked
  by a duplicate link *or* a shared non-null ``group``; removed records still link. A
  component's id is ``g:<smallest group in it>``, or ``r:<smallest id>`` when no member
  has a group. Records without links keep ``g:<group>`` or ``r:<id>``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

EXACT_REASON = "exact_duplicate"
NEAR_REASON = "near_duplicate"


def default_cluster(rec_id: str, group: str | None) -> str:
    """The split cluster of a record without duplicate links."""
    return f"g:{group}" if group else f"r:{rec_id}"


class UnionFind:
    """Union-find over ``0..n-1`` (path halving, union by smaller root index)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def labels(self) -> npt.NDArray[np.int64]:
        return np.fromiter((self.find(i) for i in range(len(self.parent))), np.int64)


@dataclass
class Decisions:
    """What happens to every linked record (index-aligned with the input)."""

    drop: list[str | None]
    cluster: list[str]
    group_cluster: dict[str, str]  # group -> cluster id, only where it is not g:<group>
    dup_cluster_sizes: Counter[int] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    linked_components: int = 0


def decide(
    ids: Sequence[str],
    chashes: Sequence[str],
    groups: Sequence[str | None],
    ehashes: npt.NDArray[np.uint64],
    edge_a: npt.NDArray[np.int64],
    edge_b: npt.NDArray[np.int64],
    exact_reason: bool = True,
) -> Decisions:
    """Decisions for ``n`` linked records given links ``edge_a[i] -- edge_b[i]`` (indices)."""
    n = len(ids)
    # rank by (id, content_hash): the smallest rank of a duplicate cluster survives
    order = sorted(range(n), key=lambda i: (ids[i], chashes[i]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    uf = UnionFind(n)
    for a, b in zip(edge_a.tolist(), edge_b.tolist(), strict=True):
        uf.union(a, b)
    comp = uf.labels()
    best = np.full(n, n, dtype=np.int64)
    np.minimum.at(best, comp, rank)
    keep = rank == best[comp]
    sizes = np.bincount(comp, minlength=n)
    dup_sizes = Counter(sizes[sizes > 0].tolist())
    # exact reason: a record with the same normal form ranks before this one
    if exact_reason and n:
        _, einv = np.unique(ehashes, return_inverse=True)
        ebest = np.full(n, n, dtype=np.int64)
        np.minimum.at(ebest, einv, rank)
        is_exact = rank != ebest[einv]
    else:
        is_exact = np.zeros(n, dtype=bool)
    drop: list[str | None] = [
        None if k else (EXACT_REASON if e else NEAR_REASON)
        for k, e in zip(keep.tolist(), is_exact.tolist(), strict=True)
    ]
    removed = Counter(d for d in drop if d is not None)
    # split clusters: duplicate components joined through shared groups
    gnames = sorted({g for g in groups if g})
    gindex = {g: n + i for i, g in enumerate(gnames)}
    uf2 = UnionFind(n + len(gnames))
    uf2.parent[:n] = comp.tolist()  # already flat: every record points at its root
    for i, g in enumerate(groups):
        if g:
            uf2.union(i, gindex[g])
    roots = [uf2.find(i) for i in range(n + len(gnames))]
    min_group: dict[int, str] = {}
    for g in gnames:  # sorted, so the first seen per root is the smallest
        min_group.setdefault(roots[gindex[g]], g)
    min_id: dict[int, str] = {}
    for i in order:  # by rank, so the first seen per root is the smallest key
        min_id.setdefault(roots[i], ids[i])

    def key(root: int) -> str:
        g = min_group.get(root)
        return f"g:{g}" if g is not None else f"r:{min_id[root]}"

    cluster = [key(roots[i]) for i in range(n)]
    group_cluster = {}
    for g in gnames:
        k = key(roots[gindex[g]])
        if k != f"g:{g}":
            group_cluster[g] = k
    return Decisions(
        drop=drop,
        cluster=cluster,
        group_cluster=group_cluster,
        dup_cluster_sizes=dup_sizes,
        removed=removed,
        linked_components=len(set(roots[:n])),
    )
