"""Evaluate the default crisis detector and a naive six-keyword baseline.

Sets: the shipped gold set, the shipped ``curated_phrases.csv`` (construct-tracker, Apache-2.0)
and, when present, ``../shared/crisis/weak_labels.csv`` (weak subreddit labels; read in place,
never copied into the repo). Prints sensitivity/specificity with 95% Wilson intervals.

Detectors: the default detector, the rules alone, rules + the shipped scorer forced on (at the
artifact's cross-validated threshold, whether or not the artifact is enabled) and the
six-keyword baseline. The scorer is trained on ``curated_phrases.csv`` + ``crisis_train.csv``,
so its curated row is in-sample; gold, the held-out sets and weak_labels are out-of-sample
(see ``scripts/train_crisis_scorer.py`` for the grouped nested-CV figures).

Blind held-out sets (``bench/data/heldout_crisis_v*.csv``) are scored but their misses are
never printed: ``--misses`` lists misses of the gold and curated sets only.

Usage: ``uv run python bench/eval_crisis.py [--weak PATH] [--misses N] [--no-blind]``
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from pipeline.safety import (
    CrisisDetector,
    EvalReport,
    Example,
    Verdict,
    builtin_gold_paths,
    default_detector,
    evaluate,
    load_labelled,
)
from pipeline.safety.scorer import DEFAULT_ARTIFACT, CrisisScorer

REPO = Path(__file__).resolve().parent.parent
CURATED = REPO / "pipeline" / "safety" / "data" / "curated_phrases.csv"
WEAK = REPO.parent / "shared" / "crisis" / "weak_labels.csv"
KEYWORDS = ("suicide", "kill myself", "end my life", "want to die", "self harm", "overdose")


class KeywordBaseline(CrisisDetector):
    """Case-insensitive substring match on six keywords ("self harm" also as "self-harm")."""

    name = "keywords6"
    version = "1"

    def detect(self, text: str) -> Verdict:
        low = text.lower().replace("self-harm", "self harm")
        hit = any(k in low for k in KEYWORDS)
        return Verdict(crisis=hit, score=1.0 if hit else 0.0, categories=(), spans=())


def _fmt(rep: EvalReport) -> str:
    slo, shi = rep.sensitivity_ci
    plo, phi = rep.specificity_ci
    return (
        f"{rep.sensitivity:6.3f} [{slo:.3f},{shi:.3f}]  "
        f"{rep.specificity:6.3f} [{plo:.3f},{phi:.3f}]  "
        f"{rep.positives:>5} {rep.negatives:>5}"
    )


def _sets(weak: Path, blind: bool = True) -> Iterable[tuple[str, list[Example] | None]]:
    """The evaluation sets; ``blind=False`` leaves out the blind held-out sets."""
    for p in builtin_gold_paths():
        yield f"gold ({p.name})", load_labelled(p)
    yield "curated_phrases", load_labelled(CURATED) if CURATED.exists() else None
    # written by separate authors (see bench/data/README.md); the last field: still blind
    data = Path(__file__).parent / "data"
    heldout = (("heldout_crisis_v6.csv", "heldout v6 (blind)", True),
               ("heldout_crisis_v5.csv", "heldout v5 (blind)", True),
               ("heldout_crisis_v4.csv", "heldout v4 (blind)", True),
               ("heldout_crisis_v3.csv", "heldout v3 (partly used)", True),
               ("heldout_crisis_v2.csv", "heldout v2 (partly used)", True),
               ("crossauthor_dev_c.csv", "cross-author dev C", False),
               ("crossauthor_dev_d.csv", "cross-author dev D", False),
               ("heldout_crisis_v1.csv", "heldout v1 (leaked)", False),
               ("counselling_eval.csv", "heldout counselling", False))  # fmt: skip
    for name, label, is_blind in heldout:
        if is_blind and not blind:
            continue
        path = data / name
        yield label, load_labelled(path) if path.exists() else None
    yield "weak_labels", load_labelled(weak) if weak.exists() else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--weak", type=Path, default=WEAK, help="path of weak_labels.csv")
    ap.add_argument("--misses", type=int, default=0, help="print N misses per set (detector)")
    ap.add_argument(
        "--no-blind",
        action="store_true",
        help="skip the blind held-out sets (for choosing between builds: a blind set measures "
        "a build once, after it was chosen)",
    )
    args = ap.parse_args()
    detectors: list[CrisisDetector] = [default_detector(), CrisisDetector()]
    detectors[1].name = "rules-only"
    if DEFAULT_ARTIFACT.exists():
        combined = CrisisDetector(scorer=CrisisScorer.load(DEFAULT_ARTIFACT))
        combined.name = "rules+scorer"
        detectors.append(combined)
    detectors.append(KeywordBaseline())
    head = f"{'set':<22} {'detector':<20} {'sensitivity [95% CI]':<22}  "
    print(head + f"{'specificity [95% CI]':<22}  {'pos':>5} {'neg':>5}")
    reports: dict[str, EvalReport] = {}
    for set_name, examples in _sets(args.weak, blind=not args.no_blind):
        if examples is None:
            print(f"{set_name:<22} (absent: not evaluated)")
            continue
        for det in detectors:
            rep = evaluate(det, examples)
            label = f"{det.name} {det.version}"
            print(f"{set_name:<22} {label:<20} {_fmt(rep)}")
            if det is detectors[0]:
                reports[set_name] = rep
    gold = next(iter(reports.values()), None)
    if gold is not None:
        print("\nper gold category (detector): n / detected / rate")
        for cat, row in gold.per_category.items():
            print(f"  {cat:<18} {row['n']:>4} {row['detected']:>4} {row['recall']:>7.3f}")
    if args.misses:
        for set_name, rep in reports.items():
            if set_name.startswith("heldout") or set_name == "weak_labels":
                continue  # blind sets stay blind; weak_labels may not be quoted
            print(f"\nmisses on {set_name}:")
            for m in rep.misses[: args.misses]:
                kind = "FN" if m["label"] == 1 else "FP"
                print(f"  {kind} {m['score']!s:>6}  {str(m['text'])[:110]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
