"""Catalog tables owned by retention: the audit ledger, its head pointer, apply checkpoints and history.

They live in the catalog database (migrations ``0003_retention``, ``0005_retention_history``). Nothing holds a raw
value: keys are stored as keyed hashes, and plan keys never enter the catalog at all.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

#: UTC timestamps; MySQL/MariaDB keep microseconds only when told (the ledger hashes them).
UtcDateTime = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

metadata = sa.MetaData()

audit_ledger = sa.Table(
    "audit_ledger",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
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

#: One row: the newest (seq, hash), written in the same transaction as each append (detects truncation).
audit_ledger_head = sa.Table(
    "audit_ledger_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

retention_progress = sa.Table(
    "retention_progress",
    metadata,
    sa.Column("plan_id", sa.String(64), primary_key=True),
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("batch_index", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("keys_hash", sa.String(64), nullable=False),
    sa.Column("done", sa.BigInteger, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

#: Over-retained figures per scan run, policy and asset (migration ``0005_retention_history``): the
#: compliance report's trend of records kept past their retention period. Counts and names only.
retention_history = sa.Table(
    "retention_history",
    metadata,
    sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("policy", sa.String(255), nullable=False),
    sa.Column("asset", sa.Text, nullable=False),
    sa.Column("expired", sa.BigInteger, nullable=False),
    sa.Column("children", sa.BigInteger, nullable=True),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    sa.Index("ix_retention_history_run", "run_id"),
)
