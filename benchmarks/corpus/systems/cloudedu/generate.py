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
    return rows
