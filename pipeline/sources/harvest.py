"""What harvesting sources share: retry classes, a store-backed circuit breaker, the raw
cache and the per-source listing state.

Store keys (at the store root, shared by every run)::

    raw/<type>/<item>...                   raw payloads, written once before any processing
    state/sources/<name>/seen.json         items a source has listed, with first-seen time
    state/sources/<name>/blocked.json      present while the provider blocks us (breaker)

Failure classes a source kind raises from ``process`` (never for one bad item):

- :class:`SourceBlocked` - the provider blocks us (HTTP 429, bot check). The breaker in
  the store pauses every shard of the source until ``retry_after`` seconds have passed;
  the fleet retries the shard after that countdown (``workers/tasks.py``), ``--local``
  runs fail with the message and ``pipeline resume`` continues later.
- :class:`SourceUnavailable` - network errors / 5xx still failing after the kind's own
  bounded retries: the fleet retries the shard with its usual exponential backoff.

Both subclass :class:`ConnectionError`, so any task that does not handle them specially
(e.g. a stage launcher planning a feed listing) still retries them as transient.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from pipeline.store import Store, dumps

log = logging.getLogger("pipeline.sources")


class SourceBlocked(ConnectionError):
    """The provider is blocking us: retry the shard after ``retry_after`` seconds."""

    def __init__(self, source: str, retry_after: float, reason: str) -> None:
        self.source = source
        self.retry_after = max(1.0, float(retry_after))
        self.reason = reason
        super().__init__(
            f"source {source!r} is blocked by its provider ({reason}); harvest paused, "
            f"retry in {self.retry_after:.0f}s"
        )


class SourceUnavailable(ConnectionError):
    """Network errors or 5xx responses persisted through the kind's own retries."""


def utc_iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(int(ts), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_key(source: str, name: str) -> str:
    return f"state/sources/{source}/{name}"


class Breaker:
    """A circuit breaker shared by every worker through ``state/sources/<name>/blocked.json``.

    ``trip`` opens it for ``base * 2**(strikes-1)`` seconds (capped at ``cap``), where
    ``strikes`` counts blocks since the last success; ``check`` raises while it is open;
    ``success`` closes it for good (strikes back to zero).
    """

    def __init__(
        self,
        store: Store,
        source: str,
        base: float,
        cap: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.source = source
        self.key = state_key(source, "blocked.json")
        self.base = base
        self.cap = cap
        self.clock = clock
        self._open_seen = False

    def check(self) -> None:
        doc = self.store.get_json_or_none(self.key)
        if doc is None:
            self._open_seen = False
            return
        self._open_seen = True
        left = float(doc["until"]) - self.clock()
        if left > 0:
            raise SourceBlocked(self.source, left, str(doc.get("reason", "blocked")))

    def trip(self, reason: str) -> SourceBlocked:
        prev = self.store.get_json_or_none(self.key) or {}
        strikes = int(prev.get("strikes", 0)) + 1
        pause = min(self.cap, self.base * 2 ** (strikes - 1))
        now = self.clock()
        doc = {
            "source": self.source,
            "reason": reason,
            "strikes": strikes,
            "since": utc_iso(now),
            "until": now + pause,
            "until_utc": utc_iso(now + pause),
        }
        self.store.put_json(self.key, doc)
        self._open_seen = True
        log.warning(
            "source %s blocked (%s): pausing its harvest for %.0fs (strike %d)",
            self.source,
            reason,
            pause,
            strikes,
        )
        return SourceBlocked(self.source, pause, reason)

    def success(self) -> None:
        if self._open_seen:
            self.store.delete(self.key)
            self._open_seen = False


def merge_seen(
    store: Store, source: str, items: Mapping[str, Mapping[str, Any]], now: float
) -> dict[str, dict[str, Any]]:
    """Add ``items`` (item id -> facts) to the source's listing state and return all items.

    The first-seen time of an item never changes; its ``via`` list (which listings showed
    it) grows. A read-merge-write: two runs planning the same source at the same second may
    drop one's additions, which the next listing restores.
    """
    key = state_key(source, "seen.json")
    doc = store.get_json_or_none(key) or {"items": {}}
    seen: dict[str, dict[str, Any]] = doc["items"]
    changed = False
    for item_id, facts in items.items():
        cur = seen.get(item_id)
        if cur is None:
            seen[item_id] = {"first_seen": utc_iso(now), **facts}
            changed = True
            continue
        via = sorted(set(cur.get("via", [])) | set(facts.get("via", [])))
        if via != cur.get("via", []):
            cur["via"] = via
            changed = True
    if changed:
        store.put_json(key, {"source": source, "updated_at": utc_iso(now), "items": seen})
    return seen


def put_raw(store: Store, key: str, doc: Any) -> bytes:
    """Persist a raw JSON payload once; return the stored bytes (a concurrent writer's if it
    won the race), so the sha256 in provenance is always that of what the store holds."""
    data = dumps(doc)
    if store.put_if_absent(key, data):
        return data
    return store.get(key)
