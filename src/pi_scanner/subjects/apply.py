"""Execute a subject plan (erase or correct) with the retention guarantees.

* Exactly the plan's records: tables by their primary keys in batches; objects and files one at a time.
* Re-checked at write time: a row is changed only when, locked inside the write transaction, it still
  holds one of the subject's identifiers (keyed fingerprints in the plan); an object record likewise.
* Checkpointed in ``retention_progress`` (one row per item batch) and ledgered per batch: a rerun skips
  what is done, and re-applying a finished plan changes nothing.
* A store that cannot be reached leaves its items ``pending``; the others go on; a rerun completes them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors import sql_write as sw
from pi_scanner.connectors.base import Capability, Connector
from pi_scanner.errors import PiScannerError, PlanError, UsageError
from pi_scanner.keys import keyed_hash, load_hmac_key
from pi_scanner.models import AssetKind, AssetRef
from pi_scanner.registry import build_connector
from pi_scanner.retention.ledger import Ledger, default_actor
from pi_scanner.retention.planner import Plan, write_engine
from pi_scanner.retention.stores import check_stores
from pi_scanner.retention.tables import retention_progress
from pi_scanner.subjects.index import forget_asset, forget_records, jsonable
from pi_scanner.subjects.live import Matcher, anonymized, coerce_value, read_bytes, rewrite, value_text, write_bytes
from pi_scanner.subjects.settings import parse_subjects


@dataclass
class SubjectItemResult:
    """What happened to one item: ``done``, ``already_done``, ``pending`` (store down) or ``failed``."""

    item_id: int
    asset: str
    action: str
    status: str
    planned: int
    affected: int = 0
    message: str = ""


@dataclass
class SubjectApplyResult:
    """Outcome of :func:`apply_subject_plan`."""

    plan_id: str
    items: list[SubjectItemResult] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every item done (now or before)."""
        return all(i.status in ("done", "already_done") for i in self.items)

    def to_json(self) -> dict[str, Any]:
        """JSON form (no values)."""
        return {"plan_id": self.plan_id, "complete": self.complete, "items": [asdict(i) for i in self.items]}


class _Applier:
    def __init__(self, plan: Plan, settings: Settings, catalog: Catalog, key: bytes, actor: str,
                 value: str | None) -> None:
        self.plan, self.settings, self.catalog, self.key, self.actor = plan, settings, catalog, key, actor
        self.value = value
        self.cfg = parse_subjects(settings.subjects)
        self.ledger = Ledger(catalog, key)
        self.as_of = dt.date.fromisoformat(plan.as_of)
        self.connectors: dict[str, Connector] = {}

    def done(self, item_id: int) -> bool:
        with self.catalog.engine.connect() as conn:
            state = conn.execute(sa.select(retention_progress.c.state).where(
                retention_progress.c.plan_id == self.plan.plan_id, retention_progress.c.item_id == item_id,
                retention_progress.c.batch_index == 0)).scalar_one_or_none()
        return state == "done"

    def finish(self, item: dict[str, Any], n: int) -> None:
        action = "subject.correct" if item["action"] == "update" else f"subject.{item['action']}"
        with self.catalog.engine.begin() as conn:
            conn.execute(retention_progress.insert().values(
                plan_id=self.plan.plan_id, item_id=int(item["item_id"]), batch_index=0, state="done",
                keys_hash=keyed_hash(self.key, "items", json.dumps(item["keys"], default=str)), done=n,
                updated_at=dt.datetime.now(dt.UTC)))
            self.ledger.append(
                action, actor=self.actor, policy=item["policy"], asset=item["asset"], count=n,
                keys=[json.dumps(k) for k in item["keys"]], basis=self.cfg.basis,
                details={"plan_id": self.plan.plan_id, "item_id": item["item_id"], "request_id": item["request"],
                         "planned": item["expected_count"], "field": item.get("field")},
                conn=conn,
            )

    def edit(self, item: dict[str, Any], matcher: Matcher) -> Any:
        action = item["action"]
        ops: dict[str, str] = item.get("anonymize", {})

        def apply(record: dict[str, Any]) -> dict[str, Any] | None:
            if action == "delete":
                return None
            if action == "update":
                if item["field"] in record:
                    record[item["field"]] = self.value
                return record
            for col, op in ops.items():
                if col in record:
                    record[col] = anonymized(op, record[col], col, matcher)
            return record

        return apply

    def correction(self, item: dict[str, Any], table: sa.Table) -> tuple[str, Any] | None:
        """For an ``update`` item: the column and the new value as its type (None for other actions)."""
        if item["action"] != "update":
            return None
        name = str(item["field"])
        if name not in table.c:
            raise PlanError(f"{item['asset']}: the column to correct is gone")
        return name, coerce_value(table.c[name], self.value or "")

    def correctable(self, item: dict[str, Any], field_name: str, current: Any, value: Any) -> bool:
        """Whether a row's field is to be set.

        Not when it already holds the new value; and (plans from the data map) only while it still holds
        the value it had when planned: a field changed since then is left alone.
        """
        if value_text(current) == value_text(value):
            return False
        old = item.get("old_hmac")
        return old is None or keyed_hash(self.key, "correct-old", field_name, value_text(current)) in set(old)

    def sql_item(self, item: dict[str, Any], matcher: Matcher) -> int:
        cfg = self.settings.connectors.get(item["connector"])
        if not isinstance(cfg, SqlConnectorConfig):
            raise PlanError(f"{item['asset']}: connector is not a configured sql connector")
        engine = write_engine(cfg)
        try:
            # Connect before reflecting: reflection reports every driver error as a plan error, and a store
            # that is down must leave the item pending, not failed.
            with engine.connect():
                pass
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            raise _Unreachable(f"{item['asset']}: {sw.db_error(exc)}") from None
        try:
            schema, name = item["path"]
            table = sw.reflect(engine, schema, name)
            key_cols = sw.key_columns_for_write(table, item["primary_key"] or ["ctid"], engine.dialect.name)
            width = len(key_cols)
            wanted = [k for k in item["keys"] if not isinstance(k, dict)]
            hashed = {k["hmac"] for k in item["keys"] if isinstance(k, dict)}
            edit = self.edit(item, matcher)
            correction = self.correction(item, table)
            n = 0
            # One transaction per table item: a child's erasure in one table is all or nothing.
            with engine.begin() as conn:
                where: sa.ColumnElement[bool] = sa.true() if hashed else sw.keys_clause(key_cols, wanted or [[None]])
                query = sa.select(*key_cols, *table.c).where(where)
                if engine.dialect.name != "sqlite":
                    query = query.with_for_update()
                for row in conn.execute(query).all():
                    pk = tuple(row[:width])
                    if hashed and keyed_hash(self.key, "pk", json.dumps([jsonable(v) for v in pk],
                                                                        separators=(",", ":"))) not in hashed:
                        continue
                    record = {c.name: row[width + i] for i, c in enumerate(table.c)}
                    if not _still_matches(item, record, matcher, self.key):
                        continue  # changed since planning: no longer the child's record
                    if correction is not None:
                        field_name, value = correction
                        if not self.correctable(item, field_name, record.get(field_name), value):
                            continue
                        res = conn.execute(sa.update(table).where(sw.keys_clause(key_cols, [pk])).values(
                            {field_name: value}))
                        n += int(res.rowcount or 0)
                        continue
                    new = edit(dict(record))
                    if new is None:
                        res = conn.execute(sa.delete(table).where(sw.keys_clause(key_cols, [pk])))
                    else:
                        changes = {c: v for c, v in new.items() if v != record[c]}
                        if not changes:
                            continue
                        res = conn.execute(sa.update(table).where(sw.keys_clause(key_cols, [pk])).values(**changes))
                    n += int(res.rowcount or 0)
            return n
        except sa.exc.DBAPIError as exc:
            raise _Unreachable(f"{item['asset']}: {sw.db_error(exc)}") from None
        finally:
            engine.dispose()

    def object_item(self, item: dict[str, Any], matcher: Matcher) -> int:
        name = item["connector"]
        if name not in self.connectors:
            cfg = self.settings.connectors.get(name)
            if cfg is None:
                raise PlanError(f"connector {name!r} is no longer configured")
            self.connectors[name] = build_connector(name, cfg)
        conn = self.connectors[name]
        conn.require(Capability.DELETE)  # a failed item that says why, not a store "unreachable" forever
        container, key = item["path"]
        kind = AssetKind(item["kind"])
        try:
            data = read_bytes(conn, kind, container, key)
        except FileNotFoundError:
            return 0
        except PlanError:
            raise
        except Exception as exc:  # store unreachable (network, credentials): stays pending
            raise _Unreachable(f"{item['asset']}: {type(exc).__name__}") from None
        new, changed = rewrite(key, data, matcher, self.edit(item, matcher))
        if changed:
            try:
                write_bytes(conn, kind, container, key, new)
            except Exception as exc:
                raise _Unreachable(f"{item['asset']}: {type(exc).__name__}") from None
        return changed

    def run(self) -> SubjectApplyResult:
        result = SubjectApplyResult(self.plan.plan_id)
        try:
            for item in self.plan.items:
                if "request" not in item:
                    raise PlanError("not a subject plan (items lack 'request'); use `retention apply`")
                res = SubjectItemResult(int(item["item_id"]), item["asset"], item["action"], "failed",
                                        int(item["expected_count"]))
                result.items.append(res)
                if self.done(res.item_id):
                    res.status = "already_done"
                    continue
                prints = item["predicate"]["subject_fingerprints"] if "predicate" in item else []
                matcher = Matcher(self.key, prints, self.as_of)
                try:
                    if item["kind"] == str(AssetKind.TABLE):
                        res.affected = self.sql_item(item, matcher)
                    else:
                        res.affected = self.object_item(item, matcher)
                except _Unreachable as exc:
                    res.status, res.message = "pending", f"store unreachable, rerun to complete ({exc})"
                    continue
                except PiScannerError as exc:
                    res.message = str(exc)
                    continue
                self.finish(item, res.affected)
                if item["action"] != "update":
                    forget_records(self.catalog, item.get("record_hashes", []))
                elif res.affected:
                    # The corrected field may be an indexed one (a name, a birth date): re-index the asset
                    # next time instead of skipping it as unchanged.
                    forget_asset(self.catalog, AssetRef(item["connector"], AssetKind(item["kind"]),
                                                        tuple(item["path"])))
                res.status = "done"
        finally:
            for conn in self.connectors.values():
                conn.close()
        return result


def _still_matches(item: dict[str, Any], record: dict[str, Any], matcher: Matcher, key: bytes) -> bool:
    """Whether a row is still the child's (re-checked inside the write transaction).

    It holds one of the subject's identifiers, or (rows reached over the data map's links) its link
    column still holds one of the keys it was planned from.
    """
    match = item.get("match")
    if isinstance(match, dict):
        value = record.get(str(match.get("column")))
        wanted = {str(v) for v in match.get("hmac") or []}
        return value is not None and keyed_hash(key, "match", str(value).strip().lower()) in wanted
    return matcher.matches(record)


class _Unreachable(PiScannerError):
    """The store of an item could not be reached; the item stays pending."""


def apply_subject_plan(
    plan: Plan, settings: Settings, catalog: Catalog, *, value: str | None = None, hmac_key: bytes | None = None,
    actor: str | None = None,
) -> SubjectApplyResult:
    """Apply an erase or correct plan from :mod:`pi_scanner.subjects.requests`.

    Args:
        plan: The plan (digest already verified by :meth:`Plan.from_json`).
        settings: The configuration.
        catalog: The catalog (ledger, checkpoints, index).
        value: For a correction, the new value (must match the plan's keyed hash).
        hmac_key: The catalog's HMAC key (default from the configuration).
        actor: Who applies (ledger).

    Raises:
        UsageError: A correction without the value it was planned with.
        PlanError: A connector now points at another store than the plan was made for.
    """
    check_stores(plan.items, settings)
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    for item in plan.items:
        if item.get("action") == "update" and (
            value is None or keyed_hash(key, "correct", item["field"], value) != item.get("value_hmac")
        ):
            raise UsageError("give --value with exactly the value the correction was planned with")
    return _Applier(plan, settings, catalog, key, actor or default_actor(), value).run()
