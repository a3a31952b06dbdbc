"""Mail as real sites leave it: bare .eml files from PHP's mail(), a Maildir and an mbox from Dovecot's delivery
agent, and PHP's sendmail pipe into `journeytest sendmail`. Written by real programs, never by journeytest."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeytest.mail.folders import FolderMailbox, MaildirMailbox, MboxMailbox
from journeytest.mail.mailbox import open_mailbox, survey
from tests.support.dovecot import run_dovecot

JOURNEYTEST = str(Path(sys.executable).with_name("journeytest"))
SEND = """<?php
mail("customer@example.com", "Your wiki password", "Hello,\\n\\nPassword : Xq7-Lm2p9Zt\\n", "From: wiki@example.org");
mail("someone@example.com", "Another customer", "Hello", "From: wiki@example.org\\r\\nBcc: audit@example.org");
"""


def php(tmp_path: Path, sendmail_path: str) -> None:
    """PHP's own mail(), with the sendmail_path a test set-up gives it."""
    if shutil.which("php") is None:
        pytest.fail("php is not installed (scripts/setup.sh installs php-cli)")
    script = tmp_path / "send.php"
    script.write_text(SEND)
    subprocess.run(["php", "-n", "-d", f"sendmail_path={sendmail_path}", str(script)], check=True, timeout=60)


def test_a_folder_of_bare_eml_files_written_by_php(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    started = time.time()
    drop = tmp_path / "drop-mail.sh"  # the classic development set-up: one file per message
    drop.write_text(f'#!/bin/sh\ncat > "{folder}/$(date +%s%N).eml"\n')
    php(tmp_path, f"sh {drop}")
    assert len(list(folder.glob("*.eml"))) == 2 and not list(folder.glob("*.json"))
    mailbox = open_mailbox(f"dir:{folder}")
    assert isinstance(mailbox, FolderMailbox)
    [mine] = mailbox.messages("customer@example.com")
    assert mine.subject == "Your wiki password" and "Password : Xq7-Lm2p9Zt" in mine.text
    assert started - 1 <= mine.received_at <= time.time() + 1  # the file's own time
    assert Path(mine.path).parent == folder
    said = survey(mailbox, "nobody@example.com", started)
    assert said.startswith(f"a folder of messages, {folder} holds 2 messages, none to nobody@example.com; the newest")


def test_php_pipes_into_journeytest_sendmail_and_the_store_keeps_the_envelope(tmp_path):
    store = tmp_path / "store"
    php(tmp_path, f"{JOURNEYTEST} sendmail --store {store} -t -i")
    stored = sorted(store.glob("*.eml"))
    assert len(stored) == 2
    envelopes = [json.loads(path.with_suffix(".json").read_text())["envelope_to"] for path in stored]
    assert sorted(envelopes) == [["customer@example.com"], ["someone@example.com", "audit@example.org"]]
    assert not any(b"Bcc:" in path.read_bytes() for path in stored)  # -t delivers to Bcc but drops the header
    mailbox = FolderMailbox(store)
    assert [m.subject for m in mailbox.messages("audit@example.org")] == ["Another customer"]


def test_sendmail_without_a_store_says_how_to_give_one(tmp_path):
    done = subprocess.run(
        [JOURNEYTEST, "sendmail", "-t"],
        input=b"To: a@example.com\n\nx",
        capture_output=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert done.returncode == 64 and b"Give --store DIR or set JOURNEYTEST_MAIL_STORE" in done.stderr


def test_a_maildir_and_an_mbox_delivered_by_dovecot():
    message = (
        b"From: wiki@example.org\nTo: qa@example.com\nSubject: Your temporary password\n"
        b"Date: Wed, 02 Dec 2026 06:00:00 +0000\n\nTemporary password: tmp4Rk82w\n"
    )
    with run_dovecot() as server:
        before = time.time()
        server.deliver(message)
        mbox = server.home / "inbox.mbox"
        server.deliver(message.replace(b"temporary", b"new"), mail_location=f"mbox:{server.home}/mail:INBOX={mbox}")
        maildir = open_mailbox(f"maildir:{server.home / 'Maildir'}")
        assert isinstance(maildir, MaildirMailbox)
        [delivered] = maildir.messages("qa@example.com")
        assert delivered.subject == "Your temporary password" and before - 1 <= delivered.received_at
        from_mbox = open_mailbox(f"mbox:{mbox}")
        assert isinstance(from_mbox, MboxMailbox)
        [appended] = from_mbox.messages("qa@example.com")
        assert appended.subject == "Your new password" and abs(appended.received_at - time.time()) < 120
        assert from_mbox.messages("nobody@example.com") == []


def checksums(folder: Path) -> dict[Path, str]:
    return {
        path: hashlib.sha256(path.read_bytes() + str(path.stat().st_mtime_ns).encode()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider --history none --step-screenshots off\n")
    return pytester


def test_a_folder_journeytest_only_reads_is_never_changed(project, demo_company):
    """Dark Acme mails the typed password in clear; the folder is the site's: journeytest masks its own copy."""
    folder = demo_company.sink.store
    project.makefile(
        ".journey.yaml",
        dark=f"""\
site: {{name: Acme Cloud (dark), base_url: '{demo_company.sites["dark-en"]}'}}
checks: false
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
""",
    )
    project.makeconftest(f"""
import json
from journeytest.plugin.stash import RUN_STATE

def pytest_sessionfinish(session):
    json.dump(session.config.stash[RUN_STATE].secrets.everything(), open({str(project.path / "secrets.json")!r}, "w"))
""")
    before = checksums(folder)
    result = project.runpytest_subprocess("--mailbox", f"dir:{folder}", "-v")
    result.stdout.fnmatch_lines([f"journeytest: reading mail from a folder of messages, {folder}", "*sign_up PASSED*"])
    after = checksums(folder)
    assert {path: after[path] for path in before} == before  # what was there is untouched
    arrived = [path.read_bytes() for path in after if path not in before and path.suffix == ".eml"]
    password = json.loads((project.path / "secrets.json").read_text())["{persona.password}"]
    assert any(password.encode() in raw for raw in arrived)  # what arrived is as the site sent it, unmasked
    assert not any(b"X-Journeytest-Masked" in raw for raw in arrived)
    [journey] = [
        json.loads(line)
        for line in (project.path / "journeytest-results" / "results.jsonl").open()
        if '"type": "journey"' in line
    ]
    copy = Path(journey["emails"][0]["path"])
    assert project.path in copy.parents and copy.is_file()  # journeytest's own copy, in its evidence
    assert password.encode() not in copy.read_bytes() and b"{persona.password}" in copy.read_bytes()


def test_a_journey_that_expects_mail_and_reads_none_says_what_the_folder_holds(project, site_url, tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    drop = tmp_path / "drop-mail.sh"
    drop.write_text(f'#!/bin/sh\ncat > "{folder}/$(date +%s%N).eml"\n')
    php(tmp_path, f"sh {drop}")
    project.makefile(
        ".journey.yaml",
        shop=f"""\
site: {{name: Effort Shop, base_url: '{site_url}'}}
checks: false
journeys:
  sign_up:
    kind: acquire
    steps:
      - goto: /signup.html
      - expect_email: {{subject: Welcome, within: 1s}}
""",
    )
    result = project.runpytest_subprocess("--mailbox", f"dir:{folder}")
    result.stdout.fnmatch_lines(
        [
            f"*no email arrived at all (a folder of messages, {folder} holds 2 messages, none to "
            "*@example.com; the newest arrived at *)"
        ]
    )
