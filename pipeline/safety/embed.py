"""Static sentence embeddings for the crisis scorer (no torch, no download).

A text's embedding is the L2-normalised mean of the rows of its word pieces in a table
distilled once from all-MiniLM-L6-v2 (``scripts/build_static_embeddings.py``; the files ship
in ``data/static_minilm/``). Tokenising is done by HuggingFace ``tokenizers`` (Rust), the rest
is one numpy gather per batch, so tens of thousands of short texts a second fit on one core.

Bag-of-pieces: word order is lost ("not suicidal" and "suicidal, not" embed alike), which is
why the scorer also sees the rule layer's negation and context features.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "static_minilm"
MAX_TOKENS = 512

F32 = npt.NDArray[np.float32]


class StaticEmbedder:
    """Mean-pooled static word-piece embeddings; see the module docstring."""

    def __init__(self, directory: str | Path = DEFAULT_DIR) -> None:
        # Celery prefork workers fork after import: keep the Rust tokenizer single-threaded
        # so a fork never inherits a busy thread pool (HF tokenizers' documented deadlock).
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from tokenizers import Tokenizer

        d = Path(directory)
        self.manifest: dict[str, Any] = json.loads((d / "manifest.json").read_text())
        q = np.load(d / "embeddings.npy", allow_pickle=False)
        scale = np.load(d / "scales.npy", allow_pickle=False)
        self.table: F32 = (q.astype(np.float32) * scale[:, None]).astype(np.float32)
        self.dims = int(self.table.shape[1])
        self.tokenizer = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        unk = self.tokenizer.token_to_id("[UNK]")
        self._unk = -1 if unk is None else int(unk)

    @property
    def version(self) -> str:
        """Short id of the table (first 12 hex of its sha256): part of the scorer's identity."""
        return str(self.manifest["files"]["embeddings.npy"])[:12]

    def encode_one(self, text: str) -> F32:
        """The embedding of one text (same values as ``encode([text])[0]``)."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids = [t for t in enc.ids[:MAX_TOKENS] if t != self._unk]
        if not ids:
            return np.zeros(self.dims, dtype=np.float32)
        v: F32 = self.table[ids].sum(axis=0)
        n = float(np.sqrt(v @ v))
        return v / n if n > 0 else v

    def encode(self, texts: Sequence[str]) -> F32:
        """One L2-normalised row per text (all zeros for a text with no known pieces)."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if not texts:
            return out
        encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.empty(len(encs), dtype=np.int64)
        pieces: list[list[int]] = []
        for i, enc in enumerate(encs):
            ids = [t for t in enc.ids[:MAX_TOKENS] if t != self._unk]
            pieces.append(ids)
            lengths[i] = len(ids)
        flat = np.fromiter((t for ids in pieces for t in ids), dtype=np.int64)
        if flat.size:
            rows = np.repeat(np.arange(len(encs)), lengths)
            np.add.at(out, rows, self.table[flat])
        norms = np.linalg.norm(out, axis=1)
        norms[norms == 0] = 1.0
        out /= norms[:, None]
        return out


@functools.lru_cache(maxsize=2)
def load_embedder(directory: str = str(DEFAULT_DIR)) -> StaticEmbedder:
    """A process-wide embedder (the table is 30 MB as float32; load it once)."""
    return StaticEmbedder(directory)
