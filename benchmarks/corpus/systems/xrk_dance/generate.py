"""Rows for xrk: a children's dance school run through a WeChat official account.

Parents follow the account (their WeChat profile lands in ``xrk_users``), buy a class card for a child
(``xrk_purchases``, the "pre-student"), and the school turns the purchase into a student placed in a
class; each lesson is a work-flow row per class, per student (attendance) and per card deduction.
Students are children (a few teenagers); the phone and openid on a student's row are the parent's.
Free-text age and time columns are filled the way staff type them.
"""

from __future__ import annotations

import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_SCHOOLS = (("望京校区", "北京市朝阳区望京西路48号金隅国际C座3层"), ("五道口校区", "北京市海淀区成府路28号优盛大厦2层"),
            ("亦庄校区", "北京市大兴区荣华中路10号亦城国际中心B座"))
_COURSES = ("中国舞", "芭蕾", "拉丁舞", "街舞")
_CITIES = (("北京", "中国", "北京"), ("Beijing", "China", "Beijing"), ("", "", ""))


def generate(synth: Synth) -> Rows:
    """Build the rows of one dance school with three teaching points."""
    r = synth.rng
    rows = Rows()
    now = dt.datetime.combine(synth.as_of, dt.time(20))
    start = now - dt.timedelta(days=300)

    def stamp() -> int:
        return int(synth.datetime_between(start, now).timestamp())

    def when() -> str:
        return synth.datetime_between(start, now).strftime("%Y-%m-%d %H:%M")

    def follower(p: Person) -> str:
        city, country, province = r.choice(_CITIES)
        rows.add("xrk_users", {"openid": p.openid, "unionid": synth.maybe(p.unionid, 0.6), "subscribe": 1,
                               "nickname": r.choice((p.name_zh, p.given_zh + "妈妈", "快乐每一天", "A" + p.first_en)),
                               "sex": 1 if p.sex == "M" else 2, "city": city, "country": country,
                               "province": province, "headimgurl": "https://thirdwx.qlogo.cn/mmopen/vi_32/"
                               + synth.token(60) + "/132", "language": "zh_CN", "subscribe_time": stamp(),
                               "remark": synth.maybe("老学员家长", 0.9)}, subject=p)
        return p.openid

    for i, (name, address) in enumerate(_SCHOOLS):
        leader = synth.person("staff")
        rows.add("xrk_schools", {"schoolid": i + 1, "schoolname": name, "schooladdress": address,
                                 "schoolleader": leader.name_zh, "schoolmobile": leader.mobile,
                                 "schooldetails": "周末及工作日晚间上课", "schoolactive": 1})
        admin = synth.person("staff")
        rows.add("xrk_schooladmins", {"schooladminid": i + 1, "schooladminname": admin.name_zh,
                                      "schooladminmobile": admin.mobile,
                                      "schooladminusex": 1 if admin.sex == "M" else 2,
                                      "schoolid": i + 1, "schooladminopenid": follower(admin), "schooladminactive": 1},
                 subject=admin)
    teachers: list[int] = []
    for i in range(6):
        t = synth.person("staff")
        rows.add("xrk_teachers", {"teacherid": i + 1, "teachername": t.name_zh, "teachermobile": t.mobile,
                                  "teacherusex": 1 if t.sex == "M" else 2,
                                  "teacherdetails": f"{r.choice(('北京舞蹈学院', '中国艺术职业学院'))}毕业，"
                                                    f"教龄{r.randrange(2, 15)}年",
                                  "schoolid": i % 3 + 1, "teacheropenid": follower(t) if r.random() < 0.7 else None,
                                  "teacheractive": 1 if i < 5 else 0}, subject=t)
        teachers.append(i + 1)
    for i, course in enumerate(_COURSES):
        rows.add("xrk_courses", {"courseid": i + 1, "coursename": course, "coursedetails": f"{course}少儿启蒙与考级",
                                 "courseactive": 1})
        rows.add("xrk_classcards", {"classcardid": i + 1, "classcardname": f"{course}48次卡", "classcardprice": 4800,
                                    "classcardtimes": 48, "classcardtime": 90, "courseid": i + 1, "classcardactive": 1})
    classes: list[tuple[int, int, int]] = []  # (class id, school id, teacher id)
    for i in range(8):
        school, teacher = i % 3 + 1, teachers[i % 5]
        rows.add("xrk_classes", {"classid": i + 1, "classname": f"{_COURSES[i % 4]}{'初中高'[i % 3]}级{i + 1}班",
                                 "classdate": r.choice(("周六", "周日", "周三、周五")), "classtime": "09:00-10:30",
                                 "classnumusers": 0, "classmaxnumusers": 20, "courseid": i % 4 + 1,
                                 "teacherid": teacher, "schoolid": school, "classactive": 1})
        classes.append((i + 1, school, teacher))

    # Parents buy cards for their children; most purchases become students.
    students: list[tuple[int, Person]] = []
    for i in range(90):
        kid = synth.person("child" if r.random() < 0.9 else "teen")
        parent = synth.person("parent")
        openid = follower(parent)
        mobile = parent.mobile
        if r.random() < 0.05:
            mobile = synth.trailing(mobile)
        elif r.random() < 0.04:
            mobile = synth.fullwidth(mobile)
        age = synth.age(kid)
        age_text = r.choice((f"{age}岁", str(age), f"{age}周岁", f"{age}岁半"))
        card = r.randrange(4) + 1
        paid = r.random() < 0.85
        rows.add("xrk_purchases", {"purchaseid": i + 1, "purchasename": kid.name_zh, "purchasemobile": mobile,
                                   "purchaseusex": 1 if kid.sex == "M" else 2, "purchaseage": age_text,
                                   "purchasedetails": synth.maybe(r.choice(("有一年民族舞基础", "性格内向，想锻炼胆量",
                                                                            "有轻微哮喘，注意运动量")), 0.6),
                                   "classcardid": card, "purchaseaddress": _SCHOOLS[i % 3][1],
                                   "purchasedatatime": r.choice(("周六上午", "周日下午", "工作日晚上")),
                                   "schoolid": i % 3 + 1, "purchaseopenid": openid,
                                   "paydetails": "微信支付" if paid else None,
                                   "paytime": when() if paid else None, "purchaseactive": int(paid)}, subject=kid)
        if paid:
            class_id, school, _ = classes[i % len(classes)]
            used = r.randrange(0, 30)
            rows.add("xrk_students", {"studentid": len(students) + 1, "studentname": kid.name_zh,
                                      "studentmobile": mobile, "studentusex": 1 if kid.sex == "M" else 2,
                                      "studentage": age_text, "classcardid": card, "classid": class_id,
                                      "schoolid": school, "purchaseid": i + 1,
                                      "studentopenid": openid if r.random() < 0.8 else None,
                                      "studenttimes": 48 - used, "studentmaxtimes": 48,
                                      "studentactive": 1 if used < 45 else 0}, subject=kid)
            students.append((len(students) + 1, kid))
    for t in (synth.test_account(), synth.test_account()):
        follower(t)

    # Lessons: one work-flow row per class session, attendance per student, card deductions.
    work_n = ws_n = wt_n = 0
    for class_id, _, teacher in classes:
        members = [s for s in students if (s[0] - 1) % len(classes) == class_id - 1]
        for week in range(6):
            work_n += 1
            day = synth.as_of - dt.timedelta(days=7 * week + 2)
            rows.add("xrk_workclasses", {"workclassid": work_n, "classid": class_id, "teacherid": teacher,
                                         "workclasstime": f"{day} 09:00", "workclassactive": 0})
            for sid, kid in members:
                ws_n += 1
                status = r.choices((0, 1, 2), weights=(85, 10, 5))[0]
                rows.add("xrk_workstudents", {"workstudentid": ws_n, "workclassid": work_n, "studentid": sid,
                                              "workstudentstatus": status,
                                              "workstudentdetails": "发烧请假" if status == 1 and r.random() < 0.5
                                              else None}, subject=kid)
                if status == 0:
                    wt_n += 1
                    left = r.randrange(1, 48)
                    rows.add("xrk_workstudenttimes", {"workstudenttimeid": wt_n, "studentid": sid,
                                                      "teacherid": teacher, "studentpretimes": left + 1,
                                                      "studentcurtimes": left, "workstudenttime": f"{day} 10:30"},
                             subject=kid)
    return rows
