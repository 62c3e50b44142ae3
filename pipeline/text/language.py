"""Language identification with py3langid (its model ships in the wheel; nothing is downloaded).

Rule (see :meth:`LanguageFilter.decide`):

- fewer than ``min_letters`` letters: too short to tell (``"ok thanks"`` scores 0.55 English,
  ``"lol"`` 0.03 Sesotho) -> kept, counted as ``language:kept_short``;
- the detected language is in ``keep`` -> kept, counted as ``language:<code>``;
- another language with probability >= ``min_confidence`` -> ``Drop("language")``;
- another language below that -> kept, counted as ``language:kept_uncertain``.

English fast path: when ``en`` is kept, a sample in which at least 22% of 12 or more words are
common English function words ("the", "and", "of", "i'm", ...) is taken as English without
running the model, which costs about 40 times less. The model said ``en`` for every one of the
5,622 texts the fast path took among 7,756 (generated 2 KB documents in English, German, Spanish
and French, and the crisis corpora), and the fast path took none of 18,912 ~300-character
chunks of 141 other languages (the gettext catalogues in ``/usr/share/locale``): the decision
is the model's, only cheaper (``bench/bench_preprocess.py`` measures the effect).

Only a sample of a long text is classified (its first ``sample_chars / 2`` characters and as
many from the middle): py3langid walks every byte in Python, so this bounds the cost per
record (~0.1 ms) without changing the answer on real documents. A conversation is classified
on all its turns joined.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from pipeline.records import Record, record_text
from pipeline.stages.base import Drop

_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"\w+(?:'\w+)*")
# Very frequent English words that are not also common words of another language (no "a",
# "in", "is", "was", "will", "die", "de", "me", "so", "we", "do", "he", "has", "at", ...).
_ENGLISH_WORDS = (
    "the and of to that it for with you this are have be not but they what my she his "
    "from would there their been just about like if when don't i'm it's your our them who "
    "which were could should than then because how really know think as more some into its "
    "these those such between other most only over after each may"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
FAST_MIN_WORDS = 12
FAST_MIN_FRACTION = 0.22


def clearly_english(sampled: str) -> bool:
    """Is ``sampled`` so full of English function words that the model would say English?"""
    words = _WORDS.findall(sampled.lower())
    n = len(words)
    if n < FAST_MIN_WORDS:
        return False
    return sum([w in _ENGLISH for w in words]) >= FAST_MIN_FRACTION * n


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import (  # type: ignore[import-untyped]
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def sample(text: str, sample_chars: int) -> str:
    if len(text) <= sample_chars:
        return text
    half = sample_chars // 2
    mid = len(text) // 2
    return text[:half] + "\n" + text[mid : mid + half]


def detect_language(text: str, sample_chars: int = 300) -> tuple[str, float]:
    """``(ISO 639-1 code, probability)`` of the text's language."""
    lang, prob = _identifier().classify(sample(text, sample_chars))
    return str(lang), float(prob)


def enough_letters(text: str, n: int) -> bool:
    if len(text) >= 4 * n:  # cheap common case; the model copes with some non-letters
        return len(_LETTER.findall(text, 0, 4 * n)) >= n or len(_LETTER.findall(text)) >= n
    return len(_LETTER.findall(text)) >= n


class LanguageFilter:
    """Record step: keep records in the configured languages (see module docstring)."""

    def __init__(
        self,
        keep: list[str],
        *,
        min_letters: int = 20,
        min_confidence: float = 0.9,
        sample_chars: int = 300,
        counts: Counter[str] | None = None,
    ) -> None:
        self.keep = frozenset(keep)
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self.sample_chars = sample_chars
        self.counts: Counter[str] = counts if counts is not None else Counter()

    def decide(self, text: str) -> tuple[bool, str]:
        """``(keep, why)``; ``why`` is the counter name or the drop detail."""
        if not enough_letters(text, self.min_letters):
            return True, "language:kept_short"
        if "en" in self.keep and clearly_english(sample(text, self.sample_chars)):
            return True, "language:en"
        lang, prob = detect_language(text, self.sample_chars)
        if lang in self.keep:
            return True, f"language:{lang}"
        if prob >= self.min_confidence:
            return False, f"{lang} p={prob:.3f}"
        return True, "language:kept_uncertain"

    def __call__(self, rec: Record) -> Record | Drop:
        keep, why = self.decide(record_text(rec))
        if keep:
            self.counts[why] += 1
            return rec
        return Drop("language", why)
