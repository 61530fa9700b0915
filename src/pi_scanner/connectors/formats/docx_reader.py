"""Word documents (``.docx``) through python-docx (the only module that imports it).

The archive is checked against the zip bomb limits before python-docx sees it. Body paragraphs come
first, then the text of table cells, packed into rows by
:class:`~pi_scanner.connectors.formats.document_rows.DocumentRows`; headers, footers and comments are
not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.compression import check_zip
from pi_scanner.connectors.formats.document_rows import DocumentRows

_INSTALL_HINT = "DOCX support is not installed: install `pi-scanner[documents]`"


def _pieces(document: Any) -> Iterator[str]:
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                # Merged cells appear once per grid column; read each underlying cell once.
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                yield cell.text


def read_docx(data: bytes, name: str, limits: ReadLimits) -> ParsedFile:
    """Read the paragraphs and table cells of a Word document as chunked rows of one ``text`` column.

    Args:
        data: The whole file (a zip archive).
        name: File name (messages only).
        limits: Row, chunk, time and zip bomb caps.

    Raises:
        FormatError: python-docx is missing, or the document is damaged, cut short or a zip bomb.
    """
    try:
        import docx  # optional dependency (pi-scanner[documents])
    except ImportError:
        raise FormatError(f"{name}: {_INSTALL_HINT}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, name, limits)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormatError(f"{name}: not a readable Word document (damaged or cut short)", limit="damaged") from None
    collector = DocumentRows("docx", limits)
    try:
        document = docx.Document(io.BytesIO(data))
        for piece in _pieces(document):
            if collector.full:
                break
            collector.add(piece)
    except FormatError:
        raise
    except Exception:  # python-docx and lxml raise many unrelated types on hostile input
        raise FormatError(f"{name}: not a readable Word document (damaged or unsupported)") from None
    return collector.result()
