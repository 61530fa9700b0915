"""Rows for KGMS (智慧幼儿园成长管理系统): one kindergarten in its first term on the system.

A kindergarten of six classes (小班/中班/大班, children aged 3-6), their parents as WeChat mini-program
users, teachers and a principal; daily growth records, photos, attendance with pick-up people, a few
private messages and monthly reports. Most optional columns stay empty, as a young install leaves them:
few ID numbers entered, few medical notes, no videos generated yet, no AI profiles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth

_CLASSES = (("小班", "星星班", 3), ("小班", "月亮班", 3), ("中班", "阳光班", 4), ("中班", "彩虹班", 4),
            ("大班", "向日葵班", 5), ("大班", "海豚班", 5))
_RELATIONS = ("爸爸", "妈妈", "爷爷", "奶奶", "外公", "外婆")
_EMOTIONS = ("开心", "平静", "低落", "哭闹")
_MEALS = ("食欲良好，全部吃完", "吃了一半", "挑食，没吃青菜", "添饭一次", "需要老师喂")
_SLEEP = ("好", "一般", "差")


def _kid(synth: Synth, age: int) -> Person:
    """A kindergarten child who turns ``age`` this school year (the synth's child range is 3-13)."""
    p = synth.person("child")
    born = dt.date(synth.as_of.year - age - 1, 9, 1) + dt.timedelta(days=synth.rng.randrange(365))
    rid = synth.ric_for(born, p.sex)
    return dataclasses.replace(p, dob=born, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def _sid(prefix: str, n: int) -> str:
    return f"{prefix}{n:06d}"


def generate(synth: Synth) -> Rows:
    """Build the rows of one kindergarten using KGMS."""
    r = synth.rng
    rows = Rows()
    term = dt.date(synth.as_of.year if synth.as_of.month >= 9 else synth.as_of.year - 1, 9, 1)
    now = dt.datetime.combine(synth.as_of, dt.time(17, 30))

    def ts() -> str:
        return synth.datetime_between(term, now).strftime("%Y-%m-%d %H:%M:%S")

    ids = {"user": 0}

    def add_user(p: Person | None, user_type: int, **extra: Any) -> str:
        ids["user"] += 1
        uid = _sid("u", ids["user"])
        row: dict[str, Any] = {"id": ids["user"], "user_id": uid, "user_type": user_type, "status": 1,
                               "create_time": ts(), "deleted": 0}
        if p is not None:
            phone = p.mobile if r.random() > 0.05 else synth.trailing(p.mobile)
            row |= {"username": p.mobile, "password": synth.md5_hex(), "phone": phone,
                    "nickname": synth.maybe(p.name_zh if user_type != 1 else p.given_zh + "妈妈", 0.3),
                    "avatar": synth.maybe(synth.photo_url("avatar"), 0.4),
                    "wechat_openid": synth.maybe(p.openid, 0.2 if user_type == 1 else 0.6),
                    "wechat_unionid": synth.maybe(p.unionid, 0.7),
                    "last_login_time": ts()}
        row |= extra
        rows.add("t_sys_user", row, subject=p)
        return uid

    # Admin, test accounts, principal.
    add_user(None, 4, username="admin", password=synth.md5_hex(), nickname="系统管理员")
    for _ in range(2):
        t = synth.test_account()
        add_user(t, r.choice((1, 2)), nickname=t.name_zh)
    principal = synth.person("staff")
    principal_uid = add_user(principal, 3)
    rows.add("t_org_kindergarten", {"id": 1, "kg_id": "kg_001", "kg_name": "阳光幼儿园",
                                    "kg_address": "北京市朝阳区建国路88号", "kg_phone": "010-65123456",
                                    "logo_url": "https://static.kids-demo.com/logo.png",
                                    "principal_id": principal_uid, "status": 1, "create_time": ts()})

    # Teachers: two per class plus a nurse.
    teachers: list[tuple[str, str, Person]] = []
    for i in range(len(_CLASSES) * 2 + 1):
        p = synth.person("staff")
        uid = add_user(p, 2)
        tid = _sid("t", i + 1)
        cls = _sid("c", i // 2 + 1) if i < len(_CLASSES) * 2 else None
        rows.add("t_teacher_info", {
            "id": i + 1, "teacher_id": tid, "user_id": uid, "class_id": cls,
            "teacher_no": f"T{i + 1:03d}", "teacher_name": p.name_zh, "phone": synth.maybe(p.mobile, 0.2),
            "position": "保健医" if cls is None else ("主班" if i % 2 == 0 else "副班"),
            "department": "保健室" if cls is None else "教学部",
            "hire_date": synth.maybe(synth.date_between(dt.date(2012, 1, 1), term).isoformat(), 0.3),
            "create_time": ts()}, subject=p)
        teachers.append((tid, uid, p))
    for i, (grade, name, _) in enumerate(_CLASSES):
        rows.add("t_class_info", {"id": i + 1, "class_id": _sid("c", i + 1), "kg_id": "kg_001", "class_name": name,
                                  "grade": grade, "head_teacher_id": teachers[2 * i][1], "capacity": 30,
                                  "student_count": 0, "status": 1, "create_time": ts()})

    # Children and their parents.
    kids: list[tuple[str, str, Person, str]] = []  # (student_id, class_id, child, parent user id)
    parent_n = 0
    for i in range(120):
        ci = i % len(_CLASSES)
        kid = _kid(synth, _CLASSES[ci][2])
        sid, cls = _sid("s", i + 1), _sid("c", ci + 1)
        id_card: str | None = None
        roll = r.random()
        if roll < 0.25:
            id_card = kid.ric
        elif roll < 0.28:
            id_card = kid.ric15
        elif roll < 0.30:
            id_card = synth.excel_id(kid.ric)
        elif roll < 0.32:
            id_card = synth.fullwidth(kid.ric)
        parents = [synth.person("parent") for _ in range(1 if r.random() < 0.6 else 2)]
        row = {
            "id": i + 1, "student_id": sid, "student_name": kid.name_zh if r.random() > 0.04
            else synth.trailing(kid.name_zh), "gender": 1 if kid.sex == "M" else 2,
            "birthday": kid.dob.isoformat(), "id_card": id_card,
            "avatar": synth.maybe(synth.photo_url("student"), 0.5), "class_id": cls,
            "enroll_date": term.isoformat(), "status": 1 if r.random() > 0.05 else 0,
            "allergy_info": json.dumps([synth.allergy_zh()], ensure_ascii=False) if r.random() < 0.12 else None,
            "medical_history": json.dumps([synth.medical_note_zh()], ensure_ascii=False) if r.random() < 0.05
            else None,
            "height_weight": json.dumps({"height": round(r.uniform(92, 122), 1), "weight": round(r.uniform(13, 24), 1),
                                         "date": term.isoformat()}) if r.random() < 0.3 else None,
            "home_address": synth.maybe(kid.address_zh, 0.6),
            "emergency_contact": synth.maybe(parents[0].name_zh, 0.5),
            "emergency_phone": synth.maybe(parents[0].mobile, 0.5), "create_time": ts()}
        rows.add("t_student_info", row, subject=kid, dated=True)
        first_uid = ""
        for j, par in enumerate(parents):
            parent_n += 1
            uid = add_user(par, 1)
            first_uid = first_uid or uid
            rows.add("t_parent_info", {
                "id": parent_n, "parent_id": _sid("p", parent_n), "user_id": uid, "student_id": sid,
                "parent_name": synth.maybe(par.name_zh, 0.2), "phone": par.mobile,
                "relation_type": ("妈妈" if par.sex == "F" else "爸爸") if j == 0 else r.choice(_RELATIONS),
                "is_emergency": 1 if j == 0 else 0, "create_time": ts()}, subject=kid)
        kids.append((sid, cls, kid, first_uid))

    # Courses and the timetable.
    for i, (cname, ctype) in enumerate((("创意美术", "艺术"), ("科学探索", "科学"), ("绘本阅读", "语言"),
                                        ("体能游戏", "运动"), ("社会交往", "社会"), ("健康习惯", "健康"))):
        rows.add("t_course", {"id": i + 1, "course_id": _sid("k", i + 1), "kg_id": "kg_001", "course_name": cname,
                              "course_type": ctype, "age_group": r.choice(("小班", "中班", "大班")),
                              "teacher_id": teachers[i][0], "duration": 30, "status": 1, "create_time": ts()})
    n = 0
    for ci in range(len(_CLASSES)):
        for weekday in range(1, 6):
            for slot in ("上午", "下午"):
                n += 1
                rows.add("t_class_schedule", {"id": n, "schedule_id": _sid("sch", n), "class_id": _sid("c", ci + 1),
                                              "week_day": weekday, "time_slot": slot,
                                              "course_id": _sid("k", r.randrange(6) + 1),
                                              "teacher_id": teachers[2 * ci][0], "classroom": f"{ci + 1}0{weekday}室",
                                              "create_time": ts()})

    # Daily growth records and photos for the last two weeks, for part of the children.
    rec_n = photo_n = 0
    days = [synth.as_of - dt.timedelta(days=d) for d in range(1, 15) if (synth.as_of - dt.timedelta(days=d)).weekday()
            < 5]
    for sid, cls, kid, _ in kids[:48]:
        teacher_uid = teachers[2 * (int(cls[1:]) - 1)][1]
        for day in r.sample(days, 3):
            rec_n += 1
            rid = _sid("r", rec_n)
            photos = [synth.photo_url("growth") for _ in range(r.randrange(0, 3))]
            rows.add("t_growth_record", {
                "id": rec_n, "record_id": rid, "student_id": sid, "record_date": day.isoformat(),
                "teacher_id": teacher_uid, "class_id": cls,
                "course_record": json.dumps({"course": "绘本阅读", "performance": "认真听讲"}, ensure_ascii=False),
                "course_photos": json.dumps(photos) if photos else None, "emotion_type": r.choice(_EMOTIONS),
                "breakfast": r.choice(_MEALS), "lunch": r.choice(_MEALS), "snack": synth.maybe("吃完", 0.5),
                "allergy_flag": 0, "sleep_time": synth.maybe(f"12:{r.randrange(10, 50)}", 0.3),
                "sleep_quality": r.choice(_SLEEP), "sleep_note": synth.maybe("午睡踢被子，已盖好", 0.9),
                "activity_type": r.choice(("户外活动", "区角游戏", "音乐律动")),
                "temperature": f"{r.choice((36.2, 36.5, 36.6, 36.8, 37.1, 37.6))}",
                "health_status": r.choice(("正常", "正常", "正常", "咳嗽", "流鼻涕")),
                "health_note": synth.maybe(synth.medical_note_zh(), 0.9),
                "overall_note": synth.maybe(f"{kid.given_zh}今天表现很好，积极参与活动。", 0.3),
                "publish_status": 1, "publish_time": f"{day} 16:30:00", "create_time": f"{day} 16:00:00"},
                subject=kid)
            for url in photos:
                photo_n += 1
                rows.add("t_growth_photo", {"id": photo_n, "photo_id": _sid("ph", photo_n), "student_id": sid,
                                            "record_id": rid, "photo_type": "课程", "photo_url": url,
                                            "thumbnail_url": url.replace(".", "_thumb.", 1),
                                            "photo_time": f"{day} 10:{r.randrange(10, 59)}:00",
                                            "take_by": teacher_uid,
                                            "tags": json.dumps(["开心", "户外"], ensure_ascii=False),
                                            "create_time": f"{day} 16:00:00"}, subject=kid)

    # Attendance with check-in photos and pick-up people.
    att = 0
    for sid, cls, kid, parent_uid in kids[:60]:
        for day in days[:5]:
            att += 1
            absent = r.random() < 0.08
            rows.add("t_attendance", {
                "id": att, "attendance_id": _sid("a", att), "student_id": sid, "class_id": cls, "kg_id": "kg_001",
                "attendance_date": day.isoformat(),
                "check_in_time": None if absent else f"08:{r.randrange(0, 45):02d}:00",
                "check_in_photo": None if absent else synth.maybe(synth.photo_url("checkin"), 0.5),
                "check_out_time": None if absent else f"17:{r.randrange(0, 30):02d}:00",
                "status": "LEAVE" if absent else r.choice(("NORMAL", "NORMAL", "NORMAL", "LATE")),
                "leave_type": "SICK" if absent else None, "leave_reason": "发烧38.5度，在家休息" if absent else None,
                "pickup_person": None if absent else synth.maybe(synth.person("adult").name_zh, 0.6),
                "pickup_relation": None if absent else synth.maybe(r.choice(_RELATIONS), 0.6),
                "apply_by": parent_uid if absent else None, "approve_status": "APPROVED",
                "create_time": f"{day} 08:00:00"}, subject=kid)
    for i, (tid, _, p) in enumerate(teachers[:8]):
        lat, lon = synth.coordinates()
        rows.add("t_teacher_attendance", {"id": i + 1, "record_id": _sid("ta", i + 1), "teacher_id": tid,
                                          "attendance_date": days[0].isoformat(), "check_in_time": "07:50:00",
                                          "check_in_location": f"{lat},{lon}", "status": "NORMAL",
                                          "create_time": f"{days[0]} 07:50:00"}, subject=p)

    # Conversations and private messages between parents and head teachers.
    msg = 0
    for i, (_, cls, kid, parent_uid) in enumerate(kids[:10]):
        conv = _sid("cv", i + 1)
        teacher_uid = teachers[2 * (int(cls[1:]) - 1)][1]
        text = synth.parent_message_zh(kid)
        rows.add("t_conversation", {"id": i + 1, "conversation_id": conv, "conversation_type": "PRIVATE",
                                    "member_ids": json.dumps([parent_uid, teacher_uid]), "member_count": 2,
                                    "owner_id": parent_uid, "last_message": text, "last_message_time": ts(),
                                    "is_muted": 0, "create_time": ts()})
        for sender, receiver, body in ((parent_uid, teacher_uid, text), (teacher_uid, parent_uid, "收到，谢谢家长。")):
            msg += 1
            rows.add("t_message", {"id": msg, "message_id": _sid("m", msg), "conversation_id": conv,
                                   "sender_id": sender, "sender_type": "PARENT" if sender == parent_uid else "TEACHER",
                                   "receiver_id": receiver,
                                   "receiver_type": "TEACHER" if sender == parent_uid else "PARENT",
                                   "message_type": "TEXT", "content": body, "is_read": 1, "create_time": ts()})
        rows.add("t_message_record", {"id": i + 1, "msg_id": _sid("mr", i + 1), "msg_type": "成长记录",
                                      "receiver_id": parent_uid, "title": f"{kid.given_zh}的今日成长记录已发布",
                                      "content": "点击查看宝宝今天的表现", "push_status": 1, "push_time": ts(),
                                      "read_status": r.randrange(2), "channel": "小程序", "create_time": ts()})

    # A notice, monthly reports for one class, a template, config, roles and logs.
    rows.add("t_notice", {"id": 1, "notice_id": "n000001", "kg_id": "kg_001", "title": "国庆节放假通知",
                          "content": "10月1日至7日放假，请家长做好安排。", "notice_type": "系统公告",
                          "target_type": "全体",
                          "publish_by": principal_uid, "publish_time": ts(), "status": 1, "create_time": ts()})
    for i, (sid, _, kid, _) in enumerate(kids[:20:6]):
        rows.add("t_monthly_report", {"id": i + 1, "report_id": _sid("mr", i + 1), "student_id": sid,
                                      "report_month": f"{term.year}-{term.month:02d}",
                                      "attendance_days": r.randrange(15, 22),
                                      "total_days": 22, "teacher_summary": synth.teacher_comment_zh(), "status": 2,
                                      "create_time": ts()}, subject=kid)
    rows.add("t_record_template", {"id": 1, "template_id": "tpl001", "template_name": "午餐记录",
                                   "content": "今天午餐{name}吃了{amount}", "scenario": "diet", "is_default": 1,
                                   "use_count": 0, "create_by": principal_uid, "create_time": ts()})
    rows.add("t_system_config", {"id": 1, "config_id": "cfg001", "config_key": "record.publish.time",
                                 "config_value": "16:30", "config_type": "STRING", "is_enabled": 1,
                                 "create_time": ts()})
    roles = (("PARENT", "家长"), ("TEACHER", "老师"), ("PRINCIPAL", "园长"), ("ADMIN", "管理员"))
    for i, (code, name) in enumerate(roles):
        rows.add("t_role", {"id": i + 1, "role_id": _sid("role", i + 1), "role_name": name, "role_code": code,
                            "is_system": 1, "status": 1, "create_time": ts()})
    for i, (_, uid, p) in enumerate(teachers[:5]):
        rows.add("t_user_role", {"id": i + 1, "user_id": uid, "role_id": _sid("role", 2), "create_time": ts()},
                 subject=p)
    for i in range(30):
        tid, uid, p = r.choice(teachers)
        rows.add("t_operation_log", {"id": i + 1, "log_id": _sid("log", i + 1), "user_id": uid, "username": p.mobile,
                                     "operation": r.choice(("发布成长记录", "上传照片", "登录")),
                                     "method": "POST /api/record/save", "ip": synth.ip4(),
                                     "duration": r.randrange(5, 400),
                                     "status": 1, "create_time": ts()}, subject=p)
    return rows
