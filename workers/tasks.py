"""Celery tasks: thin adapters around :mod:`pipeline.engine` and :mod:`pipeline.release`.

A stage is one flat chord: ``start_stage`` publishes one shard task per pending shard with
``finish_stage`` as the body. ``finish_stage`` trusts the markers in the store, not the
chord results, and launches the next stage through a ``put_if_absent`` claim, so a
redelivered callback cannot start a stage twice. The last body runs the gate and publishes.
"""

from __future__ import annotations

import contextlib
import logging
import os
from functools import lru_cache
from typing import Any

from celery import Task, chord, group

from pipeline.engine import (
    IncompleteStage,
    complete_stage,
    execute_shard,
    pending_shards,
    record_failure,
)
from pipeline.logs import log_context
from pipeline.release import finalize
from pipeline.runs import Run
from pipeline.sources.harvest import SourceBlocked
from pipeline.stages import STAGE_ORDER, get_stage, next_stage
from pipeline.store import Store, TransientStoreError, open_store
from workers.app import (
    MAX_RETRIES,
    MAX_SHARD_ATTEMPTS,
    RETRY_BACKOFF_MAX,
    TASK_TIME_LIMIT,
    VISIBILITY_TIMEOUT,
    _env_int,
    app,
)

log = logging.getLogger("pipeline.tasks")
# Transient failures (S3 throttling/5xx/timeouts, broken connections) retry with
# exponential backoff and jitter, bounded in count and in countdown (< visibility timeout).
RETRY_KW: dict[str, Any] = {
    "autoretry_for": (TransientStoreError, ConnectionError, TimeoutError),
    "retry_backoff": 1,
    "retry_backoff_max": RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
}
# A source blocked by its provider (HTTP 429, bot check) retries the shard after the pause
# its breaker asks for (minutes to hours), not after the short transient backoff; the
# countdown is capped so waiting + running stays inside the visibility timeout.
BLOCKED_MAX_RETRIES = _env_int("PIPELINE_BLOCKED_MAX_RETRIES", 4)
BLOCKED_MAX_COUNTDOWN = max(1, VISIBILITY_TIMEOUT - TASK_TIME_LIMIT - 60)


def retry_blocked(task: Any, exc: SourceBlocked) -> Exception:
    """``raise retry_blocked(self, exc)``: retry the shard once the source's pause is over
    (after BLOCKED_MAX_RETRIES the shard fails for good: dead letter, run failed, resumable)."""
    countdown = min(exc.retry_after, BLOCKED_MAX_COUNTDOWN)
    log.warning("source %s blocked; shard retried in %.0fs: %s", exc.source, countdown, exc)
    retry: Exception = task.retry(exc=exc, countdown=countdown, max_retries=BLOCKED_MAX_RETRIES)
    return retry


def _task_context(
    task: Any, run_id: str, stage: str, generation: int, shard: str | None = None
) -> contextlib.AbstractContextManager[None]:
    """Log context of a task: run, stage, shard, task id and correlation id."""
    return log_context(
        run_id=run_id,
        stage=stage,
        shard=shard,
        task_id=task.request.id,
        correlation_id=correlation_id(run_id, generation),
    )


def correlation_id(run_id: str, generation: int) -> str:
    """Follows one start or resume of a run from the command through every task."""
    return f"{run_id}.g{generation}"


@lru_cache(maxsize=8)
def _store(spec: str) -> Store:
    return open_store(spec)


def get_store() -> Store:
    """The worker's store, from ``PIPELINE_STORE`` (read per call, cached per value)."""
    return _store(os.environ.get("PIPELINE_STORE") or "./pipeline-store")


class PipelineTask(Task):  # type: ignore[misc]
    """Records a shard or callback that failed for good as a dead letter on the run."""

    # Do not keep the ids of tasks launched from a task in its result: a stage launcher
    # would otherwise store every shard's task id (131 KB for 2,200 shards) in Redis.
    trail = False

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if self.name == "pipeline.flow.scheduled_run":
            log.error("scheduled run %s failed: %s: %s", args, type(exc).__name__, exc)
            return
        try:
            run_id = args[0]
            shard = None
            generation = args[-1] if args and isinstance(args[-1], int) else None
            if self.name in ("pipeline.flow.start_stage", "pipeline.flow.finish_stage"):
                stage = args[1]
            elif self.name == "pipeline.flow.finalize":
                stage = "release"
            else:
                stage, shard = self.stage_name, args[1]
            with log_context(run_id=run_id, stage=stage, shard=shard, task_id=task_id):
                log.error("task failed for good: %s: %s", type(exc).__name__, exc)
                record_failure(
                    Run(get_store(), run_id),
                    stage,
                    shard,
                    f"{type(exc).__name__}: {exc}",
                    task_id,
                    generation,
                )
        except Exception:  # never mask the original failure
            log.exception("could not record the failure of task %s", task_id)

    stage_name = "flow"


def _shard_task(stage: str) -> Any:
    @app.task(
        name=f"pipeline.{stage}.shard",
        bind=True,
        base=PipelineTask,
        acks_late=True,
        stage_name=stage,
        dont_autoretry_for=(SourceBlocked,),  # handled by retry_blocked, not the backoff
        **RETRY_KW,
    )
    def run_shard(self: Any, run_id: str, shard_id: str, generation: int) -> dict[str, Any]:
        with _task_context(self, run_id, stage, generation, shard_id):
            run = Run(get_store(), run_id)
            if generation < run.current_generation():
                return {"shard": shard_id, "skipped": "superseded by a newer resume"}
            try:
                return execute_shard(
                    run,
                    stage,
                    shard_id,
                    task_id=self.request.id,
                    generation=generation,
                    max_attempts=MAX_SHARD_ATTEMPTS,
                )
            except SourceBlocked as exc:
                raise retry_blocked(self, exc) from None

    return run_shard


SHARD_TASKS: dict[str, Any] = {stage: _shard_task(stage) for stage in STAGE_ORDER}


@app.task(name="pipeline.flow.start_stage", bind=True, base=PipelineTask, **RETRY_KW)
def start_stage(self: Any, run_id: str, stage: str, generation: int) -> dict[str, Any]:
    """Publish one flat chord of the stage's pending shards (or go on if none)."""
    with _task_context(self, run_id, stage, generation):
        run = Run(get_store(), run_id)
        if generation < run.current_generation():
            return {"skipped": "superseded by a newer resume"}
        if run.cancelled():
            run.set_state("cancelled", stage=stage, reason="cancelled by user")
            return {"cancelled": True}
        run.set_state("running", stage=stage, generation=generation)
        pending = pending_shards(run, stage)
        body = finish_stage.si(run_id, stage, generation)
        if not pending:
            body.apply_async()
            return {"stage": stage, "pending": 0}
        queue = get_stage(stage).queue
        task = SHARD_TASKS[stage]
        header = group(task.si(run_id, s.id, generation).set(queue=queue) for s in pending)
        result = chord(header)(body)
        log.info("stage launched: %d pending shard(s) on queue %s", len(pending), queue)
        return {"stage": stage, "pending": len(pending), "chord": str(result.id)}


@app.task(name="pipeline.flow.finish_stage", bind=True, base=PipelineTask, **RETRY_KW)
def finish_stage(self: Any, run_id: str, stage: str, generation: int) -> dict[str, Any]:
    """Chord body: check every marker, write the stage summary, start the next stage once."""
    with _task_context(self, run_id, stage, generation):
        run = Run(get_store(), run_id)
        if generation < run.current_generation():
            return {"skipped": "superseded by a newer resume"}
        if run.cancelled():
            run.set_state("cancelled", stage=stage, reason="cancelled by user; nothing published")
            return {"cancelled": True}
        try:
            summary = complete_stage(run, stage)
        except IncompleteStage as exc:
            record_failure(run, stage, None, str(exc), self.request.id, generation)
            return {"failed": str(exc)}
        nxt = next_stage(stage)
        step = nxt or "release"
        if run.claim_launch(generation, step):
            if nxt:
                start_stage.delay(run_id, nxt, generation)
            else:
                finalize_run.delay(run_id, generation)
        else:
            log.info("%s already launched for generation %d; not launching again", step, generation)
        return {"stage": stage, "counts": summary["counts"]}


@app.task(name="pipeline.flow.finalize", bind=True, base=PipelineTask, **RETRY_KW)
def finalize_run(self: Any, run_id: str, generation: int) -> dict[str, Any]:
    """Final callback: the release gate, then publish only if it passed."""
    with _task_context(self, run_id, "release", generation):
        return finalize(Run(get_store(), run_id))


@app.task(name="pipeline.flow.scheduled_run", bind=True, base=PipelineTask)
def scheduled_run(self: Any, name: str, config_path: str) -> dict[str, Any]:
    """Beat entry point: start a run of ``config_path`` unless this slot already started one."""
    from workers.control import start_scheduled

    with log_context(task_id=self.request.id):
        return start_scheduled(get_store(), name, config_path)
