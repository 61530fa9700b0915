"""Work units: the independent, idempotent pieces a scan is split into.

A unit is (connector, asset, partition) plus what to do with it:

* ``sample`` — read a bounded sample of one asset and classify it (one unit per table, object or file;
  buckets are already split by key-pattern group and prefix at discovery, so every object the
  connector picked is its own unit);
* ``census`` — count ages over every row of one primary-key range of a table whose age-bearing
  columns the sample found (:mod:`pi_scanner.census`). The last range is open-ended, so rows inserted
  while the scan runs are still covered.

Units run in any process (:mod:`pi_scanner.executors`): :func:`run_unit` is a module-level function
that receives only picklable values, and builds (and caches per process) its connector and classifier
from the :class:`~pi_scanner.config.Settings`. Secrets travel as :class:`pydantic.SecretStr` inside the
settings (masked in every repr a scheduler could log); ``*_file`` secrets were read where the settings
were validated. A unit never writes the catalog: it returns a :class:`UnitResult` (masks and counts
only) to the coordinator, which writes an asset's result whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import signal
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import sqlalchemy as sa

from pi_scanner.as_of import SHANGHAI
from pi_scanner.cell_windows import window_long_cells
from pi_scanner.census import CENSUS_ENTITIES, CensusResult, KeyRange, census_pass
from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.collection_time import COLLECTED_AT
from pi_scanner.config import Settings
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.connectors.formats.base import FormatError
from pi_scanner.connectors.sql import sql_capable
from pi_scanner.coverage import apply_coverage, coverage_of, not_read_result
from pi_scanner.datamap import custom_fields
from pi_scanner.datamap.context import context_of
from pi_scanner.errors import (
    ConfigError,
    ConnectionLostError,
    NotReadError,
    PiScannerError,
    StoreUnavailableError,
    TransientError,
)
from pi_scanner.models import AssetError, AssetKind, AssetRef, AssetResult, ErrorStage
from pi_scanner.registry import build_connector
from pi_scanner.retention.policy import LAST_MODIFIED, RetentionPolicy, parse_policies

log = logging.getLogger(__name__)

#: Test hook: ``<marker file>:<unit id substring>`` makes the first worker that runs a matching unit
#: kill itself with SIGKILL after creating the marker file, so a retry elsewhere succeeds; with no
#: marker (``:<substring>``) every attempt dies.
DIE_HOOK_ENV = "PI_SCANNER_TEST_DIE_IN_UNIT"
#: Retries of a unit whose store connection was lost or refused (back-off doubling from
#: ``executor.backoff_s``: 0.5 s gives about 30 s for a server to restart), when ``executor.retries`` is lower.
RECONNECT_RETRIES = 6
#: Worker-side caches kept for this many scans at once (a long-lived Dask worker serves several).
_CACHED_SCANS = 2

Phase = Literal["sample", "census"]


@dataclass(frozen=True)
class Partition:
    """Which part of an asset a unit covers.

    Attributes:
        index: Position of this part (0-based).
        count: Number of parts of the asset.
        key_range: The primary-key range (census units of partitioned tables); None for the whole asset.
    """

    index: int = 0
    count: int = 1
    key_range: KeyRange | None = None


@dataclass(frozen=True)
class WorkContext:
    """What every unit of one scan shares; sent to workers once.

    Attributes:
        token: Identifies the scan (worker caches are keyed by it).
        settings: The validated configuration (secrets as SecretStr).
        as_of: Reference date.
        show_examples: Keep masked examples in findings.
    """

    token: str
    settings: Settings
    as_of: dt.date
    show_examples: bool = False


@dataclass(frozen=True)
class WorkUnit:
    """One independent piece of work.

    Attributes:
        phase: ``sample`` or ``census``.
        connector: Connector name.
        asset: The asset as discovered.
        partition: Which part of the asset.
        sample_rows: Rows sampled (``sample`` units).
        columns: ``(column, entity)`` pairs of the subject's age-bearing columns (``census`` units).
        attempt: How many times this unit already ran and was lost (a worker died).
    """

    phase: Phase
    connector: str
    asset: AssetInfo
    partition: Partition = field(default_factory=Partition)
    sample_rows: int = 10_000
    columns: tuple[tuple[str, str], ...] = ()
    attempt: int = 0

    @property
    def unit_id(self) -> str:
        """A stable id: the same unit always gets the same id (idempotent reruns)."""
        return f"{self.phase}:{self.asset.ref.display}#{self.partition.index}/{self.partition.count}"


@dataclass(frozen=True)
class UnitResult:
    """What a unit sends back. Holds no raw value.

    Attributes:
        unit: The unit.
        result: The classifier's verdict (``sample`` units).
        census: Age counts of the unit's key range (``census`` units).
        error: The failure, when the unit failed.
        bytes_read: Bytes read from the store.
        seconds: Wall time spent in the unit.
        retries: Transient-error retries the unit needed.
    """

    unit: WorkUnit
    result: AssetResult | None = None
    census: CensusResult | None = None
    error: AssetError | None = None
    bytes_read: int = 0
    seconds: float = 0.0
    retries: int = 0


def unit_error(unit: WorkUnit, exc: BaseException, stage: ErrorStage | None = None) -> AssetError:
    """A one-line, value-free error for a unit (messages come from our exceptions and drivers)."""
    message = " ".join(str(exc).split())[:500] or type(exc).__name__
    return AssetError(unit.asset.ref, stage or unit.phase, type(exc).__name__, message)


# -- worker side -----------------------------------------------------------------------------------


class _ScanState:
    def __init__(self, ctx: WorkContext) -> None:
        self.classifier = Classifier(ctx.settings.classifier, ctx.as_of, show_examples=ctx.show_examples)
        self.anchor = retention_anchors(ctx.settings)
        self.anchor_zone = retention_anchor_zones(ctx.settings)
        self.classifier.collection_anchor = self.anchor
        self.classifier.collection_anchor_zone = self.anchor_zone
        self.connectors: dict[str, Connector] = {}

    def connector(self, ctx: WorkContext, name: str) -> Connector:
        conn = self.connectors.get(name)
        if conn is None:
            conn = build_connector(name, ctx.settings.connectors[name])
            self.connectors[name] = conn
        return conn

    def close(self) -> None:
        for conn in self.connectors.values():
            try:
                conn.close()
            except Exception:
                log.debug("closing connector failed", exc_info=True)
        self.connectors.clear()


_STATES: OrderedDict[str, _ScanState] = OrderedDict()


def _state(ctx: WorkContext) -> _ScanState:
    state = _STATES.get(ctx.token)
    if state is None:
        state = _ScanState(ctx)
        _STATES[ctx.token] = state
        while len(_STATES) > _CACHED_SCANS:
            _STATES.popitem(last=False)[1].close()
    _STATES.move_to_end(ctx.token)
    return state


def release(token: str) -> None:
    """Close this process's cached connectors of one scan (the in-process executor calls it)."""
    state = _STATES.pop(token, None)
    if state is not None:
        state.close()


def _maybe_die(unit: WorkUnit) -> None:
    hook = os.environ.get(DIE_HOOK_ENV)
    if not hook:
        return
    marker, _, needle = hook.rpartition(":")
    if needle and needle in unit.unit_id:
        if not marker:
            _kill_self()  # no marker: die every time (the retry budget runs out)
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return  # died once already: let the retry through
        os.close(fd)
        _kill_self()


def _kill_self() -> None:
    # SIGKILL, as the OOM killer or an operator would: no cleanup, no exception, no goodbye to the pool.
    os.kill(os.getpid(), signal.SIGKILL)


def run_unit(unit: WorkUnit, ctx: WorkContext) -> UnitResult:
    """Run one unit in this process and return its result; never raises for store or data errors.

    Transient store errors (timeouts, overload, dropped connections) are retried here with
    exponential back-off (``executor.retries``, ``executor.backoff_s``); other errors come back as a
    :class:`UnitResult` with ``error`` set.
    """
    started = time.monotonic()
    policy = ctx.settings.executor
    retries = 0
    while True:
        try:
            _maybe_die(unit)
            state = _state(ctx)
            connector = state.connector(ctx, unit.connector)
            if unit.phase == "sample":
                sample = connector.sample(unit.asset, unit.sample_rows)
                # Long values read in windows (head, strided middle, tail), not cut at the classifier's cap.
                sample = window_long_cells(sample, ctx.settings.classifier.max_cell_chars)
                result = state.classifier.classify(sample, context_of(unit.asset))
                if custom_fields.layout_of(unit.asset) is not None and (sql := sql_capable(connector)) is not None:
                    # Custom fields: one finding per defined field instead of one mixed value column.
                    result = custom_fields.apply(sql, state.classifier, unit.asset, sample, result)
                result = apply_coverage(result, coverage_of(sample, unit.asset))
                return UnitResult(unit, result=result, bytes_read=sample.bytes_read,
                                  seconds=time.monotonic() - started, retries=retries)
            counted = census_pass(
                unit.asset, dict(unit.columns), ctx.as_of,
                connector=connector, child_mode=ctx.settings.classifier.child_mode,
                key_range=unit.partition.key_range, collected_zone=_collected_zone(state, unit),
            )
            return UnitResult(unit, census=counted, seconds=time.monotonic() - started, retries=retries)
        except TransientError as exc:
            # A lost or refused connection is a store restarting more often than not: wait longer for it.
            reconnect = isinstance(exc, ConnectionLostError | StoreUnavailableError)
            if retries >= (max(policy.retries, RECONNECT_RETRIES) if reconnect else policy.retries):
                return UnitResult(unit, error=unit_error(unit, exc), seconds=time.monotonic() - started,
                                  retries=retries)
            delay = policy.backoff_s * (2**retries)
            retries += 1
            log.info("transient error, backing off", extra={"unit": unit.unit_id, "seconds": delay})
            time.sleep(delay)
        except (NotReadError, FormatError) as exc:
            if unit.phase != "sample":
                return UnitResult(unit, error=unit_error(unit, exc), seconds=time.monotonic() - started,
                                  retries=retries)
            # Deliberately not read (a FIFO, a link, a format with no reader, a limit that refused it):
            # listed with why, as coverage, not as a failure.
            reason = exc.reason if isinstance(exc, NotReadError) else (exc.limit or "format")
            detail = " ".join((exc.detail if isinstance(exc, NotReadError) else str(exc)).split())[:300]
            return UnitResult(unit, result=not_read_result(unit.asset.ref, reason, detail),
                              seconds=time.monotonic() - started, retries=retries)
        except (PiScannerError, OSError, ValueError, UnicodeError, LookupError, NotImplementedError) as exc:
            return UnitResult(unit, error=unit_error(unit, exc), seconds=time.monotonic() - started,
                              retries=retries)
        except Exception as exc:
            # A bug, or a driver error nobody mapped: it ends this unit, never the scan. Its message may
            # quote a value, so only the class goes on (``--debug`` logs the traceback).
            log.debug("unexpected error in unit", extra={"unit": unit.unit_id}, exc_info=True)
            error = AssetError(unit.asset.ref, unit.phase, type(exc).__name__,
                               f"unexpected {type(exc).__name__} while reading {unit.asset.ref.display}")
            return UnitResult(unit, error=error, seconds=time.monotonic() - started, retries=retries)


# -- coordinator side: planning ----------------------------------------------------------------------


def census_columns(result: AssetResult) -> tuple[tuple[str, str], ...]:
    """The subject's age-bearing columns of a classified asset (guardian columns excluded)."""
    out = []
    for f in result.columns:
        if f.suspected or f.encrypted or f.subject_role == "guardian" or not f.entity_types:
            continue
        if f.entity_types[0] in CENSUS_ENTITIES:
            out.append((f.name, f.entity_types[0]))
    return tuple(out)


def with_collection_column(result: AssetResult, columns: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The census columns plus the collection-date column the sample chose, so the census counts it too."""
    collection = result.collection
    if not columns or collection is None or collection.column is None:
        return columns
    if any(name == collection.column for name, _ in columns):
        return columns
    return (*columns, (collection.column, COLLECTED_AT))


def _anchor_policies(settings: Settings) -> Callable[[AssetRef], RetentionPolicy | None]:
    """The first retention policy that selects a table by name and counts from a column of it."""
    try:
        policies = [p for p in parse_policies(settings.retention) if p.anchor != LAST_MODIFIED]
    except ConfigError:
        policies = []  # the retention commands report a bad policy; a scan does not fail for it

    def policy_of(ref: AssetRef) -> RetentionPolicy | None:
        if ref.kind is not AssetKind.TABLE or not ref.path:
            return None
        schema = ref.path[-2] if len(ref.path) > 1 else ""
        for policy in policies:
            if policy.selector.matches_table(ref.connector, schema, ref.path[-1]):
                return policy
        return None

    return policy_of


def retention_anchors(settings: Settings) -> Callable[[AssetRef], str | None]:
    """The anchor column a retention policy names for a table (the first policy that selects it by name).

    Collection-time age falls back to it when a table has no created/enrolment column: a policy that
    counts retention from ``enrolled_at`` says that is when the record was collected.
    """
    policy_of = _anchor_policies(settings)

    def anchor(ref: AssetRef) -> str | None:
        policy = policy_of(ref)
        return policy.anchor if policy is not None else None

    return anchor


def retention_anchor_zones(settings: Settings) -> Callable[[AssetRef], dt.tzinfo | None]:
    """The zone naive timestamps of that anchor column are in (``anchor_timezone``; None for Shanghai).

    Collection-time age reads the anchor column's naive timestamps in it, as retention does, so a record
    collected at 23:30 UTC on the eve of a 14th birthday is not counted as collected while a child.
    """
    policy_of = _anchor_policies(settings)

    def zone(ref: AssetRef) -> dt.tzinfo | None:
        policy = policy_of(ref)
        if policy is None or policy.anchor_timezone == SHANGHAI.key:
            return None
        return policy.tz()

    return zone


def _collected_zone(state: _ScanState, unit: WorkUnit) -> dt.tzinfo | None:
    """The anchor's zone when the census unit's collection-date column is the policy's anchor column."""
    collected = [c for c, e in unit.columns if e == COLLECTED_AT]
    if not collected or collected[0] != state.anchor(unit.asset.ref):
        return None
    return state.anchor_zone(unit.asset.ref)


def plan_census(
    connector: Connector,
    asset: AssetInfo,
    columns: tuple[tuple[str, str], ...],
    partition_rows: int,
) -> list[WorkUnit]:
    """Split the census of one table into primary-key ranges of about ``partition_rows`` rows.

    A table with a single integer primary key is split over ``[min, max]``; the first range is open
    below and the last open above, so rows inserted during the scan are still counted. Tables without
    such a key, and non-SQL assets, get one unit for the whole asset.
    """
    whole = [WorkUnit("census", connector.name, asset, Partition(), columns=columns)]
    pk = asset.meta.get("primary_key") or []
    sql = sql_capable(connector)
    if sql is None or asset.ref.kind is not AssetKind.TABLE or len(pk) != 1:
        return whole
    estimate = asset.row_count_estimate or 0
    if estimate <= partition_rows:
        return whole
    key = str(pk[0])
    try:
        with sql._session() as conn:  # the connector's own limits and read-only session
            table = sql._reflect(conn, asset.ref)
            col = table.c[key]
            if col.type.python_type is not int:
                return whole
            lo, hi = conn.execute(sa.select(sa.func.min(col), sa.func.max(col))).one()
    except (PiScannerError, sa.exc.SQLAlchemyError, NotImplementedError, KeyError):
        return whole  # the census unit itself will report what is wrong
    if lo is None or hi is None:
        return whole
    parts = max(1, math.ceil(estimate / partition_rows))
    step = max(1, math.ceil((int(hi) - int(lo) + 1) / parts))
    bounds = [int(lo) + i * step for i in range(1, parts) if int(lo) + i * step <= int(hi)]
    edges: list[int | None] = [None, *bounds, None]
    count = len(edges) - 1
    return [
        WorkUnit("census", connector.name, asset, Partition(i, count, KeyRange(key, edges[i], edges[i + 1])),
                 columns=columns)
        for i in range(count)
    ]

