"""arXiv Atom API (``type = "arxiv"``): titles and abstracts of e-prints.

Plan: ``/api/query?search_query=...&start=...&max_results=...`` pages (Atom 1.0 with
``opensearch:totalResults``) until ``start`` reaches the total or ``max_items``. A page can
come back empty before the total is reached (a known arXiv API hiccup): such a page is not
persisted and is asked again up to ``empty_page_retries`` times. The entries of the persisted
pages are the raw payload, so process() makes no request. arXiv asks for at most one request
every 3 seconds: the default ``requests_per_second`` is 1/3 and more is refused.

Licence: the Atom API carries no licence except on some feeds (a ``<link rel="license">`` or
``<arxiv:license>``), recorded as ``arxiv:atom``. Otherwise the e-print is taken to be under
arXiv's non-exclusive distribution licence (no redistribution): ``arxiv-nonexclusive`` with
source ``arxiv-default``. (arXiv metadata itself is CC0; OAI-PMH gives per-paper licences.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import ElementTree as SafeET

from pipeline.config import ConfigError
from pipeline.runs import Run
from pipeline.sources.academic import (
    CHECK_EVERY,
    AcademicOptions,
    AcademicSource,
    Listed,
    Paper,
    Raw,
    clean_ws,
    error_rows,
    listing_key,
    norm_arxiv,
    norm_ids,
    page_cache,
    raw_fetch,
    raw_put,
    sha256_hex,
)
from pipeline.sources.http import HttpClient, PermanentHttpError

if TYPE_CHECKING:
    from pipeline.stages.base import ShardContext

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
NONEXCLUSIVE = "arxiv-nonexclusive"
DATACITE_PREFIX = "10.48550/arxiv."


@dataclass(frozen=True)
class ArxivOptions(AcademicOptions):
    sort_by: str = "submittedDate"  # relevance | lastUpdatedDate | submittedDate
    sort_order: str = "descending"
    empty_page_retries: int = 2


class ArxivSource(AcademicSource):
    type = "arxiv"
    options_cls = ArxivOptions
    default_base_url = "https://export.arxiv.org/api"
    default_page_size = 200
    max_page_size = 2000
    default_batch_size = 200
    default_rps = 1.0 / 3.0
    max_rps = 1.0 / 3.0

    def check(self, opts: Any, where: str) -> None:
        if opts.sort_by not in ("relevance", "lastUpdatedDate", "submittedDate"):
            raise ConfigError(
                f"{where}.sort_by must be relevance, lastUpdatedDate or submittedDate"
            )
        if opts.sort_order not in ("ascending", "descending"):
            raise ConfigError(f"{where}.sort_order must be ascending or descending")
        if not (0 <= opts.empty_page_retries <= 10):
            raise ConfigError(f"{where}.empty_page_retries must be 0..10")

    def list_items(self, entry: dict[str, Any], run: Run, client: HttpClient) -> list[Listed]:
        opts = self.options(entry)
        url = self.url(entry, "query")
        out: list[Listed] = []
        start = 0
        while True:
            size = opts.page_size
            if opts.max_items:
                size = min(size, opts.max_items - len(out))
            params = {
                "search_query": opts.query,
                "start": start,
                "max_results": size,
                "sortBy": opts.sort_by,
                "sortOrder": opts.sort_order,
            }
            key = listing_key(self.type, run, entry["name"], f"query-{start:07d}")
            fetch = partial(client.get, url, params)
            raw = raw_fetch(run.store, key, fetch, accept=partial(_complete, start=start))
            for _ in range(opts.empty_page_retries):
                if raw.key:
                    break
                raw = raw_fetch(run.store, key, fetch, accept=partial(_complete, start=start))
            if not raw.key:  # still empty: keep it, so the plan stays what it is
                raw = raw_put(run.store, key, raw.body, status=raw.status, url=raw.url)
            total, entries = parse_feed(raw.body)
            for i, e in enumerate(entries):
                out.append(_listed(e, key, i))
            start += len(entries)
            if not entries or start >= total or (opts.max_items and len(out) >= opts.max_items):
                return out

    def harvest(
        self, entry: dict[str, Any], ctx: ShardContext, rows: list[dict[str, Any]],
        client: HttpClient,
    ) -> None:  # fmt: skip
        pages = page_cache(ctx.run.store)
        parsed: dict[str, list[Element]] = {}
        for n, row in enumerate(rows):
            if n % CHECK_EVERY == 0:
                ctx.check_cancel()
            page = pages(row["page"])
            if page.key not in parsed:
                parsed[page.key] = parse_feed(page.body)[1]
            try:
                paper = parse_entry(parsed[page.key][row["index"]], page)
            except ValueError as exc:
                error_rows(ctx, [row], "invalid_entry", str(exc))
                continue
            self.emit(entry, ctx, row, paper)


def _complete(body: bytes, start: int) -> bool:
    """False for an empty page that should not be empty (worth asking again)."""
    try:
        total, entries = parse_feed(body)
    except (PermanentHttpError, ParseError):
        return True  # persisted, then reported by parse_feed on the caller's side
    return bool(entries) or start >= total


def parse_feed(body: bytes) -> tuple[int, list[Element]]:
    """(opensearch:totalResults, entries) of an Atom page; an arXiv error feed raises."""
    root = SafeET.fromstring(body)
    entries = root.findall(f"{ATOM}entry")
    for e in entries:
        eid = e.findtext(f"{ATOM}id") or ""
        if "/api/errors" in eid:
            msg = clean_ws(e.findtext(f"{ATOM}summary")) or "error"
            raise PermanentHttpError(f"arXiv API error: {msg}", url=eid, status=400)
    total = int((root.findtext(f"{OPENSEARCH}totalResults") or "0").strip() or 0)
    return total, entries


def _arxiv_id(e: Element) -> str:
    eid = (e.findtext(f"{ATOM}id") or "").strip()
    m = re.search(r"arxiv\.org/abs/(.+)$", eid)
    if not m:
        raise ValueError(f"entry id {eid!r} is not an arXiv abs URL")
    return m.group(1)


def _ids(e: Element) -> tuple[dict[str, str], list[str]]:
    """Normalised ids, and extra match keys (arXiv's own DataCite DOI)."""
    aid = norm_arxiv(_arxiv_id(e))
    journal_doi = (e.findtext(f"{ARXIV}doi") or "").strip()
    datacite = f"{DATACITE_PREFIX}{aid}" if aid else None
    ids = norm_ids({"arxiv": aid, "doi": journal_doi or datacite})
    extra = [f"doi:{datacite}"] if datacite else []
    return ids, extra


def _licence(e: Element) -> str | None:
    for link in e.findall(f"{ATOM}link"):
        if link.get("rel") == "license" and link.get("href"):
            return link.get("href")
    lic = (e.findtext(f"{ARXIV}license") or "").strip()
    return lic or None


def _listed(e: Element, page: str, index: int) -> Listed:
    ids, extra = _ids(e)
    return Listed(
        key=_arxiv_id(e).replace("/", "_"),
        ids=ids,
        match=extra,
        page=page,
        index=index,
        licence=_licence(e) or NONEXCLUSIVE,
        has_text=bool(clean_ws(e.findtext(f"{ATOM}summary"))),
    )


def _paragraphs(s: str | None) -> str:
    """An abstract's line-wrapped text: blank lines separate paragraphs."""
    paras = re.split(r"\n\s*\n", (s or "").strip())
    return "\n\n".join(p for p in (clean_ws(x) for x in paras) if p)


def parse_entry(e: Element, page: Raw) -> Paper:
    arxiv_id = _arxiv_id(e)
    ids, _extra = _ids(e)
    lic = _licence(e)
    cats = [c.get("term") for c in e.findall(f"{ATOM}category") if c.get("term")]
    primary = e.find(f"{ARXIV}primary_category")
    return Paper(
        key=arxiv_id.replace("/", "_"),
        source_id=arxiv_id,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        ids=ids,
        title=clean_ws(e.findtext(f"{ATOM}title")),
        abstract=_paragraphs(e.findtext(f"{ATOM}summary")),
        licence=lic or NONEXCLUSIVE,
        licence_source="arxiv:atom" if lic else "arxiv-default",
        raw=page,
        item_sha256=sha256_hex(tostring(e)),
        meta={
            "authors": [clean_ws(a.findtext(f"{ATOM}name")) for a in e.findall(f"{ATOM}author")][
                :50
            ],
            "published": (e.findtext(f"{ATOM}published") or "").strip() or None,
            "updated": (e.findtext(f"{ATOM}updated") or "").strip() or None,
            "journal_ref": clean_ws(e.findtext(f"{ARXIV}journal_ref")) or None,
            "comment": clean_ws(e.findtext(f"{ARXIV}comment")) or None,
            "primary_category": primary.get("term") if primary is not None else None,
            "categories": cats,
        },
    )
