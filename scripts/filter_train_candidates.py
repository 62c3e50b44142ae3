"""Check candidate scorer-training texts against every evaluation text before they are trained on.

A candidate row is dropped, with its reason counted, when it

* ``eval``: shares a run of 6 words (lowercased, split on ``[a-z0-9']+``) with any text of
  an evaluation set: ``gold.csv``, ``dev_frames.csv``, ``harmful_content_eval.csv`` and every
  ``bench/data/*.csv`` (held-out sets, counselling, ...), so no figure reported on them
  becomes in-sample;
* ``synthetic``: shares a 6-word run with a user turn of the builtin synthetic generators
  (dialogues, crisis cases, bias probes; every sample ``bench/bench_synthetic.py`` scores with
  its default counts), so
  its dialogue false-alarm, crisis-case and bias figures stay out-of-sample;
* ``dup_train``: has the same words as a text already trained on
  (``crisis_train.csv``, ``curated_phrases.csv``);
* ``dup_self``: has the same words as an earlier kept candidate.

Kept rows are written (header ``text,label,category,kind``) for appending to
``crisis_train.csv``. Texts shorter than 6 words are compared by their whole word sequence.

Usage: ``uv run python scripts/filter_train_candidates.py OUT.csv CANDIDATES.csv [...]``
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pipeline.synthetic import builtin_samples, validate_options
from pipeline.synthetic.diversity import words

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "pipeline" / "safety" / "data"
EVAL_FILES = (DATA / "gold.csv", DATA / "dev_frames.csv", DATA / "harmful_content_eval.csv")
TRAINED_FILES = (DATA / "crisis_train.csv", DATA / "curated_phrases.csv")
# generator -> sample indices covered: bench_synthetic's defaults (seed 1; --dialogues,
# --crisis, --probe-sets)
SYNTHETIC = (("dialogues", 10_000), ("crisis_cases", 5_000), ("bias_probes", 1_000))
FIELDS = ("text", "label", "category", "kind")
RUN = 6

Shingle = tuple[str, ...]


def shingles(text: str, n: int = RUN) -> set[Shingle]:
    w = words(text)
    if len(w) < n:
        return {tuple(w)} if w else set()
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def csv_texts(path: Path) -> Iterator[str]:
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["text"]


def synthetic_user_turns() -> Iterator[str]:
    for generator, count in SYNTHETIC:
        opts = validate_options(
            {"type": "synthetic", "name": "bench", "generator": generator, "seed": 1}, None
        )
        for i in range(count):
            for sample in builtin_samples(opts, i):
                for m in sample.messages:
                    if m["role"] == "user":
                        yield m["content"]


def shingle_set(texts: Iterable[str]) -> set[Shingle]:
    out: set[Shingle] = set()
    for t in texts:
        out |= shingles(t)
    return out


def filter_rows(
    rows: Iterable[dict[str, str]],
    eval_shingles: set[Shingle],
    synthetic_shingles: set[Shingle],
    trained: set[str],
) -> tuple[list[dict[str, str]], Counter[str]]:
    kept: list[dict[str, str]] = []
    reasons: Counter[str] = Counter()
    seen: set[str] = set()
    for row in rows:
        sh, key = shingles(row["text"]), " ".join(words(row["text"]))
        if sh & eval_shingles:
            reasons["eval"] += 1
        elif sh & synthetic_shingles:
            reasons["synthetic"] += 1
        elif key in trained:
            reasons["dup_train"] += 1
        elif key in seen:
            reasons["dup_self"] += 1
        else:
            seen.add(key)
            kept.append({k: row[k] for k in FIELDS})
    return kept, reasons


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path)
    ap.add_argument("candidates", type=Path, nargs="+")
    args = ap.parse_args(argv)
    eval_files = [*EVAL_FILES, *sorted((REPO / "bench" / "data").glob("*.csv"))]
    eval_sh = shingle_set(t for p in eval_files for t in csv_texts(p))
    syn_sh = shingle_set(synthetic_user_turns())
    trained = {" ".join(words(t)) for p in TRAINED_FILES for t in csv_texts(p)}
    rows: list[dict[str, str]] = []
    for p in args.candidates:
        with p.open(newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    kept, reasons = filter_rows(rows, eval_sh, syn_sh, trained)
    with args.out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(kept)
    labels = Counter(r["label"] for r in kept)
    print(f"{len(rows)} candidates, {len(kept)} kept (label 1: {labels['1']}, label 0: "
          f"{labels['0']}); dropped: {dict(sorted(reasons.items()))}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
