"""The recognizer set: one module per identifier, attribute or age signal.

:func:`default_recognizers` builds the set both engines run. Every module is a plain import: a broken
recognizer module fails loudly at import instead of silently dropping its detections.
"""

from __future__ import annotations

import datetime as dt

from pi_scanner.classify.recognizers.address import AddressRecognizer
from pi_scanner.classify.recognizers.age_text import AgeTextRecognizer
from pi_scanner.classify.recognizers.auth_token import AuthTokenRecognizer
from pi_scanner.classify.recognizers.bank_card import BankCardNoLuhnRecognizer, BankCardRecognizer
from pi_scanner.classify.recognizers.base import Detection, Facts, PatternDef, Recognizer
from pi_scanner.classify.recognizers.birth_certificate import BirthCertificateRecognizer
from pi_scanner.classify.recognizers.birth_date import BirthDateRecognizer
from pi_scanner.classify.recognizers.blood_type import BloodGroupLetterRecognizer, BloodTypeRecognizer
from pi_scanner.classify.recognizers.coordinates import CoordinatesRecognizer
from pi_scanner.classify.recognizers.device_id import DeviceIdRecognizer
from pi_scanner.classify.recognizers.email import EmailRecognizer
from pi_scanner.classify.recognizers.ethnicity import EthnicityRecognizer
from pi_scanner.classify.recognizers.gender import GenderCodeRecognizer, GenderRecognizer
from pi_scanner.classify.recognizers.grade_class import GradeClassRecognizer
from pi_scanner.classify.recognizers.guardian import GuardianRecognizer
from pi_scanner.classify.recognizers.hk_id import HkIdRecognizer
from pi_scanner.classify.recognizers.hukou import HukouTypeRecognizer
from pi_scanner.classify.recognizers.imei import ImeiRecognizer
from pi_scanner.classify.recognizers.ip_address import IpAddressRecognizer
from pi_scanner.classify.recognizers.landline import LandlineRecognizer
from pi_scanner.classify.recognizers.mac_address import MacAddressRecognizer
from pi_scanner.classify.recognizers.macau_id import MacauIdRecognizer
from pi_scanner.classify.recognizers.media_recording import MediaRecordingRecognizer
from pi_scanner.classify.recognizers.medical import MedicalRecognizer
from pi_scanner.classify.recognizers.mobile import MobileRecognizer
from pi_scanner.classify.recognizers.money import MoneyRecognizer
from pi_scanner.classify.recognizers.password_hash import HexDigestRecognizer, PasswordHashRecognizer
from pi_scanner.classify.recognizers.person_name import PersonNameRecognizer
from pi_scanner.classify.recognizers.photo import PhotoRecognizer
from pi_scanner.classify.recognizers.political import PoliticalAffiliationRecognizer
from pi_scanner.classify.recognizers.qq_number import QqNumberRecognizer
from pi_scanner.classify.recognizers.religion import ReligionRecognizer
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
from pi_scanner.classify.recognizers.vehicle_plate import VehiclePlateRecognizer
from pi_scanner.classify.recognizers.wechat_openid import WechatOpenidRecognizer

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

#: Recognizers of the further kinds of PI of spec §A9: online and device identifiers, credentials, images,
#: profile attributes, health, money, location.
ATTRIBUTE_RECOGNIZERS: tuple[type[Recognizer], ...] = (
    IpAddressRecognizer,
    MacAddressRecognizer,
    ImeiRecognizer,
    DeviceIdRecognizer,
    WechatOpenidRecognizer,
    QqNumberRecognizer,
    AuthTokenRecognizer,
    PasswordHashRecognizer,
    HexDigestRecognizer,
    PhotoRecognizer,
    MediaRecordingRecognizer,
    GenderRecognizer,
    GenderCodeRecognizer,
    EthnicityRecognizer,
    ReligionRecognizer,
    BloodTypeRecognizer,
    BloodGroupLetterRecognizer,
    MedicalRecognizer,
    MoneyRecognizer,
    CoordinatesRecognizer,
    VehiclePlateRecognizer,
    PoliticalAffiliationRecognizer,
    HukouTypeRecognizer,
)

#: Every recognizer class of the default set, in run order.
RECOGNIZER_CLASSES: tuple[type[Recognizer], ...] = (
    *IDENTIFIER_RECOGNIZERS,
    *AGE_SIGNAL_RECOGNIZERS,
    *ATTRIBUTE_RECOGNIZERS,
)

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
    "ATTRIBUTE_RECOGNIZERS",
    "ENTITY_TYPES",
    "IDENTIFIER_RECOGNIZERS",
    "RECOGNIZER_CLASSES",
    "Detection",
    "Facts",
    "PatternDef",
    "Recognizer",
    "default_recognizers",
]
