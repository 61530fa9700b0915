import datetime as dt
import socket

import pytest
from corpus_ids import corpus

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.presidio_engine import PresidioEngine
from pi_scanner.classify.recognizers import default_recognizers

AS_OF = dt.date(2026, 3, 15)
RECS = default_recognizers(AS_OF)
FAST = FastEngine(RECS)


@pytest.fixture(scope="module")
def presidio():
    return PresidioEngine(RECS)


@pytest.mark.parametrize("context", [(), ("order_no",), ("身份证号",), ("bank_card",), ("csyxzm",)])
def test_fast_equals_presidio_per_cell(presidio, context):
    cells = corpus(n=400, seed=11)
    fast = FAST.detect_column(cells, context)
    differ = []
    for cell, got in zip(cells, fast, strict=True):
        want = presidio.analyze_cell(normalize_cell(cell), context)
        if got != want or [d.normalized for d in got] != [d.normalized for d in want]:
            differ.append(cell)
    assert not differ, differ[:5]
    assert sum(1 for dets in fast if dets) > 150  # the comparison covers real detections


def test_registry_holds_only_our_recognizers(presidio):
    names = {type(r).__name__ for r in presidio.analyzer.registry.recognizers}
    assert names == {"RecognizerAdapter"}
    assert len(presidio.analyzer.registry.recognizers) == len(RECS)
    assert set(presidio.analyzer.get_supported_entities("zh")) == {r.ENTITY for r in RECS}


def test_facts_survive_presidio(presidio):
    d = next(x for x in presidio.analyze_cell("110105201503041239") if x.entity == "CN_RESIDENT_ID")
    assert d.facts.birth_date == dt.date(2015, 3, 4) and d.facts.tier == "A"


def test_works_without_network(presidio, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    engine = PresidioEngine(RECS, language="en")
    assert engine.analyze_cell("mail: li@qq.com", ("email",))[0].entity == "EMAIL_ADDRESS"
    import tldextract.tldextract

    assert tldextract.tldextract.TLD_EXTRACTOR.suffix_list_urls == ()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_blank_spacy_pipeline_gives_the_same_detections_offline(language, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    blank = PresidioEngine(RECS, language=language, nlp="blank")
    noop = PresidioEngine(RECS, language=language)
    assert type(blank.analyzer.nlp_engine).__name__ == "BlankSpacyNlpEngine"
    cells = [normalize_cell(c) for c in corpus(n=150, seed=5)]
    for context in ((), ("身份证号",)):
        assert [blank.analyze_cell(c, context) for c in cells] == [noop.analyze_cell(c, context) for c in cells]


def test_unknown_nlp_engine_is_refused():
    with pytest.raises(ValueError, match="noop"):
        PresidioEngine(RECS, nlp="en_core_web_lg")


def _attribute_cells(n: int, seed: int) -> list[str]:
    """Random values of the §A9 attribute recognizers, bare and inside prose, with near misses."""
    import random
    import string

    from test_attribute_recognizers import ROWS

    from pi_scanner.classify.recognizers.ethnicity import ETHNIC_GROUPS
    from pi_scanner.classify.recognizers.political import AFFILIATIONS

    r = random.Random(seed)
    b64 = string.ascii_letters + string.digits + "_-"

    def luhn15() -> str:
        body = r.choice(("86", "35", "99")) + "".join(r.choice(string.digits) for _ in range(12))
        for last in string.digits:
            digits = [int(c) for c in body + last]
            total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
            if total % 10 == 0:
                return body + last
        raise AssertionError

    makers = [
        lambda: ".".join(str(r.randrange(256)) for _ in range(4)),
        lambda: ":".join(f"{r.randrange(65536):x}" for _ in range(8)),
        lambda: ":".join(f"{r.randrange(256):02X}" for _ in range(6)),
        luhn15,
        lambda: "o" + "".join(r.choice(b64) for _ in range(27)),
        lambda: "".join(r.choice("0123456789abcdef") for _ in range(r.choice((16, 32, 40, 64)))),
        lambda: f"up/{r.randrange(9999)}/{r.choice(('a', '张三'))}.{r.choice(('jpg', 'png', 'mp3', 'amr', 'pdf'))}",
        lambda: r.choice(("男", "女", "M", "F", "Male", "female", "0", "1", "2")),
        lambda: r.choice(ETHNIC_GROUPS) + "族" + r.choice(("", "馆", "人")),
        lambda: r.choice(("佛教", "基督教", "Muslim", "Christian", "无宗教信仰")),
        lambda: r.choice(("A", "B", "AB", "O")) + r.choice(("型", "型血", "+", "-", " Rh+", "")),
        lambda: r.choice(("对花生过敏", "asthma", "已接种疫苗", "allergic to nuts")),
        lambda: f"{r.choice(('', '¥', '学费'))}{r.randrange(100000)}.{r.randrange(100):02d}{r.choice(('', '元'))}",
        lambda: f"{r.uniform(-90, 90):.6f},{r.uniform(-180, 180):.6f}",
        lambda: r.choice("京沪粤浙") + r.choice("ABCDEFGHIJ") + "".join(r.choice("0123456789ABD") for _ in range(5)),
        lambda: r.choice(AFFILIATIONS) + r.choice(("", "，人民群众")),
        lambda: r.choice(("农业户口", "非农业", "城镇户籍", "农业")),
        lambda: "Bearer " + "".join(r.choice(b64) for _ in range(32)),
        lambda: f"QQ {r.randrange(10**4, 10**10)}",
    ]
    cells = [t for _, t, _, _ in ROWS]
    for _ in range(n):
        value = r.choice(makers)()
        cells.append(value if r.random() < 0.6 else f"备注：{value}，谢谢 {r.choice(makers)()}")
    return cells


@pytest.mark.parametrize(
    "context",
    [(), ("imei",), ("android_id",), ("password",), ("qq",), ("tuition_fee",), ("xbm",), ("blood_group",)],
)
def test_fast_equals_presidio_on_attribute_recognizers(presidio, context):
    cells = _attribute_cells(600, seed=7)
    fast = FAST.detect_column(cells, context)
    differ = []
    for cell, got in zip(cells, fast, strict=True):
        want = presidio.analyze_cell(normalize_cell(cell), context)
        if got != want or [d.normalized for d in got] != [d.normalized for d in want]:
            differ.append(cell)
    assert not differ, differ[:5]
    assert sum(1 for dets in fast if dets) > 300
