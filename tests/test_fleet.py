"""The real fleet: redis-server on loopback, a Celery worker, boto3 to a real S3 server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_config
from pipeline.engine import execute_shard, plan_stage, run_local
from pipeline.runs import Run
from pipeline.store import LocalStore, open_store
from tests.datagen import config_toml, write_dataset
from tests.helpers import assert_accounting, release_files
from workers.control import submit, wait

pytestmark = pytest.mark.usefixtures("celery_fleet")


def fleet_run(tmp_path: Path, store_spec: str, run_id: str, **kw: Any) -> Run:
    write_dataset(tmp_path / "data", n=600, files=3)
    cfg = load_config(config_toml(tmp_path, **kw))
    return Run.create(open_store(store_spec), cfg, run_id)


def test_fleet_run_on_s3_matches_the_local_run_byte_for_byte(
    tmp_path: Path, s3_store_spec: str
) -> None:
    run = fleet_run(tmp_path, s3_store_spec, "fleet-1")
    submit(run)
    state = wait(run, timeout=120)
    assert state["status"] == "succeeded", state
    counts = assert_accounting(run)
    assert counts["ingest"]["in"] == 600
    assert len(plan_stage(run, "ingest")) >= 6  # really multi-shard
    files = release_files(run.store, "testset")
    assert {"manifest.json", "train.parquet", "test.jsonl"} <= set(files)

    local = Run.create(LocalStore(tmp_path / "local"), run.config, "local-1")
    assert run_local(local)["status"] == "succeeded"
    assert release_files(local.store, "testset") == files
    for stage in ("ingest", "preprocess", "annotate", "split"):
        assert run.attempts(stage) == len(plan_stage(run, stage))


def test_fleet_resume_does_not_redo_finished_shards(tmp_path: Path, s3_store_spec: str) -> None:
    run = fleet_run(tmp_path, s3_store_spec, "fleet-2")
    shards = plan_stage(run, "ingest")
    done = shards[: len(shards) // 2]
    for s in done:
        execute_shard(run, "ingest", s.id)
    submit(run)
    assert wait(run, timeout=120)["status"] == "succeeded"
    assert run.attempts("ingest") == len(shards)
    assert_accounting(run)

    # a redelivered final callback neither republishes nor restarts anything
    from workers.tasks import finish_stage

    gen = run.state()["generation"]
    before = sorted(run.store.list_keys("releases"))
    finish_stage.delay(run.id, "split", gen).get(timeout=30)
    assert run.state()["status"] == "succeeded"
    assert sorted(run.store.list_keys("releases")) == before


def test_fleet_gate_block_publishes_nothing_and_says_why(
    tmp_path: Path, s3_store_spec: str
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(
            f'{{"text": "I walked the dog around the park {i} times", "label": 1}}\n'
            for i in range(25)
        )
    )
    run = fleet_run(tmp_path, s3_store_spec, "fleet-3", gold=f'"{gold}"')
    submit(run)
    state = wait(run, timeout=120)
    assert state["status"] == "blocked"
    assert "below the threshold" in state["reason"]
    assert list(run.store.list_keys("releases")) == []


def test_failing_shard_is_dead_lettered_and_resume_fixes_it(
    tmp_path: Path, s3_store_spec: str
) -> None:
    run = fleet_run(tmp_path, s3_store_spec, "fleet-4")
    missing = Path(run.config.source.paths[0].replace("*.jsonl", "part-1.jsonl"))
    saved = missing.read_bytes()
    plan_stage(run, "ingest")
    missing.unlink()  # a worker can no longer read one input file
    submit(run)
    state = wait(run, timeout=120)
    assert state["status"] == "failed"
    assert "ingest/" in state["reason"] and "not readable" in state["reason"]
    failures = run.failures()
    assert failures and failures[0]["stage"] == "ingest"
    missing.write_bytes(saved)  # the cause is fixed
    submit(run)
    assert wait(run, timeout=120)["status"] == "succeeded"
    assert_accounting(run)
    assert run.failures() == []
