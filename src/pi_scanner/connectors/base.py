"""The contract every connector (built-in or plugin) implements.

A connector knows one store. It lists assets, reads a bounded sample of each, streams a full pass when
asked, and (for retention and subject requests) deletes or updates exactly the records a reviewed plan
names. Connectors never classify and never write the catalog.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel

from pi_scanner.errors import CapabilityError, NotReadError, TerminalConnectorError, TransientConnectorError
from pi_scanner.models import AssetRef, ColumnInfo, Sample

#: ``AssetInfo.meta`` keys of an asset listed but deliberately not read: a reason from
#: :data:`pi_scanner.models.SKIP_REASONS` and a value-free sentence.
NOT_READ_KEY = "not_read"
NOT_READ_DETAIL_KEY = "not_read_detail"


@dataclass(frozen=True)
class AssetInfo:
    """An asset found by discovery, with what is known before reading it.

    Attributes:
        ref: The asset's address.
        columns: Columns, when discovery already knows them (tables); empty for files.
        size_bytes: Size in bytes, when known (objects, files).
        row_count_estimate: The store's row estimate, when known (tables).
        fingerprint: A cheap change marker (ETag+size, mtime+size, row estimate) for incremental scans.
        meta: Store-specific facts that are not values (storage class, encryption, comment).
    """

    ref: AssetRef
    columns: tuple[ColumnInfo, ...] = ()
    size_bytes: int | None = None
    row_count_estimate: int | None = None
    fingerprint: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


class Capability(StrEnum):
    """What a connector can do beyond listing its assets (compare DataHub's ``@capability``).

    Core code asks :meth:`Connector.supports` / :meth:`Connector.require` instead of testing the
    connector's class, so a plugin that declares a capability takes part, and one that does not gets a
    recorded ``connector 'x' (type y): cannot census``, never a silent skip.
    """

    #: :meth:`Connector.sample` reads a bounded sample of an asset (every connector must).
    SAMPLING = "sampling"
    #: :meth:`Connector.iter_batches` streams every record with its key: the age census and the subject
    #: index read through it.
    CENSUS = "census"
    #: Relations between tables (the data map) from the keys discovery lists in each table's meta
    #: (``primary_key``, ``foreign_keys`` or ``foreign_key_constraints``) and from column names; on a SQL
    #: store also weighed against values, with role codes and custom fields read through SQL.
    DATA_MAP = "data_map"
    #: Deletes exactly the records or objects a reviewed retention or subject plan names.
    DELETE = "delete"
    #: ``doctor`` can list the privileges the connector reads with.
    PRIVILEGES = "privileges"
    #: A subject request can fetch the current content of indexed records by their key.
    SUBJECT_LOOKUP = "subject_lookup"
    #: Runs SQL on its store through :class:`~pi_scanner.connectors.sql.SqlConnector`'s read-only session
    #: (that class and its subclasses): role codes read through lookup tables, custom-field definitions,
    #: containment checked in the database, the census split into key ranges. Core code asks
    #: :func:`~pi_scanner.connectors.sql.sql_capable`; a plugin that maps links without it is told, in the
    #: map's problems, what was not done.
    SQL = "sql"

    @property
    def action(self) -> str:
        """What the capability does, as the verb phrase of "connector 'x' cannot …"."""
        return _ACTIONS[self]


_ACTIONS = {
    Capability.SAMPLING: "read samples",
    Capability.CENSUS: "census",
    Capability.DATA_MAP: "map the links between its tables",
    Capability.DELETE: "delete what a plan names",
    Capability.PRIVILEGES: "list its privileges",
    Capability.SUBJECT_LOOKUP: "look up a subject's records",
    Capability.SQL: "run SQL on its tables",
}


class Connector(ABC):
    """Base class of all connectors.

    Subclasses set :attr:`type_name`, declare :attr:`capabilities` and their pydantic
    :attr:`config_model`. They are registered in the ``pi_scanner.connectors`` entry-point group and
    looked up by :mod:`pi_scanner.registry`.

    Args:
        name: The connector's name in the configuration (appears in reports and metrics labels).
        config: The connector's validated configuration object.
    """

    #: The ``type`` value that selects this connector in the configuration.
    type_name: ClassVar[str] = ""
    #: What the connector can do; core code asks :meth:`supports` rather than the connector's class.
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.SAMPLING})
    #: The pydantic model of the connector's configuration entry. A plugin's entry is validated against
    #: it when the connector is built; a built-in type's model is also in :mod:`pi_scanner.config`.
    config_model: ClassVar[type[BaseModel] | None] = None

    def __init__(self, name: str, config: Any) -> None:
        self.name = name
        self.config = config

    @classmethod
    def supports(cls, capability: Capability) -> bool:
        """Whether the connector declares ``capability``."""
        return capability in cls.capabilities

    def require(self, capability: Capability) -> None:
        """Raise unless the connector declares ``capability``.

        Raises:
            CapabilityError: It does not (a terminal connector error naming the connector, its type and
                the capability).
        """
        if not self.supports(capability):
            raise self.lacks(capability)

    def transient(self, message: str) -> TransientConnectorError:
        """A retryable failure of this connector (timeout, dropped connection), naming it and its type."""
        return TransientConnectorError(self.name, message, connector_type=self.type_name)

    def terminal(self, message: str) -> TerminalConnectorError:
        """A failure of this connector that retrying will not fix (gone, denied), naming it and its type."""
        return TerminalConnectorError(self.name, message, connector_type=self.type_name)

    def lacks(self, capability: Capability) -> CapabilityError:
        """The error that says this connector cannot do ``capability`` (to record rather than raise)."""
        return CapabilityError(self.name, self.type_name or type(self).__name__, capability.value, capability.action)

    @abstractmethod
    def describe(self) -> str:
        """Return a one-line description of the store with any password masked."""

    @abstractmethod
    def discover(self) -> Iterator[AssetInfo]:
        """Yield every asset this connector is configured to scan (include/exclude globs applied).

        Raises:
            ConnectorError: The store cannot be reached at all (a configuration-level failure).
        """

    @abstractmethod
    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        """Read at most ``limit`` records of one asset.

        Raises:
            PiScannerError: The asset could not be read; the caller records it and goes on.
        """

    def iter_batches(
        self, asset: AssetInfo, columns: Sequence[str], batch_size: int = 10_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Stream every record of an asset in bounded batches (the census pass).

        Each yielded tuple holds the primary-key values (or the object key) first, then ``columns``.
        Connectors that implement it declare :attr:`Capability.CENSUS`.

        Raises:
            CapabilityError: The connector does not declare :attr:`Capability.CENSUS`.
        """
        self.require(Capability.CENSUS)
        raise NotImplementedError(f"{type(self).__name__} declares census but does not stream a full pass")

    def close(self) -> None:  # noqa: B027 - optional hook, most connectors hold nothing
        """Release connections and pools."""

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self.describe()}>"


def not_read(reason: str, detail: str) -> dict[str, str]:
    """``AssetInfo.meta`` entries that list an asset as deliberately not read (see :func:`check_readable`)."""
    return {NOT_READ_KEY: reason, NOT_READ_DETAIL_KEY: detail}


def check_readable(asset: AssetInfo) -> None:
    """Raise :class:`~pi_scanner.errors.NotReadError` for an asset discovery listed as not to be read."""
    reason = asset.meta.get(NOT_READ_KEY)
    if reason:
        raise NotReadError(str(reason), str(asset.meta.get(NOT_READ_DETAIL_KEY) or reason), asset.ref.display)


def column_names(columns: Sequence[ColumnInfo]) -> list[str]:
    """Names of ``columns`` in order."""
    return [c.name for c in columns]
