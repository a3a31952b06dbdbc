"""Stage 1, the scenario: a *.journey.yaml file read with locations, validated, and turned into a frozen model.

No browser and no pytest here: everything downstream works on these objects, never on raw YAML.
"""

from .durations import parse_duration
from .loader import SCENARIO_SUFFIXES, KnownCheck, SiteOverrides, find_scenario_files, is_scenario_file, load_scenario
from .model import Journey, PersonaSpec, Scenario, Site, Step
from .targets import Target

__all__ = [
    "SCENARIO_SUFFIXES",
    "Journey",
    "KnownCheck",
    "PersonaSpec",
    "Scenario",
    "Site",
    "SiteOverrides",
    "Step",
    "Target",
    "find_scenario_files",
    "is_scenario_file",
    "load_scenario",
    "parse_duration",
]
