"""--dry-run: each journey resolved step by step with no browser: placeholders, targets, paying clicks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from ..browser.runner import payment_refuser_for
from ..errors import DryRunProblem, JourneyTestError
from ..record.masking import mask
from ..scenario import Journey, Scenario, templating
from ..scenario.steps import Click, rendered
from .items import JourneyTestItem
from .stash import RUN_STATE, SETTINGS


class CapturedAtRunTime(Mapping[str, str]):
    """`{captured.NAME}` is known only when the run captures it: a dry run shows the placeholder itself."""

    def __getitem__(self, name: str) -> str:
        return f"{{captured.{name}}}"

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class DryRunItem(JourneyTestItem):
    """A journey as it would run: every placeholder filled, every click that would pay named."""

    def __init__(self, *, scenario: Scenario, journey: Journey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.journey = journey

    def runtest(self) -> None:
        run = self.config.stash[RUN_STATE]
        values = {**run.template_values(self.scenario), "captured": CapturedAtRunTime()}
        secrets = run.secrets_for(self.scenario)
        refuse = payment_refuser_for(self.scenario, self.config.stash[SETTINGS].allow_payments)
        plan, problems = [], []
        for number, step in enumerate(self.journey.steps, 1):
            try:
                args = rendered(step.args, partial(templating.render, values={**values, "params": dict(step.params)}))
            except JourneyTestError as error:
                problems.append(f"{step.location}: {step.label()}: {error}")
                continue
            plan.append(f"{number:>3}. {mask(step.label(), secrets)}")
            if isinstance(args, Click) and refuse is not None:
                words = " ".join(args.target.name or args.target.values)
                why = refuse(words) if words else None
                if why:
                    problems.append(
                        f"{step.location}: {step.label()} would {why}; it will be refused unless the scenario "
                        "says allow_payments: true or the run uses --allow-payments"
                    )
        self.add_report_section("call", "plan", "\n".join(plan))
        if problems:
            raise DryRunProblem("\n".join(problems))

    def describe_failure(self, error: JourneyTestError) -> str:
        return f"journey '{self.journey.name}' would not run as written:\n{error}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.journey.location.line - 1, f"dry run of {self.journey.name}"
