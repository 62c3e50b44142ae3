"""What the literature sources (pubmed, europepmc, arxiv, openalex) share.

Harvest model
-------------
* **Plan** = the search/paging calls. Every listing page is persisted verbatim (in a JSON
  envelope with its retrieval time and redacted request URL) under
  ``raw/<type>/listing/<run>/<source>/<page>.json`` before it is parsed, and read back on a
  re-plan, so the plan of a run never changes and a re-plan makes no request. Items become
  shards of ``batch_size``; a shard's spec lists its items (key, ids, and for APIs whose
  search already returns the whole item, the listing page and index that hold it).
* **Process** = fetch what the listing did not carry (PubMed efetch XML, Europe PMC JATS
  full text) into ``raw/<type>/<kind>/<item>.json`` at the store root, shared by every run:
  an item already there is never fetched again. Then parse and write records.

Cross-source dedup (one copy of a paper per run)
------------------------------------------------
Every academic source of a run with ``cross_source_dedup = true`` sees the listings of all
the others at plan time (they are persisted per run, so each is requested once). Items that
share any normalised id (DOI lower-cased without ``https://doi.org/``, PMID, PMCID, arXiv id
without version, OpenAlex id) form one paper; exactly one item per paper is harvested,
chosen by :func:`preference` (best licence, then full text available, then text known to be
present, then source type europepmc > pubmed > arxiv > openalex, then source name and item
key). The other items are counted ``filtered: duplicate_across_sources`` (or
``duplicate_in_source``) by their own shard and never fetched. Every record's ``group`` is
the paper key (:func:`paper_key`), and :func:`academic_dedup_key` /
:func:`keep_preferred` apply the same rule to records, for dedup after the fact.
"""

from __future__ import annotations

import base64
import builtins
import dataclasses
import datetime as dt
import hashlib
import html.parser
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from xml.etree.ElementTree import Element

import requests

from pipeline import __version__
from pipeline.config import ConfigError, parse_section, source_entries
from pipeline.records import Record, new_record
from pipeline.runs import Run, Shard
from pipeline.sources.http import HttpClient, PermanentHttpError, redact_url
from pipeline.sources.licenses import normalize as normalize_licence
from pipeline.store import Store, validate_key

if TYPE_CHECKING:
    from pipeline.stages.base import ShardContext

log = logging.getLogger(__name__)

ACADEMIC_TYPES = ("europepmc", "pubmed", "arxiv", "openalex")  # also the source-type rank
ID_TYPES = ("doi", "pmid", "pmcid", "arxiv", "openalex")  # also the paper-key precedence
CHECK_EVERY = 50


# -- identifiers -------------------------------------------------------------------------------
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def norm_doi(v: Any) -> str | None:
    """``10.x/abc`` lower-cased, without ``https://doi.org/`` or ``doi:``; None if not a DOI."""
    if not v or not isinstance(v, str):
        return None
    d = _DOI_PREFIX.sub("", v.strip()).strip().lower()
    return d if d.startswith("10.") and "/" in d else None


def norm_pmid(v: Any) -> str | None:
    m = re.search(r"(\d+)/?\s*$", str(v)) if v else None
    return str(int(m.group(1))) if m and int(m.group(1)) > 0 else None


def norm_pmcid(v: Any) -> str | None:
    m = re.search(r"(?:PMC)?(\d+)/?\s*$", str(v), re.IGNORECASE) if v else None
    return f"PMC{int(m.group(1))}" if m and int(m.group(1)) > 0 else None


def norm_arxiv(v: Any) -> str | None:
    """arXiv id without URL and version: ``2401.00001`` or ``hep-th/9901001``."""
    if not v:
        return None
    s = re.sub(r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:)", "", str(v).strip(), flags=re.I)
    s = re.sub(r"v\d+$", "", s).lower()
    return s if re.match(r"^(\d{4}\.\d{4,5}|[a-z.-]+/\d{7})$", s) else None


def norm_openalex(v: Any) -> str | None:
    m = re.search(r"(W\d+)/?\s*$", str(v), re.IGNORECASE) if v else None
    return m.group(1).upper() if m else None


_NORMALISERS: dict[str, Callable[[Any], str | None]] = {
    "doi": norm_doi,
    "pmid": norm_pmid,
    "pmcid": norm_pmcid,
    "arxiv": norm_arxiv,
    "openalex": norm_openalex,
}


def norm_ids(raw: Mapping[str, Any]) -> dict[str, str]:
    """The known ids of ``raw`` normalised; unknown or unparseable ones are left out."""
    out = {}
    for t in ID_TYPES:
        v = _NORMALISERS[t](raw.get(t))
        if v:
            out[t] = v
    return out


def paper_key(ids: Mapping[str, str]) -> str | None:
    """``doi:...`` else ``pmid:...`` else ``pmcid:...`` else ``arxiv:...`` else ``openalex:...``."""
    for t in ID_TYPES:
        if ids.get(t):
            return f"{t}:{ids[t]}"
    return None


def key_part(s: str) -> str:
    """``s`` made safe as one store-key segment (ids such as ``hep-th/9901001``)."""
    out = re.sub(r"[^A-Za-z0-9._=@+-]", "_", s).lstrip(".-")
    return out[:200] or "_"


# -- licences --------------------------------------------------------------------------------------
PUBLISHER_COPYRIGHT = "publisher-copyright"


def licence_rank(lic: str | None) -> int:
    """0 public domain/CC0, 1 CC BY, 2 BY-SA, 3 BY-ND, 4 any NC, 5 other open, 6 not open.

    Only orders candidates for dedup; the record keeps the licence string as the source gave
    it (normalising it is the licences module's job)."""
    s = re.sub(r"[\s_]+", "-", (lic or "").strip().lower())
    s = s.removeprefix("https://").removeprefix("http://").removeprefix("creativecommons.org/")
    if not s or s in (PUBLISHER_COPYRIGHT, "arxiv-nonexclusive", "unknown", "none"):
        return 6
    if s.startswith(("cc0", "public-domain", "pd", "publicdomain")):
        return 0
    s = s.replace("licenses/", "cc-").replace("cc-cc-", "cc-")
    if "nc" in s.split("-") or "-nc" in s:
        return 4
    if s.startswith(("cc-by-sa", "ccbysa")):
        return 2
    if s.startswith(("cc-by-nd", "ccbynd")):
        return 3
    if s.startswith(("cc-by", "ccby")):
        return 1
    if s in ("other-oa", "mit", "apache-2-0", "gpl-v2", "gpl-v3", "isc", "open-access"):
        return 5
    return 6


# -- text helpers --------------------------------------------------------------------------------
_WS = re.compile(r"\s+")


def clean_ws(s: str | None) -> str:
    return _WS.sub(" ", s or "").strip()


_EMPTY_BRACKETS = re.compile(r"\s*[\[(]\s*(?:[,;\u2013\u2014-]\s*)*[\])]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")


def tidy(s: str) -> str:
    """Whitespace collapsed; brackets left empty by dropped citations removed."""
    s = clean_ws(s)
    s = _EMPTY_BRACKETS.sub("", s)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", s).strip()


class _HtmlText(html.parser.HTMLParser):
    BLOCK: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr"}
    )
    HEADINGS: ClassVar[frozenset[str]] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HEADINGS:
            self.parts.append(": ")
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(s: str | None) -> str:
    """Text of an HTML fragment (Europe PMC titles/abstracts): tags dropped, entities
    decoded, ``<h4>Background</h4>...`` turned into ``Background: ...`` paragraphs."""
    if not s:
        return ""
    p = _HtmlText()
    p.feed(s)
    p.close()
    paras = [clean_ws(x) for x in "".join(p.parts).split("\n\n")]
    out: list[str] = []
    for x in paras:
        if not x or x == ":":
            continue
        if out and out[-1].endswith(":") and not x.endswith(":"):
            out[-1] = f"{out[-1]} {x}"
        else:
            out.append(x)
    return "\n\n".join(out)


def local(tag: Any) -> str:
    """An element tag without its ``{namespace}``."""
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def itertext(el: Element | None) -> str:
    return clean_ws("".join(el.itertext())) if el is not None else ""


def sha256_hex(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def canonical_json_sha(obj: Any) -> str:
    canon = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256_hex(canon.encode())


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- raw payloads ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Raw:
    """One raw payload in the store: the exact bytes the API sent, and where/when from."""

    key: str
    body: bytes
    sha256: str
    retrieved_at: str
    status: int
    url: str  # redacted
    fetched: bool  # True if this call made the request, False if read from the store

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def raw_envelope(body: bytes, *, status: int, url: str, retrieved_at: str) -> dict[str, Any]:
    try:
        text, encoding = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(body).decode("ascii"), "base64"
    return {
        "retrieved_at": retrieved_at,
        "url": redact_url(url),
        "status": status,
        "sha256": sha256_hex(body),
        "bytes": len(body),
        "encoding": encoding,
        "body": text,
        "retriever": f"unified-ai-dataset-pipeline/{__version__}",
    }


def raw_get(store: Store, key: str) -> Raw | None:
    env = store.get_json_or_none(key)
    if env is None:
        return None
    body = env["body"].encode() if env["encoding"] == "utf-8" else base64.b64decode(env["body"])
    return Raw(key, body, env["sha256"], env["retrieved_at"], env["status"], env["url"], False)


def raw_put(store: Store, key: str, body: bytes, *, status: int, url: str) -> Raw:
    """Persist a payload (first writer wins) and return what the store holds."""
    validate_key(key)
    store.put_json_if_absent(
        key, raw_envelope(body, status=status, url=url, retrieved_at=now_iso())
    )
    got = raw_get(store, key)
    assert got is not None
    return dataclasses.replace(got, fetched=True)


def raw_fetch(
    store: Store,
    key: str,
    fetch: Callable[[], requests.Response],
    accept: Callable[[bytes], bool] | None = None,
) -> Raw:
    """The payload at ``key``; if absent, ``fetch()`` it and persist it before anyone parses
    it. ``accept(body)`` False means "do not persist" (e.g. an empty page worth retrying):
    the unpersisted payload is returned with ``key`` empty."""
    have = raw_get(store, key)
    if have is not None:
        return have
    resp = fetch()
    body = resp.content
    if accept is not None and not accept(body):
        return Raw(
            "", body, sha256_hex(body), now_iso(), resp.status_code, redact_url(resp.url), True
        )
    return raw_put(store, key, body, status=resp.status_code, url=resp.url)


def listing_key(type_: str, run: Run, source: str, page: str) -> str:
    return validate_key(f"raw/{type_}/listing/{run.id}/{key_part(source)}/{page}.json")


# -- options -------------------------------------------------------------------------------
@dataclass(frozen=True)
class AcademicOptions:
    """Options every literature source has. 0 means "the kind's default" where noted."""

    type: str = ""
    name: str = ""
    query: str = ""
    base_url: str = ""  # "" = the real endpoint
    max_items: int = 0  # 0 = every hit
    page_size: int = 0  # listing page size; 0 = kind default
    batch_size: int = 0  # items per shard; 0 = kind default
    requests_per_second: float = 0.0  # 0 = kind default (the API's published limit)
    timeout_connect_s: float = 10.0
    timeout_read_s: float = 60.0
    retries: int = 4
    backoff_s: float = 1.0
    cross_source_dedup: bool = True


@dataclass
class Listed:
    """One item of a listing."""

    key: str  # unique within the source (PMID, MED:123, 2401.00001v2, W123)
    ids: dict[str, str]  # normalised ids
    match: list[str] = field(default_factory=list)  # extra "type:value" ids for matching
    page: str | None = None  # listing page holding the whole item (None: fetched later)
    index: int | None = None
    licence: str | None = None
    fulltext: bool = False
    has_text: bool | None = None  # None = unknown (PubMed before efetch)

    def match_keys(self) -> list[str]:
        return sorted({f"{t}:{v}" for t, v in self.ids.items()} | set(self.match))


def preference(
    source_type: str, source_name: str, key: str, licence: str | None,
    fulltext: bool, has_text: bool | None,
) -> tuple[int, int, int, int, str, str]:  # fmt: skip
    """Sort key of a candidate copy of a paper: lowest wins (see the module docstring)."""
    rank = ACADEMIC_TYPES.index(source_type) if source_type in ACADEMIC_TYPES else 9
    return (
        licence_rank(licence),
        0 if fulltext else 1,
        1 if has_text is False else 0,
        rank,
        source_name,
        key,
    )


def academic_dedup_key(record: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """(paper key, preference) of a literature record: records with the same paper key are
    copies of one paper; the copy with the smallest preference is the one to keep."""
    meta = json.loads(record.get("meta") or "{}")
    pk = meta.get("paper_key") or record.get("group") or f"record:{record['id']}"
    return str(pk), tuple(meta.get("preference") or (9, 9, 9, 9, record["source"], record["id"]))


def keep_preferred(records: Iterable[Record]) -> tuple[list[Record], list[Record]]:
    """Split ``records`` into (kept, dropped): per paper key, every record of the preferred
    copy (one paper's abstract and sections come from one source item) is kept. The result
    does not depend on the input order."""
    recs = list(records)
    best: dict[str, tuple[Any, ...]] = {}
    for r in recs:
        pk, pref = academic_dedup_key(r)
        if pk not in best or pref < best[pk]:
            best[pk] = pref
    kept: list[Record] = []
    dropped: list[Record] = []
    for r in recs:
        pk, pref = academic_dedup_key(r)
        (kept if pref == best[pk] else dropped).append(r)
    return kept, dropped


# -- the base kind ---------------------------------------------------------------------------
_listing_cache: dict[tuple[str, str, str], list[Listed]] = {}
_listing_lock = threading.Lock()


class AcademicSource:
    """Base of the four literature kinds. Subclasses set the class attributes and implement
    :meth:`list_items` and :meth:`harvest`."""

    type: str = ""
    options_cls: builtins.type[AcademicOptions] = AcademicOptions
    default_base_url = ""
    default_page_size = 100
    max_page_size = 1000
    default_batch_size = 100
    default_rps = 1.0
    max_rps = 10.0
    version = "1"

    # -- config ---------------------------------------------------------------------------
    def validate(self, entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
        where = f"sources.{entry['name']}"
        opts = parse_section(where, entry, self.options_cls)
        fill: dict[str, Any] = {}
        if not opts.base_url:
            fill["base_url"] = self.default_base_url
        if not opts.page_size:
            fill["page_size"] = self.default_page_size
        if not opts.batch_size:
            fill["batch_size"] = self.default_batch_size
        opts = dataclasses.replace(opts, **fill)
        if not opts.query.strip():
            raise ConfigError(f"{where}.query: give a search query")
        if not re.match(r"^https?://[^\s/]+", opts.base_url):
            raise ConfigError(f"{where}.base_url must be an http(s) URL, got {opts.base_url!r}")
        if not (1 <= opts.page_size <= self.max_page_size):
            raise ConfigError(f"{where}.page_size must be between 1 and {self.max_page_size}")
        if not (1 <= opts.batch_size <= 10_000):
            raise ConfigError(f"{where}.batch_size must be between 1 and 10000")
        if opts.max_items < 0:
            raise ConfigError(f"{where}.max_items must be >= 0 (0 = no limit)")
        if not (0 <= opts.requests_per_second <= self.max_rps):
            raise ConfigError(
                f"{where}.requests_per_second must be between 0 (default) and "
                f"{self.max_rps:g}, the API's published limit"
            )
        if opts.timeout_connect_s <= 0 or opts.timeout_read_s <= 0:
            raise ConfigError(f"{where}: timeouts must be > 0")
        if not (0 <= opts.retries <= 20) or opts.backoff_s < 0:
            raise ConfigError(f"{where}: retries must be 0..20 and backoff_s >= 0")
        self.check(opts, where)
        return dataclasses.asdict(opts)

    def check(self, opts: Any, where: str) -> None:
        """Kind-specific validation (raise ConfigError)."""

    def options(self, entry: Mapping[str, Any]) -> Any:
        names = {f.name for f in dataclasses.fields(self.options_cls)}
        return self.options_cls(**{k: v for k, v in entry.items() if k in names})

    # -- HTTP -----------------------------------------------------------------------------
    def rps(self, opts: Any) -> float:
        return float(opts.requests_per_second or self.default_rps)

    def secrets(self, opts: Any) -> list[str]:
        return []

    def client(self, entry: Mapping[str, Any]) -> HttpClient:
        opts = self.options(entry)
        return HttpClient(
            min_interval=1.0 / self.rps(opts),
            timeout=(opts.timeout_connect_s, opts.timeout_read_s),
            retries=opts.retries,
            backoff=opts.backoff_s,
            secrets=self.secrets(opts),
        )

    def url(self, entry: Mapping[str, Any], path: str) -> str:
        return str(entry["base_url"]).rstrip("/") + "/" + path.lstrip("/")

    # -- listing --------------------------------------------------------------------------
    def list_items(self, entry: dict[str, Any], run: Run, client: HttpClient) -> list[Listed]:
        raise NotImplementedError

    def listing(self, entry: dict[str, Any], run: Run) -> list[Listed]:
        """This source's listing for ``run`` (requested once; then read from the store)."""
        ck = (run.store.url, run.id, entry["name"])
        with _listing_lock:
            if ck in _listing_cache:
                return _listing_cache[ck]
        client = self.client(entry)
        try:
            items = _unique(self.list_items(entry, run, client))
        finally:
            client.close()
        opts = self.options(entry)
        if opts.max_items:
            items = items[: opts.max_items]
        with _listing_lock:
            if len(_listing_cache) >= 16:
                _listing_cache.clear()
            _listing_cache[ck] = items
        return items

    # -- plan -----------------------------------------------------------------------------
    def plan(self, entry: dict[str, Any], run: Run) -> list[Shard]:
        items = self.listing(entry, run)
        dups, clusters = _cross_source(entry, run) if entry.get("cross_source_dedup") else ({}, {})
        rows = []
        for it in items:
            row: dict[str, Any] = {"key": it.key, "ids": it.ids}
            if it.page is not None:
                row["page"], row["index"] = it.page, it.index
            node = (entry["name"], it.key)
            if node in clusters:
                row["paper_ids"] = clusters[node]
            if node in dups:
                row["duplicate_of"] = dups[node]
            rows.append(row)
        size = int(entry["batch_size"])
        shards = []
        for n, i in enumerate(range(0, len(rows), size)):
            batch = rows[i : i + size]
            h = sha256_hex("\0".join(r["key"] for r in batch).encode())[:10]
            shards.append(Shard(f"b{n:05d}-{h}", {"items": batch}))
        return shards

    # -- process ---------------------------------------------------------------------------
    def process(self, entry: dict[str, Any], ctx: ShardContext) -> None:
        led = ctx.ledger
        ctx.writer()  # every shard has an output, even when nothing is kept
        todo = []
        for row in ctx.shard.spec["items"]:
            dup = row.get("duplicate_of")
            if dup:
                led.seen()
                same = dup.split(":", 1)[0] == entry["name"]
                led.filter("duplicate_in_source" if same else "duplicate_across_sources")
            else:
                todo.append(row)
        if todo:
            client = self.client(entry)
            try:
                self.harvest(entry, ctx, todo, client)
            finally:
                client.close()
                led.extra["http_requests"] += client.requests_made

    def harvest(
        self, entry: dict[str, Any], ctx: ShardContext, rows: list[dict[str, Any]],
        client: HttpClient,
    ) -> None:  # fmt: skip
        raise NotImplementedError

    # -- records ---------------------------------------------------------------------------
    def emit(
        self,
        entry: Mapping[str, Any],
        ctx: ShardContext,
        row: Mapping[str, Any],
        item: Paper,
    ) -> None:
        """Write the records of one item (abstract + sections) and count them."""
        led = ctx.ledger
        parts = item.parts()
        if not parts:
            led.seen()
            led.filter("no_text")
            return
        ids = {**item.ids}
        cluster = row.get("paper_ids")
        pk = paper_key(cluster) if cluster else paper_key(ids)
        pk = pk or f"{self.type}:{item.key}"
        # the plan ranked this copy on listing hints; records carry the rank of what the
        # harvest actually got (for dedup after the fact, e.g. across runs)
        pref = list(
            preference(self.type, entry["name"], item.key, item.licence, bool(item.sections), True)
        )
        licence = normalize_licence(item.licence)  # one id per licence in manifests/cards
        provenance = {
            "source": entry["name"],
            "source_type": self.type,
            "source_id": item.source_id,
            "url": item.url,
            "license": licence,
            "license_raw": item.licence if item.licence != licence else None,
            "license_source": item.licence_source,
            "license_url": item.licence_url,
            "license_statement": item.licence_statement,
            "retrieved_at": item.raw.retrieved_at,
            "retriever": f"unified-ai-dataset-pipeline/{__version__} {self.type}/{self.version}",
            "raw_key": item.raw.key,
            "raw_sha256": item.raw.sha256,
            "item_sha256": item.item_sha256,
            "request_url": item.raw.url,
        }
        if item.fulltext_raw is not None:
            provenance["fulltext_raw_key"] = item.fulltext_raw.key
            provenance["fulltext_raw_sha256"] = item.fulltext_raw.sha256
            provenance["fulltext_retrieved_at"] = item.fulltext_raw.retrieved_at
        base_meta = {
            "provenance": {k: v for k, v in provenance.items() if v is not None},
            "ids": ids,
            "paper_key": pk,
            "preference": pref,
            "title": item.title,
            **{k: v for k, v in item.meta.items() if v not in (None, "", [], {})},
        }
        out = ctx.writer()
        for i, (section, text) in enumerate(parts):
            suffix = "abstract" if section == "abstract" else f"s{i:03d}"
            meta = {**base_meta, "section": section, "section_index": i, "n_sections": len(parts)}
            rec = new_record(
                id=f"{entry['name']}:{item.key}:{suffix}",
                source=entry["name"],
                text=text,
                source_id=item.source_id,
                url=item.url,
                license=licence,
                retrieved_at=item.raw.retrieved_at,
                group=pk,
                meta=json.dumps(meta, ensure_ascii=False, sort_keys=True),
            )
            led.seen()
            out.write(rec)
            led.keep()


@dataclass
class Paper:
    """One parsed item, ready to become records."""

    key: str
    source_id: str
    url: str | None
    ids: dict[str, str]
    title: str
    abstract: str
    licence: str
    licence_source: str
    raw: Raw
    licence_url: str | None = None
    licence_statement: str | None = None
    item_sha256: str | None = None
    sections: list[tuple[str, str]] = field(default_factory=list)
    fulltext_raw: Raw | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def parts(self) -> list[tuple[str, str]]:
        """(section name, text): the abstract (with the title) first, then full-text
        sections; nothing when there is neither an abstract nor a section."""
        out = []
        if self.abstract:
            out.append(
                ("abstract", f"{self.title}\n\n{self.abstract}" if self.title else self.abstract)
            )
        out.extend((name, f"{name}\n\n{body}" if name else body) for name, body in self.sections)
        return out


def _unique(items: list[Listed]) -> list[Listed]:
    seen: set[str] = set()
    out = []
    for it in items:
        if it.key not in seen:
            seen.add(it.key)
            out.append(it)
    return out


def _cross_source(
    entry: dict[str, Any], run: Run
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], dict[str, str]]]:
    """For every item of the run's dedup-enabled academic sources: the winner it duplicates
    (``{(source, key): "winner-source:key"}``) and, for items in a multi-item paper, the
    merged ids of that paper."""
    from pipeline.sources import get_kind

    nodes: list[tuple[str, str]] = []
    info: dict[tuple[str, str], tuple[Listed, tuple[Any, ...]]] = {}
    for e in source_entries(run.config):
        if e["type"] not in ACADEMIC_TYPES or not e.get("cross_source_dedup"):
            continue
        kind = get_kind(e["type"])
        assert isinstance(kind, AcademicSource)
        for it in kind.listing(e, run):
            node = (e["name"], it.key)
            nodes.append(node)
            pref = preference(e["type"], e["name"], it.key, it.licence, it.fulltext, it.has_text)
            info[node] = (it, pref)
    parent = {n: n for n in nodes}

    def find(n: tuple[str, str]) -> tuple[str, str]:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    owner: dict[str, tuple[str, str]] = {}
    for n in nodes:
        for mk in info[n][0].match_keys():
            if mk in owner:
                a, b = find(owner[mk]), find(n)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[mk] = n
    members: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for n in nodes:
        members.setdefault(find(n), []).append(n)
    dups: dict[tuple[str, str], str] = {}
    clusters: dict[tuple[str, str], dict[str, str]] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        win = min(group, key=lambda n: info[n][1])
        merged: dict[str, str] = {}
        for t in ID_TYPES:
            vals = sorted({info[n][0].ids[t] for n in group if t in info[n][0].ids})
            if vals:
                merged[t] = vals[0]
        for n in group:
            clusters[n] = merged
            if n != win:
                dups[n] = f"{win[0]}:{win[1]}"
    return dups, clusters


def error_rows(
    ctx: ShardContext, rows: Iterable[Mapping[str, Any]], exc: PermanentHttpError | str,
    detail: str = "",
) -> None:  # fmt: skip
    """Count each of ``rows`` as one errored item."""
    reason = exc.reason if isinstance(exc, PermanentHttpError) else exc
    text = str(exc) if isinstance(exc, PermanentHttpError) else detail
    for r in rows:
        ctx.ledger.seen()
        ctx.ledger.error(reason, text, {"item": r["key"]})


def page_cache(store: Store) -> Callable[[str], Raw]:
    """A per-shard reader of listing pages (each read once)."""
    cache: dict[str, Raw] = {}

    def get(key: str) -> Raw:
        if key not in cache:
            raw = raw_get(store, key)
            if raw is None:
                raise FileNotFoundError(
                    f"listing page {key} is missing from the store; the run's plan needs it"
                )
            cache[key] = raw
        return cache[key]

    return get
