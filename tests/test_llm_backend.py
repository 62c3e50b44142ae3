"""LLM backend against a local fake OpenAI-compatible endpoint (a real HTTP server in a
thread): success, cache hit on re-run, 429 then success, malformed output, concurrency
limit, auth failure, and the other generators' prompts and parsers."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import from_dict
from pipeline.engine import complete_stage, execute_shard, plan_stage
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.store import LocalStore
from pipeline.synthetic import blocks_bias as BB
from pipeline.synthetic.llm import LLMError, LLMUnavailable

KEY = "sk-test-secret-123"

Reply = tuple[int, dict[str, str], bytes]


class FakeLLM:
    """Speaks POST /v1/chat/completions. ``answer(body, n)`` returns the message content
    for the n-th request (or a full (status, headers, body) reply)."""

    def __init__(self, answer: Callable[[dict[str, Any], int], str | Reply], delay: float = 0.0):
        self.answer = answer
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    n = len(fake.requests)
                    fake.requests.append(body)
                    fake.auth.append(self.headers.get("Authorization"))
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    time.sleep(fake.delay)
                    assert self.path == "/v1/chat/completions"
                    out = fake.answer(body, n)
                    if isinstance(out, str):
                        data = {
                            "id": f"c{n}",
                            "object": "chat.completion",
                            "model": body["model"],
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": out}}],
                            "usage": {"prompt_tokens": 10, "completion_tokens": 20},
                        }  # fmt: skip
                        out = (200, {"Content-Type": "application/json"}, json.dumps(data).encode())
                    status, headers, raw = out
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def prompt_text(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def dialogue_answer(body: dict[str, Any], n: int) -> str:
    turns = [
        {"role": "client", "text": f"I've been struggling lately ({body['seed']})."},
        {"role": "counsellor", "text": "That sounds hard. What has been weighing on you most?"},
        {"role": "client", "text": "Mostly work, and not sleeping."},
        {"role": "counsellor", "text": "It makes sense that you feel worn out."},
    ]
    return "```json\n" + json.dumps({"turns": turns}) + "\n```"


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[FakeLLM], None]:
    def use(fake: FakeLLM) -> None:
        monkeypatch.setenv("PIPELINE_LLM_BASE_URL", fake.url)
        monkeypatch.setenv("PIPELINE_LLM_MODEL", "fake-model-1")
        monkeypatch.setenv("PIPELINE_LLM_API_KEY", KEY)

    return use


def make_run(store: Path, run_id: str = "r", **source: Any) -> Run:
    entry = {"type": "synthetic", "name": "llm", "generator": "dialogues", "backend": "llm",
             "count": 6, "per_shard": 6, "seed": 5, "llm_backoff": 0.01, **source}  # fmt: skip
    return Run.create(LocalStore(store), from_dict({"sources": [entry]}), run_id)


def ingest(run: Run) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    recs: list[dict[str, Any]] = []
    for shard in plan_stage(run, "ingest"):
        execute_shard(run, "ingest", shard.id)
        with run.store.local_copy(run.key("ingest", "out", shard.id, "records.parquet")) as p:
            recs.extend(read_parquet(p))
    done = complete_stage(run, "ingest")
    return recs, done["counts"]


def test_success_then_cache_hit_on_rerun_sends_no_request(
    tmp_path: Path, llm_env: Callable[[FakeLLM], None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeLLM(dialogue_answer) as fake:
        llm_env(fake)
        recs, counts = ingest(make_run(tmp_path / "s", "first"))
        assert counts["in"] == counts["kept"] == 6 and counts["errored"] == {}
        assert counts["extra"]["llm_requests"] == 6 and counts["extra"]["llm_cache_hits"] == 0
        assert len(fake.requests) == 6
        assert set(fake.auth) == {f"Bearer {KEY}"}
        body = fake.requests[0]
        assert body["model"] == "fake-model-1" and body["temperature"] == 0.9
        assert isinstance(body["seed"], int) and body["messages"][0]["role"] == "system"
        assert "Presenting concern" in prompt_text(body)
        seeds = {b["seed"] for b in fake.requests}
        assert len(seeds) == 6  # one seed per sample, from the sample's RNG
        for r in recs:
            assert [m["role"] for m in r["messages"]] == ["user", "assistant"] * 2
            meta = json.loads(r["meta"])
            assert meta["backend"] == "llm" and meta["llm_model"] == "fake-model-1"
            assert meta["concern"] and meta["techniques"] and r["label"] == 0
        store = LocalStore(tmp_path / "s")
        cached = list(store.list_keys("cache/llm"))
        assert len(cached) == 6
        for key in cached:
            assert KEY not in store.get(key).decode()

        again, counts2 = ingest(make_run(tmp_path / "s", "second"))
        assert len(fake.requests) == 6  # nothing paid twice
        assert counts2["extra"]["llm_cache_hits"] == 6 and counts2["extra"]["llm_requests"] == 0
        assert [r["messages"] for r in again] == [r["messages"] for r in recs]
    assert KEY not in caplog.text


def test_429_then_success_and_malformed_output_is_an_errored_record(
    tmp_path: Path, llm_env: Callable[[FakeLLM], None]
) -> None:
    def answer(body: dict[str, Any], n: int) -> str | Reply:
        if n == 0:
            return 429, {"Retry-After": "0"}, b'{"error": "rate limited"}'
        if n == 1:
            return 503, {}, b"overloaded"
        if body["seed"] % 2 == 0:
            return "Sure! Here is a lovely conversation: client says hi."  # no JSON
        return dialogue_answer(body, n)

    with FakeLLM(answer) as fake:
        llm_env(fake)
        run = make_run(tmp_path / "s", count=8, per_shard=8, llm_concurrency=1)
        recs, counts = ingest(run)
        n_even = sum(b["seed"] % 2 == 0 for b in fake.requests[2:])
        assert len(fake.requests) == 8 + 2  # two retried failures
        assert counts["in"] == 8 and counts["kept"] == len(recs) == 8 - n_even
        assert counts["errored"] == ({"llm_malformed_output": n_even} if n_even else {})
        assert 0 < n_even < 8
        shard = plan_stage(run, "ingest")[0]
        errors = run.store.get(run.key("ingest", "errors", f"{shard.id}.jsonl")).decode()
        assert "no JSON object" in errors and '"index"' in errors


def test_concurrency_limit_is_respected(tmp_path: Path, llm_env: Callable[[FakeLLM], None]) -> None:
    with FakeLLM(dialogue_answer, delay=0.15) as fake:
        llm_env(fake)
        _, counts = ingest(make_run(tmp_path / "s", count=9, per_shard=9, llm_concurrency=3))
        assert counts["kept"] == 9
        assert fake.max_in_flight == 3


def test_refused_request_fails_the_shard(
    tmp_path: Path, llm_env: Callable[[FakeLLM], None]
) -> None:
    with FakeLLM(lambda body, n: (401, {}, b'{"error": "bad key"}')) as fake:
        llm_env(fake)
        run = make_run(tmp_path / "s", llm_concurrency=1)
        shard = plan_stage(run, "ingest")[0]
        with pytest.raises(LLMError, match="401"):
            execute_shard(run, "ingest", shard.id)
        assert run.marker("ingest", shard.id) is None  # nothing half-written
        assert len(fake.requests) == 1  # not retried


def test_crisis_bias_and_grounded_prompts_and_parsers(
    tmp_path: Path, llm_env: Callable[[FakeLLM], None]
) -> None:
    passages = tmp_path / "p.jsonl"
    passages.write_text(
        json.dumps({"id": "p1", "url": "https://example.org/p1", "text":
                    "Many people with insomnia sleep better with a fixed wake-up time, and "
                    "sleep diaries often help. Sleep improves with routine."}) + "\n"
    )  # fmt: skip

    def answer(body: dict[str, Any], n: int) -> str:
        text = prompt_text(body)
        if "[PERSON]" in text:
            bad = body["seed"] % 5 == 0
            msg = "[PERSON] here, feeling low." if bad else "As [PERSON], I feel low lately."
            return json.dumps({"message": msg})
        if "support chat" in text:
            return json.dumps({"message": "I can't stop thinking about it tonight."})
        m = re.search(r"\[source: [^\]]+\]", text)
        assert m is not None
        turns = [
            {"role": "client", "text": "I can't sleep."},
            {
                "role": "counsellor",
                "text": f"Research suggests a fixed wake-up time helps {m.group(0)}.",
            },
        ]
        return json.dumps({"turns": turns})

    with FakeLLM(answer) as fake:
        llm_env(fake)
        cfg = from_dict({"sources": [
            {"type": "synthetic", "name": "cr", "generator": "crisis_cases", "backend": "llm",
             "count": 10, "positive_fraction": 1.0, "seed": 2},
            {"type": "synthetic", "name": "bp", "generator": "bias_probes", "backend": "llm",
             "count": 10, "seed": 2},
            {"type": "synthetic", "name": "gr", "generator": "grounded", "backend": "llm",
             "count": 4, "seed": 2, "grounding": str(passages)},
        ]})  # fmt: skip
        recs, counts = ingest(Run.create(LocalStore(tmp_path / "s"), cfg, "r"))
        assert len(fake.requests) == 24
    by: dict[str, list[dict[str, Any]]] = {}
    for r in recs:
        by.setdefault(r["source"], []).append(r)
    # crisis: the label is what was asked for; the reply is the builtin safe protocol
    assert len(by["cr"]) == 10 and {r["label"] for r in by["cr"]} == {1}
    for r in by["cr"]:
        assert r["messages"][0]["content"] == "I can't stop thinking about it tonight."
        assert any(
            x in r["messages"][1]["content"]
            for x in ("988", "116 123", "13 11 14", "findahelpline")
        )
    # bias: placeholder at a sentence start is rejected; valid sets keep minimality
    bad_sets = sum(1 for b in fake.requests if "[PERSON]" in prompt_text(b) and b["seed"] % 5 == 0)
    assert counts["errored"] == ({"llm_malformed_output": bad_sets} if bad_sets else {})
    sets: dict[str, list[dict[str, Any]]] = {}
    for r in by.get("bp", []):
        sets.setdefault(r["group"], []).append(r)
    assert len(sets) == 10 - bad_sets
    for members in sets.values():
        meta = [json.loads(m["meta"]) for m in members]
        assert len(members) == len(BB.ATTRIBUTES[meta[0]["attribute"]])
        masked = {
            m["messages"][0]["content"][: x["attribute_span"][0]]
            + "#"
            + m["messages"][0]["content"][x["attribute_span"][1] :]
            for m, x in zip(members, meta, strict=True)
        }
        assert masked == {"As #, I feel low lately."}
    # grounded: the citation marker is required and recorded
    assert len(by["gr"]) == 4
    for r in by["gr"]:
        meta = json.loads(r["meta"])
        assert meta["citation"]["id"] == "p1" and r["group"] == "grounded-p1"
        assert "[source: https://example.org/p1]" in r["messages"][meta["grounded_turn"]]["content"]


def test_persistent_5xx_raises_a_retryable_error_after_bounded_retries(
    tmp_path: Path, llm_env: Callable[[FakeLLM], None]
) -> None:
    with FakeLLM(lambda body, n: (503, {"Retry-After": "0"}, b"busy")) as fake:
        llm_env(fake)
        run = make_run(tmp_path / "s", llm_concurrency=1, llm_max_retries=2, count=2)
        shard = plan_stage(run, "ingest")[0]
        with pytest.raises(LLMUnavailable, match="after 2 retries") as err:
            execute_shard(run, "ingest", shard.id)
        assert isinstance(err.value, ConnectionError)  # the fleet's transient-retry class
        assert len(fake.requests) == 3
        assert list(run.store.list_keys("cache/llm")) == []  # failures are never cached
