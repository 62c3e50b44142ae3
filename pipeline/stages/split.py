"""Split: train/validation/test assignment that never splits a group.

**Group key.** The first non-empty of ``split.group_by`` (default ``cluster``: the connected
component of records linked by a shared ``group`` or a near-duplicate match), then ``group``
(when ``group_by`` is ``cluster``), then the record ``id``. Every record of a group lands in
the same split, so chunks of one document, turns of one thread and near-duplicates across
sources never straddle train and test.

**Position.** Each group key has a position ``u = sha256(seed, key)`` in [0, 1) (64 bits). The
cut points ``train`` and ``train + validation`` divide [0, 1) into the three splits.

``method = "hash"``: the split is the interval ``u`` falls in. A pure function of key, seed and
ratios: the same group gets the same split in every run and every dataset. The ratios are then
only right on average: with N groups the train share of *groups* has a standard deviation of
``sqrt(0.7 * 0.3 / N)`` (1.45 points at N = 1,000), more for records when group sizes vary.

``method = "balanced"`` (default): start from the same positions, then move the fewest groups,
always those lying nearest a cut point, until record counts hit the ratios (crisis records
first, within the crisis stratum, then all records). Plan time reads the group columns of every
upstream shard once (``build_assignment``) and writes per-shard ``key -> split`` tables that the
shard tasks look up. Groups already published in the dataset's latest release (same split
settings, ``split.inherit``) keep their split, so new data never moves old records; only groups
near a cut point depend on the rest of the dataset.

The content filter's removals (harmful text from every split, unsafe crisis responses from
train only) are applied here too, and the balancing counts records *after* them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as _pc
import pyarrow.parquet as pq

from pipeline.config import SafetySection, SplitSection
from pipeline.records import Record
from pipeline.stages.base import RecordStage, ShardContext

if TYPE_CHECKING:
    from pipeline.runs import Run, Shard

log = logging.getLogger("pipeline.split")
pc: Any = _pc  # pyarrow.compute is loosely typed in the stubs

SPLITS = ("train", "validation", "test")
# what a release must share with this run for its assignments to be inherited
INHERIT_KEYS = ("train", "validation", "test", "seed", "group_by", "method", "stratify_crisis")
MAX_SCAN = 256  # candidates looked at per move before giving up on a pair of splits

F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]


# -- group keys and positions ---------------------------------------------------------------
def key_columns(group_by: str) -> list[str]:
    """Columns tried in order for a record's group key."""
    cols = [group_by]
    if group_by == "cluster":
        cols.append("group")
    if group_by != "id":
        cols.append("id")
    return cols


def group_key(rec: Record, group_by: str) -> str:
    for col in key_columns(group_by):
        g = rec.get(col)
        if g not in (None, ""):
            return str(g)
    return str(rec["id"])


def position(key: str, seed: str) -> float:
    """The group's place in [0, 1): the first 64 bits of sha256(seed NUL key)."""
    digest = hashlib.sha256(f"{seed}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _cuts(cfg: SplitSection) -> tuple[float, float]:
    return cfg.train, cfg.train + cfg.validation


def hash_split(u: float, cfg: SplitSection) -> int:
    c1, c2 = _cuts(cfg)
    return 0 if u < c1 else 1 if u < c2 else 2


def assign_split(key: str, cfg: SplitSection) -> str:
    """The ``method = "hash"`` split of a group key (also the starting point of balancing)."""
    return SPLITS[hash_split(position(key, cfg.seed), cfg)]


def removal_reason(flags: list[str], split: str, safety: SafetySection) -> str | None:
    """Why a record flagged by the content filter is left out of ``split`` (or None).

    Harmful content (instructions, encouragement, lethal doses) leaves every split; a crisis
    conversation answered without a safety response leaves the train split only.
    """
    if safety.drop_harmful:
        for f in flags:
            if f.startswith("harmful:"):
                return "harmful_content:" + f.split(":", 1)[1]
    unsafe = any(f.startswith("unsafe_response:") for f in flags)
    if split == "train" and safety.exclude_unsafe_responses_from_train and unsafe:
        return "unsafe_crisis_response"
    return None


# -- balancing ------------------------------------------------------------------------------
def _objective(c: F64, r: F64) -> float:
    dev = c - r * c.sum()
    return float(np.dot(dev, dev))


def _rebalance(
    split: I8,
    u: F64,
    movable: npt.NDArray[np.bool_],
    w_train: F64,
    w_other: F64,
    counted: npt.NDArray[np.bool_],
    ratios: F64,
    cuts: tuple[float, float],
) -> int:
    """Move movable groups between splits, nearest a cut point first, while that brings the
    weighted counts of the ``counted`` groups closer to ``ratios``. Returns groups moved.

    A group's weight is ``w_train`` in train and ``w_other`` elsewhere (records the content
    filter removes from train only). Every accepted move strictly lowers the squared deviation,
    so the loop ends; ``MAX_SCAN`` bounds the search for a group small enough to help.
    """

    def weight(i: int, s: int) -> float:
        return float(w_train[i] if s == 0 else w_other[i])

    c = np.zeros(3)
    for s in range(3):
        sel = counted & (split == s)
        c[s] = (w_train if s == 0 else w_other)[sel].sum()
    lower = (0.0, cuts[0], cuts[1])
    upper = (cuts[0], cuts[1], 1.0)
    lists: dict[tuple[int, int], npt.NDArray[np.intp]] = {}
    ptr: dict[tuple[int, int], int] = {}
    for src in range(3):
        idx = np.flatnonzero(movable & (split == src))
        for dst in range(3):
            if dst == src:
                continue
            # dst follows src on the circle train -> validation -> test -> train: the shared
            # boundary is src's upper cut; otherwise its lower cut
            dist = upper[src] - u[idx] if dst == (src + 1) % 3 else u[idx] - lower[src]
            order = np.lexsort((idx, dist))  # nearest first; ties by group index
            lists[(src, dst)] = idx[order]
            ptr[(src, dst)] = 0
    moved = 0
    while True:
        obj = _objective(c, ratios)
        dev = c - ratios * c.sum()
        pairs = [(s, d) for s in range(3) for d in range(3) if dev[s] > 0 > dev[d]]
        pairs.sort(key=lambda p: (-(dev[p[0]] - dev[p[1]]), p))
        accepted = False
        for pair in pairs:
            src, dst = pair
            lst = lists[pair]
            j, scanned = ptr[pair], 0
            while j < len(lst) and scanned < MAX_SCAN:
                i = int(lst[j])
                if split[i] != src:  # already moved by another pair
                    if j == ptr[pair]:
                        ptr[pair] += 1
                    j += 1
                    continue
                trial = c.copy()
                if counted[i]:
                    trial[src] -= weight(i, src)
                    trial[dst] += weight(i, dst)
                if _objective(trial, ratios) < obj:
                    split[i] = dst
                    c = trial
                    moved += 1
                    if j == ptr[pair]:
                        ptr[pair] += 1
                    accepted = True
                    break
                scanned += 1
                j += 1
            if accepted:
                break
        if not accepted:
            return moved


def balance(
    u: F64,
    records_train: F64,
    records_other: F64,
    crisis_train: F64,
    crisis_other: F64,
    crisis_group: npt.NDArray[np.bool_],
    pinned: I8,
    cfg: SplitSection,
) -> tuple[I8, dict[str, int]]:
    """Split code (0 train, 1 validation, 2 test) per group.

    Starts from each group's hash split (``pinned`` >= 0 overrides it and is never moved),
    then, if ``cfg.stratify_crisis``, balances crisis records by moving crisis groups only,
    then balances all records by moving the other groups.
    """
    ratios = np.array([cfg.train, cfg.validation, cfg.test])
    cuts = _cuts(cfg)
    split = np.where(u < cuts[0], 0, np.where(u < cuts[1], 1, 2)).astype(np.int8)
    is_pinned = pinned >= 0
    split[is_pinned] = pinned[is_pinned]
    free = ~is_pinned
    everyone = np.ones(len(u), dtype=bool)
    moved_crisis = 0
    if cfg.stratify_crisis:
        moved_crisis = _rebalance(
            split, u, free & crisis_group, crisis_train, crisis_other, crisis_group, ratios, cuts
        )
        free = free & ~crisis_group
    moved_other = _rebalance(split, u, free, records_train, records_other, everyone, ratios, cuts)
    return split, {"moved_crisis_groups": moved_crisis, "moved_other_groups": moved_other}


# -- plan time: the assignment tables --------------------------------------------------------
def _nullify_empty(a: Any) -> Any:
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, a.type), a)


def _key_array(batch: pa.RecordBatch, cols: list[str]) -> Any:
    arrays = [_nullify_empty(batch.column(c)) for c in cols]
    out = pc.coalesce(*arrays) if len(arrays) > 1 else arrays[0]
    return out.cast(pa.large_string())


def _flag_mask(flags: Any, prefix: str, n: int) -> npt.NDArray[np.bool_]:
    """Per record: does any of its flags start with ``prefix``?"""
    mask = np.zeros(n, dtype=bool)
    flat = pc.list_flatten(flags)
    if len(flat) == 0:
        return mask
    parents = pc.list_parent_indices(flags).to_numpy(zero_copy_only=False)
    hit = pc.fill_null(pc.starts_with(flat, prefix), False).to_numpy(zero_copy_only=False)
    mask[parents[hit]] = True
    return mask


def _prior_release(run: Run) -> tuple[str | None, Any, Any]:
    """Record ids and split codes of the dataset's latest release, when its split settings
    match this run's (else nothing is inherited)."""
    empty = (None, pa.array([], pa.large_string()), pa.array([], pa.int8()))
    cfg = run.config
    if not cfg.split.inherit:
        return empty
    st = run.store
    latest = st.get_json_or_none(f"releases/{cfg.run.dataset}/latest.json")
    if latest is None:
        return empty
    prefix = f"releases/{cfg.run.dataset}/{latest['version']}"
    manifest = st.get_json_or_none(f"{prefix}/manifest.json")
    if manifest is None:
        return empty
    mine = {k: asdict(cfg.split)[k] for k in INHERIT_KEYS}
    theirs = (manifest.get("split") or {}).get("config") or {}
    if {k: theirs.get(k) for k in INHERIT_KEYS} != mine:
        log.info("latest release %s has other split settings: nothing inherited", prefix)
        return empty
    ids: list[Any] = []
    codes: list[Any] = []
    for code, split in enumerate(SPLITS):
        files = [f for f in manifest["files"] if f.get("split") == split]
        pq_files = [f for f in files if f["path"].endswith(".parquet")]
        for f in pq_files or [f for f in files if f["path"].endswith(".jsonl")][:1]:
            with st.local_copy(f"{prefix}/{f['path']}") as p:
                if f["path"].endswith(".parquet"):
                    col = pq.read_table(str(p), columns=["id"]).column("id")
                    arr = pa.concat_arrays([c.cast(pa.large_string()) for c in col.chunks])
                else:
                    with open(p, encoding="utf-8") as fh:
                        arr = pa.array([json.loads(line)["id"] for line in fh if line.strip()])
                    arr = arr.cast(pa.large_string())
            ids.append(arr)
            codes.append(pa.array(np.full(len(arr), code, dtype=np.int8)))
    if not ids:
        return empty
    return str(latest["version"]), pa.concat_arrays(ids), pa.concat_arrays(codes)


def build_assignment(run: Run, input_stage: str, shards: list[Shard]) -> str:
    """Compute the balanced split of every group from ``input_stage``'s outputs and write one
    ``key -> split`` table per shard plus ``summary.json`` under
    ``runs/<id>/split/assign/<digest>/``; returns the digest (content address)."""
    cfg, safety = run.config.split, run.config.safety
    cols = key_columns(cfg.group_by)
    prior_version, prior_ids, prior_codes = _prior_release(run)
    read = sorted({*cols, "id", "crisis", "label", "flags"})
    shard_keys: list[Any] = []
    parts: dict[str, list[npt.NDArray[Any]]] = {
        k: [] for k in ("crisis", "gone_all", "gone_train", "prior")
    }
    for shard in shards:
        keys_here: list[Any] = []
        with run.store.local_copy(run.key(input_stage, "out", shard.id, "records.parquet")) as p:
            for batch in pq.ParquetFile(str(p)).iter_batches(columns=read, batch_size=65536):
                n = batch.num_rows
                keys_here.append(_key_array(batch, cols))
                crisis = pc.fill_null(batch.column("crisis"), False)
                labelled = pc.fill_null(pc.equal(batch.column("label"), 1), False)
                parts["crisis"].append(
                    pc.or_(crisis, labelled).to_numpy(zero_copy_only=False).astype(bool)
                )
                flags = batch.column("flags")
                harmful = _flag_mask(flags, "harmful:", n) & safety.drop_harmful
                unsafe = _flag_mask(flags, "unsafe_response:", n)
                unsafe &= safety.exclude_unsafe_responses_from_train
                parts["gone_all"].append(harmful)
                parts["gone_train"].append(harmful | unsafe)
                if len(prior_ids):
                    at = pc.index_in(batch.column("id").cast(pa.large_string()), prior_ids)
                    prior = pc.fill_null(pc.take(prior_codes, at), -1)
                    parts["prior"].append(prior.to_numpy(zero_copy_only=False).astype(np.int8))
                else:
                    parts["prior"].append(np.full(n, -1, dtype=np.int8))
        shard_keys.append(
            pa.concat_arrays(keys_here) if keys_here else pa.array([], pa.large_string())
        )
    all_keys = pa.concat_arrays(shard_keys) if shard_keys else pa.array([], pa.large_string())
    enc = all_keys.dictionary_encode()
    g = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    dictionary = enc.dictionary
    n_groups = len(dictionary)

    def cat(name: str, dtype: Any) -> npt.NDArray[Any]:
        arrs = parts[name]
        return np.concatenate(arrs).astype(dtype) if arrs else np.zeros(0, dtype=dtype)

    crisis_rec = cat("crisis", bool)
    gone_all, gone_train, prior_rec = (
        cat("gone_all", bool),
        cat("gone_train", bool),
        cat("prior", np.int8),
    )

    def per_group(weights: npt.NDArray[Any]) -> F64:
        out = np.bincount(g, weights=weights.astype(np.float64), minlength=n_groups)
        return np.asarray(out, dtype=np.float64)

    records_other = per_group(~gone_all)
    records_train = per_group(~gone_train)
    crisis_other = per_group(crisis_rec & ~gone_all)
    crisis_train = per_group(crisis_rec & ~gone_train)
    crisis_group = per_group(crisis_rec) > 0
    prior_counts = np.stack([per_group(prior_rec == s) for s in range(3)], axis=1)
    has_prior = prior_counts.sum(axis=1) > 0
    pinned = np.where(has_prior, prior_counts.argmax(axis=1), -1).astype(np.int8)
    # records whose group was split across the prior release (its cluster grew to join two
    # groups, or group_by changed) and that must move to stay with their group
    prior_moved = int(prior_counts.sum() - prior_counts.max(axis=1)[has_prior].sum())
    u = np.fromiter(
        (position(str(k), cfg.seed) for k in dictionary.to_pylist()),
        dtype=np.float64,
        count=n_groups,
    )
    split, moves = balance(
        u, records_train, records_other, crisis_train, crisis_other, crisis_group, pinned, cfg
    )
    c1, c2 = _cuts(cfg)
    by_hash = np.where(u < c1, 0, np.where(u < c2, 1, 2))
    differs = split != by_hash

    def planned(train: F64, other: F64, s: int) -> int:
        return int((train if s == 0 else other)[split == s].sum())

    summary: dict[str, Any] = {
        "method": "balanced",
        "config": {k: asdict(cfg)[k] for k in INHERIT_KEYS},
        "input_stage": input_stage,
        "groups": n_groups,
        "crisis_groups": int(crisis_group.sum()),
        "records": len(g),
        "planned": {
            name: {
                "rows": planned(records_train, records_other, s),
                "crisis": planned(crisis_train, crisis_other, s),
                "groups": int((split == s).sum()),
            }
            for s, name in enumerate(SPLITS)
        },
        # groups placed away from their hash split (by balancing now or in the release
        # they were inherited from) and their records
        "not_at_hash_split": {
            **moves,
            "groups": int(differs.sum()),
            "records": int(records_other[differs].sum()),
        },
        "inherited": {
            "from_version": prior_version,
            "groups": int(has_prior.sum()),
            "records_moved_to_rejoin_group": prior_moved,
        },
    }
    tmp = Path(tempfile.mkdtemp(prefix="pipeline-split-plan-"))
    try:
        h = hashlib.sha256()
        offset = 0
        files: list[tuple[str, Path]] = []
        for shard, keys in zip(shards, shard_keys, strict=True):
            gi = g[offset : offset + len(keys)]
            offset += len(keys)
            uniq = np.unique(gi)
            table = pa.table(
                {
                    "key": dictionary.take(pa.array(uniq, pa.int64())),
                    "split": pa.array(split[uniq], pa.int8()),
                }
            )
            path = tmp / f"{shard.id}.parquet"
            pq.write_table(table, str(path), compression="zstd")
            h.update(shard.id.encode() + b"\0" + path.read_bytes())
            files.append((shard.id, path))
        body = json.dumps(summary, sort_keys=True).encode()
        h.update(body)
        digest = h.hexdigest()[:16]
        base = run.key("split", "assign", digest)
        for shard_id, path in files:
            run.store.put_file(f"{base}/{shard_id}.parquet", path)
        run.store.put_json(f"{base}/summary.json", summary)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info(
        "split plan: %d groups, %d moved from their hash split, %d inherited from %s",
        n_groups, sum(moves.values()), int(has_prior.sum()), prior_version,
    )  # fmt: skip
    return digest


def assignment_summary(run: Run) -> dict[str, Any] | None:
    """The balanced plan's summary (None for ``method = "hash"`` or before planning)."""
    plan = run.plan("split")
    if not plan or not plan[0].spec.get("assignment"):
        return None
    doc = run.store.get_json_or_none(
        run.key("split", "assign", plan[0].spec["assignment"], "summary.json")
    )
    return dict(doc) if doc is not None else None


# -- the stage --------------------------------------------------------------------------------
class SplitStage(RecordStage):
    name = "split"
    queue = "cpu"

    @property
    def input_stage(self) -> str:  # type: ignore[override]
        """The stage just before this one (annotate, or a later stage inserted before split)."""
        from pipeline.stages import STAGE_ORDER

        return STAGE_ORDER[STAGE_ORDER.index(self.name) - 1]

    def plan(self, run: Run) -> list[Shard]:
        from pipeline.runs import Shard

        inp = self.input_stage
        upstream = run.plan(inp)
        if upstream is None:
            raise RuntimeError(f"stage {self.name}: {inp} has no plan yet")
        spec: dict[str, Any] = {"input": inp}
        if run.config.split.method == "balanced":
            spec["assignment"] = build_assignment(run, inp, upstream)
        return [Shard(s.id, dict(spec)) for s in upstream]

    def process(self, ctx: ShardContext) -> None:
        cfg = ctx.run.config.split
        safety = ctx.run.config.safety
        led = ctx.ledger
        inp = ctx.shard.spec.get("input", self.input_stage)
        ctx.info["split_method"] = cfg.method
        lookup: dict[str, int] | None = None
        digest = ctx.shard.spec.get("assignment")
        if digest:
            key = ctx.run.key("split", "assign", digest, f"{ctx.shard.id}.parquet")
            with ctx.run.store.local_copy(key) as p:
                t = pq.read_table(str(p))
            keys: list[Any] = t.column("key").to_pylist()
            codes: list[Any] = t.column("split").to_pylist()
            lookup = dict(zip(keys, codes, strict=True))
        writers = {s: ctx.writer(s) for s in SPLITS}
        for i, rec in enumerate(ctx.read(inp, ctx.shard.id)):
            if i % self.CHECK_EVERY == 0:
                ctx.check_cancel()
            led.seen()
            try:
                gk = group_key(rec, cfg.group_by)
                code = lookup.get(gk) if lookup is not None else None
                if code is None:
                    if lookup is not None:  # upstream changed since the plan: never seen key
                        led.extra["split_unplanned"] += 1
                    split = assign_split(gk, cfg)
                else:
                    split = SPLITS[code]
            except Exception as exc:
                led.error("step_exception", f"{type(exc).__name__}: {exc}", {"id": rec.get("id")})
                continue
            reason = removal_reason(rec.get("flags") or [], split, safety)
            if reason is not None:
                led.filter(reason)
                continue
            rec["split"] = split
            writers[split].write(rec)
            led.keep()
            led.extra[f"split_{split}"] += 1
