"""Ingest: every configured source's shards, on the io queue.

Plans the shards of every ``[[sources]]`` entry (or the single ``[source]`` table) and
hands each shard back to the source kind that planned it. Shard ids are prefixed with the
source name, so two sources never collide.
"""

from __future__ import annotations

from typing import Any

from pipeline.config import source_entries
from pipeline.runs import Run, Shard
from pipeline.sources import get_kind
from pipeline.stages.base import ShardContext


class IngestStage:
    name = "ingest"
    queue = "io"

    def plan(self, run: Run) -> list[Shard]:
        shards: list[Shard] = []
        for entry in source_entries(run.config):
            for s in get_kind(entry["type"]).plan(entry, run):
                shards.append(Shard(f"{entry['name']}-{s.id}", {**s.spec, "source": entry["name"]}))
        return shards

    def process(self, ctx: ShardContext) -> None:
        entry = _entry(ctx.run, ctx.shard.spec["source"])
        get_kind(entry["type"]).process(entry, ctx)


def _entry(run: Run, name: str) -> dict[str, Any]:
    for entry in source_entries(run.config):
        if entry["name"] == name:
            return entry
    raise KeyError(f"source {name!r} is not in the run's config")
