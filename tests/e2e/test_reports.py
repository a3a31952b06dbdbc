"""Results file, HTML report, history and production safety, run the way users run journeytest:
pytest in a subprocess, a real browser, real sites and real mail; the report read in a real Chromium."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from journeytest.demo.server import serve_variant
from journeytest.report.html import render_report
from journeytest.report.results import RESULTS_SCHEMA, SCHEMA_FILE, read_results
from tests.support.hostile import serve_hostile
from tests.support.reportdata import write_corpus_results


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
    assert "(1 journey, " in done.stdout and "browse" in target.read_text()
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


# ------------------------------------------------------------------------------------- read on a laptop


def scroll_width(browser, path: Path) -> int:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(path.as_uri())
        return int(page.evaluate("() => document.documentElement.scrollWidth"))
    finally:
        page.close()


def test_the_report_of_a_corpus_run_needs_no_sideways_scrolling_at_1280_px(tmp_path, real_browser):
    """Redmine's 40-hex reset link, Trac's verify_email link, a long query string and a word with no break in it."""
    results = read_results(write_corpus_results(tmp_path / "results.jsonl"))
    report = tmp_path / "report.html"
    report.write_text(render_report(results), encoding="utf-8")
    assert scroll_width(real_browser, report) <= 1280


MASKED_RUN = """\
site: {{name: Acme Cloud, base_url: '{url}'}}
checks: {{contact_details: false, cancel_discoverable: false}}
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
  reset:
    kind: account
    needs: sign_up
    steps:
      - goto: /logout
      - goto: /password/reset
      - fill: {{label: Email, value: "{{persona.email}}"}}
      - click: {{role: button, name: Reset password}}
      - expect_email: {{subject: Reset, within: 10s}}
      - open_email_link: {{url: /password/reset/}}
      - expect: {{text: [New password, Set a new password]}}
      - fill: {{label: New password, value: "{{persona.new_password}}"}}
      - click: {{role: button, name: Set new password}}
      - expect: {{text: password was changed}}
      - goto: "/pricing?utm_source=newsletter&token={token}&page=2"
      - expect: {{url: /pricing}}
"""
PRICING = """\
site: {{name: Acme Cloud, base_url: '{url}'}}
checks: false
defaults: {{step_timeout: 1s}}
journeys:
  look_at_prices:
    kind: other
    steps:
      - goto: /pricing
      - expect: {{not_visible: {{role: button, name: Pay with a kidney}}}}
  stale_link:
    kind: other
    steps:
      - goto: "/pricing?key={token}"
      - expect: {{text: words the page never shows}}
"""


def test_a_real_run_masks_one_time_tokens_and_names_each_file_in_its_report(project, demo_company, real_browser):
    """Tokens journeytest did not make (the site's reset and confirmation links, a token in a visited URL) are
    masked in the results file and the report; the reset check still reopens the real link."""
    url = demo_company.sites["fair-en"]
    token = "3f9c0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f"
    project.makefile(".journey.yaml", acme=MASKED_RUN.format(url=url, token=token))
    (project.path / "more").mkdir()
    (project.path / "more" / "pricing.journey.yaml").write_text(PRICING.format(url=url, token=token))
    result = project.runpytest_subprocess("--mailbox", f"dir:{demo_company.sink.store}", "--junitxml", "junit.xml")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 3 and outcomes["failed"] == 1, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines(["FAILED more/pricing.journey.yaml::stale_link*"])
    assert f"{url}/pricing?key=•••" in result.stdout.str()  # the failure names the page, its token masked
    for text in (result.stdout.str(), (project.path / "junit.xml").read_text()):
        assert token not in text
    lines = records(project)
    journeys = {r["journey"]: r for r in lines if r["type"] == "journey"}
    checks = {r["check"]: r for r in lines if r["type"] == "check"}
    assert checks["password_reset"]["verdict"] == "PASS"  # the explorer reopened the real link: it was refused

    # The site's own tokens, from the masked mail copies (which mask passwords, not links).
    site_tokens = set()
    for copy in project.path.rglob("*.eml"):
        for part in email.message_from_bytes(copy.read_bytes(), policy=email.policy.default).walk():
            if part.get_content_maintype() == "text":
                found = re.findall(r"/(?:confirm|password/reset)/([A-Za-z0-9_-]{16,})", part.get_content())
                site_tokens |= set(found)
    assert len(site_tokens) >= 2  # the welcome mail's confirmation link and the reset link
    results_text = (project.path / "journeytest-results" / "results.jsonl").read_text()
    report_path = project.path / "journeytest-results" / "report.html"
    report_text = report_path.read_text()
    for text in (results_text, report_text, (project.path / "junit.xml").read_text()):
        assert token not in text
        assert not [t for t in site_tokens if t in text]
    opened = journeys["reset"]["opened_links"][0]["href"]
    assert opened == f"{url}/password/reset/•••"
    assert f"{url}/pricing?utm_source=newsletter&token=•••&page=2" in [
        s["url_after"] for s in journeys["reset"]["steps"]
    ]

    page = real_browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report_path.as_uri())
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    assert page.locator("h3.file").all_inner_texts() == ["acme.journey.yaml", "more/pricing.journey.yaml"]
    steps = page.locator("section.journey tr.step[data-action=expect] td.step-label").all_inner_texts()
    assert any(s.startswith('expect text "New password" / "Set a new password"') for s in steps), steps
    assert any(s.startswith("expect url /pricing") for s in steps), steps
    assert any(s.startswith('expect not_visible button "Pay with a kidney"') for s in steps), steps
    page.close()
