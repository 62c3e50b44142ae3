"""Dedup across the whole run, as four stages between preprocess and annotate.

``dedup_sig`` (one shard per preprocess shard)
    Per record: the exact hash of its normal form and (``near``) a MinHash signature; the
    LSH band keys and the exact hash become bucket rows, written partitioned by key range
    (``partitions`` files per shard). Also writes the shard's ``meta.parquet`` (id, group,
    content hash, exact hash) and ``sig.u16`` (signatures, row-aligned). Records pass
    through untouched (nothing is copied; ``dedup_filter`` reads the preprocess output).
``dedup_pairs`` (one shard per partition)
    Reads its partition from every ``dedup_sig`` shard and emits candidate pairs: exact
    (same exact hash) and near (same band bucket). Accounts for the records of the
    ``dedup_sig`` shards whose index is congruent to its partition number.
``dedup_cluster`` (one shard, the global step)
    Verifies every near candidate by its estimated Jaccard (fraction of equal signature
    values >= ``threshold``) so LSH false positives never chain clusters, unions the links,
    picks survivors (smallest ``(id, content_hash)`` per duplicate cluster) and split
    clusters, and writes one small assignment file per input shard plus
    ``runs/<run>/dedup/summary.json``. Memory grows with the number of linked records and
    candidate pairs, not with bytes of text.
``dedup_filter`` (one shard per preprocess shard)
    Streams the preprocess output, drops the non-survivors (``exact_duplicate``,
    ``near_duplicate``, counted in the ledger) and sets ``cluster`` on every survivor.

Every stage's memory is bounded by its shard, except ``dedup_cluster`` (see above).
Decisions depend only on record contents and ids, never on shard layout or order.
"""

from __future__ import annotations

import math
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import DedupSection
from pipeline.dedup.cluster import Decisions, decide, default_cluster
from pipeline.dedup.lsh import (
    EXACT,
    band_keys,
    exact_pairs,
    lsh_params,
    near_candidates,
    partition_of,
)
from pipeline.dedup.minhash import U64, MinHasher
from pipeline.dedup.normal import exact_hash, normal_form
from pipeline.runs import Run, Shard
from pipeline.stages.base import ShardContext, output_rows

INPUT = "preprocess"
SIG, PAIRS, CLUSTER, FILTER = "dedup_sig", "dedup_pairs", "dedup_cluster", "dedup_filter"
MAX_AUTO_PARTITIONS = 256
# bucket rows per dedup_pairs shard that ``partitions = 0`` aims at (~25 bytes each)
TARGET_PARTITION_ROWS = 2_000_000
BATCH = 2048
ROW_MASK = np.uint64(0xFFFFFFFF)
PAIR_CHUNK = 16384


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, t) for name, t in cols])


BUCKET_SCHEMA = _schema(
    ("key", pa.uint64()), ("kind", pa.uint8()), ("ref", pa.uint64()), ("ehash", pa.uint64())
)
META_SCHEMA = _schema(
    ("id", pa.string()), ("group", pa.string()), ("chash", pa.string()), ("ehash", pa.uint64())
)
PAIR_SCHEMA = _schema(("a", pa.uint64()), ("b", pa.uint64()), ("exact", pa.bool_()))
ASSIGN_SCHEMA = _schema(
    ("row", pa.uint32()), ("id", pa.string()), ("cluster", pa.string()), ("drop", pa.string())
)


def active(cfg: DedupSection) -> bool:
    """Whether any duplicate links are searched for (else only default clusters)."""
    return cfg.enabled and (cfg.exact or cfg.near)


def bands_rows(cfg: DedupSection) -> tuple[int, int]:
    if cfg.bands:
        return cfg.bands, cfg.rows
    return lsh_params(cfg.threshold, cfg.num_perm)


def summary_key(run: Run) -> str:
    return run.key("dedup", "summary.json")


def _put_table(ctx: ShardContext, key: str, table: pa.Table) -> None:
    """Upload ``table`` as Parquet (through a file in the shard's work dir: no extra copy of
    the bytes in memory)."""
    path = ctx.workdir / "upload.parquet"
    pq.write_table(table, str(path), compression="zstd", compression_level=1)
    ctx.run.store.put_file(key, path)
    path.unlink()


def _read_table(run: Run, key: str, columns: list[str] | None = None) -> pa.Table:
    with run.store.local_copy(key) as path:
        return pq.read_table(str(path), columns=columns)


def _bucket_key(run: Run, sig_shard: str, partition: int) -> str:
    return run.key(SIG, "out", sig_shard, f"b{partition:04d}.parquet")


def _output_rows(run: Run, stage: str, shard_id: str) -> int:
    """Rows ``stage`` wrote for ``shard_id`` (from its marker)."""
    marker = run.marker(stage, shard_id)
    if marker is None:
        raise RuntimeError(f"{stage}/{shard_id} has no marker")
    for out in marker["outputs"]:
        if out["name"] == "records":
            return int(out["rows"])
    return 0


def auto_partitions(run: Run, cfg: DedupSection, shards: int) -> int:
    """Enough partitions for ~:data:`TARGET_PARTITION_ROWS` bucket rows each (from the
    preprocess row count), at most one per input shard and :data:`MAX_AUTO_PARTITIONS`."""
    done = run.stage_done(INPUT)
    if done is None:  # not in a real run (stages complete in order): one per shard
        return max(1, min(shards, MAX_AUTO_PARTITIONS))
    records = output_rows(done["counts"])
    per_record = (1 if cfg.exact else 0) + (bands_rows(cfg)[0] if cfg.near else 0)
    want = math.ceil(records * per_record / TARGET_PARTITION_ROWS)
    return max(1, min(want, shards, MAX_AUTO_PARTITIONS))


def _record_text(text: str | None, messages: list[dict[str, str]] | None) -> str:
    if messages:
        return "\n".join(m["content"] for m in messages)
    return text or ""


class DedupSigStage:
    name = SIG
    queue = "cpu"

    def plan(self, run: Run) -> list[Shard]:
        upstream = run.plan(INPUT)
        if upstream is None:
            raise RuntimeError(f"stage {self.name}: {INPUT} has no plan yet")
        cfg = run.config.dedup
        parts = cfg.partitions or auto_partitions(run, cfg, len(upstream))
        return [
            Shard(s.id, {"input": INPUT, "index": i, "partitions": parts})
            for i, s in enumerate(upstream)
        ]

    def process(self, ctx: ShardContext) -> None:
        run, cfg, led = ctx.run, ctx.run.config.dedup, ctx.ledger
        if not active(cfg):
            n = _output_rows(run, INPUT, ctx.shard.id)
            led.seen(n)
            led.keep(n)
            return
        index = int(ctx.shard.spec["index"])
        parts = int(ctx.shard.spec["partitions"])
        hasher = MinHasher(cfg.num_perm, cfg.ngram, cfg.seed) if cfg.near else None
        meta: dict[str, list[Any]] = {"id": [], "group": [], "chash": [], "ehash": []}
        buckets: list[list[list[Any]]] = [[] for _ in range(parts)]
        sig_path = ctx.workdir / "sig.u16"
        row = 0
        cols = ["id", "text", "messages", "group", "content_hash"]
        with (
            run.store.local_copy(run.key(INPUT, "out", ctx.shard.id, "records.parquet")) as src,
            open(sig_path, "wb") as sig_out,
        ):
            for batch in pq.ParquetFile(str(src)).iter_batches(batch_size=BATCH, columns=cols):
                ctx.check_cancel()
                n = batch.num_rows
                led.seen(n)
                texts = batch.column("text").to_pylist()
                messages = batch.column("messages").to_pylist()
                norms = [_normal(t, m) for t, m in zip(texts, messages, strict=True)]
                del texts, messages
                ehash = np.fromiter((exact_hash(x) if x else 0 for x in norms), np.uint64, n)
                meta["id"].append(batch.column("id"))  # Arrow arrays: no Python strings kept
                meta["group"].append(batch.column("group"))
                meta["chash"].append(batch.column("content_hash"))
                meta["ehash"].append(ehash)
                ref = (np.uint64(index) << np.uint64(32)) | np.arange(row, row + n, dtype=np.uint64)
                rows = self._bucket_rows(cfg, hasher, norms, ehash, ref, sig_out)
                if rows is not None:
                    part = partition_of(rows[0], parts)
                    order = np.argsort(part, kind="stable")
                    bounds = np.searchsorted(part[order], np.arange(parts + 1))
                    for p in range(parts):
                        sl = order[bounds[p] : bounds[p + 1]]
                        if len(sl):
                            buckets[p].append([c[sl] for c in rows])
                led.keep(n)
                row += n
        for p in range(parts):
            chunks = buckets[p]
            arrays = [
                np.concatenate([c[i] for c in chunks])
                if chunks
                else np.empty(0, f.type.to_pandas_dtype())
                for i, f in enumerate(BUCKET_SCHEMA)
            ]
            buckets[p] = []
            _put_table(ctx, _bucket_key(run, ctx.shard.id, p), _table(arrays, BUCKET_SCHEMA))
        meta_table = pa.Table.from_arrays(
            [
                pa.chunked_array(meta["id"], pa.string()),
                pa.chunked_array(meta["group"], pa.string()),
                pa.chunked_array(meta["chash"], pa.string()),
                pa.array(_cat(meta["ehash"]), pa.uint64()),
            ],
            schema=META_SCHEMA,
        )
        _put_table(ctx, run.key(SIG, "out", ctx.shard.id, "meta.parquet"), meta_table)
        if hasher is not None:
            run.store.put_file(run.key(SIG, "out", ctx.shard.id, "sig.u16"), sig_path)
        ctx.info["dedup"] = _params_text(cfg)

    @staticmethod
    def _bucket_rows(
        cfg: DedupSection,
        hasher: MinHasher | None,
        norms: list[str],
        ehash: U64,
        ref: U64,
        sig_out: BinaryIO,
    ) -> list[Any] | None:
        """Bucket rows ``[key, kind, ref, ehash]`` of one batch (exact row, then one row per
        band); appends the batch's signatures (low 16 bits) to ``sig_out``. Records with an
        empty normal form get no rows (and a zero signature)."""
        vi = np.flatnonzero(np.fromiter((bool(x) for x in norms), bool, len(norms)))
        out: list[list[Any]] = [[], [], [], []]
        if cfg.exact and len(vi):
            for col, v in zip(
                out, (ehash[vi], np.full(len(vi), EXACT, np.uint8), ref[vi], ehash[vi]), strict=True
            ):
                col.append(v)
        if hasher is not None:
            bands, rows = bands_rows(cfg)
            sig = np.zeros((len(norms), cfg.num_perm), dtype=np.uint32)
            if len(vi):
                sig[vi] = hasher.signatures([norms[i] for i in vi.tolist()])
                keys = band_keys(sig[vi], bands, rows, cfg.seed)
                out[0].append(keys.ravel())
                out[1].append(np.tile(np.arange(bands, dtype=np.uint8), len(vi)))
                out[2].append(np.repeat(ref[vi], bands))
                out[3].append(np.repeat(ehash[vi], bands))
            sig_out.write(sig.astype("<u2").tobytes())  # low 16 bits: see _verify
        if not out[0]:
            return None
        return [np.concatenate(col) for col in out]


def _normal(text: str | None, messages: list[dict[str, str]] | None) -> str:
    return normal_form(_record_text(text, messages))


def _table(arrays: list[Any], schema: pa.Schema) -> pa.Table:
    cols = [pa.array(a, f.type) for a, f in zip(arrays, schema, strict=True)]
    return pa.Table.from_arrays(cols, schema=schema)


def _params_text(cfg: DedupSection) -> str:
    bands, rows = bands_rows(cfg)
    parts = [f"exact={'on' if cfg.exact else 'off'}"]
    if cfg.near:
        parts.append(
            f"near: jaccard>={cfg.threshold:g}, {cfg.ngram}-word shingles, "
            f"num_perm={cfg.num_perm}, bands={bands}x{rows}"
        )
    parts.append(f"action={cfg.action}")
    return "; ".join(parts)


class DedupPairsStage:
    name = PAIRS
    queue = "cpu"

    def plan(self, run: Run) -> list[Shard]:
        sig = run.plan(SIG)
        if sig is None:
            raise RuntimeError(f"stage {self.name}: {SIG} has no plan yet")
        parts = int(sig[0].spec["partitions"]) if sig else 0
        return [Shard(f"p{p:04d}", {"partition": p, "of": parts}) for p in range(parts)]

    def process(self, ctx: ShardContext) -> None:
        run, cfg, led = ctx.run, ctx.run.config.dedup, ctx.ledger
        p, parts = int(ctx.shard.spec["partition"]), int(ctx.shard.spec["of"])
        sig_plan = run.plan(SIG) or []
        # accounting: this shard answers for the records of sig shards index % parts == p
        n = sum(_output_rows_sig(run, s.id) for i, s in enumerate(sig_plan) if i % parts == p)
        led.seen(n)
        if active(cfg):
            tables = []
            for s in sig_plan:
                ctx.check_cancel()
                tables.append(_read_table(run, _bucket_key(run, s.id, p)))
            t = pa.concat_tables(tables) if tables else BUCKET_SCHEMA.empty_table()
            key = t.column("key").to_numpy()
            kind = t.column("kind").to_numpy()
            ref = t.column("ref").to_numpy()
            ehash = t.column("ehash").to_numpy()
            del t, tables
            is_exact = kind == EXACT
            ea, eb = exact_pairs(key[is_exact], ref[is_exact])
            near = ~is_exact
            na, nb = near_candidates(key[near], kind[near], ref[near], ehash[near], cfg.exact)
            table = _table(
                [
                    np.concatenate((ea, na)),
                    np.concatenate((eb, nb)),
                    np.concatenate((np.ones(len(ea), bool), np.zeros(len(na), bool))),
                ],
                PAIR_SCHEMA,
            )
            _put_table(ctx, run.key(PAIRS, "out", ctx.shard.id, "pairs.parquet"), table)
            led.extra["exact_pairs"] += len(ea)
            led.extra["near_candidates"] += len(na)
        led.keep(n)


def _output_rows_sig(run: Run, shard_id: str) -> int:
    marker = run.marker(SIG, shard_id)
    if marker is None:
        raise RuntimeError(f"{SIG}/{shard_id} has no marker")
    return int(marker["counts"]["kept"])


class DedupClusterStage:
    name = CLUSTER
    queue = "cpu"

    def plan(self, run: Run) -> list[Shard]:
        return [Shard("all", {"input": PAIRS})]

    def process(self, ctx: ShardContext) -> None:
        run, cfg, led = ctx.run, ctx.run.config.dedup, ctx.ledger
        done = run.stage_done(SIG)
        if done is None:
            raise RuntimeError(f"stage {self.name}: {SIG} is not complete")
        total = int(done["counts"]["kept"])
        led.seen(total)
        summary: dict[str, Any] = {"records": total, "enabled": cfg.enabled, "action": cfg.action}
        if active(cfg):
            summary.update(self._link(ctx, cfg))
        run.store.put_json(summary_key(run), summary)
        ctx.info["dedup"] = summary_line(summary)
        led.keep(total)

    def _link(self, ctx: ShardContext, cfg: DedupSection) -> dict[str, Any]:
        run = ctx.run
        sig_plan = run.plan(SIG) or []
        bands, rows = bands_rows(cfg)
        # 1. every candidate pair of every partition
        ea_l: list[U64] = []
        eb_l: list[U64] = []
        na_l: list[U64] = []
        nb_l: list[U64] = []
        for s in run.plan(PAIRS) or []:
            ctx.check_cancel()
            t = _read_table(run, run.key(PAIRS, "out", s.id, "pairs.parquet"))
            ex = t.column("exact").to_numpy(zero_copy_only=False)
            a, b = t.column("a").to_numpy(), t.column("b").to_numpy()
            ea_l.append(a[ex])
            eb_l.append(b[ex])
            na_l.append(a[~ex])
            nb_l.append(b[~ex])
        ea, eb = _cat(ea_l), _cat(eb_l)
        na, nb = _unique_pairs(_cat(na_l), _cat(nb_l))  # a pair can share several bands
        # 2. verify near candidates by their estimated Jaccard similarity
        ok = self._verify(ctx, cfg, sig_plan, na, nb)
        va, vb = na[ok], nb[ok]
        # 3. linked records, their metadata, and the decisions
        ga, gb = np.concatenate((ea, va)), np.concatenate((eb, vb))
        nodes = np.unique(np.concatenate((ga, gb)))
        ids: list[str] = []
        chashes: list[str] = []
        groups: list[str | None] = []
        ehashes: list[U64] = []
        shard_of = (nodes >> np.uint64(32)).astype(np.int64)
        for i, s in enumerate(sig_plan):
            lo, hi = np.searchsorted(shard_of, [i, i + 1])
            if lo == hi:
                continue
            ctx.check_cancel()
            t = _read_table(run, run.key(SIG, "out", s.id, "meta.parquet"))
            sub = t.take((nodes[lo:hi] & ROW_MASK).astype(np.int64))
            ids.extend(str(x) for x in sub.column("id").to_pylist())
            groups.extend(None if g is None else str(g) for g in sub.column("group").to_pylist())
            chashes.extend(str(x) for x in sub.column("chash").to_pylist())
            ehashes.append(sub.column("ehash").to_numpy())
        dec = decide(
            ids,
            chashes,
            groups,
            _cat(ehashes),
            np.searchsorted(nodes, ga).astype(np.int64),
            np.searchsorted(nodes, gb).astype(np.int64),
            exact_reason=cfg.exact,
        )
        # 4. one assignment file per input shard (rows whose fate or cluster is not default)
        merged_rows = self._write_assignments(ctx, sig_plan, nodes, shard_of, ids, dec)
        sizes = dict(sorted(dec.dup_cluster_sizes.items()))
        verb = "removed" if cfg.action == "remove" else "flagged"
        return {
            "params": {
                "exact": cfg.exact,
                "near": cfg.near,
                "threshold": cfg.threshold,
                "ngram": cfg.ngram,
                "num_perm": cfg.num_perm,
                "bands": bands,
                "rows": rows,
                "partitions": len(run.plan(PAIRS) or []),
            },
            "exact_pairs": len(ea),
            "near_candidates": len(na),
            "near_verified": len(va),
            "near_rejected": len(na) - len(va),
            "duplicate_clusters": sum(sizes.values()),
            "duplicate_cluster_sizes": {str(k): v for k, v in sizes.items()},
            "records_in_duplicate_clusters": sum(k * v for k, v in sizes.items()),
            verb: {
                "exact_duplicate": dec.removed.get("exact_duplicate", 0),
                "near_duplicate": dec.removed.get("near_duplicate", 0),
            },
            "split_clusters_with_links": dec.linked_components,
            "groups_merged": len(dec.group_cluster),
            "records_reassigned_by_group": merged_rows,
        }

    def _verify(
        self, ctx: ShardContext, cfg: DedupSection, sig_plan: list[Shard], na: U64, nb: U64
    ) -> np.ndarray[Any, np.dtype[np.bool_]]:
        if not len(na):
            return np.zeros(0, dtype=bool)
        run = ctx.run
        refs = np.unique(np.concatenate((na, nb)))
        sigs = np.empty((len(refs), cfg.num_perm), dtype=np.uint16)
        shard_of = (refs >> np.uint64(32)).astype(np.int64)
        for i, s in enumerate(sig_plan):
            lo, hi = np.searchsorted(shard_of, [i, i + 1])
            if lo == hi:
                continue
            ctx.check_cancel()
            with run.store.local_copy(run.key(SIG, "out", s.id, "sig.u16")) as path:
                mm = np.memmap(path, dtype="<u2", mode="r").reshape(-1, cfg.num_perm)
                sigs[lo:hi] = mm[(refs[lo:hi] & ROW_MASK).astype(np.int64)]
                del mm
        ia, ib = np.searchsorted(refs, na), np.searchsorted(refs, nb)
        # Stored are the low 16 bits of each value (b-bit minwise hashing, b = 16): two
        # different values agree by chance with probability 2^-16, so the expected agreement
        # is J + (1 - J) / 65536. Solving for the threshold keeps the test exact.
        chance = 2.0**-16
        need = math.ceil(cfg.num_perm * (cfg.threshold + (1 - cfg.threshold) * chance) - 1e-9)
        ok = np.empty(len(na), dtype=bool)
        for c in range(0, len(na), PAIR_CHUNK):
            sl = slice(c, c + PAIR_CHUNK)
            agree = (sigs[ia[sl]] == sigs[ib[sl]]).sum(axis=1)
            ok[sl] = agree >= need
        return ok

    def _write_assignments(
        self,
        ctx: ShardContext,
        sig_plan: list[Shard],
        nodes: U64,
        shard_of: np.ndarray[Any, np.dtype[np.int64]],
        ids: list[str],
        dec: Decisions,
    ) -> int:
        """Per input shard: ``(row, id, cluster, drop reason)`` of every record whose
        cluster is not the default or that is a duplicate. Returns how many records got a
        merged cluster through their group alone."""
        run = ctx.run
        merged = 0
        for i, s in enumerate(sig_plan):
            ctx.check_cancel()
            lo, hi = (int(x) for x in np.searchsorted(shard_of, [i, i + 1]))
            entries: dict[int, tuple[str, str, str | None]] = {}
            if dec.group_cluster:
                t = _read_table(run, run.key(SIG, "out", s.id, "meta.parquet"), ["id", "group"])
                for r, (rid, g) in enumerate(
                    zip(t.column("id").to_pylist(), t.column("group").to_pylist(), strict=True)
                ):
                    if g is not None and g in dec.group_cluster:
                        entries[r] = (str(rid), dec.group_cluster[g], None)
                merged += len(entries)
            node_rows = (nodes[lo:hi] & ROW_MASK).astype(np.int64).tolist()
            for k, r in zip(range(lo, hi), node_rows, strict=True):
                if r in entries:
                    merged -= 1
                entries[r] = (ids[k], dec.cluster[k], dec.drop[k])
            order = sorted(entries)
            table = pa.table(
                [
                    pa.array(order, pa.uint32()),
                    pa.array([entries[r][0] for r in order], pa.string()),
                    pa.array([entries[r][1] for r in order], pa.string()),
                    pa.array([entries[r][2] for r in order], pa.string()),
                ],
                schema=ASSIGN_SCHEMA,
            )
            _put_table(ctx, assignment_key(run, s.id), table)
        return merged


def assignment_key(run: Run, shard_id: str) -> str:
    return run.key(CLUSTER, "out", "all", f"{shard_id}.parquet")


def _cat(parts: list[U64]) -> U64:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)


def _unique_pairs(a: U64, b: U64) -> tuple[U64, U64]:
    if not len(a):
        return a, b
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return a[first], b[first]


def summary_line(summary: dict[str, Any]) -> str:
    """One line for ``pipeline status`` and the stage info."""
    if not summary.get("enabled"):
        return "dedup disabled"
    if "duplicate_clusters" not in summary:
        return "dedup: no exact or near matching configured; clusters by group only"
    verb = "removed" if summary["action"] == "remove" else "flagged"
    r = summary[verb]
    sizes = summary["duplicate_cluster_sizes"]
    largest = max((int(k) for k in sizes), default=0)
    return (
        f"{summary['duplicate_clusters']} duplicate clusters (largest {largest}); {verb} "
        f"{r['exact_duplicate']} exact + {r['near_duplicate']} near duplicates; "
        f"{summary['near_rejected']} LSH candidates rejected by verification"
    )


class DedupFilterStage:
    name = FILTER
    queue = "cpu"
    CHECK_EVERY = 5000

    def plan(self, run: Run) -> list[Shard]:
        upstream = run.plan(INPUT)
        if upstream is None:
            raise RuntimeError(f"stage {self.name}: {INPUT} has no plan yet")
        return [Shard(s.id, {"input": INPUT}) for s in upstream]

    def process(self, ctx: ShardContext) -> None:
        run, cfg, led = ctx.run, ctx.run.config.dedup, ctx.ledger
        out = ctx.writer()
        assign: dict[int, tuple[str, str, str | None]] = {}
        if active(cfg):
            t = _read_table(run, assignment_key(run, ctx.shard.id))
            for r, rid, cl, dr in zip(
                *(t.column(c).to_pylist() for c in ("row", "id", "cluster", "drop")), strict=True
            ):
                assign[r] = (rid, cl, dr)
        remove = cfg.action == "remove"
        for i, rec in enumerate(ctx.read(INPUT, ctx.shard.id)):
            if i % self.CHECK_EVERY == 0:
                ctx.check_cancel()
            led.seen()
            if cfg.enabled:
                hit = assign.get(i)
                if hit is None:
                    rec["cluster"] = default_cluster(rec["id"], rec.get("group"))
                else:
                    rid, cl, dr = hit
                    if rid != rec["id"]:
                        raise RuntimeError(
                            f"dedup assignment row {i} is for {rid!r} but the record is "
                            f"{rec['id']!r}: the preprocess output changed under the run"
                        )
                    if dr is not None and remove:
                        led.filter(dr)
                        continue
                    if dr is not None:  # action = keep: counted, not removed
                        led.extra[f"flagged_{dr}"] += 1
                    rec["cluster"] = cl
            out.write(rec)
            led.keep()
