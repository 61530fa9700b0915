"""Exception tree. Messages never contain raw values or secrets."""

from __future__ import annotations


class PiScannerError(Exception):
    """Base of every error pi-scanner raises on purpose."""


class ConfigError(PiScannerError):
    """The configuration is invalid; the scan cannot start (exit code 2)."""


class UsageError(PiScannerError):
    """The command line is invalid (exit code 2)."""


class TransientError(PiScannerError):
    """A failure that may go away on retry (timeouts, throttling, a store restarting)."""


class TerminalError(PiScannerError):
    """A failure that will not go away on retry (permissions, missing objects)."""


class NotReadError(PiScannerError):
    """An asset that is deliberately not read (a FIFO, a symbolic link, a format with no reader).

    It is listed in the report as not read, with why; it is coverage, not a failure of the scan.

    Args:
        reason: One of :data:`pi_scanner.models.SKIP_REASONS`.
        detail: A value-free sentence naming the asset and the reason.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class ConnectorError(PiScannerError):
    """A connector could not reach or read its store.

    Args:
        connector: Name of the connector.
        message: What went wrong, without values or credentials.
    """

    def __init__(self, connector: str, message: str) -> None:
        super().__init__(f"connector {connector!r}: {message}")
        self.connector = connector


class MissingDependencyError(PiScannerError):
    """An optional dependency is not installed.

    Args:
        what: The feature that needs it (``postgres``, ``s3``).
        extra: The pip extra that installs it.
    """

    def __init__(self, what: str, extra: str) -> None:
        super().__init__(f"{what} support is not installed: install `pi-scanner[{extra}]`")
        self.extra = extra


class PlanError(PiScannerError):
    """A retention or subject plan cannot be built or applied as written."""
