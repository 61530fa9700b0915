"""Daemon tables: job leases and the APScheduler job store.

Revision ID: 0002_daemon
Revises: 0001_initial
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002_daemon"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None

# Spelled out here (not imported from scheduler.py) so this revision keeps describing revision 0002.
# Naive UTC timestamps: lease comparisons must behave the same on every dialect; MySQL keeps fractions.
_ts = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    """Create ``job_leases`` and ``pi_scanner_apscheduler_jobs``."""
    op.create_table(
        "job_leases",
        sa.Column("job_name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(128), nullable=True),
        sa.Column("expires_at", _ts, nullable=True),
        sa.Column("acquired_at", _ts, nullable=True),
        sa.Column("running_slot", _ts, nullable=True),
        sa.Column("last_slot", _ts, nullable=True),
        sa.Column("last_finished_at", _ts, nullable=True),
        sa.Column("last_outcome", sa.String(16), nullable=True),
        sa.Column("last_duration_s", sa.Float, nullable=True),
    )
    # Same layout APScheduler 3's SQLAlchemyJobStore creates, so it finds the table ready.
    op.create_table(
        "pi_scanner_apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25), index=True),
        sa.Column("job_state", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    """Drop the daemon tables."""
    op.drop_table("pi_scanner_apscheduler_jobs")
    op.drop_table("job_leases")
