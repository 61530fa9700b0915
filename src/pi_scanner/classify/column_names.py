"""What a column's name (and its table's name and comment) says about its content.

Most PI columns are empty at scan time (a fresh install, a new tenant), so the name often carries the
verdict. Names are tokenised properly (snake_case, camelCase, digits, pinyin initials, Chinese) and
matched token by token: substring rules misfire (``ethnicity`` contains ``city``, every ``…PersonID``
foreign key contains ``person``), exact-name rules miss ``bound_phone`` and ``staff_home_phone``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pi_scanner.classify.entities import CODED, hint_tables

Role = Literal["subject", "guardian", "unknown"]

# Entity names used by the rules below (the registry holds every type and its hints).
RID = "CN_RESIDENT_ID"
NAME = "PERSON_NAME"
DOB = "DATE_OF_BIRTH"
STUDENT = "CN_STUDENT_NUMBER"
GRADE = "GRADE_CLASS"
SCHOOL = "SCHOOL_NAME"
MOBILE = "CN_MOBILE"
LANDLINE = "CN_LANDLINE"
ADDRESS = "CN_ADDRESS"
EMAIL = "EMAIL_ADDRESS"
PASSPORT = "CN_PASSPORT"
BANK = "CN_BANK_CARD"
BIRTH_CERT = "CN_BIRTH_CERTIFICATE"
RELATION = "GUARDIAN_RELATION"
AGE = "AGE_TEXT"
PHONE = (MOBILE, LANDLINE)


@dataclass(frozen=True)
class NameHint:
    """The verdict of a column name.

    Attributes:
        entities: Entity types the name suggests, most likely first (empty: the name says nothing).
        role: Whose data the column holds: the record's ``subject``, a ``guardian``, or ``unknown``.
        date_column: The column holds birth dates, so compact ``20150304``, epoch and Excel serial values
            may be read as dates of birth.
        minor_flag: The column flags minors or child accounts (``is_minor``, ``teen_mode``).
        strength: 0..1, how strongly the name alone suggests the entities.
        non_pi: The name says the values are business identifiers (order, trade, serial numbers), so
            ID-shaped values in it are coincidences unless most values validate.
    """

    entities: tuple[str, ...] = ()
    role: Role = "unknown"
    date_column: bool = False
    minor_flag: bool = False
    strength: float = 0.0
    non_pi: bool = False


_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[\u3400-\u9fff]+")


def tokenize(name: str) -> list[str]:
    """Split a column name into lower-case tokens.

    ``phone1CountryCode`` → ``phone 1 country code``; ``parent2_mobile`` → ``parent 2 mobile``;
    ``JHR_DH`` → ``jhr dh``; ``监护人电话`` → ``监护人电话`` (CJK runs stay whole; they are matched by
    substring because Chinese has no word separators). A long run of lower-case letters that is no word
    itself (PostgreSQL folds ``dateOfBirth`` to ``dateofbirth``) is split into dictionary words when it
    can be split whole (:func:`split_folded`).
    """
    text = unicodedata.normalize("NFKC", name)
    tokens: list[str] = []
    for part in re.split(r"[^0-9A-Za-z\u3400-\u9fff]+", text):
        if part:
            for t in _CAMEL.findall(part):
                tokens.extend(split_folded(t.lower()))
    return tokens


#: English words of schemas, beyond those in the hint tables below, that a folded name may be made of.
#: Whole words that merely *contain* other words are listed too, so they are never split
#: (``ethnicity`` is not ``ethnic city``, ``username`` is not a person's name).
_SCHEMA_WORDS_TEXT = """
    name names first last middle given family full real legal official preferred nick sur display short
    long birth date day month year of in on at by to for and or no not num number code id ids uuid key
    phone mobile cell tel telephone fax home work office emergency contact contacts primary secondary
    alternate alt other second third extra main default
    country countries state province city town district county region zip postal post postcode street
    road address addresses addr line mail email emails e web site
    parent parents guardian guardians mother father mom dad family relation relationship relationships
    student students stu pupil pupils child children kid kids person people persons user users member
    staff teacher teachers employee employees account accounts profile profiles login
    national identity resident citizen citizenship card cards passport passports certificate cert
    document documents license licence visa expiry expires issue issued
    school schools class classes grade grades batch section course courses subject enrolment enrollment
    join joins link links map mapping role roles type types status flag flags category categories
    in characters character chinese english local native pinyin
    gender sex age ethnicity ethnic religion nationality language languages race blood
    photo image picture avatar file files path url scan
    last next previous prev current new old start end created updated modified deleted time stamp
    count total amount value values field fields custom label title description note notes comment
    comments setting settings config system
    is has can allow show view receive verified valid confirmed public private
    username usernames password passwords hostname filename timestamp datetime website lastname firstname
    surname nickname fullname birthday birthdate realname ethnicity nationality citizenship
    characters relationship emergency household adult adults enrolment enrolments weightage percentage
    message messages html
    homework homeworks markbook gradebook coursework behaviour behavior attendance attendances vitals encounter
    encounters immunization immunizations immunisation prescription prescriptions medication medications
    diagnosis allergy allergies procedure procedures scholarship timesheet signin checkin assessment
    assessments submission submissions enrolment enrollment invoice payment payments feedback format
    information lock max min raw aggregation
"""
_SCHEMA_WORDS = frozenset(_SCHEMA_WORDS_TEXT.split())


def _vocabulary() -> frozenset[str]:
    words = set(_SCHEMA_WORDS)
    words.update(k for k in _TOKEN_ENTITIES if k.isalpha() and len(k) > 3)
    words.update(w for pair in _PAIR_ENTITIES for w in pair)
    words.update(_NAME_OWNERS_NOT_PERSON, _META_SUFFIX, _META_PREFIX, _NON_PI_WORDS)
    words.update(_GUARDIAN_WORDS, _SUBJECT_WORDS, _MINOR_TOKENS)
    # Pinyin initials (``xm``, ``dh``, ``bj``) stay out: they would split English words into nonsense.
    return frozenset(w for w in words if w.isalpha() and (len(w) > 2 or w in _SHORT_WORDS))


#: Short words allowed as pieces of a folded name; other one- and two-letter pieces are not words.
_SHORT_WORDS = frozenset({"of", "in", "id", "no", "at", "by", "to", "on", "is", "ip", "zip", "dob", "sex", "age"})
#: Shortest folded run worth splitting (shorter runs are words or pinyin initials).
_MIN_FOLDED = 6


def split_folded(token: str) -> list[str]:
    """Split a folded run of words (``dateofbirth``) into dictionary words (``date of birth``).

    Only long, purely alphabetic tokens that are no word themselves are split, and only when the
    whole token is covered by known words; among the coverings the one with the fewest pieces wins
    (ties keep the longest leading word). Anything else, pinyin initials included, is returned
    unchanged: a folded name that is not made of known words says nothing we could trust.

    Args:
        token: One lower-case token.

    Returns:
        The pieces, or ``[token]``.
    """
    vocab = _VOCAB
    if len(token) < _MIN_FOLDED or not token.isalpha() or not token.isascii() or token in vocab:
        return [token]
    if token in _TOKEN_ENTITIES:
        return [token]
    n = len(token)
    # best[i]: the fewest-pieces covering of token[i:] (dynamic programming from the right).
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[n] = (0, [])
    for i in range(n - 1, -1, -1):
        choice: tuple[int, list[str]] | None = None
        for j in range(n, i, -1):  # longer words first: ties keep the longest leading piece
            rest = best[j]
            if rest is None or token[i:j] not in vocab:
                continue
            cand = (rest[0] + 1, [token[i:j], *rest[1]])
            if choice is None or cand[0] < choice[0]:
                choice = cand
        best[i] = choice
    found = best[0]
    if found is None or found[0] < 2:
        return [token]
    return found[1]


def tokenize_table(name: str) -> list[str]:
    """:func:`tokenize` for table names, which often carry a product prefix (``gibbonperson``).

    A folded token that is no word is split after an unknown prefix of three or more letters when the
    rest is made of known words (``gibbonstudentenrolment`` → ``gibbon student enrolment``). Only table
    names get this: in a column name an unknown prefix hides too many words (``storage`` is no ``age``).
    """
    out: list[str] = []
    for tok in tokenize(name):
        out.extend(_split_prefixed(tok))
    return out


def _split_prefixed(token: str) -> list[str]:
    if len(token) < 8 or not token.isalpha() or not token.isascii() or token in _VOCAB:
        return [token]
    for k in range(3, len(token) - 3):
        rest = token[k:]
        pieces = [rest] if rest in _VOCAB else split_folded(rest)
        # The first known word is a real word, not a particle glued to the prefix (``gibb`` + ``on``).
        if (rest in _VOCAB or len(pieces) > 1) and len(pieces[0]) >= 4:
            return [token[:k], *pieces]
    return [token]


# Name hints of every entity type come from the registry (token, two-token pair, Chinese word).
_TOKEN_ENTITIES, _REGISTRY_PAIRS, _CJK_ENTITIES, _STRENGTH = hint_tables()
# Two-token forms that say nothing although one of their tokens would (``country_of_birth`` is no date of
# birth, a phone's ``country_code`` no country of residence).
_PAIR_ENTITIES: dict[tuple[str, str], tuple[str, ...]] = {
    **_REGISTRY_PAIRS, ("country", "of"): (), ("country", "code"): (),
    # the system's own messages about a job or a record, not a message between people
    ("status", "message"): (), ("error", "message"): (),
}

# A name token preceded by one of these is not a person's name (``school_name`` is a school).
_NAME_OWNERS_NOT_PERSON: dict[str, tuple[str, ...]] = {
    "school": (SCHOOL,), "kindergarten": (SCHOOL,), "xx": (SCHOOL,), "class": (GRADE,), "grade": (GRADE,),
    "file": (), "table": (), "column": (), "product": (), "course": (), "company": (), "org": (),
    "dept": (), "department": (), "city": (), "province": (), "district": (), "street": (), "host": (),
    "item": (), "goods": (), "sku": (), "event": (), "app": (), "device": (), "role": (), "group": (),
    "tag": (), "category": (), "brand": (), "shop": (), "store": (), "bucket": (), "domain": (),
    "key": (), "field": (), "menu": (), "module": (), "job": (), "task": (), "template": (),
}

# Trailing tokens that make a column *about* the PI rather than holding it (``phone1Type``,
# ``mail_datetime``, ``email_verified``, ``phone_country_code``).
_META_SUFFIX = frozenset({
    "type", "status", "flag", "verified", "count", "cnt", "num_of", "time", "datetime", "timestamp", "date", "at",
    "id", "country", "code", "ext", "extension", "format", "mask", "hash", "len", "length", "valid",
    "confirmed", "visible", "public", "privacy", "opt", "enabled", "sent", "template", "kind", "is",
    "has", "updated", "created", "changed", "modified", "source", "label", "lang", "pattern", "prefix",
    # a coarse part of an address (``address1District``), a file about the PI (``birthCertificateScan``),
    # a property of a document (``passportExpiry``), a part of a name that is no name (``name_suffix``)
    "district", "scan", "image", "photo", "file", "path", "url", "expiry", "expires", "suffix",
    "display", "rotation", "title",
    # a flag or a date about a credential (``passwordForceReset``, ``password_changed``)
    "reset", "strength", "policy", "attempts", "failures",
})
# Trailing tokens that are the PI itself for some types: a password's hash, a photo's URL or file.
_MEDIA_SUFFIXES = frozenset({"url", "path", "file", "image", "photo", "src", "link", "data", "key"})
_OWN_SUFFIXES: dict[str, frozenset[str]] = {
    "PASSWORD_HASH": frozenset({"hash", "digest", "salt", "md5", "sha1", "sha256", "encrypted", "enc", "code", "key"}),
    "MARITAL_STATUS": frozenset({"status", "stat", "id", "code", "type"}),
    "PHOTO": _MEDIA_SUFFIXES,
    "MEDIA_RECORDING": _MEDIA_SUFFIXES,
}
# A code or a key of a personal attribute is that attribute (``gender_id``, ``ethnicity_code``).
_CODE_SUFFIXES = frozenset({"id", "code", "dm", "m", "key", "type"})
# Leading tokens that turn a column into a boolean or a count about the PI (``is_phone_verified``).
_META_PREFIX = frozenset({
    "is", "has", "num", "count", "cnt", "need", "allow", "show", "can", "view", "receive",
})

# Words marking business identifiers: ID-shaped values in such columns are coincidences.
_NON_PI_WORDS = frozenset({
    "order", "trade", "txn", "transaction", "serial", "sn", "iccid", "uscc", "invoice",
    "waybill", "tracking", "sku", "ddh", "lsh", "snowflake", "trace", "request", "batch",
    "credit", "tyshxydm", "xydm", "sim", "express",
})

_GUARDIAN_PREFIXES = ("jhr", "jz", "parent", "guardian", "mother", "father", "mom", "dad", "fq", "mq")
_GUARDIAN_WORDS = frozenset({
    "jhr", "jz", "parent", "parents", "guardian", "guardians", "mother", "father", "mom", "dad",
    "mum", "fq", "mq", "jzxx", "family", "emergency",
    # full pinyin, alone or run together (``jiazhangdianhua``)
    "jiazhang", "jianhuren", "fuqin", "muqin", "baba", "mama", "fumu", "jinjilianxiren",
    "mothersname", "fathersname", "guardiansname",
})
_SUBJECT_WORDS = frozenset({
    "student", "students", "children", "kids", "pupils", "stu", "xs", "child", "kid", "pupil", "baby",
    "infant", "ye", "xsxx",
    "xuesheng", "youer", "ertong", "haizi", "baobao", "xueyuan",
})

_MINOR_TOKENS = frozenset({"minor", "teen", "juvenile", "underage", "kid", "kids", "child", "children"})
_MINOR_NAMES = frozenset({
    "is_minor", "minor_mode", "teen_mode", "age_group", "parent_account_id", "child_account",
    "is_child", "kid_mode", "child_mode", "youth_mode", "is_kid", "child_account_id", "sfwcn",
})

_CJK_GUARDIAN = ("监护人", "家长", "父亲", "母亲", "爸爸", "妈妈", "紧急联系人", "父母")
_CJK_SUBJECT = ("学生", "儿童", "幼儿", "孩子", "宝宝", "患儿")
_CJK_MINOR = ("青少年模式", "未成年", "是否未成年", "儿童模式", "年龄段")
_CJK_NON_PI = ("订单", "流水号", "交易", "单号", "序列号", "信用代码", "发票")

_VOCAB = _vocabulary()

_VOWELS = frozenset("aeiouv")
#: Words of a person's work place: their contacts there are employment data.
_WORK_WORDS = frozenset({"office", "work", "workplace", "business", "biz", "company", "employer", "gzdw", "danwei"})
_WORK_CONTACT = frozenset({"CN_MOBILE", "CN_LANDLINE", "EMAIL_ADDRESS", "CN_ADDRESS", "ADDRESS_PART"})
#: Initials that end a compound name and say what it holds.
_TERMINAL_INITIALS = ("sfzjh", "sfzh", "csrq", "lxdh", "sjh", "xbm", "mzm", "xm", "dh", "bz", "sm", "nr", "ms", "zp",
                      "gh")  # ``RKJSGH`` 任课教师工号, ``JBRGH`` 经办人工号: a member of staff's number
#: English words that end a folded name and say what it holds.
_TERMINAL_WORDS = ("password", "passwd", "pwd", "phone", "mobile", "email", "longitude", "latitude", "lng", "lat",
                   "details", "sex", "gender", "birthday", "headurl", "avatar")


def _initials_entities(token: str) -> tuple[str, ...] | None:
    """Entities of a run of pinyin initials that is no hint itself (MOE data-standard names).

    ``jkzkm`` (健康状况码) is ``jkzk`` + 码; ``zgxlbyxx`` (最高学历毕业学校) starts with ``zgxl``. Only
    vowel-less tokens are read this way: they cannot be English or full pinyin.
    """
    if len(token) < 3 or not token.isalpha() or not token.isascii() or _VOWELS & set(token):
        return None
    if token.endswith("m") and token[:-1] in _TOKEN_ENTITIES:
        return _TOKEN_ENTITIES[token[:-1]]
    for k in range(len(token) - 1, 2, -1):
        ents = _TOKEN_ENTITIES.get(token[:k])
        if ents is not None and not _VOWELS & set(token[:k]):
            return ents
    # The last word of an initialism says what it is: ``bzrxm`` 班主任姓名, ``ydsm`` 异动说明.
    for tail in _TERMINAL_INITIALS:
        if token.endswith(tail) and len(token) > len(tail) and len(token) >= 4:  # not ``sms``
            return _TOKEN_ENTITIES.get(tail)
    return None


def _suffix_entities(token: str) -> tuple[str, ...] | None:
    """Entities of a folded English name ending in a credential or phone word (``studentpwd``, ``rectorphone``)."""
    for tail in _TERMINAL_WORDS:
        if token.endswith(tail) and len(token) > len(tail) + 2 and token.isascii():
            return _TOKEN_ENTITIES.get(tail)
    return None


def _strip_guardian_prefix(token: str) -> tuple[str, bool]:
    """``jhrsfzh`` → (``sfzh``, True); ``parentphone`` → (``phone``, True)."""
    for p in _GUARDIAN_PREFIXES:
        if token.startswith(p) and len(token) > len(p):
            return token[len(p) :], True
    return token, False


def _entities_from_tokens(tokens: list[str]) -> tuple[tuple[str, ...], bool]:
    """Entities suggested by tokens, and whether a guardian prefix was glued to one of them."""
    found: list[str] = []
    glued_guardian = False
    n = len(tokens)
    meta_tail = n > 1 and tokens[-1] in _META_SUFFIX
    meta_head = n > 1 and tokens[0] in _META_PREFIX
    skip = -1
    for i, tok in enumerate(tokens):
        if tok.isdigit() or i == skip:
            continue
        # Digits between the words of a pair do not split it (``emergency1Number1``).
        j = next((k for k in range(i + 1, n) if not tokens[k].isdigit()), n)
        nxt = tokens[j] if j < n else ""
        pair = _PAIR_ENTITIES.get((tok, nxt))
        if pair is not None:
            # A pair is one word: ``id_no`` is an ID number even though ``no``/``id`` alone say nothing.
            rest = tokens[j + 1 :]
            if not (rest and rest[-1] in _META_SUFFIX and rest[-1] not in {"no", "number"}):
                found.extend(pair)
            skip = j
            continue
        if tok == "birth" and i > 1 and tokens[i - 1] == "of" and tokens[i - 2] in {"country", "city", "place"}:
            continue  # ``countryOfBirth``, ``place_of_birth``: where, not when
        if tok in ("school", "xx") and any(not t.isdigit() and t not in {"name", "mc"} for t in tokens[i + 1 :]):
            continue  # ``school_number``, ``gibbonSchoolYearID``: the school's code or a year, not its name
        ents = _TOKEN_ENTITIES.get(tok) or _initials_entities(tok) or _suffix_entities(tok)
        if ents is None:
            base, glued = _strip_guardian_prefix(tok)
            ents = _TOKEN_ENTITIES.get(base) if glued else None
            if ents is None and glued and base in {"xm", "mc"}:
                ents = (NAME,)
            if ents is not None:
                glued_guardian = True
        if ents is None:
            continue
        if ents == (NAME,) and i > 0 and tokens[i - 1] in _NAME_OWNERS_NOT_PERSON:
            found.extend(_NAME_OWNERS_NOT_PERSON[tokens[i - 1]])
            continue
        if ents == (NAME,) and tok == "name" and tokens[-1] != "name" and meta_tail:
            continue
        # ``birth_date`` is the date itself, not data about a birth.
        if ents == (DOB,) and tokens[-1] in {"date", "day", "time", "datetime", "timestamp"}:
            found.extend(ents)
            continue
        # ``phone1Type``, ``mail_datetime``, ``email_verified``: the column describes the PI.
        describes = (meta_tail and i < n - 1 and tokens[-1] != tok) or meta_head
        own = _OWN_SUFFIXES.get(ents[0], _CODE_SUFFIXES if ents[0] in CODED else frozenset())
        if describes and tokens[-1] not in {"no", "number"} and tokens[-1] not in own:
            continue
        found.extend(ents)
    return tuple(dict.fromkeys(found)), glued_guardian


def _cjk_entities(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for word, ents in _CJK_ENTITIES:
        if word in text:
            found.extend(ents)
            if word in ("出生医学证明", "出生证"):
                text = text.replace(word, "")
    # 出生 alone (出生地 = birthplace) is an address, not a date.
    if "出生地" in text:
        found = [e for e in found if e != DOB] + [ADDRESS]
    return tuple(dict.fromkeys(found))


def _role_of(tokens: list[str], text: str, glued: bool) -> Role:
    if glued or any(t in _GUARDIAN_WORDS for t in tokens) or any(w in text for w in _CJK_GUARDIAN):
        return "guardian"
    if any(t.startswith(_GUARDIAN_PREFIXES[:2]) and len(t) <= 6 for t in tokens if not t.isdigit()):
        return "guardian"
    if ("emergency" in tokens and "contact" in tokens) or "紧急联系" in text:
        return "guardian"
    if any(t in {"gx", "yxsgx", "relation", "relationship"} for t in tokens) or "关系" in text:
        return "guardian"
    if any(t in _SUBJECT_WORDS for t in tokens) or any(w in text for w in _CJK_SUBJECT):
        return "subject"
    return "unknown"


def _one(name: str) -> NameHint:
    """Hints from one name (a column name or a comment)."""
    if not name:
        return NameHint()
    tokens = tokenize(name)
    cjk = "".join(t for t in tokens if not t.isascii())
    latin = [t for t in tokens if t.isascii()]
    joined = "_".join(latin)
    ents, glued = _entities_from_tokens(latin)
    ents = tuple(dict.fromkeys(ents + _cjk_entities(cjk)))
    non_pi = any(t in _NON_PI_WORDS for t in latin) or any(w in cjk for w in _CJK_NON_PI)
    if non_pi:
        ents = ()
    minor = (
        joined in _MINOR_NAMES
        or any(w in cjk for w in _CJK_MINOR)
        or (
            bool(latin)
            and latin[-1] in {"mode", "flag", "account"}
            and any(t in _MINOR_TOKENS for t in latin)
        )
        or (latin[:1] == ["is"] and any(t in _MINOR_TOKENS for t in latin))
    )
    if minor:
        ents = tuple(e for e in ents if e != AGE)
    role = _role_of(latin, cjk, glued)
    bare_guardian = len(latin) == 1 and latin[0] in {"jhr", "jz", "parent", "guardian"}
    if not ents and role == "guardian" and bare_guardian:
        ents = (NAME,)  # a bare ``jhr`` column holds the guardian's name
    if not ents and latin in (["emergency", "contact"], ["emergency", "contact", "name"]):
        ents = (NAME, MOBILE)
    if ents and set(latin) & _WORK_WORDS and "post" not in latin and set(ents) <= _WORK_CONTACT:
        ents = ("OCCUPATION",)  # a person's office phone or address is about their work (education_work)
    strength = max((_STRENGTH.get(e, 0.5) for e in ents), default=0.0)
    return NameHint(
        entities=ents,
        role=role,
        date_column=DOB in ents,
        minor_flag=minor,
        strength=strength,
        non_pi=non_pi,
    )


def without_table_prefix(column_name: str, table_name: str) -> str:
    """``healthersex`` of ``tbl_healther`` → ``sex``: small vendors glue the table's noun to every column.

    Only a column written as one word that starts with the table's own last word (or its singular) is cut,
    and only what is left is read (``""`` when nothing is glued).
    """
    tokens = tokenize(column_name)
    own = [t for t in tokenize_table(table_name) if t.isascii() and t.isalpha()][-1:]
    if len(tokens) != 1 or not own or len(own[0]) < 3:
        return ""
    stems = {own[0], own[0].removesuffix("s")}
    for stem in sorted(stems, key=len, reverse=True):
        if tokens[0].startswith(stem) and len(tokens[0]) - len(stem) >= 2:
            return tokens[0][len(stem):]
    return ""


def name_hints(column_name: str, table_name: str = "", comment: str = "") -> NameHint:
    """Combine what a column's name, its comment and its table's name say.

    The column name decides; the comment fills in when the name is opaque (``col_17`` with comment
    ``监护人电话``); the table name only sets the role (a ``guardians`` table holds guardians' data).

    Args:
        column_name: The column name (``JHR_DH``, ``phone1CountryCode``, ``出生日期``).
        table_name: The table or object name.
        comment: The column comment.

    Returns:
        The combined :class:`NameHint`.
    """
    col = _one(column_name)
    glued = without_table_prefix(column_name, table_name) if not col.entities and table_name else ""
    if glued and (rest := _one(glued)).entities:
        col = rest
    com = _one(comment)
    entities = col.entities or com.entities
    role: Role = col.role if col.role != "unknown" else com.role
    if role == "unknown" and entities:
        table_role = _one(table_name).role
        role = table_role
    strength = col.strength if col.entities else com.strength * 0.9
    return NameHint(
        entities=entities,
        role=role,
        date_column=col.date_column or (not col.entities and com.date_column),
        minor_flag=col.minor_flag or com.minor_flag,
        strength=strength,
        non_pi=col.non_pi or (not col.entities and com.non_pi),
    )
