"""The embedded demo estate: a Chinese primary school, its kindergarten and a game service.

Generated deterministically (seeded) relative to :data:`DEMO_AS_OF`: a SQLite database and a folder of
exported files. Every value is synthetic: resident ID numbers carry real-format region codes and valid
check characters but are generated here and belong to no one.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import gzip
import json
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

#: The reference date the demo is built around (ages are computed against it).
DEMO_AS_OF = dt.date(2026, 3, 15)

#: Values planted once in the estate; tests check they never appear in anything pi-scanner writes.
CANARY_ID = "110105201406185214"
CANARY_PHONE = "13911223344"
CANARY_NAME = "欧阳金丝雀"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_REGIONS = ("110105", "310115", "440305", "330106", "510107", "420106", "320102", "370202")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "梓子宇辰一诺欣怡涵浩轩博文雨泽思睿佳琪晨曦雅静家豪俊杰子墨若汐明华建国秀英丽娟志强"
_STREETS = ("建国路", "人民路", "中山路", "解放大街", "学府路", "花园街")
_DISTRICTS = (("北京市", "朝阳区"), ("上海市", "浦东新区"), ("广东省深圳市", "南山区"), ("浙江省杭州市", "西湖区"))
_NOTES_CHILD = ("我今年{age}岁，喜欢画画", "过敏：花生，{age}周岁", "家长说孩子{age}岁半，需要午睡", "体检正常")
_KG_CLASSES = (("小班", 3), ("中班", 4), ("大班", 5))


def ric_check(body17: str) -> str:
    """MOD 11-2 check character of the first 17 digits of a resident ID number."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def make_ric(rng: random.Random, dob: dt.date, female: bool | None = None) -> str:
    """A synthetic, checksum-valid resident ID number for a birth date."""
    seq = rng.randrange(0, 500) * 2 + (0 if female else 1 if female is not None else rng.randrange(2))
    body = f"{rng.choice(_REGIONS)}{dob:%Y%m%d}{seq:03d}"
    return body + ric_check(body)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))


def _mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "186", "150", "177", "199")) + f"{rng.randrange(10**8):08d}"


def _dob_for_age(rng: random.Random, years: int) -> dt.date:
    # A birth date on which the person is `years` old on DEMO_AS_OF.
    start = DEMO_AS_OF.replace(year=DEMO_AS_OF.year - years - 1) + dt.timedelta(days=1)
    return start + dt.timedelta(days=rng.randrange(0, 364))


def _address(rng: random.Random) -> str:
    prov, dist = rng.choice(_DISTRICTS)
    return (
        f"{prov}{dist}{rng.choice(_STREETS)}{rng.randrange(1, 300)}号"
        f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(1, 30)}0{rng.randrange(1, 4)}室"
    )


@dataclass(frozen=True)
class DemoEstate:
    """Paths of a generated demo estate."""

    root: Path
    database: Path
    exports: Path
    catalog_url: str


def _create_school_db(path: Path, rng: random.Random) -> list[tuple[str, str, str, dt.date]]:
    fernet = Fernet(base64.urlsafe_b64encode(bytes(rng.randrange(256) for _ in range(32))))
    con = sqlite3.connect(path)
    cur = con.cursor()
    cur.executescript(
        """
        CREATE TABLE classes (id INTEGER PRIMARY KEY, class_name TEXT, school_name TEXT, head_teacher_id INTEGER);
        CREATE TABLE students (
            id INTEGER PRIMARY KEY, xm TEXT, xb TEXT, sfzh TEXT, csrq TEXT, class_id INTEGER
                REFERENCES classes(id), jtzz TEXT, created_at TEXT, last_active_at TEXT, notes TEXT);
        CREATE TABLE guardians (
            id INTEGER PRIMARY KEY, student_id INTEGER REFERENCES students(id), name TEXT, relation TEXT,
            mobile TEXT, id_card TEXT, email TEXT);
        CREATE TABLE teachers (
            id INTEGER PRIMARY KEY, name TEXT, id_card TEXT, mobile TEXT, email TEXT, hired_at TEXT);
        CREATE TABLE "幼儿园幼儿" (
            "编号" INTEGER PRIMARY KEY, "幼儿姓名" TEXT, "出生日期" TEXT, "班级" TEXT, "监护人电话" TEXT,
            "入园日期" TEXT);
        CREATE TABLE game_accounts (
            account_id INTEGER PRIMARY KEY, nickname TEXT, bound_phone TEXT, real_name_enc TEXT,
            id_card_enc TEXT, is_minor INTEGER, created_at TEXT, last_login_at TEXT);
        CREATE TABLE orders (
            order_no TEXT PRIMARY KEY, buyer_account_id INTEGER, amount_cents INTEGER, device_imei TEXT,
            created_at TEXT, paid_at_ms INTEGER);
        CREATE TABLE audit_events (id INTEGER PRIMARY KEY, event_time TEXT, client_ip TEXT, action TEXT);
        """
    )
    grades = ("一", "二", "三", "四", "五", "六")
    classes = [
        (i + 1, f"{grades[i % 6]}年级{(i // 6) + 1}班", "阳光实验小学", i + 1) for i in range(12)
    ]
    cur.executemany("INSERT INTO classes VALUES (?,?,?,?)", classes)
    children: list[tuple[str, str, str, dt.date]] = []
    students = []
    for sid in range(1, 121):
        class_id = rng.randrange(1, 13)
        grade = (class_id - 1) % 6 + 1
        age = grade + 5 + rng.choice((0, 1))
        dob = _dob_for_age(rng, age)
        if sid == 1:  # boundary: 14th birthday today is still a child (legal mode)
            dob = DEMO_AS_OF.replace(year=DEMO_AS_OF.year - 14)
        if sid == 7:
            dob = dt.date(2014, 6, 18)
        age = DEMO_AS_OF.year - dob.year - ((DEMO_AS_OF.month, DEMO_AS_OF.day) <= (dob.month, dob.day))
        female = rng.random() < 0.5
        ric = CANARY_ID if sid == 7 else make_ric(rng, dob, female)
        name = CANARY_NAME if sid == 7 else _name(rng)
        created = dt.datetime(2019, 9, 1) + dt.timedelta(days=rng.randrange(0, 2000))
        note = rng.choice(_NOTES_CHILD).format(age=age) if rng.random() < 0.5 else ""
        students.append(
            (sid, name, "女" if female else "男", ric, dob.isoformat(), class_id, _address(rng),
             created.isoformat(sep=" "), (created + dt.timedelta(days=rng.randrange(0, 900))).isoformat(sep=" "),
             note)
        )
        children.append((name, ric, "student", dob))
    cur.executemany("INSERT INTO students VALUES (?,?,?,?,?,?,?,?,?,?)", students)
    guardians = []
    for gid, st in enumerate(students, start=1):
        dob = _dob_for_age(rng, rng.randrange(30, 48))
        relation = rng.choice(("父亲", "母亲", "爷爷", "奶奶"))
        phone = CANARY_PHONE if st[0] == 7 else _mobile(rng)
        guardians.append((gid, st[0], _name(rng), relation, phone, make_ric(rng, dob),
                          f"parent{gid}@example.com"))
    cur.executemany("INSERT INTO guardians VALUES (?,?,?,?,?,?,?)", guardians)
    teachers = []
    for tid in range(1, 21):
        dob = _dob_for_age(rng, rng.randrange(24, 60))
        teachers.append((tid, _name(rng), make_ric(rng, dob), _mobile(rng), f"teacher{tid}@school.example.cn",
                         f"{rng.randrange(2005, 2025)}-09-01"))
    cur.executemany("INSERT INTO teachers VALUES (?,?,?,?,?,?)", teachers)
    kg = []
    for kid in range(1, 41):
        label, base_age = rng.choice(_KG_CLASSES)
        dob = _dob_for_age(rng, base_age)
        kg.append((kid, _name(rng), f"{dob.year}年{dob.month}月{dob.day}日", f"幼儿园{label}", _mobile(rng),
                   f"{DEMO_AS_OF.year - 1}-09-01"))
        children.append((kg[-1][1], "", "kindergarten", dob))
    cur.executemany('INSERT INTO "幼儿园幼儿" VALUES (?,?,?,?,?,?)', kg)
    accounts = []
    for n in range(60):
        age = rng.choice((9, 11, 12, 15, 17, 25, 31, 40))
        dob = _dob_for_age(rng, age)
        acc_id = 1767612345678900000 + n * 7919
        created = dt.datetime(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 1800))
        accounts.append((
            acc_id, f"玩家{rng.randrange(10**5)}", _mobile(rng),
            fernet.encrypt(_name(rng).encode()).decode(), fernet.encrypt(make_ric(rng, dob).encode()).decode(),
            int(age < 18), created.isoformat(sep=" "),
            (created + dt.timedelta(days=rng.randrange(0, 700))).isoformat(sep=" "),
        ))
    cur.executemany("INSERT INTO game_accounts VALUES (?,?,?,?,?,?,?,?)", accounts)
    orders = []
    for n in range(200):
        ts = dt.datetime(2024, 3, 15, 12, 30) + dt.timedelta(minutes=37 * n)
        orders.append((
            f"{ts:%Y%m%d}2200{rng.randrange(10**15):015d}"[:28].ljust(28, "0"),
            1767612345678900000 + rng.randrange(60) * 7919, rng.randrange(100, 100000),
            f"86{rng.randrange(10**12):012d}7", ts.isoformat(sep=" "), int(ts.timestamp() * 1000),
        ))
    cur.executemany("INSERT INTO orders VALUES (?,?,?,?,?,?)", orders)
    events = [
        (n, (dt.datetime(2025, 1, 1) + dt.timedelta(hours=n)).isoformat(sep=" "),
         f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}", rng.choice(("login", "logout", "view")))
        for n in range(1, 301)
    ]
    cur.executemany("INSERT INTO audit_events VALUES (?,?,?,?)", events)
    con.commit()
    con.close()
    return children


def _write_exports(folder: Path, rng: random.Random, children: list[tuple[str, str, str, dt.date]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    students = [c for c in children if c[2] == "student"]
    with (folder / "students_roster_2025.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["学籍号", "姓名", "出生日期", "家长手机", "班级"])
        for name, ric, _, dob in students[:60]:
            w.writerow([f"G{ric}", name, f"{dob.year}/{dob.month}/{dob.day}", _mobile(rng),
                        f"{rng.choice('一二三四五六')}年级{rng.randrange(1, 4)}班"])
    with (folder / "app_events.jsonl").open("w", encoding="utf-8") as fh:
        for n in range(80):
            name, ric, _, dob = rng.choice(children)
            age = DEMO_AS_OF.year - dob.year - ((DEMO_AS_OF.month, DEMO_AS_OF.day) < (dob.month, dob.day))
            event = {
                "event": rng.choice(("open_lesson", "submit_homework", "chat")),
                "ts": 1741996800 + n * 3600,
                "user": {"nickname": f"小{name[-1]}", "age_text": f"{age}岁"},
                "guardian": {"phone": _mobile(rng)},
            }
            fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    with (folder / "staff_directory.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "email", "office_phone", "hired_at"])
        for n in range(15):
            w.writerow([_name(rng), f"staff{n}@school.example.cn", f"010-6{rng.randrange(10**6, 10**7)}",
                        f"{rng.randrange(2005, 2025)}-09-01"])
    with gzip.open(folder / "server-2025-03-01.log.gz", "wt", encoding="utf-8") as gz:
        for n in range(200):
            gz.write(f"2025-03-01T08:{n % 60:02d}:00+08:00 INFO request_id={rng.randrange(10**12)} "
                     f"path=/api/lesson/{rng.randrange(1000)} status=200 ms={rng.randrange(5, 900)}\n")


def generate_demo(root: Path, seed: int = 20260315) -> DemoEstate:
    """Create (or re-create) the demo estate under ``root``.

    Args:
        root: Output folder; ``school.db`` and ``exports/`` are written inside it.
        seed: Seed for the deterministic generator.

    Returns:
        Where everything was written.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    db = root / "school.db"
    if db.exists():
        db.unlink()
    children = _create_school_db(db, rng)
    exports = root / "exports"
    _write_exports(exports, rng, children)
    return DemoEstate(root=root, database=db, exports=exports, catalog_url=f"sqlite:///{root / 'catalog.db'}")
