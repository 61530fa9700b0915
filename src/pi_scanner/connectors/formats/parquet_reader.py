"""Apache Parquet through pyarrow (the only module that imports it).

Only the first record batches are decoded, so memory is bounded by ``max_rows`` and one row group's
column chunks. Struct columns are flattened to ``parent.child`` paths like JSON.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.errors import MissingDependencyError
from pi_scanner.models import ColumnInfo

PARQUET_MAGIC = b"PAR1"


def read_parquet(source: bytes | BinaryIO, name: str, limits: ReadLimits) -> ParsedFile:
    """Read the head of a Parquet file.

    Args:
        source: The whole file as bytes, or a seekable binary file (pyarrow reads the footer by seeking).
        name: File name, for messages.
        limits: Row and column caps.

    Raises:
        FormatError: The file is damaged or not Parquet.
        MissingDependencyError: pyarrow is not installed.
    """
    try:
        import pyarrow as pa  # optional dependency
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("parquet", "formats") from None
    fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    errors: list[str] = []
    try:
        pf = pq.ParquetFile(fh, pre_buffer=False)
        names = pf.schema_arrow.names
        selected = names[: limits.max_columns]
        if len(names) > len(selected):
            errors.append(f"columns beyond {limits.max_columns} not read")
        total = pf.metadata.num_rows
        batches = []
        got = 0
        # Row group by row group: asking for all at once lets Arrow coalesce reads across the whole
        # file, which over ranged GETs means downloading it.
        for group in range(pf.num_row_groups):
            for batch in pf.iter_batches(batch_size=min(limits.max_rows, 8192), row_groups=[group],
                                         columns=selected):
                batches.append(batch)
                got += batch.num_rows
                if got >= limits.max_rows:
                    break
            if got >= limits.max_rows:
                break
        table = pa.Table.from_batches(batches) if batches else pf.schema_arrow.empty_table().select(selected)
        table = table.slice(0, limits.max_rows)
        while any(pa.types.is_struct(f.type) for f in table.schema):
            table = table.flatten()
        columns = [ColumnInfo(name=f.name, type_name=str(f.type).lower(), nullable=f.nullable)
                   for f in table.schema]
        values: list[list[Any]] = [col.to_pylist() for col in table.columns]
    except (pa.ArrowException, OSError, ValueError, TypeError, IndexError):
        raise FormatError(f"{name}: not a readable Parquet file (damaged or cut short)", limit="damaged") from None
    rows = list(zip(*values, strict=True)) if values else []
    truncated = total > len(rows) or len(names) > len(selected)
    parsed = ParsedFile("parquet", columns, rows, truncated, errors)
    parsed.hit("columns", len(names) - len(selected))
    return parsed


def iter_parquet_batches(
    source: BinaryIO, name: str, columns: list[str], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Stream every row of a seekable Parquet file, ``columns`` only (dotted names reach into structs).

    Raises:
        FormatError: The file is damaged or not Parquet.
        MissingDependencyError: pyarrow is not installed.
    """
    try:
        import pyarrow as pa  # optional dependency
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("parquet", "formats") from None
    try:
        pf = pq.ParquetFile(source)
        top = {c.split(".", 1)[0] for c in columns} & set(pf.schema_arrow.names)
        for batch in pf.iter_batches(batch_size=batch_size, columns=sorted(top)):
            table = pa.Table.from_batches([batch])
            while any(pa.types.is_struct(f.type) for f in table.schema):
                table = table.flatten()
            present = set(table.column_names)
            values = [table.column(c).to_pylist() if c in present else [None] * table.num_rows
                      for c in columns]
            yield list(zip(*values, strict=True)) if values else [() for _ in range(table.num_rows)]
    except (pa.ArrowException, OSError, ValueError, TypeError, IndexError):
        raise FormatError(f"{name}: not a readable Parquet file (damaged or cut short)", limit="damaged") from None
