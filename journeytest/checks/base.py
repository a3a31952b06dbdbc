"""The check mechanism: how a check is declared, what it may read, and the verdict it gives.

A check is a plain function decorated with `@check(...)`: the decorator records a
CheckSpec on the function and registers nothing globally. A Registry (registry.py)
collects the specs it finds in the built-in modules, in installed plugins and in
conftest.py files, the same way for `pytest` and for `journeytest validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
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
    INCONCLUSIVE = "INCONCLUSIVE"  # it applies, but the journey it judges did not get to what it judges


# The worst first: what a combined result leads with. An unjudged journey outranks a pass: nothing may pass
# for a journey that did not happen.
SEVERITY_ORDER = (Verdict.FAIL, Verdict.WARN, Verdict.INCONCLUSIVE, Verdict.PASS, Verdict.SKIP)


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
        results = sorted(results, key=lambda r: SEVERITY_ORDER.index(r.verdict))
        head = results[0]
        details = [f"{r.journey + ': ' if r.journey else ''}{r.verdict.value} {r.evidence}" for r in results[1:]]
        details += head.details
        return cls(head.verdict, head.evidence, head.figures, details, head.journey)


def unfinished(scenario: Scenario, result: JourneyResult) -> str | None:
    """Why a recorded journey did not do every action its file scripts, or None when it did.

    A failed expectation (`expect`, `expect_email`, `expect_no_email`) after the last action is an observation a
    check may judge ("no confirmation came"); an action that failed, or never ran because an earlier step
    failed, means the customer never got there. Soft steps are optional by the file's own say."""
    if result.outcome in ("passed", "flaky"):
        return None
    journey = scenario.journeys.get(result.journey)
    if journey is None:
        return None
    failed = next(
        (
            s
            for s in result.steps
            if s["outcome"] == "failed" and not (s["index"] < len(journey.steps) and journey.steps[s["index"]].soft)
        ),
        None,
    )
    if failed is None:
        attempt = result.attempts[-1] if result.attempts else None
        reason = attempt.error if attempt is not None and attempt.error else result.outcome
        return f"{result.journey} did not run its steps ({reason})"
    actions = [i for i, step in enumerate(journey.steps) if step.args.paces and not step.soft]
    left = [i for i in actions if i >= failed["index"]]
    if not left:
        return None
    error = (failed.get("error") or "").splitlines()[0] if failed.get("error") else "it failed"
    happened = len(actions) - len(left)
    return f"{result.journey} stopped at step {failed['index'] + 1} ({failed['location']}: {error}), so " + (
        f"none of its {len(actions)} actions happened"
        if not happened
        else f"{happened} of its {len(actions)} actions happened"
    )


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
    unfinished: dict[str, str] = field(default_factory=dict)  # journey -> why it did not do all it scripts

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
    judges: tuple[str, ...] | None = None  # kinds of journey it judges (None: needs_kinds); see run_check

    @property
    def judged_kinds(self) -> tuple[str, ...]:
        return self.needs_kinds if self.judges is None else self.judges

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
    judges: tuple[str, ...] | None = None,
) -> Callable[[F], F]:
    """Declare a check. Options in `defaults` can be set per scenario under `checks: {NAME: {...}}`;
    `choices` names the values an option may take (the loader says so, with the line, when a file gets it wrong);
    `explores` names the live searches whose findings it reads; `judges` the kinds of journey it judges (by default
    its `needs_kinds`): a journey of those kinds that did not do all its file scripts is kept from the check, and
    the verdict says it was not judged (run_check)."""

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
            None if judges is None else tuple(judges),
        )

        setattr(function, SPEC_ATTRIBUTE, spec)
        return function

    return declare


def spec_of(value: object) -> CheckSpec | None:
    """The CheckSpec `@check` put on a function, if it is one."""
    spec = getattr(value, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None


def run_check(spec: CheckSpec, ctx: CheckContext) -> CheckResult:
    """Run a check on what it may judge: journeys of its judged kinds that stopped short are kept from it.

    Part of the mechanism, so no check, built-in or user-written, can pass a journey that never got to what it
    judges: with none left the verdict is INCONCLUSIVE with the reason; with some left, the check's own verdict
    stands for those, the unjudged ones are listed, and a PASS becomes INCONCLUSIVE (it would speak for them too).
    """
    stopped = {name: why for name, result in ctx.results.items() if (why := unfinished(ctx.scenario, result))}
    judged = set(spec.judged_kinds)
    kept_from = {
        name: why
        for name, why in stopped.items()
        if name in ctx.scenario.journeys and ctx.scenario.journeys[name].kind in judged
    }
    ctx = replace(
        ctx,
        results={name: result for name, result in ctx.results.items() if name not in kept_from},
        unfinished=stopped,
    )
    if kept_from and not any(ctx.scenario.journeys[name].kind in judged for name in ctx.results):
        reasons = "; ".join(kept_from.values())
        return CheckResult(
            Verdict.INCONCLUSIVE,
            f"not judged: {reasons}",
            {"not_judged": sorted(kept_from)},
            journey=next(iter(kept_from)),
        )
    result = spec.function(ctx)
    if not kept_from:
        return result
    notes = [f"{name}: not judged, {why}" for name, why in kept_from.items()]
    if result.verdict in (Verdict.PASS, Verdict.SKIP):
        return CheckResult(
            Verdict.INCONCLUSIVE,
            f"not judged: {'; '.join(kept_from.values())} (the others: {result.verdict.value} {result.evidence})",
            {**result.figures, "not_judged": sorted(kept_from)},
            result.details + notes,
            result.journey,
        )
    return replace(result, details=result.details + notes, figures={**result.figures, "not_judged": sorted(kept_from)})
