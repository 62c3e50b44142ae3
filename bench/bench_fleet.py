"""The pipeline on a real Celery fleet: scaling, overhead versus in-process, memory, resume.

Everything runs on this machine: a private ``redis-server`` on a free loopback port (no
persistence), real ``celery -A workers.app worker`` subprocesses (prefork pool, every queue,
each in its own process group) and a local store in a temp dir (``PIPELINE_STORE``). The
input is the generated corpus of bench/corpus.py and the config of bench/bench_pipeline.py
(the defaults). Each fleet run gets a fresh worker and a fresh store, so first-use costs
(imports in the pool child, building the detector) are paid once per run exactly as in the
in-process run it is compared with.

``scaling``   wall time of the whole run (``workers.control.submit`` to a terminal state,
              the run's state polled every 50 ms) with one worker process (``-c 1``) and two
              (``-c 2``), and ``run_local`` on the same data (a fresh process, see
              bench_pipeline.measure): speed-up = wall(-c 1) / wall(-c 2); fleet overhead =
              wall(-c 1) / wall(run_local) - 1 (same code, one process doing the work).
``shards``    the overhead for several ``source.shard_mb`` values on the same data.
``memory``    peak resident memory of every process in the worker's process group (VmHWM
              from ``/proc/<pid>/status``, sampled every 0.2 s and read just before the
              worker is stopped), for several dataset sizes at a fixed shard size.
``resume``    a ``-c 2`` run SIGKILLed (the whole process group) once half of all its shard
              markers exist (counted in the store; the total comes from an uninterrupted run),
              then a fresh worker and ``submit`` again (what ``pipeline resume`` does): time
              from the resume to success versus a full run, and whether the resumed release
              is byte-identical (version id and manifest sha256) to the uninterrupted one.

    uv run python bench/bench_fleet.py --records 3000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):  # run as a script or imported by a sibling
    if _path not in sys.path:
        sys.path.insert(0, _path)

from bench_pipeline import (  # noqa: E402
    DEFAULT_SHARD_MB,
    bench_config_dict,
    measure,
    release_identity,
)
from corpus import CorpusInfo, cached_corpus  # noqa: E402

Log = Callable[[str], None]
POLL = 0.05


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RedisServer:
    """A private redis-server on a free loopback port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not on PATH (apt-get install redis-server)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir),
             "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def flush(self) -> None:
        """Forget every queued message and result (between independent runs)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as c:
            c.sendall(b"FLUSHALL\r\n")
            if not c.recv(16).startswith(b"+OK"):
                raise RuntimeError("FLUSHALL failed")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def redis_version() -> str:
    exe = shutil.which("redis-server")
    if exe is None:
        return "not installed"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout
    for part in out.split():
        if part.startswith("v="):
            return part[2:]
    return out.strip()


# -- memory of a process group ------------------------------------------------------------
def _status_kib(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its reaped children (utime+stime+cutime+cstime)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0.0
    return sum(int(x) for x in fields[11:15]) / CLK_TCK  # fields 14-17 of proc(5)


def group_cpu(pgid: int) -> float:
    return sum(cpu_seconds(p) for p in group_pids(pgid))


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) == pgid:
                pids.append(int(entry))
        except (ProcessLookupError, PermissionError):
            continue
    return sorted(pids)


class MemorySampler(threading.Thread):
    """Samples VmHWM/VmRSS of every process in a process group until stopped."""

    def __init__(self, pgid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pgid = pgid
        self.interval = interval
        self.peak_kib: dict[int, int] = {}
        self._stop_event = threading.Event()

    def sample(self) -> None:
        for pid in group_pids(self.pgid):
            st = _status_kib(pid)
            peak = max(st.get("VmHWM", 0), st.get("VmRSS", 0))
            if peak:
                self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), peak)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)
        self.sample()  # VmHWM just before the worker is stopped


class FleetWorker:
    """``celery worker`` consuming every queue, in its own process group."""

    def __init__(self, env: dict[str, str], logdir: Path, concurrency: int) -> None:
        self.env = env
        self.concurrency = concurrency
        self.name = f"bench-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log = logdir / f"worker-{self.name.split('@')[0]}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.sampler: MemorySampler | None = None
        self.startup_s = 0.0
        self.cpu0 = 0.0

    def start(self, timeout: float = 60) -> FleetWorker:
        cmd = [
            sys.executable, "-m", "celery", "-A", "workers.app", "worker",
            "-Q", "control,io,cpu", "-P", "prefork", "-c", str(self.concurrency),
            "-n", self.name, "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        t0 = time.perf_counter()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                cmd, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self._wait_ready(timeout)
        self.startup_s = time.perf_counter() - t0
        self.cpu0 = group_cpu(self.proc.pid)
        self.sampler = MemorySampler(self.proc.pid)
        self.sampler.start()
        return self

    def _wait_ready(self, timeout: float) -> None:
        from celery import Celery

        probe = Celery(broker=self.env["PIPELINE_BROKER_URL"])
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise RuntimeError(f"worker exited: {self.log.read_text()[-3000:]}")
                if probe.control.ping(destination=[self.name], timeout=0.5):
                    return
        finally:
            probe.close()
        raise TimeoutError(f"worker {self.name} not ready: {self.log.read_text()[-3000:]}")

    def memory(self) -> dict[str, Any]:
        """Peak RSS (MiB) of the main process and of each pool child."""
        assert self.proc is not None
        assert self.sampler is not None
        main = self.proc.pid
        peaks = self.sampler.peak_kib
        children = sorted((v for p, v in peaks.items() if p != main), reverse=True)
        return {
            "main_mib": round(peaks.get(main, 0) / 1024, 1),
            "children_mib": [round(v / 1024, 1) for v in children],
            "max_child_mib": round(children[0] / 1024, 1) if children else None,
            "processes": len(peaks),
        }

    def cpu_since_ready(self) -> float:
        """CPU seconds the worker's processes used since it was ready (startup excluded)."""
        assert self.proc is not None
        return group_cpu(self.proc.pid) - self.cpu0

    def finish(self) -> tuple[dict[str, Any], float]:
        """Read the final peaks and CPU time, then stop the worker (SIGTERM, then SIGKILL)."""
        assert self.sampler is not None
        self.sampler.stop()
        mem, cpu = self.memory(), self.cpu_since_ready()
        self.stop()
        return mem, cpu

    def kill(self) -> None:
        """SIGKILL the whole process group: a node lost mid-run."""
        if self.sampler is not None:
            self.sampler.stop()
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            self.proc = None

    def stop(self) -> None:
        if self.sampler is not None and self.sampler.is_alive():
            self.sampler.stop()
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


# -- one fleet run --------------------------------------------------------------------------
class Fleet:
    """The private Redis plus what is needed to start workers and submit runs."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.redis = RedisServer(workdir / "redis")
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        (workdir / "tmp").mkdir(exist_ok=True)
        # every finished run by (records, shard_mb, concurrency), for reuse across parts
        self.history: dict[tuple[int, float, int], list[dict[str, Any]]] = {}

    def __enter__(self) -> Fleet:
        self.redis.start()
        os.environ["PIPELINE_BROKER_URL"] = self.redis.url
        from workers.app import app

        app.conf.update(broker_url=self.redis.url, result_backend=self.redis.url)
        return self

    def __exit__(self, *exc: object) -> None:
        self.redis.stop()

    def env(self, store: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
        env.update(
            PIPELINE_BROKER_URL=self.redis.url,
            PIPELINE_STORE=str(store),
            PIPELINE_LOG_FORMAT="json",
            PIPELINE_LOG_LEVEL="INFO",
            PYTHONPATH=str(ROOT),
            TMPDIR=str(self.workdir / "tmp"),  # a killed shard's temp dir is cleaned with us
        )
        return env

    def worker(self, store: Path, concurrency: int) -> FleetWorker:
        self.redis.flush()
        return FleetWorker(self.env(store), self.logs, concurrency).start()

    def new_run(self, store: Path, corpus: CorpusInfo, shard_mb: float) -> Any:
        from pipeline.config import from_dict
        from pipeline.runs import Run
        from pipeline.store import LocalStore

        cfg = from_dict(bench_config_dict([str(p) for p in corpus.paths], shard_mb))
        return Run.create(LocalStore(store), cfg)

    def run_once(
        self, corpus: CorpusInfo, shard_mb: float, concurrency: int, keep_store: bool = False
    ) -> dict[str, Any]:
        """One whole run on a fresh worker and store: wall time and worker memory."""
        from workers.control import submit

        store = Path(tempfile.mkdtemp(prefix=f"fleet-c{concurrency}-", dir=self.workdir))
        worker = self.worker(store, concurrency)
        try:
            run = self.new_run(store, corpus, shard_mb)
            assert self.redis.proc is not None
            redis0 = cpu_seconds(self.redis.proc.pid)
            t0 = time.perf_counter()
            submit(run)
            state = wait_terminal(run)
            wall = time.perf_counter() - t0
            redis_cpu = cpu_seconds(self.redis.proc.pid) - redis0
            mem, cpu = worker.finish()
            res = {
                "concurrency": concurrency,
                "shard_mb": shard_mb,
                "records": corpus.records,
                "status": state["status"],
                "wall_s": round(wall, 3),
                "worker_cpu_s": round(cpu, 3),
                "redis_cpu_s": round(redis_cpu, 3),
                "cpu_s": round(cpu + redis_cpu, 3),
                "worker_startup_s": round(worker.startup_s, 2),
                "memory": mem,
                "markers": count_markers(store),
                "plans": plan_sizes(store),
                "release": release_identity(store),
            }
            if state["status"] != "succeeded":
                res["reason"] = state.get("reason")
            self.history.setdefault((corpus.records, shard_mb, concurrency), []).append(res)
            if keep_store:
                res["store"] = str(store)
            return res
        finally:
            worker.stop()
            if not keep_store:
                shutil.rmtree(store, ignore_errors=True)


def wait_terminal(run: Any, timeout: float = 6 * 3600) -> dict[str, Any]:
    from pipeline.runs import TERMINAL

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st: dict[str, Any] = run.state()
        if st["status"] in TERMINAL:
            return st
        time.sleep(POLL)
    raise TimeoutError(f"run {run.id} not finished after {timeout}s")


def plan_sizes(store: Path) -> dict[str, int]:
    """Shards per stage of the (one) run in a local store, in stage order."""
    from pipeline.stages import STAGE_ORDER

    out = {}
    for stage in STAGE_ORDER:
        for plan in store.glob(f"runs/*/{stage}/plan.json"):
            out[stage] = len(json.loads(plan.read_text())["shards"])
    return out


def count_markers(store: Path) -> int:
    """Shard markers of every stage of every run in a local store."""
    return sum(1 for _ in store.glob("runs/*/*/markers/*.json"))


# -- the benchmarks ----------------------------------------------------------------------------
def _median(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


def _check(res: dict[str, Any], what: str) -> None:
    if res["status"] != "succeeded":
        raise RuntimeError(f"{what}: run ended {res['status']}: {res.get('reason')}")


def bench_scaling(
    fleet: Fleet,
    corpus: CorpusInfo,
    shard_mbs: list[float],
    rounds: int,
    log: Log,
    speedup_mb: float,
) -> dict[str, Any]:
    """Fleet -c 1 versus run_local for every shard size; -c 2 at ``speedup_mb``."""
    rows = []
    for mb in shard_mbs:
        local: list[dict[str, Any]] = []
        c1: list[dict[str, Any]] = []
        c2: list[dict[str, Any]] = []
        for r in range(rounds):
            lo = measure("local", corpus, mb, fleet.workdir)
            _check(lo, "run_local")
            local.append(lo)
            one = fleet.run_once(corpus, mb, 1)
            _check(one, "fleet -c 1")
            c1.append(one)
            line = f"  shard_mb {mb:g} round {r + 1}: local {lo['wall_s']:.1f} s, "
            line += f"fleet -c 1 {one['wall_s']:.1f} s"
            if mb == speedup_mb:
                two = fleet.run_once(corpus, mb, 2)
                _check(two, "fleet -c 2")
                c2.append(two)
                line += f", -c 2 {two['wall_s']:.1f} s"
            log(line)
        lw, w1 = _median([x["wall_s"] for x in local]), _median([x["wall_s"] for x in c1])
        lc, c1c = _median([x["cpu_s"] for x in local]), _median([x["cpu_s"] for x in c1])
        releases = {json.dumps(x["release"], sort_keys=True) for x in local + c1 + c2}
        row: dict[str, Any] = {
            "shard_mb": mb,
            "plans": c1[0]["plans"],
            "markers": c1[0]["markers"],
            "local_wall_s": lw,
            "local_cpu_s": lc,
            "fleet_c1_wall_s": w1,
            "fleet_c1_cpu_s": c1c,
            "overhead": round(w1 / lw - 1, 4),
            "cpu_overhead": round(c1c / lc - 1, 4),
            "release_identical": len(releases) == 1,
            "raw": {"local": local, "c1": c1, "c2": c2},
        }
        if c2:
            w2 = _median([x["wall_s"] for x in c2])
            row.update(fleet_c2_wall_s=w2, speedup_c2=round(w1 / w2, 3))
        rows.append(row)
    return {
        "records": corpus.records,
        "corpus_bytes": corpus.bytes,
        "speedup_shard_mb": speedup_mb,
        "default_shard_mb": DEFAULT_SHARD_MB,
        "rows": rows,
    }


def bench_memory(
    fleet: Fleet, cache: Path, sizes: list[int], shard_mb: float, log: Log
) -> dict[str, Any]:
    rows = []
    for n in sizes:
        corpus = cached_corpus(cache, n)
        done = fleet.history.get((n, shard_mb, 1))
        res = done[0] if done else fleet.run_once(corpus, shard_mb, 1)
        _check(res, f"memory run {n}")
        m = res["memory"]
        log(
            f"  {n:,} records: wall {res['wall_s']:.1f} s, worker main {m['main_mib']:.0f} MiB, "
            f"pool child {m['max_child_mib']:.0f} MiB"
        )
        rows.append(
            {
                "records": n,
                "corpus_bytes": corpus.bytes,
                "shard_mb": shard_mb,
                "markers": res["markers"],
                "plans": res["plans"],
                "wall_s": res["wall_s"],
                "main_mib": m["main_mib"],
                "max_child_mib": m["max_child_mib"],
                "processes": m["processes"],
            }
        )
    return {"shard_mb": shard_mb, "concurrency": 1, "rows": rows}


def bench_resume(
    fleet: Fleet,
    corpus: CorpusInfo,
    shard_mb: float,
    log: Log,
    full: dict[str, Any] | None = None,
    concurrency: int = 2,
    at: float = 0.5,
) -> dict[str, Any]:
    """Kill a run at ``at`` of its shard markers, resume it, compare with a full run."""
    from workers.control import submit

    if full is None:
        full = fleet.run_once(corpus, shard_mb, concurrency)
        _check(full, "uninterrupted run")
    total = int(full["markers"])
    store = Path(tempfile.mkdtemp(prefix="resume-", dir=fleet.workdir))
    try:
        worker = fleet.worker(store, concurrency)
        run = fleet.new_run(store, corpus, shard_mb)
        t0 = time.perf_counter()
        submit(run)
        target = max(1, int(total * at))
        killed_at = None
        while True:
            done = count_markers(store)
            if done >= target:
                worker.kill()
                killed_at = done
                break
            if run.state()["status"] in ("succeeded", "failed", "blocked", "cancelled"):
                break
            time.sleep(POLL / 2)
        before_kill = time.perf_counter() - t0
        worker.stop()
        stage_at_kill = run.state().get("stage")
        if killed_at is None:
            log("  resume: the run finished before it could be interrupted (too small)")
            return {"interrupted": False, "markers_total": total}
        worker = fleet.worker(store, concurrency)
        try:
            t1 = time.perf_counter()
            gen = submit(run)  # what `pipeline resume RUN_ID` does
            state = wait_terminal(run)
            resume_s = time.perf_counter() - t1
        finally:
            worker.stop()
        rel = release_identity(store)
        identical = rel is not None and rel == full["release"]
        res = {
            "interrupted": True,
            "concurrency": concurrency,
            "shard_mb": shard_mb,
            "records": corpus.records,
            "markers_total": total,
            "markers_at_kill": killed_at,
            "fraction_at_kill": round(killed_at / total, 3),
            "stage_at_kill": stage_at_kill,
            "seconds_before_kill": round(before_kill, 3),
            "resume_generation": gen,
            "status": state["status"],
            "resume_wall_s": round(resume_s, 3),
            "full_wall_s": full["wall_s"],
            "resume_vs_full": round(resume_s / full["wall_s"], 3),
            "release": rel,
            "release_identical": identical,
            "shards_rerun": _reruns(store),
        }
        log(
            f"  killed at {killed_at}/{total} markers ({stage_at_kill}); resume took "
            f"{resume_s:.1f} s vs full run {full['wall_s']:.1f} s; release identical: {identical}"
        )
        return res
    finally:
        shutil.rmtree(store, ignore_errors=True)


def _reruns(store: Path) -> int:
    """Shards that started more than once (the ones the kill interrupted)."""
    n = 0
    for d in store.glob("runs/*/*/attempts/*"):
        if d.is_dir() and sum(1 for _ in d.iterdir()) > 1:
            n += 1
    return n


def bench(
    workdir: Path,
    records: int,
    shard_mbs: list[float],
    speedup_mb: float,
    memory_sizes: list[int],
    memory_shard_mb: float,
    rounds: int,
    log: Log = print,
    parts: tuple[str, ...] = ("scaling", "memory", "resume"),
) -> dict[str, Any]:
    """The fleet benchmarks; the resume compares with the ``-c 2`` runs of ``scaling`` at
    ``speedup_mb`` (made here when ``scaling`` is not among ``parts``)."""
    cache = workdir / "cache"
    out: dict[str, Any] = {"redis_version": redis_version()}
    with Fleet(workdir) as fleet:
        corpus = cached_corpus(cache, records)
        if "scaling" in parts:
            mbs = sorted({*shard_mbs, speedup_mb})
            log(
                f"fleet scaling/overhead: {records:,} records ({corpus.bytes / 1e6:.1f} MB), "
                f"shard_mb {', '.join(f'{m:g}' for m in mbs)}; -c 2 at {speedup_mb:g}; "
                f"{rounds} round(s)"
            )
            out["scaling"] = bench_scaling(fleet, corpus, mbs, rounds, log, speedup_mb)
        if "memory" in parts:
            log(f"fleet memory: sizes {memory_sizes}, shard_mb {memory_shard_mb:g}, -c 1")
            out["memory"] = bench_memory(fleet, cache, memory_sizes, memory_shard_mb, log)
        if "resume" in parts:
            log(f"fleet resume: {records:,} records, shard_mb {speedup_mb:g}, -c 2")
            fulls = fleet.history.get((records, speedup_mb, 2), [])
            full = None
            if fulls:
                full = dict(fulls[0])
                full["wall_s"] = _median([x["wall_s"] for x in fulls])
            out["resume"] = bench_resume(fleet, corpus, speedup_mb, log, full)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--shard-mb", type=float, nargs="+", default=[0.25, 1, 4, DEFAULT_SHARD_MB])
    ap.add_argument("--speedup-shard-mb", type=float, default=1.0)
    ap.add_argument("--memory-sizes", type=int, nargs="+", default=[1500, 6000, 24_000])
    ap.add_argument("--memory-shard-mb", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--parts", nargs="+", default=["scaling", "memory", "resume"])
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="uadp-fleet-"))
    try:
        res = bench(
            workdir, args.records, args.shard_mb, args.speedup_shard_mb, args.memory_sizes,
            args.memory_shard_mb, args.rounds, parts=tuple(args.parts),
        )  # fmt: skip
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = json.dumps(res, indent=2)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
