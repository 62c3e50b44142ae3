"""Large uploads to S3: multipart, and resumed after an interruption, uploading only the
parts that are missing (against the moto S3 server, through the fault-injecting proxy)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from pipeline.store import MIB, NotFound, S3Store, StoreError, sha256_file
from tests.faultproxy import FaultProxy

PART = 5 * MIB  # S3's smallest part size


@pytest.fixture
def proxied(s3_endpoint: str) -> Iterator[tuple[S3Store, FaultProxy, Any]]:
    """An S3Store that talks to moto through the fault proxy, with 5 MiB parts."""
    bucket = f"mp-{uuid.uuid4().hex[:12]}"
    direct = boto3.client("s3", endpoint_url=s3_endpoint)
    direct.create_bucket(Bucket=bucket)
    proxy = FaultProxy(s3_endpoint)
    os.environ["PIPELINE_S3_MAX_ATTEMPTS"] = "2"
    try:
        store = S3Store(bucket, "pfx", endpoint_url=proxy.url)
    finally:
        os.environ.pop("PIPELINE_S3_MAX_ATTEMPTS")
    store.multipart_threshold = PART
    store.part_size = PART
    store.upload_threads = 2
    yield store, proxy, direct
    proxy.close()


def count_parts(store: S3Store) -> list[int]:
    """Part numbers the store uploads from now on (a botocore event hook, in order)."""
    sent: list[int] = []

    def hook(params: dict[str, Any], **_: Any) -> None:
        sent.append(int(params["PartNumber"]))

    store.client.meta.events.register("before-parameter-build.s3.UploadPart", hook)
    return sent


def big_file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def uploaded_parts(direct: Any, store: S3Store, key: str) -> set[int]:
    full = store.prefix + key
    ups = [u for u in direct.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
           if u["Key"] == full]  # fmt: skip
    assert len(ups) == 1
    parts = direct.list_parts(Bucket=store.bucket, Key=full, UploadId=ups[0]["UploadId"])
    return {int(p["PartNumber"]) for p in parts.get("Parts", [])}


def test_interrupted_multipart_upload_resumes_with_only_the_missing_parts(
    proxied: tuple[S3Store, FaultProxy, Any], tmp_path: Path
) -> None:
    store, proxy, direct = proxied
    src = big_file(tmp_path / "big.parquet", 3 * PART + 12_345)  # 4 parts
    key = "releases/ds/v1/train.parquet"
    # the upload of part 3 fails for good (a permanent error stops it like a crash would)
    proxy.add("403", pattern=r"partNumber=3\b", method="PUT")
    with pytest.raises(StoreError):
        store.put_file(key, src)
    assert not store.exists(key)  # no partial object is ever visible
    there = uploaded_parts(direct, store, key)
    assert 3 not in there and there  # parts 1, 2 (and maybe 4) are on the server
    proxy.clear()
    sent = count_parts(store)
    result = store.put_multipart(key, src)
    assert sorted(sent) == sorted({1, 2, 3, 4} - there)  # only the rest was uploaded
    assert result == {"parts": 4, "reused": len(there), "uploaded": 4 - len(there)}
    with store.local_copy(key) as p:
        assert sha256_file(p) == sha256_file(src)
    assert direct.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []


def test_resume_does_not_reuse_parts_of_a_changed_file(
    proxied: tuple[S3Store, FaultProxy, Any], tmp_path: Path
) -> None:
    store, proxy, direct = proxied
    src = big_file(tmp_path / "f.bin", 2 * PART + 100)  # 3 parts
    key = "runs/r/x/f.bin"
    proxy.add("403", pattern=r"partNumber=3\b", method="PUT")
    with pytest.raises(StoreError):
        store.put_file(key, src)
    assert uploaded_parts(direct, store, key) == {1, 2}
    proxy.clear()
    data = bytearray(src.read_bytes())
    data[PART + 10 : PART + 20] = b"0123456789"  # part 2 changed since
    src.write_bytes(bytes(data))
    sent = count_parts(store)
    store.put_file(key, src)
    assert sorted(sent) == [2, 3]  # part 1 reused, the stale part 2 uploaded again
    assert hashlib.sha256(store.get(key)).hexdigest() == sha256_file(src)


def test_small_files_are_one_put_and_a_fresh_large_file_uploads_every_part(
    proxied: tuple[S3Store, FaultProxy, Any], tmp_path: Path
) -> None:
    store, _, _ = proxied
    sent = count_parts(store)
    small = big_file(tmp_path / "s.bin", 1000)
    store.put_file("a/s.bin", small)
    assert sent == []
    assert store.get("a/s.bin") == small.read_bytes()
    large = big_file(tmp_path / "l.bin", PART + 1)
    store.put_file("a/l.bin", large)
    assert sorted(sent) == [1, 2]
    assert store.get("a/l.bin") == large.read_bytes()
    with pytest.raises(NotFound):
        store.get("a/missing.bin")
