"""A deterministic synthetic corpus with ground truth, for the accuracy harness.

Tables of Chinese and English records: children and adults at every age boundary (exactly 14 years
before the reference date, one day either side, Feb 29), guardians with adult IDs and phones on the
children's rows, teachers, PI-free business tables full of look-alikes (order numbers, snowflake IDs,
timestamps, IMEIs, credit codes, 400 hotlines) and free-text notes. Every cell carries the entity types
it really holds and every row its real age category.

All identifiers are generated here, independently of the recognizers (so the harness does not grade
the recognizers with their own code), and are synthetic: they belong to no one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from pi_scanner.models import AssetKind, AssetRef, ChildStatus, ColumnInfo, Sample

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_REGIONS = ("110105", "310115", "440305", "330106", "510107", "420106", "320102", "370202", "610113",
            "500103", "650102", "350203", "430104", "210102", "130102", "410105")
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                    "155", "157", "158", "159", "177", "180", "181", "182", "185", "186", "187", "188",
                    "189", "199")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
          "秀英", "浩宇", "子轩", "一诺", "欣怡", "梓涵", "宇轩", "奕辰", "雨桐", "思远", "佳怡", "俊杰",
          "晓东", "建华", "国强", "丽娟", "海燕", "志明", "文博", "嘉懿")
_EN_FIRST = ("Emily", "Oliver", "Sophia", "Lucas", "Mia", "Ethan", "Chloe", "Daniel", "Grace", "Henry")
_EN_LAST = ("Chen", "Wang", "Li", "Zhang", "Smith", "Brown", "Wong", "Lee", "Taylor", "Liu")
_CITIES = (("北京市", "朝阳区"), ("上海市", "浦东新区"), ("广东省深圳市", "南山区"), ("浙江省杭州市", "西湖区"),
           ("四川省成都市", "武侯区"), ("湖北省武汉市", "武昌区"))
_ROADS = ("建国路", "人民路", "解放大街", "中山路", "学院路", "科技园路")
_CN_DIGITS = "〇一二三四五六七八九"
_GRADES_CN = "一二三四五六"
_PI_FREE_NOTES = ("六一儿童节活动", "大年初一", "适用年龄：3岁以上", "本产品不面向14周岁以下儿童", "父亲节快乐",
                  "王府井大街", "请于三年级上册教材到货后通知", "3栋2单元501室", "按时完成作业，表现很好")


@dataclass(frozen=True)
class LabeledTable:
    """One synthetic table and its ground truth.

    Attributes:
        sample: The table as a connector would deliver it.
        cell_labels: Per column, per row: the entity types the cell really holds.
        column_labels: Per column: the entity types the column holds (its cells' union).
        row_labels: Per row: the true age category of the record's subject (NONE for PI-free rows).
        negative: The table holds no personal information at all.
    """

    sample: Sample
    cell_labels: list[list[frozenset[str]]]
    column_labels: list[frozenset[str]]
    row_labels: list[ChildStatus]
    negative: bool


def ric(region: str, dob: dt.date, seq: int) -> str:
    """An 18-digit resident ID number with a correct MOD 11-2 check character."""
    body = f"{region}{dob:%Y%m%d}{seq % 1000:03d}"
    s = sum(int(c) * w for c, w in zip(body, _W, strict=True))
    return body + "10X98765432"[s % 11]


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit to ``prefix``."""
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def _anniv(dob: dt.date, n: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + n)
    except ValueError:
        return dt.date(dob.year + n, 2, 28)


def true_status(dob: dt.date, as_of: dt.date, mode: str = "legal") -> ChildStatus:
    """The age category of a person born on ``dob`` (spec A1, computed independently of dates.py)."""
    a14 = _anniv(dob, 14)
    child = as_of <= a14 if mode == "legal" else as_of < a14
    if child:
        return ChildStatus.CHILD
    return ChildStatus.MINOR_14_17 if as_of < _anniv(dob, 18) else ChildStatus.ADULT


class _Gen:
    """Random value makers over one seeded generator."""

    def __init__(self, seed: int, as_of: dt.date) -> None:
        self.r = random.Random(seed)
        self.as_of = as_of

    def dob_between(self, min_age: int, max_age: int) -> dt.date:
        latest = self.as_of - dt.timedelta(days=365 * min_age + 1)
        earliest = self.as_of - dt.timedelta(days=365 * (max_age + 1) - 2)
        return earliest + dt.timedelta(days=self.r.randrange((latest - earliest).days))

    def boundary_dobs(self) -> list[dt.date]:
        """Exactly 14 years before, ±1 day, Feb 29 births on both sides, 18th-birthday edges."""
        a = self.as_of
        exact = _anniv(a, -14) if not (a.month == 2 and a.day == 29) else dt.date(a.year - 14, 2, 28)
        return [
            exact, exact - dt.timedelta(days=1), exact + dt.timedelta(days=1),
            dt.date(2012, 2, 29), dt.date(2016, 2, 29), dt.date(2008, 2, 29),
            _anniv(a, -18), _anniv(a, -18) + dt.timedelta(days=1), _anniv(a, -18) - dt.timedelta(days=1),
        ]

    def rid(self, dob: dt.date) -> str:
        return ric(self.r.choice(_REGIONS), dob, self.r.randrange(1000))

    def mobile(self) -> str:
        return self.r.choice(_MOBILE_PREFIXES) + f"{self.r.randrange(10**8):08d}"

    def mobile_display(self) -> str:
        m = self.mobile()
        form = self.r.randrange(4)
        if form == 1:
            return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
        if form == 2:
            return f"{m[:3]}-{m[3:7]}-{m[7:]}"
        return m

    def landline(self) -> str:
        area = self.r.choice(("010", "021", "0755", "0571", "028", "027"))
        first = str(self.r.randrange(2, 9))
        return f"{area}-{first}{self.r.randrange(10**7):07d}"

    def name_cn(self) -> str:
        return self.r.choice(_SURNAMES) + self.r.choice(_GIVEN)

    def name_en(self) -> str:
        return f"{self.r.choice(_EN_FIRST)} {self.r.choice(_EN_LAST)}"

    def email(self, name: str = "") -> str:
        user = "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(self.r.randrange(4, 9)))
        return f"{user}{self.r.randrange(100)}@{self.r.choice(('qq.com', '163.com', 'gmail.com', 'school.edu.cn'))}"

    def address(self) -> str:
        prov, dist = self.r.choice(_CITIES)
        r = self.r
        return (f"{prov}{dist}{r.choice(_ROADS)}{r.randrange(1, 300)}号"
                f"{r.randrange(1, 30)}栋{r.randrange(1, 6)}单元{r.randrange(1, 30)}0{r.randrange(1, 5)}室")

    def dob_text(self, dob: dt.date, compact: bool) -> str:
        forms: list[Callable[[dt.date], str]] = [
            lambda d: d.isoformat(),
            lambda d: f"{d.year}/{d.month}/{d.day}",
            lambda d: f"{d.year}年{d.month}月{d.day}日",
            lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
        ]
        if compact:
            forms.append(lambda d: f"{d:%Y%m%d}")
        return self.r.choice(forms)(dob)

    def grade_for(self, age: int) -> str | None:
        grade = age - 6
        if 1 <= grade <= 6 and grade + 6 == age:
            return f"{_GRADES_CN[grade - 1]}年级{_GRADES_CN[self.r.randrange(6)]}班"
        return None

    def bank_card(self) -> str:
        return luhn_complete("62" + "".join(str(self.r.randrange(10)) for _ in range(15)))


def _table(
    name: str,
    columns: list[str],
    rows: list[list[object]],
    labels: list[list[frozenset[str]]],
    row_labels: list[ChildStatus],
    negative: bool = False,
    comment: str = "",
    prose: tuple[str, ...] = (),
) -> LabeledTable:
    cols = [[labels[r][c] for r in range(len(rows))] for c in range(len(columns))]
    col_labels = [frozenset().union(*col) if col else frozenset() for col in cols]
    # A remark or notes column of a people's table is the person's PI as a whole (free text, spec §A9):
    # a column-level label no cell carries.
    col_labels = [lab | {"FREE_TEXT"} if name in prose else lab for name, lab in zip(columns, col_labels, strict=True)]
    sample = Sample(
        AssetRef("corpus", AssetKind.TABLE, ("synthetic", name)),
        [ColumnInfo(c) for c in columns],
        rows,
        table_comment=comment,
        complete=True,
    )
    return LabeledTable(sample, cols, col_labels, row_labels, negative)


E = frozenset
_NONE: frozenset[str] = frozenset()


def _students_cn(g: _Gen, n: int, mode: str) -> LabeledTable:
    cols = ["XM", "sfzh", "CSRQ", "NJ", "jhr_xm", "jhr_sfzh", "JHR_DH", "JTZZ", "bz"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    truth: list[ChildStatus] = []
    dobs = g.boundary_dobs() + [g.dob_between(3, 17) for _ in range(n)]
    for dob in dobs:
        age = g.as_of.year - dob.year - ((g.as_of.month, g.as_of.day) < (dob.month, dob.day))
        grade = g.grade_for(age) if g.r.random() < 0.7 else None
        parent_dob = g.dob_between(30, 50)
        note, note_label = "", _NONE
        if g.r.random() < 0.15:
            note = g.r.choice(_PI_FREE_NOTES)
        row: list[object] = [
            g.name_cn(), g.rid(dob), g.dob_text(dob, compact=True), grade or "", g.name_cn(),
            g.rid(parent_dob), g.mobile_display(), g.address(), note,
        ]
        lab = [E({"PERSON_NAME"}), E({"CN_RESIDENT_ID"}), E({"DATE_OF_BIRTH"}),
               E({"GRADE_CLASS"}) if grade else _NONE, E({"PERSON_NAME"}), E({"CN_RESIDENT_ID"}),
               E({"CN_MOBILE"}), E({"CN_ADDRESS"}), note_label]
        rows.append(row)
        labels.append(lab)
        truth.append(true_status(dob, g.as_of, mode))
    return _table("xs_jbxx", cols, rows, labels, truth, comment="学生基本信息", prose=("bz",))


def _students_en(g: _Gen, n: int, mode: str) -> LabeledTable:
    cols = ["student_name", "birth_date", "student_no", "parent_mobile", "parent_email", "created_at"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    truth: list[ChildStatus] = []
    for _ in range(n):
        dob = g.dob_between(4, 16)
        created = dt.datetime(2025, 9, 1, 8, 0) + dt.timedelta(minutes=g.r.randrange(100000))
        rows.append([g.name_en(), dob.isoformat(), "G" + g.rid(dob), g.mobile(), g.email(),
                     created.isoformat(sep=" ")])
        labels.append([E({"PERSON_NAME"}), E({"DATE_OF_BIRTH"}), E({"CN_STUDENT_NUMBER"}), E({"CN_MOBILE"}),
                       E({"EMAIL_ADDRESS"}), _NONE])
        truth.append(true_status(dob, g.as_of, mode))
    return _table("students", cols, rows, labels, truth)


def _guardian_only(g: _Gen, n: int) -> LabeledTable:
    """Enrolment rows where only the guardian is identified: not adult rows, not child rows."""
    cols = ["student_id", "jhr_sfzh", "jhr_dh", "gx"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    for i in range(n):
        rows.append([100000 + i, g.rid(g.dob_between(28, 55)), g.mobile(), g.r.choice(("父亲", "母亲", "爷爷"))])
        labels.append([_NONE, E({"CN_RESIDENT_ID"}), E({"CN_MOBILE"}), E({"GUARDIAN_RELATION"})])
    return _table("enrolment_guardians", cols, rows, labels, [ChildStatus.UNKNOWN] * n)


def _teachers(g: _Gen, n: int, mode: str) -> LabeledTable:
    cols = ["name", "id_card", "mobile", "staff_home_phone", "email", "ethnicity", "emergency_contact_phone"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    truth: list[ChildStatus] = []
    for _ in range(n):
        dob = g.dob_between(23, 60)
        rows.append([g.name_cn(), g.rid(dob), g.mobile(), g.landline(), g.email(), g.r.choice(("汉族", "回族", "满族")),
                     g.mobile()])
        labels.append([E({"PERSON_NAME"}), E({"CN_RESIDENT_ID"}), E({"CN_MOBILE"}), E({"CN_LANDLINE"}),
                       E({"EMAIL_ADDRESS"}), E({"ETHNICITY"}), E({"CN_MOBILE"})])
        truth.append(true_status(dob, g.as_of, mode))
    return _table("teachers", cols, rows, labels, truth)


def _feedback(g: _Gen, n: int) -> LabeledTable:
    """Free-text notes: stated ages and grades next to a phone number on the same record."""
    cols = ["mobile", "notes"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    truth: list[ChildStatus] = []
    for _ in range(n):
        kind = g.r.randrange(4)
        if kind == 0:
            age = g.r.randrange(5, 13)
            note, lab, status = f"我今年{age}岁，喜欢画画和踢足球", E({"AGE_TEXT"}), ChildStatus.CHILD
        elif kind == 1:
            age = g.r.randrange(25, 60)
            note, lab, status = f"本人今年{age}岁，想咨询课程", E({"AGE_TEXT"}), ChildStatus.ADULT
        else:
            note, lab, status = g.r.choice(_PI_FREE_NOTES), _NONE, ChildStatus.UNKNOWN
        rows.append([g.mobile(), note])
        labels.append([E({"CN_MOBILE"}), lab])
        truth.append(status)
    return _table("feedback", cols, rows, labels, truth, prose=("notes",))


def _orders(g: _Gen, n: int) -> LabeledTable:
    cols = ["order_no", "trade_no", "snowflake_id", "created_ms", "created_at", "imei", "iccid", "seller_uscc",
            "hotline", "state_code", "amount", "phone1Type", "mail_id"]
    rows: list[list[object]] = []
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=g.r.randrange(700))
        rows.append([
            f"{day:%Y%m%d}2200{g.r.randrange(10**16):016d}",
            f"4200001{g.r.randrange(10**21):021d}",
            str(1767612345678901248 + g.r.randrange(10**15)),
            str(1710489600000 + g.r.randrange(10**10)),
            f"{day:%Y%m%d}{g.r.randrange(24):02d}{g.r.randrange(60):02d}{g.r.randrange(60):02d}",
            luhn_complete("86" + f"{g.r.randrange(10**12):012d}"),
            luhn_complete("898600" + f"{g.r.randrange(10**12):012d}"),
            "91110000600037341L",
            "400-810-8888",
            g.r.choice(("BJ", "SH", "GD", "CA")),
            f"{g.r.randrange(1, 99999) / 100:.2f}",
            g.r.choice(("mobile", "home", "work")),
            100000 + i,
        ])
    labels = [[_NONE] * len(cols) for _ in rows]
    return _table("orders", cols, rows, labels, [ChildStatus.NONE] * n, negative=True)


def _school_info(g: _Gen, n: int) -> LabeledTable:
    """Organisation data: the school's hotline and address on every row are not personal."""
    cols = ["course", "school_tel", "school_addr", "term"]
    tel = g.landline()
    rows: list[list[object]] = [[g.r.choice(("语文", "数学", "英语")), tel, "北京市朝阳区建国路88号", "2025秋"]
                                for _ in range(n)]
    labels = [[_NONE] * len(cols) for _ in rows]
    return _table("courses", cols, rows, labels, [ChildStatus.NONE] * n, negative=True)


def _mixed_people(g: _Gen, n: int, mode: str) -> LabeledTable:
    """One ``person`` table for students, parents and staff (normal in student information systems)."""
    cols = ["person_type", "name", "id_no", "phone", "PersonID"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    truth: list[ChildStatus] = []
    for i in range(n):
        kind = g.r.choice(("student", "student", "parent", "staff"))
        dob = g.dob_between(5, 13) if kind == "student" else g.dob_between(25, 60)
        phone = g.mobile() if kind != "student" or g.r.random() < 0.3 else ""
        rows.append([kind, g.name_cn(), g.rid(dob), phone, 5000 + i])
        labels.append([_NONE, E({"PERSON_NAME"}), E({"CN_RESIDENT_ID"}), E({"CN_MOBILE"}) if phone else _NONE,
                       _NONE])
        truth.append(true_status(dob, g.as_of, mode))
    return _table("person", cols, rows, labels, truth)


def _opaque_import(g: _Gen, n: int, mode: str) -> LabeledTable:
    """Opaque column names: only the values speak; a sparse notes column spills children's IDs."""
    cols = ["c1", "c2", "c3", "c4"]
    rows: list[list[object]] = []
    labels: list[list[frozenset[str]]] = []
    truth: list[ChildStatus] = []
    for _ in range(n):
        dob = g.dob_between(3, 70)
        status = true_status(dob, g.as_of, mode)
        masked = g.rid(dob)
        masked = masked[:14] + "****"
        note, note_lab = "", _NONE
        if g.r.random() < 0.1:
            note, note_lab = f"学生身份证号：{g.rid(dob)}，请核对", E({"CN_RESIDENT_ID"})
        rows.append([g.mobile(), masked, note, f"{g.r.randrange(10**6):06d}"])
        labels.append([E({"CN_MOBILE"}), E({"CN_RESIDENT_ID"}), note_lab, _NONE])
        truth.append(status)
    return _table("import_2024", cols, rows, labels, truth)


def generate(seed: int = 0, size: int = 200, as_of: dt.date = dt.date(2026, 3, 15),
             mode: str = "legal") -> list[LabeledTable]:
    """The corpus: a fixed list of tables; the same seed and size always give the same values.

    Args:
        seed: Random seed.
        size: Rows per table (the student table adds its boundary births on top).
        as_of: Reference date for ages and for the boundary births.
        mode: ``legal`` or ``calendar`` child boundary for the row labels.

    Returns:
        Labelled tables.
    """
    g = _Gen(seed, as_of)
    return [
        _students_cn(g, size, mode),
        _students_en(g, size, mode),
        _guardian_only(g, max(2, size // 4)),
        _teachers(g, size, mode),
        _feedback(g, size),
        _orders(g, size),
        _school_info(g, max(5, size // 4)),
        _mixed_people(g, size, mode),
        _opaque_import(g, size, mode),
    ]
