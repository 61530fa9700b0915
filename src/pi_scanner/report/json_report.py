"""The JSON report: a documented, versioned structure (``docs/report-schema.json``).

Every other report format (table, Markdown, HTML) renders this dictionary, so all formats say the same
thing. It holds names, counts, masks and article numbers only.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from typing import Any

from pi_scanner import __version__, coverage
from pi_scanner.classify.entities import finding_category, is_sensitive
from pi_scanner.compliance.bucket_posture import ENCRYPTION_CHECK, PUBLIC_CHECK, failed, posture_checks
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import SEVERITY, AssetError, AssetResult, ChildStatus, ScanRun, TableLink
from pi_scanner.report.age_outs import DEFAULT_WINDOW_DAYS, collection_entry
from pi_scanner.report.age_outs import summary_fields as age_summary

SCHEMA_VERSION = "1.5"

#: Statuses that make an asset hold children's PI.
CHILD_STATUSES = frozenset({ChildStatus.CHILD, ChildStatus.LIKELY_CHILD})


def _iso(ts: dt.datetime | None) -> str | None:
    return ts.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if ts else None


def _column(col: Any, show_examples: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": col.name,
        "entity_types": list(col.entity_types),
        "confidence": round(float(col.confidence), 4),
        "sampled": col.sampled,
        "matched": col.matched,
        "encrypted": col.encrypted,
        "suspected": col.suspected,
        "role": col.subject_role,
        "articles": sorted(set(col.articles)),
        # Findings read back from an older catalog carry no category: derive it from the types.
        "category": col.category or finding_category(col.entity_types),
        "sensitive": bool(col.sensitive) or is_sensitive(col.entity_types),
    }
    if show_examples:
        out["masked_examples"] = list(col.masked_examples)
    return out


def _link_end(path: tuple[str, ...], columns: tuple[str, ...]) -> dict[str, Any]:
    return {"schema": path[-2] if len(path) > 1 else None, "table": path[-1], "columns": list(columns)}


def link_entry(link: TableLink) -> dict[str, Any]:
    """One link of the data map (names, confidence and evidence only)."""
    return {
        "connector": link.connector,
        "from": _link_end(link.from_path, link.from_columns),
        "to": _link_end(link.to_path, link.to_columns),
        "confidence": round(float(link.confidence), 4),
        "declared": link.declared,
        "accepted": link.accepted,
        "evidence": list(link.evidence),
    }


def _error(err: AssetError) -> dict[str, Any]:
    return {"stage": err.stage, "type": err.error_type, "message": err.message}


def asset_entry(
    result: AssetResult,
    errors: list[AssetError],
    info: AssetInfo | None,
    show_examples: bool,
    age_out_days: int = DEFAULT_WINDOW_DAYS,
) -> dict[str, Any]:
    """One asset of the report (``age_out_days``: the window of upcoming age-outs)."""
    entry: dict[str, Any] = {
        "connector": result.asset.connector,
        "kind": result.asset.kind.value,
        "path": list(result.asset.path),
        "child_status": result.child_status.value,
        "rows_scanned": result.rows_scanned,
        "child_rows": result.ages.child,
        "likely_child_rows": result.ages.likely_child,
        "minor_14_17_rows": result.ages.minor_14_17,
        "adult_rows": result.ages.adult,
        "dob_conflicts": result.ages.conflicts,
        "notes": list(result.notes),
        "errors": [_error(e) for e in errors],
        "columns": [_column(c, show_examples) for c in result.columns],
    }
    if result.collection is not None:
        entry["collection"] = collection_entry(result.collection, age_out_days)
    if result.linked_via is not None:
        entry["linked_via"] = {"path": list(result.linked_via.path), "confidence": result.linked_via.confidence}
    covered = coverage.report_entry(result.coverage, result.notes)
    if covered is not None:
        entry["coverage"] = covered
    if info is not None:
        if info.row_count_estimate is not None:
            entry["row_count_estimate"] = info.row_count_estimate
        if info.size_bytes is not None:
            entry["size_bytes"] = info.size_bytes
        skipped = info.meta.get("skipped")
        if isinstance(skipped, str):
            entry["skipped"] = skipped  # an incremental scan reused the verdict of an earlier run
        relation = info.meta.get("relation")
        if isinstance(relation, str):
            entry["relation"] = relation
            if info.meta.get("base_tables"):
                entry["base_tables"] = [str(t) for t in info.meta["base_tables"]]
        posture = info.meta.get("posture")
        if isinstance(posture, dict):
            entry["posture"] = posture
            if result.child_status in CHILD_STATUSES or result.ages.child + result.ages.likely_child:
                entry["checks"] = [c.as_dict() for c in posture_checks(posture)]
    return entry


def _error_only_entry(err: AssetError) -> dict[str, Any]:
    assert err.asset is not None
    return {
        "connector": err.asset.connector,
        "kind": err.asset.kind.value,
        "path": list(err.asset.path),
        "child_status": ChildStatus.UNKNOWN.value,
        "rows_scanned": 0,
        "child_rows": 0,
        "likely_child_rows": 0,
        "minor_14_17_rows": 0,
        "adult_rows": 0,
        "dob_conflicts": 0,
        "notes": [],
        "errors": [_error(err)],
        "columns": [],
        # Nothing of it was read: the coverage says so, with the failure's class as the reason's detail.
        "coverage": {"rows_read": 0, "bytes_read": 0, "columns_read": 0, "cells_read": 0, "cells_partly_read": 0,
                     "limits": {}, "not_read": coverage.ERROR_REASON, "detail": f"{err.stage}: {err.error_type}"},
    }


def build_report(
    run: ScanRun,
    infos: dict[str, AssetInfo] | None = None,
    *,
    show_examples: bool = False,
    failed_connectors: list[str] | None = None,
    age_out_days: int = DEFAULT_WINDOW_DAYS,
    run_status: str | None = None,
) -> dict[str, Any]:
    """Build the report dictionary for one run.

    Args:
        run: The finished run.
        infos: Discovery facts keyed by asset display name.
        show_examples: Include masked examples.
        failed_connectors: Connectors that could not be scanned at all.
        age_out_days: Window of upcoming age-outs (records leaving the children's tier) after ``as_of``.
        run_status: The run's status in the catalog (``ok``, ``partial``, ``failed``, ``running``), for a
            report rendered from it: a run that did not finish is said to be incomplete.
    """
    infos = infos or {}
    by_asset: dict[str, list[AssetError]] = {}
    store_errors: list[dict[str, Any]] = []
    for err in run.errors:
        if err.asset is None:
            store_errors.append(_error(err))
        else:
            by_asset.setdefault(err.asset.display, []).append(err)
    assets = []
    seen = set()
    ordered = sorted(run.results, key=lambda r: (-SEVERITY[r.child_status], -r.ages.child, r.asset.display))
    for result in ordered:
        key = result.asset.display
        seen.add(key)
        assets.append(asset_entry(result, by_asset.get(key, []), infos.get(key), show_examples, age_out_days))
    for key, errs in sorted(by_asset.items()):
        if key not in seen:
            entry = _error_only_entry(errs[0])
            entry["errors"] = [_error(e) for e in errs]
            assets.append(entry)
    child_assets = [a for a in assets if a["child_status"] in {s.value for s in CHILD_STATUSES}]
    summary = {
        "assets_scanned": len(run.results),
        "assets_with_errors": len(by_asset),
        "assets_with_children_pi": len(child_assets),
        "child_rows": sum(a["child_rows"] for a in assets),
        "likely_child_rows": sum(a["likely_child_rows"] for a in assets),
        "minor_14_17_rows": sum(a["minor_14_17_rows"] for a in assets),
        "unencrypted_children_columns": sum(
            1
            for a in child_assets
            for c in a["columns"]
            if not c["encrypted"] and not c["suspected"] and c["entity_types"]
        ),
        "public_children_assets": sum(failed(a.get("checks", []), PUBLIC_CHECK) for a in assets),
        "unencrypted_children_assets": sum(failed(a.get("checks", []), ENCRYPTION_CHECK) for a in assets),
        **age_summary(assets),
        "failed_connectors": sorted(failed_connectors or []),
        "store_errors": store_errors,
    }
    if run_status is not None:
        summary["run_status"] = run_status
    return {
        "schema_version": SCHEMA_VERSION,
        "scanner_version": __version__,
        "run_id": run.run_id,
        "as_of": run.as_of.isoformat(),
        "timezone": "Asia/Shanghai",
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "connectors": list(run.connectors),
        "summary": summary,
        "coverage": coverage.summary(assets),
        "assets": assets,
        "links": [link_entry(link) for link in run.links],
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report (shipped in the package, mirrored at ``docs/report-schema.json``)."""
    text = files("pi_scanner.report").joinpath("report-schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def dumps(report: dict[str, Any]) -> str:
    """Serialise a report as pretty, UTF-8-preserving JSON."""
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def attach_over_retained(report: dict[str, Any], findings: list[dict[str, Any]], errors: list[str]) -> None:
    """Add retention findings to a report: ``over_retained`` per asset and a top-level ``retention`` summary.

    Args:
        report: A report from :func:`build_report`, changed in place.
        findings: One dict per policy and asset with at least ``policy``, ``connector``, ``path``,
            ``expired`` and ``children`` (counts and names only).
        errors: Policy-level errors (no values).
    """
    by_asset = {(a["connector"], tuple(a["path"])): a for a in report["assets"]}
    for finding in findings:
        asset = by_asset.get((finding["connector"], tuple(finding["path"])))
        if asset is not None:
            entry = {k: v for k, v in finding.items() if k not in ("connector", "path", "asset")}
            asset.setdefault("over_retained", []).append(entry)
    report["retention"] = {
        "policies": sorted({f["policy"] for f in findings}),
        "over_retained_records": sum(f.get("expired") or 0 for f in findings),
        "children_over_retained_records": sum(f.get("children") or 0 for f in findings),
        "errors": list(errors),
    }

