"""Which links of the data map a walk follows, and the tables it reaches: shared by subject requests and retention.

A subject request (:mod:`pi_scanner.subjects.traverse`) walks row by row from one known record; retention
and decommission (:mod:`.linked`) walk set-wise, in SQL, from the rows a policy acts on. Both follow the
same links the same way, decided here:

* **back** along every link that points at a visited table (``attendance.student_id → students.id``): rows
  whose referencing column holds a key of a visited row belong to the same child;
* **forward** along a link whose referencing column is the visited table's own primary key (a 1:1
  extension: ``child.id → person.id``): the one row it extends is the same child's.

Lookups (``students.class_id → classes``) are never followed forward, self-references never (a parent
category is not the child's), composite links never (their rows are reached where a single-column link
reaches them). A link is *confirmed* when the scan accepted it at or above the threshold, or when it is
accepted by label (``--accept-link``, a policy's ``accept_links``); the others are listed, not followed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pi_scanner.catalog.store import Catalog
from pi_scanner.errors import UsageError
from pi_scanner.models import TableLink

Path_ = tuple[str, ...]
Node = TypeVar("Node")


def latest_links(catalog: Catalog, connector: str) -> list[TableLink]:
    """The links of the most recent scan run that built a map of ``connector``.

    Raises:
        UsageError: No scan of the store has a data map (say so plainly: an empty walk would read as
            "nothing linked").
    """
    for summary in catalog.list_runs(50):
        links = [link for link in catalog.load_links(summary.run_id) if link.connector == connector]
        if links:
            return links
    raise UsageError(f"no data map of {connector!r} in the catalog: run `pi-scanner scan` on it first")


def walkable(links: Iterable[TableLink]) -> list[TableLink]:
    """The links a walk may take: single-column, between two different tables."""
    return [link for link in links if len(link.from_columns) == 1 and link.from_path != link.to_path]


@dataclass(frozen=True)
class Step:
    """One link taken from a visited table.

    Attributes:
        link: The link.
        to: The table it reaches.
        column: The reached table's column that is matched.
        source: The visited table's column whose values it is matched with.
        forward: True for a 1:1 extension (the visited table's key references ``to``).
    """

    link: TableLink
    to: Path_
    column: str
    source: str
    forward: bool


class LinkRules:
    """Which links are followed from a table.

    Args:
        links: The store's links (only :func:`walkable` ones are considered).
        threshold: Confidence at or above which a link the scan accepted is followed.
        accepted: Labels of links accepted by hand (followed whatever their confidence).
    """

    def __init__(self, links: Iterable[TableLink], threshold: float = 0.0, accepted: Iterable[str] = ()) -> None:
        self.links = walkable(links)
        self.threshold = threshold
        self.accepted = set(accepted)

    def confirmed(self, link: TableLink) -> bool:
        """Whether the link is followed (accepted by the scan at the threshold, or accepted by label)."""
        return (link.accepted and link.confidence >= self.threshold) or link.label in self.accepted

    def steps(self, path: Path_, primary_key: Sequence[str], unconfirmed: list[str] | None = None,
              on_unconfirmed: Callable[[TableLink], None] | None = None, *, forward: bool = True) -> Iterator[Step]:
        """The links followed from ``path``: back along links into it, forward along 1:1 extensions.

        Args:
            path: The visited table.
            primary_key: Its primary-key columns (a forward step needs the link to start at them).
            unconfirmed: Labels of links that would be followed but are not confirmed are appended here
                (once each).
            on_unconfirmed: Called with each such link.
            forward: Also take forward (1:1 extension) steps.
        """
        for link in self.links:
            if link.to_path == path:
                step = Step(link, link.from_path, link.from_columns[0], link.to_columns[0], False)
            elif forward and link.from_path == path and [link.from_columns[0]] == list(primary_key):
                step = Step(link, link.to_path, link.to_columns[0], link.from_columns[0], True)
            else:
                continue
            if self.confirmed(link):
                yield step
                continue
            if unconfirmed is not None and link.label not in unconfirmed:
                unconfirmed.append(link.label)
            if on_unconfirmed is not None:
                on_unconfirmed(link)


@dataclass
class Reach:
    """A table reached from the root over links.

    Attributes:
        path: The table.
        depth: Links from the root on its shortest chain.
        incoming: Every followed step into it from a reached table (nearer the root, as near, or further:
            ``grades.enrolment_id → enrolments.id`` beside ``grades.student_id → students.id``), with the
            table each starts from. They may form cycles; :class:`~pi_scanner.retention.linked.Chains`
            follows each chain once.
        chain: Labels of the links of its most confident path, nearest first.
        confidence: That path's joint confidence.
    """

    path: Path_
    depth: int
    incoming: list[tuple[Path_, Step]] = field(default_factory=list)
    chain: tuple[str, ...] = ()
    confidence: float = 1.0


def reach_tables(
    rules: LinkRules, root: Path_, primary_key: Callable[[Path_], Sequence[str]], *, max_depth: int = 6,
    forward: bool = True, unconfirmed: list[TableLink] | None = None,
) -> list[Reach]:
    """Every table reachable from ``root`` over followed links, breadth first (the root not included).

    A table keeps every followed step into it from any reached table, not only from tables one link nearer
    the root: a grade whose own ``student_id`` is NULL still belongs to the child through its enrolment, a
    chain longer than the table's shortest one. The steps may form cycles; a chain is never longer than
    ``max_depth``.

    Args:
        rules: Which links are followed.
        root: The table the walk starts from.
        primary_key: The primary-key columns of a table (for forward steps).
        max_depth: Longest chain followed.
        forward: Take forward (1:1 extension) steps too; without, tables are reached only by links into
            tables already reached.
        unconfirmed: Links not followed for lack of confirmation, from a reached table, are appended here.
    """
    depth_of: dict[Path_, int] = {root: 0}
    found: dict[Path_, Reach] = {}
    conf: dict[Path_, tuple[float, tuple[str, ...]]] = {root: (1.0, ())}
    queue: deque[Path_] = deque([root])

    def note(link: TableLink) -> None:
        if unconfirmed is not None and link not in unconfirmed:
            unconfirmed.append(link)

    while queue:
        at = queue.popleft()
        d = depth_of[at]
        if d >= max_depth:
            continue
        for step in rules.steps(at, primary_key(at), None, note, forward=forward):
            nxt = step.to
            if nxt == root:
                continue  # the root's rows are the start, not reached
            base, chain = conf[at]
            joint = round(base * step.link.confidence, 4)
            if nxt not in found:
                depth_of[nxt] = d + 1
                found[nxt] = Reach(nxt, d + 1)
                queue.append(nxt)
            reach = found[nxt]
            if (at, step) not in reach.incoming:
                reach.incoming.append((at, step))
            if nxt not in conf or joint > conf[nxt][0]:
                conf[nxt] = (joint, (step.link.label, *chain))
                reach.confidence, reach.chain = joint, (step.link.label, *chain)
    return sorted(found.values(), key=lambda r: (r.depth, r.path))


def referencing_first(nodes: Sequence[Node], refs: Iterable[tuple[Node, Node]],
                      depth: Callable[[Node], int]) -> list[Node]:
    """``nodes`` in an order that deletes referencing rows before the rows they point at.

    A topological order over ``refs`` (``(a, b)``: a's rows point at b's, so a comes first); pairs naming
    a node not in ``nodes``, or a node itself, are ignored. Where the pairs form a cycle, the deepest node
    of it goes first. Among nodes free to go, the deepest first, then by name.

    Args:
        nodes: The tables (or any orderable keys) to order.
        refs: Which point at which.
        depth: Distance from the walk's start (deeper goes first).
    """
    left = set(nodes)
    after: dict[Node, set[Node]] = {n: set() for n in left}  # n goes after these
    for src, dst in refs:
        if src != dst and src in left and dst in left:
            after[dst].add(src)
    order: list[Node] = []
    while left:
        ready = [n for n in left if not (after[n] & left)]
        if not ready:  # a cycle: the deepest table first breaks it
            ready = [max(left, key=lambda n: (depth(n), str(n)))]
        ready.sort(key=lambda n: (-depth(n), str(n)))
        order.append(ready[0])
        left.discard(ready[0])
    return order
