"""The one record type every stage reads and writes, and its Parquet/JSONL encodings.

A record is a plain ``dict`` whose keys are the columns of :data:`SCHEMA`. Plain dicts keep
the hot loops fast (``pyarrow`` converts batches of them directly); :func:`check_record`
is the single place that says what a valid record is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Record = dict[str, Any]

MESSAGE_TYPE = pa.struct([("role", pa.string()), ("content", pa.string())])
SPAN_TYPE = pa.struct(
    [
        ("turn", pa.int32()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("category", pa.string()),
    ]
)

SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text", pa.string()),
        pa.field("messages", pa.list_(MESSAGE_TYPE)),
        pa.field("source", pa.string(), nullable=False),
        pa.field("source_id", pa.string()),
        pa.field("url", pa.string()),
        pa.field("license", pa.string()),
        pa.field("retrieved_at", pa.string()),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("group", pa.string()),
        # split group: the connected component of records linked by a shared ``group`` or
        # a near-duplicate match (set by the dedup stages; None until they run)
        pa.field("cluster", pa.string()),
        pa.field("label", pa.int8()),
        pa.field("crisis", pa.bool_()),
        pa.field("crisis_score", pa.float32()),
        pa.field("crisis_categories", pa.list_(pa.string())),
        pa.field("crisis_spans", pa.list_(SPAN_TYPE)),
        pa.field("crisis_turns", pa.list_(pa.int32())),
        pa.field("flags", pa.list_(pa.string())),
        pa.field("split", pa.string()),
        pa.field("meta", pa.string()),
    ]
)
COLUMNS: tuple[str, ...] = tuple(SCHEMA.names)
ROLES = frozenset({"system", "user", "assistant"})
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "write_statistics": True,
    "use_dictionary": True,
}
BATCH_ROWS = 2048


class RecordError(ValueError):
    """A record that cannot be represented; the message is the reason shown to users."""


def content_hash(text: str | None, messages: Iterable[Mapping[str, str]] | None) -> str:
    """sha256 of a record's content (text, or the canonical JSON of its messages)."""
    h = hashlib.sha256()
    if messages is not None:
        canon = [[m["role"], m["content"]] for m in messages]
        h.update(b"m:" + json.dumps(canon, ensure_ascii=False, separators=(",", ":")).encode())
    if text is not None:
        h.update(b"t:" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def new_record(
    *,
    id: str,
    source: str,
    text: str | None = None,
    messages: list[dict[str, str]] | None = None,
    **fields: Any,
) -> Record:
    """Build a record with every column present (missing ones are None) and validate it."""
    unknown = set(fields) - set(COLUMNS)
    if unknown:
        raise RecordError(f"unknown record fields: {sorted(unknown)}")
    rec: Record = dict.fromkeys(COLUMNS)
    rec.update(fields)
    rec["id"] = id
    rec["source"] = source
    rec["text"] = text
    rec["messages"] = messages
    if rec["content_hash"] is None:
        rec["content_hash"] = content_hash(text, messages)
    check_record(rec)
    return rec


def check_record(rec: Mapping[str, Any]) -> None:
    """Raise :class:`RecordError` naming the first problem with ``rec``."""
    rid = rec.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise RecordError("record id must be a non-empty string")
    if len(rid) > 512:
        raise RecordError("record id longer than 512 characters")
    text, messages = rec.get("text"), rec.get("messages")
    if text is None and messages is None:
        raise RecordError("record has neither text nor messages")
    if text is not None and not isinstance(text, str):
        raise RecordError(f"text must be a string, got {type(text).__name__}")
    if messages is not None:
        if not isinstance(messages, list) or not messages:
            raise RecordError("messages must be a non-empty list")
        for i, m in enumerate(messages):
            if not isinstance(m, Mapping) or set(m) != {"role", "content"}:
                raise RecordError(f"message {i} must be an object with exactly role and content")
            if m["role"] not in ROLES:
                raise RecordError(f"message {i} has unknown role {m['role']!r}")
            if not isinstance(m["content"], str):
                raise RecordError(f"message {i} content must be a string")
    label = rec.get("label")
    if label is not None and label not in (0, 1):
        raise RecordError(f"label must be 0, 1 or empty, got {label!r}")
    if not isinstance(rec.get("source"), str):
        raise RecordError("record source must be a string")


def record_text(rec: Mapping[str, Any]) -> str:
    """The record's text for whole-record analysis: its text, or its turns joined."""
    if rec.get("messages"):
        return "\n".join(m["content"] for m in rec["messages"])
    return str(rec.get("text") or "")


def to_table(rows: list[Record]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)


class ParquetRecordWriter:
    """Streams records into one Parquet file (zstd) in row batches of :data:`BATCH_ROWS`."""

    def __init__(self, path: str | Path, batch_rows: int = BATCH_ROWS) -> None:
        self.path = Path(path)
        self.rows = 0
        self._batch: list[Record] = []
        self._batch_rows = batch_rows
        self._writer = pq.ParquetWriter(str(self.path), SCHEMA, **PARQUET_OPTIONS)

    def write(self, rec: Record) -> None:
        self._batch.append(rec)
        if len(self._batch) >= self._batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._writer.write_table(to_table(self._batch))
            self.rows += len(self._batch)
            self._batch = []

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def __enter__(self) -> ParquetRecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_parquet(path: str | Path, batch_rows: int = BATCH_ROWS) -> Iterator[Record]:
    """Stream the records of a Parquet file written with :data:`SCHEMA`, one batch in memory."""
    pf = pq.ParquetFile(str(path))
    for batch in pf.iter_batches(batch_size=batch_rows, columns=list(COLUMNS)):
        yield from batch.to_pylist()


def to_json_line(rec: Mapping[str, Any]) -> str:
    """One JSONL line for a record; keys in schema order, None columns kept (stable bytes)."""
    return json.dumps({k: rec.get(k) for k in COLUMNS}, ensure_ascii=False, separators=(",", ":"))
