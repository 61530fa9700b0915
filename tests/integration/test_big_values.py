"""Big cells and big objects (issue 18, case 9).

Scaled down by configuring the limits lower (the behaviour is the same): the issue's 50 MB text value is a
1 MB value under ``classifier.max_cell_chars: 20000`` (50 times the cap, as 50 MB is 500 times the default
100,000); the 500 MB object is a 3 MB object under ``max_object_bytes: 65536`` and ``sample_rows: 2000``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from typer.testing import CliRunner

from pi_scanner.cli import app
from tests.canaries import make_canaries, resident_id
from tests.s3_server import CREDS, s3_client, s3_endpoint, unique_bucket

__all__ = ["s3_client", "s3_endpoint"]
AS_OF = "2026-03-15"


def _scan(tmp_path: Path, connectors: dict[str, Any], **extra: Any) -> tuple[int, dict[str, Any], str]:
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({"connectors": connectors, "executor": {"type": "local"}, **extra}),
                      encoding="utf-8")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", AS_OF, "-f", "json", "-o", str(out)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res.exit_code, json.loads(out.read_text(encoding="utf-8")), res.output


def _assets(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["path"][-1]: a for a in report["assets"]}


@pytest.mark.postgres
def test_pg_cell_past_the_cap_is_read_in_windows_and_noted(tmp_path: Path, pg_url: str) -> None:
    kid = make_canaries(1)[0]
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)"))
        conn.execute(sa.text("CREATE TABLE filler (id INT PRIMARY KEY, body TEXT)"))
        half = "记录" * 250_000  # 500,000 characters each side
        conn.execute(sa.text("INSERT INTO notes VALUES (1, :b)"),
                     {"b": f"{half} 学生身份证号：{kid.resident_id}，监护人电话：{kid.phone} {half}"})
        conn.execute(sa.text("INSERT INTO filler VALUES (1, :b)"), {"b": half * 2})
    engine.dispose()
    code, report, output = _scan(tmp_path, {"db": {"type": "sql", "url": pg_url}},
                                 classifier={"max_cell_chars": 20_000})
    assets = _assets(report)
    notes = assets["notes"]
    assert notes["child_status"] == "child", notes
    assert any("CN_RESIDENT_ID" in c["entity_types"] for c in notes["columns"])
    assert notes["coverage"]["cells_partly_read"] == 1 and notes["coverage"]["limits"] == {"cell_size": 1}
    assert "limit:cell_size" in notes["notes"]
    filler = assets["filler"]  # nothing found, but most of the cell was not read: unknown, never none
    assert filler["child_status"] == "unknown" and "limit:cell_size" in filler["notes"]
    assert report["coverage"]["cells_partly_read"] == 2
    assert code == 1, output
    text = json.dumps(report, ensure_ascii=False) + output
    assert not [v for v in kid.values() if v in text]


@pytest.mark.s3
def test_big_object_sample_has_its_first_rows_and_ranges_past_the_head(
    tmp_path: Path, s3_endpoint: str, s3_client: Any
) -> None:
    bucket = unique_bucket()
    s3_client.create_bucket(Bucket=bucket)
    kids = make_canaries(400)
    rng = random.Random(18)
    adults = "".join(f"王大{i % 10},{resident_id(dt.date(1980, 1, 1) + dt.timedelta(days=i % 3000), rng)},"
                     f"139{i:08d}\n" for i in range(60_000))
    middle = "".join(f"{k.name},{k.resident_id},{k.phone}\n" for k in kids)
    header = "xm,sfzh,sjh\n"
    first = kids[0]
    bodies = {
        # The only child's row is the first line (the case).
        "first.csv": header + f"{first.name},{first.resident_id},{first.phone}\n" + adults + adults,
        # Children's rows only in the middle sixth, far past the head that used to be the whole sample
        # (eight ranges spread evenly: any region over an eighth of the file is always reached).
        "middle.csv": header + adults + middle * 50 + adults,
    }
    for key, body in bodies.items():
        s3_client.put_object(Bucket=bucket, Key=key, Body=body.encode())
    lake = {"type": "s3", "endpoint_url": s3_endpoint, "region": "us-east-1", "path_style": True,
            "access_key_id": CREDS["aws_access_key_id"], "secret_access_key": CREDS["aws_secret_access_key"],
            "buckets": [bucket], "max_object_bytes": 65_536, "sample_rows": 2_000}
    code, report, output = _scan(tmp_path, {"lake": lake})
    assets = _assets(report)
    for key in bodies:
        a = assets[key]
        assert a["child_status"] == "child", (key, {k: a[k] for k in ("rows_scanned", "notes", "coverage")})
        cov = a["coverage"]
        assert cov["bytes_read"] < cov["bytes_total"] and cov["limits"]["object_size"] > 0, cov
    assert assets["first.csv"]["child_rows"] >= 1
    assert code == 1, output
    text = json.dumps(report, ensure_ascii=False) + output
    assert not [v for k in kids for v in k.values() if v in text]
