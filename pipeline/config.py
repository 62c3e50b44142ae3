"""Run configuration: a TOML (or YAML) file, validated with errors that name the key.

The validated config is frozen into the run (``runs/<id>/config.json``) so every worker,
retry and resume sees exactly the same settings. See README "Configuration" for every key.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file and key."""


@dataclass(frozen=True)
class RunSection:
    dataset: str = "dataset"
    version: str = "auto"


@dataclass(frozen=True)
class SourceSection:
    type: str = "local"
    paths: list[str] = field(default_factory=list)
    format: str = "auto"
    name: str = "local"
    license: str = "unknown"
    id_field: str = "id"
    text_field: str = "text"
    messages_field: str = "messages"
    shard_mb: float = 32.0


@dataclass(frozen=True)
class PreprocessSection:
    min_chars: int = 1
    max_chars: int = 2_000_000


@dataclass(frozen=True)
class AnnotateSection:
    detector: str = "rules"


@dataclass(frozen=True)
class SafetySection:
    drop_harmful: bool = True
    exclude_unsafe_responses_from_train: bool = True


@dataclass(frozen=True)
class SplitSection:
    train: float = 0.70
    validation: float = 0.15
    test: float = 0.15
    seed: str = "uadp-split-v1"
    group_by: str = "group"


@dataclass(frozen=True)
class GateSection:
    threshold: float = 0.95
    min_positives: int = 20
    gold: list[str] = field(default_factory=lambda: ["builtin"])
    include_run_labels: bool = True


@dataclass(frozen=True)
class PublishSection:
    formats: list[str] = field(default_factory=lambda: ["parquet", "jsonl"])


@dataclass(frozen=True)
class Config:
    run: RunSection = field(default_factory=RunSection)
    source: SourceSection = field(default_factory=SourceSection)
    preprocess: PreprocessSection = field(default_factory=PreprocessSection)
    annotate: AnnotateSection = field(default_factory=AnnotateSection)
    safety: SafetySection = field(default_factory=SafetySection)
    split: SplitSection = field(default_factory=SplitSection)
    gate: GateSection = field(default_factory=GateSection)
    publish: PublishSection = field(default_factory=PublishSection)
    # ``[[sources]]`` tables, each validated by its kind (pipeline.sources); when empty,
    # the ``[source]`` table is the run's one source
    sources: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def digest(self) -> str:
        """sha256 of the canonical JSON of the config: part of every release manifest."""
        canon = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canon.encode()).hexdigest()


def _check_type(where: str, value: Any, hint: Any) -> Any:
    origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__}")
        return [_check_type(f"{where}[{i}]", v, item) for i, v in enumerate(value)]
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    raise TypeError(f"unsupported config type {hint}")  # pragma: no cover - programming error


def parse_section(name: str, raw: Any, cls: type[Any]) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"[{name}] must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"[{name}] unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(sorted(known))}"
        )
    values = {k: _check_type(f"{name}.{k}", v, hints[k]) for k, v in raw.items()}
    return cls(**values)


def from_dict(raw: dict[str, Any], base_dir: Path | None = None) -> Config:
    """Validate a raw mapping; relative source paths are resolved against ``base_dir``."""
    if not isinstance(raw, dict):
        raise ConfigError("the configuration must be a table/mapping at top level")
    sections = {f.name: f for f in dataclasses.fields(Config)}
    unknown = sorted(set(raw) - set(sections))
    if unknown:
        raise ConfigError(
            f"unknown section(s) {', '.join(unknown)}; valid sections: {', '.join(sections)}"
        )
    hints = get_type_hints(Config)
    parts = {
        name: parse_section(name, raw.get(name, {}), hints[name])
        for name in sections
        if name != "sources"
    }
    cfg = Config(**parts, sources=_sources(raw.get("sources", []), base_dir))
    if base_dir is not None:
        src = cfg.source
        resolved = [p if Path(p).is_absolute() else str(base_dir / p) for p in src.paths]
        gold = [
            g if g == "builtin" or Path(g).is_absolute() else str(base_dir / g)
            for g in cfg.gate.gold
        ]
        cfg = dataclasses.replace(
            cfg,
            source=dataclasses.replace(src, paths=resolved),
            gate=dataclasses.replace(cfg.gate, gold=gold),
        )
    _validate(cfg)
    return cfg


def _sources(raw: Any, base_dir: Path | None) -> list[dict[str, Any]]:
    from pipeline.sources import get_kind

    if not isinstance(raw, list):
        raise ConfigError("sources must be a list of tables ([[sources]] in TOML)")
    out: list[dict[str, Any]] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ConfigError(f"sources[{i}] must be a table")
        name = entry.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ConfigError(
                f"sources[{i}].name {name!r}: use 1-64 of a-z 0-9 . _ - (starting alphanumeric)"
            )
        if any(e["name"] == name for e in out):
            raise ConfigError(f"sources[{i}].name {name!r} is used twice")
        try:
            kind = get_kind(str(entry.get("type", "")))
        except ValueError as exc:
            raise ConfigError(f"sources.{name}.type: {exc}") from None
        out.append(kind.validate(dict(entry), base_dir))
    return out


def source_entries(cfg: Config) -> list[dict[str, Any]]:
    """The run's sources as validated ``[[sources]]`` entries (``[source]`` when none)."""
    if cfg.sources:
        return cfg.sources
    return [{**dataclasses.asdict(cfg.source), "type": "local"}]


def _validate(cfg: Config) -> None:
    if not NAME_RE.match(cfg.run.dataset):
        raise ConfigError(
            f"run.dataset {cfg.run.dataset!r}: use 1-64 of a-z 0-9 . _ - (starting alphanumeric)"
        )
    if cfg.run.version != "auto" and not NAME_RE.match(cfg.run.version):
        raise ConfigError(f"run.version {cfg.run.version!r}: use 'auto' or 1-64 of a-z 0-9 . _ -")
    if cfg.sources:
        if cfg.source.paths:
            raise ConfigError("use either [source] or [[sources]], not both")
    else:
        from pipeline.sources.local import check_section

        check_section(cfg.source, "source")
    if cfg.preprocess.min_chars < 0 or cfg.preprocess.max_chars < cfg.preprocess.min_chars:
        raise ConfigError("preprocess: need 0 <= min_chars <= max_chars")
    if cfg.annotate.detector != "rules":
        raise ConfigError(f"annotate.detector {cfg.annotate.detector!r}: supported: rules")
    ratios = (cfg.split.train, cfg.split.validation, cfg.split.test)
    if any(r < 0 for r in ratios) or abs(sum(ratios) - 1.0) > 1e-6:
        raise ConfigError(f"split: train + validation + test must be 1.0, got {sum(ratios):g}")
    if not (0.0 < cfg.gate.threshold <= 1.0):
        raise ConfigError("gate.threshold must be in (0, 1]")
    if cfg.gate.min_positives < 1:
        raise ConfigError("gate.min_positives must be >= 1")
    bad = [f for f in cfg.publish.formats if f not in ("parquet", "jsonl")]
    if bad or not cfg.publish.formats:
        raise ConfigError("publish.formats: a non-empty list of parquet, jsonl")


def load_config(path: str | Path) -> Config:
    """Read and validate a ``.toml``, ``.yaml`` or ``.yml`` config file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    try:
        if path.suffix in (".yaml", ".yml"):
            import yaml

            raw = yaml.safe_load(data) or {}
        else:
            raw = tomllib.loads(data.decode("utf-8"))
    except Exception as exc:
        raise ConfigError(f"{path}: not valid {path.suffix[1:] or 'TOML'}: {exc}") from exc
    try:
        return from_dict(raw, base_dir=path.parent.resolve())
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def expand_paths(patterns: list[str]) -> list[Path]:
    """Expand source globs into a sorted, de-duplicated list of files."""
    out: set[Path] = set()
    for pat in patterns:
        matches = glob.glob(pat, recursive=True) if glob.has_magic(pat) else [pat]
        if not matches:
            raise ConfigError(f"source.paths: nothing matches {pat!r}")
        for m in matches:
            p = Path(m)
            if p.is_dir():
                raise ConfigError(f"source.paths: {m} is a directory; use a glob like {m}/*.jsonl")
            if not p.is_file():
                raise ConfigError(f"source.paths: {m} does not exist")
            out.add(p.resolve())
    return sorted(out)
