"""The `pipeline` management command, called as users call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workers.cli import main


def test_demo_runs_the_whole_pipeline_without_redis_or_s3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_BROKER_URL", "redis://127.0.0.1:1/0")  # unreachable: unused
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "succeeded" in text
    assert "release gate: passed" in text
    manifests = list(out.glob("releases/sample-therapy/*/manifest.json"))
    assert len(manifests) == 1
    manifest = json.loads(manifests[0].read_text())
    assert sum(s["rows"] for s in manifest["splits"].values()) > 250
    assert manifest["stages"]["preprocess"]["filtered"]  # the sample shows filtering
    run_id = text.split("pipeline status ")[1].split()[0]
    assert main(["status", run_id, "--store", str(out)]) == 0
    status = capsys.readouterr().out
    assert "ingest" in status and "kept" in status
    assert main(["runs", "--store", str(out)]) == 0
    assert run_id in capsys.readouterr().out


def test_detect_prints_one_json_line_per_text_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    texts = ["I want to kill myself tonight", "this traffic is killing me", "lovely weather"]
    assert main(["detect", *texts]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["text"] for x in lines] == texts
    assert [x["crisis"] for x in lines] == [True, False, False]
    span = lines[0]["spans"][0]
    assert texts[0][span["start"] : span["end"]] == span["text"]
    for x in lines:
        assert {"crisis", "score", "categories", "spans"} <= set(x)


def test_detect_reads_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workers.cli", "detect"],
        input="I took all my pills an hour ago\nhello there\n",
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["crisis"] for x in lines] == [True, False]


def test_gate_evaluate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.safety import builtin_gold_paths

    gold = builtin_gold_paths()[0]
    assert main(["gate", "evaluate", str(gold)]) == 0
    assert "sensitivity" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\n" + "".join(f"I like apple number {i},1\n" for i in range(10)))
    assert main(["gate", "evaluate", str(bad), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["sensitivity"] == 0.0
    assert doc["passed"] is False
    assert "+contextual" in doc["detector"]  # the default kind, named in the report


def test_gate_evaluate_detector_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    """--detector picks the kind a run's annotate.detector would; the report names it."""
    dev = Path(__file__).resolve().parent.parent / "bench" / "data" / "counselling_eval.csv"
    docs = {}
    for kind in ("contextual", "rules"):
        main(["gate", "evaluate", str(dev), "--json", "--detector", kind])
        docs[kind] = json.loads(capsys.readouterr().out)
    assert docs["contextual"]["detector"].startswith("rules+scorer+contextual ")
    assert docs["rules"]["detector"].startswith("rules+scorer ")
    # the contextual stage catches crisis talk in the counselling register that the cheap
    # layers miss (README: 0.96 against 0.78 on this set)
    assert docs["contextual"]["sensitivity"] > docs["rules"]["sensitivity"]


def test_bad_config_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[source]\npaths = ["x.jsonl"]\ntypo = 1\n')
    assert main(["run", str(cfg), "--local", "--store", str(tmp_path / "s")]) == 2
    assert "unknown key(s) typo" in capsys.readouterr().err
    assert main(["status", "no-such-run", "--store", str(tmp_path / "s")]) == 2
    assert "not found" in capsys.readouterr().err


def test_run_local_and_cancel_resume_via_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.datagen import config_toml, write_dataset

    write_dataset(tmp_path / "data", n=200, files=2)
    cfg = config_toml(tmp_path)
    store = str(tmp_path / "s")
    assert main(["run", str(cfg), "--local", "--run-id", "cli-1", "--store", store]) == 0
    assert "succeeded" in capsys.readouterr().out
    assert main(["status", "cli-1", "--json", "--store", store]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["state"]["status"] == "succeeded"
    assert doc["release"]["prefix"].startswith("releases/testset/")
    assert main(["cancel", "cli-1", "--store", store]) == 2  # a published run stays published
