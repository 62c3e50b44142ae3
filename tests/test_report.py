"""The HTML report: rendered by a real headless Chromium, charts present with the run's
figures, and not one resource requested from outside the file."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from pipeline.config import load_config
from pipeline.engine import run_local
from pipeline.releases import resolve
from pipeline.report import render_report, run_report_data
from pipeline.runs import Run
from pipeline.stages.base import output_rows
from pipeline.store import LocalStore
from tests.datagen import config_toml, write_dataset
from workers.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it as root)",
)


class Charts(HTMLParser):
    """Collects each ``<svg data-chart>`` and the ``data-label``/``data-value`` of its bars."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, str]] = {}
        self.current: str | None = None
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("src", "href", "xlink:href", "data", "poster", "srcset", "action"):
            if a.get(name):
                self.srcs.append(str(a[name]))
        if tag == "svg" and a.get("data-chart"):
            self.current = str(a["data-chart"])
            self.charts[self.current] = {}
        elif tag == "g" and self.current and a.get("data-label") is not None:
            self.charts[self.current][str(a["data-label"])] = str(a.get("data-value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.current = None


def chromium(url: str, tmp: Path) -> tuple[str, list[str]]:
    """Render ``url`` headless; return the DOM after load and every URL the *page* requested
    (from Chromium's own network log; the browser's background requests are excluded)."""
    assert CHROMIUM is not None
    netlog = tmp / "netlog.json"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp / 'profile'}",
         # nothing can leave the machine even if something tried
         "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         f"--log-net-log={netlog}", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = json.loads(netlog.read_text())
    kinds = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    requested = []
    for e in log["events"]:
        p = e.get("params") or {}
        if kinds.get(e["type"]) == "URL_REQUEST_START_JOB" and "file://" in str(
            p.get("network_isolation_key", "")
        ):
            requested.append(str(p.get("url")))
    return proc.stdout, requested


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    tmp = tmp_path_factory.mktemp("report")
    write_dataset(tmp / "data", n=300, files=2)
    junk = [  # something for every kind of drop: malformed, empty, exact duplicate
        "{not json",
        json.dumps({"id": "empty-1", "text": "   "}),
        json.dumps({"id": "dup-1", "text": "I feel lonely since my best friend moved away."}),
        json.dumps({"id": "dup-2", "text": "I feel lonely since my best friend moved away."}),
    ]
    (tmp / "data" / "junk.jsonl").write_text("\n".join(junk) + "\n")
    run = Run.create(LocalStore(tmp / "store"), load_config(config_toml(tmp)), "rep-1")
    assert run_local(run)["status"] == "succeeded"
    _, version = resolve("testset", run.store)
    return run, tmp / "store" / "releases" / "testset" / version


@needs_chromium
def test_report_renders_in_chromium_with_the_runs_figures_and_no_outside_requests(
    published: tuple[Run, Path], tmp_path: Path
) -> None:
    run, folder = published
    manifest = json.loads((folder / "manifest.json").read_text())
    dom, requested = chromium((folder / "report.html").as_uri(), tmp_path)
    assert requested == []
    parsed = Charts()
    parsed.feed(dom)
    assert parsed.srcs == []  # no src/href at all: nothing to fetch
    charts = parsed.charts
    for name in ("funnel", "drop-reasons", "split-sizes", "split-rows", "length-histogram",
                 "sources", "licenses", "crisis-per-split", "crisis-categories"):  # fmt: skip
        assert name in charts, f"chart {name} missing from the rendered DOM"
    # the funnel shows each stage's output as counted by the ledgers
    first = run.stage_done("ingest")["counts"]["in"]
    assert charts["funnel"]["input records"] == f"{first:,}"
    for stage in manifest["stage_order"]:
        rows = output_rows(run.stage_done(stage)["counts"])
        assert charts["funnel"][f"after {stage}"] == f"{rows:,}"
    kinds = set()
    for stage, c in manifest["stages"].items():
        for kind in ("filtered", "errored"):
            for reason, n in c[kind].items():
                assert charts["drop-reasons"][f"{stage}: {reason}"] == f"{n:,}"
                kinds.add(kind)
    assert kinds == {"filtered", "errored"}
    for s, v in manifest["splits"].items():
        assert charts["split-sizes"][s] == f"{v['rows']:,}"
        assert charts["crisis-per-split"][s] == f"{v['crisis']:,}"
    assert charts["sources"] == {k: f"{v:,}" for k, v in manifest["sources"].items()}
    assert charts["licenses"] == {k: f"{v:,}" for k, v in manifest["licenses"].items()}
    hist = sum(int(v.replace(",", "")) for v in charts["length-histogram"].values())
    assert hist == sum(v["rows"] for v in manifest["splits"].values())
    cats: dict[str, int] = {}
    for s in manifest["stats"]["splits"].values():
        for k, v in s["crisis_categories"].items():
            cats[k] = cats.get(k, 0) + v
    assert {k: int(v.replace(",", "")) for k, v in charts["crisis-categories"].items()} == cats


@needs_chromium
def test_the_request_check_does_catch_an_outside_resource(tmp_path: Path) -> None:
    """Control for the test above: a page that loads an image from elsewhere is caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://127.0.0.1:9/pixel.png"><svg></svg></body></html>')
    _, requested = chromium(page.as_uri(), tmp_path)
    assert requested == ["http://127.0.0.1:9/pixel.png"]


def test_run_report_and_cli(
    published: tuple[Run, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run, folder = published
    stored = run.store.get(run.key("report.html")).decode()
    assert "run rep-1 (succeeded)" in stored
    out = tmp_path / "r.html"
    assert main(["report", run.id, "--store", str(run.store.url), "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    page = out.read_text()
    parsed = Charts()
    parsed.feed(page)
    assert "funnel" in parsed.charts and "length-histogram" in parsed.charts
    # rebuilt from the store, the run's report shows the same figures as the release's
    release = Charts()
    release.feed((folder / "report.html").read_text())
    assert parsed.charts == release.charts
    assert main(["report", "no-such-run", "--store", str(run.store.url)]) == 2


def test_report_streams_and_never_reads_a_whole_file(
    published: tuple[Run, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    run, _ = published

    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("the report must stream, not read whole tables")

    monkeypatch.setattr(pq, "read_table", refuse)
    monkeypatch.setattr(pq.ParquetFile, "read", refuse)
    data = run_report_data(run)
    assert data["stats"]["splits"]["train"]["rows"] > 0
    assert "<svg" in render_report(data)


def test_blocked_run_gets_a_report_too(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", n=120, files=1)
    cfg = load_config(config_toml(tmp_path, gold="", min_positives=1000))
    run = Run.create(LocalStore(tmp_path / "store"), cfg, "blocked-1")
    assert run_local(run)["status"] == "blocked"
    page = run.store.get(run.key("report.html")).decode()
    assert "BLOCKED" in page and "at least 1000" in page
    assert list(run.store.list_keys("releases")) == []
