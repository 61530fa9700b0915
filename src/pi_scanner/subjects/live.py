"""Live reads and writes of single records for subject requests.

The index may be stale, so every request re-reads the records it names and re-checks, in process, that
the subject's identifier is still there (:meth:`Matcher.matches`); erasures and corrections re-check the
same predicate on rows locked inside the write transaction, and on the parsed object just before it is
written back. Only record keys and keyed hashes ever leave this module in errors or results.

Files and objects (CSV, JSON Lines, Parquet) cannot be edited in place: the object is read whole, the
subject's records are cut out (or their fields rewritten) and the object is written back (atomic rename
for files, a single PUT for objects).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import default_recognizers
from pi_scanner.connectors import sql_write as sw
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.errors import PlanError, UsageError
from pi_scanner.models import AssetKind, AssetRef
from pi_scanner.subjects.index import IndexedAsset, jsonable
from pi_scanner.subjects.normalize import ENTITY_KINDS, canonical, fingerprint
from pi_scanner.subjects.person import birth_date_of

REDACTED = "[REDACTED]"


class Matcher:
    """Decides in process whether a value or record carries one of the subject's fingerprints.

    Args:
        key: The HMAC key.
        fingerprints: The subject's identifier fingerprints.
        as_of: Reference date (recognizers validate birth dates against it).
    """

    def __init__(self, key: bytes, fingerprints: Iterable[str], as_of: dt.date) -> None:
        self.key = key
        self.fingerprints = frozenset(fingerprints)
        self.engine = FastEngine(default_recognizers(as_of))

    def spans(self, value: Any, column: str = "") -> tuple[str, list[tuple[int, int]]]:
        """The normalised text of ``value`` and the spans of the subject's identifiers in it."""
        text = normalize_cell(value)
        if not text:
            return text, []
        found: list[tuple[int, int]] = []
        for det in self.engine.detect_cell(text, (column,) if column else ()):
            kind = ENTITY_KINDS.get(det.entity)
            if kind is None or not det.normalized:
                continue
            if fingerprint(self.key, kind, canonical(kind, det.normalized)) in self.fingerprints:
                found.append((det.start, det.end))
        return text, found

    def matches(self, record: dict[str, Any]) -> bool:
        """Whether any field of ``record`` holds one of the subject's identifiers."""
        return any(self.spans(v, c)[1] for c, v in record.items())

    def redact(self, value: Any, column: str = "") -> Any:
        """``value`` with the subject's identifiers replaced by ``[REDACTED]`` (unchanged if none)."""
        text, spans = self.spans(value, column)
        if not spans:
            return value
        for start, end in sorted(spans, reverse=True):
            text = text[:start] + REDACTED + text[end:]
        return text


def anonymized(op: str, value: Any, column: str, matcher: Matcher) -> Any:
    """Apply one anonymisation operator (``null``, ``redact``, ``mask``) to a value."""
    if value is None or op == "null":
        return None
    if op == "redact":
        return matcher.redact(value, column)
    return "*" * len(normalize_cell(value))


# -- SQL -----------------------------------------------------------------------------------------


def sql_rows(
    engine: sa.Engine, asset: IndexedAsset, keys: Sequence[Sequence[Any]], pk_hash: Callable[[tuple[Any, ...]], str],
    hashed: Sequence[str] = (),
) -> dict[str, dict[str, Any]]:
    """Current rows by record-key JSON: plain keys by ``pk IN (...)``, hashed keys by a keyed pass.

    Raises:
        PlanError: The table cannot be read.
    """
    schema, name = asset.ref.path
    table = sw.reflect(engine, schema, name)
    key_cols = sw.key_columns_for_write(table, asset.primary_key or ("ctid",), engine.dialect.name)
    out: dict[str, dict[str, Any]] = {}
    width = len(key_cols)
    cols = list(table.c)
    if keys:
        with engine.connect() as conn:
            try:
                for r in conn.execute(sa.select(*key_cols, *cols).where(sw.keys_clause(key_cols, keys))):
                    k = json.dumps([jsonable(v) for v in r[:width]], ensure_ascii=False)
                    out[k] = {c.name: r[width + i] for i, c in enumerate(cols)}
            except sa.exc.DBAPIError as exc:
                raise PlanError(f"cannot read {asset.ref.display}: {sw.db_error(exc)}") from None
    if hashed:
        wanted = set(hashed)
        for batch in sw.stream_rows(engine, table, key_cols, cols, sa.true(), 5000):
            for values in batch:
                h = pk_hash(tuple(values[:width]))
                if h in wanted:
                    out[json.dumps({"hmac": h})] = {c.name: values[width + i] for i, c in enumerate(cols)}
    return out


def value_text(value: Any) -> str:
    """One text form of a stored or corrected value, for keyed hashes and comparisons (NULL is its own)."""
    if value is None:
        return "\x00null"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def coerce_value(column: sa.Column[Any], value: str) -> Any:
    """A corrected value as the column's Python type (a date column takes any one-day spec date format).

    Raises:
        UsageError: The value is not valid for the column's type (the message never holds the value).
    """
    try:
        py = column.type.python_type
    except NotImplementedError:
        return value
    text = value.strip()
    try:
        if py is bool:
            if text.lower() not in ("1", "0", "true", "false", "t", "f", "yes", "no"):
                raise ValueError
            return text.lower() in ("1", "true", "t", "yes")
        if py is int:
            return int(text)
        if py is float:
            return float(text)
        if py is Decimal:
            return Decimal(text)
        if py is dt.datetime:
            return dt.datetime.fromisoformat(text)
        if py is dt.date:
            iso = birth_date_of(text)
            if iso is None:
                raise ValueError
            return dt.date.fromisoformat(iso)
    except (ValueError, InvalidOperation):
        raise UsageError(f"the new value is not a valid {py.__name__} for column {column.name}") from None
    return value


# -- files and objects -----------------------------------------------------------------------------


def object_records(conn: Connector, asset: IndexedAsset, object_key: str) -> list[dict[str, Any]]:
    """Every record of one object or file, as ``{column: value}`` in record order."""
    container = asset.ref.path[0]
    ref = AssetRef(asset.ref.connector, asset.ref.kind, (container, object_key))
    cols = list(asset.columns)
    out: list[dict[str, Any]] = []
    for batch in conn.iter_batches(AssetInfo(ref), cols, 5000):
        for row in batch:
            out.append(dict(zip(cols, row[1:], strict=False)))
    return out


def read_bytes(conn: Connector, kind: AssetKind, container: str, object_key: str) -> bytes:
    """Raw bytes of one object (S3) or file (folder)."""
    if kind == AssetKind.FILE:
        root = Path(container)
        full = (root / object_key).resolve()
        if not full.is_relative_to(root.resolve()):
            raise PlanError("a planned file path leaves its folder")
        return full.read_bytes()
    resp = conn.client.get_object(Bucket=container, Key=object_key)  # type: ignore[attr-defined]
    with resp["Body"] as body:
        data: bytes = body.read()
    return data


def write_bytes(conn: Connector, kind: AssetKind, container: str, object_key: str, data: bytes) -> None:
    """Replace one object or file (files: write a temporary file beside it, then rename atomically)."""
    if kind == AssetKind.FILE:
        full = Path(container) / object_key
        fd, tmp = tempfile.mkstemp(dir=full.parent, prefix=".pi-scanner-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, full.stat().st_mode & 0o777)
            os.replace(tmp, full)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return
    conn.client.put_object(Bucket=container, Key=object_key, Body=data)  # type: ignore[attr-defined]


Edit = Callable[[dict[str, Any]], dict[str, Any] | None]


def _flat(obj: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out if prefix or out else {}
    return {prefix[:-1] if prefix else "value": obj}


def rewrite(name: str, data: bytes, matcher: Matcher, edit: Edit) -> tuple[bytes, int]:
    """Rewrite an object: ``edit`` each record the subject's identifiers appear in.

    ``edit`` returns None to drop the record, or the record's new fields. Records without the subject's
    identifiers are written back untouched.

    Returns:
        The new content and the records dropped or changed (0: the caller need not write anything).

    Raises:
        PlanError: The format cannot be rewritten (compressed, spreadsheet, whole-document JSON).
    """
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".log")):
        return _rewrite_jsonl(data, matcher, edit)
    if lower.endswith((".csv", ".tsv")):
        return _rewrite_csv(data, "\t" if lower.endswith(".tsv") else ",", matcher, edit)
    if lower.endswith(".parquet"):
        return _rewrite_parquet(data, matcher, edit)
    raise PlanError(f"cannot rewrite {Path(name).suffix or 'this'} objects; delete the whole object instead")


def _rewrite_jsonl(data: bytes, matcher: Matcher, edit: Edit) -> tuple[bytes, int]:
    out: list[bytes] = []
    changed = 0
    for line in data.splitlines(keepends=True):
        body = line.strip()
        try:
            obj = json.loads(body) if body else None
        except ValueError:
            obj = None
        if not isinstance(obj, dict) or not matcher.matches(_flat(obj)):
            out.append(line)
            continue
        changed += 1
        new = edit(dict(obj))
        if new is not None:
            out.append(json.dumps(new, ensure_ascii=False, default=str).encode("utf-8") + b"\n")
    return b"".join(out), changed


def _rewrite_csv(data: bytes, delimiter: str, matcher: Matcher, edit: Edit) -> tuple[bytes, int]:
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return data, 0
    header, body = rows[0], rows[1:]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if "\r\n" in text else "\n")
    writer.writerow(header)
    changed = 0
    for row in body:
        record = dict(zip(header, row, strict=False))
        if not matcher.matches(record):
            writer.writerow(row)
            continue
        changed += 1
        new = edit(record)
        if new is not None:
            writer.writerow(["" if new.get(h) is None else new.get(h) for h in header])
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"), changed


def _rewrite_parquet(data: bytes, matcher: Matcher, edit: Edit) -> tuple[bytes, int]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise PlanError("rewriting Parquet needs pyarrow (install pi-scanner[parquet])") from None
    table = pq.read_table(io.BytesIO(data))
    records = table.to_pylist()
    kept: list[dict[str, Any]] = []
    changed = 0
    for rec in records:
        if not matcher.matches(rec):
            kept.append(rec)
            continue
        changed += 1
        new = edit(dict(rec))
        if new is not None:
            kept.append(new)
    if not changed:
        return data, 0
    out = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(kept, schema=table.schema), out)
    return out.getvalue(), changed
