"""Retention on an S3 store (moto server over HTTP): exact plans, every version gone, Object Lock respected."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan, build_plan
from tests.s3_server import CREDS, s3_client, s3_endpoint, unique_bucket

pytestmark = pytest.mark.s3
__all__ = ["s3_client", "s3_endpoint"]

KEY = b"retention-s3-test-hmac-key-0123456789"
#: Objects can only be written "now" on moto: a reference date two days ahead with max_age 1d expires them.
AS_OF = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=2)
CSV = "姓名,出生日期\n王小明,2015-03-07\n".encode()


def _settings(endpoint: str, tmp_path: Path, bucket: str, **policy: Any) -> Settings:
    pol: dict[str, Any] = {
        "name": "exports",
        "selector": {"connector": "lake", "buckets": [bucket], "prefixes": ["exports/"]},
        "anchor": "LastModified",
        "max_age": "1d",
        "action": "delete_all_versions",
        "enforce": True,
    }
    pol.update(policy)
    return parse_settings({
        "connectors": {"lake": {
            "type": "s3", "endpoint_url": endpoint, "region": "us-east-1", "path_style": True,
            "access_key_id": CREDS["aws_access_key_id"], "secret_access_key": CREDS["aws_secret_access_key"],
            "buckets": [bucket],
        }},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY.decode()},
        "retention": [pol],
    })


def _plan(settings: Settings, catalog: Catalog) -> Plan:
    plan = build_plan(settings, catalog, AS_OF, KEY)
    assert not plan.errors, plan.errors
    # What `retention apply` reads back: the digest guards the exact keys.
    return Plan.from_json(json.loads(json.dumps(plan.to_json())))


def _versions(client: Any, bucket: str) -> list[tuple[str, bool]]:
    """Every version (False) and delete marker (True), by key."""
    resp = client.list_object_versions(Bucket=bucket)
    return sorted([(v["Key"], False) for v in resp.get("Versions", [])]
                  + [(m["Key"], True) for m in resp.get("DeleteMarkers", [])])


def test_versioned_bucket_every_version_removed(s3_endpoint: str, s3_client: Any, tmp_path: Path) -> None:
    b = unique_bucket("ver")
    s3_client.create_bucket(Bucket=b)
    s3_client.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    for _ in range(3):
        s3_client.put_object(Bucket=b, Key="exports/a.csv", Body=CSV)
    s3_client.put_object(Bucket=b, Key="exports/b.csv", Body=CSV)
    s3_client.delete_object(Bucket=b, Key="exports/b.csv")  # a delete marker: the data is still there
    s3_client.put_object(Bucket=b, Key="exports/held/c.csv", Body=CSV)
    s3_client.put_object(Bucket=b, Key="other/x.csv", Body=CSV)
    settings = _settings(s3_endpoint, tmp_path, b, legal_holds=[
        {"prefixes": ["exports/held/"], "reason": "court order", "basis": "PIPL 47(2)"}])
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        plan = _plan(settings, catalog)
        [item] = plan.items
        assert item["kind"] == "object" and item["path"] == [b] and item["expected_count"] == 5
        assert sorted(k[0] for k in item["keys"]) == ["exports/a.csv"] * 3 + ["exports/b.csv"] * 2
        assert item["legal_hold_exclusions"][0]["count"] == 1
        [report] = plan.report
        assert (report.expired, report.held, report.candidates) == (6, 1, 5)

        dry = apply_plan(plan, settings, catalog, dry_run=True, hmac_key=KEY)
        assert dry.items[0].affected == 5 and len(_versions(s3_client, b)) == 7

        result = apply_plan(plan, settings, catalog, hmac_key=KEY)
        [res] = result.items
        assert result.ok and res.status == "done" and res.affected == 5 and res.residual == 0
        assert _versions(s3_client, b) == [("exports/held/c.csv", False), ("other/x.csv", False)]

        again = apply_plan(plan, settings, catalog, hmac_key=KEY)  # resumable: nothing redone
        assert again.items[0].resumed_batches == 1 and again.items[0].affected == 0

        ledger = Ledger(catalog, KEY)
        entries = [e for e in ledger.entries() if e.action == "retention.delete_versions"]
        assert [e.count for e in entries] == [5]
        assert "exports/a.csv" not in json.dumps([e.to_json() for e in entries])  # keys hashed only
        assert ledger.verify().ok


def test_object_lock_reported_and_respected(s3_endpoint: str, s3_client: Any, tmp_path: Path) -> None:
    b = unique_bucket("lock")
    s3_client.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=3650)
    s3_client.put_object(Bucket=b, Key="exports/governed.csv", Body=CSV, ObjectLockMode="GOVERNANCE",
                         ObjectLockRetainUntilDate=until)
    s3_client.put_object(Bucket=b, Key="exports/hold.csv", Body=CSV)
    s3_client.put_object_legal_hold(Bucket=b, Key="exports/hold.csv", LegalHold={"Status": "ON"})
    s3_client.put_object(Bucket=b, Key="exports/free.csv", Body=CSV)
    late = s3_client.put_object(Bucket=b, Key="exports/late.csv", Body=CSV)
    settings = _settings(s3_endpoint, tmp_path, b)
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        plan = _plan(settings, catalog)
        [item] = plan.items
        assert item["object_lock"] is True
        assert sorted(k[0] for k in item["keys"]) == ["exports/free.csv", "exports/late.csv"]
        assert item["locked"] == [{"reason": "governance", "count": 1}, {"reason": "legal_hold", "count": 1}]
        # Locked after planning: apply re-checks and skips it (never bypasses governance retention).
        s3_client.put_object_retention(Bucket=b, Key="exports/late.csv", VersionId=late["VersionId"],
                                       Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
        result = apply_plan(plan, settings, catalog, hmac_key=KEY)
        [res] = result.items
        assert res.status == "done" and res.affected == 1 and res.locked == 1
        assert "locked versions skipped: governance 1" in res.message
        assert res.residual == 0
        left = {k for k, _ in _versions(s3_client, b)}
        assert left == {"exports/governed.csv", "exports/hold.csv", "exports/late.csv"}
        assert Ledger(catalog, KEY).verify().ok


def test_current_objects_deleted_in_batches_of_1000(s3_endpoint: str, s3_client: Any, tmp_path: Path) -> None:
    b = unique_bucket("many")
    s3_client.create_bucket(Bucket=b)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: s3_client.put_object(Bucket=b, Key=f"exports/{i:05d}.csv", Body=CSV), range(1005)))
    s3_client.put_object(Bucket=b, Key="keep/readme.txt", Body=b"x")
    settings = _settings(s3_endpoint, tmp_path, b, action="delete", batch_size=5000)
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        plan = _plan(settings, catalog)
        assert plan.items[0]["expected_count"] == 1005
        result = apply_plan(plan, settings, catalog, hmac_key=KEY)
        [res] = result.items
        assert (res.batches, res.affected, res.residual) == (2, 1005, 0)  # 1,000 + 5: the DeleteObjects cap
        assert s3_client.list_objects_v2(Bucket=b)["KeyCount"] == 1
        counts = [e.count for e in Ledger(catalog, KEY).entries() if e.action == "retention.delete_objects"]
        assert counts == [1000, 5]


def test_report_only_policy_is_skipped(s3_endpoint: str, s3_client: Any, tmp_path: Path) -> None:
    b = unique_bucket("ro")
    s3_client.create_bucket(Bucket=b)
    s3_client.put_object(Bucket=b, Key="exports/a.csv", Body=CSV)
    settings = _settings(s3_endpoint, tmp_path, b, action="delete", enforce=False)
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        result = apply_plan(_plan(settings, catalog), settings, catalog, hmac_key=KEY)
    assert result.items[0].status == "skipped"
    assert s3_client.list_objects_v2(Bucket=b)["KeyCount"] == 1
