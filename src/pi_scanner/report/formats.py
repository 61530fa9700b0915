"""The report formats, in one registry read by the CLI (``--format``) and the daemon's ``report`` job.

A text format maps a JSON report to a string; ``table`` is the terminal rendering (rich) and has no
file extension of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pi_scanner.report.html import render_html
from pi_scanner.report.json_report import dumps
from pi_scanner.report.markdown import render_markdown


@dataclass(frozen=True)
class ReportFormat:
    """One text format of a report.

    Attributes:
        name: The ``--format`` value.
        extension: File extension the daemon's ``report`` job writes (``report-<run>.<extension>``).
        render: JSON report → text.
    """

    name: str
    extension: str
    render: Callable[[dict[str, Any]], str]


#: Text formats by name, in the order the daemon writes them.
TEXT_FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("json", "json", dumps),
        ReportFormat("html", "html", render_html),
        ReportFormat("markdown", "md", render_markdown),
    )
}

#: Every ``--format`` value: the text formats and the terminal table.
FORMAT_NAMES: tuple[str, ...] = ("table", *TEXT_FORMATS)
