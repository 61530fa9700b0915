"""Cross-table context from discovery metadata: whose rows each table holds."""

import pytest

from pi_scanner.classify.column_names import tokenize_table
from pi_scanner.datamap.context import TableShape, schema_contexts


def _gibbon(fold: bool = False) -> list[TableShape]:
    def n(x: str) -> str:
        return x.lower() if fold else x

    person = n("gibbonPerson")
    return [
        TableShape(person, ("gibbonPersonID", "surname", "dob"), ("gibbonPersonID",)),
        TableShape(n("gibbonStudentEnrolment"), ("gibbonStudentEnrolmentID", "gibbonPersonID"),
                   ("gibbonStudentEnrolmentID",), {"gibbonPersonID": f"{person}.gibbonPersonID"}),
        TableShape(n("gibbonFamilyAdult"), ("gibbonFamilyAdultID", "gibbonPersonID"), ("gibbonFamilyAdultID",),
                   {"gibbonPersonID": f"{person}.gibbonPersonID"}),
        TableShape(n("gibbonStaff"), ("gibbonStaffID", "gibbonPersonID"), ("gibbonStaffID",),
                   {"gibbonPersonID": f"{person}.gibbonPersonID"}),
        TableShape(n("gibbonPersonField"), ("gibbonPersonFieldID", "name"), ("gibbonPersonFieldID",)),
    ]


@pytest.mark.parametrize("fold", [False, True])
def test_person_table_pointed_at_by_enrolments_holds_students(fold: bool) -> None:
    ctx = schema_contexts(_gibbon(fold))
    person = ctx["gibbonperson"]
    assert person.child_purposed
    assert person.role_of_rows == "mixed"  # students, guardians and staff
    assert len(person.referenced_by) == 3
    assert ctx["gibbonfamilyadult"].role_of_rows == "guardian"
    assert not ctx["gibbonfamilyadult"].child_purposed
    assert ctx["gibbonstaff"].role_of_rows == "staff"
    assert "gibbonpersonfield" not in ctx or not ctx["gibbonpersonfield"].child_purposed


def test_person_table_without_students_is_not_child_purposed() -> None:
    # Same shape, but only staff and guardians point at the person table, and nothing names students.
    shapes = [s for s in _gibbon() if "Student" not in s.name]
    ctx = schema_contexts(shapes)
    assert not ctx["gibbonperson"].child_purposed


def test_undeclared_reference_by_key_name_and_family_table() -> None:
    shapes = [
        TableShape("XS_JBXX", ("XH", "XM", "CSRQ"), ("XH",)),
        TableShape("XS_JTCY", ("ID", "XH", "CYXM", "CYLXDH"), ("ID",)),  # no declared FK
    ]
    ctx = schema_contexts(shapes)
    assert ctx["xs_jbxx"].child_purposed and ctx["xs_jbxx"].referenced_by == ("XS_JTCY",)
    assert ctx["xs_jtcy"].role_of_rows == "guardian" and not ctx["xs_jtcy"].child_purposed


def test_join_table_sides() -> None:
    shapes = [
        TableShape("students", ("student_id", "first_name"), ("student_id",)),
        TableShape("people", ("person_id", "first_name"), ("person_id",)),
        TableShape("students_join_people", ("id", "student_id", "person_id"), ("id",),
                   {"student_id": "students.student_id", "person_id": "people.person_id"}),
    ]
    ctx = schema_contexts(shapes)
    assert ctx["people"].role_of_rows == "guardian" and not ctx["people"].child_purposed
    assert ctx["students"].child_purposed


def test_record_keyed_by_a_child_in_a_kindergarten_system() -> None:
    shapes = [
        TableShape("幼儿档案", ("幼儿编号", "姓名"), ("幼儿编号",)),
        TableShape("接送记录", ("记录ID", "幼儿编号", "接送人姓名"), ("记录ID",)),
    ]
    ctx = schema_contexts(shapes)
    assert ctx["接送记录"].role_of_rows == "linked" and ctx["接送记录"].child_purposed


def test_no_school_system_no_child_purpose() -> None:
    shapes = [
        TableShape("users", ("id", "name"), ("id",)),
        TableShape("user_orders", ("id", "user_id"), ("id",), {"user_id": "users.id"}),
    ]
    assert not any(c.child_purposed for c in schema_contexts(shapes).values())


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("gibbonperson", ["gibbon", "person"]),
        ("gibbonstudentenrolment", ["gibbon", "student", "enrolment"]),
        ("storage", ["storage"]),
        ("xs_jtcy", ["xs", "jtcy"]),
    ],
)
def test_tokenize_table(name: str, tokens: list[str]) -> None:
    assert tokenize_table(name) == tokens


def test_full_pinyin_names_say_whose_rows() -> None:
    # A kindergarten spelt in full pinyin: 幼儿 (youer) are the children, 家长 (jiazhang) their guardians,
    # 教师 (jiaoshi) the staff; the store is a children's system though no English word says so.
    shapes = [
        TableShape("t_youer", ("id", "xingming", "banji_id"), ("id",)),
        TableShape("t_jiazhang", ("id", "youer_id", "xingming"), ("id",)),
        TableShape("t_jiaoshi", ("id", "xingming"), ("id",)),
        TableShape("t_kaoqin", ("id", "youer_id"), ("id",), {"youer_id": "t_youer.id"}),
    ]
    ctx = schema_contexts(shapes)
    assert ctx["t_youer"].role_of_rows == "student" and ctx["t_youer"].child_purposed
    assert ctx["t_jiazhang"].role_of_rows == "guardian" and not ctx["t_jiazhang"].child_purposed
    assert ctx["t_jiaoshi"].role_of_rows == "staff"
