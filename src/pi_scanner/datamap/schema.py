"""The data map's view of a store: tables with their columns and keys, from discovery metadata only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import AssetKind, ColumnInfo

TypeFamily = Literal["int", "text", "uuid", "other"]

_INT_TYPES = ("int", "smallint", "bigint", "tinyint", "mediumint", "integer", "serial", "bigserial", "number")
_TEXT_TYPES = ("varchar", "char", "text", "character", "nvarchar", "nchar", "string", "longtext", "mediumtext",
               "enum", "citext")


def type_family(type_name: str) -> TypeFamily:
    """The family a column's type belongs to, for deciding whether two columns can join."""
    t = type_name.lower().strip()
    if t.startswith("uuid") or t == "uniqueidentifier":
        return "uuid"
    if t.startswith(_INT_TYPES) or (t.startswith(("numeric", "decimal")) and (",0)" in t or "," not in t)):
        return "int"
    if t.startswith(_TEXT_TYPES):
        return "text"
    return "other"


@dataclass(frozen=True)
class ForeignKey:
    """A declared foreign key (one or more columns).

    Attributes:
        columns: Referencing columns.
        ref_path: ``(schema, table)`` of the referenced table.
        ref_columns: Referenced columns, in the same order.
    """

    columns: tuple[str, ...]
    ref_path: tuple[str, ...]
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    """One table as the data map sees it (names, types and keys; never a value).

    Attributes:
        path: ``(schema, table)``.
        columns: Its columns.
        primary_key: Primary-key columns.
        unique: Declared unique column sets.
        foreign_keys: Declared foreign keys.
        rows: The store's row estimate (None: unknown).
        comment: The table comment.
    """

    path: tuple[str, ...]
    columns: tuple[ColumnInfo, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: int | None = None
    comment: str = ""

    @property
    def name(self) -> str:
        """The table's own name."""
        return self.path[-1]

    def column(self, name: str) -> ColumnInfo | None:
        """The column called ``name`` (exact spelling), or None."""
        return next((c for c in self.columns if c.name == name), None)

    def is_key(self, column: str) -> bool:
        """Whether ``column`` alone is unique here (the primary key or a declared unique set)."""
        return (column,) == self.primary_key or (column,) in self.unique


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


def _declared(info: AssetInfo) -> tuple[ForeignKey, ...]:
    schema = info.ref.path[:-1]
    out: list[ForeignKey] = []
    constraints = info.meta.get("foreign_key_constraints")
    if isinstance(constraints, list):
        for fk in constraints:
            if not isinstance(fk, Mapping):
                continue
            ref_schema, ref_table = fk.get("ref_schema"), str(fk.get("ref_table"))
            ref_path = (str(ref_schema), ref_table) if ref_schema else (*schema, ref_table)
            cols, refs = _strs(fk.get("columns")), _strs(fk.get("ref_columns"))
            if cols and len(cols) == len(refs):
                out.append(ForeignKey(cols, ref_path, refs))
        return tuple(out)
    # Connectors that only report single-column keys as ``column -> table.column``.
    fks = info.meta.get("foreign_keys")
    if isinstance(fks, Mapping):
        for col, target in fks.items():
            table, _, ref = str(target).rpartition(".")
            if table and ref:
                out.append(ForeignKey((str(col),), (*schema, table), (ref,)))
    return tuple(out)


def table_schema(info: AssetInfo) -> TableSchema:
    """A :class:`TableSchema` from a discovered table."""
    uniques = info.meta.get("unique")
    return TableSchema(
        path=info.ref.path,
        columns=info.columns,
        primary_key=_strs(info.meta.get("primary_key")),
        unique=tuple(_strs(u) for u in uniques) if isinstance(uniques, list) else (),
        foreign_keys=_declared(info),
        rows=info.row_count_estimate,
        comment=str(info.meta.get("table_comment") or ""),
    )


def store_tables(infos: Iterable[AssetInfo]) -> list[TableSchema]:
    """Every ``schema.table`` asset of one connector as a :class:`TableSchema`."""
    return [table_schema(i) for i in infos if i.ref.kind is AssetKind.TABLE and len(i.ref.path) == 2]
