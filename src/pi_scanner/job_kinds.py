"""Job kinds: what a scheduled job does, as a callable in a registry open to plugins.

A kind is registered with :func:`register_job_kind`, or found on first use in the ``pi_scanner.job_kinds``
entry-point group; a plugin's callable is checked when it is loaded. This module sits below the features
that implement kinds (retention, reports, scans) and below the scheduler that runs them, so neither
imports the other.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from typing import Any

from pi_scanner.config import Settings
from pi_scanner.daemon_config import JobConfig
from pi_scanner.errors import ConfigError, PiScannerError
from pi_scanner.logging_setup import safe_error
from pi_scanner.metrics import Metrics

logger = logging.getLogger("pi_scanner.scheduler")

#: Entry-point group where packages register job kinds (``name = "module:callable"``).
JOB_KIND_ENTRY_POINTS = "pi_scanner.job_kinds"


class JobFailed(PiScannerError):
    """A job ran to its end but did not achieve its purpose (e.g. a store was unreachable)."""


@dataclass
class JobContext:
    """What a job kind's callable receives.

    Attributes:
        job: The job's configuration.
        settings: The whole configuration in force.
        catalog: The catalog (``pi_scanner.catalog.store.Catalog``).
        as_of: Reference date: today in the daemon's time zone.
        metrics: Metrics to update.
        stop: Set when the daemon is shutting down; long jobs should stop at a safe point.
        lease_lost: Set when the lease could not be renewed; the job should stop at a safe point.
        trigger: ``schedule`` or ``manual``.
    """

    job: JobConfig
    settings: Settings
    catalog: Any
    as_of: dt.date
    metrics: Metrics
    stop: threading.Event = field(default_factory=threading.Event)
    lease_lost: threading.Event = field(default_factory=threading.Event)
    trigger: str = "schedule"


#: A job kind: called once per run; raises to fail the run.
JobHandler = Callable[[JobContext], None]

_KINDS: dict[str, JobHandler] = {}
_KINDS_LOCK = threading.Lock()


def register_job_kind(kind: str, handler: JobHandler, *, replace: bool = False) -> None:
    """Register the callable behind a job kind.

    Args:
        kind: The ``kind`` value in the configuration.
        handler: Called with a :class:`JobContext` for each run.
        replace: Allow replacing an existing registration.

    Raises:
        ValueError: ``kind`` is already registered and ``replace`` is false.
    """
    with _KINDS_LOCK:
        if kind in _KINDS and not replace and _KINDS[kind] is not handler:
            raise ValueError(f"job kind {kind!r} is already registered")
        _KINDS[kind] = handler


def job_kind(kind: str) -> JobHandler:
    """Return the callable of a job kind, loading entry-point plugins on first miss.

    Raises:
        ConfigError: No callable is registered for ``kind`` (names the missing feature).
    """
    with _KINDS_LOCK:
        handler = _KINDS.get(kind)
    if handler is not None:
        return handler
    for ep in importlib_metadata.entry_points(group=JOB_KIND_ENTRY_POINTS):
        if ep.name != kind:
            continue
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin disables its kind only
            raise ConfigError(f"job kind {kind!r} could not be loaded: {safe_error(exc)}") from None
        if not callable(loaded):  # checked, as APScheduler checks the plugins it loads
            raise ConfigError(
                f"job kind {kind!r}: entry point {ep.value!r} is a {type(loaded).__name__}, not a callable"
            )
        register_job_kind(kind, loaded, replace=True)
        return loaded  # type: ignore[no-any-return]
    raise ConfigError(f"job kind {kind!r} is not available in this installation (no handler registered)")
