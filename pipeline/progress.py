"""Live progress of a run, read from the store: shards done/total, records, rate and ETA.

Each marker is read once (new ones only), so following a 2,000-shard stage on S3 costs one
LIST per tick plus one GET per newly finished shard.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from pipeline.runs import TERMINAL, Run
from pipeline.stages import STAGE_ORDER


@dataclass
class StageProgress:
    stage: str
    total: int | None = None
    done: int = 0
    records_in: int = 0
    records_out: int = 0
    complete: bool = False
    first_seen: float | None = None
    _seen: set[str] = field(default_factory=set)

    def rate(self, now: float) -> float | None:
        if self.first_seen is None or self.done == 0 or now <= self.first_seen:
            return None
        return self.done / (now - self.first_seen)

    def eta(self, now: float) -> float | None:
        r = self.rate(now)
        if r is None or self.total is None or r <= 0:
            return None
        return (self.total - self.done) / r


class ProgressTracker:
    """Polls a run and renders progress bars (terminal) or plain lines (logs, CI)."""

    def __init__(self, run: Run, out: TextIO | None = None, tty: bool | None = None) -> None:
        self.run = run
        self.out = out or sys.stderr
        self.tty = self.out.isatty() if tty is None else tty
        self.stages = {s: StageProgress(s) for s in STAGE_ORDER}
        self._last_line = ""
        self._last_print = 0.0

    def poll(self) -> dict[str, Any]:
        now = time.monotonic()
        for sp in self.stages.values():
            if sp.complete:
                continue
            plan = self.run.plan(sp.stage)
            if plan is None:
                break
            sp.total = len(plan)
            if sp.first_seen is None:
                sp.first_seen = now
            done = self.run.stage_done(sp.stage)
            if done is not None:
                sp.complete, sp.done = True, sp.total
                sp.records_in, sp.records_out = done["counts"]["in"], done["counts"]["kept"]
                continue
            for shard in self.run.markers_done(sp.stage) - sp._seen:
                marker = self.run.marker(sp.stage, shard)
                if marker is None:
                    continue
                sp._seen.add(shard)
                sp.records_in += marker["counts"]["in"]
                sp.records_out += marker["counts"]["kept"]
            sp.done = len(sp._seen)
            break  # later stages have not started
        return self.run.state()

    def render(self, state: dict[str, Any]) -> None:
        now = time.monotonic()
        active = next(
            (sp for sp in self.stages.values() if sp.total is not None and not sp.complete), None
        )
        parts = []
        for sp in self.stages.values():
            if sp.total is None:
                continue
            if sp.complete:
                parts.append(f"{sp.stage} done ({sp.records_out:,} records)")
        line = f"{state['status']}: " + ", ".join(parts)
        if active is not None:
            pct = active.done / active.total if active.total else 1.0
            rate, eta = active.rate(now), active.eta(now)
            detail = f"{active.stage} {active.done}/{active.total} shards"
            detail += f", {active.records_in:,} in / {active.records_out:,} out"
            if rate:
                detail += f", {rate:.1f} shards/s"
            if eta is not None:
                detail += f", ETA {_fmt_secs(eta)}"
            if self.tty:
                bar = "#" * int(pct * 24)
                detail = f"[{bar:<24}] {detail}"
            line = (line + "; " if parts else f"{state['status']}: ") + detail
        if self.tty:
            self.out.write("\r\x1b[2K" + line[:200])
            self.out.flush()
        elif line != self._last_line and (now - self._last_print > 5 or not self._last_line):
            self.out.write(line + "\n")
            self.out.flush()
            self._last_print = now
        self._last_line = line

    def follow(self, timeout: float | None = None, interval: float = 0.5) -> dict[str, Any]:
        """Poll and render until the run is terminal; return the final state."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            state = self.poll()
            self.render(state)
            if state["status"] in TERMINAL:
                if self.tty:
                    self.out.write("\n")
                elif self._last_line:
                    self.out.write(self._last_line + "\n")
                return state
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"run {self.run.id} still {state['status']} after {timeout}s")
            time.sleep(interval)


def _fmt_secs(s: float) -> str:
    s = int(s)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"
