"""Coverage: what a scan read of each asset, what it did not, and why.

A compliance scanner's worst answer is a clean one over data it never read. Every verdict therefore
carries a :class:`~pi_scanner.models.Coverage` (rows, bytes, columns and cells read; limits hit with the
count of what each left out; or why the asset was not read at all), and an asset where a limit may hide a
column or part of a value is ``unknown``, never ``none``. The report sums it all up in ``coverage``.

Only counts, limit names and fixed reasons live here: never a value.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import (
    COVERAGE_LIMITS,
    LIMITS_HIDING_COLUMNS,
    SKIP_REASONS,
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    Coverage,
    Sample,
)

#: Note on a verdict made ``unknown`` (or kept) although a limit hid part of the asset: ``limit:<name>``.
LIMIT_NOTE = "limit:"
#: Note on a verdict of an asset that was not read at all: ``not_read:<reason>``.
NOT_READ_NOTE = "not_read:"
#: Reason of an asset whose read failed with an error (it has no verdict, only errors).
ERROR_REASON = "error"
#: Every value a metric label for a limit or a reason can take (bounded cardinality).
LABELS = frozenset({*COVERAGE_LIMITS, *SKIP_REASONS, ERROR_REASON, "other"})
#: Reasons and limits that say the store or the file is broken (a file the scanning user may not read, a
#: gzip stream cut short, members of a group deleted or denied between listing and reading), not that a
#: configured cap was reached: the answer is incomplete, so the run is ``partial`` and ``scan`` exits 3.
FAULT_REASONS = frozenset({"permission"})
FAULT_LIMITS = frozenset({"damaged", "unreadable_objects"})


def coverage_of(sample: Sample, info: AssetInfo) -> Coverage:
    """What one sample read of its asset.

    Args:
        sample: The sample as the connector returned it (its ``limits`` say which caps it hit).
        info: The asset as discovered (sizes, columns known before reading).
    """
    limits = dict(sample.limits)
    columns_read = len(sample.columns)
    if sample.columns_total is not None:
        columns_total: int | None = sample.columns_total
    elif info.columns:
        columns_total = max(len(info.columns), columns_read)
    else:
        columns_total = columns_read + limits.get("columns", 0)
    bytes_total = info.size_bytes
    if "object_size" in limits and bytes_total is not None and _single(info):
        # The reader only knows it stopped at the cap; the asset's size says how much it left.
        limits["object_size"] = max(1, bytes_total - sample.bytes_read)
    rows = len(sample.rows)
    return Coverage(
        rows_read=rows,
        rows_total=len(sample.rows) if sample.complete else sample.row_count_estimate,
        bytes_read=sample.bytes_read,
        bytes_total=bytes_total,
        columns_read=columns_read,
        columns_total=columns_total,
        cells_read=rows * columns_read,
        cells_partly_read=limits.get("cell_size", 0),
        limits=tuple(sorted(limits.items())),
    )


def _single(info: AssetInfo) -> bool:
    """One file or object (a key-pattern group's unread members are sampling, not a limit)."""
    return info.ref.kind is AssetKind.FILE or int(info.meta.get("objects", 1) or 1) == 1


def apply_coverage(result: AssetResult, coverage: Coverage) -> AssetResult:
    """Attach ``coverage`` to a verdict; ``none`` becomes ``unknown`` when a limit may hide PI.

    Every limit that can hide a column or a value's middle is named in the notes (``limit:columns``),
    whatever the verdict, so the reason survives in the catalog.
    """
    hiding = [name for name, _ in coverage.limits if name in LIMITS_HIDING_COLUMNS]
    status = result.child_status
    if hiding and status is ChildStatus.NONE:
        status = ChildStatus.UNKNOWN
    notes = tuple(dict.fromkeys((*result.notes, *(LIMIT_NOTE + name for name in hiding))))
    return dataclasses.replace(result, child_status=status, notes=notes, coverage=coverage)


def not_read_result(asset: AssetRef, reason: str, detail: str) -> AssetResult:
    """The verdict of an asset deliberately not read: ``unknown``, with why.

    Args:
        asset: The asset.
        reason: One of :data:`~pi_scanner.models.SKIP_REASONS`, or the limit that refused it.
        detail: A value-free sentence.
    """
    limits = ((reason, 1),) if reason in COVERAGE_LIMITS else ()
    coverage = Coverage(limits=limits, not_read=reason, detail=detail[:300])
    return AssetResult(asset, (), ChildStatus.UNKNOWN, 0, AgeCounts(), (NOT_READ_NOTE + reason,), coverage=coverage)


def faulty(coverage: Coverage | None) -> bool:
    """Whether a store or file fault (not a configured cap) left part of the asset unread."""
    if coverage is None:
        return False
    return coverage.not_read in FAULT_REASONS or any(name in FAULT_LIMITS for name, _ in coverage.limits)


def _faulty_entry(cov: Mapping[str, Any]) -> bool:
    """:func:`faulty` for a report entry's ``coverage`` (also one loaded from the catalog, without counts)."""
    return cov.get("not_read") in FAULT_REASONS or any(name in FAULT_LIMITS for name in cov.get("limits") or {})


def label(name: str) -> str:
    """``name`` as a metric label value: a known limit or reason, else ``other``."""
    return name if name in LABELS else "other"


def report_entry(coverage: Coverage | None, notes: Iterable[str]) -> dict[str, Any] | None:
    """The ``coverage`` object of one asset in the JSON report (None when nothing is known).

    A verdict loaded from the catalog has no counts; its notes still say which limits it hit.
    """
    if coverage is None:
        limits = {n[len(LIMIT_NOTE):]: None for n in notes if n.startswith(LIMIT_NOTE)}
        reasons = [n[len(NOT_READ_NOTE):] for n in notes if n.startswith(NOT_READ_NOTE)]
        if not limits and not reasons:
            return None
        out: dict[str, Any] = {"limits": limits}
        if reasons:
            out["not_read"] = reasons[0]
        return out
    entry: dict[str, Any] = {
        "rows_read": coverage.rows_read,
        "rows_total": coverage.rows_total,
        "bytes_read": coverage.bytes_read,
        "bytes_total": coverage.bytes_total,
        "columns_read": coverage.columns_read,
        "columns_total": coverage.columns_total,
        "cells_read": coverage.cells_read,
        "cells_partly_read": coverage.cells_partly_read,
        "limits": dict(coverage.limits),
    }
    if coverage.not_read:
        entry["not_read"] = coverage.not_read
        entry["detail"] = coverage.detail
    return entry


def summary(assets: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The report-level ``coverage``: how much of the estate was read, and what was not, by reason.

    Args:
        assets: The report's asset entries (each with an optional ``coverage`` and its ``errors``).
    """
    limits: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    full = partly = not_read = faults = 0
    rows = cells = partial_cells = 0
    bytes_read = 0
    for a in assets:
        cov = a.get("coverage") or {}
        faults += _faulty_entry(cov)
        if a.get("errors") and not a.get("columns") and not cov.get("rows_read"):
            not_read += 1
            reasons[cov.get("not_read") or ERROR_REASON] += 1
            continue
        if cov.get("not_read"):
            not_read += 1
            reasons[cov["not_read"]] += 1
            continue
        hit = cov.get("limits") or {}
        for name, count in hit.items():
            limits[name] += count if isinstance(count, int) else 1
        if hit or a.get("errors"):
            partly += 1
        else:
            full += 1
        rows += int(cov.get("rows_read") or 0)
        cells += int(cov.get("cells_read") or 0)
        partial_cells += int(cov.get("cells_partly_read") or 0)
        bytes_read += int(cov.get("bytes_read") or 0)
    return {
        "assets": len(assets),
        "assets_fully_read": full,
        "assets_partly_read": partly,
        "assets_not_read": not_read,
        "assets_faulty": faults,
        "limits": dict(sorted(limits.items())),
        "not_read": dict(sorted(reasons.items())),
        "rows_read": rows,
        "bytes_read": bytes_read,
        "cells_read": cells,
        "cells_partly_read": partial_cells,
    }


def run_summary(results: Sequence[AssetResult], errors: Sequence[AssetError]) -> dict[str, Any]:
    """The run's :func:`summary`, from its verdicts and errors (what the catalog keeps with the run).

    An asset with errors but no verdict counts as not read (``error``), as in the report.
    """
    by_asset: dict[str, list[AssetError]] = {}
    for err in errors:
        if err.asset is not None:
            by_asset.setdefault(err.asset.display, []).append(err)
    entries: list[dict[str, Any]] = []
    for r in results:
        entries.append({"coverage": report_entry(r.coverage, r.notes) or {},
                        "errors": by_asset.pop(r.asset.display, []), "columns": r.columns})
    entries.extend({"coverage": {"not_read": ERROR_REASON}, "errors": errs} for errs in by_asset.values())
    return summary(entries)


def summary_line(cov: Mapping[str, Any]) -> str:
    """One line for the terminal: ``coverage: 10 assets fully read, 2 partly (columns 8000), 1 not read (...)``."""
    def _counts(d: Mapping[str, Any]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items())

    line = f"coverage: {cov['assets_fully_read']} of {cov['assets']} assets fully read"
    if cov["assets_partly_read"]:
        line += f", {cov['assets_partly_read']} partly read"
        if cov["limits"]:
            line += f" (limits hit: {_counts(cov['limits'])})"
    if cov["assets_not_read"]:
        line += f", {cov['assets_not_read']} not read ({_counts(cov['not_read'])})"
    if cov.get("assets_faulty"):
        line += f"; {cov['assets_faulty']} cut short by a store or file fault: the answer is incomplete"
    return line


def gaps(assets: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], str]]:
    """Assets not fully read, each with a value-free sentence saying what was left out and why."""
    out: list[tuple[Mapping[str, Any], str]] = []
    for a in assets:
        cov = a.get("coverage") or {}
        if cov.get("not_read"):
            out.append((a, f"not read ({cov['not_read']}): {cov.get('detail') or ''}".rstrip(": ")))
        elif a.get("errors") and not a.get("columns") and not cov.get("rows_read"):
            out.append((a, f"not read ({ERROR_REASON}): {a['errors'][0]['type']}"))
        elif cov.get("limits"):
            parts = [f"{k}: {v} left out" if isinstance(v, int) else k for k, v in cov["limits"].items()]
            out.append((a, "partly read, limits hit: " + "; ".join(parts)))
    return out
