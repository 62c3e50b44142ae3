"""OpenAlex works (``type = "openalex"``): abstracts rebuilt from the inverted index.

Plan: ``/works?search=...&filter=...&per-page=...&cursor=*`` then each page's
``meta.next_cursor`` until it is null or a page is empty. The results are whole work
objects, so the persisted listing pages are the raw payload and process() makes no request.
OpenAlex wants an API key since 2026-02-13 (``api_key`` parameter; read from
``$PIPELINE_OPENALEX_API_KEY``, never from the config); ``mailto`` is sent when given.

OpenAlex ships abstracts only as ``abstract_inverted_index`` ({word: [positions]}); the text
is rebuilt by sorting (position, word) pairs. Licence: ``best_oa_location.license`` (source
``openalex:best_oa_location``), else ``primary_location.license``
(``openalex:primary_location``), else ``publisher-copyright`` (``openalex-default``): a
rebuilt abstract keeps its publisher's copyright; OpenAlex's CC0 covers only its metadata.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from pipeline.config import ConfigError
from pipeline.runs import Run
from pipeline.sources.academic import (
    CHECK_EVERY,
    PUBLISHER_COPYRIGHT,
    AcademicOptions,
    AcademicSource,
    Listed,
    Paper,
    Raw,
    canonical_json_sha,
    clean_ws,
    error_rows,
    listing_key,
    norm_ids,
    page_cache,
    raw_fetch,
)
from pipeline.sources.http import HttpClient, PermanentHttpError

if TYPE_CHECKING:
    from pipeline.stages.base import ShardContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenAlexOptions(AcademicOptions):
    filter: str = ""  # OpenAlex filter, e.g. "type:article,open_access.is_oa:true"
    mailto: str = ""  # "" = $PIPELINE_OPENALEX_MAILTO
    api_key_env: str = "PIPELINE_OPENALEX_API_KEY"


def rebuild_abstract(index: Any) -> str:
    """The text of an ``abstract_inverted_index``: words placed at their positions (a word
    at several positions appears at each; pairs are sorted, so collisions are kept)."""
    if not isinstance(index, dict) or not index:
        return ""
    pairs: list[tuple[int, str]] = []
    for word, positions in index.items():
        if isinstance(positions, list):
            pairs.extend((int(p), str(word)) for p in positions if isinstance(p, int))
    pairs.sort()
    return clean_ws(" ".join(w for _, w in pairs))


class OpenAlexSource(AcademicSource):
    type = "openalex"
    options_cls = OpenAlexOptions
    default_base_url = "https://api.openalex.org"
    default_page_size = 200
    max_page_size = 200
    default_batch_size = 200
    default_rps = 10.0
    max_rps = 100.0

    def check(self, opts: Any, where: str) -> None:
        if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", opts.api_key_env):
            raise ConfigError(f"{where}.api_key_env must be an environment variable name")

    def validate(self, entry: dict[str, Any], base_dir: Any) -> dict[str, Any]:
        if "api_key" in entry:
            raise ConfigError(
                f"sources.{entry['name']}.api_key: do not put the key in the config (it is "
                "frozen into the run in the store); set PIPELINE_OPENALEX_API_KEY (or the "
                "variable named by api_key_env) in the workers' environment"
            )
        return super().validate(entry, base_dir)

    def api_key(self, opts: Any) -> str | None:
        return os.environ.get(opts.api_key_env) or None

    def secrets(self, opts: Any) -> list[str]:
        key = self.api_key(opts)
        return [key] if key else []

    def list_items(self, entry: dict[str, Any], run: Run, client: HttpClient) -> list[Listed]:
        opts = self.options(entry)
        url = self.url(entry, "works")
        out: list[Listed] = []
        cursor, n = "*", 0
        while True:
            params: dict[str, Any] = {"search": opts.query, "per-page": opts.page_size}
            if opts.filter:
                params["filter"] = opts.filter
            params["cursor"] = cursor
            mailto = opts.mailto or os.environ.get("PIPELINE_OPENALEX_MAILTO", "")
            if mailto:
                params["mailto"] = mailto
            key = self.api_key(opts)
            if key:
                params["api_key"] = key
            page_key = listing_key(self.type, run, entry["name"], f"works-{n:05d}")
            raw = raw_fetch(run.store, page_key, partial(client.get, url, params))
            data = raw.json()
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                msg = data.get("error") or data.get("message") if isinstance(data, dict) else ""
                raise PermanentHttpError(f"OpenAlex error: {msg or 'no results'}", url=raw.url)
            results = data["results"]
            for i, w in enumerate(results):
                if not isinstance(w, dict) or not norm_ids({"openalex": w.get("id")}):
                    log.warning("OpenAlex result %d of %s has no work id; skipped", i, page_key)
                    continue
                out.append(_listed(w, page_key, i))
            nxt = (data.get("meta") or {}).get("next_cursor")
            n += 1
            if not results or not nxt or (opts.max_items and len(out) >= opts.max_items):
                return out
            cursor = nxt

    def harvest(
        self, entry: dict[str, Any], ctx: ShardContext, rows: list[dict[str, Any]],
        client: HttpClient,
    ) -> None:  # fmt: skip
        pages = page_cache(ctx.run.store)
        for n, row in enumerate(rows):
            if n % CHECK_EVERY == 0:
                ctx.check_cancel()
            page = pages(row["page"])
            work = page.json()["results"][row["index"]]
            try:
                paper = parse_work(work, page)
            except (ValueError, TypeError, KeyError) as exc:
                error_rows(ctx, [row], "invalid_work", f"{type(exc).__name__}: {exc}")
                continue
            self.emit(entry, ctx, row, paper)


def _work_ids(w: dict[str, Any]) -> dict[str, str]:
    ids = w.get("ids") or {}
    return norm_ids(
        {
            "openalex": w.get("id"),
            "doi": w.get("doi") or ids.get("doi"),
            "pmid": ids.get("pmid"),
            "pmcid": ids.get("pmcid"),
        }
    )


def work_licence(w: dict[str, Any]) -> tuple[str, str, str | None]:
    """(licence, where it came from, landing page URL of that location)."""
    for field in ("best_oa_location", "primary_location"):
        loc = w.get(field) or {}
        if loc.get("license"):
            return str(loc["license"]), f"openalex:{field}", loc.get("landing_page_url")
    return PUBLISHER_COPYRIGHT, "openalex-default", None


def _listed(w: dict[str, Any], page: str, index: int) -> Listed:
    ids = _work_ids(w)
    lic, _src, _url = work_licence(w)
    return Listed(
        key=ids["openalex"],
        ids=ids,
        page=page,
        index=index,
        licence=lic,
        has_text=bool(w.get("abstract_inverted_index")),
    )


def parse_work(w: dict[str, Any], page: Raw) -> Paper:
    ids = _work_ids(w)
    wid = ids["openalex"]
    lic, lic_src, lic_url = work_licence(w)
    authors = [
        clean_ws(((a.get("author") or {}).get("display_name")) or "")
        for a in (w.get("authorships") or [])
    ]
    oa = w.get("open_access") or {}
    source = ((w.get("primary_location") or {}).get("source")) or {}
    return Paper(
        key=wid,
        source_id=wid,
        url=f"https://openalex.org/{wid}",
        ids=ids,
        title=clean_ws(w.get("title") or w.get("display_name")),
        abstract=rebuild_abstract(w.get("abstract_inverted_index")),
        licence=lic,
        licence_source=lic_src,
        licence_url=lic_url,
        raw=page,
        item_sha256=canonical_json_sha(w),
        meta={
            "published": w.get("publication_date") or w.get("publication_year"),
            "language": w.get("language"),
            "type": w.get("type"),
            "journal": source.get("display_name"),
            "authors": [a for a in authors if a][:50],
            "is_oa": oa.get("is_oa"),
            "oa_status": oa.get("oa_status"),
        },
    )
