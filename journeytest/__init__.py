"""journeytest: customer journeys from YAML, run as pytest tests in a real browser.

Data flows: scenario file (yamlsource, schema, loader) -> model -> pytest items
(plugin) -> browser session (runner, session, locators) -> recorded journey
(effort, record) -> summary.
"""

from .errors import BrowserNotFound, JourneyTestError, ScenarioError, StepFailed
from .loader import load_scenario
from .model import Journey, Scenario, Step, Target

__all__ = ["BrowserNotFound", "Journey", "JourneyTestError", "Scenario", "ScenarioError", "Step", "StepFailed",
           "Target", "load_scenario"]
__version__ = "0.1.0"
