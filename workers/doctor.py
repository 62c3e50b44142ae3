"""`pipeline doctor`: check the broker, result backend, store and workers; say what to fix."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pipeline.store import Store

QUEUES = ("control", "io", "cpu")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_store(store: Store) -> Check:
    key = f"_doctor/probe-{uuid.uuid4().hex}.txt"
    try:
        store.put(key, b"probe")
        if store.get(key) != b"probe":
            return Check("store", False, f"{store.url}: read back different bytes")
        store.delete(key)
        if store.exists(key):
            return Check("store", False, f"{store.url}: delete did not remove the probe")
    except Exception as exc:
        return Check(
            "store",
            False,
            f"{store.url}: {exc}",
            "check PIPELINE_STORE, the endpoint and credentials",
        )
    return Check("store", True, f"{store.url}: write, read and delete work")


def check_fleet(app: Any, timeout: float = 2.0) -> list[Check]:
    checks: list[Check] = []
    broker = app.conf.broker_url
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        checks.append(Check("broker", True, _safe_url(broker)))
    except Exception as exc:
        fix = "start Redis or set PIPELINE_BROKER_URL (see README: Running on a fleet)"
        return [Check("broker", False, f"{_safe_url(broker)}: {exc}", fix)]
    try:
        app.backend.client.ping()
        checks.append(Check("result backend", True, _safe_url(app.conf.result_backend)))
    except Exception as exc:
        fix = "check PIPELINE_RESULT_BACKEND"
        checks.append(Check("result backend", False, f"{exc}", fix))
    replies = app.control.inspect(timeout=timeout).active_queues() or {}
    consumers: dict[str, list[str]] = {q: [] for q in QUEUES}
    for worker, queues in replies.items():
        for q in queues:
            consumers.setdefault(q["name"], []).append(worker)
    if not replies:
        checks.append(Check("workers", False, "no worker answered", "start workers (Procfile)"))
    for q in QUEUES:
        names = consumers.get(q, [])
        fix = f"start a worker with -Q {q} (see Procfile)"
        detail = f"consumed by {', '.join(sorted(names))}" if names else "no consumer"
        checks.append(Check(f"queue {q}", bool(names), detail, "" if names else fix))
    return checks


def _safe_url(url: str) -> str:
    from pipeline.logs import redact

    return redact(str(url))
