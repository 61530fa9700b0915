"""Floors on the real-schema benchmark (benchmarks/reduced_schemas.py): later changes cannot silently regress.

Figures reached when the floors were set (SQLite, seed 0): column F1 (all findings) 0.942 empty and
0.953 filled, then 0.952 and 0.963 (a bare ``name`` in settings/field/batch tables is no person);
table child-status accuracy 0.897 empty and filled, children yes/no 1.000 both (schema context:
enrolments point at person tables). PostgreSQL (folded names) now equals SQLite. Floors sit 0.03 below.
"""

import sys
from pathlib import Path

import pytest

from pi_scanner.classify.column_names import name_hints

sys.path.insert(0, str(Path(__file__).parents[3]))

FLOORS = {
    "empty": {"f1": 0.92, "status": 0.86, "child": 0.97},
    "filled": {"f1": 0.93, "status": 0.86, "child": 0.97},
}


@pytest.fixture(scope="module")
def scores():
    from benchmarks.reduced_schemas import run

    return run(quick=True)["reduced_schemas"]["sqlite"]


@pytest.mark.parametrize("state", ["empty", "filled"])
def test_floors(scores, state):
    s = scores[state]
    assert s["columns_all"]["f1"] >= FLOORS[state]["f1"], s["errors"]
    assert s["tables"]["status_accuracy"] >= FLOORS[state]["status"], s["errors"]
    assert s["tables"]["child_accuracy"] >= FLOORS[state]["child"], s["errors"]


def test_confirmed_findings_are_precise(scores):
    # A confirmed finding is what values proved: none may be wrong on these schemas.
    assert scores["filled"]["columns_confirmed"]["precision"] >= 0.97
    assert scores["empty"]["columns_confirmed"]["tp"] == 0  # nothing to confirm without values


@pytest.mark.parametrize(
    ("column", "entity"),
    [
        ("nameInCharacters", "PERSON_NAME"), ("officialName", "PERSON_NAME"), ("preferredName", "PERSON_NAME"),
        ("nationalIDCardNumber", "CN_RESIDENT_ID"), ("dob", "DATE_OF_BIRTH"), ("date_of_birth", "DATE_OF_BIRTH"),
        ("emergency1Number1", "CN_MOBILE"), ("FIRST_NAME", "PERSON_NAME"), ("联系电话(家长)", "CN_MOBILE"),
        ("birth_place", "CN_ADDRESS"), ("admission_no", "CN_STUDENT_NUMBER"), ("street", "CN_ADDRESS"),
        ("lastIPAddress", "IP_ADDRESS"), ("XBM", "GENDER"), ("MZM", "ETHNICITY"), ("ZZMMM", "POLITICAL_AFFILIATION"),
    ],
)
def test_real_column_names(column, entity):
    assert entity in name_hints(column).entities


@pytest.mark.parametrize(
    "column",
    ["CUSTOM_200000000", "address1District", "countryOfBirth", "birthCertificateScan", "name_suffix",
     "citizenship1PassportExpiry", "school_number", "gibbonSchoolYearIDClassOf",
     "viewCalendarSchool", "phone1Type", "phone1CountryCode"],
)
def test_real_column_names_without_pi(column):
    assert name_hints(column).entities == ()
