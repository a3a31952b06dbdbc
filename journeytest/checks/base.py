"""The check mechanism: registry, context, verdicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from ..model import Scenario
from ..record import JourneyResult
from .wording import Wording


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
    """What a check may read: the scenario, this run's recorded journeys of it, options and wording."""

    scenario: Scenario
    results: dict[str, JourneyResult]
    options: dict[str, Any]
    wording: Wording
    run_date: date
    discoveries: list[dict[str, Any]] = field(default_factory=list)  # what the cancel search found (explore.py)
    secrets: dict[str, str] = field(default_factory=dict)  # placeholder -> value of every secret the harness typed
    contact_crawls: list[dict[str, Any]] = field(default_factory=list)  # what the contact search found (crawl.py)
    password_probe: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # logins and second visits (password_probe.py)
    persona: dict[str, str] = field(default_factory=dict)  # the persona's public values (name, email…), never its secrets

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


@dataclass(frozen=True)
class CheckSpec:
    name: str
    title: str
    function: CheckFunction
    defaults: dict[str, Any]
    catalogue: str = ""  # the checks-catalogue section and rule it rests on
    needs_kinds: tuple[str, ...] = ()  # the check runs only for files with a journey of one of these kinds
    applies: Callable[[Scenario, dict[str, Any]], bool] | None = None  # and only where this says so
    choices: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # options that take one of a few values


REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, *, title: str, defaults: dict[str, Any] | None = None, catalogue: str = "",
          needs_kinds: tuple[str, ...] = (),
          applies: Callable[[Scenario, dict[str, Any]], bool] | None = None,
          choices: dict[str, tuple[Any, ...]] | None = None) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check. Options in `defaults` can be set per scenario under `checks: {NAME: {...}}`;
    `choices` names the values an option may take (the loader says so, with the line, when a file gets it wrong)."""

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[name] = CheckSpec(name, title, function, dict(defaults or {}), catalogue, tuple(needs_kinds), applies,
                                   dict(choices or {}))
        return function

    return register


@lru_cache(maxsize=1)
def load_plugins() -> None:
    """Built-in checks, then those installed through the `journeytest.checks` entry point group (once per process)."""
    from . import builtin, contact, passwords, replies  # noqa: F401 - importing registers them

    for entry in entry_points(group="journeytest.checks"):
        entry.load()
