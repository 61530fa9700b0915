"""Daemon job kinds for retention: ``retention_report`` and ``retention_enforce``.

Importing this module registers both kinds with the scheduler's registry; the daemon finds it through
the ``pi_scanner.job_kinds`` entry points, so the scheduler never imports retention code itself.

* ``retention_report`` counts over-retained records per policy and sets
  ``pi_scanner_over_retained_records``; it also verifies the ledger (``pi_scanner_ledger_*``).
* ``retention_enforce`` plans and applies, in one run, the policies with ``enforce: true`` only
  (report-only policies are never planned by a job), counts deletions per policy, refreshes the
  over-retention gauge from a fresh report, and fails the run when an item was refused, failed, hit a
  safety cap or left residual records.

Job ``options``: ``policies`` (a list of policy names; default every policy). Nothing from the stores
reaches the logs: counts, policy names and asset names only.
"""

from __future__ import annotations

import logging
from typing import Any

from pi_scanner.config import Settings
from pi_scanner.job_kinds import JobContext, JobFailed, register_job_kind
from pi_scanner.keys import load_hmac_key
from pi_scanner.logging_setup import log_event
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import build_plan, over_retained_report
from pi_scanner.retention.policy import parse_policies

logger = logging.getLogger(__name__)


def _settings_for(ctx: JobContext, enforced_only: bool) -> Settings:
    """The settings with only the job's policies (and, for enforcement, only ``enforce: true`` ones).

    Raises:
        JobFailed: ``options.policies`` names a policy that is not configured.
    """
    wanted: Any = ctx.job.options.get("policies")
    policies = parse_policies(ctx.settings.retention)
    names = {p.name for p in policies}
    if wanted is not None:
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            raise JobFailed(f"job {ctx.job.name!r}: options.policies must be a list of policy names")
        missing = sorted(set(wanted) - names)
        if missing:
            raise JobFailed(f"job {ctx.job.name!r}: unknown retention policies {', '.join(missing)}")
    keep = [
        raw for raw, p in zip(ctx.settings.retention, policies, strict=True)
        if (wanted is None or p.name in wanted) and (p.enforce or not enforced_only)
    ]
    return ctx.settings.model_copy(update={"retention": keep})


def _report(ctx: JobContext, settings: Settings, key: bytes) -> tuple[dict[str, int], list[str], int]:
    """Over-retained records per policy, the errors, and how many assets were evaluated."""
    reports, errors = over_retained_report(settings, ctx.catalog, ctx.as_of, key)
    counts = {p.name: 0 for p in parse_policies(settings.retention)}
    for r in reports:
        counts[r.policy] = counts.get(r.policy, 0) + r.candidates
    return counts, errors, sum(1 for r in reports if not r.error)


def _ledger(ctx: JobContext, key: bytes) -> bool:
    result = Ledger(ctx.catalog, key).verify()
    ctx.metrics.set_ledger(result.entries, result.ok)
    return result.ok


def retention_report_job(ctx: JobContext) -> None:
    """``retention_report``: set the over-retained gauge per policy and verify the ledger.

    Raises:
        JobFailed: No policy could be evaluated, or the ledger's chain is broken.
    """
    settings = _settings_for(ctx, enforced_only=False)
    key = load_hmac_key(settings.catalog)
    counts, errors, evaluated = _report(ctx, settings, key)
    ctx.metrics.set_over_retained(counts)
    intact = _ledger(ctx, key)
    log_event(logger, "retention.report", job=ctx.job.name, policies=len(counts),
              over_retained=sum(counts.values()), errors=len(errors), ledger_ok=intact)
    if errors and not evaluated:
        raise JobFailed(f"job {ctx.job.name!r}: no retention policy could be evaluated ({errors[0]})")
    if not intact:
        raise JobFailed("the retention ledger failed verification")


def retention_enforce_job(ctx: JobContext) -> None:
    """``retention_enforce``: plan and apply the enforced policies, then refresh the gauges.

    Raises:
        JobFailed: An item was refused or failed, a cap stopped the run, or records remain.
    """
    settings = _settings_for(ctx, enforced_only=True)
    key = load_hmac_key(settings.catalog)
    if not settings.retention:
        log_event(logger, "retention.enforce", job=ctx.job.name, items=0, deleted=0, note="no enforced policy")
        return
    plan = build_plan(settings, ctx.catalog, ctx.as_of, key)
    result = apply_plan(plan, settings, ctx.catalog, hmac_key=key, actor=f"daemon:{ctx.job.name}")
    deleted: dict[str, int] = {}
    for item in result.items:
        if item.status == "done":
            ctx.metrics.record_deletions(item.policy, item.affected)
            deleted[item.policy] = deleted.get(item.policy, 0) + item.affected
    counts, _, _ = _report(ctx, _settings_for(ctx, enforced_only=False), key)
    ctx.metrics.set_over_retained(counts)
    intact = _ledger(ctx, key)
    bad = [i for i in result.items if i.status in ("refused", "failed")]
    residual = sum(i.residual or 0 for i in result.items)
    log_event(logger, "retention.enforce", job=ctx.job.name, plan_id=plan.plan_id, items=len(result.items),
              deleted=sum(deleted.values()), refused_or_failed=len(bad), residual=residual,
              cap_breached=result.cap_breached, plan_errors=len(plan.errors), ledger_ok=intact)
    if bad or result.cap_breached or residual or plan.errors or not intact:
        reasons = [f"{len(bad)} item(s) refused or failed"] if bad else []
        reasons += ["a max_deletes_per_run cap stopped the run"] if result.cap_breached else []
        reasons += [f"{residual} record(s) remain"] if residual else []
        reasons += [f"{len(plan.errors)} planning error(s)"] if plan.errors else []
        reasons += ["the ledger failed verification"] if not intact else []
        raise JobFailed(f"job {ctx.job.name!r}: " + "; ".join(reasons))


register_job_kind("retention_report", retention_report_job)
register_job_kind("retention_enforce", retention_enforce_job)
