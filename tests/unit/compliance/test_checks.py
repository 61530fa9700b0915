"""run_checks over a small estate: every check's verdict, the summary and the report attachment."""

from __future__ import annotations

import jsonschema
import pytest

from pi_scanner.compliance.checks import ComplianceOutcome, attach_to_report, run_checks
from pi_scanner.compliance.config import category_of, parse_compliance
from pi_scanner.compliance.evidence import CheckResult
from pi_scanner.config import Settings, parse_settings
from pi_scanner.errors import ConfigError
from pi_scanner.report.json_report import build_report, report_schema
from tests.unit.compliance.fixtures import COMPLIANCE, estate


def _settings(compliance: dict[str, object] | None = None) -> Settings:
    return parse_settings({
        "connectors": {
            "sis": {"type": "sql", "url": "sqlite:///nowhere.db"},
            "vendor": {"type": "s3", "buckets": ["bucket"]},
        },
        "compliance": COMPLIANCE if compliance is None else compliance,
    })


def _by_check(outcome: ComplianceOutcome, display: str) -> dict[str, CheckResult]:
    return {c.check: c for c in outcome.per_asset[display]}


def test_checks_per_asset_and_summary() -> None:
    run, infos = estate()
    out = run_checks(run, _settings(), infos=infos, live=False)
    students = _by_check(out, "sis:public/students")
    assert students["minimisation"].status == "fail"
    undeclared = students["minimisation"].evidence["undeclared"]
    assert {u["entity_type"] for u in undeclared} == {"CN_MOBILE", "EMAIL_ADDRESS"}
    assert students["owner_policy"].status == "pass"
    assert students["access"].status == "unknown"  # no live evidence: never "pass"
    assert students["consent"].status == "unknown"
    assert "sis:public/staff" not in out.per_asset  # adults only: no children's checks

    export = _by_check(out, "vendor:bucket/exports/kids.csv")
    assert export["third_party"].status == "fail"
    assert "children_pi_after_term_end" in export["third_party"].evidence["problems"]
    assert export["access"].status == "fail"  # public bucket
    assert export["audit_logging"].status == "fail"
    assert export["encryption"].status == "unknown"  # posture does not say
    assert export["owner_policy"].status == "fail"

    s = out.summary
    assert s["status"] == "fail"
    assert s["children_records"] == 20
    assert s["children_by_store"] == {"vendor": 12, "sis": 8}
    assert s["public_exposure"]["total"] == 1
    assert s["unencrypted_children_pi"]["items"][0]["asset"] == "vendor:bucket/exports/kids.csv"
    assert s["third_parties"][0]["status"] == "fail"


def test_attached_report_still_validates() -> None:
    run, infos = estate()
    out = run_checks(run, _settings(), infos=infos, live=False)
    report = attach_to_report(build_report(run, infos), out)
    jsonschema.validate(report, report_schema())
    assert any("checks" in a for a in report["assets"])
    assert report["compliance"]["run_id"] == "r1"


def test_purpose_by_entity_type_and_no_purpose_unknown() -> None:
    run, _ = estate()
    cfg = dict(COMPLIANCE)
    cfg["purposes"] = [{"assets": "sis:public/*", "categories": ["identity_document", "contact"]}]
    out = run_checks(run, _settings(cfg), live=False)
    assert _by_check(out, "sis:public/students")["minimisation"].status == "pass"
    assert _by_check(out, "vendor:bucket/exports/kids.csv")["minimisation"].status == "unknown"


def test_bad_compliance_section_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"compliance\.third_parties\.vendor\.role"):
        parse_compliance({"third_parties": {"vendor": {"role": "friend", "name": "x"}}})
    with pytest.raises(ConfigError, match=r"compliance\.colour: Extra"):
        parse_compliance({"purposes": [], "colour": "red"})
    with pytest.raises(ConfigError, match="unknown connector 'ghost'"):
        parse_compliance({"third_parties": {"ghost": {"role": "recipient", "name": "x"}}}, _settings())


def test_purposes_compare_by_registry_category() -> None:
    run, _ = estate()
    found = {e for r in run.results if r.asset.display == "sis:public/students" for c in r.columns
             for e in c.entity_types}
    cats = sorted({category_of(e) for e in found})
    cfg = dict(COMPLIANCE)
    cfg["purposes"] = [{"assets": "sis:public/*", "categories": cats}]
    res = _by_check(run_checks(run, _settings(cfg), live=False), "sis:public/students")["minimisation"]
    assert res.status == "pass"
    # one category short: its entity types are listed with their category and sensitivity
    cfg["purposes"] = [{"assets": "sis:public/*", "categories": [c for c in cats if c != "identity_document"]}]
    res = _by_check(run_checks(run, _settings(cfg), live=False), "sis:public/students")["minimisation"]
    assert res.status == "fail"
    assert {u["category"] for u in res.evidence["undeclared"]} == {"identity_document"}
    assert all(u["sensitive"] for u in res.evidence["undeclared"])


def test_live_checks_say_which_store_they_could_not_examine() -> None:
    # "sis" is a plugin here: its children's tables cannot be examined live, and the summary says so.
    settings = parse_settings({
        "connectors": {"sis": {"type": "example", "path": "tables.json"}, "vendor": {"type": "s3"}},
        "compliance": COMPLIANCE,
    })
    run, infos = estate()
    out = run_checks(run, settings, infos=infos, live=True)
    assert out.summary["store_errors"] == [{
        "connector": "sis", "type": "CapabilityError",
        "message": "connector 'sis' (type example): cannot list its privileges; encryption and access of its "
                   "tables are unknown",
    }]
    assert "sis" not in out.encryption and "sis" not in out.access
