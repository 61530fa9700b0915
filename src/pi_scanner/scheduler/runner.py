"""Runs jobs under leases: jitter, lease renewal, metrics, outcomes; shared by the scheduler and ``jobs run``."""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pi_scanner.config import Settings
from pi_scanner.daemon_config import DaemonConfig, JobConfig
from pi_scanner.errors import ConfigError
from pi_scanner.job_kinds import JobContext, job_kind
from pi_scanner.logging_setup import log_event
from pi_scanner.metrics import METRICS, Metrics
from pi_scanner.scheduler.leases import LeaseManager, default_holder_id
from pi_scanner.scheduler.triggers import build_trigger, current_slot

logger = logging.getLogger("pi_scanner.scheduler")


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


def set_active_runner(runner: JobRunner) -> None:
    """Make ``runner`` the one :func:`fire_job` hands scheduled runs to in this process."""
    global _ACTIVE_RUNNER
    _ACTIVE_RUNNER = runner


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
