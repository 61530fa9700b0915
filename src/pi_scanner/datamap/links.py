"""Links between tables: declared foreign keys, and references inferred from names, types, keys and values.

Real school systems declare few foreign keys (MyISAM dumps, ORMs that never declare them), so most links
are inferred. A candidate needs a **name** that points at a key of another table — one of:

* the key's own name (``XS_JTCY.XH`` → ``XS_JBXX.XH``, ``gibbonPersonID`` → ``gibbonPerson.gibbonPersonID``),
  with or without the product prefix (``personID`` → ``gibbonPerson.gibbonPersonID``);
* the referenced table's entity and a key word (``student_id`` → ``students.id``, ``baby_id`` → ``baby.id``,
  ``stu_no`` → ``stu_info.stu_no``);
* either of them with a role word before or after (``gibbonPersonIDStudent``, ``creator_user_id``);

then a **compatible type** (integer with integer, text with text; integer against text is kept, marked
``type_mismatch``), a **unique referenced column** (a primary key or declared unique; a keyless table's
``id`` counts less), and, where both tables hold rows, **value containment** (the share of the column's
distinct values found in the key; :mod:`pi_scanner.datamap.probe`). Value inclusion alone is never a
candidate: every small-integer column is "contained" in every id column. Each referencing column keeps one
parent — the best-scoring over the whole store — and every link carries a confidence and its evidence.

Among several parents a name could mean, the one a human would read wins: the parent whose qualifying
words the row's own table says (``address_fields.category_id`` → ``address_field_categories``), the same
period's shard (``kxmxb_2026`` → ``xyxxb_2026``), never a table that carries the same column itself
(``assigned_teachers.teacher_id``); ``user_id`` and audit columns mean the table people sign in to (the staff
table where no users table holds the logins); a text ``creator`` holds a user name unless the values, or the
store's other audit columns, say it holds the user's id.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pi_scanner.classify.column_names import tokenize, tokenize_table
from pi_scanner.datamap.schema import TableSchema, type_family
from pi_scanner.models import ColumnInfo, TableLink

#: Links at or above this confidence are acted on (propagation, subject requests, retention).
ACCEPT_THRESHOLD = 0.7

#: Words that make a column a key of the entity before them (``student_id``, ``stu_no``, ``幼儿编号``).
_KEY_WORDS = frozenset({"id", "ids", "no", "num", "number", "code", "key", "uuid", "guid", "sn", "xh", "pk", "bh",
                        "dm", "gh"})
#: Key names too generic to link by themselves.
_GENERIC = frozenset({"id", "uuid", "guid", "key", "code", "pk", "no", "seq", "oid", "rowid", "sn", "num", "uid",
                      "number"})
#: Head nouns of "the entity's main table" (``student_info``, ``XS_JBXX`` 基本信息).
_INFO_HEADS = frozenset({"info", "information", "jbxx", "xx", "jbsj", "basic", "base", "master", "main",
                         "detail", "details", "profile", "profiles", "data", "record", "records", "table", "tbl"})
#: Prefixes shared by tables for organisational reasons only.
_GENERIC_PREFIXES = frozenset({"tbl", "tb", "t", "sys", "app", "dbo"})
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "staff": "staff",
              "data": "data", "status": "status", "class": "class", "address": "address", "xs": "xs",
              "news": "news", "series": "series", "sms": "sms", "gps": "gps", "analysis": "analysis",
              "campus": "campus", "bus": "bus"}

#: Scores of the name rules (before type, key and value evidence).
_SCORE_KEY = 0.9
_SCORE_KEY_UNPREFIXED = 0.85
_SCORE_ENTITY = 0.85
_SCORE_KEY_ROLE = 0.75
_SCORE_ROLE_KEY = 0.72
_SCORE_ROLE_ENTITY = 0.7
#: Factors applied to a candidate's score.
_TYPE_MISMATCH = 0.85
_TYPE_UNKNOWN = 0.92
_KEYLESS = 0.7
_AMBIGUOUS = 0.85
#: Candidates this close to the best of their column make it ambiguous.
_TIE = 0.01


def singular(word: str) -> str:
    """``students`` → ``student``, ``classes`` → ``class``, ``people`` → ``person`` (good enough for names)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _tokens(name: str) -> list[str]:
    return list(_tokens_cached(name))


@functools.lru_cache(maxsize=65536)
def _tokens_cached(name: str) -> tuple[str, ...]:
    return tuple(t for t in tokenize(name) if not t.isdigit())


@functools.lru_cache(maxsize=65536)
def _norm(name: str) -> str:
    return _NON_WORD.sub("", name.lower())


_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]")


def product_prefix(tables: Sequence[TableSchema]) -> str | None:
    """A first word most table names share (``gibbon``, ``fedena``, ``wp``), or None."""
    if len(tables) < 3:
        return None
    firsts: dict[str, int] = {}
    for t in tables:
        tokens = [x for x in tokenize_table(t.name) if not x.isdigit()]
        if len(tokens) > 1:
            firsts[tokens[0]] = firsts.get(tokens[0], 0) + 1
    if not firsts:
        return None
    word, count = max(firsts.items(), key=lambda kv: kv[1])
    return word if count >= max(3, 0.3 * len(tables)) or word in _GENERIC_PREFIXES else None


def _strip(tokens: list[str], prefix: str | None) -> list[str]:
    return tokens[1:] if prefix and len(tokens) > 1 and tokens[0] == prefix else tokens


#: English entity words and the Chinese words a table comment names them by (``学生基本数据子类表``).
_COMMENT_WORDS = {
    "student": ("学生", "学员", "幼儿", "儿童"), "school": ("学校", "园所", "幼儿园"), "class": ("班级",),
    "grade": ("年级",), "teacher": ("教师", "老师"), "staff": ("教职工", "员工"), "parent": ("家长", "监护人"),
    "course": ("课程",), "user": ("用户",), "person": ("人员",), "term": ("学期",), "dept": ("部门",),
}
#: Other names a row of an entity's table goes by in referencing columns (``ward_id`` → ``students``,
#: ``author_id`` → ``users``).
_PERSON_ROLES = ("author", "creator", "approver", "rejector", "manager", "sender", "owner", "assignee", "reviewer",
                 "modifier", "operator", "reporter", "requester")
#: Roles of people kept in a store's users table when no table of their own exists (``teacher_id`` →
#: ``sys_user``): a table of teachers, named so, always outranks the alias.
_USER_ROLES = ("teacher", "parent", "guardian", "employee", "staff", "member")
#: Pupils by the names their references go by, when the users table keeps them.
_SUBJECT_ALIASES = ("student", "pupil", "learner")
_SUBJECT_ENTITIES = frozenset({("student",), ("pupil",), ("learner",), ("child",), ("xs",), ("stu",)})
_ALIASES: dict[str, tuple[str, ...]] = {
    "student": ("ward", "pupil", "learner", "stu", "xs"),
    "child": ("kid", "ward", "baby", "yr", "youer"),
    "user": (*_PERSON_ROLES, *_USER_ROLES),
    "person": (*_PERSON_ROLES, *_USER_ROLES),
    # 教职工 / 教师 (jzg / js), staff and teachers
    "staff": ("teacher", "employee", "js", "jzg", "jg"),
    "jzg": ("js", "teacher", "staff"),
    "teacher": ("js", "staff"),
    "employee": ("staff", "teacher"),
    "parent": ("guardian", "jz", "jhr"),
    "guardian": ("parent", "jz", "jhr"),
    "kinder": ("kindergarten", "yey", "school"),
    "kindergarten": ("kinder", "yey", "school"),
}
#: Words a table comment adds around the entity it names.
_COMMENT_FILLER = re.compile(r"(基本|数据|子类|类|信息|资料|档案|表|记录)+$")
#: Pinyin initials (or full pinyin) of the entities of Chinese school systems, and their English names.
_PINYIN_ENTITIES = {
    "zxxx": "school", "xx": "school", "xuexiao": "school", "yey": "kindergarten", "youeryuan": "kindergarten",
    "bj": "class", "banji": "class", "nj": "grade", "nianji": "grade", "jzg": "staff", "js": "teacher",
    "jiaoshi": "teacher", "xs": "student", "xuesheng": "student", "jz": "parent", "jiazhang": "parent",
    "ye": "child", "youer": "child", "kc": "course", "kecheng": "course", "bm": "dept", "jg": "dept",
    "xy": "student", "xueyuan": "student",  # 学员, the pupils of a training school
}
#: Pinyin-initial suffixes of an entity's main table (``XSXX`` 学生信息, ``DSSJ`` 导师数据).
_PINYIN_INFO = ("xx", "jbxx", "sj", "xxb", "jbsj")


def entities(table: str, prefix: str | None, comment: str = "") -> list[tuple[tuple[str, ...], float]]:
    """The entity names a table's rows are called by in other tables' columns (singular), with a strength.

    The full name (without the product prefix) is strongest; a name without its "info" head
    (``student_info`` → ``student``) and the head token alone (``EDU_ZXXS_01_01_XSXX`` → ``xsxx``) a little
    weaker, so ``school_id`` prefers ``schools`` to ``school_details``; an English entity named by the
    table comment (``学校基本数据子类表`` → ``school``) weakest.
    """
    tokens = [t for t in tokenize_table(table) if not t.isdigit()]
    found: dict[tuple[str, ...], float] = {}

    def add(entity: tuple[str, ...], strength: float) -> None:
        if entity and found.get(entity, 0.0) < strength:
            found[entity] = strength

    for core in (_strip(tokens, prefix), tokens):
        if not core:
            continue
        add((*core[:-1], singular(core[-1])), 1.0)
        if len(core) > 1 and core[-1] in _INFO_HEADS:
            add((*core[:-2], singular(core[-2])), 0.96)
        if len(core) > 1:
            # The head alone; the fewer other words, the likelier the entity's main table (XSXX, not DSJDXSXX).
            add((singular(core[-1]),), 0.95 - 0.01 * min(len(core), 5))
    for entity, strength in list(found.items()):
        if len(entity) == 1:
            # MOE pinyin initials: ``JZGJBSJ`` (教职工基本数据) is ``jzg``, ``ZXXX`` (中小学校) a school.
            name = entity[0]
            initials = name if name in _PINYIN_ENTITIES else next(
                (name[: -len(sx)] for sx in sorted(_PINYIN_INFO, key=len, reverse=True)
                 if name.endswith(sx) and len(name) - len(sx) >= 2), name)
            if initials != name:
                add((initials,), strength)
            for word in (_PINYIN_ENTITIES.get(name), _PINYIN_ENTITIES.get(initials)):
                if word:
                    add((word,), strength * 0.92)
    for entity, strength in list(found.items()):
        if len(entity) == 1:
            for alias in _ALIASES.get(entity[0], ()):
                add((alias,), strength * 0.92)
    head = _COMMENT_FILLER.sub("", comment.strip())
    if head:
        for word, cjk in _COMMENT_WORDS.items():
            if head in cjk:
                add((word,), 0.92)
    return list(found.items())


#: Columns naming the tenant a row belongs to: ``(SCHOOLID, ID)`` keys are ``ID`` within a school.
_TENANT = frozenset({"schoolid", "tenantid", "orgid", "siteid", "companyid", "campusid", "xxdm", "xxid", "schoolcode",
                     "kinderid", "kindergartenid", "organizationid", "organisationid"})


#: Columns versioning a row by school year or term: ``(id, syear)`` keys are ``id`` in one year.
_PERIOD = frozenset({"syear", "year", "schoolyear", "xn", "xq", "xnxq", "term", "termid", "semester", "academicyear",
                     "version", "rev", "revision"})


def is_tenant(column: str) -> bool:
    """Whether a column names the tenant (school, organisation) a row belongs to."""
    return _norm(column) in _TENANT


@dataclass(frozen=True)
class Candidate:
    """A possible reference of one column to the key of another table, before values are looked at.

    Attributes:
        from_path: Referencing table.
        column: Referencing column.
        to_path: Referenced table.
        key: Referenced key column.
        score: Confidence from names, types and keys.
        evidence: Why (``name:key``, ``type_mismatch``, ``keyless``).
    """

    from_path: tuple[str, ...]
    column: str
    to_path: tuple[str, ...]
    key: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Containment:
    """What the values say about a candidate.

    Attributes:
        share: Share of the column's distinct (sampled) values found in the key; None when either side
            holds no value.
        drift: Values matched only after trimming and case-folding.
        exact: Every distinct value was checked (not a sample).
        error: Why the values could not be read (a value-free message), or None.
        method: How the share was measured (``exact``, ``sketch``; empty: ``exact`` or ``sampled`` from
            ``exact``).
        margin: Half-width of the share's 95 % interval when estimated from a sketch.
    """

    share: float | None
    drift: bool = False
    exact: bool = True
    error: str | None = None
    method: str = ""
    margin: float | None = None


ContainmentFn = Callable[[Candidate], Containment]


def _keys_of(table: TableSchema, prefix: str | None) -> dict[str, tuple[float, tuple[str, ...]]]:
    keys: dict[str, tuple[float, tuple[str, ...]]] = {}
    if len(table.primary_key) == 1:
        keys[table.primary_key[0]] = (1.0, ())
    elif len(table.primary_key) == 2:
        # A multi-tenant key (SCHOOLID, ID): the row's own key is the column that is not the tenant.
        rest = [c for c in table.primary_key if _norm(c) not in _TENANT and _norm(c) not in _PERIOD]
        if len(rest) == 1:
            keys[rest[0]] = (0.97, ("tenant_key",))
    for u in table.unique:
        if len(u) == 1:
            keys.setdefault(u[0], (1.0, ("unique",)))
    if table.primary_key:
        # A business key beside a surrogate one (``schoolinfo(uid, school_id)``): named for the table's own
        # entity, probably unique though not declared so; the values decide.
        own = {_norm("".join(e)) for e, strength in entities(table.name, prefix) if strength >= 0.96}
        for c in table.columns:
            toks = _tokens(c.name)
            if c.name not in keys and len(toks) >= 2 and toks[-1] in ("id", "no", "code") \
                    and _norm("".join(toks[:-1])) in own:
                keys.setdefault(c.name, (0.9, ("entity_key",)))
        # MOE numbers people see: a pupil's 学号 (XH) in the pupils' table, a staff member's 工号 (GH) in the
        # staff table; text, since a numeric XH elsewhere is a 序号 (sequence number).
        ents_all = {e[0] for e, strength in entities(table.name, prefix) if len(e) == 1 and strength >= 0.8}
        for c in table.columns:
            owner_words = _MOE_NUMBERS.get(_norm(c.name))
            if c.name not in keys and owner_words and ents_all & owner_words and type_family(c.type_name) == "text":
                keys.setdefault(c.name, (0.9, ("entity_key",)))
    if not table.primary_key:
        # A keyless table (MyISAM dumps, views): its ``id`` or ``<entity>_id`` is probably its key.
        names = {_norm("".join(e)) for e, _ in entities(table.name, prefix)}
        for c in table.columns:
            toks = _tokens(c.name)
            if toks == ["id"] or (len(toks) >= 2 and toks[-1] in _KEY_WORDS and "".join(toks[:-1]) in names):
                keys.setdefault(c.name, (_KEYLESS, ("keyless",)))
    return keys


#: MOE numbers and the entities whose tables they key (学号, 学籍号 of pupils; 工号 of staff).
_MOE_NUMBERS = {"xh": frozenset({"xs", "student"}), "xjh": frozenset({"xs", "student"}),
                "gh": frozenset({"jzg", "staff", "js", "teacher"}),
                # the same numbers in full pinyin (学号, 学籍号, 工号)
                "xuehao": frozenset({"xs", "student"}), "xuejihao": frozenset({"xs", "student"}),
                "gonghao": frozenset({"jzg", "staff", "js", "teacher"})}


def _type_factor(a: str, b: str) -> tuple[float, tuple[str, ...]] | None:
    if _FLAG_TYPE.match(a.lower().strip()) or _FLAG_TYPE.match(b.lower().strip()):
        return None  # ``tinyint(1)`` and ``bit`` hold flags (``users.student``), never a key
    fa, fb = type_family(a), type_family(b)
    if fa == fb and fa != "other":
        return 1.0, ()
    if "other" in (fa, fb):
        if (fa == "other" and a and not a.startswith(("numeric", "decimal"))) or (
            fb == "other" and b and not b.startswith(("numeric", "decimal"))
        ):
            # A date, float, boolean or binary column never holds a key.
            known_bad = ("date", "time", "bool", "float", "double", "real", "blob", "bytea", "binary", "json")
            if a.lower().startswith(known_bad) or b.lower().startswith(known_bad):
                return None
        return _TYPE_UNKNOWN, ("type_unknown",)
    if {fa, fb} == {"int", "text"}:
        return _TYPE_MISMATCH, ("type_mismatch",)
    if {fa, fb} == {"uuid", "text"}:
        return 1.0, ()
    return None


#: CJK words of a key (``幼儿编号``, ``学号``, ``卡号``).
_CJK_KEY = ("编号", "号", "代码", "编码", "id", "ID")
#: Single words that name an attribute, never the row of another table, even when a table is so called
#: (``grade`` is a mark as often as a grade level; ``type`` a kind).
_ATTRIBUTE_WORDS = frozenset({
    "type", "status", "state", "level", "grade", "score", "mark", "sex", "gender", "name", "title", "value",
    "code", "number", "count", "amount", "price", "order", "sort", "version", "age", "weight", "height",
    "year", "date", "time", "rank", "total", "result", "flag", "kind", "mode", "size", "color", "colour",
    "content", "text", "description", "remark", "note", "comment", "message", "image", "photo", "file",
})
#: Score of a column called by the entity's bare name (``course`` → ``mdl_course.id``).
_SCORE_BARE = 0.8


def keyish(key: str, ents: Sequence[tuple[tuple[str, ...], float]] = ()) -> bool:
    """Whether a column name is one a reference can carry: an id, number or code, or the entity's own name.

    ``student_no``, ``XH``, ``us_id_a``, ``cardnum``, ``job_name`` in ``sys_job`` are; ``name``, ``value``,
    ``sortorder``, ``shortname``, ``token``, ``phone`` are not, however unique they are in some table: a
    column merely sharing such a name with another table's unique column is no reference.
    """
    toks = _tokens(key)
    if not toks:
        return False
    if not key.isascii():
        return any(w in key for w in _CJK_KEY)
    if set(toks) & _KEY_WORDS or any(_norm(key).endswith(kw) for kw in (*_GLUED_KEYS, "num", "bh", "xh", "gh", "hao")):
        return True
    own = {_norm("".join(e)) for e, strength in ents if strength >= 0.9}
    return _norm(key) in own or any(name in _norm(key) for name in own if len(name) >= 3)


_FLAG_TYPE = re.compile(r"^(tinyint\(1\)|bit(\(1\))?|bool|boolean)$")


def _name_score(
    col_tokens: list[str], col_norm: str, key: str, ents: list[tuple[tuple[str, ...], float]], prefix: str | None
) -> tuple[float, str] | None:
    kt = _tokens(key)
    kt_core = _strip(kt, prefix)
    generic = len(kt_core) <= 1 and (not kt_core or kt_core[0] in _GENERIC)
    # ``id``, ``student_no``, or the entity's own name (``NJ`` of the grade table 年级): a key an entity is
    # called by.
    entity_key = generic or kt_core[-1] in _KEY_WORDS or any(
        _norm(key) == _norm("".join(e)) for e, st in ents if st >= 0.9)
    named_key = not generic and keyish(key, ents)
    if generic and col_tokens and (col_tokens[-1] == "no" or col_norm.endswith(("number", "num"))):
        return None  # ``employee_number``, ``itemnumber`` is the number itself, not a row's surrogate id
    if named_key and len(col_tokens) == 1 and col_tokens[0] in _ATTRIBUTE_WORDS:
        return None  # a column called ``type`` is the row's own kind, whichever table keeps a unique ``type``
    if named_key:
        if col_norm == _norm(key):
            return _SCORE_KEY, "name:key"
        if kt_core != kt and col_tokens == kt_core:
            return _SCORE_KEY_UNPREFIXED, "name:key"
    ct = col_tokens
    if entity_key and len(ct) >= 2 and ct[-1] in _KEY_WORDS:
        head = tuple(ct[:-1])
        head_core = tuple(_strip(list(head), prefix))
        heads = {head, head_core, (*head[:-1], singular(head[-1])), (*head_core[:-1], singular(head_core[-1]))} \
            if head_core else {head}
        best = 0.0
        for e, strength in ents:
            if e in heads or (len(head) == 1 and _norm("".join(e)) == head[0]):
                best = max(best, strength)
        if best:
            return round(_SCORE_ENTITY * best, 4), "name:entity"
    if entity_key:
        stem = _stem(col_norm)
        if stem:
            found = _stem_score(stem, ents)
            if found is not None:
                return found
        if len(ct) == 1 and ct[0] not in _ATTRIBUTE_WORDS and len(ct[0]) >= 3 and singular(ct[0]) == ct[0]:
            # The entity's bare name (``course``, ``forum``, ``quiz``): only a table named for it exactly, and
            # never a plural (``comments``, ``attempts`` count or list things).
            best = max((st for e, st in ents if len(e) == 1 and e[0] == ct[0] and st >= 1.0), default=0.0)
            if best:
                return round(_SCORE_BARE * best, 4), "name:bare_entity"
    if named_key and len(kt_core) == 1 and len(col_tokens) == 1 and len(_norm(key)) >= 2 \
            and col_norm.endswith(_norm(key)) and 1 <= len(col_norm) - len(_norm(key)) <= 4 and col_norm.isascii():
        return _SCORE_ROLE_KEY, "name:role+key"  # ``BZXH`` 班长学号, ``RKJSGH`` 任课教师工号, ``YBH`` 原班号
    if named_key:
        for ref in (kt, kt_core):
            n = len(ref)
            if len(ct) > n and ct[:n] == ref and len(ct) - n <= 2:
                return _SCORE_KEY_ROLE, "name:key+role"
            if len(ct) > n and ct[-n:] == ref and len(ct) - n <= 2:
                return _SCORE_ROLE_KEY, "name:role+key"
    if entity_key and len(ct) >= 3 and ct[-1] in _KEY_WORDS:
        for e, strength in ents:
            n = len(e)
            if len(ct) - 1 > n and tuple(ct[-1 - n:-1]) == e and len(ct) - 1 - n <= 2:
                return round(_SCORE_ROLE_ENTITY * strength, 4), "name:role+entity"
    if entity_key and len(ct) >= 3:
        # The entity and its key, then a role (``user_id_to``, ``useridfrom``).
        for i in range(1, len(ct) - 1):
            if ct[i] in ("id", "no") and len(ct) - i - 1 <= 2:
                best = max((st for e, st in ents if e == tuple(ct[:i]) or e == tuple(_strip(ct[:i], prefix))),
                           default=0.0)
                if best:
                    return round(_SCORE_KEY_ROLE * best, 4), "name:entity+role"
    if entity_key and len(ct) == 1:
        for e, strength in ents:
            name = "".join(e)
            if len(name) >= 4 and col_norm.startswith(name + "id") and 2 <= len(col_norm) - len(name) - 2 <= 6:
                return round(_SCORE_KEY_ROLE * strength, 4), "name:entity+role"
    if entity_key and len(ct) <= 2:
        # A person named by the role they play in the row (``usermodified``, ``loggeduser``, ``user_modified``).
        for e, strength in ents:
            if len(e) != 1 or e[0] not in _PEOPLE or strength < 0.9:
                continue
            rest = col_norm.removeprefix(e[0]) if col_norm.startswith(e[0]) else (
                col_norm.removesuffix(e[0]) if col_norm.endswith(e[0]) else "")
            if rest in _ROLE_WORDS:
                return round(_SCORE_ROLE_ENTITY * strength, 4), "name:role+entity"
    return None


#: Entities whose rows are people (a role-named column can point at them).
_PEOPLE = frozenset({"user", "person", "member", "staff", "employee", "teacher", "student", "account"})
#: Words of the role a person plays in a row, glued to the person's entity word (``usermodified``).
_ROLE_WORDS = frozenset({
    "modified", "modifier", "logged", "related", "blocked", "requested", "requester", "created", "creator",
    "updated", "updater", "deleted", "owner", "from", "to", "sender", "receiver", "recipient", "author",
    "approver", "approved", "reviewer", "reviewed", "assigned", "assignee", "importer", "grader", "marker",
    "checked", "checker", "confirmed", "handler", "handled", "operator", "reporter", "reported", "invited",
    "inviter", "followed", "follower", "liked", "target", "responsible", "submitted", "graded", "enrolled",
})


#: Key words glued to the end of a folded column name (``xsxxid``, ``userid``, ``classno``).
_GLUED_KEYS = ("id", "no", "code", "uuid", "key")


def _stem(col_norm: str) -> str:
    """``xsxxid`` → ``xsxx``, ``userid`` → ``user``, ``ds1id`` → ``ds`` (digits of numbered roles dropped)."""
    for kw in _GLUED_KEYS:
        if col_norm.endswith(kw) and len(col_norm) - len(kw) >= 2:
            return col_norm[: -len(kw)].rstrip("0123456789")
    return ""


def _stem_score(stem: str, ents: list[tuple[tuple[str, ...], float]]) -> tuple[float, str] | None:
    """A column whose name is one folded word: its stem against the entity names (pinyin initials too)."""
    best: tuple[float, str] | None = None

    def keep(score: float, why: str) -> None:
        nonlocal best
        if best is None or score > best[0]:
            best = (round(score, 4), why)

    for e, strength in ents:
        name = "".join(e)
        if len(name) < 2:
            continue
        if stem == name:
            keep(_SCORE_ENTITY * strength, "name:entity")
        elif any(stem + suffix == name for suffix in _PINYIN_INFO):
            keep(_SCORE_ENTITY * strength * 0.96, "name:entity")
        elif 1 <= len(stem) - len(name) <= (3 if len(name) < 4 else 12) and stem.endswith(name) and len(name) >= 2:
            # a role before the entity: ``rkjs`` (任课教师), ``relateduser``, ``teamsubmissiongrouping``
            keep(_SCORE_ROLE_ENTITY * strength, "name:role+entity")
        elif any(len(stem) > len(name) - len(sx) >= 2 and stem.endswith(name[: -len(sx)]) and name.endswith(sx)
                 and len(stem) - (len(name) - len(sx)) <= 3 for sx in _PINYIN_INFO):
            keep(_SCORE_ROLE_ENTITY * strength * 0.96, "name:role+entity")
        elif len(stem) >= 4 and name.endswith(stem) and len(name) > len(stem):
            keep(_SCORE_ROLE_ENTITY * strength * 0.96, "name:entity+head")
    return best


#: Bonus of a parent that shares the referencing table's leading word (its module or archive).
_SIBLING_BONUS = 0.02
_MODULE_BONUS = 0.07


#: Table words of association tables (``students_join_people``, ``user_role_map``).
_JOIN_WORDS = frozenset({"join", "joins", "link", "links", "map", "mapping", "rel", "xref"})
#: Bonus per word qualifying a parent's entity that the referencing table's name also says.
_QUALIFIER_BONUS = 0.03


def _shared_qualifiers(child: str, column: Sequence[str], parent: str, prefix: str | None,
                       module: str | None) -> tuple[int, int]:
    """How many of the words qualifying the parent's head noun the referencing table's name also says.

    ``report_card_comment_code_scales`` qualifies ``scale`` by ``report card comment code``; a column
    ``scale_id`` of ``report_card_comments`` shares ``card`` and ``comment`` beyond the module word
    ``report`` (counted by :func:`_siblings`), ``report_card_grade_scales`` only ``card``.

    Returns:
        The shared qualifiers and all the parent's qualifiers (beyond the module word and the column's).
    """
    words = list(_table_words(parent, prefix))
    if len(words) < 2 or set(words) & _JOIN_WORDS:
        return 0, 0  # ``students_join_address`` joins addresses: its head names the other side, not its rows
    context = {singular(w) for w in _table_words(child, prefix)}
    # Words, not the letters and numbers of a code scheme (``EDU_ZXXS_57_A04_...``).
    qualifiers = {singular(w) for w in words[:-1] if len(w) >= 3} - {
        module or "", *_KEY_WORDS, *_INFO_HEADS, *_GENERIC_PREFIXES}
    qualifiers -= {singular(w) for w in column}  # words the column names were matched by the name rules
    return len(qualifiers & context), len(qualifiers)


@functools.lru_cache(maxsize=16384)
def _table_words(table: str, prefix: str | None) -> tuple[str, ...]:
    """A table name's words without numbers and the product prefix (asked once per candidate pair)."""
    return tuple(_strip([x for x in tokenize_table(table) if not x.isdigit()], prefix))


def _siblings(child: str, parent: str, prefix: str | None) -> str | None:
    """The leading word two tables share (their module or archive: ``archived_``, ``finance_``), or None."""
    a, b = _table_words(child, prefix), _table_words(parent, prefix)
    return a[0] if len(a) > 1 and len(b) > 1 and a[0] == b[0] else None


def _owners(tables: Sequence[TableSchema]) -> dict[str, tuple[str, ...]]:
    """For each non-generic single primary-key name, the table that owns it (others are extensions).

    ``XS_JBXX.XH`` and ``XS_XJXX.XH`` are both keyed by ``XH``: the table with the most columns is the
    entity's main table, and the other's ``XH`` points at it (a 1:1 extension).
    """
    best: dict[str, TableSchema] = {}
    for t in tables:
        if len(t.primary_key) == 1:
            k = _norm(t.primary_key[0])
            cur = best.get(k)
            # A backup or history copy of the main table never owns its key, however many columns it has.
            if cur is None or (not is_copy(t.name), len(t.columns), t.name) > (
                    not is_copy(cur.name), len(cur.columns), cur.name):
                best[k] = t
    return {k: t.path for k, t in best.items()}


#: Bonus of a parent of the same dated shard as the referencing table (``_2026``, ``_202601``).
_SHARD_BONUS = 0.03


def _shard(table: str) -> str | None:
    """The date or period suffix of a table sharded by period (``stjy_kxmxb_2026`` → ``2026``), or None."""
    toks = tokenize_table(table)
    return toks[-1] if len(toks) > 1 and toks[-1].isdigit() and len(toks[-1]) >= 4 else None


#: Table words of copies: backups, history and log copies, temporary and dated snapshots.
_COPY_WORDS = frozenset({"bak", "backup", "bk", "his", "history", "hist", "copy", "old", "tmp", "temp", "snapshot",
                         "del", "deleted", "trash", "log", "logs", "audit", "shadow", "mirror"})
#: Factor of a candidate pointing at a copy from a table that is no copy itself.
_COPY = 0.8


def is_copy(table: str) -> bool:
    """``students_bak``, ``student_his``, ``t_student_copy1``, ``student_20190901``: a copy of another table."""
    toks = tokenize_table(table)
    words = {t.rstrip("0123456789") for t in toks}
    return bool(words & _COPY_WORDS) or (len(toks) > 1 and toks[-1].isdigit() and len(toks[-1]) >= 4)


#: Column words of ordering and position, never a reference (``order_num`` is no order's number).
_NEVER_KEYS = frozenset({"sort", "seq", "rank", "position", "idx", "index", "ordering", "weight"})
_SORT_COLUMNS = frozenset({("order", "num"), ("order", "number"), ("display", "order"), ("order",)})
#: Audit columns naming the user who created or changed a row (RuoYi and its kin store the user name).
_AUDIT_COLUMNS = frozenset({"createby", "updateby", "createdby", "updatedby", "modifiedby", "deletedby",
                            "creator", "modifier", "updater", "operator", "createuser", "updateuser",
                            "creatorid", "modifierid", "updaterid", "operatorid"})
#: Verbs of ``<verb>_by`` audit columns (``last_modified_by``, ``reply_by``, ``correct_by_id``).
_BY_COLUMN = re.compile(r"^[a-z]+by(id)?$")


def is_audit(tokens: Sequence[str], norm: str) -> bool:
    """``create_by``, ``created_by_id``, ``dmd_last_modified_by``, ``creator``: the user who did something."""
    if norm in _AUDIT_COLUMNS:
        return True
    toks = [t for t in tokens if not t.isdigit()]
    verb = toks[-2] if len(toks) >= 2 and toks[-1] == "by" else (toks[-3] if len(toks) >= 3 else "")
    return (len(toks) >= 2 and (toks[-1] == "by" or toks[-2:] == ["by", "id"]) and verb not in _NOT_AUDIT
            and _BY_COLUMN.match(norm) is not None)


_NOT_AUDIT = frozenset({"order", "sort", "group", "filter", "split", "pass", "near", "stand", "go", "partition",
                        "", "by", "locked", "picked", "claimed", "sorted", "ordered", "grouped", "partitioned"})
#: Strength of the ``user`` entity of a store's operators' login table (:func:`_login_table`).
_LOGIN_USER = 0.97
_USER_ENTITIES = frozenset({("user",), ("sys", "user"), ("account",), ("member",), ("admin",)})
_USERNAME_COLUMNS = ("username", "user_name", "login_name", "loginname", "account", "login")
_USERNAME_NORMS = frozenset({"username", "loginname", "useraccount", "loginaccount"})
_SCORE_AUDIT = 0.72
#: Factor of a text audit column's candidate to the users table's integer key (below the user name until
#: the values confirm it: 0.72 × 0.9 + 0.08 clears the threshold, 0.72 × 0.9 alone does not).
_AUDIT_AS_TEXT = 0.9


_Keys = dict[str, tuple[float, tuple[str, ...]]]
_Target = tuple[TableSchema, _Keys, list[tuple[tuple[str, ...], float]]]


def _users_table(targets: Sequence[_Target]) -> tuple[TableSchema, _Keys] | None:
    """The store's table of users (``sys_user``, ``users``), the target of audit columns.

    A table named for users that holds the logins wins; then any table named for users (``user_profiles``
    holding no login is a poorer guess than ``users``, but still the best the names give).
    """
    best: tuple[tuple[bool, bool, float], TableSchema, _Keys] | None = None
    for t, keys, ents in targets:
        strength = max((st for e, st in ents if e in _USER_ENTITIES), default=0.0)
        # A user name people sign in with outranks an e-mail login (a workflow engine's ``act_id_user``).
        rank = (holds_logins(t), bool({_norm(c.name) for c in t.columns} & _USER_NAMES), strength)
        if strength and keys and (best is None or rank > best[0]):
            best = (rank, t, keys)
    return (best[1], best[2]) if best else None


#: Column names of the user name people sign in with.
_USER_NAMES = frozenset({"username", "loginname", "login", "loginid", "useraccount", "accountname", "loginaccount",
                         "userlogin"})
#: Column names of a login (the user name people sign in with) and of its secret.
_LOGIN_NAMES = frozenset({"username", "loginname", "login", "loginid", "useraccount", "account", "accountname",
                          "loginaccount", "userlogin", "email"})
_SECRET_NAMES = frozenset({"password", "passwd", "pwd", "passwordhash", "pass", "userpassword", "loginpassword",
                           "encryptedpassword", "hashedpassword", "mm", "dlmm"})
#: Table words of the people who run a system: where no table is named for users, the one of them that
#: holds the logins is the users table (RosarioSIS ``staff``, ``tbl_admin``).
_OPERATOR_WORDS = frozenset({"staff", "teacher", "teachers", "employee", "employees", "admin", "admins",
                             "administrator", "administrators", "manager", "managers", "operator", "operators",
                             "jzg", "js"})


def holds_logins(table: TableSchema) -> bool:
    """Whether a table holds sign-in accounts: a login name and a password column."""
    names = {_norm(c.name) for c in table.columns}
    return bool(names & _LOGIN_NAMES) and bool(names & _SECRET_NAMES)


def _login_table(tables: Sequence[TableSchema], prefix: str | None) -> TableSchema | None:
    """The operators' login table of a store where no table named for users holds the logins, or None.

    What a human reads from ``user_id`` in such a store is "whoever signs in": the one table of staff or
    administrators with a login and a password (RosarioSIS ``staff`` beside a ``user_profiles`` of roles).
    """
    found = []
    for t in tables:
        words = set(_strip([x for x in tokenize_table(t.name) if not x.isdigit()], prefix))
        if not holds_logins(t) or len(t.primary_key) != 1:
            continue
        if {singular(w) for w in words} & {"user", "account", "member"}:
            return None  # a users table of its own: names decide as usual
        if words & _OPERATOR_WORDS:
            found.append(t)
    return found[0] if len(found) == 1 else None


#: Nouns of the part a person plays in a row; a column so named holds a user's key (``grader``,
#: ``sender_id``). A table of that role (``teachers``) outranks the users table by its own name.
_ROLE_NOUNS = frozenset({
    "author", "creator", "owner", "sender", "recipient", "receiver", "grader", "importer", "requester", "approver",
    "reviewer", "assignee", "reporter", "modifier", "seller", "buyer", "marker", "inviter", "invitee", "uploader",
    "submitter", "checker", "publisher", "editor", "instructor", "tutor", "mentor", "advisor", "provider",
    "physician", "doctor", "nurse", "referrer", "supervisor", "counselor", "counsellor", "coach",
})


#: Last words of columns holding several ids (``..._list``, ``..._ids``, ``..LB`` 列表).
_LIST_WORDS = frozenset({"list", "ids", "lb", "array", "csv", "set"})


def _polymorphic(table: TableSchema, tokens: Sequence[str]) -> bool:
    """``owner_type`` beside ``owner_id``: a reference whose table a type column chooses (polymorphic)."""
    if len(tokens) < 2 or tokens[-1] != "id":
        return False
    stem = "".join(tokens[:-1])
    return any(_norm(c.name) in (stem + "type", stem + "class", stem + "model", stem + "table") for c in table.columns)


def _person_role(tokens: Sequence[str], norm: str) -> bool:
    """``grader``, ``sender_id``, ``allocatedmarker``: a person named by their part in the row."""
    toks = [t for t in tokens if not t.isdigit()]
    if toks and toks[-1] == "id":
        toks = toks[:-1]
    if len(toks) == 1:
        word = toks[0]
        return word in _ROLE_NOUNS or any(word.endswith(r) and len(word) - len(r) >= 4 for r in _ROLE_NOUNS)
    return len(toks) == 2 and toks[-1] in _ROLE_NOUNS


def _audit_candidate(table: TableSchema, col: ColumnInfo, users: tuple[TableSchema, _Keys],
                     why: tuple[str, ...] = ("name:audit",)) -> list[Candidate]:
    """``create_by`` → the users table: its user-name column for text, its key for integers."""
    target, keys = users
    family = type_family(col.type_name)
    key = next(iter(keys))
    by_id = _tokens(col.name)[-1:] == ["id"]  # ``create_by_id`` holds the key whatever its type
    if family == "text" and not by_id and type_family((target.column(key) or col).type_name) != "text":
        by_norm = {_norm(c.name): c.name for c in target.columns}
        name = next((by_norm[n] for n in map(_norm, _USERNAME_COLUMNS) if n in by_norm), None)
        # A text ``creator`` holds the user's name (RuoYi) or the user's id written as text (ruoyi-vue-pro):
        # the name by default, the id where the values say so (it is accepted only once contained).
        by_key = Candidate(table.path, col.name, target.path, key, round(_SCORE_AUDIT * _AUDIT_AS_TEXT, 4),
                           (*why, "type_mismatch"))
        if name is None:
            return [by_key]
        return [Candidate(table.path, col.name, target.path, name, _SCORE_AUDIT, why), by_key]
    typed = _type_factor(col.type_name, (target.column(key) or col).type_name)
    if typed is None:
        return []
    return [Candidate(table.path, col.name, target.path, key, round(_SCORE_AUDIT * typed[0], 4),
                      (*why, *typed[1]))]


def _needles(keys: _Keys, ents: list[tuple[tuple[str, ...], float]], prefix: str | None) -> tuple[str, ...]:
    """Strings one of which a column's folded name must contain for any name rule to match this table."""
    out: set[str] = set()
    for key in keys:
        for ref in (_tokens(key), _strip(_tokens(key), prefix)):
            if ref and not (len(ref) == 1 and ref[0] in _GENERIC):
                out.add("".join(ref))
    for e, _ in ents:
        name = _norm("".join(e))
        if len(name) >= 2:
            out.add(name)
        for sx in _PINYIN_INFO:
            if name.endswith(sx) and len(name) - len(sx) >= 2:
                out.add(name[: -len(sx)])
        out.update(name[i:] for i in range(1, len(name) - 3))  # ``pjxmid`` → ``jxlxpjxm``: a column of the head
    return tuple(sorted(out, key=len))


def column_prefix(table: TableSchema) -> str | None:
    """A short first word most of a table's columns carry (OpenHospital's ``dmd_created_by``), or None."""
    if len(table.columns) < 3:
        return None
    firsts: dict[str, int] = {}
    for c in table.columns:
        toks = _tokens(c.name)
        if len(toks) > 1:
            firsts[toks[0]] = firsts.get(toks[0], 0) + 1
    if not firsts:
        return None
    word, count = max(firsts.items(), key=lambda kv: kv[1])
    return word if count >= max(3, 0.6 * len(table.columns)) and len(word) <= 6 else None


#: Column names of a row's parent row in the same table (a tree of departments, menus, categories).
_PARENT_COLUMNS = frozenset({"parentid", "parent", "pid", "parentcode", "parentno", "fid", "superid", "upid"})
#: Table words of people: their ``parent_id`` is a guardian, not a parent row.
_PERSON_TABLE_WORDS = frozenset({"student", "stu", "pupil", "child", "kid", "baby", "user", "person", "member",
                                 "account", "patient", "customer", "xs", "yr", "family", "guardian", "contact"})
_SCORE_PARENT_ROW = 0.93


def _parent_row(t: TableSchema, col: ColumnInfo, cn: str, prefix: str | None,
                key_names: frozenset[str] = frozenset()) -> Candidate | None:
    """``sys_dept.parent_id`` → ``sys_dept.dept_id``: a tree's parent row, in a table of no person."""
    if cn not in _PARENT_COLUMNS or len(t.primary_key) != 1 or t.primary_key[0] == col.name:
        return None
    if cn in ("pid", "fid") and cn in key_names:
        return None  # ``pid`` where a table is keyed by ``pid`` (OpenEMR's patients) is that table's key
    if set(tokenize_table(t.name)) & _PERSON_TABLE_WORDS:
        return None
    if any(_names_child(c.name) for c in t.columns):
        return None  # a row about a child: its ``parent_id`` is the child's parent
    tree = bool(set(tokenize_table(t.name)) & _TREE_WORDS) or any(
        _norm(c.name) in ("ancestors", "treepath", "path", "level", "depth", "lft", "rgt") for c in t.columns)
    if not tree and cn not in ("parentid", "parent"):
        return None  # ``pid`` of a work item is a person as often as a parent row
    key = t.primary_key[0]
    key_col = t.column(key)
    if key_col is None or type_family(key_col.type_name) != type_family(col.type_name):
        return None
    # Outside an obvious tree a table of parents (guardians) named like the column competes, and wins.
    return Candidate(t.path, col.name, t.path, key, _SCORE_PARENT_ROW if tree else _SCORE_ENTITY * 0.94,
                     ("name:parent_row", "self_reference"))


#: Table words of trees: their ``parent_id`` is a parent row.
_TREE_WORDS = frozenset({
    "dept", "department", "menu", "category", "categories", "region", "area", "org", "organization", "organisation",
    "node", "folder", "comment", "comments", "section", "structure", "element", "elements", "unit", "catalog",
    "tree", "module", "permission", "resource", "dict", "district", "city", "province", "tag", "topic", "post",
    "posts", "reply", "task", "item", "items", "period", "periods", "page", "level", "group", "groups",
})


def _names_child(column: str) -> bool:
    toks = set(_tokens(column))
    return bool(toks & {"student", "stu", "pupil", "child", "kid", "baby", "xs", "ward"}) and bool(toks & _KEY_WORDS)


def _borrowed_key(key: str, p: TableSchema, prefix: str | None, entity_tables: Mapping[str, set[tuple[str, ...]]],
                  ents: Sequence[tuple[tuple[str, ...], float]]) -> bool:
    """Whether ``p`` is keyed by another entity's key (a school's settings row keyed by ``school_id``).

    Such a table is a 1:1 extension of the entity's own table; a column of that name points at the entity.
    """
    stem = _stem(_norm("".join(_strip(_tokens(key), prefix))))
    if not stem:
        return False
    owners = entity_tables.get(stem, set())
    own = {_norm("".join(e)) for e, st in ents if st >= 0.9}
    return bool(owners - {p.path}) and stem not in own


#: ``sid``, ``kid``, ``mnid``: a key called by the initials of its table's entity (``tbl_student.studentid``).
_INITIAL_ID = re.compile(r"^([a-z]{1,2})id$")
#: Score of an initials candidate: below the threshold until the values single it out (see choose_parents).
_SCORE_INITIAL = 0.63


def _initials_index(targets: Sequence[_Target]) -> dict[str, list[int]]:
    """Tables keyed by ``<entity>id`` (``tbl_student.studentid``), by their entity's initials.

    Only such stores abbreviate keys to initials (``sid``, ``cid``); a table keyed by a bare ``id`` is never
    a target.
    """
    out: dict[str, list[int]] = {}
    for i, (t, _keys, ents) in enumerate(targets):
        if len(t.primary_key) != 1:
            continue
        pk = _norm(t.primary_key[0])
        for e, strength in ents:
            if strength < 1.0 or pk != _norm("".join(e)) + "id":
                continue
            letters = {"".join(w[0] for w in e if w)}
            if len(e) == 1:
                letters.add(e[0][0])
            for x in letters:
                if x.isascii() and x.isalpha():
                    out.setdefault(x, []).append(i)
            break
    return out


def _names_own_entity(col_tokens: Sequence[str], ents: Sequence[tuple[tuple[str, ...], float]]) -> bool:
    """Whether a column's words hold a table's full entity name (``main_route_id`` of ``routes``)."""
    words = [singular(w) for w in col_tokens]
    for e, strength in ents:
        n = len(e)
        if strength >= 1.0 and any(tuple(words[i:i + n]) == e for i in range(len(words) - n + 1)):
            return True
    return False


def _shared_entity(key: str, prefix: str | None, heads: Mapping[str, int]) -> bool:
    """Whether the entity a key is named for heads the names of several tables (``*_categories``)."""
    toks = _strip(_tokens(key), prefix)
    return len(toks) == 2 and toks[-1] in _KEY_WORDS and heads.get(singular(toks[0]), 0) >= 2


def name_candidates(tables: Sequence[TableSchema]) -> list[Candidate]:
    """Every name-based candidate link among one store's tables (metadata only, no query).

    Args:
        tables: The store's tables.

    Returns:
        Candidates, several per column where several tables could be meant.
    """
    prefix = product_prefix(tables)
    owners = _owners(tables)
    targets = [(t, _keys_of(t, prefix), entities(t.name, prefix, t.comment)) for t in tables]
    if not any(e in _SUBJECT_ENTITIES and st >= 0.8 for _t, _k, ents in targets for e, st in ents):
        # A store without a pupils' table keeps its pupils among the users (Laravel's ``users`` with a role):
        # ``student_id`` is then a user's key.
        targets = [(t, keys, [*ents, *((((a,), st * 0.88) for e, st in ents if e in (("user",), ("person",))
                                        for a in _SUBJECT_ALIASES))]) for t, keys, ents in targets]
    login = _login_table(tables, prefix)
    if login is not None:
        # ``user_id`` in a store whose users sign in from its staff table is that table's key: a little
        # below a table named for users (strength 1.0), above one merely headed so (``user_profiles``, 0.96).
        targets = [(t, keys, [*ents, (("user",), _LOGIN_USER)] if t.path == login.path else ents)
                   for t, keys, ents in targets]
    # Which tables a column could name: every needle of every table, by needle, so a column looks up its own
    # substrings instead of testing every table (2,000 tables × 20,000 columns).
    by_needle: dict[str, set[int]] = {}
    entity_tables: dict[str, set[tuple[str, ...]]] = {}
    for i, (t, keys, ents) in enumerate(targets):
        for needle in _needles(keys, ents, prefix):
            by_needle.setdefault(needle, set()).add(i)
        if keys:
            for e, strength in ents:
                if strength >= 0.85:
                    entity_tables.setdefault(_norm("".join(e)), set()).add(t.path)
    initials = _initials_index(targets)
    key_names = frozenset(_norm(k) for _t, keys, _e in targets for k in keys)
    heads: dict[str, int] = {}
    for _t, keys, ents in targets:
        if keys:
            for e, strength in ents:
                if len(e) == 1 and 0.9 <= strength < 1.0:
                    heads[e[0]] = heads.get(e[0], 0) + 1
    longest = max((len(n) for n in by_needle), default=0)
    declared = {(t.path, fk.columns[0]) for t in tables for fk in t.foreign_keys if len(fk.columns) == 1}
    users = _users_table(targets)
    out: list[Candidate] = []
    for t in tables:
        own_pk = set(t.primary_key)
        col_prefix = column_prefix(t)
        for col in t.columns:
            if (t.path, col.name) in declared:
                continue  # the database says where it points
            ct = _tokens(col.name)
            cn = _norm(col.name)
            if not ct or set(ct) & _NEVER_KEYS or tuple(ct) in _SORT_COLUMNS:
                continue
            forms = [(ct, cn)]
            if col_prefix and len(ct) > 1 and ct[0] == col_prefix:
                forms.append((ct[1:], "".join(ct[1:])))  # ``dmd_created_by`` is ``created_by``
            if len(ct) > 1 and "fk" in (ct[0], ct[-1]):
                rest = ct[1:] if ct[0] == "fk" else ct[:-1]
                rest = rest if rest[-1] in _KEY_WORDS else [*rest, "id"]
                forms.append((rest, "".join(rest)))  # ``fk_student``, ``class_fk`` are ``student_id``, ``class_id``
            if ct[-1] in _LIST_WORDS:
                continue  # ``gibbonYearGroupIDList``, ``BJIDLB`` (班级ID列表): lists of ids are left out
            if _polymorphic(t, ct):
                continue  # ``receiver_type`` + ``receiver_id``: the type column says which table (left out)
            if users is not None and users[0].path != t.path and type_family(col.type_name) != "text" \
                    and any(_person_role(f, n) for f, n in forms):
                out.extend(_audit_candidate(t, col, users, ("name:person_role",)))
            if users is not None and users[0].path != t.path and cn in _USERNAME_NORMS \
                    and type_family(col.type_name) == "text":
                # A login log's or a session's ``username`` is the user's (labelling §4: a natural key).
                target = next((c.name for c in users[0].columns if _norm(c.name) in _USERNAME_NORMS), None)
                if target is not None:
                    out.append(Candidate(t.path, col.name, users[0].path, target, _SCORE_AUDIT, ("name:username",)))
                    continue
            if any(is_audit(f, n) for f, n in forms) and users is not None:
                # A text ``created_by`` holds a user name only in a table named for users; beside a staff
                # login table it is as often the person's display name (RosarioSIS).
                by_name = login is None or users[0].path != login.path or type_family(col.type_name) != "text"
                if by_name and (users[0].path != t.path or col.name not in own_pk):
                    out.extend(_audit_candidate(t, col, users))
                continue
            parent_row = _parent_row(t, col, cn, prefix, key_names)
            if parent_row is not None:
                out.append(parent_row)
            abbreviated = _INITIAL_ID.match(cn)
            if abbreviated and (col.name,) != t.primary_key:
                for index in initials.get(abbreviated.group(1), ()):
                    p = targets[index][0]
                    key = p.primary_key[0]
                    key_col = p.column(key)
                    if p.path != t.path and key_col is not None and \
                            type_family(key_col.type_name) == type_family(col.type_name) == "int":
                        out.append(Candidate(t.path, col.name, p.path, key, _SCORE_INITIAL, ("name:initial",)))
            reachable: set[int] = set()
            for a in range(len(cn)):
                for b in range(a + 1, min(len(cn), a + longest) + 1):
                    reachable |= by_needle.get(cn[a:b], set())
            for index in sorted(reachable):  # tables no name rule can match are never looked at
                p, keys, ents = targets[index]
                for key, (key_factor, key_evidence) in keys.items():
                    if p.path == t.path and key == col.name:
                        continue
                    named = None
                    for f_tokens, f_norm in forms:
                        found = _name_score(f_tokens, f_norm, key, ents, prefix)
                        if found is not None and (named is None or found[0] > named[0]):
                            named = found
                    if named is None:
                        continue
                    score, why = named
                    if (col.name,) == t.primary_key and not (
                        why == "name:key" and len(own_pk) == 1 and owners.get(_norm(key)) == p.path != t.path
                    ):
                        continue  # a table's own key points elsewhere only as a 1:1 extension of the owner
                    if p.path == t.path and why in ("name:key", "name:entity", "name:bare_entity"):
                        continue  # ``employees.employee_number``: an alternate key of its own table
                    if p.path != t.path and why != "name:key" and p.column(col.name) is not None \
                            and not _names_own_entity(ct, ents):
                        # ``assigned_teachers`` has a ``teacher_id`` of its own: it points at the teachers. (A
                        # ``routes.main_route_id`` names the routes themselves: a tree, still their table.)
                        continue
                    if why == "name:key" and owners.get(_norm(key), p.path) != p.path:
                        continue  # the key's name is owned by another table (its main table)
                    if why == "name:key" and t.is_key(col.name) and (key,) != p.primary_key:
                        continue  # two tables' unique ``barcode`` columns are peers, not a reference
                    key_col = p.column(key)
                    typed = _type_factor(col.type_name, key_col.type_name if key_col else "")
                    if typed is None:
                        continue
                    factor, type_evidence = typed
                    if why == "name:bare_entity" and factor < 1.0:
                        continue  # a bare ``course`` holding text is the course's name, not its key
                    if "entity_key" in key_evidence and "type_mismatch" in type_evidence:
                        continue  # a guessed business key (学号 text) is not what an integer XH (序号) holds
                    evidence = (why, *key_evidence, *type_evidence)
                    if why == "name:key" and _borrowed_key(key, p, prefix, entity_tables, ents):
                        score *= _BORROWED
                        evidence = (*evidence, "borrowed_key")
                    elif why == "name:key" and _shared_entity(key, prefix, heads):
                        # ``category_id`` in a store of several ``*_categories`` tables says no more than the
                        # entity does: the tables' own names (and the values) choose.
                        score = min(score, _SCORE_ENTITY * 0.96)
                        evidence = (*evidence, "shared_entity")
                    module = _siblings(t.name, p.name, prefix)
                    if module is not None:
                        # archived_employee_bank_details → archived_employees, not employees: a module word
                        # that names no entity of its own (``archived``) groups tables more than ``student_``.
                        score += _SIBLING_BONUS if module in entity_tables else _MODULE_BONUS
                    shared, qualifiers = _shared_qualifiers(t.name, ct, p.name, prefix, module) \
                        if p.path != t.path else (0, 0)
                    if shared and shared == qualifiers:
                        # ``address_fields.category_id`` → ``address_field_categories``, not
                        # ``food_service_categories``: every word qualifying the parent's entity is the row's own
                        # (a parent qualified by words the row does not say is another module's).
                        score += _QUALIFIER_BONUS * min(shared, 3)
                        evidence = (*evidence, f"qualified:{shared}")
                    if p.path != t.path and _shard(t.name) is not None and _shard(t.name) == _shard(p.name):
                        score += _SHARD_BONUS  # ``kxmxb_2026`` → ``xyxxb_2026``: one year's tables together
                        evidence = (*evidence, "same_shard")
                    if p.path == t.path:
                        evidence = (*evidence, "self_reference")
                    elif is_copy(p.name) and not is_copy(t.name):
                        score *= _COPY  # ``student_id`` points at ``students``, not at ``students_bak``
                        evidence = (*evidence, "copy")
                    out.append(Candidate(t.path, col.name, p.path, key, round(score * factor * key_factor, 4),
                                         evidence))
    return _history_of(tables, out)


#: Columns of a history or backup row naming the row it copies (``mdl_grade_items_history.oldid``).
_ORIGIN_COLUMNS = frozenset({"oldid", "originalid", "origid", "sourceid", "srcid", "itemid", "rowid", "recordid"})


def _history_of(tables: Sequence[TableSchema], candidates: list[Candidate]) -> list[Candidate]:
    """In a history copy (``X_history``), its own key's name and self-references mean the base table ``X``.

    ``mdl_grade_categories_history.parent`` is a grade category, and ``oldid`` the row the history copies.
    """
    by_name = {t.name.lower(): t for t in tables}
    out = []
    for c in candidates:
        if c.from_path == c.to_path and is_copy(c.from_path[-1]):
            base = _base_table(c.from_path[-1], by_name)
            if base is not None and len(base.primary_key) == 1:
                c = Candidate(c.from_path, c.column, base.path, base.primary_key[0], c.score,
                              (*(e for e in c.evidence if e != "self_reference"), "history_base"))
        out.append(c)
    seen = {(c.from_path, c.column) for c in out}
    for t in tables:
        base = _base_table(t.name, by_name) if is_copy(t.name) else None
        if base is None or len(base.primary_key) != 1:
            continue
        for col in t.columns:
            if _norm(col.name) in _ORIGIN_COLUMNS and (t.path, col.name) not in seen and col.name not in t.primary_key:
                key_col = base.column(base.primary_key[0])
                if key_col is not None and type_family(key_col.type_name) == type_family(col.type_name):
                    out.append(Candidate(t.path, col.name, base.path, base.primary_key[0], _SCORE_ENTITY,
                                         ("name:history_origin",)))
    return out


def _base_table(name: str, by_name: Mapping[str, TableSchema]) -> TableSchema | None:
    """``mdl_grade_items_history`` → ``mdl_grade_items``; ``students_bak2`` → ``students``."""
    low = name.lower()
    for word in _COPY_WORDS:
        for cut in (f"_{word}", word):
            stem = re.sub(rf"{re.escape(cut)}\d*$", "", low)
            if stem != low and stem in by_name:
                return by_name[stem]
    return None


#: Factor of a candidate to a table keyed by another entity's key (a settings row keyed by ``school_id``).
_BORROWED = 0.7


def _adjust(c: Candidate, found: Containment | None) -> tuple[float, tuple[str, ...]]:
    if found is None:
        return c.score, c.evidence
    if found.error is not None:
        return c.score, (*c.evidence, "unverified")
    drift = ("case_drift",) if found.drift else ()
    how = found.method or ("exact" if found.exact else "sampled")
    if found.margin is not None and not found.exact:
        drift = (*drift, f"margin:{round(found.margin, 3)}")
    if found.share is None:
        return c.score, (*c.evidence, *drift)
    share = round(found.share, 3)
    if share >= 0.9:
        return min(0.99, c.score + 0.08), (*c.evidence, f"contained:{share}", how, *drift)
    if share >= 0.5:
        return c.score * 0.9, (*c.evidence, f"partial:{share}", how, *drift)
    return c.score * 0.4, (*c.evidence, f"not_contained:{share}", how, *drift)


def weighed(c: Candidate, found: Containment | None) -> float:
    """The candidate's confidence once its values are weighed (as :func:`choose_parents` sees it)."""
    return _adjust(c, found)[0]


def may_matter(c: Candidate, best: float) -> bool:
    """Whether weighing this candidate's values could change its column's parent or make it ambiguous.

    ``best`` is what another candidate of the column already weighs; values raise a score only so far.
    Initials are always weighed: how many of them the values confirm decides (:func:`choose_parents`).
    """
    if "name:initial" in c.evidence:
        return True
    return max(c.score, weighed(c, Containment(1.0))) >= best - _TIE


def declared_links(connector: str, tables: Sequence[TableSchema]) -> list[TableLink]:
    """The foreign keys the database declares (composite ones whole), confidence 1.0."""
    out = []
    for t in tables:
        for fk in t.foreign_keys:
            evidence = ("declared", *(("self_reference",) if fk.ref_path == t.path else ()),
                        *(("composite",) if len(fk.columns) > 1 else ()))
            out.append(TableLink(connector, t.path, fk.columns, fk.ref_path, fk.ref_columns, 1.0, True, True,
                                 evidence))
    return out


_Scored = list[tuple[float, tuple[str, ...], Candidate]]


def _audit_convention(by_column: Mapping[tuple[tuple[str, ...], str], _Scored]) -> None:
    """Text audit columns whose values say nothing follow what the store's other ones hold (in place).

    A store writes ``creator`` one way everywhere: where the values of most text audit columns with rows
    matched the users' ids and not their names, an empty table's ``creator`` holds an id too.
    """
    votes = {"key": 0, "name": 0}
    undecided = []
    for scored in by_column.values():
        audit = [s for s in scored if "name:audit" in s[2].evidence]
        if len(audit) != 2 or len(audit) != len(scored):
            continue
        contained = [s for s in audit if any(e.startswith("contained:") for e in s[1])]
        if len(contained) == 1:
            votes["key" if "type_mismatch" in contained[0][2].evidence else "name"] += 1
        elif not any(e.startswith(("contained:", "partial:", "not_contained:")) for s in audit for e in s[1]):
            undecided.append(scored)
    if votes["key"] >= 2 and votes["key"] > 2 * votes["name"]:
        for scored in undecided:
            by_name = next(s for s in scored if "type_mismatch" not in s[2].evidence)
            by_key = next(s for s in scored if "type_mismatch" in s[2].evidence)
            scored.remove(by_name)
            scored.remove(by_key)
            scored += [(by_name[0], by_key[1] + ("store_convention",), by_key[2]), (by_key[0], by_name[1], by_name[2])]


def choose_parents(
    connector: str,
    candidates: Sequence[Candidate],
    containment: Mapping[Candidate, Containment] | None = None,
    threshold: float = ACCEPT_THRESHOLD,
) -> list[TableLink]:
    """One parent per referencing column: the best-scoring candidate once values are weighed.

    A column whose two best candidates score within a hair of each other, with nothing in the values to
    tell them apart, keeps the better one with a lower confidence (``ambiguous``).
    """
    containment = containment or {}
    by_column: dict[tuple[tuple[str, ...], str], list[tuple[float, tuple[str, ...], Candidate]]] = {}
    for c in candidates:
        score, evidence = _adjust(c, containment.get(c))
        by_column.setdefault((c.from_path, c.column), []).append((score, evidence, c))
    _audit_convention(by_column)
    out = []
    for (_path, _col), scored in sorted(by_column.items()):
        scored.sort(key=lambda s: (-s[0], s[2].to_path, s[2].key))
        score, evidence, best = scored[0]
        verified = any(e.startswith("contained:") for e in evidence)
        if len(scored) > 1 and scored[1][0] >= score - _TIE and not verified:
            score, evidence = score * _AMBIGUOUS, (*evidence, "ambiguous")
        elif "name:initial" in best.evidence and (not verified or sum(
                1 for _s, ev, c in scored if "name:initial" in c.evidence
                and any(e.startswith("contained:") for e in ev)) > 1):
            # Initials name several tables: only the values can single one out.
            score, evidence = min(score, threshold - 0.01) * _AMBIGUOUS, (*evidence, "ambiguous")
        if score < 0.3:
            continue  # the values contradict the name: no link
        score = round(score, 3)
        out.append(TableLink(connector, best.from_path, (best.column,), best.to_path, (best.key,), score, False,
                             score >= threshold, evidence))
    return out


def infer_links(
    connector: str,
    tables: Sequence[TableSchema],
    containment: ContainmentFn | None = None,
    threshold: float = ACCEPT_THRESHOLD,
) -> list[TableLink]:
    """Declared links, then inferred ones (one parent per column).

    Args:
        connector: Connector name (on every link).
        tables: The store's tables.
        containment: Checks a candidate against the values (None: names, types and keys only).
        threshold: Confidence from which a link is accepted.

    Returns:
        Every link, declared first.
    """
    candidates = name_candidates(tables)
    checked: dict[Candidate, Containment] = {}
    if containment is not None:
        for c in candidates:
            checked[c] = containment(c)
    return [*declared_links(connector, tables), *choose_parents(connector, candidates, checked, threshold)]
