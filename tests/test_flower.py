"""Flower starts only behind basic auth (or on loopback when explicitly local-only)."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.conftest import RedisServer, free_port
from tests.procs import ROOT


def _env(redis_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLOWER_", "PIPELINE_"))}
    env.update(PIPELINE_BROKER_URL=redis_url, PYTHONPATH=str(ROOT), **extra)
    return env


def _get(url: str, auth: str | None = None) -> int:
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_flower_refuses_to_start_without_auth(redis_server: RedisServer) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workers.cli", "flower"],
        env=_env(redis_server.url), cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "FLOWER_BASIC_AUTH" in proc.stderr


def test_flower_serves_only_authenticated_requests(redis_server: RedisServer) -> None:
    port = free_port()
    env = _env(redis_server.url, FLOWER_BASIC_AUTH="ops:s3cret-pass")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "flower", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status = _get(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("flower did not start")
        assert status == 401
        assert _get(base + "/", "ops:wrong") == 401
        assert _get(base + "/", "ops:s3cret-pass") == 200
        assert _get(base + "/api/workers", "ops:s3cret-pass") == 200
        # the password is not on the command line (visible to every user in `ps`)
        with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
            assert b"s3cret-pass" not in f.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
