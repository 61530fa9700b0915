"""Rows for 树童教育's reporting system: three campuses of a children's English school, the first months of 2026.

The pupils (kindergarten levels K01-K06, primary P1-P6 and junior J1-J3: ages 4 to 15, nearly all children) come
in through the monthly Excel imports of the school's ERP export into the per-year tables the application
creates (``stjy_*_2026``): pupil list, classes, class rosters, lesson consumption, receipts and low-balance
warnings. Staff come in through the HR, social-insurance, housing-fund and payroll imports. The base tables of
the shipped dump keep only the new-pupil and leaver lists (never split by year) and the person-less settings;
the other base tables stay empty, as on an install that moved to year tables. Mess as Excel leaves it: dates
in four formats and as Excel serial numbers, ID numbers 15-digit, Excel-corrupted or with a lower-case ``x``,
phones with a blank or full-width, parents' phones typed into the pupil's phone column, a test pupil, and
lesson rows of pupils who have since left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_CAMPUSES = ("万达校区", "宝龙校区", "东湖校区")
_LEVELS = (
    ("K03", 4),
    ("K05", 5),
    ("P1A", 6),
    ("P2B", 7),
    ("P3A", 8),
    ("P4A", 9),
    ("P5B", 10),
    ("P6A", 11),
    ("J1A", 12),
    ("J2B", 13),
    ("J3A", 14),
)
_GRADES = (
    "幼儿园中班",
    "幼儿园大班",
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "初一",
    "初二",
    "初三",
)
_SCHOOLS = ("福州市鼓楼第一中心小学", "福州教育学院附属第四小学", "仓山小学", "福州第十九中学", "乌山小学", "金山小学")
_SOURCES = ("地推", "老带新", "微信", "转介绍", "自然到访", "家长会")
_COURSES = (("精读", "剑桥少儿英语"), ("泛读", "原版绘本阅读"), ("外教", "外教口语"))
_ITEMS = ("学费", "教材费", "学习卡", "书包")
_TABLES = (
    (1, "学员信息表", "xyxxb"),
    (2, "班级信息表", "bjxxb"),
    (3, "班级学员信息表", "bjxyxxb"),
    (4, "收据记录表", "sjjlb"),
    (5, "课消明细表", "kxmxb"),
    (6, "开班明细表", "kbmxb"),
    (7, "学员费用预警表", "xyfyyjb"),
    (8, "学习卡额度表", "xxkedb"),
    (9, "社保明细表", "sbmxb"),
    (10, "公积金明细表", "gjjmxb"),
    (11, "新增明细表", "xzmxb"),
    (12, "减少明细表", "jsmxb"),
)


def _add(rows: Rows, table: str, row: dict[str, object], subject: Person | None = None, dated: bool = False) -> None:
    """``rows.add`` with the AUTO_INCREMENT ``id`` MySQL would assign (the two mapping tables have none)."""
    if table not in ("stjy_access", "stjy_role_user"):
        row.setdefault("id", len(rows[table]) + 1)
    rows.add(table, row, subject=subject, dated=dated)


def _excel_date(synth: Synth, d: dt.date) -> str:
    """A date as the Excel import left it: ISO, slashes, compact, Chinese or an Excel serial number."""
    x = synth.rng.random()
    if x < 0.45:
        return d.isoformat()
    if x < 0.7:
        return f"{d.year}/{d.month}/{d.day}"
    if x < 0.8:
        return d.strftime("%Y%m%d")
    if x < 0.9:
        return f"{d.year}年{d.month}月{d.day}日"
    return str((d - dt.date(1899, 12, 30)).days)


def _phone(synth: Synth, mobile: str) -> str:
    x = synth.rng.random()
    if x < 0.05:
        return synth.fullwidth(mobile)
    if x < 0.1:
        return synth.trailing(mobile)
    if x < 0.13:
        return f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    return mobile


def _id_number(synth: Synth, p: Person) -> str | None:
    x = synth.rng.random()
    if x < 0.55:
        return None  # most families never give the training school an ID number
    if x < 0.6:
        return p.ric15
    if x < 0.66:
        return synth.excel_id(p.ric)
    if x < 0.7 and p.ric.endswith("X"):
        return p.ric.lower()
    return p.ric


def _pupil(synth: Synth, age: int) -> Person:
    base = synth.person("child")
    dob = dt.date(synth.as_of.year - age, 1, 1) + dt.timedelta(days=synth.rng.randrange(330))
    rid = synth.ric_for(dob, base.sex, "350102")
    return dataclasses.replace(
        base, kind="child" if age <= 13 else "teen", dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid
    )


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    year = synth.as_of.year
    months = [m for m in (1, 2, 3) if dt.date(year, m, 5) <= synth.as_of]
    imported = {m: dt.datetime(year, m, 5, 10) for m in months}

    # Settings: campuses, departments, tables, periods, courses, RBAC, CMS.
    for sid, name in enumerate(_CAMPUSES, start=1):
        _add(
            rows,
            "stjy_school",
            {
                "id": sid,
                "name": name,
                "mianji": float(r.randrange(300, 900)),
                "classnum": float(r.randrange(6, 15)),
                "isuse": 1,
                "isshebao": 1,
                "isgongjijin": 1,
                "ydjjx": 40,
                "ydcrtx": 60,
                "ydccrtx": 80,
            },
        )
    for did, name in enumerate(("教学部", "市场部", "学管部", "行政部", "财务部"), start=1):
        _add(rows, "stjy_department", {"id": did, "name": name, "isuse": 1})
    for tid, name, table in _TABLES:
        _add(
            rows,
            "stjy_table_name",
            {
                "id": tid,
                "xuhao": tid,
                "name": name,
                "table_name": table,
                "type": 4 if table in ("sbmxb", "gjjmxb", "xxkedb") else 1,
            },
        )
    for qid, m in enumerate(months, start=1):
        _add(rows, "stjy_qishu", {"id": qid, "name": f"{year}{m:02d}", "isuse": 1, "addtime": imported[m]})
    for kid, (name, kind) in enumerate((("精读", 1), ("泛读", 1), ("外教", 2), ("一对一", 2)), start=1):
        _add(rows, "stjy_kecheng", {"id": kid, "name": name, "type": kind, "ticheng": 0.03 + kid / 100, "paixu": kid})
    for rid_, name in enumerate(("超级管理员", "行政", "行政经理", "财务", "负责人"), start=1):
        _add(rows, "stjy_role", {"id": rid_, "name": name, "pid": 0, "status": 1, "remark": ""})
        _add(rows, "stjy_access", {"role_id": rid_, "node_id": 1, "level": 1, "module": None})
    _add(
        rows,
        "stjy_node",
        {"id": 1, "name": "Admin", "title": "后台", "status": 1, "remark": "", "sort": 1, "pid": 0, "level": 1},
    )
    _add(rows, "stjy_class", {"id": 1, "name": "校区新闻", "sort": 1})
    _add(
        rows,
        "stjy_article",
        {
            "id": 1,
            "editor": "admin",
            "title": "春季班招生",
            "summary": "",
            "content": "<p>报名从速</p>",
            "click": 31,
            "important": 0,
            "image": None,
            "time": int(imported[months[0]].timestamp()),
            "cid": 1,
            "del": 0,
        },
    )

    admins = []
    for aid, (username, role) in enumerate(
        (("admin", 1), ("xz_wanda", 2), ("xzjl", 3), ("caiwu", 4), ("boss", 5)), start=1
    ):
        a = synth.person("staff")
        nick = "树童教育" if aid == 1 else a.name_zh
        _add(
            rows,
            "stjy_admin",
            {
                "id": aid,
                "username": username,
                "password": synth.md5_hex(),
                "nicename": nick,
                "email": synth.maybe(a.email, 0.5),
                "school_id": "1,2,3" if aid != 2 else "1",
                "logintime": int(
                    synth.datetime_between(
                        imported[months[0]], dt.datetime.combine(synth.as_of, dt.time(9))
                    ).timestamp()
                ),
                "loginip": synth.ip4(),
                "lock": 0,
            },
            subject=a,
        )
        _add(rows, "stjy_role_user", {"role_id": role, "user_id": aid}, subject=a)
        admins.append((aid, nick, a))
    for _ in range(r.randrange(80, 160)):
        when = synth.datetime_between(dt.datetime(year, 1, 1), dt.datetime.combine(synth.as_of, dt.time(20)))
        _add(rows, "stjy_log", {"time": int(when.timestamp()), "ip": synth.ip4()})

    # One import batch per table, campus and month (qishu_history.id is every row's suoshudd).
    batch: dict[tuple[str, int, int], int] = {}
    hid = 1
    for m in months:
        for sid in range(1, len(_CAMPUSES) + 1):
            for tid, _name, table in _TABLES:
                _add(
                    rows,
                    "stjy_qishu_history",
                    {
                        "id": hid,
                        "status": 1,
                        "filename": f"./Uploads/{year}{m:02d}/{table}_{sid}_{r.randrange(10**6)}.xls",
                        "tid": tid,
                        "sid": sid,
                        "uid": 2 if sid == 1 else 1,
                        "qishu": f"{year}{m:02d}",
                        "daorusj": imported[m],
                    },
                )
                batch[(table, sid, m)] = hid
                hid += 1
            _add(
                rows,
                "stjy_sjzb",
                {
                    "qishu": f"{year}{m:02d}",
                    "sid": sid,
                    **{t: 2 for _i, _n, t in _TABLES[:10]},
                    "status_xz": 2,
                    "status_xzjl": 2,
                    "status_cw": 2 if m < months[-1] else 1,
                    "status_fzr": 1,
                    "xingzheng": admins[1][1],
                    "xingzhengjl": admins[2][1],
                    "caiwu": admins[3][1] if m < months[-1] else None,
                    "fuzeren": None,
                    "time_xz": imported[m].strftime("%Y-%m-%d %H:%M:%S"),
                    "time_xzjl": None,
                    "time_cw": None,
                    "time_fzr": None,
                },
            )

    staff = _staff(synth, rows, batch, months, imported)
    teachers = [p for p, job in staff if job == "教师"]
    advisers = [p for p, job in staff if job in ("学管师", "课程顾问")]
    _pupils(synth, rows, batch, months, imported, teachers, advisers)
    return rows


def _staff(
    synth: Synth,
    rows: Rows,
    batch: dict[tuple[str, int, int], int],
    months: list[int],
    imported: dict[int, dt.datetime],
) -> list[tuple[Person, str]]:
    """HR records, social insurance, housing fund, marketing payroll and learning-card quotas."""
    r = synth.rng
    year, last = synth.as_of.year, months[-1]
    out: list[tuple[Person, str]] = []
    for n in range(1, 27):
        p = synth.person("staff")
        job = "教师" if n <= 12 else "学管师" if n <= 18 else "课程顾问" if n <= 23 else "行政"
        foreign = job == "教师" and n <= 3
        sid = 1 + n % 3
        hired = synth.date_between(dt.date(year - 6, 1, 1), dt.date(year, 1, 1))
        guarantor = synth.person("adult") if r.random() < 0.2 else None
        _add(
            rows,
            "stjy_renshi",
            {
                "xingming": p.name_en if foreign else p.name_zh,
                "leixing": "外教" if foreign else job,
                "gangweilx": 1 if r.random() < 0.85 else 2,
                "sid": sid,
                "yuangongbh": f"ST{hired.year % 100:02d}{n:03d}",
                "bumen": 1 if job == "教师" else 3 if job == "学管师" else 2 if job == "课程顾问" else 4,
                "bumen2": None,
                "zhiwu": job,
                "xingbie": 1 if p.sex == "M" else 2,
                "chushengrq": _excel_date(synth, p.dob),
                "hunfou": r.choice((1, 2)),
                "shengyuzh": synth.maybe(r.choice((1, 2)), 0.4),
                "hukouxz": r.choice((1, 2)),
                "lianxidh": _phone(synth, p.mobile),
                "tongxunsheng": "福建省",
                "tongxunshi": "福州市",
                "tongxunqu": r.choice(("鼓楼区", "台江区", "仓山区")),
                "tongxundz": synth.maybe(p.address_zh, 0.2),
                "youxiang": synth.maybe(p.email, 0.3),
                "chuanyicc": r.choice(("S", "M", "L", "XL")),
                "shengao": synth.maybe(float(r.randrange(150, 190)), 0.4),
                "tizhong": synth.maybe(float(r.randrange(45, 90)), 0.5),
                "diyixl": r.choice(("本科", "大专")),
                "diyixlyx": r.choice(("福建师范大学", "闽江学院", "福州大学")),
                "diyixlzy": r.choice(("英语", "学前教育", "市场营销")),
                "diyixlbysj": f"{p.dob.year + 22}-07",
                "zuigaoxl": None,
                "zuigaoxlyx": None,
                "zuigaoxlzy": None,
                "zuigaoxlbysj": None,
                "zigezs": synth.maybe("教师资格证", 0.5),
                "ruzhirq": _excel_date(synth, hired),
                "hetongkssj": hired.isoformat(),
                "hetongdqsj": dt.date(hired.year + 3, hired.month, 1).isoformat(),
                "hetongqdgs": "福州树童教育咨询有限公司",
                "shebaogmgs": "福州树童教育咨询有限公司",
                "hujisheng": "福建省",
                "hujishi": r.choice(("福州市", "莆田市", "宁德市", "南平市")),
                "hujiqu": None,
                "hujidz": synth.maybe(p.address_zh, 0.5),
                "pinyongqd": 1,
                "gongjijgmgs": "福州树童教育咨询有限公司",
                "jinjilxr": synth.person("adult").name_zh,
                "guanxi": r.choice(("父亲", "母亲", "配偶", "朋友")),
                "jinjilxrdh": synth.mobile(),
                "shebaohao": synth.maybe(p.ric, 0.3),
                "xingyeyhkh": "622909" + "".join(str(r.randrange(10)) for _ in range(12)),
                "qitayhkh": None,
                "shifouydbr": 1 if guarantor else 2,
                "danbaorxm": guarantor.name_zh if guarantor else None,
                "danbaordh": guarantor.mobile if guarantor else None,
                "danbaorsfzhm": guarantor.ric if guarantor else None,
                "huzhaohm": f"E{r.randrange(10**7, 10**8)}" if foreign else None,
                "huzhaoyxq": "2029-05-31" if foreign else None,
                "chiyouqzlx": "Z" if foreign else None,
                "qianzhengyxq": f"{synth.as_of.year + 1}-06-30" if foreign else None,
                "guoji": r.choice(("英国", "美国", "加拿大")) if foreign else "中国",
                "beizhu": None,
            },
            subject=p,
            dated=True,
        )
        out.append((p, job))
        for m in months:
            ins = batch[("sbmxb", sid, m)]
            _add(
                rows,
                "stjy_sbmxb",
                {
                    "bumen": job,
                    "xingming": p.name_zh,
                    "shenfenzhm": p.ric,
                    "danweihj": float(synth.money(900, 1400)),
                    "gerenhj": float(synth.money(300, 500)),
                    "yingjiaoje": float(synth.money(1200, 1900)),
                    "nashuirmc": "福州树童教育咨询有限公司",
                    "shuifeisssq": f"{synth.as_of.year}-{m:02d}",
                    "suoshudd": ins,
                    "daorusj": imported[m],
                },
                subject=p,
                dated=True,
            )
            if r.random() < 0.8:
                _add(
                    rows,
                    "stjy_gjjmxb",
                    {
                        "danweidjh": "350100123456",
                        "danweimc": "福州树童教育咨询有限公司",
                        "zijinly": "自筹",
                        "gerenbh": f"{r.randrange(10**9, 10**10)}",
                        "gerengjjzh": f"3501{r.randrange(10**11, 10**12)}",
                        "xingming": p.name_zh,
                        "zhengjianlx": "身份证",
                        "zhengjianhao": p.ric if r.random() > 0.1 else p.ric15,
                        "gerenjcjs": 4000.0,
                        "gerenjce": 200.0,
                        "danweijce": 200.0,
                        "gongjijye": float(synth.money(2000, 40000)),
                        "jiaocunzt": "正常",
                        "suoshudd": batch[("gjjmxb", sid, m)],
                        "daorusj": imported[m],
                    },
                    subject=p,
                    dated=True,
                )
        if job == "课程顾问":
            heads = r.randrange(3, 20)
            _add(
                rows,
                "stjy_scyjb",
                {
                    "xuhao": n,
                    "xingming": p.name_zh,
                    "zhiwei": job,
                    "ruzhirq": _excel_date(synth, hired),
                    "edu": 30000.0,
                    "rentoushu": float(heads),
                    "jingrentou": float(heads - r.randrange(3)),
                    "hejiyye": float(synth.money(20000, 90000)),
                    "huiyuanldxyye": float(synth.money(0, 9000)),
                    "kechengyj": "精读:" + str(heads),
                    "qianming": None,
                    "suoshudd": batch[("xxkedb", sid, last)],
                    "daorusj": imported[last],
                },
                subject=p,
            )
            _add(
                rows,
                "stjy_scbgzb",
                {
                    "yuefen": f"{synth.as_of.year}-{last:02d}",
                    "fenxiao": _CAMPUSES[sid - 1],
                    "bumen": "市场部",
                    "erjibm": None,
                    "gangweijb": "P2",
                    "zhiwei": job,
                    "xingming": p.name_zh,
                    "gongzuonx": str(synth.as_of.year - hired.year),
                    "ruzhisj": hired.isoformat(),
                    "yingchuqingts": "22",
                    "rentoushu": str(heads),
                    "jingrentou": str(heads),
                    "kechengyeji": str(synth.money(20000, 90000)),
                    "jixiaojj": str(synth.money(500, 4000)),
                    "yingfagzhj": str(synth.money(4000, 9000)),
                    "gongjijin": "200",
                    "gerensb": "380",
                    "gerensds": str(synth.money(0, 300)),
                    "shifagzhj": str(synth.money(3500, 8500)),
                    "beizhu": None,
                    "istijiao": 1,
                    "qishu": f"{synth.as_of.year}{last:02d}",
                    "sid": sid,
                    "addtime": imported[last],
                },
                subject=p,
            )
            _add(
                rows,
                "stjy_xxkedb",
                {
                    "xuhao": str(n),
                    "quyu": "福州",
                    "fenxiao": _CAMPUSES[sid - 1],
                    "yuefen": f"{last}月",
                    "xingming": p.name_zh,
                    "ruzhirq": hired.isoformat(),
                    "status": r.choice(("正式", "试用")),
                    "yuechusybj": float(synth.money(0, 5000)),
                    "benyuegmbj": float(synth.money(0, 3000)),
                    "zongbenjin": float(synth.money(0, 8000)),
                    "edu": 10000.0,
                    "zhengsonged": "0",
                    "suoshudd": batch[("xxkedb", sid, last)],
                    "daorusj": imported[last],
                },
                subject=p,
            )
    return out


def _pupils(
    synth: Synth,
    rows: Rows,
    batch: dict[tuple[str, int, int], int],
    months: list[int],
    imported: dict[int, dt.datetime],
    teachers: list[Person],
    advisers: list[Person],
) -> None:
    r = synth.rng
    year, last = synth.as_of.year, months[-1]
    classes: list[tuple[str, int, int, str]] = []  # (class name, campus, level index, course)
    for sid, campus in enumerate(_CAMPUSES, start=1):
        for li in r.sample(range(len(_LEVELS)), 5):
            level = _LEVELS[li][0]
            kind, course = r.choice(_COURSES)
            name = f"{campus[:2]}{level}-{kind}{r.randrange(1, 9)}班"
            t, head = r.choice(teachers), r.choice(advisers)
            _add(
                rows,
                "stjy_bjxxb_2026",
                {
                    "banjimc": name,
                    "xiaoqumc": campus,
                    "kechengmc": course,
                    "banjibq": level,
                    "shangkels": t.name_zh,
                    "banzhuren": head.name_zh,
                    "morenjs": f"{r.randrange(1, 9)}0{r.randrange(1, 6)}教室",
                    "kaibanrq": _excel_date(synth, dt.date(year - 1, 9, r.randrange(1, 20))),
                    "dangqianjd": "Unit 5",
                    "paikejsrq": f"{year}-06-30",
                    "jihuajyrq": f"{year}-07-10",
                    "shangkesj": r.choice(("周六 09:00-10:30", "周日 14:00-15:30", "周三 18:30-20:00")),
                    "nianji": _GRADES[li],
                    "kemu": "英语",
                    "leixing": "班课",
                    "yuzhaors": 12.0,
                    "dangqianrs": 0.0,
                    "rubanlv": None,
                    "jihuakc": 48.0,
                    "jifeidw": "课次",
                    "yipaikc": 48.0,
                    "yishangkc": 20.0,
                    "shangkejdys": "20/48",
                    "shangkejdyp": "48/48",
                    "jieyezt": "未结业",
                    "suoshudd": batch[("bjxxb", sid, last)],
                    "daorusj": imported[last],
                },
            )
            _add(
                rows,
                "stjy_kbmxb_2026",
                {
                    "banjimc": name,
                    "banjibq": level,
                    "kaibanrq": f"{year - 1}-09-06",
                    "jiebanrq": f"{year}-07-10",
                    "shangkedd": campus,
                    "shangkesjd": "周末",
                    "shangkesj": "09:00-10:30",
                    "shangkexss": 1.5,
                    "jingjiangxs": 1.0 if kind == "精读" else 0.0,
                    "fanduxs": 1.0 if kind == "泛读" else 0.0,
                    "waijiaoxs": 0.5 if kind == "外教" else 0.0,
                    "jingjiangls": t.name_zh if kind == "精读" else None,
                    "fanduls": t.name_zh if kind == "泛读" else None,
                    "waijiaols": t.name_en if kind == "外教" else None,
                    "suoshudd": batch[("kbmxb", sid, last)],
                    "daorusj": imported[last],
                },
            )
            classes.append((name, sid, li, course))

    xuehao = 2300001
    for name, sid, li, course in classes:
        campus = _CAMPUSES[sid - 1]
        level, age = _LEVELS[li]
        adviser, teacher = r.choice(advisers), r.choice(teachers)
        for _ in range(r.randrange(6, 13)):
            p = _pupil(synth, age + r.choice((0, 0, 1)))
            father, mother = synth.person("parent"), synth.person("parent")
            xh = str(xuehao)
            xuehao += 1
            left = r.random() < 0.06
            enrolled = synth.date_between(dt.date(year - 3, 3, 1), dt.date(year, 1, 20))
            own_phone = None if age < 10 else synth.maybe(p.mobile, 0.6)
            contact = own_phone or (mother.mobile if r.random() < 0.7 else father.mobile)
            _add(
                rows,
                "stjy_xyxxb_2026",
                {
                    "xuehao": xh,
                    "xingming": p.name_zh if r.random() > 0.04 else synth.trailing(p.name_zh),
                    "xingbie": "男" if p.sex == "M" else "女",
                    "shishengxzh": synth.maybe(contact, 0.5),
                    "shishengxin": r.choice(("已绑定", "未绑定", None)),
                    "shenfenzheng": _id_number(synth, p),
                    "chushengrq": synth.maybe(_excel_date(synth, p.dob), 0.15),
                    "nianling": synth.maybe(str(synth.age(p)), 0.3),
                    "shoujihm": _phone(synth, contact),
                    "yingwenming": synth.maybe(p.first_en, 0.3),
                    "qingjiacs": str(r.randrange(0, 4)),
                    "zhaoshengly": r.choice(_SOURCES),
                    "laiyuanfx": campus,
                    "zuijinsksj": f"{year}-{last:02d}-0{r.randrange(1, 5)} 09:00",
                    "baomingrq": enrolled.isoformat(),
                    "xiuxuerq": None,
                    "yujifxrq": None,
                    "shijifxrq": None,
                    "tuixuerq": f"{year}-{last:02d}-01" if left else None,
                    "huifurxrq": None,
                    "xiaoqu": campus,
                    "xueguanshi": adviser.name_zh,
                    "fuqinxm": synth.maybe(father.name_zh, 0.4),
                    "fuqindh": synth.maybe(_phone(synth, father.mobile), 0.4),
                    "muqinxm": synth.maybe(mother.name_zh, 0.2),
                    "muqindh": synth.maybe(_phone(synth, mother.mobile), 0.2),
                    "jiatingzz": synth.maybe(p.address_zh, 0.5),
                    "zaidubj": "1",
                    "qq": synth.maybe(mother.qq, 0.85),
                    "jiuduxx": synth.maybe(r.choice(_SCHOOLS), 0.3) if age >= 6 else synth.maybe("鼓楼实验幼儿园", 0.5),
                    "nianji": _GRADES[li],
                    "banji": name,
                    "beizhu": synth.maybe(
                        r.choice(("妈妈接送", "对花生过敏", "性格内向，多鼓励", "二胎家庭，弟弟也想报名")), 0.8
                    ),
                    "jifen": float(r.randrange(0, 500)),
                    "leixing": "正式",
                    "zhuangtai": "退学" if left else "在读",
                    "xiuxueyy": None,
                    "tuixueyy": r.choice(("搬家", "课程冲突", "费用原因")) if left else None,
                    "dianziqbye": float(synth.money(0, 300)),
                    "qianjiaoje": 0.0,
                    "shengyuxf": float(synth.money(0, 9000)),
                    "zhanghuye": 0.0,
                    "shoucijfrq": enrolled.isoformat(),
                    "shoucixfrq": enrolled.isoformat(),
                    "shengao": synth.maybe(f"{95 + age * 6}cm", 0.7),
                    "shifouzxzrdjb": "否",
                    "suoshudd": batch[("xyxxb", sid, last)],
                    "daorusj": imported[last],
                },
                subject=p,
                dated=True,
            )
            _add(
                rows,
                "stjy_bjxyxxb_2026",
                {
                    "kecheng": course,
                    "banji": name[:20],
                    "xiaoqu": campus,
                    "shangkesj": "周六 09:00",
                    "shangkels": teacher.name_zh,
                    "xuehao": xh,
                    "xingming": p.name_zh,
                    "jiaoshi": "301教室",
                    "banzhuren": adviser.name_zh,
                    "xingbie": "男" if p.sex == "M" else "女",
                    "zhaoshengly": r.choice(_SOURCES),
                    "qqnum": synth.maybe(mother.qq, 0.8),
                    "nianji": _GRADES[li],
                    "qiduan": "春季",
                    "kechengnj": level,
                    "kemu": "英语",
                    "leixing": "班课",
                    "nianfen": str(year),
                    "dianhua": contact,
                    "guanzhuwx": float(r.choice((0, 1))),
                    "shoujuhao": f"SJ{r.randrange(10**7, 10**8)}",
                    "jiaofeisj": enrolled.isoformat(),
                    "beizhu": None,
                    "gonglixx": synth.maybe(r.choice(_SCHOOLS), 0.4),
                    "fuqindh": synth.maybe(father.mobile, 0.5),
                    "muqindh": synth.maybe(mother.mobile, 0.3),
                    "zaidubj": "1",
                    "suoshudd": batch[("bjxyxxb", sid, last)],
                    "daorusj": imported[last],
                },
                subject=p,
            )
            for m in months:
                for week in range(r.randrange(2, 5)):
                    day = dt.date(year, m, 1 + week * 7 + r.randrange(3))
                    if day > synth.as_of:
                        break
                    present = r.random() > 0.1
                    _add(
                        rows,
                        "stjy_kxmxb_2026",
                        {
                            "xuehao": xh,
                            "xingming": p.name_zh,
                            "nianji": _GRADES[li],
                            "banxing": "小班",
                            "kemu": "英语",
                            "kecheng": course[:30],
                            "banji": name,
                            "xiaoqumc": campus,
                            "shangkels": teacher.name_zh,
                            "zhujiao": None,
                            "shangkenr": f"Unit {r.randrange(1, 12)}",
                            "xueguanshi": adviser.name_zh,
                            "banzhuren": adviser.name_zh,
                            "zaizhilx": "全职",
                            "laoshijb": r.choice(("T1", "T2", "T3")),
                            "shangkesj": f"{day.isoformat()} 09:00",
                            "shangkesc": "90分钟",
                            "jingduxs": 1.5,
                            "fanduxs": 0.0,
                            "waijiaoxs": 0.0,
                            "jingduls": teacher.name_zh,
                            "fanduls": None,
                            "waijiaols": None,
                            "shuliang": "1",
                            "kexiaoje": float(synth.money(90, 180)) if present else 0.0,
                            "shifoucq": "是" if present else "否",
                            "qianfeije": 0.0,
                            "zhekouje": 0.0,
                            "shoufeirq": enrolled.isoformat(),
                            "shoujuhao": f"SJ{r.randrange(10**7, 10**8)}",
                            "shoufeixq": campus,
                            "suoshudd": batch[("kxmxb", sid, m)],
                            "daorusj": imported[m],
                        },
                        subject=p,
                    )
            if r.random() < 0.35:
                m = r.choice(months)
                fee = float(synth.money(2000, 9800))
                paid_by = r.choice(("weixin", "zhifubao", "shuaka", "xianjin"))
                _add(
                    rows,
                    "stjy_sjjlb_2026",
                    {
                        "jiaofeirq": _excel_date(synth, dt.date(year, m, r.randrange(1, 5))),
                        "shoujuhao": f"SJ{r.randrange(10**7, 10**8)}",
                        "fapiaohao": synth.maybe(f"{r.randrange(10**7, 10**8)}", 0.7),
                        "xuehao": xh,
                        "xingming": p.name_zh,
                        "shoujihao": contact,
                        "gonglixx": synth.maybe(r.choice(_SCHOOLS), 0.5),
                        "gonglibj": synth.maybe(f"{r.randrange(1, 7)}年{r.randrange(1, 9)}班", 0.6),
                        "jiatingzz": synth.maybe(p.address_zh, 0.6),
                        "fuqindh": synth.maybe(father.mobile, 0.5),
                        "muqindh": synth.maybe(mother.mobile, 0.3),
                        "xueshenglb": r.choice(("新生", "老生")),
                        "zhaoshengly": r.choice(_SOURCES),
                        "nianji": _GRADES[li],
                        "kechengmc": course,
                        "wupinmc": r.choice(_ITEMS),
                        "zhekouje": 0.0,
                        "zhijianje": float(r.choice((0, 200, 500))),
                        "yingjiaoje": fee,
                        "jiaofeije": fee,
                        "qianjiaoje": 0.0,
                        "dianziqb": 0.0,
                        **{k: (fee if k == paid_by else 0.0) for k in ("xianjin", "weixin", "zhifubao", "shuaka")},
                        "zhifudh": f"4200{r.randrange(10**15, 10**16)}" if paid_by == "weixin" else None,
                        "xiaoqu": campus,
                        "jingshouren": adviser.name_zh,
                        "shoujulx": "普通收据",
                        "shoukuanzh": "福州树童教育咨询有限公司",
                        "fukuanzh": synth.maybe(mother.name_zh if paid_by != "xianjin" else None, 0.3),
                        "zhuangtai": "有效",
                        "qiandanlx": "续费",
                        "yejigsr": r.choice(advisers).name_zh,
                        "jieshaoren": synth.maybe(synth.person("parent").name_zh, 0.85),
                        "pindandx": None,
                        "jingrentou": "1",
                        "yujianje": "0",
                        "beizhu": synth.maybe("妈妈微信转账", 0.7),
                        "tuifeijzyy": None,
                        "gongsish": None,
                        "chanpinlx": "课程",
                        "suoshudd": batch[("sjjlb", sid, m)],
                        "daorusj": imported[m],
                    },
                    subject=p,
                )
            if r.random() < 0.12:
                _add(
                    rows,
                    "stjy_xyfyyjb_2026",
                    {
                        "xuehao": xh,
                        "xingming": p.name_zh,
                        "dianhua": contact,
                        "xiaoqu": campus,
                        "kechengmc": course,
                        "xueguanshi": adviser.name_zh,
                        "shengyugmsl": float(r.randrange(0, 4)),
                        "shengyuzssl": 0.0,
                        "danwei": "次",
                        "feiyong": float(synth.money(0, 500)),
                        "chanpinlx": "课程",
                        "suoshudd": batch[("xyfyyjb", sid, last)],
                        "daorusj": imported[last],
                    },
                    subject=p,
                )
            if r.random() < 0.08 or left:
                table = "stjy_jsmxb" if left else "stjy_xzmxb"
                row = {
                    "xuhao": xuehao % 1000,
                    "yuefen": f"{last}月",
                    "fenxiao": campus,
                    "xuehao": xh,
                    "xingming": p.name_zh,
                    "suoshubm": "学管部",
                    "banjibh": name,
                    "jingduls": teacher.name_zh,
                    "fanduls": None,
                    "kaibanrq": f"{year - 1}-09-06",
                    "jiebanrq": f"{year}-07-10",
                    "shengyukc": float(r.randrange(0, 30)),
                    "yucunxfje": float(synth.money(0, 6000)),
                    "lianxidh": contact,
                    "zhaoshenggw": r.choice(advisers).name_zh,
                    "zhaoshengly": r.choice(_SOURCES),
                    "jiuduxx": synth.maybe(r.choice(_SCHOOLS), 0.4),
                    "jiuduxxnj": _GRADES[li],
                    "suoshudd": batch[("jsmxb" if left else "xzmxb", sid, last)],
                    "daorusj": imported[last],
                }
                if left:
                    row.update(
                        {
                            "jianshaolx": r.choice(("流失", "退费")),
                            "liushitfyy": r.choice(("搬家", "课程冲突", "孩子不喜欢外教课")),
                            "tingduxqjkc": 0.0,
                            "yujifdsj": None,
                        }
                    )
                else:
                    row["xinzenglx"] = r.choice(("新生", "复读"))
                _add(rows, table, row, subject=p)
    tester = synth.test_account()
    _add(
        rows,
        "stjy_xyxxb_2026",
        {
            "xuehao": "test001",
            "xingming": tester.name_zh,
            "xingbie": "男",
            "shenfenzheng": tester.ric,
            "chushengrq": tester.dob.isoformat(),
            "shoujihm": tester.mobile,
            "xiaoqu": _CAMPUSES[0],
            "zhuangtai": "在读",
            "suoshudd": batch[("xyxxb", 1, last)],
            "daorusj": imported[last],
        },
        subject=tester,
        dated=True,
    )
