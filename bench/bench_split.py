"""Split quality and plan-time cost.

1. Ratios: for N groups of varying sizes, how far from 70/15/15 are the record shares (and the
   crisis-record shares) with ``method = "hash"`` (a pure function) and ``"balanced"``, over
   many independent datasets (seeds)? And how many groups does balancing move off their hash
   split?
2. Plan time: ``build_assignment`` on a local store holding R records in S shards.

Usage: ``uv run python bench/bench_split.py [--seeds 200] [--records 1000000 --shards 64]``
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import SplitSection, from_dict
from pipeline.records import PARQUET_OPTIONS, SCHEMA
from pipeline.runs import Run, Shard
from pipeline.stages.split import balance, build_assignment, position
from pipeline.store import LocalStore

TARGET = np.array([0.70, 0.15, 0.15])


def sizes_for(kind: str, n: int, rng: random.Random) -> npt.NDArray[np.float64]:
    if kind == "moderate":  # mostly short threads, some documents of up to 60 chunks
        return np.array([min(60, 1 + int(rng.expovariate(1 / 5))) for _ in range(n)], float)
    # heavy tail: Pareto(1.2) capped at 200 records per group
    return np.array([min(200, max(1, int(rng.paretovariate(1.2)))) for _ in range(n)], float)


def ratios(n: int, kind: str, seeds: int) -> dict[str, Any]:
    cfg = SplitSection()
    dev: dict[str, list[float]] = {"hash": [], "hash_crisis": [], "bal": [], "bal_crisis": []}
    moved: list[float] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        sizes = sizes_for(kind, n, rng)
        crisis_g = np.array([rng.random() < 0.10 for _ in range(n)])
        crisis = np.where(crisis_g, [rng.randint(1, int(s)) for s in sizes], 0).astype(float)
        u = np.array([position(f"{kind}-{seed}-{i}", cfg.seed) for i in range(n)])
        by_hash = np.where(u < 0.70, 0, np.where(u < 0.85, 1, 2))
        split, _ = balance(u, sizes, sizes, crisis, crisis, crisis_g, np.full(n, -1, np.int8), cfg)
        for name, assign in (("hash", by_hash), ("bal", split)):
            for suffix, w in (("", sizes), ("_crisis", crisis)):
                c = np.array([w[assign == s].sum() for s in range(3)])
                dev[name + suffix].append(float(np.abs(c / c.sum() - TARGET).max() * 100))
        moved.append(float((split != by_hash).mean() * 100))
    out: dict[str, Any] = {}
    for k, v in dev.items():
        a = np.array(v)
        out[k] = (float(np.percentile(a, 95)), float(a.max()), float((a <= 0.5).mean() * 100))
    out["moved"] = (float(np.mean(moved)), float(np.max(moved)))
    return out


def plan_time(records: int, shards: int, group_size: float) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-split-"))
    try:
        store = LocalStore(tmp / "store")
        cfg = from_dict({"source": {"paths": ["unused"]}, "run": {"dataset": "bench"}})
        run = Run.create(store, cfg, "bench")
        plan = [Shard(f"s{i:04d}", {}) for i in range(shards)]
        run.fix_plan("annotate", plan)
        rng = np.random.default_rng(0)
        per = records // shards
        n_groups = int(records / group_size)
        t0 = time.perf_counter()
        for i, shard in enumerate(plan):
            ids = [f"r{i}-{j}" for j in range(per)]
            groups = [f"g{x}" for x in rng.integers(0, n_groups, per)]
            crisis = rng.random(per) < 0.1
            cols: dict[str, Any] = {f.name: pa.nulls(per, f.type) for f in SCHEMA}
            cols.update(
                id=pa.array(ids), text=pa.array(["x"] * per), source=pa.array(["b"] * per),
                content_hash=pa.array(["h"] * per), group=pa.array(groups),
                crisis=pa.array(crisis), flags=pa.array([[] for _ in range(per)],
                                                        pa.list_(pa.string())),
            )  # fmt: skip
            path = tmp / f"{shard.id}.parquet"
            pq.write_table(pa.table(cols, schema=SCHEMA), str(path), **PARQUET_OPTIONS)
            store.put_file(run.key("annotate", "out", shard.id, "records.parquet"), path)
        made = time.perf_counter() - t0
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        digest = build_assignment(run, "annotate", plan)
        took = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        summary = store.get_json(run.key("split", "assign", digest, "summary.json"))
        rows = {k: v["rows"] for k, v in summary["planned"].items()}
        print(
            f"plan time: {per * shards:,} records, {summary['groups']:,} groups, {shards} shards "
            f"(input written in {made:.1f} s): build_assignment {took:.1f} s "
            f"({per * shards / took:,.0f} records/s), peak RSS {peak / 1024:.0f} MiB "
            f"(was {before / 1024:.0f} MiB before); planned {rows}"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--shards", type=int, default=64)
    ap.add_argument("--group-size", type=float, default=3.0)
    ap.add_argument("--skip-plan", action="store_true")
    args = ap.parse_args()
    print(f"max deviation from 70/15/15 in points over {args.seeds} datasets: p95 / worst / "
          "% of datasets within ±0.5")  # fmt: skip
    for kind in ("moderate", "heavy"):
        for n in (1000, 5000):
            r = ratios(n, kind, args.seeds)
            line = f"{kind:>8} sizes, {n:>5} groups:"
            for k in ("hash", "hash_crisis", "bal", "bal_crisis"):
                p95, worst, within = r[k]
                line += f"  {k} {p95:.2f}/{worst:.2f}/{within:.1f}%"
            line += f"  groups moved {r['moved'][0]:.1f}% (max {r['moved'][1]:.1f}%)"
            print(line)
    if not args.skip_plan:
        plan_time(args.records, args.shards, args.group_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
