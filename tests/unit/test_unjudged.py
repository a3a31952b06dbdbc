"""No check passes a journey that never got to what it judges (issue 13, item 2).

Seen on real sites: a cancel journey that stopped at its first step, an email wait, got
effort_parity PASS "cancelling took 0 actions over 0 screens"; one that failed before any
way out got same_medium, retention, friction and silence PASS ("after cancelling, only no
email arrived"). The recordings are the demo company's, with the cancel journey cut where
those real journeys stopped; the mechanism (checks.base.run_check) is what every check,
built-in or user-written, runs through.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.checks import CheckContext, CheckResult, Verdict, check, run_check
from journeytest.checks.base import spec_of, unfinished
from journeytest.record import JourneyResult
from journeytest.registry import built_in
from journeytest.wording import Wording

FIXTURES = Path(__file__).parents[1] / "fixtures"
SCENARIO = """\
site: {name: Acme Cloud, base_url: "http://127.0.0.1:1"}
journeys:
  subscribe: {kind: acquire, steps: [{goto: /}]}
  buy_pro: {kind: acquire, needs: subscribe, steps: [{goto: /}]}
  cancel_as_offered:
    kind: cancel
    needs: buy_pro
    steps:
      - expect_email: {subject: Welcome, within: 5s}
      - click: Your account
      - click: Cancel subscription
      - expect: {text: Cancelled}
"""
CANCEL_CHECKS = [
    "effort_parity",
    "same_medium",
    "retention_and_confirmshaming",
    "friction_devices",
    "cancellation_confirmed",
    "silence_after_cancel",
]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("s") / "shop.journey.yaml"
    path.write_text(SCENARIO)
    return load_scenario(path)


def recorded() -> dict[str, JourneyResult]:
    return {
        r["journey"]: JourneyResult.from_json(json.dumps(r))
        for r in json.loads((FIXTURES / "recorded-fair-en.json").read_text())
    }


def stopped_at_first_email_step(results: dict[str, JourneyResult]) -> dict[str, JourneyResult]:
    cancel = results["cancel_as_offered"]
    cancel.outcome = "failed"
    cancel.steps = [
        {
            **cancel.steps[0],
            "index": 0,
            "action": "expect_email",
            "location": "shop.journey.yaml:10",
            "outcome": "failed",
            "error": "no email with subject 'Welcome' arrived within 5s",
        }
    ]
    cancel.screens, cancel.emails = [], []
    cancel.effort.update(actions=0, screens=0, clicks=0, page_loads=0)
    return results


def judge(name: str, scenario, results) -> CheckResult:
    spec = built_in().checks[name]
    return run_check(spec, CheckContext(scenario, results, dict(spec.defaults), Wording.load(), date(2026, 12, 2)))


@pytest.mark.parametrize("name", CANCEL_CHECKS)
def test_a_cancel_journey_that_stopped_before_its_actions_is_not_judged(name, scenario):
    result = judge(name, scenario, stopped_at_first_email_step(recorded()))
    assert result.verdict == Verdict.INCONCLUSIVE, result.evidence
    assert result.evidence == (
        "not judged: cancel_as_offered stopped at step 1 (shop.journey.yaml:10: no email with subject "
        "'Welcome' arrived within 5s), so none of its 2 actions happened"
    )


def test_a_journey_that_did_every_action_is_judged_even_if_its_last_expectation_failed(scenario):
    """The missing confirmation is the finding, not a reason to stay silent."""
    results = recorded()
    cancel = results["cancel_as_offered"]
    cancel.outcome = "failed"
    cancel.steps[-1].update(index=3, outcome="failed", error="'Cancelled' is not on the page")
    cancel.steps[0]["index"], cancel.steps[1]["index"] = 1, 2
    assert unfinished(scenario, cancel) is None
    result = judge("effort_parity", scenario, results)
    assert result.verdict == Verdict.PASS and "cancelling took 2 actions" in result.evidence


def test_a_users_own_check_gets_the_same_rule(scenario):
    """A check declared in a conftest.py, judging cancel journeys, never sees the one that stopped."""
    seen: list[str] = []

    @check("quick_exit", title="Leaving is quick", needs_kinds=("cancel",))
    def quick_exit(ctx: CheckContext) -> CheckResult:
        seen.extend(r.journey for r in ctx.of_kind("cancel"))
        return CheckResult(Verdict.PASS, "leaving took no time at all")

    spec = spec_of(quick_exit)
    assert spec is not None
    context = CheckContext(scenario, stopped_at_first_email_step(recorded()), {}, Wording.load(), date(2026, 12, 2))
    result = run_check(spec, context)
    assert seen == []
    assert result.verdict == Verdict.INCONCLUSIVE and "stopped at step 1" in result.evidence


def test_a_pass_for_the_other_journeys_does_not_speak_for_the_one_that_stopped(scenario, tmp_path):
    text = SCENARIO + "  cancel_again: {kind: cancel, needs: buy_pro, steps: [{click: Your account}]}\n"
    path = tmp_path / "two.journey.yaml"
    path.write_text(text)
    two = load_scenario(path)
    results = stopped_at_first_email_step(recorded())
    fine = recorded()["cancel_as_offered"]
    fine.journey = "cancel_again"
    results["cancel_again"] = fine
    result = judge("friction_devices", two, results)
    assert result.verdict == Verdict.INCONCLUSIVE
    assert "(the others: PASS cancel_again asks for nothing but the decision)" in result.evidence
    assert result.figures["not_judged"] == ["cancel_as_offered"]


def test_checks_that_read_every_email_still_read_a_stopped_journeys_mail(scenario):
    """no_password_in_email judges mail, whatever journey it came in: it has no judged kinds."""
    assert built_in().checks["no_password_in_email"].judged_kinds == ()
