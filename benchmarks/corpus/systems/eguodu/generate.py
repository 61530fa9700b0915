"""Rows for e果度: two schools (a primary school and a kindergarten) a few weeks into using the habit circles.

Pupils (3-12) are registered by their class teacher from an Excel sheet, keyed by their resident ID number
(``studentPaperId``); teachers and the company's staff are keyed by theirs too. Teachers open a circle per
class, put habits in it, pupils check in daily with photos, voice and a note (through the parent's WeChat),
and teachers send notices and one exam. Mess: ID numbers with a lower-case ``x``, 15 digits, trailing blanks
or missing (pupils who joined through WeChat before the sheet was imported), full-width phone digits, a test
pupil and a test teacher, and the dump's own dictionary rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_HABITS = (
    ("H01", "每天阅读20分钟", 2),
    ("H02", "跳绳200下", 3),
    ("H03", "整理书包", 5),
    ("H04", "练字一页", 2),
    ("H05", "帮父母做家务", 5),
    ("H06", "早睡早起", 1),
)
_SUBJECTS = ((1, "语文"), (2, "数学"), (3, "英语"))
_DUTIES = (("01", "班主任", 1), ("02", "任课老师", 0), ("03", "校长", 1))


def _pupil(synth: Synth, age_lo: int, age_hi: int) -> Person:
    base = synth.person("child")
    age = synth.rng.randrange(age_lo, age_hi + 1)
    cut = dt.date(synth.as_of.year - age, synth.as_of.month, min(synth.as_of.day, 28))
    dob = cut - dt.timedelta(days=synth.rng.randrange(1, 365))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _paper_id(synth: Synth, p: Person) -> str | None:
    x = synth.rng.random()
    if x < 0.06:
        return None
    if x < 0.10:
        return p.ric15
    if x < 0.15:
        return p.ric.lower() if p.ric.endswith("X") else synth.trailing(p.ric)
    return p.ric


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    start = dt.datetime(synth.as_of.year if synth.as_of.month >= 9 else synth.as_of.year - 1, 9, 1, 8)
    now = dt.datetime.combine(synth.as_of, dt.time(20))

    # Dictionaries as the dump ships them, plus the ones a school fills in.
    for code, name, master in (("01", "总监", 1), ("02", "业务员", 0)):
        rows.add("dic_corpduty", {"corpDutyId": code, "corpDutyName": name, "master": master})
    for code, name, master in _DUTIES:
        rows.add("dic_teacherduty", {"teacherDutyId": code, "teacherDutyName": name, "master": master})
    for code, name in (("510100", "成都市"), ("510107", "武侯区"), ("510104", "锦江区")):
        rows.add("dic_nation", {"nationId": code, "nationName": name})
    for hid, name, cls in _HABITS:
        rows.add(
            "dic_habit",
            {"habitId": hid, "habitName": name, "habitClass": cls, "memo": None, "picUrl": f"/img/habit/{hid}.png"},
        )
    for sid, name in _SUBJECTS:
        rows.add("dic_studysubject", {"studySubjectId": sid, "studySubjectName": name, "habitClass": 2})
        rows.add(
            "dic_subjectexamclass", {"subjectExamClassId": sid, "subjectExamClassName": "基础题", "studySubjectId": sid}
        )
    for cid, name in (("1", "班级圈"), ("2", "兴趣圈")):
        rows.add(
            "dic_circleclass",
            {"circleClassId": cid, "pareClassId": "0", "circleClassName": name, "icon": None, "memo": None},
        )
    for mid, name, parent, url in (
        ("101", "数据资源", "0", None),
        ("10101", "学校资源", "101", "/frame/corpbasemsg/school"),
        ("10102", "学生资源", "101", "/frame/corpbasemsg/student"),
        ("109", "系统管理", "0", None),
        ("10901", "员工管理", "109", "/frame/corpsystem/employee"),
    ):
        rows.add(
            "menu",
            {
                "menuId": mid,
                "menuName": name,
                "pareMenuId": parent,
                "url": url,
                "icon": None,
                "power": None,
                "paixu": 1,
                "kind": 1,
            },
        )

    # The company: staff and their back-office accounts.
    staff = []
    for i, duty in enumerate(("01", "02", "02"), start=1):
        e = synth.person("staff")
        eid = f"E{i:03d}"
        rows.add(
            "employee",
            {
                "employeeId": eid,
                "employeeName": e.name_zh,
                "tel": e.mobile,
                "employeePaperId": e.ric,
                "corpDutyId": duty,
                "address": synth.maybe(e.address_zh, 0.5),
                "enterDate": dt.datetime(2018, r.randrange(1, 13), 1),
                "leaveDate": None,
                "wxcode": synth.maybe(e.openid, 0.4),
            },
            subject=e,
            dated=True,
        )
        rows.add(
            "user",
            {
                "userId": f"U{i:03d}",
                "account": e.name_pinyin.replace(" ", "").lower(),
                "passWord": synth.md5_hex(),
                "schoolId": None,
                "employeeId": eid,
                "teacherPaperId": None,
                "supperAdmin": 1 if i == 1 else 0,
                "schoolAdmin": 0,
                "addTime": start,
                "kind": 1,
            },
            subject=e,
        )
        staff.append(eid)

    schools = (("1001", "武侯区实验小学", 1, 6, 12), ("1002", "锦江区蓝天幼儿园", 3, 3, 6))
    teachers: list[tuple[str, str, Person]] = []  # (paperId, schoolId, person)
    pupils: list[tuple[str | None, str, str, Person]] = []  # (paperId, studentId, classesId, person)
    for school_id, name, style, age_lo, age_hi in schools:
        head = synth.person("staff")
        lat, lon = synth.coordinates()
        rows.add(
            "school",
            {
                "schoolId": school_id,
                "schoolName": name,
                "cityId": "510100",
                "districtId": r.choice(("510107", "510104")),
                "longitude": lon,
                "latitude": lat,
                "tel": synth.landline(),
                "linkMan": head.name_zh,
                "address": "四川省成都市" + name[:3],
                "schoolStyle": style,
                "saleManId": r.choice(staff[1:]),
                "regTime": start,
                "train": 0,
            },
        )
        grades = range(1, 7) if style == 1 else range(1, 4)
        for g in grades:
            t = synth.person("staff")
            pid = t.ric if r.random() > 0.05 else t.ric15
            teachers.append((pid, school_id, t))
            tel = t.mobile if r.random() > 0.05 else synth.fullwidth(t.mobile)
            rows.add(
                "teacher",
                {
                    "id": len(teachers),
                    "paperId": pid,
                    "teacherName": t.name_zh,
                    "tel": tel,
                    "address": synth.maybe(t.address_zh, 0.6),
                    "teacherDutyId": "01",
                    "schoolId": school_id,
                    "regTime": start,
                    "wxcode": synth.maybe(t.openid, 0.3),
                },
                subject=t,
                dated=True,
            )
            rows.add(
                "user",
                {
                    "userId": f"U{100 + len(teachers):03d}",
                    "account": t.mobile,
                    "passWord": synth.md5_hex(),
                    "schoolId": school_id,
                    "employeeId": None,
                    "teacherPaperId": pid,
                    "supperAdmin": 0,
                    "schoolAdmin": 1 if g == 1 else 0,
                    "addTime": start,
                    "kind": 2,
                },
                subject=t,
            )
            cid = f"{school_id}-{g}-1"
            rows.add(
                "classes",
                {
                    "classesId": cid,
                    "grade": g,
                    "classes": 1,
                    "classesName": f"{g}年级1班" if style == 1 else ("小班", "中班", "大班")[g - 1],
                    "schoolId": int(school_id),
                    "headMaster": t.name_zh,
                },
            )
            rows.add(
                "classesteacher",
                {"id": len(teachers), "classesId": cid, "teacherPaperId": pid, "studySubjectId": 1 + g % 3},
            )
            for seat in range(1, r.randrange(8, 13)):
                lo = (age_lo + g - 1) if style == 1 else (2 + g)
                kid = _pupil(synth, lo, min(lo + 1, age_hi if style == 1 else 6))
                paper = _paper_id(synth, kid)
                sno = f"{school_id[2:]}{g}{seat:02d}"
                pupils.append((paper, sno, cid, kid))
                parent = synth.person("parent")
                rows.add(
                    "student",
                    {
                        "id": len(pupils),
                        "studentId": sno,
                        "studentPaperId": paper,
                        "studentName": kid.name_zh if r.random() > 0.04 else synth.trailing(kid.name_zh),
                        "tel": synth.maybe(parent.mobile, 0.3),
                        "address": synth.maybe(kid.address_zh, 0.6),
                        "schoolId": school_id,
                        "wxCode": synth.maybe(parent.openid, 0.4),
                        "regTime": synth.datetime_between(start, start + dt.timedelta(days=20)),
                    },
                    subject=kid,
                    dated=paper is not None,
                )
                rows.add("classesstudent", {"classesId": cid, "studentId": sno})
    tester = synth.test_account()
    rows.add(
        "student",
        {
            "id": len(pupils) + 1,
            "studentId": "test01",
            "studentPaperId": tester.ric,
            "studentName": tester.name_zh,
            "tel": tester.mobile,
            "address": None,
            "schoolId": "1001",
            "wxCode": None,
            "regTime": start,
        },
        subject=tester,
        dated=True,
    )

    _circles(synth, rows, teachers, pupils, start, now)
    return rows


def _circles(
    synth: Synth,
    rows: Rows,
    teachers: list[tuple[str, str, Person]],
    pupils: list[tuple[str | None, str, str, Person]],
    start: dt.datetime,
    now: dt.datetime,
) -> None:
    r = synth.rng
    put_id = notice_rec = hs_id = 1
    for n, (tpaper, school_id, _t) in enumerate(teachers[:5], start=1):
        cid = f"C{n:04d}"
        classes_id = f"{school_id}-{n}-1"
        rows.add(
            "circle",
            {
                "circleId": cid,
                "circleName": f"{n}年级好习惯圈",
                "circleClassId": "1",
                "schoolId": school_id,
                "classesId": classes_id,
                "buildTeacherPaperId": tpaper,
                "buildTime": start,
                "memo": "<p>坚持每天打卡，养成好习惯</p>",
                "picUrl": None,
                "closeMan": None,
                "closeTime": None,
                "closeReason": None,
            },
        )
        members = [p for p in pupils if p[2] == classes_id and p[0]]
        for k, (hid, hname, _cls) in enumerate(r.sample(_HABITS, 2), start=1):
            chid = f"{cid}-H{k}"
            rows.add(
                "circlehabit",
                {
                    "circleHabitId": chid,
                    "circleId": cid,
                    "sourceHabitId": hid,
                    "habitName": hname,
                    "memo": None,
                    "buildManPaperId": tpaper,
                    "buildTime": start,
                    "beginDate": start,
                    "endDate": start + dt.timedelta(days=120),
                    "putCardCoinPerTime": 2,
                },
            )
            for paper, _sno, _c, kid in members:
                rows.add(
                    "circlehabitstudent", {"id": hs_id, "circleHabitId": chid, "studentPaperId": paper}, subject=kid
                )
                hs_id += 1
                for day in range(r.randrange(0, 4)):
                    when = start + dt.timedelta(days=3 + day * 2, hours=11 + r.randrange(3))
                    if when > now:
                        break
                    done = r.random() < 0.8
                    rows.add(
                        "studentputcard",
                        {
                            "id": put_id,
                            "circleHabitId": chid,
                            "studentPaperId": paper,
                            "shouldPutCardDate": when.replace(hour=0),
                            "canGetGuodubi": 2,
                            "getGuodubi": 2 if done else 0,
                            "upperLimitGuodubi": 10,
                            "canGetScore": 1,
                            "getScore": 1 if done else 0,
                            "putCardTime": when if done else None,
                            "putCardMemo": synth.maybe(
                                r.choice(("今天读了《小王子》", "跳了210下！", "妈妈帮我拍的照片")), 0.5
                            )
                            if done
                            else None,
                            "putCardPicUrls": synth.photo_url("putcard") if done and r.random() < 0.7 else None,
                            "putCardaudioUrls": synth.photo_url("audio").rsplit(".", 1)[0] + ".mp3"
                            if done and r.random() < 0.2
                            else None,
                            "putCardvideoUrls": None,
                        },
                        subject=kid,
                    )
                    put_id += 1
        nid = f"N{n:04d}"
        rows.add(
            "teachernotice",
            {
                "teacherNoticeId": nid,
                "buildDate": start + dt.timedelta(days=5),
                "memo": r.choice(
                    ("明天下午家长会，请准时参加。", "周五春游，请带好水和帽子。", "本周请家长督促孩子每天阅读打卡。")
                ),
                "sendCircleIds": cid,
                "buildTeacherPaperId": tpaper,
            },
        )
        for paper, _sno, _c, kid in members:
            rows.add(
                "studentnoticereceived",
                {
                    "id": notice_rec,
                    "teacherNoticeId": nid,
                    "sendTime": start + dt.timedelta(days=5),
                    "receiveTime": synth.maybe(start + dt.timedelta(days=5, hours=3), 0.3),
                    "studentPaperId": paper,
                },
                subject=kid,
            )
            notice_rec += 1
    tpaper = teachers[0][0]
    rows.add(
        "teacherhabit",
        {
            "teacherHabitId": "TH1",
            "habitClassId": 2,
            "teacherHabitName": "课前预习",
            "teacherMemo": None,
            "buildTime": start,
            "buildManPaperId": tpaper,
        },
    )
    rows.add(
        "teacherhabitexam",
        {
            "teacherHabitExamId": "TE1",
            "includeCircleHabitIds": "C0001-H1,C0001-H2",
            "publishedTeacherPaperId": tpaper,
            "publishedDate": start + dt.timedelta(days=30),
            "examTitle": "九月习惯考核",
            "examMemo": None,
            "examBeginDate": start,
            "examEndDate": start + dt.timedelta(days=30),
            "totalScore": 100,
        },
    )
    rows.add(
        "studysubjectexamresult",
        {
            "subjectExamId": "X1",
            "studySubjectId": "2",
            "subjectExamName": "数学单元测验",
            "publishTeacherPaperId": tpaper,
            "publishCircleIds": "C0001",
            "examTime": start + dt.timedelta(days=25),
        },
    )
    sub = 1
    for paper, _sno, cid, kid in pupils:
        if cid.endswith("-1-1") and cid.startswith("1001") and paper:
            rows.add(
                "substudysubjectexamresult",
                {
                    "id": sub,
                    "subjectExamId": "X1",
                    "studentPaperId": paper,
                    "subjectExamClassId": 2,
                    "score": 100,
                    "getScore": r.randrange(60, 101),
                },
                subject=kid,
            )
            sub += 1
    for i, (paper, _sno, _cid, kid) in enumerate((p for p in pupils if p[0] and r.random() < 0.05), start=1):
        rows.add(
            "parenthabit",
            {
                "parentHabitId": f"PH{i}",
                "habitClassId": 5,
                "parentHabitName": "自己穿衣服",
                "buildHabitStudentPaperId": paper,
            },
            subject=kid,
        )
