"""In-process throughput of every stage and of the whole pipeline (``--local`` mode).

On a generated corpus (bench/corpus.py) and a local store in a temp dir, two measurements,
each in a fresh Python process (so imports, model and detector loading are paid the way a
``pipeline run --local`` or a fresh worker pays them, and its peak RSS is the run's alone):

``stages``  every stage of ``STAGE_ORDER`` (whatever stages exist), shard after shard
            through ``pipeline.engine.execute_shard`` + ``complete_stage``, then the gate
            and publish (``release``); per stage: records in, CPU seconds
            (``time.process_time``, plus any child processes), wall seconds, docs per
            CPU-second.
``local``   the whole pipeline through ``pipeline.engine.run_local``: wall and CPU seconds,
            docs (input records) per CPU-second and per wall-second.

Both report the release they published (version id and sha256 of ``manifest.json``), which
must be identical: the same input and config give the same release on any path.

    uv run python bench/bench_pipeline.py --sizes 2000 20000 --rounds 3 [--shard-mb 32]

``--stages-only`` skips ``local`` (for one long run, e.g. 1,000,000 records: the stage sequence
is the same as run_local's); ``--progress FILE`` appends each stage's row to FILE as it
completes, so an interrupted long run still reports the stages it finished.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):  # run as a script or imported by a sibling
    if _path not in sys.path:
        sys.path.insert(0, _path)

from corpus import CorpusInfo, cached_corpus  # noqa: E402

DATASET = "bench-corpus"
DEFAULT_SHARD_MB = 32.0  # the [source] shard_mb default


def bench_config_dict(paths: list[str], shard_mb: float) -> dict[str, Any]:
    """The run config of every benchmark: the defaults, on the generated corpus."""
    return {
        "run": {"dataset": DATASET, "version": "auto"},
        "source": {
            "type": "local",
            "paths": paths,
            "name": "bench",
            "license": "unknown",
            "shard_mb": shard_mb,
        },
    }


def write_config(path: Path, paths: list[str], shard_mb: float) -> Path:
    """The config as a TOML file (for the CLI and the fleet)."""
    cfg = bench_config_dict(paths, shard_mb)
    lines = ["[run]", f'dataset = "{DATASET}"', 'version = "auto"', "", "[source]"]
    lines += ['type = "local"', f"paths = {json.dumps(paths)}", 'name = "bench"']
    lines += ['license = "unknown"', f"shard_mb = {cfg['source']['shard_mb']!r}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def release_identity(store_root: Path) -> dict[str, Any] | None:
    """The published release of the benchmark dataset in a local store: version id, sha256
    of its manifest, and sha256 of every file it lists."""
    latest = store_root / "releases" / DATASET / "latest.json"
    if not latest.exists():
        return None
    version = json.loads(latest.read_text())["version"]
    manifest = store_root / "releases" / DATASET / version / "manifest.json"
    raw = manifest.read_bytes()
    files = {f["path"]: f["sha256"] for f in json.loads(raw)["files"]}
    return {
        "version": version,
        "manifest_sha256": hashlib.sha256(raw).hexdigest(),
        "files": files,
    }


# -- the measurements (run inside a fresh process by ``measure``) ---------------------------
def _stages(
    store_root: Path, paths: list[str], shard_mb: float, progress: Path | None = None
) -> dict[str, Any]:
    from pipeline.config import from_dict
    from pipeline.engine import clear_failures, complete_stage, execute_shard, plan_stage
    from pipeline.release import finalize
    from pipeline.runs import Run
    from pipeline.stages import STAGE_ORDER
    from pipeline.store import LocalStore

    cfg = from_dict(bench_config_dict(paths, shard_mb))
    run = Run.create(LocalStore(store_root), cfg)
    w_start, c_start = time.perf_counter(), _cpu()
    gen = run.claim_generation()
    clear_failures(run)
    rows: list[dict[str, Any]] = []
    for stage in STAGE_ORDER:  # the same sequence as run_local, timed per stage
        run.set_state("running", stage=stage, generation=gen)
        w0, c0 = time.perf_counter(), _cpu()
        plan = plan_stage(run, stage)
        for shard in plan:
            execute_shard(run, stage, shard.id, generation=gen)
        done = complete_stage(run, stage)
        rows.append(_row(stage, len(plan), done["counts"], w0, c0))
        _note(progress, rows[-1])
    w0, c0 = time.perf_counter(), _cpu()
    state = finalize(run)
    pub = run.store.get_json_or_none(run.key("published.json")) or {}
    out_rows = sum(int(s["rows"]) for s in pub.get("splits", {}).values())
    rows.append(_row("release", 1, {"in": out_rows, "kept": out_rows}, w0, c0))
    _note(progress, rows[-1])
    return {
        "status": state["status"],
        "stages": rows,
        "total_wall_s": round(time.perf_counter() - w_start, 3),
        "total_cpu_s": round(_cpu() - c_start, 3),
    }


def _note(progress: Path | None, row: dict[str, Any]) -> None:
    """Append one stage's row (with the process's peak RSS so far) to ``progress``."""
    if progress is not None:
        with progress.open("a", encoding="utf-8") as f:
            f.write(json.dumps({**row, "peak_rss_mib": round(peak_rss_mib(), 1)}) + "\n")


def _row(stage: str, shards: int, counts: dict[str, Any], w0: float, c0: float) -> dict[str, Any]:
    cpu, wall = _cpu() - c0, time.perf_counter() - w0
    n = int(counts["in"])
    return {
        "stage": stage,
        "shards": shards,
        "in": n,
        "kept": int(counts["kept"]),
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "docs_per_cpu_s": round(n / cpu, 1) if cpu > 0 else None,
    }


def _local(store_root: Path, paths: list[str], shard_mb: float) -> dict[str, Any]:
    from pipeline.config import from_dict
    from pipeline.engine import run_local
    from pipeline.runs import Run
    from pipeline.store import LocalStore

    cfg = from_dict(bench_config_dict(paths, shard_mb))
    run = Run.create(LocalStore(store_root), cfg)
    w0, c0 = time.perf_counter(), _cpu()
    state = run_local(run)
    return {
        "status": state["status"],
        "wall_s": round(time.perf_counter() - w0, 3),
        "cpu_s": round(_cpu() - c0, 3),
    }


def measure(
    mode: str,
    corpus: CorpusInfo,
    shard_mb: float,
    workdir: Path,
    keep_store: bool = False,
    progress: Path | None = None,
) -> dict[str, Any]:
    """One measurement (``stages`` or ``local``) in a fresh process; its store is deleted
    afterwards unless ``keep_store`` (then ``store`` names it). ``progress``: see ``_note``."""
    store = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=workdir))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", mode]
    cmd += ["--store", str(store), "--shard-mb", repr(shard_mb)]
    cmd += ["--paths", *[str(p) for p in corpus.paths]]
    if progress is not None:
        cmd += ["--progress", str(progress)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update(PIPELINE_LOG_LEVEL="WARNING", PIPELINE_LOG_FORMAT="text", PYTHONPATH=str(ROOT))
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{mode} measurement failed:\n{proc.stderr[-4000:]}")
        res: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        res["release"] = release_identity(store)
        res["records"] = corpus.records
        res["shard_mb"] = shard_mb
        if keep_store:
            res["store"] = str(store)
        return res
    finally:
        if not keep_store:
            shutil.rmtree(store, ignore_errors=True)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def summarise_stages(rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per stage, the medians over rounds."""
    out = []
    for i, first in enumerate(rounds[0]["stages"]):
        per = [r["stages"][i] for r in rounds]
        cpu = _median([p["cpu_s"] for p in per])
        out.append(
            {
                "stage": first["stage"],
                "shards": first["shards"],
                "in": first["in"],
                "kept": first["kept"],
                "cpu_s": cpu,
                "wall_s": _median([p["wall_s"] for p in per]),
                "docs_per_cpu_s": round(first["in"] / cpu, 1) if cpu > 0 else None,
            }
        )
    return out


def bench(
    sizes: list[int],
    rounds: int,
    shard_mb: float,
    cache: Path,
    workdir: Path,
    log: Any = print,
    stages_only: bool = False,
    progress: Path | None = None,
) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for n in sizes:
        corpus = cached_corpus(cache, n)
        log(
            f"in-process: {n:,} records ({corpus.bytes / 1e6:.0f} MB), shard_mb {shard_mb:g}, "
            f"{rounds} round(s)"
        )
        st_rounds: list[dict[str, Any]] = []
        lo_rounds: list[dict[str, Any]] = []
        for r in range(rounds):
            st = measure("stages", corpus, shard_mb, workdir, progress=progress)
            st_rounds.append(st)
            if stages_only:
                wall, cpu, rss = st["total_wall_s"], st["total_cpu_s"], st["peak_rss_mib"]
                log(f"  round {r + 1}: stages {wall:.1f} s wall / {cpu:.1f} CPU-s, "
                    f"peak RSS {rss:.0f} MiB")  # fmt: skip
                continue
            lo = measure("local", corpus, shard_mb, workdir)
            log(
                f"  round {r + 1}: stages {st['total_wall_s']:.1f} s wall, "
                f"run_local {lo['wall_s']:.1f} s wall / {lo['cpu_s']:.1f} CPU-s, "
                f"peak RSS {lo['peak_rss_mib']:.0f} MiB"
            )
            lo_rounds.append(lo)
        local = None
        if lo_rounds:
            local_cpu = _median([x["cpu_s"] for x in lo_rounds])
            local_wall = _median([x["wall_s"] for x in lo_rounds])
            local = {
                "wall_s": local_wall,
                "cpu_s": local_cpu,
                "docs_per_cpu_s": round(n / local_cpu, 1),
                "docs_per_wall_s": round(n / local_wall, 1),
                "peak_rss_mib": max(x["peak_rss_mib"] for x in lo_rounds),
                "status": sorted({x["status"] for x in lo_rounds}),
            }
        releases = {json.dumps(x["release"], sort_keys=True) for x in st_rounds + lo_rounds}
        results.append(
            {
                "records": n,
                "corpus_bytes": corpus.bytes,
                "corpus_mean_bytes": round(corpus.mean_bytes),
                "corpus_kinds": corpus.kinds,
                "shard_mb": shard_mb,
                "rounds": rounds,
                "stages": summarise_stages(st_rounds),
                "stages_total_cpu_s": _median([x["total_cpu_s"] for x in st_rounds]),
                "stages_peak_rss_mib": max(x["peak_rss_mib"] for x in st_rounds),
                "local": local,
                "release": (lo_rounds or st_rounds)[0]["release"],
                "release_identical_across_runs": len(releases) == 1,
                "raw": {"stages": st_rounds, "local": lo_rounds},
            }
        )
    return {"shard_mb": shard_mb, "sizes": results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--shard-mb", type=float, default=DEFAULT_SHARD_MB)
    ap.add_argument("--workdir", type=Path, help="temp stores and the corpus cache")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    ap.add_argument("--stages-only", action="store_true", help="skip the run_local measurement")
    ap.add_argument("--progress", type=Path, help="append each finished stage's row here")
    # internal: one measurement in this (fresh) process
    ap.add_argument("--one", choices=["stages", "local"], help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--paths", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        if args.one == "stages":
            res = _stages(args.store, args.paths, args.shard_mb, args.progress)
        else:
            res = _local(args.store, args.paths, args.shard_mb)
        res["peak_rss_mib"] = round(peak_rss_mib(), 1)
        print(json.dumps(res))
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="uadp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        res = bench(args.sizes, args.rounds, args.shard_mb, workdir / "cache", workdir,
                    stages_only=args.stages_only, progress=args.progress)  # fmt: skip
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    for size in res["sizes"]:
        print(f"\n{size['records']:,} records, shard_mb {size['shard_mb']:g}:")
        print(
            f"  {'stage':<14} {'shards':>6} {'in':>9} {'kept':>9} {'CPU s':>8} {'docs/CPU-s':>11}"
        )
        for s in size["stages"]:
            rate = f"{s['docs_per_cpu_s']:,.0f}" if s["docs_per_cpu_s"] else "-"
            print(
                f"  {s['stage']:<14} {s['shards']:>6} {s['in']:>9,} {s['kept']:>9,} "
                f"{s['cpu_s']:>8.2f} {rate:>11}"
            )
        lo = size["local"]
        if lo is None:
            print(f"  stages total: {size['stages_total_cpu_s']:.1f} CPU-s, peak RSS "
                  f"{size['stages_peak_rss_mib']:.0f} MiB")  # fmt: skip
            continue
        print(
            f"  run_local: {lo['wall_s']:.1f} s wall, {lo['docs_per_cpu_s']:,.0f} docs/CPU-s, "
            f"peak RSS {lo['peak_rss_mib']:.0f} MiB; release identical across runs: "
            f"{size['release_identical_across_runs']}"
        )
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
