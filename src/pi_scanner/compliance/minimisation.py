"""Art. 11 (and Art. 8): PI found in an asset beyond what its declared purpose needs.

Each asset's confirmed entity types are mapped to their §A9 categories (the entity registry,
``classify/entities.py``) and compared with the categories (or entity types) its purposes declare. An
asset with children's PI and no purpose at all is ``unknown``: nothing was declared to compare with.
Undeclared types are listed with their category, columns and sensitivity; free-text spill (an ID number
in a ``notes`` column) shows up the same way, because the column's entity type is what counts, not its
name.
"""

from __future__ import annotations

from typing import Any

from pi_scanner.compliance.config import ComplianceConfig, allows, category_of, entity_sensitive
from pi_scanner.compliance.evidence import FAIL, PASS, UNKNOWN, CheckResult, pi_columns
from pi_scanner.models import AssetResult

ARTICLES = (11,)
OWNER_ARTICLES = (8,)


def check_minimisation(result: AssetResult, cfg: ComplianceConfig) -> CheckResult:
    """Compare the categories found in an asset with the categories its purposes allow."""
    display = result.asset.display
    purposes = cfg.purposes_for(display)
    found: dict[str, set[str]] = {}
    for col in pi_columns(result):
        for entity in col.entity_types:
            found.setdefault(entity, set()).add(col.name)
    categories = sorted({category_of(e) for e in found})
    evidence: dict[str, Any] = {"found_categories": categories, "purposes": [p.purpose for p in purposes]}
    if not purposes:
        evidence["reason"] = "no purpose declared for this asset"
        return CheckResult("minimisation", ARTICLES, UNKNOWN if found else PASS, evidence)
    allowed = {a for p in purposes for a in p.categories}
    undeclared = [
        {
            "entity_type": entity,
            "category": category_of(entity),
            "columns": sorted(cols),
            "sensitive": entity_sensitive(entity),
        }
        for entity, cols in sorted(found.items())
        if not allows(allowed, entity)
    ]
    evidence["allowed"] = sorted(allowed)
    evidence["undeclared"] = undeclared
    return CheckResult("minimisation", ARTICLES, FAIL if undeclared else PASS, evidence)


def check_owner(result: AssetResult, cfg: ComplianceConfig) -> CheckResult:
    """Art. 8: a child-tagged dataset names a responsible person and its dedicated rules."""
    ds = cfg.dataset_for(result.asset.display)
    missing = []
    if ds is None or not ds.owner:
        missing.append("owner")
    if ds is None or not ds.policy_url:
        missing.append("policy_url")
    if ds is None or not ds.policy_version:
        missing.append("policy_version")
    evidence: dict[str, Any] = {
        "owner": ds.owner if ds else None,
        "policy_url": ds.policy_url if ds else None,
        "policy_version": ds.policy_version if ds else None,
        "missing": missing,
    }
    return CheckResult("owner_policy", OWNER_ARTICLES, FAIL if missing else PASS, evidence)
