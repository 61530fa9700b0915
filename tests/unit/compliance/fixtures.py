"""A small estate of scan results for the compliance tests (names and counts only)."""

from __future__ import annotations

import datetime as dt

from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import AgeCounts, AssetKind, AssetRef, AssetResult, ChildStatus, ColumnFinding, ScanRun

AS_OF = dt.date(2026, 3, 15)


def col(name: str, entity: str, *, encrypted: bool = False, role: str = "subject", sampled: int = 10) -> ColumnFinding:
    return ColumnFinding(name, (entity,), 0.9, sampled, sampled, encrypted=encrypted, subject_role=role)


def estate() -> tuple[ScanRun, dict[str, AssetInfo]]:
    students = AssetResult(
        AssetRef("sis", AssetKind.TABLE, ("public", "students")),
        (
            col("sfzh", "CN_RESIDENT_ID"),
            col("notes", "CN_RESIDENT_ID"),
            col("jhr_dh", "CN_MOBILE", role="guardian", sampled=8),
            col("parent_phone2", "CN_MOBILE", role="guardian", sampled=5),
            col("parent_email", "EMAIL_ADDRESS", role="guardian", sampled=6),
            col("pw", "CN_RESIDENT_ID", encrypted=True),
        ),
        ChildStatus.CHILD,
        10,
        AgeCounts(child=7, likely_child=1, minor_14_17=2),
    )
    staff = AssetResult(
        AssetRef("sis", AssetKind.TABLE, ("public", "staff")),
        (col("mobile", "CN_MOBILE"),),
        ChildStatus.ADULT,
        5,
        AgeCounts(adult=5),
    )
    export = AssetResult(
        AssetRef("vendor", AssetKind.OBJECT, ("bucket", "exports/kids.csv")),
        (col("address", "CN_ADDRESS"),),
        ChildStatus.LIKELY_CHILD,
        20,
        AgeCounts(child=3, likely_child=9),
    )
    run = ScanRun("r1", AS_OF, dt.datetime(2026, 3, 15, 2, tzinfo=dt.UTC), dt.datetime(2026, 3, 15, 3, tzinfo=dt.UTC),
                  [students, staff, export], [], ["sis", "vendor"])
    infos = {
        export.asset.display: AssetInfo(
            export.asset, meta={"posture": {"public": True, "encryption": None, "access_logging": False}}
        )
    }
    return run, infos


COMPLIANCE = {
    "purposes": [{"assets": "sis:public/students", "purpose": "enrolment", "categories": ["identity_document"]}],
    "third_parties": {
        "vendor": {"role": "entrusted_processor", "name": "Acme Analytics", "agreement_ref": "DPA-7",
                   "term_end": "2025-12-31"}
    },
    "datasets": [
        {"assets": "sis", "owner": "Li Hua", "policy_url": "https://school.example/kids", "policy_version": "3"}
    ],
}
