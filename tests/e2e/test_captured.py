"""Values the site gives, carried into later steps and journeys; journeys that continue others, on the demo company.

The dark Acme mails a made-up password when its reset link is opened (the DokuWiki way); the fair one
mails a confirmation link on sign-up. Real browser, real SMTP, real mail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeytest import ScenarioError, load_scenario
from journeytest.browser.runner import RunOptions, RunState, prepare_start, run_journey
from journeytest.scenario import SiteOverrides

SIGN_UP = """\
  sign_up:
    kind: acquire
    steps:
      - goto: /signup
      - fill: {label: Name, value: "{persona.name}"}
      - fill: {label: Email, value: "{persona.email}"}
      - fill: {label: Password, value: "{persona.password}"}
      - click: {role: button, name: Create account}
"""
RESET_AND_LOG_IN = (
    SIGN_UP
    + """\
  reset_password:
    kind: account
    needs: sign_up
    steps:
      - goto: /logout
      - goto: /password/reset
      - fill: {label: Email, value: "{persona.email}"}
      - click: {role: button, name: Reset password}
      - expect_email: {subject: Reset}
      - capture: {name: reset_token, pattern: "/password/reset/(\\\\S+)"}
      - open_email_link: {url: /password/reset/}
      - expect_email: {subject: Your new password}
      - capture: {name: mailed_password, after: "New password:"}
  log_in_with_the_mailed_password:
    kind: account
    needs: reset_password
    steps:
      - goto: /login
      - fill: {label: Email, value: "{persona.email}"}
      - fill: {label: Password, value: "{captured.mailed_password}"}
      - click: {role: button, name: Log in}
      - expect: {text: Your account}
"""
)


def run_all(path: Path, base_url: str, browser, mailbox, tmp_path: Path, names: list[str]):
    scenario = load_scenario(path, SiteOverrides(base_url=base_url))
    run = RunState("captured")
    options = RunOptions(output_dir=tmp_path / "out", mailbox=mailbox)
    results = {}
    for name in names:
        journey = scenario.journeys[name]
        start = prepare_start(run, scenario, journey, browser, options, tmp_path / "out" / name)
        results[name], _ = run_journey(run, scenario, journey, browser, options, tmp_path / "out" / name, start)
    return scenario, run, results


def test_log_in_with_the_password_the_site_mailed(demo_company, real_browser, tmp_path):
    path = tmp_path / "dark.journey.yaml"
    path.write_text("site: {name: Acme Cloud (dark)}\nchecks: false\njourneys:\n" + RESET_AND_LOG_IN)
    scenario, run, results = run_all(
        path,
        demo_company.sites["dark-en"],
        real_browser,
        demo_company.mailbox,
        tmp_path,
        ["sign_up", "reset_password", "log_in_with_the_mailed_password"],
    )
    assert all(r.outcome == "passed" for r in results.values())
    end = run.end_states[(scenario.path, "reset_password")]
    mailed = end.captured["mailed_password"]
    assert len(mailed) >= 8 and run.secrets_for(scenario)["{captured.mailed_password}"] == mailed
    assert run.secrets_for(scenario)["{captured.reset_token}"] == end.captured["reset_token"]
    # The journey that continues did not open the reset link again (it is a one-time link: opening it mails
    # another password): it began on its own /login.
    login = results["log_in_with_the_mailed_password"]
    assert "/password/reset/" not in login.steps[0]["url_before"]
    assert not [e for e in login.emails if "new password" in e["subject"].lower()]
    typed = [t["value"] for t in login.typed]
    assert "{captured.mailed_password}" in typed and mailed not in json.dumps(login.to_dict())


def test_a_journey_reads_the_mail_of_the_journey_it_needs_and_never_replays_its_link(
    demo_company, real_browser, tmp_path
):
    """sign_up does not read its mail; confirm_address (needs sign_up) finds the welcome mail and opens its link;
    two journeys that need confirm_address each start from their own copy, not on the one-time link."""
    path = tmp_path / "fair.journey.yaml"
    path.write_text(
        "site: {name: Acme Cloud}\nchecks: false\njourneys:\n"
        + SIGN_UP
        + """\
  confirm_address:
    kind: account
    needs: sign_up
    steps:
      - expect_email: {subject: Welcome, within: 10s}
      - capture: {name: confirm_link, link: /confirm/}
      - open_email_link: {url: /confirm/}
      - expect: {text: Welcome}
  first_visit:
    kind: other
    needs: confirm_address
    steps:
      - expect: {text: Acme Cloud}
  second_visit:
    kind: other
    needs: confirm_address
    steps:
      - expect: {text: Acme Cloud}
"""
    )
    scenario, run, results = run_all(
        path,
        demo_company.sites["fair-en"],
        real_browser,
        demo_company.mailbox,
        tmp_path,
        ["sign_up", "confirm_address", "first_visit", "second_visit"],
    )
    assert all(r.outcome == "passed" for r in results.values()), {n: r.attempts for n, r in results.items()}
    link = run.end_states[(scenario.path, "confirm_address")].captured["confirm_link"]
    assert "/confirm/" in link and results["confirm_address"].opened_links[0]["href"] == link
    for name in ("first_visit", "second_visit"):
        started_on = results[name].steps[0]["url_before"]
        assert "/confirm/" not in started_on, f"{name} replayed the one-time link"
        assert started_on.startswith(demo_company.sites["fair-en"])


def test_a_captured_value_used_before_it_is_captured_is_a_located_error(tmp_path):
    path = tmp_path / "s.journey.yaml"
    path.write_text("""\
site: {name: S, base_url: 'http://127.0.0.1:1'}
journeys:
  log_in:
    kind: account
    steps:
      - fill: {label: Password, value: "{captured.mailed_pasword}"}
      - capture: {name: mailed_password, after: "Password:"}
      - capture: {name: code, after: "Code:", link: code}
""")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    text = str(error.value)
    assert (
        "s.journey.yaml:6:9: journey 'log_in', step 1: {captured.mailed_pasword} is not captured before this "
        "step, in this journey or a journey it needs (did you mean {captured.mailed_password}?)"
    ) in text

    assert (
        "s.journey.yaml:8:9: journey 'log_in', step 3, capture: a capture needs exactly one of after, link "
        "or pattern; found after and link" in text
    )


@pytest.fixture
def project(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider --history none\n")
    return pytester


def test_a_captured_secret_is_masked_in_every_output_file(project, free_port):
    from journeytest.demo.server import serve_variant

    with serve_variant("dark", "en", smtp_port=free_port) as site:
        project.makefile(
            ".journey.yaml",
            dark=f"site: {{name: Acme Cloud (dark), base_url: '{site.url}'}}\njourneys:\n" + RESET_AND_LOG_IN,
        )
        project.makeconftest(f"""
import json
from journeytest.plugin.stash import RUN_STATE

def pytest_sessionfinish(session):
    json.dump(session.config.stash[RUN_STATE].secrets.everything(), open({str(project.path / "secrets.json")!r}, "w"))
""")
        result = project.runpytest_subprocess(
            "--smtp-sink", str(free_port), "--junitxml", "junit.xml", "--tracing", "on", "-v"
        )
    result.stdout.fnmatch_lines(["*log_in_with_the_mailed_password PASSED*"])
    secrets = json.loads((project.path / "secrets.json").read_text())
    captured = {name: value for name, value in secrets.items() if name.startswith("{captured.")}
    assert set(captured) == {"{captured.reset_token}", "{captured.mailed_password}"}
    leaks = []
    for file in project.path.rglob("*"):
        if file.is_file() and file.name != "secrets.json":
            data = file.read_bytes()
            leaks += [f"{file}: {name}" for name, value in captured.items() if value.encode() in data]
    assert not leaks, leaks
