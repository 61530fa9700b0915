"""Links across the files of one folder or bucket prefix (CSV/JSONL exports keyed by a student id).

A school system's export is often a folder of files, one per table: ``students.csv`` keyed by
``student_id``, ``attendance.csv`` and ``grades.jsonl`` carrying it. The files of one folder (or one S3
prefix) are related like the tables of one database:

* each tabular file (CSV, TSV, JSON Lines, JSON, also gzip/bz2/zstd compressed, and an Excel workbook's
  sheet the scan reads) becomes a :class:`~pi_scanner.datamap.schema.TableSchema` named after its stem
  (``attendance`` of ``attendance.csv.gz``), with column types read off its sampled values (integers, ISO
  dates, text) and, as its key, the first key-named column (``student_id``, ``id``) whose sampled values
  are all present and distinct;
* candidates come from the same name rules as SQL (:func:`~pi_scanner.datamap.links.name_candidates`);
* containment: each needed column is streamed once through a bottom-k sketch
  (:mod:`pi_scanner.datamap.sketch`) and the referencing and referenced sketches are compared coordinated —
  exact when both columns hold at most ``k`` distinct values; a file too large to stream (or a connector
  that cannot) is judged on its sampled values, marked ``sampled``;
* one parent per column (:func:`~pi_scanner.datamap.links.choose_parents`), then propagation from the files
  holding children's records (:func:`~pi_scanner.datamap.propagate.propagate`), with linked child rows
  counted by streaming: the children's key values of the root (by role code, birth date or resident ID)
  are gathered, then each file of the chain is streamed and only its matching keys kept.

Links are stored like SQL links, with the files' own paths (``(root, "exports/attendance.csv")``). Values
stay inside this module: sketches and key sets live for one comparison and are never logged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pi_scanner.classify.column_names import tokenize
from pi_scanner.connectors.base import NOT_READ_KEY, AssetInfo, Capability, Connector
from pi_scanner.connectors.formats import strip_compression_suffix
from pi_scanner.datamap import sketch
from pi_scanner.datamap.links import ACCEPT_THRESHOLD, Candidate, Containment, choose_parents, name_candidates
from pi_scanner.datamap.probe import RootRows
from pi_scanner.datamap.propagate import find_roots, propagate
from pi_scanner.datamap.schema import TableSchema
from pi_scanner.errors import PiScannerError
from pi_scanner.models import AssetKind, AssetResult, ColumnInfo, LinkedVia, Sample, TableLink

log = logging.getLogger(__name__)

#: File names read as tables of records (after a compression suffix such as ``.gz`` is taken off); the
#: connectors' format readers read them, compressed or not, sampled and streamed alike.
TABULAR = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx")
#: Records sampled per file for its columns, types and key.
SAMPLE_ROWS = 2_000
#: Files up to this size are streamed whole for containment and counts; larger ones are judged on samples.
STREAM_BYTES = 256 * 1024 * 1024
#: Children's key values held at most while counting linked rows.
MAX_KEYS = 1_000_000
_KEY_WORDS = frozenset({"id", "no", "num", "number", "code", "key", "uuid", "guid", "xh", "bh", "sn"})
_INT = re.compile(r"-?[1-9][0-9]{0,17}|0")
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


@dataclass
class FileOutcome:
    """What :func:`relate_files` found in one connector's files.

    Attributes:
        links: Links between files, by the files' own paths.
        results: Results that changed (propagation), by asset path.
        problems: Value-free remarks (a file that could not be read).
    """

    links: list[TableLink]
    results: dict[tuple[str, ...], AssetResult]
    problems: list[str]


@dataclass
class _File:
    info: AssetInfo
    schema: TableSchema
    whole: bool  # the sample held every record
    sample: Sample | None  # kept only for a file too large to stream: its values are judged on it


def _norm(value: Any) -> str | None:
    """A key value as compared across files: text, trimmed, case-folded (CSV holds ``12``, JSON ``12``)."""
    if value is None:
        return None
    text = str(value).strip().lower()
    return text or None


def _type_of(values: Sequence[str]) -> str:
    if not values:
        return ""
    if all(_INT.fullmatch(v) for v in values):
        return "integer"
    if all(_DATE.match(v) for v in values):
        return "date"
    return "varchar"


def _key_named(column: str) -> bool:
    tokens = tokenize(column)
    return bool(tokens) and tokens[-1] in _KEY_WORDS


def tabular(info: AssetInfo) -> bool:
    """Whether an asset is a file of records another file can point into."""
    return (info.ref.kind in (AssetKind.FILE, AssetKind.OBJECT) and len(info.ref.path) == 2
            and strip_compression_suffix(info.ref.path[1]).lower().endswith(TABULAR) and not info.meta.get("error")
            and not info.meta.get(NOT_READ_KEY))


def _folder(info: AssetInfo) -> tuple[str, str]:
    return info.ref.path[0], posixpath.dirname(info.ref.path[1])


def _stem(rel: str) -> str:
    base = strip_compression_suffix(posixpath.basename(rel))
    for ext in TABULAR:
        if base.lower().endswith(ext):
            return base[: -len(ext)]
    return base


def _streamable(connector: Connector, info: AssetInfo) -> bool:
    return connector.supports(Capability.CENSUS) and (info.size_bytes or 0) <= STREAM_BYTES


def _read(connector: Connector, info: AssetInfo, path: tuple[str, ...]) -> _File:
    sample = connector.sample(info, SAMPLE_ROWS)
    columns: list[ColumnInfo] = []
    key: str | None = None
    for i, col in enumerate(sample.columns):
        values = [t for r in sample.rows if i < len(r) and (t := str(r[i]).strip()) and r[i] is not None]
        columns.append(ColumnInfo(col.name, col.type_name or _type_of(values), col.comment))
        if key is None and _key_named(col.name) and len(sample.rows) >= 2 and len(values) == len(sample.rows) \
                and len(set(values)) == len(values):
            key = col.name
    rows = len(sample.rows) if sample.complete else sample.row_count_estimate
    schema = TableSchema(path, tuple(columns), primary_key=(key,) if key else (), rows=rows)
    return _File(info, schema, sample.complete, None if _streamable(connector, info) else sample)


class _Values:
    """Streams files of one connector: per-column sketches, children's keys, linked-row counts."""

    def __init__(self, connector: Connector, files: Mapping[tuple[str, ...], _File]) -> None:
        self.connector = connector
        self.files = files
        self.sketches: dict[tuple[tuple[str, ...], str], tuple[sketch.BottomK, bool]] = {}

    def streamable(self, path: tuple[str, ...]) -> bool:
        return _streamable(self.connector, self.files[path].info)

    def _rows(self, path: tuple[str, ...], columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        for batch in self.connector.iter_batches(self.files[path].info, list(columns)):
            for row in batch:
                yield row[1:]  # the file's own key first

    def sketch_columns(self, path: tuple[str, ...], columns: Sequence[str]) -> None:
        """One pass over the file (or its sample) feeding one sketch per column."""
        made = {c: sketch.BottomK() for c in columns}
        if self.streamable(path):
            for row in self._rows(path, columns):
                for c, v in zip(columns, row, strict=False):
                    made[c].add(_norm(v))
            whole = True
        else:
            f = self.files[path]
            sample = f.sample if f.sample is not None else self.connector.sample(f.info, SAMPLE_ROWS)
            index = {col.name: i for i, col in enumerate(sample.columns)}
            for r in sample.rows:
                for c in columns:
                    i = index.get(c)
                    if i is not None and i < len(r):
                        made[c].add(_norm(r[i]))
            whole = f.whole
        for c, s in made.items():
            self.sketches[(path, c)] = (s, whole)

    def containment(self, c: Candidate) -> Containment:
        a, a_whole = self.sketches[(c.from_path, c.column)]
        b, b_whole = self.sketches[(c.to_path, c.key)]
        if not len(a) or not len(b):
            return Containment(None if not len(a) else 0.0)
        est = sketch.coordinated_containment(a, b)
        if est is None:
            return Containment(None)
        whole = a_whole and b_whole
        exact = est.exact and whole
        method = "exact" if exact else ("sketch" if whole else "sampled")
        return Containment(est.share, exact=exact, method=method, margin=None if exact else est.margin)

    def _picks(self, root: RootRows) -> Any:
        if root.column is None:
            return lambda v: True
        if root.codes:
            codes = {_norm(c) for c in root.codes}
            return lambda v: _norm(v) in codes
        if root.born_after is not None:
            after = root.born_after

            def born(v: Any) -> bool:
                if isinstance(v, dt.date):
                    return (v.date() if isinstance(v, dt.datetime) else v) >= after
                m = _DATE.match(str(v).strip()) if v is not None else None
                try:
                    return m is not None and dt.date(int(m[1]), int(m[2]), int(m[3])) >= after
                except ValueError:
                    return False
            return born
        if root.id_born_after is not None:
            limit = root.id_born_after
            return lambda v: v is not None and len(t := str(v).strip()) == 18 and t[6:14] >= limit
        return lambda v: True

    def _keys(self, path: tuple[str, ...], key: str, test_col: str | None, test: Any,
              within: set[str] | None) -> set[str]:
        keys: set[str] = set()
        cols = [key] if test_col is None or test_col == key else [key, test_col]
        for row in self._rows(path, cols):
            probe = row[-1]
            if within is not None and _norm(probe) not in within:
                continue
            if within is None and not test(probe):
                continue
            k = _norm(row[0])
            if k is not None:
                keys.add(k)
                if len(keys) > MAX_KEYS:
                    raise PiScannerError(f"{self.connector.name}: more than {MAX_KEYS} linked keys; not counted")
        return keys

    def count(self, chain: Sequence[TableLink], root: RootRows) -> int:
        """Records of ``chain[0]``'s file reaching a child record of the root (see :data:`propagate.CountFn`)."""
        if not all(self.streamable(link.from_path) and self.streamable(link.to_path) for link in chain):
            raise PiScannerError(f"{self.connector.name}: a linked file is too large to stream; not counted")
        last = chain[-1]
        keys = self._keys(last.to_path, last.to_columns[0], root.column, self._picks(root), None)
        for i in range(len(chain) - 1, 0, -1):
            link = chain[i]
            keys = self._keys(link.from_path, chain[i - 1].to_columns[0], link.from_columns[0], None, keys)
        first = chain[0]
        return sum(1 for (v,) in self._rows(first.from_path, [first.from_columns[0]]) if _norm(v) in keys)


def _group_tables(connector: Connector, infos: Sequence[AssetInfo],
                  problems: list[str]) -> dict[tuple[str, ...], _File]:
    """The group's files by the path the map calls them (``(folder, stem)``)."""
    out: dict[tuple[str, ...], _File] = {}
    for info in infos:
        root, folder = _folder(info)
        stem = _stem(info.ref.path[1])
        path = (f"{root}/{folder}" if folder else root, stem)
        if path in out:
            path = (path[0], posixpath.basename(info.ref.path[1]))  # students.csv beside students.jsonl
        try:
            out[path] = _read(connector, info, path)
        except (PiScannerError, OSError) as exc:
            problems.append(f"{info.ref.path[1]}: not related to other files ({type(exc).__name__})")
    return out


def _real(link: TableLink, files: Mapping[tuple[str, ...], _File]) -> TableLink:
    return dataclasses.replace(link, from_path=files[link.from_path].info.ref.path,
                               to_path=files[link.to_path].info.ref.path)


def relate_files(
    connector: Connector,
    held: Mapping[tuple[str, ...], tuple[AssetResult, AssetInfo]],
    as_of: dt.date,
    threshold: float = ACCEPT_THRESHOLD,
) -> FileOutcome:
    """Link the files of each folder (or bucket prefix) of one connector and propagate children's status.

    Args:
        connector: The folder or bucket connector the files came from.
        held: Every classified file's result and asset, by asset path.
        as_of: Reference date (a root's children's records by birth date).
        threshold: Confidence from which links are acted on.

    Returns:
        Links by the files' own paths, changed results by asset path, value-free problems. Store errors
        never raise: they are problems.
    """
    groups: dict[tuple[str, str], list[AssetInfo]] = {}
    for result, info in held.values():
        # A file the scan did not read (permission, format) is listed as such, not read again here.
        unread = result.coverage is not None and bool(result.coverage.not_read)
        if tabular(info) and result.asset.path == info.ref.path and not unread:
            groups.setdefault(_folder(info), []).append(info)
    links: list[TableLink] = []
    changed: dict[tuple[str, ...], AssetResult] = {}
    problems: list[str] = []
    for _, infos in sorted(groups.items()):
        if len(infos) < 2:
            continue
        files = _group_tables(connector, infos, problems)
        tables = {p: f.schema for p, f in files.items()}
        candidates = name_candidates(list(tables.values()))
        if not candidates:
            continue
        values = _Values(connector, files)
        needed: dict[tuple[str, ...], set[str]] = {}
        for c in candidates:
            needed.setdefault(c.from_path, set()).add(c.column)
            needed.setdefault(c.to_path, set()).add(c.key)
        checked: dict[Candidate, Containment] = {}
        for path, cols in sorted(needed.items()):
            try:
                values.sketch_columns(path, sorted(cols))
            except (PiScannerError, OSError) as exc:
                problems.append(f"{files[path].info.ref.path[1]}: values not read ({type(exc).__name__})")
        for c in candidates:
            if (c.from_path, c.column) in values.sketches and (c.to_path, c.key) in values.sketches:
                checked[c] = values.containment(c)
            else:
                checked[c] = Containment(None, error="unread")
        group_links = choose_parents(connector.name, candidates, checked, threshold)
        results = {p: held[f.info.ref.path][0] for p, f in files.items()}
        roots = find_roots(results, tables, {}, {}, as_of)
        count = values.count if connector.supports(Capability.CENSUS) else None
        moved, more = propagate(results, group_links, roots, tables=tables, count=count)
        problems.extend(more)
        labels = {lk.label: _real(lk, files).label for lk in group_links}
        for p, result in moved.items():
            via = result.linked_via
            if via is not None:
                via = LinkedVia(tuple(labels.get(x, x) for x in via.path), via.confidence)
            changed[files[p].info.ref.path] = dataclasses.replace(result, linked_via=via)
        links.extend(_real(lk, files) for lk in group_links)
    log.info("file map built", extra={"connector": connector.name, "links": len(links),
                                      "linked_files": len(changed)})
    return FileOutcome(links, changed, problems)
