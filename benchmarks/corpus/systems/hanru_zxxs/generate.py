"""Rows for the HANRU 中小学生 / 中小学校 modules: a 九年一贯制 school and a primary school after one term.

The pupils are children (grades 1-6) and, in grades 7-9 of the first school, children and young teenagers;
their birth dates match their grade. Family members are parents (a few siblings); tutors and staff appear
only by name or work number. As in a real install most optional columns stay NULL and most tables empty
(the 导师制, 评选 and 资产 modules were never switched on). Mess: 15-digit and Excel-corrupted ID
numbers, full-width digits, trailing blanks, a test pupil, and MOE codes (XBM=1/2, MZM=01, GXM=51/52)
that point at national code tables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmarks.corpus.synth import Person, Rows, Synth

_GRADE_NAMES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级")
_COURSES = (("0101", "语文"), ("0201", "数学"), ("0301", "英语"))
_MZM = ("01", "01", "01", "01", "01", "01", "01", "01", "03", "05", "08", "11")
_SYMPTOMS = ("FR", "KS", "PZ", "FX", "OT", "HD", "JMCX")


def _school_year_start(as_of: dt.date) -> int:
    return as_of.year if as_of.month >= 9 else as_of.year - 1


def _pupil(synth: Synth, entry_year: int) -> Person:
    """A pupil who entered grade 1 in ``entry_year`` aged six: birth date, ID and 学籍号 consistent."""
    r = synth.rng
    dob = dt.date(entry_year - 6, 9, 1) - dt.timedelta(days=r.randrange(365))
    base = synth.person("child")
    age = synth.as_of.year - dob.year - ((synth.as_of.month, synth.as_of.day) < (dob.month, dob.day))
    rid = synth.ric_for(dob, base.sex, base.ric[:6])
    return dataclasses.replace(
        base, kind="child" if age <= 13 else "teen", dob=dob, ric=rid, ric15=rid[:6] + rid[8:17], student_no="G" + rid
    )


def _id_number(synth: Synth, p: Person) -> str | None:
    """SFZJH as schools really hold it."""
    x = synth.rng.random()
    if x < 0.08:
        return None
    if x < 0.13:
        return p.ric15
    if x < 0.18:
        return synth.excel_id(p.ric)
    if x < 0.21:
        return synth.fullwidth(p.ric)
    if x < 0.25:
        return synth.trailing(p.ric)[:20]
    return p.ric


def generate(synth: Synth) -> Rows:
    """Generate the rows (deterministic for a given ``synth``)."""
    r = synth.rng
    rows = Rows()
    start = _school_year_start(synth.as_of)
    ts = dt.datetime.combine(dt.date(start, 9, 1), dt.time(8))

    schools = ((1, "3301060001", "杭州市西湖区文澜实验学校", 9, 2), (2, "3301060002", "杭州市西湖区翠苑第二小学", 6, 1))
    staff = {1: _staff(synth, rows, 1, range(100, 140), start), 2: _staff(synth, rows, 2, range(150, 166), start)}
    classes: list[tuple[int, str, str, int]] = []  # (SCHOOLID, NJ, BH, head teacher ID)
    for sid, code, name, grades, _per_grade in schools:
        rows.add(
            "EDU_ZXXX_01_01_ZXXX",
            {
                "ID": sid,
                "XXDM": code,
                "XXMC": name,
                "XXYWMC": None,
                "XXDZ": "浙江省杭州市西湖区文三路" + str(100 + sid) + "号",
                "XXYZBM": "310012",
                "XZQHM": "330106",
                "JXNY": "199509",
                "XQR": "9月28日",
                "XXBXLXM": "241" if grades == 9 else "211",
                "XXZGBMM": "833",
                "FDDBRH": None,
                "FRZSH": f"1233010647{sid:04d}",
                "XZGH": staff[sid][0][1],
                "XZXM": staff[sid][0][2].name_zh,
                "DWFZRH": None,
                "ZZJGM": None,
                "LXDH": synth.landline(),
                "CZDH": synth.landline(),
                "DZXX": f"office{sid}@xh-edu.cn",
                "ZYDZ": f"http://www.school{sid}.xh-edu.cn",
                "LSYG": "",
                "XXBBM": "1",
                "SSZGDWM": "833",
                "SZDCXLXM": "111",
                "SZDJJSXM": "1",
                "SZDMZSX": "1",
                "XXXZ": 6,
                "XXRXNL": 6,
                "CZXZ": 3 if grades == 9 else 0,
                "CZRXNL": 12 if grades == 9 else 0,
                "GZXZ": 0,
                "ZJXYYM": "ZH",
                "FJXYYM": "EN",
                "ZSBJ": None,
            },
        )
        for k, lb in enumerate(("普通班", "实验班"), start=1):
            rows.add("EDU_ZXXX_03_A01_BJLB", {"ID": sid * 10 + k, "SCHOOLID": sid, "LBMC": lb})
        for k, jg in enumerate(("校长室", "教务处", "德育处", "总务处", "卫生室"), start=1):
            rows.add(
                "EDU_ZXXX_04_01_JG",
                {
                    "SCHOOLID": sid,
                    "JGH": f"{k:02d}",
                    "LSJGH": "01",
                    "JGMC": jg,
                    "JGJC": jg[:2],
                    "FZRGH": r.choice((None, staff[sid][k][1])),
                },
            )
        for k, meal in enumerate(("早餐", "午餐", "晚餐"), start=1):
            rows.add("EDU_ZXXX_10_A01_SCSZ", {"ID": k, "SCHOOLID": sid, "MC": meal, "JG": (4, 12, 10)[k - 1]})

    # Grades, classes and pupils.
    pupils: list[tuple[int, int, str, str, Person]] = []  # (ID, SCHOOLID, NJ, BH, person)
    next_id = 1
    for sid, _code, _name, grades, per_grade in schools:
        for g in range(1, grades + 1):
            entry = start - (g - 1)
            nj = str(entry)
            rows.add("EDU_ZXXX_02_01_NJ", {"SCHOOLID": sid, "NJ": nj, "NJMC": _GRADE_NAMES[g - 1], "ZT": 1, "PLSX": g})
            for c in range(1, per_grade + 1):
                bh = f"{nj}{c:02d}"
                monitor: str | None = None
                class_pupils = []
                for seat in range(1, r.randrange(10, 15)):
                    p = _pupil(synth, entry)
                    xh = f"{entry}{c:02d}{seat:02d}" if sid == 1 else f"{sid}{entry % 100:02d}{c:02d}{seat:02d}"
                    class_pupils.append((next_id, sid, nj, bh, p, xh))
                    next_id += 1
                if class_pupils and r.random() < 0.6:
                    monitor = class_pupils[0][5]
                head_tid, head_gh, _head = staff[sid][len(classes) % len(staff[sid])] if sid == 1 else staff[sid][g - 1]
                classes.append((sid, nj, bh, head_tid))
                rows.add(
                    "EDU_ZXXX_03_01_BJ",
                    {
                        "SCHOOLID": sid,
                        "BH": bh,
                        "NJ": nj,
                        "BJ": f"{_GRADE_NAMES[g - 1]}({c})班",
                        "JBNY": f"{entry}09",
                        "BZRGH": head_gh,
                        "BZXH": monitor,
                        "BJRYCH": None,
                        "XZ": 9 if sid == 1 else 6,
                        "BJLXM": "10",
                        "WLLX": None,
                        "BYRQ": None,
                        "SFSSMZSYJXB": "0",
                        "SYJXMSM": "0",
                        "BZRID": head_tid,
                        "ZT": 1,
                        "PLSX": c,
                        "BJLBID": sid * 10 + 1,
                        "FBZRID": 0,
                    },
                )
                for pid, psid, pnj, pbh, p, xh in class_pupils:
                    pupils.append((pid, psid, pnj, pbh, p))
                    _add_pupil(synth, rows, pid, psid, pnj, pbh, p, xh)
    # A test pupil left behind by the implementer.
    tester = synth.test_account()
    rows.add(
        "EDU_ZXXS_01_01_XSXX",
        {
            "ID": next_id,
            "SCHOOLID": 1,
            "XH": "test01",
            "XM": tester.name_zh,
            "XBM": "1",
            "CSRQ": "20100101",
            "CSDM": "110101",
            "GJDQM": "156",
            "ZZMMM": "13",
            "JKZKM": "1",
            "RXNY": f"{start}09",
            "NJ": str(start),
            "BH": f"{start}01",
            "XSLBM": "1",
            "SFLDRK": "0",
            "XSDQZTM": "01",
            "SFZJH": tester.ric,
            "LXDH": tester.mobile,
        },
        subject=tester,
        dated=True,
    )

    _families(synth, rows, pupils)
    _scores(synth, rows, pupils, start)
    _status_changes(synth, rows, pupils, start)
    _daily_reports(synth, rows, pupils, start)
    _health_checks(synth, rows, pupils, start)
    _tutors_and_configs(synth, rows, pupils, start, ts, staff[1])
    _staff_modules(synth, rows, staff, classes, start)
    _meals(synth, rows, pupils, start)
    return rows


def _add_pupil(synth: Synth, rows: Rows, pid: int, sid: int, nj: str, bh: str, p: Person, xh: str) -> None:
    r = synth.rng
    name = p.name_zh if r.random() > 0.05 else synth.trailing(p.name_zh)
    xjh: str | None = p.student_no if r.random() < 0.85 else None
    if xjh and r.random() < 0.05:
        xjh = "L" + p.ric[:14] + f"{r.randrange(10000):04d}"  # temporary number of a pupil without an ID
    parent = synth.person("parent")
    rows.add(
        "EDU_ZXXS_01_01_XSXX",
        {
            "ID": pid,
            "SCHOOLID": sid,
            "XH": xh,
            "XM": name,
            "YWXM": None,
            "XMPY": p.name_pinyin if r.random() < 0.1 else None,
            "CYM": synth.person("child").name_zh if r.random() < 0.02 else None,
            "XBM": "1" if p.sex == "M" else "2",
            "CSRQ": p.dob.strftime("%Y%m%d"),
            "CSDM": p.ric[:6],
            "JG": synth.maybe(r.choice(("浙江杭州", "浙江温州", "安徽阜阳", "江西上饶", "河南信阳", "四川南充")), 0.5),
            "MZM": r.choice(_MZM),
            "GJDQM": "156",
            "SFZJLXM": "1",
            "SFZJH": _id_number(synth, p),
            "HYZKM": None,
            "GATQWM": None,
            "ZZMMM": "13" if p.kind == "child" else r.choice(("13", "03")),
            "JKZKM": "1",
            "XYZJM": None,
            "XXM": synth.maybe(r.choice("1234"), 0.7),
            "ZP": synth.maybe(synth.photo_path("xszp"), 0.7),
            "SFZJYXQ": None,
            "DSZYBZ": synth.maybe(r.choice("01"), 0.5),
            "RXNY": f"{nj}09",
            "NJ": nj,
            "BH": bh,
            "XSLBM": "1",
            "XZZ": synth.maybe(p.address_zh, 0.3),
            "HKSZD": synth.maybe(p.address_zh[:10], 0.5),
            "HKXZM": synth.maybe(r.choice("12"), 0.6),
            "SFLDRK": "1" if r.random() < 0.15 else "0",
            "TC": synth.maybe(r.choice(("钢琴", "围棋", "书法", "游泳", "绘画")), 0.9),
            "LXDH": synth.maybe(parent.mobile if r.random() > 0.05 else synth.fullwidth(parent.mobile), 0.2),
            "TXDZ": None,
            "YZBM": synth.maybe("310012", 0.7),
            "DZXX": synth.maybe(parent.email, 0.9),
            "ZYDZ": None,
            "XJH": xjh,
            "XSDQZTM": "01",
            "JHRY": synth.maybe(parent.name_zh, 0.4),
            "JHRE": synth.maybe(synth.person("parent").name_zh, 0.8),
        },
        subject=p,
        dated=True,
    )


def _families(synth: Synth, rows: Rows, pupils: list[tuple[int, int, str, str, Person]]) -> None:
    r = synth.rng
    mid = 1
    for pid, sid, _nj, _bh, child in pupils:
        if r.random() < 0.35:
            for gxm in ("51", "52")[: r.randrange(1, 3)]:
                m = synth.person("parent")
                rows.add(
                    "EDU_ZXXS_01_06_XSJTCY",
                    {
                        "ID": mid,
                        "SCHOOLID": sid,
                        "XSXXID": pid,
                        "GXM": gxm,
                        "CYXM": m.name_zh,
                        "CSNY": synth.maybe(m.dob.strftime("%Y%m"), 0.3),
                        "MZM": synth.maybe("01", 0.5),
                        "GJDQM": "156",
                        "JKZKM": synth.maybe("1", 0.5),
                        "CYGZDW": synth.maybe(
                            r.choice(("杭州市第一人民医院", "阿里巴巴", "个体", "西湖区城管局", "无")), 0.4
                        ),
                        "CYM": synth.maybe(r.choice(("10", "20", "30", "80")), 0.6),
                        "ZYJSZWM": None,
                        "ZWJBM": None,
                        "DH": synth.maybe(synth.landline(), 0.8),
                        "DZXX": synth.maybe(m.email, 0.8),
                        "SFJHR": "1",
                        "XBM": "1" if gxm == "51" else "2",
                        "XLM": r.choice(("21", "31", "41", "61")),
                        "LXDZ": synth.maybe(child.address_zh, 0.6),
                        "SJHM": m.mobile,
                    },
                    subject=m,
                )
                mid += 1
            if r.random() < 0.05:
                sib = synth.person("child")
                rows.add(
                    "EDU_ZXXS_01_06_XSJTCY",
                    {
                        "ID": mid,
                        "SCHOOLID": sid,
                        "XSXXID": pid,
                        "GXM": r.choice(("71", "72", "81", "82")),
                        "CYXM": sib.name_zh,
                        "CSNY": sib.dob.strftime("%Y%m"),
                        "SFJHR": "0",
                        "XLM": "90",
                    },
                    subject=sib,
                )
                mid += 1
        if r.random() < 0.25:
            contact = synth.person("parent")
            rows.add(
                "EDU_ZXXS_02_A01_XSJTXX",
                {
                    "XSXXID": pid,
                    "SCHOOLID": sid,
                    "JTZZ": child.address_zh,
                    "JTYZBM": "310012",
                    "JTDH": synth.maybe(synth.landline(), 0.7),
                    "JTLXR": contact.name_zh,
                    "JTDZXX": synth.maybe(contact.email, 0.8),
                    "JTRK": r.randrange(3, 7),
                    "JTZYSRLY": synth.maybe(r.choice(("工资", "经商", "务农", "低保")), 0.7),
                    "JTYSRJE": synth.maybe(synth.money(1500, 30000), 0.8),
                    "JTNSRJE": synth.maybe(synth.money(20000, 400000), 0.9),
                    "LJZJHCZ": synth.maybe("杭州东站", 0.9),
                },
                subject=child,
            )


def _scores(synth: Synth, rows: Rows, pupils: list[tuple[int, int, str, str, Person]], start: int) -> None:
    r = synth.rng
    sc_id = 1
    for exam, ksrq in ((1, f"{start}1110"), (2, f"{start + 1}0115")):
        if dt.date(int(ksrq[:4]), int(ksrq[4:6]), int(ksrq[6:])) > synth.as_of:
            continue
        for pid, sid, nj, bh, _p in pupils:
            if sid != 1 or r.random() < 0.5:
                continue
            for kch, _kc in _COURSES[:2]:
                score = round(r.uniform(45, 100), 1)
                rows.add(
                    "EDU_ZXXS_02_06_ZXKSCJ",
                    {
                        "ID": sc_id,
                        "SCHOOLID": sid,
                        "XSXXID": pid,
                        "XN": f"{start}-{start + 1}",
                        "XQM": "1",
                        "KSRQ": ksrq,
                        "KCH": kch,
                        "RKJSID": r.randrange(100, 140),
                        "CJLRRID": r.randrange(100, 140),
                        "KSFSM": "1",
                        "KSXZM": "01",
                        "KSXSM": "1",
                        "FSLKSCJ": score,
                        "DJLKSCJ": None,
                        "KCCJ": score,
                        "KCDJCJM": None,
                        "RKJSGH": f"T01{r.randrange(100, 140):04d}",
                        "CJLRRH": None,
                        "CJLRRQ": ksrq,
                        "CJLRSJ": "160000",
                        "XQID": 1,
                        "XNID": 1,
                        "NJID": nj,
                        "BJID": bh,
                        "SSKSID": exam,
                        "SSKSKMID": exam * 10 + int(kch[1]),
                        "SJID": 0,
                    },
                )
                sc_id += 1


def _status_changes(synth: Synth, rows: Rows, pupils: list[tuple[int, int, str, str, Person]], start: int) -> None:
    r = synth.rng
    for i, (pid, sid, nj, bh, _p) in enumerate(r.sample(pupils, 6), start=1):
        new_bh = bh[:-2] + ("02" if bh.endswith("01") else "01")
        rows.add(
            "EDU_ZXXS_07_A02_XJYD",
            {
                "ID": i,
                "XSXXID": pid,
                "SCHOOLID": sid,
                "YDLBM": r.choice(("01", "02", "11")),
                "YDRQ": f"{start}{r.randrange(9, 13):02d}{r.randrange(1, 28):02d}",
                "YDYYM": r.choice(("01", "05", "09")),
                "SPRQ": None,
                "SPWH": None,
                "JBRID": r.randrange(100, 140),
                "JBRGH": None,
                "YDLYXXM": synth.maybe("3301050123", 0.6),
                "YDQXXXM": None,
                "YDSM": synth.maybe("随父母工作调动转入", 0.5),
                "YBH": bh,
                "YNJ": nj,
                "XBH": new_bh,
                "XNJ": nj,
            },
        )
    for i, (pid, sid, _nj, bh, _p) in enumerate(r.sample(pupils, 4), start=1):
        rows.add(
            "EDU_ZXXS_07_A03_XSHBJL",
            {
                "ID": i,
                "SCHOOLID": sid,
                "XSXXID": pid,
                "XQID": 1,
                "YBJID": bh,
                "XBJID": bh[:-2] + ("02" if bh.endswith("01") else "01"),
                "CZRY": "jwc01",
                "HBSJ": synth.datetime_between(dt.date(start, 9, 1), min(synth.as_of, dt.date(start, 12, 31))),
            },
        )


def _daily_reports(synth: Synth, rows: Rows, pupils: list[tuple[int, int, str, str, Person]], start: int) -> None:
    r = synth.rng
    for i, reason in enumerate(("病假", "事假", "因病缺课（传染病）", "其他"), start=1):
        rows.add("EDU_ZXXS_50_A01_QQYY", {"ID": i, "SCHOOLID": 1, "MC": reason})
    end = min(synth.as_of, dt.date(start + 1, 1, 20))
    for i in range(1, 9):
        rows.add(
            "EDU_ZXXS_50_A02_BJSBJL",
            {
                "ID": i,
                "SCHOOLID": 1,
                "BJID": r.choice(pupils)[3],
                "ZT": 1,
                "RQ": synth.datetime_between(dt.date(start, 9, 1), end),
                "QQRS": r.randrange(0, 4),
            },
        )
    for i, (pid, sid, _nj, bh, p) in enumerate(r.sample(pupils, 14), start=1):
        ill = r.random() < 0.7
        day = synth.datetime_between(dt.date(start, 9, 1), end)
        row = {
            "ID": i,
            "SCHOOLID": sid,
            "BJID": bh,
            "XSXXID": pid,
            "QQYYID": 1 if ill else 2,
            "QQSJ": day.strftime("%Y-%m-%d 上午"),
            "JTQK": synth.medical_note_zh() if ill else "家中有事",
            "TW": f"{r.uniform(36.5, 39.5):.1f}" if ill else "36.6",
            "SFJY": r.choice("01"),
            "SFTZJZ": "1",
            "JZLXFS": synth.person("parent").mobile,
            "RQ": day,
            "SBJSID": r.randrange(100, 140),
            "XQID": 1,
            "QT": "",
            "SFJZ": "是" if ill else "否",
            "JBMC": r.choice(("上呼吸道感染", "水痘", "手足口病", "")) if ill else "",
            "LG": "否",
            "HJ": "是" if ill else "否",
            "LXSJ": day.strftime("%H:%M"),
            "FXSJ": "",
            "QKTS": str(r.randrange(1, 6)),
            "BZ": "",
        }
        for s in _SYMPTOMS:
            row[s] = "是" if ill and r.random() < 0.3 else "否"
        rows.add("EDU_ZXXS_50_A03_XSSBJL", row, subject=p)


def _health_checks(synth: Synth, rows: Rows, pupils: list[tuple[int, int, str, str, Person]], start: int) -> None:
    r = synth.rng
    day = dt.datetime(start, 10, 15, 9)
    if day.date() > synth.as_of:
        return
    for i, (pid, sid, nj, bh, p) in enumerate((x for x in pupils if x[1] == 1 and r.random() < 0.3), start=1):
        age = synth.age(p)
        rows.add(
            "EDU_ZXXS_56_A41_JKJCJL",
            {
                "ID": i,
                "SCHOOLID": sid,
                "XQID": 1,
                "XSID": pid,
                "NJID": nj,
                "BJID": bh,
                "TJRQ": day,
                "ZLYSL": round(r.uniform(4.3, 5.2), 1),
                "ZJZSL": 5.0,
                "ZJZDS": r.choice((0, 0, 100, 250)),
                "YLYSL": round(r.uniform(4.3, 5.2), 1),
                "YJZSL": 5.0,
                "YJZDS": r.choice((0, 0, 75, 200)),
                "TLZ": "正常",
                "TLY": "正常",
                "FYJYYZK": r.choice(("良好", "中等", "营养不良", "超重")),
                "SG": round(110 + 6 * (age - 6) + r.uniform(-6, 6), 2),
                "TZ": round(19 + 3.2 * (age - 6) + r.uniform(-4, 8), 2),
                "FHL": round(r.uniform(900, 3000), 2),
                "XY": round(r.uniform(90, 120), 2),
                "MB": r.randrange(70, 110),
                "SY": "无",
                "SJ": "正常",
                "BB": "无",
                "KQ": r.choice(("正常", "龋齿1颗", "龋齿2颗")),
                "XZF": "正常",
                "GPCW": "正常",
                "JZSZ": "正常",
                "PZ": "无",
                "PF": "正常",
                "CLB": "无",
                "XT": "未查",
                "JWBS": synth.maybe(synth.medical_note_zh(), 0.85) or "",
                "XYQM": synth.person("staff").name_zh,
                "JZQM": "",
                "DJYHID": "xy01",
                "BZ": "",
            },
            subject=p,
        )


def _tutors_and_configs(
    synth: Synth,
    rows: Rows,
    pupils: list[tuple[int, int, str, str, Person]],
    start: int,
    ts: dt.datetime,
    staff: list[tuple[int, str, Person]],
) -> None:
    r = synth.rng
    teachers = [p for _tid, _gh, p in staff[1:5]]
    for i, t in enumerate(teachers, start=1):
        rows.add(
            "EDU_ZXXS_20_A01_DSSJ",
            {
                "ID": i,
                "SCHOOLID": 1,
                "XQID": 1,
                "JSID": 100 + i,
                "DSXM": t.name_zh,
                "DSJS": r.choice(("从教二十年，擅长心理辅导。", "数学教研组长。", "")),
                "BJIDLB": "",
                "BJMCLB": "",
                "ZDKXZRS": 10,
                "ZDXXZRS": 3,
            },
        )
    for i, (pid, _sid, _nj, _bh, _p) in enumerate(r.sample([x for x in pupils if x[1] == 1], 15), start=1):
        rows.add("EDU_ZXXS_20_A02_XSXZDSJL", {"ID": i, "SCHOOLID": 1, "DSID": r.randrange(1, 5), "XSID": pid})
    registrars = ",".join(t.name_zh for t in teachers[:2])
    for i, (mc, dx) in enumerate((("纪律", 1), ("卫生", 1), ("寝室内务", 2)), start=1):
        rows.add(
            "EDU_ZXXS_51_A01_KHDL",
            {
                "ID": i,
                "SCHOOLID": 1,
                "MC": mc,
                "KHDX": dx,
                "DJFS": 1,
                "KDJYHIDLB": f"{staff[1][0]},{staff[2][0]}",
                "KDJYHXMLB": registrars,
            },
        )
        rows.add(
            "EDU_ZXXS_51_A02_KHDLXM",
            {"ID": i, "SCHOOLID": 1, "SSDLID": i, "DLXMMC": mc + "扣分", "FZLX": 1, "XMZGF": 10},
        )
    for i, (mc, lx) in enumerate((("星级评定", 1), ("等第评定", 2)), start=1):
        rows.add("EDU_ZXXS_55_A03_CZDADFFS", {"ID": i, "SCHOOLID": 1, "DFFSMC": mc, "DFXMLX": lx, "ZT": 1})
    for i, xx in enumerate(("★", "★★", "★★★", "优秀"), start=1):
        rows.add(
            "EDU_ZXXS_55_A04_CZDADFXX",
            {"ID": i, "SCHOOLID": 1, "DFFSID": 1 if i < 4 else 2, "XXNR": xx, "TPLJ": f"images/czda/star{i}.png"},
        )
    for i, gn in enumerate(("我的名片", "我的成长足迹", "老师评语", "家长寄语"), start=1):
        rows.add(
            "EDU_ZXXS_55_A01_CZDAGN",
            {
                "ID": i,
                "SCHOOLID": 1,
                "GNMC": gn,
                "XSCKWZ": f"/czda/view{i}.aspx",
                "XSBJWZ": f"/czda/edit{i}.aspx",
                "JSCKWZ": f"/czda/tview{i}.aspx",
                "BZRBJWZ": f"/czda/bedit{i}.aspx",
                "SFXYDF": 0,
                "DFFSID": 1,
                "PLSX": i,
                "ZT": 1,
            },
        )
    for i, mc in enumerate(("作业完成", "课堂表现", "文明礼仪"), start=1):
        rows.add("EDU_ZXXS_56_A12_JXLXPJXM", {"ID": i, "SCHOOLID": 1, "PJXMMC": mc, "PLSX": i})
    for i, (pid, sid, _nj, _bh, p) in enumerate(r.sample(pupils, 10), start=1):
        rows.add(
            "EDU_ZXXS_56_A11_JXLXMRJL",
            {
                "ID": i,
                "SCHOOLID": sid,
                "XSID": pid,
                "DJSJ": ts + dt.timedelta(days=r.randrange(90)),
                "BZRTXJL": synth.teacher_comment_zh(),
                "JTTXJL": synth.parent_message_zh(p) if r.random() < 0.6 else "",
                "BZRGXZT": 1,
                "JTGXZT": r.choice((0, 1)),
            },
        )
    for i, gn in enumerate(("导师名片", "学生档案", "活动记录", "学期小结", "自我规划"), start=1):
        rows.add("EDU_ZXXS_57_A01_DSZGN", {"ID": i, "SCHOOLID": 1, "GNMC": gn, "LJ": f"/dsz/m{i}.aspx", "PLSX": i})
    for i, dd in enumerate(("优秀", "良好", "合格", "待合格"), start=1):
        rows.add("EDU_ZXXS_57_A18_DSZXSDD", {"ID": i, "SCHOOLID": 1, "DDMC": dd, "PLSX": i})


def _meals(synth: Synth, rows: Rows, pupils: list[tuple[int, int, str, str, Person]], start: int) -> None:
    r = synth.rng
    day = dt.datetime(start, 11, 3)
    if day.date() > synth.as_of:
        return
    for i, (pid, sid, _nj, _bh, _p) in enumerate((x for x in pupils if r.random() < 0.15), start=1):
        rows.add(
            "EDU_ZXXX_10_A02_YCDJ",
            {"ID": i, "SCHOOLID": sid, "XSID": pid, "SCID": 2, "RQ": day, "SFJC": r.choice("10")},
        )


_TITLES = ("三级教师", "二级教师", "一级教师", "高级教师")
_SUBJECTS_T = ("语文", "数学", "英语", "科学", "体育", "音乐", "美术", "道德与法治")
_DEGREES = (("21", "大学本科", "学士"), ("14", "硕士研究生", "硕士"), ("31", "大学专科", None))


def _staff(synth: Synth, rows: Rows, sid: int, ids: range, start: int) -> list[tuple[int, str, Person]]:
    """The school's staff (教职工基本数据), most optional columns empty: [(ID, 工号, person)]."""
    r = synth.rng
    out = []
    if sid == 1:
        for k, name in enumerate(("专任教师", "行政人员", "工勤人员"), start=1):
            rows.add("EDU_ZXJZ_01_A07_JZGLX", {"ID": k, "SCHOOLID": sid, "LXMC": name})
    else:
        rows.add("EDU_ZXJZ_01_A07_JZGLX", {"ID": 1, "SCHOOLID": sid, "LXMC": "专任教师"})
    for n, tid in enumerate(ids):
        p = synth.person("staff")
        gh = f"T{sid:02d}{tid:04d}"
        out.append((tid, gh, p))
        party = r.random() < 0.3
        degree, degree_name, title = r.choice(_DEGREES)
        x = r.random()
        sfzjh = p.ric if x > 0.1 else (p.ric15 if x < 0.04 else synth.trailing(p.ric)[:20])
        rows.add(
            "EDU_ZXJZ_01_01_JZGJBSJ",
            {
                "ID": tid,
                "SCHOOLID": sid,
                "GH": gh,
                "XM": p.name_zh,
                "YWXM": None,
                "XMPY": p.name_pinyin if r.random() < 0.2 else None,
                "CYM": None,
                "XBM": "1" if p.sex == "M" else "2",
                "CSRQ": p.dob.strftime("%Y%m%d"),
                "CSDM": p.ric[:6],
                "JG": synth.maybe("浙江杭州", 0.5),
                "MZM": "01",
                "GJDQM": "156",
                "SFZJLXM": "1",
                "SFZJH": sfzjh,
                "HYZKM": synth.maybe(r.choice(("10", "20", "20", "20")), 0.4),
                "GATQWM": None,
                "ZZMMM": "01" if party else r.choice(("13", "13", "03")),
                "JKZKM": synth.maybe("1", 0.5),
                "XYZJM": None,
                "XXM": None,
                "ZP": synth.maybe(synth.photo_path("jzgzp"), 0.6),
                "SFZJYXQ": None,
                "JGH": "02" if n else "01",
                "JTZZ": synth.maybe(p.address_zh, 0.6),
                "XZZ": None,
                "HKSZD": None,
                "HKXZM": None,
                "XLM": degree,
                "GZNY": f"{p.dob.year + 22}08",
                "LXNY": synth.maybe(f"{p.dob.year + 25}08", 0.3),
                "CJNY": f"{p.dob.year + 22}09",
                "BZLBM": "1",
                "DABH": f"DA{tid:05d}",
                "DAWB": None,
                "TXDZ": None,
                "LXDH": p.mobile if r.random() > 0.05 else synth.fullwidth(p.mobile),
                "YZBM": None,
                "DZXX": synth.maybe(p.email, 0.5),
                "ZYDZ": None,
                "TC": None,
                "GWZYM": "11" if n else "01",
                "ZYRKXD": "2" if sid == 1 else "1",
                "JZGLXID": 1 if n < len(ids) - 2 or sid == 2 else 2,
                "XQ": None,
                "ZGZC": synth.maybe(r.choice(_TITLES), 0.3),
                "PDSJ": None,
                "XPZC": None,
                "PDESJ": None,
                "RBXQDW": None,
                "ZZZT": "在职",
                "SZBM": "教务处" if n else "校长室",
                "XZZW": None if n else "校长",
                "DH": synth.maybe(f"6{r.randrange(1000, 9999)}", 0.7),
                "PTHDJ": synth.maybe("二级甲等", 0.6),
                "JSZH": synth.maybe(f"{p.dob.year + 23}33010{r.randrange(10**9, 10**10)}", 0.4),
                "JSJDJ": None,
                "GGJSDJ": None,
                "RJXK": r.choice(_SUBJECTS_T) if n else None,
                "SFRSDL": "否",
                "NDKH": None,
                "XXJL": None,
                "GZJL": None,
                "JYQK": None,
                "GZYLJCQK": None,
                "JTZYCY": f"配偶：{synth.person('parent').name_zh}" if r.random() < 0.1 else None,
                "BZ": None,
                "DYXLCD": degree_name,
                "DYXLFS": synth.maybe("全日制", 0.4),
                "DYXLXZ": None,
                "DYXLXW": title,
                "DYXLBYSJ": f"{p.dob.year + 22}06",
                "DYXLBYXX": synth.maybe(r.choice(("杭州师范大学", "浙江师范大学")), 0.3),
                "DYXLZY": None,
                "ZGXLCD": None,
                "ZGXLFS": None,
                "ZGXLXZ": None,
                "ZGXLXW": None,
                "ZGXLBYSJ": None,
                "ZGXLBYXX": None,
                "ZGXLZY": None,
            },
            subject=p,
            dated=True,
        )
    return out


def _staff_modules(
    synth: Synth,
    rows: Rows,
    staff: dict[int, list[tuple[int, str, Person]]],
    classes: list[tuple[int, str, str, int]],
    start: int,
) -> None:
    """The 教职工 module of the first school: posts, teaching, pay, party, head-teacher records, 评教."""
    r = synth.rng
    t1 = staff[1]
    rows.add(
        "EDU_ZXJZ_01_A03_GRXXBJKG",
        {
            "SCHOOLID": 1,
            "SCSJ": dt.datetime(start, 9, 1),
            "HDSJ": dt.datetime(start, 9, 30),
            "SFKQ": "1",
            "SFXYSH": "1",
        },
    )
    tid, gh, p = t1[3]
    rows.add(
        "EDU_ZXJZ_01_A04_JZGJBSJSH",
        {
            "ID": tid,
            "SCHOOLID": 1,
            "GH": gh,
            "XM": p.name_zh,
            "XBM": "1" if p.sex == "M" else "2",
            "CSRQ": p.dob.strftime("%Y%m%d"),
            "CSDM": p.ric[:6],
            "GJDQM": "156",
            "SFZJLXM": "1",
            "SFZJH": p.ric,
            "ZZMMM": "13",
            "JGH": "02",
            "XLM": "21",
            "BZLBM": "1",
            "DABH": f"DA{tid:05d}",
            "GWZYM": "11",
            "ZYRKXD": "2",
            "JZGLXID": 1,
            "LXDH": synth.mobile(),
        },
        subject=p,
        dated=True,
    )
    for tid, _gh, p in r.sample(t1, 10):
        rows.add(
            "EDU_ZXJZ_01_A01_JZGKZ",
            {
                "JZGID": tid,
                "SCHOOLID": 1,
                "GL": r.randrange(1, 30),
                "JL": r.randrange(1, 30),
                "GJRZNX": 0,
                "ZJRZNX": r.randrange(0, 10),
                "CJRZNX": r.randrange(0, 6),
                "RZNX": r.randrange(0, 10),
                "SSDZB": r.choice(("", "第一党支部")),
                "BYYX": r.choice(("杭州师范大学", "浙江师范大学", "湖州师范学院")),
                "XXJL": "",
                "GZJL": "",
                "HJQK": r.choice(("", "区优秀教师")),
                "ZC": r.choice(_TITLES),
                "GJRZQDSJ": "",
                "ZJRZQDSJ": "",
                "CJRZQDSJ": "",
            },
            subject=p,
        )
    for tid, _gh, p in r.sample(t1, 6):
        rows.add(
            "EDU_ZXJZ_01_A02_JZGNLZS",
            {
                "SCHOOLID": 1,
                "JZGJBSJID": tid,
                "ZSMC": "教师资格证",
                "ZSBH": f"{r.randrange(10**16, 10**17)}",
                "ZSBFDW": "浙江省教育厅",
                "ZSBFRQ": f"{p.dob.year + 23}0701",
                "ZSBZ": None,
                "SFSZYZGZS": "1",
                "JJ": None,
            },
            subject=p,
        )
    for k, (tid, _gh, p) in enumerate(t1[:6], start=1):
        rows.add(
            "EDU_ZXJZ_02_A01_XNGWSJ",
            {
                "ID": k,
                "SCHOOLID": 1,
                "JGH": "02" if k > 1 else "01",
                "JZGJBSJID": tid,
                "ZWMC": "校长" if k == 1 else r.choice(("教研组长", "年级组长", "备课组长")),
            },
            subject=p,
        )
    rk = 1
    for sid, nj, bh, head in classes:
        if sid != 1:
            continue
        rows.add(
            "EDU_ZXJZ_18_A03_JSDRBZRJL", {"ID": rk, "SCHOOLID": 1, "JZGJBSJID": head, "DRBJ": bh, "DRSJ": 1, "BZ": None}
        )
        for subject_teacher in r.sample(t1, 2):
            rows.add(
                "EDU_ZXJZ_07_02_RKSJ",
                {
                    "ID": rk,
                    "SCHOOLID": 1,
                    "JZGJBSJID": subject_teacher[0],
                    "RKKCH": "0101",
                    "RKQSNY": f"{start}09",
                    "RKZZNY": f"{start + 1}01",
                    "RKZXS": 80,
                    "RKXDM": "2",
                    "RKJSM": "1",
                    "SKBJ": bh,
                    "SKRS": 40,
                    "ZKS": 5,
                    "SFLT": "0",
                    "NJID": nj,
                    "XQID": 1,
                    "XNID": 1,
                },
            )
            rk += 1
    rows.add("EDU_ZXJZ_12_A01_XCLX", {"ID": 1, "SCHOOLID": 1, "XCLXMC": "基本工资", "JZGLXID": 1, "PLSX": 1})
    rows.add("EDU_ZXJZ_12_A01_XCLX", {"ID": 2, "SCHOOLID": 1, "XCLXMC": "绩效工资", "JZGLXID": 1, "PLSX": 2})
    xc = 1
    for month in (9, 10, 11):
        pay_day = dt.datetime(start, month, 15)
        if pay_day.date() > synth.as_of:
            break
        rows.add("EDU_ZXJZ_12_A03_XCMYFFPC", {"ID": month, "SCHOOLID": 1, "PCMC": f"{start}年{month}月工资"})
        for tid, _gh, p in t1:
            for kind, lo, hi in ((1, 4000, 7000), (2, 1000, 4000)):
                rows.add(
                    "EDU_ZXJZ_12_A02_XC",
                    {
                        "ID": xc,
                        "SCHOOLID": 1,
                        "JZGJBSJID": tid,
                        "KSSJ": dt.datetime(start, month, 1),
                        "JSSJ": dt.datetime(start, month, 28),
                        "XCLXID": kind,
                        "JE": synth.money(lo, hi),
                        "FFSJ": pay_day,
                        "FFPCID": month,
                    },
                    subject=p,
                )
                xc += 1
    rows.add(
        "EDU_ZXJZ_17_A03_DZBSJ", {"ID": 1, "SCHOOLID": 1, "DZBMC": "第一党支部", "SS": "西湖区教育局党委", "BZ": ""}
    )
    for k, zw in enumerate(("支部书记", "组织委员"), start=1):
        rows.add("EDU_ZXJZ_17_A04_DZBZWSJ", {"ID": k, "SCHOOLID": 1, "DZBID": 1, "ZWMC": zw, "GZNR": "", "BZ": ""})
    for k, (tid, _gh, p) in enumerate(r.sample(t1, 8), start=1):
        rows.add(
            "EDU_ZXJZ_17_A01_DYXX",
            {
                "ID": k,
                "SCHOOLID": 1,
                "JZGJBSJID": tid,
                "RDSJ": dt.datetime(p.dob.year + 21, 7, 1),
                "RDDD": "杭州师范大学",
                "RDJSR": synth.person("adult").name_zh,
                "DQZT": 1,
                "TJJSID": t1[0][0],
                "TJSJ": dt.datetime(start, 9, 2),
                "BZ": "",
            },
            subject=p,
        )
        rows.add(
            "EDU_ZXJZ_17_A05_DZBCYXX",
            {
                "ID": k,
                "SCHOOLID": 1,
                "DYXXID": k,
                "JZGJBSJID": tid,
                "DZBID": 1,
                "DZBZWID": 1 if k == 1 else 2,
                "TJJSID": t1[0][0],
                "TJSJ": dt.datetime(start, 9, 2),
            },
            subject=p,
        )
        rows.add(
            "EDU_ZXJZ_17_A02_DFSJJL",
            {
                "ID": k,
                "SCHOOLID": 1,
                "XQID": 1,
                "DYXXID": k,
                "JZGJBSJID": tid,
                "SJJE": synth.money(20, 80),
                "TJJSID": t1[0][0],
                "TJSJ": dt.datetime(start, 10, 8),
            },
            subject=p,
        )
    for k, (tid, _gh, p) in enumerate(r.sample(t1, 3), start=1):
        rows.add(
            "EDU_ZXJZ_19_A01_JJFFJL",
            {
                "ID": k,
                "SCHOOLID": 1,
                "JZGJBSJID": tid,
                "JJMC": "教师节慰问金",
                "JE": 500,
                "FFSJ": dt.datetime(start, 9, 10),
                "SFTZG": "1",
                "BZ": "",
            },
            subject=p,
        )
    # 学生评教: one evaluation round in two junior-high classes, anonymous by class code, with the pupils' IPs.
    rows.add("EDU_ZXJZ_20_A01_XSPJDFFS", {"ID": 1, "SCHOOLID": 1, "DFFSMC": "五级评分", "ZT": 1})
    for k, item in enumerate(("备课充分", "讲解清楚", "作业批改及时"), start=1):
        rows.add("EDU_ZXJZ_20_A02_XSPJDFXM", {"ID": k, "SCHOOLID": 1, "DFFSID": 1, "DFXMMC": item, "FZ": 5})
        rows.add("EDU_ZXJZ_20_A03_XSPJTM", {"ID": k, "SCHOOLID": 1, "DFFSID": 1, "PJXM": item, "PJZB": item, "ZT": 1})
    when = dt.datetime(start, 12, 20, 14)
    if when.date() > synth.as_of:
        return
    rows.add(
        "EDU_ZXJZ_20_A04_XSPJKP",
        {
            "ID": 1,
            "SCHOOLID": 1,
            "KPMC": f"{start}学年第一学期评教",
            "KSSJ": when,
            "JSSJ": when + dt.timedelta(days=3),
            "SFXYWBPJ": 1,
            "ZT": 1,
        },
    )
    for k in range(1, 4):
        rows.add("EDU_ZXJZ_20_A05_XSPJKPTM", {"ID": k, "SCHOOLID": 1, "KPID": 1, "TMID": k})
    res = sub = text = 1
    for k, (_sid, _nj, bh, _head) in enumerate([c for c in classes if c[0] == 1][-2:], start=1):
        evaluated = r.sample(t1, 2)
        rows.add(
            "EDU_ZXJZ_20_A06_XSPJKPBJ",
            {
                "ID": k,
                "SCHOOLID": 1,
                "KPID": 1,
                "BJMC": bh,
                "BPJGIDLB": ",".join(str(t[0]) for t in evaluated),
                "BPJGXMLB": ",".join(t[2].name_zh for t in evaluated),
                "DYKCMCLB": "语文,数学",
                "YPRS": 40,
                "SBM": f"{r.randrange(10**8, 10**9)}",
                "KQSJ": when,
                "ZDGBSJ": 72,
                "ZT": 1,
            },
        )
        for _ in range(6):
            ip = synth.ip4() if r.random() < 0.5 else "10.10.3." + str(r.randrange(2, 250))
            rows.add(
                "EDU_ZXJZ_20_A08_XSPJTJJL",
                {
                    "ID": sub,
                    "KPBJID": k,
                    "SBM": f"{r.randrange(10**8, 10**9)}",
                    "IP": ip,
                    "TJSJ": when + dt.timedelta(minutes=r.randrange(600)),
                },
            )
            sub += 1
            for tid, _gh, _p in evaluated:
                for item in range(1, 4):
                    rows.add(
                        "EDU_ZXJZ_20_A07_XSPJKPJG",
                        {
                            "ID": res,
                            "SCHOOLID": 1,
                            "KPTMID": item,
                            "KPBJID": k,
                            "JZGJBSJID": tid,
                            "IP": ip,
                            "FZ": r.randrange(3, 6),
                        },
                    )
                    res += 1
                if r.random() < 0.3:
                    rows.add(
                        "EDU_ZXJZ_20_A09_XSPJPJ",
                        {
                            "ID": text,
                            "SCHOOLID": 1,
                            "KPBJID": k,
                            "JZGJBSJID": tid,
                            "IP": ip,
                            "PJNR": r.choice(("老师讲课很有趣", "希望作业少一点", "谢谢老师")),
                        },
                    )
                    text += 1
