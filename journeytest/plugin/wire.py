"""The wire format from the process that ran an item to the controller: JSON in the report's user properties.

Under pytest-xdist the worker's report is all that reaches the controller, so what the
results file, the report and the terminal need travels here, masked: what leaves the
process that ran an item never holds a secret.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest

from ..record.journey import JourneyResult
from ..record.masking import mask_output
from .stash import RUN_STATE

JOURNEY = "journeytest_result"
CHECK = "journeytest_check"
REGRESSION = "journeytest_regression"
KINDS = {JOURNEY: "journey", CHECK: "check", REGRESSION: "regression"}


def attach(item: pytest.Item, report: pytest.TestReport) -> None:
    """Put what the item recorded on its call report."""
    scenario = getattr(item, "scenario", None)
    if report.when != "call" or scenario is None:
        return
    run = item.config.stash[RUN_STATE]
    secrets = run.secrets_for(scenario)
    result = getattr(item, "journey_result", None)
    journeys = [asdict(r) for r in run.results_of(scenario)] + ([asdict(result)] if result is not None else [])
    if result is not None:
        report.user_properties.append((JOURNEY, _dumps(mask_output(asdict(result), secrets, journeys))))
    checked = getattr(item, "check_result", None)
    if checked is not None:
        spec = item.spec  # type: ignore[attr-defined]  # a CheckItem
        report.user_properties.append(
            (
                CHECK,
                _dumps(
                    mask_output(
                        {
                            "scenario": scenario.path,
                            "check": spec.name,
                            "title": spec.title,
                            "verdict": checked.verdict.value,
                            "evidence": checked.evidence,
                            "figures": checked.figures,
                            "details": checked.details,
                            "basis": spec.catalogue,
                        },
                        secrets,
                        journeys,
                    )
                ),
            )
        )
    for regression in getattr(item, "regressions", []):
        report.user_properties.append(
            (REGRESSION, _dumps(mask_output({"scenario": scenario.path, **regression}, {}, journeys)))
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def records(report: pytest.TestReport) -> list[tuple[str, dict[str, Any]]]:
    """(kind, record) for every journeytest record on a report: kind is journey, check or regression."""
    return [(KINDS[name], json.loads(value)) for name, value in getattr(report, "user_properties", ()) if name in KINDS]


def journey_of(report: pytest.TestReport) -> JourneyResult | None:
    for name, value in getattr(report, "user_properties", ()):
        if name == JOURNEY:
            return JourneyResult.from_json(value)
    return None


def check_of(report: pytest.TestReport) -> dict[str, Any] | None:
    for name, value in getattr(report, "user_properties", ()):
        if name == CHECK:
            loaded: dict[str, Any] = json.loads(value)
            return loaded
    return None
