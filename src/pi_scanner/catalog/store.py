"""The catalog store: scan runs, per-asset verdicts, column findings and errors in a SQL database.

Any SQLAlchemy database works; SQLite (the default, a local file) and PostgreSQL are tested. Writes are
short transactions so that two processes (a daemon and a manual ``scan``) can write at once:

* SQLite runs in WAL mode with a busy timeout, and every transaction starts with ``BEGIN IMMEDIATE`` so
  writers queue on the lock instead of failing when a read transaction tries to upgrade.
* Assets are get-or-created in their own transaction; a unique-key race with another writer is resolved
  by reading the winner's row.

Nothing here ever sees a raw value: :class:`~pi_scanner.models.AssetResult` holds masks and counts only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from pydantic import SecretStr

from pi_scanner.catalog import schema as t
from pi_scanner.config import CatalogConfig
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.errors import ConfigError, PiScannerError
from pi_scanner.models import (
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    CollectionAges,
    ColumnFinding,
    Coverage,
    ErrorStage,
    LinkedVia,
    ScanRun,
    TableLink,
)

#: Where the Alembic scripts live inside the installed package.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

RUN_STATUSES = frozenset({"running", "ok", "partial", "failed"})
_FINAL_STATUSES = frozenset({"ok", "partial", "failed"})
#: Runs that went to the end: their verdicts are the scan's whole answer (``partial`` lists what failed).
FINISHED_STATUSES = frozenset({"ok", "partial"})

#: An arbitrary constant: serialises concurrent ``migrate()`` calls on PostgreSQL.
_PG_MIGRATION_LOCK = 0x50495343  # "PISC"
_MYSQL_MIGRATION_LOCK = "pi_scanner_migrate"

_SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_ATTEMPTS = 5
#: Deadlock / serialization failures: PostgreSQL SQLSTATEs and MySQL errnos. The transaction is safe to rerun.
_RETRYABLE_STATES = frozenset({"40001", "40P01"})
_RETRYABLE_ERRNOS = frozenset({1205, 1213})


def _is_retryable(exc: sa.exc.DBAPIError) -> bool:
    orig = exc.orig
    if orig is None:
        return False
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0] in _RETRYABLE_ERRNOS
    return str(getattr(orig, "sqlstate", "") or "") in _RETRYABLE_STATES


class CatalogError(PiScannerError):
    """The catalog cannot be opened, migrated or written."""


@dataclass(frozen=True)
class RunSummary:
    """One line of ``list_runs``: a run without its results.

    Attributes:
        run_id: The run's id.
        as_of: Reference date of the run.
        started_at: Start time (UTC).
        finished_at: End time (UTC), None while running.
        status: ``running``, ``ok``, ``partial`` or ``failed``.
        trigger: What started it (``cli``, ``schedule``, ...).
        connectors: Connector names scanned.
        assets: Assets with a recorded verdict.
        errors: Errors recorded.
        coverage: The run's coverage summary as the scan computed it (assets fully, partly and not read,
            faults, limits, reasons); None for a run that did not finish or was recorded before 0009.
    """

    run_id: str
    as_of: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    trigger: str
    connectors: tuple[str, ...]
    assets: int
    errors: int
    coverage: dict[str, Any] | None = None


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite and MySQL return naive datetimes; everything stored is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _key(parts: Any) -> str:
    canonical = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _ensure_sqlite_file(url: sa.URL) -> None:
    """Create a SQLite catalog file readable by its owner only, before SQLite creates it 0644."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class Catalog:
    """The scanner's own state in a SQL database.

    Args:
        url: SQLAlchemy URL (``sqlite:///catalog.db``, ``postgresql://scanner@db/catalog``).
        password: Merged into the URL at connect time; never logged or shown (URLs render masked).

    Raises:
        ConfigError: The URL cannot be parsed.
    """

    def __init__(self, url: str, password: SecretStr | None = None) -> None:
        try:
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError:
            raise ConfigError("catalog url is not a valid SQLAlchemy URL") from None
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        elif parsed.drivername in ("mysql", "mariadb"):
            parsed = parsed.set(drivername="mysql+pymysql")
        if password is not None:
            parsed = parsed.set(password=password.get_secret_value())
        self._url = parsed
        self._is_sqlite = parsed.get_backend_name() == "sqlite"
        if self._is_sqlite:
            _ensure_sqlite_file(parsed)
            self.engine: sa.Engine = sa.create_engine(
                parsed, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
            )
            sa.event.listen(self.engine, "connect", _sqlite_on_connect)
            sa.event.listen(self.engine, "begin", _sqlite_on_begin)
        else:
            # hide_parameters: statement errors must not echo what was being written.
            self.engine = sa.create_engine(parsed, pool_pre_ping=True, hide_parameters=True)

    @classmethod
    def from_config(cls, cfg: CatalogConfig) -> Catalog:
        """Open the catalog a configuration names."""
        return cls(cfg.url, cfg.password)

    @property
    def url_masked(self) -> str:
        """The catalog URL with any password masked."""
        return self._url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"<Catalog {self.url_masked}>"

    # -- schema -------------------------------------------------------------------------------------

    def alembic_config(self) -> AlembicConfig:
        """An Alembic config pointing at the packaged migrations (for ``command.*`` calls)."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        return cfg

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the catalog schema to ``revision`` (default the newest); a no-op when up to date.

        Raises:
            CatalogError: The database cannot be reached or the migration fails.
        """
        cfg = self.alembic_config()
        try:
            if self.engine.dialect.name in ("mysql", "mariadb"):
                self._migrate_mysql(cfg, revision)
                return
            with self.engine.begin() as conn:
                # Two processes starting at once must not both create the tables.
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except sa.exc.SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None) or exc
            code = orig.args[0] if orig.args and isinstance(orig.args[0], int) else None
            cause = type(orig).__name__ + (f" [{code}]" if code is not None else "")
            raise CatalogError(f"cannot migrate catalog {self.url_masked}: {cause}") from None

    def _migrate_mysql(self, cfg: AlembicConfig, revision: str) -> None:
        """Upgrade under a named session lock, released only after the version row is committed.

        MySQL DDL is not transactional (each ALTER commits), so the lock is what keeps a second process
        out; releasing it before the last version update committed let that process see the previous
        revision and repeat the last migration's DDL (``Duplicate column name``).
        """
        lock = f"{_MYSQL_MIGRATION_LOCK}:{self._url.database or ''}"[:64]
        with self.engine.connect() as conn:
            got = conn.execute(sa.select(sa.func.get_lock(lock, 120))).scalar()
            conn.commit()
            if got != 1:
                raise CatalogError(f"timed out waiting for another migration of {self.url_masked}")
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, revision)
            finally:
                conn.execute(sa.select(sa.func.release_lock(lock)))
                conn.commit()

    def current_revision(self) -> str | None:
        """The revision the catalog is at, or None before the first migration."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": t.VERSION_TABLE})
            return ctx.get_current_revision()

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, as_of: dt.date, connectors: list[str], trigger: str) -> str:
        """Record the start of a scan and return its id (uuid4 hex)."""
        run_id = uuid.uuid4().hex
        with self.engine.begin() as conn:
            conn.execute(
                t.scan_runs.insert().values(
                    run_id=run_id,
                    as_of=as_of,
                    started_at=_utcnow(),
                    finished_at=None,
                    status="running",
                    trigger=trigger,
                    connectors=list(connectors),
                )
            )
        return run_id

    def finish_run(self, run_id: str, status: str, coverage: dict[str, Any] | None = None) -> None:
        """Mark a run finished with ``ok``, ``partial`` or ``failed``, with its coverage summary when known.

        Raises:
            ValueError: Unknown status.
            CatalogError: No such run.
        """
        if status not in _FINAL_STATUSES:
            raise ValueError(f"run status must be one of {sorted(_FINAL_STATUSES)}, not {status!r}")
        with self.engine.begin() as conn:
            res = conn.execute(
                t.scan_runs.update().where(t.scan_runs.c.run_id == run_id)
                .values(status=status, finished_at=_utcnow(), coverage=coverage)
            )
            if res.rowcount == 0:
                raise CatalogError(f"no scan run {run_id!r} in the catalog")

    def _asset_id(self, asset: AssetRef, fingerprint: str | None = None) -> int:
        """Get or create the asset's row in its own short transaction."""
        path = list(asset.path)
        key = _key(path)
        now = _utcnow()
        cond = sa.and_(
            t.assets.c.connector == asset.connector,
            t.assets.c.kind == str(asset.kind),
            t.assets.c.path_key == key,
        )
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    found = conn.execute(sa.select(t.assets.c.asset_id).where(cond)).scalar_one_or_none()
                    if found is not None:
                        values: dict[str, Any] = {"last_seen_at": now}
                        if fingerprint is not None:
                            values["fingerprint"] = fingerprint
                        conn.execute(t.assets.update().where(t.assets.c.asset_id == found).values(**values))
                        return int(found)
                with self.engine.begin() as conn:
                    res = conn.execute(
                        t.assets.insert().values(
                            connector=asset.connector,
                            kind=str(asset.kind),
                            path=path,
                            path_key=key,
                            fingerprint=fingerprint,
                            first_seen_at=now,
                            last_seen_at=now,
                        )
                    )
                    pk = res.inserted_primary_key
                    assert pk is not None
                    return int(pk[0])
            except sa.exc.IntegrityError:
                continue  # another process inserted it first: read its row
            except sa.exc.DBAPIError as exc:
                if attempt + 1 == _WRITE_ATTEMPTS or not _is_retryable(exc):
                    raise
                time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
        raise CatalogError(f"cannot register asset {asset.display} in the catalog")

    def _write(self, work: Callable[[sa.Connection], object]) -> None:
        """Run ``work`` in one short transaction, retrying when the database picks it as a deadlock victim."""
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    work(conn)
                return
            except sa.exc.DBAPIError as exc:
                if attempt + 1 == _WRITE_ATTEMPTS or not _is_retryable(exc):
                    raise
                time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)

    def record_result(self, run_id: str, result: AssetResult, info: AssetInfo | None = None) -> None:
        """Store one asset's verdict and column findings; recording the same asset again replaces them."""
        fingerprint = info.fingerprint if info is not None and info.fingerprint else None
        asset_id = self._asset_id(result.asset, fingerprint)
        ages = result.ages

        def write(conn: sa.Connection) -> None:
            # Delete only what exists: a DELETE matching nothing takes InnoDB gap locks that deadlock
            # two writers inserting side by side.
            for table in (t.findings, t.asset_verdicts):
                cond = sa.and_(table.c.run_id == run_id, table.c.asset_id == asset_id)
                if conn.execute(sa.select(sa.literal(1)).select_from(table).where(cond).limit(1)).first():
                    conn.execute(table.delete().where(cond))
            conn.execute(
                t.asset_verdicts.insert().values(
                    run_id=run_id,
                    asset_id=asset_id,
                    child_status=str(result.child_status),
                    rows_scanned=result.rows_scanned,
                    age_child=ages.child,
                    age_likely_child=ages.likely_child,
                    age_minor_14_17=ages.minor_14_17,
                    age_adult=ages.adult,
                    age_unknown=ages.unknown,
                    age_conflicts=ages.conflicts,
                    notes=list(result.notes),
                    fingerprint=fingerprint,
                    row_count_estimate=info.row_count_estimate if info else None,
                    size_bytes=info.size_bytes if info else None,
                    recorded_at=_utcnow(),
                    posture=_posture(info),
                    linked_via=(
                        {"path": list(result.linked_via.path), "confidence": result.linked_via.confidence}
                        if result.linked_via is not None else None
                    ),
                    collection=collection_to_json(result.collection),
                    coverage=coverage_to_json(result.coverage),
                )
            )
            rows = [
                {
                    "run_id": run_id,
                    "asset_id": asset_id,
                    "position": i,
                    "column_name": f.name,
                    "column_key": _key(f.name),
                    "entity_types": list(f.entity_types),
                    "confidence": float(f.confidence),
                    "sampled": f.sampled,
                    "matched": f.matched,
                    "encrypted": f.encrypted,
                    "suspected": f.suspected,
                    "masked_examples": list(f.masked_examples),
                    "articles": list(f.articles),
                    "subject_role": f.subject_role,
                }
                for i, f in enumerate(result.columns)
            ]
            if rows:
                conn.execute(t.findings.insert(), rows)

        self._write(write)

    def record_links(self, run_id: str, links: Sequence[TableLink]) -> None:
        """Store the data map's links of a run (names, confidences and evidence only); replaces earlier ones."""
        rows = [
            {
                "run_id": run_id,
                "connector": link.connector,
                "from_path": list(link.from_path),
                "from_columns": list(link.from_columns),
                "to_path": list(link.to_path),
                "to_columns": list(link.to_columns),
                "confidence": float(link.confidence),
                "declared": link.declared,
                "accepted": link.accepted,
                "evidence": list(link.evidence),
            }
            for link in links
        ]

        def write(conn: sa.Connection) -> None:
            cond = t.table_links.c.run_id == run_id
            if conn.execute(sa.select(sa.literal(1)).select_from(t.table_links).where(cond).limit(1)).first():
                conn.execute(t.table_links.delete().where(cond))
            if rows:
                conn.execute(t.table_links.insert(), rows)

        self._write(write)

    def load_links(self, run_id: str) -> list[TableLink]:
        """The links recorded for a run, in the order they were recorded."""
        with self.engine.connect() as conn:
            return [
                TableLink(
                    connector=r.connector,
                    from_path=tuple(r.from_path),
                    from_columns=tuple(r.from_columns),
                    to_path=tuple(r.to_path),
                    to_columns=tuple(r.to_columns),
                    confidence=float(r.confidence),
                    declared=bool(r.declared),
                    accepted=bool(r.accepted),
                    evidence=tuple(r.evidence),
                )
                for r in conn.execute(
                    sa.select(t.table_links).where(t.table_links.c.run_id == run_id).order_by(t.table_links.c.link_id)
                )
            ]

    def record_error(self, run_id: str, error: AssetError) -> None:
        """Store a failure confined to one asset (or connector-wide when ``error.asset`` is None)."""
        asset_id = self._asset_id(error.asset) if error.asset is not None else None
        self._write(
            lambda conn: conn.execute(
                t.asset_errors.insert().values(
                    run_id=run_id,
                    asset_id=asset_id,
                    stage=error.stage,
                    error_type=error.error_type,
                    message=error.message,
                    recorded_at=_utcnow(),
                )
            )
        )

    # -- reading ------------------------------------------------------------------------------------

    def load_run(self, run_id: str) -> ScanRun:
        """Rebuild a run with its results and errors, in the order they were recorded.

        Raises:
            CatalogError: No such run.
        """
        with self.engine.connect() as conn:
            run = conn.execute(sa.select(t.scan_runs).where(t.scan_runs.c.run_id == run_id)).one_or_none()
            if run is None:
                raise CatalogError(f"no scan run {run_id!r} in the catalog")
            asset_rows = {
                r.asset_id: AssetRef(r.connector, AssetKind(r.kind), tuple(r.path))
                for r in conn.execute(
                    sa.select(t.assets.c.asset_id, t.assets.c.connector, t.assets.c.kind, t.assets.c.path).where(
                        sa.or_(
                            t.assets.c.asset_id.in_(
                                sa.select(t.asset_verdicts.c.asset_id).where(t.asset_verdicts.c.run_id == run_id)
                            ),
                            t.assets.c.asset_id.in_(
                                sa.select(t.asset_errors.c.asset_id).where(t.asset_errors.c.run_id == run_id)
                            ),
                        )
                    )
                )
            }
            by_asset: dict[int, list[ColumnFinding]] = {}
            for f in conn.execute(
                sa.select(t.findings)
                .where(t.findings.c.run_id == run_id)
                .order_by(t.findings.c.asset_id, t.findings.c.position)
            ):
                by_asset.setdefault(f.asset_id, []).append(
                    ColumnFinding(
                        name=f.column_name,
                        entity_types=tuple(f.entity_types),
                        confidence=f.confidence,
                        sampled=f.sampled,
                        matched=f.matched,
                        encrypted=bool(f.encrypted),
                        suspected=bool(f.suspected),
                        masked_examples=tuple(f.masked_examples),
                        articles=tuple(f.articles),
                        subject_role=f.subject_role,
                    )
                )
            results = [
                AssetResult(
                    asset=asset_rows[v.asset_id],
                    columns=tuple(by_asset.get(v.asset_id, ())),
                    child_status=ChildStatus(v.child_status),
                    rows_scanned=v.rows_scanned,
                    ages=AgeCounts(
                        child=v.age_child,
                        likely_child=v.age_likely_child,
                        minor_14_17=v.age_minor_14_17,
                        adult=v.age_adult,
                        unknown=v.age_unknown,
                        conflicts=v.age_conflicts,
                    ),
                    notes=tuple(v.notes),
                    linked_via=(
                        LinkedVia(tuple(v.linked_via["path"]), float(v.linked_via["confidence"]))
                        if isinstance(v.linked_via, dict) else None
                    ),
                    collection=collection_from_json(v.collection),
                    coverage=coverage_from_json(v.coverage),
                )
                for v in conn.execute(
                    sa.select(t.asset_verdicts)
                    .where(t.asset_verdicts.c.run_id == run_id)
                    .order_by(t.asset_verdicts.c.verdict_id)
                )
            ]
            errors = [
                AssetError(
                    asset=asset_rows[e.asset_id] if e.asset_id is not None else None,
                    # Written only from AssetError.stage, so one of ERROR_STAGES.
                    stage=cast("ErrorStage", e.stage),
                    error_type=e.error_type,
                    message=e.message,
                )
                for e in conn.execute(
                    sa.select(t.asset_errors)
                    .where(t.asset_errors.c.run_id == run_id)
                    .order_by(t.asset_errors.c.error_id)
                )
            ]
        started = _as_utc(run.started_at)
        assert started is not None
        links = self.load_links(run_id)
        return ScanRun(
            run_id=run.run_id,
            as_of=run.as_of,
            started_at=started,
            finished_at=_as_utc(run.finished_at),
            results=results,
            errors=errors,
            connectors=list(run.connectors),
            links=links,
        )

    def load_postures(self, run_id: str) -> dict[str, dict[str, Any]]:
        """The posture flags recorded with each verdict of a run, by asset display name.

        Returns:
            ``{display: {"public": bool, "encrypted_at_rest": bool | None}}`` for verdicts that have one.
        """
        query = (
            sa.select(t.assets.c.connector, t.assets.c.kind, t.assets.c.path, t.asset_verdicts.c.posture)
            .join(t.assets, t.assets.c.asset_id == t.asset_verdicts.c.asset_id)
            .where(t.asset_verdicts.c.run_id == run_id)
        )
        with self.engine.connect() as conn:
            # A verdict without posture may hold SQL NULL or JSON null depending on the dialect.
            return {
                AssetRef(r.connector, AssetKind(r.kind), tuple(r.path)).display: dict(r.posture)
                for r in conn.execute(query)
                if isinstance(r.posture, dict)
            }

    def run_status(self, run_id: str) -> str | None:
        """The status of a run, or None when there is no such run."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(t.scan_runs.c.status).where(t.scan_runs.c.run_id == run_id)
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def latest_run_id(self, status: str | None = None) -> str | None:
        """The most recently started run (with ``status``, when given), or None."""
        query = sa.select(t.scan_runs.c.run_id).order_by(t.scan_runs.c.started_at.desc(), t.scan_runs.c.run_id.desc())
        if status is not None:
            query = query.where(t.scan_runs.c.status == status)
        with self.engine.connect() as conn:
            value = conn.execute(query.limit(1)).scalar_one_or_none()
        return None if value is None else str(value)

    def list_runs(self, limit: int = 20) -> list[RunSummary]:
        """The ``limit`` most recent runs, newest first, with asset and error counts."""
        n_assets = sa.select(sa.func.count()).where(t.asset_verdicts.c.run_id == t.scan_runs.c.run_id).scalar_subquery()
        n_errors = sa.select(sa.func.count()).where(t.asset_errors.c.run_id == t.scan_runs.c.run_id).scalar_subquery()
        query = (
            sa.select(t.scan_runs, n_assets.label("n_assets"), n_errors.label("n_errors"))
            .order_by(t.scan_runs.c.started_at.desc(), t.scan_runs.c.run_id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            started = _as_utc(r.started_at)
            assert started is not None
            out.append(
                RunSummary(
                    run_id=r.run_id,
                    as_of=r.as_of,
                    started_at=started,
                    finished_at=_as_utc(r.finished_at),
                    status=r.status,
                    trigger=r.trigger,
                    connectors=tuple(r.connectors),
                    assets=int(r.n_assets),
                    errors=int(r.n_errors),
                    coverage=r.coverage if isinstance(r.coverage, dict) else None,
                )
            )
        return out

    def asset_fingerprint(self, asset: AssetRef) -> str | None:
        """The fingerprint last recorded for ``asset`` (incremental scans), or None."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(t.assets.c.fingerprint).where(
                    t.assets.c.connector == asset.connector,
                    t.assets.c.kind == str(asset.kind),
                    t.assets.c.path_key == _key(list(asset.path)),
                )
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def collection_to_json(c: CollectionAges | None) -> dict[str, Any] | None:
    """The catalog's JSON of collection-time ages (counts, a column name and age-out days; no birth date)."""
    if c is None:
        return None
    return {
        "source": c.source,
        "column": c.column,
        "exact": c.exact,
        "records": c.records,
        "collected_while_child": c.collected_while_child,
        "collected_not_child": c.collected_not_child,
        "collection_unknown": c.collection_unknown,
        "collection_conflicts": c.collection_conflicts,
        "child_now": c.child_now,
        "aged_out_since_collection": c.aged_out_since_collection,
        "as_of": c.as_of.isoformat() if c.as_of else None,
        "horizon_days": c.horizon_days,
        "age_outs": [list(p) for p in c.age_outs],
        "adults": [list(p) for p in c.adults],
    }


def collection_from_json(data: Any) -> CollectionAges | None:
    """:func:`collection_to_json` read back (None for verdicts recorded before migration 0008)."""
    if not isinstance(data, dict):
        return None
    as_of = data.get("as_of")
    return CollectionAges(
        source=str(data.get("source", "none")),
        column=data.get("column"),
        exact=bool(data.get("exact")),
        records=int(data.get("records", 0)),
        collected_while_child=int(data.get("collected_while_child", 0)),
        collected_not_child=int(data.get("collected_not_child", 0)),
        collection_unknown=int(data.get("collection_unknown", 0)),
        collection_conflicts=int(data.get("collection_conflicts", 0)),
        child_now=int(data.get("child_now", 0)),
        aged_out_since_collection=int(data.get("aged_out_since_collection", 0)),
        as_of=dt.date.fromisoformat(as_of) if isinstance(as_of, str) else None,
        horizon_days=int(data.get("horizon_days", 0)),
        age_outs=tuple((str(d), int(n)) for d, n in data.get("age_outs", [])),
        adults=tuple((str(d), int(n)) for d, n in data.get("adults", [])),
    )


def coverage_to_json(c: Coverage | None) -> dict[str, Any] | None:
    """The catalog's JSON of what a verdict read (counts, limit names, a value-free sentence)."""
    if c is None:
        return None
    return {
        "rows_read": c.rows_read,
        "rows_total": c.rows_total,
        "bytes_read": c.bytes_read,
        "bytes_total": c.bytes_total,
        "columns_read": c.columns_read,
        "columns_total": c.columns_total,
        "cells_read": c.cells_read,
        "cells_partly_read": c.cells_partly_read,
        "limits": [[name, count] for name, count in c.limits],
        "not_read": c.not_read,
        "detail": c.detail,
    }


def coverage_from_json(data: Any) -> Coverage | None:
    """:func:`coverage_to_json` read back (None for verdicts recorded before migration 0009)."""
    if not isinstance(data, dict):
        return None

    def count(key: str) -> int | None:
        value = data.get(key)
        return int(value) if value is not None else None

    return Coverage(
        rows_read=count("rows_read") or 0,
        rows_total=count("rows_total"),
        bytes_read=count("bytes_read") or 0,
        bytes_total=count("bytes_total"),
        columns_read=count("columns_read") or 0,
        columns_total=count("columns_total"),
        cells_read=count("cells_read") or 0,
        cells_partly_read=count("cells_partly_read") or 0,
        limits=tuple((str(name), int(n)) for name, n in data.get("limits", [])),
        not_read=str(data.get("not_read") or ""),
        detail=str(data.get("detail") or ""),
    )


def _posture(info: AssetInfo | None) -> dict[str, Any] | None:
    """The posture flags of discovery worth keeping with a verdict (None when discovery said nothing)."""
    if info is None:
        return None
    kept = {k: info.meta[k] for k in ("public", "encrypted_at_rest") if k in info.meta}
    return {k: (None if v is None else bool(v)) for k, v in kept.items()} or None


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE instead of pysqlite's deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
        _enable_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _enable_wal(cursor: Any) -> None:
    # Switching a new database to WAL needs an exclusive lock and SQLite answers "database is locked" at
    # once, without the busy handler, while another process (a second `scan`, the daemon) holds any lock
    # on the file; wait for it like the busy timeout would.
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_on_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
