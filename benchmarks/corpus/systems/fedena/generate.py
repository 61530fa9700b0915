"""Rows for Fedena: an English-medium K-12 day school in its first term on Fedena.

Fedena keeps pupils in ``students`` (each with a ``users`` login named after the admission number),
their guardians in ``guardians`` (one row per guardian and ward, the parent login being ``p`` + admission
number) and staff in ``employees`` (login = employee number). About 70 pupils from LKG to Class 12 (mostly
under 14), English, Indian and a few Chinese families; guardians with occupations and incomes on some rows,
18 employees, an admin and a test account. A month of attendance, one exam round with scores, a fee
collection with fees and payments, SMS logs and reminders. Most optional columns of a fresh install stay
empty (passport numbers, blood groups, photos), and about 150 of the 187 tables (library, hostel,
transport, inventory, payroll, online exams, placements, registrations) stay empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth

_FIRST_M = (
    "Aarav",
    "Vihaan",
    "Arjun",
    "Oliver",
    "Jack",
    "Harry",
    "Rohan",
    "Ishaan",
    "Daniel",
    "Samuel",
    "Kabir",
    "Ethan",
)
_FIRST_F = (
    "Ananya",
    "Diya",
    "Saanvi",
    "Emily",
    "Grace",
    "Sophie",
    "Isha",
    "Meera",
    "Chloe",
    "Hannah",
    "Aadhya",
    "Lucy",
)
_LAST_EN = ("Smith", "Taylor", "Brown", "Wilson", "Evans", "Roberts", "D'Souza", "Fernandes")
_LAST_IN = ("Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Rao", "Kapoor", "Joshi", "Pillai")
_CITIES = (
    ("Bengaluru", "Karnataka", "5600"),
    ("Chennai", "Tamil Nadu", "6000"),
    ("Pune", "Maharashtra", "4110"),
    ("Kochi", "Kerala", "6820"),
)
_STREETS = (
    "MG Road",
    "Residency Road",
    "4th Cross, Indiranagar",
    "Koramangala 5th Block",
    "Anna Salai",
    "FC Road",
    "Marine Drive",
)
_COURSES = (
    "LKG",
    "UKG",
    "Class 1",
    "Class 2",
    "Class 3",
    "Class 4",
    "Class 5",
    "Class 6",
    "Class 7",
    "Class 8",
    "Class 9",
    "Class 10",
    "Class 11",
    "Class 12",
)
_SUBJECTS = ("English", "Mathematics", "Science", "Social Studies", "Hindi", "Computer Science")
_OCCUPATIONS = ("Software Engineer", "Doctor", "Business", "Teacher", "Bank Manager", "Homemaker", "Architect")
_JOBS = (
    ("Teaching", "Teacher", "PGT"),
    ("Teaching", "Teacher", "TGT"),
    ("Non-Teaching", "Accountant", "Admin"),
    ("Non-Teaching", "Librarian", "Admin"),
    ("Teaching", "Principal", "Management"),
)


def generate(synth: Synth) -> Rows:
    """Build the rows of one Fedena school."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    year = today.year if today.month >= 6 else today.year - 1
    start = dt.date(year, 6, 3)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        rows.add(table, row, subject=subject, dated=dated)

    def ts(since: dt.date = start) -> str:
        return synth.datetime_between(since, today).strftime("%Y-%m-%d %H:%M:%S")

    def mobile() -> str:
        m = f"+91 {r.choice('6789')}{r.randrange(10**8, 10**9)}"
        return synth.fullwidth(m) if r.random() < 0.03 else m

    add("schools", {"id": 1, "name": "Greenwood International School", "code": "GIS", "created_at": ts()})
    for key, value in (
        ("InstitutionName", "Greenwood International School"),
        ("InstitutionAddress", "12 Lake View Road, Bengaluru"),
        ("InstitutionPhoneNo", "+91 80 4123 4567"),
        ("CurrencyType", "INR"),
        ("StudentAttendanceType", "Daily"),
    ):
        add(
            "configurations",
            {"id": len(rows["configurations"]) + 1, "config_key": key, "config_value": value, "school_id": 1},
        )
    for cid, name in enumerate(("India", "United Kingdom", "China", "United States"), start=1):
        add("countries", {"id": cid, "name": name})
    add("student_categories", {"id": 1, "name": "General", "is_deleted": 0, "school_id": 1})
    add("student_categories", {"id": 2, "name": "Staff Ward", "is_deleted": 0, "school_id": 1})
    for i, name in enumerate(_COURSES, start=1):
        add(
            "courses",
            {
                "id": i,
                "course_name": name,
                "code": name.replace("Class ", "C"),
                "section_name": "A",
                "is_deleted": 0,
                "school_id": 1,
                "created_at": ts(),
            },
        )
        add(
            "batches",
            {
                "id": i,
                "name": f"{year}-{(year + 1) % 100:02d}",
                "course_id": i,
                "start_date": start.isoformat(),
                "end_date": dt.date(year + 1, 3, 31).isoformat(),
                "is_active": 1,
                "is_deleted": 0,
                "grading_type": "normal",
                "school_id": 1,
            },
        )
    for i, name in enumerate(_SUBJECTS, start=1):
        add(
            "subjects",
            {
                "id": i,
                "name": name,
                "code": name[:3].upper(),
                "batch_id": 9,
                "no_exams": 0,
                "max_weekly_classes": 6,
                "is_deleted": 0,
                "school_id": 1,
            },
        )
    for i, (cat, position, grade) in enumerate(_JOBS, start=1):
        add("employee_categories", {"id": i, "name": cat, "prefix": cat[:1], "status": 1, "school_id": 1})
        add("employee_positions", {"id": i, "name": position, "employee_category_id": i, "status": 1, "school_id": 1})
        add("employee_grades", {"id": i, "name": grade, "priority": i, "status": 1, "school_id": 1})
    add("employee_departments", {"id": 1, "code": "ACA", "name": "Academics", "status": 1, "school_id": 1})
    add("employee_departments", {"id": 2, "code": "ADM", "name": "Administration", "status": 1, "school_id": 1})

    uid = 0

    def add_user(p: Person | None, username: str, first: str, last: str, role: str) -> int:
        nonlocal uid
        uid += 1
        add(
            "users",
            {
                "id": uid,
                "username": username,
                "first_name": first,
                "last_name": last,
                "email": synth.maybe(p.email if p else "admin@greenwood.example", 0.4),
                "admin": int(role == "admin"),
                "student": int(role == "student"),
                "employee": int(role == "employee"),
                "parent": int(role == "parent"),
                "hashed_password": synth.sha1_hex(),
                "salt": synth.token(8),
                "created_at": ts(),
                "school_id": 1,
            },
            subject=p,
        )
        return uid

    add_user(None, "admin", "Fedena", "Admin", "admin")
    tester = synth.test_account()
    add_user(tester, "test123", "Test", "Student", "student")
    employees: list[int] = []
    for i in range(18):
        p = synth.person("staff")
        first = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F)
        last = r.choice(_LAST_IN + _LAST_EN)
        number = f"E{i + 1:03d}"
        emp_uid = add_user(p, number, first, last, "employee")
        job_no = 1 + (i % len(_JOBS))
        city, state, pin = r.choice(_CITIES)
        add(
            "employees",
            {
                "id": i + 1,
                "employee_category_id": job_no,
                "employee_number": number,
                "joining_date": synth.date_between(dt.date(2010, 6, 1), start).isoformat(),
                "first_name": first,
                "last_name": last,
                "gender": int(p.sex == "M"),  # a boolean column in Fedena (true = male)
                "job_title": _JOBS[job_no - 1][1],
                "employee_position_id": job_no,
                "employee_department_id": 1 if job_no != 3 else 2,
                "reporting_manager_id": 5 if i != 4 else None,
                "employee_grade_id": job_no,
                "qualification": synth.maybe(r.choice(("M.Sc, B.Ed", "B.A, B.Ed", "M.Com")), 0.3),
                "experience_year": r.randrange(0, 25),
                "status": 1,
                "date_of_birth": p.dob.isoformat(),
                "marital_status": synth.maybe(r.choice(("married", "single")), 0.5),
                "father_name": synth.maybe(f"{r.choice(_FIRST_M)} {last}", 0.6),
                "blood_group": synth.maybe(synth.blood_type() + "+", 0.6),
                "nationality_id": 1,
                "home_address_line1": f"{r.randrange(1, 300)}, {r.choice(_STREETS)}",
                "home_city": city,
                "home_state": state,
                "home_country_id": 1,
                "home_pin_code": f"{pin}{r.randrange(10, 99)}",
                "mobile_phone": mobile(),
                "email": synth.maybe(p.email, 0.3),
                "user_id": emp_uid,
                "library_card": synth.maybe(f"LIB-E{i + 1:03d}", 0.7),
                "created_at": ts(),
                "school_id": 1,
            },
            subject=p,
            dated=True,
        )
        employees.append(i + 1)

    student_id = guardian_id = 0
    pupils: list[tuple[int, Person, int]] = []
    for _ in range(48):
        kind = r.random()
        chinese = kind < 0.08
        indian = 0.08 <= kind < 0.5
        family_last = "" if chinese else r.choice(_LAST_IN if indian else _LAST_EN)
        city, state, pin = r.choice(_CITIES)
        address = f"{r.randrange(1, 300)}, {r.choice(_STREETS)}"
        guardians = [synth.person("parent") for _ in range(1 if r.random() < 0.4 else 2)]
        if chinese:
            family_last = guardians[0].last_en
        for _k in range(1 if r.random() < 0.6 else 2):
            kid = synth.person("child" if r.random() < 0.8 else "teen")
            if synth.age(kid) < 4:
                kid = synth.person("child")
            student_id += 1
            first = kid.first_en if chinese else r.choice(_FIRST_M if kid.sex == "M" else _FIRST_F)
            course = min(max(synth.age(kid) - 4, 0), 13) + 1
            admission_no = f"{year}{student_id:04d}"
            stu_uid = add_user(kid, admission_no, first, family_last, "student")
            add(
                "students",
                {
                    "id": student_id,
                    "admission_no": admission_no if r.random() > 0.05 else synth.trailing(admission_no),
                    "class_roll_no": synth.maybe(str(r.randrange(1, 40)), 0.5),
                    "admission_date": start.isoformat(),
                    "first_name": first,
                    "middle_name": synth.maybe(r.choice(_FIRST_M + _FIRST_F), 0.8),
                    "last_name": family_last,
                    "batch_id": course,
                    "date_of_birth": kid.dob.isoformat(),
                    "gender": "m" if kid.sex == "M" else "f",
                    "blood_group": synth.maybe(synth.blood_type() + "+", 0.7),
                    "birth_place": synth.maybe("Beijing" if chinese else city, 0.6),
                    "nationality_id": 3 if chinese else (1 if indian else r.choice((1, 2))),
                    "language": "Mandarin" if chinese else r.choice(("English", "Kannada", "Hindi", "Tamil")),
                    "religion": synth.maybe(r.choice(("Hindu", "Christian", "Muslim", "None")), 0.6),
                    "student_category_id": 1,
                    "address_line1": address,
                    "city": city,
                    "state": state,
                    "pin_code": f"{pin}{r.randrange(10, 99)}",
                    "country_id": 1,
                    "phone1": synth.maybe(mobile(), 0.7),
                    "email": synth.maybe(kid.email, 0.8),
                    "is_sms_enabled": 1,
                    "is_active": 1,
                    "is_deleted": 0,
                    "photo_file_name": synth.maybe(f"{admission_no}.jpg", 0.6),
                    "photo_content_type": None,
                    "passport_number": synth.maybe(
                        f"E{r.randrange(10**6, 10**7)}" if chinese else f"Z{r.randrange(10**6, 10**7)}", 0.85
                    ),
                    "library_card": synth.maybe(f"LIB{student_id:05d}", 0.6),
                    "user_id": stu_uid,
                    "has_paid_fees": 0,
                    "created_at": ts(),
                    "school_id": 1,
                },
                subject=kid,
                dated=True,
            )
            pupils.append((student_id, kid, course))
            first_guardian = None
            for g, gp in enumerate(guardians):
                guardian_id += 1
                gfirst = gp.first_en if chinese else r.choice(_FIRST_F if g == 0 else _FIRST_M)
                parent_uid = add_user(gp, f"p{admission_no}", gfirst, family_last, "parent") if g == 0 else None
                add(
                    "guardians",
                    {
                        "id": guardian_id,
                        "ward_id": student_id,
                        "first_name": gfirst,
                        "last_name": family_last,
                        "relation": "mother" if g == 0 else "father",
                        "email": synth.maybe(gp.email, 0.3),
                        "mobile_phone": gp.mobile if chinese else mobile(),
                        "city": city,
                        "state": state,
                        "country_id": 1,
                        "dob": synth.maybe(gp.dob.isoformat(), 0.7),
                        "occupation": synth.maybe(r.choice(_OCCUPATIONS), 0.4),
                        "income": synth.maybe(r.choice(("5-10 lakh", "10-20 lakh", "above 20 lakh")), 0.7),
                        "education": synth.maybe(r.choice(("B.E", "MBA", "MBBS", "B.Com")), 0.7),
                        "user_id": parent_uid,
                        "created_at": ts(),
                        "school_id": 1,
                    },
                    subject=gp,
                )
                first_guardian = first_guardian or guardian_id
            rows["students"][-1]["immediate_contact_id"] = first_guardian
    days = sorted({synth.date_between(today - dt.timedelta(days=30), today) for _ in range(8)})
    add(
        "exam_groups",
        {
            "id": 1,
            "name": "Unit Test 1",
            "batch_id": 9,
            "exam_type": "Marks",
            "is_published": 1,
            "result_published": 1,
            "is_final_exam": 0,
            "exam_date": (start + dt.timedelta(days=60)).isoformat(),
            "school_id": 1,
        },
    )
    for i, _name in enumerate(_SUBJECTS[:4], start=1):
        add(
            "exams",
            {"id": i, "exam_group_id": 1, "subject_id": i, "maximum_marks": 50, "minimum_marks": 18, "school_id": 1},
        )
    add(
        "finance_fee_categories",
        {
            "id": 1,
            "name": "Tuition Fee",
            "description": "Term 1",
            "batch_id": None,
            "is_deleted": 0,
            "is_master": 1,
            "school_id": 1,
        },
    )
    add(
        "finance_fee_collections",
        {
            "id": 1,
            "name": "Term 1 Tuition",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=30)).isoformat(),
            "due_date": (start + dt.timedelta(days=30)).isoformat(),
            "fee_category_id": 1,
            "is_deleted": 0,
            "school_id": 1,
        },
    )
    add(
        "finance_transaction_categories",
        {"id": 1, "name": "Fee", "description": "Student fees", "is_income": 1, "deleted": 0, "school_id": 1},
    )
    for sid, kid, course in pupils:
        for day in days:
            if r.random() < 0.08:
                add(
                    "attendances",
                    {
                        "id": len(rows["attendances"]) + 1,
                        "student_id": sid,
                        "forenoon": 1,
                        "afternoon": r.choice((0, 1)),
                        "reason": r.choice(("Fever", "Family function", "Doctor visit", "")),
                        "month_date": day.isoformat(),
                        "batch_id": course,
                        "school_id": 1,
                    },
                    subject=kid,
                )
        if course == 9:
            for exam in range(1, 5):
                marks = r.randrange(12, 51)
                add(
                    "exam_scores",
                    {
                        "id": len(rows["exam_scores"]) + 1,
                        "student_id": sid,
                        "exam_id": exam,
                        "marks": marks,
                        "remarks": synth.maybe(synth.teacher_comment_en(), 0.7),
                        "is_failed": int(marks < 18),
                        "created_at": ts(),
                        "school_id": 1,
                    },
                    subject=kid,
                )
        paid = r.random() < 0.7
        transaction = None
        if paid:
            transaction = len(rows["finance_transactions"]) + 1
            add(
                "finance_transactions",
                {
                    "id": transaction,
                    "title": "Receipt No.. F" + str(transaction),
                    "description": "Term 1 Tuition",
                    "amount": float(synth.money(15000, 60000)),
                    "category_id": 1,
                    "student_id": sid,
                    "transaction_date": synth.date_between(start, today).isoformat(),
                    "payee_id": sid,
                    "payee_type": "Student",
                    "finance_type": "FinanceFee",
                    "receipt_no": f"F{transaction}",
                    "created_at": ts(),
                    "school_id": 1,
                },
                subject=kid,
            )
        add(
            "finance_fees",
            {
                "id": sid,
                "fee_collection_id": 1,
                "transaction_id": transaction,
                "student_id": sid,
                "is_paid": int(paid),
                "school_id": 1,
            },
            subject=kid,
        )
    add(
        "sms_messages",
        {
            "id": 1,
            "body": "Dear Parent, school will remain closed tomorrow due to heavy rain.",
            "created_at": ts(),
            "school_id": 1,
        },
    )
    for guardian in rows["guardians"][:30]:
        add(
            "sms_logs",
            {
                "id": len(rows["sms_logs"]) + 1,
                "mobile": guardian["mobile_phone"],
                "gateway_response": "success",
                "sms_message_id": 1,
                "created_at": ts(),
                "school_id": 1,
            },
        )
    for _ in range(6):
        add(
            "reminders",
            {
                "id": len(rows["reminders"]) + 1,
                "sender": r.randrange(3, 21),
                "recipient": r.randrange(21, uid + 1),
                "subject": "Homework pending",
                "body": "Please ensure the science project is submitted by Friday.",
                "is_read": r.choice((0, 1)),
                "created_at": ts(),
                "school_id": 1,
            },
        )
    return rows
