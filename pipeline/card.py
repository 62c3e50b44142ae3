"""The dataset card: ``README.md`` in every release folder, generated from its manifest.

It says what is in the release (splits, formats, columns), where it came from (sources and
licences), what was removed on the way (every stage's filters with counts, from the run's
ledgers), the crisis statistics, the release gate's result, and what the data is and is not
fit for. The YAML front matter follows the Hugging Face dataset-card format, so the release
folder can be pushed to the Hub as is. Deterministic: the same manifest gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

SPLITS = ("train", "validation", "test")
# SPDX-ish licence ids (as the pipeline normalises them) -> Hugging Face Hub licence ids
HF_LICENSES = {
    "cc0-1.0": "cc0-1.0",
    "cc-by-4.0": "cc-by-4.0",
    "cc-by-sa-4.0": "cc-by-sa-4.0",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0": "cc-by-nc-sa-4.0",
    "cc-by-3.0": "cc-by-3.0",
    "cc-by-sa-3.0": "cc-by-sa-3.0",
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "odc-by": "odc-by",
    "pddl": "pddl",
    "odbl": "odbl",
    "public-domain": "other",
}
COLUMN_DOCS = {
    "id": "stable record id",
    "text": "plain text (records that are not conversations; null for conversations)",
    "messages": "chat turns, a list of `{role, content}` (`user`/`assistant`/`system`); null "
    "for plain-text records",
    "source": "source name (see Sources)",
    "source_id": "id of the item in its source",
    "url": "where the item came from",
    "license": "licence of the item",
    "retrieved_at": "when it was fetched",
    "content_hash": "sha256 of the content as ingested",
    "group": "records of one thread/document share it",
    "cluster": "connected component of records linked by group or near-duplicate match (the "
    "split key)",
    "label": "crisis label given by the source (1 crisis, 0 not, null unknown)",
    "crisis": "crisis verdict of the rules detector",
    "crisis_score": "detector score",
    "crisis_categories": "crisis categories with evidence",
    "crisis_spans": "evidence spans: turn (-1 for plain text), character start/end, category",
    "crisis_turns": "indexes of the turns judged crisis",
    "flags": "content-safety findings (e.g. `safe_crisis_response`)",
    "split": "train, validation or test",
    "meta": "other input fields, as JSON",
}


def _n(x: object) -> str:
    return f"{int(x):,}" if isinstance(x, int | float) else str(x)


def _pct(x: float) -> str:
    return f"{x:.2%}"


def _md(text: object) -> str:
    """Escape text for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return out


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):  # fmt: skip
        if n < limit:
            return name
    return "10M<n<100M"


def front_matter(m: Mapping[str, Any]) -> list[str]:
    """Hugging Face dataset-card metadata (YAML)."""
    total = sum(s["rows"] for s in m["splits"].values())
    lic = sorted({HF_LICENSES.get(str(k).lower(), "other") for k in m.get("licenses") or {}})
    lines = ["---", f"pretty_name: {_yaml_str(m['dataset'])}"]
    if len(lic) == 1:
        lines.append(f"license: {lic[0]}")
    elif lic:
        lines.append("license:")
        lines += [f"- {x}" for x in lic]
    lines += [
        "task_categories:",
        "- text-generation",
        "- text-classification",
        "tags:",
        "- mental-health",
        "- empathetic-dialogue",
        "- crisis-detection",
        "size_categories:",
        f"- {_size_category(total)}",
        "configs:",
        "- config_name: default",
        "  data_files:",
    ]
    files = m.get("files") or []
    for split in SPLITS:
        paths = [f["path"] for f in files if f.get("split") == split]
        path = next((p for p in paths if p.endswith(".parquet")), paths[0] if paths else None)
        if path is not None:
            lines += [f"  - split: {split}", f"    path: {path}"]
    lines.append("---")
    return lines


def render_card(m: Mapping[str, Any]) -> str:
    """The dataset card of the release described by manifest ``m``."""
    splits = m["splits"]
    total = sum(s["rows"] for s in splits.values())
    crisis_total = sum(s.get("crisis", 0) for s in splits.values())
    stats = m.get("stats") or {}
    sstats = stats.get("splits") or {}
    chat = sum(sstats.get(s, {}).get("chat", 0) for s in SPLITS)
    split_cfg = (m.get("split") or {}).get("config") or {}
    out = front_matter(m)
    out += [
        "",
        f"# {m['dataset']} — {m['version']}",
        "",
        "> Content warning: this dataset contains text about suicide, self-harm and abuse.",
        "",
        f"Conversations and texts for training empathetic conversational AI: **{_n(total)} "
        f"records** ({_n(chat)} conversations, {_n(total - chat)} plain texts), of which "
        f"**{_n(crisis_total)}** are annotated as crisis. Built by unified-ai-dataset-pipeline "
        f"{m.get('code_version')} (config sha256 `{str(m.get('config_digest'))[:16]}…`, detector "
        f"{m.get('detector', {}).get('name')} {m.get('detector', {}).get('version')}). The "
        "release is immutable; `manifest.json` lists every file with its sha256.",
        "",
        "## Files and splits",
        "",
    ]
    rows: list[tuple[object, ...]] = []
    for split in SPLITS:
        s = splits.get(split, {"rows": 0, "crisis": 0})
        share = s["rows"] / total if total else 0.0
        names = ", ".join(f"`{f['path']}`" for f in m.get("files") or [] if f.get("split") == split)
        rows.append((split, _n(s["rows"]), _pct(share), _n(s.get("crisis", 0)), names))
    out += _table(["split", "records", "share", "crisis records", "files"], rows)
    if split_cfg:
        plan = (m.get("split") or {}).get("plan") or {}
        inh = plan.get("inherited") or {}
        from pipeline.stages.split import key_columns

        chain = ", then ".join(f"`{c}`" for c in key_columns(str(split_cfg.get("group_by"))))
        out += [
            "",
            f"Split method `{split_cfg.get('method')}` (seed `{split_cfg.get('seed')}`, target "
            f"{split_cfg.get('train'):.0%}/{split_cfg.get('validation'):.0%}/"
            f"{split_cfg.get('test'):.0%}). Records sharing a group key (the first non-empty of "
            f"{chain}) are always in the same split, so chunks of one document, turns "
            "of one thread and near-duplicates never straddle train and test."
            + (" Crisis records are stratified: each split gets its share." if split_cfg.get(
                "stratify_crisis") and split_cfg.get("method") == "balanced" else "")
            + (f" {_n(inh['groups'])} groups kept the split they had in {inh['from_version']}."
               if inh.get("from_version") else ""),
        ]  # fmt: skip
    out += ["", "Load it:", "", "```python"]
    out += [
        "from pipeline.releases import load_release",
        f'ds = load_release("{m["dataset"]}", "{m["version"]}", "train", as_="hf")  '
        "# or as_='arrow' / 'pandas'",
        "",
        "# or, from this folder, with Hugging Face datasets alone:",
        "import datasets",
        'ds = datasets.load_dataset("parquet", data_files={"train": "train.parquet"})',
        "```",
        "",
        "Columns:",
        "",
    ]
    for col in m.get("columns") or []:
        name = col["name"] if isinstance(col, Mapping) else str(col)
        out.append(f"- `{name}`: {COLUMN_DOCS.get(name, '')}".rstrip(": "))
    out += [
        "",
        "Plain-text records (forum posts, articles) keep `messages` null rather than being "
        "wrapped in an invented chat turn; use `text` for them, or filter on "
        "`messages IS NOT NULL` for conversations only.",
        "",
        "## Sources and licences",
        "",
    ]
    out += _table(
        ["source", "records"],
        [(k, _n(v)) for k, v in sorted((m.get("sources") or {}).items(), key=lambda kv: -kv[1])],
    )
    out.append("")
    out += _table(
        ["licence", "records"],
        [(k, _n(v)) for k, v in sorted((m.get("licenses") or {}).items(), key=lambda kv: -kv[1])],
    )
    out += [
        "",
        "Each record carries its own `license`, `url` and `source`: check them before any "
        "use; `unknown` means the source gave none.",
        "",
        "## How it was filtered",
        "",
        "Every record that entered a stage ended kept, filtered (with a reason) or errored (with "
        "a reason); counts from the run's ledgers:",
        "",
    ]
    stages = m.get("stages") or {}
    order = m.get("stage_order") or list(stages)
    rows = []
    for stage in order:
        c = stages.get(stage)
        if not c:
            continue
        reasons = [f"{r} {_n(n)}" for r, n in sorted(c["filtered"].items(), key=lambda kv: -kv[1])]
        reasons += [
            f"error {r} {_n(n)}" for r, n in sorted(c["errored"].items(), key=lambda kv: -kv[1])
        ]
        rows.append((stage, _n(c["in"]), _n(c["kept"]), "; ".join(reasons) or "—"))
    out += _table(["stage", "in", "kept", "removed (reason count)"], rows)
    out += ["", "## Crisis statistics", ""]
    cats: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    for s in SPLITS:
        cats.update(sstats.get(s, {}).get("crisis_categories") or {})
        labels.update(sstats.get(s, {}).get("labels") or {})
    out.append(
        f"{_n(crisis_total)} of {_n(total)} records ({_pct(crisis_total / total if total else 0)})"
        " are crisis by the rules detector. Per category (a record can have several):"
    )
    out.append("")
    rows = [
        (cat, *(_n(sstats.get(s, {}).get("crisis_categories", {}).get(cat, 0)) for s in SPLITS))
        for cat, _ in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    out += _table(["category", *SPLITS], rows) if rows else ["(none)"]
    if labels:
        out += [
            "",
            "Labels given by the sources: "
            + ", ".join(f"{k} {_n(v)}" for k, v in sorted(labels.items()))
            + ".",
        ]
    gate = m.get("gate") or {}
    t = gate.get("total") or {}
    out += [
        "",
        "## Release gate",
        "",
        f"**{'Passed' if gate.get('passed') else 'Blocked'}**: {gate.get('reason', '')}. The gate "
        f"requires crisis sensitivity ≥ {gate.get('threshold')} on at least "
        f"{gate.get('min_positives')} labelled crisis texts.",
        "",
    ]
    rows = [
        ("all", _n(t.get("positives", 0)), f"{t.get('sensitivity', 0):.4f}",
         _ci(t.get("sensitivity_ci")), f"{t.get('specificity', 0):.4f}")
    ]  # fmt: skip
    for g in gate.get("gold_sets") or []:
        rows.append((g["name"], _n(g["positives"]), f"{g['sensitivity']:.4f}",
                     _ci(g.get("sensitivity_ci")), f"{g['specificity']:.4f}"))  # fmt: skip
    rl = gate.get("run_labels")
    if rl:
        rows.append(("labelled records of this run", _n(rl["positives"]),
                     f"{rl['sensitivity']:.4f}", "", f"{rl['specificity']:.4f}"))  # fmt: skip
    out += _table(["evaluated on", "crisis texts", "sensitivity", "95% CI", "specificity"], rows)
    out += [
        "",
        "## Intended use and limits",
        "",
        "- For research and for training/evaluating supportive conversational models, with "
        "human review of crisis behaviour. Not for diagnosis, triage or any decision about a "
        "person.",
        "- The `crisis` annotations come from a rules detector. The gate measures it on the "
        "shipped gold set and the sources' own labels, both of which the rules were fitted to; "
        "on blind held-out text it found about half of the crisis texts (see the project "
        "README). Treat `crisis = false` as *not detected*, not as *safe*.",
        "- Harmful content (instructions or encouragement to self-harm, lethal doses) was "
        "removed from every split; crisis conversations answered without a safety response "
        "were removed from train only, so validation and test still show them.",
        "- Sources differ in licence: some forbid commercial use or require attribution. "
        "Respect each record's `license`.",
        "- Texts may contain personal experiences written by real people; do not try to "
        "identify anyone, and do not republish records out of context.",
        "",
        "The HTML report (`report.html`) in this folder charts the funnel, lengths, sources, "
        "licences, crisis categories and split sizes.",
    ]
    text = "\n".join(out) + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def _ci(ci: Sequence[float] | None) -> str:
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
