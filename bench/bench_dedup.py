"""Benchmark of the dedup stages on generated short documents with planted duplicates.

Writes ``--docs`` records as if the preprocess stage had produced them (``--shard-docs``
per shard), then runs the real stages ``dedup_sig -> dedup_pairs -> dedup_cluster ->
dedup_filter`` through the engine (``execute_shard`` + ``complete_stage``), each stage's
shards on a fresh pool of ``--workers`` spawned processes (like fleet workers). Reports wall
time and docs/s per stage and in total, the peak RSS of the busiest worker of each stage
(VmHWM; its RSS after imports, "idle", for comparison), bytes written, and how well the
planted duplicates were found.

Planted data: 70% originals (20-60 words from a 20,000-word vocabulary); 10% exact copies
of an original with case, punctuation and spacing changed; 10% near copies (the last word
replaced or one or two words appended: Jaccard of 5-word shingles >= ~0.9); 10% "far"
variants with three inner words replaced (Jaccard ~0.4-0.6: must survive). Half of the
originals carry a ``group`` shared by 4 originals.

    uv run python bench/bench_dedup.py --docs 100000
    uv run python bench/bench_dedup.py --docs 1000000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from pipeline.config import from_dict
from pipeline.engine import complete_stage, execute_shard, plan_stage
from pipeline.records import ParquetRecordWriter, new_record
from pipeline.runs import Run, Shard
from pipeline.store import LocalStore

DEDUP_STAGES = ("dedup_sig", "dedup_pairs", "dedup_cluster", "dedup_filter")


def make_vocab(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab: set[str] = set()
    while len(vocab) < n:
        vocab.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 9))))
    return sorted(vocab)


def generate(
    n_docs: int, seed: int = 1
) -> tuple[list[str], list[str], list[str | None], list[tuple[str, int]]]:
    """``(ids, texts, groups, plant)``; ``plant[i] = (kind, family)``."""
    rng = np.random.default_rng(seed)
    vocab = np.array(make_vocab(20_000, seed), dtype=object)
    n_orig = int(n_docs * 0.7)
    n_exact = n_near = int(n_docs * 0.1)
    n_far = n_docs - n_orig - n_exact - n_near
    lengths = rng.integers(20, 61, n_orig)
    orig_words = [vocab[rng.integers(0, len(vocab), int(k))] for k in lengths]
    texts: list[str] = [" ".join(w) for w in orig_words]
    plant: list[tuple[str, int]] = [("orig", f) for f in range(n_orig)]
    groups: list[str | None] = [f"grp-{f // 4}" if f % 2 == 0 else None for f in range(n_orig)]
    for f in rng.integers(0, n_orig, n_exact).tolist():
        w = orig_words[f]
        texts.append(w[0].upper() + ",  " + " ".join(w[1:]) + "!")
        plant.append(("exact", f))
        groups.append(None)
    for f in rng.integers(0, n_orig, n_near).tolist():
        w = list(orig_words[f])
        if rng.random() < 0.5:
            w[-1] = vocab[rng.integers(0, len(vocab))]
        else:
            w += list(vocab[rng.integers(0, len(vocab), int(rng.integers(1, 3)))])
        texts.append(" ".join(w))
        plant.append(("near", f))
        groups.append(None)
    for f in rng.integers(0, n_orig, n_far).tolist():
        w = list(orig_words[f])
        for j in rng.choice(np.arange(5, len(w) - 5), 3, replace=False).tolist():
            w[j] = vocab[rng.integers(0, len(vocab))]
        texts.append(" ".join(w))
        plant.append(("far", f))
        groups.append(None)
    order = rng.permutation(n_docs)
    ids = [f"doc-{i:08d}" for i in rng.permutation(n_docs)]  # ids unrelated to position
    return (
        [ids[i] for i in order.tolist()],
        [texts[i] for i in order.tolist()],
        [groups[i] for i in order.tolist()],
        [plant[i] for i in order.tolist()],
    )


def write_input(
    run: Run,
    root: Path,
    ids: list[str],
    texts: list[str],
    groups: list[str | None],
    shard_docs: int,
) -> None:
    """The records as the preprocess stage's plan and outputs (what dedup_sig reads)."""
    shards = []
    for k, start in enumerate(range(0, len(ids), shard_docs)):
        sid = f"bench-{k:05d}"
        shards.append(Shard(sid, {"bench": True}))
        path = root / run.key("preprocess", "out", sid, "records.parquet")
        path.parent.mkdir(parents=True, exist_ok=True)
        with ParquetRecordWriter(path) as w:
            for i in range(start, min(start + shard_docs, len(ids))):
                w.write(new_record(id=ids[i], source="bench", text=texts[i], group=groups[i]))
        n = w.rows
        marker = {  # what execute_shard would have recorded
            "stage": "preprocess",
            "shard": sid,
            "outputs": [{"name": "records", "key": str(path), "rows": n}],
            "counts": {"in": n, "kept": n, "filtered": {}, "errored": {}},
            "info": {},
        }
        run.store.put_json_if_absent(run.marker_key("preprocess", sid), marker)
    run.fix_plan("preprocess", shards)
    complete_stage(run, "preprocess")


def peak_rss_kib() -> int:
    """This process's peak RSS (VmHWM). Not ``ru_maxrss``: Linux carries that over ``exec``,
    so a spawned worker would report the RSS its parent had when it forked."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: best effort


def _warm() -> int:
    """Import what a worker imports and run pyarrow, Parquet and MinHash once, like a fleet
    worker that has run a task already; returns the peak RSS after that (KiB)."""
    import pipeline.stages  # noqa: F401
    from pipeline.dedup.minhash import MinHasher
    from pipeline.records import new_record, to_table

    table = to_table([new_record(id="warm", source="bench", text="warm up")])
    with tempfile.TemporaryDirectory() as tmp:  # load the Parquet/zstd code once
        pq.write_table(table, f"{tmp}/w.parquet", compression="zstd")
        pq.read_table(f"{tmp}/w.parquet")
    MinHasher().signatures(["warm up the minhash code"])
    time.sleep(0.5)  # keep this worker busy so every worker gets one warm-up task
    return peak_rss_kib()


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _shard_task(root: str, run_id: str, stage: str, shard_id: str) -> tuple[int, float]:
    """Run one shard; (peak RSS KiB, CPU seconds of this shard)."""
    c0 = _cpu()
    execute_shard(Run(LocalStore(root), run_id), stage, shard_id)
    return peak_rss_kib(), _cpu() - c0


def run_stage(run: Run, root: Path, stage: str, workers: int) -> dict[str, Any]:
    plan = plan_stage(run, stage)
    n = min(workers, len(plan)) or 1
    ctx = multiprocessing.get_context("spawn")  # clean workers: RSS is the stage's own
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        base = [f.result() for f in [pool.submit(_warm) for _ in range(n)]]
        t0 = time.perf_counter()
        args = [(str(root), run.id, stage, s.id) for s in plan]
        res = list(pool.map(_shard_task, *zip(*args, strict=True)))
        complete_stage(run, stage)
        seconds = time.perf_counter() - t0
    return {
        "stage": stage,
        "shards": len(plan),
        "seconds": round(seconds, 2),
        "worker_baseline_rss_mib": round(max(base) / 1024, 1),
        "cpu_seconds": round(sum(c for _, c in res), 2),
        "peak_rss_mib": round(max(r for r, _ in res) / 1024, 1),
        "bytes_written": sum(
            p.stat().st_size for p in (root / run.key(stage)).rglob("*") if p.is_file()
        ),
    }


def quality(run: Run, root: Path, ids: list[str], plant: list[tuple[str, int]]) -> dict[str, Any]:
    kept: set[str] = set()
    for s in plan_stage(run, "dedup_filter"):
        t = pq.read_table(
            root / run.key("dedup_filter", "out", s.id, "records.parquet"), columns=["id"]
        )
        kept.update(str(x) for x in t.column("id").to_pylist())
    survivors: Counter[int] = Counter()
    far_kept = far = 0
    for rid, (kind, fam) in zip(ids, plant, strict=True):
        if kind == "far":
            far += 1
            far_kept += rid in kept
        elif rid in kept:
            survivors[fam] += 1
    families = {fam for kind, fam in plant if kind != "far"}
    dup_families = {fam for kind, fam in plant if kind in ("exact", "near")}
    one = sum(1 for f in dup_families if survivors[f] == 1)
    return {
        "records_kept": len(kept),
        "families_with_duplicates": len(dup_families),
        "of_them_exactly_one_survivor": one,
        "families_without_survivor": sum(1 for f in families if survivors[f] == 0),
        "far_variants_kept": f"{far_kept}/{far}",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--shard-docs", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", help="work directory (default: a temp dir, removed afterwards)")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    root = Path(args.dir or tempfile.mkdtemp(prefix="bench-dedup-"))
    try:
        t0 = time.perf_counter()
        ids, texts, groups, plant = generate(args.docs)
        gen_s = time.perf_counter() - t0
        dummy = root / "unused.jsonl"
        dummy.parent.mkdir(parents=True, exist_ok=True)
        dummy.write_text("")
        cfg = from_dict({"source": {"paths": [str(dummy)]}})
        store = LocalStore(root / "store")
        run = Run.create(store, cfg, "bench")
        t0 = time.perf_counter()
        write_input(run, root / "store", ids, texts, groups, args.shard_docs)
        write_s = time.perf_counter() - t0
        text_mib = sum(len(t) for t in texts) / 2**20
        del texts, groups
        print(
            f"{args.docs:,} docs ({text_mib:.0f} MiB of text) in "
            f"{len(run.plan('preprocess') or [])} shards; generated in {gen_s:.1f}s, written in "
            f"{write_s:.1f}s; {args.workers} worker processes",
            flush=True,
        )
        rows = []
        total = cpu = 0.0
        for stage in DEDUP_STAGES:
            r = run_stage(run, root / "store", stage, args.workers)
            total += r["seconds"]
            cpu += r["cpu_seconds"]
            rows.append(r)
            print(
                f"  {stage:<14} {r['shards']:>4} shards {r['seconds']:>7.2f}s wall "
                f"{args.docs / r['seconds']:>9,.0f} docs/s  {r['cpu_seconds']:>7.2f}s CPU "
                f"{args.docs / max(r['cpu_seconds'], 1e-9):>9,.0f} docs/CPU-s  peak RSS/worker "
                f"{r['peak_rss_mib']:>7.1f} MiB (idle {r['worker_baseline_rss_mib']:.0f})   "
                f"wrote {r['bytes_written'] / 2**20:>7.1f} MiB",
                flush=True,
            )
        summary = store.get_json(run.key("dedup", "summary.json"))
        q = quality(run, root / "store", ids, plant)
        print(
            f"  total          {total:.2f}s wall {args.docs / total:,.0f} docs/s; {cpu:.2f}s CPU "
            f"{args.docs / cpu:,.0f} docs/CPU-s; parent peak RSS "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (includes the "
            "generated corpus)"
        )
        print(
            f"  removed: {summary['removed']}; duplicate clusters {summary['duplicate_clusters']:,}"
        )
        print(
            f"  near candidates {summary['near_candidates']:,}, verified "
            f"{summary['near_verified']:,}, rejected {summary['near_rejected']:,}; "
            f"params {summary['params']}"
        )
        print(f"  planted: {q}")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "docs": args.docs,
                        "workers": args.workers,
                        "stages": rows,
                        "total_seconds": round(total, 2),
                        "total_cpu_seconds": round(cpu, 2),
                        "summary": summary,
                        "planted": q,
                    },
                    indent=1,
                )
            )
    finally:
        if not args.dir:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
