"""YouTube transcripts (``type = "youtube"``) through youtube-transcript-api 1.2.

Items are videos: given by id (or watch URL) and/or listed from the Atom feeds of channels
and playlists (``https://www.youtube.com/feeds/videos.xml?channel_id=...``; YouTube serves
the latest 15 videos of a channel, the first 15 of a playlist). The plan fetches the feeds,
adds their videos to the listing state ``state/sources/<name>/seen.json`` (first-seen
time, which feeds showed it) and cuts every video the source has ever listed (minus
``exclude_video_ids``) into shards of ``videos_per_shard``.

Per video, the raw cache (store root, shared by all runs) is consulted before any request::

    raw/youtube/v=<id>/tracks.json                 available caption tracks, or a cached
                                                   permanent error (video unavailable, ...)
    raw/youtube/v=<id>/<lang>.<manual|asr>.json    the fetched snippets of one track

Only what is missing is fetched (listing tracks = 2 requests, a transcript = 1 more), and
persisted before the record is built; a re-run of a harvested video makes no request.

Failures: a permanent failure of one video becomes one errored record with its reason
(``transcripts_disabled``, ``no_transcript_found``, ``video_unavailable``,
``age_restricted``, ``invalid_video_id``, ``video_unplayable``, ``po_token_required``, ...);
an IP block (HTTP 429, bot check) trips the source's breaker and raises
:class:`~pipeline.sources.harvest.SourceBlocked` (the shard is retried after the pause,
no record is errored); network errors, timeouts and 5xx are retried ``max_retries`` times
with backoff, then :class:`~pipeline.sources.harvest.SourceUnavailable` fails the shard
attempt (retried by the fleet).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

import requests
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from requests.adapters import HTTPAdapter
from youtube_transcript_api import (
    AgeRestricted,
    CouldNotRetrieveTranscript,
    FailedToCreateConsentCookie,
    InvalidVideoId,
    NoTranscriptFound,
    NotTranslatable,
    PoTokenRequired,
    RequestBlocked,
    TranscriptsDisabled,
    TranslationLanguageNotAvailable,
    VideoUnavailable,
    VideoUnplayable,
    YouTubeDataUnparsable,
    YouTubeRequestFailed,
    YouTubeTranscriptApi,
)
from youtube_transcript_api.proxies import GenericProxyConfig, ProxyConfig, WebshareProxyConfig

from pipeline import __version__
from pipeline.config import ConfigError, parse_section
from pipeline.records import Record, new_record
from pipeline.runs import Run, Shard
from pipeline.sources.harvest import (
    Breaker,
    SourceUnavailable,
    merge_seen,
    put_raw,
    sha256_hex,
    utc_iso,
)
from pipeline.sources.licenses import normalize
from pipeline.store import Store

if TYPE_CHECKING:  # runtime import would be circular (stages -> ingest -> sources)
    from pipeline.stages.base import ShardContext

log = logging.getLogger("pipeline.sources.youtube")

FEED_URL = "https://www.youtube.com/feeds/videos.xml"
WATCH_URL = "https://www.youtube.com/watch?v={}"
VIDEO_ID_RE = re.compile(r"^[A-Za-z0-9_-]{11}$")
LIST_ID_RE = re.compile(r"^[A-Za-z0-9_-]{2,64}$")
ROLE_MODES = ("none", "user-first", "assistant-first")
ATOM = "{http://www.w3.org/2005/Atom}"
YT = "{http://www.youtube.com/xml/schemas/2015}"
DEFAULT_LICENSE = "youtube-standard"
TRANSFORMS = ["strip_sound_tags", "segment_v1"]
FACT_KEYS = ("via", "first_seen", "title", "channel_id", "published")

# Module-level so tests can make sleeping and time instant/deterministic.
_sleep: Callable[[float], None] = time.sleep
_clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class YouTubeSection:
    type: str = "youtube"
    name: str = "youtube"
    video_ids: list[str] = field(default_factory=list)
    channel_ids: list[str] = field(default_factory=list)
    playlist_ids: list[str] = field(default_factory=list)
    exclude_video_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])
    allow_generated: bool = True
    license: str = ""  # empty: "youtube-standard" (the watch page licence row is not read)
    videos_per_shard: int = 20
    speaker_roles: str = "none"
    pause_seconds: float = 2.0
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_retries: int = 3
    retry_backoff_seconds: float = 2.0
    min_interval_seconds: float = 1.0
    block_pause_seconds: float = 900.0
    block_pause_max_seconds: float = 7200.0
    refresh_errors: bool = False


def _retriever() -> str:
    try:
        lib = importlib.metadata.version("youtube-transcript-api")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - always installed
        lib = "unknown"
    return f"uadp-pipeline/{__version__} youtube-transcript-api/{lib}"


def video_id_of(value: str) -> str:
    """The id in a watch / youtu.be / shorts URL, or ``value`` itself."""
    v = value.strip()
    if "://" not in v and not v.startswith(("www.", "youtube.com", "youtu.be")):
        return v
    u = urllib.parse.urlparse(v if "://" in v else "https://" + v)
    if u.netloc.endswith("youtu.be"):
        return u.path.strip("/").split("/")[0]
    q = urllib.parse.parse_qs(u.query).get("v")
    if q:
        return q[0]
    m = re.match(r"^/(?:shorts|embed|live|v)/([^/?#]+)", u.path)
    return m.group(1) if m else v


def options(entry: dict[str, Any]) -> YouTubeSection:
    names = {f.name for f in dataclasses.fields(YouTubeSection)}
    return YouTubeSection(**{k: v for k, v in entry.items() if k in names})


# -- HTTP ---------------------------------------------------------------------------------------


class TimeoutAdapter(HTTPAdapter):
    """Enforces a default (connect, read) timeout, spaces requests at least
    ``min_interval`` seconds apart and counts every request it sends."""

    def __init__(self, timeout: tuple[float, float], min_interval: float = 0.0, **kw: Any) -> None:
        super().__init__(**kw)
        self.timeout = timeout
        self.min_interval = min_interval
        self.sent = 0
        self._last = 0.0

    def send(self, request: requests.PreparedRequest, **kw: Any) -> requests.Response:  # type: ignore[override]
        if kw.get("timeout") is None:
            kw["timeout"] = self.timeout
        if self.min_interval > 0:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                _sleep(wait)
            self._last = time.monotonic()
        self.sent += 1
        return super().send(request, **kw)


def proxy_from_env(env: dict[str, str] | None = None) -> tuple[ProxyConfig | None, str]:
    """The proxy config from ``PIPELINE_YT_PROXY_HTTP(S)`` or ``PIPELINE_YT_WEBSHARE_*``,
    and a credential-free description of it for logs and provenance."""
    env = dict(os.environ) if env is None else env
    user, pw = env.get("PIPELINE_YT_WEBSHARE_USERNAME"), env.get("PIPELINE_YT_WEBSHARE_PASSWORD")
    if user and pw:
        return WebshareProxyConfig(proxy_username=user, proxy_password=pw), "webshare"
    http, https = env.get("PIPELINE_YT_PROXY_HTTP"), env.get("PIPELINE_YT_PROXY_HTTPS")
    if http or https:
        return GenericProxyConfig(http_url=http or None, https_url=https or None), "generic"
    return None, "none"


def make_session(opts: YouTubeSection) -> requests.Session:
    """A Session whose every request has a timeout (the library sets none). Mounted on
    ``https://www.youtube.com/`` too, so a proxy config that re-mounts ``https://``
    (Webshare) cannot remove the timeouts."""
    s = requests.Session()
    adapter = TimeoutAdapter((opts.connect_timeout, opts.read_timeout), opts.min_interval_seconds)
    for prefix in ("http://", "https://", "https://www.youtube.com/"):
        s.mount(prefix, adapter)
    return s


_CRED = re.compile(r"(?<=//)[^/@\s]+@")


def _redact(text: str) -> str:
    """Never let proxy credentials reach a log line or an error report."""
    return _CRED.sub("***@", text)


# -- failure classification -----------------------------------------------------------------


@dataclass
class Failure:
    """A permanent failure of one video (becomes one errored record)."""

    reason: str
    detail: str
    cacheable: bool = False


# permanent and stable: cached in raw/ so later harvests do not ask again
_CACHEABLE: dict[type[Exception], str] = {
    TranscriptsDisabled: "transcripts_disabled",
    VideoUnavailable: "video_unavailable",
    InvalidVideoId: "invalid_video_id",
    AgeRestricted: "age_restricted",
    VideoUnplayable: "video_unplayable",
}
# permanent for this attempt but may change with a library upgrade or later: not cached
_PERMANENT: dict[type[Exception], str] = {
    NoTranscriptFound: "no_transcript_found",
    PoTokenRequired: "po_token_required",
    YouTubeDataUnparsable: "youtube_data_unparsable",
    FailedToCreateConsentCookie: "consent_cookie_failed",
    NotTranslatable: "not_translatable",
    TranslationLanguageNotAvailable: "translation_language_not_available",
}


def _http_status(exc: YouTubeRequestFailed) -> int | None:
    ctx = exc.__context__
    if isinstance(ctx, requests.HTTPError) and ctx.response is not None:
        return int(ctx.response.status_code)
    m = re.match(r"^(\d{3}) ", str(getattr(exc, "reason", "")))
    return int(m.group(1)) if m else None


def _cause(exc: Exception) -> str:
    text = getattr(exc, "cause", "") or str(exc) or type(exc).__name__
    return _redact(" ".join(str(text).split()))[:400]


# -- the harvester --------------------------------------------------------------------------------


class Harvester:
    """Raw cache first, then the network (lazily: a fully cached shard opens no session)."""

    def __init__(self, opts: YouTubeSection, store: Store) -> None:
        self.opts = opts
        self.store = store
        self.breaker = Breaker(
            store, opts.name, opts.block_pause_seconds, opts.block_pause_max_seconds, _clock
        )
        self.retriever = _retriever()
        self.cache_hits = 0
        self._session: requests.Session | None = None
        self._api: YouTubeTranscriptApi | None = None
        self.proxy = "none"

    # network plumbing
    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = make_session(self.opts)
            proxy, self.proxy = proxy_from_env()
            if proxy is not None:
                log.info("youtube source %s: using a %s proxy", self.opts.name, self.proxy)
            self._api = YouTubeTranscriptApi(proxy_config=proxy, http_client=self._session)
        return self._session

    @property
    def api(self) -> YouTubeTranscriptApi:
        _ = self.session
        assert self._api is not None
        return self._api

    @property
    def requests_sent(self) -> int:
        if self._session is None:
            return 0
        adapter = self._session.get_adapter("https://www.youtube.com/")
        return int(getattr(adapter, "sent", 0))

    def _call(self, what: str, fn: Callable[[], Any], check_breaker: bool = True) -> Any:
        """Run one network operation with bounded retries; return its value or a Failure.
        Raises SourceBlocked (breaker open or tripped now) or SourceUnavailable (retries
        exhausted)."""
        if check_breaker:
            self.breaker.check()
        last = ""
        for attempt in range(self.opts.max_retries + 1):
            if attempt:
                _sleep(self.opts.retry_backoff_seconds * 2 ** (attempt - 1))
            try:
                value = fn()
            except RequestBlocked as exc:  # IpBlocked (HTTP 429, recaptcha) is a subclass
                raise self.breaker.trip(f"{type(exc).__name__} on {what}") from None
            except YouTubeRequestFailed as exc:
                status = _http_status(exc)
                if status is not None and status < 500 and status != 408:
                    return Failure(f"http_{status}", _cause(exc))
                last = f"HTTP {status or '?'}"
                continue
            except CouldNotRetrieveTranscript as exc:
                for cls, reason in _CACHEABLE.items():
                    if isinstance(exc, cls):
                        return Failure(reason, _cause(exc), cacheable=True)
                for cls, reason in _PERMANENT.items():
                    if isinstance(exc, cls):
                        return Failure(reason, _cause(exc))
                return Failure("youtube_error", f"{type(exc).__name__}: {_cause(exc)}")
            except DefusedXmlException as exc:  # entity tricks in a caption body
                return Failure("youtube_data_unparsable", f"{type(exc).__name__}: {exc}")
            except (requests.RequestException, ParseError) as exc:
                # timeouts, resets, bad JSON; an empty caption body is a ParseError
                last = f"{type(exc).__name__}: {_redact(str(exc))[:200]}"
                continue
            self.breaker.success()
            return value
        raise SourceUnavailable(
            f"youtube source {self.opts.name!r}: {what} failed {self.opts.max_retries + 1} "
            f"times ({last}); the shard will be retried"
        )

    # cache + network
    def _get_raw(self, key: str) -> tuple[dict[str, Any], bytes] | None:
        try:
            data = self.store.get(key)
        except KeyError:
            return None
        return json.loads(data), data

    def transcript(self, vid: str) -> tuple[dict[str, Any], str, bytes] | Failure:
        """The raw transcript doc of ``vid`` (with its key and stored bytes) or a Failure."""
        if not VIDEO_ID_RE.match(vid):
            return Failure("invalid_video_id", f"{vid!r} is not an 11-character video id")
        base = f"raw/youtube/v={vid}"
        tracks_key = f"{base}/tracks.json"
        cached = self._get_raw(tracks_key)
        refresh = cached is not None and "error" in cached[0] and self.opts.refresh_errors
        live = None
        if cached is None or refresh:
            live = self._call(f"listing tracks of {vid}", lambda: self.api.list(vid))
            if isinstance(live, Failure):
                if live.cacheable:
                    err = {"reason": live.reason, "detail": live.detail}
                    edoc = {**self._stamp(vid), "error": err}
                    if refresh:
                        self.store.put_json(tracks_key, edoc)
                    else:
                        self.store.put_json_if_absent(tracks_key, edoc)
                return live
            tracks = [
                {
                    "language_code": t.language_code,
                    "language": t.language,
                    "is_generated": bool(t.is_generated),
                    "is_translatable": bool(t.is_translatable),
                }
                for t in live
            ]
            tdoc = {**self._stamp(vid), "tracks": tracks}
            if refresh:  # replace the cached error
                self.store.put_json(tracks_key, tdoc)
                tracks_doc = tdoc
            else:
                tracks_doc = json.loads(put_raw(self.store, tracks_key, tdoc))
        else:
            self.cache_hits += 1
            tracks_doc = cached[0]
            if "error" in tracks_doc:
                e = tracks_doc["error"]
                when = tracks_doc["retrieved_at"]
                return Failure(e["reason"], f"{e['detail']} (cached from {when})")
        track = select_track(tracks_doc["tracks"], self.opts.languages, self.opts.allow_generated)
        if track is None:
            return Failure("no_transcript_found", _no_track_detail(tracks_doc["tracks"], self.opts))
        kind = "asr" if track["is_generated"] else "manual"
        key = f"{base}/{track['language_code']}.{kind}.json"
        got = self._get_raw(key)
        if got is not None:
            self.cache_hits += 1
            return got[0], key, got[1]
        if live is None:  # caption URLs expire: list again to get a fresh one
            live = self._call(f"listing tracks of {vid}", lambda: self.api.list(vid))
            if isinstance(live, Failure):
                return live
        chosen = next(
            (
                t
                for t in live
                if t.language_code == track["language_code"]
                and bool(t.is_generated) == track["is_generated"]
            ),
            None,
        )
        if chosen is None:
            return Failure(
                "no_transcript_found", f"track {track['language_code']} ({kind}) is gone"
            )
        fetched = self._call(f"fetching transcript of {vid}", chosen.fetch)
        if isinstance(fetched, Failure):
            return fetched
        doc = {
            **self._stamp(vid),
            "language_code": fetched.language_code,
            "language": fetched.language,
            "is_generated": bool(fetched.is_generated),
            "snippets": [
                {"text": s.text, "start": float(s.start), "duration": float(s.duration)}
                for s in fetched.snippets
            ],
        }
        data = put_raw(self.store, key, doc)
        return json.loads(data), key, data

    def _stamp(self, vid: str) -> dict[str, Any]:
        return {
            "video_id": vid,
            "retrieved_at": utc_iso(_clock()),
            "retriever": self.retriever,
            "proxy": self.proxy,
        }

    # feeds
    def feed(self, kind: str, list_id: str) -> list[dict[str, Any]] | Failure:
        """Videos of a channel (``channel_id``) or playlist (``playlist_id``) feed."""

        def get() -> requests.Response:
            r = self.session.get(FEED_URL, params={kind: list_id})
            if r.status_code == 429:
                raise RequestBlocked(f"{kind}={list_id}")
            if r.status_code >= 500:
                raise requests.ConnectionError(f"HTTP {r.status_code} from the feed")
            return r

        # feeds are not gated by the breaker: a plan must list even while transcripts pause
        resp = self._call(f"feed {kind}={list_id}", get, check_breaker=False)
        if isinstance(resp, Failure):
            return resp
        if resp.status_code != 200:
            reason = (
                "feed_not_found" if resp.status_code == 404 else f"feed_http_{resp.status_code}"
            )
            return Failure(reason, f"{kind}={list_id}: HTTP {resp.status_code}")
        body = resp.content
        digest = sha256_hex(body)
        self.store.put_if_absent(f"raw/youtube/feeds/{kind}={list_id}/{digest[:32]}.xml", body)
        try:
            return parse_feed(body)
        except (ParseError, DefusedXmlException) as exc:
            return Failure("feed_unparsable", f"{kind}={list_id}: {exc}")


def select_track(
    tracks: list[dict[str, Any]], languages: list[str], allow_generated: bool
) -> dict[str, Any] | None:
    """Like the library's find_transcript: per preferred language, manual before generated."""
    kinds = (False, True) if allow_generated else (False,)
    for lang in languages:
        for gen in kinds:
            for t in tracks:
                if t["language_code"] == lang and bool(t["is_generated"]) == gen:
                    return t
    return None


def _no_track_detail(tracks: list[dict[str, Any]], opts: YouTubeSection) -> str:
    have = ", ".join(
        f"{t['language_code']} ({'generated' if t['is_generated'] else 'manual'})" for t in tracks
    )
    gen = "" if opts.allow_generated else " (manual only)"
    return f"wanted {opts.languages}{gen}; available: {have or 'none'}"


def parse_feed(body: bytes) -> list[dict[str, Any]]:
    root = SafeET.fromstring(body)
    out = []
    for e in root.iter(f"{ATOM}entry"):
        vid = (e.findtext(f"{YT}videoId") or "").strip()
        if not vid:
            continue
        out.append(
            {
                "video_id": vid,
                "title": (e.findtext(f"{ATOM}title") or "").strip(),
                "published": (e.findtext(f"{ATOM}published") or "").strip(),
                "channel_id": (e.findtext(f"{YT}channelId") or "").strip(),
                "author": (e.findtext(f"{ATOM}author/{ATOM}name") or "").strip(),
            }
        )
    return out


# -- transcript -> training text ----------------------------------------------------------------

_SOUND_TAG = re.compile(r"\[[^\[\]\n]{0,40}\]")
_PAREN_TAG = re.compile(
    r"\((?:music|applause|laughter|laughs|laughing|inaudible|crosstalk|silence|cheering|"
    r"sighs?|coughs?|chuckles?)[^()]{0,20}\)",
    re.IGNORECASE,
)
_NOTES = re.compile(r"[♪♫♬][^♪♫♬]*[♪♫♬]|[♪♫♬]")
_MARKER = re.compile(r">>|^\s*[-–—]\s+", re.MULTILINE)
_WS = re.compile(r"\s+")


def clean_caption(text: str) -> str:
    t = _SOUND_TAG.sub(" ", text)
    t = _PAREN_TAG.sub(" ", t)
    return _NOTES.sub(" ", t)


def _pieces(snippets: list[dict[str, Any]]) -> Iterator[tuple[str, float, float, bool]]:
    """(text, start, end, starts_new_turn) per marker-delimited piece of every cue."""
    for i, s in enumerate(snippets):
        start = float(s["start"])
        end = start + float(s["duration"])
        if i + 1 < len(snippets):
            nxt = float(snippets[i + 1]["start"])
            if nxt > start:
                end = min(end, nxt)
        text = clean_caption(str(s["text"]))
        pos = 0
        marked = False
        for m in _MARKER.finditer(text):
            before = text[pos : m.start()]
            if before.strip():
                yield before, start, end, marked
            elif marked:
                yield "", start, end, True  # marker followed by another marker
            marked = True
            pos = m.end()
        rest = text[pos:]
        if rest.strip() or marked:
            yield rest, start, end, marked


def segment(
    snippets: list[dict[str, Any]], pause_seconds: float
) -> tuple[list[dict[str, Any]], str]:
    """Cues -> segments ``{text, start, end, speaker}`` and how they were found.

    Speaker changes come from caption markers (``>>``, a line starting with ``- ``):
    with two or more, segments are turns and ``speaker`` alternates 0/1 (captions mark a
    change, never who speaks). Without markers, a pause longer than ``pause_seconds``
    between cues starts a new paragraph and ``speaker`` is None.
    """
    pieces = list(_pieces(snippets))
    turns = sum(1 for p in pieces if p[3]) >= 2
    segs: list[dict[str, Any]] = []
    speaker = 0
    prev_end = None
    for text, start, end, new_turn in pieces:
        if turns:
            brk = new_turn and bool(segs)
            if new_turn and segs:
                speaker = 1 - speaker
        else:
            brk = prev_end is not None and start - prev_end > pause_seconds
        if not segs or brk:
            segs.append(
                {"parts": [], "start": start, "end": end, "speaker": speaker if turns else None}
            )
        segs[-1]["parts"].append(text)
        segs[-1]["end"] = max(segs[-1]["end"], end)
        prev_end = end
    out: list[dict[str, Any]] = []
    for s in segs:
        text = _WS.sub(" ", " ".join(s["parts"])).strip()
        if not text:
            continue
        if out and turns and out[-1]["speaker"] == s["speaker"]:  # an empty turn between
            out[-1]["text"] += " " + text
            out[-1]["end"] = s["end"]
            continue
        out.append({"text": text, "start": s["start"], "end": s["end"], "speaker": s["speaker"]})
    if not (turns and len(out) >= 2):  # one turn left: not a dialogue
        for s in out:
            s["speaker"] = None
        return out, "pause"
    if out[0]["speaker"] == 1:  # number speakers by first appearance
        for s in out:
            s["speaker"] = 1 - s["speaker"]
    return out, "caption_marker"


def build_record(
    opts: YouTubeSection,
    doc: dict[str, Any],
    raw_key: str,
    raw_bytes: bytes,
    facts: dict[str, Any],
) -> Record | None:
    """One record per video: ``messages`` when turns were found and ``speaker_roles`` maps
    them, else ``text`` (turns one per line, paragraphs separated by a blank line)."""
    vid = doc["video_id"]
    segs, how = segment(doc["snippets"], opts.pause_seconds)
    if not segs:
        return None
    license_id = normalize(opts.license) if opts.license else DEFAULT_LICENSE
    seg_meta: list[dict[str, Any]] = []
    text = None
    messages = None
    if how == "caption_marker" and opts.speaker_roles != "none":
        roles = (
            ("user", "assistant") if opts.speaker_roles == "user-first" else ("assistant", "user")
        )
        messages = [{"role": roles[s["speaker"] % 2], "content": s["text"]} for s in segs]
        seg_meta = [
            {"start": round(s["start"], 3), "end": round(s["end"], 3), "speaker": s["speaker"]}
            for s in segs
        ]
    else:
        sep = "\n" if how == "caption_marker" else "\n\n"
        pos = 0
        for s in segs:
            seg_meta.append(
                {
                    "start": round(s["start"], 3),
                    "end": round(s["end"], 3),
                    "speaker": s["speaker"],
                    "char_start": pos,
                    "char_end": pos + len(s["text"]),
                }
            )
            pos += len(s["text"]) + len(sep)
        text = sep.join(s["text"] for s in segs)
    meta = {
        "provenance": {
            "license_source": "config" if opts.license else "default: youtube-standard assumed",
            "retriever": doc.get("retriever"),
            "raw_key": raw_key,
            "raw_sha256": sha256_hex(raw_bytes),
            "listed_via": facts.get("via", []),
            "first_seen": facts.get("first_seen"),
            "proxy": doc.get("proxy", "none"),
        },
        "youtube": {
            "video_id": vid,
            "language_code": doc["language_code"],
            "language": doc["language"],
            "is_generated": doc["is_generated"],
            "title": facts.get("title") or None,
            "channel_id": facts.get("channel_id") or None,
            "published": facts.get("published") or None,
        },
        "speaker_source": how,
        "speaker_roles": opts.speaker_roles if messages is not None else "none",
        "segments": seg_meta,
        "transforms": TRANSFORMS,
    }
    kind = "asr" if doc["is_generated"] else "manual"
    return new_record(
        id=f"youtube:{vid}:{doc['language_code']}:{kind}",
        source=opts.name,
        text=text,
        messages=messages,
        source_id=vid,
        url=WATCH_URL.format(vid),
        license=license_id,
        retrieved_at=doc["retrieved_at"],
        group=vid,
        meta=json.dumps(meta, ensure_ascii=False, sort_keys=True),
    )


# -- the source kind ------------------------------------------------------------------------------


class YouTubeSource:
    """Transcripts of YouTube videos listed by id, channel feed or playlist feed."""

    type = "youtube"

    def validate(self, entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
        where = f"sources.{entry['name']}"
        o: YouTubeSection = parse_section(where, entry, YouTubeSection)
        o = dataclasses.replace(
            o,
            video_ids=_dedup(video_id_of(v) for v in o.video_ids),
            exclude_video_ids=_dedup(video_id_of(v) for v in o.exclude_video_ids),
        )
        if not (o.video_ids or o.channel_ids or o.playlist_ids):
            raise ConfigError(f"{where}: give video_ids, channel_ids and/or playlist_ids")
        for key, ids in (("channel_ids", o.channel_ids), ("playlist_ids", o.playlist_ids)):
            bad = [i for i in ids if not LIST_ID_RE.match(i)]
            if bad:
                raise ConfigError(f"{where}.{key}: not a channel/playlist id: {bad[0]!r}")
        if not o.languages or not all(re.fullmatch(r"[A-Za-z0-9-]{2,16}", x) for x in o.languages):
            raise ConfigError(f"{where}.languages: a non-empty list of language codes like 'en'")
        if o.speaker_roles not in ROLE_MODES:
            raise ConfigError(f"{where}.speaker_roles must be one of {', '.join(ROLE_MODES)}")
        if not (1 <= o.videos_per_shard <= 1000):
            raise ConfigError(f"{where}.videos_per_shard must be between 1 and 1000")
        if not (0 <= o.max_retries <= 10):
            raise ConfigError(f"{where}.max_retries must be between 0 and 10")
        for key in ("connect_timeout", "read_timeout"):
            if not (0 < getattr(o, key) <= 600):
                raise ConfigError(f"{where}.{key} must be in (0, 600] seconds")
        for key in ("pause_seconds", "retry_backoff_seconds", "min_interval_seconds"):
            if getattr(o, key) < 0:
                raise ConfigError(f"{where}.{key} must be >= 0")
        if not (1 <= o.block_pause_seconds <= o.block_pause_max_seconds):
            raise ConfigError(f"{where}: need 1 <= block_pause_seconds <= block_pause_max_seconds")
        if o.license and normalize(o.license) == "unknown" and o.license != "unknown":
            raise ConfigError(f"{where}.license {o.license!r} is not a licence id we know")
        return dataclasses.asdict(o)

    def plan(self, entry: dict[str, Any], run: Run) -> list[Shard]:
        opts = options(entry)
        store = run.store
        harvester = Harvester(opts, store)
        listed: dict[str, dict[str, Any]] = {}
        listings: set[str] = set()
        shards: list[Shard] = []
        for v in opts.video_ids:
            listed[v] = {"via": ["config"]}
        for kind, ids in (("channel_id", opts.channel_ids), ("playlist_id", opts.playlist_ids)):
            for list_id in ids:
                via = f"{kind}={list_id}"
                listings.add(via)
                got = harvester.feed(kind, list_id)
                if isinstance(got, Failure):
                    h = hashlib.sha256(via.encode()).hexdigest()[:10]
                    err = {"reason": got.reason, "detail": got.detail, "listing": via}
                    shards.append(Shard(f"feed-{h}", {"listing_error": err}))
                    continue
                for item in got:
                    vid = item.pop("video_id")
                    if vid in listed:  # in several feeds: remember every one
                        listed[vid]["via"] = sorted({*listed[vid]["via"], via})
                    else:
                        listed[vid] = {"via": [via], **item}
        seen = merge_seen(store, opts.name, listed, _clock())
        excluded = set(opts.exclude_video_ids)
        ids = [v for v in opts.video_ids if v not in excluded]
        rest = sorted(
            (
                (facts.get("first_seen", ""), vid)
                for vid, facts in seen.items()
                if vid not in excluded
                and vid not in ids
                and listings.intersection(facts.get("via", []))
            )
        )
        ids += [vid for _, vid in rest]
        per = opts.videos_per_shard
        for i in range(0, len(ids), per):
            batch = ids[i : i + per]
            h = hashlib.sha256("\0".join(batch).encode()).hexdigest()[:10]
            facts = {v: {k: seen.get(v, {}).get(k) for k in FACT_KEYS} for v in batch}
            shards.append(Shard(f"v{i // per:04d}-{h}", {"videos": batch, "facts": facts}))
        return shards

    def process(self, entry: dict[str, Any], ctx: ShardContext) -> None:
        opts = options(entry)
        spec = ctx.shard.spec
        led = ctx.ledger
        if "listing_error" in spec:
            err = spec["listing_error"]
            led.seen()
            led.error(err["reason"], err["detail"], {"listing": err["listing"]})
            return
        harvester = Harvester(opts, ctx.run.store)
        out = ctx.writer()
        try:
            for vid in spec["videos"]:
                ctx.check_cancel()
                led.seen()
                got = harvester.transcript(vid)
                ref = {"video_id": vid, "url": WATCH_URL.format(vid)}
                if isinstance(got, Failure):
                    led.error(got.reason, got.detail, ref)
                    continue
                doc, key, data = got
                rec = build_record(opts, doc, key, data, spec["facts"].get(vid) or {})
                if rec is None:
                    led.filter("empty_transcript")
                    continue
                out.write(rec)
                led.keep()
        finally:
            led.extra["http_requests"] += harvester.requests_sent
            led.extra["raw_cache_hits"] += harvester.cache_hits


def _dedup(items: Iterator[str] | list[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x and x not in out:
            out.append(x)
    return out
