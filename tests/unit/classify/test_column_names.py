import pytest

from pi_scanner.classify.column_names import name_hints, tokenize


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("phone1CountryCode", ["phone", "1", "country", "code"]),
        ("parent2_mobile", ["parent", "2", "mobile"]),
        ("JHR_DH", ["jhr", "dh"]),
        ("StudentPersonID", ["student", "person", "id"]),
        ("监护人电话", ["监护人电话"]),
        ("ｓｆｚｈ", ["sfzh"]),
    ],
)
def test_tokenize(name: str, tokens: list[str]) -> None:
    assert tokenize(name) == tokens


@pytest.mark.parametrize(
    ("name", "entity", "role"),
    [
        ("XM", "PERSON_NAME", "unknown"),
        ("CSRQ", "DATE_OF_BIRTH", "unknown"),
        ("JTZZ", "CN_ADDRESS", "unknown"),
        ("JHR_DH", "CN_MOBILE", "guardian"),
        ("GX", "GUARDIAN_RELATION", "guardian"),
        ("sfzh", "CN_RESIDENT_ID", "unknown"),
        ("sfzjh", "CN_RESIDENT_ID", "unknown"),
        ("xjh", "CN_STUDENT_NUMBER", "unknown"),
        ("lxdh", "CN_MOBILE", "unknown"),
        ("sjh", "CN_MOBILE", "unknown"),
        ("jhrsfzh", "CN_RESIDENT_ID", "guardian"),
        ("jzdh", "CN_MOBILE", "guardian"),
        ("jzxm", "PERSON_NAME", "guardian"),
        ("身份证号", "CN_RESIDENT_ID", "unknown"),
        ("出生日期", "DATE_OF_BIRTH", "unknown"),
        ("监护人电话", "CN_MOBILE", "guardian"),
        ("家长姓名", "PERSON_NAME", "guardian"),
        ("母亲手机", "CN_MOBILE", "guardian"),
        ("parent2_mobile", "CN_MOBILE", "guardian"),
        ("phone1", "CN_MOBILE", "unknown"),
        ("mobile", "CN_MOBILE", "unknown"),
        ("bound_phone", "CN_MOBILE", "unknown"),
        ("staff_home_phone", "CN_LANDLINE", "unknown"),
        ("emergency_contact", "CN_MOBILE", "guardian"),
        ("guardian_name", "PERSON_NAME", "guardian"),
        ("father_id_card", "CN_RESIDENT_ID", "guardian"),
        ("id_no", "CN_RESIDENT_ID", "unknown"),
        ("idCard", "CN_RESIDENT_ID", "unknown"),
        ("birth_date", "DATE_OF_BIRTH", "unknown"),
        ("birthDate", "DATE_OF_BIRTH", "unknown"),
        ("student_name", "PERSON_NAME", "subject"),
        ("school_name", "SCHOOL_NAME", "unknown"),
        ("e_mail", "EMAIL_ADDRESS", "unknown"),
        ("birth_cert_no", "CN_BIRTH_CERTIFICATE", "unknown"),
        # English clinical vocabulary, snake_case, camelCase, abbreviations, Chinese, pinyin
        ("bps", "MEDICAL_INFO", "unknown"),
        ("bp_sys", "MEDICAL_INFO", "unknown"),
        ("hgt", "MEDICAL_INFO", "unknown"),
        ("temp_method", "MEDICAL_INFO", "unknown"),
        ("head_circ", "MEDICAL_INFO", "unknown"),
        ("oxygen_saturation", "MEDICAL_INFO", "unknown"),
        ("bloodPressure", "MEDICAL_INFO", "unknown"),
        ("ICD10", "MEDICAL_INFO", "unknown"),
        ("dosage", "MEDICAL_INFO", "unknown"),
        ("血压", "MEDICAL_INFO", "unknown"),
        ("xueya", "MEDICAL_INFO", "unknown"),
        # markbooks and behaviour
        ("attainmentValue", "EDUCATION_RECORD", "unknown"),
        ("effort_value", "EDUCATION_RECORD", "unknown"),
        ("homework", "EDUCATION_RECORD", "unknown"),
        ("作业得分", "EDUCATION_RECORD", "unknown"),
        ("scholarship_amount", "MONEY_AMOUNT", "unknown"),
    ],
)
def test_hints(name: str, entity: str, role: str) -> None:
    h = name_hints(name)
    assert entity in h.entities
    assert h.role == role
    assert 0 < h.strength <= 1


@pytest.mark.parametrize(
    "name",
    [
        "StudentPersonID", "mail_id", "mail_datetime", "phone1Type", "phone1CountryCode",
        "state_code", "created_at", "order_no", "order_id", "email_verified",
        "id", "student_id", "updated_time",
        # no-match rows of the clinical and money vocabulary
        "due_date", "statusmessage", "statusMessage", "error_message",
    ],
)
def test_not_pi(name: str) -> None:
    h = name_hints(name)
    assert h.entities == ()
    assert h.strength == 0


def test_birth_certificate_is_not_a_birth_date() -> None:
    assert "DATE_OF_BIRTH" not in name_hints("birth_cert_no").entities
    assert "DATE_OF_BIRTH" not in name_hints("出生医学证明编号").entities


def test_date_column_only_for_birth_dates() -> None:
    assert name_hints("CSRQ").date_column
    assert name_hints("出生日期").date_column
    assert not name_hints("created_at").date_column
    assert not name_hints("sfzh").date_column


@pytest.mark.parametrize("name", ["is_minor", "minor_mode", "teen_mode", "青少年模式", "age_group",
                                  "parent_account_id", "child_account"])
def test_minor_flags(name: str) -> None:
    assert name_hints(name).minor_flag


def test_non_pi_marker() -> None:
    assert name_hints("order_no").non_pi
    assert name_hints("订单号").non_pi
    assert not name_hints("sfzh").non_pi


def test_comment_fills_opaque_name_and_table_sets_role() -> None:
    h = name_hints("col_17", comment="监护人电话")
    assert "CN_MOBILE" in h.entities and h.role == "guardian"
    assert h.strength < name_hints("监护人电话").strength
    assert name_hints("phone", table_name="guardians").role == "guardian"
    assert name_hints("phone", table_name="students").role == "subject"
    # the table name never invents entities
    assert name_hints("col_17", table_name="students").entities == ()


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        # PostgreSQL folds unquoted camelCase; lower-case concatenations are common anyway.
        ("nameincharacters", ["name", "in", "characters"]),
        ("phone1countrycode", ["phone", "1", "country", "code"]),
        ("parentemail", ["parent", "email"]),
        ("dateofbirth", ["date", "of", "birth"]),
        ("emailalternate", ["email", "alternate"]),
        ("homeaddress", ["home", "address"]),
        # negatives: words that contain words, pinyin, and runs with an unknown piece stay whole
        ("ethnicity", ["ethnicity"]),
        ("username", ["username"]),
        ("password", ["password"]),
        ("xsxm", ["xsxm"]),
        ("gibbonpersonid", ["gibbonpersonid"]),
        ("birthday", ["birthday"]),
    ],
)
def test_tokenize_folded(name: str, tokens: list[str]) -> None:
    assert tokenize(name) == tokens


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("nameincharacters", "PERSON_NAME"), ("dateofbirth", "DATE_OF_BIRTH"), ("parentemail", "EMAIL_ADDRESS"),
        ("preferredname", "PERSON_NAME"), ("nationalidcardnumber", "CN_RESIDENT_ID"),
        ("emailalternate", "EMAIL_ADDRESS"), ("lastschool", "SCHOOL_NAME"), ("homeaddress", "CN_ADDRESS"),
        ("ethnicity", "ETHNICITY"), ("username", "USERNAME"), ("lastipaddress", "IP_ADDRESS"),
    ],
)
def test_folded_names_keep_their_entity(name: str, entity: str) -> None:
    assert entity in name_hints(name).entities


@pytest.mark.parametrize(
    "name",
    ["statecode", "mailid", "phone1countrycode", "countryofbirth",
     "birthcertificatescan", "citizenship1passportexpiry", "address1district", "passwordstrongsalt"],
)
def test_folded_names_without_pi(name: str) -> None:
    assert name_hints(name).entities == ()


def test_folded_guardian_role() -> None:
    assert name_hints("parentemail").role == "guardian"
    assert name_hints("mothername").role == "guardian"


def test_mail_address_may_be_postal_or_email_and_values_decide() -> None:
    assert set(name_hints("mail_address").entities) == {"EMAIL_ADDRESS", "CN_ADDRESS"}
    assert name_hints("email_address").entities == ("EMAIL_ADDRESS",)
    assert name_hints("emailAddress").entities == ("EMAIL_ADDRESS",)
    assert name_hints("mail_id").entities == ()


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("studentdetails", "FREE_TEXT"),  # a folded ``…details`` is prose about the row's person
        ("nickname", "USERNAME"),  # a screen name is an online identity, not the legal name
        ("studentlng", "GEO_COORDINATES"),
        ("marital_status", "MARITAL_STATUS"),
        ("bank_details", "MONEY_AMOUNT"),
    ],
)
def test_folded_suffixes_and_attribute_statuses(name: str, entity: str) -> None:
    assert name_hints(name).entities[:1] == (entity,)


@pytest.mark.parametrize(
    ("column", "table", "entity"),
    [
        # the table's noun glued to every column (small vendors' schemas)
        ("healthersex", "tbl_healther", "GENDER"),
        ("rectorage", "tbl_rector", "AGE_TEXT"),
        ("studentname", "tbl_student", "PERSON_NAME"),
        # a folded name ending in the attribute
        ("teacherusex", "xrk_teachers", "GENDER"),
        ("adminheadurl", "tbl_admin", "PHOTO"),
        # no-match: nothing glued, or the rest says nothing
        ("userstatus", "users", None),
        ("kinderscale", "tbl_kinder", None),
        ("parentson", "tbl_student", None),
    ],
)
def test_table_noun_glued_to_the_column(column: str, table: str, entity: str | None) -> None:
    hint = name_hints(column, table)
    assert (hint.entities[:1] or (None,))[0] == entity


def test_a_timestamp_of_a_message_is_no_message() -> None:
    assert name_hints("last_message_timestamp").entities == ()
    assert name_hints("birth_timestamp").entities == ("DATE_OF_BIRTH",)
