"""Rows for Moodle as a bilingual K-12 school in China runs it (primary and lower secondary).

One site: the guest and admin accounts Moodle always creates (ids 1 and 2), teachers, pupils of grades
3-9 (ages 8-15), and parents with the custom "Parent" role assigned in their child's user context.
Pupils' dates of birth live in a custom profile field (Moodle has no DOB column); student numbers are
in ``idnumber``. Classes are groups, year groups are cohorts. Eight courses with an assignment, a quiz
and a forum each; submissions, grades, quiz attempts, forum posts, parent-teacher messages,
notifications, completions, files and the standard log. Most optional profile columns stay empty, as
schools leave them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth

_SCHEMA = json.loads(Path(__file__).with_name("schema.json").read_text(encoding="utf-8"))
_NUMERIC = ("int", "tinyint", "smallint", "mediumint", "bigint", "decimal", "double")
_BLANKS: dict[str, dict[str, Any]] = {
    t["name"]: {c["name"]: 0 if c["type"].startswith(_NUMERIC) else "" for c in t["columns"] if not c["nullable"]}
    for t in _SCHEMA["tables"]
}
_ROLES = (("manager", "manager"), ("coursecreator", "coursecreator"), ("editingteacher", "editingteacher"),
          ("teacher", "teacher"), ("student", "student"), ("guest", "guest"), ("user", "user"),
          ("frontpage", "frontpage"), ("parent", ""))
_SUBJECTS = ("English", "Chinese", "Mathematics", "Science", "History", "Geography", "Art", "Music")
_CTX_SYSTEM, _CTX_USER, _CTX_CATEGORY, _CTX_COURSE, _CTX_MODULE = 10, 30, 40, 50, 70


def _unix(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())


def _pupil(synth: Synth, grade: int) -> Person:
    """A pupil of ``grade`` (3-9): aged grade+5 or grade+6 this school year."""
    p = synth.person("child" if grade <= 7 else "teen")
    year = synth.as_of.year if synth.as_of.month >= 9 else synth.as_of.year - 1
    born = dt.date(year - grade - 6, 9, 1) + dt.timedelta(days=synth.rng.randrange(365))
    rid = synth.ric_for(born, p.sex)
    return dataclasses.replace(p, dob=born, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid)


def generate(synth: Synth) -> Rows:
    """Build the rows of one school's Moodle site."""
    r = synth.rng
    rows = Rows()
    year = synth.as_of.year if synth.as_of.month >= 9 else synth.as_of.year - 1
    term = dt.datetime(year, 9, 1, 8)
    now = dt.datetime.combine(synth.as_of, dt.time(18))
    counters: dict[str, int] = {}

    def opt(value: str, p_empty: float) -> str:
        """Moodle's optional profile fields are NOT NULL: unset means ''."""
        return "" if r.random() < p_empty else value

    def ts(start: dt.datetime = term) -> int:
        return _unix(synth.datetime_between(start, now))

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> int:
        counters[table] = counters.get(table, 0) + 1
        full = _BLANKS[table] | {"id": counters[table]} | row
        rows.add(table, full, subject=subject, dated=dated)
        return int(full["id"])

    def add_ctx(level: int, instance: int, parent: str, depth: int) -> tuple[int, str]:
        ctx_id = counters.get("mdl_context", 0) + 1
        path = f"{parent}/{ctx_id}"
        add("mdl_context", {"contextlevel": level, "instanceid": instance, "path": path, "depth": depth})
        return ctx_id, path

    # Roles, system context, categories, the site course.
    for i, (short, archetype) in enumerate(_ROLES):
        add("mdl_role", {"name": "Parent" if short == "parent" else "", "shortname": short,
                         "description": "Parents and guardians of pupils" if short == "parent" else "",
                         "sortorder": i + 1, "archetype": archetype})
    role = {short: i + 1 for i, (short, _) in enumerate(_ROLES)}
    _, system_path = add_ctx(_CTX_SYSTEM, 0, "", 1)
    category_paths: list[str] = []
    for i, (name, level) in enumerate((("Primary School", "Grades 3-5"), ("Middle School", "Grades 6-9"))):
        cat = add("mdl_course_categories", {"name": name, "description": level, "sortorder": 10000 * (i + 1),
                                            "coursecount": 4, "visible": 1, "visibleold": 1, "timemodified": ts(),
                                            "depth": 1, "path": f"/{i + 1}"})
        category_paths.append(add_ctx(_CTX_CATEGORY, cat, system_path, 2)[1])
    add("mdl_course", {"category": 0, "fullname": "Riverside Bilingual School", "shortname": "RBS",
                       "format": "site", "visible": 1, "timecreated": ts(), "timemodified": ts()})
    for m in ("assign", "quiz", "forum"):
        add("mdl_modules", {"name": m, "visible": 1})

    # People: guest, admin, teachers, pupils, parents (user ids follow insertion order).
    users: dict[str, list[tuple[int, Person]]] = {"teacher": [], "pupil": [], "parent": []}
    user_ctx: dict[int, int] = {}

    def add_user(p: Person | None, username: str, **extra: Any) -> int:
        row: dict[str, Any] = {"auth": "manual", "confirmed": 1, "mnethostid": 1, "username": username,
                               "password": synth.bcrypt(), "lang": "en", "calendartype": "gregorian",
                               "timecreated": ts(), "timemodified": ts(), "maildisplay": 2, "mailformat": 1,
                               "autosubscribe": 1}
        if p is not None:
            row |= {"firstname": p.first_en, "lastname": p.last_en, "email": p.email, "city": "Beijing",
                    "country": "CN", "timezone": "Asia/Shanghai", "firstaccess": ts(), "lastaccess": ts(),
                    "lastlogin": ts(), "currentlogin": ts(), "lastip": synth.ip4()}
        uid = add("mdl_user", row | extra, subject=p)
        user_ctx[uid] = add_ctx(_CTX_USER, uid, system_path, 2)[0]
        return uid

    add_user(None, "guest", auth="manual", firstname="Guest user", lastname=" ", email="root@localhost",
             password=synth.bcrypt(), description="This user is a special user that allows read-only access.")
    admin = synth.person("staff")
    add_user(admin, "admin", firstname="Admin", lastname="User", email=admin.email)
    for i in range(16):
        p = synth.person("staff")
        uid = add_user(p, f"{p.first_en.lower()}.{p.last_en.lower().replace(chr(39), '')}{i}",
                       idnumber=f"T{2000 + i}", phone1=opt(p.mobile, 0.6), department="Teaching",
                       institution="Riverside Bilingual School",
                       alternatename=opt(p.name_zh, 0.5))
        users["teacher"].append((uid, p))
    pupils_by_grade: dict[int, list[tuple[int, Person]]] = {}
    for i in range(168):
        grade = 3 + i % 7
        p = _pupil(synth, grade)
        number = f"{year - grade + 3}{i + 1:04d}"
        idnumber = number if r.random() > 0.04 else synth.excel_id(number + "0" * 8)
        first = p.first_en if r.random() > 0.05 else synth.trailing(p.first_en)
        uid = add_user(p, f"s{number}", idnumber=idnumber, firstname=first,
                       email=opt(f"s{number}@students.rbs.example.cn", 0.3),
                       alternatename=opt(p.name_zh, 0.3), department=f"Grade {grade}",
                       description=synth.maybe(synth.medical_note_en(), 0.95))
        users["pupil"].append((uid, p))
        pupils_by_grade.setdefault(grade, []).append((uid, p))
    for i, (pupil_uid, pupil) in enumerate(users["pupil"][:70]):
        p = synth.person("parent")
        phone = p.mobile if i % 17 else synth.fullwidth(p.mobile)
        uid = add_user(p, p.email.split("@")[0] + str(i), email=p.email, phone1=opt(phone, 0.3),
                       firstname=p.first_en, lastname=pupil.last_en)
        users["parent"].append((uid, p))
        add("mdl_role_assignments", {"roleid": role["parent"], "contextid": user_ctx[pupil_uid],
                                     "userid": uid, "timemodified": ts(), "modifierid": 2}, subject=p)
    for t in (synth.test_account(), synth.test_account()):
        add_user(t, r.choice(("teststudent", "student1", "demo")) + str(counters["mdl_user"]),
                 firstname="Test", lastname="Student", email=t.email)

    # Custom profile fields: date of birth (pupils), year group, emergency contact.
    add("mdl_user_info_category", {"name": "School information", "sortorder": 1})
    for i, (short, name, dtype) in enumerate((("dob", "Date of birth", "datetime"), ("yeargroup", "Year group", "menu"),
                                              ("emergency", "Emergency contact", "text"))):
        add("mdl_user_info_field", {"shortname": short, "name": name, "datatype": dtype, "categoryid": 1,
                                    "sortorder": i + 1, "visible": 1, "param1": "Grade 3\nGrade 4\nGrade 5"
                                    if short == "yeargroup" else None})
    for uid, p in users["pupil"]:
        if r.random() < 0.8:
            add("mdl_user_info_data", {"userid": uid, "fieldid": 1,
                                       "data": str(_unix(dt.datetime.combine(p.dob, dt.time(12))))},
                subject=p, dated=True)
        add("mdl_user_info_data", {"userid": uid, "fieldid": 2, "data": f"Grade {3 + (uid % 7)}"}, subject=p)
        if r.random() < 0.15:
            add("mdl_user_info_data", {"userid": uid, "fieldid": 3,
                                       "data": f"{synth.person('parent').name_en} {synth.mobile()}"}, subject=p)

    # Courses with their contexts, manual enrolment, a group per class, cohorts per grade.
    courses: list[tuple[int, int, int]] = []  # (course id, context id, enrol id)
    course_paths: list[str] = []
    sections: list[list[int]] = []
    for i, subject in enumerate(_SUBJECTS):
        cid = add("mdl_course", {"category": 1 + (i % 2), "sortorder": 10001 + i, "fullname": f"{subject} (Grade 3-9)",
                                 "shortname": subject[:4].upper() + str(year), "format": "topics", "showgrades": 1,
                                 "newsitems": 5, "startdate": _unix(term), "visible": 1, "visibleold": 1,
                                 "enablecompletion": 1, "timecreated": ts(), "timemodified": ts(), "cacherev": ts()})
        ctx, course_path = add_ctx(_CTX_COURSE, cid, category_paths[i % 2], 3)
        course_paths.append(course_path)
        eid = add("mdl_enrol", {"enrol": "manual", "status": 0, "courseid": cid, "roleid": role["student"],
                                "timecreated": ts(), "timemodified": ts()})
        courses.append((cid, ctx, eid))
        sections.append([add("mdl_course_sections", {"course": cid, "section": n, "name": f"Unit {n}" if n else None,
                                                     "summaryformat": 1, "visible": 1, "timemodified": ts()})
                         for n in range(3)])
    for grade, members in pupils_by_grade.items():
        coh = add("mdl_cohort", {"contextid": 1, "name": f"Grade {grade} {year}", "idnumber": f"G{grade}-{year}",
                                 "visible": 1, "timecreated": ts(), "timemodified": ts()})
        for uid, p in members:
            add("mdl_cohort_members", {"cohortid": coh, "userid": uid, "timeadded": ts()}, subject=p)

    # Enrolments, roles, groups and each course's activities.
    for ci, (cid, ctx, eid) in enumerate(courses):
        teacher_uid, teacher = users["teacher"][ci * 2]
        add("mdl_role_assignments", {"roleid": role["editingteacher"], "contextid": ctx, "userid": teacher_uid,
                                     "timemodified": ts(), "modifierid": 2}, subject=teacher)
        add("mdl_user_enrolments", {"status": 0, "enrolid": eid, "userid": teacher_uid, "timestart": _unix(term),
                                    "modifierid": 2, "timecreated": ts(), "timemodified": ts()}, subject=teacher)
        enrolled = [pp for pp in users["pupil"] if r.random() < 0.35]
        gid = add("mdl_groups", {"courseid": cid, "idnumber": "", "name": f"Class {ci + 1}A", "timecreated": ts(),
                                 "timemodified": ts()})
        for uid, p in enrolled:
            add("mdl_user_enrolments", {"status": 0 if r.random() > 0.03 else 1, "enrolid": eid, "userid": uid,
                                        "timestart": _unix(term), "modifierid": teacher_uid, "timecreated": ts(),
                                        "timemodified": ts()}, subject=p)
            add("mdl_role_assignments", {"roleid": role["student"], "contextid": ctx, "userid": uid,
                                         "timemodified": ts(), "modifierid": teacher_uid}, subject=p)
            add("mdl_groups_members", {"groupid": gid, "userid": uid, "timeadded": ts()}, subject=p)
            add("mdl_user_lastaccess", {"userid": uid, "courseid": cid, "timeaccess": ts()}, subject=p)
        # Assignment.
        aid = add("mdl_assign", {"course": cid, "name": f"{_SUBJECTS[ci]} project", "intro": "Hand in your project.",
                                 "introformat": 1, "duedate": ts(), "grade": 100, "timemodified": ts(),
                                 "attemptreopenmethod": "none", "maxattempts": -1, "submissiondrafts": 1})
        cm = add("mdl_course_modules", {"course": cid, "module": 1, "instance": aid, "section": sections[ci][2],
                                        "added": ts(), "visible": 1, "visibleoncoursepage": 1, "completion": 1})
        module_ctx = add_ctx(_CTX_MODULE, cm, course_paths[ci], 4)[0]
        item = add("mdl_grade_items", {"courseid": cid, "itemname": f"{_SUBJECTS[ci]} project", "itemtype": "mod",
                                       "itemmodule": "assign", "iteminstance": aid, "itemnumber": 0, "gradetype": 1,
                                       "grademax": 100, "grademin": 0, "multfactor": 1, "display": 0,
                                       "sortorder": 1, "timecreated": ts(), "timemodified": ts()})
        # Quiz and forum.
        qid = add("mdl_quiz", {"course": cid, "name": f"{_SUBJECTS[ci]} check-up quiz", "intro": "",
                               "preferredbehaviour": "deferredfeedback", "overduehandling": "autosubmit",
                               "navmethod": "free", "sumgrades": 10, "grade": 10, "questionsperpage": 1,
                               "timecreated": ts(), "timemodified": ts()})
        add("mdl_course_modules", {"course": cid, "module": 2, "instance": qid, "section": sections[ci][2],
                                   "added": ts(), "visible": 1, "visibleoncoursepage": 1})
        fid = add("mdl_forum", {"course": cid, "type": "general", "name": f"{_SUBJECTS[ci]} class forum",
                                "intro": "Ask questions here.", "trackingtype": 1, "timemodified": ts()})
        add("mdl_course_modules", {"course": cid, "module": 3, "instance": fid, "section": sections[ci][1],
                                   "added": ts(), "visible": 1, "visibleoncoursepage": 1})
        for uid, p in enrolled:
            if r.random() < 0.7:
                add("mdl_assign_submission", {"assignment": aid, "userid": uid, "timecreated": ts(),
                                              "timemodified": ts(), "status": r.choice(("submitted", "draft")),
                                              "attemptnumber": 0, "latest": 1}, subject=p)
                fname = r.choice((f"{p.first_en}_{p.last_en}_project.docx", "homework.pdf",
                                  f"{p.name_zh}作业.jpg"))
                add("mdl_files", {"contenthash": synth.sha1_hex(), "pathnamehash": synth.sha1_hex(),
                                  "contextid": module_ctx, "component": "assignsubmission_file",
                                  "filearea": "submission_files", "itemid": counters["mdl_assign_submission"],
                                  "filepath": "/", "filename": fname, "userid": uid,
                                  "filesize": r.randrange(10**4, 10**7),
                                  "mimetype": "application/pdf", "author": f"{p.first_en} {p.last_en}",
                                  "license": "allrightsreserved", "timecreated": ts(), "timemodified": ts()},
                    subject=p)
                score = round(r.uniform(40, 100), 1)
                add("mdl_assign_grades", {"assignment": aid, "userid": uid, "timecreated": ts(), "timemodified": ts(),
                                          "grader": teacher_uid, "grade": score, "attemptnumber": 0}, subject=p)
                add("mdl_grade_grades", {"itemid": item, "userid": uid, "rawgrade": score, "rawgrademax": 100,
                                         "usermodified": teacher_uid, "finalgrade": score,
                                         "feedback": synth.maybe(synth.teacher_comment_en(), 0.5),
                                         "aggregationstatus": "used", "timecreated": ts(), "timemodified": ts()},
                    subject=p)
            if r.random() < 0.6:
                add("mdl_quiz_attempts", {"quiz": qid, "userid": uid, "attempt": 1, "uniqueid": counters.get(
                    "mdl_quiz_attempts", 0) + 1, "layout": "1,2,3,4,5,0", "state": "finished", "timestart": ts(),
                    "timefinish": ts(), "timemodified": ts(), "sumgrades": r.randrange(3, 11)}, subject=p)
                add("mdl_quiz_grades", {"quiz": qid, "userid": uid, "grade": r.randrange(3, 11), "timemodified": ts()},
                    subject=p)
            if r.random() < 0.4:
                add("mdl_course_modules_completion", {"coursemoduleid": cm, "userid": uid, "completionstate": 1,
                                                      "timemodified": ts()}, subject=p)
        # A forum discussion with replies from pupils.
        first_post = counters.get("mdl_forum_posts", 0) + 1
        did = add("mdl_forum_discussions", {"course": cid, "forum": fid, "name": "Questions about the project",
                                            "firstpost": first_post, "userid": teacher_uid, "groupid": -1,
                                            "timemodified": ts(), "usermodified": teacher_uid}, subject=teacher)
        add("mdl_forum_posts", {"discussion": did, "parent": 0, "userid": teacher_uid, "created": ts(),
                                "modified": ts(), "subject": "Questions about the project",
                                "message": "<p>Post your questions below.</p>", "messageformat": 1}, subject=teacher)
        for uid, p in enrolled[:4]:
            add("mdl_forum_posts", {"discussion": did, "parent": first_post, "userid": uid, "created": ts(),
                                    "modified": ts(), "subject": "Re: Questions about the project",
                                    "message": f"<p>I am {synth.age(p)} and in grade {3 + uid % 7}, can I work with "
                                               f"{r.choice(users['pupil'])[1].first_en}?</p>", "messageformat": 1},
                subject=p)

    # Parent-teacher conversations and notifications.
    for i, (parent_uid, parent) in enumerate(users["parent"][:20]):
        teacher_uid, teacher = r.choice(users["teacher"])
        conv = add("mdl_message_conversations", {"type": 1, "convhash": synth.sha1_hex(), "enabled": 1,
                                                 "timecreated": ts()})
        for uid, who in ((parent_uid, parent), (teacher_uid, teacher)):
            add("mdl_message_conversation_members", {"conversationid": conv, "userid": uid, "timecreated": ts()},
                subject=who)
        pupil = users["pupil"][i][1]
        for sender, who, text in ((parent_uid, parent, synth.parent_message_en(pupil)),
                                  (teacher_uid, teacher, "Thank you for letting me know.")):
            add("mdl_messages", {"useridfrom": sender, "conversationid": conv, "subject": None, "fullmessage": text,
                                 "fullmessageformat": 0, "fullmessagehtml": f"<p>{text}</p>", "smallmessage": text,
                                 "timecreated": ts()}, subject=who)
        add("mdl_message_contacts", {"userid": parent_uid, "contactid": teacher_uid, "timecreated": ts()},
            subject=parent)
    for uid, p in users["pupil"][:40]:
        add("mdl_notifications", {"useridfrom": 2, "useridto": uid, "subject": "Your project has been graded",
                                  "fullmessage": f"Dear {p.first_en}, your project has been graded.",
                                  "fullmessageformat": 2, "smallmessage": "Your project has been graded",
                                  "component": "mod_assign", "eventtype": "assign_notification",
                                  "timecreated": ts()}, subject=p)

    # Sessions, preferences, devices, password resets and the standard log.
    for uid, p in r.sample(users["pupil"] + users["teacher"] + users["parent"], 25):
        add("mdl_sessions", {"state": 0, "sid": synth.token(26), "userid": uid, "timecreated": ts(),
                             "timemodified": ts(), "firstip": synth.ip4(), "lastip": synth.ip4()}, subject=p)
        add("mdl_user_preferences", {"userid": uid, "name": "email_bounce_count", "value": "0"}, subject=p)
    for uid, p in users["parent"][:12]:
        add("mdl_user_devices", {"userid": uid, "appid": "com.moodle.moodlemobile",
                                 "name": r.choice(("iPhone", "HUAWEI", "Xiaomi")), "model": r.choice(
                                     ("iPhone14,5", "ELS-AN00", "M2102J2SC")), "platform": r.choice(("ios", "android")),
                                 "version": "17.1", "pushid": synth.token(64), "uuid": synth.idfa(),
                                 "timecreated": ts(), "timemodified": ts()}, subject=p)
    for uid, p in users["pupil"][:3]:
        add("mdl_user_password_resets", {"userid": uid, "timerequested": ts(), "timererequested": 0,
                                         "token": synth.token(32)}, subject=p)
    for _ in range(120):
        uid, p = r.choice(users["pupil"] + users["teacher"])
        cid, ctx, _eid = r.choice(courses)
        add("mdl_logstore_standard_log", {"eventname": "\\core\\event\\course_viewed", "component": "core",
                                          "action": "viewed", "target": "course", "crud": "r", "edulevel": 2,
                                          "contextid": ctx, "contextlevel": _CTX_COURSE, "contextinstanceid": cid,
                                          "userid": uid, "courseid": cid, "anonymous": 0, "other": "N;",
                                          "timecreated": ts(), "origin": "web", "ip": synth.ip4()}, subject=p)
    return rows
