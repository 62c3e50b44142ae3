"""Throughput of the default crisis detector on one core (short texts: the gold set, repeated).

Usage: ``uv run python bench/bench_detector.py [--repeat N] [--rounds R]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from pipeline.safety import builtin_gold_paths, default_detector, load_labelled


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=30, help="copies of the gold texts per round")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [e.text for p in builtin_gold_paths() for e in load_labelled(p)] * args.repeat
    t0 = time.perf_counter()
    det = default_detector()
    det.detect("warm up")
    build = time.perf_counter() - t0
    mean_len = statistics.mean(len(t) for t in texts)
    rates = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for t in texts:
            det.detect(t)
        rates.append(len(texts) / (time.perf_counter() - t0))
    neutral = ["Long week, can't wait for the weekend and some pizza with friends."] * len(texts)
    t0 = time.perf_counter()
    for t in neutral:
        det.detect(t)
    neutral_rate = len(neutral) / (time.perf_counter() - t0)
    print(f"detector {det.name} {det.version}; build {build * 1000:.0f} ms")
    print(f"gold texts x{args.repeat}: {len(texts)} texts, mean {mean_len:.0f} chars, 1 core")
    print(
        f"  texts/s: median {statistics.median(rates):,.0f}  "
        f"min {min(rates):,.0f}  max {max(rates):,.0f}"
    )
    print(f"  plain neutral chat text: {neutral_rate:,.0f} texts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
