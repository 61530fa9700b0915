"""Retention policy validation and duration arithmetic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pi_scanner.errors import ConfigError
from pi_scanner.retention.policy import Duration, cutoff_for, parse_duration, parse_policies


def _policy(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "p", "selector": {"tables": ["main.students"]}, "anchor": "last_active_at", "max_age": "365d",
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("365d", Duration(days=365)),
        ("12h", Duration(seconds=12 * 3600)),
        ("2w", Duration(days=14)),
        ("2y", Duration(years=2)),
        ("P1Y", Duration(years=1)),
        ("P6M", Duration(months=6)),
        ("P30D", Duration(days=30)),
        ("P1Y2M3DT4H", Duration(years=1, months=2, days=3, seconds=4 * 3600)),
        ("PT90M", Duration(seconds=90 * 60)),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    got = parse_duration(text)
    assert (got.years, got.months, got.days, got.seconds) == (
        expected.years, expected.months, expected.days, expected.seconds,
    )


@pytest.mark.parametrize("text", ["-5d", "0d", "-P1Y", "P0D", "P", "PT", "5 days", "1.5d", "", "P1H"])
def test_bad_durations_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_month_end_clamping() -> None:
    assert Duration(months=1).subtract_from(dt.datetime(2025, 3, 31)) == dt.datetime(2025, 2, 28)
    assert Duration(years=1).subtract_from(dt.datetime(2024, 2, 29)) == dt.datetime(2023, 2, 28)
    assert Duration(days=30).subtract_from(dt.datetime(2026, 3, 15)) == dt.datetime(2026, 2, 13)


def test_cutoff_is_shanghai_midnight_minus_age() -> None:
    (p,) = parse_policies([_policy(max_age="P1Y")])
    assert cutoff_for(p, dt.date(2026, 3, 15)) == dt.datetime(2025, 3, 14, 16, 0, tzinfo=dt.UTC)


def test_negative_duration_and_unknown_key_reported_with_path() -> None:
    with pytest.raises(ConfigError) as exc:
        parse_policies([_policy(), _policy(name="q", max_age="-5d", bogus=1)])
    msg = str(exc.value)
    assert "retention[1].max_age: duration '-5d' must be positive" in msg
    assert "retention[1].bogus" in msg


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"selector": {}}, "a selector needs"),
        ({"selector": {"tables": ["t"], "entities": ["CN_RESIDENT_ID"]}}, "entities filters"),
        ({"action": "anonymize"}, "needs an anonymize mapping"),
        ({"anonymize": {"xm": {"operator": "null"}}}, "only used with action: anonymize"),
        ({"action": "anonymize", "anonymize": {"xm": {"operator": "replace"}}}, "replace needs a value"),
        ({"action": "delete_all_versions"}, "applies to buckets"),
        ({"anchor": "LastModified"}, "applies to objects"),
        ({"selector": {"buckets": ["b"]}, "anchor": "created_at"}, "anchored on LastModified"),
        ({"selector": {"buckets": ["b"]}, "anchor": "LastModified", "scope": "child_records"}, "scope all_records"),
        ({"legal_holds": [{"keys": [1]}]}, "reason"),
        ({"legal_holds": [{"reason": "r", "basis": "b"}]}, "needs tables, keys"),
        ({"legal_holds": [{"subjects": ["ab"], "reason": "r", "basis": "b"}]}, "subject_column"),
        ({"anchor_timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_invalid_policies(kw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_policies([_policy(**kw)])


def test_duplicate_names_rejected() -> None:
    with pytest.raises(ConfigError, match="duplicate"):
        parse_policies([_policy(), _policy()])


def test_defaults_are_safe() -> None:
    (p,) = parse_policies([_policy()])
    assert p.enforce is False and p.allow_cascade is False and p.allow_no_primary_key is False
    assert p.batch_size == 1000 and p.scope == "all_records" and p.action == "delete"


def test_selector_matching() -> None:
    (p,) = parse_policies([_policy(selector={"connector": "school*", "tables": ["main.stu*"]})])
    assert p.selector.matches_table("school_db", "main", "students")
    assert not p.selector.matches_table("other", "main", "students")
    assert not p.selector.matches_table("school_db", "main", "teachers")
    (o,) = parse_policies([_policy(selector={"buckets": ["exp*"], "prefixes": ["2024/"]}, anchor="LastModified")])
    assert o.selector.matches_object("s3", "exports", "2024/a.csv")
    assert not o.selector.matches_object("s3", "exports", "2025/a.csv")
    assert not o.selector.matches_object("s3", "other", "2024/a.csv")


def test_cascade_modes() -> None:
    (p,) = parse_policies([_policy()])
    assert p.cascade_mode() == "none" and not p.follows_links()
    (p,) = parse_policies([_policy(allow_cascade=True)])
    assert p.cascade_mode() == "declared"
    (p,) = parse_policies([_policy(scope="child_records", cascade="inferred", accept_links=["a.x -> b.id"])])
    assert p.cascade_mode() == "inferred" and p.follows_links() and p.accept_links == ["a.x -> b.id"]
    with pytest.raises(ConfigError, match="cascade"):
        parse_policies([_policy(cascade="everything")])
    with pytest.raises(ConfigError, match="not objects"):
        parse_policies([{"name": "o", "selector": {"buckets": ["b"]}, "anchor": "LastModified", "max_age": "30d",
                         "cascade": "declared"}])
