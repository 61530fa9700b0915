"""A bucket that breaks between listing and reading must never read as clean, on a moto S3 *server*.

Objects are deleted on the server after the scan listed them (an operator's clean-up racing the scan), one
prefix answers 403 through a proxy (a bucket policy denying it), and a gzip export was cut short in upload.
Each faulty asset says why it was not (wholly) read and is never ``none``; the clean object beside them is
still ``none``; the run is ``partial`` and ``scan`` exits 3.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.connectors.s3 import S3Connector
from tests.canaries import make_canaries
from tests.s3_server import CREDS, FaultProxy, s3_client, s3_endpoint, unique_bucket

pytestmark = pytest.mark.s3
__all__ = ["s3_client", "s3_endpoint"]

AS_OF = "2026-03-15"
STOCK = "item,qty\n" + "".join(f"pencil-{i},{i % 7}\n" for i in range(50))


def test_objects_deleted_denied_or_cut_short_are_never_none(
    s3_endpoint: str, s3_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kids = make_canaries(200)
    pupils = "xm,sfzh,phone\n" + "".join(f"{k.name},{k.resident_id},{k.phone}\n" for k in kids)
    bucket = unique_bucket("gaps")
    s3_client.create_bucket(Bucket=bucket)
    objects = {
        "daily/2026-03-01.csv": STOCK, "daily/2026-03-02.csv": pupils, "daily/2026-03-03.csv": STOCK,
        "solo/roster.json": json.dumps([{"xm": k.name, "sfzh": k.resident_id} for k in kids[:20]]),
        "denied/kids.jsonl": "".join(json.dumps({"xm": k.name, "phone": k.phone}) + "\n" for k in kids[:20]),
        "clean/stock.csv": STOCK,
    }
    for key, body in objects.items():
        s3_client.put_object(Bucket=bucket, Key=key, Body=body.encode())
    export = gzip.compress((STOCK * 80 + pupils).encode())
    s3_client.put_object(Bucket=bucket, Key="trunc/export.csv.gz", Body=export[: len(export) // 3])

    real_discover = S3Connector.discover

    def discover_then_delete(self: S3Connector) -> Iterator[AssetInfo]:
        found = list(real_discover(self))
        # Deleted on the server after the listing, before any object is read.
        for key in ("daily/2026-03-02.csv", "solo/roster.json"):
            s3_client.delete_object(Bucket=bucket, Key=key)
        yield from found

    monkeypatch.setattr(S3Connector, "discover", discover_then_delete)
    with FaultProxy(s3_endpoint) as proxy:
        proxy.deny(f"/{bucket}/denied/")
        config = tmp_path / "scan.yaml"
        config.write_text(yaml.safe_dump({
            "connectors": {"lake": {
                "type": "s3", "endpoint_url": proxy.url, "region": "us-east-1", "path_style": True,
                "access_key_id": CREDS["aws_access_key_id"], "secret_access_key": CREDS["aws_secret_access_key"],
                "buckets": [bucket], "objects_per_group": 3, "max_attempts": 1,
            }},
            "executor": {"type": "local", "retries": 0},
        }), encoding="utf-8")
        out = tmp_path / "report.json"
        catalog_url = f"sqlite:///{tmp_path / 'c.db'}"
        res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", catalog_url, "--as-of", AS_OF,
                                       "-f", "json", "-o", str(out)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    report = json.loads(out.read_text(encoding="utf-8"))
    assets = {a["path"][-1]: a for a in report["assets"]}
    assert set(assets) == {"daily/2026-03-0*.csv", "solo/roster.json", "denied/kids.jsonl", "clean/stock.csv",
                           "trunc/export.csv.gz"}, set(assets)
    assert assets["clean/stock.csv"]["child_status"] == "none"

    group = assets["daily/2026-03-0*.csv"]  # two stock files read, the pupils' file gone: not "none"
    assert group["child_status"] == "unknown", group
    assert group["coverage"]["limits"] == {"unreadable_objects": 1} and "limit:unreadable_objects" in group["notes"]
    trunc = assets["trunc/export.csv.gz"]
    assert trunc["child_status"] == "unknown" and trunc["coverage"]["limits"] == {"damaged": 1}, trunc
    for name, words in (("solo/roster.json", "no longer exists"), ("denied/kids.jsonl", "access denied")):
        asset = assets[name]
        assert asset["child_status"] != "none", asset
        assert [e["stage"] for e in asset["errors"]] == ["sample"] and words in asset["errors"][0]["message"], asset

    cov = report["coverage"]
    assert cov["assets_faulty"] == 2 and cov["assets_not_read"] == 2 and cov["assets_fully_read"] == 1
    assert res.exit_code == 3, res.output
    with Catalog(catalog_url) as catalog:
        (run,) = catalog.list_runs(5)
        assert run.status == "partial"
    text = json.dumps(report, ensure_ascii=False) + res.output
    assert not [v for k in kids for v in k.values() if v in text]
