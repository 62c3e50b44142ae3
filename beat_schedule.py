"""Celery beat schedule for periodic harvests, read from a TOML file.

``PIPELINE_SCHEDULE`` names the file (default ``schedule.toml`` in the working directory;
no file means no periodic runs)::

    [[harvest]]
    name = "local-corpus"              # run ids become <name>-<YYYYmmdd-HHMM>
    config = "configs/corpus.toml"     # a run config (relative to the schedule file)
    cron = "0 */6 * * *"               # minute hour day-of-month month day-of-week (UTC)

Start beat with ``celery -A beat_schedule beat -s /var/lib/pipeline/celerybeat-schedule``
(this module, so the schedule is loaded; one instance: a duplicate message in the same minute
is a no-op, and a slot is skipped while the schedule's previous run is still going, see
README).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from celery.schedules import crontab

from workers.app import app


def load_schedule(path: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any]]:
    """Beat entries from the schedule file; raises ValueError naming the bad entry."""
    p = Path(path or os.environ.get("PIPELINE_SCHEDULE", "schedule.toml"))
    if not p.is_file():
        return {}
    raw = tomllib.loads(p.read_text())
    entries: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(raw.get("harvest", [])):
        missing = {"name", "config", "cron"} - set(item)
        if missing:
            raise ValueError(f"{p}: [[harvest]] #{i + 1} lacks {', '.join(sorted(missing))}")
        fields = str(item["cron"]).split()
        if len(fields) != 5:
            raise ValueError(f"{p}: harvest {item['name']!r}: cron needs 5 fields")
        minute, hour, dom, month, dow = fields
        cfg = Path(item["config"])
        cfg = cfg if cfg.is_absolute() else (p.parent / cfg).resolve()
        entries[f"harvest-{item['name']}"] = {
            "task": "pipeline.flow.scheduled_run",
            "schedule": crontab(
                minute=minute, hour=hour, day_of_month=dom, month_of_year=month, day_of_week=dow
            ),
            "args": (str(item["name"]), str(cfg)),
            "options": {"queue": "control", "expires": 3600},
        }
    return entries


app.conf.beat_schedule = load_schedule()
