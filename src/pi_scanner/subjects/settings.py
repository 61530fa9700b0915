"""The ``subjects:`` section of the configuration, validated here (the root keeps it as a plain dict).

Example::

    subjects:
      kinds: [resident_id, student_no, mobile, email, passport, name_dob]
      basis: "Provisions Art. 19/20"
      default_action: delete
      assets:
        - match: "school_mysql:*/enrollments"   # glob over connector:path
          action: anonymize
          anonymize: {payload: null}            # column -> null | redact | mask
        - match: "exports:*"
          action: delete                        # objects/files: the records are cut out of the object
"""

from __future__ import annotations

import fnmatch
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pi_scanner.errors import ConfigError
from pi_scanner.subjects.normalize import KINDS
from pi_scanner.subjects.person import NAME_DOB

AnonymizeOp = Literal["null", "redact", "mask"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AssetRule(_Strict):
    """What an erase does to one set of assets.

    Attributes:
        match: Glob over ``connector:path`` (the asset's display name).
        action: ``delete`` the records, or ``anonymize`` the listed columns.
        anonymize: Column -> operator: ``null`` (set NULL), ``redact`` (the subject's identifiers inside
            the value replaced by ``[REDACTED]``, for JSON and prose columns), ``mask`` (stars).
    """

    match: str
    action: Literal["delete", "anonymize"] = "delete"
    anonymize: dict[str, AnonymizeOp] = Field(default_factory=dict)


class SubjectsConfig(_Strict):
    """Subject-request settings.

    Attributes:
        kinds: Identifier kinds fingerprinted into the index (``name_dob``: name + date of birth).
        basis: Legal basis written to the ledger with every request.
        default_action: For assets no rule matches.
        assets: Per-asset rules, first match wins.
        batch_size: Records read or written per statement.
    """

    kinds: list[Literal["resident_id", "student_no", "mobile", "email", "passport", "name_dob"]] = Field(
        default_factory=lambda: [*KINDS, NAME_DOB]  # type: ignore[arg-type]
    )
    basis: str = "Provisions on Children's PI, Art. 19/20"
    default_action: Literal["delete", "anonymize"] = "delete"
    assets: list[AssetRule] = Field(default_factory=list)
    batch_size: int = Field(500, ge=1, le=100_000)

    def rule_for(self, display: str) -> AssetRule:
        """The rule for an asset (``connector:a/b``); the default action when none matches."""
        for rule in self.assets:
            if fnmatch.fnmatchcase(display, rule.match):
                return rule
        return AssetRule(match="*", action=self.default_action)


def parse_subjects(data: dict[str, Any]) -> SubjectsConfig:
    """Validate the ``subjects:`` section.

    Raises:
        ConfigError: With each invalid key's dotted path.
    """
    try:
        return SubjectsConfig.model_validate(data or {})
    except ValidationError as exc:
        lines = ["invalid subjects configuration"]
        for err in exc.errors():
            lines.append(f"  at subjects.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from None
