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
    keyish,
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


def test_names_no_reference_carries_never_link() -> None:
    # A unique ``name`` or ``sortorder`` somewhere does not make every ``name`` column a reference.
    role = _t("mdl_role", {"id": "int", "name": "varchar(20)", "shortname": "varchar(20)", "sortorder": "int"},
              ("id",), unique=(("name",), ("shortname",), ("sortorder",)))
    course = _t("mdl_course", {"id": "int", "name": "varchar(20)", "shortname": "varchar(20)", "sortorder": "int"},
                ("id",))
    forum = _t("mdl_forum", {"id": "int", "name": "varchar(20)", "course": "int"}, ("id",))
    labels = _labels([role, course, forum])
    assert not any(lbl.split(" -> ")[1].startswith("mdl_role.") for lbl in labels)
    # ... while the bare entity name of an integer column is one.
    assert "mdl_forum.course -> mdl_course.id" in labels


def test_bare_entity_needs_a_singular_key_typed_column() -> None:
    users = _t("users", {"id": "int", "student": "tinyint(1)", "comments": "int"}, ("id",))
    student = _t("student", {"id": "int"}, ("id",))
    comment = _t("comment", {"id": "int"}, ("id",))
    assert _labels([users, student, comment]) == {}


def test_role_named_people_columns() -> None:
    user = _t("mdl_user", {"id": "bigint", "username": "varchar(20)"}, ("id",))
    msg = _t("mdl_message", {"id": "bigint", "useridfrom": "bigint", "user_id_to": "bigint",
                             "relateduserid": "bigint", "usermodified": "bigint", "usercount": "bigint"}, ("id",))
    labels = _labels([user, msg, _t("mdl_course", {"id": "bigint"}, ("id",))])
    for col in ("useridfrom", "user_id_to", "relateduserid", "usermodified"):
        assert f"mdl_message.{col} -> mdl_user.id" in labels
    assert not any(lbl.startswith("mdl_message.usercount") for lbl in labels)


def test_audit_columns_with_verbs_and_column_prefixes() -> None:
    user = _t("oh_user", {"us_id_a": "varchar(50)", "us_desc": "varchar(50)", "us_passwd": "varchar(60)"},
              ("us_id_a",))
    dicom = _t("oh_dicomtype", {"dcmt_id": "varchar(10)", "dcmt_desc": "varchar(50)",
                                "dcmt_created_by": "varchar(50)", "dcmt_last_modified_by": "varchar(50)"}, ("dcmt_id",))
    ruoyi_user = _t("sys_user", {"user_id": "bigint", "user_name": "varchar(30)"}, ("user_id",))
    post = _t("yun_post", {"id": "bigint", "create_by": "varchar(64)", "create_by_id": "bigint",
                           "order_by": "varchar(64)"}, ("id",))
    labels = _labels([user, dicom])
    assert "oh_dicomtype.dcmt_created_by -> oh_user.us_id_a" in labels
    assert "oh_dicomtype.dcmt_last_modified_by -> oh_user.us_id_a" in labels
    labels = _labels([ruoyi_user, post])
    assert "yun_post.create_by -> sys_user.user_name" in labels
    assert "yun_post.create_by_id -> sys_user.user_id" in labels
    assert not any(lbl.startswith("yun_post.order_by") for lbl in labels)


def test_parent_row_of_a_tree_and_parent_person_elsewhere() -> None:
    dept = _t("sys_dept", {"dept_id": "bigint", "parent_id": "bigint", "dept_name": "varchar(30)"}, ("dept_id",))
    parents = _t("tbl_parent", {"parentid": "int", "parentname": "varchar(30)"}, ("parentid",))
    work = _t("tbl_work", {"workid": "int", "parentid": "int", "title": "varchar(30)"}, ("workid",))
    labels = _labels([dept, parents, work])
    assert "sys_dept.parent_id -> sys_dept.dept_id" in labels
    assert "tbl_work.parentid -> tbl_parent.parentid" in labels


def test_a_settings_row_keyed_by_the_school_key_is_not_the_school() -> None:
    # MOE tables: ZXXX (中小学校) is the school, GRXXBJKG (a per-school switch) is keyed by SCHOOLID.
    school = _t("EDU_ZXXX_01_01_ZXXX", {"ID": "int", "XXMC": "nvarchar(60)"}, ("ID",))
    switch = _t("EDU_ZXJZ_01_A03_GRXXBJKG", {"SCHOOLID": "int", "SFKQ": "nvarchar(1)"}, ("SCHOOLID",))
    pupils = _t("EDU_ZXXS_01_01_XSXX", {"ID": "int", "SCHOOLID": "int", "XH": "nvarchar(20)"}, ("ID", "SCHOOLID"))
    labels = _labels([school, switch, pupils])
    assert "EDU_ZXXS_01_01_XSXX.SCHOOLID -> EDU_ZXXX_01_01_ZXXX.ID" in labels


def test_year_versioned_key_and_own_key() -> None:
    schools = _t("schools", {"syear": "numeric(4,0)", "id": "integer", "title": "varchar(100)"}, ("id", "syear"))
    config = _t("config", {"school_id": "integer", "title": "varchar(100)"})
    items = _t("food_service_items", {"item_id": "integer", "school_id": "integer"}, ("item_id",))
    menu_items = _t("food_service_menu_items", {"menu_item_id": "integer", "item_id": "integer"}, ("menu_item_id",))
    labels = _labels([schools, config, items, menu_items])
    assert "config.school_id -> schools.id" in labels
    assert "food_service_menu_items.item_id -> food_service_items.item_id" in labels
    assert not any(lbl.startswith("food_service_items.item_id") for lbl in labels)


def test_pinyin_entities_and_keyish() -> None:
    assert ("school",) in dict(entities("EDU_ZXXX_01_01_ZXXX", "edu"))
    assert ("js",) in dict(entities("EDU_ZXJZ_01_01_JZGJBSJ", "edu"))
    assert keyish("student_no") and keyish("XH") and keyish("us_id_a") and keyish("幼儿编号")
    assert keyish("job_name", [(("job",), 1.0)])
    assert not keyish("name") and not keyish("sortorder") and not keyish("shortname") and not keyish("token")


def test_initials_link_only_when_the_values_single_one_table_out() -> None:
    student = _t("tbl_student", {"studentid": "int", "studentname": "varchar(20)"}, ("studentid",))
    security = _t("tbl_security", {"securityid": "int", "securityname": "varchar(20)"}, ("securityid",))
    exam = _t("tbl_examination", {"examinationid": "int", "sid": "int"}, ("examinationid",))
    cands = [c for c in name_candidates([student, security, exam]) if c.column == "sid"]
    assert {c.to_path[-1] for c in cands} == {"tbl_student", "tbl_security"}
    assert not any(link.accepted for link in choose_parents("db", cands))  # names alone: no link
    by_table = {c.to_path[-1]: c for c in cands}
    (won,) = choose_parents("db", cands, {by_table["tbl_student"]: Containment(1.0),
                                          by_table["tbl_security"]: Containment(0.1)})
    assert won.accepted and won.to_path[-1] == "tbl_student"
    (tie,) = choose_parents("db", cands, {c: Containment(1.0) for c in cands})
    assert not tie.accepted and "ambiguous" in tie.evidence


def test_copies_fk_names_and_pid() -> None:
    students = _t("students", {"student_id": "int", "name": "varchar(20)"}, ("student_id",))
    backup = _t("students_bak", {"student_id": "int", "name": "varchar(20)", "extra": "int"}, ("student_id",))
    marks = _t("marks", {"id": "int", "student_id": "int", "fk_class": "int"}, ("id",))
    classes = _t("classes", {"id": "int"}, ("id",))
    labels = _labels([students, backup, marks, classes])
    assert "marks.student_id -> students.student_id" in labels
    assert "marks.fk_class -> classes.id" in labels
    # OpenEMR: ``pid`` is the patient's key even in a table of tree words
    patients = _t("patient_data", {"id": "int", "pid": "int", "fname": "varchar(20)"}, ("id",), unique=(("pid",),))
    element = _t("tracker_element", {"id": "int", "pid": "int"}, ("id",))
    assert "tracker_element.pid -> patient_data.pid" in _labels([patients, element])


def test_person_roles_polymorphic_references_and_numbers() -> None:
    users = _t("mdl_user", {"id": "bigint", "username": "varchar(20)"}, ("id",))
    grades = _t("mdl_assign_grades", {"id": "bigint", "grader": "bigint", "allocatedmarker": "bigint",
                                      "itemnumber": "bigint", "author": "varchar(50)"}, ("id",))
    items = _t("mdl_grade_items", {"id": "bigint"}, ("id",))
    fees = _t("fee_discounts", {"id": "bigint", "receiver_id": "bigint", "receiver_type": "varchar(20)"}, ("id",))
    labels = _labels([users, grades, items, fees])
    assert "mdl_assign_grades.grader -> mdl_user.id" in labels
    assert "mdl_assign_grades.allocatedmarker -> mdl_user.id" in labels
    assert not any(lbl.startswith(("mdl_assign_grades.itemnumber", "mdl_assign_grades.author", "fee_discounts."))
                   for lbl in labels)


def test_a_key_named_for_its_entity() -> None:
    # MOE grade table 年级 (SCHOOLID, NJ): NJ is the grade itself, and NJID / NJ elsewhere point at it.
    grade = _t("EDU_ZXXX_02_01_NJ", {"SCHOOLID": "int", "NJ": "nvarchar(10)", "NJMC": "nvarchar(30)"},
               ("SCHOOLID", "NJ"))
    exam = _t("EDU_ZXXS_02_06_ZXKSCJ", {"ID": "int", "SCHOOLID": "int", "NJID": "nvarchar(10)"}, ("ID", "SCHOOLID"))
    pupil = _t("EDU_ZXXS_01_01_XSXX", {"ID": "int", "SCHOOLID": "int", "NJ": "nvarchar(10)"}, ("ID", "SCHOOLID"))
    labels = _labels([grade, exam, pupil])
    assert "EDU_ZXXS_02_06_ZXKSCJ.NJID -> EDU_ZXXX_02_01_NJ.NJ" in labels
    assert "EDU_ZXXS_01_01_XSXX.NJ -> EDU_ZXXX_02_01_NJ.NJ" in labels


def test_id_lists_are_left_out_and_providers_are_users() -> None:
    person = _t("gibbonPerson", {"gibbonPersonID": "int"}, ("gibbonPersonID",))
    year = _t("gibbonYearGroup", {"gibbonYearGroupID": "int"}, ("gibbonYearGroupID",))
    course = _t("gibbonCourse", {"gibbonCourseID": "int", "gibbonYearGroupIDList": "varchar(255)"},
                ("gibbonCourseID",))
    assert not any(lbl.startswith("gibbonCourse.gibbonYearGroupIDList") for lbl in _labels([person, year, course]))
    vitals = _t("form_vitals", {"id": "bigint", "provider_id": "bigint"}, ("id",))
    users = _t("users", {"id": "bigint", "username": "varchar(20)"}, ("id",))
    assert "form_vitals.provider_id -> users.id" in _labels([vitals, users])


def test_a_history_copy_points_at_its_base_table() -> None:
    cats = _t("mdl_grade_categories", {"id": "bigint", "parent": "bigint", "fullname": "varchar(255)"}, ("id",))
    hist = _t("mdl_grade_categories_history", {"id": "bigint", "oldid": "bigint", "parent": "bigint"}, ("id",))
    labels = _labels([cats, hist, _t("mdl_course", {"id": "bigint"}, ("id",))])
    assert "mdl_grade_categories_history.oldid -> mdl_grade_categories.id" in labels
    assert "mdl_grade_categories_history.parent -> mdl_grade_categories.id" in labels
    assert "mdl_grade_categories.parent -> mdl_grade_categories.id" in labels


def test_moe_numbers_people_see() -> None:
    # 学号 (XH) keys the pupils' table and 工号 (GH) the staff table although neither is declared a key; a
    # role before them (班长学号 BZXH, 任课教师工号 RKJSGH) still points there; an integer XH is a 序号.
    pupils = _t("EDU_ZXXS_01_01_XSXX", {"ID": "int", "SCHOOLID": "int", "XH": "nvarchar(20)"}, ("ID", "SCHOOLID"))
    staff = _t("EDU_ZXJZ_01_01_JZGJBSJ", {"ID": "int", "SCHOOLID": "int", "GH": "nvarchar(20)"}, ("ID", "SCHOOLID"))
    klass = _t("EDU_ZXXX_03_01_BJ", {"SCHOOLID": "int", "BH": "nvarchar(10)", "BZXH": "nvarchar(20)",
                                     "BZRGH": "nvarchar(20)"}, ("SCHOOLID", "BH"))
    mentor = _t("EDU_ZXXS_57_A03_DSZDS", {"ID": "int", "SCHOOLID": "int", "XH": "int"}, ("ID", "SCHOOLID"))
    found = name_candidates([pupils, staff, klass, mentor])
    cands = {(c.from_path[-1], c.column, c.to_path[-1], c.key) for c in found}
    # below the threshold until the values agree, but candidates
    assert ("EDU_ZXXX_03_01_BJ", "BZXH", "EDU_ZXXS_01_01_XSXX", "XH") in cands
    assert ("EDU_ZXXX_03_01_BJ", "BZRGH", "EDU_ZXJZ_01_01_JZGJBSJ", "GH") in cands
    assert not any(c.from_path[-1] == "EDU_ZXXS_57_A03_DSZDS" and c.column == "XH" for c in found)


def test_user_id_means_the_staff_login_table_where_no_users_table_holds_logins() -> None:
    # RosarioSIS-shaped: ``user_profiles`` is a list of roles, the staff sign in; ``user_id`` and a seller
    # are staff, while a text ``created_by`` (a display name as often as a login) is left out.
    staff = _t("staff", {"staff_id": "int", "username": "varchar(100)", "password": "varchar(106)"}, ("staff_id",))
    profiles = _t("user_profiles", {"id": "int", "title": "varchar(100)"}, ("id",))
    pupils = _t("students", {"student_id": "int", "username": "varchar(100)", "password": "varchar(106)"},
                ("student_id",))
    config = _t("program_user_config", {"user_id": "int", "title": "varchar(100)"})
    sales = _t("food_service_transactions", {"transaction_id": "int", "seller_id": "int",
                                             "created_by": "varchar(255)"}, ("transaction_id",))
    labels = _labels([staff, profiles, pupils, config, sales])
    assert "program_user_config.user_id -> staff.staff_id" in labels
    assert "food_service_transactions.seller_id -> staff.staff_id" in labels
    assert not any(label.startswith("food_service_transactions.created_by") for label in labels)


def test_a_users_table_with_logins_keeps_user_id() -> None:
    staff = _t("staff", {"staff_id": "int", "username": "varchar(100)", "password": "varchar(106)"}, ("staff_id",))
    users = _t("users", {"id": "int", "username": "varchar(100)", "password": "varchar(106)"}, ("id",))
    notes = _t("notes", {"id": "int", "user_id": "int"}, ("id",))
    assert "notes.user_id -> users.id" in _labels([staff, users, notes])


def test_the_parent_qualified_by_the_rows_own_words_wins() -> None:
    # Several ``*_categories`` tables: ``category_id`` of ``address_fields`` is an address field category,
    # although another table's key is literally called ``category_id``.
    food = _t("food_service_categories", {"category_id": "int", "title": "varchar(255)"}, ("category_id",))
    address = _t("address_field_categories", {"id": "int", "title": "varchar(255)"}, ("id",))
    staff = _t("staff_field_categories", {"id": "int", "title": "varchar(255)"}, ("id",))
    fields = _t("address_fields", {"id": "int", "category_id": "int"}, ("id",))
    staff_fields = _t("staff_fields", {"id": "int", "category_id": "int"}, ("id",))
    labels = _labels([food, address, staff, fields, staff_fields])
    assert "address_fields.category_id -> address_field_categories.id" in labels
    assert "staff_fields.category_id -> staff_field_categories.id" in labels


def test_a_bare_attribute_column_is_no_reference() -> None:
    # A workflow engine's ``TYPE_`` is the row's own kind, although the dictionary keeps a unique ``type``;
    # ``dict_type`` (the dictionary's name for it) still points there.
    dicts = _t("system_dict_type", {"id": "bigint", "type": "varchar(100)"}, ("id",), unique=(("type",),))
    log = _t("act_evt_log", {"LOG_NR_": "bigint", "TYPE_": "varchar(64)"}, ("LOG_NR_",))
    data = _t("system_dict_data", {"id": "bigint", "dict_type": "varchar(100)"}, ("id",))
    labels = _labels([dicts, log, data])
    assert not any(label.startswith("act_evt_log.TYPE_") for label in labels)
    assert "system_dict_data.dict_type -> system_dict_type.type" in labels


def test_a_text_creator_holds_the_user_name_unless_the_values_say_the_id() -> None:
    users = _t("system_users", {"id": "bigint", "username": "varchar(30)", "password": "varchar(100)"}, ("id",))
    form = _t("bpm_form", {"id": "bigint", "creator": "varchar(64)"}, ("id",))
    cands = [c for c in name_candidates([users, form]) if c.column == "creator"]
    by_key = {c.key: c for c in cands}
    assert set(by_key) == {"username", "id"}
    # names only: the user name; the values find ids, not names: the key
    assert _pick(cands, {}) == "system_users.username"
    assert _pick(cands, {by_key["username"]: Containment(0.0), by_key["id"]: Containment(1.0)}) == "system_users.id"


def _pick(cands: list[Candidate], checked: dict[Candidate, Containment]) -> str | None:
    links = [link for link in choose_parents("db", cands, checked) if link.accepted]
    return f"{links[0].to_path[-1]}.{links[0].to_columns[0]}" if links else None


def test_a_login_logs_username_is_the_users() -> None:
    users = _t("sys_user", {"user_id": "bigint", "user_name": "varchar(30)", "password": "varchar(100)"},
               ("user_id",))
    log = _t("sys_logininfor", {"info_id": "bigint", "user_name": "varchar(50)", "ipaddr": "varchar(128)"},
             ("info_id",))
    assert "sys_logininfor.user_name -> sys_user.user_name" in _labels([users, log])


def test_pinyin_student_number_and_dated_shards() -> None:
    # 学员信息表 keyed by its 学号 (xuehao) in full pinyin; one year's tables point at that year's pupils.
    pupils = _t("stjy_xyxxb", {"id": "int", "xuehao": "varchar(255)", "xingming": "varchar(255)"}, ("id",))
    pupils26 = _t("stjy_xyxxb_2026", {"id": "int", "xuehao": "varchar(10)", "xingming": "varchar(20)"}, ("id",))
    fees = _t("stjy_kxmxb", {"id": "int", "xuehao": "varchar(255)"}, ("id",))
    fees26 = _t("stjy_kxmxb_2026", {"id": "int", "xuehao": "varchar(10)"}, ("id",))
    other = _t("stjy_admin", {"id": "int", "username": "varchar(20)"}, ("id",))
    labels = _labels([pupils, pupils26, fees, fees26, other])
    assert "stjy_kxmxb.xuehao -> stjy_xyxxb.xuehao" in labels
    assert "stjy_kxmxb_2026.xuehao -> stjy_xyxxb_2026.xuehao" in labels


def test_empty_tables_follow_the_stores_audit_convention() -> None:
    # Two filled tables' text ``creator`` columns hold user ids (the values say so): an empty table's
    # ``creator`` holds an id too, not a user name.
    users = _t("system_users", {"id": "bigint", "username": "varchar(30)", "password": "varchar(100)"}, ("id",))
    tables = [users, *(_t(n, {"id": "bigint", "creator": "varchar(64)"}, ("id",)) for n in ("a", "b", "empty"))]
    cands = [c for c in name_candidates(tables) if c.column == "creator"]
    checked = {c: Containment(1.0 if c.key == "id" else 0.0) for c in cands if c.from_path[-1] != "empty"}
    links = {link.label: link for link in choose_parents("db", cands, checked)}
    assert links["empty.creator -> system_users.id"].accepted
    assert "store_convention" in links["empty.creator -> system_users.id"].evidence
    # without the others' values, the user name
    assert _pick([c for c in cands if c.from_path[-1] == "empty"], {}) == "system_users.username"


def test_pupils_kept_among_the_users() -> None:
    # Laravel-shaped: no pupils' table, the users hold pupils and teachers; ``assigned_teachers`` has a
    # ``teacher_id`` of its own, so it is where teachers are assigned, not the teacher.
    users = _t("users", {"id": "bigint", "email": "varchar(255)", "password": "varchar(255)"}, ("id",))
    assigned = _t("assigned_teachers", {"id": "bigint", "teacher_id": "bigint", "course_id": "bigint"}, ("id",))
    courses = _t("courses", {"id": "bigint", "course_name": "varchar(255)"}, ("id",))
    marks = _t("marks", {"id": "bigint", "student_id": "bigint", "course_id": "bigint"}, ("id",))
    assignments = _t("assignments", {"id": "bigint", "teacher_id": "bigint"}, ("id",))
    labels = _labels([users, assigned, courses, marks, assignments])
    assert "marks.student_id -> users.id" in labels
    assert "assignments.teacher_id -> users.id" in labels
    # with a pupils' table, ``student_id`` is theirs and never a user's
    pupils = _t("students", {"id": "bigint", "name": "varchar(40)"}, ("id",))
    cands = name_candidates([users, pupils, marks])
    assert {c.to_path[-1] for c in cands if c.column == "student_id"} == {"students"}
