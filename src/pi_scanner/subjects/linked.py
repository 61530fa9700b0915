"""Identifier requests that follow the data map (``--follow-links``): the child's rows without the identifier.

An identifier request finds the records that hold the child's identifiers (:mod:`pi_scanner.subjects.requests`).
Attendance, grades and medical visits hold none: they point at the pupil's row by an internal id. With
``--follow-links`` each confirmed table record found by an identifier of one person (resident ID, student
number, passport; not a family's phone or e-mail) becomes a start row of the walk over the links
(:mod:`pi_scanner.subjects.traverse`), so the plan covers every linked row too. Records in files and
objects, and tables of stores without a data map, keep their identifier items. One plan: the walked rows
in deletion order (referencing rows first), then the identifier items.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.datamap.links import ACCEPT_THRESHOLD
from pi_scanner.errors import UsageError
from pi_scanner.keys import keyed_hash
from pi_scanner.models import AssetKind
from pi_scanner.retention.linkwalk import latest_links
from pi_scanner.retention.planner import Plan
from pi_scanner.subjects import index as ix
from pi_scanner.subjects.normalize import PERSONAL_KINDS
from pi_scanner.subjects.requests import FindResult, _audit, _collect, _plan, _Request, own_records, write_export
from pi_scanner.subjects.traverse import (
    Correction,
    RecordRef,
    Walk,
    correction_items,
    erase_items,
    walk_from,
    walked_records,
)


def _split(
    settings: Settings, catalog: Catalog, result: FindResult, own: dict[str, list[ix.IndexEntry]],
) -> tuple[list[RecordRef], dict[str, list[ix.IndexEntry]]]:
    """Start rows for the walk, and the records that keep their identifier items."""
    confirmed = {(loc.asset, json.dumps(loc.record_key)) for loc in result.locations}
    mapped: dict[str, bool] = {}
    starts: list[RecordRef] = []
    rest: dict[str, list[ix.IndexEntry]] = {}
    for rh, entries in own.items():
        e = entries[0]
        key = json.loads(e.record_key)
        if (e.asset.ref.display, json.dumps(key)) not in confirmed:
            continue
        ref = e.asset.ref
        name = ref.connector
        if name not in mapped:
            try:
                mapped[name] = isinstance(settings.connectors.get(name), SqlConnectorConfig) and bool(
                    latest_links(catalog, name))
            except UsageError:  # no data map of this store: its records keep their identifier items
                mapped[name] = False
        one_person = any(x.kind in PERSONAL_KINDS for x in entries)
        if (ref.kind == AssetKind.TABLE and mapped[name] and one_person and isinstance(key, list) and len(key) == 1
                and key[0] is not None):
            starts.append(RecordRef(name, tuple(ref.path), str(key[0])))
        else:
            rest[rh] = entries
    return starts, rest


def _find_and_walk(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, force: bool,
    accept_links: Sequence[str], threshold: float, actor: str | None, hmac_key: bytes | None,
) -> tuple[_Request, FindResult, dict[str, list[ix.IndexEntry]], set[str], Walk, dict[str, dict[str, Any] | None]]:
    """The identifier find, and the walk from its confirmed table records.

    Returns:
        The request, the find, the records the walk leaves (keeping their identifier items), the request's
        fingerprints, the walk, and the records as re-read live.
    """
    req = _Request(settings, catalog, as_of, identifiers, force, hmac_key, actor)
    try:
        result, own, current, prints = _collect(req, False, None)
    finally:
        req.close()
    starts, rest = _split(settings, catalog, result, own)
    walk = Walk(req.request_id, "identifiers")
    walk_from(settings, catalog, starts, walk, accept_links=accept_links, threshold=threshold)
    return req, result, rest, prints, walk, current


def find_following_links(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, *, force: bool = False,
    accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD, actor: str | None = None,
    hmac_key: bytes | None = None,
) -> tuple[FindResult, Walk]:
    """The identifier find (masked, confirmed live) and the walk from its table records over the links."""
    req, result, _rest, _prints, walk, _current = _find_and_walk(
        settings, catalog, identifiers, as_of, force, accept_links, threshold, actor, hmac_key)
    _audit(req, "subject.find", result, {"follow_links": True, "walked_rows": walk.rows,
                                          "walked_tables": len(walk.reached)})
    return result, walk


def erase_plan_following_links(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, *, force: bool = False,
    accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD, actor: str | None = None,
    hmac_key: bytes | None = None,
) -> tuple[Plan, FindResult, Walk]:
    """One plan erasing the child's records found by identifiers and every row linked to them."""
    req, result, rest, prints, walk, _current = _find_and_walk(
        settings, catalog, identifiers, as_of, force, accept_links, threshold, actor, hmac_key)
    items = erase_items(catalog, walk, req.cfg, req.key)
    for item in _plan(req, result, rest, prints, "erase", {}).items:
        items.append({**item, "item_id": len(items)})
    plan = Plan.new(as_of, items, [], [*result.unreachable, *walk.unreachable], settings=settings)
    _audit(req, "subject.erase_plan", result, {
        "plan_id": plan.plan_id, "items": len(items), "follow_links": True, "walked_rows": walk.rows,
        "unconfirmed_links": walk.unconfirmed, "unaddressable": walk.unaddressable})
    return plan, result, walk


def export_following_links(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, output: Path, *,
    force: bool = False, accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD,
    actor: str | None = None, hmac_key: bytes | None = None,
) -> tuple[FindResult, Walk]:
    """Write the child's records found by identifiers and every row linked to them (mode 0600; audited)."""
    req, result, rest, _prints, walk, current = _find_and_walk(
        settings, catalog, identifiers, as_of, force, accept_links, threshold, actor, hmac_key)
    walked = walked_records(settings, walk)
    records = [*walked, *own_records(result, rest, current)]
    write_export(output, {
        "format": "pi-scanner-subject-export/1", "request_id": req.request_id, "as_of": as_of.isoformat(),
        "start": "identifiers", "records": records, "linked": [asdict(x) for x in result.linked],
        "unconfirmed_links": walk.unconfirmed, "unaddressable": walk.unaddressable,
        "unreachable": [*result.unreachable, *walk.unreachable]})
    _audit(req, "subject.export", result, {"output": output.name, "follow_links": True, "records": len(records),
                                            "walked_rows": walk.rows, "walked_tables": len(walk.reached)})
    return result, walk


def correct_plan_following_links(
    settings: Settings, catalog: Catalog, identifiers: dict[str, str], as_of: dt.date, field_name: str, value: str,
    *, force: bool = False, accept_links: Sequence[str] = (), threshold: float = ACCEPT_THRESHOLD,
    actor: str | None = None, hmac_key: bytes | None = None,
) -> tuple[Plan, FindResult, Walk, Correction]:
    """One plan setting a field in the child's records found by identifiers, and in copies in linked rows.

    The child's own table records get ``field_name``; a linked row holding a copy of the old value in a
    column of the same kind of PI about the same person (a pupil's phone copied into a bus roster) is
    corrected too; other linked tables with such a column are listed (:func:`correction_items`). Records
    the walk does not cover (files, stores without a map) keep their identifier items.
    """
    req, result, rest, prints, walk, _current = _find_and_walk(
        settings, catalog, identifiers, as_of, force, accept_links, threshold, actor, hmac_key)
    items: list[dict[str, Any]] = []
    fix = Correction(field_name)
    if walk.reached:
        items, fix = correction_items(settings, catalog, walk, field_name, value, req.key, copies=True)
    rest = {h: es for h, es in rest.items() if field_name in es[0].asset.columns}
    for item in _plan(req, result, rest, prints, "update", {
            "field": field_name, "value_hmac": keyed_hash(req.key, "correct", field_name, value)}).items:
        items.append({**item, "item_id": len(items)})
    plan = Plan.new(as_of, items, [], [*result.unreachable, *walk.unreachable], settings=settings)
    _audit(req, "subject.correct_plan", result, {
        "plan_id": plan.plan_id, "field": fix.column, "items": len(items), "follow_links": True,
        "tables": fix.tables, "not_corrected": fix.not_corrected, "unconfirmed_links": walk.unconfirmed})
    return plan, result, walk, fix
