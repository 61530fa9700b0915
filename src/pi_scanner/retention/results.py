"""What planning and applying a retention plan produce.

Shared by the planner, the enforcer and the object-store path, and kept here below all three so that
none of them imports another in a circle.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pi_scanner.config import Settings
    from pi_scanner.retention.policy import RetentionPolicy


@dataclass
class AssetReport:
    """Over-retention of one asset under one policy (counts only, no values).

    Attributes:
        policy: The winning policy.
        asset: ``connector:schema/table``.
        connector: Connector name.
        path: Asset path.
        anchor: Anchor column.
        cutoff: UTC instant; records anchored before it are over-retained.
        expired: Records past expiry (before holds and scope).
        oldest: The oldest anchor among them (ISO), or None.
        children: Of the expired, how many are children's (child/likely_child); None when not evaluated.
        candidates: Records the policy acts on (scope applied, holds subtracted).
        held: Records excluded by legal holds.
        superseded: Other policies covering this asset with a longer max_age (shortest wins).
        error: Why the asset could not be evaluated, or ``""``.
        linked: Tables linked to the rows acted on (``scope: child_records`` or ``cascade``), each with its
            count of linked rows, the links and whether the plan deletes them (:mod:`.linked`).
        unconfirmed_links: Links below the confidence threshold from those tables, with the rows they reach.
        linked_note: Why linked tables were not evaluated, or ``""``.
    """

    policy: str
    asset: str
    connector: str
    path: list[str]
    anchor: str
    cutoff: str
    expired: int = 0
    oldest: str | None = None
    children: int | None = None
    candidates: int = 0
    held: int = 0
    superseded: list[str] = field(default_factory=list)
    error: str = ""
    linked: list[dict[str, Any]] = field(default_factory=list)
    unconfirmed_links: list[dict[str, Any]] = field(default_factory=list)
    linked_note: str = ""


@dataclass
class ItemResult:
    """What happened to one plan item.

    Attributes:
        item_id: The item.
        policy: Its policy.
        asset: Its asset.
        status: ``done``, ``dry_run``, ``skipped`` (report-only policy), ``refused``, ``capped`` or ``failed``.
        planned: Keys in the plan.
        affected: Records deleted or anonymised (dry run: that would be).
        batches: Batches executed in this run.
        resumed_batches: Batches skipped because a previous run finished them.
        cascaded: Rows deleted from dependant tables, per table.
        dependants: Tables referencing this one.
        residual: Over-retained records left after the run (None when not checked).
        locked: Object versions kept because Object Lock protects them (never bypassed).
        message: Why it was skipped, refused or failed.
        batch_seconds: Wall time spent in the batches themselves (checkpoints, statements, ledger), not
            in the checks around them (reflection, dependants, the residual count).
    """

    item_id: int
    policy: str
    asset: str
    status: str
    planned: int
    affected: int = 0
    batches: int = 0
    resumed_batches: int = 0
    cascaded: dict[str, int] = field(default_factory=dict)
    dependants: list[str] = field(default_factory=list)
    residual: int | None = None
    locked: int = 0
    message: str = ""
    batch_seconds: float = 0.0


@dataclass
class ApplyResult:
    """Outcome of :func:`apply_plan`.

    Attributes:
        plan_id: The plan.
        dry_run: Nothing was written.
        items: One result per item reached.
        cap_breached: A ``max_deletes_per_run`` cap stopped the run.
    """

    plan_id: str
    dry_run: bool
    items: list[ItemResult]
    cap_breached: bool = False

    @property
    def ok(self) -> bool:
        """No cap breach and no refused or failed item."""
        return not self.cap_breached and all(i.status not in ("refused", "failed") for i in self.items)

    def to_json(self) -> dict[str, Any]:
        """JSON form (no values)."""
        return {
            "plan_id": self.plan_id,
            "dry_run": self.dry_run,
            "cap_breached": self.cap_breached,
            "ok": self.ok,
            "items": [asdict(i) for i in self.items],
        }


def batch_hash(keys: list[Any]) -> str:
    """SHA-256 of a batch's keys in plan order: what the progress table and the ledger record of a batch."""
    canon = json.dumps(keys, sort_keys=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class BatchRecorder(Protocol):
    """What the object-store path needs from the enforcer: settings, and the resumable batch bookkeeping."""

    settings: Settings

    def _done_batches(self, item_id: int) -> dict[int, str]: ...

    def _mark_started(self, item_id: int, index: int, keys_hash: str) -> None: ...

    def _finish_batch(
        self, item: dict[str, Any], policy: RetentionPolicy, res: ItemResult, index: int, batch: list[Any],
        n: int, cascaded: dict[str, int], resumed: bool,
    ) -> None: ...
