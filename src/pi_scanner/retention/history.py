"""Over-retention history: the figures a scan's retention report computed, kept per run for the trend.

A scan with retention policies reports, per policy and asset, how many records are past their retention
period (Art. 12). Those figures are a measurement, not an action, so they are kept in their own catalog
table rather than in the audit ledger; the compliance report and the annual pack read them back as one
point per run. Counts and names only: no key, no value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.retention.tables import retention_history


def record_over_retention(
    catalog: Catalog, run_id: str, as_of: dt.date, findings: Iterable[Mapping[str, Any]]
) -> int:
    """Store a run's over-retained figures, replacing what was stored for that run before.

    Args:
        catalog: A catalog migrated to ``0005_retention_history`` or later.
        run_id: The scan run the report belongs to.
        as_of: The report's reference date.
        findings: One mapping per policy and asset with ``policy``, ``asset``, ``expired`` and
            ``children`` (as :class:`~pi_scanner.retention.planner.AssetReport` has them); assets that
            could not be evaluated (``error`` set) are left out rather than counted as zero.

    Returns:
        Rows stored.
    """
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "run_id": run_id,
            "as_of": as_of,
            "policy": str(f["policy"]),
            "asset": str(f["asset"]),
            "expired": int(f.get("expired") or 0),
            "children": None if f.get("children") is None else int(f["children"]),
            "recorded_at": now,
        }
        for f in findings
        if not f.get("error")
    ]
    with catalog.engine.begin() as conn:
        # A report recomputed for the same run replaces the earlier figures instead of doubling them.
        conn.execute(retention_history.delete().where(retention_history.c.run_id == run_id))
        if rows:
            conn.execute(retention_history.insert(), rows)
    return len(rows)


def over_retention_by_run(catalog: Catalog, run_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """Totals per run: ``{"over_retained": expired records, "children_over_retained": of them children's}``.

    Runs whose scan computed no retention report are absent (the chart must not draw them as zero).
    """
    if not run_ids:
        return {}
    h = retention_history.c
    query = (
        sa.select(h.run_id, sa.func.sum(h.expired), sa.func.sum(sa.func.coalesce(h.children, 0)),
                  sa.func.count())
        .where(h.run_id.in_(list(run_ids)))
        .group_by(h.run_id)
    )
    with catalog.engine.connect() as conn:
        return {
            str(run_id): {"over_retained": int(expired or 0), "children_over_retained": int(children or 0)}
            for run_id, expired, children, _ in conn.execute(query)
        }


def add_over_retention(catalog: Catalog, points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``over_retained`` and ``children_over_retained`` to history points that carry a ``run_id``.

    Args:
        catalog: The catalog.
        points: History points (``{"as_of", "run_id", ...}``), changed in place.

    Returns:
        ``points``.
    """
    totals = over_retention_by_run(catalog, [p["run_id"] for p in points if p.get("run_id")])
    for point in points:
        point.update(totals.get(str(point.get("run_id")), {}))
    return points
