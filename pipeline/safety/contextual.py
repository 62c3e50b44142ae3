"""Contextual crisis classifier: fine-tuned MiniLM, run with onnxruntime on the CPU.

The rule layer and the linear scorer read words and word pieces; they cannot tell "I might
not be here next week" (a goodbye) from "I might not be here next week, I'm on holiday".
This stage reads the whole sentence: all-MiniLM-L6-v2 fine-tuned end to end as a binary
crisis classifier (``scripts/train_crisis_contextual.py``), exported to ONNX and quantised
to int8. The artifact ships in ``data/crisis_contextual/``; nothing is downloaded.

It costs about 3 ms per short text on one core, some 20 times the rest of the detector, so
:class:`~pipeline.safety.detector.CrisisDetector` only asks it about texts the cheap layers
leave in doubt (see ``CONTEXT_BAND`` there). Long texts are read in overlapping windows of
:data:`WINDOW` word pieces; a text's logit is the largest of its windows'. The model was
trained on texts of one window or less and pools its whole window, so a short disclosure in
the middle of a long benign window is diluted: for a text longer than one window the
detector lets this stage add crisis but not remove it.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "crisis_contextual"
WINDOW = 126  # word pieces per window, plus [CLS] and [SEP]: the length it was trained on
STRIDE = 96  # windows overlap by 30 pieces, so a sentence cut by one is whole in the next
MAX_WINDOWS = 32  # ~3,000 word pieces (~12 KB of text) read per text; the rest is not


class ContextualClassifier:
    """``prob(text)``: probability that a text is crisis, from the fine-tuned MiniLM."""

    def __init__(self, directory: str | Path = DEFAULT_DIR) -> None:
        # Celery prefork workers fork after import: keep the Rust tokenizer single-threaded.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        d = Path(directory)
        self.manifest: dict[str, Any] = json.loads((d / "manifest.json").read_text())
        if self.manifest.get("format") != "crisis-contextual":
            raise ValueError(f"{d}: not a crisis-contextual artifact")
        opts = ort.SessionOptions()
        # One thread per process: the fleet's parallelism is its worker processes.
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(d / "model.onnx"), opts, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        cls_id = self.tokenizer.token_to_id("[CLS]")
        sep_id = self.tokenizer.token_to_id("[SEP]")
        if cls_id is None or sep_id is None:
            raise ValueError(f"{d}: tokenizer has no [CLS]/[SEP]")
        self._cls, self._sep = int(cls_id), int(sep_id)

    @property
    def version(self) -> str:
        """Short id of the model (first 10 hex of its sha256): part of the detector version."""
        return str(self.manifest["files"]["model.onnx"])[:10]

    def windows(self, text: str) -> list[list[int]]:
        """The text's word-piece id windows, each wrapped in [CLS] ... [SEP]."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        out: list[list[int]] = []
        start = 0
        while True:
            out.append([self._cls, *ids[start : start + WINDOW], self._sep])
            if start + WINDOW >= len(ids) or len(out) >= MAX_WINDOWS:
                return out
            start += STRIDE

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """Probability (the largest of its windows') and window count of each text.

        Every window runs through the model on its own. The int8 graph quantises its
        activations with a range measured per call, so a window batched with others (and
        their padding) would score a little differently from the same window alone: one at a
        time, a text's score never depends on what else is scored with it (and on this CPU
        it costs under 5% of throughput against batches of 64).
        """
        out: list[Reading] = []
        for text in texts:
            best = -math.inf
            windows = self.windows(text)
            for w in windows:
                ids = np.asarray([w], dtype=np.int64)
                feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
                (logit,) = self._session.run(["logit"], feed)
                best = max(best, float(logit[0]))
            out.append(Reading(1.0 / (1.0 + math.exp(-best)), len(windows)))
        return out

    def probs(self, texts: Sequence[str]) -> list[float]:
        return [r.prob for r in self.read(texts)]

    def prob(self, text: str) -> float:
        return self.read([text])[0].prob


@dataclass(frozen=True, slots=True)
class Reading:
    """What the classifier made of one text: crisis probability, and how many windows it
    read (more than one: the text was longer than the model's window)."""

    prob: float
    windows: int


@functools.lru_cache(maxsize=2)
def load_contextual(directory: str | None = None) -> ContextualClassifier:
    """The shipped classifier, built once per process."""
    return ContextualClassifier(DEFAULT_DIR if directory is None else directory)
