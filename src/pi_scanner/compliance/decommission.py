"""Decommissioning a service (Art. 23): a retention plan that deletes every child's record it holds.

When a service stops, the children's PI it collected must go. :func:`build_decommission_plan` takes
the tables the latest scan found holding children's PI in one SQL connector, classifies every row
again (the scan saw a sample) and lists the exact primary keys of the rows whose verdict is ``child``
or ``likely_child``. Adults' rows stay.

The plan is an ordinary retention plan (``retention apply`` executes it) whose items are
*anchor-less*: the predicate is the explicit key list only (``anchor: null``). Applying re-checks that
each key still exists inside the delete statement, records every batch in the ledger and respects the
legal holds of every retention policy that covers the table, both when planning and when applying.

Rows of other tables linked to the planned rows (attendance, grades, medical visits pointing at a pupil,
declared or inferred links of the latest scan's data map) are listed per table with their count, counted
in the database (:mod:`pi_scanner.retention.linked`). With ``cascade: declared|inferred`` their keys are
planned too, as items applied before the rows they point at; without, a table whose rows are pointed at
is refused at apply time rather than leaving the child's linked records behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors import sql_write as sw
from pi_scanner.errors import ConfigError, PiScannerError, PlanError, UsageError
from pi_scanner.keys import subject_hash
from pi_scanner.models import AssetKind, AssetRef, ChildStatus, ColumnInfo, Sample
from pi_scanner.retention.keyset import KeySpool
from pi_scanner.retention.linked import CASCADE_MODES, LinkedPlanner
from pi_scanner.retention.linkwalk import latest_links
from pi_scanner.retention.planner import CHILD_VERDICTS, Plan, json_key, pi_key_columns, write_engine
from pi_scanner.retention.policy import LegalHold, holds_covering, parse_policies, whole_table_hold
from pi_scanner.retention.results import AssetReport

#: Policy name of decommission items (``decommission:<connector>``).
POLICY_PREFIX = "decommission:"
#: Rows classified at once.
_BATCH = 2000


def holds_for(settings: Settings, connector: str, schema: str, table: str) -> list[LegalHold]:
    """Legal holds of every configured retention policy covering the table (see :func:`holds_covering`)."""
    return holds_covering(parse_policies(settings.retention), connector, schema, table)


def _latest_children_tables(catalog: Catalog, connector: str) -> tuple[str | None, list[AssetRef]]:
    for run in catalog.list_runs(limit=20):
        if run.status in ("ok", "partial"):
            results = catalog.load_run(run.run_id).results
            refs = [r.asset for r in results
                    if r.asset.connector == connector and r.asset.kind == AssetKind.TABLE
                    and (r.child_status in CHILD_VERDICTS or r.ages.child + r.ages.likely_child > 0)]
            return run.run_id, sorted(refs, key=lambda a: a.path)
    return None, []


def build_decommission_plan(
    settings: Settings,
    catalog: Catalog,
    connector: str,
    as_of: dt.date,
    hmac_key: bytes,
    *,
    classify: Callable[[Sample], list[ChildStatus]] | None = None,
    allow_cascade: bool = False,
    batch_size: int = 1000,
    cascade: str | None = None,
    accept_links: Sequence[str] = (),
) -> Plan:
    """Plan the deletion of every children's record of a SQL connector.

    Args:
        settings: The configuration.
        catalog: The catalog holding at least one finished scan of the connector.
        connector: The SQL connector of the service being decommissioned.
        as_of: Reference date for ages.
        hmac_key: The catalog's HMAC key (subject legal holds).
        classify: Row-verdict function (default the configured classifier's ``row_verdicts``).
        allow_cascade: Delete rows of tables whose declared keys reference deleted rows too (in the same
            transaction); also makes ``cascade`` default to ``declared``.
        batch_size: Keys per delete batch.
        cascade: Through which links rows linked to the planned rows are planned and deleted first:
            ``none`` (listed and counted only), ``declared`` or ``inferred``.
        accept_links: Labels of links below the confidence threshold accepted by hand.

    Raises:
        ConfigError: ``connector`` is not a configured SQL connector.
        PlanError: No finished scan of the connector is in the catalog, or cascading was asked for and
            the catalog holds no data map of it.
    """
    cfg = settings.connectors.get(connector)
    if not isinstance(cfg, SqlConnectorConfig):
        raise ConfigError(f"decommission: {connector!r} is not a configured sql connector")
    run_id, refs = _latest_children_tables(catalog, connector)
    if run_id is None:
        raise PlanError(f"decommission: the catalog holds no finished scan; scan {connector!r} first")
    if classify is None:
        from pi_scanner.classify.classifier import Classifier

        classify = Classifier(settings.classifier, as_of).row_verdicts
    mode = cascade or ("declared" if allow_cascade else "none")
    if mode not in CASCADE_MODES:
        raise ConfigError(f"decommission: cascade must be one of {', '.join(CASCADE_MODES)}")
    try:
        links = latest_links(catalog, connector)
        no_map = ""
    except UsageError as exc:
        if mode != "none":
            raise PlanError(f"decommission: cascade {mode} follows the data map, and there is none: {exc}") from None
        links, no_map = [], f"linked tables not evaluated: {exc}"
    engine = write_engine(cfg)
    items: list[dict[str, Any]] = []
    reports: list[AssetReport] = []
    errors: list[str] = []
    spool = KeySpool()
    tables: dict[tuple[str, ...], sa.Table] = {}

    def table(path: tuple[str, ...]) -> sa.Table:
        if path not in tables:
            tables[path] = sw.reflect(engine, path[0] or None, path[1])
        return tables[path]

    policies = parse_policies(settings.retention)  # once, not per linked table

    def held(path: tuple[str, ...]) -> str | None:
        hold = whole_table_hold(holds_covering(policies, connector, path[0], path[1]), path[0], path[1])
        return None if hold is None else f"{hold.reason} ({hold.basis})"

    findings = {r.asset.path: r for r in catalog.load_run(run_id).results if r.asset.connector == connector}

    def pi_key(path: tuple[str, ...], pk: list[str]) -> list[str]:
        return pi_key_columns(findings.get(path), pk)

    walker = LinkedPlanner(engine, connector, links, table, mode, accept_links, held, pi_key)
    try:
        for ref in refs:
            report = AssetReport(policy=POLICY_PREFIX + connector, asset=ref.display, connector=connector,
                                 path=list(ref.path), anchor="", cutoff="")
            try:
                item = _plan_table(settings, engine, ref, classify, hmac_key, report)
                linked = _linked(walker, ref, item, report, no_map, mode, spool,
                                 {"batch_size": batch_size, "allow_cascade": allow_cascade, "scan_run": run_id})
            except PiScannerError as exc:
                report.error = str(exc)
                errors.append(f"{ref.display}: {exc}")
                reports.append(report)
                continue
            reports.append(report)
            for extra in linked:  # rows pointing at the table's rows go first, deepest first
                extra["item_id"] = len(items)
                items.append(extra)
            item.update(item_id=len(items), allow_cascade=allow_cascade, batch_size=batch_size,
                        scan_run=run_id, cascade=mode)
            items.append(item)
            if linked:
                ids = {tuple(extra["path"]): extra["item_id"] for extra in linked}
                total = int(item["expected_count"]) + sum(int(extra["expected_count"]) for extra in linked)
                for extra in linked:
                    extra.update(root_item=item["item_id"], group_count=total)
                item.update(linked_items=sorted(ids.values()), group_count=total)
                for entry in item["linked"]:
                    entry["item_id"] = ids.get(tuple(entry["path"]))
    except BaseException:
        spool.close()
        raise
    finally:
        engine.dispose()
    return Plan.new(as_of, items, reports, errors, spool, settings)  # items record their store


def _linked(
    walker: LinkedPlanner, ref: AssetRef, item: dict[str, Any], report: AssetReport, no_map: str, mode: str,
    spool: KeySpool, extra: dict[str, Any],
) -> list[dict[str, Any]]:
    """List and count the rows linked to the item's planned rows; plan them as ``cascade`` allows."""
    if no_map:
        item["linked_note"] = report.linked_note = no_map
        return []
    if not item["keys"]:
        return []
    base = {
        "policy": item["policy"], "connector": ref.connector, "scope": "child_records", "anchor": None,
        "anchor_kind": None, "cutoff": None,
        "predicate": {"linked_to": ref.display, "scope": "child_records", "basis": "Art. 23 (service decommissioned)"},
        "children": None, "superseded": [], "anonymize": {}, "legal_hold_exclusions": [],
        "recheck": {"root": list(ref.path), "anchor": None}, **extra,
    }
    keys = item["keys"]
    # Every row of the table planned (all children's, none held): the whole table names them.
    exact = report.candidates == report.expired
    found = walker.plan(ref.path, item["primary_key"], lambda: iter(keys), spool if mode != "none" else None, base,
                        (lambda _t: sa.true()) if exact else None)
    item["linked_counted_from"] = found.counted_from
    report.linked = item["linked"] = [t.to_json() for t in found.tables]
    report.unconfirmed_links = item["unconfirmed_links"] = found.unconfirmed
    if found.problems:
        item["linked_note"] = report.linked_note = "; ".join(found.problems)
    if found.blocking:
        item["blocked_by_links"] = [
            f"{t['table']} ({t['rows']} rows: {t['reason']})" for t in item["linked"]
            if t["action"] == "listed" and t["rows"]
        ]
    return found.items


def _plan_table(
    settings: Settings, engine: Any, ref: AssetRef, classify: Callable[[Sample], list[ChildStatus]],
    hmac_key: bytes, report: AssetReport,
) -> dict[str, Any]:
    schema, name = ref.path
    table = sw.reflect(engine, schema, name)
    key_cols = sw.row_key_columns(table, engine.dialect.name, False)
    pk_names = [c.name for c in key_cols]
    holds = holds_for(settings, ref.connector, schema, name)
    whole = whole_table_hold(holds, schema, name)
    if whole is not None:
        report.held = report.expired = sw.count_where(engine, table, sa.true())
        return _item(ref, pk_names, [], [{"reason": whole.reason, "basis": whole.basis, "count": report.held,
                                          "whole_table": True}], 0)
    held_keys = [h.key_set() for h in holds]
    subject_holds = [(h, set(h.subjects), h.subject_column) for h in holds if h.subjects and h.subject_column]
    for _, _, col in subject_holds:
        if col not in table.c:
            raise PlanError(f"legal hold subject_column {col!r} is not a column of {ref.display}")
    width = len(key_cols)
    columns = list(table.c)
    exclusions: dict[int, int] = {}
    keys: list[list[Any]] = []
    children = 0
    for rows in sw.stream_rows(engine, table, key_cols, columns, sa.true(), _BATCH):
        report.expired += len(rows)
        sample = Sample(asset=ref, columns=tuple(ColumnInfo(c.name, str(c.type).lower()) for c in columns),
                        rows=[r[width:] for r in rows], primary_key=tuple(pk_names))
        verdicts = classify(sample)
        if len(verdicts) != len(rows):
            raise PlanError("the classifier returned a verdict count different from the row count")
        for row, verdict in zip(rows, verdicts, strict=True):
            if verdict not in CHILD_VERDICTS:
                continue
            children += 1
            pk = tuple(row[:width])
            held = next((i for i, ks in enumerate(held_keys) if pk in ks), None)
            if held is None:
                values = dict(zip((c.name for c in columns), row[width:], strict=True))
                for h, hashes, col in subject_holds:
                    value = values.get(col)
                    if value is not None and subject_hash(hmac_key, str(value)) in hashes:
                        held = holds.index(h)
                        break
            if held is not None:
                exclusions[held] = exclusions.get(held, 0) + 1
                continue
            keys.append(json_key(pk))
    report.children = children
    report.candidates = len(keys)
    report.held = sum(exclusions.values())
    return _item(ref, pk_names, keys, [
        {"reason": holds[j].reason, "basis": holds[j].basis, "count": n} for j, n in sorted(exclusions.items())
    ], children)


def _item(
    ref: AssetRef, pk_names: list[str], keys: list[list[Any]], exclusions: list[dict[str, Any]], children: int,
) -> dict[str, Any]:
    return {
        "policy": POLICY_PREFIX + ref.connector,
        "mode": "decommission",
        "connector": ref.connector,
        "kind": str(ref.kind),
        "path": list(ref.path),
        "asset": ref.display,
        "action": "delete",
        "scope": "child_records",
        "anchor": None,
        "anchor_kind": None,
        "cutoff": None,
        "predicate": {"keys_only": True, "scope": "child_records", "basis": "Art. 23 (service decommissioned)"},
        "primary_key": pk_names,
        "key_format": "json",
        "keys": keys,
        "expected_count": len(keys),
        "children": children,
        "superseded": [],
        "anonymize": {},
        "legal_hold_exclusions": exclusions,
    }
