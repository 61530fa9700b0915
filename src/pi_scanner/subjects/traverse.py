"""Subject requests that follow the data map: every row of one child, reached from one known record.

``--record [CONNECTOR/]SCHEMA.TABLE:KEY`` names a row of the child (a ``students`` or person row). From it
the walk goes breadth-first over the links the latest scan stored in the catalog (Fides' DSR traversal is
the model), in ``IN (…)`` batches:

* **back** along every link that points at a visited table (``attendance.student_id → students.id``):
  rows whose referencing column holds a key of a visited row are the child's too;
* **forward** along a link whose referencing column is the visited table's own primary key (a 1:1
  extension: ``child.id → person.id``): the one row it extends is the same child's.

Lookups (``students.class_id → classes``) are never followed forward: a class is not the child's.
Links below the acting threshold are listed and not followed unless accepted by label
(``--accept-link "grades.student_id -> students.id"``). A table without a primary key cannot be
addressed row by row: it is listed, not acted on. Self-references are not followed (a parent category
is not the child's).

The erase plan deletes the deepest rows first, so no declared key is violated, and anonymises instead
where ``subjects.assets`` says rows must stay. Each item re-checks at write time that the row still
points at the keys it was planned from (``match``): the retention guarantees hold.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors import sql_write as sw
from pi_scanner.datamap.links import ACCEPT_THRESHOLD
from pi_scanner.errors import PiScannerError, UsageError
from pi_scanner.keys import keyed_hash, load_hmac_key
from pi_scanner.models import TableLink
from pi_scanner.retention.ledger import Ledger, default_actor
from pi_scanner.retention.linkwalk import LinkRules, latest_links
from pi_scanner.retention.planner import Plan, json_key, write_engine
from pi_scanner.subjects.settings import parse_subjects

#: Keys per ``IN (…)`` batch.
BATCH = 500
#: Rows reached at most per table (a runaway link would otherwise read a whole table).
MAX_ROWS_PER_TABLE = 100_000
_RECORD = re.compile(r"^(?:(?P<connector>[^/]+)/)?(?P<table>[^:]+):(?P<key>.+)$")


@dataclass(frozen=True)
class RecordRef:
    """A known row of the child: ``[CONNECTOR/]SCHEMA.TABLE:KEY``."""

    connector: str
    path: tuple[str, ...]
    key: str


@dataclass
class Reached:
    """Rows of one table reached by the walk.

    Attributes:
        asset: ``connector:schema/table``.
        path: ``(schema, table)``.
        primary_key: Its primary-key columns.
        keys: Primary-key values of the rows reached.
        match_column: The column that tied the rows to the child (the link's, or the key's for the start).
        match_values: The values it held (trimmed, lower case), re-checked at write time. They may be
            identifiers (a student number): never printed, and only keyed hashes of them go into a plan.
        via: The link followed (``attendance.student_id -> students.id``), None for the start.
        confidence: The joint confidence of the links followed.
        depth: Links from the start.
    """

    asset: str
    path: tuple[str, ...]
    primary_key: list[str]
    keys: list[list[Any]] = field(default_factory=list)
    match_column: str = ""
    match_values: list[Any] = field(default_factory=list, repr=False)
    via: str | None = None
    confidence: float = 1.0
    depth: int = 0


@dataclass
class Walk:
    """What the walk found.

    Attributes:
        request_id: Id written to the ledger.
        start: The record the walk started from.
        reached: Tables and rows of the child, in the order reached (start first).
        unconfirmed: Links below the threshold that would have been followed (labels), not acted on.
        unaddressable: Tables reached but without a primary key (listed, not acted on).
        unreachable: Tables that could not be read (value-free messages).
    """

    request_id: str
    start: str
    reached: list[Reached] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    unaddressable: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows of the child found."""
        return sum(len(r.keys) for r in self.reached)

    def to_json(self) -> dict[str, Any]:
        """JSON form: table names, primary-key values, counts; never other column values."""
        doc = asdict(self)
        for reached in doc["reached"]:
            reached.pop("match_values", None)  # a link value may be a student number
        return doc


def parse_record(spec: str, settings: Settings) -> RecordRef:
    """Parse ``[CONNECTOR/]SCHEMA.TABLE:KEY``; the connector may be left out when one SQL store is configured.

    Raises:
        UsageError: Malformed, or the connector is ambiguous or not a SQL connector.
    """
    m = _RECORD.match(spec.strip())
    if m is None or "." not in m.group("table"):
        raise UsageError("--record must be [CONNECTOR/]SCHEMA.TABLE:KEY (e.g. school/public.students:42)")
    sql = [n for n, c in settings.connectors.items() if isinstance(c, SqlConnectorConfig)]
    name = m.group("connector")
    if name is None:
        if len(sql) != 1:
            raise UsageError("--record needs CONNECTOR/ when several (or no) SQL stores are configured")
        name = sql[0]
    if name not in sql:
        raise UsageError(f"--record: {name!r} is not a configured SQL connector")
    schema, _, table = m.group("table").rpartition(".")
    return RecordRef(name, (schema, table), m.group("key"))


def _text(values: Iterable[Any]) -> list[str]:
    return sorted({str(v).strip().lower() for v in values if v is not None})


class _Walker:
    def __init__(self, engine: sa.Engine, connector: str, links: Sequence[TableLink], threshold: float,
                 accepted: set[str]) -> None:
        self.engine, self.connector = engine, connector
        # Which links are followed is shared with retention (retention/linkwalk.py).
        self.rules = LinkRules(links, threshold, accepted)
        self.links = self.rules.links
        self.tables: dict[tuple[str, ...], sa.Table] = {}

    def table(self, path: tuple[str, ...]) -> sa.Table:
        if path not in self.tables:
            self.tables[path] = sw.reflect(self.engine, path[0] or None, path[1])
        return self.tables[path]

    def rows(self, conn: sa.Connection, path: tuple[str, ...], column: str, values: Sequence[Any],
             wanted: Sequence[str]) -> list[dict[str, Any]]:
        """Rows of ``path`` whose ``column`` is one of ``values`` (compared as trimmed text across types)."""
        table = self.table(path)
        col = table.c[column]
        cols = [table.c[c] for c in dict.fromkeys(wanted) if c in table.c]
        out: list[dict[str, Any]] = []
        texts = _text(values)
        for i in range(0, len(texts), BATCH):
            part = texts[i:i + BATCH]
            cond = sa.func.lower(sa.func.trim(sa.cast(col, sa.String(255)))).in_(part)
            for row in conn.execute(sa.select(*cols).where(cond).limit(MAX_ROWS_PER_TABLE)):
                out.append(dict(row._mapping))
        return out

    def walk(self, start: RecordRef, walk: Walk) -> None:
        start_table = self.table(start.path)
        pk = [c.name for c in start_table.primary_key.columns]
        if len(pk) != 1:
            raise UsageError(f"--record: {'.'.join(start.path)} needs a single-column primary key")
        seen: dict[tuple[str, ...], set[tuple[Any, ...]]] = {}
        queue: deque[tuple[Reached, list[dict[str, Any]]]] = deque()
        with self.engine.connect() as conn:
            first = self.rows(conn, start.path, pk[0], [start.key], self._needed(start.path, pk))
            if not first:
                raise UsageError(f"--record: no row {start.key!r} in {'.'.join(start.path)}")
            reached = self._reach(start.path, pk, first, pk[0], [start.key], None, 1.0, 0, seen)
            walk.reached.append(reached)
            queue.append((reached, first))
            while queue:
                at, rows = queue.popleft()
                for link, column, values, nxt, match in self._next(at, rows, walk):
                    try:
                        table = self.table(nxt)
                    except PiScannerError as exc:
                        walk.unreachable.append(f"{'.'.join(nxt)}: {type(exc).__name__}")
                        continue
                    npk = [c.name for c in table.primary_key.columns]
                    if not npk:
                        if f"{'.'.join(nxt)}" not in walk.unaddressable:
                            walk.unaddressable.append(".".join(nxt))
                        continue
                    try:
                        found = self.rows(conn, nxt, column, values, self._needed(nxt, [*npk, match]))
                    except sa.exc.DBAPIError as exc:
                        walk.unreachable.append(f"{'.'.join(nxt)}: {sw.db_error(exc)}")
                        continue
                    new = [r for r in found if tuple(r[c] for c in npk) not in seen.get(nxt, set())]
                    if not new:
                        continue
                    got = self._reach(nxt, npk, new, column, values, link.label,
                                      round(at.confidence * link.confidence, 3), at.depth + 1, seen)
                    walk.reached.append(got)
                    queue.append((got, new))

    def _needed(self, path: tuple[str, ...], extra: Sequence[str]) -> list[str]:
        """Columns to read: the key, the match column, and every column another table's link points at."""
        cols = list(extra)
        for link in self.links:
            if link.to_path == path:
                cols.append(link.to_columns[0])
            if link.from_path == path:
                cols.append(link.from_columns[0])
        return cols

    def _reach(self, path: tuple[str, ...], pk: list[str], rows: list[dict[str, Any]], column: str,
               values: Sequence[Any], via: str | None, confidence: float, depth: int,
               seen: dict[tuple[str, ...], set[tuple[Any, ...]]]) -> Reached:
        keys = [tuple(r[c] for c in pk) for r in rows]
        seen.setdefault(path, set()).update(keys)
        asset = f"{self.connector}:{'/'.join(path)}"
        matched = _text(r.get(column) for r in rows)
        return Reached(asset, path, pk, [json_key(k) for k in keys], column, matched or _text(values), via,
                       confidence, depth)

    def _next(self, at: Reached, rows: list[dict[str, Any]], walk: Walk) -> Iterable[
        tuple[TableLink, str, list[Any], tuple[str, ...], str]
    ]:
        for step in self.rules.steps(at.path, at.primary_key, walk.unconfirmed):
            values = [r.get(step.source) for r in rows]
            yield step.link, step.column, values, step.to, step.column


def walk_record(
    settings: Settings, catalog: Catalog, record: str, *, accept_links: Sequence[str] = (),
    threshold: float = ACCEPT_THRESHOLD,
) -> Walk:
    """Every row of the child reached from one known record over the stored links.

    Raises:
        UsageError: A malformed record, no data map, no such row.
    """
    ref = parse_record(record, settings)
    links = latest_links(catalog, ref.connector)
    cfg = settings.connectors[ref.connector]
    assert isinstance(cfg, SqlConnectorConfig)
    engine = write_engine(cfg)
    walk = Walk(uuid.uuid4().hex[:16], record)
    try:
        _Walker(engine, ref.connector, links, threshold, set(accept_links)).walk(ref, walk)
    except sa.exc.DBAPIError as exc:
        walk.unreachable.append(f"{ref.connector}: {sw.db_error(exc)}")
    finally:
        engine.dispose()
    return walk


def erase_plan_from_record(
    settings: Settings, catalog: Catalog, record: str, as_of: dt.date, *, accept_links: Sequence[str] = (),
    threshold: float = ACCEPT_THRESHOLD, actor: str | None = None, hmac_key: bytes | None = None,
) -> tuple[Plan, Walk]:
    """A plan erasing every row of the child reached from ``record``, deepest rows first.

    Rows of tables that ``subjects.assets`` marks ``anonymize`` are anonymised instead (they must stay).
    """
    walk = walk_record(settings, catalog, record, accept_links=accept_links, threshold=threshold)
    rules = parse_subjects(settings.subjects)
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    items: list[dict[str, Any]] = []
    # Deepest first: a row is deleted before the row it points at, so no declared key is violated.
    for got in sorted(walk.reached, key=lambda r: -r.depth):
        rule = rules.rule_for(got.asset)
        items.append({
            "item_id": len(items), "policy": f"subject:{walk.request_id}", "request": walk.request_id,
            "connector": got.asset.split(":", 1)[0], "kind": "table", "path": list(got.path), "asset": got.asset,
            "action": rule.action, "primary_key": got.primary_key, "key_format": "json", "keys": got.keys,
            "expected_count": len(got.keys),
            "anonymize": dict(rule.anonymize) if rule.action == "anonymize" else {},
            "match": {"column": got.match_column,
                      "hmac": sorted(keyed_hash(key, "match", v) for v in got.match_values)},
            "via": got.via, "confidence": got.confidence, "record_hashes": [],
        })
    plan = Plan.new(as_of, items, [], [*walk.unreachable])
    Ledger(catalog, key).append(
        "subject.erase_plan", actor=actor or default_actor(), policy=f"subject:{walk.request_id}",
        count=walk.rows, keys=[[r.asset, json.dumps(r.keys)] for r in walk.reached], basis=rules.basis,
        details={"request_id": walk.request_id, "record": "given", "plan_id": plan.plan_id, "items": len(items),
                 "unconfirmed_links": walk.unconfirmed, "unaddressable": walk.unaddressable,
                 "unreachable": len(walk.unreachable)},
    )
    return plan, walk


def export_from_record(
    settings: Settings, catalog: Catalog, record: str, as_of: dt.date, output: Path, *,
    accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD, actor: str | None = None,
    hmac_key: bytes | None = None,
) -> Walk:
    """Write every row of the child reached from ``record`` (whole, raw: an access request) to ``output``.

    The file is created mode 0600; the export is written to the audit ledger (tables and counts only).
    """
    walk = walk_record(settings, catalog, record, accept_links=accept_links, threshold=threshold)
    ref = parse_record(record, settings)
    cfg = settings.connectors[ref.connector]
    assert isinstance(cfg, SqlConnectorConfig)
    engine = write_engine(cfg)
    records: list[dict[str, Any]] = []
    try:
        with engine.connect() as conn:
            for got in walk.reached:
                table = sw.reflect(engine, got.path[0] or None, got.path[1])
                key_cols = [table.c[c] for c in got.primary_key]
                for i in range(0, len(got.keys), BATCH):
                    part = got.keys[i:i + BATCH]
                    for row in conn.execute(sa.select(table).where(sw.keys_clause(key_cols, part))):
                        records.append({"asset": got.asset, "via": got.via, "record": dict(row._mapping)})
    finally:
        engine.dispose()
    doc = {"format": "pi-scanner-subject-export/1", "request_id": walk.request_id, "as_of": as_of.isoformat(),
           "start": "record", "records": records, "unconfirmed_links": walk.unconfirmed,
           "unaddressable": walk.unaddressable, "unreachable": walk.unreachable}
    fd = os.open(output, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2, default=str)
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    Ledger(catalog, key).append(
        "subject.export", actor=actor or default_actor(), policy=f"subject:{walk.request_id}", count=len(records),
        keys=[[r.asset, json.dumps(r.keys, default=str)] for r in walk.reached],
        basis=parse_subjects(settings.subjects).basis,
        details={"request_id": walk.request_id, "record": "given", "output": output.name,
                 "tables": len(walk.reached)},
    )
    return walk
