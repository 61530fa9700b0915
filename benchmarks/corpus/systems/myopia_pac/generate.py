"""Rows for the myopia-prevention platform: one district's first vision-screening round and its 0-6 eye care.

A district education bureau sends a screening notice, a screening organisation (a hospital's eye team)
screens a primary school and a junior-high school; pupils (6-15) come from the schools' Excel import, are
screened once (vision, refraction, some height/weight), and their parents bind the WeChat service account
to read the report. A children's hospital keeps 0-6 year-olds' eye-care check records and referrals.
Platform, bureau, school, organisation and hospital staff are `o_user` accounts of the OAuth database.
The statistics tables (filled by nightly jobs), questionnaires, devices and overviews are empty, as after the
first round. Mess: ID numbers missing, 15-digit, Excel-corrupted or with a lower-case ``x`` in the copies the
screening plan keeps, passports instead of IDs, full-width parent phones, newborns without an ID card, test
accounts, JSON kept in text columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable

from benchmarks.corpus.synth import Person, Rows, Synth

_DISTRICTS = (
    (1, "四川省", 510000000000, 100000000000),
    (2, "成都市", 510100000000, 510000000000),
    (3, "武侯区", 510107000000, 510100000000),
    (4, "玉林街道", 510107013000, 510107000000),
    (5, "玉林社区居委会", 510107013001, 510107013000),
)
_GRADES_PRIMARY = (
    ("11", "一年级"),
    ("12", "二年级"),
    ("13", "三年级"),
    ("14", "四年级"),
    ("15", "五年级"),
    ("16", "六年级"),
)
_GRADES_JUNIOR = (("21", "初一"), ("22", "初二"), ("23", "初三"))
_PWD = "$2a$10$"  # upstream stores Spring BCrypt hashes
# Makes an o_user account with its role: (org id, user type, system code, person, username, role name) -> user id.
Account = Callable[[int, int, int, Person | None, str, str], int]


def _aged(synth: Synth, years: int, months: int = 0) -> Person:
    base = synth.person("child")
    anchor = dt.date(synth.as_of.year - years, synth.as_of.month, min(synth.as_of.day, 28))
    dob = anchor - dt.timedelta(days=months * 30 + synth.rng.randrange(1, 300))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _vision(synth: Synth) -> dict[str, object]:
    r = synth.rng
    eye = {"naked_vision": round(r.uniform(4.0, 5.2), 1), "corrected_vision": None}
    return {
        "leftEyeData": dict(eye),
        "rightEyeData": dict(eye),
        "glassesType": r.choice((0, 0, 0, 1, 2)),
        "isCooperative": 0,
    }


def _refraction(synth: Synth) -> dict[str, object]:
    r = synth.rng
    side = {
        "sph": round(r.uniform(-4.5, 1.5) * 4) / 4,
        "cyl": round(r.uniform(-1.5, 0) * 4) / 4,
        "axial": r.randrange(180),
    }
    return {"leftEyeData": dict(side), "rightEyeData": dict(side), "diagnosis": 0}


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    start = dt.datetime(synth.as_of.year if synth.as_of.month >= 9 else synth.as_of.year - 1, 9, 15, 9)
    now = dt.datetime.combine(synth.as_of, dt.time(18))
    t0 = start - dt.timedelta(days=60)

    def stamp(row: dict[str, object], when: dt.datetime = t0) -> dict[str, object]:
        row.setdefault("create_time", when)
        row.setdefault("update_time", when)
        return row

    for did, name, code, parent in _DISTRICTS:
        rows.add(
            "m_district",
            {"id": did, "name": name, "code": code, "parent_code": parent, "area_code": 1, "monitor_code": 1},
        )
    rows.add(
        "m_government_department", stamp({"id": 1, "name": "武侯区教育局", "pid": 0, "district_id": 3, "status": 0})
    )
    for i, (cn, en) in enumerate((("官方", "Official"), ("海南", "HaiNan")), start=1):
        rows.add("m_app_channel", {"id": i, "cn_name": cn, "en_name": en, "status": 0})
    for i, (name, typ) in enumerate((("档案卡-视力", 1), ("筛查报告-视力", 2)), start=1):
        rows.add("m_template", stamp({"id": i, "biz": 1, "type": typ, "name": name}))
    rows.add(
        "oauth_client_details",
        {
            "client_id": "management_client",
            "resource_ids": None,
            "client_secret": _PWD + synth.token(53),
            "scope": "all",
            "authorized_grant_types": "password,refresh_token",
            "access_token_validity": 7200,
            "refresh_token_validity": 2592000,
        },
    )
    for pid, name, parent in (
        (1, "首页", 0),
        (2, "学校管理", 0),
        (3, "学生管理", 2),
        (4, "筛查计划", 0),
        (5, "筛查结果", 4),
    ):
        rows.add(
            "o_permission",
            stamp(
                {
                    "id": pid,
                    "name": name,
                    "menu_btn_name": f"menu{pid}",
                    "api_url": None,
                    "is_menu": 1,
                    "is_page": 1,
                    "order": pid,
                    "pid": parent,
                    "system_code": 1,
                }
            ),
        )

    # OAuth users: organisations, roles, accounts.
    user_id = 1
    role_id = 1

    def account(org_id: int, user_type: int, system_code: int, p: Person | None, username: str, role: str) -> int:
        nonlocal user_id, role_id
        uid = user_id
        rows.add(
            "o_user",
            stamp(
                {
                    "id": uid,
                    "org_id": org_id,
                    "real_name": p.name_zh if p else None,
                    "gender": (0 if p.sex == "M" else 1) if p else None,
                    "phone": p.mobile if p else None,
                    "id_card": synth.maybe(p.ric, 0.6) if p else None,
                    "username": username,
                    "password": _PWD + synth.token(53),
                    "is_leader": 0,
                    "system_code": system_code,
                    "status": 0,
                    "remark": None,
                    "last_login_time": synth.maybe(now - dt.timedelta(days=r.randrange(30)), 0.3),
                    "user_type": user_type,
                }
            ),
            subject=p,
        )
        rows.add(
            "o_role",
            stamp(
                {
                    "id": role_id,
                    "org_id": org_id,
                    "en_name": None,
                    "ch_name": f"{role}{role_id}",
                    "role_type": 1,
                    "create_user_id": 1,
                    "system_code": system_code,
                    "status": 0,
                }
            ),
        )
        rows.add("o_user_role", {"user_id": uid, "role_id": role_id}, subject=p)
        rows.add("o_role_permission", {"role_id": role_id, "permission_id": r.randrange(1, 6)})
        user_id += 1
        role_id += 1
        return uid

    for org_id, user_type in ((1, 0), (2, 1), (3, 2), (4, 3)):
        rows.add("o_organization", {"org_id": org_id, "system_code": 1, "user_type": user_type, "status": 0})
    account(1, 0, 1, None, "admin", "平台管理员")
    bureau = account(2, 1, 1, synth.person("staff"), "whjyj", "教育局管理员")

    rows.add(
        "m_screening_organization",
        stamp(
            {
                "id": 1,
                "create_user_id": 1,
                "gov_dept_id": 1,
                "district_id": 3,
                "district_detail": json.dumps([{"code": 510107000000}]),
                "name": "武侯区妇幼保健院眼保健队",
                "type": 1,
                "config_type": 0,
                "phone": synth.landline(),
                "address": "武侯区二环路南四段",
                "status": 0,
                "cooperation_type": 0,
                "qr_code_config": "1",
                "screening_type_config": "0",
            }
        ),
    )
    staff = []
    for i in range(1, 5):
        p = synth.person("staff")
        uid = account(3, 1, 2, p, p.mobile, "筛查人员")
        staff.append(uid)
        rows.add(
            "m_screening_organization_staff",
            stamp(
                {
                    "id": i,
                    "gov_dept_id": 1,
                    "screening_org_id": 1,
                    "user_id": uid,
                    "create_user_id": bureau,
                    "sign_file_id": str(100 + i),
                    "remark": None,
                    "type": 0,
                }
            ),
            subject=p,
        )
        rows.add(
            "m_resource_file",
            {
                "id": 100 + i,
                "file_name": f"sign_{i}.png",
                "bucket": "myopia",
                "s3_key": f"sign/{synth.uuid()}.png",
                "create_time": t0,
            },
        )
    rows.add(
        "m_screening_organization_admin",
        stamp(
            {"id": 1, "create_user_id": 1, "screening_org_id": 1, "user_id": staff[0], "gov_dept_id": 1, "status": 0}
        ),
    )

    # Schools, grades, classes, pupils.
    pupils: list[
        tuple[int, int, int, int, Person, str | None]
    ] = []  # (student id, school, grade, class, person, id_card)
    grade_id = class_id = 1
    seen_ids: set[str] = set()
    for sid, name, typ, grades, first_age in (
        (1, "武侯实验小学", 0, _GRADES_PRIMARY, 6),
        (2, "武侯第二初级中学", 1, _GRADES_JUNIOR, 12),
    ):
        rows.add(
            "m_school",
            stamp(
                {
                    "id": sid,
                    "school_no": f"5101070{sid:03d}",
                    "create_user_id": bureau,
                    "gov_dept_id": 1,
                    "district_id": 3,
                    "district_detail": json.dumps([{"code": 510107000000, "name": "武侯区"}], ensure_ascii=False),
                    "name": name,
                    "kind": 0,
                    "type": typ,
                    "lodge_status": 2,
                    "province_code": 510000000000,
                    "city_code": 510100000000,
                    "area_code": 510107000000,
                    "town_code": 510107013000,
                    "address": "玉林南路",
                    "status": 0,
                    "vision_team_count": 2,
                    "screening_type_config": "0",
                }
            ),
        )
        p = synth.person("staff")
        uid = account(4, 1, 3, p, f"xx{sid}admin", "学校管理员")
        rows.add(
            "m_school_admin",
            stamp({"id": sid, "create_user_id": bureau, "school_id": sid, "user_id": uid, "gov_dept_id": 1}),
        )
        doctor = synth.person("staff")
        rows.add(
            "m_school_staff",
            stamp(
                {
                    "id": sid,
                    "school_id": sid,
                    "staff_name": doctor.name_zh,
                    "gender": 1,
                    "phone": doctor.mobile,
                    "id_card": doctor.ric,
                    "staff_type": 0,
                    "account_info": json.dumps({"userId": uid, "username": doctor.mobile}),
                    "status": 0,
                    "remark": None,
                }
            ),
            subject=doctor,
            dated=True,
        )
        for k, (code, gname) in enumerate(grades):
            rows.add(
                "m_school_grade",
                stamp(
                    {
                        "id": grade_id,
                        "create_user_id": bureau,
                        "school_id": sid,
                        "grade_code": code,
                        "name": gname,
                        "status": 0,
                    }
                ),
            )
            for c in (1, 2):
                rows.add(
                    "m_school_class",
                    stamp(
                        {
                            "id": class_id,
                            "grade_id": grade_id,
                            "create_user_id": bureau,
                            "school_id": sid,
                            "name": f"{c}班",
                            "seat_count": 45,
                            "status": 0,
                        }
                    ),
                )
                for _ in range(r.randrange(6, 10)):
                    kid = _aged(synth, first_age + k)
                    id_card: str | None = kid.ric if r.random() > 0.08 else None
                    if id_card in seen_ids:
                        id_card = None
                    if id_card:
                        seen_ids.add(id_card)
                    pupils.append((len(pupils) + 1, sid, grade_id, class_id, kid, id_card))
                class_id += 1
            grade_id += 1

    parent_id = 1
    for stu_id, sid, gid, cid, kid, id_card in pupils:
        parent = synth.person("parent")
        phone = parent.mobile if r.random() > 0.04 else synth.fullwidth(parent.mobile)
        passport = None if id_card or r.random() < 0.5 else "E" + f"{r.randrange(10**8):08d}"
        grade_type = 0 if sid == 1 else 1
        rows.add(
            "m_student",
            stamp(
                {
                    "id": stu_id,
                    "create_user_id": bureau,
                    "sno": f"{sid}{gid:02d}{stu_id:04d}",
                    "grade_id": gid,
                    "grade_type": grade_type,
                    "class_id": cid,
                    "name": kid.name_zh,
                    "gender": 0 if kid.sex == "M" else 1,
                    "birthday": dt.datetime.combine(kid.dob, dt.time()),
                    "nation": 0 if r.random() < 0.9 else r.randrange(1, 10),
                    "id_card": id_card,
                    "parent_phone": phone,
                    "mp_parent_phone": None,
                    "province_code": 510000000000,
                    "city_code": 510100000000,
                    "area_code": 510107000000,
                    "town_code": synth.maybe(510107013000, 0.5),
                    "address": synth.maybe(kid.address_zh, 0.5),
                    "avatar_file_id": None,
                    "current_situation": None,
                    "vision_label": None,
                    "remark": None,
                    "status": 0,
                    "school_id": sid,
                    "is_newborn_without_id_card": 0,
                    "family_info": None,
                    "committee_code": None,
                    "record_no": None,
                    "passport": passport,
                    "source_client": 1,
                }
            ),
            subject=kid,
            dated=True,
        )
        messy = kid.ric
        x = r.random()
        if x < 0.05:
            messy = kid.ric15
        elif x < 0.10:
            messy = synth.excel_id(kid.ric)
        elif x < 0.13:
            messy = kid.ric.lower()
        rows.add(
            "m_school_student",
            stamp(
                {
                    "id": stu_id,
                    "student_id": stu_id,
                    "school_id": sid,
                    "create_user_id": bureau,
                    "sno": f"{sid}{gid:02d}{stu_id:04d}",
                    "particular_year": start.year,
                    "grade_id": gid,
                    "grade_name": None,
                    "grade_type": grade_type,
                    "class_id": cid,
                    "class_name": None,
                    "name": kid.name_zh if r.random() > 0.03 else synth.trailing(kid.name_zh),
                    "gender": 0 if kid.sex == "M" else 1,
                    "birthday": dt.datetime.combine(kid.dob, dt.time()),
                    "nation": 0,
                    "id_card": messy if id_card else None,
                    "parent_phone": phone,
                    "passport": passport,
                    "status": 0,
                    "source_client": 1,
                }
            ),
            subject=kid,
            dated=True,
        )
        if r.random() < 0.45:
            rows.add(
                "m_parent",
                stamp(
                    {
                        "id": parent_id,
                        "open_id": parent.openid,
                        "hash_key": synth.sha1_hex(),
                        "wx_header_img_url": synth.maybe(synth.photo_url("wx"), 0.3),
                        "wx_nickname": synth.maybe(r.choice(("快乐妈妈", parent.given_zh, "🌸")), 0.3),
                        "user_id": None,
                    }
                ),
                subject=parent,
            )
            rows.add("m_parent_student", {"parent_id": parent_id, "student_id": stu_id}, subject=kid)
            parent_id += 1

    _screening(synth, rows, pupils, staff, bureau, start, now)
    _hospital(synth, rows, bureau, start, now, account)
    tester = synth.test_account()
    rows.add(
        "m_work_order",
        stamp(
            {
                "id": 1,
                "name": tester.name_zh,
                "gender": 0,
                "id_card": tester.ric,
                "birthday": dt.datetime(2010, 1, 1),
                "school_id": 1,
                "grade_id": 1,
                "class_id": 1,
                "sno": "test01",
                "status": 1,
                "create_user_id": 1,
                "term": 0,
                "content": "测试工单",
                "grade_type": 0,
                "parent_phone": tester.mobile,
                "wx_nickname": "test01",
                "view_status": 0,
            },
            start + dt.timedelta(days=3),
        ),
        subject=tester,
        dated=True,
    )
    for i, (_stu_id, sid, gid, cid, kid, id_card) in enumerate(r.sample(pupils, 3), start=2):
        rows.add(
            "m_work_order",
            stamp(
                {
                    "id": i,
                    "name": kid.name_zh,
                    "gender": 0 if kid.sex == "M" else 1,
                    "id_card": id_card,
                    "birthday": dt.datetime.combine(kid.dob, dt.time()),
                    "school_id": sid,
                    "grade_id": gid,
                    "class_id": cid,
                    "status": r.choice((0, 1)),
                    "create_user_id": 1,
                    "term": 0,
                    "content": r.choice(("孩子身份证号录错了，请修改", "绑定时提示学生不存在", "班级不对，已转班")),
                    "grade_type": 0 if sid == 1 else 1,
                    "parent_phone": synth.person("parent").mobile,
                    "wx_nickname": r.choice(("微信用户", "小鱼妈妈")),
                    "view_status": 0,
                    "old_data": json.dumps({"name": kid.name_zh, "idCard": id_card}, ensure_ascii=False),
                },
                start + dt.timedelta(days=10),
            ),
            subject=kid,
            dated=True,
        )
    return rows


def _screening(
    synth: Synth,
    rows: Rows,
    pupils: list[tuple[int, int, int, int, Person, str | None]],
    staff: list[int],
    bureau: int,
    start: dt.datetime,
    now: dt.datetime,
) -> None:
    r = synth.rng
    rows.add(
        "m_screening_notice",
        {
            "id": 1,
            "title": "秋季学生视力筛查通知",
            "content": "请各校配合完成视力筛查。",
            "start_time": start,
            "end_time": start + dt.timedelta(days=30),
            "type": 0,
            "gov_dept_id": 1,
            "district_id": 3,
            "screening_task_id": 0,
            "release_status": 1,
            "release_time": start,
            "operation_version": 1,
            "create_user_id": bureau,
            "create_time": start,
            "operator_id": bureau,
            "operate_time": start,
            "screening_type": 0,
        },
    )
    rows.add(
        "m_screening_task",
        {
            "id": 1,
            "screening_notice_id": 1,
            "title": "武侯区秋季视力筛查",
            "content": "筛查任务",
            "start_time": start,
            "end_time": start + dt.timedelta(days=30),
            "gov_dept_id": 1,
            "district_id": 3,
            "release_status": 1,
            "release_time": start,
            "create_user_id": bureau,
            "create_time": start,
            "operator_id": bureau,
            "operate_time": start,
            "screening_type": 0,
        },
    )
    qc = synth.person("staff")
    rows.add(
        "m_screening_task_org",
        {
            "id": 1,
            "screening_task_id": 1,
            "screening_org_id": 1,
            "screening_org_type": 0,
            "quality_controller_name": qc.name_zh,
            "quality_controller_contact": qc.mobile,
            "quality_controller_commander": synth.person("staff").name_zh,
            "create_time": start,
        },
    )
    rows.add(
        "m_screening_plan",
        {
            "id": 1,
            "src_screening_notice_id": 1,
            "screening_task_id": 1,
            "title": "武侯区秋季视力筛查计划",
            "content": "计划",
            "start_time": start,
            "end_time": start + dt.timedelta(days=30),
            "gov_dept_id": 1,
            "district_id": 3,
            "screening_org_id": 1,
            "screening_org_type": 0,
            "student_numbers": len(pupils),
            "release_status": 1,
            "release_time": start,
            "create_user_id": staff[0],
            "create_time": start,
            "operator_id": staff[0],
            "operate_time": start,
            "screening_type": 0,
            "update_screening_end_time_status": 0,
            "year": start.year,
            "time": 1,
        },
    )
    for sid, name in ((1, "武侯实验小学"), (2, "武侯第二初级中学")):
        rows.add(
            "m_screening_plan_school",
            {
                "id": sid,
                "screening_plan_id": 1,
                "school_id": sid,
                "dept_id": 1,
                "school_name": name,
                "quality_controller_name": qc.name_zh,
                "quality_controller_commander": None,
                "create_time": start,
                "screening_org_id": 1,
                "screening_grade_ids": None,
            },
        )
    day = start + dt.timedelta(days=7)
    for n, (stu_id, sid, gid, cid, kid, id_card) in enumerate(pupils, start=1):
        copy_id = id_card
        if id_card and r.random() < 0.05:
            copy_id = synth.excel_id(id_card)
        age = synth.age(kid)
        rows.add(
            "m_screening_plan_school_student",
            {
                "id": n,
                "screening_plan_id": 1,
                "school_id": sid,
                "school_name": ("武侯实验小学", "武侯第二初级中学")[sid - 1],
                "plan_district_id": 3,
                "school_district_id": 3,
                "grade_id": gid,
                "screening_task_id": 1,
                "class_id": cid,
                "screening_org_id": 1,
                "student_id": stu_id,
                "birthday": kid.dob,
                "id_card": copy_id,
                "student_age": age,
                "student_situation": json.dumps({"gradeName": None, "schoolName": None}),
                "student_no": f"{sid}{gid:02d}{stu_id:04d}",
                "student_name": kid.name_zh,
                "create_time": start,
                "gender": 0 if kid.sex == "M" else 1,
                "src_screening_notice_id": 1,
                "grade_type": 0 if sid == 1 else 1,
                "province_code": 510000000000,
                "city_code": 510100000000,
                "area_code": 510107,
                "nation": 0,
                "parent_phone": None,
                "artificial": 0,
                "screening_code": 9000000000 + n,
                "state": 0 if r.random() > 0.05 else 1,
            },
            subject=kid,
            dated=True,
        )
        if day > now or r.random() < 0.1:
            continue
        when = day + dt.timedelta(hours=r.randrange(6))
        vision = _vision(synth)
        rows.add(
            "m_vision_screening_result",
            {
                "id": n,
                "screening_plan_school_student_id": n,
                "screening_org_id": 1,
                "task_id": 1,
                "create_user_id": r.choice(staff),
                "plan_id": 1,
                "school_id": sid,
                "student_id": stu_id,
                "district_id": 3,
                "vision_data": json.dumps(vision),
                "computer_optometry": json.dumps(_refraction(synth)),
                "biometric_data": None,
                "other_eye_diseases": None,
                "is_double_screen": 0,
                "is_notice": 0,
                "update_time": when,
                "create_time": when,
                "height_and_weight_data": json.dumps(
                    {
                        "height": round(110 + 6 * (age - 6) + r.uniform(-5, 5), 1),
                        "weight": round(20 + 3.5 * (age - 6) + r.uniform(-3, 9), 1),
                    }
                )
                if r.random() < 0.3
                else None,
                "screening_type": 0,
            },
            subject=kid,
        )
        left = vision["leftEyeData"]["naked_vision"]  # type: ignore[index]
        myopia = left < 4.9 and r.random() < 0.8
        rows.add(
            "m_stat_conclusion",
            {
                "id": n,
                "result_id": n,
                "src_screening_notice_id": 1,
                "task_id": 1,
                "plan_id": 1,
                "screening_org_id": 1,
                "district_id": 3,
                "age": age,
                "school_age": 1 if sid == 1 else 2,
                "gender": 0 if kid.sex == "M" else 1,
                "warning_level": 2 if myopia else 0,
                "vision_l": left,
                "vision_r": vision["rightEyeData"]["naked_vision"],  # type: ignore[index]
                "is_low_vision": int(left < 4.9),
                "is_refractive_error": int(myopia),
                "is_myopia": int(myopia),
                "is_hyperopia": 0,
                "is_astigmatism": int(r.random() < 0.1),
                "is_wearing_glasses": int(vision["glassesType"] != 0),
                "is_recommend_visit": int(myopia),
                "is_rescreen": 0,
                "is_vision_warning": int(myopia),
                "vision_warning_update_time": when,
                "rescreen_error_num": 0,
                "is_valid": 1,
                "create_time": when,
                "update_time": when,
                "screening_plan_school_student_id": n,
                "school_grade_code": None,
                "school_id": sid,
                "student_id": stu_id,
                "myopia_level": 3 if myopia else 0,
                "is_bind_mp": 0,
                "screening_type": 0,
                "physique_rescreen_error_num": 0,
            },
            subject=kid,
        )
        if myopia and r.random() < 0.5:
            rows.add(
                "m_warning_msg",
                {
                    "id": n,
                    "student_id": stu_id,
                    "msg_template_id": 1,
                    "phone_numbers": synth.person("parent").mobile,
                    "send_status": 1,
                    "send_time": when + dt.timedelta(days=1),
                    "send_times": 1,
                    "update_time": when,
                    "create_time": when,
                    "send_day_of_year": f"{when.year}{when.timetuple().tm_yday:03d}",
                },
                subject=kid,
            )
        if r.random() < 0.3:
            day += dt.timedelta(days=1)


def _hospital(synth: Synth, rows: Rows, bureau: int, start: dt.datetime, now: dt.datetime, account: Account) -> None:
    r = synth.rng
    rows.add(
        "m_hospital",
        {
            "id": 1,
            "create_user_id": bureau,
            "gov_dept_id": 1,
            "district_id": 3,
            "district_detail": json.dumps([{"code": 510107000000}]),
            "name": "武侯区妇幼保健院",
            "level": 3,
            "type": 0,
            "kind": 0,
            "telephone": synth.landline(),
            "province_code": 510000000000,
            "city_code": 510100000000,
            "area_code": 510107000000,
            "address": "武侯区二环路南四段",
            "status": 0,
            "create_time": start,
            "update_time": start,
            "service_type": 1,
        },
    )
    rows.add(
        "h_department", {"id": 1, "hospital_id": 1, "name": "儿童眼保健科", "create_time": start, "update_time": start}
    )
    doctors = []
    for i in range(1, 4):
        d = synth.person("staff")
        uid = account(4, 1, 4, d, d.mobile, "医生")
        rows.add(
            "h_doctor",
            {
                "id": i,
                "gender": 0 if d.sex == "M" else 1,
                "name": d.name_zh,
                "user_id": uid,
                "remark": None,
                "hospital_id": 1,
                "department_id": 1,
                "department_name": "儿童眼保健科",
                "title_name": r.choice(("主治医师", "副主任医师", "住院医师")),
                "status": 0,
                "avatar_file_id": None,
                "sign_file_id": None,
                "create_time": start,
                "update_time": start,
            },
            subject=d,
        )
        doctors.append(i)
        if i == 1:
            rows.add(
                "m_hospital_admin",
                {
                    "id": 1,
                    "create_user_id": bureau,
                    "hospital_id": 1,
                    "user_id": uid,
                    "gov_dept_id": 1,
                    "create_time": start,
                    "update_time": start,
                },
            )
    # 0-6 year-olds registered at the hospital: their own m_student rows plus the hospital's copy.
    base_id = 5000
    record = referral = 1
    for n in range(1, 26):
        years, months = r.choice(((0, 0), (0, 3), (0, 8), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0)))
        baby = _aged(synth, years, months)
        newborn = years == 0 and r.random() < 0.6
        stu_id = base_id + n
        mother = synth.person("parent")
        family = {"member": [{"name": mother.name_zh, "relation": "母亲", "phone": mother.mobile, "education": "本科"}]}
        common = {
            "name": baby.name_zh if not newborn or r.random() < 0.5 else f"{mother.name_zh}之子",
            "gender": 0 if baby.sex == "M" else 1,
            "birthday": dt.datetime.combine(baby.dob, dt.time()),
            "nation": 0,
            "id_card": None if newborn else baby.ric,
            "parent_phone": mother.mobile,
            "address": synth.maybe(baby.address_zh, 0.3),
            "status": 0,
            "is_newborn_without_id_card": int(newborn),
            "family_info": json.dumps(family, ensure_ascii=False),
            "committee_code": 510107013001,
            "record_no": f"WH{start.year}{n:05d}",
            "passport": None,
            "create_time": start,
            "update_time": start,
        }
        rows.add(
            "m_student",
            dict(
                common,
                id=stu_id,
                create_user_id=bureau,
                grade_type=None,
                source_client=0,
                province_code=510000000000,
                city_code=510100000000,
                area_code=510107000000,
                town_code=510107013000,
            ),
            subject=baby,
            dated=True,
        )
        rows.add(
            "h_hospital_student",
            dict(
                common,
                id=n,
                hospital_id=1,
                student_id=stu_id,
                create_user_id=bureau,
                province_id=1,
                city_id=2,
                area_id=3,
                town_id=4,
                student_type=2,
            ),
            subject=baby,
            dated=True,
        )
        when = start + dt.timedelta(days=r.randrange(60))
        if when > now:
            continue
        month_age = min(9, years * 2 + (1 if months else 0))
        ok = r.random() < 0.8
        rows.add(
            "h_preschool_check_record",
            {
                "id": record,
                "student_id": stu_id,
                "hospital_id": 1,
                "is_referral": 0,
                "month_age": month_age,
                "outer_eye": json.dumps({"status": 1 if ok else 0}),
                "red_reflex": json.dumps({"status": 1}),
                "vision_data": json.dumps(_vision(synth)) if years >= 3 else None,
                "guide_content": "注意用眼卫生，每天户外活动2小时" if ok else "建议转诊至上级医院眼科",
                "conclusion": "未见异常" if ok else "疑似斜视",
                "status": 1 if ok else 0,
                "update_time": when,
                "create_time": when,
            },
            subject=baby,
        )
        rows.add(
            "h_medical_record",
            {
                "id": record,
                "student_id": stu_id,
                "hospital_id": 1,
                "department_id": 1,
                "doctor_id": r.choice(doctors),
                "consultation": json.dumps({"content": "家长诉孩子看电视眯眼"}, ensure_ascii=False),
                "vision": None,
                "diopter": json.dumps(_refraction(synth)),
                "status": 1,
                "create_time": when,
                "update_time": when,
            },
            subject=baby,
        )
        if not ok:
            rows.add(
                "h_referral_record",
                {
                    "id": referral,
                    "preschool_check_record_id": record,
                    "student_id": stu_id,
                    "from_hospital_id": 1,
                    "from_doctor_id": r.choice(doctors),
                    "to_hospital_id": None,
                    "to_hospital": "四川大学华西医院",
                    "to_department": "小儿眼科",
                    "special_medical": None,
                    "disease_medical": json.dumps(["眼位检查"], ensure_ascii=False),
                    "conclusion": "眼位异常，建议进一步检查",
                    "referral_status": 0,
                    "update_time": when,
                    "create_time": when,
                },
                subject=baby,
            )
            referral += 1
        record += 1
