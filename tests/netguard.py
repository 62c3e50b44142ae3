"""Tests are offline: any socket connection to a non-loopback address raises before a packet
is sent. Installed in the pytest process (``conftest``) and, through
``tests/offline/sitecustomize.py`` on ``PYTHONPATH``, in every worker and CLI subprocess the
tests start (``tests.procs.fleet_env``)."""

from __future__ import annotations

import socket
from typing import Any

LOOPBACK = ("127.", "::1", "localhost", "0:0:0:0:0:0:0:1")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def check(addr: Any, family: int) -> None:
    if family in (socket.AF_INET, socket.AF_INET6):
        host = str(addr[0])
        if not host.startswith(LOOPBACK):
            raise ConnectionRefusedError(f"tests are offline: connection to {host} blocked")


def _guarded_connect(self: socket.socket, addr: Any) -> None:
    check(addr, self.family)
    _real_connect(self, addr)


def _guarded_connect_ex(self: socket.socket, addr: Any) -> int:
    check(addr, self.family)
    return _real_connect_ex(self, addr)


def install() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


def installed() -> bool:
    return socket.socket.connect is _guarded_connect
