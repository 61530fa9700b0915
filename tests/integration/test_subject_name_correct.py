"""Subject requests by name + date of birth, and corrections from a record (PostgreSQL and MariaDB, through the CLI).

A Chinese school schema: pupils (``xs_jbxx``: name, birth date), a class lookup, attendance and health records
with declared keys, grades whose key to the pupil is not declared (an inferred link), and enrolment
applications that hold the name and birth date again. Every step goes through ``pi-scanner`` as a user runs it
(scan, subject index, find, correct, erase, apply):

* a name typed with another middle dot and a Chinese-format date finds the right pupil's rows in every linked
  table; two pupils with the same name and birth date are listed and refused until ``--record`` picks one;
* a correction from ``--record`` changes exactly that pupil's field and nothing else; the ledger verifies and
  applying again changes nothing; the new value comes from stdin or a file;
* the name, the birth date and the new value never appear in stdout/stderr, plans, the ledger or a dump of
  the whole catalog.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.checksums import mod11_2_check
from pi_scanner.cli import app
from pi_scanner.config import load_settings
from pi_scanner.keys import load_hmac_key
from pi_scanner.retention.ledger import Ledger

AS_OF = "2026-03-15"
CANARY_NAME = "阿依古丽·买买提"
CANARY_DOB = dt.date(2016, 5, 7)
CANARY_ID = 7
TWIN_NAME, TWIN_DOB, TWINS = "王小明", dt.date(2015, 3, 4), (11, 12)
FIXED_ID = 3
BY_ID = 25  # erased by resident ID with --follow-links
SIGNED_UP = 36  # pupils 36.. are also on the unlinked sign-up sheet
NEW_NAME = "欧阳晓曦"  # the corrected name of pupil 3
NEW_DOB = "2016-05-08"  # the corrected birth date of the canary pupil
_SURNAMES = "张李刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁"
_GIVEN = ["子涵", "欣怡", "梓轩", "浩然", "一诺", "宇轩", "雨桐", "思远", "佳怡", "俊杰"]

runner = CliRunner()


def _schema(md: sa.MetaData) -> None:
    sa.Table("bj", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("bjmc", sa.String(50)))
    sa.Table(
        "xs_jbxx", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("xh", sa.String(20)), sa.Column("xm", sa.String(50)), sa.Column("csrq", sa.Date),
        sa.Column("sfzh", sa.String(18)),
        sa.Column("xb", sa.String(2)), sa.Column("bj_id", sa.Integer, sa.ForeignKey("bj.id")),
        sa.Column("jhr_sjh", sa.String(20)),
    )
    sa.Table("kq_jl", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xs_id", sa.Integer, sa.ForeignKey("xs_jbxx.id")), sa.Column("rq", sa.Date),
             sa.Column("zt", sa.String(10)))
    sa.Table("jkda", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xs_id", sa.Integer, sa.ForeignKey("xs_jbxx.id")), sa.Column("sg", sa.Integer),
             sa.Column("tz", sa.Integer), sa.Column("gms", sa.String(100)))
    # No declared key: the link from grades to pupils is inferred from the name and the values.
    sa.Table("cj", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xs_id", sa.Integer), sa.Column("km", sa.String(20)), sa.Column("fs", sa.Integer))
    # An activity sign-up sheet: a name and a birth date, no pupil id, no link.
    sa.Table("hd_bm", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xm", sa.String(50)), sa.Column("csrq", sa.Date), sa.Column("hdmc", sa.String(50)))
    sa.Table("bm_xx", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xs_id", sa.Integer, sa.ForeignKey("xs_jbxx.id")), sa.Column("xm", sa.String(50)),
             sa.Column("csrq", sa.Date), sa.Column("sqrq", sa.Date))


def _rows() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in ("bj", "xs_jbxx", "kq_jl", "jkda", "cj", "bm_xx",
                                                              "hd_bm")}
    out["bj"] = [{"id": i, "bjmc": f"大{i}班"} for i in range(1, 4)]
    for pid in range(1, 41):
        name = f"{_SURNAMES[pid % len(_SURNAMES)]}{_GIVEN[pid % len(_GIVEN)]}{'' if pid < 20 else '儿'}"
        dob = dt.date(2015 + pid % 4, 1 + pid % 12, 1 + pid % 27)
        if pid == CANARY_ID:
            name, dob = CANARY_NAME, CANARY_DOB
        if pid in TWINS:
            name, dob = TWIN_NAME, TWIN_DOB
        out["xs_jbxx"].append({"id": pid, "xh": f"G{pid:08d}", "xm": name, "csrq": dob, "sfzh": _id_number(pid, dob),
                               "xb": "男女"[pid % 2],
                               "bj_id": 1 + pid % 3, "jhr_sjh": f"139{pid:08d}"})
        for k in range(3):
            out["kq_jl"].append({"id": pid * 10 + k, "xs_id": pid, "rq": dt.date(2026, 3, 1 + k), "zt": "出勤"})
        out["jkda"].append({"id": pid, "xs_id": pid, "sg": 100 + pid, "tz": 15 + pid % 10, "gms": "无"})
        for k, subject in enumerate(("语文", "数学")):
            out["cj"].append({"id": pid * 10 + k, "xs_id": pid, "km": subject, "fs": 60 + (pid * 7 + k) % 40})
        out["bm_xx"].append({"id": 1000 + pid, "xs_id": pid, "xm": name, "csrq": dob,
                             "sqrq": dt.date(2025, 6, 1 + pid % 28)})
        if pid >= SIGNED_UP:
            out["hd_bm"].append({"id": 500 + pid, "xm": name, "csrq": dob, "hdmc": "夏令营"})
    return out


def _id_number(pid: int, dob: dt.date) -> str:
    body = f"110105{dob:%Y%m%d}{pid:03d}"
    return body + (mod11_2_check(body) or "")


def _dump(engine: sa.Engine) -> dict[str, dict[Any, dict[str, Any]]]:
    md = sa.MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        return {t.name: {r._mapping["id"]: dict(r._mapping) for r in conn.execute(sa.select(t))}
                for t in md.sorted_tables}


def _of(dump: dict[str, dict[Any, dict[str, Any]]], pupil: int) -> dict[str, set[Any]]:
    out = {"xs_jbxx": {pupil} & set(dump["xs_jbxx"])}
    for name in ("kq_jl", "jkda", "cj", "bm_xx"):
        out[name] = {k for k, r in dump[name].items() if r["xs_id"] == pupil}
    return out


class _Cli:
    """Runs pi-scanner and keeps everything it printed (for the canary check)."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.printed: list[str] = []

    def __call__(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        res = runner.invoke(app, [*args, "-c", str(self.config)], input=stdin)
        self.printed += [res.stdout, res.stderr]
        return res.exit_code, res.stdout, res.stderr


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_name_and_birth_date_and_correct_from_record(dialect: str, request: pytest.FixtureRequest,
                                                     tmp_path: Path) -> None:
    url = request.getfixturevalue("pg_url" if dialect == "postgresql" else "mysql_url")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    md = sa.MetaData()
    _schema(md)
    md.create_all(engine)
    with engine.begin() as conn:
        for table in md.sorted_tables:
            conn.execute(table.insert(), _rows()[table.name])
    schema = "public" if dialect == "postgresql" else sa.make_url(url).database
    config = tmp_path / "pi-scanner.yaml"
    config.write_text(json.dumps({"connectors": {"sis": {"type": "sql", "url": url}},
                                  "catalog": {"url": f"sqlite:///{tmp_path / 'catalog.db'}"}}), encoding="utf-8")
    cli = _Cli(config)
    code, out, err = cli("scan", "--as-of", AS_OF, "--fail-on", "never", "-f", "json")
    assert code == 0, err
    code, out, err = cli("subject", "index", "--as-of", AS_OF)
    assert code == 0 and "fingerprints" in out, err
    before = _dump(engine)

    # -- find by name + birth date: another middle dot, a Chinese date -----------------------------------
    code, out, err = cli("subject", "find", "--name", "阿依古丽•买买提", "--birth-date", "2016年5月7日",
                         "--format", "json")
    assert code == 0, err
    walk = json.loads(out)
    assert walk["start"] == "name+birth-date"
    assert f"sis/{schema}.xs_jbxx:{CANARY_ID}" in walk["matched"]
    reached: dict[str, set[Any]] = {}
    for got in walk["reached"]:
        reached.setdefault(got["path"][-1], set()).update(k[0] for k in got["keys"])
    assert reached == {t: ks for t, ks in _of(before, CANARY_ID).items() if ks}, walk["unconfirmed"]

    # -- two pupils share a name and a birth date: listed, refused, nothing planned -------------------------
    ledger_before = _ledger(tmp_path)
    for cmd in (("find",), ("erase", "-o", str(tmp_path / "twins.json"))):
        code, out, err = cli("subject", *cmd, "--name", TWIN_NAME, "--birth-date", "2015-3-4")
        assert code == 2, (cmd, out, err)
        assert all(f"xs_jbxx:{t}" in err for t in TWINS), err
    assert not (tmp_path / "twins.json").exists()
    assert _ledger(tmp_path) == ledger_before  # nothing was searched out or planned
    plan = tmp_path / "twin12.json"
    code, out, err = cli("subject", "erase", "--name", TWIN_NAME, "--birth-date", "2015-03-04", "--record",
                         f"sis/{schema}.xs_jbxx:{TWINS[1]}", "-o", str(plan))
    assert code == 0, err
    code, out, err = cli("subject", "apply", str(plan))
    assert code == 0, out + err
    after_twin = _dump(engine)
    assert not any(_of(after_twin, TWINS[1]).values())  # every row of the chosen pupil is gone
    assert _of(after_twin, TWINS[0]) == _of(before, TWINS[0])  # the other one is untouched
    assert after_twin["xs_jbxx"][TWINS[0]] == before["xs_jbxx"][TWINS[0]]

    # -- the name also on an unlinked sign-up sheet: maybe another child, so refused until --record picks ----
    signed = before["xs_jbxx"][SIGNED_UP]
    code, out, err = cli("subject", "find", "--name", signed["xm"], "--birth-date", str(signed["csrq"]))
    assert code == 2 and f"xs_jbxx:{SIGNED_UP}" in err and f"hd_bm:{500 + SIGNED_UP}" in err, out + err
    code, out, err = cli("subject", "find", "--name", signed["xm"], "--birth-date", str(signed["csrq"]),
                         "--record", f"sis/{schema}.xs_jbxx:{SIGNED_UP}", "--format", "json")
    assert code == 0, err
    assert {r["path"][-1] for r in json.loads(out)["reached"]} == {"xs_jbxx", "kq_jl", "jkda", "cj", "bm_xx"}
    assert json.loads(out)["elsewhere"] == [f"sis/{schema}.hd_bm:{500 + SIGNED_UP}"]  # listed, not walked

    # -- correct one field from a record; the value from stdin --------------------------------------------
    plan = tmp_path / "fix.json"
    code, out, err = cli("subject", "correct", "--record", f"sis/{schema}.xs_jbxx:{FIXED_ID}", "--field", "xm",
                         "--value-file", "-", "-o", str(plan), stdin=NEW_NAME + "\n")
    assert code == 0, err
    items = json.loads(plan.read_text(encoding="utf-8"))["items"]
    assert [(i["path"][-1], i["action"], i["field"], i["keys"]) for i in items] == [
        ("xs_jbxx", "update", "xm", [[FIXED_ID]])]
    assert "bm_xx" in err  # the other table with a column xm is named, not corrected
    code, out, err = cli("subject", "apply", str(plan), "--value", "王大明")
    assert code == 2 and "value" in err  # not the planned value: refused before anything is written
    assert _dump(engine) == after_twin
    value_file = tmp_path / "new-name.txt"
    value_file.write_text(NEW_NAME + "\n", encoding="utf-8")
    code, out, err = cli("subject", "apply", str(plan), "--value-file", str(value_file))
    assert code == 0, out + err
    corrected = _dump(engine)
    expected = json.loads(json.dumps(after_twin, default=str))
    expected["xs_jbxx"][str(FIXED_ID)]["xm"] = NEW_NAME
    assert json.loads(json.dumps(corrected, default=str)) == expected  # that field of that row, nothing else
    code, out, err = cli("subject", "apply", str(plan), "--value-file", str(value_file))
    assert code == 0 and out.split()[0] == "already_done", out
    assert _dump(engine) == corrected  # a rerun is a no-op

    # -- correct the canary's birth date, found by name (full-width space) + birth date -----------------------
    plan = tmp_path / "dob.json"
    code, out, err = cli("subject", "correct", "--name", "阿依古丽\u3000买买提", "--birth-date", "二〇一六年五月七日",
                         "--field", "csrq", "--value-file", "-", "-o", str(plan), stdin=NEW_DOB)
    assert code == 0, err
    assert {i["path"][-1] for i in json.loads(plan.read_text(encoding="utf-8"))["items"]} == {"xs_jbxx", "bm_xx"}
    code, out, err = cli("subject", "apply", str(plan), "--value-file", "-", stdin=NEW_DOB)
    assert code == 0, out + err
    now = _dump(engine)
    assert now["xs_jbxx"][CANARY_ID]["csrq"] == dt.date.fromisoformat(NEW_DOB)
    assert now["bm_xx"][1000 + CANARY_ID]["csrq"] == dt.date.fromisoformat(NEW_DOB)
    # The old birth date no longer names the child; the new one does once the index is refreshed.
    code, out, err = cli("subject", "index", "--as-of", AS_OF)
    assert code == 0, err
    code, out, err = cli("subject", "find", "--name", CANARY_NAME, "--birth-date", "2016-05-07", "--format", "json")
    assert code == 0 and json.loads(out)["reached"] == [], out

    # -- erase the canary by name + the corrected birth date: every linked row, deletes in key order --------
    plan = tmp_path / "erase.json"
    code, out, err = cli("subject", "erase", "--name", CANARY_NAME, "--birth-date", NEW_DOB, "-o", str(plan))
    assert code == 0, err
    code, out, err = cli("subject", "apply", str(plan))
    assert code == 0, out + err
    gone = _dump(engine)
    assert not any(_of(gone, CANARY_ID).values())
    for table, rows in now.items():
        assert {k for k in rows if k not in _of(now, CANARY_ID).get(table, set())} == set(gone[table]), table
    code, out, err = cli("subject", "apply", str(plan))
    assert code == 0 and _dump(engine) == gone

    # -- by resident ID: alone it plans the pupil row only; --follow-links adds every linked row -------------
    id_number = _id_number(BY_ID, before["xs_jbxx"][BY_ID]["csrq"])
    code, out, err = cli("subject", "erase", "--id-number", id_number, "-o", str(tmp_path / "by-id.json"))
    assert code == 0, err
    alone = json.loads((tmp_path / "by-id.json").read_text(encoding="utf-8"))["items"]
    assert [(i["path"][-1], i["keys"]) for i in alone] == [("xs_jbxx", [[BY_ID]])]
    code, out, err = cli("subject", "find", "--id-number", id_number, "--follow-links", "--format", "json")
    assert code == 0 and id_number not in out, err
    assert {r["path"][-1] for r in json.loads(out)["walk"]["reached"]} == {"xs_jbxx", "kq_jl", "jkda", "cj", "bm_xx"}
    plan = tmp_path / "by-id-linked.json"
    code, out, err = cli("subject", "erase", "--id-number", id_number, "--follow-links", "-o", str(plan))
    assert code == 0, err
    code, out, err = cli("subject", "apply", str(plan))
    assert code == 0, out + err
    linked_gone = _dump(engine)
    assert not any(_of(linked_gone, BY_ID).values())
    for table, rows in gone.items():
        assert {k for k in rows if k not in _of(gone, BY_ID).get(table, set())} == set(linked_gone[table]), table

    settings = load_settings(config)
    with Catalog.from_config(settings.catalog) as catalog:
        assert Ledger(catalog, load_hmac_key(settings.catalog)).verify().ok

    # -- canaries: never printed, planned, ledgered or kept in the catalog ---------------------------------
    texts = [*cli.printed, *(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.json")), _catalog_dump(tmp_path)]
    blob = "\n".join(texts)
    for canary in (CANARY_NAME, "阿依古丽", "买买提", "阿依古丽买买提", NEW_NAME, NEW_DOB, "2016-05-07",
                   "20160507", TWIN_NAME):
        assert canary not in blob, canary
    for canary in (id_number, *(r["sfzh"] for r in before["xs_jbxx"].values())):
        assert canary not in blob, canary
    engine.dispose()


def _ledger(tmp_path: Path) -> list[str]:
    con = sqlite3.connect(tmp_path / "catalog.db")
    try:
        return [str(r) for r in con.execute("SELECT * FROM audit_ledger ORDER BY 1")]
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def _catalog_dump(tmp_path: Path) -> str:
    con = sqlite3.connect(tmp_path / "catalog.db")
    try:
        lines = []
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            lines += [repr(r) for r in con.execute(f'SELECT * FROM "{name}"')]
        return "\n".join(lines)
    finally:
        con.close()
