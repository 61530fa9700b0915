"""Whether a table's rows are about people: decided before name-only hints are allowed to count.

A bare ``name``, ``title``, ``description`` or ``image`` is a person's PI in a ``students`` table and
nobody's in a ``courses``, ``settings`` or ``products`` table. Spec §A9 ("rules that keep precision")
asks to decide first whether the rows are about people, from

* what the rest of the schema says (a data map that knows the table links to people, the schema context's
  role of the rows);
* the table's own name (``students``, ``xs_jbxx``, ``家长信息``; ``courses``, ``settings``, ``dict``);
* its columns: a person-only attribute (birth date, ID number, gender), a person's name written as one
  (``first_name``, ``xm``), a role column, or a key that points at a person (``student_id``).

Types that are PI only where rows are people (``NEEDS_PEOPLE`` in the registry) and bare-name hints are
then dropped elsewhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from pi_scanner.classify.column_names import NameHint, tokenize, tokenize_table
from pi_scanner.classify.entities import CONTACT

#: Table-name words of people (the people themselves, not records about them: a ``fee_*`` table may be a
#: tariff; records about a person are recognised by the key that points at the person).
PERSON_TABLE_WORDS = frozenset({
    "student", "students", "stu", "pupil", "pupils", "child", "children", "kid", "kids", "infant", "infants",
    "baby", "babies", "person", "persons", "people", "user", "users", "member", "members", "staff",
    "teacher", "teachers", "employee", "employees", "parent", "parents", "guardian", "guardians", "family",
    "families", "patient", "patients", "applicant", "applicants", "contact", "contacts", "profile", "profiles",
    "account", "accounts", "customer", "customers", "learner", "learners", "ward", "wards", "player", "players",
    "xs", "xsxx", "xsjbxx", "jzg", "jz", "jzxx", "jhr", "jtcy", "ye", "yexx", "yh", "yhxx", "relative",
    "relatives", "citizen", "citizens", "kinder", "xuesheng", "youer", "jiazhang", "jiaoshi", "address",
    "admin", "admins", "administrator", "administrators", "manager", "managers", "rector", "principal",
    "addresses", "household", "households",
    # a person's own devices and logins
    "device", "devices", "login", "logins", "session", "sessions",
})
PERSON_TABLE_CJK = (
    "学生", "幼儿", "儿童", "家长", "监护人", "教师", "教职工", "员工", "用户", "会员", "人员", "患者", "成员",
    "学员", "宝宝", "孩子", "亲属", "联系人",
)
#: Head words of tables of things: settings, code tables, courses, products, classes, versions, logs.
THING_TABLE_WORDS = frozenset({
    "setting", "settings", "config", "configs", "configuration", "configurations", "option", "options",
    "dict", "dictionary", "dictionaries", "code", "codes", "lookup", "lookups", "type", "types", "category",
    "categories", "course", "courses", "subject", "subjects", "product", "products", "goods", "item",
    "items", "sku", "version", "versions", "menu", "menus", "permission", "permissions", "role", "roles",
    "module", "modules", "template", "templates", "tag", "tags", "class", "classes",
    "room", "rooms", "term", "terms", "semester", "semesters", "period", "periods", "school", "schools",
    "department", "departments", "dept", "org", "organisation", "organization", "region", "regions",
    "area", "areas", "city", "cities", "province", "provinces", "country", "countries",
    "job", "jobs", "task", "tasks", "queue", "cache", "migration", "migrations", "file", "files",
    "attachment", "attachments", "notice", "notices", "news", "article", "articles", "banner", "banners",
    "field", "fields", "form", "forms", "house", "houses", "group", "groups", "batch", "batches", "app",
    "apps", "bj", "nj", "dm", "zd", "xt", "jg", "sys", "system", "exam", "exams", "position", "positions",
    "discount", "discounts", "particular", "particulars", "threshold", "thresholds", "criteria", "element",
    "elements", "hospital", "hospitals", "supplier", "suppliers", "unit", "units", "telemetry", "daycare",
    "daycares", "pricelist", "pricelists", "table", "tables", "cohort", "cohorts", "section", "sections",
    "calendar", "calendars", "holiday", "holidays", "event", "events", "resource", "resources", "outcome",
    "outcomes", "scale", "scales", "definition", "definitions", "rule", "rules", "preference",
    "preferences",
})
THING_TABLE_CJK = ("字典", "代码", "配置", "设置", "课程", "产品", "商品", "菜单", "权限", "角色", "版本", "日志",
                   "班级", "年级", "学期", "学校信息", "部门", "机构", "公告", "新闻", "文章")
#: Entity types only a person has: a column hinting at one makes the rows people's.
PERSON_ONLY = frozenset({
    "DATE_OF_BIRTH", "CN_RESIDENT_ID", "CN_STUDENT_NUMBER", "GENDER", "ETHNICITY", "CN_PASSPORT",
    "CN_BIRTH_CERTIFICATE", "GUARDIAN_RELATION", "NATIVE_PLACE", "HUKOU_TYPE", "POLITICAL_AFFILIATION",
    "RELIGION", "MARITAL_STATUS", "AGE_TEXT", "BLOOD_TYPE", "WECHAT_OPENID",
})
#: Column words of a reference to a person (``student_id``, ``user_no``); who created a row does not count.
_PERSON_KEY_HEADS = frozenset({
    "student", "stu", "pupil", "child", "kid", "person", "user", "member", "patient", "parent", "guardian",
    "xs", "ye", "baby", "learner", "ward", "customer", "player", "account", "uid", "userid", "studentid",
    "pat", "ptt", "patientid", "personid", "childid", "xsid", "yeid", "xh", "jzgh",
})
_KEY_TAILS = frozenset({"id", "no", "num", "number", "code", "uid", "key", "xh"})
_ROLE_WORDS = frozenset({"role", "roles", "usertype", "identity", "sf", "rylx"})


#: Heads of one-word person keys (``XSID`` 学生ID, ``JZGJBSJID`` 教职工基本数据ID, ``userid``).
_ONE_WORD_KEY_HEADS = ("xs", "jzg", "ye", "yh", "stu", "student", "user", "person", "patient", "member", "child",
                       "kid", "pupil", "learner", "parent", "guardian", "jz", "jhr")


def _is_person_key(column: str) -> bool:
    tokens = [t for t in tokenize(column) if not t.isdigit()]
    if any(a in _PERSON_KEY_HEADS and b in _KEY_TAILS for a, b in itertools.pairwise(tokens)):
        return True  # ``useridfrom``, ``student_id_2``
    if tokens in (["xh"], ["uid"], ["xsxh"], ["sid"], ["stuid"], ["stid"]):
        return True
    if len(tokens) == 1 and tokens[0].endswith(("id", "xh")) and tokens[0].startswith(_ONE_WORD_KEY_HEADS):
        return True
    return len(tokens) >= 2 and tokens[-1] in _KEY_TAILS and tokens[-2] in _PERSON_KEY_HEADS


#: Column words that make a name column a person's (``first_name``, ``xm``), unlike ``vaccine_name``.
_PERSON_NAME_WORDS = frozenset({
    "first", "last", "given", "family", "middle", "surname", "firstname", "lastname", "fullname", "realname",
    "nickname", "legal", "preferred", "official", "xm", "xsxm", "xingming", "mingzi", "cym", "ywxm", "xmpy",
    "cengyongming", "fname", "lname", "forename",
})


#: Trailing table-name words that say nothing of what the rows are about.
_TRANSPARENT_TAILS = frozenset({"history", "histories", "log", "logs", "archive", "bak", "backup", "tmp", "temp",
                                "copy", "old", "new", "his", "ls", "rz", "detail", "details", "info", "data"})


def table_words_people(table: str, comment: str = "") -> bool | None:
    """What the table's name (and comment) alone says: True (people), False (things) or None."""
    tokens = [t for t in tokenize_table(table) if not t.isdigit()]
    latin = [t for t in tokens if t.isascii()]
    cjk = "".join(t for t in tokens if not t.isascii()) + (comment or "")
    # The head noun decides: ``employee_departments`` are departments, ``student_attendance`` is about
    # students (its rows point at them), ``course_students`` are students. A copy or a history of a table
    # is about what that table is about (``grade_items_history``).
    while len(latin) > 1 and latin[-1] in _TRANSPARENT_TAILS:
        latin = latin[:-1]
    if latin and latin[-1] in THING_TABLE_WORDS:
        return False
    if any(t in PERSON_TABLE_WORDS for t in latin) or any(w in cjk for w in PERSON_TABLE_CJK):
        return True
    if any(w in cjk for w in THING_TABLE_CJK):
        return False
    return None


def rows_are_people(
    table: str,
    columns: Sequence[str],
    hints: Sequence[NameHint],
    *,
    comment: str = "",
    confirmed: Sequence[frozenset[str]] = (),
    declared: bool | None = None,
    schema_role: str = "unknown",
) -> bool:
    """Whether the rows of a table are about people.

    Args:
        table: Table (or object) name.
        columns: Column names, in order.
        hints: The name hints of the columns (same order).
        comment: The table comment.
        confirmed: Per column, the entity types its values confirmed.
        declared: What the caller knows (the data map: the table links to people, or does not); wins.
        schema_role: The schema context's role of the rows (``student``, ``linked``... or ``unknown``).

    Returns:
        True when the rows are people's (or one person's records).
    """
    if declared is not None:
        return declared
    by_name = table_words_people(table, comment)
    if by_name is True or (by_name is None and schema_role != "unknown"):
        return True
    # A table of things (a school's profile, a settings table) may carry contact data of its own; only an
    # attribute no organisation has makes its rows people's.
    person_only = PERSON_ONLY - CONTACT
    if by_name is False:
        # A table of things named so: only values (a valid ID number, a birth date) say otherwise.
        return any(found & person_only for found in confirmed)
    authored = table_topic(table, comment) == "MESSAGE_CONTENT" or user_log(table, comment)
    # Two body measures (height and weight, vision and temperature) are taken of a person.
    if sum(1 for c in columns if _body_measure(c)) >= 2:
        return True
    for col, hint in zip(columns, hints, strict=False):
        if set(hint.entities) & person_only:
            return True
        if authored and set(tokenize(col)) & _AUTHOR_WORDS:
            return True  # a post, comment or complaint is its author's (``create_by_id``, ``sender``)
        tokens = tokenize(col)
        if _is_person_key(col) or (tokens and tokens[-1] in _ROLE_WORDS):
            return True
        if "PERSON_NAME" in hint.entities and (hint.role != "unknown" or set(tokens) & _PERSON_NAME_WORDS):
            return True
    return any(found & person_only for found in confirmed)


#: Table words of a log of what users did (an operation or login log holds its user's rows, docs/labelling.md).
_LOG_WORDS = frozenset({"log", "logs", "logininfor", "loginlog", "syslog", "operlog", "accesslog", "audit"})


def user_log(table: str, comment: str = "") -> bool:
    """Whether the table is a log of what users did (an operation, login or access log)."""
    tokens = set(tokenize_table(table))
    if tokens & _LOG_WORDS or "logininfo" in "".join(sorted(tokens)) or "logininfo" in table.lower():
        return True
    return any(w in (comment or "") for w in ("操作日志", "登录日志", "访问日志"))


#: Column words of measures of a person's body (a vaccine's ``dose`` or a parcel's ``weight`` alone is not).
_BODY_MEASURES = frozenset({
    "height", "weight", "vision", "temperature", "bmi", "pulse", "bps", "bpd", "hearing", "sg", "tz", "shengao",
    "tizhong", "shili", "tiwen", "tw", "bloodtype", "xuexing", "waist", "circumference", "respiration", "oxygen",
})
_BODY_MEASURES_CJK = ("身高", "体重", "视力", "体温", "血压", "头围", "胸围", "血型", "听力", "脉搏")


def _body_measure(column: str) -> bool:
    return bool(set(tokenize(column)) & _BODY_MEASURES) or any(w in column for w in _BODY_MEASURES_CJK)
#: Column words naming who wrote a message, post or comment.
_AUTHOR_WORDS = frozenset({
    "by", "author", "sender", "creator", "poster", "publisher", "from", "user", "userid", "uid", "member", "openid",
    "username", "operator", "operateor", "oper", "login",
})

#: Table-name words that say what a people's table records, and the entity type its columns then hold.
_TOPICS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    ("MEDICAL_INFO", frozenset({
        "medical", "health", "vaccine", "vaccines", "vaccination", "vaccinations", "immunization", "immunisation",
        "immunizations", "immunisations", "allergy", "allergies", "diet", "diets", "illness", "sickness", "therapy",
        "therapies", "checkup", "checkups", "clinic", "diagnosis", "medication", "medications", "prescription",
        "prescriptions", "visit", "visits", "disability", "disabilities", "jk", "tj", "jkzk", "laboratory", "lab",
        "labs", "dicom", "opd", "malnutrition", "examination", "examinations", "disease", "diseases",
        "growth", "nutrition", "morning", "sick", "symptom", "symptoms", "treatment", "treatments", "assistance",
        "patienthistory", "operation", "operations", "operationrow", "patientexamination",
        # an EHR's forms and records (vitals, SOAP notes, review of systems, encounters, lab procedures)
        "vitals", "vital", "encounter", "encounters", "soap", "ros", "reviewofs", "procedure", "procedures",
        "infirmary", "nurse", "nursing", "injury", "injuries", "accident", "accidents",
        "allergen", "allergens", "medicine", "medicines", "drug", "drugs", "dental", "surgery",
        "surgeries", "hospitalization", "hospitalisation", "ehr", "emr", "sickbay", "firstaid",
    }), ("健康", "体检", "疫苗", "接种", "病", "医", "晨检", "视力", "过敏", "膳食", "伤病", "晨午检", "上报", "体温",
         "药", "诊断", "处方", "保健", "卫生")),
    ("EDUCATION_RECORD", frozenset({
        "attendance", "grade", "grades", "score", "scores", "mark", "marks", "transcript", "transcripts",
        "assessment", "assessments", "evaluation", "evaluations", "homework", "submission", "submissions",
        "discipline", "enrolment", "enrollment", "enrolments", "enrollments", "placement", "placements",
        "absence", "absences", "leave", "experience", "qualification", "qualifications", "education", "award",
        "awards", "kq", "cj", "pj", "xxjl", "gzjl", "jcqk",
        # markbooks, behaviour and homework records of a pupil
        "markbook", "gradebook", "behaviour", "behavior", "behaviours", "behaviors", "incident", "incidents",
        "detention", "detentions", "homeworks", "coursework", "merit", "merits", "demerit",
        "demerits", "sanction", "sanctions", "suspension", "suspensions", "exclusion", "exclusions",
        "achievement", "achievements", "attainment", "completion", "completions",
        "enrol", "enroll", "attendances", "signin", "checkin", "timesheet", "timesheets",
    }), ("考勤", "成绩", "评价", "作业", "请假", "学籍", "奖惩", "履历", "经历", "考核", "评语", "考试", "违纪", "表现",
         "综合素质", "签到", "出勤", "缺勤", "毕业", "升学", "转学", "休学", "选课")),
    ("MONEY_AMOUNT", frozenset({
        "fee", "fees", "payment", "payments", "invoice", "invoices", "transaction", "transactions", "finance",
        "billing", "bill", "bills", "salary", "salaries", "payroll", "voucher", "vouchers", "income", "incomes",
        "refund", "refunds", "charge", "charges", "balance", "balances", "wallet", "recharge", "sf", "jf",
        "insurance", "insurances", "scholarship", "scholarships", "bursary", "bursaries", "donation", "donations",
        "deposit", "deposits", "receipt", "receipts", "payslip", "payslips", "loan", "loans",
    }), ("缴费", "收费", "财务", "工资", "账单", "退费", "余额", "充值", "费用", "奖金", "补助", "资助", "薪", "收据",
         "押金", "奖学金", "助学金", "消费", "保险")),
    ("MESSAGE_CONTENT", frozenset({
        "message", "messages", "chat", "chats", "sms", "mail", "mails", "conversation", "conversations", "post",
        "forum", "notification", "notifications", "inbox", "posts", "comment", "comments", "complaint",
        "complaints", "feedback", "feedbacks", "reply", "replies", "reminder", "reminders", "discussion",
        "discussions", "thread", "threads", "dynamic", "dynamics", "moment", "moments", "tweet", "tweets",
        "guestbook", "inquiry", "inquiries", "consultation", "consultations",
    }), ("消息", "留言", "短信", "聊天", "私信", "通知", "联系", "评论", "投诉", "反馈", "动态", "帖子", "说说",
         "咨询")),
    ("POLITICAL_AFFILIATION", frozenset({"dyxx", "dzb", "dzbxx", "dzbcyxx", "tyxx"}),
     ("党员", "党支部", "党组织", "团员")),
)
#: Topics written as two words that say nothing apart (``gibbonFirstAid``, ``form_physical_exam``).
_JOINED_TOPICS: dict[str, tuple[str, ...]] = {
    "MEDICAL_INFO": ("firstaid", "physicalexam", "medicalhistory", "healthcheck", "eyeexam", "specialneeds"),
    "EDUCATION_RECORD": ("reportcard", "classattendance", "examresult", "studyright"),
}
#: Pinyin initials of record topics inside MOE table names, most specific first.
_TOPIC_INITIALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("MEDICAL_INFO", ("jk", "tj", "bl")),
    ("MONEY_AMOUNT", ("sf", "jf", "xc", "jjff", "gz")),
    ("EDUCATION_RECORD", ("cj", "kq", "pj", "jc", "xj", "hj", "rk", "ks")),
)
#: Columns that are the system's own bookkeeping in any table.
_SYSTEM_TOKENS = frozenset({
    "created", "updated", "modified", "deleted", "version", "sort", "seq", "sequence", "tenant", "revision",
    "creator", "modifier", "createtime", "updatetime", "uuid", "pk", "fk", "del", "flag", "ordering", "weight",
    "lft", "rgt", "level", "parent", "path", "hash", "etag", "active", "enabled", "disabled", "locked", "lock",
    "hidden", "visible", "archived", "format", "trust", "sortorder", "display", "decimals", "mailed", "pinned",
    "create", "update", "modify", "login", "size", "mime", "priority", "automatically", "coefficient",
    # limits, exports and overrides of the system's own bookkeeping (a gradebook's ``rawgrademax``, ``locktime``)
    "max", "min", "maximum", "minimum", "limit", "exported", "overridden", "excluded", "aggregation",
    "aggregationstatus", "aggregationweight", "locktime", "timemodified", "timecreated", "usermodified",
})
#: What a column of a device table must be to identify the device.
_DEVICE_WORDS = ("uuid", "token", "push", "imei", "serial", "model", "agent", "endpoint", "udid", "mac", "sn")
#: What a column of a message table must be to hold the message (its flags and keys do not).
_MESSAGE_WORDS = ("content", "body", "subject", "title", "text", "message", "msg", "summary", "reply", "reason",
                  "description", "jl", "nr", "消息", "内容", "正文")
_KEY_TOKENS = frozenset({"id", "ids", "uuid", "key", "pk", "fk", "oid", "guid", "pid", "sid", "eid", "fid", "cid",
                         "gid", "tid", "rid", "mid"})  # not ``uid``: a DICOM study's UID is the patient's record


def table_topic(table: str, comment: str = "") -> str | None:
    """The entity type a people's table records (``MEDICAL_INFO`` for a ``student_vaccinations``), or None."""
    tokens = [t for t in tokenize_table(table) if not t.isdigit()]
    latin = set(t for t in tokens if t.isascii())
    cjk = "".join(t for t in tokens if not t.isascii()) + (comment or "")
    if latin & _LOG_WORDS:
        latin -= {"operation", "operations"}  # an operation log (操作日志) records what users did, not surgery
    if latin & DEVICE_TABLE_WORDS:
        return "DEVICE_ID"
    if latin & {"patient", "patients"} and latin & {"history", "histories", "exam", "exams", "record", "records"}:
        return "MEDICAL_INFO"

    joined = "".join(t for t in tokens if t.isascii())
    for entity, words, cjk_words in _TOPICS:
        if latin & words or any(w in cjk for w in cjk_words):
            return entity
        if any(w in joined for w in _JOINED_TOPICS.get(entity, ())):
            return entity
    # An MOE teacher record (教职工, ``JZG*``) beyond the profile is the employment record (position, dates,
    # titles, qualifications). English staff tables hold more than that (initials, flags): left to names.
    if any(t.startswith("jzg") for t in latin) or any(w in cjk for w in ("教职工", "教师")):
        return "OCCUPATION"
    # MOE data-standard table names are pinyin initials (``JKJCJL`` 健康检查记录, ``ZXKSCJ`` 中学考试成绩); only
    # the table's own last word counts (``ZXJZ``, ``ZXXS`` before it name the system's modules).
    own = [t for t in tokens if t.isascii() and t.isalpha()][-1:]
    for tok in own:
        if len(tok) >= 4 and not set(tok) & set("aeiouv"):
            for entity, initials in _TOPIC_INITIALS:
                if any(i in tok for i in initials):
                    return entity
    return None


def topic_column(column: str, is_key: bool, topic: str = "", table: str = "") -> bool:
    """Whether a column of a topic table records the topic (not a key, not the system's bookkeeping)."""
    if is_key or audit_reference(column):
        return False  # who graded, imported or changed the record is a link to staff, not the record
    if topic == "MESSAGE_CONTENT" and (not any(w in column.lower() for w in _MESSAGE_WORDS)
                                       or _message_meta(column)):
        return False
    if topic == "DEVICE_ID" and not any(w in column.lower() for w in _DEVICE_WORDS):
        return False
    tokens = [t for t in tokenize(column) if not t.isdigit()]
    if not tokens or tokens[-1] in _KEY_TOKENS or tokens[0] in _KEY_TOKENS:
        return False
    if tuple(tokens) in _BOOKKEEPING_COLUMNS:
        return False
    if len(tokens) == 1 and _one_word_key(tokens[0]):
        return False  # ``enrolid``, ``modifierid``, ``XQID`` (学期ID): a key written as one word
    if _record_flag(tokens, table) or any(_bookkeeping_initials(t) for t in tokens):
        return False
    if topic in _KIND_FLAG_TOPICS and {"is", "has"} & set(tokens):
        return False  # ``is_absolute``, ``BLL_IS_PAT``: what kind of bill or movement it is, not an amount
    return not (set(tokens) & _SYSTEM_TOKENS) and tokens[-1] not in {"by", "at"}


#: Last words of a column about a message rather than its text: its kind, time, link, trust level, addressee
#: (``message_type``, ``reply_time``, ``contexturl``, ``fullmessagetrust``, ``privatereplyto``).
_MESSAGE_META_TAILS = ("type", "time", "timestamp", "date", "at", "url", "urlname", "trust", "format", "replyto",
                       "count", "status", "flag", "read", "id", "ids", "sj", "rq", "lx")


def _message_meta(column: str) -> bool:
    tokens = [t for t in tokenize(column) if not t.isdigit()]
    if not tokens:
        return False
    if tokens[-1] in _MESSAGE_META_TAILS:
        return True
    # one folded word ending in one of them (``contexturlname``), not a content word (``smallmessage``)
    return len(tokens) == 1 and tokens[0].endswith(_MESSAGE_META_TAILS[:10]) and tokens[0] not in _MESSAGE_WORDS


#: Topics whose ``is_``/``has_`` flags say what kind of record a row is (a bill item that is a list price, a
#: stock movement to a patient). In a pupil's record such a flag is the result itself (``is_failed``,
#: ``is_present``), so education records keep theirs.
_KIND_FLAG_TOPICS = frozenset({"MONEY_AMOUNT", "MEDICAL_INFO"})

#: Last words of a column that keeps the record's own state or place, not what it records about the
#: person (``status``, ``idx``): the system's flags stay none (docs/labelling.md).
_RECORD_FLAGS = frozenset({
    "status", "state", "flag", "flags", "idx", "index", "sort", "order", "ordering", "seq", "zt", "sfyx", "px", "bbh",
})
#: Whole column names of the system's bookkeeping in a record: who entered it, their group, sign-off and
#: soft-delete flags (an EHR form's ``user``, ``groupname``, ``authorized``, ``activity``).
_BOOKKEEPING_COLUMNS = frozenset({
    ("user",), ("username",), ("groupname",), ("group", "name"), ("authorized",), ("activity",), ("deleted",),
    ("provider",), ("operator",), ("site",), ("course",), ("quiz",), ("assignment",), ("lesson",), ("module",),
    ("instance",), ("component",), ("admin",),
})
#: Workflow states of a record, as opposed to what it says of the person (``is_failed``, ``is_present``).
_WORKFLOW = frozenset({
    "approved", "rejected", "deleted", "active", "enabled", "disabled", "sent", "read", "published", "locked",
    "verified", "confirmed", "processed", "archived", "default", "visible", "hidden", "public", "valid", "new",
    "draft", "closed", "open", "synced", "imported", "exported", "printed", "emailed", "notified",
})
#: The record's own number (``invoice.number``, ``fee_decision.decision_number``), unlike a ``lot_number``.
_NUMBER_WORDS = frozenset({"number", "no", "num", "nr"})


def _record_flag(tokens: list[str], table: str) -> bool:
    if tokens[-1] in _RECORD_FLAGS or (len(tokens) > 1 and tokens[0] in ("is", "has") and tokens[-1] in _WORKFLOW):
        return True  # ``status``, ``is_approved``: the record's own flags (``is_failed`` is the pupil's result)
    if tokens[-1] not in _NUMBER_WORDS:
        return False
    own = {t for t in tokenize_table(table) if t.isascii()}
    return len(tokens) == 1 or (len(tokens) == 2 and (tokens[0] in own or tokens[0].rstrip("s") in own))
_VOWELS = frozenset("aeiouv")


def _one_word_key(token: str) -> bool:
    """``XSID``, ``bjid``, ``enrolid``: a key written as one word (``paid``, ``void`` are not)."""
    if not token.endswith("id") or len(token) < 4 or not token.isascii() or not token.isalpha():
        return False
    head = token[:-2]
    return len(token) > 4 or not _VOWELS & set(head)


#: MOE pinyin initials of the record's bookkeeping times: 创建/更新/修改/录入/提交/登记/审核 时间/日期.
_BOOKKEEPING_INITIALS = ("cjsj", "gxsj", "xgsj", "lrsj", "lrrq", "tjsj", "djsj", "shsj", "cjrq", "gxrq", "xgrq",
                         "czsj")


def _bookkeeping_initials(token: str) -> bool:
    if not token.isascii() or _VOWELS & set(token):
        return False
    return token in _BOOKKEEPING_INITIALS or (len(token) > 4 and token.endswith(("lrsj", "lrrq")))


#: Table-name words of a person's devices: their identifier-like columns are device identifiers.
DEVICE_TABLE_WORDS = frozenset({"device", "devices", "handset", "handsets", "terminal", "terminals"})


#: Column words of a reference kept for the system's bookkeeping: who made, changed or checked a row says
#: nothing of whom the row is about (``create_by_id``, ``modified_by``, ``operator_id``).
_AUDIT_REF_WORDS = frozenset({
    "created", "create", "creator", "updated", "update", "updater", "modified", "modify", "modifier", "operator",
    "author", "reviewer", "approver", "checker", "auditor", "handler", "by", "owner", "editor", "sender",
    "publisher", "teacher", "jbr", "czr", "cjr", "xgr", "shr", "lrr", "logged", "loggeduser", "usermodified",
    "lastedit", "edit", "edited", "grader", "importer", "overrideby", "modifiedby", "createdby", "updatedby",
})


def audit_reference(column: str) -> bool:
    """Whether a column references who made, changed or checked a row (``create_by_id``, ``grader``)."""
    tokens = [t for t in tokenize(column) if not t.isdigit()]
    if set(tokens) & _AUDIT_REF_WORDS:
        return True
    # ``confirm_user``, ``register_user``, ``audit_user_id``: the user who did something to the row
    while len(tokens) > 2 and tokens[-1] in ("id", "ids", "no", "code"):
        tokens = tokens[:-1]
    return len(tokens) == 2 and tokens[0] in _BOOKKEEPING_VERBS and tokens[1] in ("user", "person", "userid")


#: Verbs of what the system's users do to a row (confirm, register, audit, approve, submit, handle it).
_BOOKKEEPING_VERBS = frozenset({
    "confirm", "confirmed", "register", "registered", "audit", "audited", "check", "checked", "approve", "approved",
    "submit", "submitted", "review", "reviewed", "handle", "handled", "operate", "record", "recorded", "input",
    "entry", "sign", "signed", "cancel", "cancelled", "canceled", "close", "closed", "assign", "assigned",
})


#: Column words of a reference to the member of staff responsible for a row (``staff_id``, ``teacher_id``).
_STAFF_REF_WORDS = frozenset({
    "staff", "teacher", "teachers", "employee", "emp", "instructor", "tutor", "warden", "advisor", "adviser",
    "counselor", "counsellor", "jzg", "jzgid", "jsid", "jsgh", "teacherid", "staffid", "employeeid",
})
#: Table words of records about staff members themselves: their leaves, appraisals, contracts, pay.
_STAFF_RECORD_WORDS = frozenset({
    "staff", "teacher", "teachers", "employee", "employees", "emp", "jzg", "jiaoshi", "payslip", "payslips",
    "salary", "salaries", "payroll", "wage", "wages", "timesheet", "timesheets", "leave", "leaves", "appraisal",
    "appraisals", "contract", "contracts", "qualification", "qualifications", "training", "trainings",
})


def _responsible_staff(column: str, table: str) -> bool:
    """Whether a reference names the member of staff responsible for the row rather than its subject.

    An assignment's teacher, a hostel's warden, the teacher who completed a roll say whose work a row is, not
    whom it is about; only a record of staff themselves (``employee_attendances``, ``monthly_payslips``) is
    about the member of staff it points at.
    """
    if not set(tokenize(column)) & _STAFF_REF_WORDS:
        return False
    if table_topic(table) == "MONEY_AMOUNT":
        return False  # a payment to a member of staff is theirs
    return not {t for t in tokenize_table(table) if t.isascii()} & _STAFF_RECORD_WORDS


#: Head words of tables of things that are records when they point at a person.
_WEAK_THING_HEADS = frozenset({
    "exam", "exams", "examination", "examinations", "period", "periods", "item", "items", "form", "forms", "event",
    "events", "task", "tasks", "file", "files", "attachment", "attachments", "section", "sections",
})


def _weak_thing(table: str) -> bool:
    latin = [t for t in tokenize_table(table) if t.isascii() and not t.isdigit()]
    while len(latin) > 1 and latin[-1] in _TRANSPARENT_TAILS:
        latin = latin[:-1]
    return bool(latin) and latin[-1] in _WEAK_THING_HEADS


def tables_about_people(
    references: dict[str, dict[str, str]], person_tables: set[str], hops: int = 2
) -> dict[str, tuple[str, ...]]:
    """Tables whose rows are records about people because they point at them (spec §B5).

    An attendance row, a vitals form keyed by ``pid`` or a payslip keyed by ``employee_id`` is about the
    person it points at even though it names no one; a record of such a record (an invoice row of a
    family's invoice) is too. A table named as a thing (a course pointing at its teacher) is not, and
    neither is a row that points at people only to say who created or changed it.

    Args:
        references: Per table (lower-case name), column -> referenced table (lower-case), declared or
            inferred by the data map.
        person_tables: Tables whose rows are people (by their role or name).
        hops: How many records of records to follow.

    Returns:
        Per table about people, the person tables its rows are about (directly or through records).
    """
    about: dict[str, set[str]] = {}
    for _ in range(hops):
        grown = False
        for table, refs in references.items():
            if table in person_tables:
                continue
            # A table named as a thing is about no one; a weak thing word (an exam, a period, a form) is a
            # record when it points straight at a person (``attendance_period.student_id``).
            thing = table_words_people(table) is False
            if thing and not _weak_thing(table):
                continue
            found = set(about.get(table, ()))
            for column, target in refs.items():
                if target == table or audit_reference(column) or _responsible_staff(column, table):
                    continue
                if target in person_tables:
                    found.add(target)
                elif target in about and not thing:
                    found.update(about[target])
            if found and found != about.get(table):
                about[table] = found
                grown = True
        if not grown:
            break
    return {t: tuple(sorted(p)) for t, p in about.items()}


#: Whom a record is about, by the person table it points at, and what such a record then holds when its own
#: name says nothing (an EHR's ``form_soap`` or ``lists`` keyed by the patient's ``pid``).
_PEOPLE_TOPICS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    ("MEDICAL_INFO", frozenset({"patient", "patients", "pat", "ptt", "brxx", "hz", "hzxx", "bingren", "huanzhe"}),
     ("患者", "病人", "病患")),
    ("EDUCATION_RECORD", frozenset({"student", "students", "stu", "pupil", "pupils", "child", "children", "kid", "kids",
                                    "xs", "xsxx", "xsjbxx", "learner", "learners", "youer", "xuesheng"}),
     ("学生", "幼儿", "儿童", "学员")),
)


def people_topic(people_tables: Sequence[str]) -> str | None:
    """The topic of a record about the people of these tables (a patient's records are health records)."""
    for table in people_tables:
        tokens = tokenize_table(table)
        latin = {t for t in tokens if t.isascii()}
        cjk = "".join(t for t in tokens if not t.isascii())
        for topic, words, cjk_words in _PEOPLE_TOPICS:
            if latin & words or any(w in cjk for w in cjk_words):
                return topic
    return None
