"""Keep journeys that build on each other on one pytest-xdist worker: the grouping rule, and the scheduler.

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

from ..errors import JourneyTestError
from ..scenario import Scenario, SiteOverrides, is_scenario_file, load_scenario
from .registries import registry_for

HISTORY_ITEM = "history:regressions"


def group_of(display: str, scenario: Scenario, item_name: str, has_checks: bool) -> str:
    """The one grouping rule: the whole file when checks read all its journeys, else a journey's chain."""
    if has_checks:
        return display
    if item_name in scenario.journeys:
        return f"{display}::{scenario.chain_root(item_name)}"
    return f"{display}::history" if item_name == HISTORY_ITEM else display


def configure(config: pytest.Config) -> None:
    """Journeys that build on each other must share a worker: use our grouping scheduler for `-n` runs."""
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadgroup"


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    if getattr(config.option, "dist", None) != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class JourneyScheduling(LoadGroupScheduling):  # type: ignore[misc]
        def __init__(self, config: pytest.Config, log: Any = None) -> None:
            super().__init__(config, log)
            self._files: dict[str, tuple[Scenario, bool] | None] = {}

        def _split_scope(self, nodeid: str) -> str:
            file, separator, name = nodeid.partition("::")
            if not separator or not is_scenario_file(file):
                return str(super()._split_scope(nodeid))
            known = self._file(file)
            return group_of(file, known[0], name.split("@")[0], known[1]) if known else file

        def _file(self, file: str) -> tuple[Scenario, bool] | None:
            if file not in self._files:
                path = Path(self.config.rootpath) / file
                try:
                    registry = registry_for(self.config, path)
                    scenario = load_scenario(path, SiteOverrides(require_base_url=False), registry.checks, display=file)

                    self._files[file] = (scenario, bool(registry.applicable(scenario)))
                except (JourneyTestError, OSError):
                    self._files[file] = None
            return self._files[file]

    return JourneyScheduling(config, log)
