"""Every benchmark in one command; writes ``RESULTS.md`` and raw JSON from a fresh measurement.

    uv run --group bench python bench/run_all.py            # the full suite (~25 min, 2 cores)
    uv run --group bench python bench/run_all.py --quick    # tiny sizes, 1 round (a smoke run)

Parts (``--parts``, all by default):

``inprocess``   bench/bench_pipeline.py: docs per CPU-second of every stage (``execute_shard``
                per stage) and of the whole pipeline (``run_local``), for each ``--sizes``.
``fleet``       bench/bench_fleet.py: the same pipeline on a real Celery fleet (private
                redis-server, ``celery worker`` subprocesses): ``-c 1`` versus ``-c 2``, fleet
                overhead versus ``run_local`` for each ``--shard-mb``, peak RSS per worker
                process for each ``--memory-sizes``, and resume after a SIGKILL at 50%.
``preprocess``  bench/bench_preprocess.py (if present): preprocess steps, and our Gopher
                quality + repetition rules side by side with HuggingFace datatrove's.
``detector``    bench/bench_detector.py: crisis-detector texts per second on one core.

Each number is the median of ``--rounds`` runs. Output: ``OUT/RESULTS.md`` and
``OUT/results/*.json`` (``OUT`` = ``--out-dir``, default ``bench/``; with ``--quick`` a
temp dir unless given, so a smoke run never overwrites the committed results). A full run
into the default ``bench/`` also rewrites the README's block between the
``<!-- bench:run_all:start -->`` and ``<!-- bench:run_all:end -->`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import bench_fleet  # noqa: E402
import bench_pipeline  # noqa: E402
from corpus import MIX  # noqa: E402

PARTS = ("inprocess", "fleet", "preprocess", "detector")
FULL: dict[str, Any] = {
    "sizes": [2000, 8000],
    "rounds": 3,
    "fleet_records": 3000,
    "shard_mb": [0.25, 1.0, 4.0, bench_pipeline.DEFAULT_SHARD_MB],
    "speedup_shard_mb": 1.0,
    "memory_sizes": [1500, 6000, 24000],
    "memory_shard_mb": 1.0,
    "preprocess_docs": 3000,
    "preprocess_repeat": 3,
    "detector_repeat": 3,
    "detector_rounds": 5,
}
QUICK: dict[str, Any] = {
    "sizes": [60],
    "rounds": 1,
    "fleet_records": 60,
    "shard_mb": [0.02],
    "speedup_shard_mb": 0.02,
    "memory_sizes": [60],
    "memory_shard_mb": 0.02,
    "preprocess_docs": 60,
    "preprocess_repeat": 1,
    "detector_repeat": 1,
    "detector_rounds": 1,
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- the machine --------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    ).stdout.strip()  # fmt: skip
    versions: dict[str, str | None] = {}
    for pkg in ("celery", "redis", "pyarrow", "datatrove"):
        try:
            from importlib.metadata import version

            versions[pkg] = version(pkg)
        except Exception:
            versions[pkg] = None
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "redis_server": bench_fleet.redis_version(),
        "packages": versions,
        "commit": commit or None,
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the external benchmark scripts ---------------------------------------------------------
def _script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def run_preprocess(docs: int, repeat: int) -> dict[str, Any]:
    """bench/bench_preprocess.py (the preprocess helper's, with the datatrove comparison)."""
    if not (BENCH / "bench_preprocess.py").exists():
        return {"skipped": "bench/bench_preprocess.py not present"}
    proc = _script("bench_preprocess.py", "--docs", str(docs), "--repeat", str(repeat), "--json")
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    start = proc.stdout.find("{")
    res: dict[str, Any] = json.loads(proc.stdout[start:])
    return res


DETECTOR_PATTERNS = {
    "detector": r"^detector (\S+) (\S+); build (\d+) ms",
    "texts": r"^gold texts x\d+: (\d+) texts, mean (\d+) chars, 1 core, escalated ([\d.]+)%",
    "rate": r"texts/s: median ([\d,]+)\s+min ([\d,]+)\s+max ([\d,]+)",
    "batched": r"batched 256 at a time: median ([\d,]+) texts/s",
    "corpus": r"^corpus mix: (\d+) texts, mean (\d+) chars, escalated ([\d.]+)%: "
    r"median ([\d,]+) texts/s",
    "neutral": r"plain neutral chat text: ([\d,]+) texts/s",
}


def _detector_kind(kind: str, repeat: int, rounds: int) -> dict[str, Any]:
    proc = _script(
        "bench_detector.py", "--kind", kind, "--repeat", str(repeat), "--rounds", str(rounds)
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    out: dict[str, Any] = {"output": proc.stdout.strip()}
    for key, pattern in DETECTOR_PATTERNS.items():
        m = re.search(pattern, proc.stdout, re.MULTILINE)
        if m is None:
            continue
        g = [x.replace(",", "") for x in m.groups()]
        if key == "detector":
            out.update(name=g[0], version=g[1], build_ms=int(g[2]))
        elif key == "texts":
            out.update(texts=int(g[0]), mean_chars=int(g[1]), escalated=float(g[2]))
        elif key == "rate":
            out.update(texts_per_s=int(g[0]), min=int(g[1]), max=int(g[2]))
        elif key == "batched":
            out["batched_texts_per_s"] = int(g[0])
        elif key == "corpus":
            out.update(
                corpus_texts=int(g[0]),
                corpus_mean_chars=int(g[1]),
                corpus_escalated=float(g[2]),
                corpus_texts_per_s=int(g[3]),
            )
        else:
            out["neutral_texts_per_s"] = int(g[0])
    return out


def run_detector(repeat: int, rounds: int) -> dict[str, Any]:
    """Both detector kinds: the default (contextual) and the rules-and-scorer one."""
    return {kind: _detector_kind(kind, repeat, rounds) for kind in ("contextual", "rules")}


# -- the table ------------------------------------------------------------------------------
def _n(x: float | None, fmt: str = ",.0f") -> str:
    return "-" if x is None else format(x, fmt)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:+.1f}%"


def render(res: dict[str, Any]) -> str:
    m, cfg = res["machine"], res["config"]
    L: list[str] = []
    L.append("# Benchmark results")
    L.append("")
    quick = " (**quick mode: tiny sizes, 1 round; not figures to quote**)" if cfg["quick"] else ""
    L.append(
        f"Measured {res['started_at']} in {res['minutes']:.1f} min on commit "
        f"`{m['commit']}`{quick}."
    )
    L.append("")
    L.append(
        f"Machine: {m['cpu_model']}, {m['cores']} cores ({m['cores_usable']} usable), "
        f"{m['ram_gib']} GiB RAM, {m['os']}; Python {m['python']}, redis-server "
        f"{m['redis_server']}, Celery {m['packages'].get('celery')}, datatrove "
        f"{m['packages'].get('datatrove') or 'not installed'}."
    )
    la0, la1 = res["load_start"], res["load_end"]
    L.append(
        f"Load average at start {la0[0]:.2f} / {la0[1]:.2f} / {la0[2]:.2f} (1/5/15 min), at end "
        f"{la1[0]:.2f} / {la1[1]:.2f} / {la1[2]:.2f}. Other processes shared the CPU when the load "
        "exceeds the number of cores: wall times (and the wall-time ratios) are then pessimistic "
        "and noisier; CPU-second figures are much less affected."
    )
    L.append("")
    L.append(f"Reproduce: `{res['command']}`")
    L.append("")
    c = res.get("corpus_sample")
    if c:
        mix = ", ".join(f"{k} {v:.0%}" for k, v in MIX.items())
        L.append(
            f"Input: generated by `bench/corpus.py` ({mix}; plus 2% exact and 1% near duplicates; "
            f"mean {c['mean_bytes']:,} bytes per JSONL line), the default config "
            "(`bench_pipeline.bench_config_dict`), a local store in a temp dir. Every figure is "
            f"the median of {cfg['rounds']} run(s)."
        )
        L.append("")
    ip = res.get("inprocess")
    if ip:
        L += _render_inprocess(ip)
    fl = res.get("fleet")
    if fl:
        L += _render_fleet(fl, ip)
    pp = res.get("preprocess")
    if pp:
        L += _render_preprocess(pp)
    det = res.get("detector")
    if det:
        L += _render_detector(det)
    return "\n".join(L) + "\n"


def _render_inprocess(ip: dict[str, Any]) -> list[str]:
    sizes = ip["sizes"]
    L = ["## 1. Throughput in-process (docs per CPU-second)", ""]
    L.append(
        f"Each stage run shard by shard with `execute_shard` in one fresh process "
        f"(shard_mb {ip['shard_mb']:g}); docs = records entering the stage; CPU = "
        "`time.process_time()`. `release` is the gate plus publishing (docs = records "
        "published)."
    )
    L.append("")
    head = "| stage | " + " | ".join(
        f"{s['records']:,} records: in / docs per CPU-s" for s in sizes
    )
    L.append(head + " |")
    L.append("|---" * (len(sizes) + 1) + "|")
    for i, row in enumerate(sizes[0]["stages"]):
        cells = []
        for s in sizes:
            r = s["stages"][i]
            cells.append(f"{r['in']:,} / **{_n(r['docs_per_cpu_s'])}**")
        L.append(f"| {row['stage']} | " + " | ".join(cells) + " |")
    L.append("")
    L.append(
        "Whole pipeline, `run_local` (every stage, gate and publish, one process; docs = input "
        "records):"
    )
    L.append("")
    L.append(
        "| records | MB | wall s | CPU s | docs per CPU-s | docs per wall-s | peak RSS MiB "
        "| release identical across runs |"
    )
    L.append("|---|---|---|---|---|---|---|---|")
    for s in sizes:
        lo = s["local"]
        L.append(
            f"| {s['records']:,} | {s['corpus_bytes'] / 1e6:.1f} | {lo['wall_s']:.1f} | "
            f"{lo['cpu_s']:.1f} | **{_n(lo['docs_per_cpu_s'])}** | {_n(lo['docs_per_wall_s'])} | "
            f"{lo['peak_rss_mib']:.0f} | {'yes' if s['release_identical_across_runs'] else 'NO'} |"
        )
    L.append("")
    return L


def _render_fleet(fl: dict[str, Any], ip: dict[str, Any] | None) -> list[str]:
    L: list[str] = []
    sc = fl.get("scaling")
    if sc:
        L += ["## 2. The fleet: overhead and scaling", ""]
        L.append(
            f"{sc['records']:,} records ({sc['corpus_bytes'] / 1e6:.1f} MB). One `celery worker` "
            "(prefork, every queue) on a private redis-server, local store; wall = `submit` to "
            "`succeeded`. Overhead = fleet `-c 1` / `run_local` - 1 on the same data (same code, "
            "one process doing the work); CPU = all worker processes since ready + redis-server, "
            "versus the `run_local` process. Speed-up = wall(`-c 1`) / wall(`-c 2`)."
        )
        L.append("")
        L.append(
            "| shard_mb | shards per stage | run_local wall s | fleet -c 1 wall s "
            "| overhead (wall) | CPU s local / fleet | overhead (CPU) | fleet -c 2 wall s "
            "| speed-up -c 2 | releases identical |"
        )
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        for r in sc["rows"]:
            shards = r["plans"].get("ingest", "?")
            default = " (default)" if r["shard_mb"] == sc["default_shard_mb"] else ""
            L.append(
                f"| {r['shard_mb']:g}{default} | {shards} | {r['local_wall_s']:.1f} | "
                f"{r['fleet_c1_wall_s']:.1f} | **{_pct(r['overhead'])}** | "
                f"{r['local_cpu_s']:.1f} / {r['fleet_c1_cpu_s']:.1f} | {_pct(r['cpu_overhead'])} | "
                f"{_n(r.get('fleet_c2_wall_s'), '.1f')} | "
                f"{_n(r.get('speedup_c2'), '.2f')} | {'yes' if r['release_identical'] else 'NO'} |"
            )
        L.append("")
    mem = fl.get("memory")
    if mem:
        L += ["## 3. Peak resident memory per worker process", ""]
        L.append(
            f"`-c 1` worker, shard_mb {mem['shard_mb']:g}: VmHWM of every process in the worker's "
            "process group (sampled every 0.2 s and read before stopping). The pool child does "
            "the work; its RSS includes pages shared with the main process."
        )
        L.append("")
        L.append("| records | MB | shards | wall s | main process MiB | pool child MiB |")
        L.append("|---|---|---|---|---|---|")
        for r in mem["rows"]:
            L.append(
                f"| {r['records']:,} | {r['corpus_bytes'] / 1e6:.1f} | "
                f"{r['plans'].get('ingest', '?')} | {r['wall_s']:.1f} | {r['main_mib']:.0f} | "
                f"**{_n(r['max_child_mib'])}** |"
            )
        rows = mem["rows"]
        if len(rows) > 1 and rows[0]["max_child_mib"] and rows[-1]["max_child_mib"]:
            growth = rows[-1]["max_child_mib"] / rows[0]["max_child_mib"] - 1
            size_x = rows[-1]["records"] / rows[0]["records"]
            L.append("")
            L.append(
                f"Pool child peak grows {growth * 100:+.0f}% for {size_x:.0f}x the records "
                "(bounded by the shard, except `dedup_cluster`, whose memory grows with the "
                "number of linked records and candidate pairs)."
            )
        L.append("")
    rs = fl.get("resume")
    if rs:
        L += ["## 6. Resume after a crash at 50% versus a full run", ""]
        if not rs.get("interrupted"):
            L.append("The run finished before it could be interrupted (dataset too small).")
        else:
            L.append(
                f"`-c {rs['concurrency']}` worker, {rs['records']:,} records, shard_mb "
                f"{rs['shard_mb']:g}: the worker's process group was SIGKILLed when "
                f"{rs['markers_at_kill']} of {rs['markers_total']} shard markers existed "
                f"(stage `{rs['stage_at_kill']}`); a fresh worker, then `submit` (what "
                "`pipeline resume` does)."
            )
            L.append("")
            L.append(
                "| resume to success s | full run s | resume / full | shards re-run "
                "| release identical to the uninterrupted run |"
            )
            L.append("|---|---|---|---|---|")
            rel = rs["release"] or {}
            L.append(
                f"| {rs['resume_wall_s']:.1f} | {rs['full_wall_s']:.1f} | "
                f"**{rs['resume_vs_full']:.2f}** | {rs['shards_rerun']} | "
                f"{'yes' if rs['release_identical'] else 'NO'} (`{rel.get('version')}`, manifest "
                f"sha256 `{str(rel.get('manifest_sha256'))[:16]}...`) |"
            )
        L.append("")
    return L


def _render_preprocess(pp: dict[str, Any]) -> list[str]:
    L = ["## 4. Preprocess side by side with HuggingFace datatrove", ""]
    if "skipped" in pp or "error" in pp:
        L.append(f"Not measured: {pp.get('skipped') or 'bench_preprocess.py failed'}.")
        if "error" in pp:
            L += ["", "```", str(pp["error"]).strip()[-1500:], "```"]
        L.append("")
        return L
    L.append(
        f"`bench/bench_preprocess.py` on {pp.get('docs', '?'):,} generated documents "
        f"(`bench/docgen.py`, mean {pp.get('mean_chars', '?')} chars), CPU time, best of its "
        "repeats."
    )
    L.append("")
    L.append("| measurement | docs per CPU-s |")
    L.append("|---|---|")
    for key, label in (
        ("steps_regex_pii", "preprocess steps (normalise, language, PII regex types, quality)"),
        ("steps_with_person", "the same with PERSON names"),
    ):
        if isinstance(pp.get(key), dict):
            L.append(f"| {label} | {_n(pp[key].get('docs_per_cpu_second'))} |")
    g = pp.get("gopher_vs_datatrove")
    if isinstance(g, dict):
        L.append(
            f"| Gopher quality + repetition rules, ours | "
            f"**{_n(g.get('ours_docs_per_cpu_second'))}** |"
        )
        L.append(
            f"| datatrove `GopherQualityFilter` + `GopherRepetitionFilter` | "
            f"{_n(g.get('datatrove_docs_per_cpu_second'))} |"
        )
        L.append("")
        L.append(
            f"Ours / datatrove: **x{g.get('speedup')}** docs per CPU-second; the two agree on "
            f"{_n((g.get('agreement') or 0) * 100, '.1f')}% of the documents (kept: ours "
            f"{g.get('ours_kept')}, datatrove {g.get('datatrove_kept')}, "
            f"both {g.get('both_kept')})."
        )
    else:
        L.append("")
        L.append("datatrove not installed: run with `uv run --group bench` for the comparison.")
    L.append("")
    return L


def _render_detector(res: dict[str, Any]) -> list[str]:
    L = ["## 5. Crisis detector alone", ""]
    L.append(
        "`bench/bench_detector.py`, pinned to one core, texts scored one at a time with "
        "`detect` (median of the rounds). Gold: the shipped gold texts, crisis-dense; corpus "
        "mix: user turns and 600-character pieces of the benchmark corpus. Escalated: share "
        "of texts the contextual stage reads."
    )
    L.append("")
    L.append(
        "| detector | gold: texts/s | escalated | batched (256) texts/s "
        "| corpus mix: texts/s | escalated | neutral line texts/s | build ms |"
    )
    L.append("|---|---|---|---|---|---|---|---|")
    for kind in ("contextual", "rules"):
        det = res.get(kind, {})
        if "texts_per_s" not in det:
            L.append(f"| {kind} | not measured (bench_detector.py failed) | | | | | | |")
            continue
        L.append(
            f"| {kind}: {det.get('name')} {det.get('version')} | **{det['texts_per_s']:,}** "
            f"(min {det['min']:,}, max {det['max']:,}) | {_n(det.get('escalated'), '.1f')}% | "
            f"{_n(det.get('batched_texts_per_s'))} | **{_n(det.get('corpus_texts_per_s'))}** | "
            f"{_n(det.get('corpus_escalated'), '.1f')}% | {_n(det.get('neutral_texts_per_s'))} "
            f"| {det.get('build_ms')} |"
        )
    L.append("")
    return L


# -- main ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="tiny sizes, 1 round")
    ap.add_argument("--sizes", type=int, nargs="+", help="records, in-process part")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--fleet-records", type=int, help="records of the fleet runs")
    ap.add_argument("--shard-mb", type=float, nargs="+", help="fleet overhead sweep")
    ap.add_argument("--speedup-shard-mb", type=float, help="shard size of -c 2 and resume")
    ap.add_argument("--memory-sizes", type=int, nargs="+")
    ap.add_argument("--memory-shard-mb", type=float)
    ap.add_argument("--preprocess-docs", type=int)
    ap.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    ap.add_argument("--out-dir", type=Path, help="where RESULTS.md and results/ go")
    ap.add_argument("--workdir", type=Path, help="temp stores and corpora (kept if given)")
    args = ap.parse_args(argv)

    base = QUICK if args.quick else FULL
    cfg: dict[str, Any] = dict(base)
    for key in ("sizes", "rounds", "fleet_records", "shard_mb", "speedup_shard_mb",
                "memory_sizes", "memory_shard_mb", "preprocess_docs"):  # fmt: skip
        value = getattr(args, key)
        if value is not None:
            cfg[key] = value
    cfg["quick"] = args.quick
    cfg["parts"] = args.parts
    out_dir = args.out_dir
    if out_dir is None:
        out_dir = Path(tempfile.mkdtemp(prefix="uadp-bench-quick-")) if args.quick else BENCH
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="uadp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cache = workdir / "cache"
    command = "uv run --group bench python bench/run_all.py" + (
        " " + " ".join(argv if argv is not None else sys.argv[1:])
        if (argv if argv is not None else sys.argv[1:])
        else ""
    )
    res: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "config": cfg,
        "machine": machine(),
        "load_start": loadavg(),
    }
    log(f"machine: {res['machine']['cpu_model']}, {res['machine']['cores']} cores, "
        f"load {res['load_start']}; workdir {workdir}")  # fmt: skip
    t0 = time.perf_counter()
    try:
        if "inprocess" in args.parts:
            res["inprocess"] = bench_pipeline.bench(
                cfg["sizes"], cfg["rounds"], bench_pipeline.DEFAULT_SHARD_MB, cache, workdir, log
            )
        if "fleet" in args.parts:
            res["fleet"] = bench_fleet.bench(
                workdir, cfg["fleet_records"], cfg["shard_mb"], cfg["speedup_shard_mb"],
                cfg["memory_sizes"], cfg["memory_shard_mb"], cfg["rounds"], log=log,
            )  # fmt: skip
        if "preprocess" in args.parts:
            log(f"preprocess vs datatrove: {cfg['preprocess_docs']} docs")
            res["preprocess"] = run_preprocess(cfg["preprocess_docs"], cfg["preprocess_repeat"])
        if "detector" in args.parts:
            log("crisis detector")
            res["detector"] = run_detector(cfg["detector_repeat"], cfg["detector_rounds"])
        corpora = sorted(cache.glob("corpus-*/done.json"))
        if corpora:
            doc = json.loads(corpora[-1].read_text())
            res["corpus_sample"] = {"records": doc["records"], "mean_bytes": doc["mean_bytes"]}
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    res["minutes"] = round((time.perf_counter() - t0) / 60, 2)
    res["load_end"] = loadavg()
    write(res, out_dir)
    log(f"wrote {out_dir / 'RESULTS.md'} and {out_dir / 'results'}/ in {res['minutes']:.1f} min")
    if not args.quick and args.out_dir is None and update_readme(render(res)):
        log("updated the README's benchmark section")
    return 0


README_START = "<!-- bench:run_all:start -->"
README_END = "<!-- bench:run_all:end -->"


def update_readme(results_md: str, readme: Path = ROOT / "README.md") -> bool:
    """Replace the README block between the bench markers with ``results_md`` (headings
    demoted by two levels, so they nest under the README's "Benchmarks" section)."""
    if not readme.exists():
        return False
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    body = re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", results_md, flags=re.M)
    body = body.split("\n", 1)[1].lstrip("\n")  # drop the "# Benchmark results" title
    new = text[: start + len(README_START)] + "\n" + body.rstrip() + "\n" + text[end:]
    readme.write_text(new, encoding="utf-8")
    return True


def write(res: dict[str, Any], out_dir: Path) -> None:
    raw = out_dir / "results"
    raw.mkdir(parents=True, exist_ok=True)
    for part in ("inprocess", "fleet", "preprocess", "detector"):
        if part in res:
            (raw / f"{part}.json").write_text(json.dumps(res[part], indent=2) + "\n")
    meta = {k: v for k, v in res.items() if k not in PARTS}
    (raw / "run.json").write_text(json.dumps(meta, indent=2) + "\n")
    (out_dir / "RESULTS.md").write_text(render(res), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
