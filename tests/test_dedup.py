"""Dedup across a run: exact and near duplicates across shards, survivors, clusters, ledger."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.config import ConfigError, from_dict
from pipeline.dedup.cluster import decide
from pipeline.dedup.lsh import ALL_PAIRS_MAX, WINDOW, lsh_params, near_candidates
from pipeline.dedup.minhash import MinHasher, estimated_jaccard
from pipeline.dedup.normal import exact_hash, normal_form
from pipeline.engine import complete_stage, execute_shard, plan_stage, run_local
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.stages import STAGE_ORDER
from pipeline.stages.dedup import summary_key
from pipeline.store import LocalStore
from tests.conftest import write_jsonl
from tests.datagen import FILLER
from tests.helpers import assert_accounting, release_files


def words(seed: int, n: int = 40) -> list[str]:
    r = random.Random(seed)
    return [r.choice(FILLER) for _ in range(n)]


def text(ws: list[str]) -> str:
    return " ".join(ws)


def shingle_jaccard(a: str, b: str, k: int = 5) -> float:
    def sh(t: str) -> set[tuple[str, ...]]:
        w = normal_form(t).split()
        return {tuple(w[i : i + k]) for i in range(max(1, len(w) - k + 1))}

    sa, sb = sh(a), sh(b)
    return len(sa & sb) / len(sa | sb)


def dataset() -> list[dict[str, Any]]:
    """Planted duplicates; ids are chosen so the survivor is not the first one written."""
    base = words(1)
    near = list(base)
    near[-1] = "zebra"  # one word at the end: Jaccard 35/37 = 0.95
    far = list(base)
    for i in (8, 18, 28):  # three words inside: Jaccard ~0.41
        far[i] = "quartz"
    a1, b3 = words(2), words(2)
    b3[-1] = "yacht"
    x, d1 = words(3), words(3)
    d1[0] = "xylophone"  # first word: near duplicate
    rows = [
        # exact duplicates (case, punctuation, spacing differ) and a near duplicate
        {"id": "m-2", "text": text(base)},
        {"id": "m-3", "text": text(base).upper().replace(" ", ",  ", 3) + "!!"},
        {"id": "m-4", "text": text(near)},
        {"id": "m-far", "text": text(far)},  # below the threshold: kept
        # A1 ~ B3: B3 is removed but still joins video a and video b
        {"id": "a1", "text": text(a1), "group": "vid-a"},
        {"id": "a2", "text": text(words(4)), "group": "vid-a"},
        {"id": "a3", "text": text(words(5)), "group": "vid-a"},
        {"id": "b1", "text": text(words(6)), "group": "vid-b"},
        {"id": "b2", "text": text(words(7)), "group": "vid-b"},
        {"id": "b3", "text": text(b3), "group": "vid-b"},
        {"id": "c1", "text": text(words(8)), "group": "vid-c"},
        # a record without group near-duplicating a group member takes the group's cluster
        {"id": "x", "text": text(x)},
        {"id": "y-d1", "text": text(d1), "group": "vid-d"},
        {"id": "y-d2", "text": text(words(9)), "group": "vid-d"},
        {"id": "solo", "text": text(words(10))},
        # empty normal form (if preprocess keeps them): never duplicates of each other
        {"id": "emoji", "text": "😢 😢 😢 😢"},
        {"id": "emoji2", "text": "🙂 🙂 🙂 🙂"},
        {"id": "conv", "messages": [{"role": "user", "content": text(words(11))}]},
        {"id": "conv-copy", "text": text(words(11)).upper()},  # same words as the turn
    ]
    rows += [{"id": f"f{i:03d}", "text": text(words(100 + i))} for i in range(20)]
    rows.append({"id": "m-1", "text": text(base) + " ."})  # smallest id, written last
    return rows


EXPECTED_REMOVED = {
    "m-2": "exact_duplicate",
    "m-3": "exact_duplicate",
    "m-4": "near_duplicate",
    "b3": "near_duplicate",
    "y-d1": "near_duplicate",
    "conv-copy": "exact_duplicate",
}


def make(
    tmp_path: Path, data_rows: list[dict[str, Any]], files: int, shard_mb: float, **dedup: Any
) -> Run:
    data = tmp_path / "data"
    per = (len(data_rows) + files - 1) // files
    for f in range(files):
        write_jsonl(data / f"part-{f}.jsonl", data_rows[f * per : (f + 1) * per])
    cfg = from_dict(
        {"source": {"paths": [str(data / "*.jsonl")], "shard_mb": shard_mb}, "dedup": dedup}
    )
    return Run.create(LocalStore(tmp_path / "store"), cfg, "dd-1")


def run_through(run: Run, last: str = "dedup_filter") -> None:
    for stage in STAGE_ORDER:
        for s in plan_stage(run, stage):
            execute_shard(run, stage, s.id)
        complete_stage(run, stage)
        if stage == last:
            return


def survivors(run: Run) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for s in plan_stage(run, "dedup_filter"):
        path = run.store.root / run.key("dedup_filter", "out", s.id, "records.parquet")  # type: ignore[attr-defined]
        for rec in read_parquet(path):
            assert rec["id"] not in out
            out[rec["id"]] = rec["cluster"]
    return out


def preprocessed(run: Run) -> set[str]:
    """Ids of the records that left preprocess (its filters are not under test here)."""
    ids: set[str] = set()
    for s in plan_stage(run, "preprocess"):
        path = run.store.root / run.key("preprocess", "out", s.id, "records.parquet")  # type: ignore[attr-defined]
        ids.update(r["id"] for r in read_parquet(path))
    must = {r["id"] for r in dataset()} - {"emoji", "emoji2"}
    assert must <= ids, f"preprocess dropped {sorted(must - ids)}"
    return ids


# -- units -----------------------------------------------------------------------------------
def test_normal_form_and_exact_hash() -> None:
    assert normal_form("  Hello,\tWORLD!!  I'm  fine 😢 ") == "hello world i m fine"
    assert normal_form("École – naïve_case") == "école naïve case"
    assert normal_form("?!… ---") == ""
    assert exact_hash(normal_form("A, b.")) == exact_hash(normal_form("a b"))
    assert exact_hash("a b") != exact_hash("a c")


def test_minhash_estimates_jaccard_and_lsh_params() -> None:
    mh = MinHasher(128, 5, "t")
    base = words(1, 60)
    errs = []
    for k in range(30):
        other = list(base)
        for j in random.Random(k).sample(range(60), k % 6):
            other[j] = "zebra"
        sig = mh.signatures([text(base), text(other)])
        errs.append(
            float(estimated_jaccard(sig[0], sig[1])) - shingle_jaccard(text(base), text(other))
        )
    assert abs(float(np.mean(errs))) < 0.03 and max(map(abs, errs)) < 0.15
    again = MinHasher(128, 5, "t").signatures([text(base)])
    assert (again == mh.signatures([text(base)])).all()  # seeded, deterministic
    assert (MinHasher(128, 5, "u").signatures([text(base)]) != again).any()
    short = mh.signatures(["one", "two words"])  # fewer words than ngram: one shingle
    assert short.shape == (2, 128)
    bands, rows = lsh_params(0.8, 128)
    assert bands * rows <= 128
    p_at = lambda s: 1 - (1 - s**rows) ** bands  # noqa: E731
    assert p_at(0.85) > 0.95 and p_at(0.9) > 0.99 and p_at(0.5) < 0.05
    assert lsh_params(0.5, 128)[1] < rows  # a lower threshold needs fewer rows per band


def test_big_buckets_stay_linear_and_exact_copies_collapse() -> None:
    m = 500
    key = np.full(m, 7, np.uint64)
    kind = np.zeros(m, np.uint8)
    ref = np.arange(m, dtype=np.uint64)
    eh = np.arange(m, dtype=np.uint64) * np.uint64(977)
    a, _ = near_candidates(key, kind, ref, eh, collapse=True)
    assert len(a) == sum(m - d for d in range(1, WINDOW + 1))  # not m*(m-1)/2
    small = ALL_PAIRS_MAX // 2
    a, _ = near_candidates(key[:small], kind[:small], ref[:small], eh[:small], collapse=True)
    assert len(a) == small * (small - 1) // 2
    same = np.full(m, 5, np.uint64)  # 500 copies of one text in one bucket: no pairs needed
    a, _ = near_candidates(key, kind, ref, same, collapse=True)
    assert len(a) == 0


def test_decide_reasons_survivor_and_cluster_keys() -> None:
    ids = ["d", "b", "c", "a", "e"]
    groups = [None, "g2", None, "g1", None]
    eh = np.array([1, 1, 2, 3, 9], np.uint64)  # d and b have the same normal form
    ea = np.array([0, 1, 2], np.int64)
    eb = np.array([1, 2, 3], np.int64)
    dec = decide(ids, ["h"] * 5, groups, eh, ea, eb)
    assert dec.drop == ["exact_duplicate", "near_duplicate", "near_duplicate", None, None]
    assert dec.cluster[:4] == ["g:g1"] * 4
    assert dec.cluster[4] == "r:e"
    assert dec.group_cluster == {"g2": "g:g1"}
    assert dec.dup_cluster_sizes == {4: 1, 1: 1}


def test_config_validation_names_the_key() -> None:
    for bad, key in [
        ({"threshold": 1.5}, "dedup.threshold"),
        ({"action": "delete"}, "dedup.action"),
        ({"bands": 4}, "dedup.bands"),
        ({"bands": 20, "rows": 10}, "dedup.bands"),
        ({"ngram": 0}, "dedup.ngram"),
        ({"num_perm": "many"}, "dedup.num_perm"),
        ({"shingles": 3}, "[dedup] unknown key"),
    ]:
        with pytest.raises(ConfigError, match=key.replace("[", r"\[")):
            from_dict({"source": {"paths": ["x.jsonl"]}, "dedup": bad})


# -- stages ------------------------------------------------------------------------------------
def test_duplicates_across_shards_removed_smallest_id_survives(tmp_path: Path) -> None:
    run = make(tmp_path, dataset(), files=3, shard_mb=0.002, partitions=5)
    run_through(run)
    assert len(plan_stage(run, "dedup_sig")) >= 6  # really many shards
    assert len(plan_stage(run, "dedup_pairs")) == 5
    kept = survivors(run)
    assert set(kept) == preprocessed(run) - set(EXPECTED_REMOVED)
    done = run.stage_done("dedup_filter")
    assert done is not None
    assert done["counts"]["filtered"] == {"exact_duplicate": 3, "near_duplicate": 3}
    assert_accounting_prefix(run)
    # clusters: a and b joined through the removed b3; x joined video d; the rest default
    assert {kept[i] for i in ("a1", "a2", "a3", "b1", "b2")} == {"g:vid-a"}
    assert kept["c1"] == "g:vid-c"
    assert kept["x"] == kept["y-d2"] == "g:vid-d"
    assert kept["m-1"] == "r:m-1" and kept["m-far"] == "r:m-far" and kept["solo"] == "r:solo"
    for e in {"emoji", "emoji2"} & set(kept):
        assert kept[e] == f"r:{e}"
    summary = run.store.get_json(summary_key(run))
    assert summary["removed"] == {"exact_duplicate": 3, "near_duplicate": 3}
    assert summary["duplicate_cluster_sizes"] == {"2": 3, "4": 1}
    assert "3 exact + 3 near" in run.stage_done("dedup_cluster")["info"]["dedup"][0]


def assert_accounting_prefix(run: Run) -> None:
    prev = None
    for stage in STAGE_ORDER[: STAGE_ORDER.index("dedup_filter") + 1]:
        done = run.stage_done(stage)
        assert done is not None
        c = done["counts"]
        assert c["in"] == c["kept"] + sum(c["filtered"].values()) + sum(c["errored"].values())
        if prev is not None:
            assert c["in"] == prev, stage
        prev = c["kept"]


def test_same_survivors_whatever_the_sharding_and_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.stages.dedup as dedup_stages

    monkeypatch.setattr(dedup_stages, "TARGET_PARTITION_ROWS", 200)  # auto: several
    rows = dataset()
    results = []
    layouts = [(3, 0.002, rows), (1, 64.0, rows[::-1]), (5, 0.0007, rows[7:] + rows[:7])]
    for i, (files, mb, order) in enumerate(layouts):
        run = make(tmp_path / f"v{i}", order, files=files, shard_mb=mb)
        run_through(run)
        results.append((survivors(run), run.stage_done("dedup_filter")["counts"]["filtered"]))  # type: ignore[index]
    runs = [make_store_run(tmp_path / f"v{i}") for i in range(3)]
    shards = [len(plan_stage(r, "dedup_sig")) for r in runs]
    parts = [len(plan_stage(r, "dedup_pairs")) for r in runs]
    assert len(set(shards)) == 3  # three different layouts
    assert parts[1] == 1 and parts[0] > 1 and parts[2] > 1  # auto: <= one per shard
    assert results[0] == results[1] == results[2]


def make_store_run(path: Path) -> Run:
    return Run(LocalStore(path / "store"), "dd-1")


def test_threshold_respected_and_lsh_false_positives_rejected(tmp_path: Path) -> None:
    # 32 bands of 1 value: almost any pair collides somewhere, verification must reject
    run = make(tmp_path, dataset(), files=2, shard_mb=0.004, bands=32, rows=1)
    run_through(run)
    kept = survivors(run)
    assert "m-far" in kept and kept["m-far"] == "r:m-far"
    assert set(kept) == preprocessed(run) - set(EXPECTED_REMOVED)
    summary = run.store.get_json(summary_key(run))
    assert summary["near_rejected"] > 0
    assert summary["params"]["bands"] == 32
    # a lower threshold takes the far pair too
    low = make(tmp_path / "low", dataset(), files=2, shard_mb=0.004, threshold=0.3)
    run_through(low)
    assert "m-far" not in survivors(low)


def test_keep_action_only_assigns_clusters(tmp_path: Path) -> None:
    run = make(tmp_path, dataset(), files=2, shard_mb=0.004, action="keep")
    run_through(run)
    kept = survivors(run)
    assert set(kept) == preprocessed(run)
    assert kept["b3"] == "g:vid-a"
    c = run.stage_done("dedup_filter")["counts"]  # type: ignore[index]
    assert c["filtered"] == {}
    assert c["extra"] == {"flagged_exact_duplicate": 3, "flagged_near_duplicate": 3}


def test_exact_only_and_disabled(tmp_path: Path) -> None:
    run = make(tmp_path / "e", dataset(), files=2, shard_mb=0.004, near=False)
    run_through(run)
    assert run.stage_done("dedup_filter")["counts"]["filtered"] == {"exact_duplicate": 3}  # type: ignore[index]
    off = make(tmp_path / "off", dataset(), files=2, shard_mb=0.004, enabled=False)
    run_through(off)
    kept = survivors(off)
    assert set(kept) == preprocessed(off) and set(kept.values()) == {None}
    assert json.loads(off.store.get(summary_key(off)))["enabled"] is False


def test_whole_run_publishes_with_dedup(tmp_path: Path) -> None:
    run = make(tmp_path, dataset(), files=2, shard_mb=0.004)
    assert run_local(run)["status"] == "succeeded"
    counts = assert_accounting(run)
    assert counts["dedup_filter"]["filtered"] == {"exact_duplicate": 3, "near_duplicate": 3}
    manifest = json.loads(release_files(run.store, "dataset")["manifest.json"])
    assert sum(v["rows"] for v in manifest["splits"].values()) == counts["split"]["kept"]
    assert manifest["stages"]["dedup_filter"]["filtered"]["near_duplicate"] == 3
