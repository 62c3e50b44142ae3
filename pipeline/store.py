"""One object-store interface with two implementations: a local directory and S3.

Every byte the pipeline keeps (raw data, shard outputs, markers, run state, releases) goes
through :class:`Store`. Writes are atomic: a reader sees the whole object or nothing.
``put_if_absent`` is the one coordination primitive (plans, markers, launch claims,
release manifests): exactly one of several concurrent writers wins.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

KEY_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._=@+\-]*(/[A-Za-z0-9_][A-Za-z0-9._=@+\-]*)*$")
MAX_KEY_LEN = 900
MIB = 1 << 20
MIN_PART = 5 * MIB  # S3's smallest part (all but the last)
MAX_PARTS = 10_000  # S3's most parts per upload
log = logging.getLogger("pipeline.store")


class StoreError(RuntimeError):
    """A store operation failed; the message says where and what to do."""


class TransientStoreError(StoreError):
    """Throttling, 5xx, timeouts, resets: worth retrying later with backoff."""


class InvalidKey(StoreError, ValueError):
    """A key that could escape the store or is not portable across S3 providers."""


class NotFound(StoreError, KeyError):
    """The object does not exist."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else "not found"


def validate_key(key: str) -> str:
    """Return ``key`` if it is a safe relative key; raise :class:`InvalidKey` otherwise."""
    if not isinstance(key, str) or not key:
        raise InvalidKey("store key must be a non-empty string")
    if len(key) > MAX_KEY_LEN:
        raise InvalidKey(f"store key longer than {MAX_KEY_LEN} characters: {key[:60]}...")
    if key.startswith("/") or "\\" in key:
        raise InvalidKey(f"store key must be relative and use '/': {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise InvalidKey(f"store key has an empty, '.' or '..' segment: {key!r}")
    if not KEY_RE.match(key):
        raise InvalidKey(
            f"store key {key!r} has characters outside [A-Za-z0-9._=@+-] or a segment "
            "starting with '.' or '-'"
        )
    return key


def validate_prefix(prefix: str) -> str:
    if prefix == "":
        return prefix
    return validate_key(prefix.rstrip("/")) + "/"


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Store(ABC):
    """Abstract object store; keys are validated '/'-separated relative paths."""

    url: str

    @abstractmethod
    def get(self, key: str) -> bytes: ...

    @abstractmethod
    def put(self, key: str, data: bytes) -> None: ...

    @abstractmethod
    def put_if_absent(self, key: str, data: bytes) -> bool:
        """Create ``key`` only if it does not exist. True if this call created it."""

    @abstractmethod
    def put_file(self, key: str, path: str | Path) -> None: ...

    @abstractmethod
    def download(self, key: str, path: str | Path) -> None: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def list_keys(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix`` in lexicographic order."""

    @abstractmethod
    def delete(self, key: str) -> None: ...

    def children(self, prefix: str) -> list[str]:
        """Names of the immediate 'sub-directories' under ``prefix`` (sorted)."""
        prefix = validate_prefix(prefix)
        names = {
            k[len(prefix) :].split("/", 1)[0]
            for k in self.list_keys(prefix)
            if "/" in k[len(prefix) :]
        }
        return sorted(names)

    # -- helpers shared by both implementations -------------------------------------------
    def get_json(self, key: str) -> Any:
        return json.loads(self.get(key))

    def put_json(self, key: str, obj: Any) -> None:
        self.put(key, dumps(obj))

    def put_json_if_absent(self, key: str, obj: Any) -> bool:
        return self.put_if_absent(key, dumps(obj))

    def get_json_or_none(self, key: str) -> Any:
        try:
            return self.get_json(key)
        except NotFound:
            return None

    @contextlib.contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        """A local file holding the object, removed afterwards (no copy for a local store)."""
        tmpdir = tempfile.mkdtemp(prefix="pipeline-get-")
        try:
            path = Path(tmpdir) / "object"
            self.download(key, path)
            yield path
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)


def dumps(obj: Any) -> bytes:
    """Canonical JSON bytes (sorted keys, UTF-8) so equal objects give equal bytes."""
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


class LocalStore(Store):
    """A directory on a local or shared filesystem: the embedded default."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"{key} not found in {self.url}") from None

    def _tmp(self, final: Path) -> Path:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600; objects are ordinary files
        os.close(fd)
        return Path(name)

    def _write_tmp(self, final: Path, data: bytes) -> Path:
        tmp = self._tmp(final)
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        return tmp

    def put(self, key: str, data: bytes) -> None:
        final = self._path(key)
        tmp = self._write_tmp(final, data)
        os.replace(tmp, final)

    def put_if_absent(self, key: str, data: bytes) -> bool:
        final = self._path(key)
        tmp = self._write_tmp(final, data)
        try:
            os.link(tmp, final)  # atomic create-if-absent, content already complete
            return True
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)

    def put_file(self, key: str, path: str | Path) -> None:
        final = self._path(key)
        tmp = self._tmp(final)
        shutil.copyfile(path, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)

    def download(self, key: str, path: str | Path) -> None:
        try:
            shutil.copyfile(self._path(key), path)
        except FileNotFoundError:
            raise NotFound(f"{key} not found in {self.url}") from None

    @contextlib.contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise NotFound(f"{key} not found in {self.url}")
        yield path

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str) -> Iterator[str]:
        prefix = validate_prefix(prefix)
        base = self.root / prefix if prefix else self.root
        if not base.is_dir():
            return iter(())
        keys = []
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name.startswith(".tmp-"):
                    continue
                rel = Path(dirpath, name).relative_to(self.root).as_posix()
                keys.append(rel)
        return iter(sorted(keys))

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def children(self, prefix: str) -> list[str]:
        base = self.root / validate_prefix(prefix)
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if p.is_dir())


# Error codes that mean "this will not get better by retrying": fail fast and say why.
PERMANENT_CODES = {
    "AccessDenied": "the credentials are not allowed to use this bucket: check "
    "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and the bucket policy",
    "InvalidAccessKeyId": "the access key is unknown to this endpoint: check AWS_ACCESS_KEY_ID "
    "and PIPELINE_S3_ENDPOINT",
    "SignatureDoesNotMatch": "the secret key does not match: check AWS_SECRET_ACCESS_KEY",
    "NoSuchBucket": "the bucket does not exist at this endpoint: create it or fix PIPELINE_STORE",
    "403": "access denied: check credentials and bucket policy",
}


TRANSIENT_CODES = frozenset(
    {"SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "Throttling",
     "ThrottlingException", "RequestTimeTooSkewed", "500", "502", "503", "504"}
)  # fmt: skip


class S3Store(Store):
    """An S3-compatible bucket (AWS, OVH, MinIO, ...) through boto3.

    ``endpoint_url`` comes from ``PIPELINE_S3_ENDPOINT`` (or its alias ``OVH_S3_ENDPOINT``);
    credentials come only from the standard AWS chain (env, shared files, instance roles).
    """

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = validate_prefix(prefix)
        self.endpoint_url = endpoint_url
        self.url = f"s3://{bucket}/{self.prefix}" + (f" at {endpoint_url}" if endpoint_url else "")
        env = os.environ
        config = Config(
            # botocore retries throttling, 5xx, resets and timeouts with exponential backoff
            # and jitter; a task-level retry (workers/tasks.py) comes on top of it.
            retries={
                "max_attempts": int(env.get("PIPELINE_S3_MAX_ATTEMPTS", "10")),
                "mode": "standard",
            },
            connect_timeout=float(env.get("PIPELINE_S3_CONNECT_TIMEOUT", "5")),
            read_timeout=float(env.get("PIPELINE_S3_READ_TIMEOUT", "60")),
            s3={"addressing_style": "path"} if endpoint_url else {},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self._local = threading.local()

        def make_client() -> Any:
            return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)

        self._make_client = make_client
        self._conditional_writes: bool | None = None

    @property
    def client(self) -> Any:
        c = getattr(self._local, "client", None)
        if c is None:  # boto3 clients are thread-safe but sessions are not; one per thread
            c = self._local.client = self._make_client()
        return c

    def _k(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def _raise(self, exc: Exception, op: str, key: str) -> NoReturn:
        err = self._fail(exc, op, key)
        if err is exc:
            raise exc
        raise err from exc

    def _fail(self, exc: Exception, op: str, key: str) -> Exception:
        """Classify a boto3 failure: NotFound, TransientStoreError (retry later) or a
        StoreError that names the bucket, the endpoint and the fix. Anything that is not an
        S3/network error (e.g. Celery's SoftTimeLimitExceeded) is returned unchanged."""
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, StoreError):
            return exc
        code, status = "", 0
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        elif isinstance(exc, S3UploadFailedError):  # upload_file wraps the ClientError
            m = re.search(r"An error occurred \((\w+)\)", str(exc))
            code = m.group(1) if m else ""
        elif not isinstance(exc, BotoCoreError | OSError):
            return exc
        where = f"S3 {op} of {key!r} in bucket {self.bucket!r} "
        where += f"(endpoint {self.endpoint_url or 'AWS default'})"
        if code in ("NoSuchKey", "404", "NotFound"):
            return NotFound(f"{key} not found in {self.url}")
        if code in TRANSIENT_CODES or status >= 500 or (not code and not status):
            return TransientStoreError(f"{where} failed: {code or exc} (transient)")
        hint = PERMANENT_CODES.get(code) or PERMANENT_CODES.get(str(status), "")
        return StoreError(
            f"{where} failed: {code or status}" + (f": {hint}" if hint else f": {exc}")
        )

    def get(self, key: str) -> bytes:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=self._k(key))[
                "Body"
            ].read()
            return body
        except Exception as exc:
            self._raise(exc, "get", key)

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._k(key), Body=data)
        except Exception as exc:
            self._raise(exc, "put", key)

    def put_if_absent(self, key: str, data: bytes) -> bool:
        """Conditional PUT (``If-None-Match: *``).

        AWS S3 (since 2024-08), MinIO and moto honour it. On a provider that rejects the
        header (HTTP 501 NotImplemented) this falls back to HEAD-then-PUT, which is only
        safe when a single writer can race for the key (documented in the README).
        """
        from botocore.exceptions import ClientError

        if self._conditional_writes is not False:
            try:
                self.client.put_object(
                    Bucket=self.bucket, Key=self._k(key), Body=data, IfNoneMatch="*"
                )
                self._conditional_writes = True
                return True
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                if code in ("PreconditionFailed", "ConditionalRequestConflict") or status in (
                    409,
                    412,
                ):
                    return False
                if code != "NotImplemented" and status != 501:
                    self._raise(exc, "conditional put", key)
                self._conditional_writes = False
            except Exception as exc:
                self._raise(exc, "conditional put", key)
        if self.exists(key):
            return False
        self.put(key, data)
        return True

    # -- uploads: one PUT up to the threshold, else a multipart upload that resumes -------------
    multipart_threshold = int(float(os.environ.get("PIPELINE_S3_MULTIPART_MB", "64")) * MIB)
    part_size = max(MIN_PART, int(float(os.environ.get("PIPELINE_S3_PART_MB", "16")) * MIB))
    upload_threads = max(1, int(os.environ.get("PIPELINE_S3_UPLOAD_THREADS", "4")))

    def put_file(self, key: str, path: str | Path) -> None:
        """Upload a local file; the object appears whole or not at all.

        Above ``multipart_threshold`` bytes this is a multipart upload that resumes: a retry
        after a crash or a failed part finds the unfinished upload of the key, keeps the parts
        whose size and MD5 match the file, and uploads only the others (see ``put_multipart``).
        """
        size = os.path.getsize(path)
        if size <= self.multipart_threshold:
            try:
                with open(path, "rb") as f:
                    self.client.put_object(Bucket=self.bucket, Key=self._k(key), Body=f)
            except Exception as exc:
                self._raise(exc, "upload", key)
            return
        self.put_multipart(key, path)

    def _part_plan(self, size: int) -> tuple[int, int]:
        part = max(self.part_size, -(-size // MAX_PARTS), MIN_PART)
        return part, max(1, -(-size // part))

    def _open_upload(self, client: Any, full: str) -> str | None:
        """The newest unfinished multipart upload of ``full`` (None if there is none)."""
        from botocore.exceptions import ClientError

        found: list[tuple[str, str]] = []
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": full}
        try:
            while True:
                page = client.list_multipart_uploads(**kwargs)
                found += [
                    (str(u.get("Initiated", "")), u["UploadId"])
                    for u in page.get("Uploads", [])
                    if u["Key"] == full
                ]
                if not page.get("IsTruncated"):
                    break
                kwargs["KeyMarker"] = page["NextKeyMarker"]
                kwargs["UploadIdMarker"] = page["NextUploadIdMarker"]
        except ClientError as exc:
            if isinstance(self._fail(exc, "list uploads", full), TransientStoreError):
                raise
            return None  # not allowed to list uploads: start a new one
        return max(found)[1] if found else None

    def _uploaded_parts(self, client: Any, full: str, upload_id: str) -> dict[int, dict[str, Any]]:
        parts: dict[int, dict[str, Any]] = {}
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": full, "UploadId": upload_id}
        while True:
            page = client.list_parts(**kwargs)
            for p in page.get("Parts", []):
                parts[int(p["PartNumber"])] = p
            if not page.get("IsTruncated"):
                return parts
            kwargs["PartNumberMarker"] = page["NextPartNumberMarker"]

    def put_multipart(self, key: str, path: str | Path) -> dict[str, int]:
        """Resumable multipart upload of ``path`` to ``key``; returns how many parts there
        were, were reused from an interrupted upload, and were uploaded now.

        The parts of an unfinished upload are reused only if their size and ETag (the MD5 of
        the part) match this file, so resuming with a changed file re-uploads what changed.
        The finished object's ETag is checked against the MD5s of the parts when the provider
        uses MD5 ETags (AWS without KMS, MinIO, moto). Unfinished uploads cost storage until
        completed or aborted: give the bucket an ``AbortIncompleteMultipartUpload`` rule.
        """
        import base64
        from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

        path = Path(path)
        full = self._k(key)
        size = path.stat().st_size
        part, n_parts = self._part_plan(size)
        client = self.client

        def read_part(number: int) -> bytes:
            with open(path, "rb") as f:
                f.seek((number - 1) * part)
                return f.read(part)

        try:
            upload_id = self._open_upload(client, full)
            reused: dict[int, str] = {}
            if upload_id is not None:
                for number, p in self._uploaded_parts(client, full, upload_id).items():
                    if number > n_parts:
                        continue
                    etag = str(p["ETag"]).strip('"')
                    data = read_part(number)
                    if int(p["Size"]) == len(data) and etag == hashlib.md5(data).hexdigest():  # noqa: S324
                        reused[number] = etag
                log.info(
                    "resuming multipart upload of %s: %d of %d parts already there",
                    key, len(reused), n_parts,
                )  # fmt: skip
            else:
                upload_id = client.create_multipart_upload(Bucket=self.bucket, Key=full)["UploadId"]
            etags: dict[int, str] = dict(reused)

            def send(number: int) -> tuple[int, str]:
                data = read_part(number)
                md5 = hashlib.md5(data)  # noqa: S324 - S3's integrity check, not security
                resp = client.upload_part(
                    Bucket=self.bucket, Key=full, UploadId=upload_id, PartNumber=number,
                    Body=data, ContentMD5=base64.b64encode(md5.digest()).decode(),
                )  # fmt: skip
                return number, str(resp["ETag"]).strip('"')

            todo = [n for n in range(1, n_parts + 1) if n not in reused]
            with ThreadPoolExecutor(max_workers=min(self.upload_threads, len(todo) or 1)) as pool:
                futures = [pool.submit(send, n) for n in todo]
                done, pending = wait(futures, return_when=FIRST_EXCEPTION)
                for f in pending:
                    f.cancel()
                for f in futures:
                    if f.done() and not f.cancelled() and f.exception() is None:
                        number, etag = f.result()
                        etags[number] = etag
                for f in done:
                    exc = f.exception()
                    if exc is not None:
                        raise exc
            md5s = [hashlib.md5(read_part(n)).digest() for n in range(1, n_parts + 1)]  # noqa: S324
            md5_etags = all(etags[n] == md5s[n - 1].hex() for n in etags)
            try:
                client.complete_multipart_upload(
                    Bucket=self.bucket, Key=full, UploadId=upload_id,
                    MultipartUpload={"Parts": [{"PartNumber": n, "ETag": f'"{etags[n]}"'}
                                               for n in sorted(etags)]},
                )  # fmt: skip
            except Exception as exc:
                # a concurrent writer of the same bytes may have completed this upload
                if "NoSuchUpload" not in str(exc):
                    raise
            head = client.head_object(Bucket=self.bucket, Key=full)
        except Exception as exc:
            self._raise(exc, "multipart upload", key)
        expected = hashlib.md5(b"".join(md5s)).hexdigest() + f"-{n_parts}"  # noqa: S324
        got = str(head.get("ETag", "")).strip('"')
        if int(head["ContentLength"]) != size or (md5_etags and got != expected):
            raise StoreError(
                f"S3 multipart upload of {key!r} in bucket {self.bucket!r} produced an object "
                f"of {head['ContentLength']} bytes with ETag {got} (expected {size} bytes, "
                f"{expected}); upload it again"
            )
        return {"parts": n_parts, "reused": len(reused), "uploaded": len(todo)}

    def download(self, key: str, path: str | Path) -> None:
        try:
            self.client.download_file(self.bucket, self._k(key), str(path))
        except Exception as exc:
            self._raise(exc, "download", key)

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._k(key))
            return True
        except Exception as exc:
            if isinstance(self._fail(exc, "head", key), NotFound):
                return False
            self._raise(exc, "head", key)

    def list_keys(self, prefix: str) -> Iterator[str]:
        full = self.prefix + validate_prefix(prefix)
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
                for obj in page.get("Contents", []):
                    yield obj["Key"][len(self.prefix) :]
        except Exception as exc:
            self._raise(exc, "list", prefix or "/")

    def children(self, prefix: str) -> list[str]:
        full = self.prefix + validate_prefix(prefix)
        paginator = self.client.get_paginator("list_objects_v2")
        names: list[str] = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=full, Delimiter="/"):
                for cp in page.get("CommonPrefixes", []):
                    names.append(cp["Prefix"][len(full) :].rstrip("/"))
        except Exception as exc:
            self._raise(exc, "list", prefix or "/")
        return sorted(names)

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._k(key))
        except Exception as exc:
            self._raise(exc, "delete", key)


def s3_endpoint_from_env(env: dict[str, str] | None = None) -> str | None:
    env = dict(os.environ) if env is None else env
    return env.get("PIPELINE_S3_ENDPOINT") or env.get("OVH_S3_ENDPOINT") or None


DEFAULT_STORE = "./pipeline-store"


def open_store(spec: str | None = None, env: dict[str, str] | None = None) -> Store:
    """Open the store named by ``spec`` or ``PIPELINE_STORE`` (default ``./pipeline-store``).

    ``s3://bucket/prefix`` opens an :class:`S3Store`; anything else is a local directory.
    """
    env = dict(os.environ) if env is None else env
    spec = spec or env.get("PIPELINE_STORE") or DEFAULT_STORE
    if spec.startswith("s3://"):
        rest = spec[len("s3://") :]
        bucket, _, prefix = rest.partition("/")
        if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]", bucket):
            raise StoreError(f"invalid S3 bucket name in PIPELINE_STORE={spec!r}")
        return S3Store(bucket, prefix.strip("/"), endpoint_url=s3_endpoint_from_env(env))
    if "://" in spec:
        raise StoreError(f"unsupported store {spec!r}: use s3://bucket/prefix or a directory path")
    return LocalStore(spec)
