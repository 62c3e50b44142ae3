"""HTTP for the network sources: timeouts always set, per-host rate limits, retries.

* :func:`make_session` gives a ``requests.Session`` whose every request has a (connect,
  read) timeout, even when the caller (e.g. a third-party library) passes none, and a
  User-Agent naming the project.
* :class:`RateLimiter` spaces requests to one host by a minimum interval. Time comes from an
  injectable ``clock``/``sleep`` pair, so tests assert the waits without sleeping. One
  process-wide limiter (:func:`default_limiter`) is shared by every client, so two sources
  calling the same API in one process share its budget.
* :class:`HttpClient` retries network errors, timeouts, 429 (honouring ``Retry-After``) and
  5xx with exponential backoff, and raises :class:`PermanentHttpError` at once for any other
  4xx. When retries run out it raises :class:`TransientHttpError`, a ``ConnectionError``
  (the fleet retries the shard later; a permanent error is the item's own fault and is
  reported as an errored item).
* Secrets (API keys) never reach a log line or an exception: :func:`redact_url` masks the
  query parameters that carry them and any registered secret value.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.exceptions import ChunkedEncodingError

from pipeline import __version__

log = logging.getLogger(__name__)

USER_AGENT = (
    f"unified-ai-dataset-pipeline/{__version__} "
    f"(dataset harvester; python-requests/{requests.__version__})"
)
DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds
SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "access_token", "auth"})
REDACTED = "REDACTED"

Clock = Callable[[], float]
Sleep = Callable[[float], None]


# -- errors -------------------------------------------------------------------------------------
class HttpError(Exception):
    """An HTTP request that did not give a usable response. ``url`` is already redacted."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class PermanentHttpError(HttpError):
    """A 4xx other than 429 (or an API error in a 200 body): retrying will not help."""

    @property
    def reason(self) -> str:
        return f"http_{self.status}" if self.status else "api_error"


class TransientHttpError(HttpError, ConnectionError):
    """Network error, timeout, 429 or 5xx that persisted through every retry. A
    ``ConnectionError``, so the fleet retries the shard later with its backoff."""


# -- redaction ------------------------------------------------------------------------------------
_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever :func:`redact` sees it (e.g. an API key read from the env)."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every registered secret value masked."""
    with _secrets_lock:
        values = sorted(_secrets, key=len, reverse=True)
    for v in values:
        text = text.replace(v, REDACTED)
        quoted = urllib.parse.quote(v, safe="")
        if quoted != v:
            text = text.replace(quoted, REDACTED)
    return text


def redact_url(url: str) -> str:
    """``url`` with the values of key-like query parameters and registered secrets masked."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return redact(url)
    if parts.query:
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        masked = [(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in pairs]
        query = urllib.parse.urlencode(masked, safe="*:/,")
        parts = parts._replace(query=query)
    netloc = parts.netloc
    if "@" in netloc:  # user:password@host
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
        parts = parts._replace(netloc=netloc)
    return redact(urllib.parse.urlunsplit(parts))


# -- sessions -------------------------------------------------------------------------------------
class TimeoutAdapter(HTTPAdapter):
    """An adapter that fills in a default (connect, read) timeout when none was given."""

    def __init__(self, timeout: tuple[float, float] = DEFAULT_TIMEOUT, **kw: Any) -> None:
        super().__init__(**kw)
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:  # type: ignore[override]
        if kw.get("timeout") is None:
            kw["timeout"] = self.timeout
        return super().send(request, **kw)


def make_session(
    timeout: tuple[float, float] = DEFAULT_TIMEOUT, user_agent: str = USER_AGENT
) -> requests.Session:
    """A Session with a default timeout on every request and the project's User-Agent.

    Retries are *not* done by the adapter (``max_retries=0``): :class:`HttpClient` owns them,
    so they are counted, rate limited and logged in one place.
    """
    s = requests.Session()
    adapter = TimeoutAdapter(timeout=timeout, max_retries=0)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = user_agent
    return s


# -- rate limiting --------------------------------------------------------------------------------
class RateLimiter:
    """Per-host minimum spacing between request starts; thread-safe.

    ``acquire(host, min_interval)`` reserves the next free slot for ``host`` and sleeps until
    it; it returns the seconds waited. ``defer(host, seconds)`` pushes the host's next slot
    out (a 429's ``Retry-After``), so every thread of the process backs off together.
    """

    def __init__(self, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self.waits: list[tuple[str, float]] = []  # (host, seconds) of every non-zero wait

    def acquire(self, host: str, min_interval: float) -> float:
        wait = self._reserve(host, max(0.0, min_interval))
        if wait > 0:
            with self._lock:
                self.waits.append((host, wait))
            self.sleep(wait)
        return wait

    def _reserve(self, host: str, interval: float) -> float:
        """Take the host's next free slot; the seconds until it. (Subclasses keep the slots
        elsewhere: ``workers.ratelimit``.)"""
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + interval
            return slot - now

    def defer(self, host: str, seconds: float) -> None:
        with self._lock:
            until = self.clock() + max(0.0, seconds)
            if until > self._next.get(host, 0.0):
                self._next[host] = until


_default_limiter = RateLimiter()


def default_limiter() -> RateLimiter:
    """The process-wide limiter shared by every client that is not given its own."""
    return _default_limiter


def set_default_limiter(limiter: RateLimiter) -> RateLimiter:
    """Replace the process-wide limiter (tests: a fake clock); returns the previous one."""
    global _default_limiter
    prev, _default_limiter = _default_limiter, limiter
    return prev


def parse_retry_after(value: str | None, now_epoch: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now_epoch)


# -- the client -----------------------------------------------------------------------------------
class HttpClient:
    """GET/POST with rate limiting, timeouts and classified retries.

    ``min_interval`` is the spacing per host in seconds (1 / requests per second).
    ``retries`` is how many times a transient failure is retried (so at most retries + 1
    requests). Backoff after the n-th failure is ``backoff * 2**n`` seconds capped at
    ``backoff_max``, or the server's ``Retry-After`` (capped at ``retry_after_max``).
    ``secrets`` are masked in every message. ``requests_made`` counts real requests.
    """

    def __init__(
        self,
        *,
        min_interval: float = 0.0,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = 4,
        backoff: float = 1.0,
        backoff_max: float = 60.0,
        retry_after_max: float = 300.0,
        limiter: RateLimiter | None = None,
        session: requests.Session | None = None,
        user_agent: str = USER_AGENT,
        secrets: Iterable[str | None] = (),
        wallclock: Clock = time.time,
    ) -> None:
        self.min_interval = min_interval
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.limiter = limiter or default_limiter()
        self.session = session or make_session(timeout=timeout, user_agent=user_agent)
        self.wallclock = wallclock
        self.requests_made = 0
        for s in secrets:
            register_secret(s)

    def close(self) -> None:
        self.session.close()

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        ok_statuses: Iterable[int] = (),
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        return self.request("GET", url, params=params, ok_statuses=ok_statuses, headers=headers)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        ok_statuses: Iterable[int] = (),
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """The response of a 2xx (or a status in ``ok_statuses``, e.g. an expected 404)."""
        accept = set(ok_statuses)
        host = urllib.parse.urlsplit(url).netloc
        shown = redact_url(_with_params(url, params))
        last: str = ""
        for attempt in range(self.retries + 1):
            self.limiter.acquire(host, self.min_interval)
            self.requests_made += 1
            status: int | None = None
            try:
                resp = self.session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self.timeout
                )
            except (requests.Timeout, requests.ConnectionError, ChunkedEncodingError) as exc:
                kind = "timeout" if isinstance(exc, requests.Timeout) else "connection error"
                last = f"{kind} ({type(exc).__name__})"
                wait = self._backoff(attempt)
            else:
                status = resp.status_code
                if 200 <= status < 300 or status in accept:
                    return resp
                if status != 429 and status < 500:
                    body = redact(resp.text[:300]) if resp.content else ""
                    resp.close()
                    msg = f"HTTP {status} from {shown}" + (f": {body}" if body else "")
                    raise PermanentHttpError(msg, url=shown, status=status)
                last = f"HTTP {status}"
                after = parse_retry_after(resp.headers.get("Retry-After"), self.wallclock())
                wait = self._backoff(attempt) if after is None else min(after, self.retry_after_max)
                resp.close()
            if attempt == self.retries:
                raise TransientHttpError(
                    f"{last} from {shown}; gave up after {attempt + 1} attempts",
                    url=shown,
                    status=status,
                )
            log.warning(
                "%s from %s (attempt %d of %d); retrying in %.1fs",
                last, shown, attempt + 1, self.retries + 1, wait,
            )  # fmt: skip
            # every thread of this process backs off from the host; acquire() does the wait
            self.limiter.defer(host, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff_max, self.backoff * (2**attempt)))


def _with_params(url: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return url
    sep = "&" if "?" in url else "?"
    return url + sep + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
