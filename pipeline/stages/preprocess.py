"""Preprocess: normalise text, then filter by length. Later steps (PII, quality, dedup)
plug in as more steps of the same shape."""

from __future__ import annotations

import re
import unicodedata

from pipeline.records import Record
from pipeline.runs import Run
from pipeline.stages.base import Drop, RecordStage, Step

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces, at most one blank line, stripped.

    Idempotent: ``normalise_text(normalise_text(t)) == normalise_text(t)``.
    """
    t = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    t = _CONTROL.sub("", t)
    t = _SPACES.sub(" ", t)
    t = "\n".join(line.strip() for line in t.split("\n"))
    return _BLANKS.sub("\n\n", t).strip()


def normalise(rec: Record) -> Record | Drop:
    """Normalise text and every turn; turns left empty are removed."""
    if rec.get("text") is not None:
        rec["text"] = normalise_text(rec["text"])
    if rec.get("messages"):
        turns = [
            {"role": m["role"], "content": normalise_text(m["content"])} for m in rec["messages"]
        ]
        turns = [m for m in turns if m["content"]]
        rec["messages"] = turns or None
    if not rec.get("text") and not rec.get("messages"):
        return Drop("empty_text")
    return rec


def length_filter(min_chars: int, max_chars: int) -> Step:
    def step(rec: Record) -> Record | Drop:
        n = len(rec.get("text") or "") + sum(len(m["content"]) for m in rec.get("messages") or [])
        if n < min_chars:
            return Drop("too_short")
        if n > max_chars:
            return Drop("too_long")
        return rec

    return step


class PreprocessStage(RecordStage):
    name = "preprocess"
    queue = "cpu"
    input_stage = "ingest"

    def steps(self, run: Run) -> list[Step]:
        pp = run.config.preprocess
        return [normalise, length_filter(pp.min_chars, pp.max_chars)]
