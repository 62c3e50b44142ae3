"""Exactly-once results under at-least-once delivery: real processes, real kills, real
faults between the workers and the S3 server."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from pipeline.config import load_config
from pipeline.engine import run_local
from pipeline.records import read_parquet
from pipeline.runs import TERMINAL, Run
from pipeline.stages import STAGE_ORDER
from pipeline.store import LocalStore, Store, open_store
from tests.conftest import RedisServer
from tests.datagen import config_toml, write_dataset
from tests.faultproxy import FaultProxy
from tests.helpers import assert_accounting, release_files
from tests.procs import Worker, cli, fleet_env, wait_state

pytestmark = pytest.mark.slow

# Longer limits than fleet_env's 5 s: the release step (gate, dataset card, HTML report,
# publishing through the fault proxy) can exceed 5 s on a loaded 2-core machine, and a soft
# time limit there would fail the run for reasons no test is about.
SLOW = {"PIPELINE_TASK_TIME_LIMIT": "30", "PIPELINE_VISIBILITY_TIMEOUT": "60"}
# for the kill test: redelivery still comes quickly, and the release step has room
QUICK_REDELIVERY = {"PIPELINE_TASK_TIME_LIMIT": "12", "PIPELINE_VISIBILITY_TIMEOUT": "14"}


@dataclass
class Rig:
    tmp: Path
    redis: RedisServer
    proxy: FaultProxy
    spec: str
    store: Store  # direct to the S3 server (the test's view), not through the proxy
    cfg: Path
    expected: dict[str, bytes]
    workers: list[Worker]

    def env(self, **extra: str) -> dict[str, str]:
        return fleet_env(self.redis.url, self.spec, self.proxy.url, **extra)

    def worker(self, name: str, **extra: str) -> Worker:
        w = Worker(name, self.env(**extra), self.tmp).start()
        self.workers.append(w)
        return w

    def run(self, run_id: str) -> Run:
        return Run(self.store, run_id)


@pytest.fixture(scope="module")
def rig_input(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The rig's input files and config, and their in-process release: one copy for every test
    of this module (shard ids hash the input's path, so the runs must read the same files)."""
    base = tmp_path_factory.mktemp("faults-input")
    write_dataset(base / "data", n=600, files=3)
    cfg = config_toml(base, shard_mb=0.04)  # 2 shards per file: 6 per stage
    ref = Run.create(LocalStore(base / "reference"), load_config(cfg), "reference")
    assert run_local(ref)["status"] == "succeeded"
    return cfg, release_files(ref.store, "testset")


@pytest.fixture
def rig(
    tmp_path: Path, s3_endpoint: str, rig_input: tuple[Path, dict[str, bytes]]
) -> Iterator[Rig]:
    redis = RedisServer(tmp_path)
    redis.start()
    proxy = FaultProxy(s3_endpoint)
    bucket = f"faults-{uuid.uuid4().hex[:10]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    spec = f"s3://{bucket}/p"
    cfg, expected = rig_input
    store = open_store(spec, env={"PIPELINE_S3_ENDPOINT": s3_endpoint})
    r = Rig(tmp_path, redis, proxy, spec, store, cfg, expected, [])
    try:
        yield r
    finally:
        for w in r.workers:
            w.stop()
        proxy.close()
        redis.stop()


def start(rig: Rig, run_id: str, **env: str) -> Run:
    res = cli("run", str(rig.cfg), "--run-id", run_id, env=rig.env(**env))
    assert res.returncode == 0, res.stderr
    return rig.run(run_id)


def assert_release_exact(rig: Rig, run: Run) -> None:
    files = release_files(run.store, "testset")
    assert files == rig.expected
    ids: list[str] = []
    for split in ("train", "validation", "test"):
        p = rig.tmp / f"check-{split}.parquet"
        p.write_bytes(files[f"{split}.parquet"])
        ids.extend(r["id"] for r in read_parquet(p))
    assert len(ids) == len(set(ids))  # no duplicate
    assert len(ids) == assert_accounting(run)["split"]["kept"]  # none missing


def shard_of(path: str) -> str:
    return path.rsplit("/", 1)[1].split("?")[0].removesuffix(".json")


def test_worker_sigkill_mid_shard_is_redelivered_and_release_is_identical(rig: Rig) -> None:
    rig.proxy.drop_held = True  # the killed worker's marker write never lands
    rig.proxy.add("hold", r"/preprocess/markers/", method="PUT", times=1)
    w1 = rig.worker("w1", **QUICK_REDELIVERY)
    run = start(rig, "kill-1", **QUICK_REDELIVERY)
    assert rig.proxy.held.wait(60), "no shard reached its marker write"
    w1.kill()  # SIGKILL of the whole worker while it holds the shard
    rig.proxy.release.set()
    rig.workers.remove(w1)
    rig.worker("w2", **QUICK_REDELIVERY)  # a new worker: redelivery after the visibility timeout
    state = wait_state(run, TERMINAL, timeout=120)
    assert state["status"] == "succeeded", state
    assert_release_exact(rig, run)
    held = shard_of(rig.proxy.held_paths[0])
    assert run.attempts("preprocess", held) >= 2  # its work really ran again


def test_redis_lost_mid_run_resume_rebuilds_from_markers(rig: Rig) -> None:
    rig.proxy.add("hold", r"/annotate/markers/", method="PUT", times=1)
    rig.worker("w1", **SLOW)
    run = start(rig, "redis-1", **SLOW)
    assert rig.proxy.held.wait(60)
    rig.redis.stop()  # Redis restarted with its data gone: queues and chord state lost
    rig.redis.start()
    rig.proxy.release.set()
    # A worker may die of the lost connection (kombu 5.7: AttributeError in restore_unacked
    # on close, "Unrecoverable error"); in production its supervisor restarts it
    # (compose: restart: unless-stopped). A second worker stands in for that restart.
    rig.worker("w2", **SLOW)
    done_before = {s: run.markers_done(s) for s in ("ingest", "preprocess", "annotate")}
    attempts_before = {s: {sh: run.attempts(s, sh) for sh in done_before[s]} for s in done_before}
    assert run.stage_done("preprocess") is not None
    res = cli("resume", run.id, "--wait", "--timeout", "120", env=rig.env(**SLOW))
    assert res.returncode == 0, res.stdout + res.stderr
    assert run.state()["status"] == "succeeded"
    for stage, shards in attempts_before.items():
        for shard, n in shards.items():  # finished shards were not recomputed
            assert run.attempts(stage, shard) == n, (stage, shard)
    assert_release_exact(rig, run)


def test_transient_s3_faults_are_retried_with_two_workers(rig: Rig) -> None:
    rig.proxy.stall_seconds = 3.0  # > PIPELINE_S3_READ_TIMEOUT=2
    rig.proxy.add("503", r".*", every=10)
    rig.proxy.add("500", r".*", method="PUT", every=15)
    rig.proxy.add("reset", r".*", times=4, every=5)
    rig.proxy.add("timeout", r".*", method="GET", times=2, every=3)
    rig.worker("w1", **SLOW)
    rig.worker("w2", **SLOW)
    run = start(rig, "faults-1", **SLOW)
    state = wait_state(run, TERMINAL, timeout=180)
    assert state["status"] == "succeeded", state
    assert set(rig.proxy.injected) == {"503", "500", "reset", "timeout"}
    assert sum(rig.proxy.injected.values()) > 20
    assert_release_exact(rig, run)
    # worker logs: JSON lines carrying run, stage, shard, task and correlation ids; no secret
    text = "".join(w.log.read_text() for w in rig.workers)
    assert os.environ["AWS_SECRET_ACCESS_KEY"] not in text
    docs = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    shard_lines = [d for d in docs if d.get("run_id") == "faults-1" and d.get("shard")]
    assert shard_lines
    for d in shard_lines:
        assert d["stage"] in STAGE_ORDER
        assert d["task_id"]
        assert d["correlation_id"] == "faults-1.g1"


def test_permanent_s3_errors_fail_fast_and_say_what_to_fix(rig: Rig) -> None:
    rig.proxy.add("403", r"/ingest/out/", method="PUT")
    rig.worker("w1")
    run = start(rig, "denied-1")
    state = wait_state(run, TERMINAL, timeout=30)
    assert state["status"] == "failed"
    bucket = rig.spec.split("/")[2]
    for needle in ("AccessDenied", bucket, rig.proxy.url, "AWS_ACCESS_KEY_ID"):
        assert needle in state["reason"]
    assert rig.proxy.injected["403"] <= 4  # no retry storm on a permanent error
    rig.proxy.add("403", r".*")  # now nothing is allowed: the CLI says so at once
    res = cli("run", str(rig.cfg), "--run-id", "denied-2", env=rig.env())
    assert res.returncode == 2
    assert "AccessDenied" in res.stderr
    assert bucket in res.stderr


def test_shard_that_keeps_failing_is_dead_lettered_then_resumed(rig: Rig) -> None:
    rig.proxy.add("503", r"/split/out/unit-part-1-0001-[^/]+/train\.parquet", method="PUT")
    env = {**SLOW, "PIPELINE_TASK_MAX_RETRIES": "2", "PIPELINE_S3_MAX_ATTEMPTS": "2"}
    rig.worker("w1", **env)
    run = start(rig, "poison-1", **env)
    state = wait_state(run, TERMINAL, timeout=120)
    assert state["status"] == "failed", state
    assert state["stage"] == "split"
    assert state["failed_shard"].startswith("unit-part-1-0001-")
    failures = run.failures()
    assert len(failures) == 1
    assert "SlowDown" in failures[0]["error"]
    assert run.attempts("split", state["failed_shard"]) == 3  # 1 + 2 bounded retries
    status = cli("status", run.id, env=rig.env(**env))
    assert "FAILED split/" in status.stdout
    assert list(run.store.list_keys("releases")) == []
    rig.proxy.clear()  # the cause is fixed
    res = cli("resume", run.id, "--wait", "--timeout", "120", env=rig.env(**env))
    assert res.returncode == 0, res.stdout + res.stderr
    assert_release_exact(rig, run)


def test_cancel_publishes_nothing_and_resume_finishes(rig: Rig) -> None:
    rig.proxy.add("hold", r"/annotate/markers/", method="PUT", times=1)
    rig.worker("w1", **SLOW)
    run = start(rig, "cancel-1", **SLOW)
    assert rig.proxy.held.wait(60)
    res = cli("cancel", run.id, env=rig.env(**SLOW))
    assert res.returncode == 0, res.stderr
    rig.proxy.release.set()
    state = wait_state(run, {"cancelled"}, timeout=30)
    assert "nothing published" in state["reason"]
    import time

    time.sleep(2)  # in-flight shards drain; nothing further starts
    assert run.stage_done("split") is None
    assert list(run.store.list_keys("releases")) == []
    res = cli("resume", run.id, "--wait", "--timeout", "120", env=rig.env(**SLOW))
    assert res.returncode == 0, res.stdout + res.stderr
    assert_release_exact(rig, run)


def test_two_resumes_at_once_publish_exactly_one_release(rig: Rig) -> None:
    rig.worker("w1", **SLOW)
    rig.worker("w2", **SLOW)
    run = Run.create(rig.store, load_config(rig.cfg), "twice-1")
    results: list[int] = []

    def resume() -> None:
        results.append(
            cli("resume", run.id, "--wait", "--timeout", "120", env=rig.env(**SLOW)).returncode
        )

    threads = [threading.Thread(target=resume) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 0 in results
    assert set(results) <= {0, 2}  # 2 = "being resumed by someone else right now"
    assert run.state()["status"] == "succeeded"
    versions = run.store.children("releases/testset")
    assert len(versions) == 1
    assert_release_exact(rig, run)


def test_sigterm_finishes_the_current_shard_and_loses_nothing(rig: Rig) -> None:
    rig.proxy.add("hold", r"/preprocess/markers/", method="PUT", times=1)
    w1 = rig.worker("w1", **SLOW)
    run = start(rig, "term-1", **SLOW)
    assert rig.proxy.held.wait(60)
    w1.terminate()  # warm shutdown while a shard is half written
    time.sleep(1)
    rig.proxy.release.set()  # the shard's last write goes through
    assert w1.wait_exit(30) == 0
    rig.workers.remove(w1)
    held = shard_of(rig.proxy.held_paths[0])
    assert run.marker("preprocess", held) is not None  # the shard finished before exit
    assert run.state()["status"] not in TERMINAL  # the rest waits for a worker
    rig.worker("w2", **SLOW)  # messages the first worker had not started are still queued
    state = wait_state(run, TERMINAL, timeout=120)
    assert state["status"] == "succeeded", state
    assert run.attempts("preprocess", held) == 1  # finished once, not redone
    assert_release_exact(rig, run)
