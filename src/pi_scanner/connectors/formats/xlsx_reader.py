"""Excel workbooks (``.xlsx``) through openpyxl in read-only mode (the only module that imports it).

The archive is checked against the zip bomb limits before openpyxl sees it. The first sheet holding data
is read; the header row is sniffed like a CSV's. Formulas give their cached values.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.compression import check_zip
from pi_scanner.connectors.formats.csv_reader import looks_like_header
from pi_scanner.errors import MissingDependencyError
from pi_scanner.models import ColumnInfo


def read_xlsx(data: bytes, name: str, limits: ReadLimits) -> ParsedFile:
    """Read the head of the first non-empty sheet of a workbook.

    Raises:
        FormatError: The workbook is damaged, cut short or a zip bomb.
        MissingDependencyError: openpyxl is not installed.
    """
    try:
        import openpyxl  # optional dependency
    except ImportError:
        raise MissingDependencyError("xlsx", "formats") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, name, limits)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormatError(f"{name}: not a readable workbook (damaged or cut short)", limit="damaged") from None
    errors: list[str] = []
    raw: list[tuple[Any, ...]] = []
    truncated = False
    widest = 0
    other_sheets = 0
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = wb.worksheets
            for ws in sheets:
                for row in ws.iter_rows(values_only=True):
                    if len(raw) > limits.max_rows:
                        truncated = True
                        break
                    if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                        continue
                    if len(row) > limits.max_columns:
                        truncated = True
                        widest = max(widest, len(row))
                        row = row[: limits.max_columns]
                    raw.append(tuple(row))
                if raw:
                    other_sheets = len(sheets) - 1
                    if other_sheets:
                        errors.append(f"{other_sheets} other sheet(s) not read")
                    break
        finally:
            wb.close()
    except FormatError:
        raise
    except Exception:  # openpyxl raises many unrelated types on hostile input
        raise FormatError(f"{name}: not a readable workbook (damaged or unsupported)") from None
    if not raw:
        return ParsedFile("xlsx", [], [], False, errors)
    width = max(len(r) for r in raw)
    # Trailing all-empty columns are a common artefact of formatted but empty cells.
    while width > 0 and all(len(r) < width or r[width - 1] is None for r in raw):
        width -= 1
    raw = [(tuple(r) + (None,) * width)[:width] for r in raw]
    if looks_like_header(raw[0], raw[1] if len(raw) > 1 else None):
        names = [str(v).strip() for v in raw[0]]
        data_rows = raw[1:]
    else:
        names = [f"col_{i + 1}" for i in range(width)]
        data_rows = raw
    if len(data_rows) > limits.max_rows:
        data_rows = data_rows[: limits.max_rows]
        truncated = True
    parsed = ParsedFile("xlsx", [ColumnInfo(name=n) for n in names], data_rows, truncated, errors)
    parsed.hit("columns", widest - limits.max_columns if widest else 0)
    # Sheets after the one read may hold the pupils: a limit, so the workbook is never ``none`` for them.
    parsed.hit("sheets", other_sheets)
    return parsed
