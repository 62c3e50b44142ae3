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
from celery.signals import after_setup_logger, after_setup_task_logger

from pipeline.logs import setup_logging

DEFAULT_BROKER = "redis://localhost:6379/0"
# Longer than any shard may run (task_time_limit) plus the largest retry countdown, so
# kombu never redelivers a task that is still running or waiting for its retry.
VISIBILITY_TIMEOUT = 6 * 3600


def make_app() -> Celery:
    broker = os.environ.get("PIPELINE_BROKER_URL", DEFAULT_BROKER)
    backend = os.environ.get("PIPELINE_RESULT_BACKEND", broker)
    app = Celery("pipeline", broker=broker, backend=backend, include=["workers.tasks"])
    transport = {
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "socket_timeout": 30,
        "socket_connect_timeout": 10,
        "health_check_interval": 25,
    }
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
        task_time_limit=5400,
        task_soft_time_limit=5100,
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
