"""Transient and terminal are kinds an error has by type; a connector error names its connector in a field."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from pi_scanner.errors import (
    CapabilityError,
    ConnectorError,
    PiScannerError,
    TerminalConnectorError,
    TerminalError,
    TransientConnectorError,
    TransientError,
)
from pi_scanner.metrics import ASSET_ERROR_STAGES
from pi_scanner.models import ERROR_STAGES


def test_a_connector_error_can_be_transient_and_is_caught_as_one() -> None:
    with pytest.raises(TransientError) as caught:
        raise TransientConnectorError("school", "connection lost", connector_type="sql")
    exc = caught.value
    assert isinstance(exc, ConnectorError) and not isinstance(exc, TerminalError)
    assert exc.connector == "school" and exc.connector_type == "sql" and exc.detail == "connection lost"
    assert str(exc) == "connector 'school' (type sql): connection lost"


def test_a_connector_error_can_be_terminal() -> None:
    exc = TerminalConnectorError("bucket", "access denied")
    assert isinstance(exc, TerminalError) and isinstance(exc, ConnectorError) and not isinstance(exc, TransientError)
    assert exc.connector == "bucket" and exc.connector_type == ""
    assert str(exc) == "connector 'bucket': access denied"


def test_a_plain_connector_error_is_neither() -> None:
    exc = ConnectorError("x", "bad url")
    assert isinstance(exc, PiScannerError)
    assert not isinstance(exc, TransientError | TerminalError)


def test_a_missing_capability_is_terminal_and_names_connector_type_and_capability() -> None:
    exc = CapabilityError("exports", "fs", "delete")
    assert isinstance(exc, TerminalError) and isinstance(exc, ConnectorError)
    assert (exc.connector, exc.connector_type, exc.capability) == ("exports", "fs", "delete")
    assert str(exc) == "connector 'exports' (type fs): cannot delete"


def test_the_report_schema_and_the_metrics_list_the_stages_errors_are_recorded_at() -> None:
    schema = json.loads(files("pi_scanner.report").joinpath("report-schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["$defs"]["error"]["properties"]["stage"]["enum"]) == ERROR_STAGES
    assert ASSET_ERROR_STAGES == ERROR_STAGES
    assert {"connect", "discover", "census"} <= set(ERROR_STAGES)
