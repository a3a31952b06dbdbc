"""Keep journeys that build on each other on one pytest-xdist worker.

xdist's own `loadgroup` reads `xdist_group` marks through a suffix it writes into
node ids, which no longer takes effect with pytest 9.2 (pytest-xdist issue #1386:
tests are silently spread as if unmarked). So journeytest brings its own scheduler:
on the controller it reads each scenario file once and groups its tests by chain
(a journey with every journey it needs), or the whole file when the file has checks,
which read all of its journeys. Other tests are scheduled as xdist's loadgroup does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadGroupScheduling

from .errors import JourneyTestError
from .loader import SiteOverrides, is_scenario_file, load_scenario


def journey_groups(scenario: Any, display: str, has_checks: bool) -> dict[str, str]:
    """Test name -> group, for one scenario file."""
    if has_checks:
        return {}  # everything in the file: one group, the file itself
    return {name: f"{display}::{scenario.chain_root(name)}" for name in scenario.journeys}


class JourneyScheduling(LoadGroupScheduling):
    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        self._groups: dict[str, dict[str, str]] = {}

    def _split_scope(self, nodeid: str) -> str:
        file, separator, name = nodeid.partition("::")
        if not separator or not is_scenario_file(file):
            return super()._split_scope(nodeid)
        return self._groups_of(file).get(name.split("@")[0], file)

    def _groups_of(self, file: str) -> dict[str, str]:
        if file not in self._groups:
            from .plugin import applicable_checks

            try:
                scenario = load_scenario(Path(self.config.rootpath) / file, SiteOverrides(require_base_url=False))
                self._groups[file] = journey_groups(scenario, file, bool(applicable_checks(scenario)))
            except (JourneyTestError, OSError):
                self._groups[file] = {}
        return self._groups[file]
