"""The shipped static embeddings: integrity, batch/single agreement, and that they carry meaning."""

from __future__ import annotations

import hashlib

import numpy as np

from pipeline.safety.embed import DEFAULT_DIR, load_embedder


def test_shipped_files_match_their_manifest() -> None:
    emb = load_embedder()
    for name, digest in emb.manifest["files"].items():
        assert hashlib.sha256((DEFAULT_DIR / name).read_bytes()).hexdigest() == digest, name
    assert emb.table.shape == (emb.manifest["vocab"], emb.manifest["dims"])


def test_batch_and_single_encodings_agree_and_are_unit_length() -> None:
    emb = load_embedder()
    texts = ["I don't want to wake up tomorrow", "", "🙂🙂", "ok", "word " * 2000]
    batch = emb.encode(texts)
    single = np.stack([emb.encode_one(t) for t in texts])
    assert np.allclose(batch, single, atol=1e-6)
    norms = np.linalg.norm(batch, axis=1)
    assert np.allclose(norms[[0, 3, 4]], 1.0, atol=1e-5)
    assert norms[1] == 0.0  # nothing to embed: a zero row, not NaN


def test_paraphrases_are_closer_than_unrelated_texts() -> None:
    emb = load_embedder()
    a, b, c = emb.encode(
        [
            "I gave my guitar and my books away to friends this week",
            "I've been giving all my stuff away to people lately",
            "The recipe needs two cups of flour and an egg",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2
