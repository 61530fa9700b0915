"""benchmarks/corpus/synth.py: valid checksums, consistent people, determinism, the child-row truth."""

import datetime as dt
import re

import pytest
from benchmarks.corpus.synth import Rows, Synth

from pi_scanner.classify.checksums import luhn_valid, mod11_2_valid, upgrade_legacy15
from pi_scanner.classify.dates import age_years

AS_OF = dt.date(2026, 3, 15)
RANGES = {"child": (3, 13), "teen": (14, 17), "parent": (27, 52), "staff": (22, 62), "adult": (18, 80)}


@pytest.mark.parametrize("kind", sorted(RANGES))
def test_people_are_consistent_and_valid(kind):
    s = Synth(7, AS_OF)
    for _ in range(300):
        p = s.person(kind)
        lo, hi = RANGES[kind]
        assert lo <= age_years(p.dob, AS_OF) <= hi
        assert mod11_2_valid(p.ric), p.ric
        assert p.ric[6:14] == f"{p.dob:%Y%m%d}"
        assert int(p.ric[16]) % 2 == (1 if p.sex == "M" else 0)
        if p.dob.year < 2000:
            assert upgrade_legacy15(p.ric15) == p.ric
        assert p.ric15 == p.ric[:6] + p.ric[8:17]
        assert p.name_zh == p.surname_zh + p.given_zh
        assert p.name_en == f"{p.first_en} {p.last_en}"
        assert re.fullmatch(r"1\d{10}", p.mobile)
        assert re.fullmatch(r"o[A-Za-z0-9_-]{27}", p.openid)
        assert p.student_no == ("G" + p.ric if kind in ("child", "teen") else None)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        Synth(0, AS_OF).person("pupil")


def test_same_seed_same_values_other_seed_other_values():
    def draw(seed):
        s = Synth(seed, AS_OF)
        return [s.person("child"), s.imei(), s.bcrypt(), s.jwt(3), s.photo_url(), s.money(), s.plate()]

    assert draw(1) == draw(1)
    assert draw(1) != draw(2)


def test_value_shapes():
    s = Synth(3, AS_OF)
    for _ in range(50):
        assert luhn_valid(s.imei()) and len(s.imei()) == 15
        assert re.fullmatch(r"\$2[aby]\$10\$[./A-Za-z0-9]{53}", s.bcrypt())
        assert s.argon2().startswith("$argon2id$v=19$")
        assert re.fullmatch(r"\$6\$[./A-Za-z0-9]{16}\$[./A-Za-z0-9]{86}", s.sha_crypt())
        assert re.fullmatch(r"[0-9a-f]{32}", s.md5_hex()) and re.fullmatch(r"[0-9a-f]{40}", s.sha1_hex())
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}", s.jwt())
        assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", s.mac())
        assert re.fullmatch(r"[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}", s.idfa())
        assert s.ethnicity().endswith("族")
        lat, lon = s.coordinates()
        assert 18 < lat < 54 and 73 < lon < 135
        assert dt.date(2025, 1, 1) <= s.date_between(dt.date(2025, 1, 1), dt.date(2025, 1, 3)) <= dt.date(2025, 1, 3)
    child = s.person("child")
    assert str(age_years(child.dob, AS_OF)) in s.parent_message_zh(child)
    assert str(age_years(child.dob, AS_OF)) in s.parent_message_en(child)


def test_mess():
    s = Synth(0, AS_OF)
    assert Synth.excel_id("110105201001011234") == "1.10105E+17"
    assert Synth.fullwidth("138 0013") == "１３８\u3000００１３"
    assert s.trailing("abc").startswith("abc") and s.trailing("abc") != "abc"
    assert {s.maybe(1, 0.5) for _ in range(100)} == {1, None}
    assert s.maybe(1, 0.0) == 1
    assert mod11_2_valid(s.test_account().ric)


def test_child_rows_follow_the_legal_rule():
    s = Synth(0, AS_OF)
    birthday_today = s.person("child")
    object.__setattr__(birthday_today, "dob", dt.date(2012, 3, 15))  # 14th birthday on as_of: still a child
    teen, kid, parent = s.person("teen"), s.person("child"), s.person("parent")
    rows = Rows()
    for p in (birthday_today, teen, kid):
        rows.add("students", {"name": p.name_zh}, subject=p, dated=True)
    rows.add("students", {"name": "x"}, subject=kid)  # not dated: not counted
    rows.add("guardians", {"name": parent.name_zh}, subject=parent, dated=True)
    rows.add("settings", {"k": "v"})
    assert rows.child_rows(AS_OF) == {"students": 2, "guardians": 0}
    assert rows.child_rows(dt.date(2026, 3, 16)) == {"students": 1, "guardians": 0}
    assert rows.dated_rows() == {"students": 3, "guardians": 1}
    assert list(rows) == ["students", "guardians", "settings"]
    assert len(rows["students"]) == 4 and len(rows) == 6 and rows["missing"] == []
    with pytest.raises(ValueError, match="dated row needs its subject"):
        rows.add("students", {}, dated=True)
