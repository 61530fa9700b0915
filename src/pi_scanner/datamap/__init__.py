"""The children's data map: relations between the tables of one store.

The classifier reads one table at a time; this package relates them. A SQL unit's flow reads

    discover → :func:`discover_map` (names and keys: declared and name-inferred links, whose rows each
    table holds, custom-field layouts) → :func:`resolve_roles` (role codes through lookup tables) →
    sample and classify each table → census → :func:`relate` (links checked against the values, one
    parent per column, propagation from children's tables with linked rows counted in the database) →
    catalog.

Modules: :mod:`~pi_scanner.datamap.schema` (the store's tables), :mod:`~pi_scanner.datamap.links`
(candidates, scoring, parents), :mod:`~pi_scanner.datamap.probe` (SQL value questions),
:mod:`~pi_scanner.datamap.context` (whose rows), :mod:`~pi_scanner.datamap.lookups` (lookup roles),
:mod:`~pi_scanner.datamap.custom_fields` (EAV), :mod:`~pi_scanner.datamap.propagate` (propagation).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pi_scanner.classify.table_context import RoleCodes, TableContext
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap import custom_fields
from pi_scanner.datamap.context import CONTEXT_KEY, annotate_context, context_of
from pi_scanner.datamap.links import (
    ACCEPT_THRESHOLD,
    Candidate,
    Containment,
    choose_parents,
    declared_links,
    name_candidates,
)
from pi_scanner.datamap.lookups import resolve_all, role_lookups
from pi_scanner.datamap.probe import RootRows, SqlProbe, UncheckablePredicate
from pi_scanner.datamap.propagate import Root, empty_person_tables, find_roots, propagate
from pi_scanner.datamap.schema import TableSchema, store_tables
from pi_scanner.errors import PiScannerError
from pi_scanner.models import AssetResult, TableLink

__all__ = ["CONTEXT_KEY", "MapOutcome", "StoreMap", "annotate_context", "discover_map", "relate", "resolve_roles"]

log = logging.getLogger(__name__)


@dataclass
class StoreMap:
    """What the data map knows about one store before any value is read.

    Attributes:
        connector: Connector name.
        tables: Tables by path.
        candidates: Name-inferred link candidates (several per column where ambiguous).
        declared: Declared foreign keys.
        name_links: One parent per column from names, types and keys only.
        contexts: Whose rows each table holds, by path.
        codes: Role codes resolved through lookup tables, by person-table path.
        problems: Value-free remarks (a lookup table that could not be read).
        threshold: Confidence from which links are acted on.
    """

    connector: str
    tables: dict[tuple[str, ...], TableSchema]
    candidates: list[Candidate]
    declared: list[TableLink]
    name_links: list[TableLink]
    contexts: dict[tuple[str, ...], TableContext] = field(default_factory=dict)
    codes: dict[tuple[str, ...], RoleCodes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    threshold: float = ACCEPT_THRESHOLD

    @property
    def links(self) -> list[TableLink]:
        """Declared and name-inferred links (before values are weighed)."""
        return [*self.declared, *self.name_links]


@dataclass
class MapOutcome:
    """What :func:`relate` found.

    Attributes:
        links: Every link (declared first), values weighed.
        results: Results that changed (propagation), by path.
        problems: Value-free remarks (tables gone, counts that failed).
    """

    links: list[TableLink]
    results: dict[tuple[str, ...], AssetResult]
    problems: list[str]


def discover_map(
    connector: str, infos: Sequence[AssetInfo], threshold: float = ACCEPT_THRESHOLD
) -> tuple[list[AssetInfo], StoreMap]:
    """Relate one SQL store's tables from discovery metadata (no query).

    Args:
        connector: Connector name.
        infos: Every asset the connector discovered.
        threshold: Confidence from which links are acted on.

    Returns:
        The assets annotated with custom-field layouts and schema contexts, and the store's map so far.
    """
    tables = store_tables(infos)
    candidates = name_candidates(tables)
    declared = declared_links(connector, tables)
    name_links = choose_parents(connector, candidates, threshold=threshold)
    annotated = custom_fields.annotate(list(infos))
    annotated = annotate_context(annotated, name_links)
    contexts = {i.ref.path: ctx for i in annotated if (ctx := context_of(i)) is not None}
    smap = StoreMap(connector, {t.path: t for t in tables}, candidates, declared, name_links, contexts,
                    threshold=threshold)
    return annotated, smap


def resolve_roles(connector: SqlConnector, smap: StoreMap, infos: Sequence[AssetInfo]) -> list[AssetInfo]:
    """Resolve role codes through lookup tables and hand them to the classifier in each table's context.

    Reads each lookup table once (at most a few hundred rows). A lookup that cannot be read is noted in
    ``smap.problems`` and the person table is classified without it.
    """
    lookups = role_lookups(list(smap.tables.values()), smap.links)
    if not lookups:
        return list(infos)
    codes, problems = resolve_all(connector, lookups)
    smap.codes.update(codes)
    smap.problems.extend(problems)
    out = []
    for info in infos:
        found = codes.get(info.ref.path)
        if found is None:
            out.append(info)
            continue
        ctx = dataclasses.replace(context_of(info) or TableContext(), role_codes=found)
        smap.contexts[info.ref.path] = ctx
        out.append(dataclasses.replace(info, meta={**info.meta, CONTEXT_KEY: ctx}))
    return out


def _checked(probe: SqlProbe, root: Root, result: AssetResult, problems: list[str]) -> Root:
    """The root, or the root counted whole when its children's-rows predicate picks no row at all.

    A column the sample took for resident IDs or birth dates may hold something else in most rows (a
    student number): a predicate that picks nothing in a table with children's rows is no predicate.
    """
    if root.rows.column is None or result.rows_scanned == 0:
        return root
    try:
        if probe.count_root(root.path, root.rows) > 0:
            return root
    except UncheckablePredicate:
        pass  # the whole table counts, as an estimate: not a problem of the store
    except PiScannerError as exc:
        problems.append(f"{'.'.join(root.path)}: children's rows not counted ({type(exc).__name__})")
    return dataclasses.replace(root, rows=RootRows(), exact=False)


def relate(
    connector: Connector | None,
    smap: StoreMap,
    results: Mapping[tuple[str, ...], AssetResult],
    as_of: dt.date,
    *,
    values: bool = True,
) -> MapOutcome:
    """Weigh the links against the values, choose parents, and propagate from the children's tables.

    Args:
        connector: The store's connector (a SQL one is asked about values), or None for names only.
        smap: The map from :func:`discover_map`.
        results: Every table's classified (and censused) result, by path.
        as_of: Reference date (a root's children's rows by birth date).
        values: Check containment and count linked rows in the database.

    Returns:
        Links, changed results and problems. Store errors never raise: they are problems.
    """
    probe = SqlProbe(connector) if values and isinstance(connector, SqlConnector) else None
    checked: dict[Candidate, Containment] = {}
    if probe is not None:
        probe.rows = {p: t.rows for p, t in smap.tables.items()}
        probe.schemas = smap.tables
        filled = [
            c for c in smap.candidates
            # An empty table has no values to weigh.
            if not ((src := results.get(c.from_path)) is not None and src.rows_scanned == 0
                    and not smap.tables[c.from_path].rows)
        ]
        checked = probe.weigh(filled)  # candidates that cannot win are not checked
    problems = list(smap.problems)
    for c, found in checked.items():
        if found.error is not None:
            problems.append(f"{'.'.join(c.from_path)}.{c.column}: values not checked ({found.error})")
    links = [*smap.declared, *choose_parents(smap.connector, smap.candidates, checked, smap.threshold)]
    # Empty person tables of a children's system (a fresh install's applicants) are children's from the schema.
    empty_people = empty_person_tables(results, smap.tables, smap.contexts)
    results = {**results, **empty_people}
    roots = find_roots(results, smap.tables, smap.contexts, smap.codes, as_of)
    if probe is not None:
        roots = [_checked(probe, r, results[r.path], problems) for r in roots]
    changed, more = propagate(results, links, roots, tables=smap.tables, contexts=smap.contexts,
                              count=probe.count_linked if probe is not None else None)
    changed = {**empty_people, **changed}
    problems.extend(more)
    log.info("data map built", extra={"connector": smap.connector, "links": len(links), "roots": len(roots),
                                      "linked_tables": len(changed)})
    return MapOutcome(links, changed, problems)
