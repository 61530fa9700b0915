"""The ``compliance:`` section of the configuration, validated here (``extra="forbid"``).

The root :class:`~pi_scanner.config.Settings` keeps the section as a plain mapping so that the core does
not depend on this feature; :func:`compliance_settings` turns it into these models and reports every
invalid key with its dotted path, like the rest of the configuration.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pi_scanner.classify.entities import CATEGORIES, is_sensitive
from pi_scanner.classify.entities import category_of as registry_category
from pi_scanner.config import Settings
from pi_scanner.errors import ConfigError

#: The PI categories a purpose declares (Art. 11 minimisation): the §A9 categories of the entity registry.
PI_CATEGORIES: tuple[str, ...] = CATEGORIES

#: Category names of earlier releases, still accepted in ``purposes[].categories``: each stands for the
#: entity types it used to group (``contact`` allowed phones and e-mail, not every basic-profile type).
LEGACY_CATEGORIES: dict[str, frozenset[str]] = {
    "contact": frozenset({"CN_MOBILE", "CN_LANDLINE", "EMAIL_ADDRESS"}),
    "name": frozenset({"PERSON_NAME"}),
    "birth_date": frozenset({"DATE_OF_BIRTH"}),
    "age": frozenset({"AGE_TEXT"}),
    "family": frozenset({"GUARDIAN_RELATION"}),
    "student_record": frozenset({"CN_STUDENT_NUMBER", "GRADE_CLASS", "SCHOOL_NAME"}),
    "precise_address": frozenset({"CN_ADDRESS"}),
    "precise_location": frozenset({"GEO_COORDINATES"}),
    "photo": frozenset({"PHOTO"}),
    "biometric": frozenset({"BIOMETRIC"}),
}


def category_of(entity: str) -> str:
    """The §A9 category of an entity type (from the entity registry)."""
    return registry_category(entity)


def entity_sensitive(entity: str) -> bool:
    """Whether an entity type is sensitive PI (GB/T 35273 App. B), from the entity registry."""
    return is_sensitive((entity,))


def allows(declared: set[str] | frozenset[str], entity: str) -> bool:
    """Whether declared categories, legacy category names or entity types allow an entity type."""
    if entity in declared or category_of(entity) in declared:
        return True
    return any(entity in LEGACY_CATEGORIES.get(name, ()) for name in declared)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def asset_matches(pattern: str, display: str) -> bool:
    """Whether an asset's display name (``connector:schema/table``) matches a glob.

    A pattern without ``:`` matches the connector name alone (``crm`` means every asset of ``crm``).
    """
    if ":" not in pattern:
        return display.split(":", 1)[0] == pattern or fnmatch.fnmatchcase(display, pattern)
    return fnmatch.fnmatchcase(display, pattern)


class ConsentSource(_Strict):
    """Where guardian consent for one child table is recorded (Art. 9, 10, 14).

    Both tables live in the same SQL connector. Names are ``schema.table`` or a bare ``table`` (default
    schema).

    Attributes:
        connector: The SQL connector holding both tables.
        child_table: The table of children's records the consent covers.
        subject_ref: Column of ``child_table`` the consent rows point at (usually its key).
        table: The consent table.
        subject_key: Column of the consent table holding the child's ``subject_ref`` value.
        granted_at: Column with the time consent was given.
        status: Column with the consent state, if any.
        valid_statuses: Values of ``status`` that mean consent is in force.
        withdrawn_statuses: Values of ``status`` that mean consent was withdrawn.
        policy_version: Column with the policy version consented to, if any.
        current_policy_version: The version in force; older consents need re-consent (Art. 10).
        consenter_birth_date: Column with the consenter's date of birth (under 18: not a guardian).
        consenter_role: Column naming who consented (``guardian``, ``child`` ...).
        minor_roles: Values of ``consenter_role`` that mean the minor consented alone.
        sample_rows: Child records read at most.
    """

    connector: str
    child_table: str
    subject_ref: str
    table: str
    subject_key: str
    granted_at: str
    status: str | None = None
    valid_statuses: list[str] = Field(default_factory=lambda: ["granted", "active", "valid"])
    withdrawn_statuses: list[str] = Field(default_factory=lambda: ["withdrawn", "revoked"])
    policy_version: str | None = None
    current_policy_version: str | None = None
    consenter_birth_date: str | None = None
    consenter_role: str | None = None
    minor_roles: list[str] = Field(default_factory=lambda: ["child", "self", "minor", "student"])
    sample_rows: int = Field(1_000_000, ge=1)

    @model_validator(mode="after")
    def _version_pair(self) -> ConsentSource:
        if (self.policy_version is None) != (self.current_policy_version is None):
            raise ValueError("policy_version and current_policy_version must be given together")
        return self


class Purpose(_Strict):
    """The PI categories a set of assets may hold for its declared purpose (Art. 11).

    Attributes:
        assets: Glob over asset display names (``crm:public/students``, ``crm:public/*``, ``crm``).
        purpose: What the data is for, in words.
        categories: Allowed categories (:data:`PI_CATEGORIES`, or a name of :data:`LEGACY_CATEGORIES`) or
            entity types.
    """

    assets: str
    purpose: str = ""
    categories: list[str]


class ThirdParty(_Strict):
    """A connector whose store is held by someone else (Art. 16, 17).

    Attributes:
        role: ``entrusted_processor`` (processes on our behalf) or ``recipient`` (a transfer).
        name: The organisation.
        agreement_ref: Reference of the entrustment agreement or transfer contract.
        assessment_id: Security assessment reference, if any.
        term_end: End of the processing term; children's PI still held after it is flagged.
    """

    role: Literal["entrusted_processor", "recipient"]
    name: str
    agreement_ref: str | None = None
    assessment_id: str | None = None
    term_end: dt.date | None = None


class Dataset(_Strict):
    """The responsible person and rules of a set of assets (Art. 8).

    Attributes:
        assets: Glob over asset display names.
        owner: The named person responsible for children's PI.
        policy_url: Where the dedicated children's PI rules are published.
        policy_version: The rules' version.
    """

    assets: str
    owner: str | None = None
    policy_url: str | None = None
    policy_version: str | None = None


class ComplianceConfig(_Strict):
    """The ``compliance:`` section.

    Attributes:
        consent: Consent sources, one per child table.
        purposes: Declared purpose → category matrix.
        third_parties: Connector name → who holds that store.
        datasets: Owner and policy register.
        top_n: Rows shown per list in reports before the rest is summed into a total.
    """

    consent: list[ConsentSource] = Field(default_factory=list)
    purposes: list[Purpose] = Field(default_factory=list)
    third_parties: dict[str, ThirdParty] = Field(default_factory=dict)
    datasets: list[Dataset] = Field(default_factory=list)
    top_n: int = Field(50, ge=1, le=10_000)

    def dataset_for(self, display: str) -> Dataset | None:
        """The first dataset entry whose glob matches an asset."""
        return next((d for d in self.datasets if asset_matches(d.assets, display)), None)

    def purposes_for(self, display: str) -> list[Purpose]:
        """Every purpose entry whose glob matches an asset."""
        return [p for p in self.purposes if asset_matches(p.assets, display)]


def parse_compliance(data: dict[str, Any] | None, settings: Settings | None = None) -> ComplianceConfig:
    """Validate a ``compliance:`` mapping.

    Args:
        data: The raw section.
        settings: When given, connector names the section refers to must exist in it.

    Raises:
        ConfigError: With the dotted path of every invalid key.
    """
    try:
        cfg = ComplianceConfig.model_validate(data or {})
    except ValidationError as exc:
        lines = ["invalid compliance configuration"]
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            lines.append(f"  at compliance.{loc}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from None
    if settings is not None:
        known = set(settings.connectors)
        for i, src in enumerate(cfg.consent):
            if src.connector not in known:
                raise ConfigError(f"at compliance.consent.{i}.connector: unknown connector {src.connector!r}")
            if getattr(settings.connectors[src.connector], "type", None) != "sql":
                raise ConfigError(f"at compliance.consent.{i}.connector: {src.connector!r} is not a sql connector")
        for name in cfg.third_parties:
            if name not in known:
                raise ConfigError(f"at compliance.third_parties: unknown connector {name!r}")
    return cfg


def compliance_settings(settings: Settings) -> ComplianceConfig:
    """The validated compliance section of a configuration."""
    return parse_compliance(settings.compliance, settings)
