"""The data map: links between tables per scan run, and how a table holds children's records through them.

Revision ID: 0007_table_links
Revises: 0006_verdict_posture
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_table_links"
down_revision: str | None = "0006_verdict_posture"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``table_links`` and add ``asset_verdicts.linked_via``."""
    op.create_table(
        "table_links",
        sa.Column("link_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("scan_runs.run_id", ondelete="CASCADE",
                                                         name="fk_table_links_run_id_scan_runs"), nullable=False),
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
    op.create_index("ix_table_links_run", "table_links", ["run_id"])
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.add_column(sa.Column("linked_via", sa.JSON, nullable=True))


def downgrade() -> None:
    """Drop the links and the ``linked_via`` column."""
    with op.batch_alter_table("asset_verdicts") as batch:
        batch.drop_column("linked_via")
    op.drop_index("ix_table_links_run", table_name="table_links")
    op.drop_table("table_links")
