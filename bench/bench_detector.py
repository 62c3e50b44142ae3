"""Throughput of the crisis detector on one core, for each detector kind.

Inputs: the gold texts repeated (crisis-dense: half are crisis or hard negatives, so most of
them put the cheap layers in doubt and reach the contextual stage), the user turns and
paragraph-sized pieces of the benchmark corpus (``bench/corpus.py``: the mix the pipeline
benchmarks annotate), and one short neutral chat line. Texts are scored one at a time with
``detect`` (as the annotate stage scores a plain-text record) and, for the gold texts, also
256 at a time with ``detect_many`` (one batched call to the contextual stage per chunk).
"Escalated" is the share of texts the contextual stage reads.

Usage: ``uv run python bench/bench_detector.py [--kind contextual|rules] [--repeat N]
[--rounds R]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from pipeline.safety import builtin_gold_paths, default_detector, load_labelled


def corpus_texts(n_records: int = 400) -> list[str]:
    """User turns and ~600-character pieces of plain-text records of the benchmark corpus."""
    out: list[str] = []
    with tempfile.TemporaryDirectory() as d:
        write_corpus(Path(d), n_records, seed=7)
        for path in sorted(Path(d).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if rec.get("messages"):
                    out += [m["content"] for m in rec["messages"] if m.get("role") == "user"]
                else:
                    text = str(rec.get("text") or "")
                    out += [text[i : i + 600] for i in range(0, len(text), 600)]
    return out


def rates(fn: Callable[[], int], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        n = fn()
        out.append(n / (time.perf_counter() - t0))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--kind", default="contextual", choices=("contextual", "rules"))
    ap.add_argument("--repeat", type=int, default=3, help="copies of the gold texts per round")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    gold = [e.text for p in builtin_gold_paths() for e in load_labelled(p)] * args.repeat
    mixed = corpus_texts()
    t0 = time.perf_counter()
    det = default_detector(args.kind)
    det.detect("warm up")
    build = time.perf_counter() - t0

    def escalated(texts: Sequence[str]) -> float:
        return sum(det.in_doubt(t) for t in texts) / len(texts)

    def one_by_one(texts: Sequence[str]) -> Callable[[], int]:
        def run() -> int:
            for t in texts:
                det.detect(t)
            return len(texts)

        return run

    def batched() -> int:
        for i in range(0, len(gold), 256):
            det.detect_many(gold[i : i + 256])
        return len(gold)

    print(f"detector {det.name} {det.version}; build {build * 1000:.0f} ms")
    g = rates(one_by_one(gold), args.rounds)
    print(
        f"gold texts x{args.repeat}: {len(gold)} texts, mean "
        f"{statistics.mean(len(t) for t in gold):.0f} chars, 1 core, "
        f"escalated {escalated(gold):.1%}"
    )
    print(f"  texts/s: median {statistics.median(g):,.0f}  min {min(g):,.0f}  max {max(g):,.0f}")
    b = rates(batched, args.rounds)
    print(f"  batched 256 at a time: median {statistics.median(b):,.0f} texts/s")
    m = rates(one_by_one(mixed), args.rounds)
    print(
        f"corpus mix: {len(mixed)} texts, mean {statistics.mean(len(t) for t in mixed):.0f} "
        f"chars, escalated {escalated(mixed):.1%}: median {statistics.median(m):,.0f} texts/s"
    )
    neutral = ["Long week, can't wait for the weekend and some pizza with friends."] * 5000
    n = rates(one_by_one(neutral), 1)
    print(f"  plain neutral chat text: {n[0]:,.0f} texts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
