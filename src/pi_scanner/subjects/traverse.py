"""Subject requests that follow the data map: every row of one child, reached from the child's own record.

The walk starts from ``--record [CONNECTOR/]SCHEMA.TABLE:KEY`` (a ``students`` or person row of the child),
or from the records the subject index holds for ``--name`` with ``--birth-date`` (keyed fingerprints, see
:mod:`pi_scanner.subjects.person`). Two different records of one table matching a name and birth date are
two children: they are listed (:class:`AmbiguousSubject`) and nothing is done until ``--record`` picks one.
From the start rows the walk goes breadth-first over the links the latest scan stored in the catalog
(Fides' DSR traversal is the model), in ``IN (…)`` batches:

* **back** along every link that points at a visited table (``attendance.student_id → students.id``):
  rows whose referencing column holds a key of a visited row are the child's too;
* **forward** along a link whose referencing column is the visited table's own primary key (a 1:1
  extension: ``child.id → person.id``): the one row it extends is the same child's.

Lookups (``students.class_id → classes``) are never followed forward: a class is not the child's.
Links below the acting threshold are listed and not followed unless accepted by label
(``--accept-link "grades.student_id -> students.id"``). A table without a primary key cannot be
addressed row by row: it is listed, not acted on. Self-references are not followed (a parent category
is not the child's).

The erase plan deletes a table's rows before the rows of every table they point at (links in topological
order, deepest first where links form a cycle), so no declared key is violated, and anonymises instead
where ``subjects.assets`` says rows must stay. A correction (Art. 19) sets one field of the start rows
(or of a reached table named ``TABLE.COLUMN``); the plan holds keyed hashes of the new and old values only,
and ``apply`` is given the new value again. Each item re-checks at write time that the row still
points at the keys it was planned from (``match``): the retention guarantees hold.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors import sql_write as sw
from pi_scanner.datamap.links import ACCEPT_THRESHOLD
from pi_scanner.errors import PiScannerError, UsageError
from pi_scanner.keys import keyed_hash, load_hmac_key
from pi_scanner.models import AssetKind, TableLink
from pi_scanner.retention.ledger import Ledger, default_actor
from pi_scanner.retention.linkwalk import LinkRules, latest_links, referencing_first
from pi_scanner.retention.planner import Plan, json_key, write_engine
from pi_scanner.subjects import index as ix
from pi_scanner.subjects.live import coerce_value, sql_rows, value_text
from pi_scanner.subjects.normalize import key_id
from pi_scanner.subjects.person import NameDobSpec, request_fingerprint
from pi_scanner.subjects.requests import write_export
from pi_scanner.subjects.settings import SubjectsConfig, parse_subjects

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
        start: How the walk started: the record given, or ``name+birth-date`` (never the name or date).
        reached: Tables and rows of the child, in the order reached (start rows first).
        unconfirmed: Links below the threshold that would have been followed (labels), not acted on.
        unaddressable: Tables reached but without a primary key (listed, not acted on).
        unreachable: Tables that could not be read (value-free messages).
        matched: The records a name and birth date matched and the walk started from.
        elsewhere: Records the name and birth date matched that the walk cannot start from (files and
            objects, tables whose key is itself PI or composite): listed, not acted on.
        not_indexed: For a name and birth date: configured stores the index holds nothing of (the answer
            says nothing about them).
    """

    request_id: str
    start: str
    reached: list[Reached] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    unaddressable: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    not_indexed: list[str] = field(default_factory=list)

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

    def walk(self, starts: Sequence[RecordRef], walk: Walk) -> None:
        seen: dict[tuple[str, ...], set[tuple[Any, ...]]] = {}
        queue: deque[tuple[Reached, list[dict[str, Any]]]] = deque()
        with self.engine.connect() as conn:
            by_table: dict[tuple[str, ...], list[str]] = {}
            for start in starts:
                by_table.setdefault(start.path, []).append(start.key)
            for path, keys in by_table.items():
                pk = [c.name for c in self.table(path).primary_key.columns]
                if len(pk) != 1:
                    raise UsageError(f"--record: {'.'.join(path)} needs a single-column primary key")
                first = [r for r in self.rows(conn, path, pk[0], keys, self._needed(path, pk))
                         if tuple(r[c] for c in pk) not in seen.get(path, set())]
                if not first:
                    raise UsageError(f"--record: no such row in {'.'.join(path)}")
                reached = self._reach(path, pk, first, pk[0], keys, None, 1.0, 0, seen)
                walk.reached.append(reached)
                queue.append((reached, first))
            while queue:
                at, rows = queue.popleft()
                for step in self.rules.steps(at.path, at.primary_key, walk.unconfirmed):
                    link, column, nxt = step.link, step.column, step.to
                    values = [r.get(step.source) for r in rows]
                    try:
                        table = self.table(nxt)
                    except PiScannerError as exc:
                        walk.unreachable.append(f"{'.'.join(nxt)}: {type(exc).__name__}")
                        continue
                    npk = [c.name for c in table.primary_key.columns]
                    if not npk:
                        if ".".join(nxt) not in walk.unaddressable:
                            walk.unaddressable.append(".".join(nxt))
                        continue
                    try:
                        found = self.rows(conn, nxt, column, values, self._needed(nxt, [*npk, column]))
                    except sa.exc.DBAPIError as exc:
                        walk.unreachable.append(f"{'.'.join(nxt)}: {sw.db_error(exc)}")
                        continue
                    new = [r for r in found if tuple(r[c] for c in npk) not in seen.get(nxt, set())]
                    # One row matched by the same link twice (two keys): once.
                    new = list({tuple(r[c] for c in npk): r for r in new}.values())
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


@dataclass(frozen=True)
class Subject:
    """Where a request starts: a known record, or a name with a birth date (raw: never printed or stored).

    Attributes:
        record: ``[CONNECTOR/]SCHEMA.TABLE:KEY``. With a name and birth date: which of several matching
            records is the child (it must be one of them).
        name: The child's name as the guardian spells it.
        birth_date: The child's date of birth, any one-day format of the spec.
    """

    record: str | None = None
    name: str | None = field(default=None, repr=False)
    birth_date: str | None = field(default=None, repr=False)

    @property
    def by_name(self) -> bool:
        """Whether the request names the child by name and birth date."""
        return self.name is not None or self.birth_date is not None

    @property
    def label(self) -> str:
        """How the request started, for reports and the ledger (no name, no date)."""
        return "name+birth-date" if self.by_name else str(self.record)


def _as_subject(subject: Subject | str) -> Subject:
    return subject if isinstance(subject, Subject) else Subject(record=subject)


class AmbiguousSubject(UsageError):
    """A name and birth date match records that may be two children. Nothing is done.

    Two records of one table are two children; records of several tables of one store that no followed
    link joins may be (a sign-up sheet without a pupil id).

    Attributes:
        candidates: The matching records (``CONNECTOR/SCHEMA.TABLE:KEY``, or the asset and a keyed record
            key), to pick one with ``--record``.
    """

    def __init__(self, candidates: Sequence[str]) -> None:
        self.candidates = list(candidates)
        lines = "\n".join(f"  --record {c}" for c in self.candidates)
        super().__init__(f"the name and birth date match {len(self.candidates)} records that may be different "
                         f"children (two in one table, or in tables no link joins); nothing was done. Pick one "
                         f"with --record:\n{lines}")


def _record_spec(connector: str, path: tuple[str, ...], key: Any) -> str:
    return f"{connector}/{'.'.join(path)}:{key}"


def _confirm(settings: Settings, key: bytes, fp: str, entries: Sequence[ix.IndexEntry]) -> tuple[
    list[ix.IndexEntry], list[str]
]:
    """The table entries whose record still holds the name and birth date (re-read live), and unreachable."""
    out: list[ix.IndexEntry] = []
    down: list[str] = []
    by_asset: dict[str, list[ix.IndexEntry]] = {}
    for e in entries:
        if e.asset.ref.kind == AssetKind.TABLE and not e.record_key.startswith("{"):
            by_asset.setdefault(e.asset.asset_key, []).append(e)
    for group in by_asset.values():
        asset = group[0].asset
        cfg = settings.connectors.get(asset.ref.connector)
        if not isinstance(cfg, SqlConnectorConfig):
            down.append(f"{asset.ref.display}: connector is not a configured sql connector")
            continue
        engine = write_engine(cfg)
        try:
            rows = sql_rows(engine, asset, [json.loads(e.record_key) for e in group], lambda _v: "")
        except PiScannerError as exc:
            down.append(str(exc))
            continue
        finally:
            engine.dispose()
        for e in group:
            spec = NameDobSpec.from_text(e.column)
            row = rows.get(json.dumps(json.loads(e.record_key), ensure_ascii=False))
            if spec is not None and row is not None and fp in spec.fingerprints(key, row):
                out.append(e)
    return out, down


def _resolve_name(settings: Settings, catalog: Catalog, subject: Subject, key: bytes, walk: Walk) -> list[RecordRef]:
    """The start records of a name + birth-date request (one child), or :class:`AmbiguousSubject`."""
    if not (subject.name and subject.birth_date):
        raise UsageError("--name and --birth-date go together")
    fp = request_fingerprint(key, subject.name, subject.birth_date)
    if not ix.is_built(catalog, key_id(key)):
        # An empty answer here would read as "no data about this child": say what is missing instead.
        raise UsageError("the subject index has not been built (or was built with another key or by an older "
                         "version): run `pi-scanner subject index` after a scan (or start from a known row with "
                         "--record)")
    walk.not_indexed = ix.not_indexed(catalog, key_id(key), settings.connectors)
    entries = ix.lookup(catalog, [fp], key_id(key))
    confirmed, down = _confirm(settings, key, fp, entries)
    walk.unreachable += down
    live = {e.record_hash for e in confirmed}
    for e in entries:
        if e.record_hash not in live and (e.asset.ref.kind != AssetKind.TABLE or e.record_key.startswith("{")):
            place = f"{e.asset.ref.display} record {e.record_key}"
            if place not in walk.elsewhere:
                walk.elsewhere.append(place)
    per_table: dict[str, list[ix.IndexEntry]] = {}
    for e in confirmed:
        per_table.setdefault(e.asset.asset_key, []).append(e)
    starts: list[RecordRef] = []
    candidates: list[str] = []
    for group in per_table.values():
        specs: dict[str, RecordRef] = {}
        for e in group:
            values = json.loads(e.record_key)
            if len(values) != 1 or values[0] is None:  # a composite key: no --record can name it
                walk.elsewhere.append(f"{e.asset.ref.display} record {e.record_key}")
                continue
            specs[e.record_hash] = RecordRef(e.asset.ref.connector, tuple(e.asset.ref.path), str(values[0]))
        if len(specs) > 1:
            candidates += [_record_spec(r.connector, r.path, r.key) for r in specs.values()]
        starts += specs.values()
    if subject.record is not None:
        chosen = parse_record(subject.record, settings)
        if chosen not in starts:
            raise UsageError("--record is not one of the records the name and birth date match")
        # The other matches are listed: they may be the same child, unlinked (a sign-up sheet).
        walk.elsewhere += [_record_spec(r.connector, r.path, r.key) for r in starts if r != chosen]
        starts = [chosen]
    elif candidates:
        raise AmbiguousSubject(sorted(candidates))
    walk.matched = [_record_spec(r.connector, r.path, r.key) for r in starts]
    return starts


def walk_subject(
    settings: Settings, catalog: Catalog, subject: Subject | str, *, accept_links: Sequence[str] = (),
    threshold: float = ACCEPT_THRESHOLD, hmac_key: bytes | None = None,
) -> Walk:
    """Every row of the child reached from its record(s) over the stored links.

    Raises:
        UsageError: A malformed record, no data map, no such row, no subject index for a name.
        AmbiguousSubject: A name and birth date that match two records of one table, or records of
            several tables of one store that no followed link joins.
    """
    subject = _as_subject(subject)
    walk = Walk(uuid.uuid4().hex[:16], subject.label)
    if subject.by_name:
        key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
        starts = _resolve_name(settings, catalog, subject, key, walk)
    else:
        starts = [parse_record(str(subject.record), settings)]
    walk_from(settings, catalog, starts, walk, accept_links=accept_links, threshold=threshold,
              one_child=subject.by_name)
    return walk


def walk_from(
    settings: Settings, catalog: Catalog, starts: Sequence[RecordRef], walk: Walk, *,
    accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD, one_child: bool = False,
) -> None:
    """Walk from start rows (any stores) into ``walk``.

    Args:
        settings: The configuration (the stores).
        catalog: The catalog (the links of the latest scan of each store).
        starts: Rows of the child to start from.
        walk: Filled in place.
        accept_links: Labels of links below the threshold to follow anyway.
        threshold: Confidence a link needs to be followed.
        one_child: Refuse starts in one store that no followed link joins (the starts came from a weak key
            such as a name and birth date, not from one person's identifier).

    Raises:
        UsageError: No data map of a start's store, no such row.
        AmbiguousSubject: ``one_child`` and the starts fall apart.
    """
    by_connector: dict[str, list[RecordRef]] = {}
    for start in starts:
        by_connector.setdefault(start.connector, []).append(start)
    for name, group in sorted(by_connector.items()):
        links = latest_links(catalog, name)
        cfg = settings.connectors[name]
        assert isinstance(cfg, SqlConnectorConfig)
        engine = write_engine(cfg)
        try:
            walker = _Walker(engine, name, links, threshold, set(accept_links))
            if one_child and len(group) > 1:
                _one_child(walker, group)
            walker.walk(group, walk)
        except sa.exc.DBAPIError as exc:
            walk.unreachable.append(f"{name}: {sw.db_error(exc)}")
        finally:
            engine.dispose()
    reached = {_record_spec(r.asset.split(":", 1)[0], r.path, k[0])
               for r in walk.reached for k in r.keys if len(k) == 1}
    walk.elsewhere = [e for e in walk.elsewhere if e not in reached]  # matches the walk reached anyway


def _one_child(walker: _Walker, starts: Sequence[RecordRef]) -> None:
    """Refuse name matches in several tables of one store that no followed link joins (maybe two children).

    Each start is walked alone; two starts are the same child's when one's walk reaches the other's row.

    Raises:
        AmbiguousSubject: The starts fall apart into more than one group.
    """
    reach: list[set[tuple[tuple[str, ...], str]]] = []
    for start in starts:
        alone = Walk("", "")
        walker.walk([start], alone)
        reach.append({(r.path, str(k[0]).strip().lower()) for r in alone.reached for k in r.keys if len(k) == 1})
    rows = [(s.path, s.key.strip().lower()) for s in starts]
    group = list(range(len(starts)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(len(starts)):
        for j in range(len(starts)):
            if i != j and rows[j] in reach[i]:
                group[root(j)] = root(i)
    if len({root(i) for i in range(len(starts))}) > 1:
        raise AmbiguousSubject(sorted(_record_spec(s.connector, s.path, s.key) for s in starts))


def walk_record(
    settings: Settings, catalog: Catalog, record: str, *, accept_links: Sequence[str] = (),
    threshold: float = ACCEPT_THRESHOLD,
) -> Walk:
    """Every row of the child reached from one known record over the stored links (see :func:`walk_subject`)."""
    return walk_subject(settings, catalog, Subject(record=record), accept_links=accept_links, threshold=threshold)


def deletion_order(walk: Walk, links: Sequence[TableLink]) -> list[Reached]:
    """The reached rows in an order that deletes referencing rows before the rows they point at.

    Tables are sorted topologically over the links between reached tables (declared or inferred, whether
    followed or not: a declared key is enforced either way); tables on a cycle go deepest first.
    """
    tables = {(r.asset.split(":", 1)[0], r.path) for r in walk.reached}
    depth: dict[tuple[str, tuple[str, ...]], int] = {}
    for r in walk.reached:
        node = (r.asset.split(":", 1)[0], r.path)
        depth[node] = max(depth.get(node, 0), r.depth)
    refs = [((link.connector, link.from_path), (link.connector, link.to_path)) for link in links]
    order = referencing_first(sorted(tables), refs, lambda t: depth[t])
    rank = {t: i for i, t in enumerate(order)}
    return sorted(walk.reached, key=lambda r: (rank[(r.asset.split(":", 1)[0], r.path)], -r.depth))


def links_of(catalog: Catalog, walk: Walk) -> list[TableLink]:
    """The stored links of every store the walk reached."""
    out: list[TableLink] = []
    for name in sorted({r.asset.split(":", 1)[0] for r in walk.reached}):
        out += latest_links(catalog, name)
    return out


def plan_item(walk: Walk, got: Reached, key: bytes, action: str, extra: dict[str, Any]) -> dict[str, Any]:
    """A plan item acting on the rows of one reached table (re-checked at apply time by their link keys)."""
    return {
        "policy": f"subject:{walk.request_id}", "request": walk.request_id,
        "connector": got.asset.split(":", 1)[0], "kind": "table", "path": list(got.path), "asset": got.asset,
        "action": action, "primary_key": got.primary_key, "key_format": "json", "keys": got.keys,
        "expected_count": len(got.keys),
        "match": {"column": got.match_column, "hmac": sorted(keyed_hash(key, "match", v) for v in got.match_values)},
        "via": got.via, "confidence": got.confidence, "record_hashes": [], **extra,
    }


def erase_items(catalog: Catalog, walk: Walk, rules: SubjectsConfig, key: bytes) -> list[dict[str, Any]]:
    """Plan items erasing the walked rows in :func:`deletion_order` (anonymising where ``subjects.assets`` says)."""
    items: list[dict[str, Any]] = []
    for got in deletion_order(walk, links_of(catalog, walk)):
        rule = rules.rule_for(got.asset)
        items.append({"item_id": len(items), **plan_item(walk, got, key, rule.action, {
            "anonymize": dict(rule.anonymize) if rule.action == "anonymize" else {}})})
    return items


def erase_plan_from_record(
    settings: Settings, catalog: Catalog, record: Subject | str, as_of: dt.date, *, accept_links: Sequence[str] = (),
    threshold: float = ACCEPT_THRESHOLD, actor: str | None = None, hmac_key: bytes | None = None,
) -> tuple[Plan, Walk]:
    """A plan erasing every row of the child reached from ``record`` (a record, or a name and birth date).

    Referencing rows are deleted before the rows they point at (:func:`deletion_order`). Rows of tables
    that ``subjects.assets`` marks ``anonymize`` are anonymised instead (they must stay).
    """
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    walk = walk_subject(settings, catalog, record, accept_links=accept_links, threshold=threshold, hmac_key=key)
    rules = parse_subjects(settings.subjects)
    items = erase_items(catalog, walk, rules, key)
    plan = Plan.new(as_of, items, [], [*walk.unreachable], settings=settings)
    Ledger(catalog, key).append(
        "subject.erase_plan", actor=actor or default_actor(), policy=f"subject:{walk.request_id}",
        count=walk.rows, keys=[[r.asset, json.dumps(r.keys)] for r in walk.reached], basis=rules.basis,
        details={"request_id": walk.request_id, "record": "given", "start": _start(walk), "plan_id": plan.plan_id,
                 "items": len(items), "unconfirmed_links": walk.unconfirmed, "unaddressable": walk.unaddressable,
                 "unreachable": len(walk.unreachable)},
    )
    return plan, walk


def _start(walk: Walk) -> str:
    return "name+birth-date" if walk.start == "name+birth-date" else "record"


def _engines(settings: Settings, walk: Walk) -> dict[str, sa.Engine]:
    out: dict[str, sa.Engine] = {}
    for name in sorted({r.asset.split(":", 1)[0] for r in walk.reached}):
        cfg = settings.connectors[name]
        assert isinstance(cfg, SqlConnectorConfig)
        out[name] = write_engine(cfg)
    return out


def walked_records(settings: Settings, walk: Walk) -> list[dict[str, Any]]:
    """Every walked row, whole and raw (an access request's content): ``{"asset", "via", "record"}`` each."""
    engines = _engines(settings, walk)
    records: list[dict[str, Any]] = []
    try:
        for got in walk.reached:
            engine = engines[got.asset.split(":", 1)[0]]
            table = sw.reflect(engine, got.path[0] or None, got.path[1])
            key_cols = [table.c[c] for c in got.primary_key]
            with engine.connect() as conn:
                for i in range(0, len(got.keys), BATCH):
                    part = got.keys[i:i + BATCH]
                    for row in conn.execute(sa.select(table).where(sw.keys_clause(key_cols, part))):
                        records.append({"asset": got.asset, "via": got.via, "record": dict(row._mapping)})
    finally:
        for engine in engines.values():
            engine.dispose()
    return records


def export_from_record(
    settings: Settings, catalog: Catalog, record: Subject | str, as_of: dt.date, output: Path, *,
    accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD, actor: str | None = None,
    hmac_key: bytes | None = None,
) -> Walk:
    """Write every row of the child reached from ``record`` (whole, raw: an access request) to ``output``.

    The file is created mode 0600; the export is written to the audit ledger (tables and counts only).
    """
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    walk = walk_subject(settings, catalog, record, accept_links=accept_links, threshold=threshold, hmac_key=key)
    records = walked_records(settings, walk)
    doc = {"format": "pi-scanner-subject-export/1", "request_id": walk.request_id, "as_of": as_of.isoformat(),
           "start": _start(walk), "records": records, "unconfirmed_links": walk.unconfirmed,
           "unaddressable": walk.unaddressable, "unreachable": walk.unreachable, "elsewhere": walk.elsewhere}
    write_export(output, doc)
    Ledger(catalog, key).append(
        "subject.export", actor=actor or default_actor(), policy=f"subject:{walk.request_id}", count=len(records),
        keys=[[r.asset, json.dumps(r.keys, default=str)] for r in walk.reached],
        basis=parse_subjects(settings.subjects).basis,
        details={"request_id": walk.request_id, "record": "given", "start": _start(walk), "output": output.name,
                 "tables": len(walk.reached)},
    )
    return walk


@dataclass
class Correction:
    """What a correction plan covers (names and counts only).

    Attributes:
        column: The column corrected.
        tables: ``connector:schema/table`` of each table whose rows are corrected.
        rows: Rows planned.
        not_corrected: Other reached tables with a column of that name, left alone (name one as
            ``TABLE.COLUMN`` to correct it there).
    """

    column: str
    tables: list[str] = field(default_factory=list)
    rows: int = 0
    not_corrected: list[str] = field(default_factory=list)


def _column(table: sa.Table, name: str) -> sa.Column[Any] | None:
    if name in table.c:
        return table.c[name]
    folded = [c for c in table.c if c.name.lower() == name.lower()]
    return folded[0] if len(folded) == 1 else None


def correct_plan_from_record(
    settings: Settings, catalog: Catalog, record: Subject | str, as_of: dt.date, field_name: str, value: str, *,
    accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD, actor: str | None = None,
    hmac_key: bytes | None = None,
) -> tuple[Plan, Walk, Correction]:
    """A plan setting one field of the child's rows to ``value`` (Art. 19), applied like an erase.

    ``field_name`` is ``COLUMN`` (the start rows: the child's own record) or ``TABLE.COLUMN`` /
    ``SCHEMA.TABLE.COLUMN`` (the child's rows in that reached table). The plan holds a keyed hash of the
    new value (``apply`` must be given the same value) and keyed hashes of each row's current value
    (``apply`` leaves a row whose field changed since planning); never a value.

    Raises:
        UsageError: No reached table has that column, or the value is not valid for the column's type.
    """
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    walk = walk_subject(settings, catalog, record, accept_links=accept_links, threshold=threshold, hmac_key=key)
    items, fix = correction_items(settings, catalog, walk, field_name, value, key)
    plan = Plan.new(as_of, items, [], [*walk.unreachable], settings=settings)
    Ledger(catalog, key).append(
        "subject.correct_plan", actor=actor or default_actor(), policy=f"subject:{walk.request_id}",
        count=fix.rows, keys=[[r.asset, json.dumps(r.keys)] for r in walk.reached if r.asset in fix.tables],
        basis=parse_subjects(settings.subjects).basis,
        details={"request_id": walk.request_id, "start": _start(walk), "plan_id": plan.plan_id, "field": fix.column,
                 "items": len(items), "tables": fix.tables, "not_corrected": fix.not_corrected,
                 "unconfirmed_links": walk.unconfirmed, "unreachable": len(walk.unreachable)},
    )
    return plan, walk, fix


def correction_items(
    settings: Settings, catalog: Catalog, walk: Walk, field_name: str, value: str, key: bytes, *,
    copies: bool = False,
) -> tuple[list[dict[str, Any]], Correction]:
    """Plan items setting ``field_name`` to ``value`` in the walked rows, and what they cover.

    ``COLUMN`` names the start rows' column (the child's own records), ``TABLE.COLUMN`` the child's rows in
    that reached table. With ``copies`` (an identifier request following the links), a linked row holding a
    copy of the start rows' old value (a pupil's name or phone copied into an enrolment) is corrected too,
    in a column the latest scan found to be the same kind of PI about the same person; linked tables with a
    column of that name or kind that is not such a copy are listed, not corrected.

    Raises:
        UsageError: A malformed field, no column of that name in the start rows (or the named table), or a
            value not valid for the column's type.
    """
    *scope, column = field_name.split(".")
    if not column or len(scope) > 2:
        raise UsageError("--field must be COLUMN, TABLE.COLUMN or SCHEMA.TABLE.COLUMN")
    fix = Correction(column)
    items: list[dict[str, Any]] = []
    kinds = _column_kinds(catalog) if copies and not scope else {}
    own_kinds: set[tuple[str, str]] = set()
    own_values: set[str] = set()
    others: list[tuple[Reached, sa.Engine, sa.Table]] = []
    engines = _engines(settings, walk)

    def add(got: Reached, col: sa.Column[Any], rows: list[tuple[Any, Any]]) -> None:
        coerce_value(col, value)  # refused now, before a plan is written
        part = replace(got, keys=[k for k, _ in rows]) if len(rows) != len(got.keys) else got
        items.append({"item_id": len(items), **plan_item(walk, part, key, "update", {
            "anonymize": {}, "field": col.name, "value_hmac": keyed_hash(key, "correct", col.name, value),
            "old_hmac": sorted({keyed_hash(key, "correct-old", col.name, value_text(v)) for _, v in rows}),
        })})
        if got.asset not in fix.tables:
            fix.tables.append(got.asset)
        fix.rows += len(rows)

    try:
        for got in walk.reached:
            engine = engines[got.asset.split(":", 1)[0]]
            table = sw.reflect(engine, got.path[0] or None, got.path[1])
            named = [p.lower() for p in got.path[-len(scope):]] == [p.lower() for p in scope] if scope else False
            col = _column(table, column)
            if not (named or (not scope and got.depth == 0)):
                others.append((got, engine, table))
                continue
            if col is None:
                continue
            rows = _current(engine, table, got, col)
            add(got, col, rows)
            if copies and not scope:
                own_values.update(_same(v) for _, v in rows if v is not None)
                kind = kinds.get((got.asset, col.name))
                if kind is not None:
                    own_kinds.add(kind)
        for got, engine, table in others:
            col = _column(table, column)
            corrected: set[str] = set()
            listed = False
            whole = _rows(engine, table, got) if own_values else []
            for c in table.c:
                if c.name in got.primary_key:
                    continue
                copied = [(k, r[c.name]) for k, r in whole if r[c.name] is not None and _same(r[c.name]) in own_values]
                if not copied:
                    continue
                if _same_person_kind(kinds.get((got.asset, c.name)), own_kinds):
                    add(got, c, copied)
                    corrected.add(c.name)
                else:
                    listed = True  # the child's value in a column of another kind (a guardian's phone?)
            if (listed or (col is not None and col.name not in corrected)) and got.asset not in fix.not_corrected:
                fix.not_corrected.append(got.asset)
    finally:
        for engine in engines.values():
            engine.dispose()
    if not items and walk.reached:
        where = "the child's own record" if not scope else f"a reached table named {'.'.join(scope)}"
        raise UsageError(f"no column {column!r} in {where}; reached tables with it: "
                         f"{', '.join(fix.not_corrected) or 'none'}")
    fix.column = items[0]["field"] if items else column
    return items, fix


def _same_person_kind(kind: tuple[str, str] | None, own: set[tuple[str, str]]) -> bool:
    """Whether a column holds the same kind of PI as the child's own column, about the same person.

    A guardian's column never matches a child's (a copied phone may be the parent's); an unknown role does.
    """
    if kind is None:
        return False
    return any(kind[0] == o[0] and (kind[1] == "guardian") == (o[1] == "guardian") for o in own)


def _same(value: Any) -> str:
    """The form two copies of one value share (case and surrounding spaces aside)."""
    return value_text(value).strip().lower()


def _column_kinds(catalog: Catalog) -> dict[tuple[str, str], tuple[str, str]]:
    """``(asset, column)`` → (PI kind, whose) of every column the latest scan found PI in (values, not names)."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for result in ix.latest_results(catalog):
        if result.asset.kind != AssetKind.TABLE:
            continue
        asset = f"{result.asset.connector}:{'/'.join(result.asset.path)}"
        real = ix.real_columns(result, {c.name.split("[", 1)[0] for c in result.columns})
        for c in result.columns:
            if c.entity_types and not c.suspected:
                out[(asset, real[c.name])] = (c.entity_types[0], c.subject_role)
    return out


def _rows(engine: sa.Engine, table: sa.Table, got: Reached) -> list[tuple[list[Any], dict[str, Any]]]:
    """``(key, row)`` of each walked row of ``got`` still there, whole (read in the process, never printed)."""
    key_cols = [table.c[c] for c in got.primary_key]
    out: list[tuple[list[Any], dict[str, Any]]] = []
    with engine.connect() as conn:
        for i in range(0, len(got.keys), BATCH):
            for r in conn.execute(sa.select(table).where(sw.keys_clause(key_cols, got.keys[i:i + BATCH]))):
                row = dict(r._mapping)
                out.append((json_key(tuple(row[c] for c in got.primary_key)), row))
    return out


def _current(engine: sa.Engine, table: sa.Table, got: Reached, col: sa.Column[Any]) -> list[tuple[Any, Any]]:
    """``(key, value)`` of ``col`` in each walked row of ``got`` that is still there."""
    key_cols = [table.c[c] for c in got.primary_key]
    out: list[tuple[Any, Any]] = []
    with engine.connect() as conn:
        for i in range(0, len(got.keys), BATCH):
            part = got.keys[i:i + BATCH]
            out += [(json_key(tuple(r[:-1])), r[-1])
                    for r in conn.execute(sa.select(*key_cols, col).where(sw.keys_clause(key_cols, part)))]
    return out
