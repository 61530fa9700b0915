"""The subject index: keyed fingerprints of identifiers, and where each one was seen.

Built by a census pass (every record, not a sample) over the assets the latest scan classified as
holding personal information. Each accepted detection of an indexed kind becomes one row:
``fingerprint`` (HMAC-SHA256 of the canonical value, never the value), the asset, the record key
(primary-key values as JSON, ``{"hmac": ...}`` when the key itself is PI, or ``[object key, record
number]`` for files and objects), the column, the column's role (``subject``/``guardian``/``unknown``) and
the record's age category. A person record with a name and a date of birth also gets ``name_dob`` rows
(:mod:`pi_scanner.subjects.person`: the fingerprint of its normalised name and ISO birth date; the column is
the JSON of the columns used, so the record can be re-checked live). A lookup is a B-tree index lookup on
``fingerprint``. An asset's rows are written as they are read, in one transaction: memory stays bounded
whatever its size, and a lookup never sees it half re-indexed.

Incremental: an asset whose connector fingerprint (ETag+size, mtime+size, row estimate) and HMAC key id
are unchanged since it was indexed is skipped. Rotating the key changes the key id, so every asset is
re-indexed and lookups only ever see rows of the current key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.classifier import Classifier
from pi_scanner.config import Settings
from pi_scanner.connectors.base import AssetInfo, Capability, Connector
from pi_scanner.errors import PiScannerError
from pi_scanner.keys import keyed_hash, load_hmac_key
from pi_scanner.models import AssetKind, AssetRef, AssetResult, ChildStatus, ColumnInfo, Sample
from pi_scanner.registry import build_connector
from pi_scanner.subjects.normalize import ENTITY_KINDS, canonical, fingerprint, key_id
from pi_scanner.subjects.person import NAME_DOB, NameDobSpec, find_spec
from pi_scanner.subjects.settings import parse_subjects

log = logging.getLogger(__name__)

_ts = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
metadata = sa.MetaData()

subject_index = sa.Table(
    "subject_index",
    metadata,
    sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("key_id", sa.String(16), nullable=False),
    sa.Column("asset_key", sa.String(64), nullable=False),
    sa.Column("record_hash", sa.String(64), nullable=False),
    sa.Column("record_key", sa.Text, nullable=False),
    sa.Column("column_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("child_status", sa.String(16), nullable=False),
)

subject_index_assets = sa.Table(
    "subject_index_assets",
    metadata,
    sa.Column("asset_key", sa.String(64), primary_key=True),
    sa.Column("connector", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.String(255), nullable=True),
    sa.Column("columns", sa.Text, nullable=False),
    sa.Column("primary_key", sa.Text, nullable=False),
    sa.Column("key_id", sa.String(16), nullable=False),
    sa.Column("records", sa.BigInteger, nullable=False),
    sa.Column("entries", sa.BigInteger, nullable=False),
    sa.Column("indexed_at", _ts, nullable=False),
)

#: Rows inserted per statement.
_INSERT_CHUNK = 5000


def asset_key(ref: AssetRef) -> str:
    """Stable id of an asset in the index (SHA-256 of connector, kind and path)."""
    canon = json.dumps([ref.connector, str(ref.kind), list(ref.path)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def record_hash(akey: str, record_key: str) -> str:
    """Stable id of one record (asset key + canonical record-key JSON)."""
    return hashlib.sha256(f"{akey}\0{record_key}".encode()).hexdigest()


def jsonable(value: Any) -> Any:
    """A record-key value as JSON (ints and strings as-is; other types by their text form)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float) and value == int(value):
        return int(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


@dataclass(frozen=True)
class IndexedAsset:
    """An asset as the index knows it.

    Attributes:
        asset_key: Its id.
        ref: Its address.
        columns: All column names (names only).
        primary_key: Key column names (tables), empty for files and objects.
    """

    asset_key: str
    ref: AssetRef
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]


@dataclass(frozen=True)
class IndexEntry:
    """One fingerprint at one location.

    Attributes:
        fingerprint: Keyed hash of the identifier.
        kind: Identifier kind.
        asset: The asset.
        record_key: Record key JSON (see module docs).
        record_hash: Record id.
        column: Column where it was seen.
        role: ``subject``, ``guardian`` or ``unknown``.
        child_status: The record's age category when indexed.
    """

    fingerprint: str
    kind: str
    asset: IndexedAsset
    record_key: str
    record_hash: str
    column: str
    role: str
    child_status: str


@dataclass
class IndexReport:
    """Outcome of :func:`build_index` (counts and value-free errors).

    Attributes:
        indexed: Assets (re-)indexed.
        skipped: Assets unchanged since they were indexed.
        records: Records read.
        entries: Fingerprints written.
        errors: ``asset: message`` per failed asset or connector.
    """

    indexed: int = 0
    skipped: int = 0
    records: int = 0
    entries: int = 0
    errors: list[str] = field(default_factory=list)


def latest_results(catalog: Catalog) -> list[AssetResult]:
    """The asset results of the latest finished scan (ok or partial); none when there is none."""
    for run in catalog.list_runs(limit=20):
        if run.status in ("ok", "partial"):
            return list(catalog.load_run(run.run_id).results)
    return []


class _Builder:
    def __init__(self, settings: Settings, catalog: Catalog, as_of: dt.date, key: bytes) -> None:
        self.settings = settings
        self.catalog = catalog
        self.cfg = parse_subjects(settings.subjects)
        self.kinds = frozenset(self.cfg.kinds)
        self.key = key
        self.kid = key_id(key)
        self.classifier = Classifier(settings.classifier, as_of)
        self.report = IndexReport()

    def state(self, akey: str) -> tuple[str | None, str] | None:
        with self.catalog.engine.connect() as conn:
            row = conn.execute(
                sa.select(subject_index_assets.c.fingerprint, subject_index_assets.c.key_id).where(
                    subject_index_assets.c.asset_key == akey
                )
            ).first()
        return None if row is None else (row.fingerprint, str(row.key_id))

    def index_asset(self, conn: Connector, info: AssetInfo, result: AssetResult) -> None:
        ref = info.ref
        akey = asset_key(ref)
        previous = self.state(akey)
        if previous is not None and info.fingerprint and previous == (info.fingerprint, self.kid):
            self.report.skipped += 1
            return
        head = conn.sample(info, 50)
        columns = [c for c in head.columns]
        real = real_columns(result, {c.name for c in columns})
        roles = {real[c.name]: c.subject_role for c in result.columns}
        pi_cols = [c for c in columns if c.name in roles]
        if not pi_cols:
            return
        pk = tuple(head.primary_key)
        width = max(1, len(pk)) if ref.kind == AssetKind.TABLE else 1
        pi_pk = ref.kind == AssetKind.TABLE and any(
            c.name in pk and c.entity_types and not c.suspected for c in result.columns
        )
        spec = _name_dob_spec(result, head)
        records = entries = 0
        counters: dict[str, int] = {}
        # Rows are written as they are made, in one transaction (a lookup never sees an asset half
        # re-indexed), so memory stays bounded whatever the asset's size.
        with self.catalog.engine.begin() as out:
            out.execute(sa.delete(subject_index).where(subject_index.c.asset_key == akey))
            out.execute(sa.delete(subject_index_assets).where(subject_index_assets.c.asset_key == akey))
            for batch in conn.iter_batches(info, [c.name for c in pi_cols], self.cfg.batch_size):
                rows = self._batch_rows(akey, ref, batch, pk, width, pi_pk, pi_cols, roles, spec, counters)
                records += len(batch)
                entries += len(rows)
                _insert(out, rows)
            out.execute(subject_index_assets.insert().values(
                asset_key=akey, connector=ref.connector, kind=str(ref.kind),
                path=json.dumps(list(ref.path), ensure_ascii=False), fingerprint=info.fingerprint or None,
                columns=json.dumps([c.name for c in columns], ensure_ascii=False), primary_key=json.dumps(list(pk)),
                key_id=self.kid, records=records, entries=entries, indexed_at=dt.datetime.now(dt.UTC),
            ))
        self.report.indexed += 1
        self.report.records += records
        self.report.entries += entries

    def _batch_rows(
        self, akey: str, ref: AssetRef, batch: Sequence[Sequence[Any]], pk: tuple[str, ...], width: int, pi_pk: bool,
        pi_cols: Sequence[ColumnInfo], roles: dict[str, str], spec: NameDobSpec | None, counters: dict[str, int],
    ) -> list[dict[str, Any]]:
        keys: list[str] = []
        for r in batch:
            if ref.kind == AssetKind.TABLE:
                values = tuple(r[:width])
                if pi_pk:
                    keys.append(json.dumps({"hmac": keyed_hash(self.key, "pk", json.dumps(
                        [jsonable(v) for v in values], separators=(",", ":")))}))
                else:
                    keys.append(json.dumps([jsonable(v) for v in values], ensure_ascii=False))
            else:
                obj = str(r[0])
                n = counters.get(obj, 0)
                counters[obj] = n + 1
                keys.append(json.dumps([obj, n], ensure_ascii=False))
        sample = Sample(
            asset=ref, columns=tuple(ColumnInfo(c.name, c.type_name, c.comment) for c in pi_cols),
            rows=[r[width:] for r in batch], primary_key=pk,
        )
        dets, statuses = self.classifier.detections_and_verdicts(sample)
        rows: list[dict[str, Any]] = []
        hashes: dict[int, str] = {}  # a record's hash once, however many of its identifiers are indexed

        def rhash(i: int) -> str:
            if i not in hashes:
                hashes[i] = record_hash(akey, keys[i])
            return hashes[i]

        for col in pi_cols:
            role = roles.get(col.name, "unknown")
            for i, cell in enumerate(dets.get(col.name, [])):
                for det in cell:
                    kind = ENTITY_KINDS.get(det.entity)
                    if kind is None or kind not in self.kinds or not det.normalized or "*" in det.normalized:
                        continue
                    rows.append({
                        "fingerprint": fingerprint(self.key, kind, canonical(kind, det.normalized)),
                        "kind": kind, "key_id": self.kid, "asset_key": akey,
                        "record_hash": rhash(i), "record_key": keys[i],
                        "column_name": col.name, "role": role, "child_status": str(statuses[i]),
                    })
        if spec is not None and NAME_DOB in self.kinds:
            names = [c.name for c in pi_cols]
            column = spec.to_text()
            for i, r in enumerate(batch):
                record = dict(zip(names, r[width:], strict=False))
                for fp in sorted(spec.fingerprints(self.key, record)):
                    rows.append({
                        "fingerprint": fp, "kind": NAME_DOB, "key_id": self.kid, "asset_key": akey,
                        "record_hash": rhash(i), "record_key": keys[i],
                        "column_name": column, "role": "subject", "child_status": str(statuses[i]),
                    })
        return rows


_COLUMNS = ("fingerprint", "kind", "key_id", "asset_key", "record_hash", "record_key", "column_name", "role",
            "child_status")


def _insert(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Write index rows inside the caller's transaction (PostgreSQL: COPY, several times faster than INSERT)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY subject_index ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in _COLUMNS))
        return
    for i in range(0, len(rows), _INSERT_CHUNK):
        conn.execute(subject_index.insert(), rows[i : i + _INSERT_CHUNK])


def real_columns(result: AssetResult, columns: set[str]) -> dict[str, str]:
    """The table column each finding of ``result`` is about, by the finding's name.

    A wide custom column relabelled from its definition (``custom_200000004[Birthdate]``, see
    :mod:`pi_scanner.datamap.custom_fields`) is the real column ``custom_200000004``: the classifier's finding
    (a birth date) is about the values stored there. A values table's findings (``value[Birthdate]``,
    ``value[Phone]``: several fields in one column) stay as they are: no one column holds one of them.
    """
    names = [c.name for c in result.columns]
    out: dict[str, str] = {}
    for name in names:
        base = name.split("[", 1)[0]
        relabelled = name not in columns and name.endswith("]") and base in columns
        out[name] = base if relabelled and sum(n.split("[", 1)[0] == base for n in names) == 1 else name
    return out


def _name_dob_spec(result: AssetResult, head: Sample) -> NameDobSpec | None:
    """The name + birth-date key of an asset: its subject's (not a guardian's) name and birth-date columns.

    The columns are the classifier's findings (a birth date in a custom field or under a misspelt name is
    one once the scan found it), named by the table's real columns.
    """
    real = real_columns(result, {c.name for c in head.columns})

    def own(entity: str) -> list[str]:
        return [real[c.name] for c in result.columns
                if c.entity_types and c.entity_types[0] == entity and c.subject_role != "guardian"]

    names = [c.name for c in head.columns]
    sample = [dict(zip(names, row, strict=False)) for row in head.rows]
    return find_spec(own("PERSON_NAME"), own("DATE_OF_BIRTH"), sample)


def build_index(
    settings: Settings, catalog: Catalog, as_of: dt.date, connectors: Sequence[str] | None = None,
    hmac_key: bytes | None = None,
) -> IndexReport:
    """Build or refresh the subject index from a census pass over the PI assets of the latest scan.

    Args:
        settings: The configuration (connectors, classifier, ``subjects``).
        catalog: A catalog migrated to ``0004_subjects`` or later, holding a finished scan.
        as_of: Reference date for the record age categories.
        connectors: Only these connectors (default every connector of the latest scan).
        hmac_key: The catalog's HMAC key (default loaded from the configuration).

    Returns:
        Counts, and one value-free error line per asset or connector that failed (the rest goes on).
    """
    key = hmac_key if hmac_key is not None else load_hmac_key(settings.catalog)
    builder = _Builder(settings, catalog, as_of, key)
    wanted: dict[str, dict[tuple[str, ...], AssetResult]] = {}
    for result in latest_results(catalog):
        if not result.columns or result.child_status == ChildStatus.NONE:
            continue
        if connectors and result.asset.connector not in connectors:
            continue
        wanted.setdefault(result.asset.connector, {})[result.asset.path] = result
    for name, results in sorted(wanted.items()):
        cfg = settings.connectors.get(name)
        if cfg is None:
            builder.report.errors.append(f"{name}: connector no longer configured")
            continue
        try:
            with build_connector(name, cfg) as conn:
                conn.require(Capability.CENSUS)  # the index reads every record through the full pass
                for info in conn.discover():
                    found = results.get(info.ref.path)
                    if found is None or info.meta.get("relation", "table") != "table":
                        continue  # a view's rows are its base table's: indexed (and erased) there only
                    try:
                        builder.index_asset(conn, info, found)
                    except (PiScannerError, NotImplementedError, OSError) as exc:
                        builder.report.errors.append(f"{info.ref.display}: {type(exc).__name__}: {exc}"[:500])
        except (PiScannerError, OSError) as exc:
            builder.report.errors.append(f"{name}: {type(exc).__name__}: {exc}"[:500])
    log.info("subject index built", extra={"indexed": builder.report.indexed, "skipped": builder.report.skipped,
                                           "entries": builder.report.entries})
    return builder.report


def _asset_from_row(row: Any) -> IndexedAsset:
    path = tuple(json.loads(row.path))
    return IndexedAsset(
        asset_key=row.asset_key, ref=AssetRef(row.connector, AssetKind(row.kind), path),
        columns=tuple(json.loads(row.columns)), primary_key=tuple(json.loads(row.primary_key)),
    )


def _entries(catalog: Catalog, where: sa.ColumnElement[bool]) -> list[IndexEntry]:
    i, a = subject_index, subject_index_assets
    stmt = sa.select(
        i.c.fingerprint, i.c.kind, i.c.record_key, i.c.record_hash, i.c.column_name, i.c.role, i.c.child_status,
        a.c.asset_key, a.c.connector, a.c.kind.label("asset_kind"), a.c.path, a.c.columns, a.c.primary_key,
    ).select_from(i.join(a, i.c.asset_key == a.c.asset_key)).where(where)
    out: list[IndexEntry] = []
    assets: dict[str, IndexedAsset] = {}
    with catalog.engine.connect() as conn:
        for r in conn.execute(stmt):
            asset = assets.get(r.asset_key)
            if asset is None:
                ref = AssetRef(r.connector, AssetKind(r.asset_kind), tuple(json.loads(r.path)))
                asset = assets[r.asset_key] = IndexedAsset(
                    asset_key=r.asset_key, ref=ref,
                    columns=tuple(json.loads(r.columns)), primary_key=tuple(json.loads(r.primary_key)),
                )
            out.append(IndexEntry(r.fingerprint, r.kind, asset, r.record_key, r.record_hash, r.column_name, r.role,
                                  r.child_status))
    return out


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    items = sorted(set(values))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def lookup(catalog: Catalog, fingerprints: Iterable[str], kid: str) -> list[IndexEntry]:
    """Every location of these fingerprints under key ``kid`` (an index lookup on ``fingerprint``)."""
    out: list[IndexEntry] = []
    for chunk in _chunks(fingerprints):
        out += _entries(catalog, sa.and_(subject_index.c.fingerprint.in_(chunk), subject_index.c.key_id == kid))
    return out


def record_entries(catalog: Catalog, record_hashes: Iterable[str], kid: str) -> list[IndexEntry]:
    """Every fingerprint of these records (index lookup on ``record_hash``)."""
    out: list[IndexEntry] = []
    for chunk in _chunks(record_hashes):
        out += _entries(catalog, sa.and_(subject_index.c.record_hash.in_(chunk), subject_index.c.key_id == kid))
    return out


def forget_records(catalog: Catalog, record_hashes: Iterable[str]) -> int:
    """Remove the index rows of records that were erased; returns rows removed."""
    n = 0
    with catalog.engine.begin() as conn:
        for chunk in _chunks(record_hashes):
            n += int(conn.execute(sa.delete(subject_index).where(subject_index.c.record_hash.in_(chunk))).rowcount or 0)
    return n


def forget_asset(catalog: Catalog, ref: AssetRef) -> None:
    """Mark an asset changed (a correction was written to it), so the next build re-indexes it.

    Its entries stay until then; lookups re-check every record live, so a stale one is reported stale.
    """
    with catalog.engine.begin() as conn:
        conn.execute(sa.update(subject_index_assets).where(subject_index_assets.c.asset_key == asset_key(ref))
                     .values(fingerprint=None))


def indexed_asset(catalog: Catalog, ref: AssetRef) -> IndexedAsset | None:
    """The index's record of one asset, or None."""
    with catalog.engine.connect() as conn:
        query = sa.select(subject_index_assets).where(subject_index_assets.c.asset_key == asset_key(ref))
        row = conn.execute(query).first()
    return None if row is None else _asset_from_row(row)


def is_built(catalog: Catalog, kid: str | None = None) -> bool:
    """Whether the subject index has been built (some asset indexed; with ``kid``: under that key and version)."""
    query = sa.select(sa.literal(1)).select_from(subject_index_assets)
    if kid is not None:
        query = query.where(subject_index_assets.c.key_id == kid)
    with catalog.engine.connect() as conn:
        return conn.execute(query.limit(1)).first() is not None


def not_indexed(catalog: Catalog, kid: str, connectors: Iterable[str]) -> list[str]:
    """The configured stores a lookup under key ``kid`` would answer for from missing state (value-free lines).

    A store with no asset in the index is either one the latest scan found PI in (the index was built before
    it was scanned, or for other stores only) or one no scan has read: either way, "nothing found" there would
    be an answer from missing state, so it is named. A store the latest scan read and found no PI in is not.
    """
    with catalog.engine.connect() as conn:
        indexed = {str(r[0]) for r in conn.execute(
            sa.select(subject_index_assets.c.connector).where(subject_index_assets.c.key_id == kid).distinct())}
    scanned: dict[str, bool] = {}
    for result in latest_results(catalog):
        name = result.asset.connector
        scanned[name] = scanned.get(name, False) or bool(result.columns and result.child_status != ChildStatus.NONE)
    out: list[str] = []
    for name in sorted(set(connectors) - indexed):
        if name not in scanned:
            out.append(f"{name}: not scanned, so not in the subject index (scan it, then run `pi-scanner subject "
                       "index`)")
        elif scanned[name]:
            out.append(f"{name}: holds PI per the latest scan but is not in the subject index (run `pi-scanner "
                       "subject index`)")
    return out
