"""Shared helpers for the compliance checks: which results hold children's PI, posture keys, rows.

Object-store posture comes from the S3 connector's discovery (``AssetInfo.meta["posture"]``, the form
of :meth:`pi_scanner.connectors.posture.BucketPosture.as_meta`). A missing or ``"unknown"`` value
means unknown, never "safe".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pi_scanner.connectors.posture import posture_encrypted_at_rest
from pi_scanner.models import AssetResult, ChildStatus, ColumnFinding

#: Asset statuses that mean the asset holds children's (under 14) PI.
CHILD_STATUSES = frozenset({ChildStatus.CHILD, ChildStatus.LIKELY_CHILD})
#: Asset statuses that mean the asset holds minors' PI of any age.
MINOR_STATUSES = CHILD_STATUSES | {ChildStatus.MINOR_14_17}

PASS = "pass"  # noqa: S105 - a check status, not a password
FAIL = "fail"
UNKNOWN = "unknown"


def holds_children(result: AssetResult) -> bool:
    """The asset holds children's PI (by asset verdict or by counted child records)."""
    return result.child_status in CHILD_STATUSES or result.ages.child + result.ages.likely_child > 0


def children_records(result: AssetResult) -> int:
    """Records counted as a child's or a likely child's."""
    return result.ages.child + result.ages.likely_child


def pi_columns(result: AssetResult) -> list[ColumnFinding]:
    """Columns whose values confirmed PI (not only suggested by the name)."""
    return [c for c in result.columns if c.entity_types and not c.suspected]


def posture_encrypted(posture: Mapping[str, Any] | None) -> bool | None:
    """Whether a bucket's objects are encrypted at rest: True, False or None (not known).

    Reads the S3 connector's posture (:meth:`~pi_scanner.connectors.posture.BucketPosture.as_meta`):
    the objects read decide when there are any, else the bucket default (``encryption``).
    """
    if not posture:
        return None
    return posture_encrypted_at_rest(posture)


def posture_public(posture: Mapping[str, Any] | None) -> bool | None:
    """Whether anyone on the internet can read the bucket: True, False or None (``"unknown"``)."""
    if not posture:
        return None
    value = posture.get("public")
    return value if isinstance(value, bool) else None


def posture_logging(posture: Mapping[str, Any] | None) -> bool | None:
    """Whether server access logging is on for the bucket: True, False or None (``"unknown"``)."""
    if not posture:
        return None
    value = posture.get("access_logging")
    if isinstance(value, bool):
        return value
    return {"enabled": True, "disabled": False}.get(str(value))


@dataclass(frozen=True)
class CheckResult:
    """One check on one asset, as it appears in the report's per-asset ``checks`` list.

    Attributes:
        check: Short name (``encryption``, ``access``, ``consent`` ...).
        articles: Articles of the 2019 Provisions the check evidences.
        status: ``pass``, ``fail`` or ``unknown``.
        evidence: Names, counts, flags and HMACs only (never values).
    """

    check: str
    articles: tuple[int, ...]
    status: str
    evidence: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The report form."""
        return {
            "check": self.check,
            "articles": list(self.articles),
            "status": self.status,
            "evidence": self.evidence,
        }
