"""Art. 16, 17: children's PI held by entrusted processors and recipients.

A connector marked in ``compliance.third_parties`` is a store someone else holds. Every asset of it with
children's PI is listed; after the processing term (``term_end`` before ``as_of``) any children's PI
left there fails: the processor should have deleted it (Art. 16) and the rescan proves it did not.
A marked store with no agreement reference fails too: entrustment needs a written agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pi_scanner.compliance.config import ComplianceConfig
from pi_scanner.compliance.evidence import FAIL, PASS, CheckResult, children_records, holds_children
from pi_scanner.models import AssetResult

ARTICLES = (16, 17)


def check_third_party(result: AssetResult, cfg: ComplianceConfig, as_of: dt.date) -> CheckResult | None:
    """The check for one asset of a third-party connector (None for our own stores)."""
    tp = cfg.third_parties.get(result.asset.connector)
    if tp is None:
        return None
    expired = tp.term_end is not None and tp.term_end < as_of
    problems = []
    if expired and holds_children(result):
        problems.append("children_pi_after_term_end")
    if not tp.agreement_ref:
        problems.append("no_agreement_ref")
    evidence: dict[str, Any] = {
        "name": tp.name,
        "role": tp.role,
        "agreement_ref": tp.agreement_ref,
        "assessment_id": tp.assessment_id,
        "term_end": tp.term_end.isoformat() if tp.term_end else None,
        "term_expired": expired,
        "children_records": children_records(result),
        "problems": problems,
    }
    return CheckResult("third_party", ARTICLES, FAIL if problems else PASS, evidence)


def third_party_register(
    results: Iterable[AssetResult], cfg: ComplianceConfig, as_of: dt.date
) -> list[dict[str, Any]]:
    """One row per marked connector: who holds it, under what agreement, children's PI still there."""
    rows: dict[str, dict[str, Any]] = {}
    for name, tp in sorted(cfg.third_parties.items()):
        rows[name] = {
            "connector": name,
            "name": tp.name,
            "role": tp.role,
            "agreement_ref": tp.agreement_ref,
            "assessment_id": tp.assessment_id,
            "term_end": tp.term_end.isoformat() if tp.term_end else None,
            "term_expired": tp.term_end is not None and tp.term_end < as_of,
            "assets_with_children_pi": 0,
            "children_records": 0,
        }
    for r in results:
        row = rows.get(r.asset.connector)
        if row is not None and holds_children(r):
            row["assets_with_children_pi"] += 1
            row["children_records"] += children_records(r)
    for row in rows.values():
        row["status"] = FAIL if (row["term_expired"] and row["children_records"]) or not row["agreement_ref"] else PASS
    return list(rows.values())
