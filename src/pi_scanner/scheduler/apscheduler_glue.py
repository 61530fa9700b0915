"""APScheduler's ``BackgroundScheduler`` over the catalog's job store, driving a :class:`JobRunner`.

This is the only module that imports APScheduler's scheduler (triggers live in :mod:`.triggers`).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from pi_scanner.daemon_config import DaemonConfig
from pi_scanner.logging_setup import log_event
from pi_scanner.scheduler.runner import JobRunner, fire_job, set_active_runner
from pi_scanner.scheduler.tables import APSCHEDULER_TABLE, ensure_daemon_tables
from pi_scanner.scheduler.triggers import build_trigger, validate_jobs

logger = logging.getLogger("pi_scanner.scheduler")


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
        set_active_runner(self.runner)
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
