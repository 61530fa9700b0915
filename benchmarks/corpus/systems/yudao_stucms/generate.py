"""Rows for StuCMS on ruoyi-vue-pro: one 高中 (three grades, two classes each) one term into its school year.

Pupils are 15-18 (a few younger ones who skipped a year are 14 and so still children); each has a student
record (stucms_student) and a login account (system_users, the 学号 as user name, nickname = real name) as
upstream creates them; teachers have a teacher record and an account with their phone as user name. The
yudao logs (logins, operations, API access), OAuth2 tokens and sessions follow the logins; a few pupils
asked for leave through the Flowable OA-leave process. Flowable's identity tables, jobs, Quartz, code
generation, SMS and social-login tables stay empty, as on a school that never switched them on. Mess:
15-digit, Excel-corrupted and full-width ID numbers, lower-case ``x``, ``creator`` holding the user name
``admin`` on rows imported before the id convention, a test pupil with the demo ID, ethnicity written three
ways, and a left-over demo teacher account.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from benchmarks.corpus.synth import Person, Rows, Synth

_SCHOOL = "福建省宁德市民族中学"
_GRADES = ("高一", "高二", "高三")
_COURSES = (("语文", 150), ("数学", 150), ("英语", 150), ("物理", 100), ("化学", 100), ("生物", 100))
_MINZU = ("汉", "汉", "汉", "汉族", "汉", "畲", "畲族", "回", "汉", "苗")
_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/103.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "MicroMessenger/8.0.24",
    "Mozilla/5.0 (Linux; Android 12; M2102J2SC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 "
    "Mobile Safari/537.36",
)
_BCRYPT_PREFIX = "$2a$10$"
_HUKOU = ("农业", "非农业", "农业户口", "城镇", "3")
_AWARDS = ("校三好学生", "市数学竞赛三等奖", "优秀团员", "校运会800米第二名", "省物理竞赛二等奖")
_MIDDLE = ("宁德市第二中学", "蕉城区第八中学", "福安市实验中学", "宁德市民族中学初中部", "霞浦县第一中学")
_LEAVE_REASONS = (
    "发烧咳嗽，去医院看病",
    "家中有事需回老家",
    "参加市里的英语竞赛",
    "牙疼，约了牙科复诊",
    "奶奶生病住院，回家探望",
)


def _school_year_start(as_of: dt.date) -> int:
    return as_of.year if as_of.month >= 9 else as_of.year - 1


def _pupil(synth: Synth, entry_year: int, young: bool) -> Person:
    """A pupil who entered 高一 in ``entry_year`` at 15 (or 14 when ``young``); ID matches birth date and sex."""
    r = synth.rng
    age_at_entry = 14 if young else 15
    dob = dt.date(entry_year - age_at_entry, 9, 1) - dt.timedelta(days=r.randrange(365))
    base = synth.person("teen")
    rid = synth.ric_for(dob, base.sex, "350902" if r.random() < 0.7 else base.ric[:6])
    kind = "child" if synth.age(dataclasses.replace(base, dob=dob)) <= 13 else "teen"
    return dataclasses.replace(base, kind=kind, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _sysid(synth: Synth, p: Person) -> str:
    """身份证号 as the school typed or imported it (NOT NULL upstream, so never empty)."""
    x = synth.rng.random()
    if x < 0.05:
        return p.ric15
    if x < 0.10:
        return synth.excel_id(p.ric)
    if x < 0.13:
        return synth.fullwidth(p.ric)
    if x < 0.16 and p.ric.endswith("X"):
        return p.ric.lower()
    return p.ric


def _bcrypt(synth: Synth) -> str:
    return _BCRYPT_PREFIX + synth.bcrypt()[7:]


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    start = _school_year_start(synth.as_of)
    opened = dt.datetime(start, 8, 20, 9)
    now = dt.datetime.combine(synth.as_of, dt.time(17))

    def base(creator: str | None, when: dt.datetime) -> dict[str, object]:
        return {"creator": creator, "create_time": when, "updater": creator, "update_time": when, "deleted": 0}

    # Tenant, roles, posts, dictionary.
    admin = synth.person("staff")
    rows.add(
        "system_tenant_package",
        {"id": 111, "name": "普通套餐", "status": 0, "remark": "", "menu_ids": "[1,2,5]", **base("1", opened)},
    )
    rows.add(
        "system_tenant",
        {
            "id": 1,
            "name": "宁德民族中学",
            "contact_user_id": 1,
            "contact_name": admin.name_zh,
            "contact_mobile": admin.mobile,
            "status": 0,
            "domain": "jstu.example.cn",
            "package_id": 111,
            "expire_time": dt.datetime(start + 3, 7, 1),
            "account_count": 9999,
            **base("1", opened),
        },
        subject=admin,
    )
    for rid_, name, code in ((1, "超级管理员", "super_admin"), (2, "老师", "teacher"), (3, "学生", "student")):
        rows.add(
            "system_role",
            {
                "id": rid_,
                "name": name,
                "code": code,
                "sort": rid_,
                "data_scope": 1 if rid_ == 1 else 3,
                "data_scope_dept_ids": "",
                "status": 0,
                "type": 1 if rid_ == 1 else 2,
                "remark": None,
                "tenant_id": 1,
                **base("admin", opened),
            },
        )
    for pid, code, name in ((1, "bzr", "班主任"), (2, "rkls", "任课老师"), (3, "njzz", "年段长")):
        rows.add(
            "system_post",
            {
                "id": pid,
                "code": code,
                "name": name,
                "sort": pid,
                "status": 0,
                "remark": "",
                "tenant_id": 1,
                **base("1", opened),
            },
        )
    dict_types = (
        (1, "用户性别", "system_user_sex"),
        (148, "学生寄宿类型", "stucms_jishu_type"),
        (149, "留守儿童", "stucms_liushou_type"),
    )
    for did, name, typ in dict_types:
        rows.add(
            "system_dict_type", {"id": did, "name": name, "type": typ, "status": 0, "remark": None, **base("1", opened)}
        )
    for did, (label, value, typ) in enumerate(
        (
            ("男", "1", "system_user_sex"),
            ("女", "2", "system_user_sex"),
            ("寄宿", "0", "stucms_jishu_type"),
            ("非寄宿", "1", "stucms_jishu_type"),
            ("是", "1", "stucms_liushou_type"),
            ("否", "0", "stucms_liushou_type"),
        ),
        start=1160,
    ):
        rows.add(
            "system_dict_data",
            {
                "id": did,
                "sort": 0,
                "label": label,
                "value": value,
                "dict_type": typ,
                "status": 0,
                "color_type": "primary",
                "css_class": "",
                "remark": None,
                **base("1", opened),
            },
        )

    # Departments: school -> 年段 -> classes.
    rows.add(
        "system_dept",
        {
            "id": 100,
            "name": _SCHOOL[-6:],
            "parent_id": 0,
            "sort": 0,
            "leader_user_id": 1,
            "phone": f"0593282{r.randrange(10000):04d}",
            "email": "xxb@ndmz.example.cn",
            "status": 0,
            "tenant_id": 1,
            **base("admin", opened),
        },
    )
    classes: list[tuple[int, int, int]] = []  # (dept id, grade index, entry year)
    for g, gname in enumerate(_GRADES):
        gid = 110 + g
        rows.add(
            "system_dept",
            {
                "id": gid,
                "name": f"{gname}年段",
                "parent_id": 100,
                "sort": g,
                "status": 0,
                "tenant_id": 1,
                **base("1", opened),
            },
        )
        for c in (1, 2):
            cid = 120 + g * 10 + c
            rows.add(
                "system_dept",
                {
                    "id": cid,
                    "name": f"{gname}{c}班",
                    "parent_id": gid,
                    "sort": c,
                    "status": 0,
                    "tenant_id": 1,
                    **base("1", opened),
                },
            )
            classes.append((cid, g, start - g))

    users: list[tuple[int, str, Person, int | None]] = []  # (user id, username, person, dept id)
    uid = 1

    def account(username: str, p: Person, dept: int | None, role: int, remark: str | None = None) -> int:
        nonlocal uid
        created = synth.datetime_between(opened, opened + dt.timedelta(days=12))
        logged = synth.maybe(synth.datetime_between(created, now), 0.3)
        rows.add(
            "system_users",
            {
                "id": uid,
                "username": username,
                "password": _bcrypt(synth),
                "nickname": p.name_zh,
                "remark": remark,
                "dept_id": dept,
                "post_ids": "[]" if role != 2 else f"[{r.choice((1, 2))}]",
                "email": p.email if role != 3 and r.random() < 0.4 else "",
                "mobile": p.mobile if role != 3 else "",
                "sex": 1 if p.sex == "M" else 2,
                "avatar": synth.maybe(synth.photo_url("avatar"), 0.8),
                "status": 0,
                "login_ip": synth.ip4() if logged else None,
                "login_date": logged,
                "creator": "1" if uid > 1 else "admin",
                "create_time": created,
                "updater": None,
                "update_time": logged or created,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=p,
        )
        rows.add(
            "system_user_role",
            {
                "id": uid,
                "user_id": uid,
                "role_id": role,
                "creator": "1",
                "create_time": created,
                "updater": "1",
                "update_time": created,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=p,
        )
        users.append((uid, username, p, dept))
        uid += 1
        return uid - 1

    account("admin", admin, 100, 1, "管理员")

    # Teachers: a teacher record and an account with the phone as user name.
    teachers: list[tuple[int, Person, int]] = []  # (teacher id, person, user id)
    for tid in range(1, 15):
        t = synth.person("staff")
        phone = t.mobile
        rows.add(
            "stucms_teacher",
            {
                "teacher_id": tid,
                "name": t.name_zh,
                "phone": phone,
                "sex": "1" if t.sex == "M" else "2",
                "qq": synth.maybe(t.qq, 0.4),
                **base("1" if tid > 3 else "admin", opened),
            },
            subject=t,
        )
        teachers.append((tid, t, account(phone, t, None, 2)))
    demo = synth.test_account()
    rows.add(
        "stucms_teacher",
        {"teacher_id": 15, "name": "老师甲", "phone": "teacher", "sex": "1", "qq": "10000", **base("1", opened)},
    )
    account("teacher", demo, None, 2)
    for cid, _g, _e in classes:  # head teachers lead their class departments
        rows["system_dept"][[d["id"] for d in rows["system_dept"]].index(cid)]["leader_user_id"] = r.choice(teachers)[2]

    for kid, (name, full) in enumerate(_COURSES, start=1):
        rows.add(
            "stucms_course",
            {
                "course_id": kid,
                "course_name": name,
                "course_full": full,
                "teacher_id": teachers[kid - 1][0],
                **base("1", opened),
            },
        )

    # Pupils: student record (dated) and account.
    pupils: list[tuple[int, int, Person, int]] = []  # (student id, class dept, person, user id)
    sid = 1
    for cid, g, entry in classes:
        for seat in range(1, r.randrange(17, 23)):
            p = _pupil(synth, entry, young=r.random() < 0.05)
            uid_ = (
                f"{entry % 100:02d}{g + 1}{cid % 10}{seat:02d}" if r.random() > 0.03 else f"{r.randrange(10**7, 10**8)}"
            )
            name = p.name_zh if r.random() > 0.04 else synth.trailing(p.name_zh)
            created = synth.datetime_between(opened, opened + dt.timedelta(days=10))
            rows.add(
                "stucms_student",
                {
                    "student_id": sid,
                    "student_uid": uid_,
                    "student_name": name,
                    "sex": "1" if p.sex == "M" else "2",
                    "phone": p.mobile if r.random() > 0.05 else synth.fullwidth(p.mobile),
                    "sysid": _sysid(synth, p),
                    "birth": p.dob,
                    "minzu": r.choice(_MINZU),
                    "hukou": synth.maybe(r.choice(_HUKOU), 0.3),
                    "jishu": r.choice("0111"),
                    "huji": synth.maybe(p.address_zh[:14], 0.4),
                    "xianzz": synth.maybe(p.address_zh, 0.3),
                    "liushou": 1 if r.random() < 0.12 else 0,
                    "biye": synth.maybe(r.choice(_MIDDLE), 0.2),
                    "huojiang": synth.maybe(r.choice(_AWARDS), 0.8),
                    "creator": "admin" if r.random() < 0.2 else "1",
                    "create_time": created,
                    "updater": None,
                    "update_time": created,
                    "deleted": 0,
                    "dept_id": cid,
                },
                subject=p,
                dated=True,
            )
            pupils.append((sid, cid, p, account(uid_, p, cid, 3)))
            sid += 1
    tester = synth.test_account()
    rows.add(
        "stucms_student",
        {
            "student_id": sid,
            "student_uid": "student",
            "student_name": "学生甲",
            "sex": "1",
            "phone": "110120119",
            "sysid": tester.ric,
            "birth": tester.dob,
            "minzu": "畲",
            "hukou": "3",
            "jishu": "0",
            "huji": "1",
            "xianzz": "2",
            "liushou": 1,
            "biye": "群英网络有限公司",
            "huojiang": "4",
            **base("", opened),
        },
        subject=tester,
        dated=True,
    )
    account("student", tester, classes[1][0], 3)

    _exams_and_scores(synth, rows, pupils, start)
    _activity(synth, rows, users, opened, now)
    _leave(synth, rows, pupils, teachers, start, now)
    return rows


def _exams_and_scores(synth: Synth, rows: Rows, pupils: list[tuple[int, int, Person, int]], start: int) -> None:
    r = synth.rng
    score_id = 1
    for eid, (name, day) in enumerate(
        (("期中考试", dt.date(start, 11, 12)), ("期末考试", dt.date(start + 1, 1, 18))), start=1
    ):
        if day > synth.as_of:
            continue
        rows.add(
            "stucms_exam",
            {
                "exam_id": eid,
                "exam_name": f"{start}学年第一学期{name}",
                "exam_time": day,
                "creator": "1",
                "create_time": dt.datetime.combine(day, dt.time(8)),
                "updater": None,
                "update_time": dt.datetime.combine(day, dt.time(8)),
                "deleted": 0,
            },
        )
        entered = dt.datetime.combine(day + dt.timedelta(days=4), dt.time(16))
        for psid, _cid, p, _uid in pupils:
            for kid, (_course, full) in enumerate(_COURSES, start=1):
                if r.random() < 0.15:
                    continue
                rows.add(
                    "stucms_score",
                    {
                        "score_id": score_id,
                        "score": round(r.uniform(0.35, 0.98) * full, 1),
                        "student_id": psid,
                        "exam_id": eid,
                        "course_id": kid,
                        "creator": "1",
                        "create_time": entered,
                        "updater": None,
                        "update_time": entered,
                        "deleted": 0,
                    },
                    subject=p,
                )
                score_id += 1


def _activity(
    synth: Synth, rows: Rows, users: list[tuple[int, str, Person, int | None]], opened: dt.datetime, now: dt.datetime
) -> None:
    """Logins, sessions, tokens, operation and API logs of the users who logged in."""
    r = synth.rng
    log_id = op_id = api_id = tok = 1
    since = max(opened, now - dt.timedelta(days=30))
    for user_id, username, p, _dept in users:
        if r.random() < 0.35 and user_id != 1:
            continue
        ip, ua = synth.ip4(), r.choice(_UA)
        for _ in range(r.randrange(1, 5)):
            when = synth.datetime_between(since, now)
            ok = r.random() > 0.1
            rows.add(
                "system_login_log",
                {
                    "id": log_id,
                    "log_type": 100,
                    "trace_id": synth.token(24),
                    "user_id": user_id if ok else 0,
                    "user_type": 2,
                    "username": username,
                    "result": 0 if ok else 10,
                    "user_ip": ip,
                    "user_agent": ua,
                    "creator": str(user_id) if ok else None,
                    "create_time": when,
                    "updater": None,
                    "update_time": when,
                    "deleted": 0,
                    "tenant_id": 1,
                },
                subject=p,
            )
            log_id += 1
        when = synth.datetime_between(since, now)
        access, refresh = synth.token(32), synth.token(32)
        rows.add(
            "system_oauth2_refresh_token",
            {
                "id": tok,
                "user_id": user_id,
                "refresh_token": refresh,
                "user_type": 2,
                "client_id": "default",
                "scopes": None,
                "expires_time": when + dt.timedelta(days=30),
                "creator": str(user_id),
                "create_time": when,
                "updater": None,
                "update_time": when,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=p,
        )
        rows.add(
            "system_oauth2_access_token",
            {
                "id": tok,
                "user_id": user_id,
                "user_type": 2,
                "access_token": access,
                "refresh_token": refresh,
                "client_id": "default",
                "scopes": None,
                "expires_time": when + dt.timedelta(minutes=30),
                "creator": str(user_id),
                "create_time": when,
                "updater": None,
                "update_time": when,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=p,
        )
        tok += 1
        if r.random() < 0.3:
            args = (
                {"id": r.randrange(1, 140), "studentName": p.name_zh, "phone": p.mobile}
                if r.random() < 0.5
                else {"pageNo": 1, "pageSize": 10, "deptId": _dept}
            )
            rows.add(
                "system_operate_log",
                {
                    "id": op_id,
                    "trace_id": synth.token(24),
                    "user_id": user_id,
                    "user_type": 2,
                    "module": "学生管理",
                    "name": r.choice(("更新学生", "导出学生 Excel", "获得学生分页")),
                    "type": r.choice((1, 3, 4)),
                    "content": "",
                    "exts": "{}",
                    "request_method": "PUT",
                    "request_url": "/admin-api/stucms/student/update",
                    "user_ip": ip,
                    "user_agent": ua[:200],
                    "java_method": "CommonResult updateStudent(StudentUpdateReqVO)",
                    "java_method_args": json.dumps({"updateReqVO": args}, ensure_ascii=False),
                    "start_time": when,
                    "duration": r.randrange(5, 300),
                    "result_code": 0,
                    "result_msg": "",
                    "result_data": "true",
                    "creator": str(user_id),
                    "create_time": when,
                    "updater": None,
                    "update_time": when,
                    "deleted": 0,
                    "tenant_id": 1,
                },
                subject=p,
            )
            op_id += 1
        if r.random() < 0.25:
            rows.add(
                "infra_api_access_log",
                {
                    "id": api_id,
                    "trace_id": synth.token(24),
                    "user_id": user_id,
                    "user_type": 2,
                    "application_name": "yudao-server",
                    "request_method": "GET",
                    "request_url": "/admin-api/stucms/score-personal/get",
                    "request_params": json.dumps({"query": {"studentUid": username}, "body": None}, ensure_ascii=False),
                    "user_ip": ip,
                    "user_agent": ua,
                    "begin_time": when,
                    "end_time": when + dt.timedelta(milliseconds=80),
                    "duration": 80,
                    "result_code": 0,
                    "result_msg": "",
                    "creator": str(user_id),
                    "create_time": when,
                    "updater": None,
                    "update_time": when,
                    "deleted": 0,
                    "tenant_id": 1,
                },
                subject=p,
            )
            api_id += 1
        if r.random() < 0.2:
            rows.add(
                "system_user_session",
                {
                    "id": user_id,
                    "token": synth.token(32),
                    "user_id": user_id,
                    "user_type": 2,
                    "session_timeout": now + dt.timedelta(minutes=30),
                    "username": username,
                    "user_ip": ip,
                    "user_agent": ua,
                    "creator": str(user_id),
                    "create_time": when,
                    "updater": None,
                    "update_time": when,
                    "deleted": 0,
                    "tenant_id": 1,
                },
                subject=p,
            )
    rows.add(
        "system_oauth2_client",
        {
            "id": 1,
            "client_id": "default",
            "secret": "admin123",
            "name": "芋道源码",
            "logo": "",
            "description": "我是描述",
            "status": 0,
            "access_token_validity_seconds": 1800,
            "refresh_token_validity_seconds": 43200,
            "redirect_uris": '["https://www.iocoder.cn"]',
            "authorized_grant_types": '["password","authorization_code","refresh_token"]',
            "scopes": '["user.read"]',
            "auto_approve_scopes": "[]",
            "authorities": "[]",
            "resource_ids": "[]",
            "additional_information": "{}",
            "creator": "1",
            "create_time": opened,
            "updater": "1",
            "update_time": opened,
            "deleted": 0,
        },
    )


def _leave(
    synth: Synth,
    rows: Rows,
    pupils: list[tuple[int, int, Person, int]],
    teachers: list[tuple[int, Person, int]],
    start: int,
    now: dt.datetime,
) -> None:
    """A handful of pupils' OA-leave requests through Flowable, approved by a teacher."""
    r = synth.rng
    definition = "oa_leave:1:4"
    rows.add(
        "act_re_deployment",
        {"ID_": "1", "NAME_": "OA 请假", "DEPLOY_TIME_": dt.datetime(start, 8, 25, 10), "ENGINE_VERSION_": None},
    )
    rows.add(
        "act_re_procdef",
        {
            "ID_": definition,
            "REV_": 1,
            "CATEGORY_": "1",
            "NAME_": "OA 请假",
            "KEY_": "oa_leave",
            "VERSION_": 1,
            "DEPLOYMENT_ID_": "1",
            "RESOURCE_NAME_": "oa_leave.bpmn",
            "HAS_START_FORM_KEY_": 0,
            "HAS_GRAPHICAL_NOTATION_": 1,
            "SUSPENSION_STATE_": 1,
            "TENANT_ID_": "",
        },
    )
    for n, (_psid, _cid, p, user_id) in enumerate(r.sample(pupils, 6), start=1):
        begin = synth.datetime_between(dt.datetime(start, 9, 10), now - dt.timedelta(days=2))
        days = r.randrange(1, 4)
        reason = r.choice(_LEAVE_REASONS)
        pi, task = synth.uuid(), synth.uuid()
        teacher = r.choice(teachers)
        done = begin + dt.timedelta(hours=r.randrange(1, 20))
        rows.add(
            "bpm_oa_leave",
            {
                "id": n,
                "user_id": user_id,
                "type": r.choice((1, 2, 3)),
                "reason": reason,
                "start_time": begin.replace(hour=8, minute=0, second=0),
                "end_time": (begin + dt.timedelta(days=days)).replace(hour=17, minute=0, second=0),
                "day": days,
                "result": 2,
                "process_instance_id": pi,
                "creator": str(user_id),
                "create_time": begin,
                "updater": str(user_id),
                "update_time": done,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=p,
        )
        rows.add(
            "act_hi_procinst",
            {
                "ID_": pi,
                "REV_": 2,
                "PROC_INST_ID_": pi,
                "BUSINESS_KEY_": str(n),
                "PROC_DEF_ID_": definition,
                "START_TIME_": begin,
                "END_TIME_": done,
                "DURATION_": int((done - begin).total_seconds() * 1000),
                "START_USER_ID_": str(user_id),
                "START_ACT_ID_": "startEvent1",
                "END_ACT_ID_": "endEvent1",
                "TENANT_ID_": "",
                "NAME_": "OA 请假",
            },
            subject=p,
        )
        rows.add(
            "bpm_process_instance_ext",
            {
                "id": n,
                "start_user_id": user_id,
                "name": "OA 请假",
                "process_instance_id": pi,
                "process_definition_id": definition,
                "category": "1",
                "status": 2,
                "result": 2,
                "end_time": done,
                "form_variables": json.dumps({"day": days, "reason": reason}, ensure_ascii=False),
                "creator": str(user_id),
                "create_time": begin,
                "updater": None,
                "update_time": done,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=p,
        )
        rows.add(
            "act_hi_taskinst",
            {
                "ID_": task,
                "REV_": 2,
                "PROC_DEF_ID_": definition,
                "TASK_DEF_KEY_": "deptLeader",
                "PROC_INST_ID_": pi,
                "NAME_": "班主任审批",
                "ASSIGNEE_": str(teacher[2]),
                "START_TIME_": begin,
                "END_TIME_": done,
                "PRIORITY_": 50,
                "TENANT_ID_": "",
            },
            subject=teacher[1],
        )
        rows.add(
            "bpm_task_ext",
            {
                "id": n,
                "assignee_user_id": teacher[2],
                "name": "班主任审批",
                "task_def_key": "deptLeader",
                "task_id": task,
                "result": 2,
                "reason": r.choice(("同意", "同意，注意身体", "同意，返校后补交作业")),
                "end_time": done,
                "process_instance_id": pi,
                "process_definition_id": definition,
                "creator": str(teacher[2]),
                "create_time": begin,
                "updater": None,
                "update_time": done,
                "deleted": 0,
                "tenant_id": 1,
            },
            subject=teacher[1],
        )
        rows.add(
            "act_hi_comment",
            {
                "ID_": synth.uuid(),
                "TYPE_": "comment",
                "TIME_": done,
                "USER_ID_": str(teacher[2]),
                "TASK_ID_": task,
                "PROC_INST_ID_": pi,
                "ACTION_": "AddComment",
                "MESSAGE_": "同意",
            },
            subject=teacher[1],
        )
        for var, value in (("day", str(days)), ("reason", reason)):
            rows.add(
                "act_hi_varinst",
                {
                    "ID_": synth.uuid(),
                    "REV_": 0,
                    "PROC_INST_ID_": pi,
                    "EXECUTION_ID_": pi,
                    "NAME_": var,
                    "VAR_TYPE_": "string",
                    "TEXT_": value,
                    "CREATE_TIME_": begin,
                    "LAST_UPDATED_TIME_": begin,
                },
                subject=p,
            )
