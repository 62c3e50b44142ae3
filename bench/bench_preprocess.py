"""Preprocess throughput in documents per CPU-second (time.process_time), on generated ~2 KB
documents (bench/docgen.py), and a comparison with HuggingFace datatrove's Gopher filters.

    uv run --group bench python bench/bench_preprocess.py [--docs 3000] [--json]

1. ``normalise + language + PII (regex types) + quality``: the record steps as the stage
   runs them (default config; PII without PERSON, whose cost is reported separately).
2. The same with PERSON names.
3. Our Gopher-equivalent quality + repetition rules (min_words = 50, every rule on every
   document) against datatrove's ``GopherQualityFilter`` + ``GopherRepetitionFilter``
   (defaults) on the same documents: docs/CPU-s of each, the ratio, and agreement (fraction
   of documents both keep or both drop).

Without the ``bench`` group (datatrove missing) part 3 is skipped.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen import make_docs  # noqa: E402  (bench/ is on sys.path: this script's directory)

from pipeline.config import PII_TYPE_NAMES, PreprocessSection, QualityOptions  # noqa: E402
from pipeline.records import new_record  # noqa: E402
from pipeline.stages.base import Drop, apply_steps  # noqa: E402
from pipeline.stages.preprocess import build_steps  # noqa: E402
from pipeline.text.quality import quality_reason  # noqa: E402


def _cpu(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def bench_steps(texts: list[str], pp: PreprocessSection, repeat: int) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    steps = build_steps(pp, counts)
    outcome: Counter[str] = Counter()

    def run() -> None:
        outcome.clear()
        for i, t in enumerate(texts):
            rec = new_record(id=f"d{i}", source="bench", text=t)
            res = apply_steps(rec, steps)
            outcome[res.reason if isinstance(res, Drop) else "kept"] += 1

    run()  # warm-up: model load, regex compile
    secs = _cpu(run, repeat)
    return {
        "docs": len(texts),
        "cpu_seconds": round(secs, 3),
        "docs_per_cpu_second": round(len(texts) / secs),
        "outcome": dict(sorted(outcome.items())),
    }


GOPHER = QualityOptions(min_words=50, stats_min_words=1, keep_crisis=False)


def bench_datatrove(texts: list[str], repeat: int) -> dict[str, Any] | None:
    try:  # the optional ``bench`` dependency group; untyped, hence importlib
        data = importlib.import_module("datatrove.data")
        filters = importlib.import_module("datatrove.pipeline.filters")
    except ImportError:
        return None
    quality, repetition = filters.GopherQualityFilter(), filters.GopherRepetitionFilter()
    docs = [data.Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    theirs: list[bool] = []
    ours: list[bool] = []

    def run_theirs() -> None:
        theirs.clear()
        for d in docs:
            keep = quality.filter(d)
            if keep is True:
                keep = repetition.filter(d)
            theirs.append(keep is True)

    def run_ours() -> None:
        ours.clear()
        for t in texts:
            ours.append(quality_reason(t, GOPHER) is None)

    run_theirs()
    run_ours()
    t_theirs = _cpu(run_theirs, repeat)
    t_ours = _cpu(run_ours, repeat)
    agree = sum(a == b for a, b in zip(theirs, ours, strict=True)) / len(texts)
    return {
        "datatrove_docs_per_cpu_second": round(len(texts) / t_theirs),
        "ours_docs_per_cpu_second": round(len(texts) / t_ours),
        "speedup": round(t_theirs / t_ours, 2),
        "agreement": round(agree, 4),
        "datatrove_kept": sum(theirs),
        "ours_kept": sum(ours),
        "both_kept": sum(a and b for a, b in zip(theirs, ours, strict=True)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    generated = make_docs(args.docs)
    texts = [t for _, t in generated]
    kinds = Counter(k for k, _ in generated)
    no_segment = dataclasses.replace(
        PreprocessSection(), segment=dataclasses.replace(PreprocessSection().segment, enabled=False)
    )
    regex_types = [t for t in PII_TYPE_NAMES if t != "PERSON"]
    regex_pp = dataclasses.replace(
        no_segment, pii=dataclasses.replace(no_segment.pii, types=regex_types)
    )
    report: dict[str, Any] = {
        "docs": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "kinds": dict(sorted(kinds.items())),
        "steps_regex_pii": bench_steps(texts, regex_pp, args.repeat),
        "steps_with_person": bench_steps(texts, no_segment, args.repeat),
        "gopher_vs_datatrove": bench_datatrove(texts, args.repeat),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['docs']} docs, mean {report['mean_chars']} chars, kinds {report['kinds']}")
    for key, label in (
        ("steps_regex_pii", "normalise + language + PII (regex types) + quality"),
        ("steps_with_person", "normalise + language + PII (all, with PERSON) + quality"),
    ):
        r = report[key]
        print(f"{label}: {r['docs_per_cpu_second']} docs/CPU-s  outcome {r['outcome']}")
    g = report["gopher_vs_datatrove"]
    if g is None:
        print("datatrove not installed (uv run --group bench ...): comparison skipped")
    else:
        print(
            f"Gopher quality+repetition: ours {g['ours_docs_per_cpu_second']} docs/CPU-s, "
            f"datatrove {g['datatrove_docs_per_cpu_second']} docs/CPU-s "
            f"(x{g['speedup']}); agreement {g['agreement']:.2%} "
            f"(kept: ours {g['ours_kept']}, datatrove {g['datatrove_kept']}, "
            f"both {g['both_kept']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
