"""The explorer mechanism: live searches of the real site that checks judge afterwards.

An explorer is a function declared with `@explorer(NAME, ...)`. It runs as a test item
of its own (`explore:NAME`), right after a given journey or after all of a file's
journeys, only when a check of the file asks for it (`@check(..., explores=(NAME,))`).
What it returns is kept in this process and read by the checks as
`ctx.explored[NAME]`. Like checks, explorers are found by a Registry in the built-in
modules, in installed plugins and in conftest.py files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from playwright.sync_api import Browser, BrowserContext

from ..browser.contexts import open_context
from ..browser.runner import RunOptions
from ..errors import ExploreSkipped
from ..record.journey import JourneyResult
from ..record.run import EndState, RunState
from ..record.shapes import Findings
from ..scenario import Scenario
from ..settings import Settings
from ..wording import Wording

SPEC_ATTRIBUTE = "__journeytest_explorer__"

__all__ = ["ExploreContext", "ExploreSkipped", "ExplorerSpec", "explorer", "spec_of"]


@dataclass
class ExploreContext:
    """What an explorer may use: the file, its options, the browser, and what this process recorded so far."""

    scenario: Scenario
    options: dict[str, Any]  # the explorer's defaults, overridden by the asking checks' options of the same name
    browser: Browser
    run: RunState
    run_options: RunOptions
    settings: Settings
    wording: Wording
    after: str | None = None  # the journey it runs after, if it runs after one
    asked_by: tuple[str, ...] = ()  # the checks whose findings these are

    def results(self) -> list[JourneyResult]:
        """This file's recorded journeys in this process, in the order they ran."""
        return self.run.results_of(self.scenario)

    def end_state(self, journey: str) -> EndState | None:
        """Where a journey of this file left the customer (None: it did not pass, or did not run here)."""
        return self.run.end_states.get((self.scenario.path, journey))

    def new_context(self, storage_state: Mapping[str, Any] | None = None) -> BrowserContext:
        """A fresh browser context on this site (logged out, unless it continues from a journey's storage state)."""
        return open_context(
            self.browser,
            self.run_options.context_args,
            base_url=self.scenario.site.base_url,
            storage_state=storage_state,
        )

    def secrets(self) -> dict[str, str]:
        return self.run.secrets_for(self.scenario)


ExploreFunction = Callable[[ExploreContext], Findings]
# The journey an explorer runs right after; or several, each followed by a run of its own whose findings (a list)
# add up, for what must be seen in the state one journey left before the next changes it; None: after them all.
After = Callable[[Scenario], str | tuple[str, ...] | None]
F = TypeVar("F", bound=ExploreFunction)


@dataclass(frozen=True)
class ExplorerSpec:
    name: str
    title: str  # what the report and -v say it does; may name {after}, the journey it runs after
    function: ExploreFunction
    defaults: dict[str, Any] = field(default_factory=dict)
    after: After | None = None  # the journey it runs after; None (or no such journey): after all of the file's journeys
    choices: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # options that take one of a few values

    def options_from(self, asking: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """Its defaults, overridden by what the asking checks set for the same names (first check first)."""
        options = dict(self.defaults)
        for check_options in reversed(list(asking.values())):
            options.update({key: value for key, value in check_options.items() if key in self.defaults})
        return options

    def describe(self, after: str | None) -> str:
        return self.title.format(after=after or "the file's journeys")


def explorer(
    name: str,
    *,
    title: str,
    defaults: dict[str, Any] | None = None,
    after: After | None = None,
    choices: dict[str, tuple[Any, ...]] | None = None,
) -> Callable[[F], F]:
    """Declare an explorer. `defaults` are its options: every check that asks for it takes them as options of its own
    (`checks: {CHECK: {OPTION: …}}` in a scenario file); `after` picks the journey it runs right after (e.g. the
    purchase a cancel search starts from)."""

    def declare(function: F) -> F:
        spec = ExplorerSpec(name, title, function, dict(defaults or {}), after, dict(choices or {}))
        setattr(function, SPEC_ATTRIBUTE, spec)
        return function

    return declare


def spec_of(value: object) -> ExplorerSpec | None:
    """The ExplorerSpec `@explorer` put on a function, if it is one."""
    spec = getattr(value, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, ExplorerSpec) else None
