"""Starting, resuming and cancelling runs on the fleet (used by the CLI and by beat)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from pipeline.config import load_config
from pipeline.engine import clear_failures, first_incomplete_stage
from pipeline.runs import TERMINAL, Run, RunError, utcnow
from pipeline.stages import STAGE_ORDER
from pipeline.store import Store


def submit(run: Run) -> int:
    """Enqueue ``run`` (new or to be resumed) on the fleet; returns its generation."""
    from workers.tasks import finalize_run, start_stage

    if run.store.exists(run.key("published.json")):
        raise RunError(f"run {run.id} already published its release; nothing to do")
    gen = run.claim_generation()
    run.clear_cancel()
    clear_failures(run)
    stage = first_incomplete_stage(run)
    step = stage or "release"
    run.set_state("pending", stage=step, generation=gen, reason="queued on the fleet")
    if run.claim_launch(gen, step):
        if stage is None:
            finalize_run.delay(run.id, gen)
        else:
            start_stage.delay(run.id, stage, gen)
    return gen


def cancel(run: Run) -> dict[str, Any]:
    """Stop a run cooperatively: shards not yet started skip, running ones stop at their
    next check, no further stage starts and nothing is published. Resumable later."""
    state = run.state()
    if state["status"] in ("succeeded",):
        raise RunError(f"run {run.id} already succeeded; a published release is not undone")
    run.cancel()
    run.set_state(
        "cancelled",
        stage=state.get("stage"),
        reason="cancelled by user; nothing published (pipeline resume continues it)",
    )
    return run.state()


def progress(run: Run) -> list[dict[str, Any]]:
    """Per stage: shards done/total and record counts (from markers, the source of truth)."""
    rows = []
    for stage in STAGE_ORDER:
        plan = run.plan(stage)
        done = run.stage_done(stage)
        rows.append(
            {
                "stage": stage,
                "shards_total": len(plan) if plan is not None else None,
                "shards_done": len(run.markers_done(stage)) if plan is not None else 0,
                "complete": done is not None,
                "counts": done["counts"] if done else None,
            }
        )
    return rows


def wait(
    run: Run, timeout: float | None = None, on_tick: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """Poll the run's state in the store until it is terminal (never blocks on Celery)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = 0.2
    while True:
        state = run.state()
        if on_tick:
            on_tick(state)
        if state["status"] in TERMINAL:
            return state
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"run {run.id} still {state['status']} after {timeout}s")
        time.sleep(delay)
        delay = min(2.0, delay * 1.5)


def start_scheduled(
    store: Store, name: str, config_path: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Start one run per schedule slot (the minute), unless the schedule's previous run is
    still going.

    A duplicate beat message for a slot is a no-op (a store claim per slot). The schedule's
    last run is kept in ``schedules/<name>/active.json``; while that run is not terminal
    (``pending``/``running``) the slot is skipped with a reason naming it, so a slow harvest
    never overlaps the next one of the same schedule. A run stuck non-terminal therefore
    holds the schedule: ``pipeline cancel`` or ``resume`` it (see README, Runbook).
    """
    at = now or dt.datetime.now(dt.UTC)
    slot = at.strftime("%Y%m%d-%H%M")
    active_key = f"schedules/{name}/active.json"
    prev = store.get_json_or_none(active_key)
    if prev is not None:
        try:
            status = Run(store, str(prev["run_id"])).state()["status"]
        except RunError:  # the run's files were deleted: nothing is running
            status = None
        if status is not None and status not in TERMINAL:
            return {
                "skipped": f"{name}: previous run {prev['run_id']} is still {status}; "
                f"slot {slot} not started"
            }
    if not store.put_json_if_absent(f"schedules/{name}/{slot}.json", {"at": utcnow()}):
        return {"skipped": f"{name} already started for {slot}"}
    cfg = load_config(config_path)
    run = Run.create(store, cfg, run_id=f"{name}-{slot}")
    store.put_json(active_key, {"run_id": run.id, "slot": slot, "at": utcnow()})
    gen = submit(run)
    return {"run_id": run.id, "generation": gen}
