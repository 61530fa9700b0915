"""PDF text through pypdf (the only module that imports it).

Pages' extracted text is packed into rows like DOCX paragraphs (short pages share a row, long ones are
split). Scanned
pages without a text layer give nothing: there is no OCR. pypdf's own stream decoding caps bound what a
hostile compressed stream can inflate to; pages, rows and time are capped here.
"""

from __future__ import annotations

import io
import logging

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.document_rows import DocumentRows

PDF_MAGIC = b"%PDF-"
_INSTALL_HINT = "PDF support is not installed: install `pi-scanner[documents]`"


def read_pdf(data: bytes, name: str, limits: ReadLimits) -> ParsedFile:
    """Read the text layer of a PDF as chunked rows of one ``text`` column.

    Args:
        data: The whole file.
        name: File name (messages only).
        limits: Page, row, chunk and time caps.

    Raises:
        FormatError: pypdf is missing, or the file is damaged, encrypted or has no readable page tree.
    """
    try:
        import pypdf  # optional dependency (pi-scanner[documents])
    except ImportError:
        raise FormatError(f"{name}: {_INSTALL_HINT}") from None
    # pypdf warns about every repaired cross-reference; the notes name objects, not values, but they
    # would flood the scan log for one sloppy producer.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    collector = DocumentRows("pdf", limits)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FormatError(f"{name}: encrypted PDF not read (it needs a password)")
        pages = reader.pages
        total = len(pages)
        for number in range(min(total, limits.max_pages)):
            if collector.full:
                break
            collector.add(pages[number].extract_text() or "")
        if total > limits.max_pages:
            collector.truncated = True
            skipped = total - limits.max_pages
            collector.errors.append(f"{skipped} page(s) beyond the {limits.max_pages}-page cap not read")
    except FormatError:
        raise
    except Exception:  # pypdf raises many unrelated types on hostile input
        raise FormatError(f"{name}: not a readable PDF (damaged or unsupported)") from None
    return collector.result()
