"""Security posture of an object-store bucket, as facts for the compliance checks.

Every field that could not be read (permission denied, API not supported by the store) is ``"unknown"``,
never the safe value: a scanner that cannot see a bucket policy must not report the bucket as private.
The S3 calls live in :mod:`pi_scanner.connectors.s3`; this module holds the result and the rules that
turn raw policy/ACL/Public Access Block documents into a verdict, so they can be tested without a store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "unknown"

ALL_USERS_URI = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS_URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@dataclass(frozen=True)
class BucketPosture:
    """What a bucket's configuration says about protection of the data in it.

    Attributes:
        bucket: Bucket name.
        region: Region the bucket lives in, or ``unknown``.
        encryption: Default encryption: ``none``, ``SSE-S3``, ``SSE-KMS`` or ``unknown``.
        kms_key_id: The default KMS key, when ``SSE-KMS`` names one.
        public: ``public``, ``not_public`` or ``unknown`` after applying the Public Access Block.
        public_reasons: Why it is public (``policy_principal_any``, ``acl_all_users``,
            ``acl_authenticated_users``); empty otherwise.
        public_access_block: ``full`` (all four settings on), ``partial``, ``none`` or ``unknown``.
        versioning: ``enabled``, ``suspended``, ``disabled`` or ``unknown``.
        lifecycle_rules: Enabled lifecycle rules, ``0`` when none, ``None`` when unknown.
        expiration_days: Shortest enabled expiration in days, if any rule expires current objects.
        access_logging: ``enabled``, ``disabled`` or ``unknown``.
        object_lock: ``enabled``, ``disabled`` or ``unknown``.
        unreadable: Which parts could not be read, with the store's error code.
    """

    bucket: str
    region: str = UNKNOWN
    encryption: str = UNKNOWN
    kms_key_id: str | None = None
    public: str = UNKNOWN
    public_reasons: tuple[str, ...] = ()
    public_access_block: str = UNKNOWN
    versioning: str = UNKNOWN
    lifecycle_rules: int | None = None
    expiration_days: int | None = None
    access_logging: str = UNKNOWN
    object_lock: str = UNKNOWN
    unreadable: dict[str, str] = field(default_factory=dict)

    def as_meta(self) -> dict[str, Any]:
        """The JSON-able form kept in ``AssetInfo.meta["posture"]`` and copied into reports.

        ``public`` becomes ``true``/``false``/``"unknown"``; ``object_encryption`` (the encryption of
        the objects actually read) starts empty and is filled by the connector's ``sample``.
        """
        return {
            "bucket": self.bucket,
            "region": self.region,
            "encryption": self.encryption,
            "kms_key_id": self.kms_key_id,
            "object_encryption": [],
            "public": {"public": True, "not_public": False}.get(self.public, UNKNOWN),
            "public_reasons": list(self.public_reasons),
            "public_access_block": self.public_access_block,
            "versioning": self.versioning,
            "lifecycle_rules": self.lifecycle_rules,
            "expiration_days": self.expiration_days,
            "access_logging": self.access_logging,
            "object_lock": self.object_lock,
            "unreadable": dict(self.unreadable),
        }


def posture_encrypted_at_rest(posture: Mapping[str, Any]) -> bool | None:
    """Whether the data of an asset is encrypted at rest, from its :meth:`BucketPosture.as_meta` dict.

    The objects actually read decide when there are any (a default set after upload does not encrypt
    older objects); otherwise the bucket default does. Returns None when neither is known.
    """
    objects = [str(o) for o in posture.get("object_encryption") or []]
    if objects:
        return "none" not in objects
    enc = posture.get("encryption", UNKNOWN)
    if enc in ("SSE-S3", "SSE-KMS"):
        return True
    if enc == "none":
        return False
    return None


def encryption_from_rules(rules: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    """Map ``ServerSideEncryptionConfiguration.Rules`` to (``SSE-S3``/``SSE-KMS``/``none``, key id)."""
    for rule in rules:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        algo = str(default.get("SSEAlgorithm", ""))
        if algo in ("aws:kms", "aws:kms:dsse"):
            return "SSE-KMS", default.get("KMSMasterKeyID")
        if algo == "AES256":
            return "SSE-S3", None
    return "none", None


def object_encryption(header_value: str | None) -> str:
    """Map an object's ``ServerSideEncryption`` response value to ``SSE-S3``, ``SSE-KMS`` or ``none``."""
    if header_value in ("aws:kms", "aws:kms:dsse"):
        return "SSE-KMS"
    if header_value == "AES256":
        return "SSE-S3"
    return "none"


def _principal_is_anyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        aws = principal.get("AWS")
        values = aws if isinstance(aws, list) else [aws]
        return "*" in values
    return False


def policy_is_public(policy_text: str) -> bool:
    """True when a bucket policy allows anyone (``Principal: "*"``) without a narrowing condition.

    A condition (source IP, VPC endpoint, organisation) makes the grant non-public, as AWS's own
    "policy status" evaluation does; an unparsable policy is treated as public to stay on the safe side.
    """
    try:
        doc = json.loads(policy_text)
    except ValueError:
        return True
    statements = doc.get("Statement", []) if isinstance(doc, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    for st in statements:
        if not isinstance(st, Mapping) or st.get("Effect") != "Allow":
            continue
        if _principal_is_anyone(st.get("Principal")) and not st.get("Condition"):
            return True
    return False


def acl_public_reasons(grants: Sequence[Mapping[str, Any]]) -> list[str]:
    """Reasons an ACL makes a bucket public (grants to AllUsers or AuthenticatedUsers)."""
    reasons = []
    for grant in grants:
        uri = (grant.get("Grantee") or {}).get("URI")
        if uri == ALL_USERS_URI and "acl_all_users" not in reasons:
            reasons.append("acl_all_users")
        elif uri == AUTHENTICATED_USERS_URI and "acl_authenticated_users" not in reasons:
            reasons.append("acl_authenticated_users")
    return reasons


def block_level(pab: Mapping[str, Any] | None) -> str:
    """``full``, ``partial`` or ``none`` for a PublicAccessBlockConfiguration (None: not configured)."""
    if not pab:
        return "none"
    flags = [bool(pab.get(k)) for k in
             ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")]
    return "full" if all(flags) else ("partial" if any(flags) else "none")


def assess_public(
    policy_public: bool | None,
    acl_reasons: list[str] | None,
    pab: Mapping[str, Any] | None,
    pab_known: bool,
) -> tuple[str, tuple[str, ...]]:
    """Combine policy, ACL and Public Access Block into (verdict, reasons).

    ``None`` inputs mean the part could not be read. A public signal that the Public Access Block
    neutralises (``RestrictPublicBuckets`` for policies, ``IgnorePublicAcls`` for ACLs) does not count;
    if the block could not be read, a public signal counts.
    """
    pab = pab or {}
    reasons: list[str] = []
    if policy_public and not (pab_known and pab.get("RestrictPublicBuckets")):
        reasons.append("policy_principal_any")
    if acl_reasons and not (pab_known and pab.get("IgnorePublicAcls")):
        reasons.extend(acl_reasons)
    if reasons:
        return "public", tuple(reasons)
    # Fully blocked buckets are private whatever their policy and ACL say.
    if pab_known and pab.get("RestrictPublicBuckets") and pab.get("IgnorePublicAcls"):
        return "not_public", ()
    if policy_public is None or acl_reasons is None:
        return UNKNOWN, ()
    return "not_public", ()
