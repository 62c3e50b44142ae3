"""Split: deterministic train/validation/test assignment by hashing each record's group.

Records sharing ``split.group_by`` (falling back to the record id) land in the same split;
the same group gets the same split in every run with the same seed, whatever else is in
the dataset.
"""

from __future__ import annotations

import hashlib

from pipeline.config import SafetySection, SplitSection
from pipeline.records import Record
from pipeline.stages.base import RecordStage, ShardContext

SPLITS = ("train", "validation", "test")


def assign_split(group: str, cfg: SplitSection) -> str:
    digest = hashlib.sha256(f"{cfg.seed}\0{group}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    if u < cfg.train:
        return "train"
    if u < cfg.train + cfg.validation:
        return "validation"
    return "test"


def group_key(rec: Record, group_by: str) -> str:
    g = rec.get(group_by) if group_by in rec else None
    return str(g) if g not in (None, "") else str(rec["id"])


def removal_reason(flags: list[str], split: str, safety: SafetySection) -> str | None:
    """Why a record flagged by the content filter is left out of ``split`` (or None).

    Harmful content (instructions, encouragement, lethal doses) leaves every split; a crisis
    conversation answered without a safety response leaves the train split only.
    """
    if safety.drop_harmful:
        for f in flags:
            if f.startswith("harmful:"):
                return "harmful_content:" + f.split(":", 1)[1]
    unsafe = any(f.startswith("unsafe_response:") for f in flags)
    if split == "train" and safety.exclude_unsafe_responses_from_train and unsafe:
        return "unsafe_crisis_response"
    return None


class SplitStage(RecordStage):
    name = "split"
    queue = "cpu"
    input_stage = "annotate"

    def process(self, ctx: ShardContext) -> None:
        cfg = ctx.run.config.split
        safety = ctx.run.config.safety
        led = ctx.ledger
        writers = {s: ctx.writer(s) for s in SPLITS}
        for i, rec in enumerate(ctx.read(self.input_stage, ctx.shard.id)):
            if i % self.CHECK_EVERY == 0:
                ctx.check_cancel()
            led.seen()
            try:
                split = assign_split(group_key(rec, cfg.group_by), cfg)
            except Exception as exc:
                led.error("step_exception", f"{type(exc).__name__}: {exc}", {"id": rec.get("id")})
                continue
            reason = removal_reason(rec.get("flags") or [], split, safety)
            if reason is not None:
                led.filter(reason)
                continue
            rec["split"] = split
            writers[split].write(rec)
            led.keep()
            led.extra[f"split_{split}"] += 1
