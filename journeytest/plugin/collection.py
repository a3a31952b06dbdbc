"""Scenario files to pytest items: journeys (prerequisites first), live searches, checks, the history comparison.

Only files ending in `.journey.yaml` / `.journey.yml` are collected, never other YAML
(CI workflows, compose files). A file that cannot be loaded becomes one failing item
of its own, so the other files still run. The items are built from data: the file's
journeys, the checks that apply to it, and the explorers those checks ask for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ..errors import HistoryError, RegistryError, ScenarioError
from ..registry import Exploration
from ..report.history import last_run_of
from ..scenario import Scenario, is_scenario_file, load_scenario
from . import items
from .dryrun import DryRunItem
from .registries import registry_for
from .scheduling import HISTORY_ITEM, group_of
from .stash import SETTINGS


def collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    return JourneyFile.from_parent(parent, path=file_path) if is_scenario_file(file_path) else None


def display_path(config: pytest.Config, path: Path) -> str:
    """The file as pytest names its tests: below the project's root folder, else below where pytest was started,
    else in full; never as '../../…', and the same from any folder (the history finds it again)."""
    for base in (config.rootpath, config.invocation_params.dir):
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)


def with_step_timeout(scenario: Scenario, seconds: float) -> Scenario:
    """The scenario with every step timeout overridden, everything else (checks, rules, wording) kept."""
    journeys = {name: replace(j, step_timeout_s=seconds) for name, j in scenario.journeys.items()}
    return replace(scenario, journeys=journeys, step_timeout_s=seconds)


class JourneyFile(pytest.File):
    """One scenario file: an item per journey, prerequisites first, then its live searches and checks."""

    def collect(self) -> Iterator[pytest.Item]:
        settings = self.config.stash[SETTINGS]
        display = display_path(self.config, self.path)
        registry = registry_for(self.config, self.path)
        try:
            scenario = load_scenario(self.path, settings.site_overrides(), registry.checks, display=display)

        except ScenarioError as error:
            yield items.ScenarioErrorItem.from_parent(self, name="scenario-file", error=error)
            return
        if settings.step_timeout_s:
            scenario = with_step_timeout(scenario, settings.step_timeout_s)
        if settings.dry_run:
            for journey in scenario.ordered_journeys():
                yield DryRunItem.from_parent(self, name=journey.name, scenario=scenario, journey=journey)
            return
        checks = registry.applicable(scenario)
        try:
            explorations = registry.explorations(scenario, checks)
        except RegistryError as error:
            raise self.CollectError(str(error)) from None

        def grouped(item: pytest.Item) -> pytest.Item:
            item.add_marker(pytest.mark.xdist_group(name=group_of(display, scenario, item.name, bool(checks))))
            return item

        for journey in scenario.ordered_journeys():
            item = items.JourneyItem.from_parent(
                self, name=journey.name, callobj=items.run_journey_item, scenario=scenario, journey=journey
            )
            item.add_marker(pytest.mark.journey(journey.kind))
            for tag in journey.tags:
                self.config.addinivalue_line("markers", f"{tag}: tag from scenario files")
                item.add_marker(tag)
            yield grouped(item)
            for exploration in (e for e in explorations if e.after == journey.name):
                yield grouped(self._explore(scenario, exploration))
        for exploration in (e for e in explorations if e.after is None):
            yield grouped(self._explore(scenario, exploration))
        for spec, options in checks:
            yield grouped(
                items.CheckItem.from_parent(
                    self, name=f"check:{spec.name}", scenario=scenario, spec=spec, options=options
                )
            )
        history = settings.history_path
        try:
            remembered = history is not None and last_run_of(history, scenario.path, "") is not None
        except HistoryError as error:
            raise pytest.UsageError(str(error)) from None
        if remembered and history is not None:
            yield grouped(items.RegressionItem.from_parent(self, name=HISTORY_ITEM, scenario=scenario, history=history))

    def _explore(self, scenario: Scenario, exploration: Exploration) -> pytest.Item:
        return items.ExploreItem.from_parent(
            self,
            name=f"explore:{exploration.spec.name}" + (f":{exploration.after}" if exploration.each else ""),
            callobj=items.run_explore_item,
            scenario=scenario,
            exploration=exploration,
        )
