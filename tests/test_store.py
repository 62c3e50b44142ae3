"""The one store interface, on a local directory and on a real S3 server over HTTP."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pipeline.store import InvalidKey, LocalStore, NotFound, Store, StoreError, open_store


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "local":
        return LocalStore(tmp_path / "store")
    spec = request.getfixturevalue("s3_store_spec")
    return open_store(spec)


@pytest.mark.parametrize(
    "key",
    [
        "../etc/passwd",
        "/abs/key",
        "a/../b",
        "a//b",
        "a/./b",
        ".hidden",
        "a\\b",
        "",
        "a/b/",
        "sp ace",
    ],
)
def test_unsafe_keys_are_refused(store: Store, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put(key, b"x")


def test_roundtrip_list_delete(store: Store, tmp_path: Path) -> None:
    store.put("runs/r1/a.json", b'{"a": 1}')
    store.put_json("runs/r1/b/c.json", {"b": 2})
    src = tmp_path / "big.bin"
    src.write_bytes(b"z" * 100_000)
    store.put_file("runs/r1/big.bin", src)
    assert store.get_json("runs/r1/a.json") == {"a": 1}
    assert list(store.list_keys("runs/r1")) == [
        "runs/r1/a.json",
        "runs/r1/b/c.json",
        "runs/r1/big.bin",
    ]
    assert store.children("runs") == ["r1"]
    assert store.children("runs/r1") == ["b"]
    with store.local_copy("runs/r1/big.bin") as p:
        assert p.read_bytes() == b"z" * 100_000
    store.delete("runs/r1/a.json")
    assert not store.exists("runs/r1/a.json")
    with pytest.raises(NotFound):
        store.get("runs/r1/a.json")
    assert store.get_json_or_none("runs/r1/a.json") is None


def test_put_if_absent_has_exactly_one_winner(store: Store) -> None:
    wins: list[int] = []
    barrier = threading.Barrier(8)

    def writer(i: int) -> None:
        barrier.wait()
        if store.put_if_absent("runs/r/plan.json", str(i).encode()):
            wins.append(i)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    assert store.get("runs/r/plan.json") == str(wins[0]).encode()


def test_local_writes_are_atomic_and_leave_no_temp_files(tmp_path: Path) -> None:
    st = LocalStore(tmp_path)
    st.put("k/x.bin", b"1" * 10)
    st.put("k/x.bin", b"2" * 10)
    assert st.get("k/x.bin") == b"2" * 10
    assert [p.name for p in (tmp_path / "k").iterdir()] == ["x.bin"]


def test_s3_missing_bucket_fails_fast_naming_bucket_and_fix(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_S3_ENDPOINT", s3_endpoint)
    st = open_store("s3://no-such-bucket-here/x")
    with pytest.raises(StoreError) as err:
        st.put("a.json", b"{}")
    msg = str(err.value)
    assert "no-such-bucket-here" in msg
    assert "NoSuchBucket" in msg
    assert "PIPELINE_STORE" in msg
    assert s3_endpoint in msg


def test_ovh_endpoint_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.store import S3Store

    env = {"OVH_S3_ENDPOINT": "https://s3.gra.io.cloud.ovh.net", "PIPELINE_STORE": "s3://bkt/p"}
    st = open_store(env=env)
    assert isinstance(st, S3Store)
    assert st.endpoint_url == "https://s3.gra.io.cloud.ovh.net"
    assert st.bucket == "bkt"
    assert st.prefix == "p/"
    with pytest.raises(StoreError):
        open_store("s3://Bad_Bucket/x")
    with pytest.raises(StoreError):
        open_store("gs://bucket/x")
