"""Corrected values: typed for their column, one text form for keyed hashes, errors without the value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pi_scanner.errors import UsageError
from pi_scanner.subjects.live import coerce_value, value_text


def _col(type_: sa.types.TypeEngine) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("c", type_)


@pytest.mark.parametrize(("type_", "given", "expected"), [
    (sa.Integer(), " 42 ", 42),
    (sa.Date(), "2016年5月8日", dt.date(2016, 5, 8)),
    (sa.Date(), "2016-05-08", dt.date(2016, 5, 8)),
    (sa.Numeric(), "12.50", Decimal("12.50")),
    (sa.Boolean(), "yes", True),
    (sa.String(20), " 王晓明 ", " 王晓明 "),  # text is taken as given
])
def test_coerced_to_the_column_type(type_: sa.types.TypeEngine, given: str, expected: object) -> None:  # type: ignore[type-arg]
    assert coerce_value(_col(type_), given) == expected


@pytest.mark.parametrize(("type_", "given"), [(sa.Integer(), "4x2"), (sa.Date(), "2016年5月"), (sa.Boolean(), "maybe")])
def test_invalid_values_are_refused_without_the_value(type_: sa.types.TypeEngine, given: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(UsageError) as exc:
        coerce_value(_col(type_), given)
    assert given not in str(exc.value)


def test_one_text_form() -> None:
    assert value_text(dt.date(2016, 5, 8)) == value_text(coerce_value(_col(sa.Date()), "2016/5/8"))
    assert value_text(Decimal("12.500")) == value_text(Decimal("12.5"))
    assert value_text(None) != value_text("None") and value_text(None) != value_text("")
