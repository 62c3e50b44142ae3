"""What a source is: a planner of harvest shards and a processor of one shard.

Every source kind (local files, YouTube, PubMed, books, synthetic generation, ...) implements
:class:`SourceKind`. The ingest stage asks every configured source for its shards and hands
each shard back to the kind that planned it, so a kind never sees the engine or Celery.

A kind's options are one ``[[sources]]`` table of the run config, validated by the kind into
a plain JSON-able dict (frozen into the run like the rest of the config).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pipeline.runs import Run, Shard
    from pipeline.stages.base import ShardContext


class SourceKind(Protocol):
    """One kind of source. Implementations are stateless; options come in ``entry``."""

    type: str

    def validate(self, entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
        """Check one ``[[sources]]`` table and return it normalised (defaults filled in,
        relative paths resolved against ``base_dir``). Raise ``ConfigError`` naming the key.
        ``entry`` always has ``type`` and ``name``; keep both in the result."""
        ...

    def plan(self, entry: dict[str, Any], run: Run) -> list[Shard]:
        """The shards of this source for ``run``: stable ids (the same inputs give the same
        ids), unique within the source, each with a JSON-able spec."""
        ...

    def process(self, entry: dict[str, Any], ctx: ShardContext) -> None:
        """Harvest one shard: persist raw payloads to the store under ``raw/`` first, then
        write records with ``ctx.writer()`` and count each in ``ctx.ledger`` (seen, then
        keep / filter(reason) / error(reason, detail, ref))."""
        ...
