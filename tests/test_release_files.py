"""What a release folder holds and how it is published: Parquet (zstd, chat-shaped
``messages``) that Hugging Face ``datasets`` loads, JSONL when asked, the manifest, the
dataset card, and a publish that fails half-way without moving ``latest``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import load_config
from pipeline.engine import complete_stage, execute_shard, plan_stage, run_local
from pipeline.records import COLUMNS
from pipeline.release import finalize
from pipeline.releases import ReleaseError, list_releases, load_release, resolve
from pipeline.runs import Run
from pipeline.stages import STAGE_ORDER
from pipeline.store import LocalStore, S3Store, Store, StoreError
from tests.conftest import write_jsonl
from tests.datagen import config_toml, make_records, write_dataset
from tests.faultproxy import FaultProxy

SPLITS = ("train", "validation", "test")
CHAT = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))


def publish_dataset(tmp_path: Path, extra: str = "", n: int = 300) -> tuple[Run, str, Path]:
    write_dataset(tmp_path / "data", n=n, files=2)
    cfg = load_config(config_toml(tmp_path, extra=extra))
    run = Run.create(LocalStore(tmp_path / "store"), cfg, "rel-1")
    assert run_local(run)["status"] == "succeeded"
    _, version = resolve("testset", run.store)
    return run, version, tmp_path / "store" / "releases" / "testset" / version


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, str, Path]:
    return publish_dataset(tmp_path_factory.mktemp("release"))


def test_release_folder_files_manifest_and_card(published: tuple[Run, str, Path]) -> None:
    run, version, folder = published
    names = {p.name for p in folder.iterdir()}
    assert names == {
        *(f"{s}.{ext}" for s in SPLITS for ext in ("parquet", "jsonl")),
        "manifest.json", "README.md", "report.html",
    }  # fmt: skip
    m = json.loads((folder / "manifest.json").read_text())
    assert m["version"] == version and m["format_version"] == 2
    assert {f["path"] for f in m["files"]} == names - {"manifest.json"}
    for f in m["files"]:
        assert hashlib.sha256((folder / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        assert f["bytes"] == (folder / f["path"]).stat().st_size
    assert [c["name"] for c in m["columns"]] == list(COLUMNS)
    assert m["config_digest"] == run.config.digest() and m["code_version"]
    assert m["stage_order"][0] == "ingest" and m["stage_order"][-1] == "split"
    assert m["gate"]["passed"] and m["gate"]["gold_sets"][0]["name"] == "gold.csv"
    assert m["split"]["config"]["method"] == "balanced"
    assert abs(sum(m["split"]["share"].values()) - 1) < 1e-6
    total = sum(v["rows"] for v in m["splits"].values())
    assert total == run.stage_done("split")["counts"]["kept"]
    assert sum(m["sources"].values()) == sum(m["licenses"].values()) == total
    assert sum(m["stats"]["splits"][s]["rows"] for s in SPLITS) == total

    for s in SPLITS:
        pf = pq.ParquetFile(folder / f"{s}.parquet")
        assert pf.metadata.row_group(0).column(0).compression == "ZSTD"
        table = pf.read()
        assert table.schema.field("messages").type == CHAT
        rows = table.to_pylist()
        assert rows and all(r["split"] == s for r in rows)
        for r in rows:
            if r["messages"] is None:  # plain-text records keep messages null, by design
                assert r["text"]
            else:
                assert all(set(t) == {"role", "content"} for t in r["messages"])
        lines = (folder / f"{s}.jsonl").read_text().splitlines()
        assert [json.loads(x)["id"] for x in lines] == [r["id"] for r in rows]
        assert m["splits"][s]["rows"] == len(rows)
        assert m["splits"][s]["crisis"] == sum(1 for r in rows if r["crisis"])
    chat_rows = sum(m["stats"]["splits"][s]["chat"] for s in SPLITS)
    assert 0 < chat_rows < total  # the test data mixes conversations and plain texts

    card = (folder / "README.md").read_text()
    front = card.split("---\n")[1]
    assert "configs:" in front and "path: train.parquet" in front and "license:" in front
    assert f"# testset — {version}" in card
    for stage in m["stage_order"]:  # every filter of every stage, with its count
        c = run.stage_done(stage)["counts"]
        for reason, n in c["filtered"].items():
            assert f"{reason} {n:,}" in card
    assert "| unit | " in card and "| CC-BY-4.0 | " in card  # sources and licences
    crisis = sum(v["crisis"] for v in m["splits"].values())
    assert f"{crisis:,} of {total:,} records" in card
    assert "## Release gate" in card and m["gate"]["reason"] in card
    assert "## Intended use and limits" in card
    report = (folder / "report.html").read_text()
    assert "rel-1" not in report  # the release copy names no run; the run's copy does
    assert "rel-1" in run.store.get(run.key("report.html")).decode()


def test_hugging_face_datasets_loads_the_release(
    published: tuple[Run, str, Path], tmp_path: Path
) -> None:
    import datasets

    _, version, original = published
    shutil.copytree(original.parents[2], tmp_path / "store")  # this test tampers with a file
    folder = tmp_path / "store" / original.relative_to(original.parents[2])
    store = LocalStore(tmp_path / "store")
    ds = load_release("testset", split="validation", store=store, as_="hf", verify=True)
    assert isinstance(ds, datasets.Dataset)
    assert str(ds.split) == "validation"
    assert ds.features["messages"] == datasets.List(
        {"role": datasets.Value("string"), "content": datasets.Value("string")}
    )
    chats = [m for m in ds["messages"] if m is not None]
    assert chats and chats[0][0]["role"] == "user"
    df = load_release("testset", version, "validation", store, as_="pandas")
    assert len(df) == ds.num_rows
    # the folder alone, with datasets' own Parquet loader (no pipeline code)
    loaded = datasets.load_dataset(
        "parquet",
        data_files={s: str(folder / f"{s}.parquet") for s in SPLITS},
        cache_dir=str(tmp_path / "hf-cache"),
    )
    assert loaded["validation"].num_rows == ds.num_rows
    assert loaded["train"].features["messages"] == ds.features["messages"]
    with pytest.raises(ValueError, match="as_"):
        load_release("testset", split="train", store=store, as_="torch")
    # a file that no longer matches its manifest is refused when verifying
    path = folder / "test.parquet"
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(ReleaseError, match="sha256"):
        load_release("testset", version, "test", store, verify=True)


def test_jsonl_only_when_asked(tmp_path: Path) -> None:
    _, _, folder = publish_dataset(tmp_path, extra='[publish]\nformats = ["parquet"]\n', n=150)
    names = {p.name for p in folder.iterdir()}
    assert not any(n.endswith(".jsonl") for n in names)
    assert "train.parquet" in names and "README.md" in names


def test_failed_upload_leaves_latest_on_the_previous_release_and_retry_completes(
    tmp_path: Path, s3_endpoint: str
) -> None:
    bucket = f"rel-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    direct: Store = S3Store(bucket, "p", endpoint_url=s3_endpoint)
    proxy = FaultProxy(s3_endpoint)
    os.environ["PIPELINE_S3_MAX_ATTEMPTS"] = "2"
    try:
        store = S3Store(bucket, "p", endpoint_url=proxy.url)
    finally:
        os.environ.pop("PIPELINE_S3_MAX_ATTEMPTS")
    try:
        rows = make_records(150)
        write_jsonl(tmp_path / "data" / "a.jsonl", rows[:100])
        cfg = load_config(config_toml(tmp_path, shard_mb=4))  # one shard per file
        assert run_local(Run.create(direct, cfg, "first"))["status"] == "succeeded"
        _, v1 = resolve("testset", direct)
        write_jsonl(tmp_path / "data" / "b.jsonl", rows[100:])
        second = Run.create(direct, cfg, "second")
        for stage in STAGE_ORDER:  # every stage; then the gate and publish go through the proxy
            for shard in plan_stage(second, stage):
                execute_shard(second, stage, shard.id)
            complete_stage(second, stage)
        proxy.add("403", pattern=r"/releases/testset/v-[0-9a-f]+/validation\.parquet", method="PUT")
        with pytest.raises(StoreError, match=r"AccessDenied|access denied"):
            finalize(Run(store, "second"))
        # half a release is in the bucket, but it is not a release and latest did not move
        versions = direct.children("releases/testset")
        assert len(versions) == 2
        v2 = next(v for v in versions if v != v1)
        half = {k.rsplit("/", 1)[1] for k in direct.list_keys(f"releases/testset/{v2}")}
        assert "train.parquet" in half and "manifest.json" not in half
        assert resolve("testset", direct) == ("testset", v1)
        assert [r["version"] for r in list_releases(direct)] == [v1]
        assert load_release("testset", split="train", store=direct).num_rows > 0

        proxy.clear()
        sent: list[str] = []

        def hook(params: dict[str, Any], **_: Any) -> None:
            sent.append(str(params["Key"]).rsplit("/", 1)[1])

        store.client.meta.events.register("before-parameter-build.s3.PutObject", hook)
        assert finalize(Run(store, "second"))["status"] == "succeeded"
        assert resolve("testset", direct) == ("testset", v2)
        # files uploaded by the failed attempt were not uploaded again
        assert "validation.parquet" in sent and "train.parquet" not in sent
        m = direct.get_json(f"releases/testset/{v2}/manifest.json")
        for f in m["files"]:
            body = direct.get(f"releases/testset/{v2}/{f['path']}")
            assert hashlib.sha256(body).hexdigest() == f["sha256"]
        assert {r["version"] for r in list_releases(direct)} == {v1, v2}
    finally:
        proxy.close()


def test_a_release_is_immutable(tmp_path: Path) -> None:
    import dataclasses

    from pipeline.runs import RunError

    store = LocalStore(tmp_path / "store")
    write_jsonl(tmp_path / "data" / "a.jsonl", make_records(150))
    cfg = load_config(config_toml(tmp_path, shard_mb=4))
    cfg = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, version="2026.1"))
    assert run_local(Run.create(store, cfg, "a"))["status"] == "succeeded"
    before = {k: store.get(k) for k in store.list_keys("releases")}
    write_jsonl(tmp_path / "data" / "b.jsonl", make_records(20, seed=99))  # other content
    with pytest.raises(RunError, match="immutable"):
        run_local(Run.create(store, cfg, "b"))
    assert {k: store.get(k) for k in store.list_keys("releases")} == before


def test_hf_needs_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib

    real = importlib.import_module

    def no_datasets(name: str, *a: Any) -> Any:
        if name == "datasets":
            raise ImportError("No module named 'datasets'")
        return real(name, *a)

    monkeypatch.setattr(importlib, "import_module", no_datasets)
    with pytest.raises(ImportError, match=r"hf. extra"):
        load_release("whatever", split="train", store=str(tmp_path), as_="hf")


def test_row_groups_end_by_bytes_so_the_publisher_holds_one_bounded_group(
    published: tuple[Run, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The publisher holds at most one pending row group; it ends at ROW_GROUP_BYTES of column
    data as well as at ROW_GROUP_ROWS, so a split of large documents does not pile up in
    memory. Smaller groups change the file's layout, never its rows."""
    import pipeline.release as release

    monkeypatch.setattr(release, "ROW_GROUP_BYTES", 20_000)
    _, _, small = publish_dataset(tmp_path)
    _, _, default = published
    for split in SPLITS:
        grouped = pq.ParquetFile(small / f"{split}.parquet")
        whole = pq.ParquetFile(default / f"{split}.parquet")
        assert whole.metadata.num_row_groups == 1
        assert grouped.metadata.num_row_groups > 1
        for i in range(grouped.metadata.num_row_groups):
            assert grouped.metadata.row_group(i).num_rows < whole.metadata.num_rows
        a, b = grouped.read().to_pylist(), whole.read().to_pylist()
        assert len(a) == len(b) > 0
        for x, y in zip(a, b, strict=True):
            assert {k: v for k, v in x.items() if k != "retrieved_at"} == {
                k: v for k, v in y.items() if k != "retrieved_at"
            }
