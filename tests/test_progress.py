from __future__ import annotations

import io
from pathlib import Path

from pipeline.config import load_config
from pipeline.engine import execute_shard, plan_stage, run_local
from pipeline.progress import ProgressTracker
from pipeline.runs import Run
from pipeline.store import LocalStore
from tests.datagen import config_toml, write_dataset


def test_progress_counts_shards_records_and_finishes(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", n=300, files=3)
    run = Run.create(LocalStore(tmp_path / "s"), load_config(config_toml(tmp_path)), "p-1")
    shards = plan_stage(run, "ingest")
    for s in shards[:2]:
        execute_shard(run, "ingest", s.id)
    out = io.StringIO()
    tracker = ProgressTracker(run, out=out, tty=False)
    tracker.render(tracker.poll())
    ingest = tracker.stages["ingest"]
    assert (ingest.done, ingest.total) == (2, len(shards))
    assert ingest.records_in == ingest.records_out > 0
    assert f"ingest 2/{len(shards)} shards" in out.getvalue()

    bar = io.StringIO()
    ProgressTracker(run, out=bar, tty=True).render(tracker.poll())
    assert "[" in bar.getvalue()
    assert "\r" in bar.getvalue()

    run_local(run)
    final = ProgressTracker(run, out=out, tty=False).follow(timeout=10)
    assert final["status"] == "succeeded"
    assert "split done (300 records)" in out.getvalue().splitlines()[-1]


def test_status_watch_follows_to_the_end(tmp_path: Path, capsys: object) -> None:
    from workers.cli import main

    write_dataset(tmp_path / "data", n=120, files=1)
    run = Run.create(LocalStore(tmp_path / "s"), load_config(config_toml(tmp_path)), "w-1")
    run_local(run)
    assert (
        main(["status", "w-1", "--watch", "--timeout", "10", "--store", str(tmp_path / "s")]) == 0
    )
