"""Per-shard accounting: every input record ends kept, filtered (reason) or errored (reason)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

MAX_DETAIL = 500


class AccountingError(AssertionError):
    """records in != kept + filtered + errored: a bug, never silently published."""


class Ledger:
    """Counts what happened to each record of one shard and keeps the errored ones' reasons."""

    def __init__(self) -> None:
        self.records_in = 0
        self.kept = 0
        self.filtered: Counter[str] = Counter()
        self.errored: Counter[str] = Counter()
        self.error_lines: list[str] = []
        self.extra: Counter[str] = Counter()

    def seen(self, n: int = 1) -> None:
        self.records_in += n

    def keep(self, n: int = 1) -> None:
        self.kept += n

    def filter(self, reason: str) -> None:
        self.filtered[reason] += 1

    def error(self, reason: str, detail: str, ref: Mapping[str, Any] | None = None) -> None:
        """Count an errored record and keep a line for the run's error report."""
        self.errored[reason] += 1
        entry = {"reason": reason, "detail": detail[:MAX_DETAIL], **(ref or {})}
        self.error_lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True))

    def counts(self) -> dict[str, Any]:
        return {
            "in": self.records_in,
            "kept": self.kept,
            "filtered": dict(sorted(self.filtered.items())),
            "errored": dict(sorted(self.errored.items())),
            **({"extra": dict(sorted(self.extra.items()))} if self.extra else {}),
        }

    def check(self) -> None:
        check_counts(self.counts())


def check_counts(c: Mapping[str, Any], where: str = "shard") -> None:
    total = c["kept"] + sum(c["filtered"].values()) + sum(c["errored"].values())
    if c["in"] != total:
        raise AccountingError(
            f"{where}: records in ({c['in']}) != kept ({c['kept']}) + filtered "
            f"({sum(c['filtered'].values())}) + errored ({sum(c['errored'].values())})"
        )


def merge_counts(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Add up shard counts into a stage total."""
    total: dict[str, Any] = {"in": 0, "kept": 0, "filtered": Counter(), "errored": Counter()}
    extra: Counter[str] = Counter()
    for c in items:
        total["in"] += c["in"]
        total["kept"] += c["kept"]
        total["filtered"].update(c["filtered"])
        total["errored"].update(c["errored"])
        extra.update(c.get("extra", {}))
    out = {
        "in": total["in"],
        "kept": total["kept"],
        "filtered": dict(sorted(total["filtered"].items())),
        "errored": dict(sorted(total["errored"].items())),
    }
    if extra:
        out["extra"] = dict(sorted(extra.items()))
    return out
