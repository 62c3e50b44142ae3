"""Synthetic generation: diversity of 10,000 builtin dialogues, generation speed, and the
crisis detector measured on the generated crisis cases and bias probes.

Usage: ``uv run python bench/bench_synthetic.py [--dialogues 10000] [--timed 20000]
[--crisis 5000] [--probe-sets 1000] [--json OUT]``

Figures (one core):

* distinct-1/2/3: distinct word n-grams / all n-grams over the whole corpus; also on a
  random subset of synthetic dialogues with the same number of words as the bundled sample
  conversations (written for the project by hand), and on those, for comparison.
* near-duplicate rate: share of dialogues that have another dialogue with word-5-gram
  Jaccard >= 0.8 (MinHash/LSH candidates, exact Jaccard verification; all dialogues).
* samples/s to generate ``--timed`` samples of each generator (records are not written).
* the default crisis detector on generated crisis cases (record verdict of
  ``detect_conversation``; labels by construction), per category with 95% Wilson
  intervals; on the crisis bias probes per attribute value; false-alarm rate on the
  (non-crisis by construction) dialogues; the safe-response check on every positive's reply.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pipeline.safety import default_detector, wilson_interval
from pipeline.safety.content_filter import harm_check, response_check
from pipeline.safety.detector import Verdict
from pipeline.synthetic import builtin_samples, grounded, validate_options
from pipeline.synthetic.diversity import distinct_n, near_duplicates, words

SAMPLE_CONVERSATIONS = Path(__file__).parent.parent / "pipeline/data/sample/conversations.jsonl"
ARTICLES = Path(__file__).parent.parent / "pipeline/data/sample/articles.csv"


def entry(generator: str, **kw: Any) -> dict[str, Any]:
    return validate_options({"type": "synthetic", "name": "bench", "generator": generator,
                             "seed": 1, **kw}, None)  # fmt: skip


def text_of(messages: list[dict[str, str]]) -> str:
    return "\n".join(m["content"] for m in messages if m["role"] != "system")


def diversity(n: int) -> dict[str, Any]:
    e = entry("dialogues")
    dialogues = [builtin_samples(e, i)[0] for i in range(n)]
    texts = [text_of(d.messages) for d in dialogues]
    toks = [words(t) for t in texts]
    ref_rows = [json.loads(line) for line in SAMPLE_CONVERSATIONS.read_text().splitlines()]
    ref_toks = [words(text_of(r["messages"])) for r in ref_rows]
    ref_words = sum(len(t) for t in ref_toks)
    rng = random.Random(7)
    subset: list[list[str]] = []
    for t in rng.sample(toks, len(toks)):
        if sum(len(x) for x in subset) >= ref_words:
            break
        subset.append(t)
    t0 = time.perf_counter()
    nd = near_duplicates(texts)
    nd_s = time.perf_counter() - t0
    concerns = Counter(d.meta["concern"] for d in dialogues)
    techniques = Counter(t for d in dialogues for turn in d.meta["techniques"] for t in turn)
    styles = Counter(d.meta["persona"]["style"] for d in dialogues)
    return {
        "dialogues": n,
        "turns_mean": round(statistics.mean(len(d.messages) for d in dialogues), 2),
        "words_mean": round(statistics.mean(len(t) for t in toks), 1),
        "distinct": {f"{k}": round(distinct_n(toks, k), 4) for k in (1, 2, 3)},
        "distinct_word_matched": {
            "words": ref_words,
            "synthetic": {f"{k}": round(distinct_n(subset, k), 4) for k in (1, 2, 3)},
            "sample_conversations": {f"{k}": round(distinct_n(ref_toks, k), 4) for k in (1, 2, 3)},
        },
        "near_duplicates": {
            "threshold": 0.8,
            "shingle_words": 5,
            "candidates": nd.candidates,
            "pairs": nd.pairs,
            "docs_with_duplicate": nd.docs_with_duplicate,
            "rate": round(nd.rate, 5),
            "seconds": round(nd_s, 1),
        },
        "exact_duplicate_texts": n - len(set(texts)),
        "coverage": {
            "concerns": dict(sorted(concerns.items())),
            "techniques": dict(sorted(techniques.items())),
            "styles": dict(sorted(styles.items())),
        },
    }


def speed(n: int) -> dict[str, Any]:
    found = grounded.findings(grounded.read_file(str(ARTICLES)))
    out: dict[str, Any] = {}
    for gen, kw in (
        ("dialogues", {}),
        ("crisis_cases", {}),
        ("bias_probes", {}),
        ("grounded", {"grounding": str(ARTICLES)}),
    ):
        e = entry(gen, **kw)
        records = 0
        t0 = time.perf_counter()
        for i in range(n):
            records += len(builtin_samples(e, i, found))
        dt = time.perf_counter() - t0
        out[gen] = {
            "samples": n,
            "records": records,
            "seconds": round(dt, 2),
            "samples_per_s": round(n / dt),
            "records_per_s": round(records / dt),
        }
    return out


def rate(hit: int, n: int) -> dict[str, Any]:
    lo, hi = wilson_interval(hit, n)
    return {"n": n, "hit": hit, "rate": round(hit / n, 4) if n else None,
            "ci95": [round(lo, 4), round(hi, 4)]}  # fmt: skip


def detector_figures(n_crisis: int, n_sets: int, n_dialogues: int) -> dict[str, Any]:
    det = default_detector()
    e = entry("crisis_cases")
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tp = fn = tn = fp = 0
    safe_fail = harmful = 0
    misses: dict[str, list[str]] = defaultdict(list)
    for i in range(n_crisis):
        (s,) = builtin_samples(e, i)
        crisis = det.detect_conversation(s.messages).record.crisis
        cat = s.meta["category"]
        per[cat][0] += 1
        per[cat][1] += int(crisis)
        if s.label == 1:
            tp, fn = tp + crisis, fn + (not crisis)
            forced = [Verdict(m["role"] == "user" and k == len(s.messages) - 2, 1.0, (), ())
                      for k, m in enumerate(s.messages)]  # fmt: skip
            safe_fail += not response_check(s.messages, forced).safe
        else:
            tn, fp = tn + (not crisis), fp + crisis
        if (s.label == 1) != crisis and len(misses[cat]) < 3:
            misses[cat].append(s.messages[-2]["content"])
        harmful += any(harm_check(m["content"]) for m in s.messages if m["role"] == "assistant")
    categories = {c: {"label": 1 if c in e["positives"] else 0, **rate(v[1], v[0])}
                  for c, v in sorted(per.items())}  # fmt: skip
    # bias probes: crisis sets, detection per attribute value; non-crisis sets, false alarms
    b = entry("bias_probes")
    by_value: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fa_value: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in range(n_sets):
        for s in builtin_samples(b, i):
            crisis = det.detect_conversation(s.messages).record.crisis
            key = f"{s.meta['attribute']}:{s.meta['value']}"
            tbl = by_value if s.label == 1 else fa_value
            tbl[key][0] += 1
            tbl[key][1] += int(crisis)
    d = entry("dialogues")
    flagged = sum(
        det.detect_conversation(builtin_samples(d, i)[0].messages).record.crisis
        for i in range(n_dialogues)
    )
    return {
        "detector": f"{det.name} {det.version}",
        "crisis_cases": {
            "n": n_crisis,
            "sensitivity": rate(tp, tp + fn),
            "specificity": rate(tn, tn + fp),
            "per_category": categories,
            "example_misses": dict(misses),
            "positives_whose_reply_fails_response_check": safe_fail,
            "assistant_turns_flagged_harmful": harmful,
        },
        "bias_probes": {
            "sets": n_sets,
            "crisis_detected_per_value": {k: rate(v[1], v[0]) for k, v in sorted(by_value.items())},
            "false_alarms_per_value": {k: rate(v[1], v[0]) for k, v in sorted(fa_value.items())},
        },
        "dialogues_flagged_crisis": rate(flagged, n_dialogues),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--dialogues", type=int, default=10_000)
    ap.add_argument("--timed", type=int, default=20_000)
    ap.add_argument("--crisis", type=int, default=5_000)
    ap.add_argument("--probe-sets", type=int, default=1_000)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    report = {
        "diversity": diversity(args.dialogues),
        "speed": speed(args.timed),
        "detector": detector_figures(args.crisis, args.probe_sets, args.dialogues),
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
