"""Rows for eVaka: one municipality's early childhood education in its first autumn on the system.

Four daycare units in two care areas, their groups and staff; children aged 1-6 with their guardians
(person rows of both, from the population register: names, personal identity codes, addresses), head-of-
family and partner relations, applications (whose JSON document repeats the child's and guardians'
details), placements with service needs, a fortnight of attendance and absences, daily notes, backup
pick-up people, assistance for a few children, fee decisions and invoices for some families, messages
between guardians and groups, Koski study rights for the preschoolers. Most optional columns stay empty.
Identity codes are Finnish (DDMMYY + century sign + individual number + mod-31 check character),
computed here from the synthetic birth dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth

_SCHEMA = json.loads(Path(__file__).with_name("schema.json").read_text(encoding="utf-8"))
_ENUM_FIRST = re.compile(r"^enum\('((?:[^']|'')*)'")
# NOT NULL enum columns get their first value when a row leaves them out (the loader's zero would be '').
_ENUM_DEFAULTS: dict[str, dict[str, str]] = {
    t["name"]: {c["name"]: m.group(1) for c in t["columns"]
                if not c["nullable"] and (m := _ENUM_FIRST.match(c["type"])) is not None}
    for t in _SCHEMA["tables"]
}
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_STREETS = ("Kivenlahdentie", "Tapiolantie", "Leppävaarankatu", "Matinkatu", "Soukanrinne", "Kauklahdenväylä",
            "Olarinkatu", "Espoonlahdenkatu", "Kilonkartanontie", "Niittykummuntie")
_POSTAL = (("02320", "ESPOO"), ("02100", "ESPOO"), ("02600", "ESPOO"), ("02230", "ESPOO"), ("02360", "ESPOO"))
_UNITS = (("Päiväkoti Kuusikko", "Kilonkartanontie 4"), ("Päiväkoti Myllypuro", "Matinkatu 12"),
          ("Päiväkoti Sateenkaari", "Olarinkatu 7"), ("Esiopetus Merituuli", "Soukanrinne 3"))
_ALLERGIES = ("", "", "", "", "", "pähkinä", "laktoosi-intoleranssi", "kananmuna", "keliakia")


def _hetu(dob: dt.date, serial: int) -> str:
    """A Finnish personal identity code (henkilötunnus) with a valid check character."""
    century = "-" if dob.year < 2000 else "A"
    digits = f"{dob:%d%m%y}{serial:03d}"
    return f"{dob:%d%m%y}{century}{serial:03d}{_HETU_CHECK[int(digits) % 31]}"


def _kid(synth: Synth, age: int) -> Person:
    """A child who is ``age`` (1-6) on the reference date."""
    p = synth.person("child")
    born = synth.as_of - dt.timedelta(days=365 * age + synth.rng.randrange(30, 330))
    rid = synth.ric_for(born, p.sex)
    return dataclasses.replace(p, dob=born, ric=rid, ric15=rid[:6] + rid[8:17], student_no=None)


def generate(synth: Synth) -> Rows:
    """Build the rows of one municipality's eVaka."""
    r = synth.rng
    rows = Rows()
    term = dt.date(synth.as_of.year if synth.as_of.month >= 8 else synth.as_of.year - 1, 8, 1)
    term_end = dt.date(term.year + 1, 7, 31)
    now = dt.datetime.combine(synth.as_of, dt.time(16))

    def ts() -> str:
        return synth.datetime_between(dt.datetime.combine(term, dt.time(8)), now).isoformat(sep=" ")

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        rows.add(table, _ENUM_DEFAULTS[table] | row, subject=subject, dated=dated)

    def uid() -> str:
        return synth.uuid()

    def phone() -> str:
        return f"+35840{r.randrange(10**7):07d}" if r.random() > 0.1 else f"040 {r.randrange(10**7):07d}"

    def address() -> tuple[str, str, str]:
        code, office = r.choice(_POSTAL)
        return f"{r.choice(_STREETS)} {r.randrange(1, 60)} {r.choice('ABCDE')} {r.randrange(1, 40)}", code, office

    serials: set[int] = set()

    def serial() -> int:
        while True:
            n = r.randrange(2, 900)
            if n not in serials:
                serials.add(n)
                return n

    # System user, areas, units, groups, service-need options.
    system_user = uid()
    add("evaka_user", {"id": system_user, "type": "SYSTEM", "name": "eVaka"})
    areas = [uid(), uid()]
    for i, (name, short) in enumerate((("Etelä", "etela"), ("Pohjoinen", "pohjoinen"))):
        add("care_area", {"id": areas[i], "name": name, "short_name": short, "area_code": 100 + i, "created": ts(),
                          "updated": ts()})
    units: list[str] = []
    groups: list[tuple[str, str]] = []  # (group id, unit id)
    for i, (name, unit_street) in enumerate(_UNITS):
        unit = uid()
        units.append(unit)
        add("daycare", {"id": unit, "name": name, "type": json.dumps(["CENTRE"] if i < 3 else ["PRESCHOOL"]),
                        "care_area_id": areas[i % 2], "phone": "09 816 " + f"{r.randrange(10000):04d}",
                        "created": ts(), "updated": ts(), "capacity": 60, "decision_daycare_name": name,
                        "decision_preschool_name": name, "decision_handler": "Varhaiskasvatuksen palveluohjaus",
                        "decision_handler_address": "PL 3125, 02070 ESPOON KAUPUNKI", "street_address": unit_street,
                        "postal_code": "02320", "post_office": "ESPOO", "provider_type": "MUNICIPAL",
                        "language": "fi", "enabled_pilot_features": json.dumps(["MESSAGING", "MOBILE"]),
                        "operation_times": json.dumps(["06:30-17:30"] * 5 + [None, None]),
                        "business_id": "0101263-6", "iban": "", "provider_id": "",
                        "unit_manager_name": synth.person("staff").name_en, "unit_manager_phone": phone(),
                        "unit_manager_email": f"paivakoti{i + 1}@espoo.example.fi", "opening_date": "2004-08-01",
                        "upload_to_varda": True, "upload_to_koski": i == 3, "upload_children_to_varda": True,
                        "invoiced_by_municipality": True})
        for g in range(2):
            group = uid()
            groups.append((group, unit))
            add("daycare_group", {"id": group, "daycare_id": unit, "name": ("Ankat", "Karhut", "Kettu", "Pöllöt",
                                                                            "Siilit", "Oravat", "Esikot A",
                                                                            "Esikot B")[2 * i + g],
                                  "start_date": term.isoformat(), "created_at": ts(), "updated_at": ts()})
    options: list[str] = []
    for i, (name, hours) in enumerate((("Kokopäiväinen", 40), ("Osapäiväinen", 25), ("Esiopetus", 20))):
        opt = uid()
        options.append(opt)
        add("service_need_option", {"id": opt, "created": ts(), "updated": ts(), "name_fi": name, "name_sv": name,
                                    "name_en": name, "valid_placement_type": "PRESCHOOL" if i == 2 else "DAYCARE",
                                    "fee_coefficient": 1.0 if i == 0 else 0.6, "occupancy_coefficient": 1.0,
                                    "part_day": i > 0, "daycare_hours_per_week": hours, "default_option": i == 0,
                                    "fee_description_fi": name, "fee_description_sv": name,
                                    "voucher_value_description_fi": name, "voucher_value_description_sv": name,
                                    "occupancy_coefficient_under_3y": 1.75, "show_for_citizen": True,
                                    "realized_occupancy_coefficient": 1.0,
                                    "realized_occupancy_coefficient_under_3y": 1.75,
                                    "valid_from": "2020-01-01"})

    # Staff: employees, their evaka users, unit roles, PINs, realtime attendance.
    staff_users: list[str] = []
    for i in range(14):
        p = synth.person("staff")
        emp = uid()
        add("employee", {"id": emp, "first_name": p.first_en, "last_name": p.last_en,
                         "email": f"{p.first_en.lower()}.{p.last_en.lower()}@espoo.example.fi".replace("'", ""),
                         "created": ts(), "updated": ts(), "roles": json.dumps(["UNIT_SUPERVISOR"] if i < 4 else []),
                         "external_id": f"espoo-ad:{uid()}", "employee_number": f"{100000 + i * 37}",
                         "active": True, "last_login": ts(),
                         "social_security_number": synth.maybe(_hetu(p.dob, serial()), 0.7)}, subject=p)
        ev = uid()
        staff_users.append(ev)
        add("evaka_user", {"id": ev, "type": "EMPLOYEE", "employee_id": emp, "name": p.name_en}, subject=p)
        add("daycare_acl", {"daycare_id": units[i % 4], "employee_id": emp, "created": ts(), "updated": ts(),
                            "role": "UNIT_SUPERVISOR" if i < 4 else "STAFF"}, subject=p)
        if i >= 4:
            add("employee_pin", {"id": uid(), "user_id": emp, "pin": f"{r.randrange(10000):04d}", "locked": False,
                                 "failure_count": 0, "created": ts(), "updated": ts()}, subject=p)
            add("staff_attendance_realtime", {"id": uid(), "created_at": ts(), "updated_at": ts(), "employee_id": emp,
                                              "group_id": groups[i % 8][0], "arrived": ts(),
                                              "occupancy_coefficient": 7.0, "type": "PRESENT",
                                              "departed_automatically": False}, subject=p)
    for i, unit in enumerate(units[:3]):
        dev = uid()
        add("mobile_device", {"id": dev, "created_at": ts(), "updated_at": ts(), "unit_id": unit,
                              "name": f"Ryhmätabletti {i + 1}", "long_term_token": uid(),
                              "user_agent": "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36",
                              "push_notification_categories": json.dumps(["RECEIVED_MESSAGE"]), "last_seen": ts()})
        add("evaka_user", {"id": uid(), "type": "MOBILE_DEVICE", "mobile_device_id": dev, "name": f"Tabletti {i}"})

    # Families: children 1-6, one or two guardians each, heads of family and partners.
    def add_person(p: Person, ssn: str | None, street: tuple[str, str, str], dated: bool = True,
                   **extra: Any) -> str:
        pid = uid()
        row = {"id": pid, "social_security_number": ssn, "first_name": p.first_en if r.random() > 0.04
               else synth.trailing(p.first_en), "last_name": p.last_en, "date_of_birth": p.dob.isoformat(),
               "created": ts(), "updated": ts(), "street_address": street[0], "postal_code": street[1],
               "post_office": street[2], "nationalities": json.dumps(["FIN"] if r.random() < 0.85 else ["CHN"]),
               "phone": "", "invoicing_street_address": "", "invoicing_postal_code": "", "invoicing_post_office": "",
               "invoice_recipient_name": "", "residence_code": f"{r.randrange(10**8):08d}",
               "force_manual_fee_decisions": False, "backup_phone": "", "ssn_adding_disabled": False,
               "preferred_name": "", "disabled_email_types": "[]", "municipality_of_residence": "049",
               "language": "fi", "updated_from_vtj": ts(), "freetext_vec": f"'{p.first_en.lower()}':1 "
                                                                          f"'{p.last_en.lower()}':2"}
        add("person", row | extra, subject=p, dated=dated)
        return pid

    children: list[tuple[str, Person, list[str]]] = []  # (person id, child, guardian person ids)
    child_ssn: dict[str, str] = {}
    for i in range(110):
        age = 1 + i % 6
        kid = _kid(synth, age)
        street = address()
        ssn_roll = r.random()
        code = _hetu(kid.dob, serial())
        ssn: str | None = code
        if ssn_roll < 0.04:
            ssn = None  # not yet in the population register
        elif ssn_roll < 0.06:
            ssn = code.lower()
        restricted = r.random() < 0.02
        cid = add_person(kid, ssn, street, restricted_details_enabled=restricted or None,
                         oph_person_oid=f"1.2.246.562.24.{r.randrange(10**10, 10**11)}" if age >= 5 else None)
        add("child", {"id": cid, "allergies": r.choice(_ALLERGIES), "diet": "", "additionalinfo": "",
                      "medication": "Adrenaliinikynä repussa" if r.random() < 0.02 else "",
                      "language_at_home": "" if r.random() < 0.8 else r.choice(("zh", "sv", "ru", "so")),
                      "language_at_home_details": "", "participates_in_breakfast": True}, subject=kid)
        guardians: list[str] = []
        for g in range(1 if r.random() < 0.3 else 2):
            par = synth.person("parent")
            gid = add_person(par, _hetu(par.dob, serial()), street, phone=phone(),
                             email=synth.maybe(par.email, 0.2), backup_phone=synth.maybe(phone(), 0.8) or "")
            guardians.append(gid)
            add("guardian", {"guardian_id": gid, "child_id": cid, "created": ts()}, subject=kid)
            if g == 0:
                add("fridge_child", {"id": uid(), "child_id": cid, "head_of_child": gid,
                                     "start_date": kid.dob.isoformat(), "end_date": "9999-01-01",
                                     "created_at": ts(), "updated": ts(), "conflict": False,
                                     "create_source": "DVV"}, subject=kid)
            ev = uid()
            add("evaka_user", {"id": ev, "type": "CITIZEN", "citizen_id": gid, "name": par.name_en}, subject=par)
            if r.random() < 0.2:
                add("citizen_user", {"id": gid, "created_at": ts(), "updated_at": ts(), "last_strong_login": ts(),
                                     "username": par.email, "password": json.dumps(
                                         {"algorithm": "argon2id", "hash": synth.argon2()})}, subject=par)
        if len(guardians) == 2:
            partnership = uid()
            for idx, gid in enumerate(guardians):
                add("fridge_partner", {"partnership_id": partnership, "indx": idx + 1, "person_id": gid,
                                       "start_date": (kid.dob - dt.timedelta(days=400)).isoformat(),
                                       "created_at": ts(), "updated": ts(), "conflict": False,
                                       "other_indx": 2 - idx, "create_source": "DVV"})
        children.append((cid, kid, guardians))
        child_ssn[cid] = code
    # A test family left in production and a duplicate person.
    test = synth.test_account()
    add_person(test, None, ("Testikatu 1", "02100", "ESPOO"), first_name="Testi", last_name="Testinen")
    dup_of = children[0][0]
    add_person(children[0][1], None, address(), duplicate_of=dup_of)

    # Applications, placements, service needs, group placements.
    for n, (cid, kid, guardians) in enumerate(children):
        unit_i = 3 if synth.age(kid) >= 6 else n % 3
        guardian_user = staff_users[0]
        if n < 45:
            doc = {"child": {"person": {"firstName": kid.first_en, "lastName": kid.last_en,
                                        "socialSecurityNumber": child_ssn[cid],
                                        "dateOfBirth": kid.dob.isoformat()},
                             "address": {"street": "", "postalCode": "", "postOffice": ""},
                             "allergies": "", "diet": "", "assistanceNeeded": r.random() < 0.05},
                   "guardian": {"phoneNumber": phone(), "email": synth.person("parent").email},
                   "preferences": {"preferredStartDate": term.isoformat(), "preferredUnits": [units[unit_i]]},
                   "additionalDetails": {"otherInfo": synth.maybe("Lapsella on tukitarve puheen kehityksessä.", 0.9)
                                         or ""}}
            add("application", {"id": uid(), "created_at": ts(), "updated_at": ts(),
                                "sentdate": (term - dt.timedelta(days=120)).isoformat(),
                                "guardian_id": guardians[0], "child_id": cid, "checkedbyadmin": True,
                                "hidefromguardian": False, "transferapplication": False,
                                "additionaldaycareapplication": False, "status": "ACTIVE", "origin": "ELECTRONIC",
                                "service_worker_note": "", "type": "PRESCHOOL" if unit_i == 3 else "DAYCARE",
                                "allow_other_guardian_access": True, "document": json.dumps(doc, ensure_ascii=False),
                                "modified_at": ts(), "created_by": guardian_user, "modified_by": guardian_user,
                                "primary_preferred_unit": units[unit_i]}, subject=kid, dated=True)
        placement = uid()
        add("placement", {"id": placement, "created_at": ts(), "updated_at": ts(),
                          "type": "PRESCHOOL_DAYCARE" if unit_i == 3 else "DAYCARE", "child_id": cid,
                          "unit_id": units[unit_i], "start_date": term.isoformat(), "end_date": term_end.isoformat(),
                          "place_guarantee": False, "created_by": staff_users[0], "source": "APPLICATION"},
            subject=kid)
        add("service_need", {"id": uid(), "created": ts(), "updated": ts(),
                             "option_id": options[2 if unit_i == 3 else r.randrange(2)], "placement_id": placement,
                             "start_date": term.isoformat(), "end_date": term_end.isoformat(), "shift_care": "NONE",
                             "part_week": False}, subject=kid)
        group = groups[2 * unit_i + (n % 2)][0]
        add("daycare_group_placement", {"id": uid(), "created": ts(), "updated": ts(),
                                        "daycare_placement_id": placement, "daycare_group_id": group,
                                        "start_date": term.isoformat(), "end_date": term_end.isoformat()},
            subject=kid)
        # A fortnight of attendance and absences for part of the children.
        if n < 50:
            for d in range(1, 15):
                day = synth.as_of - dt.timedelta(days=d)
                if day.weekday() >= 5:
                    continue
                if r.random() < 0.1:
                    add("absence", {"id": uid(), "child_id": cid, "date": day.isoformat(),
                                    "absence_type": r.choice(("SICKLEAVE", "OTHER_ABSENCE", "PLANNED_ABSENCE")),
                                    "modified_at": ts(), "modified_by": staff_users[4], "category": "BILLABLE"},
                        subject=kid)
                    continue
                arrived = dt.datetime.combine(day, dt.time(7, r.randrange(0, 59)))
                departed = arrived + dt.timedelta(hours=8, minutes=r.randrange(0, 90))
                add("child_attendance", {"id": uid(), "child_id": cid, "created_at": ts(), "updated_at": ts(),
                                         "unit_id": units[unit_i], "date": day.isoformat(),
                                         "start_time": arrived.time().isoformat(),
                                         "end_time": departed.time().isoformat(),
                                         "arrived": arrived.isoformat(sep=" "),
                                         "departed": departed.isoformat(sep=" "), "modified_at": ts(),
                                         "modified_by": staff_users[4 + unit_i]}, subject=kid)
        if n < 25:
            add("child_daily_note", {"id": uid(), "child_id": cid,
                                     "note": r.choice(("Söi hyvin ja leikki ulkona.", "Nukkui päiväunet hyvin.",
                                                       f"{kid.first_en} oli tänään väsynyt.")),
                                     "feeding_note": r.choice(("GOOD", "MEDIUM", "NONE")),
                                     "sleeping_note": r.choice(("GOOD", "MEDIUM")),
                                     "sleeping_minutes": r.randrange(30, 120),
                                     "reminders": json.dumps(["DIAPERS"] if synth.age(kid) < 3 else []),
                                     "reminder_note": "", "modified_at": ts(), "created_at": ts(),
                                     "updated_at": ts()}, subject=kid)
        if r.random() < 0.08:
            pickup = synth.person("adult")
            add("backup_pickup", {"id": uid(), "child_id": cid, "name": pickup.name_en, "phone": phone()},
                subject=kid)
        if r.random() < 0.06:
            add("assistance_factor", {"id": uid(), "created_at": ts(), "updated_at": ts(), "child_id": cid,
                                      "modified_at": ts(), "modified_by": staff_users[0],
                                      "valid_during": f"[{term},{term_end}]", "capacity_factor": 1.5}, subject=kid)
            add("daycare_assistance", {"id": uid(), "created_at": ts(), "updated_at": ts(), "child_id": cid,
                                       "modified": ts(), "modified_by": staff_users[0],
                                       "valid_during": f"[{term},{term_end}]", "level": "GENERAL_SUPPORT"},
                subject=kid)
        if unit_i == 3 and r.random() < 0.7:
            add("koski_study_right", {"id": uid(), "created": ts(), "updated": ts(), "child_id": cid,
                                      "unit_id": units[3], "type": "PRESCHOOL", "payload": json.dumps(
                                          {"tila": {"opiskeluoikeusjaksot": [{"alku": term.isoformat()}]}}),
                                      "version": 1, "data_version": 3,
                                      "person_oid": f"1.2.246.562.24.{r.randrange(10**10, 10**11)}",
                                      "study_right_oid": f"1.2.246.562.15.{r.randrange(10**10, 10**11)}"},
                subject=kid)
        if n < 30:
            add("varda_state", {"id": uid(), "created_at": ts(), "updated_at": ts(), "child_id": cid,
                                "state": json.dumps({"vardaChildId": r.randrange(10**6, 10**7)}),
                                "last_success_at": ts()}, subject=kid)

    # Fee decisions and invoices for some families.
    for n, (cid, kid, guardians) in enumerate(children[:20]):
        fee = r.choice((0, 145, 211, 295, 311))
        decision = uid()
        add("fee_decision", {"id": decision, "created": ts(), "updated": ts(), "status": "SENT",
                             "valid_during": f"[{term},{term_end}]", "decision_type": "NORMAL",
                             "head_of_family_id": guardians[0], "partner_id": guardians[1] if len(guardians) > 1
                             else None, "head_of_family_income": json.dumps({"effect": "INCOME",
                                                                             "total": r.randrange(1800, 6500) * 100}),
                             "family_size": len(guardians) + 1, "fee_thresholds": json.dumps({"maxFee": 31100}),
                             "decision_number": 2000000 + n, "total_fee": fee * 100, "difference": "[]",
                             "document_contains_contact_info": False, "approved_at": ts(), "sent_at": ts()})
        add("fee_decision_child", {"id": uid(), "created": ts(), "updated": ts(), "fee_decision_id": decision,
                                   "child_id": cid, "child_date_of_birth": kid.dob.isoformat(),
                                   "sibling_discount": 0, "placement_unit_id": units[n % 3],
                                   "placement_type": "DAYCARE", "service_need_fee_coefficient": 1.0,
                                   "service_need_description_fi": "Kokopäiväinen", "service_need_description_sv":
                                   "Heldag", "base_fee": 31100, "fee": fee * 100, "fee_alterations": "[]",
                                   "final_fee": fee * 100, "service_need_missing": False,
                                   "service_need_option_id": options[0]}, subject=kid, dated=True)
        if fee:
            invoice = uid()
            add("invoice", {"id": invoice, "number": 5000000 + n, "invoice_date": synth.as_of.isoformat(),
                            "due_date": (synth.as_of + dt.timedelta(days=21)).isoformat(),
                            "period_start": term.isoformat(), "period_end": (term + dt.timedelta(days=30)).isoformat(),
                            "head_of_family": guardians[0], "created_at": ts(), "area_id": areas[n % 2],
                            "status": "SENT", "revision_number": 0, "sent_at": ts(), "sent_by": staff_users[0]})
            add("invoice_row", {"id": uid(), "invoice_id": invoice, "child": cid, "amount": 1, "unit_price": fee * 100,
                                "price": fee * 100, "period_start": term.isoformat(),
                                "period_end": (term + dt.timedelta(days=30)).isoformat(), "product": "DAYCARE",
                                "description": "", "unit_id": units[n % 3], "idx": 0}, subject=kid)
        if r.random() < 0.3:
            add("income", {"id": uid(), "person_id": guardians[0], "data": json.dumps(
                {"MAIN_INCOME": {"amount": r.randrange(2000, 6000) * 100, "coefficient": "MONTHLY_NO_HOLIDAY_BONUS"}}),
                "valid_from": term.isoformat(), "notes": "", "updated_at": ts(), "effect": "INCOME",
                "is_entrepreneur": False, "works_at_echa": False, "modified_by": staff_users[0], "modified_at": ts(),
                "created_at": ts(), "created_by": staff_users[0]})

    # Messaging: group accounts, guardian accounts, threads about children.
    group_accounts = []
    for group, _unit in groups:
        acc = uid()
        group_accounts.append(acc)
        add("message_account", {"id": acc, "created": ts(), "updated": ts(), "daycare_group_id": group,
                                "active": True, "type": "GROUP"})
    for n, (cid, kid, guardians) in enumerate(children[:24]):
        acc = uid()
        add("message_account", {"id": acc, "created": ts(), "updated": ts(), "person_id": guardians[0],
                                "active": True, "type": "CITIZEN"})
        thread, content, msg = uid(), uid(), uid()
        text = synth.parent_message_en(kid)
        add("message_thread", {"id": thread, "created": ts(), "updated": ts(), "message_type": "MESSAGE",
                               "title": r.choice(("Poissaolo", "Hakeminen", "Absence tomorrow")), "urgent": False,
                               "is_copy": False, "sensitive": False})
        add("message_thread_children", {"id": uid(), "created": ts(), "updated": ts(), "thread_id": thread,
                                        "child_id": cid}, subject=kid)
        add("message_content", {"id": content, "created": ts(), "updated": ts(), "author_id": acc, "content": text})
        add("message", {"id": msg, "created": ts(), "updated": ts(), "sender_name": f"{kid.last_en} family",
                        "content_id": content, "thread_id": thread, "sender_id": acc, "sent_at": ts(),
                        "recipient_names": json.dumps(["Ankat"])})
        add("message_recipients", {"id": uid(), "created": ts(), "updated": ts(), "message_id": msg,
                                   "recipient_id": group_accounts[n % 8], "read_at": ts()})
        for participant in (acc, group_accounts[n % 8]):
            add("message_thread_participant", {"id": uid(), "created": ts(), "updated": ts(), "thread_id": thread,
                                               "participant_id": participant, "last_message_timestamp": ts()})
    return rows
