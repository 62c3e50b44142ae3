"""Fleet-wide per-host rate limits: the HTTP clients' limiter, with its slots kept in Redis.

``pipeline.sources.http.RateLimiter`` spaces the request starts of one process. Workers
share one budget per API host instead: every worker process installs a
:class:`SharedRateLimiter` at start (``workers.app``), whose slot reservation takes the host's
next free slot atomically in Redis (a Lua script reading the Redis server's clock, so worker
clocks do not matter) and sleeps until it. Two io workers harvesting PubMed together therefore
send 3 requests per second in total, not 3 each. ``defer`` (a 429's ``Retry-After``) pushes
the slot out for the whole fleet.

Keys: ``pipeline:ratelimit:<host>`` holding the next free slot (Unix seconds), expiring a
minute after it passes. If Redis cannot be reached the limiter falls back to the process-local
spacing and logs it once, so a broker hiccup slows harvesting down rather than failing it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import redis

from pipeline.sources.http import RateLimiter

log = logging.getLogger(__name__)

KEY_PREFIX = "pipeline:ratelimit:"

# KEYS[1] = the host's key; ARGV[1] = min interval (s). Returns the wait in seconds.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nxt)
local after = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.6f', after), 'PX',
           math.floor((after - now) * 1000) + 60000)
return string.format('%.6f', slot - now)
"""

# KEYS[1] = the host's key; ARGV[1] = seconds to push the next slot out to (from now).
_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local after = now + tonumber(ARGV[1])
if after > nxt then
  redis.call('SET', KEYS[1], string.format('%.6f', after), 'PX',
             math.floor((after - now) * 1000) + 60000)
end
return 1
"""


class SharedRateLimiter(RateLimiter):
    """A :class:`RateLimiter` whose per-host slots live in Redis (see the module docstring)."""

    def __init__(self, client: redis.Redis, **kw: Any) -> None:
        super().__init__(**kw)
        self._acquire = client.register_script(_ACQUIRE)
        self._defer = client.register_script(_DEFER)
        self._warned = threading.Event()

    @classmethod
    def from_url(cls, url: str, **kw: Any) -> SharedRateLimiter:
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        return cls(client, **kw)

    def _fallback(self, exc: Exception) -> None:
        if not self._warned.is_set():
            self._warned.set()
            log.warning(
                "rate limits fall back to this process: Redis unreachable (%s)",
                type(exc).__name__,
            )

    def _reserve(self, host: str, interval: float) -> float:
        try:
            return float(self._acquire(keys=[KEY_PREFIX + host], args=[interval]))
        except redis.RedisError as exc:
            self._fallback(exc)
            return super()._reserve(host, interval)

    def defer(self, host: str, seconds: float) -> None:
        super().defer(host, seconds)  # this process backs off even if Redis is gone
        try:
            self._defer(keys=[KEY_PREFIX + host], args=[max(0.0, seconds)])
        except redis.RedisError as exc:
            self._fallback(exc)
