"""pipeline.sources.http against a real loopback HTTP server, with a fake clock."""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.sources.http import (
    USER_AGENT,
    HttpClient,
    PermanentHttpError,
    RateLimiter,
    TransientHttpError,
    make_session,
    parse_retry_after,
    redact,
    redact_url,
    register_secret,
)


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.now += s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client(clock: FakeClock, **kw: object) -> HttpClient:
    kw.setdefault("min_interval", 0.0)
    return HttpClient(limiter=RateLimiter(clock=clock, sleep=clock.sleep), **kw)  # type: ignore[arg-type]


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    """A separate threaded server: a handler that sleeps must not block the next request."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.mark.parametrize(
    ("rps", "expected"),
    [(3.0, [0.0, 1 / 3, 2 / 3, 1.0]), (10.0, [0.0, 0.1, 0.2, 0.3]), (1 / 3, [0.0, 3.0, 6.0, 9.0])],
    ids=["ncbi-no-key-3rps", "ncbi-key-10rps", "arxiv-1-per-3s"],
)
def test_rate_limiter_waits_without_sleeping(
    clock: FakeClock, rps: float, expected: list[float]
) -> None:
    # four threads' worth of requests arriving at the same instant: the n-th waits n/rps
    lim = RateLimiter(clock=clock, sleep=lambda s: None)
    waits = [lim.acquire("eutils.ncbi.nlm.nih.gov", 1 / rps) for _ in range(4)]
    assert waits == pytest.approx(expected)
    # a different host has its own budget
    assert lim.acquire("export.arxiv.org", 3.0) == 0.0


def test_rate_limiter_sleeps_only_the_remaining_interval(clock: FakeClock) -> None:
    lim = RateLimiter(clock=clock, sleep=clock.sleep)
    assert lim.acquire("h", 3.0) == 0.0
    clock.now += 1.0  # a second of work between requests
    assert lim.acquire("h", 3.0) == pytest.approx(2.0)
    clock.now += 10.0
    assert lim.acquire("h", 3.0) == 0.0
    assert clock.slept == pytest.approx([2.0])
    lim.defer("h", 30.0)  # a Retry-After pushes the host's next slot
    assert lim.acquire("h", 3.0) == pytest.approx(30.0)


def test_client_spaces_real_requests_by_the_host_interval(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    httpserver.expect_request("/x").respond_with_data("ok")
    c = client(clock, min_interval=1 / 3)
    for _ in range(3):
        assert c.get(httpserver.url_for("/x")).text == "ok"
    assert clock.slept == pytest.approx([1 / 3, 1 / 3])
    assert len(httpserver.log) == 3
    assert httpserver.log[0][0].headers["User-Agent"] == USER_AGENT
    assert "unified-ai-dataset-pipeline" in USER_AGENT


def test_429_honours_retry_after_seconds_and_http_date(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    httpserver.expect_ordered_request("/limited").respond_with_json(
        {"error": "API rate limit exceeded", "count": "5", "limit": "3"},
        status=429,
        headers={"Retry-After": "7"},
    )
    httpserver.expect_ordered_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": when}
    )
    httpserver.expect_ordered_request("/limited").respond_with_json({"ok": True})
    c = client(clock, backoff=1.0)
    assert c.get(httpserver.url_for("/limited")).json() == {"ok": True}
    assert c.requests_made == 3
    assert clock.slept[0] == pytest.approx(7.0)
    assert 110 < clock.slept[1] <= 121  # the HTTP date, not the exponential backoff


def test_5xx_then_success_backs_off_exponentially(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_ordered_request("/flaky").respond_with_data("boom", status=502)
    httpserver.expect_ordered_request("/flaky").respond_with_data("boom", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("fine")
    c = client(clock, backoff=1.5)
    assert c.get(httpserver.url_for("/flaky")).text == "fine"
    assert clock.slept == pytest.approx([1.5, 3.0])


def test_5xx_until_retries_run_out_is_transient(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_request("/down").respond_with_data("x", status=500)
    c = client(clock, retries=2, backoff=1.0, backoff_max=1.5)
    with pytest.raises(TransientHttpError) as ei:
        c.get(httpserver.url_for("/down"))
    assert ei.value.status == 500
    assert "gave up after 3 attempts" in str(ei.value)
    assert clock.slept == pytest.approx([1.0, 1.5])  # capped at backoff_max


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_4xx_is_permanent_at_once(httpserver: HTTPServer, clock: FakeClock, status: int) -> None:
    httpserver.expect_request("/nope").respond_with_data("no such thing", status=status)
    c = client(clock)
    with pytest.raises(PermanentHttpError) as ei:
        c.get(httpserver.url_for("/nope"), {"id": "1"})
    assert ei.value.status == status and ei.value.reason == f"http_{status}"
    assert "no such thing" in str(ei.value)
    assert len(httpserver.log) == 1 and clock.slept == []


def test_expected_404_is_returned_not_raised(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_request("/ft").respond_with_data("not found", status=404)
    assert client(clock).get(httpserver.url_for("/ft"), ok_statuses=(404,)).status_code == 404


def test_read_timeout_is_retried(threaded_server: HTTPServer, clock: FakeClock) -> None:
    calls = {"n": 0}
    lock = threading.Lock()

    def handler(req: Request) -> Response:
        with lock:
            calls["n"] += 1
            n = calls["n"]
        if n == 1:
            time.sleep(0.6)  # longer than the read timeout
        return Response("late but fine")

    threaded_server.expect_request("/slow").respond_with_handler(handler)
    c = client(clock, timeout=(2.0, 0.25), backoff=0.5)
    assert c.get(threaded_server.url_for("/slow")).text == "late but fine"
    assert c.requests_made == 2 and clock.slept == pytest.approx([0.5])


def test_timeout_until_retries_run_out_is_transient(
    threaded_server: HTTPServer, clock: FakeClock
) -> None:
    def handler(req: Request) -> Response:
        time.sleep(0.4)
        return Response("too late")

    threaded_server.expect_request("/stuck").respond_with_handler(handler)
    c = client(clock, timeout=(2.0, 0.15), retries=1)
    with pytest.raises(TransientHttpError, match="timeout"):
        c.get(threaded_server.url_for("/stuck"))


def test_connection_refused_is_transient(clock: FakeClock) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = client(clock, retries=1, backoff=2.0)
    with pytest.raises(TransientHttpError, match="connection error"):
        c.get(f"http://127.0.0.1:{port}/x")
    assert clock.slept == pytest.approx([2.0])


def test_session_always_has_a_timeout(threaded_server: HTTPServer) -> None:
    def handler(req: Request) -> Response:
        time.sleep(0.5)
        return Response("late")

    threaded_server.expect_request("/t").respond_with_handler(handler)
    s = make_session(timeout=(1.0, 0.15))
    with pytest.raises(requests.Timeout):
        s.get(threaded_server.url_for("/t"))  # no timeout passed: the adapter's applies


def test_api_keys_never_reach_errors_or_logs(
    httpserver: HTTPServer, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-api-key-value"
    httpserver.expect_ordered_request("/k").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/k").respond_with_data(f"bad key {secret}", status=401)
    c = client(clock, secrets=[secret])
    with caplog.at_level(logging.WARNING), pytest.raises(PermanentHttpError) as ei:
        c.get(httpserver.url_for("/k"), {"term": "grief", "api_key": secret})
    assert secret not in str(ei.value) and secret not in ei.value.url
    assert "api_key=REDACTED" in ei.value.url and "term=grief" in ei.value.url
    assert caplog.records and all(secret not in r.getMessage() for r in caplog.records)
    # the request itself did carry the key
    assert httpserver.log[0][0].args["api_key"] == secret


def test_redaction_helpers() -> None:
    register_secret("abcd-secret-1234")
    assert redact("key abcd-secret-1234 here") == "key REDACTED here"
    url = "https://api.example.org/works?search=x&api_key=zzz&mailto=a%40b.org&token=t"
    out = redact_url(url)
    assert "zzz" not in out and "token=REDACTED" in out and "search=x" in out
    assert redact_url("https://user:pw@host/p") == "https://REDACTED@host/p"


def test_parse_retry_after() -> None:
    assert parse_retry_after("5", 0.0) == 5.0
    assert parse_retry_after(None, 0.0) is None
    assert parse_retry_after("garbage", 0.0) is None
    now = time.time()
    assert parse_retry_after(email.utils.formatdate(now + 60, usegmt=True), now) == pytest.approx(
        60, abs=1.5
    )
    assert parse_retry_after(email.utils.formatdate(now - 60, usegmt=True), now) == 0.0
