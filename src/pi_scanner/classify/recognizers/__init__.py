"""The recognizer set: one module per identifier, attribute or age signal.

:func:`default_recognizers` builds the set both engines run. Every module is a plain import: a broken
recognizer module fails loudly at import instead of silently dropping its detections.
"""

from __future__ import annotations

import datetime as dt

from pi_scanner.classify.recognizers.address import AddressRecognizer
from pi_scanner.classify.recognizers.age_text import AgeTextRecognizer
from pi_scanner.classify.recognizers.bank_card import BankCardNoLuhnRecognizer, BankCardRecognizer
from pi_scanner.classify.recognizers.base import Detection, Facts, PatternDef, Recognizer
from pi_scanner.classify.recognizers.birth_certificate import BirthCertificateRecognizer
from pi_scanner.classify.recognizers.birth_date import BirthDateRecognizer
from pi_scanner.classify.recognizers.email import EmailRecognizer
from pi_scanner.classify.recognizers.grade_class import GradeClassRecognizer
from pi_scanner.classify.recognizers.guardian import GuardianRecognizer
from pi_scanner.classify.recognizers.hk_id import HkIdRecognizer
from pi_scanner.classify.recognizers.landline import LandlineRecognizer
from pi_scanner.classify.recognizers.macau_id import MacauIdRecognizer
from pi_scanner.classify.recognizers.mobile import MobileRecognizer
from pi_scanner.classify.recognizers.person_name import PersonNameRecognizer
from pi_scanner.classify.recognizers.resident_id import (
    PrCardRecognizer,
    ResidencePermitRecognizer,
    ResidentIdRecognizer,
)
from pi_scanner.classify.recognizers.school import SchoolRecognizer
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

#: Recognizers of age signals and of the people, schools and classes they concern.
AGE_SIGNAL_RECOGNIZERS: tuple[type[Recognizer], ...] = (
    BirthDateRecognizer,
    AgeTextRecognizer,
    GradeClassRecognizer,
    SchoolRecognizer,
    GuardianRecognizer,
    PersonNameRecognizer,
    AddressRecognizer,
)

#: Every recognizer class of the default set, in run order.
RECOGNIZER_CLASSES: tuple[type[Recognizer], ...] = (*IDENTIFIER_RECOGNIZERS, *AGE_SIGNAL_RECOGNIZERS)

#: Every entity type a recognizer of this package can report (derived from the classes).
ENTITY_TYPES: tuple[str, ...] = tuple(dict.fromkeys(cls.ENTITY for cls in RECOGNIZER_CLASSES))


def default_recognizers(as_of: dt.date) -> list[Recognizer]:
    """All recognizers, constructed for the reference date ``as_of``.

    Args:
        as_of: Reference date: birth dates after it are rejected and ages are computed on it.

    Returns:
        One instance of each class of :data:`RECOGNIZER_CLASSES`, in order.
    """
    return [cls(as_of) for cls in RECOGNIZER_CLASSES]


__all__ = [
    "AGE_SIGNAL_RECOGNIZERS",
    "ENTITY_TYPES",
    "IDENTIFIER_RECOGNIZERS",
    "RECOGNIZER_CLASSES",
    "Detection",
    "Facts",
    "PatternDef",
    "Recognizer",
    "default_recognizers",
]
