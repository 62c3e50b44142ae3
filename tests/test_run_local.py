"""Whole runs in-process (the --local path and the demo run the same stage code)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from pipeline.config import load_config
from pipeline.engine import execute_shard, plan_stage, run_local
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.store import LocalStore
from tests.datagen import config_toml, write_dataset
from tests.helpers import assert_accounting, release_files


def make_run(tmp_path: Path, name: str = "store", **cfg_kw: object) -> Run:
    write_dataset(tmp_path / "data", n=600, files=3)
    cfg = load_config(config_toml(tmp_path, **cfg_kw))  # type: ignore[arg-type]
    return Run.create(LocalStore(tmp_path / name), cfg, "run-1")


def test_local_run_publishes_a_release_with_manifest(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    state = run_local(run)
    assert state["status"] == "succeeded", state
    counts = assert_accounting(run)
    assert counts["ingest"]["in"] == 600
    store = run.store
    files = release_files(store, "testset")
    manifest = json.loads(files["manifest.json"])
    assert set(files) == {
        "manifest.json", "train.parquet", "validation.parquet", "test.parquet",
        "train.jsonl", "validation.jsonl", "test.jsonl", "README.md", "report.html",
    }  # fmt: skip
    rows = {s: v["rows"] for s, v in manifest["splits"].items()}
    assert sum(rows.values()) == counts["split"]["kept"]
    assert 0.6 < rows["train"] / sum(rows.values()) < 0.8
    assert manifest["gate"]["passed"] is True
    for f in manifest["files"]:
        import hashlib

        assert hashlib.sha256(files[f["path"]]).hexdigest() == f["sha256"]
    # records are whole and carry annotations; groups never straddle splits
    group_split: dict[str, str] = {}
    crisis = 0
    for split in ("train", "validation", "test"):
        p = tmp_path / f"{split}.parquet"
        p.write_bytes(files[f"{split}.parquet"])
        for rec in read_parquet(p):
            assert rec["split"] == split
            assert group_split.setdefault(rec["group"], split) == split
            crisis += bool(rec["crisis"])
        jsonl = files[f"{split}.jsonl"].decode().splitlines()
        assert len(jsonl) == rows[split]
    assert crisis > 0


def test_same_input_twice_gives_byte_identical_release(tmp_path: Path) -> None:
    a = make_run(tmp_path, "store-a")
    b = Run.create(LocalStore(tmp_path / "store-b"), a.config, "another-run-id")
    assert run_local(a)["status"] == "succeeded"
    assert run_local(b)["status"] == "succeeded"
    fa, fb = release_files(a.store, "testset"), release_files(b.store, "testset")
    assert fa == fb


def test_resume_skips_shards_with_markers(tmp_path: Path) -> None:
    reference = make_run(tmp_path, "ref")
    assert run_local(reference)["status"] == "succeeded"

    run = Run.create(LocalStore(tmp_path / "resumed"), reference.config, "run-2")
    shards = plan_stage(run, "ingest")
    for s in shards[: len(shards) // 2]:  # an interrupted first attempt
        execute_shard(run, "ingest", s.id)
    assert run.attempts("ingest") == len(shards) // 2
    assert run_local(run)["status"] == "succeeded"
    assert run.attempts("ingest") == len(shards)  # the done half did not run again
    assert run.attempts("preprocess") == len(plan_stage(run, "preprocess"))
    assert release_files(run.store, "testset") == release_files(reference.store, "testset")
    # resuming a finished run does no work at all
    before = {s: run.attempts(s) for s in ("ingest", "preprocess", "annotate", "split")}
    assert run_local(run)["status"] == "succeeded"
    assert {s: run.attempts(s) for s in before} == before


def test_gate_below_threshold_publishes_nothing(tmp_path: Path) -> None:
    gold = tmp_path / "hard_gold.csv"
    lines = ["text,label"]
    lines += [f"I bought {n} apples at the market this morning,1" for n in range(30)]
    lines += [f"The bus was {n} minutes late again today,0" for n in range(10)]
    gold.write_text("\n".join(lines) + "\n")
    run = make_run(tmp_path, gold=f'"{gold}"')
    state = run_local(run)
    assert state["status"] == "blocked"
    assert "sensitivity" in state["reason"] and "below the threshold" in state["reason"]
    assert list(run.store.list_keys("releases")) == []
    gate = run.store.get_json(run.key("gate.json"))
    assert gate["passed"] is False
    assert "BLOCKED" in run.store.get(run.key("gate.txt")).decode()


def test_gate_needs_enough_positives(tmp_path: Path) -> None:
    run = make_run(tmp_path, gold="", min_positives=1000)
    state = run_local(run)
    assert state["status"] == "blocked"
    assert "at least 1000" in state["reason"]
    assert list(run.store.list_keys("releases")) == []


def test_cancel_stops_the_run_and_resume_finishes_it(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    calls = []

    def cancel_after_first(stage: str, done: int, total: int) -> None:
        calls.append((stage, done))
        if len(calls) == 1:
            run.cancel()

    state = run_local(run, progress=cancel_after_first)
    assert state["status"] == "cancelled"
    assert len(calls) == 1
    assert list(run.store.list_keys("releases")) == []
    assert run.attempts("ingest") == 1
    assert run_local(run)["status"] == "succeeded"
    assert_accounting(run)


def test_two_concurrent_finalizers_publish_one_release(tmp_path: Path) -> None:
    from pipeline.release import finalize

    run = make_run(tmp_path)
    run_local(run)
    run.store.delete(run.key("published.json"))
    states = []
    threads = [
        threading.Thread(target=lambda: states.append(finalize(Run(run.store, run.id))))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [s["status"] for s in states] == ["succeeded"] * 3
    versions = run.store.children("releases/testset")
    assert len(versions) == 1


def test_crash_looping_shard_is_dead_lettered_not_retried_forever(tmp_path: Path) -> None:
    import pytest

    from pipeline.engine import ShardPoisoned

    run = make_run(tmp_path)
    shard = plan_stage(run, "ingest")[0]
    for i in range(3):  # three deliveries that started and never finished (worker killed)
        run.store.put_json(run.key("ingest", "attempts", shard.id, f"4-crash{i}.json"), {})
    with pytest.raises(ShardPoisoned, match="started 3 times in generation 4"):
        execute_shard(run, "ingest", shard.id, generation=4, max_attempts=3)
    # a new generation (after the cause is fixed and the run resumed) starts afresh
    assert execute_shard(run, "ingest", shard.id, generation=5, max_attempts=3)["counts"]["in"] > 0


def test_regate_after_detector_change_recomputes_only_annotate_and_split(
    tmp_path: Path,
) -> None:
    import pytest

    from pipeline.engine import reset_stages
    from pipeline.safety import default_detector

    run = make_run(tmp_path)
    det = default_detector()
    from pipeline.engine import complete_stage

    with pytest.MonkeyPatch.context() as mp:  # annotate with an older detector
        mp.setattr(det, "version", "0.0.1-old")
        from pipeline.stages import STAGE_ORDER

        for stage in STAGE_ORDER:  # every stage, dedup included
            for shard in plan_stage(run, stage):
                execute_shard(run, stage, shard.id)
            complete_stage(run, stage)
    first = run_local(run)  # then the gate runs with the current one
    # the detector changed since the records were annotated: the gate refuses stale labels
    assert first["status"] == "blocked"
    assert "0.0.1-old" in first["reason"]
    assert "--reannotate" in first["reason"]
    assert list(run.store.list_keys("releases")) == []
    before = {s: run.attempts(s) for s in ("ingest", "preprocess", "annotate", "split")}
    assert reset_stages(run, "annotate") == ["annotate", "split"]
    assert run_local(run)["status"] == "succeeded"
    after = {s: run.attempts(s) for s in before}
    assert after["ingest"] == before["ingest"]
    assert after["preprocess"] == before["preprocess"]
    assert after["annotate"] == 2 * before["annotate"]
    assert run.stage_done("annotate")["info"]["detector"] == [f"{det.name} {det.version}"]
    gate = run.store.get_json(run.key("gate.json"))
    assert gate["gold_sets"][0]["per_category"]
    assert len(gate["total"]["sensitivity_ci"]) == 2
    with pytest.raises(Exception, match="already published"):
        reset_stages(run, "annotate")
