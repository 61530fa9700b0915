"""Rows for Open Hospital: a rural district hospital a few months after installing Open Hospital.

``OH_PATIENT`` holds every patient: under-fives and schoolchildren (with the mother's and father's names
and whether they are alive), mothers who come to deliver, other adults. Outpatient visits (OPD) with
diagnosis codes, admissions to the paediatric, malnutrition and maternity wards with malnutrition-control
weighings, EPI vaccinations (BCG, OPV, pentavalent, measles), laboratory tests, examinations, therapies,
bills and payments, SMS reminders and the users' log-ins. Tables the install seeds are filled with our own
lookup rows (wards, diseases, vaccines, age bands); most optional columns stay empty (tax codes, photos,
allergies), and the pharmacy, DICOM, pricing and telemetry tables stay empty.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_NOT_NULL = not_null_columns(pathlib.Path(__file__).with_name("schema.json"))
_FIRST_M = ("Moses", "Joseph", "Brian", "Isaac", "Emmanuel", "Ronald", "Samuel", "Denis", "Peter", "Allan")
_FIRST_F = ("Grace", "Esther", "Sarah", "Agnes", "Brenda", "Joan", "Prossy", "Mercy", "Florence", "Harriet")
_LAST = (
    "Okello",
    "Nakato",
    "Achieng",
    "Ouma",
    "Mugisha",
    "Namubiru",
    "Odongo",
    "Atim",
    "Kato",
    "Nansubuga",
    "Opio",
    "Akello",
    "Ssemanda",
    "Auma",
)
_VILLAGES = ("Angal", "Nebbi", "Pakwach", "Panyimur", "Parombo", "Erussi", "Nyaravur")
_WARDS = (
    ("OPD", "Outpatient Department", 1),
    ("PED", "Paediatric Ward", 0),
    ("MAL", "Malnutrition Unit", 0),
    ("MAT", "Maternity", 0),
    ("MED", "Medical Ward", 0),
)
_DISEASES = (
    ("M1", "Malaria, uncomplicated", "IN"),
    ("M2", "Malaria, severe", "IN"),
    ("P1", "Pneumonia", "RE"),
    ("D1", "Diarrhoea, acute", "GA"),
    ("N1", "Severe acute malnutrition", "NU"),
    ("N2", "Moderate acute malnutrition", "NU"),
    ("A1", "Anaemia", "NU"),
    ("U1", "Upper respiratory infection", "RE"),
)
_VACCINES = (
    ("BCG", "BCG"),
    ("OPV0", "OPV 0"),
    ("OPV1", "OPV 1"),
    ("PENTA1", "DPT-HepB-Hib 1"),
    ("PENTA2", "DPT-HepB-Hib 2"),
    ("PCV1", "PCV 1"),
    ("MEAS", "Measles"),
    ("TT1", "Tetanus toxoid 1"),
)
_AGEBANDS = (
    ("d0", 0, 0, "0 years"),
    ("d1", 1, 5, "1 - 5 years"),
    ("d2", 6, 12, "6 - 12 years"),
    ("d3", 13, 19, "13 - 19 years"),
    ("d4", 20, 200, "20 years and more"),
)



def generate(synth: Synth) -> Rows:
    """Build the rows of one Open Hospital installation."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    opened = today - dt.timedelta(days=120)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        for name, ctype in _NOT_NULL[table]:
            if row.get(name) is None:
                row[name] = 1 if name.endswith("_ACTIVE") else not_null_default(ctype, today)
        rows.add(table, row, subject=subject, dated=dated)

    def when(start: dt.date = opened) -> str:
        return synth.datetime_between(start, today).strftime("%Y-%m-%d %H:%M:%S")

    def phone() -> str:
        p = f"+256 7{r.choice('05789')}{r.randrange(10**6, 10**7)}"
        return synth.fullwidth(p) if r.random() < 0.03 else p

    add("OH_USERGROUP", {"UG_ID_A": "admin", "UG_DESC": "Administrators"})
    add("OH_USERGROUP", {"UG_ID_A": "doctor", "UG_DESC": "Doctors and clinical officers"})
    add("OH_USERGROUP", {"UG_ID_A": "nurse", "UG_DESC": "Nurses and midwives"})
    users = []
    for name, group, desc in (
        ("admin", "admin", "administrator"),
        ("dr.okot", "doctor", "Dr. Patrick Okot"),
        ("co.nakiwala", "doctor", "Clinical officer Ruth Nakiwala"),
        ("sr.amony", "nurse", "Sister Lucy Amony"),
        ("mw.adong", "nurse", "Midwife Stella Adong"),
        ("test", "admin", "test user"),
    ):
        add(
            "OH_USER",
            {
                "US_ID_A": name,
                "US_UG_ID_A": group,
                "US_PASSWD": synth.bcrypt(),
                "US_DESC": desc,
                "US_FAILED_ATTEMPTS": 0,
                "US_ACCOUNT_LOCKED": 0,
                "US_LAST_LOGIN": when(),
            },
            subject=synth.test_account() if name == "test" else synth.person("staff"),
        )
        users.append(name)
    clinicians = users[1:5]
    add(
        "OH_HOSPITAL",
        {
            "HOS_ID_A": "STLUKE",
            "HOS_NAME": "St. Luke District Hospital",
            "HOS_ADDR": "P.O. Box 12",
            "HOS_CITY": "Nebbi",
            "HOS_TELE": "+256 39 2000000",
            "HOS_CURR_COD": "UGX",
            "HOS_VISIT_START": "08:00:00",
            "HOS_VISIT_END": "17:00:00",
            "HOS_VISIT_INCREMENT": 15,
            "HOS_VISIT_DURATION": 30,
        },
    )
    for code, name, is_opd in _WARDS:
        add(
            "OH_WARD",
            {
                "WRD_ID_A": code,
                "WRD_NAME": name,
                "WRD_NBEDS": r.randrange(10, 40),
                "WRD_NQUA_NURS": 4,
                "WRD_NDOC": 1,
                "WRD_IS_OPD": is_opd,
                "WRD_IS_PHARMACY": 0,
                "WRD_IS_MALE": 1,
                "WRD_IS_FEMALE": 1,
                "WRD_VISIT_DURATION": 30,
            },
        )
    for code, name in (("IN", "Infectious"), ("RE", "Respiratory"), ("GA", "Gastro-intestinal"), ("NU", "Nutritional")):
        add("OH_DISEASETYPE", {"DCL_ID_A": code, "DCL_DESC": name})
    for code, name, kind in _DISEASES:
        add(
            "OH_DISEASE",
            {
                "DIS_ID_A": code,
                "DIS_DESC": name,
                "DIS_DCL_ID_A": kind,
                "DIS_OPD_INCLUDE": 1,
                "DIS_IPD_IN_INCLUDE": 1,
                "DIS_IPD_OUT_INCLUDE": 1,
            },
        )
    for code, name in (("R", "Referral"), ("S", "Self")):
        add("OH_ADMISSIONTYPE", {"ADMT_ID_A": code, "ADMT_DESC": name})
    for code, name in (("N", "Normal discharge"), ("D", "Dead"), ("T", "Transferred")):
        add("OH_DISCHARGETYPE", {"DIST_ID_A": code, "DIST_DESC": name})
    add("OH_VACCINETYPE", {"VACT_ID_A": "C", "VACT_DESC": "Child"})
    add("OH_VACCINETYPE", {"VACT_ID_A": "P", "VACT_DESC": "Pregnancy"})
    for code, name in _VACCINES:
        add("OH_VACCINE", {"VAC_ID_A": code, "VAC_DESC": name, "VAC_VACT_ID_A": "P" if code == "TT1" else "C"})
    for code, lo, hi, desc in _AGEBANDS:
        add("OH_AGETYPE", {"AT_CODE": code, "AT_FROM": lo, "AT_TO": hi, "AT_DESC": desc})
    add("OH_EXAMTYPE", {"EXC_ID_A": "HB", "EXC_DESC": "Haematology"})
    for code, name in (("MAL.RDT", "Malaria RDT"), ("HB", "Haemoglobin"), ("BS", "Blood slide for malaria")):
        add("OH_EXAM", {"EXA_ID_A": code, "EXA_DESC": name, "EXA_EXC_ID_A": "HB", "EXA_PROC": 1})

    pat_id = adm_id = opd_id = 0

    def add_patient(p: Person, first: str, last: str, **extra: Any) -> int:
        nonlocal pat_id
        pat_id += 1
        age = synth.age(p)
        band = next(code for code, lo, hi, _ in _AGEBANDS if lo <= age <= hi)
        row = {
            "PAT_ID": pat_id,
            "PAT_FNAME": first,
            "PAT_SNAME": last,
            "PAT_NAME": f"{first} {last}",
            "PAT_BDATE": p.dob.isoformat() if r.random() > 0.1 else None,
            "PAT_AGE": age,
            "PAT_AGETYPE": band,
            "PAT_SEX": p.sex,
            "PAT_ADDR": synth.maybe(f"{r.choice(_VILLAGES)} village", 0.4),
            "PAT_CITY": r.choice(_VILLAGES),
            "PAT_TELE": synth.maybe(phone(), 0.5),
            "PAT_MOTH_NAME": "",
            "PAT_FATH_NAME": "",
            "PAT_BTYPE": r.choice(("Unknown", "Unknown", "O+", "A+", "B+")),
            "PAT_TAXCODE": synth.maybe(f"CM{r.randrange(10**11, 10**12)}", 0.9),
            "PAT_TIMESTAMP": when(),
            "PAT_CREATED_BY": r.choice(users[:5]),
            "PAT_CREATED_DATE": when(),
            "PAT_DELETED": "N",
            "PAT_PROFESSION": "unknown",
            "PAT_MAR_STAT": "unknown",
            "PAT_ESTA": r.choice(("N", "N", "Y", " ")),
        }
        row |= extra
        add("OH_PATIENT", row, subject=p, dated=row["PAT_BDATE"] is not None)
        return pat_id

    def opd(p: Person, patient: int, disease: str) -> None:
        nonlocal opd_id
        opd_id += 1
        add(
            "OH_OPD",
            {
                "OPD_ID": opd_id,
                "OPD_WRD_ID_A": "OPD",
                "OPD_DATE": when(),
                "OPD_NEW_PAT": r.choice("NR"),
                "OPD_PROG_YEAR": opd_id,
                "OPD_SEX": p.sex,
                "OPD_AGE": synth.age(p),
                "OPD_DIS_ID_A": disease,
                "OPD_REFERRAL_FROM": r.choice(("", "R")),
                "OPD_NOTE": r.choice(("", "RDT positive; ACT given", "Cough 5 days, fast breathing")),
                "OPD_PAT_ID": patient,
                "OPD_USR_ID_A": r.choice(clinicians),
                "OPD_PRESCRIPTION": synth.maybe("Artemether-lumefantrine 1 tab bd x 3 days", 0.5),
            },
            subject=p,
        )

    for _ in range(45):
        mother = synth.person("parent")
        mother_first, family = r.choice(_FIRST_F), r.choice(_LAST)
        father_first = r.choice(_FIRST_M)
        mother_id = None
        if r.random() < 0.4:
            mother_id = add_patient(
                mother,
                mother_first,
                family,
                PAT_PROFESSION=r.choice(("farmer", "trader", "teacher")),
                PAT_MAR_STAT=r.choice(("married", "single", "widow")),
            )
            adm_id += 1
            add(
                "OH_ADMISSION",
                {
                    "ADM_ID": adm_id,
                    "ADM_IN": 1,
                    "ADM_TYPE": "I",
                    "ADM_WRD_ID_A": "MAT",
                    "ADM_YPROG": adm_id,
                    "ADM_PAT_ID": mother_id,
                    "ADM_DATE_ADM": when(),
                    "ADM_ADMT_ID_A_ADM": "S",
                    "ADM_PRG_DATE_DEL": when(),
                    "ADM_PRG_WEIGHT": round(r.uniform(2.4, 4.1), 2),
                    "ADM_NOTE": "SVD, baby cried at birth",
                    "ADM_USR_ID_A": r.choice(clinicians),
                    "ADM_DELETED": "N",
                },
                subject=mother,
            )
            add(
                "OH_PATIENTVACCINE",
                {
                    "PAV_ID": len(rows["OH_PATIENTVACCINE"]) + 1,
                    "PAV_YPROG": len(rows["OH_PATIENTVACCINE"]) + 1,
                    "PAV_DATE": when(),
                    "PAV_PAT_ID": mother_id,
                    "PAV_VAC_ID_A": "TT1",
                },
                subject=mother,
            )
        for _k in range(r.choice((1, 1, 2, 3))):
            kid = synth.person("child" if r.random() < 0.85 else "teen")
            first = r.choice(_FIRST_M if kid.sex == "M" else _FIRST_F)
            patient = add_patient(
                kid,
                first,
                family,
                PAT_MOTH_NAME=f"{mother_first} {family}",
                PAT_MOTH=r.choice("AAAD"),
                PAT_FATH_NAME=synth.maybe(f"{father_first} {family}", 0.2) or "",
                PAT_FATH=r.choice("AAD "),
                PAT_PTOGE=r.choice("YYN"),
                PAT_NEXT_KIN=f"{mother_first} {family} (mother)",
                PAT_ALLERGIES=synth.maybe("Sulfa drugs", 0.95),
            )
            for _visit in range(r.randrange(1, 3)):
                opd(kid, patient, r.choice(_DISEASES)[0])
            for code, _name in _VACCINES[: r.randrange(1, 7)]:
                vac = len(rows["OH_PATIENTVACCINE"]) + 1
                add(
                    "OH_PATIENTVACCINE",
                    {"PAV_ID": vac, "PAV_YPROG": vac, "PAV_DATE": when(), "PAV_PAT_ID": patient, "PAV_VAC_ID_A": code},
                    subject=kid,
                )
            if r.random() < 0.3:
                adm_id += 1
                malnourished = r.random() < 0.4
                add(
                    "OH_ADMISSION",
                    {
                        "ADM_ID": adm_id,
                        "ADM_IN": 1,
                        "ADM_TYPE": "I",
                        "ADM_WRD_ID_A": "MAL" if malnourished else "PED",
                        "ADM_YPROG": adm_id,
                        "ADM_PAT_ID": patient,
                        "ADM_DATE_ADM": when(),
                        "ADM_ADMT_ID_A_ADM": r.choice("RS"),
                        "ADM_IN_DIS_ID_A": "N1" if malnourished else "M2",
                        "ADM_OUT_DIS_ID_A": synth.maybe("A1", 0.6),
                        "ADM_DIST_ID_A": synth.maybe("N", 0.4),
                        "ADM_NOTE": synth.maybe("Referred from health centre III", 0.5),
                        "ADM_TRANS": synth.maybe(1.0, 0.8),
                        "ADM_USR_ID_A": r.choice(clinicians),
                        "ADM_DELETED": "N",
                    },
                    subject=kid,
                )
                if malnourished:
                    for week in range(r.randrange(1, 4)):
                        add(
                            "OH_MALNUTRITIONCONTROL",
                            {
                                "MLN_ID": len(rows["OH_MALNUTRITIONCONTROL"]) + 1,
                                "MLN_DATE_SUPP": when(),
                                "MNL_DATE_CONF": synth.maybe(when(), 0.3),
                                "MLN_ADM_ID": adm_id,
                                "MLN_HEIGHT": round(r.uniform(65, 110), 1),
                                "MLN_WEIGHT": round(r.uniform(6, 14) + week * 0.3, 1),
                            },
                            subject=kid,
                        )
                add(
                    "OH_PATIENTEXAMINATION",
                    {
                        "PEX_ID": len(rows["OH_PATIENTEXAMINATION"]) + 1,
                        "PEX_DATE": when(),
                        "PEX_PAT_ID": patient,
                        "PEX_HEIGHT": r.randrange(60, 150),
                        "PEX_WEIGHT": round(r.uniform(6, 40), 1),
                        "PEX_TEMP": round(r.uniform(36.5, 40.2), 1),
                        "PEX_SAT": r.randrange(88, 100),
                        "PEX_HR": r.randrange(80, 160),
                        "PEX_RR": r.randrange(20, 60),
                        "PEX_NOTE": synth.maybe("Pallor ++, no oedema", 0.5),
                    },
                    subject=kid,
                )
                add(
                    "OH_LABORATORY",
                    {
                        "LAB_ID": len(rows["OH_LABORATORY"]) + 1,
                        "LAB_EXA_ID_A": r.choice(("MAL.RDT", "HB", "BS")),
                        "LAB_DATE": when(),
                        "LAB_RES": r.choice(("POSITIVE", "NEGATIVE", "7.8")),
                        "LAB_PAT_ID": patient,
                        "LAB_PAT_NAME": f"{first} {family}",
                        "LAB_AGE": synth.age(kid),
                        "LAB_SEX": kid.sex,
                        "LAB_MATERIAL": "blood",
                        "LAB_PAT_INOUT": "I",
                        "LAB_STATUS": "DONE",
                    },
                    subject=kid,
                )
                bill = len(rows["OH_BILLS"]) + 1
                amount = float(r.randrange(5, 80) * 1000)
                add(
                    "OH_BILLS",
                    {
                        "BLL_ID": bill,
                        "BLL_DATE": when(),
                        "BLL_UPDATE": when(),
                        "BLL_IS_LST": 0,
                        "BLL_IS_PAT": 1,
                        "BLL_ID_PAT": patient,
                        "BLL_PAT_NAME": f"{first} {family}",
                        "BLL_STATUS": r.choice("OC"),
                        "BLL_AMOUNT": amount,
                        "BLL_BALANCE": amount * r.choice((0, 0.5, 1)),
                        "BLL_USR_ID_A": "admin",
                        "BLL_ADM_ID": adm_id,
                    },
                    subject=kid,
                )
                add(
                    "OH_BILLITEMS",
                    {
                        "BLI_ID": len(rows["OH_BILLITEMS"]) + 1,
                        "BLI_ID_BILL": bill,
                        "BLI_IS_PRICE": 0,
                        "BLI_ITEM_DESC": "Admission fee",
                        "BLI_ITEM_AMOUNT": amount,
                        "BLI_QTY": 1,
                    },
                    subject=kid,
                )
            if r.random() < 0.15:
                visit = len(rows["OH_VISITS"]) + 1
                add(
                    "OH_VISITS",
                    {
                        "VST_ID": visit,
                        "VST_PAT_ID": patient,
                        "VST_DATE": f"{today + dt.timedelta(days=r.randrange(3, 30))} 09:00:00",
                        "VST_NOTE": "Review after malaria treatment",
                        "VST_SMS": 1,
                        "VST_WRD_ID_A": "OPD",
                        "VST_DURATION": 30,
                        "VST_SERVICE": "Review",
                    },
                    subject=kid,
                )
                add(
                    "OH_SMS",
                    {
                        "SMS_ID": len(rows["OH_SMS"]) + 1,
                        "SMS_DATE": when(),
                        "SMS_DATE_SCHED": when(),
                        "SMS_NUMBER": phone(),
                        "SMS_TEXT": f"Reminder: {first} has a review visit at St. Luke OPD.",
                        "SMS_USER": "admin",
                        "SMS_MOD": "visit",
                        "SMS_MOD_ID": str(visit),
                    },
                )
        _ = mother_id
    for _ in range(12):
        adult = synth.person("adult")
        patient = add_patient(
            adult,
            r.choice(_FIRST_M + _FIRST_F),
            r.choice(_LAST),
            PAT_PROFESSION=r.choice(("farmer", "fisherman", "boda-boda rider", "teacher")),
        )
        opd(adult, patient, r.choice(_DISEASES)[0])
    for i in range(25):
        add(
            "OH_SESSION_AUDIT",
            {
                "SEA_ID": i + 1,
                "SEA_US_ID_A": r.choice(users[:5]),
                "SEA_LOGIN": when(),
                "SEA_LOGOUT": synth.maybe(when(), 0.3),
            },
        )
    for i in range(30):
        add(
            "OH_LOG",
            {
                "LOG_ID": i + 1,
                "LOG_TYPE": 1,
                "LOG_CLASS": "org.isf.patient.manager.PatientBrowserManager",
                "LOG_METHOD": r.choice(("savePatient", "getPatientById")),
                "LOG_TIME": when(),
                "LOG_MESS": "patient saved",
                "LOG_USER": r.choice(users[:5]),
            },
        )
    return rows
