"""Load the real-schema corpus (``systems/<id>/``) into SQLite, PostgreSQL and MariaDB.

For each system: validate ``schema.json`` and ``labels.json`` (a bad file stops the run with every problem
listed: :class:`CorpusError`), map the upstream type text to each dialect's types, create the tables with
the keys upstream declares, and insert the rows of the system's ``generate.py`` (seeded per system). Each
dialect is loaded the way its own dumps load:

* SQLite: foreign keys declared inline and not enforced (SQLite's default); no comments (SQLite has none);
* PostgreSQL: tables and ``COMMENT ON``, rows, then the foreign keys (as ``pg_dump`` orders it), so a key
  the rows break fails;
* MariaDB: comments inline, ``FOREIGN_KEY_CHECKS=0`` as ``mysqldump`` writes it; a MyISAM-style system
  (``"mariadb_engine": "MyISAM"`` in schema.json, or MyISAM named in its ``dialect_notes``) gets MyISAM
  tables in utf8mb3 and no foreign keys at all, as such dumps have none.

A statement a dialect refuses is recorded (:class:`LoadFailure`, with the statement) and that system is
left out of that dialect's scores; the rest of the corpus still loads. Every database created here is
dropped by the :class:`Server` that created it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import os
import re
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.schema import AddConstraint, CreateTable, SetColumnComment, SetTableComment

from benchmarks.corpus.synth import Rows, Synth

SYSTEMS = Path(__file__).resolve().parent / "systems"
AS_OF = dt.date(2026, 3, 15)
DIALECTS = ("sqlite", "postgresql", "mariadb")
PG_ADMIN_URL = os.environ.get("PI_SCANNER_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MARIADB_ADMIN_URL = os.environ.get("PI_SCANNER_BENCH_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
CATEGORIES = frozenset({
    "basic_profile", "identity_document", "biometric_image", "online_identity", "device_identifier", "credential",
    "health", "education_work", "financial", "communications", "location", "other_sensitive", "free_text",
})
SUBJECTS = frozenset({"child", "adult", "mixed", "none"})
SPLITS = frozenset({"dev", "test"})
_ID = re.compile(r"[a-z0-9_]+")
_BATCH = 500


class CorpusError(Exception):
    """A system folder breaks the contract (benchmarks/corpus/README.md): the run must not score it."""


@dataclass(frozen=True)
class System:
    """One system folder, validated.

    Attributes:
        id: The folder name (``gibbon``).
        root: The folder.
        schema: Parsed ``schema.json``.
        labels: Parsed ``labels.json``.
    """

    id: str
    root: Path
    schema: dict[str, Any]
    labels: dict[str, Any]

    @property
    def split(self) -> str:
        """``dev`` or ``test``."""
        return str(self.schema["split"])

    @property
    def myisam(self) -> bool:
        """Loaded MyISAM-style in MariaDB (no foreign keys)."""
        engine = self.schema.get("mariadb_engine")
        if engine is not None:
            return str(engine).lower() == "myisam"
        return "myisam" in str(self.schema.get("dialect_notes") or "").lower()

    @property
    def seed(self) -> int:
        """The generator's seed: fixed per system, so every run and dialect loads the same rows."""
        return zlib.crc32(self.id.encode())


@dataclass(frozen=True)
class LoadFailure:
    """A statement one dialect refused.

    Attributes:
        stage: ``ddl``, ``insert`` or ``constraint``.
        statement: The SQL statement (its text, cut to 600 characters; values are never part of it).
        error: The database's message, cut to 400 characters.
    """

    stage: str
    statement: str
    error: str


@dataclass
class Loaded:
    """One system in one database.

    Attributes:
        system: The system.
        dialect: ``sqlite``, ``postgresql`` or ``mariadb``.
        url: Where it was loaded (None when its database could not even be created).
        rows: The generated rows (and their child-row truth).
        notes: Type mappings that lost something, values cut to the column width, and so on.
        failure: The statement that failed; None when the whole system loaded.
    """

    system: System
    dialect: str
    url: str | None
    rows: Rows
    notes: list[str] = field(default_factory=list)
    failure: LoadFailure | None = None


# --- discovery and validation -------------------------------------------------------------------------


def _read_json(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: missing")
        return None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: not valid JSON ({exc})")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path}: not a JSON object")
        return None
    return data


def validate_schema(schema: dict[str, Any], sid: str) -> list[str]:
    """Problems of one ``schema.json`` (empty when it follows the contract)."""
    out: list[str] = []
    if schema.get("system") != sid:
        out.append(f"{sid}/schema.json: system is {schema.get('system')!r}, the folder is {sid!r}")
    if schema.get("split") not in SPLITS:
        out.append(f"{sid}/schema.json: split must be dev or test, not {schema.get('split')!r}")
    tables = schema.get("tables")
    if not isinstance(tables, list) or not tables:
        return [*out, f"{sid}/schema.json: no tables"]
    names: dict[str, dict[str, Any]] = {}
    for t in tables:
        name = t.get("name")
        if not isinstance(name, str) or not name:
            out.append(f"{sid}/schema.json: a table without a name")
            continue
        if name in names:
            out.append(f"{sid}/schema.json: table {name} twice")
        names[name] = t
        cols = [c.get("name") for c in t.get("columns") or []]
        if not cols:
            out.append(f"{sid}/schema.json: table {name} has no columns")
        if len(set(cols)) != len(cols):
            out.append(f"{sid}/schema.json: {name} repeats a column name")
        for c in t.get("columns") or []:
            if not isinstance(c.get("type"), str) or not c["type"].strip():
                out.append(f"{sid}/schema.json: {name}.{c.get('name')} has no type")
        keys = [t.get("primary_key") or [], *(t.get("unique") or [])]
        keys += [fk.get("columns") or [] for fk in t.get("foreign_keys") or []]
        for key in keys:
            out.extend(f"{sid}/schema.json: {name} key names unknown column {k}" for k in key if k not in cols)
    for t in tables:
        for fk in t.get("foreign_keys") or []:
            ref = names.get(fk.get("ref_table"))
            if ref is None:
                out.append(f"{sid}/schema.json: {t.get('name')} references unknown table {fk.get('ref_table')}")
                continue
            ref_cols = {c.get("name") for c in ref.get("columns") or []}
            out.extend(f"{sid}/schema.json: {t.get('name')} references unknown column {fk['ref_table']}.{c}"
                       for c in fk.get("ref_columns") or [] if c not in ref_cols)
            if len(fk.get("ref_columns") or []) != len(fk.get("columns") or []):
                out.append(f"{sid}/schema.json: {t.get('name')} foreign key column counts differ")
    return out


def schema_columns(schema: dict[str, Any]) -> dict[str, list[str]]:
    """Table -> its column names, as schema.json spells them."""
    return {t["name"]: [c["name"] for c in t["columns"]] for t in schema["tables"]}


def validate_labels(schema: dict[str, Any], labels: dict[str, Any], sid: str) -> list[str]:
    """Problems of one ``labels.json`` against its schema: every column and table labelled, nothing else."""
    out: list[str] = []
    if labels.get("system") != sid:
        out.append(f"{sid}/labels.json: system is {labels.get('system')!r}, the folder is {sid!r}")
    tables = schema_columns(schema)
    wanted = {f"{t}.{c}" for t, cols in tables.items() for c in cols}
    columns = labels.get("columns") or {}
    for key in sorted(set(columns) - wanted):
        out.append(f"{sid}/labels.json: labels column {key}, which is not in the schema")
    for key in sorted(wanted - set(columns)):
        out.append(f"{sid}/labels.json: column {key} has no label")
    for key, label in columns.items():
        cat, subject = (label or {}).get("category"), (label or {}).get("subject")
        if cat != "none" and cat not in CATEGORIES:
            out.append(f"{sid}/labels.json: {key}: unknown category {cat!r}")
        if subject not in SUBJECTS:
            out.append(f"{sid}/labels.json: {key}: unknown subject {subject!r}")
        elif (cat == "none") != (subject == "none"):
            out.append(f"{sid}/labels.json: {key}: category {cat} with subject {subject}")
    table_labels = labels.get("tables") or {}
    for t in sorted(set(table_labels) - set(tables)):
        out.append(f"{sid}/labels.json: labels table {t}, which is not in the schema")
    for t in sorted(set(tables) - set(table_labels)):
        out.append(f"{sid}/labels.json: table {t} has no label")
    for t, label in table_labels.items():
        if (label or {}).get("rows") not in SUBJECTS:
            out.append(f"{sid}/labels.json: table {t}: unknown rows {(label or {}).get('rows')!r}")
        if not isinstance((label or {}).get("via_link"), bool):
            out.append(f"{sid}/labels.json: table {t}: via_link must be true or false")
    for src, dst in (labels.get("links") or {}).items():
        for end in (src, dst):
            if end not in wanted:
                out.append(f"{sid}/labels.json: link {src} -> {dst} names {end}, which is not in the schema")
    return out


def load_system(root: Path) -> System:
    """Read and validate one system folder.

    Raises:
        CorpusError: The folder breaks the contract (every problem listed).
    """
    sid = root.name
    problems: list[str] = []
    if not _ID.fullmatch(sid):
        problems.append(f"{sid}: a system id is lowercase ascii [a-z0-9_]+")
    schema = _read_json(root / "schema.json", problems)
    labels = _read_json(root / "labels.json", problems)
    if not (root / "generate.py").is_file():
        problems.append(f"{root / 'generate.py'}: missing")
    if schema is not None:
        problems += validate_schema(schema, sid)
        if labels is not None and not problems:
            problems += validate_labels(schema, labels, sid)
    if problems or schema is None or labels is None:
        raise CorpusError("\n".join(problems))
    return System(sid, root, schema, labels)


def discover(root: Path = SYSTEMS, split: str = "all", only: list[str] | None = None) -> list[System]:
    """Every system folder under ``root`` (validated), of one split or all, or only the named ones.

    Raises:
        CorpusError: A folder breaks the contract, or a named system does not exist.
    """
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))) \
        if root.is_dir() else []
    if only:
        missing = sorted(set(only) - {p.name for p in folders})
        if missing:
            raise CorpusError(f"no such system(s) under {root}: {', '.join(missing)}")
        folders = [p for p in folders if p.name in only]
    problems: list[str] = []
    systems: list[System] = []
    for folder in folders:
        try:
            system = load_system(folder)
        except CorpusError as exc:
            problems.append(str(exc))
            continue
        if split == "all" or system.split == split:
            systems.append(system)
    if problems:
        raise CorpusError("\n".join(problems))
    return systems


def generate_rows(system: System, as_of: dt.date = AS_OF) -> Rows:
    """The rows of the system's ``generate.py`` (loaded by path; seeded per system), checked against its schema.

    Raises:
        CorpusError: The generator fails, or fills a table or column the schema does not have.
    """
    path = system.root / "generate.py"
    spec = importlib.util.spec_from_file_location(f"_corpus_generate_{system.id}", path)
    if spec is None or spec.loader is None:
        raise CorpusError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        rows = module.generate(Synth(system.seed, as_of))
    except Exception as exc:
        raise CorpusError(f"{path}: generate() failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(rows, Rows):
        raise CorpusError(f"{path}: generate() must return a Rows, not {type(rows).__name__}")
    tables = {t: set(cols) for t, cols in schema_columns(system.schema).items()}
    problems = []
    for table, batch in rows.items():
        if table not in tables:
            problems.append(f"{path}: rows for table {table}, which is not in schema.json")
            continue
        extra = sorted({k for row in batch for k in row} - tables[table])
        if extra:
            problems.append(f"{path}: {table} rows fill unknown column(s) {', '.join(extra)}")
    if problems:
        raise CorpusError("\n".join(problems))
    return rows


# --- types --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnType:
    """An upstream type mapped to one dialect.

    Attributes:
        type: The SQLAlchemy type to create.
        kind: How values are coerced before insert: int, bool, str, date, datetime, time, decimal, float,
            binary, json, uuid.
        length: Character width (values are cut to it, as MySQL's non-strict mode does), or None.
        note: What the mapping lost (None when nothing).
    """

    type: sa.types.TypeEngine[Any]
    kind: str
    length: int | None = None
    note: str | None = None


_TYPE = re.compile(r"^\s*([a-z_][a-z0-9_ ]*?)\s*(?:\((.*)\))?\s*((?:unsigned|signed|zerofill|\s)*)"
                   r"((?:with|without) time zone)?\s*(\[\])?\s*$", re.IGNORECASE)
_INTS = {"int": "int", "integer": "int", "int4": "int", "mediumint": "medium", "smallint": "small", "int2": "small",
         "tinyint": "tiny", "bigint": "big", "int8": "big", "serial": "int", "bigserial": "big",
         "smallserial": "small", "number": "int", "long": "big"}
_STRINGS = ("varchar", "character varying", "nvarchar", "varchar2", "nvarchar2", "string", "citext")
_CHARS = ("char", "character", "nchar", "bpchar")
_TEXTS = {"text": "text", "tinytext": "tiny", "mediumtext": "medium", "longtext": "long", "clob": "long",
          "ntext": "long"}
_BLOBS = {"blob": "blob", "tinyblob": "tiny", "mediumblob": "medium", "longblob": "long", "bytea": "long",
          "image": "long", "binary": "binary", "varbinary": "varbinary", "raw": "varbinary"}
_DATETIMES = ("datetime", "datetime2", "smalldatetime", "timestamp", "timestamptz")
_FLOATS = ("float", "double", "double precision", "real", "float4", "float8")
_ADDRESSES = ("inet", "cidr", "macaddr", "macaddr8")


def _quoted_list(args: str) -> list[str]:
    return [m.group(1).replace("''", "'") for m in re.finditer(r"'((?:[^']|'')*)'", args)]


def map_type(text: str, dialect: str, in_key: bool = False) -> ColumnType:
    """Map an upstream type (``varchar(60)``, ``int(10) unsigned``, ``enum('M','F')``) to ``dialect``.

    Args:
        text: The upstream type text (schema.json, lowercased).
        dialect: ``sqlite``, ``postgresql`` or ``mariadb``.
        in_key: The column is part of a primary, unique or foreign key (MariaDB cannot index TEXT/BLOB
            without a prefix length, so such columns become VARCHAR(255)/VARBINARY(255) there).

    Returns:
        The mapped type; an unknown type becomes text with a note.
    """
    m = _TYPE.match(text)  # enum/set values keep their case; the rest compares lowercased
    if m is None:
        return ColumnType(sa.Text(), "str", note=f"unparsed type {text!r} loaded as text")
    base, args, flags = m.group(1).strip().lower(), m.group(2) or "", (m.group(3) or "").lower()
    tz, array = (m.group(4) or "").lower(), m.group(5)
    nums = [int(n) for n in re.findall(r"\d+", args)] if not args.startswith("'") else []
    my = dialect == "mariadb"
    pg = dialect == "postgresql"
    unsigned = "unsigned" in flags
    if array:
        return ColumnType(sa.Text(), "json", note=f"array type {text!r} loaded as text (JSON list)")
    if base in _INTS:
        size = _INTS[base]
        if size == "tiny" and nums[:1] == [1]:
            return ColumnType(mysql.TINYINT(1) if my else sa.SmallInteger(), "int")
        if my:
            cls: Any = {"int": mysql.INTEGER, "medium": mysql.MEDIUMINT, "small": mysql.SMALLINT, "tiny": mysql.TINYINT,
                   "big": mysql.BIGINT}[size]
            return ColumnType(cls(unsigned=unsigned), "int")
        if size == "big" or (unsigned and size == "int"):
            return ColumnType(sa.BigInteger(), "int")
        return ColumnType(sa.SmallInteger() if size in ("small", "tiny") else sa.Integer(), "int")
    if base in ("bool", "boolean") or (base == "bit" and nums[:1] in ([], [1])):
        return ColumnType(sa.Boolean(), "bool")
    if base in _STRINGS:
        n = nums[0] if nums else None
        if n is None and my:
            return ColumnType(sa.String(255) if in_key else mysql.LONGTEXT(), "str")
        return ColumnType(sa.String(n) if n else sa.Text(), "str", n)
    if base in _CHARS:
        n = nums[0] if nums else 1
        return ColumnType(sa.CHAR(n), "str", n)
    if base in _TEXTS:
        if my and in_key:
            return ColumnType(sa.String(255), "str", 255, note=f"{text} in a key loaded as varchar(255)")
        if my:
            text_cls: Any = {"text": mysql.TEXT, "tiny": mysql.TINYTEXT, "medium": mysql.MEDIUMTEXT,
                   "long": mysql.LONGTEXT}[_TEXTS[base]]
            return ColumnType(text_cls(), "str")
        return ColumnType(sa.Text(), "str")
    if base in ("enum", "set"):
        values = _quoted_list(args)
        if my:
            return ColumnType(mysql.ENUM(*values) if base == "enum" else mysql.SET(*values), "str")
        width = max((len(v) for v in values), default=1) if base == "enum" else sum(len(v) + 1 for v in values)
        return ColumnType(sa.String(max(width, 1)), "str", max(width, 1))
    if base == "date":
        return ColumnType(sa.Date(), "date")
    if base in _DATETIMES or base.startswith("timestamp"):
        stamp = base.startswith("timestamp")
        if my:
            return ColumnType(mysql.TIMESTAMP() if stamp else mysql.DATETIME(), "datetime")
        if pg:
            return ColumnType(postgresql.TIMESTAMP(timezone=bool(tz and tz.startswith("with")) or base.endswith("tz")),
                              "datetime")
        return ColumnType(sa.DateTime(), "datetime")
    if base in ("time", "timetz"):
        return ColumnType(sa.Time(), "time")
    if base == "year":
        return ColumnType(mysql.YEAR() if my else sa.SmallInteger(), "int")
    if base in ("decimal", "numeric", "dec", "money", "smallmoney", "fixed"):
        p, s = (nums[0], nums[1] if len(nums) > 1 else 0) if nums else (18, 2)
        return ColumnType(sa.Numeric(p, s), "decimal")
    if base in _FLOATS:
        if my:
            return ColumnType(mysql.FLOAT() if base in ("float", "real", "float4") else mysql.DOUBLE(), "float")
        return ColumnType(sa.Float(), "float")
    if base in _BLOBS:
        size = _BLOBS[base]
        if my:
            if in_key or size in ("binary", "varbinary"):
                n = nums[0] if nums else 255
                return ColumnType(mysql.BINARY(n) if size == "binary" else mysql.VARBINARY(n), "binary")
            blob_cls: Any = {"blob": mysql.BLOB, "tiny": mysql.TINYBLOB, "medium": mysql.MEDIUMBLOB,
                             "long": mysql.LONGBLOB}[size]
            return ColumnType(blob_cls(), "binary")
        return ColumnType(sa.LargeBinary(), "binary")
    if base in ("json", "jsonb"):
        if pg:
            return ColumnType(postgresql.JSONB() if base == "jsonb" else postgresql.JSON(), "json")
        return ColumnType(mysql.JSON() if my else sa.Text(), "json")
    if base in ("uuid", "uniqueidentifier"):
        return ColumnType(postgresql.UUID(as_uuid=False) if pg else sa.CHAR(36), "uuid", 36)
    if base in _ADDRESSES:
        if pg:
            return ColumnType({"inet": postgresql.INET, "cidr": postgresql.CIDR, "macaddr": postgresql.MACADDR,
                               "macaddr8": postgresql.MACADDR8}[base](), "str")
        return ColumnType(sa.String(64), "str", 64)
    return ColumnType(sa.String(255) if my and in_key else sa.Text(), "str",
                      note=f"unknown type {text!r} loaded as text")


# --- DDL ----------------------------------------------------------------------------------------------


@dataclass
class _Built:
    metadata: sa.MetaData
    tables: dict[str, sa.Table]
    types: dict[str, dict[str, ColumnType]]
    notes: list[str]


def build_metadata(system: System, dialect: str) -> _Built:
    """The system's tables as SQLAlchemy objects for ``dialect`` (keys as upstream declares them)."""
    md = sa.MetaData()
    tables: dict[str, sa.Table] = {}
    types: dict[str, dict[str, ColumnType]] = {}
    notes: list[str] = []
    no_fks = dialect == "mariadb" and system.myisam
    for t in system.schema["tables"]:
        pk = list(t.get("primary_key") or [])
        keyed = set(pk) | {c for u in t.get("unique") or [] for c in u}
        keyed |= {c for fk in t.get("foreign_keys") or [] for c in fk["columns"]}
        keyed |= {c for other in system.schema["tables"] for fk in other.get("foreign_keys") or []
                  if fk["ref_table"] == t["name"] for c in fk["ref_columns"]}
        cols: list[sa.Column[Any]] = []
        types[t["name"]] = {}
        for c in t["columns"]:
            mapped = map_type(c["type"], dialect, c["name"] in keyed)
            if mapped.note:
                notes.append(f"{t['name']}.{c['name']}: {mapped.note}")
            types[t["name"]][c["name"]] = mapped
            nullable = bool(c.get("nullable", True)) and c["name"] not in pk
            cols.append(sa.Column(c["name"], mapped.type, nullable=nullable, autoincrement=False,
                                  comment=c.get("comment") or None))
        args: list[Any] = list(cols)
        if pk:
            args.append(sa.PrimaryKeyConstraint(*pk))
        args += [sa.UniqueConstraint(*u) for u in t.get("unique") or []]
        if not no_fks:
            args += [sa.ForeignKeyConstraint(fk["columns"], [f"{fk['ref_table']}.{r}" for r in fk["ref_columns"]])
                     for fk in t.get("foreign_keys") or []]
        kwargs: dict[str, Any] = {}
        if dialect == "mariadb":
            engine = str(t.get("engine") or ("MyISAM" if system.myisam else "InnoDB"))
            kwargs = {"mysql_engine": engine, "mysql_charset": "utf8mb3" if engine.lower() == "myisam"
                      else "utf8mb4"}
        tables[t["name"]] = sa.Table(t["name"], md, *args, comment=t.get("comment") or None, **kwargs)
    return _Built(md, tables, types, notes)


# --- values -------------------------------------------------------------------------------------------


def _as_date(value: Any, kind: str) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if kind == "date" else dt.datetime.fromisoformat(value)
        except ValueError:
            return value  # left as text: the database decides (a refusal is recorded)
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    if kind == "datetime" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def coerce(value: Any, ctype: ColumnType, dialect: str) -> tuple[Any, bool]:
    """A generated value in the form the driver stores for this column; True when it was cut to width."""
    if value is None:
        return None, False
    kind = ctype.kind
    if kind in ("date", "datetime"):
        value = _as_date(value, kind)
        if dialect == "sqlite" and isinstance(value, dt.date):
            return (value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()), False
        return value, False
    if kind == "time" and dialect == "sqlite" and isinstance(value, dt.time):
        return value.isoformat(), False
    if kind == "bool":
        if dialect == "postgresql":
            return (value.strip().lower() in ("1", "t", "true", "y", "yes")) if isinstance(value, str) \
                else bool(value), False
        return int(bool(value)) if isinstance(value, bool | int) else value, False
    if kind == "json":
        if isinstance(value, str):
            try:
                json.loads(value)
            except ValueError:
                return json.dumps(value, ensure_ascii=False), False
            return value, False
        return json.dumps(value, ensure_ascii=False, default=str), False
    if kind == "binary":
        return (value.encode() if isinstance(value, str) else value), False
    if kind == "decimal" and dialect == "sqlite" and isinstance(value, Decimal):
        return str(value), False
    if kind in ("str", "uuid"):
        if isinstance(value, dt.datetime):
            value = value.isoformat(sep=" ")
        elif isinstance(value, dt.date | dt.time):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        if not isinstance(value, str):
            value = str(value)
        if ctype.length is not None and len(value) > ctype.length:
            return value[: ctype.length], True
    return value, False


def _zero(ctype: ColumnType, dialect: str) -> Any:
    """The implicit value MySQL's non-strict mode gives a NOT NULL column an INSERT leaves out."""
    return {"int": 0, "bool": False if dialect == "postgresql" else 0, "decimal": 0, "float": 0,
            "date": dt.date(1970, 1, 1), "datetime": dt.datetime(1970, 1, 2), "time": dt.time(),
            "binary": b"", "json": "{}", "uuid": "00000000-0000-0000-0000-000000000000"}.get(ctype.kind, "")


# --- servers ------------------------------------------------------------------------------------------


class Server:
    """Creates one database per system on one dialect and drops them all on close."""

    def __init__(self, dialect: str) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, not {dialect!r}")
        self.dialect = dialect
        self.run = uuid.uuid4().hex[:8]
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._admin: sa.Engine | None = None
        self._created: list[str] = []
        if dialect == "sqlite":
            self._tmp = tempfile.TemporaryDirectory(prefix="pis-corpus-")
        else:
            admin_url = PG_ADMIN_URL if dialect == "postgresql" else MARIADB_ADMIN_URL
            self._admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def available(self) -> str | None:
        """None when the server answers, else why not."""
        if self._admin is None:
            return None
        try:
            with self._admin.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as exc:
            return f"{self.dialect} not reachable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return None

    def create(self, sid: str) -> str:
        """A fresh database for system ``sid``; returns its URL."""
        if self._tmp is not None:
            return f"sqlite:///{Path(self._tmp.name) / f'{sid}.db'}"
        assert self._admin is not None
        name = f"pisc_{self.run}_{sid}"[:60]
        quoted = self._admin.dialect.identifier_preparer.quote(name)  # a generated name, quoted anyway
        charset = " CHARACTER SET utf8mb4" if self.dialect == "mariadb" else ""
        with self._admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {quoted}{charset}"))
        self._created.append(name)
        url = self._admin.url.set(database=name)
        if self.dialect == "mariadb":
            url = url.set(query={"charset": "utf8mb4"})
        return url.render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop the database behind ``url`` (a SQLite file is deleted)."""
        parsed = sa.make_url(url)
        if self._tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                Path(str(parsed.database)).unlink()
            return
        assert self._admin is not None
        name = str(parsed.database)
        quoted = self._admin.dialect.identifier_preparer.quote(name)
        force = " WITH (FORCE)" if self.dialect == "postgresql" else ""
        with self._admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted}{force}"))
        if name in self._created:
            self._created.remove(name)

    def close(self) -> None:
        """Drop every database still there."""
        if self._admin is not None:
            for name in list(self._created):
                with contextlib.suppress(Exception):
                    self.drop(self._admin.url.set(database=name).render_as_string(hide_password=False))
            self._admin.dispose()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- loading ------------------------------------------------------------------------------------------


def _fail(stage: str, exc: Exception) -> LoadFailure:
    statement = str(getattr(exc, "statement", None) or "")
    orig = getattr(exc, "orig", None) or exc
    return LoadFailure(stage, " ".join(statement.split())[:600], f"{type(orig).__name__}: {orig}"[:400])


def _insert_rows(conn: sa.Connection, built: _Built, rows: Rows, dialect: str, notes: list[str]) -> None:
    # Schema order: keys are not checked while rows go in (SQLite does not enforce them, MariaDB runs with
    # FOREIGN_KEY_CHECKS=0, PostgreSQL gets them after the rows), and upstream schemas have key cycles.
    for name in built.tables:
        batch = rows[name]
        if not batch:
            continue
        table, types = built.tables[name], built.types[name]
        required = [c.name for c in table.c if not c.nullable]
        cut = 0
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in batch:
            out: dict[str, Any] = {}
            for col, value in row.items():
                out[col], was_cut = coerce(value, types[col], dialect)
                cut += was_cut
            for col in required:
                if out.get(col) is None:
                    out[col] = _zero(types[col], dialect)
            groups.setdefault(tuple(out), []).append(out)
        if cut:
            notes.append(f"{name}: {cut} value(s) cut to the column width")
        for cols, group in groups.items():
            light = sa.table(name, *(sa.column(c) for c in cols))  # no type processing: values are coerced
            for i in range(0, len(group), _BATCH):
                conn.execute(sa.insert(light), group[i: i + _BATCH])


def load(system: System, server: Server, rows: Rows) -> Loaded:
    """Create the system's tables in a fresh database of ``server`` and insert ``rows``.

    Returns:
        The loaded system; on a refused statement, ``failure`` says which (the database is kept for the
        caller to drop through the server).
    """
    dialect = server.dialect
    url = server.create(system.id)
    built = build_metadata(system, dialect)
    loaded = Loaded(system, dialect, url, rows, list(built.notes))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    stage = "ddl"
    try:
        with engine.begin() as conn:
            if dialect == "mariadb":
                conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=0"))  # as mysqldump writes it
            deferred: list[sa.ForeignKeyConstraint] = []
            for table in built.tables.values():
                if dialect == "postgresql":
                    fks = [c for c in table.constraints if isinstance(c, sa.ForeignKeyConstraint)]
                    deferred += fks
                    conn.execute(CreateTable(table, include_foreign_key_constraints=[]))
                    # PostgreSQL keeps comments apart from CREATE TABLE (COMMENT ON, as pg_dump writes it);
                    # MariaDB has them inline and SQLite has none.
                    if table.comment:
                        conn.execute(SetTableComment(table))
                    for column in table.c:
                        if column.comment:
                            conn.execute(SetColumnComment(column))
                else:
                    conn.execute(CreateTable(table))
            stage = "insert"
            _insert_rows(conn, built, rows, dialect, loaded.notes)
            stage = "constraint"
            for fk in deferred:  # as pg_dump orders it: keys after the rows, so broken rows fail here
                conn.execute(AddConstraint(fk))
    except sa.exc.SQLAlchemyError as exc:
        loaded.failure = _fail(stage, exc)
    finally:
        engine.dispose()
    return loaded


@contextlib.contextmanager
def open_server(dialect: str) -> Iterator[Server]:
    """A :class:`Server` that drops everything it created on exit."""
    server = Server(dialect)
    try:
        yield server
    finally:
        server.close()
