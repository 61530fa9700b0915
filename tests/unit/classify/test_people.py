"""Whose rows: people's tables versus tables of things (spec §A9, rules that keep precision)."""

import datetime as dt

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.column_names import name_hints
from pi_scanner.classify.people import rows_are_people
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)


def _people(table: str, columns: list[str], **kw: object) -> bool:
    return rows_are_people(table, columns, [name_hints(c, table) for c in columns], **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("table", "columns", "want"),
    [
        ("students", ["id", "name"], True),
        ("xs_jbxx", ["XH", "XM"], True),
        ("幼儿档案", ["编号", "名称"], True),
        ("t_records", ["id", "csrq", "remark"], True),  # a birth date: only a person has one
        ("t_records", ["id", "first_name"], True),
        ("attendance_log", ["id", "student_id", "status", "remark"], True),  # points at a person
        ("t_member", ["id", "role"], True),
        ("courses", ["id", "name", "description", "code"], False),
        ("settings", ["id", "name", "phone", "address", "logo"], False),  # the school's own contacts
        ("sys_dict", ["id", "name", "value", "remark"], False),
        ("products", ["id", "title", "price", "image"], False),
        ("app_version", ["id", "version", "description"], False),
        ("t_thing", ["id", "name", "sort"], False),
        # no-match rows of the person-key rule: who created a row does not make it a person's
        ("notices", ["id", "title", "content", "created_by"], False),
        # two health measures are taken of a person; one weight is a parcel's as well
        ("tbl_examination", ["examinationid", "height", "weight", "vision", "sid"], True),
        ("t_parcel", ["id", "weight", "label"], False),
        ("t_checks", ["id", "sid", "result"], True),  # ``sid``: the student's key
        # an operation or login log holds its user's rows; a blog or a catalog is no log of users
        ("sys_oper_log", ["oper_id", "oper_name", "oper_ip", "oper_location"], True),
        ("sys_logininfor", ["info_id", "user_name", "ipaddr"], True),
        ("t_blog", ["id", "title", "body"], False),
    ],
)
def test_rows_are_people(table: str, columns: list[str], want: bool) -> None:
    assert _people(table, columns) is want


def test_declared_answer_and_schema_role_win() -> None:
    assert _people("courses", ["id", "name"], declared=True) is True
    assert _people("students", ["id", "name"], declared=False) is False
    assert _people("t_x", ["id", "note"], schema_role="linked") is True


def _sample(table: str, columns: list[str], rows: list[list[object]]) -> Sample:
    return Sample(AssetRef("db", AssetKind.TABLE, ("public", table)), [ColumnInfo(c) for c in columns], rows)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(ClassifierConfig(), AS_OF)


def test_bare_name_and_notes_of_things_are_nobodys(clf: Classifier) -> None:
    rows = [[i, n, "课程简介：本课程适合所有年级的同学学习，内容丰富有趣", f"https://cdn.example.com/c/{i}.jpg"]
            for i, n in enumerate(["王芳", "李娜", "张伟", "刘洋"] * 5)]
    r = clf.classify(_sample("courses", ["id", "name", "description", "image"], rows))
    assert r.columns == ()


def test_people_table_free_text_and_attributes(clf: Classifier) -> None:
    rows = [[i, "王芳" if i % 2 else "李娜", "女" if i % 2 else "男", "汉族", "孩子对花生过敏，午餐需注意",
             "该生本学期进步明显，上课积极发言，作业认真"] for i in range(20)]
    r = clf.classify(_sample("students", ["id", "xm", "xb", "mz", "gms", "bz"], rows))
    by = {c.name: c for c in r.columns}
    assert by["xm"].category == "basic_profile" and not by["xm"].suspected
    assert by["bz"].category == "free_text" and by["bz"].entity_types[-1] == "FREE_TEXT" and not by["bz"].suspected
    assert by["gms"].category == "health" and by["gms"].sensitive
    assert by["mz"].category == "basic_profile" and by["mz"].sensitive
    assert "id" not in by


def test_name_only_findings_of_an_empty_people_table(clf: Classifier) -> None:
    cols = ["id", "xingming", "xingbie", "mima", "touxiang", "jiazhangdianhua", "zzmm", "jtcy", "remark"]
    r = clf.classify(_sample("yonghu", cols, []))
    got = {c.name: c.category for c in r.columns}
    assert got == {
        "xingming": "basic_profile", "xingbie": "basic_profile", "mima": "credential",
        "touxiang": "biometric_image", "jiazhangdianhua": "basic_profile", "zzmm": "other_sensitive",
        "jtcy": "basic_profile", "remark": "free_text",
    }
    assert all(c.suspected for c in r.columns)


def test_data_map_hook_through_the_table_context(clf: Classifier) -> None:
    from pi_scanner.classify.table_context import TableContext

    rows = [[i, "本周表现良好，按时到校，午睡安静"] for i in range(10)]
    s = _sample("t_record", ["id", "remark"], rows)
    assert clf.classify(s).columns == ()  # nothing says whose rows these are
    linked = clf.classify(s, TableContext(about_people=True))
    assert [c.category for c in linked.columns] == ["free_text"]
    assert clf.classify(s, TableContext(about_people=True), about_people=False).columns == ()


def test_age_column_gives_per_record_counts(clf: Classifier) -> None:
    rows = [["王芳", 8], ["李娜", "15岁"], ["张伟", 35], ["刘洋", "6"]] * 5
    s = Sample(AssetRef("db", AssetKind.TABLE, ("public", "members")),
               [ColumnInfo("xm"), ColumnInfo("nianling", "int")], rows)
    r = clf.classify(s)
    assert (r.ages.child, r.ages.minor_14_17, r.ages.adult) == (10, 5, 5)
    assert "stated_age_stale_prone" in r.notes  # no record date: the ages may lag behind
    assert [f.category for f in r.columns if f.name == "nianling"] == ["basic_profile"]


def test_age_column_is_moved_to_the_reference_date_by_the_record_date(clf: Classifier) -> None:
    rows = [["王芳", 12, dt.datetime(2020, 1, 1)], ["李娜", 12, dt.datetime(2026, 1, 1)]] * 5
    s = Sample(AssetRef("db", AssetKind.TABLE, ("public", "members")),
               [ColumnInfo("xm"), ColumnInfo("age", "int"), ColumnInfo("created_at", "datetime")], rows)
    r = clf.classify(s)
    assert (r.ages.child, r.ages.adult) == (5, 5)  # 12 in 2020 is 18 now
    assert "stated_age_dated" in r.notes


@pytest.mark.parametrize(
    ("note", "child"),
    [("孩子8周岁，请老师多关照", True), ("我家宝宝5岁了", True), ("my son is 7 and loves drawing", True),
     ("my son is 7 feet tall", False), ("本产品适用年龄3岁以上", False), ("我今年35岁", False)],
)
def test_third_person_child_in_free_text(clf: Classifier, note: str, child: bool) -> None:
    rows = [["13912345678", note]] * 3
    r = clf.classify(_sample("feedback", ["mobile", "content"], rows))
    assert (r.ages.child > 0) is child, r.ages


@pytest.mark.parametrize(
    ("table", "comment", "topic"),
    [
        ("student_vaccinations", "", "MEDICAL_INFO"),
        ("EDU_ZXXS_56_A41_JKJCJL", "", "MEDICAL_INFO"),  # 健康检查记录, MOE initials
        ("t_records", "健康检查记录表", "MEDICAL_INFO"),
        ("student_attendance", "", "EDUCATION_RECORD"),
        ("EDU_ZXXS_02_06_ZXKSCJ", "", "EDUCATION_RECORD"),  # 中学考试成绩
        ("tuition_payments", "", "MONEY_AMOUNT"),
        ("mdl_messages", "", "MESSAGE_CONTENT"),
        ("user_devices", "", "DEVICE_ID"),
        ("t_staff", "教职工信息", "OCCUPATION"),
        ("EDU_ZXJZ_01_01_JZGJBSJ", "", "OCCUPATION"),  # 教职工基本数据: not 就诊 (jz) health
        ("EDU_ZXJZ_17_A01_DYXX", "", "POLITICAL_AFFILIATION"),  # 党员信息
        ("t_complaint", "", "MESSAGE_CONTENT"),
        ("form_vitals", "", "MEDICAL_INFO"),
        ("gibbonMarkbookEntry", "", "EDUCATION_RECORD"),
        ("gibbonFirstAid", "", "MEDICAL_INFO"),
        # no-match rows
        ("students", "", None),
        ("EDU_ZXJZ_17_A03_ZZJG", "", None),  # the module prefix ZXJZ says nothing of the rows
        ("courses", "", None),
    ],
)
def test_table_topic(table: str, comment: str, topic: str | None) -> None:
    from pi_scanner.classify.people import table_topic

    assert table_topic(table, comment) == topic


def test_record_table_columns_take_its_topic_keys_and_flags_do_not(clf: Classifier) -> None:
    cols = ["id", "student_id", "vaccine_name", "dose", "given_on", "created_at", "active"]
    r = clf.classify(_sample("student_vaccinations", cols, []))
    got = {c.name: c.category for c in r.columns}
    assert got == {"vaccine_name": "health", "dose": "health", "given_on": "health"}
    assert clf.classify(_sample("vaccines", ["id", "vaccine_name", "dose"], [])).columns == ()


def test_flags_and_record_numbers_of_a_record_table_stay_none(clf: Classifier) -> None:
    cols = ["id", "student_id", "leave_type", "start_date", "status", "number", "sort", "XQID", "CJSJ", "paid"]
    r = clf.classify(_sample("student_leave", cols, []))
    got = {c.name for c in r.columns}
    assert got == {"leave_type", "start_date", "paid"}


@pytest.mark.parametrize(
    ("references", "persons", "want"),
    [
        # a record keyed by the person it is about, and a record of that record
        ({"form_vitals": {"pid": "patient_data"}, "patient_data": {}}, {"patient_data"},
         {"form_vitals": ("patient_data",)}),
        ({"invoice_row": {"invoice_id": "invoice"}, "invoice": {"head_of_family": "person"}}, {"person"},
         {"invoice": ("person",), "invoice_row": ("person",)}),
        # no-match rows: who created or checked a row, a thing pointing at its teacher, people themselves
        ({"notices": {"created_by": "users"}}, {"users"}, {}),
        ({"t_record": {"modifier_id": "users", "operator": "users"}}, {"users"}, {}),
        ({"courses": {"staff_id": "staff"}}, {"staff"}, {}),
        ({"guardians": {"student_id": "students"}}, {"students", "guardians"}, {}),
        ({"t_a": {"b_id": "t_b"}, "t_b": {"c_id": "t_c"}}, set(), {}),
    ],
)
def test_tables_about_people(
    references: dict[str, dict[str, str]], persons: set[str], want: dict[str, tuple[str, ...]]
) -> None:
    from pi_scanner.classify.people import tables_about_people

    assert tables_about_people(references, persons) == want


def test_schema_contexts_mark_records_about_people() -> None:
    """The data map's hook: a form keyed by ``pid`` (a link the map inferred) is about the patient."""
    from pi_scanner.datamap.context import TableShape, schema_contexts

    shapes = [
        TableShape("patient_data", ("pid", "fname", "DOB"), ("pid",)),
        TableShape("form_vitals", ("id", "pid", "bps", "bpd"), ("id",), {"pid": "patient_data.pid"}),
        TableShape("lists_options", ("id", "title"), ("id",)),
    ]
    ctx = schema_contexts(shapes)
    assert ctx["form_vitals"].about_people is True
    assert ctx["form_vitals"].people_tables == ("patient_data",)
    assert "lists_options" not in ctx or ctx["lists_options"].about_people is None


def test_records_of_a_patient_are_health_records(clf: Classifier) -> None:
    """An EHR form keyed by the patient's ``pid`` names no topic: pointing at a patient makes it health."""
    from pi_scanner.classify.table_context import TableContext

    ctx = TableContext(about_people=True, people_tables=("patient_data",))
    cols = ["id", "date", "pid", "user", "groupname", "authorized", "activity", "subjective", "objective",
            "assessment", "plan"]
    r = clf.classify(_sample("form_notes", cols, []), ctx)
    assert {c.name: c.category for c in r.columns} == {
        n: "health" for n in ("date", "subjective", "objective", "assessment", "plan")
    }
    # an ``amount`` in an immunisation is a dose, not money
    r = clf.classify(_sample("immunizations", ["id", "patient_id", "amount_administered", "lot_number"], []), ctx)
    assert {c.name: c.category for c in r.columns} == {"amount_administered": "health", "lot_number": "health"}
    # no-match: the same form pointing at nobody's table, and a student's record
    assert clf.classify(_sample("form_notes", cols, []), TableContext()).columns == ()
    ctx = TableContext(about_people=True, people_tables=("students",))
    assert clf.classify(_sample("form_notes", cols, []), ctx).columns == ()


def test_message_tables_are_their_authors_and_bodies_are_messages(clf: Classifier) -> None:
    body = "老师您好，我家孩子今年8岁了，明天请假一天，谢谢！"
    rows = [[i, i % 3, body, f"2025-01-0{1 + i % 9}"] for i in range(12)]
    r = clf.classify(_sample("t_complaint", ["id", "create_by_id", "content", "create_time"], rows))
    assert {c.name: c.category for c in r.columns} == {"content": "communications"}
    # no-match: a notice board written by the school names no one
    assert clf.classify(_sample("notices", ["id", "title", "content", "created_by"], [])).columns == ()


def test_a_pupils_record_of_no_named_kind_keeps_only_its_period(clf: Classifier) -> None:
    from pi_scanner.classify.table_context import TableContext

    ctx = TableContext(about_people=True, people_tables=("child",))
    cols = ["id", "child_id", "start_date", "end_date", "option_id", "shift_care", "updated_at"]
    r = clf.classify(_sample("service_need", cols, []), ctx)
    assert {c.name: c.category for c in r.columns} == {"start_date": "education_work", "end_date": "education_work"}
    # no-match: a gradebook's own bookkeeping (limits, exports, overrides)
    cols = ["id", "userid", "finalgrade", "feedback", "locktime", "exported", "overridden", "aggregationweight"]
    r = clf.classify(_sample("mdl_grade_grades", cols, []), TableContext(about_people=True))
    assert {c.name for c in r.columns} == {"finalgrade", "feedback"}


def test_an_account_filled_with_e_mails_is_the_account(clf: Classifier) -> None:
    rows = [[i, f"parent{i}@example.com", f"小{i}", f"parent{i}@example.com"] for i in range(10)]
    r = clf.classify(_sample("citizen_user", ["id", "username", "nickname", "email"], rows))
    got = {c.name: c.category for c in r.columns}
    assert got["username"] == "online_identity" and got["nickname"] == "online_identity"
    assert got["email"] == "basic_profile"  # no-match: a column named as an e-mail stays the person's e-mail


@pytest.mark.parametrize(
    ("column", "topic", "want"),
    [
        # what a message says, not its kind, time, link or addressee
        ("content", "MESSAGE_CONTENT", True),
        ("smallmessage", "MESSAGE_CONTENT", True),
        ("reply_content", "MESSAGE_CONTENT", True),
        ("message_type", "MESSAGE_CONTENT", False),
        ("reply_time", "MESSAGE_CONTENT", False),
        ("contexturlname", "MESSAGE_CONTENT", False),
        ("fullmessagetrust", "MESSAGE_CONTENT", False),
        ("attachment_content_type", "MESSAGE_CONTENT", False),
        # who graded or imported a record is a link to staff
        ("grader", "EDUCATION_RECORD", False),
        ("importer", "EDUCATION_RECORD", False),
        ("finalgrade", "EDUCATION_RECORD", True),
        # a bill's or a stock movement's kind flags are not money; a pupil's pass flag is the result
        ("is_absolute", "MONEY_AMOUNT", False),
        ("BLL_IS_PAT", "MONEY_AMOUNT", False),
        ("MMVN_IS_PATIENT", "MEDICAL_INFO", False),
        ("amount", "MONEY_AMOUNT", True),
        ("is_failed", "EDUCATION_RECORD", True),
    ],
)
def test_topic_column(column: str, topic: str, want: bool) -> None:
    from pi_scanner.classify.people import topic_column

    assert topic_column(column, False, topic, "t_record") is want


def test_a_glued_bare_name_of_a_record_is_the_things(clf: Classifier) -> None:
    """``recipename`` of ``tbl_recipe`` is the recipe's name even in a table linked to children."""
    from pi_scanner.classify.table_context import TableContext

    ctx = TableContext(about_people=True)
    assert clf.classify(_sample("tbl_recipe", ["recipeid", "recipename", "kid"], []), ctx).columns == ()
    r = clf.classify(_sample("tbl_healther", ["healtherid", "healthername", "healthersex"], []))
    assert {c.name: c.category for c in r.columns} == {"healthername": "basic_profile", "healthersex": "basic_profile"}


@pytest.mark.parametrize(
    ("table", "column", "about"),
    [
        # the teacher an assignment or a completed roll belongs to: the staff member's work, about no one
        ("gradebook_assignments", "staff_id", False),
        ("attendance_completed", "staff_id", False),
        ("hostels", "employee_id", False),
        # records of the staff member themselves: their leaves, their pay
        ("apply_leaves", "employee_id", True),
        ("accounting_payments", "staff_id", True),
        ("employee_attendances", "employee_id", True),
        # a pupil's record stays the pupil's
        ("gradebook_grades", "student_id", True),
    ],
)
def test_a_reference_to_the_responsible_staff_member(table: str, column: str, about: bool) -> None:
    from pi_scanner.classify.people import tables_about_people

    target = "students" if column == "student_id" else "staff"
    assert (table in tables_about_people({table: {column: target}}, {target})) is about


def test_an_outlets_own_contacts_are_nobodys_and_its_managers_are_theirs(clf: Classifier) -> None:
    """docs/labelling.md: a store's ``manager_phone`` is the manager's; its plain ``phone`` is the store's."""
    rows = [[i, f"门店{i}", "张伟", f"1381234{i:04d}", f"1391234{i:04d}", f"北京市朝阳区建国路{i}号"]
            for i in range(10)]
    cols = ["id", "store_name", "manager", "manager_phone", "phone", "address"]
    got = {c.name: c.category for c in clf.classify(_sample("yun_store", cols, rows)).columns}
    assert got == {"manager": "basic_profile", "manager_phone": "basic_profile"}
    rows = [[i, "张伟", f"1381234{i:04d}"] for i in range(10)]
    got = {c.name: c.category for c in clf.classify(_sample("sys_dept", ["dept_id", "leader", "phone"], rows)).columns}
    assert got == {"leader": "basic_profile"}


@pytest.mark.parametrize(
    ("column", "audit"),
    [
        ("create_by", True),
        ("confirm_user", True),
        ("register_user", True),
        ("audit_user_id", True),
        # no-match: the person the row is about, or a date of it
        ("user_id", False),
        ("pay_user", False),
        ("register_date", False),
    ],
)
def test_audit_reference(column: str, audit: bool) -> None:
    from pi_scanner.classify.people import audit_reference

    assert audit_reference(column) is audit
