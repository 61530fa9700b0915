"""Leases: "only one daemon runs this job now", by one atomic UPDATE on ``job_leases``."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Engine,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from pi_scanner.scheduler.tables import job_leases

logger = logging.getLogger("pi_scanner.scheduler")


def _utcnow() -> dt.datetime:
    """Naive UTC: every dialect stores and compares it the same way."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def default_holder_id() -> str:
    """Identity of this daemon in the lease table: host, pid and a random suffix."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class LeaseState:
    """A row of ``job_leases`` as read back (for ``jobs list`` and tests)."""

    job_name: str
    holder: str | None
    expires_at: dt.datetime | None
    last_slot: dt.datetime | None
    last_finished_at: dt.datetime | None
    last_outcome: str | None
    last_duration_s: float | None


class LeaseManager:
    """Atomic job leases in the catalog database.

    Args:
        engine: Catalog engine (SQLite, PostgreSQL or MySQL/MariaDB).
        holder_id: This daemon's identity.
        ttl_s: Lease lifetime; renew at least every ``ttl_s / 3``.
    """

    def __init__(self, engine: Engine, holder_id: str, ttl_s: float) -> None:
        self.engine = engine
        self.holder_id = holder_id
        self.ttl = dt.timedelta(seconds=ttl_s)

    def ensure(self, job_name: str) -> None:
        """Create the job's lease row if it does not exist (racing creators are fine)."""
        with self.engine.connect() as conn:
            exists = conn.execute(
                select(job_leases.c.job_name).where(job_leases.c.job_name == job_name)
            ).first()
            if exists:
                return
            try:
                conn.execute(insert(job_leases).values(job_name=job_name))
                conn.commit()
            except IntegrityError:
                # Another daemon created it between our SELECT and INSERT.
                conn.rollback()

    def acquire(self, job_name: str, slot: dt.datetime | None) -> bool:
        """Take the lease if it is free (or expired) and ``slot`` was not done yet.

        The check and the take are one UPDATE, so of several daemons racing exactly one wins.

        Args:
            job_name: The job.
            slot: Nominal fire time of the tick (naive UTC), or None for a manual run, which ignores
                which slots were done.

        Returns:
            True if this daemon now holds the lease.
        """
        self.ensure(job_name)
        now = _utcnow()
        cond = [
            job_leases.c.job_name == job_name,
            or_(job_leases.c.expires_at.is_(None), job_leases.c.expires_at < now),
        ]
        if slot is not None:
            cond.append(or_(job_leases.c.last_slot.is_(None), job_leases.c.last_slot < slot))
        stmt = (
            update(job_leases)
            .where(*cond)
            .values(holder=self.holder_id, expires_at=now + self.ttl, acquired_at=now, running_slot=slot)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def renew(self, job_name: str) -> bool:
        """Extend a held lease by the TTL; False if this daemon no longer holds it."""
        stmt = (
            update(job_leases)
            .where(job_leases.c.job_name == job_name, job_leases.c.holder == self.holder_id)
            .values(expires_at=_utcnow() + self.ttl)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def release(
        self, job_name: str, slot: dt.datetime | None, outcome: str, duration_s: float | None = None
    ) -> bool:
        """Free a held lease, recording the slot as done and the outcome.

        Returns:
            False if the lease had been lost (expired and taken by another daemon).
        """
        values: dict[str, Any] = {
            "holder": None,
            "expires_at": None,
            "running_slot": None,
            "last_finished_at": _utcnow(),
            "last_outcome": outcome,
            "last_duration_s": duration_s,
        }
        if slot is not None:
            values["last_slot"] = slot
        stmt = (
            update(job_leases)
            .where(job_leases.c.job_name == job_name, job_leases.c.holder == self.holder_id)
            .values(**values)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def state(self, job_name: str) -> LeaseState | None:
        """Read a job's lease row, or None if the job never ran."""
        with self.engine.connect() as conn:
            row = conn.execute(select(job_leases).where(job_leases.c.job_name == job_name)).first()
        if row is None:
            return None
        return LeaseState(
            job_name=row.job_name,
            holder=row.holder,
            expires_at=row.expires_at,
            last_slot=row.last_slot,
            last_finished_at=row.last_finished_at,
            last_outcome=row.last_outcome,
            last_duration_s=row.last_duration_s,
        )
