"""Which links a walk follows and the tables it reaches (shared by subject requests and retention)."""

from __future__ import annotations

from pi_scanner.models import TableLink
from pi_scanner.retention.linkwalk import LinkRules, reach_tables, referencing_first

S = "public"


def _link(src: str, col: str, dst: str, key: str = "id", conf: float = 0.9, declared: bool = False,
          accepted: bool = True) -> TableLink:
    return TableLink("db", (S, src), (col,), (S, dst), (key,), conf, declared, accepted)


PK = {"students": ["id"], "person_ext": ["student_id"], "visits": ["id"], "visit_items": ["id"],
      "grades": ["id"], "classes": ["id"], "categories": ["id"], "enrolments": ["id"], "notes": ["id"]}


def _pk(path: tuple[str, ...]) -> list[str]:
    return PK.get(path[-1], ["id"])


LINKS = [
    _link("grades", "student_id", "students", conf=0.95),
    _link("visits", "student_id", "students", conf=1.0, declared=True),
    _link("visit_items", "visit_id", "visits", conf=0.8),
    _link("students", "class_id", "classes"),  # a lookup: never followed forward
    _link("categories", "parent_id", "categories"),  # a self-reference: never followed
    _link("person_ext", "student_id", "students", key="id"),  # back link into the root
    _link("enrolments", "student_id", "students"),
    _link("grades", "enrolment_id", "enrolments"),  # grades reached from the root and from enrolments
    _link("notes", "student_id", "students", conf=0.4, accepted=False),  # below the threshold
]


def test_tables_reached_breadth_first_with_chains_and_confidence() -> None:
    unconfirmed: list[TableLink] = []
    reached = {r.path[-1]: r for r in reach_tables(LinkRules(LINKS), (S, "students"), _pk, unconfirmed=unconfirmed)}
    assert set(reached) == {"grades", "visits", "visit_items", "person_ext", "enrolments"}
    assert reached["visit_items"].depth == 2
    assert reached["visit_items"].chain == ("visit_items.visit_id -> visits.id", "visits.student_id -> students.id")
    assert reached["visit_items"].confidence == 0.8
    # grades is one link from the root, and also reached the longer way, through enrolments: both are steps.
    assert reached["grades"].depth == 1
    assert [s.link.label for _, s in reached["grades"].incoming] == [
        "grades.student_id -> students.id", "grades.enrolment_id -> enrolments.id"]
    assert [link.label for link in unconfirmed] == ["notes.student_id -> students.id"]


def test_links_accepted_by_label_are_followed() -> None:
    rules = LinkRules(LINKS, accepted=["notes.student_id -> students.id"])
    assert "notes" in {r.path[-1] for r in reach_tables(rules, (S, "students"), _pk)}


def test_forward_only_along_a_one_to_one_extension() -> None:
    links = [_link("students", "id", "people", key="person_id"), _link("phones", "person_id", "people",
                                                                       key="person_id")]
    reached = {r.path[-1]: r for r in reach_tables(LinkRules(links), (S, "students"), _pk)}
    assert set(reached) == {"people", "phones"}
    assert reached["people"].incoming[0][1].forward and not reached["phones"].incoming[0][1].forward
    assert not reach_tables(LinkRules(links), (S, "students"), _pk, forward=False)


def test_cycles_end() -> None:
    links = [_link("a", "b_id", "b"), _link("b", "a_id", "a"), _link("c", "a_id", "a"), _link("a", "c_id", "c")]
    reached = reach_tables(LinkRules(links), (S, "b"), _pk)
    assert [(r.path[-1], r.depth) for r in reached] == [("a", 1), ("c", 2)]


def test_threshold_applies_to_accepted_links() -> None:
    rules = LinkRules(LINKS, threshold=0.9)
    unconfirmed: list[str] = []
    steps = list(rules.steps((S, "visits"), ["id"], unconfirmed))
    assert not steps and unconfirmed == ["visit_items.visit_id -> visits.id"]


def test_referencing_rows_first_and_cycles_broken_deepest_first() -> None:
    refs = [("comments", "grades"), ("grades", "enrolments"), ("grades", "students"), ("enrolments", "students")]
    depth = {"comments": 2, "grades": 1, "enrolments": 1, "students": 0}
    assert referencing_first(("enrolments", "grades", "comments", "students"), refs, depth.__getitem__) == [
        "comments", "grades", "enrolments", "students"]
    cyclic = [("a", "b"), ("b", "a"), ("c", "a")]
    assert referencing_first(("a", "b", "c"), cyclic, {"a": 1, "b": 2, "c": 1}.__getitem__) == ["c", "b", "a"]
