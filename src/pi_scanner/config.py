"""Configuration: one YAML file validated by pydantic models.

* Unknown keys and wrong types are errors reported with their path in the file (``extra="forbid"``).
* ``${ENV_VAR}`` (or ``${ENV_VAR:-default}``) is interpolated in every string before validation.
* Secret fields are :class:`pydantic.SecretStr`; each has a ``*_file`` sibling that reads the secret from
  a file (Docker/Kubernetes secrets). Secrets never appear in ``repr``, logs or reports.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeAlias, Union, get_args
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, SecretStr, Tag, ValidationError, model_validator

from pi_scanner.errors import ConfigError

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-").lower() or "store"


def read_secret_file(path: str | Path) -> SecretStr:
    """Read a secret from a file, stripping one trailing newline.

    Raises:
        ConfigError: The file cannot be read (the message names the file, never its content).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read secret file {path}: {exc.strerror}") from None
    return SecretStr(text.rstrip("\n"))


class _SecretFiles(_Strict):
    """Mixin: every ``X_file`` field fills the secret field ``X`` when ``X`` is unset."""

    @model_validator(mode="after")
    def _load_secret_files(self) -> _SecretFiles:
        for name in type(self).model_fields:
            if not name.endswith("_file"):
                continue
            target = name.removesuffix("_file")
            file_value = getattr(self, name)
            if file_value and target in type(self).model_fields and getattr(self, target) is None:
                object.__setattr__(self, target, read_secret_file(file_value))
        return self


class SqlConnectorConfig(_SecretFiles):
    """A database reached through SQLAlchemy.

    Attributes:
        url: SQLAlchemy URL without the password (``postgresql+psycopg://scanner@db/school``).
        password: Password, merged into the URL at connect time; prefer ``password_file`` or ``${ENV}``.
        include: Globs over ``schema.table`` to scan (default all).
        exclude: Globs over ``schema.table`` to skip.
        schemas: Schemas to scan; default all non-system schemas.
        sample_rows: Rows sampled per table.
        statement_timeout_s: Per-statement timeout in seconds.
        max_concurrent_queries: Queries in flight against this database at once.
        read_replica_url: Scan this URL instead, when set (writes still go to ``url``).
        connect_args: Extra DBAPI arguments (``sslmode`` etc.).
        include_views: Scan views and materialised views like tables (read-only); when False they are
            still listed in the report, as not read. Foreign tables are always listed and never read.
    """

    #: URL schemes (before any ``+driver``) a command-line target of this type starts with.
    target_schemes: ClassVar[tuple[str, ...]] = (
        "sqlite", "postgresql", "postgres", "mysql", "mariadb", "mssql", "oracle",
    )

    type: Literal["sql"] = "sql"
    url: str
    password: SecretStr | None = None
    password_file: str | None = None
    include: list[str] = Field(default_factory=lambda: ["*"])
    exclude: list[str] = Field(default_factory=list)
    schemas: list[str] | None = None
    sample_rows: int = Field(10_000, ge=1)
    statement_timeout_s: float = Field(60.0, gt=0)
    max_concurrent_queries: int = Field(1, ge=1)
    read_replica_url: str | None = None
    connect_args: dict[str, Any] = Field(default_factory=dict)
    include_views: bool = True

    @classmethod
    def from_target(cls, target: str) -> tuple[str, SqlConnectorConfig] | None:
        """A named config for a database URL (``sqlite:///school.db``, ``postgresql://…``), else None."""
        parts = urlsplit(target)
        scheme = parts.scheme.split("+")[0].lower()
        if scheme not in cls.target_schemes:
            return None
        if scheme == "sqlite":
            db = Path(parts.path.lstrip("/") if target.startswith("sqlite:///") else parts.path)
            name = f"sqlite-{_slug(db.stem)}"
        else:
            name = f"{scheme}-{_slug(parts.hostname or 'local')}-{_slug(parts.path.strip('/') or 'db')}"
        return name, cls(url=target)

    @property
    def in_flight_limit(self) -> int | None:
        """Work units of this connector in flight at once, across every worker (None: no limit)."""
        return self.max_concurrent_queries


class FolderConnectorConfig(_Strict):
    """A local folder of exported files.

    Attributes:
        path: The folder.
        include: Globs over relative paths to read.
        exclude: Globs over relative paths to skip.
        max_bytes_per_file: Bytes read from the head of each file at most.
        sample_rows: Records sampled per file.
        max_line_bytes: Characters of one line read at most (CSV lines are cut, text lines chunked).
        max_columns: Columns of one file read at most (the rest are reported as not read).
    """

    type: Literal["fs"] = "fs"
    path: str
    include: list[str] = Field(default_factory=lambda: ["**"])
    exclude: list[str] = Field(default_factory=list)
    max_bytes_per_file: int = Field(64 * 1024 * 1024, ge=1)
    sample_rows: int = Field(10_000, ge=1)
    max_line_bytes: int = Field(1024 * 1024, ge=1)
    max_columns: int = Field(2_000, ge=1)

    @classmethod
    def from_target(cls, target: str) -> tuple[str, FolderConnectorConfig] | None:
        """A named config for an existing local folder or file (a file: its folder, that file only)."""
        if "://" in target:
            return None
        path = Path(target)
        if not path.exists():
            return None
        if path.is_file():
            return f"fs-{_slug(path.stem)}", cls(path=str(path.parent), include=[path.name])
        return f"fs-{_slug(path.resolve().name)}", cls(path=str(path))

    @property
    def in_flight_limit(self) -> int | None:
        """Work units of this connector in flight at once (None: a local folder needs no limit)."""
        return None


class S3ConnectorConfig(_SecretFiles):
    """An S3-compatible object store (AWS, MinIO, Ceph RGW).

    Attributes:
        endpoint_url: Endpoint; default boto3's (``AWS_ENDPOINT_URL`` honoured).
        region: Region name.
        access_key_id: Static key id; default boto3's credential chain.
        secret_access_key: Static secret; prefer ``secret_access_key_file``.
        profile: A named profile from the shared credentials file.
        path_style: Use path-style addressing (MinIO, Ceph).
        verify_tls: Verify TLS certificates (turning this off is logged as a warning).
        buckets: Bucket globs to scan (default all listed).
        exclude_buckets: Bucket globs to skip.
        prefixes: Key prefixes to list within each bucket.
        include: Globs over keys to read.
        exclude: Globs over keys to skip.
        max_in_flight: Requests in flight at once.
        max_object_bytes: Bytes read from the head of each object at most (ranged GET).
        objects_per_group: Objects read per key-pattern group.
        sample_rows: Records sampled per object.
        max_line_bytes: Characters of one line read at most (CSV lines are cut, text lines chunked).
        max_columns: Columns of one object read at most (the rest are reported as not read).
        retry_mode: botocore retry mode: ``standard``, or ``adaptive`` (also rate-limits the client
            when the store throttles).
        max_attempts: Attempts per request, first try included.
    """

    type: Literal["s3"] = "s3"
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    secret_access_key_file: str | None = None
    profile: str | None = None
    path_style: bool = False
    verify_tls: bool = True
    buckets: list[str] = Field(default_factory=lambda: ["*"])
    exclude_buckets: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=lambda: [""])
    include: list[str] = Field(default_factory=lambda: ["**"])
    exclude: list[str] = Field(default_factory=list)
    max_in_flight: int = Field(16, ge=1, le=256)
    max_object_bytes: int = Field(16 * 1024 * 1024, ge=1)
    max_line_bytes: int = Field(1024 * 1024, ge=1)
    max_columns: int = Field(2_000, ge=1)
    objects_per_group: int = Field(3, ge=1)
    sample_rows: int = Field(10_000, ge=1)
    retry_mode: Literal["standard", "adaptive"] = "standard"
    max_attempts: int = Field(5, ge=1, le=20)

    @classmethod
    def from_target(cls, target: str) -> tuple[str, S3ConnectorConfig] | None:
        """A named config for ``s3://bucket[/prefix]``, else None.

        Raises:
            ConfigError: An ``s3://`` URL without a bucket.
        """
        parts = urlsplit(target)
        if parts.scheme.lower() != "s3":
            return None
        bucket, prefix = parts.netloc, parts.path.lstrip("/")
        if not bucket:
            raise ConfigError(f"s3 URL needs a bucket: {target}")
        return f"s3-{_slug(bucket)}", cls(buckets=[bucket], prefixes=[prefix])

    @property
    def in_flight_limit(self) -> int | None:
        """Work units of this connector in flight at once, across every worker."""
        return self.max_in_flight


class PluginConnectorConfig(BaseModel):
    """Any other connector type, validated by the plugin's own model at load time."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str
    plugin: Literal[True] = True

    @property
    def in_flight_limit(self) -> int | None:
        """A plugin's ``max_in_flight`` key, when its entry sets one (None: no limit)."""
        extra = self.model_extra or {}
        value = extra.get("max_in_flight")
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


#: The built-in connector configs: the one list of built-in types. The table by ``type``, the tags of the
#: configuration's discriminated union and the command-line target parsing all derive from it.
ConnectorConfig: TypeAlias = SqlConnectorConfig | FolderConnectorConfig | S3ConnectorConfig

#: Built-in ``type`` value → its config model, in :data:`ConnectorConfig` order (the order command-line
#: targets are tried in).
BUILT_IN_CONNECTOR_CONFIGS: dict[str, type[ConnectorConfig]] = {
    model.model_fields["type"].default: model for model in get_args(ConnectorConfig)
}

#: The union tag of every connector type that is not built in (validated by its plugin at load time).
_PLUGIN_TAG = "plugin"


def _connector_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return str(kind) if kind in BUILT_IN_CONNECTOR_CONFIGS else _PLUGIN_TAG


if TYPE_CHECKING:
    AnyConnectorConfig: TypeAlias = ConnectorConfig | PluginConnectorConfig
else:
    #: A connector entry: built-in types are validated strictly here; any other type goes to its plugin.
    AnyConnectorConfig = Annotated[
        Union[  # built from the table, so it cannot be spelt with |
            (
                *(Annotated[model, Tag(kind)] for kind, model in BUILT_IN_CONNECTOR_CONFIGS.items()),
                Annotated[PluginConnectorConfig, Tag(_PLUGIN_TAG)],
            )
        ],
        Discriminator(_connector_tag),
    ]


def connector_config_from_target(target: str) -> tuple[str, ConnectorConfig]:
    """Turn a command-line store (URL or path) into a named connector config, like pdscan.

    Each built-in config model says which targets it understands (``from_target``): ``sqlite:///school.db``,
    ``postgresql://user@host/db``, ``mysql://…``, ``s3://bucket/prefix`` and local folders or files.
    Passwords in URLs are accepted but discouraged.

    Raises:
        ConfigError: The target is neither a known URL scheme nor an existing path.
    """
    for model in BUILT_IN_CONNECTOR_CONFIGS.values():
        found = model.from_target(target)
        if found is not None:
            return found
    raise ConfigError(f"not a store URL or an existing path: {target}")


class ClassifierConfig(_Strict):
    """Classifier settings.

    Attributes:
        child_mode: ``legal`` (a child through the 14th birthday inclusive) or ``calendar``.
        min_share: Share of sampled values that must validate to confirm a column.
        examples: ``masked`` keeps masked examples in the catalog; ``none`` keeps none at all.
        max_examples: Masked examples kept per column.
        max_cell_chars: Characters of one cell examined at most (bounded time per cell).
        engine: ``fast`` (columns batched, prefiltered, validators on candidates) or ``presidio`` (Presidio's
            AnalyzerEngine per cell with the same recognizers: the slow, exact reference; same detections).
        age_out_window_days: Days after the reference date in which records leaving the children's tier
            count as upcoming age-outs (scan reports, the daemon's gauge).
    """

    child_mode: Literal["legal", "calendar"] = "legal"
    min_share: float = Field(0.3, gt=0, le=1)
    examples: Literal["masked", "none"] = "masked"
    max_examples: int = Field(3, ge=0, le=20)
    max_cell_chars: int = Field(100_000, ge=100)
    engine: Literal["fast", "presidio"] = "fast"
    age_out_window_days: int = Field(30, ge=1, le=366)


class CatalogConfig(_SecretFiles):
    """Where pi-scanner keeps its own state.

    Attributes:
        url: SQLAlchemy URL; default a SQLite file in the working directory.
        password: Password merged into the URL at connect time.
        hmac_key: Key for keyed hashes (subject index, ledger); prefer ``hmac_key_file``.
    """

    url: str = "sqlite:///pi-scanner-catalog.db"
    password: SecretStr | None = None
    password_file: str | None = None
    hmac_key: SecretStr | None = None
    hmac_key_file: str | None = None


class ExecutorConfig(_Strict):
    """Where work units run (see :mod:`pi_scanner.executors`).

    Attributes:
        type: ``auto`` (the default: in-process until the work is big enough for a local process pool
            to pay, judged per phase), ``process`` (always the local pool), ``local`` (in-process) or
            ``dask`` (a Dask distributed scheduler at ``address``). ``kind`` is accepted for ``type``.
        address: Dask scheduler address (``tcp://host:8786``); required for ``dask``.
        connect_timeout_s: Seconds to wait for the Dask scheduler and for its first worker.
        workers: Processes of the local pool; default the machine's cores.
        min_units: Below this many units a ``process`` scan runs in-process (starting workers costs more).
        retries: Times a unit is rerun after a worker died or a store reported overload.
        backoff_s: First back-off delay after a transient store error; doubles on each retry.
    """

    type: Literal["auto", "local", "process", "dask"] = "auto"
    address: str | None = None
    connect_timeout_s: float = Field(10.0, gt=0)
    workers: int | None = Field(None, ge=1)
    min_units: int = Field(16, ge=1)
    retries: int = Field(2, ge=0, le=10)
    backoff_s: float = Field(0.5, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _kind_is_type(cls, data: Any) -> Any:
        # ``kind:`` is accepted as another spelling of ``type:`` (``executor: {kind: dask, address: ...}``).
        if isinstance(data, Mapping) and "kind" in data:
            data = dict(data)
            kind = data.pop("kind")
            if data.setdefault("type", kind) != kind:
                raise ValueError("executor: give type or kind, not both with different values")
        return data


class ScanConfig(_Strict):
    """How much a scan reads again.

    Attributes:
        incremental: Reuse the last verdict of assets whose fingerprint has not changed.
        full_rescan_days: Ignore ``incremental`` when the last full scan is older than this (0: never).
        census: After classification, count ages over every row of tables with age-bearing columns.
        partition_rows: Rows per census work unit (tables are split by primary-key ranges).
    """

    incremental: bool = False
    full_rescan_days: int = Field(0, ge=0)
    census: bool = False
    partition_rows: int = Field(1_000_000, ge=1_000)


class Settings(_Strict):
    """The root of a pi-scanner configuration file.

    Attributes:
        connectors: Stores to scan, by name.
        classifier: Classifier settings.
        catalog: The scanner's own state.
        executor: Where work units run.
        scan: Incremental and census settings.
        extensions: Sections owned by features (retention, daemon, compliance...), validated by them.
    """

    connectors: dict[str, AnyConnectorConfig] = Field(default_factory=dict)
    classifier: ClassifierConfig = Field(default_factory=ClassifierConfig)
    catalog: CatalogConfig = Field(default_factory=CatalogConfig)
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)
    scan: ScanConfig = Field(default_factory=ScanConfig)
    retention: list[dict[str, Any]] = Field(default_factory=list)
    daemon: dict[str, Any] = Field(default_factory=dict)
    compliance: dict[str, Any] = Field(default_factory=dict)
    subjects: dict[str, Any] = Field(default_factory=dict)


def interpolate_env(value: Any, environ: Mapping[str, str] | None = None) -> Any:
    """Replace ``${NAME}`` / ``${NAME:-default}`` in every string of a parsed YAML tree.

    Raises:
        ConfigError: A referenced variable is unset and has no default.
    """
    env = os.environ if environ is None else environ
    if isinstance(value, str):

        def repl(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            raise ConfigError(f"environment variable {name} is not set (referenced as ${{{name}}})")

        return _ENV_REF.sub(repl, value)
    if isinstance(value, list):
        return [interpolate_env(v, env) for v in value]
    if isinstance(value, dict):
        return {k: interpolate_env(v, env) for k, v in value.items()}
    return value


_UNION_TAGS = frozenset({*BUILT_IN_CONNECTOR_CONFIGS, _PLUGIN_TAG})


def _format_validation_error(exc: ValidationError, source: str) -> str:
    lines = [f"{source}: invalid configuration"]
    for err in exc.errors():
        parts = [str(p) for p in err["loc"]]
        if len(parts) > 2 and parts[0] == "connectors" and parts[2] in _UNION_TAGS:
            del parts[2]  # the union's tag, not a key of the file
        loc = ".".join(parts)
        lines.append(f"  at {loc or '<root>'}: {err['msg']}")
    return "\n".join(lines)


def parse_settings(data: Any, source: str = "<config>") -> Settings:
    """Validate an already-parsed YAML tree.

    Raises:
        ConfigError: With every invalid key's dotted path.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping, not {type(data).__name__}")
    data = interpolate_env(data)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, source)) from None


def load_settings(path: str | Path) -> Settings:
    """Read and validate a YAML configuration file.

    Raises:
        ConfigError: The file is missing, is not valid YAML (with line and column), or does not validate.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read configuration {p}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{p}:{where}: invalid YAML: {problem}") from None
    return parse_settings(data, str(p))


def dump_yaml(data: Any) -> str:
    """YAML text of plain data (UTF-8 kept, keys in the given order); the one place YAML is written."""
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
