"""All compliance checks for one scan run: per-asset ``checks`` entries and a ``compliance`` summary.

Inputs are the run (from the catalog or a scan just finished), the discovery facts when a scan just ran
(bucket posture is not kept in the catalog), and live evidence from each SQL connector (encryption and
grants are asked of the database at check time, as the scanning role). A store that cannot be asked
leaves its checks ``unknown``; only configuration errors abort.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pi_scanner.compliance.access import DbAccessEvidence, access_matrix, check_access, probe_sql_access
from pi_scanner.compliance.config import ComplianceConfig, category_of, compliance_settings
from pi_scanner.compliance.consent import ConsentResult, check_consent
from pi_scanner.compliance.encryption import (
    DbEncryptionEvidence,
    check_encryption,
    probe_sql_encryption,
    unencrypted_children_pi,
)
from pi_scanner.compliance.evidence import (
    FAIL,
    PASS,
    UNKNOWN,
    CheckResult,
    children_records,
    holds_children,
    pi_columns,
)
from pi_scanner.compliance.minimisation import check_minimisation, check_owner
from pi_scanner.compliance.third_parties import check_third_party, third_party_register
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors.base import AssetInfo, Capability
from pi_scanner.errors import CapabilityError, ConfigError, PiScannerError
from pi_scanner.keys import load_hmac_key
from pi_scanner.models import AssetKind, AssetResult, ScanRun

log = logging.getLogger(__name__)


@dataclass
class ComplianceOutcome:
    """The checks of one run.

    Attributes:
        run_id: The run checked.
        as_of: Reference date of the checks.
        per_asset: Asset display name → its checks.
        summary: The top-level ``compliance`` object of the report.
        encryption: Live encryption evidence per SQL connector.
        access: Live access evidence per SQL connector.
        consent: Consent results per child table.
    """

    run_id: str
    as_of: dt.date
    per_asset: dict[str, list[CheckResult]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    encryption: dict[str, DbEncryptionEvidence] = field(default_factory=dict)
    access: dict[str, DbAccessEvidence] = field(default_factory=dict)
    consent: list[ConsentResult] = field(default_factory=list)


def _engine_for(name: str, cfg: SqlConnectorConfig) -> sa.Engine:
    from pi_scanner.connectors.sql import SqlConnector

    return SqlConnector(name, cfg).engine


def _no_live_evidence(name: str, settings: Settings) -> dict[str, str]:
    """The store error of a connector holding children's tables that live checks cannot examine."""
    conn_cfg = settings.connectors.get(name)
    if conn_cfg is None:
        return {"connector": name, "type": "ConfigError", "message": f"connector {name!r} is no longer configured"}
    exc = CapabilityError(name, conn_cfg.type, Capability.PRIVILEGES.value, Capability.PRIVILEGES.action)
    return {"connector": name, "type": type(exc).__name__,
            "message": f"{exc}; encryption and access of its tables are unknown"}


def _top(rows: list[dict[str, Any]], n: int) -> dict[str, Any]:
    return {"total": len(rows), "shown": min(n, len(rows)), "items": rows[:n]}


def run_checks(
    run: ScanRun,
    settings: Settings,
    *,
    infos: Mapping[str, AssetInfo] | None = None,
    as_of: dt.date | None = None,
    live: bool = True,
    engines: Mapping[str, sa.Engine] | None = None,
) -> ComplianceOutcome:
    """Run every compliance check over a run's results.

    Args:
        run: The scan run.
        settings: The configuration (its ``compliance`` section, connectors and catalog HMAC key).
        infos: Discovery facts per asset display name, when the scan just ran.
        as_of: Reference date for terms and consent ages (default the run's).
        live: Ask SQL connectors for encryption and grant evidence.
        engines: Engines to use per connector (default: one built from the connector's config).

    Raises:
        ConfigError: The compliance section is invalid, or a consent source names missing tables.
    """
    cfg: ComplianceConfig = compliance_settings(settings)
    as_of = as_of or run.as_of
    infos = infos or {}
    out = ComplianceOutcome(run.run_id, as_of)
    child_results = [r for r in run.results if holds_children(r)]
    tables: dict[str, list[tuple[str, str]]] = {}
    for r in child_results:
        if r.asset.kind == AssetKind.TABLE and len(r.asset.path) >= 2:
            tables.setdefault(r.asset.connector, []).append((r.asset.path[-2], r.asset.path[-1]))
    own_engines: dict[str, sa.Engine] = {}
    store_errors: list[dict[str, str]] = []

    def engine(name: str) -> sa.Engine | None:
        if engines and name in engines:
            return engines[name]
        conn_cfg = settings.connectors.get(name)
        if not isinstance(conn_cfg, SqlConnectorConfig):
            return None
        if name not in own_engines:
            own_engines[name] = _engine_for(name, conn_cfg)
        return own_engines[name]

    try:
        if live:
            for name, wanted in sorted(tables.items()):
                try:
                    eng = engine(name)
                except PiScannerError as exc:
                    store_errors.append({"connector": name, "type": type(exc).__name__, "message": str(exc)})
                    continue
                if eng is None:
                    # Live evidence is read from a database's own catalog: say whose could not be, not nothing.
                    store_errors.append(_no_live_evidence(name, settings))
                    continue
                out.encryption[name] = probe_sql_encryption(eng, name)
                out.access[name] = probe_sql_access(eng, name, wanted)
        for src in cfg.consent:
            eng = engine(src.connector)
            if eng is None:
                raise ConfigError(f"compliance.consent: connector {src.connector!r} is not a sql connector")
            try:
                secret = load_hmac_key(settings.catalog)
                out.consent.append(check_consent(src, eng, as_of, secret, classifier=settings.classifier))
            except sa.exc.SQLAlchemyError as exc:
                store_errors.append(
                    {"connector": src.connector, "type": type(getattr(exc, "orig", None) or exc).__name__,
                     "message": "consent tables could not be read"}
                )
    finally:
        for eng in own_engines.values():
            eng.dispose()

    consent_by_asset: dict[str, ConsentResult] = {}
    for res in out.consent:
        connector, _, path = res.child_table.partition(":")
        table = path.rsplit("/", 1)[-1]
        for r in child_results:
            if r.asset.connector == connector and (r.asset.display == res.child_table or r.asset.path[-1] == table):
                consent_by_asset[r.asset.display] = res

    for r in run.results:
        checks: list[CheckResult] = []
        tp = check_third_party(r, cfg, as_of)
        if tp is not None:
            checks.append(tp)
        if holds_children(r):
            info = infos.get(r.asset.display)
            enc, _ = check_encryption(r, info, out.encryption.get(r.asset.connector))
            checks.append(enc)
            checks.extend(check_access(r, info, out.access.get(r.asset.connector)))
            checks.append(check_minimisation(r, cfg))
            checks.append(check_owner(r, cfg))
            consent = consent_by_asset.get(r.asset.display)
            checks.append(
                consent.check() if consent is not None
                else CheckResult("consent", (9, 10, 14), UNKNOWN, {"reason": "no consent source configured"})
            )
        if checks:
            out.per_asset[r.asset.display] = checks
    out.summary = _summary(run, cfg, out, infos, child_results, as_of, store_errors)
    return out


def _summary(
    run: ScanRun,
    cfg: ComplianceConfig,
    out: ComplianceOutcome,
    infos: Mapping[str, AssetInfo],
    child_results: list[AssetResult],
    as_of: dt.date,
    store_errors: list[dict[str, str]],
) -> dict[str, Any]:
    n = cfg.top_n
    by_check: dict[str, Counter[str]] = {}
    for checks in out.per_asset.values():
        for c in checks:
            by_check.setdefault(c.check, Counter())[c.status] += 1
    plain = [e.as_dict() for e in unencrypted_children_pi(child_results, infos, out.encryption)]
    exposed: list[dict[str, Any]] = []
    for display, checks in out.per_asset.items():
        for c in checks:
            if c.check == "access" and c.status == FAIL:
                exposed.append({"asset": display, "flags": c.evidence.get("flags") or ["public"]})
    undeclared: list[dict[str, Any]] = []
    for display, checks in out.per_asset.items():
        for c in checks:
            if c.check == "minimisation" and c.status == FAIL:
                undeclared.extend({"asset": display, **u} for u in c.evidence["undeclared"])
    by_store: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for r in child_results:
        by_store[r.asset.connector] += children_records(r)
        for cat in {category_of(e) for c in pi_columns(r) for e in c.entity_types}:
            by_category[cat] += children_records(r)
    children = sum(children_records(r) for r in run.results)
    consent_children = sum(c.children for c in out.consent)
    consent_valid = sum(c.outcomes["valid"] for c in out.consent)
    statuses = [c.status for checks in out.per_asset.values() for c in checks]
    overall = FAIL if FAIL in statuses else (UNKNOWN if UNKNOWN in statuses else PASS)
    return {
        "as_of": as_of.isoformat(),
        "run_id": run.run_id,
        "status": overall,
        "children_records": children,
        "minor_14_17_records": sum(r.ages.minor_14_17 for r in run.results),
        "assets_with_children_pi": len(child_results),
        "checks": {k: {s: v.get(s, 0) for s in (PASS, FAIL, UNKNOWN)} for k, v in sorted(by_check.items())},
        "children_by_store": dict(by_store.most_common()),
        "children_by_category": dict(by_category.most_common()),
        "unencrypted_children_pi": _top(plain, n),
        "public_exposure": _top(exposed, n),
        "undeclared_pi": _top(undeclared, n),
        "consent": {
            "children": consent_children,
            "valid": consent_valid,
            "coverage": round(consent_valid / consent_children, 4) if consent_children else None,
            "tables": [c.as_dict() | {"withdrawn_subjects": c.withdrawn_subjects[:n], "gap_subjects": c.gaps[:n]}
                       for c in out.consent],
        },
        "third_parties": third_party_register(run.results, cfg, as_of),
        "access_matrix": _top(access_matrix(out.access), n),
        "databases": {
            name: {
                "encryption": ev.as_dict(),
                "audit_logging": out.access[name].audit_logging if name in out.access else None,
                "superusers": out.access[name].superusers[:n] if name in out.access else [],
            }
            for name, ev in sorted(out.encryption.items())
        },
        "store_errors": store_errors,
    }


def attach_to_report(report: dict[str, Any], outcome: ComplianceOutcome) -> dict[str, Any]:
    """Add each asset's ``checks`` and the top-level ``compliance`` object to a JSON report (in place)."""
    for entry in report.get("assets", []):
        display = f"{entry['connector']}:{'/'.join(entry['path'])}"
        checks = outcome.per_asset.get(display)
        if checks:
            # Keep checks the report already holds (bucket posture) unless re-checked here.
            names = {c.check for c in checks}
            kept = [c for c in entry.get("checks", []) if c.get("check") not in names]
            entry["checks"] = kept + [c.as_dict() for c in checks]
    report["compliance"] = outcome.summary
    return report
