"""Results of a corpus run as the results file holds them, with what real sites put in them: long URLs with
one-time tokens (Redmine's lost-password link, Trac's verify_email link), long unbroken words, two scenario
files of one site, several failing and warning checks. For report tests that need no site running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journeytest.report.results import ResultsWriter

REDMINE = "http://127.0.0.1:18100"
TRAC = "http://127.0.0.1:18200/trac"
HEX_TOKEN = "3f9c0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f"
RESET_URL = f"{REDMINE}/account/lost_password?token={HEX_TOKEN}"
VERIFY_URL = f"{TRAC}/verify_email?token=b'Vo756xJm'&verify=1"
UNBROKEN = "Supercalifragilisticexpialidocious" * 6  # a long word with no place to break
LONG_PATH = f"{REDMINE}/projects/journeytest-public-project-with-a-long-identifier/issues?" + "&".join(
    f"f[]=status_id&op[status_id]=o&c[]=tracker&c[]=subject&c[]=author{n}&sort=id%3Adesc%2Cupdated_on" for n in range(6)
)
REDMINE_FILE = "realsites/redmine/redmine.journey.yaml"
REDMINE_NOTIFY = "realsites/redmine/notifications/watchers-and-mail-settings.journey.yaml"
TRAC_FILE = "realsites/trac/trac.journey.yaml"


def step(index: int, action: str, label: str, url_before: str, url_after: str, outcome: str = "passed") -> dict:
    return {
        "index": index,
        "action": action,
        "label": label,
        "location": f"{REDMINE_FILE}:{20 + index}:9",
        "url_before": url_before,
        "url_after": url_after,
        "started_at": 1764670000.0 + index,
        "duration_s": 0.42,
        "outcome": outcome,
        "counted": True,
        "screenshot": None,
        "error": None,
    }


def effort(clicks: int, fields: int, pages: int, screens: int) -> dict:
    return {
        "clicks": clicks,
        "fields_filled": fields,
        "fields_chosen": 0,
        "keystrokes": 40,
        "key_presses": 0,
        "page_loads": screens,
        "route_changes": 0,
        "dialogs": 0,
        "distinct_pages": pages,
        "uncounted_actions": 0,
        "wall_time_s": 3.2,
        "waiting_for_email_s": 1.0,
        "harness_pauses_s": 0.0,
        "actions": clicks + fields,
        "screens": screens,
    }


def email(subject: str, link: str) -> dict:
    return {
        "id": f"<{subject.replace(' ', '.')}@127.0.0.1>",
        "received_at": 1764670010.0,
        "subject": subject,
        "from": "redmine@127.0.0.1",
        "to": ["persona@example.com"],
        "text": f"To change your password, click on the following link:\n{link}\n\n{UNBROKEN}\n",
        "html": f'<p>To change your password, click <a href="{link}">{link}</a></p>',
        "links": [link],
        "attachments": [],
        "headers": {"Auto-Submitted": "auto-generated"},
        "path": None,
        "problems": [],
    }


def journey(path: str, site: str, base_url: str, name: str, kind: str, steps: list[dict], **more: Any) -> dict:
    record = {
        "type": "journey",
        "nodeid": f"{path}::{name}",
        "scenario": path,
        "site": site,
        "base_url": base_url,
        "journey": name,
        "kind": kind,
        "outcome": "passed",
        "persona_email": "persona@example.com",
        "effort": effort(1, 0, 1, 1),
        "steps": steps,
        "pages": [s["url_after"] for s in steps],
        "attempts": [{"number": 1, "outcome": "passed"}],
        "final_url": steps[-1]["url_after"],
        "emails": [],
        "screens": [],
        "opened_links": [],
        "typed": [],
        "started_at": 1764670000.0,
        "ended_at": 1764670004.0,
    }
    record.update(more)
    return record


def check(path: str, name: str, verdict: str, evidence: str) -> dict:
    return {
        "type": "check",
        "nodeid": f"{path}::check:{name}",
        "scenario": path,
        "check": name,
        "title": f"the {name} check",
        "verdict": verdict,
        "evidence": evidence,
        "figures": {},
        "details": [f"seen on {LONG_PATH}"],
        "basis": "catalogue",
    }


def corpus_records() -> list[dict]:
    reset_steps = [
        step(0, "goto", "goto /account/lost_password", f"{REDMINE}/", f"{REDMINE}/account/lost_password"),
        step(1, "fill", 'fill label "Email"', f"{REDMINE}/account/lost_password", f"{REDMINE}/account/lost_password"),
        step(2, "click", 'click button "Submit"', f"{REDMINE}/account/lost_password", f"{REDMINE}/login"),
        step(3, "expect_email", "expect_email", f"{REDMINE}/login", f"{REDMINE}/login"),
        step(4, "open_email_link", "open_email_link", f"{REDMINE}/login", RESET_URL),
        step(5, "expect", 'expect text "New password"', RESET_URL, RESET_URL),
        step(6, "goto", f"goto {LONG_PATH}", RESET_URL, LONG_PATH),
        step(7, "expect", f'expect text "{UNBROKEN}"', LONG_PATH, LONG_PATH, outcome="failed"),
    ]
    failed_attempt = {
        "number": 1,
        "outcome": "failed",
        "error": f"expected page text to contain '{UNBROKEN}' within 5s, but it did not happen\npage: {LONG_PATH}",
        "error_location": f"{REDMINE_FILE}:27:9",
        "url": LONG_PATH,
        "screenshot": None,
        "trace": None,
    }
    return [
        journey(
            REDMINE_FILE,
            "Redmine",
            REDMINE,
            "register",
            "acquire",
            [step(0, "goto", "goto /account/register", f"{REDMINE}/", f"{REDMINE}/account/register")],
        ),
        journey(
            REDMINE_FILE,
            "Redmine",
            REDMINE,
            "reset_password",
            "account",
            reset_steps,
            outcome="failed",
            attempts=[failed_attempt],
            emails=[email("[Redmine] Your Redmine password", RESET_URL)],
            opened_links=[{"href": RESET_URL, "text": "", "email_id": "x", "subject": "reset", "at": 1764670011.0}],
            effort=effort(1, 1, 1, 1),
        ),
        journey(
            REDMINE_NOTIFY,
            "Redmine",
            REDMINE,
            "watch_an_issue",
            "other",
            [step(0, "goto", f"goto {LONG_PATH}", f"{REDMINE}/", LONG_PATH)],
        ),
        journey(
            TRAC_FILE,
            "Trac",
            TRAC,
            "register",
            "acquire",
            [
                step(0, "goto", "goto /register", f"{TRAC}/", f"{TRAC}/register"),
                step(1, "open_email_link", "open_email_link", f"{TRAC}/register", VERIFY_URL),
                step(2, "expect", "expect url /trac/prefs", VERIFY_URL, f"{TRAC}/prefs"),
            ],
            emails=[email("[Trac] Welcome", VERIFY_URL)],
        ),
        check(REDMINE_FILE, "password_reset", "FAIL", f"the reset link {RESET_URL} keeps working after it was used"),
        check(REDMINE_FILE, "contact_details", "FAIL", f"no email address within two clicks of {LONG_PATH}"),
        check(REDMINE_FILE, "effort_parity", "PASS", "cancelling took 2 actions over 2 screens"),
        check(REDMINE_FILE, "same_medium", "WARN", f"the way out names {UNBROKEN}"),
        check(REDMINE_NOTIFY, "silence_after_cancel", "FAIL", "a notification arrived after the confirmation"),
        check(REDMINE_NOTIFY, "cancel_confirmed", "FAIL", "no confirmation on screen"),
        check(REDMINE_NOTIFY, "no_generated_password", "WARN", "logging in with it did not work"),
        check(REDMINE_NOTIFY, "password_reset", "INCONCLUSIVE", "no email came: the reset journey stopped at step 2"),
        check(TRAC_FILE, "plain_text_password", "FAIL", f"the welcome email from {VERIFY_URL} carries the password"),
        check(TRAC_FILE, "contact_details", "WARN", "only one channel found"),
    ]


def write_corpus_results(path: Path) -> Path:
    writer = ResultsWriter(path, "run-corpus", {"environment": None, "options": {}})
    for record in corpus_records():
        writer.write(record)
    writer.finish(1)
    return path
