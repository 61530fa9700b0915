"""What the daemon brings back or checks when it starts: estate gauges and the ledger's chain.

A restarted daemon (a Kubernetes rollout, a crash) would otherwise export empty estate gauges until the
next scheduled scan (a day on a daily schedule) and a ``pi_scanner_ledger_verify_ok`` of 0 that reads
as a failed verification when none has run. Both come from the catalog here: the latest finished run per
connector, and a verification of the hash chain at start and then on a timer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pi_scanner.config import Settings
from pi_scanner.errors import PiScannerError
from pi_scanner.keys import load_hmac_key
from pi_scanner.logging_setup import log_event
from pi_scanner.metrics import Metrics
from pi_scanner.retention.ledger import Ledger

logger = logging.getLogger("pi_scanner.daemon")

#: Runs looked at, newest first, to find the latest word on every connector.
_RUNS_LOOKED_AT = 50
_FINISHED = ("ok", "partial")


def restore_estate_gauges(catalog: Any, metrics: Metrics, connectors: Iterable[str]) -> dict[str, str]:
    """Set the estate gauges of each connector from the newest finished run that covered it.

    Args:
        catalog: The connected :class:`~pi_scanner.catalog.store.Catalog`.
        metrics: The registry to set.
        connectors: Configured connector names.

    Returns:
        The run each restored connector came from (connectors never scanned are absent).
    """
    missing = set(connectors)
    restored: dict[str, str] = {}
    for summary in catalog.list_runs(limit=_RUNS_LOOKED_AT):
        if not missing:
            break
        covered = missing & set(summary.connectors)
        if summary.status not in _FINISHED or not covered:
            continue
        run = catalog.load_run(summary.run_id)
        metrics.restore_estate(run, catalog.load_postures(summary.run_id), covered)
        for name in covered:
            restored[name] = summary.run_id
        missing -= covered
    log_event(logger, "estate.restored", connectors=len(restored), never_scanned=len(missing))
    return restored


def verify_ledger(settings: Settings, catalog: Any, metrics: Metrics) -> bool | None:
    """Verify the deletion ledger's hash chain and export the result.

    Returns:
        True or False for the verdict; None when the verification could not run (no key, catalog
        down): the gauges then keep saying what they said, never "verified".
    """
    try:
        key = load_hmac_key(settings.catalog)
        result = Ledger(catalog, key).verify()
    except (PiScannerError, SQLAlchemyError, OSError) as exc:
        log_event(logger, "ledger.verify_unavailable", level=logging.WARNING, exc=exc)
        return None
    metrics.set_ledger(result.entries, result.ok)
    log_event(
        logger, "ledger.verified", level=logging.INFO if result.ok else logging.ERROR,
        entries=result.entries, ok=result.ok, problems=len(result.problems),
    )
    return result.ok
