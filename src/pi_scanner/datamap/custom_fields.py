"""Custom fields in a scan: finds EAV layouts at discovery and classifies them field by field.

:func:`annotate` runs in the coordinator after a SQL store's discovery and puts the layout of every
values table and wide ``CUSTOM_<n>`` table into its ``AssetInfo.meta["eav"]``. :func:`apply` runs in the
sample unit, after the ordinary classification of such a table, and reads through the connector:

* the definitions (at most :data:`~pi_scanner.classify.eav.MAX_FIELDS` rows of id and label);
* for a values table, at most :data:`~pi_scanner.classify.eav.ROWS_PER_FIELD` rows of each field, then
  every field of the first entities seen (the per-entity pivot);
* for a wide table, nothing more: its sample is relabelled.

The values table's result then carries one finding per field (``value[National ID]``), an
``eav:<schema>/<table>`` note naming the definitions table, and age counts per entity. A definitions
table that cannot be read leaves the ordinary result standing, noted ``eav_unreadable``. A definitions
table loses the name-only finding on its label column (``name`` holds field names, not people's).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.column import with_articles
from pi_scanner.classify.eav import (
    MAX_FIELDS,
    ROWS_PER_FIELD,
    Definitions,
    Layout,
    RowsLayout,
    TableMeta,
    WideLayout,
    detect_layouts,
    field_column_names,
    field_key,
    field_samples,
    merge_results,
    pivot_sample,
    relabel_wide,
)
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.errors import PiScannerError
from pi_scanner.models import AssetKind, AssetRef, AssetResult, ChildStatus, Sample

log = logging.getLogger(__name__)

#: Key of the layout in ``AssetInfo.meta``.
META_KEY = "eav"
#: Note on a result whose custom fields could not be read (the ordinary verdict stands).
UNREADABLE_NOTE = "eav_unreadable"
#: Note on a definitions table whose label column was cleared of a name-only finding.
DEFINITIONS_NOTE = "eav_definitions"


def _meta(info: AssetInfo) -> TableMeta:
    fks = info.meta.get("foreign_keys") or {}
    return TableMeta(
        path=info.ref.path,
        columns=info.columns,
        primary_key=tuple(info.meta.get("primary_key") or ()),
        foreign_keys={str(k): str(v) for k, v in fks.items()},
    )


def annotate(infos: Sequence[AssetInfo]) -> list[AssetInfo]:
    """Attach the EAV layout of each values or wide table of one SQL store to its ``meta["eav"]``.

    Args:
        infos: Every table one SQL connector discovered.

    Returns:
        The same assets in the same order; those with a layout are copies carrying it.
    """
    tables = [i for i in infos if i.ref.kind is AssetKind.TABLE and len(i.ref.path) == 2]
    found = detect_layouts([_meta(i) for i in tables])
    marks: dict[tuple[str, ...], Layout | Definitions] = {}
    for layout in found:
        # A definitions table is marked too: its label column holds field names, not people's names.
        marks.setdefault(layout.definitions.path, layout.definitions)
    for layout in found:
        marks[layout.table] = layout
    out = []
    for info in infos:
        mark = marks.get(info.ref.path) if info.ref.kind is AssetKind.TABLE else None
        out.append(dataclasses.replace(info, meta={**info.meta, META_KEY: mark}) if mark else info)
    return out


def layout_of(info: AssetInfo) -> Layout | Definitions | None:
    """What :func:`annotate` attached to an asset: its layout, or the definitions it holds, or None."""
    layout = info.meta.get(META_KEY)
    return layout if isinstance(layout, RowsLayout | WideLayout | Definitions) else None


def _definitions_table(definitions: Definitions, result: AssetResult) -> AssetResult:
    """A definitions table's result without the name-only finding on its label column (``name``).

    Only a *suspected* finding goes: if the labels' values themselves validate as PI, it stays.
    """
    kept = tuple(f for f in result.columns if not (f.name == definitions.label_column and f.suspected))
    if len(kept) == len(result.columns):
        return result
    status = result.child_status
    if not kept and status is ChildStatus.UNKNOWN:
        status = ChildStatus.NONE  # the label column was the only reason for "unknown"
    notes = tuple(dict.fromkeys((*result.notes, DEFINITIONS_NOTE)))
    return dataclasses.replace(result, columns=kept, child_status=status, notes=notes)


def _definitions_ref(connector: SqlConnector, layout: Layout) -> AssetRef:
    return AssetRef(connector.name, AssetKind.TABLE, layout.definitions.path)


def read_labels(
    connector: SqlConnector, layout: Layout, ids: Sequence[str] | None = None, max_fields: int = MAX_FIELDS
) -> dict[str, object]:
    """Field id (as text) to raw label, at most ``max_fields`` of them, optionally only ``ids``.

    Raises:
        PiScannerError: The definitions table cannot be read.
    """
    d = layout.definitions
    where = {d.id_column: list(ids)} if ids is not None else None
    rows = connector.read_where(
        _definitions_ref(connector, layout), [d.id_column, d.label_column], where_in=where, limit=max_fields
    )
    labels: dict[str, object] = {}
    for field_id, label in rows:
        if field_id is not None:
            labels.setdefault(field_key(field_id), label)
    return labels


def _rows(
    connector: SqlConnector,
    classifier: Classifier,
    info: AssetInfo,
    layout: RowsLayout,
    result: AssetResult,
    max_fields: int,
    rows_per_field: int,
) -> AssetResult:
    labels = read_labels(connector, layout, max_fields=max_fields)
    if not labels:
        return result  # nothing defined: an ordinary table after all
    names = field_column_names(layout.value_column, labels)
    by_field: dict[str, list[tuple[Any, Any]]] = {}
    complete: dict[str, bool] = {}
    for field_id in names:
        rows = connector.read_where(
            info.ref, [layout.entity_column, layout.value_column],
            where_in={layout.field_column: [field_id]}, limit=rows_per_field,
        )
        by_field[field_id] = [(e, v) for e, v in rows]
        complete[field_id] = len(rows) < rows_per_field
    # The pivot's entities: taken in turn from each field, so one big field cannot crowd out the rest.
    entities: dict[Any, None] = {}
    queues = [iter(rows) for rows in by_field.values()]
    while queues and len(entities) < rows_per_field:
        alive = []
        for q in queues:
            nxt = next(q, None)
            if nxt is not None:
                if nxt[0] is not None:
                    entities.setdefault(nxt[0], None)
                alive.append(q)
        queues = alive
    entity_ids = list(entities)[:rows_per_field]
    triples: list[tuple[Any, Any, Any]] = []
    if entity_ids:
        triples = [
            (e, f, v)
            for e, f, v in connector.read_where(
                info.ref, [layout.entity_column, layout.field_column, layout.value_column],
                where_in={layout.entity_column: entity_ids, layout.field_column: list(names)},
                limit=len(entity_ids) * len(names),
            )
        ]
    field_results = [
        classifier.classify(s) for s in field_samples(info.ref, names, by_field, complete=complete).values()
    ]
    pivot: Sample = pivot_sample(info.ref, names, triples, max_entities=rows_per_field)
    pivot_result = classifier.classify(pivot) if pivot.rows else None
    return merge_results(
        result, field_results, pivot_result,
        replaced=layout.value_column, note=layout.definitions.note, reapply=with_articles,
    )


def _wide(
    connector: SqlConnector, classifier: Classifier, layout: WideLayout, sample: Sample, result: AssetResult
) -> AssetResult:
    ids = [field_key(i) for _, i in layout.columns][:MAX_FIELDS]
    labels = read_labels(connector, layout, ids, max_fields=len(ids) or 1)
    relabelled, renamed = relabel_wide(sample, layout, labels)
    if not renamed:
        return result  # no custom column has a definition: nothing learnt
    wide = classifier.classify(relabelled)
    notes = tuple(dict.fromkeys((*wide.notes, layout.definitions.note)))
    return dataclasses.replace(wide, notes=notes)


def apply(
    connector: SqlConnector,
    classifier: Classifier,
    info: AssetInfo,
    sample: Sample,
    result: AssetResult,
    *,
    max_fields: int = MAX_FIELDS,
    rows_per_field: int = ROWS_PER_FIELD,
) -> AssetResult:
    """The asset's result with its custom fields seen through (or ``result`` when it has none).

    Args:
        connector: The SQL connector that owns the asset.
        classifier: The scan's classifier.
        info: The asset as discovered (with ``meta["eav"]`` from :func:`annotate`).
        sample: Its ordinary sample (relabelled for wide tables).
        result: Its ordinary result.
        max_fields: Most fields read from the definitions table.
        rows_per_field: Most value rows read per field, and entities in the pivot.

    Returns:
        The merged result. Reading failures never raise: the ordinary result is returned, noted
        ``eav_unreadable``.
    """
    layout = layout_of(info)
    if layout is None:
        return result
    if isinstance(layout, Definitions):
        return _definitions_table(layout, result)
    try:
        if isinstance(layout, RowsLayout):
            return _rows(connector, classifier, info, layout, result, max_fields, rows_per_field)
        return _wide(connector, classifier, layout, sample, result)
    except PiScannerError as exc:
        # Class name only: driver messages are already value-free, but nothing here needs them.
        log.warning("custom fields unreadable", extra={"asset": info.ref.display, "error": type(exc).__name__})
        return dataclasses.replace(result, notes=tuple(dict.fromkeys((*result.notes, UNREADABLE_NOTE))))


def census_columns(info: AssetInfo, columns: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The census columns of an asset mapped back to real columns.

    A wide table's ``CUSTOM_<n>[label]`` is its real ``CUSTOM_<n>``; a values table's virtual columns
    exist in no table, so a values table gets no census (its ages are counted per entity instead).
    """
    layout = layout_of(info)
    if layout is None or isinstance(layout, Definitions):
        return columns
    if isinstance(layout, RowsLayout):
        return ()
    real = [name for name, _ in layout.columns]
    out = []
    for name, entity in columns:
        base = next((r for r in real if name.startswith(r + "[") and name.endswith("]")), name)
        out.append((base, entity))
    return tuple(out)
