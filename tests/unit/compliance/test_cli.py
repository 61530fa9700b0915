"""compliance check / incident impact / report annual against a real SQLite catalog."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli.compliance import annual_command, compliance_app, incident_app
from tests.unit.compliance.fixtures import COMPLIANCE, estate

runner = CliRunner()
root = typer.Typer()
root.add_typer(compliance_app, name="compliance")
root.add_typer(incident_app, name="incident")


def _setup(tmp_path: Path) -> Path:
    cat_url = f"sqlite:///{tmp_path / 'cat.db'}"
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump({
        "connectors": {"sis": {"type": "sql", "url": "sqlite:///x.db"}, "vendor": {"type": "s3"}},
        "catalog": {"url": cat_url},
        "compliance": json.loads(json.dumps(COMPLIANCE, default=str)),
    }), encoding="utf-8")
    run, _ = estate()
    with Catalog(cat_url) as cat:
        cat.migrate()
        rid = cat.start_run(run.as_of, run.connectors, "test")
        for r in run.results:
            cat.record_result(rid, r)
        cat.finish_run(rid, "ok")
    return cfg


def test_check_json_markdown_csv(tmp_path: Path) -> None:
    cfg = _setup(tmp_path)
    res = runner.invoke(root, ["compliance", "check", "--config", str(cfg), "--as-of", "2026-03-15", "--no-live"])
    assert res.exit_code == 1, res.output  # findings fail the check
    report = json.loads(res.stdout)
    assert report["compliance"]["children_records"] == 20
    base = ["compliance", "check", "-c", str(cfg), "--as-of", "2026-03-15", "--no-live"]
    md = runner.invoke(root, [*base, "-f", "markdown"])
    assert "## Undeclared PI (Art. 11)" in md.stdout
    out = tmp_path / "c.csv"
    runner.invoke(root, ["compliance", "check", "-c", str(cfg), "--as-of", "2026-03-15", "--no-live", "-f", "csv",
                                   "-o", str(out)])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {"asset", "check", "status"} <= set(rows[0])
    assert any(r["check"] == "third_party" and r["status"] == "fail" for r in rows)


def test_no_run_before_as_of_is_usage_error(tmp_path: Path) -> None:
    cfg = _setup(tmp_path)
    res = runner.invoke(root, ["compliance", "check", "-c", str(cfg), "--as-of", "2020-01-01", "--no-live"])
    assert res.exit_code == 2


def test_incident_impact_counts(tmp_path: Path) -> None:
    cfg = _setup(tmp_path)
    res = runner.invoke(root, ["incident", "impact", "--asset", "sis:public/stu*", "--asset", "nope:*",
                                       "-c", str(cfg), "--as-of", "2026-03-15"])
    assert res.exit_code == 0, res.output
    impact = json.loads(res.stdout)
    assert impact["children"] == 8 and impact["minors_14_17"] == 2
    # jhr_dh (8) and parent_phone2 (5) are one guardian channel: the larger column counts.
    assert impact["guardians_reachable"] == {"phone": 8, "email": 6, "post": 0}
    assert impact["identifier_types"] == {"CN_MOBILE": 1, "CN_RESIDENT_ID": 1, "EMAIL_ADDRESS": 1}
    assert impact["unmatched_globs"] == ["nope:*"]


def test_annual_pack_is_reproducible(tmp_path: Path) -> None:
    cfg = _setup(tmp_path)
    app = typer.Typer()
    app.command()(annual_command)
    args = ["--year", "2026", "-c", str(cfg), "--as-of", "2026-12-31"]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    pack = json.loads(first.stdout)
    assert pack["inventory"]["under_14_records"] == 20
    assert pack["inventory"]["minor_14_17_records"] == 2
    assert pack["runs_in_year"] == 1 and len(pack["history"]) == 1
    html = runner.invoke(app, [*args, "-f", "html"])
    assert "Annual audit pack 2026" in html.stdout
