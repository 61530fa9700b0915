"""Structured logging: one JSON object per line in production, readable text on a terminal.

Events are logged with :func:`log_event` (an event name plus flat fields). Nothing logged here may hold
a raw value: fields are names, counts, durations and masks; exceptions are reduced by :func:`safe_error`
to their type and, for pi-scanner's own errors (whose messages are written to be value-free), their
message. Third-party messages are dropped because drivers echo statement parameters (cell values) in them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback
from typing import Any, Literal

from pi_scanner.errors import PiScannerError

LogFormat = Literal["auto", "json", "text"]

_EVENT_FIELDS = "pi_fields"
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def safe_error(exc: BaseException) -> str:
    """Describe an exception without any value it may embed.

    Our own errors are written to be value-free and are kept whole. For others, only the class name
    (and an OS error's errno text) is kept: a SQLAlchemy or driver message can quote the statement's
    parameters, which may be children's data.
    """
    if isinstance(exc, PiScannerError):
        return f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__


def _safe_traceback(exc_info: Any) -> list[str]:
    """Frames only (file, line, function): source lines and exception messages are left out."""
    _, _, tb = exc_info
    return [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """Fields of an event: :func:`log_event`'s, or plain ``extra={...}`` of other modules' log calls."""
    fields = dict(getattr(record, _EVENT_FIELDS, {}))
    for key, value in record.__dict__.items():
        if key not in _RESERVED and key != _EVENT_FIELDS and not key.startswith("_"):
            fields.setdefault(key, value)
    return fields


class JsonFormatter(logging.Formatter):
    """Formats records as one JSON object per line: ``ts``, ``level``, ``logger``, ``event`` and fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as a JSON line."""
        payload: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        payload.update(_fields(record))
        if record.exc_info and record.exc_info[1] is not None:
            payload["error"] = safe_error(record.exc_info[1])
            payload["frames"] = _safe_traceback(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str, sort_keys=False)


class TextFormatter(logging.Formatter):
    """``HH:MM:SS level event key=value ...`` for people at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as one readable line."""
        ts = dt.datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = _fields(record)
        extra = " ".join(f"{k}={v}" for k, v in fields.items())
        line = f"{ts} {record.levelname.lower():7} {record.getMessage()}"
        if extra:
            line += f" {extra}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f" error={safe_error(record.exc_info[1])!r}"
        return line


def configure_logging(log_format: LogFormat = "auto", level: int | str = logging.INFO) -> None:
    """Send pi-scanner's logs to stderr, as JSON lines or text.

    Args:
        log_format: ``json``, ``text``, or ``auto`` (JSON unless stderr is a terminal).
        level: Minimum level.
    """
    if log_format == "auto":
        log_format = "text" if sys.stderr.isatty() else "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger("pi_scanner")
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    # APScheduler logs job reprs (with their arguments) on every run: keep it to warnings.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").addHandler(handler)


def log_event(
    logger: logging.Logger,
    event: str,
    *,
    level: int = logging.INFO,
    exc: BaseException | None = None,
    **fields: str | int | float | bool | None,
) -> None:
    """Log one structured event.

    Args:
        logger: Logger to use.
        event: Short event name (``job.finished``, ``scan.asset_error``).
        level: Log level.
        exc: Exception to describe with :func:`safe_error` (its traceback frames kept in JSON).
        **fields: Flat fields: names, counts, durations, masks. Never raw values.
    """
    clean = {k: v for k, v in fields.items() if k not in _RESERVED}
    if exc is not None:
        clean["error"] = safe_error(exc)
    logger.log(level, event, extra={_EVENT_FIELDS: clean})
