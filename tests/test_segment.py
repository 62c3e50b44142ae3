"""Segmentation (1:N): chunk boundaries, offsets, ids, groups, and turn-aware cutting."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.records import content_hash, new_record
from pipeline.text.segment import Segmenter, segment_text, segment_turns

PARA = (
    "This paragraph talks about sleep and routines, and it is long enough to matter. "
    "It has a few sentences. Each one ends with a full stop! Does it? Yes."
)


def check_chunks(text: str, spans: list[tuple[int, int]], max_chars: int, min_chars: int) -> None:
    prev_end = 0
    for s, e in spans:
        assert s >= prev_end and e > s
        assert text[prev_end:s].strip() == ""  # only whitespace between chunks
        assert text[s:e] == text[s:e].strip()
        assert e - s <= max_chars + min_chars
        prev_end = e
    assert text[prev_end:].strip() == ""


words = st.sampled_from(["a", "bb", "sleep", "worry", "x" * 30, "end.", "why?", "ok!"])
seps = st.sampled_from([" ", " ", " ", "\n", "\n\n", "  \n\n  "])
docs = st.lists(st.tuples(words, seps), min_size=1, max_size=400).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


@settings(max_examples=300, deadline=None)
@given(docs, st.integers(min_value=200, max_value=900), st.integers(min_value=0, max_value=150))
def test_chunks_cover_the_text_in_order(text: str, max_chars: int, min_chars: int) -> None:
    spans = segment_text(text, max_chars, min_chars)
    check_chunks(text, spans, max_chars, min_chars)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "").replace("\n", "") == text.replace(
        " ", ""
    ).replace("\n", "")


def test_paragraph_boundaries_are_preferred_and_headings_start_chunks() -> None:
    paras = [PARA] * 12
    paras.insert(6, "## Part two")
    text = "\n\n".join(paras)
    spans = segment_text(text, 1000, 100)
    check_chunks(text, spans, 1000, 100)
    for s, e in spans:
        assert text[s:e].endswith("Yes.") or text[s:e] == text[s:e]
        assert s == 0 or text[s - 2 : s] == "\n\n"  # every cut is at a blank line
    assert any(text[s:e].startswith("## Part two") for s, e in spans)


def test_one_huge_paragraph_is_cut_at_sentences_then_words() -> None:
    text = " ".join([PARA] * 30)
    spans = segment_text(text, 500, 0)
    check_chunks(text, spans, 500, 0)
    assert all(text[e - 1] in ".!?" for s, e in spans[:-1])
    wall = "word " * 400
    spans = segment_text(wall, 300, 0)
    check_chunks(wall, spans, 300, 0)
    assert all(wall[s:e].split() == ["word"] * len(wall[s:e].split()) for s, e in spans)


def test_a_short_tail_is_merged() -> None:
    text = "\n\n".join([PARA] * 6 + ["Short tail."])
    spans = segment_text(text, 700, 200)
    assert text[spans[-1][0] : spans[-1][1]].endswith("Short tail.")
    assert spans[-1][1] - spans[-1][0] > len("Short tail.") + 100


def test_turns_are_never_split_and_chunks_start_with_the_user() -> None:
    msgs = []
    for i in range(20):
        msgs.append({"role": "user", "content": f"question {i} " + "x" * 150})
        msgs.append({"role": "assistant", "content": f"answer {i} " + "y" * 250})
    spans = segment_turns(msgs, 1000, 0)
    assert spans[0][0] == 0 and spans[-1][1] == len(msgs)
    for (_, e), (s2, _) in itertools.pairwise(spans):
        assert e == s2
    for s, e in spans:
        assert msgs[s]["role"] == "user"
        assert sum(len(m["content"]) for m in msgs[s:e]) <= 1000
    huge = [{"role": "user", "content": "z" * 5000}, {"role": "assistant", "content": "ok"}]
    assert segment_turns(huge, 1000, 0) == [(0, 1), (1, 2)]


def test_segmenter_makes_child_records_with_parent_offsets_and_group() -> None:
    text = "\n\n".join([PARA] * 40)
    parent = new_record(id="book-1", source="t", text=text, meta='{"lang": "en"}')
    out = Segmenter(max_chars=1000, min_chars=200)(dict(parent))
    assert isinstance(out, list) and len(out) > 3
    for i, child in enumerate(out):
        meta = json.loads(child["meta"])
        seg = meta["segment"]
        assert child["id"] == f"book-1#c{i}"
        assert child["group"] == "book-1"  # no group: the parent id keeps chunks together
        assert seg == {"parent_id": "book-1", "index": i, "count": len(out), "unit": "chars",
                       "start": seg["start"], "end": seg["end"]}  # fmt: skip
        assert text[seg["start"] : seg["end"]] == child["text"]
        assert child["content_hash"] == content_hash(child["text"], None)
        assert meta["lang"] == "en"
    grouped = Segmenter(1000, 200)(dict(parent, group="series-7"))
    assert isinstance(grouped, list)
    assert {c["group"] for c in grouped} == {"series-7"}
    small = new_record(id="s", source="t", text=PARA)
    assert Segmenter(1000, 200)(small) is small


def test_segmenter_cuts_long_conversations_by_turns() -> None:
    msgs = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i} " + "w" * 300}
        for i in range(30)
    ]
    out = Segmenter(max_chars=2000, min_chars=0)(new_record(id="c", source="t", messages=msgs))
    assert isinstance(out, list)
    rebuilt = [m for child in out for m in child["messages"]]
    assert rebuilt == msgs
    seg = [json.loads(c["meta"])["segment"] for c in out]
    assert seg[0]["unit"] == "turns" and seg[0]["start"] == 0 and seg[-1]["end"] == 30
