"""The check mechanism: how a check is declared, what it may read, and the verdict it gives.

A check is a plain function decorated with `@check(...)`: the decorator records a
CheckSpec on the function and registers nothing globally. A Registry (registry.py)
collects the specs it finds in the built-in modules, in installed plugins and in
conftest.py files, the same way for `pytest` and for `journeytest validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from ..record.journey import JourneyResult
from ..record.shapes import Findings
from ..scenario import Scenario
from ..wording import Wording

SPEC_ATTRIBUTE = "__journeytest_check__"


class Verdict(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"  # does not apply to this file (e.g. it has no cancel journey)


@dataclass
class CheckResult:
    verdict: Verdict
    evidence: str  # one plain sentence, for a product owner and a compliance reader alike
    figures: dict[str, Any] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    journey: str | None = None

    @classmethod
    def worst(cls, results: list[CheckResult], empty: CheckResult) -> CheckResult:
        """Combine per-journey results: the worst verdict leads, all evidence is kept."""
        if not results:
            return empty
        order = [Verdict.FAIL, Verdict.WARN, Verdict.PASS, Verdict.SKIP]
        results = sorted(results, key=lambda r: order.index(r.verdict))
        head = results[0]
        details = [f"{r.journey}: {r.verdict.value} {r.evidence}" for r in results[1:] if r.journey] + head.details
        return cls(head.verdict, head.evidence, head.figures, details, head.journey)


@dataclass
class CheckContext:
    """What a check may read: the scenario, this run's recorded journeys of it, options, wording, what was explored."""

    scenario: Scenario
    results: dict[str, JourneyResult]
    options: dict[str, Any]
    wording: Wording
    run_date: date
    explored: Mapping[str, Findings] = field(default_factory=dict)  # explorer name -> what it found (explore/)
    secrets: dict[str, str] = field(default_factory=dict)  # placeholder -> value of every secret the harness typed
    persona: dict[str, str] = field(
        default_factory=dict
    )  # the persona's public values (name, email…), never its secrets

    def of_kind(self, kind: str) -> list[JourneyResult]:
        return [r for name, r in self.results.items() if self.scenario.journeys[name].kind == kind]

    def paired_acquire(self, cancel: JourneyResult) -> JourneyResult | None:
        """The acquire journey a cancel journey undoes: the option, else the nearest one it builds on, else the first."""
        named = self.options.get("pair_with")
        if named:
            return self.results.get(named)
        nearest = self.scenario.nearest_before(cancel.journey, "acquire")
        if nearest is not None and nearest.name in self.results:
            return self.results[nearest.name]
        acquires = self.of_kind("acquire")
        return acquires[0] if acquires else None


CheckFunction = Callable[[CheckContext], CheckResult]
Applies = Callable[[Scenario, dict[str, Any]], bool]
F = TypeVar("F", bound=CheckFunction)


@dataclass(frozen=True)
class CheckSpec:
    name: str
    title: str
    function: CheckFunction
    defaults: dict[str, Any]
    catalogue: str = ""  # the checks-catalogue section and rule it rests on
    needs_kinds: tuple[str, ...] = ()  # the check runs only for files with a journey of one of these kinds
    applies: Applies | None = None  # and only where this says so
    choices: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # options that take one of a few values
    explores: tuple[str, ...] = ()  # explorers that must run before it (their findings: ctx.explored[NAME])
    journey_options: tuple[str, ...] = ()  # options that name a journey of the file (validated by the loader)

    def applies_to(self, scenario: Scenario, options: dict[str, Any]) -> bool:
        kinds = {j.kind for j in scenario.journeys.values()}
        if self.needs_kinds and not kinds & set(self.needs_kinds):
            return False
        return self.applies is None or self.applies(scenario, options)


def check(
    name: str,
    *,
    title: str,
    defaults: dict[str, Any] | None = None,
    catalogue: str = "",
    needs_kinds: tuple[str, ...] = (),
    applies: Applies | None = None,
    choices: dict[str, tuple[Any, ...]] | None = None,
    explores: tuple[str, ...] = (),
    journey_options: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Declare a check. Options in `defaults` can be set per scenario under `checks: {NAME: {...}}`;
    `choices` names the values an option may take (the loader says so, with the line, when a file gets it wrong);
    `explores` names the live searches whose findings it reads."""

    def declare(function: F) -> F:
        spec = CheckSpec(
            name,
            title,
            function,
            dict(defaults or {}),
            catalogue,
            tuple(needs_kinds),
            applies,
            dict(choices or {}),
            tuple(explores),
            tuple(journey_options),
        )
        setattr(function, SPEC_ATTRIBUTE, spec)
        return function

    return declare


def spec_of(value: object) -> CheckSpec | None:
    """The CheckSpec `@check` put on a function, if it is one."""
    spec = getattr(value, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None
