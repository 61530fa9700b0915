"""Posture findings from the S3 connector's posture dict (pass / fail / unknown, never "safe" by default)."""

from __future__ import annotations

from typing import Any

import pytest

from pi_scanner.compliance.bucket_posture import posture_checks
from pi_scanner.compliance.evidence import posture_encrypted, posture_logging, posture_public
from pi_scanner.connectors.posture import BucketPosture


def _statuses(posture: dict[str, Any]) -> dict[str, str]:
    return {c.check: c.status for c in posture_checks(posture)}


@pytest.mark.parametrize(
    ("bucket", "objects", "expected"),
    [
        ("SSE-S3", [], True),
        ("SSE-KMS", [], True),
        ("none", [], False),
        ("unknown", [], None),
        ("none", ["SSE-KMS"], True),  # every object read is encrypted although the default is off
        ("SSE-S3", ["SSE-S3", "none"], False),  # an object uploaded before the default stays plaintext
        ("unknown", ["none"], False),
    ],
)
def test_encryption_from_bucket_and_objects(bucket: str, objects: list[str], expected: bool | None) -> None:
    posture = BucketPosture("b", encryption=bucket).as_meta() | {"object_encryption": objects}
    assert posture_encrypted(posture) is expected


def test_public_private_unknown() -> None:
    assert posture_public(BucketPosture("b", public="public").as_meta()) is True
    assert posture_public(BucketPosture("b", public="not_public").as_meta()) is False
    assert posture_public(BucketPosture("b").as_meta()) is None
    assert posture_public(None) is None


def test_logging_text_values() -> None:
    assert posture_logging({"access_logging": "enabled"}) is True
    assert posture_logging({"access_logging": "disabled"}) is False  # not truthy text
    assert posture_logging({"access_logging": "unknown"}) is None


def test_checks_for_a_public_unencrypted_unlogged_bucket() -> None:
    posture = BucketPosture("b", encryption="none", public="public", public_reasons=("acl_all_users",),
                            access_logging="disabled").as_meta()
    checks = posture_checks(posture)
    assert _statuses(posture) == {"storage_encryption": "fail", "public_access": "fail", "access_logging": "fail"}
    assert [c.articles for c in checks] == [(13,), (18,), (15,)]
    assert checks[1].evidence["reasons"] == ["acl_all_users"]


def test_checks_for_a_secure_bucket_and_an_unreadable_one() -> None:
    good = BucketPosture("b", encryption="SSE-KMS", public="not_public", access_logging="enabled").as_meta()
    assert set(_statuses(good).values()) == {"pass"}
    assert set(_statuses(BucketPosture("b").as_meta()).values()) == {"unknown"}
