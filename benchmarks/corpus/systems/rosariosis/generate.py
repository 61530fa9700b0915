"""Rows for RosarioSIS: one K-12 school in its first year on the system.

A school of about 70 pupils (kindergarten to grade 12, so mostly under 14 with a cohort of teenagers),
their parents and guardians as contacts (``people``) with phone numbers and e-mails, a few of them also
portal users (``staff`` rows with the parent profile), teachers and an administrator. Addresses are
households shared by siblings; enrolment, daily attendance, a few nurse visits and immunisation records,
fees and payments, discipline referrals and access-log lines. Most optional columns of a fresh install
stay empty (few social-security numbers, few physicians); the gradebook, food service, eligibility,
portal and accounting tables stay empty. International pupils from China carry pinyin names.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_NOT_NULL = not_null_columns(pathlib.Path(__file__).with_name("schema.json"))
_FIRST_M = ("James", "William", "Benjamin", "Mason", "Elijah", "Logan", "Alexander", "Michael", "Owen", "Carter",
            "Wyatt", "Isaac", "Gabriel", "Julian", "Mateo", "Diego")
_FIRST_F = ("Charlotte", "Harper", "Evelyn", "Abigail", "Ella", "Scarlett", "Madison", "Layla", "Penelope",
            "Aria", "Camila", "Nora", "Riley", "Lucia", "Valentina", "Sofia")
_LAST = ("Johnson", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson",
         "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young")
_STREETS = ("Maple Ave", "Oak St", "Washington Blvd", "Lincoln Rd", "Cedar Ln", "Park Pl", "Elm St", "Sunset Dr",
            "Highland Ave", "Church St")
_CITIES = (("Springfield", "IL", "627"), ("Columbus", "OH", "432"), ("Austin", "TX", "787"), ("Madison", "WI", "537"),
           ("Fresno", "CA", "937"))
_GRADES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
_VISIT_REASONS = ("Headache", "Stomach ache", "Scraped knee at recess", "Fever 38.4C, parent called",
                  "Asthma inhaler", "Nosebleed")
_IMMUNIZATIONS = ("DTaP dose 5", "MMR dose 2", "Polio (IPV) dose 4", "Varicella dose 2", "Hepatitis B dose 3",
                  "Tdap booster")
_RELATIONS = ("Mother", "Father", "Grandmother", "Grandfather", "Aunt", "Stepfather", "Legal Guardian")



def _add(rows: Rows, today: dt.date, table: str, row: dict[str, Any], subject: Person | None = None,
         dated: bool = False) -> None:
    for name, ctype in _NOT_NULL[table]:
        row.setdefault(name, not_null_default(ctype, today))
    rows.add(table, row, subject=subject, dated=dated)


def generate(synth: Synth) -> Rows:
    """Build the rows of one RosarioSIS school."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    syear = today.year if today.month >= 8 else today.year - 1
    start = dt.date(syear, 8, 20)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        _add(rows, today, table, row, subject, dated)

    def ts() -> str:
        return synth.datetime_between(start, today).strftime("%Y-%m-%d %H:%M:%S")

    def phone() -> str:
        p = f"({r.randrange(201, 989)}) {r.randrange(200, 999)}-{r.randrange(10000):04d}"
        return synth.fullwidth(p) if r.random() < 0.03 else p

    add("schools", {"syear": syear, "id": 1, "title": "Lincoln K-12 Academy", "address": "500 School Rd",
                    "city": "Springfield", "state": "IL", "zipcode": "62701", "phone": "(217) 555-0100",
                    "principal": "Dr. Ellen Parker", "short_name": "LKA", "number_days_rotation": None})
    for i, (short, title) in enumerate((("student", "Student"), ("admin", "Administrator"), ("teacher", "Teacher"),
                                        ("parent", "Parent"))):
        add("user_profiles", {"id": i, "profile": short, "title": title})
    for i, grade_name in enumerate(_GRADES, start=1):
        add("school_gradelevels", {"id": i, "school_id": 1, "short_name": grade_name,
                                   "title": "Kindergarten" if grade_name == "KG" else f"Grade {int(grade_name)}",
                                   "next_grade_id": i + 1 if i < len(_GRADES) else None, "sort_order": i})
    codes = (("Moved from District", "MOVE", "Drop"), ("Expelled", "EXP", "Drop"),
             ("Beginning of Year", "EBY", "Add"), ("From Other District", "OTHER", "Add"))
    for i, (title, short, kind) in enumerate(codes, start=1):
        add("student_enrollment_codes", {"id": i, "syear": syear, "title": title, "short_name": short, "type": kind})
    for i, (title, short, state) in enumerate((("Absent", "A", "A"), ("Present", "P", "P"), ("Tardy", "T", "P"),
                                              ("Excused Absence", "E", "A")), start=1):
        add("attendance_codes", {"id": i, "syear": syear, "school_id": 1, "title": title, "short_name": short,
                                 "type": "teacher", "state_code": state, "table_name": 0, "sort_order": i})
    add("attendance_calendars", {"school_id": 1, "title": "Main", "syear": syear, "calendar_id": 1,
                                 "default_calendar": "Y"})

    # staff: administrator, teachers, a test account, parents with portal access (added below)
    staff_id = 0

    def add_staff(p: Person | None, profile: str, profile_id: int, first: str, last: str, **extra: Any) -> int:
        nonlocal staff_id
        staff_id += 1
        row = {"syear": syear, "staff_id": staff_id, "current_school_id": 1, "first_name": first,
               "last_name": last, "username": extra.pop("username", f"{first[0]}{last}".lower().replace("'", "")),
               "password": synth.sha_crypt(), "profile": profile, "profile_id": profile_id,
               "schools": ",1,", "last_login": synth.maybe(ts(), 0.3), "failed_login": r.choice((None, 0, 1))}
        if p is not None:
            row |= {"email": synth.maybe(extra.pop("email", p.email), 0.3),
                    "title": r.choice(("Mr", "Ms", "Mrs", None)), "custom_200000001": synth.maybe(phone(), 0.5)}
        row |= extra
        add("staff", row, subject=p)
        return staff_id

    add_staff(synth.person("staff"), "admin", 1, "Ellen", "Parker", username="admin")
    add_staff(synth.test_account(), "admin", 1, "Test", "Teacher", username="test", email="test@test.com")
    teachers = []
    for _ in range(8):
        p = synth.person("staff")
        first = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F)
        teachers.append(add_staff(p, "teacher", 2, first, r.choice(_LAST)))

    # households, pupils, contacts
    person_id = student_id = 0
    for address_id in range(1, 43):
        city, state, zip3 = r.choice(_CITIES)
        house = str(r.randrange(10, 9999))
        street = r.choice(_STREETS)
        zipcode = f"{zip3}{r.randrange(100):02d}"
        add("address", {"address_id": address_id, "house_no": int(house), "street": street,
                        "apt": synth.maybe(f"{r.randrange(1, 40)}{r.choice('ABC')}", 0.8), "city": city, "state": state,
                        "zipcode": zipcode if r.random() > 0.05 else synth.trailing(zipcode),
                        "address": f"{house} {street}", "phone": synth.maybe(phone(), 0.4),
                        "mail_address": synth.maybe(f"PO Box {r.randrange(100, 9999)}", 0.9), "created_at": ts()})
        chinese = r.random() < 0.15
        family_last = "" if chinese else r.choice(_LAST)
        guardians: list[tuple[int, Person, str, str]] = []
        for g in range(1 if r.random() < 0.3 else 2):
            p = synth.person("parent")
            person_id += 1
            first = p.first_en if chinese else r.choice(_FIRST_F if g == 0 else _FIRST_M)
            last = p.last_en if chinese else family_last
            add("people", {"person_id": person_id, "first_name": first, "last_name": last,
                           "middle_name": None, "created_at": ts()}, subject=p)
            for title, value in (("Cell Phone", phone()), ("Email", p.email), ("Work Phone", phone())):
                if r.random() < 0.7:
                    add("people_join_contacts", {"id": len(rows["people_join_contacts"]) + 1, "person_id": person_id,
                                                 "title": title, "value": value}, subject=p)
            guardians.append((person_id, p, first, last))
        for _ in range(1 if r.random() < 0.6 else 2):
            kid = synth.person("child" if r.random() < 0.8 else "teen")
            if synth.age(kid) < 5:
                kid = synth.person("teen")
            student_id += 1
            first = kid.first_en if chinese else r.choice(_FIRST_M if kid.sex == "M" else _FIRST_F)
            last = kid.last_en if chinese else family_last
            ssn = f"{r.randrange(100, 665)}-{r.randrange(10, 99)}-{r.randrange(1000, 9999)}"
            if r.random() < 0.1:
                ssn = synth.excel_id(ssn.replace("-", ""))
            grade = min(max(synth.age(kid) - 5, 0), 12)
            add("students", {
                "student_id": student_id, "last_name": last, "first_name": first,
                "middle_name": synth.maybe(r.choice(_FIRST_M + _FIRST_F), 0.7),
                "username": synth.maybe(f"{first.lower()}.{last.lower().replace(' ', '')}{student_id}", 0.4),
                "password": synth.maybe(synth.sha_crypt(), 0.4), "last_login": synth.maybe(ts(), 0.7),
                "custom_200000000": "Male" if kid.sex == "M" else "Female",
                "custom_200000001": synth.maybe(r.choice(("White, Non-Hispanic", "Black, Non-Hispanic", "Hispanic",
                                                          "Asian or Pacific Islander", "Other")), 0.3),
                "custom_200000002": synth.maybe(first[:3], 0.9),
                "custom_200000003": synth.maybe(ssn, 0.7),
                "custom_200000004": kid.dob.isoformat(),
                "custom_200000005": "Spanish" if r.random() < 0.1 else "English",
                "custom_200000006": synth.maybe(f"Dr. {r.choice(_LAST)}", 0.8),
                "custom_200000007": synth.maybe(phone(), 0.9),
                "custom_200000008": synth.maybe(r.choice(("St. John's Hospital", "Memorial Medical Center")), 0.85),
                "custom_200000009": synth.maybe(synth.medical_note_en(), 0.9),
                "custom_200000010": synth.maybe("Y", 0.95), "created_at": ts(),
            }, subject=kid, dated=True)
            add("student_enrollment", {"id": student_id, "syear": syear, "school_id": 1, "student_id": student_id,
                                       "grade_id": grade + 1, "start_date": start.isoformat(),
                                       "enrollment_code": 3, "calendar_id": 1}, subject=kid)
            add("students_join_address", {"id": len(rows["students_join_address"]) + 1, "student_id": student_id,
                                          "address_id": address_id, "residence": "Y", "mailing": "Y",
                                          "bus_pickup": synth.maybe("Y", 0.6), "bus_dropoff": synth.maybe("Y", 0.6)},
                subject=kid)
            for pid, *_ in guardians:
                add("students_join_people", {"id": len(rows["students_join_people"]) + 1, "student_id": student_id,
                                             "person_id": pid, "address_id": address_id, "custody": "Y",
                                             "emergency": r.choice(("Y", None)),
                                             "student_relation": r.choice(_RELATIONS)}, subject=kid)
            for day in sorted({synth.date_between(start, today) for _ in range(r.randrange(0, 6))}):
                add("attendance_day", {"student_id": student_id, "school_date": day.isoformat(),
                                       "minutes_present": r.choice((0, 180, 360)),
                                       "state_value": r.choice((0.0, 0.5, 1.0)),
                                       "syear": syear, "comment": synth.maybe(r.choice(("Doctor appointment",
                                                                                         "Family trip", "Sick")), 0.6)},
                    subject=kid)
            if r.random() < 0.3:
                add("student_medical", {"id": len(rows["student_medical"]) + 1, "student_id": student_id,
                                        "type": "Immunization",
                                        "medical_date": synth.date_between(kid.dob, today).isoformat(),
                                        "comments": r.choice(_IMMUNIZATIONS)}, subject=kid)
            if r.random() < 0.1:
                add("student_medical_alerts", {"id": len(rows["student_medical_alerts"]) + 1, "student_id": student_id,
                                               "title": synth.allergy_en()}, subject=kid)
            if r.random() < 0.15:
                add("student_medical_visits", {"id": len(rows["student_medical_visits"]) + 1, "student_id": student_id,
                                               "school_date": synth.date_between(start, today).isoformat(),
                                               "time_in": "10:15", "time_out": "10:40",
                                               "reason": r.choice(_VISIT_REASONS), "result": "Returned to class"},
                    subject=kid)
            if r.random() < 0.5:
                fee_id = len(rows["billing_fees"]) + 1
                add("billing_fees", {"id": fee_id, "student_id": student_id,
                                     "title": r.choice(("Tuition", "Lab fee", "Field trip")),
                                     "amount": float(synth.money(25, 900)), "assigned_date": start.isoformat(),
                                     "due_date": (start + dt.timedelta(days=30)).isoformat(), "school_id": 1,
                                     "syear": syear, "created_by": "Ellen Parker"}, subject=kid)
                if r.random() < 0.6:
                    add("billing_payments", {"id": len(rows["billing_payments"]) + 1, "syear": syear, "school_id": 1,
                                             "student_id": student_id, "amount": float(synth.money(25, 900)),
                                             "payment_date": synth.date_between(start, today).isoformat(),
                                             "comments": synth.maybe(f"Check #{r.randrange(1000, 9999)}", 0.5)},
                        subject=kid)
            if r.random() < 0.08:
                add("discipline_referrals", {"id": len(rows["discipline_referrals"]) + 1, "syear": syear,
                                             "student_id": student_id, "school_id": 1, "staff_id": r.choice(teachers),
                                             "entry_date": today.isoformat(), "referral_date": today.isoformat(),
                                             "category_1": "||Talking out of Turn||", "category_2": "Y",
                                             "category_6": "Warned twice during math."}, subject=kid)
        # some guardians get a parent portal account, linked to their children
        for pid, gp, gfirst, glast in guardians:
            if r.random() < 0.25:
                sid = add_staff(gp, "parent", 3, gfirst, glast)
                for link in rows["students_join_people"]:
                    if link["person_id"] == pid:
                        add("students_join_users", {"student_id": link["student_id"], "staff_id": sid})
    for _ in range(40):
        who = r.choice(rows["staff"] + rows["students"])
        add("access_log", {"syear": syear, "username": who.get("username") or "",
                           "profile": who.get("profile", "student"),
                           "login_time": ts(), "ip_address": synth.ip4() if r.random() < 0.8 else synth.ip6(),
                           "user_agent": r.choice(("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
                                                   "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1")),
                           "status": r.choice(("Y", "Y", "Y", "B"))})
    return rows
