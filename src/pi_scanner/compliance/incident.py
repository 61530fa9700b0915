"""Art. 21: the blast radius of a leak, from the catalog, in seconds and in counts only.

Given the leaked assets (globs over ``connector:schema/table`` names), the newest scan run on or before
``as_of`` says how many children's and 14–17 year olds' records they hold, which identifier types were
in them, and how many guardians can be told: the non-empty values of guardian-role phone, e-mail and
address columns (the largest such column per channel and asset, so two phone columns of one guardian
are not counted twice). Counts cover the records the scan examined; ``complete`` says whether that was
every record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pi_scanner.catalog.store import Catalog
from pi_scanner.compliance.config import asset_matches
from pi_scanner.compliance.evidence import pi_columns
from pi_scanner.config import Settings
from pi_scanner.errors import UsageError

#: Guardian contact channel of each entity type.
CHANNELS = {"CN_MOBILE": "phone", "CN_LANDLINE": "phone", "EMAIL_ADDRESS": "email", "CN_ADDRESS": "post"}


@dataclass
class IncidentImpact:
    """What a leak of some assets touches. Counts and names only.

    Attributes:
        run_id: The scan run the figures come from.
        run_as_of: That run's reference date.
        assets: Matched assets with their counts.
        children: Child and likely-child records.
        minors_14_17: Records of 14–17 year olds.
        identifier_types: Entity types present → assets holding them.
        guardians_reachable: Channel (``phone``, ``email``, ``post``) → guardians reachable.
        unmatched_globs: Globs that matched no asset of the run.
    """

    run_id: str
    run_as_of: dt.date
    assets: list[dict[str, Any]] = field(default_factory=list)
    children: int = 0
    minors_14_17: int = 0
    identifier_types: dict[str, int] = field(default_factory=dict)
    guardians_reachable: dict[str, int] = field(default_factory=lambda: {"phone": 0, "email": 0, "post": 0})
    unmatched_globs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report form."""
        return {
            "run_id": self.run_id,
            "run_as_of": self.run_as_of.isoformat(),
            "children": self.children,
            "minors_14_17": self.minors_14_17,
            "identifier_types": dict(sorted(self.identifier_types.items())),
            "guardians_reachable": dict(self.guardians_reachable),
            "assets": self.assets,
            "unmatched_globs": self.unmatched_globs,
        }


def run_for(catalog: Catalog, as_of: dt.date) -> str:
    """The newest finished (or partial) run whose reference date is on or before ``as_of``.

    Raises:
        UsageError: No such run.
    """
    for summary in catalog.list_runs(limit=10_000):
        if summary.as_of <= as_of and summary.status in ("ok", "partial"):
            return summary.run_id
    raise UsageError(f"the catalog holds no finished scan run on or before {as_of.isoformat()}")


def incident_impact(
    assets: Sequence[str], catalog: Catalog, settings: Settings, as_of: dt.date
) -> IncidentImpact:
    """Count what a leak of ``assets`` exposes.

    Args:
        assets: Globs over asset display names (``crm:public/students``, ``exports:*``, ``crm``).
        catalog: The catalog to read.
        settings: The configuration (kept for symmetry with the other checks; connectors named in
            globs need not be configured any more, a decommissioned store still has its history).
        as_of: Use the newest run on or before this date.

    Raises:
        UsageError: No glob given or no usable run.
    """
    del settings  # the catalog alone answers; see Args
    if not assets:
        raise UsageError("name at least one leaked asset (--asset)")
    run = catalog.load_run(run_for(catalog, as_of))
    impact = IncidentImpact(run.run_id, run.as_of)
    used = set()
    for r in run.results:
        hits = [g for g in assets if asset_matches(g, r.asset.display)]
        if not hits:
            continue
        used.update(hits)
        types = sorted({e for c in pi_columns(r) for e in c.entity_types})
        channels: dict[str, int] = {}
        for col in pi_columns(r):
            if col.subject_role != "guardian":
                continue
            for entity in col.entity_types[:1]:
                ch = CHANNELS.get(entity)
                if ch is not None:
                    channels[ch] = max(channels.get(ch, 0), col.sampled)
        children = r.ages.child + r.ages.likely_child
        impact.children += children
        impact.minors_14_17 += r.ages.minor_14_17
        for t in types:
            impact.identifier_types[t] = impact.identifier_types.get(t, 0) + 1
        for ch, n in channels.items():
            impact.guardians_reachable[ch] += n
        impact.assets.append(
            {
                "asset": r.asset.display,
                "children": children,
                "minors_14_17": r.ages.minor_14_17,
                "records_examined": r.rows_scanned,
                "identifier_types": types,
                "guardians_reachable": channels,
            }
        )
    impact.assets.sort(key=lambda a: (-a["children"], a["asset"]))
    impact.unmatched_globs = [g for g in assets if g not in used]
    return impact
