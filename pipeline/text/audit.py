"""A bounded sample of what preprocessing removed, so a reviewer can see what went and why.

Per shard, at most ``per_reason`` entries per reason are kept (the first ones met, so the
sample is deterministic). Each entry is a normal record (same schema) written to the shard's
``audit`` output (``runs/<run>/preprocess/out/<shard>/audit.parquet``):

- ``flags``: ``["dropped:<reason>"]`` for a whole record, ``["removed:<reason>"]`` for a part
  (a boilerplate line, a chat turn);
- ``meta``: JSON ``{"audit": {"reason", "detail", "parent_id", "part"}, ...}``;
- ``text``/``messages``: the record as it was when removed, or the removed part as ``text``;
  texts are cut to ``max_chars`` and passed through the PII redactor first (audit files are
  read by people: a language-dropped record has not reached the PII step yet).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

from pipeline.records import Record, content_hash


class AuditSample:
    def __init__(
        self,
        sink: Callable[[Record], None],
        *,
        per_reason: int = 20,
        max_chars: int = 2000,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        self.sink = sink
        self.per_reason = per_reason
        self.max_chars = max_chars
        self.redact = redact
        self.taken: Counter[str] = Counter()

    def wants(self, reason: str) -> bool:
        return self.taken[reason] < self.per_reason

    def _text(self, text: str) -> str:
        text = text[: self.max_chars]
        return self.redact(text) if self.redact is not None else text

    def _meta(self, rec: Record, info: dict[str, object]) -> str:
        meta: dict[str, object] = {}
        if rec.get("meta"):
            try:
                loaded = json.loads(rec["meta"])
                meta = loaded if isinstance(loaded, dict) else {"meta": loaded}
            except ValueError:
                meta = {"meta": rec["meta"]}
        meta["audit"] = info
        return json.dumps(meta, ensure_ascii=False, sort_keys=True)

    def dropped(self, rec: Record, reason: str, detail: str | None = None) -> None:
        """A whole record was filtered out with ``reason``."""
        if not self.wants(reason):
            return
        self.taken[reason] += 1
        out = dict(rec)
        if out.get("text") is not None:
            out["text"] = self._text(out["text"])
        if out.get("messages"):
            out["messages"] = [
                {"role": m["role"], "content": self._text(m["content"])} for m in out["messages"]
            ]
        else:
            out["messages"] = None
        if out.get("text") is None and out.get("messages") is None:
            out["text"] = ""
        out["flags"] = [f"dropped:{reason}"]
        out["meta"] = self._meta(rec, {"reason": reason, "detail": detail, "parent_id": None})
        out["content_hash"] = content_hash(out.get("text"), out.get("messages"))
        self.sink(out)

    def removed(self, rec: Record, reason: str, part: str, detail: str | None = None) -> None:
        """A part of a kept record (a line, a turn) was removed with ``reason``."""
        if not self.wants(reason):
            return
        n = self.taken[reason]
        self.taken[reason] += 1
        text = self._text(part)
        out = dict(rec)
        out.update(
            id=f"{rec['id']}#removed-{reason}-{n}",
            text=text,
            messages=None,
            flags=[f"removed:{reason}"],
            meta=self._meta(
                rec, {"reason": reason, "detail": detail, "parent_id": rec["id"], "part": True}
            ),
            content_hash=content_hash(text, None),
        )
        self.sink(out)
