"""S3Connector against a real moto S3 server over HTTP (no in-process mocking)."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pi_scanner.config import S3ConnectorConfig
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.connectors.s3 import S3Connector
from pi_scanner.errors import (
    ConfigError,
    ConnectorError,
    NotReadError,
    PiScannerError,
    TerminalError,
    TransientError,
)
from pi_scanner.models import AssetKind
from tests.s3_server import (
    CREDS,
    FaultProxy,
    make_client,
    s3_client,
    s3_endpoint,
    s3_endpoint_subprocess,
    unique_bucket,
)

pytestmark = pytest.mark.s3
__all__ = ["s3_client", "s3_endpoint", "s3_endpoint_subprocess"]

CSV = "name,id_card,guardian_phone\n张三,110105201503071239,13912345678\n李四,110105201602081234,13812345678\n"


def connector(endpoint: str, bucket: str, **options: Any) -> S3Connector:
    kw: dict[str, Any] = {"endpoint_url": endpoint, "region": "us-east-1", "path_style": True,
                          "access_key_id": CREDS["aws_access_key_id"],
                          "secret_access_key": CREDS["aws_secret_access_key"], "buckets": [bucket]}
    retry = {k: options.pop(k) for k in ("retry_mode", "max_attempts", "group") if k in options}
    kw.update(options)
    return S3Connector("lake", S3ConnectorConfig(**kw), **retry)


def assets(conn: S3Connector) -> dict[str, AssetInfo]:
    return {a.ref.path[1]: a for a in conn.discover()}


@pytest.fixture
def bucket(s3_client: Any) -> str:
    name = unique_bucket()
    s3_client.create_bucket(Bucket=name)
    return name


def test_discover_groups_and_sample(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    for day in range(1, 6):
        for part in range(1, 4):
            rec = {"student": {"name": "王小明", "dob": f"2015-0{day}-1{part}"}, "guardian": {"phone": "13912345678"}}
            s3_client.put_object(Bucket=bucket, Key=f"logs/2024-01-0{day}/part-000{part}.json",
                                 Body=(json.dumps(rec, ensure_ascii=False) + "\n") * 5)
    s3_client.put_object(Bucket=bucket, Key="exports/students.csv", Body=CSV.encode())
    s3_client.put_object(Bucket=bucket, Key="exports/gb.csv.gz", Body=gzip.compress(CSV.encode("gbk")))
    s3_client.put_object(Bucket=bucket, Key="folder/", Body=b"")
    with connector(s3_endpoint, bucket, objects_per_group=2) as conn:
        found = assets(conn)
        assert sorted(found) == ["exports/gb.csv.gz", "exports/students.csv", "logs/2024-01-0*/part-000*.json"]
        group = found["logs/2024-01-0*/part-000*.json"]
        assert group.ref.kind is AssetKind.OBJECT and group.ref.path[0] == bucket
        assert group.meta["objects"] == 15 and len(group.meta["sample_keys"]) == 2
        s = conn.sample(group, 100)
        assert [c.name for c in s.columns] == ["student.name", "student.dob", "guardian.phone"]
        assert len(s.rows) == 10 and not s.complete
        single = conn.sample(found["exports/students.csv"], 100)
        assert single.rows[0][1] == "110105201503071239" and single.complete
        assert found["exports/students.csv"].fingerprint.endswith(f":{len(CSV.encode())}")
        gb = conn.sample(found["exports/gb.csv.gz"], 100)
        assert gb.rows[1][0] == "李四"
        assert found["exports/gb.csv.gz"].meta["encoding"] == "gb18030"


def test_fingerprint_changes_with_content(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    for i in range(3):
        s3_client.put_object(Bucket=bucket, Key=f"d/{i}.csv", Body=CSV.encode())
    with connector(s3_endpoint, bucket) as conn:
        before = assets(conn)["d/*.csv"].fingerprint
        assert before == assets(conn)["d/*.csv"].fingerprint
        s3_client.put_object(Bucket=bucket, Key="d/1.csv", Body=(CSV + "x,y,z\n").encode())
        assert assets(conn)["d/*.csv"].fingerprint != before


@pytest.mark.slow
def test_pagination_beyond_1000_keys(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    n = 5_003
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: s3_client.put_object(Bucket=bucket, Key=f"bulk/k-{i:05d}.csv", Body=b"a\n1\n"),
                      range(n)))
    with connector(s3_endpoint, bucket) as conn:
        found = assets(conn)
        assert list(found) == ["bulk/k-0*.csv"] and found["bulk/k-0*.csv"].meta["objects"] == n
    with connector(s3_endpoint, bucket, group=False) as conn:
        assert sum(1 for _ in conn.discover()) == n


def test_archived_and_excluded_objects_skipped(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    s3_client.put_object(Bucket=bucket, Key="cold/a.csv", Body=CSV.encode(), StorageClass="GLACIER")
    s3_client.put_object(Bucket=bucket, Key="cold/b.csv", Body=CSV.encode(), StorageClass="DEEP_ARCHIVE")
    s3_client.put_object(Bucket=bucket, Key="warm/c.csv", Body=CSV.encode(), StorageClass="STANDARD_IA")
    s3_client.put_object(Bucket=bucket, Key="tmp/d.csv", Body=CSV.encode())
    with connector(s3_endpoint, bucket, exclude=["tmp/**"]) as conn:
        found = assets(conn)
        assert conn.skipped["archived"] == 2
        # Archived objects are listed as not read (a restore is needed), never silently dropped.
        cold = [a for k, a in found.items() if k.startswith("cold/")]
        assert sorted(k for k in found if not k.startswith("cold/")) == ["warm/c.csv"]
        assert sum(a.meta["objects"] for a in cold) == 2
        assert all(a.meta["not_read"] == "archived" and "restore" in a.meta["not_read_detail"] for a in cold)
        with pytest.raises(NotReadError):
            conn.sample(cold[0], 10)


def test_ranged_get_of_large_object_with_bounded_memory(s3_endpoint_subprocess: str) -> None:
    # moto runs in a child process here, so tracemalloc sees only the connector's own allocations.
    client = make_client(s3_endpoint_subprocess)
    bucket = unique_bucket()
    client.create_bucket(Bucket=bucket)
    body = ("id,phone\n" + "".join(f"{i},139{i:08d}\n" for i in range(1_200_000))).encode()
    assert len(body) > 20_000_000
    client.put_object(Bucket=bucket, Key="big/huge.csv", Body=body)
    del body
    with FaultProxy(s3_endpoint_subprocess) as proxy, connector(proxy.url, bucket, max_object_bytes=1_000_000) as conn:
        asset = assets(conn)["big/huge.csv"]
        tracemalloc.start()
        s = conn.sample(asset, 1_000)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(s.rows) == 1_000 and not s.complete
        # The 1 MB head, its header line again, and half as much from ranges spread over the rest.
        assert s.bytes_read <= 1_510_000
        assert int(s.rows[-1][0]) > 600_000  # the last rows come from far past the head
        # Far below the 20 MB object: bounded by the 1 MB cap (copies, decoded text, proxy buffers).
        assert peak < 10_000_000
        gets = [r for m, p, r in proxy.seen if m == "GET" and "huge.csv" in p]
        assert gets and gets[0].startswith("bytes=0-") and all(r and r.startswith("bytes=") for r in gets)


def test_large_parquet_read_by_ranges(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    n = 300_000
    table = pa.table({"id": list(range(n)), "phone": [f"139{i:08d}" for i in range(n)]})
    buf = io.BytesIO()
    pq.write_table(table, buf, row_group_size=20_000, compression="none")
    s3_client.put_object(Bucket=bucket, Key="pq/big.parquet", Body=buf.getvalue())
    assert buf.tell() > 2_000_000
    with connector(s3_endpoint, bucket, max_object_bytes=1_000_000) as conn:
        s = conn.sample(assets(conn)["pq/big.parquet"], 50)
        assert len(s.rows) == 50 and s.rows[7] == (7, "13900000007")
        assert s.bytes_read < 2_000_100


def test_deleted_and_denied_objects_recorded(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    for i in range(3):
        s3_client.put_object(Bucket=bucket, Key=f"g/{i}.csv", Body=CSV.encode())
    s3_client.put_object(Bucket=bucket, Key="solo.csv", Body=CSV.encode())
    s3_client.put_object(Bucket=bucket, Key="secret.json", Body=b'{"a": 1}')
    with FaultProxy(s3_endpoint) as proxy, connector(proxy.url, bucket, objects_per_group=3) as conn:
        found = assets(conn)
        s3_client.delete_object(Bucket=bucket, Key="g/1.csv")
        s3_client.delete_object(Bucket=bucket, Key="solo.csv")
        proxy.deny("secret.json")
        s = conn.sample(found["g/*.csv"], 100)
        assert len(s.rows) == 4 and not s.complete
        assert any("no longer exists" in e for e in found["g/*.csv"].meta["read_errors"])
        with pytest.raises(TerminalError, match="no longer exists"):
            conn.sample(found["solo.csv"], 10)
        with pytest.raises(TerminalError, match="access denied") as info:
            conn.sample(found["secret.json"], 10)
        assert "s3://" in str(info.value)
        # Terminal by type, and the connector is a field of the error, not only part of its message.
        assert isinstance(info.value, ConnectorError)
        assert (info.value.connector, info.value.connector_type) == (conn.name, "s3")


def test_object_in_another_region_recorded(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    s3_client.put_object(Bucket=bucket, Key="far.csv", Body=CSV.encode())
    s3_client.put_object(Bucket=bucket, Key="near.json", Body=b'{"a": 1}')
    with FaultProxy(s3_endpoint) as proxy, connector(proxy.url, bucket, max_attempts=1) as conn:
        found = assets(conn)
        proxy.fail("far.csv", 301, "PermanentRedirect")
        with pytest.raises(TerminalError, match="another region"):
            conn.sample(found["far.csv"], 10)
        assert conn.sample(found["near.json"], 10).rows == [(1,)]


def test_bucket_listing_denied_is_one_failed_asset(s3_endpoint: str, s3_client: Any) -> None:
    ok, denied = unique_bucket("ok"), unique_bucket("no")
    for b in (ok, denied):
        s3_client.create_bucket(Bucket=b)
        s3_client.put_object(Bucket=b, Key="a.csv", Body=CSV.encode())
    with FaultProxy(s3_endpoint) as proxy, connector(proxy.url, ok) as conn:
        conn.config = conn.config.model_copy(update={"buckets": [denied, ok]})
        proxy.deny(f"/{denied}")
        found = list(conn.discover())
        assert [a.ref.path for a in found] == [(denied, ""), (ok, "a.csv")]
        with pytest.raises(PiScannerError, match="access denied"):
            conn.sample(found[0], 10)
        assert conn.sample(found[1], 10).rows


def test_throttling_retried_until_success(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    s3_client.put_object(Bucket=bucket, Key="t.csv", Body=CSV.encode())
    with FaultProxy(s3_endpoint) as proxy, connector(proxy.url, bucket, max_attempts=5) as conn:
        asset = assets(conn)["t.csv"]
        proxy.slow_down("t.csv", 3)
        s = conn.sample(asset, 10)
        assert len(s.rows) == 2
        assert sum(1 for m, p, _ in proxy.seen if m == "GET" and "t.csv" in p) == 4
    with FaultProxy(s3_endpoint) as proxy, connector(proxy.url, bucket, max_attempts=2) as conn:
        asset = assets(conn)["t.csv"]
        proxy.slow_down("t.csv", 10)
        with pytest.raises(TransientError, match="SlowDown"):
            conn.sample(asset, 10)


def test_object_encryption_recorded(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    s3_client.put_object(Bucket=bucket, Key="k.csv", Body=CSV.encode(), ServerSideEncryption="aws:kms",
                         SSEKMSKeyId="alias/school")
    s3_client.put_object(Bucket=bucket, Key="p.json", Body=b'{"a": 1}', ServerSideEncryption="AES256")
    with connector(s3_endpoint, bucket) as conn:
        found = assets(conn)
        conn.sample(found["k.csv"], 10)
        conn.sample(found["p.json"], 10)
        assert found["k.csv"].meta["object_encryption"] == ["SSE-KMS"]
        assert found["p.json"].meta["object_encryption"] == ["SSE-S3"]


def test_posture_private_versioned_kms(s3_endpoint: str, s3_client: Any) -> None:
    b = unique_bucket("secure")
    s3_client.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
    s3_client.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    s3_client.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"}}]})
    s3_client.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
        {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 365}}]})
    s3_client.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    logs = unique_bucket("logs")
    s3_client.create_bucket(Bucket=logs)
    s3_client.put_bucket_acl(Bucket=logs, GrantWrite='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
                             GrantReadACP='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"')
    s3_client.put_bucket_logging(Bucket=b, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": logs, "TargetPrefix": "access/"}})
    with connector(s3_endpoint, b) as conn:
        p = conn.bucket_posture(b)
    assert (p.encryption, p.kms_key_id) == ("SSE-KMS", "alias/k")
    assert p.versioning == "enabled" and p.object_lock == "enabled"
    assert p.lifecycle_rules == 1 and p.expiration_days == 365
    assert p.public == "not_public" and p.public_access_block == "full"
    assert p.access_logging == "enabled" and p.region == "us-east-1"
    assert p.unreadable == {}


def test_posture_public_by_policy_and_acl(s3_endpoint: str, s3_client: Any) -> None:
    b = unique_bucket("open")
    s3_client.create_bucket(Bucket=b)
    s3_client.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{b}/*"}]}))
    s3_client.put_bucket_acl(Bucket=b, ACL="public-read")
    with connector(s3_endpoint, b) as conn:
        p = conn.bucket_posture(b)
    assert p.public == "public"
    assert set(p.public_reasons) == {"policy_principal_any", "acl_all_users"}
    assert p.versioning == "disabled" and p.lifecycle_rules == 0 and p.access_logging == "disabled"
    assert p.object_lock == "disabled"
    assert p.encryption in ("none", "SSE-S3")


def test_posture_unreadable_parts_are_unknown(s3_endpoint: str, s3_client: Any) -> None:
    b = unique_bucket("hidden")
    s3_client.create_bucket(Bucket=b)
    with FaultProxy(s3_endpoint) as proxy, connector(proxy.url, b) as conn:
        proxy.deny("?policy")
        proxy.deny("?encryption")
        proxy.deny("?versioning")
        p = conn.bucket_posture(b)
    assert p.public == "unknown" and p.encryption == "unknown" and p.versioning == "unknown"
    assert p.unreadable == {"policy": "AccessDenied", "encryption": "AccessDenied", "versioning": "AccessDenied"}


def test_iter_batches_streams_every_member(s3_endpoint: str, s3_client: Any, bucket: str) -> None:
    for i in range(4):
        s3_client.put_object(Bucket=bucket, Key=f"e/{i}.csv.gz",
                             Body=gzip.compress(("id,phone\n" + "".join(
                                 f"{j},139{j:08d}\n" for j in range(1000))).encode()))
    with connector(s3_endpoint, bucket, objects_per_group=1) as conn:
        asset = assets(conn)["e/*.csv.gz"]
        rows = [r for b in conn.iter_batches(asset, ["phone"], batch_size=300) for r in b]
    assert len(rows) == 4_000 and rows[0] == ("e/0.csv.gz", "13900000000")


def test_from_url_and_config_errors(s3_endpoint: str) -> None:
    c = S3Connector.from_url("x", "s3://school-exports/2024/", endpoint_url=s3_endpoint)
    assert c.config.buckets == ["school-exports"] and c.config.prefixes == ["2024/"]
    assert "secret" not in repr(c)
    with pytest.raises(ConfigError):
        S3Connector.from_url("x", "https://example.com/b")
    with pytest.raises(ConfigError):
        S3Connector("x", S3ConnectorConfig(access_key_id="AKIA"))
