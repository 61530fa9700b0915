"""Rows for Unifiedtransform: one small K-12 school in its first school session on the system.

An administrator, a dozen teachers and about 130 pupils (classes 1 to 10, so mostly under 14 with a cohort
of teenagers) share ``users``; the ``role`` column tells them apart. Every pupil has a parents' row
(father's and mother's name and phone, a home address), an academic-info row (board registration number on
the older pupils only) and a promotion row carrying the pupil's ID-card number, as the admission form
writes them. Permissions are given to users directly (spatie ``model_has_permissions``); roles stay empty,
as in upstream. A week of attendance, one exam with marks and a few final marks, a routine, notices and
events, two password resets and one failed mail job. Birthdays are strings (Laravel keeps them in a
``varchar``), some typed day-first; phones are Bangladeshi mobiles in several spellings.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_NOT_NULL = not_null_columns(pathlib.Path(__file__).with_name("schema.json"))
_FIRST_M = ("Arif", "Tanvir", "Rafiq", "Imran", "Sakib", "Nayeem", "Fahim", "Rahim", "Ayaan", "Zayan", "Rohan",
            "Arjun")
_FIRST_F = ("Nusrat", "Farzana", "Tasnim", "Sumaiya", "Ayesha", "Mim", "Anika", "Raisa", "Priya", "Ishita",
            "Sadia", "Maliha")
_LAST = ("Hossain", "Rahman", "Ahmed", "Islam", "Chowdhury", "Khan", "Akter", "Uddin", "Das", "Saha", "Sarker",
         "Talukder")
_AREAS = (("Dhanmondi", "Dhaka", "1209"), ("Mirpur", "Dhaka", "1216"), ("Uttara", "Dhaka", "1230"),
          ("Agrabad", "Chattogram", "4100"), ("Zindabazar", "Sylhet", "3100"))
_RELIGIONS = ("Islam", "Islam", "Islam", "Hinduism", "Christianity", "Buddhism")
_PERMISSIONS = ("view users", "create users", "edit users", "view classes", "create classes", "view sections",
                "view courses", "view attendances", "take attendances", "view marks", "save marks",
                "view exams", "create exams", "view routines", "view syllabi", "view events", "view notices",
                "create notices", "view assignments", "create assignments", "promote students",
                "view academic settings", "update academic settings")
_STUDENT_PERMS = ("view attendances", "view courses", "view marks", "view routines", "view syllabi",
                  "view events", "view notices", "view assignments")
_TEACHER_PERMS = ("view users", "view classes", "view sections", "view courses", "view attendances",
                  "take attendances", "view marks", "save marks", "view exams", "create exams", "view routines",
                  "view syllabi", "view events", "view notices", "view assignments", "create assignments")
_COURSES = ("Bangla", "English", "Mathematics", "Science", "Bangladesh and Global Studies", "Religion")


def generate(synth: Synth) -> Rows:
    """Build the rows of one Unifiedtransform school."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    year = today.year  # Bangladeshi schools run the calendar year
    start = dt.date(year, 1, 2)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        for name, ctype in _NOT_NULL[table]:
            row.setdefault(name, not_null_default(ctype, today))
        rows.add(table, row, subject=subject, dated=dated)

    def ts() -> str:
        return synth.datetime_between(start, today).strftime("%Y-%m-%d %H:%M:%S")

    def phone() -> str:
        n = f"1{r.choice('3456789')}{r.randrange(10**8):08d}"
        return r.choice((f"+880{n}", f"0{n}", f"0{n[:4]}-{n[4:]}", f"+880 {n[:4]} {n[4:]}"))

    def name(p: Person) -> tuple[str, str]:
        first = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F)
        return (first if r.random() > 0.1 else synth.trailing(first)), r.choice(_LAST)

    # Session, semesters, classes, sections, courses, settings, grading.
    add("school_sessions", {"id": 1, "session_name": f"{year}", "created_at": ts(), "updated_at": ts()})
    for i, (sem, a, b) in enumerate((("First Term", start, dt.date(year, 6, 30)),
                                     ("Second Term", dt.date(year, 7, 1), dt.date(year, 12, 15)))):
        add("semesters", {"id": i + 1, "semester_name": sem, "start_date": a, "end_date": b, "session_id": 1,
                          "created_at": ts(), "updated_at": ts()})
    add("academic_settings", {"id": 1, "attendance_type": "section", "marks_submission_status": "on",
                              "created_at": ts(), "updated_at": ts()})
    sections: list[tuple[int, int]] = []  # (section id, class id)
    courses: dict[int, list[int]] = {}
    course_id = 0
    for c in range(1, 11):
        add("school_classes", {"id": c, "class_name": f"Class {c}", "session_id": 1, "created_at": ts(),
                               "updated_at": ts()})
        for s, label in enumerate("AB"[: 2 if c <= 5 else 1]):
            sid = len(sections) + 1
            sections.append((sid, c))
            add("sections", {"id": sid, "section_name": f"Section {label}", "room_no": f"{c}{s + 1:02d}",
                             "class_id": c, "session_id": 1, "created_at": ts(), "updated_at": ts()})
        courses[c] = []
        for title in _COURSES[: 4 if c <= 2 else 6]:
            course_id += 1
            courses[c].append(course_id)
            add("courses", {"id": course_id, "course_name": title, "course_type": "Core", "class_id": c,
                            "semester_id": 1, "session_id": 1, "created_at": ts(), "updated_at": ts()})
    for pid, perm in enumerate(_PERMISSIONS, 1):
        add("permissions", {"id": pid, "name": perm, "guard_name": "web", "created_at": ts(), "updated_at": ts()})
    perm_id = {p: i for i, p in enumerate(_PERMISSIONS, 1)}

    # People: the administrator, teachers, pupils (users share one table; role tells them apart).
    uid = 0

    def user(p: Person, role: str, first: str, last: str, email: str, student: bool = False) -> int:
        nonlocal uid
        uid += 1
        area, city, zipc = r.choice(_AREAS)
        birthday = p.dob.isoformat() if r.random() > 0.2 else p.dob.strftime("%d/%m/%Y")
        add("users", {"id": uid, "first_name": first, "last_name": last, "email": email,
                      "gender": "Male" if p.sex == "M" else "Female",
                      "nationality": "Bangladeshi" if r.random() > 0.05 else r.choice(("Indian", "Nepali")),
                      "phone": phone(), "address": f"House {r.randrange(1, 90)}, Road {r.randrange(1, 30)}, {area}",
                      "address2": "" if r.random() > 0.2 else f"Flat {r.choice('ABCDE')}{r.randrange(1, 9)}",
                      "city": city, "zip": zipc if r.random() > 0.1 else synth.trailing(zipc),
                      "photo": synth.maybe(f"photos/{synth.md5_hex()[:24]}.jpg", 0.6 if student else 0.3),
                      "birthday": birthday if student else synth.maybe(birthday, 0.5),
                      "blood_type": synth.maybe(synth.blood_type(), 0.2 if student else 0.6),
                      "religion": synth.maybe(r.choice(_RELIGIONS), 0.3), "role": role,
                      "email_verified_at": synth.maybe(ts(), 0.7), "password": synth.bcrypt(),
                      "remember_token": synth.maybe(synth.token(60), 0.8), "created_at": ts(), "updated_at": ts()},
            subject=p, dated=student)
        for perm in (_STUDENT_PERMS if student else _TEACHER_PERMS if role == "teacher" else ()):
            add("model_has_permissions", {"permission_id": perm_id[perm], "model_type": "App\\Models\\User",
                                          "model_id": uid}, subject=p)
        return uid

    admin = synth.person("staff")
    user(admin, "admin", "Admin", "Unifiedtransform", "admin@ut.com")
    teachers: list[int] = []
    for _ in range(12):
        p = synth.person("staff")
        first, last = name(p)
        teachers.append(user(p, "teacher", first, last, f"{first.strip().lower()}.{last.lower()}{r.randrange(99)}"
                                                        f"@school.example.edu.bd"))
    tester = synth.test_account()
    user(tester, "teacher", "Test", "Teacher", tester.email)

    pupils: list[tuple[int, Person, int, int]] = []  # (user id, person, class id, section id)
    for i in range(130):
        p = synth.person("child" if r.random() < 0.8 else "teen")
        while synth.age(p) < 6:  # class 1 starts at six
            p = synth.person("child")
        age = synth.age(p)
        klass = min(10, max(1, age - 5))
        sec = r.choice([s for s, c in sections if c == klass])
        first, last = name(p)
        email = f"{first.strip().lower()}{r.randrange(1000)}@student.example.edu.bd"
        sid = user(p, "student", first, last, email, student=True)
        pupils.append((sid, p, klass, sec))
        area, city, _ = r.choice(_AREAS)
        add("student_parent_infos", {"id": i + 1, "student_id": sid,
                                     "father_name": f"{r.choice(_FIRST_M)} {last}", "father_phone": phone(),
                                     "mother_name": f"{r.choice(_FIRST_F)} {r.choice(_LAST)}",
                                     "mother_phone": phone() if r.random() > 0.15 else "",
                                     "parent_address": f"House {r.randrange(1, 90)}, {area}, {city}",
                                     "created_at": ts(), "updated_at": ts()}, subject=p)
        add("student_academic_infos", {"id": i + 1, "student_id": sid,
                                       "board_reg_no": f"{r.randrange(10**9, 10**10)}" if klass >= 8 else None,
                                       "created_at": ts(), "updated_at": ts()}, subject=p)
        add("promotions", {"id": i + 1, "student_id": sid, "class_id": klass, "section_id": sec, "session_id": 1,
                           "id_card_number": f"{year}{klass:02d}{i + 1:03d}", "created_at": ts(),
                           "updated_at": ts()}, subject=p)

    # Teaching: assigned teachers, routine, syllabi, assignments.
    atid = rtid = 0
    for sec, klass in sections:
        for cid in courses[klass]:
            atid += 1
            add("assigned_teachers", {"id": atid, "teacher_id": r.choice(teachers), "semester_id": 1,
                                      "class_id": klass, "section_id": sec, "course_id": cid, "session_id": 1,
                                      "created_at": ts(), "updated_at": ts()})
        if klass <= 3:
            for wd in range(1, 6):
                rtid += 1
                add("routines", {"id": rtid, "start": "09:00am", "end": "09:45am", "weekday": wd, "class_id": klass,
                                 "section_id": sec, "course_id": courses[klass][wd % len(courses[klass])],
                                 "session_id": 1, "created_at": ts(), "updated_at": ts()})
    for i, klass in enumerate((4, 7), 1):
        add("syllabi", {"id": i, "syllabus_name": f"Class {klass} syllabus {year}",
                        "syllabus_file_path": f"syllabi/{synth.md5_hex()[:30]}.pdf", "class_id": klass,
                        "course_id": courses[klass][0], "session_id": 1, "created_at": ts(), "updated_at": ts()})
        add("assignments", {"id": i, "teacher_id": r.choice(teachers), "semester_id": 1, "class_id": klass,
                            "section_id": next(s for s, c in sections if c == klass),
                            "course_id": courses[klass][1], "session_id": 1, "assignment_name": "Homework 1",
                            "assignment_file_path": f"assignments/{synth.md5_hex()[:30]}.pdf",
                            "created_at": ts(), "updated_at": ts()})
    add("notices", {"id": 1, "notice": "<p>School will remain closed on 21 February (International Mother Language "
                                       "Day).</p>", "session_id": 1, "created_at": ts(), "updated_at": ts()})
    add("notices", {"id": 2, "notice": "<p>First term examinations begin on 15 June.</p>", "session_id": 1,
                    "created_at": ts(), "updated_at": ts()})
    for i, title in enumerate(("Annual Sports Day", "Science Fair", "Parent-Teacher Meeting"), 1):
        d = dt.datetime.combine(synth.date_between(start, today), dt.time(9))
        add("events", {"id": i, "title": title, "start": d, "end": d + dt.timedelta(hours=6), "session_id": 1,
                       "created_at": ts(), "updated_at": ts()})

    # Attendance: a week, course-less ("section" attendance type), for the lower classes.
    aid = 0
    past = (today - dt.timedelta(days=k) for k in range(1, 10))
    days = [d for d in past if d.weekday() not in (4, 5)]  # Friday and Saturday are the weekend
    for sid, p, klass, sec in pupils:
        if klass > 5:
            continue
        for d in days[:5]:
            aid += 1
            stamp = dt.datetime.combine(d, dt.time(9, r.randrange(60))).strftime("%Y-%m-%d %H:%M:%S")
            add("attendances", {"id": aid, "course_id": 0, "class_id": klass, "section_id": sec, "student_id": sid,
                                "status": "on" if r.random() > 0.08 else "off", "session_id": 1,
                                "created_at": stamp, "updated_at": stamp}, subject=p)

    # One exam per class 6-10 with rules, a grading system, marks and final marks for class 6.
    add("grading_systems", {"id": 1, "system_name": "GPA 5", "class_id": 6, "semester_id": 1, "session_id": 1,
                            "created_at": ts(), "updated_at": ts()})
    for i, (pt, grade, lo, hi) in enumerate(((5.0, "A+", 80, 100), (4.0, "A", 70, 79.99), (3.5, "A-", 60, 69.99),
                                             (3.0, "B", 50, 59.99), (2.0, "C", 40, 49.99), (0.0, "F", 0, 39.99)), 1):
        add("grade_rules", {"id": i, "point": pt, "grade": grade, "start_at": lo, "end_at": hi,
                            "grading_system_id": 1, "session_id": 1, "created_at": ts(), "updated_at": ts()})
    mid = fid = 0
    for eid, klass in enumerate(range(6, 11), 1):
        cid = courses[klass][2]
        d = dt.datetime.combine(synth.date_between(start, today), dt.time(10))
        add("exams", {"id": eid, "exam_name": "Class Test 1", "start_date": d, "end_date": d + dt.timedelta(hours=1),
                      "class_id": klass, "course_id": cid, "semester_id": 1, "session_id": 1, "created_at": ts(),
                      "updated_at": ts()})
        add("exam_rules", {"id": eid, "total_marks": 20, "pass_marks": 8,
                           "marks_distribution_note": "MCQ 10, written 10", "exam_id": eid, "session_id": 1,
                           "created_at": ts(), "updated_at": ts()})
        for sid, p, k, sec in pupils:
            if k != klass:
                continue
            mid += 1
            mark = round(r.uniform(4, 20), 1)
            add("marks", {"id": mid, "marks": mark, "student_id": sid, "class_id": klass, "section_id": sec,
                          "course_id": cid, "exam_id": eid, "session_id": 1, "created_at": ts(), "updated_at": ts()},
                subject=p)
            if klass == 6:
                fid += 1
                add("final_marks", {"id": fid, "calculated_marks": mark * 5, "final_marks": min(100, mark * 5 + 2),
                                    "note": synth.maybe(synth.teacher_comment_en(), 0.6), "student_id": sid,
                                    "class_id": klass, "section_id": sec, "course_id": cid, "semester_id": 1,
                                    "session_id": 1, "created_at": ts(), "updated_at": ts()}, subject=p)

    # Housekeeping: two password resets (a teacher, a pupil) and a failed notification job.
    for who in (rows["users"][3], rows["users"][40]):
        add("password_resets", {"email": who["email"], "token": synth.bcrypt(), "created_at": ts()})
    add("failed_jobs", {"id": 1, "uuid": synth.uuid(), "connection": "database", "queue": "default",
                        "payload": json.dumps({"displayName": "Illuminate\\Notifications\\SendQueuedNotifications",
                                               "job": "Illuminate\\Queue\\CallQueuedHandler@call", "maxTries": None}),
                        "exception": "Swift_TransportException: Connection could not be established with host "
                                     "smtp.mailtrap.io", "failed_at": ts()})
    return rows
