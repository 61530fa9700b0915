"""Collection-time age per verdict: collected-while-child counts and upcoming age-out dates (spec §B4, §B5).

Revision ID: 0008_collection_ages
Revises: 0007_table_links
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_collection_ages"
down_revision: str | None = "0007_table_links"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``asset_verdicts.collection`` (JSON counts and a histogram of age-out days; never a birth date)."""
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.add_column(sa.Column("collection", sa.JSON, nullable=True))


def downgrade() -> None:
    """Drop the ``collection`` column."""
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.drop_column("collection")
