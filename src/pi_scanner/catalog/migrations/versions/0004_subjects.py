"""Subject index: keyed fingerprints of identifiers with their locations, and per-asset index state.

Revision ID: 0004_subjects
Revises: 0003_retention
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004_subjects"
down_revision: str | None = "0003_retention"
branch_labels: str | None = None
depends_on: str | None = None

# Spelled out here (not imported from subjects/index.py) so this revision keeps describing itself.
_ts = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Create ``subject_index`` (B-tree on fingerprint and on record) and ``subject_index_assets``."""
    op.create_table(
        "subject_index",
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("asset_key", sa.String(64), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("record_key", sa.Text, nullable=False),
        sa.Column("column_name", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("child_status", sa.String(16), nullable=False),
    )
    op.create_index("ix_subject_index_fingerprint", "subject_index", ["fingerprint"])
    op.create_index("ix_subject_index_record", "subject_index", ["record_hash"])
    op.create_index("ix_subject_index_asset", "subject_index", ["asset_key"])
    op.create_table(
        "subject_index_assets",
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


def downgrade() -> None:
    """Drop the subject index tables."""
    op.drop_table("subject_index_assets")
    op.drop_index("ix_subject_index_asset", table_name="subject_index")
    op.drop_index("ix_subject_index_record", table_name="subject_index")
    op.drop_index("ix_subject_index_fingerprint", table_name="subject_index")
    op.drop_table("subject_index")
