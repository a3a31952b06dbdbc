"""Hooks journeytest calls, so a team can listen to a run without parsing the results file.

Implement them in a conftest.py or a plugin. They are called in the controller process
(also under pytest-xdist), in the order results arrive, with every secret masked.
"""

from __future__ import annotations

from typing import Any

import pytest

from ..record.journey import JourneyResult


@pytest.hookspec
def pytest_journeytest_journey_finished(config: pytest.Config, nodeid: str, result: JourneyResult) -> None:
    """A journey ended (passed, flaky or failed): what it cost the customer, its steps, screens and emails."""


@pytest.hookspec
def pytest_journeytest_check_verdict(config: pytest.Config, nodeid: str, record: dict[str, Any]) -> None:
    """A check gave its verdict: `record` is the results-file line (scenario, check, verdict, evidence, figures…)."""


@pytest.hookspec
def pytest_journeytest_regression_found(config: pytest.Config, nodeid: str, record: dict[str, Any]) -> None:
    """Something got worse since the last run of its file: `record` says what, with both figures."""
