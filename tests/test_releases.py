"""Reading releases: list, show, diff, and loading a split with pyarrow and pandas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.engine import run_local
from pipeline.releases import ReleaseError, diff, list_releases, load_release, resolve
from pipeline.runs import Run
from pipeline.store import LocalStore
from tests.conftest import write_jsonl
from tests.datagen import config_toml, make_records
from workers.cli import main


def test_list_show_diff_and_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = LocalStore(tmp_path / "store")
    rows = make_records(600)
    write_jsonl(tmp_path / "data" / "a.jsonl", rows[:400])
    cfg = config_toml(tmp_path)
    first = Run.create(store, load_config(cfg), "r-1")
    assert run_local(first)["status"] == "succeeded"
    _, v1 = resolve("testset", store)
    write_jsonl(tmp_path / "data" / "b.jsonl", rows[400:])  # new data arrives
    second = Run.create(store, load_config(cfg), "r-2")
    assert run_local(second)["status"] == "succeeded"
    _, v2 = resolve("testset", store)
    assert v1 != v2

    listed = {r["version"]: r for r in list_releases(store)}
    assert set(listed) == {v1, v2}
    assert listed[v2]["latest"]
    assert not listed[v1]["latest"]

    table = load_release("testset", v2, "train", store)
    df = load_release("testset", split="train", store=store, as_="pandas")
    assert table.num_rows == len(df) == listed[v2]["rows"]["train"]
    assert "messages" in table.column_names
    assert set(df["split"]) == {"train"}
    with pytest.raises(ReleaseError):
        load_release("testset", "v-nope", "train", store)

    d = diff(f"testset@{v1}", "testset", store)
    assert d["added"] == 200
    assert d["removed"] == 0
    assert d["moved_between_splits"] == 0  # new data never moves old records
    assert sum(v["b"] - v["a"] for v in d["counts"]["split"].values()) == 200

    assert main(["releases", "list", "--store", str(store.root)]) == 0
    assert f"testset@{v2}  (latest)" in capsys.readouterr().out
    assert main(["releases", "show", "testset", "--store", str(store.root)]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == v2
    assert (
        main(["releases", "diff", f"testset@{v1}", f"testset@{v2}", "--store", str(store.root)])
        == 0
    )
    assert "records added 200, removed 0, moved between splits 0" in capsys.readouterr().out
    assert main(["releases", "show", "nothing-here", "--store", str(store.root)]) == 2
