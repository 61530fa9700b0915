"""Opaque custom fields: children's PI whose meaning lives in rows of another table.

Student information systems keep custom fields as entity–attribute–value (EAV) rows — a definitions
table (``gibbonPersonField(gibbonPersonFieldID, name)``, ``custom_fields(id, title)``,
``自定义字段(字段ID, 字段名称)``) and a values table (``gibbonPersonFieldValue(gibbonPersonID,
gibbonPersonFieldID, value)``) — or as wide ``CUSTOM_<n>`` columns whose label is the row ``n`` of a
definitions table. Classified as one column, a values column is a mixture (IDs, phones, t-shirt sizes)
and says nothing. This module sees through it:

* :func:`detect_layouts` finds the pairs from discovery metadata alone (columns, keys, foreign keys);
* :func:`field_samples` builds one virtual :class:`~pi_scanner.models.Sample` per field, its column named
  by the definition's label (``value[身份证号]``), so the ordinary classifier decides each field from the
  label's name hints and the validated values;
* :func:`pivot_sample` builds one row per entity holding all of its fields, so a person's age verdict
  uses every custom field together (an ID in one field, a grade in another);
* :func:`relabel_wide` renames ``CUSTOM_<n>`` columns of a sample to ``CUSTOM_<n>[label]``;
* :func:`merge_results` folds the field verdicts into the values table's ordinary result.

Labels are data from a stranger's database. They are used only as names in findings and reports
(cleaned: control characters removed, long digit runs masked, length capped) and never in SQL: every
read goes through the connector's SQLAlchemy constructs with the ids as bound values.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pi_scanner.models import (
    SEVERITY,
    AgeCounts,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
    ColumnInfo,
    Sample,
)

#: Fields of one definitions table read at most (config-free default).
MAX_FIELDS = 50
#: Value rows read at most per field, and entities at most in the per-entity pivot.
ROWS_PER_FIELD = 500
#: Longest label kept in a column name (characters); longer ones end with an ellipsis.
MAX_LABEL_CHARS = 64
#: Prefix of the note that names the definitions table (``eav:public/custom_fields``).
NOTE_PREFIX = "eav:"

#: Column names (normalised) that hold a definition's human label, best first.
_LABEL_NAMES = (
    "label", "title", "name", "field_name", "fieldname", "display_name", "displayname", "caption",
    "field_label", "field_title", "字段名称", "字段名", "标签", "名称", "标题",
)
#: Table-name words that make a table a plausible definitions table.
_DEFINITION_WORDS = frozenset({
    "field", "fields", "attribute", "attributes", "custom", "definition", "definitions", "property",
    "properties", "attr", "attrs", "meta", "extra", "udf",
})
_DEFINITION_CJK = ("字段", "属性", "自定义", "扩展")
#: Column names (normalised) that hold the value of an EAV row.
_VALUE_NAMES = frozenset({
    "value", "val", "field_value", "fieldvalue", "attribute_value", "value_text", "text_value", "data",
    "content", "值", "字段值", "内容", "属性值",
})
#: Wide custom columns: ``CUSTOM_200000000``, ``custom7``.
_WIDE = re.compile(r"custom_?(\d{1,20})", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[\u3400-\u9fff]+")
#: Digit runs this long in a label could be an identifier typed into the wrong box: masked.
_LONG_DIGITS = re.compile(r"\d{6,}")


def _tokens(name: str) -> list[str]:
    """Lower-case words of a name: snake_case, camelCase (``gibbonPersonFieldID``) and CJK runs."""
    return [t.lower() for t in _TOKEN.findall(name)]


def _norm(name: str) -> str:
    return "_".join(_tokens(name))


@dataclass(frozen=True)
class TableMeta:
    """What discovery knows about one table (no values).

    Attributes:
        path: ``(schema, table)``.
        columns: Its columns.
        primary_key: Primary-key column names.
        foreign_keys: Column name to the referenced ``table.column``.
    """

    path: tuple[str, ...]
    columns: tuple[ColumnInfo, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def name(self) -> str:
        """The table's own name (last part of the path)."""
        return self.path[-1] if self.path else ""

    @property
    def column_names(self) -> list[str]:
        """Column names in order."""
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Definitions:
    """A table whose rows define custom fields.

    Attributes:
        path: ``(schema, table)`` of the definitions table.
        id_column: The column holding each field's id.
        label_column: The column holding its human label.
    """

    path: tuple[str, ...]
    id_column: str
    label_column: str

    @property
    def note(self) -> str:
        """The ``eav:<schema>/<table>`` note put on results that used these definitions."""
        return NOTE_PREFIX + "/".join(self.path)


@dataclass(frozen=True)
class RowsLayout:
    """An entity–attribute–value values table: one row per (entity, field, value).

    Attributes:
        table: ``(schema, table)`` of the values table.
        entity_column: The column naming the entity (person) a value belongs to.
        field_column: The column referencing a definition's id.
        value_column: The column holding the value.
        definitions: Where the fields are defined.
    """

    table: tuple[str, ...]
    entity_column: str
    field_column: str
    value_column: str
    definitions: Definitions


@dataclass(frozen=True)
class WideLayout:
    """A table with ``CUSTOM_<n>`` columns whose labels are rows of a definitions table.

    Attributes:
        table: ``(schema, table)`` of the wide table.
        columns: ``(column name, field id as text)`` for every custom column.
        definitions: Where the fields are defined.
    """

    table: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    definitions: Definitions


Layout = RowsLayout | WideLayout


# -- detection ---------------------------------------------------------------------------------------


def _label_column(table: TableMeta) -> str | None:
    by_norm = {_norm(c): c for c in table.column_names}
    for wanted in _LABEL_NAMES:
        if wanted in by_norm:
            return by_norm[wanted]
    return None


def _names_definitions(table: TableMeta) -> bool:
    words = set(_tokens(table.name))
    return bool(words & _DEFINITION_WORDS) or any(w in table.name for w in _DEFINITION_CJK)


def _id_column(table: TableMeta, preferred: str | None = None) -> str | None:
    names = table.column_names
    if preferred and preferred in names:
        return preferred
    if len(table.primary_key) == 1:
        return table.primary_key[0]
    for name in names:
        if _norm(name) in ("id", "字段id", "field_id"):
            return name
    return None


def _definitions(table: TableMeta, id_column: str | None = None) -> Definitions | None:
    """``table`` as a definitions table, if it has a label and an id and is named like one."""
    if not _names_definitions(table):
        return None
    label = _label_column(table)
    ident = _id_column(table, id_column)
    if label is None or ident is None or label == ident:
        return None
    return Definitions(table.path, ident, label)


def _is_field_ref(column: str) -> bool:
    words = _tokens(column)
    if len(words) >= 2 and words[-1] == "id" and words[-2] in ("field", "attribute", "attr", "字段", "属性"):
        return True
    return _norm(column) in ("fieldid", "field_no", "字段编号", "字段id", "属性id", "attribute_no")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _stem_matches(field_column: str, table: TableMeta) -> int:
    """How well a field-reference column's stem names ``table`` (0 = not at all, higher is better)."""
    stem = [_singular(w) for w in _tokens(field_column)[:-1]]
    words = [_singular(w) for w in _tokens(table.name)]
    if not stem:
        return 0
    if any(ch >= "\u3400" for w in stem for ch in w):
        return 1 if any(w in table.name for w in stem) else 0
    if not set(stem) <= set(words):
        return 0
    return 10 - min(9, len(set(words) - set(stem)))  # fewer extra words: a closer match


def _find_definitions(
    values: TableMeta, field_column: str, candidates: Sequence[TableMeta]
) -> Definitions | None:
    """The definitions table a field-reference column points to: by foreign key, id name or stem."""
    target = values.foreign_keys.get(field_column)
    if target:
        table_name, _, column = target.rpartition(".")
        for cand in candidates:
            if cand.name == table_name and cand.path[:-1] == values.path[:-1]:
                return _definitions(cand, column)
        for cand in candidates:
            if cand.name == table_name:
                return _definitions(cand, column)
        return None  # a foreign key to something that defines no fields
    best: tuple[int, Definitions] | None = None
    for cand in candidates:
        if cand.path == values.path or cand.path[:-1] != values.path[:-1]:
            continue
        if field_column in cand.column_names:
            found = _definitions(cand, field_column)
            score = 100
        else:
            score = _stem_matches(field_column, cand)
            found = _definitions(cand) if score else None
        if found is not None and (best is None or score > best[0]):
            best = (score, found)
    return best[1] if best else None


def _rows_layout(values: TableMeta, candidates: Sequence[TableMeta]) -> RowsLayout | None:
    if _label_column(values) is not None and _names_definitions(values) and not any(
        _norm(c) in _VALUE_NAMES for c in values.column_names
    ):
        return None  # a definitions table itself
    for field_column in values.column_names:
        if not _is_field_ref(field_column):
            continue
        definitions = _find_definitions(values, field_column, candidates)
        if definitions is None or definitions.path == values.path:
            continue
        rest = [c for c in values.column_names if c != field_column]
        value_column = next((c for c in rest if _norm(c) in _VALUE_NAMES), None)
        entity_column = _entity_column(values, rest, value_column)
        if value_column is None:
            others = [c for c in rest if c != entity_column and c not in values.primary_key]
            value_column = others[0] if len(others) == 1 else None
        if value_column is None or entity_column is None or value_column == entity_column:
            continue
        return RowsLayout(values.path, entity_column, field_column, value_column, definitions)
    return None


def _entity_column(values: TableMeta, rest: Sequence[str], value_column: str | None) -> str | None:
    """The column naming the entity: a foreign key, or an ``…id`` column that is not the row's own key."""
    pool = [c for c in rest if c != value_column]
    own_key = values.primary_key if len(values.primary_key) == 1 else ()
    linked = [c for c in pool if c in values.foreign_keys and c not in own_key]
    if linked:
        return linked[0]
    ids = [c for c in pool if c not in own_key and (_tokens(c)[-1:] == ["id"] or _norm(c).endswith("id"))]
    return ids[0] if ids else None


def _wide_layout(table: TableMeta, candidates: Sequence[TableMeta]) -> WideLayout | None:
    customs = tuple(
        (c, m.group(1)) for c in table.column_names if (m := _WIDE.fullmatch(c.strip()))
    )
    if not customs:
        return None
    best: tuple[int, Definitions] | None = None
    for cand in candidates:
        if cand.path == table.path:
            continue
        found = _definitions(cand)
        if found is None:
            continue
        score = (2 if "custom" in _tokens(cand.name) or "自定义" in cand.name else 0) + (
            1 if cand.path[:-1] == table.path[:-1] else 0
        )
        if best is None or score > best[0]:
            best = (score, found)
    return WideLayout(table.path, customs, best[1]) if best else None


def detect_layouts(tables: Sequence[TableMeta]) -> list[Layout]:
    """Find EAV values tables and wide custom-column tables among one store's tables.

    Only metadata is used: a values table needs a field-reference column (a foreign key to, or a name
    like ``…FieldID``/``field_id``/``custom_field_id``/``字段ID`` matching, a definitions table with a
    label column such as ``name``/``title``/``label``/``字段名称``), an entity column and a value column.
    A table with ``CUSTOM_<n>`` columns needs some definitions table in the store. Whether the labels
    exist is learnt when they are read.

    Args:
        tables: Every table of one store, as discovered.

    Returns:
        At most one layout per table (a table is either a values table or a wide table).
    """
    candidates = [t for t in tables if _names_definitions(t)]
    out: list[Layout] = []
    for table in tables:
        layout: Layout | None = _rows_layout(table, candidates) or _wide_layout(table, candidates)
        if layout is not None:
            out.append(layout)
    return out


# -- labels and names ----------------------------------------------------------------------------------


def clean_label(label: object, max_chars: int = MAX_LABEL_CHARS) -> str:
    """A definition's label made safe to use as (part of) a column name in reports.

    Control and format characters go, whitespace collapses, digit runs of six or more are masked (a
    label is no place for an ID, but a careless admin may have typed one), and the result is capped.
    Quotes, ``;`` and brackets stay: the label is only ever a name, never SQL.
    """
    text = "" if label is None else str(label.decode("utf-8", "replace") if isinstance(label, bytes) else label)
    text = "".join(" " if unicodedata.category(ch)[0] in ("C", "Z") else ch for ch in text)
    text = " ".join(text.split())
    text = _LONG_DIGITS.sub(lambda m: m.group()[:2] + "*" * (len(m.group()) - 2), text)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text


def field_column_names(base: str, labels: Mapping[str, object]) -> dict[str, str]:
    """Column names ``base[label]`` per field id, unique even when labels repeat or are empty.

    Args:
        base: The real column's name (``value``, ``CUSTOM_200000000``).
        labels: Field id (as text) to its raw label, in the order fields should be reported.

    Returns:
        Field id to a unique name: ``value[National ID]``, ``value[Phone#7]`` for a repeated label,
        ``value[#9]`` for an empty one.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for field_id, raw in labels.items():
        label = clean_label(raw)
        name = f"{base}[{label}]" if label else f"{base}[#{clean_label(field_id, 24)}]"
        if name in taken:
            name = f"{base}[{label}#{clean_label(field_id, 24)}]"
        suffix = 2
        while name in taken:  # two ids that clean to the same text
            name = f"{base}[{label}#{clean_label(field_id, 24)}~{suffix}]"
            suffix += 1
        taken.add(name)
        names[field_id] = name
    return names


def field_key(value: object) -> str:
    """A field id as text, the same whichever table (or driver) it was read from (``7``, ``7.0``, b"7").

    Leading zeros are kept: ``'007'`` in a text column is another id than ``7``.
    """
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+\.0+", text):
        text = text.split(".", 1)[0]  # Decimal('7.0') from a NUMERIC id column
    return text


# -- virtual samples -----------------------------------------------------------------------------------


def _value_info(name: str) -> ColumnInfo:
    # The real column's type would mislead (a TEXT column holding dates), its comment describes the
    # mixture: the virtual column keeps neither.
    return ColumnInfo(name=name, type_name="", comment="", nullable=True)


def field_samples(
    asset: AssetRef,
    names: Mapping[str, str],
    rows_by_field: Mapping[str, Sequence[tuple[Any, Any]]],
    *,
    complete: Mapping[str, bool] | None = None,
) -> dict[str, Sample]:
    """One single-column sample per field: the field's values, the column named by its label.

    Args:
        asset: The values table (findings are reported on it).
        names: Field id to virtual column name (:func:`field_column_names`).
        rows_by_field: Field id to the ``(entity, value)`` rows read for it.
        complete: Field id to whether its rows are all the field's rows.

    Returns:
        Field id to its sample (fields without rows are left out).
    """
    out: dict[str, Sample] = {}
    for field_id, name in names.items():
        rows = rows_by_field.get(field_id) or ()
        if not rows:
            continue
        out[field_id] = Sample(
            asset=asset,
            columns=(_value_info(name),),
            rows=[(value,) for _, value in rows],
            complete=bool((complete or {}).get(field_id)),
        )
    return out


def pivot_sample(
    asset: AssetRef,
    names: Mapping[str, str],
    triples: Iterable[tuple[Any, Any, Any]],
    *,
    max_entities: int = ROWS_PER_FIELD,
) -> Sample:
    """One row per entity holding all of its fields: what age verdicts per person are made on.

    Args:
        asset: The values table.
        names: Field id to virtual column name; fields not in it are ignored.
        triples: ``(entity, field id, value)`` rows of the values table.
        max_entities: Most entities kept (the first ones seen).

    Returns:
        A sample with one column per field and one row per entity; a person's first value of a field
        wins when the table holds several.
    """
    order = list(names)
    position = {field_id: i for i, field_id in enumerate(order)}
    by_entity: dict[Any, list[Any]] = {}
    for entity, field_id, value in triples:
        i = position.get(field_key(field_id))
        if i is None or entity is None:
            continue
        key = entity if not isinstance(entity, bytes | bytearray) else bytes(entity)
        row = by_entity.get(key)
        if row is None:
            if len(by_entity) >= max_entities:
                continue
            row = by_entity[key] = [None] * len(order)
        if row[i] is None:
            row[i] = value
    return Sample(
        asset=asset,
        columns=tuple(_value_info(names[f]) for f in order),
        rows=[tuple(r) for r in by_entity.values()],
    )


def relabel_wide(sample: Sample, layout: WideLayout, labels: Mapping[str, object]) -> tuple[Sample, dict[str, str]]:
    """Rename the custom columns of a wide table's sample to ``CUSTOM_<n>[label]``.

    Args:
        sample: The wide table's ordinary sample.
        layout: Its layout.
        labels: Field id (as text) to raw label, for the ids the definitions table holds.

    Returns:
        The relabelled sample (same rows) and virtual name to real column name for renamed columns.
    """
    ids = dict(layout.columns)
    taken = {c.name for c in sample.columns}
    renamed: dict[str, str] = {}
    columns: list[ColumnInfo] = []
    for col in sample.columns:
        field_id = ids.get(col.name)
        if field_id is not None and field_key(field_id) in labels:
            name = field_column_names(col.name, {field_key(field_id): labels[field_key(field_id)]})[
                field_key(field_id)
            ]
            if name not in taken:
                taken.add(name)
                renamed[name] = col.name
                # Keep the real type: a DATE column labelled 出生日期 is a date column.
                columns.append(dataclasses.replace(col, name=name))
                continue
        columns.append(col)
    return dataclasses.replace(sample, columns=tuple(columns)), renamed


# -- results ---------------------------------------------------------------------------------------------


def _most_severe(results: Iterable[AssetResult]) -> AssetResult:
    return max(results, key=lambda r: SEVERITY[r.child_status])


def merge_results(
    ordinary: AssetResult,
    fields: Sequence[AssetResult],
    pivot: AssetResult | None,
    *,
    replaced: str,
    note: str,
    reapply: Callable[[ColumnFinding, bool], ColumnFinding] | None = None,
) -> AssetResult:
    """The values table's result with its mixed value column replaced by one finding per field.

    Args:
        ordinary: The values table classified as an ordinary table.
        fields: Each field's virtual sample classified (one finding at most each).
        pivot: The per-entity pivot classified: its age counts (one record per entity) are the table's.
        replaced: The real value column, whose ordinary finding (a mixture) is dropped.
        note: The ``eav:…`` note naming the definitions table.
        reapply: ``with_articles(finding, children)``, to give every finding the articles of the merged
            status (optional).

    Returns:
        Findings of the other real columns, then one per field that holds or suggests PI; the most
        protective status of all parts; the pivot's per-entity ages.
    """
    status = _most_severe([ordinary, *fields, *([pivot] if pivot else [])]).child_status
    kept: list[ColumnFinding] = [f for f in ordinary.columns if f.name != replaced]
    seen = {f.name for f in kept}
    for part in fields:
        for f in part.columns:
            if f.name not in seen:
                seen.add(f.name)
                kept.append(f)
    if reapply is not None:
        children = status in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
        kept = [reapply(f, children) for f in kept]
    ages = pivot.ages if pivot is not None else AgeCounts()
    rows = pivot.rows_scanned if pivot is not None else ordinary.rows_scanned
    notes = [*ordinary.notes, *(n for p in fields for n in p.notes), *(pivot.notes if pivot else ()), note]
    return dataclasses.replace(
        ordinary,
        columns=tuple(kept),
        child_status=status,
        ages=ages,
        rows_scanned=rows,
        notes=tuple(dict.fromkeys(notes)),
    )
