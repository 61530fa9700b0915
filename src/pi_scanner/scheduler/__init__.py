"""Scheduled jobs: APScheduler for timing, a lease table for "only one daemon runs this job now".

APScheduler is imported only inside this package.

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
entry-point group), so retention jobs plug in without touching this package.

Modules: :mod:`.tables` (the daemon's tables), :mod:`.leases`, :mod:`.triggers` (schedules and slots),
:mod:`.runner` (runs one job under its lease), :mod:`.apscheduler_glue` (timing), :mod:`.builtin_jobs`
(``scan`` and ``report``). Job kinds themselves are in :mod:`pi_scanner.job_kinds`.
"""

from __future__ import annotations

from pi_scanner.job_kinds import (
    JOB_KIND_ENTRY_POINTS,
    JobContext,
    JobFailed,
    JobHandler,
    job_kind,
    register_job_kind,
)
from pi_scanner.scheduler import builtin_jobs as _builtin_jobs  # registers ``scan`` and ``report``
from pi_scanner.scheduler.apscheduler_glue import JobScheduler
from pi_scanner.scheduler.leases import LeaseManager, LeaseState, default_holder_id
from pi_scanner.scheduler.runner import JobRunner, fire_job
from pi_scanner.scheduler.tables import APSCHEDULER_TABLE, daemon_metadata, ensure_daemon_tables, job_leases
from pi_scanner.scheduler.triggers import build_trigger, current_slot, next_fire_time, validate_jobs

__all__ = [
    "APSCHEDULER_TABLE",
    "JOB_KIND_ENTRY_POINTS",
    "JobContext",
    "JobFailed",
    "JobHandler",
    "JobRunner",
    "JobScheduler",
    "LeaseManager",
    "LeaseState",
    "build_trigger",
    "current_slot",
    "daemon_metadata",
    "default_holder_id",
    "ensure_daemon_tables",
    "fire_job",
    "job_kind",
    "job_leases",
    "next_fire_time",
    "register_job_kind",
    "validate_jobs",
]

assert _builtin_jobs  # imported for its registrations
