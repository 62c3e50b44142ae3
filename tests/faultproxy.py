"""A small fault-injecting HTTP proxy on loopback, between boto3 and the S3 server.

Rules match a method and a regex on the path; actions are S3-style error responses
(503 SlowDown, 500 InternalError, 403 AccessDenied), a TCP reset, a stall longer than the
client's read timeout, or a hold until the test releases it.
"""

from __future__ import annotations

import http.client
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ERRORS = {
    "503": (503, "SlowDown", "Please reduce your request rate."),
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
    "403": (403, "AccessDenied", "Access Denied"),
}
HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te"}


@dataclass
class Rule:
    method: str | None
    pattern: re.Pattern[str]
    action: str
    times: int | None = None  # None = forever
    every: int = 1  # inject on every n-th matching request
    seen: int = 0
    fired: int = 0


@dataclass
class FaultProxy:
    upstream: str
    rules: list[Rule] = field(default_factory=list)
    stall_seconds: float = 5.0
    injected: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    held_paths: list[str] = field(default_factory=list)
    drop_held: bool = False  # on release: True = never forward (the request is lost)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        up = urlsplit(self.upstream)
        self._up = (up.hostname or "127.0.0.1", up.port or 80)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                proxy._serve(self)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def add(self, action: str, pattern: str = ".*", method: str | None = None,
            times: int | None = None, every: int = 1) -> Rule:  # fmt: skip
        rule = Rule(method, re.compile(pattern), action, times, every)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
        self.release.set()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _pick(self, method: str, path: str) -> str | None:
        with self._lock:
            self.requests += 1
            for r in self.rules:
                if (r.method is None or r.method == method) and r.pattern.search(path):
                    if r.times is not None and r.fired >= r.times:
                        continue
                    r.seen += 1
                    if r.seen % r.every:
                        continue
                    r.fired += 1
                    self.injected[r.action] = self.injected.get(r.action, 0) + 1
                    return r.action
        return None

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        action = self._pick(h.command, h.path)
        if action in ERRORS:
            status, code, msg = ERRORS[action]
            xml = (
                f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                f"<Message>{msg}</Message><RequestId>fault</RequestId></Error>"
            ).encode()
            h.send_response(status)
            h.send_header("Content-Type", "application/xml")
            h.send_header("Content-Length", str(len(xml)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(xml)
            return
        if action == "reset":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
            h.connection.close()
            return
        if action == "timeout":
            time.sleep(self.stall_seconds)
            h.close_connection = True
            return
        if action == "hold":
            self.held_paths.append(h.path)
            self.held.set()
            if not self.release.wait(120) or self.drop_held:
                h.close_connection = True
                return
        conn = http.client.HTTPConnection(*self._up, timeout=60)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP}
        conn.request(h.command, h.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            h.send_response(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in HOP and k.lower() != "content-length":
                    h.send_header(k, v)
            # a HEAD answer has no body but keeps the object's Content-Length
            length = resp.getheader("Content-Length", "0") if h.command == "HEAD" else len(data)
            h.send_header("Content-Length", str(length))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)
        except OSError:  # the client went away (e.g. its worker was killed)
            h.close_connection = True
        finally:
            conn.close()
