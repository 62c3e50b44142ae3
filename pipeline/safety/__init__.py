"""Crisis-signal detection: rule-based detector, gold set and evaluator (no Celery)."""

from pipeline.safety.detector import (
    CATEGORIES,
    ConversationVerdict,
    CrisisDetector,
    Span,
    Verdict,
    default_detector,
)
from pipeline.safety.evaluate import (
    EvalReport,
    Example,
    builtin_gold_paths,
    evaluate,
    load_labelled,
    wilson_interval,
)

__all__ = [
    "CATEGORIES",
    "ConversationVerdict",
    "CrisisDetector",
    "EvalReport",
    "Example",
    "Span",
    "Verdict",
    "builtin_gold_paths",
    "default_detector",
    "evaluate",
    "load_labelled",
    "wilson_interval",
]
