import base64
import hashlib
import os
import random

import pytest
from cryptography.fernet import Fernet

from pi_scanner.classify.encrypted import column_encrypted, encrypted_share, looks_encrypted

_RNG = random.Random(7)


def _rand(n: int) -> bytes:
    return bytes(_RNG.getrandbits(8) for _ in range(n))


def test_fernet_token_of_an_id() -> None:
    token = Fernet(Fernet.generate_key()).encrypt(b"110105201503041239").decode()
    assert looks_encrypted(token) == "fernet"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("-----BEGIN PGP MESSAGE-----\n\nhQEMA...\n-----END PGP MESSAGE-----", "pgp"),
        ("$2b$12$" + "a" * 22 + "Qw3rTy7uIoPaSdFgHjKlZxCvBnM1234", "bcrypt"),
        ("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "argon2"),
        ("$6$saltsalt$" + "x" * 86, "crypt"),
        ("$5$rounds=5000$abc$" + "Y" * 43, "crypt"),
        (hashlib.md5(b"13800138000").hexdigest(), "hex_digest"),
        (hashlib.sha1(b"13800138000").hexdigest(), "hex_digest"),
        (hashlib.sha256(b"13800138000").hexdigest(), "hex_digest"),
        ("\\xc30d04070302" + _rand(40).hex(), "pgcrypto"),
        (b"\xc3\x0d\x04\x07\x03\x02" + _rand(40), "pgcrypto"),
        (base64.b64encode(_rand(32)).decode(), "base64"),
        (base64.b64encode(_rand(48)).decode(), "base64"),
        (_rand(64), "binary"),
    ],
)
def test_kinds(value: object, kind: str) -> None:
    assert looks_encrypted(value) == kind


@pytest.mark.parametrize(
    "value",
    [
        "110105201503041239", "13800138000", "张伟", "2015-03-04", "北京市朝阳区建国路88号3栋2单元501室",
        "someone@example.com", "ThisIsAPlainCamelCaseIdentifier", "1767612345678901248",
        "2024031522001412345678901234", "91110000600037341L", "hello world this is a sentence",
        "SGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ=",  # base64 of plain English text
        b"plain bytes of text, not random at all", 12345, None, "", "   ",
        "a" * 40, "0" * 64, "INV20150304001", "c9f0f895-fb98-4b3c-a1b2-12345678abcd",
    ],
)
def test_plaintext_is_not_encrypted(value: object) -> None:
    assert looks_encrypted(value) is None


def test_column_share() -> None:
    f = Fernet(Fernet.generate_key())
    tokens: list[object] = [f.encrypt(os.urandom(9)).decode() for _ in range(9)]
    values = [*tokens, "110105201503041239", None, ""]
    share, kind = encrypted_share(values)
    assert kind == "fernet"
    assert share == pytest.approx(0.9)
    assert column_encrypted(values)
    plain = ["110105201503041239"] * 7 + tokens[:3]
    assert not column_encrypted(plain)
    assert encrypted_share([None, ""]) == (0.0, None)
