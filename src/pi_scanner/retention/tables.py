"""Catalog tables owned by retention: the audit ledger, its head pointer and apply checkpoints.

They live in the catalog database (created by migration ``0003_retention``). Nothing here holds a raw
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
