"""Initial catalog: scan runs, assets, findings, per-asset verdicts and errors.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Spelled out here (not imported from schema.py) so this revision keeps describing revision 0001.
_ts = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Create the initial tables."""
    op.create_table(
        "scan_runs",
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("started_at", _ts, nullable=False),
        sa.Column("finished_at", _ts, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("connectors", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_scan_runs"),
    )
    op.create_index("ix_scan_runs_started_at", "scan_runs", ["started_at"])
    op.create_table(
        "assets",
        sa.Column("asset_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("connector", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("path", sa.JSON, nullable=False),
        sa.Column("path_key", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(255), nullable=True),
        sa.Column("first_seen_at", _ts, nullable=False),
        sa.Column("last_seen_at", _ts, nullable=False),
        sa.PrimaryKeyConstraint("asset_id", name="pk_assets"),
        sa.UniqueConstraint("connector", "kind", "path_key", name="uq_assets_identity"),
    )
    op.create_table(
        "asset_verdicts",
        sa.Column("verdict_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("asset_id", sa.Integer, nullable=False),
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
        sa.Column("recorded_at", _ts, nullable=False),
        sa.PrimaryKeyConstraint("verdict_id", name="pk_asset_verdicts"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["scan_runs.run_id"], name="fk_asset_verdicts_run_id_scan_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.asset_id"], name="fk_asset_verdicts_asset_id_assets", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("run_id", "asset_id", name="uq_asset_verdicts_run_asset"),
    )
    op.create_index("ix_asset_verdicts_asset", "asset_verdicts", ["asset_id"])
    op.create_table(
        "findings",
        sa.Column("finding_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("asset_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("column_name", sa.Text, nullable=False),
        sa.Column("column_key", sa.String(64), nullable=False),
        sa.Column("entity_types", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("sampled", sa.BigInteger, nullable=False),
        sa.Column("matched", sa.BigInteger, nullable=False),
        sa.Column("encrypted", sa.Boolean, nullable=False),
        sa.Column("suspected", sa.Boolean, nullable=False),
        sa.Column("masked_examples", sa.JSON, nullable=False),
        sa.Column("articles", sa.JSON, nullable=False),
        sa.Column("subject_role", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", name="pk_findings"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["scan_runs.run_id"], name="fk_findings_run_id_scan_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.asset_id"], name="fk_findings_asset_id_assets", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("run_id", "asset_id", "column_key", name="uq_findings_run_asset_column"),
    )
    op.create_table(
        "asset_errors",
        sa.Column("error_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("asset_id", sa.Integer, nullable=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("error_type", sa.String(255), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("recorded_at", _ts, nullable=False),
        sa.PrimaryKeyConstraint("error_id", name="pk_asset_errors"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["scan_runs.run_id"], name="fk_asset_errors_run_id_scan_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.asset_id"], name="fk_asset_errors_asset_id_assets", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_asset_errors_run", "asset_errors", ["run_id"])


def downgrade() -> None:
    """Drop every catalog table."""
    op.drop_table("asset_errors")
    op.drop_table("findings")
    op.drop_table("asset_verdicts")
    op.drop_table("assets")
    op.drop_table("scan_runs")
