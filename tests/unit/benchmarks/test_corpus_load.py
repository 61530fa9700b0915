"""benchmarks/corpus/load.py and the scorer's bad-input paths: loud label failures, recorded dialect failures."""

import json
import shutil
from pathlib import Path

import pytest
from benchmarks.corpus.load import (
    AS_OF,
    CorpusError,
    Server,
    discover,
    generate_rows,
    load,
    load_system,
    map_type,
)
from benchmarks.real_schemas import check_loaded, finding_category, main, run_corpus

MINI = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "mini_school"


@pytest.fixture
def root(tmp_path):
    shutil.copytree(MINI, tmp_path / "mini_school")
    return tmp_path


def _edit(path: Path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "dialect", "sql"),
    [
        ("int(11) unsigned", "mariadb", "INTEGER UNSIGNED"),
        ("int(11) unsigned", "postgresql", "BIGINT"),
        ("tinyint(1)", "mariadb", "TINYINT(1)"),
        ("tinyint(1)", "postgresql", "SMALLINT"),
        ("varchar(60)", "sqlite", "VARCHAR(60)"),
        ("character varying(20)", "postgresql", "VARCHAR(20)"),
        ("enum('M','F')", "mariadb", "ENUM('M','F')"),
        ("enum('male','female')", "postgresql", "VARCHAR(6)"),
        ("longtext", "mariadb", "LONGTEXT"),
        ("timestamp with time zone", "postgresql", "TIMESTAMP WITH TIME ZONE"),
        ("datetime", "postgresql", "TIMESTAMP WITHOUT TIME ZONE"),
        ("decimal(10,2)", "sqlite", "NUMERIC(10, 2)"),
        ("double", "mariadb", "DOUBLE"),
        ("blob", "postgresql", "BYTEA"),
        ("jsonb", "postgresql", "JSONB"),
        ("uuid", "mariadb", "CHAR(36)"),
        ("boolean", "sqlite", "BOOLEAN"),
    ],
)
def test_map_type(text, dialect, sql):
    import sqlalchemy.dialects.mysql as my
    import sqlalchemy.dialects.postgresql as pg
    import sqlalchemy.dialects.sqlite as lite

    d = {"mariadb": my.dialect(), "postgresql": pg.dialect(), "sqlite": lite.dialect()}[dialect]
    assert map_type(text, dialect).type.compile(dialect=d) == sql


def test_unknown_type_is_text_with_a_note():
    mapped = map_type("geometry", "postgresql")
    assert mapped.kind == "str" and "unknown type" in (mapped.note or "")


def test_text_in_a_key_is_varchar_in_mariadb():
    assert map_type("text", "mariadb", in_key=True).length == 255


def test_mini_system_validates_and_generates_deterministically():
    system = load_system(MINI)
    a, b = generate_rows(system), generate_rows(system)
    assert a["xs_jbxx"] == b["xs_jbxx"] and len(a["attendance"]) == 180
    assert a.child_rows(AS_OF) == {"xs_jbxx": 48}


def test_label_naming_a_missing_column_fails_loudly(root, capsys):
    _edit(root / "mini_school" / "labels.json",
          lambda d: d["columns"].update({"xs_jbxx.NOPE": {"category": "none", "subject": "none"}}))
    with pytest.raises(CorpusError, match=r"labels column xs_jbxx\.NOPE, which is not in the schema"):
        discover(root)
    assert main(["--root", str(root)]) == 2
    assert "xs_jbxx.NOPE" in capsys.readouterr().err


def test_column_without_label_fails_loudly(root):
    _edit(root / "mini_school" / "labels.json", lambda d: d["columns"].pop("guardians.mobile"))
    with pytest.raises(CorpusError, match=r"column guardians\.mobile has no label"):
        discover(root)


def test_bad_category_and_unknown_link_fail_loudly(root):
    def change(d):
        d["columns"]["xs_jbxx.XM"]["category"] = "name"
        d["links"]["attendance.xh"] = "students.id"

    _edit(root / "mini_school" / "labels.json", change)
    with pytest.raises(CorpusError) as err:
        discover(root)
    assert "unknown category 'name'" in str(err.value) and "students.id" in str(err.value)


def test_loaded_database_must_match_the_labels():
    system = load_system(MINI)
    db = {t["name"]: [c["name"] for c in t["columns"]] for t in system.schema["tables"]}
    check_loaded(system, db)  # the same: fine
    db["guardians"].append("extra_col")
    db["attendance"].remove("status")
    with pytest.raises(CorpusError) as err:
        check_loaded(system, db)
    assert "loaded column guardians.extra_col has no label" in str(err.value)
    assert "labelled column attendance.status is not in the loaded database" in str(err.value)


def test_generator_filling_an_unknown_column_fails_loudly(root):
    gen = root / "mini_school" / "generate.py"
    gen.write_text(gen.read_text(encoding="utf-8").replace('"status": r.choice((0, 1))', '"stat": 1'),
                   encoding="utf-8")
    with pytest.raises(CorpusError, match="attendance rows fill unknown column"):
        generate_rows(load_system(root / "mini_school"))


def test_a_dialect_failure_is_recorded_and_the_rest_still_scores(root):
    # Two tables whose names differ only in case: SQLite refuses the second CREATE TABLE (PostgreSQL and
    # MariaDB on Linux accept it). The other system still loads and scores.
    broken = root / "mini_broken"
    shutil.copytree(root / "mini_school", broken)

    def schema(d):
        d["system"] = "mini_broken"
        d["tables"].append({"name": "SYS_CONFIG", "columns": [{"name": "k", "type": "varchar(9)"}]})

    def labels(d):
        d["system"] = "mini_broken"
        d["columns"]["SYS_CONFIG.k"] = {"category": "none", "subject": "none"}
        d["tables"]["SYS_CONFIG"] = {"rows": "none", "via_link": False}

    _edit(broken / "schema.json", schema)
    _edit(broken / "labels.json", labels)
    result = run_corpus("dev", ["sqlite"], root=root)["dialects"]["sqlite"]
    failure = result["failures"]["mini_broken"]
    assert failure.startswith("ddl:") and "CREATE TABLE" in failure and "sys_config" in failure.lower()
    assert result["systems"]["mini_school"]["failure"] is None
    assert result["pooled"]["systems"] == 1
    assert result["pooled"]["columns"]["labelled"] == 22


@pytest.mark.postgres
def test_postgresql_refuses_rows_that_break_a_declared_key(root, pg_url):
    # pg_url only proves the server answers (skip or CI failure otherwise); Server makes its own database.
    gen = root / "mini_school" / "generate.py"
    gen.write_text(gen.read_text(encoding="utf-8").replace('"student_xh": xh', '"student_xh": "X" + xh'),
                   encoding="utf-8")
    system = load_system(root / "mini_school")
    rows = generate_rows(system)
    with Server("postgresql") as server:
        loaded = load(system, server, rows)
        assert loaded.failure is not None and loaded.failure.stage == "constraint"
        assert "FOREIGN KEY" in loaded.failure.statement and "ForeignKeyViolation" in loaded.failure.error
    with Server("sqlite") as server:  # SQLite does not enforce the key: it loads
        assert load(system, server, rows).failure is None


def test_category_of_a_finding():
    assert finding_category({"entity_types": ["CN_MOBILE"]}) == "basic_profile"
    assert finding_category({"entity_types": ["SOMETHING_NEW"]}) == "unmapped"
    assert finding_category({"entity_types": ["CN_MOBILE"], "category": "communications"}) == "communications"
    assert finding_category({"entity_types": [], "category": "none"}) is None


def test_agreement_between_two_labellings(root, capsys):
    second = json.loads((root / "mini_school" / "labels.json").read_text(encoding="utf-8"))
    second["columns"]["xs_jbxx.BZ"] = {"category": "none", "subject": "none"}  # one column differs
    second["tables"]["guardians"]["rows"] = "mixed"  # one table differs
    del second["links"]["attendance.xh"]  # one link missing
    (root / "mini_school" / "labels.second.json").write_text(json.dumps(second), encoding="utf-8")
    from benchmarks.real_schemas import agreement

    a = agreement("mini_school", root)
    assert a["columns"] == 22 and a["category_agreement"] == round(21 / 22, 3)
    assert 0 < a["category_kappa"] < 1 and a["table_rows_agreement"] == 0.75
    assert (a["links_first"], a["links_second"], a["links_both"], a["link_agreement"]) == (2, 1, 1, 0.5)
    assert "xs_jbxx.BZ: free_text vs none" in a["disagreements"]
    assert main(["--root", str(root), "--agreement", "mini_school"]) == 0
    assert "kappa" in capsys.readouterr().out


def test_agreement_without_a_second_labelling_fails_loudly(root):
    assert main(["--root", str(root), "--agreement", "mini_school"]) == 2


@pytest.mark.postgres
def test_postgresql_gets_comments_and_keys(pg_url):
    import sqlalchemy as sa

    system = load_system(MINI)
    with Server("postgresql") as server:
        loaded = load(system, server, generate_rows(system))
        assert loaded.failure is None
        engine = sa.create_engine(loaded.url)
        try:
            insp = sa.inspect(engine)
            assert insp.get_table_comment("xs_jbxx")["text"] == "学生基本信息"
            assert [c["comment"] for c in insp.get_columns("xs_jbxx")][:2] == ["学号", "姓名"]
            assert insp.get_foreign_keys("guardians")[0]["referred_table"] == "xs_jbxx"
        finally:
            engine.dispose()


@pytest.mark.mysql
def test_mariadb_myisam_style_has_no_foreign_keys(root, mysql_url):
    import sqlalchemy as sa

    _edit(root / "mini_school" / "schema.json", lambda d: d.update(dialect_notes="MyISAM tables upstream"))
    system = load_system(root / "mini_school")
    assert system.myisam
    with Server("mariadb") as server:
        loaded = load(system, server, generate_rows(system))
        assert loaded.failure is None
        engine = sa.create_engine(loaded.url)
        try:
            insp = sa.inspect(engine)
            assert insp.get_foreign_keys("guardians") == []
            assert insp.get_table_options("guardians")["mysql_engine"] == "MyISAM"
            assert [c["comment"] for c in insp.get_columns("xs_jbxx")][:2] == ["学号", "姓名"]
        finally:
            engine.dispose()


def test_a_scan_crash_is_recorded_and_the_rest_still_scores(root, monkeypatch, capsys):
    import benchmarks.real_schemas as scorer

    real_scan = scorer.scan
    second = root / "mini_two"
    shutil.copytree(root / "mini_school", second)
    for name in ("schema.json", "labels.json"):
        _edit(second / name, lambda d: d.update(system="mini_two"))

    def scan(url, as_of):
        if "mini_two" in url:
            raise OverflowError("boom")
        return real_scan(url, as_of)

    monkeypatch.setattr(scorer, "scan", scan)
    result = run_corpus("dev", ["sqlite"], root=root)["dialects"]["sqlite"]
    assert result["failures"]["mini_two"].startswith("scan crashed: OverflowError: boom")
    assert result["systems"]["mini_school"]["failure"] is None and result["pooled"]["systems"] == 1
    assert main(["--root", str(root)]) == 1
    assert "pi-scanner crashed on: sqlite/mini_two" in capsys.readouterr().err


def test_agreement_leaves_out_what_the_schema_gained_after_the_second_labelling(root):
    second = json.loads((root / "mini_school" / "labels.json").read_text(encoding="utf-8"))
    for key in [k for k in second["columns"] if k.startswith("sys_config.")]:
        del second["columns"][key]
    del second["tables"]["sys_config"]
    (root / "mini_school" / "labels.second.json").write_text(json.dumps(second), encoding="utf-8")
    from benchmarks.real_schemas import agreement

    a = agreement("mini_school", root)
    assert (a["columns"], a["columns_not_in_second"], a["tables_not_in_second"]) == (18, 4, 1)
    assert a["category_agreement"] == 1.0
    second["columns"]["sys_config.nope"] = {"category": "none", "subject": "none"}  # a name not in the schema
    (root / "mini_school" / "labels.second.json").write_text(json.dumps(second), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"labels.second.json: labels column sys_config\.nope"):
        agreement("mini_school", root)
