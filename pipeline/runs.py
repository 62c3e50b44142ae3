"""Runs: an id, a frozen config, fixed shard plans, markers and a state document in the store.

Store layout of one run (all keys relative to the store root)::

    runs/<run>/config.json                  frozen validated config (written once)
    runs/<run>/run.json                     created_at, code version, config digest (once)
    runs/<run>/state.json                   status, current stage, reason (mutable)
    runs/<run>/cancel.json                  present while the run is cancelled
    runs/<run>/generations/<g>.json         one per start/resume (claimed with put_if_absent)
    runs/<run>/launch/<g>/<stage>.json      claim: stage launched in generation g (once)
    runs/<run>/<stage>/plan.json            the stage's shard plan (written once)
    runs/<run>/<stage>/out/<shard>...       shard outputs
    runs/<run>/<stage>/markers/<shard>.json shard-completion marker (written last)
    runs/<run>/<stage>/errors/<shard>.jsonl errored records with reasons
    runs/<run>/<stage>/attempts/<shard>/<g>-<uuid>.json  one per real execution of a shard
    runs/<run>/<stage>/done.json            stage summary (accounting) once every marker exists
    runs/<run>/failures/<stage>/<shard>.json dead letter of a shard that failed for good
    runs/<run>/gate.json, gate.txt          release-gate report
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline import __version__
from pipeline.config import Config, from_dict
from pipeline.store import Store, dumps

RUN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
TERMINAL = frozenset({"succeeded", "failed", "blocked", "cancelled"})
STATUSES = frozenset({"pending", "running"}) | TERMINAL


class RunError(RuntimeError):
    """A run-level problem shown to the user as is."""


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def check_run_id(run_id: str) -> str:
    if not RUN_ID_RE.match(run_id):
        raise RunError(f"invalid run id {run_id!r}: use 1-64 of a-z 0-9 . _ - (alphanumeric first)")
    return run_id


@dataclass(frozen=True)
class Shard:
    """One unit of work of a stage: a stable id and a JSON-able spec of its input."""

    id: str
    spec: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "spec": self.spec}


# Plans and configs are immutable once written, so a worker may keep them: a 2,000-shard
# plan is then parsed once per process instead of once per shard task.
_IMMUTABLE_CACHE: dict[tuple[str, str], Any] = {}
_CACHE_MAX = 64


def _cache_put(key: tuple[str, str], value: Any) -> Any:
    if len(_IMMUTABLE_CACHE) >= _CACHE_MAX:
        _IMMUTABLE_CACHE.pop(next(iter(_IMMUTABLE_CACHE)))
    _IMMUTABLE_CACHE[key] = value
    return value


class Run:
    """Handle on one run in a store. Cheap to create; every worker builds its own."""

    def __init__(self, store: Store, run_id: str) -> None:
        self.store = store
        self.id = check_run_id(run_id)
        self.prefix = f"runs/{run_id}"

    # -- keys -------------------------------------------------------------------------------
    def key(self, *parts: str) -> str:
        return "/".join((self.prefix, *parts))

    def marker_key(self, stage: str, shard: str) -> str:
        return self.key(stage, "markers", f"{shard}.json")

    # -- creation -----------------------------------------------------------------------------
    @classmethod
    def create(cls, store: Store, config: Config, run_id: str | None = None) -> Run:
        """Freeze ``config`` under a new (or given) run id; idempotent for the same config."""
        run = cls(store, run_id or new_run_id())
        cfg = config.to_dict()
        if not store.put_json_if_absent(run.key("config.json"), cfg):
            existing = store.get_json(run.key("config.json"))
            if existing != cfg:
                raise RunError(
                    f"run {run.id} already exists with a different config; "
                    "choose another --run-id or resume it"
                )
        store.put_json_if_absent(
            run.key("run.json"),
            {
                "run_id": run.id,
                "created_at": utcnow(),
                "code_version": __version__,
                "config_digest": config.digest(),
            },
        )
        if not store.exists(run.key("state.json")):
            run.set_state("pending")
        return run

    def exists(self) -> bool:
        return self.store.exists(self.key("config.json"))

    @cached_property
    def config(self) -> Config:
        ck = (self.store.url, self.key("config.json"))
        if ck in _IMMUTABLE_CACHE:
            cfg: Config = _IMMUTABLE_CACHE[ck]
            return cfg
        try:
            raw = self.store.get_json(self.key("config.json"))
        except KeyError:
            raise RunError(f"run {self.id} not found in {self.store.url}") from None
        return _cache_put(ck, from_dict(raw))  # type: ignore[no-any-return]

    # -- state ----------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        st = self.store.get_json_or_none(self.key("state.json"))
        if st is None:
            raise RunError(f"run {self.id} not found in {self.store.url}")
        return dict(st)

    def set_state(self, status: str, **fields: Any) -> None:
        assert status in STATUSES, status
        doc: dict[str, Any] = {"run_id": self.id, "status": status, "updated_at": utcnow()}
        if "generation" not in fields:  # keep which start/resume this state belongs to
            prev = self.store.get_json_or_none(self.key("state.json")) or {}
            if "generation" in prev:
                doc["generation"] = prev["generation"]
        doc.update({k: v for k, v in fields.items() if v is not None})
        self.store.put(self.key("state.json"), dumps(doc))

    # -- cancel ---------------------------------------------------------------------------------
    def cancel(self, reason: str = "cancelled by user") -> None:
        self.store.put_json(self.key("cancel.json"), {"reason": reason, "at": utcnow()})

    def cancelled(self) -> bool:
        return self.store.exists(self.key("cancel.json"))

    def clear_cancel(self) -> None:
        self.store.delete(self.key("cancel.json"))

    # -- generations and launch claims ------------------------------------------------------------
    def claim_generation(self) -> int:
        """Claim the next generation number (first start = 1, each resume +1).

        Raises :class:`RunError` if another start/resume claimed the same number at once.
        """
        gen = self.current_generation() + 1
        if not self.store.put_json_if_absent(
            self.key("generations", f"{gen}.json"), {"generation": gen, "at": utcnow()}
        ):
            raise RunError(f"run {self.id} is being started or resumed by someone else right now")
        return gen

    def claim_launch(self, generation: int, stage: str) -> bool:
        """True for exactly one caller per (generation, stage): guards against a redelivered
        chord callback starting the next stage twice."""
        return self.store.put_json_if_absent(
            self.key("launch", str(generation), f"{stage}.json"), {"at": utcnow()}
        )

    # -- plans and markers ------------------------------------------------------------------------
    def plan(self, stage: str) -> list[Shard] | None:
        ck = (self.store.url, self.key(stage, "plan.json"))
        if ck in _IMMUTABLE_CACHE:
            return list(_IMMUTABLE_CACHE[ck])
        raw = self.store.get_json_or_none(self.key(stage, "plan.json"))
        if raw is None:
            return None
        shards = [Shard(s["id"], s["spec"]) for s in raw["shards"]]
        _cache_put(ck, tuple(shards))
        return shards

    def fix_plan(self, stage: str, shards: list[Shard]) -> list[Shard]:
        """Write the plan once; if another writer got there first, theirs is the plan."""
        ids = [s.id for s in shards]
        if len(set(ids)) != len(ids):
            raise RunError(f"stage {stage}: duplicate shard ids in plan")
        doc = {"stage": stage, "shards": [s.to_dict() for s in shards]}
        self.store.put_json_if_absent(self.key(stage, "plan.json"), doc)
        fixed = self.plan(stage)
        assert fixed is not None
        return fixed

    def marker(self, stage: str, shard: str) -> dict[str, Any] | None:
        m = self.store.get_json_or_none(self.marker_key(stage, shard))
        return dict(m) if m is not None else None

    def markers_done(self, stage: str) -> set[str]:
        """Shard ids of ``stage`` that have a completion marker (one LIST, not a HEAD each)."""
        out = set()
        for k in self.store.list_keys(self.key(stage, "markers")):
            name = k.rsplit("/", 1)[1]
            if name.endswith(".json"):
                out.add(name[: -len(".json")])
        return out

    def stage_done(self, stage: str) -> dict[str, Any] | None:
        d = self.store.get_json_or_none(self.key(stage, "done.json"))
        return dict(d) if d is not None else None

    def failures(self) -> list[dict[str, Any]]:
        return [dict(self.store.get_json(k)) for k in self.store.list_keys(self.key("failures"))]

    def attempts(self, stage: str, shard: str | None = None, generation: int | None = None) -> int:
        """How many times shard work of ``stage`` really executed (skips not counted),
        optionally for one shard and one generation."""
        prefix = self.key(stage, "attempts", shard) if shard else self.key(stage, "attempts")
        keys = self.store.list_keys(prefix)
        if generation is None:
            return sum(1 for _ in keys)
        return sum(1 for k in keys if k.rsplit("/", 1)[1].startswith(f"{generation}-"))

    def current_generation(self) -> int:
        """The newest start/resume of this run (0 if never started)."""
        gens = [
            int(k.rsplit("/", 1)[1].split(".")[0])
            for k in self.store.list_keys(self.key("generations"))
            if k.endswith(".json")
        ]
        return max(gens, default=0)


def list_runs(store: Store) -> list[dict[str, Any]]:
    """Every run in the store with its state, newest first."""
    out = []
    for rid in store.children("runs"):
        run = Run(store, rid)
        meta = store.get_json_or_none(run.key("run.json"))
        if meta is None:
            continue
        st = store.get_json_or_none(run.key("state.json")) or {}
        out.append({**meta, **st, "run_id": rid})
    out.sort(key=lambda r: str(r.get("created_at", "")), reverse=True)
    return out
