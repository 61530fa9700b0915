"""Rows for 酷乐宝: one kindergarten on the parent app for a couple of months.

Children are 2-6; each has one to three guardians (parents, grandparents) with a pick-up card; parents log in
with their phone number. Every card swipe at the gate writes a ``dailylog`` row with the gate camera's photo
and a push to the guardian's phone. Mess: guardians' birthdays left at the schema default ``1800-01-01``,
empty ID numbers (``''``, the default), 15-digit and Excel-corrupted ID numbers typed by staff, upper-case MD5
passwords, a test parent with a well-known number, nick names in place of names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_SCHOOL = "93740362"
_CLASSES = ((777666, "苹果班"), (777888, "香蕉班"), (777999, "葡萄班"), (778000, "西瓜班"))
_NICKS = ("大苹果", "小香蕉", "豆豆", "乐乐", "糖糖", "小宝", "果果", "多多")
_GUARDIANS = (("妈妈", "F"), ("爸爸", "M"), ("奶奶", "F"), ("外公", "M"))


def _ms(t: dt.datetime) -> int:
    return int(t.replace(tzinfo=dt.UTC).timestamp() * 1000)


def _kid(synth: Synth) -> Person:
    base = synth.person("child")
    cut = dt.date(synth.as_of.year - 2, synth.as_of.month, min(synth.as_of.day, 28))
    dob = cut - dt.timedelta(days=synth.rng.randrange(30, 4 * 365))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _social_id(synth: Synth, p: Person) -> str:
    x = synth.rng.random()
    if x < 0.3:
        return ""
    if x < 0.36:
        return p.ric15
    if x < 0.42:
        return synth.excel_id(p.ric)
    return p.ric


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    now = dt.datetime.combine(synth.as_of, dt.time(17, 30))
    start = now - dt.timedelta(days=60)

    rows.add(
        "schoolinfo",
        {
            "uid": 1,
            "school_id": _SCHOOL,
            "province": "四川省",
            "city": "成都",
            "name": "成都市锦官幼儿园",
            "description": "\n成立于1998年，省级示范幼儿园。\n",
            "phone": "02885123456",
            "logo_url": "http://img.kulebao.example/logo.png",
            "update_at": _ms(start),
        },
    )
    for i, (version, name) in enumerate(((11, "v2.0"), (12, "v2.1"), (14, "v2.3")), start=1):
        rows.add(
            "appinfo",
            {
                "uid": i,
                "version_code": version,
                "version_name": name,
                "url": f"/version/release-{version}.apk",
                "summary": "1.修正错误",
                "file_size": 324709 + i,
                "release_time": _ms(start),
            },
        )
    for i, (cid, cname) in enumerate(_CLASSES, start=1):
        rows.add(
            "classinfo", {"uid": i, "school_id": _SCHOOL, "class_id": cid, "class_name": cname, "update_at": _ms(start)}
        )
        rows.add(
            "scheduleinfo",
            {
                "uid": i,
                "school_id": _SCHOOL,
                "class_id": cid,
                "schedule_id": 120 + i,
                "mon_am": "手工",
                "tue_am": "音乐",
                "wed_am": "绘本",
                "thu_am": "体能",
                "fri_am": "英语",
                "mon_pm": "户外",
                "tue_pm": "美术",
                "wed_pm": "户外",
                "thu_pm": "科学",
                "fri_pm": "自由活动",
                "status": 1,
                "timestamp": _ms(start),
            },
        )
    rows.add(
        "cookbookinfo",
        {
            "uid": 1,
            "school_id": _SCHOOL,
            "cookbook_id": 121,
            "mon_breakfast": "牛奶，鸡蛋",
            "tue_breakfast": "豆浆，包子",
            "mon_lunch": "米饭，番茄炒蛋",
            "extra_tip": "本周加餐为时令水果",
            "status": 1,
            "timestamp": _ms(start),
        },
    )
    news_ids = []
    for i, title in enumerate(("缴费通知", "国庆放假安排", "秋季运动会", "流感预防提示", "家长开放日"), start=1):
        rows.add(
            "news",
            {
                "uid": i,
                "school_id": _SCHOOL,
                "title": title,
                "content": f"<p>{title}：详见园内公告栏。</p>",
                "update_at": _ms(start + dt.timedelta(days=i * 7)),
                "published": 1 if i < 5 else 0,
                "status": 1,
            },
        )
        if i < 5:
            news_ids.append(i)

    for i in range(1, 9):
        e = synth.person("staff")
        e_birthday = e.dob if r.random() < 0.6 else dt.date(1800, 1, 1)
        rows.add(
            "employeeinfo",
            {
                "uid": i,
                "name": e.name_zh,
                "employee_id": f"3_{_SCHOOL}_{1000 + i}",
                "phone": e.mobile,
                "gender": 1 if e.sex == "M" else 0,
                "workgroup": _CLASSES[(i - 1) % 4][1] if i <= 6 else "后勤",
                "workduty": "老师" if i <= 6 else r.choice(("保育员", "保健医生")),
                "picurl": r.choice(("", synth.photo_url("employee"))),
                "birthday": e_birthday,
                "school_id": _SCHOOL,
                "status": 1,
            },
            subject=e,
            dated=e_birthday == e.dob,
        )

    guardians: list[Person] = []
    card_uid = acc_uid = rel_uid = par_uid = log_uid = read_uid = conv_uid = 1
    for n in range(1, 61):
        kid = _kid(synth)
        cid, cname = _CLASSES[min(3, max(0, synth.age(kid) - 2))]
        child_id = f"1_{_SCHOOL}_{n * 7 + 300}"
        rows.add(
            "childinfo",
            {
                "uid": n,
                "name": kid.name_zh,
                "child_id": child_id,
                "student_id": f"{n:04d}",
                "gender": 1 if kid.sex == "M" else 0,
                "class_id": cid,
                "classname": r.choice(("", cname)),
                "picurl": r.choice(("", synth.photo_url("child"))),
                "birthday": kid.dob,
                "indate": dt.date(synth.as_of.year if synth.as_of.month >= 9 else synth.as_of.year - 1, 9, 1),
                "school_id": _SCHOOL,
                "address": synth.maybe(kid.address_zh, 0.5) or "",
                "stu_type": r.choice((1, 2)),
                "hukou": r.choice((1, 2)),
                "social_id": _social_id(synth, kid),
                "nick": r.choice(("", r.choice(_NICKS))),
                "status": 1,
                "update_at": _ms(start),
            },
            subject=kid,
            dated=True,
        )
        for k in range(r.choice((1, 1, 2, 2, 3))):
            rel, sex = _GUARDIANS[k]
            g = synth.person("parent" if k < 2 else "adult")
            parent_id = f"2_{_SCHOOL}_{par_uid + 100}"
            phone = g.mobile
            guardians.append(g)
            g_birthday = g.dob if r.random() < 0.3 else dt.date(1800, 1, 1)
            rows.add(
                "parentinfo",
                {
                    "uid": par_uid,
                    "name": g.name_zh if r.random() > 0.05 else rel,
                    "parent_id": parent_id,
                    "relationship": rel,
                    "phone": phone,
                    "gender": 1 if sex == "M" else 0,
                    "company": r.choice(("", "", "四川电网", "个体", "成都七中")),
                    "picurl": r.choice(("", synth.photo_url("parent"))),
                    "birthday": g_birthday,
                    "school_id": _SCHOOL,
                    "status": 1,
                    "update_at": _ms(start),
                },
                subject=g,
                dated=g_birthday == g.dob,
            )
            par_uid += 1
            card = f"{r.randrange(10**10):010d}"
            rows.add(
                "cardinfo",
                {"uid": card_uid, "cardnum": card, "userid": parent_id, "expiredate": dt.date(2200, 1, 1)},
                subject=g,
            )
            card_uid += 1
            rows.add(
                "relationmap",
                {
                    "uid": rel_uid,
                    "child_id": child_id,
                    "parent_id": parent_id,
                    "card_num": card,
                    "relationship": rel,
                    "status": 1,
                },
                subject=kid,
            )
            rel_uid += 1
            if k < 2 and r.random() < 0.8:
                push = str(r.randrange(10**17, 10**18))
                rows.add(
                    "accountinfo",
                    {
                        "uid": acc_uid,
                        "accountid": phone,
                        "password": synth.md5_hex().upper(),
                        "pushid": push,
                        "active": 1,
                        "pwd_change_time": _ms(start),
                    },
                    subject=g,
                )
                acc_uid += 1
                for nid in news_ids:
                    if r.random() < 0.5:
                        rows.add(
                            "newsread",
                            {
                                "uid": read_uid,
                                "school_id": _SCHOOL,
                                "parent_id": parent_id,
                                "news_id": nid,
                                "readTime": _ms(start + dt.timedelta(days=nid * 7, hours=2)),
                            },
                            subject=g,
                        )
                        read_uid += 1
                for day in range(r.randrange(0, 5)):
                    t = start + dt.timedelta(days=day * 3 + 1, hours=r.choice((8, 17)), minutes=r.randrange(40))
                    rows.add(
                        "dailylog",
                        {
                            "uid": log_uid,
                            "school_id": _SCHOOL,
                            "child_id": child_id,
                            "parent_name": g.name_zh,
                            "pushid": push,
                            "record_url": synth.maybe(synth.photo_url("gate"), 0.3),
                            "card_no": card,
                            "card_type": 0,
                            "notice_type": 1 if t.hour < 12 else 0,
                            "check_at": _ms(t),
                        },
                        subject=kid,
                    )
                    log_uid += 1
                if r.random() < 0.15:
                    for j in range(r.randrange(1, 4)):
                        rows.add(
                            "conversation",
                            {
                                "uid": conv_uid,
                                "school_id": _SCHOOL,
                                "phone": phone,
                                "content": synth.parent_message_zh(kid) if j % 2 == 0 else "收到，谢谢家长。",
                                "image": None,
                                "sender": g.name_zh if j % 2 == 0 else "老师",
                                "timestamp": _ms(start + dt.timedelta(days=20 + j)),
                            },
                            subject=g,
                        )
                        conv_uid += 1
    tester = synth.test_account()
    rows.add(
        "accountinfo",
        {
            "uid": acc_uid,
            "accountid": "13333333333",
            "password": "5F4DCC3B5AA765D61D8327DEB882CF99",
            "pushid": "0",
            "active": 0,
            "pwd_change_time": 0,
        },
        subject=tester,
    )
    for i, text in enumerate(("app经常闪退", "希望增加宝宝成长相册", "登录不了，提示密码错误"), start=1):
        p = r.choice(guardians)
        rows.add(
            "feedback",
            {
                "uid": i,
                "phone": p.mobile,
                "content": text,
                "comment": synth.maybe("已回复处理", 0.5),
                "status": 1,
                "update_at": _ms(start + dt.timedelta(days=10 * i)),
            },
            subject=p,
        )
    return rows
