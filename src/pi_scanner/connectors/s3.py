"""S3-compatible object stores (AWS S3, MinIO, Ceph RGW): the only module that imports boto3/botocore.

* Listing uses paginators (no 1,000-key ceiling); archived storage classes (GLACIER, DEEP_ARCHIVE) are
  skipped because reading them needs a restore; empty objects and folder markers are skipped.
* Keys of one shape form one asset (see :mod:`pi_scanner.connectors.keygroups`); ``objects_per_group``
  members, spread over the group, are read.
* Objects larger than ``max_object_bytes`` are read by ranged GETs of their head (Parquet by ranged
  reads of its footer and first row group), so memory stays bounded whatever the object size.
* Requests in flight are bounded by a thread pool of ``max_in_flight``; botocore retries throttling and
  5xx answers with its ``standard`` (or ``adaptive``) retry mode.
* One unreadable bucket or object becomes one failed asset; the rest of the scan goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import tempfile
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar, cast
from urllib.parse import urlparse

from pi_scanner.config import S3ConnectorConfig
from pi_scanner.connectors.base import AssetInfo, Capability, Connector, check_readable, not_read
from pi_scanner.connectors.formats import FormatError, ParsedFile, ReadLimits, open_records
from pi_scanner.connectors.formats.spread import spread_rows
from pi_scanner.connectors.formats.stream import iter_record_batches
from pi_scanner.connectors.fs import record_parse_facts
from pi_scanner.connectors.globs import glob_match, selected
from pi_scanner.connectors.keygroups import group_keys, single_group, spread
from pi_scanner.connectors.posture import (
    UNKNOWN,
    BucketPosture,
    acl_public_reasons,
    assess_public,
    block_level,
    encryption_from_rules,
    object_encryption,
    policy_is_public,
    posture_encrypted_at_rest,
)
from pi_scanner.errors import (
    ConfigError,
    ConnectorError,
    MissingDependencyError,
    PiScannerError,
    TerminalError,
    TransientError,
)
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError:  # pragma: no cover - exercised only without the extra installed
    boto3 = None

log = logging.getLogger(__name__)

#: Storage classes whose objects cannot be read without a restore request.
ARCHIVED_CLASSES = frozenset({"GLACIER", "DEEP_ARCHIVE"})
_TRANSIENT_CODES = frozenset({
    "SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestTimeTooSkewed",
    "InternalError", "ServiceUnavailable", "503", "500", "502", "504",
})
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound", "NoSuchVersion"})
_DENIED_CODES = frozenset({"AccessDenied", "403", "AllAccessDisabled", "InvalidObjectState"})
_REGION_CODES = frozenset({"PermanentRedirect", "301", "AuthorizationHeaderMalformed",
                           "IllegalLocationConstraintException", "IncorrectEndpoint"})
_GLOB_CHARS = frozenset("*?[")
#: Most keys one DeleteObjects request takes.
DELETE_BATCH = 1000


@dataclass(frozen=True)
class ObjectVersion:
    """One object version (or the current object) as listed, for retention: names and dates only.

    Attributes:
        key: Object key.
        version_id: Version id (``null`` in unversioned buckets), or None for "the current object".
        last_modified: When this version was written (UTC).
        size: Bytes.
        is_latest: It is the current version.
        delete_marker: It is a delete marker (hides older versions; the data stays).
    """

    key: str
    version_id: str | None
    last_modified: dt.datetime
    size: int
    is_latest: bool
    delete_marker: bool = False


def _code(exc: Exception) -> tuple[str, int]:
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", "")) or type(exc).__name__
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return code, status


def _what_failed(exc: Exception, where: str) -> tuple[bool, str]:
    """Whether a boto3/botocore exception is worth retrying, and a value-free sentence for it."""
    code, status = _code(exc)
    if code in _MISSING_CODES:
        return False, f"{where}: object no longer exists ({code})"
    if code in _DENIED_CODES:
        return False, f"{where}: access denied ({code})"
    if code in _REGION_CODES:
        return False, f"{where}: bucket is in another region or endpoint ({code})"
    if code in _TRANSIENT_CODES or status >= 500:
        return True, f"{where}: store busy or failing after retries ({code})"
    if boto3 is not None and isinstance(
        exc, botocore.exceptions.EndpointConnectionError | botocore.exceptions.ConnectionError
        | botocore.exceptions.ReadTimeoutError
    ):
        return True, f"{where}: cannot reach the endpoint ({type(exc).__name__})"
    if boto3 is not None and isinstance(exc, botocore.exceptions.NoCredentialsError):
        return False, f"{where}: no credentials found"
    return False, f"{where}: {code}"


def map_error(exc: Exception, where: str, connector: Connector | None = None) -> PiScannerError:
    """Turn a boto3/botocore exception into a value-free :class:`PiScannerError`.

    Args:
        exc: The exception.
        where: ``s3://bucket/key`` or ``s3://bucket`` (names only).
        connector: The connector that failed: the error is then a transient or terminal
            :class:`~pi_scanner.errors.ConnectorError` carrying it; without one, a plain
            :class:`TransientError` / :class:`TerminalError`.
    """
    if isinstance(exc, PiScannerError):
        return exc
    transient, message = _what_failed(exc, where)
    if connector is not None:
        return connector.transient(message) if transient else connector.terminal(message)
    return TransientError(message) if transient else TerminalError(message)


def _boto_errors() -> tuple[type[Exception], ...]:
    return (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)


def _exposure_meta(posture: dict[str, Any]) -> dict[str, Any]:
    """``posture`` plus the flat flags the metrics read (``public``, ``encrypted_at_rest``).

    Both flags are True/False, or None when the store would not say: unknown is never "safe".
    """
    public = posture.get("public")
    return {
        "posture": posture,
        "public": public if isinstance(public, bool) else None,
        "encrypted_at_rest": posture_encrypted_at_rest(posture),
    }


class _RangedObject(io.RawIOBase):
    """A seekable read-only view of one object; every read is a ranged GET.

    Total bytes fetched are capped by ``budget`` so a hostile Parquet footer cannot make us download
    the whole object.
    """

    def __init__(self, client: Any, bucket: str, key: str, size: int, budget: int) -> None:
        self.client, self.bucket, self.key, self.size, self.budget = client, bucket, key, size, budget
        self.pos = 0
        self.fetched = 0
        self.sse: str | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def _fetch(self, want: int) -> bytes:
        if self.fetched + want > self.budget:
            raise FormatError(f"s3://{self.bucket}/{self.key}: read budget of {self.budget} bytes exceeded")
        resp = self.client.get_object(Bucket=self.bucket, Key=self.key,
                                      Range=f"bytes={self.pos}-{self.pos + want - 1}")
        self.sse = resp.get("ServerSideEncryption")
        with resp["Body"] as body:
            data: bytes = body.read(want)
        self.pos += len(data)
        self.fetched += len(data)
        return data

    def readinto(self, b: Any) -> int:
        want = min(len(b), self.size - self.pos)
        if want <= 0:
            return 0
        data = self._fetch(want)
        b[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = self.size - self.pos
        want = min(size, self.size - self.pos)
        # One GET straight into the returned bytes: no intermediate buffer for the (large) head read.
        return self._fetch(want) if want > 0 else b""


class S3Connector(Connector):
    """Scans buckets of an S3-compatible store.

    Args:
        name: The connector's configured name.
        config: Its validated configuration.
        retry_mode: botocore retry mode, ``standard`` or ``adaptive`` (client-side rate limiting);
            default the config's ``retry_mode``.
        max_attempts: Attempts per request, first try included; default the config's ``max_attempts``.
        group: Group keys by shape (see module docs); False makes every object its own asset.
    """

    type_name = "s3"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.SAMPLING, Capability.CENSUS, Capability.DELETE, Capability.PRIVILEGES, Capability.SUBJECT_LOOKUP,
    })
    config_model: ClassVar[type[S3ConnectorConfig]] = S3ConnectorConfig

    def __init__(
        self,
        name: str,
        config: S3ConnectorConfig,
        *,
        retry_mode: str | None = None,
        max_attempts: int | None = None,
        group: bool = True,
    ) -> None:
        super().__init__(name, config)
        if boto3 is None:
            raise MissingDependencyError("s3", "s3")
        retry_mode = retry_mode or config.retry_mode
        max_attempts = max_attempts or config.max_attempts
        if retry_mode not in ("standard", "adaptive", "legacy"):
            raise ConfigError(f"connector {name!r}: retry_mode must be standard or adaptive")
        if bool(config.access_key_id) != bool(config.secret_access_key):
            raise ConfigError(f"connector {name!r}: access_key_id and secret_access_key go together")
        self.config: S3ConnectorConfig = config
        self.retry_mode, self.max_attempts, self.group = retry_mode, max_attempts, group
        self._client_obj: Any = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=config.max_in_flight,
                                        thread_name_prefix=f"s3-{name}")
        #: Objects skipped at discovery, by reason (``archived``, ``empty``); value-free counters.
        self.skipped: dict[str, int] = {}
        #: Archived objects of the bucket listed last (GLACIER, DEEP_ARCHIVE): listed as not read.
        self._archived: dict[str, dict[str, Any]] = {}

    @classmethod
    def from_url(cls, name: str, url: str, **options: Any) -> S3Connector:
        """Build a connector from ``s3://bucket/prefix`` (``s3://`` alone scans every bucket).

        ``options`` set other :class:`S3ConnectorConfig` fields (``endpoint_url``, ``path_style``...).

        Raises:
            ConfigError: The URL is not an ``s3://`` URL.
        """
        parsed = urlparse(url)
        if parsed.scheme != "s3":
            raise ConfigError(f"not an s3:// URL: {parsed.scheme or '<no scheme>'}://...")
        bucket = parsed.netloc or "*"
        prefix = parsed.path.lstrip("/")
        return cls(name, S3ConnectorConfig(buckets=[bucket], prefixes=[prefix], **options))

    def describe(self) -> str:
        """One line naming the endpoint and buckets (never credentials)."""
        endpoint = self.config.endpoint_url or "default endpoint"
        return f"s3 {endpoint} buckets={','.join(self.config.buckets)}"

    @property
    def client(self) -> Any:
        """The boto3 S3 client, created on first use (boto3 clients are thread-safe)."""
        with self._lock:
            if self._client_obj is None:
                self._client_obj = self._make_client()
            return self._client_obj

    def _make_client(self) -> Any:
        cfg = self.config
        if not cfg.verify_tls:
            log.warning("TLS verification is off", extra={"connector": self.name})
        try:
            session = boto3.session.Session(profile_name=cfg.profile, region_name=cfg.region)
        except botocore.exceptions.ProfileNotFound:
            raise ConfigError(f"connector {self.name!r}: profile not found") from None
        creds: dict[str, str] = {}
        if cfg.access_key_id and cfg.secret_access_key:
            creds = {"aws_access_key_id": cfg.access_key_id,
                     "aws_secret_access_key": cfg.secret_access_key.get_secret_value()}
        boto_config = botocore.config.Config(
            retries={"mode": self.retry_mode, "max_attempts": self.max_attempts},
            max_pool_connections=cfg.max_in_flight + 2,
            s3={"addressing_style": "path" if cfg.path_style else "auto"},
            connect_timeout=10,
            read_timeout=60,
            user_agent_extra="pi-scanner",
        )
        # endpoint_url=None lets boto3 apply AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3 and profile settings.
        return session.client("s3", endpoint_url=cfg.endpoint_url, verify=cfg.verify_tls,
                              config=boto_config, **creds)

    def close(self) -> None:
        """Stop the request pool."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    # ----------------------------------------------------------------- discovery

    def _buckets(self) -> list[str]:
        wanted = self.config.buckets
        if all(not (_GLOB_CHARS & set(b)) for b in wanted):
            names = list(dict.fromkeys(wanted))
        else:
            try:
                resp = self.client.list_buckets()
            except _boto_errors() as exc:
                raise ConnectorError(self.name, f"cannot list buckets: {_code(exc)[0]}") from None
            names = [b["Name"] for b in resp.get("Buckets", [])
                     if any(glob_match(b["Name"], p) for p in wanted)]
        return [b for b in names if not any(glob_match(b, p) for p in self.config.exclude_buckets)]

    def _list(self, bucket: str) -> Iterator[dict[str, Any]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for prefix in self.config.prefixes:
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    key = obj["Key"]
                    if not selected(key, self.config.include, self.config.exclude):
                        continue
                    if obj.get("StorageClass") in ARCHIVED_CLASSES:
                        self.skipped["archived"] = self.skipped.get("archived", 0) + 1
                        self._archived[key] = obj
                        continue
                    if obj.get("Size", 0) == 0:
                        self.skipped["empty"] = self.skipped.get("empty", 0) + 1
                        continue
                    yield obj

    def discover(self) -> Iterator[AssetInfo]:
        """Yield one asset per key-pattern group (or per object) in every selected bucket.

        A bucket that cannot be listed yields one asset carrying the error; :meth:`sample` raises it.

        Raises:
            ConnectorError: Buckets cannot be listed at all (only when bucket globs need a listing).
        """
        for bucket in self._buckets():
            self._archived = {}
            try:
                objects = {o["Key"]: o for o in self._list(bucket)}
            except _boto_errors() as exc:
                transient, message = _what_failed(exc, f"s3://{bucket}")
                ref = AssetRef(self.name, AssetKind.OBJECT, (bucket, ""))
                # Raised by sample() with the connector as a field; only the sentence travels in meta.
                yield AssetInfo(ref, meta={"error": message, "error_transient": transient})
                continue
            groups = group_keys(objects) if self.group else [single_group(k) for k in objects]
            # Read once per bucket per scan; every asset gets its own copy (sample adds object facts).
            bucket_meta = self.bucket_posture(bucket).as_meta() if groups else {}
            for g in groups:
                members = [objects[k] for k in g.keys]
                chosen = spread(g.keys, self.config.objects_per_group)
                digest = hashlib.sha256()
                for o in sorted(members, key=lambda o: o["Key"]):
                    digest.update(f"{o['Key']}\0{o.get('ETag', '')}\0{o.get('Size', 0)}\n".encode())
                one = members[0]
                fingerprint = (f"{one.get('ETag', '').strip(chr(34))}:{one.get('Size', 0)}" if len(members) == 1
                               else f"sha256:{digest.hexdigest()[:32]}")
                yield AssetInfo(
                    AssetRef(self.name, AssetKind.OBJECT, (bucket, g.pattern)),
                    size_bytes=sum(int(o.get("Size", 0)) for o in members),
                    fingerprint=fingerprint,
                    meta={
                        "objects": len(members),
                        "sample_keys": chosen,
                        "sample_sizes": [int(objects[k].get("Size", 0)) for k in chosen],
                        "storage_classes": sorted({str(o.get("StorageClass", "STANDARD")) for o in members}),
                        "last_modified": max(o["LastModified"] for o in members).isoformat()
                        if all("LastModified" in o for o in members) else None,
                        **_exposure_meta(dict(bucket_meta, object_encryption=[])),
                    },
                )
            yield from self._archived_assets(bucket)

    def _archived_assets(self, bucket: str) -> Iterator[AssetInfo]:
        """Archived objects, by key-pattern group, listed as not read (reading them needs a restore)."""
        archived = self._archived
        groups = group_keys(archived) if self.group else [single_group(k) for k in archived]
        for g in groups:
            members = [archived[k] for k in g.keys]
            classes = sorted({str(o.get("StorageClass")) for o in members})
            detail = (f"{len(members)} object(s) in {'/'.join(classes)} storage: a restore is needed before they "
                      "can be read; not read")
            yield AssetInfo(
                AssetRef(self.name, AssetKind.OBJECT, (bucket, g.pattern)),
                size_bytes=sum(int(o.get("Size", 0)) for o in members),
                meta={"objects": len(members), "storage_classes": classes, **not_read("archived", detail)},
            )

    # ----------------------------------------------------------------- reading

    def _read_object(self, bucket: str, key: str, size: int, max_rows: int) -> tuple[ParsedFile, str | None]:
        limits = ReadLimits(max_rows=max_rows, max_bytes=self.config.max_object_bytes,
                            max_line_bytes=self.config.max_line_bytes, max_columns=self.config.max_columns)
        where = f"s3://{bucket}/{key}"
        try:
            if size <= self.config.max_object_bytes:
                resp = self.client.get_object(Bucket=bucket, Key=key)
                with resp["Body"] as body:
                    data = body.read(self.config.max_object_bytes + 1)
                return open_records(data, key, limits), resp.get("ServerSideEncryption")
            ranged = _RangedObject(self.client, bucket, key, size, budget=2 * self.config.max_object_bytes + 8)
            parsed = open_records(cast(BinaryIO, ranged), key, limits)
            parsed.bytes_read = ranged.fetched
            # Its first rows and whole lines from ranged GETs spread over the rest (half a head more).
            parsed = spread_rows(parsed, cast(BinaryIO, ranged), 0, size, key, limits)
            parsed.bytes_read = ranged.fetched
            return parsed, ranged.sse
        except _boto_errors() as exc:
            raise map_error(exc, where, self) from None

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        """Read up to ``limit`` records from the group's chosen objects, in parallel.

        Members that fail are recorded in ``asset.meta["read_errors"]`` while others succeed; the object
        encryption seen is recorded in ``asset.meta["object_encryption"]``.

        Raises:
            PiScannerError: The bucket could not be listed, or no member could be read.
        """
        check_readable(asset)
        if asset.meta.get("error"):
            message = str(asset.meta["error"])
            raise self.transient(message) if asset.meta.get("error_transient") else self.terminal(message)
        bucket = asset.ref.path[0]
        keys: list[str] = asset.meta.get("sample_keys", [])
        sizes: list[int] = asset.meta.get("sample_sizes", [])
        per_object = max(1, min(limit, self.config.sample_rows) // max(1, len(keys)))
        futures: list[Future[tuple[ParsedFile, str | None]]] = [
            self._pool.submit(self._read_object, bucket, k, s, per_object) for k, s in zip(keys, sizes, strict=True)
        ]
        columns: dict[str, int] = {}
        parts: list[tuple[list[str], ParsedFile]] = []
        failures: list[PiScannerError] = []
        encryption: set[str] = set()
        for fut in futures:
            try:
                parsed, sse = fut.result()
            except PiScannerError as exc:
                failures.append(exc)
                continue
            encryption.add(object_encryption(sse))
            names = [c.name for c in parsed.columns]
            for n in names:
                columns.setdefault(n, len(columns))
            parts.append((names, parsed))
        asset.meta["object_encryption"] = sorted(encryption)
        posture = asset.meta.get("posture")
        if isinstance(posture, dict):
            posture["object_encryption"] = sorted(encryption)
            asset.meta.update(_exposure_meta(posture))
        if not parts:
            raise failures[0]
        record_parse_facts(asset, parts[0][1])
        limits: dict[str, int] = {}
        if failures:
            asset.meta["read_errors"] = [str(f) for f in failures[:10]] + asset.meta.get("read_errors", [])[:10]
            # Members deleted or denied between listing and reading: what they held was never seen.
            limits["unreadable_objects"] = len(failures)
        order = list(columns)
        rows: list[tuple[Any, ...]] = []
        truncated = bool(failures) or asset.meta.get("objects", 1) > len(parts)
        types: dict[str, str] = {}
        for names, parsed in parts:
            for hit, count in parsed.limits.items():
                limits[hit] = limits.get(hit, 0) + count
            index = {n: i for i, n in enumerate(names)}
            for c in parsed.columns:
                types.setdefault(c.name, c.type_name)
            truncated = truncated or parsed.truncated
            for r in parsed.rows:
                rows.append(tuple(r[index[n]] if n in index else None for n in order))
        return Sample(
            asset=asset.ref,
            columns=[ColumnInfo(name=n, type_name=types.get(n, "")) for n in order],
            rows=rows[:limit],
            row_count_estimate=None if truncated else len(rows),
            complete=not truncated and len(rows) <= limit,
            bytes_read=sum(p.bytes_read for _, p in parts),
            limits=limits,
        )

    def _member_keys(self, asset: AssetInfo) -> Iterator[str]:
        bucket, pattern = asset.ref.path
        literal = pattern
        for i, ch in enumerate(pattern):
            if ch in _GLOB_CHARS:
                literal = pattern[:i]
                break
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=literal):
            for obj in page.get("Contents", []):
                if glob_match(obj["Key"], pattern) and obj.get("StorageClass") not in ARCHIVED_CLASSES:
                    yield obj["Key"]

    def iter_batches(
        self, asset: AssetInfo, columns: Sequence[str], batch_size: int = 10_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Stream every record of every member object; tuples are ``(key, *columns)``.

        Each object is spooled to a temporary file (memory up to 8 MiB, then disk) and streamed from it.

        Raises:
            PiScannerError: Listing or reading failed.
        """
        if asset.meta.get("error"):
            raise self.terminal(str(asset.meta["error"]))
        bucket = asset.ref.path[0]
        try:
            for key in self._member_keys(asset):
                with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
                    self.client.download_fileobj(bucket, key, spool)
                    spool.seek(0)
                    fh: BinaryIO = spool  # type: ignore[assignment]
                    for batch in iter_record_batches(fh, key, columns, batch_size,
                                                     ReadLimits(max_bytes=self.config.max_object_bytes,
                                                                max_line_bytes=self.config.max_line_bytes,
                                                                max_columns=self.config.max_columns)):
                        yield [(key, *row) for row in batch]
        except _boto_errors() as exc:
            raise map_error(exc, f"s3://{bucket}/{asset.ref.path[1]}", self) from None

    # ----------------------------------------------------------------- posture

    def bucket_posture(self, bucket: str) -> BucketPosture:
        """Read a bucket's security configuration; every unreadable part is ``unknown``.

        Makes up to eight small requests; none of them reads an object.
        """
        c = self.client
        unreadable: dict[str, str] = {}

        def call(part: str, fn: Any, missing: frozenset[str] = frozenset(), **kw: Any) -> Any:
            try:
                return fn(Bucket=bucket, **kw)
            except botocore.exceptions.ClientError as exc:
                code = _code(exc)[0]
                if code in missing:
                    return None
                unreadable[part] = code
                return ...
            except botocore.exceptions.BotoCoreError as exc:
                unreadable[part] = type(exc).__name__
                return ...

        loc = call("region", c.get_bucket_location)
        region = UNKNOWN if loc is ... else (loc.get("LocationConstraint") or "us-east-1")
        enc = call("encryption", c.get_bucket_encryption,
                   frozenset({"ServerSideEncryptionConfigurationNotFoundError"}))
        encryption, kms_key = (UNKNOWN, None) if enc is ... else (
            ("none", None) if enc is None
            else encryption_from_rules(enc.get("ServerSideEncryptionConfiguration", {}).get("Rules", []))
        )
        pol = call("policy", c.get_bucket_policy, frozenset({"NoSuchBucketPolicy"}))
        policy_public = None if pol is ... else (pol is not None and policy_is_public(pol.get("Policy", "")))
        acl = call("acl", c.get_bucket_acl)
        acl_reasons = None if acl is ... else acl_public_reasons(acl.get("Grants", []))
        pab_resp = call("public_access_block", c.get_public_access_block,
                        frozenset({"NoSuchPublicAccessBlockConfiguration"}))
        pab = None if pab_resp in (None, ...) else pab_resp.get("PublicAccessBlockConfiguration", {})
        public, reasons = assess_public(policy_public, acl_reasons, pab, pab_resp is not ...)
        ver = call("versioning", c.get_bucket_versioning)
        versioning = UNKNOWN if ver is ... else {"Enabled": "enabled", "Suspended": "suspended"}.get(
            ver.get("Status", ""), "disabled")
        lc = call("lifecycle", c.get_bucket_lifecycle_configuration,
                  frozenset({"NoSuchLifecycleConfiguration"}))
        rules: list[dict[str, Any]] = [] if lc in (None, ...) else [
            r for r in lc.get("Rules", []) if r.get("Status") == "Enabled"]
        days = [int(r["Expiration"]["Days"]) for r in rules if "Days" in r.get("Expiration", {})]
        logging_resp = call("logging", c.get_bucket_logging)
        access_logging = UNKNOWN if logging_resp is ... else (
            "enabled" if logging_resp.get("LoggingEnabled") else "disabled")
        lock = call("object_lock", c.get_object_lock_configuration,
                    frozenset({"ObjectLockConfigurationNotFoundError"}))
        object_lock = UNKNOWN if lock is ... else (
            "enabled" if lock and lock.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"
            else "disabled")
        return BucketPosture(
            bucket=bucket,
            region=region,
            encryption=encryption,
            kms_key_id=kms_key,
            public=public,
            public_reasons=reasons,
            public_access_block=UNKNOWN if pab_resp is ... else block_level(pab),
            versioning=versioning,
            lifecycle_rules=None if lc is ... else len(rules),
            expiration_days=min(days) if days else None,
            access_logging=access_logging,
            object_lock=object_lock,
            unreadable=unreadable,
        )


    # ----------------------------------------------------------------- retention (writes)

    def bucket_names(self) -> list[str]:
        """The selected buckets (globs resolved by a listing), for retention planning."""
        return self._buckets()

    def list_current(self, bucket: str, prefix: str = "") -> Iterator[ObjectVersion]:
        """Every current object under ``prefix`` (archived ones included: retention covers them too).

        Raises:
            PiScannerError: The listing failed (value-free message).
        """
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    yield ObjectVersion(obj["Key"], None, obj["LastModified"], int(obj.get("Size", 0)), True)
        except _boto_errors() as exc:
            raise map_error(exc, f"s3://{bucket}", self) from None

    def list_versions(self, bucket: str, prefix: str = "") -> Iterator[ObjectVersion]:
        """Every version and delete marker under ``prefix`` (unversioned buckets: version id ``null``).

        Raises:
            PiScannerError: The listing failed.
        """
        try:
            for page in self.client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
                for v in page.get("Versions", []):
                    yield ObjectVersion(v["Key"], str(v.get("VersionId") or "null"), v["LastModified"],
                                        int(v.get("Size", 0)), bool(v.get("IsLatest")))
                for m in page.get("DeleteMarkers", []):
                    yield ObjectVersion(m["Key"], str(m.get("VersionId") or "null"), m["LastModified"], 0,
                                        bool(m.get("IsLatest")), delete_marker=True)
        except _boto_errors() as exc:
            raise map_error(exc, f"s3://{bucket}", self) from None

    def object_lock_enabled(self, bucket: str) -> bool | None:
        """Whether Object Lock is enabled on the bucket (None: could not be read)."""
        state = self.bucket_posture(bucket).object_lock
        return None if state == UNKNOWN else state == "enabled"

    def object_lock_state(
        self, bucket: str, key: str, version_id: str | None, now: dt.datetime | None = None
    ) -> str | None:
        """Why a version cannot be deleted: ``legal_hold``, ``governance``/``compliance`` retention, or None.

        Governance retention counts as locked: retention never bypasses it.

        Raises:
            PiScannerError: The version could not be read (treat as locked).
        """
        kw: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id and version_id != "null":
            kw["VersionId"] = version_id
        try:
            head = self.client.head_object(**kw)
        except _boto_errors() as exc:
            code = _code(exc)[0]
            if code == "405":  # a delete marker has no object to lock
                return None
            raise map_error(exc, f"s3://{bucket}", self) from None
        if head.get("ObjectLockLegalHoldStatus") == "ON":
            return "legal_hold"
        until = head.get("ObjectLockRetainUntilDate")
        if head.get("ObjectLockMode") and until is not None and until > (now or dt.datetime.now(dt.UTC)):
            return str(head["ObjectLockMode"]).lower()
        return None

    def delete_keys(
        self, bucket: str, keys: Sequence[tuple[str, str | None]]
    ) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None, str]]]:
        """Delete objects (``version_id`` None: the current object) in ``DeleteObjects`` calls of 1,000.

        Never sets ``BypassGovernanceRetention``: locked versions fail and are returned as errors.

        Args:
            bucket: The bucket.
            keys: ``(key, version_id)`` pairs; a version id removes exactly that version or marker.

        Returns:
            Deleted pairs, and ``(key, version_id, error code)`` for each pair the store refused.

        Raises:
            PiScannerError: A whole request failed (after retries); earlier chunks stay deleted.
        """
        deleted: list[tuple[str, str | None]] = []
        errors: list[tuple[str, str | None, str]] = []
        for start in range(0, len(keys), DELETE_BATCH):
            chunk = keys[start : start + DELETE_BATCH]
            objects = [{"Key": k, **({"VersionId": v} if v else {})} for k, v in chunk]
            try:
                resp = self.client.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
            except _boto_errors() as exc:
                raise map_error(exc, f"s3://{bucket}", self) from None
            failed = {(e.get("Key"), e.get("VersionId")): str(e.get("Code", "Error")) for e in resp.get("Errors", [])}
            for k, v in chunk:
                code = failed.get((k, v), failed.get((k, None)))
                if code is None:
                    deleted.append((k, v))
                else:
                    errors.append((k, v, code))
        return deleted, errors
