"""Canonical identifier forms and validation."""

from __future__ import annotations

import pytest

from pi_scanner.subjects.normalize import IdentifierError, canonical, fingerprint, key_id, validate_identifier

KEY = b"k" * 32


@pytest.mark.parametrize(("kind", "raw", "expected"), [
    ("resident_id", "110105 20150307 001x", "11010520150307001X"),
    ("resident_id", "１１０１０５２０１５０３０７００１３", "110105201503070013"),
    ("resident_id", "110105150307001", "110105191503070017"),  # legacy 15 digits upgraded to 18
    ("mobile", "+86 138-0013-8000", "13800138000"),
    ("mobile", "0086 13800138000", "13800138000"),
    ("mobile", "138 0013 8000", "13800138000"),
    ("email", " Zhang.Wei@Example.COM ", "zhang.wei@example.com"),
    ("student_no", "g110105-201503070013", "G110105201503070013"),
    ("passport", "e 1234 5678", "E12345678"),
])
def test_canonical(kind: str, raw: str, expected: str) -> None:
    assert canonical(kind, raw) == expected


@pytest.mark.parametrize(("kind", "raw"), [
    ("resident_id", "110105201503070013"),
    ("resident_id", "810000201503070019"[:17] + "X"),
    ("mobile", "+8613800138000"),
    ("email", "a@b.cn"),
    ("student_no", "G110105201503070013"),
    ("passport", "E12345678"),
])
def test_valid_identifiers(kind: str, raw: str) -> None:
    from pi_scanner.classify.checksums import mod11_2_check

    if raw.startswith("81"):
        raw = raw[:17] + (mod11_2_check(raw[:17]) or "")
    assert validate_identifier(kind, raw)


@pytest.mark.parametrize(("kind", "raw"), [
    ("resident_id", "110105201503070011"),  # wrong check character
    ("mobile", "12800138000"),
    ("email", "not-an-email"),
    ("student_no", "S12345"),
    ("passport", "X1"),
    ("mobile", "   "),
])
def test_invalid_identifiers_fail_without_the_value(kind: str, raw: str) -> None:
    with pytest.raises(IdentifierError) as info:
        validate_identifier(kind, raw)
    assert raw.strip() == "" or raw not in str(info.value)


def test_force_accepts_a_typo_and_unknown_kind_fails() -> None:
    assert validate_identifier("resident_id", "110105201503070011", force=True) == "110105201503070011"
    with pytest.raises(IdentifierError):
        canonical("shoe_size", "42")


def test_fingerprints_are_keyed_and_kind_scoped() -> None:
    a = fingerprint(KEY, "mobile", "13800138000")
    assert a == fingerprint(KEY, "mobile", canonical("mobile", "+86 138 0013 8000"))
    assert a != fingerprint(b"z" * 32, "mobile", "13800138000")
    assert a != fingerprint(KEY, "resident_id", "13800138000")
    assert "13800138000" not in a and len(a) == 64
    assert key_id(KEY) != key_id(b"z" * 32)


def test_fingerprint_is_the_keyed_hash_of_its_parts() -> None:
    from pi_scanner.keys import keyed_hash
    from pi_scanner.subjects.normalize import fingerprint
    from pi_scanner.subjects.person import name_dob_fingerprint

    for key in (b"k" * 32, b"another-key-0123456789"):
        for kind, value in (("resident_id", "110105201503041239"), ("mobile", "13800138000"), ("email", "é@x.cn")):
            assert fingerprint(key, kind, value) == keyed_hash(key, "subject-index", kind, value)
        assert name_dob_fingerprint(key, "王小明", "2015-03-04") == keyed_hash(
            key, "subject-index", "name_dob", "王小明\x1f2015-03-04")
