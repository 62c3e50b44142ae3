"""Fleet-wide rate limits: limiters in different workers share one budget per host in Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from pipeline.sources.http import RateLimiter, default_limiter, set_default_limiter
from tests.conftest import RedisServer, free_port
from workers.ratelimit import KEY_PREFIX, SharedRateLimiter


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    srv = RedisServer(tmp_path)
    srv.start()
    try:
        yield srv.url
    finally:
        srv.stop()


def limiter(url: str) -> tuple[SharedRateLimiter, list[float]]:
    """A limiter with its own Redis connection (as in another worker) that records sleeps."""
    slept: list[float] = []
    return SharedRateLimiter.from_url(url, sleep=slept.append), slept


def test_two_workers_share_one_budget_per_host(redis_url: str) -> None:
    a, a_slept = limiter(redis_url)
    b, b_slept = limiter(redis_url)
    waits = [lim.acquire("eutils.ncbi.nlm.nih.gov", 1.0) for lim in (a, b, a, b)]
    # slots 1 s apart across both "workers" (nothing really sleeps; Redis time moves on a bit)
    for i, w in enumerate(waits):
        assert i - 0.2 < w <= i, waits
    assert a_slept == [waits[2]] and b_slept == [waits[1], waits[3]]
    assert b.acquire("export.arxiv.org", 3.0) == 0.0  # another host has its own budget
    ttl = redis.Redis.from_url(redis_url).pttl(KEY_PREFIX + "eutils.ncbi.nlm.nih.gov")
    assert 0 < ttl <= 65_000  # the key goes away once its slot is long past


def test_retry_after_backs_off_the_whole_fleet(redis_url: str) -> None:
    a, _ = limiter(redis_url)
    b, b_slept = limiter(redis_url)
    a.defer("api.openalex.org", 5.0)  # a 429 with Retry-After: 5 seen by one worker
    wait = b.acquire("api.openalex.org", 0.1)
    assert 4.8 < wait <= 5.0 and b_slept == [wait]


def test_unreachable_redis_falls_back_to_process_spacing(caplog: pytest.LogCaptureFixture) -> None:
    now = [100.0]
    lim = SharedRateLimiter.from_url(
        f"redis://127.0.0.1:{free_port()}/0", clock=lambda: now[0], sleep=lambda s: None
    )
    assert lim.acquire("www.ebi.ac.uk", 0.5) == 0.0
    assert lim.acquire("www.ebi.ac.uk", 0.5) == 0.5  # still spaced, by this process alone
    assert "fall back" in caplog.text and caplog.text.count("fall back") == 1


def test_worker_processes_install_the_shared_limiter(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.app import install_shared_rate_limits

    prev = set_default_limiter(RateLimiter())
    try:
        monkeypatch.setenv("PIPELINE_BROKER_URL", redis_url)
        monkeypatch.setenv("PIPELINE_SHARED_RATE_LIMITS", "0")
        install_shared_rate_limits()
        assert not isinstance(default_limiter(), SharedRateLimiter)  # switched off
        monkeypatch.setenv("PIPELINE_SHARED_RATE_LIMITS", "1")
        install_shared_rate_limits()
        shared = default_limiter()
        assert isinstance(shared, SharedRateLimiter)
        shared.acquire("example.org", 2.0)
        assert redis.Redis.from_url(redis_url).exists(KEY_PREFIX + "example.org")
    finally:
        set_default_limiter(prev)
