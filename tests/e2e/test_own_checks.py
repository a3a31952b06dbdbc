"""A team's own explorer and check, written in one conftest.py, work like the built-in ones: under pytest, in
`journeytest validate`, in the results file and through the event hooks; and options come from ini files too."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parents[2] / "docs" / "scenarios.md"
# The reference's own explorer + check pair, run as written there, plus hooks that note every event.
DOCUMENTED = next(
    block for block in re.findall(r"```python\n(.*?)```", REFERENCE.read_text(), re.S) if "@explorer(" in block
)
CONFTEST = (
    DOCUMENTED
    + """
import json
from pathlib import Path

EVENTS = Path(__file__).with_name("events.jsonl")


def _event(**record):
    with EVENTS.open("a") as handle:
        handle.write(json.dumps(record) + "\\n")


def pytest_journeytest_journey_finished(config, nodeid, result):
    _event(event="journey", nodeid=nodeid, journey=result.journey, outcome=result.outcome,
           actions=result.effort["actions"])


def pytest_journeytest_check_verdict(config, nodeid, record):
    _event(event="check", nodeid=nodeid, check=record["check"], verdict=record["verdict"])
"""
)

SCENARIO = """\
site: {{name: Effort Shop, base_url: '{url}'}}
checks:
  says_whose_it_is: {{wanted: '{wanted}', path: /signup.html}}
journeys:
  browse:
    kind: other
    steps:
      - goto: /
      - click: Sign up
"""


@pytest.fixture
def project(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider --history none --step-screenshots off\n")
    pytester.makeconftest(CONFTEST)
    return pytester


def _events(project) -> list[dict]:
    return [json.loads(line) for line in (project.path / "events.jsonl").read_text().splitlines()]


def test_a_teams_explorer_and_check_run_after_the_journeys_and_are_announced(project, site_url):
    project.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url, wanted="Effort Shop"))
    result = project.runpytest_subprocess("-v")
    result.stdout.fnmatch_lines(
        [
            "*shop.journey.yaml::browse PASSED*",
            "*shop.journey.yaml::explore:page_title PASSED*",
            "*shop.journey.yaml::check:says_whose_it_is PASSED*",
            f"PASS  shop.journey.yaml::says_whose_it_is: {site_url}/signup.html is titled 'Sign up - Effort Shop'",
        ]
    )
    assert result.ret == 0
    lines = [
        json.loads(line) for line in (project.path / "journeytest-results" / "results.jsonl").read_text().splitlines()
    ]
    checks = [line for line in lines if line["type"] == "check"]
    assert [(c["check"], c["verdict"], c["evidence"]) for c in checks] == [
        ("says_whose_it_is", "PASS", f"{site_url}/signup.html is titled 'Sign up - Effort Shop'")
    ]
    assert _events(project) == [
        {
            "event": "journey",
            "nodeid": "shop.journey.yaml::browse",
            "journey": "browse",
            "outcome": "passed",
            "actions": 1,
        },
        {
            "event": "check",
            "nodeid": "shop.journey.yaml::check:says_whose_it_is",
            "check": "says_whose_it_is",
            "verdict": "PASS",
        },
    ]


def test_ini_keys_set_journeytest_options_and_the_command_line_beats_them(project, site_url):
    project.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url, wanted="Another Company"))
    project.makeini(
        "[pytest]\naddopts = -p no:cacheprovider --history none --step-screenshots off\n"
        "journeytest_fail_on_warn = true\njourneytest_results = from-ini/results.jsonl\n"
    )
    warned = project.runpytest_subprocess()
    warned.stdout.fnmatch_lines(["*WARN says_whose_it_is: The page names the company*"])
    assert warned.ret == 1  # the ini file made the WARN fatal
    assert (project.path / "from-ini" / "results.jsonl").is_file()
    chosen = project.runpytest_subprocess("--journeytest-results", "from-command-line.jsonl")
    assert (project.path / "from-command-line.jsonl").is_file()
    assert chosen.ret == 1


def test_validate_knows_the_teams_check_as_pytest_does(project, site_url):
    project.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url, wanted="Effort Shop"))
    (project.path / "typo.journey.yaml").write_text(
        SCENARIO.format(url=site_url, wanted="x").replace(
            "says_whose_it_is: {wanted: 'x'", "says_whose_it_is: {wantd: 'x'"
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "journeytest.cli", "validate", "."],
        cwd=project.path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "ok  shop.journey.yaml: 1 journey, 2 steps" in done.stdout
    assert (
        "typo.journey.yaml:3:22: checks: says_whose_it_is has no option 'wantd'; its options: path, wanted "
        "(did you mean 'wanted'?)" in done.stderr
    )
    assert done.returncode == 1
