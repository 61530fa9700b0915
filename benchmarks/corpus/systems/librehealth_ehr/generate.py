"""Rows for LibreHealth EHR: a family-practice clinic with a large paediatric panel, a few months in.

``patient_data`` holds every patient: infants and schoolchildren (with their mother's or guardian's name,
Vaccines-for-Children eligibility, immunisation-registry consent), teenagers, parents and other adults.
Children's visits carry vitals (head circumference for infants), immunisations by CVX code, allergies and
problems in ``lists``, prescriptions, insurance with a parent as subscriber, appointments, messages,
claims lines and audit-log entries. Providers, nurses and front-desk staff are ``users``. As in a young
install most optional demographics stay empty (driver's licence, income, industry) and about 120 of the
166 tables (reference codes, lab interfaces, portal, CCDA, reports) stay empty or hold only set-up rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_NOT_NULL = not_null_columns(pathlib.Path(__file__).with_name("schema.json"))
_FIRST_M = ("Liam", "Noah", "Elijah", "Lucas", "Mason", "Logan", "Aiden", "Caleb", "Jayden", "Wyatt", "Robert", "Kevin")
_FIRST_F = ("Emma", "Ava", "Sophia", "Isabella", "Mia", "Harper", "Aaliyah", "Zoe", "Nora", "Maria", "Linda", "Karen")
_LAST = ("Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Wilson", "Moore",
         "Jackson", "Lee", "Nguyen", "Robinson", "Lewis")
_STREETS = ("N Main St", "Oak Hollow Dr", "W 5th Ave", "Pine Ridge Rd", "Meadow Ln", "Lakeview Blvd", "Birch Ct")
_CITIES = (("Raleigh", "NC", "276"), ("Durham", "NC", "277"), ("Cary", "NC", "275"), ("Chapel Hill", "NC", "275"))
# (CVX code, vaccine, manufacturer, route, site) as a paediatric schedule records them
_VACCINES = (("20", "DTaP", "Sanofi Pasteur", "IM", "LT"), ("10", "IPV", "Sanofi Pasteur", "IM", "RT"),
             ("03", "MMR", "Merck", "SC", "LA"), ("21", "Varicella", "Merck", "SC", "RA"),
             ("08", "Hep B, adolescent or pediatric", "GlaxoSmithKline", "IM", "LT"),
             ("83", "Hep A, ped/adol, 2 dose", "Merck", "IM", "RT"), ("133", "PCV13", "Pfizer", "IM", "LT"),
             ("49", "Hib (PRP-OMP)", "Merck", "IM", "RT"), ("62", "HPV, quadrivalent", "Merck", "IM", "LD"),
             ("114", "MenACWY", "Sanofi Pasteur", "IM", "RD"), ("115", "Tdap", "GlaxoSmithKline", "IM", "LD"),
             ("88", "Influenza, unspecified", "Seqirus", "IM", "LD"))
_PROBLEMS = (("medical_problem", "Asthma, mild intermittent", "ICD10:J45.20"),
             ("medical_problem", "Otitis media, acute", "ICD10:H66.90"),
             ("medical_problem", "ADHD, combined type", "ICD10:F90.2"),
             ("medical_problem", "Atopic dermatitis", "ICD10:L20.9"),
             ("medical_problem", "Obesity, BMI >= 95th percentile", "ICD10:E66.9"),
             ("allergy", "Penicillin", ""), ("allergy", "Peanut", ""), ("allergy", "Amoxicillin", ""),
             ("medication", "Albuterol HFA 90 mcg", ""), ("medication", "Cetirizine 5 mg", ""))
_REASONS = ("Well child check", "Fever and cough x3 days", "Ear pain", "Sports physical", "Rash", "Follow-up asthma",
            "Vaccines only", "Sore throat")



def generate(synth: Synth) -> Rows:
    """Build the rows of one LibreHealth EHR clinic."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    opened = today - dt.timedelta(days=150)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        for name, ctype in _NOT_NULL[table]:
            if row.get(name) is None:  # the EHR writes '' / 0 where a form field is left blank
                row[name] = not_null_default(ctype, today)
        rows.add(table, row, subject=subject, dated=dated)

    def when(start: dt.date = opened) -> dt.datetime:
        return synth.datetime_between(start, today)

    def phone() -> str:
        p = f"{r.choice(('919', '984', '252'))}-{r.randrange(200, 999)}-{r.randrange(10000):04d}"
        return synth.fullwidth(p) if r.random() < 0.02 else p

    def ssn() -> str:
        s = f"{r.randrange(100, 665)}-{r.randrange(10, 99)}-{r.randrange(1000, 9999)}"
        return synth.excel_id(s.replace("-", "")) if r.random() < 0.08 else s

    add("facility", {"id": 3, "name": "Oak Park Family Medicine", "phone": "919-555-0142", "street": "200 Clinic Dr",
                     "city": "Raleigh", "state": "NC", "postal_code": "27603", "country_code": "US",
                     "federal_ein": "56-1234567", "facility_npi": "1234567893", "service_location": 1,
                     "billing_location": 1, "color": "#99FFFF", "primary_business_entity": 1})
    add("libreehr_postcalendar_categories", {"pc_catid": 5, "pc_catname": "Office Visit", "pc_catcolor": "#FFFFCC",
                                             "pc_duration": 900, "pc_cattype": 0, "pc_active": 1, "pc_seq": 5})
    add("libreehr_postcalendar_categories", {"pc_catid": 9, "pc_catname": "Established Patient",
                                             "pc_catcolor": "#CCFFFF", "pc_duration": 900, "pc_cattype": 0,
                                             "pc_active": 1, "pc_seq": 9})
    for seq, (option, title) in enumerate((("Male", "Male"), ("Female", "Female")), start=1):
        add("list_options", {"list_id": "sex", "option_id": option, "title": title, "seq": seq})
    for seq, (code, name, *_rest) in enumerate(_VACCINES, start=1):
        add("list_options", {"list_id": "immunizations", "option_id": code, "title": name, "seq": seq,
                             "codes": f"CVX:{code}"})

    # staff
    users: list[tuple[int, str]] = []
    for uid, (first, last, role, title, specialty) in enumerate((
            ("Administrator", "Administrator", "admin", "", ""),
            ("Rachel", "Kim", "physician", "Dr.", "Pediatrics"),
            ("Thomas", "Hale", "physician", "Dr.", "Family Medicine"),
            ("Anita", "Shah", "physician", "Dr.", "Pediatrics"), ("Jenna", "Price", "nurse", "", "RN"),
            ("Marcus", "Bell", "nurse", "", "LPN"), ("Paula", "Reyes", "front", "", ""),
            ("Test", "Provider", "physician", "", "")), start=1):
        p = synth.person("staff") if first != "Test" else synth.test_account()
        username = "admin" if role == "admin" else ("test" if first == "Test" else f"{first[0]}{last}".lower())
        add("users", {"id": uid, "username": username, "password": "NoLongerUsed",
                      "authorized": int(role == "physician"), "fname": first, "lname": last, "title": title,
                      "specialty": specialty, "facility": "Oak Park Family Medicine",
                      "facility_id": 3, "active": 1, "see_auth": 1, "calendar": int(role == "physician"),
                      "npi": f"1{r.randrange(10**8, 10**9)}" if role == "physician" else "",
                      "federaldrugid": f"B{last[0]}{r.randrange(10**6, 10**7)}" if role == "physician" else "",
                      "email": synth.maybe(p.email, 0.5), "phonecell": synth.maybe(phone(), 0.6),
                      "taxonomy": "208000000X" if specialty == "Pediatrics" else "207Q00000X",
                      "menu_role": "Administrators" if role == "admin" else "Clinicians"}, subject=p)
        add("users_secure", {"id": uid, "username": username, "password": synth.bcrypt(), "last_update": str(when())},
            subject=p)
        add("groups", {"id": uid, "name": "Default", "user": username}, subject=p)
        users.append((uid, username))
    add("users", {"id": 20, "username": "", "fname": "", "lname": "", "organization": "LabCorp Raleigh",
                  "street": "1001 Lab Way", "city": "Raleigh", "state": "NC", "zip": "27604", "phone": "919-555-0199",
                  "abook_type": "ord_lab", "active": 1, "facility_id": 0})
    physicians = [u for u in users if u[0] in (2, 3, 4)]
    nurses = [u for u in users if u[0] in (5, 6)]

    # patients: households of parents and children, plus other adults
    pid = encounter = form_id = 0
    log_id = 0

    def add_patient(p: Person, first: str, last: str, **extra: Any) -> int:
        nonlocal pid
        pid += 1
        city, state, zip3 = r.choice(_CITIES)
        row = {"id": pid, "pid": pid, "pubpid": str(pid) if r.random() > 0.1 else synth.trailing(str(pid)),
               "fname": first, "lname": last, "mname": synth.maybe(r.choice(_FIRST_F + _FIRST_M)[0], 0.8),
               "DOB": p.dob.isoformat(), "sex": "Male" if p.sex == "M" else "Female",
               "street": f"{r.randrange(10, 9999)} {r.choice(_STREETS)}", "city": city, "state": state,
               "postal_code": f"{zip3}{r.randrange(10, 99)}", "country_code": "USA",
               "phone_home": synth.maybe(phone(), 0.4), "phone_cell": synth.maybe(phone(), 0.3),
               "email": synth.maybe(p.email, 0.5), "ss": synth.maybe(ssn(), 0.6),
               "race": synth.maybe(r.choice(("white", "black_or_afri_amer", "Asian", "declne_to_specfy")), 0.3),
               "ethnicity": synth.maybe(r.choice(("not_hisp_or_latin", "hisp_or_latin")), 0.4),
               "language": r.choice(("English", "English", "English", "Spanish")),
               "providerID": r.choice(physicians)[0],
               "regdate": str(when().date()), "date": str(when()), "pricelevel": "standard",
               "hipaa_allowsms": r.choice(("YES", "NO")), "hipaa_allowemail": r.choice(("YES", "NO")),
               "allow_patient_portal": r.choice(("YES", "NO", "")), "financial": ""}
        row |= extra
        add("patient_data", row, subject=p, dated=True)
        return pid

    def visit(p: Person, patient: int, reason: str) -> int:
        nonlocal encounter, form_id
        encounter += 1
        doctor = r.choice(physicians)
        day = when()
        add("form_encounter", {"id": encounter, "date": str(day), "reason": reason,
                               "facility": "Oak Park Family Medicine", "facility_id": 3, "pid": patient,
                               "encounter": encounter, "pc_catid": 5, "provider_id": doctor[0],
                               "billing_facility": 3}, subject=p)
        form_id += 1
        add("forms", {"id": form_id, "date": str(day), "encounter": encounter, "form_name": "New Patient Encounter",
                      "form_id": encounter, "pid": patient, "user": doctor[1], "groupname": "Default",
                      "authorized": 1, "formdir": "newpatient"}, subject=p)
        age_m = (day.date() - p.dob).days / 30.4
        vitals_id = len(rows["form_vitals"]) + 1
        height_in = round(20 + min(age_m, 216) * 0.2 + r.uniform(-1.5, 1.5), 1)
        add("form_vitals", {"id": vitals_id, "date": str(day), "pid": patient, "user": r.choice(nurses)[1],
                            "groupname": "Default", "authorized": 0, "activity": 1,
                            "weight": round(7 + min(age_m, 216) * 0.55 + r.uniform(-3, 3), 1), "height": height_in,
                            "temperature": round(r.uniform(97.8, 101.8), 1), "temp_method": "Oral",
                            "pulse": r.randrange(70, 130), "respiration": r.randrange(14, 30),
                            "bps": str(r.randrange(90, 125)), "bpd": str(r.randrange(55, 80)),
                            "head_circ": round(r.uniform(38, 50), 1) if age_m < 36 else None,
                            "oxygen_saturation": r.randrange(95, 100),
                            "note": synth.maybe("Weighed without shoes", 0.8)}, subject=p)
        form_id += 1
        add("forms", {"id": form_id, "date": str(day), "encounter": encounter, "form_name": "Vitals",
                      "form_id": vitals_id, "pid": patient, "user": r.choice(nurses)[1], "groupname": "Default",
                      "authorized": 0, "formdir": "vitals"}, subject=p)
        for code in ("99392" if age_m < 60 else "99393", "90460"):
            add("billing", {"id": len(rows["billing"]) + 1, "date": str(day), "code_type": "CPT4", "code": code,
                            "pid": patient, "provider_id": doctor[0], "user": doctor[0], "groupname": "Default",
                            "authorized": 1, "encounter": encounter, "code_text": "Preventive visit" if code != "90460"
                            else "Immunization admin", "activity": 1, "fee": float(synth.money(20, 180)), "units": 1},
                subject=p)
        return encounter

    for _ in range(34):
        family_last = r.choice(_LAST)
        chinese = r.random() < 0.12
        mother = synth.person("parent")
        if chinese:
            family_last = mother.last_en
        m_first = mother.first_en if chinese else r.choice(_FIRST_F)
        mother_pid = add_patient(mother, m_first, family_last, occupation=synth.maybe("Teacher", 0.7),
                                 status=synth.maybe(r.choice(("married", "single", "divorced")), 0.4)) \
            if r.random() < 0.6 else None
        for _k in range(r.choice((1, 1, 2, 3))):
            kid = synth.person("child" if r.random() < 0.8 else "teen")
            if r.random() < 0.2:  # infants and toddlers
                born = today - dt.timedelta(days=r.randrange(40, 3 * 365))
                kid = dataclasses.replace(kid, dob=born)
            first = kid.first_en if chinese else r.choice(_FIRST_M if kid.sex == "M" else _FIRST_F)
            patient = add_patient(kid, first, family_last, mothersname=f"{m_first} {family_last}",
                                  guardiansname=synth.maybe(f"{m_first} {family_last}", 0.5),
                                  contact_relationship=synth.maybe(f"{m_first} (mother)", 0.6),
                                  vfc=r.choice(("eligible", "ineligible", "")), allow_imm_reg_use="YES",
                                  allow_imm_info_share=r.choice(("YES", "NO")), ss=synth.maybe(ssn(), 0.85))
            for visit_no in range(r.randrange(1, 4)):
                enc = visit(kid, patient, "Well child check" if visit_no == 0 else r.choice(_REASONS))
                if r.random() < 0.7:
                    code, name, maker, route, site = r.choice(_VACCINES)
                    given = when()
                    add("immunizations", {
                        "id": len(rows["immunizations"]) + 1, "patient_id": patient, "administered_date": str(given),
                        "immunization_id": None, "cvx_code": code, "manufacturer": maker,
                        "lot_number": f"{r.choice('ABUXY')}{r.randrange(1000, 9999)}{r.choice('AB')}",
                        "administered_by_id": r.choice(nurses)[0], "administered_by": "",
                        "education_date": given.date().isoformat(), "vis_date": "2023-08-06",
                        "note": synth.maybe(f"{name}; tolerated well", 0.6), "create_date": str(given),
                        "update_date": str(given), "created_by": r.choice(nurses)[0], "amount_administered": 0.5,
                        "amount_administered_unit": "mL", "route": route, "administration_site": site,
                        "completion_status": "Completed", "information_source": "new_immunization_record",
                        "ordering_provider": r.choice(physicians)[0]}, subject=kid)
                if visit_no == 0 and r.random() < 0.3:
                    ptype, title, diag = r.choice(_PROBLEMS)
                    add("lists", {"id": len(rows["lists"]) + 1, "date": str(when()), "type": ptype, "title": title,
                                  "begdate": synth.date_between(kid.dob, today).isoformat(), "diagnosis": diag,
                                  "activity": 1, "pid": patient, "user": r.choice(physicians)[1],
                                  "groupname": "Default",
                                  "reaction": "hives" if ptype == "allergy" else "", "outcome": 0,
                                  "comments": synth.maybe(synth.medical_note_en(), 0.7)}, subject=kid)
                if r.random() < 0.15:
                    add("prescriptions", {"id": len(rows["prescriptions"]) + 1, "patient_id": patient,
                                          "date_added": today.isoformat(), "provider_id": r.choice(physicians)[0],
                                          "encounter": enc, "start_date": today.isoformat(),
                                          "drug": r.choice(("Amoxicillin 400 mg/5 mL susp", "Albuterol HFA",
                                                            "Ibuprofen 100 mg/5 mL")),
                                          "dosage": "5 mL", "quantity": "100", "refills": 0, "active": 1,
                                          "note": synth.maybe("Take with food", 0.5)}, subject=kid)
            if r.random() < 0.5:
                sub = mother
                add("insurance_data", {
                    "id": len(rows["insurance_data"]) + 1, "type": "primary", "provider": "1",
                    "plan_name": r.choice(("BCBS NC Blue Options", "NC Medicaid", "Aetna Choice POS II")),
                    "policy_number": f"{r.choice('WXYZ')}{r.randrange(10**8, 10**9)}",
                    "group_number": str(r.randrange(10**5, 10**6)),
                    "subscriber_lname": family_last, "subscriber_fname": m_first, "subscriber_relationship": "mother",
                    "subscriber_ss": synth.maybe(ssn(), 0.5), "subscriber_DOB": sub.dob.isoformat(),
                    "subscriber_sex": "Female", "subscriber_phone": phone(), "copay": "25", "date": opened.isoformat(),
                    "eDate": opened.isoformat(), "pid": patient, "accept_assignment": "TRUE", "policy_type": ""},
                    subject=kid)
            if r.random() < 0.4:
                event = len(rows["libreehr_postcalendar_events"]) + 1
                day = synth.date_between(today, today + dt.timedelta(days=60))
                add("libreehr_postcalendar_events", {
                    "pc_eid": event, "pc_catid": 9, "pc_aid": str(r.choice(physicians)[0]), "pc_pid": str(patient),
                    "pc_title": "Established Patient", "pc_time": str(when()), "pc_hometext": synth.maybe(
                        r.choice(("4 yr well visit + shots", "follow up ear infection", "needs school form")), 0.4),
                    "pc_informant": 7, "pc_eventDate": day.isoformat(), "pc_endDate": day.isoformat(),
                    "pc_duration": 900, "pc_startTime": f"{r.randrange(8, 17):02d}:00:00",
                    "pc_endTime": None, "pc_apptstatus": "-", "pc_facility": 3, "pc_billing_location": 3,
                    "pc_prefcatid": 0, "pc_room": "", "pc_sendalertsms": "NO", "pc_sendalertemail": "NO"}, subject=kid)
            if r.random() < 0.15:
                add("pnotes", {"id": len(rows["pnotes"]) + 1, "date": str(when()), "pid": patient,
                               "body": synth.parent_message_en(kid), "user": r.choice(nurses)[1],
                               "groupname": "Default",
                               "activity": 1, "authorized": 0, "title": "Patient Reminders",
                               "assigned_to": r.choice(physicians)[1], "message_status": "New"}, subject=kid)
            log_id += 1
            add("log", {"id": log_id, "date": str(when()), "event": "patient-record-select",
                        "user": r.choice(users)[1],
                        "groupname": "Default", "comments": f"select * from patient_data where pid = {patient}",
                        "patient_id": patient, "success": 1, "log_from": "libreehr"}, subject=kid)
        if mother_pid is not None:
            visit(mother, mother_pid, r.choice(("Annual physical", "Sinusitis", "Back pain")))
            add("history_data", {"id": len(rows["history_data"]) + 1, "pid": mother_pid, "date": str(when()),
                                 "tobacco": r.choice(("nevertobacco", "currenttobacco", "")),
                                 "alcohol": r.choice(("", "Socially")), "exercise_patterns": "",
                                 "history_mother": synth.maybe("Type 2 diabetes", 0.6),
                                 "relatives_diabetes": synth.maybe("Mother", 0.7)}, subject=mother)
    for _ in range(10):
        adult = synth.person("adult")
        patient = add_patient(adult, r.choice(_FIRST_M + _FIRST_F), r.choice(_LAST),
                              status=synth.maybe(r.choice(("married", "widowed")), 0.5),
                              drivers_license=synth.maybe(f"NC{r.randrange(10**7, 10**8)}", 0.8))
        visit(adult, patient, r.choice(("Annual physical", "Hypertension follow-up")))
    add("patient_access_onsite", {"id": 1, "pid": 1, "portal_username": "mom.portal", "portal_pwd": synth.bcrypt(),
                                  "portal_pwd_status": 1, "portal_salt": synth.token(22)})
    add("globals", {"gl_name": "language_default", "gl_index": 0, "gl_value": "English (Standard)"})
    return rows
