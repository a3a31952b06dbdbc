"""A nightly audit whose inbox misbehaves still ends: a silent IMAP server and a missing IMAP password cost
the journeys that read mail, with a message saying why, and nothing else."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.support.servers import silent_tcp_server

SCENARIO = """\
site: {{name: Effort Shop, base_url: '{url}'}}
checks: false
journeys:
  browse:
    kind: other
    steps:
      - goto: /index.html
      - expect: {{text: Effort Shop}}
  read_mail:
    kind: other
    steps:
      - goto: /index.html
      - expect_email: {{subject: Welcome, within: 2s}}
"""


@pytest.fixture
def silent_imap() -> Iterator[int]:
    with silent_tcp_server() as port:
        yield port


def test_a_silent_imap_server_fails_only_the_mail_journey_in_bounded_time(pytester, site_url, silent_imap, monkeypatch):
    monkeypatch.setenv("JOURNEYTEST_IMAP_PASSWORD", "pw")
    pytester.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url))
    started = time.monotonic()
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--history",
        "none",
        "-v",
        "--mailbox",
        f"imap://qa@127.0.0.1:{silent_imap}/INBOX?timeout=1s",
    )
    assert time.monotonic() - started < 90
    result.stdout.fnmatch_lines(["*shop.journey.yaml::browse PASSED*", "*shop.journey.yaml::read_mail FAILED*"])
    result.stdout.fnmatch_lines(["*did not answer within 1 s*"])
    assert "INTERNALERROR" not in result.stdout.str()


def test_a_missing_imap_password_fails_only_the_mail_journey(pytester, site_url, monkeypatch):
    monkeypatch.delenv("JOURNEYTEST_IMAP_PASSWORD", raising=False)
    pytester.makefile(".journey.yaml", shop=SCENARIO.format(url=site_url))
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--history", "none", "-v", "--mailbox", "imap://qa@127.0.0.1:1/INBOX"
    )
    result.stdout.fnmatch_lines(["journeytest: cannot read mail: IMAP needs a user*JOURNEYTEST_IMAP_PASSWORD*"])
    result.stdout.fnmatch_lines(["*shop.journey.yaml::browse PASSED*", "*shop.journey.yaml::read_mail FAILED*"])
    result.stdout.fnmatch_lines(["*cannot read mail: IMAP needs a user*"])
    assert result.ret == 1 and "INTERNALERROR" not in result.stdout.str()
