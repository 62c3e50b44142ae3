"""Licence ids, the licence filter step, and `[licenses] allowed` applied to a whole run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import ConfigError, LicenseSection, from_dict, load_config
from pipeline.records import new_record
from pipeline.sources.licenses import license_filter, matches, normalize
from pipeline.stages.base import Drop, apply_steps


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CC-BY-4.0", "CC-BY-4.0"),
        ("cc by", "CC-BY"),  # Europe PMC style: no version stated, none invented
        ("cc-by-nc-nd", "CC-BY-NC-ND"),
        ("CC BY-NC 3.0", "CC-BY-NC-3.0"),
        ("cc-by 4.0", "CC-BY-4.0"),
        ("CC BY-SA-NC 4.0", "CC-BY-NC-SA-4.0"),  # canonical element order
        ("https://creativecommons.org/licenses/by-nc-sa/4.0/", "CC-BY-NC-SA-4.0"),
        ("http://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "public-domain"),
        ("CC0", "CC0-1.0"),
        ("This work is licensed under a Creative Commons Attribution-ShareAlike 4.0 "
         "International License.", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
         "CC-BY-NC-ND-4.0"),
        ("Creative Commons Attribution license (reuse allowed)", "CC-BY"),
        ("© 2024 The Authors. Published under CC BY 4.0.", "CC-BY-4.0"),
        ("© 2024 Elsevier Ltd. All rights reserved.", "publisher-copyright"),
        ("http://arxiv.org/licenses/nonexclusive-distrib/1.0/", "arxiv-nonexclusive"),
        ("Standard YouTube License", "youtube-standard"),
        ("youtube-standard", "youtube-standard"),
        ("Project Gutenberg License", "project-gutenberg"),
        ("Public Domain", "public-domain"),
        ("mit", "MIT"),
        ("MIT License", "MIT"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("BSD 3-Clause", "BSD-3-Clause"),
        ("gpl-3.0", "GPL-3.0"),
        ("other-oa", "other-oa"),
        ("cc by-nd-sa", "unknown"),  # no such licence
        ("CC BY 5.0", "unknown"),  # no such version
        ("permitted for research", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)  # fmt: skip
def test_normalize(raw: str | None, expected: str) -> None:
    assert normalize(raw) == expected


def test_glob_matching_is_case_insensitive_and_explicit_about_variants() -> None:
    assert matches("CC-BY-NC-4.0", ["cc-by-*"])  # every CC BY variant, NC included
    assert not matches("CC-BY-NC-4.0", ["CC-BY-[0-9]*", "CC-BY-SA-*", "CC0-*"])
    assert matches("CC-BY-4.0", ["CC-BY-[0-9]*"]) and matches("CC0-1.0", ["CC0-*"])
    assert not matches("CC-BY", ["CC-BY-*"]) and matches("CC-BY", ["CC-BY*"])


def rec(license_: str | None) -> dict[str, object]:
    return new_record(id="r", source="s", text="t", license=license_)


def test_filter_step_drops_with_reason_license() -> None:
    step = license_filter(["CC-BY-[0-9]*", "CC0-*", "public-domain"])
    kept = rec("cc by 4.0")
    assert step(kept) is kept  # the record passes through untouched
    assert step(rec("CC0")) is not None and not isinstance(step(rec("CC0")), Drop)
    for lic in ("CC BY-NC 4.0", "youtube-standard", "unknown", None, "whatever"):
        out = step(rec(lic))
        assert isinstance(out, Drop) and out.reason == "license", lic
    # composes like any other step
    assert isinstance(apply_steps(rec("publisher-copyright"), [step]), Drop)


def test_default_allows_everything() -> None:
    step = license_filter(LicenseSection().allowed)
    assert LicenseSection().allowed == ["*"]
    for lic in (None, "unknown", "publisher-copyright"):
        r = rec(lic)
        assert step(r) is r


def test_licenses_config_section(tmp_path: Path) -> None:
    src = {"paths": ["x.jsonl"]}
    assert from_dict({"source": src}).licenses.allowed == ["*"]
    p = tmp_path / "c.toml"
    p.write_text('[source]\npaths = ["x.jsonl"]\n[licenses]\nallowed = ["CC-BY-*", "CC0-1.0"]\n')
    (tmp_path / "x.jsonl").write_text("")
    cfg = load_config(p)
    assert cfg.licenses.allowed == ["CC-BY-*", "CC0-1.0"]
    assert cfg.to_dict()["licenses"] == {"allowed": ["CC-BY-*", "CC0-1.0"]}
    with pytest.raises(ConfigError, match=r"licenses\.allowed"):
        from_dict({"source": src, "licenses": {"allowed": []}})
    with pytest.raises(ConfigError, match=r"\[licenses\] unknown key\(s\) allow"):
        from_dict({"source": src, "licenses": {"allow": ["*"]}})
    with pytest.raises(ConfigError, match=r"licenses\.allowed"):
        from_dict({"source": src, "licenses": {"allowed": "CC-BY-*"}})


def test_run_drops_disallowed_licences_counts_and_audits_them(tmp_path: Path) -> None:
    """``[licenses] allowed`` end to end: records outside it are filtered with reason
    ``license`` at preprocess (counted in the manifest, sampled in the audit output) and
    never reach a release; the allowed ones all do."""
    from pipeline.engine import run_local
    from pipeline.records import read_parquet
    from pipeline.runs import Run
    from pipeline.store import LocalStore
    from tests.conftest import write_jsonl
    from tests.datagen import FILLER, config_toml

    # None falls back to the source's licence (CC0-1.0); "cc by" is CC-BY with no version,
    # which "CC-BY-*" does not match
    licences = ["CC-BY-4.0", "cc by", "publisher-copyright", "CC0-1.0", None]
    rows = [
        {
            "id": f"doc-{i:03d}",
            # distinct texts, so the dedup stage keeps every one
            "text": "Talking things through helped me. "
            + " ".join(FILLER[(i * 7 + k * 13) % len(FILLER)] for k in range(12)),
            "license": licences[i % len(licences)],
        }
        for i in range(60)
    ]
    write_jsonl(tmp_path / "data" / "part.jsonl", rows)
    cfg = config_toml(
        tmp_path,
        extra='[licenses]\nallowed = ["CC-BY-*", "CC0-*"]\n[preprocess]\naudit_per_reason = 100\n',
    )
    run = Run.create(LocalStore(tmp_path / "store"), load_config(cfg), "lic")
    assert run_local(run)["status"] == "succeeded"
    pre = run.stage_done("preprocess")
    assert pre is not None
    assert pre["counts"]["filtered"]["license"] == 24  # "cc by" and publisher-copyright
    audit = []
    for shard in run.plan("preprocess") or []:
        key = run.key("preprocess", "out", shard.id, "audit.parquet")
        if run.store.exists(key):
            with run.store.local_copy(key) as path:
                audit.extend(read_parquet(path))
    assert len(audit) == 24  # every drop sampled: under the per-reason cap
    assert {tuple(r["flags"]) for r in audit} == {("dropped:license",)}
    assert {r["license"] for r in audit} == {"cc by", "publisher-copyright"}
    manifest = json.loads(
        (tmp_path / "store" / "releases" / "testset").glob("*/manifest.json").__next__().read_text()
    )
    published = sum(f["rows"] for f in manifest["files"] if f["format"] == "parquet")
    assert published == 36
    assert set(manifest["licenses"]) <= {"CC-BY-4.0", "CC0-1.0"}
