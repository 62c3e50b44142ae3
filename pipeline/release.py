"""The end of a run: the crisis release gate, then publishing a versioned release.

Nothing is published unless the gate passes. A release is written file by file, then its
``manifest.json`` is created with ``put_if_absent`` (the commit point: exactly one
manifest per version, even with two finalizers racing), then ``latest.json`` moves.
The manifest holds no run id or time, so the same inputs and config give byte-identical
release files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.records import COLUMNS, PARQUET_OPTIONS, SCHEMA, to_json_line
from pipeline.report import DatasetStats, gate_summary, render_report, split_info, write_run_report
from pipeline.runs import Run, RunError, utcnow
from pipeline.stages import SPLITS, STAGE_ORDER
from pipeline.store import dumps, sha256_file

log = logging.getLogger("pipeline.release")


def gold_paths(entries: list[str]) -> list[Path]:
    from pipeline.safety import builtin_gold_paths

    out: list[Path] = []
    for g in entries:
        out.extend(builtin_gold_paths() if g == "builtin" else [Path(g)])
    return out


def _rate(a: int, n: int) -> float:
    return a / n if n else 0.0


def run_gate(run: Run) -> dict[str, Any]:
    """Evaluate the detector on the configured gold sets plus every run record whose crisis
    label is known; write ``gate.json`` and ``gate.txt`` to the run and return the report."""
    from pipeline.safety import default_detector, evaluate, load_labelled, wilson_interval

    cfg = run.config.gate
    det = default_detector(run.config.annotate.detector)
    current = f"{det.name} {det.version}"
    annotated = (run.stage_done("annotate") or {}).get("info", {}).get("detector", [])
    gold_sets = []
    tp = fn = tn = fp = 0
    for path in gold_paths(cfg.gold):
        rep = evaluate(det, load_labelled(path))
        gold_sets.append(
            {
                "name": path.name,
                **_summary(rep.tp, rep.fn, rep.tn, rep.fp),
                "sensitivity_ci": [round(x, 6) for x in rep.sensitivity_ci],
                "specificity_ci": [round(x, 6) for x in rep.specificity_ci],
                "per_category": rep.per_category,
                "misses": rep.misses[:50],
            }
        )
        tp, fn, tn, fp = tp + rep.tp, fn + rep.fn, tn + rep.tn, fp + rep.fp
    run_part = None
    if cfg.include_run_labels:
        rtp = rfn = rtn = rfp = 0
        misses: list[dict[str, Any]] = []
        plan = run.plan("annotate") or []
        for shard in plan:
            key = run.key("annotate", "out", shard.id, "records.parquet")
            with run.store.local_copy(key) as p:
                cols = ["id", "label", "crisis"]
                for batch in pq.ParquetFile(str(p)).iter_batches(columns=cols):
                    for rid, label, crisis in zip(
                        *(batch.column(c).to_pylist() for c in cols), strict=True
                    ):
                        if label is None:
                            continue
                        if label == 1 and crisis:
                            rtp += 1
                        elif label == 1:
                            rfn += 1
                            misses.append({"id": rid, "label": 1})
                        elif crisis:
                            rfp += 1
                            misses.append({"id": rid, "label": 0})
                        else:
                            rtn += 1
        run_part = {**_summary(rtp, rfn, rtn, rfp), "misses": misses[:50]}
        tp, fn, tn, fp = tp + rtp, fn + rfn, tn + rtn, fp + rfp
    total = _summary(tp, fn, tn, fp)
    total["sensitivity_ci"] = [round(x, 6) for x in wilson_interval(tp, tp + fn)]
    total["specificity_ci"] = [round(x, 6) for x in wilson_interval(tn, tn + fp)]
    positives = tp + fn
    if annotated and annotated != [current]:
        passed = False
        reason = (
            f"the records were annotated by detector {', '.join(annotated)} but the gate runs "
            f"{current}: re-annotate with `pipeline resume {run.id} --reannotate`"
        )
    elif positives < cfg.min_positives:
        passed = False
        reason = (
            f"only {positives} labelled crisis texts were evaluated; the gate needs at least "
            f"{cfg.min_positives} for a sensitivity of {cfg.threshold:.2f} to mean anything"
        )
    elif total["sensitivity"] < cfg.threshold:
        passed = False
        reason = (
            f"crisis detector sensitivity {total['sensitivity']:.4f} is below the threshold "
            f"{cfg.threshold:.4f} ({fn} of {positives} crisis texts missed)"
        )
    else:
        passed = True
        reason = (
            f"sensitivity {total['sensitivity']:.4f} >= {cfg.threshold:.4f} on {positives} "
            "crisis texts"
        )
    report = {
        "passed": passed,
        "reason": reason,
        "threshold": cfg.threshold,
        "min_positives": cfg.min_positives,
        "detector": {"name": det.name, "version": det.version},
        "annotated_with": annotated,
        "total": total,
        "gold_sets": gold_sets,
        "run_labels": run_part,
    }
    run.store.put_json(run.key("gate.json"), {**report, "evaluated_at": utcnow()})
    run.store.put(run.key("gate.txt"), render_gate(report).encode())
    return report


def _summary(tp: int, fn: int, tn: int, fp: int) -> dict[str, Any]:
    return {
        "positives": tp + fn,
        "negatives": tn + fp,
        "tp": tp,
        "fn": fn,
        "tn": tn,
        "fp": fp,
        "sensitivity": round(_rate(tp, tp + fn), 6),
        "specificity": round(_rate(tn, tn + fp), 6),
    }


def render_gate(report: dict[str, Any]) -> str:
    t = report["total"]
    lines = [
        f"Release gate: {'PASSED' if report['passed'] else 'BLOCKED'}",
        f"  {report['reason']}",
        f"  detector {report['detector']['name']} {report['detector']['version']}, "
        f"threshold {report['threshold']:.2f}, min positives {report['min_positives']}",
        f"  overall: sensitivity {t['sensitivity']:.4f} (tp {t['tp']}, fn {t['fn']}), "
        f"specificity {t['specificity']:.4f} (tn {t['tn']}, fp {t['fp']})",
    ]
    for g in report["gold_sets"]:
        lo, hi = g["sensitivity_ci"]
        lines.append(
            f"  gold {g['name']}: sensitivity {g['sensitivity']:.4f} [{lo:.3f}, {hi:.3f}] of "
            f"{g['positives']}, specificity {g['specificity']:.4f} of {g['negatives']}"
        )
        for cat, row in sorted(g["per_category"].items()):
            lines.append(f"    {cat:<20} " + ", ".join(f"{k} {v}" for k, v in row.items()))
        for m in g["misses"][:20]:
            kind = "missed" if m["label"] == 1 else "false alarm"
            lines.append(f"    {kind}: {str(m['text'])[:110]!r}")
    if report["run_labels"] is not None:
        r = report["run_labels"]
        lines.append(
            f"  run records with known labels: sensitivity {r['sensitivity']:.4f} of "
            f"{r['positives']}, specificity {r['specificity']:.4f} of {r['negatives']}"
        )
    return "\n".join(lines) + "\n"


# A release Parquet row group ends at 65,536 rows or 32 MiB of column data, whichever comes
# first: the rows of one pending group are the only records the publisher holds, so its memory
# stays flat however large the split (65,536 rows of ~2 KB documents would be ~130 MiB).
ROW_GROUP_ROWS = 65_536
ROW_GROUP_BYTES = 32 << 20


def _stream_split(
    run: Run, split: str, formats: list[str], outdir: Path, stats: DatasetStats
) -> dict[str, Any]:
    """Concatenate every shard's ``split`` output (plan order) into release files, one batch
    in memory at a time, feeding the statistics on the way."""
    plan = run.plan("split") or []
    pq_path, jl_path = outdir / f"{split}.parquet", outdir / f"{split}.jsonl"
    writer = (
        pq.ParquetWriter(str(pq_path), SCHEMA, **PARQUET_OPTIONS) if "parquet" in formats else None
    )
    jl = open(jl_path, "w", encoding="utf-8", newline="\n") if "jsonl" in formats else None  # noqa: SIM115
    rows = 0
    pending: list[pa.RecordBatch] = []
    pending_rows = pending_bytes = 0

    def flush() -> None:
        nonlocal pending, pending_rows, pending_bytes
        if writer is not None and pending:
            writer.write_table(pa.Table.from_batches(pending, schema=SCHEMA))
        pending, pending_rows, pending_bytes = [], 0, 0

    try:
        for shard in plan:
            key = run.key("split", "out", shard.id, f"{split}.parquet")
            with run.store.local_copy(key) as p:
                for batch in pq.ParquetFile(str(p)).iter_batches(columns=list(COLUMNS)):
                    if batch.num_rows == 0:
                        continue
                    rows += batch.num_rows
                    stats.add(split, batch)
                    pending.append(batch)
                    pending_rows += batch.num_rows
                    pending_bytes += batch.nbytes
                    if pending_rows >= ROW_GROUP_ROWS or pending_bytes >= ROW_GROUP_BYTES:
                        flush()
                    if jl is not None:
                        for rec in batch.to_pylist():
                            jl.write(to_json_line(rec) + "\n")
        flush()
    finally:
        if writer is not None:
            writer.close()
        if jl is not None:
            jl.close()
    return {"rows": rows, "files": [p for p in (pq_path, jl_path) if p.exists()]}


def _file_entry(path: Path, split: str | None, rows: int | None) -> dict[str, Any]:
    fmt = {".parquet": "parquet", ".jsonl": "jsonl", ".md": "markdown", ".html": "html"}
    return {
        "path": path.name,
        "split": split,
        "format": fmt.get(path.suffix, path.suffix.lstrip(".")),
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }


def _upload(run: Run, prefix: str, version: str, path: Path, sha256: str) -> bool:
    """Upload one release file unless this run already did (a receipt under the run says so
    and the object exists). Returns True if it uploaded. An interrupted large upload resumes
    where it stopped (multipart, see ``S3Store.put_multipart``)."""
    key = f"{prefix}/{path.name}"
    receipt = run.key("publish", version, f"{path.name}.json")
    done = run.store.get_json_or_none(receipt)
    if done is not None and done.get("sha256") == sha256 and run.store.exists(key):
        return False
    run.store.put_file(key, path)
    run.store.put_json(receipt, {"key": key, "sha256": sha256, "bytes": path.stat().st_size})
    return True


def release_core(run: Run, gate: dict[str, Any], tmp: Path) -> tuple[dict[str, Any], list[Path]]:
    """Write the data files to ``tmp`` and describe them: everything in the manifest except
    the version and the card/report entries. Deterministic for the same inputs and config."""
    from pipeline.safety import default_detector
    from pipeline.stages.split import assignment_summary

    cfg = run.config
    det = default_detector(cfg.annotate.detector)
    stats = DatasetStats()
    files: list[dict[str, Any]] = []
    paths: list[Path] = []
    for split in SPLITS:
        res = _stream_split(run, split, cfg.publish.formats, tmp, stats)
        for p in res["files"]:
            files.append(_file_entry(p, split, res["rows"]))
            paths.append(p)
    st = stats.to_dict()
    splits = {s: {"rows": st["splits"][s]["rows"], "crisis": st["splits"][s]["crisis"]}
              for s in SPLITS}  # fmt: skip
    sources: Counter[str] = Counter()
    licenses: Counter[str] = Counter()
    for s in SPLITS:
        sources.update(st["splits"][s]["sources"])
        licenses.update(st["splits"][s]["licenses"])
    stages = {}
    for stage in STAGE_ORDER:
        done = run.stage_done(stage)
        stages[stage] = done["counts"] if done else None
    rows = {s: v["rows"] for s, v in splits.items()}
    crisis = {s: v["crisis"] for s, v in splits.items()}
    core = {
        "dataset": cfg.run.dataset,
        "format_version": 2,
        "code_version": __version__,
        "config_digest": cfg.digest(),
        "detector": {"name": det.name, "version": det.version},
        "files": files,
        "columns": [{"name": f.name, "type": str(f.type)} for f in SCHEMA],
        "splits": splits,
        "split": split_info(cfg.split, rows, crisis, assignment_summary(run)),
        "sources": dict(sorted(sources.items())),
        "licenses": dict(sorted(licenses.items())),
        "stage_order": list(STAGE_ORDER),
        "stages": stages,
        "stats": st,
        "gate": gate_summary(gate),
    }
    return core, paths


def publish(run: Run, gate: dict[str, Any]) -> dict[str, Any]:
    """Write ``releases/<dataset>/<version>/`` and move ``latest.json``; idempotent.

    Order: data files, dataset card (``README.md``) and ``report.html``; then the manifest,
    created only if absent (the commit point); then ``latest.json``. A failure anywhere
    before the manifest leaves no release (``list_releases`` ignores a folder without one)
    and ``latest`` unmoved; running ``publish`` again completes it, skipping files this run
    already uploaded and resuming an interrupted multipart upload.
    """
    from pipeline.card import render_card

    cfg = run.config
    tmp = Path(tempfile.mkdtemp(prefix="pipeline-release-"))
    try:
        core, paths = release_core(run, gate, tmp)
        version = cfg.run.version
        if version == "auto":
            version = "v-" + hashlib.sha256(dumps(core)).hexdigest()[:12]
        described = {**core, "version": version}
        card = tmp / "README.md"
        card.write_text(render_card(described), encoding="utf-8")
        report = tmp / "report.html"
        report.write_text(render_report(described), encoding="utf-8")
        manifest = {
            **described,
            "files": core["files"]
            + [_file_entry(card, None, None), _file_entry(report, None, None)],
        }
        prefix = f"releases/{cfg.run.dataset}/{version}"
        existing = run.store.get_json_or_none(f"{prefix}/manifest.json")
        if existing is not None and existing != json.loads(dumps(manifest)):
            raise RunError(
                f"release {cfg.run.dataset}/{version} already exists with different content; "
                "releases are immutable: set run.version to a new version"
            )
        if existing is None:
            by_name = {p.name: p for p in [*paths, card, report]}
            for entry in manifest["files"]:
                _upload(run, prefix, version, by_name[entry["path"]], entry["sha256"])
            created = run.store.put_if_absent(f"{prefix}/manifest.json", dumps(manifest))
            if not created and run.store.get_json(f"{prefix}/manifest.json") != json.loads(
                dumps(manifest)
            ):
                raise RunError(f"release {cfg.run.dataset}/{version} was published concurrently "
                               "with different content")  # fmt: skip
        run.store.put_json(
            f"releases/{cfg.run.dataset}/latest.json",
            {"dataset": cfg.run.dataset, "version": version},
        )
        splits = manifest["splits"]
        info = {"dataset": cfg.run.dataset, "version": version, "prefix": prefix, "splits": splits}
        try:  # the run's copy of the report names the run; never blocks the release
            write_run_report(run, {**described, "run_id": run.id, "run_status": "succeeded"})
        except Exception:
            log.warning("could not write the run's report", exc_info=True)
        run.store.put_json(run.key("published.json"), {**info, "at": utcnow()})
        log.info(
            "published %s (%s)", prefix, ", ".join(f"{k}={v['rows']}" for k, v in splits.items())
        )
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def finalize(run: Run) -> dict[str, Any]:
    """The last step of a run: gate, then publish only if it passed. Returns the state."""
    published = run.store.get_json_or_none(run.key("published.json"))
    if published is not None:
        run.set_state("succeeded", stage="publish", release=published["prefix"])
        return run.state()
    if run.cancelled():
        run.set_state("cancelled", stage="gate", reason="cancelled by user; nothing published")
        return run.state()
    run.set_state("running", stage="gate")
    gate = run_gate(run)
    log.info("release gate %s: %s", "passed" if gate["passed"] else "BLOCKED", gate["reason"])
    if not gate["passed"]:
        run.set_state("blocked", stage="gate", reason=f"release gate blocked: {gate['reason']}")
        try:
            write_run_report(run)
        except Exception:
            log.warning("could not write the run's report", exc_info=True)
        return run.state()
    run.set_state("running", stage="publish")
    info = publish(run, gate)
    run.set_state("succeeded", stage="publish", release=info["prefix"], reason=gate["reason"])
    return run.state()
