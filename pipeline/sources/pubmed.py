"""PubMed through NCBI E-utilities (``type = "pubmed"``).

Plan: ESearch (JSON, ``usehistory=y``) lists PMIDs page by page (``retstart``/``retmax``,
later pages reuse the first page's ``WebEnv``/``query_key``). ESearch only reaches the
first 9,999 hits of a query, so a query with more hits is split by publication date: the
date range is halved recursively until every part has at most ``max_per_query`` hits.
Process: EFetch XML for the shard's PMIDs not yet in the store; the response is cut into
one ``<PubmedArticle>`` per PMID (a byte-exact slice, no parsing) and each is persisted at
``raw/pubmed/pmid/<pmid>.json`` before it is parsed, so no run fetches a PMID twice.

Licence: PubMed abstracts are the publishers' copyright (NLM says so) and PubMed has no
machine-readable licence, so records say ``publisher-copyright`` with licence source
``pubmed-default``; the free-text ``CopyrightInformation`` is kept as the licence statement.
A paper that Europe PMC lists with an open licence wins the cross-source dedup.

Rate: 3 requests/s without an API key, 10 with one (``PIPELINE_NCBI_API_KEY``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET

from pipeline.config import ConfigError
from pipeline.runs import Run
from pipeline.sources.academic import (
    PUBLISHER_COPYRIGHT,
    AcademicOptions,
    AcademicSource,
    Listed,
    Paper,
    Raw,
    error_rows,
    itertext,
    listing_key,
    norm_doi,
    norm_ids,
    raw_fetch,
    raw_get,
    raw_put,
)
from pipeline.sources.http import HttpClient, PermanentHttpError

if TYPE_CHECKING:
    from pipeline.stages.base import ShardContext

log = logging.getLogger(__name__)

ESEARCH_CAP = 9999
POST_ABOVE = 200  # NCBI: use POST for more than ~200 ids


@dataclass(frozen=True)
class PubMedOptions(AcademicOptions):
    mindate: str = ""  # YYYY, YYYY/MM or YYYY/MM/DD; with maxdate
    maxdate: str = ""
    datetype: str = "pdat"  # pdat (publication), edat (Entrez), mdat (modification)
    sort: str = ""  # "" = E-utilities default; or relevance, pub_date, ...
    tool: str = "unified-ai-dataset-pipeline"
    email: str = ""  # "" = $PIPELINE_NCBI_EMAIL
    api_key_env: str = "PIPELINE_NCBI_API_KEY"
    max_per_query: int = ESEARCH_CAP
    split_mindate: str = "1800/01/01"  # lower bound when a query without dates is split


def parse_date(s: str, end: bool = False) -> dt.date:
    """``YYYY``, ``YYYY/MM`` or ``YYYY/MM/DD`` (``-`` also accepted); ``end`` = last day."""
    m = re.fullmatch(r"(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?", s.strip())
    if not m:
        raise ValueError(f"not a date: {s!r} (use YYYY, YYYY/MM or YYYY/MM/DD)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
    if d is None:
        first = dt.date(y, int(mo), 1)
        if not end:
            return first
        nxt = dt.date(y + (first.month == 12), first.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(y, int(mo), int(d))


def _ncbi(d: dt.date) -> str:
    return d.strftime("%Y/%m/%d")


class PubMedSource(AcademicSource):
    type = "pubmed"
    options_cls = PubMedOptions
    default_base_url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    default_page_size = 1000
    max_page_size = 10_000
    default_batch_size = 200
    max_rps = 10.0

    def check(self, opts: Any, where: str) -> None:
        if bool(opts.mindate) != bool(opts.maxdate):
            raise ConfigError(f"{where}: give both mindate and maxdate, or neither")
        for k in ("mindate", "maxdate", "split_mindate"):
            v = getattr(opts, k)
            if v:
                try:
                    parse_date(v)
                except ValueError as exc:
                    raise ConfigError(f"{where}.{k}: {exc}") from None
        if opts.mindate and parse_date(opts.mindate) > parse_date(opts.maxdate, end=True):
            raise ConfigError(f"{where}: mindate is after maxdate")
        if opts.datetype not in ("pdat", "edat", "mdat"):
            raise ConfigError(f"{where}.datetype must be pdat, edat or mdat")
        if not (1 <= opts.max_per_query <= ESEARCH_CAP):
            raise ConfigError(f"{where}.max_per_query must be between 1 and {ESEARCH_CAP}")
        if opts.batch_size > 500:
            raise ConfigError(f"{where}.batch_size must be at most 500 PMIDs per EFetch")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", opts.tool):
            raise ConfigError(f"{where}.tool: letters, digits, _ . - only (no spaces)")
        if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", opts.api_key_env):
            raise ConfigError(f"{where}.api_key_env must be an environment variable name")

    def validate(self, entry: dict[str, Any], base_dir: Any) -> dict[str, Any]:
        if "api_key" in entry:
            raise ConfigError(
                f"sources.{entry['name']}.api_key: do not put the key in the config (it is "
                "frozen into the run in the store); set PIPELINE_NCBI_API_KEY (or the variable "
                "named by api_key_env) in the workers' environment"
            )
        return super().validate(entry, base_dir)

    # -- HTTP -----------------------------------------------------------------------------
    def api_key(self, opts: Any) -> str | None:
        return os.environ.get(opts.api_key_env) or None

    def rps(self, opts: Any) -> float:
        if opts.requests_per_second:
            return float(opts.requests_per_second)
        return 10.0 if self.api_key(opts) else 3.0

    def secrets(self, opts: Any) -> list[str]:
        key = self.api_key(opts)
        return [key] if key else []

    def common_params(self, opts: Any) -> dict[str, str]:
        p = {"db": "pubmed", "tool": opts.tool}
        email = opts.email or os.environ.get("PIPELINE_NCBI_EMAIL", "")
        if email:
            p["email"] = email
        key = self.api_key(opts)
        if key:
            p["api_key"] = key
        return p

    # -- listing ----------------------------------------------------------------------------
    def list_items(self, entry: dict[str, Any], run: Run, client: HttpClient) -> list[Listed]:
        opts = self.options(entry)
        lo = parse_date(opts.mindate) if opts.mindate else None
        hi = parse_date(opts.maxdate, end=True) if opts.maxdate else None
        pmids: list[str] = []
        self._collect(entry, run, client, opts, lo, hi, pmids)
        return [
            Listed(key=p, ids={"pmid": p}, licence=PUBLISHER_COPYRIGHT, has_text=None)
            for p in pmids
        ]

    def _esearch(
        self, entry: dict[str, Any], run: Run, client: HttpClient, opts: Any,
        lo: dt.date | None, hi: dt.date | None, retstart: int, retmax: int,
        history: tuple[str, str] | None,
    ) -> dict[str, Any]:  # fmt: skip
        tag = f"{lo:%Y%m%d}-{hi:%Y%m%d}" if lo and hi else "all"
        key = listing_key(self.type, run, entry["name"], f"esearch-{tag}-{retstart:07d}")
        params: dict[str, Any] = {
            **self.common_params(opts),
            "term": opts.query,
            "retmode": "json",
            "retstart": retstart,
            "retmax": retmax,
            "usehistory": "y",
        }
        if lo and hi:
            params.update(datetype=opts.datetype, mindate=_ncbi(lo), maxdate=_ncbi(hi))
        if opts.sort:
            params["sort"] = opts.sort
        if history:
            params["WebEnv"], params["query_key"] = history
        url = self.url(entry, "esearch.fcgi")
        raw = raw_fetch(run.store, key, lambda: client.get(url, params))
        res = raw.json().get("esearchresult")
        if not isinstance(res, dict) or "ERROR" in res or "count" not in res:
            err = res.get("ERROR") if isinstance(res, dict) else raw.text()[:200]
            raise PermanentHttpError(f"ESearch error for {opts.query!r}: {err}", url=raw.url)
        return res

    def _collect(
        self, entry: dict[str, Any], run: Run, client: HttpClient, opts: Any,
        lo: dt.date | None, hi: dt.date | None, out: list[str],
    ) -> None:  # fmt: skip
        want = opts.max_items or None
        if want and len(out) >= want:
            return
        cap = opts.max_per_query
        first = self._esearch(entry, run, client, opts, lo, hi, 0, min(opts.page_size, cap), None)
        count = int(first["count"])
        if count > cap:
            if lo is None or hi is None:
                lo, hi = parse_date(opts.split_mindate), _run_date(run)
                self._collect(entry, run, client, opts, lo, hi, out)
                return
            if lo < hi:
                mid = lo + (hi - lo) // 2
                log.info("%d hits for %s..%s > %d: splitting the date range", count, lo, hi, cap)
                self._collect(entry, run, client, opts, lo, mid, out)
                self._collect(entry, run, client, opts, mid + dt.timedelta(days=1), hi, out)
                return
            log.warning(
                "%d hits on the single day %s exceed the ESearch cap; only the first %d are "
                "harvested (narrow the query)", count, lo, cap,
            )  # fmt: skip
            count = cap
        history = (str(first.get("webenv", "")), str(first.get("querykey", "")))
        ids = [str(i) for i in first.get("idlist", [])]
        retstart = len(ids)
        while ids and retstart < min(count, cap) and not (want and len(out) + len(ids) >= want):
            retmax = min(opts.page_size, cap - retstart)
            page = self._esearch(entry, run, client, opts, lo, hi, retstart, retmax, history)
            more = [str(i) for i in page.get("idlist", [])]
            if not more:
                break
            ids.extend(more)
            retstart += len(more)
        out.extend(ids)

    # -- harvest ---------------------------------------------------------------------------
    def harvest(
        self, entry: dict[str, Any], ctx: ShardContext, rows: list[dict[str, Any]],
        client: HttpClient,
    ) -> None:  # fmt: skip
        store = ctx.run.store
        opts = self.options(entry)
        have: dict[str, Raw | None] = {r["key"]: raw_get(store, _item_key(r["key"])) for r in rows}
        missing = [p for p, raw in have.items() if raw is None]
        failed: set[str] = set()
        if missing:
            ctx.check_cancel()
            params = {**self.common_params(opts), "id": ",".join(missing), "retmode": "xml"}
            url = self.url(entry, "efetch.fcgi")
            try:
                if len(missing) > POST_ABOVE:
                    resp = client.request("POST", url, data=params)
                else:
                    resp = client.get(url, params)
            except PermanentHttpError as exc:
                error_rows(ctx, [r for r in rows if r["key"] in missing], exc)
                failed = set(missing)
            else:
                got = split_efetch(resp.content)
                for pmid in missing:  # an absent PMID (deleted, bad id) is remembered as 404
                    frag, status = (got[pmid], resp.status_code) if pmid in got else (b"", 404)
                    have[pmid] = raw_put(store, _item_key(pmid), frag, status=status, url=resp.url)
        for row in rows:
            pmid = row["key"]
            if pmid in failed:
                continue
            raw = have.get(pmid)
            if raw is None or raw.status == 404:
                detail = f"EFetch returned no PMID {pmid} (delete {_item_key(pmid)} to ask again)"
                error_rows(ctx, [row], "not_in_efetch_response", detail)
                continue
            try:
                paper = parse_article(raw)
            except (ParseError, ValueError) as exc:
                error_rows(ctx, [row], "invalid_xml", f"{type(exc).__name__}: {exc}")
                continue
            self.emit(entry, ctx, row, paper)


def _item_key(pmid: str) -> str:
    return f"raw/pubmed/pmid/{int(pmid)}.json"


def _run_date(run: Run) -> dt.date:
    """The run's creation date: the default upper bound of a date split (stable per run)."""
    meta = run.store.get_json_or_none(run.key("run.json")) or {}
    created = str(meta.get("created_at") or "")
    try:
        return dt.date.fromisoformat(created[:10])
    except ValueError:
        return dt.datetime.now(dt.UTC).date()


_ARTICLE_RE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)\b[^>]*>.*?</\1\s*>", re.DOTALL)
_PMID_RE = re.compile(rb"<PMID\b[^>]*>\s*(\d+)\s*</PMID>")


def split_efetch(body: bytes) -> dict[str, bytes]:
    """``{pmid: the exact bytes of its <PubmedArticle>}``, cut lexically (no parsing): the
    first ``<PMID>`` of an article is its own (later ones are in CommentsCorrections)."""
    out: dict[str, bytes] = {}
    for m in _ARTICLE_RE.finditer(body):
        frag = m.group(0)
        pm = _PMID_RE.search(frag)
        if pm:
            out.setdefault(pm.group(1).decode(), frag)
    return out


def _date(el: Element | None) -> str | None:
    if el is None:
        return None
    medline = el.findtext("MedlineDate")
    if medline:
        return medline.strip()
    parts = [el.findtext(k) for k in ("Year", "Month", "Day")]
    return "-".join(p.strip() for p in parts if p) or None


def parse_article(raw: Raw) -> Paper:
    """A Paper from one persisted ``<PubmedArticle>`` (or ``<PubmedBookArticle>``)."""
    root = SafeET.fromstring(raw.body)
    citation = root.find("MedlineCitation")
    if citation is None:
        citation = root.find("BookDocument")
    if citation is None:
        raise ValueError(f"no MedlineCitation/BookDocument in <{root.tag}>")
    pmid = (citation.findtext("PMID") or "").strip()
    if not pmid.isdigit():
        raise ValueError("article without a PMID")
    article = citation.find("Article")
    holder = article if article is not None else citation
    title = itertext(holder.find("ArticleTitle")) or itertext(citation.find("Book/BookTitle"))
    paragraphs = []
    abstract = holder.find("Abstract")
    for at in holder.findall("Abstract/AbstractText"):
        text = itertext(at)
        label = (at.get("Label") or "").strip()
        if text:
            paragraphs.append(f"{label.capitalize()}: {text}" if label else text)
    statement = itertext(abstract.find("CopyrightInformation")) if abstract is not None else ""
    ids: dict[str, Any] = {"pmid": pmid}
    for aid in root.findall("PubmedData/ArticleIdList/ArticleId"):
        t, v = aid.get("IdType"), (aid.text or "").strip()
        if t == "doi":
            ids.setdefault("doi", v)
        elif t == "pmc":
            ids.setdefault("pmcid", v)
    for el in holder.findall("ELocationID"):
        if el.get("EIdType") == "doi" and norm_doi(el.text):
            ids.setdefault("doi", (el.text or "").strip())
    authors = []
    for a in holder.findall("AuthorList/Author"):
        name = " ".join(x for x in (a.findtext("ForeName"), a.findtext("LastName")) if x)
        name = name or (a.findtext("CollectiveName") or "")
        if name.strip():
            authors.append(name.strip())
    journal = holder.find("Journal")
    meta = {
        "journal": itertext(journal.find("Title")) if journal is not None else None,
        "published": _date(holder.find("Journal/JournalIssue/PubDate"))
        or _date(holder.find("ArticleDate")),
        "language": holder.findtext("Language"),
        "authors": authors[:50],
        "publication_types": [itertext(x) for x in holder.findall(".//PublicationType")],
        "mesh": [
            itertext(x) for x in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")
        ],
        "keywords": [itertext(x) for x in citation.findall("KeywordList/Keyword")],
        "citation_status": citation.get("Status"),
    }
    return Paper(
        key=pmid,
        source_id=pmid,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        ids=norm_ids(ids),
        title=title,
        abstract="\n\n".join(paragraphs),
        licence=PUBLISHER_COPYRIGHT,
        licence_source="pubmed-default",
        licence_statement=statement or None,
        raw=raw,
        item_sha256=raw.sha256,
        meta=meta,
    )
