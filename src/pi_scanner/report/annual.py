"""The annual audit pack (MOR art. 37): the year's inventory, consent, retention, access and incidents.

Reproducible: for a given catalog, configuration and ``as_of``, the pack is built from the newest run of
the year on or before ``as_of`` and the runs of that year before it (for the trend); nothing is read
from the stores unless ``live`` is asked for (consent joins and grants are then as of now, and the
pack says so). Under-14 and 14–17 counts are kept apart, as the filing requires.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from pi_scanner.catalog.store import Catalog
from pi_scanner.compliance.checks import run_checks
from pi_scanner.config import Settings
from pi_scanner.errors import PiScannerError, UsageError
from pi_scanner.keys import load_hmac_key


def _ledger_summary(settings: Settings, catalog: Catalog, year: int) -> dict[str, Any]:
    """The retention ledger's figures for the year, when the retention feature is installed."""
    try:
        ledger = importlib.import_module("pi_scanner.retention.ledger")
    except ImportError:
        return {"available": False, "reason": "retention ledger not installed"}
    summarise = getattr(ledger, "summarise_year", None)
    if summarise is None:
        return {"available": False, "reason": "retention ledger has no yearly summary"}
    try:
        key: bytes | None = load_hmac_key(settings.catalog, create=False)
    except PiScannerError:
        key = None  # summarised anyway; the chain is then reported as not verified
    try:
        result: dict[str, Any] = summarise(catalog, year, key)
    except Exception as exc:  # a broken ledger must not hide the rest of the pack
        return {"available": False, "reason": f"{type(exc).__name__}"}
    return {"available": True, **result}


def _over_retention(catalog: Catalog, history: list[dict[str, Any]]) -> None:
    """Add each run's over-retained figures to its history point, when retention is installed."""
    try:
        history_mod = importlib.import_module("pi_scanner.retention.history")
    except ImportError:
        return
    history_mod.add_over_retention(catalog, history)


def build_annual_pack(
    catalog: Catalog,
    settings: Settings,
    year: int,
    as_of: dt.date | None = None,
    *,
    live: bool = False,
    incidents: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Build the pack for ``year``.

    Args:
        catalog: The catalog.
        settings: The configuration (compliance section, connectors).
        year: Calendar year covered.
        as_of: Use runs on or before this date (default 31 December of ``year``).
        live: Also ask SQL stores for consent and grants (not reproducible: says so in the pack).
        incidents: The year's incident register entries (counts and references only).

    Raises:
        UsageError: No finished run in the year.
    """
    end = dt.date(year, 12, 31)
    as_of = min(as_of or end, end)
    runs = [
        r for r in catalog.list_runs(limit=100_000)
        if r.as_of.year == year and r.as_of <= as_of and r.status in ("ok", "partial")
    ]
    if not runs:
        raise UsageError(f"the catalog holds no finished scan run in {year} on or before {as_of.isoformat()}")
    runs.sort(key=lambda r: (r.as_of, r.started_at))
    history = []
    for summary in runs:
        past = catalog.load_run(summary.run_id)
        history.append({
            "as_of": summary.as_of.isoformat(),
            "run_id": summary.run_id,
            "children_records": sum(r.ages.child + r.ages.likely_child for r in past.results),
            "minor_14_17_records": sum(r.ages.minor_14_17 for r in past.results),
        })
    _over_retention(catalog, history)
    last = catalog.load_run(runs[-1].run_id)
    outcome = run_checks(last, settings, as_of=as_of, live=live)
    s = outcome.summary
    return {
        "kind": "annual_audit_pack",
        "year": year,
        "as_of": as_of.isoformat(),
        "timezone": "Asia/Shanghai",
        "run_id": last.run_id,
        "runs_in_year": len(runs),
        "live_evidence": live,
        "inventory": {
            "under_14_records": s["children_records"],
            "minor_14_17_records": s["minor_14_17_records"],
            "assets_with_children_pi": s["assets_with_children_pi"],
            "by_store": s["children_by_store"],
            "by_category": s["children_by_category"],
        },
        "consent": s["consent"],
        "retention_ledger": _ledger_summary(settings, catalog, year),
        "access_review": {"matrix": s["access_matrix"], "public_exposure": s["public_exposure"],
                          "databases": s["databases"]},
        "incidents": {"count": len(incidents or []), "entries": list(incidents or [])},
        "history": history,
        "compliance": s,
    }
