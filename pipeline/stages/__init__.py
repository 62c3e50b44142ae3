"""The stages of a run, in order. Each is a planner plus a per-shard processor."""

from __future__ import annotations

from pipeline.stages.annotate import AnnotateStage
from pipeline.stages.base import Cancelled, Drop, RecordStage, ShardContext, Stage
from pipeline.stages.dedup import (
    DedupClusterStage,
    DedupFilterStage,
    DedupPairsStage,
    DedupSigStage,
)
from pipeline.stages.ingest import IngestStage
from pipeline.stages.preprocess import PreprocessStage
from pipeline.stages.split import SPLITS, SplitStage

STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        IngestStage(),
        PreprocessStage(),
        DedupSigStage(),
        DedupPairsStage(),
        DedupClusterStage(),
        DedupFilterStage(),
        AnnotateStage(),
        SplitStage(),
    )
}
STAGE_ORDER: tuple[str, ...] = tuple(STAGES)


def get_stage(name: str) -> Stage:
    try:
        return STAGES[name]
    except KeyError:
        raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGE_ORDER)}") from None


def next_stage(name: str) -> str | None:
    i = STAGE_ORDER.index(name)
    return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None


__all__ = [
    "SPLITS",
    "STAGES",
    "STAGE_ORDER",
    "Cancelled",
    "Drop",
    "RecordStage",
    "ShardContext",
    "Stage",
    "get_stage",
    "next_stage",
]
