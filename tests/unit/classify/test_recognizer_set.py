import datetime as dt
import importlib
import pkgutil
import re

import pytest
import regex

from pi_scanner.classify import entities, recognizers
from pi_scanner.classify.column_names import name_hints
from pi_scanner.classify.recognizers import (
    ENTITY_TYPES,
    IDENTIFIER_RECOGNIZERS,
    RECOGNIZER_CLASSES,
    default_recognizers,
)
from pi_scanner.classify.recognizers.base import Recognizer

AS_OF = dt.date(2026, 3, 15)


def test_default_set_contains_identifiers_and_optional_ones():
    recs = default_recognizers(AS_OF)
    names = {type(r).__name__ for r in recs}
    assert {cls.__name__ for cls in IDENTIFIER_RECOGNIZERS} <= names
    assert all(isinstance(r, Recognizer) and r.as_of == AS_OF for r in recs)
    assert {r.ENTITY for r in recs} == set(ENTITY_TYPES)
    assert len(ENTITY_TYPES) == len(set(ENTITY_TYPES))


def test_every_recognizer_module_is_in_the_set():
    # No optional imports: a recognizer module that exists is run (or the set fails to import).
    classes = set(RECOGNIZER_CLASSES)
    for info in pkgutil.iter_modules(recognizers.__path__):
        if info.name == "base":
            continue
        mod = importlib.import_module(f"{recognizers.__name__}.{info.name}")
        own = [c for c in vars(mod).values()
               if isinstance(c, type) and issubclass(c, Recognizer) and c.__module__ == mod.__name__ and c.ENTITY]
        assert own and set(own) <= classes, info.name


def test_every_registered_entity_has_a_recognizer_or_a_name_hint():
    for e in entities.ENTITIES:
        assert e.name in ENTITY_TYPES or e.tokens or e.pairs or e.cjk, e.name
        assert e.category in entities.CATEGORIES


def test_every_recognized_entity_is_registered():
    assert set(ENTITY_TYPES) <= set(entities.BY_NAME)


@pytest.mark.parametrize("e", entities.ENTITIES, ids=lambda e: e.name)
def test_name_hints_reach_their_entity(e):
    # Every declared hint word really produces its entity through the column-name tokenizer.
    for token in e.tokens:
        assert e.name in name_hints(token).entities, (e.name, token)
    for a, b in e.pairs:
        assert e.name in name_hints(f"{a}_{b}").entities, (e.name, a, b)
    for word in e.cjk:
        assert e.name in name_hints(word).entities, (e.name, word)


def test_identifier_patterns_are_portable_and_bounded():
    nested = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")
    for cls in IDENTIFIER_RECOGNIZERS:
        for p in cls.PATTERNS:
            re.compile(p.regex)
            regex.compile(p.regex)
            assert not nested.search(p.regex), (cls.__name__, p.name)
            assert "\\s" not in p.regex and "\\d" not in p.regex, (cls.__name__, p.name)
