"""The ``pipeline`` management command.

Exit codes: 0 success, 1 run failed / gate below threshold, 2 bad usage or config,
3 release gate blocked the run, 4 run cancelled.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.config import DEFAULT_DETECTOR, DETECTOR_KINDS, ConfigError, load_config
from pipeline.logs import setup_logging
from pipeline.runs import Run, RunError, list_runs
from pipeline.store import Store, StoreError, open_store

EXIT = {"succeeded": 0, "failed": 1, "blocked": 3, "cancelled": 4}


def _store(args: argparse.Namespace) -> Store:
    return open_store(getattr(args, "store", None))


def _print_progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {stage:<10} {done}/{total} shards", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)
    elif done == total or done % 50 == 0:
        print(f"  {stage}: {done}/{total} shards", file=sys.stderr)


def _report_end(run: Run, state: dict[str, Any], as_json: bool = False) -> int:
    if as_json:
        print(json.dumps(status_doc(run), indent=2, sort_keys=True))
        return EXIT.get(state["status"], 1)
    print(f"run {run.id}: {state['status']}")
    if state.get("reason"):
        print(f"  {state['reason']}")
    gate_txt = run.store.get_json_or_none(run.key("gate.json"))
    if gate_txt is not None:
        t = gate_txt["total"]
        print(
            f"  release gate: {'passed' if gate_txt['passed'] else 'BLOCKED'} "
            f"(sensitivity {t['sensitivity']:.3f} on {t['positives']} crisis texts, "
            f"specificity {t['specificity']:.3f} on {t['negatives']})"
        )
    pub = run.store.get_json_or_none(run.key("published.json"))
    if pub is not None:
        order = ("train", "validation", "test")
        splits = ", ".join(f"{k} {pub['splits'][k]['rows']}" for k in order if k in pub["splits"])
        print(f"  release: {run.store.url}/{pub['prefix']}  ({splits})")
    return EXIT.get(state["status"], 1)


def status_doc(run: Run) -> dict[str, Any]:
    from workers.control import progress

    return {
        "state": run.state(),
        "stages": progress(run),
        "failures": run.failures(),
        "gate": run.store.get_json_or_none(run.key("gate.json")),
        "release": run.store.get_json_or_none(run.key("published.json")),
    }


# -- commands -------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from pipeline.config import from_dict
    from pipeline.engine import run_local

    sample = resources.files("pipeline") / "data" / "sample"
    base = Path(str(sample))
    import tomllib

    raw = tomllib.loads((base / "demo.toml").read_text())
    cfg = from_dict(raw, base_dir=base)
    out = Path(args.out).resolve()
    from pipeline.store import LocalStore

    store = LocalStore(out)
    run = Run.create(store, cfg)
    print(f"demo: running the whole pipeline in-process on the bundled sample -> {out}")
    state = run_local(run, progress=_print_progress)
    code = _report_end(run, state)
    if state["status"] == "succeeded":
        print(f"  inspect: pipeline status {run.id} --store {out}")
    return code


def cmd_run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    store = _store(args)
    run = Run.create(store, cfg, run_id=args.run_id)
    if args.local:
        from pipeline.engine import run_local

        print(f"run {run.id}: running in-process (store {store.url})", file=sys.stderr)
        state = run_local(run, progress=_print_progress)
        return _report_end(run, state, args.json)
    from workers.control import submit

    gen = submit(run)
    print(
        f"run {run.id}: queued on the fleet (generation {gen}, correlation id {run.id}.g{gen}, "
        f"store {store.url})"
    )
    if not args.wait:
        return 0
    return _wait(run, args)


def _wait(run: Run, args: argparse.Namespace) -> int:
    from pipeline.progress import ProgressTracker

    state = ProgressTracker(run).follow(timeout=args.timeout)
    return _report_end(run, state, getattr(args, "json", False))


def cmd_status(args: argparse.Namespace) -> int:
    run = Run(_store(args), args.run_id)
    if args.watch:
        from pipeline.progress import ProgressTracker

        ProgressTracker(run).follow(timeout=args.timeout)
    doc = status_doc(run)
    if args.json:
        print(json.dumps(doc, indent=2, sort_keys=True))
        return 0
    st = doc["state"]
    print(
        f"run {run.id}: {st['status']}  (stage {st.get('stage', '-')}, updated {st['updated_at']})"
    )
    if st.get("reason"):
        print(f"  {st['reason']}")
    for row in doc["stages"]:
        total = row["shards_total"]
        shards = f"{row['shards_done']}/{total}" if total is not None else "not started"
        line = f"  {row['stage']:<10} {shards:>12} shards"
        c = row["counts"]
        if c:
            line += f"   in {c['in']}, kept {c['kept']}"
            for kind in ("filtered", "errored"):
                if c[kind]:
                    reasons = ", ".join(f"{k} {v}" for k, v in c[kind].items())
                    line += f", {kind} {sum(c[kind].values())} ({reasons})"
        print(line)
    for f in doc["failures"]:
        print(f"  FAILED {f['stage']}/{f.get('shard') or '-'}: {f['error']}")
    if doc["gate"]:
        print(
            f"  gate: {'passed' if doc['gate']['passed'] else 'BLOCKED'}: {doc['gate']['reason']}"
        )
    if doc["release"]:
        print(f"  release: {doc['release']['prefix']}")
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    run = Run(_store(args), args.run_id)
    _ = run.config  # fails clearly when the run does not exist
    if args.reannotate:
        from pipeline.engine import reset_stages

        redo = reset_stages(run, "annotate")
        print(f"run {run.id}: will recompute {', '.join(redo)} with the current detector")
    if args.local:
        from pipeline.engine import run_local

        state = run_local(run, progress=_print_progress)
        return _report_end(run, state)
    from workers.control import submit

    gen = submit(run)
    print(f"run {run.id}: resumed on the fleet (generation {gen})")
    return _wait(run, args) if args.wait else 0


def cmd_cancel(args: argparse.Namespace) -> int:
    from workers.control import cancel

    st = cancel(Run(_store(args), args.run_id))
    print(f"run {args.run_id}: {st['status']}: {st.get('reason', '')}")
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    runs = list_runs(_store(args))
    if args.json:
        print(json.dumps(runs, indent=2, sort_keys=True))
        return 0
    if not runs:
        print("no runs in this store")
    else:
        print(f"{'RUN':<32} {'STATUS':<10} {'STAGE':<10} {'AGE':>6}  REASON")
    for r in runs[: args.limit]:
        print(
            f"{r['run_id']:<32} {r.get('status', '?'):<10} {r.get('stage', '-'):<10} "
            f"{_age(r.get('created_at', '')):>6}  {r.get('reason', '')[:70]}"
        )
    return 0


def _age(created_at: str) -> str:
    """'2026-11-25T03:10:00Z' -> '42m' (how long ago)."""
    import datetime as dt

    try:
        then = dt.datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return "?"
    secs = int((dt.datetime.now(dt.UTC) - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs >= size:
            return f"{secs // size}{unit}"
    return f"{max(secs, 0)}s"


def cmd_gate_evaluate(args: argparse.Namespace) -> int:
    from pipeline.safety import default_detector, evaluate, load_labelled

    det = default_detector(args.detector)
    rep = evaluate(det, load_labelled(args.file))
    ok = rep.sensitivity >= args.threshold
    detector = f"{det.name} {det.version}"
    if args.json:
        doc = {**rep.to_dict(), "detector": detector, "threshold": args.threshold, "passed": ok}
        print(json.dumps(doc, indent=2))
        return 0 if ok else 1
    print(f"detector {detector}")
    lo, hi = rep.sensitivity_ci
    slo, shi = rep.specificity_ci
    print(f"{args.file}: {rep.n} texts ({rep.positives} crisis, {rep.negatives} not)")
    print(f"  sensitivity {rep.sensitivity:.4f}  95% CI [{lo:.4f}, {hi:.4f}]", end="")
    print(f"  (tp {rep.tp}, fn {rep.fn})")
    print(f"  specificity {rep.specificity:.4f}  95% CI [{slo:.4f}, {shi:.4f}]", end="")
    print(f"  (tn {rep.tn}, fp {rep.fp})")
    for cat, row in sorted(rep.per_category.items()):
        print(f"  {cat:<18} " + ", ".join(f"{k} {v}" for k, v in row.items()))
    for m in rep.misses[: args.show_misses]:
        kind = "missed" if m["label"] == 1 else "false alarm"
        print(f"  {kind}: {str(m['text'])[:100]!r}")
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict}: sensitivity {rep.sensitivity:.4f} vs threshold {args.threshold:.4f}")
    return 0 if ok else 1


def cmd_detect(args: argparse.Namespace) -> int:
    from pipeline.safety import default_detector

    det = default_detector(args.detector)
    texts = args.text if args.text else (line.rstrip("\n") for line in sys.stdin)
    for t in texts:
        print(json.dumps({"text": t, **det.detect(t).to_dict()}, ensure_ascii=False), flush=True)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from workers.doctor import check_fleet, check_store

    checks = [check_store(_store(args))]
    if not args.store_only:
        from workers.app import app

        checks += check_fleet(app, timeout=args.timeout)
    for c in checks:
        mark = "ok  " if c.ok else "FAIL"
        print(f"{mark} {c.name:<16} {c.detail}")
        if c.fix:
            print(f"     {'':<16} fix: {c.fix}")
    return 0 if all(c.ok for c in checks) else 1


def cmd_flower(args: argparse.Namespace) -> int:
    """Start Flower only behind basic auth (FLOWER_BASIC_AUTH=user:password, read by Flower
    itself from the environment, so the password never shows in the process list), or bound
    to loopback with --local-only."""
    auth = os.environ.get("FLOWER_BASIC_AUTH", "")
    address = args.address
    if not auth or ":" not in auth:
        if not args.local_only:
            print(
                "error: refusing to start Flower without authentication: set "
                "FLOWER_BASIC_AUTH=user:password (comma-separate several), or pass --local-only "
                "to bind it to 127.0.0.1 for this machine only",
                file=sys.stderr,
            )
            return 2
        address = "127.0.0.1"
    argv = [sys.executable, "-m", "celery", "-A", "workers.app", "flower"]
    argv += [f"--address={address}", f"--port={args.port}", "--purge_offline_workers=600"]
    if args.url_prefix:
        argv.append(f"--url_prefix={args.url_prefix}")
    sys.stdout.flush()
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with Flower


def cmd_releases(args: argparse.Namespace) -> int:
    from pipeline import releases

    store = _store(args)
    if args.releases_cmd == "list":
        rows = releases.list_releases(store)
        if args.json:
            print(json.dumps(rows, indent=2, sort_keys=True))
        for r in [] if args.json else rows:
            counts = ", ".join(f"{k} {v}" for k, v in r["rows"].items())
            print(f"{r['dataset']}@{r['version']}{'  (latest)' if r['latest'] else ''}  {counts}")
        if not rows and not args.json:
            print("no releases in this store")
        return 0
    if args.releases_cmd == "show":
        dataset, version = releases.resolve(args.ref, store)
        doc = releases.manifest(dataset, version, store)
        print(json.dumps(doc, indent=2, sort_keys=True))
        return 0
    d = releases.diff(args.a, args.b, store)
    if args.json:
        print(json.dumps(d, indent=2, sort_keys=True))
        return 0
    print(f"{d['a']} -> {d['b']}")
    for key, rows in d["counts"].items():
        for name, v in rows.items():
            delta = v["b"] - v["a"]
            print(f"  {key:<7} {name:<24} {v['a']:>8} -> {v['b']:>8}  ({delta:+d})")
    print(
        f"  records added {d['added']}, removed {d['removed']}, "
        f"moved between splits {d['moved_between_splits']}"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import render_report, run_report_data

    run = Run(_store(args), args.run_id)
    _ = run.config  # fails clearly when the run does not exist
    page = render_report(run_report_data(run))
    if args.output == "-":
        sys.stdout.write(page)
        return 0
    out = Path(args.output or f"{run.id}-report.html")
    out.write_text(page, encoding="utf-8")
    print(f"report of run {run.id}: {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pipeline", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    sub = p.add_subparsers(dest="cmd", required=True)

    def with_store(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--store", help="store (default: $PIPELINE_STORE or ./pipeline-store)")
        return sp

    sp = sub.add_parser("demo", help="run the whole pipeline on the bundled sample, in-process")
    sp.add_argument(
        "--out", default="pipeline-demo", help="local store directory (default ./pipeline-demo)"
    )
    sp.set_defaults(fn=cmd_demo)

    sp = with_store(sub.add_parser("run", help="start a run from a config file"))
    sp.add_argument("config")
    sp.add_argument("--run-id")
    sp.add_argument("--local", action="store_true", help="run in this process instead of the fleet")
    sp.add_argument(
        "--wait", action="store_true", help="wait for the end; non-zero unless published"
    )
    sp.add_argument("--timeout", type=float, default=None)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_run)

    sp = with_store(
        sub.add_parser("status", help="state, per-stage progress and accounting of a run")
    )
    sp.add_argument("run_id")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--watch", action="store_true", help="follow live progress until the run ends")
    sp.add_argument("--timeout", type=float, default=None)
    sp.set_defaults(fn=cmd_status)

    sp = with_store(sub.add_parser("resume", help="continue a run from its markers"))
    sp.add_argument("run_id")
    sp.add_argument(
        "--reannotate",
        action="store_true",
        help="recompute annotate and later stages (after the detector changed)",
    )
    sp.add_argument("--local", action="store_true")
    sp.add_argument("--wait", action="store_true")
    sp.add_argument("--timeout", type=float, default=None)
    sp.set_defaults(fn=cmd_resume)

    sp = with_store(sub.add_parser("cancel", help="stop a run; nothing is published"))
    sp.add_argument("run_id")
    sp.set_defaults(fn=cmd_cancel)

    sp = with_store(sub.add_parser("runs", help="list runs, newest first"))
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--limit", type=int, default=50)
    sp.set_defaults(fn=cmd_runs)

    gp = sub.add_parser("gate", help="release-gate tools").add_subparsers(
        dest="gate_cmd", required=True
    )
    sp = gp.add_parser(
        "evaluate", help="sensitivity/specificity of the detector on a labelled file"
    )
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--threshold", type=float, default=0.95)
    sp.add_argument("--show-misses", type=int, default=20)
    sp.add_argument(
        "--detector",
        choices=DETECTOR_KINDS,
        default=DEFAULT_DETECTOR,
        help=f"detector kind, as config annotate.detector (default {DEFAULT_DETECTOR})",
    )
    sp.set_defaults(fn=cmd_gate_evaluate)

    sp = with_store(sub.add_parser("doctor", help="check broker, backend, store and workers"))
    sp.add_argument("--timeout", type=float, default=2.0)
    sp.add_argument("--store-only", action="store_true", help="only check the store")
    sp.set_defaults(fn=cmd_doctor)

    rp = sub.add_parser("releases", help="published releases").add_subparsers(
        dest="releases_cmd", required=True
    )
    sp = with_store(rp.add_parser("list", help="datasets and versions in the store"))
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_releases)
    sp = with_store(rp.add_parser("show", help="manifest of DATASET[@VERSION] (default latest)"))
    sp.add_argument("ref")
    sp.set_defaults(fn=cmd_releases)
    sp = with_store(rp.add_parser("diff", help="what changed between two releases"))
    sp.add_argument("a")
    sp.add_argument("b")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_releases)

    sp = with_store(sub.add_parser("report", help="HTML report of a run (self-contained file)"))
    sp.add_argument("run_id")
    sp.add_argument("-o", "--output", help="file to write (default RUN_ID-report.html; - = stdout)")
    sp.set_defaults(fn=cmd_report)

    sp = sub.add_parser("flower", help="start Flower behind basic auth (FLOWER_BASIC_AUTH)")
    sp.add_argument("--address", default=os.environ.get("FLOWER_ADDRESS", "127.0.0.1"))
    sp.add_argument("--port", type=int, default=int(os.environ.get("FLOWER_PORT", "5555")))
    sp.add_argument("--url-prefix", default="")
    sp.add_argument("--local-only", action="store_true", help="no auth; bind 127.0.0.1 only")
    sp.set_defaults(fn=cmd_flower)

    sp = sub.add_parser("detect", help="crisis verdicts, one JSON line per text (args or stdin)")
    sp.add_argument("text", nargs="*")
    sp.add_argument("--detector", choices=DETECTOR_KINDS, default=DEFAULT_DETECTOR)
    sp.set_defaults(fn=cmd_detect)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(level=os.environ.get("PIPELINE_LOG_LEVEL", "WARNING"))
    try:
        code: int = args.fn(args)
        return code
    except (ConfigError, RunError, StoreError, ValueError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
