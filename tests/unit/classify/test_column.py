"""Column verdicts, with hand-made detections standing in for the recognizers."""

import datetime as dt

from pi_scanner.classify.column import analyse_column, with_articles
from pi_scanner.classify.column_names import name_hints
from pi_scanner.classify.dates import parse_birth_date, resolve_dayfirst
from pi_scanner.classify.recognizers.base import Detection, Facts
from pi_scanner.models import ColumnInfo

ID_CHILD = "110105201503041239"


def _whole(entity: str, text: str, **facts: object) -> list[Detection]:
    return [Detection(entity, 0, len(text), 0.9, Facts(**facts), text)]  # type: ignore[arg-type]


def _ids(values: list[str], valid: set[str]) -> list[list[Detection]]:
    return [_whole("CN_RESIDENT_ID", v) if v in valid else [] for v in values]


def _dates(text: str, dayfirst: bool | None) -> tuple[dt.date, dt.date] | None:
    p = parse_birth_date(text, date_column=True, dayfirst=dayfirst)
    return None if p is None else (p.earliest, p.latest)


def test_share_of_validated_values_confirms_a_column() -> None:
    values = [ID_CHILD, "440305201203150318", "330106202011110025", "", None, "junk"]
    v = analyse_column(ColumnInfo("sfzh"), values, _ids(values, set(values[:3])), name_hints("sfzh"))
    assert v.finding is not None and not v.finding.suspected
    assert v.finding.entity_types == ("CN_RESIDENT_ID",)
    assert v.finding.sampled == 4 and v.finding.matched == 3
    assert 0.75 < v.finding.confidence <= 1
    assert "CN_RESIDENT_ID" in v.accepted
    assert v.finding.masked_examples == ()


def test_one_valid_looking_value_does_not_flag_an_unhinted_column() -> None:
    values = [f"20240315{i:010d}" for i in range(30)] + [ID_CHILD]
    v = analyse_column(ColumnInfo("ref"), values, _ids(values, {ID_CHILD}), name_hints("ref"))
    assert v.finding is None and not v.accepted
    assert all(not c for c in v.cells)  # the lone ID is not evidence about the row either


def test_ids_in_an_order_number_column_are_only_possible() -> None:
    values = [ID_CHILD, "440305201203150318", *(f"9{i:017d}" for i in range(3))]
    v = analyse_column(ColumnInfo("order_no"), values, _ids(values, set(values[:2])), name_hints("order_no"))
    assert v.finding is not None and v.finding.suspected
    assert v.finding.confidence <= 0.2 and v.finding.matched == 0
    assert not v.accepted and all(not c for c in v.cells)
    one = analyse_column(ColumnInfo("order_no"), values, _ids(values, {ID_CHILD}), name_hints("order_no"))
    assert one.finding is None


def test_name_hint_alone_is_suspected_and_capped() -> None:
    v = analyse_column(ColumnInfo("jhr_sfzh"), [None, ""], [[], []], name_hints("jhr_sfzh"))
    assert v.finding is not None
    assert v.finding.suspected and v.finding.confidence <= 0.5
    assert v.finding.subject_role == "guardian"
    assert v.finding.entity_types == ("CN_RESIDENT_ID",)
    values = ["n/a", "unknown", "-"]
    v2 = analyse_column(ColumnInfo("sfzh"), values, [[], [], []], name_hints("sfzh"))
    assert v2.finding is not None and v2.finding.suspected
    assert v2.finding.confidence < v.finding.confidence


def test_unhinted_column_needs_half_the_values() -> None:
    values = [ID_CHILD, "440305201203150318"] + ["x"] * 4
    dets = _ids(values, set(values[:2]))
    assert analyse_column(ColumnInfo("c1"), values, dets, name_hints("c1")).finding is None
    v = analyse_column(ColumnInfo("sfzh"), values, dets, name_hints("sfzh"))
    assert v.finding is not None and not v.finding.suspected


def test_hotline_on_every_row_is_organisation_data() -> None:
    values = ["010-62345678"] * 20
    dets = [_whole("CN_LANDLINE", v) for v in values]
    v = analyse_column(ColumnInfo("school_tel"), values, dets, name_hints("school_tel"))
    assert v.organisation == ("CN_LANDLINE",)
    assert "CN_LANDLINE" not in v.accepted
    distinct = [f"1380013{i:04d}" for i in range(20)]
    v2 = analyse_column(
        ColumnInfo("mobile"), distinct, [_whole("CN_MOBILE", x) for x in distinct], name_hints("mobile")
    )
    assert v2.accepted == {"CN_MOBILE"} and v2.organisation == ()


def test_bare_dates_are_birth_dates_only_in_birth_columns() -> None:
    values = ["2015-03-04", "2020-11-11", "2019-01-01"]
    dets = [_whole("DATE_OF_BIRTH", x, birth_date=dt.date.fromisoformat(x), tier="A") for x in values]
    created = analyse_column(ColumnInfo("created_at"), values, dets, name_hints("created_at"))
    assert created.finding is None
    dob = analyse_column(ColumnInfo("csrq"), values, dets, name_hints("csrq"))
    assert dob.accepted == {"DATE_OF_BIRTH"}


def test_compact_epoch_and_dd_mm_dates_parsed_in_birth_columns() -> None:
    values = ["20150304", "1425398400", "13/02/2016", "04/03/2015", dt.date(2012, 3, 15)]
    v = analyse_column(
        ColumnInfo("birth_date"), values, [[] for _ in values], name_hints("birth_date"),
        parse_date=_dates, resolve_dayfirst=resolve_dayfirst,
    )
    got = [c[0].facts.birth_date for c in v.cells]
    assert got == [
        dt.date(2015, 3, 4), dt.date(2015, 3, 4), dt.date(2016, 2, 13), dt.date(2015, 3, 4),
        dt.date(2012, 3, 15),
    ]
    same = analyse_column(
        ColumnInfo("ref_no"), values, [[] for _ in values], name_hints("ref_no"),
        parse_date=_dates, resolve_dayfirst=resolve_dayfirst,
    )
    assert same.finding is None


def test_person_names_by_column_shape() -> None:
    def shape(v: str) -> bool:
        return len(v) in (2, 3) and v[0] in "王李张刘陈"

    names = ["王小明", "李华", "张伟", "刘洋", "陈一诺", "王芳", "李娜", "张敏", "刘静", "陈杰"]
    hinted = analyse_column(ColumnInfo("xm"), [*names[:8], "abc", "def"], [[]] * 10, name_hints("xm"),
                            looks_like_name=shape)
    assert "PERSON_NAME" in hinted.accepted  # 80% in a hinted column
    unhinted = analyse_column(ColumnInfo("c2"), [*names[:8], "abc", "def"], [[]] * 10, name_hints("c2"),
                              looks_like_name=shape)
    assert unhinted.finding is None  # 80% is not enough without a hint
    full = analyse_column(ColumnInfo("c2"), names, [[]] * 10, name_hints("c2"), looks_like_name=shape)
    assert "PERSON_NAME" in full.accepted


def test_free_text_spill_weak_needs_two_hits_checksum_ids_one() -> None:
    plain = "今天表现很好，按时完成作业，继续加油" * 2
    notes = [f"家长说孩子身份证是{ID_CHILD}请核对信息谢谢老师" if i in (1, 5) else plain for i in range(20)]
    dets = [[Detection("CN_RESIDENT_ID", 9, 27, 0.8, Facts(), ID_CHILD)] if "身份证" in t else [] for t in notes]
    v = analyse_column(ColumnInfo("remark"), notes, dets, name_hints("remark"))
    assert v.free_text and "CN_RESIDENT_ID" in v.accepted
    # One checksum-valid ID spilled into notes is a finding (Art. 11), not noise.
    one = [d if i == 1 else [] for i, d in enumerate(dets)]
    assert "CN_RESIDENT_ID" in analyse_column(ColumnInfo("remark"), notes, one, name_hints("remark")).accepted
    # One weak hit (a stated age) in a column of many is noise.
    age = [[Detection("AGE_TEXT", 0, 2, 0.8, Facts(age_interval=(8, 8), tier="B"), "")] if i == 1 else []
           for i in range(20)]
    weak = analyse_column(ColumnInfo("remark"), notes, age, name_hints("remark"))
    assert "AGE_TEXT" not in weak.accepted
    # The remark column itself is the pupil's PI (free text about a person), confirmed by its values.
    assert weak.finding is not None and weak.finding.entity_types == ("FREE_TEXT",) and not weak.finding.suspected
    assert analyse_column(ColumnInfo("col_9"), notes, age, name_hints("col_9")).finding is None


def test_masked_examples_only_when_asked() -> None:
    values = [ID_CHILD, "440305201203150318"]
    v = analyse_column(ColumnInfo("sfzh"), values, _ids(values, set(values)), name_hints("sfzh"),
                       show_examples=True, max_examples=1)
    assert v.finding is not None
    assert v.finding.masked_examples == ("110105********1239",)
    assert ID_CHILD not in repr(v.finding)


def test_encrypted_column_keeps_its_hint() -> None:
    from cryptography.fernet import Fernet

    f = Fernet(Fernet.generate_key())
    values = [f.encrypt(ID_CHILD.encode()).decode() for _ in range(5)]
    v = analyse_column(ColumnInfo("sfzh"), values, [[]] * 5, name_hints("sfzh"))
    assert v.encrypted and v.finding is not None
    assert v.finding.encrypted and v.finding.suspected
    assert v.finding.confidence == 0.45


def test_articles() -> None:
    values = [ID_CHILD, "440305201203150318"]
    v = analyse_column(ColumnInfo("sfzh"), values, _ids(values, set(values)), name_hints("sfzh"))
    assert v.finding is not None
    assert v.finding.articles == ()  # decided once the asset's child status is known
    assert with_articles(v.finding, children=True).articles == (9, 11, 12, 13)
    assert with_articles(v.finding, children=False).articles == ()
