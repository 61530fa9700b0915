"""Example connector plugin: tables stored as one JSON document.

It declares what it can do on the class (:attr:`JsonTablesConnector.capabilities`): sampling, and the
census, a full keyed pass over a table that pi-scanner's core runs through :meth:`iter_batches` because
the capability says so, exactly as it does for a built-in database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from pi_scanner.connectors.base import AssetInfo, Capability, Connector
from pi_scanner.errors import ConnectorError, PiScannerError
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample


class JsonTablesConfig(BaseModel):
    """Configuration of the example connector.

    Attributes:
        type: Always ``example``.
        path: The JSON document holding the tables.
        sample_rows: Rows read per table at most.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["example"] = "example"
    path: str
    sample_rows: int = 10_000


class JsonTablesConnector(Connector):
    """Scans every top-level list of objects in a JSON document as a table."""

    type_name: ClassVar[str] = "example"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.SAMPLING, Capability.CENSUS})
    config_model: ClassVar[type[BaseModel]] = JsonTablesConfig

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        try:
            data = json.loads(Path(self.config.path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConnectorError(self.name, f"cannot read {self.config.path}: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise ConnectorError(self.name, "the document must be an object of tables")
        return {k: v for k, v in data.items() if isinstance(v, list)}

    def describe(self) -> str:
        """The document's path."""
        return f"json tables at {self.config.path}"

    def discover(self) -> Iterator[AssetInfo]:
        """One asset per top-level list."""
        for table, rows in self._load().items():
            columns: dict[str, None] = {}
            for row in rows:
                if isinstance(row, dict):
                    columns.update(dict.fromkeys(row))
            yield AssetInfo(
                ref=AssetRef(self.name, AssetKind.TABLE, (table,)),
                columns=tuple(ColumnInfo(c) for c in columns),
                row_count_estimate=len(rows),
            )

    def _rows(self, asset: AssetInfo) -> list[dict[str, Any]]:
        rows = self._load().get(asset.ref.path[0])
        if rows is None:
            raise PiScannerError(f"table {asset.ref.path[0]!r} disappeared")
        return rows

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        """The first ``limit`` rows of the table."""
        rows = self._rows(asset)
        names = [c.name for c in asset.columns]
        picked = [tuple(r.get(n) if isinstance(r, dict) else None for n in names) for r in rows[:limit]]
        return Sample(asset.ref, asset.columns, picked, len(rows), complete=len(rows) <= limit)

    def iter_batches(
        self, asset: AssetInfo, columns: Sequence[str], batch_size: int = 10_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Every row of the table as ``(row number, *columns)``, ``batch_size`` rows at a time (the census)."""
        rows = self._rows(asset)
        for start in range(0, len(rows), batch_size):
            yield [
                (start + i, *(r.get(c) if isinstance(r, dict) else None for c in columns))
                for i, r in enumerate(rows[start:start + batch_size])
            ]
