"""Static sentence embeddings for the crisis scorer (no torch, no download).

A text's embedding is the L2-normalised mean of the rows of its word pieces in a table
distilled once from all-MiniLM-L6-v2 (``scripts/build_static_embeddings.py``; the files ship
in ``data/static_minilm/``). Tokenising is done by HuggingFace ``tokenizers`` (Rust) once per
distinct whitespace chunk (then cached), the rest is one numpy gather per text.

Bag-of-pieces: word order is lost ("not suicidal" and "suicidal, not" embed alike), which is
why the scorer also sees the rule layer's negation and context features.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "static_minilm"
MAX_TOKENS = 512
_CHUNK_CACHE = 50_000  # whitespace chunks remembered per embedder (~10 MB; cleared when full)

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
        self._chunks: dict[str, tuple[int, ...]] = {}

    @property
    def version(self) -> str:
        """Short id of the table (first 12 hex of its sha256): part of the scorer's identity."""
        return str(self.manifest["files"]["embeddings.npy"])[:12]

    def piece_ids(self, text: str) -> list[int]:
        """The known word-piece ids of ``text`` (at most :data:`MAX_TOKENS`).

        BERT's pre-tokenizer never joins text across whitespace, so each whitespace-separated
        chunk is tokenized on its own and remembered: a corpus reuses a few ten thousand
        chunks, and a dictionary hit costs far less than a call into the tokenizer. (Python's
        ``str.split`` also splits at the ASCII separator controls that BERT's normaliser
        deletes, so only text with those differs from a whole-text encode.)
        """
        cache = self._chunks
        out: list[int] = []
        for chunk in text.split():
            ids = cache.get(chunk)
            if ids is None:
                enc = self.tokenizer.encode(chunk, add_special_tokens=False)
                ids = tuple(t for t in enc.ids if t != self._unk)
                if len(cache) >= _CHUNK_CACHE:
                    cache.clear()
                cache[chunk] = ids
            out.extend(ids)
            if len(out) >= MAX_TOKENS:
                return out[:MAX_TOKENS]
        return out

    def _summed(self, text: str) -> F32 | None:
        """The sum of the rows of ``text``'s pieces, or None when it has no known piece."""
        ids = self.piece_ids(text)
        if not ids:
            return None
        v: F32 = self.table[ids].sum(axis=0)
        return v

    def encode_one(self, text: str) -> F32:
        """The embedding of one text (same values as ``encode([text])[0]``)."""
        v = self._summed(text)
        if v is None:
            return np.zeros(self.dims, dtype=np.float32)
        n = float(np.sqrt(v @ v))
        return v / n if n > 0 else v

    def project(self, text: str, w: F32) -> float:
        """``encode_one(text) @ w`` without building the normalised vector."""
        v = self._summed(text)
        if v is None:
            return 0.0
        n2 = float(v @ v)
        return float(v @ w) / math.sqrt(n2) if n2 > 0 else 0.0

    def encode(self, texts: Sequence[str]) -> F32:
        """One L2-normalised row per text (all zeros for a text with no known pieces)."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.encode_one(text)
        return out


@functools.lru_cache(maxsize=2)
def load_embedder(directory: str = str(DEFAULT_DIR)) -> StaticEmbedder:
    """A process-wide embedder (the table is 30 MB as float32; load it once)."""
    return StaticEmbedder(directory)
