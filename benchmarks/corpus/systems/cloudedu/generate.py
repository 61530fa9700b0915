"""Rows for 云托管 (CloudEdu): the RuoYi back office of three after-school care stores a term after install.

``sys_user`` holds every account: the RuoYi seed accounts (``admin``, ``ry``), store staff and tutors (with
ID number, education and certificate images), and parents who logged in through WeChat (open id, phone,
nick name). Pupils (6-12) are ``yun_student`` rows tied to their parent's account, with homework mistakes,
leave and height/weight records. RuoYi's logs are full of people: login records with IPs and places, and
operation logs whose request parameters carry the pupils' names and schools. Mess: the seed accounts'
well-known phone and mail, bcrypt and plaintext-looking passwords, full-width phones, trailing blanks,
``内网IP`` places, WeChat nick names with emoji.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from benchmarks.corpus.synth import Person, Rows, Synth

_GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
_SCHOOLS = ("武侯实验小学", "棕北小学", "龙江路小学", "西川中学附属小学")
_PLACES = ("内网IP", "四川省 成都市", "四川省 绵阳市", "重庆市 重庆市", "XX XX")
_BROWSERS = (("Chrome 8", "Windows 10"), ("Mobile Safari", "Mac OS X (iPhone)"), ("WeChat", "Android 1.x"))


def _pupil(synth: Synth, age: int) -> Person:
    base = synth.person("child")
    anchor = dt.date(synth.as_of.year - age, synth.as_of.month, min(synth.as_of.day, 28))
    dob = anchor - dt.timedelta(days=synth.rng.randrange(1, 365))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    now = dt.datetime.combine(synth.as_of, dt.time(17))
    t0 = now - dt.timedelta(days=120)

    def audit(row: dict[str, object], by: str = "admin", when: dt.datetime = t0) -> dict[str, object]:
        row.setdefault("create_by", by)
        row.setdefault("create_time", when)
        return row

    # RuoYi base configuration.
    depts = (
        (100, 0, "0", "云托管"),
        (101, 100, "0,100", "成都总店"),
        (102, 100, "0,100", "绵阳分店"),
        (103, 101, "0,100,101", "教学部"),
        (104, 101, "0,100,101", "财务部"),
    )
    for dept_id, parent, anc, name in depts:
        boss = synth.person("staff")
        rows.add(
            "sys_dept",
            audit(
                {
                    "dept_id": dept_id,
                    "parent_id": parent,
                    "ancestors": anc,
                    "dept_name": name,
                    "order_num": dept_id % 100,
                    "leader": boss.name_zh,
                    "phone": synth.mobile(),
                    "email": "yunedu@qq.com",
                    "status": "0",
                    "del_flag": "0",
                }
            ),
            subject=boss,
        )
    for pid, code, name in (
        (1, "ceo", "董事长"),
        (2, "se", "项目经理"),
        (3, "hr", "人力资源"),
        (4, "user", "普通员工"),
    ):
        rows.add(
            "sys_post", audit({"post_id": pid, "post_code": code, "post_name": name, "post_sort": pid, "status": "0"})
        )
    for rid, name, key in (
        (1, "管理员", "admin"),
        (2, "普通角色", "common"),
        (3, "家长", "parent"),
        (4, "老师", "teacher"),
    ):
        rows.add(
            "sys_role",
            audit(
                {
                    "role_id": rid,
                    "role_name": name,
                    "role_key": key,
                    "role_sort": rid,
                    "data_scope": "1",
                    "status": "0",
                    "del_flag": "0",
                }
            ),
        )
    menus = (
        (1, "系统管理", 0),
        (2, "系统监控", 0),
        (3, "系统工具", 0),
        (4, "基础数据", 0),
        (100, "用户管理", 1),
        (101, "角色管理", 1),
        (102, "菜单管理", 1),
        (500, "操作日志", 2),
        (501, "登录日志", 2),
        (2000, "年级基础数据", 4),
        (2001, "课程基本数据", 4),
        (2002, "门店管理", 4),
        (2003, "学生管理", 4),
    )
    for mid, name, parent in menus:
        rows.add(
            "sys_menu",
            audit(
                {
                    "menu_id": mid,
                    "menu_name": name,
                    "parent_id": parent,
                    "order_num": 1,
                    "path": f"m{mid}",
                    "component": None,
                    "is_frame": 1,
                    "menu_type": "M" if parent == 0 else "C",
                    "visible": "0",
                    "perms": None,
                    "icon": "#",
                }
            ),
        )
        rows.add("sys_role_menu", {"role_id": 2, "menu_id": mid})
    rows.add("sys_role_dept", {"role_id": 2, "dept_id": 101})
    for did, (dtype, name) in enumerate(
        (
            ("sys_user_sex", "用户性别"),
            ("sys_normal_disable", "系统开关"),
            ("store_type", "门店类型"),
            ("course_type", "课程类型"),
        ),
        start=1,
    ):
        rows.add("sys_dict_type", audit({"dict_id": did, "dict_name": name, "dict_type": dtype, "status": "0"}))
    code = 1
    for dtype, labels in (
        ("sys_user_sex", ("男", "女", "未知")),
        ("sys_normal_disable", ("正常", "停用")),
        ("store_type", ("托管班", "培训机构", "早教机构", "家教", "幼儿园")),
        ("course_type", ("校内课程", "校外课程")),
    ):
        for k, label in enumerate(labels):
            rows.add(
                "sys_dict_data",
                audit(
                    {
                        "dict_code": code,
                        "dict_sort": k,
                        "dict_label": label,
                        "dict_value": str(k),
                        "dict_type": dtype,
                        "is_default": "Y" if k == 0 else "N",
                        "status": "0",
                    }
                ),
            )
            code += 1
    for cid, (name, key, value) in enumerate(
        (
            ("主框架页-默认皮肤样式名称", "sys.index.skinName", "skin-blue"),
            ("用户管理-账号初始密码", "sys.user.initPassword", "123456"),
        ),
        start=1,
    ):
        rows.add(
            "sys_config",
            audit(
                {"config_id": cid, "config_name": name, "config_key": key, "config_value": value, "config_type": "Y"}
            ),
        )
    for jid, name in ((1, "系统默认（无参）"), (2, "系统默认（有参）")):
        rows.add(
            "sys_job",
            audit(
                {
                    "job_id": jid,
                    "job_name": name,
                    "job_group": "DEFAULT",
                    "invoke_target": "ryTask.ryNoParams",
                    "cron_expression": "0/10 * * * * ?",
                    "misfire_policy": "3",
                    "concurrent": "1",
                    "status": "1",
                }
            ),
        )
    rows.add(
        "sys_notice",
        audit(
            {
                "notice_id": 1,
                "notice_title": "寒假托管班报名通知",
                "notice_type": "1",
                "notice_content": "<p>寒假托管班开始报名。</p>",
                "status": "0",
            }
        ),
    )
    for gid, name in enumerate(_GRADES, start=1):
        rows.add("sys_grade", audit({"id": gid, "name": name, "remark": None}))
    for cid, (name, typ) in enumerate((("语文", "0"), ("数学", "0"), ("钢琴课", "1")), start=2):
        rows.add("sys_course", audit({"id": cid, "name": name, "remark": name + "课", "type": typ, "del_flag": "0"}))
    for tid, (name, comment) in enumerate(
        (
            ("sys_grade", "年级基础表"),
            ("sys_course", "课程基本数据"),
            ("yun_store", "门店表"),
            ("yun_student", "学生表"),
        ),
        start=1,
    ):
        rows.add(
            "gen_table",
            audit(
                {
                    "table_id": tid,
                    "table_name": name,
                    "table_comment": comment,
                    "class_name": "".join(w.title() for w in name.split("_")),
                    "tpl_category": "crud",
                    "package_name": "com.myedu.project.dataBasic",
                    "module_name": "dataBasic",
                    "business_name": name.split("_")[1],
                    "function_name": comment,
                    "function_author": "myedu",
                    "options": "{}",
                }
            ),
        )
        for k, col in enumerate(("id", "name", "create_by", "create_time"), start=1):
            rows.add(
                "gen_table_column",
                audit(
                    {
                        "column_id": tid * 10 + k,
                        "table_id": str(tid),
                        "column_name": col,
                        "column_comment": col,
                        "column_type": "varchar(64)",
                        "java_type": "String",
                        "java_field": col,
                        "is_pk": "1" if k == 1 else "0",
                        "sort": k,
                    }
                ),
            )

    # Accounts.
    users: list[tuple[int, str, Person | None]] = []
    seed = synth.test_account()
    rows.add(
        "sys_user",
        audit(
            {
                "user_id": 1,
                "dept_id": 103,
                "user_name": "admin",
                "nick_name": "若依",
                "user_type": "00",
                "email": "ry@163.com",
                "phonenumber": "15888888888",
                "sex": "1",
                "avatar": "",
                "password": synth.bcrypt(),
                "status": "0",
                "del_flag": "0",
                "login_ip": "127.0.0.1",
                "login_date": now,
                "remark": "管理员",
            }
        ),
        subject=seed,
    )
    rows.add(
        "sys_user",
        audit(
            {
                "user_id": 2,
                "dept_id": 104,
                "user_name": "ry",
                "nick_name": "若依",
                "user_type": "00",
                "email": "ry@qq.com",
                "phonenumber": "15666666666",
                "sex": "1",
                "avatar": "",
                "password": synth.bcrypt(),
                "status": "0",
                "del_flag": "0",
                "login_ip": "127.0.0.1",
                "remark": "测试员",
            }
        ),
        subject=seed,
    )
    users += [(1, "admin", None), (2, "ry", None)]
    rows.add("sys_user_role", {"user_id": 1, "role_id": 1})
    rows.add("sys_user_post", {"user_id": 1, "post_id": 1})
    uid = 3
    stores = []
    for sid, (name, city) in enumerate(
        (("乐学托管武侯店", "武侯区"), ("乐学托管高新店", "高新区"), ("阳光家教中心", "涪城区")), start=1
    ):
        manager = synth.person("staff")
        lat, lon = synth.coordinates()
        rows.add(
            "yun_store",
            audit(
                {
                    "id": sid,
                    "name": name,
                    "logo": f"/profile/store/{sid}/logo.png",
                    "manager": manager.name_zh,
                    "manager_phone": manager.mobile,
                    "photos": None,
                    "video": None,
                    "license": f"/profile/store/{sid}/license.jpg",
                    "address": f"成都市{city}某某路{sid * 11}号",
                    "address_map": json.dumps({"lng": lon, "lat": lat}),
                    "type": "1" if sid < 3 else "4",
                    "del_flag": "0",
                }
            ),
            subject=manager,
        )
        stores.append(sid)
    for _ in range(8):
        t = synth.person("staff")
        name = f"t{t.mobile[-6:]}"
        rows.add(
            "sys_user",
            audit(
                {
                    "user_id": uid,
                    "dept_id": 103,
                    "user_name": name,
                    "nick_name": t.name_zh,
                    "user_type": "01",
                    "email": synth.maybe(t.email, 0.5),
                    "phonenumber": t.mobile,
                    "sex": "0" if t.sex == "M" else "1",
                    "avatar": synth.maybe(synth.photo_path("avatar"), 0.5),
                    "password": synth.bcrypt(),
                    "status": "0",
                    "del_flag": "0",
                    "login_ip": synth.ip4(),
                    "login_date": now,
                    "remark": None,
                    "address": synth.maybe(t.address_zh, 0.5),
                    "open_id": None,
                    "id_card": t.ric if r.random() > 0.1 else synth.excel_id(t.ric),
                    "education": r.choice(("本科", "硕士", "大专")),
                    "certificate": f"/profile/cert/{synth.uuid()}.jpg",
                }
            ),
            subject=t,
            dated=True,
        )
        rows.add("sys_user_role", {"user_id": uid, "role_id": 4})
        users.append((uid, name, t))
        uid += 1
    parents: list[tuple[int, str, Person]] = []
    for _ in range(36):
        p = synth.person("parent")
        name = p.openid[:12]
        phone = p.mobile if r.random() > 0.05 else synth.fullwidth(p.mobile)
        rows.add(
            "sys_user",
            audit(
                {
                    "user_id": uid,
                    "dept_id": None,
                    "user_name": name,
                    "nick_name": r.choice((p.given_zh + "妈妈", "微信用户", "🌻" + p.surname_zh, p.name_zh)),
                    "user_type": "02",
                    "email": None,
                    "phonenumber": phone,
                    "sex": "2",
                    "avatar": synth.maybe(synth.photo_url("wx"), 0.3),
                    "password": synth.bcrypt(),
                    "status": "0",
                    "del_flag": "0",
                    "login_ip": synth.ip4(),
                    "login_date": now - dt.timedelta(days=r.randrange(30)),
                    "remark": None,
                    "address": None,
                    "open_id": p.openid,
                    "id_card": None,
                    "education": None,
                    "certificate": None,
                },
                by="",
                when=t0 + dt.timedelta(days=r.randrange(30)),
            ),
            subject=p,
        )
        rows.add("sys_user_role", {"user_id": uid, "role_id": 3})
        parents.append((uid, name, p))
        users.append((uid, name, p))
        uid += 1

    # Pupils and their records.
    staff_names = [n for _u, n, p in users if p is not None and p.kind == "staff"]
    sid_ = hw = lv = mk = 1
    pupils: list[tuple[int, Person, int, str]] = []  # (yun_student.id, child, parent user id, parent user name)
    for puid, pname, _p in parents:
        for _k in range(1 if r.random() < 0.8 else 2):
            age = r.randrange(6, 13)
            kid = _pupil(synth, age)
            grade = min(6, max(1, age - 5))
            by = r.choice(staff_names)
            rows.add(
                "yun_student",
                audit(
                    {
                        "id": sid_,
                        "name": kid.name_zh if r.random() > 0.04 else synth.trailing(kid.name_zh),
                        "gendel": "1" if kid.sex == "M" else "2",
                        "avatar": synth.maybe(synth.photo_path("student"), 0.6),
                        "school": r.choice(_SCHOOLS),
                        "grade_id": grade,
                        "parent_id": puid,
                        "create_by_id": puid,
                        "del_flag": "0",
                    },
                    by=pname,
                ),
                subject=kid,
            )
            if r.random() < 0.5:
                rows.add(
                    "yun_stu_hw",
                    audit(
                        {
                            "id": hw,
                            "height": round(110 + 6 * (age - 6) + r.uniform(-6, 6), 2),
                            "weight": round(20 + 3.2 * (age - 6) + r.uniform(-3, 8), 2),
                            "student_id": sid_,
                            "remark": None,
                            "del_flag": "0",
                        },
                        by=by,
                    ),
                    subject=kid,
                )
                hw += 1
            if r.random() < 0.25:
                day = synth.date_between(t0.date(), synth.as_of)
                rows.add(
                    "yun_stu_leave",
                    audit(
                        {
                            "id": lv,
                            "reason": r.choice(("感冒发烧", "家里有事", "去医院复查牙齿")),
                            "start_time": day,
                            "end_time": day + dt.timedelta(days=r.randrange(0, 3)),
                            "student_id": sid_,
                            "remark": None,
                            "del_flag": "0",
                        },
                        by=pname,
                    ),
                    subject=kid,
                )
                lv += 1
            for _m in range(r.choice((0, 0, 1, 2))):
                rows.add(
                    "yun_stu_mistake",
                    audit(
                        {
                            "id": mk,
                            "source": r.choice(("数学练习册P23", "语文单元测试", "口算题卡")),
                            "type": r.choice(("计算错误", "审题不清", "概念不清")),
                            "reason": synth.maybe("粗心，进位没加", 0.5),
                            "images": synth.photo_url("mistake"),
                            "solutions": synth.maybe("多练竖式", 0.5),
                            "student_id": sid_,
                            "del_flag": "0",
                        },
                        by=by,
                    ),
                    subject=kid,
                )
                mk += 1
            if r.random() < 0.3:
                rows.add(
                    "sys_oper_log",
                    {
                        "oper_id": sid_,
                        "title": "学生管理",
                        "business_type": 1,
                        "method": "com.myedu.project.parents.controller.YunStudentController.add()",
                        "request_method": "POST",
                        "operator_type": 1,
                        "oper_name": pname,
                        "dept_name": None,
                        "oper_url": "/parents/student",
                        "oper_ip": synth.ip4(),
                        "oper_location": r.choice(_PLACES),
                        "oper_param": json.dumps(
                            {
                                "name": kid.name_zh,
                                "gendel": "1" if kid.sex == "M" else "2",
                                "school": r.choice(_SCHOOLS),
                                "gradeId": grade,
                                "params": {},
                            },
                            ensure_ascii=False,
                        ),
                        "json_result": json.dumps({"msg": "操作成功", "code": 200}, ensure_ascii=False),
                        "status": 0,
                        "error_msg": None,
                        "oper_time": t0 + dt.timedelta(days=r.randrange(100)),
                    },
                    subject=kid,
                )
            pupils.append((sid_, kid, puid, pname))
            sid_ += 1
    for i in range(1, 61):
        _uid, name, p = r.choice(users)
        browser, os_name = r.choice(_BROWSERS)
        rows.add(
            "sys_logininfor",
            {
                "info_id": i,
                "user_name": name,
                "ipaddr": "127.0.0.1" if name == "admin" else synth.ip4(),
                "login_location": r.choice(_PLACES),
                "browser": browser,
                "os": os_name,
                "status": "0" if r.random() > 0.1 else "1",
                "msg": "登录成功" if r.random() > 0.1 else "用户不存在/密码错误",
                "login_time": t0 + dt.timedelta(hours=r.randrange(2800)),
            },
            subject=p,
        )
    for i in range(1, 4):
        rows.add(
            "sys_job_log",
            {
                "job_log_id": i,
                "job_name": "系统默认（无参）",
                "job_group": "DEFAULT",
                "invoke_target": "ryTask.ryNoParams",
                "job_message": "执行时间：3毫秒",
                "status": "0",
                "exception_info": "",
                "create_time": t0 + dt.timedelta(minutes=i),
            },
        )
    for i in range(1, 15):
        a, b = r.sample(users, 2)
        rows.add(
            "user_like",
            {
                "id": i,
                "liked_user_id": str(a[0]),
                "liked_post_id": str(b[0]),
                "status": 1,
                "create_time": t0 + dt.timedelta(days=i),
                "update_time": t0 + dt.timedelta(days=i),
            },
        )
    tutors = [(u, n, p) for u, n, p in users if p is not None and p.kind == "staff"]
    _business(synth, rows, stores, tutors, parents, pupils, t0, now)
    return rows


def _business(
    synth: Synth,
    rows: Rows,
    stores: list[int],
    tutors: list[tuple[int, str, Person]],
    parents: list[tuple[int, str, Person]],
    pupils: list[tuple[int, Person, int, str]],
    t0: dt.datetime,
    now: dt.datetime,
) -> None:
    """The tables added after the dump: courses, classes, orders, sign-ins, homework, scores, wallets, posts."""
    r = synth.rng

    def audit(row: dict[str, object], by: str = "admin", when: dt.datetime = t0) -> dict[str, object]:
        row.setdefault("create_by", by)
        row.setdefault("create_time", when)
        return row

    for tid, name in enumerate(("托管班", "培训机构", "早教机构", "家教", "幼儿园"), start=1):
        rows.add("sys_store_type", audit({"id": tid, "name": name, "type": str(tid)}))
    for lid, (name, color) in enumerate((("午托", "#f56c6c"), ("晚托", "#409eff"), ("作业辅导", "#67c23a")), start=1):
        rows.add(
            "sys_label", audit({"id": lid, "name": name, "type": "0", "color": color, "isused": "0", "del_flag": "0"})
        )
    for sid in stores:
        rows.add("yun_store_type", {"store_id": sid, "type_id": 1 if sid < 3 else 4})
        rows.add("yun_store_label", {"store_id": sid, "label_id": 1 + sid % 3})
        rows.add(
            "yun_store_hits", {"id": sid, "store_id": sid, "hits": r.randrange(50, 900), "hit_time": f"{now:%Y-%m-%d}"}
        )
    courses = []
    for cid, (name, cost) in enumerate(
        (("午托（含午餐）", 780.0), ("晚托作业辅导", 1200.0), ("一对一数学辅导", 150.0)), start=1
    ):
        rows.add(
            "yun_course",
            audit(
                {
                    "id": cid,
                    "name": name,
                    "classify": "0" if cid < 3 else "1",
                    "reclassify_coll": str(cid - 1),
                    "is_one_to_one": "0" if cid == 3 else "1",
                    "stu_count": 30,
                    "grade_id": "1,2,3,4,5,6",
                    "c_starttime": t0,
                    "c_endtime": now + dt.timedelta(days=60),
                    "course_cost": cost,
                    "meals": 15.0 if cid == 1 else 0.0,
                    "introduce": name,
                    "picture": f"/profile/course/{cid}.jpg",
                    "class_time": "12:00-14:00" if cid == 1 else "16:30-19:00",
                    "class_hour": 2.0,
                    "class_all": 60,
                    "total_cost": cost,
                    "week": "1,2,3,4,5",
                    "content": name,
                    "status": "0",
                    "del_flag": "0",
                    "create_by_id": 1,
                    "region": "武侯区",
                }
            ),
        )
        courses.append((cid, cost))
    classes = []
    for k, sid in enumerate(stores[:2], start=1):
        head, assistant = r.sample(tutors, 2)
        rows.add(
            "yun_store_class",
            audit(
                {
                    "id": k,
                    "name": f"{k}班",
                    "class_logo": None,
                    "bishop_teacher": head[2].name_zh,
                    "assistant_teacher": assistant[2].name_zh,
                    "del_flag": "0",
                    "store_id": sid,
                    "create_by_id": 1,
                    "update_by_id": None,
                }
            ),
        )
        classes.append((k, sid))
    for tuid, _tname, t in tutors[:4]:
        lat, lon = synth.coordinates()
        rows.add(
            "yun_user_info",
            audit(
                {
                    "id": tuid,
                    "user_id": tuid,
                    "course_id": "2,3",
                    "awards": synth.maybe("区优秀教师", 0.5),
                    "education": r.choice(("本科", "硕士")),
                    "experience": "五年小学数学教学经验",
                    "trait": "耐心细致",
                    "photos": synth.photo_url("tutor"),
                    "minfee": float(r.choice((100, 150, 200))),
                    "province": "四川省",
                    "city": "成都市",
                    "area": "武侯区",
                    "address": synth.maybe(t.address_zh, 0.5),
                    "map_x": lon,
                    "map_y": lat,
                    "video": None,
                    "school": "四川师范大学",
                    "is_graduate": "0",
                    "credentials": f"/profile/cert/{synth.uuid()}.jpg",
                    "identity_card": t.ric if r.random() > 0.2 else t.ric15,
                    "del_flag": "0",
                }
            ),
            subject=t,
            dated=True,
        )
    order = sign = work = score = change = 1
    for stu_id, kid, puid, pname in pupils:
        cid, cost = r.choice(courses[:2])
        store = r.choice(stores[:2])
        klass = next(k for k, s in classes if s == store)
        rows.add(
            "yun_store_stu",
            audit(
                {
                    "id": stu_id,
                    "store_id": store,
                    "stu_id": stu_id,
                    "status": "1",
                    "signin_type": "0",
                    "clbum": klass,
                    "del_flag": "0",
                    "create_by_id": puid,
                    "sigin": r.randrange(0, 40),
                    "sigout": r.randrange(0, 40),
                },
                by=pname,
            ),
            subject=kid,
        )
        rows.add("yun_store_class_stu", {"store_id": store, "class_id": klass, "stu_id": stu_id}, subject=kid)
        if r.random() < 0.6:
            cert = kid.ric if r.random() > 0.1 else synth.excel_id(kid.ric)
            paid = r.random() < 0.85
            rows.add(
                "yun_order",
                audit(
                    {
                        "id": order,
                        "num": f"YT{now:%Y%m%d}{order:05d}",
                        "student_id": stu_id,
                        "store_id": store,
                        "course_id": cid,
                        "gread_id": min(6, max(1, synth.age(kid) - 5)),
                        "manag_time": "周一至周五",
                        "is_meal": "1" if cid == 1 else "0",
                        "enrol_time": t0 + dt.timedelta(days=r.randrange(10)),
                        "certificate_type": "身份证",
                        "student_name": kid.name_zh,
                        "certificate_num": cert,
                        "total_money": synth.money(cost, cost),
                        "status": "1" if paid else "0",
                        "pay_way": r.choice(("微信", "支付宝")),
                        "del_flag": "0",
                        "verify_code": f"{r.randrange(10**8):08d}",
                        "create_by_id": puid,
                        "refund_reason": None,
                        "trade_no": f"4200{r.randrange(10**24):024d}" if paid else None,
                        "remark": synth.maybe("孩子对花生过敏，午餐请注意", 0.9),
                        "order_type": "0",
                        "teacher_id": None,
                    },
                    by=pname,
                ),
                subject=kid,
                dated=True,
            )
            order += 1
        for d in range(r.randrange(0, 4)):
            day = now - dt.timedelta(days=d + 1)
            rows.add(
                "yun_store_signin",
                audit(
                    {
                        "id": sign,
                        "stu_id": stu_id,
                        "store_id": store,
                        "name_title": f"{day:%m月%d日}点名",
                        "signin_type": r.choice(("0", "1")),
                        "del_flag": "0",
                        "create_by_id": 1,
                    },
                    when=day,
                ),
                subject=kid,
            )
            sign += 1
        if r.random() < 0.4:
            rows.add(
                "yun_stu_hwork",
                audit(
                    {
                        "id": work,
                        "student_id": stu_id,
                        "hwork_type": r.choice(("语文", "数学", "英语")),
                        "hwork_name": "课堂练习",
                        "hwork_status": r.choice(("0", "1")),
                        "hwork_time": now - dt.timedelta(days=r.randrange(10)),
                        "hwork_content": "完成练习册第12页",
                        "hwork_image": synth.maybe(synth.photo_url("hwork"), 0.4),
                        "del_flag": "0",
                        "create_by_id": puid,
                    },
                    by=pname,
                ),
                subject=kid,
            )
            work += 1
        if r.random() < 0.3:
            rows.add(
                "yun_stu_score",
                audit(
                    {
                        "score_id": score,
                        "mark": float(r.randrange(60, 101)),
                        "examtname": "期中考试",
                        "remark": None,
                        "examimage": synth.maybe(synth.photo_url("exam"), 0.5),
                        "student_id": stu_id,
                        "course_id": r.choice((2, 3)),
                        "create_by_id": puid,
                        "del_flag": "0",
                        "examtime": t0 + dt.timedelta(days=40),
                    },
                    by=pname,
                ),
                subject=kid,
            )
            score += 1
    for puid, pname, p in parents:
        balance = synth.money(0, 2000)
        rows.add(
            "yun_account",
            audit(
                {
                    "id": puid,
                    "total_amount": balance,
                    "case_amount": balance,
                    "uncase_amount": 0,
                    "freeze_case_amount": 0,
                    "freeze_uncase_amount": 0,
                    "status": "0",
                    "remark": None,
                    "del_flag": "0",
                    "create_by_id": puid,
                },
                by=pname,
            ),
            subject=p,
        )
        if r.random() < 0.5:
            rows.add(
                "yun_account_change",
                audit(
                    {
                        "id": change,
                        "user_id": puid,
                        "change_type": "1",
                        "pre_amount": 0,
                        "cash_amount": balance,
                        "uncash_amount": 0,
                        "ref_id": None,
                        "del_flag": "0",
                        "create_by_id": puid,
                    },
                    by=pname,
                ),
                subject=p,
            )
            change += 1
    for k, (puid, pname, p) in enumerate(r.sample(parents, 5), start=1):
        rows.add(
            "yun_dynamic",
            audit(
                {
                    "id": k,
                    "content": r.choice(("今天孩子在托管班学会了自己整理书包！", "周末带娃去爬山")),
                    "picture": synth.maybe(synth.photo_url("dynamic"), 0.3),
                    "type": "0",
                    "likes": r.randrange(10),
                    "comments": 1,
                    "create_by_id": puid,
                    "del_flag": "0",
                    "user_image": synth.maybe(synth.photo_url("wx"), 0.5),
                    "user_address": "四川省成都市",
                },
                by=pname,
            ),
            subject=p,
        )
        other = r.choice(parents)
        rows.add(
            "yun_dy_comment",
            audit({"id": k, "dy_id": k, "content": "真棒！", "create_by_id": other[0], "del_flag": "0"}, by=other[1]),
            subject=other[2],
        )
        rows.add(
            "yun_dy_likes",
            audit({"id": k, "dy_id": k, "status": "1", "create_by_id": other[0], "del_flag": "0"}, by=other[1]),
            subject=other[2],
        )
    puid, pname, p = r.choice(parents)
    rows.add(
        "yun_complaint",
        audit(
            {
                "id": 1,
                "complaint": "乐学托管武侯店",
                "reason": "接孩子时老师不在，孩子一个人在门口等",
                "evident_img": None,
                "reply_by": "admin",
                "reply_time": now - dt.timedelta(days=2),
                "status": "1",
                "reply_content": "已核实并整改，向您致歉",
                "del_flag": "0",
                "create_by_id": puid,
            },
            by=pname,
        ),
        subject=p,
    )
    rows.add(
        "yun_banner",
        audit(
            {
                "id": 1,
                "title": "寒假托管报名",
                "url": "/pages/course",
                "myvue": None,
                "uniapp": "/pages/course/index",
                "photo": "/profile/banner/1.jpg",
                "sort": 1,
                "isshow": "1",
                "del_flag": "0",
                "create_by_id": 1,
            }
        ),
    )
