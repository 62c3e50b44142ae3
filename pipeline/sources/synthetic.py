"""Synthetic source (``type = "synthetic"``): generated samples as records.

Options (one ``[[sources]]`` table): ``generator`` (dialogues | bias_probes | crisis_cases |
grounded), ``count``, ``seed``, ``per_shard``, ``backend`` (builtin | llm), ``license`` and
the generator's own options; see :func:`pipeline.synthetic.validate_options`.

Shard ``i`` makes sample indexes ``[i * per_shard, (i + 1) * per_shard)``; every sample's
RNG depends on (seed, generator, index) only, so the records are the same whatever the
sharding, worker or retry. Shard ids hash the whole validated entry, so changing any option
gives new shards. Record ids are ``<source name>-<index>`` (plus ``-<value>`` for the
members of a bias-probe set); ``meta`` holds generator, backend, seed, index and what the
sample was built from; ``label`` is known by construction (crisis cases 1/0, dialogues 0,
bias probes by template), so the release gate evaluates them.

The llm backend's raw payloads are its response cache (``cache/llm/<sha256>.json`` at the
store root, written before records are made); a malformed answer is an errored record
(reason ``llm_malformed_output``), a transport failure fails the shard (retried later).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.config import ConfigError
from pipeline.records import RecordError, new_record
from pipeline.synthetic import (
    OptionError,
    Sample,
    builtin_samples,
    llm_request,
    llm_samples,
    validate_options,
)
from pipeline.synthetic import grounded as G
from pipeline.synthetic.llm import Completion, LLMClient, LLMSettings, MalformedOutput

if TYPE_CHECKING:
    from pipeline.runs import Run, Shard
    from pipeline.stages.base import ShardContext

CHECK_EVERY = 500
LLM_BATCH = 64


def to_record(
    entry: dict[str, Any], index: int, sample: Sample, extra: dict[str, Any]
) -> dict[str, Any]:
    meta = {
        "generator": entry["generator"],
        "backend": entry["backend"],
        "seed": entry["seed"],
        "index": index,
        **sample.meta,
        **extra,
    }
    rid = f"{entry['name']}-{index:07d}{sample.suffix}"
    return new_record(
        id=rid,
        source=entry["name"],
        messages=sample.messages,
        source_id=f"{entry['generator']}:{entry['seed']}:{index}{sample.suffix}",
        license=entry["license"],
        group=sample.group,
        label=sample.label,
        meta=json.dumps(meta, sort_keys=True, ensure_ascii=False),
    )


def _digest(entry: dict[str, Any]) -> str:
    canon = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


class SyntheticSource:
    type = "synthetic"

    def validate(self, entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
        try:
            return validate_options(entry, base_dir)
        except OptionError as exc:
            raise ConfigError(str(exc)) from None

    def plan(self, entry: dict[str, Any], run: Run) -> list[Shard]:
        per, count = entry["per_shard"], entry["count"]
        fixed: dict[str, Any] = {}
        if entry["generator"] == "grounded":
            fixed = _grounding_fingerprint(entry["grounding"], run)
        from pipeline.runs import Shard

        h = _digest({**entry, **fixed})[:8]
        shards = []
        for i, start in enumerate(range(0, count, per)):
            spec = {"start": start, "end": min(count, start + per), **fixed}
            shards.append(Shard(f"{entry['generator']}-{i:05d}-{h}", spec))
        return shards

    def process(self, entry: dict[str, Any], ctx: ShardContext) -> None:
        spec = ctx.shard.spec
        found = G.load_findings(spec, ctx.run.store) if entry["generator"] == "grounded" else None
        if entry["backend"] == "llm":
            _process_llm(entry, ctx, found)
            return
        out, led = ctx.writer(), ctx.ledger
        for index in range(spec["start"], spec["end"]):
            if (index - spec["start"]) % CHECK_EVERY == 0:
                ctx.check_cancel()
            try:
                samples = builtin_samples(entry, index, found)
            except G.GroundingError:
                raise
            except Exception as exc:  # a generator bug must not lose the accounting
                led.seen()
                led.error("generation_failed", f"{type(exc).__name__}: {exc}", {"index": index})
                continue
            for sample in samples:
                led.seen()
                try:
                    rec = to_record(entry, index, sample, {})
                except RecordError as exc:
                    led.error("invalid_record", str(exc), {"index": index})
                    continue
                out.write(rec)
                led.keep()


def _grounding_fingerprint(src: str, run: Run) -> dict[str, Any]:
    """What the plan fixes about the grounding input: a file's sha256, a release version."""
    if src.startswith(G.RELEASE_PREFIX):
        from pipeline.releases import ReleaseError, resolve

        try:
            dataset, version = resolve(src[len(G.RELEASE_PREFIX) :], run.store)
        except ReleaseError as exc:
            raise ConfigError(f"grounding {src!r}: {exc}") from None
        return {"grounding": src, "grounding_release": f"{dataset}@{version}"}
    try:
        return {"grounding": src, "grounding_sha256": G.file_digest(src)}
    except OSError as exc:
        raise ConfigError(f"grounding file {src} is not readable: {exc.strerror}") from None


def _process_llm(entry: dict[str, Any], ctx: ShardContext, found: list[G.Finding] | None) -> None:
    spec = ctx.shard.spec
    client = LLMClient(LLMSettings.from_options(entry), ctx.run.store)
    out, led = ctx.writer(), ctx.ledger
    indexes = list(range(spec["start"], spec["end"]))
    try:
        for b in range(0, len(indexes), LLM_BATCH):
            ctx.check_cancel()
            batch = indexes[b : b + LLM_BATCH]
            requests = [llm_request(entry, i, found) for i in batch]
            answers = client.complete_many([p for p, _, _ in requests])
            for index, (_, plan, rng), answer in zip(batch, requests, answers, strict=True):
                _write_llm(entry, index, plan, rng, answer, out, led, client.settings.model)
    finally:
        led.extra["llm_requests"] += client.requests
        led.extra["llm_cache_hits"] += client.cache_hits


def _write_llm(
    entry: dict[str, Any],
    index: int,
    plan: dict[str, Any],
    rng: Any,
    answer: Completion | Exception,
    out: Any,
    led: Any,
    model: str,
) -> None:
    if isinstance(answer, Exception):
        led.seen()
        led.error("llm_malformed_output", str(answer), {"index": index})
        return
    try:
        samples = llm_samples(entry, index, plan, answer.content, rng)
    except MalformedOutput as exc:
        led.seen()
        led.error("llm_malformed_output", str(exc), {"index": index, "cache": answer.key})
        return
    extra = {"llm_model": model, "llm_cache_key": answer.key}
    for sample in samples:
        led.seen()
        try:
            rec = to_record(entry, index, sample, extra)
        except RecordError as exc:
            led.error("invalid_record", str(exc), {"index": index})
            continue
        out.write(rec)
        led.keep()
