"""Shared fixtures: a real redis-server, a real S3-compatible server (moto), a real Celery
worker, and a network guard that refuses anything but loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Fake credentials for the loopback S3 server; never real ones in tests.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing-key-id")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing-secret")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.pop("AWS_PROFILE", None)
import logging

logging.getLogger("werkzeug").setLevel(logging.WARNING)
os.environ["PIPELINE_LOG_LEVEL"] = os.environ.get("PIPELINE_LOG_LEVEL", "WARNING")
# Celery worker threads started by tests would otherwise swap this process's HTTP rate limiter
# for the Redis-backed one (tests/test_ratelimit.py covers that on purpose).
os.environ.setdefault("PIPELINE_SHARED_RATE_LIMITS", "0")

from tests.netguard import install as _install_netguard  # noqa: E402

_install_netguard()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RedisServer:
    """A private redis-server on a free loopback port (no persistence)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    srv = RedisServer(tmp_path_factory.mktemp("redis"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_store_spec(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh bucket on the loopback S3 server, exported as PIPELINE_STORE."""
    import boto3

    bucket = f"test-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    spec = f"s3://{bucket}/pipeline"
    monkeypatch.setenv("PIPELINE_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("PIPELINE_STORE", spec)
    return spec


@pytest.fixture(scope="session")
def celery_fleet(redis_server: RedisServer) -> Iterator[Any]:
    """A real Celery worker (thread pool, 2 threads) on the private Redis, consuming
    every queue."""
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping)
    from celery.contrib.testing.worker import start_worker

    from workers.app import app

    app.conf.update(broker_url=redis_server.url, result_backend=redis_server.url)
    with start_worker(
        app, pool="threads", concurrency=2, queues=["control", "io", "cpu"],
        perform_ping_check=True, shutdown_timeout=20, loglevel="WARNING",
    ) as worker:  # fmt: skip
        yield worker


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(autouse=True)
def accounting_invariant(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every run any test creates is checked at teardown: for each finished stage,
    records in = kept + filtered + errored, and each stage reads what the previous kept."""
    from pipeline.runs import Run

    created: list[Run] = []
    original = Run.create.__func__  # type: ignore[attr-defined]

    def create(cls: type[Run], *args: Any, **kwargs: Any) -> Run:
        run: Run = original(cls, *args, **kwargs)
        created.append(run)
        return run

    monkeypatch.setattr(Run, "create", classmethod(create))
    yield
    from tests.helpers import check_run_accounting

    for run in created:
        check_run_accounting(run)


# Property tests explore new inputs on every developer run; CI replays a fixed sequence so a
# submission's result does not depend on luck (found cases are pinned with @example).
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    _hyp_settings.load_profile("ci")
