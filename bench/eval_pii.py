"""Precision and recall of the PII redactor per type on the labelled set.

    uv run python bench/eval_pii.py [--file bench/data/pii_eval.txt] [--json] [--misses]

The set (``bench/data/pii_eval.txt``) marks every PII span inline as ``{{TYPE|text}}``;
unlabelled lines are hard negatives (public helplines, dates, names that are words...).

A predicted span is a true positive when it overlaps a gold span of the same type (each gold
span is matched at most once); ``exact`` counts those whose boundaries are identical. A
prediction overlapping no gold span of its type is a false positive; a gold span matched by
no prediction is a false negative.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.text.pii import PII_TYPES, PiiDetector, PiiSpan  # noqa: E402

DEFAULT = ROOT / "bench" / "data" / "pii_eval.txt"
_MARK = re.compile(r"\{\{([A-Z_]+)\|(.*?)\}\}")


@dataclass
class Example:
    text: str
    spans: list[PiiSpan]


def parse_line(line: str) -> Example:
    line = line.replace("\\n", "\n")
    out: list[str] = []
    spans: list[PiiSpan] = []
    pos = 0
    n = 0
    for m in _MARK.finditer(line):
        out.append(line[pos : m.start()])
        n += m.start() - pos
        typ, span = m.group(1), m.group(2)
        if typ not in PII_TYPES:
            raise ValueError(f"unknown type {typ} in {line!r}")
        spans.append(PiiSpan(n, n + len(span), typ))
        out.append(span)
        n += len(span)
        pos = m.end()
    out.append(line[pos:])
    return Example("".join(out), spans)


def load(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_line(ln) for ln in lines if ln.strip() and not ln.startswith("#")]


def evaluate(examples: list[Example], detector: PiiDetector) -> dict[str, object]:
    stats = {t: {"tp": 0, "fp": 0, "fn": 0, "exact": 0} for t in PII_TYPES}
    misses: list[dict[str, str]] = []
    for ex in examples:
        pred = detector.find(ex.text)
        used: set[int] = set()
        for p in pred:
            hit = next(
                (
                    i
                    for i, g in enumerate(ex.spans)
                    if i not in used and g.type == p.type and p.start < g.end and g.start < p.end
                ),
                None,
            )
            if hit is None:
                stats[p.type]["fp"] += 1
                misses.append({"kind": "FP", "type": p.type, "span": ex.text[p.start : p.end],
                               "text": ex.text})  # fmt: skip
            else:
                used.add(hit)
                stats[p.type]["tp"] += 1
                g = ex.spans[hit]
                stats[p.type]["exact"] += int((g.start, g.end) == (p.start, p.end))
        for i, g in enumerate(ex.spans):
            if i not in used:
                stats[g.type]["fn"] += 1
                misses.append({"kind": "FN", "type": g.type, "span": ex.text[g.start : g.end],
                               "text": ex.text})  # fmt: skip
    rows = {}
    tot = {"tp": 0, "fp": 0, "fn": 0, "exact": 0}
    for t, s in stats.items():
        for k in tot:
            tot[k] += s[k]
        rows[t] = _row(s)
    rows["ALL"] = _row(tot)
    return {
        "examples": len(examples),
        "gold_spans": sum(len(e.spans) for e in examples),
        "negative_lines": sum(1 for e in examples if not e.spans),
        "types": rows,
        "misses": misses,
    }


def _row(s: dict[str, int]) -> dict[str, float | int]:
    tp, fp, fn = s["tp"], s["fp"], s["fn"]
    return {
        "gold": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "exact": round(s["exact"] / tp, 3) if tp else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list false positives/negatives")
    args = ap.parse_args(argv)
    report = evaluate(load(args.file), PiiDetector())
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{report['examples']} examples, {report['gold_spans']} gold spans, "
        f"{report['negative_lines']} hard-negative lines\n"
    )
    print("| type | gold spans | precision | recall | exact boundaries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    types = report["types"]
    assert isinstance(types, dict)
    for t, r in types.items():
        p, rc, ex = r["precision"], r["recall"], r["exact"]
        print(f"| {t} | {r['gold']} | {p:.3f} | {rc:.3f} | {ex:.3f} |")
    if args.misses:
        misses = report["misses"]
        assert isinstance(misses, list)
        for m in misses:
            print(f"{m['kind']} {m['type']}: {m['span']!r} in {m['text']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
