"""Scheduled jobs: APScheduler for timing, a lease table for "only one daemon runs this job now".

This is the only module that imports APScheduler.

How a tick runs, and why it runs once across a fleet:

* Every daemon sharing a catalog schedules every configured job in one APScheduler
  ``SQLAlchemyJobStore`` inside the catalog database (``coalesce``, ``max_instances=1``,
  ``misfire_grace_time``). Interval schedules are anchored at a fixed epoch, so every daemon computes
  the same nominal fire times ("slots") whatever its start time.
* When a job fires, the runner computes its slot, waits its random jitter, and tries to take the job's
  row in ``job_leases`` with one atomic ``UPDATE ... WHERE expires_at < now AND last_slot < slot``.
  Exactly one daemon's UPDATE matches; the others count a ``skipped`` run. The winner renews the lease
  every third of its TTL while running and, at the end, records the slot as done and frees the lease.
* A daemon killed mid-job stops renewing; its lease expires after ``lease_ttl_s`` and the next tick
  is taken by a surviving daemon (the APScheduler job rows are shared, so survivors keep firing).

Lease times come from the daemons' clocks (UTC): daemons sharing a catalog must keep their clocks in
sync (NTP) to well within ``lease_ttl_s``.

Job kinds are callables in a registry (:func:`register_job_kind`, or the ``pi_scanner.job_kinds``
entry-point group), so retention jobs plug in without touching this module.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Float,
    LargeBinary,
    MetaData,
    String,
    Table,
    Unicode,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pi_scanner.config import Settings
from pi_scanner.daemon_config import DaemonConfig, JobConfig
from pi_scanner.errors import ConfigError, PiScannerError
from pi_scanner.logging_setup import log_event, safe_error
from pi_scanner.metrics import METRICS, Metrics

logger = logging.getLogger("pi_scanner.scheduler")

#: Entry-point group where packages register job kinds (``name = "module:callable"``).
JOB_KIND_ENTRY_POINTS = "pi_scanner.job_kinds"
#: Table of the APScheduler job store inside the catalog database.
APSCHEDULER_TABLE = "pi_scanner_apscheduler_jobs"

# Interval slots are counted from this instant so that every daemon agrees on them.
_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

# MySQL's DATETIME drops fractions unless told otherwise; sub-second slots need them.
_Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

daemon_metadata = MetaData()

#: One row per job: who runs it now (until when) and which slot was done last.
job_leases = Table(
    "job_leases",
    daemon_metadata,
    Column("job_name", String(64), primary_key=True),
    Column("holder", String(128), nullable=True),
    Column("expires_at", _Timestamp, nullable=True),
    Column("acquired_at", _Timestamp, nullable=True),
    Column("running_slot", _Timestamp, nullable=True),
    Column("last_slot", _Timestamp, nullable=True),
    Column("last_finished_at", _Timestamp, nullable=True),
    Column("last_outcome", String(16), nullable=True),
    Column("last_duration_s", Float, nullable=True),
)

#: The APScheduler job store's table, declared here so the catalog migration owns it too.
apscheduler_jobs = Table(
    APSCHEDULER_TABLE,
    daemon_metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


def ensure_daemon_tables(engine: Engine) -> None:
    """Create the daemon's tables if missing (the catalog migration ``0002_daemon`` normally does)."""
    daemon_metadata.create_all(engine, checkfirst=True)


def _utcnow() -> dt.datetime:
    """Naive UTC: every dialect stores and compares it the same way."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def default_holder_id() -> str:
    """Identity of this daemon in the lease table: host, pid and a random suffix."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# ---------------------------------------------------------------------------------------------------
# Leases


@dataclass(frozen=True)
class LeaseState:
    """A row of ``job_leases`` as read back (for ``jobs list`` and tests)."""

    job_name: str
    holder: str | None
    expires_at: dt.datetime | None
    last_slot: dt.datetime | None
    last_finished_at: dt.datetime | None
    last_outcome: str | None
    last_duration_s: float | None


class LeaseManager:
    """Atomic job leases in the catalog database.

    Args:
        engine: Catalog engine (SQLite, PostgreSQL or MySQL/MariaDB).
        holder_id: This daemon's identity.
        ttl_s: Lease lifetime; renew at least every ``ttl_s / 3``.
    """

    def __init__(self, engine: Engine, holder_id: str, ttl_s: float) -> None:
        self.engine = engine
        self.holder_id = holder_id
        self.ttl = dt.timedelta(seconds=ttl_s)

    def ensure(self, job_name: str) -> None:
        """Create the job's lease row if it does not exist (racing creators are fine)."""
        with self.engine.connect() as conn:
            exists = conn.execute(
                select(job_leases.c.job_name).where(job_leases.c.job_name == job_name)
            ).first()
            if exists:
                return
            try:
                conn.execute(insert(job_leases).values(job_name=job_name))
                conn.commit()
            except IntegrityError:
                # Another daemon created it between our SELECT and INSERT.
                conn.rollback()

    def acquire(self, job_name: str, slot: dt.datetime | None) -> bool:
        """Take the lease if it is free (or expired) and ``slot`` was not done yet.

        The check and the take are one UPDATE, so of several daemons racing exactly one wins.

        Args:
            job_name: The job.
            slot: Nominal fire time of the tick (naive UTC), or None for a manual run, which ignores
                which slots were done.

        Returns:
            True if this daemon now holds the lease.
        """
        self.ensure(job_name)
        now = _utcnow()
        cond = [
            job_leases.c.job_name == job_name,
            or_(job_leases.c.expires_at.is_(None), job_leases.c.expires_at < now),
        ]
        if slot is not None:
            cond.append(or_(job_leases.c.last_slot.is_(None), job_leases.c.last_slot < slot))
        stmt = (
            update(job_leases)
            .where(*cond)
            .values(holder=self.holder_id, expires_at=now + self.ttl, acquired_at=now, running_slot=slot)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def renew(self, job_name: str) -> bool:
        """Extend a held lease by the TTL; False if this daemon no longer holds it."""
        stmt = (
            update(job_leases)
            .where(job_leases.c.job_name == job_name, job_leases.c.holder == self.holder_id)
            .values(expires_at=_utcnow() + self.ttl)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def release(
        self, job_name: str, slot: dt.datetime | None, outcome: str, duration_s: float | None = None
    ) -> bool:
        """Free a held lease, recording the slot as done and the outcome.

        Returns:
            False if the lease had been lost (expired and taken by another daemon).
        """
        values: dict[str, Any] = {
            "holder": None,
            "expires_at": None,
            "running_slot": None,
            "last_finished_at": _utcnow(),
            "last_outcome": outcome,
            "last_duration_s": duration_s,
        }
        if slot is not None:
            values["last_slot"] = slot
        stmt = (
            update(job_leases)
            .where(job_leases.c.job_name == job_name, job_leases.c.holder == self.holder_id)
            .values(**values)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def state(self, job_name: str) -> LeaseState | None:
        """Read a job's lease row, or None if the job never ran."""
        with self.engine.connect() as conn:
            row = conn.execute(select(job_leases).where(job_leases.c.job_name == job_name)).first()
        if row is None:
            return None
        return LeaseState(
            job_name=row.job_name,
            holder=row.holder,
            expires_at=row.expires_at,
            last_slot=row.last_slot,
            last_finished_at=row.last_finished_at,
            last_outcome=row.last_outcome,
            last_duration_s=row.last_duration_s,
        )


# ---------------------------------------------------------------------------------------------------
# Job kinds


class JobFailed(PiScannerError):
    """A job ran to its end but did not achieve its purpose (e.g. a store was unreachable)."""


@dataclass
class JobContext:
    """What a job kind's callable receives.

    Attributes:
        job: The job's configuration.
        settings: The whole configuration in force.
        catalog: The catalog (``pi_scanner.catalog.store.Catalog``).
        as_of: Reference date: today in the daemon's time zone.
        metrics: Metrics to update.
        stop: Set when the daemon is shutting down; long jobs should stop at a safe point.
        lease_lost: Set when the lease could not be renewed; the job should stop at a safe point.
        trigger: ``schedule`` or ``manual``.
    """

    job: JobConfig
    settings: Settings
    catalog: Any
    as_of: dt.date
    metrics: Metrics
    stop: threading.Event = field(default_factory=threading.Event)
    lease_lost: threading.Event = field(default_factory=threading.Event)
    trigger: str = "schedule"


#: A job kind: called once per run; raises to fail the run.
JobHandler = Callable[[JobContext], None]

_KINDS: dict[str, JobHandler] = {}
_KINDS_LOCK = threading.Lock()


def register_job_kind(kind: str, handler: JobHandler, *, replace: bool = False) -> None:
    """Register the callable behind a job kind.

    Args:
        kind: The ``kind`` value in the configuration.
        handler: Called with a :class:`JobContext` for each run.
        replace: Allow replacing an existing registration.

    Raises:
        ValueError: ``kind`` is already registered and ``replace`` is false.
    """
    with _KINDS_LOCK:
        if kind in _KINDS and not replace and _KINDS[kind] is not handler:
            raise ValueError(f"job kind {kind!r} is already registered")
        _KINDS[kind] = handler


def job_kind(kind: str) -> JobHandler:
    """Return the callable of a job kind, loading entry-point plugins on first miss.

    Raises:
        ConfigError: No callable is registered for ``kind`` (names the missing feature).
    """
    with _KINDS_LOCK:
        handler = _KINDS.get(kind)
    if handler is not None:
        return handler
    for ep in importlib_metadata.entry_points(group=JOB_KIND_ENTRY_POINTS):
        if ep.name != kind:
            continue
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin disables its kind only
            raise ConfigError(f"job kind {kind!r} could not be loaded: {safe_error(exc)}") from None
        register_job_kind(kind, loaded, replace=True)
        return loaded  # type: ignore[no-any-return]
    raise ConfigError(f"job kind {kind!r} is not available in this installation (no handler registered)")


def _scan_job(ctx: JobContext) -> None:
    """Built-in ``scan`` kind: run a scan of the job's connectors and export its results."""
    from pi_scanner.scanner import run_scan  # imported late: the scanner pulls in the classifier

    started = time.monotonic()
    outcome = run_scan(
        ctx.settings,
        as_of=ctx.as_of,
        catalog=ctx.catalog,
        connector_names=ctx.job.connectors or None,
        trigger=f"{ctx.trigger}:{ctx.job.name}",
    )
    run = outcome.run
    ctx.metrics.observe_scan(
        run,
        ctx.job.name,
        time.monotonic() - started,
        infos=outcome.infos,
        bytes_read=outcome.bytes_read,
        failed_connectors=outcome.failed_connectors,
    )
    _record_reads(ctx, outcome)
    broken = sorted(set(outcome.failed_connectors))
    log_event(
        logger,
        "scan.finished",
        job=ctx.job.name,
        run_id=run.run_id,
        assets=len(run.results),
        asset_errors=len(run.errors),
        connector_errors=len(broken),
    )
    if broken:
        raise JobFailed(f"connector(s) {', '.join(broken)} could not be scanned in run {run.run_id}")


def _record_reads(ctx: JobContext, outcome: Any) -> None:
    """Art. 15: record in the audit ledger which assets a scheduled scan read, as whom and why.

    Raises:
        JobFailed: The reads could not be recorded (the run then counts as failed: an unrecorded
            read of children's PI is not a successful scan).
    """
    from pi_scanner.keys import load_hmac_key
    from pi_scanner.read_audit import ReadReason, record_scan_reads
    from pi_scanner.retention.ledger import Ledger

    try:
        ledger = Ledger(ctx.catalog, load_hmac_key(ctx.settings.catalog))
        entries = record_scan_reads(
            ledger, outcome, ctx.settings, ReadReason(trigger=f"{ctx.trigger}:{ctx.job.name}", user="daemon")
        )
    except (PiScannerError, SQLAlchemyError, OSError) as exc:
        log_event(logger, "scan.reads_not_recorded", level=logging.ERROR, job=ctx.job.name, exc=exc)
        raise JobFailed(f"the reads of run {outcome.run.run_id} could not be recorded: {safe_error(exc)}") from None
    log_event(logger, "scan.reads_recorded", job=ctx.job.name, run_id=outcome.run.run_id, entries=len(entries))


def _report_job(ctx: JobContext) -> None:
    """Built-in ``report`` kind: render the newest finished run as JSON, HTML and Markdown files.

    Files are written to a temporary name and renamed, so a reader never sees half a report. Names
    carry the run id (``report-<run_id>.json``) and ``latest.*`` points at the newest copy.
    """
    from pi_scanner.report.html import render_html
    from pi_scanner.report.json_report import build_report, dumps
    from pi_scanner.report.markdown import render_markdown

    # The newest *finished* run: a scan job may be writing a newer one right now.
    finished = [r for r in ctx.catalog.list_runs(limit=50) if r.finished_at is not None]
    if not finished:
        raise JobFailed("the catalog holds no finished scan run to report on yet")
    run_id = finished[0].run_id
    report = build_report(ctx.catalog.load_run(run_id))
    out = Path(ctx.job.output or ".")
    out.mkdir(parents=True, exist_ok=True)
    renderers: dict[str, Callable[[dict[str, Any]], str]] = {
        "json": dumps,
        "html": render_html,
        "md": render_markdown,
    }
    for ext, render in renderers.items():
        text = render(report)
        for name in (f"report-{run_id}.{ext}", f"latest.{ext}"):
            tmp = out / f".{name}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(out / name)
    log_event(logger, "report.written", job=ctx.job.name, run_id=run_id, folder=str(out))


register_job_kind("scan", _scan_job)
register_job_kind("report", _report_job)


# ---------------------------------------------------------------------------------------------------
# Triggers and slots


def build_trigger(job: JobConfig, timezone: str) -> CronTrigger | IntervalTrigger:
    """APScheduler trigger of a job, without jitter (the runner applies jitter itself).

    Raises:
        ConfigError: The cron expression or the time zone is invalid.
    """
    try:
        tz = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"daemon.timezone: unknown time zone {timezone!r}") from None
    if job.cron is not None:
        try:
            return CronTrigger.from_crontab(job.cron, timezone=tz)
        except ValueError as exc:
            raise ConfigError(f"job {job.name!r}: invalid cron expression {job.cron!r}: {exc}") from None
    assert job.interval_seconds is not None  # guaranteed by JobConfig's validator
    return IntervalTrigger(seconds=job.interval_seconds, start_date=_EPOCH, timezone=dt.UTC)


def current_slot(trigger: CronTrigger | IntervalTrigger, now: dt.datetime, lookback_s: float) -> dt.datetime:
    """The latest nominal fire time at or before ``now`` (aware), as naive UTC.

    Args:
        trigger: The job's trigger (no jitter).
        now: Aware current time.
        lookback_s: How far back a fire time may be (jitter plus misfire grace).
    """
    if isinstance(trigger, IntervalTrigger):
        length = trigger.interval_length
        n = (now.timestamp() - _EPOCH.timestamp()) // length
        return dt.datetime.fromtimestamp(_EPOCH.timestamp() + n * length, dt.UTC).replace(tzinfo=None)
    t = trigger.get_next_fire_time(None, now - dt.timedelta(seconds=lookback_s))
    last = None
    steps = 0
    while t is not None and t <= now and steps < 100_000:
        last = t
        t = trigger.get_next_fire_time(t, t + dt.timedelta(microseconds=1))
        steps += 1
    if last is None:
        # Fired later than the lookback allows: the firing itself is the slot (whole seconds).
        last = now.replace(microsecond=0)
    return last.astimezone(dt.UTC).replace(tzinfo=None)


def validate_jobs(cfg: DaemonConfig) -> None:
    """Check every job's schedule and kind without scheduling anything.

    Raises:
        ConfigError: A schedule is invalid or a kind has no handler in this installation.
    """
    for job in cfg.jobs:
        build_trigger(job, cfg.timezone)
        if job.enabled:
            job_kind(job.kind)


def next_fire_time(job: JobConfig, timezone: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When ``job`` fires next (before jitter), or None if it never will."""
    now = now or dt.datetime.now(dt.UTC)
    fire: dt.datetime | None = build_trigger(job, timezone).get_next_fire_time(None, now)
    return fire


# ---------------------------------------------------------------------------------------------------
# Runner


class JobRunner:
    """Runs jobs under leases; shared by the scheduler's threads and ``pi-scanner jobs run``.

    Args:
        settings: Configuration in force.
        daemon_config: Its validated ``daemon:`` section.
        catalog: The catalog; its ``engine`` holds the lease table.
        metrics: Metrics to update.
        holder_id: This daemon's lease identity.
    """

    def __init__(
        self,
        settings: Settings,
        daemon_config: DaemonConfig,
        catalog: Any,
        metrics: Metrics = METRICS,
        holder_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.daemon_config = daemon_config
        self.catalog = catalog
        self.metrics = metrics
        self.leases = LeaseManager(catalog.engine, holder_id or default_holder_id(), daemon_config.lease_ttl_s)
        self.stop = threading.Event()
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def reconfigure(self, settings: Settings, daemon_config: DaemonConfig) -> None:
        """Use a new configuration for runs that start from now on."""
        self.settings = settings
        self.daemon_config = daemon_config
        self.leases.ttl = dt.timedelta(seconds=daemon_config.lease_ttl_s)

    @property
    def running_jobs(self) -> list[str]:
        """Names of the jobs executing in this process now."""
        with self._lock:
            return sorted(self._running)

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until no job runs in this process; False on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._idle:
            while self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def fire(self, job_name: str) -> str:
        """Handle a scheduled firing of ``job_name``: slot, jitter, lease, run.

        Returns:
            The outcome: ``success``, ``failure``, ``skipped`` or ``stopped``.
        """
        if self.stop.is_set():
            return "stopped"
        cfg = self.daemon_config
        try:
            job = cfg.job(job_name)
        except ConfigError:
            # Fired from a shared job store by a job this daemon's configuration no longer has.
            log_event(logger, "job.unknown", level=logging.WARNING, job=job_name)
            return "skipped"
        if not job.enabled:
            return "skipped"
        trigger = build_trigger(job, cfg.timezone)
        slot = current_slot(
            trigger, dt.datetime.now(dt.UTC), job.jitter_seconds + cfg.misfire_grace_s + 1
        )
        if job.jitter_seconds and self.stop.wait(random.uniform(0, job.jitter_seconds)):
            return "stopped"
        return self.run(job, slot=slot, trigger="schedule")

    def run(self, job: JobConfig, *, slot: dt.datetime | None = None, trigger: str = "manual") -> str:
        """Run one job now if its lease can be taken.

        Args:
            job: The job.
            slot: The tick (naive UTC) for scheduled runs; None for manual runs.
            trigger: ``schedule`` or ``manual`` (recorded with the scan).

        Returns:
            ``success``, ``failure`` or ``skipped`` (lease held elsewhere, or slot already done).
        """
        try:
            acquired = self.leases.acquire(job.name, slot)
        except SQLAlchemyError as exc:
            self.metrics.record_job(job.name, job.kind, "failure")
            log_event(logger, "job.lease_error", level=logging.ERROR, job=job.name, exc=exc)
            return "failure"
        if not acquired:
            self.metrics.record_job(job.name, job.kind, "skipped")
            log_event(logger, "job.skipped", level=logging.DEBUG, job=job.name, reason="lease")
            return "skipped"
        ctx = JobContext(
            job=job,
            settings=self.settings,
            catalog=self.catalog,
            as_of=dt.datetime.now(zoneinfo.ZoneInfo(self.daemon_config.timezone)).date(),
            metrics=self.metrics,
            stop=self.stop,
            trigger=trigger,
        )
        with self._track(job.name) as done:
            outcome, duration = self._execute(ctx, done)
        try:
            released = self.leases.release(job.name, slot, outcome, duration)
        except SQLAlchemyError as exc:
            released = False
            log_event(logger, "job.release_error", level=logging.ERROR, job=job.name, exc=exc)
        if not released:
            log_event(logger, "job.lease_lost_at_end", level=logging.WARNING, job=job.name)
        return outcome

    @contextmanager
    def _track(self, job_name: str) -> Iterator[threading.Event]:
        done = threading.Event()
        with self._lock:
            self._running[job_name] = done
            self.metrics.jobs_running.set(len(self._running))
        self.metrics.lease_held.labels(job_name).set(1)
        try:
            yield done
        finally:
            done.set()
            self.metrics.lease_held.labels(job_name).set(0)
            with self._idle:
                self._running.pop(job_name, None)
                self.metrics.jobs_running.set(len(self._running))
                self._idle.notify_all()

    def _execute(self, ctx: JobContext, done: threading.Event) -> tuple[str, float]:
        job = ctx.job
        renewer = threading.Thread(
            target=self._renew_loop, args=(ctx, done), name=f"lease-{job.name}", daemon=True
        )
        renewer.start()
        log_event(logger, "job.started", job=job.name, kind=job.kind, trigger=ctx.trigger)
        started = time.monotonic()
        outcome = "success"
        try:
            job_kind(job.kind)(ctx)
        except Exception as exc:  # one failing job never stops the daemon
            outcome = "failure"
            if job.kind == "scan":
                self.metrics.record_scan_failure(job.name, getattr(exc, "connector", None) or "all")
            log_event(logger, "job.failed", level=logging.ERROR, job=job.name, kind=job.kind, exc=exc)
        duration = time.monotonic() - started
        done.set()
        renewer.join(timeout=5)
        self.metrics.record_job(job.name, job.kind, outcome, duration)
        log_event(
            logger, "job.finished", job=job.name, kind=job.kind, outcome=outcome, duration_s=round(duration, 3)
        )
        return outcome, duration

    def _renew_loop(self, ctx: JobContext, done: threading.Event) -> None:
        period = max(0.2, self.leases.ttl.total_seconds() / 3)
        while not done.wait(period):
            try:
                ok = self.leases.renew(ctx.job.name)
            except SQLAlchemyError as exc:
                # The catalog blinked: keep trying until the lease actually expires.
                log_event(logger, "job.lease_renew_error", level=logging.WARNING, job=ctx.job.name, exc=exc)
                continue
            if not ok:
                ctx.lease_lost.set()
                self.metrics.lease_lost.labels(ctx.job.name).inc()
                log_event(logger, "job.lease_lost", level=logging.WARNING, job=ctx.job.name)
                return


# The scheduler's job store pickles a reference to a module-level function and its arguments (the job
# name only); the function finds the runner of this process here.
_ACTIVE_RUNNER: JobRunner | None = None


def fire_job(job_name: str) -> None:
    """Entry point APScheduler calls (by reference ``pi_scanner.scheduler:fire_job``)."""
    runner = _ACTIVE_RUNNER
    if runner is None:
        log_event(logger, "job.no_runner", level=logging.WARNING, job=job_name)
        return
    try:
        runner.fire(job_name)
    except Exception as exc:  # never let an exception reach APScheduler's logger (it logs reprs)
        log_event(logger, "job.fire_error", level=logging.ERROR, job=job_name, exc=exc)


class JobScheduler:
    """APScheduler ``BackgroundScheduler`` over the catalog's job store, driving a :class:`JobRunner`.

    Args:
        runner: Executes the jobs.
    """

    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner
        cfg = runner.daemon_config
        self._scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=runner.catalog.engine, tablename=APSCHEDULER_TABLE)},
            executors={"default": ThreadPoolExecutor(max_workers=cfg.max_concurrent_jobs)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": int(cfg.misfire_grace_s)},
            timezone=zoneinfo.ZoneInfo(cfg.timezone),
        )

    @property
    def running(self) -> bool:
        """True while the scheduler dispatches jobs."""
        return bool(self._scheduler.running) and not self.runner.stop.is_set()

    def start(self) -> None:
        """Register the configured jobs and start dispatching.

        Raises:
            ConfigError: A job's schedule is invalid.
            sqlalchemy.exc.SQLAlchemyError: The catalog cannot be reached.
        """
        global _ACTIVE_RUNNER
        _ACTIVE_RUNNER = self.runner
        ensure_daemon_tables(self.runner.catalog.engine)
        self._scheduler.start(paused=True)
        self.sync_jobs(self.runner.daemon_config)
        self._scheduler.resume()
        self.runner.metrics.scheduler_running.set(1)
        log_event(logger, "scheduler.started", jobs=len(self.runner.daemon_config.jobs))

    def sync_jobs(self, cfg: DaemonConfig) -> None:
        """Make the job store match ``cfg``: add or update enabled jobs, remove the others.

        Raises:
            ConfigError: A job's schedule is invalid (nothing was changed).
        """
        validate_jobs(cfg)  # fail the (re)load now, not at 2 a.m., if a kind is missing
        triggers = {j.name: build_trigger(j, cfg.timezone) for j in cfg.jobs if j.enabled}
        for name, trigger in triggers.items():
            self._scheduler.add_job(
                fire_job,
                trigger,
                args=[name],
                id=name,
                name=name,
                replace_existing=True,
                misfire_grace_time=int(cfg.misfire_grace_s),
            )
        for existing in self._scheduler.get_jobs():
            if existing.id not in triggers:
                self._scheduler.remove_job(existing.id)
        self.runner.metrics.declare_jobs((j.name, j.kind) for j in cfg.jobs)

    def next_run_times(self) -> dict[str, dt.datetime | None]:
        """Next fire time of each scheduled job."""
        return {j.id: j.next_run_time for j in self._scheduler.get_jobs()}

    def stop_dispatching(self) -> None:
        """Start no new runs; running ones go on (see :meth:`JobRunner.wait_idle`)."""
        self.runner.stop.set()
        self.runner.metrics.scheduler_running.set(0)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        log_event(logger, "scheduler.stopped", running=len(self.runner.running_jobs))
