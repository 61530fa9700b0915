"""Retention tables: the hash-chained audit ledger, its head pointer and apply checkpoints.

Revision ID: 0003_retention
Revises: 0002_daemon
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003_retention"
down_revision: str | None = "0002_daemon"
branch_labels: str | None = None
depends_on: str | None = None

# Spelled out here (not imported from retention/tables.py) so this revision keeps describing itself.
_ts = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Create ``audit_ledger``, ``audit_ledger_head`` and ``retention_progress``."""
    op.create_table(
        "audit_ledger",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("recorded_at", _ts, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("policy", sa.String(255), nullable=True),
        sa.Column("asset", sa.Text, nullable=True),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("keys_hmac", sa.String(64), nullable=True),
        sa.Column("basis", sa.Text, nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_ledger_recorded_at", "audit_ledger", ["recorded_at"])
    op.create_table(
        "audit_ledger_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "retention_progress",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("batch_index", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("keys_hash", sa.String(64), nullable=False),
        sa.Column("done", sa.BigInteger, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
    )


def downgrade() -> None:
    """Drop the retention tables."""
    op.drop_table("retention_progress")
    op.drop_table("audit_ledger_head")
    op.drop_index("ix_audit_ledger_recorded_at", table_name="audit_ledger")
    op.drop_table("audit_ledger")
