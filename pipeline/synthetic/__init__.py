"""Synthetic data generation: therapeutic dialogues, bias probes, crisis edge cases and
grounded conversations, with labels known by construction.

Every sample is a function of (seed, generator, sample index) and the options only: its RNG
is :func:`~pipeline.synthetic.core.sample_rng`, so the same seed and config give the same
samples whatever the sharding or the worker. The source adapter is
:mod:`pipeline.sources.synthetic` (``type = "synthetic"``); options are validated by
:func:`validate_options`.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from pipeline.synthetic import bias, crisis, dialogues, grounded, prompts
from pipeline.synthetic.core import Sample, sample_rng
from pipeline.synthetic.llm import Prompt

GENERATORS: tuple[str, ...] = ("dialogues", "bias_probes", "crisis_cases", "grounded")
BACKENDS: tuple[str, ...] = ("builtin", "llm")

COMMON_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "type": str, "name": str, "generator": str, "count": int, "seed": (int, str),
    "per_shard": int, "backend": str, "license": str,
}  # fmt: skip
LLM_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "llm_base_url": str, "llm_model": str, "llm_temperature": (int, float),
    "llm_max_tokens": int, "llm_timeout": (int, float), "llm_max_retries": int,
    "llm_backoff": (int, float), "llm_backoff_max": (int, float), "llm_concurrency": int,
    "llm_response_format": str,
}  # fmt: skip
GENERATOR_OPTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "dialogues": {"concerns": list, "techniques": list, "min_exchanges": int,
                  "max_exchanges": int, "system_prompt": bool},
    "bias_probes": {"attributes": list, "crisis_fraction": (int, float), "with_reply": bool,
                    "regions": list},
    "crisis_cases": {"positive_fraction": (int, float), "positives": list, "negatives": list,
                     "regions": list, "context_fraction": (int, float)},
    "grounded": {"grounding": str, "min_exchanges": int, "max_exchanges": int,
                 "system_prompt": bool},
}  # fmt: skip
CHOICES: dict[str, tuple[str, ...]] = {
    "concerns": dialogues.CONCERN_NAMES,
    "techniques": dialogues.TECHNIQUE_NAMES,
    "attributes": bias.ATTRIBUTE_NAMES,
    "regions": crisis.REGIONS,
    "positives": crisis.POSITIVE_CATEGORIES,
    "negatives": crisis.NEGATIVE_CATEGORIES,
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "dialogues": dialogues.DEFAULTS,
    "bias_probes": bias.DEFAULTS,
    "crisis_cases": crisis.DEFAULTS,
    "grounded": grounded.DEFAULTS,
}


class OptionError(ValueError):
    """An invalid option; the message names the key."""


def validate_options(entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
    """Check a ``[[sources]]`` table of type ``synthetic``; return it with every default
    filled in (idempotent: validating the result gives the result)."""
    where = f"sources.{entry.get('name')}"
    gen = entry.get("generator")
    if gen not in GENERATORS:
        raise OptionError(f"{where}.generator {gen!r}: use one of {', '.join(GENERATORS)}")
    allowed = {**COMMON_OPTIONS, **LLM_OPTIONS, **GENERATOR_OPTIONS[gen]}
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise OptionError(
            f"{where}: unknown key(s) {', '.join(unknown)} for generator {gen}; valid keys: "
            f"{', '.join(sorted(allowed))}"
        )
    for key, value in entry.items():
        want = allowed[key]
        ok = want is bool if isinstance(value, bool) else isinstance(value, want)
        if not ok:
            raise OptionError(f"{where}.{key}: wrong type {type(value).__name__} ({value!r})")
    backend = entry.get("backend", "builtin")
    if backend not in BACKENDS:
        raise OptionError(f"{where}.backend {backend!r}: use builtin or llm")
    out: dict[str, Any] = {
        "type": "synthetic",
        "name": entry["name"],
        "generator": gen,
        "count": entry.get("count", 1000),
        "seed": str(entry.get("seed", 0)),
        "per_shard": entry.get("per_shard", 500),
        "backend": backend,
        "license": entry.get("license", "CC0-1.0" if backend == "builtin" else "unknown"),
    }
    if not 0 <= out["count"] <= 50_000_000:
        raise OptionError(f"{where}.count must be between 0 and 50,000,000")
    if not 1 <= out["per_shard"] <= 1_000_000:
        raise OptionError(f"{where}.per_shard must be between 1 and 1,000,000")
    for key, default in DEFAULTS[gen].items():
        value = entry.get(key, default)
        out[key] = list(value) if isinstance(value, list) else value
    for key in CHOICES:
        if key in out:
            bad = [v for v in out[key] if v not in CHOICES[key]]
            if bad or not out[key]:
                raise OptionError(
                    f"{where}.{key}: {bad or 'empty list'}; choose from {', '.join(CHOICES[key])}"
                )
    for key in ("crisis_fraction", "positive_fraction", "context_fraction"):
        if key in out:
            out[key] = float(out[key])
            if not 0.0 <= out[key] <= 1.0:
                raise OptionError(f"{where}.{key} must be between 0 and 1")
    if "min_exchanges" in out and not 1 <= out["min_exchanges"] <= out["max_exchanges"] <= 20:
        raise OptionError(f"{where}: need 1 <= min_exchanges <= max_exchanges <= 20")
    if gen == "grounded":
        g = entry.get("grounding")
        if not g:
            raise OptionError(
                f"{where}.grounding: give a JSONL/CSV/Parquet file of passages (id, text, url) "
                f"or {grounded.RELEASE_PREFIX}DATASET[@VERSION]"
            )
        if not g.startswith(grounded.RELEASE_PREFIX) and base_dir is not None:
            g = g if Path(g).is_absolute() else os.path.normpath(base_dir / g)
        out["grounding"] = g
    for key in LLM_OPTIONS:
        if key in entry:
            out[key] = entry[key]
    if out.get("llm_response_format", "none") not in ("none", "json_object"):
        raise OptionError(f"{where}.llm_response_format: none or json_object")
    if int(out.get("llm_concurrency", 4)) < 1:
        raise OptionError(f"{where}.llm_concurrency must be >= 1")
    return out


def builtin_samples(
    entry: dict[str, Any], index: int, found: list[grounded.Finding] | None = None
) -> list[Sample]:
    """The samples of one index with the builtin backend."""
    gen = entry["generator"]
    rng = sample_rng(entry["seed"], gen, index)
    if gen == "dialogues":
        return [dialogues.generate(index, rng, entry)[0]]
    if gen == "bias_probes":
        return bias.generate(index, rng, entry)
    if gen == "crisis_cases":
        return [crisis.generate(index, rng, entry)]
    return [grounded.generate(index, rng, entry, found or [])]


def llm_request(
    entry: dict[str, Any], index: int, found: list[grounded.Finding] | None = None
) -> tuple[Prompt, dict[str, Any], random.Random]:
    """The prompt of one index, its plan, and the RNG to continue with when parsing."""
    gen = entry["generator"]
    rng = sample_rng(entry["seed"], gen, index)
    if gen == "dialogues":
        p, plan = prompts.dialogue_prompt(rng, entry)
    elif gen == "bias_probes":
        p, plan = prompts.bias_prompt(rng, entry)
    elif gen == "crisis_cases":
        p, plan = prompts.crisis_prompt(rng, entry)
    else:
        p, plan = prompts.grounded_prompt(rng, entry, found or [])
    return p, plan, rng


def llm_samples(
    entry: dict[str, Any], index: int, plan: dict[str, Any], content: str, rng: random.Random
) -> list[Sample]:
    """Parse an answer into samples (raises MalformedOutput)."""
    gen = entry["generator"]
    if gen == "dialogues":
        return prompts.dialogue_samples(plan, content, entry)
    if gen == "bias_probes":
        return prompts.bias_samples(index, plan, content, rng, entry)
    if gen == "crisis_cases":
        return prompts.crisis_samples(plan, content, rng, entry)
    return prompts.grounded_samples(plan, content, entry)


__all__ = [
    "BACKENDS",
    "GENERATORS",
    "OptionError",
    "Sample",
    "builtin_samples",
    "llm_request",
    "llm_samples",
    "sample_rng",
    "validate_options",
]
