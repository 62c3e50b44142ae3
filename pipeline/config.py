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
class NormaliseOptions:
    enabled: bool = True
    fix_encoding: bool = True  # ftfy: mojibake, HTML entities, curly quotes, ligatures
    strip_artefacts: bool = True  # [Music], (inaudible), SRT/VTT timestamps, >> marks
    strip_boilerplate: bool = True  # cookie banners, "Subscribe", copyright, page numbers


@dataclass(frozen=True)
class LanguageOptions:
    enabled: bool = True
    keep: list[str] = field(default_factory=lambda: ["en"])  # ISO 639-1 codes
    min_letters: int = 20  # fewer letters: too short to tell, kept
    min_confidence: float = 0.9  # another language below this probability: kept
    sample_chars: int = 300  # characters of a long text that are classified


PII_TYPE_NAMES = (
    "EMAIL",
    "URL",
    "CREDIT_CARD",
    "SSN",
    "NATIONAL_ID",
    "DOB",
    "IP",
    "PHONE",
    "ADDRESS",
    "PERSON",
)


@dataclass(frozen=True)
class PiiOptions:
    enabled: bool = True
    types: list[str] = field(default_factory=lambda: list(PII_TYPE_NAMES))
    keep_helplines: bool = True  # public crisis/support lines are not personal data


@dataclass(frozen=True)
class QualityOptions:
    enabled: bool = True
    keep_crisis: bool = True  # never remove a text/turn the crisis detector flags
    min_words: int = 3
    max_words: int = 100_000
    stats_min_words: int = 100  # the ratio/repetition rules need at least this many words
    min_mean_word_len: float = 3.0
    max_mean_word_len: float = 10.0
    max_symbol_word_ratio: float = 0.1
    max_bullet_lines_frac: float = 0.9
    max_ellipsis_lines_frac: float = 0.3
    min_alpha_words_frac: float = 0.8
    min_stop_words: int = 2
    stop_words: list[str] = field(
        default_factory=lambda: ["the", "be", "to", "of", "and", "that", "have", "with"]
    )
    max_dup_line_frac: float = 0.3
    max_dup_para_frac: float = 0.3
    max_dup_line_chars_frac: float = 0.2
    max_dup_para_chars_frac: float = 0.2
    max_top_ngram_chars_frac: list[float] = field(default_factory=lambda: [0.20, 0.18, 0.16])
    max_dup_ngram_chars_frac: list[float] = field(
        default_factory=lambda: [0.15, 0.14, 0.13, 0.12, 0.11, 0.10]
    )
    max_dup_turn_frac: float = 0.5


@dataclass(frozen=True)
class SegmentOptions:
    enabled: bool = True
    max_chars: int = 4000  # longer texts/conversations are cut into chunks of at most this
    min_chars: int = 500  # a last chunk shorter than this is merged into the previous one


@dataclass(frozen=True)
class PreprocessSection:
    min_chars: int = 1
    max_chars: int = 2_000_000
    audit_per_reason: int = 20  # audit sample: removed records/parts kept per reason per shard
    audit_max_chars: int = 2000  # characters of each text kept in the audit sample
    normalise: NormaliseOptions = field(default_factory=NormaliseOptions)
    language: LanguageOptions = field(default_factory=LanguageOptions)
    pii: PiiOptions = field(default_factory=PiiOptions)
    quality: QualityOptions = field(default_factory=QualityOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)


@dataclass(frozen=True)
class DedupSection:
    """Exact and near-duplicate removal across the whole run (pipeline.dedup)."""

    enabled: bool = True
    exact: bool = True  # same normal form (lowercase, no punctuation/symbols, one space)
    near: bool = True  # MinHash + LSH over word n-gram shingles, verified by signature
    threshold: float = 0.8  # estimated Jaccard similarity that makes a near duplicate
    ngram: int = 5  # words per shingle
    num_perm: int = 128  # MinHash values per record
    bands: int = 0  # LSH bands; 0 = derived from threshold and num_perm (with rows)
    rows: int = 0  # values per band; 0 = derived
    seed: str = "uadp-dedup-v1"
    action: str = "remove"  # "remove" duplicates, or "keep" them (only assign clusters)
    partitions: int = 0  # bucket partitions = dedup_pairs shards; 0 = by data volume


# Crisis detector kinds (config ``annotate.detector``), the default first. "contextual": rules
# + scorer + the fine-tuned MiniLM stage on texts in doubt; "rules": rules + scorer only
# (about 6x faster on crisis-dense text, lower sensitivity). See pipeline.safety.detector.
DETECTOR_KINDS: tuple[str, ...] = ("contextual", "rules")
DEFAULT_DETECTOR = DETECTOR_KINDS[0]


@dataclass(frozen=True)
class AnnotateSection:
    detector: str = DEFAULT_DETECTOR


@dataclass(frozen=True)
class SafetySection:
    drop_harmful: bool = True
    exclude_unsafe_responses_from_train: bool = True


SPLIT_GROUP_COLUMNS = ("cluster", "group", "source_id", "url", "content_hash", "source", "id")


@dataclass(frozen=True)
class SplitSection:
    train: float = 0.70
    validation: float = 0.15
    test: float = 0.15
    seed: str = "uadp-split-v1"
    # group key: this column, then ``group`` (when this is ``cluster``), then the record id
    group_by: str = "cluster"
    method: str = "balanced"  # balanced | hash (see pipeline/stages/split.py)
    stratify_crisis: bool = True  # balanced: each split gets its share of crisis records
    inherit: bool = True  # balanced: groups in the dataset's latest release keep their split


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
class LicenseSection:
    # glob patterns over normalised licence ids (pipeline.sources.licenses); "*" = all
    allowed: list[str] = field(default_factory=lambda: ["*"])


@dataclass(frozen=True)
class Config:
    run: RunSection = field(default_factory=RunSection)
    source: SourceSection = field(default_factory=SourceSection)
    preprocess: PreprocessSection = field(default_factory=PreprocessSection)
    dedup: DedupSection = field(default_factory=DedupSection)
    annotate: AnnotateSection = field(default_factory=AnnotateSection)
    safety: SafetySection = field(default_factory=SafetySection)
    split: SplitSection = field(default_factory=SplitSection)
    gate: GateSection = field(default_factory=GateSection)
    publish: PublishSection = field(default_factory=PublishSection)
    licenses: LicenseSection = field(default_factory=LicenseSection)
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
    # a nested table, e.g. [preprocess.quality]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return parse_section(where, value, hint)
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


def _validate_dedup(d: DedupSection) -> None:
    if not (0.0 < d.threshold <= 1.0):
        raise ConfigError(f"dedup.threshold must be in (0, 1], got {d.threshold:g}")
    if not (1 <= d.ngram <= 64):
        raise ConfigError(f"dedup.ngram must be between 1 and 64, got {d.ngram}")
    if not (8 <= d.num_perm <= 1024):
        raise ConfigError(f"dedup.num_perm must be between 8 and 1024, got {d.num_perm}")
    if (d.bands == 0) != (d.rows == 0) or d.bands < 0 or d.rows < 0:
        raise ConfigError("dedup.bands and dedup.rows: give both (>= 1) or neither (0 = derived)")
    if d.bands * d.rows > d.num_perm or d.bands > 254:
        raise ConfigError(
            f"dedup.bands * dedup.rows ({d.bands * d.rows}) must be <= dedup.num_perm "
            f"({d.num_perm}) with at most 254 bands"
        )
    if d.action not in ("remove", "keep"):
        raise ConfigError(f"dedup.action {d.action!r}: use 'remove' or 'keep'")
    if not (0 <= d.partitions <= 4096):
        raise ConfigError(f"dedup.partitions must be between 0 (auto) and 4096, got {d.partitions}")
    if not d.seed:
        raise ConfigError("dedup.seed must be a non-empty string")


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
    _validate_preprocess(cfg.preprocess)
    if cfg.annotate.detector not in DETECTOR_KINDS:
        raise ConfigError(
            f"annotate.detector {cfg.annotate.detector!r}: supported: {', '.join(DETECTOR_KINDS)}"
        )
    _validate_dedup(cfg.dedup)
    ratios = (cfg.split.train, cfg.split.validation, cfg.split.test)
    if any(r < 0 for r in ratios) or abs(sum(ratios) - 1.0) > 1e-6:
        raise ConfigError(f"split: train + validation + test must be 1.0, got {sum(ratios):g}")
    if cfg.split.method not in ("balanced", "hash"):
        raise ConfigError(f"split.method {cfg.split.method!r}: use balanced or hash")
    if cfg.split.group_by not in SPLIT_GROUP_COLUMNS:
        raise ConfigError(
            f"split.group_by {cfg.split.group_by!r}: one of {', '.join(SPLIT_GROUP_COLUMNS)}"
        )
    if not (0.0 < cfg.gate.threshold <= 1.0):
        raise ConfigError("gate.threshold must be in (0, 1]")
    if cfg.gate.min_positives < 1:
        raise ConfigError("gate.min_positives must be >= 1")
    if not cfg.licenses.allowed or not all(p.strip() for p in cfg.licenses.allowed):
        raise ConfigError('licenses.allowed: non-empty glob patterns (["*"] allows every licence)')
    bad = [f for f in cfg.publish.formats if f not in ("parquet", "jsonl")]
    if bad or not cfg.publish.formats:
        raise ConfigError("publish.formats: a non-empty list of parquet, jsonl")


def _validate_preprocess(pp: PreprocessSection) -> None:
    if pp.min_chars < 0 or pp.max_chars < pp.min_chars:
        raise ConfigError("preprocess: need 0 <= min_chars <= max_chars")
    if pp.audit_per_reason < 0 or pp.audit_max_chars < 1:
        raise ConfigError("preprocess.audit_per_reason must be >= 0, audit_max_chars >= 1")
    lang = pp.language
    if lang.enabled and not lang.keep:
        raise ConfigError("preprocess.language.keep: give at least one language (or enabled=false)")
    bad = [c for c in lang.keep if not re.fullmatch(r"[a-z]{2,3}", c)]
    if bad:
        raise ConfigError(f"preprocess.language.keep: {bad} are not ISO 639 codes like 'en'")
    if not (0.0 <= lang.min_confidence <= 1.0):
        raise ConfigError("preprocess.language.min_confidence must be in [0, 1]")
    if lang.min_letters < 0 or lang.sample_chars < 50:
        raise ConfigError("preprocess.language: min_letters >= 0 and sample_chars >= 50")
    unknown = sorted(set(pp.pii.types) - set(PII_TYPE_NAMES))
    if unknown:
        raise ConfigError(
            f"preprocess.pii.types: unknown {unknown}; known: {', '.join(PII_TYPE_NAMES)}"
        )
    q = pp.quality
    if not (0 <= q.min_words <= q.max_words):
        raise ConfigError("preprocess.quality: need 0 <= min_words <= max_words")
    if q.stats_min_words < 1:
        raise ConfigError("preprocess.quality.stats_min_words must be >= 1")
    if not (0 < q.min_mean_word_len <= q.max_mean_word_len):
        raise ConfigError("preprocess.quality: need 0 < min_mean_word_len <= max_mean_word_len")
    fracs = {
        "max_symbol_word_ratio": q.max_symbol_word_ratio,
        "max_bullet_lines_frac": q.max_bullet_lines_frac,
        "max_ellipsis_lines_frac": q.max_ellipsis_lines_frac,
        "min_alpha_words_frac": q.min_alpha_words_frac,
        "max_dup_line_frac": q.max_dup_line_frac,
        "max_dup_para_frac": q.max_dup_para_frac,
        "max_dup_line_chars_frac": q.max_dup_line_chars_frac,
        "max_dup_para_chars_frac": q.max_dup_para_chars_frac,
        "max_dup_turn_frac": q.max_dup_turn_frac,
    }
    for i, v in enumerate(q.max_top_ngram_chars_frac):
        fracs[f"max_top_ngram_chars_frac[{i}] (n={i + 2})"] = v
    for i, v in enumerate(q.max_dup_ngram_chars_frac):
        fracs[f"max_dup_ngram_chars_frac[{i}] (n={i + 5})"] = v
    for key, v in fracs.items():
        if not (0.0 <= v <= 1.0):
            raise ConfigError(f"preprocess.quality.{key} must be in [0, 1], got {v:g}")
    if len(q.max_top_ngram_chars_frac) > 3:
        raise ConfigError("preprocess.quality.max_top_ngram_chars_frac: at most 3 (n = 2, 3, 4)")
    if len(q.max_dup_ngram_chars_frac) > 6:
        raise ConfigError("preprocess.quality.max_dup_ngram_chars_frac: at most 6 (n = 5..10)")
    if q.min_stop_words < 0 or (q.min_stop_words > 0 and not q.stop_words):
        raise ConfigError("preprocess.quality: min_stop_words >= 0 and a non-empty stop_words")
    seg = pp.segment
    if seg.max_chars < 200 or not (0 <= seg.min_chars < seg.max_chars):
        raise ConfigError(
            "preprocess.segment: need max_chars >= 200 and 0 <= min_chars < max_chars"
        )


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
