"""Orchestrates a scan: connectors → samples → classifier → catalog.

Only configuration errors abort a scan. A connector that cannot be reached, or an asset that cannot be
read or classified, becomes a structured :class:`~pi_scanner.models.AssetError` and the scan goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.classifier import Classifier
from pi_scanner.config import Settings
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError
from pi_scanner.models import AssetError, AssetResult, ScanRun
from pi_scanner.registry import build_connector

log = logging.getLogger(__name__)

#: Cap on recorded errors per connector, so one broken store cannot flood the catalog and the report.
MAX_ERRORS_PER_CONNECTOR = 200

#: Called after each asset: (connector name, asset display name, assets done in this connector).
ProgressCallback = Callable[[str, str, int], None]


@dataclass
class ScanOutcome:
    """What a scan produced beyond the :class:`ScanRun` itself.

    Attributes:
        run: The run with its results and errors.
        infos: Discovery facts per asset display name (sizes, posture, fingerprints).
        failed_connectors: Connectors that could not be scanned at all.
        bytes_read: Bytes read from all stores.
    """

    run: ScanRun
    infos: dict[str, AssetInfo] = field(default_factory=dict)
    failed_connectors: list[str] = field(default_factory=list)
    bytes_read: int = 0


def _error(asset: AssetInfo | None, stage: str, exc: BaseException) -> AssetError:
    # Messages come from our own exceptions or drivers; drivers can echo statements, never values we
    # bound, because every statement is built from identifiers only. Still keep it to one bounded line.
    message = " ".join(str(exc).split())[:500] or type(exc).__name__
    return AssetError(asset.ref if asset else None, stage, type(exc).__name__, message)


@contextmanager
def _open_connector(name: str, settings: Settings) -> Iterator[Connector]:
    connector = build_connector(name, settings.connectors[name])
    try:
        yield connector
    finally:
        connector.close()


def _scan_connector(
    connector: Connector,
    classifier: Classifier,
    sample_rows: int,
    outcome: ScanOutcome,
    record: Callable[[AssetResult, AssetInfo], None],
    record_error: Callable[[AssetError], None],
    progress: ProgressCallback | None,
) -> None:
    errors = 0
    done = 0
    try:
        assets = iter(connector.discover())
        while True:
            try:
                info = next(assets)
            except StopIteration:
                break
            outcome.infos[info.ref.display] = info
            try:
                sample = connector.sample(info, sample_rows)
                outcome.bytes_read += sample.bytes_read
                result = classifier.classify(sample)
                record(result, info)
            except (PiScannerError, OSError, ValueError, UnicodeError, LookupError) as exc:
                errors += 1
                if errors <= MAX_ERRORS_PER_CONNECTOR:
                    record_error(_error(info, "sample", exc))
                log.warning("asset failed", extra={"asset": info.ref.display, "error": type(exc).__name__})
            done += 1
            if progress:
                progress(connector.name, info.ref.display, done)
    except (PiScannerError, OSError) as exc:
        # The store itself is unreachable or listing failed: record it once and let other stores go on.
        outcome.failed_connectors.append(connector.name)
        record_error(AssetError(None, "discover", type(exc).__name__, " ".join(str(exc).split())[:500]))


def run_scan(
    settings: Settings,
    *,
    as_of: dt.date,
    catalog: Catalog,
    connector_names: Sequence[str] | None = None,
    show_examples: bool = False,
    trigger: str = "on-demand",
    progress: ProgressCallback | None = None,
) -> ScanOutcome:
    """Scan the configured stores and record everything in the catalog.

    Args:
        settings: Validated configuration.
        as_of: Reference date for ages.
        catalog: Where the run, results and errors are recorded.
        connector_names: Scan only these connectors (default all).
        show_examples: Keep masked examples in findings.
        trigger: Why the scan runs (``on-demand``, ``scheduled:<job>``), recorded with the run.
        progress: Called after every asset.

    Returns:
        The run and what discovery learned.

    Raises:
        ConfigError: A named connector does not exist.
    """
    names = list(connector_names) if connector_names else list(settings.connectors)
    unknown = [n for n in names if n not in settings.connectors]
    if unknown:
        raise ConfigError(f"unknown connector(s): {', '.join(unknown)}")
    run_id = catalog.start_run(as_of, names, trigger)
    run = ScanRun(run_id=run_id, as_of=as_of, started_at=dt.datetime.now(dt.UTC), connectors=names)
    outcome = ScanOutcome(run=run)
    classifier = Classifier(settings.classifier, as_of, show_examples=show_examples)

    def record(result: AssetResult, info: AssetInfo) -> None:
        run.results.append(result)
        catalog.record_result(run_id, result, info)

    def record_error(error: AssetError) -> None:
        run.errors.append(error)
        catalog.record_error(run_id, error)

    started = time.monotonic()
    for name in names:
        try:
            with _open_connector(name, settings) as connector:
                cfg = settings.connectors[name]
                sample_rows = int(getattr(cfg, "sample_rows", 10_000))
                _scan_connector(connector, classifier, sample_rows, outcome, record, record_error, progress)
        except (MissingDependencyError, PiScannerError, OSError) as exc:
            outcome.failed_connectors.append(name)
            record_error(AssetError(None, "connect", type(exc).__name__, f"{name}: {exc}"[:500]))
    run.finished_at = dt.datetime.now(dt.UTC)
    status = "failed" if len(outcome.failed_connectors) == len(names) and names else (
        "partial" if run.errors else "ok"
    )
    catalog.finish_run(run_id, status)
    log.info(
        "scan finished",
        extra={
            "run_id": run_id,
            "assets": len(run.results),
            "errors": len(run.errors),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return outcome
