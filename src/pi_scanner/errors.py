"""Exception tree. Messages never contain raw values or secrets."""

from __future__ import annotations


class PiScannerError(Exception):
    """Base of every error pi-scanner raises on purpose."""


class ConfigError(PiScannerError):
    """The configuration is invalid; the scan cannot start (exit code 2)."""


class UsageError(PiScannerError):
    """The command line is invalid (exit code 2)."""


class TransientError(PiScannerError):
    """A failure that may go away on retry (timeouts, throttling, a store restarting).

    Also a mixin: combined with another error class (``class X(ConnectorError, TransientError)``) it marks
    that error as retryable by type, so callers catch ``TransientError`` whatever raised it (dlt's model).
    """


class TerminalError(PiScannerError):
    """A failure that will not go away on retry (permissions, missing objects).

    Also a mixin, like :class:`TransientError`: ``class X(ConnectorError, TerminalError)``.
    """


class ConnectionLostError(TransientError):
    """The store's connection went away under a read; it can run again once the store is back.

    What a server restart, an operator's terminate or ``KILL``, or a network cut looks like to the client.
    """


class NotReadError(PiScannerError):
    """An asset that is deliberately not read (a FIFO, a symbolic link, a format with no reader).

    It is listed in the report as not read, with why; it is coverage, not a failure of the scan.

    Args:
        reason: One of :data:`pi_scanner.models.SKIP_REASONS`.
        detail: A value-free sentence saying why (kept apart as :attr:`detail`).
        asset: The asset's display name, put in front of the message.
    """

    def __init__(self, reason: str, detail: str, asset: str = "") -> None:
        super().__init__(f"{asset}: {detail}" if asset else detail)
        self.reason = reason
        self.detail = detail


class ConnectorError(PiScannerError):
    """A connector could not reach or read its store.

    Neither transient nor terminal by itself: :class:`TransientConnectorError` and
    :class:`TerminalConnectorError` say which, and callers that only care about retrying catch
    :class:`TransientError` / :class:`TerminalError`.

    Args:
        connector: Name of the connector (also kept as :attr:`connector`, for callers that group by it).
        message: What went wrong, without values or credentials.
        connector_type: The connector's ``type`` (``sql``, ``s3``, a plugin's), when the raiser knows it.

    Attributes:
        connector: Name of the connector.
        connector_type: Its ``type``, or ``""``.
        detail: ``message`` alone, without the connector prefix.
    """

    def __init__(self, connector: str, message: str, *, connector_type: str = "") -> None:
        kind = f" (type {connector_type})" if connector_type else ""
        super().__init__(f"connector {connector!r}{kind}: {message}")
        self.connector = connector
        self.connector_type = connector_type
        self.detail = message


class TransientConnectorError(ConnectorError, TransientError):
    """A connector failure that may go away on retry (a timeout, a dropped connection, throttling)."""


class StoreUnavailableError(TransientConnectorError):
    """The store refuses connections right now (it may be restarting); a unit waits and tries again."""


class TerminalConnectorError(ConnectorError, TerminalError):
    """A connector failure that will not go away on retry (denied, gone, not supported)."""


class CapabilityError(TerminalConnectorError):
    """A connector was asked for something it does not declare it can do (census, delete, ...).

    Args:
        connector: Name of the connector.
        connector_type: Its ``type``.
        capability: The capability it lacks (a :class:`pi_scanner.connectors.base.Capability` value).
        action: What that capability does, as a verb phrase (``list privileges``); default ``capability``.
    """

    def __init__(self, connector: str, connector_type: str, capability: str, action: str = "") -> None:
        super().__init__(connector, f"cannot {action or capability}", connector_type=connector_type)
        self.capability = capability


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
