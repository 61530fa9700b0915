"""Recognising ciphertext and hashes, so that an encrypted PI column is reported as encrypted (art. 13).

A column of Fernet tokens under the name ``sfzh`` is still identity-card data, but it is protected;
a column of bare 18-digit numbers is not. The tests here are deliberately conservative: plain words,
numbers and identifiers must never look encrypted.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterable

_FERNET = re.compile(r"gAAAAA[A-Za-z0-9_\-]{50,}={0,2}")
_PGP = re.compile(r"-----BEGIN PGP (?:MESSAGE|SIGNATURE|PUBLIC KEY BLOCK)-----")
_BCRYPT = re.compile(r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}")
_ARGON2 = re.compile(r"\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")
_CRYPT = re.compile(r"\$(?:1|5|6)\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}")
_PBKDF2 = re.compile(r"pbkdf2_sha(?:1|256|512)\$\d+\$[^$]+\$[A-Za-z0-9+/=]+")
_HEX_DIGEST = re.compile(r"(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})", re.IGNORECASE)
_PG_BYTEA_HEX = re.compile(r"\\x[0-9a-fA-F]{32,}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{22,}={0,2}|[A-Za-z0-9_\-]{22,}={0,2}")

#: Shannon entropy (bits per byte) above which decoded bytes are taken for ciphertext. Text and
#: numbers stay far below 6 on blocks of this size; ciphertext of 16+ bytes lies close to log2(len).
_MIN_BYTES = 16


def _entropy(data: bytes) -> float:
    counts = Counter(data)
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _random_bytes(data: bytes) -> bool:
    """Whether bytes look like ciphertext: close to the entropy of uniform random bytes of that length."""
    n = len(data)
    if n < _MIN_BYTES:
        return False
    # Expected entropy of n uniform bytes is about log2(min(n, 256)) minus a small-sample deficit.
    ceiling = math.log2(min(n, 256))
    printable = sum(32 <= b < 127 for b in data) / n
    # Mostly printable ASCII is text, whatever its entropy.
    return printable < 0.75 and _entropy(data) >= ceiling * 0.8


def looks_encrypted(value: object) -> str | None:
    """Say whether one value looks like ciphertext or a hash, and of which kind.

    Args:
        value: A cell value: ``str``, ``bytes`` or anything else (numbers never look encrypted).

    Returns:
        ``fernet``, ``pgp``, ``pgcrypto``, ``bcrypt``, ``argon2``, ``crypt``, ``pbkdf2``,
        ``hex_digest``, ``base64`` or ``binary``; None when the value looks like plaintext.
    """
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        # pgcrypto's pgp_sym_encrypt output starts with an OpenPGP packet tag (0xc3 = symmetric key packet).
        if data[:1] in (b"\xc3", b"\xc1") and len(data) >= 32:
            return "pgcrypto"
        return "binary" if _random_bytes(data) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 20:
        return None
    if _FERNET.fullmatch(text):
        return "fernet"
    if _PGP.match(text):
        return "pgp"
    if _BCRYPT.fullmatch(text):
        return "bcrypt"
    if _ARGON2.fullmatch(text):
        return "argon2"
    if _CRYPT.fullmatch(text):
        return "crypt"
    if _PBKDF2.fullmatch(text):
        return "pbkdf2"
    if _PG_BYTEA_HEX.fullmatch(text):
        raw = bytes.fromhex(text[2:]) if len(text) % 2 == 0 else b""
        if raw[:1] in (b"\xc3", b"\xc1") or _random_bytes(raw):
            return "pgcrypto"
        return None
    # A digest uses most of the 16 hex symbols, letters and digits alike; ``aaaa…`` or ``0000…`` do not.
    if _HEX_DIGEST.fullmatch(text) and len(set(text.lower())) >= 10 and not text.isdigit():
        return "hex_digest"
    if _BASE64.fullmatch(text):
        return _base64_kind(text)
    return None


def _base64_kind(text: str) -> str | None:
    # Ciphertext from block ciphers and AEADs decodes to a length that is a multiple of the block or
    # carries an IV and tag; plain identifiers (camelCase words, digits) are neither random nor aligned.
    if text.isdigit() or text.isalpha():
        return None
    padded = text + "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        try:
            raw = base64.urlsafe_b64decode(padded)
        except (binascii.Error, ValueError):
            return None
    if len(raw) < _MIN_BYTES or (len(raw) % 16 not in (0, 12) and len(raw) % 8 != 0 and len(raw) < 28):
        return None
    return "base64" if _random_bytes(raw) else None


def encrypted_share(values: Iterable[object]) -> tuple[float, str | None]:
    """Share of non-empty values that look encrypted, and the most common kind.

    Args:
        values: Cell values of one column.

    Returns:
        ``(share, kind)``; share 0.0 and kind None for an empty column.
    """
    kinds: Counter[str] = Counter()
    seen = 0
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        seen += 1
        kind = looks_encrypted(v)
        if kind:
            kinds[kind] += 1
    if not seen:
        return 0.0, None
    total = sum(kinds.values())
    return total / seen, (kinds.most_common(1)[0][0] if kinds else None)


def column_encrypted(values: Iterable[object], threshold: float = 0.6) -> bool:
    """Whether most non-empty values of a column look encrypted or hashed."""
    share, _ = encrypted_share(values)
    return share >= threshold
