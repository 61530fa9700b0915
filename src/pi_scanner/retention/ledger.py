"""The append-only, hash-chained audit ledger in the catalog.

Every entry's ``hash`` is an HMAC-SHA256 (keyed with the catalog's HMAC key) over its own fields and
the previous entry's hash, so editing, deleting or reordering any entry breaks the chain for anyone
holding the key, and nobody without the key can rebuild a forged chain. A one-row head table, written
in the same transaction as every append, lets :meth:`Ledger.verify` notice a truncated tail; pass the
head hash you exported earlier as ``expected_head`` to detect a rollback of both.

Usage from any feature::

    ledger = Ledger(catalog, hmac_key)
    ledger.append("subject.find", actor="cli:alice", asset="school_db:main/students", count=3,
                  keys=[["42"], ["43"]], basis="P 19", details={"request": "r-17"})

``keys`` are record keys (primary keys, object keys); only their keyed hash is stored. ``details``
must hold no raw values: it is stored as canonical JSON and is part of the hash.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import getpass
import hashlib
import hmac
import json
import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.as_of import SHANGHAI
from pi_scanner.catalog.store import Catalog, CatalogError
from pi_scanner.keys import keyed_hash
from pi_scanner.retention.tables import audit_ledger, audit_ledger_head

#: prev_hash of the first entry.
GENESIS = "0" * 64
#: Serialises appends on PostgreSQL even when the ledger is empty (nothing to lock FOR UPDATE yet).
_PG_LEDGER_LOCK = 0x4C454447  # "LEDG"
_APPEND_RETRIES = 20


def default_actor() -> str:
    """``user@host`` of this process (who ran the command)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


def keys_digest(key: bytes, keys: Iterable[Sequence[Any] | Any]) -> str:
    """Keyed hash of a list of record keys, independent of their order.

    Args:
        key: The HMAC key.
        keys: Record keys (a tuple of column values, or a scalar such as an object key).
    """
    canon = sorted(
        json.dumps(list(k) if isinstance(k, list | tuple) else [k], default=str, separators=(",", ":"))
        for k in keys
    )
    return keyed_hash(key, "keys", *canon)


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger entry as stored.

    Attributes:
        seq: Position, 1-based, without gaps.
        recorded_at: When it was appended (UTC).
        actor: Who acted (``user@host``, ``daemon``).
        action: ``retention.delete``, ``retention.anonymize``, ``scan.read``, ``subject.find``, ...
        policy: Policy or request name.
        asset: Asset display name (``connector:schema/table``).
        count: Records affected.
        keys_hmac: Keyed hash of the affected record keys.
        basis: Legal basis.
        details: Extra facts (no raw values).
        prev_hash: Hash of the previous entry.
        hash: This entry's chained hash.
    """

    seq: int
    recorded_at: dt.datetime
    actor: str
    action: str
    policy: str | None
    asset: str | None
    count: int
    keys_hmac: str | None
    basis: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (for ``export_jsonl`` and ``audit show``)."""
        return {
            "seq": self.seq,
            "recorded_at": _ts(self.recorded_at),
            "actor": self.actor,
            "action": self.action,
            "policy": self.policy,
            "asset": self.asset,
            "count": self.count,
            "keys_hmac": self.keys_hmac,
            "basis": self.basis,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :meth:`Ledger.verify`.

    Attributes:
        ok: True when the whole chain is intact.
        entries: Entries checked.
        head_seq: Seq of the last entry (0 for an empty ledger).
        head_hash: Hash of the last entry (export it to detect a later rollback).
        problems: One line per problem, first problem first (seq numbers and kinds, never values).
    """

    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problems: tuple[str, ...] = field(default_factory=tuple)


def _ts(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _canonical(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


class Ledger:
    """The audit ledger of one catalog.

    Args:
        catalog: A migrated catalog (revision ``0003_retention`` or later).
        hmac_key: The catalog's HMAC key (:func:`pi_scanner.keys.load_hmac_key`).
    """

    def __init__(self, catalog: Catalog, hmac_key: bytes) -> None:
        self.catalog = catalog
        self._key = hmac_key
        # A separate key for the chain, so a keys_hmac can never be replayed as an entry hash.
        self._chain_key = hashlib.sha256(b"pi-scanner ledger chain\x00" + hmac_key).digest()

    def _entry_hash(self, row: dict[str, Any]) -> str:
        fields = [
            str(row["seq"]),
            _ts(row["recorded_at"]),
            row["actor"],
            row["action"],
            row["policy"] or "",
            row["asset"] or "",
            str(row["count"]),
            row["keys_hmac"] or "",
            row["basis"] or "",
            row["details"],
            row["prev_hash"],
        ]
        payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return hmac.new(self._chain_key, payload, hashlib.sha256).hexdigest()

    def hash_keys(self, keys: Iterable[Sequence[Any] | Any]) -> str:
        """Keyed hash of record keys, as :meth:`append` stores it."""
        return keys_digest(self._key, keys)

    def append(
        self,
        action: str,
        *,
        actor: str | None = None,
        policy: str | None = None,
        asset: str | None = None,
        count: int = 0,
        keys: Iterable[Sequence[Any] | Any] | None = None,
        keys_hmac: str | None = None,
        basis: str | None = None,
        details: dict[str, Any] | None = None,
        conn: sa.Connection | None = None,
    ) -> LedgerEntry:
        """Append one entry and return it.

        Appends are serialised (PostgreSQL: advisory lock plus ``SELECT … FOR UPDATE`` of the tail;
        MySQL: ``FOR UPDATE``; SQLite: the catalog's ``BEGIN IMMEDIATE``), and a lost race on the
        sequence number is retried.

        Args:
            action: What happened (``retention.delete``, ``scan.read``, ``subject.find``, ...).
            actor: Who did it; default ``user@host``.
            policy: Policy or request name.
            asset: Asset display name.
            count: Records affected.
            keys: Record keys affected; only their keyed hash is stored.
            keys_hmac: A precomputed keys hash (instead of ``keys``).
            basis: Legal basis.
            details: Extra facts; must hold no raw values.
            conn: Append inside this open catalog transaction (e.g. with a checkpoint) instead of a new one.

        Raises:
            CatalogError: The entry could not be written.
        """
        if keys is not None:
            keys_hmac = self.hash_keys(keys)
        values: dict[str, Any] = {
            "actor": actor or default_actor(),
            "action": action,
            "policy": policy,
            "asset": asset,
            "count": int(count),
            "keys_hmac": keys_hmac,
            "basis": basis,
            "details": _canonical(details or {}),
        }
        if conn is not None:
            return self._append_in(conn, values)
        last_exc: Exception | None = None
        for _ in range(_APPEND_RETRIES):
            try:
                with self.catalog.engine.begin() as c:
                    return self._append_in(c, values)
            except sa.exc.IntegrityError as exc:
                last_exc = exc  # another writer took this seq: read the new tail and retry
            except sa.exc.OperationalError as exc:
                last_exc = exc  # deadlock / lock timeout between writers: retry
        raise CatalogError(f"cannot append to the audit ledger: {type(last_exc).__name__}")

    def _append_in(self, conn: sa.Connection, values: dict[str, Any]) -> LedgerEntry:
        dialect = conn.dialect.name
        if dialect == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LEDGER_LOCK)))
        tail_q = sa.select(audit_ledger.c.seq, audit_ledger.c.hash).order_by(audit_ledger.c.seq.desc()).limit(1)
        if dialect != "sqlite":
            tail_q = tail_q.with_for_update()
        tail = conn.execute(tail_q).one_or_none()
        seq = 1 if tail is None else int(tail.seq) + 1
        prev = GENESIS if tail is None else str(tail.hash)
        row = dict(values, seq=seq, recorded_at=dt.datetime.now(dt.UTC), prev_hash=prev)
        row["hash"] = self._entry_hash(row)
        conn.execute(audit_ledger.insert().values(**row))
        updated = conn.execute(
            audit_ledger_head.update().where(audit_ledger_head.c.id == 1).values(seq=seq, hash=row["hash"])
        )
        if updated.rowcount == 0:
            conn.execute(audit_ledger_head.insert().values(id=1, seq=seq, hash=row["hash"]))
        return _entry(row)

    def entries(
        self, asset_glob: str | None = None, since: dt.datetime | None = None, action: str | None = None
    ) -> Iterator[LedgerEntry]:
        """Entries in order, optionally filtered by asset glob, time and action."""
        query = sa.select(audit_ledger).order_by(audit_ledger.c.seq)
        if since is not None:
            query = query.where(audit_ledger.c.recorded_at >= since)
        if action is not None:
            query = query.where(audit_ledger.c.action == action)
        with self.catalog.engine.connect() as conn:
            for r in conn.execute(query).mappings():
                entry = _entry(dict(r))
                if asset_glob and not fnmatch.fnmatchcase(entry.asset or "", asset_glob):
                    continue
                yield entry

    def verify(self, expected_head: str | None = None) -> VerifyResult:
        """Check the whole chain: every hash, every link, no gaps, the head pointer.

        Args:
            expected_head: A head hash recorded earlier; it must still be in the chain.

        Returns:
            The verdict, with one line per problem found.
        """
        problems: list[str] = []
        prev = GENESIS
        expected_seq = 1
        n = 0
        seen_expected = expected_head is None
        with self.catalog.engine.connect() as conn:
            head = conn.execute(sa.select(audit_ledger_head).where(audit_ledger_head.c.id == 1)).one_or_none()
            for r in conn.execute(sa.select(audit_ledger).order_by(audit_ledger.c.seq)).mappings():
                row = dict(r)
                n += 1
                seq = int(row["seq"])
                if seq != expected_seq:
                    problems.append(f"gap: expected seq {expected_seq}, found {seq}")
                if row["prev_hash"] != prev:
                    problems.append(f"seq {seq}: prev_hash does not match the previous entry")
                if not hmac.compare_digest(self._entry_hash(row), str(row["hash"])):
                    problems.append(f"seq {seq}: content does not match its hash (edited)")
                if expected_head is not None and row["hash"] == expected_head:
                    seen_expected = True
                prev = str(row["hash"])
                expected_seq = seq + 1
        last_seq = expected_seq - 1
        if head is None:
            if n:
                problems.append("head pointer missing while the ledger has entries")
        elif int(head.seq) != last_seq or head.hash != prev:
            problems.append(f"head pointer says seq {int(head.seq)}, ledger ends at {last_seq} (truncated?)")
        if not seen_expected:
            problems.append("the expected head hash is not in the chain (rolled back or rewritten)")
        return VerifyResult(not problems, n, last_seq, prev if n else GENESIS, tuple(problems))

    def export_jsonl(self, path: str | Path) -> int:
        """Write every entry as one JSON line to ``path``; returns the number written."""
        n = 0
        with Path(path).open("w", encoding="utf-8") as fh:
            for entry in self.entries():
                fh.write(json.dumps(entry.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
        return n


#: Actions whose ``count`` is records removed from a store.
_DELETING = frozenset({"retention.delete", "retention.delete_objects", "retention.delete_versions", "subject.delete"})
#: Actions whose ``count`` is records anonymised in place.
_ANONYMISING = frozenset({"retention.anonymize", "subject.anonymize"})
#: Subject-request actions and the request kind each one evidences.
_REQUEST_KINDS = {"subject.find": "access", "subject.export": "export", "subject.erase_plan": "erasure",
                  "subject.correct_plan": "correction"}


def summarise_year(catalog: Catalog, year: int, hmac_key: bytes | None = None) -> dict[str, Any]:
    """The ledger's figures for one calendar year (Asia/Shanghai), for the annual audit pack.

    Args:
        catalog: A catalog migrated to ``0003_retention`` or later.
        year: The calendar year; entries recorded from 1 January 00:00 to 31 December 24:00 Shanghai time.
        hmac_key: The catalog's HMAC key; without it the chain is reported as not verified.

    Returns:
        ``entries``, ``by_action`` (entries and records per action), ``records_deleted``,
        ``records_anonymised``, ``records_corrected``, ``scan_reads``, ``cap_breaches``,
        ``subject_requests`` (distinct requests, per kind) and ``verification`` of the whole chain
        (``intact``, ``broken`` or ``not_verified``). Counts and names only.
    """
    start = dt.datetime(year, 1, 1, tzinfo=SHANGHAI).astimezone(dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI).astimezone(dt.UTC)
    by_action: dict[str, dict[str, int]] = {}
    requests: dict[str, set[str]] = {}
    deleted = anonymised = corrected = 0
    query = (
        sa.select(audit_ledger.c.seq, audit_ledger.c.action, audit_ledger.c.count, audit_ledger.c.details)
        .where(audit_ledger.c.recorded_at >= start, audit_ledger.c.recorded_at < end)
        .order_by(audit_ledger.c.seq)
    )
    with catalog.engine.connect() as conn:
        for seq, action, count, raw in conn.execute(query):
            n = int(count)
            slot = by_action.setdefault(action, {"entries": 0, "records": 0})
            slot["entries"] += 1
            slot["records"] += n
            if action in _DELETING:
                deleted += n
            elif action in _ANONYMISING:
                anonymised += n
            elif action == "subject.correct":
                corrected += n
            kind = _REQUEST_KINDS.get(action)
            if kind is not None:
                try:
                    request_id = str(json.loads(raw).get("request_id") or "")
                except (TypeError, ValueError, AttributeError):
                    request_id = ""
                # An entry without a request id still evidences one request.
                requests.setdefault(kind, set()).add(request_id or f"seq-{seq}")
    verification: dict[str, Any]
    if hmac_key is None:
        verification = {"status": "not_verified", "reason": "no HMAC key given"}
    else:
        result = Ledger(catalog, hmac_key).verify()
        verification = {"status": "intact" if result.ok else "broken", "entries": result.entries,
                        "head_seq": result.head_seq, "head_hash": result.head_hash,
                        "problems": list(result.problems[:20])}
    every_request = set().union(*requests.values()) if requests else set()
    return {
        "year": year,
        "entries": sum(v["entries"] for v in by_action.values()),
        "by_action": dict(sorted(by_action.items())),
        "records_deleted": deleted,
        "records_anonymised": anonymised,
        "records_corrected": corrected,
        "scan_reads": by_action.get("scan.read", {}).get("entries", 0),
        "cap_breaches": by_action.get("retention.cap_breach", {}).get("entries", 0),
        "subject_requests": {"total": len(every_request),
                             "by_kind": {k: len(v) for k, v in sorted(requests.items())}},
        "verification": verification,
    }


def _entry(row: dict[str, Any]) -> LedgerEntry:
    recorded = row["recorded_at"]
    if recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=dt.UTC)
    try:
        details = json.loads(row["details"])
    except (TypeError, ValueError):
        details = {"_unreadable": True}
    return LedgerEntry(
        seq=int(row["seq"]),
        recorded_at=recorded,
        actor=row["actor"],
        action=row["action"],
        policy=row["policy"],
        asset=row["asset"],
        count=int(row["count"]),
        keys_hmac=row["keys_hmac"],
        basis=row["basis"],
        details=details if isinstance(details, dict) else {"_value": details},
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
