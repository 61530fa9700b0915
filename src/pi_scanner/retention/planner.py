"""Over-retained records: the report, and the plan that ``apply`` executes exactly.

For each policy the planner resolves its assets (name globs, or every asset the latest scan classified
as holding children's PI), resolves overlaps (the shortest ``max_age`` wins and the report says which
policies it superseded), then streams the rows past expiry in batches. With ``scope: child_records``
each batch is classified and only rows whose verdict is ``child``/``likely_child`` are kept. Legal holds
are subtracted and reported.

A :class:`Plan` is JSON: it names the exact primary keys to delete (record keys, not PI values). If a
primary-key column is itself PI (per the catalog's findings), planning refuses unless the policy sets
``allow_pi_primary_key``, in which case the plan stores keyed hashes of the keys instead. The plan
carries a digest so that an edited plan is refused at apply time.

With ``scope: child_records`` (or ``cascade`` set) the planner also walks the data map from the rows it
plans (:mod:`.linked`): every linked table is listed with its count, and with ``cascade: declared|inferred``
the linked rows are planned as items of their own, before the item they point at.

Table items keep their keys in a compressed side file (``plan.json.keys``, :mod:`.keyset`): integer keys
as ranges, others as JSON lines, each item's stream hashed into the item and so into the digest. Plans
of format 1 (keys inline in ``plan.json``) are still read and applied.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, SqlConnectorConfig
from pi_scanner.connectors import sql_write as sw
from pi_scanner.connectors.sql import SqlConnector, normalize_url
from pi_scanner.errors import ConfigError, PiScannerError, PlanError, UsageError
from pi_scanner.keys import keyed_hash, subject_hash
from pi_scanner.models import AssetKind, AssetRef, AssetResult, ChildStatus, ColumnInfo, Sample, TableLink
from pi_scanner.retention.keyset import INT_RANGES, JSON_LINES, KeySpool, side_file
from pi_scanner.retention.keyset import json_key as json_key  # re-exported: subjects and decommission use it
from pi_scanner.retention.linked import LinkedPlanner
from pi_scanner.retention.linkwalk import latest_links
from pi_scanner.retention.objects import is_object_policy, plan_objects
from pi_scanner.retention.policy import (
    RetentionPolicy,
    cutoff_for,
    holds_covering,
    parse_policies,
    whole_table_hold,
)
from pi_scanner.retention.results import AssetReport
from pi_scanner.retention.stores import stamp_stores

PLAN_FORMAT = "pi-scanner-retention-plan/2"
#: Plans with every key inline in ``plan.json`` (still read and applied).
PLAN_FORMAT_INLINE = "pi-scanner-retention-plan/1"
CHILD_VERDICTS = frozenset({ChildStatus.CHILD, ChildStatus.LIKELY_CHILD})
#: Rows classified at once for ``child_records`` (the classifier amortises per-batch work).
_CLASSIFY_BATCH = 2000
#: Anchor values sampled to accept a text column as ISO-8601 timestamps.
_TEXT_PROBE = 50


@dataclass
class Plan:
    """A reviewed-before-applied list of exactly which records go.

    Attributes:
        plan_id: Unique id.
        created_at: When it was built (UTC ISO).
        as_of: Reference date.
        items: One dict per asset (see :func:`build_plan`).
        report: The over-retention report it was built from.
        errors: Policy-level errors (nothing planned for them).
    """

    plan_id: str
    created_at: str
    as_of: str
    items: list[dict[str, Any]]
    report: list[AssetReport]
    errors: list[str] = field(default_factory=list)
    spool: KeySpool | None = field(default=None, compare=False, repr=False)

    @classmethod
    def new(
        cls, as_of: dt.date, items: list[dict[str, Any]], report: list[AssetReport], errors: list[str],
        spool: KeySpool | None = None, settings: Settings | None = None,
    ) -> Plan:
        """A fresh plan with a new id, created now.

        Args:
            as_of: The reference date.
            items: Its items.
            report: Per-asset reports.
            errors: Problems met while planning.
            spool: Where the items' keys are, for plans that keep them apart.
            settings: The configuration the plan was made with: each item then records the store its
                connector points at (:mod:`.stores`), so it is never applied to another one.
        """
        if settings is not None:
            stamp_stores(items, settings)
        return cls(
            plan_id=uuid.uuid4().hex,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            as_of=as_of.isoformat(),
            items=items,
            report=report,
            errors=errors,
            spool=spool,
        )

    def keys(self, item: dict[str, Any]) -> Iterator[list[Any]]:
        """Every planned key of an item, streamed from the side file or read from the item itself.

        Raises:
            PlanError: The item's keys are in a side file this plan was loaded without.
        """
        ref = item.get("keyset")
        if ref is None:
            yield from (list(k) if isinstance(k, list | tuple) else k for k in item.get("keys", []))
            return
        if self.spool is None:
            raise PlanError("the plan's keys are in its key file (plan.json.keys), which was not found; "
                            "keep it next to plan.json")
        yield from self.spool.keys(ref)

    def save(self, path: Path) -> None:
        """Write ``plan.json`` to ``path`` and, when items keep their keys apart, ``path.keys`` beside it."""
        if self.spool is not None and any("keyset" in i for i in self.items):
            self.spool.save(side_file(path))
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    def digest(self) -> str:
        """SHA-256 of the canonical plan id, reference date and items."""
        body = {"plan_id": self.plan_id, "as_of": self.as_of, "items": self.items}
        canon = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The plan as written to ``plan.json``."""
        return {
            "format": PLAN_FORMAT if any("keyset" in i for i in self.items) else PLAN_FORMAT_INLINE,
            "plan_id": self.plan_id,
            "created_at": self.created_at,
            "as_of": self.as_of,
            "digest": self.digest(),
            "items": self.items,
            "report": [asdict(r) for r in self.report],
            "errors": self.errors,
        }

    @classmethod
    def from_json(cls, data: Any, keys_file: Path | None = None) -> Plan:
        """Load a plan written by :meth:`to_json` (format 1 or 2).

        Args:
            data: The parsed ``plan.json``.
            keys_file: Its side file (format 2 plans whose items keep their keys apart).

        Raises:
            PlanError: Not a plan, its digest does not match its content (edited), or its key file is
                missing or does not match the digest.
        """
        if not isinstance(data, dict) or data.get("format") not in (PLAN_FORMAT, PLAN_FORMAT_INLINE):
            found = data.get("format") if isinstance(data, dict) else None
            raise PlanError(f"not a retention plan this version can apply (format {found!r}; expected "
                            f"{PLAN_FORMAT} or {PLAN_FORMAT_INLINE}): plan again with this version")
        try:
            plan = cls(
                plan_id=str(data["plan_id"]),
                created_at=str(data["created_at"]),
                as_of=str(data["as_of"]),
                items=list(data["items"]),
                report=[AssetReport(**r) for r in data.get("report", [])],
                errors=list(data.get("errors", [])),
            )
        except (KeyError, TypeError) as exc:
            raise PlanError(f"retention plan is malformed: {exc}") from None
        if plan.digest() != data.get("digest"):
            raise PlanError("retention plan digest does not match its items: the plan was edited; plan again")
        refs = [item["keyset"] for item in plan.items if isinstance(item, dict) and "keyset" in item]
        if refs:
            if keys_file is None or not keys_file.is_file():
                raise PlanError(f"the plan keeps its keys in {keys_file.name if keys_file else 'plan.json.keys'}, "
                                "which was not found next to it; copy both files together")
            plan.spool = KeySpool(keys_file)
            for ref in refs:  # every stream checked before anything is changed
                plan.spool.verify(ref)
        return plan

    def close(self) -> None:
        """Release the key file (a plan being built deletes its temporary one)."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None


@dataclass
class _Target:
    connector: str
    ref: AssetRef
    policies: list[tuple[RetentionPolicy, dt.datetime]]


def pk_hash(key: bytes, values: tuple[Any, ...]) -> str:
    """Keyed hash of one primary key (plans store these when the key is PI)."""
    return keyed_hash(key, "pk", json.dumps(json_key(values), separators=(",", ":")))


def _is_int(col: sa.ColumnElement[Any]) -> bool:
    try:
        return col.type.python_type is int and not isinstance(col.type, sa.Boolean)
    except NotImplementedError:
        return False


def pi_key_columns(result: AssetResult | None, pk: list[str]) -> list[str]:
    """The columns of key ``pk`` the scan found PI in (``name (entity)``), from the table's latest result."""
    return [f"{c.name} ({c.entity_types[0]})" for c in (result.columns if result else ())
            if c.name in pk and c.entity_types and not c.suspected]


def write_engine(cfg: SqlConnectorConfig) -> sa.Engine:
    """An engine on the primary ``url`` (never the read replica): retention writes there.

    Raises:
        ConfigError: The URL is invalid.
    """
    password = cfg.password.get_secret_value() if cfg.password is not None else None
    try:
        url = normalize_url(cfg.url, password)
    except PiScannerError:
        raise ConfigError("a retention target's url is not a valid SQLAlchemy URL") from None
    return sa.create_engine(url, connect_args=dict(cfg.connect_args), pool_pre_ping=True)


def _latest_scan(catalog: Catalog) -> tuple[str | None, dt.datetime | None]:
    for run in catalog.list_runs(limit=20):
        if run.status in ("ok", "partial"):
            return run.run_id, run.finished_at or run.started_at
    return None, None


def check_scan_freshness(policy: RetentionPolicy, catalog: Catalog, now: dt.datetime | None = None) -> None:
    """Refuse when the policy requires a recent scan and the catalog's latest is older (or absent).

    Raises:
        PlanError: The scan is missing or too old.
    """
    if policy.require_scan_within is None:
        return
    _, when = _latest_scan(catalog)
    now = now or dt.datetime.now(dt.UTC)
    limit = policy.require_scan_within.subtract_from(now)
    if when is None:
        raise PlanError(f"policy {policy.name!r} requires a scan within {policy.require_scan_within}; none found")
    if when < limit:
        raise PlanError(
            f"policy {policy.name!r} requires a scan within {policy.require_scan_within}; "
            f"the latest finished {when.isoformat(timespec='seconds')}: scan again first"
        )


class Planner:
    """Evaluates policies against the configured stores.

    Args:
        settings: The configuration (connectors, classifier, retention policies).
        catalog: The catalog (latest scan results, children-PI assets, PI findings).
        as_of: Reference date.
        hmac_key: Key for hashing PI primary keys and legal-hold subjects.
        classify: Row-verdict function for ``child_records`` (default the classifier's ``row_verdicts``).
    """

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        as_of: dt.date,
        hmac_key: bytes,
        classify: Callable[[Sample], list[ChildStatus]] | None = None,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.as_of = as_of
        self.hmac_key = hmac_key
        self.policies = parse_policies(settings.retention)
        self._classify = classify
        self._engines: dict[str, sa.Engine] = {}
        self._run_cache: Any = None
        self.spool: KeySpool | None = None
        self._tables: dict[tuple[str, str, str], sa.Table] = {}
        self._links: dict[str, list[TableLink] | UsageError] = {}
        #: Reports (``collect_keys`` False) count the rows linked to the over-retained ones too.
        self.report_links = False

    # -- plumbing -----------------------------------------------------------------------------------

    def engine(self, connector: str) -> sa.Engine:
        """The write engine of a SQL connector (cached).

        Raises:
            ConfigError: No such SQL connector.
        """
        if connector not in self._engines:
            cfg = self.settings.connectors.get(connector)
            if not isinstance(cfg, SqlConnectorConfig):
                raise ConfigError(f"retention target {connector!r} is not a configured sql connector")
            self._engines[connector] = write_engine(cfg)
        return self._engines[connector]

    def close(self) -> None:
        """Dispose of the engines."""
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        self._tables.clear()

    def table(self, connector: str, schema: str, name: str) -> sa.Table:
        """The reflected table (cached: reflection compares two catalogues and costs a round trip each).

        Raises:
            PlanError: The table does not exist or cannot be read.
        """
        key = (connector, schema, name)
        if key not in self._tables:
            self._tables[key] = sw.reflect(self.engine(connector), schema, name)
        return self._tables[key]

    def _latest_results(self) -> list[Any]:
        if self._run_cache is None:
            run_id, _ = _latest_scan(self.catalog)
            self._run_cache = self.catalog.load_run(run_id).results if run_id else []
        return list(self._run_cache)

    def _classifier(self) -> Callable[[Sample], list[ChildStatus]]:
        if self._classify is None:
            from pi_scanner.classify.classifier import Classifier

            clf = Classifier(self.settings.classifier, self.as_of)
            fn = getattr(clf, "row_verdicts", None)
            if fn is None:
                raise PlanError("scope child_records needs Classifier.row_verdicts, which this build lacks")
            self._classify = fn
        return self._classify

    # -- targets ------------------------------------------------------------------------------------

    def targets(self, errors: list[str]) -> list[_Target]:
        """Assets covered by the policies, with every covering policy (shortest age first)."""
        by_asset: dict[tuple[str, tuple[str, ...]], _Target] = {}
        for policy in self.policies:
            cutoff = cutoff_for(policy, self.as_of)
            try:
                refs = list(self._resolve(policy))
            except PiScannerError as exc:
                errors.append(f"policy {policy.name!r}: {exc}")
                continue
            for ref in refs:
                key = (ref.connector, ref.path)
                target = by_asset.setdefault(key, _Target(ref.connector, ref, []))
                target.policies.append((policy, cutoff))
        for target in by_asset.values():
            # The latest cutoff is the shortest max_age: the strictest policy wins.
            target.policies.sort(key=lambda pc: pc[1], reverse=True)
        return sorted(by_asset.values(), key=lambda t: (t.connector, t.ref.path))

    def _resolve(self, policy: RetentionPolicy) -> Iterator[AssetRef]:
        sel = policy.selector
        if sel.children_pi:
            for result in self._latest_results():
                ref: AssetRef = result.asset
                if result.child_status not in CHILD_VERDICTS or ref.kind != AssetKind.TABLE:
                    continue
                if sel.entities and not any(set(c.entity_types) & set(sel.entities) for c in result.columns):
                    continue
                if not fnmatch.fnmatchcase(ref.connector, sel.connector):
                    continue
                yield ref
        if sel.tables:
            for name, cfg in self.settings.connectors.items():
                if not isinstance(cfg, SqlConnectorConfig) or not fnmatch.fnmatchcase(
                    name, sel.connector
                ):
                    continue
                with SqlConnector(name, cfg) as conn:
                    for info in conn.discover():
                        if info.meta.get("relation", "table") != "table":
                            continue  # views and foreign tables are scanned, never deleted from
                        schema, table = info.ref.path
                        if sel.matches_table(name, schema, table):
                            yield info.ref

    # -- evaluation ---------------------------------------------------------------------------------

    def _pi_pk_columns(self, ref: AssetRef, pk: list[str]) -> list[str]:
        return pi_key_columns(next((r for r in self._latest_results() if r.asset == ref), None), pk)

    def analyse(
        self, policy: RetentionPolicy, cutoff: dt.datetime, ref: AssetRef, collect_keys: bool
    ) -> tuple[AssetReport, dict[str, Any] | None]:
        """Evaluate one asset under one policy; with ``collect_keys`` also build its plan item.

        Raises:
            PlanError: The asset cannot be evaluated (missing/non-timestamp anchor, no key, PI key...).
        """
        engine = self.engine(ref.connector)
        schema, name = ref.path
        report = AssetReport(
            policy=policy.name, asset=ref.display, connector=ref.connector, path=list(ref.path),
            anchor=policy.anchor, cutoff=cutoff.isoformat(),
        )
        table = self.table(ref.connector, schema, name)
        sep = " "

        def text_ok() -> bool:
            nonlocal sep
            col = table.c[policy.anchor]
            with engine.connect() as c:
                vals = [v for (v,) in c.execute(sa.select(col).where(col.is_not(None)).limit(_TEXT_PROBE))]
            for v in vals:
                try:
                    dt.datetime.fromisoformat(str(v))
                except ValueError:
                    return False
                if "T" in str(v):
                    sep = "T"
            return True

        kind = sw.anchor_kind(table, policy.anchor, text_ok)
        for col in policy.anonymize:
            if col not in table.c:
                raise PlanError(f"policy {policy.name!r} anonymises column {col!r}, which {ref.display} lacks")
        key_cols = sw.row_key_columns(table, engine.dialect.name, policy.allow_no_primary_key)
        pk_names = [getattr(c, "name", None) or str(c) for c in key_cols]
        pi_pk = self._pi_pk_columns(ref, pk_names)
        if pi_pk and not policy.allow_pi_primary_key:
            raise PlanError(
                f"the primary key of {ref.display} is PI ({', '.join(pi_pk)}); the plan would list PI values. "
                "Set allow_pi_primary_key: true to plan with keyed hashes instead"
            )
        bound = sw.cutoff_bound(kind, cutoff, policy.tz(), sep)
        expired = sw.expired_clause(table, policy.anchor, bound)
        hold = whole_table_hold(policy.legal_holds, schema, name)
        if hold is not None:
            report.expired = report.held = sw.count_where(engine, table, expired)
            item = None
            if collect_keys:
                item = self._item(policy, cutoff, ref, kind, sep, bound, pk_names, bool(pi_pk), [], report)
                item["legal_hold_exclusions"] = [
                    {"reason": hold.reason, "basis": hold.basis, "count": report.held, "whole_table": True}
                ]
            return report, item
        with engine.connect() as c:
            oldest = c.execute(sa.select(sa.func.min(table.c[policy.anchor])).where(expired)).scalar()
        report.oldest = None if oldest is None else str(oldest)
        held_keys = [(h, h.key_set()) for h in policy.legal_holds]
        subject_holds = [
            (h, set(h.subjects), table.c[h.subject_column]) for h in policy.legal_holds
            if h.subjects and h.subject_column and h.subject_column in table.c
        ]
        for h in policy.legal_holds:
            if h.subjects and (h.subject_column or "") not in table.c:
                raise PlanError(f"legal hold subject_column {h.subject_column!r} is not a column of {ref.display}")
        children_scope = policy.scope == "child_records"
        extra_cols: list[sa.ColumnElement[Any]] = list(table.c) if children_scope else []
        extra_cols += [c for _, _, c in subject_holds]
        exclusions: dict[int, int] = {}
        writer = None
        # A report counts the rows linked to the over-retained ones too: their keys are spooled for that
        # and dropped afterwards.
        report_links = not collect_keys and self.report_links and policy.follows_links()
        spool: KeySpool | None = None
        if collect_keys:
            if self.spool is None:
                self.spool = KeySpool()
            spool = self.spool
        elif report_links:
            spool = KeySpool()
        if spool is not None:
            ints = len(key_cols) == 1 and not pi_pk and _is_int(key_cols[0])
            writer = spool.writer(INT_RANGES if ints else JSON_LINES)
        children = 0
        width = len(key_cols)
        batch = max(policy.batch_size, _CLASSIFY_BATCH) if children_scope else max(policy.batch_size, 1000)
        for rows in sw.stream_rows(engine, table, key_cols, extra_cols, expired, batch):
            report.expired += len(rows)
            verdicts: list[ChildStatus] | None = None
            if children_scope:
                sample = Sample(
                    asset=ref,
                    columns=tuple(ColumnInfo(c.name, str(c.type).lower()) for c in table.c),
                    rows=[r[width : width + len(table.c)] for r in rows],
                    primary_key=tuple(pk_names),
                )
                verdicts = self._classifier()(sample)
                if len(verdicts) != len(rows):
                    raise PlanError("the classifier returned a verdict count different from the row count")
            for i, row in enumerate(rows):
                is_child = verdicts is not None and verdicts[i] in CHILD_VERDICTS
                children += is_child
                if children_scope and not is_child:
                    continue
                pk = tuple(row[:width])
                held_by = next((j for j, (_, ks) in enumerate(held_keys) if pk in ks), None)
                if held_by is None and subject_holds:
                    tail = row[len(row) - len(subject_holds):]
                    for (h, hashes, _), value in zip(subject_holds, tail, strict=True):
                        if value is not None and subject_hash(self.hmac_key, str(value)) in hashes:
                            held_by = policy.legal_holds.index(h)
                            break
                if held_by is not None:
                    exclusions[held_by] = exclusions.get(held_by, 0) + 1
                    continue
                report.candidates += 1
                if writer is not None:
                    writer.add([pk_hash(self.hmac_key, pk)] if pi_pk else json_key(pk))
        report.children = children if children_scope else None
        report.held = sum(exclusions.values())
        if writer is None:
            return report, None
        item = self._item(policy, cutoff, ref, kind, sep, bound, pk_names, bool(pi_pk), [], report)
        del item["keys"]
        item["keyset"] = writer.finish()
        item["expected_count"] = writer.count
        item["legal_hold_exclusions"] = [
            {"reason": policy.legal_holds[j].reason, "basis": policy.legal_holds[j].basis, "count": n}
            for j, n in sorted(exclusions.items())
        ]
        if policy.follows_links():
            anchor = policy.anchor
            # Every row past retention is planned: the predicate names exactly the planned rows, and the
            # linked rows are counted without a temporary table of their keys.
            exact = report.candidates == report.expired and not exclusions

            def planned_rows(t: sa.FromClause) -> sa.ColumnElement[bool]:
                clause: sa.ColumnElement[bool] = t.c[anchor] < bound
                return clause

            assert spool is not None
            try:
                self._linked(policy, ref, item, report, pk_names, bool(pi_pk), planned_rows if exact else None,
                             spool, plan=collect_keys)
            finally:
                if not collect_keys:
                    spool.close()
        if not collect_keys:
            return report, None  # a report: the linked tables and counts are in it
        return report, item

    def _linked(self, policy: RetentionPolicy, ref: AssetRef, item: dict[str, Any], report: AssetReport,
                pk_names: list[str], hashed: bool,
                planned_rows: Callable[[sa.FromClause], sa.ColumnElement[bool]] | None, spool: KeySpool, *,
                plan: bool = True) -> None:
        """List, count and (as ``cascade`` allows) plan the rows linked to the item's rows (:mod:`.linked`).

        Args:
            policy: The policy.
            ref: The root asset.
            item: Its plan item (its keys are in ``spool``).
            report: Its report entry.
            pk_names: Its primary-key columns.
            hashed: Its keys are keyed hashes (PI).
            planned_rows: A condition naming exactly the planned rows, when there is one.
            spool: Where the item's keys are (and linked keys go when planning).
            plan: Plan linked items; False for a report (list and count only, never raises for a
                missing map).

        Raises:
            PlanError: Cascading was asked for and the data map is missing, or the store failed.
        """
        mode = policy.cascade_mode() if policy.action == "delete" else "none"
        item["cascade"] = mode
        asks = mode if plan else "none"
        try:
            if ref.connector not in self._links:
                try:
                    self._links[ref.connector] = latest_links(self.catalog, ref.connector)
                except UsageError as exc:
                    self._links[ref.connector] = exc  # asked once per connector, not once per table
            found_links = self._links[ref.connector]
            if isinstance(found_links, UsageError):
                raise found_links
            links = found_links
        except UsageError as exc:
            if asks != "none":
                raise PlanError(f"cascade: {mode} follows the data map, and there is none: {exc}") from None
            item["linked_note"] = report.linked_note = f"linked tables not evaluated: {exc}"
            return
        if hashed:
            note = "linked tables not evaluated: the primary key is PI (the plan holds keyed hashes of it)"
            if asks != "none":
                raise PlanError(f"cascade: {mode}: {note}")
            item["linked_note"] = report.linked_note = note
            return
        connector = ref.connector

        def held(path: tuple[str, ...]) -> str | None:
            hold = whole_table_hold(holds_covering(self.policies, connector, path[0], path[1]), path[0], path[1])
            return None if hold is None else f"{hold.reason} ({hold.basis})"

        def pi_key(path: tuple[str, ...], pk: list[str]) -> list[str]:
            return self._pi_pk_columns(AssetRef(connector, AssetKind.TABLE, path), pk)

        walker = LinkedPlanner(self.engine(connector), connector, links,
                               lambda p: self.table(connector, p[0], p[1]), mode, policy.accept_links, held, pi_key,
                               (lambda k: pk_hash(self.hmac_key, k)) if policy.allow_pi_primary_key else None)
        base = {
            "policy": policy.name, "connector": connector, "scope": policy.scope, "anchor": None,
            "anchor_kind": None, "cutoff": item["cutoff"],
            "predicate": {"linked_to": ref.display, "scope": policy.scope},
            "children": None, "superseded": [], "anonymize": {}, "legal_hold_exclusions": [],
            "recheck": {"root": list(ref.path), "anchor": policy.anchor, "anchor_kind": item["anchor_kind"],
                        "text_sep": item["text_sep"], "cutoff": item["cutoff"],
                        "anchor_timezone": policy.anchor_timezone},
        }
        found = walker.plan(ref.path, pk_names, lambda: spool.keys(item["keyset"]),
                            spool if asks != "none" else None, base, planned_rows)
        item["linked_counted_from"] = found.counted_from
        report.linked = item["linked"] = [t.to_json() for t in found.tables]
        report.unconfirmed_links = item["unconfirmed_links"] = found.unconfirmed
        if found.problems:
            item["linked_note"] = report.linked_note = "; ".join(found.problems)
        if policy.action == "delete" and found.blocking:
            item["blocked_by_links"] = [
                f"{t['table']} ({t['rows']} rows: {t['reason']})" for t in item["linked"]
                if t["action"] == "listed" and t["rows"]
            ]
        item["_linked_items"] = found.items

    def _item(
        self, policy: RetentionPolicy, cutoff: dt.datetime, ref: AssetRef, kind: str, sep: str, bound: Any,
        pk_names: list[str], hashed: bool, keys: list[Any], report: AssetReport,
    ) -> dict[str, Any]:
        return {
            "policy": policy.name,
            "connector": ref.connector,
            "kind": str(ref.kind),
            "path": list(ref.path),
            "asset": ref.display,
            "action": policy.action,
            "scope": policy.scope,
            "anchor": policy.anchor,
            "anchor_kind": kind,
            "text_sep": sep,
            "anchor_timezone": policy.anchor_timezone,
            "cutoff": cutoff.isoformat(),
            "predicate": {"column": policy.anchor, "op": "<", "value": str(bound), "scope": policy.scope},
            "primary_key": pk_names,
            "key_format": "hmac" if hashed else "json",
            "keys": keys,
            "expected_count": len(keys),
            "children": report.children,
            "superseded": list(report.superseded),
            "anonymize": {c: op.model_dump() for c, op in policy.anonymize.items()},
        }

    def run(self, collect_keys: bool) -> tuple[list[AssetReport], list[dict[str, Any]], list[str]]:
        """Evaluate every target: reports, plan items (when collecting keys) and errors."""
        errors: list[str] = []
        for policy in self.policies:
            try:
                check_scan_freshness(policy, self.catalog)
            except PlanError as exc:
                errors.append(str(exc))
        refused = {e.split("'")[1] for e in errors if e.startswith("policy '")}
        reports: list[AssetReport] = []
        items: list[dict[str, Any]] = []
        targets = list(self.targets(errors))
        # A policy that matched nothing would otherwise vanish from the report, which then reads as
        # "nothing over-retained" for data that was never looked at (a renamed table, a wrong selector).
        matched = {p.name for target in targets for p, _ in target.policies}
        for policy in self.policies:
            if policy.name not in matched and policy.name not in refused and not is_object_policy(policy):
                errors.append(f"policy {policy.name!r}: its selector matched no table; nothing was evaluated")
        for target in targets:
            usable = [(p, c) for p, c in target.policies if p.name not in refused]
            if not usable:
                continue
            policy, cutoff = usable[0]
            superseded = [f"{p.name} ({p.max_age})" for p, _ in usable[1:]]
            try:
                report, item = self.analyse(policy, cutoff, target.ref, collect_keys)
            except PiScannerError as exc:
                report = AssetReport(
                    policy=policy.name, asset=target.ref.display, connector=target.connector,
                    path=list(target.ref.path), anchor=policy.anchor, cutoff=cutoff.isoformat(), error=str(exc),
                )
                item = None
                errors.append(f"{target.ref.display}: {exc}")
            report.superseded = superseded
            reports.append(report)
            if item is not None:
                # Rows linked to the item's rows go first, referencing tables first (no key violated).
                linked = item.pop("_linked_items", [])
                for extra in linked:
                    extra["item_id"] = len(items)
                    items.append(extra)
                item["superseded"] = superseded
                item["item_id"] = len(items)
                items.append(item)
                if linked:
                    ids = {tuple(extra["path"]): extra["item_id"] for extra in linked}
                    for extra in linked:
                        extra["root_item"] = item["item_id"]
                    item["linked_items"] = sorted(ids.values())
                    for entry in item["linked"]:
                        entry["item_id"] = ids.get(tuple(entry["path"]))
        for policy in self.policies:
            if policy.name in refused or not is_object_policy(policy):
                continue
            cutoff = cutoff_for(policy, self.as_of)
            for report, item in plan_objects(policy, cutoff, self.settings, collect_keys, errors):
                reports.append(report)
                if item is not None:
                    item["item_id"] = len(items)
                    items.append(item)
        return reports, items, errors


def over_retained_report(
    settings: Settings, catalog: Catalog, as_of: dt.date, hmac_key: bytes,
    classify: Callable[[Sample], list[ChildStatus]] | None = None,
) -> tuple[list[AssetReport], list[str]]:
    """Per policy and asset: expired count, oldest anchor, children among them, holds.

    Returns:
        The reports and the errors (policy- or asset-level, no values).
    """
    planner = Planner(settings, catalog, as_of, hmac_key, classify)
    planner.report_links = True
    try:
        reports, _, errors = planner.run(collect_keys=False)
    finally:
        planner.close()
    return reports, errors


def build_plan(
    settings: Settings, catalog: Catalog, as_of: dt.date, hmac_key: bytes,
    classify: Callable[[Sample], list[ChildStatus]] | None = None,
) -> Plan:
    """Build the plan: every item lists the exact keys to act on.

    Each item holds: policy, connector, asset path, predicate (``anchor < cutoff`` plus scope), primary
    key columns, keys (JSON values, or keyed hashes for PI keys), expected count and the legal-hold
    exclusions applied.
    """
    planner = Planner(settings, catalog, as_of, hmac_key, classify)
    try:
        reports, items, errors = planner.run(collect_keys=True)
    except BaseException:
        if planner.spool is not None:
            planner.spool.close()
        raise
    finally:
        planner.close()
    return Plan.new(as_of, items, reports, errors, planner.spool, settings)
