"""Assertions shared by the run tests."""

from __future__ import annotations

from typing import Any

from pipeline.ledger import check_counts
from pipeline.runs import Run
from pipeline.stages import STAGE_ORDER
from pipeline.stages.base import output_rows
from pipeline.store import Store


def release_files(store: Store, dataset: str) -> dict[str, bytes]:
    """Every file of the latest release of ``dataset``, by name."""
    latest = store.get_json(f"releases/{dataset}/latest.json")
    prefix = f"releases/{dataset}/{latest['version']}/"
    return {k[len(prefix) :]: store.get(k) for k in store.list_keys(prefix)}


def assert_accounting(run: Run) -> dict[str, Any]:
    """records in = kept + filtered + errored for every stage, and each stage's input is
    exactly the rows the previous stage wrote: its kept records, except that a record a 1:N
    step split into chunks is kept once and adds its chunks (``output_rows``); every shard
    has a marker."""
    prev_kept = None
    summaries = {}
    for stage in STAGE_ORDER:
        done = run.stage_done(stage)
        assert done is not None, f"stage {stage} has no summary"
        c = done["counts"]
        check_counts(c, stage)
        if prev_kept is not None:
            assert c["in"] == prev_kept, f"{stage} read {c['in']} but upstream wrote {prev_kept}"
        prev_kept = output_rows(c)
        plan = run.plan(stage)
        assert plan is not None
        assert run.markers_done(stage) == {s.id for s in plan}
        summaries[stage] = c
    return summaries


def check_run_accounting(run: Run) -> None:
    """The invariant on whatever stages of ``run`` finished (runs may stop early)."""
    from pipeline.store import StoreError

    prev_kept = None
    for stage in STAGE_ORDER:
        try:
            done = run.stage_done(stage)
        except StoreError:  # the test broke the store on purpose
            return
        if done is None:
            return
        c = done["counts"]
        check_counts(c, f"run {run.id} stage {stage}")
        if prev_kept is not None:
            assert c["in"] == prev_kept, (
                f"run {run.id}: {stage} read {c['in']}, upstream wrote {prev_kept}"
            )
        prev_kept = output_rows(c)
