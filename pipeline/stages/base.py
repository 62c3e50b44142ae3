"""What a stage is: a shard planner and a shard processor, plus the per-record step shape."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.ledger import Ledger
from pipeline.records import ParquetRecordWriter, Record, read_parquet

if TYPE_CHECKING:
    from pipeline.runs import Run, Shard


class Drop:
    """Returned by a step to filter a record out; ``reason`` is counted in the manifest,
    ``detail`` (optional, e.g. the detected language) only goes to audit samples."""

    __slots__ = ("detail", "reason")

    def __init__(self, reason: str, detail: str | None = None) -> None:
        self.reason = reason
        self.detail = detail

    def __repr__(self) -> str:
        return f"Drop({self.reason!r})"


# A step returns the record (changed or not), a Drop, or - the last step only - a non-empty
# list of records that replace it (1:N, e.g. segmenting a long document into chunks).
Step = Callable[[Record], "Record | list[Record] | Drop"]

# ledger.extra keys of a 1:N step: records that were replaced by a list, and the list rows.
CHUNKED_PARENTS = "chunked_parents"
CHUNKS_EMITTED = "chunks_emitted"


def output_rows(counts: Mapping[str, Any]) -> int:
    """Rows a stage wrote for the next stage: its kept records, where each record a 1:N step
    replaced (counted once as kept) contributes its ``chunks_emitted`` rows instead."""
    extra = counts.get("extra") or {}
    return (
        int(counts["kept"]) - int(extra.get(CHUNKED_PARENTS, 0)) + int(extra.get(CHUNKS_EMITTED, 0))
    )


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


def apply_steps(rec: Record, steps: list[Step]) -> Record | list[Record] | Drop:
    last = len(steps) - 1
    for i, step in enumerate(steps):
        out = step(rec)
        if isinstance(out, Drop):
            return out
        if isinstance(out, list):
            if i != last:
                raise TypeError(f"step {i} returned a list; only the last step may (1:N)")
            return out
        rec = out
    return rec


class RecordStage:
    """A stage with the same shards as ``input_stage``; each record goes through ``steps``
    (1:1, or 1:N when the last step returns a list: see :func:`output_rows`).

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

    def shard_steps(self, ctx: ShardContext) -> list[Step]:
        """The steps for one shard; override to bind steps to the shard (its ledger's
        ``extra`` counters, extra outputs such as an audit sample)."""
        return self.steps(ctx.run)

    def process(self, ctx: ShardContext) -> None:
        steps = self.shard_steps(ctx)
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
            elif isinstance(res, list):
                if not res:
                    led.filter("empty_output")
                    continue
                for child in res:
                    out.write(child)
                led.keep()  # the parent is kept once; its rows are counted as extra
                led.extra[CHUNKED_PARENTS] += 1
                led.extra[CHUNKS_EMITTED] += len(res)
            else:
                out.write(res)
                led.keep()
