"""Rows for 北斗星航: a primary school and a junior-high school a month after joining the platform.

Pupils are children (7-12) and young teenagers (12-15); the junior-high pupils carry phones under the
school's control (IMEI, push id, installed apps, unlock requests with their reasons, visited URLs); parents
have family accounts, subscribe to the control service, draw fences around home and get alarms, and top up
the campus-card wallet their child spends in the canteen. Every user is also a ``t_base_user`` and has a
``t_account``. Mess: birth dates in several text forms in a CHAR column, ID numbers 15-digit or
Excel-corrupted, full-width phones, plaintext and MD5 passwords side by side, a test family, coordinates
typed as "lng,lat" strings in the alarm points.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_APPS = (
    ("微信", "com.tencent.mm"),
    ("QQ", "com.tencent.mobileqq"),
    ("抖音", "com.ss.android.ugc.aweme"),
    ("作业帮", "com.baidu.homework"),
    ("王者荣耀", "com.tencent.tmgp.sgame"),
    ("学习强国", "cn.xuexi.android"),
)
_URLS = (
    "https://www.baidu.com/s?wd=%E4%BD%9C%E4%B8%9A",
    "https://www.bilibili.com/video/BV1xx411c7mD",
    "https://www.4399.com/flash/",
    "https://zuoyebang.com/question/123",
    "https://www.douyin.com/",
)
_CENTRE = (104.0647, 30.6586)


def _pupil(synth: Synth, age: int) -> Person:
    base = synth.person("child" if age <= 13 else "teen")
    cut = dt.date(synth.as_of.year - age, synth.as_of.month, min(synth.as_of.day, 28))
    dob = cut - dt.timedelta(days=synth.rng.randrange(1, 365))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _birth(synth: Synth, d: dt.date) -> str | None:
    return synth.rng.choice((d.isoformat(), d.strftime("%Y%m%d"), d.strftime("%Y/%m/%d"), None))


def _idcard(synth: Synth, p: Person) -> str | None:
    x = synth.rng.random()
    if x < 0.3:
        return None
    if x < 0.36:
        return p.ric15
    if x < 0.42:
        return synth.excel_id(p.ric)
    return p.ric


def _point(synth: Synth, spread: float) -> tuple[float, float]:
    r = synth.rng
    return round(_CENTRE[0] + r.uniform(-spread, spread), 2), round(_CENTRE[1] + r.uniform(-spread, spread), 2)


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    now = dt.datetime.combine(synth.as_of, dt.time(18))
    t0 = now - dt.timedelta(days=40)

    def stamp(row: dict[str, object], when: dt.datetime = t0) -> dict[str, object]:
        row.setdefault("create_date", when)
        row.setdefault("update_date", when)
        return row

    rows.add(
        "sys_dept",
        stamp(
            {
                "id": 1,
                "parent_id": 0,
                "parent_ids": "0",
                "dept_name": 1,
                "dept_full_name": "北斗星航运营部",
                "sort": 1,
                "level": 1,
            }
        ),
    )
    rows.add("sys_role", stamp({"id": 1, "role": "ROLE_ADMIN", "role_name": "超级管理员"}))
    rows.add(
        "sys_permission",
        stamp(
            {
                "id": 1,
                "parent_id": 0,
                "parent_ids": "0",
                "name": "school",
                "title": "学校管理",
                "path": "/school",
                "sort": 1,
                "level": 1,
                "type": 1,
            }
        ),
    )
    rows.add(
        "sys_role_permission",
        {"id": 1, "role_id": 1, "permission_id": 1, "rp_switch": 1, "selected": 1, "checked": 1, "indeterminate": 2},
    )
    for uid in (1, 2):
        a = synth.person("staff")
        rows.add(
            "sys_user",
            stamp(
                {
                    "id": uid,
                    "user_name": "admin" if uid == 1 else a.name_pinyin.replace(" ", "").lower(),
                    "password": synth.bcrypt(),
                    "real_name": a.name_zh,
                    "sex": 1 if a.sex == "M" else 2,
                    "birth": None,
                    "phone": a.mobile,
                    "email": a.email,
                    "dept_id": 1,
                    "status": 1,
                    "type": 2,
                    "image": None,
                    "img_file_address": None,
                }
            ),
            subject=a,
        )
        rows.add("sys_user_role", {"id": uid, "user_id": uid, "role_id": 1})
    rows.add("sys_dict", stamp({"id": 1, "name": "学校类型", "type": "school_type"}))
    for k, name in enumerate(("小学", "初中", "高中", "中专", "大专", "高校"), start=1):
        rows.add("sys_dict_data", stamp({"id": k, "dict_id": 1, "data_name": name, "data_value": str(k), "sort": k}))
    rows.add("sys_app_config", stamp({"id": 1, "app_id": 10001, "app_name": "北斗家长端", "app_desc": "家长APP"}))
    rows.add(
        "sys_control_config",
        stamp({"id": 1, "platform": 1, "app_name": "设置", "app_package": "com.android.settings", "app_type": 1}),
    )
    for k, (name, ip) in enumerate((("4399小游戏", "www.4399.com"), ("某直播", "live.example.com")), start=1):
        rows.add("sys_black_url", stamp({"id": k, "name": name, "ip": ip, "origin": 1}))
    rows.add("t_app_category", stamp({"id": 1, "name": "学习", "icon_url": None, "icon_name": None}))
    for k, (name, package) in enumerate(_APPS, start=1):
        rows.add(
            "t_app",
            stamp(
                {
                    "id": k,
                    "school_id": 2,
                    "school_code": "S002",
                    "platform": 1,
                    "category_id": 1,
                    "app_name": name,
                    "app_package": package,
                    "app_version": "1.0",
                    "status": 1,
                    "preset": 2,
                }
            ),
        )
    for pid, (name, price) in enumerate((("校园钱包", 0), ("学生手机管控服务（年）", 99)), start=1):
        rows.add(
            "t_product",
            stamp(
                {
                    "id": pid,
                    "product_name": name,
                    "product_show_name": name,
                    "product_price": price,
                    "product_sell_price": price,
                    "product_type": 1,
                    "sell_status": 2,
                    "business_type": 1,
                }
            ),
        )
    rows.add("t_service_role", stamp({"id": 1, "name": "管控服务", "product_id": 2}))

    schools = ((1, "S001", "武侯区第一实验小学", 1, range(7, 13)), (2, "S002", "武侯区第二初级中学", 2, range(12, 16)))
    org_id = cls_id = 1
    pupils: list[tuple[int, int, str, Person, str]] = []  # (student id, school id, school code, person, 学号)
    teachers: list[tuple[int, int, str, Person]] = []
    for sid, code, name, typ, ages in schools:
        contact = synth.person("staff")
        rows.add(
            "t_school",
            stamp(
                {
                    "id": sid,
                    "school_code": code,
                    "school_name": name,
                    "school_area_code": "510107",
                    "school_area": "四川省成都市武侯区",
                    "school_address": f"武侯区某某路{sid}号",
                    "school_type": typ,
                    "school_nature": "1",
                    "teacher_nums": 60,
                    "student_nums": 900,
                    "school_contact": contact.name_zh,
                    "contact_phone": contact.mobile,
                    "contact_position": "信息中心主任",
                    "school_key": synth.token(16),
                    "school_secret": synth.token(32),
                }
            ),
            subject=contact,
        )
        rows.add(
            "t_school_servicepermit",
            stamp(
                {
                    "id": sid,
                    "school_id": sid,
                    "school_code": code,
                    "school_name": name,
                    "start_time": t0,
                    "end_time": t0 + dt.timedelta(days=365),
                    "status": 1,
                    "add_days": 0,
                }
            ),
        )
        rows.add(
            "t_school_charge_dept",
            stamp(
                {
                    "id": sid,
                    "school_id": sid,
                    "school_code": code,
                    "charge_dept_name": "学生食堂",
                    "charge_dept_type": 2,
                    "consume_type": 1,
                }
            ),
        )
        rows.add(
            "t_school_dept",
            stamp(
                {
                    "id": sid,
                    "parent_id": 0,
                    "parent_ids": "0",
                    "school_id": sid,
                    "school_code": code,
                    "name": "信息中心",
                    "level": 1,
                    "sort": 1,
                }
            ),
        )
        rows.add(
            "t_school_role",
            stamp({"id": sid, "school_id": sid, "school_code": code, "role": "ROLE_SCHOOL", "role_name": "学校管理员"}),
        )
        admin = synth.person("staff")
        rows.add(
            "t_school_user",
            stamp(
                {
                    "id": sid,
                    "school_id": sid,
                    "school_code": code,
                    "user_name": f"{code.lower()}admin",
                    "password": r.choice(("123456", synth.md5_hex())),
                    "real_name": admin.name_zh,
                    "sex": 1 if admin.sex == "M" else 2,
                    "birth": None,
                    "phone": admin.mobile,
                    "email": None,
                    "dept_id": sid,
                    "status": 1,
                    "type": 2,
                }
            ),
            subject=admin,
        )
        rows.add(
            "t_school_user_role", {"id": sid, "school_id": sid, "school_code": code, "user_id": sid, "role_id": sid}
        )
        root = org_id
        rows.add(
            "t_school_org",
            stamp(
                {
                    "id": root,
                    "parent_id": 0,
                    "parent_ids": "0",
                    "parent_names": name,
                    "school_id": sid,
                    "school_code": code,
                    "org_name": name,
                    "org_type": 4,
                    "level": 1,
                    "sort": 1,
                    "manage_id": None,
                    "manage_card_number": None,
                    "manage_name": admin.name_zh,
                }
            ),
        )
        org_id += 1
        for _k in range(6):
            t = synth.person("staff")
            tid = len(teachers) + 1
            tcard = f"T{sid}{tid:03d}"
            teachers.append((tid, sid, code, t))
            rows.add(
                "t_teacher",
                stamp(
                    {
                        "id": tid,
                        "school_id": sid,
                        "school_code": code,
                        "school_name": name,
                        "campus_name": "本部",
                        "name": t.name_zh,
                        "gender": 1 if t.sex == "M" else 2,
                        "birth": _birth(synth, t.dob),
                        "position": r.choice(("一级教师", "二级教师", "高级教师")),
                        "phone": t.mobile,
                        "card_number": tcard,
                        "idcard": _idcard(synth, t),
                        "email": synth.maybe(t.email, 0.6),
                        "nation_name": "汉族",
                        "adress": synth.maybe(t.address_zh, 0.6),
                        "activate": 2,
                    }
                ),
                subject=t,
                dated=True,
            )
            rows.add(
                "t_teacher_dept",
                stamp(
                    {
                        "id": tid,
                        "school_code": code,
                        "card_number": tcard,
                        "teacher_id": tid,
                        "dept_id": root,
                        "dept_name": name,
                        "dept_ids": str(root),
                        "dept_names": name,
                    }
                ),
                subject=t,
            )
        for age in ages:
            grade_org = org_id
            rows.add(
                "t_school_org",
                stamp(
                    {
                        "id": grade_org,
                        "parent_id": root,
                        "parent_ids": f"0,{root}",
                        "parent_names": name,
                        "school_id": sid,
                        "school_code": code,
                        "org_name": f"{age - 6}年级" if sid == 1 else f"初{age - 11}",
                        "org_type": 4,
                        "level": 2,
                        "sort": age,
                    }
                ),
            )
            org_id += 1
            rows.add(
                "t_school_class",
                stamp(
                    {
                        "id": cls_id,
                        "parent_id": 0,
                        "parent_ids": "0",
                        "school_id": sid,
                        "school_code": code,
                        "name": f"{age - 6}年级1班" if sid == 1 else f"初{age - 11}(1)班",
                        "type": 4,
                        "level": 2,
                        "sort": age,
                    }
                ),
            )
            for seat in range(r.randrange(5, 9)):
                kid = _pupil(synth, age)
                stu_id = len(pupils) + 1
                card = f"{code[1:]}{age:02d}{seat:03d}{stu_id:03d}"
                pupils.append((stu_id, sid, code, kid, card))
                rows.add(
                    "t_student",
                    stamp(
                        {
                            "id": stu_id,
                            "school_id": sid,
                            "school_code": code,
                            "school_name": name,
                            "campus_name": "本部",
                            "college_name": None,
                            "faculty_name": None,
                            "profession_name": None,
                            "grade_name": f"{age - 6}年级" if sid == 1 else f"初{age - 11}",
                            "class_name": "1班",
                            "class_id": cls_id,
                            "class_ids": f"{root},{grade_org}",
                            "class_names": name,
                            "name": kid.name_zh if r.random() > 0.04 else synth.trailing(kid.name_zh),
                            "gender": 1 if kid.sex == "M" else 2,
                            "birth": _birth(synth, kid.dob),
                            "phone": synth.maybe(kid.mobile, 0.8 if sid == 1 else 0.4),
                            "card_number": card,
                            "idcard": _idcard(synth, kid),
                            "qq_number": synth.maybe(kid.qq, 0.85),
                            "wx_number": None,
                            "email": None,
                            "image": synth.maybe(synth.photo_url("student"), 0.5),
                            "nation_name": r.choice(("汉族", "汉族", "汉", "藏族")),
                            "dormitory_address": None,
                            "adress": synth.maybe(kid.address_zh, 0.5),
                            "physical_number": f"{r.randrange(16**8):08X}",
                            "physical_chip_number": None,
                            "activate": r.choice((1, 2)),
                            "operator": 1,
                            "operator_name": admin.name_zh,
                        }
                    ),
                    subject=kid,
                    dated=True,
                )
            cls_id += 1

    _families_and_devices(synth, rows, pupils, teachers, t0, now)
    return rows


def _families_and_devices(
    synth: Synth,
    rows: Rows,
    pupils: list[tuple[int, int, str, Person, str]],
    teachers: list[tuple[int, int, str, Person]],
    t0: dt.datetime,
    now: dt.datetime,
) -> None:
    r = synth.rng
    base = acc = dev = app = log = visit = fence = alarm = wallet = rech = cons = order = item = svc = 1
    for tid, sid, code, t in teachers:
        rows.add(
            "t_base_user",
            {
                "id": base,
                "school_id": sid,
                "school_code": code,
                "user_type": 2,
                "user_id": tid,
                "name": t.name_zh,
                "gender": 1 if t.sex == "M" else 2,
                "phone": t.mobile,
                "card_number": f"T{sid}{tid:03d}",
                "create_date": t0,
            },
            subject=t,
        )
        rows.add(
            "t_account",
            {
                "id": acc,
                "school_id": sid,
                "school_code": code,
                "user_type": 2,
                "user_id": tid,
                "user_name": t.name_zh,
                "user_phone": t.mobile,
                "card_number": f"T{sid}{tid:03d}",
                "login_name": t.mobile,
                "login_name_update": 1,
                "password": synth.bcrypt(),
                "account_expired": 1,
                "account_locked": 1,
                "create_date": t0,
            },
            subject=t,
        )
        base += 1
        acc += 1
    for fid, (stu_id, sid, code, kid, card) in enumerate(pupils, start=1):
        parent = synth.person("parent")
        fcard = f"F{parent.mobile[-8:]}"
        relation = r.choice(("父亲", "母亲", "爷爷", "外婆"))
        rows.add(
            "t_family",
            {
                "id": fid,
                "school_id": sid,
                "school_code": code,
                "school_name": None,
                "name": parent.name_zh,
                "gender": 1 if relation in ("父亲", "爷爷") else 2,
                "birth": None,
                "phone": parent.mobile if r.random() > 0.05 else synth.fullwidth(parent.mobile),
                "card_number": fcard,
                "idcard": synth.maybe(parent.ric, 0.7),
                "qq_number": None,
                "wx_number": synth.maybe(parent.openid[:20], 0.7),
                "email": None,
                "image": None,
                "nation_name": None,
                "adress": synth.maybe(kid.address_zh, 0.6),
                "activate": 2,
                "create_date": t0,
            },
            subject=parent,
        )
        rows.add(
            "t_family_student",
            {
                "id": fid,
                "school_id": sid,
                "school_code": code,
                "card_number": fcard,
                "family_id": fid,
                "student_id": stu_id,
                "student_name": kid.name_zh,
                "student_number": card,
                "relation": relation,
                "create_date": t0,
            },
            subject=kid,
        )
        for user_type, user_id, who, number, phone in (
            (1, stu_id, kid, card, None),
            (3, fid, parent, fcard, parent.mobile),
        ):
            rows.add(
                "t_base_user",
                {
                    "id": base,
                    "school_id": sid,
                    "school_code": code,
                    "user_type": user_type,
                    "user_id": user_id,
                    "name": who.name_zh,
                    "gender": 1 if who.sex == "M" else 2,
                    "phone": phone,
                    "card_number": number,
                    "create_date": t0,
                },
                subject=who,
            )
            rows.add(
                "t_account",
                {
                    "id": acc,
                    "school_id": sid,
                    "school_code": code,
                    "user_type": user_type,
                    "user_id": user_id,
                    "user_name": who.name_zh,
                    "user_phone": phone,
                    "card_number": number,
                    "login_name": number if user_type == 1 else phone,
                    "login_name_update": 1,
                    "password": r.choice((synth.md5_hex(), "123456")) if user_type == 1 else synth.bcrypt(),
                    "account_expired": 1,
                    "account_locked": 1,
                    "create_date": t0,
                },
                subject=who,
            )
            base += 1
            acc += 1
        stu_acc = acc - 2
        balance = synth.money(0, 300)
        rows.add(
            "t_wallet_account",
            {
                "id": wallet,
                "school_id": sid,
                "school_code": code,
                "user_id": stu_id,
                "card_number": card,
                "user_name": kid.name_zh,
                "user_type": 2,
                "physical_number": f"{r.randrange(16**8):08X}",
                "amount": balance,
                "pay_password": synth.md5_hex(),
                "quick_pay_money": 20,
                "status": 1,
                "create_date": t0,
            },
            subject=kid,
        )
        rows.add(
            "t_physical_card",
            {
                "id": wallet,
                "school_id": sid,
                "school_code": code,
                "user_id": stu_id,
                "card_number": card,
                "wallet_account_id": wallet,
                "physical_number": f"{r.randrange(16**8):08X}",
                "deposit": 20,
                "status": 1,
                "create_date": t0,
            },
            subject=kid,
        )
        wallet += 1
        if r.random() < 0.5:
            rows.add(
                "t_wallet_recharge",
                {
                    "id": rech,
                    "school_id": sid,
                    "school_code": code,
                    "user_id": stu_id,
                    "user_name": kid.name_zh,
                    "card_number": card,
                    "order_no": 880000 + rech,
                    "out_order_no": f"wx{r.randrange(10**12)}",
                    "recharge_type": 2,
                    "recharge_status": 3,
                    "recharge_amount": synth.money(50, 500),
                    "recharge_time": t0 + dt.timedelta(days=r.randrange(30)),
                    "family_id": fid,
                    "family_number": fcard,
                    "family_name": parent.name_zh,
                    "create_date": t0,
                },
                subject=kid,
            )
            rech += 1
        for _ in range(r.randrange(0, 4)):
            when = now - dt.timedelta(days=r.randrange(20), hours=r.randrange(6))
            rows.add(
                "t_wallet_consumer",
                {
                    "id": cons,
                    "school_id": sid,
                    "school_code": code,
                    "user_id": stu_id,
                    "user_name": kid.name_zh,
                    "card_number": card,
                    "physical_number": None,
                    "charge_detp_id": sid,
                    "device_number": "POS01",
                    "order_no": f"C{cons:08d}",
                    "consumer_amount": synth.money(3, 15),
                    "consumer_time": when,
                    "consumer_type": 1,
                    "consumer_status": 2,
                    "create_date": when,
                },
                subject=kid,
            )
            cons += 1
        if sid != 2:
            continue
        # Junior-high pupils' phones under control.
        if r.random() < 0.7:
            rows.add(
                "t_user_device",
                {
                    "id": dev,
                    "school_id": sid,
                    "school_code": code,
                    "group_id": None,
                    "user_id": stu_id,
                    "card_number": card,
                    "login_name": card,
                    "user_name": kid.name_zh,
                    "imei": synth.imei(),
                    "client_id": synth.token(32),
                    "create_date": t0,
                },
                subject=kid,
            )
            dev += 1
            for a_name, package in r.sample(_APPS, 3):
                rows.add(
                    "t_install_apps",
                    {
                        "id": app,
                        "platform": 1,
                        "account_id": stu_acc,
                        "school_id": sid,
                        "school_code": code,
                        "card_number": card,
                        "user_name": kid.name_zh,
                        "app_name": a_name,
                        "app_package": package,
                        "create_date": t0,
                    },
                    subject=kid,
                )
                rows.add(
                    "t_app_status",
                    {
                        "id": app,
                        "platform": 1,
                        "account_id": stu_acc,
                        "school_id": sid,
                        "school_code": code,
                        "card_number": card,
                        "user_name": kid.name_zh,
                        "app_package": package,
                        "app_status": r.choice((1, 2)),
                        "create_date": t0,
                    },
                    subject=kid,
                )
                app += 1
            if r.random() < 0.4:
                a_name, package = r.choice(_APPS)
                rows.add(
                    "t_apply_log",
                    {
                        "id": log,
                        "platform": 1,
                        "account_id": stu_acc,
                        "client_id": synth.token(32),
                        "model": 1,
                        "school_id": sid,
                        "school_code": code,
                        "card_number": card,
                        "user_name": kid.name_zh,
                        "app_name": a_name,
                        "app_package": package,
                        "operator_code": fcard,
                        "operator_name": parent.name_zh,
                        "operator_status": r.choice((1, 2, 3)),
                        "start_date": now - dt.timedelta(hours=3),
                        "end_date": now - dt.timedelta(hours=2),
                        "reason": r.choice(("要用作业帮查题", "和同学讨论作业", "就玩半小时")),
                        "review": synth.maybe("先把作业写完", 0.5),
                        "is_read": 2,
                        "create_date": now,
                    },
                    subject=kid,
                )
                log += 1
            for _ in range(r.randrange(0, 4)):
                url = r.choice(_URLS)
                rows.add(
                    "t_visit_logs",
                    {
                        "id": visit,
                        "school_id": sid,
                        "school_name": None,
                        "school_code": code,
                        "student_id": stu_id,
                        "card_number": card,
                        "user_name": kid.name_zh,
                        "url": url,
                        "create_date": now - dt.timedelta(hours=r.randrange(200)),
                        "status": 1 if "4399" in url else 0,
                    },
                    subject=kid,
                )
                visit += 1
        if r.random() < 0.3:
            lng, lat = _point(synth, 0.05)
            rows.add(
                "t_family_fence",
                {
                    "id": fence,
                    "school_id": sid,
                    "school_code": code,
                    "card_number": fcard,
                    "family_id": fid,
                    "student_id": stu_id,
                    "student_name": kid.name_zh,
                    "student_number": card,
                    "fence_id": 9000 + fence,
                    "fence_name": "家",
                    "longitude": lng,
                    "latitude": lat,
                    "radius": 500,
                    "coord_type": "bd09ll",
                    "denoise": 0,
                    "status": 1,
                    "create_date": t0,
                },
                subject=kid,
            )
            if r.random() < 0.5:
                rows.add(
                    "t_fence_alarm",
                    {
                        "id": alarm,
                        "fence_id": 9000 + fence,
                        "fence_name": "家",
                        "type": 1,
                        "monitored_person": kid.name_zh,
                        "action": r.choice(("enter", "exit")),
                        "alarm_point": f"{lng + 0.01:.6f},{lat:.6f}",
                        "pre_point": f"{lng:.6f},{lat:.6f}",
                        "school_id": sid,
                        "school_code": code,
                        "student_id": stu_id,
                        "card_number": card,
                        "create_date": now - dt.timedelta(hours=r.randrange(100)),
                    },
                    subject=kid,
                )
                alarm += 1
            fence += 1
        if r.random() < 0.5:
            rows.add(
                "t_order",
                {
                    "order_no": 20000 + order,
                    "third_order_no": f"4200{r.randrange(10**20):020d}",
                    "school_id": sid,
                    "school_code": code,
                    "school_name": None,
                    "user_id": fid,
                    "card_number": fcard,
                    "user_name": parent.name_zh,
                    "user_type": 3,
                    "open_id": parent.openid,
                    "total_money": 99,
                    "order_money": 99,
                    "pay_money": 99,
                    "trade_status": 1,
                    "pay_status": 3,
                    "business_status": 3,
                    "business_type": 2,
                    "pay_type": 1,
                    "trade_type": 1,
                    "pay_time": t0 + dt.timedelta(days=2),
                    "product_id": "2",
                    "create_date": t0,
                },
                subject=parent,
            )
            rows.add(
                "t_order_item",
                {
                    "id": item,
                    "order_no": 20000 + order,
                    "product_id": 2,
                    "product_name": "学生手机管控服务（年）",
                    "product_price": 99,
                    "product_sell_price": 99,
                    "product_type": 1,
                    "product_item": "2",
                    "product_num": 1,
                    "create_date": t0,
                },
                subject=parent,
            )
            rows.add(
                "t_service_user",
                {
                    "id": svc,
                    "product_id": 2,
                    "product_name": "学生手机管控服务（年）",
                    "school_id": sid,
                    "school_code": code,
                    "family_id": fid,
                    "card_number": fcard,
                    "family_name": parent.name_zh,
                    "start_time": t0,
                    "end_time": t0 + dt.timedelta(days=365),
                    "status": 1,
                    "type": 1,
                    "student_number": card,
                    "student_name": kid.name_zh,
                    "days": 365,
                    "create_date": t0,
                },
                subject=parent,
            )
            rows.add(
                "t_service_role_permit",
                {
                    "id": svc,
                    "school_code": code,
                    "card_number": fcard,
                    "service_user_id": svc,
                    "service_role_id": 1,
                    "create_date": t0,
                },
                subject=parent,
            )
            order += 1
            item += 1
            svc += 1
    tester = synth.test_account()
    rows.add(
        "sys_feedback",
        {
            "id": 1,
            "school_id": 2,
            "school_code": "S002",
            "user_id": 1,
            "card_number": "test01",
            "user_name": tester.name_zh,
            "email": tester.email,
            "phone": tester.mobile,
            "content": "测试反馈",
            "status": 1,
            "create_date": now,
        },
        subject=tester,
    )
    rows.add(
        "sys_feedback",
        {
            "id": 2,
            "school_id": 2,
            "school_code": "S002",
            "user_id": 2,
            "card_number": None,
            "user_name": "家长",
            "email": None,
            "phone": synth.mobile(),
            "content": "孩子手机解锁申请一直没有推送给我",
            "status": 2,
            "create_date": now,
        },
    )
