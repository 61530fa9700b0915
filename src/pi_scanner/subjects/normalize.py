"""Canonical forms of the identifiers a subject request names, and their keyed fingerprints.

The index is filled from the classifier's ``Detection.normalized`` values and queried with what a
guardian types on the command line (``+86 138-0013-8000``, a 15-digit legacy ID, ``Ａ１２３`` in
full-width). Both sides pass through :func:`canonical` so that the two meet on one form:

* every kind: NFKC, surrounding space removed;
* ``resident_id`` (resident IDs, residence permits, PR cards, HK/Macau/Taiwan IDs): letters and digits
  only, upper case, a 15-digit legacy number upgraded to 18 digits;
* ``mobile``: digits only, ``+86``/``0086``/``86`` dropped;
* ``email``: lower case;
* ``student_no`` and ``passport`` (passports and travel permits): letters and digits only, upper case.

Nothing here logs or raises with the value itself: errors name the kind and what is wrong.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import unicodedata
from typing import Final, Literal, get_args

from pi_scanner.classify.checksums import hkid_check, mod11_2_valid, taiwan_id_valid, upgrade_legacy15
from pi_scanner.errors import UsageError
from pi_scanner.keys import keyed_hash

IdentifierKind = Literal["resident_id", "student_no", "mobile", "email", "passport"]

#: Every identifier kind, in a stable order.
KINDS: Final[tuple[str, ...]] = get_args(IdentifierKind)

#: Classifier entity type -> identifier kind indexed for subject requests.
ENTITY_KINDS: Final[dict[str, str]] = {
    "CN_RESIDENT_ID": "resident_id",
    "CN_RESIDENCE_PERMIT": "resident_id",
    "CN_PR_CARD": "resident_id",
    "HK_ID": "resident_id",
    "MO_ID": "resident_id",
    "TW_ID": "resident_id",
    "CN_STUDENT_NUMBER": "student_no",
    "CN_MOBILE": "mobile",
    "EMAIL_ADDRESS": "email",
    "CN_PASSPORT": "passport",
    "CN_TRAVEL_PERMIT": "passport",
}

#: Kinds that name one person (a phone or an e-mail may be a family's).
PERSONAL_KINDS: Final[frozenset[str]] = frozenset({"resident_id", "student_no", "passport"})

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+")
_STUDENT = re.compile(r"[GJ][0-9]{17}[0-9X]|L[0-9]{18}")
_PASSPORT = re.compile(
    r"E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}|K[0-9]{8}|MA[0-9]{7}"  # passports (incl. HK/MO SAR)
    r"|[HM][0-9]{8}(?:[0-9]{2})?|C[0-9]{8}|C[A-HJ-NP-Z][0-9]{7}|[0-9]{8}|[0-9]{10}[A-Z0-9]?"  # permits
)
_HK = re.compile(r"([A-Z]{1,2})([0-9]{6})([0-9A])")
_MO = re.compile(r"[157][0-9]{7}")
_TW = re.compile(r"[A-Z][1289][0-9]{8}")


class IdentifierError(UsageError):
    """An identifier given to a subject request does not validate (the message never holds it)."""


_NON_ALNUM = re.compile(r"[\W_]+")


def _alnum_upper(text: str) -> str:
    return _NON_ALNUM.sub("", text).upper()


def canonical(kind: str, value: str) -> str:
    """The canonical form of ``value`` as an identifier of ``kind`` (no validation).

    Args:
        kind: One of :data:`KINDS`.
        value: The identifier as typed or as stored.

    Raises:
        IdentifierError: ``kind`` is unknown.
    """
    if kind not in KINDS:
        raise IdentifierError(f"unknown identifier kind {kind!r}; expected one of {', '.join(KINDS)}")
    text = unicodedata.normalize("NFKC", value).strip()
    if kind == "email":
        return text.replace(" ", "").lower()
    if kind == "mobile":
        digits = "".join(ch for ch in text if ch.isdigit())
        # Country code 86 in any spelling (+86, 0086, 86); a bare 11-digit national number stays.
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
                return digits[len(prefix):]
        return digits
    compact = _alnum_upper(text)
    if kind == "resident_id" and len(compact) == 15 and compact.isdigit():
        return upgrade_legacy15(compact) or compact
    return compact


def _valid(kind: str, value: str) -> bool:
    if kind == "mobile":
        return _MOBILE.fullmatch(value) is not None
    if kind == "email":
        return _EMAIL.fullmatch(value) is not None
    if kind == "student_no":
        return _STUDENT.fullmatch(value) is not None
    if kind == "passport":
        return _PASSPORT.fullmatch(value) is not None
    # resident_id and permits
    if len(value) == 18 and value[:17].isdigit():
        return mod11_2_valid(value)
    hk = _HK.fullmatch(value)
    if hk:
        return hkid_check(hk.group(1), hk.group(2)) == hk.group(3)
    if _TW.fullmatch(value):
        return taiwan_id_valid(value)
    return _MO.fullmatch(value) is not None


def validate_identifier(kind: str, value: str, force: bool = False) -> str:
    """Canonicalise and validate an identifier given to a subject request.

    Args:
        kind: One of :data:`KINDS`.
        value: The identifier as typed.
        force: Accept a value that does not validate (a typo'd checksum still names the stored value).

    Returns:
        The canonical form.

    Raises:
        IdentifierError: Empty, or invalid for ``kind`` and ``force`` is False.
    """
    form = canonical(kind, value)
    if not form:
        raise IdentifierError(f"the {kind} given is empty")
    if not force and not _valid(kind, form):
        what = {
            "resident_id": "an 18-character ID with a valid check character (or 15 digits, HK/Macau/Taiwan ID)",
            "mobile": "an 11-digit mainland mobile number (+86 optional)",
            "email": "an e-mail address",
            "student_no": "a national student number (G/J + 18 characters, or L + 18 digits)",
            "passport": "a passport or travel-permit number",
        }[kind]
        raise IdentifierError(f"the {kind} given is not {what}; check it or pass --force")
    return form


def fingerprint(key: bytes, kind: str, canonical_value: str) -> str:
    """Keyed HMAC-SHA256 fingerprint of a canonical identifier (hex, 64 characters).

    Equal to ``keyed_hash(key, "subject-index", kind, canonical_value)`` (:func:`pi_scanner.keys.keyed_hash`),
    computed from a copy of an HMAC already keyed and fed the fixed parts: building the index hashes every
    identifier of every record, and the HMAC's key set-up was a third of that cost.

    Args:
        key: The catalog's HMAC key.
        kind: The identifier kind (part of the hash: a mobile and an 11-digit ID never collide).
        canonical_value: Output of :func:`canonical`.
    """
    mac = _keyed_prefix(key, kind).copy()
    data = canonical_value.encode("utf-8")
    mac.update(len(data).to_bytes(8, "big"))  # keyed_hash's framing of each part
    mac.update(data)
    return mac.hexdigest()


@functools.lru_cache(maxsize=32)
def _keyed_prefix(key: bytes, kind: str) -> hmac.HMAC:
    """An HMAC-SHA256 under ``key`` fed ``"subject-index"`` and ``kind`` as :func:`keyed_hash` frames them."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in ("subject-index", kind):
        data = part.encode("utf-8")
        mac.update(len(data).to_bytes(8, "big"))
        mac.update(data)
    return mac


#: What the index holds; a new version (v2: name + birth-date entries) re-indexes every asset like a new key.
INDEX_VERSION: Final = "v2"


def key_id(key: bytes) -> str:
    """A short id of the HMAC key and index version, stored with index rows.

    A rotated key, or an index built by a version that fingerprinted less (no name + birth-date entries
    before v2), forces a re-index; until then :func:`pi_scanner.subjects.index.is_built` says the index
    is not built for it, instead of lookups answering "nothing found".
    """
    return keyed_hash(key, "subject-index-key-id", INDEX_VERSION)[:16]
