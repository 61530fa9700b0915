"""The built-in job kinds ``scan`` and ``report``, registered on import."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pi_scanner.errors import PiScannerError
from pi_scanner.job_kinds import JobContext, JobFailed, register_job_kind
from pi_scanner.logging_setup import log_event, safe_error

logger = logging.getLogger("pi_scanner.scheduler")


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
    from pi_scanner.report.formats import TEXT_FORMATS
    from pi_scanner.report.json_report import build_report

    # The newest *finished* run: a scan job may be writing a newer one right now.
    finished = [r for r in ctx.catalog.list_runs(limit=50) if r.finished_at is not None]
    if not finished:
        raise JobFailed("the catalog holds no finished scan run to report on yet")
    run_id = finished[0].run_id
    report = build_report(ctx.catalog.load_run(run_id), age_out_days=ctx.settings.classifier.age_out_window_days)
    out = Path(ctx.job.output or ".")
    out.mkdir(parents=True, exist_ok=True)
    for fmt in TEXT_FORMATS.values():
        text = fmt.render(report)
        for name in (f"report-{run_id}.{fmt.extension}", f"latest.{fmt.extension}"):
            tmp = out / f".{name}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(out / name)
    log_event(logger, "report.written", job=ctx.job.name, run_id=run_id, folder=str(out))


register_job_kind("scan", _scan_job)
register_job_kind("report", _report_job)
