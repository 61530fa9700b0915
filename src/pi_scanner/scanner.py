"""Orchestrates a scan: discovery → work units on an executor → results → catalog.

The coordinator (this module, in the calling process) discovers every store's assets, turns them into
work units (:mod:`pi_scanner.work`), runs them on the configured executor (:mod:`pi_scanner.executors`:
in-process, a local process pool or Dask) and is the only writer of the catalog. An asset's result is
written whole once every unit of it has come back, or not at all.

Only configuration errors abort a scan. A connector that cannot be reached, or an asset that cannot be
read or classified, becomes a structured :class:`~pi_scanner.models.AssetError` and the scan goes on.

Incremental scans (``scan.incremental``, ``--incremental``) reuse the last verdict of an asset whose
discovery fingerprint equals the one the catalog recorded, and say so on the asset
(``skipped: "unchanged since run <id>"``); ``--full`` (or ``scan.full_rescan_days``) reads everything.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from pi_scanner import datamap
from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.collection_time import merge as merge_collection
from pi_scanner.config import Settings
from pi_scanner.connectors.base import AssetInfo, Capability, Connector
from pi_scanner.connectors.sql import sql_capable
from pi_scanner.coverage import faulty, run_summary
from pi_scanner.datamap import custom_fields, file_links
from pi_scanner.datamap.lookups import role_lookups
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError
from pi_scanner.executors import Executor, make_executor
from pi_scanner.models import AgeCounts, AssetError, AssetKind, AssetResult, ChildStatus, ScanRun, TableLink
from pi_scanner.registry import build_connector
from pi_scanner.work import UnitResult, WorkContext, WorkUnit, census_columns, plan_census, with_collection_column

log = logging.getLogger(__name__)

#: Cap on recorded errors per connector, so one broken store cannot flood the catalog and the report.
MAX_ERRORS_PER_CONNECTOR = 200
#: Suffix of the trigger of a run that reused verdicts (a full rescan is a run without it).
INCREMENTAL_TAG = ";incremental"
#: Runs looked back through for the verdict an unchanged asset reuses.
_LOOKBACK_RUNS = 50

#: Called after each asset: (connector name, asset display name, assets done in this connector).
ProgressCallback = Callable[[str, str, int], None]


@dataclass
class ScanOutcome:
    """What a scan produced beyond the :class:`ScanRun` itself.

    Attributes:
        run: The run with its results and errors.
        infos: Discovery facts per asset display name (sizes, posture, fingerprints; ``meta["skipped"]``
            on assets whose verdict was reused).
        failed_connectors: Connectors that could not be scanned at all.
        bytes_read: Bytes read from all stores.
        skipped: Asset display name to why it was not read again.
        executor: The executor that ran the units (``local``, ``process``, ``dask``; ``local+process``
            when the automatic choice ran the phases apart).
        units: Work units run.
    """

    run: ScanRun
    infos: dict[str, AssetInfo] = field(default_factory=dict)
    failed_connectors: list[str] = field(default_factory=list)
    bytes_read: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    executor: str = "local"
    units: int = 0


class _Coordinator:
    """Per-scan state: the one writer of the catalog.

    Results are held until every table of the scan is classified and censused, because the data map
    relates them (a table's verdict may come from the tables it points at); :meth:`flush` then writes
    each asset's result whole.
    """

    def __init__(self, catalog: Catalog, run: ScanRun, outcome: ScanOutcome, progress: ProgressCallback | None):
        self.catalog = catalog
        self.run = run
        self.outcome = outcome
        self.progress = progress
        self.errors: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.held: dict[str, tuple[AssetResult, AssetInfo]] = {}

    def record(self, result: AssetResult, info: AssetInfo) -> None:
        self.held[info.ref.display] = (result, info)
        self._progress(info)

    def _map_failed(self, name: str, exc: Exception, what: str) -> None:
        """Record a store's map that could not be built; the classified tables are still written.

        Whatever failed (a store error, a file cut short, a bug), it ends that map, never the scan that
        classified every table before it. The class goes on, not the message (it may quote a value).
        """
        if not isinstance(exc, PiScannerError | sa.exc.SQLAlchemyError | LookupError | ValueError | OSError):
            log.debug("unexpected error building a map", extra={"connector": name}, exc_info=True)
        self.record_error(AssetError(None, "map", type(exc).__name__, f"{name}: {what} not built"), name)

    def relate(self, connectors: dict[str, Connector], maps: dict[str, datamap.StoreMap], as_of: dt.date) -> None:
        """Build each SQL store's data map over the held results (links, propagation)."""
        for name, smap in maps.items():
            by_path = {
                info.ref.path: (key, result)
                for key, (result, info) in self.held.items()
                if info.ref.connector == name and info.ref.kind is AssetKind.TABLE
            }
            try:
                mapped = datamap.relate(connectors.get(name), smap, {p: r for p, (_, r) in by_path.items()}, as_of)
            except Exception as exc:  # whatever failed ends this map only (see _map_failed)
                self._map_failed(name, exc, "data map")
                continue
            self._apply(name, mapped.links, mapped.results, mapped.problems, by_path)
        for name, conn in connectors.items():
            if name in maps:
                continue
            # Files of one folder or bucket prefix (CSV/JSONL exports keyed by a student id).
            files = {info.ref.path: (key, result, info) for key, (result, info) in self.held.items()
                     if info.ref.connector == name and file_links.tabular(info)}
            if len(files) < 2:
                continue
            try:
                found = file_links.relate_files(conn, {p: (r, i) for p, (_, r, i) in files.items()}, as_of)
            except Exception as exc:  # whatever failed ends this map only (see _map_failed)
                self._map_failed(name, exc, "file map")
                continue
            self._apply(name, found.links, found.results, found.problems,
                        {p: (key, r) for p, (key, r, _) in files.items()})

    def _apply(self, name: str, links: list[TableLink], results: dict[tuple[str, ...], AssetResult],
               problems: list[str], by_path: dict[tuple[str, ...], tuple[str, AssetResult]]) -> None:
        self.run.links.extend(links)
        for path, result in results.items():
            key = by_path[path][0]
            self.held[key] = (result, self.held[key][1])
        for problem in problems:
            self.record_error(AssetError(None, "map", "MapProblem", f"{name}: {problem}"[:500]), name)

    def flush(self) -> None:
        """Write every held result and the run's links to the catalog."""
        if self.run.links:
            self.catalog.record_links(self.run.run_id, self.run.links)
        for result, info in self.held.values():
            self.run.results.append(result)
            self.catalog.record_result(self.run.run_id, result, info)
        self.held.clear()

    def record_error(self, error: AssetError, connector: str, info: AssetInfo | None = None) -> None:
        self.errors[connector] = self.errors.get(connector, 0) + 1
        if self.errors[connector] <= MAX_ERRORS_PER_CONNECTOR:
            self.run.errors.append(error)
            self.catalog.record_error(self.run.run_id, error)
        if info is not None:
            log.warning("asset failed", extra={"asset": info.ref.display, "error": error.error_type})
            self._progress(info)

    def _progress(self, info: AssetInfo) -> None:
        name = info.ref.connector
        self.done[name] = self.done.get(name, 0) + 1
        if self.progress:
            self.progress(name, info.ref.display, self.done[name])


def _previous_verdicts(catalog: Catalog, current: str, wanted: set[str]) -> dict[str, tuple[str, AssetResult]]:
    """The most recent recorded verdict of each wanted asset, with its run id."""
    found: dict[str, tuple[str, AssetResult]] = {}
    for summary in catalog.list_runs(_LOOKBACK_RUNS):
        if summary.run_id == current or summary.assets == 0:
            continue
        for result in catalog.load_run(summary.run_id).results:
            key = result.asset.display
            if key in wanted and key not in found:
                found[key] = (summary.run_id, result)
        if len(found) == len(wanted):
            break
    return found


def _full_rescan_due(catalog: Catalog, settings: Settings, as_of: dt.date) -> bool:
    days = settings.scan.full_rescan_days
    if not days:
        return False
    for summary in catalog.list_runs(_LOOKBACK_RUNS):
        if summary.status in ("ok", "partial") and not summary.trigger.endswith(INCREMENTAL_TAG):
            return (dt.datetime.now(dt.UTC) - summary.started_at).days >= days
    return True


def _merge_census(result: AssetResult, parts: list[UnitResult]) -> AssetResult:
    """The sample's verdict with ages counted over every row (sums of the key ranges)."""
    total = [0, 0, 0, 0, 0, 0]
    rows = 0
    for part in parts:
        assert part.census is not None
        a = part.census.ages
        for i, v in enumerate((a.child, a.likely_child, a.minor_14_17, a.adult, a.unknown, a.conflicts)):
            total[i] += v
        rows += part.census.rows
    ages = AgeCounts(*total)
    collection = result.collection
    counted = [p.census.collection for p in parts if p.census is not None and p.census.collection is not None]
    if counted:
        # Every row counted: the sample's column choice, the census's counts (exact).
        source = collection.source if collection is not None else "none"
        column = collection.column if collection is not None else None
        merged = merge_collection(counted, source=source, column=column, exact=True)
        collection = merged if merged.records else None
    status = result.child_status
    if ages.child and status is not ChildStatus.CHILD:
        status = ChildStatus.CHILD  # one child's record anywhere makes the asset a child asset
    notes = tuple(dict.fromkeys((*result.notes, "census")))
    coverage = result.coverage and dataclasses.replace(result.coverage, rows_read=rows, rows_total=rows)
    return dataclasses.replace(result, ages=ages, rows_scanned=rows, child_status=status, notes=notes,
                               coverage=coverage, collection=collection)


def run_scan(
    settings: Settings,
    *,
    as_of: dt.date,
    catalog: Catalog,
    connector_names: Sequence[str] | None = None,
    show_examples: bool = False,
    trigger: str = "on-demand",
    progress: ProgressCallback | None = None,
    executor: str | None = None,
    dask_address: str | None = None,
    incremental: bool | None = None,
    census: bool | None = None,
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
        executor: ``auto``, ``local``, ``process`` or ``dask`` (default ``executor.type``).
        dask_address: Dask scheduler address (default ``executor.address``).
        incremental: Reuse verdicts of unchanged assets (default ``scan.incremental``); False is ``--full``.
        census: Count ages over every row of age-bearing tables (default ``scan.census``).

    Returns:
        The run and what discovery learned.

    Raises:
        ConfigError: A named connector does not exist, or the executor is misconfigured.
        ExecutorUnavailableError: The Dask scheduler does not answer (nothing was recorded).
    """
    names = list(connector_names) if connector_names else list(settings.connectors)
    unknown = [n for n in names if n not in settings.connectors]
    if unknown:
        raise ConfigError(f"unknown connector(s): {', '.join(unknown)}")
    use_incremental = settings.scan.incremental if incremental is None else incremental
    use_census = settings.scan.census if census is None else census
    if use_incremental and _full_rescan_due(catalog, settings, as_of):
        use_incremental = False
    started = time.monotonic()
    connectors: dict[str, Connector] = {}
    infos: dict[str, list[AssetInfo]] = {}
    maps: dict[str, datamap.StoreMap] = {}
    connect_errors: list[tuple[str, AssetError]] = []
    # Discovery and the executor come before the run exists: an unreachable Dask scheduler records nothing.
    for name in names:
        try:
            connectors[name] = build_connector(name, settings.connectors[name])
        except (MissingDependencyError, PiScannerError, OSError) as exc:
            connect_errors.append((name, AssetError(None, "connect", type(exc).__name__, f"{name}: {exc}"[:500])))
            continue
        try:
            infos[name] = list(connectors[name].discover())
            conn = connectors[name]
            if conn.supports(Capability.DATA_MAP):
                # Relations between tables from metadata (links, whose rows, custom fields) before any table
                # is classified: any connector that lists keys in its assets' meta can declare data_map.
                infos[name], maps[name] = datamap.discover_map(name, infos[name])
                sql = sql_capable(conn)
                if sql is not None:
                    # Role codes are read through their lookup tables, and that takes SQL.
                    infos[name] = datamap.resolve_roles(sql, maps[name], infos[name])
                elif role_lookups(list(maps[name].tables.values()), maps[name].links):
                    # A plugin that maps links but runs no SQL: say so rather than count rows without roles.
                    maps[name].problems.append(
                        f"role codes not resolved through their lookup tables: {conn.lacks(Capability.SQL)}")
        except (PiScannerError, OSError) as exc:
            # The store itself is unreachable or listing failed: record it once and let other stores go on.
            connect_errors.append(
                (name, AssetError(None, "discover", type(exc).__name__, " ".join(str(exc).split())[:500]))
            )
    ctx = WorkContext(uuid.uuid4().hex, settings, as_of, show_examples)
    pool: Executor | None = None
    try:
        pool = make_executor(
            settings.executor, kind=executor, address=dask_address, units=sum(len(v) for v in infos.values())
        )
        pool.prepare(ctx)  # workers that cannot run the units fail the scan before it is recorded
    except BaseException:
        if pool is not None:
            pool.close(ctx)
        for conn in connectors.values():
            conn.close()
        raise
    run_trigger = trigger + (INCREMENTAL_TAG if use_incremental else "")
    run_id = catalog.start_run(as_of, names, run_trigger[:64])
    run = ScanRun(run_id=run_id, as_of=as_of, started_at=dt.datetime.now(dt.UTC), connectors=names)
    outcome = ScanOutcome(run=run, executor=pool.name)
    coord = _Coordinator(catalog, run, outcome, progress)
    try:
        for name, error in connect_errors:
            outcome.failed_connectors.append(name)
            coord.record_error(error, name)
        units = _sample_units(settings, infos, catalog, coord, use_incremental)
        limits = {n: lim for n in names if (lim := settings.connectors[n].in_flight_limit) is not None}
        pending: dict[str, tuple[AssetResult, AssetInfo]] = {}
        census_units: list[WorkUnit] = []
        for res in pool.run(units, ctx, limits):
            outcome.units += 1
            outcome.bytes_read += res.bytes_read
            info = res.unit.asset
            outcome.infos[info.ref.display] = info
            if res.error is not None or res.result is None:
                coord.record_error(res.error or AssetError(info.ref, "sample", "Error", "no result"),
                                   res.unit.connector, info)
                continue
            cols = census_columns(res.result) if use_census and info.ref.kind is AssetKind.TABLE else ()
            cols = custom_fields.census_columns(info, cols)  # virtual custom-field columns mapped back or dropped
            cols = with_collection_column(res.result, cols)
            if cols and not connectors[res.unit.connector].supports(Capability.CENSUS):
                # The sample's verdict stands; the census that was asked for is reported as not possible.
                coord.record(res.result, info)
                coord.record_error(_census_impossible(connectors[res.unit.connector], info),
                                   res.unit.connector)
            elif cols:
                pending[info.ref.display] = (res.result, info)
                census_units.extend(plan_census(connectors[res.unit.connector], info, cols,
                                                settings.scan.partition_rows))
            else:
                coord.record(res.result, info)
        if census_units:
            _run_census(pool, ctx, limits, census_units, pending, coord)
        coord.relate(connectors, maps, as_of)
        coord.flush()
    except BaseException:
        pool.abort()  # stop the workers now rather than wait for units nobody will read
        # Whatever stopped the scan (a bug, Ctrl-C, the catalog going away), the run is not left
        # `running`: what was recorded stays, and the run says it did not finish.
        if coord.held:
            with contextlib.suppress(Exception):
                coord.flush()  # what was classified is still written (without the map)
        _finish_failed(catalog, run)
        raise
    finally:
        pool.close(ctx)
        outcome.executor = pool.name  # the automatic choice is known only now
        for conn in connectors.values():
            conn.close()
    run.finished_at = dt.datetime.now(dt.UTC)
    # A file the scanning user may not read or a damaged stream is no error record, but the run is not whole.
    status = "failed" if len(outcome.failed_connectors) == len(names) and names else (
        "partial" if run.errors or any(faulty(r.coverage) for r in run.results) else "ok"
    )
    catalog.finish_run(run_id, status, run_summary(run.results, run.errors))
    log.info(
        "scan finished",
        extra={
            "run_id": run_id,
            "assets": len(run.results),
            "errors": len(run.errors),
            "skipped": len(outcome.skipped),
            "units": outcome.units,
            "executor": outcome.executor,
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return outcome


def _census_impossible(connector: Connector, info: AssetInfo) -> AssetError:
    """The recorded error of an asset whose connector cannot do what the scan asked of it."""
    exc = connector.lacks(Capability.CENSUS)
    return AssetError(info.ref, "census", type(exc).__name__, f"{info.ref.display}: {exc}")


def _finish_failed(catalog: Catalog, run: ScanRun) -> None:
    """Mark an interrupted run ``failed`` (best effort: the catalog itself may be what failed)."""
    run.finished_at = dt.datetime.now(dt.UTC)
    try:
        catalog.finish_run(run.run_id, "failed")
    except Exception:
        log.warning("could not mark the interrupted run failed", extra={"run_id": run.run_id}, exc_info=True)


def _sample_units(
    settings: Settings,
    infos: dict[str, list[AssetInfo]],
    catalog: Catalog,
    coord: _Coordinator,
    incremental: bool,
) -> list[WorkUnit]:
    """One sample unit per asset; unchanged assets (incremental) reuse their last verdict instead."""
    outcome = coord.outcome
    unchanged: dict[str, AssetInfo] = {}
    if incremental:
        for found in infos.values():
            for info in found:
                if info.fingerprint and catalog.asset_fingerprint(info.ref) == info.fingerprint:
                    unchanged[info.ref.display] = info
    previous = _previous_verdicts(catalog, outcome.run.run_id, set(unchanged)) if unchanged else {}
    units: list[WorkUnit] = []
    for name, found in infos.items():
        sample_rows = int(getattr(settings.connectors[name], "sample_rows", 10_000))
        for info in found:
            key = info.ref.display
            # A file the earlier read could not read whole (permission, damage) is read again, never reused:
            # its old "unknown" would stand for data nobody has read, run after run.
            if key in previous and not faulty(previous[key][1].coverage):
                prev_run, result = previous[key]
                # The verdict is reused; nothing was read in this run, so it carries no coverage counts of
                # its own (the notes still name the limits the earlier read hit).
                result = dataclasses.replace(result, coverage=None)
                reason = f"unchanged since run {prev_run}"
                marked = dataclasses.replace(info, meta={**info.meta, "skipped": reason})
                outcome.infos[key] = marked
                outcome.skipped[key] = reason
                coord.record(result, marked)
                continue
            outcome.infos[key] = info
            units.append(WorkUnit("sample", name, info, sample_rows=sample_rows))
    return units


def _run_census(
    pool: Executor,
    ctx: WorkContext,
    limits: dict[str, int],
    units: list[WorkUnit],
    pending: dict[str, tuple[AssetResult, AssetInfo]],
    coord: _Coordinator,
) -> None:
    """Run the census units and write each asset once all of its key ranges came back."""
    expected: dict[str, int] = {}
    for unit in units:
        expected[unit.asset.ref.display] = unit.partition.count
    parts: dict[str, list[UnitResult]] = {}
    failed: dict[str, AssetError] = {}
    for res in pool.run(units, ctx, limits):
        coord.outcome.units += 1
        key = res.unit.asset.ref.display
        if res.error is not None:
            failed.setdefault(key, res.error)
        else:
            parts.setdefault(key, []).append(res)
        if len(parts.get(key, [])) + (1 if key in failed else 0) < expected[key] and key not in failed:
            continue
        if key not in pending:
            continue  # already written (a failure came first)
        result, info = pending.pop(key)
        if key in failed:
            # Written whole or not at all: the sample's verdict stands, the census is reported failed.
            coord.record(result, info)
            coord.record_error(failed[key], res.unit.connector)
        else:
            coord.record(_merge_census(result, parts[key]), info)
