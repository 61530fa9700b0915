"""Accuracy on real school, kindergarten and ed-tech schemas (not our own synthetic corpus).

``python -m benchmarks.reduced_schemas [--full] [--json PATH]``

Each schema of ``tests/fixtures/schemas/*.sql`` (Gibbon, RosarioSIS, Fedena, an MOE-standard 学籍 system,
a kindergarten system with Chinese headers, an ed-tech/game account back end) is loaded into SQLite (and
into PostgreSQL when it answers) twice: empty, as after a fresh install, and filled with deterministic
realistic rows (children, teenagers, parents and staff mixed where the real system mixes them; many PI
columns NULL). Every table is sampled and classified by pi-scanner's own connector and classifier, and
scored against ``tests/fixtures/schemas/labels.json``:

* column level: precision, recall and F1 of the entity found, counting every finding (confirmed and
  suspected), confirmed findings only, and how many of the suspected findings were right;
* table level: the share of tables whose ``child_status`` equals the labelled one, and the share whose
  "holds children's records" (child or likely_child) is right.

Phone entities count as one (a column labelled mobile that is found as landline is right): the hint
table cannot tell them apart by name and the values decide.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.corpus import luhn_complete, ric
from pi_scanner.config import ClassifierConfig, SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap.context import CONTEXT_KEY, annotate_context
from pi_scanner.models import AssetResult, ChildStatus

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "schemas"
PG_ADMIN_URL = os.environ.get("PI_SCANNER_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PHONES = frozenset({"CN_MOBILE", "CN_LANDLINE"})
CHILDISH = frozenset({ChildStatus.CHILD.value, ChildStatus.LIKELY_CHILD.value})

_REGIONS = ("110105", "110108", "310115", "440305", "330106", "510107", "420106", "320102")
_MOBILE = ("130", "135", "138", "139", "150", "158", "177", "186", "188", "199")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_SURNAMES_PY = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang",
    "Xu", "Han", "Feng", "Deng", "Cao",
)
_GIVEN = ("子轩", "一诺", "欣怡", "梓涵", "宇轩", "奕辰", "雨桐", "思远", "佳怡", "俊杰", "浩然", "诗涵", "建华",
          "国强", "丽娟", "海燕", "志明", "晓东")
_GIVEN_PY = ("Zixuan", "Yinuo", "Xinyi", "Zihan", "Yuxuan", "Yichen", "Yutong", "Siyuan", "Jiayi", "Junjie",
             "Haoran", "Shihan", "Jianhua", "Guoqiang", "Lijuan", "Haiyan", "Zhiming", "Xiaodong")
_EN_FIRST = ("Emily", "Oliver", "Sophia", "Lucas", "Mia", "Ethan", "Chloe", "Daniel", "Grace", "Henry", "Amelia",
             "Noah", "Isla", "Leo")
_EN_LAST = ("Chen", "Wang", "Smith", "Brown", "Wong", "Lee", "Taylor", "Liu", "Kim", "Nguyen", "Müller", "Garcia")
_HANDLES = ("DragonSlayer99", "小猪佩奇", "xx_shadow_xx", "momo酱", "Creeper2015", "星空下的猫")
_CITIES = (("北京市", "朝阳区"), ("上海市", "浦东新区"), ("广东省深圳市", "南山区"), ("浙江省杭州市", "西湖区"),
           ("四川省成都市", "武侯区"))
_ROADS = ("建国路", "人民路", "解放大街", "中山路", "学院路", "科技园路")
_EN_ROADS = ("Xinyuan South Road", "Jinqiao Road", "Liangmaqiao Road", "Century Avenue", "Shunyi Avenue")
_SCHOOLS = ("北京市朝阳区实验小学", "上海市浦东新区第二中学", "Beijing City International School", "深圳南山外国语学校")
_ORG = ("Western Academy of Beijing", "admissions@wab.edu", "400-810-8888", "10 Lai Guang Ying Dong Lu, Chaoyang",
        "https://www.wab.edu", "CNY")
_ORG_PHONE = "400-810-8888"
_ORG_EMAIL = "office@sunshine-kg.cn"
_ORG_ADDRESS = "北京市朝阳区望京街道阜通东大街6号"
_REL_EN = ("Father", "Mother", "Grandmother", "Grandfather")
_REL_ZH = ("父亲", "母亲", "外婆", "爷爷")
_AGES = {"child": (3, 13), "teen": (14, 17), "parent": (30, 50), "staff": (23, 60)}


def load_labels() -> dict[str, Any]:
    """The ground truth (``tests/fixtures/schemas/labels.json``)."""
    data: dict[str, Any] = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
    return data


class _Person:
    """One generated person: consistent name, birth date, ID and contacts across a row."""

    def __init__(self, r: random.Random, kind: str, as_of: dt.date, locale: str) -> None:
        lo, hi = _AGES[kind]
        latest = as_of - dt.timedelta(days=365 * lo + 1)
        earliest = as_of - dt.timedelta(days=365 * (hi + 1) - 2)
        self.kind = kind
        self.dob = earliest + dt.timedelta(days=r.randrange((latest - earliest).days))
        self.rid = ric(r.choice(_REGIONS), self.dob, r.randrange(1000))
        s, g = r.randrange(len(_SURNAMES)), r.randrange(len(_GIVEN))
        self.zh = _SURNAMES[s] + _GIVEN[g]
        self.pinyin = f"{_SURNAMES_PY[s]} {_GIVEN_PY[g]}"
        if locale == "zh" or r.random() < 0.5:
            self.first, self.last = _GIVEN_PY[g], _SURNAMES_PY[s]
        else:
            self.first, self.last = r.choice(_EN_FIRST), r.choice(_EN_LAST)
        self.locale = locale
        self.mobile = r.choice(_MOBILE) + f"{r.randrange(10**8):08d}"
        user = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randrange(4, 9)))
        self.email = f"{user}{r.randrange(100)}@{r.choice(('qq.com', '163.com', 'gmail.com', 'outlook.com'))}"
        self.guardian: _Person | None = None

    @property
    def full(self) -> str:
        return self.zh if self.locale == "zh" else f"{self.first} {self.last}"


def _address(r: random.Random, locale: str) -> str:
    if locale == "en" and r.random() < 0.5:
        return (f"Apt {r.randrange(1, 30)}0{r.randrange(1, 5)}, Building {r.randrange(1, 20)}, "
                f"{r.randrange(1, 200)} {r.choice(_EN_ROADS)}, Chaoyang District, Beijing")
    prov, dist = r.choice(_CITIES)
    return (f"{prov}{dist}{r.choice(_ROADS)}{r.randrange(1, 300)}号"
            f"{r.randrange(1, 30)}栋{r.randrange(1, 6)}单元{r.randrange(1, 30)}0{r.randrange(1, 5)}室")


def _landline(r: random.Random) -> str:
    return f"{r.choice(('010', '021', '0755'))}-{r.randrange(2, 9)}{r.randrange(10**7):07d}"


def _mobile_text(r: random.Random, p: _Person) -> str:
    form = r.randrange(4)
    m = p.mobile
    if form == 1:
        return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
    if form == 2:
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    return m


def _name_value(column: str, p: _Person, r: random.Random) -> str:
    low = column.lower()
    if "characters" in low or (p.locale == "zh" and not low.startswith(("first", "last", "middle"))):
        return p.zh
    if "nick" in low:
        return r.choice(_HANDLES) if r.random() < 0.5 else p.zh
    if "first" in low or "preferred" in low or "middle" in low or "given" in low:
        return p.first
    if "last" in low or "surname" in low:
        return p.last
    if "py" in low or "pinyin" in low or low.startswith("yw"):
        return p.pinyin
    if "address" in low:  # gibbonFamily.nameAddress
        return f"Mr. & Mrs. {p.last}"
    return p.full


#: Entity types this generator makes values for; columns labelled with the attribute types added for the
#: §A9 categories (gender, occupation...) keep their ``fill.values`` or type-based values.
_VALUE_ENTITIES = frozenset({
    "CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT", "CN_PR_CARD", "CN_STUDENT_NUMBER", "CN_MOBILE", "CN_LANDLINE",
    "CN_PASSPORT", "CN_TRAVEL_PERMIT", "HK_ID", "TW_ID", "MO_ID", "CN_BANK_CARD", "EMAIL_ADDRESS",
    "CN_BIRTH_CERTIFICATE", "DATE_OF_BIRTH", "AGE_TEXT", "GRADE_CLASS", "SCHOOL_NAME", "GUARDIAN_RELATION",
    "PERSON_NAME", "CN_ADDRESS",
})


def _entity_value(entity: str, column: str, p: _Person, r: random.Random, i: int, type_: str) -> object:
    if entity == "PERSON_NAME":
        return _name_value(column, p, r)
    if entity == "DATE_OF_BIRTH":
        return p.dob if "date" in type_ else p.dob.isoformat()
    if entity == "CN_RESIDENT_ID":
        return p.rid
    if entity == "CN_STUDENT_NUMBER":
        width = re.search(r"\((\d+)\)", type_)
        if width and int(width.group(1)) < 19:
            return f"{2015 + i % 8}{r.randrange(1, 9999):04d}"  # a school-local number: no national format
        return "G" + p.rid
    if entity == "CN_MOBILE":
        return _mobile_text(r, p)
    if entity == "CN_LANDLINE":
        return _landline(r)
    if entity == "CN_ADDRESS":
        if "street" in column.lower():
            return f"{r.randrange(1, 200)} {r.choice(_EN_ROADS)}" if p.locale == "en" else (
                f"{r.choice(_ROADS)}{r.randrange(1, 300)}号")
        return _address(r, p.locale)
    if entity == "EMAIL_ADDRESS":
        return p.email
    if entity == "CN_PASSPORT":
        return f"E{r.randrange(10**8):08d}"
    if entity == "GUARDIAN_RELATION":
        return r.choice(_REL_ZH if p.locale == "zh" else _REL_EN)
    if entity == "GRADE_CLASS":
        return f"{'一二三四五六'[r.randrange(6)]}年级{r.randrange(1, 8)}班"
    if entity == "SCHOOL_NAME":
        return r.choice(_SCHOOLS)
    return f"{entity}-{i}"


def _generated(kind: str, p: _Person, row: dict[str, object], r: random.Random, i: int) -> object:
    """Values of columns with no entity (and a few PI formats) named by ``fill.values`` in labels.json."""
    name, _, arg = kind.partition(":")
    simple: dict[str, object] = {
        "username": f"{p.last.lower()}{r.randrange(1000)}",
        "sha256": "".join(r.choice("0123456789abcdef") for _ in range(64)),
        "salt": "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(22)),
        "crypt": "$6$" + "".join(r.choice("abcdefghijklmnopqrstuvwxyzABCDEF0123456789./") for _ in range(86)),
        "hex": "".join(r.choice("0123456789abcdef") for _ in range(32)),
        "hex16": "".join(r.choice("0123456789abcdef") for _ in range(16)),
        "uuid": str(uuid.UUID(int=r.getrandbits(128))),
        "ip": f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}",
        "ts": dt.datetime(2025, 9, 1, 8) + dt.timedelta(minutes=r.randrange(200_000)),
        "date": dt.date(2024, 9, 1) + dt.timedelta(days=r.randrange(500)),
        "int": r.randrange(1, 5000),
        "seq": f"{i + 1:02d}",
        "local_xh": f"2023{r.randrange(1, 9999):04d}",
        "xjh": "G" + p.rid,
        "pinyin": p.pinyin,
        "dob_compact": f"{p.dob:%Y%m%d}",
        "relation": r.choice(_REL_ZH if p.locale == "zh" else _REL_EN),
        "relation_code": r.choice(("1", "2", "3")),
        "nickname": r.choice(_HANDLES) if r.random() < 0.5 else p.zh,
        "family": f"{p.last} Family",
        "grade_name": f"{'一二三四五六'[i % 6]}年级",
        "class_name": f"{'一二三四五六'[i % 6]}年级({i // 6 + 1})班",
        "kclass": f"{'小中大'[i % 3]}{i // 3 + 1}班",
        "kschool": "阳光幼儿园",
        "school": _SCHOOLS[i % len(_SCHOOLS)],
        "org": _ORG[i % len(_ORG)],
        "org_phone": _ORG_PHONE,
        "org_email": _ORG_EMAIL,
        "org_address": _ORG_ADDRESS,
        "is_minor": 1 if p.kind in ("child", "teen") else 0,
        "is_child": 1 if p.kind == "child" else 0,
        "parent_id": r.randrange(1, 500) if p.kind in ("child", "teen") else None,
        "imei": luhn_complete("86" + "".join(str(r.randrange(10)) for _ in range(12))),
        "order_no": f"{dt.date(2026, 1, 1) + dt.timedelta(days=r.randrange(70)):%Y%m%d}{r.randrange(10**10):010d}",
        "trade_no": f"42000{r.randrange(10**5):05d}2026{r.randrange(10**14):014d}",
    }
    if name in simple:
        return simple[name]
    if name == "enum":
        options = arg.split(",")
        return options[i % len(options)]
    if name == "const":
        return arg
    if name == "role":
        codes = arg.split(",")
        return {"child": codes[0], "teen": codes[0], "parent": codes[1], "staff": codes[2]}.get(p.kind, codes[3])
    if name == "age_group":
        return "0-8" if p.dob.year > 2018 else "8-16" if p.kind in ("child", "teen") and p.dob.year > 2010 else (
            "16-18" if p.kind == "teen" else "18+")
    raise ValueError(f"unknown generator {kind!r}")


def _rows(
    table: sa.Table, spec: dict[str, Any], locale: str, as_of: dt.date, seed: int, sizes: dict[str, int]
) -> list[dict[str, object]]:
    r = random.Random(f"{seed}:{table.name}")
    fill = spec["fill"]
    kinds = [k for k, n in fill["mix"].items() for _ in range(n)]
    r.shuffle(kinds)
    nulls = set(fill.get("null", ()))
    only: dict[str, list[str]] = fill.get("only", {})
    values: dict[str, str] = fill.get("values", {})
    guardian = set(spec.get("guardian", ()))
    rows = []
    for i, kind in enumerate(kinds):
        p = _Person(r, kind, as_of, locale)
        p.guardian = _Person(r, "parent", as_of, locale)
        row: dict[str, object] = {}
        for col in table.c:
            type_ = str(col.type).lower()
            entity = spec["columns"].get(col.name)
            who = p.guardian if col.name in guardian else p
            value: object
            if col.primary_key and not values.get(col.name) and ("int" in type_ or "char" in type_):
                value = i + 1 if "int" in type_ else f"{i + 1:06d}"
            elif col.name in nulls or (col.name in only and kind not in only[col.name]):
                value = None
            elif col.foreign_keys:
                # Point at a row that exists (rows of a referenced table are numbered from 1).
                target = next(iter(col.foreign_keys)).column.table.name.lower()
                value = i % max(1, sizes.get(target, 1)) + 1
            elif col.name in values:
                value = _generated(values[col.name], who, row, r, i)
            elif entity in _VALUE_ENTITIES:
                value = _entity_value(entity, col.name, who, r, i, type_)
            elif "int" in type_:
                value = r.randrange(1, 500)
            elif "numeric" in type_ or "decimal" in type_:
                value = r.randrange(1, 9)
            elif "bool" in type_:
                value = bool(i % 2)
            else:
                value = None
            width = re.search(r"char\w*\((\d+)\)", type_)
            if isinstance(value, str) and width:
                value = value[: int(width.group(1))]
            if value is None and not col.nullable:
                value = "" if "char" in type_ or "text" in type_ else 0
            row[col.name] = value
        rows.append(row)
    return rows


def _pg_ddl(sql: str) -> str:
    """The SQLite DDL in PostgreSQL's dialect (types only; the fixtures use a portable subset)."""
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    sql = re.sub(r"\bDATETIME\b", "TIMESTAMP", sql)
    sql = re.sub(r"BOOLEAN DEFAULT 1", "BOOLEAN DEFAULT true", sql)
    return re.sub(r"BOOLEAN DEFAULT 0", "BOOLEAN DEFAULT false", sql)


def _load(engine: sa.Engine, schema: dict[str, Any], filled: bool, as_of: dt.date, seed: int) -> None:
    sql = (FIXTURES / schema["file"]).read_text(encoding="utf-8")
    if engine.dialect.name == "postgresql":
        sql = _pg_ddl(sql)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "sqlite":
            raw.driver_connection.executescript(sql)  # type: ignore[union-attr]
        else:
            cur.execute(sql)
        raw.commit()
    finally:
        raw.close()
    if not filled:
        return
    meta = sa.MetaData()
    meta.reflect(engine)
    by_lower = {t.name.lower(): t for t in meta.tables.values()}
    sizes = {n.lower(): sum(s["fill"]["mix"].values()) for n, s in schema["tables"].items()}
    with engine.begin() as conn:
        for name, spec in schema["tables"].items():
            table = by_lower[name.lower()]
            lowered = {**spec, "columns": {_match(table, c): e for c, e in spec["columns"].items()},
                       "guardian": [_match(table, c) for c in spec.get("guardian", ())],
                       "fill": _lower_fill(table, spec["fill"])}
            conn.execute(sa.insert(table), _rows(table, lowered, schema["locale"], as_of, seed, sizes))


def _match(table: sa.Table, column: str) -> str:
    """The column's name as the database spells it (PostgreSQL folds unquoted names to lower case)."""
    if column in table.c:
        return column
    for c in table.c:
        if c.name.lower() == column.lower():
            return str(c.name)
    raise KeyError(column)


def _lower_fill(table: sa.Table, fill: dict[str, Any]) -> dict[str, Any]:
    return {
        "mix": fill["mix"],
        "null": [_match(table, c) for c in fill.get("null", ())],
        "only": {_match(table, c): v for c, v in fill.get("only", {}).items()},
        "values": {_match(table, c): v for c, v in fill.get("values", {}).items()},
    }


def _scan(url: str, as_of: dt.date) -> dict[str, AssetResult]:
    """Every table of the database, sampled and classified as a scan's work unit does it."""
    connector = SqlConnector("bench", SqlConnectorConfig(url=url))
    classifier = Classifier(ClassifierConfig(), as_of)
    out: dict[str, AssetResult] = {}
    try:
        # Context from the schema's keys, as the scanner attaches it at discovery.
        for info in annotate_context(list(connector.discover())):
            sample = connector.sample(info, 10_000)
            out[info.ref.path[-1].lower()] = classifier.classify(sample, info.meta.get(CONTEXT_KEY))
    finally:
        connector.close()
    return out


def _same(label: str, found: tuple[str, ...]) -> bool:
    return label in found or (label in PHONES and bool(PHONES & set(found)))


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def score(labels: dict[str, Any], results: dict[str, dict[str, AssetResult]], state: str) -> dict[str, Any]:
    """Column and table scores of one scan of every schema.

    Args:
        labels: The ground truth.
        results: Per schema, the asset results by lower-case table name.
        state: ``empty`` or ``filled`` (which labelled child status applies).

    Returns:
        ``columns_all``, ``columns_confirmed`` (P/R/F1), ``suspected`` counts, ``tables`` accuracy and the
        per-column ``errors`` (names only).
    """
    counts = {"all": [0, 0, 0], "confirmed": [0, 0, 0]}
    suspected = {"right": 0, "wrong": 0}
    tables = {"exact": 0, "childish": 0, "total": 0}
    errors: list[str] = []
    for sname, schema in labels["schemas"].items():
        for tname, spec in schema["tables"].items():
            result = results[sname].get(tname.lower())
            findings = {f.name.lower(): f for f in (result.columns if result else ())}
            for col, label in spec["columns"].items():
                f = findings.get(col.lower())
                for mode in ("all", "confirmed"):
                    c = counts[mode]
                    pred = f if f is not None and (mode == "all" or not f.suspected) else None
                    ok = pred is not None and label is not None and _same(label, pred.entity_types)
                    if ok:
                        c[0] += 1
                    else:
                        if pred is not None:
                            c[1] += 1
                        if label is not None:
                            c[2] += 1
                if f is not None and f.suspected:
                    suspected["right" if label and _same(label, f.entity_types) else "wrong"] += 1
                got = f.entity_types[0] if f is not None else None
                if not (f is not None and label is not None and _same(label, f.entity_types)) and (f or label):
                    errors.append(f"{sname}.{tname}.{col}: want {label} got {got}"
                                  f"{' (suspected)' if f is not None and f.suspected else ''}")
            want = spec["status"][state]
            got_status = result.child_status.value if result else "missing"
            tables["total"] += 1
            tables["exact"] += want == got_status
            tables["childish"] += (want in CHILDISH) == (got_status in CHILDISH)
            if want != got_status:
                errors.append(f"{sname}.{tname}: status want {want} got {got_status}")
    total = max(1, tables["total"])
    return {
        "columns_all": _prf(*counts["all"]),
        "columns_confirmed": _prf(*counts["confirmed"]),
        "suspected": suspected,
        "tables": {"status_accuracy": round(tables["exact"] / total, 3),
                   "child_accuracy": round(tables["childish"] / total, 3), "total": tables["total"]},
        "errors": errors,
    }


@contextlib.contextmanager
def _sqlite_db() -> Iterator[tuple[sa.Engine, str]]:
    with tempfile.TemporaryDirectory(prefix="pis-real-") as tmp:
        url = f"sqlite:///{tmp}/db.sqlite"
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            yield engine, url
        finally:
            engine.dispose()


@contextlib.contextmanager
def _pg_db() -> Iterator[tuple[sa.Engine, str]]:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"pis_real_{uuid.uuid4().hex[:12]}"
    quote = admin.dialect.identifier_preparer.quote
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quote(name)}"))  # DDL: a generated name, quoted by the dialect
    url = admin.url.set(database=name)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        yield engine, url.render_as_string(hide_password=False)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
        admin.dispose()


def pg_available() -> bool:
    """Whether the benchmark PostgreSQL server answers."""
    try:
        engine = sa.create_engine(PG_ADMIN_URL, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return False
    return True


def run(quick: bool = True, seed: int = 0, backends: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Score pi-scanner on every fixture schema, empty and filled.

    Args:
        quick: SQLite only (PostgreSQL is added when not quick and the server answers).
        seed: Seed of the generated rows.
        backends: Override: ``("sqlite",)``, ``("sqlite", "postgres")``.

    Returns:
        ``{"reduced_schemas": {backend: {"empty": score, "filled": score}}}`` (see :func:`score`).
    """
    labels = load_labels()
    as_of = dt.date.fromisoformat(labels["as_of"])
    if backends is None:
        backends = ("sqlite",) if quick or not pg_available() else ("sqlite", "postgres")
    out: dict[str, Any] = {}
    for backend in backends:
        per_state: dict[str, Any] = {}
        for state in ("empty", "filled"):
            results: dict[str, dict[str, AssetResult]] = {}
            for sname, schema in labels["schemas"].items():
                db = _sqlite_db() if backend == "sqlite" else _pg_db()
                with db as (engine, url):
                    _load(engine, schema, state == "filled", as_of, seed)
                    results[sname] = _scan(url, as_of)
            per_state[state] = score(labels, results, state)
        out[backend] = per_state
    return {"reduced_schemas": out}


def format_report(result: dict[str, Any], errors: bool = False) -> str:
    """One line per backend and state; optionally every wrong column and table."""
    lines = [f"{'backend':9} {'state':7} {'col P/R/F1 (all)':22} {'col P/R/F1 (confirmed)':24} "
             f"{'suspected ok/bad':17} {'table status':12} {'child y/n':9}"]
    for backend, states in result["reduced_schemas"].items():
        for state, s in states.items():
            a, c = s["columns_all"], s["columns_confirmed"]
            lines.append(
                f"{backend:9} {state:7} {a['precision']:.3f}/{a['recall']:.3f}/{a['f1']:.3f}      "
                f"{c['precision']:.3f}/{c['recall']:.3f}/{c['f1']:.3f}        "
                f"{s['suspected']['right']:>4}/{s['suspected']['wrong']:<4}        "
                f"{s['tables']['status_accuracy']:.3f}        {s['tables']['child_accuracy']:.3f}"
            )
            if errors:
                lines.extend(f"    {e}" for e in s["errors"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reduced_schemas", description=__doc__)
    parser.add_argument("--full", action="store_true", help="also PostgreSQL when it answers")
    parser.add_argument("--errors", action="store_true", help="list every wrong column and table")
    parser.add_argument("--json", metavar="PATH", help="write the result as JSON")
    args = parser.parse_args(argv)
    result = run(quick=not args.full)
    print(format_report(result, args.errors))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
