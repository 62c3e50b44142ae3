"""Light offline crisis scorer: logistic regression over hashed text features (numpy only).

Features (all hashed with CRC-32 into ``2**n_bits`` buckets, so they are stable across
processes and machines, unlike Python's salted ``hash``):

* word unigrams and bigrams over a lowercased copy, with simple negation marking - the up to
  three tokens after a negator ("not", "never", "don't", ...) are prefixed ``n_`` until the
  next punctuation mark;
* byte 3-5-grams of the whitespace-collapsed text (padded with one space each side);
* optionally, named features supplied by the caller (the rule layer's per-category scores and
  modifier flags, see :func:`pipeline.safety.detector.rule_features`);
* optionally, a dense block: the text's static sentence embedding
  (:mod:`pipeline.safety.embed`, distilled from all-MiniLM-L6-v2), times ``emb_scale``, in
  columns ``2**n_bits ..``. It carries meaning that no keyword does ("I won't be here next
  week" sits near other goodbyes), which is what implicit crisis talk needs.

Feature version 3 computes the word, char and embedding blocks on :func:`scorer_view` of the
text, in which identity terms (religion, ethnicity, sexuality, disability, income, age) are
replaced by one neutral word, so that who writes never counts as evidence of crisis.

Word and char blocks are binary and each L2-normalised, so short and long texts score on the
same scale. The probability is ``sigmoid(bias + w . x)``; weights live in a small JSON
artifact (``data/crisis_scorer.json``) written by ``scripts/train_crisis_scorer.py``.

No network, no model download, no scikit-learn. Inference is plain Python over a list of
weights (about 20-40 microseconds for a short text); training helpers use numpy.
"""

from __future__ import annotations

import itertools
import json
import math
import pathlib
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.safety.identity import mask_identity

if TYPE_CHECKING:  # numpy is imported lazily: inference is plain Python
    import numpy as np
    import numpy.typing as npt

    from pipeline.safety.embed import StaticEmbedder

__all__ = [
    "DEFAULT_ARTIFACT",
    "FEATURE_VERSION",
    "CrisisScorer",
    "FeatureRows",
    "featurize",
    "fit_logreg",
    "scorer_view",
]

FEATURE_VERSION = 3
DEFAULT_ARTIFACT = pathlib.Path(__file__).resolve().parent / "data" / "crisis_scorer.json"

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?,;:]")
_NEGATOR = frozenset(
    {
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "nor",
        "without",
        "cannot",
        "dont",
        "didnt",
        "doesnt",
        "wont",
        "cant",
        "isnt",
        "wasnt",
        "arent",
        "havent",
        "hasnt",
        "wouldnt",
        "shouldnt",
        "couldnt",
        "aint",
    }
)
_PUNCT = frozenset(".!?,;:")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_NEG_SPAN = 3
_CHAR_NS = (3, 4, 5)


_HASHES: dict[str, int] = {}
_HASH_CACHE = 100_000  # feature strings remembered (~15 MB; cleared when full)


def _h(s: str) -> int:
    v = _HASHES.get(s)
    if v is None:
        v = zlib.crc32(s.encode("utf-8"))
        if len(_HASHES) >= _HASH_CACHE:
            _HASHES.clear()
        _HASHES[s] = v
    return v


def scorer_view(text: str) -> str:
    """The text as the scorer sees it: identity terms masked (see :mod:`.identity`)."""
    return mask_identity(text)


def _word_features(low: str) -> list[str]:
    toks = _TOKEN.findall(low)
    marked: list[str] = []
    left = 0
    for tok in toks:
        if tok in _PUNCT:
            left = 0
            marked.append("|")
            continue
        if left:
            marked.append("n_" + tok)
            left -= 1
        else:
            marked.append(tok)
        bare = tok.replace("'", "")
        if bare in _NEGATOR or (bare.endswith("nt") and tok.endswith("n't")):
            left = _NEG_SPAN
    feats = ["w:" + t for t in marked if t != "|"]
    feats.extend("b:" + a + " " + b for a, b in itertools.pairwise(marked) if "|" not in (a, b))
    return feats


_CHAR_SEEDS = tuple((n, zlib.crc32(b"c%d:" % n)) for n in _CHAR_NS)


def _char_hashes(low: str, mask: int) -> set[int]:
    b = (" " + " ".join(low.split()) + " ").encode("utf-8")
    crc = zlib.crc32
    out: set[int] = set()
    for n, seed in _CHAR_SEEDS:
        out.update([crc(b[i : i + n], seed) & mask for i in range(len(b) - n + 1)])
    return out


def _normalise(text: str) -> str:
    return text.translate(_APOS).lower()


@dataclass(frozen=True, slots=True)
class _Row:
    words: tuple[int, ...]
    chars: tuple[int, ...]
    named: tuple[tuple[int, float], ...]


def _row(text: str, named: Mapping[str, float] | None, mask: int) -> _Row:
    low = _normalise(scorer_view(text))
    words = tuple(sorted({_h(f) & mask for f in _word_features(low)}))
    chars = tuple(sorted(_char_hashes(low, mask)))
    nm = tuple(sorted((_h("r:" + k) & mask, float(v)) for k, v in (named or {}).items() if v))
    return _Row(words, chars, nm)


@dataclass(frozen=True)
class FeatureRows:
    """A sparse design matrix in coordinate form (rows, cols, values), for training."""

    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    vals: npt.NDArray[np.float64]
    n: int
    dim: int

    def take(self, idx: Sequence[int] | npt.NDArray[np.int64]) -> FeatureRows:
        """The sub-matrix of the given rows (renumbered 0..len(idx)-1, in that order)."""
        import numpy as np

        idx_arr = np.asarray(idx, dtype=np.int64)
        new = np.full(self.n, -1, dtype=np.int64)
        new[idx_arr] = np.arange(len(idx_arr), dtype=np.int64)
        keep = new[self.rows] >= 0
        r = new[self.rows[keep]]
        order = np.argsort(r, kind="stable")
        return FeatureRows(
            r[order], self.cols[keep][order], self.vals[keep][order], len(idx_arr), self.dim
        )

    def dot(self, w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        import numpy as np

        out = np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.n)
        return out.astype(np.float64)

    def tdot(self, g: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        import numpy as np

        out = np.bincount(self.cols, weights=self.vals * g[self.rows], minlength=self.dim)
        return out.astype(np.float64)


def featurize(
    texts: Sequence[str],
    named: Sequence[Mapping[str, float]] | None = None,
    n_bits: int = 18,
    emb: npt.NDArray[np.float32] | None = None,
    emb_scale: float = 1.0,
    chars: bool = True,
) -> FeatureRows:
    """Features of ``texts`` (plus the matching named features and embedding rows, if given)."""
    import numpy as np

    mask = (1 << n_bits) - 1
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    dims = 0 if emb is None else int(emb.shape[1])
    for i, text in enumerate(texts):
        r = _row(text, named[i] if named is not None else None, mask)
        for block in (r.words, r.chars) if chars else (r.words,):
            if block:
                v = 1.0 / math.sqrt(len(block))
                rows.extend([i] * len(block))
                cols.extend(block)
                vals.extend([v] * len(block))
        for c, v in r.named:
            rows.append(i)
            cols.append(c)
            vals.append(v)
    r_arr = np.asarray(rows, dtype=np.int64)
    c_arr = np.asarray(cols, dtype=np.int64)
    v_arr = np.asarray(vals, dtype=np.float64)
    if emb is not None:
        n = len(texts)
        r_arr = np.concatenate([r_arr, np.repeat(np.arange(n, dtype=np.int64), dims)])
        c_arr = np.concatenate([c_arr, np.tile(np.arange(dims, dtype=np.int64), n) + (1 << n_bits)])
        v_arr = np.concatenate([v_arr, emb.astype(np.float64).ravel() * emb_scale])
        order = np.argsort(r_arr, kind="stable")
        r_arr, c_arr, v_arr = r_arr[order], c_arr[order], v_arr[order]
    return FeatureRows(r_arr, c_arr, v_arr, len(texts), (1 << n_bits) + dims)


def fit_logreg(
    x: FeatureRows,
    y: npt.NDArray[np.float64],
    l2: float = 1e-3,
    iters: int = 400,
) -> tuple[npt.NDArray[np.float64], float]:
    """Class-balanced L2 logistic regression by Nesterov-accelerated gradient descent.

    Deterministic (no randomness; fixed iteration count). Returns ``(weights, bias)``.
    """
    import numpy as np

    n = x.n
    pos = float(y.sum())
    neg = float(n - pos)
    sw = np.where(y > 0.5, n / (2.0 * max(pos, 1.0)), n / (2.0 * max(neg, 1.0))) / n
    # Lipschitz bound of the weighted mean loss: 0.25 * max weight * sum of squared row norms.
    row_sq = np.bincount(x.rows, weights=x.vals * x.vals, minlength=n)
    lip = 0.25 * float(np.max(sw)) * float(row_sq.sum()) + 0.25 * float(sw.sum()) + l2
    step = 1.0 / lip
    w = np.zeros(x.dim)
    b = 0.0
    vw, vb = w.copy(), b
    t = 1.0
    for _ in range(iters):
        z = x.dot(vw) + vb
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))
        g = sw * (p - y)
        gw = x.tdot(g) + l2 * vw
        gb = float(g.sum())
        w_new = vw - step * gw
        b_new = vb - step * gb
        t_new = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
        mom = (t - 1.0) / t_new
        vw = w_new + mom * (w_new - w)
        vb = b_new + mom * (b_new - b)
        w, b, t = w_new, b_new, t_new
    return w, b


def predict_proba(x: FeatureRows, w: npt.NDArray[np.float64], b: float) -> npt.NDArray[np.float64]:
    """Probabilities for every row of ``x``."""
    import numpy as np

    z = x.dot(w) + b
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))
    return out


class CrisisScorer:
    """Loaded scorer: :meth:`prob` gives P(crisis) for one text (pure Python, no numpy).

    ``threshold`` is the probability the training script chose by cross-validation; the
    detector maps it onto its own threshold (see :meth:`scaled`).
    """

    def __init__(
        self,
        weights: Mapping[int, float],
        bias: float,
        n_bits: int,
        threshold: float,
        enabled: bool = True,
        meta: Mapping[str, Any] | None = None,
        emb_weights: Sequence[float] | None = None,
        emb_scale: float = 1.0,
        embedder: StaticEmbedder | None = None,
        chars: bool = True,
        digest: str = "custom",
    ) -> None:
        self.chars = chars
        self.digest = digest  # names the artifact in the detector's version
        if not 0.0 < threshold < 1.0:
            raise ValueError("scorer threshold must be in (0, 1)")
        self.emb_w: npt.NDArray[np.float32] | None = None
        self.embedder = embedder
        if emb_weights is not None:
            import numpy as np

            if embedder is None:
                from pipeline.safety.embed import load_embedder

                self.embedder = embedder = load_embedder()
            if len(emb_weights) != embedder.dims:
                raise ValueError(
                    f"scorer has {len(emb_weights)} embedding weights, embedder {embedder.dims}"
                )
            self.emb_w = np.asarray(emb_weights, dtype=np.float32) * np.float32(emb_scale)
        self.n_bits = n_bits
        self._mask = (1 << n_bits) - 1
        table = [0.0] * (1 << n_bits)
        for k, v in weights.items():
            table[int(k)] = float(v)
        self._w = table
        self.bias = float(bias)
        self.threshold = float(threshold)
        self.enabled = enabled
        self.meta: dict[str, Any] = dict(meta or {})

    # ------------------------------------------------------------------ persistence
    @classmethod
    def load(cls, path: str | pathlib.Path = DEFAULT_ARTIFACT) -> CrisisScorer:
        """Read an artifact written by :func:`dump_artifact`."""
        import hashlib

        blob = pathlib.Path(path).read_bytes()
        obj = json.loads(blob)
        if obj.get("feature_version") != FEATURE_VERSION:
            raise ValueError(
                f"{path}: feature_version {obj.get('feature_version')!r} != {FEATURE_VERSION}"
            )
        scale = float(obj["scale"])
        idx = obj["idx"]
        q = obj["w"]
        if len(idx) != len(q):
            raise ValueError(f"{path}: idx and w differ in length")
        weights: dict[int, float] = {}
        pos = 0
        for delta, qi in zip(idx, q, strict=True):
            pos += int(delta)
            weights[pos] = int(qi) / scale
        emb = obj.get("emb")
        embedder = None
        if emb is not None:
            from pipeline.safety.embed import load_embedder

            embedder = load_embedder()
            if embedder.version != emb["version"]:
                raise ValueError(
                    f"{path}: trained on embeddings {emb['version']}, shipped table is "
                    f"{embedder.version}; retrain with scripts/train_crisis_scorer.py"
                )
        return cls(
            weights,
            int(obj["bias_q"]) / scale,
            int(obj["n_bits"]),
            float(obj["threshold"]),
            enabled=bool(obj["enabled"]),
            meta=obj.get("meta", {}),
            emb_weights=None if emb is None else [int(v) / scale for v in emb["w"]],
            emb_scale=1.0 if emb is None else float(emb["scale"]),
            embedder=embedder,
            chars=bool(obj.get("chars", True)),
            digest=hashlib.sha256(blob).hexdigest()[:10],
        )

    # ------------------------------------------------------------------ scoring
    def logit(self, text: str, named: Mapping[str, float] | None = None) -> float:
        """Same value as training's ``x . w + b`` (up to float summation order)."""
        mask = self._mask
        view = scorer_view(text)
        low = _normalise(view)
        w = self._w
        z = self.bias
        words = {_h(f) & mask for f in _word_features(low)}
        if words:
            z += sum([w[i] for i in words]) / math.sqrt(len(words))
        if self.chars:
            chars = _char_hashes(low, mask)
            if chars:
                z += sum([w[i] for i in chars]) / math.sqrt(len(chars))
        if named:
            for k, v in named.items():
                z += w[_h("r:" + k) & mask] * v
        if self.emb_w is not None:
            assert self.embedder is not None
            z += self.embedder.project(view, self.emb_w)
        return z

    def prob(self, text: str, named: Mapping[str, float] | None = None) -> float:
        """P(crisis) in [0, 1]."""
        z = max(-35.0, min(35.0, self.logit(text, named)))
        return 1.0 / (1.0 + math.exp(-z))

    def scaled(self, p: float, target: float) -> float:
        """Map ``p`` monotonically so that ``self.threshold`` lands on ``target``.

        ``[0, threshold] -> [0, target]`` and ``[threshold, 1] -> [target, 1]`` linearly, so a
        scorer probability can be compared with (and max-combined with) rule scores.
        """
        t = self.threshold
        if p < t:
            return target * p / t
        return target + (1.0 - target) * (p - t) / (1.0 - t)


def dump_artifact(
    w: npt.NDArray[np.float64],
    bias: float,
    n_bits: int,
    threshold: float,
    enabled: bool,
    meta: Mapping[str, Any],
    scale: int = 100_000,
    emb: Mapping[str, Any] | None = None,
    chars: bool = True,
) -> bytes:
    """Deterministic JSON bytes: weights quantised to ``1/scale``, delta-coded indices.

    ``emb`` (``{"version", "scale"}``) marks the columns past ``2**n_bits`` as the
    embedding block; their weights are stored densely under ``emb.w``.
    """
    import numpy as np

    sparse_dim = 1 << n_bits
    emb_obj = None
    if emb is not None:
        emb_obj = {**emb, "w": np.rint(w[sparse_dim:] * scale).astype(np.int64).tolist()}
    w = w[:sparse_dim]
    q = np.rint(w * scale).astype(np.int64)
    nz = np.flatnonzero(q)
    deltas = np.diff(np.concatenate([[0], nz])).tolist()
    obj = {
        "format": "crisis-scorer",
        "feature_version": FEATURE_VERSION,
        "n_bits": n_bits,
        "scale": scale,
        "bias_q": round(bias * scale),
        "threshold": round(float(threshold), 6),
        "enabled": enabled,
        "meta": dict(meta),
        "idx": deltas,
        "w": q[nz].tolist(),
        "chars": chars,
    }
    if emb_obj is not None:
        obj["emb"] = emb_obj
    return (json.dumps(obj, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def iter_named(names: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Collapse ``(name, value)`` pairs to a dict keeping each name's maximum value."""
    out: dict[str, float] = {}
    for k, v in names:
        if v > out.get(k, 0.0):
            out[k] = v
    return out
