"""The recognizer set: one module per identifier or age signal.

:func:`default_recognizers` builds the set both engines run. The age-text, date, school, class,
guardian, name and address recognizers are written in parallel with the identifier ones; until each
lands its import fails and it is simply left out (see :data:`_OPTIONAL`). Once they are all
committed these imports become plain imports.
"""

from __future__ import annotations

import datetime as dt
import importlib

from pi_scanner.classify.recognizers.bank_card import BankCardNoLuhnRecognizer, BankCardRecognizer
from pi_scanner.classify.recognizers.base import Detection, Facts, PatternDef, Recognizer
from pi_scanner.classify.recognizers.birth_certificate import BirthCertificateRecognizer
from pi_scanner.classify.recognizers.email import EmailRecognizer
from pi_scanner.classify.recognizers.hk_id import HkIdRecognizer
from pi_scanner.classify.recognizers.landline import LandlineRecognizer
from pi_scanner.classify.recognizers.macau_id import MacauIdRecognizer
from pi_scanner.classify.recognizers.mobile import MobileRecognizer
from pi_scanner.classify.recognizers.resident_id import (
    PrCardRecognizer,
    ResidencePermitRecognizer,
    ResidentIdRecognizer,
)
from pi_scanner.classify.recognizers.student_number import StudentNumberRecognizer
from pi_scanner.classify.recognizers.taiwan_id import TaiwanIdRecognizer
from pi_scanner.classify.recognizers.travel_document import (
    PassportRecognizer,
    TaiwanCompatriotPermitRecognizer,
    TravelPermitRecognizer,
)

IDENTIFIER_RECOGNIZERS: tuple[type[Recognizer], ...] = (
    ResidentIdRecognizer,
    ResidencePermitRecognizer,
    PrCardRecognizer,
    StudentNumberRecognizer,
    MobileRecognizer,
    LandlineRecognizer,
    PassportRecognizer,
    TravelPermitRecognizer,
    TaiwanCompatriotPermitRecognizer,
    HkIdRecognizer,
    TaiwanIdRecognizer,
    MacauIdRecognizer,
    BankCardRecognizer,
    BankCardNoLuhnRecognizer,
    EmailRecognizer,
    BirthCertificateRecognizer,
)

#: (module, class) of the age-signal recognizers written alongside; imported when present.
_OPTIONAL: tuple[tuple[str, str], ...] = (
    ("birth_date", "BirthDateRecognizer"),
    ("age_text", "AgeTextRecognizer"),
    ("grade_class", "GradeClassRecognizer"),
    ("school", "SchoolRecognizer"),
    ("guardian", "GuardianRecognizer"),
    ("person_name", "PersonNameRecognizer"),
    ("address", "AddressRecognizer"),
)

#: Every entity type a recognizer of this package can report.
ENTITY_TYPES: tuple[str, ...] = (
    "CN_RESIDENT_ID",
    "CN_RESIDENCE_PERMIT",
    "CN_PR_CARD",
    "CN_STUDENT_NUMBER",
    "CN_MOBILE",
    "CN_LANDLINE",
    "CN_PASSPORT",
    "CN_TRAVEL_PERMIT",
    "HK_ID",
    "TW_ID",
    "MO_ID",
    "CN_BANK_CARD",
    "EMAIL_ADDRESS",
    "CN_BIRTH_CERTIFICATE",
    "DATE_OF_BIRTH",
    "AGE_TEXT",
    "GRADE_CLASS",
    "SCHOOL_NAME",
    "GUARDIAN_RELATION",
    "PERSON_NAME",
    "CN_ADDRESS",
)


def optional_recognizer_classes() -> list[type[Recognizer]]:
    """The age-signal recognizer classes that are importable right now."""
    found: list[type[Recognizer]] = []
    for module, cls_name in _OPTIONAL:
        try:
            mod = importlib.import_module(f"{__name__}.{module}")
        except ImportError:
            # Not written yet (developed in parallel): the set works without it.
            continue
        cls = getattr(mod, cls_name, None)
        if isinstance(cls, type) and issubclass(cls, Recognizer):
            found.append(cls)
    return found


def default_recognizers(as_of: dt.date) -> list[Recognizer]:
    """All recognizers, constructed for the reference date ``as_of``.

    Args:
        as_of: Reference date: birth dates after it are rejected and ages are computed on it.

    Returns:
        Identifier recognizers followed by the age-signal ones that are installed.
    """
    classes = [*IDENTIFIER_RECOGNIZERS, *optional_recognizer_classes()]
    return [cls(as_of) for cls in classes]


__all__ = [
    "ENTITY_TYPES",
    "IDENTIFIER_RECOGNIZERS",
    "Detection",
    "Facts",
    "PatternDef",
    "Recognizer",
    "default_recognizers",
]
