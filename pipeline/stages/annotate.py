"""Annotate: every record gets the crisis detector's verdict, score, categories and spans.

Annotation only adds columns; removing or routing records is a separate step.
"""

from __future__ import annotations

from pipeline.config import DEFAULT_DETECTOR
from pipeline.records import Record
from pipeline.runs import Run
from pipeline.stages.base import Drop, RecordStage, Step

CONTENT_FILTER_VERSION = "1"


def crisis_annotator(kind: str = DEFAULT_DETECTOR) -> Step:
    """Crisis verdict, score, categories, spans and per-turn verdicts, plus content-safety
    flags: ``harmful:<reason>`` (text that would teach harm), ``unsafe_response:<reason>``
    (a crisis turn answered without any safety response) or ``safe_crisis_response``."""
    from pipeline.safety import default_detector
    from pipeline.safety.content_filter import harm_check, response_check

    det = default_detector(kind)

    def step(rec: Record) -> Record | Drop:
        spans: list[dict[str, object]] = []
        turns: list[int] | None = None
        flags: list[str] = []
        if rec.get("messages"):
            cv = det.detect_conversation(rec["messages"])
            verdict = cv.record
            turns = [i for i, tv in enumerate(cv.turns) if tv.crisis]
            for m in rec["messages"]:
                harm = harm_check(m["content"])
                if harm is not None:
                    flags.append(f"harmful:{harm.reason}")
                    break
            rf = response_check(rec["messages"], cv.turns)
            if rf.crisis_turns:
                if rf.safe:
                    flags.append("safe_crisis_response")
                else:
                    flags.extend(f"unsafe_response:{r}" for r in sorted(set(rf.reasons)))
            for turn, tv in enumerate(cv.turns):
                spans.extend(
                    {"turn": turn, "start": s.start, "end": s.end, "category": s.category}
                    for s in tv.spans
                )
        else:
            verdict = det.detect(rec.get("text") or "")
            harm = harm_check(rec.get("text") or "")
            if harm is not None:
                flags.append(f"harmful:{harm.reason}")
            spans = [
                {"turn": -1, "start": s.start, "end": s.end, "category": s.category}
                for s in verdict.spans
            ]
        rec["crisis"] = verdict.crisis
        rec["crisis_score"] = round(float(verdict.score), 4)
        rec["crisis_categories"] = list(verdict.categories)
        rec["crisis_spans"] = spans
        rec["crisis_turns"] = turns
        rec["flags"] = flags
        return rec

    return step


class AnnotateStage(RecordStage):
    name = "annotate"
    queue = "cpu"
    input_stage = "dedup_filter"

    def steps(self, run: Run) -> list[Step]:
        return [crisis_annotator(run.config.annotate.detector)]

    def info(self, run: Run) -> dict[str, str]:
        return {
            "detector": detector_id(run.config.annotate.detector),
            "content_filter": CONTENT_FILTER_VERSION,
        }


def detector_id(kind: str = DEFAULT_DETECTOR) -> str:
    """Name and version of the detector of ``kind`` this code would annotate with."""
    from pipeline.safety import default_detector

    det = default_detector(kind)
    return f"{det.name} {det.version}"
