"""The contract every connector (built-in or plugin) implements.

A connector knows one store. It lists assets, reads a bounded sample of each, streams a full pass when
asked, and (for retention and subject requests) deletes or updates exactly the records a reviewed plan
names. Connectors never classify and never write the catalog.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pi_scanner.errors import NotReadError
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


class Connector(ABC):
    """Base class of all connectors.

    Subclasses set :attr:`type_name` and take their own pydantic config model. They are registered in the
    ``pi_scanner.connectors`` entry-point group and looked up by :mod:`pi_scanner.registry`.

    Args:
        name: The connector's name in the configuration (appears in reports and metrics labels).
        config: The connector's validated configuration object.
    """

    #: The ``type`` value that selects this connector in the configuration.
    type_name: ClassVar[str] = ""

    def __init__(self, name: str, config: Any) -> None:
        self.name = name
        self.config = config

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
        Connectors that cannot stream raise :class:`NotImplementedError`.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot stream a full pass")

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
        raise NotReadError(str(reason), f"{asset.ref.display}: {asset.meta.get(NOT_READ_DETAIL_KEY) or reason}")


def column_names(columns: Sequence[ColumnInfo]) -> list[str]:
    """Names of ``columns`` in order."""
    return [c.name for c in columns]
