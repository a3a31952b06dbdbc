"""Results file, HTML report, history and production safety, run the way users run journeytest:
pytest in a subprocess, a real browser, real sites and real mail; the report read in a real Chromium."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from journeytest.demo.server import serve_variant
from journeytest.report.results import RESULTS_SCHEMA, SCHEMA_FILE, read_results
from tests.support.hostile import serve_hostile


@pytest.fixture
def project(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    return pytester


def records(project) -> list[dict]:
    return [
        json.loads(line) for line in (project.path / "journeytest-results" / "results.jsonl").read_text().splitlines()
    ]


ACME = """\
site: {{name: Acme Cloud, base_url: '{url}'}}
allow_payments: true
journeys:
  sign_up:
    kind: acquire
    steps:
      - goto: /signup
      - fill: {{label: Name, value: "{{persona.name}}"}}
      - fill: {{label: Email, value: "{{persona.email}}"}}
      - fill: {{label: Password, value: "{{persona.password}}"}}
      - click: {{role: button, name: Create account}}
      - expect_email: {{subject: Welcome, within: 10s}}
  buy:
    kind: acquire
    needs: sign_up
    steps:
      - click: {{role: link, name: Pricing, nth: 0}}
      - click: {{role: button, name: Buy Pro}}
  cancel:
    kind: cancel
    needs: buy
    steps:
      - click: {{role: button, name: Cancel subscription}}
{detours}      - click: {{role: button, name: "Yes, cancel my subscription"}}
      - expect: {{text: has been cancelled}}
      - expect_email: {{subject: cancelled, within: 10s}}
"""


def open_report(browser, path: Path):
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("dialog", lambda dialog: console.append("dialog " + dialog.message) or dialog.dismiss())
    page.goto(path.as_uri())
    return page, console


# ------------------------------------------------------------------------------------- the report


def test_the_report_shows_a_reader_the_summary_chart_screenshots_and_emails(project, demo_company, real_browser):
    project.makefile(".journey.yaml", acme=ACME.format(url=demo_company.sites["fair-en"], detours=""))
    result = project.runpytest_subprocess("--mailbox", f"dir:{demo_company.sink.store}")
    outcomes = result.parseoutcomes()
    assert (
        outcomes["passed"] >= 3 + 9 and "failed" not in outcomes
    )  # three journeys, the checks that apply, the searches
    result.stdout.fnmatch_lines(["journeytest: results *results.jsonl; report *report.html"])
    lines = records(project)
    assert [r["type"] for r in lines][0] == "run" and lines[-1]["type"] == "run_end"
    for line in lines:
        jsonschema.validate(line, RESULTS_SCHEMA)
    journeys = {r["journey"]: r for r in lines if r["type"] == "journey"}

    page, console = open_report(real_browser, project.path / "journeytest-results" / "report.html")
    assert "Journeys: 3 passed, 0 flaky, 0 failed" in page.locator("body").inner_text()
    assert page.locator("tr.site-summary").count() == 1
    assert page.locator("tr.check[data-check=effort_parity][data-verdict=PASS]").count() == 1
    # The chart: acquire (buy) against cancel, each bar carrying the recorded figure.
    for who, journey in (("acquire", "buy"), ("cancel", "cancel")):
        bar = page.locator(f"svg.effort-chart rect[data-metric=clicks][data-journey={who}]")
        assert bar.get_attribute("data-value") == str(journeys[journey]["effort"]["clicks"])
        assert float(bar.get_attribute("height")) > 0
    # A picture for every step (each screen embedded once, later steps on it point back), loaded, enlarged on click.
    thumbs = page.locator("section.journey[data-outcome=passed] img.thumb")
    same = page.locator("section.journey[data-outcome=passed] .same-screen")
    assert thumbs.count() + same.count() == sum(len(j["steps"]) for j in journeys.values())
    assert thumbs.count() == len({s["screenshot"] for j in journeys.values() for s in j["steps"]})
    assert page.evaluate(
        "() => [...document.querySelectorAll('img.thumb')].every(i => i.complete && i.naturalWidth > 0)"
    )
    page.locator("details.shot summary").first.click()
    assert page.locator("details.shot[open] img.full").first.is_visible()
    # The emails, text readable and HTML sandboxed.
    assert page.get_by_text("Welcome to Acme Cloud - please confirm your email").count() >= 1
    assert page.locator("iframe.email").first.get_attribute("sandbox") == ""
    assert console == []


def test_a_hostile_page_and_email_cannot_run_script_in_the_report(project, real_browser, free_port):
    with serve_hostile(free_port) as (url, _):
        project.makefile(
            ".journey.yaml",
            hostile=f"""\
site: {{name: "Hostile <script>console.log('PWNED site')</script>", base_url: '{url}'}}
checks: false
journeys:
  look:
    kind: other
    steps:
      - goto: /
        name: "open <img src=x onerror=console.log('PWNED label')>"
      - goto: "/mail?to={{persona.email}}"
      - expect_email: {{within: 10s}}
      - expect: {{text: "a promise the page never makes"}}
""",
        )
        result = project.runpytest_subprocess(
            "--smtp-sink", str(free_port), "--step-timeout", "2s", "--tracing", "retain-on-failure"
        )
    result.assert_outcomes(failed=1)
    page, console = open_report(real_browser, project.path / "journeytest-results" / "report.html")
    page.wait_for_timeout(500)
    text = page.locator("body").inner_text()
    assert "<script>console.log('PWNED site')</script>" in text  # shown as text...
    assert "Hello <img src=x onerror=" in text  # the email subject, as text
    assert "Plain part <script>" in text
    assert page.locator("iframe.email").count() == 1 and page.locator("iframe.email").get_attribute("sandbox") == ""
    page.locator("iframe.email").evaluate("frame => frame.closest('details').open = true")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__pwned") is None  # ...and never run
    assert page.title().startswith("journeytest report")
    assert not [line for line in console if "PWNED" in line], console
    trace = page.locator("a[href$='trace.zip']")  # the failure's Playwright trace, linked
    assert trace.count() == 1 and Path(trace.inner_text()).is_file()


def test_the_report_is_rendered_again_from_a_results_file(project, site_url, tmp_path):
    project.makefile(
        ".journey.yaml",
        shop=f"site: {{name: Shop, base_url: '{site_url}'}}\njourneys:\n"
        "  browse: {kind: other, steps: [{goto: /}]}\n",
    )
    project.runpytest_subprocess().assert_outcomes(passed=1)
    target = tmp_path / "again.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "journeytest.cli",
            "report",
            str(project.path / "journeytest-results" / "results.jsonl"),
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "1 journeys" in done.stdout and "browse" in target.read_text()
    missing = subprocess.run(
        [sys.executable, "-m", "journeytest.cli", "report", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "cannot read the results file" in missing.stderr


def test_the_results_schema_is_shipped_and_printed():
    printed = subprocess.run(
        [sys.executable, "-m", "journeytest.cli", "schema", "--results"], capture_output=True, text=True
    )
    assert json.loads(printed.stdout) == json.loads(SCHEMA_FILE.read_text()) == json.loads(json.dumps(RESULTS_SCHEMA))


# ------------------------------------------------------------------------------------- killed half-way

SLOW = """\
site: {{name: Shop, base_url: '{url}'}}
checks: false
journeys:
  first: {{kind: other, steps: [{{goto: /}}]}}
  second: {{kind: other, steps: [{{goto: /signup.html}}]}}
  third: {{kind: other, steps: [{{goto: /}}]}}
  endless: {{kind: other, steps: [{{goto: /}}, {{wait: 120s}}]}}
"""


def test_a_run_killed_half_way_keeps_every_finished_journey(project, site_url):
    project.makefile(".journey.yaml", slow=SLOW.format(url=site_url))
    results = project.path / "journeytest-results" / "results.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
        cwd=project.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if results.exists() and results.read_text().count('"type": "journey"') >= 3:
                break
            time.sleep(0.2)
        time.sleep(1)  # well into the endless journey
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    finished = read_results(results)
    assert [j["journey"] for j in finished.journeys] == ["first", "second", "third"]
    assert finished.end is None and finished.unreadable_lines == 0
    assert all(j["outcome"] == "passed" and j["steps"] for j in finished.journeys)


# ------------------------------------------------------------------------------------- nightly audits


def test_three_nightly_runs_report_a_cancel_flow_that_got_worse(project, demo_company):
    history = project.path / "audit" / "history.sqlite"
    outcomes = []
    for detours in (0, 0, 2):  # the third night, the site put two "are you sure?" pages before cancelling
        with serve_variant("fair", "en", demo_company.sink.port, cancel_detours=detours) as site:
            extra = "      - click: {role: link, name: Continue to cancel}\n" * detours
            project.makefile(".journey.yaml", acme=ACME.format(url=site.url, detours=extra))
            result = project.runpytest_subprocess(
                "--mailbox", f"dir:{demo_company.sink.store}", "--history", str(history)
            )
        outcomes.append((result.ret, records(project)))
    first, second, third = outcomes
    assert first[0] == 0 and second[0] == 0
    assert not [r for r in first[1] + second[1] if r["type"] == "regression"]
    assert third[0] != 0
    regressions = [r for r in third[1] if r["type"] == "regression"]
    effort = next(r for r in regressions if r["what"] == "effort")
    before, now = second[1], third[1]
    cancel_before = next(r for r in before if r.get("journey") == "cancel")["effort"]
    cancel_now = next(r for r in now if r.get("journey") == "cancel")["effort"]
    assert (effort["before"]["actions"], effort["now"]["actions"]) == (cancel_before["actions"], cancel_now["actions"])
    assert cancel_now["actions"] == cancel_before["actions"] + 2
    assert (
        f"cancelling (cancel) now takes {cancel_now['actions']} actions" in effort["evidence"]
        and f"it took {cancel_before['actions']} actions" in effort["evidence"]
    )
    trend = subprocess.run(
        [sys.executable, "-m", "journeytest.cli", "history", "Acme", "--db", str(history)],
        capture_output=True,
        text=True,
    )
    assert trend.returncode == 0, trend.stderr
    cancel_row = next(line for line in trend.stdout.splitlines() if line.strip().startswith("cancel "))
    assert cancel_row.split()[1:] == [f"{cancel_before['actions']}a/{cancel_before['screens']}s"] * 2 + [
        f"{cancel_now['actions']}a/{cancel_now['screens']}s"
    ]
    report = (project.path / "journeytest-results" / "report.html").read_text()
    assert "Worse than before" in report


# ------------------------------------------------------------------------------------- production safety


def test_no_secret_reaches_the_output_folder(project, free_port, monkeypatch):
    """Dark Acme mails the typed password, the new one, and a password it makes up; none may be left on disk."""
    secrets_file = project.path.parent / "secrets-seen.json"
    project.makeconftest(f"""
import json
from journeytest.plugin.stash import RUN_STATE

def pytest_sessionfinish(session):
    json.dump(session.config.stash[RUN_STATE].secrets.everything(), open({str(secrets_file)!r}, "w"))
""")
    with serve_variant("dark", "en", free_port) as site:
        project.makefile(
            ".journey.yaml",
            dark=f"""\
site: {{name: Acme Cloud (dark), base_url: '{site.url}'}}
persona: {{password: "{{env.JT_AUDIT_PASSWORD}}"}}
journeys:
  sign_up:
    kind: acquire
    steps:
      - goto: /signup
      - fill: {{label: Name, value: "{{persona.name}}"}}
      - fill: {{label: Email, value: "{{persona.email}}"}}
      - fill: {{label: Password, value: "{{persona.password}}"}}
      - click: {{role: button, name: Create account}}
      - expect_email: {{subject: Welcome, within: 10s}}
  change_password:
    kind: account
    needs: sign_up
    steps:
      - click: Change password
      - fill: {{label: Current password, value: "{{persona.password}}"}}
      - fill: {{label: New password, value: "{{persona.new_password}}"}}
      - click: {{role: button, name: Change password}}
      - expect_email: {{subject: password was changed, within: 10s}}
  reset:
    kind: account
    needs: change_password
    steps:
      - goto: /password/reset
      - fill: {{label: Email, value: "{{persona.email}}"}}
      - click: {{role: button, name: Reset password}}
      - expect_email: {{subject: Reset, within: 10s}}
      - open_email_link: {{url: /password/reset/}}
      - expect_email: {{subject: new password, within: 10s}}
      - expect: {{text: "no such words on the page"}}
""",
        )
        monkeypatch.setenv("JT_AUDIT_PASSWORD", "Env-Supplied-Secret-77!")
        result = project.runpytest_subprocess("--smtp-sink", str(free_port), "--tracing", "on", "--step-timeout", "2s")
    outcomes = result.parseoutcomes()
    assert (
        outcomes["failed"] >= 1 and outcomes["passed"] >= 2
    )  # the reset fails on purpose: its failure is written out too
    seen = json.loads(secrets_file.read_text())
    values = set(seen.values())
    assert "Env-Supplied-Secret-77!" in values and len(values) >= 3  # typed, new, and the one the site made up
    assert "{password the site mailed #1}" in seen
    assert list(project.path.glob("journeytest-results/mail/*/*.eml")) and list(
        project.path.glob("test-results/**/trace.zip")
    )
    leaks = []
    for path in project.path.rglob("*"):
        if not path.is_file() or path.name == "conftest.py":
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        leaks += [f"{path}: {name}" for name, value in seen.items() for blob in blobs if value.encode() in blob]
    assert leaks == []
    assert "{persona.password}" in (project.path / "journeytest-results" / "report.html").read_text()


def test_a_dry_run_resolves_everything_opens_no_browser_and_names_paying_clicks(project, tmp_path):
    project.makefile(
        ".journey.yaml",
        shop="""\
site: {name: Shop, base_url: 'http://127.0.0.1:9'}
journeys:
  buy:
    kind: acquire
    steps:
      - goto: /
      - fill: {label: Email, value: "{persona.email}"}
      - click: {role: button, name: Buy now}
  token:
    kind: other
    steps:
      - goto: "/?t={env.JT_NOT_SET_ANYWHERE}"
""",
    )
    result = project.runpytest_subprocess("--dry-run", "--browser-path", str(tmp_path / "no-browser-here"), "-rA")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            '*shop.journey.yaml:8:9: click button "Buy now" would pay or place an order*allow_payments: true*',
            "*environment variable JT_NOT_SET_ANYWHERE is not set*",
        ]
    )
    assert "no-browser-here" not in result.stdout.str()


def test_a_paying_click_is_refused_on_a_real_page_unless_allowed(project, demo_company):
    body = ACME.format(url=demo_company.sites["fair-en"], detours="").replace(
        "allow_payments: true\n", "checks: false\n"
    )
    project.makefile(".journey.yaml", acme=body)
    refused = project.runpytest_subprocess("--mailbox", f"dir:{demo_company.sink.store}")
    refused.assert_outcomes(passed=1, failed=1, errors=0, skipped=1)
    refused.stdout.fnmatch_lines(["*refused: pressing 'Buy Pro' would pay or place an order*--allow-payments*"])
    allowed = project.runpytest_subprocess(
        "--mailbox", f"dir:{demo_company.sink.store}", "--allow-payments", "--history", "none"
    )
    allowed.assert_outcomes(passed=3)


def test_an_audit_identifies_itself_and_paces_its_actions(project, free_port):
    with serve_hostile(free_port) as (url, requests):
        project.makefile(
            ".journey.yaml",
            paced=f"""\
site: {{name: Paced, base_url: '{url}'}}
journeys:
  walk: {{kind: other, steps: [{{goto: /page/a}}, {{goto: /page/b}}, {{goto: /page/c}}]}}
""",
        )
        project.runpytest_subprocess("--action-interval", "0.6s", "--history", "none").assert_outcomes(passed=1)
        paced = [r for r in requests if r["path"].startswith("/page/")]
        walk = next(r for r in records(project) if r["type"] == "journey")
        project.runpytest_subprocess(
            "--user-agent", "AcmeAudit/2.0 (ops@acme.test)", "--history", "none"
        ).assert_outcomes(passed=1)
        named = [r for r in requests if r["path"].startswith("/page/")][3:]
    assert all(r["user_agent"].endswith("journeytest/0.1.0") and "Chrome/" in r["user_agent"] for r in paced)
    gaps = [b["at"] - a["at"] for a, b in zip(paced, paced[1:], strict=False)]
    assert len(paced) == 3 and min(gaps) >= 0.55, gaps
    assert {r["user_agent"] for r in named} == {"AcmeAudit/2.0 (ops@acme.test)"}
    assert walk["effort"]["harness_pauses_s"] >= 1.1  # two pauses of about 0.6 s, kept out of the customer's time
