"""Literature sources (pubmed, europepmc, arxiv, openalex) against fake APIs on a real
loopback HTTP server: paging, date splits, failures, licences, raw persistence and
cross-source dedup. Time is a fake clock: nothing here really sleeps."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.config import ConfigError, from_dict
from pipeline.engine import complete_stage, execute_shard, plan_stage
from pipeline.records import Record, read_parquet
from pipeline.runs import Run
from pipeline.sources import academic, get_kind
from pipeline.sources.academic import (
    academic_dedup_key,
    html_to_text,
    keep_preferred,
    licence_rank,
    norm_arxiv,
    norm_doi,
    norm_pmcid,
    paper_key,
)
from pipeline.sources.europepmc import parse_jats
from pipeline.sources.http import PermanentHttpError, RateLimiter, set_default_limiter
from pipeline.sources.openalex import rebuild_abstract
from pipeline.stages.ingest import IngestStage
from pipeline.store import LocalStore

FIX = Path(__file__).parent / "fixtures" / "academic"


# -- fixtures -------------------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(round(s, 6))
        self.now += s


@pytest.fixture(autouse=True)
def clock() -> Iterator[FakeClock]:
    """Every client of these tests uses a fake clock (arXiv's 3 s never really elapse)."""
    c = FakeClock()
    prev = set_default_limiter(RateLimiter(clock=c, sleep=c.sleep))
    academic._listing_cache.clear()
    yield c
    set_default_limiter(prev)
    academic._listing_cache.clear()


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "PIPELINE_NCBI_API_KEY",
        "PIPELINE_NCBI_EMAIL",
        "PIPELINE_OPENALEX_API_KEY",
        "PIPELINE_OPENALEX_MAILTO",
    ):
        monkeypatch.delenv(var, raising=False)


def new_run(tmp_path: Path, sources: list[dict[str, Any]], run_id: str = "r1") -> Run:
    store = LocalStore(tmp_path / "store")
    return Run.create(store, from_dict({"sources": sources}), run_id)


def ingest(run: Run) -> tuple[list[Record], dict[str, Any]]:
    """Plan and run every ingest shard; return the records and the stage counts."""
    for shard in plan_stage(run, "ingest"):
        execute_shard(run, "ingest", shard.id)
    done = complete_stage(run, "ingest")
    return read_records(run), done["counts"]


def read_records(run: Run) -> list[Record]:
    out: list[Record] = []
    for shard in plan_stage(run, "ingest"):
        key = run.key("ingest", "out", shard.id, "records.parquet")
        with run.store.local_copy(key) as p:  # every shard has an output file
            out.extend(read_parquet(p))
    return out


def rerun_all_shards(run: Run) -> list[Record]:
    for shard in plan_stage(run, "ingest"):
        run.store.delete(run.marker_key("ingest", shard.id))
        execute_shard(run, "ingest", shard.id)
    return read_records(run)


def meta(rec: Record) -> dict[str, Any]:
    return json.loads(rec["meta"])  # type: ignore[no-any-return]


def paths(server: HTTPServer) -> list[str]:
    return [req.path for req, _ in server.log]


# -- fake PubMed ----------------------------------------------------------------------------------
EFETCH_HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)


def fixture_articles() -> dict[str, bytes]:
    body = (FIX / "pubmed_efetch.xml").read_bytes()
    out = {}
    for m in re.finditer(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", body, re.S):
        pmid = re.search(rb"<PMID Version=\"1\">(\d+)</PMID>", m.group(0))
        assert pmid
        out[pmid.group(1).decode()] = m.group(0)
    return out


class FakeEutils:
    """esearch (JSON, history, the 9,999 cap) and efetch (XML) over an in-memory index."""

    def __init__(self, index: dict[str, list[tuple[str, dt.date]]], articles: dict[str, bytes]):
        self.index = index  # term -> [(pmid, publication date)]
        self.articles = articles
        self.efetch_status: list[int] = []  # statuses to answer efetch with first

    def install(self, server: HTTPServer) -> None:
        server.expect_request("/eutils/esearch.fcgi").respond_with_handler(self.esearch)
        server.expect_request("/eutils/efetch.fcgi").respond_with_handler(self.efetch)

    def esearch(self, req: Request) -> Response:
        a = req.args
        assert a["db"] == "pubmed" and a["retmode"] == "json" and a["usehistory"] == "y"
        hits = self.index.get(a["term"], [])
        if "mindate" in a:
            lo = dt.datetime.strptime(a["mindate"], "%Y/%m/%d").date()
            hi = dt.datetime.strptime(a["maxdate"], "%Y/%m/%d").date()
            hits = [h for h in hits if lo <= h[1] <= hi]
        start, size = int(a["retstart"]), int(a["retmax"])
        if start + size > 9999:  # only the first 9,999 hits are reachable
            return Response(
                json.dumps(
                    {
                        "header": {"type": "esearch", "version": "0.3"},
                        "esearchresult": {
                            "ERROR": "Search Backend failed: Exception:\n'retstart' cannot be "
                            "larger than 9998. For PubMed, ESearch can only retrieve the first "
                            "9,999 records matching the query."
                        },
                    }
                ),
                content_type="application/json",
            )
        res = {
            "count": str(len(hits)),
            "retmax": str(len(hits[start : start + size])),
            "retstart": str(start),
            "querykey": "1",
            "webenv": "MCID_65a1b2c3d4e5f6a7b8c9d0e1",
            "idlist": [p for p, _ in hits[start : start + size]],
            "translationset": [],
            "querytranslation": f'"{a["term"]}"[All Fields]',
        }
        body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": res}
        return Response(json.dumps(body), content_type="application/json")

    def efetch(self, req: Request) -> Response:
        if self.efetch_status:
            status = self.efetch_status.pop(0)
            return Response(f'{{"error":"status {status}"}}', status=status)
        a = req.form if req.method == "POST" else req.args
        assert a["db"] == "pubmed" and a["retmode"] == "xml"
        parts = [self.articles[i] for i in a["id"].split(",") if i in self.articles]
        return Response(
            EFETCH_HEAD + b"\n".join(parts) + b"\n</PubmedArticleSet>\n",
            content_type="text/xml; charset=UTF-8",
        )


def pubmed_entry(server: HTTPServer, **kw: Any) -> dict[str, Any]:
    return {
        "type": "pubmed",
        "name": "pm",
        "query": "counselling",
        "base_url": server.url_for("/eutils"),
        **kw,
    }


PMIDS = ["38000001", "38000002", "38000003", "38000004", "38000077"]


@pytest.fixture
def eutils(httpserver: HTTPServer) -> FakeEutils:
    d = dt.date(2024, 1, 1)
    fake = FakeEutils({"counselling": [(p, d) for p in PMIDS]}, fixture_articles())
    fake.install(httpserver)
    return fake


def test_pubmed_history_paging_efetch_and_records(
    tmp_path: Path, httpserver: HTTPServer, eutils: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_NCBI_EMAIL", "dev@example.org")
    run = new_run(tmp_path, [pubmed_entry(httpserver, page_size=2, batch_size=3)])
    plan = plan_stage(run, "ingest")
    searches = [req.args for req, _ in httpserver.log]
    assert [s["retstart"] for s in searches] == ["0", "2", "4"]
    assert "WebEnv" not in searches[0]
    assert all(s["WebEnv"] == "MCID_65a1b2c3d4e5f6a7b8c9d0e1" for s in searches[1:])
    assert all(s["query_key"] == "1" and s["retmax"] == "2" for s in searches[1:])
    assert all(s["tool"] == "unified-ai-dataset-pipeline" for s in searches)
    assert all(s["email"] == "dev@example.org" for s in searches)
    assert [len(s.spec["items"]) for s in plan] == [3, 2]
    assert all(s.id.startswith("pm-b0000") for s in plan)

    httpserver.clear_log()
    records, counts = ingest(run)
    fetches = [req.args["id"] for req, _ in httpserver.log]
    assert fetches == ["38000001,38000002,38000003", "38000004,38000077"]
    assert counts["in"] == 5 and counts["kept"] == 3
    assert counts["filtered"] == {"no_text": 1}  # 38000003: an erratum without abstract
    assert counts["errored"] == {"not_in_efetch_response": 1}  # 38000077
    by_id = {r["source_id"]: r for r in records}
    rec = by_id["38000001"]
    assert rec["id"] == "pm:38000001:abstract" and rec["source"] == "pm"
    assert rec["text"] == (
        "Brief CBT for insomnia: a pilot randomised trial.\n\n"
        "Background: Insomnia is common in people seeking counselling.\n\n"
        "Methods: Sixty adults were randomised to four sessions of CBT-I or sleep hygiene "
        "advice.\n\nResults: Sleep efficiency improved with CBT-I (p<0.05)."
    )
    assert rec["url"] == "https://pubmed.ncbi.nlm.nih.gov/38000001/"
    assert rec["license"] == "publisher-copyright"
    assert rec["group"] == "doi:10.9999/jip.2024.001"
    m = meta(rec)
    assert m["ids"] == {"doi": "10.9999/jip.2024.001", "pmid": "38000001", "pmcid": "PMC10000001"}
    prov = m["provenance"]
    assert prov["license_source"] == "pubmed-default"
    assert prov["license_statement"].startswith("© 2024 The Authors")
    assert prov["source_type"] == "pubmed" and prov["source_id"] == "38000001"
    assert (
        prov["retriever"].startswith("unified-ai-dataset-pipeline/")
        and "pubmed/" in prov["retriever"]
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", prov["retrieved_at"])
    assert m["section"] == "abstract" and m["journal"] == "Journal of Illustrative Psychotherapy"
    assert m["mesh"] == [
        "Sleep Initiation and Maintenance Disorders",
        "Cognitive Behavioral Therapy",
    ]
    # the raw payload: the exact bytes EFetch sent for this article, persisted at the root
    env = run.store.get_json(prov["raw_key"])
    assert prov["raw_key"] == "raw/pubmed/pmid/38000001.json"
    body = env["body"].encode()
    assert body == eutils.articles["38000001"]  # byte-exact, CommentsCorrections PMID inside
    assert hashlib.sha256(body).hexdigest() == prov["raw_sha256"] == env["sha256"]
    book = by_id["38000004"]
    assert book["text"].startswith("Talking with bereaved children\n\nChildren grieve")
    assert by_id["38000002"]["group"] == "doi:10.9999/shared.2024.002"
    err = run.store.get(run.key("ingest", "errors", f"{plan[1].id}.jsonl")).decode()
    assert json.loads(err)["item"] == "38000077"


def test_rerun_makes_zero_requests(
    tmp_path: Path, httpserver: HTTPServer, eutils: FakeEutils
) -> None:
    install_europepmc(httpserver)
    sources = [
        pubmed_entry(httpserver, page_size=2, cross_source_dedup=False),
        epmc_entry(httpserver, page_size=2, cross_source_dedup=False),
    ]
    run = new_run(tmp_path, sources)
    first, _ = ingest(run)
    assert any(p.endswith("/fullTextXML") for p in paths(httpserver))
    httpserver.clear_log()
    academic._listing_cache.clear()  # a fresh worker process: only the store remembers
    # a re-plan of the same run reads the persisted listing pages: same shards, no request
    assert IngestStage().plan(run) == plan_stage(run, "ingest")
    again = rerun_all_shards(run)  # every shard executed again: efetch/full text are stored
    assert httpserver.log == []
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in first)
    assert {r["content_hash"] for r in again} == {r["content_hash"] for r in first}
    # a new run searches again (results change over time) but fetches nothing it already has
    academic._listing_cache.clear()
    run2 = new_run(tmp_path, sources, run_id="r2")
    records2, _ = ingest(run2)
    assert {p.rsplit("/", 1)[-1] for p in paths(httpserver)} == {"esearch.fcgi", "search"}
    assert len(records2) == len(first)


def test_pubmed_query_over_9999_hits_is_split_by_date(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    start = dt.date(2020, 1, 1)
    hits = [
        (str(30_000_000 + i), start + dt.timedelta(days=i * 731 // 12_345)) for i in range(12_345)
    ]
    FakeEutils({"depression": hits}, {}).install(httpserver)
    entry = pubmed_entry(
        httpserver, query="depression", mindate="2020", maxdate="2021", page_size=5000
    )
    run = new_run(tmp_path, [entry])
    plan = plan_stage(run, "ingest")
    listed = [it["key"] for s in plan for it in s.spec["items"]]
    assert listed == [p for p, _ in hits]  # every hit once, in date order
    ranges = [(r.args["mindate"], r.args["maxdate"], r.args["retstart"]) for r, _ in httpserver.log]
    assert ranges == [
        ("2020/01/01", "2021/12/31", "0"),  # 12,345 > 9,999: split
        ("2020/01/01", "2020/12/31", "0"),
        ("2020/01/01", "2020/12/31", "5000"),
        ("2021/01/01", "2021/12/31", "0"),
        ("2021/01/01", "2021/12/31", "5000"),
    ]
    for req, _ in httpserver.log:
        assert int(req.args["retstart"]) + int(req.args["retmax"]) <= 9999
    assert len(plan) == -(-12_345 // 200)


def test_pubmed_split_without_dates_uses_the_run_date(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    hits = [(str(1000 + i), dt.date(1990, 1, 1) + dt.timedelta(days=i)) for i in range(30)]
    FakeEutils({"grief": hits}, {}).install(httpserver)
    entry = pubmed_entry(httpserver, query="grief", max_per_query=20, page_size=20)
    run = new_run(tmp_path, [entry])
    listed = [it["key"] for s in plan_stage(run, "ingest") for it in s.spec["items"]]
    assert listed == [p for p, _ in hits]
    first, second = httpserver.log[0][0].args, httpserver.log[1][0].args
    assert "mindate" not in first
    today = run.store.get_json(run.key("run.json"))["created_at"][:10].replace("-", "/")
    assert (second["mindate"], second["maxdate"]) == ("1800/01/01", today)


@pytest.mark.parametrize(("key", "interval"), [(None, 1 / 3), ("ncbi-test-key-0001", 0.1)])
def test_pubmed_rate_is_3_per_s_or_10_with_a_key(
    tmp_path: Path,
    httpserver: HTTPServer,
    eutils: FakeEutils,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    key: str | None,
    interval: float,
) -> None:
    if key:
        monkeypatch.setenv("PIPELINE_NCBI_API_KEY", key)
    entry = pubmed_entry(httpserver, page_size=1)
    run = new_run(tmp_path, [entry])
    kind = get_kind("pubmed")
    assert isinstance(kind, academic.AcademicSource)
    assert kind.client(run.config.sources[0]).min_interval == pytest.approx(interval)
    records, _ = ingest(run)
    assert len(httpserver.log) == 5 + 1  # five one-id esearch pages, one efetch
    assert clock.slept == pytest.approx([interval] * 5)
    sent = [req.args.get("api_key") for req, _ in httpserver.log]
    assert sent == [key] * 6
    for r in records:
        prov = meta(r)["provenance"]
        assert key is None or key not in json.dumps(prov)
    if key:
        listing = next(run.store.list_keys("raw/pubmed/listing/r1"))
        assert key not in run.store.get(listing).decode()
        assert "api_key=REDACTED" in run.store.get_json(listing)["url"]


def test_pubmed_efetch_failures_transient_then_permanent(
    tmp_path: Path, httpserver: HTTPServer, eutils: FakeEutils, clock: FakeClock
) -> None:
    eutils.efetch_status = [503, 400]  # first shard: 503 then 400 -> items errored
    run = new_run(tmp_path, [pubmed_entry(httpserver, batch_size=3, backoff_s=2.0)])
    _, counts = ingest(run)
    assert 2.0 in clock.slept  # the 503 was retried after the backoff
    assert counts["errored"] == {"http_400": 3, "not_in_efetch_response": 1}
    assert counts["kept"] == 1  # the second shard's book chapter
    plan = plan_stage(run, "ingest")
    lines = run.store.get(run.key("ingest", "errors", f"{plan[0].id}.jsonl")).decode().splitlines()
    assert [json.loads(x)["item"] for x in lines] == PMIDS[:3]
    assert all("HTTP 400" in json.loads(x)["detail"] for x in lines)
    assert not run.store.exists(
        "raw/pubmed/pmid/38000001.json"
    )  # nothing cached: retried next time


def test_pubmed_large_efetch_batches_are_posted(
    tmp_path: Path, httpserver: HTTPServer, eutils: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.sources import pubmed

    monkeypatch.setattr(pubmed, "POST_ABOVE", 2)  # NCBI: POST beyond ~200 ids
    run = new_run(tmp_path, [pubmed_entry(httpserver, batch_size=5)])
    plan_stage(run, "ingest")
    httpserver.clear_log()
    records, _ = ingest(run)
    ((req, _),) = httpserver.log
    assert req.method == "POST" and req.form["id"] == ",".join(PMIDS)
    assert len(records) == 3


# -- fake Europe PMC ------------------------------------------------------------------------------
EPMC_RESULTS: list[dict[str, Any]] = json.loads((FIX / "europepmc_results.json").read_text())
CURSORS = ["*", "AoIIQExCVyg1NTg2NjE3NQ==", "AoIIQExCVyg1NTg2NjE3Ng=="]


def install_europepmc(server: HTTPServer, fulltext_status: dict[str, int] | None = None) -> None:
    statuses = fulltext_status or {}

    def search(req: Request) -> Response:
        a = req.args
        assert a["format"] == "json" and a["resultType"] == "core"
        size = int(a["pageSize"])
        if size > 1000:
            body = {"version": "6.9", "errCode": 404, "errMsg": "Invalid page size provided."}
            return Response(json.dumps(body), content_type="application/json")
        i = CURSORS.index(a["cursorMark"])
        page = EPMC_RESULTS[i * size : (i + 1) * size]
        nxt = CURSORS[i + 1] if (i + 1) * size < len(EPMC_RESULTS) else a["cursorMark"]
        body = {
            "version": "6.9",
            "hitCount": len(EPMC_RESULTS),
            "nextCursorMark": nxt,
            "request": {"queryString": a["query"], "resultType": "core", "cursorMark": a["cursorMark"],
                        "pageSize": size, "sort": "", "synonym": False},
            "resultList": {"result": page},
        }  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")

    def fulltext(req: Request) -> Response:
        pmcid = req.path.split("/")[-2]
        status = statuses.get(pmcid)
        if status:
            return Response("<error/>", status=status)
        path = FIX / f"europepmc_{pmcid}.xml"
        if not path.exists():
            return Response("", status=404)
        return Response(path.read_bytes(), content_type="application/xml")

    server.expect_request("/epmc/search").respond_with_handler(search)
    server.expect_request(re.compile(r"^/epmc/PMC\d+/fullTextXML$")).respond_with_handler(fulltext)


def epmc_entry(server: HTTPServer, **kw: Any) -> dict[str, Any]:
    return {
        "type": "europepmc",
        "name": "epmc",
        "query": "counselling AND OPEN_ACCESS:y",
        "base_url": server.url_for("/epmc"),
        **kw,
    }


def test_europepmc_cursor_paging_fulltext_sections_and_licences(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    install_europepmc(httpserver)
    run = new_run(tmp_path, [epmc_entry(httpserver, page_size=2, batch_size=2)])
    plan = plan_stage(run, "ingest")
    assert [r.args["cursorMark"] for r, _ in httpserver.log] == CURSORS[:2]
    assert [len(s.spec["items"]) for s in plan] == [2, 1]
    httpserver.clear_log()
    records, counts = ingest(run)
    assert sorted(paths(httpserver)) == [
        "/epmc/PMC10000002/fullTextXML",
        "/epmc/PMC10000003/fullTextXML",
    ]  # 38000005 is not open access: not asked
    assert counts["extra"] == {"fulltext_404": 1, "http_requests": 2}
    by_id = {r["id"]: r for r in records}
    abstract = by_id["epmc:MED:38000002:abstract"]
    assert abstract["text"] == (
        "Reflective listening by peer supporters: a qualitative study.\n\n"
        "Background: Peer supporters described reflective listening as validating.\n\n"
        "Findings: Clients reported feeling heard when feelings were named & reflected."
    )
    assert abstract["license"] == "CC-BY"  # normalised; the raw string is kept
    prov = meta(abstract)["provenance"]
    assert prov["license_raw"] == "cc by"
    assert prov["license_source"] == "europepmc:license"
    assert prov["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert prov["fulltext_raw_key"] == "raw/europepmc/fulltext/PMC10000002.json"
    sections = [r for r in records if r["id"].startswith("epmc:MED:38000002:s")]
    assert [meta(r)["section"] for r in sections] == ["Introduction", "Methods", "Results"]
    assert sections[0]["text"] == (
        "Introduction\n\nReflective listening is a core counselling skill. Peer support workers "
        "use it daily.\n\nWe asked how peer supporters experience it."
    )
    assert sections[1]["text"] == (
        "Methods\n\nParticipants\n\nTwelve peer supporters took part (see Table 1).\n\n"
        "Analysis\n\nInterviews were coded thematically; agreement was between coders.\n\n"
        "Familiarisation with transcripts.\n\nGenerating codes."
    )
    everything = "\n".join(r["text"] for r in records)
    for gone in ("Rogers", "Motivational interviewing", "We thank", "declare no conflicts",
                 "A footnote", "Map of the three themes", "Participant characteristics", "κ"):  # fmt: skip
        assert gone not in everything, gone
    assert {r["group"] for r in sections} == {"doi:10.9999/shared.2024.002"}
    assert all(meta(r)["n_sections"] == 4 for r in sections)
    closed = by_id["epmc:MED:38000005:abstract"]
    assert closed["license"] == "publisher-copyright"
    assert meta(closed)["provenance"]["license_source"] == "europepmc-default"
    nc = by_id["epmc:PMC:PMC10000003:abstract"]
    assert nc["license"] == "CC-BY-NC" and meta(nc)["fulltext"] == "not available (404)"
    assert run.store.get_json("raw/europepmc/fulltext/PMC10000003.json")["status"] == 404


def test_europepmc_fulltext_permanent_error_keeps_the_abstract(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    install_europepmc(httpserver, {"PMC10000002": 403})
    run = new_run(tmp_path, [epmc_entry(httpserver, max_items=1)])
    records, counts = ingest(run)
    assert [r["id"] for r in records] == ["epmc:MED:38000002:abstract"]
    assert counts["errored"] == {"http_403": 1} and counts["kept"] == 1
    assert not run.store.exists("raw/europepmc/fulltext/PMC10000002.json")


def test_europepmc_api_error_in_a_200_body_fails_the_plan(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    install_europepmc(httpserver)
    entry = epmc_entry(httpserver)
    run = new_run(tmp_path, [entry])
    kind = get_kind("europepmc")
    assert isinstance(kind, academic.AcademicSource)
    bad = {**run.config.sources[0], "page_size": 5000}  # the server refuses it in-band
    with pytest.raises(PermanentHttpError, match="Invalid page size"):
        kind.list_items(bad, run, kind.client(bad))


def test_jats_captions_are_optional() -> None:
    body = (FIX / "europepmc_PMC10000002.xml").read_bytes()
    plain = parse_jats(body)
    assert plain["dropped_sections"] == ["Conflicts of interest"]
    assert plain["licence_type"] == "open-access"
    with_caps = dict(parse_jats(body, captions=True)["sections"])
    assert "Table 1. Participant characteristics." in with_caps["Methods"]
    assert "Figure 1. Themes. Map of the three themes." in with_caps["Results"]
    assert "Age" not in with_caps["Methods"]  # table cells never


# -- fake arXiv -----------------------------------------------------------------------------------
ARXIV_FEED = (FIX / "arxiv_feed.xml").read_bytes()
ARXIV_ENTRIES = re.findall(rb"<entry>.*?</entry>", ARXIV_FEED, re.S)


def arxiv_page(entries: list[bytes], total: int, start: int) -> bytes:
    head = ARXIV_FEED.split(b"<entry>", 1)[0]
    head = re.sub(rb"(<opensearch:totalResults[^>]*>)\d+", rb"\g<1>" + str(total).encode(), head)
    head = re.sub(rb"(<opensearch:startIndex[^>]*>)\d+", rb"\g<1>" + str(start).encode(), head)
    return head + b"\n".join(entries) + b"\n</feed>\n"


def install_arxiv(server: HTTPServer, empty_first: set[int] | None = None) -> None:
    empties = set(empty_first or ())

    def query(req: Request) -> Response:
        a = req.args
        assert a["sortBy"] == "submittedDate" and a["sortOrder"] == "descending"
        start, size = int(a["start"]), int(a["max_results"])
        if start in empties:  # the API's known hiccup: an empty page mid-way
            empties.discard(start)
            return Response(
                arxiv_page([], len(ARXIV_ENTRIES), start), content_type="application/atom+xml"
            )
        page = ARXIV_ENTRIES[start : start + size]
        return Response(
            arxiv_page(page, len(ARXIV_ENTRIES), start), content_type="application/atom+xml"
        )

    server.expect_request("/api/query").respond_with_handler(query)


def test_arxiv_paging_rate_limit_and_licences(
    tmp_path: Path, httpserver: HTTPServer, clock: FakeClock
) -> None:
    install_arxiv(httpserver, empty_first={2})
    entry = {"type": "arxiv", "name": "ax", "query": "all:counseling", "page_size": 2,
             "base_url": httpserver.url_for("/api")}  # fmt: skip
    run = new_run(tmp_path, [entry])
    records, counts = ingest(run)
    starts = [(r.args["start"], r.args["max_results"]) for r, _ in httpserver.log]
    assert starts == [("0", "2"), ("2", "2"), ("2", "2")]  # the empty page was asked again
    assert clock.slept == pytest.approx([3.0, 3.0])  # one request every 3 s
    assert counts["kept"] == 3 and counts["extra"] == {"http_requests": 0}
    by = {r["source_id"]: r for r in records}
    a = by["2401.00001v2"]
    assert a["text"] == (
        "Language Models as Counseling Assistants: Reflective Listening at Scale\n\n"
        "We study reflective listening in language-model counseling assistants.\n\n"
        "Human raters preferred reflections that named feelings."
    )
    assert a["license"] == "arxiv-nonexclusive"
    m = meta(a)
    assert m["provenance"]["license_source"] == "arxiv-default"
    assert m["ids"] == {"doi": "10.9999/jcl.2024.777", "arxiv": "2401.00001"}
    assert (
        a["group"] == "doi:10.9999/jcl.2024.777"
        and a["url"] == "https://arxiv.org/abs/2401.00001v2"
    )
    assert m["authors"] == ["Ada Example", "Ben Sample"] and m["primary_category"] == "cs.CL"
    cc = by["2312.09999v1"]
    assert cc["license"] == "CC-BY-4.0"
    assert meta(cc)["provenance"]["license_raw"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta(cc)["provenance"]["license_source"] == "arxiv:atom"
    assert cc["group"] == "doi:10.48550/arxiv.2312.09999"  # arXiv's own DataCite DOI
    old = by["cs/0112017v1"]
    assert old["id"] == "ax:cs_0112017v1:abstract" and meta(old)["ids"]["arxiv"] == "cs/0112017"


def test_arxiv_error_feed_is_permanent(tmp_path: Path, httpserver: HTTPServer) -> None:
    error_feed = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        b'<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1'
        b"</opensearch:totalResults><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>"
        b"<title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>"
    )
    httpserver.expect_request("/api/query").respond_with_data(error_feed)
    entry = {
        "type": "arxiv",
        "name": "ax",
        "query": "id:1234",
        "base_url": httpserver.url_for("/api"),
    }
    run = new_run(tmp_path, [entry])
    with pytest.raises(PermanentHttpError, match="incorrect id format"):
        plan_stage(run, "ingest")


# -- fake OpenAlex --------------------------------------------------------------------------------
OA_WORKS: list[dict[str, Any]] = json.loads((FIX / "openalex_works.json").read_text())


def install_openalex(server: HTTPServer, works: list[dict[str, Any]] | None = None) -> None:
    data = OA_WORKS if works is None else works
    cursors = ["*", "IlsxNjk0NTYzMjAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzQzOTAwMDAwMDInXSI="]

    def works_page(req: Request) -> Response:
        a = req.args
        size = int(a["per-page"])
        i = cursors.index(a["cursor"]) if a["cursor"] in cursors else len(cursors)
        page = data[i * size : (i + 1) * size]
        more = (i + 1) * size < len(data) and i + 1 < len(cursors)
        body = {
            "meta": {"count": len(data), "db_response_time_ms": 31, "page": None,
                     "per_page": size, "next_cursor": cursors[i + 1] if more else None},
            "results": page,
            "group_by": [],
        }  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request("/oa/works").respond_with_handler(works_page)


def oa_entry(server: HTTPServer, **kw: Any) -> dict[str, Any]:
    return {"type": "openalex", "name": "oa", "query": "reflective listening",
            "base_url": server.url_for("/oa"), **kw}  # fmt: skip


def test_openalex_cursor_paging_inverted_index_and_licences(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_OPENALEX_API_KEY", "oa-test-key-123456")
    install_openalex(httpserver)
    entry = oa_entry(httpserver, page_size=2, mailto="dev@example.org", filter="type:article")
    run = new_run(tmp_path, [entry])
    records, counts = ingest(run)
    args = [r.args for r, _ in httpserver.log]
    assert [a["cursor"] for a in args] == ["*", args[1]["cursor"]] and args[1]["cursor"] != "*"
    assert all(
        a["api_key"] == "oa-test-key-123456" and a["mailto"] == "dev@example.org" for a in args
    )
    assert all(
        a["filter"] == "type:article" and a["search"] == "reflective listening" for a in args
    )
    assert counts["kept"] == 3 and counts["filtered"] == {"no_text": 1}  # the editorial
    by = {r["source_id"]: r for r in records}
    assert by["W4390000002"]["text"] == (
        "Naming feelings: a micro-skill that matters\n\n"
        "Naming feelings is at the centre of the listening skill."
    )
    assert by["W4390000002"]["license"] == "CC-BY-NC"
    assert meta(by["W4390000002"])["provenance"]["license_source"] == "openalex:primary_location"
    shared = by["W4390000001"]
    assert shared["license"] == "CC-BY"
    assert meta(shared)["provenance"]["license_source"] == "openalex:best_oa_location"
    assert meta(shared)["ids"] == {"doi": "10.9999/shared.2024.002", "pmid": "38000002",
                                   "pmcid": "PMC10000002", "openalex": "W4390000001"}  # fmt: skip
    closed = by["W4390000003"]
    assert closed["license"] == "publisher-copyright" and closed["group"] == "openalex:W4390000003"
    assert meta(closed)["provenance"]["license_source"] == "openalex-default"
    for key in run.store.list_keys("raw/openalex"):
        assert "oa-test-key-123456" not in run.store.get(key).decode()
    assert "oa-test-key-123456" not in json.dumps([r["meta"] for r in records])


def test_rebuild_abstract_from_inverted_index() -> None:
    idx = {"the": [2, 5], "Listening": [0], "is": [1], "heart": [3], "of": [4], "work.": [6]}
    assert rebuild_abstract(idx) == "Listening is the heart of the work."
    assert rebuild_abstract({"a": [1], "b": [1], "c": [0]}) == "c a b"  # collisions kept
    assert rebuild_abstract(None) == "" and rebuild_abstract({}) == ""


# -- cross-source dedup ---------------------------------------------------------------------------
def all_sources(server: HTTPServer, dedup: bool) -> list[dict[str, Any]]:
    return [
        pubmed_entry(server, cross_source_dedup=dedup),
        oa_entry(server, cross_source_dedup=dedup),
        epmc_entry(server, cross_source_dedup=dedup),
    ]


def test_same_paper_from_three_apis_is_harvested_once(
    tmp_path: Path, httpserver: HTTPServer, eutils: FakeEutils
) -> None:
    install_europepmc(httpserver)
    install_openalex(httpserver)
    run = new_run(tmp_path, all_sources(httpserver, dedup=True))
    plan = plan_stage(run, "ingest")
    dup = {
        it["key"]: it["duplicate_of"]
        for s in plan
        for it in s.spec["items"]
        if "duplicate_of" in it
    }
    # PubMed 38000002 (by PMID) and OpenAlex W..01 (by DOI in another case) are Europe PMC's
    # MED:38000002, which wins: CC BY like OpenAlex's copy, and it has open full text
    assert dup == {"38000002": "epmc:MED:38000002", "W4390000001": "epmc:MED:38000002"}
    httpserver.clear_log()
    records, counts = ingest(run)
    assert counts["filtered"] == {"duplicate_across_sources": 2, "no_text": 2}
    efetched = [r.args["id"] for r, _ in httpserver.log if r.path.endswith("efetch.fcgi")]
    assert "38000002" not in ",".join(efetched)  # the duplicate is never fetched
    shared = [r for r in records if r["group"] == "doi:10.9999/shared.2024.002"]
    assert {r["source"] for r in shared} == {"epmc"} and len(shared) == 4  # abstract + 3 sections
    for r in shared:
        assert meta(r)["paper_key"] == "doi:10.9999/shared.2024.002"


def test_without_plan_dedup_copies_share_a_group_and_the_rule_keeps_one(
    tmp_path: Path, httpserver: HTTPServer, eutils: FakeEutils
) -> None:
    install_europepmc(httpserver)
    install_openalex(httpserver)
    run = new_run(tmp_path, all_sources(httpserver, dedup=False))
    records, _ = ingest(run)
    shared = [r for r in records if r["group"] == "doi:10.9999/shared.2024.002"]
    assert {r["source"] for r in shared} == {"pm", "oa", "epmc"}  # same group: same split
    keys = {academic_dedup_key(r)[0] for r in shared}
    assert keys == {"doi:10.9999/shared.2024.002"}
    kept, dropped = keep_preferred(records)
    kept_rev, _ = keep_preferred(list(reversed(records)))
    assert sorted(r["id"] for r in kept) == sorted(r["id"] for r in kept_rev)
    assert {r["source"] for r in kept if r in shared} == {"epmc"}
    assert {r["id"] for r in dropped} == {"pm:38000002:abstract", "oa:W4390000001:abstract"}
    assert len(kept) + len(dropped) == len(records)


# -- config and helpers ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("entry", "msg"),
    [
        ({"type": "pubmed", "name": "p", "query": "x", "api_key": "k"}, "PIPELINE_NCBI_API_KEY"),
        (
            {"type": "openalex", "name": "o", "query": "x", "api_key": "k"},
            "PIPELINE_OPENALEX_API_KEY",
        ),
        (
            {"type": "arxiv", "name": "a", "query": "x", "requests_per_second": 1.0},
            "published limit",
        ),
        (
            {"type": "pubmed", "name": "p", "query": "x", "requests_per_second": 20.0},
            "published limit",
        ),
        ({"type": "pubmed", "name": "p", "query": "x", "mindate": "2020"}, "both mindate"),
        (
            {"type": "pubmed", "name": "p", "query": "x", "mindate": "2020/13", "maxdate": "2021"},
            "mindate",
        ),
        ({"type": "europepmc", "name": "e", "query": ""}, "query"),
        ({"type": "europepmc", "name": "e", "query": "x", "page_size": 5000}, "page_size"),
        ({"type": "openalex", "name": "o", "query": "x", "colour": "red"}, "unknown key"),
        ({"type": "arxiv", "name": "a", "query": "x", "base_url": "ftp://x"}, "base_url"),
    ],
)
def test_config_is_validated(entry: dict[str, Any], msg: str) -> None:
    with pytest.raises(ConfigError, match=msg):
        from_dict({"sources": [entry]})


def test_defaults_are_filled_in() -> None:
    cfg = from_dict({"sources": [{"type": "arxiv", "name": "a", "query": "all:grief"}]})
    e = cfg.sources[0]
    assert e["base_url"] == "https://export.arxiv.org/api"
    assert e["page_size"] == 200 and e["batch_size"] == 200 and e["cross_source_dedup"] is True
    kind = get_kind("arxiv")
    assert isinstance(kind, academic.AcademicSource)
    assert kind.client(e).min_interval == pytest.approx(3.0)


def test_identifier_normalisation_and_paper_key() -> None:
    assert norm_doi("https://doi.org/10.1000/ABC.1") == "10.1000/abc.1"
    assert norm_doi("doi: 10.1000/x") == "10.1000/x" and norm_doi("not a doi") is None
    assert norm_pmcid("https://www.ncbi.nlm.nih.gov/pmc/articles/123") == "PMC123"
    assert norm_pmcid("pmc00042") == "PMC42"
    assert norm_arxiv("http://arxiv.org/abs/2401.00001v3") == "2401.00001"
    assert norm_arxiv("hep-th/9901001v1") == "hep-th/9901001"
    assert paper_key({"pmid": "1", "doi": "10.1/x"}) == "doi:10.1/x"
    assert paper_key({"pmcid": "PMC1", "pmid": "1"}) == "pmid:1"
    assert paper_key({}) is None


def test_licence_rank_orders_open_licences_first() -> None:
    ranked = sorted(
        ["publisher-copyright", "cc by-nc", "cc-by", "cc0", "cc by-sa", "other-oa",
         "https://creativecommons.org/licenses/by-nd/4.0/", "arxiv-nonexclusive"],
        key=licence_rank,
    )  # fmt: skip
    assert ranked[:5] == ["cc0", "cc-by", "cc by-sa",
                          "https://creativecommons.org/licenses/by-nd/4.0/", "cc by-nc"]  # fmt: skip
    assert licence_rank("https://creativecommons.org/licenses/by/4.0/") == 1


def test_html_to_text() -> None:
    assert html_to_text("<h4>Aim</h4>To help.<h4>Result</h4>It did &lt;a lot&gt;.") == (
        "Aim: To help.\n\nResult: It did <a lot>."
    )
    assert html_to_text("A <i>pilot</i> study") == "A pilot study"
