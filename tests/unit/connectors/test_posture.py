"""Pure posture rules: policy, ACL, Public Access Block and encryption mapping."""

from __future__ import annotations

import json

import pytest

from pi_scanner.connectors.posture import (
    ALL_USERS_URI,
    AUTHENTICATED_USERS_URI,
    acl_public_reasons,
    assess_public,
    block_level,
    encryption_from_rules,
    object_encryption,
    policy_is_public,
)


def _policy(principal: object, condition: dict[str, object] | None = None, effect: str = "Allow") -> str:
    st: dict[str, object] = {"Effect": effect, "Principal": principal, "Action": "s3:GetObject", "Resource": "*"}
    if condition:
        st["Condition"] = condition
    return json.dumps({"Statement": [st]})


@pytest.mark.parametrize(
    ("policy", "public"),
    [
        (_policy("*"), True),
        (_policy({"AWS": "*"}), True),
        (_policy({"AWS": ["arn:aws:iam::1:root", "*"]}), True),
        (_policy("*", effect="Deny"), False),
        (_policy({"AWS": "arn:aws:iam::123456789012:root"}), False),
        (_policy("*", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}), False),
        ("not json", True),
    ],
)
def test_policy_is_public(policy: str, public: bool) -> None:
    assert policy_is_public(policy) is public


def test_acl_reasons() -> None:
    grants = [{"Grantee": {"URI": ALL_USERS_URI}}, {"Grantee": {"URI": AUTHENTICATED_USERS_URI}},
              {"Grantee": {"ID": "owner"}}]
    assert acl_public_reasons(grants) == ["acl_all_users", "acl_authenticated_users"]
    assert acl_public_reasons([{"Grantee": {"ID": "owner"}}]) == []


FULL = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


@pytest.mark.parametrize(
    ("policy_public", "acl", "pab", "pab_known", "expected"),
    [
        (True, [], None, True, "public"),
        (False, ["acl_all_users"], None, True, "public"),
        (True, ["acl_all_users"], FULL, True, "not_public"),
        (False, ["acl_all_users"], {"IgnorePublicAcls": True}, True, "not_public"),
        (True, [], {"IgnorePublicAcls": True}, True, "public"),
        (False, [], None, True, "not_public"),
        # Unreadable parts are unknown, never safe...
        (None, [], None, True, "unknown"),
        (False, None, None, True, "unknown"),
        # ...unless the readable Public Access Block rules public access out entirely.
        (None, None, FULL, True, "not_public"),
        # A public signal counts when the block could not be read.
        (True, [], None, False, "public"),
    ],
)
def test_assess_public(policy_public: bool | None, acl: list[str] | None, pab: dict[str, bool] | None,
                       pab_known: bool, expected: str) -> None:
    assert assess_public(policy_public, acl, pab, pab_known)[0] == expected


def test_block_level_and_encryption() -> None:
    assert block_level(None) == "none"
    assert block_level(FULL) == "full"
    assert block_level({"BlockPublicAcls": True}) == "partial"
    kms = [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k"}}]
    assert encryption_from_rules(kms) == ("SSE-KMS", "k")
    assert encryption_from_rules([{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]) == (
        "SSE-S3", None)
    assert encryption_from_rules([]) == ("none", None)
    assert object_encryption("aws:kms") == "SSE-KMS" and object_encryption(None) == "none"
