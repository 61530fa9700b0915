"""Links across the objects of one bucket prefix, over a real moto S3 server (issue 15, item 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.models import ChildStatus
from pi_scanner.report.json_report import build_report
from pi_scanner.scanner import run_scan
from tests.s3_server import CREDS, s3_client, s3_endpoint, unique_bucket
from tests.unit.datamap import file_export

pytestmark = pytest.mark.s3
__all__ = ["s3_client", "s3_endpoint"]


def _lake(s3_endpoint: str, bucket: str) -> Settings:
    """Settings of one S3 connector ``lake`` on the moto server, reading ``bucket``."""
    return parse_settings({
        "connectors": {"lake": {
            "type": "s3", "endpoint_url": s3_endpoint, "region": "us-east-1", "path_style": True,
            "access_key_id": CREDS["aws_access_key_id"], "secret_access_key": CREDS["aws_secret_access_key"],
            "buckets": [bucket],
        }},
        "executor": {"type": "local"},
    })


def test_objects_of_one_prefix_are_linked(s3_endpoint: str, s3_client: Any, tmp_path: Path) -> None:
    bucket = unique_bucket("sis")
    s3_client.create_bucket(Bucket=bucket)
    files, kids = file_export.export("sis/2026/")
    for key, body in files.items():
        s3_client.put_object(Bucket=bucket, Key=key, Body=body)
    settings = _lake(s3_endpoint, bucket)
    with Catalog(f"sqlite:///{tmp_path / 'catalog.db'}") as catalog:
        catalog.migrate()
        outcome = run_scan(settings, as_of=file_export.AS_OF, catalog=catalog, executor="local")
        stored = catalog.load_links(outcome.run.run_id)
    links = {lk.label: lk for lk in outcome.run.links}
    att = links["sis/2026/attendance.csv.student_id -> sis/2026/students.csv.student_id"]
    assert att.accepted and att.from_path == (bucket, "sis/2026/attendance.csv") and "exact" in att.evidence
    assert not links["sis/2026/legacy_visits.csv.student_id -> sis/2026/students.csv.student_id"].accepted
    assert not [lk for lk in outcome.run.links if "other/" in lk.label]
    assert {lk.label for lk in stored} == set(links)
    results = {r.asset.path[-1]: r for r in outcome.run.results}
    attendance = results["sis/2026/attendance.csv"]
    assert attendance.child_status is ChildStatus.CHILD and attendance.ages.child == file_export.CHILD_ATTENDANCE
    assert results["sis/2026/grades.jsonl"].ages.child == file_export.CHILD_GRADES
    assert results["sis/2026/payroll.csv"].linked_via is None
    report = build_report(outcome.run, outcome.infos, failed_connectors=outcome.failed_connectors)
    text = json.dumps(report["links"]) + json.dumps([a.get("linked_via") for a in report["assets"]])
    assert not [v for k in kids for v in k.values() if v in text]


def test_gzip_objects_and_a_workbook_of_one_prefix_are_linked(
    s3_endpoint: str, s3_client: Any, tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    bucket = unique_bucket("sisgz")
    s3_client.create_bucket(Bucket=bucket)
    files, kids = file_export.export("sis/2026/")
    for key, body in file_export.packed(files, "sis/2026/").items():
        s3_client.put_object(Bucket=bucket, Key=key, Body=body)
    settings = _lake(s3_endpoint, bucket)
    with Catalog(f"sqlite:///{tmp_path / 'catalog.db'}") as catalog:
        catalog.migrate()
        outcome = run_scan(settings, as_of=file_export.AS_OF, catalog=catalog, executor="local")
    links = {lk.label: lk for lk in outcome.run.links}
    att = links["sis/2026/attendance.csv.gz.student_id -> sis/2026/students.xlsx.student_id"]
    assert att.accepted and att.to_path == (bucket, "sis/2026/students.xlsx") and "exact" in att.evidence
    assert links["sis/2026/grades.jsonl.gz.student_id -> sis/2026/students.xlsx.student_id"].accepted
    results = {r.asset.path[-1]: r for r in outcome.run.results}
    assert results["sis/2026/attendance.csv.gz"].ages.child == file_export.CHILD_ATTENDANCE
    assert results["sis/2026/grades.jsonl.gz"].ages.child == file_export.CHILD_GRADES
    report = build_report(outcome.run, outcome.infos)
    text = json.dumps(report["links"]) + json.dumps([a.get("linked_via") for a in report["assets"]])
    assert not [v for k in kids for v in k.values() if v in text]
