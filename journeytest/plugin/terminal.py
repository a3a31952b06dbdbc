"""What journeytest adds to pytest's terminal output: status letters, the checks, and what each journey cost."""

from __future__ import annotations

from typing import Any

import pytest

from ..record.journey import JourneyResult
from . import wire


def teststatus(report: pytest.TestReport) -> tuple[str, str, Any] | None:
    """WARN for a check that warned, FLAKY for a journey that passed on a retry."""
    if report.when == "call" and report.passed:
        checked = wire.check_of(report)
        if checked is not None and checked["verdict"] == "WARN":
            return "warned", "w", ("WARN", {"yellow": True})
        if checked is not None and checked["verdict"] == "INCONCLUSIVE":
            return "inconclusive", "?", ("INCONCLUSIVE", {"yellow": True})
        result = wire.journey_of(report)
        if result is not None and result.outcome == "flaky":
            return "flaky", "~", ("FLAKY", {"yellow": True})
    return None


def _calls(terminalreporter: Any) -> list[pytest.TestReport]:
    return [
        report
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
    ]


def summary(terminalreporter: Any) -> None:
    calls = _calls(terminalreporter)
    checks = [c for report in calls if (c := wire.check_of(report)) is not None]
    if checks:
        terminalreporter.write_sep("=", "journeytest checks")
        colours = {
            "FAIL": {"red": True},
            "WARN": {"yellow": True},
            "PASS": {"green": True},
            "INCONCLUSIVE": {"yellow": True},
        }
        for c in sorted(checks, key=lambda c: (c["scenario"], c["check"])):
            terminalreporter.write_line(
                f"{c['verdict']:<4}  {c['scenario']}::{c['check']}: {c['evidence']}", **colours.get(c["verdict"], {})
            )

    results = [r for report in calls if (r := wire.journey_of(report)) is not None]
    if not results:
        return
    terminalreporter.write_sep("=", "journeytest: what each journey cost the customer")
    terminalreporter.write_line(format_effort_table(results))
    for result in (r for r in results if r.outcome == "flaky"):
        failed = [a for a in result.attempts if a.outcome == "failed"]
        terminalreporter.write_line(
            f"flaky: {result.scenario}::{result.journey} passed on attempt {len(result.attempts)}; "
            f"first failure: {failed[0].error_location}: {failed[0].error}",
            yellow=True,
        )


def format_effort_table(results: list[JourneyResult]) -> str:
    """A compact table, one line per journey."""
    header = (
        "journey",
        "kind",
        "outcome",
        "actions",
        "clicks",
        "fields",
        "keys",
        "pages",
        "screens",
        "dialogs",
        "time",
    )
    rows = [header]
    for r in sorted(results, key=lambda r: (r.scenario, r.journey)):
        e = r.effort
        rows.append(
            (
                f"{r.scenario}::{r.journey}",
                r.kind,
                r.outcome,
                str(e.get("actions", "")),
                str(e.get("clicks", "")),
                str(e.get("fields_filled", 0) + e.get("fields_chosen", 0)),
                str(e.get("keystrokes", "")),
                str(e.get("distinct_pages", "")),
                str(e.get("screens", "")),
                str(e.get("dialogs", "")),
                f"{e.get('wall_time_s', 0):.1f}s",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )
