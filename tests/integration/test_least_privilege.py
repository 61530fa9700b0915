"""The GRANT statements of docs/least-privilege.md, executed on the live servers.

The test reads the fenced ``sql postgres-scan`` (etc.) blocks from the document, substitutes unique role,
database and password values, runs them, and proves that ``pi-scanner scan`` works with the SELECT-only role
and that ``doctor`` reports the real privileges of both roles (and that a DBA-style account is flagged).
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from pi_scanner.cli import app
from tests.canaries import make_canaries

DOC = Path(__file__).resolve().parents[2] / "docs" / "least-privilege.md"
_BLOCK = re.compile(r"^```(\w+) ([\w-]+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def doc_blocks() -> dict[str, str]:
    return {tag: body for _, tag, body in _BLOCK.findall(DOC.read_text(encoding="utf-8"))}


def statements(tag: str, subst: dict[str, str]) -> list[str]:
    sql = doc_blocks()[tag]
    for old, new in subst.items():
        sql = sql.replace(old, new)
    return [s.strip() for s in sql.split(";") if s.strip()]


def test_doc_has_every_block() -> None:
    blocks = doc_blocks()
    for tag in ("postgres-scan", "postgres-enforce", "mariadb-scan", "mariadb-enforce", "s3-scan", "s3-enforce"):
        assert tag in blocks, tag
    for tag in ("s3-scan", "s3-enforce"):
        policy = json.loads(blocks[tag])
        actions = [a for st in policy["Statement"] for a in st["Action"]]
        assert not [a for a in actions if a.startswith(("s3:Put", "s3:*"))], tag
        deletes = [a for a in actions if a.startswith("s3:Delete")]
        assert bool(deletes) == (tag == "s3-enforce")
    for tag in ("postgres-scan", "mariadb-scan"):
        granted = re.findall(r"\bGRANT (.*?) ON\b", blocks[tag])
        allowed = {"SELECT", "SHOW", "VIEW", "CONNECT", "USAGE"}
        assert granted and all(set(g.replace(",", " ").split()) <= allowed for g in granted), tag


def _seed(engine: sa.Engine) -> None:
    meta = sa.MetaData()
    students = sa.Table(
        "students", meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("xm", sa.String(32)),
        sa.Column("id_number", sa.String(18)),
        sa.Column("guardian_phone", sa.String(11)),
    )
    sa.Table("teachers", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("dept", sa.String(20)))
    meta.create_all(engine)
    kids = make_canaries(30)
    with engine.begin() as conn:
        conn.execute(students.insert(), [
            {"id": i, "xm": k.name, "id_number": k.resident_id, "guardian_phone": k.phone}
            for i, k in enumerate(kids, start=1)
        ])


def _config(tmp_path: Path, url: str, name: str, env: str) -> Path:
    cfg = tmp_path / f"{name}.yaml"
    cfg.write_text(
        "connectors:\n"
        f"  db:\n    type: sql\n    url: {url}\n    password: ${{{env}}}\n"
        f"catalog:\n  url: sqlite:///{tmp_path / (name + '-catalog.db')}\n",
        encoding="utf-8",
    )
    return cfg


def _doctor(cfg: Path, *extra: str) -> tuple[int, dict]:
    res = CliRunner().invoke(app, ["doctor", "--config", str(cfg), "--json", *extra])
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


def _privs(report: dict) -> set[tuple[str, str, str]]:
    return {(p["scope"], p["privilege"], p["level"]) for p in report["stores"][0]["privileges"]}


def _role_estate(admin_url: str) -> tuple[sa.URL, sa.Engine, dict[str, str]]:
    """The seeded school database, an admin engine, and unique names and a password for the doc's roles."""
    url = sa.make_url(admin_url)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    suffix = uuid.uuid4().hex[:10]
    subst = {
        "pi_scanner_scan": f"pis_scan_{suffix}",
        "pi_scanner_enforce": f"pis_enf_{suffix}",
        "school_db": str(url.database),
        "REPLACE_WITH_SECRET": secrets.token_hex(12),
    }
    _seed(engine)
    return url, engine, subst


@pytest.fixture
def pg_roles(pg_url: str) -> Iterator[tuple[str, dict[str, str], str]]:
    url, engine, subst = _role_estate(pg_url)
    try:
        yield str(url.database), subst, pg_url
    finally:
        with engine.connect() as conn:
            for role in (subst["pi_scanner_scan"], subst["pi_scanner_enforce"]):
                q = engine.dialect.identifier_preparer.quote(role)
                if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
                    conn.exec_driver_sql(f"DROP OWNED BY {q}")
                    conn.exec_driver_sql(f"DROP ROLE {q}")
        engine.dispose()


@pytest.mark.postgres
def test_postgres_roles_from_the_doc(pg_roles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, subst, admin_url = pg_roles
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        for tag in ("postgres-scan", "postgres-enforce"):
            for stmt in statements(tag, subst):
                conn.exec_driver_sql(stmt)
    admin.dispose()
    monkeypatch.setenv("PIS_TEST_PW", subst["REPLACE_WITH_SECRET"])
    scan_cfg = _config(tmp_path, f"postgresql://{subst['pi_scanner_scan']}@127.0.0.1:5432/{db}", "scan", "PIS_TEST_PW")
    enf_cfg = _config(tmp_path, f"postgresql://{subst['pi_scanner_enforce']}@127.0.0.1:5432/{db}", "enf",
                      "PIS_TEST_PW")

    # The SELECT-only role scans the estate and finds the children.
    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["scan", "--config", str(scan_cfg), "--as-of", "2026-03-15", "-f", "json",
                                   "-o", str(out)])
    assert res.exit_code == 1, res.output  # 1 = children's PI found
    report = json.loads(out.read_text(encoding="utf-8"))
    statuses = {a["path"][-1]: a["child_status"] for a in report["assets"]}
    assert statuses["students"] == "child"
    assert not report["summary"]["store_errors"]

    code, scan_doc = _doctor(scan_cfg)
    assert code == 0, scan_doc
    store = scan_doc["stores"][0]
    assert store["identity"] == subst["pi_scanner_scan"] and store["can_read"] is True
    assert not [p for p in store["privileges"] if p["level"] == "excess"]

    # The enforcement role holds DELETE/UPDATE on students: excess for scanning, exactly right for enforcing.
    code, enf_scan = _doctor(enf_cfg)
    assert code == 1
    assert {("table public.students", "DELETE", "excess"), ("table public.students", "UPDATE", "excess")} <= _privs(
        enf_scan)
    assert not [p for p in enf_scan["stores"][0]["privileges"] if "teachers" in p["scope"] and p["level"] == "excess"]
    code, enf_ok = _doctor(enf_cfg, "--purpose", "enforce", "--allow-write", "public.students")
    assert code == 0, enf_ok
    assert ("table public.students", "DELETE", "ok") in _privs(enf_ok)
    code, enf_narrow = _doctor(enf_cfg, "--purpose", "enforce", "--allow-write", "public.teachers")
    assert code == 1

    # The admin account used by the fixtures is a superuser that owns everything: flagged.
    admin_cfg = tmp_path / "admin.yaml"
    admin_cfg.write_text(f"connectors:\n  db:\n    type: sql\n    url: {admin_url}\n", encoding="utf-8")
    code, admin_doc = _doctor(admin_cfg)
    assert code == 1
    assert ("role", "SUPERUSER", "excess") in _privs(admin_doc)
    assert ("table public.students", "OWNER", "excess") in _privs(admin_doc)
    # Nothing the doctor printed holds the password.
    for doc in (scan_doc, enf_scan, enf_ok, enf_narrow):
        assert subst["REPLACE_WITH_SECRET"] not in json.dumps(doc)


@pytest.fixture
def mysql_roles(mysql_url: str) -> Iterator[tuple[str, dict[str, str], str]]:
    url, engine, subst = _role_estate(mysql_url)
    try:
        yield str(url.database), subst, mysql_url
    finally:
        with engine.connect() as conn:
            for role in (subst["pi_scanner_scan"], subst["pi_scanner_enforce"]):
                conn.execute(sa.text("DROP USER IF EXISTS :u@'%'"), {"u": role})
        engine.dispose()


@pytest.mark.mysql
def test_mariadb_roles_from_the_doc(mysql_roles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, subst, admin_url = mysql_roles
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    raw = admin.raw_connection()
    try:
        cur = raw.cursor()
        for tag in ("mariadb-scan", "mariadb-enforce"):
            for stmt in statements(tag, subst):
                cur.execute(stmt)  # verbatim: no parameter formatting of the doc's quotes
    finally:
        raw.close()
    admin.dispose()
    monkeypatch.setenv("PIS_TEST_PW", subst["REPLACE_WITH_SECRET"])
    scan_cfg = _config(tmp_path, f"mysql://{subst['pi_scanner_scan']}@127.0.0.1:3306/{db}", "scan", "PIS_TEST_PW")
    enf_cfg = _config(tmp_path, f"mysql://{subst['pi_scanner_enforce']}@127.0.0.1:3306/{db}", "enf", "PIS_TEST_PW")

    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["scan", "--config", str(scan_cfg), "--as-of", "2026-03-15", "-f", "json",
                                   "-o", str(out)])
    assert res.exit_code == 1, res.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {a["path"][-1]: a["child_status"] for a in report["assets"]}["students"] == "child"

    code, scan_doc = _doctor(scan_cfg)
    assert code == 0, scan_doc
    assert scan_doc["stores"][0]["can_read"] is True
    code, enf_scan = _doctor(enf_cfg)
    assert code == 1
    assert {(f"table {db}.students", "DELETE", "excess"), (f"table {db}.students", "UPDATE", "excess")} <= _privs(
        enf_scan)
    code, enf_ok = _doctor(enf_cfg, "--purpose", "enforce", "--allow-write", f"{db}.students")
    assert code == 0, enf_ok
    admin_cfg = tmp_path / "admin.yaml"
    admin_cfg.write_text(f"connectors:\n  db:\n    type: sql\n    url: {admin_url}\n", encoding="utf-8")
    code, admin_doc = _doctor(admin_cfg)
    assert code == 1
    assert ("global", "GRANT OPTION", "excess") in _privs(admin_doc)
    for doc in (scan_doc, enf_scan, enf_ok, admin_doc):
        text = json.dumps(doc)
        assert subst["REPLACE_WITH_SECRET"] not in text and "IDENTIFIED" not in text
