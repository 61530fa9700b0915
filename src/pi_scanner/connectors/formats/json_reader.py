"""JSON documents and JSON Lines (NDJSON), flattened to column paths.

``{"guardian": {"phone": "…"}}`` becomes the column ``guardian.phone``; array elements become
``phones[0]``, ``phones[1]`` (at most :data:`MAX_ARRAY_ITEMS` each). A top-level array, or the first
array of objects under a top-level key (``{"data": [...]}``), is read as records, element by element, so
the head of a huge export is readable without the rest. Nesting is bounded: documents deeper than the
parser allows are refused with :class:`FormatError`, and keys below ``max_depth`` are dropped and recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.models import ColumnInfo

#: Array elements turned into columns at most, per array.
MAX_ARRAY_ITEMS = 16
_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


class _Flattener:
    """Flattens records into rows over a growing, capped set of column paths."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.columns: dict[str, int] = {}
        self.records: list[dict[str, Any]] = []
        self.too_deep = False
        self.dropped_columns = False
        self.deep_values = 0
        self.dropped_keys: set[str] = set()
        self.cut_arrays = False

    def add(self, obj: Any) -> None:
        flat: dict[str, Any] = {}
        # An explicit stack: depth is bounded by max_depth, never by Python's recursion limit.
        stack: list[tuple[str, Any, int]] = [("", obj, 0)]
        while stack:
            path, value, depth = stack.pop()
            if isinstance(value, dict | list):
                if depth >= self.limits.max_depth:
                    self.too_deep = True
                    self.deep_values += 1
                    continue
                if isinstance(value, dict):
                    children = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
                else:
                    if len(value) > MAX_ARRAY_ITEMS:
                        self.cut_arrays = True
                    children = [(f"{path}[{i}]", v) for i, v in enumerate(value[:MAX_ARRAY_ITEMS])]
                stack.extend((p, v, depth + 1) for p, v in reversed(children))
                continue
            key = path or "value"
            if key not in self.columns:
                if len(self.columns) >= self.limits.max_columns:
                    self.dropped_columns = True
                    if len(self.dropped_keys) < 1_000_000:
                        self.dropped_keys.add(key)
                    continue
                self.columns[key] = len(self.columns)
            flat[key] = value
        self.records.append(flat)

    def result(self, fmt: str, truncated: bool, errors: list[str]) -> ParsedFile:
        if self.too_deep:
            errors.append(f"values nested deeper than {self.limits.max_depth} levels dropped")
        if self.dropped_columns:
            errors.append(f"key paths beyond {self.limits.max_columns} columns dropped")
            truncated = True
        if self.cut_arrays:
            errors.append(f"array elements beyond {MAX_ARRAY_ITEMS} not read")
        names = list(self.columns)
        rows = [tuple(rec.get(n) for n in names) for rec in self.records]
        parsed = ParsedFile(fmt, [ColumnInfo(name=n) for n in names], rows, truncated, errors)
        parsed.hit("nesting", self.deep_values)
        parsed.hit("columns", len(self.dropped_keys))
        return parsed


def _loads(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise FormatError(f"{name}: JSON nested too deeply to parse; refused", limit="nesting") from None
    except ValueError as exc:
        # JSONDecodeError's message holds only a position, never the offending text.
        raise FormatError(f"{name}: not valid JSON (line {getattr(exc, 'lineno', '?')})") from None


def _iter_array(text: str, start: int, name: str, errors: list[str]) -> Iterator[Any]:
    """Yield the elements of the JSON array opening at ``text[start]`` one by one.

    Stops quietly at a cut-off tail (a head of a bigger file), recording it.
    """
    pos = start + 1
    n = len(text)
    first = True
    while True:
        while pos < n and text[pos] in _WS:
            pos += 1
        if pos >= n:
            errors.append("JSON array cut short; partial read")
            return
        if text[pos] == "]":
            return
        if not first:
            if text[pos] != ",":
                errors.append("JSON array malformed; partial read")
                return
            pos += 1
            while pos < n and text[pos] in _WS:
                pos += 1
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except RecursionError:
            raise FormatError(f"{name}: JSON nested too deeply to parse; refused", limit="nesting") from None
        except ValueError:
            if first and pos >= n:
                return
            errors.append("JSON array element cut short or malformed; partial read")
            return
        first = False
        yield value


def _records_array_start(text: str) -> int | None:
    """Index of the array of records in ``text``: a top-level array, or none."""
    i = 0
    while i < len(text) and text[i] in _WS:
        i += 1
    return i if text[i : i + 1] == "[" else None


def read_json(text: str, name: str, limits: ReadLimits, capped: bool) -> ParsedFile:
    """Parse a JSON document.

    Args:
        text: The decoded head of the file.
        name: File name, for messages.
        limits: Row, column and depth caps.
        capped: ``text`` is only the head of a longer file.

    Raises:
        FormatError: Not JSON, or nested too deeply to parse.
    """
    errors: list[str] = []
    flat = _Flattener(limits)
    truncated = capped
    start = _records_array_start(text)
    if start is not None:
        for item in _iter_array(text, start, name, errors):
            if len(flat.records) >= limits.max_rows:
                truncated = True
                break
            flat.add(item if isinstance(item, dict) else {"value": item})
        if not flat.records and errors:
            raise FormatError(f"{name}: not valid JSON (no complete element)")
        return flat.result("json", truncated or bool(errors), errors)
    doc = _loads(text, name)
    records: list[Any] | None = None
    if isinstance(doc, dict):
        for value in doc.values():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value[:100]):
                records = value
                break
    if records is None:
        records = [doc]
    for item in records:
        if len(flat.records) >= limits.max_rows:
            truncated = True
            break
        flat.add(item if isinstance(item, dict) else {"value": item})
    return flat.result("json", truncated, errors)


def read_jsonl(text: str, name: str, limits: ReadLimits, capped: bool) -> ParsedFile:
    """Parse JSON Lines: one JSON value per line; bad lines are skipped and counted.

    Raises:
        FormatError: No line at all is valid JSON.
    """
    errors: list[str] = []
    flat = _Flattener(limits)
    truncated = capped
    bad = long = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if len(flat.records) >= limits.max_rows:
            truncated = True
            break
        if len(line) > limits.max_line_bytes:
            long += 1
            continue
        try:
            value = json.loads(line)
        except RecursionError:
            bad += 1
            continue
        except ValueError:
            bad += 1
            continue
        flat.add(value if isinstance(value, dict) else {"value": value})
    if bad:
        errors.append(f"{bad} line(s) not valid JSON skipped")
    if long:
        errors.append(f"{long} line(s) longer than {limits.max_line_bytes} characters skipped")
    if not flat.records:
        raise FormatError(f"{name}: no valid JSON line found", limit="line_length" if long else None)
    parsed = flat.result("jsonl", truncated, errors)
    parsed.hit("line_length", long)
    return parsed
