"""Local-file source: sharding, parsing, poison input and accounting."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import from_dict
from pipeline.engine import execute_shard, plan_stage
from pipeline.records import COLUMNS, RecordError, new_record, read_parquet, to_json_line
from pipeline.runs import Run
from pipeline.sources.local import plan_local
from pipeline.stages.preprocess import normalise_text
from pipeline.store import LocalStore
from tests.conftest import write_jsonl
from tests.datagen import make_records


def cfg_for(paths: list[str], shard_mb: float = 0.01) -> object:
    return from_dict({"source": {"paths": paths, "shard_mb": shard_mb, "name": "unit"}})


def test_jsonl_byte_ranges_cover_every_line_once_and_ids_are_stable(tmp_path: Path) -> None:
    rows = make_records(500)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    cfg = cfg_for([str(src)])
    plan1, plan2 = plan_local(cfg), plan_local(cfg)  # type: ignore[arg-type]
    assert [s.id for s in plan1] == [s.id for s in plan2]
    assert len(plan1) > 5
    store = LocalStore(tmp_path / "store")
    run = Run.create(store, cfg, "r1")  # type: ignore[arg-type]
    seen = []
    for shard in plan_stage(run, "ingest"):
        res = execute_shard(run, "ingest", shard.id)
        assert res["counts"]["errored"] == {}
        with store.local_copy(run.key("ingest", "out", shard.id, "records.parquet")) as p:
            seen.extend(r["id"] for r in read_parquet(p))
    assert seen == [r["id"] for r in rows]


def test_plan_is_fixed_once_written(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_records(50))
    cfg = cfg_for([str(src)])
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "r1")  # type: ignore[arg-type]
    first = plan_stage(run, "ingest")
    with open(src, "a") as f:  # the input grows after the plan was fixed
        f.write(json.dumps({"id": "late", "text": "late record"}) + "\n")
    assert plan_stage(run, "ingest") == first
    from pipeline.runs import Shard

    assert run.fix_plan("ingest", [Shard("other", {})]) == first


def test_poison_input_is_counted_and_the_rest_goes_through(tmp_path: Path) -> None:
    src = tmp_path / "poison.jsonl"
    good = [{"id": f"g{i}", "text": f"good record number {i}"} for i in range(5)]
    with open(src, "wb") as f:
        f.write((json.dumps(good[0]) + "\n").encode())
        f.write(b'{"id": "broken", "text": \n')  # malformed JSON
        f.write((json.dumps(good[1]) + "\n").encode())
        f.write(b'{"id": "latin1", "text": "caf\xe9"}\n')  # invalid UTF-8
        f.write(b"\x00\x01\x02\xff\xfe binary junk\n")
        f.write(b"[1, 2, 3]\n")  # not an object
        f.write(b'{"id": "nothing"}\n')  # neither text nor messages
        f.write(b'{"id": "badrole", "messages": [{"role": "robot", "content": "hi"}]}\n')
        f.write(b'{"id": "badlabel", "text": "x", "label": 7}\n')
        f.write(b"\n   \n")  # blank lines are not records
        for g in good[2:]:
            f.write((json.dumps(g) + "\n").encode())
    store = LocalStore(tmp_path / "s")
    run = Run.create(store, cfg_for([str(src)], shard_mb=64), "r1")  # type: ignore[arg-type]
    (shard,) = plan_stage(run, "ingest")
    res = execute_shard(run, "ingest", shard.id)
    c = res["counts"]
    assert c["in"] == 12
    assert c["kept"] == 5
    assert c["errored"] == {"invalid_json": 1, "invalid_record": 4, "invalid_utf8": 2}
    report = store.get(run.key("ingest", "errors", f"{shard.id}.jsonl")).decode().splitlines()
    assert len(report) == 7
    first = json.loads(report[0])
    assert first["reason"] == "invalid_json" and first["at"].startswith("byte ")
    assert any("role" in json.loads(x)["detail"] for x in report)


def test_csv_and_parquet_and_truncated_parquet(tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text(
        'id,text,label,topic\nc1,"a line, with comma\nand a newline",0,sleep\nc2,second,1,\n'
    )
    rows = [{"id": f"p{i}", "text": f"parquet text {i}"} for i in range(10)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "b.parquet", row_group_size=3)
    bad = tmp_path / "c.parquet"
    bad.write_bytes((tmp_path / "b.parquet").read_bytes()[:200])  # truncated
    store = LocalStore(tmp_path / "s")
    cfg = cfg_for([str(tmp_path / "*.csv"), str(tmp_path / "*.parquet")], shard_mb=64)
    run = Run.create(store, cfg, "r1")  # type: ignore[arg-type]
    totals = {"in": 0, "kept": 0, "errored": 0}
    records = []
    for shard in plan_stage(run, "ingest"):
        c = execute_shard(run, "ingest", shard.id)["counts"]
        totals["in"] += c["in"]
        totals["kept"] += c["kept"]
        totals["errored"] += sum(c["errored"].values())
        with store.local_copy(run.key("ingest", "out", shard.id, "records.parquet")) as p:
            records.extend(read_parquet(p))
    assert totals == {"in": 13, "kept": 12, "errored": 1}
    by_id = {r["id"]: r for r in records}
    assert by_id["c1"]["text"] == "a line, with comma\nand a newline"
    assert by_id["c2"]["label"] == 1
    meta = json.loads(by_id["c1"]["meta"])
    prov = meta.pop("provenance")
    assert meta == {"topic": "sleep"}  # input fields without a column are kept
    raw_row = {"id": "c1", "text": "a line, with comma\nand a newline", "label": "0",
               "topic": "sleep"}  # fmt: skip
    canonical = json.dumps(raw_row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert prov["raw_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert prov["file"] == "a.csv" and prov["at"] == "row 2"
    assert prov["retriever"].startswith("uadp-pipeline/") and prov["retriever"].endswith("local-v1")
    assert prov["license_source"] == "config"  # the row has no license field
    assert by_id["c1"]["license"] == cfg.source.license  # type: ignore[attr-defined]
    p9 = json.loads(by_id["p9"]["meta"])["provenance"]
    assert p9["file"] == "b.parquet" and p9["at"] == "row group 3 row 0"
    assert by_id["p9"]["source"] == "unit"


def test_record_schema_and_jsonl() -> None:
    rec = new_record(id="x1", source="unit", messages=[{"role": "user", "content": "hé"}])
    assert set(rec) == set(COLUMNS)
    assert len(rec["content_hash"]) == 64
    line = to_json_line(rec)
    assert list(json.loads(line)) == list(COLUMNS)
    assert "hé" in line
    with pytest.raises(RecordError):
        new_record(id="", source="unit", text="x")
    with pytest.raises(RecordError):
        new_record(id="a", source="unit", text="x", label=3)


@pytest.mark.parametrize(
    "text",
    ["  a\u00a0 b\t\tc \r\n\r\n\r\n\nd\x00e\u200b ", "Cafe\u0301  au lait", "x\n\n\n\ny"],
)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\x00" not in once and "\u200b" not in once and "  " not in once


def test_empty_file_and_50mb_record_go_through_a_whole_run(tmp_path: Path) -> None:
    from pipeline.engine import run_local
    from tests.helpers import assert_accounting

    data = tmp_path / "data"
    data.mkdir()
    (data / "empty.jsonl").write_bytes(b"")
    rows = make_records(60)
    with open(data / "big.jsonl", "w", encoding="utf-8") as f:
        for i, r in enumerate(rows):
            f.write(json.dumps(r) + "\n")
            if i == 30:
                huge = {"id": "huge", "text": "word " * (10 * 1024 * 1024)}  # 50 MiB
                f.write(json.dumps(huge) + "\n")
    cfg = from_dict(
        {"source": {"paths": [str(data / "*.jsonl")], "shard_mb": 64}, "gate": {"min_positives": 5}}
    )
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "big-1")
    assert run_local(run)["status"] == "succeeded"
    counts = assert_accounting(run)
    assert counts["ingest"]["in"] == 61
    assert counts["preprocess"]["filtered"] == {"too_long": 1}
    assert counts["split"]["kept"] == 60


def test_several_sources_each_keep_their_name_licence_and_shards(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", make_records(40))
    b_rows = [{**r, "id": "b" + r["id"]} for r in make_records(30)]
    write_jsonl(tmp_path / "b.jsonl", b_rows)
    cfg = from_dict(
        {
            "sources": [
                {"type": "local", "name": "forum", "paths": ["a.jsonl"], "license": "CC-BY-4.0"},
                {"type": "local", "name": "chats", "paths": ["b.jsonl"], "shard_mb": 0.001},
            ]
        },
        base_dir=tmp_path,
    )
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "multi")
    shards = plan_stage(run, "ingest")
    assert {s.spec["source"] for s in shards} == {"forum", "chats"}
    assert all(s.id.startswith(s.spec["source"] + "-") for s in shards)
    by_source: dict[str, list[str]] = {}
    for shard in shards:
        execute_shard(run, "ingest", shard.id)
        with run.store.local_copy(run.key("ingest", "out", shard.id, "records.parquet")) as p:
            for r in read_parquet(p):
                by_source.setdefault(r["source"], []).append(r["license"])
    assert sorted(by_source) == ["chats", "forum"]
    assert len(by_source["forum"]) == 40 and len(by_source["chats"]) == 30
    assert len([s for s in shards if s.spec["source"] == "chats"]) > 1


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ([{"type": "nope", "name": "x"}], "unknown source type 'nope'"),
        ([{"type": "local", "name": "Bad Name", "paths": ["a"]}], "sources[0].name"),
        ([{"type": "local", "name": "x", "paths": ["a"], "colour": 1}], "unknown key(s) colour"),
        (
            [{"type": "local", "name": "x", "paths": ["a"]}, {"type": "local", "name": "x"}],
            "used twice",
        ),
        ([{"type": "local", "name": "x", "format": "xml", "paths": ["a"]}], "sources.x.format"),
    ],
)
def test_bad_sources_tables_are_refused_with_the_key(
    sources: list[dict[str, object]], message: str
) -> None:
    from pipeline.config import ConfigError

    with pytest.raises(ConfigError, match=re.escape(message)):
        from_dict({"sources": sources})
