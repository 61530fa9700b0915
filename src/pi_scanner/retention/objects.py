"""Retention for object stores: plan items over objects anchored on ``LastModified``, and their apply.

* A policy selects objects by connector, bucket globs and key prefixes/globs (``selector.buckets``,
  ``selector.prefixes``). Each bucket becomes one plan item listing the exact keys (``action: delete``:
  ``[key]``, the current object) or the exact versions (``delete_all_versions``: ``[key, version_id]``
  for every version and delete marker of a key whose newest version is past expiry; a delete marker
  alone would keep the data).
* Object Lock is reported and respected: a locked version (legal hold, governance or compliance
  retention) is listed under ``locked`` in the plan and skipped at apply time; retention never asks the
  store to bypass governance retention. A version the store still refuses is reported, not retried.
* Apply works in ``DeleteObjects`` batches of at most 1,000 keys. Before each item the bucket is listed
  again and a key written after its cutoff (a newer version, or a rewritten object) is skipped: the
  predicate is re-checked against the store's current state. Each batch is checkpointed and recorded in
  the ledger (keyed hash of the keys, never the keys), and a residual listing after the item counts what
  is still there (locked versions excluded).

Object keys are names chosen by the bucket's writers; like table names they appear in plans and are
never written to logs or the ledger.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pi_scanner.config import S3ConnectorConfig, Settings
from pi_scanner.errors import PiScannerError, PlanError
from pi_scanner.models import AssetKind, AssetRef
from pi_scanner.registry import build_connector
from pi_scanner.retention.policy import LAST_MODIFIED, RetentionPolicy
from pi_scanner.retention.results import AssetReport, BatchRecorder, ItemResult, batch_hash

if TYPE_CHECKING:
    from pi_scanner.connectors.s3 import ObjectVersion, S3Connector

#: Most keys in one ``DeleteObjects`` request.
MAX_DELETE_BATCH = 1000


def is_object_policy(policy: RetentionPolicy) -> bool:
    """The policy selects objects (buckets/prefixes) rather than tables."""
    sel = policy.selector
    return bool(sel.buckets or sel.prefixes) and not sel.tables and policy.anchor == LAST_MODIFIED


def _literal_prefixes(prefixes: list[str]) -> list[str]:
    """Listing prefixes: each glob cut at its first wildcard; one empty prefix when none are given."""
    out: list[str] = []
    for p in prefixes or [""]:
        cut = min((p.index(ch) for ch in "*?[" if ch in p), default=len(p))
        out.append(p[:cut])
    # A prefix covered by a shorter one would list the same keys twice.
    return sorted({p for p in out if not any(q != p and p.startswith(q) for q in out)})


def open_s3(settings: Settings, name: str) -> S3Connector:
    """Build the S3 connector ``name`` of the configuration.

    Raises:
        ConfigError: It is not an S3 connector.
        MissingDependencyError: boto3 is missing.
    """
    from pi_scanner.connectors.s3 import S3Connector

    conn = build_connector(name, settings.connectors[name])
    if not isinstance(conn, S3Connector):
        conn.close()
        raise PlanError(f"retention target {name!r} is not an s3 connector")
    return conn


def _connectors(settings: Settings, policy: RetentionPolicy) -> list[str]:
    return [
        name for name, cfg in settings.connectors.items()
        if isinstance(cfg, S3ConnectorConfig) and fnmatch.fnmatchcase(name, policy.selector.connector)
    ]


def _listing(conn: S3Connector, bucket: str, policy: RetentionPolicy, versions: bool) -> Iterator[ObjectVersion]:
    seen: set[tuple[str, str | None]] = set()
    for prefix in _literal_prefixes(policy.selector.prefixes):
        listed = conn.list_versions(bucket, prefix) if versions else conn.list_current(bucket, prefix)
        for v in listed:
            if (v.key, v.version_id) in seen or not policy.selector.matches_object(conn.name, bucket, v.key):
                continue
            seen.add((v.key, v.version_id))
            yield v


def _held(policy: RetentionPolicy, key: str) -> int | None:
    for i, hold in enumerate(policy.legal_holds):
        if any(key.startswith(p) for p in hold.prefixes) or key in {str(k) for k in hold.keys}:
            return i
    return None


def _expired_keys(
    conn: S3Connector, bucket: str, policy: RetentionPolicy, cutoff: dt.datetime
) -> tuple[dict[str, list[ObjectVersion]], dict[str, dt.datetime]]:
    """Entries of every key whose newest write is before ``cutoff``, and every key's newest write.

    The newest-write map serves the apply-time re-check.
    """
    versions = policy.action == "delete_all_versions"
    by_key: dict[str, list[ObjectVersion]] = {}
    for v in _listing(conn, bucket, policy, versions):
        by_key.setdefault(v.key, []).append(v)
    newest = {k: max(v.last_modified for v in vs) for k, vs in by_key.items()}
    return {k: vs for k, vs in by_key.items() if newest[k] < cutoff}, newest


def plan_objects(
    policy: RetentionPolicy, cutoff: dt.datetime, settings: Settings, collect_keys: bool, errors: list[str],
) -> Iterator[tuple[AssetReport, dict[str, Any] | None]]:
    """Evaluate an object policy bucket by bucket: the report and (with ``collect_keys``) the plan item.

    A bucket that cannot be listed becomes a report with its error; the other buckets go on.
    """
    for name in _connectors(settings, policy):
        try:
            conn = open_s3(settings, name)
        except PiScannerError as exc:
            errors.append(f"policy {policy.name!r}: connector {name!r}: {exc}")
            continue
        try:
            try:
                buckets = [b for b in conn.bucket_names()
                           if not policy.selector.buckets
                           or any(fnmatch.fnmatchcase(b, g) for g in policy.selector.buckets)]
            except PiScannerError as exc:
                errors.append(f"policy {policy.name!r}: connector {name!r}: {exc}")
                continue
            for bucket in buckets:
                ref = AssetRef(name, AssetKind.OBJECT, (bucket,))
                report = AssetReport(policy=policy.name, asset=ref.display, connector=name, path=[bucket],
                                     anchor=LAST_MODIFIED, cutoff=cutoff.isoformat())
                try:
                    item = _evaluate(conn, bucket, policy, cutoff, report, collect_keys)
                except PiScannerError as exc:
                    report.error = str(exc)
                    errors.append(f"{ref.display}: {exc}")
                    item = None
                yield report, item
        finally:
            conn.close()


def _evaluate(
    conn: S3Connector, bucket: str, policy: RetentionPolicy, cutoff: dt.datetime, report: AssetReport,
    collect_keys: bool,
) -> dict[str, Any] | None:
    expired, _ = _expired_keys(conn, bucket, policy, cutoff)
    all_versions = policy.action == "delete_all_versions"
    lock = conn.object_lock_enabled(bucket) if all_versions else False
    exclusions: dict[int, int] = {}
    locked: dict[str, int] = {}
    keys: list[list[Any]] = []
    oldest: dt.datetime | None = None
    for key in sorted(expired):
        entries = sorted(expired[key], key=lambda v: (v.last_modified, v.version_id or ""))
        report.expired += len(entries)
        first = entries[0].last_modified
        oldest = first if oldest is None or first < oldest else oldest
        held = _held(policy, key)
        if held is not None:
            exclusions[held] = exclusions.get(held, 0) + len(entries)
            continue
        for v in entries:
            if all_versions and lock is not False and not v.delete_marker:
                try:
                    why = conn.object_lock_state(bucket, v.key, v.version_id)
                except PiScannerError:
                    why = "unreadable"
                if why is not None:
                    locked[why] = locked.get(why, 0) + 1
                    continue
            report.candidates += 1
            if collect_keys:
                keys.append([v.key, v.version_id] if all_versions else [v.key])
    report.held = sum(exclusions.values())
    report.oldest = oldest.isoformat() if oldest else None
    if not collect_keys:
        return None
    return {
        "policy": policy.name,
        "connector": conn.name,
        "kind": str(AssetKind.OBJECT),
        "path": [bucket],
        "asset": f"{conn.name}:{bucket}",
        "action": policy.action,
        "scope": policy.scope,
        "anchor": LAST_MODIFIED,
        "anchor_kind": "last_modified",
        "anchor_timezone": policy.anchor_timezone,
        "cutoff": cutoff.isoformat(),
        "predicate": {"column": LAST_MODIFIED, "op": "<", "value": cutoff.isoformat(), "scope": policy.scope,
                      "prefixes": list(policy.selector.prefixes), "buckets": list(policy.selector.buckets)},
        "primary_key": ["key", "version_id"] if all_versions else ["key"],
        "key_format": "json",
        "keys": keys,
        "expected_count": len(keys),
        "children": None,
        "superseded": [],
        "anonymize": {},
        "object_lock": lock,
        "locked": [{"reason": r, "count": n} for r, n in sorted(locked.items())],
        "legal_hold_exclusions": [
            {"reason": policy.legal_holds[j].reason, "basis": policy.legal_holds[j].basis, "count": n}
            for j, n in sorted(exclusions.items())
        ],
    }


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def apply_object_item(
    enf: BatchRecorder, item: dict[str, Any], policy: RetentionPolicy, res: ItemResult, dry_run: bool
) -> None:
    """Apply one object plan item (see the module docstring); updates ``res`` in place.

    Raises:
        PlanError: The item cannot be applied (wrong action, store unreachable before the first batch).
    """
    if item["action"] not in ("delete", "delete_all_versions"):
        raise PlanError(f"action {item['action']!r} does not apply to objects")
    conn = open_s3(enf.settings, item["connector"])
    try:
        _apply(enf, conn, item, policy, res, dry_run)
    finally:
        conn.close()


def _apply(
    enf: BatchRecorder, conn: S3Connector, item: dict[str, Any], policy: RetentionPolicy, res: ItemResult,
    dry_run: bool,
) -> None:
    all_versions = item["action"] == "delete_all_versions"
    cutoff = dt.datetime.fromisoformat(item["cutoff"])
    bucket = str(item["path"][0])
    size = min(policy.batch_size, MAX_DELETE_BATCH)
    # Re-check: the store's state now, not the plan's. A key written after the cutoff is alive again.
    _, newest = _expired_keys(conn, bucket, policy, cutoff)
    lock = conn.object_lock_enabled(bucket) is not False if all_versions else False
    planned: list[tuple[str, str | None]] = [
        (str(k[0]), (str(k[1]) if all_versions else None)) for k in item["keys"]
    ]
    progress = {} if dry_run else enf._done_batches(res.item_id)
    locked: dict[str, int] = {}
    refused: dict[str, int] = {}
    touched = 0
    interval = 1.0 / policy.rate_limit if policy.rate_limit else 0.0
    for index, batch in enumerate(_chunks(planned, size)):
        if progress.get(index) == "done":
            res.resumed_batches += 1
            continue
        started = time.monotonic()
        todo: list[tuple[str, str | None]] = []
        for key, version in batch:
            if key not in newest:
                continue  # already gone
            if newest[key] >= cutoff:
                touched += 1
                continue
            if lock and version is not None:
                try:
                    why = conn.object_lock_state(bucket, key, version)
                except PiScannerError:
                    why = "unreadable"
                if why is not None:
                    locked[why] = locked.get(why, 0) + 1
                    continue
            todo.append((key, version))
        res.batches += 1
        if dry_run:
            res.affected += len(todo)
            continue
        if progress.get(index) is None:
            enf._mark_started(res.item_id, index, _keys_hash(batch))
        deleted, errors = conn.delete_keys(bucket, todo)
        for _, _, code in errors:
            refused[code] = refused.get(code, 0) + 1
        res.affected += len(deleted)
        enf._finish_batch(item, policy, res, index, [list(p) for p in batch], len(deleted), {},
                          resumed=progress.get(index) == "started")
        if interval:
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    res.locked = sum(locked.values()) + sum(n for c, n in refused.items() if c == "AccessDenied")
    notes = []
    if locked:
        notes.append("locked versions skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(locked.items())))
    if refused:
        notes.append("refused by the store: " + ", ".join(f"{k} {v}" for k, v in sorted(refused.items())))
    if touched:
        notes.append(f"{touched} written after the cutoff since planning, kept")
    res.message = "; ".join(notes)
    res.status = "dry_run" if dry_run else "done"
    try:
        res.residual = _residual(conn, bucket, policy, cutoff, planned, all_versions) - res.locked
    except PiScannerError as exc:
        res.message = (res.message + "; " if res.message else "") + f"residual check failed: {exc}"


def _keys_hash(batch: list[tuple[str, str | None]]) -> str:

    return batch_hash([list(p) for p in batch])


def _residual(
    conn: S3Connector, bucket: str, policy: RetentionPolicy, cutoff: dt.datetime,
    planned: list[tuple[str, str | None]], all_versions: bool,
) -> int:
    """What the policy would still act on: expired, un-held objects (or versions of planned keys)."""
    expired, _ = _expired_keys(conn, bucket, policy, cutoff)
    if all_versions:
        keys = {k for k, _ in planned}
        return sum(len(vs) for k, vs in expired.items() if k in keys)
    return sum(1 for k in expired if _held(policy, k) is None)
