"""Asset posture beside each verdict: public exposure and at-rest encryption (no values).

The daemon restores its estate gauges from the latest run at start; without the posture a restart would
count an encrypted-at-rest bucket as unencrypted until the next scan.

Revision ID: 0006_verdict_posture
Revises: 0005_retention_history
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_verdict_posture"
down_revision: str | None = "0005_retention_history"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the nullable ``posture`` JSON column to ``asset_verdicts``."""
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.add_column(sa.Column("posture", sa.JSON, nullable=True))


def downgrade() -> None:
    """Drop ``asset_verdicts.posture``."""
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.drop_column("posture")
