"""Columns of a log of what users did: an operation log (RuoYi's ``sys_oper_log``) or a login log.

Such a log holds its user's rows (docs/labelling.md), but its columns are not what their words say
elsewhere:

* the request parameters, response bodies and details logged with a user's operation (``oper_param``,
  ``json_result``, ``request_body``, an operation's ``detail`` or ``message``) carry whoever the request was
  about: free text about people, whatever the recognizers find inside;
* an error message, or a login log's message (登录成功, 密码错误), is the system's own text: no one's PI
  unless a value inside is;
* the operator's or user's name column is the account that acted (RuoYi stores the login name there):
  an online identity, not a person's name.
"""

from __future__ import annotations

import dataclasses

from pi_scanner.classify.column import ColumnVerdict
from pi_scanner.classify.column_names import tokenize, tokenize_table
from pi_scanner.classify.people import audit_reference, user_log
from pi_scanner.models import ColumnFinding

#: Table words of a login log (its message is the login's outcome).
_LOGIN_WORDS = frozenset({"login", "logininfor", "loginlog", "signin", "logon"})
#: Column words of a request's payload or result.
_PAYLOAD_WORDS = frozenset({"param", "params", "parameter", "parameters", "payload", "args", "arguments", "body",
                            "request", "response", "req", "resp", "json"})
#: Column words of what the log says about the request itself (its address, method, status, timing).
_REQUEST_META = frozenset({"url", "uri", "method", "status", "time", "type", "code", "ip", "location", "id",
                           "cost", "duration", "header", "headers", "size", "length", "agent"})
#: Column words of the system's own error text.
_ERROR_WORDS = frozenset({"error", "err", "errmsg", "exception", "stack", "trace", "stacktrace"})
#: Column words of a logged operation's message or detail (what the user did, to whom).
_DETAIL_WORDS = frozenset({"message", "msg", "mess", "detail", "details", "content", "description", "desc"})
_DETAIL_TAILS = ("detail", "details", "message", "content")
#: Column words naming who acted (``oper_name``, ``LOG_USER``, ``operator``); ``login`` only before ``name``.
_ACTOR_WORDS = frozenset({"oper", "operator", "operateor", "user", "username", "account", "loginname", "login"})
_ACCOUNT_TAILS = frozenset({"user", "username", "account", "loginname"})
_NOT_ACTOR = frozenset({"id", "ids", "ip", "ipaddr", "location", "time", "type", "url", "dept", "status"})


def _login_log(table: str, comment: str) -> bool:
    tokens = set(tokenize_table(table))
    return bool(tokens & _LOGIN_WORDS) or "logininfo" in table.lower() or "登录" in (comment or "")


def _name_only(column: str, entity: str, n: int) -> ColumnFinding:
    return ColumnFinding(name=column, entity_types=(entity,), confidence=0.2, sampled=n, matched=0, suspected=True)


def log_column(verdict: ColumnVerdict, column: str, table: str, comment: str = "") -> ColumnVerdict:
    """The verdict of one column of a user log (unchanged for a column of any other table).

    Args:
        verdict: The column's verdict from its values and name.
        column: The column name.
        table: The table name.
        comment: The table comment.

    Returns:
        The verdict with the log's reading of the column.
    """
    if not user_log(table, comment):
        return verdict
    tokens = [t for t in tokenize(column) if not t.isdigit()]
    if not tokens:
        return verdict
    words = set(tokens)
    f = verdict.finding
    login = _login_log(table, comment)
    message = bool(words & _DETAIL_WORDS) or tokens[-1].endswith(_DETAIL_TAILS)
    if words & _ERROR_WORDS or (message and (login or "result" in words)):
        # an error, a login's outcome or a call's result message (``result_msg``) is the system's text
        # The system's text: only what the values themselves confirm stays.
        return dataclasses.replace(verdict, finding=None) if f is not None and f.suspected else verdict
    n = len(verdict.cells)
    if (words & _PAYLOAD_WORDS and not words & _REQUEST_META) or (message and not words & _REQUEST_META):
        if f is None:
            return dataclasses.replace(verdict, finding=_name_only(column, "FREE_TEXT", n))
        types = ("FREE_TEXT", *(e for e in f.entity_types if e not in ("FREE_TEXT", "MESSAGE_CONTENT")))
        return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=types))
    if words & _NOT_ACTOR or audit_reference(column):
        return verdict  # who created or changed the log row is bookkeeping (``create_user``)
    account = tokens[-1] in _ACCOUNT_TAILS or tokens in (["oper", "name"], ["login", "name"])
    if f is None and (account or tokens[-1] in _ACTOR_WORDS - {"oper", "login"}):
        return dataclasses.replace(verdict, finding=_name_only(column, "USERNAME", n))
    if f is not None and account and set(f.entity_types) <= {"PERSON_NAME", "USERNAME"}:
        # RuoYi and its kin write the login name there (``oper_name``); a bare ``operator`` may be a real name
        return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=("USERNAME",)))
    return verdict
