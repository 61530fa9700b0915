"""Schedules: APScheduler triggers, and the nominal fire times (slots) every daemon agrees on."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from pi_scanner.daemon_config import DaemonConfig, JobConfig
from pi_scanner.errors import ConfigError
from pi_scanner.job_kinds import job_kind

logger = logging.getLogger("pi_scanner.scheduler")


# Interval slots are counted from this instant so that every daemon agrees on them.
_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


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
