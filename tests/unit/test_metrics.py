from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from pi_scanner.metrics import ENTITY_CATEGORIES, Metrics, entity_category, observe_scan
from pi_scanner.models import (
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
    ScanRun,
)

T0 = dt.datetime(2026, 3, 15, 2, 0, tzinfo=dt.UTC)


def _col(name: str, entity: str, *, encrypted: bool = False, suspected: bool = False) -> ColumnFinding:
    return ColumnFinding(name, (entity,), 0.9, 100, 90, encrypted=encrypted, suspected=suspected,
                         masked_examples=("110105********1239",))


def _asset(connector: str, table: str, status: ChildStatus, cols: tuple[ColumnFinding, ...],
           child: int = 0, minors: int = 0, notes: tuple[str, ...] = ()) -> AssetResult:
    ref = AssetRef(connector, AssetKind.TABLE, ("public", table))
    return AssetResult(ref, cols, status, 100, AgeCounts(child=child, minor_14_17=minors), notes)


def _run(results: list[AssetResult], errors: list[AssetError] | None = None,
         connectors: list[str] | None = None, seconds: float = 42.0) -> ScanRun:
    return ScanRun(
        run_id="r1", as_of=dt.date(2026, 3, 15), started_at=T0, finished_at=T0 + dt.timedelta(seconds=seconds),
        results=results, errors=errors or [], connectors=connectors or sorted({r.asset.connector for r in results}),
    )


@pytest.mark.parametrize(
    ("entity", "category"),
    [
        ("CN_RESIDENT_ID", "identity_document"),
        ("CN_PASSPORT", "identity_document"),
        ("CN_STUDENT_NUMBER", "identity_document"),
        ("CN_MOBILE", "basic_profile"),
        ("EMAIL_ADDRESS", "basic_profile"),
        ("PERSON_NAME", "basic_profile"),
        ("DATE_OF_BIRTH", "basic_profile"),
        ("GUARDIAN_RELATION", "basic_profile"),
        ("CN_BANK_CARD", "financial"),
        ("PHOTO", "biometric_image"),
        ("WECHAT_OPENID", "online_identity"),
        ("PASSWORD_HASH", "credential"),
        ("MEDICAL_INFO", "health"),
        ("FREE_TEXT", "free_text"),
        # no guessing by keyword: a type the registry does not know stays in one bounded bucket
        ("HK_ID_CARD", "other_sensitive"),
        ("PAID_AMOUNT", "other_sensitive"),
        ("SOMETHING_ELSE", "other_sensitive"),
    ],
)
def test_entity_category(entity: str, category: str) -> None:
    assert entity_category(entity) == category
    assert category in ENTITY_CATEGORIES
    assert len(ENTITY_CATEGORIES) == 13


def test_observe_scan_sets_estate_gauges() -> None:
    m = Metrics()
    run = _run([
        _asset("db", "students", ChildStatus.CHILD,
               (_col("sfzh", "CN_RESIDENT_ID"), _col("jhr_dh", "CN_MOBILE")), child=80, minors=5),
        _asset("db", "kids_enc", ChildStatus.LIKELY_CHILD, (_col("sfzh", "CN_RESIDENT_ID", encrypted=True),),
               child=10),
        _asset("db", "staff", ChildStatus.ADULT, (_col("phone", "CN_MOBILE"),)),
        _asset("db", "empty_guess", ChildStatus.CHILD, (_col("xm", "PERSON_NAME", suspected=True),), notes=("public",)),
    ])
    m.observe_scan(run, "nightly")
    v = m.value
    assert v("pi_scanner_scan_runs_total", {"job": "nightly"}) == 1
    assert v("pi_scanner_scan_duration_seconds_sum", {"job": "nightly"}) == 42.0
    assert v("pi_scanner_assets_scanned_total", {"connector": "db"}) == 4
    assert v("pi_scanner_scanned_rows_total", {"connector": "db"}) == 400
    assert v("pi_scanner_children_pi_assets", {"connector": "db", "entity_category": "identity_document"}) == 2
    # students (ID + guardian phone) and empty_guess (a name) hold basic-profile PI
    assert v("pi_scanner_children_pi_assets", {"connector": "db", "entity_category": "basic_profile"}) == 2
    assert v("pi_scanner_children_pi_assets", {"connector": "db", "entity_category": "financial"}) == 0
    assert v("pi_scanner_children_records_estimated", {"connector": "db"}) == 90
    assert v("pi_scanner_minor_14_17_records_estimated", {"connector": "db"}) == 5
    # students is plaintext; kids_enc is encrypted; empty_guess has only a name-suspected column.
    assert v("pi_scanner_unencrypted_children_assets", {"connector": "db"}) == 1
    assert v("pi_scanner_public_children_assets", {"connector": "db"}) == 1


def test_at_rest_encryption_and_public_meta_from_discovery() -> None:
    m = Metrics()
    a = _asset("s3", "a.csv", ChildStatus.CHILD, (_col("id", "CN_RESIDENT_ID"),), child=3)
    b = _asset("s3", "b.csv", ChildStatus.CHILD, (_col("id", "CN_RESIDENT_ID"),), child=3)
    infos = {a.asset.display: SimpleNamespace(meta={"encrypted_at_rest": True}),
             b.asset.display: SimpleNamespace(meta={"public": True})}
    m.observe_scan(_run([a, b]), "j", infos=infos, bytes_read=2048)
    assert m.value("pi_scanner_unencrypted_children_assets", {"connector": "s3"}) == 1
    assert m.value("pi_scanner_public_children_assets", {"connector": "s3"}) == 1
    assert m.value("pi_scanner_scanned_bytes_total", {"connector": "all"}) == 2048


def test_second_scan_replaces_estate_and_unreachable_store_keeps_it() -> None:
    m = Metrics()
    first = _run([_asset("db", "students", ChildStatus.CHILD, (_col("sfzh", "CN_RESIDENT_ID"),), child=7),
                  _asset("fs", "export", ChildStatus.CHILD, (_col("dh", "CN_MOBILE"),), child=2)])
    m.observe_scan(first, "j")
    assert m.value("pi_scanner_children_records_estimated", {"connector": "db"}) == 7
    # The table was cleaned: the next scan of db finds no child; fs is not in this run and keeps its value.
    m.observe_scan(_run([_asset("db", "students", ChildStatus.NONE, ())]), "j")
    assert m.value("pi_scanner_children_records_estimated", {"connector": "db"}) == 0
    assert m.value("pi_scanner_children_pi_assets", {"connector": "db", "entity_category": "identity_document"}) == 0
    assert m.value("pi_scanner_children_records_estimated", {"connector": "fs"}) == 2
    # fs unreachable: counted as a failure, its last known estate stays.
    err = AssetError(None, "connect", "ConnectorError", "fs: cannot list folder")
    m.observe_scan(_run([], errors=[err], connectors=["fs"]), "j")
    assert m.value("pi_scanner_scan_failures_total", {"job": "j", "connector": "fs"}) == 1
    assert m.value("pi_scanner_scan_asset_errors_total", {"job": "j", "connector": "fs", "stage": "connect"}) == 1
    assert m.value("pi_scanner_children_records_estimated", {"connector": "fs"}) == 2


def test_per_asset_series_only_when_enabled_and_capped() -> None:
    results = [_asset("db", f"t{i}", ChildStatus.CHILD, (_col("sfzh", "CN_RESIDENT_ID"),), child=i)
               for i in range(1, 6)]
    off = Metrics()
    off.observe_scan(_run(results), "j")
    assert "pi_scanner_asset_children_records{" not in off.exposition().decode()
    on = Metrics(per_asset=True, per_asset_limit=2)
    on.observe_scan(_run(results), "j")
    text = on.exposition().decode()
    assert text.count("pi_scanner_asset_children_records{") == 2
    assert on.value("pi_scanner_asset_children_records", {"connector": "db", "asset": "db:public/t5"}) == 5
    assert on.value("pi_scanner_asset_children_records", {"connector": "db", "asset": "db:public/t1"}) is None


def test_exposition_is_valid_prefixed_and_free_of_values() -> None:
    m = Metrics()
    observe_scan(_run([_asset("db", "students", ChildStatus.CHILD, (_col("sfzh", "CN_RESIDENT_ID"),), child=1)]),
                 "j", metrics=m)
    m.set_over_retained({"students-3y": 12})
    m.record_deletions("students-3y", 5)
    m.set_ledger(40, verified_ok=False)
    m.record_job("j", "scan", "success", 1.5)
    m.declare_jobs([("j", "scan")])
    text = m.exposition().decode()
    families = list(text_string_to_metric_families(text))
    assert families
    for fam in families:
        assert fam.name.startswith("pi_scanner_"), fam.name
        for sample in fam.samples:
            assert set(sample.labels) <= {"job", "kind", "outcome", "connector", "entity_category", "stage",
                                          "policy", "version", "python", "le", "asset"}
    # Masked examples and ID-like digit runs never reach the exposition.
    assert "110105" not in text
    for fam in families:
        for sample in fam.samples:
            assert not any(re.search(r"\d{6,}", v) for v in sample.labels.values()), sample
    assert m.value("pi_scanner_over_retained_records", {"policy": "students-3y"}) == 12
    assert m.value("pi_scanner_deleted_records_total", {"policy": "students-3y"}) == 5
    assert m.value("pi_scanner_ledger_verify_ok") == 0
    assert m.value("pi_scanner_job_last_success_timestamp_seconds", {"job": "j"}) is not None
    m.set_over_retained({})
    assert m.value("pi_scanner_over_retained_records", {"policy": "students-3y"}) is None


def test_failed_job_does_not_move_last_success() -> None:
    m = Metrics()
    m.record_job("j", "scan", "failure", 2.0)
    assert m.value("pi_scanner_job_last_success_timestamp_seconds", {"job": "j"}) is None
    assert m.value("pi_scanner_job_last_run_timestamp_seconds", {"job": "j"}) is not None
    assert m.value("pi_scanner_job_runs_total", {"job": "j", "kind": "scan", "outcome": "failure"}) == 1
