"""Executing stages: the marker protocol, stage completion and the in-process runner.

The Celery tasks in ``workers/`` are thin adapters over these functions, and ``--local``
and ``pipeline demo`` call them directly, so both paths run the same code.

Marker protocol (per shard): if the marker exists, return it (the work is done). Otherwise
run the stage into a private temp dir, upload every output, the error report, and only
then put the marker (``put_if_absent``) with output keys, sha256, sizes and counts. A crash
before the marker leaves at most orphan outputs that the next attempt overwrites with the
same bytes; a crash after it loses nothing.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.ledger import check_counts, merge_counts
from pipeline.runs import Run, RunError, Shard, utcnow
from pipeline.stages import STAGE_ORDER, Cancelled, ShardContext, get_stage, next_stage
from pipeline.store import sha256_file

log = logging.getLogger("pipeline.engine")


class ShardPoisoned(RunError):
    """A shard started too many times in one generation without completing: dead-letter it
    instead of looping (e.g. a record that crashes or OOM-kills every worker)."""


DEFAULT_MAX_ATTEMPTS = 8


class IncompleteStage(RunError):
    """A stage callback found shards without markers."""

    def __init__(self, stage: str, missing: list[str]) -> None:
        self.stage = stage
        self.missing = missing
        more = f" (+{len(missing) - 5} more)" if len(missing) > 5 else ""
        super().__init__(
            f"stage {stage}: {len(missing)} shard(s) have no completion marker: "
            f"{', '.join(missing[:5])}{more}"
        )


def plan_stage(run: Run, stage: str) -> list[Shard]:
    """The stage's fixed shard plan, computing and fixing it on first use."""
    existing = run.plan(stage)
    if existing is not None:
        return existing
    return run.fix_plan(stage, get_stage(stage).plan(run))


def pending_shards(run: Run, stage: str) -> list[Shard]:
    done = run.markers_done(stage)
    return [s for s in plan_stage(run, stage) if s.id not in done]


def execute_shard(
    run: Run,
    stage: str,
    shard_id: str,
    task_id: str | None = None,
    generation: int = 0,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> dict[str, Any]:
    """Run one shard of ``stage`` unless its marker exists; return a small summary.

    Returns ``{"skipped": "cancelled"}`` without a marker if the run is cancelled. Raises
    :class:`ShardPoisoned` once the shard has started ``max_attempts`` times in this
    generation without completing.
    """
    marker = run.marker(stage, shard_id)
    if marker is not None:
        log.info("shard already complete; skipping")
        return {"shard": shard_id, "skipped": "done", "counts": marker["counts"]}
    if run.cancelled():
        return {"shard": shard_id, "skipped": "cancelled"}
    shard = next((s for s in plan_stage(run, stage) if s.id == shard_id), None)
    if shard is None:
        raise RunError(f"stage {stage} has no shard {shard_id!r} in its plan")
    st = get_stage(stage)
    started = run.attempts(stage, shard_id, generation)
    if started >= max_attempts:
        raise ShardPoisoned(
            f"shard started {started} times in generation {generation} without completing "
            "(a worker crash, kill or timeout each time?); dead-lettered"
        )
    attempt = uuid.uuid4().hex[:12]
    run.store.put_json(
        run.key(stage, "attempts", shard_id, f"{generation}-{attempt}.json"),
        {"task_id": task_id, "started_at": utcnow()},
    )
    t0 = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix=f"pipeline-{stage}-"))
    try:
        ctx = ShardContext(run, stage, shard, workdir)
        try:
            st.process(ctx)
        except Cancelled:
            ctx.close_writers()
            log.info("run cancelled; shard stopped without a marker")
            return {"shard": shard_id, "skipped": "cancelled"}
        rows = ctx.close_writers()
        ctx.ledger.check()
        outputs = []
        for name in sorted(ctx.outputs):
            path = ctx.outputs[name]
            key = ctx.output_key(name)
            run.store.put_file(key, path)
            outputs.append(
                {
                    "name": name,
                    "key": key,
                    "sha256": sha256_file(path),
                    "bytes": path.stat().st_size,
                    "rows": rows[name],
                }
            )
        errors_key = None
        if ctx.ledger.error_lines:
            errors_key = run.key(stage, "errors", f"{shard_id}.jsonl")
            run.store.put(errors_key, ("\n".join(ctx.ledger.error_lines) + "\n").encode())
        marker = {
            "stage": stage,
            "shard": shard_id,
            "outputs": outputs,
            "errors_key": errors_key,
            "counts": ctx.ledger.counts(),
            "info": ctx.info,
            "seconds": round(time.perf_counter() - t0, 3),
            "code_version": __version__,
            "task_id": task_id,
            "attempt": attempt,
            "finished_at": utcnow(),
        }
        if not run.store.put_json_if_absent(run.marker_key(stage, shard_id), marker):
            log.info("another attempt completed this shard first; keeping its marker")
            marker = run.marker(stage, shard_id) or marker
        c = marker["counts"]
        log.info(
            "shard complete: in=%d kept=%d filtered=%d errored=%d in %.2fs",
            c["in"], c["kept"], sum(c["filtered"].values()), sum(c["errored"].values()),
            marker["seconds"],
        )  # fmt: skip
        return {"shard": shard_id, "counts": marker["counts"]}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def complete_stage(run: Run, stage: str) -> dict[str, Any]:
    """Verify every shard of ``stage`` has a marker (the store, not chord results, is the
    truth), add up the accounting and write the stage summary ``done.json`` once."""
    done = run.stage_done(stage)
    if done is not None:
        return done
    plan = plan_stage(run, stage)
    have = run.markers_done(stage)
    missing = [s.id for s in plan if s.id not in have]
    if missing:
        raise IncompleteStage(stage, missing)
    counts = []
    info: dict[str, set[str]] = {}
    for s in plan:
        m = run.marker(stage, s.id)
        assert m is not None
        check_counts(m["counts"], f"{stage}/{s.id}")
        counts.append(m["counts"])
        for k, v in (m.get("info") or {}).items():
            info.setdefault(k, set()).add(v)
    total = merge_counts(counts)
    check_counts(total, stage)
    summary = {
        "stage": stage,
        "shards": len(plan),
        "counts": total,
        "info": {k: sorted(v) for k, v in sorted(info.items())},
        "completed_at": utcnow(),
    }
    run.store.put_json_if_absent(run.key(stage, "done.json"), summary)
    return run.stage_done(stage) or summary


def reset_stages(run: Run, first: str) -> list[str]:
    """Forget the markers and summaries of ``first`` and every later stage, so a resume
    recomputes them (e.g. re-annotate after the detector changed). Earlier stages, plans and
    the attempt log stay. Refused once the run has published."""
    if run.store.exists(run.key("published.json")):
        raise RunError(f"run {run.id} already published a release; start a new run instead")
    stages = list(STAGE_ORDER[STAGE_ORDER.index(first) :])
    for stage in stages:
        run.store.delete(run.key(stage, "done.json"))
        for key in list(run.store.list_keys(run.key(stage, "markers"))):
            run.store.delete(key)
    return stages


def first_incomplete_stage(run: Run) -> str | None:
    for stage in STAGE_ORDER:
        if run.stage_done(stage) is None:
            return stage
    return None


def record_failure(
    run: Run,
    stage: str,
    shard: str | None,
    error: str,
    task_id: str | None = None,
    generation: int | None = None,
) -> None:
    """Dead-letter a shard (or stage) failure and mark the run failed with the reason.

    A failure from an older generation (a task of a start that was since resumed) is only
    logged: the newer generation owns the run's state now.
    """
    if generation is not None and generation < run.current_generation():
        log.warning("ignoring failure from superseded generation %d: %s", generation, error)
        return
    key = run.key("failures", stage, f"{shard or '_stage'}.json")
    doc = {"stage": stage, "shard": shard, "error": error, "task_id": task_id, "at": utcnow()}
    run.store.put_json(key, {**doc, "generation": generation})
    where = f"{stage}/{shard}" if shard else stage
    run.set_state("failed", stage=stage, reason=f"{where}: {error}", failed_shard=shard)


def clear_failures(run: Run) -> None:
    for key in list(run.store.list_keys(run.key("failures"))):
        run.store.delete(key)


ProgressFn = Callable[[str, int, int], None]


def run_local(run: Run, progress: ProgressFn | None = None) -> dict[str, Any]:
    """Run (or resume) every stage in this process, then the gate and publish."""
    from pipeline.release import finalize

    gen = run.claim_generation()
    run.clear_cancel()
    clear_failures(run)
    stage = first_incomplete_stage(run)
    while stage is not None:
        run.set_state("running", stage=stage, generation=gen)
        plan = plan_stage(run, stage)
        pending = pending_shards(run, stage)
        done_n = len(plan) - len(pending)
        for shard in pending:
            try:
                res = execute_shard(run, stage, shard.id, generation=gen)
            except Exception as exc:
                record_failure(run, stage, shard.id, f"{type(exc).__name__}: {exc}")
                raise
            if res.get("skipped") == "cancelled":
                run.set_state("cancelled", stage=stage, reason="cancelled by user")
                return run.state()
            done_n += 1
            if progress:
                progress(stage, done_n, len(plan))
        complete_stage(run, stage)
        stage = next_stage(stage)
    return finalize(run)
