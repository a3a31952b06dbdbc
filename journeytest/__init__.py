"""journeytest: customer journeys from YAML, run as pytest tests in a real browser.

The package reads as the data flows (README, "Layout"):
scenario file -> `scenario` (model) -> `plugin` (pytest items) -> `browser` (session)
-> `record` (the recorded journey) -> `explore` (live searches) -> `checks` -> `report`.
This module is the thin public face; heavier names are imported on first use, so
`journeytest --help` stays quick. (PYTEST_DONT_REWRITE: `journeytest run` imports the
package before pytest starts, and it holds no test assertions to rewrite.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BrowserNotFound, JourneyTestError, ScenarioError, StepFailed

if TYPE_CHECKING:
    from .scenario import Journey, Scenario, SiteOverrides, Step, Target

__all__ = [
    "BrowserNotFound",
    "Journey",
    "JourneyTestError",
    "Scenario",
    "ScenarioError",
    "Step",
    "StepFailed",
    "Target",
    "load_scenario",
]
__version__ = "0.1.0"

_LAZY = {"Journey", "Scenario", "Step", "Target"}


def load_scenario(path: str | Path, overrides: SiteOverrides | None = None) -> Scenario:
    """Load and validate one scenario file, its `checks:` judged against the built-in and installed checks."""
    from .registry import built_in
    from .scenario import load_scenario as load

    return load(path, overrides, built_in().checks)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import scenario

        return getattr(scenario, name)
    raise AttributeError(f"module 'journeytest' has no attribute {name!r}")
