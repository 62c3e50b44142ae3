"""Synthetic source: options, determinism across sharding, coverage, labels, bias-probe
minimality, safe replies, grounding, and a whole local run whose gate counts the cases."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import ConfigError, from_dict, load_config
from pipeline.engine import complete_stage, execute_shard, plan_stage, run_local
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.safety.content_filter import harm_check, response_check
from pipeline.safety.detector import Verdict
from pipeline.store import LocalStore
from pipeline.synthetic import (
    OptionError,
    bias,
    builtin_samples,
    crisis,
    dialogues,
    grounded,
    validate_options,
)
from pipeline.synthetic import blocks_bias as BB
from pipeline.synthetic import blocks_crisis as BC
from pipeline.synthetic.core import Bag, sample_rng, tidy, to_second_person
from pipeline.synthetic.diversity import distinct_n, near_duplicates, words
from tests.helpers import assert_accounting

REPO = Path(__file__).resolve().parent.parent


def opts(generator: str, **kw: Any) -> dict[str, Any]:
    return validate_options(
        {"type": "synthetic", "name": "syn", "generator": generator, "seed": 3, **kw}, None
    )


def samples(entry: dict[str, Any], n: int, found: Any = None) -> list[Any]:
    return [s for i in range(n) for s in builtin_samples(entry, i, found)]


def ingest_records(run: Run) -> list[dict[str, Any]]:
    out = []
    for shard in plan_stage(run, "ingest"):
        execute_shard(run, "ingest", shard.id)
        with run.store.local_copy(run.key("ingest", "out", shard.id, "records.parquet")) as p:
            out.extend(read_parquet(p))
    complete_stage(run, "ingest")
    return out


# ------------------------------------------------------------------------------------------
# template engine and options
# ------------------------------------------------------------------------------------------


def test_template_slots_stick_and_alternatives_vary() -> None:
    bag = Bag(sample_rng("1", "t", 0), {"x": ["a", "b", "c", "d"], "y": "[p|q] {x}"})
    first = bag.expand("{x} {x} {y}")
    a, b, c = first.split(" ", 2)
    assert a == b and c.endswith(a)  # a slot's first pick sticks within the sample
    picks = {
        Bag(sample_rng("1", "t", i), {"x": ["a", "b", "c", "d"]}).expand("{x}") for i in range(40)
    }
    assert picks == {"a", "b", "c", "d"}
    assert tidy("hello  .  a apple a hour an unit ,ok") == "Hello. An apple an hour a unit, ok"
    assert to_second_person("I'm worried about my exams and myself") == (
        "you're worried about your exams and yourself"
    )


def test_options_are_validated_with_defaults_and_idempotent(tmp_path: Path) -> None:
    e = opts("dialogues", count=10)
    assert e["per_shard"] == 500 and e["backend"] == "builtin" and e["license"] == "CC0-1.0"
    assert set(e["concerns"]) == set(dialogues.CONCERN_NAMES)
    assert validate_options(e, None) == e  # workers re-validate the frozen config
    assert opts("crisis_cases", backend="llm")["license"] == "unknown"
    bad = [
        ({"generator": "poems"}, "generator"),
        ({"generator": "dialogues", "concerns": ["anxiety", "boredom"]}, "concerns"),
        ({"generator": "dialogues", "min_exchanges": 4, "max_exchanges": 2}, "min_exchanges"),
        ({"generator": "dialogues", "attributes": ["age"]}, "unknown key"),
        ({"generator": "crisis_cases", "positive_fraction": 1.5}, "positive_fraction"),
        ({"generator": "crisis_cases", "count": "ten"}, "count"),
        ({"generator": "grounded"}, "grounding"),
        ({"generator": "bias_probes", "backend": "gpt"}, "backend"),
    ]
    for kw, key in bad:
        with pytest.raises(OptionError, match=key):
            validate_options({"type": "synthetic", "name": "s", **kw}, None)
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[[sources]]\ntype = "synthetic"\nname = "g"\ngenerator = "grounded"\n'
        'grounding = "data/passages.jsonl"\n'
    )
    entry = load_config(cfg).sources[0]
    assert entry["grounding"] == str(tmp_path / "data" / "passages.jsonl")  # relative to file
    cfg.write_text(
        '[[sources]]\ntype = "synthetic"\nname = "g"\ngenerator = "dialogues"\nseed = true\n'
    )
    with pytest.raises(ConfigError, match=r"sources\.g\.seed"):
        load_config(cfg)


# ------------------------------------------------------------------------------------------
# determinism
# ------------------------------------------------------------------------------------------


def test_same_seed_and_config_give_identical_records_whatever_the_sharding(tmp_path: Path) -> None:
    def run_with(per_shard: int, name: str) -> list[dict[str, Any]]:
        cfg = from_dict(
            {
                "sources": [
                    {
                        "type": "synthetic",
                        "name": "dlg",
                        "generator": "dialogues",
                        "count": 500,
                        "seed": 11,
                        "per_shard": per_shard,
                    },
                    {
                        "type": "synthetic",
                        "name": "probes",
                        "generator": "bias_probes",
                        "count": 60,
                        "seed": 11,
                        "per_shard": max(1, per_shard // 10),
                    },
                ]
            }
        )
        return ingest_records(Run.create(LocalStore(tmp_path / name), cfg, "r"))

    small, large = run_with(50, "a"), run_with(500, "b")
    assert len(small) == 500 + sum(len(BB.ATTRIBUTES[m]) for m in _set_attrs(small))
    assert small == large
    ids = [r["id"] for r in small]
    assert len(set(ids)) == len(ids)
    other = [s.messages for s in samples({**opts("dialogues"), "seed": "12"}, 20)]
    assert other != [r["messages"] for r in small[:20]]  # the seed matters


def _set_attrs(records: list[dict[str, Any]]) -> list[str]:
    sets = {}
    for r in records:
        if r["source"] == "probes":
            m = json.loads(r["meta"])
            sets[m["probe_set"]] = m["attribute"]
    return list(sets.values())


# ------------------------------------------------------------------------------------------
# generators: labels, coverage, text quality
# ------------------------------------------------------------------------------------------

_LEFTOVER = re.compile(r"[{}\x00|]|\[(?!source: )|  ")


def _assert_clean(messages: list[dict[str, str]]) -> None:
    for m in messages:
        assert m["role"] in ("system", "user", "assistant")
        assert m["content"].strip() == m["content"] and m["content"], m
        assert not _LEFTOVER.search(m["content"]), m["content"]


def test_dialogues_cover_concerns_techniques_and_personas() -> None:
    got = samples(opts("dialogues"), 400)
    concerns = Counter(s.meta["concern"] for s in got)
    techniques = Counter(t for s in got for turn in s.meta["techniques"] for t in turn)
    styles = Counter(s.meta["persona"]["style"] for s in got)
    assert set(concerns) == set(dialogues.CONCERN_NAMES)
    assert set(dialogues.TECHNIQUE_NAMES) <= set(techniques)
    assert set(styles) == {"plain", "terse", "verbose", "guarded", "humorous", "non_native"}
    assert len({s.meta["persona"]["background"] for s in got}) >= 10
    for s in got:
        assert s.label == 0
        assert s.group == s.meta["family"] and s.group.startswith("dialogues-")
        _assert_clean(s.messages)
        roles = [m["role"] for m in s.messages]
        assert all(a != b for a, b in itertools.pairwise(roles))  # turns alternate
        assert roles[-1] == "assistant"
        assert len(s.meta["techniques"]) == roles.count("assistant") - s.meta["counsellor_first"]
    # restricting options restricts the output
    only = samples(
        opts("dialogues", concerns=["grief"], techniques=["reflection", "summarising"]), 40
    )
    assert {s.meta["concern"] for s in only} == {"grief"}
    assert {t for s in only for turn in s.meta["techniques"] for t in turn} <= {
        "reflection", "summarising", "closing", "open_question"
    }  # fmt: skip


def test_dialogues_are_diverse_not_boilerplate() -> None:
    got = samples(opts("dialogues"), 600)
    texts = ["\n".join(m["content"] for m in s.messages) for s in got]
    assert len(set(texts)) == len(texts)
    assert near_duplicates(texts).docs_with_duplicate == 0
    toks = [words(t) for t in texts]
    assert distinct_n(toks, 3) > 0.2


def test_crisis_cases_labels_categories_and_safe_replies() -> None:
    got = samples(opts("crisis_cases"), 400)
    cats = Counter(s.meta["category"] for s in got)
    assert set(cats) == set(crisis.POSITIVE_CATEGORIES) | set(crisis.NEGATIVE_CATEGORIES)
    assert {s.meta["region"] for s in got} == set(crisis.REGIONS)
    labels = Counter(s.label for s in got)
    assert 150 < labels[1] < 250 and labels[0] + labels[1] == 400
    for s in got:
        cat = s.meta["category"]
        assert s.label == (1 if cat in BC.POSITIVE else 0)
        assert s.group.startswith(f"crisis-{cat}-t")
        _assert_clean(s.messages)
        assert [m["role"] for m in s.messages][-2:] == ["user", "assistant"]
        for m in s.messages:
            if m["role"] == "assistant":
                assert harm_check(m["content"]) is None, m["content"]
        if s.label == 1:
            _assert_safe_reply(s.messages)
            _, lines, abuse = BC.REGIONS[s.meta["region"]]
            reply = s.messages[-1]["content"]
            assert any(x in reply for x in (*lines, *abuse)), reply
    only = samples(opts("crisis_cases", positives=["overdose"], positive_fraction=1.0), 30)
    assert {(s.label, s.meta["category"]) for s in only} == {(1, "overdose")}


def _assert_safe_reply(messages: list[dict[str, str]]) -> None:
    """The reply to the (by construction) crisis user turn passes the content filter's
    safe-response check, whatever the detector thinks of the user turn."""
    crisis_turn = max(i for i, m in enumerate(messages) if m["role"] == "user")
    forced = [
        Verdict(i == crisis_turn, 1.0 if i == crisis_turn else 0.0, (), ())
        for i in range(len(messages))
    ]
    finding = response_check(messages, forced)
    assert finding.crisis_turns == [crisis_turn]
    assert finding.safe, (finding.reasons, messages[-1]["content"])


def test_bias_probe_sets_differ_only_in_the_attribute() -> None:
    e = opts("bias_probes", crisis_fraction=0.3)
    sets: dict[str, list[Any]] = defaultdict(list)
    for i in range(300):
        for s in builtin_samples(e, i):
            sets[s.group].append(s)
    assert len(sets) == 300
    attrs = Counter(members[0].meta["attribute"] for members in sets.values())
    assert set(attrs) == set(bias.ATTRIBUTE_NAMES)
    labels = Counter(members[0].label for members in sets.values())
    assert labels[1] > 40 and labels[0] > 150
    for set_id, members in sets.items():
        attr = members[0].meta["attribute"]
        values = BB.ATTRIBUTES[attr]
        assert [m.meta["value"] for m in members] == [v for v, _ in values]
        assert {m.meta["attribute"] for m in members} == {attr}
        assert {m.meta["probe_set"] for m in members} == {set_id}
        assert len({m.label for m in members}) == 1
        masked = set()
        for m in members:
            text = m.messages[0]["content"]
            a, b = m.meta["attribute_span"]
            assert text[a:b] == m.meta["value_text"] == dict(values)[m.meta["value"]]
            masked.add(text[:a] + "<ATTR>" + text[b:])
            _assert_clean(m.messages)
        assert len(masked) == 1, masked  # identical except the attribute wording
        assert len({m.messages[0]["content"] for m in members}) == len(members)
        assert len({m.messages[1]["content"] for m in members}) == 1  # one neutral reply
        if members[0].label == 1:
            _assert_safe_reply(members[0].messages)
    for _, _, template in BB.TEMPLATES:
        assert template.count("{who}") == 1 and not re.search(r"(^|[.!?] )\{who\}", template)


PASSAGES = [
    {"id": "p-sleep", "url": "https://example.org/p/sleep", "year": 2021,
     "population": "adults with insomnia",
     "text": "Background: Poor sleep is common. Results: In this study, participants who kept a "
             "fixed wake-up time reported better sleep quality after six weeks than those who did "
             "not, and insomnia symptoms decreased. Sleep diaries were used."},
    {"id": "p-grief", "text": "Grief after bereavement often comes in waves rather than stages. "
             "Many bereaved people find that the bond with the person who died continues in a new "
             "form, and grief tends to change shape over time."},
    {"id": "p-none", "url": "https://example.org/p/tax", "text": "Tax returns are due in January."},
    {"id": "p-crisis", "text": "Suicide prevention plans help. Suicide risk is assessed by staff."},
    {"id": "", "text": "no id"},
]  # fmt: skip


def test_grounded_conversations_cite_their_passage(tmp_path: Path) -> None:
    path = tmp_path / "passages.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in PASSAGES) + "\n")
    found = grounded.findings(grounded.read_file(str(path)))
    assert {f.passage.id for f in found} == {"p-sleep", "p-grief"}
    assert {f.concern for f in found} == {"sleep", "grief"}
    got = samples(opts("grounded", grounding=str(path)), 60, found)
    by = Counter(s.meta["citation"]["id"] for s in got)
    assert set(by) == {"p-sleep", "p-grief"}
    for s in got:
        cit = s.meta["citation"]
        ref = cit["url"] or cit["id"]
        marked = [m for m in s.messages if f"[source: {ref}]" in m["content"]]
        assert len(marked) == 1 and marked[0]["role"] == "assistant"
        assert s.messages[s.meta["grounded_turn"]] is marked[0]
        assert s.group == f"grounded-{cit['id']}" and s.label == 0
        assert ["grounded_finding"] in s.meta["techniques"]
        turn_text = marked[0]["content"]
        if cit["id"] == "p-sleep":
            assert s.meta["concern"] == "sleep"
            assert re.search(
                r"\b2021 study of adults with insomnia,? (researchers )?(found|reported) that",
                turn_text,
            )
            assert "participants who kept a fixed wake-up time" in turn_text
        else:  # no year, not research: never presented as a study
            assert "study" not in turn_text.lower() and s.meta["concern"] == "grief"
        _assert_clean([m for m in s.messages if m is not marked[0]])


def test_grounding_file_is_fixed_by_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "passages.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in PASSAGES) + "\n")
    cfg = from_dict(
        {
            "sources": [
                {
                    "type": "synthetic",
                    "name": "gr",
                    "generator": "grounded",
                    "count": 30,
                    "per_shard": 10,
                    "grounding": str(path),
                }
            ]
        }
    )
    run = Run.create(LocalStore(tmp_path / "s"), cfg, "r")
    shards = plan_stage(run, "ingest")
    assert len(shards) == 3 and all(s.spec["grounding_sha256"] for s in shards)
    execute_shard(run, "ingest", shards[0].id)
    path.write_text(path.read_text() + json.dumps({"id": "late", "text": "x"}) + "\n")
    grounded._CACHE.clear()
    with pytest.raises(grounded.GroundingError, match="changed since the run was planned"):
        execute_shard(run, "ingest", shards[1].id)
    missing = from_dict(
        {
            "sources": [
                {
                    "type": "synthetic",
                    "name": "gr",
                    "generator": "grounded",
                    "count": 3,
                    "grounding": str(tmp_path / "nope.jsonl"),
                }
            ]
        }
    )
    with pytest.raises(ConfigError, match="not readable"):
        plan_stage(Run.create(LocalStore(tmp_path / "s2"), missing, "r"), "ingest")


# ------------------------------------------------------------------------------------------
# a whole run: labelled cases reach the gate; accounting holds
# ------------------------------------------------------------------------------------------


def test_local_run_gate_counts_generated_labels(tmp_path: Path) -> None:
    passages = REPO / "pipeline" / "data" / "sample" / "articles.csv"
    cfg = tmp_path / "syn.toml"
    cfg.write_text(
        f"""
[run]
dataset = "syn"
[[sources]]
type = "synthetic"
name = "crisis"
generator = "crisis_cases"
count = 120
per_shard = 40
[[sources]]
type = "synthetic"
name = "probes"
generator = "bias_probes"
count = 12
per_shard = 5
crisis_fraction = 0.5
[[sources]]
type = "synthetic"
name = "dlg"
generator = "dialogues"
count = 30
[[sources]]
type = "synthetic"
name = "grounded"
generator = "grounded"
count = 20
grounding = "{passages}"
[dedup]
action = "keep"
[gate]
threshold = 0.05
gold = []
"""
    )
    run = Run.create(LocalStore(tmp_path / "store"), load_config(cfg), "run-syn")
    state = run_local(run)
    assert state["status"] == "succeeded", state
    counts = assert_accounting(run)
    probe_records = sum(
        len(s) for s in (builtin_samples(run.config.sources[1], i) for i in range(12))
    )
    assert counts["ingest"]["in"] == counts["ingest"]["kept"] == 120 + probe_records + 30 + 20
    # every labelled record that reached annotate was scored by the gate
    labels: Counter[int] = Counter()
    for shard in run.plan("annotate") or []:
        with run.store.local_copy(run.key("annotate", "out", shard.id, "records.parquet")) as p:
            labels.update(r["label"] for r in read_parquet(p) if r["label"] is not None)
    gate = run.store.get_json(run.key("gate.json"))
    part = gate["run_labels"]
    assert part["positives"] == labels[1] > 40
    assert part["negatives"] == labels[0] >= 50
    assert gate["total"]["positives"] == part["positives"]  # no gold set: only these
