"""The test items a scenario file becomes: its journeys, live searches, checks and the comparison with the last run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from playwright.sync_api import Browser
from slugify import slugify

from ..browser.runner import RunOptions, prepare_start, run_journey
from ..browser.watchdog import Watchdog, journey_deadline_s
from ..checks.base import CheckContext, CheckResult, CheckSpec, Verdict, run_check
from ..errors import (
    CheckFailed,
    ExploreSkipped,
    JourneyFailed,
    JourneyTestError,
    PrerequisiteFailed,
    RegressionFound,
    ScenarioError,
)
from ..explore.base import ExploreContext
from ..record.journey import JourneyResult
from ..registry import Exploration
from ..report.history import last_run_of, regressions
from ..scenario import Journey, Scenario
from .stash import RUN_STATE, SETTINGS


def skip(reason: str) -> BaseException:
    """A skip reported at the item's own location (the scenario file), not at a line of the plugin."""
    return pytest.skip.Exception(reason, _use_item_location=True)


class JourneyTestItem(pytest.Item):
    """What every journeytest item shares: a failure is printed as journeytest's own sentence, not a traceback."""

    scenario: Scenario

    def describe_failure(self, error: JourneyTestError) -> str:
        return str(error)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, JourneyTestError):
            return self.describe_failure(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioErrorItem(JourneyTestItem):
    """Stands for a scenario file that could not be loaded; fails with the file's problems."""

    def __init__(self, *, error: ScenarioError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.error.problems[0].location.line - 1, "scenario file"


class JourneyItem(JourneyTestItem, pytest.Function):
    """One journey, run through a real browser."""

    def __init__(self, *, scenario: Scenario, journey: Journey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.journey = journey
        self.journey_result: JourneyResult | None = None

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.journey.location.line - 1, f"journey {self.journey.name} ({self.journey.kind})"

    def describe_failure(self, error: JourneyTestError) -> str:
        return f"journey '{self.journey.name}' ({self.journey.kind}) failed:\n{error}"

    def _prunetraceback(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:  # pragma: no cover - cosmetic
        return None


def run_journey_item(
    request: pytest.FixtureRequest, journeytest_browser: Browser, journeytest_run_options: RunOptions
) -> None:
    item = cast(JourneyItem, request.node)
    run, options = request.config.stash[RUN_STATE], journeytest_run_options
    evidence_dir = (options.output_dir / slugify(item.nodeid.split("@")[0])).absolute()
    deadline_s = journey_deadline_s(item.journey, item.scenario.step_timeout_s)
    with Watchdog(deadline_s) as watchdog:
        try:
            start = prepare_start(run, item.scenario, item.journey, journeytest_browser, options, evidence_dir)
        except PrerequisiteFailed as missing:
            if missing.ran_here:
                raise skip(f"needs '{missing.name}', which did not pass") from None
            raise
        try:
            item.journey_result, _ = run_journey(
                run, item.scenario, item.journey, journeytest_browser, options, evidence_dir, start
            )
        except JourneyFailed as failure:
            item.journey_result = failure.result
            if watchdog.fired:
                failure.message = (
                    f"the journey ran past its deadline of {deadline_s:.0f} s: the page stopped answering (a script "
                    f"that never yields?), so journeytest closed the browser; {failure}"
                )
            elif not journeytest_browser.is_connected():  # say so: the next journey gets a new browser
                failure.message = f"the browser died during this journey; {failure}"
            raise


class ExploreItem(JourneyTestItem, pytest.Function):
    """One live search of the site (explore:NAME), for the checks that asked for it."""

    def __init__(self, *, scenario: Scenario, exploration: Exploration, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.exploration = exploration

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.exploration.spec.describe(self.exploration.after)


def run_explore_item(
    request: pytest.FixtureRequest, journeytest_browser: Browser, journeytest_run_options: RunOptions
) -> None:
    item = cast(ExploreItem, request.node)
    run, exploration = request.config.stash[RUN_STATE], item.exploration
    settings = request.config.stash[SETTINGS]
    context = ExploreContext(
        item.scenario,
        dict(exploration.options),
        journeytest_browser,
        run,
        journeytest_run_options,
        settings,
        settings.wording_for(item.scenario),
        exploration.after,
        exploration.asked_by,
    )
    explored = run.explored.setdefault(item.scenario.path, {})
    name = exploration.spec.name

    def keep(findings: Any) -> None:
        if exploration.each:  # one of several runs, each after its own journey: their lists add up
            explored[name] = [*explored.get(name, []), *findings]
        else:
            explored[name] = findings

    try:
        keep(exploration.spec.function(context))
    except ExploreSkipped as skipped:
        if skipped.findings is not None:
            keep(skipped.findings)
        raise skip(skipped.reason) from None


class CheckItem(JourneyTestItem):
    """One check on one scenario file, run after the file's journeys."""

    def __init__(self, *, scenario: Scenario, spec: CheckSpec, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.spec = spec
        self.options = options
        self.check_result: CheckResult | None = None

    def runtest(self) -> None:
        run, settings = self.config.stash[RUN_STATE], self.config.stash[SETTINGS]
        recorded = {r.journey: r for r in run.results_of(self.scenario)}
        if not recorded:
            raise skip("no journey of this file ran in this process, so there is nothing to check")
        persona = run.personas.get(self.scenario.path)
        context = CheckContext(
            self.scenario,
            recorded,
            self.options,
            settings.wording_for(self.scenario),
            date.today(),
            run.explored.get(self.scenario.path, {}),
            run.typed_secrets(self.scenario) if persona else {},
            persona.as_values() if persona else {},
        )
        result = run_check(self.spec, context)
        self.check_result = result
        run.check_verdicts[(self.scenario.path, self.spec.name)] = result.verdict.value

        if result.verdict == Verdict.SKIP:
            raise skip(result.evidence)
        if result.verdict == Verdict.FAIL or (result.verdict == Verdict.WARN and settings.fail_on_warn):
            raise CheckFailed(render_check(self.spec, result))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"check {self.spec.name}"


def render_check(spec: CheckSpec, result: CheckResult) -> str:
    lines = [f"{result.verdict.value} {spec.name}: {spec.title}", f"  {result.evidence}"]
    lines += [f"  - {detail}" for detail in result.details]
    if result.figures:
        lines.append("  figures: " + ", ".join(f"{k}={v}" for k, v in result.figures.items()))
    if spec.catalogue:
        lines.append(f"  basis: {spec.catalogue}")
    return "\n".join(lines)


class RegressionItem(JourneyTestItem):
    """This run of a file against the last one in the history: what got worse fails here, with both figures."""

    def __init__(self, *, scenario: Scenario, history: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.history = history
        self.regressions: list[dict[str, Any]] = []

    def runtest(self) -> None:
        run = self.config.stash[RUN_STATE]
        journeys = [r.to_dict() for r in run.results_of(self.scenario)]
        if not journeys:
            raise skip("no journey of this file ran in this process")
        earlier = last_run_of(self.history, self.scenario.path, run.run_id)
        if earlier is None:
            raise skip("no earlier run of this file in the history")
        checks = {name: verdict for (path, name), verdict in run.check_verdicts.items() if path == self.scenario.path}
        self.regressions = regressions(earlier, journeys, checks)
        if self.regressions:
            raise RegressionFound(
                f"worse than the run of {earlier.date} ({earlier.run_id}):\n"
                + "\n".join(f"  - {r['evidence']}" for r in self.regressions)
            )

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "compare with the last run in the history"
