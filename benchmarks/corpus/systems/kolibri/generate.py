"""Rows for Kolibri: one school's offline learning server a term after it was set up.

A primary-and-lower-secondary school runs Kolibri on a classroom server: one facility with four classes and
a few learner groups, an administrator, five coaches and about 110 learners (ages 8-15; birth year and
gender often "NOT_SPECIFIED", as the sign-up form allows; an ID number for some). Learners sign in with a
username only (the facility lets learners log in without a password), so their ``password`` is the
placeholder Kolibri writes. One imported channel with a small topic tree, lessons and quizzes assigned to
classes, and the learners' logs: content summary and session logs, mastery and attempt logs (answers as
JSON), quiz logs, user session logs with the browser and OS, bookmarks and coach notifications. Morango's
store holds the serialized copy of every synced user record (names, birth years), as a syncing facility's
does. Kolibri's date-time-with-zone columns hold strings such as ``2026-02-03 09:15:00.000000(+03:00)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth, not_null_columns, not_null_default

_NOT_NULL = not_null_columns(pathlib.Path(__file__).with_name("schema.json"))
_FIRST_M = ("Brian", "Kevin", "Daniel", "Samuel", "Otieno", "Kamau", "Baraka", "Juma", "Emmanuel", "Collins",
            "Ian", "Victor")
_FIRST_F = ("Faith", "Mercy", "Grace", "Achieng", "Wanjiku", "Amina", "Neema", "Esther", "Joy", "Sharon",
            "Mary", "Cynthia")
_LAST = ("Otieno", "Wanjiru", "Mwangi", "Ochieng", "Kiptoo", "Njoroge", "Achieng", "Mutua", "Wekesa", "Omondi",
         "Kariuki", "Hassan")
_DEVICES = ("Chrome Mobile,119/Android,10", "Chrome,120/Windows,10", "Firefox,121/Ubuntu,22.04",
            "Samsung Internet,23/Android,12", "Chrome,118/Chrome OS,14541")
_TOPICS = ("Fractions", "Decimals", "Place value", "Addition and subtraction", "Reading comprehension",
           "Plants and animals", "The water cycle", "Kiswahili: Sarufi")


def _tz(value: dt.datetime) -> str:
    """Kolibri's DateTimeTzField text: naive local time plus the zone in parentheses."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") + "(+03:00)"


def generate(synth: Synth) -> Rows:
    """Build the rows of one Kolibri facility."""
    r = synth.rng
    rows = Rows()
    today = synth.as_of
    term = dt.datetime(today.year, 1, 6, 8)
    now = dt.datetime.combine(today, dt.time(15))

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        for name, ctype in _NOT_NULL[table]:
            row.setdefault(name, not_null_default(ctype, today))
        rows.add(table, row, subject=subject, dated=dated)

    def hid() -> str:
        return synth.uuid().replace("-", "")

    def when(start: dt.datetime = term, end: dt.datetime = now) -> dt.datetime:
        return synth.datetime_between(start, end)

    def pbkdf2() -> str:
        return f"pbkdf2_sha256$260000${synth.token(12)}${synth.token(43)}="

    # Device, morango identity, facility, dataset, classes and groups.
    instance, database = hid(), hid()
    add("morango_databaseidmodel", {"id": database, "current": True, "date_generated": when().isoformat(sep=" "),
                                    "initial_instance_id": instance})
    add("morango_instanceidmodel", {"id": instance, "platform": "Linux-5.15.0-91-generic-x86_64-with-glibc2.35",
                                    "hostname": "kolibri-server", "sysversion": "3.10.12", "node_id": synth.mac(),
                                    "counter": 1800, "current": True, "db_path": "/home/kolibri/.kolibri/db.sqlite3",
                                    "database_id": database, "system_id": hid()})
    dataset, facility = hid(), hid()
    root_cert = hid()
    add("morango_scopedefinition", {"id": "full-facility", "profile": "facilitydata", "version": 1,
                                    "primary_scope_param_key": "dataset_id", "description": "Full facility",
                                    "read_filter_template": "", "write_filter_template": "",
                                    "read_write_filter_template": "${dataset_id}"})
    add("morango_certificate", {"id": root_cert, "profile": "facilitydata", "scope_version": 1,
                                "scope_params": json.dumps({"dataset_id": dataset}),
                                "public_key": "-----BEGIN PUBLIC KEY-----\n" + synth.token(64) + "\n-----END "
                                              "PUBLIC KEY-----", "serialized": "{}", "signature": synth.token(88),
                                "lft": 1, "rght": 2, "tree_id": 1, "level": 0, "scope_definition_id": "full-facility",
                                "private_key": "-----BEGIN RSA PRIVATE KEY-----\n" + synth.token(64) + "\n-----END "
                                               "RSA PRIVATE KEY-----", "salt": synth.token(16), "parent_id": None})

    def morango(source: str, partition: str) -> dict[str, Any]:
        return {"_morango_dirty_bit": r.random() < 0.3, "_morango_source_id": source,
                "_morango_partition": partition}

    add("kolibriauth_facilitydataset", {"id": dataset, **morango(root_cert, dataset), "description": "",
                                        "location": "Kisumu County", "learner_can_edit_username": False,
                                        "learner_can_edit_name": False, "learner_can_edit_password": False,
                                        "learner_can_sign_up": False, "learner_can_delete_account": False,
                                        "learner_can_login_with_no_password": True, "preset": "formal",
                                        "show_download_button_in_learn": False, "registered": False,
                                        "extra_fields": json.dumps({"on_my_own_setup": False,
                                                                    "pin_code": f"{r.randrange(10**4):04d}"})})
    add("kolibriauth_collection", {"id": facility, **morango(root_cert, dataset), "name": "Manyatta Primary School",
                                   "kind": "facility", "dataset_id": dataset, "parent_id": None})
    classes: list[str] = []
    for grade in ("Grade 4", "Grade 5", "Grade 6", "Grade 7"):
        cid = hid()
        classes.append(cid)
        add("kolibriauth_collection", {"id": cid, **morango(cid, dataset), "name": grade, "kind": "classroom",
                                       "dataset_id": dataset, "parent_id": facility})
    groups: list[tuple[str, str]] = []
    for cid in classes[:2]:
        for name in ("Group A", "Group B"):
            gid = hid()
            groups.append((gid, cid))
            add("kolibriauth_collection", {"id": gid, **morango(gid, dataset), "name": name, "kind": "learnergroup",
                                           "dataset_id": dataset, "parent_id": cid})
    add("device_devicesettings", {"id": 1, "is_provisioned": True, "language_id": "en", "default_facility_id": facility,
                                  "allow_guest_access": False, "allow_learner_unassigned_resource_access": False,
                                  "allow_peer_unlisted_channel_import": False, "landing_page": "signin",
                                  "name": "kolibri-server", "allow_other_browsers_to_connect": True,
                                  "subset_of_users_device": False, "extra_settings": "{}"})
    add("device_deviceappkey", {"id": 1, "key": synth.token(40)})
    add("device_contentcachekey", {"id": 1, "key": int(now.timestamp())})

    # People: the administrator, coaches, learners; the store keeps a serialized copy of each.
    store_counter = 0

    def user(p: Person, full_name: str, username: str, learner: bool) -> str:
        nonlocal store_counter
        uid = hid()
        birth_year = str(p.dob.year) if r.random() < (0.6 if learner else 0.3) else "NOT_SPECIFIED"
        gender = ("MALE" if p.sex == "M" else "FEMALE") if r.random() < 0.7 else "NOT_SPECIFIED"
        id_number = f"{r.randrange(10**5, 10**6)}" if learner and r.random() < 0.3 else ""
        joined = _tz(when(term - dt.timedelta(days=20), term + dt.timedelta(days=10)))
        row = {"id": uid, **morango(root_cert, f"{dataset}:user-ro:{uid}"), "username": username,
               "full_name": full_name, "password": "NOT_SPECIFIED" if learner else pbkdf2(),
               "last_login": synth.maybe(when().isoformat(sep=" "), 0.2), "date_joined": joined,
               "dataset_id": dataset, "facility_id": facility, "birth_year": birth_year, "gender": gender,
               "id_number": id_number, "extra_demographics": None}
        add("kolibriauth_facilityuser", row, subject=p)
        store_counter += 1
        serialized = {k: v for k, v in row.items() if not k.startswith("_morango") and k != "last_login"}
        add("morango_store", {"id": uid, "serialized": json.dumps(serialized), "deleted": False,
                              "last_saved_instance": instance, "last_saved_counter": store_counter,
                              "model_name": "facilityuser", "profile": "facilitydata",
                              "partition": row["_morango_partition"], "conflicting_serialized_data": "",
                              "_self_ref_fk": "", "dirty_bit": False, "source_id": root_cert, "hard_deleted": False,
                              "deserialization_error": "", "last_transfer_session_id": None}, subject=p)
        return uid

    admin_p = synth.person("staff")
    admin = user(admin_p, "Headteacher", "admin", learner=False)
    add("device_devicepermissions", {"user_id": admin, "is_superuser": True, "can_manage_content": True},
        subject=admin_p)
    add("device_osuser", {"user_id": admin, "os_username": "kolibri"}, subject=admin_p)
    add("kolibriauth_role", {"id": hid(), **morango(f"{facility}:admin", dataset), "collection_id": facility,
                             "dataset_id": dataset, "user_id": admin, "kind": "admin"}, subject=admin_p)
    coaches: list[str] = []
    for i, cid in enumerate([*classes, classes[0]]):
        p = synth.person("staff")
        first, last = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F), r.choice(_LAST)
        coach = user(p, f"{first} {last}", f"{first[0].lower()}{last.lower()}", learner=False)
        coaches.append(coach)
        add("kolibriauth_role", {"id": hid(), **morango(f"{cid}:coach", dataset), "collection_id": cid,
                                 "dataset_id": dataset, "user_id": coach, "kind": "coach"}, subject=p)
        if i == 0:
            add("discovery_pinneddevice", {"id": 1, "instance_id": hid(), "created": when().isoformat(sep=" "),
                                           "user_id": coach}, subject=p)
    learners: list[tuple[str, Person, str]] = []  # (user id, person, class id)
    names: set[str] = set()
    for _ in range(110):
        p = synth.person("child" if r.random() < 0.85 else "teen")
        while synth.age(p) < 8:
            p = synth.person("child")
        first, last = r.choice(_FIRST_M if p.sex == "M" else _FIRST_F), r.choice(_LAST)
        username = f"{first.lower()}.{last.lower()}"
        while username in names:
            username += str(r.randrange(10))
        names.add(username)
        full = f"{first} {last}" if r.random() > 0.1 else f"{first.upper()} {last.upper()} "
        uid = user(p, full, username, learner=True)
        cid = classes[min(3, max(0, synth.age(p) - 9))]
        learners.append((uid, p, cid))
        add("kolibriauth_membership", {"id": hid(), **morango(f"{cid}:{uid}", dataset), "collection_id": cid,
                                       "dataset_id": dataset, "user_id": uid}, subject=p)
        for gid, gcid in groups:
            if gcid == cid and r.random() < 0.5:
                add("kolibriauth_membership", {"id": hid(), **morango(f"{gid}:{uid}", dataset), "collection_id": gid,
                                               "dataset_id": dataset, "user_id": uid}, subject=p)
                break

    # Content: one channel, a small topic tree, files.
    channel = hid()
    add("content_language", {"id": "en", "lang_code": "en", "lang_subcode": None, "lang_name": "English",
                             "lang_direction": "ltr"})
    add("content_language", {"id": "sw", "lang_code": "sw", "lang_subcode": None, "lang_name": "Kiswahili",
                             "lang_direction": "ltr"})
    root = hid()
    nodes: list[tuple[str, str, str]] = []  # (node id, content id, kind)
    add("content_contentnode", {"id": root, "title": "Foundational Learning", "content_id": hid(),
                                "channel_id": channel, "kind": "topic", "available": True, "lft": 1, "rght": 200,
                                "tree_id": 1, "level": 0, "lang_id": "en", "license_owner": "", "author": "",
                                "coach_content": False, "parent_id": None})
    add("content_channelmetadata", {"id": channel, "name": "Foundational Learning", "description": "",
                                    "author": "Learning Equality", "version": 12, "thumbnail": "",
                                    "last_updated": when().isoformat(sep=" "), "min_schema_version": "5",
                                    "root_id": root, "published_size": 734003200, "total_resource_count": 48,
                                    "order": 1, "public": True, "tagline": "", "partial": False,
                                    "included_categories": "", "included_grade_levels": ""})
    add("content_channelmetadata_included_languages", {"id": 1, "sort_value": 1, "channelmetadata_id": channel,
                                                        "language_id": "en"})
    lft = 2
    for topic in _TOPICS:
        tnode = hid()
        add("content_contentnode", {"id": tnode, "title": topic, "content_id": hid(), "channel_id": channel,
                                    "kind": "topic", "available": True, "lft": lft, "rght": lft + 7, "tree_id": 1,
                                    "level": 1, "lang_id": "sw" if "Kiswahili" in topic else "en",
                                    "license_owner": "", "author": "", "coach_content": False, "parent_id": root})
        for k, kind in enumerate(("video", "exercise", "document")):
            node, content = hid(), hid()
            nodes.append((node, content, kind))
            add("content_contentnode", {"id": node, "title": f"{topic}: {kind} {k + 1}", "content_id": content,
                                        "channel_id": channel, "kind": kind, "available": True,
                                        "lft": lft + 1 + 2 * k, "rght": lft + 2 + 2 * k, "tree_id": 1, "level": 2,
                                        "lang_id": "en", "license_owner": "Khan Academy", "author": "",
                                        "license_name": "CC BY-NC-SA", "coach_content": False,
                                        "duration": 300 if kind == "video" else None, "parent_id": tnode})
            checksum = hashlib.md5(node.encode()).hexdigest()
            add("content_localfile", {"id": checksum, "available": True, "file_size": r.randrange(10**5, 10**8),
                                      "extension": {"video": "mp4", "exercise": "perseus", "document": "pdf"}[kind]})
            add("content_file", {"id": hid(), "supplementary": False, "thumbnail": False, "priority": 1,
                                 "contentnode_id": node, "lang_id": "en", "local_file_id": checksum,
                                 "preset": {"video": "low_res_video", "exercise": "exercise",
                                            "document": "document"}[kind]})
            if kind == "exercise":
                add("content_assessmentmetadata", {"id": hid(), "assessment_item_ids": json.dumps(
                    [hid() for _ in range(5)]), "number_of_assessments": 5,
                    "mastery_model": json.dumps({"type": "m_of_n", "m": 3, "n": 5}), "randomize": True,
                    "is_manipulable": True, "contentnode_id": node})
        lft += 8

    # Lessons and quizzes for the classes.
    lessons: list[tuple[str, str]] = []
    exams: list[tuple[str, str]] = []
    for i, cid in enumerate(classes):
        lesson = hid()
        lessons.append((lesson, cid))
        add("lessons_lesson", {"id": lesson, **morango(cid, dataset), "title": f"Week {i + 3} revision",
                               "description": "", "resources": json.dumps([{"contentnode_id": n, "content_id": c,
                                                                            "channel_id": channel}
                                                                           for n, c, _ in nodes[i * 3:i * 3 + 3]]),
                               "is_active": True, "collection_id": cid, "dataset_id": dataset,
                               "date_created": _tz(when()), "created_by_id": coaches[i]})
        add("lessons_lessonassignment", {"id": hid(), **morango(cid, dataset), "collection_id": cid,
                                         "dataset_id": dataset, "lesson_id": lesson, "assigned_by_id": coaches[i]})
        exam = hid()
        exams.append((exam, cid))
        add("exams_exam", {"id": exam, **morango(cid, dataset), "title": f"Mid-term quiz {i + 4}", "question_count": 5,
                           "question_sources": json.dumps([{"exercise_id": nodes[i * 3 + 1][0], "question_id": hid()}
                                                           for _ in range(5)]), "seed": r.randrange(10**4),
                           "active": True, "archive": False, "collection_id": cid, "creator_id": coaches[i],
                           "dataset_id": dataset, "data_model_version": 3, "learners_see_fixed_order": False,
                           "date_activated": when().isoformat(sep=" "), "date_created": when().isoformat(sep=" ")})
        add("exams_examassignment", {"id": hid(), **morango(cid, dataset), "collection_id": cid,
                                     "dataset_id": dataset, "exam_id": exam, "assigned_by_id": coaches[i]})

    # Learners' logs.
    nid = 0
    for uid, p, cid in learners:
        part = f"{dataset}:user-rw:{uid}"
        if r.random() < 0.2:
            continue  # never signed in this term
        for _ in range(r.randrange(1, 4)):
            start = when()
            add("logger_usersessionlog", {"id": hid(), **morango(uid, part), "channels": json.dumps([channel]),
                                          "start_timestamp": _tz(start),
                                          "last_interaction_timestamp": _tz(start + dt.timedelta(minutes=25)),
                                          "pages": "", "dataset_id": dataset, "user_id": uid,
                                          "device_info": synth.maybe(r.choice(_DEVICES), 0.1)}, subject=p)
        for node, content, kind in r.sample(nodes, r.randrange(1, 6)):
            start = when()
            progress = 1.0 if r.random() < 0.6 else round(r.random(), 2)
            spent = round(r.uniform(30, 900), 1)
            summary = hid()
            add("logger_contentsummarylog", {"id": summary, **morango(content, part), "content_id": content,
                                             "start_timestamp": _tz(start),
                                             "end_timestamp": _tz(start + dt.timedelta(seconds=spent)),
                                             "completion_timestamp": _tz(start + dt.timedelta(seconds=spent))
                                             if progress == 1.0 else None, "time_spent": spent,
                                             "progress": progress, "kind": kind,
                                             "extra_fields": json.dumps({"statusCode": 200} if kind == "video"
                                                                        else {}),
                                             "dataset_id": dataset, "user_id": uid, "channel_id": channel}, subject=p)
            session = hid()
            add("logger_contentsessionlog", {"id": session, **morango(content, part), "content_id": content,
                                             "start_timestamp": _tz(start),
                                             "end_timestamp": _tz(start + dt.timedelta(seconds=spent)),
                                             "time_spent": spent, "progress": progress, "kind": kind,
                                             "extra_fields": "{}", "dataset_id": dataset, "user_id": uid,
                                             "visitor_id": None, "channel_id": channel}, subject=p)
            if r.random() < 0.1:
                add("bookmarks_bookmark", {"id": hid(), **morango(uid, part), "content_id": content,
                                           "channel_id": channel, "contentnode_id": node, "dataset_id": dataset,
                                           "user_id": uid, "created": start.isoformat(sep=" ")}, subject=p)
            if kind != "exercise":
                continue
            mastery = hid()
            done = progress == 1.0
            add("logger_masterylog", {"id": mastery, **morango(f"{summary}:1", part),
                                      "mastery_criterion": json.dumps({"type": "m_of_n", "m": 3, "n": 5}),
                                      "start_timestamp": _tz(start), "end_timestamp": _tz(start),
                                      "completion_timestamp": _tz(start) if done else None, "mastery_level": 1,
                                      "complete": done, "dataset_id": dataset, "summarylog_id": summary,
                                      "user_id": uid, "time_spent": spent}, subject=p)
            for q in range(r.randrange(2, 6)):
                ok = r.random() < 0.7
                add("logger_attemptlog", {"id": hid(), **morango(hid(), part), "item": f"{hid()}:{hid()}",
                                          "start_timestamp": _tz(start + dt.timedelta(minutes=q)),
                                          "end_timestamp": _tz(start + dt.timedelta(minutes=q + 1)),
                                          "completion_timestamp": _tz(start + dt.timedelta(minutes=q + 1)),
                                          "time_spent": round(r.uniform(5, 60), 1), "complete": True,
                                          "correct": 1.0 if ok else 0.0, "hinted": r.random() < 0.1,
                                          "answer": json.dumps({"question": {"numericInput": str(r.randrange(100))}}),
                                          "simple_answer": str(r.randrange(100)),
                                          "interaction_history": json.dumps([{"type": "answer", "correct": int(ok)}]),
                                          "dataset_id": dataset, "masterylog_id": mastery, "sessionlog_id": session,
                                          "user_id": uid, "error": False}, subject=p)
            if not done and r.random() < 0.3:
                nid += 1
                add("notifications_learnerprogressnotification",
                    {"id": nid, "notification_object": "Resource", "notification_event": "HelpNeeded",
                     "user_id": uid, "classroom_id": cid, "contentnode_id": node, "lesson_id": None, "quiz_id": None,
                     "timestamp": _tz(start), "assignment_collections": json.dumps([cid]),
                     "reason": "MultipleUnsuccessfulAttempts"}, subject=p)
        exam = next(e for e, c in exams if c == cid)
        if r.random() < 0.6:
            examlog = hid()
            right = 0
            for q in range(5):
                ok = r.random() < 0.65
                right += ok
                add("logger_examattemptlog", {"id": hid(), **morango(f"{exam}:{uid}", part), "item": f"{hid()}:{hid()}",
                                              "start_timestamp": _tz(when()), "end_timestamp": _tz(when()),
                                              "completion_timestamp": None, "time_spent": round(r.uniform(10, 90), 1),
                                              "complete": True, "correct": 1.0 if ok else 0.0, "hinted": False,
                                              "answer": json.dumps({"question": {"radio": r.randrange(4)}}),
                                              "simple_answer": "", "interaction_history": "[]",
                                              "content_id": nodes[q][1], "dataset_id": dataset,
                                              "examlog_id": examlog, "user_id": uid, "error": False}, subject=p)
            add("logger_examlog", {"id": examlog, **morango(f"{exam}:{uid}", part), "closed": True,
                                   "dataset_id": dataset, "exam_id": exam, "user_id": uid,
                                   "completion_timestamp": when().isoformat(sep=" ")}, subject=p)
            nid += 1
            add("notifications_learnerprogressnotification",
                {"id": nid, "notification_object": "Quiz", "notification_event": "Completed", "user_id": uid,
                 "classroom_id": cid, "contentnode_id": None, "lesson_id": None, "quiz_id": exam,
                 "timestamp": _tz(when()), "quiz_num_correct": right, "quiz_num_answered": 5,
                 "assignment_collections": json.dumps([cid]), "reason": ""}, subject=p)
    for n, coach in enumerate(coaches[:4], 1):
        add("notifications_notificationslog", {"id": n, "coach_id": coach, "timestamp": _tz(when())})

    # Sync with the county's Kolibri Data Portal, peers on the network, sessions, background jobs.
    sync = hid()
    add("morango_syncsession", {"id": sync, "start_timestamp": when().isoformat(sep=" "),
                                "last_activity_timestamp": now.isoformat(sep=" "), "active": False,
                                "connection_kind": "network", "connection_path": "https://kolibri-hub.example.org/",
                                "is_server": False, "client_ip": "", "profile": "facilitydata",
                                "server_ip": "203.0.113.17", "client_certificate_id": root_cert,
                                "server_certificate_id": root_cert, "extra_fields": "{}", "process_id": 4121,
                                "client_instance_json": json.dumps({"id": instance, "hostname": "kolibri-server"}),
                                "server_instance_json": "{}", "client_instance_id": instance,
                                "server_instance_id": None})
    add("morango_transfersession", {"id": hid(), "filter": dataset, "push": True, "active": False,
                                    "records_total": len(rows["morango_store"]), "sync_session_id": sync,
                                    "last_activity_timestamp": now.isoformat(sep=" "), "client_fsic": "{}",
                                    "records_transferred": len(rows["morango_store"]), "server_fsic": "{}",
                                    "start_timestamp": now.isoformat(sep=" "), "bytes_received": 0,
                                    "bytes_sent": 1843200, "transfer_stage": "cleanup",
                                    "transfer_stage_status": "completed"})
    add("morango_databasemaxcounter", {"id": 1, "instance_id": instance, "counter": store_counter,
                                       "partition": dataset})
    for name, ip in (("Grade 6 tablet cart", "192.168.1.23"), ("Library laptop", "192.168.1.40")):
        add("discovery_networklocation", {"id": hid(), "base_url": f"http://{ip}:8080/", "application": "kolibri",
                                          "kolibri_version": "0.17.4", "instance_id": hid(), "device_name": name,
                                          "operating_system": "Linux", "added": now.isoformat(sep=" "),
                                          "last_accessed": now.isoformat(sep=" "), "nickname": "",
                                          "subset_of_users_device": False, "broadcast_id": hid(),
                                          "connection_faults": 0, "connection_status": "Okay", "last_known_ip": ip,
                                          "min_content_schema_version": "5", "is_local": True,
                                          "location_type": "dynamic"})
    for _, p, _ in learners[:3]:
        add("django_session", {"session_key": synth.token(32).lower(),
                               "session_data": synth.token(60) + ":" + synth.token(27),
                               "expire_date": (now + dt.timedelta(days=7)).isoformat(sep=" ")}, subject=p)
    add("jobs", {"id": hid(), "state": "COMPLETED", "func": "kolibri.core.logger.tasks.exportsummarylogcsv",
                 "priority": 10, "queue": "facility_task", "saved_job": json.dumps({"args": [facility]}),
                 "time_created": when().isoformat(sep=" "), "time_updated": now.isoformat(sep=" "), "repeat": 0})
    add("logger_generatecsvlogrequest", {"id": 1, "selected_end_date": now.isoformat(sep=" "),
                                         "date_requested": now.isoformat(sep=" "), "log_type": "summary",
                                         "facility_id": facility, "selected_start_date": term.isoformat(sep=" ")})
    for n, path in enumerate(_SCHEMA_PATHS, 1):  # the repository's migrations, as applied
        app = path.split("/")[2]
        add("django_migrations", {"id": n, "app": "kolibriauth" if app == "auth" else app,
                                  "name": path.rsplit("/", 1)[1].removesuffix(".py"),
                                  "applied": term.isoformat(sep=" ")})
    return rows


_SCHEMA_PATHS: list[str] = json.loads(pathlib.Path(__file__).with_name("schema.json").read_text(encoding="utf-8")
                                      )["upstream"]["paths"]
