"""Local-file source (``type = "local"``): JSONL, CSV and Parquet files become records.

The plan cuts JSONL files into byte ranges of about ``source.shard_mb`` aligned on line
starts, Parquet files into row-group ranges, and keeps each CSV file whole (quoted newlines
make byte ranges unsafe). Shard ids hash the file's path, size and range, so the same input
always gives the same shards.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.config import Config, ConfigError, SourceSection, expand_paths, parse_section
from pipeline.records import COLUMNS, RecordError, new_record
from pipeline.runs import Run, Shard

if TYPE_CHECKING:  # runtime import would be circular (stages -> ingest -> sources)
    from pipeline.stages.base import ShardContext

csv.field_size_limit(1 << 30)
KNOWN_FIELDS = {"source_id", "url", "license", "retrieved_at", "group", "label"}
RETRIEVER = f"uadp-pipeline/{__version__} local-v1"


def _fmt(path: Path, configured: str) -> str:
    if configured != "auto":
        return configured
    name = path.name.lower()
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "jsonl"),
                        (".csv", "csv"), (".parquet", "parquet")):  # fmt: skip
        if name.endswith(suffix):
            return fmt
    raise ValueError(f"cannot tell the format of {path}; set source.format")


def _shard_id(path: Path, size: int, part: str) -> str:
    h = hashlib.sha256(f"{path}\0{size}\0{part}".encode()).hexdigest()[:10]
    stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower())[:24].strip("-") or "f"
    return f"{stem}-{part}-{h}"


def _jsonl_ranges(path: Path, size: int, target: int) -> list[tuple[int, int]]:
    """Byte ranges of ~``target`` bytes, each starting at a line start."""
    if size == 0:
        return [(0, 0)]
    cuts = [0]
    with open(path, "rb") as f:
        pos = target
        while pos < size:
            f.seek(pos)
            f.readline()  # move to the next line start
            nxt = f.tell()
            if nxt >= size:
                break
            if nxt > cuts[-1]:
                cuts.append(nxt)
            pos = nxt + target
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def section(entry: dict[str, Any]) -> SourceSection:
    """The local-source options of a ``[[sources]]`` entry (or the ``[source]`` table)."""
    names = {f.name for f in dataclasses.fields(SourceSection)}
    return SourceSection(**{k: v for k, v in entry.items() if k in names})


def plan_local(cfg: Config) -> list[Shard]:
    """Shards of the ``[source]`` table (kept for callers that plan without a run)."""
    return _plan(cfg.source)


def _plan(src: SourceSection) -> list[Shard]:
    target = max(1, int(src.shard_mb * 1024 * 1024))
    shards: list[Shard] = []
    for path in expand_paths(src.paths):
        size = path.stat().st_size
        fmt = _fmt(path, src.format)
        base = {"path": str(path), "format": fmt, "size": size}
        if fmt == "jsonl":
            for i, (a, b) in enumerate(_jsonl_ranges(path, size, target)):
                shards.append(
                    Shard(_shard_id(path, size, f"{i:04d}"), {**base, "start": a, "end": b})
                )
        elif fmt == "parquet":
            try:
                n = pq.ParquetFile(str(path)).metadata.num_row_groups
            except Exception as exc:  # truncated or not Parquet: one errored entry
                spec = {**base, "unreadable": f"{type(exc).__name__}: {exc}"}
                shards.append(Shard(_shard_id(path, size, "0000"), spec))
                continue
            groups = list(range(n)) or [0]
            per = max(1, int(target // max(1, size // max(1, n))))
            for i in range(0, len(groups), per):
                part = groups[i : i + per]
                shards.append(
                    Shard(_shard_id(path, size, f"{i:04d}"), {**base, "row_groups": part})
                )
        else:
            shards.append(Shard(_shard_id(path, size, "0000"), base))
    return shards


def _retrieved_at(path: str) -> str:
    mtime = os.stat(path).st_mtime
    return dt.datetime.fromtimestamp(int(mtime), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _label(v: Any) -> int | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and v in (0, 1):
        return v
    if isinstance(v, str) and v.strip().lower() in ("0", "1", "true", "false"):
        return 1 if v.strip().lower() in ("1", "true") else 0
    raise RecordError(f"label must be 0/1/true/false, got {v!r}")


# Chat datasets: OpenAI ``messages`` [{role, content}] and ShareGPT ``conversations``
# [{from, value}] (optionally with a top-level ``system`` prompt) become record messages.
ROLE_MAP = {
    "user": "user",
    "human": "user",
    "prompter": "user",
    "assistant": "assistant",
    "gpt": "assistant",
    "chatgpt": "assistant",
    "bot": "assistant",
    "model": "assistant",
    "system": "system",
}
SHAREGPT_FIELD = "conversations"


def _content(v: Any, i: int) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, list):  # OpenAI content parts: only text parts are representable
        texts = []
        for part in v:
            if (
                isinstance(part, dict)
                and part.get("type") == "text"
                and isinstance(part.get("text"), str)
            ):
                texts.append(part["text"])
            else:
                kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                raise RecordError(f"message {i} has a non-text content part ({kind})")
        return "\n".join(texts)
    raise RecordError(f"message {i} content must be text, got {type(v).__name__}")


def normalise_messages(value: Any, system: Any = None) -> list[dict[str, str]] | None:
    """OpenAI- or ShareGPT-shaped turns -> ``[{role, content}]`` with roles mapped to
    user/assistant/system; an unknown role raises RecordError naming it."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise RecordError(f"messages must be a list, got {type(value).__name__}")
    out: list[dict[str, str]] = []
    for i, m in enumerate(value):
        if not isinstance(m, dict):
            raise RecordError(f"message {i} must be an object, got {type(m).__name__}")
        if m.get("role") is not None or "content" in m:
            role, content = m.get("role"), m.get("content")
        elif m.get("from") is not None or "value" in m:
            role, content = m.get("from"), m.get("value")
        else:
            raise RecordError(f"message {i} has neither role/content nor from/value")
        mapped = ROLE_MAP.get(str(role).strip().lower()) if role is not None else None
        if mapped is None:
            raise RecordError(
                f"message {i} has unknown role {role!r} (known: {', '.join(sorted(ROLE_MAP))})"
            )
        out.append({"role": mapped, "content": _content(content, i)})
    if isinstance(system, str) and system.strip() and (not out or out[0]["role"] != "system"):
        out.insert(0, {"role": "system", "content": system})
    return out


def _json_cell(v: Any) -> Any:
    if isinstance(v, str):  # CSV cells hold messages as JSON
        return json.loads(v) if v.strip() else None
    return v


def build_record(
    raw: Any, src: SourceSection, retrieved_at: str, where: str, at: str
) -> dict[str, Any]:
    """Turn one parsed input object into a record (raises RecordError with the reason).

    A row without an id gets ``<file name>:<position>``.
    ``meta.provenance`` records the retriever, the input file's name (``where``) and position
    (``at``), where the licence came from (``input``: the row's ``license`` field; ``config``:
    the source's ``license`` option) and ``raw_sha256``, the sha256 of the input row as
    canonical JSON (sorted keys, compact), so a record can be traced to the exact row it came
    from. Input fields the record schema has no column for are kept in ``meta`` too; an input
    field called ``provenance`` is kept as ``input_provenance``.
    """
    if not isinstance(raw, dict):
        raise RecordError(f"expected an object, got {type(raw).__name__}")
    rid = raw.get(src.id_field)
    rid = f"{where}:{at}" if rid is None or rid == "" else str(rid)
    text = raw.get(src.text_field)
    msg_field = src.messages_field
    if raw.get(msg_field) is None and raw.get(SHAREGPT_FIELD) is not None:
        msg_field = SHAREGPT_FIELD
    system = raw.get("system") if msg_field == SHAREGPT_FIELD else None
    messages = normalise_messages(_json_cell(raw.get(msg_field)), system)
    if text is not None and not isinstance(text, str):
        raise RecordError(f"{src.text_field} must be a string, got {type(text).__name__}")
    used = {src.id_field, src.text_field, src.messages_field, msg_field} | KNOWN_FIELDS
    if system is not None:
        used.add("system")
    extra = {k: v for k, v in raw.items() if k not in used and v is not None}
    if "provenance" in extra:
        extra["input_provenance"] = extra.pop("provenance")
    lic_source = "input" if raw.get("license") else ("config" if src.license else None)
    canonical = json.dumps(
        raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    extra["provenance"] = {
        "retriever": RETRIEVER,
        "file": where or None,
        "at": at or None,
        "license_source": lic_source,
        "raw_sha256": hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest(),
    }
    meta = json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str)
    fields = {
        "source_id": str(raw.get("source_id") or rid),
        "url": raw.get("url") or None,
        "license": raw.get("license") or src.license,
        "retrieved_at": raw.get("retrieved_at") or retrieved_at,
        "group": str(raw["group"]) if raw.get("group") not in (None, "") else None,
        "label": _label(raw.get("label")),
        "meta": meta,
    }
    return new_record(id=rid, source=src.name, text=text, messages=messages, **fields)


class LocalSource:
    """JSONL / CSV / Parquet files visible to the io workers."""

    type = "local"

    def validate(self, entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
        src: SourceSection = parse_section(f"sources.{entry['name']}", entry, SourceSection)
        if base_dir is not None:
            paths = [p if Path(p).is_absolute() else str(base_dir / p) for p in src.paths]
            src = dataclasses.replace(src, paths=paths)
        check_section(src, f"sources.{src.name}")
        return dataclasses.asdict(src)

    def plan(self, entry: dict[str, Any], run: Run) -> list[Shard]:
        return _plan(section(entry))

    def process(self, entry: dict[str, Any], ctx: ShardContext) -> None:
        spec = ctx.shard.spec
        src = section(entry)
        led = ctx.ledger
        out = ctx.writer()
        path = spec["path"]
        where = Path(path).name
        if "unreadable" in spec:
            led.seen()
            led.error("unreadable_file", spec["unreadable"], {"file": path})
            return
        try:
            retrieved = _retrieved_at(path)
        except OSError as exc:
            raise FileNotFoundError(
                f"input file {path} is not readable by this worker: {exc}"
            ) from exc
        for loc, raw_or_exc in _parse(spec):
            led.seen()
            if isinstance(raw_or_exc, Exception):
                reason = raw_or_exc.args[0] if raw_or_exc.args else "parse_error"
                detail = str(raw_or_exc.args[1]) if len(raw_or_exc.args) > 1 else ""
                led.error(reason, detail, {"file": path, "at": loc})
                continue
            try:
                rec = build_record(raw_or_exc, src, retrieved, where, loc)
            except (RecordError, ValueError, TypeError, KeyError) as exc:
                led.error("invalid_record", str(exc), {"file": path, "at": loc})
                continue
            out.write(rec)
            led.keep()


def check_section(src: SourceSection, where: str) -> None:
    if src.type != "local":
        raise ConfigError(f"{where}.type {src.type!r}: this table describes a local source")
    if not src.paths:
        raise ConfigError(f"{where}.paths: give at least one file or glob")
    if src.format not in ("auto", "jsonl", "csv", "parquet"):
        raise ConfigError(f"{where}.format must be one of auto, jsonl, csv, parquet")
    if not (0.0001 <= src.shard_mb <= 4096):
        raise ConfigError(f"{where}.shard_mb must be between 0.0001 and 4096")


class _ParseError(Exception):
    """args = (reason, detail)."""


def _parse(spec: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    fmt = spec["format"]
    if fmt == "jsonl":
        yield from _parse_jsonl(spec["path"], spec["start"], spec["end"])
    elif fmt == "csv":
        yield from _parse_csv(spec["path"])
    else:
        yield from _parse_parquet(spec["path"], spec["row_groups"])


def _parse_jsonl(path: str, start: int, end: int) -> Iterator[tuple[str, Any]]:
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        while pos < end:
            line = f.readline()
            if not line:
                break
            loc = f"byte {pos}"
            pos += len(line)
            if not line.strip():
                continue
            try:
                s = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield loc, _ParseError("invalid_utf8", str(exc))
                continue
            try:
                yield loc, json.loads(s)
            except json.JSONDecodeError as exc:
                yield loc, _ParseError("invalid_json", f"{exc.msg} at column {exc.colno}")


def _parse_csv(path: str) -> Iterator[tuple[str, Any]]:
    with open(path, "rb") as fb:
        text = io.TextIOWrapper(fb, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.DictReader(text)
        if reader.fieldnames is None:
            return
        row_no = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row_no += 1
                yield f"row {row_no}", _ParseError("invalid_csv", str(exc))
                continue
            row_no += 1
            loc = f"row {row_no}"
            if None in row:
                yield loc, _ParseError("invalid_csv", "more fields than the header")
                continue
            bad = [k for k, v in row.items() if isinstance(v, str) and _has_surrogates(v)]
            if bad:
                yield loc, _ParseError("invalid_utf8", f"invalid UTF-8 in column(s) {bad}")
                continue
            yield loc, {k: (v if v != "" else None) for k, v in row.items()}


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _parse_parquet(path: str, row_groups: list[int]) -> Iterator[tuple[str, Any]]:
    pf = pq.ParquetFile(path)
    for g in row_groups:
        try:
            rows = pf.read_row_group(g).to_pylist()
        except Exception as exc:
            yield (
                f"row group {g}",
                _ParseError("unreadable_row_group", f"{type(exc).__name__}: {exc}"),
            )
            continue
        for i, row in enumerate(rows):
            yield f"row group {g} row {i}", row


assert set(KNOWN_FIELDS) <= set(COLUMNS)
