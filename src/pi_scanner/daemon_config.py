"""The ``daemon:`` section of the configuration file.

The root :class:`~pi_scanner.config.Settings` keeps ``daemon`` as a plain mapping so that features own
their own sections; :func:`parse_daemon_config` validates it with the models below (unknown keys are
errors, reported with their dotted path).

Example::

    daemon:
      metrics_port: 9464
      bind_address: 0.0.0.0
      shutdown_deadline_s: 30
      lease_ttl_s: 60
      jobs:
        - name: nightly-scan
          kind: scan
          cron: "0 2 * * *"
          jitter_seconds: 300
          connectors: [school_db, exports]
        - name: weekly-report
          kind: report
          cron: "0 6 * * 1"
          output: /var/lib/pi-scanner/reports
"""

from __future__ import annotations

import os
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pi_scanner.errors import ConfigError

#: Job kinds that ship with pi-scanner. The configuration accepts any kind name: the callables live in a
#: registry (:mod:`pi_scanner.job_kinds`) open to plugins (entry-point group ``pi_scanner.job_kinds``), and
#: a kind nobody registered is rejected when the jobs are validated, with its name.
BUILTIN_JOB_KINDS = ("scan", "report", "retention_report", "retention_enforce")

# Kind names are entry-point names and metric label values: plain identifiers.
_JOB_KIND = r"^[a-z][a-z0-9_]{0,62}$"

# Job names become metric label values and lease keys: keep them short and plain.
_JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JobConfig(_Strict):
    """One scheduled job.

    Attributes:
        name: Unique name; used as the lease key, the metric label and the APScheduler job id.
        kind: What the job does: a built-in kind (``scan``, ``report``, ``retention_report``,
            ``retention_enforce``) or one a plugin registers.
        cron: A five-field crontab expression (``min hour day month weekday``), in ``timezone``.
        interval_seconds: Run every N seconds instead of on a cron schedule.
        jitter_seconds: Random delay added to each run so a fleet does not hit the stores at once.
            Must be shorter than the interval so a run stays inside its own tick.
        connectors: Connector names the job touches; empty means every configured connector.
        output: Folder the job writes into (reports); required for ``report`` jobs.
        enabled: Disabled jobs are listed but never scheduled.
        options: Extra settings passed to the job kind's callable (validated by it).
    """

    name: str
    kind: str = Field(pattern=_JOB_KIND)
    cron: str | None = None
    interval_seconds: float | None = Field(None, gt=0)
    jitter_seconds: float = Field(0, ge=0)
    connectors: list[str] = Field(default_factory=list)
    output: str | None = None
    enabled: bool = True
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> JobConfig:
        if not _JOB_NAME.match(self.name):
            raise ValueError(
                f"job name {self.name!r} must be 1-63 characters of letters, digits, '_', '.', '-'"
            )
        if (self.cron is None) == (self.interval_seconds is None):
            raise ValueError(f"job {self.name!r}: give exactly one of cron or interval_seconds")
        if self.cron is not None and len(self.cron.split()) != 5:
            raise ValueError(f"job {self.name!r}: cron must have 5 fields (min hour day month weekday)")
        if self.interval_seconds is not None and self.jitter_seconds >= self.interval_seconds:
            raise ValueError(f"job {self.name!r}: jitter_seconds must be shorter than interval_seconds")
        if self.kind == "report" and not self.output:
            raise ValueError(f"job {self.name!r}: report jobs need an output folder")
        return self


#: Environment variable giving the default bind address (set to ``0.0.0.0`` by the container image).
BIND_ADDRESS_ENV = "PI_SCANNER_BIND_ADDRESS"


class DaemonConfig(_Strict):
    """Settings of ``pi-scanner serve``.

    Attributes:
        metrics_port: Port of the HTTP server (``/metrics``, ``/healthz``, ``/readyz``).
        bind_address: Address the HTTP server binds. Default: ``$PI_SCANNER_BIND_ADDRESS`` when set (the
            container image sets ``0.0.0.0`` so ``docker run -p 9464:9464`` can be scraped), else
            loopback, so a bare ``pi-scanner serve`` never listens beyond the machine unless asked.
        shutdown_deadline_s: On SIGTERM, how long running jobs may take to finish before the daemon exits.
        lease_ttl_s: Lifetime of a job lease; a running job renews it every third of this. A daemon
            killed mid-job blocks the job for at most this long.
        misfire_grace_s: A run that could not start on time still starts if at most this late.
        max_concurrent_jobs: Jobs run at once by one daemon (each job never runs twice at once).
        timezone: Time zone of cron expressions and of the reference date of scheduled scans.
        catalog_retry_max_s: Upper bound of the back-off between attempts to reach the catalog.
        per_asset_metrics: Export per-asset gauges (one series per asset; off by default because
            label cardinality grows with the estate).
        per_asset_metrics_limit: Assets exported per connector at most when ``per_asset_metrics`` is on.
        ledger_verify_interval_s: How often the deletion ledger's hash chain is verified (also once at
            start), so ``pi_scanner_ledger_verify_ok`` is never stale or merely unset.
        jobs: Scheduled jobs.
    """

    metrics_port: int = Field(9464, ge=0, le=65535)
    bind_address: str = Field(default_factory=lambda: os.environ.get(BIND_ADDRESS_ENV) or "127.0.0.1")
    shutdown_deadline_s: float = Field(30.0, gt=0)
    lease_ttl_s: float = Field(60.0, ge=1)
    misfire_grace_s: float = Field(300.0, ge=1)
    max_concurrent_jobs: int = Field(2, ge=1, le=32)
    timezone: str = "Asia/Shanghai"
    catalog_retry_max_s: float = Field(30.0, ge=0.1)
    per_asset_metrics: bool = False
    per_asset_metrics_limit: int = Field(200, ge=1, le=10_000)
    ledger_verify_interval_s: float = Field(3600.0, ge=1)
    jobs: list[JobConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> DaemonConfig:
        seen: set[str] = set()
        for job in self.jobs:
            if job.name in seen:
                raise ValueError(f"job name {job.name!r} is used twice")
            seen.add(job.name)
        return self

    def job(self, name: str) -> JobConfig:
        """Return the job called ``name``.

        Raises:
            ConfigError: No job has that name.
        """
        for job in self.jobs:
            if job.name == name:
                return job
        known = ", ".join(j.name for j in self.jobs) or "none"
        raise ConfigError(f"no job named {name!r} in the daemon configuration (known: {known})")


def parse_daemon_config(data: dict[str, Any] | None, source: str = "<config>") -> DaemonConfig:
    """Validate the ``daemon:`` mapping of a settings file.

    Args:
        data: The raw mapping (``Settings.daemon``).
        source: Name of the file, for messages.

    Raises:
        ConfigError: With the dotted path of every invalid key.
    """
    try:
        return DaemonConfig.model_validate(data or {})
    except ValidationError as exc:
        lines = [f"{source}: invalid daemon configuration"]
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            lines.append(f"  at daemon.{loc or '<root>'}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from None
