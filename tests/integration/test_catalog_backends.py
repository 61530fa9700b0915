"""The catalog on real backends: migrations from empty, idempotent re-runs, two writer processes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.catalog import schema
from pi_scanner.catalog.store import Catalog
from pi_scanner.coverage import run_summary
from pi_scanner.models import (
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
    Coverage,
)

ROOT = Path(__file__).resolve().parents[2]
ASSETS_PER_WRITER = 40


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mysql", marks=pytest.mark.mysql),
    ]
)
def catalog_url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgres": "pg_url", "mysql": "mysql_url"}[request.param]
    return str(request.getfixturevalue(fixture))


def _result(i: int) -> AssetResult:
    return AssetResult(
        asset=AssetRef("school", AssetKind.TABLE, ("public", f"学生表_{i}")),
        columns=(
            ColumnFinding(
                "身份证号", ("CN_RESIDENT_ID",), 0.9, 10, 9, masked_examples=("110105********1239",), articles=(9,)
            ),
        ),
        child_status=ChildStatus.CHILD,
        rows_scanned=10,
        ages=AgeCounts(child=9, adult=1),
    )


def test_migrate_from_empty_and_rerun(catalog_url: str) -> None:
    with Catalog(catalog_url) as cat:
        assert cat.current_revision() is None
        cat.migrate()
        head = cat.current_revision()
        assert head is not None
        cat.migrate()  # idempotent
        assert cat.current_revision() == head
        tables = set(sa.inspect(cat.engine).get_table_names())
        assert set(schema.metadata.tables) <= tables

        run_id = cat.start_run(dt.date(2026, 9, 1), ["school"], "cli")
        cat.record_result(run_id, _result(1))
        cat.record_error(run_id, AssetError(None, "discover", "ConnectorError", "unreachable"))
        cat.finish_run(run_id, "partial")
        run = cat.load_run(run_id)
        assert run.results == [_result(1)]
        assert run.errors[0].asset is None
        assert run.finished_at is not None and run.finished_at.tzinfo is not None
        # Timestamps keep sub-second precision (MariaDB DATETIME drops it unless fsp=6).
        assert run.started_at.microsecond != 0 or run.finished_at.microsecond != 0
        assert cat.list_runs()[0].status == "partial"


_WRITER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pi_scanner.catalog.store import Catalog
    from pi_scanner.models import AgeCounts, AssetError, AssetKind, AssetRef, AssetResult, ChildStatus

    url, start_at, n, tag = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    time.sleep(max(0.0, start_at - time.time()))
    cat = Catalog(url)
    cat.migrate()
    run_id = cat.start_run(dt.date(2026, 9, 1), ["school"], tag)
    for i in range(n):
        ref = AssetRef("school", AssetKind.TABLE, ("public", f"t{i}"))
        cat.record_result(run_id, AssetResult(ref, (), ChildStatus.NONE, i, AgeCounts(adult=i)))
        if i % 10 == 0:
            cat.record_error(run_id, AssetError(ref, "sample", "TransientError", "timed out"))
    cat.finish_run(run_id, "ok")
    cat.close()
    print(run_id)
    """
)


@pytest.mark.slow
def test_two_processes_write_concurrently(catalog_url: str) -> None:
    start_at = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, catalog_url, str(start_at), str(ASSETS_PER_WRITER), tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for tag in ("writer-a", "writer-b")
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err[-2000:]
    run_ids = [out.strip() for out, _ in outputs]

    with Catalog(catalog_url) as cat:
        summaries = {s.run_id: s for s in cat.list_runs()}
        assert set(run_ids) == set(summaries)
        for run_id in run_ids:
            s = summaries[run_id]
            assert (s.status, s.assets, s.errors) == ("ok", ASSETS_PER_WRITER, ASSETS_PER_WRITER // 10)
            run = cat.load_run(run_id)
            assert sorted(r.rows_scanned for r in run.results) == list(range(ASSETS_PER_WRITER))
        with cat.engine.connect() as conn:
            # Both writers registered the same assets: one row each, no duplicates.
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.assets)).scalar_one() == (
                ASSETS_PER_WRITER
            )


def test_coverage_is_kept_per_verdict_and_per_run(catalog_url: str) -> None:
    """What a verdict read and the run's coverage summary survive the catalog (migration 0009)."""
    with Catalog(catalog_url) as cat:
        cat.migrate("0008_collection_ages")
        assert "coverage" not in {c["name"] for c in sa.inspect(cat.engine).get_columns("asset_verdicts")}
        cat.migrate()
        old_run = cat.start_run(dt.date(2026, 9, 1), ["school"], "cli")
        cat.record_result(old_run, _result(0))  # a verdict without coverage (as every one before 0009)
        cat.finish_run(old_run, "ok")
        assert cat.load_run(old_run).results[0].coverage is None  # unknown, not made up
        assert cat.list_runs()[0].coverage is None
        covered = Coverage(rows_read=200, rows_total=None, bytes_read=4096, bytes_total=9000, columns_read=3,
                           columns_total=3, cells_read=600, limits=(("damaged", 1), ("sheets", 2)))
        not_read = Coverage(limits=(("damaged", 1),), not_read="damaged", detail="export.gz: gzip stream is corrupt")
        run_id = cat.start_run(dt.date(2026, 9, 2), ["school"], "cli")
        first = dataclasses.replace(_result(1), coverage=covered)
        second = dataclasses.replace(_result(2), coverage=not_read, child_status=ChildStatus.UNKNOWN)
        cat.record_result(run_id, first)
        cat.record_result(run_id, second)
        summary = run_summary([first, second], [])
        cat.finish_run(run_id, "partial", summary)
        loaded = {r.asset.path[-1]: r.coverage for r in cat.load_run(run_id).results}
        assert loaded == {"学生表_1": covered, "学生表_2": not_read}
        (latest, *_) = cat.list_runs()
        assert latest.coverage == summary
        assert summary["assets_faulty"] == 2 and summary["not_read"] == {"damaged": 1}
