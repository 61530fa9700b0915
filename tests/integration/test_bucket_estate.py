"""Issue 4 "Done when": a bucket estate scanned over HTTP (moto server) and reported with posture findings.

The estate is the demo school's exports (CSV, JSONL, Parquet, XLSX, gzipped logs with 身份证号) in a
private, encrypted, logged bucket, plus a public bucket, an unencrypted bucket and a versioned bucket,
each holding a CSV of children's records.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.demo import DEMO_AS_OF, generate_demo
from pi_scanner.metrics import Metrics
from pi_scanner.report.json_report import build_report, report_schema
from pi_scanner.scanner import run_scan
from tests.s3_server import CREDS, s3_client, s3_endpoint, unique_bucket

pytestmark = pytest.mark.s3
__all__ = ["s3_client", "s3_endpoint"]

SSE_S3 = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}


def _roster(exports: Path) -> tuple[list[str], list[list[str]]]:
    with (exports / "students_roster_2025.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _under_14(dob_text: str) -> bool:
    """不满十四周岁 in the spec's legal mode: a child through the 14th birthday inclusive."""
    y, m, d = (int(p) for p in dob_text.split("/"))
    dob, ref = dt.date(y, m, d), DEMO_AS_OF
    return ref.year - y - ((ref.month, ref.day) <= (dob.month, dob.day)) < 14


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _parquet(header: list[str], rows: list[list[str]]) -> bytes:
    table = pa.table({h: [r[i] for r in rows] for i, h in enumerate(header)})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _id_log(ids: list[str]) -> bytes:
    lines = [f"2025-03-01T08:{i % 60:02d}:00+08:00 INFO 报名成功 身份证号:{ric} status=200\n"
             for i, ric in enumerate(ids)]
    return gzip.compress("".join(lines).encode("utf-8"))


def _public_policy(bucket: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})


def _by_path(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(a["path"][0], a["path"][1]): a for a in report["assets"]}


def _checks(asset: dict[str, Any]) -> dict[str, str]:
    return {c["check"]: c["status"] for c in asset.get("checks", [])}


def test_bucket_estate_scanned_over_http(s3_endpoint: str, s3_client: Any, tmp_path: Path) -> None:
    estate = generate_demo(tmp_path / "demo")
    header, rows = _roster(estate.exports)
    children = [r for r in rows if _under_14(r[2])]
    assert children, "the demo roster must hold children"
    kids_csv = _csv_bytes(header, children[:20])

    exports, public, plain, versioned, logs = (unique_bucket(p) for p in ("exp", "pub", "plain", "ver", "logs"))
    for b in (exports, public, plain, versioned, logs):
        s3_client.create_bucket(Bucket=b)
    for b in (exports, public, versioned):
        s3_client.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=SSE_S3)
    s3_client.put_bucket_acl(Bucket=logs, GrantWrite='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
                             GrantReadACP='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"')
    for b in (exports, plain, versioned):
        s3_client.put_bucket_logging(Bucket=b, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": logs, "TargetPrefix": f"{b}/"}})
    s3_client.put_bucket_policy(Bucket=public, Policy=_public_policy(public))
    s3_client.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})

    put = s3_client.put_object
    put(Bucket=exports, Key="roster/students_roster_2025.csv",
        Body=(estate.exports / "students_roster_2025.csv").read_bytes())
    put(Bucket=exports, Key="events/app_events.jsonl", Body=(estate.exports / "app_events.jsonl").read_bytes())
    put(Bucket=exports, Key="parquet/roster.parquet", Body=_parquet(header, rows))
    put(Bucket=exports, Key="xlsx/roster.xlsx", Body=_xlsx(header, rows))
    put(Bucket=exports, Key="staff/staff_directory.csv", Body=(estate.exports / "staff_directory.csv").read_bytes())
    put(Bucket=exports, Key="logs/enrol-2025-03-01.log.gz", Body=_id_log([r[0][1:] for r in children[:30]]))
    put(Bucket=public, Key="share/kids.csv", Body=kids_csv)
    put(Bucket=plain, Key="dump/kids.csv", Body=kids_csv)
    put(Bucket=versioned, Key="v/kids.csv", Body=_csv_bytes(header, children[20:40]))
    put(Bucket=versioned, Key="v/kids.csv", Body=kids_csv)  # a second version; the current one is read

    settings = parse_settings({
        "connectors": {"lake": {
            "type": "s3", "endpoint_url": s3_endpoint, "region": "us-east-1", "path_style": True,
            "access_key_id": CREDS["aws_access_key_id"], "secret_access_key": CREDS["aws_secret_access_key"],
            "buckets": [exports, public, plain, versioned], "retry_mode": "adaptive", "max_attempts": 3,
        }},
        "catalog": {"url": f"sqlite:///{tmp_path / 'catalog.db'}", "hmac_key": "estate-test-key-0123456789abcdef"},
    })
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        outcome = run_scan(settings, as_of=DEMO_AS_OF, catalog=catalog)
    report = build_report(outcome.run, outcome.infos, failed_connectors=outcome.failed_connectors)
    jsonschema.validate(report, report_schema())
    assets = _by_path(report)
    assert not [a for a in report["assets"] if a["errors"]], [a["errors"] for a in report["assets"]]

    # Children's assets, with their child rows; the staff directory is not one.
    roster = assets[(exports, "roster/students_roster_2025.csv")]
    assert roster["child_status"] == "child" and roster["child_rows"] == len(children)
    for key in ("parquet/roster.parquet", "xlsx/roster.xlsx"):
        assert assets[(exports, key)]["child_status"] == "child", key
        assert assets[(exports, key)]["child_rows"] == len(children), key
    assert assets[(exports, "logs/enrol-2025-03-01.log.gz")]["child_status"] in ("child", "likely_child")
    assert assets[(exports, "events/app_events.jsonl")]["child_status"] in ("child", "likely_child")
    assert assets[(exports, "staff/staff_directory.csv")]["child_status"] not in ("child", "likely_child")
    assert "checks" not in assets[(exports, "staff/staff_directory.csv")]
    for b, k in ((public, "share/kids.csv"), (plain, "dump/kids.csv"), (versioned, "v/kids.csv")):
        assert assets[(b, k)]["child_rows"] == 20, (b, k)

    # Posture on every asset, and the findings it implies.
    assert roster["posture"]["encryption"] == "SSE-S3" and roster["posture"]["object_encryption"] == ["SSE-S3"]
    assert _checks(roster) == {"storage_encryption": "pass", "public_access": "pass", "access_logging": "pass"}
    pub = assets[(public, "share/kids.csv")]
    assert pub["posture"]["public"] is True and pub["posture"]["public_reasons"] == ["policy_principal_any"]
    assert _checks(pub) == {"storage_encryption": "pass", "public_access": "fail", "access_logging": "fail"}
    unenc = assets[(plain, "dump/kids.csv")]
    assert unenc["posture"]["encryption"] == "none" and unenc["posture"]["object_encryption"] == ["none"]
    assert _checks(unenc) == {"storage_encryption": "fail", "public_access": "pass", "access_logging": "pass"}
    ver = assets[(versioned, "v/kids.csv")]
    assert ver["posture"]["versioning"] == "enabled" and ver["posture"]["object_lock"] == "disabled"
    assert ver["posture"]["lifecycle_rules"] == 0
    assert _checks(ver) == {"storage_encryption": "pass", "public_access": "pass", "access_logging": "pass"}
    fail = next(c for c in pub["checks"] if c["check"] == "public_access")
    assert fail["articles"] == [18] and fail["evidence"]["reasons"] == ["policy_principal_any"]

    summary = report["summary"]
    assert summary["public_children_assets"] == 1
    assert summary["unencrypted_children_assets"] == 1
    assert summary["child_rows"] == sum(a["child_rows"] for a in report["assets"])
    # The exposure gauges read the same facts (AssetInfo.meta public / encrypted_at_rest).
    metrics = Metrics()
    metrics.observe_scan(outcome.run, "estate", infos=outcome.infos)
    gauge = {s.name: s.value for fam in metrics.registry.collect() for s in fam.samples
             if s.labels.get("connector") == "lake"}
    assert gauge["pi_scanner_public_children_assets"] == 1
    assert gauge["pi_scanner_unencrypted_children_assets"] == 1
    # No raw identifier anywhere in the report.
    text = json.dumps(report, ensure_ascii=False)
    assert not any(r[0][1:] in text for r in children)
