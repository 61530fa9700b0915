"""Consent join: children's records classified by the scan's rules, joined to their newest consent."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from pi_scanner.classify.checksums import mod11_2_check
from pi_scanner.compliance.config import ConsentSource
from pi_scanner.compliance.consent import check_consent, subject_hmac
from pi_scanner.errors import ConfigError

AS_OF = dt.date(2026, 3, 15)
KEY = b"test-key"


def rid(birth: str, seq: str = "123") -> str:
    body = "110105" + birth + seq
    check = mod11_2_check(body)
    assert check is not None
    return body + check


def _source(**overrides: object) -> ConsentSource:
    base: dict[str, object] = {
        "connector": "db",
        "child_table": "students",
        "subject_ref": "id",
        "table": "consents",
        "subject_key": "student_id",
        "granted_at": "granted_at",
        "status": "state",
        "policy_version": "version",
        "current_policy_version": "v3",
        "consenter_birth_date": "guardian_dob",
        "consenter_role": "role",
    }
    base.update(overrides)
    return ConsentSource.model_validate(base)


@pytest.fixture
def engine(sqlite_url: str) -> sa.Engine:
    eng = sa.create_engine(sqlite_url)
    with eng.begin() as conn:
        conn.execute(sa.text("CREATE TABLE students (id INTEGER PRIMARY KEY, sfzh TEXT)"))
        conn.execute(sa.text(
            "CREATE TABLE consents (student_id INTEGER, granted_at TEXT, state TEXT, version TEXT, "
            "guardian_dob TEXT, role TEXT)"
        ))
        students = [
            (1, rid("20150304")),  # child, valid consent
            (2, rid("20160101")),  # child, no consent
            (3, rid("20170505")),  # child, consent withdrawn after a grant
            (4, rid("20140707")),  # child (11), consent by a 16-year-old
            (5, rid("20180808")),  # child, consent under policy v2
            (6, rid("20150909")),  # child, consenter role "child"
            (7, rid("19800101")),  # adult: ignored
            (8, rid("20100202")),  # 16: a minor 14-17, counted apart
        ]
        conn.execute(sa.text("INSERT INTO students VALUES (:id, :sfzh)"), [{"id": i, "sfzh": s} for i, s in students])
        consents = [
            (1, "2025-01-01", "granted", "v3", "1985-01-01", "guardian"),
            (3, "2024-01-01", "granted", "v3", "1985-01-01", "guardian"),
            (3, "2025-06-01", "withdrawn", "v3", "1985-01-01", "guardian"),
            (4, "2025-01-01", "granted", "v3", "2009-01-01", "guardian"),
            (5, "2023-01-01", "granted", "v2", "1985-01-01", "guardian"),
            (6, "2025-01-01", "granted", "v3", None, "child"),
        ]
        conn.execute(
            sa.text("INSERT INTO consents VALUES (:a, :b, :c, :d, :e, :f)"),
            [dict(zip("abcdef", c, strict=True)) for c in consents],
        )
    return eng


def test_outcomes_counted_per_child(engine: sa.Engine) -> None:
    res = check_consent(_source(), engine, AS_OF, KEY)
    assert res.records == 8
    assert res.children == 6
    assert res.minors_14_17 == 1
    assert res.outcomes == {
        "valid": 1,
        "no_consent": 1,
        "withdrawn_with_data": 1,
        "invalid_status": 0,
        "consent_by_minor": 2,
        "outdated_policy": 1,
    }
    assert res.coverage == pytest.approx(1 / 6)
    assert res.withdrawn_subjects == [subject_hmac(KEY, 3)]
    assert len(res.gaps) == 4 and subject_hmac(KEY, 1) not in res.gaps
    check = res.check()
    assert check.status == "fail"
    text = str(check.as_dict())
    for _, value in [(1, rid("20150304")), (3, rid("20170505"))]:
        assert value not in text  # no raw identifier in the evidence


def test_all_valid_passes(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM students WHERE id <> 1"))
    res = check_consent(_source(), engine, AS_OF, KEY)
    assert res.children == 1 and res.check().status == "pass"


def test_missing_consent_table_is_config_error(engine: sa.Engine) -> None:
    with pytest.raises(ConfigError, match="consent table 'nope' not found"):
        check_consent(_source(table="nope"), engine, AS_OF, KEY)


def test_wrong_column_is_config_error(engine: sa.Engine) -> None:
    with pytest.raises(ConfigError, match="granted_at: column 'given_on'"):
        check_consent(_source(granted_at="given_on"), engine, AS_OF, KEY)


def test_version_pair_required() -> None:
    with pytest.raises(ValueError, match="together"):
        _source(current_policy_version=None)
