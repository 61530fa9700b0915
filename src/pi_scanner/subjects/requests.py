"""Subject requests (Art. 19/20): find, export, erase and correct one child's data across every store.

``find`` looks the identifiers up in the index (B-tree lookups on keyed fingerprints), follows the
child's own records one hop to their other personal identifiers (a student number found beside the ID
number), re-reads every record live to confirm it still holds the identifier, and reports records
linked through a guardian's phone or e-mail (siblings, the guardian's own records) as *linked*: they are
never erased unless the request names them. Every request is written to the audit ledger (who, basis,
counts, keyed hashes of record keys); the identifiers themselves never are.

Plans use the retention plan format (:class:`~pi_scanner.retention.planner.Plan`, digest-protected);
items carry ``"request"`` and are executed by :func:`pi_scanner.subjects.apply.apply_subject_plan`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.recognizers.base import mask_value
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors.base import Capability, Connector
from pi_scanner.errors import CapabilityError, PiScannerError, UsageError
from pi_scanner.keys import keyed_hash, load_hmac_key
from pi_scanner.models import AssetKind, ColumnInfo, Sample
from pi_scanner.registry import build_connector
from pi_scanner.retention.ledger import Ledger, default_actor
from pi_scanner.retention.planner import Plan, write_engine
from pi_scanner.subjects import index as ix
from pi_scanner.subjects.live import Matcher, object_records, sql_rows
from pi_scanner.subjects.normalize import PERSONAL_KINDS, fingerprint, key_id, validate_identifier
from pi_scanner.subjects.settings import parse_subjects


@dataclass
class Location:
    """One record of the child (or linked to the child), without raw values unless revealed.

    Attributes:
        connector: Connector name.
        asset: ``connector:path`` of the table, object group or folder.
        kind: ``table``, ``object`` or ``file``.
        record_key: Primary-key JSON, ``{"hmac": ...}`` for PI keys, or ``[object key, record number]``.
        columns: Columns where the identifiers were seen.
        relation: ``own`` (the child's record), ``sibling`` (another record naming the same guardian),
            ``guardian`` (the guardian's own record).
        child_status: The record's age category from the classifier (live when confirmed).
        confirmed: True when re-read live and still holding the identifier; False when gone (stale
            index); None when the store could not be reached.
        values: Column -> masked value (raw only with ``reveal``).
    """

    connector: str
    asset: str
    kind: str
    record_key: Any
    columns: list[str]
    relation: str
    child_status: str
    confirmed: bool | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class FindResult:
    """Outcome of :func:`find`.

    Attributes:
        request_id: Id written to the ledger.
        locations: The child's own records, confirmed live.
        linked: Linked records (siblings, guardians), never acted upon.
        stale: Indexed records that no longer hold the identifier.
        unreachable: Stores that could not be read (value-free messages).
        not_indexed: Configured stores the index holds nothing of (not scanned, or scanned after the index
            was built): the answer says nothing about them.
    """

    request_id: str
    locations: list[Location] = field(default_factory=list)
    linked: list[Location] = field(default_factory=list)
    stale: int = 0
    unreachable: list[str] = field(default_factory=list)
    not_indexed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON form (masked unless revealed)."""
        return asdict(self)


class _Request:
    def __init__(
        self, settings: Settings, catalog: Catalog, as_of: dt.date, identifiers: dict[str, str],
        force: bool, hmac_key: bytes | None, actor: str | None,
    ) -> None:
        if not identifiers:
            raise UsageError("name the subject: --id-number, --phone, --email, --student-no or --passport")
        self.settings, self.catalog, self.as_of = settings, catalog, as_of
        self.cfg = parse_subjects(settings.subjects)
        self.key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
        self.kid = key_id(self.key)
        self.actor = actor or default_actor()
        self.ledger = Ledger(catalog, self.key)
        self.request_id = uuid.uuid4().hex[:16]
        self.seed = {fingerprint(self.key, k, validate_identifier(k, v, force)) for k, v in identifiers.items()}
        self.kinds = sorted(identifiers)
        self.connectors: dict[str, Connector] = {}

    def connector(self, name: str) -> Connector:
        if name not in self.connectors:
            cfg = self.settings.connectors.get(name)
            if cfg is None:
                raise PiScannerError(f"connector {name!r} is no longer configured")
            self.connectors[name] = build_connector(name, cfg)
        return self.connectors[name]

    def close(self) -> None:
        for conn in self.connectors.values():
            conn.close()

    def resolve(self) -> tuple[dict[str, list[ix.IndexEntry]], dict[str, tuple[str, list[ix.IndexEntry]]], set[str]]:
        """Own records (by record hash), linked records (relation, entries) and the subject's fingerprints."""
        prints = set(self.seed)
        own: dict[str, list[ix.IndexEntry]] = {}
        for _hop in range(2):
            hits = [e for e in ix.lookup(self.catalog, prints, self.kid) if e.role != "guardian"]
            for e in hits:
                own.setdefault(e.record_hash, [])
            extra = {
                e.fingerprint for e in ix.record_entries(self.catalog, own, self.kid)
                if e.role != "guardian" and e.kind in PERSONAL_KINDS
            }
            if extra <= prints:
                break
            prints |= extra
        entries = ix.record_entries(self.catalog, own, self.kid)
        for e in entries:
            own[e.record_hash].append(e)
        guardians = {e.fingerprint for e in entries if e.role == "guardian"}
        linked: dict[str, tuple[str, list[ix.IndexEntry]]] = {}
        for e in ix.lookup(self.catalog, guardians, self.kid):
            if e.record_hash in own:
                continue
            relation = "sibling" if e.role == "guardian" else "guardian"
            rel, lst = linked.setdefault(e.record_hash, (relation, []))
            if relation == "guardian" and rel != "guardian":
                linked[e.record_hash] = ("guardian", lst)
            lst.append(e)
        return own, linked, prints

    def live(self, groups: dict[str, list[ix.IndexEntry]], matcher: Matcher) -> tuple[
        dict[str, dict[str, Any] | None], list[str]
    ]:
        """Current content of each record (None: gone), and unreachable stores."""
        out: dict[str, dict[str, Any] | None] = {}
        down: list[str] = []
        by_asset: dict[str, list[ix.IndexEntry]] = {}
        for entries in groups.values():
            if entries:
                by_asset.setdefault(entries[0].asset.asset_key, []).append(entries[0])
        for firsts in by_asset.values():
            asset = firsts[0].asset
            try:
                if asset.ref.kind == AssetKind.TABLE:
                    cfg = self.settings.connectors.get(asset.ref.connector)
                    if not isinstance(cfg, SqlConnectorConfig):
                        raise PiScannerError(f"connector {asset.ref.connector!r} is not a configured sql connector")
                    engine = write_engine(cfg)
                    try:
                        plain = [json.loads(e.record_key) for e in firsts if not e.record_key.startswith("{")]
                        hashed = [json.loads(e.record_key)["hmac"] for e in firsts if e.record_key.startswith("{")]
                        rows = sql_rows(engine, asset, plain, self.pk_hash, hashed)
                    finally:
                        engine.dispose()
                    for e in firsts:
                        out[e.record_hash] = rows.get(
                            e.record_key if e.record_key.startswith("{")
                            else json.dumps(json.loads(e.record_key), ensure_ascii=False)
                        )
                else:
                    conn = self.connector(asset.ref.connector)
                    conn.require(Capability.SUBJECT_LOOKUP)
                    cache: dict[str, list[dict[str, Any]]] = {}
                    for e in firsts:
                        obj, n = json.loads(e.record_key)
                        if obj not in cache:
                            cache[obj] = object_records(conn, asset, obj)
                        recs = cache[obj]
                        out[e.record_hash] = recs[n] if n < len(recs) else None
            except Exception as exc:  # any store failure: reported, the rest goes on
                # A missing capability (ours, value-free) says which connector cannot do what; a driver's
                # message may quote values, so other failures give only their class.
                why = str(exc) if isinstance(exc, CapabilityError) else type(exc).__name__
                down.append(f"{asset.ref.display}: {why}")
                for e in firsts:
                    out.pop(e.record_hash, None)
                continue
            for e in firsts:
                rec = out.get(e.record_hash)
                if rec is not None and not matcher.matches(rec):
                    out[e.record_hash] = None
        return out, down

    def pk_hash(self, values: tuple[Any, ...]) -> str:
        return keyed_hash(self.key, "pk", json.dumps([ix.jsonable(v) for v in values], separators=(",", ":")))

    def status(self, asset: ix.IndexedAsset, record: dict[str, Any], fallback: str) -> str:
        cols = list(record)
        sample = Sample(asset=asset.ref, columns=tuple(ColumnInfo(c) for c in cols), rows=[[record[c] for c in cols]])
        try:
            return str(Classifier(self.settings.classifier, self.as_of).row_verdicts(sample)[0])
        except PiScannerError:
            return fallback


def _mask(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    return mask_value(str(value))


def _location(e: ix.IndexEntry, entries: list[ix.IndexEntry], relation: str) -> Location:
    return Location(
        connector=e.asset.ref.connector, asset=e.asset.ref.display, kind=str(e.asset.ref.kind),
        record_key=json.loads(e.record_key), columns=sorted({x.column for x in entries}), relation=relation,
        child_status=e.child_status,
    )


def _collect(
    req: _Request, reveal: bool, reason: str | None,
) -> tuple[FindResult, dict[str, list[ix.IndexEntry]], dict[str, dict[str, Any] | None], set[str]]:
    if reveal and not (reason and reason.strip()):
        raise UsageError("--reveal needs --reason (it is written to the audit ledger)")
    if not ix.is_built(req.catalog, req.kid):
        # An empty answer here would read as "no data about this child": say what is missing instead.
        raise UsageError("the subject index has not been built (or was built with another key or by an older "
                         "version): run `pi-scanner subject index` after a scan (or start from a known row with "
                         "--record)")
    own, linked, prints = req.resolve()
    matcher = Matcher(req.key, prints, req.as_of)
    current, down = req.live(own, matcher)
    result = FindResult(req.request_id, unreachable=down,
                        not_indexed=ix.not_indexed(req.catalog, req.kid, req.settings.connectors))
    for rh, entries in sorted(own.items(), key=lambda kv: (kv[1][0].asset.ref.display, kv[1][0].record_key)):
        e = entries[0]
        loc = _location(e, entries, "own")
        if rh not in current:
            loc.confirmed = None
        elif current[rh] is None:
            result.stale += 1
            continue
        else:
            record = current[rh] or {}
            loc.confirmed = True
            loc.child_status = req.status(e.asset, record, e.child_status)
            shown = {c: record.get(c) for c in loc.columns}
            loc.values = shown if reveal else {c: _mask(v) for c, v in shown.items()}
        result.locations.append(loc)
    for _rh, (relation, entries) in sorted(linked.items(), key=lambda kv: kv[1][1][0].record_key):
        result.linked.append(_location(entries[0], entries, relation))
    return result, own, current, prints


def _audit(req: _Request, action: str, result: FindResult, details: dict[str, Any]) -> None:
    keys = [[loc.asset, json.dumps(loc.record_key)] for loc in result.locations]
    req.ledger.append(
        action, actor=req.actor, policy=f"subject:{req.request_id}", count=len(result.locations), keys=keys,
        basis=req.cfg.basis,
        details={"request_id": req.request_id, "kinds": req.kinds, "found": len(result.locations),
                 "linked": len(result.linked), "stale": result.stale, "unreachable": len(result.unreachable),
                 "not_indexed": len(result.not_indexed),
                 "assets": sorted({loc.asset for loc in result.locations}), **details},
    )


def find(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, *,
    reveal: bool = False, reason: str | None = None, force: bool = False, actor: str | None = None,
    hmac_key: bytes | None = None,
) -> FindResult:
    """Every location of the child's data, confirmed live, and the records linked to the child.

    Args:
        settings: The configuration.
        catalog: A catalog with a built subject index.
        identifiers: Kind -> value (``{"resident_id": "110105..."}``).
        as_of: Reference date for ages.
        reveal: Show raw values instead of masks (needs ``reason``; audited).
        reason: Why values are revealed.
        force: Accept identifiers that do not validate.
        actor: Who asks (ledger), default ``user@host``.
        hmac_key: The catalog's HMAC key (default from the configuration).

    Raises:
        UsageError: No identifier, an invalid one without ``force``, or ``reveal`` without a reason.
    """
    req = _Request(settings, catalog, as_of, identifiers, force, hmac_key, actor)
    try:
        result, *_ = _collect(req, reveal, reason)
    finally:
        req.close()
    _audit(req, "subject.find", result, {"reveal": reveal, "reason": reason if reveal else None})
    return result


def own_records(result: FindResult, own: dict[str, list[ix.IndexEntry]],
                current: dict[str, dict[str, Any] | None]) -> list[dict[str, Any]]:
    """The export's records: each confirmed location of ``own``, whole, as re-read live."""
    records = []
    for loc in result.locations:
        rh = next((h for h, es in own.items() if es[0].asset.ref.display == loc.asset
                   and json.loads(es[0].record_key) == loc.record_key), None)
        if rh is not None:
            records.append({"store": loc.connector, "asset": loc.asset, "record_key": loc.record_key,
                            "child_status": loc.child_status, "record": current.get(rh)})
    return records


def write_export(output: Path, doc: dict[str, Any]) -> None:
    """Write an access request's export, created mode 0600 (it holds the child's raw records)."""
    fd = os.open(output, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2, default=str)


def export(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, output: Path, *,
    force: bool = False, actor: str | None = None, hmac_key: bytes | None = None,
) -> FindResult:
    """Write the child's own records (whole, raw: an access request) as JSON to ``output`` (mode 0600).

    Linked records are listed by location only. The export itself is audited.
    """
    req = _Request(settings, catalog, as_of, identifiers, force, hmac_key, actor)
    try:
        result, own, current, _ = _collect(req, False, None)
    finally:
        req.close()
    records = own_records(result, own, current)
    doc = {"format": "pi-scanner-subject-export/1", "request_id": req.request_id, "as_of": as_of.isoformat(),
           "records": records, "linked": [asdict(x) for x in result.linked], "unreachable": result.unreachable}
    write_export(output, doc)
    _audit(req, "subject.export", result, {"output": output.name})
    return result


def _plan(
    req: _Request, result: FindResult, own: dict[str, list[ix.IndexEntry]], prints: set[str], mode: str,
    extra: dict[str, Any],
) -> Plan:
    items: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], list[ix.IndexEntry]] = {}
    confirmed = {(loc.asset, json.dumps(loc.record_key)) for loc in result.locations}
    for entries in own.values():
        e = entries[0]
        if (e.asset.ref.display, json.dumps(json.loads(e.record_key))) not in confirmed:
            continue
        container = e.asset.ref.kind != AssetKind.TABLE
        target = json.loads(e.record_key)[0] if container else ""
        groups.setdefault((e.asset.asset_key, target), []).append(e)
    for (_akey, target), entries in sorted(groups.items(), key=lambda kv: (kv[1][0].asset.ref.display, kv[0][1])):
        asset = entries[0].asset
        rule = req.cfg.rule_for(asset.ref.display)
        action = mode if mode == "update" else rule.action
        table = asset.ref.kind == AssetKind.TABLE
        keys = [json.loads(e.record_key) for e in entries]
        items.append({
            "item_id": len(items), "policy": f"subject:{req.request_id}", "request": req.request_id,
            "connector": asset.ref.connector, "kind": str(asset.ref.kind),
            "path": list(asset.ref.path) if table else [asset.ref.path[0], target],
            "asset": asset.ref.display, "action": action,
            "primary_key": list(asset.primary_key) if table else [],
            "key_format": "hmac" if table and any(isinstance(k, dict) for k in keys) else "json",
            "keys": keys, "expected_count": len(keys),
            "anonymize": dict(rule.anonymize) if action == "anonymize" else {},
            "predicate": {"subject_fingerprints": sorted(prints)},
            "record_hashes": sorted(e.record_hash for e in entries),
            **extra,
        })
    return Plan.new(req.as_of, items, [], list(result.unreachable), settings=req.settings)


def erase_plan(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, *,
    force: bool = False, actor: str | None = None, hmac_key: bytes | None = None,
) -> tuple[Plan, FindResult]:
    """A plan deleting (or anonymising, per ``subjects.assets`` rules) the child's own records everywhere.

    Linked records are never in the plan. Unreachable stores are listed in ``plan.errors``; plan again
    when they are back.
    """
    req = _Request(settings, catalog, as_of, identifiers, force, hmac_key, actor)
    try:
        result, own, _, prints = _collect(req, False, None)
    finally:
        req.close()
    plan = _plan(req, result, own, prints, "erase", {})
    _audit(req, "subject.erase_plan", result, {"plan_id": plan.plan_id, "items": len(plan.items)})
    return plan, result


def correct_plan(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, field_name: str,
    value: str, *, force: bool = False, actor: str | None = None, hmac_key: bytes | None = None,
) -> tuple[Plan, FindResult]:
    """A plan setting ``field_name`` to ``value`` in every own record that has that field.

    The plan holds only a keyed hash of the new value; ``apply`` must be given the same value again.
    """
    req = _Request(settings, catalog, as_of, identifiers, force, hmac_key, actor)
    try:
        result, own, _, prints = _collect(req, False, None)
    finally:
        req.close()
    own = {h: es for h, es in own.items() if field_name in es[0].asset.columns}
    plan = _plan(req, result, own, prints, "update",
                 {"field": field_name, "value_hmac": keyed_hash(req.key, "correct", field_name, value)})
    _audit(req, "subject.correct_plan", result, {"plan_id": plan.plan_id, "field": field_name,
                                                 "items": len(plan.items)})
    return plan, result
