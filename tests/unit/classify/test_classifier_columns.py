"""Classifier behaviour across engines and on column shapes seen in real schemas."""

from __future__ import annotations

import datetime as dt

from pi_scanner.classify.classifier import Classifier
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)


def sample() -> Sample:
    columns = [ColumnInfo("xm"), ColumnInfo("sfzh"), ColumnInfo("jhr_sjh"), ColumnInfo("order_no"), ColumnInfo("notes")]
    rows = [
        ("王小明", "110105201503041239", "13800138000", "2024031522001412345678901234", "我今年8岁"),
        ("李梓涵", "310115201602290484", "+86 139 1234 5678", "4200001234202403151234567890", "体检正常"),
        ("张伟", "11010519491231002X", "0086-139-1234-5678", "1767612345678901248", ""),
        ("赵一诺", "440305201203150318", "13912345678", "861234567890127", "家长说孩子14岁"),
    ]
    return Sample(AssetRef("t", AssetKind.TABLE, ("main", "students")), columns, rows, complete=True)


def test_presidio_engine_gives_the_fast_paths_verdicts() -> None:
    fast = Classifier(ClassifierConfig(), AS_OF).classify(sample())
    exact = Classifier(ClassifierConfig(engine="presidio"), AS_OF).classify(sample())
    assert fast == exact
    assert fast.ages.child == 3 and fast.ages.adult == 1
    assert "order_no" not in {c.name for c in fast.columns if not c.suspected}


def test_first_and_last_name_columns_hold_names() -> None:
    columns = [ColumnInfo("firstName"), ColumnInfo("lastName"), ColumnInfo("dob"), ColumnInfo("product")]
    rows = [("Emily", "Chen", "2015-03-04", "Widget"), ("Liam", "O'Brien", "2016-05-06", "Gadget"),
            ("Olivia", "Garcia", "2014-07-08", "Sprocket"), ("Noah", "Wong", "2013-09-10", "Gizmo")]
    result = Classifier(ClassifierConfig(), AS_OF).classify(
        Sample(AssetRef("t", AssetKind.TABLE, ("main", "students")), columns, rows, complete=True)
    )
    confirmed = {c.name: c.entity_types for c in result.columns if not c.suspected}
    assert confirmed["firstName"] == ("PERSON_NAME",) and confirmed["lastName"] == ("PERSON_NAME",)
    assert "product" not in confirmed  # capitalised words are names only where the column says so
    assert result.ages.child == 4
