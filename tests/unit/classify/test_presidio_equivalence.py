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
