"""Real Celery worker subprocesses and CLI invocations for crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parents[1]


def fleet_env(
    broker: str, store: str, s3_endpoint: str | None = None, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update(
        PIPELINE_BROKER_URL=broker,
        PIPELINE_STORE=store,
        PIPELINE_LOG_FORMAT="json",
        PIPELINE_LOG_LEVEL="INFO",
        # room for a slow shard on a loaded machine (tests that need quick redelivery after a
        # kill set their own, shorter limits)
        PIPELINE_VISIBILITY_TIMEOUT="60",
        PIPELINE_TASK_TIME_LIMIT="30",
        PIPELINE_RETRY_BACKOFF_MAX="1",
        PIPELINE_S3_READ_TIMEOUT="2",
        PIPELINE_S3_CONNECT_TIMEOUT="2",
        PIPELINE_S3_MAX_ATTEMPTS="4",
        # tests/offline/sitecustomize.py: the loopback-only network guard, in every subprocess
        PYTHONPATH=os.pathsep.join([str(ROOT / "tests" / "offline"), str(ROOT)]),
    )
    if s3_endpoint:
        env["PIPELINE_S3_ENDPOINT"] = s3_endpoint
    env.update(extra)
    return env


class Worker:
    """``celery worker`` in its own process group (so SIGKILL takes the children too)."""

    def __init__(self, name: str, env: dict[str, str], logdir: Path, concurrency: int = 2) -> None:
        self.name = f"{name}@{socket.gethostname()}"
        self.env = env
        self.log = logdir / f"{name}.log"
        self.concurrency = concurrency
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> Worker:
        cmd = [
            sys.executable, "-m", "celery", "-A", "workers.app", "worker",
            "-Q", "control,io,cpu", "-P", "prefork", "-c", str(self.concurrency),
            "-n", self.name, "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                cmd, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self._wait_ready(timeout)
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
                try:
                    if probe.control.ping(destination=[self.name], timeout=0.5):
                        return
                except (OSError, redis.RedisError):  # a Redis that has just restarted
                    time.sleep(0.2)
        finally:
            probe.close()
        raise TimeoutError(f"worker {self.name} not ready: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children): a node lost."""
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            self.proc = None

    def terminate(self) -> None:
        """SIGTERM to the main process only: Celery's warm shutdown."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout: float = 30) -> int:
        assert self.proc is not None
        code = self.proc.wait(timeout)
        self.proc = None
        return code

    def stop(self) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


def cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def wait_state(run: Any, statuses: set[str], timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st: dict[str, Any] = run.state()
        if st["status"] in statuses:
            return st
        time.sleep(0.2)
    raise TimeoutError(f"run {run.id} still {run.state()} after {timeout}s")
