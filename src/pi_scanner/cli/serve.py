"""Command-line entry points of the daemon: ``serve``, ``jobs list`` and ``jobs run NAME``.

Mounted by :mod:`pi_scanner.cli`::

    from pi_scanner.cli.serve import jobs_app, serve
    app.command("serve")(serve)
    app.add_typer(jobs_app, name="jobs")
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.exc import SQLAlchemyError

from pi_scanner.cli.options import fail
from pi_scanner.daemon_config import DaemonConfig
from pi_scanner.errors import ConfigError, PiScannerError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3

jobs_app = typer.Typer(help="Scheduled jobs of the daemon.", no_args_is_help=True)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="YAML configuration file.")]


class LogFormatChoice(StrEnum):
    """Log formats of ``serve``."""

    auto = "auto"
    json = "json"
    text = "text"


def serve(
    config: ConfigOption,
    log_format: Annotated[
        LogFormatChoice, typer.Option("--log-format", help="JSON lines (default when not a TTY) or text.")
    ] = LogFormatChoice.auto,
) -> None:
    """Run the daemon: scheduled jobs, /metrics, /healthz and /readyz, until SIGTERM."""
    from pi_scanner.daemon import serve as run_daemon

    raise typer.Exit(run_daemon(config, log_format=log_format.value))


def serve_command(config: Path, log_format: str = "auto") -> int:
    """Run the daemon without typer (for embedding); returns the exit code."""
    from pi_scanner.daemon import serve as run_daemon

    fmt = LogFormatChoice(log_format).value
    return run_daemon(config, log_format=fmt)  # type: ignore[arg-type]


def _schedule_text(job: Any) -> str:
    return f"cron {job.cron}" if job.cron else f"every {job.interval_seconds:g}s"


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat(timespec="seconds")


def _job_rows(config: Path) -> tuple[list[dict[str, Any]], str | None]:
    from pi_scanner.catalog.store import Catalog
    from pi_scanner.daemon import load_config
    from pi_scanner.scheduler import LeaseManager, next_fire_time

    settings, cfg = load_config(config)
    rows = [
        {
            "name": job.name,
            "kind": job.kind,
            "schedule": _schedule_text(job),
            "enabled": job.enabled,
            "connectors": job.connectors or ["*"],
            "next_run": _iso(next_fire_time(job, cfg.timezone)) if job.enabled else None,
            "last_outcome": None,
            "last_finished": None,
            "running_on": None,
        }
        for job in cfg.jobs
    ]
    warning = None
    catalog = Catalog.from_config(settings.catalog)
    try:
        leases = LeaseManager(catalog.engine, "jobs-list", cfg.lease_ttl_s)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for row in rows:
            state = leases.state(str(row["name"]))
            if state is None:
                continue
            row["last_outcome"] = state.last_outcome
            row["last_finished"] = _iso(state.last_finished_at)
            if state.holder and state.expires_at and state.expires_at > now:
                row["running_on"] = state.holder
    except SQLAlchemyError as exc:
        # The catalog may be down or not migrated yet: the schedule is still worth showing.
        warning = f"catalog not readable ({type(exc).__name__}): last runs unknown"
    finally:
        catalog.close()
    return rows, warning


@jobs_app.command("list")
def jobs_list(
    config: ConfigOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List configured jobs: schedule, next run, last outcome and which daemon runs it now."""
    try:
        rows, warning = _job_rows(config)
    except (ConfigError, PiScannerError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    header = f"{'NAME':24} {'KIND':18} {'SCHEDULE':22} {'NEXT RUN':26} {'LAST':9} RUNNING ON"
    typer.echo(header)
    for r in rows:
        nxt = r["next_run"] or ("disabled" if not r["enabled"] else "-")
        typer.echo(
            f"{r['name']:24} {r['kind']:18} {r['schedule']:22} {nxt:26} "
            f"{r['last_outcome'] or '-':9} {r['running_on'] or '-'}"
        )


def jobs_run_now(config: Path, name: str) -> str:
    """Run one configured job now in this process, under its lease.

    Returns:
        ``success``, ``failure`` or ``skipped`` (another daemon holds the lease).

    Raises:
        ConfigError: Invalid configuration or unknown job.
        PiScannerError: The catalog cannot be reached.
    """
    from pi_scanner.catalog.store import Catalog
    from pi_scanner.daemon import load_config
    from pi_scanner.logging_setup import configure_logging
    from pi_scanner.scheduler import JobRunner, ensure_daemon_tables

    settings, cfg = load_config(config)
    job = cfg.job(name)
    configure_logging("auto")
    catalog = Catalog.from_config(settings.catalog)
    try:
        catalog.migrate()
        ensure_daemon_tables(catalog.engine)
        runner = JobRunner(settings, _with_job_enabled(cfg, name), catalog)
        return runner.run(job, slot=None, trigger="manual")
    finally:
        catalog.close()


def _with_job_enabled(cfg: DaemonConfig, name: str) -> DaemonConfig:
    # A manual run of a disabled job is an explicit request: honour it.
    jobs = [j.model_copy(update={"enabled": True}) if j.name == name else j for j in cfg.jobs]
    return cfg.model_copy(update={"jobs": jobs})


@jobs_app.command("run")
def jobs_run(
    name: Annotated[str, typer.Argument(help="Job name from daemon.jobs.")],
    config: ConfigOption,
) -> None:
    """Run one job now (exit 0 success, 1 failure, 3 skipped because another daemon runs it)."""
    try:
        outcome = jobs_run_now(config, name)
    except ConfigError as exc:
        raise fail(exc, EXIT_USAGE) from None
    except PiScannerError as exc:
        raise fail(exc, EXIT_FAILED) from None
    typer.echo(f"{name}: {outcome}")
    raise typer.Exit({"success": EXIT_OK, "skipped": EXIT_SKIPPED}.get(outcome, EXIT_FAILED))
