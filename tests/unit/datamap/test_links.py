"""Link inference from names, types and keys; one parent per column; containment adjusts confidence."""

from __future__ import annotations

import pytest

from pi_scanner.datamap.links import (
    Candidate,
    Containment,
    choose_parents,
    declared_links,
    entities,
    infer_links,
    name_candidates,
    product_prefix,
    singular,
)
from pi_scanner.datamap.schema import ForeignKey, TableSchema
from pi_scanner.models import ColumnInfo


def _t(name: str, cols: dict[str, str], pk: tuple[str, ...] = (), **kw: object) -> TableSchema:
    return TableSchema(("s", name), tuple(ColumnInfo(c, ty) for c, ty in cols.items()), pk, **kw)  # type: ignore[arg-type]


def _labels(tables: list[TableSchema]) -> dict[str, float]:
    return {link.label: link.confidence for link in infer_links("db", tables) if link.accepted}


@pytest.mark.parametrize(
    ("parent", "child", "expected"),
    [
        # student_id -> students.student_id (the key's own name)
        (_t("students", {"student_id": "int", "name": "varchar(20)"}, ("student_id",)),
         _t("attendance", {"id": "int", "student_id": "int"}, ("id",)),
         "attendance.student_id -> students.student_id"),
        # student_id -> students.id (entity + key word)
        (_t("students", {"id": "int", "name": "varchar(20)"}, ("id",)),
         _t("grades", {"id": "int", "student_id": "int"}, ("id",)),
         "grades.student_id -> students.id"),
        # baby_id -> baby.id
        (_t("baby", {"id": "bigint", "nick": "varchar(20)"}, ("id",)),
         _t("feeding_log", {"id": "bigint", "baby_id": "bigint"}, ("id",)),
         "feeding_log.baby_id -> baby.id"),
        # XH -> XS_JBXX.XH (pinyin initials, the key's own name)
        (_t("XS_JBXX", {"XH": "varchar(20)", "XM": "varchar(36)"}, ("XH",)),
         _t("XS_JTCY", {"ID": "int", "XH": "varchar(20)", "CYXM": "varchar(36)"}, ("ID",)),
         "XS_JTCY.XH -> XS_JBXX.XH"),
        # camelCase with a role suffix
        (_t("gibbonPerson", {"gibbonPersonID": "int", "surname": "varchar(60)"}, ("gibbonPersonID",)),
         _t("gibbonMarkbookEntry", {"gibbonMarkbookEntryID": "int", "gibbonPersonIDStudent": "int"},
            ("gibbonMarkbookEntryID",)),
         "gibbonMarkbookEntry.gibbonPersonIDStudent -> gibbonPerson.gibbonPersonID"),
        # 幼儿编号 -> 幼儿档案.幼儿编号
        (_t("幼儿档案", {"幼儿编号": "varchar(20)", "姓名": "varchar(20)"}, ("幼儿编号",)),
         _t("接送记录", {"记录ID": "int", "幼儿编号": "varchar(20)"}, ("记录ID",)),
         "接送记录.幼儿编号 -> 幼儿档案.幼儿编号"),
        # a product prefix on the table but not on the column
        (_t("gibbonPerson", {"gibbonPersonID": "int"}, ("gibbonPersonID",)),
         _t("gibbonLog", {"gibbonLogID": "int", "personID": "int"}, ("gibbonLogID",)),
         "gibbonLog.personID -> gibbonPerson.gibbonPersonID"),
        # student_info: the entity's main table
        (_t("student_info", {"id": "int", "name": "varchar(20)"}, ("id",)),
         _t("fees", {"id": "int", "student_id": "int"}, ("id",)),
         "fees.student_id -> student_info.id"),
    ],
)
def test_inferred_from_names(parent: TableSchema, child: TableSchema, expected: str) -> None:
    extra = [_t("gibbonSetting", {"gibbonSettingID": "int"}, ("gibbonSettingID",))]
    assert expected in _labels([parent, child, *extra])


def test_no_link_without_a_name_or_with_incompatible_types() -> None:
    students = _t("students", {"id": "int", "name": "varchar(20)"}, ("id",))
    scores = _t("scores", {"id": "int", "score": "int", "student_id": "date"}, ("id",))
    assert _labels([students, scores]) == {}


def test_alternate_key_of_its_own_table_is_no_link() -> None:
    orders = _t("orders", {"id": "int", "order_no": "varchar(32)"}, ("id",))
    assert _labels([orders]) == {}


def test_extension_table_points_at_the_main_table() -> None:
    main = _t("XS_JBXX", {"XH": "varchar(20)", "XM": "varchar(36)", "CSRQ": "varchar(8)"}, ("XH",))
    ext = _t("XS_XJXX", {"XH": "varchar(20)", "XJH": "varchar(19)"}, ("XH",))
    labels = _labels([main, ext])
    assert "XS_XJXX.XH -> XS_JBXX.XH" in labels
    assert "XS_JBXX.XH -> XS_XJXX.XH" not in labels


def test_varchar_against_int_is_kept_and_marked() -> None:
    students = _t("students", {"id": "int"}, ("id",))
    grades = _t("grades", {"id": "int", "student_id": "varchar(20)"}, ("id",))
    (link,) = infer_links("db", [students, grades])
    assert "type_mismatch" in link.evidence and link.confidence < 0.85


def test_keyless_table_counts_less() -> None:
    students = _t("students", {"id": "int", "name": "varchar(20)"})  # no primary key declared
    grades = _t("grades", {"id": "int", "student_id": "int"}, ("id",))
    (link,) = infer_links("db", [students, grades])
    assert "keyless" in link.evidence and not link.accepted


def test_one_parent_per_column_and_values_decide() -> None:
    a = Candidate(("s", "t"), "person_id", ("s", "people"), "person_id", 0.9, ("name:key",))
    b = Candidate(("s", "t"), "person_id", ("s", "persons_archive"), "person_id", 0.9, ("name:key",))
    (tie,) = choose_parents("db", [a, b])
    assert "ambiguous" in tie.evidence
    (won,) = choose_parents("db", [a, b], {a: Containment(0.2), b: Containment(1.0)})
    assert won.to_path == ("s", "persons_archive") and won.accepted
    (contradicted,) = choose_parents("db", [a], {a: Containment(0.0)})  # the values contradict the name
    assert not contradicted.accepted and "not_contained:0.0" in contradicted.evidence


def test_declared_composite_and_self_reference() -> None:
    t = _t("marks", {"student_id": "int", "term_id": "int", "parent_id": "int"}, ("student_id", "term_id"),
           foreign_keys=(ForeignKey(("student_id", "term_id"), ("s", "enrol"), ("student_id", "term_id")),
                         ForeignKey(("parent_id",), ("s", "marks"), ("student_id",))))
    comp, selfref = declared_links("db", [t])
    assert comp.from_columns == ("student_id", "term_id") and "composite" in comp.evidence
    assert "self_reference" in selfref.evidence


def test_helpers() -> None:
    assert singular("students") == "student" and singular("classes") == "class" and singular("people") == "person"
    tables = [_t(f"gibbon{n}", {"x": "int"}) for n in ("Person", "Staff", "Role", "Family")]
    assert product_prefix(tables) == "gibbon"
    assert ("student",) in dict(entities("student_info", None))
    assert ("xs",) in dict(entities("XS_JBXX", None))
    assert ("school",) in dict(entities("EDU_ZXXX_01_01_ZXXX", "edu", "学校基本数据子类表"))
    assert name_candidates([]) == []
