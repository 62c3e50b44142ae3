"""The Celery app: Redis broker/backend from env, JSON only, late acks, prefetch 1.

Queues: ``control`` (stage launchers, chord callbacks, gate/publish), ``io`` (harvest/ingest
shards) and ``cpu`` (preprocess, annotate, split shards). Run one worker per queue type::

    celery -A workers.app worker -Q control -c 2 -n control@%h
    celery -A workers.app worker -Q io -P threads -c 8 -n io@%h
    celery -A workers.app worker -Q cpu -c 2 -n cpu@%h
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    worker_init,
    worker_process_init,
)

from pipeline.logs import setup_logging
from pipeline.sources.http import default_limiter, set_default_limiter

DEFAULT_BROKER = "redis://localhost:6379/0"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(
            f"{name} must be an integer number of seconds/times, got {raw!r}"
        ) from None
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


# Redis redelivers any message a worker holds unacked for longer than the visibility
# timeout. It must exceed the hard time limit plus the longest retry countdown, or a
# running (or retry-waiting) shard is delivered again and again.
VISIBILITY_TIMEOUT = _env_int("PIPELINE_VISIBILITY_TIMEOUT", 6 * 3600)
TASK_TIME_LIMIT = _env_int("PIPELINE_TASK_TIME_LIMIT", 5400)
MAX_RETRIES = _env_int("PIPELINE_TASK_MAX_RETRIES", 5)
RETRY_BACKOFF_MAX = min(
    _env_int("PIPELINE_RETRY_BACKOFF_MAX", 300), max(1, VISIBILITY_TIMEOUT // 4)
)
MAX_SHARD_ATTEMPTS = _env_int("PIPELINE_MAX_SHARD_ATTEMPTS", MAX_RETRIES + 3)
if TASK_TIME_LIMIT + RETRY_BACKOFF_MAX >= VISIBILITY_TIMEOUT:
    raise ValueError(
        f"PIPELINE_VISIBILITY_TIMEOUT ({VISIBILITY_TIMEOUT}s) must exceed "
        f"PIPELINE_TASK_TIME_LIMIT ({TASK_TIME_LIMIT}s) + retry backoff ({RETRY_BACKOFF_MAX}s), "
        "or Redis redelivers running tasks"
    )


def make_app() -> Celery:
    broker = os.environ.get("PIPELINE_BROKER_URL", DEFAULT_BROKER)
    backend = os.environ.get("PIPELINE_RESULT_BACKEND", broker)
    app = Celery("pipeline", broker=broker, backend=backend, include=["workers.tasks"])
    transport: dict[str, int] = {
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "socket_timeout": 30,
        "socket_connect_timeout": 10,
        "health_check_interval": 25,
    }
    if VISIBILITY_TIMEOUT < 600:  # scan for expired unacked messages often enough to matter
        transport.update(unacked_restore_interval=1, unacked_restore_throttle=1)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        event_serializer="json",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_time_limit=TASK_TIME_LIMIT,
        task_soft_time_limit=max(1, int(TASK_TIME_LIMIT * 0.95)),
        broker_transport_options=transport,
        result_backend_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        visibility_timeout=VISIBILITY_TIMEOUT,
        broker_connection_retry_on_startup=True,
        result_expires=3 * 86400,
        result_chord_expires=7 * 86400,
        result_backend_always_retry=True,
        result_backend_max_retries=10,
        result_extended=False,
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_deduplicate_successful_tasks=False,
        worker_hijack_root_logger=False,
        task_default_queue="control",
        task_create_missing_queues=True,
        task_routes={
            "pipeline.flow.*": {"queue": "control"},
            "pipeline.ingest.*": {"queue": "io"},
            "pipeline.*.shard": {"queue": "cpu"},
        },
        timezone="UTC",
        enable_utc=True,
    )
    return app


app = make_app()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _structured_logs(**_: object) -> None:
    setup_logging()


@worker_init.connect  # the worker's main process (threads and solo pools run tasks there)
@worker_process_init.connect  # every prefork pool child
def install_shared_rate_limits(**_: object) -> None:
    """Share the HTTP clients' per-host rate limits across the fleet through Redis (see
    ``workers.ratelimit``), unless ``PIPELINE_SHARED_RATE_LIMITS=0`` or the broker is not
    Redis."""
    from workers.ratelimit import SharedRateLimiter

    if os.environ.get("PIPELINE_SHARED_RATE_LIMITS", "1").strip().lower() in ("0", "false", "no"):
        return
    if isinstance(default_limiter(), SharedRateLimiter):
        return
    url = os.environ.get("PIPELINE_BROKER_URL", DEFAULT_BROKER)
    if url.startswith(("redis://", "rediss://", "unix://")):
        set_default_limiter(SharedRateLimiter.from_url(url))
