"""Segment long documents and conversations into training-sized chunks (1:N).

Texts longer than ``max_chars`` are cut at the coarsest boundary that fits: paragraphs
(blank lines), then lines, then sentences, then words, and only as a last resort at exactly
``max_chars``. Pieces are packed greedily in order; a heading (a Markdown ``#`` line,
``Chapter``/``Section``/``Part``, a numbered title such as ``2.1 Methods``, or a short
all-caps line) starts a new chunk when the current one is at least half full. A last chunk
shorter than ``min_chars`` is merged into the previous one (so a chunk can exceed
``max_chars`` by less than ``min_chars``). Each chunk is exactly ``parent_text[start:end]``.

Conversations longer than ``max_chars`` (sum of turn lengths) are cut between turns, never
inside one (a turn longer than ``max_chars`` is a chunk of its own); a cut that would put an
assistant turn first moves back one turn when it can, so chunks start with the user's turn.

Chunk records: ``id = f"{parent_id}#c{i}"``, ``group`` = the parent's group (or the parent
id when it has none, so every chunk of a document lands in the same split), a fresh
``content_hash``, and ``meta.segment = {"parent_id", "index", "count", "unit", "start",
"end"}`` where ``unit`` is ``"chars"`` (offsets into the parent text) or ``"turns"`` (turn
indices, end exclusive).
"""

from __future__ import annotations

import json
import re
from collections import Counter

from pipeline.records import Record, content_hash

# separators from coarse to fine; a piece longer than max_chars is split at the next level
_LEVELS = (
    re.compile(r"[ \t]*\n[ \t]*\n\s*"),  # paragraphs
    re.compile(r"[ \t]*\n\s*"),  # lines
    re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+"),  # sentences (quotes stay)
    re.compile(r"\s+"),  # words
)
_HEADING = re.compile(
    r"(?:#{1,6} \S|(?:chapter|section|part|appendix)\b|\d+(?:\.\d+)*\.? [A-Z]"
    r"|[A-Z][A-Z0-9 ,:'&-]{3,80}(?:\n|$))",
    re.IGNORECASE,
)


def _pieces(text: str, start: int, end: int, max_chars: int, level: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    if level >= len(_LEVELS):
        return [(i, min(i + max_chars, end)) for i in range(start, end, max_chars)]
    out: list[tuple[int, int]] = []
    pos = start
    for m in _LEVELS[level].finditer(text, start, end):
        if m.start() > pos:
            out.extend(_pieces(text, pos, m.start(), max_chars, level + 1))
        pos = m.end()
    if pos < end:
        out.extend(_pieces(text, pos, end, max_chars, level + 1))
    return out


def _is_heading(text: str, start: int, end: int) -> bool:
    line_end = text.find("\n", start, end)
    first = text[start : line_end if line_end >= 0 else end]
    if len(first) > 100:
        return False
    if first.isupper() and len(first) >= 4:
        return True
    return _HEADING.match(first) is not None and not first.rstrip().endswith((".", ",", ";"))


def segment_text(text: str, max_chars: int, min_chars: int = 0) -> list[tuple[int, int]]:
    """Chunk offsets ``[(start, end), ...]`` of ``text`` (see module docstring)."""
    stripped_end = len(text.rstrip())
    stripped_start = len(text) - len(text.lstrip())
    if stripped_end - stripped_start <= max_chars:
        return [(stripped_start, stripped_end)] if stripped_end > stripped_start else []
    pieces = _pieces(text, stripped_start, stripped_end, max_chars, 0)
    chunks: list[tuple[int, int]] = []
    cs, ce = pieces[0]
    for s, e in pieces[1:]:
        fits = e - cs <= max_chars
        if fits and not (ce - cs >= max_chars // 2 and _is_heading(text, s, e)):
            ce = e
        else:
            chunks.append((cs, ce))
            cs, ce = s, e
    chunks.append((cs, ce))
    if len(chunks) > 1 and chunks[-1][1] - chunks[-1][0] < min_chars:
        last = chunks.pop()
        chunks[-1] = (chunks[-1][0], last[1])
    return chunks


def segment_turns(
    messages: list[dict[str, str]], max_chars: int, min_chars: int = 0
) -> list[tuple[int, int]]:
    """Turn ranges ``[(first, end_exclusive), ...]`` of a conversation."""
    sizes = [len(m["content"]) for m in messages]
    if sum(sizes) <= max_chars:
        return [(0, len(messages))]
    chunks: list[tuple[int, int]] = []
    cs, size = 0, 0
    for i, n in enumerate(sizes):
        if i > cs and size + n > max_chars:
            cut = i
            # start the next chunk with the user turn this assistant turn answers
            if (
                messages[i]["role"] == "assistant"
                and i - 1 > cs
                and messages[i - 1]["role"] == "user"
            ):
                cut = i - 1
            chunks.append((cs, cut))
            cs = cut
            size = sum(sizes[cut:i])
        size += n
    chunks.append((cs, len(messages)))
    if len(chunks) > 1 and sum(sizes[chunks[-1][0] : chunks[-1][1]]) < min_chars:
        last = chunks.pop()
        chunks[-1] = (chunks[-1][0], last[1])
    return chunks


def _with_segment_meta(meta: str | None, info: dict[str, object]) -> str:
    data: dict[str, object] = {}
    if meta:
        try:
            loaded = json.loads(meta)
            data = loaded if isinstance(loaded, dict) else {"meta": loaded}
        except ValueError:
            data = {"meta": meta}
    data["segment"] = info
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


class Segmenter:
    """Record step (last in the chain): the record itself when it fits, else its chunks."""

    def __init__(
        self, max_chars: int = 4000, min_chars: int = 500, counts: Counter[str] | None = None
    ) -> None:
        self.max_chars = max_chars
        self.min_chars = min_chars
        self.counts: Counter[str] = counts if counts is not None else Counter()

    def _child(
        self, rec: Record, i: int, n: int, unit: str, start: int, end: int, **content: object
    ) -> Record:
        child = dict(rec)
        child.update(content)
        child["id"] = f"{rec['id']}#c{i}"
        child["group"] = rec.get("group") or rec["id"]
        child["content_hash"] = content_hash(child.get("text"), child.get("messages"))
        info = {
            "parent_id": rec["id"],
            "index": i,
            "count": n,
            "unit": unit,
            "start": start,
            "end": end,
        }
        child["meta"] = _with_segment_meta(rec.get("meta"), info)
        return child

    def __call__(self, rec: Record) -> Record | list[Record]:
        if rec.get("messages"):
            msgs = rec["messages"]
            if sum(len(m["content"]) for m in msgs) <= self.max_chars:
                return rec
            spans = segment_turns(msgs, self.max_chars, self.min_chars)
            if len(spans) < 2:
                return rec
            return [
                self._child(rec, i, len(spans), "turns", s, e, messages=msgs[s:e])
                for i, (s, e) in enumerate(spans)
            ]
        text = rec.get("text") or ""
        if len(text) <= self.max_chars:
            return rec
        spans = segment_text(text, self.max_chars, self.min_chars)
        if len(spans) < 2:
            return rec
        return [
            self._child(rec, i, len(spans), "chars", s, e, text=text[s:e])
            for i, (s, e) in enumerate(spans)
        ]
