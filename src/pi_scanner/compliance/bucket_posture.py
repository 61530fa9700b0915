"""Posture findings for object-store assets that hold children's PI.

Three checks read the bucket posture the S3 connector attached at discovery
(:meth:`pi_scanner.connectors.posture.BucketPosture.as_meta`):

* ``storage_encryption`` (Art. 13): the bucket default or an object read is not encrypted at rest;
* ``public_access`` (Art. 18): the bucket policy or ACL lets anyone read it, after the Public Access Block;
* ``access_logging`` (Art. 15): server access logging is off, so nobody can tell who read the records.

Each is ``pass``, ``fail`` or ``unknown`` (a store that would not say is never counted as safe). The
evidence is configuration facts only (names of reasons, algorithms, flags), never object contents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pi_scanner.compliance.evidence import (
    FAIL,
    PASS,
    UNKNOWN,
    CheckResult,
    posture_encrypted,
    posture_logging,
    posture_public,
)

ENCRYPTION_CHECK = "storage_encryption"
PUBLIC_CHECK = "public_access"
LOGGING_CHECK = "access_logging"


def _status(flag: bool | None, good: bool) -> str:
    if flag is None:
        return UNKNOWN
    return PASS if flag is good else FAIL


def posture_checks(posture: Mapping[str, Any]) -> list[CheckResult]:
    """The three posture checks of one object-store asset holding children's PI.

    Args:
        posture: The asset's ``posture`` dict.

    Returns:
        ``storage_encryption``, ``public_access`` and ``access_logging`` results, in that order.
    """
    encrypted = posture_encrypted(posture)
    public = posture_public(posture)
    logged = posture_logging(posture)
    return [
        CheckResult(
            ENCRYPTION_CHECK, (13,), _status(encrypted, True),
            {"bucket_default": posture.get("encryption", UNKNOWN),
             "objects_read": list(posture.get("object_encryption") or [])},
        ),
        CheckResult(
            PUBLIC_CHECK, (18,), _status(public, False),
            {"public": posture.get("public", UNKNOWN), "reasons": list(posture.get("public_reasons") or []),
             "public_access_block": posture.get("public_access_block", UNKNOWN)},
        ),
        CheckResult(
            LOGGING_CHECK, (15,), _status(logged, True),
            {"access_logging": posture.get("access_logging", UNKNOWN)},
        ),
    ]


def failed(checks: list[dict[str, Any]], name: str) -> bool:
    """Whether the report-form ``checks`` list holds a failed ``name`` check."""
    return any(c.get("check") == name and c.get("status") == FAIL for c in checks)
