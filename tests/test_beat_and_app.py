"""Celery settings users rely on, and periodic runs from the beat schedule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.datagen import config_toml, write_dataset


def test_celery_app_is_json_only_late_ack_prefetch_one() -> None:
    from workers.app import VISIBILITY_TIMEOUT, app

    c = app.conf
    assert c.task_serializer == c.result_serializer == "json"
    assert c.accept_content == ["json"]
    assert c.task_acks_late is True
    assert c.task_reject_on_worker_lost is True
    assert c.worker_prefetch_multiplier == 1
    # Redis must never redeliver a task that is still running or waiting for its retry
    assert c.broker_transport_options["visibility_timeout"] == VISIBILITY_TIMEOUT
    assert c.task_time_limit + 300 * 2 < VISIBILITY_TIMEOUT
    route = app.amqp.router.route
    assert route({}, "pipeline.ingest.shard")["queue"].name == "io"
    assert route({}, "pipeline.annotate.shard")["queue"].name == "cpu"
    assert route({}, "pipeline.flow.finish_stage")["queue"].name == "control"


def test_beat_schedule_from_file(tmp_path: Path) -> None:
    from beat_schedule import load_schedule

    sched = tmp_path / "schedule.toml"
    sched.write_text('[[harvest]]\nname = "corpus"\nconfig = "run.toml"\ncron = "15 */6 * * 1-5"\n')
    entries = load_schedule(sched)
    entry = entries["harvest-corpus"]
    assert entry["task"] == "pipeline.flow.scheduled_run"
    assert entry["args"] == ("corpus", str((tmp_path / "run.toml").resolve()))
    assert entry["schedule"].minute == {15}
    assert entry["schedule"].hour == {0, 6, 12, 18}
    sched.write_text('[[harvest]]\nname = "x"\ncron = "* * *"\n')
    with pytest.raises(ValueError, match="lacks config"):
        load_schedule(sched)
    assert load_schedule(tmp_path / "missing.toml") == {}


@pytest.mark.usefixtures("celery_fleet")
def test_scheduled_run_starts_once_per_slot_and_finishes(
    tmp_path: Path, s3_store_spec: str
) -> None:
    from pipeline.runs import Run
    from pipeline.store import open_store
    from workers.control import wait
    from workers.tasks import scheduled_run

    write_dataset(tmp_path / "data", n=120, files=1)
    cfg = config_toml(tmp_path)
    first = scheduled_run.delay("nightly", str(cfg)).get(timeout=30)
    second = scheduled_run.delay("nightly", str(cfg)).get(timeout=30)
    if "skipped" in first:  # the minute turned between the two messages
        first, second = second, first
    assert "run_id" in first
    assert first["run_id"].startswith("nightly-")
    run = Run(open_store(s3_store_spec), first["run_id"])
    assert wait(run, timeout=60)["status"] == "succeeded"
    if "skipped" not in second:  # only possible across a minute boundary
        assert second["run_id"] != first["run_id"]


@pytest.mark.usefixtures("celery_fleet")
def test_scheduled_harvest_never_overlaps_the_previous_run_of_its_schedule(
    tmp_path: Path, s3_store_spec: str
) -> None:
    import datetime as dt

    from pipeline.config import load_config
    from pipeline.runs import Run
    from pipeline.store import open_store
    from workers.control import start_scheduled, wait

    write_dataset(tmp_path / "data", n=60, files=1)
    cfg = config_toml(tmp_path)
    store = open_store(s3_store_spec)
    # the schedule's previous harvest, still running
    old = Run.create(store, load_config(cfg), run_id="weekly-old")
    old.set_state("running", stage="ingest")
    store.put_json("schedules/weekly/active.json", {"run_id": old.id})
    t1 = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    res = start_scheduled(store, "weekly", str(cfg), now=t1)
    assert res == {
        "skipped": "weekly: previous run weekly-old is still running; slot 20261207-0600 "
        "not started"
    }
    assert not store.exists("schedules/weekly/20261207-0600.json")  # the slot is not used up
    old.set_state("succeeded")
    res = start_scheduled(store, "weekly", str(cfg), now=t1)
    assert res["run_id"] == "weekly-20261207-0600"
    assert store.get_json("schedules/weekly/active.json")["run_id"] == res["run_id"]
    # while it runs, the next slot is skipped; afterwards the next slot starts
    t2 = t1 + dt.timedelta(hours=1)
    if Run(store, res["run_id"]).state()["status"] not in ("succeeded", "failed"):
        assert "still" in start_scheduled(store, "weekly", str(cfg), now=t2)["skipped"]
    assert wait(Run(store, res["run_id"]), timeout=60)["status"] == "succeeded"
    nxt = start_scheduled(store, "weekly", str(cfg), now=t2)
    assert nxt["run_id"] == "weekly-20261207-0700"
    assert wait(Run(store, nxt["run_id"]), timeout=60)["status"] == "succeeded"


@pytest.mark.usefixtures("celery_fleet")
def test_doctor_reports_a_healthy_fleet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workers.cli import main

    assert main(["doctor", "--store", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    for name in ("store", "broker", "result backend", "queue control", "queue io", "queue cpu"):
        assert f"ok   {name}" in out


def test_doctor_says_what_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_S3_MAX_ATTEMPTS", "1")
    from pipeline.store import open_store
    from workers.app import app
    from workers.doctor import check_fleet, check_store

    probe = app.__class__(broker="redis://127.0.0.1:1/0", backend="redis://127.0.0.1:1/0")
    checks = check_fleet(probe, timeout=0.5)
    assert checks[0].name == "broker"
    assert not checks[0].ok
    assert "PIPELINE_BROKER_URL" in checks[0].fix
    bad = open_store(
        "s3://no-such-bucket-doctor/x", env={"PIPELINE_S3_ENDPOINT": "http://127.0.0.1:1"}
    )
    c = check_store(bad)
    assert not c.ok
    assert "PIPELINE_STORE" in c.fix
