"""The catalog's tables (SQLAlchemy Core), shared by the store and the Alembic migrations.

The catalog records *what* was found, never a value: column names, entity types, counts, masks that a
classifier already produced. Asset paths are stored as JSON and made unique through ``path_key``, a
SHA-256 of the canonical JSON, because MySQL cannot index a JSON column and path lengths are unbounded.

Migrations do not import this module's objects for their DDL (a migration must keep describing the
schema of its own revision); this module describes the head revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

#: Timestamps are UTC. MySQL/MariaDB DATETIME drops fractions unless told to keep them.
UtcDateTime = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

#: Our own Alembic version table, so a catalog can share a database with an application using Alembic.
VERSION_TABLE = "pi_scanner_alembic_version"

#: Names that cannot be indexed as-is (column names, JSON key paths) get a fixed-size key beside them.
NAME_KEY_LEN = 64

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

scan_runs = sa.Table(
    "scan_runs",
    metadata,
    sa.Column("run_id", sa.String(32), primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("trigger", sa.String(64), nullable=False),
    sa.Column("connectors", sa.JSON, nullable=False),
    # The run's coverage summary: assets fully, partly and not read, faults, limits and reasons (0009).
    sa.Column("coverage", sa.JSON, nullable=True),
)

assets = sa.Table(
    "assets",
    metadata,
    sa.Column("asset_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("connector", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("path", sa.JSON, nullable=False),
    sa.Column("path_key", sa.String(NAME_KEY_LEN), nullable=False),
    sa.Column("fingerprint", sa.String(255), nullable=True),
    sa.Column("first_seen_at", UtcDateTime, nullable=False),
    sa.Column("last_seen_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("connector", "kind", "path_key", name="uq_assets_identity"),
)

asset_verdicts = sa.Table(
    "asset_verdicts",
    metadata,
    sa.Column("verdict_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("scan_runs.run_id", ondelete="CASCADE"), nullable=False),
    sa.Column("asset_id", sa.Integer, sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), nullable=False),
    sa.Column("child_status", sa.String(16), nullable=False),
    sa.Column("rows_scanned", sa.BigInteger, nullable=False),
    sa.Column("age_child", sa.BigInteger, nullable=False),
    sa.Column("age_likely_child", sa.BigInteger, nullable=False),
    sa.Column("age_minor_14_17", sa.BigInteger, nullable=False),
    sa.Column("age_adult", sa.BigInteger, nullable=False),
    sa.Column("age_unknown", sa.BigInteger, nullable=False),
    sa.Column("age_conflicts", sa.BigInteger, nullable=False),
    sa.Column("notes", sa.JSON, nullable=False),
    sa.Column("fingerprint", sa.String(255), nullable=True),
    sa.Column("row_count_estimate", sa.BigInteger, nullable=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=True),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    # {"public": bool, "encrypted_at_rest": bool | None} from discovery; flags only, never values.
    sa.Column("posture", sa.JSON, nullable=True),
    sa.Column("linked_via", sa.JSON, nullable=True),
    # Collection-time ages: counts, the collection column's name and age-out days with counts (0008).
    sa.Column("collection", sa.JSON, nullable=True),
    # What the verdict read: counts, limits hit with what each left out, why not read (0009).
    sa.Column("coverage", sa.JSON, nullable=True),
    sa.UniqueConstraint("run_id", "asset_id", name="uq_asset_verdicts_run_asset"),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("finding_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("scan_runs.run_id", ondelete="CASCADE"), nullable=False),
    sa.Column("asset_id", sa.Integer, sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("column_name", sa.Text, nullable=False),
    sa.Column("column_key", sa.String(NAME_KEY_LEN), nullable=False),
    sa.Column("entity_types", sa.JSON, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("sampled", sa.BigInteger, nullable=False),
    sa.Column("matched", sa.BigInteger, nullable=False),
    sa.Column("encrypted", sa.Boolean, nullable=False),
    sa.Column("suspected", sa.Boolean, nullable=False),
    sa.Column("masked_examples", sa.JSON, nullable=False),
    sa.Column("articles", sa.JSON, nullable=False),
    sa.Column("subject_role", sa.String(32), nullable=False),
    sa.UniqueConstraint("run_id", "asset_id", "column_key", name="uq_findings_run_asset_column"),
)

asset_errors = sa.Table(
    "asset_errors",
    metadata,
    sa.Column("error_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("scan_runs.run_id", ondelete="CASCADE"), nullable=False),
    sa.Column("asset_id", sa.Integer, sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), nullable=True),
    sa.Column("stage", sa.String(32), nullable=False),
    sa.Column("error_type", sa.String(255), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
)

table_links = sa.Table(
    "table_links",
    metadata,
    sa.Column("link_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("scan_runs.run_id", ondelete="CASCADE"), nullable=False),
    sa.Column("connector", sa.String(255), nullable=False),
    sa.Column("from_path", sa.JSON, nullable=False),
    sa.Column("from_columns", sa.JSON, nullable=False),
    sa.Column("to_path", sa.JSON, nullable=False),
    sa.Column("to_columns", sa.JSON, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("declared", sa.Boolean, nullable=False),
    sa.Column("accepted", sa.Boolean, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
)

sa.Index("ix_table_links_run", table_links.c.run_id)
sa.Index("ix_scan_runs_started_at", scan_runs.c.started_at)
sa.Index("ix_asset_verdicts_asset", asset_verdicts.c.asset_id)
sa.Index("ix_asset_errors_run", asset_errors.c.run_id)
