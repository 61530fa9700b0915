"""``pi-scanner subject``: find, export, erase and correct one child's data; build the subject index.

Exit codes: 0 success (a subject not found is a success with an empty result), 1 a plan left items
pending or failed, 2 bad usage or configuration, or a plan refused (edited, or made for another store than
a connector points at now), 3 other errors. Values are masked unless ``--reveal``
is given with a ``--reason`` (both audited).

Stores come from ``--config``, from URLs and paths on the command line (as for ``scan``:
``pi-scanner subject find --id-number … sqlite:///school.db ./exports``), or both. A store named on the
command line gets the same connector name as in ``scan``, so the index built from a scan of the same
URLs finds it again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pi_scanner.as_of import parse_as_of
from pi_scanner.catalog.store import Catalog
from pi_scanner.cli.targets import settings_from_targets
from pi_scanner.config import Settings, load_settings
from pi_scanner.errors import ConfigError, PiScannerError, PlanError, UsageError
from pi_scanner.keys import load_hmac_key
from pi_scanner.retention.planner import Plan
from pi_scanner.subjects.apply import SubjectApplyResult, apply_subject_plan
from pi_scanner.subjects.index import build_index
from pi_scanner.subjects.linked import (
    correct_plan_following_links,
    erase_plan_following_links,
    export_following_links,
    find_following_links,
)
from pi_scanner.subjects.requests import FindResult, correct_plan, erase_plan, export, find
from pi_scanner.subjects.traverse import (
    Correction,
    Subject,
    Walk,
    correct_plan_from_record,
    erase_plan_from_record,
    export_from_record,
    walk_subject,
)

subject_app = typer.Typer(help="Subject requests (Art. 19/20): find, export, erase, correct.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="Configuration file (default pi-scanner.yaml "
                                                                       "when no store is named).")]
TargetsArg = Annotated[
    list[str] | None, typer.Argument(help="Stores: SQLAlchemy URLs, s3://bucket/prefix, or local paths (as for scan).")
]
_DEFAULT_CONFIG = Path("pi-scanner.yaml")
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today, Shanghai).")]
IdOpt = Annotated[str | None, typer.Option("--id-number", help="Resident ID, permit, HK/Macau/Taiwan ID.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Mobile number (+86 optional).")]
EmailOpt = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
StudentOpt = Annotated[str | None, typer.Option("--student-no", help="National student number.")]
PassportOpt = Annotated[str | None, typer.Option("--passport", help="Passport or travel-permit number.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Accept identifiers that do not validate.")]
RecordOpt = Annotated[str | None, typer.Option(
    "--record", help="Start from a known row of the child, [CONNECTOR/]SCHEMA.TABLE:KEY, and follow the data map's "
                     "links to every row of that child.")]
AcceptLinkOpt = Annotated[list[str] | None, typer.Option(
    "--accept-link", help="Follow this link although its confidence is below the threshold "
                          "(label as listed, e.g. 'grades.student_id -> students.id'; repeatable).")]
FollowOpt = Annotated[bool, typer.Option(
    "--follow-links", help="With identifiers: also every row linked to the child's table records over the data map "
                           "(attendance, grades… that hold no identifier).")]
NameOpt = Annotated[str | None, typer.Option(
    "--name", help="The child's name (with --birth-date; matched on keyed fingerprints of normalised forms: "
                   "spaces, full-width, case, middle dots). Two children matching are listed, not acted on.")]
BirthOpt = Annotated[str | None, typer.Option(
    "--birth-date", help="The child's date of birth (with --name): 2015-03-04, 2015年3月4日, 二〇一五年三月四日…")]
ValueOpt = Annotated[str | None, typer.Option(
    "--value", help="The corrected value (visible in the process list and shell history: prefer --value-file).")]
ValueFileOpt = Annotated[Path | None, typer.Option(
    "--value-file", help="Read the corrected value from this file, or from stdin with '-' (one trailing newline "
                         "dropped). Only keyed hashes of it are planned, logged or ledgered.")]


def _subject(record: str | None, name: str | None, birth_date: str | None) -> Subject | None:
    """The start of a walk over the data map, or None for a request by identifiers."""
    if name is not None or birth_date is not None:
        if not (name and birth_date):
            raise UsageError("--name and --birth-date go together")
        return Subject(record=record, name=name, birth_date=birth_date)
    return None if record is None else Subject(record=record)


def _value(value: str | None, value_file: Path | None) -> str | None:
    """The corrected value from --value or --value-file (never echoed)."""
    if value is not None and value_file is not None:
        raise UsageError("give --value or --value-file, not both")
    if value_file is None:
        return value
    try:
        text = sys.stdin.read() if str(value_file) == "-" else value_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --value-file: {type(exc).__name__}") from None
    return text.removesuffix("\n").removesuffix("\r")


def _ids(id_number: str | None, phone: str | None, email: str | None, student_no: str | None,
         passport: str | None) -> dict[str, str]:
    given = {"resident_id": id_number, "mobile": phone, "email": email, "student_no": student_no,
             "passport": passport}
    return {k: v for k, v in given.items() if v}


def _settings(config: Path | None, targets: list[str] | None) -> Settings:
    if not targets:
        return load_settings(config or _DEFAULT_CONFIG)
    return settings_from_targets(targets, config)


def _open(config: Path | None, targets: list[str] | None = None) -> tuple[Settings, Catalog]:
    settings = _settings(config, targets)
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    load_hmac_key(settings.catalog)
    return settings, catalog


def _run(fn: Any) -> Any:
    """Map exceptions to exit codes; messages never carry values."""
    try:
        return fn()
    except (UsageError, ConfigError, PlanError) as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    except PiScannerError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(3) from None


def _show(result: FindResult, fmt: str) -> None:
    if fmt == "json":
        console.print_json(json.dumps(result.to_json(), ensure_ascii=False, default=str))
        _show_not_indexed(result.not_indexed)  # in the JSON too; said on stderr so nobody reads it as none
        return
    table = Table("relation", "asset", "record", "columns", "child status", "confirmed", "values")
    for loc in [*result.locations, *result.linked]:
        table.add_row(loc.relation, loc.asset, json.dumps(loc.record_key, ensure_ascii=False),
                      ", ".join(loc.columns), loc.child_status, str(loc.confirmed),
                      json.dumps(loc.values, ensure_ascii=False, default=str))
    console.print(table)
    console.print(f"{len(result.locations)} record(s) of the subject, {len(result.linked)} linked, "
                  f"{result.stale} stale index entries; request {result.request_id}")
    for line in result.unreachable:
        err_console.print(f"[yellow]unreachable:[/yellow] {line}")
    _show_not_indexed(result.not_indexed)


def _show_not_indexed(lines: list[str]) -> None:
    for line in lines:
        err_console.print(f"[yellow]not searched:[/yellow] {line}", highlight=False)


@subject_app.command("index")
def index_cmd(targets: TargetsArg = None, config: ConfigOpt = None, as_of: AsOfOpt = None) -> None:
    """Build or refresh the subject index (census pass over the assets the latest scan found PI in)."""

    def go() -> None:
        settings, catalog = _open(config, targets)
        report = build_index(settings, catalog, parse_as_of(as_of))
        console.print(f"indexed {report.indexed} asset(s), skipped {report.skipped} unchanged, "
                      f"{report.records} records, {report.entries} fingerprints")
        for line in report.errors:
            err_console.print(f"[yellow]error:[/yellow] {line}", highlight=False)

    _run(go)


@subject_app.command("find")
def find_cmd(
    targets: TargetsArg = None,
    config: ConfigOpt = None, id_number: IdOpt = None, phone: PhoneOpt = None,
    email: EmailOpt = None, student_no: StudentOpt = None, passport: PassportOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    reveal: Annotated[bool, typer.Option("--reveal", help="Show raw values (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why values are revealed (audited).")] = None,
    force: ForceOpt = False, as_of: AsOfOpt = None, record: RecordOpt = None, accept_link: AcceptLinkOpt = None,
    name: NameOpt = None, birth_date: BirthOpt = None, follow_links: FollowOpt = False,
) -> None:
    """List every location of a child's data, confirmed live, and linked records."""

    def go() -> None:
        subject = _subject(record, name, birth_date)
        settings, catalog = _open(config, targets)
        if subject is not None:
            _show_walk(walk_subject(settings, catalog, subject, accept_links=accept_link or []), fmt)
            return
        if follow_links:
            found, walk = find_following_links(
                settings, catalog, _ids(id_number, phone, email, student_no, passport), parse_as_of(as_of),
                force=force, accept_links=accept_link or [])
            if fmt == "json":
                doc = {**found.to_json(), "walk": walk.to_json()}
                console.print_json(json.dumps(doc, ensure_ascii=False, default=str))
                _show_unconfirmed(walk)
                return
            _show(found, fmt)
            _show_walk(walk, fmt)
            return
        result = find(settings, catalog, _ids(id_number, phone, email, student_no, passport), parse_as_of(as_of),
                      reveal=reveal, reason=reason, force=force)
        _show(result, fmt)

    _run(go)


@subject_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON file to write (mode 0600).")],
    targets: TargetsArg = None,
    config: ConfigOpt = None, id_number: IdOpt = None, phone: PhoneOpt = None,
    email: EmailOpt = None, student_no: StudentOpt = None, passport: PassportOpt = None,
    force: ForceOpt = False, as_of: AsOfOpt = None, record: RecordOpt = None, accept_link: AcceptLinkOpt = None,
    name: NameOpt = None, birth_date: BirthOpt = None, follow_links: FollowOpt = False,
) -> None:
    """Write the child's records as JSON for a guardian's access request."""

    def go() -> None:
        subject = _subject(record, name, birth_date)
        settings, catalog = _open(config, targets)
        if subject is not None:
            walk = export_from_record(settings, catalog, subject, parse_as_of(as_of), output,
                                      accept_links=accept_link or [])
            console.print(f"exported {walk.rows} row(s) of {len(walk.reached)} table(s) to {output}")
            _show_unconfirmed(walk)
            return
        if follow_links:
            found, walk = export_following_links(
                settings, catalog, _ids(id_number, phone, email, student_no, passport), parse_as_of(as_of), output,
                force=force, accept_links=accept_link or [])
            console.print(f"exported {len(found.locations)} record(s) and {walk.rows} linked row(s) of "
                          f"{len(walk.reached)} table(s) to {output}")
            _show_unconfirmed(walk)
            return
        result = export(settings, catalog, _ids(id_number, phone, email, student_no, passport), parse_as_of(as_of),
                        output, force=force)
        console.print(f"exported {len(result.locations)} record(s) to {output}")

    _run(go)


def _show_unconfirmed(walk: Walk) -> None:
    for label in walk.unconfirmed:
        err_console.print(f"[yellow]link below the threshold, not followed (--accept-link to follow):[/yellow] "
                          f"{label}", highlight=False)
    for table in walk.unaddressable:
        err_console.print(f"[yellow]reached but has no primary key, not acted on:[/yellow] {table}", highlight=False)
    for place in walk.elsewhere:
        err_console.print(f"[yellow]the name and birth date are also in (not walked from; use an identifier):"
                          f"[/yellow] {place}", highlight=False)
    for line in walk.unreachable:
        err_console.print(f"[yellow]unreachable:[/yellow] {line}", highlight=False)
    _show_not_indexed(walk.not_indexed)


def _show_correction(fix: Correction) -> None:
    for asset in fix.not_corrected:
        err_console.print(f"[yellow]also has a column {fix.column!r} or a copy of its value, not corrected (name "
                          f"it TABLE.COLUMN to correct it there):[/yellow] {asset}", highlight=False)


def _show_walk(walk: Walk, fmt: str) -> None:
    if fmt == "json":
        console.print_json(json.dumps(walk.to_json(), ensure_ascii=False, default=str))
    else:
        table = Table("asset", "rows", "via", "confidence")
        for got in walk.reached:
            table.add_row(got.asset, str(len(got.keys)), got.via or "(start)", f"{got.confidence:.2f}")
        console.print(table)
        console.print(f"{walk.rows} row(s) of the child in {len(walk.reached)} table(s); request {walk.request_id}")
        for spec in walk.matched:
            console.print(f"started from {spec} (name and birth date)", highlight=False)
    _show_unconfirmed(walk)


def _write_plan(plan: Plan, output: Path) -> None:
    output.write_text(json.dumps(plan.to_json(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    console.print(f"plan {plan.plan_id}: {len(plan.items)} item(s), "
                  f"{sum(int(i['expected_count']) for i in plan.items)} record(s) -> {output}")
    for line in plan.errors:
        err_console.print(f"[yellow]pending (store unreachable):[/yellow] {line}")


@subject_app.command("erase")
def erase_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Plan file to write.")],
    targets: TargetsArg = None,
    config: ConfigOpt = None, id_number: IdOpt = None, phone: PhoneOpt = None,
    email: EmailOpt = None, student_no: StudentOpt = None, passport: PassportOpt = None,
    force: ForceOpt = False, as_of: AsOfOpt = None, record: RecordOpt = None, accept_link: AcceptLinkOpt = None,
    name: NameOpt = None, birth_date: BirthOpt = None, follow_links: FollowOpt = False,
) -> None:
    """Plan the erasure of the child's records (linked people are never included)."""

    def go() -> None:
        subject = _subject(record, name, birth_date)
        settings, catalog = _open(config, targets)
        if subject is not None:
            plan, walk = erase_plan_from_record(settings, catalog, subject, parse_as_of(as_of),
                                                accept_links=accept_link or [])
            _write_plan(plan, output)
            _show_unconfirmed(walk)
            return
        if follow_links:
            plan, _, walk = erase_plan_following_links(
                settings, catalog, _ids(id_number, phone, email, student_no, passport), parse_as_of(as_of),
                force=force, accept_links=accept_link or [])
            _write_plan(plan, output)
            _show_unconfirmed(walk)
            return
        plan, _ = erase_plan(settings, catalog, _ids(id_number, phone, email, student_no, passport),
                             parse_as_of(as_of), force=force)
        _write_plan(plan, output)

    _run(go)


@subject_app.command("correct")
def correct_cmd(
    field: Annotated[str, typer.Option(
        "--field", help="Column to correct: COLUMN (the child's own record; with --record or --name, the start "
                        "record), or TABLE.COLUMN for the child's rows in a linked table.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Plan file to write.")],
    targets: TargetsArg = None,
    config: ConfigOpt = None, id_number: IdOpt = None, phone: PhoneOpt = None,
    email: EmailOpt = None, student_no: StudentOpt = None, passport: PassportOpt = None,
    force: ForceOpt = False, as_of: AsOfOpt = None, value: ValueOpt = None, value_file: ValueFileOpt = None,
    record: RecordOpt = None, accept_link: AcceptLinkOpt = None, name: NameOpt = None, birth_date: BirthOpt = None,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="With identifiers: also correct copies of the old value in rows linked to the "
                               "child's table records (same kind of PI about the child, per the scan); other "
                               "linked tables with such a column are listed, not corrected.")] = False,
) -> None:
    """Plan an UPDATE of one field of the child's records (Art. 19); `apply` takes the same value again."""

    def go() -> None:
        subject = _subject(record, name, birth_date)
        new = _value(value, value_file)
        if new is None:
            raise UsageError("give the corrected value with --value-file PATH (or - for stdin) or --value")
        settings, catalog = _open(config, targets)
        if subject is not None:
            plan, walk, fix = correct_plan_from_record(settings, catalog, subject, parse_as_of(as_of), field, new,
                                                       accept_links=accept_link or [])
            _write_plan(plan, output)
            _show_correction(fix)
            _show_unconfirmed(walk)
            return
        if follow_links:
            plan, _, walk, fix = correct_plan_following_links(
                settings, catalog, _ids(id_number, phone, email, student_no, passport), parse_as_of(as_of), field,
                new, force=force, accept_links=accept_link or [])
            _write_plan(plan, output)
            _show_correction(fix)
            _show_unconfirmed(walk)
            return
        plan, _ = correct_plan(settings, catalog, _ids(id_number, phone, email, student_no, passport),
                               parse_as_of(as_of), field, new, force=force)
        _write_plan(plan, output)

    _run(go)


def print_apply_result(result: SubjectApplyResult) -> None:
    """One line per plan item (also used by ``retention apply`` for subject plans)."""
    for item in result.items:
        # soft_wrap: one line per item whatever the terminal width (scripts grep these lines).
        console.print(f"{item.status:13} {item.asset} {item.action} {item.affected}/{item.planned} {item.message}",
                      highlight=False, soft_wrap=True)


@subject_app.command("apply")
def apply_cmd(
    plan_file: Annotated[Path, typer.Argument(help="Plan written by erase or correct.")],
    targets: TargetsArg = None,
    config: ConfigOpt = None,
    value: Annotated[str | None, typer.Option("--value", help="For a correction: the planned value.")] = None,
    value_file: ValueFileOpt = None,
) -> None:
    """Execute a subject plan; items of unreachable stores stay pending until a rerun."""

    def go() -> bool:
        new = _value(value, value_file)
        settings, catalog = _open(config, targets)
        try:
            data = json.loads(plan_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read plan {plan_file}: {type(exc).__name__}") from None
        result = apply_subject_plan(Plan.from_json(data), settings, catalog, value=new)
        print_apply_result(result)
        return result.complete

    if not _run(go):
        raise typer.Exit(1)
