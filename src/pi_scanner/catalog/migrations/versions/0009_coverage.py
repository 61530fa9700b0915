"""Coverage in the catalog: what each verdict read, and the run's coverage summary (silent gaps).

A report rendered from the catalog must say what the scan did not read, as the scan's own report did:
rows, bytes, columns and cells read, limits hit with the count each left out, why an asset was not read
at all. Counts, limit names and fixed, value-free sentences only.

Revision ID: 0009_coverage
Revises: 0008_collection_ages
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_coverage"
down_revision: str | None = "0008_collection_ages"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``asset_verdicts.coverage`` and ``scan_runs.coverage`` (JSON, null for earlier runs)."""
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.add_column(sa.Column("coverage", sa.JSON, nullable=True))
    with op.batch_alter_table("scan_runs") as batch:
        batch.add_column(sa.Column("coverage", sa.JSON, nullable=True))


def downgrade() -> None:
    """Drop both ``coverage`` columns."""
    with op.batch_alter_table("scan_runs") as batch:
        batch.drop_column("coverage")
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.drop_column("coverage")
