"""YouTube source against a real loopback HTTP server playing www.youtube.com.

youtube-transcript-api has its URLs hard-coded; the Session we hand it gets an adapter that
sends every ``https://www.youtube.com/...`` request (watch page, innertube player, caption
track, feeds) to pytest-httpserver, keeping the production timeouts and counting.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.config import ConfigError, from_dict
from pipeline.engine import execute_shard, plan_stage
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.sources import youtube
from pipeline.sources.harvest import SourceBlocked, SourceUnavailable
from pipeline.store import LocalStore

KEY = "AIzaSyFakeKey_0123456789"
OK = {"status": "OK", "playableInEmbed": True}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(s)


class FakeYouTube:
    """Watch page, innertube player, timedtext and feeds, with per-video behaviour."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.videos: dict[str, dict[str, Any]] = {}
        self.feeds: dict[str, list[dict[str, str]]] = {}
        self.fail: dict[tuple[str, str], list[int]] = {}  # (endpoint, id) -> statuses first
        self.log: list[tuple[str, str]] = []  # (endpoint, id)
        server.expect_request(re.compile(r"^/")).respond_with_handler(self.handle)

    def video(self, vid: str, tracks: list[dict[str, Any]] | None = None, **kw: Any) -> None:
        self.videos[vid] = {"tracks": tracks or [], **kw}

    def calls(self, endpoint: str | None = None) -> list[tuple[str, str]]:
        return [c for c in self.log if endpoint is None or c[0] == endpoint]

    def handle(self, req: Request) -> Response:
        path = req.path
        if path == "/watch":
            return self._watch(req.args["v"])
        if path == "/youtubei/v1/player":
            assert req.args["key"] == KEY
            body = json.loads(req.get_data())
            assert body["context"]["client"]["clientName"] == "ANDROID"
            return self._player(body["videoId"])
        if path == "/api/timedtext":
            return self._timedtext(req.args["v"], req.args["lang"], req.args.get("kind"))
        if path == "/feeds/videos.xml":
            lid = req.args.get("channel_id") or req.args["playlist_id"]
            return self._feed(lid)
        return Response("not found", status=404)

    def _failure(self, endpoint: str, key: str) -> Response | None:
        self.log.append((endpoint, key))
        queue = self.fail.get((endpoint, key))
        if queue:
            return Response("<html>error</html>", status=queue.pop(0))
        return None

    def _watch(self, vid: str) -> Response:
        if (r := self._failure("watch", vid)) is not None:
            return r
        v = self.videos.get(vid, {})
        if v.get("recaptcha"):
            body = '<html><body><form><div class="g-recaptcha" data-sitekey="x"></div></form>'
            return Response(body + "</body></html>", content_type="text/html")
        page = (
            '<!DOCTYPE html><html lang="en"><head><title>Video - YouTube</title>'
            '<script nonce="n">ytcfg.set({"CLIENT_CANARY_STATE":"none","INNERTUBE_API_KEY":'
            f'"{KEY}","INNERTUBE_API_VERSION":"v1","INNERTUBE_CLIENT_NAME":"WEB"}});</script>'
            '</head><body><div id="player"></div></body></html>'
        )
        return Response(page, content_type="text/html; charset=utf-8")

    def _player(self, vid: str) -> Response:
        if (r := self._failure("player", vid)) is not None:
            return r
        v = self.videos.get(vid)
        if v is None or v.get("unavailable"):
            status = {"status": "ERROR", "reason": "This video is unavailable"}
            return Response(
                json.dumps({"playabilityStatus": status}), content_type="application/json"
            )
        data: dict[str, Any] = {
            "playabilityStatus": v.get("playability", OK),
            "videoDetails": {"videoId": vid},
        }
        if v.get("captions", True):
            base = f"https://www.youtube.com/api/timedtext?v={vid}&ei=abc&caps=asr&opi=1"
            tracks = []
            for t in v["tracks"]:
                url = f"{base}&lang={t['lang']}&fmt=srv3"
                if t.get("generated"):
                    url += "&kind=asr"
                if t.get("po_token"):
                    url += "&exp=xpe"
                track = {
                    "baseUrl": url,
                    "name": {"runs": [{"text": t.get("name", t["lang"])}]},
                    "vssId": ("a." if t.get("generated") else ".") + t["lang"],
                    "languageCode": t["lang"],
                    "isTranslatable": True,
                }
                if t.get("generated"):
                    track["kind"] = "asr"
                tracks.append(track)
            data["captions"] = {
                "playerCaptionsTracklistRenderer": {
                    "captionTracks": tracks,
                    "audioTracks": [{"captionTrackIndices": [0]}],
                    "translationLanguages": [
                        {"languageCode": "fr", "languageName": {"runs": [{"text": "French"}]}}
                    ],
                    "defaultAudioTrackIndex": 0,
                }
            }
        return Response(json.dumps(data), content_type="application/json")

    def _timedtext(self, vid: str, lang: str, kind: str | None) -> Response:
        if (r := self._failure("timedtext", f"{vid}:{lang}")) is not None:
            return r
        for t in self.videos[vid]["tracks"]:
            if t["lang"] == lang and bool(t.get("generated")) == (kind == "asr"):
                cues = "".join(
                    f'<text start="{s}" dur="{d}">{escape(escape(txt))}</text>'
                    for s, d, txt in t["cues"]
                )
                xml = f'<?xml version="1.0" encoding="utf-8" ?><transcript>{cues}</transcript>'
                return Response(xml, content_type="text/xml; charset=UTF-8")
        return Response("", status=404)

    def _feed(self, lid: str) -> Response:
        if (r := self._failure("feed", lid)) is not None:
            return r
        if lid not in self.feeds:
            return Response("", status=404)
        entries = "".join(
            f"<entry><id>yt:video:{e['id']}</id><yt:videoId>{e['id']}</yt:videoId>"
            f"<yt:channelId>UCchan0000000000000000001</yt:channelId><title>{escape(e['title'])}"
            f'</title><link rel="alternate" href="https://www.youtube.com/watch?v={e["id"]}"/>'
            f"<author><name>Therapy Channel</name></author><published>{e['published']}"
            "</published><media:group><media:title>t</media:title></media:group></entry>"
            for e in self.feeds[lid]
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/'
            'schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/'
            f'2005/Atom"><title>Therapy Channel</title>{entries}</feed>'
        )
        return Response(xml, content_type="text/xml; charset=UTF-8")


class Loopback(youtube.TimeoutAdapter):
    """The production adapter (timeouts, counting), sending www.youtube.com to loopback."""

    def __init__(self, base: str, timeout: tuple[float, float]) -> None:
        super().__init__(timeout)
        self.base = base.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:  # type: ignore[override]
        request.url = self.base + request.path_url
        return super().send(request, **kw)


def route_to(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    original = youtube.make_session

    def make(opts: youtube.YouTubeSection) -> requests.Session:
        s = original(opts)
        s.mount(
            "https://www.youtube.com/", Loopback(base, (opts.connect_timeout, opts.read_timeout))
        )
        return s

    monkeypatch.setattr(youtube, "make_session", make)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(youtube, "_clock", c)
    monkeypatch.setattr(youtube, "_sleep", c.sleep)
    return c


@pytest.fixture
def yt(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> FakeYouTube:
    for k in ("PIPELINE_YT_PROXY_HTTP", "PIPELINE_YT_PROXY_HTTPS", "PIPELINE_YT_WEBSHARE_USERNAME"):
        monkeypatch.delenv(k, raising=False)
    route_to(monkeypatch, httpserver.url_for("/"))
    return FakeYouTube(httpserver)


def source(**kw: Any) -> dict[str, Any]:
    return {
        "type": "youtube",
        "name": "yt",
        "min_interval_seconds": 0,
        "retry_backoff_seconds": 0.5,
        **kw,
    }


def make_run(store: LocalStore, run_id: str, **kw: Any) -> Run:
    return Run.create(store, from_dict({"sources": [source(**kw)]}), run_id)


def harvest(run: Run) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Execute every ingest shard; return records, error lines and summed counts."""
    recs: list[dict[str, Any]] = []
    errs: list[dict[str, Any]] = []
    total: dict[str, Any] = {"in": 0, "kept": 0, "errored": {}, "filtered": {}, "extra": {}}
    for shard in plan_stage(run, "ingest"):
        res = execute_shard(run, "ingest", shard.id)
        c = res["counts"]
        total["in"] += c["in"]
        total["kept"] += c["kept"]
        for part in ("errored", "filtered", "extra"):
            for k, v in c.get(part, {}).items():
                total[part][k] = total[part].get(k, 0) + v
        m = run.marker("ingest", shard.id)
        assert m is not None
        for out in m["outputs"]:
            with run.store.local_copy(out["key"]) as p:
                recs.extend(read_parquet(p))
        if m["errors_key"]:
            errs += [json.loads(x) for x in run.store.get(m["errors_key"]).decode().splitlines()]
    return recs, errs, total


CUES_DIALOGUE = [
    (0.0, 2.0, "[Music]"),
    (2.5, 3.0, ">> So how have you been sleeping lately?"),
    (5.6, 2.4, ">> Not great, honestly.\nI keep waking up at 3 am."),
    (8.1, 2.0, ">> That sounds exhausting. [Applause]"),
    (10.2, 1.8, "What do you do when it happens?"),
]
CUES_LECTURE = [
    (0.0, 3.0, "Today we talk about sleep hygiene."),
    (3.1, 2.0, "It matters a lot."),
    (9.0, 2.5, "♪ la la ♪ Second part: caffeine."),
]


def test_language_preference_manual_before_generated(yt: FakeYouTube, tmp_path: Path) -> None:
    yt.video(
        "aaaaaaaaaaa",
        [
            {"lang": "en", "generated": True, "cues": CUES_LECTURE},
            {"lang": "de", "name": "Deutsch", "cues": [(0.0, 2.0, "Hallo zusammen.")]},
            {"lang": "en", "name": "English", "cues": CUES_DIALOGUE},
        ],
    )
    yt.video("bbbbbbbbbbb", [{"lang": "en", "generated": True, "cues": CUES_LECTURE}])
    run = make_run(
        LocalStore(tmp_path / "s"),
        "yt-1",
        video_ids=[
            "https://www.youtube.com/watch?v=aaaaaaaaaaa&t=3s",
            "https://youtu.be/bbbbbbbbbbb",
        ],
        languages=["en", "de"],
    )
    recs, errs, c = harvest(run)
    assert errs == [] and c["kept"] == 2
    by = {r["source_id"]: r for r in recs}
    a, b = by["aaaaaaaaaaa"], by["bbbbbbbbbbb"]
    ma, mb = json.loads(a["meta"]), json.loads(b["meta"])
    # en manual wins over en generated (and over de, second in preference)
    assert ma["youtube"]["language_code"] == "en" and ma["youtube"]["is_generated"] is False
    assert mb["youtube"]["is_generated"] is True
    assert a["text"] == (
        "So how have you been sleeping lately?\n"
        "Not great, honestly. I keep waking up at 3 am.\n"
        "That sounds exhausting. What do you do when it happens?"
    )
    assert ma["speaker_source"] == "caption_marker"
    assert [s["speaker"] for s in ma["segments"]] == [0, 1, 0]
    assert ma["segments"][0]["start"] == 2.5 and ma["segments"][-1]["end"] == 12.0
    seg = ma["segments"][1]
    assert a["text"][seg["char_start"] : seg["char_end"]].startswith("Not great")
    # no markers: paragraphs on the 4 s pause, song lyrics dropped
    assert b["text"] == (
        "Today we talk about sleep hygiene. It matters a lot.\n\nSecond part: caffeine."
    )
    assert mb["speaker_source"] == "pause" and mb["segments"][1]["speaker"] is None
    for r in recs:
        assert r["group"] == r["source_id"] and r["url"].endswith(r["source_id"])
        assert r["license"] == "youtube-standard" and r["retrieved_at"].endswith("Z")
        prov = json.loads(r["meta"])["provenance"]
        assert prov["license_source"].startswith("default")
        assert "youtube-transcript-api/1.2" in prov["retriever"]
        assert re.fullmatch(r"[0-9a-f]{64}", prov["raw_sha256"])
    assert len(yt.calls("watch")) == 2 and len(yt.calls("timedtext")) == 2
    assert ("timedtext", "aaaaaaaaaaa:en") in yt.calls()


def test_generated_refused_when_manual_only(yt: FakeYouTube, tmp_path: Path) -> None:
    yt.video("bbbbbbbbbbb", [{"lang": "en", "generated": True, "cues": CUES_LECTURE}])
    run = make_run(
        LocalStore(tmp_path / "s"),
        "yt-m",
        video_ids=["bbbbbbbbbbb"],
        allow_generated=False,
        license="CC BY 4.0",
    )
    recs, errs, c = harvest(run)
    assert recs == [] and c["errored"] == {"no_transcript_found": 1}
    assert "en (generated)" in errs[0]["detail"] and errs[0]["video_id"] == "bbbbbbbbbbb"
    assert yt.calls("timedtext") == []  # decided from the track list, nothing fetched


def test_speaker_roles_make_messages(yt: FakeYouTube, tmp_path: Path) -> None:
    yt.video("aaaaaaaaaaa", [{"lang": "en", "cues": CUES_DIALOGUE}])
    run = make_run(
        LocalStore(tmp_path / "s"),
        "yt-r",
        video_ids=["aaaaaaaaaaa"],
        speaker_roles="assistant-first",
        license="CC BY 4.0",
    )
    (rec,), _, _ = harvest(run)
    assert [m["role"] for m in rec["messages"]] == ["assistant", "user", "assistant"]
    assert rec["text"] is None and rec["license"] == "CC-BY-4.0"
    meta = json.loads(rec["meta"])
    assert meta["provenance"]["license_source"] == "config"
    assert meta["speaker_roles"] == "assistant-first"


@pytest.mark.parametrize(
    ("setup", "reason", "requests_made"),
    [
        ({"captions": False}, "transcripts_disabled", 2),
        ({"unavailable": True}, "video_unavailable", 2),
        (
            {
                "playability": {
                    "status": "LOGIN_REQUIRED",
                    "reason": "This video may be inappropriate for some users.",
                }
            },
            "age_restricted",
            2,
        ),
        (
            {
                "playability": {
                    "status": "UNPLAYABLE",
                    "reason": "Video unavailable in your country",
                    "errorScreen": {
                        "playerErrorMessageRenderer": {"subreason": {"runs": [{"text": "geo"}]}}
                    },
                }
            },
            "video_unplayable",
            2,
        ),
        ({"tracks": [{"lang": "en", "po_token": True, "cues": []}]}, "po_token_required", 2),
        ({"tracks": [{"lang": "de", "cues": [(0, 1, "Hallo")]}]}, "no_transcript_found", 2),
        ({"timedtext_404": True}, "http_404", 3),
    ],
)
def test_permanent_failures_error_one_video_and_the_rest_go_on(
    yt: FakeYouTube, tmp_path: Path, setup: dict[str, Any], reason: str, requests_made: int
) -> None:
    tracks = setup.pop("tracks", [{"lang": "en", "cues": CUES_LECTURE}])
    yt.video("bad00000000", tracks, **setup)
    if setup.get("timedtext_404"):
        yt.fail[("timedtext", "bad00000000:en")] = [404, 404]
    yt.video("good0000000", [{"lang": "en", "cues": CUES_LECTURE}])
    store = LocalStore(tmp_path / "s")
    ids = ["bad00000000", "not-an-id", "good0000000"]
    recs, errs, c = harvest(make_run(store, "yt-p", video_ids=ids))
    assert [r["source_id"] for r in recs] == ["good0000000"]
    assert c["errored"] == {reason: 1, "invalid_video_id": 1}
    assert {e["reason"] for e in errs} == {reason, "invalid_video_id"}
    assert len([x for x in yt.calls() if x[1].startswith("bad")]) == requests_made
    assert not [x for x in yt.calls() if "not-an-id" in x[1]]  # refused without a request
    # stable failures are cached: a later harvest asks YouTube nothing for them
    before = len(yt.calls())
    recs2, _, c2 = harvest(make_run(store, "yt-p2", video_ids=ids))
    cached = reason in (
        "transcripts_disabled",
        "video_unavailable",
        "age_restricted",
        "video_unplayable",
        "no_transcript_found",
    )
    assert c2["errored"] == c["errored"] and len(recs2) == 1
    new = [x for x in yt.calls()[before:] if x[1].startswith("bad")]
    assert (new == []) is cached


def test_ip_block_pauses_the_whole_source_and_resumes_after_the_pause(
    yt: FakeYouTube, tmp_path: Path, clock: Clock
) -> None:
    for v in ("v0000000000", "v1111111111", "v2222222222", "v3333333333"):
        yt.video(v, [{"lang": "en", "cues": CUES_LECTURE}])
    yt.fail[("watch", "v1111111111")] = [429]  # HTTP 429 -> IpBlocked
    store = LocalStore(tmp_path / "s")
    run = make_run(
        store,
        "yt-b",
        video_ids=["v0000000000", "v1111111111", "v2222222222", "v3333333333"],
        videos_per_shard=2,
        block_pause_seconds=900,
    )
    s1, s2 = plan_stage(run, "ingest")
    with pytest.raises(SourceBlocked) as info:
        execute_shard(run, "ingest", s1.id)
    assert info.value.retry_after == 900 and isinstance(info.value, ConnectionError)
    assert run.marker("ingest", s1.id) is None  # no marker, no errored record
    state = store.get_json("state/sources/yt/blocked.json")
    assert state["strikes"] == 1 and "IpBlocked" in state["reason"]
    # the other shard does not burn through its list: blocked before any request
    n = len(yt.calls())
    with pytest.raises(SourceBlocked) as info2:
        execute_shard(run, "ingest", s2.id)
    assert len(yt.calls()) == n and 0 < info2.value.retry_after <= 900
    # still blocked after the pause (bot check this time): the next pause doubles
    clock.now += 901
    yt.video(
        "v1111111111",
        [{"lang": "en", "cues": CUES_LECTURE}],
        playability={"status": "LOGIN_REQUIRED", "reason": "Sign in to confirm you’re not a bot"},
    )
    with pytest.raises(SourceBlocked) as info3:
        execute_shard(run, "ingest", s1.id)
    assert info3.value.retry_after == 1800
    assert store.get_json("state/sources/yt/blocked.json")["strikes"] == 2
    # unblocked: the retry fetches only what is missing (v0 came from the raw cache)
    clock.now += 1801
    yt.video("v1111111111", [{"lang": "en", "cues": CUES_LECTURE}])
    before = len(yt.calls())
    assert execute_shard(run, "ingest", s1.id)["counts"]["kept"] == 2
    assert {x[1] for x in yt.calls()[before:]} == {"v1111111111", "v1111111111:en"}
    assert not store.exists("state/sources/yt/blocked.json")  # success closes the breaker
    assert execute_shard(run, "ingest", s2.id)["counts"]["kept"] == 2


def test_recaptcha_page_is_a_block(yt: FakeYouTube, tmp_path: Path) -> None:
    yt.video("v0000000000", recaptcha=True)
    run = make_run(LocalStore(tmp_path / "s"), "yt-c", video_ids=["v0000000000"])
    with pytest.raises(SourceBlocked, match="IpBlocked"):
        harvest(run)


def test_5xx_and_resets_retry_then_succeed_or_fail_the_attempt(
    yt: FakeYouTube, tmp_path: Path, clock: Clock
) -> None:
    yt.video("v0000000000", [{"lang": "en", "cues": CUES_LECTURE}])
    yt.fail[("player", "v0000000000")] = [500, 503]
    yt.fail[("timedtext", "v0000000000:en")] = [502]
    store = LocalStore(tmp_path / "s")
    recs, errs, c = harvest(make_run(store, "yt-5", video_ids=["v0000000000"]))
    assert len(recs) == 1 and errs == []
    # list = watch+player; retried whole twice, then timedtext once more
    assert len(yt.calls("player")) == 3 and len(yt.calls("timedtext")) == 2
    assert c["extra"]["http_requests"] == 8
    assert clock.slept == [0.5, 1.0, 0.5]  # exponential backoff per operation
    # persistent 503: bounded retries, then the shard attempt fails as transient
    yt.video("v1111111111", [{"lang": "en", "cues": CUES_LECTURE}])
    yt.fail[("watch", "v1111111111")] = [503] * 10
    run = make_run(store, "yt-6", video_ids=["v1111111111"], max_retries=2)
    with pytest.raises(SourceUnavailable, match="failed 3 times"):
        harvest(run)
    assert yt.calls("watch").count(("watch", "v1111111111")) == 3


def test_read_timeout_is_enforced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: Clock
) -> None:
    server = HTTPServer(host="127.0.0.1", threaded=True)  # a sleeping handler must not block others
    server.start()
    try:

        def slow(_: Request) -> Response:
            time.sleep(1.5)
            return Response("late")

        server.expect_request(re.compile(r"^/")).respond_with_handler(slow)
        route_to(monkeypatch, server.url_for("/"))
        run = make_run(
            LocalStore(tmp_path / "s"),
            "yt-t",
            video_ids=["v0000000000"],
            read_timeout=0.2,
            max_retries=1,
        )
        t0 = time.monotonic()
        with pytest.raises(SourceUnavailable, match="ReadTimeout"):
            harvest(run)
        assert time.monotonic() - t0 < 1.4
    finally:
        server.clear()
        server.stop()
    opts = youtube.options(run.config.sources[0])
    s = youtube.make_session(opts)
    for url in ("https://www.youtube.com/watch", "https://example.org/", "http://example.org/"):
        adapter = s.get_adapter(url)
        assert isinstance(adapter, youtube.TimeoutAdapter) and adapter.timeout == (5.0, 0.2)


def test_raw_payload_persisted_and_second_run_makes_no_request(
    yt: FakeYouTube, tmp_path: Path
) -> None:
    yt.video("aaaaaaaaaaa", [{"lang": "en", "cues": CUES_DIALOGUE}])
    store = LocalStore(tmp_path / "s")
    recs1, _, c1 = harvest(make_run(store, "yt-r1", video_ids=["aaaaaaaaaaa"]))
    assert c1["extra"] == {"http_requests": 3, "raw_cache_hits": 0}
    raw = store.get_json("raw/youtube/v=aaaaaaaaaaa/en.manual.json")
    assert raw["snippets"][1]["text"].startswith(">> So how") and raw["video_id"] == "aaaaaaaaaaa"
    tracks = store.get_json("raw/youtube/v=aaaaaaaaaaa/tracks.json")["tracks"]
    assert tracks == [
        {"language_code": "en", "language": "en", "is_generated": False, "is_translatable": True}
    ]
    n = len(yt.calls())
    recs2, _, c2 = harvest(make_run(store, "yt-r2", video_ids=["aaaaaaaaaaa"]))
    assert len(yt.calls()) == n  # not one request
    assert c2["extra"] == {"http_requests": 0, "raw_cache_hits": 2}
    assert recs2 == recs1  # byte-identical records, same retrieved_at and raw sha256


def channel_feed(yt: FakeYouTube, ids: list[str]) -> None:
    yt.feeds["UCchan0000000000000000001"] = [
        {"id": v, "title": f"Session {i} & more", "published": f"2026-01-0{i + 1}T10:00:00+00:00"}
        for i, v in enumerate(ids)
    ]
    for v in ids:
        yt.video(v, [{"lang": "en", "cues": CUES_LECTURE}])


def test_channel_feed_listing_and_incremental_harvest(
    yt: FakeYouTube, tmp_path: Path, clock: Clock
) -> None:
    store = LocalStore(tmp_path / "s")
    channel_feed(yt, ["c0000000000", "c1111111111"])
    recs, _, _ = harvest(make_run(store, "h1", channel_ids=["UCchan0000000000000000001"]))
    assert sorted(r["source_id"] for r in recs) == ["c0000000000", "c1111111111"]
    meta = json.loads(recs[0]["meta"])
    assert meta["youtube"]["title"].startswith("Session") and "&" in meta["youtube"]["title"]
    assert meta["provenance"]["listed_via"] == ["channel_id=UCchan0000000000000000001"]
    assert len(list(store.list_keys("raw/youtube/feeds"))) == 1
    # a day later one new video is in the feed (and the oldest fell out of it)
    clock.now += 86400
    channel_feed(yt, ["c1111111111", "c2222222222"])
    before = len(yt.calls())
    recs2, _, c2 = harvest(make_run(store, "h2", channel_ids=["UCchan0000000000000000001"]))
    new = yt.calls()[before:]
    assert new == [
        ("feed", "UCchan0000000000000000001"),
        ("watch", "c2222222222"),
        ("player", "c2222222222"),
        ("timedtext", "c2222222222:en"),
    ]
    # the release stays a full snapshot: what the feed no longer shows comes from raw/
    assert sorted(r["source_id"] for r in recs2) == ["c0000000000", "c1111111111", "c2222222222"]
    assert c2["extra"]["http_requests"] == 3
    seen = store.get_json("state/sources/yt/seen.json")["items"]
    assert seen["c0000000000"]["first_seen"] < seen["c2222222222"]["first_seen"]


def test_playlist_feed_is_harvested_and_shared_videos_are_fetched_once(
    yt: FakeYouTube, tmp_path: Path
) -> None:
    channel_feed(yt, ["c0000000000", "c1111111111"])
    yt.feeds["PLtherapy0000000001"] = [  # a playlist sharing one video with the channel
        {"id": v, "title": f"Playlist item {i}", "published": "2026-02-01T10:00:00+00:00"}
        for i, v in enumerate(["c1111111111", "p2222222222"])
    ]
    yt.video("p2222222222", [{"lang": "en", "cues": CUES_LECTURE}])
    store = LocalStore(tmp_path / "s")
    recs, _, counts = harvest(
        make_run(
            store,
            "pl1",
            channel_ids=["UCchan0000000000000000001"],
            playlist_ids=["PLtherapy0000000001"],
        )
    )
    assert sorted(r["source_id"] for r in recs) == ["c0000000000", "c1111111111", "p2222222222"]
    by_id = {r["source_id"]: json.loads(r["meta"])["provenance"] for r in recs}
    assert sorted(by_id["c1111111111"]["listed_via"]) == [
        "channel_id=UCchan0000000000000000001",
        "playlist_id=PLtherapy0000000001",
    ]
    assert by_id["p2222222222"]["listed_via"] == ["playlist_id=PLtherapy0000000001"]
    # the shared video's transcript was requested once
    assert [c for c in yt.calls() if c == ("timedtext", "c1111111111:en")] == [
        ("timedtext", "c1111111111:en")
    ]
    assert counts["kept"] == 3


def test_excluded_videos_and_missing_feed(yt: FakeYouTube, tmp_path: Path) -> None:
    channel_feed(yt, ["c0000000000", "c1111111111"])
    run = make_run(
        LocalStore(tmp_path / "s"),
        "x1",
        channel_ids=["UCchan0000000000000000001"],
        playlist_ids=["PLmissing"],
        exclude_video_ids=["c0000000000"],
    )
    recs, errs, c = harvest(run)
    assert [r["source_id"] for r in recs] == ["c1111111111"]
    assert c["errored"] == {"feed_not_found": 1} and errs[0]["listing"] == "playlist_id=PLmissing"


def test_blocked_shard_is_retried_by_the_fleet_after_the_pause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workers import tasks

    seen: dict[str, Any] = {}

    class FakeTask:
        def retry(self, **kw: Any) -> Exception:
            seen.update(kw)
            return RuntimeError("retry")

    exc = SourceBlocked("yt", 1800, "IpBlocked")
    assert str(tasks.retry_blocked(FakeTask(), exc)) == "retry"
    assert seen == {"exc": exc, "countdown": 1800, "max_retries": tasks.BLOCKED_MAX_RETRIES}
    tasks.retry_blocked(FakeTask(), SourceBlocked("yt", 10**9, "x"))
    assert seen["countdown"] == tasks.BLOCKED_MAX_COUNTDOWN < tasks.VISIBILITY_TIMEOUT
    # the shard task routes SourceBlocked to retry_blocked (not the short transient backoff)
    calls: list[Any] = []

    def boom(*a: Any, **k: Any) -> Any:
        raise exc

    def fake_retry(task: Any, e: Exception) -> Exception:
        calls.append(e)
        return KeyError("retried")

    monkeypatch.setattr(tasks, "execute_shard", boom)
    monkeypatch.setattr(tasks, "retry_blocked", fake_retry)
    monkeypatch.setattr(
        tasks, "Run", lambda store, rid: type("R", (), {"current_generation": lambda self: 0})()
    )
    task = tasks.SHARD_TASKS["ingest"]
    assert SourceBlocked in task.dont_autoretry_for
    with pytest.raises(KeyError, match="retried"):
        task.run("run-1", "shard-1", 0)
    assert calls == [exc]


def test_proxy_from_env_never_leaks_credentials(
    yt: FakeYouTube,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    proxy, kind = youtube.proxy_from_env({"PIPELINE_YT_PROXY_HTTPS": "http://u:s3cret@127.0.0.1:9"})
    assert kind == "generic" and proxy is not None
    assert proxy.to_requests_dict() == {
        "http": "http://u:s3cret@127.0.0.1:9",
        "https": "http://u:s3cret@127.0.0.1:9",
    }
    assert youtube.proxy_from_env({})[1] == "none"
    # a dead proxy: every request fails; neither the error nor the logs carry the password
    monkeypatch.setenv("PIPELINE_YT_PROXY_HTTPS", "http://u:s3cret@127.0.0.1:9")
    yt.video("v0000000000", [{"lang": "en", "cues": CUES_LECTURE}])
    run = make_run(LocalStore(tmp_path / "s"), "px", video_ids=["v0000000000"], max_retries=0)
    with caplog.at_level("DEBUG"), pytest.raises(SourceUnavailable) as info:
        harvest(run)
    assert "s3cret" not in str(info.value) and "s3cret" not in caplog.text
    assert yt.calls() == []


def test_segmentation_rules() -> None:
    cues = [
        {"text": "- Hi, come in.\n- Thanks. [ __ ] traffic.", "start": 0.0, "duration": 4.0},
        {"text": "(laughs) So what brings you here?", "start": 4.0, "duration": 2.0},
        {"text": "- I haven't been sleeping.", "start": 6.5, "duration": 2.0},
    ]
    segs, how = youtube.segment(cues, pause_seconds=2.0)
    assert how == "caption_marker"
    assert [(s["speaker"], s["text"]) for s in segs] == [
        (0, "Hi, come in."),
        (1, "Thanks. traffic. So what brings you here?"),
        (0, "I haven't been sleeping."),
    ]
    # one marker is not a dialogue; overlapping cue durations are no pause
    one = [
        {"text": ">> Welcome back.", "start": 0.0, "duration": 9.0},
        {"text": "Let's begin.", "start": 1.0, "duration": 3.0},
    ]
    segs, how = youtube.segment(one, pause_seconds=2.0)
    assert how == "pause" and [s["text"] for s in segs] == ["Welcome back. Let's begin."]
    assert youtube.segment([{"text": "[Music]", "start": 0, "duration": 1}], 2.0)[0] == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({}, "give video_ids, channel_ids and/or playlist_ids"),
        ({"video_ids": ["x"], "speaker_roles": "all-user"}, "speaker_roles"),
        ({"video_ids": ["x"], "languages": []}, "languages"),
        ({"video_ids": ["x"], "read_timeout": 0}, "read_timeout"),
        ({"video_ids": ["x"], "license": "whatever-licence"}, "license"),
        ({"channel_ids": ["bad id!"]}, "channel_ids"),
        ({"video_ids": ["x"], "colour": "red"}, "unknown key(s) colour"),
    ],
)
def test_bad_youtube_tables_name_the_key(bad: dict[str, Any], message: str) -> None:
    entry = {"type": "youtube", "name": "yt", **bad}
    with pytest.raises(ConfigError, match=re.escape(message)):
        from_dict({"sources": [entry]})


def test_validated_entry_is_stable_and_frozen_into_the_run(tmp_path: Path) -> None:
    cfg = from_dict({"sources": [source(video_ids=["https://www.youtube.com/shorts/aaaaaaaaaaa"])]})
    entry = cfg.sources[0]
    assert entry["video_ids"] == ["aaaaaaaaaaa"] and entry["languages"] == ["en"]
    again = from_dict(cfg.to_dict())
    assert again.sources == cfg.sources
