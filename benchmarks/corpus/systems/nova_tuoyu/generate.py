"""Rows for the Nova 托育园 fee system: one childcare centre for infants and toddlers, January to ``as_of``.

About fifty children aged 6 to 40 months in four age groups, each with a contract priced by age band,
daily attendance, monthly bills, payments, the resulting education-fee and meal-fee balances and their
movements, meal-fee refunds for sick days and fee alerts; staff accounts with roles and an operation log.
Parents appear only inside the child's row (name, phone, WeChat, emergency contact, who picks the child up),
as upstream stores them. Mess: phones with blanks or full-width, a WeChat id that is the parent's phone,
pick-up notes in free text, allergy history left empty or written ``无``, a test child, and snowflake ids.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from benchmarks.corpus.synth import Person, Rows, Synth

_CLASSES = (("乳儿班", 6, 12), ("托小班", 13, 24), ("托大班", 25, 36), ("混龄班", 20, 40))
_BANDS = (
    ("4-12月", 4200, 600),
    ("13-18月", 3900, 620),
    ("19-24月", 3600, 650),
    ("25-36月", 3300, 680),
    ("37月以上", 3000, 700),
)
_ROLES = (("ADMIN", "园长"), ("TEACHER", "保育老师"), ("FINANCE", "财务"))
_ALLERGY = ("无", "牛奶蛋白过敏", "鸡蛋过敏", "芒果过敏", "海鲜过敏", "青霉素过敏")
_SNOW = 1_905_000_000_000_000_000


def _id(n: int) -> int:
    """A snowflake-like bigint id as MyBatis-Plus assigns them."""
    return _SNOW + n * 4099


def _toddler(synth: Synth, months: int) -> Person:
    base = synth.person("child")
    dob = synth.as_of - dt.timedelta(days=int(months * 30.4) + synth.rng.randrange(25))
    rid = synth.ric_for(dob, base.sex)
    return dataclasses.replace(base, dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no=None)


def _band(months: int) -> int:
    return 0 if months <= 12 else 1 if months <= 18 else 2 if months <= 24 else 3 if months <= 36 else 4


def _phone(synth: Synth, mobile: str) -> str:
    x = synth.rng.random()
    if x < 0.05:
        return synth.fullwidth(mobile)
    if x < 0.1:
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    return mobile


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    opened = dt.datetime(synth.as_of.year - 1, 8, 20, 9)
    now = dt.datetime.combine(synth.as_of, dt.time(18))
    seq = iter(range(1, 10**6))

    def base(user: int | None, when: dt.datetime) -> dict[str, object]:
        return {"create_time": when, "create_user": user, "update_time": when, "update_user": user, "deleted": 0}

    # Staff accounts, roles, menus, settings.
    users: list[tuple[int, Person, str]] = []
    for n, (username, role) in enumerate(
        (
            ("admin", 0),
            ("yuanzhang", 0),
            ("caiwu01", 2),
            ("t_li", 1),
            ("t_wang", 1),
            ("t_zhao", 1),
            ("t_chen", 1),
            ("baojian", 1),
        ),
        start=1,
    ):
        p = synth.person("staff")
        uid = _id(n)
        rows.add(
            "t_user",
            {
                "id": uid,
                "username": username,
                "password": synth.bcrypt(),
                "real_name": "系统管理员" if n == 1 else p.name_zh,
                "phone": synth.maybe(p.mobile, 0.2),
                "status": 1,
                "login_fail_count": r.choice((0, 0, 0, 1, 3)),
                "lock_time": None,
                **base(_id(1), opened),
            },
            subject=p,
        )
        rows.add(
            "t_user_role",
            {"id": _id(100 + n), "user_id": uid, "role_id": _id(90 + role), **base(_id(1), opened)},
            subject=p,
        )
        users.append((uid, p, username))
    for k, (code, name) in enumerate(_ROLES):
        rows.add(
            "t_role",
            {"id": _id(90 + k), "role_code": code, "role_name": name, "status": 1, "sort": k, **base(_id(1), opened)},
        )
    for k, (name, path) in enumerate(
        (
            ("幼儿管理", "/child"),
            ("合同管理", "/contract"),
            ("收费管理", "/payment"),
            ("账单管理", "/bill"),
            ("出勤管理", "/attendance"),
        ),
        start=1,
    ):
        rows.add(
            "t_menu",
            {
                "id": _id(200 + k),
                "menu_name": name,
                "parent_id": 0,
                "menu_type": 2,
                "route_path": path,
                "component_path": f"{path[1:]}/index",
                "permission": f"{path[1:]}:list",
                "icon": "user",
                "sort": k,
                "status": 1,
                **base(_id(1), opened),
            },
        )
        rows.add(
            "t_role_menu", {"id": _id(300 + k), "role_id": _id(90), "menu_id": _id(200 + k), **base(_id(1), opened)}
        )
    for k, (key, value, desc) in enumerate(
        (
            ("alert.contract.days", "30", "合同到期提前提醒天数"),
            ("alert.balance.threshold", "500", "余额不足提醒阈值"),
            ("nursery.name", "睿阳托育园", "园所名称"),
        ),
        start=1,
    ):
        rows.add(
            "t_system_config",
            {
                "id": _id(400 + k),
                "config_key": key,
                "config_value": value,
                "config_desc": desc,
                "status": 1,
                **base(_id(1), opened),
            },
        )
    teachers = [u for u in users if u[2].startswith("t_")]
    finance = users[2][0]

    # Fee templates.
    tpl = _id(500)
    rows.add(
        "t_fee_template",
        {
            "id": tpl,
            "template_name": f"{synth.as_of.year - 1}秋季全日托",
            "course_type": "全日托",
            "status": 1,
            "version": "1.0",
            **base(_id(2), opened),
        },
    )
    for k, (band, edu, meal) in enumerate(_BANDS):
        rows.add(
            "t_fee_template_item",
            {
                "id": _id(510 + k),
                "template_id": tpl,
                "age_range": band,
                "education_fee": edu,
                "meal_fee": meal,
                **base(_id(2), opened),
            },
        )
    for k, (code, name, cycle, fee) in enumerate((("BED", "被褥费", "ONCE", 300), ("MAT", "材料费", "SEMESTER", 480))):
        rows.add(
            "t_other_fee_template",
            {
                "id": _id(520 + k),
                "template_id": tpl,
                "fee_code": code,
                "fee_name": name,
                "charge_cycle": cycle,
                "fee_standard": fee,
                "status": 1,
                **base(_id(2), opened),
            },
        )

    # Classes and children.
    months = [m for m in range(1, 13) if dt.date(synth.as_of.year, m, 1) <= synth.as_of]
    op = 1
    for ci, (cname, lo, hi) in enumerate(_CLASSES):
        cid = _id(600 + ci)
        kids = r.randrange(10, 16)
        rows.add(
            "t_class",
            {
                "id": cid,
                "class_name": cname,
                "teacher_id": teachers[ci % len(teachers)][0],
                "remark": None,
                "status": 1,
                "current_count": kids,
                **base(_id(2), opened),
            },
        )
        for _ in range(kids):
            n = next(seq)
            age = r.randrange(lo, hi + 1)
            kid = _toddler(synth, age)
            mother, father = synth.person("parent"), synth.person("parent")
            guardian = mother if r.random() < 0.7 else father
            child_id = _id(1000 + n)
            enrolled = max(opened.date() + dt.timedelta(days=r.randrange(0, 20)), kid.dob + dt.timedelta(days=120))
            status = 1 if r.random() > 0.06 else r.choice((2, 3))
            grandma = synth.person("adult")
            pickup = r.choice(
                (
                    f"奶奶{grandma.name_zh} {grandma.mobile}",
                    f"爸爸{father.name_zh}",
                    f"妈妈/外婆（{synth.mobile()}）",
                    None,
                )
            )
            rows.add(
                "t_child",
                {
                    "id": child_id,
                    "name": kid.name_zh if r.random() > 0.04 else synth.trailing(kid.name_zh),
                    "gender": 1 if kid.sex == "M" else 2,
                    "birth_date": kid.dob,
                    "class_id": cid,
                    "enroll_date": enrolled,
                    "parent_name": guardian.name_zh,
                    "contact_phone": _phone(synth, guardian.mobile),
                    "wechat": synth.maybe(r.choice((guardian.mobile, "wxid_" + synth.token(10).lower())), 0.4),
                    "emergency_contact": synth.maybe((father if guardian is mother else mother).name_zh, 0.3),
                    "emergency_phone": synth.maybe((father if guardian is mother else mother).mobile, 0.3),
                    "pickup_person": pickup,
                    "allergy_history": synth.maybe(r.choice(_ALLERGY), 0.5),
                    "status": status,
                    **base(_id(2), dt.datetime.combine(enrolled, dt.time(10))),
                },
                subject=kid,
                dated=True,
            )
            _contract_and_money(synth, rows, n, child_id, kid, age, enrolled, months, finance, tpl, now)
            _attendance(synth, rows, n, child_id, kid, teachers, status)
            if r.random() < 0.4:
                who = r.choice(users)
                when = synth.datetime_between(now - dt.timedelta(days=30), now)
                rows.add(
                    "t_operation_log",
                    {
                        "id": _id(900_000 + op),
                        "operator": who[1].name_zh if who[0] != _id(1) else "系统管理员",
                        "operator_id": who[0],
                        "operation_ip": r.choice((synth.ip4(), "192.168.1." + str(r.randrange(2, 250)))),
                        "operation_module": r.choice(("幼儿管理", "收费管理", "出勤管理")),
                        "operation_content": r.choice(
                            (
                                f"修改幼儿信息：{kid.name_zh}",
                                f"登记缴费：{kid.name_zh} 保教费",
                                f"批量登记出勤：{cname}",
                            )
                        ),
                        "operation_result": "SUCCESS",
                        "error_msg": None,
                        **base(who[0], when),
                    },
                    subject=who[1],
                )
                op += 1
    tester = synth.test_account()
    rows.add(
        "t_child",
        {
            "id": _id(999_999),
            "name": "测试宝宝",
            "gender": 1,
            "birth_date": tester.dob,
            "class_id": _id(600),
            "enroll_date": opened.date(),
            "parent_name": tester.name_zh,
            "contact_phone": tester.mobile,
            "status": 3,
            **base(_id(1), opened),
        },
        subject=tester,
        dated=True,
    )
    return rows


def _contract_and_money(
    synth: Synth,
    rows: Rows,
    n: int,
    child_id: int,
    kid: Person,
    age: int,
    enrolled: dt.date,
    months: list[int],
    finance: int,
    tpl: int,
    now: dt.datetime,
) -> None:
    """Contract with its fee items, monthly bills and payments, balances and their movements, alerts."""
    r = synth.rng
    year = synth.as_of.year
    contract = _id(20_000 + n)
    _band_name, edu, meal = _BANDS[_band(age)]
    when = dt.datetime.combine(enrolled, dt.time(11))
    rows.add(
        "t_contract",
        {
            "id": contract,
            "contract_no": f"HT{enrolled:%Y%m%d}{n:04d}",
            "child_id": child_id,
            "contract_name": f"{kid.name_zh}全日托服务合同",
            "course_type": "全日托",
            "start_date": enrolled,
            "end_date": dt.date(year, 7, 31),
            "status": 1 if r.random() > 0.1 else 3,
            "attachment_url": synth.maybe(f"/upload/contract/{synth.token(16)}.pdf", 0.4),
            "create_time": when,
            "create_user": finance,
            "update_time": when,
            "update_user": finance,
            "deleted": 0,
        },
        subject=kid,
    )
    for k, (band, e, m) in enumerate(_BANDS[:4]):
        rows.add(
            "t_contract_fee_item",
            {
                "id": _id(30_000 + n * 10 + k),
                "contract_id": contract,
                "age_range": band,
                "education_fee": e,
                "meal_fee": m,
                "create_time": when,
                "create_user": finance,
                "update_time": when,
                "update_user": finance,
                "deleted": 0,
            },
            subject=kid,
        )
    rows.add(
        "t_contract_other_fee",
        {
            "id": _id(40_000 + n),
            "contract_id": contract,
            "fee_code": "BED",
            "fee_name": "被褥费",
            "charge_cycle": "ONCE",
            "fee_standard": 300,
            "status": 1,
            "create_time": when,
            "create_user": finance,
            "update_time": when,
            "update_user": finance,
            "deleted": 0,
        },
        subject=kid,
    )
    if r.random() < 0.1:
        rows.add(
            "t_contract_change_log",
            {
                "id": _id(45_000 + n),
                "contract_id": contract,
                "change_type": "CHANGE",
                "change_reason": r.choice(("由半日托改为全日托", "家长申请调整伙食费", "转班后按新年龄段收费")),
                "before_content": json.dumps({"courseType": "半日托", "educationFee": edu - 800}, ensure_ascii=False),
                "after_content": json.dumps({"courseType": "全日托", "educationFee": edu}, ensure_ascii=False),
                "create_time": when + dt.timedelta(days=40),
                "create_user": finance,
            },
            subject=kid,
        )
    balance = {"EDUCATION": 0.0, "MEAL": 0.0}
    rec = 0
    for m in months:
        bill_day = dt.datetime(year, m, 1, 9)
        sick_days = r.choice((0, 0, 0, 1, 2, 3))
        refund_meal = round(meal / 22 * sick_days, 2)
        due = edu + meal - refund_meal
        bill = _id(50_000 + n * 12 + m)
        rows.add(
            "t_bill",
            {
                "id": bill,
                "bill_no": f"ZD{year}{m:02d}{n:04d}",
                "child_id": child_id,
                "contract_id": contract,
                "bill_month": f"{year}-{m:02d}",
                "education_fee_receivable": edu,
                "meal_fee_receivable": meal,
                "other_fee_receivable": 0,
                "education_fee_refund": 0,
                "meal_fee_refund": refund_meal,
                "discount_amount": 0,
                "actual_amount": due,
                "due_amount": due,
                "status": "CONFIRMED" if m < months[-1] else "PENDING",
                "confirm_time": bill_day + dt.timedelta(days=2) if m < months[-1] else None,
                "confirm_user": finance if m < months[-1] else None,
                "create_time": bill_day,
                "create_user": finance,
                "update_time": bill_day,
                "update_user": finance,
                "deleted": 0,
            },
            subject=kid,
        )
        for k, (kind, amount) in enumerate((("EDUCATION", edu), ("MEAL", meal - refund_meal))):
            rows.add(
                "t_bill_item",
                {
                    "id": _id(60_000 + n * 40 + m * 3 + k),
                    "bill_id": bill,
                    "item_type": kind,
                    "fee_item": "保教费" if kind == "EDUCATION" else "伙食费",
                    "amount": amount,
                    "description": f"病假{sick_days}天退伙食费" if kind == "MEAL" and sick_days else None,
                    "create_time": bill_day,
                    "create_user": finance,
                    "update_time": bill_day,
                    "update_user": finance,
                    "deleted": 0,
                },
                subject=kid,
            )
        paid = r.random() < (0.95 if m < months[-1] else 0.5)
        for kind, amount in (("EDUCATION", edu), ("MEAL", meal - refund_meal)):
            balance[kind] += amount if paid else 0
            balance[kind] -= amount
            rec += 1
            if paid:
                pay_day = bill_day + dt.timedelta(days=r.randrange(1, 8), hours=r.randrange(8))
                receipt = f"SK{pay_day:%Y%m%d}{n:04d}{rec}"
                rows.add(
                    "t_payment",
                    {
                        "id": _id(70_000 + n * 40 + rec),
                        "receipt_no": receipt,
                        "child_id": child_id,
                        "payment_type": "保教费" if kind == "EDUCATION" else "伙食费",
                        "fee_item": f"{m}月{'保教费' if kind == 'EDUCATION' else '伙食费'}",
                        "amount": amount,
                        "payment_method": r.choice(("WECHAT", "WECHAT", "ALIPAY", "BANK", "CASH")),
                        "status": "VALID",
                        "remark": synth.maybe("家长微信转账", 0.8),
                        "create_time": pay_day,
                        "create_user": finance,
                        "update_time": pay_day,
                        "update_user": finance,
                        "deleted": 0,
                    },
                    subject=kid,
                )
                rows.add(
                    "t_balance_record",
                    {
                        "id": _id(80_000 + n * 80 + rec * 2),
                        "child_id": child_id,
                        "account_type": kind,
                        "change_type": "INCOME",
                        "amount": amount,
                        "after_balance": balance[kind] + amount,
                        "related_no": receipt,
                        "fee_item": "缴费",
                        "remark": None,
                        "create_time": pay_day,
                        "create_user": finance,
                        "update_time": pay_day,
                        "update_user": finance,
                        "deleted": 0,
                    },
                    subject=kid,
                )
            rows.add(
                "t_balance_record",
                {
                    "id": _id(80_000 + n * 80 + rec * 2 + 1),
                    "child_id": child_id,
                    "account_type": kind,
                    "change_type": "EXPENSE",
                    "amount": -amount,
                    "after_balance": balance[kind],
                    "related_no": f"ZD{year}{m:02d}{n:04d}",
                    "fee_item": f"{m}月账单扣费",
                    "remark": None,
                    "create_time": bill_day,
                    "create_user": finance,
                    "update_time": bill_day,
                    "update_user": finance,
                    "deleted": 0,
                },
                subject=kid,
            )
        if sick_days and r.random() < 0.3:
            rows.add(
                "t_refund",
                {
                    "id": _id(85_000 + n * 12 + m),
                    "refund_no": f"TF{year}{m:02d}{n:04d}",
                    "child_id": child_id,
                    "account_type": "MEAL",
                    "fee_item": "伙食费",
                    "amount": refund_meal,
                    "reason": f"病假{sick_days}天（{r.choice(('发烧', '手足口病', '腹泻'))}）",
                    "status": "COMPLETED",
                    "create_time": bill_day,
                    "create_user": finance,
                    "update_time": bill_day,
                    "update_user": finance,
                    "deleted": 0,
                },
                subject=kid,
            )
    for k, (kind, value) in enumerate(balance.items()):
        rows.add(
            "t_balance_account",
            {
                "id": _id(90_000 + n * 2 + k),
                "child_id": child_id,
                "account_type": kind,
                "balance": round(value, 2),
                "create_time": now,
                "create_user": finance,
                "update_time": now,
                "update_user": finance,
                "deleted": 0,
            },
            subject=kid,
        )
        if value < 0:
            rows.add(
                "t_alert",
                {
                    "id": _id(95_000 + n * 2 + k),
                    "child_id": child_id,
                    "alert_type": "OVERDUE" if kind == "EDUCATION" else "MEAL_FEE_LOW",
                    "alert_content": f"{kid.name_zh}的{'保教费' if kind == 'EDUCATION' else '伙食费'}"
                    f"余额不足，当前欠费{-round(value, 2)}元",
                    "trigger_time": now - dt.timedelta(hours=9),
                    "handle_status": "PENDING",
                    "handle_time": None,
                    "handle_user": None,
                    "remark": None,
                    "create_time": now - dt.timedelta(hours=9),
                    "create_user": None,
                    "update_time": now - dt.timedelta(hours=9),
                    "update_user": None,
                    "deleted": 0,
                },
                subject=kid,
            )


def _attendance(
    synth: Synth, rows: Rows, n: int, child_id: int, kid: Person, teachers: list[tuple[int, Person, str]], status: int
) -> None:
    """The last three weeks of school days."""
    r = synth.rng
    if status != 1:
        return
    day = synth.as_of - dt.timedelta(days=21)
    k = 0
    while day <= synth.as_of:
        if day.weekday() < 5:
            state = 1 if r.random() > 0.12 else r.choice((2, 3, 3, 4))
            teacher = r.choice(teachers)[0]
            when = dt.datetime.combine(day, dt.time(9, r.randrange(60)))
            rows.add(
                "t_attendance",
                {
                    "id": _id(100_000 + n * 40 + k),
                    "child_id": child_id,
                    "attendance_date": day,
                    "status": state,
                    "register_user": teacher,
                    "modify_user": None,
                    "remark": r.choice(("发烧38.5℃", "咳嗽流涕", "家长带去打疫苗", None)) if state != 1 else None,
                    "create_time": when,
                    "create_user": teacher,
                    "update_time": when,
                    "update_user": teacher,
                    "deleted": 0,
                },
                subject=kid,
            )
            k += 1
        day += dt.timedelta(days=1)
