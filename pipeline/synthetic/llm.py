"""LLM backend: any OpenAI-compatible chat endpoint (``POST {base_url}/chat/completions``).

Configured by ``PIPELINE_LLM_BASE_URL``, ``PIPELINE_LLM_MODEL`` and ``PIPELINE_LLM_API_KEY``
(the source options ``llm_base_url`` / ``llm_model`` override the first two; the key is
only ever read from the environment and never logged or stored).

* **Cache.** Every response is stored in the run's store at ``cache/llm/<sha256>.json``,
  keyed by the sha256 of (model, prompt messages, sampling parameters). A request whose key
  is cached is never sent again, by this run, a resumed run or any later run on the store.
* **Retries.** HTTP 429, 5xx, timeouts and connection errors are retried with exponential
  backoff and jitter (``Retry-After`` honoured, capped); other HTTP errors fail at once.
  When retries run out the shard fails with :class:`LLMUnavailable` (a ``ConnectionError``,
  so the Celery task retries it later; responses already cached are not paid again).
* **Concurrency.** At most ``llm_concurrency`` requests are in flight per shard (a bounded
  thread pool).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from pipeline.store import Store, dumps

log = logging.getLogger("pipeline.synthetic.llm")

ENV_BASE_URL = "PIPELINE_LLM_BASE_URL"
ENV_MODEL = "PIPELINE_LLM_MODEL"
ENV_API_KEY = "PIPELINE_LLM_API_KEY"
CACHE_PREFIX = "cache/llm"
RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class LLMError(RuntimeError):
    """The endpoint refused the request for good (bad URL, auth, model, request)."""


class LLMUnavailable(ConnectionError):
    """The endpoint kept failing transiently (429/5xx/timeouts) after every retry."""


class MalformedOutput(ValueError):
    """The model answered, but not in the shape the prompt asked for."""


@dataclass(frozen=True)
class LLMSettings:
    base_url: str
    model: str
    temperature: float = 0.9
    max_tokens: int = 1200
    timeout: float = 60.0
    max_retries: int = 5
    backoff: float = 1.0
    backoff_max: float = 30.0
    concurrency: int = 4
    response_format: str = "none"  # "json_object" asks the server for JSON mode

    @classmethod
    def from_options(cls, opts: dict[str, Any], env: dict[str, str] | None = None) -> LLMSettings:
        env = dict(os.environ) if env is None else env
        base = opts.get("llm_base_url") or env.get(ENV_BASE_URL, "")
        model = opts.get("llm_model") or env.get(ENV_MODEL, "")
        if not base:
            raise LLMError(f"backend llm needs {ENV_BASE_URL} (or the option llm_base_url)")
        if not model:
            raise LLMError(f"backend llm needs {ENV_MODEL} (or the option llm_model)")
        return cls(
            base_url=str(base).rstrip("/"),
            model=str(model),
            temperature=float(opts.get("llm_temperature", 0.9)),
            max_tokens=int(opts.get("llm_max_tokens", 1200)),
            timeout=float(opts.get("llm_timeout", 60.0)),
            max_retries=int(opts.get("llm_max_retries", 5)),
            backoff=float(opts.get("llm_backoff", 1.0)),
            backoff_max=float(opts.get("llm_backoff_max", 30.0)),
            concurrency=int(opts.get("llm_concurrency", 4)),
            response_format=str(opts.get("llm_response_format", "none")),
        )


@dataclass(frozen=True)
class Prompt:
    """One request: chat messages and the per-sample seed sent as ``seed``."""

    messages: list[dict[str, str]]
    seed: int


@dataclass(frozen=True)
class Completion:
    content: str
    key: str
    cached: bool


def cache_key(model: str, messages: list[dict[str, str]], params: dict[str, Any]) -> str:
    canon = json.dumps(
        {"model": model, "messages": messages, "params": params},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canon.encode()).hexdigest()


class LLMClient:
    """Cached, retrying, thread-safe client for one endpoint and model."""

    def __init__(
        self,
        settings: LLMSettings,
        store: Store,
        api_key: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.store = store
        self._key = os.environ.get(ENV_API_KEY) if api_key is None else api_key
        self._sleep = sleep
        self._local = threading.local()
        self._lock = threading.Lock()
        self.requests = 0  # HTTP requests actually sent (including retries)
        self.cache_hits = 0
        self._abort = threading.Event()  # set by a fatal error: queued prompts are not sent

    def __repr__(self) -> str:  # never show the key
        return f"LLMClient({self.settings.base_url!r}, model={self.settings.model!r})"

    def params(self, seed: int) -> dict[str, Any]:
        s = self.settings
        p: dict[str, Any] = {"temperature": s.temperature, "max_tokens": s.max_tokens, "seed": seed}
        if s.response_format == "json_object":
            p["response_format"] = {"type": "json_object"}
        return p

    def _session(self) -> requests.Session:
        sess = getattr(self._local, "session", None)
        if sess is None:
            sess = self._local.session = requests.Session()
        return sess

    def complete(self, prompt: Prompt) -> Completion:
        params = self.params(prompt.seed)
        key = cache_key(self.settings.model, prompt.messages, params)
        ckey = f"{CACHE_PREFIX}/{key}.json"
        cached = self.store.get_json_or_none(ckey)
        if cached is not None:
            with self._lock:
                self.cache_hits += 1
            return Completion(str(cached["response"]["content"]), key, True)
        if self._abort.is_set():
            raise LLMError("not sent: an earlier request of this batch failed for good")
        body = {"model": self.settings.model, "messages": prompt.messages, **params}
        try:
            data = self._post(body)
        except (LLMError, LLMUnavailable):
            self._abort.set()
            raise
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"]
            if not isinstance(content, str):
                raise TypeError("content is not a string")
        except (KeyError, IndexError, TypeError) as exc:
            raise MalformedOutput(f"response is not a chat completion: {exc}") from None
        doc = {
            "request": {
                "model": self.settings.model,
                "messages": prompt.messages,
                "params": params,
            },
            "response": {
                "content": content,
                "finish_reason": choice.get("finish_reason"),
                "usage": data.get("usage"),
            },
        }
        self.store.put_if_absent(ckey, dumps(doc))
        return Completion(content, key, False)

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        s = self.settings
        url = f"{s.base_url}/chat/completions"
        headers = {"Content-Type": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        last = ""
        for attempt in range(s.max_retries + 1):
            retry_after: float | None = None
            try:
                with self._lock:
                    self.requests += 1
                resp = self._session().post(url, json=body, headers=headers, timeout=s.timeout)
            except (requests.Timeout, requests.ConnectionError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if resp.status_code == 200:
                    try:
                        data = resp.json()
                    except ValueError:
                        raise MalformedOutput("response body is not JSON") from None
                    if not isinstance(data, dict):
                        raise MalformedOutput("response body is not a JSON object")
                    return data
                last = f"HTTP {resp.status_code}: {resp.text[:200]}"
                if resp.status_code not in RETRY_STATUS:
                    raise LLMError(f"{url} refused the request: {last}")
                retry_after = _retry_after(resp.headers.get("Retry-After"))
            if attempt == s.max_retries:
                break
            delay = min(s.backoff_max, s.backoff * (2**attempt)) * random.uniform(0.5, 1.0)
            if retry_after is not None:
                delay = min(s.backoff_max, max(delay, retry_after))
            log.info("llm request failed (%s); retry %d in %.2fs", last, attempt + 1, delay)
            self._sleep(delay)
        raise LLMUnavailable(f"{url}: still failing after {s.max_retries} retries: {last}")

    def complete_many(self, prompts: list[Prompt]) -> list[Completion | Exception]:
        """Complete every prompt with at most ``concurrency`` requests in flight; results in
        order. A :class:`MalformedOutput` is returned in place; transport failures raise."""
        out: list[Completion | Exception] = []
        with ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency)) as pool:
            futures = [pool.submit(self.complete, p) for p in prompts]
            try:
                for fut in futures:
                    try:
                        out.append(fut.result())
                    except MalformedOutput as exc:
                        out.append(exc)
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
        return out


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


def parse_json_object(content: str) -> dict[str, Any]:
    """The JSON object in a model's answer (code fences and text around it tolerated)."""
    text = _FENCE.sub("", content.strip())
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise MalformedOutput("no JSON object in the answer") from None
        try:
            obj = json.loads(text[start : end + 1])
        except json.JSONDecodeError as exc:
            raise MalformedOutput(f"invalid JSON: {exc.msg}") from None
    if not isinstance(obj, dict):
        raise MalformedOutput("the answer is not a JSON object")
    return obj


ROLE_MAP = {"client": "user", "user": "user", "counsellor": "assistant", "counselor": "assistant",
            "assistant": "assistant", "therapist": "assistant"}  # fmt: skip


def parse_turns(content: str, min_turns: int = 2) -> list[dict[str, str]]:
    """``{"turns": [{"role": "client"|"counsellor", "text": ...}, ...]}`` -> messages."""
    obj = parse_json_object(content)
    turns = obj.get("turns")
    if not isinstance(turns, list) or len(turns) < min_turns:
        raise MalformedOutput(f"expected a list 'turns' of at least {min_turns} turns")
    out: list[dict[str, str]] = []
    for i, t in enumerate(turns):
        if not isinstance(t, dict):
            raise MalformedOutput(f"turn {i} is not an object")
        role = ROLE_MAP.get(str(t.get("role", "")).strip().lower())
        text = t.get("text", t.get("content"))
        if role is None:
            raise MalformedOutput(f"turn {i} has unknown role {t.get('role')!r}")
        if not isinstance(text, str) or not text.strip():
            raise MalformedOutput(f"turn {i} has no text")
        if out and out[-1]["role"] == role:
            raise MalformedOutput(f"turns {i - 1} and {i} have the same role")
        out.append({"role": role, "content": text.strip()})
    if out[0]["role"] != "user":
        raise MalformedOutput("the client must speak first")
    return out
