"""Our own reads, recorded (Provisions Art. 15): who read which assets, how much, and why.

pi-scanner reads children's personal information to find it; that access must be as traceable as anyone
else's. After every scan, :func:`record_scan_reads` appends one ``scan.read`` entry per asset to the
hash-chained audit ledger: the asset, the rows (or records) examined, the bytes read where known, the store
identity used (database user or access key id, never a secret) and the reason (trigger, user, free text).
All entries of a scan are written in one catalog transaction, so a scan is either fully recorded or not
at all.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pi_scanner.config import AnyConnectorConfig, S3ConnectorConfig, Settings, SqlConnectorConfig

if TYPE_CHECKING:
    from pi_scanner.retention.ledger import Ledger, LedgerEntry
    from pi_scanner.scanner import ScanOutcome

#: Ledger action of a read.
ACTION = "scan.read"
#: Basis recorded with each read: Art. 15 requires access to children's PI to be recorded.
BASIS = "P 15"
_MAX_REASON = 200


@dataclass(frozen=True)
class ReadReason:
    """Why a scan read what it read.

    Attributes:
        trigger: ``on-demand``, ``scheduled:<job>`` or ``subject-request:<id>``.
        user: Who asked (``$USER`` for on-demand scans, ``daemon`` for scheduled ones).
        reason: Free text from ``--reason`` (truncated; must not hold PI).
    """

    trigger: str = "on-demand"
    user: str = ""
    reason: str = ""

    @classmethod
    def on_demand(cls, reason: str | None = None, trigger: str = "on-demand") -> ReadReason:
        """The reason of a command-line scan: the OS user and ``--reason``."""
        user = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
        if not user:
            try:
                user = getpass.getuser()
            except (KeyError, OSError):
                user = str(os.getuid())
        return cls(trigger=trigger, user=user, reason=(reason or "")[:_MAX_REASON])


def store_identity(cfg: AnyConnectorConfig) -> str:
    """The identity a connector reads with: ``db user@host/db``, an access key id, or the OS user.

    Never a password or secret key: only names that appear in the store's own access logs.
    """
    if isinstance(cfg, SqlConnectorConfig):
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(cfg.read_replica_url or cfg.url)
        except (ArgumentError, ValueError):
            return "sql:unparseable-url"
        if url.get_backend_name() == "sqlite":
            return f"sqlite:file-owner:{_os_user()}"
        return f"{url.get_backend_name()}:{url.username or '(default user)'}@{url.host or 'local'}/{url.database or ''}"
    if isinstance(cfg, S3ConnectorConfig):
        if cfg.access_key_id:
            return f"s3:access-key:{cfg.access_key_id}"
        if cfg.profile:
            return f"s3:profile:{cfg.profile}"
        env_key = os.environ.get("AWS_ACCESS_KEY_ID")
        return f"s3:access-key:{env_key}" if env_key else "s3:provider-chain"
    return f"{getattr(cfg, 'type', 'store')}:os-user:{_os_user()}"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def record_scan_reads(
    ledger: Ledger,
    outcome: ScanOutcome,
    identity: dict[str, str] | Settings,
    reason: ReadReason,
) -> list[LedgerEntry]:
    """Append one ``scan.read`` ledger entry per asset the scan read (or tried to read).

    Args:
        ledger: The catalog's audit ledger.
        outcome: What :func:`pi_scanner.scanner.run_scan` returned.
        identity: Connector name to store identity, or the settings to derive it from
            (:func:`store_identity`).
        reason: Why the scan ran.

    Returns:
        The entries written (in order).
    """
    identities = (
        {name: store_identity(cfg) for name, cfg in identity.connectors.items()}
        if isinstance(identity, Settings) else dict(identity)
    )
    run = outcome.run
    bytes_by_asset: dict[str, int] = dict(getattr(outcome, "bytes_by_asset", {}) or {})
    rows: list[dict[str, Any]] = []
    for result in run.results:
        display = result.asset.display
        if display in outcome.skipped:
            continue  # verdict reused from an earlier run: nothing was read this time
        info = outcome.infos.get(display)
        rows.append({
            "asset": display,
            "count": int(result.rows_scanned),
            "details": {
                "run_id": run.run_id,
                "connector": result.asset.connector,
                "kind": str(result.asset.kind),
                "rows": int(result.rows_scanned),
                "bytes": bytes_by_asset.get(display),
                "object_bytes": info.size_bytes if info is not None else None,
                "identity": identities.get(result.asset.connector, "unknown"),
                "trigger": reason.trigger,
                "reason": reason.reason,
                "outcome": "read",
            },
        })
    for error in run.errors:
        if error.asset is None:
            continue
        rows.append({
            "asset": error.asset.display,
            "count": 0,
            "details": {
                "run_id": run.run_id,
                "connector": error.asset.connector,
                "kind": str(error.asset.kind),
                "rows": 0,
                "identity": identities.get(error.asset.connector, "unknown"),
                "trigger": reason.trigger,
                "reason": reason.reason,
                "outcome": f"failed:{error.stage}:{error.error_type}",
            },
        })
    actor = reason.user or "unknown"
    entries: list[LedgerEntry] = []
    if not rows:
        return entries
    with ledger.catalog.engine.begin() as conn:
        for row in rows:
            entries.append(ledger.append(
                ACTION, actor=actor, policy=reason.trigger, asset=row["asset"], count=row["count"],
                basis=BASIS, details={k: v for k, v in row["details"].items() if v is not None}, conn=conn,
            ))
    return entries
