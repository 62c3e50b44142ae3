from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ConfigError, expand_paths, load_config


def write(tmp_path: Path, text: str, name: str = "c.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[source]\npaths = ["data/*.jsonl"]\n'))
    assert cfg.source.paths == [str(tmp_path / "data/*.jsonl")]
    assert (cfg.split.train, cfg.split.validation, cfg.split.test) == (0.70, 0.15, 0.15)
    assert cfg.gate.threshold == 0.95
    assert cfg.gate.gold == ["builtin"]
    assert len(cfg.digest()) == 64


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[source]\npaths=["x"]\nshard_size = 3\n', "unknown key(s) shard_size"),
        ('[sorce]\npaths=["x"]\n', "unknown section(s) sorce"),
        ('[source]\npaths="x"\n', "source.paths: expected a list"),
        ('[source]\npaths=["x"]\n[split]\ntrain=0.8\n', "must be 1.0"),
        ('[source]\npaths=["x"]\n[gate]\nthreshold=1.5\n', "gate.threshold"),
        ('[source]\npaths=["x"]\n[run]\ndataset="Bad Name"\n', "run.dataset"),
        ("[source]\npaths=[]\n", "at least one file"),
        ('[source]\npaths=["x"]\n[preprocess]\nmin_chars="3"\n', "expected an integer"),
        ("[source\n", "not valid"),
    ],
)
def test_invalid_configs_name_the_key(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert needle in str(err.value)
    assert "c.toml" in str(err.value)


def test_yaml_is_safe_loaded(tmp_path: Path) -> None:
    cfg = load_config(
        write(tmp_path, "source:\n  paths: [a.jsonl]\nrun:\n  dataset: y\n", "c.yaml")
    )
    assert cfg.run.dataset == "y"
    evil = "source: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(ConfigError):
        load_config(write(tmp_path, evil, "e.yaml"))


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text("{}\n")
    (tmp_path / "a.jsonl").write_text("{}\n")
    assert [p.name for p in expand_paths([str(tmp_path / "*.jsonl")])] == ["a.jsonl", "b.jsonl"]
    with pytest.raises(ConfigError, match="nothing matches"):
        expand_paths([str(tmp_path / "*.csv")])
    with pytest.raises(ConfigError, match="does not exist"):
        expand_paths([str(tmp_path / "missing.jsonl")])
