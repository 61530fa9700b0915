"""Rows for 智慧幼儿园: one kindergarten a month into the term on the platform.

Children are 3-6 and have their own login (a plaintext password the parent uses); each has a parent
account whose ``parentson`` states the relationship (父子, 母女 ...). Teachers, the health officer, guards
and the rector have their own tables. The electric fence draws the kindergarten's polygon and each child's
default track; children's watches report positions, and leaving the fence writes an alarm. Drop-off and
pick-up times record who brought and collected the child. Mess: plaintext passwords (``123456``), birth
dates typed as text in several formats, coordinates as text, the legal representative's ID number with a
lower-case ``x`` or 15 digits, a test parent account, an ``admin`` whose phone is the well-known test number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_CLASSES = ("小一班", "小二班", "中一班", "中二班", "大一班", "大二班")
_RELATIONS = (("父子", "M", "M"), ("父女", "M", "F"), ("母子", "F", "M"), ("母女", "F", "F"))
_PASSWORDS = ("123456", "111111", "abc123", "888888")
_CENTRE = (30.6586, 104.0647)  # the kindergarten's position; tracks wander around it


def _kid(synth: Synth) -> Person:
    base = synth.person("child")
    cut = dt.date(synth.as_of.year - 3, synth.as_of.month, min(synth.as_of.day, 28))
    dob = cut - dt.timedelta(days=synth.rng.randrange(1, 3 * 365))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _birth_text(synth: Synth, d: dt.date) -> str:
    return synth.rng.choice(
        (d.isoformat(), f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y/%m/%d"), d.strftime("%Y%m%d"))
    )


def _point(synth: Synth, spread: float) -> tuple[str, str]:
    r = synth.rng
    return f"{_CENTRE[1] + r.uniform(-spread, spread):.6f}", f"{_CENTRE[0] + r.uniform(-spread, spread):.6f}"


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    now = dt.datetime.combine(synth.as_of, dt.time(17, 30))
    t0 = now - dt.timedelta(days=35)

    for rid, name in enumerate(("管理员", "园长", "教师", "家长", "保健医生", "保安", "幼儿"), start=1):
        rows.add("tbl_role", {"roleid": rid, "rolename": name})
    for mid, (name, url, parent) in enumerate(
        (
            ("园所管理", None, 0),
            ("幼儿管理", "/director/children", 1),
            ("电子围栏", "/security/fence", 0),
            ("监控管理", "/security/monitor", 0),
            ("安全教育", "/parent/safety", 0),
        ),
        start=1,
    ):
        rows.add("tbl_menu", {"menuid": mid, "menuname": name, "menuurl": url, "menusonid": parent, "sort": mid})
        rows.add("tbl_rolemenu", {"rolemenuid": mid, "rid": 2, "mid": mid})
    rows.add(
        "tbl_admin",
        {
            "adminid": 1,
            "adminname": "admin",
            "adminpwd": "123456",
            "createtime": t0,
            "adminstatus": "启用",
            "adminsex": "男",
            "adminphone": "13800138000",
            "adminheadurl": "image/adminimg/head.jpg",
            "rid": 1,
        },
        subject=synth.test_account(),
    )
    rector = synth.person("staff")
    rows.add(
        "tbl_rector",
        {
            "rectorid": 1,
            "rectorname": rector.name_zh,
            "rectorpwd": r.choice(_PASSWORDS),
            "rectorsex": "男" if rector.sex == "M" else "女",
            "rectorage": synth.age(rector),
            "rectoradd": synth.maybe(rector.address_zh, 0.3),
            "rectorphone": rector.mobile,
            "rectorregtime": t0,
            "rectorstatus": "启用",
            "rid": 2,
        },
        subject=rector,
    )
    lp = synth.person("adult")
    lp_id = lp.ric if r.random() > 0.5 else (lp.ric.lower() if lp.ric.endswith("X") else lp.ric15)
    rows.add(
        "tbl_kinder",
        {
            "kinderid": 1,
            "kindername": "成都市锦江区星星幼儿园",
            "kinderlp": lp.name_zh,
            "kinderlpid": lp_id,
            "kinderlpadd": lp.address_zh,
            "kinderlpphone": lp.mobile,
            "schoolpermit": "upload/permit/school.jpg",
            "healthpermit": "upload/permit/health.jpg",
            "firepermit": "upload/permit/fire.jpg",
            "grouppermit": None,
            "registrationpermit": "upload/permit/reg.jpg",
            "kinderapptime": t0,
            "kinderregtime": t0,
            "kinderstatus": "已审核",
            "kinderacount": "xingxing",
            "kinderpwd": "123456",
            "kindercode": "91510104MA6C" + f"{r.randrange(10**6):06d}",
            "kinderscale": "300",
            "kinderfunds": "500万",
            "recid": 1,
        },
        subject=lp,
        dated=True,
    )
    for cid, name in enumerate(_CLASSES, start=1):
        rows.add("tbl_class", {"classid": cid, "classname": name, "classregtime": t0, "classstatus": "启用", "kid": 1})
        rows.add("tbl_monitorname", {"monitornameid": cid, "monitorname": f"{name}教室"})
        rows.add(
            "tbl_monitor",
            {
                "monitorid": cid,
                "monitorimgurl": f"image/monitor/{cid}.jpg",
                "monitormvurl": f"rtmp://live.example/kg1/{cid}",
                "kid": 1,
                "monid": cid,
            },
        )
        rows.add("tbl_clamon", {"clamonid": cid, "mnid": cid, "cid": cid})
        rows.add(
            "tbl_workrelease",
            {
                "workreleaseid": cid,
                "workreleasedetail": "和爸爸妈妈一起画一幅秋天的画",
                "worklocation": f"workRelease/{name}/{t0:%Y-%m-%d}/hw{cid}.docx",
                "workreleasetime": t0 + dt.timedelta(days=7),
                "cid": cid,
            },
        )
    for k in range(1, 9):
        lng, lat = _point(synth, 0.0008)
        rows.add("tbl_coordinate", {"coordinateid": k, "lng": lng, "lat": lat, "kinderid": 1})
    for i, (start_h, end_h) in enumerate(((7, 8), (11, 12), (15, 16)), start=1):
        rows.add(
            "tbl_meal",
            {
                "mealid": i,
                "mealstarttime": dt.datetime(2020, 1, 1, start_h),
                "mealendtime": dt.datetime(2020, 1, 1, end_h),
                "kid": 1,
            },
        )
        rows.add(
            "tbl_recipe",
            {
                "recipeid": i,
                "recipename": ("早餐", "午餐", "午点")[i - 1],
                "monday": "牛奶 鸡蛋",
                "tuesday": "豆浆 包子",
                "wednesday": "米饭 番茄炒蛋",
                "thursday": "面条",
                "friday": "水果",
                "mid": i,
                "kid": 1,
            },
        )
    monday = synth.as_of - dt.timedelta(days=synth.as_of.weekday())
    rows.add(
        "tbl_date",
        {
            "dateid": 1,
            "monday": dt.datetime.combine(monday, dt.time()),
            "sunday": dt.datetime.combine(monday + dt.timedelta(days=6), dt.time()),
            "kid": 1,
        },
    )
    rows.add(
        "tbl_coursetest",
        {
            "ctid": 1,
            "mondaydate": dt.datetime.combine(monday, dt.time()),
            "sundaydate": dt.datetime.combine(monday + dt.timedelta(days=6), dt.time()),
        },
    )
    for cid in range(1, 7):
        rows.add(
            "tbl_course",
            {
                "courseid": cid,
                "coursenum": 1,
                "coursename1": "早操",
                "coursename2": "绘本",
                "coursename3": "音乐",
                "coursename4": "户外",
                "coursename5": "手工",
                "cid": cid,
                "ctids": 1,
            },
        )
    rows.add(
        "tbl_safetyvideo",
        {
            "safetyvideoid": 1,
            "safetyvideoname": "防溺水安全教育",
            "safetyvideotime": t0,
            "safetyfinishtime": t0 + dt.timedelta(days=14),
            "safetyvideoplace": "video/safety1.mp4",
            "mid": 1,
            "videoname": "safety1.mp4",
            "videoadd": "video/",
        },
    )
    rows.add(
        "tbl_safetyvtq",
        {
            "safetyvtqid": 1,
            "safetyvtqname": "看到小伙伴落水应该怎么做？",
            "a": "A",
            "avalue": "大声呼救找大人",
            "b": "B",
            "bvalue": "自己跳下去救",
            "c": "C",
            "cvalue": "走开",
            "d": "D",
            "dvalue": "拍照",
            "safetyvideoid": 1,
        },
    )
    rows.add(
        "tbl_platforminfo",
        {
            "platforminfoid": 1,
            "platforminfoname": "平台上线公告",
            "platforminfotime": t0,
            "platforminfodetail": "智慧幼儿园平台正式上线",
            "platforminfostatus": "发布",
        },
    )
    rows.add("tbl_infotype", {"infotypeid": 1, "infotypename": "园所新闻", "kid": 1, "infotypetime": t0})
    rows.add(
        "tbl_campusinfo",
        {
            "campusinfoid": 1,
            "campusinfoname": "秋季运动会",
            "campustime": t0 + dt.timedelta(days=10),
            "campusinfodetail": "本周五举行秋季亲子运动会",
            "kid": 1,
        },
    )
    rows.add(
        "tbl_readmag",
        {
            "readmagid": 1,
            "readmagname": "好饿的毛毛虫",
            "readmagurl": "readmag/1.pdf",
            "readmagdetail": "绘本",
            "readmagtime": t0,
            "readmagpage": 24,
            "photourl": "readmag/1.jpg",
        },
    )
    rows.add(
        "tbl_parameter",
        {
            "parameterid": 1,
            "parametername": "电子围栏报警半径",
            "parameterval": "100",
            "parametertype": "米",
            "stid": 0,
            "svid": 0,
        },
    )

    teachers = []
    for tid in range(1, 9):
        t = synth.person("staff")
        teachers.append(tid)
        rows.add(
            "tbl_teacher",
            {
                "teacherid": tid,
                "teachername": t.name_zh,
                "teacherpwd": r.choice(_PASSWORDS),
                "teachersex": "男" if t.sex == "M" else "女",
                "teacherage": synth.age(t),
                "teacheradd": synth.maybe(t.address_zh, 0.5),
                "teacherphone": t.mobile,
                "teacherjob": "班主任" if tid <= 6 else "配班老师",
                "teacherregtime": t0,
                "teacherstatus": "启用",
                "cid": min(tid, 6),
                "rid": 3,
                "kinderid": 1,
            },
            subject=t,
        )
        rows.add(
            "tbl_teachertest",
            {"tattendid": tid, "tattendbegin": "08:00", "tattendover": "17:30", "tid": tid},
            subject=t,
        )
        for d in range(3):
            day = synth.as_of - dt.timedelta(days=d + 1)
            rows.add(
                "tbl_tertime",
                {
                    "tertimeid": tid * 10 + d,
                    "tertime": dt.datetime.combine(day, dt.time(7, 50 + r.randrange(9))),
                    "tertimedate1": day.isoformat(),
                    "noon": "上午",
                    "tertimedate2": None,
                    "taid": tid,
                },
                subject=t,
            )
    for k, (table, key, role) in enumerate(
        (("tbl_healther", "healther", 5), ("tbl_security", "security", 6), ("tbl_security", "security", 6)), start=1
    ):
        p = synth.person("staff")
        rows.add(
            table,
            {
                f"{key}id": k,
                f"{key}name": p.name_zh,
                f"{key}pwd": r.choice(_PASSWORDS),
                f"{key}sex": "男" if p.sex == "M" else "女",
                f"{key}age": synth.age(p),
                f"{key}add": None,
                f"{key}phone": p.mobile,
                f"{key}regtime": t0,
                f"{key}status": "启用",
                "rid": role,
                "kid": 1,
            },
            subject=p,
        )

    pm_id = am_id = track_id = exam_id = work_id = alarm_id = safety_id = 1
    for sid in range(1, 61):
        kid = _kid(synth)
        rel, p_sex, k_sex = r.choice(_RELATIONS)
        parent = synth.person("parent")
        cid = 1 + (sid % 6)
        rows.add(
            "tbl_parent",
            {
                "parentid": sid,
                "parentname": parent.name_zh,
                "parentpwd": r.choice(_PASSWORDS),
                "parentsex": "男" if p_sex == "M" else "女",
                "parentage": synth.maybe(synth.age(parent), 0.4),
                "parentadd": synth.maybe(parent.address_zh, 0.4),
                "parentphone": parent.mobile if r.random() > 0.05 else synth.fullwidth(parent.mobile),
                "parentson": rel,
                "parentjob": synth.maybe(r.choice(("教师", "医生", "个体", "工程师")), 0.5),
                "parentregtime": t0,
                "parentstatus": "启用",
                "rid": 4,
                "kid": 1,
                "kindername": "成都市锦江区星星幼儿园",
            },
            subject=parent,
        )
        lng, lat = _point(synth, 0.02)
        rows.add(
            "tbl_student",
            {
                "studentid": sid,
                "studentname": kid.name_zh,
                "studentpwd": r.choice(_PASSWORDS),
                "studentsex": "男" if k_sex == "M" else "女",
                "studentbrith": _birth_text(synth, kid.dob),
                "studentadd": synth.maybe(kid.address_zh, 0.4),
                "studenttime": t0,
                "studentstatus": "在读",
                "cid": cid,
                "pid": sid,
                "kid": 1,
                "studentlng": lng,
                "studentlat": lat,
                "rid": 7,
            },
            subject=kid,
            dated=True,
        )
        for _k in range(4):
            dlng, dlat = _point(synth, 0.0008)
            rows.add(
                "tbl_defaultrack", {"detrackid": track_id, "lng": dlng, "lat": dlat, "studentid": sid}, subject=kid
            )
            track_id += 1
        for k in range(r.randrange(0, 4)):
            tlng, tlat = _point(synth, 0.01)
            rows.add("tbl_stutrack", {"trackid": sid * 10 + k, "lng": tlng, "lat": tlat, "stuid": sid}, subject=kid)
        for d in range(r.randrange(1, 4)):
            day = synth.as_of - dt.timedelta(days=d + 1)
            picker = r.choice((parent.name_zh, synth.person("adult").name_zh))
            rows.add(
                "tbl_stutimepm",
                {
                    "timepmid": pm_id,
                    "timepmdate": day.isoformat(),
                    "timepm": f"16:{r.randrange(30, 59)}",
                    "pnamepm": picker,
                },
                subject=kid,
            )
            rows.add(
                "tbl_stutimeam",
                {
                    "timeamid": am_id,
                    "weekinfo": "星期" + "一二三四五六日"[day.weekday()],
                    "timeamdate": day.isoformat(),
                    "timeam": f"08:{r.randrange(0, 30):02d}",
                    "pnameam": parent.name_zh,
                    "pmid": pm_id,
                    "sid": sid,
                    "did": 1,
                },
                subject=kid,
            )
            pm_id += 1
            am_id += 1
        if r.random() < 0.5:
            rows.add(
                "tbl_examination",
                {
                    "examinationid": exam_id,
                    "examinationtime": t0 + dt.timedelta(days=3),
                    "skin": r.choice(("正常", "湿疹")),
                    "height": f"{95 + 6 * (synth.age(kid) - 3) + r.randrange(-4, 5)}",
                    "weight": f"{14 + 2 * (synth.age(kid) - 3) + r.randrange(-2, 4)}",
                    "vision": r.choice(("4.9", "5.0", "4.8")),
                    "temperature": f"{r.uniform(36.2, 37.4):.1f}",
                    "healthstatus": r.choice(("健康", "健康", "轻度贫血", "龋齿")),
                    "sid": sid,
                },
                subject=kid,
            )
            exam_id += 1
        if r.random() < 0.4:
            rows.add(
                "tbl_work",
                {
                    "workid": work_id,
                    "workreleaseid": str(cid),
                    "workurl": f"homeWork/{sid}/{t0:%Y-%m-%d}/hw.jpg",
                    "wfinishtime": t0 + dt.timedelta(days=9),
                    "workresult": synth.maybe(r.choice(("优", "良")), 0.4),
                    "workeva": synth.maybe(synth.teacher_comment_zh(), 0.5),
                    "sid": sid,
                    "studentname": kid.name_zh,
                    "pid": sid,
                    "parentname": parent.name_zh,
                    "cid": cid,
                    "workname": "秋天的画",
                },
                subject=kid,
            )
            work_id += 1
        if r.random() < 0.08:
            rows.add(
                "tbl_alarmlog",
                {
                    "alarmlogid": alarm_id,
                    "alarmlogname": "越界报警",
                    "alarmlogarea": "园区东门",
                    "alarmlogtime": now - dt.timedelta(days=r.randrange(20), hours=r.randrange(8)),
                    "sid": sid,
                    "studentname": kid.name_zh,
                    "kid": 1,
                },
                subject=kid,
            )
            alarm_id += 1
        if r.random() < 0.5:
            rows.add(
                "tbl_safetytestcompletion",
                {
                    "safetytestid": safety_id,
                    "safetyvideoid": "1",
                    "parentid": sid,
                    "safetytestscore": str(r.choice((80, 100))),
                    "safetytestresult": "通过",
                    "safetyconfigid": cid,
                    "safetytestfinshtime": t0 + dt.timedelta(days=r.randrange(14)),
                },
                subject=parent,
            )
            safety_id += 1
    for cid in range(1, 7):
        rows.add(
            "tbl_safetyconfig",
            {
                "safetyconfigid": cid,
                "safetyvideoid": 1,
                "safetyvideoname": "防溺水安全教育",
                "safetyvideotime": t0,
                "safetyfinishtime": t0 + dt.timedelta(days=14),
                "classid": cid,
            },
        )
        rows.add(
            "tbl_clamsg",
            {
                "clamsgid": cid,
                "clamsgdetail": "明天请给孩子带一件外套",
                "cid": cid,
                "sendmsgtime": now - dt.timedelta(days=1),
            },
        )
        rows.add(
            "tbl_photo",
            {
                "photoid": cid,
                "photoname": "秋游合影",
                "photodetail": "浣花溪公园秋游",
                "photourl": f"image/classphoto/{cid}/{synth.uuid()}.jpg",
                "phototime": f"{t0:%Y-%m-%d}",
                "cid": cid,
            },
        )
    tester = synth.test_account()
    rows.add(
        "tbl_parent",
        {
            "parentid": 999,
            "parentname": "测试家长",
            "parentpwd": "123",
            "parentsex": "男",
            "parentage": None,
            "parentadd": None,
            "parentphone": tester.mobile,
            "parentson": "父子",
            "parentjob": None,
            "parentregtime": t0,
            "parentstatus": "禁用",
            "rid": 4,
            "kid": 1,
            "kindername": None,
        },
        subject=tester,
    )
    for i in range(1, 21):
        who = r.choice(("admin", "园长", "老师"))
        rows.add(
            "tbl_syslog",
            {
                "syslogid": i,
                "operateor": who,
                "operatetype": r.choice(("登录", "新增", "修改")),
                "operatedetail": r.choice(("登录系统", "新增幼儿信息", "修改家长电话")),
                "operatetime": t0 + dt.timedelta(hours=i * 9),
                "operateresult": "成功",
                "operateip": synth.ip4(),
            },
        )
    return rows
