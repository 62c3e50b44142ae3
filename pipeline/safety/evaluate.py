"""Evaluate a crisis detector against labelled texts (sensitivity/specificity with CIs)."""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import pathlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from pipeline.safety.detector import CrisisDetector, Verdict

__all__ = [
    "EvalReport",
    "Example",
    "builtin_gold_paths",
    "evaluate",
    "load_labelled",
    "wilson_interval",
]

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"

_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


@dataclass(frozen=True)
class Example:
    """One labelled text: ``label`` 1 = crisis, 0 = not; ``category`` is optional."""

    text: str
    label: int
    category: str | None = None


def _parse_label(raw: object, where: str) -> int:
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int) and raw in (0, 1):
        return raw
    if isinstance(raw, float) and raw in (0.0, 1.0):
        return int(raw)
    if isinstance(raw, str):
        v = raw.strip().lower()
        if v in _TRUE:
            return 1
        if v in _FALSE:
            return 0
    raise ValueError(f"{where}: label must be 1/0 or true/false, got {raw!r}")


def _parse_text(raw: object, where: str) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"{where}: text must be a string, got {type(raw).__name__}")
    if not raw.strip():
        raise ValueError(f"{where}: text is empty")
    return raw


def _parse_category(raw: object, where: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ValueError(f"{where}: category must be a string, got {type(raw).__name__}")
    return raw.strip() or None


def _load_csv(path: pathlib.Path) -> list[Example]:
    out: list[Example] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        missing = [c for c in ("text", "label") if c not in fields]
        if missing:
            raise ValueError(
                f"{path.name}: line 1: missing column(s) {', '.join(missing)} "
                f"(found {', '.join(fields) or 'no header'})"
            )
        for row in reader:
            where = f"{path.name}: line {reader.line_num}"
            if None in row:
                raise ValueError(f"{where}: more fields than the header has")
            out.append(
                Example(
                    text=_parse_text(row.get("text"), where),
                    label=_parse_label(row.get("label"), where),
                    category=_parse_category(row.get("category"), where),
                )
            )
    return out


def _load_jsonl(path: pathlib.Path) -> list[Example]:
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path.name}: line {n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: invalid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise ValueError(f"{where}: expected a JSON object")
            missing = [k for k in ("text", "label") if k not in obj]
            if missing:
                raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
            out.append(
                Example(
                    text=_parse_text(obj["text"], where),
                    label=_parse_label(obj["label"], where),
                    category=_parse_category(obj.get("category"), where),
                )
            )
    return out


def load_labelled(path: str | os.PathLike[str]) -> list[Example]:
    """Read ``text,label[,category]`` rows from a CSV or JSONL file.

    Raises ``ValueError`` naming the file, the line and the problem for a missing column,
    an empty text or a label that is not 1/0/true/false.
    """
    p = pathlib.Path(path)
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _load_jsonl(p)
    if suffix in (".csv", ".tsv", ""):
        return _load_csv(p)
    raise ValueError(f"{p.name}: unsupported file type {suffix!r} (use .csv or .jsonl)")


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion; ``(0.0, 0.0)`` when ``n == 0``."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class EvalReport:
    """Confusion counts, rates with 95% Wilson intervals, per-category recall, errors."""

    n: int
    positives: int
    negatives: int
    tp: int
    fn: int
    tn: int
    fp: int
    sensitivity: float
    specificity: float
    sensitivity_ci: tuple[float, float]
    specificity_ci: tuple[float, float]
    per_category: dict[str, dict[str, float | int]] = field(default_factory=dict)
    misses: list[dict[str, object]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form (intervals as two-element lists)."""
        d = asdict(self)
        d["sensitivity_ci"] = list(self.sensitivity_ci)
        d["specificity_ci"] = list(self.specificity_ci)
        return d


def _verdicts(
    detector: CrisisDetector, examples: Iterable[Example], chunk: int = 256
) -> Iterator[tuple[Example, Verdict]]:
    """Each example with its verdict, scored ``chunk`` at a time with ``detect_many``."""
    it = iter(examples)
    while batch := list(itertools.islice(it, chunk)):
        yield from zip(batch, detector.detect_many(ex.text for ex in batch), strict=True)


def evaluate(detector: CrisisDetector, examples: Iterable[Example]) -> EvalReport:
    """Run ``detector`` on every example and summarise.

    ``per_category`` is keyed by the gold category (for negatives it holds the hard-negative
    kind): ``n``, ``detected`` (texts flagged crisis) and ``recall`` (detected / n, which for
    negative kinds is the false-alarm rate).
    """
    tp = fn = tn = fp = 0
    cats: dict[str, list[int]] = {}
    misses: list[dict[str, object]] = []
    for ex, v in _verdicts(detector, examples):
        if ex.label == 1:
            if v.crisis:
                tp += 1
            else:
                fn += 1
        elif v.crisis:
            fp += 1
        else:
            tn += 1
        if ex.category:
            row = cats.setdefault(ex.category, [0, 0])
            row[0] += 1
            row[1] += int(v.crisis)
        if bool(ex.label) != v.crisis:
            misses.append(
                {
                    "text": ex.text,
                    "label": ex.label,
                    "category": ex.category,
                    "score": v.score,
                    "categories": list(v.categories),
                }
            )
    pos, neg = tp + fn, tn + fp
    per_category: dict[str, dict[str, float | int]] = {
        c: {"n": n, "detected": d, "recall": round(d / n, 4) if n else 0.0}
        for c, (n, d) in sorted(cats.items())
    }
    return EvalReport(
        n=pos + neg,
        positives=pos,
        negatives=neg,
        tp=tp,
        fn=fn,
        tn=tn,
        fp=fp,
        sensitivity=tp / pos if pos else 0.0,
        specificity=tn / neg if neg else 0.0,
        sensitivity_ci=wilson_interval(tp, pos),
        specificity_ci=wilson_interval(tn, neg),
        per_category=per_category,
        misses=misses,
    )


def builtin_gold_paths() -> list[pathlib.Path]:
    """Gold file(s) shipped in the package (``pipeline/safety/data/gold.csv``)."""
    return [DATA_DIR / "gold.csv"]
