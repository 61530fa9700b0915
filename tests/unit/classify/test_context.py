import datetime as dt

from pi_scanner.classify.context import POSSIBLE_SCORE, apply_context, column_context, context_boost
from pi_scanner.classify.recognizers.base import Facts
from pi_scanner.classify.recognizers.birth_certificate import BirthCertificateRecognizer
from pi_scanner.classify.recognizers.resident_id import ResidentIdRecognizer

AS_OF = dt.date(2026, 3, 15)


def test_window_is_character_based_for_chinese():
    text = "学生身份证号码为110105201503041239"
    start = text.index("1")
    assert context_boost(text, start, len(text), ["身份证"])
    assert not context_boost(text, start, len(text), ["护照"])
    far = "身份证" + "。" * 40 + "110105201503041239"
    assert not context_boost(far, 43, len(far), ["身份证"], window=30)


def test_match_is_not_its_own_context():
    assert not context_boost("order", 0, 5, ["order"])


def test_column_tokens():
    assert column_context(["parent2_phone1"], ["phone"])
    assert column_context(["guardianPhone"], ["phone"])
    assert column_context(["学生身份证号"], ["身份证"])
    assert not column_context(["border_color"], ["order"])
    assert column_context(["order_no"], ["order"])
    assert column_context(["birth_cert_no"], ["birth_cert"])
    assert not column_context([], ["order"])


def test_negative_context_makes_possible_id():
    rec = ResidentIdRecognizer(AS_OF)
    facts = Facts(birth_date=dt.date(2015, 3, 4), tier="A")
    text = "订单号110105201503041239"
    score, out = apply_context(rec, text, 3, len(text), 0.85, facts)
    assert score == POSSIBLE_SCORE and out.tier is None and out.kind == "possible"
    score, out = apply_context(rec, "110105201503041239", 0, 18, 0.85, facts, ("trade_no",))
    assert score == POSSIBLE_SCORE and out.tier is None
    score, out = apply_context(rec, "110105201503041239", 0, 18, 0.85, facts, ("sfzh",))
    assert score == 1.0 and out.tier == "A"


def test_requires_context():
    rec = BirthCertificateRecognizer(AS_OF)
    assert apply_context(rec, "X320101001", 0, 10, 0.4, Facts()) is None
    assert apply_context(rec, "出生证X320101001", 3, 13, 0.4, Facts()) is not None


def test_words_anywhere_is_a_necessary_condition():
    from pi_scanner.classify.context import words_anywhere

    text = "备注：台胞证 12345678；TBZ"
    assert words_anywhere(["台胞证"], text, text.lower())
    assert words_anywhere(["tbz"], text, text.lower())
    assert not words_anywhere(["出生证", "csyxzm"], text, text.lower())
