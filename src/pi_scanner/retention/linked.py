"""Rows linked to the rows a retention or decommission plan deletes, found and counted in the database.

``scope: child_records`` over a children's root table (``students``) acts on root rows; the child's
attendance, grades, medical visits and fees sit in other tables that point at those rows, most of them
through links no key declares. From the root the data map's links are walked table by table
(:func:`~pi_scanner.retention.linkwalk.reach_tables`, the rules subject requests follow too), and every
table reached is described in SQL as nested ``IN`` subqueries down to the root rows the plan names (held in
a temporary table of the store's own session for the time of planning): its linked rows are **counted by
the database** (``SELECT count(*)``), and, where the policy allows cascading through its links, their keys
are streamed into the plan's key file like the root's, so the plan stays exact and digest-covered.

Cascading (``cascade``):

* ``none``: linked tables are listed with their counts; a root whose rows are pointed at by linked rows is
  refused at apply time (deleting it would orphan the child's records);
* ``declared``: linked rows reached through declared foreign keys only are deleted first;
* ``inferred``: also through inferred links the scan accepted (or the policy's ``accept_links``).

Links below the confidence threshold are listed with the rows they would reach and never followed unless
accepted by label. Tables under a whole-table legal hold are listed as held.

A root row that extends another table's row one to one (``students.person_id → persons.person_id``: the
root's own key points at it) leaves the child's name and birth date behind in that row: with ``cascade:
inferred`` the row it extends is deleted with it, before it (re-checked like any linked row: its key is still
that of a root row past retention), and so are the rows pointing at that row (the child's phones). A declared
foreign key from the root to it would refuse that order: such a table is listed (its own policy decides), as
are 1:1 extensions of linked rows rather than of root rows.

At apply time a linked row is deleted only if it still points, through the same links, at a root row that
is still past retention (the re-checked predicate): a pupil touched after planning keeps their records.
Linked items come before their root in the plan, each table's before those of the tables it points at (deepest
first on a cycle), so no key is violated. Every chain of links counts, not only a table's shortest one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pi_scanner.connectors import sql_write as sw
from pi_scanner.errors import PiScannerError, PlanError
from pi_scanner.models import TableLink
from pi_scanner.retention.keyset import INT_RANGES, JSON_LINES, KeySpool, json_key
from pi_scanner.retention.linkwalk import LinkRules, Reach, Step, reach_tables, referencing_first

Path_ = tuple[str, ...]
CASCADE_MODES = ("none", "declared", "inferred")
#: Root keys inserted into the temporary table per statement.
_INSERT_BATCH = 5000
#: Keys read per round trip when streaming linked keys.
_STREAM_BATCH = 5000
#: Links in a chain at most.
MAX_DEPTH = 6
#: Chains from one table to the root written into its SQL at most (each is one ``IN`` subquery).
MAX_CHAINS = 64


def _name(path: Sequence[str]) -> str:
    return ".".join(p for p in path if p)


def _text(col: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.func.lower(sa.func.trim(sa.cast(col, sa.String(255))))


def _python_type(col: sa.ColumnElement[Any]) -> Any:
    try:
        return col.type.python_type
    except NotImplementedError:
        return None


def needs_text(target: sa.ColumnElement[Any], source: sa.ColumnElement[Any], evidence: Iterable[str]) -> bool:
    """Whether a link joins on trimmed lower-case text (varchar against int, case or whitespace drift)."""
    if any(e == "type_mismatch" or e.endswith("_drift") for e in evidence):
        return True
    return _python_type(target) is None or _python_type(target) is not _python_type(source)


@dataclass(frozen=True)
class Incoming:
    """A step into a linked table, as the plan records it (names only).

    Attributes:
        source_path: The table the step starts from (reached from the root itself).
        column: The linked table's matched column.
        source: The source table's matched column.
        label: The link's label.
        text: Compare as trimmed lower-case text.
    """

    source_path: Path_
    column: str
    source: str
    label: str
    text: bool

    def to_json(self) -> dict[str, Any]:
        """The plan's form."""
        return {"from": list(self.source_path), "column": self.column, "source": self.source,
                "label": self.label, "text": self.text}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Incoming:
        """Read the plan's form.

        Raises:
            PlanError: Malformed.
        """
        try:
            return cls(tuple(doc["from"]), str(doc["column"]), str(doc["source"]), str(doc["label"]),
                       bool(doc["text"]))
        except (KeyError, TypeError) as exc:
            raise PlanError(f"a linked item's links are malformed: {type(exc).__name__}") from None


class Chains:
    """SQL conditions naming the rows of each reached table that are linked to the root's rows.

    Args:
        table: The reflected table of a path.
        root: The root table.
        root_where: The condition on (an alias of) the root naming its rows.
        incoming: Per reached table, the steps into it from tables nearer the root.
    """

    def __init__(self, table: Callable[[Path_], sa.Table], root: Path_,
                 root_where: Callable[[sa.FromClause], sa.ColumnElement[bool]],
                 incoming: dict[Path_, list[Incoming]]) -> None:
        self.table, self.root, self.root_where, self.incoming = table, root, root_where, incoming

    def where(self, path: Path_, target: sa.FromClause, only: Sequence[Incoming] | None = None,
              budget: int = MAX_DEPTH) -> sa.ColumnElement[bool]:
        """Rows of ``target`` (``path``'s table or an alias of it) linked to root rows, by any chain.

        Every chain of recorded steps down to the root, of at most ``budget`` links, is one ``IN`` subquery
        of an ``OR`` (a row reached by several chains is one row). A chain may pass through a table twice
        (grade → enrolment → grade of the same pupil), as a walk row by row would; the budget ends cycles.

        Args:
            path: The table.
            target: The table or alias the condition is written on.
            only: Use these steps into ``path`` instead of all recorded ones.
            budget: Links the chain may still take.
        """
        if path == self.root:
            return self.root_where(target)
        parts: list[sa.ColumnElement[bool]] = []
        for step in (self.incoming.get(path, []) if only is None else only):
            if budget < 1:
                break
            src = self.table(step.source_path).alias()
            inner = self.where(step.source_path, src, None, budget - 1)
            if inner is _NONE:
                continue  # a chain that does not reach the root within the budget
            tcol: sa.ColumnElement[Any] = target.c[step.column]
            scol: sa.ColumnElement[Any] = src.c[step.source]
            if step.text:
                tcol, scol = _text(tcol), _text(scol)
            sub = sa.select(scol).where(inner, src.c[step.source].is_not(None))
            parts.append(tcol.in_(sub))
        if not parts:
            return _NONE
        return parts[0] if len(parts) == 1 else sa.or_(*parts)


#: The condition of a table no chain joins to the root (one object, so a dead chain is dropped, not nested).
_NONE: sa.ColumnElement[bool] = sa.false()


def chain_count(incoming: dict[Path_, list[Incoming]], root: Path_, path: Path_, cap: int,
                budget: int = MAX_DEPTH) -> int:
    """How many chains of ``incoming`` steps join ``path`` to ``root`` (as :meth:`Chains.where` writes them).

    Counting stops once past ``cap`` (the answer is then some number above it).
    """
    if path == root:
        return 1
    total = 0
    for step in incoming.get(path, []):
        if budget < 1 or total > cap:
            break
        total += chain_count(incoming, root, step.source_path, cap - total, budget - 1)
    return total


@dataclass
class LinkedTable:
    """One table linked to the root's rows, as the plan lists it.

    Attributes:
        path: The table.
        depth: Links from the root.
        via: The links of its most confident path, nearest first.
        confidence: That path's joint confidence.
        declared: Every link of that path is a declared foreign key.
        rows: Its rows linked to the root's planned rows (counted in the database); None if not counted.
        action: ``delete`` (planned, an item of the plan), ``listed`` (not acted on) or ``held``.
        reason: Why it is not acted on.
        planned: Keys planned (those linked through the links the policy cascades through).
        item: The plan item deleting them.
        incoming: The steps acted through.
    """

    path: Path_
    depth: int
    via: tuple[str, ...]
    confidence: float
    declared: bool
    rows: int | None = None
    action: str = "listed"
    reason: str = ""
    planned: int = 0
    item: dict[str, Any] | None = None
    incoming: list[Incoming] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The plan's listing entry (names and counts only)."""
        return {"table": _name(self.path), "path": list(self.path), "depth": self.depth, "via": list(self.via),
                "confidence": self.confidence, "declared": self.declared, "rows": self.rows,
                "action": self.action, "planned": self.planned, "reason": self.reason}


@dataclass
class LinkedResult:
    """What the walk from one root found.

    Attributes:
        tables: Linked tables, nearest first.
        unconfirmed: Links below the threshold from a reached table (label, confidence, rows they reach).
        problems: Tables that could not be read (value-free).
        items: Plan items deleting linked rows, referencing tables first (keys in the spool).
        counted_from: What named the root's rows in the counts: the planned keys in a temporary table, or
            the root's predicate (when it names exactly the planned rows).
    """

    tables: list[LinkedTable] = field(default_factory=list)
    unconfirmed: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    counted_from: str = ""

    @property
    def blocking(self) -> list[LinkedTable]:
        """Linked tables with rows that the plan does not delete (and that no hold keeps on purpose)."""
        return [t for t in self.tables if t.action == "listed" and t.rows]


def permitted(step: Step, mode: str, from_root: bool = False) -> bool:
    """Whether the policy's ``cascade`` mode deletes through this step.

    Args:
        step: The step.
        mode: ``none``, ``declared`` or ``inferred``.
        from_root: The step starts at the root table. A forward step (the row the root row extends one to
            one) is taken from the root only, with ``inferred``, and only when no declared key makes the root
            row point at it (that row could then only go after the root's).
    """
    if mode == "none":
        return False
    if step.forward:
        return from_root and mode == "inferred" and not step.link.declared
    return mode == "inferred" or step.link.declared


class LinkedPlanner:
    """Finds, counts and (where allowed) plans the rows linked to one root's planned rows.

    Args:
        engine: The store's write engine.
        connector: The connector's name.
        links: The store's links (the latest map).
        table: The reflected table of a path (raises :class:`PlanError` when gone).
        mode: ``none``, ``declared`` or ``inferred``.
        accept_links: Labels of links accepted by hand.
        held: Whether a table is under a whole-table legal hold (its reason, or None).
        pi_key: The primary-key columns of a table that the latest scan found to be PI (a plan never lists
            such keys: the table is listed, not acted on, unless ``hash_key`` is given).
        hash_key: Keyed hash of a PI primary key (``allow_pi_primary_key``): such tables are planned with
            hashes of their keys instead.
    """

    def __init__(self, engine: sa.Engine, connector: str, links: Sequence[TableLink],
                 table: Callable[[Path_], sa.Table], mode: str, accept_links: Iterable[str] = (),
                 held: Callable[[Path_], str | None] = lambda _p: None,
                 pi_key: Callable[[Path_, list[str]], list[str]] = lambda _p, _k: [],
                 hash_key: Callable[[tuple[Any, ...]], str] | None = None) -> None:
        if mode not in CASCADE_MODES:
            raise PlanError(f"cascade must be one of {', '.join(CASCADE_MODES)}")
        self.engine, self.connector, self.table, self.mode, self.held = engine, connector, table, mode, held
        self.pi_key, self.hash_key = pi_key, hash_key
        self._hashed: set[Path_] = set()
        self.links = list(links)
        self.rules = LinkRules(links, 0.0, accept_links)

    def _pk(self, path: Path_) -> list[str]:
        try:
            return [c.name for c in self.table(path).primary_key.columns]
        except PiScannerError:
            return []

    def plan(self, root: Path_, root_pk: Sequence[str], root_keys: Callable[[], Iterator[list[Any]]],
             spool: KeySpool | None, item_base: dict[str, Any],
             root_where: Callable[[sa.FromClause], sa.ColumnElement[bool]] | None = None) -> LinkedResult:
        """Walk from ``root``'s planned rows: list, count and (where permitted) plan every linked table.

        Args:
            root: The root table.
            root_pk: Its primary-key columns (the keys ``root_keys`` yields).
            root_keys: The root's planned keys (streamed twice at most).
            spool: Where linked keys are written; None to list and count only.
            item_base: Fields every linked item carries (policy, connector, cutoff, recheck root...).
            root_where: The root's planned rows as a condition, when one names exactly them (every row past
                retention was planned: nothing excluded by scope or holds); then no temporary table is made.

        Raises:
            PlanError: The store refused the temporary table or a count.
        """
        result = LinkedResult()
        unconfirmed: list[TableLink] = []
        reaches = reach_tables(self.rules, root, self._pk, max_depth=MAX_DEPTH, unconfirmed=unconfirmed)
        if not reaches and not unconfirmed:
            return result
        reachable = {root, *(r.path for r in reaches)}
        all_in: dict[Path_, list[Incoming]] = {}
        steps_of: dict[Path_, list[tuple[Incoming, Step]]] = {}
        candidates: list[Path_] = []  # tables that may be acted on (read, keyed, not held)
        tables: dict[Path_, LinkedTable] = {}
        root_table = self.table(root)
        for reach in reaches:
            entry = self._entry(reach)
            tables[reach.path] = entry
            try:
                target = self.table(reach.path)
            except PiScannerError as exc:
                entry.reason = f"not read: {exc}"
                result.problems.append(f"{_name(reach.path)}: {exc}")
                continue
            steps = []
            for src, step in reach.incoming:
                try:
                    source_col = self.table(src).c[step.source]
                except (PiScannerError, KeyError):
                    continue
                if step.column not in target.c:
                    continue
                inc = Incoming(src, step.column, step.source, step.link.label,
                               needs_text(target.c[step.column], source_col, step.link.evidence))
                steps.append((inc, step))
            steps_of[reach.path] = steps
            all_in[reach.path] = [inc for inc, _ in steps]
            hold = self.held(reach.path)
            pk_names = [c.name for c in target.primary_key.columns]
            pi = self.pi_key(reach.path, pk_names) if pk_names else []
            if hold is not None:
                entry.action, entry.reason = "held", f"legal hold: {hold}"
            elif not target.primary_key.columns:
                entry.reason = "no primary key: its rows cannot be named one by one"
            elif pi and self.hash_key is None:
                entry.reason = f"its primary key is PI ({', '.join(pi)}): a plan never lists it"
            else:
                candidates.append(reach.path)
                if pi:
                    self._hashed.add(reach.path)
        _bound_chains(all_in, root, {r.path: r.depth for r in reaches}, result.problems)
        acted = self._acted(root, candidates, steps_of, all_in)
        for reach in reaches:
            if reach.path in acted:
                tables[reach.path].incoming = acted[reach.path]
            elif reach.path in candidates:
                tables[reach.path].reason = self._why_not(reach, root, acted)
        tmp = _temp_table(root_table, root_pk) if root_where is None else None
        result.counted_from = "planned keys (temporary table)" if tmp is not None else "the root's predicate"
        with self.engine.connect() as conn:
            try:
                if tmp is not None:
                    try:
                        tmp.create(conn)
                    except sa.exc.DBAPIError as exc:
                        raise PlanError(
                            f"counting the rows linked to {_name(root)} needs a temporary table of the planned "
                            f"keys, which the store refused ({sw.db_error(exc)}): grant the planning role "
                            "TEMPORARY (PostgreSQL) or CREATE TEMPORARY TABLES (MariaDB/MySQL)"
                        ) from None
                    _fill(conn, tmp, root_pk, root_keys())
                    conn.commit()
                    temp = tmp
                    chains = Chains(self.table, root, lambda t: _in_temp(t, temp, root_pk), all_in)
                else:
                    assert root_where is not None
                    chains = Chains(self.table, root, root_where, all_in)
                for reach in reaches:
                    entry = tables[reach.path]
                    if entry.reason.startswith("not read"):
                        continue
                    target = self.table(reach.path)
                    entry.rows = _count(conn, target, chains.where(reach.path, target))
                for link in unconfirmed:
                    result.unconfirmed.append(self._unconfirmed(conn, link, chains, reachable))
                if spool is not None:
                    for path in self._delete_order(acted, {r.path: r.depth for r in reaches}):
                        self._plan_table(conn, tables[path], chains, acted, spool, item_base, result)
            except sa.exc.DBAPIError as exc:
                raise PlanError(f"linked rows of {_name(root)} could not be counted: {sw.db_error(exc)}") from None
            finally:
                if tmp is not None:
                    try:
                        tmp.drop(conn, checkfirst=False)
                        conn.commit()
                    except sa.exc.DBAPIError:
                        conn.rollback()  # the session's end drops it anyway
        for entry in tables.values():
            if entry.path in acted and (spool is None or not entry.rows):
                entry.action = "delete"  # would be (a report), or nothing to delete: acted on with 0 rows
        result.tables = sorted(tables.values(), key=lambda t: (t.depth, t.path))
        return result

    def _acted(self, root: Path_, candidates: Sequence[Path_], steps_of: dict[Path_, list[tuple[Incoming, Step]]],
               kept: dict[Path_, list[Incoming]]) -> dict[Path_, list[Incoming]]:
        """Per table acted on, the steps acted through: permitted, from the root or a table acted on.

        Grown to a fixed point: a step from a table at the same depth or further (``grades.enrolment_id``)
        counts once that table is acted on.
        """
        acted: dict[Path_, list[Incoming]] = {}
        grown = True
        while grown:
            grown = False
            for path in candidates:
                ok = [inc for inc, step in steps_of[path]
                      if inc in kept[path] and permitted(step, self.mode, inc.source_path == root)
                      and (inc.source_path == root or inc.source_path in acted)]
                if ok and len(ok) != len(acted.get(path, [])):
                    acted[path], grown = ok, True
        return acted

    def _delete_order(self, acted: dict[Path_, list[Incoming]], depth: dict[Path_, int]) -> list[Path_]:
        """The tables acted on, each before every table its rows point at (a step acted through, or any link)."""
        refs = {(path, inc.source_path) for path, incs in acted.items() for inc in incs}
        refs |= {(link.from_path, link.to_path) for link in self.links}
        return referencing_first(list(acted), refs, lambda p: depth.get(p, 0))

    def _entry(self, reach: Reach) -> LinkedTable:
        labels = set(reach.chain)
        declared = all(s.link.declared for _, s in reach.incoming if s.link.label in labels)
        return LinkedTable(reach.path, reach.depth, reach.chain, reach.confidence, declared)

    def _why_not(self, reach: Reach, root: Path_, acted: dict[Path_, list[Incoming]]) -> str:
        if all(step.forward for _, step in reach.incoming):
            if all(src != root for src, _ in reach.incoming):
                return "1:1 extension of a linked row, not of a root row: its own policy decides"
            if any(step.link.declared for _, step in reach.incoming):
                return ("the root's rows point at it one to one by a declared foreign key: it could only go "
                        "after them; its own policy decides")
            return "the row each root row extends one to one (cascade: inferred deletes it with the root)"
        if self.mode == "none":
            return "cascade: none"
        if all(src != root and src not in acted for src, _ in reach.incoming):
            return "reached only through tables not acted on"
        return "reached only through inferred links (cascade: declared)"

    def _unconfirmed(self, conn: sa.Connection, link: TableLink, chains: Chains,
                     reachable: set[Path_]) -> dict[str, Any]:
        doc: dict[str, Any] = {"label": link.label, "confidence": link.confidence, "table": _name(link.from_path),
                               "rows": None}
        if link.to_path not in reachable or link.from_path in reachable:
            return doc
        try:
            target, parent = self.table(link.from_path), self.table(link.to_path)
        except PiScannerError:
            return doc
        col, key = link.from_columns[0], link.to_columns[0]
        if col not in target.c or key not in parent.c:
            return doc
        inc = Incoming(link.to_path, col, key, link.label, needs_text(target.c[col], parent.c[key], link.evidence))
        doc["rows"] = _count(conn, target, chains.where(link.from_path, target, [inc]))
        return doc

    def _plan_table(self, conn: sa.Connection, entry: LinkedTable, chains: Chains,
                    acted: dict[Path_, list[Incoming]], spool: KeySpool, base: dict[str, Any],
                    result: LinkedResult) -> None:
        target = self.table(entry.path)
        key_cols = list(target.primary_key.columns)
        hashed = entry.path in self._hashed and self.hash_key is not None
        ints = len(key_cols) == 1 and _is_int(key_cols[0]) and not hashed
        writer = spool.writer(INT_RANGES if ints else JSON_LINES)
        # The keys follow the permitted links only; the chain below each source is the acted one too.
        acted_chains = Chains(self.table, chains.root, chains.root_where, acted)
        where = acted_chains.where(entry.path, target)
        stmt = sa.select(*key_cols).where(where).order_by(*key_cols)
        result_rows = conn.execution_options(stream_results=True, yield_per=_STREAM_BATCH).execute(stmt)
        for part in result_rows.partitions(_STREAM_BATCH):
            for row in part:
                writer.add([self.hash_key(tuple(row))] if hashed and self.hash_key else json_key(tuple(row)))
        ref = writer.finish()
        entry.planned = writer.count
        if not writer.count:
            return
        entry.action = "delete"
        item = {
            **base,
            "mode": "linked",
            "kind": "table",
            "path": list(entry.path),
            "asset": f"{self.connector}:{'/'.join(entry.path)}",
            "action": "delete",
            "primary_key": [c.name for c in key_cols],
            "key_format": "hmac" if hashed else "json",
            "keys": [],
            "expected_count": writer.count,
            "keyset": ref,
            "linked": {"depth": entry.depth, "via": list(entry.via), "confidence": entry.confidence,
                       "declared": entry.declared},
            "recheck": {**base["recheck"], "tables": [
                [list(p), [i.to_json() for i in incs]] for p, incs in acted.items()]},
        }
        del item["keys"]
        entry.item = item
        result.items.append(item)


def _bound_chains(incoming: dict[Path_, list[Incoming]], root: Path_, depth: dict[Path_, int],
                  problems: list[str]) -> None:
    """Keep each table's SQL bounded: past :data:`MAX_CHAINS` chains, only steps from nearer tables stay.

    Nearest tables first, so a table further on counts the chains its sources kept.
    """
    for path in sorted(incoming, key=lambda p: (depth.get(p, 0), p)):
        if chain_count(incoming, root, path, MAX_CHAINS) <= MAX_CHAINS:
            continue
        incoming[path] = [inc for inc in incoming[path]
                          if inc.source_path == root or depth.get(inc.source_path, 0) < depth.get(path, 0)]
        problems.append(f"{_name(path)}: more than {MAX_CHAINS} chains of links to the root; only those through "
                        "tables nearer the root are followed")


def _is_int(col: sa.ColumnElement[Any]) -> bool:
    try:
        return col.type.python_type is int and not isinstance(col.type, sa.Boolean)
    except NotImplementedError:
        return False


def _temp_table(root: sa.Table, pk: Sequence[str]) -> sa.Table:
    md = sa.MetaData()
    cols = [sa.Column(name, root.c[name].type, primary_key=True, autoincrement=False) for name in pk]
    return sa.Table(f"pis_roots_{uuid.uuid4().hex[:10]}", md, *cols, prefixes=["TEMPORARY"])


def _fill(conn: sa.Connection, tmp: sa.Table, pk: Sequence[str], keys: Iterator[list[Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for key in keys:
        batch.append(dict(zip(pk, key, strict=True)))
        if len(batch) >= _INSERT_BATCH:
            conn.execute(tmp.insert(), batch)
            batch = []
    if batch:
        conn.execute(tmp.insert(), batch)


def _in_temp(target: sa.FromClause, tmp: sa.Table, pk: Sequence[str]) -> sa.ColumnElement[bool]:
    if len(pk) == 1:
        return target.c[pk[0]].in_(sa.select(tmp.c[pk[0]]))
    return sa.tuple_(*(target.c[c] for c in pk)).in_(sa.select(*(tmp.c[c] for c in pk)))


def _count(conn: sa.Connection, target: sa.Table, where: sa.ColumnElement[bool]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(target).where(where)).scalar_one())


def recheck_clause(item: dict[str, Any], table: Callable[[Path_], sa.Table], target: sa.Table,
                   root_where: Callable[[sa.FromClause], sa.ColumnElement[bool]]) -> sa.ColumnElement[bool]:
    """The predicate a linked item's delete re-checks.

    The row must still point, through the planned links, at a root row that ``root_where`` still selects
    (past retention).

    Raises:
        PlanError: The item's links are malformed.
    """
    spec = item.get("recheck") or {}
    try:
        root = tuple(spec["root"])
        incoming = {tuple(path): [Incoming.from_json(d) for d in steps] for path, steps in spec["tables"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"a linked item's re-check is malformed: {type(exc).__name__}") from None
    return Chains(table, root, root_where, incoming).where(tuple(item["path"]), target)
