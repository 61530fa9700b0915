"""Columns of a log of what users did (docs/labelling.md: request payloads are free text, subject mixed)."""

import datetime as dt

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)


def _sample(table: str, columns: list[str], rows: list[list[object]]) -> Sample:
    return Sample(AssetRef("db", AssetKind.TABLE, ("public", table)), [ColumnInfo(c) for c in columns], rows)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(ClassifierConfig(), AS_OF)


def test_operation_log_payloads_are_free_text_and_its_operator_an_account(clf: Classifier) -> None:
    """RuoYi's ``sys_oper_log``: what the request carried is about people, its address and timing are not."""
    cols = ["oper_id", "title", "method", "request_method", "oper_name", "dept_name", "oper_url", "oper_ip",
            "oper_param", "json_result", "status", "error_msg", "oper_time", "cost_time"]
    rows = [[i, "学生管理", "com.x.StudentController.edit()", "POST", f"admin{i}", "教务处", "/system/student",
             "10.0.0.1", '{"studentName":"王芳","phone":"13812345678"}', '{"code":200,"msg":"操作成功"}', 0,
             "", "2025-01-02 08:00:00", 12] for i in range(10)]
    r = clf.classify(_sample("sys_oper_log", cols, rows))
    got = {c.name: c.category for c in r.columns}
    assert got["oper_param"] == "free_text" and got["json_result"] == "free_text"
    assert got["oper_name"] == "online_identity"
    for none in ("title", "method", "request_method", "oper_url", "status", "error_msg", "oper_time", "cost_time"):
        assert none not in got, none


def test_login_log_message_is_the_systems_and_an_operation_detail_is_free_text(clf: Classifier) -> None:
    cols = ["info_id", "user_name", "ipaddr", "status", "msg", "login_time"]
    rows = [[i, f"user{i}", "10.0.0.2", "0", "登录成功", "2025-01-02 08:00:00"] for i in range(10)]
    got = {c.name: c.category for c in clf.classify(_sample("sys_logininfor", cols, rows)).columns}
    assert "msg" not in got and got["user_name"] == "online_identity"
    cols = ["logid", "operateor", "operatetype", "operatedetail", "operatetime", "operateresult"]
    got = {c.name: c.category for c in clf.classify(_sample("tbl_syslog", cols, [])).columns}
    assert got == {"operateor": "online_identity", "operatedetail": "free_text"}


def test_columns_of_other_tables_keep_their_reading(clf: Classifier) -> None:
    """No-match: a message table's body stays a message, a settings table's params nobody's."""
    body = "老师您好，孩子明天请假一天，谢谢！"
    rows = [[i, i % 3, body] for i in range(10)]
    got = {c.name: c.category for c in clf.classify(_sample("t_message", ["id", "sender_id", "content"], rows)).columns}
    assert got == {"content": "communications"}
    assert clf.classify(_sample("sys_config", ["id", "config_name", "params"], [])).columns == ()


def test_who_created_a_log_row_is_bookkeeping(clf: Classifier) -> None:
    """No-match: ``create_user``/``update_user`` of a log row are the system's audit columns."""
    cols = ["id", "operator", "content", "error_msg", "create_user", "update_user"]
    got = {c.name: c.category for c in clf.classify(_sample("t_operation_log", cols, [])).columns}
    assert "create_user" not in got and "update_user" not in got and "error_msg" not in got
    assert got["content"] == "free_text"


def test_a_calls_result_message_is_the_systems_and_its_json_result_a_payload(clf: Classifier) -> None:
    cols = ["id", "user_id", "request_params", "result_msg", "json_result"]
    got = {c.name: c.category for c in clf.classify(_sample("infra_api_access_log", cols, [])).columns}
    assert got == {"request_params": "free_text", "json_result": "free_text"}
