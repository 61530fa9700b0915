"""Every Prometheus metric pi-scanner exports, on its own registry.

Rules kept here so the exposition stays safe and cheap:

* Names start with ``pi_scanner_`` and carry their unit (``_seconds``, ``_bytes``, ``_total``).
* Label values are configuration names (job, connector, policy), a fixed entity category, an outcome or
  a stage: never a value read from a store, never a row key. Per-asset series exist only when the
  operator turns them on, and are capped per connector.
* Gauges describing "the estate as last scanned" are replaced per connector by :meth:`Metrics.observe_scan`,
  so assets that disappeared stop being reported.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from pi_scanner import __version__
from pi_scanner.as_of import today_shanghai
from pi_scanner.classify.entities import CATEGORIES, category_of, finding_category
from pi_scanner.coverage import label as coverage_label
from pi_scanner.models import ERROR_STAGES, AssetResult, ChildStatus, CollectionAges, ScanRun

__all__ = [
    "CONTENT_TYPE_LATEST",
    "ENTITY_CATEGORIES",
    "METRICS",
    "Metrics",
    "entity_category",
    "observe_scan",
]

#: Bounded set of entity categories used as a label: the §A9 categories of the entity registry.
ENTITY_CATEGORIES: tuple[str, ...] = CATEGORIES

_PUBLIC_NOTES = frozenset({"public", "public_exposure", "publicly_readable"})

_CHILD_STATUSES = frozenset({ChildStatus.CHILD, ChildStatus.LIKELY_CHILD})

# Buckets sized for scans: seconds for a small database, hours for an estate.
_DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, float("inf"))


def entity_category(entity_type: str) -> str:
    """The §A9 category of an entity type (one of :data:`ENTITY_CATEGORIES`), from the entity registry."""
    return category_of(entity_type)


def _is_child_asset(result: AssetResult) -> bool:
    return result.child_status in _CHILD_STATUSES or "child_purposed" in result.notes


def _meta(info: Any) -> Mapping[str, Any]:
    meta = getattr(info, "meta", None)
    return meta if isinstance(meta, Mapping) else {}


def _pi_categories(result: AssetResult) -> set[str]:
    return {c.category or finding_category(c.entity_types) for c in result.columns if c.entity_types}


#: The stages an asset error is recorded at (``AssetError.stage``): a bounded label set.
ASSET_ERROR_STAGES = ERROR_STAGES


class Metrics:
    """All metrics of one process, on one :class:`CollectorRegistry`.

    Tests create their own instance; the daemon uses :data:`METRICS`.

    Args:
        registry: Registry to register on (a new one by default).
        per_asset: Export ``pi_scanner_asset_children_records`` (one series per asset).
        per_asset_limit: Assets exported per connector at most when ``per_asset`` is on.
    """

    def __init__(
        self, registry: CollectorRegistry | None = None, *, per_asset: bool = False, per_asset_limit: int = 200
    ) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.per_asset = per_asset
        self.per_asset_limit = per_asset_limit
        self._lock = threading.Lock()
        #: Window of ``pi_scanner_upcoming_age_out_records`` (``classifier.age_out_window_days``).
        self.age_out_days = 30
        #: Today's date for that window (Asia/Shanghai); tests pin it.
        self.today: Callable[[], dt.date] = today_shanghai
        self._estate_labels: dict[str, dict[str, set[tuple[str, ...]]]] = defaultdict(lambda: defaultdict(set))
        r = self.registry

        self.build_info = Gauge(
            "pi_scanner_build_info", "Always 1; labels name the running build.", ["version", "python"], registry=r
        )
        self.build_info.labels(__version__, platform.python_version()).set(1)
        self.up_since = Gauge(
            "pi_scanner_start_time_seconds", "Unix time the process started its metrics.", registry=r
        )
        self.up_since.set(time.time())

        # Jobs and scans.
        self.job_runs = Counter(
            "pi_scanner_job_runs_total",
            "Scheduled or manual job executions by outcome (success, failure, skipped: lease held elsewhere).",
            ["job", "kind", "outcome"],
            registry=r,
        )
        self.scan_runs = Counter(
            "pi_scanner_scan_runs_total", "Scan runs finished (with or without asset errors).", ["job"], registry=r
        )
        self.scan_failures = Counter(
            "pi_scanner_scan_failures_total",
            "Scan failures: a whole run that raised (connector 'all' when unknown) or a connector-wide error.",
            ["job", "connector"],
            registry=r,
        )
        self.asset_errors = Counter(
            "pi_scanner_scan_asset_errors_total",
            "Assets that could not be read or classified (the scan went on).",
            ["job", "connector", "stage"],
            registry=r,
        )
        self.scan_duration = Histogram(
            "pi_scanner_scan_duration_seconds",
            "Wall-clock duration of scan runs.",
            ["job"],
            buckets=_DURATION_BUCKETS,
            registry=r,
        )
        self.job_duration = Histogram(
            "pi_scanner_job_duration_seconds",
            "Wall-clock duration of job executions of every kind.",
            ["job", "kind"],
            buckets=_DURATION_BUCKETS,
            registry=r,
        )
        self.assets_scanned = Counter(
            "pi_scanner_assets_scanned_total", "Assets classified.", ["connector"], registry=r
        )
        self.bytes_scanned = Counter(
            "pi_scanner_scanned_bytes_total", "Bytes read from stores while sampling.", ["connector"], registry=r
        )
        self.rows_scanned = Counter(
            "pi_scanner_scanned_rows_total", "Records examined by the classifier.", ["connector"], registry=r
        )
        self.coverage_limits = Counter(
            "pi_scanner_coverage_limit_assets_total",
            "Assets read only in part because a configured limit was hit (limit: line_length, columns, ...).",
            ["connector", "limit"], registry=r,
        )
        self.assets_not_read = Counter(
            "pi_scanner_assets_not_read_total",
            "Assets listed but not read (reason: special_file, symlink, permission, format, ...).",
            ["connector", "reason"], registry=r,
        )
        self.last_success = Gauge(
            "pi_scanner_job_last_success_timestamp_seconds",
            "Unix time the job last finished successfully.",
            ["job"],
            registry=r,
        )
        self.last_run = Gauge(
            "pi_scanner_job_last_run_timestamp_seconds",
            "Unix time the job last finished, successfully or not.",
            ["job"],
            registry=r,
        )
        self.lease_held = Gauge(
            "pi_scanner_job_lease_held",
            "1 while this daemon holds the job's lease (runs the job), else 0.",
            ["job"],
            registry=r,
        )
        self.lease_lost = Counter(
            "pi_scanner_job_lease_lost_total",
            "Lease renewals that failed while the job was running (another daemon may take over).",
            ["job"],
            registry=r,
        )

        # The estate as last scanned (replaced per connector by observe_scan).
        self.children_assets = Gauge(
            "pi_scanner_children_pi_assets",
            "Assets holding children's (under-14) PI, by connector and PI category (spec §A9).",
            ["connector", "entity_category"],
            registry=r,
        )
        self.children_records = Gauge(
            "pi_scanner_children_records_estimated",
            "Records of children under 14 (and likely children) counted in the last scan, by connector.",
            ["connector"],
            registry=r,
        )
        self.minor_records = Gauge(
            "pi_scanner_minor_14_17_records_estimated",
            "Records of minors aged 14-17 counted in the last scan, by connector (annual filing).",
            ["connector"],
            registry=r,
        )
        self.unencrypted_assets = Gauge(
            "pi_scanner_unencrypted_children_assets",
            "Children's PI assets with at least one PI column stored in plaintext.",
            ["connector"],
            registry=r,
        )
        self.public_assets = Gauge(
            "pi_scanner_public_children_assets",
            "Children's PI assets readable by the public (public bucket, object ACL or share).",
            ["connector"],
            registry=r,
        )
        self.upcoming_age_outs = Gauge(
            "pi_scanner_upcoming_age_out_records",
            "Records whose subject leaves the children's tier (turns 14: the minor's own consent is needed, "
            "PIPL art. 31) in the next age_out_days (default 30) days, by connector, from the last scan.",
            ["connector"],
            registry=r,
        )
        self.asset_children_records = Gauge(
            "pi_scanner_asset_children_records",
            "Per-asset children's records (only when daemon.per_asset_metrics is on; capped per connector).",
            ["connector", "asset"],
            registry=r,
        )

        # Retention and the audit ledger.
        self.over_retained = Gauge(
            "pi_scanner_over_retained_records",
            "Records past their retention period and not under legal hold, by policy.",
            ["policy"],
            registry=r,
        )
        self.deleted_records = Counter(
            "pi_scanner_deleted_records_total",
            "Records or objects deleted (or anonymised) by retention enforcement, by policy.",
            ["policy"],
            registry=r,
        )
        self.ledger_entries = Gauge(
            "pi_scanner_ledger_entries", "Entries in the hash-chained deletion ledger.", registry=r
        )
        self.ledger_verify_ok = Gauge(
            "pi_scanner_ledger_verify_ok", "1 if the last ledger chain verification passed, else 0.", registry=r
        )
        self.ledger_verify_time = Gauge(
            "pi_scanner_ledger_last_verify_timestamp_seconds",
            "Unix time of the last ledger verification.",
            registry=r,
        )
        # verify_ok alone reads 0 before the first verification; this says whether one has run at all,
        # so "never verified" and "failed" are told apart (alerts.yml).
        self.ledger_verified = Gauge(
            "pi_scanner_ledger_verified",
            "1 once the ledger chain has been verified since the daemon started (pass or fail), else 0.",
            registry=r,
        )

        # The daemon itself.
        self.config_reloads = Counter(
            "pi_scanner_config_reloads_total", "Successful configuration reloads (SIGHUP).", registry=r
        )
        self.config_reload_failures = Counter(
            "pi_scanner_config_reload_failures_total",
            "Configuration reloads rejected (the previous configuration stayed in force).",
            registry=r,
        )
        self.catalog_up = Gauge(
            "pi_scanner_catalog_up", "1 if the catalog database answered the last probe.", registry=r
        )
        self.scheduler_running = Gauge(
            "pi_scanner_scheduler_running", "1 while the scheduler is dispatching jobs.", registry=r
        )
        self.jobs_running = Gauge("pi_scanner_jobs_running", "Jobs executing right now.", registry=r)

    # -- exposition -------------------------------------------------------------------------------

    def exposition(self) -> bytes:
        """Return the registry in the Prometheus text format (``CONTENT_TYPE_LATEST``)."""
        return generate_latest(self.registry)

    def value(self, name: str, labels: dict[str, str] | None = None) -> float | None:
        """Return one sample's current value (tests, ``jobs list``), or None if absent."""
        return self.registry.get_sample_value(name, labels or {})

    # -- updates ----------------------------------------------------------------------------------

    def _replace(self, gauge: Gauge, connector: str, values: dict[tuple[str, ...], float]) -> None:
        """Set a connector's series of ``gauge`` to ``values`` and drop its series no longer present."""
        known = self._estate_labels[gauge._name][connector]
        for labels in known - set(values):
            with contextlib.suppress(KeyError):
                gauge.remove(*labels)
        for labels, v in values.items():
            gauge.labels(*labels).set(v)
        self._estate_labels[gauge._name][connector] = set(values)

    def observe_scan(
        self,
        run: ScanRun,
        job: str,
        duration_s: float | None = None,
        *,
        infos: Mapping[str, Any] | None = None,
        bytes_read: int | None = None,
        failed_connectors: Iterable[str] = (),
    ) -> None:
        """Update counters and the estate gauges from a finished :class:`ScanRun`.

        Connectors the run covered have their estate gauges replaced; others keep theirs, and so does
        a connector that could not be reached at all (an unreachable store did not become empty).

        Args:
            run: The finished run.
            job: Job name (``on-demand`` for manual scans).
            duration_s: Duration to record; default ``finished_at - started_at``.
            infos: Discovery facts by asset display name (``AssetInfo``); their ``meta`` tells public
                exposure (``public: true``) and at-rest encryption (``encrypted_at_rest: true``).
            bytes_read: Bytes read from all stores (counted under connector ``all``: the scanner
                reports one total).
            failed_connectors: Connectors that could not be scanned at all.
        """
        with self._lock:
            self._observe_scan(run, job, duration_s, infos or {}, bytes_read, set(failed_connectors))

    def _observe_scan(
        self,
        run: ScanRun,
        job: str,
        duration_s: float | None,
        infos: Mapping[str, Any],
        bytes_read: int | None,
        failed: set[str],
    ) -> None:
        if duration_s is None and run.finished_at is not None:
            duration_s = max(0.0, (run.finished_at - run.started_at).total_seconds())
        if duration_s is not None:
            self.scan_duration.labels(job).observe(duration_s)
        self.scan_runs.labels(job).inc()

        connectors = list(dict.fromkeys([*run.connectors, *(r.asset.connector for r in run.results)]))
        by_connector: dict[str, list[AssetResult]] = {c: [] for c in connectors}
        for result in run.results:
            by_connector[result.asset.connector].append(result)

        for err in run.errors:
            connector = err.asset.connector if err.asset is not None else _connector_of_message(err, connectors)
            self.asset_errors.labels(job, connector, err.stage).inc()
        # A connector-wide failure (store unreachable): the run could not see that store at all.
        failed |= {_connector_of_message(e, connectors) for e in run.errors if e.asset is None}
        for connector in sorted(failed):
            self.scan_failures.labels(job, connector).inc()
        if bytes_read:
            self.bytes_scanned.labels("all").inc(bytes_read)
        for connector, results in by_connector.items():
            self.assets_scanned.labels(connector).inc(len(results))
            self.rows_scanned.labels(connector).inc(sum(r.rows_scanned for r in results))
            self._observe_coverage(connector, results)
            if connector in failed and not results:
                # Keep the last known estate: an unreachable store did not become empty.
                continue
            self._observe_estate(connector, results, infos)

    def _observe_coverage(self, connector: str, results: list[AssetResult]) -> None:
        """Count limits hit and assets not read; label values come from a fixed set (bounded)."""
        for result in results:
            cov = result.coverage
            if cov is None:
                continue
            if cov.not_read:
                self.assets_not_read.labels(connector, coverage_label(cov.not_read)).inc()
            for name in {coverage_label(n) for n, _ in cov.limits}:
                self.coverage_limits.labels(connector, name).inc()

    def _observe_estate(self, connector: str, results: list[AssetResult], infos: Mapping[str, Any]) -> None:
        categories: dict[str, int] = dict.fromkeys(ENTITY_CATEGORIES, 0)
        children = minors = unencrypted = public = 0
        per_asset: list[tuple[str, int]] = []
        for result in results:
            children_here = result.ages.child + result.ages.likely_child
            children += children_here
            minors += result.ages.minor_14_17
            if not _is_child_asset(result):
                continue
            for cat in _pi_categories(result):
                categories[cat] += 1
            meta = _meta(infos.get(result.asset.display))
            plaintext = any(c.entity_types and not c.encrypted and not c.suspected for c in result.columns)
            if plaintext and not meta.get("encrypted_at_rest"):
                unencrypted += 1
            if meta.get("public") or any(n in _PUBLIC_NOTES for n in result.notes):
                public += 1
            per_asset.append((result.asset.display, children_here))
        self._replace(self.children_assets, connector, {(connector, k): v for k, v in categories.items()})
        self._replace(self.children_records, connector, {(connector,): children})
        self._set_age_outs(connector, [r.collection for r in results if r.collection is not None])
        self._replace(self.minor_records, connector, {(connector,): minors})
        self._replace(self.unencrypted_assets, connector, {(connector,): unencrypted})
        self._replace(self.public_assets, connector, {(connector,): public})
        if self.per_asset:
            # Most children first, so the cap keeps the assets that matter.
            per_asset.sort(key=lambda item: -item[1])
            kept = per_asset[: self.per_asset_limit]
            self._replace(self.asset_children_records, connector, {(connector, a): v for a, v in kept})

    def _set_age_outs(self, connector: str, collections: list[CollectionAges]) -> None:
        """Upcoming age-outs, computed at every scrape from the kept age-out days (the window moves daily)."""

        def upcoming() -> float:
            today = self.today()
            return float(sum(
                c.age_outs_within(self.age_out_days, max(today, c.as_of) if c.as_of else today)
                for c in collections
            ))

        self._replace(self.upcoming_age_outs, connector, {(connector,): 0})
        self.upcoming_age_outs.labels(connector).set_function(upcoming)

    def restore_estate(self, run: ScanRun, postures: Mapping[str, Any], connectors: Iterable[str]) -> None:
        """Set the estate gauges of ``connectors`` from a run read back from the catalog.

        Used at daemon start so a restart does not blank the dashboard until the next scheduled scan.
        Counters are not touched: they count what this process did.

        Args:
            run: A finished run loaded from the catalog.
            postures: Posture flags by asset display name (``Catalog.load_postures``), standing in for
                the discovery facts the run had.
            connectors: The connectors whose estate this run is the latest word on.
        """
        wanted = set(connectors)
        by_connector: dict[str, list[AssetResult]] = {c: [] for c in wanted}
        for result in run.results:
            if result.asset.connector in wanted:
                by_connector[result.asset.connector].append(result)
        infos = {name: SimpleNamespace(meta=dict(meta)) for name, meta in postures.items()}
        with self._lock:
            for connector, results in by_connector.items():
                self._observe_estate(connector, results, infos)

    def set_public_exposure(self, counts: dict[str, int]) -> None:
        """Set publicly exposed children's assets per connector (from the exposure compliance check)."""
        with self._lock:
            for connector, n in counts.items():
                self._replace(self.public_assets, connector, {(connector,): n})

    def set_over_retained(self, counts: dict[str, int]) -> None:
        """Replace the over-retained record counts, one per retention policy."""
        with self._lock:
            self._replace(self.over_retained, "", {(policy,): n for policy, n in counts.items()})

    def record_deletions(self, policy: str, count: int) -> None:
        """Count records or objects deleted by one enforcement batch of ``policy``."""
        if count > 0:
            self.deleted_records.labels(policy).inc(count)

    def set_ledger(self, entries: int, verified_ok: bool | None = None) -> None:
        """Record the ledger length and, when a verification ran, its result."""
        self.ledger_entries.set(entries)
        if verified_ok is not None:
            self.ledger_verify_ok.set(1 if verified_ok else 0)
            self.ledger_verify_time.set(time.time())
            self.ledger_verified.set(1)

    def record_job(self, job: str, kind: str, outcome: str, duration_s: float | None = None) -> None:
        """Count one job execution; ``outcome`` is ``success``, ``failure`` or ``skipped``."""
        self.job_runs.labels(job, kind, outcome).inc()
        if outcome == "skipped":
            return
        now = time.time()
        self.last_run.labels(job).set(now)
        if outcome == "success":
            self.last_success.labels(job).set(now)
        if duration_s is not None:
            self.job_duration.labels(job, kind).observe(duration_s)

    def record_scan_failure(self, job: str, connector: str = "all") -> None:
        """Count a scan that raised before producing a run (e.g. its store was down)."""
        self.scan_failures.labels(job, connector).inc()

    def declare_estate(self, scan_jobs: Mapping[str, Iterable[str]], policies: Iterable[str]) -> None:
        """Create zero-valued failure, error and deletion series so rate panels and alerts see them from start.

        Args:
            scan_jobs: Each scan job's name and the connectors it scans.
            policies: Retention policy names.
        """
        for job, connectors in scan_jobs.items():
            for connector in connectors:
                self.scan_failures.labels(job, connector)
                for stage in ASSET_ERROR_STAGES:
                    self.asset_errors.labels(job, connector, stage)
        for policy in policies:
            self.deleted_records.labels(policy)

    def declare_jobs(self, jobs: Iterable[tuple[str, str]]) -> None:
        """Create zero-valued series for configured ``(job, kind)`` pairs so alerts see them from start."""
        for job, kind in jobs:
            for outcome in ("success", "failure", "skipped"):
                self.job_runs.labels(job, kind, outcome)
            self.lease_held.labels(job).set(0)
            if kind == "scan":
                self.scan_runs.labels(job)
                self.scan_failures.labels(job, "all")


def _connector_of_message(err: object, connectors: list[str]) -> str:
    """Best-effort connector of a connector-wide error: its name in the message, else ``all``."""
    message = str(getattr(err, "message", ""))
    for name in connectors:
        if message.startswith(f"{name}:") or f"'{name}'" in message or f'"{name}"' in message:
            return name
    return "all"


#: The process-wide metrics of the daemon and the CLI.
METRICS = Metrics()


def observe_scan(run: ScanRun, job: str, metrics: Metrics | None = None, **extra: Any) -> None:
    """Update :data:`METRICS` (or ``metrics``) from a finished scan run; see :meth:`Metrics.observe_scan`."""
    (metrics or METRICS).observe_scan(run, job, **extra)

