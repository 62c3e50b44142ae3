"""Structured logging: one JSON object per line carrying run_id, stage, shard and task_id.

The context lives in :mod:`contextvars`, so worker threads and tasks each see their own.
``PIPELINE_LOG_FORMAT=json|text`` chooses the format (default: text on a terminal, JSON
otherwise); ``PIPELINE_LOG_LEVEL`` the level.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

CONTEXT_FIELDS = ("run_id", "stage", "shard", "task_id", "correlation_id")
_ctx: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("pipeline_log_ctx")

# Values that must never reach a log line, whatever a message interpolates.
_SECRET_RE = re.compile(
    r"(?i)(aws_secret_access_key|secret|password|passwd|token|api[_-]?key)"
    r"(\s*[=:]\s*|\"\s*:\s*\")([^\s\"',}]+)"
)
_URL_CRED_RE = re.compile(r"(\w+://[^:/@\s]*:)([^@/\s]+)(@)")


def redact(text: str) -> str:
    """Mask credentials in ``text`` (key=value secrets and user:password@ in URLs)."""
    text = _URL_CRED_RE.sub(r"\1***\3", text)
    return _SECRET_RE.sub(lambda m: m.group(1) + m.group(2) + "***", text)


def current_context() -> dict[str, str]:
    return dict(_ctx.get({}))


@contextlib.contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Add fields (run_id, stage, shard, task_id, ...) to every log line inside the block."""
    new = {**_ctx.get({}), **{k: str(v) for k, v in fields.items() if v is not None}}
    token = _ctx.set(new)
    try:
        yield
    finally:
        _ctx.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for k, v in _ctx.get({}).items():
            if not hasattr(record, k):
                setattr(record, k, v)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for k in CONTEXT_FIELDS:
            doc[k] = getattr(record, k, None)
        for k, v in record.__dict__.items():
            if k.startswith("x_"):
                doc[k[2:]] = v
        if record.exc_info:
            doc["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(doc, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ctx = " ".join(
            f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS if getattr(record, k, None)
        )
        line = f"{record.levelname.lower():7s} {record.name}: {redact(record.getMessage())}"
        if ctx:
            line += f"  [{ctx}]"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line


def make_handler(fmt: str | None = None, stream: Any = None) -> logging.Handler:
    stream = stream or sys.stderr
    fmt = fmt or os.environ.get("PIPELINE_LOG_FORMAT") or ("text" if stream.isatty() else "json")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    return handler


def setup_logging(fmt: str | None = None, level: str | None = None) -> None:
    """Install the structured handler on the root logger (idempotent)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_pipeline", False):
            root.removeHandler(h)
    handler = make_handler(fmt)
    handler._pipeline = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("PIPELINE_LOG_LEVEL", "INFO"))
    for noisy in ("botocore", "boto3", "urllib3", "s3transfer"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
