from __future__ import annotations

import io
import json
import logging

from pipeline.logs import log_context, make_handler, redact


def test_json_lines_carry_run_stage_shard_task() -> None:
    buf = io.StringIO()
    logger = logging.getLogger("test.logs")
    logger.propagate = False
    handler = make_handler("json", buf)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with log_context(run_id="r1", stage="ingest"), log_context(shard="s-1", task_id="t-9"):
            logger.info("hello %s", "world")
        logger.info("outside")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(x) for x in buf.getvalue().splitlines())
    assert first["msg"] == "hello world"
    assert (first["run_id"], first["stage"], first["shard"], first["task_id"]) == (
        "r1", "ingest", "s-1", "t-9",
    )  # fmt: skip
    assert second["run_id"] is None


def test_secrets_never_reach_a_log_line() -> None:
    line = redact(
        "connecting redis://user:hunter2@host:6379/0 with aws_secret_access_key=AbC/123+xyz "
        'and {"password": "p4ss"}'
    )
    for secret in ("hunter2", "AbC/123+xyz", "p4ss"):
        assert secret not in line
    assert "redis://user:***@host" in line
