"""Rows for fusionAAS: a real-name verification and anti-addiction service in front of two mobile games.

Players reach the service through the game SDK: first as guests (a device id and a guest account, play
time counted), then by real-name verification (name + resident ID), after which minors are held to the
anti-addiction rules (holidays table, monthly top-up caps). Many verified players are minors. The CMF
half of the schema (admin users, roles, menus, options) holds two operators and the shipped settings;
most of its tables are empty. As in the upstream dump, unset columns are empty strings or 0, not NULL.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from benchmarks.corpus.synth import Person, Rows, Synth

_SCHEMA = json.loads(Path(__file__).with_name("schema.json").read_text(encoding="utf-8"))
_NUMERIC = ("int", "tinyint", "smallint", "bigint", "float", "double", "decimal")


def _blank(table: str) -> dict[str, Any]:
    """The values MySQL fills for NOT NULL columns left out (DEFAULT '' / '0' in the upstream dump)."""
    out: dict[str, Any] = {}
    for t in _SCHEMA["tables"]:
        if t["name"] == table:
            for c in t["columns"]:
                if not c["nullable"]:
                    out[c["name"]] = 0 if c["type"].startswith(_NUMERIC) else ""
    return out


def _unix(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())


def generate(synth: Synth) -> Rows:
    """Build the rows of one fusionAAS deployment serving two games."""
    r = synth.rng
    rows = Rows()
    start = synth.as_of - dt.timedelta(days=400)
    end = dt.datetime.combine(synth.as_of, dt.time(21, 0))

    def ts() -> int:
        return _unix(synth.datetime_between(start, end))

    def add(table: str, row: dict[str, Any], subject: Person | None = None, dated: bool = False) -> None:
        rows.add(table, _blank(table) | row, subject=subject, dated=dated)

    # CMF side: two operators, their roles and tokens, the shipped options and menus.
    operators = [synth.person("staff"), synth.person("staff")]
    for i, p in enumerate(operators):
        login = "admin" if i == 0 else p.name_pinyin.replace(" ", "").lower()
        add("fsdk_user", {"id": i + 1, "user_type": 1, "user_login": login,
                          "user_pass": "###" + synth.md5_hex(), "user_nickname": "admin" if i == 0 else p.name_zh,
                          "user_email": p.email, "mobile": "" if i == 0 else p.mobile, "create_time": ts(),
                          "last_login_time": ts(), "last_login_ip": synth.ip4(), "user_status": 1}, subject=p)
        add("fsdk_user_token", {"id": i + 1, "user_id": i + 1, "token": synth.token(64), "device_type": "web",
                                "create_time": ts(), "expire_time": ts() + 86400 * 180}, subject=p)
    roles = (("超级管理员", "拥有网站最高管理员权限！"), ("高级管理员", "权限由最高管理员分配！"))
    for i, (name, remark) in enumerate(roles):
        add("fsdk_role", {"id": i + 1, "status": 1, "name": name, "remark": remark, "create_time": 1329633709,
                          "update_time": 1329633709})
    add("fsdk_role_user", {"id": 1, "role_id": 2, "user_id": 2}, subject=operators[1])
    menus = (("AdminSetting", "default", "防沉迷"), ("AdminSetting", "index", "规则配置"),
             ("AdminApp", "index", "应用管理"), ("AdminHoliday", "index", "节日管理"),
             ("AdminUser", "guestIndex", "游客"), ("AdminUser", "userIndex", "实名用户"))
    for i, (ctrl, action, name) in enumerate(menus):
        add("fsdk_admin_menu", {"id": 133 + i, "parent_id": 0 if i == 0 else 133, "type": 1, "status": 1,
                                "list_order": 10 * (i + 1), "app": "realname", "controller": ctrl, "action": action,
                                "name": name})
        rule = f"realname/{ctrl.lower()}/{action.lower()}"
        add("fsdk_auth_rule", {"id": i + 1, "status": 1, "app": "realname", "type": "admin_url", "name": rule,
                               "title": name})
        add("fsdk_auth_access", {"id": 20 + i, "role_id": 2, "rule_name": rule, "type": "admin_url"})
    add("fsdk_option", {"id": 1, "autoload": 1, "option_name": "site_info",
                        "option_value": json.dumps({"site_name": "防沉迷系统", "site_admin_email": ""},
                                                   ensure_ascii=False)})
    add("fsdk_option", {"id": 2, "autoload": 1, "option_name": "realname_setting",
                        "option_value": json.dumps({"guest_time": 3600, "minor_holiday_time": 3600,
                                                    "minor_pay_8_16": 200, "minor_pay_16_18": 400})})
    add("fsdk_theme", {"id": 1, "theme": "simpleboot3", "name": "simpleboot3", "version": "1.0.2", "status": 1,
                       "lang": "zh-cn", "create_time": ts(), "update_time": ts()})
    for i in range(6):
        p = r.choice(operators)
        add("fsdk_user_action_log", {"id": i + 1, "user_id": operators.index(p) + 1, "count": r.randrange(1, 40),
                                     "last_visit_time": ts(), "object": "", "action": "admin/Index/index",
                                     "ip": synth.ip4()}, subject=p)
    add("fsdk_user_login_attempt", {"id": 1, "login_attempts": 3, "attempt_time": ts(), "locked_time": 0,
                                    "ip": synth.ip4(), "account": "admin"})

    # Games, holidays.
    for app_id, name in ((10001, "萌宠消消乐"), (10002, "三国英雄传")):
        add("game_app", {"app_id": app_id, "app_secret": synth.token(20), "app_name": name,
                         "app_icon": f"realname/{app_id}/icon.png", "create_time": ts(), "realname_status": 1,
                         "fatigue_status": 1, "recharge_status": 0})
    for d in (dt.date(synth.as_of.year, 1, 1), dt.date(synth.as_of.year, 5, 1), dt.date(synth.as_of.year, 5, 2),
              dt.date(synth.as_of.year, 10, 1), dt.date(synth.as_of.year, 10, 2), dt.date(synth.as_of.year, 10, 3)):
        add("game_holiday", {"dt": _unix(dt.datetime.combine(d, dt.time())), "date_status": 1})

    # Players: guests (device + guest account) and real-name users, many of them minors.
    uid_n = 80_000_000
    for _ in range(260):
        app_id = r.choice((10001, 10001, 10002))
        uid_n += r.randrange(1, 50)
        uid = str(uid_n)
        kind = r.choices(("child", "teen", "adult"), weights=(30, 30, 40))[0]
        p = synth.person(kind)
        created = ts()
        device = r.choice((synth.imei(), synth.android_id(), synth.idfa(), synth.oaid()))[:50]  # varchar(50)
        guest_first = r.random() < 0.6
        if guest_first:
            add("game_guest_device", {"app_id": app_id, "device_id": device, "uid": uid, "create_time": created,
                                      "update_time": created + r.randrange(60, 86400)}, subject=p)
            add("game_user", {"app_id": app_id, "uid": uid, "user_type": 0, "create_time": created,
                              "session_id": synth.token(32), "update_time": created + r.randrange(60, 3600),
                              "online_time": r.randrange(0, 3600)}, subject=p)
        if r.random() < 0.75:  # verified by real name
            idcard = p.ric
            roll = r.random()
            if roll < 0.04:
                idcard = idcard.lower()
            elif roll < 0.06:
                idcard = p.ric15
            elif roll < 0.07:
                idcard = synth.fullwidth(idcard)[:18]
            name = p.name_zh if r.random() > 0.05 else synth.trailing(p.name_zh)
            add("game_user", {"app_id": app_id, "uid": uid, "user_type": 1, "real_name": name, "idcard": idcard,
                              "create_time": created, "session_id": synth.token(32),
                              "update_time": created + r.randrange(60, 86400),
                              "online_time": r.randrange(0, 5400 if kind == "adult" else 3600)},
                subject=p, dated=True)
            if r.random() < 0.3:
                cap = 400 if kind == "adult" else (200 if kind == "child" else 400)
                add("game_user_recharge", {"app_id": app_id, "uid": uid, "update_time": ts(),
                                           "pay_monthly": float(synth.money(6, cap))}, subject=p)
    # Test accounts left by the game QA team.
    for i in range(3):
        t = synth.test_account()
        add("game_user", {"app_id": 10001, "uid": f"test{i + 1:03d}", "user_type": 1, "real_name": t.name_zh,
                          "idcard": t.ric, "create_time": ts(), "session_id": synth.token(32), "update_time": ts(),
                          "online_time": 0}, subject=t, dated=True)
    return rows
