import datetime as dt
import re

import regex

from pi_scanner.classify.recognizers import ENTITY_TYPES, IDENTIFIER_RECOGNIZERS, default_recognizers
from pi_scanner.classify.recognizers.base import Recognizer

AS_OF = dt.date(2026, 3, 15)


def test_default_set_contains_identifiers_and_optional_ones():
    recs = default_recognizers(AS_OF)
    names = {type(r).__name__ for r in recs}
    assert {cls.__name__ for cls in IDENTIFIER_RECOGNIZERS} <= names
    assert all(isinstance(r, Recognizer) and r.as_of == AS_OF for r in recs)
    assert {r.ENTITY for r in recs} <= set(ENTITY_TYPES)
    assert len(ENTITY_TYPES) == len(set(ENTITY_TYPES)) == 21


def test_identifier_patterns_are_portable_and_bounded():
    nested = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")
    for cls in IDENTIFIER_RECOGNIZERS:
        for p in cls.PATTERNS:
            re.compile(p.regex)
            regex.compile(p.regex)
            assert not nested.search(p.regex), (cls.__name__, p.name)
            assert "\\s" not in p.regex and "\\d" not in p.regex, (cls.__name__, p.name)
