"""Rows for the 幼儿园 app: one kindergarten in its first term on the app.

Children are 3-6; parents register with their phone number (the phone is the account key every other table
uses), teachers register with the teacher flag. Admitted children are in ``students`` (copied from their
enrolment application), children added by parents in the app are in ``child``; fees, leave days and payment
screenshots hang off those. Mess: plaintext passwords as the app stores them, ID numbers with 15 digits or
Excel-corrupted, full-width phone digits, birthdays typed in different formats, trailing blanks, a test
account with a well-known phone number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_CLASSES = ("小一班", "小二班", "中一班", "中二班", "大一班", "大二班")
_COURSES = ("美术", "音乐", "英语启蒙", "体能", "绘本阅读")
_PASSWORDS = ("123456", "111111", "abc123", "woaibaobao", "88888888", "qwerty123")
_RELATIONS = (("爸爸", "M"), ("妈妈", "F"), ("外婆", "F"), ("爷爷", "M"))
_WORK = ("中国移动", "个体经营", "某某小学", "医院", "自由职业", "银行")


def _kid(synth: Synth) -> Person:
    """A kindergarten child, 3-6 on ``as_of``, with ID number and 学籍号 matching the birth date."""
    base = synth.person("child")
    third_birthday_cut = dt.date(synth.as_of.year - 3, synth.as_of.month, min(synth.as_of.day, 28))
    dob = third_birthday_cut - dt.timedelta(days=synth.rng.randrange(1, 3 * 365))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _class_for(synth: Synth, kid: Person) -> str:
    age = synth.age(kid)
    level = 0 if age <= 3 else 2 if age == 4 else 4
    return _CLASSES[level + synth.rng.randrange(2)]


def _id_text(synth: Synth, p: Person) -> str:
    x = synth.rng.random()
    if x < 0.06:
        return p.ric15
    if x < 0.12:
        return synth.excel_id(p.ric)
    if x < 0.15:
        return synth.fullwidth(p.ric)
    return p.ric


def _birthday_text(synth: Synth, p: Person) -> str:
    d = p.dob
    return synth.rng.choice(
        (d.isoformat(), f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y/%m/%d"), d.strftime("%Y%m%d"))
    )


def _sex_text(synth: Synth, p: Person) -> str:
    return ("男" if p.sex == "M" else "女") if synth.rng.random() < 0.9 else p.sex


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()

    for i, name in enumerate(_CLASSES, start=1):
        rows.add("class", {"id": i, "class_name": name})
    for i, name in enumerate(_COURSES, start=1):
        rows.add("course", {"id": i, "course_name": name})
    for i, (month, days) in enumerate(((9, 21), (10, 16), (11, 22), (12, 22)), start=1):
        rows.add("school_semester", {"id": i, "month": month, "day_num": days})
    rows.add(
        "kindergarten_info",
        {"id": 1, "introduce_file_name": "introduce.txt", "address": "四川省成都市武侯区人民南路四段27号"},
    )
    rows.add("kindergarten_phone", {"id": 1, "phone": "02885501234"})
    for i, text in enumerate(("每天8:00前入园", "离园须由登记的家长接送", "请假请提前在app内申请"), start=1):
        rows.add("kindergarten_instruction", {"id": i, "instruction": text})
    for i, text in enumerate(("户外活动区，配有滑梯和沙池", "多功能教室，开展音乐与美术课程"), start=1):
        rows.add("kindergarten_environment_description", {"id": i, "description": text})
        for k in range(3):
            rows.add(
                "kindergarten_environment_picture",
                {"id": i * 10 + k, "picture": f"env_{i}_{k}.jpg", "description_id": i},
            )
    admin = synth.test_account()
    rows.add("admin", {"id": 1, "user_name": "admin", "password": "admin123", "head_picture": ""}, subject=admin)
    rows.add("admin", {"id": 2, "user_name": "lxl", "password": "111", "head_picture": "head_lxl.png"})

    # Teachers: their own table, and app accounts with the teacher flag.
    users: list[tuple[int, Person]] = []
    uid = 1
    for i in range(1, 7):
        t = synth.person("staff")
        rows.add(
            "teacher",
            {
                "id": i,
                "name": t.name_zh,
                "position": "班主任" if i <= 3 else r.choice(("配班老师", "保育员", "英语老师")),
                "phone": t.mobile,
                "picture": synth.maybe(f"teacher{i}.jpg", 0.2),
                "motto": synth.maybe(
                    r.choice(("用爱心陪伴每一个孩子成长", "蹲下来和孩子说话", "每个孩子都是一颗种子")), 0.3
                ),
                "status": 1,
            },
            subject=t,
        )
        rows.add("teacher_class", {"teacher_id": i, "class_id": i})
        rows.add("teacher_course", {"teacher_id": i, "course_id": 1 + (i % len(_COURSES))})
        rows.add(
            "charge",
            {
                "id": i,
                "babyClass": _CLASSES[i - 1],
                "teacher": t.name_zh,
                "WeChat": f"wx_{i}.jpg",
                "Alipay": f"zfb_{i}.jpg",
            },
            subject=t,
        )
        rows.add(
            "user",
            {
                "id": uid,
                "phone": t.mobile,
                "password": r.choice(_PASSWORDS),
                "nickname": t.name_zh[0] + "老师",
                "avatar": f"avatar{uid}.png",
                "identity": "1",
            },
            subject=t,
        )
        users.append((uid, t))
        uid += 1
    tester = synth.test_account()
    rows.add(
        "user",
        {"id": uid, "phone": tester.mobile, "password": "123456", "nickname": "test01", "avatar": "", "identity": "0"},
        subject=tester,
    )
    uid += 1

    child_id = app_id = stu_id = bal_id = att_id = shot_id = 1
    month = synth.as_of.month if synth.as_of.month in (9, 10, 11, 12) else 12
    for _ in range(34):
        parent = synth.person("parent")
        phone = parent.mobile
        rows.add(
            "user",
            {
                "id": uid,
                "phone": phone if r.random() > 0.04 else synth.fullwidth(phone),
                "password": r.choice(_PASSWORDS),
                "nickname": r.choice((parent.given_zh, "宝妈", "小鱼爸爸", parent.qq)),
                "avatar": r.choice(("", f"u{uid}.jpg")),
                "identity": "0",
            },
            subject=parent,
        )
        users.append((uid, parent))
        uid += 1
        for _k in range(1 if r.random() < 0.85 else 2):
            kid = _kid(synth)
            cls = _class_for(synth, kid)
            rel, rel_sex = r.choice(_RELATIONS)
            second = synth.person("parent") if r.random() < 0.5 else None
            app = {
                "userNumber": phone,
                "babyName": kid.name_zh,
                "babyBirthday": _birthday_text(synth, kid),
                "babySex": _sex_text(synth, kid),
                "babyIDnumber": _id_text(synth, kid),
                "babyAddoAllergies": r.choice(("无", "无", "无", synth.allergy_zh())),
                "parentName1": parent.name_zh,
                "relation1": rel,
                "parentIDnumber1": parent.ric,
                "phoneNumber1": phone,
                "workSpace1": r.choice(_WORK),
                "homeAddress1": parent.address_zh,
                "parentName2": second.name_zh if second else None,
                "relation2": ("妈妈" if rel_sex == "M" else "爸爸") if second else None,
                "parentIDnumber2": synth.maybe(second.ric, 0.3) if second else None,
                "phoneNumber2": second.mobile if second else None,
                "workSpace2": synth.maybe(r.choice(_WORK), 0.5) if second else None,
                "homeAddress2": synth.maybe(parent.address_zh, 0.5) if second else None,
            }
            if r.random() < 0.12:  # application not yet decided
                rows.add("applyinfo", dict(app, id=app_id), subject=kid, dated=True)
                app_id += 1
                continue
            rows.add(
                "students",
                dict(
                    app,
                    id=stu_id,
                    babyClass=cls,
                    babyName=synth.trailing(kid.name_zh) if r.random() < 0.05 else kid.name_zh,
                ),
                subject=kid,
                dated=True,
            )
            stu_id += 1
            if r.random() < 0.7:  # the parent also added the child in the app
                rows.add(
                    "child",
                    {
                        "id": child_id,
                        "name": kid.name_zh,
                        "id_num": _id_text(synth, kid)[:18],
                        "sex": "男" if kid.sex == "M" else "女",
                        "parentPhone": phone,
                        "sClass": cls,
                    },
                    subject=kid,
                    dated=True,
                )
                rows.add(
                    "account_balance",
                    {"id": bal_id, "phone": phone, "child_id": child_id, "money": r.choice((0, 0, 350, 1200, 2600))},
                    subject=kid,
                )
                bal_id += 1
                if r.random() < 0.6:
                    rows.add(
                        "child_attendence",
                        {
                            "id": att_id,
                            "phone": phone,
                            "child_id": child_id,
                            "last_attendence_day": synth.maybe(r.randrange(1, 29), 0.3),
                            "leave_day": synth.maybe(r.randrange(0, 6), 0.3),
                        },
                        subject=kid,
                    )
                    att_id += 1
                if r.random() < 0.25:
                    rows.add(
                        "money_screenshot",
                        {
                            "id": shot_id,
                            "child_name": kid.name_zh,
                            "phone": phone,
                            "grade_num": cls[0],
                            "class_num": cls[1],
                            "month": month,
                            "screenshot_name": f"pay_{phone}_{month}_{r.randrange(10**6)}.jpg",
                        },
                        subject=kid,
                    )
                    shot_id += 1
                child_id += 1

    # Chat contacts between parents and teachers.
    rel_id = rem_id = req_id = 1
    teachers = users[:6]
    for puid, p in users[6:]:
        if r.random() < 0.4:
            tuid, t = r.choice(teachers)
            rows.add(
                "relation",
                {"id": rel_id, "from": p.mobile, "to": t.mobile, "remark": synth.maybe(t.name_zh[0] + "老师", 0.4)},
            )
            rel_id += 1
            rows.add(
                "contact_request",
                {
                    "id": req_id,
                    "req_user": puid,
                    "resp_user": tuid,
                    "status": r.choice((0, 1, 1, 2)),
                    "message": synth.maybe(r.choice(("老师您好，我是孩子妈妈", "我是大一班的家长")), 0.2),
                    "remark": synth.maybe(t.name_zh, 0.5),
                },
            )
            req_id += 1
            if r.random() < 0.5:
                rows.add(
                    "contact_remark",
                    {"id": rem_id, "from_user": puid, "to_user": tuid, "remark_str": t.name_zh + "老师"},
                )
                rem_id += 1
    legacy = synth.person("parent")
    rows.add(
        "parent",
        {"id": 1, "phone": legacy.mobile, "password": "123", "nickname": legacy.given_zh, "avatar": None},
        subject=legacy,
    )
    rows.add("parent", {"id": 2, "phone": "13333333333", "password": "password", "nickname": "测试", "avatar": None})
    return rows
