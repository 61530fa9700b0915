"""Which store a plan was made for: a plan applied to another store than it was made for is refused.

Plans name their stores by connector name (``school``, or ``sqlite-school`` for ``sqlite:///school.db`` on
the command line), and a name is not a store: the same name may point at staging in one configuration and
at production in another, and ``sqlite:///school.db`` is another file in another directory. Keys planned on
one store would delete or update whatever rows carry the same keys on the other. So every plan item carries
the identity of the store its connector pointed at when it was planned (``store``, covered by the plan's
digest), and ``retention apply`` / ``subject apply`` refuse the plan, before any write, when a connector now
points at another store.

The identity is a hash of what names the store, never a password or user: the dialect, host, port and
database of a SQL URL (a SQLite file by its absolute path), the endpoint of an object store, the folder of a
file store. A read replica or a changed password is the same store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.config import FolderConnectorConfig, S3ConnectorConfig, Settings, SqlConnectorConfig
from pi_scanner.errors import PlanError


def store_identity(cfg: Any) -> str | None:
    """A short hash naming the store a connector points at; None for a connector of another kind."""
    if isinstance(cfg, SqlConnectorConfig):
        try:
            url = sa.make_url(cfg.url)
        except sa.exc.ArgumentError:
            return None
        backend = url.get_backend_name()
        if backend == "sqlite":
            database = url.database or ""
            where = database if database in ("", ":memory:") else str(Path(database).expanduser().resolve())
            parts = ["sqlite", where]
        else:
            parts = [backend, (url.host or "").lower(), str(url.port or ""), url.database or ""]
    elif isinstance(cfg, S3ConnectorConfig):
        parts = ["s3", (cfg.endpoint_url or "aws").rstrip("/").lower(), cfg.region or ""]
    elif isinstance(cfg, FolderConnectorConfig):
        parts = ["fs", str(Path(cfg.path).expanduser().resolve())]
    else:
        return None
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def stamp_stores(items: Iterable[dict[str, Any]], settings: Settings) -> None:
    """Write the identity of its connector's store into every item (before the plan's digest is taken)."""
    for item in items:
        identity = store_identity(settings.connectors.get(str(item.get("connector"))))
        if identity is not None:
            item["store"] = identity


def check_stores(items: Iterable[dict[str, Any]], settings: Settings) -> None:
    """Refuse a plan whose connectors now point at other stores than it was made for.

    Items of plans made before stores were recorded carry none and are not checked.

    Raises:
        PlanError: A connector points at another store (nothing has been written).
    """
    moved = sorted({str(item["connector"]) for item in items if item.get("store") is not None
                    and store_identity(settings.connectors.get(str(item["connector"]))) != item["store"]})
    if moved:
        raise PlanError(
            f"the plan was made for other stores than {', '.join(repr(m) for m in moved)} point(s) at now (another "
            "host, database or file): nothing was applied. Apply it with the configuration or store URLs it was "
            "made with, or plan again against this store")
