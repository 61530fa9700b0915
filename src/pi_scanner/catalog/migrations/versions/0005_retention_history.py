"""Retention history: over-retained records per scan run, policy and asset (the compliance trend).

Revision ID: 0005_retention_history
Revises: 0004_subjects
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005_retention_history"
down_revision: str | None = "0004_subjects"
branch_labels: str | None = None
depends_on: str | None = None

# Spelled out here (not imported from retention/tables.py) so this revision keeps describing itself.
_ts = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Create ``retention_history`` with an index on the run it belongs to."""
    op.create_table(
        "retention_history",
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("policy", sa.String(255), nullable=False),
        sa.Column("asset", sa.Text, nullable=False),
        sa.Column("expired", sa.BigInteger, nullable=False),
        sa.Column("children", sa.BigInteger, nullable=True),
        sa.Column("recorded_at", _ts, nullable=False),
    )
    op.create_index("ix_retention_history_run", "retention_history", ["run_id"])


def downgrade() -> None:
    """Drop the retention history."""
    op.drop_index("ix_retention_history_run", table_name="retention_history")
    op.drop_table("retention_history")
