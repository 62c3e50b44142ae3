"""The test run is offline: non-loopback connections fail in the pytest process and in the
subprocesses the tests start, before any packet is sent."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
import requests

from tests.netguard import installed
from tests.procs import ROOT, fleet_env

# TEST-NET-1 (RFC 5737): documentation addresses; the guard refuses before connecting anyway
ADDRESS = "192.0.2.1"


def test_pytest_process_refuses_non_loopback_connections() -> None:
    assert installed()
    with pytest.raises(ConnectionRefusedError, match="tests are offline"):
        socket.create_connection((ADDRESS, 80), timeout=1)
    with pytest.raises(requests.ConnectionError, match="tests are offline"):
        requests.get(f"http://{ADDRESS}/", timeout=1)


def test_worker_subprocesses_refuse_non_loopback_connections() -> None:
    code = (
        "import socket\n"
        "from tests.netguard import installed\n"
        "assert installed(), 'guard not installed'\n"  # never connect without the guard
        f"socket.create_connection(({ADDRESS!r}, 80), timeout=1)\n"
    )
    env = fleet_env("redis://127.0.0.1:1/0", str(ROOT / "unused-store"))
    res = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert res.returncode != 0
    assert "tests are offline: connection to 192.0.2.1 blocked" in res.stderr
