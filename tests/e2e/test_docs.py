"""The scenario reference's examples are real: each is loaded and run in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.browser.runner import RunOptions, RunState, prepare_start, run_journey
from journeytest.scenario import SiteOverrides
from journeytest.scenario.schema import STEP_ACTIONS

REFERENCE = Path(__file__).parents[2] / "docs" / "scenarios.md"
EXAMPLES = re.findall(r"```yaml\n(.*?)```", REFERENCE.read_text(), re.S)


def test_every_step_is_shown_in_a_run_example():
    used = {key for example in EXAMPLES for key in re.findall(r"^\s*- (\w+):", example, re.M)}
    assert set(STEP_ACTIONS) <= used, f"steps without an example: {set(STEP_ACTIONS) - used}"


FRAGMENT_FRAME = (
    "site: {name: S, base_url: 'http://127.0.0.1:1'}\njourneys:\n  buy_pro: {kind: acquire, steps: [{goto: /}]}\n"
    "  log_in: {kind: account, steps: [{goto: /login}]}\n"
)


# Fragments that need the docs' own conftest.py example are run by test_own_checks.py, with that conftest.
NEEDS_THE_CONFTEST = "with the conftest.py above"


@pytest.mark.parametrize(
    "index", [i for i, e in enumerate(EXAMPLES) if not e.startswith("site:") and NEEDS_THE_CONFTEST not in e]
)
def test_reference_fragment_is_valid_inside_a_scenario(index, tmp_path):
    path = tmp_path / "fragment.journey.yaml"
    path.write_text(FRAGMENT_FRAME + EXAMPLES[index])
    load_scenario(path)


@pytest.mark.parametrize("index", [i for i, e in enumerate(EXAMPLES) if e.startswith("site:")])
def test_reference_example_runs(index, tmp_path, real_browser, site_url, demo_company):
    path = tmp_path / "example.journey.yaml"
    path.write_text(EXAMPLES[index])
    on_demo_company = "name: Acme Cloud" in EXAMPLES[index]
    base_url = demo_company.sites["fair-en"] if on_demo_company else site_url
    mail_in = f"smtp://127.0.0.1:{demo_company.sink.port}"  # replies go to the sink the demo company sends to
    scenario = load_scenario(path, SiteOverrides(base_url=base_url, mail_in=mail_in))

    run = RunState("docs")
    options = RunOptions(output_dir=tmp_path / "out", mailbox=demo_company.mailbox if on_demo_company else None)
    for journey in scenario.ordered_journeys():
        evidence = tmp_path / "out" / journey.name
        start = prepare_start(run, scenario, journey, real_browser, options, evidence)
        result, _ = run_journey(run, scenario, journey, real_browser, options, evidence, start)
        assert result.outcome == "passed"
    if "filled-form" in EXAMPLES[index]:
        assert (tmp_path / "out" / "every_step" / "attempt-1" / "filled-form.png").stat().st_size > 1000


def test_block_libraries_are_imported(tmp_path):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "login.blocks.yaml").write_text(
        "blocks:\n  open_signup:\n    steps:\n      - goto: /signup.html\n"
    )
    (tmp_path / "s.journey.yaml").write_text(
        "site: {name: S, base_url: 'http://127.0.0.1:1'}\nimports: [common/login.blocks.yaml]\n"
        "journeys:\n  a:\n    kind: other\n    steps:\n      - include: open_signup\n"
    )
    steps = load_scenario(tmp_path / "s.journey.yaml").journeys["a"].steps
    assert [(s.action, s.args.url, s.location.line) for s in steps] == [("goto", "/signup.html", 4)]
    assert steps[0].location.path.endswith("login.blocks.yaml")
    assert steps[0].included_from[0].line == 7
