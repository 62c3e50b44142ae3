"""Local chat datasets: OpenAI ``messages`` and ShareGPT ``conversations`` in JSONL, CSV and
Parquet become record messages with user/assistant/system roles."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import from_dict
from pipeline.engine import execute_shard, plan_stage
from pipeline.records import RecordError, read_parquet
from pipeline.runs import Run
from pipeline.sources.local import normalise_messages
from pipeline.store import LocalStore
from tests.conftest import write_jsonl


def ingest(
    tmp_path: Path, paths: list[str], **kw: Any
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    cfg = from_dict(
        {"sources": [{"type": "local", "name": "chat", "paths": paths, **kw}]}, base_dir=tmp_path
    )
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "chat-1")
    recs: dict[str, dict[str, Any]] = {}
    errs: list[dict[str, Any]] = []
    errored: dict[str, int] = {}
    for shard in plan_stage(run, "ingest"):
        counts = execute_shard(run, "ingest", shard.id)["counts"]
        for k, v in counts["errored"].items():
            errored[k] = errored.get(k, 0) + v
        m = run.marker("ingest", shard.id)
        assert m is not None
        for out in m["outputs"]:
            with run.store.local_copy(out["key"]) as p:
                recs.update({r["id"]: r for r in read_parquet(p)})
        if m["errors_key"]:
            errs += [json.loads(x) for x in run.store.get(m["errors_key"]).decode().splitlines()]
    return recs, errs, errored


ROWS: list[dict[str, Any]] = [
    {  # OpenAI chat shape, extra keys per message dropped, content parts joined
        "id": "oa1",
        "messages": [
            {"role": "system", "content": "Be kind."},
            {"role": "user", "content": "I can't sleep.", "name": "sam"},
            {"role": "assistant", "content": [{"type": "text", "text": "That sounds hard."},
                                              {"type": "text", "text": "What keeps you up?"}]},
        ],
        "license": "CC-BY-4.0",
    },
    {  # ShareGPT shape with a top-level system prompt
        "id": "sg1",
        "system": "You are a supportive listener.",
        "conversations": [
            {"from": "human", "value": "Work is overwhelming."},
            {"from": "gpt", "value": "Tell me more about it.", "weight": 1},
            {"from": "Human", "value": "Deadlines."},
        ],
        "topic": "stress",
    },
    {"id": "bad-role", "conversations": [{"from": "therapist", "value": "Hello"}]},
    {"id": "tool", "messages": [{"role": "tool", "content": "42"}]},
    {"id": "image", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
    {"id": "empty", "conversations": []},
    {"id": "text-only", "text": "Plain text still works."},
]  # fmt: skip


def test_jsonl_openai_and_sharegpt_shapes(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "chat.jsonl", ROWS)
    recs, errs, errored = ingest(tmp_path, ["chat.jsonl"], license="CC-BY-SA-4.0")
    assert recs["oa1"]["messages"] == [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "I can't sleep."},
        {"role": "assistant", "content": "That sounds hard.\nWhat keeps you up?"},
    ]
    assert recs["sg1"]["messages"] == [
        {"role": "system", "content": "You are a supportive listener."},
        {"role": "user", "content": "Work is overwhelming."},
        {"role": "assistant", "content": "Tell me more about it."},
        {"role": "user", "content": "Deadlines."},
    ]
    meta = json.loads(recs["sg1"]["meta"])
    assert meta.pop("provenance")["license_source"] == "config"  # from license=
    assert meta == {"topic": "stress"}  # system/conversations used
    oa1 = json.loads(recs["oa1"]["meta"])["provenance"]
    assert oa1["license_source"] == "input" and oa1["file"] == "chat.jsonl"
    assert oa1["at"] == "byte 0"
    assert recs["oa1"]["license"] == "CC-BY-4.0" and recs["sg1"]["license"] == "CC-BY-SA-4.0"
    assert recs["text-only"]["text"] == "Plain text still works."
    assert errored == {"invalid_record": 4}
    detail = {e["detail"].split(" (known")[0] for e in errs}
    assert detail == {
        "message 0 has unknown role 'therapist'",
        "message 0 has unknown role 'tool'",
        "message 0 has a non-text content part (image_url)",
        "messages must be a non-empty list",
    }


def test_csv_cells_and_parquet_structs(tmp_path: Path) -> None:
    with open(tmp_path / "chat.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "conversations"])
        w.writeheader()
        w.writerow(
            {
                "id": "c1",
                "conversations": json.dumps(
                    [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]
                ),
            }
        )
        w.writerow({"id": "c2", "conversations": json.dumps([{"from": "robot", "value": "x"}])})
    table = pa.table({
        "id": ["p1", "p2"],
        "conversations": [
            [{"from": "system", "value": "Calm."}, {"from": "human", "value": "hey"}],
            [{"from": "gpt", "value": "hi there"}],
        ],
    })  # fmt: skip
    pq.write_table(table, tmp_path / "chat.parquet")
    recs, errs, errored = ingest(tmp_path, ["chat.csv", "chat.parquet"])
    assert recs["c1"]["messages"] == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
    ]
    assert recs["p1"]["messages"][0] == {"role": "system", "content": "Calm."}
    assert recs["p2"]["messages"] == [{"role": "assistant", "content": "hi there"}]
    assert errored == {"invalid_record": 1} and "'robot'" in errs[0]["detail"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a list", "messages must be a list"),
        ([["user", "hi"]], "message 0 must be an object"),
        ([{"speaker": "a", "text": "b"}], "neither role/content nor from/value"),
        ([{"role": "assistant", "content": None}], "content must be text"),
        ([{"from": None, "value": "x"}], "unknown role None"),
    ],
)
def test_malformed_turns_are_refused_with_a_reason(value: Any, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        normalise_messages(value)


def test_system_prompt_not_duplicated() -> None:
    turns = [{"from": "system", "value": "S"}, {"from": "human", "value": "q"}]
    assert normalise_messages(turns, system="other") == [
        {"role": "system", "content": "S"},
        {"role": "user", "content": "q"},
    ]
    assert normalise_messages(None) is None
