"""`journeytest demo`: show in one command what journeytest catches.

Starts the SMTP sink and the demo company (fair, dark, dark in Finnish), runs the
bundled demo scenarios against each variant in a real browser, checks that the
fair site passes and the dark one fails for the reasons it was built to show,
writes a report, and stops everything it started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DemoUnavailable
from ..mail.sink import SmtpSink

try:
    from .server import RunningSite, serve_demo_company
except ModuleNotFoundError as missing:  # Flask is the demo's own dependency, not journeytest's
    if missing.name not in ("flask", "werkzeug"):
        raise
    raise DemoUnavailable(
        f"the demo company needs {missing.name}, which is not installed: pip install 'journeytest[demo]'"
    ) from None

DEMO_SCENARIOS = Path(__file__).resolve().parent / "scenarios"  # package data: the demo works from an installed wheel

# What each journey must fail with on the dark variant: the dark pattern it exists to show.
EXPECTED_DARK_FAILURES: dict[str, tuple[str, str]] = {
    "sign_up": ("contains {persona.password}", "the welcome email carries the password in plain text"),
    "cancel": ('nothing on the page matches button "Cancel subscription"', "there is no self-service cancel button"),
    "change_password": ("contains {persona.new_password}", "the password-change email carries the new password"),
    "reset_password": (
        'nothing on the page matches label "New password"',
        "the reset link mails a made-up password instead of letting the customer choose one",
    ),
    "find_contact": ("expected css a[href^='mailto:'] to be visible", "no email address or phone on the home page"),
    "ask_support": (
        "expected an email to",
        "the support auto-reply ignores the customer's name and only echoes the message",
    ),
}


# What each built-in check must find on the dark variant's real cancel path (scenarios/demo/dark/).
EXPECTED_DARK_CHECKS: dict[str, tuple[str, str, str]] = {
    "effort_parity": (
        "FAIL",
        "cancelling took 7 actions over 6 screens",
        "cancelling takes 7 actions over 6 screens; buying took 2 over 2",
    ),
    "same_medium": ("FAIL", "ends in another channel", "the way out ends in 'email your success manager'"),
    "retention_and_confirmshaming": (
        "FAIL",
        "shames the customer",
        "a save offer whose decline button shames the customer",
    ),
    "friction_devices": ("FAIL", "mandatory survey", "a mandatory why-are-you-leaving survey"),
    "cancellation_confirmed": (
        "FAIL",
        "no on-screen confirmation; no confirmation email",
        "no cancellation confirmation, on screen or by email",
    ),
    "silence_after_cancel": ("FAIL", "retention email", "a win-back email arrives instead"),
    "cancel_discoverable": (
        "FAIL",
        "no cancel control within 2 clicks from where buy_pro left the customer",
        "the cancel link is three clicks deep",
    ),
    "no_password_in_email": (
        "FAIL",
        "holds {persona.password} as typed",
        "the welcome email carries the password in plain text",
    ),
    "statutory_rules": (
        "FAIL",
        "is not prominently located: rendered at 11.2 px",
        "California's click-to-cancel must be prominent; it is 11.2 px",
    ),
    "contact_details": (
        "FAIL",
        "the only contact details found are an image 4 clicks away",
        "contact details exist only as an image, four clicks deep",
    ),
    "no_generated_password": (
        "FAIL",
        "so it is a lasting password sent in clear",
        "a reset mails a made-up password that never has to be changed",
    ),
    "password_reset": ("FAIL", "worked a second time", "the reset link keeps working after it was used"),
    "support_reply": (
        "FAIL",
        "only echoes the customer",
        "the support reply echoes the message: generic, no reference, no answer",
    ),
}


@dataclass
class VariantOutcome:
    site: RunningSite
    results: list[dict[str, Any]]
    exit_code: int
    log: Path

    def by_journey(self) -> dict[str, dict[str, Any]]:
        """Journeys of the shared 'as it should be' file."""
        return {r["journey"]: r for r in self.results if r["type"] == "journey" and not _variant_file(r["scenario"])}

    def path_journeys(self) -> dict[str, dict[str, Any]]:
        """Journeys of the variant's own 'as it is' file."""
        return {r["journey"]: r for r in self.results if r["type"] == "journey" and _variant_file(r["scenario"])}

    def checks(self) -> dict[str, dict[str, Any]]:
        return {r["check"]: r for r in self.results if r["type"] == "check"}


def _variant_file(scenario: str) -> bool:
    """A variant's own 'as it is' file (fair/…, dark/…), not the shared 'as it should be' one."""
    return Path(scenario).parent.name in ("fair", "dark")


def _start_variant(
    site: RunningSite, store: Path, output: Path, scenarios: Path
) -> tuple[subprocess.Popen[bytes], Path, Path]:
    folder = output / site.label
    folder.mkdir(parents=True, exist_ok=True)
    results = folder / "results.jsonl"
    results.unlink(missing_ok=True)
    log = folder / "pytest.log"
    # Run from the scenarios' own folder, so files are named as they are there (acme.journey.yaml, fair/…), with
    # an empty ini file of the demo's own: the user's pytest configuration does not change the demo.
    ini = output / "pytest.ini"
    ini.write_text("[pytest]\n")
    paths = [*(p.name for p in sorted(scenarios.glob("*.journey.yaml"))), "fair" if site.variant == "fair" else "dark"]
    command = [
        sys.executable,
        "-m",
        "pytest",
        *paths,
        "-c",
        str(ini),
        "--rootdir",
        str(scenarios),
        "-p",
        "no:cacheprovider",
        "-q",
        "-rN",
        "--base-url",
        site.url,
        "--mailbox",
        f"dir:{store}",
        "--output",
        str(folder / "evidence"),
        "--journeytest-results",
        str(results),
        "--junitxml",
        str(folder / "junit.xml"),
        "--history",
        "none",
        "--tracing",
        "retain-on-failure",
    ]
    with open(log, "w") as handle:
        process = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, cwd=scenarios, env=os.environ.copy()
        )
    return process, results, log


def _finish_variant(site: RunningSite, process: subprocess.Popen[bytes], results: Path, log: Path) -> VariantOutcome:
    exit_code = process.wait()
    records = [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    return VariantOutcome(site, records, exit_code, log)


def _first_error(result: dict[str, Any]) -> str:
    for attempt in result.get("attempts", []):
        if attempt.get("error"):
            return str(attempt["error"])
    return ""


def judge(outcome: VariantOutcome) -> tuple[bool, list[str]]:
    """Did this variant behave as designed? Returns the verdict and the lines that explain it."""
    lines: list[str] = []
    ok = True
    journeys = outcome.by_journey()
    checks = outcome.checks()
    for name, result in sorted(outcome.path_journeys().items()):
        if result["outcome"] not in ("passed", "flaky"):  # the scripted real path must be walkable on both variants
            ok = False
            lines.append(f"  FAIL  {name:<16} {_first_error(result)}  <-- the site's own path could not be walked")
    if outcome.site.variant == "fair":
        for name, result in sorted(journeys.items()):
            passed = result["outcome"] in ("passed", "flaky")
            ok &= passed
            lines.append(f"  {'PASS' if passed else 'FAIL'}  {name:<16} {'' if passed else _first_error(result)}")
        for name, checked in sorted(checks.items()):
            ok &= checked["verdict"] == "PASS"
            lines.append(f"  {checked['verdict']}  check {name:<28} {checked['evidence']}")
        ok &= bool(journeys) and len(checks) == len(EXPECTED_DARK_CHECKS) and outcome.exit_code == 0
        return ok, lines
    for name, result in sorted(journeys.items()):
        failure = EXPECTED_DARK_FAILURES.get(name)
        error = _first_error(result)
        if failure is None:
            good = result["outcome"] in ("passed", "flaky")
            lines.append(
                f"  {'PASS' if good else 'FAIL'}  {name:<16} {'(the dark site sells in one click, too)' if good else error}"
            )
        else:
            good = result["outcome"] == "failed" and failure[0] in error
            lines.append(
                f"  {'FAIL' if result['outcome'] == 'failed' else 'PASS'}  {name:<16} {failure[1]}"
                + (
                    ""
                    if good
                    else f"  <-- expected a failure mentioning {failure[0]!r}, got: {error or result['outcome']}"
                )
            )
        ok &= good
    for name, (wanted, expected, why) in sorted(EXPECTED_DARK_CHECKS.items()):
        found = checks.get(name)
        good = found is not None and found["verdict"] == wanted and expected in found["evidence"]
        verdict = found["verdict"] if found else "----"
        lines.append(
            f"  {verdict}  check {name:<28} {why}"
            + (
                ""
                if good
                else f"  <-- expected {wanted} mentioning {expected!r}, got: {found['evidence'] if found else 'no result'}"
            )
        )
        ok &= good
    missing = set(EXPECTED_DARK_FAILURES) - set(journeys)
    for name in sorted(missing):
        lines.append(f"  ----  {name:<16} did not run (see the log)")
    return ok and not missing, lines


def _effort_line(outcome: VariantOutcome) -> str:
    journeys = outcome.by_journey()
    parts = []
    journeys = outcome.path_journeys()
    for name in ("buy_pro", "cancel_as_offered"):
        effort = journeys.get(name, {}).get("effort") or {}
        if effort:
            parts.append(f"{name}: {effort['actions']} actions over {effort['distinct_pages']} pages")
    return "; ".join(parts)


def run_demo(output: Path, scenarios: Path = DEMO_SCENARIOS) -> int:
    output = output.absolute()
    output.mkdir(parents=True, exist_ok=True)
    store = output / "mail"
    started = time.monotonic()
    print(
        f"journeytest demo: the Acme Cloud demo company in three variants, driven by a real browser;\n"
        f"  every email it sends is captured by journeytest's SMTP sink. Output: {output}\n"
    )
    outcomes: list[VariantOutcome] = []
    with SmtpSink(store) as sink, serve_demo_company(sink.port) as sites:
        print(f"  SMTP sink on 127.0.0.1:{sink.port}; sites: " + ", ".join(f"{s.label} {s.url}" for s in sites) + "\n")
        print(f"running the scenarios in {scenarios} against every variant at once…", flush=True)
        running = [(site, *_start_variant(site, store, output, scenarios)) for site in sites]
        try:
            outcomes = [_finish_variant(*run) for run in running]
        finally:
            for _, process, _, _ in running:
                if process.poll() is None:
                    process.terminate()
    verdicts = []
    report = ["# journeytest demo report", ""]
    for outcome in outcomes:
        ok, lines = judge(outcome)
        verdicts.append(ok)
        title = f"{outcome.site.variant} ({outcome.site.lang})"
        expectation = (
            "should pass every journey"
            if outcome.site.variant == "fair"
            else "should fail, each journey for its own reason"
        )
        print(f"\n{title}: {expectation} -> {'as designed' if ok else 'NOT as designed'}")
        print("\n".join(lines))
        if _effort_line(outcome):
            print(f"  effort: {_effort_line(outcome)}")
        print(f"  details: {outcome.log}; open {outcome.log.with_name('report.html')} in a browser")
        report += [
            f"## {title}: {'as designed' if ok else 'NOT as designed'}",
            "",
            "```",
            *lines,
            "```",
            f"Effort: {_effort_line(outcome)}",
            f"Log: {outcome.log}",
            f"HTML report: {outcome.log.with_name('report.html')}",
            "",
        ]
    (output / "report.md").write_text("\n".join(report))
    seconds = time.monotonic() - started
    if all(verdicts):
        print(
            f"\njourneytest behaved as designed: the fair site passes and the dark site fails for the expected reasons "
            f"({seconds:.0f} s). Report: {output / 'report.md'}"
        )
        return 0
    print(
        f"\njourneytest did NOT behave as designed; see the lines marked '<--' above and the logs. Report: {output / 'report.md'}"
    )
    return 1
