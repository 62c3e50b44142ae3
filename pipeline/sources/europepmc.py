"""Europe PMC REST (``type = "europepmc"``): abstracts and open-access JATS full text.

Plan: ``/search?resultType=core&format=json`` paged with ``cursorMark`` (start ``*``, then
each page's ``nextCursorMark`` until it repeats, is missing or a page is empty). ``core``
results already hold the abstract and the ``license``, so the persisted listing pages are
the items' raw payload. Process: for open-access items with a PMCID, ``/{PMCID}/fullTextXML``
(JATS) persisted at ``raw/europepmc/fulltext/<PMCID>.json`` (a 404 - not open access - is
persisted too, so it is never asked again), split into one record per top-level section
(title + paragraphs). References, back matter, formulas, citation markers and
acknowledgement/funding/conflict/contribution sections are dropped; figure and table
captions are kept only with ``captions = true``.

Licence: the item's ``license`` field (e.g. ``cc by``; source ``europepmc:license``), else
the JATS ``<license>`` of the full text (``jats:license``), else ``publisher-copyright``
(``europepmc-default``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET

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
    html_to_text,
    key_part,
    listing_key,
    local,
    norm_ids,
    page_cache,
    raw_fetch,
    tidy,
)
from pipeline.sources.http import HttpClient, PermanentHttpError

if TYPE_CHECKING:
    from pipeline.stages.base import ShardContext

XLINK = "{http://www.w3.org/1999/xlink}"
ALI = "{http://www.niso.org/schemas/ali/1.0/}"

# elements whose text never goes into a paragraph (their tail still does)
SKIP = frozenset(
    {"fig", "table-wrap", "disp-formula", "inline-formula", "math", "tex-math", "ref-list",
     "fn", "fn-group", "supplementary-material", "media", "graphic", "inline-graphic",
     "alternatives", "table", "label", "object-id"}
)  # fmt: skip
BOILERPLATE = re.compile(
    r"^\s*(?:\d+[.)]?\s*)?(?:acknowledg|funding|financial (?:support|disclosure)|conflicts? of"
    r"|competing interests?|declaration of (?:competing|interest)|disclosure|author(?:s'|s’|'s)?"
    r" contributions?|contributors|ethics (?:statement|approval)|data (?:availability|sharing)"
    r"|availability of data|abbreviations|supplementary|supporting information|references"
    r"|bibliography|consent for publication|publisher'?s note)",
    re.IGNORECASE,
)
BOILERPLATE_TYPES = frozenset(
    {"supplementary-material", "COI-statement", "funding-information", "data-availability",
     "author-contributions", "ethics-statement", "acknowledgment", "abbreviations"}
)  # fmt: skip


@dataclass(frozen=True)
class EuropePmcOptions(AcademicOptions):
    fulltext: bool = True  # fetch JATS full text of open-access items
    captions: bool = False  # keep figure/table captions as paragraphs
    synonym: bool = False  # Europe PMC's synonym expansion of the query


class EuropePmcSource(AcademicSource):
    type = "europepmc"
    options_cls = EuropePmcOptions
    default_base_url = "https://www.ebi.ac.uk/europepmc/webservices/rest"
    default_page_size = 500
    max_page_size = 1000
    default_batch_size = 50
    default_rps = 5.0  # no published limit; be conservative
    max_rps = 10.0

    # -- listing ----------------------------------------------------------------------------
    def list_items(self, entry: dict[str, Any], run: Run, client: HttpClient) -> list[Listed]:
        opts = self.options(entry)
        url = self.url(entry, "search")
        out: list[Listed] = []
        cursor, n = "*", 0
        while True:
            params = {
                "query": opts.query,
                "format": "json",
                "resultType": "core",
                "pageSize": opts.page_size,
                "cursorMark": cursor,
                "synonym": "true" if opts.synonym else "false",
            }
            key = listing_key(self.type, run, entry["name"], f"search-{n:05d}")
            raw = raw_fetch(run.store, key, partial(client.get, url, params))
            data = raw.json()
            if "errCode" in data or "resultList" not in data:
                msg = data.get("errMsg") or "no resultList in the response"
                raise PermanentHttpError(f"Europe PMC search error: {msg}", url=raw.url)
            results = data["resultList"].get("result") or []
            for i, r in enumerate(results):
                out.append(_listed(r, key, i))
            nxt = data.get("nextCursorMark")
            hits = int(data.get("hitCount") or 0)
            n += 1
            if (
                not results
                or not nxt
                or nxt == cursor
                or (opts.max_items and len(out) >= opts.max_items)
                or (hits and len(out) >= hits)
            ):
                return out
            cursor = nxt

    # -- harvest ---------------------------------------------------------------------------
    def harvest(
        self, entry: dict[str, Any], ctx: ShardContext, rows: list[dict[str, Any]],
        client: HttpClient,
    ) -> None:  # fmt: skip
        opts = self.options(entry)
        pages = page_cache(ctx.run.store)
        for n, row in enumerate(rows):
            if n % CHECK_EVERY == 0:
                ctx.check_cancel()
            page = pages(row["page"])
            item = page.json()["resultList"]["result"][row["index"]]
            paper = parse_core(item, page)
            pmcid = paper.ids.get("pmcid")
            if opts.fulltext and pmcid and _open_access(item):
                url = self.url(entry, f"{pmcid}/fullTextXML")
                key = f"raw/europepmc/fulltext/{key_part(pmcid)}.json"
                try:
                    fetch = partial(client.get, url, ok_statuses=(404,))
                    ft = raw_fetch(ctx.run.store, key, fetch)
                except PermanentHttpError as exc:  # the abstract stands; the full text errs
                    error_rows(ctx, [row], exc)
                    paper.meta["fulltext"] = f"error {exc.reason}"
                else:
                    if ft.status == 404:
                        paper.meta["fulltext"] = "not available (404)"
                        ctx.ledger.extra["fulltext_404"] += 1
                    else:
                        try:
                            add_fulltext(paper, ft, captions=opts.captions)
                        except (ParseError, ValueError) as exc:
                            error_rows(ctx, [row], "invalid_jats", f"{type(exc).__name__}: {exc}")
            self.emit(entry, ctx, row, paper)


def _open_access(item: dict[str, Any]) -> bool:
    return item.get("isOpenAccess") == "Y" or (
        item.get("inEPMC") == "Y" and bool(item.get("license"))
    )


def _listed(r: dict[str, Any], page: str, index: int) -> Listed:
    src, rid = str(r.get("source") or "X"), str(r.get("id") or "")
    ids = norm_ids({"doi": r.get("doi"), "pmid": r.get("pmid"), "pmcid": r.get("pmcid")})
    return Listed(
        key=f"{src}:{rid}",
        ids=ids,
        match=[f"europepmc:{src}:{rid}"],
        page=page,
        index=index,
        licence=r.get("license") or None,
        fulltext=bool(ids.get("pmcid")) and _open_access(r),
        has_text=bool(r.get("abstractText")),
    )


def parse_core(item: dict[str, Any], page: Raw) -> Paper:
    """A Paper from one ``resultType=core`` search result."""
    src, rid = str(item.get("source") or "X"), str(item.get("id") or "")
    ids = norm_ids({"doi": item.get("doi"), "pmid": item.get("pmid"), "pmcid": item.get("pmcid")})
    lic = item.get("license")
    journal = (item.get("journalInfo") or {}).get("journal") or {}
    return Paper(
        key=f"{src}:{rid}",
        source_id=ids.get("pmcid") or ids.get("pmid") or f"{src}:{rid}",
        url=f"https://europepmc.org/article/{src}/{rid}",
        ids=ids,
        title=html_to_text(item.get("title")).replace("\n\n", " "),
        abstract=html_to_text(item.get("abstractText")),
        licence=lic or PUBLISHER_COPYRIGHT,
        licence_source="europepmc:license" if lic else "europepmc-default",
        raw=page,
        item_sha256=canonical_json_sha(item),
        meta={
            "europepmc_id": f"{src}:{rid}",
            "journal": journal.get("title") or item.get("journalTitle"),
            "published": item.get("firstPublicationDate") or item.get("pubYear"),
            "language": item.get("language"),
            "authors": [clean_ws(a) for a in str(item.get("authorString") or "").split(",")][:50]
            if item.get("authorString")
            else None,
            "is_open_access": item.get("isOpenAccess"),
            "pub_types": ((item.get("pubTypeList") or {}).get("pubType")) or None,
        },
    )


# -- JATS ---------------------------------------------------------------------------------------
def _text(el: Element) -> str:
    """Inline text of ``el`` without skipped elements and citation markers."""
    parts: list[str] = []

    def walk(e: Element) -> None:
        if e.text:
            parts.append(e.text)
        for c in e:
            tag = local(c.tag)
            skip = tag in SKIP or (tag == "xref" and c.get("ref-type") in ("bibr", "fn"))
            if not skip:
                walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(el)
    return tidy("".join(parts))


def _caption(el: Element) -> str:
    label = clean_ws("".join(el.findtext("label") or ""))
    cap = el.find("caption")
    text = (
        " ".join(_text(x) for x in cap if local(x.tag) in ("title", "p")) if cap is not None else ""
    )
    return tidy(f"{label}. {text}" if label and text else text)


def _paragraphs(sec: Element, captions: bool, depth: int = 0) -> list[str]:
    out: list[str] = []
    for c in sec:
        tag = local(c.tag)
        if tag in ("title", "label", "ref-list", "sec-meta"):
            continue
        if tag == "sec":
            t_el = c.find("title")
            title = _text(t_el) if t_el is not None else ""
            if title and BOILERPLATE.match(title):
                continue
            sub = _paragraphs(c, captions, depth + 1)
            if sub:
                out.extend(([title] if title else []) + sub)
        elif tag in ("fig", "table-wrap", "fig-group", "table-wrap-group"):
            if captions:
                cap = _caption(c)
                if cap:
                    out.append(cap)
        elif tag in ("list", "def-list", "boxed-text", "disp-quote", "list-item", "def-item"):
            out.extend(_paragraphs(c, captions, depth + 1))
        elif tag in ("p", "term", "def"):
            t = _text(c)  # a list inside a paragraph stays inline, in order
            if t:
                out.append(t)
    return out


def jats_licence(root: Element) -> tuple[str | None, str | None, str | None]:
    """(licence URL, licence type, licence statement) from ``article-meta/permissions``."""
    lic = root.find(".//article-meta/permissions/license")
    if lic is None:
        return None, None, None
    href = lic.get(f"{XLINK}href")
    ref = lic.find(f"{ALI}license_ref")
    if ref is not None and (ref.text or "").strip():
        href = href or (ref.text or "").strip()
    statement = " ".join(_text(p) for p in lic.findall("license-p")) or None
    return href, lic.get("license-type"), statement


def parse_jats(body: bytes, captions: bool = False) -> dict[str, Any]:
    """Sections (title, text) of a JATS article's body, its abstract and licence."""
    root = SafeET.fromstring(body, forbid_dtd=False)
    if local(root.tag) != "article":
        raise ValueError(f"not a JATS article: <{local(root.tag)}>")
    sections: list[tuple[str, str]] = []
    dropped: list[str] = []
    body_el = root.find("body")
    if body_el is not None:
        loose: list[str] = []
        for c in body_el:
            tag = local(c.tag)
            if tag == "sec":
                t = c.find("title")
                title = _text(t) if t is not None else ""
                if (title and BOILERPLATE.match(title)) or c.get("sec-type") in BOILERPLATE_TYPES:
                    dropped.append(title or str(c.get("sec-type")))
                    continue
                paras = _paragraphs(c, captions)
                if paras:
                    sections.append((title, "\n\n".join(paras)))
            elif tag == "p":
                para = _text(c)
                if para:
                    loose.append(para)
            elif tag in ("fig", "table-wrap") and captions:
                cap = _caption(c)
                if cap:
                    loose.append(cap)
        if loose:
            sections.insert(0, ("", "\n\n".join(loose)))
    abstract_el = root.find(".//article-meta/abstract")
    abstract = ""
    if abstract_el is not None:
        abstract = "\n\n".join(_paragraphs(abstract_el, False))
    href, ltype, statement = jats_licence(root)
    return {
        "sections": sections,
        "abstract": abstract,
        "licence_url": href,
        "licence_type": ltype,
        "licence_statement": statement,
        "dropped_sections": dropped,
        "has_back": root.find("back") is not None,
    }


def add_fulltext(paper: Paper, ft: Raw, captions: bool) -> None:
    """Add the JATS sections of ``ft`` to ``paper`` (abstract and licence where missing)."""
    parsed = parse_jats(ft.body, captions=captions)
    paper.sections = parsed["sections"]
    paper.fulltext_raw = ft
    if not paper.abstract and parsed["abstract"]:
        paper.abstract = parsed["abstract"]
    if parsed["licence_url"] or parsed["licence_type"]:
        paper.licence_url = parsed["licence_url"]
        if paper.licence_source == "europepmc-default":
            paper.licence = parsed["licence_url"] or parsed["licence_type"]
            paper.licence_source = "jats:license"
    if parsed["licence_statement"]:
        paper.licence_statement = parsed["licence_statement"]
    paper.meta["fulltext"] = f"{len(parsed['sections'])} sections"
    if parsed["dropped_sections"]:
        paper.meta["dropped_sections"] = parsed["dropped_sections"]


__all__ = ["EuropePmcSource", "add_fulltext", "parse_core", "parse_jats"]
