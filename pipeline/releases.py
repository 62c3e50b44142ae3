"""Reading published releases: list, show, diff, and load a split into Arrow, pandas or a
Hugging Face ``datasets.Dataset``.

from pipeline.releases import load_release
table = load_release("sample-therapy", split="train")            # latest, pyarrow.Table
df = load_release("sample-therapy", "v-1c429c5acd12", "test", as_="pandas",
                  store="s3://bucket/prefix")
ds = load_release("sample-therapy", split="validation", as_="hf")  # needs the `hf` extra
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.store import NotFound, Store, open_store, sha256_file


class ReleaseError(LookupError):
    """No such dataset, version or split."""


def _store(store: Store | str | None) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def list_releases(store: Store | str | None = None) -> list[dict[str, Any]]:
    """Every dataset and version in the store, with row counts; latest marked."""
    st = _store(store)
    out = []
    for dataset in st.children("releases"):
        latest = (st.get_json_or_none(f"releases/{dataset}/latest.json") or {}).get("version")
        for version in st.children(f"releases/{dataset}"):
            manifest = st.get_json_or_none(f"releases/{dataset}/{version}/manifest.json")
            if manifest is None:
                continue  # files of an unfinished publish: not a release
            rows = {k: v["rows"] for k, v in manifest["splits"].items()}
            out.append(
                {"dataset": dataset, "version": version, "latest": version == latest, "rows": rows}
            )
    return out


def resolve(ref: str, store: Store | str | None = None) -> tuple[str, str]:
    """``DATASET`` or ``DATASET@VERSION`` -> (dataset, version)."""
    st = _store(store)
    dataset, _, version = ref.partition("@")
    if not version:
        latest = st.get_json_or_none(f"releases/{dataset}/latest.json")
        if latest is None:
            raise ReleaseError(f"no published release of {dataset!r} in {st.url}")
        version = str(latest["version"])
    return dataset, version


def manifest(dataset: str, version: str, store: Store | str | None = None) -> dict[str, Any]:
    st = _store(store)
    try:
        doc: dict[str, Any] = st.get_json(f"releases/{dataset}/{version}/manifest.json")
    except NotFound:
        raise ReleaseError(f"no release {dataset}@{version} in {st.url}") from None
    return doc


def load_release(
    dataset: str,
    version: str | None = None,
    split: str = "train",
    store: Store | str | None = None,
    as_: str = "arrow",
    verify: bool = False,
) -> Any:
    """Load one split of a release (the latest if ``version`` is None) from a local or S3
    store as a ``pyarrow.Table`` (``as_="arrow"``), a ``pandas.DataFrame`` (``"pandas"``) or
    a Hugging Face ``datasets.Dataset`` (``"hf"``; install the ``hf`` extra). ``verify``
    checks the file's sha256 against the manifest first.

    ``as`` is a Python keyword, hence ``as_``. In a ``Dataset``, ``messages`` is a list of
    ``{role, content}`` (null for plain-text records), the shape chat templates take.
    """
    if as_ not in ("arrow", "pandas", "hf"):
        raise ValueError(f"as_ must be 'arrow', 'pandas' or 'hf', got {as_!r}")
    hf = _import_datasets() if as_ == "hf" else None
    st = _store(store)
    if version is None:
        dataset, version = resolve(dataset, st)
    doc = manifest(dataset, version, st)
    files = [f for f in doc["files"] if f["split"] == split and f["path"].endswith(".parquet")]
    if not files:
        raise ReleaseError(f"release {dataset}@{version} has no parquet file for split {split!r}")
    key = f"releases/{dataset}/{version}/{files[0]['path']}"
    with st.local_copy(key) as path:
        if verify and sha256_file(path) != files[0]["sha256"]:
            raise ReleaseError(f"{key} in {st.url} does not match the sha256 in its manifest")
        table = pq.read_table(str(path))
    if as_ == "arrow":
        return table
    if as_ == "pandas":
        return table.to_pandas()
    assert hf is not None
    info = hf.DatasetInfo(
        description=f"{dataset} {version} ({split}), published by unified-ai-dataset-pipeline",
        version=None,
    )
    return hf.Dataset(table, info=info, split=hf.NamedSplit(split))


def _import_datasets() -> Any:
    try:
        return importlib.import_module("datasets")
    except ImportError:
        raise ImportError(
            "loading a release as a Hugging Face Dataset needs the `datasets` package: "
            "install the `hf` extra (pip install 'unified-ai-dataset-pipeline[hf]', or "
            "uv sync --extra hf)"
        ) from None


def _summary(dataset: str, version: str, st: Store) -> dict[str, Any]:
    doc = manifest(dataset, version, st)
    ids: dict[str, str] = {}
    by: dict[str, Counter[str]] = {"split": Counter(), "source": Counter(), "label": Counter()}
    for split in doc["splits"]:
        table: pa.Table = load_release(dataset, version, split, st)
        cols = table.select(["id", "source", "crisis"]).to_pydict()
        for rid, source, crisis in zip(cols["id"], cols["source"], cols["crisis"], strict=True):
            ids[rid] = split
            by["split"][split] += 1
            by["source"][source] += 1
            by["label"]["crisis" if crisis else "not_crisis"] += 1
    return {"ids": ids, "counts": {k: dict(v) for k, v in by.items()}}


def diff(a: str, b: str, store: Store | str | None = None, show: int = 20) -> dict[str, Any]:
    """What changed from release ``a`` to ``b`` (``DATASET[@VERSION]`` each): counts per
    split, source and label, and added, removed and moved record ids."""
    st = _store(store)
    sa, sb = _summary(*resolve(a, st), st), _summary(*resolve(b, st), st)
    ia, ib = sa["ids"], sb["ids"]
    added = sorted(set(ib) - set(ia))
    removed = sorted(set(ia) - set(ib))
    moved = sorted(i for i in set(ia) & set(ib) if ia[i] != ib[i])
    counts = {}
    for key in ("split", "source", "label"):
        names = sorted(set(sa["counts"][key]) | set(sb["counts"][key]))
        counts[key] = {
            n: {"a": sa["counts"][key].get(n, 0), "b": sb["counts"][key].get(n, 0)} for n in names
        }
    return {
        "a": "@".join(resolve(a, st)),
        "b": "@".join(resolve(b, st)),
        "counts": counts,
        "added": len(added),
        "removed": len(removed),
        "moved_between_splits": len(moved),
        "examples": {"added": added[:show], "removed": removed[:show], "moved": moved[:show]},
    }
