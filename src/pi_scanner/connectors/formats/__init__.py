"""File-format readers: one interface, :func:`open_records`, chosen by content sniffing."""

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.reader import open_records, strip_compression_suffix

__all__ = ["FormatError", "ParsedFile", "ReadLimits", "open_records", "strip_compression_suffix"]
