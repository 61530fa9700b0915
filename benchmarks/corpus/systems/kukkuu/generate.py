"""Rows for Kukkuu: Helsinki's Culture Kids programme a few years after launch.

Every child born in a given year is invited, with a guardian, to free cultural events until school age;
one project per birth-year cohort. Guardians sign up through the city's login (a ``users_user`` row with a
profile UUID and a ``users_guardian`` row with name, phone and e-mail) and register their children (name,
birth year, postal code, languages spoken at home). Children have no accounts. The season's events, their
occurrences at venues, enrolments (attendance marked after the fact), ticket-system passwords handed to
children for externally ticketed events, free-spot subscriptions, messages to guardians, queued mails,
e-mail verification tokens and the audit trail (object representations naming children and guardians,
change diffs, the actor's IP address and e-mail). Administrators log in with the city's Keycloak
(``social_auth``) and act through the Django admin. Settings, notification templates and most third-party
tables stay as a fresh install leaves them.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_SCHEMA_PATH = pathlib.Path(__file__).with_name("schema.json")
_SCHEMA = json.loads(_SCHEMA_PATH.read_text(encoding="utf-8"))
_NOT_NULL = not_null_columns(_SCHEMA_PATH)
_FIRST_M = ("Eino", "Väinö", "Leo", "Oliver", "Elias", "Onni", "Eeli", "Noel", "Aarni", "Hugo", "Ahmed", "Mohamed")
_FIRST_F = ("Aino", "Olivia", "Aada", "Helmi", "Sofia", "Isla", "Lilja", "Ellen", "Venla", "Emma", "Amina", "Hanna")
_LAST = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
         "Järvinen", "Lehtonen", "Lindqvist", "Nguyen", "Ali", "Ivanova")
_POSTAL = ("00100", "00120", "00170", "00250", "00320", "00420", "00510", "00530", "00610", "00700", "00810", "00940",
           "00980", "00200")
_LANGUAGES = (("fin", "suomi", "finska", "Finnish"), ("swe", "ruotsi", "svenska", "Swedish"),
              ("eng", "englanti", "engelska", "English"), ("rus", "venäjä", "ryska", "Russian"),
              ("som", "somali", "somaliska", "Somali"), ("ara", "arabia", "arabiska", "Arabic"),
              ("est", "viro", "estniska", "Estonian"), (None, "muu kieli", "annat språk", "Other language"))
_VENUES = (("Musiikkitalo", "Mannerheimintie 13 A, 00100 Helsinki"),
           ("Kansallisteatteri", "Läntinen teatterikuja 1, 00100 Helsinki"),
           ("Annantalo", "Annankatu 30, 00100 Helsinki"), ("Stoa", "Turunlinnantie 1, 00900 Helsinki"),
           ("Malmitalo", "Ala-Malmin tori 1, 00700 Helsinki"))
_EVENTS = ("Satukonsertti", "Nukketeatteri Pikku Myy", "Tanssitaan yhdessä!", "Taidemuseon perhekierros",
           "Sirkuskoulu", "Laulujen lumous", "Kirjaston satutuokio", "Orkesteri tutuksi")
_NOTES = ("", "", "", "", "", "", "Tarvitsee pyörätuolipaikan.", "Käyttää kuulolaitetta.",
          "Isovanhempi tulee mukaan.", "Allergia pähkinälle, ei tarjoiluja.")


def generate(synth: Synth) -> Rows:
    """Build the rows of one Kukkuu installation."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    season = dt.datetime(today.year - 1, 8, 1, 9, tzinfo=dt.UTC)
    now = dt.datetime.combine(today, dt.time(15), tzinfo=dt.UTC)

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        for name, ctype in _NOT_NULL[table]:
            row.setdefault(name, not_null_default(ctype, today))
        rows.add(table, row, subject=subject, dated=dated)

    def ts(start: dt.datetime = season, end: dt.datetime = now) -> str:
        return synth.datetime_between(start, end).isoformat(sep=" ")

    def phone() -> str:
        n = f"{r.choice(('40', '44', '45', '50'))}{r.randrange(10**7):07d}"
        return r.choice((f"+358{n}", f"0{n}", f"0{n[:2]} {n[2:5]} {n[5:]}", f"+358 {n[:2]} {n[2:]}"))

    def helusers_name(uuid: str) -> str:
        # helusers derives the username from the profile UUID: "u-" + base32 of its 16 bytes, unpadded.
        return "u-" + base64.b32encode(bytes.fromhex(uuid.replace("-", ""))).decode().rstrip("=").lower()

    def kid(year: int) -> Person:
        p = synth.person("child")
        born = synth.date_between(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today - dt.timedelta(days=30)))
        return dataclasses.replace(p, dob=born, student_no=None)

    # Reference data: content types, languages, projects (one per birth-year cohort), venues, groups.
    ctypes = ("children.child", "users.guardian", "users.user", "events.enrolment", "events.event",
              "events.occurrence", "projects.project", "subscriptions.freespotnotificationsubscription",
              "events.ticketsystempassword", "verification_tokens.verificationtoken")
    ct = {name: i for i, name in enumerate(ctypes, 1)}
    for name, i in ct.items():
        app, model = name.split(".")
        add("django_content_type", {"id": i, "app_label": app, "model": model})
    add("auth_permission", {"id": 1, "name": "Can administer project", "content_type_id": ct["projects.project"],
                            "codename": "admin"})
    add("auth_permission", {"id": 2, "name": "Can publish events", "content_type_id": ct["projects.project"],
                            "codename": "publish"})
    add("auth_group", {"id": 1, "name": "kukkuu_admins"})
    add("auth_group_permissions", {"id": 1, "group_id": 1, "permission_id": 1})
    add("helusers_adgroup", {"id": 1, "name": "sg_kuva_kukkuu_admins", "display_name": "KUVA Kukkuu admins"})
    add("helusers_adgroupmapping", {"id": 1, "ad_group_id": 1, "group_id": 1})
    langs: list[int] = []
    tid = 0
    for i, (code, fi, sv, en) in enumerate(_LANGUAGES, 1):
        langs.append(i)
        add("languages_language", {"id": i, "alpha_3_code": code})
        for lc, name in (("fi", fi), ("sv", sv), ("en", en)):
            tid += 1
            add("languages_language_translation", {"id": tid, "language_code": lc, "name": name, "master_id": i})
    years = list(range(today.year - 6, today.year))
    for i, year in enumerate(years, 1):
        add("projects_project", {"id": i, "year": year, "single_events_allowed": True, "enrolment_limit": 2})
        add("projects_project_translation", {"id": i, "language_code": "fi", "name": f"Kummilapset {year}",
                                             "master_id": i})
    project_of = {year: i for i, year in enumerate(years, 1)}
    for i, (name, address) in enumerate(_VENUES, 1):
        add("venues_venue", {"id": i, "created_at": ts(), "updated_at": ts(), "project_id": 1 + i % len(years)})
        add("venues_venue_translation", {"id": i, "language_code": "fi", "name": name, "address": address,
                                         "description": f"{name} on kaikille avoin kulttuurikeskus.",
                                         "accessibility_info": "Esteetön sisäänkäynti.", "additional_info": "",
                                         "arrival_instructions": "Raitiovaunu 2 tai 4.",
                                         "www_url": "https://www.hel.fi/", "wc_and_facilities": "Lastenhoitohuone",
                                         "master_id": i})
    for i, (kind, subject) in enumerate((("event_published", "Uusi tapahtuma: {{ event.name }}"),
                                         ("occurrence_enrolment", "Ilmoittautuminen vahvistettu"),
                                         ("occurrence_reminder", "Muistutus: {{ occurrence.time }}"),
                                         ("signup", "Tervetuloa Kulttuurin kummilapsiin!")), 1):
        add("django_ilmoitin_notificationtemplate", {"id": i, "type": kind, "admin_notification_subject": "",
                                                     "admin_notification_text": ""})
        add("django_ilmoitin_notificationtemplate_translation",
            {"id": i, "language_code": "fi", "subject": subject, "master_id": i,
             "body_html": "<p>Hei {{ guardian.first_name }}!</p><p>{{ child.name }} on ilmoitettu tapahtumaan.</p>",
             "body_text": "Hei {{ guardian.first_name }}! {{ child.name }} on ilmoitettu tapahtumaan."})

    # Administrators: Keycloak logins, AD groups, project permissions, admin sessions.
    uid = 0
    admins: list[tuple[int, Person]] = []
    for i in range(4):
        p = synth.person("staff")
        uid += 1
        first, last = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F), r.choice(_LAST)
        profile = synth.uuid()
        email = f"{first.lower()}.{last.lower()}@hel.fi".replace("ä", "a").replace("ö", "o")
        add("users_user", {"id": uid, "password": "!" + synth.token(40), "last_login": ts(), "is_superuser": i == 0,
                           "username": helusers_name(profile), "first_name": first, "last_name": last,
                           "email": email, "is_staff": True, "is_active": True, "date_joined": ts(), "uuid": profile,
                           "department_name": r.choice(("KUVA", "Kulttuuripalvelut", None)),
                           "last_api_use": today.isoformat()}, subject=p)
        admins.append((uid, p))
        add("users_user_groups", {"id": i + 1, "user_id": uid, "group_id": 1}, subject=p)
        add("users_user_ad_groups", {"id": i + 1, "user_id": uid, "adgroup_id": 1}, subject=p)
        add("social_auth_usersocialauth", {"id": i + 1, "provider": "tunnistamo", "uid": profile, "user_id": uid,
                                           "created": ts(), "modified": ts(),
                                           "extra_data": {"auth_time": 1772000000 + r.randrange(10**6),
                                                          "token_type": "Bearer",
                                                          "access_token": synth.jwt(profile),
                                                          "id_token": synth.jwt(profile)}}, subject=p)
        add("guardian_userobjectpermission", {"id": i + 1, "object_pk": str(1 + i % len(years)),
                                              "content_type_id": ct["projects.project"], "permission_id": 1,
                                              "user_id": uid}, subject=p)
        add("django_session", {"session_key": synth.token(32).lower()[:32],
                               "session_data": base64.b64encode(json.dumps(
                                   {"_auth_user_id": str(uid), "_auth_user_backend": "helusers.tunnistamo_oidc",
                                    "_auth_user_hash": synth.sha1_hex()}).encode()).decode(),
                               "expire_date": ts(now, now + dt.timedelta(days=14))}, subject=p)
        add("helusers_oidcbackchannellogoutevent", {"id": i + 1, "created_at": ts(),
                                                    "iss": "https://tunnistus.hel.fi/auth/realms/helsinki-tunnistus",
                                                    "sub": profile, "sid": synth.uuid()}, subject=p)
        add("django_ilmoitin_notificationtemplate_admins_to_notify", {"id": i + 1, "notificationtemplate_id": 4,
                                                                       "user_id": uid}, subject=p)

    # Guardians and their children.
    rid = lid = cid = aid = 0
    children: list[tuple[str, Person, int, str]] = []  # (child id, person, guardian user id, name)
    guardians: list[tuple[int, str, Person, str]] = []  # (user id, guardian id, person, e-mail)
    for _ in range(90):
        p = synth.person("parent")
        uid += 1
        first, last = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F), r.choice(_LAST)
        profile = synth.uuid()
        email = p.email if r.random() < 0.7 else f"{first.lower()}.{last.lower()}@example.fi"
        joined = ts()
        add("users_user", {"id": uid, "password": "!" + synth.token(40), "last_login": synth.maybe(ts(), 0.2),
                           "is_superuser": False, "username": helusers_name(profile), "first_name": first,
                           "last_name": last, "email": email, "is_staff": False, "is_active": r.random() > 0.05,
                           "date_joined": joined, "uuid": profile,
                           "last_api_use": synth.maybe(synth.date_between(dt.date(today.year, 1, 1), today), 0.3)},
            subject=p)
        gid_uuid = synth.uuid()
        add("users_guardian", {"id": gid_uuid, "created_at": joined, "updated_at": ts(), "first_name": first,
                               "last_name": last if r.random() > 0.05 else synth.trailing(last),
                               "phone_number": phone() if r.random() > 0.1 else "", "user_id": uid,
                               "language": r.choice(("fi", "fi", "fi", "sv", "en")), "email": email,
                               "has_accepted_communication": r.random() < 0.6}, subject=p)
        guardians.append((uid, gid_uuid, p, email))
        for lang in r.sample(langs, r.choice((1, 1, 1, 2))):
            lid += 1
            add("users_guardian_languages_spoken_at_home", {"id": lid, "guardian_id": gid_uuid, "language_id": lang},
                subject=p)
        aid += 1
        add("auditlog_logentry", {"id": aid, "object_pk": gid_uuid, "object_id": None,
                                  "object_repr": f"{first} {last}", "action": 0, "timestamp": joined,
                                  "changes": {"first_name": ["None", first], "last_name": ["None", last],
                                              "email": ["None", email]}, "actor_id": uid,
                                  "content_type_id": ct["users.guardian"], "remote_addr": synth.ip4(),
                                  "remote_port": r.randrange(1024, 65535), "actor_email": email,
                                  "cid": synth.uuid(), "changes_text": ""}, subject=p)
        for _ in range(r.choice((1, 1, 1, 2))):
            year = r.choice(years)
            k = kid(year)
            child_uuid = synth.uuid()
            name = f"{r.choice(_FIRST_M if k.sex == 'M' else _FIRST_F)} {last}" if r.random() > 0.15 else ""
            add("children_child", {"id": child_uuid, "created_at": joined, "updated_at": ts(), "name": name,
                                   "birthyear": year, "postal_code": r.choice(_POSTAL), "project_id": project_of[year],
                                   "notes": r.choice(_NOTES)}, subject=k)
            children.append((child_uuid, k, uid, name))
            rid += 1
            add("children_relationship", {"id": rid, "created_at": joined, "child_id": child_uuid,
                                          "guardian_id": gid_uuid,
                                          "type": r.choice(("parent", "parent", "parent", "other_guardian", None))},
                subject=k)
            if r.random() < 0.5:
                cid += 1
                add("children_child_languages_spoken_at_home", {"id": cid, "child_id": child_uuid,
                                                                "language_id": r.choice(langs)}, subject=k)
            aid += 1
            add("auditlog_logentry", {"id": aid, "object_pk": child_uuid, "object_id": None,
                                      "object_repr": f"{name} ({year})", "action": 0, "timestamp": joined,
                                      "changes": {"name": ["None", name], "birthyear": ["None", str(year)]},
                                      "actor_id": uid, "content_type_id": ct["children.child"],
                                      "remote_addr": synth.ip4() if r.random() > 0.2 else synth.ip6(),
                                      "actor_email": email, "cid": synth.uuid(), "changes_text": ""}, subject=k)
    # A second guardian on a few children (a partner who signed up later).
    for child_uuid, k, _, _ in children[:12]:
        other = r.choice(guardians)
        rid += 1
        add("children_relationship", {"id": rid, "created_at": ts(), "child_id": child_uuid, "guardian_id": other[1],
                                      "type": "parent"}, subject=k)
    # A mistyped sign-up, deleted again by its owner: the audit trail keeps it.
    aid += 1
    add("auditlog_logentry", {"id": aid, "object_pk": synth.uuid(), "object_id": None, "object_repr": "testi (2021)",
                              "action": 2, "timestamp": ts(), "changes": {"name": ["testi", "None"]},
                              "actor_id": guardians[0][0], "content_type_id": ct["children.child"],
                              "remote_addr": synth.ip4(), "actor_email": guardians[0][3], "cid": synth.uuid(),
                              "changes_text": ""}, subject=guardians[0][2])

    # Events, occurrences, enrolments, ticket-system passwords, free-spot subscriptions.
    occurrences: list[tuple[int, int, dt.datetime, int]] = []  # (id, event id, time, project id)
    oid = 0
    add("events_eventgroup", {"id": 1, "created_at": ts(), "updated_at": ts(), "image": "", "published_at": ts(),
                              "project_id": 2})
    add("events_eventgroup_translation", {"id": 1, "language_code": "fi", "name": "Syksyn tapahtumat",
                                          "short_description": "", "description": "", "image_alt_text": "",
                                          "master_id": 1})
    for e, title in enumerate(_EVENTS, 1):
        project = 1 + e % len(years)
        tixly = e == len(_EVENTS)
        add("events_event", {"id": e, "created_at": ts(), "updated_at": ts(), "capacity_per_occurrence": 30,
                             "image": f"events/{synth.md5_hex()[:12]}.jpg",
                             "participants_per_invite": "child_and_guardian",
                             "published_at": synth.maybe(ts(), 0.2), "duration": 45, "project_id": project,
                             "event_group_id": 1 if e <= 2 else None, "ready_for_event_group_publishing": e <= 2,
                             "ticket_system": "tixly" if tixly else "internal",
                             "ticket_system_url": "https://tixly.example.fi/event/123" if tixly else "",
                             "ticket_system_end_time": ts(now, now + dt.timedelta(days=60)) if tixly else None})
        add("events_event_translation", {"id": e, "language_code": "fi", "name": title,
                                         "short_description": f"{title} koko perheelle.",
                                         "description": f"<p>{title}: esitys kestää noin 45 minuuttia.</p>",
                                         "image_alt_text": "", "master_id": e})
        if tixly:
            for n in range(40):
                holder = children[n] if n < 15 else None
                add("events_ticketsystempassword",
                    {"id": n + 1, "created_at": ts(), "assigned_at": ts() if holder else None,
                     "value": f"KUK{r.randrange(10**6):06d}", "child_id": holder[0] if holder else None,
                     "event_id": e}, subject=holder[1] if holder else None)
            continue
        for _ in range(3):
            oid += 1
            when = synth.datetime_between(season, now + dt.timedelta(days=90)).replace(minute=0, second=0)
            occurrences.append((oid, e, when, project))
            add("events_occurrence", {"id": oid, "created_at": ts(), "updated_at": ts(),
                                      "time": when.isoformat(sep=" "), "event_id": e,
                                      "venue_id": r.randrange(1, len(_VENUES) + 1),
                                      "occurrence_language": "fi", "capacity_override": None, "ticket_system_url": ""})
    eid = 0
    for child_uuid, k, _, _ in children:
        for occ, _, when, _ in r.sample(occurrences, r.choice((0, 1, 1, 2))):
            eid += 1
            past = when < now
            add("events_enrolment", {"id": eid, "created_at": ts(season, min(when, now)), "child_id": child_uuid,
                                     "occurrence_id": occ, "updated_at": ts(),
                                     "attended": (r.random() > 0.15 if r.random() > 0.3 else None) if past else None,
                                     "reminder_sent_at": (when - dt.timedelta(days=1)).isoformat(sep=" ")
                                     if past else None, "feedback_notification_sent_at": None}, subject=k)
    for n, (child_uuid, k, _, _) in enumerate(r.sample(children, 10), 1):
        add("subscriptions_freespotnotificationsubscription", {"id": n, "created_at": ts(), "child_id": child_uuid,
                                                               "occurrence_id": r.choice(occurrences)[0]}, subject=k)

    # Messages to guardians, the mail queue and its log, verification tokens.
    for m in range(1, 4):
        add("messaging_message", {"id": m, "created_at": ts(), "updated_at": ts(), "sent_at": synth.maybe(ts(), 0.3),
                                  "recipient_count": r.randrange(10, 80),
                                  "recipient_selection": r.choice(("all", "invited", "enrolled")),
                                  "event_id": m if m < 3 else None, "project_id": 1 + m, "protocol": "email"})
        add("messaging_message_translation", {"id": m, "language_code": "fi", "subject": "Tervetuloa tapahtumaan",
                                              "body_text": "Muistathan ottaa lipun mukaan.", "master_id": m})
        add("messaging_message_occurrences", {"id": m, "message_id": m, "occurrence_id": occurrences[m][0]})
    for n in range(1, 26):
        _, _, gp, email = r.choice(guardians)
        child_uuid, k, _, name = r.choice(children)
        mail = (f"From: Kulttuurin kummilapset <kukkuu@hel.fi>\nTo: {email}\nSubject: Ilmoittautuminen vahvistettu\n\n"
                f"Hei! {name or 'Lapsesi'} on ilmoitettu tapahtumaan.")
        data = base64.b64encode(mail.encode()).decode()
        if n <= 5:
            add("mailer_message", {"id": n, "message_data": data, "when_added": ts(), "priority": 2,
                                   "retry_count": 0}, subject=gp)
        else:
            add("mailer_messagelog", {"id": n, "message_data": data, "when_added": ts(), "priority": 2,
                                      "when_attempted": ts(), "result": "1" if r.random() > 0.1 else "3",
                                      "log_message": "" if r.random() > 0.1 else "SMTPRecipientsRefused",
                                      "message_id": f"<{synth.token(20)}@kukkuu.hel.fi>"}, subject=gp)
    for n, (_, _, gp, email) in enumerate(r.sample(guardians, 2), 1):
        add("mailer_dontsendentry", {"id": n, "to_address": email, "when_added": ts()}, subject=gp)
    for n, (guid, gid_uuid, gp, email) in enumerate(r.sample(guardians, 12), 1):
        kind = r.choice(("EMAIL_VERIFICATION", "SUBSCRIPTIONS_AUTH"))
        add("verification_tokens_verificationtoken",
            {"id": n, "created_at": ts(), "object_id": gid_uuid if kind == "EMAIL_VERIFICATION" else str(guid),
             "key": synth.token(32), "expiry_date": ts(now, now + dt.timedelta(days=2)), "verification_type": kind,
             "email": email if kind == "EMAIL_VERIFICATION" else None, "is_active": r.random() > 0.3,
             "content_type_id": ct["users.guardian"] if kind == "EMAIL_VERIFICATION" else ct["users.user"],
             "user_id": guid}, subject=gp)

    # The admin's edits (Django admin log) and the resilient logger's copies of audit events.
    for n in range(1, 7):
        admin_uid, _ = r.choice(admins)
        child_uuid, k, _, name = r.choice(children)
        add("django_admin_log", {"id": n, "action_time": ts(), "object_id": child_uuid,
                                 "object_repr": f"{name} ({k.dob.year})", "action_flag": 2,
                                 "change_message": json.dumps([{"changed": {"fields": ["Notes"]}}]),
                                 "content_type_id": ct["children.child"], "user_id": admin_uid}, subject=k)
    for n in range(1, 11):
        child_uuid, k, guid, name = r.choice(children)
        add("resilient_logger_resilientlogentry",
            {"id": n, "is_sent": n < 9, "level": 20, "created_at": ts(),
             "message": {"action": "CREATE", "target": {"type": "Child", "id": child_uuid, "repr": name}},
             "context": {"actor": {"user_id": guid, "ip_address": synth.ip4()}, "operation": "CREATE",
                         "status": "SUCCESS"}}, subject=k)

    # Migrations applied (the local apps' files listed in schema.json; third-party apps' rows left out).
    for n, path in enumerate(_SCHEMA["upstream"]["paths"], 1):
        app, _, name = path.split("/")
        add("django_migrations", {"id": n, "app": app, "name": name.removesuffix(".py"),
                                  "applied": (season - dt.timedelta(days=900)).isoformat(sep=" ")})
    return rows
