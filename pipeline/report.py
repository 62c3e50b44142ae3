"""The HTML report of a run or a release: one self-contained file, charts drawn as inline SVG.

Everything comes from the run's ledgers (stage summaries, or shard markers while a stage is
unfinished), the gate report, the split plan, and statistics computed by *streaming* the split
outputs batch by batch (a few columns at a time; the dataset is never loaded whole). The page
has no script and no external resource (no JS, CSS, font or image is fetched; a
Content-Security-Policy forbids it too), so it can be mailed, archived or opened offline.

``DatasetStats`` is also what the release manifest's ``stats`` and the dataset card use.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as _pc
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from pipeline.config import SplitSection
    from pipeline.runs import Run

log = logging.getLogger("pipeline.report")
pc: Any = _pc  # pyarrow.compute is loosely typed in the stubs

SPLITS = ("train", "validation", "test")
# record length in characters (text, or turns joined by newlines): bins [e_i, e_i+1), last open
LENGTH_EDGES = (0, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
STAT_COLUMNS = ["text", "messages", "source", "license", "crisis", "crisis_categories", "label"]


# -- statistics ------------------------------------------------------------------------------
class SplitStats:
    """Counts over the records of one split, fed batch by batch."""

    def __init__(self) -> None:
        self.rows = 0
        self.crisis = 0
        self.chat = 0
        self.text = 0
        self.chars = 0
        self.labelled: Counter[str] = Counter()
        self.length_hist = [0] * len(LENGTH_EDGES)
        self.turns: Counter[str] = Counter()
        self.sources: Counter[str] = Counter()
        self.licenses: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()

    def add(self, batch: pa.RecordBatch | pa.Table) -> None:
        n = batch.num_rows
        if n == 0:
            return
        self.rows += n
        msgs = batch.column("messages")
        turns = pc.fill_null(pc.list_value_length(msgs), 0).to_numpy(zero_copy_only=False)
        is_chat = turns > 0
        self.chat += int(is_chat.sum())
        self.text += int(n - is_chat.sum())
        text_len = pc.fill_null(pc.utf8_length(batch.column("text")), 0)
        lengths = text_len.to_numpy(zero_copy_only=False).astype(np.int64)
        if is_chat.any():
            flat = pc.list_flatten(msgs)
            content_len = pc.fill_null(pc.utf8_length(pc.struct_field(flat, "content")), 0)
            parents = pc.list_parent_indices(msgs).to_numpy(zero_copy_only=False)
            per_rec = np.bincount(
                parents,
                weights=content_len.to_numpy(zero_copy_only=False).astype(np.float64),
                minlength=n,
            ).astype(np.int64)
            # record_text joins the turns with newlines
            lengths = np.where(is_chat, per_rec + np.maximum(turns - 1, 0), lengths)
        self.chars += int(lengths.sum())
        bins = np.searchsorted(np.array(LENGTH_EDGES), lengths, side="right") - 1
        for b, c in zip(*np.unique(bins, return_counts=True), strict=True):
            self.length_hist[int(b)] += int(c)
        for t, c in zip(*np.unique(turns[is_chat], return_counts=True), strict=True):
            self.turns[str(int(t)) if t < 10 else "10+"] += int(c)
        crisis = pc.fill_null(batch.column("crisis"), False).to_numpy(zero_copy_only=False)
        self.crisis += int(crisis.sum())
        for name, col in (("sources", "source"), ("licenses", "license")):
            counter: Counter[str] = getattr(self, name)
            for item in pc.value_counts(pc.fill_null(batch.column(col), "unknown")).to_pylist():
                counter[str(item["values"])] += int(item["counts"])
        cats = pc.list_flatten(batch.column("crisis_categories"))
        if len(cats):
            for item in pc.value_counts(cats).to_pylist():
                self.categories[str(item["values"])] += int(item["counts"])
        for item in pc.value_counts(batch.column("label")).to_pylist():
            v = item["values"]
            key = "unknown" if v is None else "crisis" if v == 1 else "not_crisis"
            self.labelled[key] += int(item["counts"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "crisis": self.crisis,
            "chat": self.chat,
            "text": self.text,
            "chars": self.chars,
            "labels": dict(sorted(self.labelled.items())),
            "length_hist": list(self.length_hist),
            "turns": dict(sorted(self.turns.items())),
            "sources": dict(sorted(self.sources.items())),
            "licenses": dict(sorted(self.licenses.items())),
            "crisis_categories": dict(sorted(self.categories.items())),
        }


class DatasetStats:
    """Per-split :class:`SplitStats`."""

    def __init__(self) -> None:
        self.splits = {s: SplitStats() for s in SPLITS}

    def add(self, split: str, batch: pa.RecordBatch | pa.Table) -> None:
        self.splits[split].add(batch)

    def to_dict(self) -> dict[str, Any]:
        return {
            "length_edges": list(LENGTH_EDGES),
            "splits": {s: st.to_dict() for s, st in self.splits.items()},
        }


def stream_run_stats(run: Run) -> dict[str, Any] | None:
    """Statistics of a run's split outputs, streamed (None until the split stage is done)."""
    if run.stage_done("split") is None:
        return None
    stats = DatasetStats()
    for shard in run.plan("split") or []:
        for split in SPLITS:
            key = run.key("split", "out", shard.id, f"{split}.parquet")
            if not run.store.exists(key):
                continue
            with run.store.local_copy(key) as p:
                for batch in pq.ParquetFile(str(p)).iter_batches(columns=STAT_COLUMNS):
                    stats.add(split, batch)
    return stats.to_dict()


# -- shared summaries (also used by the manifest and the card) --------------------------------
def gate_summary(gate: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The gate report without example texts: verdict, totals, intervals, per gold set."""
    if gate is None:
        return None
    out: dict[str, Any] = {
        k: gate[k] for k in ("passed", "reason", "threshold", "total") if k in gate
    }
    out["min_positives"] = gate.get("min_positives")
    out["detector"] = gate.get("detector")
    out["gold_sets"] = [
        {
            k: g[k]
            for k in (
                "name", "positives", "negatives", "sensitivity", "specificity",
                "sensitivity_ci", "specificity_ci", "per_category",
            )
            if k in g
        }
        for g in gate.get("gold_sets") or []
    ]  # fmt: skip
    rl = gate.get("run_labels")
    out["run_labels"] = None if rl is None else {k: v for k, v in rl.items() if k != "misses"}
    return out


def split_info(
    cfg: SplitSection,
    rows: Mapping[str, int],
    crisis: Mapping[str, int],
    plan_summary: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """How the records were split: settings, target and achieved shares, the plan summary."""
    from pipeline.stages.split import INHERIT_KEYS

    settings = asdict(cfg)
    total = sum(rows.values())
    crisis_total = sum(crisis.values())
    return {
        "config": {k: settings[k] for k in INHERIT_KEYS},
        "inherit": cfg.inherit,
        "target": {s: settings[s] for s in SPLITS},
        "share": {s: round(rows.get(s, 0) / total, 6) if total else 0.0 for s in SPLITS},
        "crisis_share": {
            s: round(crisis.get(s, 0) / crisis_total, 6) if crisis_total else 0.0 for s in SPLITS
        },
        "plan": {k: v for k, v in (plan_summary or {}).items() if k != "config"} or None,
    }


def _stage_counts(run: Run, stage: str) -> tuple[dict[str, Any] | None, str]:
    """A stage's accounting: the summary when done, else the markers so far (partial)."""
    from pipeline.ledger import merge_counts

    done = run.stage_done(stage)
    if done is not None:
        return dict(done["counts"]), "done"
    plan = run.plan(stage)
    if plan is None:
        return None, "not started"
    have = run.markers_done(stage)
    counts = [m["counts"] for s in plan if s.id in have and (m := run.marker(stage, s.id))]
    status = f"running: {len(have)}/{len(plan)} shards"
    return (merge_counts(counts) if counts else None), status


def run_report_data(run: Run) -> dict[str, Any]:
    """Everything the report shows, for a run in any state (streams the split output)."""
    from pipeline import __version__
    from pipeline.stages import STAGE_ORDER
    from pipeline.stages.split import assignment_summary

    cfg = run.config
    stages: dict[str, Any] = {}
    status: dict[str, str] = {}
    for stage in STAGE_ORDER:
        stages[stage], status[stage] = _stage_counts(run, stage)
    stats = stream_run_stats(run)
    rows = {s: (stats["splits"][s]["rows"] if stats else 0) for s in SPLITS}
    crisis = {s: (stats["splits"][s]["crisis"] if stats else 0) for s in SPLITS}
    sources: Counter[str] = Counter()
    licenses: Counter[str] = Counter()
    for st in (stats or {}).get("splits", {}).values():
        sources.update(st["sources"])
        licenses.update(st["licenses"])
    state = run.store.get_json_or_none(run.key("state.json")) or {}
    published = run.store.get_json_or_none(run.key("published.json"))
    return {
        "dataset": cfg.run.dataset,
        "version": published["version"] if published else None,
        "run_id": run.id,
        "run_status": state.get("status"),
        "code_version": __version__,
        "config_digest": cfg.digest(),
        "stage_order": list(STAGE_ORDER),
        "stage_status": status,
        "stages": stages,
        "splits": {s: {"rows": rows[s], "crisis": crisis[s]} for s in SPLITS},
        "sources": dict(sorted(sources.items())),
        "licenses": dict(sorted(licenses.items())),
        "split": split_info(cfg.split, rows, crisis, assignment_summary(run)) if stats else None,
        "stats": stats,
        "gate": gate_summary(run.store.get_json_or_none(run.key("gate.json"))),
    }


def write_run_report(run: Run, data: Mapping[str, Any] | None = None) -> str:
    """Render the run's report to ``runs/<id>/report.html``; returns the key."""
    doc = dict(data) if data is not None else run_report_data(run)
    doc.setdefault("run_id", run.id)
    key = run.key("report.html")
    run.store.put(key, render_report(doc).encode())
    return key


# -- SVG charts --------------------------------------------------------------------------------
PALETTE = {
    "train": "#3b6ea5",
    "validation": "#e39b2d",
    "test": "#5a9e5a",
    "kept": "#3b6ea5",
    "filtered": "#c8553d",
    "errored": "#7b4f9d",
    "crisis": "#b8336a",
    "bar": "#3b6ea5",
}
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def _fmt(n: float) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,.3f}"


def _short(label: str, n: int = 34) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def hbar_chart(
    chart: str,
    title: str,
    rows: Sequence[tuple[str, float, str]],
    color: str | Sequence[str] = PALETTE["bar"],
    width: int = 760,
) -> str:
    """Horizontal bars: ``rows`` of (label, value, text shown after the bar)."""
    if not rows:
        return f'<p class="empty" data-chart="{esc(chart)}">{esc(title)}: no data</p>'
    label_w, value_w, bar_h, gap, top = 250, 190, 20, 6, 8
    plot_w = width - label_w - value_w
    height = top * 2 + len(rows) * (bar_h + gap)
    vmax = max((v for _, v, _ in rows), default=0) or 1
    parts = [
        f'<svg class="chart" data-chart="{esc(chart)}" role="img" aria-label="{esc(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{esc(title)}</title>",
    ]
    for i, (label, value, text) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(0.0, plot_w * value / vmax)
        fill = color if isinstance(color, str) else color[i % len(color)]
        parts.append(
            f'<g class="bar" data-label="{esc(label)}" data-value="{esc(_fmt(value))}">'
            f"<title>{esc(label)}: {esc(text)}</title>"
            f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end" '
            f'class="label">{esc(_short(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h - 5}" class="value">{esc(text)}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(
    chart: str,
    title: str,
    bins: Sequence[tuple[str, float]],
    color: str = PALETTE["bar"],
    width: int = 760,
    height: int = 240,
) -> str:
    """Vertical bars (a histogram): ``bins`` of (label, count)."""
    if not bins or not any(v for _, v in bins):
        return f'<p class="empty" data-chart="{esc(chart)}">{esc(title)}: no data</p>'
    left, bottom, top = 50, 46, 18
    plot_h = height - bottom - top
    step = (width - left - 10) / len(bins)
    vmax = max(v for _, v in bins) or 1
    parts = [
        f'<svg class="chart" data-chart="{esc(chart)}" role="img" aria-label="{esc(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{esc(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#888"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="axis">{_fmt(vmax)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="axis">0</text>',
    ]
    for i, (label, value) in enumerate(bins):
        h = plot_h * value / vmax
        x = left + i * step
        parts.append(
            f'<g class="bar" data-label="{esc(label)}" data-value="{esc(_fmt(value))}">'
            f"<title>{esc(label)}: {esc(_fmt(value))}</title>"
            f'<rect x="{x + 2:.1f}" y="{top + plot_h - h:.1f}" width="{step - 4:.1f}" '
            f'height="{h:.1f}" fill="{color}"/>'
            f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle" '
            f'class="value">{esc(_fmt(value)) if value else ""}</text>'
            f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'class="axis">{esc(label)}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(
    chart: str, title: str, parts_: Sequence[tuple[str, float]], width: int = 760
) -> str:
    """One bar divided into segments (label, value), e.g. the split sizes."""
    total = sum(v for _, v in parts_)
    if total <= 0:
        return f'<p class="empty" data-chart="{esc(chart)}">{esc(title)}: no data</p>'
    h, x = 34, 0.0
    out = [
        f'<svg class="chart" data-chart="{esc(chart)}" role="img" aria-label="{esc(title)}" '
        f'width="{width}" height="{h + 24}" viewBox="0 0 {width} {h + 24}">',
        f"<title>{esc(title)}</title>",
    ]
    for label, value in parts_:
        w = width * value / total
        color = PALETTE.get(label, PALETTE["bar"])
        out.append(
            f'<g class="bar" data-label="{esc(label)}" data-value="{esc(_fmt(value))}">'
            f"<title>{esc(label)}: {esc(_fmt(value))} ({value / total:.1%})</title>"
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{h}" fill="{color}"/>'
            f'<text x="{x + 4:.1f}" y="{h + 16}" class="value">{esc(label)} {value / total:.1%}'
            "</text></g>"
        )
        x += w
    out.append("</svg>")
    return "".join(out)


# -- the page ---------------------------------------------------------------------------------
CSS = f"""
body{{{FONT};margin:24px auto;max-width:980px;color:#222;line-height:1.45;padding:0 16px}}
h1{{font-size:1.6em;margin-bottom:0}} h2{{margin-top:2em;border-bottom:1px solid #ddd}}
.sub{{color:#666;margin-top:4px}} table{{border-collapse:collapse;margin:8px 0}}
td,th{{border:1px solid #ddd;padding:3px 8px;text-align:right}} th{{background:#f4f4f4}}
td:first-child,th:first-child{{text-align:left}} .chart{{display:block;margin:8px 0}}
.chart text{{font-size:12px;fill:#222}} .chart .axis{{fill:#666;font-size:11px}}
.badge{{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:600}}
.pass{{background:#2e7d32}} .block{{background:#c62828}} .note{{color:#666;font-size:.9em}}
.cards{{display:flex;gap:12px;flex-wrap:wrap}} .card{{border:1px solid #ddd;border-radius:6px;
padding:8px 14px;min-width:120px}} .card b{{display:block;font-size:1.4em}}
"""


def _table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = ["<table><tr>", *(f"<th>{esc(h)}</th>" for h in head), "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _stage_rows(counts: Mapping[str, Any]) -> int:
    from pipeline.stages.base import output_rows

    return output_rows(counts)


def funnel_section(data: Mapping[str, Any]) -> str:
    order = data.get("stage_order") or list(data.get("stages") or {})
    stages = data.get("stages") or {}
    status = data.get("stage_status") or {}
    bars: list[tuple[str, float, str]] = []
    first = next((stages[s] for s in order if stages.get(s)), None)
    if first is not None:
        bars.append(("input records", first["in"], f"{first['in']:,}"))
    drops: list[tuple[str, float, str]] = []
    drop_colors: list[str] = []
    table_rows = []
    for stage in order:
        c = stages.get(stage)
        if not c:
            table_rows.append((stage, "-", "-", "-", "-", status.get(stage, "not started")))
            continue
        out_rows = _stage_rows(c)
        filtered, errored = sum(c["filtered"].values()), sum(c["errored"].values())
        bars.append((f"after {stage}", out_rows, f"{out_rows:,}  (−{filtered + errored:,})"))
        table_rows.append(
            (stage, f"{c['in']:,}", f"{out_rows:,}", f"{filtered:,}", f"{errored:,}",
             status.get(stage, "done"))
        )  # fmt: skip
        for kind in ("filtered", "errored"):
            for reason, n in sorted(c[kind].items(), key=lambda kv: (-kv[1], kv[0])):
                drops.append((f"{stage}: {reason}", n, f"{n:,} {kind}"))
                drop_colors.append(PALETTE[kind])
    return (
        "<h2>Funnel</h2>"
        '<p class="note">Records after each stage; every record that enters a stage ends kept, '
        "filtered (with a reason) or errored (with a reason).</p>"
        + hbar_chart("funnel", "Records after each stage", bars)
        + _table(["stage", "in", "out", "filtered", "errored", "status"], table_rows)
        + "<h3>Why records were dropped</h3>"
        + hbar_chart("drop-reasons", "Dropped records by stage and reason", drops, drop_colors)
    )


def splits_section(data: Mapping[str, Any]) -> str:
    splits = data.get("splits") or {}
    info = data.get("split")
    rows = [(s, float(splits.get(s, {}).get("rows", 0))) for s in SPLITS]
    out = ["<h2>Splits</h2>", stacked_bar("split-sizes", "Records per split", rows)]
    bars = [(s, v, f"{int(v):,}") for s, v in rows]
    out.append(hbar_chart("split-rows", "Records per split", bars, [PALETTE[s] for s in SPLITS]))
    if info:
        plan = info.get("plan") or {}
        cfg = info.get("config") or {}
        trows = [
            (
                s,
                f"{splits.get(s, {}).get('rows', 0):,}",
                f"{info['target'][s]:.1%}",
                f"{info['share'][s]:.2%}",
                f"{splits.get(s, {}).get('crisis', 0):,}",
                f"{info['crisis_share'][s]:.2%}",
            )
            for s in SPLITS
        ]
        out.append(
            _table(["split", "records", "target", "share", "crisis records", "crisis share"], trows)
        )
        desc = (
            f"Method <b>{esc(cfg.get('method'))}</b>, groups by <code>{esc(cfg.get('group_by'))}"
            f"</code>, seed <code>{esc(cfg.get('seed'))}</code>"
        )
        if plan:
            inh = plan.get("inherited") or {}
            moved = plan.get("not_at_hash_split") or {}
            desc += (
                f"; {plan.get('groups', 0):,} groups ({plan.get('crisis_groups', 0):,} with crisis "
                f"records), {moved.get('groups', 0):,} placed away from their hash split to "
                f"balance; {inh.get('groups', 0):,} groups inherited from "
                f"{esc(inh.get('from_version') or 'no earlier release')}"
            )
        out.append(f'<p class="note">{desc}.</p>')
    return "".join(out)


def lengths_section(stats: Mapping[str, Any] | None) -> str:
    if not stats:
        return "<h2>Lengths</h2><p>The split stage has not finished: no length statistics.</p>"
    edges = stats["length_edges"]
    labels = [
        (f"{_kfmt(edges[i])}–{_kfmt(edges[i + 1])}" if i + 1 < len(edges) else f"{_kfmt(e)}+")
        for i, e in enumerate(edges)
    ]
    total = [0] * len(edges)
    rows = []
    for s in SPLITS:
        st = stats["splits"][s]
        total = [a + b for a, b in zip(total, st["length_hist"], strict=True)]
        mean = st["chars"] / st["rows"] if st["rows"] else 0
        rows.append((s, f"{st['rows']:,}", f"{st['chat']:,}", f"{st['text']:,}", f"{mean:,.0f}"))
    out = [
        "<h2>Lengths</h2>",
        '<p class="note">Characters per record (its text, or its turns joined), all splits.</p>',
        vbar_chart(
            "length-histogram", "Record length in characters", list(zip(labels, total, strict=True))
        ),
        _table(["split", "records", "conversations", "plain texts", "mean chars"], rows),
    ]
    turns: Counter[str] = Counter()
    for s in SPLITS:
        turns.update(stats["splits"][s]["turns"])
    if turns:
        order = sorted(turns, key=lambda t: 99 if t == "10+" else int(t))
        out.append("<h3>Turns per conversation</h3>")
        out.append(
            vbar_chart("turns-histogram", "Turns per conversation",
                       [(t, turns[t]) for t in order], color="#6b8fb8", height=200)
        )  # fmt: skip
    return "".join(out)


def _kfmt(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _counter_bars(d: Mapping[str, int], limit: int = 25) -> list[tuple[str, float, str]]:
    items = sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(d.values()) or 1
    bars = [(k, float(v), f"{v:,} ({v / total:.1%})") for k, v in items[:limit]]
    rest = sum(v for _, v in items[limit:])
    if rest:
        bars.append((f"{len(items) - limit} others", float(rest), f"{rest:,} ({rest / total:.1%})"))
    return bars


def sources_section(data: Mapping[str, Any]) -> str:
    return (
        "<h2>Sources and licences</h2><h3>Records per source</h3>"
        + hbar_chart("sources", "Records per source", _counter_bars(data.get("sources") or {}))
        + "<h3>Records per licence</h3>"
        + hbar_chart(
            "licenses", "Records per licence", _counter_bars(data.get("licenses") or {}),
            color="#8a6bb8",
        )
    )  # fmt: skip


def crisis_section(data: Mapping[str, Any]) -> str:
    stats = data.get("stats")
    splits = data.get("splits") or {}
    out = ["<h2>Crisis annotations</h2>"]
    bars = [
        (s, float(splits.get(s, {}).get("crisis", 0)),
         f"{splits.get(s, {}).get('crisis', 0):,} of {splits.get(s, {}).get('rows', 0):,}")
        for s in SPLITS
    ]  # fmt: skip
    out.append("<h3>Crisis records per split</h3>")
    out.append(hbar_chart("crisis-per-split", "Crisis records per split", bars, PALETTE["crisis"]))
    if stats:
        cats: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        for s in SPLITS:
            cats.update(stats["splits"][s]["crisis_categories"])
            labels.update(stats["splits"][s]["labels"])
        out.append("<h3>Crisis categories</h3>")
        out.append(
            hbar_chart("crisis-categories", "Records per crisis category (a record may have "
                       "several)", _counter_bars(dict(cats)), PALETTE["crisis"])
        )  # fmt: skip
        out.append(
            '<p class="note">Known labels in the input: '
            + ", ".join(f"{esc(k)} {v:,}" for k, v in sorted(labels.items()))
            + ". Categories come from the rules detector: they mark evidence, and miss much "
            "(see the gate).</p>"
        )
    return "".join(out)


def gate_section(gate: Mapping[str, Any] | None) -> str:
    if not gate:
        return "<h2>Release gate</h2><p>The gate has not run.</p>"
    t = gate.get("total") or {}
    badge = (
        '<span class="badge pass">PASSED</span>'
        if gate.get("passed")
        else ('<span class="badge block">BLOCKED</span>')
    )
    rows = [
        ("all", t.get("positives", 0), f"{t.get('sensitivity', 0):.4f}",
         _ci(t.get("sensitivity_ci")), t.get("negatives", 0), f"{t.get('specificity', 0):.4f}")
    ]  # fmt: skip
    for g in gate.get("gold_sets") or []:
        rows.append(
            (g["name"], g["positives"], f"{g['sensitivity']:.4f}", _ci(g.get("sensitivity_ci")),
             g["negatives"], f"{g['specificity']:.4f}")
        )  # fmt: skip
    rl = gate.get("run_labels")
    if rl:
        rows.append(("run records with labels", rl["positives"], f"{rl['sensitivity']:.4f}", "",
                     rl["negatives"], f"{rl['specificity']:.4f}"))  # fmt: skip
    return f"<h2>Release gate</h2><p>{badge} {esc(gate.get('reason', ''))}</p>" + _table(
        ["evaluated on", "crisis texts", "sensitivity", "95% CI", "other texts", "specificity"],
        rows,
    )


def _ci(ci: Sequence[float] | None) -> str:
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""


def render_report(data: Mapping[str, Any]) -> str:
    """The whole page: a deterministic function of ``data`` (no clock, no randomness)."""
    title = f"{data.get('dataset')}"
    if data.get("version"):
        title += f" @ {data['version']}"
    sub = []
    if data.get("run_id"):
        sub.append(f"run {data['run_id']} ({data.get('run_status') or '?'})")
    sub.append(f"code {data.get('code_version')}")
    sub.append(f"config {str(data.get('config_digest'))[:12]}")
    splits = data.get("splits") or {}
    total = sum(v.get("rows", 0) for v in splits.values())
    crisis = sum(v.get("crisis", 0) for v in splits.values())
    gate = data.get("gate") or {}
    cards = [
        ("records", f"{total:,}"),
        *((s, f"{splits.get(s, {}).get('rows', 0):,}") for s in SPLITS),
        ("crisis records", f"{crisis:,}"),
        ("gate", "passed" if gate.get("passed") else ("blocked" if gate else "not run")),
    ]
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Dataset report: {esc(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>Dataset report: {esc(title)}</h1>",
        f'<p class="sub">{esc(" · ".join(sub))}</p>',
        '<div class="cards">'
        + "".join(f'<div class="card">{esc(k)}<b>{esc(v)}</b></div>' for k, v in cards)
        + "</div>",
        funnel_section(data),
        splits_section(data),
        lengths_section(data.get("stats")),
        sources_section(data),
        crisis_section(data),
        gate_section(data.get("gate")),
        '<p class="note">Generated by unified-ai-dataset-pipeline from the run\'s ledgers and '
        "a streaming pass over the split output. Content warning: the dataset contains text "
        "about suicide and self-harm.</p>",
        "</body></html>",
    ]
    return "\n".join(body) + "\n"
