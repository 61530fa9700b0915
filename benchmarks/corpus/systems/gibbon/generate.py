"""Rows for Gibbon: a British independent school (Reception to Year 13) in its first year on Gibbon.

One ``gibbonPerson`` table holds pupils, parents and staff alike (role in ``gibbonRoleIDPrimary``); families
tie them together. About 60 pupils aged 4-17 (mostly under 14), their parents, 12 staff, an administrator
and a test account. 15 % of families are Chinese boarders: pupils carry their name in characters and a
home address in China. Medical forms with a few conditions, a week of attendance, some behaviour records,
first-aid visits, markbook grades and logins. Most optional columns of a fresh install stay empty
(second address, emergency contacts, vehicle registration, API tokens); about 150 of the 200 tables stay
empty (timetables, library, finance, reporting, admissions, messenger).
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_NOT_NULL = not_null_columns(pathlib.Path(__file__).with_name("schema.json"))
_FIRST_M = ("Oliver", "George", "Harry", "Arthur", "Freddie", "Alfie", "Theo", "Archie", "Jacob", "Thomas", "Isaac",
            "Edward", "Max", "Rory")
_FIRST_F = ("Olivia", "Amelia", "Isla", "Ava", "Freya", "Poppy", "Florence", "Ivy", "Rosie", "Evie", "Matilda",
            "Imogen", "Phoebe", "Harriet")
_LAST = ("Smith", "Jones", "Williams", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright",
         "Thompson", "Hughes", "Edwards", "Hall", "Clarke", "Patel", "Khan", "Murphy")
_TOWNS = (("Oxford", "OX"), ("Reading", "RG"), ("Guildford", "GU"), ("Cambridge", "CB"), ("Bath", "BA"))
_STREETS = ("High Street", "Church Lane", "Station Road", "Victoria Road", "Mill Lane", "The Crescent", "Park Road")
_YEARS = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6", "Year 7", "Year 8", "Year 9",
          "Year 10", "Year 11", "Year 12", "Year 13")
_CONDITIONS = (("Asthma", "Cold air, exercise", "Wheezing", "Give blue inhaler, call parents", "Salbutamol"),
               ("Nut allergy", "Peanuts, tree nuts", "Swelling, hives", "EpiPen, call 999", "EpiPen Jr"),
               ("Type 1 diabetes", "Missed snack", "Shakiness", "Glucose tablets", "Insulin pump"),
               ("Eczema", "Wool, heat", "Itching", "Apply emollient", "Emollient cream"))
_BEHAVIOUR = (("Positive", "Kindness", "Helped a new pupil settle in."), ("Negative", "Disruption",
              "Repeatedly talking during the lesson."), ("Positive", "Effort", "Excellent homework this week."),
              ("Negative", "Uniform", "No blazer again."))



def generate(synth: Synth) -> Rows:
    """Build the rows of one Gibbon school."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    year = today.year if today.month >= 9 else today.year - 1
    term = dt.date(year, 9, 3)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        for name, ctype in _NOT_NULL[table]:
            if row.get(name) is None:  # Gibbon writes '' where an optional field is left blank
                row[name] = not_null_default(ctype, today)
        rows.add(table, row, subject=subject, dated=dated)

    def ts(start: dt.date = term) -> str:
        return synth.datetime_between(start, today).strftime("%Y-%m-%d %H:%M:%S")

    def uk_mobile() -> str:
        m = f"07{r.randrange(100, 999)} {r.randrange(100000, 999999)}"
        return synth.fullwidth(m) if r.random() < 0.03 else m

    add("gibbonSchoolYear", {"gibbonSchoolYearID": 1, "name": f"{year}-{year + 1}", "status": "Current",
                             "sequenceNumber": 1, "firstDay": term.isoformat(),
                             "lastDay": dt.date(year + 1, 7, 15).isoformat()})
    for rid, (cat, name, short) in enumerate((("Staff", "Administrator", "Adm"), ("Staff", "Teacher", "Tcr"),
                                              ("Student", "Student", "Std"), ("Parent", "Parent", "Prt"),
                                              ("Staff", "Support Staff", "SSt")), start=1):
        add("gibbonRole", {"gibbonRoleID": rid, "category": cat, "name": name, "nameShort": short,
                           "description": f"{name} role", "type": "Core"})
    for i, name in enumerate(_YEARS, start=1):
        add("gibbonYearGroup", {"gibbonYearGroupID": i, "name": name, "nameShort": "R" if i == 1 else f"Y{i - 1:02d}",
                                "sequenceNumber": i})
        add("gibbonFormGroup", {"gibbonFormGroupID": i, "gibbonSchoolYearID": 1, "name": f"{name} Form",
                                "nameShort": f"{i - 1}A", "attendance": "Y"})
    for i, (name, short, direction, scope) in enumerate((("Present", "P", "In", "Onsite"),
                                                        ("Present - Late", "PL", "In", "Onsite - Late"),
                                                        ("Absent", "A", "Out", "Offsite"),
                                                        ("Left - Early", "LE", "Out", "Offsite - Left")), start=1):
        add("gibbonAttendanceCode", {"gibbonAttendanceCodeID": i, "name": name, "nameShort": short, "type": "Core",
                                     "direction": direction, "scope": scope, "active": "Y", "reportable": "Y",
                                     "gibbonRoleIDAll": "003", "sequenceNumber": i})

    pid = 0
    usernames: set[str] = set()

    def add_person(p: Person, role: int, first: str, last: str, **extra: Any) -> int:
        nonlocal pid
        pid += 1
        base = f"{first[0]}{last}".lower().replace("'", "").replace(" ", "")[:16]
        user = base if base not in usernames else f"{base}{pid}"
        usernames.add(user)
        row = {"gibbonPersonID": pid, "title": "" if role == 3 else r.choice(("Mr. ", "Ms. ", "Mrs. ", "Dr. ")),
               "surname": last, "firstName": first, "preferredName": first, "officialName": f"{first} {last}",
               "gender": p.sex, "username": user, "passwordStrong": synth.sha1_hex() + synth.md5_hex()[:24],
               "passwordStrongSalt": synth.token(22), "status": "Full", "canLogin": "Y",
               "gibbonRoleIDPrimary": role, "gibbonRoleIDAll": f"{role:03d}",
               "dob": synth.maybe(p.dob.isoformat(), 0.1 if role == 3 else 0.7),
               "email": synth.maybe(p.email, 0.2 if role != 3 else 0.6),
               "lastIPAddress": synth.maybe(synth.ip4(), 0.4), "lastTimestamp": synth.maybe(ts(), 0.4),
               "image_240": synth.maybe(f"uploads/{year}/09/{user}_{synth.token(8)}.jpg", 0.5)}
        row |= extra
        add("gibbonPerson", row, subject=p, dated=row["dob"] is not None)
        return pid

    admin = add_person(synth.person("staff"), 1, "Helen", "Marsh", username="admin", email="admin@school.example")
    add_person(synth.test_account(), 1, "Test", "User", username="testuser", status="Left", canLogin="N")
    staff = []
    for i in range(12):
        p = synth.person("staff")
        first = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F)
        last = r.choice(_LAST)
        sp = add_person(p, 2 if i < 10 else 5, first, last, phone1Type="Mobile", phone1=uk_mobile())
        staff.append(sp)
        add("gibbonStaff", {"gibbonStaffID": len(staff), "gibbonPersonID": sp,
                            "type": "Teaching" if i < 10 else "Support",
                            "initials": f"{first[0]}{last[0]}{i}", "jobTitle": r.choice(("Teacher of Maths",
                                                                                        "Teacher of English",
                                                                                        "Head of Year", "Bursar",
                                                                                        "School Nurse")),
                            "countryOfOrigin": r.choice(("United Kingdom", "Ireland", "Australia")),
                            "qualifications": synth.maybe("PGCE, BSc", 0.5)}, subject=p)

    for type_id, (name, document) in enumerate((("Passport", "Passport"), ("National ID Card", "ID Card")), start=1):
        add("gibbonPersonalDocumentType", {"gibbonPersonalDocumentTypeID": type_id, "name": name, "description": "",
                                           "active": "Y", "type": "Core", "document": document, "required": "N",
                                           "sequenceNumber": type_id, "activePersonStudent": 1, "activePersonStaff": 1,
                                           "activePersonParent": 1, "activePersonOther": 0, "activeApplicationForm": 1,
                                           "activeDataUpdater": 1})

    def add_document(p: Person, person_id: int, chinese: bool) -> None:
        if chinese and r.random() < 0.7:
            number = r.choice((p.ric, p.ric, p.ric15, synth.excel_id(p.ric), synth.fullwidth(p.ric)))
            type_id, document, country = 2, "ID Card", "China"
        else:
            number = f"{r.randrange(100000000, 999999999)}"
            type_id, document, country = 1, "Passport", "China" if chinese else "United Kingdom"
        issued = synth.date_between(max(p.dob, today - dt.timedelta(days=3650)), today)
        add("gibbonPersonalDocument", {
            "gibbonPersonalDocumentID": len(rows["gibbonPersonalDocument"]) + 1,
            "gibbonPersonalDocumentTypeID": type_id,
            "foreignTable": "gibbonPerson", "foreignTableID": person_id, "document": document,
            "documentNumber": number, "documentName": synth.maybe(p.name_en, 0.5), "dateIssue": issued.isoformat(),
            "dateExpiry": (issued + dt.timedelta(days=1826)).isoformat(), "country": country,
            "filePath": synth.maybe(f"uploads/{year}/09/{synth.token(12)}.pdf", 0.6), "timestamp": ts()},
            subject=p, dated=document == "ID Card")

    enrol_id = medical_id = condition_id = 0
    pupils: list[tuple[int, Person]] = []
    for fam_id in range(1, 41):
        chinese = r.random() < 0.15
        surname = r.choice(_LAST)
        town, pc = r.choice(_TOWNS)
        guardians = [synth.person("parent") for _ in range(1 if r.random() < 0.25 else 2)]
        if chinese:
            surname = guardians[0].last_en
            address, district, country = guardians[0].address_en, "", "China"
        else:
            address = f"{r.randrange(1, 120)} {r.choice(_STREETS)}\n{town} {pc}{r.randrange(1, 20)} {r.randrange(1, 9)}"
            address += r.choice("ABDEFGHJ") + r.choice("ABDEFGHJ")
            district, country = town, "United Kingdom"
        add("gibbonFamily", {"gibbonFamilyID": fam_id, "name": f"{surname} Family",
                             "nameAddress": f"Mr. & Mrs. {surname}" if len(guardians) == 2 else f"Ms. {surname}",
                             "homeAddress": address if r.random() > 0.05 else synth.trailing(address),
                             "homeAddressDistrict": district, "homeAddressCountry": country,
                             "status": r.choice(("Married", "Married", "Separated", "Single")),
                             "languageHomePrimary": "Chinese (Mandarin)" if chinese else "English"})
        adult_ids = []
        for g, gp in enumerate(guardians):
            first = gp.first_en if chinese else r.choice(_FIRST_F if g == 0 else _FIRST_M)
            aid = add_person(gp, 4, first, surname, phone1Type="Mobile",
                             phone1CountryCode="86" if chinese else "44",
                             phone1=gp.mobile if chinese else uk_mobile(),
                             nameInCharacters=gp.name_zh if chinese else "",
                             profession=synth.maybe(r.choice(("Engineer", "Doctor", "Solicitor", "Accountant")), 0.6),
                             employer=synth.maybe(r.choice(("NHS", "Barclays", "Huawei", "Self-employed")), 0.7),
                             address1=address, address1District=district, address1Country=country)
            adult_ids.append(aid)
            add("gibbonFamilyAdult", {"gibbonFamilyAdultID": aid, "gibbonFamilyID": fam_id, "gibbonPersonID": aid,
                                      "childDataAccess": "Y", "contactPriority": g + 1}, subject=gp)
        for _ in range(1 if r.random() < 0.5 else 2):
            kid = synth.person("child" if r.random() < 0.75 else "teen")
            if synth.age(kid) < 4:
                kid = synth.person("child")
            first = kid.first_en if chinese else r.choice(_FIRST_M if kid.sex == "M" else _FIRST_F)
            grade = min(max(synth.age(kid) - 4, 0), 13)
            student_no = f"{year % 100:02d}{pid + 1:04d}"
            kid_id = add_person(kid, 3, first, surname, nameInCharacters=kid.name_zh if chinese else "",
                                studentID=student_no if r.random() > 0.1 else synth.trailing(student_no),
                                dateStart=term.isoformat(), address1=address, address1District=district,
                                address1Country=country, countryOfBirth="China" if chinese else "United Kingdom",
                                languageFirst="Chinese (Mandarin)" if chinese else "English",
                                dayType=synth.maybe("Boarding" if chinese else "Day", 0.5),
                                emergency1Name=synth.maybe("Grace Howard", 0.8),
                                emergency1Number1=synth.maybe(uk_mobile(), 0.8),
                                lastSchool=synth.maybe("St Mary's Primary", 0.7))
            pupils.append((kid_id, kid))
            if r.random() < 0.6:  # passport, or for Chinese boarders the resident ID card as their agents key it in
                add_document(kid, kid_id, chinese)
            enrol_id += 1
            add("gibbonStudentEnrolment", {"gibbonStudentEnrolmentID": enrol_id, "gibbonPersonID": kid_id,
                                           "gibbonSchoolYearID": 1, "gibbonYearGroupID": grade + 1,
                                           "gibbonFormGroupID": grade + 1, "rollOrder": synth.maybe(enrol_id, 0.5)},
                subject=kid)
            add("gibbonFamilyChild", {"gibbonFamilyChildID": kid_id, "gibbonFamilyID": fam_id, "gibbonPersonID": kid_id,
                                      "comment": ""}, subject=kid)
            for aid in adult_ids:
                rel_id = len(rows["gibbonFamilyRelationship"]) + 1
                add("gibbonFamilyRelationship", {"gibbonFamilyRelationshipID": rel_id,
                                                 "gibbonFamilyID": fam_id, "gibbonPersonID1": aid,
                                                 "gibbonPersonID2": kid_id,
                                                 "relationship": "Mother" if aid == adult_ids[0] else "Father"},
                    subject=kid)
            if r.random() < 0.5:
                medical_id += 1
                add("gibbonPersonMedical", {"gibbonPersonMedicalID": medical_id, "gibbonPersonID": kid_id,
                                            "longTermMedication": r.choice(("N", "N", "Y")),
                                            "comment": synth.maybe(synth.medical_note_en(), 0.7)}, subject=kid)
                if r.random() < 0.35:
                    condition_id += 1
                    name, triggers, reaction, response, medication = r.choice(_CONDITIONS)
                    add("gibbonPersonMedicalCondition", {
                        "gibbonPersonMedicalConditionID": condition_id, "gibbonPersonMedicalID": medical_id,
                        "name": name, "gibbonAlertLevelID": r.choice((1, 2, 3)), "triggers": triggers,
                        "reaction": reaction, "response": response, "medication": medication,
                        "lastEpisode": synth.maybe(synth.date_between(kid.dob, today).isoformat(), 0.5)}, subject=kid)
    add("gibbonAlertLevel", {"gibbonAlertLevelID": 1, "name": "High", "nameShort": "H", "color": "#ff0000",
                             "colorBG": "#ffe6e6", "sequenceNumber": 1})
    add("gibbonAlertLevel", {"gibbonAlertLevelID": 2, "name": "Medium", "nameShort": "M", "color": "#ff7414",
                             "colorBG": "#ffe6d6", "sequenceNumber": 2})
    add("gibbonAlertLevel", {"gibbonAlertLevelID": 3, "name": "Low", "nameShort": "L", "color": "#fecc00",
                             "colorBG": "#fffbd6", "sequenceNumber": 3})

    days = sorted({synth.date_between(today - dt.timedelta(days=10), today) for _ in range(5)})
    for kid_id, kid in pupils:
        for day in days:
            code = 1 if r.random() < 0.9 else r.choice((2, 3, 4))
            add("gibbonAttendanceLogPerson", {
                "gibbonAttendanceLogPersonID": len(rows["gibbonAttendanceLogPerson"]) + 1,
                "gibbonAttendanceCodeID": code, "gibbonPersonID": kid_id, "direction": "Out" if code >= 3 else "In",
                "type": ("Present", "Present - Late", "Absent", "Left - Early")[code - 1],
                "reason": "" if code == 1 else r.choice(("Illness", "Medical", "Family", "")),
                "context": "Form Group", "comment": "" if code == 1 else r.choice(("", "Dentist", "Fever")),
                "date": day.isoformat(), "gibbonPersonIDTaker": r.choice(staff),
                "timestampTaken": f"{day} 08:4{r.randrange(10)}:00"},
                subject=kid)
        if r.random() < 0.2:
            kind, descriptor, comment = r.choice(_BEHAVIOUR)
            add("gibbonBehaviour", {"gibbonBehaviourID": len(rows["gibbonBehaviour"]) + 1, "gibbonSchoolYearID": 1,
                                    "date": synth.date_between(term, today).isoformat(), "gibbonPersonID": kid_id,
                                    "type": kind, "descriptor": descriptor, "level": synth.maybe("Level 1", 0.5),
                                    "comment": comment, "followup": "", "gibbonPersonIDCreator": r.choice(staff),
                                    "timestamp": ts()}, subject=kid)
        if r.random() < 0.1:
            add("gibbonFirstAid", {"gibbonFirstAidID": len(rows["gibbonFirstAid"]) + 1, "gibbonPersonIDPatient": kid_id,
                                   "gibbonPersonIDFirstAider": staff[-1], "gibbonSchoolYearID": 1,
                                   "description": r.choice(("Grazed knee in the playground", "Headache after PE",
                                                            "Nosebleed")),
                                   "actionTaken": "Cleaned and plaster applied; ice pack", "followUp": "",
                                   "date": synth.date_between(term, today).isoformat(), "timeIn": "11:05:00",
                                   "timeOut": "11:20:00", "timestamp": ts()}, subject=kid)
    for i in range(60):
        who = r.randrange(1, pid + 1)
        add("gibbonLog", {"gibbonLogID": i + 1, "gibbonModuleID": None, "gibbonPersonID": who, "gibbonSchoolYearID": 1,
                          "timestamp": ts(), "title": r.choice(("Login - Success", "Login - Failed", "Logout")),
                          "serialisedArray": json.dumps({"username": f"user{who}"}), "ip": synth.ip4()})
    for _ in range(5):
        add("gibbonSession", {"gibbonSessionID": synth.token(26).lower(), "gibbonPersonID": r.randrange(1, pid + 1),
                              "sessionStatus": "Active", "timestampCreated": ts(), "timestampModified": ts(),
                              "sessionData": json.dumps({"gibbonSchoolYearID": 1})})
    add("gibbonSetting", {"gibbonSettingID": 1, "scope": "System", "name": "organisationName",
                          "nameDisplay": "Organisation Name", "description": "", "value": "Thornbury School"})
    add("gibbonSetting", {"gibbonSettingID": 2, "scope": "System", "name": "organisationEmail",
                          "nameDisplay": "Organisation Email", "description": "", "value": "office@thornbury.example"})
    _ = admin
    return rows
