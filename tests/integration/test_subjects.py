"""A child in five places across PostgreSQL, MariaDB and S3: found everywhere, erased everywhere."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from benchmarks.harness import pg_database

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan
from pi_scanner.scanner import run_scan
from pi_scanner.subjects.apply import apply_subject_plan
from pi_scanner.subjects.index import build_index
from pi_scanner.subjects.requests import erase_plan, find
from tests.s3_server import CREDS, make_client, s3_endpoint, unique_bucket  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.mysql, pytest.mark.s3]

AS_OF = dt.date(2025, 6, 1)
CHILD = "110105201503070013"  # born 2015-03-07: a child on AS_OF
SIBLING = "110105201709120012"
PARENT = "110105198001010016"
PHONE = "13800138000"
KEY = b"k" * 32


def _ids() -> None:
    from pi_scanner.classify.checksums import mod11_2_valid

    assert all(mod11_2_valid(x) for x in (CHILD, SIBLING, PARENT))


def _setup(pg_url: str, mysql_url: str, endpoint: str) -> str:
    pg = sa.create_engine(pg_url)
    with pg.begin() as c:
        c.execute(sa.text("CREATE TABLE students (id int primary key, name text, id_number text,"
                          " birth_date date, guardian_phone text)"))
        c.execute(sa.text("INSERT INTO students VALUES (1,'张小明',:a,'2015-03-07',:p),"
                          "(2,'张小红',:b,'2017-09-12',:p),(3,'李华','110105201101010018','2011-01-01','13912345678')"),
                  {"a": CHILD, "b": SIBLING, "p": PHONE})
        c.execute(sa.text("CREATE TABLE guardians (id int primary key, name text, id_number text, mobile text)"))
        c.execute(sa.text("INSERT INTO guardians VALUES (1,'张伟',:g,:p)"), {"g": PARENT, "p": PHONE})
    pg.dispose()
    my = sa.create_engine(mysql_url)
    with my.begin() as c:
        c.execute(sa.text("CREATE TABLE enrollments (id int primary key, class_name varchar(32), payload json)"))
        for i, (sid, phone) in enumerate([(CHILD, PHONE), (SIBLING, PHONE), ("110105201101010018", "13912345678")]):
            c.execute(sa.text("INSERT INTO enrollments VALUES (:i, '一年级1班', :p)"),
                      {"i": i + 1, "p": json.dumps({"student": {"id_number": sid}, "guardian_phone": phone})})
    my.dispose()
    s3 = make_client(endpoint)
    bucket = unique_bucket("subj")
    s3.create_bucket(Bucket=bucket)
    csv_body = f"student_id,name,score\n{CHILD},张小明,95\n{SIBLING},张小红,88\n".encode()
    s3.put_object(Bucket=bucket, Key="exports/grades.csv", Body=csv_body)
    log = "".join(json.dumps({"event": "login", "id_number": x, "ts": "2025-05-01T08:00:00"}) + "\n"
                  for x in (SIBLING, CHILD, SIBLING))
    s3.put_object(Bucket=bucket, Key="logs/app.jsonl", Body=log.encode())
    buf = io.BytesIO()
    pq.write_table(pa.table({"id_number": [CHILD, SIBLING], "height_cm": [120, 105]}), buf)
    s3.put_object(Bucket=bucket, Key="health/checkup.parquet", Body=buf.getvalue())
    return bucket


def _settings(pg_url: str, mysql_url: str, endpoint: str, bucket: str, catalog: str) -> Any:
    return parse_settings({
        "connectors": {
            "pg": {"type": "sql", "url": pg_url},
            "my": {"type": "sql", "url": mysql_url},
            "s3": {"type": "s3", "endpoint_url": endpoint, "region": "us-east-1", "path_style": True,
                   "access_key_id": CREDS["aws_access_key_id"],
                   "secret_access_key": CREDS["aws_secret_access_key"], "buckets": [bucket]},
        },
        "catalog": {"url": catalog, "hmac_key": KEY.decode()},
        "subjects": {"assets": [{"match": "my:*enrollments", "action": "anonymize",
                                 "anonymize": {"payload": "redact"}}]},
    })


@pytest.mark.parametrize("catalog_kind", ["sqlite", "postgresql"])
def test_child_in_five_places_found_and_erased(pg_url: str, mysql_url: str, s3_endpoint: str,  # noqa: F811
                                               tmp_path: Path, catalog_kind: str) -> None:
    with contextlib.ExitStack() as stack:
        # A PostgreSQL catalog takes the index rows by COPY; SQLite by INSERT.
        url = (stack.enter_context(pg_database()) if catalog_kind == "postgresql"
               else f"sqlite:///{tmp_path / 'cat.db'}")
        _child_in_five_places(pg_url, mysql_url, s3_endpoint, url)


def _child_in_five_places(pg_url: str, mysql_url: str, endpoint: str, catalog_url: str) -> None:
    _ids()
    bucket = _setup(pg_url, mysql_url, endpoint)
    settings = _settings(pg_url, mysql_url, endpoint, bucket, catalog_url)
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    report = build_index(settings, catalog, AS_OF)
    assert report.indexed >= 5, report
    assert report.entries > 0
    again = build_index(settings, catalog, AS_OF)
    assert again.skipped >= 3  # unchanged objects are not re-read

    found = find(settings, catalog, {"resident_id": CHILD}, AS_OF, hmac_key=KEY)
    where = {(loc.asset.split(":")[0], loc.kind) for loc in found.locations}
    assets = sorted(loc.asset for loc in found.locations)
    assert len(found.locations) == 5, assets
    assert {w[0] for w in where} == {"pg", "my", "s3"}
    assert all(loc.confirmed for loc in found.locations)
    text = json.dumps(found.to_json(), ensure_ascii=False)
    assert CHILD not in text and PHONE not in text  # masked by default
    relations = {loc.relation for loc in found.linked}
    assert "sibling" in relations and "guardian" in relations

    plan, _ = erase_plan(settings, catalog, {"resident_id": CHILD}, AS_OF, hmac_key=KEY)
    assert sum(i["expected_count"] for i in plan.items) == 5
    plan = Plan.from_json(json.loads(json.dumps(plan.to_json())))  # what `--output plan.json` round-trips
    assert CHILD not in json.dumps(plan.to_json())
    result = apply_subject_plan(plan, settings, catalog, hmac_key=KEY)
    assert result.complete, result.to_json()
    assert sum(i.affected for i in result.items) == 5
    rerun = apply_subject_plan(plan, settings, catalog, hmac_key=KEY)
    assert {i.status for i in rerun.items} == {"already_done"}

    pg = sa.create_engine(pg_url)
    with pg.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM students")).scalar() == 2
        assert c.execute(sa.text("SELECT count(*) FROM students WHERE id_number=:s"), {"s": SIBLING}).scalar() == 1
    pg.dispose()
    my = sa.create_engine(mysql_url)
    with my.connect() as c:
        payloads = [str(r[0]) for r in c.execute(sa.text("SELECT payload FROM enrollments ORDER BY id"))]
    my.dispose()
    assert CHILD not in "".join(payloads) and "[REDACTED]" in payloads[0] and SIBLING in payloads[1]
    s3 = make_client(endpoint)
    for key in ("exports/grades.csv", "logs/app.jsonl", "health/checkup.parquet"):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if key.endswith(".parquet"):
            ids = pq.read_table(io.BytesIO(body)).column("id_number").to_pylist()
            assert ids == [SIBLING]
        else:
            assert CHILD.encode() not in body and SIBLING.encode() in body

    # Re-scan and re-index: the residual find is empty, and still audited.
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    build_index(settings, catalog, AS_OF)
    residual = find(settings, catalog, {"resident_id": CHILD}, AS_OF, hmac_key=KEY)
    assert residual.locations == []
    sibling = find(settings, catalog, {"resident_id": SIBLING}, AS_OF, hmac_key=KEY)
    assert len(sibling.locations) >= 4
    verify = Ledger(catalog, KEY).verify()
    assert verify.ok, verify.problems
    actions = [e["action"] for e in (x.to_json() for x in Ledger(catalog, KEY).entries())]
    assert "subject.find" in actions and "subject.delete" in actions and "subject.anonymize" in actions
    catalog.close()
