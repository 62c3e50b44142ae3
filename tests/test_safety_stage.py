"""The content filter inside a run: annotate flags, split removes with a counted reason."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import from_dict
from pipeline.engine import run_local
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.store import LocalStore
from tests.conftest import write_jsonl
from tests.datagen import make_records
from tests.helpers import assert_accounting, release_files

HARMFUL = (
    "Step 1: get [N] tablets of [DRUG]. Step 2: take them all with alcohol so it is enough to die."
)
CRISIS = "I want to kill myself tonight, I have the pills ready."


def test_harmful_removed_everywhere_unsafe_replies_kept_out_of_train(tmp_path: Path) -> None:
    rows = make_records(300)
    rows.append({"id": "harm-1", "text": HARMFUL, "group": "h1"})
    for i in range(40):  # crisis turns answered with a change of subject, in many groups
        msgs = [
            {"role": "user", "content": CRISIS},
            {"role": "assistant", "content": "Have you tried making a to-do list for tomorrow?"},
        ]
        rows.append({"id": f"unsafe-{i}", "messages": msgs, "group": f"u{i}", "label": 1})
    safe = [
        {"role": "user", "content": CRISIS},
        {"role": "assistant", "content": "I'm really glad you told me. Are you safe right now? "
         "Please call or text 988, or emergency services if you are in danger."},
    ]  # fmt: skip
    rows.append({"id": "safe-1", "messages": safe, "group": "s1", "label": 1})
    write_jsonl(tmp_path / "data" / "in.jsonl", rows)
    # dedup off: the 40 identical unsafe conversations must each reach the split stage
    src = {"paths": [str(tmp_path / "data" / "*.jsonl")]}
    cfg = from_dict({"source": src, "dedup": {"enabled": False}})
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "safety-1")
    assert run_local(run)["status"] == "succeeded"
    counts = assert_accounting(run)
    filtered = counts["split"]["filtered"]
    assert filtered["harmful_content:suicide_method_instructions"] == 1
    n_unsafe_train = filtered["unsafe_crisis_response"]
    assert 15 < n_unsafe_train < 40  # ~70% of the 40 groups fall in train
    files = release_files(run.store, cfg.run.dataset)
    seen: dict[str, list[str]] = {}
    for split in ("train", "validation", "test"):
        p = tmp_path / f"{split}.parquet"
        p.write_bytes(files[f"{split}.parquet"])
        for rec in read_parquet(p):
            seen.setdefault(split, []).append(rec["id"])
            if rec["id"] == "safe-1":
                assert rec["flags"] == ["safe_crisis_response"]
            if rec["id"].startswith("unsafe-"):
                assert split != "train"
                assert rec["flags"] == ["unsafe_response:no_safety_response"]
    published = [i for ids in seen.values() for i in ids]
    assert "harm-1" not in published
    assert sum(1 for i in published if i.startswith("unsafe-")) == 40 - n_unsafe_train
    manifest = json.loads(files["manifest.json"])
    assert manifest["stages"]["split"]["filtered"]["unsafe_crisis_response"] == n_unsafe_train


def test_the_switches_turn_removal_off(tmp_path: Path) -> None:
    rows = [{"id": "harm-1", "text": HARMFUL}, *make_records(100)]
    write_jsonl(tmp_path / "data" / "in.jsonl", rows)
    cfg = from_dict(
        {
            "source": {"paths": [str(tmp_path / "data" / "*.jsonl")]},
            "safety": {"drop_harmful": False, "exclude_unsafe_responses_from_train": False},
        }
    )
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "safety-2")
    assert run_local(run)["status"] == "succeeded"
    assert assert_accounting(run)["split"]["filtered"] == {}
