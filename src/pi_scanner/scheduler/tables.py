"""The daemon's tables in the catalog database: job leases and the APScheduler job store."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Float,
    LargeBinary,
    MetaData,
    String,
    Table,
    Unicode,
)
from sqlalchemy.dialects import mysql

logger = logging.getLogger("pi_scanner.scheduler")


#: Table of the APScheduler job store inside the catalog database.
APSCHEDULER_TABLE = "pi_scanner_apscheduler_jobs"

# Interval slots are counted from this instant so that every daemon agrees on them.
_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

# MySQL's DATETIME drops fractions unless told otherwise; sub-second slots need them.
_Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

daemon_metadata = MetaData()

#: One row per job: who runs it now (until when) and which slot was done last.
job_leases = Table(
    "job_leases",
    daemon_metadata,
    Column("job_name", String(64), primary_key=True),
    Column("holder", String(128), nullable=True),
    Column("expires_at", _Timestamp, nullable=True),
    Column("acquired_at", _Timestamp, nullable=True),
    Column("running_slot", _Timestamp, nullable=True),
    Column("last_slot", _Timestamp, nullable=True),
    Column("last_finished_at", _Timestamp, nullable=True),
    Column("last_outcome", String(16), nullable=True),
    Column("last_duration_s", Float, nullable=True),
)

#: The APScheduler job store's table, declared here so the catalog migration owns it too.
apscheduler_jobs = Table(
    APSCHEDULER_TABLE,
    daemon_metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


def ensure_daemon_tables(engine: Engine) -> None:
    """Create the daemon's tables if missing (the catalog migration ``0002_daemon`` normally does)."""
    daemon_metadata.create_all(engine, checkfirst=True)
