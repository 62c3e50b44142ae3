"""What a stage is: a shard planner and a shard processor, plus the per-record step shape."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.ledger import Ledger
from pipeline.records import ParquetRecordWriter, Record, read_parquet

if TYPE_CHECKING:
    from pipeline.runs import Run, Shard


class Drop:
    """Returned by a step to filter a record out; ``reason`` is counted in the manifest."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Drop({self.reason!r})"


Step = Callable[[Record], "Record | Drop"]


class Cancelled(Exception):
    """The run was cancelled while this shard was running; no marker is written."""


class ShardContext:
    """Everything a stage needs to process one shard: inputs, outputs, ledger, cancel check."""

    def __init__(self, run: Run, stage: str, shard: Shard, workdir: Path) -> None:
        self.run = run
        self.stage = stage
        self.shard = shard
        self.workdir = workdir
        self.ledger = Ledger()
        self.outputs: dict[str, Path] = {}
        self.info: dict[str, str] = {}  # facts about how the shard was made (e.g. detector)
        self._writers: dict[str, ParquetRecordWriter] = {}
        self._stack = contextlib.ExitStack()

    def output_key(self, name: str) -> str:
        return self.run.key(self.stage, "out", self.shard.id, f"{name}.parquet")

    def writer(self, name: str = "records") -> ParquetRecordWriter:
        if name not in self._writers:
            path = self.workdir / f"{name}.parquet"
            self._writers[name] = ParquetRecordWriter(path)
            self.outputs[name] = path
        return self._writers[name]

    def close_writers(self) -> dict[str, int]:
        rows = {}
        for name, w in self._writers.items():
            w.close()
            rows[name] = w.rows
        return rows

    def read(self, stage: str, shard_id: str, name: str = "records") -> Iterator[Record]:
        """Stream the records another stage wrote for ``shard_id``."""
        key = self.run.key(stage, "out", shard_id, f"{name}.parquet")
        with self.run.store.local_copy(key) as path:
            yield from read_parquet(path)

    def check_cancel(self) -> None:
        if self.run.cancelled():
            raise Cancelled(self.run.id)


class Stage(Protocol):
    """A stage plans its shards once per run and processes one shard at a time."""

    name: str
    queue: str  # "io" or "cpu": which worker pool runs its shard tasks

    def plan(self, run: Run) -> list[Shard]: ...

    def process(self, ctx: ShardContext) -> None: ...


def apply_steps(rec: Record, steps: list[Step]) -> Record | Drop:
    for step in steps:
        out = step(rec)
        if isinstance(out, Drop):
            return out
        rec = out
    return rec


class RecordStage:
    """A 1:1 stage: same shards as ``input_stage``; each record goes through ``steps``.

    A step that raises marks that one record errored (with the exception as reason); the
    rest of the shard goes on. Cancellation is checked every ``CHECK_EVERY`` records.
    """

    name = ""
    queue = "cpu"
    input_stage = ""
    CHECK_EVERY = 5000

    def steps(self, run: Run) -> list[Step]:
        raise NotImplementedError

    def info(self, run: Run) -> dict[str, str]:
        """Facts recorded in every marker of this stage (e.g. the detector version)."""
        return {}

    def plan(self, run: Run) -> list[Shard]:
        from pipeline.runs import Shard

        upstream = run.plan(self.input_stage)
        if upstream is None:
            raise RuntimeError(f"stage {self.name}: {self.input_stage} has no plan yet")
        return [Shard(s.id, {"input": self.input_stage}) for s in upstream]

    def process(self, ctx: ShardContext) -> None:
        steps = self.steps(ctx.run)
        ctx.info.update(self.info(ctx.run))
        led = ctx.ledger
        out = ctx.writer()
        for i, rec in enumerate(ctx.read(self.input_stage, ctx.shard.id)):
            if i % self.CHECK_EVERY == 0:
                ctx.check_cancel()
            led.seen()
            try:
                res = apply_steps(rec, steps)
            except Exception as exc:  # one poison record never kills a shard
                led.error("step_exception", f"{type(exc).__name__}: {exc}", {"id": rec.get("id")})
                continue
            if isinstance(res, Drop):
                led.filter(res.reason)
            else:
                out.write(res)
                led.keep()
